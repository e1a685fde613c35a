//! Types shared by the server, the services and the browser (serde, wasm-safe).

pub mod account;
pub mod ai;
pub mod audit;
pub mod brain;
pub mod campaigns;
pub mod content;
pub mod customer_data;
pub mod dashboard;
pub mod error;
pub mod eyes;
pub mod onboarding;
pub mod organization;
pub mod platforms;
pub mod role;

pub use account::*;
pub use ai::*;
pub use audit::*;
pub use brain::*;
pub use campaigns::*;
pub use content::*;
pub use customer_data::*;
pub use dashboard::*;
pub use error::{ApiError, ErrorKind};
pub use eyes::*;
pub use onboarding::*;
pub use organization::*;
pub use platforms::*;
pub use role::Role;
