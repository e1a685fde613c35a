//! Campaigns and their AI strategies.

use serde::{Deserialize, Serialize};

use crate::brain::channels::ContentPlatform;

pub const OBJECTIVES: [&str; 6] = ["awareness", "traffic", "engagement", "leads", "sales", "conversions"];
pub const CAMPAIGN_STATUSES: [&str; 4] = ["draft", "active", "paused", "completed"];

/// Create or replace a campaign's plan. On update, absent fields keep their value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CampaignInput {
    pub name: Option<String>,
    pub objective: Option<String>,
    pub description: Option<String>,
    /// In the organization's currency units (e.g. 2500.00).
    pub budget: Option<f64>,
    /// YYYY-MM-DD
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub platforms: Option<Vec<String>>,
    /// An EYES segment id ("{run_id}:{n}"); an empty string clears it.
    pub target_segment_id: Option<String>,
    pub status: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetSegmentDto {
    pub segment_id: String,
    pub name: String,
    pub size: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignDto {
    pub campaign_id: String,
    pub name: String,
    pub objective: String,
    pub status: String,
    pub description: Option<String>,
    pub budget: f64,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub platforms: Vec<String>,
    pub channel: Option<String>,
    pub target_segment: Option<TargetSegmentDto>,
    pub has_strategy: bool,
    pub content_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignListResponse {
    pub campaigns: Vec<CampaignDto>,
}

/// One channel of a strategy: the AI's role for it and CURIOSITY's budget line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategyChannelDto {
    pub platform: ContentPlatform,
    pub role: String,
    pub budget: f64,
    pub share: f64,
    /// Expected outcome (revenue) of this line over the campaign, with its 80% interval, when
    /// there is performance history to fit a response curve to.
    pub expected: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub low_confidence: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PillarDto {
    pub title: String,
    pub message: String,
    pub proof_point: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarSlotDto {
    pub date: String,
    pub platform: ContentPlatform,
    pub format: String,
    pub topic: String,
    pub pillar: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiDto {
    pub name: String,
    pub target: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategyDto {
    pub summary: String,
    pub channels: Vec<StrategyChannelDto>,
    pub pillars: Vec<PillarDto>,
    pub calendar: Vec<CalendarSlotDto>,
    pub kpis: Vec<KpiDto>,
    pub risks: Vec<String>,
    /// How the budget split was decided, in plain words.
    pub budget_basis: String,
    pub budget_notes: Vec<String>,
    /// "builtin" or the model that wrote it, and a label for the UI.
    pub engine: String,
    pub engine_label: String,
    pub generated_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignDetailResponse {
    pub campaign: CampaignDto,
    pub strategy: Option<StrategyDto>,
    /// The newest strategy generation still queued or running (the page polls it).
    pub strategy_job: Option<crate::model::JobDto>,
    /// Content generations for this campaign still queued or running.
    pub pending_content_jobs: Vec<crate::model::JobDto>,
    /// Why the newest strategy or content generation failed, when it did.
    pub strategy_error: Option<String>,
    pub content_error: Option<String>,
}
