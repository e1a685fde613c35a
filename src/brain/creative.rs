//! AIDA analysis of ad copy (Attention, Interest, Desire, Action) and brand compliance.
//!
//! Deterministic word-list heuristics rather than a model: every score comes with the evidence
//! behind it, the same copy always scores the same, and the browser can re-score as the
//! marketer types.

use serde::{Deserialize, Serialize};

use super::channels::ContentPlatform;
use super::text::{self, WordSet};

/// Ad copy to analyse, and the platform it will run on (which sets the length limits).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreativeInput {
    pub headline: Option<String>,
    pub body: String,
    /// Button or link text, when the platform shows one separately from the body.
    pub cta: Option<String>,
    pub platform: ContentPlatform,
}

/// What a brand allows. Shared with the repurposer, which removes the banned words.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BrandGuidelines {
    /// Words or phrases that must not appear, matched case-insensitively on word boundaries.
    pub banned_words: Vec<String>,
    /// One of "friendly", "professional", "playful", "bold", "luxury", "caring" (or a synonym
    /// such as "warm", "formal", "fun", "premium", "empathetic").
    pub required_tone: Option<String>,
    /// Free-text description of the brand voice, quoted back in recommendations.
    pub voice: Option<String>,
}

/// One piece of evidence behind the scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    /// hook, benefits, social_proof, urgency, call_to_action, readability, length,
    /// personalization or specificity.
    pub key: String,
    pub label: String,
    pub found: bool,
    /// What was seen, quoting the matched words.
    pub detail: String,
}

