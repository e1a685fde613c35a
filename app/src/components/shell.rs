//! The signed-in app's frame: sidebar navigation, a header with the organization, the user and
//! a log-out button, and the current page.

use leptos::prelude::*;
use leptos_router::{components::Outlet, hooks::use_location};
use omnify::model::Viewer;

use crate::api::account::get_viewer;
use crate::api::auth::Logout;
use crate::components::errors::ErrorView;
use crate::components::form::role_label;
use crate::error::AppError;

/// The signed-in user and organization, loaded once by the shell and shared with every page.
#[derive(Clone, Copy)]
pub struct ViewerCtx(pub Resource<Result<Viewer, AppError>>);

pub fn use_viewer() -> Resource<Result<Viewer, AppError>> {
    expect_context::<ViewerCtx>().0
}

const NAV: &[(&str, &str)] = &[
    ("/", "Dashboard"),
    ("/onboarding", "Onboarding"),
    ("/customers", "Customers"),
    ("/imports", "Imports"),
    ("/eyes", "EYES"),
    ("/brain", "Brain"),
    ("/campaigns", "Campaigns"),
    ("/content", "Content"),
    ("/agents", "Agents"),
    ("/integrations", "Integrations"),
    ("/analytics", "Analytics"),
    ("/settings", "Settings"),
];

fn is_active(href: &str, path: &str) -> bool {
    if href == "/" {
        path == "/"
    } else {
        path == href || path.starts_with(&format!("{href}/"))
    }
}

#[component]
fn Sidebar() -> impl IntoView {
    let pathname = use_location().pathname;
    view! {
        <nav aria-label="Main" class="flex flex-col gap-1 p-3">
            {NAV
                .iter()
                .map(|&(href, label)| {
                    let testid = format!("nav-{}", label.to_lowercase());
                    view! {
                        <a
                            href=href
                            data-testid=testid
                            aria-current=move || is_active(href, &pathname.get()).then_some("page")
                            class="nav-link"
                        >
                            {label}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

#[component]
fn HeaderIdentity() -> impl IntoView {
    let viewer = use_viewer();
    view! {
        <Transition fallback=|| view! { <span class="text-sm text-slate-400">"Loading…"</span> }>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(v) => {
                        view! {
                            <div class="flex min-w-0 flex-col">
                                <span data-testid="header-org" class="truncate text-sm font-semibold text-slate-900">
                                    {v.organization.name.clone()}
                                </span>
                                <span class="truncate text-xs text-slate-600">
                                    <span data-testid="header-user">{v.user.full_name.clone()}</span>
                                    " · "
                                    <span data-testid="header-role">{role_label(v.user.role)}</span>
                                </span>
                            </div>
                        }
                            .into_any()
                    }
                    Err(e) => {
                        view! {
                            <div class="max-w-md">
                                <ErrorView error=e on_retry=move |_| viewer.refetch() />
                            </div>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The layout of every signed-in route.
#[component]
pub fn AppShell() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| get_viewer());
    provide_context(ViewerCtx(viewer));
    let logout = ServerAction::<Logout>::new();

    view! {
        <a href="#main" class="skip-link">"Skip to content"</a>
        <div class="flex min-h-screen flex-col bg-slate-50 md:flex-row">
            <aside class="border-b border-slate-200 bg-white md:w-60 md:shrink-0 md:border-b-0 md:border-r">
                <div class="flex h-14 items-center px-5">
                    <a href="/" class="rounded text-lg font-bold tracking-tight text-indigo-700 focus-ring">
                        "OmniFy"
                    </a>
                </div>
                <Sidebar />
            </aside>
            <div class="flex min-w-0 flex-1 flex-col">
                <header class="flex h-14 items-center justify-between gap-4 border-b border-slate-200 bg-white px-6">
                    <HeaderIdentity />
                    <ActionForm action=logout>
                        <button type="submit" data-testid="logout" class="btn-secondary">
                            "Log out"
                        </button>
                    </ActionForm>
                </header>
                <main id="main" tabindex="-1" class="mx-auto w-full max-w-5xl flex-1 p-6">
                    <Outlet />
                </main>
            </div>
        </div>
    }
}
