//! The campaign form: create (no campaign) or edit. Server-side validation errors show next to
//! their field.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use omnify::brain::channels::ContentPlatform;
use omnify::model::{CampaignDto, OBJECTIVES};

use super::label;
use crate::api::campaigns::CampaignSave;
use crate::api::eyes::eyes_segments;
use crate::components::errors::FormAlert;
use crate::components::form::{action_error, TextField};

const FIELDS: &[&str] = &["name", "budget", "starts_on", "ends_on"];

#[component]
pub fn CampaignForm(campaign: Option<CampaignDto>) -> impl IntoView {
    let save = ServerAction::<CampaignSave>::new();
    let error = action_error(save);
    let editing = campaign.is_some();
    // A new campaign opens its own page; an edit stays.
    Effect::new(move |_| {
        if let Some(Ok(c)) = save.value().get() {
            if !editing {
                use_navigate()(&format!("/campaigns/{}", c.campaign_id), Default::default());
            }
        }
    });
    let segments = Resource::new(|| (), |_| eyes_segments("30d".into()));
    let c = campaign.clone();
    let chosen: Vec<String> = c.as_ref().map(|c| c.platforms.clone()).unwrap_or_default();
    let objective = c.as_ref().map(|c| c.objective.clone()).unwrap_or_else(|| "sales".into());
    let target = c.as_ref().and_then(|c| c.target_segment.as_ref().map(|t| t.segment_id.clone())).unwrap_or_default();
    let target_name = c.as_ref().and_then(|c| c.target_segment.as_ref().map(|t| t.name.clone()));
    let prefix = if editing { "edit" } else { "new" };
    view! {
        <ActionForm action=save attr:class="space-y-3" attr:data-testid=format!("campaign-form-{prefix}")>
            <input type="hidden" name="campaign_id" value=c.as_ref().map(|c| c.campaign_id.clone()).unwrap_or_default() />
            <FormAlert error=error fields=FIELDS />
            {move || (editing && save.value().get().is_some_and(|r| r.is_ok())).then(|| view! {
                <p class="text-sm text-emerald-700" data-testid="campaign-saved">"Saved."</p>
            })}
            <TextField id=if editing { "edit-name" } else { "new-name" } name="name" label="Name" error=error required=true value=c.as_ref().map(|c| c.name.clone()).unwrap_or_default() />
            <div class="space-y-1">
                <label for=format!("{prefix}-objective") class="block text-sm font-medium text-slate-700">"Objective"</label>
                <select id=format!("{prefix}-objective") name="objective" class="input" data-testid="campaign-objective">
                    {OBJECTIVES.iter().map(|o| view! { <option value=*o selected=*o == objective>{label(o)}</option> }).collect_view()}
                </select>
            </div>
            <TextField id=if editing { "edit-budget" } else { "new-budget" } name="budget" label="Budget" error=error required=true value=c.as_ref().map(|c| format!("{:.2}", c.budget)).unwrap_or_default() hint="For the whole campaign, in your currency" />
            <div class="grid grid-cols-2 gap-2">
                <TextField id=if editing { "edit-starts" } else { "new-starts" } name="starts_on" label="Starts" kind="date" error=error required=true value=c.as_ref().and_then(|c| c.starts_on.clone()).unwrap_or_default() />
                <TextField id=if editing { "edit-ends" } else { "new-ends" } name="ends_on" label="Ends" kind="date" error=error required=true value=c.as_ref().and_then(|c| c.ends_on.clone()).unwrap_or_default() />
            </div>
            <fieldset class="space-y-1">
                <legend class="text-sm font-medium text-slate-700">"Platforms"</legend>
                <div class="grid grid-cols-2 gap-1 text-sm">
                    {ContentPlatform::ALL.iter().map(|p| {
                        let on = chosen.iter().any(|c| c == p.as_str());
                        view! {
                            <label class="flex items-center gap-2">
                                <input type="checkbox" name=format!("platforms[{}]", p.as_str()) value="on" checked=on prop:checked=on data-testid=format!("platform-{}", p.as_str()) />
                                {p.label()}
                            </label>
                        }
                    }).collect_view()}
                </div>
                {move || error.get().filter(|e| e.field() == Some("platforms")).map(|e| view! { <p class="text-sm text-red-700" data-testid="platforms-error">{e.message().to_string()}</p> })}
            </fieldset>
            <div class="space-y-1">
                <label for=format!("{prefix}-segment") class="block text-sm font-medium text-slate-700">"Target segment (EYES)"</label>
                <Transition fallback=|| view! { <select class="input" disabled=true><option>"Loading segments…"</option></select> }>
                    {
                        let target = target.clone();
                        let target_name = target_name.clone();
                        move || {
                            let (target, target_name) = (target.clone(), target_name.clone());
                            Suspend::new(async move {
                                let options = segments.await.map(|s| s.segments).unwrap_or_default();
                                let current_listed = options.iter().any(|s| s.segment_id == target);
                                view! {
                                    <select id=format!("{prefix}-segment") name="target_segment_id" class="input" data-testid="campaign-segment">
                                        <option value="">"Everyone (no segment)"</option>
                                        {(!target.is_empty() && !current_listed).then(|| view! {
                                            <option value=target.clone() selected=true>{format!("{} (from an earlier analysis)", target_name.clone().unwrap_or_default())}</option>
                                        })}
                                        {options.into_iter().map(|s| {
                                            let selected = s.segment_id == target;
                                            view! { <option value=s.segment_id.clone() selected=selected>{format!("{} · {} customers", s.name, s.size)}</option> }
                                        }).collect_view()}
                                    </select>
                                }
                            })
                        }
                    }
                </Transition>
                {move || error.get().filter(|e| e.field() == Some("target_segment_id")).map(|e| view! { <p class="text-sm text-red-700">{e.message().to_string()}</p> })}
            </div>
            <div class="space-y-1">
                <label for=format!("{prefix}-description") class="block text-sm font-medium text-slate-700">"What is it about?"</label>
                <textarea id=format!("{prefix}-description") name="description" rows="3" class="input" placeholder="The offer, the product, the message">{c.as_ref().and_then(|c| c.description.clone()).unwrap_or_default()}</textarea>
            </div>
            {editing.then(|| {
                let status = c.as_ref().map(|c| c.status.clone()).unwrap_or_default();
                view! {
                    <div class="space-y-1">
                        <label for="edit-status" class="block text-sm font-medium text-slate-700">"Status"</label>
                        <select id="edit-status" name="status" class="input">
                            {omnify::model::CAMPAIGN_STATUSES.iter().map(|s| view! { <option value=*s selected=*s == status>{label(s)}</option> }).collect_view()}
                        </select>
                    </div>
                }
            })}
            <button type="submit" class="btn-primary" data-testid=format!("campaign-save-{prefix}") disabled=move || save.pending().get()>
                {if editing { "Save changes" } else { "Create campaign" }}
            </button>
        </ActionForm>
    }
}
