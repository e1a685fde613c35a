//! Loads the sample shop (see `demo`) into an organization, through the same writer as imports.

use super::customer_data::{self, WriteCounts};
use super::Actor;
use crate::db::time;
use crate::demo;
use crate::{ApiError, Core};

pub const MAX_CUSTOMERS: usize = 100_000;

/// Writes the sample shop into `organization_id`, 5,000 records per transaction.
pub async fn load_into(core: &Core, organization_id: &str, customers: usize, seed: u64) -> Result<WriteCounts, ApiError> {
    if customers == 0 || customers > MAX_CUSTOMERS {
        return Err(ApiError::validation("customers", format!("customers must be between 1 and {MAX_CUSTOMERS}")));
    }
    let data = demo::generate(customers, seed, time::now());
    let mut counts = WriteCounts::default();
    for records in [&data.customers, &data.orders, &data.events, &data.performance] {
        for chunk in records.chunks(5_000) {
            let mut tx = core.db.pool.begin().await?;
            counts += customer_data::write(&mut tx, organization_id, chunk, time::now()).await?;
            tx.commit().await?;
        }
    }
    core.data_changed(organization_id);
    super::eyes::refresh_after_new_data(core, organization_id).await;
    Ok(counts)
}

/// The onboarding wizard's "use sample data".
pub async fn load(core: &Core, actor: &Actor, customers: usize, seed: u64) -> Result<WriteCounts, ApiError> {
    super::imports::require_data_editor(actor)?;
    load_into(core, &actor.organization_id, customers, seed).await
}