/// 0–100 each; `overall` is the weighted mean (action weighs most: copy exists to be acted on).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AidaScores {
    pub attention: u8,
    pub interest: u8,
    pub desire: u8,
    pub action: u8,
    pub overall: u8,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComplianceReport {
    pub compliant: bool,
    /// The banned words found, as the guidelines spell them.
    pub banned_words_found: Vec<String>,
    /// The tone the copy reads as, if any tone words were found.
    pub tone: Option<String>,
    /// Set only when the guidelines require a tone this engine knows.
    pub tone_matches: Option<bool>,
    pub issues: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreativeAnalysis {
    pub scores: AidaScores,
    pub signals: Vec<Signal>,
    pub strengths: Vec<String>,
    /// Each weakness has the recommendation at the same index.
    pub weaknesses: Vec<String>,
    pub recommendations: Vec<String>,
    /// Flesch reading ease of the body, 0–100.
    pub readability: f64,
    /// Body length in characters.
    pub length: usize,
    pub ideal_length: usize,
    pub max_length: usize,
    pub compliance: Option<ComplianceReport>,
}

/// Words that promise the reader something. Also used by the repurposer to rank sentences.
#[rustfmt::skip]
pub const BENEFIT_PHRASES: &[&str] = &[
    "save", "saves", "saving", "savings", "free", "get", "gets", "results", "without", "faster",
    "easier", "easy", "effortless", "better", "boost", "boosts", "improve", "improves", "grow",
    "grows", "guaranteed", "guarantee", "discount", "bonus", "money back", "risk free", "no more",
    "instantly", "in minutes", "proven", "earn", "reduce", "reduces", "cut", "cuts", "enjoy",
    "healthier", "stronger", "more time", "peace of mind",
];

/// Imperatives that open a call to action ("Shop now.", "Book a demo").
#[rustfmt::skip]
pub const CTA_PHRASES: &[&str] = &[
    "shop", "buy", "get", "start", "try", "book", "sign up", "learn more", "download", "order",
    "join", "subscribe", "register", "claim", "discover", "call", "visit", "reserve", "grab",
    "apply", "request", "contact", "schedule", "explore", "click", "tap", "swipe up", "install",
    "donate", "see", "find out", "read more", "watch", "enroll", "upgrade", "reply", "text",
];

/// Reasons to act now rather than later.
#[rustfmt::skip]
pub const URGENCY_PHRASES: &[&str] = &[
    "today", "now", "tonight", "limited", "ends", "ending", "last chance", "hurry", "deadline",
    "expires", "expiring", "while supplies last", "don't miss", "this week", "this weekend",
    "midnight", "last day", "final hours", "24 hours", "48 hours", "few left", "selling fast",
    "act fast",
];

/// Claims that other people already trust the product.
#[rustfmt::skip]
const SOCIAL_PROOF_PHRASES: &[&str] = &[
    "trusted by", "loved by", "used by", "chosen by", "rated", "reviews", "review", "award",
    "award winning", "bestseller", "best selling", "bestselling", "as seen on", "featured in",
    "recommended by", "testimonial", "testimonials", "5 stars", "five stars", "★", "⭐",
];

/// Groups of people that count as social proof when numbered ("12,000 customers").
#[rustfmt::skip]
const CROWDS: &[&str] = &[
    "customers", "clients", "users", "members", "people", "fans", "buyers", "shoppers",
    "families", "teams", "businesses", "companies", "brands", "subscribers", "students",
    "patients", "readers", "parents", "owners",
];

/// Words that make a crowd a claim: "happy customers", "thousands of users".
#[rustfmt::skip]
const CROWD_QUALIFIERS: &[&str] =
    &["happy", "satisfied", "loyal", "thousands", "millions", "hundreds"];

/// Openers that grab attention when they start the copy.
#[rustfmt::skip]
const OPENERS: &[&str] = &[
    "discover", "stop", "meet", "imagine", "unlock", "transform", "introducing", "finally",
    "say goodbye", "ready", "tired", "struggling", "want", "need", "forget", "never", "new",
    "save", "get", "try", "join", "boost", "what if", "why", "how", "secret", "warning",
];

const YOU_WORDS: &[&str] = &[
    "you", "your", "you're", "yours", "yourself", "you'll", "you've",
];

/// Units that make a number concrete ("20 minutes", "3 kg").
#[rustfmt::skip]
const UNITS: &[&str] = &[
    "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months",
    "year", "years", "percent", "kg", "lbs", "oz", "ml", "steps", "servings", "cups", "miles",
    "km",
];

#[rustfmt::skip]
const WEEKDAYS: &[&str] =
    &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Tone word lists, in the order ties are broken.
#[rustfmt::skip]
const TONES: &[(&str, &[&str])] = &[
    (
        "friendly",
        &[
            "hey", "hi", "hello", "thanks", "thank you", "welcome", "glad", "happy", "enjoy",
            "love", "friends", "together", "easy", "we'd love", "say hi", "cozy",
        ],
    ),
    (
        "professional",
        &[
            "solution", "solutions", "efficiency", "roi", "enterprise", "business", "strategy",
            "strategic", "performance", "insights", "leverage", "optimize", "industry",
            "productivity", "compliance", "scalable", "professionals", "expertise", "teams",
            "workflow", "analytics",
        ],
    ),
    (
        "playful",
        &[
            "fun", "yay", "woohoo", "oops", "lol", "epic", "awesome", "totally", "party", "magic",
            "yum", "yummy", "whee", "ta da", "giggle", "silly", "squad", "vibes",
        ],
    ),
    (
        "bold",
        &[
            "best", "ultimate", "unstoppable", "powerful", "dominate", "revolutionary", "bold",
            "fearless", "game changer", "crush", "win", "biggest", "breakthrough", "disrupt",
            "never settle", "unbeatable", "relentless",
        ],
    ),
    (
        "luxury",
        &[
            "exclusive", "luxury", "luxurious", "premium", "crafted", "handcrafted", "elegant",
            "timeless", "bespoke", "refined", "exquisite", "finest", "artisan", "curated",
            "indulge", "sophisticated", "heritage",
        ],
    ),
    (
        "caring",
        &[
            "care", "caring", "support", "here for you", "gentle", "safe", "comfort", "wellbeing",
            "well being", "health", "family", "understand", "listen", "kind", "peace of mind",
            "protect", "looked after",
        ],
    ),
];

/// Other names marketers use for the same tones.
#[rustfmt::skip]
const TONE_SYNONYMS: &[(&str, &[&str])] = &[
    ("friendly", &["warm", "casual", "conversational", "approachable"]),
    ("professional", &["formal", "authoritative", "corporate", "expert"]),
    ("playful", &["fun", "humorous", "witty", "cheeky"]),
    ("bold", &["confident", "energetic", "assertive", "daring"]),
    ("luxury", &["premium", "elegant", "sophisticated", "upscale", "luxurious"]),
    ("caring", &["empathetic", "supportive", "compassionate", "warmhearted"]),
];

/// Platforms where a headline (subject line, title) is part of the format, not an extra.
const HEADLINE_REQUIRED: &[ContentPlatform] = &[
    ContentPlatform::GoogleAds,
    ContentPlatform::Email,
    ContentPlatform::Blog,
];

/// Scores, signals and advice for one piece of copy; with guidelines, also brand compliance.
///
/// - Attention: 10 + hook devices in the headline and first sentence (headline 15, question 15,
///   number 10, "you" 10, strong opener 10, emoji where customary 5; at most 60) + 30% of how
///   well the length suits the platform.
/// - Interest: specificity (≤ 35) + benefits (≤ 35) + readability (≤ 30).
/// - Desire: benefits (≤ 30) + social proof (≤ 40) + personalization (≤ 30).
/// - Action: call to action (≤ 60) + urgency (≤ 40).
/// - Overall: 25% attention, 20% interest, 25% desire, 30% action.
///
/// Over the platform's hard limit, attention and action lose 30 and overall is halved.
pub fn analyze(input: &CreativeInput, guidelines: Option<&BrandGuidelines>) -> CreativeAnalysis {
    let platform = input.platform;
    let limits = platform.limits();
    let headline = non_empty(input.headline.as_deref());
    let cta = non_empty(input.cta.as_deref());
    let body = input.body.trim();
    let all_text = [headline, Some(body), cta]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n");
    let all = WordSet::new(&all_text);
    let length = text::char_count(body);
    let over_limit = length > limits.max_chars;
    let readability = text::flesch_reading_ease(body);
    let mut f = Findings::default();

    let hook = hook(&mut f, headline, body, platform);
    let benefits = benefits(&mut f, &all, &all_text);
    let social_proof = social_proof(&mut f, &all, &all_text);
    let urgency = urgency(&mut f, &all);
    let cta = call_to_action(&mut f, headline, body, cta);
    let read = readability_points(&mut f, readability, body.is_empty());
    let fit = length_fit(&mut f, length, platform);
    let personal = personalization(&mut f, &all);
    let specific = specificity(&mut f, &all, &all_text);
    format_checks(&mut f, headline, &all_text, platform);

    let compliance = guidelines.map(|g| {
        let report = check_compliance(&all_text, g);
        compliance_advice(&mut f, &report, g);
        report
    });

    // Copy over the hard limit gets cut off: the hook may survive, the CTA at the end won't.
    let cut_penalty = if over_limit { 30.0 } else { 0.0 };
    let attention = 10.0 + hook + 0.3 * fit - cut_penalty;
    let interest = specific + benefits + read;
    let desire = benefits * 30.0 / 35.0 + social_proof + personal;
    let action = cta + urgency - cut_penalty;
    let [attention, interest, desire, action] = [attention, interest, desire, action].map(score);
    let mut overall = 0.25 * f64::from(attention)
        + 0.2 * f64::from(interest)
        + 0.25 * f64::from(desire)
        + 0.3 * f64::from(action);
    if over_limit {
        overall /= 2.0;
    }

    CreativeAnalysis {
        scores: AidaScores {
            attention,
            interest,
            desire,
            action,
            overall: score(overall),
        },
        signals: f.signals,
        strengths: f.strengths,
        weaknesses: f.weaknesses,
        recommendations: f.recommendations,
        readability,
        length,
        ideal_length: limits.ideal_chars,
        max_length: limits.max_chars,
        compliance,
    }
}

/// Banned words and tone of `text` against the guidelines. Compliant when there are no issues.
pub fn check_compliance(text: &str, guidelines: &BrandGuidelines) -> ComplianceReport {
    let mut issues = Vec::new();
    let mut banned_words_found: Vec<String> = Vec::new();
    for word in guidelines
        .banned_words
        .iter()
        .map(|w| w.trim())
        .filter(|w| !w.is_empty())
    {
        let already = banned_words_found
            .iter()
            .any(|b| b.eq_ignore_ascii_case(word));
        if !already && !text::find_phrase(text, word).is_empty() {
            issues.push(format!("Uses the banned word \"{word}\""));
            banned_words_found.push(word.to_string());
        }
    }

    let scores = tone_scores(text);
    let best = scores.iter().map(|&(_, s)| s).max().unwrap_or(0);
    let required = guidelines.required_tone.as_deref().and_then(canonical_tone);
    // On a tie the required tone is the one reported, so a match never reads as a mismatch.
    let detected = required
        .filter(|r| best > 0 && scores.iter().any(|&(t, s)| t == *r && s == best))
        .or_else(|| {
            scores
                .iter()
                .find(|&&(_, s)| s > 0 && s == best)
                .map(|&(t, _)| t)
        });
    // Copy with no tone words at all cannot be judged on tone (short, factual copy is not off
    // brand for lacking adjectives); only a different tone is a mismatch.
    let tone_matches = detected.and(required.map(|r| detected == Some(r)));
    if let (Some(false), Some(asked), Some(d)) = (tone_matches, guidelines.required_tone.as_deref(), detected) {
        issues.push(format!("Reads as {d}; the guidelines ask for a {} tone", asked.trim()));
    }

    ComplianceReport {
        compliant: issues.is_empty(),
        banned_words_found,
        tone: detected.map(str::to_string),
        tone_matches,
        issues,
    }
}

/// The tone `text` reads as most strongly, if it has any tone words at all.
pub fn detect_tone(text: &str) -> Option<&'static str> {
    let scores = tone_scores(text);
    let best = scores.iter().map(|&(_, s)| s).max().unwrap_or(0);
    scores
        .iter()
        .find(|&&(_, s)| s > 0 && s == best)
        .map(|&(t, _)| t)
}

