//! Shopify Admin REST API 2024-10 (`X-Shopify-Access-Token`). Customers → customers (with
//! email marketing consent), orders → orders. Endpoints: GET /admin/api/2024-10/shop.json,
//! customers.json, orders.json?status=any. Paging: cursor-based `Link: <…page_info=…>;
//! rel="next"`, followed as given; incremental via `updated_at_min` (inclusive, so records at
//! exactly the mark are skipped client-side).

use serde_json::Value;

use super::manager::Client;
use super::normalize::{self as n};
use super::{AccountInfo, Connector, Credentials, Platform, SyncCursor, SyncPage};
use crate::ingest::records::{ConsentRecord, CustomerRecord, OrderRecord, Record};
use crate::ApiError;

pub(crate) struct Shopify;

const P: &str = "shopify";
const VERSION: &str = "2024-10";
const STAGES: [&str; 2] = ["customers", "orders"];

fn base(creds: &Credentials) -> Result<String, ApiError> {
    if let Some(b) = &creds.base_url {
        return Ok(b.trim_end_matches('/').to_string());
    }
    let shop = creds.require(Platform::Shopify, "shop")?;
    let shop = shop.trim_start_matches("https://").trim_end_matches('/');
    let host = if shop.contains('.') {
        shop.to_string()
    } else {
        format!("{shop}.myshopify.com")
    };
    Ok(format!("https://{host}"))
}

impl Connector for Shopify {
    async fn test_connection(
        client: &Client,
        creds: &Credentials,
    ) -> Result<AccountInfo, ApiError> {
        let url = format!("{}/admin/api/{VERSION}/shop.json", base(creds)?);
        let v = client
            .get(url)
            .header("x-shopify-access-token", &creds.secret)
            .cached()
            .json()
            .await?;
        let shop = &v["shop"];
        Ok(AccountInfo {
            platform: client.platform(),
            account_id: n::text(&shop["id"])
                .ok_or_else(|| ApiError::unavailable("Shopify sent no shop id"))?,
            name: n::text(&shop["name"]),
            currency: n::text(&shop["currency"]),
        })
    }

    async fn sync_page(
        client: &Client,
        creds: &Credentials,
        mut cursor: SyncCursor,
    ) -> Result<SyncPage, ApiError> {
        let object = STAGES[cursor.stage.min(1)];
        let call = match &cursor.page {
            // The next link carries every parameter; Shopify refuses filters beside page_info.
            Some(link) => client.get(link.clone()),
            None => {
                let mut c = client
                    .get(format!(
                        "{}/admin/api/{VERSION}/{object}.json",
                        base(creds)?
                    ))
                    .query("limit", 250);
                if object == "orders" {
                    c = c.query("status", "any");
                }
                if let Some(since) = cursor.since(object) {
                    c = c.query("updated_at_min", n::rfc3339(since));
                }
                c
            }
        };
        let resp = call
            .header("x-shopify-access-token", &creds.secret)
            .bucket("rest")
            .send()
            .await?;
        let items = resp.body[object].as_array().cloned().unwrap_or_default();
        let mut records = Vec::new();
        for o in &items {
            let Some(updated) = n::time(&o["updated_at"]) else {
                continue;
            };
            if cursor.already_synced(object, updated) {
                continue;
            }
            cursor.see(object, updated);
            records.extend(if object == "customers" {
                customer(o)
            } else {
                order(o)
            });
        }
        let link = resp
            .headers
            .get("link")
            .and_then(|v| v.to_str().ok())
            .and_then(next_link);
        Ok(cursor.page(records, link, STAGES.len()))
    }
}

/// The `rel="next"` target of a Link header.
pub(crate) fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
    })
}

fn customer(c: &Value) -> Option<Record> {
    let mut consents = Vec::new();
    let consent = &c["email_marketing_consent"];
    if let Some(state) = consent["state"].as_str() {
        consents.push(ConsentRecord {
            purpose: "marketing_email".into(),
            granted: state == "subscribed",
            source: P.into(),
            expires_at: None,
        });
    }
    if let Some(state) = c["sms_marketing_consent"]["state"].as_str() {
        consents.push(ConsentRecord {
            purpose: "marketing_sms".into(),
            granted: state == "subscribed",
            source: P.into(),
            expires_at: None,
        });
    }
    let tags = c["tags"]
        .as_str()
        .unwrap_or("")
        .split(',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    Some(Record::Customer(CustomerRecord {
        who: n::who(P, n::text(&c["id"]), n::email(&c["email"]))?,
        name: n::full_name(&c["first_name"], &c["last_name"]),
        phone: n::text(&c["phone"]),
        company: n::text(&c["default_address"]["company"]),
        tags,
        created_at: n::time(&c["created_at"]),
        consents,
    }))
}

/// Cancelled and voided orders never brought revenue and are left out.
fn order(o: &Value) -> Option<Record> {
    if !o["cancelled_at"].is_null() || o["financial_status"].as_str() == Some("voided") {
        return None;
    }
    let email = n::email(&o["email"]).or_else(|| n::email(&o["customer"]["email"]));
    Some(Record::Order(OrderRecord {
        who: n::who(P, n::text(&o["customer"]["id"]), email)?,
        platform: P.to_string(),
        external_order_id: n::text(&o["id"])?,
        amount_cents: n::cents(&o["total_price"])?,
        currency: n::text(&o["currency"]).unwrap_or_else(|| "USD".into()),
        ordered_at: n::time(&o["processed_at"]).or_else(|| n::time(&o["created_at"]))?,
    }))
}
