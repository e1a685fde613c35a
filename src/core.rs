//! `Core` is what every service function receives: the database and the settings it needs.

use std::sync::Arc;

use crate::db::Db;
use crate::integrations::{ManagerConfig, PlatformManager};

#[derive(Clone, Debug)]
pub struct CoreSettings {
    /// HS256 secret for access tokens.
    pub jwt_secret: String,
    /// AES-256-GCM key sealing stored credentials and webhook secrets.
    pub encryption_key: [u8; 32],
    pub access_token_ttl_seconds: i64,
    pub refresh_token_ttl_seconds: i64,
    pub invitation_ttl_seconds: i64,
    /// Mark cookies `Secure` (the site is served over https).
    pub secure_cookies: bool,
    /// How long a claimed job stays its worker's without progress (a dead worker's jobs are
    /// picked up again after this).
    pub job_lease_seconds: i64,
    /// The AI layer: provider, retries, timeouts and the default daily budget.
    pub ai: crate::ai::gateway::AiConfig,
}

impl CoreSettings {
    /// Settings for tests and tools: the sealing key is derived from the JWT secret.
    pub fn with_secret(jwt_secret: impl Into<String>) -> Self {
        let jwt_secret = jwt_secret.into();
        Self {
            encryption_key: crate::auth::sealing::derive_key(&format!("sealing:{jwt_secret}")),
            jwt_secret,
            access_token_ttl_seconds: 15 * 60,
            refresh_token_ttl_seconds: 30 * 24 * 3600,
            invitation_ttl_seconds: 7 * 24 * 3600,
            secure_cookies: false,
            job_lease_seconds: 30,
            ai: crate::ai::gateway::AiConfig::default(),
        }
    }
}

#[derive(Clone)]
pub struct Core {
    pub db: Db,
    pub settings: Arc<CoreSettings>,
    /// Every call to an external platform goes through this one manager.
    pub platforms: PlatformManager,
    /// Every call to a language model goes through this gateway.
    pub ai: crate::ai::gateway::Gateway,
    /// Wakes this process's job worker when a job is queued (others poll).
    pub jobs_queued: Arc<tokio::sync::Notify>,
    /// Organization ids whose data just changed (an import, sync or webhook landed), for live
    /// updates of open dashboards. In-process: each server tells its own browsers.
    pub data_changes: tokio::sync::broadcast::Sender<String>,
}

impl Core {
    pub fn new(db: Db, settings: CoreSettings) -> Self {
        Self::with_platforms(db, settings, ManagerConfig::default())
    }

    pub fn with_platforms(db: Db, settings: CoreSettings, platforms: ManagerConfig) -> Self {
        Self {
            db,
            ai: crate::ai::gateway::Gateway::new(settings.ai.clone()),
            settings: Arc::new(settings),
            platforms: PlatformManager::new(platforms),
            jobs_queued: Arc::default(),
            data_changes: tokio::sync::broadcast::channel(256).0,
        }
    }

    /// Tells open dashboards of this organization to refresh (no one listening is fine).
    pub fn data_changed(&self, organization_id: &str) {
        let _ = self.data_changes.send(organization_id.to_string());
    }
}
