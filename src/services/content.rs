//! Content pieces: AI generation (a background job), hand-written pieces, editing with version
//! history, the review workflow draft → in review → approved → scheduled → published, and
//! export. OmniFy cannot publish to any platform itself: "published" is the team's own record
//! that they published it elsewhere, never a pretend publication.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{ai, jobs, new_id, validate, Actor};
use crate::ai::gateway;
use crate::ai::tasks::{AiTask, AudienceContext, ContentAnswer, ContentFacts, CONTENT_FORMATS};
use crate::brain::channels::ContentPlatform;
use crate::brain::creative::{self, BrandGuidelines, CreativeAnalysis, CreativeInput};
use crate::db::campaigns::{self as campaign_store, CampaignRow};
use crate::db::content::{self as store, ContentFilter, ContentRow, VersionRow};
use crate::db::jobs::JobRow;
use crate::db::time;
use crate::model::*;
use crate::{ApiError, Core};

pub const GENERATE_JOB: &str = "ai_content";
/// Target of generations that belong to no campaign.
const NO_CAMPAIGN: &str = "-";
const MAX_BRIEF: usize = 2_000;
const MAX_HEADLINE: usize = 200;
const MAX_CTA: usize = 60;
const MAX_HASHTAGS: usize = 30;
const MAX_URL: usize = 500;

fn parse_platform(value: &str) -> Result<ContentPlatform, ApiError> {
    ContentPlatform::parse(value).ok_or_else(|| {
        let names: Vec<&str> = ContentPlatform::ALL.iter().map(|p| p.as_str()).collect();
        ApiError::validation("platform", format!("Choose one of: {}", names.join(", ")))
    })
}

fn parse_format(value: &str) -> Result<String, ApiError> {
    let f = value.trim().to_lowercase();
    if CONTENT_FORMATS.contains(&f.as_str()) {
        Ok(f)
    } else {
        Err(ApiError::validation("format", format!("Choose one of: {}", CONTENT_FORMATS.join(", "))))
    }
}

async fn campaign(core: &Core, org: &str, id: &str) -> Result<CampaignRow, ApiError> {
    campaign_store::find(&core.db.pool, org, id.trim()).await?.ok_or_else(|| ApiError::not_found("Campaign").with_field("campaign_id"))
}

/// The brand's rules for the creative scorer, from the guided setup.
pub async fn guidelines(core: &Core, organization_id: &str) -> Result<BrandGuidelines, ApiError> {
    let business = ai::business_context(core, organization_id).await?;
    Ok(BrandGuidelines { banned_words: business.avoid, required_tone: business.tone, voice: business.voice })
}

