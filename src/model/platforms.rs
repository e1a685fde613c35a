//! Connected platforms and background jobs on the wire.

use serde::{Deserialize, Serialize};

/// `POST /api/platforms/{platform}/connect`. One of `api_key` or `access_token` (the platform's
/// kind of secret); `base_url` points at another host (a proxy, a sandbox, a test server);
/// `settings` carries per-platform ids (e.g. `shop`, `ad_account_id`, `customer_id`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ConnectPlatformRequest {
    #[serde(default)]
    pub api_key: Option<String>,
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub settings: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlatformDto {
    pub platform: String,
    pub name: String,
    /// api_key or access_token.
    pub auth: String,
    /// not_connected, connected, syncing or error.
    pub status: String,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub last_sync_at: Option<String>,
    pub records_synced: i64,
    pub last_error: Option<String>,
    /// The sync job queued or running now, if any.
    pub active_job_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobDto {
    pub job_id: String,
    pub kind: String,
    pub target: Option<String>,
    /// queued, running, completed, failed or cancelled.
    pub status: String,
    pub progress: serde_json::Value,
    pub result: Option<serde_json::Value>,
    pub error: Option<String>,
    pub attempts: i64,
    pub created_at: String,
    pub finished_at: Option<String>,
}
