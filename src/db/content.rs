//! Content pieces and their version history. A piece and its new version are written in one
//! transaction by the service, so history never misses a change.

use sqlx::{Any, Executor, FromRow};

use super::bulk;

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct ContentRow {
    pub id: String,
    pub organization_id: String,
    pub campaign_id: Option<String>,
    pub platform: String,
    pub format: String,
    pub headline: Option<String>,
    pub body: String,
    pub cta: Option<String>,
    /// JSON array.
    pub hashtags: String,
    pub status: String,
    pub scheduled_for: Option<String>,
    pub published_url: Option<String>,
    pub aida_overall: i64,
    pub engine: String,
    pub version: i64,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, organization_id, campaign_id, platform, format, headline, body, cta, hashtags, status,
    scheduled_for, published_url, aida_overall, engine, version, created_by, created_at, updated_at";

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, c: &ContentRow) -> sqlx::Result<()> {
    sqlx::query(&format!("INSERT INTO content_pieces ({COLUMNS}) VALUES ({})", bulk::list(18, 1)))
        .bind(&c.id)
        .bind(&c.organization_id)
        .bind(&c.campaign_id)
        .bind(&c.platform)
        .bind(&c.format)
        .bind(&c.headline)
        .bind(&c.body)
        .bind(&c.cta)
        .bind(&c.hashtags)
        .bind(&c.status)
        .bind(&c.scheduled_for)
        .bind(&c.published_url)
        .bind(c.aida_overall)
        .bind(&c.engine)
        .bind(c.version)
        .bind(&c.created_by)
        .bind(c.created_at)
        .bind(c.updated_at)
        .execute(db)
        .await
        .map(|_| ())
}

/// Saves a new version of a piece, only if nobody saved another since `expected_version`
/// (false = a concurrent edit won; the caller reports a conflict).
pub async fn update<'e>(db: impl Executor<'e, Database = Any>, c: &ContentRow, expected_version: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE content_pieces SET campaign_id = $1, headline = $2, body = $3, cta = $4, hashtags = $5, status = $6,
                scheduled_for = $7, published_url = $8, aida_overall = $9, version = $10, updated_at = $11
          WHERE organization_id = $12 AND id = $13 AND version = $14",
    )
    .bind(&c.campaign_id)
    .bind(&c.headline)
    .bind(&c.body)
    .bind(&c.cta)
    .bind(&c.hashtags)
    .bind(&c.status)
    .bind(&c.scheduled_for)
    .bind(&c.published_url)
    .bind(c.aida_overall)
    .bind(c.version)
    .bind(c.updated_at)
    .bind(&c.organization_id)
    .bind(&c.id)
    .bind(expected_version)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn find<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, id: &str) -> sqlx::Result<Option<ContentRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM content_pieces WHERE organization_id = $1 AND id = $2"))
        .bind(organization_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Filters for the content list and calendar; each `None` means "any".
#[derive(Clone, Debug, Default)]
pub struct ContentFilter {
    pub campaign_id: Option<String>,
    pub status: Option<String>,
    /// Scheduled on or after / on or before (YYYY-MM-DD).
    pub from: Option<String>,
    pub to: Option<String>,
}

pub async fn list<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, f: &ContentFilter) -> sqlx::Result<Vec<ContentRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM content_pieces
          WHERE organization_id = $1
            AND ($2 IS NULL OR campaign_id = $2)
            AND ($3 IS NULL OR status = $3)
            AND ($4 IS NULL OR scheduled_for >= $4)
            AND ($5 IS NULL OR scheduled_for <= $5)
          ORDER BY COALESCE(scheduled_for, '9999-12-31'), created_at DESC, id
          LIMIT 1000"
    ))
    .bind(organization_id)
    .bind(&f.campaign_id)
    .bind(&f.status)
    .bind(&f.from)
    .bind(&f.to)
    .fetch_all(db)
    .await
}

pub async fn count_for_campaign<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, campaign_id: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM content_pieces WHERE organization_id = $1 AND campaign_id = $2")
        .bind(organization_id)
        .bind(campaign_id)
        .fetch_one(db)
        .await
}

/// Pieces for one platform, within one campaign or (None) across the organization.
pub async fn count_for_platform<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    campaign_id: Option<&str>,
    platform: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM content_pieces
          WHERE organization_id = $1 AND ($2 IS NULL OR campaign_id = $2) AND platform = $3",
    )
    .bind(organization_id)
    .bind(campaign_id)
    .bind(platform)
    .fetch_one(db)
    .await
}

/// Pieces per campaign across the organization, in one query (the campaign list's counts).
pub async fn counts_by_campaign<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT campaign_id, CAST(COUNT(*) AS BIGINT) FROM content_pieces
          WHERE organization_id = $1 AND campaign_id IS NOT NULL GROUP BY campaign_id",
    )
    .bind(organization_id)
    .fetch_all(db)
    .await
}

pub async fn delete<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, id: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM content_pieces WHERE organization_id = $1 AND id = $2").bind(organization_id).bind(id).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct VersionRow {
    pub content_id: String,
    pub version: i64,
    pub organization_id: String,
    pub headline: Option<String>,
    pub body: String,
    pub cta: Option<String>,
    pub hashtags: String,
    pub status: String,
    pub change: String,
    pub changed_by: Option<String>,
    pub created_at: i64,
}

const VERSION_COLUMNS: &str = "content_id, version, organization_id, headline, body, cta, hashtags, status, change, changed_by, created_at";

pub async fn insert_version<'e>(db: impl Executor<'e, Database = Any>, v: &VersionRow) -> sqlx::Result<()> {
    sqlx::query(&format!("INSERT INTO content_versions ({VERSION_COLUMNS}) VALUES ({})", bulk::list(11, 1)))
        .bind(&v.content_id)
        .bind(v.version)
        .bind(&v.organization_id)
        .bind(&v.headline)
        .bind(&v.body)
        .bind(&v.cta)
        .bind(&v.hashtags)
        .bind(&v.status)
        .bind(&v.change)
        .bind(&v.changed_by)
        .bind(v.created_at)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn versions<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, content_id: &str) -> sqlx::Result<Vec<VersionRow>> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM content_versions WHERE organization_id = $1 AND content_id = $2 ORDER BY version"
    ))
    .bind(organization_id)
    .bind(content_id)
    .fetch_all(db)
    .await
}
