use leptos::prelude::*;

#[component]
pub fn PerformancePage() -> impl IntoView {
    view! { <p>"PerformancePage"</p> }
}
