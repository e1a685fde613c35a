//! A user of organization A can neither see nor touch anything of organization B, on any route.

mod common;

use common::{unique_email, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn finished_job(srv: &TestServer, token: &str, queued: &Value) -> Value {
    let id = queued["job_id"].as_str().unwrap_or_else(|| panic!("no job: {queued}"));
    for _ in 0..400 {
        let job = srv.get(&format!("/api/jobs/{id}"), token).await.body;
        if !matches!(job["status"].as_str(), Some("queued" | "running")) {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("job {id} did not finish");
}

both_backends! {
    async fn other_organizations_resources_are_not_found(srv) {
        let a = srv.register(&unique_email("a"), "Org A").await;
        let b = srv.register(&unique_email("b"), "Org B").await;
        let b_member = srv.add_member(&b, &unique_email("bm"), "member").await;
        let b_inv = srv.post("/api/auth/invitations", Some(&b.access), json!({ "email": unique_email("bi"), "role": "viewer" })).await;
        let b_inv_id = b_inv.body["invitation_id"].as_str().unwrap().to_string();

        // Every route that names a resource of B answers 404 to A's owner, and changes nothing.
        let attempts = [
            (Method::PUT, format!("/api/auth/organization/members/{}", b_member.user_id), Some(json!({ "role": "viewer" }))),
            (Method::PUT, format!("/api/auth/organization/members/{}", b.user_id), Some(json!({ "role": "viewer" }))),
            (Method::DELETE, format!("/api/auth/organization/members/{}", b_member.user_id), None),
            (Method::DELETE, format!("/api/auth/organization/members/{}", b.user_id), None),
            (Method::DELETE, format!("/api/auth/invitations/{b_inv_id}"), None),
        ];
        for (method, path, body) in attempts {
            let r = srv.call(method.clone(), &path, Some(&a.access), body).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {path}: {}", r.body);
            assert_eq!(r.error_code(), "not_found");
        }
        let members = srv.get("/api/auth/organization/members", &b.access).await;
        assert_eq!(members.body.as_array().unwrap().len(), 2);
        assert!(members.body.as_array().unwrap().iter().all(|m| m["role"] != "viewer"));
        assert_eq!(srv.get("/api/auth/invitations", &b.access).await.body.as_array().unwrap().len(), 1);

        // Every listing of A shows A's data only.
        let org = srv.get("/api/auth/organization", &a.access).await;
        assert_eq!(org.body["organization_id"], a.org_id.as_str());
        let list = srv.get("/api/auth/organization/members", &a.access).await;
        assert_eq!(list.body.as_array().unwrap().len(), 1);
        assert_eq!(list.body[0]["user_id"], a.user_id.as_str());
        assert!(srv.get("/api/auth/invitations", &a.access).await.body.as_array().unwrap().is_empty());
        let audit = srv.get("/api/audit-logs?limit=200", &a.access).await;
        assert!(audit.body["items"].as_array().unwrap().iter().all(|e| e["user_id"] == a.user_id.as_str()));
        let limits = srv.get("/api/auth/limits", &a.access).await;
        assert_eq!(limits.body["usage"][1]["used"], 1);
        let detailed = srv.get("/api/health/detailed", &a.access).await;
        assert_eq!(detailed.body["organization"]["organization_id"], a.org_id.as_str());
        assert_eq!(detailed.body["organization"]["members"], 1);

        // A's owner changing A's organization leaves B's untouched.
        srv.put("/api/auth/organization", &a.access, json!({ "name": "A renamed" })).await;
        assert_eq!(srv.get("/api/auth/organization", &b.access).await.body["name"], "Org B");

        // Logging out with B's refresh token as A does not end B's login.
        srv.post("/api/auth/logout", Some(&a.access), json!({ "refresh_token": b.refresh })).await;
        assert_eq!(srv.post("/api/auth/refresh", None, json!({ "refresh_token": b.refresh })).await.status, StatusCode::OK);
    }

    async fn campaigns_content_jobs_and_ai_calls_stay_in_their_organization(srv) {
        let a = srv.register(&unique_email("a"), "Org A").await;
        let b = srv.register(&unique_email("b"), "Org B").await;
        let ta = a.access.as_str();

        // A plans a campaign, has its strategy written and a piece generated, and has a customer.
        let campaign = srv.post("/api/campaigns", Some(ta), json!({ "name": "A's launch", "objective": "sales", "budget": 500,
            "starts_on": "2026-05-01", "ends_on": "2026-05-14", "platforms": ["linkedin", "email"] })).await;
        assert_eq!(campaign.status, StatusCode::CREATED, "{}", campaign.body);
        let cid = campaign.body["campaign_id"].as_str().unwrap().to_string();
        let strategy_job = finished_job(&srv, ta, &srv.post(&format!("/api/campaigns/{cid}/strategy"), Some(ta), json!({})).await.body).await;
        assert_eq!(strategy_job["status"], "completed", "{strategy_job}");
        let generated = srv.post("/api/content/generate", Some(ta), json!({ "campaign_id": cid, "platform": "linkedin", "format": "post", "brief": "A's secret launch" })).await;
        let content_job = finished_job(&srv, ta, &generated.body).await;
        assert_eq!(content_job["status"], "completed", "{content_job}");
        let content_id = content_job["result"]["content_id"].as_str().unwrap().to_string();
        let upload = srv.upload("/api/ingest/customers", ta, "text/csv", "customer_id,email,name\nc1,ann@a.example,Ann\n").await;
        assert_eq!(upload.status, StatusCode::OK, "{}", upload.body);
        let customer = srv.get("/api/customers", ta).await.body["items"][0]["customer_id"].as_str().unwrap().to_string();

        // Every route that names one of A's campaigns, pieces, jobs or customers answers 404 to
        // B's owner, and changes nothing.
        let attempts = [
            (Method::GET, format!("/api/campaigns/{cid}"), None),
            (Method::PUT, format!("/api/campaigns/{cid}"), Some(json!({ "name": "Taken" }))),
            (Method::DELETE, format!("/api/campaigns/{cid}"), None),
            (Method::POST, format!("/api/campaigns/{cid}/strategy"), Some(json!({}))),
            (Method::GET, format!("/api/content/{content_id}"), None),
            (Method::PUT, format!("/api/content/{content_id}"), Some(json!({ "body": "Taken over" }))),
            (Method::POST, format!("/api/content/{content_id}/status"), Some(json!({ "status": "in_review" }))),
            (Method::GET, format!("/api/content/{content_id}/export?format=txt"), None),
            (Method::GET, format!("/api/content/{content_id}/export?format=json"), None),
            (Method::DELETE, format!("/api/content/{content_id}"), None),
            (Method::GET, format!("/api/jobs/{}", strategy_job["job_id"].as_str().unwrap()), None),
            (Method::GET, format!("/api/jobs/{}", content_job["job_id"].as_str().unwrap()), None),
            (Method::GET, format!("/api/brain/client/{customer}"), None),
            // A's campaign cannot be borrowed for B's content either.
            (Method::POST, "/api/content/generate".to_string(), Some(json!({ "campaign_id": cid, "platform": "x", "format": "post", "brief": "Borrowed" }))),
            (Method::POST, "/api/content".to_string(), Some(json!({ "campaign_id": cid, "platform": "x", "body": "Borrowed" }))),
        ];
        for (method, path, body) in attempts {
            let r = srv.call(method.clone(), &path, Some(&b.access), body).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {path}: {}", r.body);
            assert_eq!(r.error_code(), "not_found");
        }
        // Listing content by A's campaign id shows B nothing.
        let listed = srv.get(&format!("/api/campaigns/{cid}/content"), &b.access).await;
        assert!(listed.status == StatusCode::NOT_FOUND || listed.body["content"] == json!([]), "{}", listed.body);

        // A's things are as A left them.
        let mine = srv.get(&format!("/api/campaigns/{cid}"), ta).await.body;
        assert_eq!(mine["campaign"]["name"], "A's launch");
        assert!(mine["strategy"].is_object());
        let piece = srv.get(&format!("/api/content/{content_id}"), ta).await.body;
        assert_eq!(piece["content"]["status"], "draft");
        assert_eq!(piece["content"]["version"], 1);

        // B's listings and AI pages show B's data only; its budget is its own.
        assert_eq!(srv.get("/api/campaigns", &b.access).await.body["campaigns"], json!([]));
        assert_eq!(srv.get("/api/content", &b.access).await.body["content"], json!([]));
        assert_eq!(srv.get(&format!("/api/content?campaign_id={cid}"), &b.access).await.body["content"], json!([]));
        let b_logs = srv.get("/api/ai/logs", &b.access).await.body;
        assert_eq!(b_logs["total"], 0, "{b_logs}");
        assert_eq!(b_logs["calls"], json!([]));
        assert_eq!(srv.get("/api/ai/usage", &b.access).await.body["today"]["calls"], 0);
        let a_logs = srv.get("/api/ai/logs", ta).await.body;
        assert_eq!(a_logs["total"], 2, "{a_logs}");
        let r = srv.put("/api/ai/budget", &b.access, json!({ "daily_budget_usd": 0.01 })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let a_usage = srv.get("/api/ai/usage", ta).await.body;
        assert_eq!(a_usage["budget_is_default"], true, "{a_usage}");
        assert_eq!(a_usage["today"]["calls"], 2);
    }
}
