//! Signed webhooks: only a correctly signed, fresh, first delivery stores anything.

mod common;

use common::unique_email;
use omnify::services::webhooks::sign;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn deliver(srv: &common::TestServer, path: &str, secret: &str, at: i64, body: &Value) -> common::Reply {
    let bytes = serde_json::to_vec(body).unwrap();
    let resp = srv
        .client
        .post(srv.url(path))
        .header("content-type", "application/json")
        .header("x-omnify-timestamp", at.to_string())
        .header("x-omnify-signature", sign(secret, at, &bytes))
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.json().await.unwrap_or(Value::Null);
    common::Reply { status, headers, body }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

both_backends! {
    async fn signed_deliveries_land_once_and_bad_ones_store_nothing(srv) {
        let owner = srv.register(&unique_email("wh"), "Hooked Shop").await;
        let t = owner.access.as_str();
        let slug = srv.get("/api/auth/organization", t).await.body["slug"].as_str().unwrap().to_string();

        let settings = srv.get("/api/webhooks/settings", t).await;
        assert_eq!(settings.body["configured"], false);
        assert_eq!(settings.body["endpoint"], format!("/api/webhooks/{slug}/{{source}}"));
        let created = srv.post("/api/webhooks/secret", Some(t), json!({})).await;
        assert_eq!(created.status, StatusCode::CREATED);
        let secret = created.body["secret"].as_str().unwrap().to_string();
        assert!(secret.starts_with("whsec_"));
        let settings = srv.get("/api/webhooks/settings", t).await;
        assert_eq!(settings.body["configured"], true);
        assert!(!settings.body.to_string().contains(&secret), "the secret is shown once only");

        let path = format!("/api/webhooks/{slug}/shopify");
        let order = json!({ "id": "evt_1", "type": "orders", "data": [
            { "order_id": "1001", "email": "kim@example.com", "amount": "59.00", "currency": "EUR", "ordered_at": "2026-03-01T12:00:00Z" }
        ]});

        // Wrong secret, stale timestamp, tampered body: 401 and nothing stored.
        let r = deliver(&srv, &path, "whsec_wrong", now(), &order).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.error_code(), "unauthenticated");
        let r = deliver(&srv, &path, &secret, now() - 600, &order).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body["message"].as_str().unwrap().contains("5 minutes"));
        let at = now();
        let tampered = srv.client.post(srv.url(&path))
            .header("x-omnify-timestamp", at.to_string())
            .header("x-omnify-signature", sign(&secret, at, order.to_string().as_bytes()))
            .body(order.to_string().replace("59.00", "5.00")).send().await.unwrap();
        assert_eq!(tampered.status(), StatusCode::UNAUTHORIZED);
        let unsigned = srv.client.post(srv.url(&path)).body(order.to_string()).send().await.unwrap();
        assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(srv.get("/api/customers", t).await.body["total"], 0);

        // A good delivery lands, with the source as its platform; its replay is ignored.
        let r = deliver(&srv, &path, &secret, now(), &order).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["status"], "accepted");
        assert_eq!(r.body["inserted"], 1);
        let r = deliver(&srv, &path, &secret, now(), &order).await;
        assert_eq!(r.body["status"], "duplicate");
        let page = srv.get("/api/customers", t).await;
        assert_eq!(page.body["total"], 1);
        assert_eq!(page.body["items"][0]["revenue_cents"], 5900);
        let kim = page.body["items"][0]["customer_id"].as_str().unwrap().to_string();
        let detail = srv.get(&format!("/api/customers/{kim}"), t).await;
        assert_eq!(detail.body["orders"][0]["platform"], "shopify");
        assert_eq!(detail.body["orders"][0]["currency"], "EUR");

        // A delivery with one bad record stores none of it, and says which.
        let mixed = json!({ "id": "evt_2", "type": "events", "data": [
            { "email": "kim@example.com", "event_type": "page_view", "occurred_at": "2026-03-02" },
            { "email": "kim@example.com", "occurred_at": "2026-03-02" }
        ]});
        let r = deliver(&srv, &path, &secret, now(), &mixed).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.body["details"]["row_errors"][0]["line"], 2);
        assert_eq!(r.body["details"]["row_errors"][0]["column"], "event_type");
        let detail = srv.get(&format!("/api/customers/{kim}"), t).await;
        assert_eq!(detail.body["event_count"], 0);

        // Rotating the secret retires the old one at once.
        let rotated = srv.post("/api/webhooks/secret", Some(t), json!({})).await.body["secret"].as_str().unwrap().to_string();
        let next = json!({ "id": "evt_3", "type": "customers", "data": { "email": "lee@example.com", "name": "Lee" } });
        assert_eq!(deliver(&srv, &path, &secret, now(), &next).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(deliver(&srv, &path, &rotated, now(), &next).await.status, StatusCode::OK);
        let settings = srv.get("/api/webhooks/settings", t).await;
        assert_eq!(settings.body["deliveries_last_24h"], 2);
    }

    async fn webhook_secrets_are_per_organization_and_admin_only(srv) {
        let a = srv.register(&unique_email("wa"), "Hook A").await;
        let b = srv.register(&unique_email("wb"), "Hook B").await;
        let member = srv.add_member(&a, &unique_email("wm"), "member").await;
        let r = srv.post("/api/webhooks/secret", Some(&member.access), json!({})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let a_secret = srv.post("/api/webhooks/secret", Some(&a.access), json!({})).await.body["secret"].as_str().unwrap().to_string();
        let b_slug = srv.get("/api/auth/organization", &b.access).await.body["slug"].as_str().unwrap().to_string();
        srv.post("/api/webhooks/secret", Some(&b.access), json!({})).await;

        // A's secret cannot write into B; an unknown organization looks the same.
        let body = json!({ "id": "x1", "type": "customers", "data": { "email": "spy@example.com" } });
        let r = deliver(&srv, &format!("/api/webhooks/{b_slug}/custom"), &a_secret, now(), &body).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = deliver(&srv, "/api/webhooks/no-such-org/custom", &a_secret, now(), &body).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(srv.get("/api/customers", &b.access).await.body["total"], 0);
        assert_eq!(srv.get("/api/webhooks/settings", &b.access).await.body["deliveries_last_24h"], 0);
    }
}
