//! Imports (CSV and NDJSON, over the API), the customer list and page, and the privacy rights,
//! on SQLite and PostgreSQL.

mod common;

use common::unique_email;
use reqwest::StatusCode;
use serde_json::{json, Value};

const CUSTOMERS_CSV: &str = "\
customer_id,email,name,company,tags,created_at,consent_marketing_email,consent_analytics
c1,ann@example.com,Ann Lee,Acme,vip;b2b,2025-01-10,yes,no
c2,bob@example.com,Bob Stone,,new,2025-03-02,no,
c3,not-an-email,Cy,,,2025-03-04,,
c4,dee@example.com,Dee,Initech,,someday,,
";

const ORDERS_CSV: &str = "\
order_id,customer_id,amount,currency,ordered_at
o1,c1,120.50,USD,2025-02-01T10:00:00Z
o2,c1,30,USD,2025-04-01
o3,c2,15.25,usd,2025-05-01
o4,c9,abc,USD,2025-05-02
";

const PERFORMANCE_CSV: &str = "\
platform,campaign_id,campaign_name,creative_id,date,impressions,clicks,spend,conversions,revenue
meta_ads,cmp1,Spring,cr1,2025-05-01,1000,25,50.00,2,120.00
meta_ads,cmp1,Spring,cr1,2025-05-02,900,20,45.00,1,60.00
google_ads,g1,Search,,2025-05-01,500,40,80.00,4,400.00
";

fn counts(r: &Value) -> (i64, i64, i64, i64) {
    (
        r["rows_inserted"].as_i64().unwrap(),
        r["rows_updated"].as_i64().unwrap(),
        r["rows_unchanged"].as_i64().unwrap(),
        r["rows_failed"].as_i64().unwrap(),
    )
}

