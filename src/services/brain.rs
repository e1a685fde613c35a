//! Brain: the organization's data through the pure engines in `crate::brain` — creative
//! scoring, ORACLE fatigue, VOICE repurposing, CURIOSITY budgets, MEMORY performance, market
//! benchmarks and client intelligence.

use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};

use super::Actor;
use crate::ai::gateway;
use crate::ai::tasks::{AiTask, ReviewAnswer, ReviewFacts};
use crate::brain::creative::{BrandGuidelines, CreativeAnalysis};
use crate::brain::budget::{self, BudgetRequest, ChannelInput, Objective};
use crate::brain::channels::ContentPlatform;
use crate::brain::creative::{self, CreativeInput};
use crate::brain::daily::DailyPerformance;
use crate::brain::repurpose::RepurposeInput;
use crate::db::campaign_performance;
use crate::model::*;
use crate::{ApiError, Core};

/// How far back the performance engines look.
pub const HISTORY_DAYS: i64 = 90;
/// Fixed bootstrap seed: the same data give the same plan.
const BUDGET_SEED: u64 = 7;

/// The organization's daily ad performance over the last `HISTORY_DAYS`.
pub async fn performance_rows(core: &Core, organization_id: &str) -> Result<Vec<DailyPerformance>, ApiError> {
    let since = (Utc::now() - Duration::days(HISTORY_DAYS)).format("%Y-%m-%d").to_string();
    let rows = campaign_performance::since(&core.db.pool, organization_id, &since).await?;
    Ok(rows
        .into_iter()
        .map(|r| DailyPerformance {
            platform: r.platform,
            campaign_id: r.campaign_id,
            campaign_name: r.campaign_name,
            creative_id: r.creative_id,
            creative_name: r.creative_name,
            day: r.day,
            impressions: r.impressions,
            clicks: r.clicks,
            spend_cents: r.spend_cents,
            conversions: r.conversions,
            revenue_cents: r.revenue_cents,
            reach: r.reach,
        })
        .collect())
}

/// Which content platform an ad or messaging platform's performance speaks for.
pub fn content_platform_for(performance_platform: &str) -> Option<ContentPlatform> {
    let p = performance_platform.trim().to_lowercase();
    Some(match p.as_str() {
        "meta_ads" | "meta" | "facebook" | "facebook_ads" => ContentPlatform::Facebook,
        "instagram" | "instagram_ads" => ContentPlatform::Instagram,
        "google_ads" | "google" | "adwords" => ContentPlatform::GoogleAds,
        "linkedin_ads" | "linkedin" => ContentPlatform::Linkedin,
        "tiktok" | "tiktok_ads" => ContentPlatform::Tiktok,
        "x" | "twitter" | "x_ads" | "twitter_ads" => ContentPlatform::X,
        "klaviyo" | "email" | "mailchimp" | "hubspot_email" => ContentPlatform::Email,
        "sms" | "attentive" | "postscript" => ContentPlatform::Sms,
        _ => return None,
    })
}

/// One platform's line of a campaign budget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SplitLine {
    pub platform: ContentPlatform,
    pub amount_cents: i64,
    pub share: f64,
    /// Expected revenue over the campaign (currency units) with its 80% band, from the fitted
    /// response curve; None without history.
    pub expected: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub low_confidence: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetSplit {
    pub lines: Vec<SplitLine>,
    /// How the split was decided, in plain words.
    pub basis: String,
    pub notes: Vec<String>,
}

