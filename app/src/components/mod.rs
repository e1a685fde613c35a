//! Reusable UI pieces.

pub mod chart;
pub mod errors;
pub mod form;
pub mod shell;
pub mod ui;
