//! Built-in copywriting: a hook, the brief's key benefit, the campaign's pillar and a call to
//! action, fitted to the platform's ideal length and hard limits, in the brand's tone.

use super::{call_to_action, without_avoided};
use crate::ai::tasks::{ContentAnswer, ContentFacts};
use crate::brain::channels::ContentPlatform;

pub(super) fn write(f: &ContentFacts) -> ContentAnswer {
    let limits = f.platform.limits();
    let avoid = &f.business.avoid;
    let brand = f.business.name.trim();
    let sentences = sentences(&without_avoided(&f.brief, avoid));
    let lead = sentences.first().cloned().unwrap_or_else(|| format!("Something new from {brand}"));
    let support: Vec<String> = sentences.iter().skip(1).take(2).cloned().collect();
    let cta = call_to_action(f.objective.as_deref()).to_string();
    let pillar = f.pillars.get(f.variant as usize % f.pillars.len().max(1)).cloned();

    let hook = match f.variant % 3 {
        0 => format!("{}.", trim_end_punct(&lead)),
        1 => format!("Looking for {}?", lower_first(trim_end_punct(&lead))),
        _ => format!("New from {brand}: {}.", lower_first(trim_end_punct(&lead))),
    };
    let warm = matches!(f.business.tone.as_deref(), Some("friendly" | "playful" | "caring"));

    let body = match (f.platform, f.format.as_str()) {
        (ContentPlatform::Sms, _) | (_, "sms") => {
            let text = format!("{brand}: {} {cta}. Reply STOP to opt out.", trim_end_punct(&lead));
            fit(&text, limits.max_chars.min(160))
        }
        (ContentPlatform::GoogleAds, _) => fit(&format!("{}. {cta}.", trim_end_punct(&lead)), limits.max_chars),
        (_, "email") | (ContentPlatform::Email, _) => {
            let greeting = if warm { "Hi there," } else { "Hello," };
            let mut parts = vec![greeting.to_string(), hook.clone()];
            parts.extend(support.clone());
            if let Some(p) = &pillar {
                parts.push(format!("{p}."));
            }
            parts.push(format!("{cta} →"));
            parts.push(format!("— The {brand} team"));
            fit(&parts.join("\n\n"), limits.ideal_chars.max(400))
        }
        (_, "video_script") => {
            let lines = [
                format!("[0–3s] Hook: {hook}"),
                format!("[3–10s] Show it: {}", support.first().cloned().unwrap_or_else(|| lead.clone())),
                format!("[10–15s] Why it matters: {}", pillar.clone().unwrap_or_else(|| format!("made by {brand}"))),
                format!("[15–20s] {cta}."),
            ];
            fit(&lines.join("\n"), limits.max_chars.min(900))
        }
        (_, "article") => {
            let mut parts = vec![hook.clone()];
            parts.extend(sentences.iter().skip(1).cloned());
            if let Some(p) = &pillar {
                parts.push(format!("{p}: here is what that means for you."));
            }
            parts.push(format!("{cta}."));
            fit(&parts.join("\n\n"), limits.max_chars)
        }
        _ => {
            let mut text = hook.clone();
            for s in &support {
                text.push(' ');
                text.push_str(s);
            }
            if f.platform.limits().emoji && warm {
                text.push_str(" ✨");
            }
            text.push_str(&format!(" {cta}."));
            fit(&text, limits.ideal_chars.max(hook.chars().count() + cta.len() + 2).min(limits.max_chars - hashtag_room(f.platform)))
        }
    };

    let headline = limits.max_headline_chars.map(|max| fit(trim_end_punct(&lead), max));
    let hashtags = hashtags(&f.brief, brand, limits.max_hashtags, avoid);
    ContentAnswer {
        headline,
        body,
        cta,
        hashtags,
        rationale: Some(format!(
            "Written by the built-in engine for {}: hook from the brief, {} tone, call to action for the {} objective, {} characters (best around {}).",
            f.platform.label(),
            limits.tone,
            f.objective.as_deref().unwrap_or("sales"),
            limits.ideal_chars.min(limits.max_chars),
            limits.ideal_chars
        )),
    }
}

/// Room kept for hashtags on platforms that show them inline.
fn hashtag_room(p: ContentPlatform) -> usize {
    let l = p.limits();
    if l.max_chars <= 300 {
        l.max_hashtags * 16
    } else {
        0
    }
}

fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for ch in text.chars() {
        current.push(ch);
        if matches!(ch, '.' | '!' | '?' | '\n') {
            let s = current.trim().to_string();
            if s.chars().any(char::is_alphanumeric) {
                out.push(s);
            }
            current.clear();
        }
    }
    let s = current.trim().to_string();
    if s.chars().any(char::is_alphanumeric) {
        out.push(s);
    }
    out
}

fn trim_end_punct(s: &str) -> &str {
    s.trim().trim_end_matches(['.', '!', '?', ':', ';', ','])
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        // Keep acronyms ("NEW", "UK") as written.
        Some(c) if !chars.clone().next().is_some_and(char::is_uppercase) => c.to_lowercase().chain(chars).collect(),
        _ => s.to_string(),
    }
}

/// Cuts at a word boundary so the text is at most `max` characters, ending with "…" if cut.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let budget = max.saturating_sub(1);
    let mut out = String::new();
    for word in text.split(' ') {
        let next = if out.is_empty() { word.chars().count() } else { out.chars().count() + 1 + word.chars().count() };
        if next > budget {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out = text.chars().take(budget).collect();
    }
    out.push('…');
    out
}

/// The brief's most frequent meaningful words as hashtags, then the brand.
fn hashtags(brief: &str, brand: &str, max: usize, avoid: &[String]) -> Vec<String> {
    if max == 0 {
        return vec![];
    }
    const STOP: [&str; 24] = [
        "the", "and", "for", "our", "your", "you", "with", "that", "this", "from", "are", "just", "not", "new", "into", "more", "than",
        "have", "has", "will", "its", "all", "get", "now",
    ];
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    for (i, w) in brief.split(|c: char| !c.is_alphanumeric()).enumerate() {
        let w = w.to_lowercase();
        if w.len() < 4 || STOP.contains(&w.as_str()) || avoid.iter().any(|a| a.eq_ignore_ascii_case(&w)) || w.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        match counts.iter_mut().find(|(word, _, _)| *word == w) {
            Some(entry) => entry.1 += 1,
            None => counts.push((w, 1, i)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let mut tags: Vec<String> = Vec::new();
    let brand_tag: String = brand.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if !brand_tag.is_empty() {
        tags.push(brand_tag);
    }
    for (w, _, _) in counts {
        let tag: String = w.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        if !tag.is_empty() && !tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
            tags.push(tag);
        }
    }
    tags.truncate(max.min(5));
    tags
}
