use axum::http::{HeaderValue, Method};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::cors::{AllowHeaders, CorsLayer};

use crate::api::{self, health};
use crate::middleware::{client_meta, rate_limit, security_headers, session_refresh, telemetry};
use crate::state::AppState;

/// The whole application: REST API, Leptos pages and server functions, static files.
pub fn build(state: AppState) -> Router {
    let core = state.core.clone();
    let options = state.leptos_options.clone();
    let routes = generate_route_list(app::App);

    let mut api = api::router();
    let origins: Vec<HeaderValue> =
        state.config.cors_origin_list().iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    if !origins.is_empty() {
        api = api.layer(
            CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
                .allow_headers(AllowHeaders::mirror_request())
                .allow_credentials(true),
        );
    }

    let [csp, nosniff, frames, referrer] = security_headers::layers();
    Router::new()
        .route("/health", get(health::health))
        .route("/metrics", get(health::metrics))
        .nest("/api", api)
        .leptos_routes_with_context(&state, routes, move || provide_context(core.clone()), move || app::shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(app::shell))
        .layer(from_fn_with_state(state.clone(), session_refresh::session_refresh))
        .layer(from_fn_with_state(state.clone(), rate_limit::rate_limit))
        .layer(csp)
        .layer(nosniff)
        .layer(frames)
        .layer(referrer)
        .layer(from_fn(client_meta::client_meta))
        .layer(from_fn_with_state(state.clone(), telemetry::telemetry))
        .with_state(state)
}
