//! VOICE: one piece of content turned into a ready-to-paste variant per platform.
//!
//! Extractive and deterministic: it picks, orders and trims the source's own sentences rather
//! than writing new ones, so nothing is invented, the result always fits the platform, and the
//! same input always gives the same output.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::channels::{ChannelLimits, ContentPlatform};
use super::creative::{BrandGuidelines, BENEFIT_PHRASES, CTA_PHRASES, URGENCY_PHRASES};
use super::text::{self, WordSet};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepurposeInput {
    pub content: String,
    pub title: Option<String>,
    pub platforms: Vec<ContentPlatform>,
    /// Suggested hashtags, without '#'. When empty, hashtags come from the content.
    pub hashtags: Vec<String>,
    pub guidelines: Option<BrandGuidelines>,
    pub link: Option<String>,
}

/// One platform's version. `body` is the complete post — copy, link and hashtags — so `length`
/// is exactly what the platform counts against `max_length`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub platform: ContentPlatform,
    /// Headline, subject line or title, for platforms that have one.
    pub headline: Option<String>,
    pub body: String,
    /// The hashtags appended to `body`, without '#'.
    pub hashtags: Vec<String>,
    pub length: usize,
    pub max_length: usize,
    pub within_limits: bool,
    /// How copy should sound on this platform.
    pub tone: String,
    /// What was changed and why.
    pub notes: Vec<String>,
}

/// Shortest copy worth posting: below this, hashtags and links give way to the words.
const MIN_BODY: usize = 60;

/// Hashtags taken from the content's own words are a guess, so use only a few.
const DERIVED_TAGS: usize = 3;

/// Words too common to be a hashtag.
#[rustfmt::skip]
const STOPWORDS: &[&str] = &[
    "about", "after", "again", "also", "because", "been", "before", "being", "between", "both",
    "could", "does", "doing", "down", "during", "each", "even", "every", "from", "further",
    "have", "having", "here", "into", "just", "like", "made", "make", "more", "most", "much",
    "must", "only", "other", "over", "same", "should", "some", "such", "than", "that", "their",
    "them", "then", "there", "these", "they", "this", "those", "through", "under", "until", "very",
    "want", "were", "what", "when", "where", "which", "while", "will", "with", "would", "your",
    "yours", "ours", "today", "now", "that's", "it's", "get", "gets", "need", "many", "well",
    "still", "know", "take", "come", "back", "first", "last", "next", "ever", "never", "always",
];

/// Words a cut headline should not end on.
#[rustfmt::skip]
const DANGLING: &[&str] = &[
    "a", "an", "and", "at", "but", "by", "for", "from", "in", "of", "on", "or", "our", "the",
    "to", "with", "your", "&",
];

/// One variant per requested platform, in the order requested.
pub fn repurpose(input: &RepurposeInput) -> Vec<Variant> {
    let source = Source::new(input);
    input
        .platforms
        .iter()
        .map(|&platform| variant(platform, &source))
        .collect()
}

/// The content once, cleaned of what no platform may carry.
struct Source {
    /// Banned words removed, hashtag marks removed, whitespace tidied.
    content: String,
    title: Option<String>,
    /// The banned words that were removed, as the guidelines spell them.
    removed: Vec<String>,
    tags: Vec<String>,
    /// Whether `tags` were derived from frequent words rather than given.
    derived: bool,
    link: Option<String>,
}

impl Source {
    fn new(input: &RepurposeInput) -> Self {
        let banned: Vec<&str> = input
            .guidelines
            .iter()
            .flat_map(|g| g.banned_words.iter())
            .map(|w| w.trim())
            .filter(|w| !w.is_empty())
            .collect();
        let mut removed = Vec::new();
        let inline_tags = text::hashtags(&input.content);
        let content = drop_hashtags(&input.content, &banned);
        let content = tidy(&remove_banned(
            &text::unhashtag(&content),
            &banned,
            &mut removed,
        ));
        let title = input
            .title
            .as_deref()
            .map(|t| tidy(&remove_banned(&text::unhashtag(t), &banned, &mut removed)))
            .filter(|t| !t.is_empty());
        let (tags, derived) = hashtag_candidates(&input.hashtags, &inline_tags, &content, &banned);
        let link = input
            .link
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from);
        Self {
            content,
            title,
            removed,
            tags,
            derived,
            link,
        }
    }
}