/// Tone word hits per tone; emoji count as playful and exclamation marks (up to three) as bold.
fn tone_scores(text: &str) -> Vec<(&'static str, usize)> {
    let words = WordSet::new(text);
    TONES
        .iter()
        .map(|&(tone, list)| {
            let mut hits: usize = list.iter().map(|p| words.count(p)).sum();
            match tone {
                "playful" => hits += text::emoji_count(text),
                "bold" => hits += text.matches('!').count().min(3),
                _ => {}
            }
            (tone, hits)
        })
        .collect()
}

/// The tone a guideline names, accepting synonyms; `None` for tones this engine can't detect.
fn canonical_tone(name: &str) -> Option<&'static str> {
    let name = name.trim().to_lowercase();
    TONES
        .iter()
        .map(|&(t, _)| t)
        .find(|t| *t == name)
        .or_else(|| {
            TONE_SYNONYMS
                .iter()
                .find(|(_, names)| names.contains(&name.as_str()))
                .map(|&(t, _)| t)
        })
}

/// Signals, strengths and weaknesses collected while scoring.
#[derive(Default)]
struct Findings {
    signals: Vec<Signal>,
    strengths: Vec<String>,
    weaknesses: Vec<String>,
    recommendations: Vec<String>,
}

impl Findings {
    fn signal(&mut self, key: &str, label: &str, found: bool, detail: String) {
        self.signals.push(Signal {
            key: key.into(),
            label: label.into(),
            found,
            detail,
        });
    }

    fn strength(&mut self, strength: String) {
        self.strengths.push(strength);
    }

    /// A weakness is only ever reported together with what to do about it.
    fn weakness(&mut self, weakness: String, recommendation: String) {
        self.weaknesses.push(weakness);
        self.recommendations.push(recommendation);
    }
}

/// Attention devices in the opening (headline plus first sentence). Up to 60 points.
fn hook(f: &mut Findings, headline: Option<&str>, body: &str, platform: ContentPlatform) -> f64 {
    let first_sentence = text::sentences(body).first().copied().unwrap_or("");
    let opening = [headline.unwrap_or(""), first_sentence]
        .join(" ")
        .trim()
        .to_string();
    let words = WordSet::new(&opening);
    let mut devices: Vec<String> = Vec::new();
    let mut points = 0.0;
    if headline.is_some() {
        points += 15.0;
    }
    if opening.contains('?') {
        devices.push("a question".into());
        points += 15.0;
    }
    if let Some(n) = words.words().iter().find(|w| starts_with_digit(w)) {
        devices.push(format!("a number (\"{n}\")"));
        points += 10.0;
    }
    if let Some(you) = words.found(YOU_WORDS).first() {
        devices.push(format!("\"{you}\""));
        points += 10.0;
    }
    let opens_with = |s: &str| {
        let w = WordSet::new(s);
        OPENERS.iter().copied().find(|o| w.starts_with(o))
    };
    if let Some(opener) = headline
        .and_then(opens_with)
        .or_else(|| opens_with(first_sentence))
    {
        devices.push(format!("the opener \"{opener}\""));
        points += 10.0;
    }
    if platform.limits().emoji && text::emoji_count(&opening) > 0 {
        devices.push("an emoji".into());
        points += 5.0;
    }
    let found = !devices.is_empty();
    let quoted = format!("\"{}\"", text::truncate_words(&opening, 60));
    if found {
        let detail = format!("Opening {quoted} uses {}", devices.join(", "));
        f.strength(format!("Strong hook: {}", devices.join(", ")));
        f.signal("hook", "Hook", true, detail);
    } else if opening.is_empty() {
        f.signal("hook", "Hook", false, "No opening line".into());
    } else {
        f.signal(
            "hook",
            "Hook",
            false,
            format!("Opening {quoted} is a plain statement"),
        );
        f.weakness(
            "The opening is a plain statement with no hook".into(),
            "Open with a question, a number or a direct \"you\" (e.g. \"Tired of …?\") to stop \
             the scroll."
                .into(),
        );
    }
    f64::min(points, 60.0)
}

