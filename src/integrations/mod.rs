//! Connectors that pull customers, orders, events and campaign performance from marketing
//! platforms and normalise them into ingest `Record`s. Every HTTP call goes through the one
//! `PlatformManager` (rate limits, retries, circuit breaking, caching); connectors only know
//! their platform's endpoints and payloads. No database code lives here: the sync service
//! stores the records and the cursor.
//!
//! Use: `manager.test_connection(platform, &creds)` once when a platform is connected, then
//! `manager.sync_page(platform, &creds, cursor)` in a loop, storing `page.next` after each page
//! and stopping when `page.done` (whose `next` is the cursor for the next incremental run).

mod breaker;
mod cache;
mod cursor;
mod limits;
mod manager;
mod normalize;
pub(crate) mod retry;

mod gohighlevel;
mod google_ads;
mod hubspot;
mod klaviyo;
mod linkedin_ads;
mod meta_ads;
mod shopify;
mod stripe;
mod triplewhale;

#[cfg(test)]
mod tests;

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use cursor::{SyncCursor, SyncPage};
pub use limits::Rate;
pub use manager::{Client, ManagerConfig, PlatformManager};

use crate::ingest::records::Record;
use crate::ApiError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Hubspot,
    Klaviyo,
    Shopify,
    Stripe,
    Gohighlevel,
    Triplewhale,
    MetaAds,
    GoogleAds,
    LinkedinAds,
}

/// How a platform's secret is used: a long-lived API key, or an OAuth access token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    ApiKey,
    AccessToken,
}

impl Platform {
    pub const ALL: [Platform; 9] = [
        Platform::Hubspot,
        Platform::Klaviyo,
        Platform::Shopify,
        Platform::Stripe,
        Platform::Gohighlevel,
        Platform::Triplewhale,
        Platform::MetaAds,
        Platform::GoogleAds,
        Platform::LinkedinAds,
    ];

    /// The id stored in the database and written into records' `platform`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Hubspot => "hubspot",
            Platform::Klaviyo => "klaviyo",
            Platform::Shopify => "shopify",
            Platform::Stripe => "stripe",
            Platform::Gohighlevel => "gohighlevel",
            Platform::Triplewhale => "triplewhale",
            Platform::MetaAds => "meta_ads",
            Platform::GoogleAds => "google_ads",
            Platform::LinkedinAds => "linkedin_ads",
        }
    }

    pub fn parse(s: &str) -> Result<Platform, ApiError> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| ApiError::validation("platform", format!("Unknown platform '{s}'")))
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Platform::Hubspot => "HubSpot",
            Platform::Klaviyo => "Klaviyo",
            Platform::Shopify => "Shopify",
            Platform::Stripe => "Stripe",
            Platform::Gohighlevel => "GoHighLevel",
            Platform::Triplewhale => "Triple Whale",
            Platform::MetaAds => "Meta Ads",
            Platform::GoogleAds => "Google Ads",
            Platform::LinkedinAds => "LinkedIn Ads",
        }
    }

    /// The production API root. Shopify's depends on the shop, so it is built from
    /// `extra.shop`; `Credentials::base_url` overrides any of them (tests, proxies).
    pub fn default_base_url(self) -> &'static str {
        match self {
            Platform::Hubspot => "https://api.hubapi.com",
            Platform::Klaviyo => "https://a.klaviyo.com",
            Platform::Shopify => "https://{shop}.myshopify.com",
            Platform::Stripe => "https://api.stripe.com",
            Platform::Gohighlevel => "https://services.leadconnectorhq.com",
            Platform::Triplewhale => "https://api.triplewhale.com",
            Platform::MetaAds => "https://graph.facebook.com",
            Platform::GoogleAds => "https://googleads.googleapis.com",
            Platform::LinkedinAds => "https://api.linkedin.com",
        }
    }

    pub fn auth_kind(self) -> AuthKind {
        match self {
            Platform::Klaviyo | Platform::Stripe | Platform::Triplewhale => AuthKind::ApiKey,
            // HubSpot private-app tokens, Shopify admin tokens and GoHighLevel private
            // integration tokens are access tokens sent as bearer/admin tokens.
            Platform::Hubspot
            | Platform::Shopify
            | Platform::Gohighlevel
            | Platform::MetaAds
            | Platform::GoogleAds
            | Platform::LinkedinAds => AuthKind::AccessToken,
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

/// What a connected account authenticates with. `extra` holds the platform's account
/// coordinates: Shopify `shop`; Google Ads `customer_id`, `developer_token`,
/// `login_customer_id`; Meta `ad_account_id`; LinkedIn `ad_account_id`; GoHighLevel
/// `location_id`; Triple Whale `shop`. Ad platforms also take `lookback_days` (default 30).
#[derive(Clone, Serialize, Deserialize, Default)]
pub struct Credentials {
    pub secret: String,
    pub base_url: Option<String>,
    #[serde(default)]
    pub extra: serde_json::Value,
}

impl fmt::Debug for Credentials {
    // Never print the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("extra", &self.extra)
            .finish()
    }
}

impl Credentials {
    pub fn new(secret: impl Into<String>) -> Self {
        Credentials {
            secret: secret.into(),
            base_url: None,
            extra: serde_json::Value::Null,
        }
    }

    pub fn with_base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    pub fn with_extra(mut self, extra: serde_json::Value) -> Self {
        self.extra = extra;
        self
    }

    pub fn extra_str(&self, key: &str) -> Option<&str> {
        self.extra
            .get(key)?
            .as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// A required account coordinate, as a validation error naming it when missing.
    pub(crate) fn require(&self, platform: Platform, key: &str) -> Result<&str, ApiError> {
        self.extra_str(key).ok_or_else(|| {
            ApiError::validation(key, format!("{platform} needs '{key}' to connect"))
        })
    }

    /// The API root without a trailing slash.
    pub(crate) fn base(&self, platform: Platform) -> String {
        self.base_url
            .as_deref()
            .unwrap_or(platform.default_base_url())
            .trim_end_matches('/')
            .to_string()
    }

    /// Identifies the account for limiter, breaker and cache keys without holding the secret:
    /// a SHA-256 over secret, base URL and account coordinates.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.secret.as_bytes());
        h.update([0x1f]);
        h.update(self.base_url.as_deref().unwrap_or("").as_bytes());
        h.update([0x1f]);
        h.update(self.extra.to_string().as_bytes());
        hex::encode(&h.finalize()[..16])
    }
}

/// What `test_connection` learned about the account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountInfo {
    pub platform: Platform,
    pub account_id: String,
    pub name: Option<String>,
    pub currency: Option<String>,
}

