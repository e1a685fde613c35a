//! The import preview: a sample of the file's start → its columns, first rows, and a suggested
//! mapping from the kind's fields to the file's columns (by name and common synonyms).

use crate::model::{ColumnMapping, ImportFormat, ImportKind, ImportPreview};

const PREVIEW_ROWS: usize = 5;

/// Column names other tools use for each field (compared lowercased, letters and digits only).
fn synonyms(kind: ImportKind, field: &str) -> &'static [&'static str] {
    match (kind, field) {
        (ImportKind::Customers, "customer_id") => &["id", "customerid", "contactid", "userid", "externalid"],
        (_, "customer_id") => &["customerid", "customer", "contactid", "userid", "profileid"],
        (_, "email") => &["emailaddress", "mail", "customeremail", "contactemail"],
        (_, "name") => &["fullname", "customername", "contactname"],
        (_, "phone") => &["phonenumber", "mobile", "tel", "telephone"],
        (_, "company") => &["companyname", "organization", "organisation", "account"],
        (_, "created_at") => &["created", "signupdate", "signedupat", "createdate", "joined"],
        (_, "order_id") => &["id", "orderid", "ordernumber", "order", "name"],
        (_, "amount") => &["total", "totalprice", "ordertotal", "value", "price", "revenue"],
        (_, "ordered_at") => &["date", "orderdate", "createdat", "processedat", "timestamp"],
        (_, "event_id") => &["id", "eventid", "uuid"],
        (_, "event_type") => &["type", "event", "eventname", "action", "metric"],
        (_, "occurred_at") => &["timestamp", "time", "date", "datetime", "eventtime", "createdat"],
        (_, "campaign_id") => &["campaign", "campaignid"],
        (_, "campaign_name") => &["campaignname", "campaigntitle"],
        (_, "creative_id") => &["creative", "adid", "creativeid"],
        (_, "creative_name") => &["adname", "creativename"],
        (_, "date") => &["day", "reportdate", "datestart"],
        (_, "spend") => &["cost", "amountspent", "spendusd"],
        (_, "revenue") => &["conversionvalue", "purchasevalue", "sales"],
        (_, "conversions") => &["purchases", "results"],
        (_, "impressions") => &["imps", "views"],
        (_, "platform") => &["source", "network", "channelsource"],
        _ => &[],
    }
}

fn normalise(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase()
}

/// Suggests a column for every field it can place; exact names win over synonyms, and no
/// column is used twice.
pub fn suggest(kind: ImportKind, columns: &[String]) -> ColumnMapping {
    let normalised: Vec<String> = columns.iter().map(|c| normalise(c)).collect();
    let mut used = vec![false; columns.len()];
    let mut mapping = ColumnMapping::new();
    for pass in 0..2 {
        for f in kind.fields() {
            if mapping.contains_key(f.name) {
                continue;
            }
            let wanted: Vec<String> =
                if pass == 0 { vec![normalise(f.name)] } else { synonyms(kind, f.name).iter().map(|s| s.to_string()).collect() };
            if let Some(i) = wanted.iter().find_map(|w| (0..columns.len()).find(|&i| !used[i] && &normalised[i] == w)) {
                used[i] = true;
                mapping.insert(f.name.to_string(), columns[i].clone());
            }
        }
    }
    mapping
}

/// Previews the start of a file. `sample` may end mid-line; the partial line is ignored.
pub fn preview(kind: ImportKind, format: ImportFormat, sample: &str) -> ImportPreview {
    let complete = match sample.rfind('\n') {
        Some(end) if end + 1 < sample.len() => &sample[..=end],
        _ => sample,
    };
    let (columns, rows, data_lines) = match format {
        ImportFormat::Csv => {
            let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(complete.as_bytes());
            let columns: Vec<String> = r.headers().map(|h| h.iter().map(|c| c.trim().to_string()).collect()).unwrap_or_default();
            let mut rows = Vec::new();
            let mut count = 0usize;
            for rec in r.records().flatten() {
                if rows.len() < PREVIEW_ROWS {
                    rows.push(rec.iter().map(str::to_string).collect());
                }
                count += 1;
            }
            (columns, rows, count)
        }
        ImportFormat::Ndjson => {
            let mut columns: Vec<String> = Vec::new();
            let objects: Vec<serde_json::Map<String, serde_json::Value>> =
                complete.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
            for o in &objects {
                for k in o.keys() {
                    if !columns.contains(k) {
                        columns.push(k.clone());
                    }
                }
            }
            let rows = objects
                .iter()
                .take(PREVIEW_ROWS)
                .map(|o| columns.iter().map(|c| o.get(c).map(cell).unwrap_or_default()).collect())
                .collect();
            (columns, rows, objects.len())
        }
    };
    let suggested = suggest(kind, &columns);
    let missing = kind
        .fields()
        .iter()
        .filter(|f| f.required && !suggested.contains_key(f.name))
        .map(|f| f.name.to_string())
        .chain(
            (kind != ImportKind::Performance && !suggested.contains_key("customer_id") && !suggested.contains_key("email"))
                .then(|| "customer_id or email".to_string()),
        )
        .collect();
    ImportPreview {
        columns,
        rows,
        suggested,
        missing,
        lines_per_byte: if complete.is_empty() { 0.0 } else { data_lines as f64 / complete.len() as f64 },
    }
}

fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_columns_from_names_and_synonyms() {
        let sample = "Order Number,E-mail,Total Price,Created At,Currency\n#1001,a@b.co,10.00,2026-01-01,USD\n#1002,c@d.co,5,2026-01-02,USD\n#10";
        let p = preview(ImportKind::Orders, ImportFormat::Csv, sample);
        assert_eq!(p.columns.len(), 5);
        assert_eq!(p.rows.len(), 2, "the cut-off last line is ignored");
        assert_eq!(p.suggested.get("order_id").map(String::as_str), Some("Order Number"));
        assert_eq!(p.suggested.get("email").map(String::as_str), Some("E-mail"));
        assert_eq!(p.suggested.get("amount").map(String::as_str), Some("Total Price"));
        assert_eq!(p.suggested.get("ordered_at").map(String::as_str), Some("Created At"));
        assert_eq!(p.suggested.get("currency").map(String::as_str), Some("Currency"));
        assert!(p.missing.is_empty(), "{:?}", p.missing);
        assert!(p.lines_per_byte > 0.0);
    }

    #[test]
    fn reports_what_it_cannot_place() {
        let p = preview(ImportKind::Events, ImportFormat::Ndjson, "{\"who\":\"x\",\"kind\":\"open\"}\n");
        assert_eq!(p.columns, vec!["kind", "who"], "keys in name order");
        assert_eq!(p.missing, vec!["event_type", "occurred_at", "customer_id or email"]);
    }
}
