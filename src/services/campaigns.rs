//! Campaigns: plans with an objective, budget, dates, platforms and an optional EYES segment;
//! their AI strategy (a background job) with CURIOSITY's budget split.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{ai, brain, eyes, jobs, new_id, validate, Actor};
use crate::ai::gateway;
use crate::ai::tasks::{AiTask, AudienceContext, BudgetLine, StrategyAnswer, StrategyFacts};
use crate::brain::channels::ContentPlatform;
use crate::db::campaigns::{self as store, CampaignRow};
use crate::db::jobs::JobRow;
use crate::db::{content as content_store, time};
use crate::model::*;
use crate::{ApiError, Core};

pub const STRATEGY_JOB: &str = "ai_strategy";
const MAX_NAME: usize = 120;
const MAX_DESCRIPTION: usize = 2_000;
const MAX_BUDGET: f64 = 1_000_000_000.0;
/// Longest campaign flight accepted.
const MAX_DAYS: i64 = 366;

pub async fn list(core: &Core, actor: &Actor) -> Result<CampaignListResponse, ApiError> {
    let rows = store::list(&core.db.pool, &actor.organization_id).await?;
    let counts: std::collections::HashMap<String, i64> =
        content_store::counts_by_campaign(&core.db.pool, &actor.organization_id).await?.into_iter().collect();
    let campaigns = rows
        .into_iter()
        .map(|row| {
            let count = counts.get(&row.id).copied().unwrap_or(0);
            dto(row, count)
        })
        .collect();
    Ok(CampaignListResponse { campaigns })
}

pub async fn get(core: &Core, actor: &Actor, id: &str) -> Result<CampaignDetailResponse, ApiError> {
    let org = &actor.organization_id;
    let row = find(core, org, id).await?;
    let strategy = row.strategy.as_deref().and_then(|s| serde_json::from_str::<StrategyDto>(s).ok());
    let strategy_job = jobs::pending_for_target(core, org, STRATEGY_JOB, id).await?.pop();
    let pending_content_jobs = jobs::pending_for_target(core, org, super::content::GENERATE_JOB, id).await?;
    let count = content_store::count_for_campaign(&core.db.pool, org, id).await?;
    let failed = |job: Option<JobDto>| job.filter(|j| j.status == "failed").and_then(|j| j.error);
    let strategy_error = failed(jobs::latest_for_target(core, org, STRATEGY_JOB, id).await?);
    let content_error = failed(jobs::latest_for_target(core, org, super::content::GENERATE_JOB, id).await?);
    Ok(CampaignDetailResponse { campaign: dto(row, count), strategy, strategy_job, pending_content_jobs, strategy_error, content_error })
}

pub async fn create(core: &Core, actor: &Actor, input: CampaignInput) -> Result<CampaignDto, ApiError> {
    for (field, present) in [
        ("name", input.name.is_some()),
        ("objective", input.objective.is_some()),
        ("budget", input.budget.is_some()),
        ("starts_on", input.starts_on.is_some()),
        ("ends_on", input.ends_on.is_some()),
        ("platforms", input.platforms.is_some()),
    ] {
        if !present {
            return Err(ApiError::validation(field, format!("{} is required", field.replace('_', " "))));
        }
    }
    create_draft(core, actor, input).await
}

/// A campaign with whatever the input gives (the guided setup's brief has no dates or
/// platforms yet); the strategy asks for what is missing.
pub async fn create_draft(core: &Core, actor: &Actor, input: CampaignInput) -> Result<CampaignDto, ApiError> {
    actor.require_editor("change campaigns or content")?;
    let now = time::now();
    let mut row = CampaignRow {
        id: new_id(),
        organization_id: actor.organization_id.clone(),
        name: String::new(),
        objective: String::new(),
        status: "draft".into(),
        budget_cents: 0,
        starts_on: None,
        ends_on: None,
        platforms: "[]".into(),
        channel: None,
        target_segment: None,
        created_by: Some(actor.user_id.clone()),
        created_at: now,
        updated_at: now,
        description: None,
        strategy: None,
        strategy_at: None,
    };
    apply(core, &mut row, input).await?;
    if row.name.is_empty() || row.objective.is_empty() {
        return Err(ApiError::validation(if row.name.is_empty() { "name" } else { "objective" }, "A campaign needs a name and an objective"));
    }
    store::insert(&core.db.pool, &row).await?;
    Ok(dto(row, 0))
}

