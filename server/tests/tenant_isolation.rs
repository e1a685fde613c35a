//! A user of organization A can neither see nor touch anything of organization B, on any route.

mod common;

use common::unique_email;
use reqwest::{Method, StatusCode};
use serde_json::json;

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
}
