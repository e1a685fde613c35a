//! Runtime settings: built-in defaults, then Leptos.toml, then OMNIFY_* environment variables
//! (e.g. `database_url` ← `OMNIFY_DATABASE_URL`); LEPTOS_SITE_ADDR sets the listen address.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Production,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Config {
    /// `OMNIFY_ENV`: development or production.
    pub env: Environment,
    pub site_addr: SocketAddr,
    /// Where cargo-leptos put the compiled site (wasm, js, css, public assets).
    pub site_root: String,
    pub data_dir: PathBuf,
    /// Defaults to `sqlite://<data_dir>/omnify.db`.
    pub database_url: Option<String>,
    pub database_max_connections: u32,
    pub jwt_secret: Option<String>,
    pub encryption_key: Option<String>,
    /// Run background jobs (platform syncs) in this process.
    pub run_jobs: bool,
    /// Seconds a claimed job stays its worker's without progress.
    pub job_lease_seconds: i64,
    pub access_token_ttl_seconds: i64,
    pub refresh_token_ttl_seconds: i64,
    pub invitation_ttl_seconds: i64,
    /// Mark cookies Secure; turn on when served over https.
    pub secure_cookies: bool,
    /// Requests per minute; 0 turns a limit off.
    pub rate_limit_auth: u32,
    pub rate_limit_ai: u32,
    pub rate_limit_api: u32,
    /// When set, rate limits are shared through Redis by every server process.
    pub redis_url: Option<String>,
    /// Comma-separated origins allowed to call /api from a browser; empty means same-origin only.
    pub cors_origins: String,
    /// "json" (default) or "pretty".
    pub log_format: String,
    /// How long shutdown waits for in-flight requests.
    pub shutdown_grace_seconds: u64,
    /// OpenAI-compatible server (e.g. https://api.openai.com/v1). Empty with no key = the
    /// built-in engine.
    pub ai_base_url: Option<String>,
    pub ai_api_key: Option<String>,
    /// Model for content and everyday tasks.
    pub ai_model: String,
    /// Stronger model for strategy and analytics (defaults to `ai_model` when empty).
    pub ai_strong_model: Option<String>,
    /// Daily AI budget per organization in US dollars (admins can change their own).
    pub ai_daily_budget_usd: f64,
    pub ai_max_attempts: u32,
    pub ai_request_timeout_seconds: u64,
    /// First retry's upper wait in milliseconds (doubles each attempt, with full jitter).
    pub ai_backoff_ms: u64,
    /// Price per million tokens for every model, in US dollars (for local or unlisted models;
    /// unset = the built-in price table, which charges unknown models the highest listed price).
    pub ai_price_input_per_million_usd: Option<f64>,
    pub ai_price_output_per_million_usd: Option<f64>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            env: Environment::Development,
            site_addr: "127.0.0.1:3000".parse().expect("valid default address"),
            site_root: "target/site".into(),
            data_dir: "data".into(),
            database_url: None,
            database_max_connections: 16,
            jwt_secret: None,
            encryption_key: None,
            run_jobs: true,
            job_lease_seconds: 30,
            access_token_ttl_seconds: 15 * 60,
            refresh_token_ttl_seconds: 30 * 24 * 3600,
            invitation_ttl_seconds: 7 * 24 * 3600,
            secure_cookies: false,
            rate_limit_auth: 5,
            rate_limit_ai: 10,
            rate_limit_api: 60,
            redis_url: None,
            cors_origins: String::new(),
            log_format: "json".into(),
            shutdown_grace_seconds: 20,
            ai_base_url: None,
            ai_api_key: None,
            ai_model: "gpt-4o-mini".into(),
            ai_strong_model: None,
            ai_daily_budget_usd: 5.0,
            ai_max_attempts: 3,
            ai_request_timeout_seconds: 30,
            ai_backoff_ms: 500,
            ai_price_input_per_million_usd: None,
            ai_price_output_per_million_usd: None,
        }
    }
}

impl Config {
    /// Loads `path` (Leptos.toml by default, or OMNIFY_CONFIG) and the environment.
    pub fn load() -> Result<Config, figment::Error> {
        let path = std::env::var("OMNIFY_CONFIG").unwrap_or_else(|_| "Leptos.toml".into());
        Self::load_from(Path::new(&path))
    }

