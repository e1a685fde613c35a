//! Built-in campaign strategy: channel roles by platform and objective, pillars from the
//! objective, audience and brand, a calendar at each platform's usual cadence, and KPIs sized
//! from the budget.

use chrono::{Datelike, Duration, NaiveDate};

use super::objective_phrase;
use crate::ai::tasks::{CalendarSlot, ChannelRole, Kpi, Pillar, StrategyAnswer, StrategyFacts};
use crate::brain::channels::ContentPlatform;

/// Most slots a plan proposes (the schema's limit).
const MAX_SLOTS: usize = 120;

pub(super) fn plan(f: &StrategyFacts) -> StrategyAnswer {
    let audience = f.audience.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| "existing and new customers".into());
    let platforms = f.platforms.iter().map(|p| p.label()).collect::<Vec<_>>().join(", ");
    let mut summary = format!(
        "{} is aimed at {} for {}: {} across {}, from {} to {}, on a budget of {:.2}.",
        f.campaign_name,
        objective_phrase(&f.objective),
        audience,
        f.business.name,
        platforms,
        f.starts_on,
        f.ends_on,
        f.budget_cents as f64 / 100.0
    );
    if let Some(top) = f.budget_split.iter().max_by(|a, b| a.share.total_cmp(&b.share)) {
        summary.push_str(&format!(" The largest share ({:.0}%) goes to {}, where the response curves promise the most.", top.share * 100.0, top.platform.label()));
    }
    if let Some(tone) = &f.business.tone {
        summary.push_str(&format!(" Every piece keeps the brand's {tone} tone."));
    }

    let pillars = pillars(f);
    let calendar = calendar(f, &pillars);
    StrategyAnswer {
        summary,
        channels: f.platforms.iter().map(|p| ChannelRole { platform: *p, role: role(*p, &f.objective).into() }).collect(),
        pillars,
        calendar,
        kpis: kpis(f),
        risks: risks(f),
    }
}

fn role(p: ContentPlatform, objective: &str) -> &'static str {
    let converting = matches!(objective, "sales" | "conversions" | "leads");
    match (p, converting) {
        (ContentPlatform::Instagram, _) => "Visual discovery: product moments and stories that build desire",
        (ContentPlatform::Tiktok, _) => "Reach new audiences with short, native videos",
        (ContentPlatform::Facebook, true) => "Retarget visitors and lookalikes with offer-led ads",
        (ContentPlatform::Facebook, false) => "Broad reach and community conversation",
        (ContentPlatform::Linkedin, _) => "Credibility with professional buyers through insight-led posts",
        (ContentPlatform::X, _) => "Timely conversation and announcements",
        (ContentPlatform::GoogleAds, _) => "Capture high-intent searches at the moment of need",
        (ContentPlatform::Email, true) => "Convert and win back known customers with personal offers",
        (ContentPlatform::Email, false) => "Keep known customers informed and engaged",
        (ContentPlatform::Sms, _) => "Time-sensitive nudges to customers who opted in",
        (ContentPlatform::Blog, _) => "Search visibility and in-depth answers that support every channel",
    }
}

fn pillars(f: &StrategyFacts) -> Vec<Pillar> {
    let name = &f.business.name;
    let industry = f.business.industry.as_deref().unwrap_or("its field").to_lowercase();
    let about = f.description.as_deref().map(|d| super::super::prompt::cap(d, 200)).unwrap_or_else(|| f.campaign_name.clone());
    let audience_note = f.audience.as_ref().and_then(|a| a.traits.first()).map(|t| format!(" Speaks to an audience with {t}."));
    let mut out = vec![Pillar {
        title: "Why it matters".into(),
        message: format!("{about}: the concrete benefit {name} brings, stated in the customer's words."),
        proof_point: Some(format!("What sets {name} apart in {industry}")),
    }];
    let second = match f.objective.as_str() {
        "awareness" | "engagement" => Pillar {
            title: "Story and community".into(),
            message: format!("The people and craft behind {name}; invite customers to share their own moments."),
            proof_point: None,
        },
        _ => Pillar {
            title: "Proof".into(),
            message: format!("Reviews, numbers and customer stories that show {name} delivers.{}", audience_note.clone().unwrap_or_default()),
            proof_point: Some("Ratings, repeat-purchase rate, testimonials".into()),
        },
    };
    out.push(second);
    let third = match f.objective.as_str() {
        "sales" | "conversions" => Pillar {
            title: "Reason to act now".into(),
            message: "A clear offer with a deadline, and one simple next step.".into(),
            proof_point: None,
        },
        "leads" => Pillar { title: "Useful first step".into(), message: "A guide, trial or consultation worth signing up for.".into(), proof_point: None },
        "traffic" => Pillar { title: "Worth the click".into(), message: "Content that promises and delivers something useful on the site.".into(), proof_point: None },
        _ => Pillar { title: "Stay close".into(), message: "Regular, helpful touches that keep the brand in mind.".into(), proof_point: None },
    };
    out.push(third);
    out
}

