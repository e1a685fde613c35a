use leptos::prelude::*;

use crate::api::account::{ChangePassword, UpdateProfile};
use crate::components::errors::{ErrorView, FormAlert};
use crate::components::form::{action_error, TextField};
use crate::components::shell::use_viewer;
use crate::components::ui::{Card, Loading, Notice};

#[component]
pub fn ProfileSettings() -> impl IntoView {
    let viewer = use_viewer();
    let update = ServerAction::<UpdateProfile>::new();
    let update_error = action_error(update);
    let password = ServerAction::<ChangePassword>::new();
    let password_error = action_error(password);
    let update_pending = update.pending();
    let password_pending = password.pending();

    // A new name shows in the header at once.
    Effect::new(move |_| {
        if let Some(Ok(_)) = update.value().get() {
            viewer.refetch();
        }
    });
    let saved = move || matches!(update.value().get(), Some(Ok(_)));
    let password_saved = move || matches!(password.value().get(), Some(Ok(_)));

    view! {
        <div class="grid gap-6">
            <Card title="Profile" testid="profile-card">
                <Transition fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        match viewer.await {
                            Ok(v) => {
                                view! {
                                    <ActionForm action=update>
                                        <div class="max-w-md space-y-4">
                                            <FormAlert error=update_error fields=&["full_name"] />
                                            {move || saved().then(|| view! { <Notice>"Your name was saved."</Notice> })}
                                            <div>
                                                <p class="text-sm font-medium text-slate-700">"Email"</p>
                                                <p class="text-sm text-slate-900" data-testid="profile-email">
                                                    {v.user.email.clone()}
                                                </p>
                                            </div>
                                            <TextField
                                                id="profile-full-name"
                                                name="full_name"
                                                label="Full name"
                                                autocomplete="name"
                                                required=true
                                                value=v.user.full_name.clone()
                                                error=update_error
                                            />
                                            <button
                                                type="submit"
                                                class="btn-primary"
                                                data-testid="profile-save"
                                                disabled=update_pending
                                            >
                                                "Save name"
                                            </button>
                                        </div>
                                    </ActionForm>
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <ErrorView error=e on_retry=move |_| viewer.refetch() /> }.into_any(),
                        }
                    })}
                </Transition>
            </Card>
            <Card title="Password" testid="password-card">
                <ActionForm action=password>
                    <div class="max-w-md space-y-4">
                        <FormAlert error=password_error fields=&["current_password", "password"] />
                        {move || password_saved().then(|| view! { <Notice>"Your password was changed."</Notice> })}
                        <TextField
                            id="profile-current-password"
                            name="current_password"
                            label="Current password"
                            kind="password"
                            autocomplete="current-password"
                            required=true
                            error=password_error
                        />
                        <TextField
                            id="profile-new-password"
                            name="password"
                            label="New password"
                            kind="password"
                            autocomplete="new-password"
                            required=true
                            minlength=8
                            hint="At least 8 characters."
                            error=password_error
                        />
                        <button
                            type="submit"
                            class="btn-primary"
                            data-testid="password-save"
                            disabled=password_pending
                        >
                            "Change password"
                        </button>
                    </div>
                </ActionForm>
            </Card>
        </div>
    }
}