both_backends! {
    async fn csv_imports_land_report_bad_rows_and_are_idempotent(srv) {
        let owner = srv.register(&unique_email("imp"), "Importers").await;
        let t = owner.access.as_str();

        let r = srv.upload("/api/ingest/customers?file_name=customers.csv", t, "text/csv", CUSTOMERS_CSV).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["status"], "completed");
        assert_eq!(counts(&r.body), (2, 0, 0, 2), "{}", r.body);
        let errors = r.body["row_errors"].as_array().unwrap();
        assert_eq!(errors[0]["line"], 4);
        assert_eq!(errors[0]["column"], "email");
        assert_eq!(errors[1]["line"], 5);
        assert_eq!(errors[1]["column"], "created_at");

        // The downloadable report has the same rows.
        let import_id = r.body["import_id"].as_str().unwrap().to_string();
        let report = srv.get(&format!("/api/imports/{import_id}/errors"), t).await;
        assert_eq!(report.status, StatusCode::OK);
        assert!(report.headers["content-disposition"].to_str().unwrap().contains("attachment"));
        let text = report.body.as_str().unwrap();
        assert!(text.starts_with("line,column,reason\n4,email,"), "{text}");

        let r = srv.upload("/api/ingest/orders", t, "text/csv", ORDERS_CSV).await;
        assert_eq!(counts(&r.body), (3, 0, 0, 1), "{}", r.body);
        let r = srv.upload("/api/ingest/performance", t, "text/csv", PERFORMANCE_CSV).await;
        assert_eq!(counts(&r.body), (3, 0, 0, 0), "{}", r.body);

        // Re-importing the same files adds nothing.
        let r = srv.upload("/api/ingest/customers", t, "text/csv", CUSTOMERS_CSV).await;
        assert_eq!(counts(&r.body), (0, 0, 2, 2), "{}", r.body);
        let r = srv.upload("/api/ingest/orders", t, "text/csv", ORDERS_CSV).await;
        assert_eq!(counts(&r.body), (0, 0, 3, 1), "{}", r.body);
        let r = srv.upload("/api/ingest/performance", t, "text/csv", PERFORMANCE_CSV).await;
        assert_eq!(counts(&r.body), (0, 0, 3, 0), "{}", r.body);

        // A corrected figure is an update, not a new row.
        let fixed = ORDERS_CSV.replace("o2,c1,30,", "o2,c1,35,");
        let r = srv.upload("/api/ingest/orders", t, "text/csv", fixed).await;
        assert_eq!(counts(&r.body), (0, 1, 2, 1), "{}", r.body);

        // Daily reach arriving later updates its rows; reach above impressions is refused by line and column.
        let with_reach = PERFORMANCE_CSV
            .replacen(",revenue\n", ",revenue,reach\n", 1)
            .replace("1000,25,50.00,2,120.00", "1000,25,50.00,2,120.00,800")
            .replace("900,20,45.00,1,60.00", "900,20,45.00,1,60.00,901")
            .replace("500,40,80.00,4,400.00", "500,40,80.00,4,400.00,");
        let r = srv.upload("/api/ingest/performance", t, "text/csv", with_reach).await;
        assert_eq!(counts(&r.body), (0, 1, 1, 1), "{}", r.body);
        let error = &r.body["row_errors"][0];
        assert_eq!((error["line"].as_i64(), error["column"].as_str()), (Some(3), Some("reach")), "{}", r.body);
        assert!(error["reason"].as_str().unwrap().contains("exceeds impressions"), "{}", r.body);

        let page = srv.get("/api/customers", t).await;
        assert_eq!(page.body["total"], 2);
        let ann = page.body["items"].as_array().unwrap().iter().find(|c| c["email"] == "ann@example.com").unwrap().clone();
        assert_eq!(ann["orders"], 2);
        assert_eq!(ann["revenue_cents"], 15550);
        assert_eq!(ann["tags"], json!(["vip", "b2b"]));

        let detail = srv.get(&format!("/api/customers/{}", ann["customer_id"].as_str().unwrap()), t).await;
        assert_eq!(detail.body["name"], "Ann Lee");
        assert_eq!(detail.body["identities"], json!([{ "platform": "import", "external_id": "c1" }]));
        let consents = detail.body["consents"].as_array().unwrap();
        assert_eq!(consents.len(), 2);
        assert_eq!(consents[0]["purpose"], "analytics");
        assert_eq!(consents[0]["granted"], false);
        assert_eq!(consents[1]["granted"], true);
        assert_eq!(detail.body["orders"][0]["amount_cents"], 3500);
        assert_eq!(detail.body["created_at"], "2025-01-10T00:00:00Z");

        let imports = srv.get("/api/imports", t).await;
        assert_eq!(imports.body.as_array().unwrap().len(), 8);
    }

    async fn ndjson_events_reference_customers_by_id_or_email(srv) {
        let owner = srv.register(&unique_email("nd"), "Events Co").await;
        let t = owner.access.as_str();
        let events = "\
{\"customer_id\":\"u1\",\"event_type\":\"page_view\",\"occurred_at\":\"2025-06-01T08:00:00Z\",\"channel\":\"web\"}
{\"email\":\"Eve@Example.com\",\"event_type\":\"email_open\",\"occurred_at\":1748764800,\"channel\":\"email\",\"campaign_id\":\"spring\"}
{\"event_id\":\"evt-9\",\"customer_id\":\"u1\",\"event_type\":\"purchase\",\"occurred_at\":\"2025-06-02\",\"spend\":19.99}
{\"customer_id\":\"u2\",\"occurred_at\":\"2025-06-02\"}
[1,2,3]
";
        let r = srv.upload("/api/ingest/events", t, "application/x-ndjson", events).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(counts(&r.body), (3, 0, 0, 2), "{}", r.body);
        assert_eq!(r.body["row_errors"][0]["line"], 4);
        assert_eq!(r.body["row_errors"][0]["column"], "event_type");
        assert_eq!(r.body["row_errors"][1]["line"], 5);

        let again = srv.upload("/api/ingest/events", t, "application/x-ndjson", events).await;
        assert_eq!(counts(&again.body), (0, 0, 3, 2), "{}", again.body);

        // Events create the customers they name: u1 (by id) and eve (by email).
        let page = srv.get("/api/customers?q=eve", t).await;
        assert_eq!(page.body["total"], 1);
        let eve = page.body["items"][0]["customer_id"].as_str().unwrap().to_string();
        let detail = srv.get(&format!("/api/customers/{eve}"), t).await;
        assert_eq!(detail.body["events"][0]["campaign_id"], "spring");
        assert_eq!(srv.get("/api/customers", t).await.body["total"], 2);
    }

    async fn a_file_without_the_needed_columns_is_refused_whole(srv) {
        let owner = srv.register(&unique_email("cols"), "Columns").await;
        let t = owner.access.as_str();
        let r = srv.upload("/api/ingest/orders", t, "text/csv", "id,total\n1,2\n").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.error_code(), "validation_error");
        assert_eq!(r.body["field"], "mapping");
        assert!(r.body["message"].as_str().unwrap().contains("order_id"), "{}", r.body);

        // A mapping fixes it.
        let mapping = urlencode(r#"{"order_id":"id","amount":"total","email":"who","ordered_at":"when"}"#);
        let csv = "id,total,who,when\n1,2.00,a@b.co,2025-01-01\n";
        let r = srv.upload(&format!("/api/ingest/orders?mapping={mapping}"), t, "text/csv", csv).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(counts(&r.body), (1, 0, 0, 0));

        let r = srv.upload("/api/ingest/orders", t, "application/octet-stream", csv).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.body["field"], "format");
        let r = srv.upload("/api/ingest/refunds", t, "text/csv", csv).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }

    async fn an_interrupted_import_keeps_whole_batches_and_resumes_without_duplicates(srv) {
        let owner = srv.register(&unique_email("resume"), "Resumers").await;
        let t = owner.access.as_str();
        // Two and a bit batches of this backend's size.
        let backend = if srv.database_url.starts_with("postgres") { omnify::db::Backend::Postgres } else { omnify::db::Backend::Sqlite };
        let batch = omnify::services::imports::batch_rows(backend) as i64;
        let rows = batch * 12 / 5;
        let mut file = String::from("customer_id,event_type,occurred_at,channel\n");
        for i in 0..rows {
            file.push_str(&format!("c{},open,{},email\n", i % 700, 1_700_000_000 + i));
        }
        let created = srv.post("/api/imports", Some(t), json!({ "kind": "events", "format": "csv", "file_name": "ev.csv" })).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.body["status"], "pending");
        let id = created.body["import_id"].as_str().unwrap().to_string();

        // The upload breaks off in the middle of the third batch: the client sends most of a
        // chunked body, waits until two batches have committed, and hangs up.
        let cut = file.len() * 11 / 12;
        let connection = send_partial_upload(&srv, &format!("/api/ingest/events?import_id={id}"), t, &file.as_bytes()[..cut]).await;
        for _ in 0..1200 {
            let p = srv.get(&format!("/api/imports/{id}"), t).await.body;
            if p["rows_inserted"].as_i64().unwrap() >= 2 * batch { break; }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        drop(connection);

        let mut failed = Value::Null;
        for _ in 0..50 {
            failed = srv.get(&format!("/api/imports/{id}"), t).await.body;
            if failed["status"] == "failed" { break; }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(failed["status"], "failed", "{failed}");
        // Only whole batches committed.
        let committed = failed["rows_inserted"].as_i64().unwrap();
        assert_eq!(committed % batch, 0, "{failed}");
        assert!(committed >= batch, "{failed}");
        assert_eq!(failed["committed_line"].as_i64().unwrap(), committed + 1);

        // Resuming with the whole file finishes it; every event is stored exactly once.
        let r = srv.upload(&format!("/api/ingest/events?import_id={id}"), t, "text/csv", file.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["status"], "completed");
        assert_eq!(r.body["rows_inserted"], rows);
        assert_eq!(r.body["rows_read"], rows);
        let again = srv.upload("/api/ingest/events", t, "text/csv", file).await;
        assert_eq!(counts(&again.body), (0, 0, rows, 0));
        // A completed import cannot be run again.
        let r = srv.upload(&format!("/api/ingest/events?import_id={id}"), t, "text/csv", "x").await;
        assert_eq!(r.status, StatusCode::CONFLICT);
    }

    async fn privacy_export_and_erasure(srv) {
        let owner = srv.register(&unique_email("gdpr"), "Privacy").await;
        let t = owner.access.as_str();
        srv.upload("/api/ingest/customers", t, "text/csv", CUSTOMERS_CSV).await;
        srv.upload("/api/ingest/orders", t, "text/csv", ORDERS_CSV).await;
        srv.upload("/api/ingest/events", t, "text/csv", "customer_id,event_type,occurred_at\nc1,open,2025-01-01\n").await;
        let ann = srv.get("/api/customers?q=ann", t).await.body["items"][0]["customer_id"].as_str().unwrap().to_string();

        let viewer = srv.add_member(&owner, &unique_email("v"), "viewer").await;
        let r = srv.get(&format!("/api/customers/{ann}/export"), &viewer.access).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = srv.delete(&format!("/api/customers/{ann}"), &viewer.access).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = srv.upload("/api/ingest/orders", &viewer.access, "text/csv", ORDERS_CSV).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Viewers can still look.
        assert_eq!(srv.get(&format!("/api/customers/{ann}"), &viewer.access).await.status, StatusCode::OK);

        let export = srv.get(&format!("/api/customers/{ann}/export"), t).await;
        assert_eq!(export.status, StatusCode::OK);
        assert_eq!(export.body["customer"]["email"], "ann@example.com");
        assert_eq!(export.body["customer"]["orders"].as_array().unwrap().len(), 2);
        assert_eq!(export.body["customer"]["events"].as_array().unwrap().len(), 1);
        assert_eq!(export.body["customer"]["consents"].as_array().unwrap().len(), 2);

        let r = srv.delete(&format!("/api/customers/{ann}"), t).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert_eq!(srv.get(&format!("/api/customers/{ann}"), t).await.status, StatusCode::NOT_FOUND);
        assert_eq!(srv.delete(&format!("/api/customers/{ann}"), t).await.status, StatusCode::NOT_FOUND);
        // Her orders are gone with her: re-importing them creates a fresh, unnamed customer.
        let r = srv.upload("/api/ingest/orders", t, "text/csv", ORDERS_CSV).await;
        assert_eq!(counts(&r.body), (2, 0, 1, 1), "{}", r.body);
        let audit = srv.get("/api/audit-logs?action=customer.erase", t).await;
        assert_eq!(audit.body["items"][0]["target_id"], ann.as_str());
    }

    async fn customer_search_and_pages(srv) {
        let owner = srv.register(&unique_email("pages"), "Pages").await;
        let t = owner.access.as_str();
        let mut csv = String::from("customer_id,email,name,created_at\n");
        for i in 0..30 {
            csv.push_str(&format!("p{i},person{i}@shop.io,Person {i},2025-01-{:02}\n", i % 28 + 1));
        }
        csv.push_str("w1,x@y.io,100%_sure,2025-02-01\n");
        srv.upload("/api/ingest/customers", t, "text/csv", csv).await;
        let page = srv.get("/api/customers?limit=10&offset=0", t).await;
        assert_eq!(page.body["total"], 31);
        assert_eq!(page.body["items"].as_array().unwrap().len(), 10);
        assert_eq!(page.body["items"][0]["name"], "100%_sure");
        let last = srv.get("/api/customers?limit=10&offset=30", t).await;
        assert_eq!(last.body["items"].as_array().unwrap().len(), 1);
        assert_eq!(srv.get("/api/customers?q=PERSON%201", t).await.body["total"], 11);
        // Wildcards in the search are literal.
        assert_eq!(srv.get("/api/customers?q=%25_", t).await.body["total"], 1);
        let r = srv.get("/api/customers?limit=0", t).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.body["field"], "limit");
    }

    async fn customer_data_is_invisible_to_other_organizations(srv) {
        let a = srv.register(&unique_email("ta"), "Tenant A").await;
        let b = srv.register(&unique_email("tb"), "Tenant B").await;
        srv.upload("/api/ingest/customers", &b.access, "text/csv", CUSTOMERS_CSV).await;
        let imp = srv.upload("/api/ingest/orders", &b.access, "text/csv", ORDERS_CSV).await;
        let b_import = imp.body["import_id"].as_str().unwrap().to_string();
        let b_customer = srv.get("/api/customers", &b.access).await.body["items"][0]["customer_id"].as_str().unwrap().to_string();

        for path in [
            format!("/api/customers/{b_customer}"),
            format!("/api/customers/{b_customer}/export"),
            format!("/api/imports/{b_import}"),
            format!("/api/imports/{b_import}/errors"),
        ] {
            let r = srv.get(&path, &a.access).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "GET {path}: {}", r.body);
        }
        assert_eq!(srv.delete(&format!("/api/customers/{b_customer}"), &a.access).await.status, StatusCode::NOT_FOUND);
        let r = srv.upload(&format!("/api/ingest/orders?import_id={b_import}"), &a.access, "text/csv", ORDERS_CSV).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(srv.get("/api/customers", &a.access).await.body["total"], 0);
        assert_eq!(srv.get("/api/imports", &a.access).await.body.as_array().unwrap().len(), 0);
        // The same customer ids in A's own import make A's own customers, not B's.
        let r = srv.upload("/api/ingest/orders", &a.access, "text/csv", ORDERS_CSV).await;
        assert_eq!(counts(&r.body), (3, 0, 0, 1));
        assert_eq!(srv.get("/api/customers", &b.access).await.body["total"], 2);
        assert_eq!(srv.get(&format!("/api/customers/{b_customer}"), &b.access).await.status, StatusCode::OK);
    }

    async fn data_routes_need_a_session(srv) {
        for path in ["/api/customers", "/api/imports", "/api/customers/x", "/api/imports/x"] {
            let r = srv.call(reqwest::Method::GET, path, None, None).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}");
        }
        let r = srv.call(reqwest::Method::POST, "/api/ingest/events", None, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
}

/// Writes a request with a chunked body that stops after `body` (no final chunk); the returned
/// stream keeps the connection open until dropped.
async fn send_partial_upload(srv: &common::TestServer, path: &str, token: &str, body: &[u8]) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let addr = srv.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.chunks(64 * 1024) {
        stream.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await.unwrap();
        stream.write_all(chunk).await.unwrap();
        stream.write_all(b"\r\n").await.unwrap();
    }
    stream.flush().await.unwrap();
    stream
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
