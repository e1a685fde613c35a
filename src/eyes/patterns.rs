//! Cross-platform patterns: how customers move between channels. From each customer's events
//! (with a channel) up to the cutoff: the share who use more than one channel, the most common
//! switches from one channel to the next, and the most common journeys (the channel sequence,
//! consecutive repeats collapsed) with how many of them led to a purchase.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::eyes::history::{CustomerHistory, Time, Vocabulary};

/// Journeys keep at most this many steps (the first ones); longer ones end in "…".
const JOURNEY_STEPS: usize = 4;
const TOP: usize = 10;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CrossPlatformPatterns {
    /// Customers with at least one event that names a channel.
    pub customers_with_channels: u64,
    pub multi_channel_customers: u64,
    /// multi_channel_customers / customers_with_channels (0 when there are none).
    pub multi_channel_share: f64,
    /// Customers per channel.
    pub channel_reach: Vec<ChannelCount>,
    /// The most common switches between consecutive events' channels.
    pub switches: Vec<ChannelSwitch>,
    /// The most common channel journeys.
    pub journeys: Vec<Journey>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelCount {
    pub channel: String,
    pub customers: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelSwitch {
    pub from: String,
    pub to: String,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Journey {
    pub steps: Vec<String>,
    pub customers: u64,
    /// Of those customers, how many ordered after their first event.
    pub purchasers: u64,
}

/// Counts gathered over customers; counts of disjoint groups of customers add up.
#[derive(Default)]
struct Tally {
    reach: BTreeMap<u32, u64>,
    switches: BTreeMap<(u32, u32), u64>,
    journeys: BTreeMap<Vec<u32>, (u64, u64)>,
    with_channels: u64,
    multi: u64,
}

impl Tally {
    fn add(mut self, h: &CustomerHistory, cutoff: Time) -> Tally {
        let channels: Vec<(Time, u32)> =
            h.events.iter().filter(|e| e.at <= cutoff).filter_map(|e| e.channel.map(|c| (e.at, c))).collect();
        if channels.is_empty() {
            return self;
        }
        self.with_channels += 1;
        let distinct: BTreeSet<u32> = channels.iter().map(|(_, c)| *c).collect();
        if distinct.len() > 1 {
            self.multi += 1;
        }
        for c in &distinct {
            *self.reach.entry(*c).or_default() += 1;
        }
        for pair in channels.windows(2) {
            if pair[0].1 != pair[1].1 {
                *self.switches.entry((pair[0].1, pair[1].1)).or_default() += 1;
            }
        }
        let mut path: Vec<u32> = Vec::new();
        for (_, c) in &channels {
            if path.last() != Some(c) {
                path.push(*c);
            }
        }
        let truncated = path.len() > JOURNEY_STEPS;
        path.truncate(JOURNEY_STEPS);
        if truncated {
            path.push(u32::MAX); // "…"
        }
        let first = channels[0].0;
        let purchased = h.orders.iter().any(|o| o.at >= first && o.at <= cutoff);
        let entry = self.journeys.entry(path).or_default();
        entry.0 += 1;
        entry.1 += purchased as u64;
        self
    }

    fn merge(mut self, other: Tally) -> Tally {
        for (c, n) in other.reach {
            *self.reach.entry(c).or_default() += n;
        }
        for (s, n) in other.switches {
            *self.switches.entry(s).or_default() += n;
        }
        for (path, (n, p)) in other.journeys {
            let entry = self.journeys.entry(path).or_default();
            entry.0 += n;
            entry.1 += p;
        }
        self.with_channels += other.with_channels;
        self.multi += other.multi;
        self
    }
}

pub fn analyze(histories: &[CustomerHistory], vocabulary: &Vocabulary, cutoff: Time) -> CrossPlatformPatterns {
    // Integer counts: the result is the same however rayon splits the customers.
    let Tally { reach, switches, journeys, with_channels, multi } = histories
        .par_iter()
        .fold(Tally::default, |t, h| t.add(h, cutoff))
        .reduce(Tally::default, Tally::merge);
    let name = |c: u32| if c == u32::MAX { "…".to_string() } else { vocabulary.channels.name(c).to_string() };
    let mut channel_reach: Vec<ChannelCount> =
        reach.into_iter().map(|(c, n)| ChannelCount { channel: name(c), customers: n }).collect();
    channel_reach.sort_by(|a, b| b.customers.cmp(&a.customers).then_with(|| a.channel.cmp(&b.channel)));
    let mut switches: Vec<ChannelSwitch> =
        switches.into_iter().map(|((f, t), n)| ChannelSwitch { from: name(f), to: name(t), count: n }).collect();
    switches.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| (&a.from, &a.to).cmp(&(&b.from, &b.to))));
    switches.truncate(TOP);
    let mut journeys: Vec<Journey> = journeys
        .into_iter()
        .map(|(path, (n, p))| Journey { steps: path.into_iter().map(name).collect(), customers: n, purchasers: p })
        .collect();
    journeys.sort_by(|a, b| b.customers.cmp(&a.customers).then_with(|| a.steps.cmp(&b.steps)));
    journeys.truncate(TOP);
    CrossPlatformPatterns {
        customers_with_channels: with_channels,
        multi_channel_customers: multi,
        multi_channel_share: if with_channels > 0 { multi as f64 / with_channels as f64 } else { 0.0 },
        channel_reach,
        switches,
        journeys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eyes::history::{Event, Order};

    fn event(at: Time, channel: u32) -> Event {
        Event { at, event_type: 0, channel: Some(channel), spend_cents: None, content: None, campaign: None }
    }

    #[test]
    fn counts_multi_channel_customers_switches_and_journeys() {
        let mut v = Vocabulary::default();
        let (email, web, sms) = (v.channels.intern("email"), v.channels.intern("web"), v.channels.intern("sms"));
        let histories = vec![
            // email → web → web → email, then buys.
            CustomerHistory {
                customer_id: "a".into(),
                events: vec![event(1, email), event(2, web), event(3, web), event(4, email)],
                orders: vec![Order { at: 5, amount_cents: 100 }],
                ..Default::default()
            },
            // email → web, no purchase.
            CustomerHistory { customer_id: "b".into(), events: vec![event(1, email), event(2, web)], ..Default::default() },
            // sms only; its later event is after the cutoff and ignored.
            CustomerHistory { customer_id: "c".into(), events: vec![event(1, sms), event(100, web)], ..Default::default() },
            CustomerHistory { customer_id: "d".into(), ..Default::default() },
        ];
        let p = analyze(&histories, &v, 50);
        assert_eq!(p.customers_with_channels, 3);
        assert_eq!(p.multi_channel_customers, 2);
        assert!((p.multi_channel_share - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(p.switches[0], ChannelSwitch { from: "email".into(), to: "web".into(), count: 2 });
        assert_eq!(p.switches[1], ChannelSwitch { from: "web".into(), to: "email".into(), count: 1 });
        let journey = |steps: &[&str]| p.journeys.iter().find(|j| j.steps == steps).cloned();
        assert_eq!(journey(&["email", "web", "email"]).map(|j| (j.customers, j.purchasers)), Some((1, 1)));
        assert_eq!(journey(&["email", "web"]).map(|j| (j.customers, j.purchasers)), Some((1, 0)));
        assert_eq!(journey(&["sms"]).map(|j| j.customers), Some(1));
        assert_eq!(p.channel_reach[0], ChannelCount { channel: "email".into(), customers: 2 });
    }
}
