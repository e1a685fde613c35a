//! Typed records of the four kinds, parsed from a row of named values. The same records come
//! from files, webhooks and platform connectors, so all of them land through one writer.

use sha2::{Digest, Sha256};

use super::values;
use crate::model::{ImportKind, RowError, CONSENT_PURPOSES};

/// Who a record belongs to: a platform's id for the customer, their email, or both.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CustomerRef {
    pub platform: String,
    pub external_id: Option<String>,
    pub email: Option<String>,
}

impl CustomerRef {
    /// The merge key customers are deduplicated on: the email when known, else the platform id.
    pub fn customer_key(&self) -> String {
        match (&self.email, &self.external_id) {
            (Some(email), _) => email.clone(),
            (None, Some(id)) => format!("{}:{}", self.platform, id),
            (None, None) => unreachable!("a CustomerRef always has an email or an external id"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConsentRecord {
    pub purpose: String,
    pub granted: bool,
    pub source: String,
    pub expires_at: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CustomerRecord {
    pub who: CustomerRef,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub tags: Vec<String>,
    pub created_at: Option<i64>,
    pub consents: Vec<ConsentRecord>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OrderRecord {
    pub who: CustomerRef,
    pub platform: String,
    pub external_order_id: String,
    pub amount_cents: i64,
    pub currency: String,
    pub ordered_at: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EventRecord {
    pub who: CustomerRef,
    pub event_key: i64,
    pub event_type: String,
    pub occurred_at: i64,
    pub channel: Option<String>,
    pub spend_cents: Option<i64>,
    pub content_id: Option<String>,
    pub campaign_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PerformanceRecord {
    pub platform: String,
    pub campaign_id: String,
    pub campaign_name: Option<String>,
    pub creative_id: String,
    pub creative_name: Option<String>,
    /// YYYY-MM-DD.
    pub day: String,
    pub impressions: i64,
    pub clicks: i64,
    pub spend_cents: i64,
    pub conversions: i64,
    pub revenue_cents: i64,
    /// People reached that day, when known (never more than the impressions).
    pub reach: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    Customer(CustomerRecord),
    Order(OrderRecord),
    Event(EventRecord),
    Performance(PerformanceRecord),
}

/// One input row: its line in the file and a value (or none) per field of its kind, in the
/// order of `ImportKind::fields()`. Empty cells are `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct RawRow {
    pub line: u64,
    pub values: Vec<Option<String>>,
}

/// The default platform of rows that name none.
pub const IMPORT_PLATFORM: &str = "import";

struct Cells<'a> {
    kind: ImportKind,
    row: &'a RawRow,
    errors: Vec<RowError>,
}

impl<'a> Cells<'a> {
    fn get(&self, name: &str) -> Option<&'a str> {
        let i = self.kind.fields().iter().position(|f| f.name == name)?;
        self.row.values.get(i)?.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }

    fn fail(&mut self, column: &str, reason: impl Into<String>) {
        self.errors.push(RowError { line: self.row.line, column: Some(column.to_string()), reason: reason.into() });
    }

    /// A required text value, at most `max` characters.
    fn required(&mut self, name: &str, max: usize) -> Option<String> {
        match self.get(name) {
            None => {
                self.fail(name, format!("{name} is required"));
                None
            }
            Some(v) => self.text_value(name, v, max),
        }
    }

    fn text(&mut self, name: &str, max: usize) -> Option<String> {
        let v = self.get(name)?;
        self.text_value(name, v, max)
    }

    fn text_value(&mut self, name: &str, v: &str, max: usize) -> Option<String> {
        if v.chars().count() > max {
            self.fail(name, format!("{name} is longer than {max} characters"));
            None
        } else {
            Some(v.to_string())
        }
    }

    fn parsed<T>(&mut self, name: &str, parse: impl Fn(&str) -> Result<T, String>) -> Option<T> {
        let v = self.get(name)?;
        match parse(v) {
            Ok(t) => Some(t),
            Err(reason) => {
                self.fail(name, reason);
                None
            }
        }
    }

    fn required_parsed<T>(&mut self, name: &str, parse: impl Fn(&str) -> Result<T, String>) -> Option<T> {
        if self.get(name).is_none() {
            self.fail(name, format!("{name} is required"));
            return None;
        }
        self.parsed(name, parse)
    }

    fn platform(&mut self) -> String {
        self.text("platform", 64).map(|p| p.to_ascii_lowercase()).unwrap_or_else(|| IMPORT_PLATFORM.to_string())
    }

    fn customer_ref(&mut self) -> Option<CustomerRef> {
        let platform = self.platform();
        let external_id = self.text("customer_id", 255);
        let email = self.parsed("email", values::email);
        if external_id.is_none() && email.is_none() && self.get("email").is_none() {
            self.fail("customer_id", "customer_id or email is required");
            return None;
        }
        if external_id.is_none() && email.is_none() {
            return None; // the bad email is already reported
        }
        Some(CustomerRef { platform, external_id, email })
    }
}

/// Parses one row into a record, or reports every problem it has.
pub fn parse(kind: ImportKind, row: &RawRow) -> Result<Record, Vec<RowError>> {
    let mut c = Cells { kind, row, errors: Vec::new() };
    let record = match kind {
        ImportKind::Customers => customer(&mut c).map(Record::Customer),
        ImportKind::Orders => order(&mut c).map(Record::Order),
        ImportKind::Events => event(&mut c).map(Record::Event),
        ImportKind::Performance => performance(&mut c).map(Record::Performance),
    };
    match record {
        Some(r) if c.errors.is_empty() => Ok(r),
        _ => Err(c.errors),
    }
}

fn customer(c: &mut Cells) -> Option<CustomerRecord> {
    let who = c.customer_ref();
    let name = c.text("name", 200);
    let phone = c.text("phone", 50);
    let company = c.text("company", 200);
    let tags = c.get("tags").map(values::tags).unwrap_or_default();
    let created_at = c.parsed("created_at", values::time);
    let source = c.text("consent_source", 100).unwrap_or_else(|| IMPORT_PLATFORM.to_string());
    let expires_at = c.parsed("consent_expires_at", values::time);
    let mut consents = Vec::new();
    for purpose in CONSENT_PURPOSES {
        if let Some(granted) = c.parsed(&format!("consent_{purpose}"), values::boolean) {
            consents.push(ConsentRecord { purpose: purpose.to_string(), granted, source: source.clone(), expires_at });
        }
    }
    Some(CustomerRecord { who: who?, name, phone, company, tags, created_at, consents })
}

fn order(c: &mut Cells) -> Option<OrderRecord> {
    let external_order_id = c.required("order_id", 255);
    let who = c.customer_ref();
    let amount_cents = c.required_parsed("amount", values::money_cents);
    let currency = c.parsed("currency", values::currency).unwrap_or_else(|| "USD".to_string());
    let ordered_at = c.required_parsed("ordered_at", values::time);
    let who = who?;
    Some(OrderRecord {
        platform: who.platform.clone(),
        who,
        external_order_id: external_order_id?,
        amount_cents: amount_cents?,
        currency,
        ordered_at: ordered_at?,
    })
}

fn event(c: &mut Cells) -> Option<EventRecord> {
    let event_id = c.text("event_id", 255);
    let who = c.customer_ref();
    let event_type = c.required("event_type", 100).map(|t| t.to_ascii_lowercase());
    let occurred_at = c.required_parsed("occurred_at", values::time);
    let channel = c.text("channel", 100).map(|t| t.to_ascii_lowercase());
    let spend_cents = c.parsed("spend", values::money_cents);
    let content_id = c.text("content_id", 255);
    let campaign_id = c.text("campaign_id", 255);
    let (who, event_type, occurred_at) = (who?, event_type?, occurred_at?);
    let event_key = match &event_id {
        Some(id) => key_of(&[&who.platform, "id", id]),
        None => key_of(&[
            &who.customer_key(),
            &event_type,
            &occurred_at.to_string(),
            channel.as_deref().unwrap_or(""),
            &spend_cents.map(|s| s.to_string()).unwrap_or_default(),
            content_id.as_deref().unwrap_or(""),
            campaign_id.as_deref().unwrap_or(""),
        ]),
    };
    Some(EventRecord { who, event_key, event_type, occurred_at, channel, spend_cents, content_id, campaign_id })
}

fn performance(c: &mut Cells) -> Option<PerformanceRecord> {
    let platform = c.required("platform", 64).map(|p| p.to_ascii_lowercase());
    let campaign_id = c.required("campaign_id", 255);
    let campaign_name = c.text("campaign_name", 255);
    let creative_id = c.text("creative_id", 255).unwrap_or_default();
    let creative_name = c.text("creative_name", 255);
    let day = c.required_parsed("date", values::day);
    let impressions = c.parsed("impressions", values::count).unwrap_or(0);
    let clicks = c.parsed("clicks", values::count).unwrap_or(0);
    let spend_cents = c.parsed("spend", values::money_cents).unwrap_or(0);
    let conversions = c.parsed("conversions", values::count).unwrap_or(0);
    let revenue_cents = c.parsed("revenue", values::money_cents).unwrap_or(0);
    let reach = c.parsed("reach", values::count);
    if clicks > impressions && impressions > 0 {
        c.fail("clicks", format!("clicks ({clicks}) exceed impressions ({impressions})"));
    }
    if let Some(r) = reach.filter(|r| *r > impressions) {
        c.fail("reach", format!("reach ({r}) exceeds impressions ({impressions}): each person reached saw it at least once"));
    }
    Some(PerformanceRecord {
        platform: platform?,
        campaign_id: campaign_id?,
        campaign_name,
        creative_id,
        creative_name,
        day: day?.format("%Y-%m-%d").to_string(),
        impressions,
        clicks,
        spend_cents,
        conversions,
        revenue_cents,
        reach,
    })
}

/// A stable 64-bit key from parts (SHA-256, first 8 bytes): the same parts always give the
/// same key, on every machine and release.
pub fn key_of(parts: &[&str]) -> i64 {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0x1f]);
    }
    let digest = h.finalize();
    i64::from_be_bytes(digest[..8].try_into().expect("8 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: ImportKind, pairs: &[(&str, &str)]) -> RawRow {
        let values = kind
            .fields()
            .iter()
            .map(|f| pairs.iter().find(|(n, _)| *n == f.name).map(|(_, v)| v.to_string()))
            .collect();
        RawRow { line: 7, values }
    }

    #[test]
    fn an_event_without_id_is_keyed_by_its_content() {
        let a = row(ImportKind::Events, &[("customer_id", "c1"), ("event_type", "Email_Open"), ("occurred_at", "2026-01-02")]);
        let Record::Event(e1) = parse(ImportKind::Events, &a).unwrap() else { panic!() };
        let Record::Event(e2) = parse(ImportKind::Events, &a).unwrap() else { panic!() };
        assert_eq!(e1.event_key, e2.event_key);
        assert_eq!(e1.event_type, "email_open");
        let b = row(ImportKind::Events, &[("customer_id", "c1"), ("event_type", "email_open"), ("occurred_at", "2026-01-03")]);
        let Record::Event(e3) = parse(ImportKind::Events, &b).unwrap() else { panic!() };
        assert_ne!(e1.event_key, e3.event_key);
    }

    #[test]
    fn every_problem_of_a_row_is_reported_with_line_and_column() {
        let r = row(ImportKind::Orders, &[("amount", "twelve"), ("ordered_at", "yesterday")]);
        let errors = parse(ImportKind::Orders, &r).unwrap_err();
        let columns: Vec<_> = errors.iter().map(|e| e.column.clone().unwrap()).collect();
        assert_eq!(columns, vec!["order_id", "customer_id", "amount", "ordered_at"]);
        assert!(errors.iter().all(|e| e.line == 7));
    }

    #[test]
    fn customers_carry_consents_and_merge_on_email() {
        let r = row(
            ImportKind::Customers,
            &[("customer_id", "42"), ("email", "A@x.io"), ("consent_marketing_email", "yes"), ("consent_analytics", "no")],
        );
        let Record::Customer(c) = parse(ImportKind::Customers, &r).unwrap() else { panic!() };
        assert_eq!(c.who.customer_key(), "a@x.io");
        assert_eq!(c.consents.len(), 2);
        assert!(c.consents[0].granted && !c.consents[1].granted);
        let no_email = row(ImportKind::Customers, &[("customer_id", "42")]);
        let Record::Customer(c) = parse(ImportKind::Customers, &no_email).unwrap() else { panic!() };
        assert_eq!(c.who.customer_key(), "import:42");
    }

    #[test]
    fn performance_rejects_impossible_numbers() {
        let r = row(
            ImportKind::Performance,
            &[("platform", "Meta_Ads"), ("campaign_id", "c"), ("date", "2026-02-01"), ("impressions", "10"), ("clicks", "11")],
        );
        let errors = parse(ImportKind::Performance, &r).unwrap_err();
        assert_eq!(errors[0].column.as_deref(), Some("clicks"));
    }
}
