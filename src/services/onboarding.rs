//! The guided setup. Each step validates its answers before it counts as done; steps can be
//! skipped and revisited; progress lives on the server so a refresh or another device resumes.

use std::collections::BTreeMap;

use super::{platforms, Actor};
use crate::db::onboarding::{self, OnboardingRow};
use crate::db::time;
use crate::model::{OnboardingState, OnboardingStep, ReadinessCheck, ONBOARDING_STEPS};
use crate::{ApiError, Core};

type Fields = BTreeMap<String, String>;

const SIZES: [&str; 5] = ["1-10", "11-50", "51-200", "201-1000", "1000+"];
const TONES: [&str; 5] = ["friendly", "professional", "playful", "bold", "caring"];
const GOALS: [&str; 4] = ["grow_revenue", "retain_customers", "acquire_customers", "improve_roas"];
const KPIS: [&str; 5] = ["revenue", "roas", "retention_rate", "cac", "ltv"];
const BASES: [&str; 2] = ["opt_in", "legitimate_interest"];
const OBJECTIVES: [&str; 4] = ["awareness", "acquisition", "retention", "win_back"];

pub async fn state(core: &Core, actor: &Actor) -> Result<OnboardingState, ApiError> {
    let row = load(core, &actor.organization_id).await?;
    let statuses: Vec<String> = serde_json::from_str(&row.steps).unwrap_or_default();
    let answers = serde_json::from_str(&row.answers).unwrap_or_default();
    let connected = platforms::list(core, actor).await?.iter().filter(|p| p.status != "not_connected").count() as i64;
    let (customers, buyers, repeaters, events, history_days) = onboarding::readiness(&core.db.pool, &actor.organization_id).await?;
    let check = |label: &str, passed: bool, detail: String| ReadinessCheck { label: label.into(), passed, detail };
    let readiness = vec![
        check("At least 100 customers", customers >= 100, format!("{customers} customers")),
        check("At least 50 customers with orders", buyers >= 50, format!("{buyers} customers with orders")),
        check("Repeat buyers to learn from", repeaters >= 20, format!("{repeaters} customers with 2 or more orders")),
        check("90 days of order history", history_days >= 90, format!("{history_days} days between the first and last order")),
        check("Engagement events", events > 0, format!("{events} events")),
    ];
    Ok(OnboardingState {
        current_step: row.current_step as usize,
        steps: ONBOARDING_STEPS
            .iter()
            .enumerate()
            .map(|(i, (key, title))| OnboardingStep {
                number: i + 1,
                key: key.to_string(),
                title: title.to_string(),
                status: statuses.get(i).cloned().unwrap_or_else(|| "todo".into()),
            })
            .collect(),
        answers,
        completed: row.completed_at.is_some(),
        connected_platforms: connected,
        customers,
        readiness,
    })
}

/// Validates and saves one step's answers, marks it done and moves on to the next open step.
pub async fn save_step(core: &Core, actor: &Actor, step: usize, fields: Fields) -> Result<OnboardingState, ApiError> {
    actor.require_admin("complete the guided setup")?;
    let key = step_key(step)?;
    let before = state(core, actor).await?;
    let mut cleaned = validate(key, &fields, &before)?;
    let mut row = load(core, &actor.organization_id).await?;
    let mut answers: BTreeMap<String, Fields> = serde_json::from_str(&row.answers).unwrap_or_default();
    if key == "first_campaign" {
        let earlier = answers.get(key).and_then(|a| a.get("campaign_id")).cloned();
        let id = first_campaign(core, actor, &cleaned, earlier).await?;
        cleaned.insert("campaign_id".into(), id);
    }
    if key == "eyes" {
        let job = super::eyes::analyze(core, actor).await?;
        cleaned.insert("analysis_job_id".into(), job.job_id);
    }
    answers.insert(key.to_string(), cleaned);
    row.answers = serde_json::to_string(&answers).map_err(|_| ApiError::internal())?;
    mark(&mut row, step, "done");
    onboarding::save(&core.db.pool, &row).await?;
    state(core, actor).await
}

