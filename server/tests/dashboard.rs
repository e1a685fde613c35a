//! The dashboard overview (last 30 days against the 30 before) and its live-update stream.

mod common;

use common::unique_email;
use futures_util::StreamExt;
use reqwest::StatusCode;

fn day(offset_days: i64) -> String {
    let t = chrono::Utc::now().timestamp() - offset_days * 86_400;
    chrono::DateTime::from_timestamp(t, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

both_backends! {
    async fn overview_compares_the_last_30_days_with_the_30_before(srv) {
        let owner = srv.register(&unique_email("dash"), "Dash").await;
        let t = owner.access.as_str();
        let empty = srv.get("/api/dashboard/overview", t).await;
        assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
        assert_eq!(empty.body["customers_total"], 0);
        assert_eq!(empty.body["daily"].as_array().unwrap().len(), 30);

        let orders = format!(
            "order_id,email,amount,ordered_at\n1,a@x.io,10.00,{}\n2,b@x.io,20.00,{}\n3,a@x.io,5.00,{}\n4,c@x.io,99.00,{}\n",
            day(1), day(12), day(40), day(75)
        );
        srv.upload("/api/ingest/orders", t, "text/csv", orders).await;
        let perf = format!(
            "platform,campaign_id,date,impressions,clicks,spend,conversions,revenue\nmeta_ads,c1,{},1000,20,50.00,2,100.00\nmeta_ads,c1,{},500,5,10.00,0,0\ngoogle_ads,g1,{},300,30,30.00,3,90.00\n",
            &day(2)[..10], &day(45)[..10], &day(3)[..10]
        );
        srv.upload("/api/ingest/performance", t, "text/csv", perf).await;

        let o = srv.get("/api/dashboard/overview", t).await.body;
        assert_eq!(o["customers_total"], 3);
        assert_eq!(o["orders"]["current"], 2, "{o}");
        assert_eq!(o["orders"]["previous"], 1, "{o}");
        assert_eq!(o["revenue_cents"]["current"], 3000);
        assert_eq!(o["revenue_cents"]["previous"], 500);
        // b@x.io first bought 12 days ago; a@x.io 40 days ago; c@x.io 75 days ago (outside both).
        assert_eq!(o["new_customers"]["current"], 1, "{o}");
        assert_eq!(o["new_customers"]["previous"], 1, "{o}");
        let daily = o["daily"].as_array().unwrap();
        assert_eq!(daily.len(), 30);
        assert_eq!(daily.iter().map(|d| d["revenue_cents"].as_i64().unwrap()).sum::<i64>(), 3000);
        assert_eq!(daily.last().unwrap()["day"], &day(0)[..10]);
        let perf = o["performance"].as_array().unwrap();
        assert_eq!(perf.len(), 2);
        assert_eq!(perf[1]["platform"], "meta_ads");
        assert_eq!(perf[1]["impressions"], 1000, "the 45-day-old row is outside the window");
        assert_eq!(perf[0]["spend_cents"], 3000);

        let other = srv.register(&unique_email("dash2"), "Other").await;
        assert_eq!(srv.get("/api/dashboard/overview", &other.access).await.body["customers_total"], 0);
    }

    async fn the_stream_announces_changes_of_the_callers_organization_only(srv) {
        let a = srv.register(&unique_email("sa"), "Stream A").await;
        let b = srv.register(&unique_email("sb"), "Stream B").await;
        let resp = srv.client.get(srv.url("/api/dashboard/stream")).bearer_auth(&a.access).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
        let mut body = resp.bytes_stream();
        srv.upload("/api/ingest/customers", &b.access, "text/csv", "email\nb@x.io\n").await;
        srv.upload("/api/ingest/customers", &a.access, "text/csv", "email\na@x.io\n").await;
        let mut seen = String::new();
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while !seen.contains("\n\n") {
            let chunk = tokio::time::timeout_at(deadline, body.next()).await.expect("an event within 10 s").unwrap().unwrap();
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        assert!(seen.contains("event: data_changed"), "{seen}");
        assert!(seen.contains(&format!("data: {}", a.org_id)), "only A's change reaches A: {seen}");
        assert!(!seen.contains(&b.org_id), "{seen}");
        assert_eq!(srv.call(reqwest::Method::GET, "/api/dashboard/stream", None, None).await.status, StatusCode::UNAUTHORIZED);
    }
}
