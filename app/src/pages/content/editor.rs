//! The content editor: the copy with its AIDA score recomputed in the browser on every
//! keystroke (the same engine the server uses, compiled to wasm), the review workflow, export
//! and copy (OmniFy cannot publish for you), and the version history.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use omnify::brain::creative::{self, BrandGuidelines, CreativeAnalysis, CreativeInput};
use omnify::model::ContentDetailResponse;

use crate::api::brain::brain_guidelines;
use crate::api::content::{content_get, ContentSave, ContentSetStatus};
use crate::components::errors::{ErrorView, FormAlert};
use crate::components::form::action_error;
use crate::components::ui::{format_timestamp, Card, Loading, PageHeader};
use crate::pages::campaigns::{label, StatusBadge};

#[component]
pub fn ContentEditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let save = ServerAction::<ContentSave>::new();
    let status = ServerAction::<ContentSetStatus>::new();
    let data = Resource::new(move || (id.get(), save.version().get(), status.version().get()), |(id, _, _)| content_get(id));
    let guidelines = Resource::new(|| (), |_| brain_guidelines());
    view! {
        <Title text="Content · OmniFy" />
        <p class="mb-2 text-sm"><a class="link" href="/content">"← Content"</a></p>
        <PageHeader title="Edit content" />
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let rules = guidelines.await.unwrap_or_default();
                match data.await {
                    Ok(d) => view! { <Editor d=d rules=rules save=save status=status /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| data.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Editor(d: ContentDetailResponse, rules: BrandGuidelines, save: ServerAction<ContentSave>, status: ServerAction<ContentSetStatus>) -> impl IntoView {
    let c = d.content.clone();
    let platform = c.platform;
    let limits = platform.limits();
    let headline = RwSignal::new(c.headline.clone().unwrap_or_default());
    let body = RwSignal::new(c.body.clone());
    let cta = RwSignal::new(c.cta.clone().unwrap_or_default());
    let rules = StoredValue::new(rules);
    let analysis = Memo::new(move |_| {
        let h = headline.get();
        let cta = cta.get();
        creative::analyze(
            &CreativeInput { headline: (!h.trim().is_empty()).then_some(h), body: body.get(), cta: (!cta.trim().is_empty()).then_some(cta), platform },
            Some(&rules.get_value()),
        )
    });
    let save_error = action_error(save);
    let status_error = action_error(status);
    let published = c.status == "published";
    let length = move || body.with(|b| b.chars().count());
    let content_id = c.content_id.clone();
    let save_id = c.content_id.clone();
    let tags = c.hashtags.iter().map(|t| format!("#{t}")).collect::<Vec<_>>().join(" ");
    let export_txt = d.publishing.exports.first().cloned().unwrap_or_default();
    let export_json = d.publishing.exports.get(1).cloned().unwrap_or_default();
    view! {
        <div class="mb-4 flex flex-wrap items-center gap-3 text-sm text-slate-600">
            <span class="font-medium text-slate-900" data-testid="editor-platform">{format!("{} · {}", platform.label(), label(&c.format))}</span>
            <StatusBadge status=c.status.clone() />
            <span data-testid="editor-version">{format!("version {}", c.version)}</span>
            <span data-testid="editor-engine">{engine_label(&c.engine)}</span>
            {c.campaign_id.clone().map(|id| view! { <a class="link" href=format!("/campaigns/{id}")>{c.campaign_name.clone().unwrap_or_else(|| "Campaign".into())}</a> })}
        </div>
        <div class="grid gap-6 xl:grid-cols-3">
            <div class="space-y-6 xl:col-span-2">
                <Card title="Copy" testid="editor-copy">
                    <ActionForm action=save attr:class="space-y-3">
                        <FormAlert error=save_error fields=&["body", "headline", "hashtags", "cta", "scheduled_for"] />
                        <input type="hidden" name="content_id" value=save_id />
                        {limits.max_headline_chars.map(|max| view! {
                            <div class="space-y-1">
                                <label for="ed-headline" class="block text-sm font-medium text-slate-700">{format!("Headline (at most {max})")}</label>
                                <input id="ed-headline" name="headline" class="input" prop:value=move || headline.get() value=headline.get_untracked() on:input=move |ev| headline.set(event_target_value(&ev)) disabled=published data-testid="editor-headline" />
                                <FieldError error=save_error field="headline" />
                            </div>
                        })}
                        <div class="space-y-1">
                            <label for="ed-body" class="block text-sm font-medium text-slate-700">"Body"</label>
                            <textarea id="ed-body" name="body" rows="8" class="input" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev)) disabled=published data-testid="editor-body">{c.body.clone()}</textarea>
                            <p class=move || { if length() > limits.max_chars { "text-xs text-red-700" } else { "text-xs text-slate-500" } } data-testid="editor-length">
                                {move || format!("{} characters · best around {} · at most {}", length(), limits.ideal_chars, limits.max_chars)}
                            </p>
                            <FieldError error=save_error field="body" />
                        </div>
                        <div class="grid gap-3 sm:grid-cols-3">
                            <div class="space-y-1">
                                <label for="ed-cta" class="block text-sm font-medium text-slate-700">"Call to action"</label>
                                <input id="ed-cta" name="cta" class="input" value=c.cta.clone().unwrap_or_default() on:input=move |ev| cta.set(event_target_value(&ev)) disabled=published />
                            </div>
                            <div class="space-y-1">
                                <label for="ed-tags" class="block text-sm font-medium text-slate-700">{format!("Hashtags (at most {})", limits.max_hashtags)}</label>
                                <input id="ed-tags" name="hashtags" class="input" value=tags disabled=published />
                                <FieldError error=save_error field="hashtags" />
                            </div>
                            <div class="space-y-1">
                                <label for="ed-day" class="block text-sm font-medium text-slate-700">"Day"</label>
                                <input id="ed-day" type="date" name="scheduled_for" class="input" value=c.scheduled_for.clone().unwrap_or_default() disabled=published data-testid="editor-day" />
                            </div>
                        </div>
                        {(!published).then(|| view! {
                            <button type="submit" class="btn-primary" data-testid="editor-save" disabled=move || save.pending().get()>"Save as a new version"</button>
                            {matches!(c.status.as_str(), "in_review" | "approved" | "scheduled").then(|| view! { <p class="text-xs text-slate-500">"Changing the copy sends it back to draft for review."</p> })}
                        })}
                    </ActionForm>
                </Card>
                <Card title="Workflow" testid="editor-workflow">
                    <FormAlert error=status_error fields=&["scheduled_for"] />
                    {move || status_error.get().filter(|e| e.field() == Some("scheduled_for")).map(|e| view! { <p role="alert" class="text-sm text-red-700">{e.message().to_string()}</p> })}
                    <div class="flex flex-wrap items-end gap-2">
                        {d.next_statuses.clone().into_iter().map(|next| {
                            let is_publish = next == "published";
                            let id = content_id.clone();
                            let button = if is_publish || next == "draft" { "btn-secondary" } else { "btn-primary" };
                            let testid = format!("status-{next}");
                            let text = action_label(&next);
                            view! {
                                <ActionForm action=status attr:class="flex items-end gap-2">
                                    <input type="hidden" name="content_id" value=id />
                                    <input type="hidden" name="status" value=next.clone() />
                                    {is_publish.then(|| view! {
                                        <label class="text-xs text-slate-600">"Link to the published post"
                                            <input type="url" name="published_url" class="input" placeholder="https://…" data-testid="published-url" />
                                        </label>
                                    })}
                                    <button type="submit" class=button data-testid=testid>{text}</button>
                                </ActionForm>
                            }
                        }).collect_view()}
                        {d.next_statuses.is_empty().then(|| view! { <p class="text-sm text-slate-600">{format!("Published outside OmniFy{}.", c.published_url.clone().map(|u| format!(" at {u}")).unwrap_or_default())}</p> })}
                    </div>
                </Card>
                <Card title="Publish it yourself" testid="editor-publishing">
                    <p class="text-sm text-slate-700" data-testid="publishing-message">{d.publishing.message.clone()}</p>
                    <div class="mt-2 flex flex-wrap gap-2">
                        <CopyButton text=Signal::derive(move || body.get()) />
                        <a class="btn-secondary" href=export_txt download="" data-testid="export-txt">"Download text"</a>
                        <a class="btn-secondary" href=export_json download="" data-testid="export-json">"Download JSON"</a>
                    </div>
                </Card>
                <Card title="History" testid="editor-history">
                    <ol class="space-y-1 text-sm">
                        {d.versions.iter().rev().map(|v| view! {
                            <li data-testid="editor-version-row"><span class="tabular-nums text-slate-500">{format!("v{} · {} · ", v.version, format_timestamp(&v.created_at))}</span>{v.change.clone()}</li>
                        }).collect_view()}
                    </ol>
                </Card>
            </div>
            <Card title="AIDA score (live)" testid="editor-aida">
                {move || view! { <AidaView a=analysis.get() /> }}
            </Card>
        </div>
    }
}

#[component]
fn FieldError(error: Signal<Option<crate::error::AppError>>, field: &'static str) -> impl IntoView {
    move || error.get().filter(|e| e.field() == Some(field)).map(|e| view! { <p class="text-sm text-red-700" data-testid=format!("{field}-error")>{e.message().to_string()}</p> })
}

#[component]
fn AidaView(a: CreativeAnalysis) -> impl IntoView {
    let s = a.scores.clone();
    let bars = [("Attention", s.attention, "aida-attention"), ("Interest", s.interest, "aida-interest"), ("Desire", s.desire, "aida-desire"), ("Action", s.action, "aida-action")];
    view! {
        <p class="text-3xl font-semibold tabular-nums text-slate-900" data-testid="aida-overall">{s.overall}</p>
        <p class="mb-3 text-xs text-slate-500">"overall, out of 100"</p>
        <div class="space-y-2">
            {bars.into_iter().map(|(name, value, testid)| view! {
                <div>
                    <div class="flex justify-between text-xs text-slate-600"><span>{name}</span><span class="tabular-nums" data-testid=testid>{value}</span></div>
                    <div class="h-2 rounded bg-slate-100"><div class="h-2 rounded bg-indigo-500" style=format!("width: {value}%")></div></div>
                </div>
            }).collect_view()}
        </div>
        {(!a.strengths.is_empty()).then(|| view! {
            <h3 class="mt-4 text-sm font-semibold text-emerald-800">"Working"</h3>
            <ul class="list-disc pl-5 text-sm text-slate-700">{a.strengths.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul>
        })}
        {(!a.recommendations.is_empty()).then(|| view! {
            <h3 class="mt-4 text-sm font-semibold text-amber-800">"To improve"</h3>
            <ul class="list-disc pl-5 text-sm text-slate-700" data-testid="aida-recommendations">{a.recommendations.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul>
        })}
        {a.compliance.clone().filter(|c| !c.compliant).map(|c| view! {
            <div role="alert" class="mt-4 rounded border border-red-200 bg-red-50 p-2 text-sm text-red-800" data-testid="aida-compliance">
                {c.issues.join(" ")}
            </div>
        })}
    }
}

#[component]
fn CopyButton(text: Signal<String>) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        #[cfg(not(feature = "ssr"))]
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text.get_untracked());
            copied.set(true);
        }
        #[cfg(feature = "ssr")]
        let _ = text;
    };
    view! {
        <button type="button" class="btn-secondary" on:click=copy data-testid="copy-text">
            {move || if copied.get() { "Copied" } else { "Copy text" }}
        </button>
    }
}

fn engine_label(engine: &str) -> String {
    match engine {
        "builtin" => "Written by the OmniFy built-in engine (rule-based)".into(),
        "human" => "Written by hand".into(),
        model => format!("Written by {model}"),
    }
}

fn action_label(status: &str) -> &'static str {
    match status {
        "in_review" => "Send for review",
        "approved" => "Approve",
        "scheduled" => "Schedule",
        "published" => "Mark as published",
        "draft" => "Back to draft",
        _ => "Move",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_is_named_plainly() {
        assert!(engine_label("builtin").contains("built-in engine"));
        assert_eq!(engine_label("gpt-4o-mini"), "Written by gpt-4o-mini");
        assert_eq!(action_label("in_review"), "Send for review");
    }
}
