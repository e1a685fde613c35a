//! Customer events (the EYES input). An event belongs to its organization through its customer
//! (`customer_row` is the customer's row key) and is stored once per customer and event key.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::bulk;
use crate::ingest::EventRecord;

/// A stored event as read back.
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

/// An event to store: the row key of the customer it belongs to and the record as parsed.
#[derive(Clone, Copy, Debug)]
pub struct NewEvent<'a> {
    pub customer_row: i64,
    pub record: &'a EventRecord,
}

impl NewEvent<'_> {
    /// Its place in the events index.
    pub fn key(&self) -> (i64, i64) {
        (self.customer_row, self.record.event_key)
    }
}

/// Inserts the events not stored yet; returns how many were new. Events never change, so a
/// repeat is simply skipped. Rows in (customer_row, event_key) order land next to each other in
/// the index, which is what keeps a big import's commits small.
pub async fn insert_new(conn: &mut AnyConnection, rows: &[NewEvent<'_>]) -> sqlx::Result<u64> {
    let statement = |values: &str| {
        format!("INSERT INTO events ({COLUMNS}) VALUES {values} ON CONFLICT (customer_row, event_key) DO NOTHING")
    };
    bulk::insert_rows(conn, rows, 8, statement, |q, e| {
        let r = e.record;
        q.bind(e.customer_row)
            .bind(r.event_key)
            .bind(r.event_type.as_str())
            .bind(r.occurred_at)
            .bind(r.channel.as_deref())
            .bind(r.spend_cents)
            .bind(r.content_id.as_deref())
            .bind(r.campaign_id.as_deref())
    })
    .await
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
