//! EYES: the organization's customer segments with their evidence, churn risk per horizon,
//! lifetime value, model quality and cross-channel behaviour. The horizon is a query parameter
//! (`?h=60d`), so every view is a plain link and works before the page hydrates.

mod charts;
mod segment;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use omnify::model::{
    AlgorithmScoreDto, CrossPlatformPatternsResponse, ModelPerformanceResponse, SegmentDto, SegmentsResponse,
};

pub use segment::SegmentPage;

use crate::api::eyes::{eyes_model_performance, eyes_patterns, eyes_segments, EyesAnalyze};
use crate::components::errors::{ErrorView, FormAlert};
use crate::components::form::action_error;
use crate::components::ui::{format_timestamp, group, Card, Loading, PageHeader};
use crate::pages::customers::money;
use charts::{ClvChart, ProjectionChart, RiskChart, RocChart, SizesChart};

const HORIZONS: [&str; 3] = ["30d", "60d", "90d"];

#[component]
pub fn EyesPage() -> impl IntoView {
    let query = use_query_map();
    let horizon = Memo::new(move |_| {
        let h = query.read().get("h").unwrap_or_default();
        if HORIZONS.contains(&h.as_str()) { h } else { "30d".to_string() }
    });
    let analyze = ServerAction::<EyesAnalyze>::new();
    let refresh = RwSignal::new(0u32);
    let segments = Resource::new(
        move || (horizon.get(), analyze.version().get(), refresh.get()),
        |(h, _, _)| eyes_segments(h),
    );
    // Bumped when a running analysis finishes, so the model and pattern views load its results.
    let finished = RwSignal::new(0u32);
    let performance = Resource::new(move || finished.get(), |_| eyes_model_performance());
    let patterns = Resource::new(move || finished.get(), |_| eyes_patterns());
    let analyze_error = action_error(analyze);

    // While an analysis runs, look again every 1.5 s (browser only).
    let was_running = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(Ok(s)) = segments.get() else { return };
        if s.analysis_in_progress {
            set_timeout(move || refresh.update(|n| *n += 1), std::time::Duration::from_millis(1500));
        } else if was_running.get_value() {
            finished.update(|n| *n += 1);
        }
        was_running.set_value(s.analysis_in_progress);
    });

    view! {
        <Title text="EYES · OmniFy" />
        <PageHeader title="EYES" subtitle="Who your customers are, who is about to leave, and what each is worth — with the evidence." />
        <div class="mb-4"><FormAlert error=analyze_error /></div>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match segments.await {
                    Ok(s) => view! { <EyesView s=s analyze=analyze /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| segments.refetch() /> }.into_any(),
                }
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match performance.await {
                    Ok(p) if p.run.is_some() => view! { <ModelQuality p=p /> }.into_any(),
                    Ok(_) => ().into_any(),
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| performance.refetch() /> }.into_any(),
                }
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match patterns.await {
                    Ok(p) if p.run.is_some() => view! { <Patterns p=p /> }.into_any(),
                    Ok(_) => ().into_any(),
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| patterns.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EyesView(s: SegmentsResponse, analyze: ServerAction<EyesAnalyze>) -> impl IntoView {
    let status = match (&s.run, s.analysis_in_progress) {
        (_, true) => view! { <p class="text-sm text-indigo-700" data-testid="eyes-running">"Analysis running…"</p> }.into_any(),
        (Some(run), false) => view! {
            <p class="text-sm text-slate-600" data-testid="eyes-computed">
                "Last computed " {format_timestamp(run.finished_at.as_deref().unwrap_or(&run.started_at))}
                " on " {group(run.customers)} " customers, data as of " {format_timestamp(&run.cutoff)}
                {s.stale.then_some(" · new data has arrived since")}
            </p>
        }
        .into_any(),
        (None, false) => view! { <p class="text-sm text-slate-600" data-testid="eyes-empty">"No analysis yet. It runs by itself after each import; you can also start one now."</p> }.into_any(),
    };
    let horizon = s.horizon.as_str();
    let button = if s.run.is_some() { "Re-run analysis" } else { "Run analysis" };
    let results = s.run.is_some().then(|| view! { <Results s=s /> });
    view! {
        <Card testid="eyes-status">
            <div class="flex flex-wrap items-center justify-between gap-3">
                {status}
                <div class="flex items-center gap-3">
                    <nav class="flex gap-1 text-sm" aria-label="Churn horizon">
                        {HORIZONS.iter().map(|h| {
                            let class = if *h == horizon { "rounded bg-indigo-600 px-2 py-1 text-white" } else { "rounded px-2 py-1 text-slate-700 hover:bg-slate-100" };
                            view! { <a href=format!("/eyes?h={h}") class=class aria-current=(*h == horizon).then_some("page")>{*h}</a> }
                        }).collect_view()}
                    </nav>
                    <ActionForm action=analyze>
                        <button type="submit" class="btn-primary" data-testid="eyes-analyze" disabled=move || analyze.pending().get()>
                            {button}
                        </button>
                    </ActionForm>
                </div>
            </div>
        </Card>
        {results}
    }
}

#[component]
fn Results(s: SegmentsResponse) -> impl IntoView {
    let quality = s.winner.clone();
    let segments = s.segments.clone();
    let charts = (!segments.is_empty()).then(|| {
        let (a, b, c) = (segments.clone(), segments.clone(), segments.clone());
        let projection = s.projection.clone();
        view! {
            <div class="grid gap-6 lg:grid-cols-2">
                <Card title="Segment sizes" testid="eyes-sizes"><SizesChart segments=a /></Card>
                <Card title="Customers in two dimensions" testid="eyes-projection"><ProjectionChart points=projection segments=b /></Card>
            </div>
            <div class="grid gap-4 md:grid-cols-2" data-testid="eyes-segments">
                {c.into_iter().map(|seg| view! { <SegmentCard seg=seg /> }).collect_view()}
            </div>
        }
    });
    let found = format!("{} segments found", segments.len());
    view! {
        <div class="mt-6 space-y-6">
            <Card title="Segment quality" testid="eyes-quality">
                <p class="text-sm" data-testid="eyes-verdict">
                    {if s.structure_found {
                        view! { <span class="font-medium text-emerald-700">{found}</span> }.into_any()
                    } else {
                        view! { <span class="font-medium text-amber-700">"No clear segment structure"</span> }.into_any()
                    }}
                    {quality.map(|w| format!(
                        " — {} (k = {}), silhouette {} against {} on shuffled data; the quality gate is {:.2}.",
                        w.algorithm, w.k, fmt3(w.silhouette), fmt3(w.baseline_silhouette), s.quality_gate
                    ))}
                    {(!s.structure_found).then(|| format!(" {}", s.message))}
                </p>
                <AlgorithmTable algorithms=s.algorithms.clone() />
            </Card>
            {charts}
            <div class="grid gap-6 lg:grid-cols-2">
                <Card title="Churn risk" testid="eyes-churn">
                    {match s.churn.clone() {
                        Some(c) if c.error.is_none() => view! {
                            <p class="mb-2 text-sm text-slate-700" data-testid="eyes-churn-summary">
                                {format!("{} customers at high risk, {} medium, {} low within {}.", group(c.levels.high as i64), group(c.levels.medium as i64), group(c.levels.low as i64), c.horizon.as_str())}
                                {format!(" Model: {} (held-out AUC {}{}).", c.best_model.unwrap_or_default(), fmt3(c.auc), if c.target_met { ", target 0.70 met" } else { ", below the 0.70 target" })}
                            </p>
                            <RiskChart histogram=c.risk_histogram />
                        }.into_any(),
                        Some(c) => view! { <p class="text-sm text-slate-600">{format!("No churn model for {}: {}", c.horizon.as_str(), c.error.unwrap_or_default())}</p> }.into_any(),
                        None => view! { <p class="text-sm text-slate-600">"No churn model."</p> }.into_any(),
                    }}
                </Card>
                <Card title="Lifetime value (next 365 days)" testid="eyes-clv">
                    <p class="mb-2 text-sm text-slate-700">{format!("Expected from all customers: {}", money(s.total_clv_cents.round() as i64, "USD"))}</p>
                    <ClvChart bands=s.clv_histogram.clone() />
                </Card>
            </div>
        </div>
    }
}

#[component]
fn AlgorithmTable(algorithms: Vec<AlgorithmScoreDto>) -> impl IntoView {
    view! {
        <table class="mt-3 min-w-full text-left text-xs" data-testid="eyes-algorithms">
            <thead class="text-slate-500">
                <tr>
                    <th scope="col" class="py-1 pr-2">"Algorithm"</th><th scope="col" class="py-1 pr-2 text-right">"k"</th>
                    <th scope="col" class="py-1 pr-2 text-right">"Silhouette (95% CI)"</th><th scope="col" class="py-1 pr-2 text-right">"Shuffled"</th>
                    <th scope="col" class="py-1 pr-2 text-right">"Noise"</th><th scope="col" class="py-1">"Verdict"</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {algorithms.into_iter().map(|a| view! {
                    <tr data-testid="eyes-algorithm">
                        <td class="py-1 pr-2">{a.algorithm.clone()}</td>
                        <td class="py-1 pr-2 text-right tabular-nums">{a.k}</td>
                        <td class="py-1 pr-2 text-right tabular-nums">{format!("{} ({}–{})", fmt3(a.silhouette), fmt3(a.ci_low), fmt3(a.ci_high))}</td>
                        <td class="py-1 pr-2 text-right tabular-nums">{fmt3(a.baseline_silhouette)}</td>
                        <td class="py-1 pr-2 text-right tabular-nums">{a.noise_count}</td>
                        <td class="py-1">{if a.passes_gate { "passes".to_string() } else { a.note.clone().unwrap_or_else(|| "below the gate".into()) }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn SegmentCard(seg: SegmentDto) -> impl IntoView {
    let total = (seg.churn_mix.high + seg.churn_mix.medium + seg.churn_mix.low).max(1) as f64;
    let pct = move |n: u64| n as f64 / total * 100.0;
    let href = format!("/eyes/segments/{}", seg.segment_id);
    view! {
        <Card testid="eyes-segment">
            <div class="flex items-baseline justify-between gap-2">
                <h3 class="text-base font-semibold text-slate-900" data-testid="eyes-segment-name">{seg.name.clone()}</h3>
                <span class="text-sm text-slate-600">{format!("{} customers · {:.0}%", group(seg.size as i64), seg.share * 100.0)}</span>
            </div>
            <p class="mt-1 text-sm text-slate-600">{format!("{:.0}% of revenue · mean lifetime value {} · P(alive) {:.0}%", seg.revenue_share * 100.0, money(seg.mean_clv_cents.round() as i64, "USD"), seg.mean_p_alive * 100.0)}</p>
            <ul class="mt-2 space-y-0.5 text-sm text-slate-700" data-testid="eyes-segment-evidence">
                {seg.distinguishing_features.iter().map(|f| view! {
                    <li>{format!("{} {} than the rest: {} vs {} (effect size {:.1})", f.label, f.direction, unit_value(f.segment_mean, &f.unit), unit_value(f.rest_mean, &f.unit), f.effect_size.abs())}</li>
                }).collect_view()}
            </ul>
            <div class="mt-3 flex h-2 w-full overflow-hidden rounded bg-slate-100" role="img" aria-label=format!("Churn risk: {:.0}% high, {:.0}% medium, {:.0}% low", pct(seg.churn_mix.high), pct(seg.churn_mix.medium), pct(seg.churn_mix.low))>
                <span class="bg-rose-500" style=format!("width: {:.1}%", pct(seg.churn_mix.high))></span>
                <span class="bg-amber-400" style=format!("width: {:.1}%", pct(seg.churn_mix.medium))></span>
                <span class="bg-emerald-500" style=format!("width: {:.1}%", pct(seg.churn_mix.low))></span>
            </div>
            <p class="mt-1 text-xs text-slate-500">{format!("Churn risk: {:.0}% high · {:.0}% medium · {:.0}% low", pct(seg.churn_mix.high), pct(seg.churn_mix.medium), pct(seg.churn_mix.low))}</p>
            <p class="mt-2 text-xs text-slate-500">"For example: "
                {seg.sample_members.iter().map(|m| view! {
                    <a class="link mr-2" href=format!("/customers/{}", m.customer_id)>{m.name.clone().unwrap_or_else(|| m.customer_id.chars().take(8).collect())}</a>
                }).collect_view()}
            </p>
            <a class="link mt-2 inline-block text-sm" href=href data-testid="eyes-segment-link">"Customers and retention campaign →"</a>
        </Card>
    }
}

#[component]
fn ModelQuality(p: ModelPerformanceResponse) -> impl IntoView {
    let curves: Vec<Vec<(f64, f64)>> = p
        .horizons
        .iter()
        .filter_map(|h| h.models.iter().find(|m| Some(&m.model) == h.best_model.as_ref()))
        .map(|m| m.roc.iter().map(|r| (r.fpr, r.tpr)).collect())
        .collect();
    let names: Vec<String> = p.horizons.iter().map(|h| h.horizon.as_str().to_string()).collect();
    let mut rows: Vec<AnyView> = Vec::new();
    for h in &p.horizons {
        let hz = h.horizon.as_str();
        for m in &h.models {
            let star = (Some(&m.model) == h.best_model.as_ref()).then_some(" ★");
            rows.push(view! {
                <tr data-testid="eyes-model-row">
                    <td class="py-1 pr-2">{hz}</td>
                    <td class="py-1 pr-2">{m.model.clone()}{star}</td>
                    <td class="py-1 pr-2 text-right tabular-nums">{fmt3(m.auc)}</td>
                    <td class="py-1 pr-2 text-right tabular-nums">{format!("{:.2}", m.precision)}</td>
                    <td class="py-1 pr-2 text-right tabular-nums">{format!("{:.2}", m.recall)}</td>
                    <td class="py-1 text-right tabular-nums">{format!("{:.2}", m.f1)}</td>
                </tr>
            }.into_any());
        }
        for b in &h.baselines {
            rows.push(view! {
                <tr class="text-slate-500">
                    <td class="py-1 pr-2">{hz}</td>
                    <td class="py-1 pr-2">{format!("baseline: {}", b.name)}</td>
                    <td class="py-1 pr-2 text-right tabular-nums">{fmt3(b.auc)}</td>
                    <td colspan="3" class="py-1 text-right">{b.detail.clone()}</td>
                </tr>
            }.into_any());
        }
        if let Some(e) = h.error.clone() {
            rows.push(view! { <tr><td class="py-1 pr-2">{hz}</td><td colspan="5" class="py-1 text-slate-600">{e}</td></tr> }.into_any());
        }
    }
    view! {
        <div class="mt-6 grid gap-6 lg:grid-cols-2">
            <Card title="Churn models on a held-out later window" testid="eyes-models">
                <table class="min-w-full text-left text-xs">
                    <thead class="text-slate-500">
                        <tr><th scope="col" class="py-1 pr-2">"Horizon"</th><th scope="col" class="py-1 pr-2">"Model"</th><th scope="col" class="py-1 pr-2 text-right">"AUC"</th><th scope="col" class="py-1 pr-2 text-right">"Precision"</th><th scope="col" class="py-1 pr-2 text-right">"Recall"</th><th scope="col" class="py-1 text-right">"F1"</th></tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {rows}
                    </tbody>
                </table>
                {p.lifetime_value.as_ref().and_then(|l| l.bgnbd.zip(l.gamma_gamma)).map(|(bg, gg)| view! {
                    <p class="mt-3 text-xs text-slate-500">{format!("Lifetime value: BG/NBD r = {:.3}, α = {:.2}, a = {:.3}, b = {:.3}; Gamma-Gamma p = {:.2}, q = {:.2}, v = {:.1}", bg[0], bg[1], bg[2], bg[3], gg[0], gg[1], gg[2])}</p>
                })}
            </Card>
            <Card title="ROC curves (best model per horizon)" testid="eyes-roc">
                <RocChart curves=curves names=names />
                <h3 class="mt-4 text-sm font-medium text-slate-700">"History"</h3>
                <table class="mt-1 min-w-full text-left text-xs" data-testid="eyes-history">
                    <thead class="text-slate-500"><tr><th scope="col" class="py-1 pr-2">"Run"</th><th scope="col" class="py-1 pr-2 text-right">"Silhouette"</th><th scope="col" class="py-1 pr-2 text-right">"AUC 30d"</th><th scope="col" class="py-1 pr-2 text-right">"60d"</th><th scope="col" class="py-1 text-right">"90d"</th></tr></thead>
                    <tbody class="divide-y divide-slate-100">
                        {p.history.iter().take(10).map(|r| view! {
                            <tr>
                                <td class="py-1 pr-2">{format_timestamp(&r.started_at)}{(r.status != "completed").then(|| format!(" ({})", r.status))}</td>
                                <td class="py-1 pr-2 text-right tabular-nums">{fmt3(r.silhouette)}</td>
                                <td class="py-1 pr-2 text-right tabular-nums">{fmt3(r.auc[0])}</td>
                                <td class="py-1 pr-2 text-right tabular-nums">{fmt3(r.auc[1])}</td>
                                <td class="py-1 text-right tabular-nums">{fmt3(r.auc[2])}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </Card>
        </div>
    }
}

#[component]
fn Patterns(p: CrossPlatformPatternsResponse) -> impl IntoView {
    view! {
        <div class="mt-6">
            <Card title="Across channels" testid="eyes-patterns">
                <p class="text-sm text-slate-700">{format!("{:.0}% of customers with channel activity use more than one channel ({} of {}).", p.multi_channel_share * 100.0, group(p.multi_channel_customers as i64), group(p.customers_with_channels as i64))}</p>
                <div class="mt-3 grid gap-6 md:grid-cols-2">
                    <div>
                        <h3 class="text-sm font-medium text-slate-700">"Most common switches"</h3>
                        <ul class="mt-1 space-y-0.5 text-sm text-slate-600">
                            {p.switches.iter().map(|s| view! { <li>{format!("{} → {}: {}", s.from, s.to, group(s.count as i64))}</li> }).collect_view()}
                        </ul>
                    </div>
                    <div>
                        <h3 class="text-sm font-medium text-slate-700">"Top journeys"</h3>
                        <ul class="mt-1 space-y-0.5 text-sm text-slate-600" data-testid="eyes-journeys">
                            {p.journeys.iter().map(|j| view! { <li>{format!("{}: {} customers, {:.0}% bought", j.steps.join(" → "), group(j.customers as i64), j.purchasers as f64 / j.customers.max(1) as f64 * 100.0)}</li> }).collect_view()}
                        </ul>
                    </div>
                </div>
            </Card>
        </div>
    }
}

fn fmt3(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "–".into())
}

/// A feature value in its unit: money as dollars, days and counts rounded sensibly.
pub(crate) fn unit_value(v: f64, unit: &str) -> String {
    match unit {
        "$" => money((v * 100.0).round() as i64, "USD"),
        "days" => format!("{v:.0} days"),
        "" => format!("{v:.2}"),
        u if u.starts_with("score") => format!("{v:.2}"),
        u => format!("{v:.1} {u}"),
    }
}
