//! Sign-up, log-in, log-out and accepting an invitation. The server rate-limits
//! `/fn/register`, `/fn/login` and `/fn/accept_invitation` as auth endpoints.

use leptos::prelude::*;

use crate::error::AppError;

/// Creates a user and their organization, signs them in and goes to the dashboard.
#[server(prefix = "/fn", endpoint = "register")]
pub async fn register(
    email: String,
    password: String,
    full_name: String,
    organization_name: String,
) -> Result<(), AppError> {
    use crate::server::session::{run, Ctx};
    use omnify::model::RegisterRequest;
    run(async move {
        let ctx = Ctx::load()?;
        let req = RegisterRequest { email, password, full_name, organization_name };
        let session = omnify::services::accounts::register(&ctx.core, &ctx.meta, req).await?;
        ctx.set_session_cookies(&session);
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

/// Signs in and goes back to `next` (a same-site path) or the dashboard.
#[server(prefix = "/fn", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::server::session::{run, safe_next, Ctx};
    use omnify::model::LoginRequest;
    run(async move {
        let ctx = Ctx::load()?;
        let session =
            omnify::services::accounts::login(&ctx.core, &ctx.meta, LoginRequest { email, password }).await?;
        ctx.set_session_cookies(&session);
        leptos_axum::redirect(&safe_next(next));
        Ok(())
    })
    .await
}

/// Revokes the refresh token, clears both cookies and goes to the login page, which confirms it.
#[server(prefix = "/fn", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::session::{refresh_cookie, run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.maybe_actor().await;
        let refresh = refresh_cookie();
        let result =
            omnify::services::accounts::logout(&ctx.core, &ctx.meta, actor.as_ref(), refresh.as_deref()).await;
        // Whatever happened server-side, this browser is signed out.
        ctx.clear_session_cookies();
        leptos_axum::redirect("/login?signed_out=1");
        result
    })
    .await
}

/// Joins the inviting organization with a new account, signs in and goes to the dashboard.
#[server(prefix = "/fn", endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String, full_name: String, password: String) -> Result<(), AppError> {
    use crate::server::session::{run, Ctx};
    use omnify::model::AcceptInvitationRequest;
    run(async move {
        let ctx = Ctx::load()?;
        let req = AcceptInvitationRequest { token, password, full_name };
        let session = omnify::services::invitations::accept(&ctx.core, &ctx.meta, req).await?;
        ctx.set_session_cookies(&session);
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}
