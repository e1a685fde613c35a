//! Klaviyo JSON:API, revision 2024-10-15 (`Authorization: Klaviyo-API-Key …`). Profiles →
//! customers, events (with their metric and profile included) → events.
//! Endpoints: GET /api/accounts/; GET /api/profiles/ filtered `greater-than(updated,…)`;
//! GET /api/events/ filtered `greater-than(datetime,…)` with `include=metric,profile`.
//! Paging: `links.next` (a full URL, followed as given).

use std::collections::HashMap;

use serde_json::Value;

use super::manager::{Call, Client};
use super::normalize::{self as n};
use super::{AccountInfo, Connector, Credentials, SyncCursor, SyncPage};
use crate::ingest::records::{key_of, CustomerRecord, EventRecord, Record};
use crate::ApiError;

pub(crate) struct Klaviyo;

const P: &str = "klaviyo";
const REVISION: &str = "2024-10-15";
const STAGES: [&str; 2] = ["profiles", "events"];

fn auth<'a>(call: Call<'a>, creds: &Credentials) -> Call<'a> {
    call.header("authorization", format!("Klaviyo-API-Key {}", creds.secret))
        .header("revision", REVISION)
        .header("accept", "application/vnd.api+json")
}

impl Connector for Klaviyo {
    async fn test_connection(
        client: &Client,
        creds: &Credentials,
    ) -> Result<AccountInfo, ApiError> {
        let url = format!("{}/api/accounts/", creds.base(client.platform()));
        let v = auth(client.get(url), creds)
            .bucket("accounts")
            .cached()
            .json()
            .await?;
        let a = &v["data"][0];
        Ok(AccountInfo {
            platform: client.platform(),
            account_id: n::text(&a["id"])
                .ok_or_else(|| ApiError::unavailable("Klaviyo sent no account"))?,
            name: n::text(&a["attributes"]["contact_information"]["organization_name"]),
            currency: n::text(&a["attributes"]["preferred_currency"]),
        })
    }

    async fn sync_page(
        client: &Client,
        creds: &Credentials,
        mut cursor: SyncCursor,
    ) -> Result<SyncPage, ApiError> {
        let object = STAGES[cursor.stage.min(1)];
        let (field, bucket) = if object == "profiles" {
            ("updated", "profiles")
        } else {
            ("datetime", "events")
        };
        let call = match &cursor.page {
            Some(next) => client.get(next.clone()),
            None => {
                let mut c = client.get(format!("{}/api/{object}/", creds.base(client.platform())));
                if object == "profiles" {
                    c = c.query("page[size]", 100).query("sort", "updated");
                } else {
                    c = c
                        .query("include", "metric,profile")
                        .query("fields[profile]", "email")
                        .query("sort", "datetime");
                }
                if let Some(since) = cursor.since(object) {
                    c = c.query(
                        "filter",
                        format!("greater-than({field},{})", n::rfc3339(since)),
                    );
                }
                c
            }
        };
        let v = auth(call, creds).bucket(bucket).json().await?;
        let data = v["data"].as_array().cloned().unwrap_or_default();
        let mut records = Vec::new();
        if object == "profiles" {
            for p in &data {
                let Some(updated) = n::time(&p["attributes"]["updated"]) else {
                    continue;
                };
                if cursor.already_synced(object, updated) {
                    continue;
                }
                cursor.see(object, updated);
                records.extend(profile(p));
            }
        } else {
            let included = index(&v["included"]);
            for e in &data {
                let Some(at) = n::time(&e["attributes"]["datetime"])
                    .or_else(|| n::time(&e["attributes"]["timestamp"]))
                else {
                    continue;
                };
                if cursor.already_synced(object, at) {
                    continue;
                }
                cursor.see(object, at);
                records.extend(event(e, at, &included));
            }
        }
        let next = n::text(&v["links"]["next"]);
        Ok(cursor.page(records, next, STAGES.len()))
    }
}

fn index(included: &Value) -> HashMap<(String, String), Value> {
    included
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| {
            Some((
                (n::text(&i["type"])?, n::text(&i["id"])?),
                i["attributes"].clone(),
            ))
        })
        .collect()
}

fn profile(p: &Value) -> Option<Record> {
    let a = &p["attributes"];
    Some(Record::Customer(CustomerRecord {
        who: n::who(P, n::text(&p["id"]), n::email(&a["email"]))?,
        name: n::full_name(&a["first_name"], &a["last_name"]),
        phone: n::text(&a["phone_number"]),
        company: n::text(&a["organization"]),
        tags: Vec::new(),
        created_at: n::time(&a["created"]),
        consents: Vec::new(),
    }))
}

/// The event type is the metric's name in snake case ("Opened Email" → "opened_email");
/// the event key follows the ingest rule for events with a platform id.
fn event(e: &Value, at: i64, included: &HashMap<(String, String), Value>) -> Option<Record> {
    let id = n::text(&e["id"])?;
    let profile_id = n::text(&e["relationships"]["profile"]["data"]["id"]);
    let email = profile_id
        .as_ref()
        .and_then(|pid| included.get(&("profile".into(), pid.clone())))
        .and_then(|a| n::email(&a["email"]));
    let metric = n::text(&e["relationships"]["metric"]["data"]["id"])
        .and_then(|mid| included.get(&("metric".into(), mid)))
        .and_then(|a| n::text(&a["name"]))
        .unwrap_or_else(|| "event".into());
    let event_type = metric
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_");
    let channel = if event_type.contains("sms") {
        Some("sms".to_string())
    } else if event_type.contains("email") {
        Some("email".to_string())
    } else {
        None
    };
    let props = &e["attributes"]["event_properties"];
    Some(Record::Event(EventRecord {
        who: n::who(P, profile_id, email)?,
        event_key: key_of(&[P, "id", &id]),
        event_type,
        occurred_at: at,
        channel,
        spend_cents: None,
        content_id: n::text(&props["$message"]),
        campaign_id: n::text(&props["$flow"]).or_else(|| n::text(&props["Campaign Name"])),
    }))
}
