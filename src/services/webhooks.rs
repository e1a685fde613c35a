//! Signed webhooks. A sender signs `"{timestamp}.{body}"` with HMAC-SHA256 under the
//! organization's secret and sends `X-OmniFy-Timestamp` and `X-OmniFy-Signature: sha256=<hex>`.
//! The body is `{"id": "...", "type": "customers|orders|events|performance", "data": {...} | [...]}`
//! with the same field names as file imports. Deliveries outside a 5-minute window, with a bad
//! signature or a repeated id are refused or ignored; nothing of a bad delivery is stored.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::audit::{self, Event};
use super::{customer_data, Actor, RequestMeta};
use crate::auth::{sealing, tokens};
use crate::db::{organizations, time, webhooks};
use crate::ingest::{self, records};
use crate::model::{ImportKind, RowError, WebhookReceipt, WebhookSecretCreated, WebhookSettings};
use crate::{ApiError, Core};

pub const SIGNATURE_HEADER: &str = "x-omnify-signature";
pub const TIMESTAMP_HEADER: &str = "x-omnify-timestamp";
/// How far a delivery's timestamp may be from now, either way.
pub const WINDOW_SECONDS: i64 = 300;
const MAX_RECORDS: usize = 1_000;

pub struct Delivery<'a> {
    pub organization_slug: &'a str,
    pub source: &'a str,
    pub timestamp: Option<&'a str>,
    pub signature: Option<&'a str>,
    pub body: &'a [u8],
}

/// The signature a sender puts in `X-OmniFy-Signature`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

fn signature_matches(secret: &str, timestamp: &str, body: &[u8], signature: &str) -> bool {
    let Some(hex_sig) = signature.trim().strip_prefix("sha256=") else { return false };
    let Ok(expected) = hex::decode(hex_sig) else { return false };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&expected).is_ok() // constant time
}

pub async fn receive(core: &Core, d: Delivery<'_>) -> Result<WebhookReceipt, ApiError> {
    let refused = |why: &str| ApiError::unauthenticated(format!("Webhook refused: {why}"));
    if d.source.is_empty() || d.source.len() > 64 || !d.source.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-') {
        return Err(ApiError::validation("source", "The source must be 1-64 lowercase letters, digits, - or _"));
    }
    // An unknown organization looks exactly like a bad signature, so slugs cannot be probed.
    let org = organizations::find_by_slug(&core.db.pool, d.organization_slug).await?;
    let sealed = match &org {
        Some(o) => webhooks::secret(&core.db.pool, &o.id).await?,
        None => None,
    };
    let (Some(org), Some((sealed, _))) = (org, sealed) else {
        return Err(refused("invalid signature"));
    };
    let secret = sealing::open(&core.settings.encryption_key, &sealed).ok_or_else(|| {
        tracing::error!(organization_id = %org.id, "webhook secret does not open with the configured encryption key");
        ApiError::internal()
    })?;
    let timestamp = d.timestamp.ok_or_else(|| refused("the X-OmniFy-Timestamp header is missing"))?;
    let signature = d.signature.ok_or_else(|| refused("the X-OmniFy-Signature header is missing"))?;
    let sent_at: i64 = timestamp.trim().parse().map_err(|_| refused("the timestamp is not unix seconds"))?;
    let now = time::now();
    if (now - sent_at).abs() > WINDOW_SECONDS {
        return Err(refused("the timestamp is more than 5 minutes from now"));
    }
    if !signature_matches(&secret, timestamp.trim(), d.body, signature) {
        return Err(refused("invalid signature"));
    }

    let (event_id, kind, rows) = parse_envelope(d.body, d.source)?;
    let mut parsed = Vec::with_capacity(rows.len());
    let mut errors: Vec<RowError> = Vec::new();
    for row in &rows {
        match records::parse(kind, row) {
            Ok(r) => parsed.push(r),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        let mut e = ApiError::validation("data", format!("{} of the delivery's records are invalid; nothing was stored", errors.len()));
        e.details = Some(serde_json::json!({ "row_errors": errors }));
        return Err(e);
    }
    let mut tx = core.db.pool.begin().await?;
    if !webhooks::record_receipt(&mut *tx, &org.id, d.source, &event_id, parsed.len() as i64, now).await? {
        return Ok(WebhookReceipt { status: "duplicate".into(), event_id, records: 0, inserted: 0, updated: 0, unchanged: 0 });
    }
    let counts = customer_data::write(&mut tx, &org.id, &parsed, now).await?;
    tx.commit().await?;
    core.data_changed(&org.id);
    Ok(WebhookReceipt {
        status: "accepted".into(),
        event_id,
        records: parsed.len() as i64,
        inserted: counts.inserted as i64,
        updated: counts.updated as i64,
        unchanged: counts.unchanged as i64,
    })
}

