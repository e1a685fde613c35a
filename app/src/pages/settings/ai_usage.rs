//! The organization's AI usage and cost: which engine answers, today's spend against the daily
//! budget (admins change it here), the last 14 days, and every call.

use leptos::prelude::*;
use omnify::model::{AiCallDto, AiUsageResponse};

use crate::api::ai::{ai_logs, ai_usage, AiSetBudget};
use crate::components::chart::{Chart, ChartData};
use crate::components::errors::{ErrorView, FormAlert};
use crate::components::form::action_error;
use crate::components::shell::use_viewer;
use crate::components::ui::{format_timestamp, group, Card, Loading};
use crate::pages::campaigns::label;

#[component]
pub fn AiUsageSettings() -> impl IntoView {
    let set_budget = ServerAction::<AiSetBudget>::new();
    let usage = Resource::new(move || set_budget.version().get(), |_| ai_usage());
    let logs = Resource::new(|| (), |_| ai_logs(0));
    let viewer = use_viewer();
    view! {
        <div class="space-y-6">
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let admin = viewer.await.map(|v| v.user.role.can_administer()).unwrap_or(false);
                    match usage.await {
                        Ok(u) => view! { <Usage u=u admin=admin set_budget=set_budget /> }.into_any(),
                        Err(e) => view! { <ErrorView error=e on_retry=move |_| usage.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
            <Card title="Calls" testid="ai-logs">
                <Transition fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        match logs.await {
                            Ok(l) if l.calls.is_empty() => view! { <p class="text-sm text-slate-600" data-testid="ai-logs-empty">"No AI calls yet. Strategies and content generations appear here with their cost."</p> }.into_any(),
                            Ok(l) => view! { <CallTable calls=l.calls total=l.total /> }.into_any(),
                            Err(e) => view! { <ErrorView error=e on_retry=move |_| logs.refetch() /> }.into_any(),
                        }
                    })}
                </Transition>
            </Card>
        </div>
    }
}

#[component]
fn Usage(u: AiUsageResponse, admin: bool, set_budget: ServerAction<AiSetBudget>) -> impl IntoView {
    let error = action_error(set_budget);
    let costs: Vec<f64> = u.days.iter().map(|d| d.cost_usd).collect();
    let calls: Vec<f64> = u.days.iter().map(|d| d.calls as f64).collect();
    let spent = u.today.cost_usd;
    let bar = if (spent + u.reserved_usd) >= u.daily_budget_usd { "h-2 rounded bg-red-500" } else { "h-2 rounded bg-indigo-500" };
    let share = if u.daily_budget_usd > 0.0 { (spent + u.reserved_usd) / u.daily_budget_usd * 100.0 } else { 100.0 };
    view! {
        <Card title="AI usage today" testid="ai-usage">
            <p class="text-sm text-slate-700" data-testid="ai-engine">{format!("Engine: {}", u.engine.label)}</p>
            <div class="mt-3 grid gap-4 sm:grid-cols-4">
                <Stat label="Spent today" value=usd(spent) testid="ai-spent" />
                <Stat label="Daily budget" value=format!("{}{}", usd(u.daily_budget_usd), if u.budget_is_default { " (default)" } else { "" }) testid="ai-budget" />
                <Stat label="Calls today" value=group(u.today.calls) testid="ai-calls" />
                <Stat label="Tokens in / out" value=format!("{} / {}", group(u.today.tokens_in), group(u.today.tokens_out)) testid="ai-tokens" />
            </div>
            <div class="mt-3 h-2 rounded bg-slate-100" role="img" aria-label=format!("{share:.0}% of today's budget used")>
                <div class=bar style=format!("width: {:.1}%", share.min(100.0))></div>
            </div>
            <p class="mt-1 text-xs text-slate-500">{format!("{} left today{}", usd(u.remaining_usd), if u.reserved_usd > 0.0 { format!(", {} held for calls in flight", usd(u.reserved_usd)) } else { String::new() })}</p>
            {admin.then(|| view! {
                <ActionForm action=set_budget attr:class="mt-4 flex flex-wrap items-end gap-2">
                    <label class="text-sm text-slate-700">"Daily budget in dollars"
                        <input name="daily_budget_usd" class="input w-32" value=format!("{:.2}", u.daily_budget_usd) data-testid="ai-budget-input" />
                    </label>
                    <button type="submit" class="btn-secondary" data-testid="ai-budget-save">"Save budget"</button>
                    <p class="w-full text-xs text-slate-500">"Leave it empty to use the server's default. A call that would go over it is refused."</p>
                    <div class="w-full"><FormAlert error=error /></div>
                </ActionForm>
            })}
        </Card>
        <div class="grid gap-6 lg:grid-cols-2">
            <Card title="Cost per day (last 14 days, $)" testid="ai-cost-chart"><Chart data=ChartData::Bars(costs) label="AI cost per day" /></Card>
            <Card title="Calls per day" testid="ai-calls-chart"><Chart data=ChartData::Bars(calls) label="AI calls per day" /></Card>
        </div>
    }
}

