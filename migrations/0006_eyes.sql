-- EYES: analysis runs (with their report and model metrics), each customer's scores in a run,
-- and draft campaigns (a retention campaign is aimed at a segment).

CREATE TABLE eyes_runs (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    status          TEXT NOT NULL,              -- running | completed | failed
    cutoff          BIGINT NOT NULL,            -- features as of this time (unix seconds)
    seed            BIGINT NOT NULL,
    customers       BIGINT NOT NULL,
    -- How much data the run saw (customers + orders + events); a larger number later means new
    -- data arrived and the segments are due a refresh.
    data_version    BIGINT NOT NULL,
    structure_found BIGINT NOT NULL,            -- 0/1: a segmentation passed the quality gate
    algorithm       TEXT,
    silhouette      DOUBLE PRECISION,
    baseline_silhouette DOUBLE PRECISION,
    auc_30d         DOUBLE PRECISION,
    auc_60d         DOUBLE PRECISION,
    auc_90d         DOUBLE PRECISION,
    report          TEXT,                       -- the run's report as JSON (no per-customer rows)
    error           TEXT,
    started_at      BIGINT NOT NULL,
    finished_at     BIGINT
);
CREATE INDEX eyes_runs_org ON eyes_runs (organization_id, started_at);

CREATE TABLE eyes_customer_scores (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    run_id          TEXT NOT NULL REFERENCES eyes_runs (id) ON DELETE CASCADE,
    customer_id     TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    segment         BIGINT,                     -- index into the run's segments; NULL = noise/none
    churn_30d       DOUBLE PRECISION NOT NULL,
    churn_60d       DOUBLE PRECISION NOT NULL,
    churn_90d       DOUBLE PRECISION NOT NULL,
    reasons         TEXT NOT NULL,              -- JSON: {"30d": [..], "60d": [..], "90d": [..]}
    p_alive         DOUBLE PRECISION NOT NULL,
    expected_purchases_90d DOUBLE PRECISION NOT NULL,
    clv_cents       BIGINT NOT NULL,
    features        TEXT NOT NULL,              -- JSON: the customer's features in original units
    PRIMARY KEY (run_id, customer_id)
);
CREATE INDEX eyes_scores_segment ON eyes_customer_scores (run_id, segment, churn_30d);
CREATE INDEX eyes_scores_customer ON eyes_customer_scores (organization_id, customer_id);

CREATE TABLE campaigns (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    objective       TEXT NOT NULL,
    status          TEXT NOT NULL,              -- draft | active | paused | completed
    budget_cents    BIGINT NOT NULL,
    starts_on       TEXT,
    ends_on         TEXT,
    platforms       TEXT NOT NULL,              -- JSON array
    channel         TEXT,                       -- email | sms | push | in_app for retention drafts
    target_segment  TEXT,                       -- JSON: {run_id, segment, name, size}
    created_by      TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX campaigns_org ON campaigns (organization_id, created_at);
