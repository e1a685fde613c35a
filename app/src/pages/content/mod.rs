//! Content: the calendar (month and week, as plain links) with a generation form, and the
//! editor (`editor`) with the live AIDA score.

mod calendar;
mod editor;

pub use calendar::ContentPage;
pub use editor::ContentEditorPage;
