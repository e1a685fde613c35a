//! The dashboard: the organization, its plan usage, its members and (for owners and admins)
//! recent audit activity. Real data only.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_meta::Title;
use omnify::model::{AuditLogEntry, LimitUsage, MemberDto, PlanLimits};

use crate::api::audit::recent_audit;
use crate::api::members::list_members;
use crate::api::organization::get_plan_limits;
use crate::components::errors::ErrorView;
use crate::components::shell::use_viewer;
use crate::components::ui::{format_timestamp, Card, Loading, PageHeader};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let viewer = use_viewer();
    let limits = Resource::new(|| (), |_| get_plan_limits());
    let members = Resource::new(|| (), |_| list_members());

    view! {
        <Title text="Dashboard · OmniFy" />
        <PageHeader title="Dashboard" />
        <div class="grid gap-6">
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match viewer.await {
                        Ok(v) => {
                            view! {
                                <Card testid="dashboard-org">
                                    <div class="flex flex-wrap items-baseline justify-between gap-2">
                                        <div>
                                            <p class="text-xs font-medium uppercase tracking-wide text-slate-500">
                                                "Organization"
                                            </p>
                                            <p data-testid="dashboard-org-name" class="text-xl font-semibold text-slate-900">
                                                {v.organization.name.clone()}
                                            </p>
                                        </div>
                                        <span
                                            data-testid="dashboard-tier"
                                            class="rounded-full bg-indigo-50 px-3 py-1 text-xs font-medium capitalize text-indigo-700"
                                        >
                                            {format!("{} plan", v.organization.subscription_tier)}
                                        </span>
                                    </div>
                                    <p class="mt-2 text-sm text-slate-600">
                                        "Signed in as "
                                        <span class="font-medium text-slate-800">{v.user.full_name.clone()}</span>
                                        " ("
                                        {v.user.email.clone()}
                                        ")"
                                    </p>
                                </Card>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorView error=e on_retry=move |_| viewer.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
            <crate::pages::overview::Overview />
            <div class="grid gap-6 md:grid-cols-2">
                <Card title="Plan usage" testid="dashboard-usage">
                    <Transition fallback=|| view! { <Loading /> }>
                        {move || Suspend::new(async move {
                            match limits.await {
                                Ok(l) => view! { <UsageList limits=l /> }.into_any(),
                                Err(e) => view! { <ErrorView error=e on_retry=move |_| limits.refetch() /> }.into_any(),
                            }
                        })}
                    </Transition>
                </Card>
                <Card title="Team" testid="dashboard-team">
                    <Transition fallback=|| view! { <Loading /> }>
                        {move || Suspend::new(async move {
                            match members.await {
                                Ok(list) => {
                                    let count = list.len();
                                    view! {
                                        <p class="text-3xl font-semibold text-slate-900" data-testid="dashboard-member-count">
                                            {count}
                                        </p>
                                        <p class="text-sm text-slate-600">
                                            {if count == 1 { "member" } else { "members" }}
                                        </p>
                                        <a href="/settings/members" class="link mt-3 inline-block text-sm">
                                            "Manage team"
                                        </a>
                                    }
                                        .into_any()
                                }
                                Err(e) => view! { <ErrorView error=e on_retry=move |_| members.refetch() /> }.into_any(),
                            }
                        })}
                    </Transition>
                </Card>
            </div>
            // Audit activity is for owners and admins only.
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match viewer.await {
                        Ok(v) if v.user.role.can_administer() => {
                            view! { <RecentActivity members=members /> }.into_any()
                        }
                        _ => ().into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

fn resource_label(resource: &str) -> String {
    let s = resource.replace('_', " ");
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => s,
    }
}

#[component]
fn UsageList(limits: PlanLimits) -> impl IntoView {
    if limits.usage.is_empty() {
        return view! { <p class="text-sm text-slate-600">"No usage recorded yet."</p> }.into_any();
    }
    view! {
        <ul class="space-y-4" data-testid="usage-list">
            {limits.usage.into_iter().map(|u| view! { <UsageRow usage=u /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn UsageRow(usage: LimitUsage) -> impl IntoView {
    let label = resource_label(&usage.resource);
    let (text, percent) = match usage.limit {
        Some(limit) if limit > 0 => {
            let pct = ((usage.used as f64 / limit as f64) * 100.0).clamp(0.0, 100.0);
            (format!("{} of {}", usage.used, limit), Some(pct))
        }
        Some(limit) => (format!("{} of {}", usage.used, limit), Some(100.0)),
        None => (format!("{} (unlimited)", usage.used), None),
    };
    view! {
        <li data-testid=format!("usage-{}", usage.resource)>
            <div class="flex justify-between text-sm">
                <span class="font-medium text-slate-800">{label.clone()}</span>
                <span class="text-slate-600">{text}</span>
            </div>
            {percent
                .map(|pct| {
                    let bar = if pct >= 90.0 { "bg-red-500" } else { "bg-indigo-500" };
                    view! {
                        <div
                            class="mt-1 h-2 rounded-full bg-slate-100"
                            role="progressbar"
                            aria-label=label
                            aria-valuemin="0"
                            aria-valuemax="100"
                            aria-valuenow=format!("{pct:.0}")
                        >
                            <div class=format!("h-2 rounded-full {bar}") style=format!("width: {pct:.1}%")></div>
                        </div>
                    }
                })}
        </li>
    }
}

/// The ten most recent audit entries (owners and admins only).
#[component]
fn RecentActivity(members: Resource<Result<Vec<MemberDto>, crate::error::AppError>>) -> impl IntoView {
    let audit = Resource::new(|| (), |_| recent_audit(10));
    view! {
        <Card title="Recent activity" testid="dashboard-activity">
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let page = audit.await;
                    // Names for user ids; the list still renders if members failed to load.
                    let names: HashMap<String, String> = members
                        .await
                        .map(|m| m.into_iter().map(|m| (m.user_id, m.full_name)).collect())
                        .unwrap_or_default();
                    match page {
                        Ok(page) if page.items.is_empty() => {
                            view! { <p class="text-sm text-slate-600">"No activity yet."</p> }.into_any()
                        }
                        Ok(page) => {
                            view! {
                                <ul class="divide-y divide-slate-100" data-testid="activity-list">
                                    {page
                                        .items
                                        .into_iter()
                                        .map(|entry| view! { <ActivityRow entry=entry names=names.clone() /> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorView error=e on_retry=move |_| audit.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </Card>
    }
}

#[component]
fn ActivityRow(entry: AuditLogEntry, names: HashMap<String, String>) -> impl IntoView {
    let who = entry
        .user_id
        .as_ref()
        .map(|id| names.get(id).cloned().unwrap_or_else(|| "A former member".to_string()))
        .unwrap_or_else(|| "System".to_string());
    let failed = entry.outcome != "success";
    view! {
        <li class="flex items-center justify-between gap-4 py-2 text-sm">
            <div class="min-w-0">
                <span class="font-medium text-slate-800">{who}</span>
                " "
                <code class="rounded bg-slate-100 px-1 text-xs text-slate-700">{entry.action.clone()}</code>
                {failed.then(|| view! { <span class="ml-2 text-xs font-medium text-red-700">"failed"</span> })}
            </div>
            <time datetime=entry.created_at.clone() class="shrink-0 text-xs text-slate-500">
                {format_timestamp(&entry.created_at)}
            </time>
        </li>
    }
}