#[component]
fn Stat(label: &'static str, value: String, testid: &'static str) -> impl IntoView {
    view! {
        <div>
            <p class="text-xs text-slate-500">{label}</p>
            <p class="text-lg font-semibold tabular-nums text-slate-900" data-testid=testid>{value}</p>
        </div>
    }
}

#[component]
fn CallTable(calls: Vec<AiCallDto>, total: i64) -> impl IntoView {
    view! {
        <p class="mb-2 text-xs text-slate-500">{format!("The latest {} of {} calls", calls.len(), group(total))}</p>
        <div class="overflow-x-auto">
            <table class="min-w-full text-left text-xs">
                <thead class="text-slate-500"><tr>
                    <th scope="col" class="py-1 pr-2">"When"</th><th scope="col" class="py-1 pr-2">"Feature"</th><th scope="col" class="py-1 pr-2">"Model"</th>
                    <th scope="col" class="py-1 pr-2 text-right">"Tokens in/out"</th><th scope="col" class="py-1 pr-2 text-right">"Cost"</th>
                    <th scope="col" class="py-1 pr-2 text-right">"Time"</th><th scope="col" class="py-1 pr-2 text-right">"Attempts"</th><th scope="col" class="py-1">"Outcome"</th>
                </tr></thead>
                <tbody class="divide-y divide-slate-100">
                    {calls.into_iter().map(|c| view! {
                        <tr data-testid="ai-call">
                            <td class="py-1 pr-2 whitespace-nowrap">{format_timestamp(&c.created_at)}</td>
                            <td class="py-1 pr-2">{label(&c.feature)}</td>
                            <td class="py-1 pr-2">{if c.provider == "builtin" { "built-in engine".to_string() } else { c.model.clone() }}</td>
                            <td class="py-1 pr-2 text-right tabular-nums">{format!("{} / {}", group(c.tokens_in), group(c.tokens_out))}</td>
                            <td class="py-1 pr-2 text-right tabular-nums">{usd(c.cost_usd)}</td>
                            <td class="py-1 pr-2 text-right tabular-nums">{format!("{} ms", group(c.latency_ms))}</td>
                            <td class="py-1 pr-2 text-right tabular-nums">{c.attempts}</td>
                            <td class="py-1" title=c.error.clone().unwrap_or_default()>{label(&c.outcome)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Costs are often fractions of a cent: show enough digits to see them.
fn usd(v: f64) -> String {
    if v != 0.0 && v.abs() < 0.01 { format!("${v:.4}") } else { format!("${v:.2}") }
}

#[cfg(test)]
mod tests {
    use super::usd;

    #[test]
    fn small_costs_stay_visible() {
        assert_eq!(usd(0.0), "$0.00");
        assert_eq!(usd(0.00042), "$0.0004");
        assert_eq!(usd(5.0), "$5.00");
    }
}
