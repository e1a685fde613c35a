//! Daily campaign (and creative) performance, one row per platform, campaign, creative and day.

use std::collections::HashSet;

use sqlx::{AnyConnection, FromRow};

use super::bulk;

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct PerformanceRow {
    pub organization_id: String,
    pub platform: String,
    pub campaign_id: String,
    pub creative_id: String,
    pub day: String,
    pub campaign_name: Option<String>,
    pub creative_name: Option<String>,
    pub impressions: i64,
    pub clicks: i64,
    pub spend_cents: i64,
    pub conversions: i64,
    pub revenue_cents: i64,
    /// People reached that day, when the platform reports it.
    pub reach: Option<i64>,
    pub updated_at: i64,
}

const COLUMNS: &str = "organization_id, platform, campaign_id, creative_id, day, campaign_name, creative_name,
    impressions, clicks, spend_cents, conversions, revenue_cents, reach, updated_at";

type Key = (String, String, String, String);

/// Inserts new days and replaces changed figures (platforms restate recent days). Returns
/// (inserted, updated); rows must be unique on their key within the call.
pub async fn upsert(conn: &mut AnyConnection, rows: &[PerformanceRow]) -> sqlx::Result<(u64, u64)> {
    let (mut inserted, mut updated) = (0, 0);
    for chunk in rows.chunks(bulk::rows_per_statement(conn, 14)) {
        let existing = existing_keys(conn, chunk).await?;
        let new = chunk.iter().filter(|r| !existing.contains(&key(r))).count() as u64;
        let sql = format!(
            "INSERT INTO campaign_performance ({COLUMNS}) VALUES {}
             ON CONFLICT (organization_id, platform, campaign_id, creative_id, day) DO UPDATE SET
               campaign_name = excluded.campaign_name, creative_name = excluded.creative_name,
               impressions = excluded.impressions, clicks = excluded.clicks, spend_cents = excluded.spend_cents,
               conversions = excluded.conversions, revenue_cents = excluded.revenue_cents, reach = excluded.reach,
               updated_at = excluded.updated_at
             WHERE campaign_performance.impressions <> excluded.impressions OR campaign_performance.clicks <> excluded.clicks
               OR campaign_performance.spend_cents <> excluded.spend_cents
               OR campaign_performance.conversions <> excluded.conversions
               OR campaign_performance.revenue_cents <> excluded.revenue_cents
               OR campaign_performance.reach IS DISTINCT FROM excluded.reach",
            bulk::values(conn, chunk.len(), 14)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(&r.organization_id)
                .bind(&r.platform)
                .bind(&r.campaign_id)
                .bind(&r.creative_id)
                .bind(&r.day)
                .bind(&r.campaign_name)
                .bind(&r.creative_name)
                .bind(r.impressions)
                .bind(r.clicks)
                .bind(r.spend_cents)
                .bind(r.conversions)
                .bind(r.revenue_cents)
                .bind(r.reach)
                .bind(r.updated_at);
        }
        let affected = q.execute(&mut *conn).await?.rows_affected();
        inserted += new;
        updated += affected.saturating_sub(new);
    }
    Ok((inserted, updated))
}

fn key(r: &PerformanceRow) -> Key {
    (r.platform.clone(), r.campaign_id.clone(), r.creative_id.clone(), r.day.clone())
}

async fn existing_keys(conn: &mut AnyConnection, chunk: &[PerformanceRow]) -> sqlx::Result<HashSet<Key>> {
    let Some(first) = chunk.first() else { return Ok(HashSet::new()) };
    let campaigns: Vec<&String> = chunk.iter().map(|r| &r.campaign_id).collect::<HashSet<_>>().into_iter().collect();
    let days: Vec<&String> = chunk.iter().map(|r| &r.day).collect::<HashSet<_>>().into_iter().collect();
    let sql = format!(
        "SELECT platform, campaign_id, creative_id, day FROM campaign_performance
         WHERE organization_id = $1 AND campaign_id IN ({}) AND day IN ({})",
        bulk::list(campaigns.len(), 2),
        bulk::list(days.len(), 2 + campaigns.len())
    );
    let mut q = bulk::lookup::<Key>(&sql).bind(&first.organization_id);
    for c in &campaigns {
        q = q.bind(*c);
    }
    for d in &days {
        q = q.bind(*d);
    }
    Ok(q.fetch_all(&mut *conn).await?.into_iter().collect())
}

/// Every row from `since_day` on (YYYY-MM-DD), oldest first: the Brain engines' input.
pub async fn since<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    organization_id: &str,
    since_day: &str,
) -> sqlx::Result<Vec<PerformanceRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM campaign_performance WHERE organization_id = $1 AND day >= $2
          ORDER BY day, platform, campaign_id, creative_id LIMIT 200000"
    ))
    .bind(organization_id)
    .bind(since_day)
    .fetch_all(db)
    .await
}
