//! One AI call, start to finish: pick the provider and model, reserve the worst-case cost
//! against the organization's daily budget, call with a 30-second guard, repair and validate the
//! answer, retry what is worth retrying with backoff and jitter, settle the real cost, and log
//! the call — whatever its outcome.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use super::openai::{ChatRequest, OpenAiClient, OpenAiConfig, ProviderError};
use super::provider::{BuiltinProvider, Provider};
use super::repair::{self, Repair};
use super::schema::Schema;
use super::tasks::AiTask;
use super::{builtin, pricing, prompt};
use crate::db::ai::{self as ledger, AiCallRow};
use crate::db::time;
use crate::integrations::retry::backoff;
use crate::{ApiError, Core};

/// Where answers come from.
#[derive(Clone, Debug, PartialEq)]
pub enum ProviderConfig {
    /// The built-in engine (the default: works offline, costs nothing).
    Builtin,
    /// An OpenAI-compatible chat-completions server.
    OpenAi {
        base_url: String,
        api_key: Option<String>,
        /// For content and everyday tasks.
        model: String,
        /// For strategy and analytics.
        strong_model: String,
    },
}

#[derive(Clone, Debug)]
pub struct AiConfig {
    pub provider: ProviderConfig,
    /// Attempts per call (1 = no retries).
    pub max_attempts: u32,
    /// The guard on each request to the provider.
    pub request_timeout: Duration,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Daily budget of organizations that did not set their own, in micro-dollars.
    pub default_daily_budget_micros: i64,
    /// The operator's price for every model (a local server's own models are not in the price
    /// table, whose fallback is the most expensive listed price).
    pub price_override: Option<pricing::Price>,
}

impl Default for AiConfig {
    fn default() -> Self {
        Self {
            provider: ProviderConfig::Builtin,
            max_attempts: 3,
            request_timeout: Duration::from_secs(30),
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(8),
            default_daily_budget_micros: 5_000_000,
            price_override: None,
        }
    }
}

/// The AI layer as `Core` holds it: the configuration and the provider (for OpenAI, one
/// pooled HTTP client).
#[derive(Clone)]
pub struct Gateway {
    pub config: Arc<AiConfig>,
    provider: Arc<dyn Provider>,
}

impl Gateway {
    pub fn new(config: AiConfig) -> Self {
        let provider: Arc<dyn Provider> = match &config.provider {
            ProviderConfig::Builtin => Arc::new(BuiltinProvider),
            ProviderConfig::OpenAi { base_url, api_key, .. } => Arc::new(OpenAiClient::new(OpenAiConfig {
                base_url: base_url.clone(),
                api_key: api_key.clone(),
                request_timeout: config.request_timeout,
            })),
        };
        Self { config: Arc::new(config), provider }
    }

    /// The engine's label for the UI and the stored output.
    pub fn describe(&self) -> EngineInfo {
        match &self.config.provider {
            ProviderConfig::Builtin => EngineInfo { provider: "builtin".into(), model: builtin::ENGINE.into(), label: builtin::LABEL.into() },
            ProviderConfig::OpenAi { model, strong_model, base_url, .. } => EngineInfo {
                provider: "openai".into(),
                model: format!("{model} / {strong_model}"),
                label: format!("OpenAI-compatible provider at {base_url}"),
            },
        }
    }

    fn model_for(&self, task: &AiTask) -> String {
        match &self.config.provider {
            ProviderConfig::Builtin => builtin::ENGINE.into(),
            ProviderConfig::OpenAi { model, strong_model, .. } => if task.needs_strong_model() { strong_model } else { model }.clone(),
        }
    }

    /// What one attempt of `task` can cost at most (prompt estimate + the answer's token cap).
    pub fn worst_case_micros(&self, task: &AiTask) -> i64 {
        // The built-in engine is free: skip building a prompt only to price it at 0.
        if self.config.provider == ProviderConfig::Builtin {
            return 0;
        }
        self.worst_case_for(task, &prompt::build(task))
    }

    /// The same for a prompt already built (so a call builds its prompt once).
    fn worst_case_for(&self, task: &AiTask, p: &prompt::Prompt) -> i64 {
        if self.config.provider == ProviderConfig::Builtin {
            return 0;
        }
        let tokens_in = pricing::estimate_tokens(&p.system) + pricing::estimate_tokens(&p.user);
        self.cost(&self.model_for(task), tokens_in, task.max_output_tokens() as u64)
    }

