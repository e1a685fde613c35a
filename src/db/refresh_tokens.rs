use sqlx::{Any, Executor, FromRow};

#[derive(Clone, Debug, FromRow)]
pub struct RefreshTokenRow {
    pub id: String,
    pub organization_id: String,
    pub user_id: String,
    pub family_id: String,
    pub token_hash: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub rotated_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, t: &RefreshTokenRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO refresh_tokens (id, organization_id, user_id, family_id, token_hash, created_at, expires_at, rotated_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&t.id)
    .bind(&t.organization_id)
    .bind(&t.user_id)
    .bind(&t.family_id)
    .bind(&t.token_hash)
    .bind(t.created_at)
    .bind(t.expires_at)
    .bind(t.rotated_at)
    .bind(t.revoked_at)
    .execute(db)
    .await
    .map(|_| ())
}

/// Looked up by the hash of an opaque token the caller presents; the row says whose it is.
pub async fn find_by_hash<'e>(
    db: impl Executor<'e, Database = Any>,
    token_hash: &str,
) -> sqlx::Result<Option<RefreshTokenRow>> {
    sqlx::query_as(
        "SELECT id, organization_id, user_id, family_id, token_hash, created_at, expires_at, rotated_at, revoked_at
         FROM refresh_tokens WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

/// Marks a live token as used. Returns false when another request rotated or revoked it first,
/// so two concurrent refreshes cannot both succeed.
pub async fn mark_rotated<'e>(db: impl Executor<'e, Database = Any>, id: &str, now: i64) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE refresh_tokens SET rotated_at = $1 WHERE id = $2 AND rotated_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn revoke_family<'e>(db: impl Executor<'e, Database = Any>, family_id: &str, now: i64) -> sqlx::Result<u64> {
    sqlx::query("UPDATE refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(family_id)
        .execute(db)
        .await
        .map(|r| r.rows_affected())
}

pub async fn revoke_all_for_user<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    user_id: &str,
    now: i64,
) -> sqlx::Result<u64> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = $1 WHERE organization_id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(organization_id)
    .bind(user_id)
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}
