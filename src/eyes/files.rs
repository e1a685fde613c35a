//! Loads the `server eyes` command's input files into EYES histories.
//!
//! Three CSV files, each with a header row; column names are matched case-insensitively (spaces
//! and dashes count as underscores) and a few common synonyms are accepted:
//!
//! | file | column | names accepted | required |
//! | --- | --- | --- | --- |
//! | customers | customer id | `customer_id`, `customer`, `customerid`, `id` | yes |
//! | customers | sign-up time | `created_at`, `signup_date`, `signed_up_at`, `signup_at`, `created` | no |
//! | orders | customer id | `customer_id`, `customer`, `customerid` | yes |
//! | orders | order time | `date`, `ordered_at`, `order_date`, `created_at`, `time`, `timestamp` | yes |
//! | orders | amount, in currency units (`12.50`) | `amount`, `total`, `value`, `revenue` | yes |
//! | events | customer id | `customer_id`, `customer`, `customerid` | yes |
//! | events | event type | `event_type`, `type`, `event`, `event_name` | yes |
//! | events | time | `occurred_at`, `time`, `date`, `timestamp`, `created_at` | yes |
//! | events | channel / spend (currency units) / content / campaign | `channel` / `spend`, `cost` / `content_id`, `content` / `campaign_id`, `campaign` | no |
//!
//! Other columns are ignored. Times are `YYYY-MM-DD` (midnight UTC), `YYYY-MM-DD HH:MM:SS`
//! (UTC; a `T` separator and fractional seconds are fine), RFC 3339 (`2026-06-30T12:00:00+02:00`)
//! or integer unix seconds. Empty optional values mean "not given"; blank lines are skipped.
//!
//! Every customer seen in any file is kept, including customers.csv rows without orders or
//! events (zero history). The sign-up time is the customers.csv value, but never later than the
//! customer's first order or event; without one it is the first order or event, and for a
//! customer with neither it is the latest time found in the files (a customer who has just
//! signed up). The result is sorted by customer id (byte order) with orders and events oldest
//! first (file order on ties), and event names are numbered in order of first appearance in the
//! file, so the same files always give the same histories, on any number of threads.
//!
//! Speed (a million customers, ~20M rows): large files are cut at line starts into chunks that
//! are parsed on their own threads (a cut that lands inside a quoted multi-line field is
//! detected, and that file is then parsed in one piece). Rows are appended to flat per-chunk
//! vectors, reusing one `csv::ByteRecord`; customer ids are numbered through an open-addressing
//! table that keeps ids of up to 40 bytes inline and looks them up in batches, so the cache
//! misses of a million-entry table overlap. At the end a counting sort groups every file's rows
//! by customer and each customer's vectors are filled by one sequential copy.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::Path;

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use crate::eyes::history::{CustomerHistory, Event, Interner, Order, Time, Vocabulary};

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: cannot read: {reason}")]
    Io { file: String, reason: String },
    #[error("{file}: missing column {column} (accepted names: {accepted}; the header has: {found})")]
    MissingColumn { file: String, column: &'static str, accepted: String, found: String },
    #[error("{file} line {line}, column {column}: {reason}")]
    Field { file: String, line: u64, column: String, reason: String },
    #[error("{file} line {line}: {reason}")]
    Row { file: String, line: u64, reason: String },
}

impl LoadError {
    /// From a chunk's line numbering (its first line is 1) to the file's.
    fn in_file_lines(mut self, chunk_first_line: u64) -> LoadError {
        if let LoadError::Field { line, .. } | LoadError::Row { line, .. } = &mut self {
            *line += chunk_first_line - 1;
        }
        self
    }
}

/// Reads the files into histories (sorted by customer id) and the vocabulary of the events'
/// names. See the module documentation for the accepted columns and formats.
pub fn load(
    customers: Option<&Path>,
    orders: &Path,
    events: Option<&Path>,
) -> Result<(Vec<CustomerHistory>, Vocabulary), LoadError> {
    load_with(customers, orders, events, &Split::for_this_machine())
}

/// How many chunks the files are cut into, in all, and how small a chunk may be.
struct Split {
    parts: usize,
    min_chunk_bytes: u64,
}

impl Split {
    fn for_this_machine() -> Split {
        // One more chunk than cores, so the orders and events files (~1:2 in size) share the
        // cores evenly.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Split { parts: cores + 1, min_chunk_bytes: 16 << 20 }
    }
}

fn load_with(
    customers: Option<&Path>,
    orders: &Path,
    events: Option<&Path>,
    split: &Split,
) -> Result<(Vec<CustomerHistory>, Vocabulary), LoadError> {
    // Headers first, so a missing column is reported before any long parse.
    let customers_file = match customers {
        Some(path) => {
            let header = Header::read(path)?;
            let columns = CustomerColumns::find(&header)?;
            Some((path, header, columns))
        }
        None => None,
    };
    let orders_header = Header::read(orders)?;
    let orders_columns = OrderColumns::find(&orders_header)?;
    let events_file = match events {
        Some(path) => {
            let header = Header::read(path)?;
            let columns = EventColumns::find(&header)?;
            Some((path, header, columns))
        }
        None => None,
    };

    let orders_size = orders_header.data_len();
    let events_size = events_file.as_ref().map_or(0, |(_, h, _)| h.data_len());
    let events_parts = if events_size == 0 {
        1
    } else {
        let share = events_size as f64 / (events_size + orders_size).max(1) as f64;
        ((split.parts as f64 * share).round() as usize).clamp(1, split.parts.saturating_sub(1).max(1))
    };
    let orders_parts = split.parts.saturating_sub(events_parts).max(1);
    let orders_ranges = orders_header.chunks(orders, orders_parts, split.min_chunk_bytes)?;

    let (customers_rows, orders_rows, events_rows) = std::thread::scope(|s| {
        let orders_job = s.spawn(|| {
            let job = |range| load_orders(orders, &orders_header, &orders_columns, range);
            parse_chunks(&orders_header, orders_ranges, &job)
        });
        let events_job = events_file.as_ref().map(|(path, header, columns)| {
            s.spawn(move || {
                let ranges = header.chunks(path, events_parts, split.min_chunk_bytes)?;
                parse_chunks(header, ranges, &|range| load_events(path, header, columns, range))
            })
        });
        let customers_rows = customers_file.as_ref().map(|(path, header, columns)| {
            let range = header.data_start..header.len;
            parse_chunks(header, vec![range], &|range| load_customers(path, header, columns, range))
        });
        let orders_rows = orders_job.join().expect("the orders loader panicked");
        let events_rows = events_job.map(|j| j.join().expect("the events loader panicked"));
        (customers_rows, orders_rows, events_rows)
    });
    let customers_rows = customers_rows.transpose()?.map(|mut parts| parts.remove(0));
    let orders_rows = orders_rows?;
    let (events_rows, vocabulary) = match events_rows.transpose()? {
        Some(parts) => merge_vocabularies(parts),
        None => (Vec::new(), Vocabulary::default()),
    };
    Ok((merge(customers_rows, orders_rows, events_rows), vocabulary))
}

// ---------------------------------------------------------------------------------------------
// Files, headers and chunks

/// A file's header row and where its data starts.
struct Header {
    file: String,
    names: Vec<String>,
    /// Byte offset and line number of the first data record.
    data_start: u64,
    data_line: u64,
    len: u64,
}

