//! EYES: customer segments, churn risk and lifetime value, computed from each customer's
//! history as of a cutoff. Pure computation — no I/O besides `files` (the command line's CSV
//! input); the service layer reads histories from the database and stores the results.

pub mod analysis;
pub mod churn;
pub mod clv;
pub mod features;
pub mod files;
pub mod history;
pub mod patterns;
pub mod segment;