/// Slots per week each platform usually carries.
fn per_week(p: ContentPlatform) -> u32 {
    match p {
        ContentPlatform::X => 5,
        ContentPlatform::Instagram | ContentPlatform::Facebook | ContentPlatform::Tiktok => 3,
        ContentPlatform::Linkedin => 2,
        ContentPlatform::Email | ContentPlatform::Blog | ContentPlatform::GoogleAds | ContentPlatform::Sms => 1,
    }
}

fn format_for(p: ContentPlatform, n: usize) -> &'static str {
    match p {
        ContentPlatform::Instagram if n % 2 == 1 => "story",
        ContentPlatform::Tiktok => "video_script",
        ContentPlatform::Email => "email",
        ContentPlatform::Sms => "sms",
        ContentPlatform::GoogleAds => "ad",
        ContentPlatform::Blog => "article",
        _ => "post",
    }
}

fn calendar(f: &StrategyFacts, pillars: &[Pillar]) -> Vec<CalendarSlot> {
    let (Ok(start), Ok(end)) = (NaiveDate::parse_from_str(&f.starts_on, "%Y-%m-%d"), NaiveDate::parse_from_str(&f.ends_on, "%Y-%m-%d")) else {
        return vec![];
    };
    let days = (end - start).num_days().max(0) + 1;
    let mut slots = Vec::new();
    for (pi, p) in f.platforms.iter().enumerate() {
        let count = ((days as f64 / 7.0) * per_week(*p) as f64).ceil().max(1.0) as i64;
        for n in 0..count {
            // Spread evenly over the flight; platforms are offset so they do not all land on day one.
            let offset = ((n as f64 + 0.5) * days as f64 / count as f64).floor() as i64 + pi as i64 % 2;
            let date = start + Duration::days(offset.min(days - 1));
            let pillar = &pillars[(n as usize + pi) % pillars.len()];
            slots.push(CalendarSlot {
                date: date.format("%Y-%m-%d").to_string(),
                platform: *p,
                format: format_for(*p, n as usize).into(),
                topic: format!("{}: {}", pillar.title, weekday_angle(date.weekday().num_days_from_monday())),
                pillar: Some(pillar.title.clone()),
            });
        }
    }
    slots.sort_by(|a, b| a.date.cmp(&b.date).then(a.platform.cmp(&b.platform)));
    if slots.len() > MAX_SLOTS {
        // Keep an even spread rather than the first weeks only.
        let step = slots.len() as f64 / MAX_SLOTS as f64;
        slots = (0..MAX_SLOTS).map(|i| slots[(i as f64 * step) as usize].clone()).collect();
    }
    slots
}

fn weekday_angle(day: u32) -> &'static str {
    ["week opener", "how-to", "customer story", "behind the scenes", "offer reminder", "weekend moment", "recap"][day as usize % 7]
}

fn kpis(f: &StrategyFacts) -> Vec<Kpi> {
    let budget = f.budget_cents as f64 / 100.0;
    let kpi = |name: &str, target: String| Kpi { name: name.into(), target };
    match f.objective.as_str() {
        "sales" => vec![kpi("ROAS", "at least 3.0×".into()), kpi("Revenue", format!("{:.0} or more", budget * 3.0))],
        "conversions" => vec![kpi("Conversions", "track daily; cost per conversion falling week on week".into()), kpi("Conversion rate", "at least 2%".into())],
        "leads" => vec![kpi("Leads", format!("{:.0} at a cost per lead under {:.2}", (budget / 25.0).max(1.0), 25.0)), kpi("Lead-to-customer rate", "at least 10%".into())],
        "traffic" => vec![kpi("Click-through rate", "at least 1.5%".into()), kpi("Sessions", format!("{:.0} or more", (budget / 0.8).max(1.0)))],
        "engagement" => vec![kpi("Engagement rate", "at least 3%".into()), kpi("Shares and replies", "grow week on week".into())],
        _ => vec![kpi("Reach", format!("{:.0} people or more", (budget / 8.0 * 1000.0).max(1000.0))), kpi("Frequency", "2 to 3 per person".into())],
    }
}

fn risks(f: &StrategyFacts) -> Vec<String> {
    let mut out = Vec::new();
    let per_platform = f.budget_cents as f64 / 100.0 / f.platforms.len().max(1) as f64;
    if per_platform < 300.0 && f.platforms.len() > 1 {
        out.push(format!("About {per_platform:.0} per platform may be too little to learn from; consider fewer platforms."));
    }
    if let (Ok(a), Ok(b)) = (NaiveDate::parse_from_str(&f.starts_on, "%Y-%m-%d"), NaiveDate::parse_from_str(&f.ends_on, "%Y-%m-%d")) {
        if (b - a).num_days() < 13 {
            out.push("A flight under two weeks leaves little time to optimise.".into());
        }
    }
    if f.audience.is_none() {
        out.push("No target segment chosen: messages stay general.".into());
    }
    out
}
