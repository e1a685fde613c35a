//! The dashboard overview.

use leptos::prelude::*;
use omnify::model::DashboardOverview;

use crate::error::AppError;

#[server(prefix = "/fn", endpoint = "get_dashboard_overview")]
pub async fn get_dashboard_overview() -> Result<DashboardOverview, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::dashboard::overview(&ctx.core, &actor).await
    })
    .await
}
