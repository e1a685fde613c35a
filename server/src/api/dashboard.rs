//! The dashboard overview, and a server-sent event stream that says when it is stale.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use futures_util::stream::Stream;
use omnify::model::DashboardOverview;
use omnify::services::dashboard;

use super::ApiResult;
use crate::extract::CurrentActor;
use crate::state::AppState;

pub async fn overview(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<Json<DashboardOverview>> {
    Ok(Json(dashboard::overview(&state.core, &actor).await?))
}

/// `event: data_changed` whenever an import, sync, webhook or erasure of the caller's
/// organization lands; the dashboard refetches on it. Ends when the server shuts down (the
/// browser's EventSource reconnects to whichever server comes back).
pub async fn stream(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut changes = state.core.data_changes.subscribe();
    let org = actor.organization_id;
    let shutdown = state.shutdown.clone();
    let events = async_stream::stream! {
        loop {
            let received = tokio::select! {
                _ = shutdown.cancelled() => break,
                received = changes.recv() => received,
            };
            match received {
                Ok(changed) if changed == org => yield Ok(Event::default().event("data_changed").data(changed)),
                Ok(_) => {}
                // Missed some: say "changed" once, which is always safe.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => yield Ok(Event::default().event("data_changed").data(org.clone())),
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    };
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
