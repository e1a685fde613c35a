//! Writes a batch of ingested records — from a file, a webhook or a platform sync — into the
//! customer data model. Callers run it inside their batch's transaction.

use std::collections::{HashMap, HashSet};

use sqlx::AnyConnection;

use crate::db::campaign_performance::PerformanceRow;
use crate::db::events::NewEvent;
use crate::db::orders::OrderRow;
use crate::db::customers::CustomerKeys;
use crate::db::{campaign_performance, customers, events, orders};
use crate::ingest::{CustomerRecord, CustomerRef, Record};

/// Customer ids an import has already resolved, so its later batches skip the lookups (a file
/// of events names the same customers over and over). Entries count only once their batch has
/// committed: a rolled-back batch's new customers do not exist.
#[derive(Debug, Default)]
pub struct KnownCustomers {
    committed: HashMap<CustomerRef, CustomerKeys>,
    pending: Vec<(CustomerRef, CustomerKeys)>,
}

/// Past this many customers the cache starts over, so memory stays bounded on huge imports.
const KNOWN_CUSTOMERS_CAP: usize = 500_000;

impl KnownCustomers {
    /// The batch these resolutions came from has committed.
    pub fn commit(&mut self) {
        if self.committed.len() + self.pending.len() > KNOWN_CUSTOMERS_CAP {
            self.committed.clear();
        }
        self.committed.extend(self.pending.drain(..));
    }

    /// The batch failed; forget what it resolved.
    pub fn discard(&mut self) {
        self.pending.clear();
    }

    fn get(&self, who: &CustomerRef) -> Option<&CustomerKeys> {
        self.committed.get(who)
    }
}

/// Resolves the references not known yet and remembers them as pending.
async fn resolve(
    conn: &mut AnyConnection,
    organization_id: &str,
    refs: Vec<(CustomerRef, i64)>,
    now: i64,
    known: &mut KnownCustomers,
) -> sqlx::Result<customers::Resolved> {
    if refs.is_empty() {
        return Ok(customers::Resolved::default());
    }
    let resolved = customers::resolve(conn, organization_id, &refs, now).await?;
    known.pending.extend(resolved.ids.iter().map(|(r, id)| (r.clone(), id.clone())));
    Ok(resolved)
}

/// What a batch did. inserted + updated + unchanged = records written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl std::ops::AddAssign for WriteCounts {
    fn add_assign(&mut self, o: Self) {
        self.inserted += o.inserted;
        self.updated += o.updated;
        self.unchanged += o.unchanged;
    }
}

pub async fn write(conn: &mut AnyConnection, organization_id: &str, records: &[Record], now: i64) -> sqlx::Result<WriteCounts> {
    write_with(conn, organization_id, records, now, &mut KnownCustomers::default()).await
}

/// `write`, reusing and extending the customers an import resolved in its earlier batches.
pub async fn write_with(
    conn: &mut AnyConnection,
    organization_id: &str,
    records: &[Record],
    now: i64,
    known: &mut KnownCustomers,
) -> sqlx::Result<WriteCounts> {
    let (mut cs, mut os, mut es, mut ps) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for r in records {
        match r {
            Record::Customer(c) => cs.push(c),
            Record::Order(o) => os.push(o),
            Record::Event(e) => es.push(e),
            Record::Performance(p) => ps.push(p),
        }
    }
    let mut counts = WriteCounts::default();
    if !cs.is_empty() {
        counts += write_customers(conn, organization_id, &cs, now, known).await?;
    }
    if !os.is_empty() {
        let refs = os.iter().filter(|o| known.get(&o.who).is_none()).map(|o| (o.who.clone(), o.ordered_at)).collect();
        let ids = resolve(conn, organization_id, refs, now, known).await?.ids;
        let id_of = |who: &CustomerRef| known.get(who).unwrap_or_else(|| &ids[who]).id.clone();
        // Last one wins when a batch repeats an order.
        let mut rows: HashMap<(String, String), OrderRow> = HashMap::new();
        for o in &os {
            rows.insert(
                (o.platform.clone(), o.external_order_id.clone()),
                OrderRow {
                    id: super::new_id(),
                    organization_id: organization_id.to_string(),
                    customer_id: id_of(&o.who),
                    platform: o.platform.clone(),
                    external_order_id: o.external_order_id.clone(),
                    amount_cents: o.amount_cents,
                    currency: o.currency.clone(),
                    ordered_at: o.ordered_at,
                    imported_at: now,
                },
            );
        }
        let rows: Vec<OrderRow> = rows.into_values().collect();
        let (inserted, updated) = orders::upsert(conn, &rows).await?;
        counts += WriteCounts { inserted, updated, unchanged: os.len() as u64 - inserted - updated };
    }
    if !es.is_empty() {
        // One cache lookup per event: the row keys earlier batches resolved.
        let cached: Vec<Option<i64>> = es.iter().map(|e| known.get(&e.who).map(|k| k.row)).collect();
        let refs = es.iter().zip(&cached).filter(|(_, row)| row.is_none()).map(|(e, _)| (e.who.clone(), e.occurred_at)).collect();
        let ids = resolve(conn, organization_id, refs, now, known).await?.ids;
        let mut rows: Vec<NewEvent> = es
            .iter()
            .zip(cached)
            .map(|(e, row)| NewEvent { customer_row: row.unwrap_or_else(|| ids[&e.who].row), record: e })
            .collect();
        // Stable, so the first of a batch's repeated events is the one kept.
        rows.sort_by_key(NewEvent::key);
        rows.dedup_by_key(|e| e.key());
        let inserted = events::insert_new(conn, &rows).await?;
        counts += WriteCounts { inserted, updated: 0, unchanged: es.len() as u64 - inserted };
    }
    if !ps.is_empty() {
        let mut rows: HashMap<(String, String, String, String), PerformanceRow> = HashMap::new();
        for p in &ps {
            rows.insert(
                (p.platform.clone(), p.campaign_id.clone(), p.creative_id.clone(), p.day.clone()),
                PerformanceRow {
                    organization_id: organization_id.to_string(),
                    platform: p.platform.clone(),
                    campaign_id: p.campaign_id.clone(),
                    creative_id: p.creative_id.clone(),
                    day: p.day.clone(),
                    campaign_name: p.campaign_name.clone(),
                    creative_name: p.creative_name.clone(),
                    impressions: p.impressions,
                    clicks: p.clicks,
                    spend_cents: p.spend_cents,
                    conversions: p.conversions,
                    revenue_cents: p.revenue_cents,
                    reach: p.reach,
                    updated_at: now,
                },
            );
        }
        let rows: Vec<PerformanceRow> = rows.into_values().collect();
        let (inserted, updated) = campaign_performance::upsert(conn, &rows).await?;
        counts += WriteCounts { inserted, updated, unchanged: ps.len() as u64 - inserted - updated };
    }
    Ok(counts)
}

