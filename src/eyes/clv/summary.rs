//! Per-customer RFM summaries in the "buy till you die" (BTYD) convention that BG/NBD and
//! Gamma-Gamma are fitted on.
//!
//! Time is counted in whole UTC days: all orders on the same UTC calendar day are merged into one
//! purchase (their amounts summed), as in the BTYD literature and the `lifetimes` package, because
//! the models describe purchase occasions, not basket lines.

use serde::{Deserialize, Serialize};

use crate::eyes::history::{CustomerHistory, Time, DAY};

/// One customer's purchase summary as of a cutoff.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rfm {
    /// x: repeat purchases, i.e. purchase days after the first one.
    pub frequency: u32,
    /// t_x: days from the first purchase to the last one (0 when `frequency` is 0).
    pub recency: f64,
    /// T: days from the first purchase to the cutoff.
    pub age: f64,
    /// Mean value, in cents, of the repeat purchase days (the first purchase is left out, as
    /// Gamma-Gamma requires); 0 when `frequency` is 0.
    pub monetary: f64,
}

impl Rfm {
    pub fn new(frequency: u32, recency: f64, age: f64, monetary: f64) -> Self {
        Rfm { frequency, recency, age, monetary }
    }
}

fn day_of(t: Time) -> i64 {
    t.div_euclid(DAY)
}

/// The summary of `h`'s orders at or before `cutoff`, or `None` if it had ordered nothing yet.
pub fn rfm_summary(h: &CustomerHistory, cutoff: Time) -> Option<Rfm> {
    // Orders are sorted, so the ones up to the cutoff are a prefix.
    let known = &h.orders[..h.orders.partition_point(|o| o.at <= cutoff)];
    let first = known.first()?;
    let first_day = day_of(first.at);
    let mut last_day = first_day;
    let mut repeat_days = 0u32;
    let mut repeat_total = 0i64;
    for o in &known[1..] {
        let d = day_of(o.at);
        if d != last_day {
            repeat_days += 1;
            last_day = d;
        }
        if d != first_day {
            repeat_total += o.amount_cents;
        }
    }
    let monetary = if repeat_days == 0 { 0.0 } else { repeat_total as f64 / repeat_days as f64 };
    Some(Rfm {
        frequency: repeat_days,
        recency: (last_day - first_day) as f64,
        age: (day_of(cutoff) - first_day) as f64,
        monetary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eyes::history::Order;

    fn history(orders: &[(i64, i64)]) -> CustomerHistory {
        CustomerHistory {
            customer_id: "c".into(),
            orders: orders.iter().map(|&(at, amount_cents)| Order { at, amount_cents }).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn no_orders_before_the_cutoff_means_no_summary() {
        assert_eq!(rfm_summary(&history(&[]), 10 * DAY), None);
        assert_eq!(rfm_summary(&history(&[(11 * DAY, 500)]), 10 * DAY), None);
    }

    #[test]
    fn a_single_purchase_has_no_repeats() {
        let s = rfm_summary(&history(&[(2 * DAY + 5, 700)]), 10 * DAY + 3).unwrap();
        assert_eq!(s, Rfm::new(0, 0.0, 8.0, 0.0));
    }

    #[test]
    fn same_day_orders_merge_and_the_first_day_is_left_out_of_monetary() {
        // Day 1: 1000 + 200 (first purchase), day 4: 300 + 100, day 9: 600, day 20: after cutoff.
        let h = history(&[
            (DAY + 10, 1000),
            (DAY + 500, 200),
            (4 * DAY, 300),
            (4 * DAY + 3600, 100),
            (9 * DAY + 1, 600),
            (20 * DAY, 9999),
        ]);
        let s = rfm_summary(&h, 15 * DAY).unwrap();
        assert_eq!(s.frequency, 2);
        assert_eq!(s.recency, 8.0);
        assert_eq!(s.age, 14.0);
        assert_eq!(s.monetary, (400.0 + 600.0) / 2.0);
    }
}
