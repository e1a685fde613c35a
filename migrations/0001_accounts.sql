-- Accounts and organizations. Portable across SQLite and PostgreSQL:
-- ids are TEXT (UUID), times are BIGINT unix seconds, JSON is TEXT, booleans are BIGINT 0/1.

CREATE TABLE organizations (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    slug              TEXT NOT NULL UNIQUE,
    subscription_tier TEXT NOT NULL,
    settings          TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email           TEXT NOT NULL UNIQUE,
    full_name       TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    last_login_at   BIGINT
);
CREATE INDEX users_organization ON users (organization_id);

-- Opaque refresh tokens, stored hashed. A login is a family; reusing a rotated token revokes it.
CREATE TABLE refresh_tokens (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id       TEXT NOT NULL,
    token_hash      TEXT NOT NULL UNIQUE,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    rotated_at      BIGINT,
    revoked_at      BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE invitations (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email           TEXT NOT NULL,
    role            TEXT NOT NULL,
    token_hash      TEXT NOT NULL UNIQUE,
    invited_by      TEXT,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    accepted_at     BIGINT,
    revoked_at      BIGINT
);
CREATE INDEX invitations_organization ON invitations (organization_id);

CREATE TABLE audit_logs (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    user_id         TEXT,
    action          TEXT NOT NULL,
    target_type     TEXT,
    target_id       TEXT,
    ip              TEXT,
    user_agent      TEXT,
    outcome         TEXT NOT NULL,
    details         TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX audit_logs_organization_time ON audit_logs (organization_id, created_at);