/// Splits a campaign's budget across its platforms with CURIOSITY. Platforms with performance
/// history share their part by their fitted response curves (equal marginal return); platforms
/// without history get an even exploration share, because nothing can be fitted for them.
pub async fn split_budget(core: &Core, organization_id: &str, platforms: &[ContentPlatform], budget_cents: i64, days: i64) -> Result<BudgetSplit, ApiError> {
    let n = platforms.len().max(1) as i64;
    let even = |platform: ContentPlatform, amount_cents: i64| SplitLine {
        platform,
        amount_cents,
        share: amount_cents as f64 / budget_cents.max(1) as f64,
        expected: None,
        low: None,
        high: None,
        low_confidence: true,
    };
    if budget_cents <= 0 {
        return Ok(BudgetSplit {
            lines: platforms.iter().map(|p| SplitLine { share: 0.0, ..even(*p, 0) }).collect(),
            basis: "No budget set: every channel is planned at zero.".into(),
            notes: vec![],
        });
    }
    let rows = performance_rows(core, organization_id).await?;
    let mut channels: Vec<ChannelInput> = Vec::new();
    for ch in budget::channels_from_performance(&rows, false, Objective::Revenue) {
        let Some(platform) = content_platform_for(&ch.name) else { continue };
        if !platforms.contains(&platform) {
            continue;
        }
        match channels.iter_mut().find(|c| c.name == platform.as_str()) {
            Some(existing) => existing.history.extend(ch.history),
            None => channels.push(ChannelInput { name: platform.as_str().into(), ..ch }),
        }
    }
    let unfitted: Vec<ContentPlatform> = platforms.iter().copied().filter(|p| !channels.iter().any(|c| c.name == p.as_str())).collect();
    let exploration_each = budget_cents / n;
    let fitted_total = budget_cents - exploration_each * unfitted.len() as i64;
    let mut lines: Vec<SplitLine> = unfitted.iter().map(|p| even(*p, exploration_each)).collect();
    let mut notes = Vec::new();
    let basis = if channels.is_empty() {
        // Rounding leftovers go to the first platform so the lines add up to the budget.
        if let Some(first) = lines.first_mut() {
            first.amount_cents += fitted_total;
            first.share = first.amount_cents as f64 / budget_cents as f64;
        }
        "Even split: there is no performance history for these platforms yet, so CURIOSITY has no response curves to fit.".to_string()
    } else {
        let daily_total = (fitted_total as f64 / days.max(1) as f64).round() as i64;
        let plan = budget::optimize(&BudgetRequest { total_cents: daily_total.max(1), channels, objective: Objective::Revenue, seed: BUDGET_SEED })
            .map_err(|e| ApiError::validation("budget", e.to_string()))?;
        let scale = fitted_total as f64 / plan.total_cents.max(1) as f64;
        let mut assigned = 0;
        let count = plan.allocations.len();
        for (i, a) in plan.allocations.iter().enumerate() {
            let Some(platform) = ContentPlatform::parse(&a.name) else { continue };
            let amount = if i + 1 == count { fitted_total - assigned } else { (a.amount_cents as f64 * scale).round() as i64 };
            assigned += amount;
            let over_campaign = |daily: f64| daily * days.max(1) as f64 / 100.0;
            lines.push(SplitLine {
                platform,
                amount_cents: amount,
                share: amount as f64 / budget_cents as f64,
                expected: Some(over_campaign(a.expected_outcome)),
                low: Some(over_campaign(a.low)),
                high: Some(over_campaign(a.high)),
                low_confidence: a.low_confidence,
            });
        }
        notes.extend(plan.notes);
        let fitted_names: Vec<&str> = lines.iter().filter(|l| l.expected.is_some()).map(|l| l.platform.label()).collect();
        let mut basis = format!(
            "CURIOSITY split {} across {} by their fitted response curves (equal marginal return, last {HISTORY_DAYS} days of performance).",
            money(fitted_total),
            fitted_names.join(", ")
        );
        if !unfitted.is_empty() {
            let names: Vec<&str> = unfitted.iter().map(|p| p.label()).collect();
            basis.push_str(&format!(" {} get an even exploration share each: no history to fit yet.", names.join(", ")));
        }
        basis
    };
    lines.sort_by_key(|l| platforms.iter().position(|p| *p == l.platform));
    Ok(BudgetSplit { lines, basis, notes })
}

fn money(cents: i64) -> String {
    format!("{:.2}", cents as f64 / 100.0)
}

/// AIDA analysis of ad copy with the brand's guidelines (or the ones given).
pub async fn creative_analyze(core: &Core, actor: &Actor, req: CreativeAnalyzeRequest) -> Result<CreativeAnalyzeResponse, ApiError> {
    let platform = ContentPlatform::parse(&req.platform).ok_or_else(|| ApiError::validation("platform", "Unknown platform"))?;
    if req.body.trim().is_empty() {
        return Err(ApiError::validation("body", "Paste the ad copy to analyse"));
    }
    if req.body.chars().count() > MAX_ANALYZE_CHARS {
        return Err(ApiError::validation("body", format!("At most {MAX_ANALYZE_CHARS} characters")));
    }
    let guidelines = match req.guidelines {
        Some(g) => g,
        None => super::content::guidelines(core, &actor.organization_id).await?,
    };
    let input = CreativeInput { headline: req.headline, body: req.body, cta: req.cta, platform };
    let analysis = creative::analyze(&input, Some(&guidelines));
    let enrichment = if req.enrich { Some(enrich(core, actor, &input, &analysis, &guidelines).await?) } else { None };
    Ok(CreativeAnalyzeResponse { analysis, guidelines, enrichment })
}

