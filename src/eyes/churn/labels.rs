//! Churn labels from what customers really did next: features are taken as of a cutoff T, and a
//! customer counts as churned when they neither ordered nor did anything at all in
//! (T, T + horizon]. Only customers who already existed at T are labelled.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::eyes::history::{is_active_in, CustomerHistory, Time, DAY};

/// Whether the customer existed at `t`: created, or seen ordering or doing anything, by then.
pub fn existed_at(h: &CustomerHistory, t: Time) -> bool {
    h.created_at <= t || h.orders.first().is_some_and(|o| o.at <= t) || h.events.first().is_some_and(|e| e.at <= t)
}

/// Churned over `horizon_days` after `t`: no order and no event in (t, t + horizon].
pub fn churned_after(h: &CustomerHistory, t: Time, horizon_days: u32) -> bool {
    !is_active_in(h, t, t + horizon_days as Time * DAY)
}

/// The customers who existed at `features_at`, and whether each churned by `labels_until`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelledWindow {
    pub features_at: Time,
    pub labels_until: Time,
    /// Indices into the histories, ascending.
    pub rows: Vec<u32>,
    /// `churned[k]` belongs to `rows[k]`.
    pub churned: Vec<bool>,
}

impl LabelledWindow {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn churned_count(&self) -> usize {
        self.churned.iter().filter(|&&c| c).count()
    }
}

/// Labels every customer who existed at `features_at` by their activity in the following
/// `horizon_days`.
pub fn label_window(histories: &[CustomerHistory], features_at: Time, horizon_days: u32) -> LabelledWindow {
    let labelled: Vec<(u32, bool)> = histories
        .par_iter()
        .enumerate()
        .filter(|(_, h)| existed_at(h, features_at))
        .map(|(i, h)| (i as u32, churned_after(h, features_at, horizon_days)))
        .collect();
    let (rows, churned) = labelled.into_iter().unzip();
    LabelledWindow { features_at, labels_until: features_at + horizon_days as Time * DAY, rows, churned }
}

/// Indices of the customers who existed at `t`, ascending.
pub fn existing_customers(histories: &[CustomerHistory], t: Time) -> Vec<u32> {
    histories.par_iter().enumerate().filter(|(_, h)| existed_at(h, t)).map(|(i, _)| i as u32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eyes::history::{Event, Order};

    fn event(at: Time) -> Event {
        Event { at, event_type: 0, channel: None, spend_cents: None, content: None, campaign: None }
    }

    const T: Time = 100 * DAY;

    #[test]
    fn active_inside_the_window_is_not_churned_and_active_only_after_it_is() {
        let ordered_inside =
            CustomerHistory { orders: vec![Order { at: T + 10 * DAY, amount_cents: 100 }], ..Default::default() };
        let browsed_inside = CustomerHistory { events: vec![event(T + 30 * DAY)], ..Default::default() };
        let only_after = CustomerHistory {
            orders: vec![Order { at: T + 31 * DAY, amount_cents: 100 }],
            events: vec![event(T + 45 * DAY)],
            ..Default::default()
        };
        let only_at_cutoff = CustomerHistory { events: vec![event(T)], ..Default::default() };
        assert!(!churned_after(&ordered_inside, T, 30));
        assert!(!churned_after(&browsed_inside, T, 30));
        assert!(churned_after(&only_after, T, 30));
        // Activity exactly at T belongs to the features, not the label window.
        assert!(churned_after(&only_at_cutoff, T, 30));
    }

    #[test]
    fn only_customers_existing_at_the_cutoff_are_labelled() {
        let histories = vec![
            CustomerHistory { customer_id: "old".into(), created_at: T - DAY, ..Default::default() },
            CustomerHistory { customer_id: "new".into(), created_at: T + DAY, ..Default::default() },
            // Created later in the system, but already ordering before T (imported history).
            CustomerHistory {
                customer_id: "imported".into(),
                created_at: T + 5 * DAY,
                orders: vec![Order { at: T - 3 * DAY, amount_cents: 1 }],
                ..Default::default()
            },
            CustomerHistory {
                customer_id: "at".into(),
                created_at: T,
                events: vec![event(T + DAY)],
                ..Default::default()
            },
        ];
        let w = label_window(&histories, T, 30);
        assert_eq!(w.rows, vec![0, 2, 3]);
        assert_eq!(w.churned, vec![true, true, false]);
        assert_eq!(w.labels_until, T + 30 * DAY);
        assert_eq!(existing_customers(&histories, T), vec![0, 2, 3]);
    }
}
