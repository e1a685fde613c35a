//! The AI ledger: one row per AI call, daily spend with in-flight reservations, and each
//! organization's budget override.

use sqlx::{Any, Executor, FromRow};

use super::bulk;

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct AiCallRow {
    pub id: String,
    pub organization_id: String,
    pub user_id: Option<String>,
    pub feature: String,
    pub provider: String,
    pub model: String,
    pub tokens_in: i64,
    pub tokens_out: i64,
    pub cost_micros: i64,
    pub latency_ms: i64,
    pub attempts: i64,
    pub outcome: String,
    pub error: Option<String>,
    pub day: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, organization_id, user_id, feature, provider, model, tokens_in, tokens_out, cost_micros,
    latency_ms, attempts, outcome, error, day, created_at";

pub async fn insert_call<'e>(db: impl Executor<'e, Database = Any>, c: &AiCallRow) -> sqlx::Result<()> {
    sqlx::query(&format!("INSERT INTO ai_calls ({COLUMNS}) VALUES ({})", bulk::list(15, 1)))
        .bind(&c.id)
        .bind(&c.organization_id)
        .bind(&c.user_id)
        .bind(&c.feature)
        .bind(&c.provider)
        .bind(&c.model)
        .bind(c.tokens_in)
        .bind(c.tokens_out)
        .bind(c.cost_micros)
        .bind(c.latency_ms)
        .bind(c.attempts)
        .bind(&c.outcome)
        .bind(&c.error)
        .bind(&c.day)
        .bind(c.created_at)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn list_calls<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<AiCallRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM ai_calls WHERE organization_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(organization_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

pub async fn count_calls<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM ai_calls WHERE organization_id = $1").bind(organization_id).fetch_one(db).await
}

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct DailyTotalRow {
    pub day: String,
    pub calls: i64,
    pub failed: i64,
    pub tokens_in: i64,
    pub tokens_out: i64,
    pub cost_micros: i64,
}

/// Totals per day from `since_day` (inclusive), oldest first.
pub async fn daily_totals<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, since_day: &str) -> sqlx::Result<Vec<DailyTotalRow>> {
    sqlx::query_as(
        // PostgreSQL sums BIGINT as NUMERIC, which the Any driver cannot read as i64.
        "SELECT day, COUNT(*) AS calls,
                CAST(SUM(CASE WHEN outcome IN ('ok', 'repaired') THEN 0 ELSE 1 END) AS BIGINT) AS failed,
                CAST(SUM(tokens_in) AS BIGINT) AS tokens_in, CAST(SUM(tokens_out) AS BIGINT) AS tokens_out,
                CAST(SUM(cost_micros) AS BIGINT) AS cost_micros
           FROM ai_calls WHERE organization_id = $1 AND day >= $2
          GROUP BY day ORDER BY day",
    )
    .bind(organization_id)
    .bind(since_day)
    .fetch_all(db)
    .await
}

/// Reserves `amount` of today's budget for a call about to run. One statement (insert today's
/// row or add to it, only while it fits), so two calls racing for the last of the budget cannot
/// both win, and a call costs one round trip here. False when it would not fit.
pub async fn reserve<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, day: &str, amount: i64, budget: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO ai_daily_spend (organization_id, day, spent_micros, reserved_micros)
         SELECT $1, $2, 0, $3 WHERE $3 <= $4
         ON CONFLICT (organization_id, day) DO UPDATE SET reserved_micros = ai_daily_spend.reserved_micros + excluded.reserved_micros
          WHERE ai_daily_spend.spent_micros + ai_daily_spend.reserved_micros + excluded.reserved_micros <= $4",
    )
    .bind(organization_id)
    .bind(day)
    .bind(amount)
    .bind(budget)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Turns a reservation into actual spend (which may be less, or — when a provider reports more
/// tokens than estimated — a little more).
pub async fn settle<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, day: &str, reserved: i64, spent: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE ai_daily_spend SET reserved_micros = reserved_micros - $1, spent_micros = spent_micros + $2
          WHERE organization_id = $3 AND day = $4",
    )
    .bind(reserved)
    .bind(spent)
    .bind(organization_id)
    .bind(day)
    .execute(db)
    .await
    .map(|_| ())
}

/// (spent, reserved) for one day.
pub async fn spend<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, day: &str) -> sqlx::Result<(i64, i64)> {
    Ok(sqlx::query_as("SELECT spent_micros, reserved_micros FROM ai_daily_spend WHERE organization_id = $1 AND day = $2")
        .bind(organization_id)
        .bind(day)
        .fetch_optional(db)
        .await?
        .unwrap_or((0, 0)))
}

pub async fn budget_override<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT ai_daily_budget_micros FROM organizations WHERE id = $1").bind(organization_id).fetch_one(db).await
}

pub async fn set_budget_override<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, micros: Option<i64>) -> sqlx::Result<()> {
    sqlx::query("UPDATE organizations SET ai_daily_budget_micros = $1 WHERE id = $2")
        .bind(micros)
        .bind(organization_id)
        .execute(db)
        .await
        .map(|_| ())
}