fn variant(platform: ContentPlatform, source: &Source) -> Variant {
    let limits = platform.limits();
    let name = platform.label();
    let mut notes = Vec::new();
    if !source.removed.is_empty() {
        notes.push(format!(
            "Removed banned words: {}",
            source.removed.join(", ")
        ));
    }

    let (content, title) = adapt_characters(platform, &limits, source, &mut notes);
    let sentences = text::sentences(&content);
    let (headline, headline_is_hook) = headline(
        &limits,
        title.as_deref(),
        sentences.first().copied(),
        &mut notes,
    );
    let link = link_for(platform, &limits, source.link.as_deref(), &mut notes);
    let mut tags = hashtags_for(platform, &limits, source, &mut notes);

    // The copy aims at the ideal length; the link and hashtags come on top, and together they
    // must fit the hard limit. Hashtags give way when they would squeeze the copy too far.
    let min_body = MIN_BODY.min(limits.ideal_chars / 2);
    // Characters the link and hashtags add, separators included (rendered around a 1-char copy).
    let tail = |tags: &[String]| text::char_count(&render(platform, "x", link, tags)) - 1;
    let offered = tags.len();
    while limits.max_chars.saturating_sub(tail(&tags)) < min_body && !tags.is_empty() {
        tags.pop();
    }
    if tags.len() < offered {
        notes.push(format!(
            "Dropped {} hashtags to leave room for the copy",
            offered - tags.len()
        ));
    }
    let budget = limits
        .ideal_chars
        .min(limits.max_chars.saturating_sub(tail(&tags)));

    let ellipsis = if platform == ContentPlatform::Sms {
        "..."
    } else {
        "…"
    };
    // Google Ads shows headline and description side by side: don't say the opening twice.
    let skip_hook = platform == ContentPlatform::GoogleAds && headline_is_hook;
    let copy = fit(&content, &sentences, budget, skip_hook, ellipsis);
    let body = render(platform, &copy, link, &tags);

    let (copy_len, source_len) = (text::char_count(&copy), text::char_count(&content));
    if copy_len < source_len {
        let total = text::char_count(&body);
        notes.push(format!(
            "Shortened from {source_len} to {total} characters for {name}"
        ));
    } else {
        notes.push(format!("Kept the full text ({source_len} characters)"));
    }

    let length = text::char_count(&body);
    let headline_fits = match (&headline, limits.max_headline_chars) {
        (Some(h), Some(max)) => text::char_count(h) <= max,
        (Some(_), None) => false,
        (None, _) => true,
    };
    Variant {
        platform,
        headline,
        within_limits: length <= limits.max_chars
            && headline_fits
            && tags.len() <= limits.max_hashtags,
        body,
        hashtags: tags,
        length,
        max_length: limits.max_chars,
        tone: limits.tone.to_string(),
        notes,
    }
}

/// Content and title in the characters the platform takes: no emoji where they aren't
/// customary, plain punctuation for SMS (curly quotes and dashes force a shorter encoding).
fn adapt_characters(
    platform: ContentPlatform,
    limits: &ChannelLimits,
    source: &Source,
    notes: &mut Vec<String>,
) -> (String, Option<String>) {
    let mut content = source.content.clone();
    let mut title = source.title.clone();
    let mut adapt = |change: fn(&str) -> String, note: String| {
        let new_content = tidy(&change(&content));
        let new_title = title
            .as_deref()
            .map(|t| tidy(&change(t)))
            .filter(|t| !t.is_empty());
        if new_content != content || new_title != title {
            notes.push(note);
        }
        content = new_content;
        title = new_title;
    };
    if !limits.emoji {
        adapt(
            text::strip_emoji,
            format!("Removed emoji: not customary on {}", platform.label()),
        );
    }
    if platform == ContentPlatform::Sms {
        adapt(
            plain_punctuation,
            "Replaced typographic punctuation to keep to plain SMS characters".into(),
        );
    }
    (content, title)
}

/// The headline for platforms that show one: the title, else the opening sentence, cut at a word
/// boundary. The flag says whether it came from the opening sentence.
fn headline(
    limits: &ChannelLimits,
    title: Option<&str>,
    first_sentence: Option<&str>,
    notes: &mut Vec<String>,
) -> (Option<String>, bool) {
    let Some(max) = limits.max_headline_chars else {
        return (None, false);
    };
    let (source, from_hook) = match (title, first_sentence) {
        (Some(t), _) => (t, false),
        (None, Some(s)) => (s.trim_end_matches('.'), true),
        (None, None) => return (None, false),
    };
    let mut headline = text::truncate_with(source, max, "");
    if headline != source {
        // A cut headline shouldn't end on "and" or "the".
        while let Some((rest, last)) = headline.rsplit_once(' ') {
            if !DANGLING.contains(&last.to_lowercase().as_str()) {
                break;
            }
            headline = rest
                .trim_end_matches([',', ';', ':', '-', '–', '—'])
                .to_string();
        }
        notes.push(format!(
            "Headline cut to {} characters (limit {max})",
            text::char_count(&headline)
        ));
    }
    let origin = if from_hook {
        "the opening sentence"
    } else {
        "the title"
    };
    notes.push(format!("Headline from {origin}"));
    (Some(headline), from_hook)
}

