//! Customer events (the EYES input), deduplicated on their 64-bit event key.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::bulk;

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct EventRow {
    pub organization_id: String,
    pub event_key: i64,
    pub customer_id: String,
    pub event_type: String,
    pub occurred_at: i64,
    pub channel: Option<String>,
    pub spend_cents: Option<i64>,
    pub content_id: Option<String>,
    pub campaign_id: Option<String>,
}

const COLUMNS: &str =
    "organization_id, event_key, customer_id, event_type, occurred_at, channel, spend_cents, content_id, campaign_id";

/// Inserts the events not stored yet; returns how many were new. Events never change, so a
/// repeat is simply skipped.
pub async fn insert_new(conn: &mut AnyConnection, rows: &[EventRow]) -> sqlx::Result<u64> {
    let mut inserted = 0;
    for chunk in rows.chunks(bulk::rows_per_statement(conn, 9)) {
        let sql = format!(
            "INSERT INTO events ({COLUMNS}) VALUES {} ON CONFLICT (organization_id, event_key) DO NOTHING",
            bulk::values(conn, chunk.len(), 9)
        );
        let mut q = sqlx::query(&sql);
        for e in chunk {
            q = q
                .bind(&e.organization_id)
                .bind(e.event_key)
                .bind(&e.customer_id)
                .bind(&e.event_type)
                .bind(e.occurred_at)
                .bind(&e.channel)
                .bind(e.spend_cents)
                .bind(&e.content_id)
                .bind(&e.campaign_id);
        }
        inserted += q.execute(&mut *conn).await?.rows_affected();
    }
    Ok(inserted)
}

/// A customer's events, newest first; `limit` None means all of them (for the GDPR export).
pub async fn for_customer<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    customer_id: &str,
    limit: Option<i64>,
) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM events WHERE organization_id = $1 AND customer_id = $2
         ORDER BY occurred_at DESC LIMIT $3"
    ))
    .bind(organization_id)
    .bind(customer_id)
    .bind(limit.unwrap_or(i64::MAX))
    .fetch_all(db)
    .await
}
