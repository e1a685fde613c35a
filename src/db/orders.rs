//! Orders, deduplicated on (organization, platform, external order id).

use std::collections::HashSet;

use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::bulk;

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct OrderRow {
    pub id: String,
    pub organization_id: String,
    pub customer_id: String,
    pub platform: String,
    pub external_order_id: String,
    pub amount_cents: i64,
    pub currency: String,
    pub ordered_at: i64,
    pub imported_at: i64,
}

const COLUMNS: &str =
    "id, organization_id, customer_id, platform, external_order_id, amount_cents, currency, ordered_at, imported_at";

/// Inserts new orders and updates changed ones. Returns (inserted, updated); rows must be
/// unique on (platform, external_order_id) within the call.
pub async fn upsert(conn: &mut AnyConnection, rows: &[OrderRow]) -> sqlx::Result<(u64, u64)> {
    let (mut inserted, mut updated) = (0, 0);
    for chunk in rows.chunks(bulk::rows_per_statement(conn, 9)) {
        let existing = existing_keys(conn, chunk).await?;
        let new = chunk.iter().filter(|o| !existing.contains(&(o.platform.clone(), o.external_order_id.clone()))).count();
        let sql = format!(
            "INSERT INTO orders ({COLUMNS}) VALUES {}
             ON CONFLICT (organization_id, platform, external_order_id) DO UPDATE SET
               customer_id = excluded.customer_id, amount_cents = excluded.amount_cents,
               currency = excluded.currency, ordered_at = excluded.ordered_at, imported_at = excluded.imported_at
             WHERE orders.customer_id <> excluded.customer_id OR orders.amount_cents <> excluded.amount_cents
               OR orders.currency <> excluded.currency OR orders.ordered_at <> excluded.ordered_at",
            bulk::values(conn, chunk.len(), 9)
        );
        let mut q = sqlx::query(&sql);
        for o in chunk {
            q = q
                .bind(&o.id)
                .bind(&o.organization_id)
                .bind(&o.customer_id)
                .bind(&o.platform)
                .bind(&o.external_order_id)
                .bind(o.amount_cents)
                .bind(&o.currency)
                .bind(o.ordered_at)
                .bind(o.imported_at);
        }
        let affected = q.execute(&mut *conn).await?.rows_affected();
        inserted += new as u64;
        updated += affected.saturating_sub(new as u64);
    }
    Ok((inserted, updated))
}

async fn existing_keys(conn: &mut AnyConnection, chunk: &[OrderRow]) -> sqlx::Result<HashSet<(String, String)>> {
    let Some(first) = chunk.first() else { return Ok(HashSet::new()) };
    let sql = format!(
        "SELECT platform, external_order_id FROM orders WHERE organization_id = $1 AND external_order_id IN ({})",
        bulk::list(chunk.len(), 2)
    );
    let mut q = bulk::lookup::<(String, String)>(&sql).bind(&first.organization_id);
    for o in chunk {
        q = q.bind(&o.external_order_id);
    }
    Ok(q.fetch_all(&mut *conn).await?.into_iter().collect())
}

pub async fn for_customer<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    customer_id: &str,
) -> sqlx::Result<Vec<OrderRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM orders WHERE organization_id = $1 AND customer_id = $2 ORDER BY ordered_at DESC"
    ))
    .bind(organization_id)
    .bind(customer_id)
    .fetch_all(db)
    .await
}
