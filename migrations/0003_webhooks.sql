-- Signed webhooks: one sealed (AES-256-GCM) signing secret per organization, and the event ids
-- already received per source, for replay protection.
CREATE TABLE webhook_secrets (
    organization_id TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    secret_sealed   TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);

CREATE TABLE webhook_receipts (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    source          TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    received_at     BIGINT NOT NULL,
    records         BIGINT NOT NULL,
    PRIMARY KEY (organization_id, source, event_id)
);
CREATE INDEX webhook_receipts_time ON webhook_receipts (organization_id, received_at);