/// Customers: resolve (creating the new ones), then fill in the profile fields each record
/// brings; a field the record leaves empty keeps its stored value.
async fn write_customers(
    conn: &mut AnyConnection,
    organization_id: &str,
    records: &[&CustomerRecord],
    now: i64,
    known: &mut KnownCustomers,
) -> sqlx::Result<WriteCounts> {
    // Profiles are compared with their stored rows, so every customer is resolved here.
    let refs = records.iter().map(|c| (c.who.clone(), c.created_at.unwrap_or(now))).collect();
    let resolved = resolve(conn, organization_id, refs, now, known).await?;
    let ids: Vec<&str> = resolved.ids.values().map(|k| k.id.as_str()).collect::<HashSet<_>>().into_iter().collect();
    let mut stored: HashMap<String, customers::CustomerRow> =
        customers::find_many(conn, organization_id, &ids).await?.into_iter().map(|c| (c.id.clone(), c)).collect();
    let mut changed: HashSet<String> = HashSet::new();
    let mut consents = Vec::new();
    for r in records {
        let id = &resolved.ids[&r.who].id;
        let Some(row) = stored.get_mut(id) else { continue };
        let before = row.clone();
        if r.who.email.is_some() {
            row.email = r.who.email.clone();
        }
        for (field, value) in [(&mut row.name, &r.name), (&mut row.phone, &r.phone), (&mut row.company, &r.company)] {
            if value.is_some() {
                *field = value.clone();
            }
        }
        if !r.tags.is_empty() {
            let mut tags: Vec<String> = serde_json::from_str(&row.tags).unwrap_or_default();
            for t in &r.tags {
                if !tags.contains(t) {
                    tags.push(t.clone());
                }
            }
            row.tags = serde_json::to_string(&tags).unwrap_or_else(|_| "[]".into());
        }
        if let Some(created_at) = r.created_at {
            row.created_at = created_at;
        }
        if *row != before {
            changed.insert(id.clone());
        }
        consents.extend(r.consents.iter().map(|c| (id.as_str(), c)));
    }
    for id in &changed {
        let row = stored.get_mut(id).expect("changed rows are stored rows");
        row.updated_at = now;
        customers::update_profile(&mut *conn, row).await?;
    }
    if !consents.is_empty() {
        customers::upsert_consents(conn, organization_id, &consents, now).await?;
    }
    let inserted = records.iter().filter(|r| resolved.created.contains(&resolved.ids[&r.who].id)).count() as u64;
    let updated = records
        .iter()
        .filter(|r| {
            let id = &resolved.ids[&r.who].id;
            changed.contains(id) && !resolved.created.contains(id)
        })
        .count() as u64;
    Ok(WriteCounts { inserted, updated, unchanged: records.len() as u64 - inserted - updated })
}
