//! Text measurements shared by the creative scorer and the repurposer. Lengths are counted in
//! `char`s, not bytes, because every platform states its limits in characters.

use serde::{Deserialize, Serialize};

/// Characters that end a sentence.
const TERMINATORS: [char; 4] = ['.', '!', '?', '…'];

/// Byte ranges of the words in `text`. A word is a run of letters and digits; an apostrophe
/// between letters ("don't") and a '.' or ',' between digits ("12,000", "4.5") stay inside it.
/// Hyphens split ("5-minute" → "5", "minute"), so "sign-up" and "sign up" match each other.
pub fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    for (i, &(pos, c)) in chars.iter().enumerate() {
        let inside = c.is_alphanumeric()
            || (start.is_some() && {
                let prev = chars[i - 1].1;
                let next = chars.get(i + 1).map(|&(_, n)| n);
                match c {
                    '\'' | '’' => prev.is_alphabetic() && next.is_some_and(char::is_alphabetic),
                    '.' | ',' => prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
                    _ => false,
                }
            });
        match (inside, start) {
            (true, None) => start = Some(pos),
            (false, Some(s)) => {
                spans.push((s, pos));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// The words of `text`, as written.
pub fn words(text: &str) -> Vec<&str> {
    word_spans(text)
        .into_iter()
        .map(|(s, e)| &text[s..e])
        .collect()
}

/// A word in the form used for matching: lowercase, with typographic apostrophes made plain.
pub fn normalize_word(word: &str) -> String {
    word.to_lowercase().replace('’', "'")
}

/// The sentences of `text`, trimmed. A sentence ends at '.', '!', '?' or '…' followed by
/// whitespace (so "4.99" stays whole), or at a line break (so bullet lists split per line).
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    let mut push = |from: usize, to: usize| {
        let s = text[from..to].trim();
        if !s.is_empty() {
            out.push(s);
        }
    };
    while let Some((i, c)) = chars.next() {
        let end = if c == '\n' {
            Some(i)
        } else if TERMINATORS.contains(&c) {
            // A run of terminators and closing quotes belongs to the sentence it closes.
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = chars.peek() {
                if !TERMINATORS.contains(&n) && !matches!(n, '"' | '\'' | '”' | '’' | ')') {
                    break;
                }
                end = j + n.len_utf8();
                chars.next();
            }
            match chars.peek() {
                None => Some(end),
                Some(&(_, n)) if n.is_whitespace() => Some(end),
                _ => None,
            }
        } else {
            None
        };
        if let Some(end) = end {
            push(start, end);
            start = end;
        }
    }
    push(start, text.len());
    out
}

/// Estimated syllables in one word: vowel groups, less a silent final "e" ("make") and the
/// silent "-ed"/"-es" endings ("saved", "saves"). Numbers and symbols count as one.
pub fn syllables(word: &str) -> usize {
    let is_vowel = |c: char| "aeiouyàáâäèéêëìíîïòóôöùúûü".contains(c);
    let w: Vec<char> = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    if w.is_empty() {
        return 1;
    }
    let mut count = 0;
    let mut previous_vowel = false;
    for &c in &w {
        let vowel = is_vowel(c);
        if vowel && !previous_vowel {
            count += 1;
        }
        previous_vowel = vowel;
    }
    let n = w.len();
    // "-le" after a consonant is its own syllable ("people", "tables").
    let consonant_le = |at: usize| at >= 1 && w[at] == 'l' && !is_vowel(w[at - 1]);
    let silent_e = n > 2 && w[n - 1] == 'e' && !is_vowel(w[n - 2]) && !consonant_le(n - 2);
    let silent_ending = n > 3
        && w[n - 1] == 'd'
        && w[n - 2] == 'e'
        && !matches!(w[n - 3], 't' | 'd')
        && !is_vowel(w[n - 3]);
    let silent_es = n > 3
        && w[n - 1] == 's'
        && w[n - 2] == 'e'
        && !is_vowel(w[n - 3])
        && !matches!(w[n - 3], 's' | 'x' | 'z' | 'c' | 'g' | 'h')
        && !consonant_le(n - 3);
    if count > 1 && (silent_e || silent_ending || silent_es) {
        count -= 1;
    }
    count.max(1)
}

/// Flesch reading ease, clamped to 0–100: above 60 reads as plain English, below 30 as
/// academic. Empty text scores 0 because there is nothing to read.
pub fn flesch_reading_ease(text: &str) -> f64 {
    let ws = words(text);
    if ws.is_empty() {
        return 0.0;
    }
    let sentence_count = sentences(text)
        .iter()
        .filter(|s| !words(s).is_empty())
        .count()
        .max(1);
    let syllable_count: usize = ws.iter().map(|w| syllables(w)).sum();
    let words_per_sentence = ws.len() as f64 / sentence_count as f64;
    let syllables_per_word = syllable_count as f64 / ws.len() as f64;
    (206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word).clamp(0.0, 100.0)
}

/// Length as platforms count it: one per `char` (an emoji is one, "é" is one).
pub fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// The hashtags in `text` without their '#', first spelling kept, repeats dropped. A tag needs a
/// letter, so "#1" (a ranking claim) is not one.
pub fn hashtags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for (start, end) in hashtag_spans(text) {
        let tag = &text[start + 1..end];
        if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            tags.push(tag.to_string());
        }
    }
    tags
}

