//! Safe repairs of a model's almost-JSON answer.
//!
//! Models wrap JSON in code fences and chatter, leave trailing commas, fall back to
//! Python-style single quotes, and stop mid-answer when they hit `max_tokens`. Each of those
//! has exactly one sensible reading, so it is repaired and the repair is recorded (the call
//! log shows how often a provider needs help). Anything with more than one reading, such as a
//! missing comma, an unknown word or a bracket that closes nothing, is an error: a wrong value
//! would be worse than a retry.
//!
//! The repairs work on tokens, never on raw text, so nothing inside a string is touched: an
//! apostrophe or a `,}` inside a double-quoted string stays as it is. The one change to string
//! contents is the quote conversion itself (`'say "hi"'` becomes `"say \"hi\""`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One kind of repair applied to an answer, in the order first applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Repair {
    /// A Markdown code fence (```` ```json ````) around the JSON was dropped.
    CodeFence,
    /// Text before or after the outermost JSON object or array was dropped.
    SurroundingProse,
    /// A comma right before `}` or `]` was removed.
    TrailingComma,
    /// Single-quoted strings or keys were re-quoted with double quotes.
    SingleQuotes,
    /// A raw newline, tab or other control character inside a string was escaped (the decoded
    /// string is unchanged).
    ControlCharacters,
    /// The answer stopped mid-value: the open string and brackets were closed, and a dangling
    /// key, colon, comma or possibly shortened number dropped.
    TruncatedTail,
}

/// Why an answer could not be read as JSON.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RepairError {
    #[error("the answer is empty")]
    Empty,
    #[error("the answer contains no JSON object or array")]
    NoJson,
    #[error("unbalanced JSON: '{found}' at byte {at} closes nothing")]
    UnbalancedClose { found: char, at: usize },
    #[error("unbalanced JSON: '{found}' at byte {at} cannot close the '{open}' still open")]
    MismatchedClose { found: char, open: char, at: usize },
    #[error("the answer is not valid JSON and cannot be repaired safely: {0}")]
    Invalid(String),
}

/// Parses `text` as JSON, strictly first; failing that, extracts the outermost JSON object or
/// array and applies only the safe repairs. Returns the value and the repairs made (empty when
/// the text was valid JSON as it stood).
pub fn parse_json(text: &str) -> Result<(Value, Vec<Repair>), RepairError> {
    if text.trim().is_empty() {
        return Err(RepairError::Empty);
    }
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return Ok((v, Vec::new()));
    }
    let (start, scanned) = outermost(text).ok_or(RepairError::NoJson)?;
    let scan = scanned?;
    let mut repairs = Vec::new();
    surroundings(text, start, scan.end, &mut repairs)?;
    if scan.single_quotes {
        note(&mut repairs, Repair::SingleQuotes);
    }
    if scan.control_chars {
        note(&mut repairs, Repair::ControlCharacters);
    }
    let json = rebuild(scan, &mut repairs);
    match serde_json::from_str::<Value>(&json) {
        Ok(v) => Ok((v, repairs)),
        Err(e) => Err(RepairError::Invalid(explain(&e, &json))),
    }
}

fn note(repairs: &mut Vec<Repair>, r: Repair) {
    if !repairs.contains(&r) {
        repairs.push(r);
    }
}

/// A lexical token of the (possibly broken) JSON.
#[derive(Debug)]
enum Tok {
    Open(char),
    Close(char),
    Comma,
    Colon,
    /// A string's JSON-escaped content without its quotes.
    Str {
        body: String,
        closed: bool,
    },
    /// Anything unquoted: a number, `true`/`false`/`null`, or junk. `cut`: the text ended
    /// inside it, so it may be incomplete.
    Bare {
        word: String,
        cut: bool,
    },
}

/// The tokens of one candidate value.
struct Scan {
    toks: Vec<Tok>,
    /// Byte offset just past the value (the text's end when the text was cut off).
    end: usize,
    /// Brackets still open at the end of the text: non-empty means the tail was cut off.
    open: Vec<char>,
    single_quotes: bool,
    control_chars: bool,
}

type Scanned = Result<Scan, RepairError>;

