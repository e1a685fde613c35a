use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use omnify::model::CustomerDetail;

use super::intelligence::ClientIntelligenceCard;
use super::money;
use crate::api::customers::{get_customer, EraseCustomer};
use crate::api::eyes::eyes_customer_risk;
use crate::components::errors::{ErrorView, FormAlert};
use crate::components::form::action_error;
use crate::components::shell::use_viewer;
use crate::components::ui::{format_timestamp, Card, Loading};

#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let customer = Resource::new(id, get_customer);
    view! {
        <Title text="Customer · OmniFy" />
        <p class="mb-4 text-sm"><a href="/customers" class="link">"← All customers"</a></p>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match customer.await {
                    Ok(c) => view! { <CustomerView c=c /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| customer.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CustomerView(c: CustomerDetail) -> impl IntoView {
    let title = c.name.clone().or(c.email.clone()).unwrap_or_else(|| "Unnamed customer".into());
    let id = c.customer_id.clone();
    view! {
        <header class="mb-6">
            <h1 data-testid="customer-name" class="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
            <p class="mt-1 text-sm text-slate-600">
                {c.email.clone().unwrap_or_default()}
                {c.company.clone().map(|co| format!(" · {co}"))}
                {c.phone.clone().map(|p| format!(" · {p}"))}
            </p>
            <p class="mt-1 text-sm text-slate-600">
                {format!(
                    "{} order{} · {} · {} event{} · customer since {}",
                    c.order_count,
                    if c.order_count == 1 { "" } else { "s" },
                    money(c.revenue_cents, "USD"),
                    c.event_count,
                    if c.event_count == 1 { "" } else { "s" },
                    &c.created_at[..10.min(c.created_at.len())],
                )}
            </p>
            {(!c.tags.is_empty()).then(|| view! {
                <ul class="mt-2 flex flex-wrap gap-1" aria-label="Tags">
                    {c.tags.iter().map(|t| view! { <li class="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">{t.clone()}</li> }).collect_view()}
                </ul>
            })}
        </header>
        <div class="grid gap-6 md:grid-cols-2">
            <EyesCard customer_id=id.clone() />
            <ClientIntelligenceCard customer_id=id.clone() />
            <Card title="Consent" testid="customer-consents">
                {if c.consents.is_empty() {
                    view! { <p class="text-sm text-slate-600">"No consent recorded."</p> }.into_any()
                } else {
                    view! {
                        <ul class="space-y-1 text-sm">
                            {c.consents.iter().map(|k| view! {
                                <li class="flex justify-between gap-2">
                                    <span>{k.purpose.replace('_', " ")}</span>
                                    <span class=if k.granted { "text-emerald-700" } else { "text-rose-700" }>
                                        {if k.granted { "granted" } else { "denied" }}
                                        <span class="text-xs text-slate-500">{format!(" · {}", k.source)}</span>
                                        {k.expires_at.as_deref().map(|e| view! { <span class="text-xs text-slate-500">{format!(" · until {}", &e[..10.min(e.len())])}</span> })}
                                    </span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Card>
            <Card title="Platforms" testid="customer-platforms">
                <ul class="space-y-1 text-sm">
                    {c.identities.iter().map(|i| view! {
                        <li><span class="font-medium">{i.platform.clone()}</span>" · "<code class="text-xs">{i.external_id.clone()}</code></li>
                    }).collect_view()}
                    {c.identities.is_empty().then(|| view! { <li class="text-slate-600">"Known by email only."</li> })}
                </ul>
            </Card>
        </div>
        <div class="mt-6 grid gap-6">
            <Card title="Orders" testid="customer-orders">
                {if c.orders.is_empty() {
                    view! { <p class="text-sm text-slate-600">"No orders."</p> }.into_any()
                } else {
                    view! {
                        <table class="min-w-full text-left text-sm">
                            <thead class="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                                <tr>
                                    <th scope="col" class="py-2 pr-4 font-medium">"Order"</th>
                                    <th scope="col" class="py-2 pr-4 font-medium">"Platform"</th>
                                    <th scope="col" class="py-2 pr-4 font-medium">"When"</th>
                                    <th scope="col" class="py-2 text-right font-medium">"Amount"</th>
                                </tr>
                            </thead>
                            <tbody class="divide-y divide-slate-100">
                                {c.orders.iter().map(|o| view! {
                                    <tr data-testid="order-row">
                                        <td class="py-2 pr-4">{o.external_order_id.clone()}</td>
                                        <td class="py-2 pr-4">{o.platform.clone()}</td>
                                        <td class="py-2 pr-4">{format_timestamp(&o.ordered_at)}</td>
                                        <td class="py-2 text-right tabular-nums">{money(o.amount_cents, &o.currency)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </Card>
            <Card title="Recent events" testid="customer-events">
                {if c.events.is_empty() {
                    view! { <p class="text-sm text-slate-600">"No events."</p> }.into_any()
                } else {
                    view! {
                        <ul class="divide-y divide-slate-100 text-sm">
                            {c.events.iter().map(|e| view! {
                                <li class="flex justify-between gap-2 py-1.5">
                                    <span>
                                        <span class="font-medium">{e.event_type.replace('_', " ")}</span>
                                        {e.channel.clone().map(|ch| view! { <span class="text-slate-500">{format!(" · {ch}")}</span> })}
                                        {e.campaign_id.clone().map(|cp| view! { <span class="text-slate-500">{format!(" · campaign {cp}")}</span> })}
                                    </span>
                                    <span class="text-slate-600">{format_timestamp(&e.occurred_at)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Card>
            <Privacy customer_id=id />
        </div>
    }
}

/// Export and erasure, for owners, admins and managers.
#[component]
fn Privacy(customer_id: String) -> impl IntoView {
    use omnify::model::Role;
    let viewer = use_viewer();
    let erase = ServerAction::<EraseCustomer>::new();
    let error = action_error(erase);
    let export_href = format!("/api/customers/{customer_id}/export");
    view! {
        <Transition fallback=|| ()>
            {move || {
                let customer_id = customer_id.clone();
                let export_href = export_href.clone();
                Suspend::new(async move {
                    let allowed = matches!(viewer.await, Ok(v) if matches!(v.user.role, Role::Owner | Role::Admin | Role::Manager));
                    if !allowed {
                        return ().into_any();
                    }
                    view! {
                        <Card title="Privacy" testid="customer-privacy">
                            <p class="text-sm text-slate-600">
                                "Export everything OmniFy holds about this customer, or erase it from every table."
                            </p>
                            <p class="mt-3">
                                <a href=export_href download class="btn-secondary" data-testid="customer-export">"Export data (JSON)"</a>
                            </p>
                            <ActionForm action=erase attr:class="mt-4 space-y-2">
                                <input type="hidden" name="customer_id" value=customer_id />
                                <FormAlert error=error />
                                <label for="erase-confirm" class="block text-sm text-slate-700">
                                    "Erasure cannot be undone. Type ERASE to confirm."
                                </label>
                                <div class="flex gap-2">
                                    <input id="erase-confirm" name="confirm" class="input" autocomplete="off" data-testid="erase-confirm" />
                                    <button type="submit" class="btn-danger" data-testid="erase-customer">"Erase customer"</button>
                                </div>
                            </ActionForm>
                        </Card>
                    }
                    .into_any()
                })
            }}
        </Transition>
    }
}

/// EYES' view of this customer: churn risk per horizon with its reasons, P(alive) and value.
#[component]
fn EyesCard(customer_id: String) -> impl IntoView {
    let risk = Resource::new(move || customer_id.clone(), |id| eyes_customer_risk(id, "30d".into()));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match risk.await {
                    Ok(Some(r)) => view! {
                        <Card title="EYES" testid="customer-eyes">
                            <p class="text-sm text-slate-700" data-testid="customer-churn">
                                {match (r.churn_risk, r.level.clone()) {
                                    (Some(p), Some(level)) => format!("Churn risk in 30 days: {:.0}% ({level})", p * 100.0),
                                    _ => "No 30-day churn score (not enough history to train a model).".to_string(),
                                }}
                                {format!(" · 60 days: {} · 90 days: {}", pct(r.risks[1]), pct(r.risks[2]))}
                            </p>
                            <ul class="mt-2 list-disc pl-5 text-sm text-slate-600" data-testid="customer-churn-reasons">
                                {r.reasons.iter().map(|x| view! { <li>{x.text.clone()}</li> }).collect_view()}
                            </ul>
                            <p class="mt-2 text-sm text-slate-600">
                                {format!("P(alive) {:.0}% · {:.1} purchases expected in 90 days · value over 365 days {}", r.p_alive * 100.0, r.expected_purchases_90d, money(r.clv_cents, "USD"))}
                            </p>
                            {r.segment.clone().map(|s| view! {
                                <p class="mt-1 text-sm">"Segment: " <a class="link" href=format!("/eyes/segments/{}", s.segment_id)>{s.name}</a></p>
                            })}
                            <p class="mt-1 text-xs text-slate-400">{format!("Computed {}", format_timestamp(&r.computed_at))}</p>
                        </Card>
                    }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| risk.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:.0}%", v * 100.0)).unwrap_or_else(|| "–".into())
}
