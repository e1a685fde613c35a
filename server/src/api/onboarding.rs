//! The guided setup over the API (the UI uses the same services through server functions).

use std::collections::BTreeMap;

use axum::extract::State;
use axum::Json;
use omnify::model::OnboardingState;
use omnify::services::{onboarding, sample_data};
use serde::Deserialize;

use super::ApiResult;
use crate::extract::{ApiJson, ApiPath, CurrentActor};
use crate::state::AppState;

pub async fn state(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<Json<OnboardingState>> {
    Ok(Json(onboarding::state(&state.core, &actor).await?))
}

pub async fn save_step(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(step): ApiPath<usize>,
    ApiJson(fields): ApiJson<BTreeMap<String, String>>,
) -> ApiResult<Json<OnboardingState>> {
    Ok(Json(onboarding::save_step(&state.core, &actor, step, fields).await?))
}

pub async fn skip_step(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(step): ApiPath<usize>,
) -> ApiResult<Json<OnboardingState>> {
    Ok(Json(onboarding::skip_step(&state.core, &actor, step).await?))
}

pub async fn finish(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<Json<OnboardingState>> {
    Ok(Json(onboarding::finish(&state.core, &actor).await?))
}

#[derive(Deserialize)]
pub struct SampleDataRequest {
    #[serde(default = "default_customers")]
    pub customers: usize,
    #[serde(default)]
    pub seed: u64,
}

fn default_customers() -> usize {
    2_000
}

/// Fills the organization with the sample shop.
pub async fn sample_data(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiJson(req): ApiJson<SampleDataRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    let counts = sample_data::load(&state.core, &actor, req.customers, req.seed).await?;
    Ok(Json(serde_json::json!({ "inserted": counts.inserted, "updated": counts.updated, "unchanged": counts.unchanged })))
}