pub async fn update(core: &Core, actor: &Actor, id: &str, input: CampaignInput) -> Result<CampaignDto, ApiError> {
    actor.require_editor("change campaigns or content")?;
    let mut row = find(core, &actor.organization_id, id).await?;
    apply(core, &mut row, input).await?;
    row.updated_at = time::now();
    store::update(&core.db.pool, &row).await?;
    let count = content_store::count_for_campaign(&core.db.pool, &actor.organization_id, id).await?;
    Ok(dto(row, count))
}

pub async fn delete(core: &Core, actor: &Actor, id: &str) -> Result<(), ApiError> {
    actor.require_editor("change campaigns or content")?;
    if !store::delete(&core.db.pool, &actor.organization_id, id).await? {
        return Err(ApiError::not_found("Campaign"));
    }
    Ok(())
}

async fn find(core: &Core, org: &str, id: &str) -> Result<CampaignRow, ApiError> {
    store::find(&core.db.pool, org, id.trim()).await?.ok_or_else(|| ApiError::not_found("Campaign"))
}

/// Validates the given fields and writes them onto `row` (absent fields stay as they are).
async fn apply(core: &Core, row: &mut CampaignRow, input: CampaignInput) -> Result<(), ApiError> {
    if let Some(name) = input.name {
        let name = name.trim();
        if name.is_empty() {
            return Err(ApiError::validation("name", "The name is required"));
        }
        if name.chars().count() > MAX_NAME {
            return Err(ApiError::validation("name", format!("At most {MAX_NAME} characters")));
        }
        row.name = name.to_string();
    }
    if let Some(objective) = input.objective {
        let objective = objective.trim().to_lowercase();
        if !OBJECTIVES.contains(&objective.as_str()) {
            return Err(ApiError::validation("objective", format!("Choose one of: {}", OBJECTIVES.join(", "))));
        }
        row.objective = objective;
    }
    if let Some(status) = input.status {
        let status = status.trim().to_lowercase();
        if !CAMPAIGN_STATUSES.contains(&status.as_str()) {
            return Err(ApiError::validation("status", format!("Choose one of: {}", CAMPAIGN_STATUSES.join(", "))));
        }
        row.status = status;
    }
    if let Some(description) = input.description {
        let d = description.trim();
        if d.chars().count() > MAX_DESCRIPTION {
            return Err(ApiError::validation("description", format!("At most {MAX_DESCRIPTION} characters")));
        }
        row.description = (!d.is_empty()).then(|| d.to_string());
    }
    if let Some(budget) = input.budget {
        if !budget.is_finite() || budget < 0.0 {
            return Err(ApiError::validation("budget", "The budget must be zero or more"));
        }
        if budget > MAX_BUDGET {
            return Err(ApiError::validation("budget", "The budget is too large"));
        }
        row.budget_cents = (budget * 100.0).round() as i64;
    }
    if let Some(d) = input.starts_on {
        row.starts_on = Some(validate::day("starts_on", &d)?.format("%Y-%m-%d").to_string());
    }
    if let Some(d) = input.ends_on {
        row.ends_on = Some(validate::day("ends_on", &d)?.format("%Y-%m-%d").to_string());
    }
    if let (Some(a), Some(b)) = (&row.starts_on, &row.ends_on) {
        let (a, b) = (validate::day("starts_on", a)?, validate::day("ends_on", b)?);
        if b < a {
            return Err(ApiError::validation("ends_on", "The end date is before the start date"));
        }
        if (b - a).num_days() >= MAX_DAYS {
            return Err(ApiError::validation("ends_on", format!("A campaign runs at most {MAX_DAYS} days")));
        }
    }
    if let Some(platforms) = input.platforms {
        let mut parsed: Vec<ContentPlatform> = Vec::new();
        for p in &platforms {
            let platform = ContentPlatform::parse(p).ok_or_else(|| {
                let names: Vec<&str> = ContentPlatform::ALL.iter().map(|p| p.as_str()).collect();
                ApiError::validation("platforms", format!("'{}' is not a platform OmniFy plans for (one of: {})", p.trim(), names.join(", ")))
            })?;
            if !parsed.contains(&platform) {
                parsed.push(platform);
            }
        }
        if parsed.is_empty() {
            return Err(ApiError::validation("platforms", "Choose at least one platform"));
        }
        row.platforms = serde_json::to_string(&parsed.iter().map(|p| p.as_str()).collect::<Vec<_>>()).map_err(|_| ApiError::internal())?;
    }
    if let Some(segment_id) = input.target_segment_id {
        row.target_segment = if segment_id.trim().is_empty() {
            None
        } else {
            Some(eyes::segment_target(core, &row.organization_id, &segment_id).await?.0.to_string())
        };
    }
    Ok(())
}

