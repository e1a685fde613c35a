//! The AI layer as the organization sees it: which engine answers, today's spend against the
//! budget, daily totals and every call.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AiEngineDto {
    /// builtin | openai
    pub provider: String,
    pub model: String,
    pub label: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AiDayUsage {
    /// YYYY-MM-DD (UTC).
    pub day: String,
    pub calls: i64,
    pub failed: i64,
    pub tokens_in: i64,
    pub tokens_out: i64,
    pub cost_usd: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AiUsageResponse {
    pub engine: AiEngineDto,
    pub daily_budget_usd: f64,
    /// True when the organization uses the server's default budget.
    pub budget_is_default: bool,
    pub today: AiDayUsage,
    /// Cost of calls still in flight (reserved against today's budget).
    pub reserved_usd: f64,
    pub remaining_usd: f64,
    /// The last 14 days, oldest first, days without calls included.
    pub days: Vec<AiDayUsage>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AiCallDto {
    pub call_id: String,
    pub feature: String,
    pub provider: String,
    pub model: String,
    pub tokens_in: i64,
    pub tokens_out: i64,
    pub cost_usd: f64,
    pub latency_ms: i64,
    pub attempts: i64,
    /// ok | repaired | invalid_output | error | budget_exceeded
    pub outcome: String,
    pub error: Option<String>,
    pub user_id: Option<String>,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AiLogsResponse {
    pub calls: Vec<AiCallDto>,
    pub total: i64,
}

/// `PUT /api/ai/budget`: null returns to the server's default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AiBudgetRequest {
    pub daily_budget_usd: Option<f64>,
}
