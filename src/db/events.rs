//! Customer events (the EYES input). An event belongs to its organization through its customer
//! (`customer_row` is the customer's row key) and is stored once per customer and event key.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::bulk;

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct EventRow {
    pub customer_row: i64,
    pub event_key: i64,
    pub event_type: String,
    pub occurred_at: i64,
    pub channel: Option<String>,
    pub spend_cents: Option<i64>,
    pub content_id: Option<String>,
    pub campaign_id: Option<String>,
}

const COLUMNS: &str = "customer_row, event_key, event_type, occurred_at, channel, spend_cents, content_id, campaign_id";

/// Inserts the events not stored yet; returns how many were new. Events never change, so a
/// repeat is simply skipped. Rows in (customer_row, event_key) order land next to each other in
/// the index, which is what keeps a big import's commits small.
pub async fn insert_new(conn: &mut AnyConnection, rows: &[EventRow]) -> sqlx::Result<u64> {
    let mut inserted = 0;
    for chunk in rows.chunks(bulk::rows_per_statement(conn, 8)) {
        let sql = format!(
            "INSERT INTO events ({COLUMNS}) VALUES {} ON CONFLICT (customer_row, event_key) DO NOTHING",
            bulk::values(conn, chunk.len(), 8)
        );
        let mut q = sqlx::query(&sql);
        for e in chunk {
            q = q
                .bind(e.customer_row)
                .bind(e.event_key)
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
    sqlx::query_as(
        "SELECT e.customer_row, e.event_key, e.event_type, e.occurred_at, e.channel, e.spend_cents, e.content_id, e.campaign_id
         FROM events e JOIN customers c ON c.row_key = e.customer_row
         WHERE c.organization_id = $1 AND c.id = $2
         ORDER BY e.occurred_at DESC, e.event_key LIMIT $3",
    )
    .bind(organization_id)
    .bind(customer_id)
    .bind(limit.unwrap_or(i64::MAX))
    .fetch_all(db)
    .await
}