fn analyze(row: &ContentRow, guidelines: &BrandGuidelines) -> CreativeAnalysis {
    let platform = ContentPlatform::parse(&row.platform).unwrap_or(ContentPlatform::Facebook);
    creative::analyze(
        &CreativeInput { headline: row.headline.clone(), body: row.body.clone(), cta: row.cta.clone(), platform },
        Some(guidelines),
    )
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct GenerateJobInput {
    /// What the caller asked for (an Idempotency-Key repeat must ask for the same).
    request: GenerateContentRequest,
    campaign_id: Option<String>,
    scheduled_for: Option<String>,
    facts: ContentFacts,
}

/// Queues a generation (`POST /api/content/generate`); the job creates a draft piece.
pub async fn generate(core: &Core, actor: &Actor, req: GenerateContentRequest, idempotency_key: Option<&str>) -> Result<JobDto, ApiError> {
    actor.require_editor("change campaigns or content")?;
    let request = req.clone();
    let org = &actor.organization_id;
    let platform = parse_platform(&req.platform)?;
    let format = parse_format(&req.format)?;
    let brief = req.brief.trim();
    if brief.is_empty() {
        return Err(ApiError::validation("brief", "Describe what the content should say"));
    }
    if brief.chars().count() > MAX_BRIEF {
        return Err(ApiError::validation("brief", format!("At most {MAX_BRIEF} characters")));
    }
    let scheduled_for = validate::optional_day("scheduled_for", req.scheduled_for.as_deref().unwrap_or_default())?;
    let campaign = match req.campaign_id.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(id) => Some(campaign(core, org, id).await?),
        None => None,
    };
    let pillars: Vec<String> = campaign
        .as_ref()
        .and_then(|c| c.strategy.as_deref())
        .and_then(|s| serde_json::from_str::<StrategyDto>(s).ok())
        .map(|s| s.pillars.into_iter().map(|p| format!("{}: {}", p.title, p.message)).collect())
        .unwrap_or_default();
    let audience = campaign.as_ref().and_then(|c| c.target_segment.as_deref()).and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok()).map(|t| {
        AudienceContext { name: t["name"].as_str().unwrap_or("Target segment").to_string(), size: t["size"].as_i64(), traits: vec![] }
    });
    let target = campaign.as_ref().map(|c| c.id.clone()).unwrap_or_else(|| NO_CAMPAIGN.into());
    // Each new generation for the same campaign and platform takes another angle.
    let existing = store::count_for_platform(&core.db.pool, org, campaign.as_ref().map(|c| c.id.as_str()), platform.as_str()).await?;
    let facts = ContentFacts {
        business: ai::business_context(core, org).await?,
        platform,
        format,
        brief: brief.to_string(),
        campaign_name: campaign.as_ref().map(|c| c.name.clone()),
        objective: campaign.as_ref().map(|c| c.objective.clone()),
        audience,
        pillars,
        variant: existing as u32,
    };
    let task = AiTask::Content(facts.clone());
    gateway::check_budget(core, org, &task).await?;
    let input = GenerateJobInput { request, campaign_id: campaign.map(|c| c.id), scheduled_for, facts };
    let input = serde_json::to_value(input).map_err(|_| ApiError::internal())?;
    jobs::enqueue_request(core, actor, GENERATE_JOB, &target, &input, idempotency_key).await
}

pub(crate) async fn run_generate_job(core: &Core, worker: &str, job: &JobRow) -> Result<Option<serde_json::Value>, ApiError> {
    let input: GenerateJobInput =
        serde_json::from_str(job.input.as_deref().unwrap_or_default()).map_err(|_| ApiError::bad_request("The generation request is unreadable"))?;
    let answer = {
        let _lease = jobs::keep_lease(core, job, worker, "writing");
        let caller = gateway::Caller { organization_id: &job.organization_id, user_id: job.created_by.as_deref() };
        gateway::run(core, caller, &AiTask::Content(input.facts.clone())).await?
    };
    let copy: ContentAnswer = serde_json::from_value(answer.value.clone()).map_err(|_| ApiError::internal())?;
    let now = time::now();
    let mut row = ContentRow {
        id: new_id(),
        organization_id: job.organization_id.clone(),
        campaign_id: input.campaign_id.clone(),
        platform: input.facts.platform.as_str().into(),
        format: input.facts.format.clone(),
        headline: copy.headline.filter(|h| !h.trim().is_empty()),
        body: copy.body,
        cta: Some(copy.cta).filter(|c| !c.trim().is_empty()),
        hashtags: serde_json::to_string(&copy.hashtags).map_err(|_| ApiError::internal())?,
        status: "draft".into(),
        scheduled_for: input.scheduled_for.clone(),
        published_url: None,
        aida_overall: 0,
        engine: answer.engine.clone(),
        version: 1,
        created_by: job.created_by.clone(),
        created_at: now,
        updated_at: now,
    };
    row.aida_overall = analyze(&row, &guidelines(core, &job.organization_id).await?).scores.overall as i64;
    let mut tx = core.db.pool.begin().await?;
    if !jobs::still_mine(&mut tx, core, job, worker).await? {
        return Ok(None);
    }
    if let Some(c) = &row.campaign_id {
        if campaign_store::find(&mut *tx, &row.organization_id, c).await?.is_none() {
            row.campaign_id = None; // the campaign was deleted meanwhile; keep the copy
        }
    }
    store::insert(&mut *tx, &row).await?;
    store::insert_version(&mut *tx, &version_of(&row, &format!("generated by {}", answer.engine_label), row.created_by.clone())).await?;
    tx.commit().await?;
    Ok(Some(json!({
        "content_id": row.id,
        "engine": answer.engine,
        "engine_label": answer.engine_label,
        "ai_call_id": answer.call_id,
        "cost_usd": answer.cost_micros as f64 / 1e6,
    })))
}

