//! The organization's view of its AI use: the engine, today's spend against the daily budget,
//! recent daily totals, every call, and the budget itself (admins). Also the business context
//! every AI task starts from, read from the guided setup's answers.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use super::{audit, Actor, RequestMeta};
use crate::ai::gateway;
use crate::ai::tasks::BusinessContext;
use crate::db::ai as ledger;
use crate::db::{onboarding, organizations, time};
use crate::model::{AiCallDto, AiDayUsage, AiEngineDto, AiLogsResponse, AiUsageResponse};
use crate::{ApiError, Core};

/// Days of history on the usage page.
const USAGE_DAYS: i64 = 14;
/// Highest budget an admin can set per day (a typo guard, not a business rule).
const MAX_DAILY_BUDGET_USD: f64 = 100_000.0;

fn usd(micros: i64) -> f64 {
    micros as f64 / 1e6
}

pub async fn usage(core: &Core, actor: &Actor) -> Result<AiUsageResponse, ApiError> {
    let org = &actor.organization_id;
    let today = time::today();
    let since = NaiveDate::parse_from_str(&today, "%Y-%m-%d").map_err(|_| ApiError::internal())? - Duration::days(USAGE_DAYS - 1);
    let rows = ledger::daily_totals(&core.db.pool, org, &since.format("%Y-%m-%d").to_string()).await?;
    let mut by_day: BTreeMap<String, AiDayUsage> = (0..USAGE_DAYS)
        .map(|i| {
            let day = (since + Duration::days(i)).format("%Y-%m-%d").to_string();
            (day.clone(), AiDayUsage { day, ..Default::default() })
        })
        .collect();
    for r in rows {
        by_day.insert(
            r.day.clone(),
            AiDayUsage { day: r.day, calls: r.calls, failed: r.failed, tokens_in: r.tokens_in, tokens_out: r.tokens_out, cost_usd: usd(r.cost_micros) },
        );
    }
    let budget_override = ledger::budget_override(&core.db.pool, org).await?;
    let budget = budget_override.unwrap_or(core.ai.config.default_daily_budget_micros);
    let (spent, reserved) = ledger::spend(&core.db.pool, org, &today).await?;
    let engine = core.ai.describe();
    Ok(AiUsageResponse {
        engine: AiEngineDto { provider: engine.provider, model: engine.model, label: engine.label },
        daily_budget_usd: usd(budget),
        budget_is_default: budget_override.is_none(),
        today: by_day.get(&today).cloned().unwrap_or(AiDayUsage { day: today.clone(), ..Default::default() }),
        reserved_usd: usd(reserved),
        remaining_usd: usd((budget - spent - reserved).max(0)),
        days: by_day.into_values().collect(),
    })
}

pub async fn logs(core: &Core, actor: &Actor, limit: Option<i64>, offset: Option<i64>) -> Result<AiLogsResponse, ApiError> {
    let limit = limit.unwrap_or(50).clamp(1, 200);
    let offset = offset.unwrap_or(0).max(0);
    let rows = ledger::list_calls(&core.db.pool, &actor.organization_id, limit, offset).await?;
    Ok(AiLogsResponse {
        total: ledger::count_calls(&core.db.pool, &actor.organization_id).await?,
        calls: rows
            .into_iter()
            .map(|r| AiCallDto {
                call_id: r.id,
                feature: r.feature,
                provider: r.provider,
                model: r.model,
                tokens_in: r.tokens_in,
                tokens_out: r.tokens_out,
                cost_usd: usd(r.cost_micros),
                latency_ms: r.latency_ms,
                attempts: r.attempts,
                outcome: r.outcome,
                error: r.error,
                user_id: r.user_id,
                created_at: time::rfc3339(r.created_at),
            })
            .collect(),
    })
}

/// Sets the organization's daily budget (owners and admins); `None` returns to the default.
pub async fn set_budget(core: &Core, actor: &Actor, daily_budget_usd: Option<f64>) -> Result<AiUsageResponse, ApiError> {
    actor.require_admin("change the AI budget")?;
    let micros = match daily_budget_usd {
        None => None,
        Some(v) if !v.is_finite() || v < 0.0 => return Err(ApiError::validation("daily_budget_usd", "The budget must be zero or more")),
        Some(v) if v > MAX_DAILY_BUDGET_USD => {
            return Err(ApiError::validation("daily_budget_usd", format!("At most {MAX_DAILY_BUDGET_USD:.0} dollars a day")))
        }
        Some(v) => Some((v * 1e6).round() as i64),
    };
    let mut tx = core.db.pool.begin().await?;
    ledger::set_budget_override(&mut *tx, &actor.organization_id, micros).await?;
    let event = audit::Event {
        organization_id: &actor.organization_id,
        user_id: Some(&actor.user_id),
        action: "ai.budget_changed",
        target: Some(("organization", &actor.organization_id)),
        outcome: audit::SUCCESS,
        details: serde_json::json!({ "daily_budget_usd": daily_budget_usd }),
    };
    audit::record(&mut *tx, &RequestMeta::default(), event).await?;
    tx.commit().await?;
    usage(core, actor).await
}

/// The business profile, brand voice and goals from the guided setup (whatever was answered).
pub async fn business_context(core: &Core, organization_id: &str) -> Result<BusinessContext, ApiError> {
    let org = organizations::find(&core.db.pool, organization_id).await?.ok_or_else(|| ApiError::not_found("Organization"))?;
    let answers: BTreeMap<String, BTreeMap<String, String>> = onboarding::find(&core.db.pool, organization_id)
        .await?
        .and_then(|row| serde_json::from_str(&row.answers).ok())
        .unwrap_or_default();
    let get = |step: &str, field: &str| answers.get(step).and_then(|a| a.get(field)).cloned().filter(|v| !v.trim().is_empty());
    Ok(BusinessContext {
        name: org.name,
        industry: get("business", "industry"),
        website: get("business", "website"),
        voice: get("brand_voice", "voice"),
        tone: get("brand_voice", "tone"),
        avoid: get("brand_voice", "avoid")
            .map(|a| a.split([',', ';', '\n']).map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect())
            .unwrap_or_default(),
        goals: get("goals", "goals").map(|g| g.split(',').map(String::from).collect()).unwrap_or_default(),
        kpi: get("goals", "kpi"),
    })
}

/// Caller identity for the AI ledger.
pub fn caller(actor: &Actor) -> gateway::Caller<'_> {
    gateway::Caller { organization_id: &actor.organization_id, user_id: Some(&actor.user_id) }
}
