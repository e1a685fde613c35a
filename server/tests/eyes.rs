//! EYES over the API on both backends: an analysis runs as a job over the organization's data
//! (the sample shop, whose customers buy by a known process in distinct groups), and its
//! segments, churn scores, models and patterns are read back — by that organization only.

mod common;

use common::{unique_email, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// How long a background job may take here.
const JOB_WAIT: std::time::Duration = std::time::Duration::from_secs(240);

/// Queues an analysis (joining one already queued) and waits for it.
async fn analyze(srv: &TestServer, token: &str) -> Value {
    let queued = srv.post("/api/eyes/analyze", Some(token), json!({})).await;
    assert_eq!(queued.status, StatusCode::ACCEPTED, "{}", queued.body);
    srv.wait_for_job(token, queued.body["job_id"].as_str().unwrap(), JOB_WAIT).await
}

/// Three unmistakable groups: frequent big spenders active across channels, customers who
/// bought twice long ago and went quiet, and new customers with one small first order.
fn grouped_shop() -> (String, String) {
    let now = chrono::Utc::now().timestamp();
    let day = 86_400;
    let at = |days_ago: i64| chrono::DateTime::from_timestamp(now - days_ago * day, 0).unwrap().to_rfc3339();
    let mut orders = String::from("order_id,email,amount,ordered_at\n");
    let mut events = String::from("email,event_type,occurred_at,channel,content_id\n");
    for i in 0..60 {
        for k in 0..12 {
            orders += &format!("v{i}-{k},vip{i}@shop.test,{}.00,{}\n", 380 + (i * 7 + k) % 40, at(5 + k * 25 + i % 5));
        }
        for k in 0..24 {
            let channel = ["email", "web", "sms"][(k % 3) as usize];
            events += &format!("vip{i}@shop.test,page_view,{},{channel},c{}\n", at(1 + k * 3 + i % 3), k % 6);
        }
        orders += &format!("l{i}-1,lapsed{i}@shop.test,{}.00,{}\n", 25 + i % 10, at(330 + i % 20));
        orders += &format!("l{i}-2,lapsed{i}@shop.test,{}.00,{}\n", 30 + i % 10, at(300 + i % 20));
        orders += &format!("n{i},new{i}@shop.test,{}.00,{}\n", 55 + i % 10, at(3 + i % 6));
        events += &format!("new{i}@shop.test,page_view,{},web,c0\n", at(2 + i % 4));
    }
    (orders, events)
}

both_backends! {
    async fn an_analysis_finds_segments_scores_churn_and_explains_them(srv) {
        let owner = srv.register(&unique_email("eyes"), "Eyes Shop").await;
        let t = owner.access.as_str();

        let none = srv.get("/api/eyes/segments/30d", t).await;
        assert_eq!(none.status, StatusCode::OK, "{}", none.body);
        assert!(none.body["run"].is_null());
        let empty = analyze(&srv, t).await;
        assert_eq!(empty["status"], "failed");
        assert!(empty["error"].as_str().unwrap().contains("no customers"), "{empty}");

        let loaded = srv.post("/api/onboarding/sample-data", Some(t), json!({ "customers": 400, "seed": 3 })).await;
        assert_eq!(loaded.status, StatusCode::OK, "{}", loaded.body);
        // New data queues a refresh by itself; asking again joins it.
        let job = analyze(&srv, t).await;
        assert_eq!(job["status"], "completed", "{job}");
        assert_eq!(job["result"]["customers"], 400);

        let s = srv.get("/api/eyes/segments/30d", t).await.body;
        assert_eq!(s["run"]["customers"], 400, "{s}");
        assert_eq!(s["stale"], false);
        let algorithms = s["algorithms"].as_array().unwrap();
        assert_eq!(algorithms.len(), 3, "k-means, Ward and DBSCAN all compete: {s}");
        for a in algorithms {
            assert!(a["silhouette"].is_f64() || a["note"].is_string(), "each algorithm has a score or a reason: {a}");
        }
        if s["structure_found"] == true {
            let segments = s["segments"].as_array().unwrap();
            assert!(segments.len() >= 2, "{s}");
            let winner = &s["winner"];
            assert!(winner["silhouette"].as_f64().unwrap() >= 0.45, "the quality gate holds: {winner}");
            let total: u64 = segments.iter().map(|x| x["size"].as_u64().unwrap()).sum();
            assert_eq!(total + s["noise_count"].as_u64().unwrap(), 400);
            for seg in segments {
                assert!(!seg["name"].as_str().unwrap().is_empty());
                assert!(!seg["distinguishing_features"].as_array().unwrap().is_empty(), "every segment says what sets it apart: {seg}");
                assert_eq!(seg["centre"].as_array().unwrap().len(), 11);
                let mix = &seg["churn_mix"];
                assert_eq!(mix["high"].as_u64().unwrap() + mix["medium"].as_u64().unwrap() + mix["low"].as_u64().unwrap(), seg["size"].as_u64().unwrap());
            }
        } else {
            assert!(s["message"].as_str().unwrap().starts_with("no clear segment structure"), "{}", s["message"]);
            assert!(s["segments"].as_array().unwrap().is_empty());
        }
        // Churn at 30 days: trained on real later behaviour, scored on a held-out window.
        let churn = &s["churn"];
        assert!(churn["error"].is_null(), "{churn}");
        let auc = churn["auc"].as_f64().unwrap();
        assert!(auc > 0.6, "the sample shop's churn follows recency, a model finds it: {churn}");
        let histogram: u64 = churn["risk_histogram"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).sum();
        let levels = &churn["levels"];
        assert_eq!(histogram, levels["high"].as_u64().unwrap() + levels["medium"].as_u64().unwrap() + levels["low"].as_u64().unwrap());
        assert!(s["total_clv_cents"].as_f64().unwrap() > 0.0);
        assert!(!s["projection"].as_array().unwrap().is_empty());
        assert_eq!(srv.get("/api/eyes/segments/45d", t).await.status, StatusCode::BAD_REQUEST);

        // One customer's scores and reasons.
        let customers = srv.get("/api/customers?limit=5", t).await.body;
        let customer_id = customers["items"][0]["customer_id"].as_str().unwrap().to_string();
        let risk = srv.get(&format!("/api/eyes/churn-risk/{customer_id}?timeframe=90d"), t).await;
        assert_eq!(risk.status, StatusCode::OK, "{}", risk.body);
        assert_eq!(risk.body["timeframe"], "90d");
        assert!(risk.body["risks"].as_array().unwrap().iter().all(|r| r.is_f64()), "{}", risk.body);
        assert_eq!(risk.body["churn_risk"], risk.body["risks"][2]);
        assert!(!risk.body["reasons"].as_array().unwrap().is_empty(), "{}", risk.body);
        assert_eq!(risk.body["features"].as_array().unwrap().len(), 11);
        let p_alive = risk.body["p_alive"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p_alive));

        // Models and their history.
        let perf = srv.get("/api/eyes/model-performance", t).await.body;
        let horizons = perf["horizons"].as_array().unwrap();
        assert_eq!(horizons.len(), 3);
        for h in horizons {
            if h["error"].is_null() {
                assert_eq!(h["models"].as_array().unwrap().len(), 2, "logistic regression and trees: {h}");
                assert_eq!(h["baselines"].as_array().unwrap().len(), 2, "recency and 1 - P(alive): {h}");
                assert!(!h["models"][0]["roc"].as_array().unwrap().is_empty());
            }
        }
        assert!(perf["lifetime_value"]["bgnbd"].is_array(), "{perf}");

        // The same data and seed give the same results.
        let again = analyze(&srv, t).await;
        assert_eq!(again["status"], "completed");
        let s2 = srv.get("/api/eyes/segments/30d", t).await.body;
        assert_eq!(s2["algorithms"].as_array().unwrap().iter().map(|a| a["silhouette"].clone()).collect::<Vec<_>>(),
                   algorithms.iter().map(|a| a["silhouette"].clone()).collect::<Vec<_>>());
        assert_eq!(s2["churn"]["auc"], s["churn"]["auc"]);
        assert_eq!(s2["segments"].as_array().unwrap().iter().map(|x| (x["name"].clone(), x["size"].clone())).collect::<Vec<_>>(),
                   s["segments"].as_array().unwrap().iter().map(|x| (x["name"].clone(), x["size"].clone())).collect::<Vec<_>>());
        let history = srv.get("/api/eyes/model-performance", t).await.body["history"].as_array().unwrap().len();
        // The failed run, the refresh the sample data queued, and the runs asked for (one of
        // which may have joined the queued refresh) are all kept.
        assert!((3..=4).contains(&history), "{history}");

        let patterns = srv.get("/api/eyes/cross-platform-patterns", t).await.body;
        assert!(patterns["customers_with_channels"].as_u64().unwrap() > 0, "{patterns}");
        assert!(!patterns["journeys"].as_array().unwrap().is_empty());
    }

    async fn segments_drill_down_and_become_retention_campaigns_for_their_organization_only(srv) {
        let owner = srv.register(&unique_email("seg"), "Segment Shop").await;
        let t = owner.access.as_str();
        let (orders, events) = grouped_shop();
        assert_eq!(srv.upload("/api/ingest/orders", t, "text/csv", orders).await.status, StatusCode::OK);
        assert_eq!(srv.upload("/api/ingest/events", t, "text/csv", events).await.status, StatusCode::OK);
        assert_eq!(analyze(&srv, t).await["status"], "completed");
        let s = srv.get("/api/eyes/segments/60d", t).await.body;
        assert_eq!(s["structure_found"], true, "three unmistakable groups are found: {}", s["message"]);
        let segments = s["segments"].as_array().unwrap();
        assert_eq!(segments.len(), 3, "{}", s["algorithms"]);
        assert!(segments.iter().all(|x| x["size"] == 60), "each group is one segment: {segments:?}");
        let names: Vec<&str> = segments.iter().map(|x| x["name"].as_str().unwrap()).collect();
        assert!(names.iter().all(|n| !n.is_empty()) && names[0] != names[1] && names[1] != names[2], "{names:?}");
        let segment_id = segments[0]["segment_id"].as_str().unwrap().to_string();
        let customer_id = srv.get("/api/customers?limit=1", t).await.body["items"][0]["customer_id"].as_str().unwrap().to_string();

        {
            let page = srv.get(&format!("/api/eyes/segments/{segment_id}/customers?limit=10"), t).await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            let rows = page.body["customers"].as_array().unwrap();
            assert!(!rows.is_empty() && rows.len() <= 10);
            let risks: Vec<f64> = rows.iter().map(|r| r["churn_risk"].as_f64().unwrap()).collect();
            assert!(risks.windows(2).all(|w| w[0] >= w[1]), "riskiest first: {risks:?}");

            let draft = srv.post("/api/eyes/trigger-retention-campaign", Some(t), json!({ "segment_id": segment_id, "campaign_type": "sms" })).await;
            assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
            assert_eq!(draft.body["status"], "draft");
            assert_eq!(draft.body["channel"], "sms");
            assert_eq!(draft.body["audience_size"], s["segments"][0]["size"]);
        }
        let bad = srv.post("/api/eyes/trigger-retention-campaign", Some(t), json!({ "segment_id": segment_id, "campaign_type": "fax" })).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let unknown = srv.post("/api/eyes/trigger-retention-campaign", Some(t), json!({ "segment_id": "nope:0", "campaign_type": "email" })).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);

        // A viewer reads but cannot start analyses or create campaigns.
        let viewer = srv.add_member(&owner, &unique_email("seg-viewer"), "viewer").await;
        assert_eq!(srv.get("/api/eyes/segments/30d", &viewer.access).await.status, StatusCode::OK);
        assert_eq!(srv.post("/api/eyes/analyze", Some(&viewer.access), json!({})).await.status, StatusCode::FORBIDDEN);

        // Another organization sees none of it.
        let other = srv.register(&unique_email("seg-other"), "Other Shop").await;
        let o = other.access.as_str();
        assert!(srv.get("/api/eyes/segments/30d", o).await.body["run"].is_null());
        assert!(srv.get("/api/eyes/model-performance", o).await.body["history"].as_array().unwrap().is_empty());
        assert!(srv.get("/api/eyes/cross-platform-patterns", o).await.body["run"].is_null());
        assert_eq!(srv.get(&format!("/api/eyes/segments/{segment_id}/customers"), o).await.status, StatusCode::NOT_FOUND);
        assert_eq!(srv.get(&format!("/api/eyes/churn-risk/{customer_id}"), o).await.status, StatusCode::NOT_FOUND);
        let theirs = srv.post("/api/eyes/trigger-retention-campaign", Some(o), json!({ "segment_id": segment_id, "campaign_type": "email" })).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND);
        assert_eq!(srv.call(reqwest::Method::GET, "/api/eyes/segments/30d", None, None).await.status, StatusCode::UNAUTHORIZED);
    }
}
