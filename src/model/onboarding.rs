//! The guided setup: eight steps, progress kept on the server.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// (key, title) of each step, in order.
pub const ONBOARDING_STEPS: [(&str, &str); 8] = [
    ("business", "Business profile"),
    ("brand_voice", "Brand voice and tone"),
    ("goals", "Goals and KPIs"),
    ("platforms", "Connect platforms"),
    ("customers", "Import customers"),
    ("consent", "Consent and data retention"),
    ("eyes", "Activate EYES"),
    ("first_campaign", "First campaign brief"),
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OnboardingStep {
    pub number: usize,
    pub key: String,
    pub title: String,
    /// todo, done or skipped.
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadinessCheck {
    pub label: String,
    pub passed: bool,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OnboardingState {
    /// 1-based.
    pub current_step: usize,
    pub steps: Vec<OnboardingStep>,
    /// Saved answers by step key, each a map of field → value.
    pub answers: BTreeMap<String, BTreeMap<String, String>>,
    pub completed: bool,
    /// Live facts the steps show: connected platforms, customers, EYES readiness.
    pub connected_platforms: i64,
    pub customers: i64,
    pub readiness: Vec<ReadinessCheck>,
}
