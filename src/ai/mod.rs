//! The AI layer: the only code that talks to a language model.
//!
//! A request names a task (`tasks`), whose facts the prompt builder (`prompt`) turns into
//! delimited, length-capped messages with the JSON schema the answer must follow. A provider
//! (`provider`, one trait) answers — the built-in engine (`builtin`, deterministic and offline)
//! or an OpenAI-compatible server (`openai`). The answer is repaired where that is safe (`repair`) and validated against
//! its schema (`schema`). `gateway` runs the whole call: budget reservation, retries with
//! backoff, the 30-second guard, cost (`pricing`) and the per-call log.

pub mod builtin;
pub mod gateway;
pub mod openai;
pub mod pricing;
pub mod prompt;
pub mod provider;
pub mod repair;
pub mod schema;
pub mod tasks;
