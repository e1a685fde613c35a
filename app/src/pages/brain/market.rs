//! Market benchmarks: per platform, the spread of the organization's own campaigns on CTR, CPC,
//! CPA, conversion rate and ROAS, and where each campaign stands against it.

use leptos::prelude::*;
use omnify::brain::daily::{display_name, money, pct};
use omnify::brain::market::{BenchmarkMetric, CampaignBenchmark, MetricStanding, PlatformBenchmark, Verdict, MIN_CAMPAIGNS, MIN_IMPRESSIONS};
use omnify::model::MarketResponse;

use super::{platform_label, NoPerformance};
use crate::api::brain::brain_market;
use crate::components::errors::ErrorView;
use crate::components::ui::{Card, Loading};

#[component]
pub fn MarketPage() -> impl IntoView {
    let market = Resource::new(|| (), |_| brain_market());
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match market.await {
                    Ok(m) if m.benchmarks.platforms.is_empty() && m.benchmarks.campaigns.is_empty() => view! {
                        <Industry industry=m.industry.clone() />
                        <NoPerformance history_days=m.history_days />
                    }
                    .into_any(),
                    Ok(m) => view! { <MarketView m=m /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| market.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Industry(industry: Option<String>) -> impl IntoView {
    let text = match industry.as_deref().map(str::trim).filter(|i| !i.is_empty()) {
        Some(i) => view! { <span>"Industry: " <span class="font-medium text-slate-900">{i.to_string()}</span></span> }.into_any(),
        None => view! {
            <span>"No industry set yet: add it in the " <a href="/onboarding" class="link">"guided setup"</a> "."</span>
        }
        .into_any(),
    };
    view! {
        <div class="mb-4 text-sm text-slate-700" data-testid="market-industry">
            {text}
        </div>
    }
}

#[component]
fn MarketView(m: MarketResponse) -> impl IntoView {
    let MarketResponse { industry, benchmarks, history_days } = m;
    view! {
        <Industry industry=industry />
        <p class="mb-4 text-sm text-slate-600">
            {format!(
                "Benchmarks from your own campaigns over the last {history_days} days, compared within each platform: they share your audience, offer and attribution, which published industry tables do not. A campaign needs {MIN_IMPRESSIONS} impressions to count, and a platform {MIN_CAMPAIGNS} campaigns on a metric before anyone is judged on it."
            )}
        </p>
        <div class="grid gap-6 lg:grid-cols-2">
            {benchmarks.platforms.into_iter().map(|p| view! { <PlatformCard p=p /> }).collect_view()}
        </div>
        <div class="mt-6">
            <Campaigns campaigns=benchmarks.campaigns />
        </div>
        {(!benchmarks.notes.is_empty()).then(|| view! {
            <div class="mt-6">
                <Card title="Notes" testid="market-notes">
                    <ul class="list-disc space-y-1 pl-5 text-sm text-slate-600">
                        {benchmarks.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}
                    </ul>
                </Card>
            </div>
        })}
    }
}

#[component]
fn PlatformCard(p: PlatformBenchmark) -> impl IntoView {
    let rows = BenchmarkMetric::ALL
        .into_iter()
        .map(|metric| {
            let cells = match p.distribution(metric) {
                Some(d) => view! {
                    <td class="py-1 pr-3 text-right tabular-nums">{metric_value(metric, d.p25)}</td>
                    <td class="py-1 pr-3 text-right font-medium tabular-nums">{metric_value(metric, d.median)}</td>
                    <td class="py-1 pr-3 text-right tabular-nums">{metric_value(metric, d.p75)}</td>
                    <td class="py-1 text-right tabular-nums text-slate-500">{d.n}</td>
                }
                .into_any(),
                None => view! { <td colspan="4" class="py-1 text-right text-slate-500">"no campaign has this yet"</td> }.into_any(),
            };
            view! {
                <tr data-testid="market-metric" data-metric=metric_key(metric)>
                    <th scope="row" class="py-1 pr-3 font-normal text-slate-700">
                        {metric.label()}
                        <span class="ml-1 text-xs text-slate-400">{if metric.higher_is_better() { "↑ better" } else { "↓ better" }}</span>
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid="market-platform" data-platform=p.platform.clone()>
            <div class="mb-3 flex items-baseline justify-between gap-2">
                <h2 class="text-base font-semibold text-slate-900">{platform_label(&p.platform)}</h2>
                <span class="text-xs text-slate-500">{format!("{} campaign{} with {MIN_IMPRESSIONS}+ impressions", p.campaigns, if p.campaigns == 1 { "" } else { "s" })}</span>
            </div>
            <table class="min-w-full text-left text-sm">
                <thead class="text-xs text-slate-500">
                    <tr>
                        <th scope="col" class="py-1 pr-3 font-medium">"Metric"</th>
                        <th scope="col" class="py-1 pr-3 text-right font-medium">"25th pct"</th>
                        <th scope="col" class="py-1 pr-3 text-right font-medium">"Median"</th>
                        <th scope="col" class="py-1 pr-3 text-right font-medium">"75th pct"</th>
                        <th scope="col" class="py-1 text-right font-medium">"Campaigns"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">{rows}</tbody>
            </table>
        </section>
    }
}

#[component]
fn Campaigns(campaigns: Vec<CampaignBenchmark>) -> impl IntoView {
    view! {
        <Card title="Where each campaign stands" testid="market-campaigns">
            {if campaigns.is_empty() {
                view! { <p class="text-sm text-slate-600">"No campaigns to compare yet."</p> }.into_any()
            } else {
                view! {
                    <div class="overflow-x-auto">
                        <table class="min-w-full text-left text-sm">
                            <thead class="border-b border-slate-200 text-xs text-slate-500">
                                <tr>
                                    <th scope="col" class="py-2 pr-3 font-medium">"Campaign"</th>
                                    <th scope="col" class="py-2 pr-3 font-medium">"Verdict"</th>
                                    <th scope="col" class="py-2 font-medium">"Metrics against the platform (percentile: share of your campaigns it beats)"</th>
                                </tr>
                            </thead>
                            <tbody class="divide-y divide-slate-100">
                                {campaigns.into_iter().map(|c| view! { <CampaignRow c=c /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </Card>
    }
}

#[component]
fn CampaignRow(c: CampaignBenchmark) -> impl IntoView {
    let (label, class) = verdict_badge(c.verdict);
    let basis = match (c.primary_metric, c.percentile) {
        (Some(m), Some(p)) => format!("on {}: better than {p:.0}% of your {} campaigns", m.label(), platform_label(&c.platform)),
        _ => String::new(),
    };
    view! {
        <tr data-testid="market-campaign" data-verdict=verdict_key(c.verdict)>
            <td class="py-2 pr-3 align-top">
                <span class="font-medium text-slate-900">{display_name(&c.campaign_name, &c.campaign_id)}</span>
                <span class="block text-xs text-slate-500">
                    {format!("{} · {} spent · {} impressions", platform_label(&c.platform), money(c.metrics.spend_cents as f64), crate::components::ui::group(c.metrics.impressions))}
                </span>
            </td>
            <td class="py-2 pr-3 align-top">
                <span class=format!("inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium {class}") data-testid="market-verdict">{label}</span>
                <span class="block text-xs text-slate-500">{basis}</span>
            </td>
            <td class="py-2 align-top">
                <ul class="flex flex-wrap gap-1">
                    {c.standings.into_iter().map(|s| view! { <Standing s=s /> }).collect_view()}
                </ul>
                {(!c.notes.is_empty()).then(|| view! {
                    <ul class="mt-1 space-y-0.5 text-xs text-slate-500" data-testid="market-campaign-notes">
                        {c.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}
                    </ul>
                })}
            </td>
        </tr>
    }
}

#[component]
fn Standing(s: MetricStanding) -> impl IntoView {
    let (_, class) = verdict_badge(s.verdict);
    let text = match s.verdict {
        Verdict::InsufficientData => format!("{} {}", s.metric.label(), metric_value(s.metric, s.value)),
        _ => format!("{} {} · p{:.0}", s.metric.label(), metric_value(s.metric, s.value), s.percentile),
    };
    view! {
        <li class=format!("rounded px-1.5 py-0.5 text-xs {class}") data-testid="market-standing" data-metric=metric_key(s.metric) data-verdict=verdict_key(s.verdict)>
            {text}
        </li>
    }
}

/// A metric's value as marketers write it: rates in percent, costs in money, ROAS as a multiple.
fn metric_value(metric: BenchmarkMetric, v: f64) -> String {
    match metric {
        BenchmarkMetric::Ctr | BenchmarkMetric::ConversionRate => pct(v),
        BenchmarkMetric::Cpc | BenchmarkMetric::Cpa => money(v),
        BenchmarkMetric::Roas => format!("{v:.2}×"),
    }
}

fn metric_key(metric: BenchmarkMetric) -> &'static str {
    match metric {
        BenchmarkMetric::Ctr => "ctr",
        BenchmarkMetric::Cpc => "cpc",
        BenchmarkMetric::Cpa => "cpa",
        BenchmarkMetric::ConversionRate => "conversion_rate",
        BenchmarkMetric::Roas => "roas",
    }
}

fn verdict_key(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Above => "above",
        Verdict::At => "at",
        Verdict::Below => "below",
        Verdict::InsufficientData => "insufficient_data",
    }
}

fn verdict_badge(verdict: Verdict) -> (&'static str, &'static str) {
    match verdict {
        Verdict::Above => ("Above benchmark", "bg-emerald-50 text-emerald-800"),
        Verdict::At => ("At benchmark", "bg-slate-100 text-slate-700"),
        Verdict::Below => ("Below benchmark", "bg-rose-50 text-rose-800"),
        Verdict::InsufficientData => ("Not enough data", "bg-amber-50 text-amber-800"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::brain::sample;

    #[test]
    fn renders_platform_benchmarks_and_campaign_verdicts_on_the_server() {
        let benchmarks = omnify::brain::market::benchmarks(&sample::rows());
        let campaigns = benchmarks.campaigns.len();
        let html = sample::render(move || view! { <MarketView m=MarketResponse { industry: Some("Coffee".into()), benchmarks, history_days: 90 } /> });
        assert!(html.contains("Coffee"), "{html}");
        assert_eq!(html.matches(r#"data-testid="market-platform""#).count(), 3);
        assert_eq!(html.matches(r#"data-testid="market-campaign""#).count(), campaigns);
        let none = sample::render(|| view! { <Industry industry=None /> });
        assert!(none.contains("No industry set yet"), "{none}");
    }

    #[test]
    fn metric_values_use_their_units() {
        assert_eq!(metric_value(BenchmarkMetric::Ctr, 0.0123), "1.2%");
        assert_eq!(metric_value(BenchmarkMetric::Cpa, 2550.0), "$25.50");
        assert_eq!(metric_value(BenchmarkMetric::Roas, 3.0), "3.00×");
    }

    #[test]
    fn verdicts_have_keys_and_badges() {
        assert_eq!(verdict_key(Verdict::InsufficientData), "insufficient_data");
        assert_eq!(verdict_badge(Verdict::Above).0, "Above benchmark");
        assert_eq!(metric_key(BenchmarkMetric::ConversionRate), "conversion_rate");
    }
}
