//! One campaign: its plan (editable), the AI strategy with CURIOSITY's budget split, the
//! calendar of content slots (each can be written by the AI), and the campaign's content.
//! Generations run as jobs; the page polls while any is queued or running, so a reload
//! mid-generation picks the work up again.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use omnify::model::{CampaignDetailResponse, CalendarSlotDto, StrategyDto};

use super::form::CampaignForm;
use super::{amount, label, platform_names, StatusBadge};
use crate::api::campaigns::{campaign_get, CampaignStrategy};
use crate::api::content::{content_list, ContentGenerate};
use crate::components::errors::{ErrorView, FormAlert};
use crate::components::form::action_error;
use crate::components::ui::{format_timestamp, Card, Loading, PageHeader};

/// How often the page looks again while a generation runs.
const POLL_MS: u64 = 1_200;

#[component]
pub fn CampaignPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let strategy = ServerAction::<CampaignStrategy>::new();
    let generate = ServerAction::<ContentGenerate>::new();
    let tick = RwSignal::new(0u32);
    let data = Resource::new(
        move || (id.get(), strategy.version().get(), generate.version().get(), tick.get()),
        |(id, _, _, _)| campaign_get(id),
    );
    let content = Resource::new(move || (id.get(), data.get().map(|d| d.ok().map(|d| d.campaign.content_count))), |(id, _)| content_list(Some(id), None, None));
    Effect::new(move |_| {
        if let Some(Ok(d)) = data.get() {
            if d.strategy_job.is_some() || !d.pending_content_jobs.is_empty() {
                set_timeout(move || tick.update(|n| *n += 1), std::time::Duration::from_millis(POLL_MS));
            }
        }
    });
    let strategy_error = action_error(strategy);
    let generate_error = action_error(generate);
    view! {
        <Title text="Campaign · OmniFy" />
        <p class="mb-2 text-sm"><a class="link" href="/campaigns">"← Campaigns"</a></p>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <CampaignView d=d strategy=strategy generate=generate strategy_error=strategy_error generate_error=generate_error /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| data.refetch() /> }.into_any(),
                }
            })}
        </Transition>
        <div class="mt-6">
            <Card title="Content" testid="campaign-content">
                <Transition fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        match content.await {
                            Ok(list) if list.content.is_empty() => view! { <p class="text-sm text-slate-600">"No content yet: write a calendar slot with AI, or add pieces on the Content page."</p> }.into_any(),
                            Ok(list) => view! {
                                <ul class="divide-y divide-slate-100">
                                    {list.content.into_iter().map(|c| view! {
                                        <li class="flex items-center justify-between gap-3 py-2 text-sm" data-testid="campaign-piece">
                                            <a class="link min-w-0 truncate" href=format!("/content/{}", c.content_id)>
                                                {format!("{} · {}: ", c.platform.label(), label(&c.format))}
                                                {c.headline.clone().unwrap_or_else(|| c.body.chars().take(80).collect())}
                                            </a>
                                            <span class="flex shrink-0 items-center gap-2">
                                                <span class="text-xs text-slate-500">{c.scheduled_for.clone().unwrap_or_else(|| "unscheduled".into())}</span>
                                                <span class="text-xs tabular-nums text-slate-600">{format!("AIDA {}", c.aida_overall)}</span>
                                                <StatusBadge status=c.status.clone() />
                                            </span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(e) => view! { <ErrorView error=e on_retry=move |_| content.refetch() /> }.into_any(),
                        }
                    })}
                </Transition>
            </Card>
        </div>
    }
}