/// `text` with each hashtag's '#' removed, so "#coffee lovers" reads "coffee lovers".
pub fn unhashtag(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, _) in hashtag_spans(text) {
        out.push_str(&text[last..start]);
        last = start + 1;
    }
    out.push_str(&text[last..]);
    out
}

/// Byte ranges of hashtags, '#' included: '#' at the start or after a non-word character,
/// then letters, digits or '_' with at least one letter.
pub fn hashtag_spans(text: &str) -> Vec<(usize, usize)> {
    let is_tag_char = |c: char| c.is_alphanumeric() || c == '_';
    let mut spans = Vec::new();
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        if c == '#' && !previous.is_some_and(is_tag_char) {
            let rest = &text[i + 1..];
            let len: usize = rest
                .chars()
                .take_while(|&c| is_tag_char(c))
                .map(char::len_utf8)
                .sum();
            if rest[..len].chars().any(char::is_alphabetic) {
                spans.push((i, i + 1 + len));
            }
        }
        previous = Some(c);
    }
    spans
}

/// `text` cut to at most `max` characters at a word boundary, ending in "…". Text that already
/// fits is returned trimmed but otherwise unchanged.
pub fn truncate_words(text: &str, max: usize) -> String {
    truncate_with(text, max, "…")
}

/// Like [`truncate_words`] with a chosen ending: "" for headlines, "..." where only plain
/// characters are safe (SMS). A single word longer than the room is cut mid-word.
pub fn truncate_with(text: &str, max: usize, ellipsis: &str) -> String {
    let text = text.trim();
    if char_count(text) <= max {
        return text.to_string();
    }
    let room = max.saturating_sub(char_count(ellipsis));
    if room == 0 {
        return ellipsis.chars().take(max).collect();
    }
    let byte_at = |n: usize| text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    let hard = &text[..byte_at(room)];
    // The cut lands on a boundary if the next character is a space; otherwise back up to one.
    let next_is_space = text[hard.len()..].starts_with(char::is_whitespace);
    let soft = if next_is_space {
        hard
    } else {
        hard.rfind(char::is_whitespace).map_or(hard, |i| &hard[..i])
    };
    let dangling = |c: char| c.is_whitespace() || ",;:-–—(".contains(c) || TERMINATORS.contains(&c);
    let mut cut = soft.trim_end_matches(dangling);
    if cut.is_empty() {
        cut = hard.trim_end_matches(dangling);
    }
    format!("{cut}{ellipsis}")
}

/// Whether `c` is an emoji (pictographs, dingbats, symbols and their modifiers). The rating
/// stars ★ ☆ are typography, not emoji.
pub fn is_emoji(c: char) -> bool {
    let pictograph = matches!(
        c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B05..=0x2B07 | 0x2B1B | 0x2B1C | 0x2B50 | 0x2B55
    );
    let modifier = matches!(c as u32, 0xFE0F | 0x200D | 0x20E3);
    (pictograph || modifier) && !matches!(c, '★' | '☆')
}

/// Number of emoji in `text`; skin tones, joiners and variation selectors are not counted.
pub fn emoji_count(text: &str) -> usize {
    let modifier = |c: char| matches!(c as u32, 0xFE0F | 0x200D | 0x20E3 | 0x1F3FB..=0x1F3FF);
    text.chars()
        .filter(|&c| is_emoji(c) && !modifier(c))
        .count()
}

