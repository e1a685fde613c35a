//! The guided setup.

use std::collections::BTreeMap;

use leptos::prelude::*;
use omnify::model::OnboardingState;

use crate::error::AppError;

#[server(prefix = "/fn", endpoint = "get_onboarding")]
pub async fn get_onboarding() -> Result<OnboardingState, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::onboarding::state(&ctx.core, &actor).await
    })
    .await
}

/// `fields` arrive from the step's form as `fields[name]=value`.
#[server(prefix = "/fn", endpoint = "save_onboarding_step")]
pub async fn save_onboarding_step(step: usize, #[server(default)] fields: BTreeMap<String, String>) -> Result<OnboardingState, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::onboarding::save_step(&ctx.core, &actor, step, fields).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "skip_onboarding_step")]
pub async fn skip_onboarding_step(step: usize) -> Result<OnboardingState, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::onboarding::skip_step(&ctx.core, &actor, step).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "go_to_onboarding_step")]
pub async fn go_to_onboarding_step(step: usize) -> Result<OnboardingState, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::onboarding::go_to(&ctx.core, &actor, step).await
    })
    .await
}

/// Ends the setup and lands on the dashboard.
#[server(prefix = "/fn", endpoint = "finish_onboarding")]
pub async fn finish_onboarding() -> Result<(), AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::onboarding::finish(&ctx.core, &actor).await?;
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

/// "Use sample data": fills the organization with the sample shop (2,000 customers).
#[server(prefix = "/fn", endpoint = "load_sample_data")]
pub async fn load_sample_data() -> Result<u64, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        let counts = omnify::services::sample_data::load(&ctx.core, &actor, 2_000, 42).await?;
        Ok(counts.inserted)
    })
    .await
}
