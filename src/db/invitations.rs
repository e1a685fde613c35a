use sqlx::{Any, Executor, FromRow};

#[derive(Clone, Debug, FromRow)]
pub struct InvitationRow {
    pub id: String,
    pub organization_id: String,
    pub email: String,
    pub role: String,
    pub token_hash: String,
    pub invited_by: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

const COLUMNS: &str =
    "id, organization_id, email, role, token_hash, invited_by, created_at, expires_at, accepted_at, revoked_at";

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, i: &InvitationRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO invitations (id, organization_id, email, role, token_hash, invited_by, created_at, expires_at, accepted_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&i.id)
    .bind(&i.organization_id)
    .bind(&i.email)
    .bind(&i.role)
    .bind(&i.token_hash)
    .bind(&i.invited_by)
    .bind(i.created_at)
    .bind(i.expires_at)
    .bind(i.accepted_at)
    .bind(i.revoked_at)
    .execute(db)
    .await
    .map(|_| ())
}

/// Looked up by the hash of the token the invitee presents; the row names the organization.
pub async fn find_by_hash<'e>(db: impl Executor<'e, Database = Any>, token_hash: &str) -> sqlx::Result<Option<InvitationRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM invitations WHERE token_hash = $1"))
        .bind(token_hash)
        .fetch_optional(db)
        .await
}

pub async fn list_pending<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    now: i64,
) -> sqlx::Result<Vec<InvitationRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM invitations
         WHERE organization_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2
         ORDER BY created_at DESC"
    ))
    .bind(organization_id)
    .bind(now)
    .fetch_all(db)
    .await
}

pub async fn count_pending<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, now: i64) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM invitations
         WHERE organization_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(organization_id)
    .bind(now)
    .fetch_one(db)
    .await?;
    Ok(n)
}

/// Returns false when the invitation was already used or revoked (first acceptance wins).
pub async fn mark_accepted<'e>(db: impl Executor<'e, Database = Any>, id: &str, now: i64) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE invitations SET accepted_at = $1 WHERE id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn revoke<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, id: &str, now: i64) -> sqlx::Result<u64> {
    sqlx::query(
        "UPDATE invitations SET revoked_at = $1
         WHERE organization_id = $2 AND id = $3 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(organization_id)
    .bind(id)
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}
