//! Google Ads API v18 REST (OAuth access token as `Authorization: Bearer`, plus the
//! `developer-token` and optional `login-customer-id` headers). Ad-level daily metrics →
//! campaign performance, queried with GAQL through POST /v18/customers/{id}/googleAds:search
//! (paged by `nextPageToken`; `searchStream` would not page and so could not resume).

use serde_json::{json, Value};

use super::manager::{Call, Client};
use super::normalize::{self as n};
use super::{AccountInfo, Connector, Credentials, Platform, SyncCursor, SyncPage};
use crate::ingest::records::{PerformanceRecord, Record};
use crate::ApiError;

pub(crate) struct GoogleAds;

const P: &str = "google_ads";
const VERSION: &str = "v18";
const STAGE: &str = "ad_metrics";

fn customer(creds: &Credentials) -> Result<String, ApiError> {
    Ok(creds
        .require(Platform::GoogleAds, "customer_id")?
        .replace('-', ""))
}

fn search<'a>(client: &'a Client, creds: &Credentials, body: Value) -> Result<Call<'a>, ApiError> {
    let url = format!(
        "{}/{VERSION}/customers/{}/googleAds:search",
        creds.base(client.platform()),
        customer(creds)?
    );
    let mut call = client.post(url, body).bearer(&creds.secret).header(
        "developer-token",
        creds.require(Platform::GoogleAds, "developer_token")?,
    );
    if let Some(login) = creds.extra_str("login_customer_id") {
        call = call.header("login-customer-id", login.replace('-', ""));
    }
    Ok(call)
}

impl Connector for GoogleAds {
    async fn test_connection(
        client: &Client,
        creds: &Credentials,
    ) -> Result<AccountInfo, ApiError> {
        let q = "SELECT customer.id, customer.descriptive_name, customer.currency_code FROM customer LIMIT 1";
        let v = search(client, creds, json!({ "query": q }))?.json().await?;
        let c = &v["results"][0]["customer"];
        Ok(AccountInfo {
            platform: client.platform(),
            account_id: n::text(&c["id"])
                .ok_or_else(|| ApiError::unavailable("Google Ads sent no customer"))?,
            name: n::text(&c["descriptiveName"]),
            currency: n::text(&c["currencyCode"]),
        })
    }

    async fn sync_page(
        client: &Client,
        creds: &Credentials,
        mut cursor: SyncCursor,
    ) -> Result<SyncPage, ApiError> {
        let started = cursor
            .run_started
            .unwrap_or_else(|| chrono::Utc::now().timestamp());
        let lookback = creds.extra["lookback_days"].as_i64().unwrap_or(30);
        let (from, to) = n::report_window(cursor.since(STAGE), started, lookback);
        let query = format!(
            "SELECT campaign.id, campaign.name, ad_group_ad.ad.id, ad_group_ad.ad.name, segments.date, \
             metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, metrics.conversions_value \
             FROM ad_group_ad WHERE segments.date BETWEEN '{from}' AND '{to}'"
        );
        let mut body = json!({ "query": query });
        if let Some(token) = &cursor.page {
            body["pageToken"] = json!(token);
        }
        let v = search(client, creds, body)?.json().await?;
        let records = v["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(row)
            .collect();
        cursor.see(STAGE, n::day_start(&to).unwrap_or(started));
        Ok(cursor.page(records, n::text(&v["nextPageToken"]), 1))
    }
}

/// REST JSON uses lowerCamelCase field names and strings for int64 values.
fn row(r: &Value) -> Option<Record> {
    let m = &r["metrics"];
    Some(Record::Performance(PerformanceRecord {
        platform: P.into(),
        campaign_id: n::text(&r["campaign"]["id"])?,
        campaign_name: n::text(&r["campaign"]["name"]),
        creative_id: n::text(&r["adGroupAd"]["ad"]["id"]).unwrap_or_default(),
        creative_name: n::text(&r["adGroupAd"]["ad"]["name"]),
        day: n::text(&r["segments"]["date"])?,
        impressions: n::int(&m["impressions"]).unwrap_or(0),
        clicks: n::int(&m["clicks"]).unwrap_or(0),
        spend_cents: n::micros_to_cents(&m["costMicros"]).unwrap_or(0),
        conversions: n::int(&m["conversions"]).unwrap_or(0),
        revenue_cents: n::cents(&m["conversionsValue"]).unwrap_or(0),
        // Search and shopping rows carry no unique reach.
        reach: None,
    }))
}
