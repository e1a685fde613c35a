//! Human-readable reasons for a customer's churn risk, from per-feature contributions to the
//! model's log-odds (see `ChurnModel::contributions`), each compared with the typical (median)
//! value among the customers the model was trained on.

use std::borrow::Cow;
use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::eyes::features::FEATURE_NAMES;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// Borrowed for the featurizer's own names, owned for any other name: a run gives every
    /// customer up to three reasons per horizon, and a copy of the name for each added up.
    pub feature: Cow<'static, str>,
    /// The customer's value (`None` if missing).
    pub value: Option<f64>,
    /// Median among the training customers.
    pub typical: Option<f64>,
    /// Log-odds this feature adds to the churn risk; negative when it lowers the risk.
    pub contribution: f64,
}

impl Reason {
    /// The reason as a sentence, e.g. "No purchase for 84 days (typical: 21)". Written where a
    /// reason is shown or stored, not for every reason of a run: a run holds up to nine per
    /// customer (about 100 MB of text at 100k customers), and most are never read.
    pub fn text(&self) -> String {
        describe(&self.feature, self.value, self.typical)
    }
}

pub const REASONS_PER_CUSTOMER: usize = 3;

/// Picks the reasons for one model's customers.
pub struct Explainer<'a> {
    /// The model's feature names as reasons carry them.
    names: Vec<Cow<'static, str>>,
    typical: &'a [Option<f64>],
}

impl<'a> Explainer<'a> {
    pub fn new(names: &[String], typical: &'a [Option<f64>]) -> Self {
        let names = names
            .iter()
            .map(|name| match FEATURE_NAMES.iter().find(|known| **known == name.as_str()) {
                Some(known) => Cow::Borrowed(*known),
                None => Cow::Owned(name.clone()),
            })
            .collect();
        Explainer { names, typical }
    }

    /// Up to `k` features with the largest contributions in one direction: toward churn when
    /// `toward_churn` (what drives a high or medium risk), away from it otherwise (what keeps a
    /// low-risk customer safe). Features pushing the other way are never given as reasons.
    pub fn top_reasons(&self, contributions: &[f64], row: &[f64], toward_churn: bool, k: usize) -> Vec<Reason> {
        let sign = if toward_churn { 1.0 } else { -1.0 };
        let mut picked: Vec<usize> = Vec::with_capacity(k + 1);
        // Insertion into a short sorted list: strongest first, equal strengths in feature order.
        for j in (0..contributions.len()).filter(|&j| sign * contributions[j] > 0.0) {
            let strength = sign * contributions[j];
            let at = picked.iter().position(|&p| sign * contributions[p] < strength).unwrap_or(picked.len());
            if at < k {
                picked.insert(at, j);
                picked.truncate(k);
            }
        }
        picked
            .into_iter()
            .map(|j| Reason {
                feature: self.names[j].clone(),
                value: row[j].is_finite().then_some(row[j]),
                typical: self.typical[j],
                contribution: contributions[j],
            })
            .collect()
    }
}

/// A short sentence for a feature value. The featurizer's known names get natural wording; any
/// other name is shown as "Name in words: value (typical: median)".
pub fn describe(feature: &str, value: Option<f64>, typical: Option<f64>) -> String {
    let Some(v) = value else {
        return format!("{}: unknown", words(feature));
    };
    let sentence = phrase(feature, &format_value(feature, v));
    match typical {
        Some(t) => format!("{sentence} (typical: {})", format_value(feature, t)),
        None => sentence,
    }
}

/// The sentence for a feature with its value already formatted.
fn phrase(feature: &str, v: &str) -> String {
    match feature {
        "recency_days" => format!("No purchase for {v} days"),
        "frequency" => format!("{v} orders so far"),
        "monetary" => format!("Total spend {v}"),
        "tenure_days" => format!("Customer for {v} days"),
        "avg_order_value" => format!("Average order {v}"),
        "mean_interpurchase_days" => format!("{v} days between purchases"),
        "events_per_day" => format!("{v} events per day"),
        "channel_diversity" => format!("Active on {v} channels"),
        "engagement" => format!("{v} events in the last 30 days"),
        "spend_consistency" => format!("Spend consistency {v} of 1"),
        "content_diversity" => format!("Viewed {v} distinct content items"),
        other => format!("{}: {v}", words(other)),
    }
}

