//! Sample data for a fresh install: a realistic shop whose customers buy by a known
//! buy-till-you-die process (purchases at a personal Poisson rate until a personal dropout
//! after any purchase), in a few distinct behavioural groups, with events across channels and
//! ad campaigns whose creatives fatigue. Deterministic: the same seed gives the same data.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Beta, Distribution, Gamma, LogNormal, Poisson};

use crate::ingest::records::{key_of, CustomerRecord, CustomerRef, EventRecord, OrderRecord, PerformanceRecord, Record};

const DAY: i64 = 86_400;
/// How far back the shop's history goes.
pub const HISTORY_DAYS: i64 = 365;
const PLATFORM: &str = "demo_shop";

/// A behavioural group and the parameters its customers are drawn from.
struct Group {
    name: &'static str,
    share: f64,
    /// Gamma(shape, rate) of purchases per day while alive.
    rate_shape: f64,
    rate_rate: f64,
    /// Beta(a, b) of the chance to drop out after each purchase.
    dropout_a: f64,
    dropout_b: f64,
    /// Log-normal order value in dollars: median and spread.
    median_order: f64,
    spread: f64,
    /// Sign-ups only within the last this many days.
    joined_within: i64,
}

const GROUPS: [Group; 4] = [
    Group { name: "loyal", share: 0.2, rate_shape: 4.0, rate_rate: 80.0, dropout_a: 1.0, dropout_b: 30.0, median_order: 85.0, spread: 0.35, joined_within: HISTORY_DAYS },
    Group { name: "bargain", share: 0.35, rate_shape: 2.0, rate_rate: 90.0, dropout_a: 2.0, dropout_b: 10.0, median_order: 22.0, spread: 0.4, joined_within: HISTORY_DAYS },
    Group { name: "one_time", share: 0.3, rate_shape: 1.0, rate_rate: 400.0, dropout_a: 6.0, dropout_b: 4.0, median_order: 45.0, spread: 0.5, joined_within: HISTORY_DAYS },
    Group { name: "new", share: 0.15, rate_shape: 3.0, rate_rate: 60.0, dropout_a: 1.0, dropout_b: 12.0, median_order: 40.0, spread: 0.4, joined_within: 45 },
];

const FIRST_NAMES: [&str; 12] = ["Ada", "Ben", "Chloe", "Dev", "Ema", "Finn", "Gia", "Hugo", "Iris", "Jon", "Kai", "Lena"];
const LAST_NAMES: [&str; 10] = ["Stone", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Byrne", "Haddad", "Kowalski"];
const CHANNELS: [(&str, &str); 5] =
    [("email_open", "email"), ("email_click", "email"), ("page_view", "web"), ("ad_click", "paid_social"), ("sms_click", "sms")];

pub struct DemoData {
    pub customers: Vec<Record>,
    pub orders: Vec<Record>,
    pub events: Vec<Record>,
    pub performance: Vec<Record>,
}

/// Generates `customers` customers and their history up to `today` (unix seconds).
pub fn generate(customers: usize, seed: u64, today: i64) -> DemoData {
    let mut rng = StdRng::seed_from_u64(seed);
    let today = today - today.rem_euclid(DAY);
    let start = today - HISTORY_DAYS * DAY;
    let mut data = DemoData { customers: Vec::new(), orders: Vec::new(), events: Vec::new(), performance: Vec::new() };
    for i in 0..customers {
        let group = pick_group(&mut rng);
        let id = format!("demo-{seed}-{i}");
        let first = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())];
        let last = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())];
        let email = format!("{}.{}.{i}@example.com", first.to_lowercase(), last.to_lowercase());
        let who = CustomerRef { platform: PLATFORM.into(), external_id: Some(id.clone()), email: Some(email) };
        let joined = today - rng.gen_range(1..group.joined_within.max(2)) * DAY + rng.gen_range(0..DAY);
        let joined = joined.max(start);
        data.customers.push(Record::Customer(CustomerRecord {
            who: who.clone(),
            name: Some(format!("{first} {last}")),
            phone: None,
            company: None,
            tags: vec![group.name.to_string()],
            created_at: Some(joined),
            consents: Vec::new(),
        }));

        // Buy till you die: exponential gaps at rate λ; after each purchase, drop out with p.
        let rate = Gamma::new(group.rate_shape, 1.0 / group.rate_rate).map(|g| g.sample(&mut rng)).unwrap_or(0.01);
        let dropout = Beta::new(group.dropout_a, group.dropout_b).map(|b| b.sample(&mut rng)).unwrap_or(0.5);
        let value = LogNormal::new(group.median_order.ln(), group.spread).expect("valid log-normal");
        let mut t = joined as f64;
        let mut n = 0;
        loop {
            if n > 0 {
                let gap_days = -rng.gen::<f64>().max(1e-12).ln() / rate.max(1e-6);
                t += gap_days * DAY as f64;
            }
            if t >= today as f64 {
                break;
            }
            let at = t as i64;
            let amount = (value.sample(&mut rng) * 100.0).round() as i64;
            data.orders.push(Record::Order(OrderRecord {
                who: who.clone(),
                platform: PLATFORM.into(),
                external_order_id: format!("{id}-o{n}"),
                amount_cents: amount.max(100),
                currency: "USD".into(),
                ordered_at: at,
            }));
            // Engagement around each purchase: a few touches across channels before it.
            let touches = Poisson::new(2.5).map(|p| p.sample(&mut rng) as usize).unwrap_or(2);
            for k in 0..touches {
                let (event_type, channel) = CHANNELS[rng.gen_range(0..CHANNELS.len())];
                let when = (at - rng.gen_range(0..7 * DAY)).max(joined);
                data.events.push(event(&who, event_type, channel, when, k, &id, n));
            }
            data.events.push(event(&who, "purchase", "web", at, 99, &id, n));
            n += 1;
            if rng.gen::<f64>() < dropout {
                break;
            }
        }
    }
    data.performance = campaigns(&mut rng, today);
    data
}

