//! Stripe (secret or restricted key as `Authorization: Bearer`). Customers → customers,
//! succeeded charges → orders. Endpoints: GET /v1/account; GET /v1/customers; GET /v1/charges.
//! Paging: `has_more` + `starting_after` (last id of the page); incremental via `created[gt]`
//! (Stripe lists filter on creation only, so later edits of a customer are not re-read).

use serde_json::Value;

use super::manager::Client;
use super::normalize::{self as n};
use super::{AccountInfo, Connector, Credentials, SyncCursor, SyncPage};
use crate::ingest::records::{CustomerRecord, OrderRecord, Record};
use crate::ApiError;

pub(crate) struct Stripe;

const P: &str = "stripe";
const STAGES: [&str; 2] = ["customers", "charges"];

/// Test-mode keys have a lower limit (25 / s) than live keys (100 / s).
fn bucket(creds: &Credentials) -> &'static str {
    if creds.secret.contains("_test_") {
        "test"
    } else {
        "live"
    }
}

impl Connector for Stripe {
    async fn test_connection(
        client: &Client,
        creds: &Credentials,
    ) -> Result<AccountInfo, ApiError> {
        let url = format!("{}/v1/account", creds.base(client.platform()));
        let v = client
            .get(url)
            .bearer(&creds.secret)
            .bucket(bucket(creds))
            .cached()
            .json()
            .await?;
        Ok(AccountInfo {
            platform: client.platform(),
            account_id: n::text(&v["id"])
                .ok_or_else(|| ApiError::unavailable("Stripe sent no account id"))?,
            name: n::text(&v["settings"]["dashboard"]["display_name"])
                .or_else(|| n::text(&v["business_profile"]["name"])),
            currency: n::text(&v["default_currency"]).map(|c| c.to_uppercase()),
        })
    }

    async fn sync_page(
        client: &Client,
        creds: &Credentials,
        mut cursor: SyncCursor,
    ) -> Result<SyncPage, ApiError> {
        let object = STAGES[cursor.stage.min(1)];
        let mut call = client
            .get(format!("{}/v1/{object}", creds.base(client.platform())))
            .bearer(&creds.secret)
            .bucket(bucket(creds))
            .query("limit", 100);
        if let Some(since) = cursor.since(object) {
            call = call.query("created[gt]", since);
        }
        if let Some(after) = &cursor.page {
            call = call.query("starting_after", after);
        }
        let v = call.json().await?;
        let data = v["data"].as_array().cloned().unwrap_or_default();
        let mut records = Vec::new();
        for o in &data {
            let Some(created) = n::time(&o["created"]) else {
                continue;
            };
            cursor.see(object, created);
            let record = if object == "customers" {
                customer(o)
            } else {
                charge(o)
            };
            records.extend(record);
        }
        let next = if v["has_more"].as_bool() == Some(true) {
            data.last().and_then(|o| n::text(&o["id"]))
        } else {
            None
        };
        Ok(cursor.page(records, next, STAGES.len()))
    }
}

fn customer(c: &Value) -> Option<Record> {
    if c["deleted"].as_bool() == Some(true) {
        return None;
    }
    Some(Record::Customer(CustomerRecord {
        who: n::who(P, n::text(&c["id"]), n::email(&c["email"]))?,
        name: n::text(&c["name"]),
        phone: n::text(&c["phone"]),
        company: None,
        tags: Vec::new(),
        created_at: n::time(&c["created"]),
        consents: Vec::new(),
    }))
}

/// Only money that moved: succeeded charges. Amounts are already in the smallest unit.
fn charge(c: &Value) -> Option<Record> {
    if c["status"].as_str() != Some("succeeded") {
        return None;
    }
    let email = n::email(&c["billing_details"]["email"]).or_else(|| n::email(&c["receipt_email"]));
    Some(Record::Order(OrderRecord {
        who: n::who(P, n::text(&c["customer"]), email)?,
        platform: P.to_string(),
        external_order_id: n::text(&c["id"])?,
        amount_cents: c["amount"].as_i64()?,
        currency: n::text(&c["currency"])?.to_uppercase(),
        ordered_at: n::time(&c["created"])?,
    }))
}
