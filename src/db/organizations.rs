use sqlx::{Any, Executor, FromRow};

#[derive(Clone, Debug, FromRow)]
pub struct OrganizationRow {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub subscription_tier: String,
    pub settings: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, name, slug, subscription_tier, settings, created_at, updated_at";

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, org: &OrganizationRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO organizations (id, name, slug, subscription_tier, settings, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&org.id)
    .bind(&org.name)
    .bind(&org.slug)
    .bind(&org.subscription_tier)
    .bind(&org.settings)
    .bind(org.created_at)
    .bind(org.updated_at)
    .execute(db)
    .await
    .map(|_| ())
}

pub async fn find<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> sqlx::Result<Option<OrganizationRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM organizations WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn slug_taken<'e>(db: impl Executor<'e, Database = Any>, slug: &str) -> sqlx::Result<bool> {
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM organizations WHERE slug = $1")
        .bind(slug)
        .fetch_optional(db)
        .await?;
    Ok(row.is_some())
}

pub async fn update<'e>(
    db: impl Executor<'e, Database = Any>,
    id: &str,
    name: &str,
    settings: &str,
    now: i64,
) -> sqlx::Result<u64> {
    sqlx::query("UPDATE organizations SET name = $1, settings = $2, updated_at = $3 WHERE id = $4")
        .bind(name)
        .bind(settings)
        .bind(now)
        .bind(id)
        .execute(db)
        .await
        .map(|r| r.rows_affected())
}

pub async fn count<'e>(db: impl Executor<'e, Database = Any>) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organizations").fetch_one(db).await?;
    Ok(n)
}

/// Serialises changes to one organization's membership: a no-op update takes the row lock on
/// PostgreSQL and the write lock on SQLite, so the counts read after it stay true until commit.
pub async fn lock<'e>(db: impl Executor<'e, Database = Any>, id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE organizations SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn find_by_slug<'e>(db: impl Executor<'e, Database = Any>, slug: &str) -> sqlx::Result<Option<OrganizationRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM organizations WHERE slug = $1"))
        .bind(slug)
        .fetch_optional(db)
        .await
}
