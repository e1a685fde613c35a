//! EYES storage: reading an organization's histories for an analysis, the runs with their
//! reports, and each customer's scores in a run.

use std::collections::HashMap;

use futures_util::TryStreamExt;
use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::bulk;
use crate::eyes::history::{CustomerHistory, Event, Order, Vocabulary};

/// Every customer of the organization with their orders and events up to `until`, sorted by
/// customer id, then by time. Streams the rows, so only the compact histories sit in memory.
pub async fn load_histories(
    conn: &mut AnyConnection,
    organization_id: &str,
    until: i64,
) -> sqlx::Result<(Vec<CustomerHistory>, Vocabulary)> {
    let mut histories = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Events name their customer by row key.
    let mut index_by_row: HashMap<i64, usize> = HashMap::new();
    {
        let mut rows = sqlx::query_as::<_, (String, i64, i64)>(
            "SELECT id, row_key, created_at FROM customers WHERE organization_id = $1 ORDER BY id",
        )
        .bind(organization_id)
        .fetch(&mut *conn);
        while let Some((id, row_key, created_at)) = rows.try_next().await? {
            index_by_row.insert(row_key, histories.len());
            index.insert(id.clone(), histories.len());
            histories.push(CustomerHistory { customer_id: id, created_at, ..Default::default() });
        }
    }
    {
        let mut rows = sqlx::query_as::<_, (String, i64, i64)>(
            "SELECT customer_id, ordered_at, amount_cents FROM orders
             WHERE organization_id = $1 AND ordered_at <= $2",
        )
        .bind(organization_id)
        .bind(until)
        .fetch(&mut *conn);
        while let Some((customer_id, at, amount_cents)) = rows.try_next().await? {
            if let Some(&i) = index.get(&customer_id) {
                histories[i].orders.push(Order { at, amount_cents });
            }
        }
    }
    let mut vocabulary = Vocabulary::default();
    {
        type EventTuple = (i64, i64, String, Option<String>, Option<i64>, Option<String>, Option<String>);
        let mut rows = sqlx::query_as::<_, EventTuple>(
            "SELECT e.customer_row, e.occurred_at, e.event_type, e.channel, e.spend_cents, e.content_id, e.campaign_id
             FROM events e JOIN customers c ON c.row_key = e.customer_row
             WHERE c.organization_id = $1 AND e.occurred_at <= $2",
        )
        .bind(organization_id)
        .bind(until)
        .fetch(&mut *conn);
        while let Some((customer_row, at, event_type, channel, spend_cents, content, campaign)) = rows.try_next().await? {
            let Some(&i) = index_by_row.get(&customer_row) else { continue };
            let event = Event {
                at,
                event_type: vocabulary.event_types.intern(&event_type),
                channel: channel.map(|c| vocabulary.channels.intern(&c)),
                spend_cents,
                content: content.map(|c| vocabulary.contents.intern(&c)),
                campaign: campaign.map(|c| vocabulary.campaigns.intern(&c)),
            };
            histories[i].events.push(event);
        }
    }
    for h in &mut histories {
        h.orders.sort_by_key(|o| (o.at, o.amount_cents));
        h.events.sort_by_key(|e| (e.at, e.event_type));
    }
    Ok((histories, vocabulary))
}

/// Customers + orders + events: grows whenever new data land.
pub async fn data_version<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM customers WHERE organization_id = $1)
              + (SELECT COUNT(*) FROM orders WHERE organization_id = $1)
              + (SELECT COUNT(*) FROM events e JOIN customers c ON c.row_key = e.customer_row WHERE c.organization_id = $1)",
    )
    .bind(organization_id)
    .fetch_one(db)
    .await
}

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct RunRow {
    pub id: String,
    pub organization_id: String,
    pub status: String,
    pub cutoff: i64,
    pub seed: i64,
    pub customers: i64,
    pub data_version: i64,
    pub structure_found: i64,
    pub algorithm: Option<String>,
    pub silhouette: Option<f64>,
    pub baseline_silhouette: Option<f64>,
    pub auc_30d: Option<f64>,
    pub auc_60d: Option<f64>,
    pub auc_90d: Option<f64>,
    pub report: Option<String>,
    pub error: Option<String>,
    pub started_at: i64,
    pub finished_at: Option<i64>,
}

