use leptos::prelude::*;
use leptos_router::location::Url;
use omnify::model::{InvitationCreated, InvitationDto, MemberDto, Role, Viewer};

use crate::api::invitations::{list_invitations, CreateInvitation, RevokeInvitation};
use crate::api::members::{list_members, RemoveMember, UpdateMemberRole};
use crate::components::errors::{ErrorView, FormAlert};
use crate::components::form::{action_error, role_label, RoleSelect, TextField};
use crate::components::shell::use_viewer;
use crate::components::ui::{format_date, Card, Loading, Notice};

#[component]
pub fn MembersSettings() -> impl IntoView {
    let viewer = use_viewer();
    let update_role = ServerAction::<UpdateMemberRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let members = Resource::new(
        move || (update_role.version().get(), remove.version().get()),
        |_| list_members(),
    );
    let update_error = action_error(update_role);
    let remove_error = action_error(remove);

    view! {
        <div class="grid gap-6">
            <Card title="Members" testid="members-card">
                <div class="mb-3 space-y-2">
                    <FormAlert error=update_error />
                    <FormAlert error=remove_error />
                </div>
                <Transition fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        match (viewer.await, members.await) {
                            (Ok(me), Ok(list)) => {
                                view! { <MembersTable me=me list=list update_role=update_role remove=remove /> }
                                    .into_any()
                            }
                            (Err(e), _) => {
                                view! { <ErrorView error=e on_retry=move |_| viewer.refetch() /> }.into_any()
                            }
                            (_, Err(e)) => {
                                view! { <ErrorView error=e on_retry=move |_| members.refetch() /> }.into_any()
                            }
                        }
                    })}
                </Transition>
            </Card>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match viewer.await {
                        Ok(me) if me.user.role.can_administer() => view! { <Invitations /> }.into_any(),
                        _ => ().into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn MembersTable(
    me: Viewer,
    list: Vec<MemberDto>,
    update_role: ServerAction<UpdateMemberRole>,
    remove: ServerAction<RemoveMember>,
) -> impl IntoView {
    let admin = me.user.role.can_administer();
    let my_id = me.user.user_id.clone();
    view! {
        <div class="overflow-x-auto">
            <table class="min-w-full text-left text-sm" data-testid="members-table">
                <caption class="sr-only">"Members of your organization"</caption>
                <thead class="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                        <th scope="col" class="py-2 pr-4 font-medium">"Name"</th>
                        <th scope="col" class="py-2 pr-4 font-medium">"Email"</th>
                        <th scope="col" class="py-2 pr-4 font-medium">"Role"</th>
                        <th scope="col" class="py-2 pr-4 font-medium">"Joined"</th>
                        {admin.then(|| view! { <th scope="col" class="py-2 font-medium"><span class="sr-only">"Actions"</span></th> })}
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {list
                        .into_iter()
                        .map(|m| {
                            let is_me = m.user_id == my_id;
                            view! { <MemberRow member=m is_me=is_me admin=admin update_role=update_role remove=remove /> }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn MemberRow(
    member: MemberDto,
    is_me: bool,
    admin: bool,
    update_role: ServerAction<UpdateMemberRole>,
    remove: ServerAction<RemoveMember>,
) -> impl IntoView {
    let editable = admin && !is_me;
    let select_id = format!("role-{}", member.user_id);
    let role_cell = if editable {
        let user_id = member.user_id.clone();
        let label = format!("role of {}", member.full_name);
        view! {
            <ActionForm action=update_role>
                <div class="flex items-center gap-2">
                    <input type="hidden" name="user_id" value=user_id />
                    <RoleSelect id=select_id name="role" label=format!("Change {label}") selected=member.role hide_label=true />
                    <button type="submit" class="btn-secondary" aria-label=format!("Save {label}")>
                        "Save"
                    </button>
                </div>
            </ActionForm>
        }
        .into_any()
    } else {
        view! { <span data-testid="member-role">{role_label(member.role)}</span> }.into_any()
    };
    let actions = admin.then(|| {
        if editable {
            let user_id = member.user_id.clone();
            let name = member.full_name.clone();
            view! {
                <td class="py-2 text-right">
                    <ActionForm action=remove>
                        <input type="hidden" name="user_id" value=user_id />
                        <button type="submit" class="btn-danger" aria-label=format!("Remove {name}")>
                            "Remove"
                        </button>
                    </ActionForm>
                </td>
            }
            .into_any()
        } else {
            view! { <td class="py-2"></td> }.into_any()
        }
    });
    view! {
        <tr data-testid="member-row" data-email=member.email.clone()>
            <td class="py-2 pr-4 font-medium text-slate-900">
                {member.full_name.clone()}
                {is_me.then(|| view! { <span class="ml-1 text-xs font-normal text-slate-500">"(you)"</span> })}
            </td>
            <td class="py-2 pr-4 text-slate-700">{member.email.clone()}</td>
            <td class="py-2 pr-4">{role_cell}</td>
            <td class="py-2 pr-4 text-slate-600">{format_date(&member.joined_at)}</td>
            {actions}
        </tr>
    }
}

/// Invite by email and role; pending invitations with revoke (owners and admins).
#[component]
fn Invitations() -> impl IntoView {
    let create = ServerAction::<CreateInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let create_error = action_error(create);
    let revoke_error = action_error(revoke);
    let pending = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_invitations(),
    );
    let creating = create.pending();

    view! {
        <Card title="Invite a teammate" testid="invite-card">
            <ActionForm action=create>
                <div class="space-y-4">
                    <FormAlert error=create_error fields=&["email"] />
                    <div class="flex flex-wrap items-end gap-3">
                        <div class="min-w-64 flex-1">
                            <TextField
                                id="invite-email"
                                name="email"
                                label="Email"
                                kind="email"
                                autocomplete="off"
                                required=true
                                error=create_error
                            />
                        </div>
                        <div class="space-y-1">
                            <RoleSelect id="invite-role".to_string() name="role" label="Role" selected=Role::Member />
                        </div>
                        <button type="submit" class="btn-primary" data-testid="invite-submit" disabled=creating>
                            "Send invitation"
                        </button>
                    </div>
                </div>
            </ActionForm>
            {move || match create.value().get() {
                Some(Ok(created)) => Some(view! { <CreatedInvitation created=created /> }),
                _ => None,
            }}
        </Card>
        <Card title="Pending invitations" testid="invitations-card">
            <div class="mb-3">
                <FormAlert error=revoke_error />
            </div>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match pending.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="text-sm text-slate-600" data-testid="no-invitations">"No pending invitations."</p> }
                                .into_any()
                        }
                        Ok(list) => view! { <InvitationsTable list=list revoke=revoke /> }.into_any(),
                        Err(e) => view! { <ErrorView error=e on_retry=move |_| pending.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </Card>
    }
}

/// The accept link of a new invitation, shown once (the token is not stored in clear).
#[component]
fn CreatedInvitation(created: InvitationCreated) -> impl IntoView {
    let path = format!("/invite?token={}", Url::escape(&created.token));
    #[cfg(not(feature = "ssr"))]
    let link = window().location().origin().map(|o| format!("{o}{path}")).unwrap_or(path);
    #[cfg(feature = "ssr")]
    let link = path;
    view! {
        <div class="mt-4 space-y-2" data-testid="invite-created">
            <Notice>
                "Invitation created for "
                <strong>{created.email.clone()}</strong>
                " as "
                {role_label(created.role)}
                ". Share this link with them — it is shown only once and expires on "
                {format_date(&created.expires_at)}
                "."
            </Notice>
            <label for="invite-link" class="block text-sm font-medium text-slate-700">
                "Invitation link"
            </label>
            <input
                id="invite-link"
                data-testid="invite-link"
                type="text"
                readonly=true
                value=link
                class="input font-mono text-xs"
                on:focus=|ev| {
                    event_target::<leptos::web_sys::HtmlInputElement>(&ev).select();
                }
            />
        </div>
    }
}

#[component]
fn InvitationsTable(list: Vec<InvitationDto>, revoke: ServerAction<RevokeInvitation>) -> impl IntoView {
    view! {
        <div class="overflow-x-auto">
            <table class="min-w-full text-left text-sm" data-testid="invitations-table">
                <caption class="sr-only">"Pending invitations"</caption>
                <thead class="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                        <th scope="col" class="py-2 pr-4 font-medium">"Email"</th>
                        <th scope="col" class="py-2 pr-4 font-medium">"Role"</th>
                        <th scope="col" class="py-2 pr-4 font-medium">"Expires"</th>
                        <th scope="col" class="py-2 font-medium"><span class="sr-only">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {list
                        .into_iter()
                        .map(|inv| {
                            let email = inv.email.clone();
                            view! {
                                <tr data-testid="invitation-row" data-email=inv.email.clone()>
                                    <td class="py-2 pr-4 text-slate-900">{inv.email.clone()}</td>
                                    <td class="py-2 pr-4 text-slate-700">{role_label(inv.role)}</td>
                                    <td class="py-2 pr-4 text-slate-600">{format_date(&inv.expires_at)}</td>
                                    <td class="py-2 text-right">
                                        <ActionForm action=revoke>
                                            <input type="hidden" name="invitation_id" value=inv.invitation_id.clone() />
                                            <button
                                                type="submit"
                                                class="btn-secondary"
                                                aria-label=format!("Revoke invitation for {email}")
                                            >
                                                "Revoke"
                                            </button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