fn version_of(row: &ContentRow, change: &str, changed_by: Option<String>) -> VersionRow {
    VersionRow {
        content_id: row.id.clone(),
        version: row.version,
        organization_id: row.organization_id.clone(),
        headline: row.headline.clone(),
        body: row.body.clone(),
        cta: row.cta.clone(),
        hashtags: row.hashtags.clone(),
        status: row.status.clone(),
        change: change.to_string(),
        changed_by,
        created_at: row.updated_at,
    }
}

/// A hand-written piece (`POST /api/content`).
pub async fn create(core: &Core, actor: &Actor, input: ContentInput) -> Result<ContentDetailResponse, ApiError> {
    actor.require_editor("change campaigns or content")?;
    let org = &actor.organization_id;
    let platform = parse_platform(input.platform.as_deref().unwrap_or_default())?;
    let format = parse_format(input.format.as_deref().unwrap_or("post"))?;
    let campaign_id = match input.campaign_id.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(id) => Some(campaign(core, org, id).await?.id),
        None => None,
    };
    let now = time::now();
    let mut row = ContentRow {
        id: new_id(),
        organization_id: org.clone(),
        campaign_id,
        platform: platform.as_str().into(),
        format,
        headline: None,
        body: String::new(),
        cta: None,
        hashtags: "[]".into(),
        status: "draft".into(),
        scheduled_for: None,
        published_url: None,
        aida_overall: 0,
        engine: "human".into(),
        version: 1,
        created_by: Some(actor.user_id.clone()),
        created_at: now,
        updated_at: now,
    };
    if input.body.as_deref().is_none_or(|b| b.trim().is_empty()) {
        return Err(ApiError::validation("body", "Write the copy"));
    }
    apply_edit(&mut row, &input)?;
    let rules = guidelines(core, org).await?;
    row.aida_overall = analyze(&row, &rules).scores.overall as i64;
    let mut tx = core.db.pool.begin().await?;
    store::insert(&mut *tx, &row).await?;
    store::insert_version(&mut *tx, &version_of(&row, "written by hand", Some(actor.user_id.clone()))).await?;
    tx.commit().await?;
    detail(core, org, row, &rules).await
}

/// Writes the edited fields onto `row`, validated against the platform's hard limits.
fn apply_edit(row: &mut ContentRow, input: &ContentInput) -> Result<(), ApiError> {
    let platform = ContentPlatform::parse(&row.platform).unwrap_or(ContentPlatform::Facebook);
    let limits = platform.limits();
    if let Some(body) = &input.body {
        let body = body.trim();
        if body.is_empty() {
            return Err(ApiError::validation("body", "The copy cannot be empty"));
        }
        let n = body.chars().count();
        if n > limits.max_chars {
            return Err(ApiError::validation("body", format!("{} allows at most {} characters; this has {n}", platform.label(), limits.max_chars)));
        }
        row.body = body.to_string();
    }
    if let Some(headline) = &input.headline {
        let h = headline.trim();
        let max = limits.max_headline_chars.unwrap_or(MAX_HEADLINE);
        if h.chars().count() > max {
            return Err(ApiError::validation("headline", format!("{} headlines are at most {max} characters", platform.label())));
        }
        row.headline = (!h.is_empty()).then(|| h.to_string());
    }
    if let Some(cta) = &input.cta {
        let c = cta.trim();
        if c.chars().count() > MAX_CTA {
            return Err(ApiError::validation("cta", format!("At most {MAX_CTA} characters")));
        }
        row.cta = (!c.is_empty()).then(|| c.to_string());
    }
    if let Some(tags) = &input.hashtags {
        let tags: Vec<String> = tags.iter().map(|t| t.trim().trim_start_matches('#').to_string()).filter(|t| !t.is_empty()).collect();
        if tags.len() > limits.max_hashtags.min(MAX_HASHTAGS) {
            return Err(ApiError::validation("hashtags", format!("{} takes at most {} hashtags", platform.label(), limits.max_hashtags)));
        }
        if let Some(bad) = tags.iter().find(|t| !t.chars().all(|c| c.is_alphanumeric() || c == '_')) {
            return Err(ApiError::validation("hashtags", format!("'#{bad}' is not a hashtag: letters, digits and _ only")));
        }
        row.hashtags = serde_json::to_string(&tags).map_err(|_| ApiError::internal())?;
    }
    if let Some(day) = &input.scheduled_for {
        row.scheduled_for = validate::optional_day("scheduled_for", day)?;
    }
    Ok(())
}

