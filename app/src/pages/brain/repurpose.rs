//! VOICE: one piece of content turned into a ready-to-paste variant per platform.

use leptos::prelude::*;
use omnify::brain::channels::ContentPlatform;
use omnify::brain::repurpose::Variant;
use omnify::model::RepurposeRequest;

use super::FieldError;
use crate::api::brain::BrainRepurpose;
use crate::components::errors::FormAlert;
use crate::components::form::action_error;
use crate::components::ui::Card;

const FIELDS: &[&str] = &["content", "platforms", "link"];
/// Platforms ticked when the page opens.
const DEFAULT_PLATFORMS: [ContentPlatform; 4] = [ContentPlatform::Facebook, ContentPlatform::Instagram, ContentPlatform::Linkedin, ContentPlatform::X];

#[component]
pub fn RepurposePage() -> impl IntoView {
    let action = ServerAction::<BrainRepurpose>::new();
    let error = action_error(action);
    let content = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let hashtags = RwSignal::new(String::new());
    let platforms = RwSignal::new(DEFAULT_PLATFORMS.to_vec());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let optional = |s: String| (!s.trim().is_empty()).then(|| s.trim().to_string());
        let chosen = platforms.get_untracked();
        let req = RepurposeRequest {
            content: content.get_untracked(),
            title: optional(title.get_untracked()),
            // In the order the platforms are listed, whatever order they were ticked in.
            platforms: ContentPlatform::ALL.into_iter().filter(|p| chosen.contains(p)).map(|p| p.as_str().to_string()).collect(),
            hashtags: parse_hashtags(&hashtags.get_untracked()),
            link: optional(link.get_untracked()),
        };
        action.dispatch(BrainRepurpose { req });
    };

    view! {
        <div class="grid gap-6 lg:grid-cols-5">
            <div class="lg:col-span-2">
                <Card title="Content" testid="repurpose-form">
                    <noscript>
                        <p class="mb-3 text-sm text-amber-800">"Repurposing here needs JavaScript. The API does it too: POST /api/brain/repurpose."</p>
                    </noscript>
                    <form class="space-y-4" on:submit=submit>
                        <FormAlert error=error fields=FIELDS />
                        <div class="space-y-1">
                            <label for="repurpose-content" class="block text-sm font-medium text-slate-700">"Content"</label>
                            <textarea
                                id="repurpose-content"
                                rows="8"
                                class="input"
                                data-testid="repurpose-content"
                                placeholder="A blog post, newsletter or announcement"
                                aria-invalid=move || field_invalid(error, "content")
                                prop:value=content
                                on:input=move |ev| content.set(event_target_value(&ev))
                            ></textarea>
                            <FieldError error=error field="content" />
                        </div>
                        <div class="space-y-1">
                            <label for="repurpose-title" class="block text-sm font-medium text-slate-700">"Title (optional)"</label>
                            <input
                                id="repurpose-title"
                                type="text"
                                class="input"
                                data-testid="repurpose-title"
                                prop:value=title
                                on:input=move |ev| title.set(event_target_value(&ev))
                            />
                        </div>
                        <div class="space-y-1">
                            <label for="repurpose-link" class="block text-sm font-medium text-slate-700">"Link (optional)"</label>
                            <input
                                id="repurpose-link"
                                type="url"
                                class="input"
                                data-testid="repurpose-link"
                                placeholder="https://example.com/post"
                                aria-invalid=move || field_invalid(error, "link")
                                prop:value=link
                                on:input=move |ev| link.set(event_target_value(&ev))
                            />
                            <FieldError error=error field="link" />
                        </div>
                        <div class="space-y-1">
                            <label for="repurpose-hashtags" class="block text-sm font-medium text-slate-700">"Hashtags (optional)"</label>
                            <input
                                id="repurpose-hashtags"
                                type="text"
                                class="input"
                                data-testid="repurpose-hashtags"
                                aria-describedby="repurpose-hashtags-hint"
                                prop:value=hashtags
                                on:input=move |ev| hashtags.set(event_target_value(&ev))
                            />
                            <p id="repurpose-hashtags-hint" class="text-xs text-slate-500">
                                "Separate them with commas or #. Without any, VOICE picks a few from the content's own words."
                            </p>
                        </div>
                        <fieldset class="space-y-1">
                            <legend class="text-sm font-medium text-slate-700">"Platforms"</legend>
                            <div class="grid grid-cols-2 gap-1 text-sm">
                                {ContentPlatform::ALL
                                    .into_iter()
                                    .map(|p| {
                                        let checked = move || platforms.with(|list| list.contains(&p));
                                        view! {
                                            <label class="flex items-center gap-2">
                                                <input
                                                    type="checkbox"
                                                    data-testid=format!("repurpose-platform-{}", p.as_str())
                                                    checked=DEFAULT_PLATFORMS.contains(&p)
                                                    prop:checked=checked
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        platforms.update(|list| {
                                                            list.retain(|x| *x != p);
                                                            if on {
                                                                list.push(p);
                                                            }
                                                        });
                                                    }
                                                />
                                                {p.label()}
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                            <FieldError error=error field="platforms" />
                        </fieldset>
                        <button type="submit" class="btn-primary" data-testid="repurpose-submit" disabled=move || action.pending().get()>
                            {move || if action.pending().get() { "Repurposing…" } else { "Repurpose" }}
                        </button>
                    </form>
                </Card>
            </div>
            <div class="space-y-4 lg:col-span-3" aria-live="polite">
                {move || match action.value().get() {
                    Some(Ok(r)) if r.variants.is_empty() => view! {
                        <Card testid="repurpose-empty"><p class="text-sm text-slate-600">"No variants: choose at least one platform."</p></Card>
                    }
                    .into_any(),
                    Some(Ok(r)) => view! {
                        <div class="space-y-4" data-testid="repurpose-variants">
                            {r.variants.into_iter().map(|v| view! { <VariantCard v=v /> }).collect_view()}
                        </div>
                    }
                    .into_any(),
                    _ => view! {
                        <Card testid="repurpose-empty">
                            <p class="text-sm text-slate-600">
                                "Paste a piece of content and choose platforms: VOICE picks and trims your own sentences into a post for each platform, within its length limits and your brand guidelines."
                            </p>
                        </Card>
                    }
                    .into_any(),
                }}
            </div>
        </div>
    }
}

fn field_invalid(error: Signal<Option<crate::error::AppError>>, field: &str) -> &'static str {
    if error.with(|e| e.as_ref().and_then(|e| e.field()) == Some(field)) {
        "true"
    } else {
        "false"
    }
}

#[component]
fn VariantCard(v: Variant) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let id = format!("variant-{}", v.platform.as_str());
    let body = v.body.clone();
    let text = match &v.headline {
        Some(h) => format!("{h}\n\n{}", v.body),
        None => v.body.clone(),
    };
    let rows = v.body.lines().count().clamp(3, 12).to_string();
    let (badge, badge_class) = if v.within_limits {
        ("Within limits", "bg-emerald-50 text-emerald-800")
    } else {
        ("Over the limit", "bg-rose-50 text-rose-800")
    };
    view! {
        <Card testid="repurpose-variant">
            <div class="flex flex-wrap items-center justify-between gap-2" data-platform=v.platform.as_str()>
                <h3 class="text-base font-semibold text-slate-900" data-testid="variant-platform">{v.platform.label()}</h3>
                <div class="flex items-center gap-2 text-xs">
                    <span class="tabular-nums text-slate-600" data-testid="variant-length">{format!("{} / {} characters", v.length, v.max_length)}</span>
                    <span class=format!("rounded-full px-2 py-0.5 font-medium {badge_class}") data-testid="variant-limits" data-within=v.within_limits.to_string()>
                        {badge}
                    </span>
                </div>
            </div>
            {v.headline.clone().map(|h| view! {
                <p class="mt-2 text-sm"><span class="text-slate-500">"Headline: "</span><span class="font-medium text-slate-900" data-testid="variant-headline">{h}</span></p>
            })}
            <label for=id.clone() class="sr-only">{format!("{} post", v.platform.label())}</label>
            <textarea
                id=id
                node_ref=textarea
                readonly=true
                rows=rows
                class="input mt-2 font-mono text-xs"
                data-testid="variant-body"
                on:focus=|ev| {
                    event_target::<leptos::web_sys::HtmlTextAreaElement>(&ev).select();
                }
            >
                {body}
            </textarea>
            <div class="mt-2 flex flex-wrap items-center gap-3">
                <button
                    type="button"
                    class="btn-secondary"
                    data-testid="variant-copy"
                    on:click=move |_| copy_to_clipboard(text.clone(), copied, textarea)
                >
                    "Copy"
                </button>
                <span class="text-xs" role="status" data-testid="variant-copy-status">
                    {move || match copied.get() {
                        Some(true) => view! { <span class="text-emerald-700">"Copied to the clipboard."</span> }.into_any(),
                        Some(false) => view! { <span class="text-amber-800">"The browser would not copy: the text is selected, press Ctrl+C (⌘C)."</span> }.into_any(),
                        None => ().into_any(),
                    }}
                </span>
                <span class="text-xs text-slate-500">{format!("Tone: {}", v.tone)}</span>
            </div>
            {(!v.hashtags.is_empty()).then(|| view! {
                <p class="mt-2 text-xs text-slate-600" data-testid="variant-hashtags">
                    {v.hashtags.iter().map(|h| format!("#{h}")).collect::<Vec<_>>().join(" ")}
                </p>
            })}
            {(!v.notes.is_empty()).then(|| view! {
                <ul class="mt-2 list-disc space-y-0.5 pl-5 text-xs text-slate-500" data-testid="variant-notes">
                    {v.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}
                </ul>
            })}
        </Card>
    }
}