/// The link, where the platform takes it in the copy and it leaves room for words.
fn link_for<'a>(
    platform: ContentPlatform,
    limits: &ChannelLimits,
    link: Option<&'a str>,
    notes: &mut Vec<String>,
) -> Option<&'a str> {
    let link = link?;
    if platform == ContentPlatform::GoogleAds {
        notes.push("The link goes in the ad's final URL, not the description".into());
        return None;
    }
    let min_body = MIN_BODY.min(limits.ideal_chars / 2);
    if text::char_count(link) + 2 + min_body > limits.max_chars {
        notes.push(format!(
            "Left out the link: at {} characters it leaves no room for the copy",
            text::char_count(link)
        ));
        return None;
    }
    Some(link)
}

/// The hashtags this platform gets: none where they aren't used, otherwise up to its limit.
fn hashtags_for(
    platform: ContentPlatform,
    limits: &ChannelLimits,
    source: &Source,
    notes: &mut Vec<String>,
) -> Vec<String> {
    let name = platform.label();
    if source.tags.is_empty() {
        return Vec::new();
    }
    if limits.max_hashtags == 0 {
        notes.push(format!("No hashtags: not used on {name}"));
        return Vec::new();
    }
    let cap = if source.derived {
        limits.max_hashtags.min(DERIVED_TAGS)
    } else {
        limits.max_hashtags
    };
    let tags: Vec<String> = source.tags.iter().take(cap).cloned().collect();
    if source.derived {
        let list = tags
            .iter()
            .map(|t| format!("#{t}"))
            .collect::<Vec<_>>()
            .join(" ");
        notes.push(format!(
            "Hashtags from the content's most frequent words: {list}"
        ));
    } else if source.tags.len() > tags.len() {
        notes.push(format!(
            "Kept {} of {} hashtags: {name} allows {}",
            tags.len(),
            source.tags.len(),
            limits.max_hashtags
        ));
    }
    tags
}

/// Given hashtags first, then the content's own; without either, its most frequent words.
/// Tags containing a banned word are dropped, even inside a compound ("#CheapCoffee").
fn hashtag_candidates(
    given: &[String],
    inline: &[String],
    content: &str,
    banned: &[&str],
) -> (Vec<String>, bool) {
    let banned_squashed: Vec<String> = banned
        .iter()
        .map(|b| squash(b))
        .filter(|b| !b.is_empty())
        .collect();
    let mut tags: Vec<String> = Vec::new();
    for tag in given
        .iter()
        .map(|t| clean_tag(t))
        .chain(inline.iter().cloned())
    {
        let key = tag.to_lowercase();
        let repeat = tags.iter().any(|t| t.to_lowercase() == key);
        let is_banned = banned_squashed
            .iter()
            .any(|b| squash(&tag).contains(b.as_str()));
        if !tag.is_empty() && !repeat && !is_banned {
            tags.push(tag);
        }
    }
    if !tags.is_empty() {
        return (tags, false);
    }
    (frequent_words(content, DERIVED_TAGS), true)
}

/// A suggested hashtag as a tag: no '#', and "spring sale" becomes "SpringSale".
fn clean_tag(tag: &str) -> String {
    let parts: Vec<&str> = tag
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() == 1 {
        return parts[0].to_string();
    }
    parts
        .iter()
        .map(|p| {
            let mut chars = p.chars();
            chars
                .next()
                .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
        })
        .collect()
}

/// Lowercase letters and digits only, to find a banned word inside a compound hashtag.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The `n` most frequent meaningful words (4+ letters, not stop words); ties go to the word
/// that appears first.
fn frequent_words(content: &str, n: usize) -> Vec<String> {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let words = WordSet::new(content);
    for (i, w) in words.words().iter().enumerate() {
        let meaningful = w.chars().count() >= 4
            && w.chars().all(char::is_alphabetic)
            && !STOPWORDS.contains(&w.as_str());
        if meaningful {
            counts.entry(w.as_str()).or_insert((0, i)).0 += 1;
        }
    }
    let mut ranked: Vec<(&str, (usize, usize))> = counts.into_iter().collect();
    ranked.sort_by_key(|&(_, (count, first))| (Reverse(count), first));
    ranked
        .into_iter()
        .take(n)
        .map(|(w, _)| w.to_string())
        .collect()
}

