-- The AI layer's ledger and budget, campaign strategies, content pieces with version history,
-- and job inputs with idempotency keys (AI generations run as jobs).

-- Every AI call, whatever its outcome: what it cost, how long it took, who asked for what.
CREATE TABLE ai_calls (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id         TEXT,
    feature         TEXT NOT NULL,              -- campaign_strategy | content | creative_review
    provider        TEXT NOT NULL,              -- builtin | openai
    model           TEXT NOT NULL,
    tokens_in       BIGINT NOT NULL,
    tokens_out      BIGINT NOT NULL,
    cost_micros     BIGINT NOT NULL,            -- US dollars × 1,000,000
    latency_ms      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL,
    outcome         TEXT NOT NULL,              -- ok | repaired | invalid_output | error | budget_exceeded
    error           TEXT,
    day             TEXT NOT NULL,              -- UTC YYYY-MM-DD, the budget's day
    created_at      BIGINT NOT NULL
);
CREATE INDEX ai_calls_org ON ai_calls (organization_id, created_at);
CREATE INDEX ai_calls_day ON ai_calls (organization_id, day);

-- Spend per organization and day. `reserved_micros` holds the worst-case cost of calls in
-- flight: a call reserves before it runs with one conditional UPDATE, so concurrent calls
-- cannot together overspend the budget.
CREATE TABLE ai_daily_spend (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    day             TEXT NOT NULL,
    spent_micros    BIGINT NOT NULL,
    reserved_micros BIGINT NOT NULL,
    PRIMARY KEY (organization_id, day)
);

-- NULL = the server's default budget (OMNIFY_AI_DAILY_BUDGET_USD).
ALTER TABLE organizations ADD COLUMN ai_daily_budget_micros BIGINT;

ALTER TABLE jobs ADD COLUMN input TEXT;
ALTER TABLE jobs ADD COLUMN created_by TEXT;
ALTER TABLE jobs ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX jobs_idempotency ON jobs (organization_id, idempotency_key);

ALTER TABLE campaigns ADD COLUMN description TEXT;
ALTER TABLE campaigns ADD COLUMN strategy TEXT;        -- JSON: the latest generated strategy
ALTER TABLE campaigns ADD COLUMN strategy_at BIGINT;

CREATE TABLE content_pieces (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    campaign_id     TEXT REFERENCES campaigns (id) ON DELETE SET NULL,
    platform        TEXT NOT NULL,
    format          TEXT NOT NULL,              -- post | ad | story | video_script | email | sms | article
    headline        TEXT,
    body            TEXT NOT NULL,
    cta             TEXT,
    hashtags        TEXT NOT NULL,              -- JSON array
    status          TEXT NOT NULL,              -- draft | in_review | approved | scheduled | published
    scheduled_for   TEXT,                       -- YYYY-MM-DD (the calendar slot)
    published_url   TEXT,                       -- where the team published it themselves
    aida_overall    BIGINT NOT NULL,
    engine          TEXT NOT NULL,              -- who wrote it: builtin | <model> | human
    version         BIGINT NOT NULL,
    created_by      TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX content_org ON content_pieces (organization_id, scheduled_for);
CREATE INDEX content_campaign ON content_pieces (organization_id, campaign_id);

-- Every saved version of a piece (edits and status changes), newest last.
CREATE TABLE content_versions (
    content_id      TEXT NOT NULL REFERENCES content_pieces (id) ON DELETE CASCADE,
    version         BIGINT NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    headline        TEXT,
    body            TEXT NOT NULL,
    cta             TEXT,
    hashtags        TEXT NOT NULL,
    status          TEXT NOT NULL,
    change          TEXT NOT NULL,              -- what happened: generated | edited | status: a → b
    changed_by      TEXT,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (content_id, version)
);
