//! Server functions: thin. Each one identifies the caller, calls one service function and
//! shapes the response. All are POST (the default) under `/fn/<endpoint>`.

pub mod account;
pub mod ai;
pub mod audit;
pub mod auth;
pub mod brain;
pub mod campaigns;
pub mod content;
pub mod customers;
pub mod dashboard;
pub mod eyes;
pub mod imports;
pub mod invitations;
pub mod members;
pub mod onboarding;
pub mod organization;
pub mod platforms;
pub mod webhooks;
