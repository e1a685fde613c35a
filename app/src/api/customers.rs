//! Customers: the searchable list, one customer's page, and erasure.

use leptos::prelude::*;
use omnify::model::{CustomerDetail, CustomerPage};

use crate::error::AppError;

/// Customers on a page of the list. `page` counts from 1.
pub const PAGE_SIZE: i64 = 25;

#[server(prefix = "/fn", endpoint = "list_customers")]
pub async fn list_customers(q: String, page: i64) -> Result<CustomerPage, AppError> {
    use crate::server::session::{run, Ctx};
    use omnify::model::CustomerQuery;
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        let query = CustomerQuery { q: Some(q), limit: Some(PAGE_SIZE), offset: Some((page.max(1) - 1) * PAGE_SIZE) };
        omnify::services::customers::list(&ctx.core, &actor, query).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "get_customer")]
pub async fn get_customer(customer_id: String) -> Result<CustomerDetail, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::customers::get(&ctx.core, &actor, &customer_id).await
    })
    .await
}

/// Erases a customer for good. `confirm` must be the word ERASE, typed by the user.
#[server(prefix = "/fn", endpoint = "erase_customer")]
pub async fn erase_customer(customer_id: String, confirm: String) -> Result<(), AppError> {
    use crate::server::session::{run, Ctx};
    use omnify::ApiError;
    run(async move {
        if confirm.trim() != "ERASE" {
            return Err(ApiError::validation("confirm", "Type ERASE to confirm; erasure cannot be undone"));
        }
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::customers::erase(&ctx.core, &ctx.meta, &actor, &customer_id).await?;
        leptos_axum::redirect("/customers?erased=1");
        Ok(())
    })
    .await
}