pub async fn get(core: &Core, actor: &Actor, id: &str) -> Result<ContentDetailResponse, ApiError> {
    let org = &actor.organization_id;
    let row = find(core, org, id).await?;
    let rules = guidelines(core, org).await?;
    detail(core, org, row, &rules).await
}

/// A piece with its score against the brand's rules, its history and what can happen next.
async fn detail(core: &Core, org: &str, row: ContentRow, rules: &BrandGuidelines) -> Result<ContentDetailResponse, ApiError> {
    let analysis = analyze(&row, rules);
    let versions = store::versions(&core.db.pool, org, &row.id)
        .await?
        .into_iter()
        .map(|v| ContentVersionDto {
            version: v.version,
            headline: v.headline,
            body: v.body,
            status: v.status,
            change: v.change,
            changed_by: v.changed_by,
            created_at: time::rfc3339(v.created_at),
        })
        .collect();
    let platform = ContentPlatform::parse(&row.platform).unwrap_or(ContentPlatform::Facebook);
    let publishing = PublishingDto {
        can_publish: platform.can_publish(),
        message: format!(
            "OmniFy cannot publish to {} itself. Copy the text or download it, publish it on {}, then mark it published here with its link.",
            platform.label(),
            platform.label()
        ),
        exports: vec![format!("/api/content/{}/export?format=txt", row.id), format!("/api/content/{}/export?format=json", row.id)],
    };
    let next_statuses = next_statuses(&row.status).iter().map(|s| s.to_string()).collect();
    let campaign_name = match &row.campaign_id {
        Some(c) => campaign_store::find(&core.db.pool, org, c).await?.map(|c| c.name),
        None => None,
    };
    Ok(ContentDetailResponse { content: dto(row, campaign_name), analysis, versions, publishing, next_statuses })
}

pub async fn list(core: &Core, actor: &Actor, filter: ContentFilter) -> Result<ContentListResponse, ApiError> {
    let filter = ContentFilter {
        from: match &filter.from {
            Some(d) => validate::optional_day("from", d)?,
            None => None,
        },
        to: match &filter.to {
            Some(d) => validate::optional_day("to", d)?,
            None => None,
        },
        status: match filter.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) if CONTENT_STATUSES.contains(&s) => Some(s.to_string()),
            Some(_) => return Err(ApiError::validation("status", format!("Choose one of: {}", CONTENT_STATUSES.join(", ")))),
            None => None,
        },
        campaign_id: filter.campaign_id.filter(|c| !c.trim().is_empty()),
    };
    let rows = store::list(&core.db.pool, &actor.organization_id, &filter).await?;
    let campaigns = campaign_store::list(&core.db.pool, &actor.organization_id).await?;
    let name_of = |id: &Option<String>| id.as_ref().and_then(|id| campaigns.iter().find(|c| &c.id == id)).map(|c| c.name.clone());
    Ok(ContentListResponse {
        content: rows
            .into_iter()
            .map(|r| {
                let name = name_of(&r.campaign_id);
                dto(r, name)
            })
            .collect(),
        today: time::today(),
        pending_jobs: jobs::pending_of_kind(core, &actor.organization_id, GENERATE_JOB).await?,
        last_error: jobs::latest_of_kind(core, &actor.organization_id, GENERATE_JOB).await?.filter(|j| j.status == "failed").and_then(|j| j.error),
    })
}

