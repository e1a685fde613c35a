//! CURIOSITY: split a daily budget across platforms or campaigns by their fitted response
//! curves, with the expected outcome, its likely range and each channel's curve.

use std::collections::BTreeMap;

use leptos::prelude::*;
use omnify::brain::budget::{Allocation, Objective};
use omnify::brain::daily::{money, pct};
use omnify::model::{BudgetOptimizeRequest, BudgetOptimizeResponse, ChannelLimitInput};
use omnify::ApiError;

use super::{platform_label, FieldError, NoPerformance};
use crate::api::brain::{brain_performance, BrainBudget};
use crate::charts::PALETTE;
use crate::components::chart::{Chart, ChartData};
use crate::components::errors::{ErrorView, FormAlert};
use crate::components::form::action_error;
use crate::components::ui::{Card, Loading};
use crate::error::AppError;

#[component]
pub fn BudgetPage() -> impl IntoView {
    // The performance summary says whether there is anything to plan from, and what the
    // organization spends a day now (the form's starting budget).
    let performance = Resource::new(|| (), |_| brain_performance());
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match performance.await {
                    Ok(p) if p.summary.days == 0 => view! { <NoPerformance history_days=p.history_days /> }.into_any(),
                    Ok(p) if p.summary.totals.spend_cents <= 0 => view! {
                        <Card testid="brain-empty">
                            <p class="text-sm text-slate-700">
                                {format!("Your ad performance over the last {} days has no spend, so there is nothing to fit spend-to-result curves to. ", p.history_days)}
                                <a href="/imports" class="link">"Import a performance file with spend"</a>
                                " or "
                                <a href="/integrations" class="link">"connect an ad platform"</a>
                                "."
                            </p>
                        </Card>
                    }
                    .into_any(),
                    Ok(p) => {
                        let average = p.summary.totals.spend_cents as f64 / p.summary.days as f64;
                        view! { <BudgetPlanner average_daily_cents=average days=p.summary.days /> }.into_any()
                    }
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| performance.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn BudgetPlanner(average_daily_cents: f64, days: usize) -> impl IntoView {
    let action = ServerAction::<BrainBudget>::new();
    let server_error = action_error(action);
    let client_error = RwSignal::new(None::<AppError>);
    let error = Signal::derive(move || client_error.get().or_else(|| server_error.get()));
    let budget = RwSignal::new(format!("{:.2}", average_daily_cents / 100.0));
    let group_by = RwSignal::new("platform");
    let objective = RwSignal::new("revenue");
    // The grouping of the last plan requested: its channels are the ones limits can name.
    let planned_group = RwSignal::new("");
    let limit_values = RwSignal::new(BTreeMap::<String, (String, String)>::new());
    let channel_names = Memo::new(move |previous: Option<&Vec<String>>| {
        action.value().with(|v| match v {
            Some(Ok(r)) => r.plan.allocations.iter().map(|a| a.name.clone()).collect(),
            _ => previous.cloned().unwrap_or_default(),
        })
    });
    let limits_apply = move || group_by.get() == planned_group.get() && !channel_names.with(Vec::is_empty);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let daily_budget = match parse_amount(&budget.get_untracked()) {
            Ok(Some(v)) if v > 0.0 => v,
            _ => {
                client_error.set(Some(AppError(ApiError::validation("daily_budget", "Give a daily budget above zero, e.g. 250"))));
                return;
            }
        };
        let group = group_by.get_untracked();
        let mut limits = Vec::new();
        if group == planned_group.get_untracked() {
            for name in channel_names.get_untracked() {
                let (min, max) = limit_values.with_untracked(|m| m.get(&name).cloned().unwrap_or_default());
                let (Ok(min), Ok(max)) = (parse_amount(&min), parse_amount(&max)) else {
                    client_error.set(Some(AppError(ApiError::validation("limits", format!("The limits of {name} must be amounts, e.g. 50 or 120.50")))));
                    return;
                };
                if min.is_some() || max.is_some() {
                    limits.push(ChannelLimitInput { name, min, max });
                }
            }
        }
        client_error.set(None);
        planned_group.set(group);
        let req = BudgetOptimizeRequest { daily_budget, group_by: Some(group.to_string()), objective: Some(objective.get_untracked().to_string()), limits };
        action.dispatch(BrainBudget { req });
    };

    view! {
        <div class="grid gap-6 xl:grid-cols-3">
            <div>
                <Card title="Daily budget" testid="budget-form">
                    <noscript>
                        <p class="mb-3 text-sm text-amber-800">"Planning here needs JavaScript. The API plans too: POST /api/brain/budget."</p>
                    </noscript>
                    <form class="space-y-4" on:submit=submit>
                        <FormAlert error=error fields=&["daily_budget"] />
                        <div class="space-y-1">
                            <label for="budget-daily" class="block text-sm font-medium text-slate-700">"Budget per day"</label>
                            <input
                                id="budget-daily"
                                type="number"
                                min="0"
                                step="0.01"
                                inputmode="decimal"
                                class="input"
                                data-testid="budget-daily"
                                aria-describedby="budget-daily-hint"
                                aria-invalid=move || if error.with(|e| e.as_ref().and_then(|e| e.field()) == Some("daily_budget")) { "true" } else { "false" }
                                value=budget.get_untracked()
                                prop:value=budget
                                on:input=move |ev| budget.set(event_target_value(&ev))
                            />
                            <p id="budget-daily-hint" class="text-xs text-slate-500">
                                {format!("You spent {} a day on average over the {days} days with data.", money(average_daily_cents))}
                            </p>
                            <FieldError error=error field="daily_budget" />
                        </div>
                        <div class="grid grid-cols-2 gap-3">
                            <div class="space-y-1">
                                <label for="budget-group" class="block text-sm font-medium text-slate-700">"Split across"</label>
                                <select id="budget-group" class="input" data-testid="budget-group" on:change=move |ev| {
                                    group_by.set(if event_target_value(&ev) == "campaign" { "campaign" } else { "platform" });
                                }>
                                    <option value="platform" selected=true>"Platforms"</option>
                                    <option value="campaign">"Campaigns"</option>
                                </select>
                            </div>
                            <div class="space-y-1">
                                <label for="budget-objective" class="block text-sm font-medium text-slate-700">"Maximise"</label>
                                <select id="budget-objective" class="input" data-testid="budget-objective" on:change=move |ev| {
                                    objective.set(if event_target_value(&ev) == "conversions" { "conversions" } else { "revenue" });
                                }>
                                    <option value="revenue" selected=true>"Revenue"</option>
                                    <option value="conversions">"Conversions"</option>
                                </select>
                            </div>
                        </div>
                        {move || limits_apply().then(|| view! { <LimitFields names=channel_names.get() values=limit_values /> })}
                        <button type="submit" class="btn-primary" data-testid="budget-submit" disabled=move || action.pending().get()>
                            {move || if action.pending().get() { "Planning…" } else if limits_apply() { "Plan again" } else { "Plan budget" }}
                        </button>
                    </form>
                </Card>
            </div>
            <div class="space-y-6 xl:col-span-2" aria-live="polite">
                {move || match action.value().get() {
                    Some(Ok(r)) => view! { <PlanView r=r /> }.into_any(),
                    _ => view! {
                        <Card testid="budget-idle">
                            <p class="text-sm text-slate-600">
                                "CURIOSITY fits a diminishing-returns curve to each channel's daily spend and results over the last 90 days, then hands out the budget where the next dollar earns the most. Set a budget and plan."
                            </p>
                        </Card>
                    }
                    .into_any(),
                }}
            </div>
        </div>
    }
}

/// Optional daily minimum and maximum per channel of the last plan. Typing does not re-render
/// the list: only a plan with other channels does.
#[component]
fn LimitFields(names: Vec<String>, values: RwSignal<BTreeMap<String, (String, String)>>) -> impl IntoView {
    view! {
        <fieldset class="space-y-2" data-testid="budget-limits">
            <legend class="text-sm font-medium text-slate-700">"Limits per day (optional)"</legend>
            <p class="text-xs text-slate-500">"Keep a channel at or above a minimum, or cap it."</p>
            {names
                .into_iter()
                .enumerate()
                .map(|(i, name)| {
                    let (min, max) = values.with_untracked(|m| m.get(&name).cloned().unwrap_or_default());
                    let (n1, n2) = (name.clone(), name.clone());
                    view! {
                        <div class="grid grid-cols-[1fr_6rem_6rem] items-center gap-2" data-testid="budget-limit" data-channel=name.clone()>
                            <span class="truncate text-sm text-slate-700" title=name.clone()>{channel_label(&name)}</span>
                            <label for=format!("limit-min-{i}") class="sr-only">{format!("Minimum for {name}")}</label>
                            <input
                                id=format!("limit-min-{i}")
                                type="number"
                                min="0"
                                step="0.01"
                                placeholder="min"
                                class="input px-2 py-1"
                                data-testid="budget-limit-min"
                                value=min
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    values.update(|m| m.entry(n1.clone()).or_default().0 = v);
                                }
                            />
                            <label for=format!("limit-max-{i}") class="sr-only">{format!("Maximum for {name}")}</label>
                            <input
                                id=format!("limit-max-{i}")
                                type="number"
                                min="0"
                                step="0.01"
                                placeholder="max"
                                class="input px-2 py-1"
                                data-testid="budget-limit-max"
                                value=max
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    values.update(|m| m.entry(n2.clone()).or_default().1 = v);
                                }
                            />
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

#[component]
fn PlanView(r: BudgetOptimizeResponse) -> impl IntoView {
    let plan = r.plan;
    let objective = plan.objective;
    let comparison = plan.current_total.map(|current| {
        let change = if current > 0.0 { Some((plan.expected_total - current) / current) } else { None };
        let change = match change {
            Some(c) if c.abs() >= 0.005 => format!(" — this plan is {} {}", pct(c.abs()), if c > 0.0 { "better" } else { "worse" }),
            Some(_) => " — about the same as this plan".to_string(),
            None => String::new(),
        };
        format!("Your current split at the same budget: {}{change}.", outcome_text(objective, current))
    });
    let allocations = plan.allocations.clone();
    view! {
        <Card title="Recommended split" testid="budget-plan">
            <p class="text-sm text-slate-800" data-testid="budget-expected">
                {format!(
                    "{} a day should bring about {} (likely {} to {}).",
                    money(plan.total_cents as f64),
                    outcome_text(objective, plan.expected_total),
                    outcome_text(objective, plan.low_total),
                    outcome_text(objective, plan.high_total),
                )}
            </p>
            {comparison.map(|c| view! { <p class="mt-1 text-sm text-slate-600" data-testid="budget-current">{c}</p> })}
            <div class="mt-4 overflow-x-auto">
                <table class="min-w-full text-left text-sm" data-testid="budget-allocations">
                    <thead class="border-b border-slate-200 text-xs text-slate-500">
                        <tr>
                            <th scope="col" class="py-2 pr-3 font-medium">"Channel"</th>
                            <th scope="col" class="py-2 pr-3 text-right font-medium">"Per day"</th>
                            <th scope="col" class="py-2 pr-3 text-right font-medium">"Share"</th>
                            <th scope="col" class="py-2 pr-3 text-right font-medium">{format!("Expected {} (likely range)", objective_word(objective))}</th>
                            <th scope="col" class="py-2 text-right font-medium">"Next dollar"</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {plan
                            .allocations
                            .into_iter()
                            .map(|a| view! {
                                <tr data-testid="budget-allocation" data-channel=a.name.clone()>
                                    <td class="py-2 pr-3">
                                        <span class="font-medium text-slate-900">{channel_label(&a.name)}</span>
                                        {a.low_confidence.then(|| view! {
                                            <span
                                                class="ml-2 rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800"
                                                data-testid="budget-low-confidence"
                                                title="The curve is an assumption or an extrapolation, not something the history shows"
                                            >
                                                "low confidence"
                                            </span>
                                        })}
                                    </td>
                                    <td class="py-2 pr-3 text-right tabular-nums" data-testid="budget-amount">{money(a.amount_cents as f64)}</td>
                                    <td class="py-2 pr-3 text-right tabular-nums">{pct(a.share)}</td>
                                    <td class="py-2 pr-3 text-right tabular-nums">
                                        {outcome_text(objective, a.expected_outcome)}
                                        <span class="block text-xs text-slate-500">
                                            {format!("{} – {}", outcome_text(objective, a.low), outcome_text(objective, a.high))}
                                        </span>
                                    </td>
                                    <td class="py-2 text-right tabular-nums">{marginal_text(objective, a.marginal_return)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                    <tfoot class="border-t border-slate-200 text-sm font-medium">
                        <tr>
                            <td class="py-2 pr-3">"Total"</td>
                            <td class="py-2 pr-3 text-right tabular-nums">{money(plan.total_cents as f64)}</td>
                            <td class="py-2 pr-3 text-right tabular-nums">"100%"</td>
                            <td class="py-2 pr-3 text-right tabular-nums">{outcome_text(objective, plan.expected_total)}</td>
                            <td class="py-2"></td>
                        </tr>
                    </tfoot>
                </table>
            </div>
            {(!plan.notes.is_empty()).then(|| view! {
                <ul class="mt-4 list-disc space-y-1 pl-5 text-sm text-slate-600" data-testid="budget-notes">
                    {plan.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}
                </ul>
            })}
        </Card>
        <ResponseCurves allocations=allocations objective=objective />
    }
}

/// Every channel's fitted spend → outcome curve on one scale, with a drop line at the planned
/// spend in the channel's colour.
#[component]
fn ResponseCurves(allocations: Vec<Allocation>, objective: Objective) -> impl IntoView {
    let (curves, max_x, max_y) = chart_curves(&allocations);
    let summary = allocations
        .iter()
        .map(|a| format!("{}: {} a day for {}", channel_label(&a.name), money(a.amount_cents as f64), outcome_text(objective, a.expected_outcome)))
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <Card title="Response curves" testid="budget-curves">
            <p class="mb-2 text-xs text-slate-500">
                {format!("Expected daily {} against daily spend. Each curve flattens where more spend stops paying; the vertical lines mark the planned spend (the faint dashed diagonal is only the chart's reference line).", objective_word(objective))}
            </p>
            <Chart data=ChartData::Curves(curves) label="Response curve of each channel, with the planned spend marked" height=220 />
            <p class="mt-1 flex justify-between text-xs text-slate-500">
                <span>"$0 a day"</span>
                <span>{format!("{} a day", money(max_x))}</span>
            </p>
            <p class="text-xs text-slate-500">{format!("Top of the chart: {} a day.", outcome_text(objective, max_y))}</p>
            <ul class="mt-2 flex flex-wrap gap-3 text-xs text-slate-600" data-testid="budget-curve-legend">
                {allocations
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        let c = PALETTE[i % PALETTE.len()];
                        view! {
                            <li class="flex items-center gap-1">
                                <span class="inline-block h-2 w-3 rounded" style=format!("background-color: rgb({}, {}, {})", c.0, c.1, c.2)></span>
                                {format!("{} · {} a day", channel_label(&a.name), money(a.amount_cents as f64))}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="sr-only">{summary}</p>
        </Card>
    }
}

/// The curves scaled onto the unit square, then (after padding to a multiple of the palette's
/// size, so each marker takes its channel's colour) a vertical line per channel from zero to
/// the expected outcome at the planned spend. Also returns the scales: spend and outcome at the
/// right and top edges.
fn chart_curves(allocations: &[Allocation]) -> (Vec<Vec<(f64, f64)>>, f64, f64) {
    let finite_max = |values: &mut dyn Iterator<Item = f64>| values.filter(|v| v.is_finite()).fold(0.0_f64, f64::max);
    let max_x = finite_max(&mut allocations.iter().flat_map(|a| a.curve.iter().map(|p| p.0).chain([a.amount_cents as f64])));
    let max_y = finite_max(&mut allocations.iter().flat_map(|a| a.curve.iter().map(|p| p.1).chain([a.expected_outcome])));
    let (sx, sy) = (if max_x > 0.0 { max_x } else { 1.0 }, if max_y > 0.0 { max_y } else { 1.0 });
    let mut curves: Vec<Vec<(f64, f64)>> = allocations
        .iter()
        .map(|a| a.curve.iter().filter(|p| p.0.is_finite() && p.1.is_finite()).map(|&(x, y)| (x / sx, y / sy)).collect())
        .collect();
    let slots = allocations.len().div_ceil(PALETTE.len()) * PALETTE.len();
    curves.resize(slots, Vec::new());
    for a in allocations {
        let x = a.amount_cents as f64 / sx;
        let y = if a.expected_outcome.is_finite() { a.expected_outcome / sy } else { 0.0 };
        curves.push(vec![(x, 0.0), (x, y)]);
    }
    (curves, max_x, max_y)
}

/// "meta_ads" → "Meta Ads"; campaign channels ("meta_ads · Spring sale") keep their campaign.
fn channel_label(name: &str) -> String {
    match name.split_once(" · ") {
        Some((platform, campaign)) => format!("{} · {campaign}", platform_label(platform)),
        None => platform_label(name),
    }
}

fn objective_word(objective: Objective) -> &'static str {
    match objective {
        Objective::Revenue => "revenue",
        Objective::Conversions => "conversions",
    }
}

/// An outcome in the objective's unit: revenue in cents, conversions as a count.
fn outcome_text(objective: Objective, v: f64) -> String {
    match objective {
        Objective::Revenue => money(v),
        Objective::Conversions => format!("{v:.1} conversions"),
    }
}

/// What the next dollar buys at the planned spend (`per_cent` is outcome per cent).
fn marginal_text(objective: Objective, per_cent: f64) -> String {
    if !per_cent.is_finite() || per_cent <= 1e-9 {
        return "nothing more".into();
    }
    match objective {
        Objective::Revenue => format!("{} back", money(per_cent * 100.0)),
        Objective::Conversions => format!("{} per extra conversion", money(1.0 / per_cent)),
    }
}

/// A typed amount: empty is none; "$1,250.50" is 1250.5; negative or unreadable is an error.
fn parse_amount(text: &str) -> Result<Option<f64>, ()> {
    let cleaned: String = text.chars().filter(|c| !matches!(c, '$' | ',' | ' ')).collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    match cleaned.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use omnify::brain::budget::ResponseCurve;

    fn alloc(name: &str, amount_cents: i64, expected: f64) -> Allocation {
        Allocation {
            name: name.into(),
            amount_cents,
            share: 0.5,
            expected_outcome: expected,
            low: expected * 0.8,
            median: expected,
            high: expected * 1.2,
            marginal_return: 1.5,
            low_confidence: false,
            response: ResponseCurve::Saturating { a: 1000.0, b: 500.0 },
            curve: vec![(0.0, 0.0), (1000.0, 600.0), (2000.0, 800.0)],
        }
    }

    #[test]
    fn renders_the_plan_table_notes_and_curves_on_the_server() {
        use omnify::brain::budget::{channels_from_performance, optimize, BudgetRequest};
        let channels = channels_from_performance(&crate::pages::brain::sample::rows(), false, Objective::Revenue);
        let plan = optimize(&BudgetRequest { total_cents: 30_000, channels, objective: Objective::Revenue, seed: 7 }).unwrap();
        let html = crate::pages::brain::sample::render(move || view! { <PlanView r=BudgetOptimizeResponse { plan, history_days: 90 } /> });
        assert_eq!(html.matches(r#"data-testid="budget-allocation""#).count(), 3, "{html}");
        assert!(html.contains(r#"data-testid="budget-expected""#) && html.contains(r#"data-testid="budget-curves""#));
        let form = crate::pages::brain::sample::render(|| view! { <BudgetPlanner average_daily_cents=25_000.0 days=40 /> });
        assert!(form.contains(r#"value="250.00""#), "{form}");
    }

    #[test]
    fn amounts_parse_leniently_but_never_negative() {
        assert_eq!(parse_amount(""), Ok(None));
        assert_eq!(parse_amount(" $1,250.50 "), Ok(Some(1250.5)));
        assert_eq!(parse_amount("-5"), Err(()));
        assert_eq!(parse_amount("lots"), Err(()));
    }

    #[test]
    fn outcomes_and_marginal_returns_read_in_the_objective_unit() {
        assert_eq!(outcome_text(Objective::Revenue, 12_345.0), "$123.45");
        assert_eq!(outcome_text(Objective::Conversions, 3.25), "3.2 conversions");
        assert_eq!(marginal_text(Objective::Revenue, 2.0), "$2.00 back");
        assert_eq!(marginal_text(Objective::Conversions, 0.0005), "$20.00 per extra conversion");
        assert_eq!(marginal_text(Objective::Revenue, 0.0), "nothing more");
    }

    #[test]
    fn curves_fit_the_unit_square_and_markers_share_their_channel_colour() {
        let allocations = vec![alloc("meta_ads", 1000, 600.0), alloc("google_ads", 500, 400.0)];
        let (curves, max_x, max_y) = chart_curves(&allocations);
        assert_eq!((max_x, max_y), (2000.0, 800.0));
        assert_eq!(curves.len(), PALETTE.len() + 2);
        assert!(curves.iter().flatten().all(|&(x, y)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)));
        // Channel i's marker sits at an index with the same palette colour as its curve.
        for i in 0..allocations.len() {
            let marker = &curves[PALETTE.len() + i];
            assert_eq!(marker[0].0, marker[1].0);
            assert_eq!((PALETTE.len() + i) % PALETTE.len(), i);
        }
        assert_eq!(curves[PALETTE.len()], vec![(0.5, 0.0), (0.5, 0.75)]);
        assert!(curves[2..PALETTE.len()].iter().all(Vec::is_empty));
    }

    #[test]
    fn campaign_channels_keep_their_campaign_name() {
        assert_eq!(channel_label("meta_ads · Spring sale"), "Meta Ads · Spring sale");
        assert_eq!(channel_label("google_ads"), "Google Ads");
    }
}