const RUN_COLUMNS: &str = "id, organization_id, status, cutoff, seed, customers, data_version, structure_found, algorithm,
    silhouette, baseline_silhouette, auc_30d, auc_60d, auc_90d, report, error, started_at, finished_at";

pub async fn insert_run<'e>(db: impl Executor<'e, Database = Any>, r: &RunRow) -> sqlx::Result<()> {
    sqlx::query(&format!("INSERT INTO eyes_runs ({RUN_COLUMNS}) VALUES ({})", bulk::list(18, 1)))
        .bind(&r.id)
        .bind(&r.organization_id)
        .bind(&r.status)
        .bind(r.cutoff)
        .bind(r.seed)
        .bind(r.customers)
        .bind(r.data_version)
        .bind(r.structure_found)
        .bind(&r.algorithm)
        .bind(r.silhouette)
        .bind(r.baseline_silhouette)
        .bind(r.auc_30d)
        .bind(r.auc_60d)
        .bind(r.auc_90d)
        .bind(&r.report)
        .bind(&r.error)
        .bind(r.started_at)
        .bind(r.finished_at)
        .execute(db)
        .await
        .map(|_| ())
}

/// Records a finished run's outcome (completed with its figures, or failed with its error).
pub async fn finish_run<'e>(db: impl Executor<'e, Database = Any>, r: &RunRow) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE eyes_runs SET status = $1, customers = $2, structure_found = $3, algorithm = $4, silhouette = $5,
           baseline_silhouette = $6, auc_30d = $7, auc_60d = $8, auc_90d = $9, report = $10, error = $11, finished_at = $12
         WHERE id = $13 AND organization_id = $14",
    )
    .bind(&r.status)
    .bind(r.customers)
    .bind(r.structure_found)
    .bind(&r.algorithm)
    .bind(r.silhouette)
    .bind(r.baseline_silhouette)
    .bind(r.auc_30d)
    .bind(r.auc_60d)
    .bind(r.auc_90d)
    .bind(&r.report)
    .bind(&r.error)
    .bind(r.finished_at)
    .bind(&r.id)
    .bind(&r.organization_id)
    .execute(db)
    .await
    .map(|_| ())
}

/// The newest completed run.
pub async fn latest_run<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str) -> sqlx::Result<Option<RunRow>> {
    sqlx::query_as(&format!(
        "SELECT {RUN_COLUMNS} FROM eyes_runs WHERE organization_id = $1 AND status = 'completed'
         ORDER BY started_at DESC, id DESC LIMIT 1"
    ))
    .bind(organization_id)
    .fetch_optional(db)
    .await
}

/// Runs newest first, without their reports (for the history chart).
pub async fn runs<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, limit: i64) -> sqlx::Result<Vec<RunRow>> {
    sqlx::query_as(&format!(
        "SELECT {} FROM eyes_runs WHERE organization_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2",
        RUN_COLUMNS.replace("report,", "NULL AS report,")
    ))
    .bind(organization_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Older completed runs' scores are dropped once a newer run lands; their summaries stay.
pub async fn prune_scores<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, keep_run: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM eyes_customer_scores WHERE organization_id = $1 AND run_id <> $2")
        .bind(organization_id)
        .bind(keep_run)
        .execute(db)
        .await
        .map(|_| ())
}

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct ScoreRow {
    pub organization_id: String,
    pub run_id: String,
    pub customer_id: String,
    pub segment: Option<i64>,
    pub churn_30d: f64,
    pub churn_60d: f64,
    pub churn_90d: f64,
    pub reasons: String,
    pub p_alive: f64,
    pub expected_purchases_90d: f64,
    pub clv_cents: i64,
    pub features: String,
}

const SCORE_COLUMNS: &str = "organization_id, run_id, customer_id, segment, churn_30d, churn_60d, churn_90d, reasons,
    p_alive, expected_purchases_90d, clv_cents, features";

pub async fn insert_scores(conn: &mut AnyConnection, rows: &[ScoreRow]) -> sqlx::Result<()> {
    let statement = |values: &str| format!("INSERT INTO eyes_customer_scores ({SCORE_COLUMNS}) VALUES {values}");
    bulk::insert_rows(conn, rows, 12, statement, |q, s| {
        q.bind(&s.organization_id)
            .bind(&s.run_id)
            .bind(&s.customer_id)
            .bind(s.segment)
            .bind(s.churn_30d)
            .bind(s.churn_60d)
            .bind(s.churn_90d)
            .bind(&s.reasons)
            .bind(s.p_alive)
            .bind(s.expected_purchases_90d)
            .bind(s.clv_cents)
            .bind(&s.features)
    })
    .await?;
    Ok(())
}

/// A segment's customers, riskiest first (by the 30-day score), a page at a time.
pub async fn segment_customers<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    run_id: &str,
    segment: i64,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<(ScoreRow, Option<String>, Option<String>)>> {
    let rows: Vec<ScoreRowWithName> = sqlx::query_as(&format!(
        "SELECT {}, c.name, c.email FROM eyes_customer_scores s JOIN customers c ON c.id = s.customer_id
         WHERE s.organization_id = $1 AND s.run_id = $2 AND s.segment = $3 AND c.organization_id = $1
         ORDER BY s.churn_30d DESC, s.customer_id LIMIT $4 OFFSET $5",
        prefixed_score_columns()
    ))
    .bind(organization_id)
    .bind(run_id)
    .bind(segment)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.score, r.name, r.email)).collect())
}

