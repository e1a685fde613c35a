//! Triple Whale API v2 (`x-api-key`). The summary page's per-channel ad and attribution
//! metrics → one performance row per channel and day. Endpoints: GET
//! /api/v2/users/api-keys/me (validate key); POST /api/v2/summary-page/get-data with
//! `{shopDomain, period:{start,end}}`, one day per page so a sync resumes by day.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::manager::Client;
use super::normalize::{self as n};
use super::{AccountInfo, Connector, Credentials, Platform, SyncCursor, SyncPage};
use crate::ingest::records::{PerformanceRecord, Record};
use crate::ApiError;

pub(crate) struct TripleWhale;

const P: &str = "triplewhale";
const STAGE: &str = "summary";
/// Services whose metrics are the store's or Triple Whale's own, not an ad channel's.
const NOT_CHANNELS: [&str; 3] = ["shopify", "triple-whale", "triplewhale"];

impl Connector for TripleWhale {
    async fn test_connection(
        client: &Client,
        creds: &Credentials,
    ) -> Result<AccountInfo, ApiError> {
        let url = format!("{}/api/v2/users/api-keys/me", creds.base(client.platform()));
        let v = client
            .get(url)
            .header("x-api-key", &creds.secret)
            .cached()
            .json()
            .await?;
        let shop = creds.extra_str("shop").map(str::to_string);
        Ok(AccountInfo {
            platform: client.platform(),
            account_id: shop
                .clone()
                .or_else(|| n::text(&v["id"]))
                .unwrap_or_default(),
            name: n::text(&v["name"]).or(shop),
            currency: None,
        })
    }

    async fn sync_page(
        client: &Client,
        creds: &Credentials,
        mut cursor: SyncCursor,
    ) -> Result<SyncPage, ApiError> {
        let shop = creds.require(Platform::Triplewhale, "shop")?;
        let started = cursor
            .run_started
            .unwrap_or_else(|| chrono::Utc::now().timestamp());
        let lookback = creds.extra["lookback_days"].as_i64().unwrap_or(30);
        let (from, to) = n::report_window(cursor.since(STAGE), started, lookback);
        let day = cursor.page.clone().unwrap_or(from);
        let body =
            json!({ "shopDomain": shop, "period": { "start": day, "end": day }, "todayHour": 25 });
        let url = format!(
            "{}/api/v2/summary-page/get-data",
            creds.base(client.platform())
        );
        let v = client
            .post(url, body)
            .header("x-api-key", &creds.secret)
            .json()
            .await?;
        let records = rows(&v, &day);
        let next = n::day_start(&day)
            .map(|t| n::day(t + 86_400))
            .filter(|d| *d <= to);
        cursor.see(STAGE, n::day_start(&to).unwrap_or(started));
        Ok(cursor.page(records, next, 1))
    }
}

/// Summary metrics carry `services` (the channel) and a `metricId`; counts and money are
/// picked by name, ratios (ROAS, CPC, CTR …) are derived data and skipped.
fn rows(v: &Value, day: &str) -> Vec<Record> {
    let mut by_channel: BTreeMap<String, PerformanceRecord> = BTreeMap::new();
    for m in v["metrics"].as_array().into_iter().flatten() {
        let Some(channel) = m["services"]
            .as_array()
            .and_then(|s| s.first())
            .and_then(|s| s.as_str())
        else {
            continue;
        };
        if NOT_CHANNELS.contains(&channel) {
            continue;
        }
        let id = n::text(&m["metricId"])
            .or_else(|| n::text(&m["id"]))
            .unwrap_or_default()
            .to_lowercase();
        if ["roas", "cpc", "ctr", "cpm", "cpa", "cpoc", "aov", "per"]
            .iter()
            .any(|r| id.contains(r))
        {
            continue;
        }
        let value = &m["values"]["current"];
        let r = by_channel
            .entry(channel.to_string())
            .or_insert_with(|| PerformanceRecord {
                platform: P.into(),
                campaign_id: channel.to_string(),
                campaign_name: Some(channel.to_string()),
                creative_id: String::new(),
                creative_name: None,
                day: day.to_string(),
                impressions: 0,
                clicks: 0,
                spend_cents: 0,
                conversions: 0,
                revenue_cents: 0,
                reach: None,
            });
        if id.contains("impressions") {
            r.impressions = n::int(value).unwrap_or(0);
        } else if id.contains("clicks") {
            r.clicks = n::int(value).unwrap_or(0);
        } else if id.contains("conversionvalue") || id.contains("revenue") {
            r.revenue_cents = n::cents(value).unwrap_or(0);
        } else if id.contains("purchases") || id.contains("conversions") {
            r.conversions = n::int(value).unwrap_or(0);
        } else if id.contains("spend") || id.ends_with("ads") {
            r.spend_cents = n::cents(value).unwrap_or(0);
        }
    }
    by_channel.into_values().map(Record::Performance).collect()
}
