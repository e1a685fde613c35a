//! Shopify and Stripe against fakes replaying their documented payloads.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};

use super::*;

// ---- Shopify: Link rel="next" page_info, updated_at_min ----

fn sh_customer(id: u64, email: &str, updated: &str) -> Value {
    json!({"id": id, "email": email, "first_name": "Steve", "last_name": "Lastnameson", "phone": "+16136120707",
        "created_at": "2024-01-02T10:00:00-05:00", "updated_at": updated, "tags": "VIP, Newsletter",
        "default_address": {"company": "Fancy Co."},
        "email_marketing_consent": {"state": "subscribed", "opt_in_level": "single_opt_in", "consent_updated_at": null},
        "sms_marketing_consent": {"state": "not_subscribed"}})
}

#[tokio::test]
async fn shopify_follows_link_headers_and_normalises_orders() {
    let changed = Arc::new(AtomicBool::new(false));
    let ch = changed.clone();
    let f = fake(move |r, _| {
        assert_eq!(r.header("x-shopify-access-token").as_deref(), Some("secret-token"));
        let limit = ("x-shopify-shop-api-call-limit", "3/40");
        match r.path.as_str() {
            "/admin/api/2024-10/shop.json" => ok(json!({"shop": {"id": 548380009, "name": "John Smith Test Store", "currency": "USD", "myshopify_domain": "jsmith.myshopify.com"}})),
            "/admin/api/2024-10/customers.json" => {
                if let Some(min) = r.param("updated_at_min") {
                    assert_eq!(min, "2024-02-01T15:00:00Z");
                    // updated_at_min is inclusive: the last synced customer comes back too.
                    let mut cs = vec![sh_customer(2, "b@x.io", "2024-02-01T10:00:00-05:00")];
                    if ch.load(Ordering::SeqCst) {
                        cs.push(sh_customer(3, "c@x.io", "2024-03-01T10:00:00-05:00"));
                    }
                    return ok(json!({"customers": cs})).header(limit.0, limit.1);
                }
                match r.param("page_info").as_deref() {
                    None => {
                        assert_eq!(r.param("limit").as_deref(), Some("250"));
                        ok(json!({"customers": [sh_customer(1, "Steve@Example.com", "2024-01-15T10:00:00-05:00")]}))
                            .header("link", "<{base}/admin/api/2024-10/customers.json?limit=250&page_info=abc123>; rel=\"next\"")
                            .header(limit.0, limit.1)
                    }
                    Some("abc123") => ok(json!({"customers": [sh_customer(2, "b@x.io", "2024-02-01T10:00:00-05:00")]}))
                        .header("link", "<{base}/admin/api/2024-10/customers.json?limit=250&page_info=zzz>; rel=\"previous\"")
                        .header(limit.0, limit.1),
                    _ => status(400, r#"{"errors":"bad page_info"}"#),
                }
            }
            "/admin/api/2024-10/orders.json" => {
                assert_eq!(r.param("status").as_deref(), Some("any"));
                if r.param("updated_at_min").is_some() {
                    return ok(json!({"orders": []}));
                }
                ok(json!({"orders": [
                    {"id": 450789469, "name": "#1001", "email": "Bob.Norman@mail.example.com", "created_at": "2024-01-10T11:00:00-05:00",
                     "processed_at": "2024-01-10T11:00:00-05:00", "updated_at": "2024-01-10T11:05:00-05:00", "total_price": "598.94",
                     "currency": "USD", "financial_status": "paid", "cancelled_at": null, "customer": {"id": 207119551, "email": "bob.norman@mail.example.com"}},
                    {"id": 450789470, "email": "x@y.z", "created_at": "2024-01-11T11:00:00-05:00", "updated_at": "2024-01-11T11:00:00-05:00",
                     "total_price": "10.00", "currency": "USD", "financial_status": "voided", "cancelled_at": "2024-01-11T12:00:00-05:00", "customer": {"id": 1}}
                ]}))
            }
            _ => status(404, r#"{"errors":"Not Found"}"#),
        }
    })
    .await;
    let m = manager();
    let c = creds(&f.url);
    let a = m.test_connection(Platform::Shopify, &c).await.unwrap();
    assert_eq!(
        (a.account_id.as_str(), a.name.as_deref()),
        ("548380009", Some("John Smith Test Store"))
    );

    let (records, cursor) = run(&m, Platform::Shopify, &c, None).await;
    let cs = customers(&records);
    assert_eq!(cs.len(), 2, "both pages, the previous link is not followed");
    assert_eq!(cs[0].who.email.as_deref(), Some("steve@example.com"));
    assert_eq!(cs[0].who.external_id.as_deref(), Some("1"));
    assert_eq!(cs[0].tags, vec!["vip", "newsletter"]);
    assert_eq!(cs[0].company.as_deref(), Some("Fancy Co."));
    assert_eq!(cs[0].created_at, Some(1_704_207_600));
    assert_eq!(cs[0].consents.len(), 2);
    assert!(cs[0].consents[0].purpose == "marketing_email" && cs[0].consents[0].granted);
    assert!(cs[0].consents[1].purpose == "marketing_sms" && !cs[0].consents[1].granted);
    let os = orders(&records);
    assert_eq!(os.len(), 1, "the cancelled order is left out");
    assert_eq!(
        (
            os[0].external_order_id.as_str(),
            os[0].amount_cents,
            os[0].currency.as_str()
        ),
        ("450789469", 59_894, "USD")
    );
    assert_eq!(os[0].who.external_id.as_deref(), Some("207119551"));
    assert_eq!(os[0].ordered_at, 1_704_902_400);
    assert_eq!(cursor.since("customers"), Some(1_706_799_600));

    changed.store(true, Ordering::SeqCst);
    let (records, _) = run(&m, Platform::Shopify, &c, Some(cursor)).await;
    let cs = customers(&records);
    assert_eq!(
        cs.len(),
        1,
        "the re-sent customer at the mark is not a duplicate"
    );
    assert_eq!(cs[0].who.email.as_deref(), Some("c@x.io"));
}

#[tokio::test]
async fn a_nearly_full_shopify_bucket_slows_the_next_call() {
    let f = fake(|_, _| ok(r#"{"customers":[]}"#).header("x-shopify-shop-api-call-limit", "39/40"))
        .await;
    let m = manager();
    let c = creds(&f.url);
    m.sync_page(Platform::Shopify, &c, None).await.unwrap();
    let start = std::time::Instant::now();
    m.sync_page(Platform::Shopify, &c, None).await.unwrap();
    assert!(
        start.elapsed() >= std::time::Duration::from_millis(1400),
        "{:?}",
        start.elapsed()
    );
}

// ---- Stripe: has_more + starting_after, created[gt] ----

#[tokio::test]
async fn stripe_pages_customers_and_keeps_only_succeeded_charges() {
    let f = fake(|r, _| {
        assert_eq!(r.header("authorization").as_deref(), Some("Bearer secret-token"));
        let since = r.param("created[gt]");
        match r.path.as_str() {
            "/v1/customers" => match (since.as_deref(), r.param("starting_after").as_deref()) {
                (Some("1700000300"), None) => ok(json!({"object": "list", "url": "/v1/customers", "has_more": false, "data": [
                    {"id": "cus_new", "object": "customer", "email": "New@Stripe.dev", "name": "New", "created": 1700000400}]})),
                (None, None) => ok(json!({"object": "list", "url": "/v1/customers", "has_more": true, "data": [
                    {"id": "cus_C", "object": "customer", "email": "Jenny.Rosen@Example.com", "name": "Jenny Rosen", "phone": "+1 555", "created": 1700000300},
                    {"id": "cus_B", "object": "customer", "email": null, "name": "No Mail", "created": 1700000200}]})),
                (None, Some("cus_B")) => ok(json!({"object": "list", "has_more": false, "data": [
                    {"id": "cus_A", "object": "customer", "email": "a@x.io", "created": 1700000100}]})),
                other => status(400, json!({"error": {"message": format!("unexpected {other:?}")}})),
            },
            "/v1/charges" => match since.as_deref() {
                Some(s) => {
                    assert_eq!(s, "1700000600");
                    ok(json!({"object": "list", "has_more": false, "data": []}))
                }
                None => ok(json!({"object": "list", "has_more": false, "data": [
                    {"id": "ch_1", "object": "charge", "amount": 2000, "currency": "usd", "created": 1700000600, "status": "succeeded", "paid": true,
                     "customer": "cus_C", "billing_details": {"email": "Jenny.Rosen@Example.com"}, "receipt_email": null},
                    {"id": "ch_2", "object": "charge", "amount": 999, "currency": "eur", "created": 1700000500, "status": "failed", "customer": "cus_A"},
                    {"id": "ch_3", "object": "charge", "amount": 500, "currency": "eur", "created": 1700000450, "status": "pending", "customer": "cus_A"}
                ]})),
            },
            _ => status(404, r#"{"error":{"message":"Unrecognized request URL"}}"#),
        }
    })
    .await;
    let m = manager();
    let c = creds(&f.url);
    let (records, cursor) = run(&m, Platform::Stripe, &c, None).await;
    let cs = customers(&records);
    assert_eq!(cs.len(), 3);
    assert_eq!(cs[0].who.email.as_deref(), Some("jenny.rosen@example.com"));
    assert_eq!(cs[1].who.email, None);
    assert_eq!(cs[1].who.customer_key(), "stripe:cus_B");
    assert_eq!(cs[0].created_at, Some(1_700_000_300));
    let os = orders(&records);
    assert_eq!(os.len(), 1, "only the succeeded charge");
    assert_eq!(
        (
            os[0].external_order_id.as_str(),
            os[0].amount_cents,
            os[0].currency.as_str()
        ),
        ("ch_1", 2000, "USD")
    );
    assert_eq!(os[0].ordered_at, 1_700_000_600);
    assert_eq!(
        cursor.since("customers"),
        Some(1_700_000_300),
        "newest first: the mark comes from page one"
    );

    let (records, _) = run(&m, Platform::Stripe, &c, Some(cursor)).await;
    assert_eq!(records.len(), 1);
    assert_eq!(
        customers(&records)[0].who.external_id.as_deref(),
        Some("cus_new")
    );
}

#[tokio::test]
async fn a_sync_resumes_from_a_stored_cursor() {
    let f = fake(|r, _| match r.param("starting_after").as_deref() {
        None => ok(json!({"object": "list", "has_more": true, "data": [{"id": "cus_2", "email": "b@x.io", "created": 2}]})),
        Some(_) => ok(json!({"object": "list", "has_more": false, "data": [{"id": "cus_1", "email": "a@x.io", "created": 1}]})),
    })
    .await;
    let m = manager();
    let c = creds(&f.url);
    let first = m.sync_page(Platform::Stripe, &c, None).await.unwrap();
    assert!(!first.done);
    let stored = serde_json::to_value(first.next.unwrap()).unwrap();
    // A fresh process picks the stored cursor up.
    let m2 = manager();
    let second = m2
        .sync_page(
            Platform::Stripe,
            &c,
            Some(serde_json::from_value(stored).unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(
        customers(&second.records)[0].who.external_id.as_deref(),
        Some("cus_1")
    );
    assert_eq!(
        f.seen()[1].param("starting_after").as_deref(),
        Some("cus_2")
    );
}