impl Header {
    fn read(path: &Path) -> Result<Header, LoadError> {
        let file = path.display().to_string();
        let io = |e: std::io::Error| LoadError::Io { file: file.clone(), reason: e.to_string() };
        let f = File::open(path).map_err(io)?;
        let len = f.metadata().map_err(io)?.len();
        let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(f);
        let names = reader
            .byte_headers()
            .map_err(|e| csv_error(&file, e))?
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        let position = reader.position();
        Ok(Header { file, names, data_start: position.byte(), data_line: position.line(), len })
    }

    /// An I/O failure on this file.
    fn io_error(&self, e: std::io::Error) -> LoadError {
        LoadError::Io { file: self.file.clone(), reason: e.to_string() }
    }

    fn data_len(&self) -> u64 {
        self.len.saturating_sub(self.data_start)
    }

    /// The index of the first column named like one of `names`.
    fn column(&self, names: &[&str]) -> Option<usize> {
        let normal: Vec<String> = self
            .names
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase().replace([' ', '-'], "_"))
            .collect();
        names.iter().find_map(|n| normal.iter().position(|h| h == n))
    }

    fn required(&self, column: &'static str, names: &[&str]) -> Result<usize, LoadError> {
        self.column(names).ok_or_else(|| LoadError::MissingColumn {
            file: self.file.clone(),
            column,
            accepted: names.join(", "),
            found: if self.names.is_empty() { "(nothing)".into() } else { self.names.join(", ") },
        })
    }

    /// Up to `parts` byte ranges covering the data, cut just after a newline that starts a
    /// non-blank line, none smaller than about `min_bytes`.
    fn chunks(&self, path: &Path, parts: usize, min_bytes: u64) -> Result<Vec<Range<u64>>, LoadError> {
        let size = self.data_len();
        let parts = parts.min((size / min_bytes.max(1)) as usize).max(1);
        let mut cuts = vec![self.data_start];
        if parts > 1 {
            let io = |e| self.io_error(e);
            let mut f = File::open(path).map_err(io)?;
            for k in 1..parts {
                let target = self.data_start + size * k as u64 / parts as u64;
                if let Some(cut) = line_start_after(&mut f, target.max(*cuts.last().expect("non-empty"))).map_err(io)? {
                    if cut > *cuts.last().expect("non-empty") && cut < self.len {
                        cuts.push(cut);
                    }
                }
            }
        }
        cuts.push(self.len);
        Ok(cuts.windows(2).map(|w| w[0]..w[1]).collect())
    }
}

/// The first offset after `from` that follows a `\n` and holds neither `\n` nor `\r` (so the
/// cut is never on a blank line), looking at most 1 MiB ahead.
fn line_start_after(f: &mut File, from: u64) -> std::io::Result<Option<u64>> {
    f.seek(SeekFrom::Start(from))?;
    let mut buf = Vec::with_capacity(1 << 20);
    f.take(1 << 20).read_to_end(&mut buf)?;
    Ok(buf.windows(2).position(|w| w[0] == b'\n' && w[1] != b'\n' && w[1] != b'\r').map(|i| from + i as u64 + 1))
}

/// Where a chunk's parser stopped: at the first record starting at or after the chunk's end.
struct ChunkEnd {
    /// That record starts exactly at the end, i.e. the cut was a record boundary.
    aligned: bool,
    /// Its line, in the chunk's numbering.
    line: u64,
}

/// About how many rows `range` holds, from the line lengths in its first 64 KiB (a little over,
/// so that a uniform file needs no regrowth). Lines are taken to be at least 8 bytes, so a
/// start of blank lines cannot ask for absurd amounts of memory.
fn expected_rows(path: &Path, header: &Header, range: &Range<u64>) -> Result<usize, LoadError> {
    let io = |e| header.io_error(e);
    let mut f = File::open(path).map_err(io)?;
    f.seek(SeekFrom::Start(range.start)).map_err(io)?;
    let mut head = Vec::with_capacity(1 << 16);
    f.take((range.end - range.start).min(1 << 16)).read_to_end(&mut head).map_err(io)?;
    let lines = head.iter().filter(|&&b| b == b'\n').count().max(1);
    let per_line = (head.len() as f64 / lines as f64).max(8.0);
    Ok(((range.end - range.start) as f64 / per_line * 1.02) as usize + 64)
}

/// Parses the records starting in `range` (which must begin at a record start), calling `row`
/// on each non-blank one.
fn parse_range(
    path: &Path,
    header: &Header,
    range: Range<u64>,
    mut row: impl FnMut(&Row<'_>) -> Result<(), LoadError>,
) -> Result<ChunkEnd, LoadError> {
    let io = |e| header.io_error(e);
    let mut f = File::open(path).map_err(io)?;
    f.seek(SeekFrom::Start(range.start)).map_err(io)?;
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).buffer_capacity(1 << 18).from_reader(f);
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Ok(ChunkEnd { aligned: range.end >= header.len, line: reader.position().line() }),
            Err(e) => return Err(csv_error(&header.file, e)),
        }
        let position = record.position().map_or_else(|| reader.position().clone(), Clone::clone);
        let start = range.start + position.byte();
        if start >= range.end {
            return Ok(ChunkEnd { aligned: start == range.end, line: position.line() });
        }
        // A line of spaces reads as one blank field: skipped like an empty line.
        if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        row(&Row { file: &header.file, headers: &header.names, record: &record, line: position.line() })?;
    }
}

/// Runs `job` on every range, in parallel, and returns the parts in file order; errors carry
/// file line numbers. When a cut turns out not to be a record boundary (a quoted field with a
/// newline spans it), the whole file is parsed again as one range.
fn parse_chunks<T: Send>(
    header: &Header,
    ranges: Vec<Range<u64>>,
    job: &(dyn Fn(Range<u64>) -> Result<(T, ChunkEnd), LoadError> + Sync),
) -> Result<Vec<T>, LoadError> {
    let results: Vec<Result<(T, ChunkEnd), LoadError>> = if ranges.len() == 1 {
        vec![job(ranges[0].clone())]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = ranges.iter().map(|r| s.spawn(move || job(r.clone()))).collect();
            handles.into_iter().map(|h| h.join().expect("a chunk parser panicked")).collect()
        })
    };
    let count = results.len();
    let mut first_line = header.data_line;
    let mut parts = Vec::with_capacity(count);
    for (k, result) in results.into_iter().enumerate() {
        // Chunk k starts at a record boundary: chunk k - 1 checked it (below) before we got here.
        let (part, end) = result.map_err(|e| e.in_file_lines(first_line))?;
        if k + 1 < count && !end.aligned {
            let whole = header.data_start..header.len;
            return parse_chunks(header, vec![whole], job);
        }
        first_line += end.line - 1;
        parts.push(part);
    }
    Ok(parts)
}

fn csv_error(file: &str, e: csv::Error) -> LoadError {
    let line = e.position().map(|p| p.line());
    let reason = match e.kind() {
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
    };
    match line {
        Some(line) => LoadError::Row { file: file.to_string(), line, reason },
        None => LoadError::Io { file: file.to_string(), reason },
    }
}