fn format_value(feature: &str, v: f64) -> String {
    let mut out = String::new();
    write_value(&mut out, feature, v);
    out
}

fn write_value(out: &mut String, feature: &str, v: f64) {
    match feature {
        "monetary" | "avg_order_value" => write_money(out, v),
        _ => write_number(out, v),
    }
}

/// "mean_interpurchase_days" -> "Mean interpurchase days".
fn words(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// Whole numbers as such (via integer formatting, much cheaper than float formatting for the
/// hundreds of thousands of reasons an analysis stores), others with precision that suits their
/// size.
fn write_number(out: &mut String, v: f64) {
    // Writing to a String cannot fail.
    let _ = if v.abs() < 1e15 && ((v - v.round()).abs() < 1e-9 || v.abs() >= 10.0) {
        write!(out, "{}", v.round() as i64)
    } else if v.abs() >= 1.0 {
        write!(out, "{:.1}", v)
    } else {
        write!(out, "{:.2}", v)
    };
}

fn write_money(out: &mut String, v: f64) {
    if v < 0.0 {
        out.push('-');
    }
    out.push('$');
    if v.abs() >= 100.0 {
        write_number(out, v.abs());
    } else {
        let _ = write!(out, "{:.2}", v.abs());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_features_read_naturally() {
        assert_eq!(describe("recency_days", Some(84.2), Some(21.0)), "No purchase for 84 days (typical: 21)");
        assert_eq!(describe("avg_order_value", Some(35.5), Some(120.0)), "Average order $35.50 (typical: $120)");
        assert_eq!(describe("some_new_metric", Some(0.25), None), "Some new metric: 0.25");
        assert_eq!(describe("frequency", None, Some(3.0)), "Frequency: unknown");
    }

    #[test]
    fn picks_the_strongest_contributions_in_the_asked_direction() {
        let names: Vec<String> = ["recency_days", "frequency", "engagement", "monetary"].map(String::from).to_vec();
        let row = [90.0, 1.0, 0.0, 20.0];
        let typical = [Some(20.0), Some(4.0), Some(5.0), Some(80.0)];
        let contributions = [1.2, 0.4, 0.9, -0.3];
        let explainer = Explainer::new(&names, &typical);
        let risk = explainer.top_reasons(&contributions, &row, true, 3);
        let features: Vec<&str> = risk.iter().map(|r| r.feature.as_ref()).collect();
        assert_eq!(features, vec!["recency_days", "engagement", "frequency"]);
        assert_eq!(risk[0].text(), "No purchase for 90 days (typical: 20)");
        let safe = explainer.top_reasons(&contributions, &row, false, 3);
        assert_eq!(safe.len(), 1);
        assert_eq!(safe[0].feature, "monetary");
        assert_eq!(safe[0].text(), "Total spend $20.00 (typical: $80.00)");
        assert_eq!(explainer.top_reasons(&contributions, &row, true, 1).len(), 1);
        // Ties keep feature order.
        let tied = explainer.top_reasons(&[0.5, 0.5, 0.5, 0.5], &row, true, 2);
        assert_eq!(tied.iter().map(|r| r.feature.as_ref()).collect::<Vec<&str>>(), vec!["recency_days", "frequency"]);
        assert!(matches!(risk[0].feature, Cow::Borrowed(_)), "known names are not copied");
        let other: Vec<String> = vec!["custom_score".into()];
        let custom = Explainer::new(&other, &[None]).top_reasons(&[1.0], &[2.0], true, 1);
        assert_eq!(custom[0].feature, "custom_score");
        assert_eq!(custom[0].text(), "Custom score: 2");
    }
}
