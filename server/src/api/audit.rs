use axum::extract::State;
use axum::Json;
use omnify::model::{AuditLogPage, AuditLogQuery};
use omnify::services::audit;

use super::ApiResult;
use crate::extract::{ApiQuery, CurrentActor};
use crate::state::AppState;

pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiQuery(query): ApiQuery<AuditLogQuery>,
) -> ApiResult<Json<AuditLogPage>> {
    Ok(Json(audit::list(&state.core, &actor, query).await?))
}
