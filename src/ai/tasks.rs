//! What OmniFy asks a language model for: each task carries its facts (everything the answer may
//! use), names its feature for the cost log, and defines the JSON schema its answer must follow.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::brain::channels::ContentPlatform;

/// What the organization told the guided setup about itself (all optional: the setup can be
/// skipped, and every task still works).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BusinessContext {
    pub name: String,
    pub industry: Option<String>,
    pub website: Option<String>,
    /// Free-text description of the brand's voice.
    pub voice: Option<String>,
    /// One of the setup's tones: friendly, professional, playful, bold, luxury, caring.
    pub tone: Option<String>,
    /// Words and topics the brand avoids (comma separated in the setup).
    pub avoid: Vec<String>,
    pub goals: Vec<String>,
    pub kpi: Option<String>,
}

/// The audience a campaign is aimed at (an EYES segment, when one was chosen).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AudienceContext {
    pub name: String,
    pub size: Option<i64>,
    /// Plain-English traits, e.g. "orders every 3 weeks", "high churn risk".
    pub traits: Vec<String>,
}

/// A planned budget line (from CURIOSITY), given to the strategy so it writes around real figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetLine {
    pub platform: ContentPlatform,
    pub amount_cents: i64,
    pub share: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategyFacts {
    pub business: BusinessContext,
    pub campaign_name: String,
    pub objective: String,
    pub description: Option<String>,
    pub budget_cents: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub platforms: Vec<ContentPlatform>,
    pub audience: Option<AudienceContext>,
    pub budget_split: Vec<BudgetLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentFacts {
    pub business: BusinessContext,
    pub platform: ContentPlatform,
    pub format: String,
    /// The user's brief: untrusted text, delimited in prompts.
    pub brief: String,
    pub campaign_name: Option<String>,
    pub objective: Option<String>,
    pub audience: Option<AudienceContext>,
    /// Messaging pillars of the campaign's strategy, when it has one.
    pub pillars: Vec<String>,
    /// Distinguishes several drafts for the same brief (the built-in engine varies its angle).
    pub variant: u32,
}

/// Ad copy to review, with what the deterministic analysis found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewFacts {
    pub business: BusinessContext,
    pub platform: ContentPlatform,
    pub headline: Option<String>,
    /// The copy under review: untrusted text, delimited in prompts.
    pub body: String,
    pub cta: Option<String>,
    /// AIDA scores (attention, interest, desire, action) from the deterministic analysis.
    pub scores: [u8; 4],
    pub weaknesses: Vec<String>,
    pub recommendations: Vec<String>,
}

/// A request to the AI layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "snake_case")]
pub enum AiTask {
    CampaignStrategy(StrategyFacts),
    Content(ContentFacts),
    CreativeReview(ReviewFacts),
}

pub use crate::model::content::CONTENT_FORMATS;

impl AiTask {
    /// The feature name in the cost log.
    pub fn feature(&self) -> &'static str {
        match self {
            AiTask::CampaignStrategy(_) => "campaign_strategy",
            AiTask::Content(_) => "content",
            AiTask::CreativeReview(_) => "creative_review",
        }
    }

    /// Strategy is the "analytics and strategy" work that gets the stronger model.
    pub fn needs_strong_model(&self) -> bool {
        matches!(self, AiTask::CampaignStrategy(_))
    }

    /// Upper bound on the answer's length, in tokens.
    pub fn max_output_tokens(&self) -> u32 {
        match self {
            AiTask::CampaignStrategy(_) => 2_000,
            AiTask::Content(f) => ((f.platform.limits().max_chars.min(6_000) / 3) as u32 + 300).min(2_500),
            AiTask::CreativeReview(f) => ((f.platform.limits().max_chars.min(6_000) / 3) as u32 + 500).min(2_500),
        }
    }

    /// The JSON schema the answer must satisfy.
    pub fn schema(&self) -> Value {
        match self {
            AiTask::CampaignStrategy(f) => strategy_schema(&f.platforms),
            AiTask::Content(f) => content_schema(f.platform),
            AiTask::CreativeReview(f) => review_schema(f.platform),
        }
    }
}

fn platform_names(platforms: &[ContentPlatform]) -> Vec<&'static str> {
    platforms.iter().map(|p| p.as_str()).collect()
}

