//! Aggregates for the dashboard: counts and sums over time windows, per organization.

use sqlx::{Any, Executor};

/// Customers in total, and created in [from, to).
pub async fn customers<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, from: i64, to: i64) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN created_at >= $2 AND created_at < $3 THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM customers WHERE organization_id = $1",
    )
    .bind(organization_id)
    .bind(from)
    .bind(to)
    .fetch_one(db)
    .await
}

/// Orders and revenue (cents) per day index (unix day) in [from, to).
pub async fn orders_by_day<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    from: i64,
    to: i64,
) -> sqlx::Result<Vec<(i64, i64, i64)>> {
    sqlx::query_as(
        "SELECT CAST(ordered_at / 86400 AS BIGINT) AS day, COUNT(*), CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT)
         FROM orders WHERE organization_id = $1 AND ordered_at >= $2 AND ordered_at < $3
         GROUP BY CAST(ordered_at / 86400 AS BIGINT) ORDER BY day",
    )
    .bind(organization_id)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}

/// Ad performance by platform over days in [from, to] (YYYY-MM-DD).
pub async fn performance_by_platform<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<(String, i64, i64, i64, i64, i64)>> {
    sqlx::query_as(
        "SELECT platform, CAST(SUM(impressions) AS BIGINT), CAST(SUM(clicks) AS BIGINT), CAST(SUM(spend_cents) AS BIGINT),
                CAST(SUM(conversions) AS BIGINT), CAST(SUM(revenue_cents) AS BIGINT)
         FROM campaign_performance WHERE organization_id = $1 AND day >= $2 AND day <= $3
         GROUP BY platform ORDER BY platform",
    )
    .bind(organization_id)
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}
