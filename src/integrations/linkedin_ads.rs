//! LinkedIn Marketing API, versioned REST (`LinkedIn-Version: 202410`,
//! `X-Restli-Protocol-Version: 2.0.0`, access token as `Authorization: Bearer`). Daily
//! creative analytics → campaign performance. Endpoints: GET /rest/adAccounts/{id};
//! GET /rest/adAnalytics?q=statistics&pivots=List(CAMPAIGN,CREATIVE)&timeGranularity=DAILY,
//! paged with `start`/`count`.

use serde_json::Value;

use super::manager::{Call, Client};
use super::normalize::{self as n};
use super::{AccountInfo, Connector, Credentials, Platform, SyncCursor, SyncPage};
use crate::ingest::records::{PerformanceRecord, Record};
use crate::ApiError;

pub(crate) struct LinkedinAds;

const P: &str = "linkedin_ads";
const STAGE: &str = "analytics";
const PAGE: usize = 500;
const FIELDS: &str =
    "pivotValues,dateRange,impressions,clicks,costInLocalCurrency,externalWebsiteConversions,conversionValueInLocalCurrency";

fn headers<'a>(call: Call<'a>, creds: &Credentials) -> Call<'a> {
    call.bearer(&creds.secret)
        .header("linkedin-version", "202410")
        .header("x-restli-protocol-version", "2.0.0")
}

/// Rest.li dates: (year:2024,month:1,day:15).
fn restli_date(day: &str) -> String {
    let mut p = day
        .split('-')
        .map(|x| x.trim_start_matches('0').to_string());
    let (y, m, d) = (
        p.next().unwrap_or_default(),
        p.next().unwrap_or_default(),
        p.next().unwrap_or_default(),
    );
    format!("(year:{y},month:{m},day:{d})")
}

impl Connector for LinkedinAds {
    async fn test_connection(
        client: &Client,
        creds: &Credentials,
    ) -> Result<AccountInfo, ApiError> {
        let id = creds.require(Platform::LinkedinAds, "ad_account_id")?;
        let url = format!("{}/rest/adAccounts/{id}", creds.base(client.platform()));
        let v = headers(client.get(url), creds).cached().json().await?;
        Ok(AccountInfo {
            platform: client.platform(),
            account_id: n::text(&v["id"])
                .ok_or_else(|| ApiError::unavailable("LinkedIn sent no ad account id"))?,
            name: n::text(&v["name"]),
            currency: n::text(&v["currency"]),
        })
    }

    async fn sync_page(
        client: &Client,
        creds: &Credentials,
        mut cursor: SyncCursor,
    ) -> Result<SyncPage, ApiError> {
        let id = creds.require(Platform::LinkedinAds, "ad_account_id")?;
        let started = cursor
            .run_started
            .unwrap_or_else(|| chrono::Utc::now().timestamp());
        let lookback = creds.extra["lookback_days"].as_i64().unwrap_or(30);
        let (from, to) = n::report_window(cursor.since(STAGE), started, lookback);
        let start: usize = cursor
            .page
            .as_deref()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        // Rest.li syntax must reach LinkedIn unescaped, so the query string is written by hand.
        let url = format!(
            "{}/rest/adAnalytics?q=statistics&pivots=List(CAMPAIGN,CREATIVE)&timeGranularity=DAILY\
             &dateRange=(start:{},end:{})&accounts=List(urn%3Ali%3AsponsoredAccount%3A{id})&fields={FIELDS}\
             &start={start}&count={PAGE}",
            creds.base(client.platform()),
            restli_date(&from),
            restli_date(&to),
        );
        let v = headers(client.get(url), creds).json().await?;
        let elements = v["elements"].as_array().cloned().unwrap_or_default();
        let records = elements.iter().filter_map(row).collect();
        let total = v["paging"]["total"].as_u64().map(|t| t as usize);
        let seen = start + elements.len();
        // A full page (and, when told, fewer than the total) means more may follow.
        let more = elements.len() == PAGE && total.is_none_or(|t| seen < t);
        cursor.see(STAGE, n::day_start(&to).unwrap_or(started));
        Ok(cursor.page(records, more.then(|| seen.to_string()), 1))
    }
}

fn urn_id(v: &Value) -> Option<String> {
    v.as_str()?.rsplit(':').next().map(str::to_string)
}

fn row(e: &Value) -> Option<Record> {
    let s = &e["dateRange"]["start"];
    let day = format!(
        "{:04}-{:02}-{:02}",
        s["year"].as_i64()?,
        s["month"].as_i64()?,
        s["day"].as_i64()?
    );
    Some(Record::Performance(PerformanceRecord {
        platform: P.into(),
        campaign_id: urn_id(&e["pivotValues"][0])?,
        campaign_name: None,
        creative_id: urn_id(&e["pivotValues"][1]).unwrap_or_default(),
        creative_name: None,
        day,
        impressions: n::int(&e["impressions"]).unwrap_or(0),
        clicks: n::int(&e["clicks"]).unwrap_or(0),
        spend_cents: n::cents(&e["costInLocalCurrency"]).unwrap_or(0),
        conversions: n::int(&e["externalWebsiteConversions"]).unwrap_or(0),
        revenue_cents: n::cents(&e["conversionValueInLocalCurrency"]).unwrap_or(0),
        // LinkedIn reports member reach only over whole ranges, not per day.
        reach: None,
    }))
}
