//! Organizations, members, invitations and plan limits.

use serde::{Deserialize, Serialize};

use super::Role;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganizationDto {
    pub organization_id: String,
    pub name: String,
    pub slug: String,
    pub subscription_tier: String,
    #[serde(default)]
    pub settings: serde_json::Value,
    /// RFC 3339.
    #[serde(default)]
    pub created_at: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct UpdateOrganizationRequest {
    #[serde(default)]
    pub name: Option<String>,
    /// A JSON object; replaces the organization's settings.
    #[serde(default)]
    pub settings: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberDto {
    pub user_id: String,
    pub email: String,
    pub full_name: String,
    pub role: Role,
    /// RFC 3339.
    pub joined_at: String,
    pub last_login_at: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdateMemberRequest {
    pub role: Role,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CreateInvitationRequest {
    pub email: String,
    pub role: Role,
}

/// Returned once, when the invitation is made: the token is not stored in clear.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InvitationCreated {
    pub invitation_id: String,
    pub token: String,
    pub email: String,
    pub role: Role,
    /// RFC 3339.
    pub expires_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationDto {
    pub invitation_id: String,
    pub email: String,
    pub role: Role,
    pub invited_by: Option<String>,
    pub created_at: String,
    pub expires_at: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AcceptInvitationRequest {
    pub token: String,
    pub password: String,
    pub full_name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LimitUsage {
    pub resource: String,
    pub used: i64,
    /// `None` means unlimited on this plan.
    pub limit: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanLimits {
    pub subscription_tier: String,
    pub usage: Vec<LimitUsage>,
}
