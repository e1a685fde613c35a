use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use omnify::model::{
    CreateInvitationRequest, InvitationCreated, InvitationDto, MemberDto, OrganizationDto, PlanLimits,
    UpdateMemberRequest, UpdateOrganizationRequest,
};
use omnify::services::{invitations, members, organizations, RequestMeta};

use super::ApiResult;
use crate::extract::{ApiJson, ApiPath, CurrentActor};
use crate::state::AppState;

pub async fn get(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<Json<OrganizationDto>> {
    Ok(Json(organizations::get(&state.core, &actor).await?))
}

pub async fn update(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    CurrentActor(actor): CurrentActor,
    ApiJson(req): ApiJson<UpdateOrganizationRequest>,
) -> ApiResult<Json<OrganizationDto>> {
    Ok(Json(organizations::update(&state.core, &meta, &actor, req).await?))
}

pub async fn limits(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<Json<PlanLimits>> {
    Ok(Json(organizations::limits(&state.core, &actor).await?))
}

pub async fn members(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<Json<Vec<MemberDto>>> {
    Ok(Json(members::list(&state.core, &actor).await?))
}

pub async fn update_member(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    CurrentActor(actor): CurrentActor,
    ApiPath(user_id): ApiPath<String>,
    ApiJson(req): ApiJson<UpdateMemberRequest>,
) -> ApiResult<Json<MemberDto>> {
    Ok(Json(members::update_role(&state.core, &meta, &actor, &user_id, req.role).await?))
}

pub async fn remove_member(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    CurrentActor(actor): CurrentActor,
    ApiPath(user_id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    members::remove(&state.core, &meta, &actor, &user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn invitations(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
) -> ApiResult<Json<Vec<InvitationDto>>> {
    Ok(Json(invitations::list_pending(&state.core, &actor).await?))
}

pub async fn invite(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    CurrentActor(actor): CurrentActor,
    ApiJson(req): ApiJson<CreateInvitationRequest>,
) -> ApiResult<(StatusCode, Json<InvitationCreated>)> {
    Ok((StatusCode::CREATED, Json(invitations::create(&state.core, &meta, &actor, req).await?)))
}

pub async fn revoke_invitation(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    CurrentActor(actor): CurrentActor,
    ApiPath(invitation_id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    invitations::revoke(&state.core, &meta, &actor, &invitation_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