/// One platform's client: checks credentials and pulls one page of records at a time.
/// Implemented by a unit struct per platform and dispatched by `PlatformManager`.
pub(crate) trait Connector {
    async fn test_connection(client: &Client, creds: &Credentials)
        -> Result<AccountInfo, ApiError>;
    async fn sync_page(
        client: &Client,
        creds: &Credentials,
        cursor: SyncCursor,
    ) -> Result<SyncPage, ApiError>;
}

pub(crate) async fn dispatch_test(
    client: &Client,
    creds: &Credentials,
) -> Result<AccountInfo, ApiError> {
    match client.platform() {
        Platform::Hubspot => hubspot::HubSpot::test_connection(client, creds).await,
        Platform::Klaviyo => klaviyo::Klaviyo::test_connection(client, creds).await,
        Platform::Shopify => shopify::Shopify::test_connection(client, creds).await,
        Platform::Stripe => stripe::Stripe::test_connection(client, creds).await,
        Platform::Gohighlevel => gohighlevel::GoHighLevel::test_connection(client, creds).await,
        Platform::Triplewhale => triplewhale::TripleWhale::test_connection(client, creds).await,
        Platform::MetaAds => meta_ads::MetaAds::test_connection(client, creds).await,
        Platform::GoogleAds => google_ads::GoogleAds::test_connection(client, creds).await,
        Platform::LinkedinAds => linkedin_ads::LinkedinAds::test_connection(client, creds).await,
    }
}

pub(crate) async fn dispatch_sync(
    client: &Client,
    creds: &Credentials,
    cursor: SyncCursor,
) -> Result<SyncPage, ApiError> {
    match client.platform() {
        Platform::Hubspot => hubspot::HubSpot::sync_page(client, creds, cursor).await,
        Platform::Klaviyo => klaviyo::Klaviyo::sync_page(client, creds, cursor).await,
        Platform::Shopify => shopify::Shopify::sync_page(client, creds, cursor).await,
        Platform::Stripe => stripe::Stripe::sync_page(client, creds, cursor).await,
        Platform::Gohighlevel => gohighlevel::GoHighLevel::sync_page(client, creds, cursor).await,
        Platform::Triplewhale => triplewhale::TripleWhale::sync_page(client, creds, cursor).await,
        Platform::MetaAds => meta_ads::MetaAds::sync_page(client, creds, cursor).await,
        Platform::GoogleAds => google_ads::GoogleAds::sync_page(client, creds, cursor).await,
        Platform::LinkedinAds => linkedin_ads::LinkedinAds::sync_page(client, creds, cursor).await,
    }
}

/// Records are re-exported for connector modules' convenience.
pub(crate) type Records = Vec<Record>;
