use sqlx::{Any, Executor, FromRow};

#[derive(Clone, Debug, FromRow)]
pub struct UserRow {
    pub id: String,
    pub organization_id: String,
    pub email: String,
    pub full_name: String,
    pub password_hash: String,
    pub role: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_login_at: Option<i64>,
}

const COLUMNS: &str =
    "id, organization_id, email, full_name, password_hash, role, created_at, updated_at, last_login_at";

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, user: &UserRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO users (id, organization_id, email, full_name, password_hash, role, created_at, updated_at, last_login_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&user.id)
    .bind(&user.organization_id)
    .bind(&user.email)
    .bind(&user.full_name)
    .bind(&user.password_hash)
    .bind(&user.role)
    .bind(user.created_at)
    .bind(user.updated_at)
    .bind(user.last_login_at)
    .execute(db)
    .await
    .map(|_| ())
}

/// Emails are unique across OmniFy (they identify the login), so this lookup is not org-scoped.
pub async fn find_by_email<'e>(db: impl Executor<'e, Database = Any>, email: &str) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE email = $1"))
        .bind(email)
        .fetch_optional(db)
        .await
}

pub async fn find<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    id: &str,
) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE organization_id = $1 AND id = $2"))
        .bind(organization_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn list<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str) -> sqlx::Result<Vec<UserRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users WHERE organization_id = $1 ORDER BY created_at, email"
    ))
    .bind(organization_id)
    .fetch_all(db)
    .await
}

pub async fn count<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE organization_id = $1")
        .bind(organization_id)
        .fetch_one(db)
        .await?;
    Ok(n)
}

pub async fn count_with_role<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    role: &str,
) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE organization_id = $1 AND role = $2")
        .bind(organization_id)
        .bind(role)
        .fetch_one(db)
        .await?;
    Ok(n)
}

pub async fn update_role<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    id: &str,
    role: &str,
    now: i64,
) -> sqlx::Result<u64> {
    sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE organization_id = $3 AND id = $4")
        .bind(role)
        .bind(now)
        .bind(organization_id)
        .bind(id)
        .execute(db)
        .await
        .map(|r| r.rows_affected())
}

pub async fn update_profile<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    id: &str,
    full_name: &str,
    password_hash: &str,
    now: i64,
) -> sqlx::Result<u64> {
    sqlx::query(
        "UPDATE users SET full_name = $1, password_hash = $2, updated_at = $3 WHERE organization_id = $4 AND id = $5",
    )
    .bind(full_name)
    .bind(password_hash)
    .bind(now)
    .bind(organization_id)
    .bind(id)
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}

pub async fn touch_login<'e>(db: impl Executor<'e, Database = Any>, id: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn delete<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, id: &str) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM users WHERE organization_id = $1 AND id = $2")
        .bind(organization_id)
        .bind(id)
        .execute(db)
        .await
        .map(|r| r.rows_affected())
}
