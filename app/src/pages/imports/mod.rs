//! Imports: choose what a file holds, drop it in, check the preview and the column mapping,
//! then watch it stream in (rows and rows per second) and read the summary with its error
//! report. The browser sends the file itself to `POST /api/ingest/{kind}`, unbuffered.

mod upload;

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use omnify::model::{ImportDto, ImportKind, ImportPreview, ImportStatus};

use crate::api::imports::list_imports;
use crate::components::errors::{user_message, ErrorView};
use crate::components::ui::{format_timestamp, group, Card, Loading, PageHeader};
use crate::error::AppError;

/// Where an upload stands, for the progress panel.
#[derive(Clone, Debug, PartialEq)]
pub enum Stage {
    Idle,
    Previewing,
    Ready(ImportPreview),
    Uploading { import_id: String, rows: i64, rate: f64, estimated_rows: i64 },
    Done(ImportDto),
    Failed(String),
}

#[component]
pub fn ImportsPage() -> impl IntoView {
    let kind = RwSignal::new(ImportKind::Customers);
    let file_name = RwSignal::new(String::new());
    let stage = RwSignal::new(Stage::Idle);
    let mapping = RwSignal::new(BTreeMap::<String, String>::new());
    let recent = Resource::new(
        move || matches!(stage.get(), Stage::Done(_) | Stage::Failed(_)),
        |_| list_imports(),
    );
    let picker = upload::FilePicker::new(kind, file_name, stage, mapping);

    view! {
        <Title text="Imports · OmniFy" />
        <PageHeader title="Imports" subtitle="Bring in customers, orders, events or campaign performance from CSV or NDJSON files." />
        <div class="grid gap-6">
            <Card title="New import" testid="import-card">
                <noscript>
                    <p class="mb-3 text-sm text-amber-800">"Uploading a file needs JavaScript. The API takes files too: POST /api/ingest/{kind}."</p>
                </noscript>
                <div class="grid gap-4">
                    <div>
                        <label for="import-kind" class="block text-sm font-medium text-slate-700">"The file holds"</label>
                        <select
                            id="import-kind"
                            class="input mt-1"
                            data-testid="import-kind"
                            on:change=move |ev| {
                                if let Some(k) = ImportKind::parse(&event_target_value(&ev)) {
                                    kind.set(k);
                                    picker.refresh_preview();
                                }
                            }
                        >
                            {ImportKind::ALL.iter().map(|k| view! {
                                <option value=k.as_str() selected=move || kind.get() == *k>{kind_label(*k)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <upload::DropZone picker=picker file_name=file_name />
                    {move || match stage.get() {
                        Stage::Idle => ().into_any(),
                        Stage::Previewing => view! { <Loading label="Reading the file…" /> }.into_any(),
                        Stage::Ready(p) => view! { <MappingForm preview=p kind=kind.get() mapping=mapping picker=picker /> }.into_any(),
                        Stage::Uploading { rows, rate, estimated_rows, .. } => view! { <Progress rows rate estimated_rows /> }.into_any(),
                        Stage::Done(dto) => view! { <Summary dto=dto /> }.into_any(),
                        Stage::Failed(message) => view! {
                            <div role="alert" data-testid="import-failed" class="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">{message}</div>
                        }.into_any(),
                    }}
                </div>
            </Card>
            <Card title="Recent imports" testid="recent-imports">
                <Transition fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        match recent.await {
                            Ok(list) => view! { <RecentImports list=list /> }.into_any(),
                            Err(e) => view! { <ErrorView error=e on_retry=move |_| recent.refetch() /> }.into_any(),
                        }
                    })}
                </Transition>
            </Card>
        </div>
    }
}

pub fn kind_label(k: ImportKind) -> &'static str {
    match k {
        ImportKind::Customers => "Customers",
        ImportKind::Orders => "Orders",
        ImportKind::Events => "Events (opens, clicks, visits, purchases…)",
        ImportKind::Performance => "Campaign performance (daily)",
    }
}

