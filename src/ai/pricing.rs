//! What a model call costs, for the budget reservation before a call and the cost logged after.
//!
//! Prices are published list prices in US dollars per million tokens (standard tier, no
//! cached-input or batch discounts). Money is kept in integer micro-dollars so that summing
//! thousands of calls never drifts the way floats do.

/// Price of one model, in micro-dollars per million tokens (so $2.50 / 1M is `2_500_000`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Price {
    pub input_micros_per_million: u64,
    pub output_micros_per_million: u64,
}

const fn usd(input_cents: u64, output_cents: u64) -> Price {
    Price {
        input_micros_per_million: input_cents * 10_000,
        output_micros_per_million: output_cents * 10_000,
    }
}

/// The built-in rule engine runs in-process and costs nothing.
pub const BUILTIN: &str = "builtin";

/// (model id, price in cents per 1M input tokens, per 1M output tokens). An exact entry wins
/// over a snapshot match, which is how the one differently priced snapshot (gpt-4o's first,
/// 2024-05-13) is told apart from its family.
const TABLE: &[(&str, Price)] = &[
    (BUILTIN, usd(0, 0)),
    ("gpt-5", usd(125, 1_000)),
    ("gpt-5-mini", usd(25, 200)),
    ("gpt-5-nano", usd(5, 40)),
    ("gpt-4.1", usd(200, 800)),
    ("gpt-4.1-mini", usd(40, 160)),
    ("gpt-4.1-nano", usd(10, 40)),
    ("gpt-4o", usd(250, 1_000)),
    ("gpt-4o-2024-05-13", usd(500, 1_500)),
    ("gpt-4o-mini", usd(15, 60)),
    ("o4-mini", usd(110, 440)),
    ("o3", usd(200, 800)),
    ("o3-mini", usd(110, 440)),
    ("o1", usd(1_500, 6_000)),
    ("o1-mini", usd(110, 440)),
    ("gpt-4-turbo", usd(1_000, 3_000)),
    ("gpt-4", usd(3_000, 6_000)),
    ("gpt-3.5-turbo", usd(50, 150)),
];

/// The price charged for a model not in the table (a local server's model, a new release):
/// the highest listed input and output prices (today gpt-4's $30 / $60 per 1M), so a budget
/// reservation never under-counts. The caller is told the model was unknown and can log it.
pub fn fallback_price() -> Price {
    TABLE.iter().fold(usd(0, 0), |max, (_, p)| Price {
        input_micros_per_million: max.input_micros_per_million.max(p.input_micros_per_million),
        output_micros_per_million: max
            .output_micros_per_million
            .max(p.output_micros_per_million),
    })
}

/// The listed price of `model`: by exact id (ASCII case ignored), else by a dated snapshot of a
/// listed id (`gpt-4o-mini-2024-07-18`, `gpt-3.5-turbo-0125`). Only a date may follow the id,
/// so `gpt-4o-mini` never matches `gpt-4o` and `gpt-4.1-nano` never matches `gpt-4.1`.
pub fn price(model: &str) -> Option<Price> {
    let model = model.trim().to_ascii_lowercase();
    if let Some((_, p)) = TABLE.iter().find(|(id, _)| *id == model) {
        return Some(*p);
    }
    TABLE
        .iter()
        .filter(|(id, _)| {
            model
                .strip_prefix(id)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(is_snapshot_date)
        })
        // Longest id first, should two ever both match.
        .max_by_key(|(id, _)| id.len())
        .map(|(_, p)| *p)
}

/// `2024-07-18` (current snapshots) or `0125` / `0613` (older ones, month and day). The
/// month and day must be plausible, so a bare year (`gpt-4o-2024`) is not a snapshot.
fn is_snapshot_date(s: &str) -> bool {
    fn number(part: &str, len: usize) -> Option<u32> {
        (part.len() == len && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    }
    fn month_day(m: Option<u32>, d: Option<u32>) -> bool {
        matches!((m, d), (Some(1..=12), Some(1..=31)))
    }
    match s.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] => number(y, 4).is_some() && month_day(number(m, 2), number(d, 2)),
        [mmdd] if number(mmdd, 4).is_some() => {
            month_day(number(&mmdd[..2], 2), number(&mmdd[2..], 2))
        }
        _ => false,
    }
}

