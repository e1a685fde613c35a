//! The EYES input: each customer's purchase and activity history, read from the customer data
//! model (or from files by the `server eyes` command). Names (event types, channels, content and
//! campaign ids) are interned to small integers so a million customers fit comfortably in memory.

use std::collections::HashMap;

/// Unix seconds.
pub type Time = i64;

pub const DAY: Time = 86_400;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Order {
    pub at: Time,
    pub amount_cents: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub at: Time,
    /// Index into `Vocabulary::event_types`.
    pub event_type: u32,
    /// Index into `Vocabulary::channels`.
    pub channel: Option<u32>,
    pub spend_cents: Option<i64>,
    /// Index into `Vocabulary::contents`.
    pub content: Option<u32>,
    /// Index into `Vocabulary::campaigns`.
    pub campaign: Option<u32>,
}

/// One customer; `orders` and `events` are sorted by time (oldest first).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerHistory {
    pub customer_id: String,
    pub created_at: Time,
    pub orders: Vec<Order>,
    pub events: Vec<Event>,
}

/// Interned names, shared by every history of one analysis.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    pub event_types: Interner,
    pub channels: Interner,
    pub contents: Interner,
    pub campaigns: Interner,
}

#[derive(Clone, Debug, Default)]
pub struct Interner {
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Interner {
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Whether the customer ordered or did anything at all in (from, to]: a churn label is "not
/// active in the horizon after the cutoff".
pub fn is_active_in(h: &CustomerHistory, from_exclusive: Time, to_inclusive: Time) -> bool {
    let within = |t: Time| t > from_exclusive && t <= to_inclusive;
    h.orders.iter().any(|o| within(o.at)) || h.events.iter().any(|e| within(e.at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_gives_stable_small_ids() {
        let mut i = Interner::default();
        assert_eq!(i.intern("email"), 0);
        assert_eq!(i.intern("web"), 1);
        assert_eq!(i.intern("email"), 0);
        assert_eq!(i.name(1), "web");
    }

    #[test]
    fn activity_window_excludes_its_start_and_includes_its_end() {
        let h = CustomerHistory { orders: vec![Order { at: 100, amount_cents: 5 }], ..Default::default() };
        assert!(!is_active_in(&h, 100, 200));
        assert!(is_active_in(&h, 99, 100));
    }
}
