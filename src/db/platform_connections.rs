//! Connected platforms per organization.

use sqlx::{Any, Executor, FromRow};

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct ConnectionRow {
    pub organization_id: String,
    pub platform: String,
    pub credentials_sealed: String,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub status: String,
    pub sync_cursor: Option<String>,
    pub last_sync_at: Option<i64>,
    pub last_error: Option<String>,
    pub records_synced: i64,
    pub connected_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "organization_id, platform, credentials_sealed, account_id, account_name, status, sync_cursor,
    last_sync_at, last_error, records_synced, connected_at, updated_at";

/// Connects (or reconnects with new credentials, keeping the sync position and counts).
pub async fn upsert<'e>(db: impl Executor<'e, Database = Any>, c: &ConnectionRow) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO platform_connections ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (organization_id, platform) DO UPDATE SET credentials_sealed = excluded.credentials_sealed,
           account_id = excluded.account_id, account_name = excluded.account_name, status = excluded.status,
           last_error = NULL, updated_at = excluded.updated_at"
    ))
    .bind(&c.organization_id)
    .bind(&c.platform)
    .bind(&c.credentials_sealed)
    .bind(&c.account_id)
    .bind(&c.account_name)
    .bind(&c.status)
    .bind(&c.sync_cursor)
    .bind(c.last_sync_at)
    .bind(&c.last_error)
    .bind(c.records_synced)
    .bind(c.connected_at)
    .bind(c.updated_at)
    .execute(db)
    .await
    .map(|_| ())
}

pub async fn find<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, platform: &str) -> sqlx::Result<Option<ConnectionRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM platform_connections WHERE organization_id = $1 AND platform = $2"))
        .bind(organization_id)
        .bind(platform)
        .fetch_optional(db)
        .await
}

pub async fn list<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str) -> sqlx::Result<Vec<ConnectionRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM platform_connections WHERE organization_id = $1 ORDER BY platform"))
        .bind(organization_id)
        .fetch_all(db)
        .await
}

pub async fn delete<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, platform: &str) -> sqlx::Result<bool> {
    sqlx::query("DELETE FROM platform_connections WHERE organization_id = $1 AND platform = $2")
        .bind(organization_id)
        .bind(platform)
        .execute(db)
        .await
        .map(|r| r.rows_affected() == 1)
}

/// After a page: the new cursor and the records it brought (in the page's transaction).
pub async fn record_page<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    platform: &str,
    cursor: &str,
    records: i64,
    now: i64,
) -> sqlx::Result<bool> {
    sqlx::query(
        "UPDATE platform_connections SET sync_cursor = $1, records_synced = records_synced + $2, status = 'syncing', updated_at = $3
         WHERE organization_id = $4 AND platform = $5",
    )
    .bind(cursor)
    .bind(records)
    .bind(now)
    .bind(organization_id)
    .bind(platform)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// The end of a sync: connected with the time, or error with the reason.
pub async fn finish_sync<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    platform: &str,
    error: Option<&str>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE platform_connections SET status = $1, last_error = $2,
           last_sync_at = CASE WHEN $2 IS NULL THEN $3 ELSE last_sync_at END, updated_at = $3
         WHERE organization_id = $4 AND platform = $5",
    )
    .bind(if error.is_some() { "error" } else { "connected" })
    .bind(error)
    .bind(now)
    .bind(organization_id)
    .bind(platform)
    .execute(db)
    .await
    .map(|_| ())
}
