//! Sign-up, log-in and accept-invitation pages. They work as plain HTML form posts without
//! JavaScript too: the server function sets the cookies and answers with a redirect, and an
//! error comes back in the URL and is shown inline.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{AcceptInvitation, Login, Register};
use crate::components::errors::FormAlert;
use crate::components::form::{action_error, TextField};

#[component]
fn AuthCard(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <main class="flex min-h-screen items-center justify-center bg-slate-50 px-4 py-12">
            <div class="w-full max-w-sm">
                <p class="mb-6 text-center text-2xl font-bold tracking-tight text-indigo-700">"OmniFy"</p>
                <div class="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                    <h1 class="mb-5 text-lg font-semibold text-slate-900">{title}</h1>
                    {children()}
                </div>
            </div>
        </main>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let error = action_error(action);
    let pending = action.pending();
    let query = use_query_map();
    let next = query.with_untracked(|q| q.get("next")).unwrap_or_default();
    let signed_out = query.with_untracked(|q| q.get("signed_out").is_some());

    view! {
        <Title text="Log in · OmniFy" />
        <AuthCard title="Log in">
            {signed_out.then(|| view! {
                <p role="status" data-testid="signed-out" class="mb-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-800">
                    "You have signed out. Log in again whenever you are ready."
                </p>
            })}
            <ActionForm action=action>
                <div class="space-y-4" data-testid="login-form">
                    <FormAlert error=error fields=&["email", "password"] auth_form=true />
                    <input type="hidden" name="next" value=next />
                    <TextField
                        id="login-email"
                        name="email"
                        label="Email"
                        kind="email"
                        autocomplete="email"
                        required=true
                        error=error
                    />
                    <TextField
                        id="login-password"
                        name="password"
                        label="Password"
                        kind="password"
                        autocomplete="current-password"
                        required=true
                        error=error
                    />
                    <button type="submit" data-testid="login-submit" class="btn-primary w-full" disabled=pending>
                        {move || if pending.get() { "Logging in…" } else { "Log in" }}
                    </button>
                </div>
            </ActionForm>
            <p class="mt-5 text-center text-sm text-slate-600">
                "New to OmniFy? "
                <a href="/signup" class="link">
                    "Create an account"
                </a>
            </p>
        </AuthCard>
    }
}

#[component]
pub fn SignupPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let error = action_error(action);
    let pending = action.pending();

    view! {
        <Title text="Sign up · OmniFy" />
        <AuthCard title="Create your account">
            <ActionForm action=action>
                <div class="space-y-4" data-testid="signup-form">
                    <FormAlert
                        error=error
                        fields=&["email", "password", "full_name", "organization_name"]
                        auth_form=true
                    />
                    <TextField
                        id="signup-full-name"
                        name="full_name"
                        label="Full name"
                        autocomplete="name"
                        required=true
                        error=error
                    />
                    <TextField
                        id="signup-email"
                        name="email"
                        label="Work email"
                        kind="email"
                        autocomplete="email"
                        required=true
                        error=error
                    />
                    <TextField
                        id="signup-password"
                        name="password"
                        label="Password"
                        kind="password"
                        autocomplete="new-password"
                        required=true
                        minlength=8
                        hint="At least 8 characters."
                        error=error
                    />
                    <TextField
                        id="signup-organization"
                        name="organization_name"
                        label="Organization name"
                        autocomplete="organization"
                        required=true
                        error=error
                    />
                    <button type="submit" data-testid="signup-submit" class="btn-primary w-full" disabled=pending>
                        {move || if pending.get() { "Creating account…" } else { "Create account" }}
                    </button>
                </div>
            </ActionForm>
            <p class="mt-5 text-center text-sm text-slate-600">
                "Already have an account? "
                <a href="/login" class="link">
                    "Log in"
                </a>
            </p>
        </AuthCard>
    }
}

#[component]
pub fn AcceptInvitePage() -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let error = action_error(action);
    let pending = action.pending();
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    let has_token = !token.is_empty();

    view! {
        <Title text="Join your team · OmniFy" />
        <AuthCard title="Join your team">
            {if has_token {
                view! {
                    <ActionForm action=action>
                        <div class="space-y-4" data-testid="invite-form">
                            <p class="text-sm text-slate-600">
                                "You've been invited to an organization on OmniFy. Choose your name and a password to join."
                            </p>
                            <FormAlert error=error fields=&["full_name", "password"] auth_form=true />
                            <input type="hidden" name="token" value=token />
                            <TextField
                                id="invite-full-name"
                                name="full_name"
                                label="Full name"
                                autocomplete="name"
                                required=true
                                error=error
                            />
                            <TextField
                                id="invite-password"
                                name="password"
                                label="Password"
                                kind="password"
                                autocomplete="new-password"
                                required=true
                                minlength=8
                                hint="At least 8 characters."
                                error=error
                            />
                            <button
                                type="submit"
                                data-testid="invite-submit"
                                class="btn-primary w-full"
                                disabled=pending
                            >
                                {move || if pending.get() { "Joining…" } else { "Join organization" }}
                            </button>
                        </div>
                    </ActionForm>
                }
                    .into_any()
            } else {
                view! {
                    <p role="alert" class="text-sm text-slate-700" data-testid="invite-missing-token">
                        "This invitation link is incomplete. Open the full link from your invitation, or ask your admin for a new one."
                    </p>
                }
                    .into_any()
            }}
        </AuthCard>
    }
}
