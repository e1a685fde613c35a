//! Webhook signing secrets (sealed) and receipts of delivered events.

use sqlx::{Any, Executor};

pub async fn secret<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str) -> sqlx::Result<Option<(String, i64)>> {
    sqlx::query_as("SELECT secret_sealed, created_at FROM webhook_secrets WHERE organization_id = $1")
        .bind(organization_id)
        .fetch_optional(db)
        .await
}

/// Sets (or replaces) the organization's secret.
pub async fn set_secret<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, sealed: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO webhook_secrets (organization_id, secret_sealed, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (organization_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, created_at = excluded.created_at",
    )
    .bind(organization_id)
    .bind(sealed)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// Records a delivered event id; false when it was delivered before (a replay).
pub async fn record_receipt<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    source: &str,
    event_id: &str,
    records: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO webhook_receipts (organization_id, source, event_id, received_at, records) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (organization_id, source, event_id) DO NOTHING",
    )
    .bind(organization_id)
    .bind(source)
    .bind(event_id)
    .bind(now)
    .bind(records)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// (deliveries in the last day, time of the last delivery).
pub async fn recent<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, since: i64) -> sqlx::Result<(i64, Option<i64>)> {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM webhook_receipts WHERE organization_id = $1 AND received_at >= $2),
                (SELECT MAX(received_at) FROM webhook_receipts WHERE organization_id = $1)",
    )
    .bind(organization_id)
    .bind(since)
    .fetch_one(db)
    .await
}
