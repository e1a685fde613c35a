//! Campaigns, content pieces and the Brain modules over the API on both backends, with the
//! built-in AI engine: validation, the review workflow and its history, exports, the calendar
//! filter, and the Brain answers without and with performance data.

mod common;

use common::unique_email;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// How long a background job may take here.
const JOB_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

fn campaign(name: &str) -> Value {
    json!({ "name": name, "objective": "sales", "budget": 1200, "starts_on": "2026-05-01", "ends_on": "2026-05-31",
            "platforms": ["linkedin", "email"], "description": "Spring push" })
}

/// Asserts a 422 on `field`.
fn invalid(r: &common::Reply, field: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.body);
    assert_eq!(r.error_code(), "validation_error");
    assert_eq!(r.body["field"], field, "{}", r.body);
}

fn header(r: &common::Reply, name: &str) -> String {
    r.headers.get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

/// Ninety days of daily ad performance ending yesterday: three campaigns on each of two
/// platforms, spend varying by day so response curves can be fitted, one creative tiring.
/// Meta rows carry daily reach; Google's leave it empty, as Google reports none.
fn performance_csv() -> String {
    let mut csv = String::from("platform,campaign_id,campaign_name,creative_id,date,impressions,clicks,spend,conversions,revenue,reach\n");
    let today = chrono::Utc::now().date_naive();
    for d in 1..=30i64 {
        let day = (today - chrono::Duration::days(d)).format("%Y-%m-%d");
        let age = 30 - d; // 0 on the first day, 29 yesterday
        for (platform, k) in [("meta_ads", 1i64), ("google_ads", 2)] {
            for c in 0..3i64 {
                let spend = 20 + (d * 7 + c * 13) % 40 + 10 * k;
                let impressions = 800 + spend * 40 + c * 100;
                // The first Meta creative's clicks fall off with age (fatigue); the rest hold.
                let clicks = if platform == "meta_ads" && c == 0 { (60 - age * 2).max(3) } else { 25 + spend / 3 + c * 2 };
                let conversions = 1 + spend / (10 + c * 3);
                let revenue = spend * (2 + k + c) + (d % 5) * 3;
                // The tiring creative keeps meeting the same people: 1 view a day each at first, ~4 at the end.
                let reach = match (platform, c) {
                    ("meta_ads", 0) => (impressions * 10 / (10 + age)).to_string(),
                    ("meta_ads", _) => (impressions * 10 / 12).to_string(),
                    _ => String::new(),
                };
                csv += &format!(
                    "{platform},{platform}-c{c},Campaign {c} on {platform},{platform}-cr{c},{day},{impressions},{clicks},{spend}.00,{conversions},{revenue}.00,{reach}\n"
                );
            }
        }
    }
    csv
}

both_backends! {
    async fn campaigns_are_validated_updated_in_part_and_deleted(srv) {
        let owner = srv.register(&unique_email("camp"), "Campaign Co").await;
        let viewer = srv.add_member(&owner, &unique_email("cv"), "viewer").await;
        let member = srv.add_member(&owner, &unique_email("cm"), "member").await;
        let t = owner.access.as_str();

        // Every required field is named when missing.
        for field in ["name", "objective", "budget", "starts_on", "ends_on", "platforms"] {
            let mut body = campaign("Spring");
            body.as_object_mut().unwrap().remove(field);
            invalid(&srv.post("/api/campaigns", Some(t), body).await, field);
        }
        let cases = [
            (json!({ "name": "  " }), "name"),
            (json!({ "name": "x".repeat(121) }), "name"),
            (json!({ "objective": "fame" }), "objective"),
            (json!({ "budget": -1 }), "budget"),
            (json!({ "starts_on": "01/05/2026" }), "starts_on"),
            (json!({ "ends_on": "2026-04-30" }), "ends_on"),
            (json!({ "ends_on": "2027-06-01" }), "ends_on"),
            (json!({ "platforms": ["linkedin", "myspace"] }), "platforms"),
            (json!({ "platforms": [] }), "platforms"),
            (json!({ "status": "exploded" }), "status"),
        ];
        for (change, field) in &cases {
            let mut body = campaign("Spring");
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            invalid(&srv.post("/api/campaigns", Some(t), body).await, field);
        }
        let r = srv.post("/api/campaigns", Some(&viewer.access), campaign("Viewer's")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(r.error_code(), "forbidden");
        assert!(srv.get("/api/campaigns", t).await.body["campaigns"].as_array().unwrap().is_empty(), "nothing invalid was stored");

        let mut body = campaign("  Spring  ");
        body["platforms"] = json!(["LinkedIn", "email", "linkedin"]);
        body["budget"] = json!(1200.5);
        let r = srv.post("/api/campaigns", Some(&member.access), body).await;
        assert_eq!(r.status, StatusCode::CREATED, "members plan campaigns too: {}", r.body);
        let c = r.body.clone();
        let id = c["campaign_id"].as_str().unwrap().to_string();
        assert_eq!(c["name"], "Spring");
        assert_eq!(c["objective"], "sales");
        assert_eq!(c["status"], "draft");
        assert_eq!(c["budget"], 1200.5);
        assert_eq!(c["platforms"], json!(["linkedin", "email"]), "normalised and deduplicated");
        assert_eq!(c["has_strategy"], false);
        assert_eq!(c["content_count"], 0);
        assert_eq!(c["description"], "Spring push");

        // An update changes only what it names.
        let r = srv.put(&format!("/api/campaigns/{id}"), t, json!({ "name": "Spring sale", "status": "active" })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        for key in ["objective", "budget", "starts_on", "ends_on", "platforms", "description", "created_at"] {
            assert_eq!(r.body[key], c[key], "{key} was kept");
        }
        assert_eq!(r.body["name"], "Spring sale");
        assert_eq!(r.body["status"], "active");
        // Dates are checked against the stored ones; a refused update changes nothing.
        invalid(&srv.put(&format!("/api/campaigns/{id}"), t, json!({ "name": "Never", "ends_on": "2026-04-01" })).await, "ends_on");
        invalid(&srv.put(&format!("/api/campaigns/{id}"), t, json!({ "budget": -5 })).await, "budget");
        let r = srv.put(&format!("/api/campaigns/{id}"), &viewer.access, json!({ "name": "Viewer" })).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let detail = srv.get(&format!("/api/campaigns/{id}"), &viewer.access).await;
        assert_eq!(detail.status, StatusCode::OK, "viewers can read: {}", detail.body);
        assert_eq!(detail.body["campaign"]["name"], "Spring sale");
        assert_eq!(detail.body["campaign"]["ends_on"], "2026-05-31");
        assert_eq!(detail.body["campaign"]["budget"], 1200.5);
        assert!(detail.body["strategy"].is_null());
        let r = srv.put(&format!("/api/campaigns/{id}"), t, json!({ "description": "" })).await;
        assert!(r.body["description"].is_null(), "an empty description clears it: {}", r.body);
        let r = srv.post(&format!("/api/campaigns/{id}/strategy"), Some(&viewer.access), json!({})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "viewers cannot spend AI budget: {}", r.body);
        let list = srv.get("/api/campaigns", t).await.body;
        assert_eq!(list["campaigns"].as_array().unwrap().len(), 1);

        assert_eq!(srv.delete(&format!("/api/campaigns/{id}"), &viewer.access).await.status, StatusCode::FORBIDDEN);
        assert_eq!(srv.delete(&format!("/api/campaigns/{id}"), t).await.status, StatusCode::NO_CONTENT);
        let gone = srv.get(&format!("/api/campaigns/{id}"), t).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
        assert_eq!(gone.error_code(), "not_found");
        assert_eq!(srv.delete(&format!("/api/campaigns/{id}"), t).await.status, StatusCode::NOT_FOUND);
        assert_eq!(srv.put(&format!("/api/campaigns/{id}"), t, json!({ "name": "Back" })).await.status, StatusCode::NOT_FOUND);
        assert!(srv.get("/api/campaigns", t).await.body["campaigns"].as_array().unwrap().is_empty());
    }

    async fn content_moves_through_review_with_versions_and_exports(srv) {
        let owner = srv.register(&unique_email("content"), "Content Co").await;
        let viewer = srv.add_member(&owner, &unique_email("vv"), "viewer").await;
        let t = owner.access.as_str();
        let cid = srv.post("/api/campaigns", Some(t), campaign("Spring")).await.body["campaign_id"].as_str().unwrap().to_string();

        // Generation validates its request before queueing.
        let gen = |extra: Value| {
            let mut b = json!({ "campaign_id": cid, "platform": "linkedin", "format": "post", "brief": "Invite teams to our spring planning workshop" });
            for (k, v) in extra.as_object().unwrap() {
                b[k] = v.clone();
            }
            b
        };
        invalid(&srv.post("/api/content/generate", Some(t), gen(json!({ "platform": "myspace" }))).await, "platform");
        invalid(&srv.post("/api/content/generate", Some(t), gen(json!({ "format": "billboard" }))).await, "format");
        invalid(&srv.post("/api/content/generate", Some(t), gen(json!({ "brief": "   " }))).await, "brief");
        invalid(&srv.post("/api/content/generate", Some(t), gen(json!({ "scheduled_for": "next week" }))).await, "scheduled_for");
        let r = srv.post("/api/content/generate", Some(t), gen(json!({ "campaign_id": "no-such-campaign" }))).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert_eq!(srv.post("/api/content/generate", Some(&viewer.access), gen(json!({}))).await.status, StatusCode::FORBIDDEN);

        let queued = srv.post("/api/content/generate", Some(t), gen(json!({}))).await;
        assert_eq!(queued.status, StatusCode::ACCEPTED, "{}", queued.body);
        assert_eq!(queued.body["kind"], "ai_content");
        let job = srv.wait_for_job(t, queued.body["job_id"].as_str().unwrap(), JOB_WAIT).await;
        assert_eq!(job["status"], "completed", "{job}");
        let id = job["result"]["content_id"].as_str().unwrap().to_string();
        let path = format!("/api/content/{id}");

        let d = srv.get(&path, &viewer.access).await;
        assert_eq!(d.status, StatusCode::OK, "{}", d.body);
        let piece = &d.body["content"];
        assert_eq!(piece["status"], "draft");
        assert_eq!(piece["version"], 1);
        assert_eq!(piece["engine"], "builtin");
        assert_eq!(piece["platform"], "linkedin");
        assert_eq!(piece["campaign_id"], cid.as_str());
        assert_eq!(piece["campaign_name"], "Spring");
        let body = piece["body"].as_str().unwrap();
        assert!(!body.is_empty() && body.chars().count() <= 3000, "{piece}");
        let aida = piece["aida_overall"].as_i64().unwrap();
        assert!((0..=100).contains(&aida), "{piece}");
        assert_eq!(d.body["analysis"]["scores"]["overall"].as_i64().unwrap(), aida, "the stored score is the analysis'");
        assert_eq!(d.body["versions"].as_array().unwrap().len(), 1);
        assert!(d.body["versions"][0]["change"].as_str().unwrap().starts_with("generated by"), "{}", d.body["versions"]);
        assert_eq!(d.body["next_statuses"], json!(["in_review"]));
        assert_eq!(d.body["publishing"]["can_publish"], false);
        assert_eq!(d.body["publishing"]["exports"].as_array().unwrap().len(), 2);
        let detail = srv.get(&format!("/api/campaigns/{cid}"), t).await.body;
        assert_eq!(detail["campaign"]["content_count"], 1);
        assert!(detail["pending_content_jobs"].as_array().unwrap().is_empty());
        let of_campaign = srv.get(&format!("/api/campaigns/{cid}/content"), t).await.body;
        assert_eq!(of_campaign["content"][0]["content_id"], id.as_str());

        // An edit is a new version; the history keeps both.
        let edited = "Planning season is here. Join our free workshop on May 12 and leave with a ready-to-run spring calendar. Seats are limited.";
        let r = srv.put(&path, t, json!({ "body": edited, "hashtags": ["#planning", "spring"] })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["content"]["version"], 2);
        assert_eq!(r.body["content"]["body"], edited);
        assert_eq!(r.body["content"]["hashtags"], json!(["planning", "spring"]));
        let versions = r.body["versions"].as_array().unwrap();
        assert_eq!(versions.iter().map(|v| v["version"].as_i64().unwrap()).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(versions[0]["body"], body);
        assert_eq!(versions[1]["body"], edited);
        assert_eq!(versions[1]["change"], "edited");
        let r = srv.put(&path, &viewer.access, json!({ "body": "Viewer copy" })).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        let status = |to: &str| json!({ "status": to });
        let status_path = format!("{path}/status");
        // No skipping the review.
        let r = srv.post(&status_path, Some(t), json!({ "status": "published", "published_url": "https://example.com/p/1" })).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(r.error_code(), "conflict");
        assert_eq!(r.body["field"], "status");
        invalid(&srv.post(&status_path, Some(t), status("live")).await, "status");
        let r = srv.post(&status_path, Some(t), status("in_review")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["next_statuses"], json!(["approved", "draft"]));
        let r = srv.post(&status_path, Some(t), status("approved")).await;
        assert_eq!(r.body["content"]["status"], "approved", "{}", r.body);

        // Changing approved copy sends it back to review.
        let r = srv.put(&path, t, json!({ "cta": "Save your seat" })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["content"]["status"], "draft", "{}", r.body);
        assert!(r.body["versions"].as_array().unwrap().last().unwrap()["change"].as_str().unwrap().contains("approved → draft"), "{}", r.body);
        srv.post(&status_path, Some(t), status("in_review")).await;
        srv.post(&status_path, Some(t), status("approved")).await;
        // Scheduling needs a date; setting one is a detail that keeps the approval.
        invalid(&srv.post(&status_path, Some(t), status("scheduled")).await, "scheduled_for");
        let r = srv.put(&path, t, json!({ "scheduled_for": "2026-05-12" })).await;
        assert_eq!(r.body["content"]["status"], "approved", "{}", r.body);
        assert_eq!(r.body["content"]["scheduled_for"], "2026-05-12");
        let r = srv.post(&status_path, Some(t), status("scheduled")).await;
        assert_eq!(r.body["content"]["status"], "scheduled", "{}", r.body);
        invalid(&srv.post(&status_path, Some(t), json!({ "status": "published", "published_url": "javascript:alert(1)" })).await, "published_url");
        let r = srv.post(&status_path, Some(t), json!({ "status": "published", "published_url": "https://www.linkedin.com/posts/content-co-123" })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let published = r.body.clone();
        assert_eq!(published["content"]["status"], "published");
        assert_eq!(published["content"]["published_url"], "https://www.linkedin.com/posts/content-co-123");
        assert_eq!(published["next_statuses"], json!([]));
        let history = published["versions"].as_array().unwrap();
        assert_eq!(history.len() as i64, published["content"]["version"].as_i64().unwrap(), "one history entry per version");
        assert!(history.last().unwrap()["change"].as_str().unwrap().contains("published outside OmniFy"));
        // What went out stays as it went out.
        let r = srv.put(&path, t, json!({ "body": "Rewritten after the fact" })).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(srv.post(&status_path, Some(t), status("draft")).await.status, StatusCode::CONFLICT);
        assert_eq!(srv.get(&path, t).await.body["content"]["body"], edited);

        // Exports download as files.
        let txt = srv.get(&format!("{path}/export?format=txt"), &viewer.access).await;
        assert_eq!(txt.status, StatusCode::OK);
        assert!(header(&txt, "content-type").starts_with("text/plain"), "{:?}", txt.headers);
        let disposition = header(&txt, "content-disposition");
        assert!(disposition.starts_with("attachment; filename=\"omnify-linkedin-") && disposition.ends_with(".txt\""), "{disposition}");
        let text = txt.body.as_str().unwrap();
        assert!(text.contains(edited) && text.contains("#planning #spring"), "{text}");
        let js = srv.get(&format!("{path}/export?format=json"), t).await;
        assert_eq!(js.status, StatusCode::OK);
        assert!(header(&js, "content-type").starts_with("application/json"));
        assert!(header(&js, "content-disposition").ends_with(".json\""));
        assert_eq!(js.body["body"], edited);
        assert_eq!(js.body["status"], "published");
        assert_eq!(js.body["scheduled_for"], "2026-05-12");
        assert_eq!(js.body["hashtags"], json!(["planning", "spring"]));
        invalid(&srv.get(&format!("{path}/export?format=pdf"), t).await, "format");

        // Hand-written copy is held to the platform's hard limit.
        let sms = |body: String| json!({ "platform": "sms", "format": "sms", "body": body });
        invalid(&srv.post("/api/content", Some(t), sms("a".repeat(161))).await, "body");
        let r = srv.post("/api/content", Some(t), sms("b".repeat(160))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.body["content"]["engine"], "human");
        assert_eq!(r.body["content"]["version"], 1);
        let sms_id = r.body["content"]["content_id"].as_str().unwrap().to_string();
        invalid(&srv.put(&format!("/api/content/{sms_id}"), t, json!({ "body": "c".repeat(161) })).await, "body");
        invalid(&srv.post("/api/content", Some(t), json!({ "platform": "x", "body": "Hi", "hashtags": ["a", "b", "c"] })).await, "hashtags");
        invalid(&srv.post("/api/content", Some(t), json!({ "platform": "google_ads", "body": "Hi", "headline": "h".repeat(31) })).await, "headline");
        invalid(&srv.post("/api/content", Some(t), json!({ "platform": "x", "body": "  " })).await, "body");
        assert_eq!(srv.post("/api/content", Some(&viewer.access), sms("Hi".into())).await.status, StatusCode::FORBIDDEN);

        // The calendar asks for a date range.
        for day in ["2026-04-30", "2026-05-20", "2026-06-01"] {
            let r = srv.post("/api/content", Some(t), json!({ "platform": "x", "body": format!("Post for {day}"), "scheduled_for": day })).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        let may = srv.get("/api/content?from=2026-05-01&to=2026-05-31", t).await;
        assert_eq!(may.status, StatusCode::OK, "{}", may.body);
        let days: Vec<&str> = may.body["content"].as_array().unwrap().iter().map(|c| c["scheduled_for"].as_str().unwrap()).collect();
        assert_eq!(days, ["2026-05-12", "2026-05-20"], "{}", may.body);
        let from_may20 = srv.get("/api/content?from=2026-05-20", t).await.body;
        assert_eq!(from_may20["content"].as_array().unwrap().len(), 2);
        let published_only = srv.get("/api/content?status=published", t).await.body;
        assert_eq!(published_only["content"].as_array().unwrap().len(), 1);
        assert_eq!(srv.get("/api/content", t).await.body["content"].as_array().unwrap().len(), 5);
        invalid(&srv.get("/api/content?from=May", t).await, "from");
        invalid(&srv.get("/api/content?status=lost", t).await, "status");

        // Deleting the campaign keeps its copy; deleting a piece removes it.
        assert_eq!(srv.delete(&format!("/api/campaigns/{cid}"), t).await.status, StatusCode::NO_CONTENT);
        let kept = srv.get(&path, t).await;
        assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
        assert!(kept.body["content"]["campaign_id"].is_null());
        assert_eq!(srv.delete(&format!("/api/content/{sms_id}"), &viewer.access).await.status, StatusCode::FORBIDDEN);
        assert_eq!(srv.delete(&format!("/api/content/{sms_id}"), t).await.status, StatusCode::NO_CONTENT);
        assert_eq!(srv.get(&format!("/api/content/{sms_id}"), t).await.status, StatusCode::NOT_FOUND);
        assert_eq!(srv.get(&format!("/api/content/{sms_id}/export"), t).await.status, StatusCode::NOT_FOUND);
    }

    async fn brain_scores_copy_and_repurposes_within_limits(srv) {
        let owner = srv.register(&unique_email("brain"), "Brain Co").await;
        let t = owner.access.as_str();

        let r = srv.post("/api/brain/creative/analyze", Some(t), json!({
            "headline": "Cheap shoes for spring",
            "body": "Tired of sore feet? Our cushioned trainers save you money and your knees. Join 20,000 happy runners. Get 30% off today only.",
            "cta": "Shop now",
            "platform": "facebook",
            "guidelines": { "banned_words": ["cheap"], "required_tone": null, "voice": null }
        })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let a = &r.body["analysis"];
        for key in ["attention", "interest", "desire", "action", "overall"] {
            let v = a["scores"][key].as_i64().unwrap();
            assert!((0..=100).contains(&v), "{key}: {v}");
        }
        assert!(a["scores"]["action"].as_i64().unwrap() > 0, "a call to action is seen: {a}");
        assert_eq!(a["compliance"]["compliant"], false, "{a}");
        assert_eq!(a["compliance"]["banned_words_found"], json!(["cheap"]));
        assert!(a["weaknesses"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("cheap")), "{a}");
        assert_eq!(r.body["guidelines"]["banned_words"], json!(["cheap"]));
        // Without the banned word the same copy complies.
        let r = srv.post("/api/brain/creative/analyze", Some(t), json!({
            "headline": "Comfortable shoes for spring", "body": "Our cushioned trainers save your knees.", "platform": "facebook",
            "guidelines": { "banned_words": ["cheap"] }
        })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["analysis"]["compliance"]["compliant"], true, "{}", r.body);
        invalid(&srv.post("/api/brain/creative/analyze", Some(t), json!({ "body": "Hi", "platform": "myspace" })).await, "platform");
        invalid(&srv.post("/api/brain/creative/analyze", Some(t), json!({ "body": " ", "platform": "x" })).await, "body");

        let long = "Spring planning does not have to take weeks. Our workshop walks your team through the whole season in one afternoon: \
                    audiences, a budget split you can defend, and a content calendar that fits every channel you use. Teams who joined last \
                    year shipped their first campaign nine days sooner on average, and most of them kept the same calendar all season. \
                    Bring your numbers and leave with a plan.";
        assert!(long.chars().count() > 280);
        let r = srv.post("/api/brain/repurpose", Some(t), json!({ "content": long, "title": "Plan spring in an afternoon", "platforms": ["x", "linkedin", "sms"], "hashtags": ["planning"] })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let variants = r.body["variants"].as_array().unwrap();
        assert_eq!(variants.iter().map(|v| v["platform"].as_str().unwrap()).collect::<Vec<_>>(), ["x", "linkedin", "sms"]);
        for v in variants {
            assert_eq!(v["within_limits"], true, "{v}");
            assert!(v["length"].as_u64().unwrap() <= v["max_length"].as_u64().unwrap(), "{v}");
        }
        let x = &variants[0];
        assert_eq!(x["max_length"], 280);
        assert!(x["body"].as_str().unwrap().chars().count() <= 280, "{x}");
        assert!(variants[2]["body"].as_str().unwrap().chars().count() <= 160, "{}", variants[2]);
        invalid(&srv.post("/api/brain/repurpose", Some(t), json!({ "content": long, "platforms": [] })).await, "platforms");
        invalid(&srv.post("/api/brain/repurpose", Some(t), json!({ "content": long, "platforms": ["x"], "link": "example.com" })).await, "link");
    }

    async fn brain_performance_modules_need_data_and_use_it(srv) {
        let owner = srv.register(&unique_email("perf"), "Perf Co").await;
        let t = owner.access.as_str();

        // Without performance data: a clear refusal for the budget, empty answers elsewhere.
        let r = srv.post("/api/brain/budget", Some(t), json!({ "daily_budget": 300 })).await;
        invalid(&r, "daily_budget");
        assert!(r.body["message"].as_str().unwrap().contains("no ad performance"), "{}", r.body);
        let fatigue = srv.get("/api/brain/fatigue", t).await;
        assert_eq!(fatigue.status, StatusCode::OK, "{}", fatigue.body);
        assert_eq!(fatigue.body["creatives"], json!([]));
        assert_eq!(fatigue.body["history_days"], 90);
        let perf = srv.get("/api/brain/performance", t).await;
        assert_eq!(perf.status, StatusCode::OK, "{}", perf.body);
        let s = &perf.body["summary"];
        for key in ["top_creatives", "worst_creatives", "top_campaigns", "worst_campaigns", "platforms", "weekly"] {
            assert_eq!(s[key], json!([]), "{key}: {s}");
        }
        let market = srv.get("/api/brain/market", t).await;
        assert_eq!(market.status, StatusCode::OK, "{}", market.body);
        assert_eq!(market.body["benchmarks"]["campaigns"], json!([]));
        assert_eq!(market.body["benchmarks"]["platforms"], json!([]));

        let r = srv.upload("/api/ingest/performance", t, "text/csv", performance_csv()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["rows_inserted"], 180, "{}", r.body);
        assert_eq!(r.body["rows_failed"], 0, "{}", r.body);

        let r = srv.post("/api/brain/budget", Some(t), json!({ "daily_budget": 300 })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let plan = &r.body["plan"];
        let allocations = plan["allocations"].as_array().unwrap();
        let mut names: Vec<&str> = allocations.iter().map(|a| a["name"].as_str().unwrap()).collect();
        names.sort();
        assert_eq!(names, ["google_ads", "meta_ads"], "{plan}");
        let total: i64 = allocations.iter().map(|a| a["amount_cents"].as_i64().unwrap()).sum();
        assert_eq!(total, 30_000, "the plan spends the whole daily budget: {plan}");
        let by_campaign = srv.post("/api/brain/budget", Some(t), json!({ "daily_budget": 300, "group_by": "campaign", "objective": "conversions" })).await;
        assert_eq!(by_campaign.status, StatusCode::OK, "{}", by_campaign.body);
        assert_eq!(by_campaign.body["plan"]["allocations"].as_array().unwrap().len(), 6);
        invalid(&srv.post("/api/brain/budget", Some(t), json!({ "daily_budget": 300, "group_by": "weather" })).await, "group_by");
        invalid(&srv.post("/api/brain/budget", Some(t), json!({ "daily_budget": 300, "limits": [{ "name": "tiktok", "min": 10 }] })).await, "limits");

        let perf = srv.get("/api/brain/performance", t).await.body;
        let s = &perf["summary"];
        assert_eq!(s["platforms"].as_array().unwrap().len(), 2, "{s}");
        assert!(!s["top_campaigns"].as_array().unwrap().is_empty(), "{s}");
        assert!(!s["top_creatives"].as_array().unwrap().is_empty(), "{s}");
        assert!(!s["weekly"].as_array().unwrap().is_empty(), "{s}");
        assert!(s["totals"]["spend_cents"].as_i64().unwrap() > 0);

        let fatigue = srv.get("/api/brain/fatigue", t).await.body;
        let creatives = fatigue["creatives"].as_array().unwrap();
        assert_eq!(creatives.len(), 6, "{fatigue}");
        let tiring = creatives.iter().find(|c| c["creative_id"] == "meta_ads-cr0").unwrap();
        assert_ne!(tiring["stage"], "fresh", "the creative whose clicks fell away is not fresh: {tiring}");
        assert!(tiring["ctr_decay_pct"].as_f64().unwrap() > 25.0, "{tiring}");
        // Daily reach from the file: its audience saturates (≈ 3.8 views a day lately, ≈ 1.1 when new).
        let (now, then) = (tiring["frequency"].as_f64().unwrap(), tiring["baseline_frequency"].as_f64().unwrap());
        assert!(now > 3.5 && then < 1.3, "{tiring}");
        assert!(tiring["reasons"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().contains("times a day")), "{tiring}");
        let steady = creatives.iter().find(|c| c["creative_id"] == "meta_ads-cr1").unwrap();
        assert!((steady["frequency"].as_f64().unwrap() - 1.2).abs() < 0.01, "{steady}");
        let google = creatives.iter().find(|c| c["creative_id"] == "google_ads-cr0").unwrap();
        assert!(google["frequency"].is_null(), "no reach reported, no frequency: {google}");

        let market = srv.get("/api/brain/market", t).await.body;
        assert_eq!(market["benchmarks"]["platforms"].as_array().unwrap().len(), 2, "{market}");
        assert_eq!(market["benchmarks"]["campaigns"].as_array().unwrap().len(), 6, "{market}");
    }

    async fn client_intelligence_reads_one_customer(srv) {
        let owner = srv.register(&unique_email("client"), "Client Co").await;
        let t = owner.access.as_str();
        let customers = "customer_id,email,name,created_at\nc1,ann@example.com,Ann Lee,2025-01-10\nc2,bob@example.com,Bob Stone,2025-02-10\n";
        let orders = "order_id,customer_id,amount,currency,ordered_at\no1,c1,120.50,USD,2025-02-01T10:00:00Z\no2,c1,30,USD,2025-04-01\no3,c2,15,USD,2025-03-01\n";
        let events = "\
{\"customer_id\":\"c1\",\"event_type\":\"email_open\",\"occurred_at\":\"2025-04-02T08:00:00Z\",\"channel\":\"email\"}
{\"customer_id\":\"c1\",\"event_type\":\"email_click\",\"occurred_at\":\"2025-04-03T08:00:00Z\",\"channel\":\"email\"}
{\"customer_id\":\"c1\",\"event_type\":\"page_view\",\"occurred_at\":\"2025-04-05T08:00:00Z\",\"channel\":\"web\"}
";
        assert_eq!(srv.upload("/api/ingest/customers", t, "text/csv", customers).await.status, StatusCode::OK);
        assert_eq!(srv.upload("/api/ingest/orders", t, "text/csv", orders).await.status, StatusCode::OK);
        let r = srv.upload("/api/ingest/events", t, "application/x-ndjson", events).await;
        assert_eq!(r.body["rows_inserted"], 3, "{}", r.body);
        let page = srv.get("/api/customers", t).await.body;
        let ann = page["items"].as_array().unwrap().iter().find(|c| c["email"] == "ann@example.com").unwrap()["customer_id"].as_str().unwrap().to_string();

        // New data queues an EYES refresh by itself; asking for an analysis joins it.
        let queued = srv.post("/api/eyes/analyze", Some(t), json!({})).await;
        assert_eq!(queued.status, StatusCode::ACCEPTED, "{}", queued.body);
        srv.wait_for_job(t, queued.body["job_id"].as_str().unwrap(), JOB_WAIT).await;

        let r = srv.get(&format!("/api/brain/client/{ann}"), t).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let c = &r.body;
        assert_eq!(c["customer_id"], ann.as_str());
        assert_eq!(c["name"], "Ann Lee");
        assert_eq!(c["orders"], 2);
        assert_eq!(c["revenue_cents"], 15050);
        assert_eq!(c["events"], 3);
        assert_eq!(c["channels"], json!([{ "channel": "email", "events": 2 }, { "channel": "web", "events": 1 }]));
        assert!(c["last_order_at"].as_str().unwrap().starts_with("2025-04-01"), "{c}");
        assert!(c["last_activity_at"].as_str().unwrap().starts_with("2025-04-05"), "{c}");
        assert_eq!(c["eyes"]["customer_id"], ann.as_str(), "EYES' scores for this customer: {c}");
        let p_alive = c["eyes"]["p_alive"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p_alive), "{c}");
        let summary: Vec<&str> = c["summary"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
        assert!(summary[0].contains("2 orders") && summary[0].contains("150.50"), "{summary:?}");
        assert!(summary.iter().any(|s| s.contains("Most active on email")), "{summary:?}");
        assert!(summary.iter().any(|s| s.contains(&format!("Probability still active: {:.0}%", p_alive * 100.0))), "{summary:?}");
        // Bob has no events: his reading says so without inventing a channel.
        let bob = page["items"].as_array().unwrap().iter().find(|c| c["email"] == "bob@example.com").unwrap()["customer_id"].as_str().unwrap().to_string();
        let b = srv.get(&format!("/api/brain/client/{bob}"), t).await.body;
        assert_eq!(b["orders"], 1, "{b}");
        assert_eq!(b["channels"], json!([]));
        assert!(b["last_activity_at"].as_str().unwrap().starts_with("2025-03-01"), "{b}");
        let missing = srv.get("/api/brain/client/no-such-customer", t).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.body);
    }
}
