use leptos::prelude::*;

use crate::api::organization::{get_organization, UpdateOrganization};
use crate::components::errors::{ErrorView, FormAlert};
use crate::components::form::{action_error, TextField};
use crate::components::shell::use_viewer;
use crate::components::ui::{format_date, Card, Loading, Notice};

#[component]
pub fn OrganizationSettings() -> impl IntoView {
    let viewer = use_viewer();
    let update = ServerAction::<UpdateOrganization>::new();
    let update_error = action_error(update);
    let pending = update.pending();
    let organization = Resource::new(move || update.version().get(), |_| get_organization());

    Effect::new(move |_| {
        if let Some(Ok(_)) = update.value().get() {
            viewer.refetch();
        }
    });
    let saved = move || matches!(update.value().get(), Some(Ok(_)));

    view! {
        <Card title="Organization" testid="organization-card">
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let (org, me) = (organization.await, viewer.await);
                    match (org, me) {
                        (Ok(org), Ok(me)) => {
                            let can_edit = me.user.role.can_administer();
                            view! {
                                <dl class="mb-5 grid max-w-md grid-cols-3 gap-y-2 text-sm">
                                    <dt class="text-slate-500">"Name"</dt>
                                    <dd class="col-span-2 text-slate-900" data-testid="organization-name">
                                        {org.name.clone()}
                                    </dd>
                                    <dt class="text-slate-500">"Plan"</dt>
                                    <dd class="col-span-2 capitalize text-slate-900">{org.subscription_tier.clone()}</dd>
                                    <dt class="text-slate-500">"Created"</dt>
                                    <dd class="col-span-2 text-slate-900">{format_date(&org.created_at)}</dd>
                                </dl>
                                {if can_edit {
                                    view! {
                                        <ActionForm action=update>
                                            <div class="max-w-md space-y-4">
                                                <FormAlert error=update_error fields=&["name"] />
                                                {move || {
                                                    saved().then(|| view! { <Notice>"Organization saved."</Notice> })
                                                }}
                                                <TextField
                                                    id="organization-name-input"
                                                    name="name"
                                                    label="Organization name"
                                                    autocomplete="organization"
                                                    required=true
                                                    value=org.name.clone()
                                                    error=update_error
                                                />
                                                <button
                                                    type="submit"
                                                    class="btn-primary"
                                                    data-testid="organization-save"
                                                    disabled=pending
                                                >
                                                    "Save"
                                                </button>
                                            </div>
                                        </ActionForm>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <p class="text-sm text-slate-600">
                                            "Only owners and admins can change the organization's settings."
                                        </p>
                                    }
                                        .into_any()
                                }}
                            }
                                .into_any()
                        }
                        (Err(e), _) => {
                            view! { <ErrorView error=e on_retry=move |_| organization.refetch() /> }.into_any()
                        }
                        (_, Err(e)) => view! { <ErrorView error=e on_retry=move |_| viewer.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </Card>
    }
}
