//! The organization's audit log (owner/admin).

use leptos::prelude::*;
use omnify::model::AuditLogPage;

use crate::error::AppError;

/// The most recent audit entries, newest first.
#[server(prefix = "/fn", endpoint = "recent_audit")]
pub async fn recent_audit(limit: i64) -> Result<AuditLogPage, AppError> {
    use crate::server::session::{run, Ctx};
    use omnify::model::AuditLogQuery;
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        let query = AuditLogQuery { limit: Some(limit.clamp(1, 100)), offset: None, action: None };
        omnify::services::audit::list(&ctx.core, &actor, query).await
    })
    .await
}