/// Asks the AI layer to review the copy (synchronously: a review is one short call).
async fn enrich(core: &Core, actor: &Actor, input: &CreativeInput, analysis: &CreativeAnalysis, guidelines: &BrandGuidelines) -> Result<CreativeEnrichment, ApiError> {
    if !actor.role.can_edit_data() {
        return Err(ApiError::forbidden("Viewers cannot start AI reviews"));
    }
    let s = &analysis.scores;
    let task = AiTask::CreativeReview(ReviewFacts {
        business: super::ai::business_context(core, &actor.organization_id).await?,
        platform: input.platform,
        headline: input.headline.clone(),
        body: input.body.clone(),
        cta: input.cta.clone(),
        scores: [s.attention, s.interest, s.desire, s.action],
        weaknesses: analysis.weaknesses.clone(),
        recommendations: analysis.recommendations.clone(),
    });
    let answer = gateway::run(core, super::ai::caller(actor), &task).await?;
    let review: ReviewAnswer = serde_json::from_value(answer.value.clone()).map_err(|_| ApiError::internal())?;
    let rewritten = CreativeInput { headline: review.rewrite.headline.clone(), body: review.rewrite.body.clone(), cta: input.cta.clone(), platform: input.platform };
    Ok(CreativeEnrichment {
        recommendations: review.recommendations,
        rewrite_headline: review.rewrite.headline,
        rewrite_body: review.rewrite.body,
        rewrite_analysis: creative::analyze(&rewritten, Some(guidelines)),
        engine: answer.engine,
        engine_label: answer.engine_label,
        cost_usd: answer.cost_micros as f64 / 1e6,
    })
}

/// Longest copy the analyser takes.
const MAX_ANALYZE_CHARS: usize = 20_000;

pub async fn fatigue(core: &Core, actor: &Actor) -> Result<FatigueResponse, ApiError> {
    let rows = performance_rows(core, &actor.organization_id).await?;
    Ok(FatigueResponse { creatives: crate::brain::fatigue::assess(&rows), history_days: HISTORY_DAYS })
}

pub async fn repurpose(core: &Core, actor: &Actor, req: RepurposeRequest) -> Result<RepurposeResponse, ApiError> {
    let content = req.content.trim();
    if content.is_empty() {
        return Err(ApiError::validation("content", "Paste the content to repurpose"));
    }
    if content.chars().count() > MAX_ANALYZE_CHARS {
        return Err(ApiError::validation("content", format!("At most {MAX_ANALYZE_CHARS} characters")));
    }
    let mut platforms = Vec::new();
    for p in &req.platforms {
        let platform = ContentPlatform::parse(p).ok_or_else(|| ApiError::validation("platforms", format!("'{}' is not a platform", p.trim())))?;
        if !platforms.contains(&platform) {
            platforms.push(platform);
        }
    }
    if platforms.is_empty() {
        return Err(ApiError::validation("platforms", "Choose at least one platform"));
    }
    if let Some(link) = req.link.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        if !(link.starts_with("https://") || link.starts_with("http://")) {
            return Err(ApiError::validation("link", "Give a full link, e.g. https://example.com/post"));
        }
    }
    let input = RepurposeInput {
        content: content.to_string(),
        title: req.title.filter(|t| !t.trim().is_empty()),
        platforms,
        hashtags: req.hashtags,
        guidelines: Some(super::content::guidelines(core, &actor.organization_id).await?),
        link: req.link.filter(|l| !l.trim().is_empty()),
    };
    Ok(RepurposeResponse { variants: crate::brain::repurpose::repurpose(&input) })
}

