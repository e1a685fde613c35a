//! MEMORY: what worked — totals, the best and worst creatives and campaigns by ROAS, each
//! platform's share, the weekly trend and plain-English insights.

use leptos::prelude::*;
use omnify::brain::daily::{money, pct};
use omnify::brain::performance::{EntityPerformance, PerformanceSummary, PlatformPerformance, WeeklyPoint};
use omnify::model::PerformanceResponse;

use super::{money_or_dash, pct_or_dash, platform_label, times_or_dash, NoPerformance};
use crate::api::brain::brain_performance;
use crate::components::chart::{Chart, ChartData};
use crate::components::errors::ErrorView;
use crate::components::ui::{group, Card, Loading};

#[component]
pub fn PerformancePage() -> impl IntoView {
    let performance = Resource::new(|| (), |_| brain_performance());
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match performance.await {
                    Ok(p) if p.summary.days == 0 => view! { <NoPerformance history_days=p.history_days /> }.into_any(),
                    Ok(p) => view! { <PerformanceView p=p /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| performance.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PerformanceView(p: PerformanceResponse) -> impl IntoView {
    let PerformanceSummary { first_day, last_day, days, totals: t, top_creatives, worst_creatives, top_campaigns, worst_campaigns, platforms, weekly, insights } = p.summary;
    let range = match (first_day, last_day) {
        (Some(a), Some(b)) => format!("{a} to {b}, {days} days with data (last {} days).", p.history_days),
        _ => format!("{days} days with data (last {} days).", p.history_days),
    };
    view! {
        <div class="space-y-6">
            <Card title="Totals" testid="performance-totals">
                <p class="mb-3 text-xs text-slate-500">{range}</p>
                <dl class="grid grid-cols-2 gap-4 sm:grid-cols-4">
                    <Stat label="Spend" value=money(t.spend_cents as f64) testid="performance-spend" />
                    <Stat label="Revenue" value=money(t.revenue_cents as f64) testid="performance-revenue" />
                    <Stat label="ROAS" value=times_or_dash(t.roas) testid="performance-roas" />
                    <Stat label="Conversions" value=group(t.conversions) testid="performance-conversions" />
                    <Stat label="Cost per conversion" value=money_or_dash(t.cpa_cents) testid="performance-cpa" />
                    <Stat label="Impressions" value=group(t.impressions) testid="performance-impressions" />
                    <Stat label="Clicks" value=group(t.clicks) testid="performance-clicks" />
                    <Stat label="CTR" value=pct_or_dash(t.ctr) testid="performance-ctr" />
                </dl>
            </Card>
            {(!insights.is_empty()).then(|| view! {
                <Card title="Insights" testid="performance-insights">
                    <ul class="list-disc space-y-1 pl-5 text-sm text-slate-700">
                        {insights.into_iter().map(|i| view! { <li data-testid="performance-insight">{i}</li> }).collect_view()}
                    </ul>
                </Card>
            })}
            <WeeklyTrend weekly=weekly />
            <div class="grid gap-6 lg:grid-cols-2">
                <EntityList title="Best creatives by ROAS" testid="performance-top-creatives" entities=top_creatives />
                <EntityList title="Worst creatives by ROAS" testid="performance-worst-creatives" entities=worst_creatives />
                <EntityList title="Best campaigns by ROAS" testid="performance-top-campaigns" entities=top_campaigns />
                <EntityList title="Worst campaigns by ROAS" testid="performance-worst-campaigns" entities=worst_campaigns />
            </div>
            <Platforms platforms=platforms />
        </div>
    }
}

#[component]
fn Stat(label: &'static str, value: String, testid: &'static str) -> impl IntoView {
    view! {
        <div>
            <dt class="text-xs text-slate-500">{label}</dt>
            <dd class="text-lg font-semibold tabular-nums text-slate-900" data-testid=testid>{value}</dd>
        </div>
    }
}

#[component]
fn WeeklyTrend(weekly: Vec<WeeklyPoint>) -> impl IntoView {
    let roas: Vec<f64> = weekly.iter().map(|w| w.roas.unwrap_or(0.0)).collect();
    let money_pairs: Vec<(f64, f64)> = weekly.iter().map(|w| (w.spend_cents as f64, w.revenue_cents as f64)).collect();
    let first = weekly.first().map(|w| w.week_start.clone()).unwrap_or_default();
    let last = weekly.last().map(|w| w.week_start.clone()).unwrap_or_default();
    let (f1, l1) = (first.clone(), last.clone());
    view! {
        <div class="grid gap-6 lg:grid-cols-2">
            <Card title="ROAS per week" testid="performance-trend">
                <Chart data=ChartData::Line(roas) label="Return on ad spend per week" />
                <p class="mt-1 flex justify-between text-xs text-slate-500"><span>{format!("week of {first}")}</span><span>{format!("week of {last}")}</span></p>
            </Card>
            <Card title="Spend and revenue per week" testid="performance-spend-revenue">
                <Chart data=ChartData::Pairs(money_pairs) label="Spend (indigo) and revenue (green) per week" />
                <p class="mt-1 flex justify-between text-xs text-slate-500"><span>{format!("week of {f1}")}</span><span>{format!("week of {l1}")}</span></p>
                <p class="mt-1 flex gap-3 text-xs text-slate-600">
                    <span class="flex items-center gap-1"><span class="inline-block h-2 w-2 rounded bg-indigo-500"></span>"Spend"</span>
                    <span class="flex items-center gap-1"><span class="inline-block h-2 w-2 rounded bg-emerald-500"></span>"Revenue"</span>
                </p>
            </Card>
        </div>
        <details class="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm" data-testid="performance-weeks">
            <summary class="cursor-pointer font-medium text-slate-800 focus-ring">"Week by week"</summary>
            <div class="mt-3 overflow-x-auto">
                <table class="min-w-full text-left text-xs">
                    <thead class="text-slate-500">
                        <tr>
                            <th scope="col" class="py-1 pr-3">"Week of"</th>
                            <th scope="col" class="py-1 pr-3 text-right">"Days"</th>
                            <th scope="col" class="py-1 pr-3 text-right">"Spend"</th>
                            <th scope="col" class="py-1 pr-3 text-right">"Revenue"</th>
                            <th scope="col" class="py-1 pr-3 text-right">"ROAS"</th>
                            <th scope="col" class="py-1 pr-3 text-right">"Conversions"</th>
                            <th scope="col" class="py-1 text-right">"CTR"</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {weekly
                            .into_iter()
                            .map(|w| view! {
                                <tr data-testid="performance-week">
                                    <td class="py-1 pr-3">{w.week_start}</td>
                                    <td class="py-1 pr-3 text-right tabular-nums">{w.days}</td>
                                    <td class="py-1 pr-3 text-right tabular-nums">{money(w.spend_cents as f64)}</td>
                                    <td class="py-1 pr-3 text-right tabular-nums">{money(w.revenue_cents as f64)}</td>
                                    <td class="py-1 pr-3 text-right tabular-nums">{times_or_dash(w.roas)}</td>
                                    <td class="py-1 pr-3 text-right tabular-nums">{group(w.conversions)}</td>
                                    <td class="py-1 text-right tabular-nums">{pct_or_dash(w.ctr)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

#[component]
fn EntityList(title: &'static str, testid: &'static str, entities: Vec<EntityPerformance>) -> impl IntoView {
    view! {
        <Card title=title testid=testid>
            {if entities.is_empty() {
                view! { <p class="text-sm text-slate-600">"Too few to rank: each needs at least 1% of the total spend."</p> }.into_any()
            } else {
                view! {
                    <ol class="divide-y divide-slate-100 text-sm">
                        {entities.into_iter().map(|e| view! { <EntityRow e=e /> }).collect_view()}
                    </ol>
                }
                .into_any()
            }}
        </Card>
    }
}

#[component]
fn EntityRow(e: EntityPerformance) -> impl IntoView {
    let context = match &e.creative_id {
        Some(_) => format!("{} · {}", platform_label(&e.platform), omnify::brain::daily::display_name(&e.campaign_name, &e.campaign_id)),
        None => platform_label(&e.platform),
    };
    let vs_average = e.roas_vs_average.map(|r| format!("{r:.1}× your average")).unwrap_or_default();
    view! {
        <li class="flex items-start justify-between gap-3 py-2" data-testid="performance-entity">
            <span>
                <span class="font-medium text-slate-900">{e.name.clone()}</span>
                <span class="block text-xs text-slate-500">{context}</span>
            </span>
            <span class="text-right tabular-nums">
                <span class="font-medium text-slate-900" data-testid="performance-entity-roas">{format!("ROAS {}", times_or_dash(e.metrics.roas))}</span>
                <span class="block text-xs text-slate-500">
                    {format!("{} spent · {} revenue · {} of spend", money(e.metrics.spend_cents as f64), money(e.metrics.revenue_cents as f64), pct(e.spend_share))}
                </span>
                <span class="block text-xs text-slate-500">{vs_average}</span>
            </span>
        </li>
    }
}

#[component]
fn Platforms(platforms: Vec<PlatformPerformance>) -> impl IntoView {
    view! {
        <Card title="By platform" testid="performance-platforms">
            <div class="overflow-x-auto">
                <table class="min-w-full text-left text-sm">
                    <thead class="border-b border-slate-200 text-xs text-slate-500">
                        <tr>
                            <th scope="col" class="py-2 pr-3 font-medium">"Platform"</th>
                            <th scope="col" class="py-2 pr-3 text-right font-medium">"Spend (share)"</th>
                            <th scope="col" class="py-2 pr-3 text-right font-medium">"Revenue (share)"</th>
                            <th scope="col" class="py-2 pr-3 text-right font-medium">"ROAS"</th>
                            <th scope="col" class="py-2 pr-3 text-right font-medium">"Conversions"</th>
                            <th scope="col" class="py-2 pr-3 text-right font-medium">"Cost per conversion"</th>
                            <th scope="col" class="py-2 text-right font-medium">"CTR"</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {platforms
                            .into_iter()
                            .map(|p| view! {
                                <tr data-testid="performance-platform" data-platform=p.platform.clone()>
                                    <td class="py-2 pr-3 font-medium text-slate-900">{platform_label(&p.platform)}</td>
                                    <td class="py-2 pr-3 text-right tabular-nums">{format!("{} ({})", money(p.metrics.spend_cents as f64), pct(p.spend_share))}</td>
                                    <td class="py-2 pr-3 text-right tabular-nums">{format!("{} ({})", money(p.metrics.revenue_cents as f64), pct(p.revenue_share))}</td>
                                    <td class="py-2 pr-3 text-right tabular-nums">{times_or_dash(p.metrics.roas)}</td>
                                    <td class="py-2 pr-3 text-right tabular-nums">{group(p.metrics.conversions)}</td>
                                    <td class="py-2 pr-3 text-right tabular-nums">{money_or_dash(p.metrics.cpa_cents)}</td>
                                    <td class="py-2 text-right tabular-nums">{pct_or_dash(p.metrics.ctr)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </Card>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::brain::sample;

    #[test]
    fn renders_totals_rankings_platforms_and_trend_on_the_server() {
        let summary = omnify::brain::performance::summarize(&sample::rows(), 5);
        let weeks = summary.weekly.len();
        let html = sample::render(move || view! { <PerformanceView p=PerformanceResponse { summary, history_days: 90 } /> });
        for id in ["performance-totals", "performance-trend", "performance-top-creatives", "performance-worst-campaigns", "performance-platforms"] {
            assert!(html.contains(&format!(r#"data-testid="{id}""#)), "{id}: {html}");
        }
        assert_eq!(html.matches(r#"data-testid="performance-week""#).count(), weeks);
        assert_eq!(html.matches(r#"data-testid="performance-platform""#).count(), 3);
    }
}