/// One record, with field access that trims, checks and explains.
struct Row<'a> {
    file: &'a str,
    headers: &'a [String],
    record: &'a csv::ByteRecord,
    line: u64,
}

impl<'a> Row<'a> {
    fn error(&self, col: usize, reason: String) -> LoadError {
        LoadError::Field { file: self.file.to_string(), line: self.line, column: self.headers[col].clone(), reason }
    }

    /// The trimmed field; empty when the row is short.
    fn bytes(&self, col: usize) -> &'a [u8] {
        self.record.get(col).map_or(&[], trim)
    }

    fn required_bytes(&self, col: usize) -> Result<&'a [u8], LoadError> {
        let b = self.bytes(col);
        if b.is_empty() {
            return Err(self.error(col, "missing value".into()));
        }
        Ok(b)
    }

    fn required_text(&self, col: usize) -> Result<&'a str, LoadError> {
        std::str::from_utf8(self.required_bytes(col)?).map_err(|_| self.error(col, "not valid UTF-8".into()))
    }

    fn time(&self, col: usize) -> Result<Time, LoadError> {
        let b = self.required_bytes(col)?;
        parse_time_bytes(b).ok_or_else(|| {
            self.error(
                col,
                format!(
                    "not a date: '{}' (expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS, RFC 3339 or unix seconds)",
                    String::from_utf8_lossy(b)
                ),
            )
        })
    }

    fn optional_time(&self, col: Option<usize>) -> Result<Option<Time>, LoadError> {
        match col {
            Some(c) if !self.bytes(c).is_empty() => self.time(c).map(Some),
            _ => Ok(None),
        }
    }

    fn cents(&self, col: usize) -> Result<i64, LoadError> {
        let b = self.required_bytes(col)?;
        parse_cents_bytes(b)
            .ok_or_else(|| self.error(col, format!("not a number: '{}'", String::from_utf8_lossy(b))))
    }

    fn optional_cents(&self, col: Option<usize>) -> Result<Option<i64>, LoadError> {
        match col {
            Some(c) if !self.bytes(c).is_empty() => self.cents(c).map(Some),
            _ => Ok(None),
        }
    }

    /// The interned id of a name column's value; `NONE` when empty or the column is absent.
    fn name(&self, col: Option<usize>, cache: &mut NameCache, interner: &mut Interner) -> Result<u32, LoadError> {
        let Some(c) = col else { return Ok(NONE) };
        let b = self.bytes(c);
        if b.is_empty() {
            return Ok(NONE);
        }
        cache.id(b, interner).ok_or_else(|| self.error(c, "not valid UTF-8".into()))
    }
}

