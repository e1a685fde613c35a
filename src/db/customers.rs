//! Customers, their platform identities and consents. `resolve` maps the customer references of
//! a batch to customer ids in a few set-based queries, creating the customers it has not seen.

use std::collections::{HashMap, HashSet};

use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::bulk;
use crate::ingest::{ConsentRecord, CustomerRef};

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct CustomerRow {
    pub row_key: i64,
    pub id: String,
    pub organization_id: String,
    pub customer_key: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub tags: String,
    pub created_at: i64,
    pub imported_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str =
    "row_key, id, organization_id, customer_key, email, name, phone, company, tags, created_at, imported_at, updated_at";

/// A customer's two keys: the id the API shows, and the compact row key its events reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerKeys {
    pub id: String,
    pub row: i64,
}

/// The row key of a customer created now: a hash of its (random) id, so concurrent imports need
/// no shared counter. Customers from before row keys were numbered 1..n by the migration.
fn new_row_key(id: &str) -> i64 {
    crate::ingest::records::key_of(&["customer-row", id])
}

/// A customer `resolve` is about to create.
struct NewCustomer<'a> {
    row_key: i64,
    id: String,
    customer_key: String,
    email: Option<&'a str>,
    created_at: i64,
}

/// The result of resolving a batch's references.
#[derive(Debug, Default)]
pub struct Resolved {
    pub ids: HashMap<CustomerRef, CustomerKeys>,
    /// Customers this call created.
    pub created: HashSet<String>,
}

/// Finds or creates the customer of every reference: by platform id first, then by the merge
/// key (email). `first_seen` gives a new customer's created_at (the earliest time the batch
/// saw them). Safe against concurrent imports: inserts ignore conflicts and re-read.
pub async fn resolve(
    conn: &mut AnyConnection,
    organization_id: &str,
    refs: &[(CustomerRef, i64)],
    now: i64,
) -> sqlx::Result<Resolved> {
    let mut out = Resolved::default();
    let mut first_seen: HashMap<&CustomerRef, i64> = HashMap::new();
    for (r, t) in refs {
        first_seen.entry(r).and_modify(|s| *s = (*s).min(*t)).or_insert(*t);
    }
    let unique: Vec<&CustomerRef> = first_seen.keys().copied().collect();

    // 1. Platform identities.
    let mut by_platform: HashMap<&str, Vec<&str>> = HashMap::new();
    for r in &unique {
        if let Some(id) = &r.external_id {
            by_platform.entry(r.platform.as_str()).or_default().push(id);
        }
    }
    let mut identity_hits: HashMap<(String, String), CustomerKeys> = HashMap::new();
    for (platform, ids) in &by_platform {
        for chunk in ids.chunks(bulk::IN_LIST) {
            let sql = format!(
                "SELECT i.external_id, c.id, c.row_key FROM customer_identities i JOIN customers c ON c.id = i.customer_id
                 WHERE i.organization_id = $1 AND i.platform = $2 AND i.external_id IN ({})",
                bulk::list(chunk.len(), 3)
            );
            let mut q = bulk::lookup::<(String, String, i64)>(&sql).bind(organization_id).bind(*platform);
            for id in chunk {
                q = q.bind(*id);
            }
            for (external_id, id, row) in q.fetch_all(&mut *conn).await? {
                identity_hits.insert((platform.to_string(), external_id), CustomerKeys { id, row });
            }
        }
    }
    let mut missing: Vec<&CustomerRef> = Vec::new();
    for r in &unique {
        let hit = r.external_id.as_ref().and_then(|id| identity_hits.get(&(r.platform.clone(), id.clone())));
        match hit {
            Some(keys) => {
                out.ids.insert((*r).clone(), keys.clone());
            }
            None => missing.push(r),
        }
    }
    if missing.is_empty() {
        return Ok(out);
    }

    // 2. Merge keys; 3. create what is still missing, then read the ids back.
    let keys: Vec<String> = missing.iter().map(|r| r.customer_key()).collect::<HashSet<_>>().into_iter().collect();
    let mut by_key = ids_by_key(conn, organization_id, &keys).await?;
    let new: Vec<&&CustomerRef> = {
        let mut seen = HashSet::new();
        missing.iter().filter(|r| !by_key.contains_key(&r.customer_key()) && seen.insert(r.customer_key())).collect()
    };
    if !new.is_empty() {
        let rows: Vec<NewCustomer> = new
            .iter()
            .map(|r| {
                let id = crate::services::new_id();
                NewCustomer { row_key: new_row_key(&id), id, customer_key: r.customer_key(), email: r.email.as_deref(), created_at: first_seen[**r].min(now) }
            })
            .collect();
        let statement = |values: &str| {
            format!("INSERT INTO customers ({COLUMNS}) VALUES {values} ON CONFLICT (organization_id, customer_key) DO NOTHING")
        };
        let landed = bulk::insert_rows(conn, &rows, 12, statement, |q, c| {
            q.bind(c.row_key)
                .bind(c.id.as_str())
                .bind(organization_id)
                .bind(c.customer_key.as_str())
                .bind(c.email)
                .bind(None::<&str>)
                .bind(None::<&str>)
                .bind(None::<&str>)
                .bind("[]")
                .bind(c.created_at)
                .bind(now)
                .bind(now)
        })
        .await?;
        if landed == rows.len() as u64 {
            for c in rows {
                by_key.insert(c.customer_key, CustomerKeys { id: c.id.clone(), row: c.row_key });
                out.created.insert(c.id);
            }
        } else {
            // A concurrent import created some of them first: read back whose ids won.
            let new_keys: Vec<String> = rows.iter().map(|c| c.customer_key.clone()).collect();
            by_key.extend(ids_by_key(conn, organization_id, &new_keys).await?);
            let won: HashSet<&String> = by_key.values().map(|k| &k.id).collect();
            out.created.extend(rows.iter().filter(|c| won.contains(&c.id)).map(|c| c.id.clone()));
        }
    }

    let mut identities: Vec<(&str, &str, &str)> = Vec::new();
    for r in &missing {
        let Some(keys) = by_key.get(&r.customer_key()) else { continue };
        out.ids.insert((**r).clone(), keys.clone());
        if let Some(external_id) = &r.external_id {
            identities.push((r.platform.as_str(), external_id.as_str(), keys.id.as_str()));
        }
    }
    let statement = |values: &str| {
        format!(
            "INSERT INTO customer_identities (organization_id, platform, external_id, customer_id, created_at)
             VALUES {values} ON CONFLICT (organization_id, platform, external_id) DO NOTHING"
        )
    };
    bulk::insert_rows(conn, &identities, 5, statement, |q, (platform, external_id, customer_id)| {
        q.bind(organization_id).bind(*platform).bind(*external_id).bind(*customer_id).bind(now)
    })
    .await?;
    Ok(out)
}

