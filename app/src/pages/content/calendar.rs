//! The content calendar: pieces by their scheduled day, a month or a week at a time
//! (`?view=week&date=2026-03-02`), unscheduled pieces below, and a form to have the AI write a
//! new piece. While generations run the page polls, so a reload mid-generation shows the new
//! piece when it is ready.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use omnify::brain::channels::ContentPlatform;
use omnify::brain::daily::{civil_from_days, days_from_civil, format_day, parse_day, week_start};
use omnify::model::{ContentDto, ContentListResponse};

use crate::api::campaigns::campaigns_list;
use crate::api::content::{content_list, ContentGenerate};
use crate::components::errors::{ErrorView, FormAlert};
use crate::components::form::action_error;
use crate::components::ui::{Card, Loading, PageHeader};
use crate::pages::campaigns::{label, StatusBadge};

const POLL_MS: u64 = 1_200;
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

#[component]
pub fn ContentPage() -> impl IntoView {
    let query = use_query_map();
    let view_kind = Memo::new(move |_| if query.read().get("view").as_deref() == Some("week") { "week" } else { "month" });
    let anchor = Memo::new(move |_| query.read().get("date").filter(|d| parse_day(d).is_some()));
    let generate = ServerAction::<ContentGenerate>::new();
    let tick = RwSignal::new(0u32);
    let data = Resource::new(move || (generate.version().get(), tick.get()), |_| content_list(None, None, None));
    Effect::new(move |_| {
        if let Some(Ok(d)) = data.get() {
            if !d.pending_jobs.is_empty() {
                set_timeout(move || tick.update(|n| *n += 1), std::time::Duration::from_millis(POLL_MS));
            }
        }
    });
    view! {
        <Title text="Content · OmniFy" />
        <PageHeader title="Content" subtitle="Every piece on its day. Open one to edit it with its live AIDA score and move it through review." />
        <div class="grid gap-6 xl:grid-cols-4">
            <div class="xl:col-span-3">
                <Transition fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Ok(d) => {
                                let day = anchor.get().and_then(|a| parse_day(&a)).or_else(|| parse_day(&d.today)).unwrap_or(0);
                                view! { <Calendar d=d anchor=day kind=view_kind.get() /> }.into_any()
                            }
                            Err(e) => view! { <ErrorView error=e on_retry=move |_| data.refetch() /> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
            <Card title="Write with AI" testid="content-generate">
                <GenerateForm generate=generate />
            </Card>
        </div>
    }
}

#[component]
fn Calendar(d: ContentListResponse, anchor: i64, kind: &'static str) -> impl IntoView {
    let (start, end, title, prev, next) = if kind == "week" {
        let start = week_start(anchor);
        (start, start + 6, format!("Week of {}", format_day(start)), format_day(start - 7), format_day(start + 7))
    } else {
        let (y, m, _) = civil_from_days(anchor);
        let first = days_from_civil(y, m, 1);
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        let (py, pm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
        let last = days_from_civil(ny, nm, 1) - 1;
        (week_start(first), week_start(last) + 6, month_title(y, m), format_day(days_from_civil(py, pm, 1)), format_day(days_from_civil(ny, nm, 1)))
    };
    let month = civil_from_days(anchor).1;
    let cells: Vec<(i64, Vec<ContentDto>)> = (start..=end)
        .map(|day| (day, d.content.iter().filter(|c| c.scheduled_for.as_deref().and_then(parse_day) == Some(day)).cloned().collect()))
        .collect();
    let unscheduled: Vec<ContentDto> = d.content.iter().filter(|c| c.scheduled_for.is_none()).cloned().collect();
    let today = parse_day(&d.today);
    let other = if kind == "week" { "month" } else { "week" };
    let anchor_day = format_day(anchor);
    view! {
        <Card testid="content-calendar">
            <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
                <h2 class="text-base font-semibold text-slate-900" data-testid="calendar-title">{title}</h2>
                <nav class="flex items-center gap-1 text-sm" aria-label="Calendar">
                    <a class="btn-secondary" href=format!("/content?view={kind}&date={prev}") data-testid="calendar-prev">"← Previous"</a>
                    <a class="btn-secondary" href=format!("/content?view={kind}") data-testid="calendar-today">"Today"</a>
                    <a class="btn-secondary" href=format!("/content?view={kind}&date={next}") data-testid="calendar-next">"Next →"</a>
                    <a class="btn-secondary" href=format!("/content?view={other}&date={anchor_day}") data-testid=format!("calendar-{other}")>{format!("{} view", label(other))}</a>
                </nav>
            </div>
            {(!d.pending_jobs.is_empty()).then(|| view! { <p class="mb-2 text-sm text-indigo-700" data-testid="content-writing">{format!("Writing {} piece(s)…", d.pending_jobs.len())}</p> })}
            {d.last_error.clone().filter(|_| d.pending_jobs.is_empty()).map(|e| view! { <p role="alert" class="mb-2 text-sm text-red-700" data-testid="content-failed">{format!("The last piece could not be written: {e}")}</p> })}
            <div class="grid grid-cols-7 gap-px overflow-hidden rounded border border-slate-200 bg-slate-200 text-xs" data-testid=format!("calendar-{kind}")>
                {WEEKDAYS.iter().map(|w| view! { <div class="bg-slate-50 px-2 py-1 font-medium text-slate-600">{*w}</div> }).collect_view()}
                {cells.into_iter().map(|(day, pieces)| {
                    let (_, m, dom) = civil_from_days(day);
                    let muted = kind == "month" && m != month;
                    let is_today = Some(day) == today;
                    let height = if kind == "week" { "min-h-48" } else { "min-h-24" };
                    view! {
                        <div class=format!("{height} bg-white p-1 {}", if muted { "opacity-50" } else { "" }) data-testid="calendar-day" data-day=format_day(day)>
                            <div class=if is_today { "mb-1 font-semibold text-indigo-700" } else { "mb-1 text-slate-500" }>{dom}</div>
                            {pieces.into_iter().map(|c| view! { <PieceChip c=c detailed=kind == "week" /> }).collect_view()}
                        </div>
                    }
                }).collect_view()}
            </div>
            {(!unscheduled.is_empty()).then(|| view! {
                <h3 class="mt-4 text-sm font-semibold text-slate-900">"Not scheduled yet"</h3>
                <div class="mt-1 flex flex-wrap gap-2" data-testid="content-unscheduled">
                    {unscheduled.into_iter().map(|c| view! { <PieceChip c=c detailed=true /> }).collect_view()}
                </div>
            })}
        </Card>
    }
}

#[component]
fn PieceChip(c: ContentDto, detailed: bool) -> impl IntoView {
    let text = c.headline.clone().unwrap_or_else(|| c.body.clone());
    let snippet: String = text.chars().take(if detailed { 90 } else { 28 }).collect();
    view! {
        <a href=format!("/content/{}", c.content_id) class="mb-1 block rounded border border-slate-200 bg-slate-50 px-1.5 py-1 hover:border-indigo-300" data-testid="content-chip">
            <span class="font-medium text-slate-800">{c.platform.label()}</span>
            <span class="text-slate-500">{format!(" · AIDA {}", c.aida_overall)}</span>
            <span class="block truncate text-slate-700">{snippet}</span>
            {detailed.then(|| view! { <StatusBadge status=c.status.clone() /> })}
        </a>
    }
}

fn month_title(year: i64, month: u32) -> String {
    const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    format!("{} {year}", MONTHS[(month as usize + 11) % 12])
}

#[component]
fn GenerateForm(generate: ServerAction<ContentGenerate>) -> impl IntoView {
    let error = action_error(generate);
    let campaigns = Resource::new(|| (), |_| campaigns_list());
    // A new key per successful submission: a double click is one job, the next brief a new one.
    let key = move || format!("content:{}", generate.version().get());
    view! {
        <ActionForm action=generate attr:class="space-y-3">
            <FormAlert error=error fields=&["brief"] />
            {move || generate.value().get().and_then(Result::ok).map(|_| view! { <p class="text-sm text-emerald-700" data-testid="content-queued">"Writing it now; it appears in the calendar when ready."</p> })}
            <input type="hidden" name="request_key" value=key />
            <div class="space-y-1">
                <label for="gen-platform" class="block text-sm font-medium text-slate-700">"Platform"</label>
                <select id="gen-platform" name="platform" class="input" data-testid="gen-platform">
                    {ContentPlatform::ALL.iter().map(|p| view! { <option value=p.as_str()>{p.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="space-y-1">
                <label for="gen-format" class="block text-sm font-medium text-slate-700">"Format"</label>
                <select id="gen-format" name="format" class="input" data-testid="gen-format">
                    {omnify::model::CONTENT_FORMATS.iter().map(|f| view! { <option value=*f>{label(f)}</option> }).collect_view()}
                </select>
            </div>
            <div class="space-y-1">
                <label for="gen-campaign" class="block text-sm font-medium text-slate-700">"Campaign"</label>
                <Transition fallback=|| view! { <select class="input" disabled=true><option>"Loading…"</option></select> }>
                    {move || Suspend::new(async move {
                        let list = campaigns.await.map(|c| c.campaigns).unwrap_or_default();
                        view! {
                            <select id="gen-campaign" name="campaign_id" class="input">
                                <option value="">"None"</option>
                                {list.into_iter().map(|c| view! { <option value=c.campaign_id.clone()>{c.name.clone()}</option> }).collect_view()}
                            </select>
                        }
                    })}
                </Transition>
            </div>
            <div class="space-y-1">
                <label for="gen-date" class="block text-sm font-medium text-slate-700">"Day (optional)"</label>
                <input id="gen-date" type="date" name="scheduled_for" class="input" />
            </div>
            <div class="space-y-1">
                <label for="gen-brief" class="block text-sm font-medium text-slate-700">"Brief"</label>
                <textarea id="gen-brief" name="brief" rows="4" class="input" required=true data-testid="gen-brief" placeholder="What should it say? The offer, the product, the angle."></textarea>
                {move || error.get().filter(|e| e.field() == Some("brief")).map(|e| view! { <p class="text-sm text-red-700">{e.message().to_string()}</p> })}
            </div>
            <button type="submit" class="btn-primary" data-testid="gen-submit" disabled=move || generate.pending().get()>"Write it"</button>
        </ActionForm>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_titles_name_the_month() {
        assert_eq!(month_title(2026, 3), "March 2026");
        assert_eq!(month_title(2026, 12), "December 2026");
        assert_eq!(month_title(2027, 1), "January 2027");
    }
}
