//! OmniFy's domain core. `model` is wasm-safe and shared with the browser; everything that
//! touches the database, passwords or tokens sits behind the `server` feature.

pub mod brain;
pub mod model;

#[cfg(feature = "server")]
pub mod ai;

#[cfg(feature = "server")]
pub mod auth;
#[cfg(feature = "server")]
pub mod core;
#[cfg(feature = "server")]
pub mod db;
#[cfg(feature = "server")]
pub mod demo;
#[cfg(feature = "server")]
pub mod eyes;
#[cfg(feature = "server")]
pub mod ingest;
#[cfg(feature = "server")]
pub mod integrations;
#[cfg(feature = "server")]
pub mod services;

#[cfg(feature = "server")]
pub use crate::core::{Core, CoreSettings};
pub use model::error::{ApiError, ErrorKind};

/// Result type used by every service function.
pub type Result<T, E = ApiError> = std::result::Result<T, E>;