fn event(who: &CustomerRef, event_type: &str, channel: &str, at: i64, k: usize, id: &str, n: usize) -> Record {
    Record::Event(EventRecord {
        who: who.clone(),
        event_key: key_of(&[PLATFORM, "demo-event", id, &n.to_string(), &k.to_string()]),
        event_type: event_type.into(),
        occurred_at: at,
        channel: Some(channel.into()),
        spend_cents: None,
        content_id: None,
        campaign_id: Some(format!("cmp-{}", n % 3)),
    })
}

fn pick_group(rng: &mut StdRng) -> &'static Group {
    let mut x: f64 = rng.gen();
    for g in &GROUPS {
        if x < g.share {
            return g;
        }
        x -= g.share;
    }
    &GROUPS[0]
}

/// Three platforms × three campaigns × two creatives, 90 days. Some creatives fatigue: their
/// click-through decays and their cost per result climbs past twice its baseline.
fn campaigns(rng: &mut StdRng, today: i64) -> Vec<Record> {
    let mut out = Vec::new();
    for (p, platform) in ["meta_ads", "google_ads", "linkedin_ads"].iter().enumerate() {
        for c in 0..3 {
            for cr in 0..2 {
                let fatigues = (p + c + cr) % 3 == 0;
                let base_ctr = 0.012 + 0.01 * rng.gen::<f64>();
                let daily_impressions = 4_000.0 + 8_000.0 * rng.gen::<f64>();
                let cpm = 6.0 + 10.0 * rng.gen::<f64>();
                for d in 0..90 {
                    let age = d as f64;
                    let ctr = if fatigues { base_ctr * (-age / 35.0).exp() } else { base_ctr * (1.0 + 0.05 * (age / 20.0).sin()) };
                    let impressions = (daily_impressions * (0.85 + 0.3 * rng.gen::<f64>())).round() as i64;
                    let clicks = (impressions as f64 * ctr).round() as i64;
                    let conversions = (clicks as f64 * 0.04).round() as i64;
                    let spend = (impressions as f64 / 1000.0 * cpm * 100.0).round() as i64;
                    let day = chrono::DateTime::from_timestamp(today - (89 - d) * DAY, 0).unwrap_or_default();
                    out.push(Record::Performance(PerformanceRecord {
                        platform: platform.to_string(),
                        campaign_id: format!("{platform}-c{c}"),
                        campaign_name: Some(["Spring sale", "Always-on prospecting", "Win-back"][c].to_string()),
                        creative_id: format!("{platform}-c{c}-cr{cr}"),
                        creative_name: Some(format!("Creative {}", ["A", "B"][cr])),
                        day: day.format("%Y-%m-%d").to_string(),
                        impressions,
                        clicks,
                        spend_cents: spend,
                        conversions,
                        revenue_cents: conversions * 6_000,
                        // Meta reports daily reach; a fatiguing creative keeps meeting the same people.
                        reach: (*platform == "meta_ads").then(|| {
                            let frequency = if fatigues { 1.2 + age / 60.0 } else { 1.2 + 0.05 * (age / 7.0).sin() };
                            (impressions as f64 / frequency).round() as i64
                        }),
                    }));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: i64 = 1_780_000_000;

    #[test]
    fn the_same_seed_gives_the_same_shop() {
        let a = generate(200, 7, TODAY);
        let b = generate(200, 7, TODAY);
        assert_eq!(a.orders, b.orders);
        assert_eq!(a.events.len(), b.events.len());
        assert_ne!(generate(200, 8, TODAY).orders, a.orders);
    }

    #[test]
    fn customers_buy_then_some_stop_and_groups_differ() {
        let d = generate(1_000, 1, TODAY);
        assert_eq!(d.customers.len(), 1_000);
        let mut per_customer = std::collections::HashMap::<String, (usize, i64)>::new();
        for o in &d.orders {
            let Record::Order(o) = o else { unreachable!() };
            let e = per_customer.entry(o.who.external_id.clone().unwrap()).or_default();
            e.0 += 1;
            e.1 = e.1.max(o.ordered_at);
        }
        // Everyone buys at least once; a real share has not bought for 90+ days (churners).
        assert_eq!(per_customer.len(), 1_000);
        let lapsed = per_customer.values().filter(|(_, last)| TODAY - last > 90 * DAY).count();
        assert!(lapsed > 150 && lapsed < 900, "lapsed {lapsed}");
        let repeaters = per_customer.values().filter(|(n, _)| *n >= 3).count();
        assert!(repeaters > 100, "repeaters {repeaters}");
        assert_eq!(d.performance.len(), 3 * 3 * 2 * 90);
    }
}
