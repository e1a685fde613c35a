//! Customer data on the wire: imports, customers, orders, events, consents.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What a file or API import brings in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Customers,
    Orders,
    Events,
    Performance,
}

impl ImportKind {
    pub const ALL: [ImportKind; 4] =
        [ImportKind::Customers, ImportKind::Orders, ImportKind::Events, ImportKind::Performance];

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Customers => "customers",
            ImportKind::Orders => "orders",
            ImportKind::Events => "events",
            ImportKind::Performance => "performance",
        }
    }

    pub fn parse(s: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The fields a file of this kind can carry, in the order the UI shows them; `required` ones
    /// must be mapped to a column. Customer references accept either `customer_id` or `email`.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            ImportKind::Customers => CUSTOMER_FIELDS,
            ImportKind::Orders => ORDER_FIELDS,
            ImportKind::Events => EVENT_FIELDS,
            ImportKind::Performance => PERFORMANCE_FIELDS,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FieldSpec {
    pub name: &'static str,
    pub required: bool,
    pub help: &'static str,
}

const fn field(name: &'static str, required: bool, help: &'static str) -> FieldSpec {
    FieldSpec { name, required, help }
}

/// Consent purposes a customer file can record (`consent_<purpose>` columns).
pub const CONSENT_PURPOSES: [&str; 5] =
    ["marketing_email", "marketing_sms", "analytics", "personalization", "advertising"];

const CUSTOMER_FIELDS: &[FieldSpec] = &[
    field("customer_id", false, "Your id for the customer (customer_id or email is required)"),
    field("email", false, "Email address"),
    field("name", false, "Full name"),
    field("phone", false, "Phone number"),
    field("company", false, "Company"),
    field("tags", false, "Tags separated by commas or semicolons"),
    field("created_at", false, "When the customer signed up (date, RFC 3339 or unix seconds)"),
    field("platform", false, "Where the customer comes from (default: import)"),
    field("consent_marketing_email", false, "true/false"),
    field("consent_marketing_sms", false, "true/false"),
    field("consent_analytics", false, "true/false"),
    field("consent_personalization", false, "true/false"),
    field("consent_advertising", false, "true/false"),
    field("consent_source", false, "Where consent was collected (default: import)"),
    field("consent_expires_at", false, "When the consent expires"),
];

const ORDER_FIELDS: &[FieldSpec] = &[
    field("order_id", true, "The order's id at its source"),
    field("customer_id", false, "The customer's id (customer_id or email is required)"),
    field("email", false, "The customer's email"),
    field("amount", true, "Order total, e.g. 49.90"),
    field("currency", false, "ISO 4217 code (default USD)"),
    field("ordered_at", true, "When the order was placed"),
    field("platform", false, "Where the order comes from (default: import)"),
];

const EVENT_FIELDS: &[FieldSpec] = &[
    field("event_id", false, "The event's id at its source (else the row's content identifies it)"),
    field("customer_id", false, "The customer's id (customer_id or email is required)"),
    field("email", false, "The customer's email"),
    field("event_type", true, "e.g. page_view, email_open, purchase"),
    field("occurred_at", true, "When it happened"),
    field("channel", false, "e.g. email, sms, web, paid_social"),
    field("spend", false, "Money spent with the event, e.g. 12.50"),
    field("content_id", false, "The content or creative involved"),
    field("campaign_id", false, "The campaign involved"),
    field("platform", false, "Where the customer id comes from (default: import)"),
];

const PERFORMANCE_FIELDS: &[FieldSpec] = &[
    field("platform", true, "e.g. meta_ads, google_ads, linkedin_ads"),
    field("campaign_id", true, "The campaign's id"),
    field("campaign_name", false, "The campaign's name"),
    field("creative_id", false, "The creative's id (empty for campaign totals)"),
    field("creative_name", false, "The creative's name"),
    field("date", true, "The day (YYYY-MM-DD)"),
    field("impressions", false, "Whole number"),
    field("clicks", false, "Whole number"),
    field("spend", false, "Money spent, e.g. 120.35"),
    field("conversions", false, "Whole number"),
    field("revenue", false, "Revenue attributed, e.g. 980.00"),
    field("reach", false, "People reached that day (for ad frequency)"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    Csv,
    Ndjson,
}

impl ImportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportFormat::Csv => "csv",
            ImportFormat::Ndjson => "ndjson",
        }
    }

    pub fn parse(s: &str) -> Option<ImportFormat> {
        match s {
            "csv" => Some(ImportFormat::Csv),
            "ndjson" | "jsonl" | "json" => Some(ImportFormat::Ndjson),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Created, waiting for its file.
    Pending,
    Running,
    Completed,
    /// Stopped by an error (or a restart) after committing some batches; can be resumed.
    Failed,
}

impl ImportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Pending => "pending",
            ImportStatus::Running => "running",
            ImportStatus::Completed => "completed",
            ImportStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<ImportStatus> {
        [ImportStatus::Pending, ImportStatus::Running, ImportStatus::Completed, ImportStatus::Failed]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A bad input row: 1-based line number in the file (the CSV header is line 1), the column, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: u64,
    pub column: Option<String>,
    pub reason: String,
}

/// Target field → file column. Unmapped fields are read from a column of the same name.
pub type ColumnMapping = BTreeMap<String, String>;

/// `POST /api/imports`: announce an upload to get its id first, so the UI can show progress
/// while the file streams to `POST /api/ingest/{kind}?import_id=`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CreateImportRequest {
    pub kind: ImportKind,
    pub format: ImportFormat,
    #[serde(default)]
    pub file_name: Option<String>,
    #[serde(default)]
    pub mapping: ColumnMapping,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportDto {
    pub import_id: String,
    pub kind: ImportKind,
    pub format: ImportFormat,
    pub file_name: Option<String>,
    pub status: ImportStatus,
    pub rows_read: i64,
    pub rows_inserted: i64,
    pub rows_updated: i64,
    pub rows_unchanged: i64,
    pub rows_failed: i64,
    /// Rows per second while running or over the whole import once finished.
    pub rows_per_second: f64,
    pub committed_line: i64,
    pub error: Option<String>,
    /// The first row errors (the full report is at `/api/imports/{id}/errors`).
    #[serde(default)]
    pub row_errors: Vec<RowError>,
    pub created_at: String,
    pub finished_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsentDto {
    pub purpose: String,
    pub granted: bool,
    pub source: String,
    pub recorded_at: String,
    pub expires_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerSummary {
    pub customer_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub company: Option<String>,
    pub tags: Vec<String>,
    pub orders: i64,
    pub revenue_cents: i64,
    pub last_order_at: Option<String>,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerPage {
    pub items: Vec<CustomerSummary>,
    pub total: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlatformIdentity {
    pub platform: String,
    pub external_id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderDto {
    pub order_id: String,
    pub external_order_id: String,
    pub platform: String,
    pub amount_cents: i64,
    pub currency: String,
    pub ordered_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDto {
    pub event_type: String,
    pub occurred_at: String,
    pub channel: Option<String>,
    pub spend_cents: Option<i64>,
    pub content_id: Option<String>,
    pub campaign_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerDetail {
    pub customer_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub tags: Vec<String>,
    pub created_at: String,
    pub identities: Vec<PlatformIdentity>,
    pub consents: Vec<ConsentDto>,
    pub orders: Vec<OrderDto>,
    /// The most recent events (the export has all of them).
    pub events: Vec<EventDto>,
    pub order_count: i64,
    pub event_count: i64,
    pub revenue_cents: i64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CustomerQuery {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
    #[serde(default)]
    pub offset: Option<i64>,
}

/// Settings → Webhooks: where to send, and whether a signing secret exists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhookSettings {
    pub configured: bool,
    /// RFC 3339; when the current secret was made.
    pub secret_created_at: Option<String>,
    /// `/api/webhooks/{organization_slug}/{source}`, with the organization's slug filled in.
    pub endpoint: String,
    pub deliveries_last_24h: i64,
    pub last_delivery_at: Option<String>,
}

/// Returned once, when the secret is made or rotated; it is stored sealed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhookSecretCreated {
    pub secret: String,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhookReceipt {
    /// accepted, or duplicate (the event id was delivered before; nothing was stored again).
    pub status: String,
    pub event_id: String,
    pub records: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
}

/// What the UI shows before an import: the file's columns, its first rows and a suggested
/// mapping of the kind's fields onto those columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub suggested: ColumnMapping,
    /// Required fields the suggestion could not place.
    pub missing: Vec<String>,
    /// Data lines per byte in the sample, to estimate a file's row count from its size.
    pub lines_per_byte: f64,
}