fn trim(mut b: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = b {
        if first.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = b {
        if last.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    b
}

// ---------------------------------------------------------------------------------------------
// Customer ids

/// A fast hash for ids and names (FxHash-style mixing with a murmur finaliser, so both the low
/// bits that pick a slot and the high bits are well spread). Not DoS-resistant: the files are
/// the operator's own.
#[derive(Default, Clone, Copy)]
struct IdHasher(u64);

const MIX: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl IdHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(MIX);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8-byte chunk")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// Ids and names of up to this many bytes (and no NUL) are handled as fixed-size keys.
const KEY_WORDS: usize = 5;
const SHORT_ID: usize = KEY_WORDS * 8;

/// The bytes of a short id, zero-padded. Compared word by word (an array `==` would call
/// `memcmp`, which costs more than the comparison itself).
#[derive(Clone, Copy)]
struct Key([u64; KEY_WORDS]);

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.0.iter().zip(&other.0).fold(0, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.iter().for_each(|&w| state.write_u64(w));
    }
}

fn short_key(id: &[u8]) -> Option<Key> {
    // Zero padding must not be mistaken for id bytes, so ids containing NUL go the long way.
    if id.len() > SHORT_ID || id.contains(&0) {
        return None;
    }
    let mut key = [0u64; KEY_WORDS];
    for (w, chunk) in key.iter_mut().zip(id.chunks(8)) {
        let mut bytes = [0u8; 8];
        bytes[..chunk.len()].copy_from_slice(chunk);
        *w = u64::from_le_bytes(bytes);
    }
    Some(Key(key))
}

fn key_hash(key: &Key) -> u64 {
    let mut h = IdHasher::default();
    key.0.iter().for_each(|&w| h.add(w));
    h.finish()
}

fn key_id(key: &Key) -> Box<str> {
    let bytes: Vec<u8> = key.0.iter().flat_map(|w| w.to_le_bytes()).take_while(|&b| b != 0).collect();
    String::from_utf8(bytes).expect("keys are made from checked UTF-8 ids").into_boxed_str()
}

const EMPTY: u32 = u32::MAX;

#[derive(Clone, Copy)]
struct Slot {
    key: Key,
    number: u32,
}

const EMPTY_SLOT: Slot = Slot { key: Key([0; KEY_WORDS]), number: EMPTY };

/// Customer ids numbered 0, 1, 2, … in order of first appearance. Lookups are made in batches:
/// a first pass touches every batch member's slot, so the cache misses of a batch overlap
/// instead of queueing one after another (a million customers fit in no cache, and in
/// time-ordered files consecutive rows belong to unrelated customers).
struct Index {
    /// Linear probing over a power-of-two table at most 5/8 full.
    slots: Vec<Slot>,
    used: usize,
    long: FastMap<Box<str>, u32>,
    ids: Vec<Box<str>>,
    hashes: Vec<u64>,
}

impl Default for Index {
    fn default() -> Self {
        Index { slots: vec![EMPTY_SLOT; 1024], used: 0, long: FastMap::default(), ids: Vec::new(), hashes: Vec::new() }
    }
}

impl Index {
    fn len(&self) -> usize {
        self.ids.len()
    }

    /// Makes room for `more` new short ids within the load limit.
    fn reserve(&mut self, more: usize) {
        if (self.used + more) * 8 <= self.slots.len() * 5 {
            return;
        }
        let mut size = self.slots.len();
        while (self.used + more) * 8 > size * 5 {
            size *= 2;
        }
        let old = std::mem::replace(&mut self.slots, vec![EMPTY_SLOT; size]);
        let mask = size - 1;
        for slot in old.into_iter().filter(|s| s.number != EMPTY) {
            let mut i = key_hash(&slot.key) as usize & mask;
            while self.slots[i].number != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }

    /// Appends the numbers of `keys` to `out`, numbering new ones.
    fn number_keys(&mut self, keys: &[Key], out: &mut Vec<u32>) {
        self.reserve(keys.len());
        let mask = self.slots.len() - 1;
        self.hashes.clear();
        self.hashes.extend(keys.iter().map(key_hash));
        // Touch every home slot first: independent loads whose misses overlap. A 48-byte slot
        // may straddle two cache lines, so both its ends are touched.
        let mut touched = 0u64;
        for &h in &self.hashes {
            let slot = &self.slots[h as usize & mask];
            touched ^= slot.key.0[0] ^ u64::from(slot.number);
        }
        std::hint::black_box(touched);
        for (key, &h) in keys.iter().zip(&self.hashes) {
            let mut i = h as usize & mask;
            let number = loop {
                let slot = &mut self.slots[i];
                if slot.number == EMPTY {
                    let number = self.ids.len() as u32;
                    *slot = Slot { key: *key, number };
                    self.used += 1;
                    self.ids.push(key_id(key));
                    break number;
                }
                if slot.key == *key {
                    break slot.number;
                }
                i = (i + 1) & mask;
            };
            out.push(number);
        }
    }

    /// The number of an id that has no short key.
    fn number_long(&mut self, id: &str) -> u32 {
        if let Some(&n) = self.long.get(id) {
            return n;
        }
        let n = self.ids.len() as u32;
        self.long.insert(id.into(), n);
        self.ids.push(id.into());
        n
    }

    /// The numbers of `ids`, in order, numbering new ones.
    fn number_all(&mut self, ids: &[Box<str>]) -> Vec<u32> {
        let mut out = Vec::with_capacity(ids.len());
        let mut keys: Vec<Key> = Vec::with_capacity(BATCH);
        let mut numbers = Vec::with_capacity(BATCH);
        for chunk in ids.chunks(BATCH) {
            keys.clear();
            numbers.clear();
            keys.extend(chunk.iter().filter_map(|id| short_key(id.as_bytes())));
            self.number_keys(&keys, &mut numbers);
            let mut short = numbers.iter();
            for id in chunk {
                out.push(match short_key(id.as_bytes()) {
                    Some(_) => *short.next().expect("one number per short key"),
                    None => self.number_long(id),
                });
            }
        }
        out
    }
}

/// Rows per batch of id lookups.
const BATCH: usize = 256;
const PENDING: u32 = u32::MAX;

/// One chunk's rows in file order: `items[k]` belongs to customer `owners[k]` of `index`.
/// Appending to flat vectors is far cheaper than pushing onto a million small ones in random
/// order; [`merge`] distributes the rows once every count is known.
struct Rows<T> {
    index: Index,
    owners: Vec<u32>,
    items: Vec<T>,
    /// Rows (and keys) whose short id waits for the next batch lookup.
    pending_rows: Vec<usize>,
    pending_keys: Vec<Key>,
    numbers: Vec<u32>,
}

impl<T> Rows<T> {
    /// Room for about `expected` rows up front: growing by doubling would write every row
    /// twice and touch twice the memory, and fresh memory is a real share of the load time.
    fn with_capacity(expected: usize) -> Self {
        Rows {
            index: Index::default(),
            owners: Vec::with_capacity(expected),
            items: Vec::with_capacity(expected),
            pending_rows: Vec::with_capacity(BATCH),
            pending_keys: Vec::with_capacity(BATCH),
            numbers: Vec::with_capacity(BATCH),
        }
    }

    fn push(&mut self, id: &str, item: T) {
        match short_key(id.as_bytes()) {
            Some(key) => {
                self.pending_rows.push(self.owners.len());
                self.pending_keys.push(key);
                self.owners.push(PENDING);
            }
            None => {
                let n = self.index.number_long(id);
                self.owners.push(n);
            }
        }
        self.items.push(item);
        if self.pending_keys.len() == BATCH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        self.numbers.clear();
        self.index.number_keys(&self.pending_keys, &mut self.numbers);
        for (&row, &n) in self.pending_rows.iter().zip(&self.numbers) {
            self.owners[row] = n;
        }
        self.pending_rows.clear();
        self.pending_keys.clear();
    }

    /// Every row numbered.
    fn finish(mut self) -> Self {
        self.flush();
        self
    }
}

// ---------------------------------------------------------------------------------------------
// The three files

const CUSTOMER_ID: &[&str] = &["customer_id", "customer", "customerid"];
const CUSTOMER_ID_OR_ID: &[&str] = &["customer_id", "customer", "customerid", "id"];

struct CustomerColumns {
    id: usize,
    created: Option<usize>,
}

impl CustomerColumns {
    fn find(h: &Header) -> Result<CustomerColumns, LoadError> {
        Ok(CustomerColumns {
            id: h.required("customer_id", CUSTOMER_ID_OR_ID)?,
            created: h.column(&["created_at", "signup_date", "signed_up_at", "signup_at", "created"]),
        })
    }
}

fn load_customers(
    path: &Path,
    header: &Header,
    cols: &CustomerColumns,
    range: Range<u64>,
) -> Result<(Rows<Option<Time>>, ChunkEnd), LoadError> {
    let mut rows = Rows::with_capacity(expected_rows(path, header, &range)?);
    let end = parse_range(path, header, range, |row| {
        rows.push(row.required_text(cols.id)?, row.optional_time(cols.created)?);
        Ok(())
    })?;
    Ok((rows.finish(), end))
}

struct OrderColumns {
    id: usize,
    date: usize,
    amount: usize,
}

impl OrderColumns {
    fn find(h: &Header) -> Result<OrderColumns, LoadError> {
        Ok(OrderColumns {
            id: h.required("customer_id", CUSTOMER_ID)?,
            date: h.required("date", &["date", "ordered_at", "order_date", "created_at", "time", "timestamp"])?,
            amount: h.required("amount", &["amount", "total", "value", "revenue"])?,
        })
    }
}

fn load_orders(
    path: &Path,
    header: &Header,
    cols: &OrderColumns,
    range: Range<u64>,
) -> Result<(Rows<Order>, ChunkEnd), LoadError> {
    let mut rows = Rows::with_capacity(expected_rows(path, header, &range)?);
    let end = parse_range(path, header, range, |row| {
        let id = row.required_text(cols.id)?;
        let at = row.time(cols.date)?;
        let amount_cents = row.cents(cols.amount)?;
        rows.push(id, Order { at, amount_cents });
        Ok(())
    })?;
    Ok((rows.finish(), end))
}

struct EventColumns {
    id: usize,
    event_type: usize,
    time: usize,
    channel: Option<usize>,
    spend: Option<usize>,
    content: Option<usize>,
    campaign: Option<usize>,
}

impl EventColumns {
    fn find(h: &Header) -> Result<EventColumns, LoadError> {
        Ok(EventColumns {
            id: h.required("customer_id", CUSTOMER_ID)?,
            event_type: h.required("event_type", &["event_type", "type", "event", "event_name"])?,
            time: h.required("occurred_at", &["occurred_at", "time", "date", "timestamp", "created_at"])?,
            channel: h.column(&["channel"]),
            spend: h.column(&["spend", "cost"]),
            content: h.column(&["content_id", "content"]),
            campaign: h.column(&["campaign_id", "campaign"]),
        })
    }
}

/// "Not given" in [`PackedEvent`]'s name fields.
const NONE: u32 = u32::MAX;
const NO_SPEND: i64 = i64::MIN;

/// An [`Event`] in 32 bytes instead of 56 while rows are collected and grouped.
#[derive(Clone, Copy)]
struct PackedEvent {
    at: Time,
    spend_cents: i64,
    event_type: u32,
    channel: u32,
    content: u32,
    campaign: u32,
}

impl PackedEvent {
    const BLANK: PackedEvent = PackedEvent { at: 0, spend_cents: NO_SPEND, event_type: 0, channel: NONE, content: NONE, campaign: NONE };

    fn unpack(self) -> Event {
        let opt = |v: u32| (v != NONE).then_some(v);
        Event {
            at: self.at,
            event_type: self.event_type,
            channel: opt(self.channel),
            spend_cents: (self.spend_cents != NO_SPEND).then_some(self.spend_cents),
            content: opt(self.content),
            campaign: opt(self.campaign),
        }
    }
}

/// Interns the names of one column, remembering the byte strings already seen so the common
/// case is one hash lookup with no allocation and no UTF-8 check.
#[derive(Default)]
struct NameCache {
    short: FastMap<Key, u32>,
    long: FastMap<Box<[u8]>, u32>,
}

impl NameCache {
    /// `None` when the name is not UTF-8.
    fn id(&mut self, name: &[u8], interner: &mut Interner) -> Option<u32> {
        let key = short_key(name);
        let hit = match &key {
            Some(k) => self.short.get(k),
            None => self.long.get(name),
        };
        if let Some(&id) = hit {
            return Some(id);
        }
        let id = interner.intern(std::str::from_utf8(name).ok()?);
        match key {
            Some(k) => self.short.insert(k, id),
            None => self.long.insert(name.into(), id),
        };
        Some(id)
    }
}

fn load_events(
    path: &Path,
    header: &Header,
    cols: &EventColumns,
    range: Range<u64>,
) -> Result<((Rows<PackedEvent>, Vocabulary), ChunkEnd), LoadError> {
    let mut vocabulary = Vocabulary::default();
    let (mut types, mut channels, mut contents, mut campaigns) =
        (NameCache::default(), NameCache::default(), NameCache::default(), NameCache::default());
    let mut rows = Rows::with_capacity(expected_rows(path, header, &range)?);
    let end = parse_range(path, header, range, |row| {
        let id = row.required_text(cols.id)?;
        row.required_bytes(cols.event_type)?;
        let event_type = row.name(Some(cols.event_type), &mut types, &mut vocabulary.event_types)?;
        let at = row.time(cols.time)?;
        let channel = row.name(cols.channel, &mut channels, &mut vocabulary.channels)?;
        let spend_cents = row.optional_cents(cols.spend)?.unwrap_or(NO_SPEND);
        let content = row.name(cols.content, &mut contents, &mut vocabulary.contents)?;
        let campaign = row.name(cols.campaign, &mut campaigns, &mut vocabulary.campaigns)?;
        rows.push(id, PackedEvent { at, spend_cents, event_type, channel, content, campaign });
        Ok(())
    })?;
    Ok(((rows.finish(), vocabulary), end))
}

/// One vocabulary for all chunks: the first chunk's, extended by each later chunk's new names
/// in their order, which is their order of first appearance in the file. Later chunks' events
/// are renumbered to match.
fn merge_vocabularies(parts: Vec<(Rows<PackedEvent>, Vocabulary)>) -> (Vec<Rows<PackedEvent>>, Vocabulary) {
    let mut parts = parts.into_iter();
    let Some((first_rows, mut vocabulary)) = parts.next() else { return (Vec::new(), Vocabulary::default()) };
    let mut all = vec![first_rows];
    for (mut rows, v) in parts {
        let absorb = |into: &mut Interner, from: &Interner| -> Vec<u32> {
            (0..from.len() as u32).map(|i| into.intern(from.name(i))).collect()
        };
        let types = absorb(&mut vocabulary.event_types, &v.event_types);
        let channels = absorb(&mut vocabulary.channels, &v.channels);
        let contents = absorb(&mut vocabulary.contents, &v.contents);
        let campaigns = absorb(&mut vocabulary.campaigns, &v.campaigns);
        let map = |table: &[u32], id: u32| if id == NONE { NONE } else { table[id as usize] };
        for e in &mut rows.items {
            e.event_type = map(&types, e.event_type);
            e.channel = map(&channels, e.channel);
            e.content = map(&contents, e.content);
            e.campaign = map(&campaigns, e.campaign);
        }
        all.push(rows);
    }
    (all, vocabulary)
}

// ---------------------------------------------------------------------------------------------
// Merging

/// One chunk's rows ready for grouping: owners, items, and the map from the chunk's customer
/// numbers to global ones (`None`: the chunk's numbers are the global ones).
type Part<T> = (Vec<u32>, Vec<T>, Option<Vec<u32>>);

fn merge(
    customers: Option<Rows<Option<Time>>>,
    orders: Vec<Rows<Order>>,
    events: Vec<Rows<PackedEvent>>,
) -> Vec<CustomerHistory> {
    // Global numbering: the first orders chunk's own, extended by every other chunk's ids.
    // `to_global[part]` maps a chunk's numbers to global ones (None for the first chunk).
    let mut orders = orders.into_iter();
    let first = orders.next().expect("the orders file gives at least one chunk");
    let mut global = first.index;
    let mut order_parts: Vec<Part<Order>> = vec![(first.owners, first.items, None)];
    for part in orders {
        let map = global.number_all(&part.index.ids);
        order_parts.push((part.owners, part.items, Some(map)));
    }
    let mut event_parts: Vec<Part<PackedEvent>> = Vec::with_capacity(events.len());
    for part in events {
        let map = global.number_all(&part.index.ids);
        event_parts.push((part.owners, part.items, Some(map)));
    }
    let customer_part: Option<Part<Option<Time>>> = customers.map(|part| {
        let map = global.number_all(&part.index.ids);
        (part.owners, part.items, Some(map))
    });
    let n = global.len();
    let mut ids = std::mem::take(&mut global.ids);
    drop(global);

    // Output position of every customer: sorted by id, comparing 16-byte prefixes as integers
    // and whole ids only on a tie.
    let prefix = |id: &str| {
        let mut p = [0u8; 16];
        let b = id.as_bytes();
        let len = b.len().min(16);
        p[..len].copy_from_slice(&b[..len]);
        u128::from_be_bytes(p)
    };
    let mut order: Vec<(u128, u32)> = ids.iter().enumerate().map(|(g, id)| (prefix(id), g as u32)).collect();
    order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| ids[a.1 as usize].cmp(&ids[b.1 as usize])));
    let mut position = vec![0u32; n];
    for (pos, &(_, g)) in order.iter().enumerate() {
        position[g as usize] = pos as u32;
    }
    let sorted_ids: Vec<Box<str>> = order.iter().map(|&(_, g)| std::mem::take(&mut ids[g as usize])).collect();
    drop((order, ids));

    // Each file's rows grouped by output position (file order within a customer).
    let ((order_starts, order_rows), (event_starts, event_rows)) = std::thread::scope(|s| {
        let position = &position;
        let events = s.spawn(move || group_rows(event_parts, position, n, PackedEvent::BLANK));
        let orders = group_rows(order_parts, position, n, Order { at: 0, amount_cents: 0 });
        (orders, events.join().expect("grouping events panicked"))
    });
    let mut given_created = vec![Time::MAX; n];
    if let Some((owners, items, map)) = customer_part {
        for (local, created) in owners.into_iter().zip(items) {
            if let Some(created) = created {
                let pos = position[map.as_ref().map_or(local, |m| m[local as usize]) as usize] as usize;
                given_created[pos] = given_created[pos].min(created);
            }
        }
    }
    drop(position);

    // Build the histories, two halves in parallel.
    let build = |range: Range<usize>, ids: Vec<Box<str>>| -> (Vec<CustomerHistory>, Time) {
        let mut latest = Time::MIN;
        let histories = range
            .zip(ids)
            .map(|(pos, id)| {
                let span = |starts: &[u32], p: usize| starts[p] as usize..starts[p + 1] as usize;
                let mut orders = order_rows[span(&order_starts, pos)].to_vec();
                let mut events: Vec<Event> = event_rows[span(&event_starts, pos)].iter().map(|e| e.unpack()).collect();
                orders.sort_by_key(|o| o.at);
                events.sort_by_key(|e| e.at);
                let first = orders.first().map(|o| o.at).into_iter().chain(events.first().map(|e| e.at)).min();
                let last = orders.last().map(|o| o.at).into_iter().chain(events.last().map(|e| e.at)).max();
                let given = (given_created[pos] != Time::MAX).then_some(given_created[pos]);
                latest = latest.max(last.unwrap_or(Time::MIN)).max(given.unwrap_or(Time::MIN));
                let created_at = match (given, first) {
                    (Some(g), Some(f)) => g.min(f),
                    (g, f) => g.or(f).unwrap_or(Time::MIN),
                };
                CustomerHistory { customer_id: id.into_string(), created_at, orders, events }
            })
            .collect();
        (histories, latest)
    };
    let mut first_ids = sorted_ids;
    let second_ids = first_ids.split_off(n / 2);
    let ((mut histories, latest_a), (second, latest_b)) = std::thread::scope(|s| {
        let build = &build;
        let second = s.spawn(move || build(n / 2..n, second_ids));
        (build(0..n / 2, first_ids), second.join().expect("building histories panicked"))
    });
    histories.extend(second);

    let latest = latest_a.max(latest_b);
    let fallback = if latest == Time::MIN { 0 } else { latest };
    for h in histories.iter_mut().filter(|h| h.created_at == Time::MIN) {
        h.created_at = fallback;
    }
    histories
}