    /// What a call to `model` costs, in micro-dollars.
    fn cost(&self, model: &str, tokens_in: u64, tokens_out: u64) -> i64 {
        match self.config.price_override {
            Some(price) => pricing::cost_at(price, tokens_in, tokens_out),
            None => pricing::cost_micros(model, tokens_in, tokens_out).0,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct EngineInfo {
    pub provider: String,
    pub model: String,
    pub label: String,
}

/// A validated answer and what it took.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AiAnswer {
    pub value: Value,
    pub call_id: String,
    /// "builtin" or the model that answered.
    pub engine: String,
    pub engine_label: String,
    pub tokens_in: i64,
    pub tokens_out: i64,
    pub cost_micros: i64,
    pub latency_ms: i64,
    pub attempts: u32,
    pub repairs: Vec<Repair>,
}

/// Who asked, for the log.
pub struct Caller<'a> {
    pub organization_id: &'a str,
    pub user_id: Option<&'a str>,
}

/// The organization's daily budget in micro-dollars.
pub async fn daily_budget(core: &Core, organization_id: &str) -> Result<i64, ApiError> {
    Ok(ledger::budget_override(&core.db.pool, organization_id).await?.unwrap_or(core.ai.config.default_daily_budget_micros))
}

/// Refuses up front (402) when one attempt of `task` would not fit in what is left of today's
/// budget, so a generation is not even queued. The call itself reserves again when it runs.
pub async fn check_budget(core: &Core, organization_id: &str, task: &AiTask) -> Result<(), ApiError> {
    let need = core.ai.worst_case_micros(task);
    if need == 0 {
        return Ok(());
    }
    let budget = daily_budget(core, organization_id).await?;
    let (spent, reserved) = ledger::spend(&core.db.pool, organization_id, &time::today()).await?;
    if spent + reserved + need > budget {
        return Err(over_budget(budget, spent));
    }
    Ok(())
}

fn over_budget(budget: i64, spent: i64) -> ApiError {
    ApiError::ai_budget_exceeded(format!(
        "Today's AI budget of ${:.2} would be exceeded (${:.4} spent). An admin can raise it on the AI usage page, or try again tomorrow.",
        budget as f64 / 1e6,
        spent as f64 / 1e6
    ))
}

/// Runs `task` through the configured provider.
pub async fn run(core: &Core, caller: Caller<'_>, task: &AiTask) -> Result<AiAnswer, ApiError> {
    let started = Instant::now();
    let schema = Schema::new(&task.schema()).map_err(|e| {
        tracing::error!(error = %e, feature = task.feature(), "an AI task's schema does not compile");
        ApiError::internal()
    })?;
    let gateway = &core.ai;
    let provider = gateway.provider.as_ref();
    let model = gateway.model_for(task);
    let p = prompt::build(task);
    let estimate = gateway.worst_case_for(task, &p);
    let request = ChatRequest {
        model: model.clone(),
        system: p.system,
        user: p.user,
        max_tokens: task.max_output_tokens(),
        temperature: 0.4,
        json_output: true,
    };
    let budget = daily_budget(core, caller.organization_id).await?;
    let day = time::today();
    let mut log = CallLog::new(caller, task, provider.kind(), &model);
    let mut last_error = String::new();
    let mut outcome = "error";
    let config = &gateway.config;

    for attempt in 1..=config.max_attempts.max(1) {
        log.attempts = attempt;
        // Free calls (the built-in engine) need no reservation and are never refused.
        if estimate > 0 && !ledger::reserve(&core.db.pool, log.organization_id, &day, estimate, budget).await? {
            let (spent, _) = ledger::spend(&core.db.pool, log.organization_id, &day).await?;
            log.record(core, started, "budget_exceeded", Some("daily budget reached")).await?;
            return Err(over_budget(budget, spent));
        }
        let reservation = Reservation { core, organization_id: log.organization_id, day: &day, amount: estimate, settled: false };
        let reply = tokio::time::timeout(config.request_timeout, provider.complete(task, &request))
            .await
            .unwrap_or(Err(ProviderError::Timeout));
        let cost = match &reply {
            // Priced by the model that answered when the table knows it (a dated snapshot),
            // else by the one asked for.
            Ok(c) if gateway.config.price_override.is_none() && pricing::price(&c.model).is_some() => gateway.cost(&c.model, c.tokens_in, c.tokens_out),
            Ok(c) => gateway.cost(&model, c.tokens_in, c.tokens_out),
            Err(_) => 0,
        };
        reservation.settle(cost).await?;

        let retry_after = match reply {
            Ok(completion) => {
                log.tokens_in += completion.tokens_in as i64;
                log.tokens_out += completion.tokens_out as i64;
                log.cost_micros += cost;
                match repair::parse_json(&completion.text) {
                    Ok((value, repairs)) => match schema.validate(&value) {
                        Ok(()) => {
                            let outcome = if repairs.is_empty() { "ok" } else { "repaired" };
                            let call_id = log.record(core, started, outcome, None).await?;
                            return Ok(AiAnswer {
                                value,
                                call_id,
                                engine_label: provider.label(&completion.model),
                                engine: completion.model.clone(),
                                tokens_in: log.tokens_in,
                                tokens_out: log.tokens_out,
                                cost_micros: log.cost_micros,
                                latency_ms: started.elapsed().as_millis() as i64,
                                attempts: attempt,
                                repairs,
                            });
                        }
                        Err(errors) => {
                            outcome = "invalid_output";
                            last_error = format!("the answer did not follow the schema: {}", errors.join("; "));
                        }
                    },
                    Err(e) => {
                        outcome = "invalid_output";
                        last_error = format!("the answer was not usable JSON: {e}");
                    }
                }
                None
            }
            Err(e) if e.is_retryable() => {
                outcome = "error";
                last_error = e.to_string();
                e.retry_after()
            }
            Err(e) => {
                let message = e.to_string();
                log.record(core, started, "error", Some(&message)).await?;
                return Err(ApiError::unavailable(format!("The AI provider at {} refused the request for {model}: {message}", host(gateway))));
            }
        };
        if attempt < config.max_attempts {
            let wait = backoff(attempt, config.backoff_base, config.backoff_max).max(retry_after.unwrap_or_default().min(config.backoff_max));
            tokio::time::sleep(wait).await;
        }
    }
    log.record(core, started, outcome, Some(&last_error)).await?;
    Err(ApiError::unavailable(format!(
        "The AI provider at {} did not give a usable answer from {model} after {} attempts: {last_error}",
        host(gateway),
        config.max_attempts.max(1)
    )))
}

/// The provider's host for error messages (never the key, never a path with secrets).
fn host(gateway: &Gateway) -> String {
    match &gateway.config.provider {
        ProviderConfig::OpenAi { base_url, .. } => reqwest::Url::parse(base_url)
            .ok()
            .and_then(|u| u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            }))
            .unwrap_or_else(|| "the configured address".into()),
        ProviderConfig::Builtin => "the built-in engine".into(),
    }
}