#[component]
fn CampaignView(
    d: CampaignDetailResponse,
    strategy: ServerAction<CampaignStrategy>,
    generate: ServerAction<ContentGenerate>,
    strategy_error: Signal<Option<crate::error::AppError>>,
    generate_error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let c = d.campaign.clone();
    let writing = d.strategy_job.is_some();
    // Same plan, same strategy request: a double click (or a retried request) is one job.
    let key = format!("strategy:{}:{}:{}", c.campaign_id, c.updated_at, d.strategy.as_ref().map(|s| s.generated_at.clone()).unwrap_or_default());
    let pending = d.pending_content_jobs.len();
    let has_strategy = d.strategy.is_some();
    let campaign_id = c.campaign_id.clone();
    let form_campaign_id = c.campaign_id.clone();
    let edit = c.clone();
    view! {
        <PageHeader title="Campaign" />
        <div class="-mt-4 mb-4 flex flex-wrap items-center gap-3">
            <h2 class="text-xl font-semibold text-slate-900" data-testid="campaign-title">{c.name.clone()}</h2>
            <StatusBadge status=c.status.clone() />
        </div>
        <p class="mb-4 text-sm text-slate-600" data-testid="campaign-summary">
            {format!("{} · budget {} · {} · {}", label(&c.objective), amount(c.budget), match (&c.starts_on, &c.ends_on) { (Some(a), Some(b)) => format!("{a} → {b}"), _ => "no dates".into() }, platform_names(&c.platforms))}
            {c.target_segment.as_ref().map(|s| format!(" · aimed at {} ({} customers)", s.name, s.size))}
        </p>
        <div class="grid gap-6 xl:grid-cols-3">
            <div class="space-y-6 xl:col-span-2">
                <Card title="Strategy" testid="campaign-strategy">
                    <FormAlert error=strategy_error />
                    {d.strategy_error.clone().filter(|_| !writing).map(|e| view! { <p role="alert" class="mb-2 text-sm text-red-700" data-testid="strategy-failed">{format!("The last strategy could not be written: {e}")}</p> })}
                    <div class="mb-3 flex flex-wrap items-center gap-3">
                        <ActionForm action=strategy>
                            <input type="hidden" name="campaign_id" value=form_campaign_id />
                            <input type="hidden" name="request_key" value=key />
                            <button type="submit" class="btn-primary" data-testid="strategy-generate" disabled=move || writing || strategy.pending().get()>
                                {if has_strategy { "Plan again" } else { "Plan the strategy" }}
                            </button>
                        </ActionForm>
                        {writing.then(|| view! { <span class="text-sm text-indigo-700" data-testid="strategy-writing">"Writing the strategy…"</span> })}
                    </div>
                    {match d.strategy.clone() {
                        Some(s) => view! { <StrategyView s=s campaign_id=campaign_id.clone() content_count=c.content_count generate=generate generate_error=generate_error pending=pending content_error=d.content_error.clone().filter(|_| pending == 0) /> }.into_any(),
                        None if !writing => view! { <p class="text-sm text-slate-600" data-testid="strategy-empty">"No strategy yet. It plans the role of each channel, splits the budget by what has worked, sets messaging pillars and a content calendar."</p> }.into_any(),
                        None => ().into_any(),
                    }}
                </Card>
            </div>
            <Card title="Plan" testid="campaign-edit">
                <CampaignForm campaign=Some(edit) />
            </Card>
        </div>
    }
}

