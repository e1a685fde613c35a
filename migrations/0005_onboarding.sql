-- The guided setup's progress, kept on the server so it resumes on any device.
CREATE TABLE onboarding (
    organization_id TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    current_step    BIGINT NOT NULL,
    steps           TEXT NOT NULL,
    answers         TEXT NOT NULL,
    completed_at    BIGINT,
    updated_at      BIGINT NOT NULL
);