/// One campaign's pieces (404 for a campaign that is not the caller's).
pub async fn for_campaign(core: &Core, actor: &Actor, campaign_id: &str) -> Result<ContentListResponse, ApiError> {
    let c = campaign(core, &actor.organization_id, campaign_id).await?;
    list(core, actor, ContentFilter { campaign_id: Some(c.id), ..Default::default() }).await
}

/// Saves an edit as a new version. Editing a piece that was in review, approved or scheduled
/// sends it back to draft: what was approved is no longer what would go out.
pub async fn update(core: &Core, actor: &Actor, id: &str, input: ContentInput) -> Result<ContentDetailResponse, ApiError> {
    actor.require_editor("change campaigns or content")?;
    let org = &actor.organization_id;
    let mut row = find(core, org, id).await?;
    if row.status == "published" {
        return Err(ApiError::conflict("This piece is published; create a new piece instead of changing what went out"));
    }
    if let Some(c) = input.campaign_id.as_deref() {
        row.campaign_id = if c.trim().is_empty() { None } else { Some(campaign(core, org, c).await?.id) };
    }
    let before = (row.headline.clone(), row.body.clone(), row.cta.clone(), row.hashtags.clone());
    apply_edit(&mut row, &input)?;
    let copy_changed = before != (row.headline.clone(), row.body.clone(), row.cta.clone(), row.hashtags.clone());
    let mut change = if copy_changed { "edited".to_string() } else { "details changed".to_string() };
    if copy_changed && matches!(row.status.as_str(), "in_review" | "approved" | "scheduled") {
        change = format!("edited; status: {} → draft (needs review again)", row.status);
        row.status = "draft".into();
    }
    let (row, rules) = save(core, actor, row, &change).await?;
    detail(core, org, row, &rules).await
}

/// Moves a piece along its workflow.
pub async fn set_status(core: &Core, actor: &Actor, id: &str, req: ContentStatusRequest) -> Result<ContentDetailResponse, ApiError> {
    actor.require_editor("change campaigns or content")?;
    let mut row = find(core, &actor.organization_id, id).await?;
    let to = req.status.trim().to_lowercase();
    if !CONTENT_STATUSES.contains(&to.as_str()) {
        return Err(ApiError::validation("status", format!("Choose one of: {}", CONTENT_STATUSES.join(", "))));
    }
    if !next_statuses(&row.status).contains(&to.as_str()) {
        return Err(ApiError::conflict(format!("A piece that is {} cannot become {}", label(&row.status), label(&to))).with_field("status"));
    }
    if to == "scheduled" && row.scheduled_for.is_none() {
        return Err(ApiError::validation("scheduled_for", "Pick a date in the calendar before scheduling"));
    }
    let mut change = format!("status: {} → {to}", row.status);
    if to == "published" {
        let url = req.published_url.as_deref().map(str::trim).unwrap_or_default();
        if !url.is_empty() {
            if url.len() > MAX_URL || !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(ApiError::validation("published_url", "Give the full address of the published post, e.g. https://…"));
            }
            row.published_url = Some(url.to_string());
        }
        change.push_str(" (published outside OmniFy by the team)");
    }
    row.status = to;
    let (row, rules) = save(core, actor, row, &change).await?;
    detail(core, &actor.organization_id, row, &rules).await
}

pub async fn delete(core: &Core, actor: &Actor, id: &str) -> Result<(), ApiError> {
    actor.require_editor("change campaigns or content")?;
    if !store::delete(&core.db.pool, &actor.organization_id, id.trim()).await? {
        return Err(ApiError::not_found("Content"));
    }
    Ok(())
}

