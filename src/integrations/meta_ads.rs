//! Meta Marketing API v21.0 (access token as `Authorization: Bearer`). Ad-level daily insights
//! → campaign performance. Endpoints: GET /v21.0/act_{id} (account);
//! GET /v21.0/act_{id}/insights?level=ad&time_increment=1&time_range=… Paging: `paging.next`
//! (a full URL with the `after` cursor, followed as given).

use serde_json::{json, Value};

use super::manager::Client;
use super::normalize::{self as n};
use super::{AccountInfo, Connector, Credentials, Platform, SyncCursor, SyncPage};
use crate::ingest::records::{PerformanceRecord, Record};
use crate::ApiError;

pub(crate) struct MetaAds;

const P: &str = "meta_ads";
const VERSION: &str = "v21.0";
const STAGE: &str = "insights";
const FIELDS: &str = "campaign_id,campaign_name,ad_id,ad_name,impressions,reach,clicks,spend,actions,action_values,date_start";
/// One purchase counted once: Meta reports the same purchase under several action types.
const PURCHASE_TYPES: [&str; 3] = [
    "omni_purchase",
    "purchase",
    "offsite_conversion.fb_pixel_purchase",
];

fn account(creds: &Credentials) -> Result<String, ApiError> {
    let id = creds.require(Platform::MetaAds, "ad_account_id")?;
    Ok(if id.starts_with("act_") {
        id.to_string()
    } else {
        format!("act_{id}")
    })
}

impl Connector for MetaAds {
    async fn test_connection(
        client: &Client,
        creds: &Credentials,
    ) -> Result<AccountInfo, ApiError> {
        let url = format!(
            "{}/{VERSION}/{}",
            creds.base(client.platform()),
            account(creds)?
        );
        let v = client
            .get(url)
            .bearer(&creds.secret)
            .query("fields", "id,name,currency,account_status")
            .cached()
            .json()
            .await?;
        Ok(AccountInfo {
            platform: client.platform(),
            account_id: n::text(&v["id"])
                .ok_or_else(|| ApiError::unavailable("Meta sent no ad account id"))?,
            name: n::text(&v["name"]),
            currency: n::text(&v["currency"]),
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
        let call = match &cursor.page {
            Some(next) => client.get(next.clone()),
            None => {
                let lookback = creds.extra["lookback_days"].as_i64().unwrap_or(30);
                let (since, until) = n::report_window(cursor.since(STAGE), started, lookback);
                client
                    .get(format!(
                        "{}/{VERSION}/{}/insights",
                        creds.base(client.platform()),
                        account(creds)?
                    ))
                    .query("level", "ad")
                    .query("time_increment", 1)
                    .query("time_range", json!({ "since": since, "until": until }))
                    .query("fields", FIELDS)
                    .query("limit", 500)
            }
        };
        let v = call.bearer(&creds.secret).json().await?;
        let records = v["data"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(row)
            .collect();
        cursor.see(STAGE, n::day_start(&n::day(started)).unwrap_or(started));
        Ok(cursor.page(records, n::text(&v["paging"]["next"]), 1))
    }
}

fn purchase(list: &Value, value: impl Fn(&Value) -> Option<i64>) -> i64 {
    let items = list.as_array().cloned().unwrap_or_default();
    PURCHASE_TYPES
        .iter()
        .find_map(|t| {
            items
                .iter()
                .find(|a| a["action_type"].as_str() == Some(t))
                .and_then(|a| value(&a["value"]))
        })
        .unwrap_or(0)
}

fn row(r: &Value) -> Option<Record> {
    Some(Record::Performance(PerformanceRecord {
        platform: P.into(),
        campaign_id: n::text(&r["campaign_id"])?,
        campaign_name: n::text(&r["campaign_name"]),
        creative_id: n::text(&r["ad_id"]).unwrap_or_default(),
        creative_name: n::text(&r["ad_name"]),
        day: n::text(&r["date_start"])?,
        impressions: n::int(&r["impressions"]).unwrap_or(0),
        clicks: n::int(&r["clicks"]).unwrap_or(0),
        spend_cents: n::cents(&r["spend"]).unwrap_or(0),
        conversions: purchase(&r["actions"], n::int),
        revenue_cents: purchase(&r["action_values"], n::cents),
        reach: n::int(&r["reach"]),
    }))
}