    pub fn load_from(path: &Path) -> Result<Config, figment::Error> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(path))
            .merge(Env::prefixed("OMNIFY_").ignore(&["config"]));
        if let Ok(addr) = std::env::var("LEPTOS_SITE_ADDR") {
            figment = figment.merge(("site_addr", addr));
        }
        let mut config: Config = figment.extract()?;
        // An empty variable means "not set".
        config.database_url = config.database_url.filter(|s| !s.trim().is_empty());
        config.jwt_secret = config.jwt_secret.filter(|s| !s.trim().is_empty());
        config.encryption_key = config.encryption_key.filter(|s| !s.trim().is_empty());
        config.redis_url = config.redis_url.filter(|s| !s.trim().is_empty());
        config.ai_base_url = config.ai_base_url.filter(|s| !s.trim().is_empty());
        config.ai_api_key = config.ai_api_key.filter(|s| !s.trim().is_empty());
        config.ai_strong_model = config.ai_strong_model.filter(|s| !s.trim().is_empty());
        Ok(config)
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}/omnify.db", self.data_dir.display()))
    }

    pub fn cors_origin_list(&self) -> Vec<String> {
        self.cors_origins.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
    }

    /// The configured secret; in development one is generated once and kept in the data
    /// directory so logins survive restarts. Production refuses to start without one.
    pub fn resolve_jwt_secret(&self) -> Result<String, String> {
        self.resolve_secret(&self.jwt_secret, "OMNIFY_JWT_SECRET", "jwt_secret")
    }

    /// The key that seals stored credentials and webhook secrets (AES-256-GCM; the 256-bit key
    /// is the SHA-256 of this value). Same rules as the JWT secret.
    pub fn resolve_encryption_key(&self) -> Result<String, String> {
        self.resolve_secret(&self.encryption_key, "OMNIFY_ENCRYPTION_KEY", "encryption_key")
    }

    fn resolve_secret(&self, configured: &Option<String>, variable: &str, file: &str) -> Result<String, String> {
        if let Some(secret) = configured {
            if secret.len() < 32 {
                return Err(format!("{variable} must be at least 32 characters"));
            }
            return Ok(secret.clone());
        }
        if self.env == Environment::Production {
            return Err(format!("{variable} is required in production (OMNIFY_ENV=production)"));
        }
        let path = self.data_dir.join(file);
        if let Ok(existing) = std::fs::read_to_string(&path) {
            let existing = existing.trim().to_string();
            if existing.len() >= 32 {
                return Ok(existing);
            }
        }
        std::fs::create_dir_all(&self.data_dir).map_err(|e| format!("cannot create {}: {e}", self.data_dir.display()))?;
        let secret = omnify::auth::tokens::opaque_token();
        write_private(&path, &secret).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(secret)
    }

    pub fn core_settings(&self, jwt_secret: String, encryption_key: &str) -> omnify::CoreSettings {
        omnify::CoreSettings {
            jwt_secret,
            encryption_key: omnify::auth::sealing::derive_key(encryption_key),
            access_token_ttl_seconds: self.access_token_ttl_seconds,
            refresh_token_ttl_seconds: self.refresh_token_ttl_seconds,
            invitation_ttl_seconds: self.invitation_ttl_seconds,
            secure_cookies: self.secure_cookies,
            job_lease_seconds: self.job_lease_seconds.max(1),
            ai: self.ai_config(),
        }
    }

    /// The built-in engine unless an AI server or key is configured.
    pub fn ai_config(&self) -> omnify::ai::gateway::AiConfig {
        use omnify::ai::gateway::{AiConfig, ProviderConfig};
        let provider = if self.ai_base_url.is_none() && self.ai_api_key.is_none() {
            ProviderConfig::Builtin
        } else {
            ProviderConfig::OpenAi {
                base_url: self.ai_base_url.clone().unwrap_or_else(|| "https://api.openai.com/v1".into()),
                api_key: self.ai_api_key.clone(),
                model: self.ai_model.clone(),
                strong_model: self.ai_strong_model.clone().unwrap_or_else(|| self.ai_model.clone()),
            }
        };
        AiConfig {
            provider,
            max_attempts: self.ai_max_attempts.max(1),
            request_timeout: std::time::Duration::from_secs(self.ai_request_timeout_seconds.clamp(1, 30)),
            backoff_base: std::time::Duration::from_millis(self.ai_backoff_ms),
            backoff_max: std::time::Duration::from_secs(8),
            default_daily_budget_micros: (self.ai_daily_budget_usd.max(0.0) * 1e6).round() as i64,
            price_override: match (self.ai_price_input_per_million_usd, self.ai_price_output_per_million_usd) {
                (None, None) => None,
                (input, output) => Some(omnify::ai::pricing::Price {
                    input_micros_per_million: (input.unwrap_or(0.0).max(0.0) * 1e6).round() as u64,
                    output_micros_per_million: (output.unwrap_or(0.0).max(0.0) * 1e6).round() as u64,
                }),
            },
        }
    }
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_without_secret_refuses() {
        let dir = std::env::temp_dir().join(format!("omnify-cfg-{}", uuid::Uuid::new_v4()));
        let config = Config { env: Environment::Production, data_dir: dir.clone(), ..Config::default() };
        assert!(config.resolve_jwt_secret().unwrap_err().contains("required in production"));
        assert!(!dir.exists(), "production must not invent a secret on disk");
    }

    #[test]
    fn development_secret_is_generated_once_and_kept() {
        let dir = std::env::temp_dir().join(format!("omnify-cfg-{}", uuid::Uuid::new_v4()));
        let config = Config { data_dir: dir.clone(), ..Config::default() };
        let first = config.resolve_jwt_secret().unwrap();
        let second = config.resolve_jwt_secret().unwrap();
        assert_eq!(first, second);
        assert!(first.len() >= 32);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn default_database_lives_in_the_data_dir() {
        assert_eq!(Config::default().database_url(), "sqlite://data/omnify.db");
    }
}