/// Writes `text` to the clipboard (browser only). When the browser refuses (no clipboard API
/// outside a secure context, or permission denied) the text is selected for a manual copy.
fn copy_to_clipboard(text: String, copied: RwSignal<Option<bool>>, textarea: NodeRef<leptos::html::Textarea>) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::{JsCast, JsValue};
        use leptos::web_sys::js_sys::{Function, Promise, Reflect};
        let fallback = move || {
            if let Some(el) = textarea.get_untracked() {
                let _ = el.focus();
                el.select();
            }
            copied.set(Some(false));
        };
        let promise = (|| {
            let navigator = Reflect::get(&window(), &JsValue::from_str("navigator")).ok()?;
            let clipboard = Reflect::get(&navigator, &JsValue::from_str("clipboard")).ok().filter(|c| c.is_object())?;
            let write = Reflect::get(&clipboard, &JsValue::from_str("writeText")).ok()?.dyn_into::<Function>().ok()?;
            write.call1(&clipboard, &JsValue::from(text)).ok()?.dyn_into::<Promise>().ok()
        })();
        match promise {
            Some(p) => leptos::task::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(p).await {
                    Ok(_) => copied.set(Some(true)),
                    Err(_) => fallback(),
                }
            }),
            None => fallback(),
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (text, copied, textarea);
}

