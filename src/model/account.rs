//! Sign-up, log-in, tokens and the signed-in user.

use serde::{Deserialize, Serialize};

use super::{OrganizationDto, Role};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RegisterRequest {
    pub email: String,
    pub password: String,
    pub full_name: String,
    pub organization_name: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct LogoutRequest {
    #[serde(default)]
    pub refresh_token: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct UpdateMeRequest {
    #[serde(default)]
    pub full_name: Option<String>,
    /// A new password; the current one is required alongside it.
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub current_password: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserDto {
    pub user_id: String,
    pub email: String,
    pub full_name: String,
    pub role: Role,
    pub organization_id: String,
}

/// What register, login, refresh and invitation-accept return.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AuthSession {
    pub access_token: String,
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub refresh_token: String,
    /// Seconds until the refresh token expires.
    pub refresh_expires_in: i64,
    pub user: UserDto,
    pub organization: OrganizationDto,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VerifyResponse {
    pub valid: bool,
    pub user_id: String,
    pub organization_id: String,
    pub role: Role,
}

/// The signed-in user and their organization, as the app shell needs them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub user: UserDto,
    pub organization: OrganizationDto,
}
