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
use leptos_router::components::Outlet;

use crate::components::ui::{PageHeader, TabNav};

const TABS: &[(&str, &str, &str)] = &[
    ("/settings/profile", "Profile", "settings-tab-profile"),
    ("/settings/organization", "Organization", "settings-tab-organization"),
    ("/settings/members", "Members", "settings-tab-members"),
    ("/settings/webhooks", "Webhooks", "settings-tab-webhooks"),
    ("/settings/ai", "AI usage", "settings-tab-ai"),
];

#[component]
pub fn SettingsLayout() -> impl IntoView {
    view! {
        <Title text="Settings · OmniFy" />
        <PageHeader title="Settings" />
        <TabNav label="Settings" root="/settings" tabs=TABS />
        <Outlet />
    }
}