/// Hashtags as typed: separated by commas or '#', without the '#', blanks and repeats dropped.
/// "spring sale" stays one tag (VOICE turns it into #SpringSale).
fn parse_hashtags(input: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for part in input.split([',', '#', '\n']) {
        let tag = part.split_whitespace().collect::<Vec<_>>().join(" ");
        if !tag.is_empty() && !tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
            tags.push(tag);
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_variant_with_its_limits_and_copy_button_on_the_server() {
        use omnify::brain::repurpose::{repurpose, RepurposeInput};
        let variants = repurpose(&RepurposeInput {
            content: "Our new roast is here. It tastes of cherries and chocolate. Order today and save 10%.".into(),
            title: Some("Spring roast".into()),
            platforms: vec![ContentPlatform::X, ContentPlatform::Email],
            hashtags: vec!["coffee".into()],
            guidelines: None,
            link: Some("https://example.com/roast".into()),
        });
        let v = variants[0].clone();
        let html = crate::pages::brain::sample::render(move || view! { <VariantCard v=v /> });
        for id in ["variant-body", "variant-length", "variant-limits", "variant-copy"] {
            assert!(html.contains(&format!(r#"data-testid="{id}""#)), "{id}: {html}");
        }
        let form = crate::pages::brain::sample::render(|| view! { <RepurposePage /> });
        assert!(form.contains(r#"data-testid="repurpose-platform-facebook""#), "{form}");
    }

    #[test]
    fn hashtags_split_on_commas_and_hashes() {
        assert_eq!(parse_hashtags("#coffee #morning"), vec!["coffee", "morning"]);
        assert_eq!(parse_hashtags("spring sale, Coffee,, coffee"), vec!["spring sale", "Coffee"]);
        assert!(parse_hashtags("  , # ").is_empty());
    }
}
