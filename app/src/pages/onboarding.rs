//! The guided setup: eight steps, each validated by the server before it counts; steps can be
//! skipped and revisited, and progress lives on the server. Plain forms, so the keyboard and
//! even a browser without JavaScript can walk through it.

use leptos::prelude::*;
use leptos_meta::Title;
use omnify::model::OnboardingState;

use crate::api::onboarding::{
    get_onboarding, FinishOnboarding, GoToOnboardingStep, LoadSampleData, SaveOnboardingStep, SkipOnboardingStep,
};
use crate::components::errors::{ErrorView, FormAlert};
use crate::components::form::action_error;
use crate::components::ui::{Card, Loading, Notice, PageHeader};

#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SaveOnboardingStep>,
    skip: ServerAction<SkipOnboardingStep>,
    go_to: ServerAction<GoToOnboardingStep>,
    finish: ServerAction<FinishOnboarding>,
    sample: ServerAction<LoadSampleData>,
}

#[component]
pub fn OnboardingPage() -> impl IntoView {
    let a = Actions {
        save: ServerAction::new(),
        skip: ServerAction::new(),
        go_to: ServerAction::new(),
        finish: ServerAction::new(),
        sample: ServerAction::new(),
    };
    let state = Resource::new(
        move || (a.save.version().get(), a.skip.version().get(), a.go_to.version().get(), a.sample.version().get()),
        |_| get_onboarding(),
    );
    let save_error = action_error(a.save);
    let other_error = action_error(a.skip);
    let sample_error = action_error(a.sample);
    view! {
        <Title text="Guided setup · OmniFy" />
        <PageHeader title="Guided setup" subtitle="Eight short steps to get your data in and OmniFy working for you. Skip anything and come back later." />
        <div class="mb-4 space-y-2">
            <FormAlert error=save_error />
            <FormAlert error=other_error />
            <FormAlert error=sample_error />
        </div>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match state.await {
                    Ok(s) => view! { <Wizard s=s a=a /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| state.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Wizard(s: OnboardingState, a: Actions) -> impl IntoView {
    let current = s.current_step;
    let completed = s.completed;
    let items = s.steps.clone();
    view! {
        <div class="grid gap-6 md:grid-cols-[14rem_1fr]">
            <nav aria-label="Setup steps">
                <ol class="space-y-1" data-testid="onboarding-steps">
                    {items.into_iter().map(|st| {
                        let marker = match st.status.as_str() { "done" => "✓", "skipped" => "–", _ => "" };
                        let is_current = st.number == current;
                        view! {
                            <li>
                                <ActionForm action=a.go_to>
                                    <input type="hidden" name="step" value=st.number />
                                    <button
                                        type="submit"
                                        class=if is_current { "w-full rounded px-2 py-1 text-left text-sm font-semibold text-indigo-700 bg-indigo-50" } else { "w-full rounded px-2 py-1 text-left text-sm text-slate-700 hover:bg-slate-100" }
                                        aria-current=is_current.then_some("step")
                                        data-testid=format!("step-{}", st.number)
                                        data-status=st.status
                                    >
                                        {format!("{}. {} {}", st.number, st.title, marker)}
                                    </button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </nav>
            <Card testid="onboarding-step">
                {if completed {
                    Some(view! { <div class="mb-3"><Notice>"Setup is complete. You can still change any step."</Notice></div> })
                } else { None }}
                <StepForm s=s a=a />
            </Card>
        </div>
    }
}

fn answer(s: &OnboardingState, step: &str, field: &str) -> String {
    s.answers.get(step).and_then(|m| m.get(field)).cloned().unwrap_or_default()
}

/// A labelled text input named `fields[name]`.
fn text_input(id: &'static str, name: &'static str, label: &'static str, value: String, kind: &'static str) -> impl IntoView {
    view! {
        <div class="space-y-1">
            <label for=id class="block text-sm font-medium text-slate-700">{label}</label>
            <input id=id name=format!("fields[{name}]") type=kind value=value.clone() prop:value=value class="input w-full" />
        </div>
    }
}

fn select_input(id: &'static str, name: &'static str, label: &'static str, options: &'static [(&'static str, &'static str)], value: String) -> impl IntoView {
    view! {
        <div class="space-y-1">
            <label for=id class="block text-sm font-medium text-slate-700">{label}</label>
            <select id=id name=format!("fields[{name}]") class="input w-full" prop:value=value.clone()>
                <option value="">"Choose…"</option>
                {options.iter().map(|(v, l)| view! { <option value=*v selected=value == *v>{*l}</option> }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn StepForm(s: OnboardingState, a: Actions) -> impl IntoView {
    let step = s.current_step;
    let title = s.steps.get(step - 1).map(|st| st.title.clone()).unwrap_or_default();
    let key = s.steps.get(step - 1).map(|st| st.key.clone()).unwrap_or_default();
    let body = match key.as_str() {
        "business" => view! {
            {text_input("ob-industry", "industry", "Industry", answer(&s, "business", "industry"), "text")}
            {text_input("ob-website", "website", "Website", answer(&s, "business", "website"), "url")}
            {select_input("ob-size", "size", "Company size", &[("1-10", "1–10 people"), ("11-50", "11–50"), ("51-200", "51–200"), ("201-1000", "201–1,000"), ("1000+", "More than 1,000")], answer(&s, "business", "size"))}
        }.into_any(),
        "brand_voice" => view! {
            <div class="space-y-1">
                <label for="ob-voice" class="block text-sm font-medium text-slate-700">"How your brand speaks"</label>
                <textarea id="ob-voice" name="fields[voice]" rows="3" class="input w-full" prop:value=answer(&s, "brand_voice", "voice")>{answer(&s, "brand_voice", "voice")}</textarea>
            </div>
            {select_input("ob-tone", "tone", "Tone", &[("friendly", "Friendly"), ("professional", "Professional"), ("playful", "Playful"), ("bold", "Bold"), ("caring", "Caring")], answer(&s, "brand_voice", "tone"))}
            {text_input("ob-avoid", "avoid", "Words to avoid (optional)", answer(&s, "brand_voice", "avoid"), "text")}
        }.into_any(),
        "goals" => {
            let chosen = answer(&s, "goals", "goals");
            view! {
                <fieldset class="space-y-1">
                    <legend class="text-sm font-medium text-slate-700">"Goals"</legend>
                    {[("grow_revenue", "Grow revenue"), ("retain_customers", "Keep customers longer"), ("acquire_customers", "Win new customers"), ("improve_roas", "Improve return on ad spend")].into_iter().map(|(g, l)| {
                        let id = format!("ob-goal-{g}");
                        view! {
                            <div class="flex items-center gap-2">
                                <input id=id.clone() type="checkbox" name=format!("fields[goal_{g}]") value="on" checked=chosen.split(',').any(|c| c == g) prop:checked=chosen.split(',').any(|c| c == g) />
                                <label for=id class="text-sm text-slate-700">{l}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                {select_input("ob-kpi", "kpi", "Main KPI", &[("revenue", "Revenue"), ("roas", "ROAS"), ("retention_rate", "Retention rate"), ("cac", "Customer acquisition cost"), ("ltv", "Lifetime value")], answer(&s, "goals", "kpi"))}
                {text_input("ob-target", "target", "Target (optional)", answer(&s, "goals", "target"), "text")}
            }.into_any()
        }
        "platforms" => view! {
            <p class="text-sm text-slate-700" data-testid="ob-platforms">
                {format!("{} platform{} connected. ", s.connected_platforms, if s.connected_platforms == 1 { "" } else { "s" })}
                <a class="link" href="/integrations">"Connect platforms"</a>
            </p>
        }.into_any(),
        "customers" => view! {
            <p class="text-sm text-slate-700" data-testid="ob-customers">
                {format!("{} customers in OmniFy. ", s.customers)}
                <a class="link" href="/imports">"Import a file"</a>" or "<a class="link" href="/integrations">"sync a platform"</a>"."
            </p>
        }.into_any(),
        "consent" => view! {
            {select_input("ob-basis", "basis", "Default basis for marketing", &[("opt_in", "Explicit opt-in"), ("legitimate_interest", "Legitimate interest")], answer(&s, "consent", "basis"))}
            {text_input("ob-retention", "retention_days", "Keep customer data for (days)", { let v = answer(&s, "consent", "retention_days"); if v.is_empty() { "730".into() } else { v } }, "number")}
            <div class="flex items-center gap-2">
                <input id="ob-dnt" type="checkbox" name="fields[honour_dnt]" value="on" checked=answer(&s, "consent", "honour_dnt") != "false" prop:checked=answer(&s, "consent", "honour_dnt") != "false" />
                <label for="ob-dnt" class="text-sm text-slate-700">"Honour Do Not Track signals"</label>
            </div>
        }.into_any(),
        "eyes" => view! {
            <p class="text-sm text-slate-700">"EYES segments your customers and predicts churn and lifetime value. It needs enough history to learn from:"</p>
            <ul class="space-y-1 text-sm" data-testid="ob-readiness">
                {s.readiness.iter().map(|c| view! {
                    <li class=if c.passed { "text-emerald-700" } else { "text-amber-800" }>
                        {if c.passed { "✓ " } else { "○ " }}{c.label.clone()}<span class="text-slate-500">{format!(" — {}", c.detail)}</span>
                    </li>
                }).collect_view()}
            </ul>
            {if answer(&s, "eyes", "analysis_job_id").is_empty() {
                view! { <p class="text-xs text-slate-500">"Saving this step starts EYES' first analysis. It runs in the background; its segments and churn risks appear on the EYES page."</p> }.into_any()
            } else {
                view! { <p class="text-sm text-emerald-700" data-testid="ob-eyes-started">"The first analysis has started. "<a href="/eyes" class="underline">"See EYES"</a></p> }.into_any()
            }}
        }.into_any(),
        _ => view! {
            {text_input("ob-name", "name", "Campaign name", answer(&s, "first_campaign", "name"), "text")}
            {select_input("ob-objective", "objective", "Objective", &[("awareness", "Awareness"), ("acquisition", "Acquisition"), ("retention", "Retention"), ("win_back", "Win back")], answer(&s, "first_campaign", "objective"))}
            {text_input("ob-audience", "audience", "Audience", answer(&s, "first_campaign", "audience"), "text")}
            {text_input("ob-budget", "budget", "Budget (USD)", answer(&s, "first_campaign", "budget"), "text")}
        }.into_any(),
    };
    let last = step == s.steps.len();
    view! {
        <h2 class="mb-4 text-lg font-semibold text-slate-900" data-testid="onboarding-title">{format!("Step {step} of {}: {title}", s.steps.len())}</h2>
        <ActionForm action=a.save attr:class="space-y-4" attr:data-testid="onboarding-form">
            <input type="hidden" name="step" value=step />
            {body}
            <div class="flex flex-wrap gap-2 pt-2">
                <button type="submit" class="btn-primary" data-testid="onboarding-save">{if last { "Save" } else { "Save and continue" }}</button>
            </div>
        </ActionForm>
        <div class="mt-3 flex flex-wrap gap-2">
            {(key == "customers").then(|| view! {
                <ActionForm action=a.sample>
                    <button type="submit" class="btn-secondary" data-testid="onboarding-sample-data">"Use sample data"</button>
                </ActionForm>
            })}
            <ActionForm action=a.skip>
                <input type="hidden" name="step" value=step />
                <button type="submit" class="btn-secondary" data-testid="onboarding-skip">"Skip for now"</button>
            </ActionForm>
            <ActionForm action=a.finish>
                <button type="submit" class="btn-secondary" data-testid="onboarding-finish">"Finish setup"</button>
            </ActionForm>
        </div>
    }
}