async fn ids_by_key(conn: &mut AnyConnection, organization_id: &str, keys: &[String]) -> sqlx::Result<HashMap<String, CustomerKeys>> {
    let mut out = HashMap::new();
    for chunk in keys.chunks(bulk::IN_LIST) {
        let sql = format!(
            "SELECT customer_key, id, row_key FROM customers WHERE organization_id = $1 AND customer_key IN ({})",
            bulk::list(chunk.len(), 2)
        );
        let mut q = bulk::lookup::<(String, String, i64)>(&sql).bind(organization_id);
        for k in chunk {
            q = q.bind(k);
        }
        out.extend(q.fetch_all(&mut *conn).await?.into_iter().map(|(key, id, row)| (key, CustomerKeys { id, row })));
    }
    Ok(out)
}

pub async fn find_many(conn: &mut AnyConnection, organization_id: &str, ids: &[&str]) -> sqlx::Result<Vec<CustomerRow>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(bulk::IN_LIST) {
        let sql = format!(
            "SELECT {COLUMNS} FROM customers WHERE organization_id = $1 AND id IN ({})",
            bulk::list(chunk.len(), 2)
        );
        let mut q = bulk::lookup::<CustomerRow>(&sql).bind(organization_id);
        for id in chunk {
            q = q.bind(*id);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

pub async fn update_profile<'e>(db: impl Executor<'e, Database = Any>, c: &CustomerRow) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE customers SET email = $1, name = $2, phone = $3, company = $4, tags = $5, created_at = $6, updated_at = $7
         WHERE id = $8 AND organization_id = $9",
    )
    .bind(&c.email)
    .bind(&c.name)
    .bind(&c.phone)
    .bind(&c.company)
    .bind(&c.tags)
    .bind(c.created_at)
    .bind(c.updated_at)
    .bind(&c.id)
    .bind(&c.organization_id)
    .execute(db)
    .await
    .map(|_| ())
}