fn platforms_of(row: &CampaignRow) -> Vec<String> {
    serde_json::from_str(&row.platforms).unwrap_or_default()
}

fn target_of(row: &CampaignRow) -> Option<TargetSegmentDto> {
    let v: serde_json::Value = serde_json::from_str(row.target_segment.as_deref()?).ok()?;
    Some(TargetSegmentDto {
        segment_id: v["segment_id"].as_str()?.to_string(),
        name: v["name"].as_str().unwrap_or_default().to_string(),
        size: v["size"].as_i64().unwrap_or_default(),
    })
}

fn dto(row: CampaignRow, content_count: i64) -> CampaignDto {
    CampaignDto {
        platforms: platforms_of(&row),
        target_segment: target_of(&row),
        has_strategy: row.strategy.is_some(),
        campaign_id: row.id,
        name: row.name,
        objective: row.objective,
        status: row.status,
        description: row.description,
        budget: row.budget_cents as f64 / 100.0,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        channel: row.channel,
        content_count,
        created_at: time::rfc3339(row.created_at),
        updated_at: time::rfc3339(row.updated_at),
    }
}

/// What a strategy job works from: the AI's facts and CURIOSITY's budget plan, fixed when the
/// request was made.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct StrategyJobInput {
    /// What the caller asked for: a strategy for this campaign.
    request: serde_json::Value,
    campaign_id: String,
    facts: StrategyFacts,
    budget: brain::BudgetSplit,
}

/// Queues a strategy for the campaign (`POST /api/campaigns/{id}/strategy`).
pub async fn request_strategy(core: &Core, actor: &Actor, id: &str, idempotency_key: Option<&str>) -> Result<JobDto, ApiError> {
    actor.require_editor("change campaigns or content")?;
    let org = &actor.organization_id;
    let row = find(core, org, id).await?;
    let platforms: Vec<ContentPlatform> = platforms_of(&row).iter().filter_map(|p| ContentPlatform::parse(p)).collect();
    if platforms.is_empty() {
        return Err(ApiError::validation("platforms", "Add at least one platform OmniFy writes for before planning a strategy"));
    }
    let (Some(starts_on), Some(ends_on)) = (row.starts_on.clone(), row.ends_on.clone()) else {
        return Err(ApiError::validation("starts_on", "Set the campaign's start and end dates before planning a strategy"));
    };
    let days = (validate::day("ends_on", &ends_on)? - validate::day("starts_on", &starts_on)?).num_days() + 1;
    let budget = brain::split_budget(core, org, &platforms, row.budget_cents, days).await?;
    let audience = match target_of(&row) {
        Some(t) => {
            // The segment may have been replaced by a newer analysis; the stored name still serves.
            let traits = eyes::segment_target(core, org, &t.segment_id).await.map(|(_, _, traits)| traits).unwrap_or_default();
            Some(AudienceContext { name: t.name, size: Some(t.size), traits })
        }
        None => None,
    };
    let facts = StrategyFacts {
        business: ai::business_context(core, org).await?,
        campaign_name: row.name.clone(),
        objective: row.objective.clone(),
        description: row.description.clone(),
        budget_cents: row.budget_cents,
        starts_on,
        ends_on,
        platforms,
        audience,
        budget_split: budget.lines.iter().map(|l| BudgetLine { platform: l.platform, amount_cents: l.amount_cents, share: l.share }).collect(),
    };
    let task = AiTask::CampaignStrategy(facts.clone());
    gateway::check_budget(core, org, &task).await?;
    let input = serde_json::to_value(StrategyJobInput { request: json!({ "campaign_id": row.id }), campaign_id: row.id.clone(), facts, budget }).map_err(|_| ApiError::internal())?;
    jobs::enqueue_request(core, actor, STRATEGY_JOB, &row.id, &input, idempotency_key).await
}