/// The candidate JSON value spanning the most text. Candidates are scanned left to right,
/// each from the end of the previous one, so a value nested in a broken outer value is never
/// picked on its own (that would silently return the wrong object); the longest wins so a
/// citation like `[1]` in the prose does not shadow the real answer.
fn outermost(text: &str) -> Option<(usize, Scanned)> {
    let mut best: Option<(usize, usize, Scanned)> = None;
    let mut from = 0;
    while let Some(start) = next_start(text, from) {
        let (end, scanned) = match scan(text, start) {
            Ok(s) => (s.end, Ok(s)),
            Err((e, end)) => (end, Err(e)),
        };
        if best.as_ref().is_none_or(|(s, e, _)| end - start > e - s) {
            best = Some((start, end, scanned));
        }
        from = end;
    }
    best.map(|(start, _, scanned)| (start, scanned))
}

/// The next `{` or `[` at or after `from` that can begin JSON: `{` before a key or `}`, `[`
/// before a value or `]`. This skips prose like `{brand}` or `[see above]`.
fn next_start(text: &str, from: usize) -> Option<usize> {
    text[from..]
        .char_indices()
        .map(|(i, c)| (from + i, c))
        .filter(|&(_, c)| c == '{' || c == '[')
        .find(|&(i, c)| {
            let next = text[i + 1..].chars().find(|c| !c.is_whitespace());
            match (c, next) {
                (_, None) => true,
                ('{', Some(n)) => matches!(n, '"' | '\'' | '}'),
                (_, Some(n)) => matches!(
                    n,
                    '{' | '[' | ']' | '"' | '\'' | '-' | '0'..='9' | 't' | 'f' | 'n'
                ),
            }
        })
        .map(|(i, _)| i)
}

/// Tokenizes from `start` (a `{` or `[`) until its bracket closes or the text ends. A closing
/// bracket of the wrong kind is an error, returned with the offset to resume scanning from.
fn scan(text: &str, start: usize) -> Result<Scan, (RepairError, usize)> {
    let mut s = Scan {
        toks: Vec::new(),
        end: text.len(),
        open: Vec::new(),
        single_quotes: false,
        control_chars: false,
    };
    let mut it = text[start..]
        .char_indices()
        .map(|(i, c)| (start + i, c))
        .peekable();
    while let Some((i, c)) = it.next() {
        match c {
            '{' | '[' => {
                s.open.push(c);
                s.toks.push(Tok::Open(c));
            }
            '}' | ']' => {
                let opener = if c == '}' { '{' } else { '[' };
                match s.open.pop() {
                    Some(o) if o == opener => {
                        s.toks.push(Tok::Close(c));
                        if s.open.is_empty() {
                            s.end = i + 1;
                            return Ok(s);
                        }
                    }
                    Some(open) => {
                        let e = RepairError::MismatchedClose {
                            found: c,
                            open,
                            at: i,
                        };
                        return Err((e, i + 1));
                    }
                    None => return Err((RepairError::UnbalancedClose { found: c, at: i }, i + 1)),
                }
            }
            ',' => s.toks.push(Tok::Comma),
            ':' => s.toks.push(Tok::Colon),
            '"' | '\'' => {
                s.single_quotes |= c == '\'';
                let (body, closed) = read_string(&mut it, c, &mut s.control_chars);
                s.toks.push(Tok::Str { body, closed });
            }
            c if c.is_whitespace() => {}
            c => {
                let mut word = String::from(c);
                let mut cut = true;
                while let Some(&(_, n)) = it.peek() {
                    if n.is_whitespace() || "{}[],:\"'".contains(n) {
                        cut = false;
                        break;
                    }
                    word.push(n);
                    it.next();
                }
                s.toks.push(Tok::Bare { word, cut });
            }
        }
    }
    Ok(s)
}

/// Reads a string up to its closing `quote`, returning its content JSON-escaped for double
/// quotes and whether the quote was found. Escapes are kept verbatim except `\'`, which is not
/// a JSON escape and only appears in single-quoted strings.
fn read_string(
    it: &mut impl Iterator<Item = (usize, char)>,
    quote: char,
    control_chars: &mut bool,
) -> (String, bool) {
    let mut body = String::new();
    while let Some((_, c)) = it.next() {
        match c {
            c if c == quote => return (body, true),
            '\\' => match it.next() {
                Some((_, '\'')) if quote == '\'' => body.push('\''),
                Some((_, e)) => {
                    body.push('\\');
                    body.push(e);
                }
                // The text ended inside the escape: the lone backslash is dropped.
                None => return (body, false),
            },
            '"' => body.push_str("\\\""),
            '\u{0}'..='\u{1f}' => {
                *control_chars = true;
                match c {
                    '\n' => body.push_str("\\n"),
                    '\r' => body.push_str("\\r"),
                    '\t' => body.push_str("\\t"),
                    c => body.push_str(&format!("\\u{:04x}", c as u32)),
                }
            }
            c => body.push(c),
        }
    }
    (body, false)
}

