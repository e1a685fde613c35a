//! Product areas that are not built yet. Each says so plainly and what it will do.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::ui::NotBuiltYet;

#[component]
pub fn AgentsPage() -> impl IntoView {
    view! {
        <Title text="Agents · OmniFy" />
        <NotBuiltYet
            title="Agents"
            purpose="Define and run multi-step agent workflows that automate routine marketing tasks, with every run recorded."
        />
    }
}

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    view! {
        <Title text="Analytics · OmniFy" />
        <NotBuiltYet
            title="Analytics"
            purpose="Dashboards and charts of your marketing performance, built from your connected and uploaded data."
        />
    }
}
