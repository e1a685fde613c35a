//! The one trait every answer comes through. The gateway treats providers alike: it reserves
//! budget, calls `complete`, then repairs, validates, prices and logs whatever comes back.

use futures_util::future::BoxFuture;

use super::builtin;
use super::openai::{ChatRequest, Completion, OpenAiClient, ProviderError};
use super::tasks::AiTask;

pub trait Provider: Send + Sync {
    /// "builtin" or "openai", for the call log.
    fn kind(&self) -> &'static str;
    /// How output of `model` is labelled wherever it appears.
    fn label(&self, model: &str) -> String;
    /// Answers `task`; `request` is its prompt for providers that read prompts.
    fn complete<'a>(&'a self, task: &'a AiTask, request: &'a ChatRequest) -> BoxFuture<'a, Result<Completion, ProviderError>>;
}

/// The built-in engine: answers from the task's facts, ignores the prompt, costs nothing.
pub struct BuiltinProvider;

impl Provider for BuiltinProvider {
    fn kind(&self) -> &'static str {
        "builtin"
    }

    fn label(&self, _model: &str) -> String {
        builtin::LABEL.into()
    }

    fn complete<'a>(&'a self, task: &'a AiTask, _request: &'a ChatRequest) -> BoxFuture<'a, Result<Completion, ProviderError>> {
        let text = builtin::answer(task).to_string();
        Box::pin(async move { Ok(Completion { text, model: builtin::ENGINE.into(), tokens_in: 0, tokens_out: 0, finish_reason: Some("stop".into()) }) })
    }
}

impl Provider for OpenAiClient {
    fn kind(&self) -> &'static str {
        "openai"
    }

    fn label(&self, model: &str) -> String {
        format!("{model} via an OpenAI-compatible provider")
    }

    fn complete<'a>(&'a self, _task: &'a AiTask, request: &'a ChatRequest) -> BoxFuture<'a, Result<Completion, ProviderError>> {
        Box::pin(self.chat(request))
    }
}