/// The guided setup's campaign brief becomes a draft campaign (the same one if the step is
/// saved again), ready for dates, platforms and a strategy on the Campaigns page.
async fn first_campaign(core: &Core, actor: &Actor, brief: &Fields, earlier: Option<String>) -> Result<String, ApiError> {
    let budget = brief.get("budget").map(|b| crate::ingest::values::money_cents(b).unwrap_or(0)).unwrap_or(0) as f64 / 100.0;
    let input = crate::model::CampaignInput {
        name: brief.get("name").cloned(),
        objective: brief.get("objective").map(|o| campaign_objective(o).to_string()),
        description: brief.get("audience").map(|a| format!("Audience: {a} (goal: {})", brief.get("objective").map(|o| o.replace('_', " ")).unwrap_or_default())),
        budget: Some(budget),
        ..Default::default()
    };
    if let Some(id) = earlier {
        match super::campaigns::update(core, actor, &id, input.clone()).await {
            Ok(c) => return Ok(c.campaign_id),
            Err(e) if e.error == crate::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(super::campaigns::create_draft(core, actor, input).await?.campaign_id)
}

/// The setup's broad aims, as the campaign objective that serves each.
fn campaign_objective(setup_objective: &str) -> &'static str {
    match setup_objective {
        "awareness" => "awareness",
        "acquisition" => "leads",
        "retention" | "win_back" => "engagement",
        _ => "sales",
    }
}

pub async fn skip_step(core: &Core, actor: &Actor, step: usize) -> Result<OnboardingState, ApiError> {
    actor.require_admin("complete the guided setup")?;
    step_key(step)?;
    let mut row = load(core, &actor.organization_id).await?;
    let statuses: Vec<String> = serde_json::from_str(&row.steps).unwrap_or_default();
    // A step already done stays done when it is passed over again.
    if statuses.get(step - 1).map(String::as_str) != Some("done") {
        mark(&mut row, step, "skipped");
    } else {
        row.current_step = next_open(&statuses, step) as i64;
    }
    onboarding::save(&core.db.pool, &row).await?;
    state(core, actor).await
}

/// Opens a step again (to revisit or change it).
pub async fn go_to(core: &Core, actor: &Actor, step: usize) -> Result<OnboardingState, ApiError> {
    step_key(step)?;
    let mut row = load(core, &actor.organization_id).await?;
    row.current_step = step as i64;
    row.updated_at = time::now();
    onboarding::save(&core.db.pool, &row).await?;
    state(core, actor).await
}

pub async fn finish(core: &Core, actor: &Actor) -> Result<OnboardingState, ApiError> {
    actor.require_admin("complete the guided setup")?;
    let mut row = load(core, &actor.organization_id).await?;
    row.completed_at = Some(time::now());
    row.updated_at = time::now();
    onboarding::save(&core.db.pool, &row).await?;
    state(core, actor).await
}

async fn load(core: &Core, org: &str) -> Result<OnboardingRow, ApiError> {
    Ok(onboarding::find(&core.db.pool, org).await?.unwrap_or_else(|| OnboardingRow {
        organization_id: org.to_string(),
        current_step: 1,
        steps: serde_json::to_string(&vec!["todo"; ONBOARDING_STEPS.len()]).unwrap_or_default(),
        answers: "{}".into(),
        completed_at: None,
        updated_at: time::now(),
    }))
}

fn step_key(step: usize) -> Result<&'static str, ApiError> {
    ONBOARDING_STEPS
        .get(step.wrapping_sub(1))
        .map(|(k, _)| *k)
        .ok_or_else(|| ApiError::validation("step", format!("step must be between 1 and {}", ONBOARDING_STEPS.len())))
}

fn mark(row: &mut OnboardingRow, step: usize, status: &str) {
    let mut statuses: Vec<String> = serde_json::from_str(&row.steps).unwrap_or_else(|_| vec!["todo".into(); ONBOARDING_STEPS.len()]);
    statuses.resize(ONBOARDING_STEPS.len(), "todo".into());
    statuses[step - 1] = status.into();
    row.current_step = next_open(&statuses, step) as i64;
    row.steps = serde_json::to_string(&statuses).unwrap_or_default();
    row.updated_at = time::now();
}

