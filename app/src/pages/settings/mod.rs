//! Settings: profile, organization and members (with invitations), as sub-routes with tabs.

mod ai_usage;
mod members;
mod organization;
mod profile;
mod webhooks;

pub use ai_usage::AiUsageSettings;
pub use members::MembersSettings;
pub use organization::OrganizationSettings;
pub use profile::ProfileSettings;
pub use webhooks::WebhookSettings;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Outlet, hooks::use_location};

use crate::components::ui::PageHeader;

const TABS: &[(&str, &str, &str)] = &[
    ("/settings/profile", "Profile", "settings-tab-profile"),
    ("/settings/organization", "Organization", "settings-tab-organization"),
    ("/settings/members", "Members", "settings-tab-members"),
    ("/settings/webhooks", "Webhooks", "settings-tab-webhooks"),
    ("/settings/ai", "AI usage", "settings-tab-ai"),
];

#[component]
pub fn SettingsLayout() -> impl IntoView {
    let pathname = use_location().pathname;
    view! {
        <Title text="Settings · OmniFy" />
        <PageHeader title="Settings" />
        <nav aria-label="Settings" class="mb-6 flex gap-1 border-b border-slate-200">
            {TABS
                .iter()
                .map(|&(href, label, testid)| {
                    let active = move || {
                        let p = pathname.get();
                        p == href || (href == "/settings/profile" && (p == "/settings" || p == "/settings/"))
                    };
                    view! {
                        <a href=href data-testid=testid aria-current=move || active().then_some("page") class="tab-link">
                            {label}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
        <Outlet />
    }
}
