use leptos::prelude::*;

#[component]
pub fn MarketPage() -> impl IntoView {
    view! { <p>"MarketPage"</p> }
}