/// Counting sort: `(starts, rows)` with the rows of output position p at
/// `rows[starts[p]..starts[p + 1]]`, in part order and file order within a part. The parts'
/// vectors are freed on the way.
fn group_rows<T: Copy>(
    parts: Vec<Part<T>>,
    position: &[u32],
    n: usize,
    blank: T,
) -> (Vec<u32>, Vec<T>) {
    let total: usize = parts.iter().map(|p| p.1.len()).sum();
    assert!(total < u32::MAX as usize, "more than 4 billion rows in one file");
    // Each row's output position, replacing its owner number in place.
    let mut parts: Vec<(Vec<u32>, Vec<T>)> = parts
        .into_iter()
        .map(|(mut owners, items, map)| {
            match map {
                Some(map) => owners.iter_mut().for_each(|o| *o = position[map[*o as usize] as usize]),
                None => owners.iter_mut().for_each(|o| *o = position[*o as usize]),
            }
            (owners, items)
        })
        .collect();
    let mut starts = vec![0u32; n + 1];
    for (positions, _) in &parts {
        for &p in positions {
            starts[p as usize + 1] += 1;
        }
    }
    for p in 0..n {
        starts[p + 1] += starts[p];
    }
    let mut next = starts.clone();
    let mut rows = vec![blank; total];
    for (positions, items) in parts.drain(..) {
        for (p, item) in positions.into_iter().zip(items) {
            let slot = &mut next[p as usize];
            rows[*slot as usize] = item;
            *slot += 1;
        }
    }
    (starts, rows)
}