pub async fn budget_plan(core: &Core, actor: &Actor, req: BudgetOptimizeRequest) -> Result<BudgetOptimizeResponse, ApiError> {
    if !req.daily_budget.is_finite() || req.daily_budget <= 0.0 || req.daily_budget > 10_000_000.0 {
        return Err(ApiError::validation("daily_budget", "Give a daily budget above zero"));
    }
    let by_campaign = match req.group_by.as_deref().unwrap_or("platform") {
        "platform" => false,
        "campaign" => true,
        _ => return Err(ApiError::validation("group_by", "Choose platform or campaign")),
    };
    let objective = match req.objective.as_deref().unwrap_or("revenue") {
        "revenue" => Objective::Revenue,
        "conversions" => Objective::Conversions,
        _ => return Err(ApiError::validation("objective", "Choose revenue or conversions")),
    };
    let rows = performance_rows(core, &actor.organization_id).await?;
    let mut channels = budget::channels_from_performance(&rows, by_campaign, objective);
    if channels.is_empty() {
        return Err(ApiError::validation(
            "daily_budget",
            format!("There is no ad performance in the last {HISTORY_DAYS} days to plan from: import performance data or connect an ad platform first"),
        ));
    }
    let cents = |v: Option<f64>| v.filter(|v| v.is_finite()).map(|v| (v * 100.0).round() as i64);
    for limit in &req.limits {
        let Some(ch) = channels.iter_mut().find(|c| c.name == limit.name) else {
            return Err(ApiError::validation("limits", format!("'{}' is not one of the channels with history", limit.name)));
        };
        ch.min_cents = cents(limit.min);
        ch.max_cents = cents(limit.max);
    }
    let plan = budget::optimize(&BudgetRequest { total_cents: (req.daily_budget * 100.0).round() as i64, channels, objective, seed: BUDGET_SEED })
        .map_err(|e| ApiError::validation("limits", e.to_string()))?;
    Ok(BudgetOptimizeResponse { plan, history_days: HISTORY_DAYS })
}

pub async fn performance(core: &Core, actor: &Actor) -> Result<PerformanceResponse, ApiError> {
    let rows = performance_rows(core, &actor.organization_id).await?;
    Ok(PerformanceResponse { summary: crate::brain::performance::summarize(&rows, 5), history_days: HISTORY_DAYS })
}

pub async fn market(core: &Core, actor: &Actor) -> Result<MarketResponse, ApiError> {
    let rows = performance_rows(core, &actor.organization_id).await?;
    let industry = super::ai::business_context(core, &actor.organization_id).await?.industry;
    Ok(MarketResponse { industry, benchmarks: crate::brain::market::benchmarks(&rows), history_days: HISTORY_DAYS })
}

/// One customer's engagement and churn explanation, using EYES when it has scored them.
pub async fn client(core: &Core, actor: &Actor, customer_id: &str) -> Result<ClientIntelligenceResponse, ApiError> {
    let detail = super::customers::get(core, actor, customer_id).await?;
    let eyes = match super::eyes::churn_risk(core, actor, customer_id, Some("30d")).await {
        Ok(r) => Some(r),
        Err(e) if e.error == crate::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let mut channels: Vec<ChannelEngagement> = Vec::new();
    for e in &detail.events {
        let name = e.channel.clone().unwrap_or_else(|| "unknown".into());
        match channels.iter_mut().find(|c| c.channel == name) {
            Some(c) => c.events += 1,
            None => channels.push(ChannelEngagement { channel: name, events: 1 }),
        }
    }
    channels.sort_by(|a, b| b.events.cmp(&a.events).then(a.channel.cmp(&b.channel)));
    let last_order_at = detail.orders.iter().map(|o| o.ordered_at.clone()).max();
    let last_activity_at = detail.events.iter().map(|e| e.occurred_at.clone()).chain(last_order_at.clone()).max();
    let mut top_reasons: Vec<ReasonDto> = eyes.as_ref().map(|r| r.reasons.clone()).unwrap_or_default();
    top_reasons.truncate(3);

    let mut summary = vec![format!(
        "{} orders worth {:.2} in total, {} recorded events.",
        detail.order_count,
        detail.revenue_cents as f64 / 100.0,
        detail.event_count
    )];
    if let Some(top) = channels.first() {
        summary.push(format!("Most active on {} ({} of the {} most recent events).", top.channel, top.events, detail.events.len()));
    }
    match &eyes {
        Some(r) => {
            if let (Some(risk), Some(level)) = (r.churn_risk, &r.level) {
                summary.push(format!("EYES puts the 30-day churn risk at {:.0}% ({level}).", risk * 100.0));
            }
            summary.push(format!(
                "Probability still active: {:.0}%; expected purchases in the next 90 days: {:.1}; lifetime value {:.2}.",
                r.p_alive * 100.0,
                r.expected_purchases_90d,
                r.clv_cents as f64 / 100.0
            ));
            if let Some(s) = &r.segment {
                summary.push(format!("Belongs to the segment \"{}\".", s.name));
            }
        }
        None => summary.push("EYES has not analysed this organization's customers yet: run an analysis for churn risk and lifetime value.".into()),
    }
    Ok(ClientIntelligenceResponse {
        customer_id: detail.customer_id,
        name: detail.name,
        orders: detail.order_count,
        revenue_cents: detail.revenue_cents,
        events: detail.event_count,
        last_order_at,
        last_activity_at,
        channels,
        eyes,
        top_reasons,
        summary,
    })
}
