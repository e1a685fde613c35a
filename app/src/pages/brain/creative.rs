//! Creative: AIDA scores, evidence, advice and brand compliance for ad copy, recomputed in the
//! browser on every keystroke by the same engine the server uses (`omnify::brain::creative`).

use leptos::prelude::*;
use omnify::brain::channels::ContentPlatform;
use omnify::brain::creative::{analyze, BrandGuidelines, ComplianceReport, CreativeAnalysis, CreativeInput, Signal as Evidence};

use crate::api::brain::{brain_creative, brain_guidelines};
use omnify::model::CreativeAnalyzeRequest;
use crate::components::errors::ErrorView;
use crate::components::ui::{Card, Loading};

#[component]
pub fn CreativePage() -> impl IntoView {
    let guidelines = Resource::new(|| (), |_| brain_guidelines());
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match guidelines.await {
                    Ok(g) => view! { <CreativeStudio guidelines=Some(g) /> }.into_any(),
                    // Scoring works without the brand's rules; only the compliance check needs them.
                    Err(e) => view! {
                        <div class="mb-4"><ErrorView error=e on_retry=move |_| guidelines.refetch() /></div>
                        <CreativeStudio guidelines=None />
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CreativeStudio(guidelines: Option<BrandGuidelines>) -> impl IntoView {
    let platform = RwSignal::new(ContentPlatform::Facebook);
    let headline = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let cta = RwSignal::new(String::new());
    let rules = guidelines.clone();
    let analysis = Memo::new(move |_| {
        let text = body.get();
        if text.trim().is_empty() {
            return None;
        }
        let optional = |s: String| (!s.trim().is_empty()).then_some(s);
        let input = CreativeInput { headline: optional(headline.get()), body: text, cta: optional(cta.get()), platform: platform.get() };
        Some(analyze(&input, rules.as_ref()))
    });
    let limits = move || platform.get().limits();

    view! {
        <div class="grid gap-6 lg:grid-cols-5">
            <div class="lg:col-span-2">
                <Card title="Ad copy" testid="creative-form">
                    <noscript>
                        <p class="mb-3 text-sm text-amber-800">"Live scoring needs JavaScript. The API scores copy too: POST /api/brain/creative/analyze."</p>
                    </noscript>
                    <form class="space-y-4" on:submit=|ev| ev.prevent_default()>
                        <div class="space-y-1">
                            <label for="creative-platform" class="block text-sm font-medium text-slate-700">"Platform"</label>
                            <select
                                id="creative-platform"
                                class="input"
                                data-testid="creative-platform"
                                on:change=move |ev| {
                                    if let Some(p) = ContentPlatform::parse(&event_target_value(&ev)) {
                                        platform.set(p);
                                    }
                                }
                            >
                                {ContentPlatform::ALL
                                    .into_iter()
                                    .map(|p| view! { <option value=p.as_str() selected=move || platform.get() == p>{p.label()}</option> })
                                    .collect_view()}
                            </select>
                            <p class="text-xs text-slate-500">
                                {move || {
                                    let l = limits();
                                    format!(
                                        "Works best around {} characters, limit {}{}. Tone: {}.",
                                        l.ideal_chars,
                                        l.max_chars,
                                        l.max_headline_chars.map(|h| format!(", headline up to {h}")).unwrap_or_default(),
                                        l.tone
                                    )
                                }}
                            </p>
                        </div>
                        <div class="space-y-1">
                            <label for="creative-headline" class="block text-sm font-medium text-slate-700">"Headline"</label>
                            <input
                                id="creative-headline"
                                type="text"
                                class="input"
                                data-testid="creative-headline"
                                prop:value=headline
                                on:input=move |ev| headline.set(event_target_value(&ev))
                            />
                        </div>
                        <div class="space-y-1">
                            <label for="creative-body" class="block text-sm font-medium text-slate-700">"Body"</label>
                            <textarea
                                id="creative-body"
                                rows="7"
                                class="input"
                                data-testid="creative-body"
                                placeholder="Paste or write the ad copy"
                                prop:value=body
                                on:input=move |ev| body.set(event_target_value(&ev))
                            ></textarea>
                            <p class="text-xs text-slate-500" data-testid="creative-char-count">
                                {move || {
                                    let n = body.with(|b| b.trim().chars().count());
                                    format!("{n} / {} characters", limits().max_chars)
                                }}
                            </p>
                        </div>
                        <div class="space-y-1">
                            <label for="creative-cta" class="block text-sm font-medium text-slate-700">"Call to action"</label>
                            <input
                                id="creative-cta"
                                type="text"
                                class="input"
                                data-testid="creative-cta"
                                placeholder="e.g. Shop now"
                                prop:value=cta
                                on:input=move |ev| cta.set(event_target_value(&ev))
                            />
                        </div>
                    </form>
                    <Guidelines guidelines=guidelines />
                </Card>
            </div>
            <div class="space-y-6 lg:col-span-3" aria-live="polite">
                {move || match analysis.get() {
                    Some(a) => view! { <AnalysisView a=a /> }.into_any(),
                    None => view! {
                        <Card testid="creative-empty">
                            <p class="text-sm text-slate-600">
                                "Type or paste the body copy: its Attention, Interest, Desire and Action scores, the evidence behind them and what to improve appear here as you write."
                            </p>
                        </Card>
                    }
                    .into_any(),
                }}
                <AiReview platform=platform headline=headline body=body cta=cta />
            </div>
        </div>
    }
}

/// Asks the AI layer (the built-in engine or the configured provider) for recommendations and
/// a rewrite of the current copy; the rewrite is scored by the same engine, beside the original.
#[component]
fn AiReview(platform: RwSignal<ContentPlatform>, headline: RwSignal<String>, body: RwSignal<String>, cta: RwSignal<String>) -> impl IntoView {
    let review = Action::new(move |req: &CreativeAnalyzeRequest| brain_creative(req.clone()));
    let ask = move |_| {
        let optional = |s: String| (!s.trim().is_empty()).then_some(s);
        review.dispatch(CreativeAnalyzeRequest {
            headline: optional(headline.get_untracked()),
            body: body.get_untracked(),
            cta: optional(cta.get_untracked()),
            platform: platform.get_untracked().as_str().to_string(),
            guidelines: None,
            enrich: true,
        });
    };
    view! {
        <Card title="AI review" testid="creative-ai-review">
            <p class="mb-2 text-sm text-slate-600">"Recommendations and a rewrite from the AI layer, scored like your copy. Uses one AI call from today's budget."</p>
            <button type="button" class="btn-secondary" data-testid="creative-ai-ask" on:click=ask disabled=move || review.pending().get() || body.with(|b| b.trim().is_empty())>
                {move || if review.pending().get() { "Reviewing…" } else { "Review and rewrite" }}
            </button>
            {move || review.value().get().map(|r| match r {
                Ok(resp) => match resp.enrichment {
                    Some(e) => view! {
                        <div class="mt-3 space-y-2 text-sm" data-testid="creative-ai-result">
                            <p class="text-xs text-slate-500" data-testid="creative-ai-engine">{format!("By {} · cost ${:.4}", e.engine_label, e.cost_usd)}</p>
                            <ul class="list-disc pl-5 text-slate-700">{e.recommendations.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul>
                            {e.rewrite_headline.clone().map(|h| view! { <p class="font-medium text-slate-900">{h}</p> })}
                            <p class="whitespace-pre-line rounded border border-slate-200 bg-slate-50 p-2 text-slate-800" data-testid="creative-ai-rewrite">{e.rewrite_body.clone()}</p>
                            <p class="text-xs text-slate-600" data-testid="creative-ai-scores">{format!("Rewrite scores {} overall (yours: {}).", e.rewrite_analysis.scores.overall, resp.analysis.scores.overall)}</p>
                        </div>
                    }.into_any(),
                    None => ().into_any(),
                },
                Err(e) => view! { <div class="mt-3"><ErrorView error=e on_retry=move |_| {} /></div> }.into_any(),
            })}
        </Card>
    }
}

/// The brand rules the copy is checked against, and where they come from.
#[component]
fn Guidelines(guidelines: Option<BrandGuidelines>) -> impl IntoView {
    let content = match guidelines {
        Some(g) if has_rules(&g) => view! {
            <ul class="space-y-0.5 text-xs text-slate-600">
                {(!g.banned_words.is_empty()).then(|| view! { <li>{format!("Never say: {}", g.banned_words.join(", "))}</li> })}
                {g.required_tone.clone().map(|t| view! { <li>{format!("Tone: {t}")}</li> })}
                {g.voice.clone().map(|v| view! { <li>{format!("Voice: {v}")}</li> })}
            </ul>
        }
        .into_any(),
        Some(_) => view! {
            <p class="text-xs text-slate-600">
                "No brand guidelines yet: add words to avoid and a tone in the "
                <a href="/onboarding" class="link">"guided setup"</a>
                " to have copy checked against them."
            </p>
        }
        .into_any(),
        None => view! { <p class="text-xs text-slate-600">"The brand guidelines could not be loaded, so compliance is not checked."</p> }.into_any(),
    };
    view! {
        <div class="mt-4 border-t border-slate-100 pt-3" data-testid="creative-guidelines">
            <h3 class="mb-1 text-sm font-medium text-slate-700">"Brand guidelines"</h3>
            {content}
        </div>
    }
}

fn has_rules(g: &BrandGuidelines) -> bool {
    !g.banned_words.is_empty() || g.required_tone.as_deref().is_some_and(|t| !t.trim().is_empty()) || g.voice.as_deref().is_some_and(|v| !v.trim().is_empty())
}

#[component]
fn AnalysisView(a: CreativeAnalysis) -> impl IntoView {
    let CreativeAnalysis { scores: s, signals, strengths, weaknesses, recommendations, readability, length, ideal_length, max_length, compliance } = a;
    let (found, missing): (Vec<Evidence>, Vec<Evidence>) = signals.into_iter().partition(|s| s.found);
    let advice: Vec<(Option<String>, String)> = advice_pairs(&weaknesses, &recommendations);
    view! {
        <Card title="AIDA score" testid="aida-scores">
            <div class="flex items-baseline gap-3">
                <span class=format!("text-4xl font-semibold tabular-nums {}", score_text_class(s.overall)) data-testid="aida-overall" data-score=s.overall.to_string()>
                    {s.overall}
                </span>
                <span class="text-sm text-slate-600">{format!("/ 100 overall · {}", score_word(s.overall))}</span>
            </div>
            <div class="mt-4 space-y-3">
                <ScoreBar label="Attention" testid="aida-attention" score=s.attention />
                <ScoreBar label="Interest" testid="aida-interest" score=s.interest />
                <ScoreBar label="Desire" testid="aida-desire" score=s.desire />
                <ScoreBar label="Action" testid="aida-action" score=s.action />
            </div>
            <p class="mt-4 text-sm text-slate-700" data-testid="creative-length">
                {length_text(length, ideal_length, max_length)}
            </p>
            <p class="mt-1 text-xs text-slate-500">{format!("Reading ease {:.0} / 100 (60 and above reads as plain English).", readability)}</p>
        </Card>
        <Card title="Evidence" testid="creative-signals">
            <div class="grid gap-4 md:grid-cols-2">
                <div>
                    <h3 class="mb-1 text-sm font-medium text-emerald-700">"Found"</h3>
                    <ul class="space-y-1 text-sm" data-testid="creative-signals-found">
                        {found.into_iter().map(|s| view! { <SignalItem s=s /> }).collect_view()}
                    </ul>
                </div>
                <div>
                    <h3 class="mb-1 text-sm font-medium text-rose-700">"Missing"</h3>
                    <ul class="space-y-1 text-sm" data-testid="creative-signals-missing">
                        {missing.into_iter().map(|s| view! { <SignalItem s=s /> }).collect_view()}
                    </ul>
                </div>
            </div>
        </Card>
        <div class="grid gap-6 md:grid-cols-2">
            <Card title="Strengths" testid="creative-strengths">
                {if strengths.is_empty() {
                    view! { <p class="text-sm text-slate-600">"None yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="list-disc space-y-1 pl-5 text-sm text-slate-700">
                            {strengths.into_iter().map(|s| view! { <li data-testid="creative-strength">{s}</li> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </Card>
            <Card title="What to improve" testid="creative-recommendations">
                {if advice.is_empty() {
                    view! { <p class="text-sm text-slate-600">"Nothing to fix: this copy covers every check."</p> }.into_any()
                } else {
                    view! {
                        <ul class="space-y-2 text-sm">
                            {advice
                                .into_iter()
                                .map(|(weakness, fix)| view! {
                                    <li data-testid="creative-recommendation">
                                        {weakness.map(|w| view! { <p class="font-medium text-slate-800" data-testid="creative-weakness">{w}</p> })}
                                        <p class="text-slate-600">{fix}</p>
                                    </li>
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </Card>
        </div>
        {compliance.map(|c| view! { <Compliance c=c /> })}
    }
}

#[component]
fn ScoreBar(label: &'static str, testid: &'static str, score: u8) -> impl IntoView {
    view! {
        <div data-testid=testid data-score=score.to_string()>
            <div class="flex justify-between text-sm">
                <span class="font-medium text-slate-700">{label}</span>
                <span class="tabular-nums text-slate-600">{format!("{score} / 100")}</span>
            </div>
            <div
                class="mt-1 h-2 w-full overflow-hidden rounded bg-slate-100"
                role="meter"
                aria-label=label
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=score.to_string()
            >
                <div class=format!("h-2 rounded {}", score_bar_class(score)) style=format!("width: {score}%")></div>
            </div>
        </div>
    }
}

#[component]
fn SignalItem(s: Evidence) -> impl IntoView {
    let mark = if s.found { "✓" } else { "✗" };
    let tone = if s.found { "text-emerald-600" } else { "text-rose-600" };
    view! {
        <li data-testid="creative-signal" data-signal=s.key.clone() data-found=s.found.to_string()>
            <span class=format!("mr-1 {tone}") aria-hidden="true">{mark}</span>
            <span class="font-medium text-slate-800">{s.label}</span>
            <span class="block pl-4 text-xs text-slate-500">{s.detail}</span>
        </li>
    }
}

#[component]
fn Compliance(c: ComplianceReport) -> impl IntoView {
    let (status, tone) = if c.compliant {
        ("On brand", "bg-emerald-50 text-emerald-800 border-emerald-200")
    } else {
        ("Off brand", "bg-rose-50 text-rose-800 border-rose-200")
    };
    let tone_line = match (&c.tone, c.tone_matches) {
        (Some(t), Some(true)) => format!("Reads as {t}, as the guidelines ask."),
        (Some(t), Some(false)) => format!("Reads as {t}, not the tone the guidelines ask for."),
        (None, Some(false)) => "No tone comes through yet; the guidelines ask for one.".to_string(),
        (Some(t), None) => format!("Reads as {t}."),
        (None, _) => "No particular tone comes through.".to_string(),
    };
    view! {
        <Card title="Brand compliance" testid="compliance">
            <p class="text-sm">
                <span class=format!("inline-block rounded border px-2 py-0.5 text-xs font-medium {tone}") data-testid="compliance-status" data-compliant=c.compliant.to_string()>
                    {status}
                </span>
            </p>
            <p class="mt-2 text-sm text-slate-700" data-testid="compliance-banned">
                {if c.banned_words_found.is_empty() {
                    "No banned words.".to_string()
                } else {
                    format!("Banned words found: {}", c.banned_words_found.join(", "))
                }}
            </p>
            <p class="mt-1 text-sm text-slate-700" data-testid="compliance-tone">{tone_line}</p>
            {(!c.issues.is_empty()).then(|| view! {
                <ul class="mt-2 list-disc space-y-0.5 pl-5 text-sm text-rose-800" data-testid="compliance-issues">
                    {c.issues.iter().map(|i| view! { <li>{i.clone()}</li> }).collect_view()}
                </ul>
            })}
        </Card>
    }
}

/// Weaknesses with the recommendation at the same index; recommendations without a weakness
/// stand alone.
fn advice_pairs(weaknesses: &[String], recommendations: &[String]) -> Vec<(Option<String>, String)> {
    let n = weaknesses.len().max(recommendations.len());
    (0..n)
        .filter_map(|i| match (weaknesses.get(i), recommendations.get(i)) {
            (w, Some(r)) => Some((w.cloned(), r.clone())),
            (Some(w), None) => Some((None, w.clone())),
            (None, None) => None,
        })
        .collect()
}

/// How the body's length sits against the platform's ideal and hard limit.
fn length_text(length: usize, ideal: usize, max: usize) -> String {
    if length > max {
        format!("{length} characters: over the platform's limit of {max}; it will be cut off.")
    } else if length > ideal {
        format!("{length} characters: longer than the {ideal} that works best (limit {max}).")
    } else {
        format!("{length} characters: within the {ideal} that works best (limit {max}).")
    }
}

fn score_word(score: u8) -> &'static str {
    match score {
        70.. => "strong",
        40..=69 => "fair",
        _ => "weak",
    }
}

fn score_text_class(score: u8) -> &'static str {
    match score {
        70.. => "text-emerald-700",
        40..=69 => "text-amber-700",
        _ => "text-rose-700",
    }
}

fn score_bar_class(score: u8) -> &'static str {
    match score {
        70.. => "bg-emerald-500",
        40..=69 => "bg-amber-400",
        _ => "bg-rose-500",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::brain::sample;

    #[test]
    fn renders_scores_evidence_advice_and_compliance_on_the_server() {
        let guidelines = BrandGuidelines { banned_words: vec!["cheap".into()], required_tone: Some("friendly".into()), voice: None };
        let input = CreativeInput {
            headline: Some("Tired of cold coffee?".into()),
            body: "Our cheap mug keeps coffee hot for 6 hours. Trusted by 12,000 customers. Shop now, 20% off ends Friday.".into(),
            cta: Some("Shop now".into()),
            platform: ContentPlatform::Facebook,
        };
        let a = analyze(&input, Some(&guidelines));
        let overall = a.scores.overall;
        let html = sample::render(move || view! { <AnalysisView a=a /> });
        assert!(html.contains(&format!(r#"data-score="{overall}""#)), "{html}");
        for id in ["aida-overall", "aida-attention", "aida-interest", "aida-desire", "aida-action", "creative-recommendations", "compliance"] {
            assert!(html.contains(&format!(r#"data-testid="{id}""#)), "{id}");
        }
        assert!(html.contains("Banned words found: cheap"), "{html}");
        let form = sample::render(move || view! { <CreativeStudio guidelines=Some(guidelines) /> });
        assert!(form.contains(r#"data-testid="creative-empty""#) && form.contains("Never say: cheap"), "{form}");
    }

    #[test]
    fn each_weakness_keeps_its_recommendation() {
        let w = vec!["No CTA".to_string()];
        let r = vec!["Add one".to_string(), "Shorten it".to_string()];
        assert_eq!(advice_pairs(&w, &r), vec![(Some("No CTA".into()), "Add one".into()), (None, "Shorten it".into())]);
        assert!(advice_pairs(&[], &[]).is_empty());
    }

    #[test]
    fn length_is_judged_against_ideal_and_limit() {
        assert!(length_text(50, 125, 300).contains("within"));
        assert!(length_text(200, 125, 300).contains("longer than the 125"));
        assert!(length_text(301, 125, 300).contains("over the platform's limit of 300"));
    }

    #[test]
    fn scores_band_into_three_words() {
        assert_eq!((score_word(85), score_word(55), score_word(10)), ("strong", "fair", "weak"));
        assert_eq!(score_bar_class(70), "bg-emerald-500");
    }
}
