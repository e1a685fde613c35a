//! Streams a CSV or NDJSON input into batches of parsed records. The input is read a record at
//! a time, so a file of any size needs only one batch in memory. Runs on a blocking thread.

use std::io::{BufRead, BufReader, Read};

use super::records::{self, RawRow, Record};
use crate::model::{ColumnMapping, ImportFormat, ImportKind, RowError};
use crate::ApiError;

/// One batch: the records to write in one transaction, the rows that failed, and the last
/// input line the batch covers (what a resumed import skips through once it commits).
#[derive(Debug, Default)]
pub struct Batch {
    pub records: Vec<Record>,
    pub errors: Vec<RowError>,
    pub rows_read: u64,
    pub last_line: u64,
}

#[derive(Clone, Debug)]
pub struct ReadPlan {
    pub kind: ImportKind,
    pub format: ImportFormat,
    pub mapping: ColumnMapping,
    /// Lines up to and including this one were committed by an earlier run: skip them.
    pub skip_through_line: u64,
    pub batch_size: usize,
}

/// Reads the whole input, handing each full batch to `emit`; `emit` returns false to stop
/// (the writer failed). A header that cannot satisfy the kind's required fields fails at once.
pub fn read(plan: &ReadPlan, input: impl Read, mut emit: impl FnMut(Batch) -> bool) -> Result<(), ApiError> {
    let mut batch = Batch::default();
    let mut push = |batch: &mut Batch, line: u64, parsed: Result<Record, Vec<RowError>>| -> bool {
        batch.rows_read += 1;
        batch.last_line = line;
        match parsed {
            Ok(r) => batch.records.push(r),
            Err(mut e) => batch.errors.append(&mut e),
        }
        if batch.rows_read as usize >= plan.batch_size {
            return emit(std::mem::take(batch));
        }
        true
    };
    match plan.format {
        ImportFormat::Csv => read_csv(plan, input, &mut batch, &mut push)?,
        ImportFormat::Ndjson => read_ndjson(plan, input, &mut batch, &mut push)?,
    }
    if batch.rows_read > 0 {
        emit(batch);
    }
    Ok(())
}

type Push<'a> = dyn FnMut(&mut Batch, u64, Result<Record, Vec<RowError>>) -> bool + 'a;

fn read_csv(plan: &ReadPlan, input: impl Read, batch: &mut Batch, push: &mut Push) -> Result<(), ApiError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(input);
    let headers = reader.headers().map_err(|e| unreadable(&e.to_string()))?.clone();
    let columns = resolve_columns(plan, |name| {
        headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
    })?;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                if line <= plan.skip_through_line {
                    continue;
                }
                let values = columns
                    .iter()
                    .map(|c| c.and_then(|i| record.get(i)).filter(|v| !v.trim().is_empty()).map(str::to_string))
                    .collect();
                let row = RawRow { line, values };
                if !push(batch, line, records::parse(plan.kind, &row)) {
                    return Ok(());
                }
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => {
                        let error = RowError { line, column: None, reason: "the row is not valid UTF-8 text".into() };
                        if line > plan.skip_through_line && !push(batch, line, Err(vec![error])) {
                            return Ok(());
                        }
                    }
                    _ => return Err(unreadable(&e.to_string())),
                }
            }
        }
    }
}

fn read_ndjson(plan: &ReadPlan, input: impl Read, batch: &mut Batch, push: &mut Push) -> Result<(), ApiError> {
    let keys = resolve_columns(plan, |name| Some(name.to_string()))?;
    let mut reader = BufReader::with_capacity(256 * 1024, input);
    let mut buf = Vec::new();
    let mut line: u64 = 0;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).map_err(|e| unreadable(&e.to_string()))?;
        if n == 0 {
            return Ok(());
        }
        line += 1;
        if line <= plan.skip_through_line || buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let parsed = match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&buf) {
            Ok(object) => {
                let values = keys.iter().map(|k| k.as_ref().and_then(|k| json_text(object.get(k)?))).collect();
                records::parse(plan.kind, &RawRow { line, values })
            }
            Err(e) => Err(vec![RowError { line, column: None, reason: format!("not a JSON object: {e}") }]),
        };
        if !push(batch, line, parsed) {
            return Ok(());
        }
    }
}