/// `text` without emoji, with the spaces they leave behind collapsed.
pub fn strip_emoji(text: &str) -> String {
    let kept: String = text.chars().filter(|&c| !is_emoji(c)).collect();
    kept.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Passages between double quotes ("…" or “…”) with at least `min_words` words: a quoted
/// customer line is a testimonial.
pub fn quoted_passages(text: &str, min_words: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('“', _) | ('"', None) => open = Some(i + c.len_utf8()),
            ('”', Some(s)) | ('"', Some(s)) => {
                let passage = text[s..i].trim();
                if words(passage).len() >= min_words {
                    out.push(passage);
                }
                open = None;
            }
            _ => {}
        }
    }
    out
}

/// Byte ranges where `phrase` occurs in `text` on word boundaries, ignoring case: "free" matches
/// "FREE shipping" but not "freedom", and "trusted by" matches across any spacing. A phrase with
/// no words at all ("★", "$$$") is matched as a literal substring.
pub fn find_phrase(text: &str, phrase: &str) -> Vec<(usize, usize)> {
    let wanted: Vec<String> = words(phrase).into_iter().map(normalize_word).collect();
    if wanted.is_empty() {
        let phrase = phrase.trim();
        if phrase.is_empty() {
            return Vec::new();
        }
        return text
            .match_indices(phrase)
            .map(|(i, m)| (i, i + m.len()))
            .collect();
    }
    let spans = word_spans(text);
    let have: Vec<String> = spans
        .iter()
        .map(|&(s, e)| normalize_word(&text[s..e]))
        .collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i + wanted.len() <= have.len() {
        if have[i..i + wanted.len()] == wanted[..] {
            found.push((spans[i].0, spans[i + wanted.len() - 1].1));
            i += wanted.len();
        } else {
            i += 1;
        }
    }
    found
}

/// The words of a text, lowercased once, for asking many "does it say …?" questions cheaply.
/// Matching follows [`find_phrase`]: whole words, any case, multi-word phrases in sequence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WordSet {
    words: Vec<String>,
    /// The lowercased text, for phrases that have no words (symbols such as "★").
    lower: String,
}

impl WordSet {
    pub fn new(text: &str) -> Self {
        Self {
            words: words(text).into_iter().map(normalize_word).collect(),
            lower: text.to_lowercase(),
        }
    }

    /// The normalized words in order.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Word positions where `phrase` starts (non-overlapping).
    pub fn positions(&self, phrase: &str) -> Vec<usize> {
        let wanted: Vec<String> = words(phrase).into_iter().map(normalize_word).collect();
        if wanted.is_empty() {
            return Vec::new();
        }
        let mut found = Vec::new();
        let mut i = 0;
        while i + wanted.len() <= self.words.len() {
            if self.words[i..i + wanted.len()] == wanted[..] {
                found.push(i);
                i += wanted.len();
            } else {
                i += 1;
            }
        }
        found
    }

    /// How often `phrase` occurs.
    pub fn count(&self, phrase: &str) -> usize {
        if words(phrase).is_empty() {
            let phrase = phrase.trim().to_lowercase();
            return if phrase.is_empty() {
                0
            } else {
                self.lower.matches(&phrase).count()
            };
        }
        self.positions(phrase).len()
    }

    pub fn contains(&self, phrase: &str) -> bool {
        self.count(phrase) > 0
    }

    /// Whether the text opens with `phrase`.
    pub fn starts_with(&self, phrase: &str) -> bool {
        self.positions(phrase).first() == Some(&0)
    }

