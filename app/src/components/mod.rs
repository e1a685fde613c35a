//! Reusable UI pieces.

pub mod errors;
pub mod form;
pub mod shell;
pub mod ui;