/// Cost of a call in micro-dollars, and whether the model's price is known (`false`: the
/// conservative fallback price was used). Rounded up to the next micro-dollar so a non-empty
/// paid call is never free; saturates instead of overflowing.
pub fn cost_micros(model: &str, tokens_in: u64, tokens_out: u64) -> (i64, bool) {
    let (p, known) = match price(model) {
        Some(p) => (p, true),
        None => (fallback_price(), false),
    };
    (cost_at(p, tokens_in, tokens_out), known)
}

/// Cost of a call at a given price (e.g. one the operator configured for a local model).
pub fn cost_at(p: Price, tokens_in: u64, tokens_out: u64) -> i64 {
    let scaled = u128::from(tokens_in) * u128::from(p.input_micros_per_million)
        + u128::from(tokens_out) * u128::from(p.output_micros_per_million);
    let micros = scaled.div_ceil(1_000_000);
    i64::try_from(micros).unwrap_or(i64::MAX)
}

/// A rough token count for text no tokenizer has seen (budget reservations, servers that
/// report no usage): one token per four characters, rounded up. That is OpenAI's rule of
/// thumb for English; it over-counts compact code and under-counts some non-Latin scripts.
pub fn estimate_tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_models_use_their_published_prices() {
        // 1M tokens each way costs exactly the list price.
        assert_eq!(cost_micros("gpt-4o", 1_000_000, 0), (2_500_000, true));
        assert_eq!(cost_micros("gpt-4o", 0, 1_000_000), (10_000_000, true));
        assert_eq!(
            cost_micros("gpt-4o-mini", 1_000_000, 1_000_000),
            (750_000, true)
        );
        assert_eq!(
            cost_micros("gpt-4.1", 1_000_000, 1_000_000),
            (10_000_000, true)
        );
        assert_eq!(
            cost_micros("gpt-4.1-mini", 1_000_000, 1_000_000),
            (2_000_000, true)
        );
        assert_eq!(
            cost_micros("gpt-4.1-nano", 1_000_000, 1_000_000),
            (500_000, true)
        );
        assert_eq!(
            cost_micros("o4-mini", 1_000_000, 1_000_000),
            (5_500_000, true)
        );
        assert_eq!(
            cost_micros("gpt-3.5-turbo", 1_000_000, 1_000_000),
            (2_000_000, true)
        );
    }

    #[test]
    fn a_typical_call_costs_the_right_fraction() {
        // 1,200 prompt + 300 completion tokens on gpt-4o-mini:
        // 1200 × 0.15 + 300 × 0.60 = 180 + 180 = 360 micro-dollars.
        assert_eq!(cost_micros("gpt-4o-mini", 1_200, 300), (360, true));
        // gpt-4o: 1200 × 2.5 + 300 × 10 = 6,000.
        assert_eq!(cost_micros("gpt-4o", 1_200, 300), (6_000, true));
    }

    #[test]
    fn fractions_of_a_micro_dollar_round_up() {
        // One gpt-4.1-nano input token is 0.1 micro-dollars.
        assert_eq!(cost_micros("gpt-4.1-nano", 1, 0), (1, true));
        assert_eq!(cost_micros("gpt-4.1-nano", 10, 0), (1, true));
        assert_eq!(cost_micros("gpt-4.1-nano", 11, 0), (2, true));
        assert_eq!(cost_micros("gpt-4o", 0, 0), (0, true));
    }

    #[test]
    fn sums_of_many_calls_do_not_drift() {
        let one = cost_micros("gpt-4o-mini", 1_000, 1_000).0;
        let total: i64 = (0..10_000)
            .map(|_| cost_micros("gpt-4o-mini", 1_000, 1_000).0)
            .sum();
        assert_eq!(one, 750);
        assert_eq!(total, 7_500_000);
    }

    #[test]
    fn the_builtin_engine_is_free_and_known() {
        assert_eq!(cost_micros("builtin", 50_000, 50_000), (0, true));
    }

    #[test]
    fn dated_snapshots_match_their_family() {
        assert_eq!(price("gpt-4o-mini-2024-07-18"), price("gpt-4o-mini"));
        assert_eq!(price("gpt-4o-2024-08-06"), price("gpt-4o"));
        assert_eq!(price("gpt-4.1-2025-04-14"), price("gpt-4.1"));
        assert_eq!(price("gpt-4.1-mini-2025-04-14"), price("gpt-4.1-mini"));
        assert_eq!(price("o4-mini-2025-04-16"), price("o4-mini"));
        assert_eq!(price("gpt-3.5-turbo-0125"), price("gpt-3.5-turbo"));
        assert_eq!(price("gpt-4-0613"), price("gpt-4"));
        assert_eq!(price("gpt-4-turbo-2024-04-09"), price("gpt-4-turbo"));
        assert_eq!(
            cost_micros("gpt-4o-mini-2024-07-18", 1_200, 300),
            (360, true)
        );
    }

    #[test]
    fn a_family_prefix_is_not_a_snapshot() {
        // gpt-4o-mini must not fall back to gpt-4o's price, nor gpt-4.1-nano to gpt-4.1's.
        assert_ne!(price("gpt-4o-mini"), price("gpt-4o"));
        assert_eq!(price("gpt-4o-mini").unwrap(), usd(15, 60));
        assert_eq!(price("gpt-4.1-nano").unwrap(), usd(10, 40));
        // Not dates: an unknown variant stays unknown instead of borrowing a cheaper price.
        assert_eq!(price("gpt-4o-audio-preview"), None);
        assert_eq!(price("gpt-4o-2024"), None);
        assert_eq!(price("gpt-4o-"), None);
        assert_eq!(price("gpt-4ox"), None);
        assert_eq!(price("gpt-4o-2024-13-01"), None);
        assert_eq!(price("gpt-4-1301"), None);
        assert_eq!(price("gpt-4-1é1"), None);
    }

    #[test]
    fn an_exact_entry_beats_its_family() {
        assert_eq!(price("gpt-4o-2024-05-13").unwrap(), usd(500, 1_500));
        assert_eq!(price("gpt-4o-2024-11-20").unwrap(), usd(250, 1_000));
    }

    #[test]
    fn ids_are_matched_without_case_or_padding() {
        assert_eq!(price(" GPT-4o-Mini "), price("gpt-4o-mini"));
    }

    #[test]
    fn unknown_models_pay_the_highest_listed_price_and_are_flagged() {
        let max = fallback_price();
        for (_, p) in TABLE {
            assert!(p.input_micros_per_million <= max.input_micros_per_million);
            assert!(p.output_micros_per_million <= max.output_micros_per_million);
        }
        assert_eq!(max, usd(3_000, 6_000));
        assert_eq!(
            cost_micros("llama3.1:8b", 1_000_000, 1_000_000),
            (90_000_000, false)
        );
        assert_eq!(cost_micros("", 1_000, 0), (30_000, false));
        let (_, known) = cost_micros("gpt-4o-mini", 1, 1);
        assert!(known);
    }

    #[test]
    fn huge_counts_saturate() {
        assert_eq!(
            cost_micros("unknown", u64::MAX, u64::MAX),
            (i64::MAX, false)
        );
    }

    #[test]
    fn tokens_are_estimated_at_four_characters_each_rounded_up() {
        assert_eq!(estimate_tokens(""), 0);
        assert_eq!(estimate_tokens("a"), 1);
        assert_eq!(estimate_tokens("abcd"), 1);
        assert_eq!(estimate_tokens("abcde"), 2);
        assert_eq!(estimate_tokens(&"x".repeat(400)), 100);
        // Characters, not bytes: four two-byte letters are one token.
        assert_eq!(estimate_tokens("éééé"), 1);
    }
}
