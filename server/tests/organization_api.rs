//! The organization, its members, invitations, plan limits and audit log, on both databases.

mod common;

use common::{unique_email, PASSWORD};
use reqwest::StatusCode;
use serde_json::json;

both_backends! {
    async fn organization_read_by_all_changed_by_admins(srv) {
        let owner = srv.register(&unique_email("o"), "Org One").await;
        let viewer = srv.add_member(&owner, &unique_email("v"), "viewer").await;

        let seen = srv.get("/api/auth/organization", &viewer.access).await;
        assert_eq!(seen.status, StatusCode::OK);
        assert_eq!(seen.body["name"], "Org One");

        let denied = srv.put("/api/auth/organization", &viewer.access, json!({ "name": "Hijacked" })).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        assert_eq!(denied.error_code(), "forbidden");

        let updated = srv.put("/api/auth/organization", &owner.access, json!({ "name": "Org Renamed", "settings": { "timezone": "UTC" } })).await;
        assert_eq!(updated.status, StatusCode::OK);
        assert_eq!(updated.body["name"], "Org Renamed");
        assert_eq!(updated.body["settings"]["timezone"], "UTC");
        assert_eq!(srv.get("/api/auth/organization", &viewer.access).await.body["name"], "Org Renamed");

        let bad = srv.put("/api/auth/organization", &owner.access, json!({ "settings": [1, 2] })).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.body["field"], "settings");
    }

    async fn invitations_create_accept_list_revoke(srv) {
        let owner = srv.register(&unique_email("o"), "Org").await;
        let email = unique_email("invitee");
        let inv = srv.post("/api/auth/invitations", Some(&owner.access), json!({ "email": email, "role": "manager" })).await;
        assert_eq!(inv.status, StatusCode::CREATED);
        assert!(inv.body["expires_at"].as_str().unwrap().ends_with('Z'));
        let token = inv.body["token"].as_str().unwrap().to_string();

        let pending = srv.get("/api/auth/invitations", &owner.access).await;
        assert_eq!(pending.body.as_array().unwrap().len(), 1);
        assert_eq!(pending.body[0]["email"], email);
        assert!(pending.body[0].get("token").is_none(), "the token is shown once, never listed");

        let dup = srv.post("/api/auth/invitations", Some(&owner.access), json!({ "email": email, "role": "member" })).await;
        assert_eq!(dup.status, StatusCode::CONFLICT);

        let accepted = srv.post("/api/auth/invitations/accept", None, json!({ "token": token, "password": PASSWORD, "full_name": "New Person" })).await;
        assert_eq!(accepted.status, StatusCode::OK);
        assert_eq!(accepted.body["user"]["role"], "manager");
        assert_eq!(accepted.body["organization"]["organization_id"], owner.org_id.as_str());
        let reused = srv.post("/api/auth/invitations/accept", None, json!({ "token": token, "password": PASSWORD, "full_name": "Again" })).await;
        assert_eq!(reused.status, StatusCode::BAD_REQUEST);
        let tried = srv.get("/api/audit-logs?action=invitation.accept", &owner.access).await;
        let failed = tried.body["items"].as_array().unwrap().iter().find(|e| e["outcome"] == "failure").expect("the refused accept is recorded");
        assert_eq!(failed["details"]["reason"], "already_used");
        let unknown = srv.post("/api/auth/invitations/accept", None, json!({ "token": "nope", "password": PASSWORD, "full_name": "X" })).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);

        let manager_invite = srv.post("/api/auth/invitations", Some(accepted.body["access_token"].as_str().unwrap()), json!({ "email": unique_email("x"), "role": "member" })).await;
        assert_eq!(manager_invite.status, StatusCode::FORBIDDEN);

        let second = srv.post("/api/auth/invitations", Some(&owner.access), json!({ "email": unique_email("r"), "role": "viewer" })).await;
        let id = second.body["invitation_id"].as_str().unwrap();
        assert_eq!(srv.delete(&format!("/api/auth/invitations/{id}"), &owner.access).await.status, StatusCode::NO_CONTENT);
        assert_eq!(srv.delete(&format!("/api/auth/invitations/{id}"), &owner.access).await.status, StatusCode::NOT_FOUND);
        let revoked = srv.post("/api/auth/invitations/accept", None, json!({ "token": second.body["token"], "password": PASSWORD, "full_name": "X" })).await;
        assert_eq!(revoked.status, StatusCode::NOT_FOUND);
        assert!(srv.get("/api/auth/invitations", &owner.access).await.body.as_array().unwrap().is_empty());

        let bad_role = srv.post("/api/auth/invitations", Some(&owner.access), json!({ "email": unique_email("b"), "role": "boss" })).await;
        assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_role.body["field"], "role");
    }

    async fn member_roles_and_the_last_owner(srv) {
        let owner = srv.register(&unique_email("o"), "Org").await;
        let admin = srv.add_member(&owner, &unique_email("a"), "admin").await;
        let member = srv.add_member(&owner, &unique_email("m"), "member").await;

        let list = srv.get("/api/auth/organization/members", &member.access).await;
        assert_eq!(list.body.as_array().unwrap().len(), 3);

        // Members cannot change roles; admins can, but not an owner's.
        let path = |id: &str| format!("/api/auth/organization/members/{id}");
        assert_eq!(srv.put(&path(&admin.user_id), &member.access, json!({ "role": "viewer" })).await.status, StatusCode::FORBIDDEN);
        let promoted = srv.put(&path(&member.user_id), &admin.access, json!({ "role": "manager" })).await;
        assert_eq!(promoted.status, StatusCode::OK);
        assert_eq!(promoted.body["role"], "manager");
        assert_eq!(srv.put(&path(&owner.user_id), &admin.access, json!({ "role": "viewer" })).await.status, StatusCode::FORBIDDEN);
        assert_eq!(srv.put(&path(&member.user_id), &admin.access, json!({ "role": "owner" })).await.status, StatusCode::FORBIDDEN);

        // The last owner can be neither demoted nor removed.
        let demote_self = srv.put(&path(&owner.user_id), &owner.access, json!({ "role": "admin" })).await;
        assert_eq!(demote_self.status, StatusCode::BAD_REQUEST);
        assert_eq!(demote_self.error_code(), "bad_request");
        assert_eq!(srv.delete(&path(&owner.user_id), &owner.access).await.status, StatusCode::BAD_REQUEST);

        // With a second owner, the first may step down.
        assert_eq!(srv.put(&path(&admin.user_id), &owner.access, json!({ "role": "owner" })).await.status, StatusCode::OK);
        assert_eq!(srv.put(&path(&owner.user_id), &owner.access, json!({ "role": "admin" })).await.status, StatusCode::OK);
        // The role change is effective at once, with the same token.
        assert_eq!(srv.get("/api/auth/verify", &owner.access).await.body["role"], "admin");

        // Removing a member ends their access immediately.
        assert_eq!(srv.delete(&path(&member.user_id), &admin.access).await.status, StatusCode::NO_CONTENT);
        assert_eq!(srv.get("/api/auth/me", &member.access).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(srv.post("/api/auth/refresh", None, json!({ "refresh_token": member.refresh })).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(srv.delete(&path(&member.user_id), &admin.access).await.status, StatusCode::NOT_FOUND);
    }

    async fn plan_limits_count_real_usage_and_are_enforced(srv) {
        let owner = srv.register(&unique_email("o"), "Org").await;
        let limits = srv.get("/api/auth/limits", &owner.access).await;
        assert_eq!(limits.status, StatusCode::OK);
        assert_eq!(limits.body["subscription_tier"], "free");
        let seats = limits.body["usage"].as_array().unwrap().iter().find(|u| u["resource"] == "seats").unwrap().clone();
        assert_eq!(seats["used"], 1);
        let cap = seats["limit"].as_i64().unwrap();
        for _ in 1..cap {
            let r = srv.post("/api/auth/invitations", Some(&owner.access), json!({ "email": unique_email("s"), "role": "member" })).await;
            assert_eq!(r.status, StatusCode::CREATED);
        }
        let over = srv.post("/api/auth/invitations", Some(&owner.access), json!({ "email": unique_email("s"), "role": "member" })).await;
        assert_eq!(over.status, StatusCode::BAD_REQUEST);
        assert!(over.body["message"].as_str().unwrap().contains("seats"));
        let after = srv.get("/api/auth/limits", &owner.access).await;
        let used = after.body["usage"].as_array().unwrap().iter().find(|u| u["resource"] == "pending_invitations").unwrap()["used"].clone();
        assert_eq!(used, cap - 1);
    }

    async fn audit_log_records_changes_for_admins_only(srv) {
        let owner = srv.register(&unique_email("o"), "Org").await;
        let member = srv.add_member(&owner, &unique_email("m"), "member").await;
        srv.put("/api/auth/organization", &member.access, json!({ "name": "Nope" })).await;
        srv.post("/api/auth/login", None, json!({ "email": "nobody@example.com", "password": "whatever1" })).await;

        let page = srv.get("/api/audit-logs?limit=50", &owner.access).await;
        assert_eq!(page.status, StatusCode::OK);
        let actions: Vec<&str> = page.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        for expected in ["auth.register", "invitation.create", "invitation.accept", "organization.update"] {
            assert!(actions.contains(&expected), "{expected} missing from {actions:?}");
        }
        let denied = page.body["items"].as_array().unwrap().iter().find(|e| e["action"] == "organization.update").unwrap();
        assert_eq!(denied["outcome"], "failure");
        assert_eq!(denied["user_id"], member.user_id.as_str());
        assert_eq!(denied["ip"], "127.0.0.1");
        assert!(denied["created_at"].as_str().unwrap().ends_with('Z'));

        let filtered = srv.get("/api/audit-logs?action=auth.register", &owner.access).await;
        assert_eq!(filtered.body["total"], 1);
        assert_eq!(filtered.body["items"][0]["action"], "auth.register");
        let paged = srv.get("/api/audit-logs?limit=1&offset=1", &owner.access).await;
        assert_eq!(paged.body["items"].as_array().unwrap().len(), 1);
        assert_eq!(paged.body["total"], page.body["total"]);

        assert_eq!(srv.get("/api/audit-logs", &member.access).await.status, StatusCode::FORBIDDEN);
        let bad = srv.get("/api/audit-logs?limit=0", &owner.access).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let bad = srv.get("/api/audit-logs?limit=abc", &owner.access).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn concurrent_demotions_never_leave_an_organization_without_an_owner(srv) {
        let path = |id: &str| format!("/api/auth/organization/members/{id}");
        for round in 0..8 {
            let a = srv.register(&unique_email(&format!("a{round}")), "Race").await;
            let b = srv.add_member(&a, &unique_email(&format!("b{round}")), "admin").await;
            assert_eq!(srv.put(&path(&b.user_id), &a.access, json!({ "role": "owner" })).await.status, StatusCode::OK);
            // Each owner demotes the other at the same moment: at most one may succeed.
            let (path_a, path_b) = (path(&a.user_id), path(&b.user_id));
            let (ra, rb) = tokio::join!(
                srv.put(&path_b, &a.access, json!({ "role": "member" })),
                srv.put(&path_a, &b.access, json!({ "role": "member" })),
            );
            let ok = [ra.status, rb.status].iter().filter(|s| **s == StatusCode::OK).count();
            let members = srv.get("/api/auth/organization/members", &a.access).await;
            let owners = members.body.as_array().unwrap().iter().filter(|m| m["role"] == "owner").count();
            assert_eq!(owners, 1, "round {round}: {ok} demotions succeeded ({} / {})", ra.status, rb.status);
        }
    }

    async fn concurrent_invitations_cannot_overfill_the_plan(srv) {
        let owner = srv.register(&unique_email("o"), "Org").await;
        // Five seats, one taken by the owner: of eight simultaneous invitations, four may land.
        let emails: Vec<String> = (0..8).map(|i| unique_email(&format!("c{i}"))).collect();
        let replies = futures_util::future::join_all(emails.iter().map(|e| {
            srv.post("/api/auth/invitations", Some(&owner.access), json!({ "email": e, "role": "member" }))
        }))
        .await;
        let created = replies.iter().filter(|r| r.status == StatusCode::CREATED).count();
        assert!(replies.iter().all(|r| r.status == StatusCode::CREATED || r.status == StatusCode::BAD_REQUEST));
        assert_eq!(created, 4);
        assert_eq!(srv.get("/api/auth/invitations", &owner.access).await.body.as_array().unwrap().len(), 4);
    }
}
