//! ORACLE: which creatives are wearing out, judged against their own early days.

use leptos::prelude::*;
use omnify::brain::daily::{display_name, pct};
use omnify::brain::fatigue::{FatigueAssessment, FatigueStage, ResultMetric, FATIGUED_COST_RATIO, MIN_DAYS};
use omnify::model::FatigueResponse;

use super::{money_or_dash, platform_label, NoPerformance};
use crate::api::brain::brain_fatigue;
use crate::components::errors::ErrorView;
use crate::components::ui::{Card, Loading};

#[component]
pub fn FatiguePage() -> impl IntoView {
    let fatigue = Resource::new(|| (), |_| brain_fatigue());
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match fatigue.await {
                    Ok(r) if r.creatives.is_empty() => view! { <NoPerformance history_days=r.history_days /> }.into_any(),
                    Ok(r) => view! { <FatigueView r=r /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| fatigue.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn FatigueView(r: FatigueResponse) -> impl IntoView {
    let count = |stage: FatigueStage| r.creatives.iter().filter(|c| c.stage == stage).count();
    let summary = format!(
        "{} creatives over the last {} days: {} fatigued, {} with limited life left, {} fresh, {} too new to judge.",
        r.creatives.len(),
        r.history_days,
        count(FatigueStage::Fatigued),
        count(FatigueStage::Limited),
        count(FatigueStage::Fresh),
        count(FatigueStage::InsufficientData),
    );
    view! {
        <Card title="Creative fatigue (ORACLE)" testid="fatigue">
            <p class="text-sm text-slate-700" data-testid="fatigue-summary">{summary}</p>
            <p class="mt-1 text-xs text-slate-500">
                {format!(
                    "Each creative is compared with its own first days. It is fatigued once its cost per result reaches {FATIGUED_COST_RATIO:.0}× that baseline; creatives with fewer than {MIN_DAYS} active days are too new to judge."
                )}
            </p>
            <div class="mt-4 overflow-x-auto">
                <table class="min-w-full text-left text-sm" data-testid="fatigue-table">
                    <thead class="border-b border-slate-200 text-xs text-slate-500">
                        <tr>
                            <th scope="col" class="py-2 pr-3 font-medium">"Creative"</th>
                            <th scope="col" class="py-2 pr-3 font-medium">"Stage"</th>
                            <th scope="col" class="py-2 pr-3 text-right font-medium">"CTR: first days → now"</th>
                            <th scope="col" class="py-2 pr-3 text-right font-medium">"Cost per result: first days → now"</th>
                            <th scope="col" class="py-2 pr-3 text-right font-medium">"Daily frequency: first days → now"</th>
                            <th scope="col" class="py-2 text-right font-medium">"Fatigued in"</th>
                        </tr>
                    </thead>
                    {r.creatives.into_iter().map(|c| view! { <FatigueRow c=c /> }).collect_view()}
                </table>
            </div>
        </Card>
    }
}

#[component]
fn FatigueRow(c: FatigueAssessment) -> impl IntoView {
    let (label, class) = stage_badge(c.stage);
    let name = display_name(&c.creative_name, &c.creative_id);
    let campaign = display_name(&c.campaign_name, &c.campaign_id);
    let result = match c.result_metric {
        ResultMetric::Conversion => "per conversion",
        ResultMetric::Click => "per click",
    };
    let ctr_change = if c.ctr_decay_pct.is_finite() && c.ctr_decay_pct.abs() >= 0.5 {
        if c.ctr_decay_pct > 0.0 { format!("down {:.0}%", c.ctr_decay_pct) } else { format!("up {:.0}%", -c.ctr_decay_pct) }
    } else {
        "steady".to_string()
    };
    view! {
        <tbody class="border-b border-slate-100" data-testid="fatigue-row" data-stage=stage_key(c.stage)>
            <tr>
                <td class="pt-2 pr-3 align-top">
                    <span class="font-medium text-slate-900" data-testid="fatigue-creative">{name}</span>
                    <span class="block text-xs text-slate-500">
                        {format!("{} · {} · {} active days ({} to {})", platform_label(&c.platform), campaign, c.days, c.first_day, c.last_day)}
                    </span>
                </td>
                <td class="pt-2 pr-3 align-top">
                    <span class=format!("inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium {class}") data-testid="fatigue-stage">
                        {label}
                    </span>
                </td>
                <td class="pt-2 pr-3 text-right align-top tabular-nums" data-testid="fatigue-ctr">
                    {format!("{} → {}", pct(c.baseline_ctr), pct(c.current_ctr))}
                    <span class="block text-xs text-slate-500">{ctr_change}</span>
                </td>
                <td class="pt-2 pr-3 text-right align-top tabular-nums" data-testid="fatigue-cost">
                    {format!("{} → {}", money_or_dash(c.baseline_cost_per_result_cents), money_or_dash(c.current_cost_per_result_cents))}
                    <span class="block text-xs text-slate-500">
                        {match c.cost_ratio {
                            Some(r) => format!("{result} · {r:.2}× baseline"),
                            None => result.to_string(),
                        }}
                    </span>
                </td>
                <td class="pt-2 pr-3 text-right align-top tabular-nums" data-testid="fatigue-frequency">
                    {frequency_text(c.baseline_frequency, c.frequency)}
                </td>
                <td class="pt-2 text-right align-top tabular-nums" data-testid="fatigue-days">
                    {days_until_text(c.stage, c.predicted_days_until_fatigue)}
                </td>
            </tr>
            <tr>
                <td colspan="6" class="pt-1 pb-3">
                    <ul class="list-disc space-y-0.5 pl-5 text-xs text-slate-600" data-testid="fatigue-reasons">
                        {c.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                    </ul>
                    <p class="mt-1 text-sm text-slate-800" data-testid="fatigue-recommendation">
                        <span class="font-medium">"Recommendation: "</span>
                        {c.recommendation}
                    </p>
                </td>
            </tr>
        </tbody>
    }
}

fn stage_key(stage: FatigueStage) -> &'static str {
    match stage {
        FatigueStage::Fresh => "fresh",
        FatigueStage::Limited => "limited",
        FatigueStage::Fatigued => "fatigued",
        FatigueStage::InsufficientData => "insufficient_data",
    }
}

/// The stage's badge text and colours.
fn stage_badge(stage: FatigueStage) -> (&'static str, &'static str) {
    match stage {
        FatigueStage::Fresh => ("Fresh", "bg-emerald-50 text-emerald-800"),
        FatigueStage::Limited => ("Limited life", "bg-amber-50 text-amber-800"),
        FatigueStage::Fatigued => ("Fatigued", "bg-rose-50 text-rose-800"),
        FatigueStage::InsufficientData => ("Insufficient data", "bg-slate-100 text-slate-700"),
    }
}

/// Views per person reached per day, early and lately; a dash when the platform reports no reach.
fn frequency_text(baseline: Option<f64>, current: Option<f64>) -> String {
    let one = |f: Option<f64>| f.map_or_else(|| "—".to_string(), |f| format!("{f:.1}"));
    match (baseline, current) {
        (None, None) => "no reach reported".into(),
        _ => format!("{} → {}", one(baseline), one(current)),
    }
}

/// "now", "about 6 days", or why there is no prediction.
fn days_until_text(stage: FatigueStage, days: Option<f64>) -> String {
    match (stage, days) {
        (FatigueStage::Fatigued, _) => "now".into(),
        (FatigueStage::InsufficientData, _) => "too early to tell".into(),
        (_, Some(d)) if d < 1.0 => "within a day".into(),
        (_, Some(d)) if d < 1.5 => "about 1 day".into(),
        (_, Some(d)) => format!("about {d:.0} days"),
        (_, None) => "no decline to project".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::brain::sample;

    #[test]
    fn renders_every_creative_with_its_stage_on_the_server() {
        let creatives = omnify::brain::fatigue::assess(&sample::rows());
        let n = creatives.len();
        let html = sample::render(move || view! { <FatigueView r=FatigueResponse { creatives, history_days: 90 } /> });
        assert_eq!(html.matches(r#"data-testid="fatigue-row""#).count(), n, "{html}");
        assert!(html.contains(r#"data-testid="fatigue-stage""#) && html.contains(r#"data-testid="fatigue-recommendation""#));
        assert!(html.contains("Meta Ads · Spring sale"), "{html}");
    }

    #[test]
    fn days_until_fatigue_read_naturally() {
        assert_eq!(days_until_text(FatigueStage::Fatigued, Some(0.0)), "now");
        assert_eq!(days_until_text(FatigueStage::Limited, Some(6.4)), "about 6 days");
        assert_eq!(days_until_text(FatigueStage::Limited, Some(1.2)), "about 1 day");
        assert_eq!(days_until_text(FatigueStage::Fresh, None), "no decline to project");
        assert_eq!(days_until_text(FatigueStage::InsufficientData, None), "too early to tell");
    }

    #[test]
    fn every_stage_has_a_badge_and_a_key() {
        assert_eq!(stage_badge(FatigueStage::Fatigued).0, "Fatigued");
        assert_eq!(stage_key(FatigueStage::InsufficientData), "insufficient_data");
    }
}
