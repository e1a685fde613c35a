//! The OmniFy HTTP server: configuration, the router (REST under /api plus the Leptos app),
//! middleware and startup. `main.rs` adds the command line.

pub mod api;
pub mod config;
pub mod error;
pub mod extract;
pub mod eyes_command;
pub mod metrics;
pub mod middleware;
pub mod rate_limit;
pub mod router;
pub mod startup;
pub mod state;
