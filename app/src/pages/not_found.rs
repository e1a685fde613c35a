use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found · OmniFy" />
        <main class="flex min-h-screen items-center justify-center bg-slate-50 px-4">
            <div class="text-center">
                <h1 class="text-2xl font-semibold text-slate-900">"Page not found"</h1>
                <p class="mt-2 text-sm text-slate-600">"There is nothing at this address."</p>
                <a href="/" class="link mt-4 inline-block text-sm">
                    "Go to the dashboard"
                </a>
            </div>
        </main>
    }
}
