//! The ingest engine: turns CSV, NDJSON, webhook and platform payloads into typed, validated
//! records. Pure computation over readers; writing the records is the `customer_data` service's.

pub mod preview;
pub mod reader;
pub mod records;
pub mod values;

pub use reader::{read, Batch, ReadPlan};
pub use records::{
    ConsentRecord, CustomerRecord, CustomerRef, EventRecord, OrderRecord, PerformanceRecord, RawRow, Record,
    IMPORT_PLATFORM,
};