/// The copy for a budget: the whole content when it fits; otherwise the opening sentence (the
/// hook) plus the highest-ranked sentences that fit, in their original order; failing that, the
/// best sentence cut at a word boundary.
fn fit(
    content: &str,
    sentences: &[&str],
    budget: usize,
    skip_hook: bool,
    ellipsis: &str,
) -> String {
    if text::char_count(content) <= budget {
        return content.to_string();
    }
    let order = ranked(sentences, skip_hook);
    let mut picked: Vec<usize> = Vec::new();
    let mut used = 0;
    for &i in &order {
        // Repeated sentences are said once.
        if picked.iter().any(|&j| sentences[j] == sentences[i]) {
            continue;
        }
        let len = text::char_count(sentences[i]) + usize::from(!picked.is_empty());
        if used + len <= budget {
            picked.push(i);
            used += len;
        }
    }
    if picked.is_empty() {
        return order.first().map_or(String::new(), |&i| {
            text::truncate_with(sentences[i], budget, ellipsis)
        });
    }
    picked.sort_unstable();
    picked
        .iter()
        .map(|&i| sentences[i])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sentence indexes best first: the opening (unless skipped, then last), then by how much each
/// sentence sells, ties in reading order.
fn ranked(sentences: &[&str], skip_hook: bool) -> Vec<usize> {
    if sentences.is_empty() {
        return Vec::new();
    }
    let mut rest: Vec<usize> = (1..sentences.len()).collect();
    rest.sort_by_key(|&i| (Reverse(selling_points(sentences[i])), i));
    if skip_hook {
        rest.push(0);
        rest
    } else {
        std::iter::once(0).chain(rest).collect()
    }
}

/// How much a sentence sells: benefits weigh most, then numbers, then "you", a CTA, urgency.
fn selling_points(sentence: &str) -> usize {
    let w = WordSet::new(sentence);
    let benefits = w.found(BENEFIT_PHRASES).len();
    let number = w
        .words()
        .iter()
        .any(|x| x.starts_with(|c: char| c.is_ascii_digit()));
    let you = w.contains("you") || w.contains("your");
    let cta = CTA_PHRASES.iter().any(|p| w.starts_with(p));
    let urgent = !w.found(URGENCY_PHRASES).is_empty();
    3 * benefits
        + 2 * usize::from(number)
        + usize::from(you)
        + usize::from(cta)
        + usize::from(urgent)
}

/// The post as pasted: copy, then link, then hashtags, each in its own paragraph; an SMS is a
/// single line with the link at the end.
fn render(platform: ContentPlatform, copy: &str, link: Option<&str>, tags: &[String]) -> String {
    let tag_line = tags
        .iter()
        .map(|t| format!("#{t}"))
        .collect::<Vec<_>>()
        .join(" ");
    let separator = if platform == ContentPlatform::Sms {
        " "
    } else {
        "\n\n"
    };
    [copy.trim(), link.unwrap_or(""), tag_line.as_str()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(separator)
}

/// `text` without the hashtags that would repeat or break the rules: a trailing run of tags
/// (they become the hashtag list) and any tag containing a banned word. Hashtags inside a
/// sentence stay, to lose only their '#'.
fn drop_hashtags(text: &str, banned: &[&str]) -> String {
    let banned: Vec<String> = banned
        .iter()
        .map(|b| squash(b))
        .filter(|b| !b.is_empty())
        .collect();
    let spans: Vec<(usize, usize)> = text::hashtag_spans(text)
        .into_iter()
        .filter(|&(start, end)| {
            let rest_of_line = text[end..].split('\n').next().unwrap_or("");
            let trailing = rest_of_line.split_whitespace().all(|w| w.starts_with('#'));
            let tag = squash(&text[start..end]);
            trailing || banned.iter().any(|b| tag.contains(b.as_str()))
        })
        .collect();
    cut(text, &spans)
}

/// `text` with every banned word or phrase removed. Removal repeats until none is left, because
/// taking one out can bring another together ("free free trial trial").
fn remove_banned(text: &str, banned: &[&str], removed: &mut Vec<String>) -> String {
    let mut out = text.to_string();
    for &word in banned {
        loop {
            let spans = text::find_phrase(&out, word);
            if spans.is_empty() {
                break;
            }
            if !removed.iter().any(|r| r.eq_ignore_ascii_case(word)) {
                removed.push(word.to_string());
            }
            out = cut(&out, &spans);
        }
    }
    out
}

/// `text` without the given byte ranges, keeping sentences readable: a removed sentence opener
/// takes its trailing punctuation along and the next word is capitalised ("Cheap! Great coffee"
/// → "Great coffee"); a removed adjective takes its comma ("the cheap, fast" → "the fast").
fn cut(text: &str, spans: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut capitalize = false;
    for &(start, end) in spans {
        push_segment(&mut out, &text[last..start], &mut capitalize);
        let kept = out.trim_end_matches([' ', '\t']).len();
        out.truncate(kept);
        let at_sentence_start = out.is_empty() || out.ends_with(['.', '!', '?', '…', '\n', ':']);
        let rest = &text[end..];
        let skip = if at_sentence_start {
            let trailing = [' ', '\t', ',', ';', ':', '-', '–', '—', '.', '!', '?', '…'];
            rest.len() - rest.trim_start_matches(trailing).len()
        } else if out.ends_with(char::is_alphanumeric) && rest.starts_with(',') {
            1
        } else {
            0
        };
        if at_sentence_start {
            capitalize = true;
            if !out.is_empty() && !out.ends_with('\n') {
                out.push(' ');
            }
        }
        last = end + skip;
    }
    push_segment(&mut out, &text[last..], &mut capitalize);
    out
}

fn push_segment(out: &mut String, segment: &str, capitalize: &mut bool) {
    if !*capitalize {
        out.push_str(segment);
        return;
    }
    match segment.char_indices().find(|(_, c)| !c.is_whitespace()) {
        Some((i, c)) => {
            out.push_str(&segment[..i]);
            out.extend(c.to_uppercase());
            out.push_str(&segment[i + c.len_utf8()..]);
            *capitalize = false;
        }
        None => out.push_str(segment),
    }
}

/// Single spaces, no space before punctuation, no doubled commas, at most one blank line between
/// paragraphs, no blank lines at either end.
fn tidy(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines().map(tidy_line) {
        let blank_run = line.is_empty() && lines.last().is_none_or(|l| l.is_empty());
        if !blank_run {
            lines.push(line);
        }
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

fn tidy_line(line: &str) -> String {
    const CLOSING: &str = ",.;:!?";
    let spaced = line.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = spaced.chars().collect();
    let mut out = String::with_capacity(spaced.len());
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let after = chars.get(i + 2).copied();
        // "coffee , fast" → "coffee, fast", but ".NET" and "? !" stay readable.
        let space_before_closing = c == ' '
            && next.is_some_and(|n| CLOSING.contains(n))
            && after.is_none_or(|a| a == ' ' || CLOSING.contains(a));
        let doubled_comma = c == ',' && next.is_some_and(|n| CLOSING.contains(n));
        if !space_before_closing && !doubled_comma {
            out.push(c);
        }
    }
    out.trim_start_matches([',', ';', ':', ' ']).to_string()
}

/// Typographic quotes, dashes and ellipses as plain characters.
fn plain_punctuation(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '‘' | '’' => out.push('\''),
            '“' | '”' => out.push('"'),
            '–' | '—' => out.push('-'),
            '…' => out.push_str("..."),
            '\u{a0}' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brain::creative::check_compliance;

    const LINK: &str = "https://omnify.example/espresso-kit";

    /// Just over 2,000 characters of blog-style copy with numbers, benefits and a call to action.
    fn long_content() -> String {
        [
            "Mornings are hectic, and most coffee routines make them worse. \
             The kettle is slow, the grinder is loud and the café queue is long. \
             By the time you sit down, the day has already started without you.",
            "Our 5-minute espresso kit saves you 20 minutes a day without a trip to the café. \
             It is trusted by 12,000 customers across 14 countries. \
             The grinder, the scale and the kettle all fit in one drawer — no counter clutter. \
             Every bag of beans is roasted within 48 hours of shipping, so the flavour stays \
             bright. Baristas designed the workflow so anyone can pull a great shot on day one. \
             Cleaning takes under a minute because nothing needs to be descaled.",
            "You get a free tamper and a recipe card with your first order. \
             Subscribers save 15% on every refill and can pause whenever they like. \
             Shipping is free on orders over $40, and returns are free for 30 days. \
             If the kit isn’t for you, send it back and we refund every cent, no questions \
             asked. Our support team answers within 2 hours, seven days a week, by chat or \
             email. Thousands of home baristas share their recipes in our community forum, \
             where beginners get answers from people who were beginners last month. \
             The kit works with any bean, including decaf and single-origin roasts from your \
             local roaster. Pair it with our oat-milk frother for café-style flat whites in \
             under three minutes.",
            "Here is how a typical morning looks with the kit. \
             At 7:00 the kettle heats while you weigh 18 grams of beans. \
             At 7:02 the burr grinder finishes, quietly, without waking the house. \
             At 7:04 you pull a double shot and steam the milk in the same minute. \
             At 7:05 you are drinking better coffee than the café sells for $5. \
             Over a year that adds up to more than 120 hours and roughly $1,500 saved, \
             which is why so many customers call it the best purchase they made all year.",
            "Order today — the launch discount of 20% ends this Sunday. \
             Shop the kit now and make tomorrow morning the easiest one this year. \
             Your future self, and everyone who lives with you, will thank you for it!",
        ]
        .join("\n\n")
    }

    fn input(content: &str, platforms: &[ContentPlatform]) -> RepurposeInput {
        RepurposeInput {
            content: content.into(),
            title: None,
            platforms: platforms.to_vec(),
            hashtags: Vec::new(),
            guidelines: None,
            link: None,
        }
    }

    fn assert_within_limits(v: &Variant) {
        let limits = v.platform.limits();
        assert!(v.within_limits, "{v:#?}");
        assert_eq!(v.length, text::char_count(&v.body), "{:?}", v.platform);
        assert!(
            v.length <= limits.max_chars,
            "{:?}: {} > {}",
            v.platform,
            v.length,
            limits.max_chars
        );
        assert!(v.hashtags.len() <= limits.max_hashtags, "{v:#?}");
        match (limits.max_headline_chars, &v.headline) {
            (Some(max), Some(h)) => assert!(text::char_count(h) <= max, "{v:#?}"),
            (None, Some(_)) => panic!("{:?} has no headline slot", v.platform),
            _ => {}
        }
        if !limits.emoji {
            assert_eq!(text::emoji_count(&v.body), 0, "{v:#?}");
        }
    }

    #[test]
    fn every_variant_fits_its_platform_for_a_long_input() {
        let content = long_content();
        assert!(text::char_count(&content) >= 2_000);
        let full = RepurposeInput {
            title: Some("The espresso kit that gives you your mornings back".into()),
            hashtags: [
                "espresso",
                "coffee",
                "morning routine",
                "barista",
                "homecafe",
                "kit",
            ]
            .map(String::from)
            .to_vec(),
            link: Some(LINK.into()),
            ..input(&content, &ContentPlatform::ALL)
        };
        for case in [full.clone(), input(&content, &ContentPlatform::ALL)] {
            let variants = repurpose(&case);
            assert_eq!(variants.len(), ContentPlatform::ALL.len());
            for (v, p) in variants.iter().zip(ContentPlatform::ALL) {
                assert_eq!(v.platform, p);
                assert!(!v.body.trim().is_empty(), "{p:?}");
                assert_eq!(v.tone, p.limits().tone);
                assert_within_limits(v);
            }
        }
    }

    #[test]
    fn short_platforms_are_shortened_and_long_ones_keep_everything() {
        let content = long_content();
        let variants = repurpose(&input(
            &content,
            &[ContentPlatform::X, ContentPlatform::Blog],
        ));
        let (x, blog) = (&variants[0], &variants[1]);
        assert!(
            x.notes
                .iter()
                .any(|n| n.starts_with("Shortened from") && n.ends_with("for X (Twitter)")),
            "{:?}",
            x.notes
        );
        assert!(
            x.body.starts_with("Mornings are hectic"),
            "the opening is the hook: {}",
            x.body
        );
        assert_eq!(blog.body, content, "the blog keeps every paragraph");
        assert!(blog
            .notes
            .iter()
            .any(|n| n.starts_with("Kept the full text")));
        assert_eq!(
            blog.headline.as_deref(),
            Some("Mornings are hectic, and most coffee routines make them worse")
        );
    }

    #[test]
    fn the_x_variant_fits_280_characters_with_hashtags_and_link() {
        let case = RepurposeInput {
            hashtags: vec!["#espresso".into(), "coffee".into(), "mornings".into()],
            link: Some(LINK.into()),
            ..input(&long_content(), &[ContentPlatform::X])
        };
        let x = &repurpose(&case)[0];
        assert!(x.length <= 280, "{}", x.length);
        assert_eq!(x.hashtags, vec!["espresso", "coffee"]);
        assert!(x.body.ends_with("#espresso #coffee"), "{}", x.body);
        assert!(x.body.contains(LINK));
        assert!(x
            .notes
            .iter()
            .any(|n| n == "Kept 2 of 3 hashtags: X (Twitter) allows 2"));
    }

    #[test]
    fn google_ads_headline_fits_30_characters() {
        let content = long_content();
        let from_title = RepurposeInput {
            title: Some("Espresso at home in five minutes, every single morning".into()),
            link: Some(LINK.into()),
            ..input(&content, &[ContentPlatform::GoogleAds])
        };
        for case in [from_title, input(&content, &[ContentPlatform::GoogleAds])] {
            let ad = &repurpose(&case)[0];
            let headline = ad.headline.as_deref().expect("headline");
            assert!(text::char_count(headline) <= 30, "{headline}");
            assert!(!headline.is_empty());
            let last = headline.rsplit(' ').next().unwrap();
            assert!(
                !DANGLING.contains(&last.to_lowercase().as_str()),
                "{headline}"
            );
            assert!(ad.length <= 90, "{}", ad.body);
            assert!(ad.hashtags.is_empty());
            assert!(
                !ad.body.contains("https://"),
                "the link belongs in the final URL"
            );
        }
    }

    #[test]
    fn sms_includes_the_link_within_160_plain_characters() {
        let case = RepurposeInput {
            link: Some(LINK.into()),
            ..input(&long_content(), &[ContentPlatform::Sms])
        };
        let sms = &repurpose(&case)[0];
        assert!(sms.length <= 160, "{}", sms.length);
        assert!(sms.body.ends_with(LINK), "{}", sms.body);
        assert!(!sms.body.contains(['—', '…', '’', '“']), "{}", sms.body);
        assert!(sms.hashtags.is_empty());

        let too_long = format!("https://omnify.example/{}", "a".repeat(150));
        let case = RepurposeInput {
            link: Some(too_long.clone()),
            ..input("Short and sweet. Reply YES.", &[ContentPlatform::Sms])
        };
        let sms = &repurpose(&case)[0];
        assert!(sms.length <= 160 && !sms.body.contains(&too_long));
        assert!(sms.notes.iter().any(|n| n.starts_with("Left out the link")));
    }

    #[test]
    fn hashtag_counts_respect_each_platform() {
        let many: Vec<String> = (0..40).map(|i| format!("tag{i}")).collect();
        let given = RepurposeInput {
            hashtags: many,
            ..input(&long_content(), &ContentPlatform::ALL)
        };
        for v in repurpose(&given) {
            let max = v.platform.limits().max_hashtags;
            assert!(v.hashtags.len() <= max, "{:?}", v.platform);
            if max > 0 {
                assert!(!v.hashtags.is_empty(), "{:?}", v.platform);
            }
            for tag in &v.hashtags {
                assert!(v.body.contains(&format!("#{tag}")), "{:?}", v.platform);
            }
            assert_within_limits(&v);
        }
        let insta = repurpose(&RepurposeInput {
            platforms: vec![ContentPlatform::Instagram],
            ..given.clone()
        });
        assert!(
            insta[0].hashtags.len() >= 20,
            "Instagram takes many: {}",
            insta[0].hashtags.len()
        );

        // Without suggestions, a few tags come from the most frequent words.
        let derived = repurpose(&input(&long_content(), &ContentPlatform::ALL));
        for v in &derived {
            let max = v.platform.limits().max_hashtags;
            assert_eq!(v.hashtags.len(), max.min(DERIVED_TAGS), "{:?}", v.platform);
        }
        assert_eq!(
            derived[1].hashtags,
            vec!["café", "kettle", "grinder"],
            "most frequent first"
        );
    }

    #[test]
    fn inline_hashtags_become_words_and_suggestions() {
        let text = "Brew better #coffee at home.\n#espresso #HomeBarista";
        let v = &repurpose(&input(text, &[ContentPlatform::Instagram]))[0];
        assert_eq!(v.hashtags, vec!["coffee", "espresso", "HomeBarista"]);
        assert_eq!(
            v.body,
            "Brew better coffee at home.\n\n#coffee #espresso #HomeBarista"
        );
    }

    #[test]
    fn suggested_hashtags_are_cleaned() {
        assert_eq!(clean_tag("#spring sale"), "SpringSale");
        assert_eq!(clean_tag("coffee_lovers"), "coffee_lovers");
        assert_eq!(clean_tag("  #MondayMotivation "), "MondayMotivation");
        assert_eq!(clean_tag("###"), "");
    }

    #[test]
    fn banned_words_never_appear_in_any_variant() {
        let guidelines = BrandGuidelines {
            banned_words: vec![
                "cheap".into(),
                "guaranteed results".into(),
                "Miracle".into(),
            ],
            ..Default::default()
        };
        let content = format!(
            "CHEAP espresso, guaranteed RESULTS! A miracle for busy mornings. Cheap! \
             The cheap, fast way to great coffee. #CheapCoffee #miracle {}",
            long_content()
        );
        let case = RepurposeInput {
            title: Some("Cheap espresso at home".into()),
            hashtags: vec!["cheap eats".into(), "espresso".into(), "MiracleBrew".into()],
            guidelines: Some(guidelines.clone()),
            link: Some(LINK.into()),
            ..input(&content, &ContentPlatform::ALL)
        };
        for v in repurpose(&case) {
            let published = format!("{}\n{}", v.headline.clone().unwrap_or_default(), v.body);
            let report = check_compliance(&published, &guidelines);
            assert!(
                report.banned_words_found.is_empty(),
                "{:?}: {published}",
                v.platform
            );
            let lower = published.to_lowercase();
            assert!(
                !lower.contains("cheap") && !lower.contains("miracle"),
                "{:?}: {published}",
                v.platform
            );
            assert!(v
                .hashtags
                .iter()
                .all(|t| t != "CheapEats" && t != "MiracleBrew"));
            assert!(
                v.notes[0].starts_with("Removed banned words: cheap"),
                "{:?}",
                v.notes
            );
            assert_within_limits(&v);
        }
    }

    #[test]
    fn removing_banned_words_keeps_sentences_readable() {
        let banned = ["cheap", "free trial"];
        let mut removed = Vec::new();
        let cases = [
            ("Cheap! Our cheap, fast coffee.", "Our fast coffee."),
            ("Cheap coffee here. Try it.", "Coffee here. Try it."),
            ("Fast, cheap, and good.", "Fast, and good."),
            ("Start a free free trial trial today.", "Start a today."),
            ("Great. Cheap beans inside", "Great. Beans inside"),
            ("Nothing to see", "Nothing to see"),
        ];
        for (from, to) in cases {
            assert_eq!(
                tidy(&remove_banned(from, &banned, &mut removed)),
                to,
                "{from}"
            );
        }
        assert_eq!(removed, vec!["cheap", "free trial"]);
    }

    #[test]
    fn emoji_only_where_customary() {
        let case = input(
            "☕ Better mornings start here. Shop the kit now 🚀",
            &[ContentPlatform::Instagram, ContentPlatform::Linkedin],
        );
        let variants = repurpose(&case);
        assert!(variants[0].body.contains('☕'));
        assert!(!variants[1].body.contains('☕') && !variants[1].body.contains('🚀'));
        assert!(variants[1]
            .notes
            .iter()
            .any(|n| n == "Removed emoji: not customary on LinkedIn"));
    }

    #[test]
    fn same_input_gives_the_same_output() {
        let case = RepurposeInput {
            title: Some("Mornings, fixed".into()),
            hashtags: vec!["espresso".into()],
            guidelines: Some(BrandGuidelines {
                banned_words: vec!["hectic".into()],
                ..Default::default()
            }),
            link: Some(LINK.into()),
            ..input(&long_content(), &ContentPlatform::ALL)
        };
        let first = repurpose(&case);
        for _ in 0..3 {
            assert_eq!(repurpose(&case), first);
        }
    }

    #[test]
    fn empty_or_tiny_content_is_handled() {
        for content in ["", "   ", "Hi.", "#coffee"] {
            let case = RepurposeInput {
                link: Some(LINK.into()),
                ..input(content, &ContentPlatform::ALL)
            };
            for v in repurpose(&case) {
                assert_within_limits(&v);
            }
        }
        assert!(repurpose(&input("Hello", &[])).is_empty());
    }

    #[test]
    fn variants_serialize_with_snake_case_names() {
        let v = &repurpose(&input("Fresh beans weekly.", &[ContentPlatform::GoogleAds]))[0];
        let json = serde_json::to_value(v).unwrap();
        assert_eq!(json["platform"], "google_ads");
        assert_eq!(json["within_limits"], true);
        let back: Variant = serde_json::from_value(json).unwrap();
        assert_eq!(&back, v);
    }
}
