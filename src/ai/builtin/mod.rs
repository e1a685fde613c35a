//! The built-in engine: OmniFy's default AI provider. Deterministic and offline, it writes from
//! rules and templates filled with the organization's own facts (business profile, brand voice,
//! platform limits, the campaign and its audience). Its output goes through the same schema
//! validation as a model's, and is labelled as the built-in engine wherever it appears.

mod content;
mod review;
mod strategy;

use serde_json::Value;

use super::tasks::AiTask;

/// The label stored with everything this engine writes.
pub const ENGINE: &str = "builtin";
/// Shown to users beside built-in output.
pub const LABEL: &str = "OmniFy built-in engine (rule-based, no AI provider configured)";

/// Answers a task. Same task, same answer.
pub fn answer(task: &AiTask) -> Value {
    match task {
        AiTask::CampaignStrategy(f) => serde_json::to_value(strategy::plan(f)),
        AiTask::Content(f) => serde_json::to_value(content::write(f)),
        AiTask::CreativeReview(f) => serde_json::to_value(review::review(f)),
    }
    .unwrap_or(Value::Null)
}

/// A readable phrase for an objective.
fn objective_phrase(objective: &str) -> &'static str {
    match objective {
        "awareness" => "building awareness",
        "traffic" => "driving visits",
        "engagement" => "growing engagement",
        "leads" => "generating leads",
        "sales" => "driving sales",
        "conversions" => "driving conversions",
        _ => "reaching its goal",
    }
}

/// The call to action that fits an objective.
fn call_to_action(objective: Option<&str>) -> &'static str {
    match objective {
        Some("awareness") => "Discover more",
        Some("traffic") => "Visit us today",
        Some("engagement") => "Tell us what you think",
        Some("leads") => "Sign up today",
        Some("conversions") => "Get started now",
        _ => "Shop now",
    }
}

/// Removes words the brand avoids (whole words, any case).
fn without_avoided(text: &str, avoid: &[String]) -> String {
    if avoid.is_empty() {
        return text.to_string();
    }
    let banned: Vec<String> = avoid.iter().map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty()).collect();
    let kept: Vec<&str> = text
        .split(' ')
        .filter(|word| {
            let bare: String = word.chars().filter(|c| c.is_alphanumeric() || *c == '-').collect::<String>().to_lowercase();
            !banned.contains(&bare)
        })
        .collect();
    kept.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::schema::Schema;
    use crate::ai::tasks::{AudienceContext, BudgetLine, BusinessContext, ContentFacts, StrategyFacts, CONTENT_FORMATS};
    use crate::brain::channels::ContentPlatform;

    fn business() -> BusinessContext {
        BusinessContext {
            name: "Bean There".into(),
            industry: Some("Specialty coffee".into()),
            voice: Some("Warm and precise".into()),
            tone: Some("friendly".into()),
            avoid: vec!["cheap".into()],
            goals: vec!["revenue".into()],
            kpi: Some("roas".into()),
            ..Default::default()
        }
    }

    fn strategy_task(platforms: Vec<ContentPlatform>) -> AiTask {
        AiTask::CampaignStrategy(StrategyFacts {
            business: business(),
            campaign_name: "Spring brew".into(),
            objective: "sales".into(),
            description: Some("Launch the cold brew range".into()),
            budget_cents: 300_000,
            starts_on: "2026-03-02".into(),
            ends_on: "2026-03-29".into(),
            budget_split: platforms.iter().map(|p| BudgetLine { platform: *p, amount_cents: 300_000 / platforms.len() as i64, share: 1.0 / platforms.len() as f64 }).collect(),
            platforms,
            audience: Some(AudienceContext { name: "At-risk big spenders".into(), size: Some(120), traits: vec!["high churn risk".into()] }),
        })
    }

    fn content_task(platform: ContentPlatform, format: &str, variant: u32) -> AiTask {
        AiTask::Content(ContentFacts {
            business: business(),
            platform,
            format: format.into(),
            brief: "Introduce our new cold brew concentrate: smooth, low acid, ready in 30 seconds. Not cheap, just good.".into(),
            campaign_name: Some("Spring brew".into()),
            objective: Some("sales".into()),
            audience: None,
            pillars: vec!["Ready in seconds".into()],
            variant,
        })
    }

    #[test]
    fn strategy_satisfies_its_schema_and_keeps_to_the_dates_and_platforms() {
        let platforms = vec![ContentPlatform::Instagram, ContentPlatform::Email, ContentPlatform::GoogleAds];
        let task = strategy_task(platforms.clone());
        let answer = super::answer(&task);
        Schema::new(&task.schema()).unwrap().validate(&answer).unwrap();
        let plan: crate::ai::tasks::StrategyAnswer = serde_json::from_value(answer).unwrap();
        assert!(plan.calendar.len() >= 8, "a four-week plan has several slots: {}", plan.calendar.len());
        for slot in &plan.calendar {
            assert!(slot.date.as_str() >= "2026-03-02" && slot.date.as_str() <= "2026-03-29", "{slot:?}");
            assert!(platforms.contains(&slot.platform));
            assert!(CONTENT_FORMATS.contains(&slot.format.as_str()));
        }
        let mut seen: Vec<_> = plan.calendar.iter().map(|s| s.platform).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 3, "every platform gets slots");
        assert!(plan.summary.contains("Spring brew") && plan.summary.contains("At-risk big spenders"));
    }

    #[test]
    fn content_fits_every_platform_and_format() {
        for platform in ContentPlatform::ALL {
            for format in CONTENT_FORMATS {
                for variant in 0..3 {
                    let task = content_task(platform, format, variant);
                    let answer = super::answer(&task);
                    if let Err(e) = Schema::new(&task.schema()).unwrap().validate(&answer) {
                        panic!("{platform:?} {format} v{variant}: {e:?}\n{answer}");
                    }
                    let copy: crate::ai::tasks::ContentAnswer = serde_json::from_value(answer).unwrap();
                    assert!(!copy.body.to_lowercase().contains("cheap"), "avoided word kept: {}", copy.body);
                }
            }
        }
    }

    #[test]
    fn same_task_same_answer_and_variants_differ() {
        let a = super::answer(&content_task(ContentPlatform::Instagram, "post", 0));
        assert_eq!(a, super::answer(&content_task(ContentPlatform::Instagram, "post", 0)));
        assert_ne!(a, super::answer(&content_task(ContentPlatform::Instagram, "post", 1)));
    }
}