/// Records consents (one row per customer and purpose; the newest statement wins).
pub async fn upsert_consents(
    conn: &mut AnyConnection,
    organization_id: &str,
    consents: &[(&str, &ConsentRecord)],
    now: i64,
) -> sqlx::Result<()> {
    let statement = |values: &str| {
        format!(
            "INSERT INTO customer_consents (organization_id, customer_id, purpose, granted, source, recorded_at, expires_at)
             VALUES {values} ON CONFLICT (customer_id, purpose) DO UPDATE SET granted = excluded.granted,
             source = excluded.source, recorded_at = excluded.recorded_at, expires_at = excluded.expires_at"
        )
    };
    bulk::insert_rows(conn, consents, 7, statement, |q, (customer_id, c)| {
        q.bind(organization_id)
            .bind(*customer_id)
            .bind(c.purpose.as_str())
            .bind(i64::from(c.granted))
            .bind(c.source.as_str())
            .bind(now)
            .bind(c.expires_at)
    })
    .await?;
    Ok(())
}

/// A customer in a list, with order totals.
#[derive(Clone, Debug, FromRow)]
pub struct CustomerListRow {
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub company: Option<String>,
    pub tags: String,
    pub created_at: i64,
    pub orders: i64,
    pub revenue_cents: i64,
    pub last_order_at: Option<i64>,
}

/// `LIKE` pattern for a free-text search (wildcards in the text are matched literally).
fn like_pattern(q: &str) -> String {
    let escaped = q.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

const SEARCH: &str = "organization_id = $1 AND ($2 = '' OR email LIKE $3 ESCAPE '\\'
    OR LOWER(name) LIKE $3 ESCAPE '\\' OR LOWER(company) LIKE $3 ESCAPE '\\' OR LOWER(phone) LIKE $3 ESCAPE '\\')";

/// Newest customers first, filtered by a search over email, name, company and phone.
pub async fn search(
    conn: &mut AnyConnection,
    organization_id: &str,
    q: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<CustomerListRow>, i64)> {
    let pattern = like_pattern(q);
    let (total,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM customers WHERE {SEARCH}"))
        .bind(organization_id)
        .bind(q.trim())
        .bind(&pattern)
        .fetch_one(&mut *conn)
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT c.id, c.email, c.name, c.company, c.tags, c.created_at,
           (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) AS orders,
           (SELECT CAST(COALESCE(SUM(o.amount_cents), 0) AS BIGINT) FROM orders o WHERE o.customer_id = c.id) AS revenue_cents,
           (SELECT MAX(o.ordered_at) FROM orders o WHERE o.customer_id = c.id) AS last_order_at
         FROM (SELECT * FROM customers WHERE {SEARCH} ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5) c
         ORDER BY c.created_at DESC, c.id DESC"
    ))
    .bind(organization_id)
    .bind(q.trim())
    .bind(&pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    Ok((rows, total))
}

pub async fn find<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, id: &str) -> sqlx::Result<Option<CustomerRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM customers WHERE organization_id = $1 AND id = $2"))
        .bind(organization_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn identities<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    customer_id: &str,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT platform, external_id FROM customer_identities WHERE organization_id = $1 AND customer_id = $2
         ORDER BY platform, external_id",
    )
    .bind(organization_id)
    .bind(customer_id)
    .fetch_all(db)
    .await
}

#[derive(Clone, Debug, FromRow)]
pub struct ConsentRow {
    pub purpose: String,
    pub granted: i64,
    pub source: String,
    pub recorded_at: i64,
    pub expires_at: Option<i64>,
}

pub async fn consents<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    customer_id: &str,
) -> sqlx::Result<Vec<ConsentRow>> {
    sqlx::query_as(
        "SELECT purpose, granted, source, recorded_at, expires_at FROM customer_consents
         WHERE organization_id = $1 AND customer_id = $2 ORDER BY purpose",
    )
    .bind(organization_id)
    .bind(customer_id)
    .fetch_all(db)
    .await
}

/// (orders, revenue in cents, events) of one customer.
pub async fn totals(conn: &mut AnyConnection, organization_id: &str, customer_id: &str) -> sqlx::Result<(i64, i64, i64)> {
    let (orders, revenue): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM orders WHERE organization_id = $1 AND customer_id = $2",
    )
    .bind(organization_id)
    .bind(customer_id)
    .fetch_one(&mut *conn)
    .await?;
    let (events,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM events e JOIN customers c ON c.row_key = e.customer_row WHERE c.organization_id = $1 AND c.id = $2",
    )
        .bind(organization_id)
        .bind(customer_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok((orders, revenue, events))
}

/// Erases a customer and, by cascade, their identities, consents, orders and events.
pub async fn delete<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, id: &str) -> sqlx::Result<bool> {
    sqlx::query("DELETE FROM customers WHERE organization_id = $1 AND id = $2")
        .bind(organization_id)
        .bind(id)
        .execute(db)
        .await
        .map(|r| r.rows_affected() == 1)
}