pub(crate) async fn run_strategy_job(core: &Core, worker: &str, job: &JobRow) -> Result<Option<serde_json::Value>, ApiError> {
    let input: StrategyJobInput =
        serde_json::from_str(job.input.as_deref().unwrap_or_default()).map_err(|_| ApiError::bad_request("The strategy request is unreadable"))?;
    let task = AiTask::CampaignStrategy(input.facts.clone());
    let answer = {
        let _lease = jobs::keep_lease(core, job, worker, "writing the strategy");
        let caller = gateway::Caller { organization_id: &job.organization_id, user_id: job.created_by.as_deref() };
        gateway::run(core, caller, &task).await?
    };
    let plan: StrategyAnswer = serde_json::from_value(answer.value.clone()).map_err(|_| ApiError::internal())?;
    let now = time::now();
    let strategy = StrategyDto {
        summary: plan.summary,
        channels: input
            .facts
            .platforms
            .iter()
            .map(|p| {
                let line = input.budget.lines.iter().find(|l| l.platform == *p);
                StrategyChannelDto {
                    platform: *p,
                    role: plan.channels.iter().find(|c| c.platform == *p).map(|c| c.role.clone()).unwrap_or_default(),
                    budget: line.map(|l| l.amount_cents as f64 / 100.0).unwrap_or_default(),
                    share: line.map(|l| l.share).unwrap_or_default(),
                    expected: line.and_then(|l| l.expected),
                    low: line.and_then(|l| l.low),
                    high: line.and_then(|l| l.high),
                    low_confidence: line.is_none_or(|l| l.low_confidence),
                }
            })
            .collect(),
        pillars: plan.pillars.into_iter().map(|p| PillarDto { title: p.title, message: p.message, proof_point: p.proof_point }).collect(),
        calendar: plan
            .calendar
            .into_iter()
            .map(|s| CalendarSlotDto { date: s.date, platform: s.platform, format: s.format, topic: s.topic, pillar: s.pillar })
            .collect(),
        kpis: plan.kpis.into_iter().map(|k| KpiDto { name: k.name, target: k.target }).collect(),
        risks: plan.risks,
        budget_basis: input.budget.basis.clone(),
        budget_notes: input.budget.notes.clone(),
        engine: answer.engine.clone(),
        engine_label: answer.engine_label.clone(),
        generated_at: time::rfc3339(now),
    };
    let json = serde_json::to_string(&strategy).map_err(|_| ApiError::internal())?;
    let mut tx = core.db.pool.begin().await?;
    if !jobs::still_mine(&mut tx, core, job, worker).await? {
        return Ok(None);
    }
    if !store::set_strategy(&mut *tx, &job.organization_id, &input.campaign_id, &json, now).await? {
        return Err(ApiError::not_found("Campaign (it was deleted while the strategy was written)"));
    }
    tx.commit().await?;
    Ok(Some(json!({ "campaign_id": input.campaign_id, "engine": answer.engine, "ai_call_id": answer.call_id, "cost_usd": answer.cost_micros as f64 / 1e6 })))
}
