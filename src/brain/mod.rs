//! Brain: pure marketing engines (no I/O), wasm-safe so the browser can score copy live.
//!
//! - `creative`: AIDA analysis of ad copy and brand compliance.
//! - `repurpose` (VOICE): one piece of content → variants per platform.
//! - `fatigue` (ORACLE): creative-fatigue stage and days until fatigue.
//! - `budget` (CURIOSITY): budget allocation over diminishing-returns response curves.
//! - `performance` (MEMORY): what worked — top creatives, campaigns, trends.
//! - `market`: benchmarks from the organization's own performance data.

pub mod channels;
pub mod daily;
pub mod creative;
pub mod repurpose;
pub mod fatigue;
pub mod budget;
pub mod performance;
pub mod market;
pub mod text;