/// Benefit words and discounts ("20% off"). Up to 35 points.
fn benefits(f: &mut Findings, all: &WordSet, all_text: &str) -> f64 {
    let mut found: Vec<String> = all
        .found(BENEFIT_PHRASES)
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (start, end) in text::find_phrase(all_text, "off") {
        let before = all_text[..start].trim_end();
        let amount = before.rsplit(char::is_whitespace).next().unwrap_or("");
        if amount.chars().any(|c| c.is_ascii_digit()) {
            found.push(format!("{amount} {}", &all_text[start..end]));
        }
    }
    dedup(&mut found);
    if found.is_empty() {
        f.signal(
            "benefits",
            "Benefits",
            false,
            "No benefit words such as save, free or results".into(),
        );
        f.weakness(
            "No clear benefit for the reader".into(),
            "Say what the reader gets: time or money saved, a result, a free extra.".into(),
        );
    } else {
        let list = quoted_list(&found);
        f.signal("benefits", "Benefits", true, format!("Found {list}"));
        f.strength(format!("Clear benefits: {list}"));
    }
    match found.len() {
        0 => 0.0,
        1 => 20.0,
        2 => 28.0,
        _ => 35.0,
    }
}

/// Proof that others trust the product: numbered crowds, ratings, testimonials. Up to 40 points.
fn social_proof(f: &mut Findings, all: &WordSet, all_text: &str) -> f64 {
    let mut found: Vec<String> = all
        .found(SOCIAL_PROOF_PHRASES)
        .iter()
        .map(|s| s.to_string())
        .collect();
    if all_text.contains("#1") {
        found.push("#1".into());
    }
    let words = all.words();
    for crowd in CROWDS {
        for p in all.positions(crowd) {
            let before = |back: usize| p.checked_sub(back).map(|i| words[i].as_str());
            let counted = before(1)
                .is_some_and(|w| starts_with_digit(w) || CROWD_QUALIFIERS.contains(&w))
                || (before(1) == Some("of")
                    && before(2).is_some_and(|w| CROWD_QUALIFIERS.contains(&w)));
            if counted {
                found.push(format!("{} {crowd}", before(1).unwrap_or("")));
                break;
            }
        }
    }
    for quote in text::quoted_passages(all_text, 3) {
        found.push(format!("testimonial “{}”", text::truncate_words(quote, 40)));
    }
    dedup(&mut found);
    if found.is_empty() {
        f.signal(
            "social_proof",
            "Social proof",
            false,
            "No customer counts, ratings or testimonials".into(),
        );
        f.weakness(
            "No social proof".into(),
            "Add proof: a customer count (\"Trusted by 12,000 customers\"), a star rating or a \
             one-line testimonial."
                .into(),
        );
    } else {
        let list = quoted_list(&found);
        f.signal(
            "social_proof",
            "Social proof",
            true,
            format!("Found {list}"),
        );
        f.strength(format!("Social proof: {list}"));
    }
    match found.len() {
        0 => 0.0,
        1 => 30.0,
        _ => 40.0,
    }
}

/// Reasons to act now, including deadlines such as "until Friday". Up to 40 points.
fn urgency(f: &mut Findings, all: &WordSet) -> f64 {
    let mut found: Vec<String> = all
        .found(URGENCY_PHRASES)
        .iter()
        .map(|s| s.to_string())
        .collect();
    let words = all.words();
    for pair in words.windows(2) {
        if ["until", "by", "before"].contains(&pair[0].as_str())
            && WEEKDAYS.contains(&pair[1].as_str())
        {
            found.push(format!("{} {}", pair[0], pair[1]));
        }
    }
    dedup(&mut found);
    if found.is_empty() {
        f.signal(
            "urgency",
            "Urgency",
            false,
            "Nothing says why to act now".into(),
        );
        f.weakness(
            "No urgency".into(),
            "Give a reason to act now: a deadline (\"ends Sunday\"), limited stock or a \
             time-boxed offer."
                .into(),
        );
    } else {
        let list = quoted_list(&found);
        f.signal("urgency", "Urgency", true, format!("Found {list}"));
        f.strength(format!("Urgency: {list}"));
    }
    match found.len() {
        0 => 0.0,
        1 => 25.0,
        _ => 40.0,
    }
}