/// One customer's scores in a run.
pub async fn customer_score<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    run_id: &str,
    customer_id: &str,
) -> sqlx::Result<Option<ScoreRow>> {
    sqlx::query_as(&format!(
        "SELECT {SCORE_COLUMNS} FROM eyes_customer_scores WHERE organization_id = $1 AND run_id = $2 AND customer_id = $3"
    ))
    .bind(organization_id)
    .bind(run_id)
    .bind(customer_id)
    .fetch_optional(db)
    .await
}

#[derive(FromRow)]
struct ScoreRowWithName {
    #[sqlx(flatten)]
    score: ScoreRow,
    name: Option<String>,
    email: Option<String>,
}

fn prefixed_score_columns() -> String {
    SCORE_COLUMNS.split(',').map(|c| format!("s.{}", c.trim())).collect::<Vec<_>>().join(", ")
}

/// The newest order or event time of the organization, if it has any.
pub async fn latest_activity<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT MAX(t) FROM (
           SELECT MAX(ordered_at) AS t FROM orders WHERE organization_id = $1
           UNION ALL SELECT MAX(e.occurred_at) AS t FROM events e JOIN customers c ON c.row_key = e.customer_row
                     WHERE c.organization_id = $1
         ) latest",
    )
    .bind(organization_id)
    .fetch_one(db)
    .await
}

/// Marks the organization's running analyses failed (their job failed or was abandoned).
pub async fn fail_running<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, error: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE eyes_runs SET status = 'failed', error = $1, finished_at = $2 WHERE organization_id = $3 AND status = 'running'")
        .bind(error)
        .bind(now)
        .bind(organization_id)
        .execute(db)
        .await
        .map(|_| ())
}

/// Names of a few customers (segment sample members), by id.
pub async fn customer_names<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    ids: &[String],
) -> sqlx::Result<Vec<(String, Option<String>)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = &ids[..ids.len().min(bulk::IN_LIST)];
    let sql = format!(
        "SELECT id, COALESCE(name, email) FROM customers WHERE organization_id = $1 AND id IN ({})",
        bulk::list(ids.len(), 2)
    );
    let mut q = bulk::lookup::<(String, Option<String>)>(&sql).bind(organization_id);
    for id in ids {
        q = q.bind(id);
    }
    q.fetch_all(db).await
}

/// Customers per tenth of churn risk for one horizon (0 = 30 days, 1 = 60, 2 = 90) in a run;
/// unscored customers (stored as -1) are left out.
pub async fn risk_histogram<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    run_id: &str,
    horizon: usize,
) -> sqlx::Result<Vec<u64>> {
    let column = ["churn_30d", "churn_60d", "churn_90d"][horizon.min(2)];
    let rows: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT CAST({column} * 10 AS BIGINT) AS band, COUNT(*) FROM eyes_customer_scores
         WHERE organization_id = $1 AND run_id = $2 AND {column} >= 0 GROUP BY band"
    ))
    .bind(organization_id)
    .bind(run_id)
    .fetch_all(db)
    .await?;
    let mut out = vec![0u64; 10];
    for (band, n) in rows {
        out[band.clamp(0, 9) as usize] += n as u64;
    }
    Ok(out)
}
