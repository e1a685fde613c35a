//! The use cases. Every function takes the caller (`Actor`) where there is one and checks role
//! and organization before touching data; business rules live here, SQL in `db`.

pub mod accounts;
pub mod ai;
pub mod audit;
pub mod brain;
pub mod campaigns;
pub mod content;
pub mod customer_data;
pub mod customers;
pub mod dashboard;
pub mod eyes;
pub mod imports;
pub mod invitations;
pub mod jobs;
pub mod members;
pub mod onboarding;
pub mod organizations;
pub mod plans;
pub mod sample_data;
pub mod platforms;
pub mod validate;
pub mod webhooks;

use crate::model::Role;
use crate::ApiError;

/// The authenticated caller, loaded fresh from the database on every request so that a role
/// change or removal takes effect at once.
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    pub user_id: String,
    pub organization_id: String,
    pub role: Role,
    pub email: String,
}

impl Actor {
    /// Viewers read; every other role changes data.
    pub fn require_editor(&self, what: &str) -> Result<(), ApiError> {
        if self.role.can_edit_data() {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!("Viewers cannot {what}")))
        }
    }

    pub fn require_admin(&self, what: &str) -> Result<(), ApiError> {
        if self.role.can_administer() {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!("Only owners and admins can {what}")))
        }
    }
}

/// The id the HTTP layer gave a request (a request extension), so errors raised outside the REST
/// handlers, in server functions, carry it too.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestId(pub String);

impl RequestId {
    /// Fills in an error's request id and time, as every error body carries them.
    pub fn stamp(&self, err: &mut ApiError) {
        err.request_id = Some(self.0.clone());
        err.timestamp = Some(crate::db::time::rfc3339(crate::db::time::now()));
    }
}

/// Where a request came from, for the audit log.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestMeta {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Time-ordered ids keep "newest first" listings stable within one second.
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
