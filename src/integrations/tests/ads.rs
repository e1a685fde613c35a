//! Meta Ads, Google Ads, LinkedIn Ads and Triple Whale against fakes replaying their
//! documented report payloads. Report windows run from `lookback_days` (2 in tests) ago to
//! today on a first sync, and from the last synced day on the next.

use serde_json::{json, Value};

use super::*;

fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}
fn days_ago(n: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(n))
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn meta_ads_pages_insights_and_counts_purchases_once() {
    let f = fake(|r, _| {
        assert_eq!(r.header("authorization").as_deref(), Some("Bearer secret-token"));
        match r.path.as_str() {
            "/v21.0/act_555" => ok(json!({"id": "act_555", "name": "Acme Ads", "currency": "USD", "account_status": 1})),
            "/v21.0/act_555/insights" if r.param("after").is_none() => {
                assert_eq!(r.param("level").as_deref(), Some("ad"));
                assert_eq!(r.param("time_increment").as_deref(), Some("1"));
                assert!(r.param("fields").unwrap().split(',').any(|f| f == "reach"));
                let range: Value = serde_json::from_str(&r.param("time_range").unwrap()).unwrap();
                ok(json!({"data": [{
                    "campaign_id": "238", "campaign_name": "Spring", "ad_id": "601", "ad_name": "Video A",
                    "impressions": "1000", "reach": "800", "clicks": "50", "spend": "12.34", "date_start": range["since"], "date_stop": range["since"],
                    "actions": [{"action_type": "link_click", "value": "50"}, {"action_type": "omni_purchase", "value": "3"}, {"action_type": "purchase", "value": "3"}],
                    "action_values": [{"action_type": "omni_purchase", "value": "120.50"}, {"action_type": "purchase", "value": "120.50"}]
                }], "paging": {"cursors": {"before": "MAZDZD", "after": "MjQZD"}, "next": "{base}/v21.0/act_555/insights?after=MjQZD&limit=500"}}))
            }
            "/v21.0/act_555/insights" => ok(json!({"data": [{
                "campaign_id": "238", "campaign_name": "Spring", "ad_id": "602", "ad_name": "Image B",
                "impressions": "10", "clicks": "0", "spend": "0.5", "date_start": "2024-03-02", "date_stop": "2024-03-02"
            }], "paging": {"cursors": {"before": "MjQZD", "after": "MjUZD"}}})),
            _ => status(404, r#"{"error":{"message":"Unknown path"}}"#),
        }
    })
    .await;
    let m = manager();
    let c = creds(&f.url);
    assert_eq!(
        m.test_connection(Platform::MetaAds, &c)
            .await
            .unwrap()
            .name
            .as_deref(),
        Some("Acme Ads")
    );
    let (records, cursor) = run(&m, Platform::MetaAds, &c, None).await;
    let ps = perf(&records);
    assert_eq!(ps.len(), 2);
    let p = ps[0];
    assert_eq!(
        (
            p.platform.as_str(),
            p.campaign_id.as_str(),
            p.creative_id.as_str()
        ),
        ("meta_ads", "238", "601")
    );
    assert_eq!(
        (
            p.impressions,
            p.clicks,
            p.spend_cents,
            p.conversions,
            p.revenue_cents
        ),
        (1000, 50, 1234, 3, 12_050)
    );
    assert_eq!((p.reach, ps[1].reach), (Some(800), None));
    assert_eq!(p.day, days_ago(2));
    assert_eq!(
        (ps[1].spend_cents, ps[1].conversions, ps[1].revenue_cents),
        (50, 0, 0)
    );

    let before = f.hits();
    run(&m, Platform::MetaAds, &c, Some(cursor)).await;
    let range: Value =
        serde_json::from_str(&f.seen()[before].param("time_range").unwrap()).unwrap();
    assert_eq!(
        range,
        json!({"since": today(), "until": today()}),
        "the next run starts at the last synced day"
    );
}

#[tokio::test]
async fn google_ads_runs_gaql_and_follows_next_page_token() {
    let f = fake(|r, _| {
        assert_eq!(r.header("developer-token").as_deref(), Some("dev-token"));
        assert_eq!(r.path, "/v18/customers/1234567890/googleAds:search");
        let q = r.body["query"].as_str().unwrap_or_default().to_string();
        if q.contains("FROM customer") {
            return ok(json!({"results": [{"customer": {"resourceName": "customers/1234567890", "id": "1234567890", "descriptiveName": "Acme", "currencyCode": "EUR"}}]}));
        }
        assert!(q.contains(&format!("segments.date BETWEEN '{}' AND '{}'", days_ago(2), today())) || q.contains(&format!("BETWEEN '{0}' AND '{0}'", today())), "{q}");
        let row = |ad: &str, date: &str| json!({
            "campaign": {"resourceName": "customers/1234567890/campaigns/111", "id": "111", "name": "Search Brand"},
            "adGroupAd": {"resourceName": "x", "ad": {"id": ad, "name": "RSA"}},
            "metrics": {"impressions": "2000", "clicks": "80", "costMicros": "15990000", "conversions": 4.0, "conversionsValue": 250.75},
            "segments": {"date": date}
        });
        match r.body.get("pageToken").and_then(Value::as_str) {
            None => ok(json!({"results": [row("901", "2024-03-01")], "nextPageToken": "CPb4", "fieldMask": "campaign.id"})),
            Some("CPb4") => ok(json!({"results": [row("902", "2024-03-02")], "fieldMask": "campaign.id"})),
            Some(t) => status(400, json!({"error": {"message": format!("bad token {t}")}})),
        }
    })
    .await;
    let m = manager();
    let c = creds(&f.url);
    let a = m.test_connection(Platform::GoogleAds, &c).await.unwrap();
    assert_eq!(
        (a.account_id.as_str(), a.currency.as_deref()),
        ("1234567890", Some("EUR"))
    );
    let (records, cursor) = run(&m, Platform::GoogleAds, &c, None).await;
    let ps = perf(&records);
    assert_eq!(ps.len(), 2);
    assert_eq!(
        (
            ps[0].campaign_id.as_str(),
            ps[0].campaign_name.as_deref(),
            ps[0].creative_id.as_str()
        ),
        ("111", Some("Search Brand"), "901")
    );
    assert_eq!(
        (
            ps[0].impressions,
            ps[0].clicks,
            ps[0].spend_cents,
            ps[0].conversions,
            ps[0].revenue_cents
        ),
        (2000, 80, 1599, 4, 25_075)
    );
    assert_eq!(ps[1].day, "2024-03-02");
    let before = f.hits();
    run(&m, Platform::GoogleAds, &c, Some(cursor)).await;
    assert!(f.seen()[before].body["query"]
        .as_str()
        .unwrap()
        .contains(&format!("BETWEEN '{0}' AND '{0}'", today())));
}

#[tokio::test]
async fn linkedin_ads_pages_analytics_with_start_and_count() {
    let f = fake(|r, _| {
        assert_eq!(r.header("linkedin-version").as_deref(), Some("202410"));
        assert_eq!(r.header("x-restli-protocol-version").as_deref(), Some("2.0.0"));
        match r.path.as_str() {
            "/rest/adAccounts/555" => ok(json!({"id": 555, "name": "Acme B2B", "currency": "USD", "status": "ACTIVE"})),
            "/rest/adAnalytics" => {
                assert!(r.query.contains("pivots=List(CAMPAIGN,CREATIVE)"), "{}", r.query);
                assert!(r.query.contains("accounts=List(urn%3Ali%3AsponsoredAccount%3A555)"), "{}", r.query);
                let start: usize = r.param("start").unwrap().parse().unwrap();
                let total = 501;
                let n = if start == 0 { 500 } else { total - start };
                let el = |i: usize| json!({
                    "pivotValues": ["urn:li:sponsoredCampaign:777", format!("urn:li:sponsoredCreative:{i}")],
                    "dateRange": {"start": {"year": 2024, "month": 3, "day": 1}, "end": {"year": 2024, "month": 3, "day": 1}},
                    "impressions": 100, "clicks": 3, "costInLocalCurrency": "7.25", "externalWebsiteConversions": 1, "conversionValueInLocalCurrency": "40.0"
                });
                ok(json!({"elements": (start..start + n).map(el).collect::<Vec<_>>(), "paging": {"start": start, "count": 500, "total": total}}))
            }
            _ => status(404, r#"{"message":"Not found"}"#),
        }
    })
    .await;
    let m = manager();
    let c = creds(&f.url);
    assert_eq!(
        m.test_connection(Platform::LinkedinAds, &c)
            .await
            .unwrap()
            .account_id,
        "555"
    );
    let (records, cursor) = run(&m, Platform::LinkedinAds, &c, None).await;
    let ps = perf(&records);
    assert_eq!(ps.len(), 501);
    assert_eq!(
        f.seen()
            .iter()
            .filter(|s| s.path == "/rest/adAnalytics")
            .count(),
        2
    );
    let p = ps[0];
    assert_eq!(
        (
            p.campaign_id.as_str(),
            p.creative_id.as_str(),
            p.day.as_str()
        ),
        ("777", "0", "2024-03-01")
    );
    assert_eq!(
        (
            p.impressions,
            p.clicks,
            p.spend_cents,
            p.conversions,
            p.revenue_cents
        ),
        (100, 3, 725, 1, 4000)
    );
    let before = f.hits();
    run(&m, Platform::LinkedinAds, &c, Some(cursor)).await;
    let t = chrono::Utc::now();
    let d = format!(
        "(year:{},month:{},day:{})",
        t.format("%Y"),
        t.format("%-m"),
        t.format("%-d")
    );
    assert!(
        f.seen()[before]
            .query
            .contains(&format!("dateRange=(start:{d},end:{d})")),
        "{}",
        f.seen()[before].query
    );
}

#[tokio::test]
async fn triplewhale_reads_one_summary_day_per_page() {
    let f = fake(|r, _| {
        assert_eq!(r.header("x-api-key").as_deref(), Some("secret-token"));
        match r.path.as_str() {
            "/api/v2/users/api-keys/me" => ok(json!({"id": "key1", "name": "OmniFy key"})),
            "/api/v2/summary-page/get-data" => {
                assert_eq!(r.body["shopDomain"], "acme.myshopify.com");
                assert_eq!(r.body["period"]["start"], r.body["period"]["end"]);
                let metric = |id: &str, service: &str, value: Value| json!({"id": id, "metricId": id, "title": id, "services": [service], "values": {"current": value, "previous": 0}});
                ok(json!({"metrics": [
                    metric("totalSales", "shopify", json!(36140.95)),
                    metric("facebookAds", "facebook-ads", json!(120.5)),
                    metric("facebookImpressions", "facebook-ads", json!(10000)),
                    metric("facebookClicks", "facebook-ads", json!(230)),
                    metric("facebookPurchases", "facebook-ads", json!(7)),
                    metric("facebookConversionValue", "facebook-ads", json!(640.25)),
                    metric("facebookRoas", "facebook-ads", json!(5.3)),
                    metric("googleAdsSpend", "google-ads", json!(80))
                ]}))
            }
            _ => status(404, r#"{"message":"not found"}"#),
        }
    })
    .await;
    let m = manager();
    let c = creds(&f.url);
    assert_eq!(
        m.test_connection(Platform::Triplewhale, &c)
            .await
            .unwrap()
            .account_id,
        "acme.myshopify.com"
    );
    let (records, cursor) = run(&m, Platform::Triplewhale, &c, None).await;
    let days: Vec<String> = f
        .seen()
        .iter()
        .filter(|s| s.path.ends_with("get-data"))
        .map(|s| s.body["period"]["start"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(days, vec![days_ago(2), days_ago(1), today()]);
    let ps = perf(&records);
    assert_eq!(
        ps.len(),
        6,
        "two channels a day, the store's own metrics are not a channel"
    );
    let fb = ps.iter().find(|p| p.campaign_id == "facebook-ads").unwrap();
    assert_eq!(
        (
            fb.impressions,
            fb.clicks,
            fb.spend_cents,
            fb.conversions,
            fb.revenue_cents
        ),
        (10_000, 230, 12_050, 7, 64_025)
    );
    let g = ps.iter().find(|p| p.campaign_id == "google-ads").unwrap();
    assert_eq!(g.spend_cents, 8000);
    let before = f.hits();
    run(&m, Platform::Triplewhale, &c, Some(cursor)).await;
    assert_eq!(f.seen()[before..].len(), 1, "only today is read again");
}
