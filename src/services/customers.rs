//! Browsing customers, and the privacy rights: export everything about one, or erase them.

use super::audit::{self, Event};
use super::{Actor, RequestMeta};
use crate::db::customers::{self, CustomerRow};
use crate::db::{events, orders, time};
use crate::model::{
    ConsentDto, CustomerDetail, CustomerPage, CustomerQuery, CustomerSummary, EventDto, OrderDto, PlatformIdentity,
};
use crate::{ApiError, Core};

const DEFAULT_PAGE: i64 = 25;
const MAX_PAGE: i64 = 200;
/// Events shown on the customer page; the export has all of them.
const RECENT_EVENTS: i64 = 50;

pub async fn list(core: &Core, actor: &Actor, query: CustomerQuery) -> Result<CustomerPage, ApiError> {
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::validation("limit", format!("limit must be between 1 and {MAX_PAGE}")));
    }
    let offset = query.offset.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::validation("offset", "offset cannot be negative"));
    }
    let q = query.q.unwrap_or_default();
    if q.chars().count() > 200 {
        return Err(ApiError::validation("q", "The search is longer than 200 characters"));
    }
    let mut conn = core.db.pool.acquire().await?;
    let (rows, total) = customers::search(&mut conn, &actor.organization_id, &q, limit, offset).await?;
    let items = rows
        .into_iter()
        .map(|r| CustomerSummary {
            customer_id: r.id,
            email: r.email,
            name: r.name,
            company: r.company,
            tags: serde_json::from_str(&r.tags).unwrap_or_default(),
            orders: r.orders,
            revenue_cents: r.revenue_cents,
            last_order_at: r.last_order_at.map(time::rfc3339),
            created_at: time::rfc3339(r.created_at),
        })
        .collect();
    Ok(CustomerPage { items, total })
}

pub async fn get(core: &Core, actor: &Actor, id: &str) -> Result<CustomerDetail, ApiError> {
    detail(core, actor, id, Some(RECENT_EVENTS)).await
}

/// Everything stored about one customer (GDPR access request).
pub async fn export(core: &Core, meta: &RequestMeta, actor: &Actor, id: &str) -> Result<serde_json::Value, ApiError> {
    require_privacy_role(actor, "export a customer's data")?;
    let detail = detail(core, actor, id, None).await?;
    audit::record(
        &core.db.pool,
        meta,
        Event {
            organization_id: &actor.organization_id,
            user_id: Some(&actor.user_id),
            action: "customer.export",
            target: Some(("customer", id)),
            outcome: audit::SUCCESS,
            details: serde_json::json!({}),
        },
    )
    .await?;
    Ok(serde_json::json!({
        "exported_at": time::rfc3339(time::now()),
        "customer": detail,
    }))
}

/// Erases a customer across every table (GDPR erasure). Irreversible; audited without PII.
pub async fn erase(core: &Core, meta: &RequestMeta, actor: &Actor, id: &str) -> Result<(), ApiError> {
    require_privacy_role(actor, "erase a customer")?;
    let mut tx = core.db.pool.begin().await?;
    if !customers::delete(&mut *tx, &actor.organization_id, id).await? {
        return Err(ApiError::not_found("Customer"));
    }
    audit::record(
        &mut *tx,
        meta,
        Event {
            organization_id: &actor.organization_id,
            user_id: Some(&actor.user_id),
            action: "customer.erase",
            target: Some(("customer", id)),
            outcome: audit::SUCCESS,
            details: serde_json::json!({ "tables": ["customers", "customer_identities", "customer_consents", "orders", "events"] }),
        },
    )
    .await?;
    tx.commit().await?;
    core.data_changed(&actor.organization_id);
    Ok(())
}

fn require_privacy_role(actor: &Actor, what: &str) -> Result<(), ApiError> {
    use crate::model::Role;
    if matches!(actor.role, Role::Owner | Role::Admin | Role::Manager) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!("Only owners, admins and managers can {what}")))
    }
}

async fn detail(core: &Core, actor: &Actor, id: &str, events_limit: Option<i64>) -> Result<CustomerDetail, ApiError> {
    let org = &actor.organization_id;
    let mut conn = core.db.pool.acquire().await?;
    let c: CustomerRow = customers::find(&mut *conn, org, id).await?.ok_or_else(|| ApiError::not_found("Customer"))?;
    let identities = customers::identities(&mut *conn, org, id).await?;
    let consents = customers::consents(&mut *conn, org, id).await?;
    let orders = orders::for_customer(&mut *conn, org, id).await?;
    let events = events::for_customer(&mut *conn, org, id, events_limit).await?;
    let (order_count, revenue_cents, event_count) = customers::totals(&mut conn, org, id).await?;
    Ok(CustomerDetail {
        customer_id: c.id,
        email: c.email,
        name: c.name,
        phone: c.phone,
        company: c.company,
        tags: serde_json::from_str(&c.tags).unwrap_or_default(),
        created_at: time::rfc3339(c.created_at),
        identities: identities.into_iter().map(|(platform, external_id)| PlatformIdentity { platform, external_id }).collect(),
        consents: consents
            .into_iter()
            .map(|c| ConsentDto {
                purpose: c.purpose,
                granted: c.granted != 0,
                source: c.source,
                recorded_at: time::rfc3339(c.recorded_at),
                expires_at: c.expires_at.map(time::rfc3339),
            })
            .collect(),
        orders: orders
            .into_iter()
            .map(|o| OrderDto {
                order_id: o.id,
                external_order_id: o.external_order_id,
                platform: o.platform,
                amount_cents: o.amount_cents,
                currency: o.currency,
                ordered_at: time::rfc3339(o.ordered_at),
            })
            .collect(),
        events: events
            .into_iter()
            .map(|e| EventDto {
                event_type: e.event_type,
                occurred_at: time::rfc3339(e.occurred_at),
                channel: e.channel,
                spend_cents: e.spend_cents,
                content_id: e.content_id,
                campaign_id: e.campaign_id,
            })
            .collect(),
        order_count,
        event_count,
        revenue_cents,
    })
}
