//! Validation of a model's answer against its task's JSON Schema.
//!
//! A thin wrapper over the `jsonschema` crate so the rest of the AI layer sees plain strings:
//! the messages go into the call log and, on a retry, back to the model as "fix these", so each
//! one names the JSON pointer of the offending value.

use serde_json::Value;

/// More messages than this add nothing a model or a reader can act on; the rest are counted.
const MAX_MESSAGES: usize = 20;
/// `jsonschema` quotes the whole offending value; a long string would swamp the log.
const MAX_MESSAGE_CHARS: usize = 240;

/// A task's schema, compiled once and reused for every answer.
#[derive(Clone, Debug)]
pub struct Schema {
    validator: jsonschema::Validator,
}

impl Schema {
    /// Compiles `schema` (the draft is taken from `$schema`, 2020-12 when absent). External
    /// `$ref`s are not fetched: the crate is built without its HTTP and file resolvers, so a
    /// schema that needs one is an error here rather than a network call at startup.
    pub fn new(schema: &Value) -> Result<Schema, String> {
        jsonschema::validator_for(schema)
            .map(|validator| Schema { validator })
            .map_err(|e| format!("invalid JSON schema: {}", describe(&e)))
    }

    /// `Ok` when `value` conforms; otherwise one message per violation, each starting with
    /// the JSON pointer of the offending value (`(root)` for the document itself).
    pub fn validate(&self, value: &Value) -> Result<(), Vec<String>> {
        let mut messages = Vec::new();
        let mut extra = 0usize;
        for error in self.validator.iter_errors(value) {
            if messages.len() < MAX_MESSAGES {
                messages.push(describe(&error));
            } else {
                extra += 1;
            }
        }
        if extra > 0 {
            messages.push(format!("… and {extra} more errors"));
        }
        if messages.is_empty() {
            Ok(())
        } else {
            Err(messages)
        }
    }

    /// True when `value` conforms (cheaper than `validate` when the reasons are not needed).
    pub fn is_valid(&self, value: &Value) -> bool {
        self.validator.is_valid(value)
    }
}

/// "`/pillars/0`: `""` is shorter than 1 character".
fn describe(error: &jsonschema::ValidationError<'_>) -> String {
    let path = error.instance_path().as_str();
    let path = if path.is_empty() { "(root)" } else { path };
    format!("{path}: {}", shorten(&error.to_string()))
}

fn shorten(message: &str) -> String {
    if message.chars().count() <= MAX_MESSAGE_CHARS {
        return message.to_string();
    }
    let mut s: String = message.chars().take(MAX_MESSAGE_CHARS).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn strategy_schema() -> Schema {
        Schema::new(&json!({
            "type": "object",
            "required": ["headline", "pillars", "tone"],
            "additionalProperties": false,
            "properties": {
                "headline": { "type": "string", "maxLength": 20 },
                "pillars": {
                    "type": "array",
                    "minItems": 1,
                    "items": { "type": "string", "minLength": 1 }
                },
                "tone": { "enum": ["bold", "calm", "playful"] },
                "budget": { "type": "number", "minimum": 0 },
                "audience": {
                    "type": "object",
                    "required": ["segment"],
                    "properties": { "segment": { "type": "string" } }
                }
            }
        }))
        .unwrap()
    }

    fn errors(v: Value) -> Vec<String> {
        strategy_schema().validate(&v).unwrap_err()
    }

    #[test]
    fn a_conforming_value_passes() {
        let s = strategy_schema();
        let v = json!({
            "headline": "Win back lapsed fans",
            "pillars": ["loyalty", "urgency"],
            "tone": "bold",
            "budget": 1200.5,
            "audience": { "segment": "at_risk" }
        });
        assert_eq!(s.validate(&v), Ok(()));
        assert!(s.is_valid(&v));
    }

    #[test]
    fn a_missing_required_property_names_the_object() {
        let e = errors(json!({ "headline": "Hi", "pillars": ["a"] }));
        assert_eq!(e, vec![r#"(root): "tone" is a required property"#]);

        let e = errors(json!({
            "headline": "Hi", "pillars": ["a"], "tone": "calm", "audience": {}
        }));
        assert_eq!(e, vec![r#"/audience: "segment" is a required property"#]);
    }

    #[test]
    fn a_wrong_type_names_the_path() {
        let e = errors(json!({ "headline": "Hi", "pillars": ["a", 7], "tone": "calm" }));
        assert_eq!(e, vec![r#"/pillars/1: 7 is not of type "string""#]);
    }

    #[test]
    fn length_limits_name_the_path() {
        let e = errors(json!({
            "headline": "This headline is far too long", "pillars": ["a"], "tone": "calm"
        }));
        assert_eq!(e.len(), 1);
        assert!(e[0].starts_with("/headline: "), "{e:?}");
        assert!(e[0].contains("is longer than 20 characters"), "{e:?}");

        let e = errors(json!({ "headline": "Hi", "pillars": [""], "tone": "calm" }));
        assert_eq!(e, vec![r#"/pillars/0: "" is shorter than 1 character"#]);
    }

    #[test]
    fn an_enum_violation_names_the_path_and_the_value() {
        let e = errors(json!({ "headline": "Hi", "pillars": ["a"], "tone": "angry" }));
        assert_eq!(e.len(), 1);
        assert!(e[0].starts_with("/tone: \"angry\""), "{e:?}");
    }

    #[test]
    fn every_violation_is_reported() {
        let e = errors(json!({ "headline": 5, "pillars": [], "tone": "angry", "extra": 1 }));
        assert_eq!(e.len(), 4, "{e:?}");
        for path in ["/headline: ", "/pillars: ", "/tone: ", "(root): "] {
            assert!(e.iter().any(|m| m.starts_with(path)), "{path} in {e:?}");
        }
    }

    #[test]
    fn json_pointer_segments_are_escaped() {
        let s = Schema::new(&json!({
            "type": "object",
            "properties": { "a/b": { "type": "integer" } }
        }))
        .unwrap();
        let e = s.validate(&json!({ "a/b": "x" })).unwrap_err();
        assert!(e[0].starts_with("/a~1b: "), "{e:?}");
    }

    #[test]
    fn long_values_and_long_error_lists_are_capped() {
        let s = Schema::new(&json!({
            "type": "array",
            "items": { "type": "string", "maxLength": 1 }
        }))
        .unwrap();
        let long = "x".repeat(1000);
        let e = s.validate(&json!([long])).unwrap_err();
        assert!(e[0].chars().count() < MAX_MESSAGE_CHARS + 20, "{}", e[0]);
        assert!(e[0].ends_with('…'));

        let many: Vec<Value> = (0..30).map(|_| json!("too long")).collect();
        let e = s.validate(&Value::Array(many)).unwrap_err();
        assert_eq!(e.len(), MAX_MESSAGES + 1);
        assert_eq!(e.last().unwrap(), "… and 10 more errors");
    }

    #[test]
    fn an_invalid_schema_is_an_error() {
        let e = Schema::new(&json!({ "type": "no-such-type" })).unwrap_err();
        assert!(e.starts_with("invalid JSON schema: "), "{e}");
        let e = Schema::new(&json!({ "minLength": -1 })).unwrap_err();
        assert!(e.starts_with("invalid JSON schema: "), "{e}");
    }

    #[test]
    fn remote_references_are_never_fetched() {
        let e = Schema::new(&json!({ "$ref": "https://example.com/schema.json" })).unwrap_err();
        assert!(e.starts_with("invalid JSON schema: "), "{e}");
    }
}