/// The piece as a file the team can paste or hand on: (file name, content type, body).
pub async fn export(core: &Core, actor: &Actor, id: &str, format: &str) -> Result<(String, &'static str, String), ApiError> {
    let row = find(core, &actor.organization_id, id).await?;
    let tags: Vec<String> = serde_json::from_str(&row.hashtags).unwrap_or_default();
    let base = format!("omnify-{}-{}", row.platform, &row.id[row.id.len().saturating_sub(8)..]);
    match format {
        "json" => {
            let body = json!({
                "platform": row.platform, "format": row.format, "headline": row.headline, "body": row.body,
                "cta": row.cta, "hashtags": tags, "scheduled_for": row.scheduled_for, "status": row.status, "version": row.version,
            });
            Ok((format!("{base}.json"), "application/json", serde_json::to_string_pretty(&body).unwrap_or_default()))
        }
        "txt" | "" => {
            let mut text = String::new();
            if let Some(h) = &row.headline {
                text.push_str(h);
                text.push_str("\n\n");
            }
            text.push_str(&row.body);
            if !tags.is_empty() {
                text.push_str("\n\n");
                text.push_str(&tags.iter().map(|t| format!("#{t}")).collect::<Vec<_>>().join(" "));
            }
            text.push('\n');
            Ok((format!("{base}.txt"), "text/plain; charset=utf-8", text))
        }
        _ => Err(ApiError::validation("format", "Choose txt or json")),
    }
}

async fn find(core: &Core, org: &str, id: &str) -> Result<ContentRow, ApiError> {
    store::find(&core.db.pool, org, id.trim()).await?.ok_or_else(|| ApiError::not_found("Content"))
}

/// Saves `row` as the next version, with its history entry, in one transaction; a concurrent
/// save of the same piece makes this one fail with a conflict instead of overwriting it.
/// Returns the saved row and the brand rules it was scored against.
async fn save(core: &Core, actor: &Actor, mut row: ContentRow, change: &str) -> Result<(ContentRow, BrandGuidelines), ApiError> {
    let expected = row.version;
    row.version += 1;
    row.updated_at = time::now();
    let rules = guidelines(core, &actor.organization_id).await?;
    row.aida_overall = analyze(&row, &rules).scores.overall as i64;
    let mut tx = core.db.pool.begin().await?;
    if !store::update(&mut *tx, &row, expected).await? {
        return Err(ApiError::conflict("Someone else saved this piece meanwhile; reload to see their version"));
    }
    store::insert_version(&mut *tx, &version_of(&row, change, Some(actor.user_id.clone()))).await?;
    tx.commit().await?;
    Ok((row, rules))
}

/// The workflow: forward one step, or back for changes.
pub fn next_statuses(status: &str) -> &'static [&'static str] {
    match status {
        "draft" => &["in_review"],
        "in_review" => &["approved", "draft"],
        "approved" => &["scheduled", "draft"],
        "scheduled" => &["published", "approved"],
        _ => &[],
    }
}

fn label(status: &str) -> String {
    status.replace('_', " ")
}

fn dto(r: ContentRow, campaign_name: Option<String>) -> ContentDto {
    ContentDto {
        platform: ContentPlatform::parse(&r.platform).unwrap_or(ContentPlatform::Facebook),
        hashtags: serde_json::from_str(&r.hashtags).unwrap_or_default(),
        content_id: r.id,
        campaign_id: r.campaign_id,
        campaign_name,
        format: r.format,
        headline: r.headline,
        body: r.body,
        cta: r.cta,
        status: r.status,
        scheduled_for: r.scheduled_for,
        published_url: r.published_url,
        aida_overall: r.aida_overall,
        engine: r.engine,
        version: r.version,
        created_at: time::rfc3339(r.created_at),
        updated_at: time::rfc3339(r.updated_at),
    }
}