#[component]
fn MappingForm(
    preview: ImportPreview,
    kind: ImportKind,
    mapping: RwSignal<BTreeMap<String, String>>,
    picker: upload::FilePicker,
) -> impl IntoView {
    let columns = preview.columns.clone();
    let missing = move || {
        let m = mapping.get();
        let mut out: Vec<String> =
            kind.fields().iter().filter(|f| f.required && !m.contains_key(f.name)).map(|f| f.name.to_string()).collect();
        if kind != ImportKind::Performance && !m.contains_key("customer_id") && !m.contains_key("email") {
            out.push("customer_id or email".into());
        }
        out
    };
    view! {
        <div data-testid="import-preview" class="grid gap-4">
            <div class="overflow-x-auto">
                <table class="min-w-full text-left text-xs">
                    <caption class="mb-1 text-left text-sm font-medium text-slate-700">"The file's first rows"</caption>
                    <thead class="border-b border-slate-200 text-slate-500">
                        <tr>{preview.columns.iter().map(|c| view! { <th scope="col" class="py-1 pr-3 font-medium">{c.clone()}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {preview.rows.iter().map(|r| view! {
                            <tr>{r.iter().map(|v| view! { <td class="py-1 pr-3 text-slate-700">{v.clone()}</td> }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <fieldset>
                <legend class="text-sm font-medium text-slate-700">"Column mapping"</legend>
                <p class="text-xs text-slate-500">"Which column of the file holds each field. Required fields are marked *."</p>
                <div class="mt-2 grid gap-2 sm:grid-cols-2">
                    {kind.fields().iter().map(|f| {
                        let id = format!("map-{}", f.name);
                        let name = f.name;
                        let columns = columns.clone();
                        view! {
                            <div class="flex items-center gap-2">
                                <label for=id.clone() class="w-44 shrink-0 text-sm text-slate-700" title=f.help>
                                    {name}{f.required.then_some(" *")}
                                </label>
                                <select
                                    id=id
                                    class="input flex-1"
                                    data-testid=format!("map-{name}")
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        mapping.update(|m| { if v.is_empty() { m.remove(name); } else { m.insert(name.to_string(), v); } });
                                    }
                                >
                                    <option value="" selected=move || !mapping.with(|m| m.contains_key(name))>"— not in the file —"</option>
                                    {columns.iter().map(|c| {
                                        let c2 = c.clone();
                                        view! { <option value=c.clone() selected=move || mapping.with(|m| m.get(name) == Some(&c2))>{c.clone()}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            {move || {
                let m = missing();
                (!m.is_empty()).then(|| view! {
                    <p role="alert" class="text-sm text-amber-800" data-testid="mapping-missing">{format!("Still needed: {}", m.join(", "))}</p>
                })
            }}
            <div>
                <button
                    type="button"
                    class="btn-primary"
                    data-testid="start-import"
                    disabled=move || !missing().is_empty()
                    on:click=move |_| picker.start()
                >
                    "Import"
                </button>
            </div>
        </div>
    }
}

#[component]
fn Progress(rows: i64, rate: f64, estimated_rows: i64) -> impl IntoView {
    let percent = if estimated_rows > 0 { ((rows as f64 / estimated_rows as f64) * 100.0).clamp(0.0, 99.0) } else { 0.0 };
    view! {
        <div data-testid="import-progress" class="grid gap-2">
            <div
                role="progressbar"
                aria-label="Import progress"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=format!("{percent:.0}")
                class="h-3 w-full overflow-hidden rounded-full bg-slate-100"
            >
                <div class="h-full bg-indigo-500 transition-all" style=format!("width: {percent:.1}%")></div>
            </div>
            <p class="text-sm text-slate-700" aria-live="polite">
                {format!("{} rows imported", group(rows))}
                {(estimated_rows > 0).then(|| format!(" of about {}", group(estimated_rows)))}
                {(rate > 0.0).then(|| format!(" · {} rows/s", group(rate.round() as i64)))}
            </p>
        </div>
    }
}

#[component]
fn Summary(dto: ImportDto) -> impl IntoView {
    let report = format!("/api/imports/{}/errors", dto.import_id);
    let ok = dto.status == ImportStatus::Completed;
    view! {
        <div data-testid="import-summary" class="grid gap-3">
            <p class=if ok { "text-sm font-medium text-emerald-800" } else { "text-sm font-medium text-rose-800" } role="status">
                {if ok { "Import finished.".to_string() } else { format!("Import stopped: {}", dto.error.clone().unwrap_or_default()) }}
            </p>
            <dl class="grid grid-cols-2 gap-2 text-sm sm:grid-cols-5">
                <Stat label="Rows read" value=dto.rows_read testid="summary-read" />
                <Stat label="New" value=dto.rows_inserted testid="summary-inserted" />
                <Stat label="Updated" value=dto.rows_updated testid="summary-updated" />
                <Stat label="Already there" value=dto.rows_unchanged testid="summary-unchanged" />
                <Stat label="Failed" value=dto.rows_failed testid="summary-failed" />
            </dl>
            <p class="text-xs text-slate-500">{format!("{} rows/s", group(dto.rows_per_second.round() as i64))}</p>
            {(dto.rows_failed > 0).then(|| view! {
                <div>
                    <ul class="mb-2 max-h-48 overflow-y-auto text-xs text-rose-800" data-testid="summary-errors">
                        {dto.row_errors.iter().take(20).map(|e| view! {
                            <li>{format!("Line {}{}: {}", e.line, e.column.as_deref().map(|c| format!(", {c}")).unwrap_or_default(), e.reason)}</li>
                        }).collect_view()}
                    </ul>
                    <a href=report download class="btn-secondary" data-testid="error-report">"Download the error report (CSV)"</a>
                </div>
            })}
        </div>
    }
}

#[component]
fn Stat(label: &'static str, value: i64, testid: &'static str) -> impl IntoView {
    view! {
        <div class="rounded-md bg-slate-50 px-3 py-2">
            <dt class="text-xs text-slate-500">{label}</dt>
            <dd class="text-lg font-semibold tabular-nums" data-testid=testid>{group(value)}</dd>
        </div>
    }
}

#[component]
fn RecentImports(list: Vec<ImportDto>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="text-sm text-slate-600">"No imports yet."</p> }.into_any();
    }
    view! {
        <table class="min-w-full text-left text-sm">
            <thead class="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                    <th scope="col" class="py-2 pr-4 font-medium">"File"</th>
                    <th scope="col" class="py-2 pr-4 font-medium">"Kind"</th>
                    <th scope="col" class="py-2 pr-4 font-medium">"Status"</th>
                    <th scope="col" class="py-2 pr-4 text-right font-medium">"Rows"</th>
                    <th scope="col" class="py-2 pr-4 text-right font-medium">"Failed"</th>
                    <th scope="col" class="py-2 font-medium">"When"</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {list.into_iter().map(|i| view! {
                    <tr data-testid="import-row">
                        <td class="py-2 pr-4">{i.file_name.clone().unwrap_or_else(|| "API upload".into())}</td>
                        <td class="py-2 pr-4">{i.kind.as_str()}</td>
                        <td class="py-2 pr-4">{i.status.as_str()}</td>
                        <td class="py-2 pr-4 text-right tabular-nums">{group(i.rows_read)}</td>
                        <td class="py-2 pr-4 text-right tabular-nums">
                            {if i.rows_failed > 0 {
                                view! { <a class="link" href=format!("/api/imports/{}/errors", i.import_id) download>{group(i.rows_failed)}</a> }.into_any()
                            } else {
                                view! { <span>"0"</span> }.into_any()
                            }}
                        </td>
                        <td class="py-2">{format_timestamp(&i.created_at)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn error_text(e: &AppError) -> String {
    user_message(e)
}