/// A clear imperative: the CTA field, or a sentence that opens with a CTA verb. Up to 60 points.
fn call_to_action(f: &mut Findings, headline: Option<&str>, body: &str, cta: Option<&str>) -> f64 {
    const KEY: &str = "call_to_action";
    const LABEL: &str = "Call to action";
    let imperative = |s: &str| {
        let w = WordSet::new(s);
        CTA_PHRASES.iter().any(|p| w.starts_with(p))
    };
    if let Some(cta) = cta {
        if imperative(cta) {
            f.signal(KEY, LABEL, true, format!("Call to action \"{cta}\""));
            f.strength(format!("Clear call to action: \"{cta}\""));
            return 60.0;
        }
        f.signal(
            KEY,
            LABEL,
            true,
            format!("Call to action \"{cta}\" has no action verb"),
        );
        f.weakness(
            format!("The call to action \"{cta}\" doesn't start with an action verb"),
            "Start the call to action with a verb such as Shop, Book, Try or Get.".into(),
        );
        return 45.0;
    }
    let mut sentences = text::sentences(headline.unwrap_or(""));
    sentences.extend(text::sentences(body));
    if let Some(s) = sentences.iter().find(|s| imperative(s)) {
        let s = text::truncate_words(s, 60);
        f.signal(KEY, LABEL, true, format!("Call to action \"{s}\""));
        f.strength(format!("Clear call to action: \"{s}\""));
        return 60.0;
    }
    let all = WordSet::new(body);
    if let Some(verb) = all.found(CTA_PHRASES).first() {
        f.signal(
            KEY,
            LABEL,
            false,
            format!("\"{verb}\" appears mid-sentence, not as an instruction"),
        );
        f.weakness(
            "The call to action is buried mid-sentence".into(),
            "Give the call to action its own short sentence at the end, e.g. \"Shop now.\"".into(),
        );
        return 25.0;
    }
    f.signal(KEY, LABEL, false, "No call to action".into());
    f.weakness(
        "No call to action".into(),
        "End with a clear call to action such as \"Shop now\", \"Book a demo\" or \"Start your \
         free trial\"."
            .into(),
    );
    0.0
}

/// Flesch reading ease as points: full marks from 60 (plain English). Up to 30 points.
fn readability_points(f: &mut Findings, flesch: f64, empty: bool) -> f64 {
    if empty {
        f.signal(
            "readability",
            "Readability",
            false,
            "No body copy to read".into(),
        );
        return 0.0;
    }
    let grade = match flesch {
        s if s >= 80.0 => "very easy",
        s if s >= 60.0 => "plain English",
        s if s >= 50.0 => "fairly difficult",
        s if s >= 30.0 => "difficult",
        _ => "very difficult",
    };
    let detail = format!("Flesch reading ease {flesch:.0} ({grade})");
    if flesch >= 50.0 {
        f.strength(format!("Easy to read (Flesch {flesch:.0})"));
        f.signal("readability", "Readability", true, detail);
    } else {
        f.signal("readability", "Readability", false, detail);
        f.weakness(
            format!("Hard to read (Flesch {flesch:.0})"),
            "Use shorter sentences and everyday words; aim for a Flesch score of 60 or more."
                .into(),
        );
    }
    30.0 * (flesch / 60.0).min(1.0)
}

/// How well the body length suits the platform, 0–100: full marks from 40% to 120% of the ideal,
/// falling to 40 at three times the ideal, 0 over the hard limit.
fn length_fit(f: &mut Findings, length: usize, platform: ContentPlatform) -> f64 {
    let limits = platform.limits();
    let (ideal, max, name) = (limits.ideal_chars, limits.max_chars, platform.label());
    let ratio = length as f64 / ideal as f64;
    let detail =
        format!("{length} characters; about {ideal} perform best on {name}, {max} at most");
    if length == 0 {
        f.signal("length", "Length", false, "No body copy".into());
        f.weakness(
            "No body copy".into(),
            format!("Write body copy of about {ideal} characters."),
        );
        return 0.0;
    }
    if length > max {
        f.signal("length", "Length", false, detail);
        f.weakness(
            format!("{length} characters is over {name}'s {max}-character limit"),
            format!(
                "Cut at least {} characters: {name} truncates or rejects copy over {max}.",
                length - max
            ),
        );
        return 0.0;
    }
    if ratio > 1.5 {
        f.signal("length", "Length", false, detail);
        f.weakness(
            format!("Long for {name}: {length} characters against about {ideal} that perform best"),
            format!(
                "Trim toward {ideal} characters and lead with the benefit; detail can live on the \
                 landing page."
            ),
        );
    } else {
        f.signal("length", "Length", true, detail);
        f.strength(format!("Length suits {name} ({length} characters)"));
    }
    if ratio < 0.4 {
        60.0 + 40.0 * ratio / 0.4
    } else if ratio <= 1.2 {
        100.0
    } else {
        100.0 - 60.0 * ((ratio - 1.2) / 1.8).min(1.0)
    }
}

/// Talking to the reader ("you", "your"). Up to 30 points.
fn personalization(f: &mut Findings, all: &WordSet) -> f64 {
    let count: usize = YOU_WORDS.iter().map(|w| all.count(w)).sum();
    if count == 0 {
        f.signal(
            "personalization",
            "Personalization",
            false,
            "Never says \"you\" or \"your\"".into(),
        );
        f.weakness(
            "Doesn't speak to the reader".into(),
            "Address the reader directly with \"you\" and \"your\".".into(),
        );
        return 0.0;
    }
    let detail = format!("Says \"you\"/\"your\" {count}×");
    f.strength(format!("Speaks to the reader ({detail})"));
    f.signal("personalization", "Personalization", true, detail);
    if count == 1 {
        20.0
    } else {
        30.0
    }
}