/// Where each field of the kind is read from, in `fields()` order: a mapped column, else the
/// column of the same name, else nowhere. `find` looks a column up by name.
fn resolve_columns<C>(plan: &ReadPlan, find: impl Fn(&str) -> Option<C>) -> Result<Vec<Option<C>>, ApiError> {
    let fields = plan.kind.fields();
    for target in plan.mapping.keys() {
        if !fields.iter().any(|f| f.name == target) {
            return Err(ApiError::validation("mapping", format!("'{target}' is not a field of {} imports", plan.kind.as_str())));
        }
    }
    let mut columns = Vec::with_capacity(fields.len());
    for f in fields {
        let column = match plan.mapping.get(f.name).filter(|c| !c.trim().is_empty()) {
            Some(source) => Some(find(source).ok_or_else(|| {
                ApiError::validation("mapping", format!("{} is mapped to the column '{source}', which the file does not have", f.name))
            })?),
            None => find(f.name),
        };
        if f.required && column.is_none() {
            return Err(ApiError::validation(
                "mapping",
                format!("The file has no column for {}: map one of its columns to it, or name a column '{}'", f.name, f.name),
            ));
        }
        columns.push(column);
    }
    let has = |name: &str| fields.iter().position(|f| f.name == name).is_some_and(|i| columns[i].is_some());
    if plan.kind != ImportKind::Performance && !has("customer_id") && !has("email") {
        return Err(ApiError::validation(
            "mapping",
            "The file needs a customer_id or an email column to tell whose rows they are",
        ));
    }
    Ok(columns)
}

/// A JSON object (a webhook's or an API's record) as a row of its kind, read by field name.
pub fn row_from_json(kind: ImportKind, object: &serde_json::Map<String, serde_json::Value>, line: u64) -> RawRow {
    let values = kind.fields().iter().map(|f| object.get(f.name).and_then(json_text)).collect();
    RawRow { line, values }
}

fn json_text(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            Some(items.iter().filter_map(json_text).collect::<Vec<_>>().join(","))
        }
        Value::Object(_) => Some(v.to_string()),
    }
}

fn unreadable(cause: &str) -> ApiError {
    ApiError::validation("file", format!("The file could not be read: {cause}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(kind: ImportKind, format: ImportFormat) -> ReadPlan {
        ReadPlan { kind, format, mapping: ColumnMapping::new(), skip_through_line: 0, batch_size: 2 }
    }

    fn collect(plan: &ReadPlan, input: &str) -> Result<Vec<Batch>, ApiError> {
        let mut out = Vec::new();
        read(plan, input.as_bytes(), |b| {
            out.push(b);
            true
        })?;
        Ok(out)
    }

    #[test]
    fn csv_rows_stream_in_batches_with_their_line_numbers() {
        let csv = "Order_ID,email,amount,ordered_at\n1,a@x.io,10.00,2026-01-01\n2,b@x.io,oops,2026-01-02\n3,c@x.io,5,2026-01-03\n";
        let batches = collect(&plan(ImportKind::Orders, ImportFormat::Csv), csv).unwrap();
        assert_eq!(batches.len(), 2);
        assert_eq!(batches[0].records.len(), 1);
        assert_eq!(batches[0].errors[0].line, 3);
        assert_eq!(batches[0].errors[0].column.as_deref(), Some("amount"));
        assert_eq!(batches[0].last_line, 3);
        assert_eq!(batches[1].last_line, 4);
    }

    #[test]
    fn mapping_renames_columns_and_a_missing_required_column_fails_first() {
        let csv = "Order,E-mail,Total,Date\n1,a@x.io,10,2026-01-01\n";
        let err = collect(&plan(ImportKind::Orders, ImportFormat::Csv), csv).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("mapping"));
        let mut p = plan(ImportKind::Orders, ImportFormat::Csv);
        for (to, from) in [("order_id", "Order"), ("email", "E-mail"), ("amount", "Total"), ("ordered_at", "Date")] {
            p.mapping.insert(to.into(), from.into());
        }
        let batches = collect(&p, csv).unwrap();
        assert_eq!(batches[0].records.len(), 1);
    }

    #[test]
    fn ndjson_reports_bad_lines_and_resumes_after_a_committed_line() {
        let input = "{\"customer_id\":\"c1\",\"event_type\":\"open\",\"occurred_at\":1700000000}\nnot json\n\n{\"customer_id\":\"c2\",\"event_type\":\"click\",\"occurred_at\":\"2026-01-01\",\"spend\":1.5}\n";
        let batches = collect(&plan(ImportKind::Events, ImportFormat::Ndjson), input).unwrap();
        let records: usize = batches.iter().map(|b| b.records.len()).sum();
        assert_eq!(records, 2);
        assert_eq!(batches[0].errors[0].line, 2);
        let mut resumed = plan(ImportKind::Events, ImportFormat::Ndjson);
        resumed.skip_through_line = 2;
        let batches = collect(&resumed, input).unwrap();
        assert_eq!(batches.iter().map(|b| b.rows_read).sum::<u64>(), 1);
        assert_eq!(batches[0].last_line, 4);
    }
}