/// Budget held for one attempt. Settled with the real cost; if the call is abandoned before
/// that (the job is cancelled, the server shuts down), dropping it gives the hold back.
struct Reservation<'a> {
    core: &'a Core,
    organization_id: &'a str,
    day: &'a str,
    amount: i64,
    settled: bool,
}

impl Reservation<'_> {
    async fn settle(mut self, cost: i64) -> Result<(), ApiError> {
        self.settled = true;
        if self.amount == 0 && cost == 0 {
            return Ok(());
        }
        Ok(ledger::settle(&self.core.db.pool, self.organization_id, self.day, self.amount, cost).await?)
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if self.settled || self.amount == 0 {
            return;
        }
        let (pool, org, day, amount) = (self.core.db.pool.clone(), self.organization_id.to_string(), self.day.to_string(), self.amount);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(e) = ledger::settle(&pool, &org, &day, amount, 0).await {
                    tracing::warn!(error = %e, "releasing an abandoned AI budget reservation failed");
                }
            });
        }
    }
}

/// The ledger row being built for one call.
struct CallLog<'a> {
    organization_id: &'a str,
    user_id: Option<&'a str>,
    feature: &'static str,
    provider: &'static str,
    model: String,
    tokens_in: i64,
    tokens_out: i64,
    cost_micros: i64,
    attempts: u32,
}

impl<'a> CallLog<'a> {
    fn new(caller: Caller<'a>, task: &AiTask, provider: &'static str, model: &str) -> Self {
        Self {
            organization_id: caller.organization_id,
            user_id: caller.user_id,
            feature: task.feature(),
            provider,
            model: model.to_string(),
            tokens_in: 0,
            tokens_out: 0,
            cost_micros: 0,
            attempts: 0,
        }
    }

    async fn record(&self, core: &Core, started: Instant, outcome: &str, error: Option<&str>) -> Result<String, ApiError> {
        let row = AiCallRow {
            id: crate::services::new_id(),
            organization_id: self.organization_id.into(),
            user_id: self.user_id.map(String::from),
            feature: self.feature.into(),
            provider: self.provider.into(),
            model: self.model.clone(),
            tokens_in: self.tokens_in,
            tokens_out: self.tokens_out,
            cost_micros: self.cost_micros,
            latency_ms: started.elapsed().as_millis() as i64,
            attempts: self.attempts as i64,
            outcome: outcome.into(),
            error: error.map(|e| e.chars().take(1000).collect()),
            day: time::today(),
            created_at: time::now(),
        };
        ledger::insert_call(&core.db.pool, &row).await?;
        Ok(row.id)
    }
}