/// Numbers, units and prices that make a claim concrete. Up to 35 points.
fn specificity(f: &mut Findings, all: &WordSet, all_text: &str) -> f64 {
    let numbers: Vec<String> = all
        .words()
        .iter()
        .filter(|w| starts_with_digit(w))
        .cloned()
        .collect();
    let concrete = !all.found(UNITS).is_empty() || all_text.contains(['%', '$', '€', '£']);
    if numbers.is_empty() {
        f.signal(
            "specificity",
            "Specificity",
            false,
            "No numbers, prices or measurable claims".into(),
        );
        f.weakness(
            "No concrete numbers or specifics".into(),
            "Add a concrete number: a price, a percentage, a time saved or a customer count."
                .into(),
        );
        return if concrete { 5.0 } else { 0.0 };
    }
    let list = quoted_list(&numbers);
    f.signal(
        "specificity",
        "Specificity",
        true,
        format!("Numbers {list}"),
    );
    f.strength(format!("Concrete specifics: {list}"));
    f64::min(15.0 * numbers.len() as f64, 30.0) + if concrete { 5.0 } else { 0.0 }
}

/// Format rules with no score of their own: headline length and presence, emoji etiquette.
fn format_checks(
    f: &mut Findings,
    headline: Option<&str>,
    all_text: &str,
    platform: ContentPlatform,
) {
    let limits = platform.limits();
    let name = platform.label();
    match (headline, limits.max_headline_chars) {
        (Some(h), Some(max)) if text::char_count(h) > max => f.weakness(
            format!(
                "The headline is {} characters; {name} allows {max}",
                text::char_count(h)
            ),
            format!("Shorten the headline to {max} characters or fewer."),
        ),
        (None, Some(max)) if HEADLINE_REQUIRED.contains(&platform) => f.weakness(
            format!("No headline, which {name} needs"),
            format!("Add a headline of up to {max} characters that states the main benefit."),
        ),
        _ => {}
    }
    if !limits.emoji && text::emoji_count(all_text) > 0 {
        f.weakness(
            format!("Emoji on {name}, where they are not customary"),
            format!("Remove the emoji to keep {name}'s {} tone.", limits.tone),
        );
    }
}

