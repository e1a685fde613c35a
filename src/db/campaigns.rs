//! Campaigns. EYES creates retention drafts aimed at a segment; campaign planning builds on them.

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
}

const COLUMNS: &str = "id, organization_id, name, objective, status, budget_cents, starts_on, ends_on, platforms, channel,
    target_segment, created_by, created_at, updated_at";

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, c: &CampaignRow) -> sqlx::Result<()> {
    sqlx::query(&format!("INSERT INTO campaigns ({COLUMNS}) VALUES ({})", bulk::list(14, 1)))
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