/// Classifies the text around the value: fences and prose are dropped and noted; a closing
/// bracket right after the value closes nothing and is an error.
fn surroundings(
    text: &str,
    start: usize,
    end: usize,
    repairs: &mut Vec<Repair>,
) -> Result<(), RepairError> {
    let after = text[end..].trim_start();
    let at = text.len() - after.len();
    if let Some(found @ ('}' | ']')) = after.chars().next() {
        return Err(RepairError::UnbalancedClose { found, at });
    }
    let before = text[..start].trim_end();
    let (fence_before, prose_before) = match before.rfind("```") {
        // Only a language tag may follow the opening fence.
        Some(p)
            if before[p + 3..]
                .chars()
                .all(|c| c.is_alphanumeric() || "-_+.".contains(c)) =>
        {
            (true, !before[..p].trim().is_empty())
        }
        _ => (false, !before.is_empty()),
    };
    let (fence_after, prose_after) = match after.strip_prefix("```") {
        Some(rest) => (true, !rest.trim().is_empty()),
        None => (false, !after.is_empty()),
    };
    if fence_before || fence_after {
        note(repairs, Repair::CodeFence);
    }
    if prose_before || prose_after {
        note(repairs, Repair::SurroundingProse);
    }
    Ok(())
}

/// Drops trailing commas, closes a cut-off tail, and writes the tokens back as JSON text.
/// Tokens are joined by spaces so that two adjacent bare words stay two (and invalid).
fn rebuild(scan: Scan, repairs: &mut Vec<Repair>) -> String {
    let mut out: Vec<Tok> = Vec::with_capacity(scan.toks.len() + scan.open.len());
    for t in scan.toks {
        if matches!(t, Tok::Close(_)) && matches!(out.last(), Some(Tok::Comma)) {
            out.pop();
            note(repairs, Repair::TrailingComma);
        }
        out.push(t);
    }
    if !scan.open.is_empty() {
        close_tail(&mut out, &scan.open);
        note(repairs, Repair::TruncatedTail);
    }
    let mut json = String::new();
    for (i, t) in out.iter().enumerate() {
        if i > 0 {
            json.push(' ');
        }
        match t {
            Tok::Open(c) | Tok::Close(c) => json.push(*c),
            Tok::Comma => json.push(','),
            Tok::Colon => json.push(':'),
            Tok::Str { body, .. } => {
                json.push('"');
                json.push_str(body);
                json.push('"');
            }
            Tok::Bare { word, .. } => json.push_str(word),
        }
    }
    json
}

/// Ends a cut-off answer at its last complete member: the open string is closed (minus any
/// half-written escape), then a dangling comma, colon, key or possibly shortened number is
/// dropped, a cut `tru`/`fals`/`nul` completed, and the open brackets closed innermost first.
fn close_tail(out: &mut Vec<Tok>, open: &[char]) {
    if let Some(Tok::Str { body, closed }) = out.last_mut() {
        if !*closed {
            trim_partial_escape(body);
            *closed = true;
        }
    }
    let in_object = open.last() == Some(&'{');
    loop {
        let n = out.len();
        let dangling_key = in_object
            && n >= 2
            && matches!(out[n - 1], Tok::Str { .. })
            && matches!(out[n - 2], Tok::Open(_) | Tok::Comma);
        match out.last_mut() {
            Some(Tok::Comma) => {
                out.pop();
            }
            Some(Tok::Colon) => {
                out.pop();
                if matches!(out.last(), Some(Tok::Str { .. } | Tok::Bare { .. })) {
                    out.pop();
                }
            }
            // A key whose colon and value never came.
            Some(Tok::Str { .. }) if dangling_key => {
                out.pop();
            }
            Some(Tok::Bare { word, cut: true }) => {
                if let Some(full) = ["true", "false", "null"]
                    .into_iter()
                    .find(|lit| lit.starts_with(word.as_str()))
                {
                    *word = full.to_string();
                    break;
                }
                let numeric = word.starts_with(|c: char| c == '-' || c.is_ascii_digit())
                    && word
                        .chars()
                        .all(|c| c.is_ascii_digit() || "+-.eE".contains(c));
                if !numeric {
                    break;
                }
                // `12` may have been `1250`: a number touching the cut is not trusted.
                out.pop();
            }
            _ => break,
        }
    }
    for &o in open.iter().rev() {
        out.push(Tok::Close(if o == '{' { '}' } else { ']' }));
    }
}

