//! Server-only helpers shared by every server function and the page shell.

pub mod csp;
pub mod session;
