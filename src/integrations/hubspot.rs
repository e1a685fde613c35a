//! HubSpot CRM v3 (private-app token as `Authorization: Bearer`). Contacts → customers,
//! closed-won deals → orders of their associated contact.
//! Endpoints: GET /account-info/v3/details; GET /crm/v3/objects/{contacts,deals} (full sync);
//! POST /crm/v3/objects/{contacts,deals}/search filtered on the last-modified date (incremental);
//! POST /crm/v4/associations/deals/contacts/batch/read. Paging: `paging.next.after`.

use serde_json::{json, Value};

use super::manager::Client;
use super::normalize::{self as n};
use super::{AccountInfo, Connector, Credentials, Records, SyncCursor, SyncPage};
use crate::ingest::records::{CustomerRecord, OrderRecord, Record};
use crate::ApiError;

pub(crate) struct HubSpot;

const P: &str = "hubspot";
const STAGES: [&str; 2] = ["contacts", "deals"];
const CONTACT_PROPS: &[&str] = &[
    "email",
    "firstname",
    "lastname",
    "phone",
    "company",
    "createdate",
    "lastmodifieddate",
];
const DEAL_PROPS: &[&str] = &[
    "dealname",
    "amount",
    "deal_currency_code",
    "closedate",
    "dealstage",
    "hs_is_closed_won",
    "hs_lastmodifieddate",
];

impl Connector for HubSpot {
    async fn test_connection(
        client: &Client,
        creds: &Credentials,
    ) -> Result<AccountInfo, ApiError> {
        let url = format!("{}/account-info/v3/details", creds.base(client.platform()));
        let v = client
            .get(url)
            .bearer(&creds.secret)
            .cached()
            .json()
            .await?;
        Ok(AccountInfo {
            platform: client.platform(),
            account_id: n::text(&v["portalId"])
                .ok_or_else(|| ApiError::unavailable("HubSpot sent no portalId"))?,
            name: n::text(&v["uiDomain"]),
            currency: n::text(&v["companyCurrency"]),
        })
    }

    async fn sync_page(
        client: &Client,
        creds: &Credentials,
        mut cursor: SyncCursor,
    ) -> Result<SyncPage, ApiError> {
        let object = STAGES[cursor.stage.min(1)];
        let (props, modified) = if object == "contacts" {
            (CONTACT_PROPS, "lastmodifieddate")
        } else {
            (DEAL_PROPS, "hs_lastmodifieddate")
        };
        let base = creds.base(client.platform());
        // Marks are HubSpot's own milliseconds, which its search filter compares against.
        let v = match cursor.since(object) {
            None => {
                let mut call = client
                    .get(format!("{base}/crm/v3/objects/{object}"))
                    .bearer(&creds.secret)
                    .query("limit", 100)
                    .query("properties", props.join(","))
                    .query("archived", "false");
                if let Some(after) = &cursor.page {
                    call = call.query("after", after);
                }
                call.json().await?
            }
            Some(since) => {
                let mut body = json!({
                    "filterGroups": [{ "filters": [{ "propertyName": modified, "operator": "GT", "value": since.to_string() }] }],
                    "sorts": [{ "propertyName": modified, "direction": "ASCENDING" }],
                    "properties": props,
                    "limit": 100,
                });
                if let Some(after) = &cursor.page {
                    body["after"] = json!(after);
                }
                client
                    .post(format!("{base}/crm/v3/objects/{object}/search"), body)
                    .bearer(&creds.secret)
                    .bucket("search")
                    .json()
                    .await?
            }
        };
        let results = v["results"].as_array().cloned().unwrap_or_default();
        for r in &results {
            if let Some(ms) = modified_ms(r, modified) {
                cursor.see(object, ms);
            }
        }
        let records = if object == "contacts" {
            results.iter().filter_map(contact).collect()
        } else {
            deals(client, creds, &results).await?
        };
        let next = n::text(&v["paging"]["next"]["after"]);
        Ok(cursor.page(records, next, STAGES.len()))
    }
}

fn modified_ms(r: &Value, prop: &str) -> Option<i64> {
    let t = &r["properties"][prop];
    let parsed = match t {
        Value::String(s) if s.chars().all(|c| c.is_ascii_digit()) => s.parse().ok(),
        _ => chrono::DateTime::parse_from_rfc3339(t.as_str().or(r["updatedAt"].as_str())?)
            .ok()
            .map(|d| d.timestamp_millis()),
    };
    parsed
}

fn contact(r: &Value) -> Option<Record> {
    let p = &r["properties"];
    let who = n::who(P, n::text(&r["id"]), n::email(&p["email"]))?;
    Some(Record::Customer(CustomerRecord {
        who,
        name: n::full_name(&p["firstname"], &p["lastname"]),
        phone: n::text(&p["phone"]),
        company: n::text(&p["company"]),
        tags: Vec::new(),
        created_at: n::time(&p["createdate"]).or_else(|| n::time(&r["createdAt"])),
        consents: Vec::new(),
    }))
}

/// Closed-won deals become orders of their first associated contact; a deal with no contact
/// has no customer to belong to and is left out.
async fn deals(
    client: &Client,
    creds: &Credentials,
    results: &[Value],
) -> Result<Records, ApiError> {
    let won: Vec<&Value> = results
        .iter()
        .filter(|d| {
            let p = &d["properties"];
            p["hs_is_closed_won"].as_str() == Some("true")
                || p["dealstage"].as_str() == Some("closedwon")
        })
        .collect();
    if won.is_empty() {
        return Ok(Vec::new());
    }
    let inputs: Vec<Value> = won
        .iter()
        .filter_map(|d| n::text(&d["id"]))
        .map(|id| json!({ "id": id }))
        .collect();
    let url = format!(
        "{}/crm/v4/associations/deals/contacts/batch/read",
        creds.base(client.platform())
    );
    let assoc = client
        .post(url, json!({ "inputs": inputs }))
        .bearer(&creds.secret)
        .json()
        .await?;
    let contact_of = |deal: &str| {
        assoc["results"]
            .as_array()?
            .iter()
            .find(|a| n::text(&a["from"]["id"]).as_deref() == Some(deal))
            .and_then(|a| n::text(&a["to"][0]["toObjectId"]))
    };
    Ok(won
        .into_iter()
        .filter_map(|d| {
            let id = n::text(&d["id"])?;
            let p = &d["properties"];
            let who = n::who(P, Some(contact_of(&id)?), None)?;
            Some(Record::Order(OrderRecord {
                who,
                platform: P.to_string(),
                external_order_id: id,
                amount_cents: n::cents(&p["amount"]).unwrap_or(0),
                currency: n::text(&p["deal_currency_code"])
                    .map(|c| c.to_uppercase())
                    .unwrap_or_else(|| "USD".into()),
                ordered_at: n::time(&p["closedate"]).or_else(|| n::time(&d["createdAt"]))?,
            }))
        })
        .collect())
}