/// Removes an escape sequence the cut left incomplete: a lone `\`, a short `\u12`, or a
/// `\ud83d` high surrogate whose low half never came (all invalid JSON on their own).
fn trim_partial_escape(body: &mut String) {
    let escaped_at =
        |body: &str, p: usize| body[..p].chars().rev().take_while(|&c| c == '\\').count() % 2 == 0;
    let trailing = body.chars().rev().take_while(|&c| c == '\\').count();
    if trailing % 2 == 1 {
        body.pop();
        return;
    }
    if let Some(p) = body.rfind("\\u") {
        let hex = &body[p + 2..];
        let is_hex = hex.chars().all(|c| c.is_ascii_hexdigit());
        let high_surrogate = hex.len() == 4
            && u16::from_str_radix(hex, 16).is_ok_and(|u| (0xD800..0xDC00).contains(&u));
        if is_hex && (hex.len() < 4 || high_surrogate) && escaped_at(body, p) {
            body.truncate(p);
        }
    }
}

/// serde_json's message for the rebuilt text, whose line and column mean nothing to a reader,
/// with the text around the problem instead.
fn explain(e: &serde_json::Error, json: &str) -> String {
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg);
    let at = e.column().saturating_sub(1).min(json.len());
    let mut from = at.saturating_sub(30);
    while !json.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (at + 30).min(json.len());
    while !json.is_char_boundary(to) {
        to += 1;
    }
    format!("{msg} near `{}`", &json[from..to])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use Repair::*;

    fn ok(text: &str) -> (Value, Vec<Repair>) {
        parse_json(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn err(text: &str) -> RepairError {
        match parse_json(text) {
            Ok(v) => panic!("{text:?} parsed as {v:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn valid_json_needs_no_repair() {
        let text = r#"{"name": "Bob's \"Diner\"", "tags": ["it's", "{not json}"], "n": 1.5e3}"#;
        let (v, r) = ok(text);
        assert_eq!(v, serde_json::from_str::<Value>(text).unwrap());
        assert!(r.is_empty());
        assert_eq!(ok("  [1, 2, 3]\n"), (json!([1, 2, 3]), vec![]));
        assert_eq!(ok("{}"), (json!({}), vec![]));
    }

    #[test]
    fn a_code_fence_is_stripped() {
        let (v, r) = ok("```json\n{\"a\": 1}\n```");
        assert_eq!(v, json!({ "a": 1 }));
        assert_eq!(r, vec![CodeFence]);
        let (v, r) = ok("```\n[1, 2]\n```\n");
        assert_eq!(v, json!([1, 2]));
        assert_eq!(r, vec![CodeFence]);
    }

    #[test]
    fn a_fence_inside_a_string_is_content() {
        let (v, r) = ok("```json\n{\"copy\": \"use ``` for code\"}\n```");
        assert_eq!(v, json!({ "copy": "use ``` for code" }));
        assert_eq!(r, vec![CodeFence]);
    }

    #[test]
    fn prose_around_the_json_is_dropped() {
        let text = "Sure! Here's the plan you asked for:\n{\"a\": [1, 2]}\nLet me know if it's ok.";
        let (v, r) = ok(text);
        assert_eq!(v, json!({ "a": [1, 2] }));
        // The apostrophes in the prose are not mistaken for single-quoted strings.
        assert_eq!(r, vec![SurroundingProse]);
    }

    #[test]
    fn fences_and_prose_together() {
        let text = "Here you go:\n```json\n{\"a\": true}\n```\nAnything else?";
        let (v, r) = ok(text);
        assert_eq!(v, json!({ "a": true }));
        assert_eq!(r, vec![CodeFence, SurroundingProse]);
    }

    #[test]
    fn bracketed_prose_does_not_shadow_the_answer() {
        let (v, r) = ok("As noted in [1], use {brand} here:\n{\"a\": [1, 2]} [done]");
        assert_eq!(v, json!({ "a": [1, 2] }));
        assert_eq!(r, vec![SurroundingProse]);
    }

    #[test]
    fn trailing_commas_are_removed() {
        let (v, r) = ok(r#"{"a": [1, 2,], "b": {"c": 1,},}"#);
        assert_eq!(v, json!({ "a": [1, 2], "b": { "c": 1 } }));
        assert_eq!(r, vec![TrailingComma]);
    }

    #[test]
    fn commas_and_brackets_inside_strings_are_content() {
        let (v, r) = ok(r#"{"a": "x,}", "b": "[1,]", "c": [1,],}"#);
        assert_eq!(v, json!({ "a": "x,}", "b": "[1,]", "c": [1] }));
        assert_eq!(r, vec![TrailingComma]);
    }

    #[test]
    fn single_quotes_become_double_quotes() {
        let (v, r) =
            ok(r#"{'name': 'Acme', 'quote': 'He said "hi"', 'it': 'it\'s', "mixed": 'ok'}"#);
        assert_eq!(
            v,
            json!({ "name": "Acme", "quote": "He said \"hi\"", "it": "it's", "mixed": "ok" })
        );
        assert_eq!(r, vec![SingleQuotes]);
    }

    #[test]
    fn apostrophes_in_double_quoted_strings_are_untouched() {
        let (v, r) = ok(r#"{"a": "it's Bob's", "b": "'quoted'", "c": [1,]}"#);
        assert_eq!(v, json!({ "a": "it's Bob's", "b": "'quoted'", "c": [1] }));
        assert_eq!(r, vec![TrailingComma]);
    }

    #[test]
    fn raw_control_characters_in_strings_are_escaped() {
        let (v, r) = ok("{\"copy\": \"line one\nline two\tend\"}");
        assert_eq!(v, json!({ "copy": "line one\nline two\tend" }));
        assert_eq!(r, vec![ControlCharacters]);
    }

    #[test]
    fn an_unterminated_string_is_closed() {
        let (v, r) = ok(r#"{"headline": "Win back lapsed"#);
        assert_eq!(v, json!({ "headline": "Win back lapsed" }));
        assert_eq!(r, vec![TruncatedTail]);
    }

    #[test]
    fn open_brackets_are_closed_innermost_first() {
        let (v, r) = ok(r#"{"pillars": [{"name": "a"}, {"name": "b", "tags": ["x", "y"#);
        assert_eq!(
            v,
            json!({ "pillars": [{ "name": "a" }, { "name": "b", "tags": ["x", "y"] }] })
        );
        assert_eq!(r, vec![TruncatedTail]);
        assert_eq!(
            ok(r#"{"a": [1, {"b": ["#).0,
            json!({ "a": [1, { "b": [] }] })
        );
    }

    #[test]
    fn a_dangling_key_colon_or_comma_is_dropped() {
        assert_eq!(ok(r#"{"a": 1, "b""#).0, json!({ "a": 1 }));
        assert_eq!(ok(r#"{"a": 1, "b":"#).0, json!({ "a": 1 }));
        assert_eq!(ok(r#"{"a": 1, "b": "#).0, json!({ "a": 1 }));
        assert_eq!(ok(r#"{"a": 1,"#).0, json!({ "a": 1 }));
        assert_eq!(ok(r#"{"a": [1, 2,"#).0, json!({ "a": [1, 2] }));
        assert_eq!(ok(r#"{"#).0, json!({}));
    }

    #[test]
    fn a_value_cut_mid_key_is_dropped() {
        let (v, r) = ok(r#"{"name": "Acme", "descr"#);
        assert_eq!(v, json!({ "name": "Acme" }));
        assert_eq!(r, vec![TruncatedTail]);
        assert_eq!(ok(r#"{"descr"#).0, json!({}));
    }

    #[test]
    fn a_number_touching_the_cut_is_dropped() {
        assert_eq!(ok(r#"{"a": "x", "spend": 12."#).0, json!({ "a": "x" }));
        assert_eq!(ok(r#"{"a": "x", "spend": 1250"#).0, json!({ "a": "x" }));
        assert_eq!(ok(r#"{"a": "x", "spend": -"#).0, json!({ "a": "x" }));
        assert_eq!(ok("[1, 2, 3").0, json!([1, 2]));
        assert_eq!(ok("[1e").0, json!([]));
        // Whitespace or a comma after it shows the number was complete.
        assert_eq!(ok("[1, 2, 3 ").0, json!([1, 2, 3]));
        assert_eq!(ok(r#"{"spend": 1250,"#).0, json!({ "spend": 1250 }));
    }

    #[test]
    fn a_cut_literal_is_completed() {
        assert_eq!(ok(r#"{"ok": tru"#).0, json!({ "ok": true }));
        assert_eq!(ok(r#"{"ok": f"#).0, json!({ "ok": false }));
        assert_eq!(ok("[nul").0, json!([null]));
    }

    #[test]
    fn a_half_written_escape_is_dropped() {
        assert_eq!(ok(r#"{"a": "line\"#).0, json!({ "a": "line" }));
        assert_eq!(ok(r#"{"a": "caf\u00"#).0, json!({ "a": "caf" }));
        assert_eq!(ok(r#"{"a": "smile \ud83d"#).0, json!({ "a": "smile " }));
        // A complete escape and an escaped backslash survive.
        assert_eq!(ok(r#"{"a": "caf\u00e9"#).0, json!({ "a": "café" }));
        assert_eq!(ok(r#"{"a": "C:\\"#).0, json!({ "a": "C:\\" }));
        assert_eq!(ok(r#"{"a": "x\\u12"#).0, json!({ "a": "x\\u12" }));
    }

    #[test]
    fn repairs_combine() {
        let text = "Here it is:\n```json\n{'a': [1, 2,], 'b': 'unfinish";
        let (v, r) = ok(text);
        assert_eq!(v, json!({ "a": [1, 2], "b": "unfinish" }));
        assert_eq!(
            r,
            vec![
                CodeFence,
                SurroundingProse,
                SingleQuotes,
                TrailingComma,
                TruncatedTail
            ]
        );
    }

    #[test]
    fn empty_text_is_an_error() {
        assert_eq!(err(""), RepairError::Empty);
        assert_eq!(err(" \n\t"), RepairError::Empty);
        assert_eq!(RepairError::Empty.to_string(), "the answer is empty");
    }

    #[test]
    fn plain_prose_is_an_error() {
        assert_eq!(
            err("I'm sorry, I can't help with that."),
            RepairError::NoJson
        );
        assert_eq!(err("```json\n```"), RepairError::NoJson);
        assert_eq!(
            RepairError::NoJson.to_string(),
            "the answer contains no JSON object or array"
        );
    }

    #[test]
    fn unbalanced_closing_brackets_are_errors() {
        let e = err(r#"{"a": 1}}"#);
        assert_eq!(e, RepairError::UnbalancedClose { found: '}', at: 8 });
        assert_eq!(
            e.to_string(),
            "unbalanced JSON: '}' at byte 8 closes nothing"
        );
        assert_eq!(
            err("[1, 2]\n]"),
            RepairError::UnbalancedClose { found: ']', at: 7 }
        );
        let e = err("[1, 2}");
        assert_eq!(
            e,
            RepairError::MismatchedClose {
                found: '}',
                open: '[',
                at: 5
            }
        );
        assert!(e.to_string().contains("cannot close the '['"), "{e}");
    }

    #[test]
    fn ambiguous_damage_is_an_error() {
        let e = err(r#"{"a": 1 "b": 2}"#);
        let RepairError::Invalid(msg) = &e else {
            panic!("{e:?}")
        };
        assert!(msg.contains("expected `,` or `}`"), "{msg}");
        assert!(msg.contains("near `"), "{msg}");
        assert!(!msg.contains("line 1"), "{msg}");
        assert!(matches!(
            err(r#"{"a": undefined}"#),
            RepairError::Invalid(_)
        ));
        assert!(matches!(err("[1,,2]"), RepairError::Invalid(_)));
        assert!(matches!(err(r#"{"a": tru }"#), RepairError::Invalid(_)));
    }

    #[test]
    fn an_object_nested_in_a_broken_one_is_not_returned_alone() {
        assert!(matches!(
            err(r#"{"a": {"b": 1} oops}"#),
            RepairError::Invalid(_)
        ));
    }

    #[test]
    fn repairs_serialise_in_snake_case() {
        let all = json!([
            CodeFence,
            SurroundingProse,
            TrailingComma,
            SingleQuotes,
            ControlCharacters,
            TruncatedTail
        ]);
        assert_eq!(
            all,
            json!([
                "code_fence",
                "surrounding_prose",
                "trailing_comma",
                "single_quotes",
                "control_characters",
                "truncated_tail"
            ])
        );
        let back: Vec<Repair> = serde_json::from_value(all).unwrap();
        assert_eq!(back.len(), 6);
    }

    #[test]
    fn multibyte_text_is_handled() {
        let (v, r) = ok("Voilà — le plan :\n{\"titre\": \"Été 🌞\", \"n\": [1,],}");
        assert_eq!(v, json!({ "titre": "Été 🌞", "n": [1] }));
        assert_eq!(r, vec![SurroundingProse, TrailingComma]);
        assert_eq!(
            ok("{\"a\": \"naïve café 🌞").0,
            json!({ "a": "naïve café 🌞" })
        );
    }
}