/// The envelope's id, kind and rows; a record without a platform gets the webhook's source.
fn parse_envelope(body: &[u8], source: &str) -> Result<(String, ImportKind, Vec<ingest::RawRow>), ApiError> {
    let bad = |m: &str| ApiError::validation("body", m.to_string());
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|_| bad("The body must be a JSON object"))?;
    let id = match &v["id"] {
        serde_json::Value::String(s) if !s.trim().is_empty() && s.len() <= 255 => s.trim().to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err(bad("The body needs an \"id\" (the event's unique id, at most 255 characters)")),
    };
    let kind = v["type"]
        .as_str()
        .and_then(|t| ImportKind::parse(t).or_else(|| ImportKind::parse(&format!("{t}s"))))
        .ok_or_else(|| bad("\"type\" must be one of customers, orders, events, performance"))?;
    let objects: Vec<&serde_json::Map<String, serde_json::Value>> = match &v["data"] {
        serde_json::Value::Object(o) => vec![o],
        serde_json::Value::Array(items) => {
            items.iter().map(|i| i.as_object().ok_or_else(|| bad("Every item of \"data\" must be an object"))).collect::<Result<_, _>>()?
        }
        _ => return Err(bad("\"data\" must be an object or an array of objects")),
    };
    if objects.is_empty() || objects.len() > MAX_RECORDS {
        return Err(bad(&format!("\"data\" must hold 1 to {MAX_RECORDS} records")));
    }
    let rows = objects
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            let mut o = o.clone();
            o.entry("platform").or_insert_with(|| serde_json::Value::String(source.to_string()));
            ingest::reader::row_from_json(kind, &o, i as u64 + 1)
        })
        .collect();
    Ok((id, kind, rows))
}

pub async fn settings(core: &Core, actor: &Actor) -> Result<WebhookSettings, ApiError> {
    let org = organizations::find(&core.db.pool, &actor.organization_id).await?.ok_or_else(|| ApiError::not_found("Organization"))?;
    let secret = webhooks::secret(&core.db.pool, &org.id).await?;
    let (deliveries, last) = webhooks::recent(&core.db.pool, &org.id, time::now() - 24 * 3600).await?;
    Ok(WebhookSettings {
        configured: secret.is_some(),
        secret_created_at: secret.map(|(_, t)| time::rfc3339(t)),
        endpoint: format!("/api/webhooks/{}/{{source}}", org.slug),
        deliveries_last_24h: deliveries,
        last_delivery_at: last.map(time::rfc3339),
    })
}

/// Makes a new signing secret (the old one stops working at once). Shown this once only.
pub async fn rotate_secret(core: &Core, meta: &RequestMeta, actor: &Actor) -> Result<WebhookSecretCreated, ApiError> {
    actor.require_admin("manage webhook secrets")?;
    let secret = format!("whsec_{}", tokens::opaque_token());
    let now = time::now();
    let mut tx = core.db.pool.begin().await?;
    webhooks::set_secret(&mut *tx, &actor.organization_id, &sealing::seal(&core.settings.encryption_key, &secret), now).await?;
    audit::record(
        &mut *tx,
        meta,
        Event {
            organization_id: &actor.organization_id,
            user_id: Some(&actor.user_id),
            action: "webhooks.secret_rotated",
            target: None,
            outcome: audit::SUCCESS,
            details: serde_json::json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(WebhookSecretCreated { secret, created_at: time::rfc3339(now) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_for_the_same_secret_time_and_body() {
        let sig = sign("whsec_1", 1_700_000_000, b"{}");
        assert!(signature_matches("whsec_1", "1700000000", b"{}", &sig));
        assert!(!signature_matches("whsec_2", "1700000000", b"{}", &sig));
        assert!(!signature_matches("whsec_1", "1700000001", b"{}", &sig));
        assert!(!signature_matches("whsec_1", "1700000000", b"{ }", &sig));
        assert!(!signature_matches("whsec_1", "1700000000", b"{}", sig.trim_start_matches("sha256=")));
    }

    #[test]
    fn envelopes_name_their_kind_and_default_the_platform_to_the_source() {
        let body = br#"{"id":"e1","type":"order","data":[{"order_id":"1","email":"a@b.co","amount":"3","ordered_at":"2026-01-01"}]}"#;
        let (id, kind, rows) = parse_envelope(body, "shopify").unwrap();
        assert_eq!((id.as_str(), kind), ("e1", ImportKind::Orders));
        let platform = ImportKind::Orders.fields().iter().position(|f| f.name == "platform").unwrap();
        assert_eq!(rows[0].values[platform].as_deref(), Some("shopify"));
        assert!(parse_envelope(br#"{"type":"orders","data":{}}"#, "x").is_err());
        assert!(parse_envelope(br#"{"id":"1","type":"refunds","data":{}}"#, "x").is_err());
    }
}
