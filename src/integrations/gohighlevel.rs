//! HighLevel API v2 (`services.leadconnectorhq.com`, private integration or OAuth token as
//! `Authorization: Bearer`, `Version: 2021-07-28`). Contacts → customers.
//! Endpoints: GET /locations/{locationId}; POST /contacts/search sorted by `dateUpdated`,
//! filtered `dateUpdated > mark` when incremental, paged with `searchAfter` (the last
//! contact's sort values).

use serde_json::{json, Value};

use super::manager::Client;
use super::normalize::{self as n};
use super::{AccountInfo, Connector, Credentials, Platform, SyncCursor, SyncPage};
use crate::ingest::records::{CustomerRecord, Record};
use crate::ApiError;

pub(crate) struct GoHighLevel;

const P: &str = "gohighlevel";
const VERSION: &str = "2021-07-28";
const STAGE: &str = "contacts";
const PAGE: usize = 100;

impl Connector for GoHighLevel {
    async fn test_connection(
        client: &Client,
        creds: &Credentials,
    ) -> Result<AccountInfo, ApiError> {
        let location = creds.require(Platform::Gohighlevel, "location_id")?;
        let url = format!("{}/locations/{location}", creds.base(client.platform()));
        let v = client
            .get(url)
            .bearer(&creds.secret)
            .header("version", VERSION)
            .cached()
            .json()
            .await?;
        let l = &v["location"];
        Ok(AccountInfo {
            platform: client.platform(),
            account_id: n::text(&l["id"])
                .ok_or_else(|| ApiError::unavailable("GoHighLevel sent no location"))?,
            name: n::text(&l["name"]),
            currency: None,
        })
    }

    async fn sync_page(
        client: &Client,
        creds: &Credentials,
        mut cursor: SyncCursor,
    ) -> Result<SyncPage, ApiError> {
        let location = creds.require(Platform::Gohighlevel, "location_id")?;
        let mut body = json!({
            "locationId": location,
            "pageLimit": PAGE,
            "sort": [{ "field": "dateUpdated", "direction": "asc" }],
        });
        if let Some(since) = cursor.since(STAGE) {
            body["filters"] = json!([{ "field": "dateUpdated", "operator": "range", "value": { "gt": n::rfc3339(since) } }]);
        }
        if let Some(after) = &cursor.page {
            body["searchAfter"] = serde_json::from_str(after).unwrap_or(Value::Null);
        }
        let url = format!("{}/contacts/search", creds.base(client.platform()));
        let v = client
            .post(url, body)
            .bearer(&creds.secret)
            .header("version", VERSION)
            .json()
            .await?;
        let contacts = v["contacts"].as_array().cloned().unwrap_or_default();
        let mut records = Vec::new();
        for c in &contacts {
            if let Some(updated) = n::time(&c["dateUpdated"]) {
                if cursor.already_synced(STAGE, updated) {
                    continue;
                }
                cursor.see(STAGE, updated);
            }
            records.extend(contact(c));
        }
        let next = if contacts.len() == PAGE {
            contacts
                .last()
                .map(|c| c["searchAfter"].clone())
                .filter(|s| !s.is_null())
                .map(|s| s.to_string())
        } else {
            None
        };
        Ok(cursor.page(records, next, 1))
    }
}

fn contact(c: &Value) -> Option<Record> {
    let tags = c["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(n::text)
        .map(|t| t.to_lowercase())
        .collect();
    let name = n::full_name(&c["firstName"], &c["lastName"]).or_else(|| n::text(&c["contactName"]));
    Some(Record::Customer(CustomerRecord {
        who: n::who(P, n::text(&c["id"]), n::email(&c["email"]))?,
        name,
        phone: n::text(&c["phone"]),
        company: n::text(&c["companyName"]),
        tags,
        created_at: n::time(&c["dateAdded"]),
        consents: Vec::new(),
    }))
}