fn strategy_schema(platforms: &[ContentPlatform]) -> Value {
    let names = platform_names(platforms);
    json!({
        "type": "object",
        "required": ["summary", "channels", "pillars", "calendar", "kpis"],
        "additionalProperties": false,
        "properties": {
            "summary": {"type": "string", "minLength": 20, "maxLength": 1200},
            "channels": {
                "type": "array", "minItems": 1, "maxItems": 9,
                "items": {
                    "type": "object", "required": ["platform", "role"], "additionalProperties": false,
                    "properties": {
                        "platform": {"enum": names},
                        "role": {"type": "string", "minLength": 3, "maxLength": 300}
                    }
                }
            },
            "pillars": {
                "type": "array", "minItems": 2, "maxItems": 5,
                "items": {
                    "type": "object", "required": ["title", "message"], "additionalProperties": false,
                    "properties": {
                        "title": {"type": "string", "minLength": 2, "maxLength": 80},
                        "message": {"type": "string", "minLength": 10, "maxLength": 400},
                        "proof_point": {"type": "string", "maxLength": 300}
                    }
                }
            },
            "calendar": {
                "type": "array", "minItems": 1, "maxItems": 120,
                "items": {
                    "type": "object", "required": ["date", "platform", "format", "topic"], "additionalProperties": false,
                    "properties": {
                        "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                        "platform": {"enum": names},
                        "format": {"enum": CONTENT_FORMATS},
                        "topic": {"type": "string", "minLength": 3, "maxLength": 200},
                        "pillar": {"type": "string", "maxLength": 80}
                    }
                }
            },
            "kpis": {
                "type": "array", "minItems": 1, "maxItems": 6,
                "items": {
                    "type": "object", "required": ["name", "target"], "additionalProperties": false,
                    "properties": {
                        "name": {"type": "string", "minLength": 2, "maxLength": 80},
                        "target": {"type": "string", "minLength": 1, "maxLength": 120}
                    }
                }
            },
            "risks": {"type": "array", "maxItems": 6, "items": {"type": "string", "maxLength": 300}}
        }
    })
}

/// A headline where the platform has one (within its limit), else none at all.
fn headline_schema(platform: ContentPlatform) -> Value {
    match platform.limits().max_headline_chars {
        Some(max) => json!({"type": ["string", "null"], "maxLength": max}),
        None => json!({"type": "null"}),
    }
}

fn content_schema(platform: ContentPlatform) -> Value {
    let limits = platform.limits();
    let headline = headline_schema(platform);
    json!({
        "type": "object",
        "required": ["body", "cta", "hashtags"],
        "additionalProperties": false,
        "properties": {
            "headline": headline,
            "body": {"type": "string", "minLength": 1, "maxLength": limits.max_chars},
            "cta": {"type": "string", "maxLength": 60},
            "hashtags": {
                "type": "array", "maxItems": limits.max_hashtags,
                "items": {"type": "string", "pattern": "^[A-Za-z0-9_]{1,50}$"}
            },
            "rationale": {"type": "string", "maxLength": 600}
        }
    })
}

fn review_schema(platform: ContentPlatform) -> Value {
    let limits = platform.limits();
    let headline = headline_schema(platform);
    json!({
        "type": "object",
        "required": ["recommendations", "rewrite"],
        "additionalProperties": false,
        "properties": {
            "recommendations": {"type": "array", "minItems": 1, "maxItems": 5, "items": {"type": "string", "minLength": 5, "maxLength": 300}},
            "rewrite": {
                "type": "object", "required": ["body"], "additionalProperties": false,
                "properties": {
                    "headline": headline,
                    "body": {"type": "string", "minLength": 1, "maxLength": limits.max_chars}
                }
            }
        }
    })
}

/// A review of ad copy as the schema defines it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewAnswer {
    pub recommendations: Vec<String>,
    pub rewrite: Rewrite,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rewrite {
    #[serde(default)]
    pub headline: Option<String>,
    pub body: String,
}

/// A campaign strategy as the schema defines it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategyAnswer {
    pub summary: String,
    pub channels: Vec<ChannelRole>,
    pub pillars: Vec<Pillar>,
    pub calendar: Vec<CalendarSlot>,
    pub kpis: Vec<Kpi>,
    #[serde(default)]
    pub risks: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelRole {
    pub platform: ContentPlatform,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pillar {
    pub title: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof_point: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarSlot {
    pub date: String,
    pub platform: ContentPlatform,
    pub format: String,
    pub topic: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pillar: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kpi {
    pub name: String,
    pub target: String,
}

/// One piece of copy as the schema defines it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentAnswer {
    #[serde(default)]
    pub headline: Option<String>,
    pub body: String,
    pub cta: String,
    pub hashtags: Vec<String>,
    #[serde(default)]
    pub rationale: Option<String>,
}
