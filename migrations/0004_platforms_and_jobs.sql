-- Connected marketing platforms (credentials sealed with AES-256-GCM, never returned) and the
-- durable job table that runs their syncs. A job is leased: a process that dies mid-job lets its
-- lease lapse and any process picks the job up again, resuming from the stored cursor.
CREATE TABLE platform_connections (
    organization_id    TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    platform           TEXT NOT NULL,
    credentials_sealed TEXT NOT NULL,
    account_id         TEXT,
    account_name       TEXT,
    status             TEXT NOT NULL,
    sync_cursor        TEXT,
    last_sync_at       BIGINT,
    last_error         TEXT,
    records_synced     BIGINT NOT NULL,
    connected_at       BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    PRIMARY KEY (organization_id, platform)
);

CREATE TABLE jobs (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    target          TEXT,
    status          TEXT NOT NULL,
    progress        TEXT NOT NULL,
    result          TEXT,
    error           TEXT,
    attempts        BIGINT NOT NULL,
    locked_by       TEXT,
    locked_until    BIGINT,
    created_at      BIGINT NOT NULL,
    started_at      BIGINT,
    finished_at     BIGINT,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX jobs_queue ON jobs (status, created_at);
CREATE INDEX jobs_organization ON jobs (organization_id, created_at);
