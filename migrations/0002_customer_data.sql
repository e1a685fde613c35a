-- Customer data: customers and their identities and consents, orders, events, campaign
-- performance, and the imports that bring them in. Every table is organization-scoped and has a
-- natural key, so re-importing the same data changes nothing.
-- Money is BIGINT hundredths of the currency unit (cents); times are BIGINT unix seconds.

-- customer_key is the merge key: the lowercased email when there is one, else
-- "<platform>:<external id>". Platform ids live in customer_identities.
CREATE TABLE customers (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    customer_key    TEXT NOT NULL,
    email           TEXT,
    name            TEXT,
    phone           TEXT,
    company         TEXT,
    tags            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    imported_at     BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (organization_id, customer_key)
);
CREATE INDEX customers_organization_created ON customers (organization_id, created_at);

CREATE TABLE customer_identities (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    platform        TEXT NOT NULL,
    external_id     TEXT NOT NULL,
    customer_id     TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (organization_id, platform, external_id)
);
CREATE INDEX customer_identities_customer ON customer_identities (customer_id);

-- One row per customer and purpose (marketing_email, marketing_sms, analytics, ...).
CREATE TABLE customer_consents (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    customer_id     TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    purpose         TEXT NOT NULL,
    granted         BIGINT NOT NULL,
    source          TEXT NOT NULL,
    recorded_at     BIGINT NOT NULL,
    expires_at      BIGINT,
    PRIMARY KEY (customer_id, purpose)
);

CREATE TABLE orders (
    id                TEXT PRIMARY KEY,
    organization_id   TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    customer_id       TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    platform          TEXT NOT NULL,
    external_order_id TEXT NOT NULL,
    amount_cents      BIGINT NOT NULL,
    currency          TEXT NOT NULL,
    ordered_at        BIGINT NOT NULL,
    imported_at       BIGINT NOT NULL,
    UNIQUE (organization_id, platform, external_order_id)
);
CREATE INDEX orders_customer ON orders (customer_id, ordered_at);
CREATE INDEX orders_organization_time ON orders (organization_id, ordered_at);

-- event_key is a 64-bit hash of the source's event id, or of the event's content when the
-- source has none, so the same event imported twice is stored once.
CREATE TABLE events (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    event_key       BIGINT NOT NULL,
    customer_id     TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    event_type      TEXT NOT NULL,
    occurred_at     BIGINT NOT NULL,
    channel         TEXT,
    spend_cents     BIGINT,
    content_id      TEXT,
    campaign_id     TEXT,
    PRIMARY KEY (organization_id, event_key)
);
CREATE INDEX events_customer ON events (customer_id, occurred_at);

-- creative_id is '' for campaign-level rows, so the natural key has no NULLs.
CREATE TABLE campaign_performance (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    platform        TEXT NOT NULL,
    campaign_id     TEXT NOT NULL,
    creative_id     TEXT NOT NULL,
    day             TEXT NOT NULL,
    campaign_name   TEXT,
    creative_name   TEXT,
    impressions     BIGINT NOT NULL,
    clicks          BIGINT NOT NULL,
    spend_cents     BIGINT NOT NULL,
    conversions     BIGINT NOT NULL,
    revenue_cents   BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (organization_id, platform, campaign_id, creative_id, day)
);
CREATE INDEX campaign_performance_day ON campaign_performance (organization_id, day);

-- One row per file or API import. committed_line is the last input line whose batch committed:
-- a resumed import skips up to it.
CREATE TABLE imports (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id         TEXT,
    kind            TEXT NOT NULL,
    format          TEXT NOT NULL,
    file_name       TEXT,
    mapping         TEXT NOT NULL,
    status          TEXT NOT NULL,
    rows_read       BIGINT NOT NULL,
    rows_inserted   BIGINT NOT NULL,
    rows_updated    BIGINT NOT NULL,
    rows_unchanged  BIGINT NOT NULL,
    rows_failed     BIGINT NOT NULL,
    committed_line  BIGINT NOT NULL,
    error           TEXT,
    created_at      BIGINT NOT NULL,
    started_at      BIGINT,
    finished_at     BIGINT,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX imports_organization ON imports (organization_id, created_at);

-- The row-level error report of an import (capped per import; rows_failed has the full count).
CREATE TABLE import_errors (
    import_id       TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL,
    line            BIGINT NOT NULL,
    column_name     TEXT,
    reason          TEXT NOT NULL,
    PRIMARY KEY (import_id, line, reason)
);