/// Turns compliance issues into weaknesses with fixes.
fn compliance_advice(f: &mut Findings, report: &ComplianceReport, guidelines: &BrandGuidelines) {
    if !report.banned_words_found.is_empty() {
        let list = quoted_list(&report.banned_words_found);
        f.weakness(
            format!("Uses banned words: {list}"),
            format!("Remove or replace the banned words: {list}."),
        );
    }
    if report.tone_matches == Some(false) {
        let asked = guidelines.required_tone.as_deref().unwrap_or("").trim();
        let examples = canonical_tone(asked)
            .and_then(|t| TONES.iter().find(|(name, _)| *name == t))
            .map(|(_, list)| list.iter().take(4).copied().collect::<Vec<_>>().join(", "))
            .unwrap_or_default();
        let voice = guidelines
            .voice
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| format!(" Brand voice: {v}."))
            .unwrap_or_default();
        let weakness = report.issues.last().cloned().unwrap_or_default();
        f.weakness(
            weakness,
            format!("Rewrite in a {asked} tone, with words like {examples}.{voice}"),
        );
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn starts_with_digit(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
}

/// Drops repeats, keeping the first of each.
fn dedup(items: &mut Vec<String>) {
    let mut seen: Vec<String> = Vec::new();
    items.retain(|item| {
        let new = !seen.contains(item);
        if new {
            seen.push(item.clone());
        }
        new
    });
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A 0–100 score from a raw sum.
fn score(raw: f64) -> u8 {
    raw.round().clamp(0.0, 100.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRONG: &str =
        "Tired of slow mornings? Our 5-minute espresso kit saves you 20 minutes a \
                          day. Trusted by 12,000 customers. Order today — 20% off ends Sunday. \
                          Shop now.";
    const WEAK: &str = "We sell coffee products.";

    fn copy(body: &str, platform: ContentPlatform) -> CreativeInput {
        CreativeInput {
            headline: None,
            body: body.into(),
            cta: None,
            platform,
        }
    }

    fn signal<'a>(analysis: &'a CreativeAnalysis, key: &str) -> &'a Signal {
        analysis.signals.iter().find(|s| s.key == key).expect(key)
    }

    fn all_scores(s: &AidaScores) -> [u8; 5] {
        [s.attention, s.interest, s.desire, s.action, s.overall]
    }

    #[test]
    fn strong_copy_beats_weak_copy_overall_and_on_desire_and_action() {
        for platform in [
            ContentPlatform::Facebook,
            ContentPlatform::X,
            ContentPlatform::Instagram,
        ] {
            let strong = analyze(&copy(STRONG, platform), None).scores;
            let weak = analyze(&copy(WEAK, platform), None).scores;
            assert!(
                strong.overall >= weak.overall + 40,
                "{platform:?}: {strong:?} vs {weak:?}"
            );
            assert!(
                strong.action >= weak.action + 50,
                "{platform:?}: {strong:?} vs {weak:?}"
            );
            assert!(
                strong.desire >= weak.desire + 50,
                "{platform:?}: {strong:?} vs {weak:?}"
            );
            assert!(
                strong.attention > weak.attention,
                "{platform:?}: {strong:?} vs {weak:?}"
            );
            assert!(
                strong.interest > weak.interest,
                "{platform:?}: {strong:?} vs {weak:?}"
            );
        }
    }

    #[test]
    fn strong_copy_shows_its_evidence() {
        let a = analyze(&copy(STRONG, ContentPlatform::Facebook), None);
        for key in [
            "hook",
            "benefits",
            "social_proof",
            "urgency",
            "call_to_action",
            "readability",
            "length",
            "personalization",
            "specificity",
        ] {
            assert!(signal(&a, key).found, "{key}: {:?}", signal(&a, key));
        }
        assert!(signal(&a, "social_proof").detail.contains("trusted by"));
        assert!(signal(&a, "social_proof")
            .detail
            .contains("12,000 customers"));
        assert!(signal(&a, "benefits").detail.contains("20% off"));
        assert!(signal(&a, "hook").detail.contains("a question"));
        assert!(signal(&a, "call_to_action").detail.contains("Order today"));
        assert!(a.weaknesses.is_empty(), "{:?}", a.weaknesses);
    }

    #[test]
    fn weak_copy_gets_a_recommendation_for_every_weakness() {
        let a = analyze(&copy(WEAK, ContentPlatform::Facebook), None);
        assert!(a.weaknesses.len() >= 5, "{:?}", a.weaknesses);
        assert_eq!(a.weaknesses.len(), a.recommendations.len());
        assert!(a.recommendations.iter().all(|r| !r.is_empty()));
        for key in [
            "hook",
            "benefits",
            "social_proof",
            "urgency",
            "call_to_action",
        ] {
            assert!(!signal(&a, key).found, "{key}");
        }
    }

    #[test]
    fn removing_the_cta_lowers_action_and_asks_for_one() {
        let body = "Tired of slow mornings? Our 5-minute espresso kit saves you 20 minutes a day. \
                    Trusted by 12,000 customers. 20% off ends Sunday.";
        let with = CreativeInput {
            cta: Some("Shop now".into()),
            ..copy(body, ContentPlatform::Facebook)
        };
        let without = copy(body, ContentPlatform::Facebook);
        let (with, without) = (analyze(&with, None), analyze(&without, None));
        assert!(
            without.scores.action + 40 <= with.scores.action,
            "{:?} {:?}",
            with.scores,
            without.scores
        );
        assert!(without.scores.overall < with.scores.overall);
        let asks = |a: &CreativeAnalysis| {
            a.recommendations
                .iter()
                .any(|r| r.contains("call to action"))
        };
        assert!(asks(&without), "{:?}", without.recommendations);
        assert!(!asks(&with), "{:?}", with.recommendations);
    }

    #[test]
    fn a_cta_verb_buried_mid_sentence_is_not_a_clear_call_to_action() {
        let buried = analyze(
            &copy("You can shop our coffee online.", ContentPlatform::Facebook),
            None,
        );
        let clear = analyze(
            &copy("Great coffee. Shop online.", ContentPlatform::Facebook),
            None,
        );
        assert!(!signal(&buried, "call_to_action").found);
        assert!(signal(&clear, "call_to_action").found);
        assert!(buried.scores.action < clear.scores.action);
        assert!(buried.weaknesses.iter().any(|w| w.contains("buried")));
    }

    #[test]
    fn copy_over_the_x_limit_is_flagged_and_penalised() {
        let long = format!("{STRONG} {STRONG}");
        assert!(long.chars().count() > 280);
        let over = analyze(&copy(&long, ContentPlatform::X), None);
        let fits = analyze(&copy(STRONG, ContentPlatform::X), None);
        assert_eq!(over.max_length, 280);
        assert!(over.length > 280);
        assert!(!signal(&over, "length").found);
        let flagged = over
            .weaknesses
            .iter()
            .position(|w| w.contains("280"))
            .expect("flagged");
        assert!(over.recommendations[flagged].contains("Cut at least"));
        assert!(
            over.scores.overall * 2 <= fits.scores.overall + 1,
            "{:?} vs {:?}",
            over.scores,
            fits.scores
        );
    }

    #[test]
    fn long_copy_within_the_limit_is_a_milder_weakness() {
        let long = format!("{STRONG} {STRONG} {STRONG}");
        let a = analyze(&copy(&long, ContentPlatform::Facebook), None);
        assert!(a
            .weaknesses
            .iter()
            .any(|w| w.starts_with("Long for Facebook")));
        assert!(a.scores.overall > 50, "{:?}", a.scores);
    }

    #[test]
    fn headline_rules_follow_the_platform() {
        let mut input = copy(
            "Save 20% on espresso kits. Shop now.",
            ContentPlatform::GoogleAds,
        );
        let missing = analyze(&input, None);
        assert!(missing.weaknesses.iter().any(|w| w.contains("No headline")));
        input.headline = Some("Espresso kits for busy mornings, delivered".into());
        let too_long = analyze(&input, None);
        assert!(too_long
            .weaknesses
            .iter()
            .any(|w| w.contains("Google Ads allows 30")));
        input.headline = Some("Espresso in 5 minutes?".into());
        let good = analyze(&input, None);
        assert!(
            !good.weaknesses.iter().any(|w| w.contains("headline")),
            "{:?}",
            good.weaknesses
        );
        assert!(good.scores.attention > missing.scores.attention);
    }

    #[test]
    fn emoji_help_where_customary_and_are_flagged_where_not() {
        let body = "☕ Better mornings start here. Shop now.";
        let insta = analyze(&copy(body, ContentPlatform::Instagram), None);
        let linkedin = analyze(&copy(body, ContentPlatform::Linkedin), None);
        assert!(signal(&insta, "hook").detail.contains("emoji"));
        assert!(!insta.weaknesses.iter().any(|w| w.contains("Emoji")));
        assert!(linkedin
            .weaknesses
            .iter()
            .any(|w| w.contains("Emoji on LinkedIn")));
    }

    #[test]
    fn testimonials_and_ratings_count_as_social_proof() {
        let a = analyze(
            &copy(
                "“Best coffee I've ever had,” says Ana. ★★★★★",
                ContentPlatform::Facebook,
            ),
            None,
        );
        let proof = signal(&a, "social_proof");
        assert!(proof.found);
        assert!(proof.detail.contains("testimonial"));
        assert!(proof.detail.contains('★'));
        let plain = analyze(
            &copy("People like coffee.", ContentPlatform::Facebook),
            None,
        );
        assert!(
            !signal(&plain, "social_proof").found,
            "an unnumbered crowd is not proof"
        );
    }

    #[test]
    fn banned_words_are_found_in_any_case_on_word_boundaries() {
        let guidelines = BrandGuidelines {
            banned_words: vec!["cheap".into(), "Guaranteed results".into(), "  ".into()],
            ..Default::default()
        };
        let report = check_compliance("CHEAP coffee, guaranteed RESULTS!", &guidelines);
        assert!(!report.compliant);
        assert_eq!(
            report.banned_words_found,
            vec!["cheap", "Guaranteed results"]
        );
        assert_eq!(report.issues.len(), 2);

        let clean = check_compliance("Cheaper than ever, results guaranteed.", &guidelines);
        assert!(clean.compliant, "{clean:?}");
        assert!(clean.banned_words_found.is_empty());
        assert_eq!(clean.tone_matches, None, "no tone was required");
    }

    #[test]
    fn banned_words_in_the_headline_or_cta_make_the_analysis_non_compliant() {
        let guidelines = BrandGuidelines {
            banned_words: vec!["Cheap".into()],
            ..Default::default()
        };
        let input = CreativeInput {
            headline: Some("Fresh coffee".into()),
            body: "Our beans are roasted daily.".into(),
            cta: Some("Buy cheap".into()),
            platform: ContentPlatform::Facebook,
        };
        let a = analyze(&input, Some(&guidelines));
        let report = a.compliance.as_ref().expect("report");
        assert!(!report.compliant);
        assert_eq!(report.banned_words_found, vec!["Cheap"]);
        let i = a
            .weaknesses
            .iter()
            .position(|w| w.contains("banned"))
            .expect("weakness");
        assert!(a.recommendations[i].contains("\"Cheap\""));
        assert!(analyze(&input, None).compliance.is_none());
    }

    #[test]
    fn tone_is_detected_and_checked_against_the_guidelines() {
        let friendly = "Hey friends! We'd love to welcome you. Enjoy an easy, happy morning.";
        let formal = "Our enterprise solution improves productivity and ROI for business teams.";
        assert_eq!(detect_tone(friendly), Some("friendly"));
        assert_eq!(detect_tone(formal), Some("professional"));
        assert_eq!(detect_tone("Coffee beans."), None);

        let wants = |tone: &str| BrandGuidelines {
            required_tone: Some(tone.into()),
            voice: Some("A knowledgeable friend".into()),
            ..Default::default()
        };
        let ok = check_compliance(friendly, &wants("Friendly"));
        assert_eq!((ok.compliant, ok.tone_matches), (true, Some(true)));
        let synonym = check_compliance(friendly, &wants("warm"));
        assert_eq!(synonym.tone_matches, Some(true));
        let off = check_compliance(formal, &wants("playful"));
        assert_eq!(off.tone.as_deref(), Some("professional"));
        assert_eq!((off.compliant, off.tone_matches), (false, Some(false)));
        let unknown = check_compliance(formal, &wants("mysterious"));
        assert_eq!((unknown.compliant, unknown.tone_matches), (true, None));
        let neutral = check_compliance("Coffee beans, roasted on Monday.", &wants("friendly"));
        assert_eq!((neutral.compliant, neutral.tone_matches), (true, None), "no tone words: not judged");

        let input = copy(formal, ContentPlatform::Linkedin);
        let a = analyze(&input, Some(&wants("playful")));
        let i = a
            .weaknesses
            .iter()
            .position(|w| w.contains("Reads as professional"))
            .expect("tone");
        assert!(a.recommendations[i].contains("playful"));
        assert!(a.recommendations[i].contains("A knowledgeable friend"));
    }

    #[test]
    fn analysis_is_deterministic() {
        let input = CreativeInput {
            headline: Some("Mornings, fixed".into()),
            body: STRONG.into(),
            cta: Some("Shop now".into()),
            platform: ContentPlatform::Linkedin,
        };
        let guidelines = BrandGuidelines {
            banned_words: vec!["slow".into()],
            ..Default::default()
        };
        let first = analyze(&input, Some(&guidelines));
        for _ in 0..5 {
            assert_eq!(analyze(&input, Some(&guidelines)), first);
        }
    }

    #[test]
    fn scores_stay_within_0_to_100_for_any_input() {
        let bodies = [
            String::new(),
            "   ".into(),
            WEAK.into(),
            STRONG.into(),
            STRONG.repeat(40),
            "!!! ??? ★★★ 🚀🚀🚀".into(),
            "You you you your yours! Now now now today today! Free free save get results! \
             Trusted by 1 2 3 4 5 6 7 8 9 customers ★★★★★ “Great great great stuff”. Shop now!"
                .into(),
        ];
        for body in &bodies {
            for platform in ContentPlatform::ALL {
                let input = CreativeInput {
                    headline: Some("Why wait? Get 50% off today".into()),
                    body: body.clone(),
                    cta: Some("Buy now".into()),
                    platform,
                };
                let a = analyze(&input, None);
                assert!(
                    all_scores(&a.scores).iter().all(|&s| s <= 100),
                    "{platform:?} {:?}",
                    a.scores
                );
                assert!((0.0..=100.0).contains(&a.readability));
                assert_eq!(a.weaknesses.len(), a.recommendations.len());
                assert_eq!(a.signals.len(), 9);
            }
        }
    }

    #[test]
    fn serializes_with_snake_case_names() {
        let a = analyze(&copy(WEAK, ContentPlatform::GoogleAds), None);
        let json = serde_json::to_value(&a).unwrap();
        assert!(json["scores"]["overall"].is_u64());
        assert_eq!(json["max_length"], 90);
        let input: CreativeInput = serde_json::from_str(
            r#"{"headline":null,"body":"Hi","cta":null,"platform":"google_ads"}"#,
        )
        .unwrap();
        assert_eq!(input.platform, ContentPlatform::GoogleAds);
    }
}