#[component]
fn StrategyView(
    s: StrategyDto,
    campaign_id: String,
    content_count: i64,
    generate: ServerAction<ContentGenerate>,
    generate_error: Signal<Option<crate::error::AppError>>,
    pending: usize,
    content_error: Option<String>,
) -> impl IntoView {
    view! {
        <p class="mb-2 text-xs text-slate-500" data-testid="strategy-engine">{format!("Written by {} · {}", s.engine_label, format_timestamp(&s.generated_at))}</p>
        <p class="text-sm text-slate-800" data-testid="strategy-summary">{s.summary.clone()}</p>
        <h3 class="mt-4 text-sm font-semibold text-slate-900">"Channels and budget"</h3>
        <table class="mt-1 min-w-full text-left text-sm" data-testid="strategy-channels">
            <thead class="text-xs text-slate-500"><tr>
                <th scope="col" class="py-1 pr-2">"Platform"</th><th scope="col" class="py-1 pr-2">"Role"</th>
                <th scope="col" class="py-1 pr-2 text-right">"Budget"</th><th scope="col" class="py-1 text-right">"Expected revenue (80% range)"</th>
            </tr></thead>
            <tbody class="divide-y divide-slate-100">
                {s.channels.iter().map(|ch| view! {
                    <tr data-testid="strategy-channel">
                        <td class="py-1 pr-2">{ch.platform.label()}</td>
                        <td class="py-1 pr-2 text-slate-700">{ch.role.clone()}</td>
                        <td class="py-1 pr-2 text-right tabular-nums">{format!("{} ({:.0}%)", amount(ch.budget), ch.share * 100.0)}</td>
                        <td class="py-1 text-right tabular-nums text-slate-700">{match (ch.expected, ch.low, ch.high) {
                            (Some(e), Some(l), Some(h)) => format!("{} ({}–{}){}", amount(e), amount(l), amount(h), if ch.low_confidence { " · low confidence" } else { "" }),
                            _ => "no history yet".into(),
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <p class="mt-1 text-xs text-slate-500" data-testid="strategy-budget-basis">{s.budget_basis.clone()}</p>
        <ul class="text-xs text-slate-500">{s.budget_notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
        <h3 class="mt-4 text-sm font-semibold text-slate-900">"Messaging pillars"</h3>
        <ul class="mt-1 space-y-1 text-sm" data-testid="strategy-pillars">
            {s.pillars.iter().map(|p| view! {
                <li><span class="font-medium">{p.title.clone()}</span>": "{p.message.clone()}
                    {p.proof_point.clone().map(|pp| view! { <span class="text-slate-500">{format!(" (proof: {pp})")}</span> })}
                </li>
            }).collect_view()}
        </ul>
        <h3 class="mt-4 text-sm font-semibold text-slate-900">"KPIs"</h3>
        <ul class="mt-1 text-sm text-slate-700">{s.kpis.iter().map(|k| view! { <li>{format!("{}: {}", k.name, k.target)}</li> }).collect_view()}</ul>
        {(!s.risks.is_empty()).then(|| view! {
            <h3 class="mt-4 text-sm font-semibold text-slate-900">"Risks"</h3>
            <ul class="mt-1 list-disc pl-5 text-sm text-slate-700">{s.risks.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
        })}
        <h3 class="mt-4 text-sm font-semibold text-slate-900">"Content calendar"</h3>
        <FormAlert error=generate_error />
        {content_error.map(|e| view! { <p role="alert" class="text-sm text-red-700" data-testid="content-failed">{format!("The last piece could not be written: {e}")}</p> })}
        {(pending > 0).then(|| view! { <p class="text-sm text-indigo-700" data-testid="content-writing">{format!("Writing {pending} piece(s)…")}</p> })}
        <ul class="mt-1 divide-y divide-slate-100" data-testid="strategy-calendar">
            {s.calendar.iter().enumerate().map(|(i, slot)| view! { <SlotRow entry=slot.clone() index=i campaign_id=campaign_id.clone() content_count=content_count generate=generate /> }).collect_view()}
        </ul>
    }
}

#[component]
fn SlotRow(entry: CalendarSlotDto, index: usize, campaign_id: String, content_count: i64, generate: ServerAction<ContentGenerate>) -> impl IntoView {
    let slot = entry;
    let brief = match &slot.pillar {
        Some(p) if !slot.topic.starts_with(p.as_str()) => format!("{} ({p})", slot.topic),
        _ => slot.topic.clone(),
    };
    let key = format!("slot:{campaign_id}:{index}:{}:{content_count}", slot.date);
    view! {
        <li class="flex flex-wrap items-center justify-between gap-2 py-1.5 text-sm" data-testid="calendar-slot">
            <span class="min-w-0">
                <span class="tabular-nums text-slate-500">{slot.date.clone()}</span>
                {format!(" · {} {} · ", slot.platform.label(), label(&slot.format))}
                <span class="text-slate-800">{slot.topic.clone()}</span>
            </span>
            <ActionForm action=generate>
                <input type="hidden" name="campaign_id" value=campaign_id.clone() />
                <input type="hidden" name="platform" value=slot.platform.as_str() />
                <input type="hidden" name="format" value=slot.format.clone() />
                <input type="hidden" name="brief" value=brief />
                <input type="hidden" name="scheduled_for" value=slot.date.clone() />
                <input type="hidden" name="request_key" value=key />
                <button type="submit" class="btn-secondary text-xs" data-testid="slot-write" disabled=move || generate.pending().get()>"Write it"</button>
            </ActionForm>
        </li>
    }
}
