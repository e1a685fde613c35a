use sqlx::{Any, Executor, FromRow};

#[derive(Clone, Debug, FromRow)]
pub struct AuditLogRow {
    pub id: String,
    pub organization_id: String,
    pub user_id: Option<String>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub outcome: String,
    pub details: String,
    pub created_at: i64,
}

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, a: &AuditLogRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_logs (id, organization_id, user_id, action, target_type, target_id, ip, user_agent, outcome, details, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&a.id)
    .bind(&a.organization_id)
    .bind(&a.user_id)
    .bind(&a.action)
    .bind(&a.target_type)
    .bind(&a.target_id)
    .bind(&a.ip)
    .bind(&a.user_agent)
    .bind(&a.outcome)
    .bind(&a.details)
    .bind(a.created_at)
    .execute(db)
    .await
    .map(|_| ())
}

/// Newest first; `action` filters exactly when given.
pub async fn list<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    action: Option<&str>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<AuditLogRow>> {
    sqlx::query_as(
        "SELECT id, organization_id, user_id, action, target_type, target_id, ip, user_agent, outcome, details, created_at
         FROM audit_logs
         WHERE organization_id = $1 AND ($2 IS NULL OR action = $2)
         ORDER BY created_at DESC, id DESC
         LIMIT $3 OFFSET $4",
    )
    .bind(organization_id)
    .bind(action)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

pub async fn count<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, action: Option<&str>) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_logs WHERE organization_id = $1 AND ($2 IS NULL OR action = $2)",
    )
    .bind(organization_id)
    .bind(action)
    .fetch_one(db)
    .await?;
    Ok(n)
}
