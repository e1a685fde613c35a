//! Brain requests and responses. The engines' own result types (in `crate::brain`) are
//! wasm-safe and travel as they are.

use serde::{Deserialize, Serialize};

use crate::brain::budget::BudgetPlan;
use crate::brain::creative::{BrandGuidelines, CreativeAnalysis};
use crate::brain::fatigue::FatigueAssessment;
use crate::brain::market::MarketBenchmarks;
use crate::brain::performance::PerformanceSummary;
use crate::brain::repurpose::Variant;
use crate::model::{CustomerRiskResponse, ReasonDto};

/// `POST /api/brain/creative/analyze`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreativeAnalyzeRequest {
    pub headline: Option<String>,
    pub body: String,
    pub cta: Option<String>,
    pub platform: String,
    /// Overrides the brand guidelines from the guided setup.
    pub guidelines: Option<BrandGuidelines>,
    /// Also ask the AI layer for recommendations and a rewrite (costs an AI call).
    #[serde(default)]
    pub enrich: bool,
}

/// The AI's review of the copy, and how its rewrite scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreativeEnrichment {
    pub recommendations: Vec<String>,
    pub rewrite_headline: Option<String>,
    pub rewrite_body: String,
    pub rewrite_analysis: CreativeAnalysis,
    /// "builtin" or the model that wrote it, and a label for the UI.
    pub engine: String,
    pub engine_label: String,
    pub cost_usd: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreativeAnalyzeResponse {
    pub analysis: CreativeAnalysis,
    pub guidelines: BrandGuidelines,
    pub enrichment: Option<CreativeEnrichment>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FatigueResponse {
    pub creatives: Vec<FatigueAssessment>,
    pub history_days: i64,
}

/// `POST /api/brain/repurpose`
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepurposeRequest {
    pub content: String,
    pub title: Option<String>,
    pub platforms: Vec<String>,
    #[serde(default)]
    pub hashtags: Vec<String>,
    pub link: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepurposeResponse {
    pub variants: Vec<Variant>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelLimitInput {
    pub name: String,
    /// Daily minimum / maximum in currency units.
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// `POST /api/brain/budget`: split a daily budget across platforms or campaigns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetOptimizeRequest {
    /// Daily budget in currency units.
    pub daily_budget: f64,
    /// platform (default) | campaign
    pub group_by: Option<String>,
    /// revenue (default) | conversions
    pub objective: Option<String>,
    #[serde(default)]
    pub limits: Vec<ChannelLimitInput>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetOptimizeResponse {
    pub plan: BudgetPlan,
    pub history_days: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PerformanceResponse {
    pub summary: PerformanceSummary,
    pub history_days: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarketResponse {
    pub industry: Option<String>,
    pub benchmarks: MarketBenchmarks,
    pub history_days: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelEngagement {
    pub channel: String,
    pub events: i64,
}

/// One customer's engagement and, when EYES has scored them, their churn explanation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientIntelligenceResponse {
    pub customer_id: String,
    pub name: Option<String>,
    pub orders: i64,
    pub revenue_cents: i64,
    pub events: i64,
    pub last_order_at: Option<String>,
    pub last_activity_at: Option<String>,
    pub channels: Vec<ChannelEngagement>,
    /// EYES' scores for this customer; None before the first analysis.
    pub eyes: Option<CustomerRiskResponse>,
    pub top_reasons: Vec<ReasonDto>,
    /// Plain-English reading of the above.
    pub summary: Vec<String>,
}