    /// The phrases from `phrases` that occur, in the list's order.
    pub fn found<'a>(&self, phrases: &[&'a str]) -> Vec<&'a str> {
        phrases
            .iter()
            .copied()
            .filter(|p| self.contains(p))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_contractions_and_numbers_but_split_hyphens() {
        assert_eq!(
            words("Don't miss 12,000 fans — 5-minute set-up, $4.99!"),
            vec!["Don't", "miss", "12,000", "fans", "5", "minute", "set", "up", "4.99"]
        );
        assert!(words("  ★★ — !! ").is_empty());
    }

    #[test]
    fn sentences_split_on_terminators_and_lines_but_not_decimals() {
        assert_eq!(
            sentences("Only $4.99 today! Really?! Yes.\n- bullet one\nEnd…"),
            vec![
                "Only $4.99 today!",
                "Really?!",
                "Yes.",
                "- bullet one",
                "End…"
            ]
        );
        assert_eq!(
            sentences("He said \"wow.\" Then left"),
            vec!["He said \"wow.\"", "Then left"]
        );
        assert!(sentences("   ").is_empty());
    }

    #[test]
    fn syllable_estimates_match_common_words() {
        for (word, expected) in [
            ("coffee", 2),
            ("make", 1),
            ("the", 1),
            ("people", 2),
            ("saved", 1),
            ("started", 2),
            ("saves", 1),
            ("boxes", 2),
            ("tables", 2),
            ("espresso", 3),
            ("customers", 3),
            ("12,000", 1),
        ] {
            assert_eq!(syllables(word), expected, "{word}");
        }
    }

    #[test]
    fn flesch_prefers_plain_words_and_stays_in_range() {
        let plain = flesch_reading_ease("We sell good coffee. It is hot. You will like it.");
        let dense = flesch_reading_ease(
            "Our revolutionary, internationally recognized caffeination methodology \
             systematically optimizes organizational productivity considerations.",
        );
        assert!(plain > 80.0, "{plain}");
        assert!(dense < 20.0, "{dense}");
        assert!((0.0..=100.0).contains(&dense));
        assert_eq!(flesch_reading_ease(""), 0.0);
        assert_eq!(flesch_reading_ease("Go. Go. Go."), 100.0);
    }

    #[test]
    fn hashtags_are_extracted_without_the_mark_and_deduplicated() {
        assert_eq!(
            hashtags("#Coffee time! Best #coffee, #1 rated. a#b #morning_ritual"),
            vec!["Coffee", "morning_ritual"]
        );
        assert_eq!(
            unhashtag("Love #coffee and #1 deals"),
            "Love coffee and #1 deals"
        );
    }

    #[test]
    fn characters_not_bytes_are_counted() {
        assert_eq!(char_count("café ☕"), 6);
        assert_eq!("café ☕".len(), 9);
    }

    #[test]
    fn truncation_cuts_on_a_word_boundary_within_the_limit() {
        let text = "Our five-minute espresso kit saves you twenty minutes every day.";
        for max in [1, 5, 10, 20, 33, 40, 63] {
            let cut = truncate_words(text, max);
            assert!(char_count(&cut) <= max, "{max}: {cut}");
            assert!(cut.ends_with('…'), "{max}: {cut}");
        }
        assert_eq!(truncate_words(text, 20), "Our five-minute…");
        assert_eq!(truncate_words(text, 33), "Our five-minute espresso kit…");
        assert_eq!(truncate_words(text, 200), text);
        assert_eq!(truncate_words("  short  ", 10), "short");
        assert_eq!(truncate_with("Supercalifragilistic", 6, ""), "Superc");
        assert_eq!(
            truncate_with("Fresh coffee, every day", 14, ""),
            "Fresh coffee"
        );
        assert_eq!(
            truncate_with("Fresh coffee daily", 16, "..."),
            "Fresh coffee..."
        );
        assert_eq!(truncate_words("anything", 0), "");
    }

    #[test]
    fn emoji_are_detected_but_rating_stars_are_not() {
        assert!(is_emoji('☕'));
        assert!(is_emoji('🚀'));
        assert!(!is_emoji('★'));
        assert!(!is_emoji('é'));
        assert_eq!(emoji_count("Hi 👋🏽 ☕️ ★★★★★"), 2);
        assert_eq!(
            strip_emoji("Wake up ☕️ and go 🚀!\nNext"),
            "Wake up and go !\nNext"
        );
    }

    #[test]
    fn quoted_testimonials_are_found() {
        let text =
            r#"“Best coffee I've had,” says Ana. Also "ok" and "truly life changing stuff"."#;
        assert_eq!(
            quoted_passages(text, 3),
            vec!["Best coffee I've had,", "truly life changing stuff"]
        );
    }

    #[test]
    fn phrases_match_whole_words_in_any_case() {
        let text = "FREE shipping for freedom lovers. Trusted  by pros. Sign-up today ★";
        assert_eq!(find_phrase(text, "free"), vec![(0, 4)]);
        assert_eq!(find_phrase(text, "trusted by").len(), 1);
        let set = WordSet::new(text);
        assert!(set.contains("Free"));
        assert!(!set.contains("reed"));
        assert!(set.contains("sign up"));
        assert!(set.contains("★"));
        assert!(set.starts_with("free shipping"));
        assert_eq!(set.count("free"), 1);
        assert_eq!(set.found(&["pros", "cons", "today"]), vec!["pros", "today"]);
        assert!(!set.contains(""));
    }
}