// ---------------------------------------------------------------------------------------------
// Field parsing

/// `YYYY-MM-DD`, `YYYY-MM-DD[ T]HH:MM:SS[.fff]` (UTC), RFC 3339, or integer unix seconds.
pub fn parse_time(s: &str) -> Option<Time> {
    parse_time_bytes(s.trim().as_bytes())
}

fn parse_time_bytes(b: &[u8]) -> Option<Time> {
    if b.is_empty() {
        return None;
    }
    let unsigned = if b[0] == b'-' { &b[1..] } else { b };
    if !unsigned.is_empty() && unsigned.len() <= 18 && unsigned.iter().all(u8::is_ascii_digit) {
        let v = unsigned.iter().fold(0i64, |acc, &c| acc * 10 + i64::from(c - b'0'));
        return Some(if b[0] == b'-' { -v } else { v });
    }
    // Fast paths for the plain forms; anything else goes to chrono's parsers.
    let date = |b: &[u8]| -> Option<NaiveDate> {
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        NaiveDate::from_ymd_opt(digits(&b[0..4])? as i32, digits(&b[5..7])?, digits(&b[8..10])?)
    };
    if b.len() == 10 {
        return Some(date(b)?.and_hms_opt(0, 0, 0)?.and_utc().timestamp());
    }
    if b.len() == 19 && (b[10] == b' ' || b[10] == b'T') && b[13] == b':' && b[16] == b':' {
        if let Some(d) = date(b) {
            let t = d.and_hms_opt(digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?)?;
            return Some(t.and_utc().timestamp());
        }
    }
    let s = std::str::from_utf8(b).ok()?;
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Some(t.and_utc().timestamp());
        }
    }
    None
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

/// A decimal amount in currency units (`12.5`, `-3`, `0.125`) as whole cents, rounded half away
/// from zero. Exponent forms (`1e3`) are accepted too; `NaN`, infinities and overflow are not.
pub fn parse_cents(s: &str) -> Option<i64> {
    parse_cents_bytes(s.trim().as_bytes())
}

