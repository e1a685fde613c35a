use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use omnify::model::CustomerPage as Page;

use super::money;
use crate::api::customers::{list_customers, PAGE_SIZE};
use crate::components::errors::ErrorView;
use crate::components::ui::{format_date, Card, Loading, Notice, PageHeader};

#[component]
pub fn CustomersPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q").unwrap_or_default());
    let page = move || query.with(|m| m.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1));
    let erased = move || query.with(|m| m.get("erased").is_some());
    let customers = Resource::new(move || (q(), page()), |(q, page)| list_customers(q, page));

    view! {
        <Title text="Customers · OmniFy" />
        <PageHeader title="Customers" subtitle="Everyone your imports, webhooks and platforms brought in." />
        <div class="grid gap-4">
            {move || erased().then(|| view! { <Notice>"The customer and all of their data were erased."</Notice> })}
            <Card testid="customers-card">
                <form method="get" action="/customers" role="search" class="mb-4 flex gap-2">
                    <label for="customer-search" class="sr-only">"Search customers"</label>
                    <input
                        id="customer-search"
                        name="q"
                        type="search"
                        placeholder="Search by email, name, company or phone"
                        prop:value=q
                        class="input flex-1"
                        data-testid="customer-search"
                    />
                    <button type="submit" class="btn-primary">"Search"</button>
                </form>
                <Transition fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        match customers.await {
                            Ok(p) => view! { <CustomerTable page=p q=q() current=page() /> }.into_any(),
                            Err(e) => view! { <ErrorView error=e on_retry=move |_| customers.refetch() /> }.into_any(),
                        }
                    })}
                </Transition>
            </Card>
        </div>
    }
}

#[component]
fn CustomerTable(page: Page, q: String, current: i64) -> impl IntoView {
    if page.total == 0 {
        let message = if q.is_empty() {
            view! {
                <p data-testid="customers-empty" class="text-sm text-slate-600">
                    "No customers yet. "
                    <a href="/imports" class="link">"Import a file"</a>
                    ", connect a platform or send a webhook to bring them in."
                </p>
            }
            .into_any()
        } else {
            view! { <p data-testid="customers-empty" class="text-sm text-slate-600">"No customer matches “" {q.clone()} "”."</p> }.into_any()
        };
        return message;
    }
    let pages = (page.total + PAGE_SIZE - 1) / PAGE_SIZE;
    let link = move |n: i64| {
        if q.is_empty() {
            format!("/customers?page={n}")
        } else {
            format!("/customers?q={}&page={n}", urlencode(&q))
        }
    };
    view! {
        <p class="mb-2 text-sm text-slate-600" data-testid="customers-total">
            {format!("{} customer{}", page.total, if page.total == 1 { "" } else { "s" })}
        </p>
        <div class="overflow-x-auto">
            <table class="min-w-full text-left text-sm" data-testid="customers-table">
                <caption class="sr-only">"Customers"</caption>
                <thead class="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                        <th scope="col" class="py-2 pr-4 font-medium">"Customer"</th>
                        <th scope="col" class="py-2 pr-4 font-medium">"Company"</th>
                        <th scope="col" class="py-2 pr-4 text-right font-medium">"Orders"</th>
                        <th scope="col" class="py-2 pr-4 text-right font-medium">"Revenue"</th>
                        <th scope="col" class="py-2 pr-4 font-medium">"Last order"</th>
                        <th scope="col" class="py-2 font-medium">"Since"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {page
                        .items
                        .into_iter()
                        .map(|c| {
                            let href = format!("/customers/{}", c.customer_id);
                            let label = c.name.clone().or(c.email.clone()).unwrap_or_else(|| "Unnamed customer".into());
                            view! {
                                <tr data-testid="customer-row">
                                    <td class="py-2 pr-4">
                                        <a href=href class="link font-medium">{label}</a>
                                        <div class="text-xs text-slate-500">{c.email.clone().unwrap_or_default()}</div>
                                    </td>
                                    <td class="py-2 pr-4 text-slate-700">{c.company.clone().unwrap_or_default()}</td>
                                    <td class="py-2 pr-4 text-right tabular-nums">{c.orders}</td>
                                    <td class="py-2 pr-4 text-right tabular-nums">{money(c.revenue_cents, "USD")}</td>
                                    <td class="py-2 pr-4 text-slate-700">{c.last_order_at.as_deref().map(format_date).unwrap_or_else(|| "—".into())}</td>
                                    <td class="py-2 text-slate-700">{format_date(&c.created_at)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <nav aria-label="Pages" class="mt-4 flex items-center justify-between text-sm">
            {(current > 1).then(|| view! { <a class="link" href=link(current - 1)>"← Previous"</a> })}
            <span class="text-slate-600">{format!("Page {current} of {pages}")}</span>
            {(current < pages).then(|| view! { <a class="link" data-testid="next-page" href=link(current + 1)>"Next →"</a> })}
        </nav>
    }
    .into_any()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
