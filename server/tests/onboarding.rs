//! The guided setup: validated steps, skipping and revisiting, progress kept on the server.

mod common;

use common::unique_email;
use reqwest::StatusCode;
use serde_json::json;

both_backends! {
    async fn the_wizard_validates_each_step_and_keeps_progress(srv) {
        let owner = srv.register(&unique_email("wiz"), "Wizards").await;
        let t = owner.access.as_str();
        let s = srv.get("/api/onboarding", t).await.body;
        assert_eq!(s["current_step"], 1);
        assert_eq!(s["steps"].as_array().unwrap().len(), 8);
        assert_eq!(s["completed"], false);

        // Step 1 refuses bad answers and keeps nothing of them.
        let r = srv.put("/api/onboarding/steps/1", t, json!({ "industry": "", "size": "11-50" })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.body["field"], "industry");
        let r = srv.put("/api/onboarding/steps/1", t, json!({ "industry": "Retail", "size": "11-50", "website": "shop" })).await;
        assert_eq!(r.body["field"], "website");
        let r = srv.put("/api/onboarding/steps/1", t, json!({ "industry": "Retail", "size": "11-50", "website": "https://shop.example" })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["current_step"], 2);
        assert_eq!(r.body["steps"][0]["status"], "done");

        let r = srv.put("/api/onboarding/steps/2", t, json!({ "voice": "Warm and direct", "tone": "friendly" })).await;
        assert_eq!(r.body["current_step"], 3);
        let r = srv.put("/api/onboarding/steps/3", t, json!({ "kpi": "roas" })).await;
        assert_eq!(r.body["field"], "goals");
        srv.put("/api/onboarding/steps/3", t, json!({ "goal_retain_customers": "on", "kpi": "retention_rate" })).await;

        // Step 4 needs a connected platform: it can be skipped instead.
        let r = srv.put("/api/onboarding/steps/4", t, json!({})).await;
        assert_eq!(r.body["field"], "platforms");
        let r = srv.post("/api/onboarding/steps/4/skip", Some(t), json!({})).await;
        assert_eq!(r.body["steps"][3]["status"], "skipped");
        assert_eq!(r.body["current_step"], 5);

        // Step 5: the sample data make it pass, and the readiness checks see them.
        assert_eq!(srv.put("/api/onboarding/steps/5", t, json!({})).await.body["field"], "customers");
        // EYES cannot start without data: step 7 says what is missing.
        let r = srv.put("/api/onboarding/steps/7", t, json!({})).await;
        assert_eq!(r.body["field"], "eyes", "{}", r.body);
        assert!(r.body["message"].as_str().unwrap().contains("0 customers"), "{}", r.body);
        let r = srv.post("/api/onboarding/sample-data", Some(t), json!({ "customers": 300, "seed": 5 })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = srv.put("/api/onboarding/steps/5", t, json!({})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["customers"], 300);
        let ready = r.body["readiness"].as_array().unwrap();
        assert!(ready.iter().all(|c| c["passed"] == true), "{ready:?}");

        let r = srv.put("/api/onboarding/steps/6", t, json!({ "basis": "opt_in", "retention_days": "10" })).await;
        assert_eq!(r.body["field"], "retention_days");
        srv.put("/api/onboarding/steps/6", t, json!({ "basis": "opt_in", "retention_days": "730", "honour_dnt": "on" })).await;
        // Step 7 starts EYES' first analysis on the data the readiness checks passed.
        let r = srv.put("/api/onboarding/steps/7", t, json!({})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let job_id = r.body["answers"]["eyes"]["analysis_job_id"].as_str().expect("an analysis job").to_string();
        let job = srv.wait_for_job(t, &job_id, std::time::Duration::from_secs(240)).await;
        assert_eq!(job["status"], "completed", "{job}");
        assert_eq!(job["kind"], "eyes_analyze", "{job}");
        let segments = srv.get("/api/eyes/segments/30d", t).await;
        assert_eq!(segments.status, StatusCode::OK, "{}", segments.body);
        let r = srv.put("/api/onboarding/steps/8", t, json!({ "name": "Win back", "objective": "win_back", "audience": "Lapsed buyers", "budget": "abc" })).await;
        assert_eq!(r.body["field"], "budget");
        let r = srv.put("/api/onboarding/steps/8", t, json!({ "name": "Win back", "objective": "win_back", "audience": "Lapsed buyers", "budget": "1,500" })).await;
        assert_eq!(r.status, StatusCode::OK);

        // Progress is on the server: a fresh read (another device) sees every answer.
        let s = srv.get("/api/onboarding", t).await.body;
        assert_eq!(s["answers"]["business"]["industry"], "Retail");
        assert_eq!(s["answers"]["goals"]["goals"], "retain_customers");
        assert_eq!(s["answers"]["consent"]["honour_dnt"], "true");
        assert_eq!(s["answers"]["first_campaign"]["budget"], "1,500");
        // The brief became a draft campaign, and saving the step again updates the same one.
        let campaigns = srv.get("/api/campaigns", t).await.body;
        let list = campaigns["campaigns"].as_array().unwrap();
        assert_eq!(list.len(), 1, "{campaigns}");
        assert_eq!(list[0]["name"], "Win back");
        assert_eq!(list[0]["objective"], "engagement");
        assert_eq!(list[0]["budget"], 1500.0);
        assert_eq!(list[0]["status"], "draft");
        let r = srv.put("/api/onboarding/steps/8", t, json!({ "name": "Win back lapsed", "objective": "win_back", "audience": "Lapsed buyers", "budget": "1,500" })).await;
        assert_eq!(r.status, StatusCode::OK);
        let list = srv.get("/api/campaigns", t).await.body["campaigns"].as_array().unwrap().clone();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0]["name"], "Win back lapsed");
        let r = srv.post("/api/onboarding/finish", Some(t), json!({})).await;
        assert_eq!(r.body["completed"], true);

        // Members can look but not change it; other organizations start from scratch.
        let member = srv.add_member(&owner, &unique_email("wm"), "member").await;
        assert_eq!(srv.put("/api/onboarding/steps/1", &member.access, json!({ "industry": "x", "size": "1-10" })).await.status, StatusCode::FORBIDDEN);
        let other = srv.register(&unique_email("wo"), "Other").await;
        let s = srv.get("/api/onboarding", &other.access).await.body;
        assert_eq!(s["current_step"], 1);
        assert_eq!(s["customers"], 0);
        assert_eq!(srv.put("/api/onboarding/steps/9", t, json!({})).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
