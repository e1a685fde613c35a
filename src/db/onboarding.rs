//! The onboarding wizard's stored progress.

use sqlx::{Any, Executor, FromRow};

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct OnboardingRow {
    pub organization_id: String,
    pub current_step: i64,
    /// JSON array of step statuses (todo, done, skipped), one per step.
    pub steps: String,
    /// JSON object: the answers of every step, by step key.
    pub answers: String,
    pub completed_at: Option<i64>,
    pub updated_at: i64,
}

pub async fn find<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str) -> sqlx::Result<Option<OnboardingRow>> {
    sqlx::query_as(
        "SELECT organization_id, current_step, steps, answers, completed_at, updated_at FROM onboarding WHERE organization_id = $1",
    )
    .bind(organization_id)
    .fetch_optional(db)
    .await
}

pub async fn save<'e>(db: impl Executor<'e, Database = Any>, r: &OnboardingRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO onboarding (organization_id, current_step, steps, answers, completed_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (organization_id) DO UPDATE SET current_step = excluded.current_step, steps = excluded.steps,
           answers = excluded.answers, completed_at = excluded.completed_at, updated_at = excluded.updated_at",
    )
    .bind(&r.organization_id)
    .bind(r.current_step)
    .bind(&r.steps)
    .bind(&r.answers)
    .bind(r.completed_at)
    .bind(r.updated_at)
    .execute(db)
    .await
    .map(|_| ())
}

/// Facts EYES needs, for the readiness checks: (customers, customers with an order, customers
/// with 2+ orders, events, days between the first and last order).
pub async fn readiness<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str) -> sqlx::Result<(i64, i64, i64, i64, i64)> {
    sqlx::query_as(
        "SELECT
           (SELECT COUNT(*) FROM customers WHERE organization_id = $1),
           (SELECT COUNT(*) FROM (SELECT customer_id FROM orders WHERE organization_id = $1 GROUP BY customer_id) o),
           (SELECT COUNT(*) FROM (SELECT customer_id FROM orders WHERE organization_id = $1 GROUP BY customer_id HAVING COUNT(*) >= 2) r),
           (SELECT COUNT(*) FROM events e JOIN customers c ON c.row_key = e.customer_row WHERE c.organization_id = $1),
           (SELECT CAST(COALESCE((MAX(ordered_at) - MIN(ordered_at)) / 86400, 0) AS BIGINT) FROM orders WHERE organization_id = $1)",
    )
    .bind(organization_id)
    .fetch_one(db)
    .await
}
