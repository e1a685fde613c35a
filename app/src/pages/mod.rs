//! One module per page (route).

pub mod auth;
pub mod brain;
pub mod campaigns;
pub mod content;
pub mod customers;
pub mod dashboard;
pub mod eyes;
pub mod imports;
pub mod integrations;
pub mod not_built;
pub mod overview;
pub mod not_found;
pub mod onboarding;
pub mod settings;