fn parse_cents_bytes(b: &[u8]) -> Option<i64> {
    let (negative, body) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    let (int, frac) = match body.iter().position(|&c| c == b'.') {
        Some(p) => (&body[..p], &body[p + 1..]),
        None => (body, &body[..0]),
    };
    let plain = (!int.is_empty() || !frac.is_empty())
        && int.len() <= 15
        && int.iter().all(u8::is_ascii_digit)
        && frac.iter().all(u8::is_ascii_digit);
    if plain {
        let mut cents = int.iter().fold(0i64, |acc, &c| acc * 10 + i64::from(c - b'0')) * 100;
        let f = |i: usize| frac.get(i).map_or(0, |&c| i64::from(c - b'0'));
        cents += f(0) * 10 + f(1);
        if f(2) >= 5 {
            cents += 1;
        }
        return Some(if negative { -cents } else { cents });
    }
    let v: f64 = std::str::from_utf8(b).ok()?.parse().ok()?;
    let cents = (v * 100.0).round();
    (cents.is_finite() && cents.abs() < 9.0e15).then_some(cents as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eyes::history::DAY;
    use std::io::Write;

    fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.path().join(name);
        std::fs::File::create(&p).unwrap().write_all(text.as_bytes()).unwrap();
        p
    }

    const D2026_01_01: Time = 1_767_225_600;

    fn names(i: &Interner) -> Vec<String> {
        (0..i.len() as u32).map(|k| i.name(k).to_string()).collect()
    }

    fn vocabulary_names(v: &Vocabulary) -> Vec<Vec<String>> {
        vec![names(&v.event_types), names(&v.channels), names(&v.contents), names(&v.campaigns)]
    }

    #[test]
    fn time_forms() {
        assert_eq!(parse_time("2026-01-01"), Some(D2026_01_01));
        assert_eq!(parse_time("2026-01-01 01:02:03"), Some(D2026_01_01 + 3723));
        assert_eq!(parse_time("2026-01-01T01:02:03"), Some(D2026_01_01 + 3723));
        assert_eq!(parse_time("2026-01-01T01:02:03Z"), Some(D2026_01_01 + 3723));
        assert_eq!(parse_time("2026-01-01T03:02:03+02:00"), Some(D2026_01_01 + 3723));
        assert_eq!(parse_time("2026-01-01T01:02:03.250Z"), Some(D2026_01_01 + 3723));
        assert_eq!(parse_time("2026-01-01 01:02:03.5"), Some(D2026_01_01 + 3723));
        assert_eq!(parse_time("1767225600"), Some(D2026_01_01));
        assert_eq!(parse_time("-86400"), Some(-DAY));
        assert_eq!(parse_time("2026-02-30"), None);
        assert_eq!(parse_time("01/02/2026"), None);
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(parse_time(""), None);
    }

    #[test]
    fn amounts_become_cents() {
        assert_eq!(parse_cents("12.50"), Some(1250));
        assert_eq!(parse_cents("12.5"), Some(1250));
        assert_eq!(parse_cents("12"), Some(1200));
        assert_eq!(parse_cents(".99"), Some(99));
        assert_eq!(parse_cents("+1.10"), Some(110));
        assert_eq!(parse_cents("-3.005"), Some(-301));
        assert_eq!(parse_cents("0.004"), Some(0));
        assert_eq!(parse_cents("1e3"), Some(100_000));
        assert_eq!(parse_cents("abc"), None);
        assert_eq!(parse_cents("."), None);
        assert_eq!(parse_cents("NaN"), None);
        assert_eq!(parse_cents("inf"), None);
        assert_eq!(parse_cents("1,000"), None);
    }

    #[test]
    fn loads_three_files_with_synonyms_and_sorts_everything() {
        let dir = tempfile::tempdir().unwrap();
        let customers = file(&dir, "customers.csv", "ID,Signup Date\nb,2025-12-01\nzz,2025-11-01\na,2026-01-05\n");
        let orders = file(
            &dir,
            "orders.csv",
            "Customer,Order_Date,Total,sku\n\
             b,2026-01-03 10:00:00,5,x\n\
             a,2026-01-02,10.25,y\n\
             b,2026-01-01T00:00:00Z,7.5,z\n\
             c,1767225600,1,w\n",
        );
        let events = file(
            &dir,
            "events.csv",
            "customer_id,type,time,channel,spend,content_id,campaign_id\n\
             a,page_view,2026-01-01,web,,p1,\n\
             d,ad_click,2026-01-04,paid_social,0.30,,cmp1\n\
             a,email_open,1767225000,email,,,cmp1\n",
        );
        let (h, vocab) = load(Some(&customers), &orders, Some(&events)).unwrap();
        let ids: Vec<&str> = h.iter().map(|c| c.customer_id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "d", "zz"]);
        assert_eq!(names(&vocab.event_types), ["page_view", "ad_click", "email_open"]);

        let a = &h[0];
        // Sign-up 2026-01-05 is after the first event (2025-12-31 23:50), so that wins.
        assert_eq!(a.created_at, 1_767_225_000);
        assert_eq!(a.orders, vec![Order { at: D2026_01_01 + DAY, amount_cents: 1025 }]);
        assert_eq!(a.events.len(), 2);
        assert_eq!(vocab.event_types.name(a.events[0].event_type), "email_open");
        assert_eq!(a.events[0].content, None);
        assert_eq!(a.events[0].spend_cents, None);
        assert_eq!(vocab.campaigns.name(a.events[0].campaign.unwrap()), "cmp1");
        assert_eq!(vocab.contents.name(a.events[1].content.unwrap()), "p1");
        assert_eq!(vocab.channels.name(a.events[1].channel.unwrap()), "web");

        let b = &h[1];
        assert_eq!(b.created_at, D2026_01_01 - 31 * DAY);
        assert_eq!(b.orders.iter().map(|o| o.amount_cents).collect::<Vec<_>>(), [750, 500]);

        // No customers.csv row: created at the first activity.
        assert_eq!(h[2].created_at, D2026_01_01);
        let d = &h[3];
        assert_eq!(d.created_at, D2026_01_01 + 3 * DAY);
        assert_eq!(d.events[0].spend_cents, Some(30));
        assert!(d.orders.is_empty());

        // A customers.csv row with no history is kept.
        assert_eq!(h[4].created_at, D2026_01_01 - 61 * DAY);
        assert!(h[4].orders.is_empty() && h[4].events.is_empty());
    }

    #[test]
    fn orders_alone_are_enough() {
        let dir = tempfile::tempdir().unwrap();
        let orders =
            file(&dir, "orders.csv", "\u{feff}customer_id,created_at,revenue\n x , 2026-01-01 , 3 \n\n   \nx,2026-01-02,4\n");
        let (h, vocab) = load(None, &orders, None).unwrap();
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].customer_id, "x");
        assert_eq!(h[0].orders.len(), 2);
        assert_eq!(h[0].created_at, D2026_01_01);
        assert!(vocab.event_types.is_empty());
    }

    #[test]
    fn a_customer_without_any_date_starts_at_the_latest_time_seen() {
        let dir = tempfile::tempdir().unwrap();
        let customers = file(&dir, "customers.csv", "customer_id\nghost\n");
        let orders = file(&dir, "orders.csv", "customer_id,date,amount\na,2026-01-01,1\na,2026-01-03,1\n");
        let (h, _) = load(Some(&customers), &orders, None).unwrap();
        assert_eq!(h[1].customer_id, "ghost");
        assert_eq!(h[1].created_at, D2026_01_01 + 2 * DAY);
    }

    #[test]
    fn a_bad_amount_names_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let orders = file(
            &dir,
            "orders.csv",
            "customer_id,date,amount\na,2026-01-01,1\n\"b\nc\",2026-01-01,2\nd,2026-01-01,abc\n",
        );
        let err = load(None, &orders, None).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, LoadError::Field { line: 5, .. }), "{err:?}");
        assert!(msg.ends_with("orders.csv line 5, column amount: not a number: 'abc'"), "{msg}");
    }

    #[test]
    fn a_bad_date_and_a_missing_value_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let orders = file(&dir, "orders.csv", "customer_id,Date,amount\na,31/12/2025,1\n");
        let msg = load(None, &orders, None).unwrap_err().to_string();
        assert!(msg.contains("orders.csv line 2, column Date: not a date: '31/12/2025'"), "{msg}");

        let orders = file(&dir, "orders2.csv", "customer_id,date,amount\n,2026-01-01,1\n");
        let msg = load(None, &orders, None).unwrap_err().to_string();
        assert!(msg.contains("orders2.csv line 2, column customer_id: missing value"), "{msg}");

        let orders = file(&dir, "orders3.csv", "customer_id,date,amount\na,2026-01-01\n");
        let msg = load(None, &orders, None).unwrap_err().to_string();
        assert!(msg.contains("orders3.csv line 2, column amount: missing value"), "{msg}");

        let ok = file(&dir, "ok.csv", "customer_id,date,amount\na,2026-01-01,1\n");
        let events = file(&dir, "events.csv", "customer_id,event_type,occurred_at,spend\na,view,2026-01-01,\na,click,2026-01-01,x\n");
        let msg = load(None, &ok, Some(&events)).unwrap_err().to_string();
        assert!(msg.contains("events.csv line 3, column spend: not a number: 'x'"), "{msg}");
    }

    #[test]
    fn a_missing_required_column_lists_the_accepted_names() {
        let dir = tempfile::tempdir().unwrap();
        let orders = file(&dir, "orders.csv", "customer_id,date,price\na,2026-01-01,1\n");
        let err = load(None, &orders, None).unwrap_err();
        assert!(matches!(err, LoadError::MissingColumn { column: "amount", .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("orders.csv: missing column amount"), "{msg}");
        assert!(msg.contains("amount, total, value, revenue"), "{msg}");
        assert!(msg.contains("customer_id, date, price"), "{msg}");

        let ok = file(&dir, "ok.csv", "customer_id,date,amount\na,2026-01-01,1\n");
        let events = file(&dir, "events.csv", "customer_id,occurred_at,channel\na,2026-01-01,web\n");
        let msg = load(None, &ok, Some(&events)).unwrap_err().to_string();
        assert!(msg.contains("events.csv: missing column event_type"), "{msg}");

        let customers = file(&dir, "customers.csv", "name,created_at\nx,2026-01-01\n");
        let msg = load(Some(&customers), &ok, None).unwrap_err().to_string();
        assert!(msg.contains("customers.csv: missing column customer_id"), "{msg}");
    }

    #[test]
    fn a_missing_or_empty_file_is_handled() {
        let dir = tempfile::tempdir().unwrap();
        let orders = file(&dir, "orders.csv", "customer_id,date,amount\n");
        let missing = dir.path().join("nope.csv");
        let msg = load(Some(&missing), &orders, None).unwrap_err().to_string();
        assert!(msg.contains("nope.csv: cannot read"), "{msg}");
        let (h, _) = load(None, &orders, None).unwrap();
        assert!(h.is_empty());
        let empty = file(&dir, "empty.csv", "");
        let msg = load(None, &empty, None).unwrap_err().to_string();
        assert!(msg.contains("missing column customer_id") && msg.contains("(nothing)"), "{msg}");
    }

    /// A deterministic pseudo-random stream for the larger fixtures.
    fn lcg(state: &mut u64) -> u64 {
        *state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        *state >> 33
    }

    /// Orders and events for 3,000 customers in time order, with ids of every kind: short,
    /// 40 bytes exactly, longer than 40 bytes and non-ASCII.
    fn big_fixture(dir: &tempfile::TempDir, quoted_notes: bool) -> (std::path::PathBuf, std::path::PathBuf) {
        let id = |k: u64| match k % 4 {
            0 => format!("c{k}"),
            1 => format!("{k:0>40}"),
            2 => format!("customer-with-a-rather-long-identifier-{k:0>12}"),
            _ => format!("kundé-{k}"),
        };
        let mut s = 1u64;
        let mut orders = String::from("customer_id,date,amount,note\n");
        let mut events = String::from("customer_id,event_type,occurred_at,channel,spend,content_id,campaign_id\n");
        for row in 0..12_000u64 {
            let c = if row < 3000 { row } else { lcg(&mut s) % 3000 };
            let note = if quoted_notes && row % 7 == 0 { "\"two\nlines\"" } else { "x" };
            orders.push_str(&format!("{},{},{}.{:02},{note}\n", id(c), D2026_01_01 + row as i64 * 60, lcg(&mut s) % 300, row % 100));
            let c = lcg(&mut s) % 3000;
            let kind = ["view", "click", "open"][(lcg(&mut s) % 3) as usize];
            let channel = ["web", "", "email"][(lcg(&mut s) % 3) as usize];
            let spend = if kind == "click" { "0.25" } else { "" };
            events.push_str(&format!(
                "{},{kind},{},{channel},{spend},p{},cmp{}\n",
                id(c),
                D2026_01_01 + (row as i64 / 3) * 60,
                lcg(&mut s) % 50,
                lcg(&mut s) % 9
            ));
        }
        (file(dir, "orders.csv", &orders), file(dir, "events.csv", &events))
    }

    #[test]
    fn chunked_parsing_gives_exactly_the_single_chunk_result() {
        let dir = tempfile::tempdir().unwrap();
        let (orders, events) = big_fixture(&dir, false);
        let one = Split { parts: 1, min_chunk_bytes: 1 };
        let many = Split { parts: 7, min_chunk_bytes: 1 };
        let (h1, v1) = load_with(None, &orders, Some(&events), &one).unwrap();
        let (h7, v7) = load_with(None, &orders, Some(&events), &many).unwrap();
        assert_eq!(h1.len(), 3000);
        assert_eq!(h1.iter().map(|h| h.orders.len()).sum::<usize>(), 12_000);
        assert_eq!(h1.iter().map(|h| h.events.len()).sum::<usize>(), 12_000);
        assert!(h1.windows(2).all(|w| w[0].customer_id < w[1].customer_id));
        assert!(h1.iter().all(|h| h.orders.windows(2).all(|w| w[0].at <= w[1].at)));
        assert!(h1.iter().any(|h| h.customer_id.starts_with("kundé-")));
        assert_eq!(h1, h7);
        assert_eq!(vocabulary_names(&v1), vocabulary_names(&v7));
        assert_eq!(names(&v1.channels), ["web", "email"]);
    }

    #[test]
    fn a_cut_inside_a_quoted_multi_line_field_falls_back_to_one_chunk() {
        let dir = tempfile::tempdir().unwrap();
        let (orders, events) = big_fixture(&dir, true);
        // With this many cuts, some land just after a newline inside quotes.
        let many = Split { parts: 64, min_chunk_bytes: 1 };
        let one = Split { parts: 1, min_chunk_bytes: 1 };
        let (h1, _) = load_with(None, &orders, Some(&events), &one).unwrap();
        let (hn, _) = load_with(None, &orders, Some(&events), &many).unwrap();
        assert_eq!(h1.iter().map(|h| h.orders.len()).sum::<usize>(), 12_000);
        assert_eq!(h1, hn);
    }

    #[test]
    fn errors_in_later_chunks_carry_file_line_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("customer_id,date,amount\n");
        for row in 0..5000 {
            let amount = if row == 3999 { "12,5".to_string() } else { format!("{row}.5") };
            text.push_str(&format!("c{},2026-01-01,\"{amount}\"\n", row % 97));
        }
        let orders = file(&dir, "orders.csv", &text);
        for parts in [1, 3, 8] {
            let err = load_with(None, &orders, None, &Split { parts, min_chunk_bytes: 1 }).unwrap_err();
            assert!(err.to_string().ends_with("orders.csv line 4001, column amount: not a number: '12,5'"), "{parts}: {err}");
        }
    }

    #[test]
    fn ids_with_nul_bytes_stay_distinct() {
        let dir = tempfile::tempdir().unwrap();
        let orders = file(&dir, "orders.csv", "customer_id,date,amount\na,2026-01-01,1\n\"a\0\",2026-01-01,2\na,2026-01-02,3\n");
        let (h, _) = load(None, &orders, None).unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!((h[0].customer_id.as_str(), h[0].orders.len()), ("a", 2));
        assert_eq!((h[1].customer_id.as_str(), h[1].orders.len()), ("a\0", 1));
    }
}
