//! OmniFy's Leptos UI: the HTML shell, the routes, the pages and the (thin) server functions.
//! The same components render on the server and hydrate in the browser.

#![recursion_limit = "256"]

pub mod api;
pub mod charts;
pub mod components;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, SsrMode,
};

use crate::components::shell::AppShell;
use crate::pages::auth::{AcceptInvitePage, LoginPage, SignupPage};
use crate::pages::customers::{CustomerPage, CustomersPage};
use crate::pages::dashboard::DashboardPage;
use crate::pages::imports::ImportsPage;
use crate::pages::integrations::IntegrationsPage;
use crate::pages::eyes::{EyesPage, SegmentPage};
use crate::pages::brain::{BrainLayout, BudgetPage, CreativePage, FatiguePage, MarketPage, PerformancePage, RepurposePage};
use crate::pages::campaigns::{CampaignPage, CampaignsPage};
use crate::pages::content::{ContentEditorPage, ContentPage};
use crate::pages::not_built::{AgentsPage, AnalyticsPage};
use crate::pages::not_found::NotFoundPage;
use crate::pages::onboarding::OnboardingPage;
use crate::pages::settings::{AiUsageSettings, MembersSettings, OrganizationSettings, ProfileSettings, SettingsLayout, WebhookSettings};

pub use crate::error::AppError;

/// The HTML document the server renders around `<App/>`.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    server::csp::set_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" id="leptos" href="/pkg/omnify.css" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}

/// Signed-in pages render fully on the server (all data awaited, in order) so they work
/// without JavaScript and a signed-out visit can answer with a 302 to the login page.
const APP_SSR: SsrMode = SsrMode::Async;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser: marks the page as hydrated (end-to-end tests wait on it).
    Effect::new(move |_| {
        #[cfg(not(feature = "ssr"))]
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Title text="OmniFy" />
        <Router>
            <Routes fallback=|| view! { <NotFoundPage /> }>
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/signup") view=SignupPage />
                <Route path=path!("/invite") view=AcceptInvitePage />
                <ParentRoute path=path!("") view=AppShell ssr=APP_SSR>
                    <Route path=path!("") view=DashboardPage ssr=APP_SSR />
                    <Route path=path!("/onboarding") view=OnboardingPage ssr=APP_SSR />
                    <Route path=path!("/customers") view=CustomersPage ssr=APP_SSR />
                    <Route path=path!("/customers/:id") view=CustomerPage ssr=APP_SSR />
                    <Route path=path!("/imports") view=ImportsPage ssr=APP_SSR />
                    <Route path=path!("/eyes") view=EyesPage ssr=APP_SSR />
                    <Route path=path!("/eyes/segments/:segment_id") view=SegmentPage ssr=APP_SSR />
                    <Route path=path!("/campaigns") view=CampaignsPage ssr=APP_SSR />
                    <Route path=path!("/campaigns/:id") view=CampaignPage ssr=APP_SSR />
                    <Route path=path!("/content") view=ContentPage ssr=APP_SSR />
                    <Route path=path!("/content/:id") view=ContentEditorPage ssr=APP_SSR />
                    <ParentRoute path=path!("/brain") view=BrainLayout ssr=APP_SSR>
                        <Route path=path!("") view=CreativePage ssr=APP_SSR />
                        <Route path=path!("/creative") view=CreativePage ssr=APP_SSR />
                        <Route path=path!("/fatigue") view=FatiguePage ssr=APP_SSR />
                        <Route path=path!("/repurpose") view=RepurposePage ssr=APP_SSR />
                        <Route path=path!("/budget") view=BudgetPage ssr=APP_SSR />
                        <Route path=path!("/performance") view=PerformancePage ssr=APP_SSR />
                        <Route path=path!("/market") view=MarketPage ssr=APP_SSR />
                    </ParentRoute>
                    <Route path=path!("/agents") view=AgentsPage ssr=APP_SSR />
                    <Route path=path!("/integrations") view=IntegrationsPage ssr=APP_SSR />
                    <Route path=path!("/analytics") view=AnalyticsPage ssr=APP_SSR />
                    <ParentRoute path=path!("/settings") view=SettingsLayout ssr=APP_SSR>
                        <Route path=path!("") view=ProfileSettings ssr=APP_SSR />
                        <Route path=path!("/profile") view=ProfileSettings ssr=APP_SSR />
                        <Route path=path!("/organization") view=OrganizationSettings ssr=APP_SSR />
                        <Route path=path!("/members") view=MembersSettings ssr=APP_SSR />
                        <Route path=path!("/webhooks") view=WebhookSettings ssr=APP_SSR />
                        <Route path=path!("/ai") view=AiUsageSettings ssr=APP_SSR />
                    </ParentRoute>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
