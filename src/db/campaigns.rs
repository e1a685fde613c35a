//! Campaigns: plans with an objective, budget, dates, platforms and an optional EYES segment,
//! and the latest AI strategy. EYES also creates retention drafts here.

use sqlx::{Any, Executor, FromRow};

use super::bulk;

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct CampaignRow {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub objective: String,
    pub status: String,
    pub budget_cents: i64,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    /// JSON array of platform names.
    pub platforms: String,
    pub channel: Option<String>,
    /// JSON: {run_id, segment, segment_id, name, size}.
    pub target_segment: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub description: Option<String>,
    /// JSON: the latest strategy (model::StrategyDto).
    pub strategy: Option<String>,
    pub strategy_at: Option<i64>,
}

const COLUMNS: &str = "id, organization_id, name, objective, status, budget_cents, starts_on, ends_on, platforms, channel,
    target_segment, created_by, created_at, updated_at, description, strategy, strategy_at";

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, c: &CampaignRow) -> sqlx::Result<()> {
    sqlx::query(&format!("INSERT INTO campaigns ({COLUMNS}) VALUES ({})", bulk::list(17, 1)))
        .bind(&c.id)
        .bind(&c.organization_id)
        .bind(&c.name)
        .bind(&c.objective)
        .bind(&c.status)
        .bind(c.budget_cents)
        .bind(&c.starts_on)
        .bind(&c.ends_on)
        .bind(&c.platforms)
        .bind(&c.channel)
        .bind(&c.target_segment)
        .bind(&c.created_by)
        .bind(c.created_at)
        .bind(c.updated_at)
        .bind(&c.description)
        .bind(&c.strategy)
        .bind(c.strategy_at)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn list<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str) -> sqlx::Result<Vec<CampaignRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM campaigns WHERE organization_id = $1 ORDER BY created_at DESC, id"))
        .bind(organization_id)
        .fetch_all(db)
        .await
}

pub async fn find<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, id: &str) -> sqlx::Result<Option<CampaignRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM campaigns WHERE organization_id = $1 AND id = $2"))
        .bind(organization_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Saves the editable plan fields (not the strategy).
pub async fn update<'e>(db: impl Executor<'e, Database = Any>, c: &CampaignRow) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE campaigns SET name = $1, objective = $2, status = $3, budget_cents = $4, starts_on = $5, ends_on = $6,
                platforms = $7, target_segment = $8, description = $9, updated_at = $10
          WHERE organization_id = $11 AND id = $12",
    )
    .bind(&c.name)
    .bind(&c.objective)
    .bind(&c.status)
    .bind(c.budget_cents)
    .bind(&c.starts_on)
    .bind(&c.ends_on)
    .bind(&c.platforms)
    .bind(&c.target_segment)
    .bind(&c.description)
    .bind(c.updated_at)
    .bind(&c.organization_id)
    .bind(&c.id)
    .execute(db)
    .await
    .map(|_| ())
}

pub async fn set_strategy<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, id: &str, strategy: &str, at: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE campaigns SET strategy = $1, strategy_at = $2, updated_at = $2 WHERE organization_id = $3 AND id = $4")
        .bind(strategy)
        .bind(at)
        .bind(organization_id)
        .bind(id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, id: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM campaigns WHERE organization_id = $1 AND id = $2").bind(organization_id).bind(id).execute(db).await?;
    Ok(done.rows_affected() == 1)
}
