//! Client-side error handling in one place:
//! - unauthenticated → redirect to `/login?next=<current path>` (also during SSR: a 302);
//! - rate_limited → a clear "slow down" message;
//! - 5xx (internal_error, service_unavailable) → a fallback panel with a Retry button;
//! - anything else → the server's message.

use leptos::prelude::*;
#[cfg(not(feature = "ssr"))]
use leptos_router::components::Redirect;
use leptos_router::{hooks::use_location, location::Url};
use omnify::ErrorKind;

use crate::error::AppError;

pub const SLOW_DOWN: &str = "You're going too fast — please wait a moment and try again";

/// The login URL that comes back to the current page after signing in.
pub fn login_path_for_current() -> String {
    let location = use_location();
    let path = location.pathname.get_untracked();
    let search = location.search.get_untracked();
    let current = if search.is_empty() { path } else { format!("{path}?{search}") };
    if current == "/" || current.is_empty() {
        "/login".to_string()
    } else {
        format!("/login?next={}", Url::escape(&current))
    }
}

/// Sends a signed-out visitor to the login page, coming back here afterwards. On the server
/// this answers the page request with a 302 (whatever its Accept header); in the browser it
/// navigates client-side.
#[component]
pub fn SignInRedirect() -> impl IntoView {
    let path = login_path_for_current();
    #[cfg(feature = "ssr")]
    {
        if let (Some(res), Ok(location)) =
            (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&path))
        {
            res.set_status(http::StatusCode::FOUND);
            res.insert_header(http::header::LOCATION, location);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let redirect = view! { <Redirect path=path.clone() /> };
    #[cfg(feature = "ssr")]
    let redirect = ();
    view! {
        <p class="text-sm text-slate-700" data-testid="signed-out">
            "Your session has ended. "
            <a href=path class="link">
                "Sign in again"
            </a>
        </p>
        {redirect}
    }
}

/// What to tell the user about an error.
pub fn user_message(error: &AppError) -> String {
    match error.kind() {
        ErrorKind::RateLimited => match error.0.retry_after_seconds() {
            Some(secs) if secs > 0 => format!("{SLOW_DOWN} (about {secs} s)."),
            _ => format!("{SLOW_DOWN}."),
        },
        ErrorKind::InternalError => {
            "Something went wrong on our side. Please try again in a moment.".to_string()
        }
        ErrorKind::ServiceUnavailable => {
            if error.message().is_empty() {
                "The service is temporarily unavailable. Please try again shortly.".to_string()
            } else {
                error.message().to_string()
            }
        }
        _ => error.message().to_string(),
    }
}

fn is_server_failure(kind: ErrorKind) -> bool {
    matches!(kind, ErrorKind::InternalError | ErrorKind::ServiceUnavailable)
}

/// Shows a failed data load. `on_retry` refetches (Retry button).
#[component]
pub fn ErrorView(error: AppError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let kind = error.kind();
    if kind == ErrorKind::Unauthenticated {
        return view! { <SignInRedirect /> }.into_any();
    }
    let message = user_message(&error);
    let (title, testid) = match kind {
        ErrorKind::RateLimited => ("Slow down", "error-rate-limited"),
        k if is_server_failure(k) => ("We couldn't load this", "error-fallback"),
        ErrorKind::Forbidden => ("Not allowed", "error-forbidden"),
        ErrorKind::NotFound => ("Not found", "error-not-found"),
        _ => ("Something is not right", "error-message"),
    };
    let retryable = matches!(kind, ErrorKind::RateLimited) || is_server_failure(kind);
    let tone = if kind == ErrorKind::RateLimited {
        "border-amber-200 bg-amber-50 text-amber-900"
    } else if is_server_failure(kind) {
        "border-red-200 bg-red-50 text-red-900"
    } else {
        "border-slate-200 bg-white text-slate-800"
    };
    view! {
        <section
            role="alert"
            data-testid=testid
            class=format!("rounded-lg border p-5 {tone}")
        >
            <h2 class="text-sm font-semibold">{title}</h2>
            <p class="mt-1 text-sm">{message}</p>
            {retryable
                .then(|| {
                    view! {
                        <button
                            type="button"
                            data-testid="retry"
                            class="mt-3 btn-secondary"
                            on:click=move |_| on_retry.run(())
                        >
                            "Retry"
                        </button>
                    }
                })}
        </section>
    }
    .into_any()
}

/// An action's error, shown above a form. Errors tied to one of `fields` are shown next to
/// that field instead (see `TextField`). Outside of sign-in forms (`auth_form = false`) an
/// unauthenticated error means the session ended: go to the login page.
#[component]
pub fn FormAlert(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] fields: &'static [&'static str],
    #[prop(optional)] auth_form: bool,
) -> impl IntoView {
    move || {
        let err = error.get()?;
        if err.field().is_some_and(|f| fields.contains(&f)) {
            return None;
        }
        if err.is_unauthenticated() && !auth_form {
            return Some(view! { <SignInRedirect /> }.into_any());
        }
        let tone = match err.kind() {
            ErrorKind::RateLimited => "border-amber-200 bg-amber-50 text-amber-900",
            _ => "border-red-200 bg-red-50 text-red-800",
        };
        let testid = match err.kind() {
            ErrorKind::RateLimited => "error-rate-limited",
            k if is_server_failure(k) => "error-fallback",
            _ => "form-error",
        };
        Some(
            view! {
                <div role="alert" data-testid=testid class=format!("rounded-md border px-3 py-2 text-sm {tone}")>
                    {user_message(&err)}
                </div>
            }
            .into_any(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use omnify::ApiError;

    #[test]
    fn rate_limited_says_slow_down_with_the_wait() {
        let msg = user_message(&AppError(ApiError::rate_limited(7)));
        assert!(msg.starts_with(SLOW_DOWN), "{msg}");
        assert!(msg.contains("7 s"), "{msg}");
    }

    #[test]
    fn internal_errors_never_show_details() {
        let mut err = ApiError::internal();
        err.message = "db exploded at line 3".into();
        let msg = user_message(&AppError(err));
        assert!(!msg.contains("db exploded"), "{msg}");
    }

    #[test]
    fn other_errors_show_the_server_message() {
        let msg = user_message(&AppError(ApiError::validation("email", "Invalid email format")));
        assert_eq!(msg, "Invalid email format");
    }
}