/// The first step after `step` that is still to do (wrapping), else the last step.
fn next_open(statuses: &[String], step: usize) -> usize {
    let n = ONBOARDING_STEPS.len();
    (0..n).map(|i| (step + i) % n + 1).find(|s| statuses.get(s - 1).map(String::as_str) == Some("todo")).unwrap_or(n)
}

fn validate(key: &str, f: &Fields, state: &OnboardingState) -> Result<Fields, ApiError> {
    let text = |name: &str, max: usize, required: bool| -> Result<Option<String>, ApiError> {
        let v = f.get(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        match v {
            None if required => Err(ApiError::validation(name, format!("{} is required", name.replace('_', " ")))),
            Some(v) if v.chars().count() > max => Err(ApiError::validation(name, format!("At most {max} characters"))),
            v => Ok(v),
        }
    };
    let choice = |name: &str, options: &[&str]| -> Result<String, ApiError> {
        match f.get(name).map(|v| v.trim()) {
            Some(v) if options.contains(&v) => Ok(v.to_string()),
            _ => Err(ApiError::validation(name, format!("Choose one of: {}", options.join(", ")))),
        }
    };
    let mut out = Fields::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            out.insert(k.to_string(), v);
        }
    };
    match key {
        "business" => {
            put("industry", text("industry", 100, true)?);
            let website = text("website", 255, false)?;
            if let Some(w) = &website {
                if !(w.starts_with("https://") || w.starts_with("http://")) || !w.contains('.') {
                    return Err(ApiError::validation("website", "The website must be a full address, e.g. https://example.com"));
                }
            }
            put("website", website);
            put("size", Some(choice("size", &SIZES)?));
        }
        "brand_voice" => {
            put("voice", text("voice", 500, true)?);
            put("tone", Some(choice("tone", &TONES)?));
            put("avoid", text("avoid", 300, false)?);
        }
        "goals" => {
            let chosen: Vec<&str> = GOALS.iter().copied().filter(|g| f.get(&format!("goal_{g}")).is_some_and(|v| !v.is_empty())).collect();
            if chosen.is_empty() {
                return Err(ApiError::validation("goals", "Choose at least one goal"));
            }
            put("goals", Some(chosen.join(",")));
            put("kpi", Some(choice("kpi", &KPIS)?));
            put("target", text("target", 100, false)?);
        }
        "platforms" => {
            if state.connected_platforms == 0 {
                return Err(ApiError::validation("platforms", "Connect at least one platform first, or skip this step"));
            }
        }
        "customers" => {
            if state.customers == 0 {
                return Err(ApiError::validation("customers", "No customers yet: import a file, sync a platform or use the sample data, or skip this step"));
            }
        }
        "consent" => {
            put("basis", Some(choice("basis", &BASES)?));
            let days: i64 = f.get("retention_days").and_then(|d| d.trim().parse().ok()).unwrap_or(-1);
            if !(30..=3650).contains(&days) {
                return Err(ApiError::validation("retention_days", "Keep data between 30 and 3650 days"));
            }
            put("retention_days", Some(days.to_string()));
            put("honour_dnt", Some(f.get("honour_dnt").is_some_and(|v| !v.is_empty()).to_string()));
        }
        "eyes" => {
            // Step 7 starts the first analysis, so it needs the data EYES learns from.
            if let Some(missing) = state.readiness.iter().find(|c| !c.passed) {
                return Err(ApiError::validation(
                    "eyes",
                    format!("Not enough data for EYES yet: {} ({}). Import more or skip this step.", missing.label.to_lowercase(), missing.detail),
                ));
            }
        }
        "first_campaign" => {
            put("name", text("name", 120, true)?);
            put("objective", Some(choice("objective", &OBJECTIVES)?));
            put("audience", text("audience", 300, true)?);
            let budget = text("budget", 20, true)?.unwrap_or_default();
            let cents = crate::ingest::values::money_cents(&budget).map_err(|m| ApiError::validation("budget", m))?;
            if cents < 0 {
                return Err(ApiError::validation("budget", "The budget cannot be negative"));
            }
            put("budget", Some(budget));
        }
        _ => return Err(ApiError::internal()),
    }
    Ok(out)
}
