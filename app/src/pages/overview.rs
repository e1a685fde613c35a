//! The dashboard's customer-data tiles: the last 30 days against the 30 before, daily revenue
//! and orders, platform health and ad performance. Refreshes itself (server-sent events) when
//! an import, sync or webhook lands.

use leptos::prelude::*;
use omnify::model::{DashboardOverview, Trend};

use crate::api::dashboard::get_dashboard_overview;
use crate::components::chart::{Chart, ChartData};
use crate::components::errors::ErrorView;
use crate::components::ui::{format_timestamp, group, Card, Loading};
use crate::pages::customers::money;

#[component]
pub fn Overview() -> impl IntoView {
    let changed = RwSignal::new(0u32);
    let overview = Resource::new(move || changed.get(), |_| get_dashboard_overview());
    live_updates(changed);
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! { <OverviewView o=o /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| overview.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Listens to `/api/dashboard/stream` and bumps `changed` on every `data_changed` event.
fn live_updates(changed: RwSignal<u32>) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::closure::Closure;
        use leptos::wasm_bindgen::JsCast;
        let source = StoredValue::new_local(None::<leptos::web_sys::EventSource>);
        Effect::new(move |_| {
            if source.with_value(|s| s.is_some()) {
                return;
            }
            let Ok(es) = leptos::web_sys::EventSource::new("/api/dashboard/stream") else { return };
            let on_change = Closure::<dyn FnMut(leptos::web_sys::Event)>::new(move |_| {
                changed.try_update(|n| *n += 1);
            });
            let _ = es.add_event_listener_with_callback("data_changed", on_change.as_ref().unchecked_ref());
            on_change.forget();
            source.set_value(Some(es));
        });
        on_cleanup(move || {
            source.try_with_value(|s| if let Some(es) = s { es.close() });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = changed;
}

#[component]
fn OverviewView(o: DashboardOverview) -> impl IntoView {
    if o.customers_total == 0 {
        return view! {
            <Card testid="overview-empty">
                <p class="text-sm text-slate-700">
                    "No customer data yet. "
                    <a class="link" href="/imports">"Import a file"</a>
                    ", "
                    <a class="link" href="/integrations">"connect a platform"</a>
                    " or send a webhook, and this page fills with your last 30 days."
                </p>
            </Card>
        }
        .into_any();
    }
    let revenue: Vec<f64> = o.daily.iter().map(|d| d.revenue_cents as f64 / 100.0).collect();
    let orders: Vec<f64> = o.daily.iter().map(|d| d.orders as f64).collect();
    let first_day = o.daily.first().map(|d| d.day.clone()).unwrap_or_default();
    let last_day = o.daily.last().map(|d| d.day.clone()).unwrap_or_default();
    let (first_day2, last_day2) = (first_day.clone(), last_day.clone());
    let pairs: Vec<(f64, f64)> = o.performance.iter().map(|p| (p.spend_cents as f64, p.revenue_cents as f64)).collect();
    view! {
        <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="overview-tiles">
            <Tile label="Customers" value=group(o.customers_total) trend=Some(o.new_customers.clone()) trend_label="new" testid="tile-customers" />
            <Tile label="Orders (30 days)" value=group(o.orders.current) trend=Some(o.orders.clone()) trend_label="" testid="tile-orders" />
            <Tile label="Revenue (30 days)" value=money(o.revenue_cents.current, "USD") trend=Some(o.revenue_cents.clone()) trend_label="" testid="tile-revenue" />
            <Tile label="Active platforms" value=o.platforms.iter().filter(|p| p.status != "error").count().to_string() trend=None trend_label="" testid="tile-platforms" />
        </div>
        <div class="grid gap-6 lg:grid-cols-2">
            <Card title="Revenue per day" testid="chart-revenue">
                <Chart data=ChartData::Bars(revenue) label="Revenue per day over the last 30 days" />
                <p class="mt-1 flex justify-between text-xs text-slate-500"><span>{first_day2}</span><span>{last_day2}</span></p>
            </Card>
            <Card title="Orders per day" testid="chart-orders">
                <Chart data=ChartData::Line(orders) label="Orders per day over the last 30 days" />
                <p class="mt-1 flex justify-between text-xs text-slate-500"><span>{first_day}</span><span>{last_day}</span></p>
            </Card>
        </div>
        <div class="grid gap-6 lg:grid-cols-2">
            <Card title="Performance by platform (30 days)" testid="performance-by-platform">
                {if o.performance.is_empty() {
                    view! { <p class="text-sm text-slate-600">"No campaign performance yet."</p> }.into_any()
                } else {
                    view! {
                        <Chart data=ChartData::Pairs(pairs) label="Spend and revenue by platform" />
                        <p class="mt-1 text-xs text-slate-500">
                            <span class="mr-3 inline-block h-2 w-2 bg-indigo-500"></span>"spend "
                            <span class="ml-2 mr-1 inline-block h-2 w-2 bg-emerald-500"></span>"revenue"
                        </p>
                        <table class="mt-3 min-w-full text-left text-xs">
                            <thead class="text-slate-500">
                                <tr><th scope="col" class="py-1 pr-2">"Platform"</th><th scope="col" class="py-1 pr-2 text-right">"Impr."</th><th scope="col" class="py-1 pr-2 text-right">"Clicks"</th><th scope="col" class="py-1 pr-2 text-right">"Spend"</th><th scope="col" class="py-1 pr-2 text-right">"Conv."</th><th scope="col" class="py-1 text-right">"Revenue"</th></tr>
                            </thead>
                            <tbody class="divide-y divide-slate-100">
                                {o.performance.iter().map(|p| view! {
                                    <tr data-testid="performance-row">
                                        <td class="py-1 pr-2">{p.platform.replace('_', " ")}</td>
                                        <td class="py-1 pr-2 text-right tabular-nums">{group(p.impressions)}</td>
                                        <td class="py-1 pr-2 text-right tabular-nums">{group(p.clicks)}</td>
                                        <td class="py-1 pr-2 text-right tabular-nums">{money(p.spend_cents, "USD")}</td>
                                        <td class="py-1 pr-2 text-right tabular-nums">{group(p.conversions)}</td>
                                        <td class="py-1 text-right tabular-nums">{money(p.revenue_cents, "USD")}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </Card>
            <Card title="Platforms" testid="platform-health">
                {if o.platforms.is_empty() {
                    view! { <p class="text-sm text-slate-600">"No platform connected. " <a class="link" href="/integrations">"Connect one"</a></p> }.into_any()
                } else {
                    view! {
                        <ul class="space-y-1 text-sm">
                            {o.platforms.iter().map(|p| view! {
                                <li class="flex justify-between gap-2">
                                    <span>{p.name.clone()}</span>
                                    <span class=if p.status == "error" { "text-rose-700" } else { "text-slate-600" }>
                                        {p.last_error.clone().unwrap_or_else(|| p.last_sync_at.as_deref().map(|t| format!("synced {}", format_timestamp(t))).unwrap_or_else(|| p.status.clone()))}
                                    </span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Card>
        </div>
    }
    .into_any()
}

#[component]
fn Tile(label: &'static str, value: String, trend: Option<Trend>, trend_label: &'static str, testid: &'static str) -> impl IntoView {
    let change = trend.as_ref().map(|t| match t.change_percent() {
        Some(p) => (format!("{}{:.0}% vs the 30 days before", if p >= 0.0 { "+" } else { "" }, p), p >= 0.0),
        None => (format!("{} {} in 30 days", group(t.current), trend_label).trim().to_string(), true),
    });
    view! {
        <Card testid=testid>
            <p class="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
            <p class="mt-1 text-2xl font-semibold tabular-nums text-slate-900" data-testid="tile-value">{value}</p>
            {change.map(|(text, up)| view! { <p class=if up { "text-xs text-emerald-700" } else { "text-xs text-rose-700" } data-testid="tile-change">{text}</p> })}
        </Card>
    }
}
