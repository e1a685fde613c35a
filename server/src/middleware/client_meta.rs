//! Attaches where the request came from (`RequestMeta`) for the audit log and rate limits.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use omnify::services::RequestMeta;

pub async fn client_meta(mut req: Request, next: Next) -> Response {
    let ip = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip().to_string());
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    req.extensions_mut().insert(RequestMeta { ip, user_agent });
    next.run(req).await
}
