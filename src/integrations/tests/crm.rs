//! HubSpot, Klaviyo and GoHighLevel against fakes replaying their documented payloads.

use serde_json::{json, Value};

use super::*;
use crate::ingest::records::key_of;

// ---- HubSpot: CRM v3 objects, paging.next.after; search for incremental runs ----

fn hs_contact(id: u64, email: &str, modified: &str) -> Value {
    json!({
        "id": id.to_string(),
        "properties": {
            "email": email, "firstname": "Ada", "lastname": "Lovelace", "phone": "+1 555 0100", "company": "Acme",
            "createdate": "2024-01-10T09:00:00.000Z", "lastmodifieddate": modified, "hs_object_id": id.to_string()
        },
        "createdAt": "2024-01-10T09:00:00.000Z", "updatedAt": modified, "archived": false
    })
}

#[tokio::test]
async fn hubspot_pages_normalises_and_resumes_incrementally() {
    let contacts = [
        hs_contact(101, "Ada@Example.COM", "2024-02-01T10:00:00.000Z"),
        hs_contact(102, "bob@example.com", "2024-02-02T10:00:00.000Z"),
        hs_contact(103, "cy@example.com", "2024-02-03T10:00:00.000Z"),
        hs_contact(104, "new@example.com", "2024-03-01T10:00:00.000Z"),
    ];
    let released = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let rel = released.clone();
    let f = fake(move |r, _| {
        let visible: Vec<Value> =
            contacts.iter().take(if rel.load(std::sync::atomic::Ordering::SeqCst) { 4 } else { 3 }).cloned().collect();
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/account-info/v3/details") => ok(json!({"portalId": 62515, "accountType": "STANDARD", "timeZone": "US/Eastern", "companyCurrency": "EUR", "uiDomain": "app.hubspot.com"})),
            ("GET", "/crm/v3/objects/contacts") => match r.param("after").as_deref() {
                None => ok(json!({"results": visible[..2], "paging": {"next": {"after": "2", "link": "{base}/crm/v3/objects/contacts?after=2"}}})),
                Some("2") => ok(json!({"results": visible[2..]})),
                _ => status(400, r#"{"message":"bad after"}"#),
            },
            ("GET", "/crm/v3/objects/deals") => ok(json!({"results": [
                {"id": "9001", "properties": {"dealname": "Big", "amount": "1500.50", "deal_currency_code": "eur", "closedate": "2024-02-05T12:00:00.000Z", "dealstage": "closedwon", "hs_is_closed_won": "true", "hs_lastmodifieddate": "2024-02-05T12:00:00.000Z"}, "updatedAt": "2024-02-05T12:00:00.000Z"},
                {"id": "9002", "properties": {"dealname": "Open", "amount": "99", "dealstage": "appointmentscheduled", "hs_is_closed_won": "false", "hs_lastmodifieddate": "2024-02-06T12:00:00.000Z"}, "updatedAt": "2024-02-06T12:00:00.000Z"}
            ]})),
            ("POST", "/crm/v4/associations/deals/contacts/batch/read") => {
                assert_eq!(r.body["inputs"], json!([{"id": "9001"}]), "only closed-won deals are looked up");
                ok(json!({"status": "COMPLETE", "results": [{"from": {"id": "9001"}, "to": [{"toObjectId": 101, "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 3, "label": null}]}]}]}))
            }
            ("POST", "/crm/v3/objects/contacts/search") | ("POST", "/crm/v3/objects/deals/search") => {
                let f = &r.body["filterGroups"][0]["filters"][0];
                assert_eq!(f["operator"], "GT");
                let since: i64 = f["value"].as_str().unwrap().parse().unwrap();
                let results: Vec<Value> = if r.path.contains("contacts") {
                    visible.into_iter().filter(|c| super::super::normalize::time(&c["updatedAt"]).unwrap() * 1000 > since).collect()
                } else {
                    vec![]
                };
                ok(json!({"total": results.len(), "results": results}))
            }
            _ => status(404, r#"{"message":"no route"}"#),
        }
    })
    .await;
    let m = manager();
    let c = creds(&f.url);
    let a = m.test_connection(Platform::Hubspot, &c).await.unwrap();
    assert_eq!(
        (a.account_id.as_str(), a.currency.as_deref()),
        ("62515", Some("EUR"))
    );

    let (records, cursor) = run(&m, Platform::Hubspot, &c, None).await;
    let cs = customers(&records);
    assert_eq!(cs.len(), 3);
    assert_eq!(cs[0].who.email.as_deref(), Some("ada@example.com"));
    assert_eq!(cs[0].who.external_id.as_deref(), Some("101"));
    assert_eq!(cs[0].who.platform, "hubspot");
    assert_eq!(cs[0].name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(cs[0].company.as_deref(), Some("Acme"));
    assert_eq!(cs[0].created_at, Some(1_704_877_200));
    let os = orders(&records);
    assert_eq!(os.len(), 1, "only the closed-won deal");
    assert_eq!(
        (
            os[0].external_order_id.as_str(),
            os[0].amount_cents,
            os[0].currency.as_str()
        ),
        ("9001", 150_050, "EUR")
    );
    assert_eq!(os[0].who.external_id.as_deref(), Some("101"));
    assert_eq!(os[0].ordered_at, 1_707_134_400);
    let auth: Vec<_> = f.seen().iter().map(|s| s.header("authorization")).collect();
    assert!(auth
        .iter()
        .all(|a| a.as_deref() == Some("Bearer secret-token")));
    assert_eq!(cursor.since("contacts"), Some(1_706_954_400_000));

    // A contact changes; the next run searches from the mark and gets only it.
    released.store(true, std::sync::atomic::Ordering::SeqCst);
    let before = f.hits();
    let (records, cursor2) = run(&m, Platform::Hubspot, &c, Some(cursor)).await;
    let cs = customers(&records);
    assert_eq!(cs.len(), 1);
    assert_eq!(cs[0].who.email.as_deref(), Some("new@example.com"));
    let searches: Vec<_> = f.seen()[before..]
        .iter()
        .filter(|s| s.path.ends_with("/search"))
        .cloned()
        .collect();
    assert_eq!(searches.len(), 2);
    assert_eq!(
        searches[0].body["filterGroups"][0]["filters"][0]["value"],
        "1706954400000"
    );
    assert_eq!(
        searches[0].body["filterGroups"][0]["filters"][0]["propertyName"],
        "lastmodifieddate"
    );
    assert_eq!(
        searches[1].body["filterGroups"][0]["filters"][0]["propertyName"],
        "hs_lastmodifieddate"
    );
    assert_eq!(cursor2.since("contacts"), Some(1_709_287_200_000));
    // Deals' mark survives a run that saw no deal change.
    assert_eq!(cursor2.since("deals"), Some(1_707_220_800_000));
}

// ---- Klaviyo: JSON:API, links.next, greater-than filters ----

fn kl_profile(id: &str, email: &str, updated: &str) -> Value {
    json!({"type": "profile", "id": id, "attributes": {
        "email": email, "phone_number": "+15005550006", "first_name": "Sarah", "last_name": "Mason",
        "organization": "Klaviyo", "created": "2022-11-08T00:00:00+00:00", "updated": updated
    }, "links": {"self": "{base}/api/profiles/{id}/"}})
}

#[tokio::test]
async fn klaviyo_pages_profiles_and_events_with_includes() {
    let f = fake(|r, _| {
        assert_eq!(r.header("authorization").as_deref(), Some("Klaviyo-API-Key secret-token"));
        assert_eq!(r.header("revision").as_deref(), Some("2024-10-15"));
        match r.path.as_str() {
            "/api/accounts/" => ok(json!({"data": [{"type": "account", "id": "AbC123", "attributes": {"contact_information": {"organization_name": "Acme Shop"}, "preferred_currency": "USD"}}]})),
            "/api/profiles/" if r.param("page[cursor]").is_none() => {
                if let Some(filter) = r.param("filter") {
                    assert_eq!(filter, "greater-than(updated,2024-01-02T00:00:00Z)");
                    return ok(json!({"data": [kl_profile("P3", "late@x.io", "2024-01-05T00:00:00+00:00")], "links": {"next": null}}));
                }
                ok(json!({"data": [kl_profile("P1", "Sarah.Mason@Klaviyo-Demo.com", "2024-01-01T00:00:00+00:00")],
                    "links": {"self": "{base}/api/profiles/", "next": "{base}/api/profiles/?page%5Bcursor%5D=bmV4dA"}}))
            }
            "/api/profiles/" => ok(json!({"data": [kl_profile("P2", "two@x.io", "2024-01-02T00:00:00+00:00")], "links": {"next": null}})),
            "/api/events/" => {
                if r.param("filter").is_some() {
                    assert_eq!(r.param("filter").unwrap(), "greater-than(datetime,2024-01-03T10:00:00Z)");
                    return ok(json!({"data": [], "links": {"next": null}}));
                }
                assert_eq!(r.param("include").as_deref(), Some("metric,profile"));
                ok(json!({
                    "data": [{"type": "event", "id": "4vRpBT", "attributes": {"timestamp": 1704276000, "datetime": "2024-01-03T10:00:00+00:00", "uuid": "u1",
                        "event_properties": {"$message": "01HMSG", "Campaign Name": "January Sale", "$value": 12.5}},
                        "relationships": {"profile": {"data": {"type": "profile", "id": "P1"}}, "metric": {"data": {"type": "metric", "id": "M1"}}}}],
                    "included": [
                        {"type": "metric", "id": "M1", "attributes": {"name": "Opened Email"}},
                        {"type": "profile", "id": "P1", "attributes": {"email": "Sarah.Mason@Klaviyo-Demo.com"}}
                    ],
                    "links": {"next": null}
                }))
            }
            _ => status(404, r#"{"errors":[{"detail":"not found"}]}"#),
        }
    })
    .await;
    let m = manager();
    let c = creds(&f.url);
    let a = m.test_connection(Platform::Klaviyo, &c).await.unwrap();
    assert_eq!(
        (a.account_id.as_str(), a.name.as_deref()),
        ("AbC123", Some("Acme Shop"))
    );

    let (records, cursor) = run(&m, Platform::Klaviyo, &c, None).await;
    let cs = customers(&records);
    assert_eq!(cs.len(), 2, "both profile pages");
    assert_eq!(
        cs[0].who.email.as_deref(),
        Some("sarah.mason@klaviyo-demo.com")
    );
    assert_eq!(cs[0].name.as_deref(), Some("Sarah Mason"));
    assert_eq!(cs[0].phone.as_deref(), Some("+15005550006"));
    let es = events(&records);
    assert_eq!(es.len(), 1);
    let e = es[0];
    assert_eq!(e.event_type, "opened_email");
    assert_eq!(e.channel.as_deref(), Some("email"));
    assert_eq!(e.occurred_at, 1_704_276_000);
    assert_eq!(e.event_key, key_of(&["klaviyo", "id", "4vRpBT"]));
    assert_eq!(e.who.email.as_deref(), Some("sarah.mason@klaviyo-demo.com"));
    assert_eq!(e.campaign_id.as_deref(), Some("January Sale"));
    assert_eq!(e.content_id.as_deref(), Some("01HMSG"));

    let (records, _) = run(&m, Platform::Klaviyo, &c, Some(cursor)).await;
    assert_eq!(records.len(), 1, "only the changed profile, no duplicates");
    assert_eq!(
        customers(&records)[0].who.external_id.as_deref(),
        Some("P3")
    );
}

// ---- GoHighLevel: POST /contacts/search with searchAfter ----

fn ghl_contact(i: usize, updated: &str) -> Value {
    json!({"id": format!("c{i}"), "locationId": "loc1", "email": format!("Person{i}@GHL.io"), "phone": "+15550001",
        "firstName": "Pat", "lastName": format!("No{i}"), "companyName": "Gym", "tags": ["VIP", "lead"],
        "dateAdded": "2024-01-01T00:00:00.000Z", "dateUpdated": updated, "searchAfter": [1_704_067_200_000i64 + i as i64, format!("c{i}")]})
}

#[tokio::test]
async fn gohighlevel_pages_with_search_after_and_filters_by_date_updated() {
    let f = fake(|r, _| {
        assert_eq!(r.header("version").as_deref(), Some("2021-07-28"));
        match r.path.as_str() {
            "/locations/loc1" => ok(json!({"location": {"id": "loc1", "name": "Main Gym"}})),
            "/contacts/search" => {
                assert_eq!(r.body["locationId"], "loc1");
                if let Some(filters) = r.body.get("filters") {
                    assert_eq!(filters[0]["field"], "dateUpdated");
                    assert_eq!(filters[0]["value"]["gt"], "2024-01-01T01:40:00Z");
                    return ok(json!({"contacts": [ghl_contact(500, "2024-02-01T00:00:00.000Z")], "total": 1}));
                }
                match r.body.get("searchAfter") {
                    None => ok(json!({"contacts": (0..100).map(|i| ghl_contact(i, &format!("2024-01-01T00:{:02}:00.000Z", i % 60))).collect::<Vec<_>>(), "total": 101})),
                    Some(after) => {
                        assert_eq!(after, &json!([1_704_067_200_099i64, "c99"]));
                        ok(json!({"contacts": [ghl_contact(100, "2024-01-01T01:40:00.000Z")], "total": 101}))
                    }
                }
            }
            _ => status(404, r#"{"message":"no route"}"#),
        }
    })
    .await;
    let m = manager();
    let c = creds(&f.url);
    assert_eq!(
        m.test_connection(Platform::Gohighlevel, &c)
            .await
            .unwrap()
            .name
            .as_deref(),
        Some("Main Gym")
    );
    let (records, cursor) = run(&m, Platform::Gohighlevel, &c, None).await;
    let cs = customers(&records);
    assert_eq!(cs.len(), 101);
    assert_eq!(cs[0].who.email.as_deref(), Some("person0@ghl.io"));
    assert_eq!(cs[0].tags, vec!["vip", "lead"]);
    assert_eq!(cs[0].name.as_deref(), Some("Pat No0"));
    assert_eq!(cs[0].company.as_deref(), Some("Gym"));
    let (records, _) = run(&m, Platform::Gohighlevel, &c, Some(cursor)).await;
    assert_eq!(customers(&records).len(), 1);
    assert_eq!(
        customers(&records)[0].who.external_id.as_deref(),
        Some("c500")
    );
}
