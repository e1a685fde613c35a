//! Integrations: every platform OmniFy connects to, its status, last sync and records; connect
//! with a key (tested against the platform first), sync now (a background job, followed live
//! while the page is open), disconnect.

use leptos::prelude::*;
use leptos_meta::Title;
use omnify::model::PlatformDto;

use crate::api::platforms::{list_platforms, ConnectPlatform, DisconnectPlatform, SyncPlatform};
use crate::components::errors::{ErrorView, FormAlert};
use crate::components::form::action_error;
use crate::components::ui::{format_timestamp, Card, Loading, PageHeader};

#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let connect = ServerAction::<ConnectPlatform>::new();
    let sync = ServerAction::<SyncPlatform>::new();
    let disconnect = ServerAction::<DisconnectPlatform>::new();
    let refresh = RwSignal::new(0u32);
    let platforms = Resource::new(
        move || (connect.version().get(), sync.version().get(), disconnect.version().get(), refresh.get()),
        |_| list_platforms(),
    );
    let connect_error = action_error(connect);
    let sync_error = action_error(sync);
    let disconnect_error = action_error(disconnect);

    // While a sync runs, refresh the list every 1.5 s (browser only).
    Effect::new(move |_| {
        let running = platforms.get().and_then(Result::ok).is_some_and(|list| list.iter().any(|p| p.active_job_id.is_some()));
        if running {
            set_timeout(move || refresh.update(|n| *n += 1), std::time::Duration::from_millis(1500));
        }
    });

    view! {
        <Title text="Integrations · OmniFy" />
        <PageHeader title="Integrations" subtitle="Connect the platforms you already use; OmniFy syncs their customers, orders, events and campaign results." />
        <div class="mb-4 space-y-2">
            <FormAlert error=connect_error />
            <FormAlert error=sync_error />
            <FormAlert error=disconnect_error />
        </div>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match platforms.await {
                    Ok(list) => view! {
                        <div class="grid gap-4 md:grid-cols-2" data-testid="platforms">
                            {list.into_iter().map(|p| view! { <PlatformCard p=p connect=connect sync=sync disconnect=disconnect /> }).collect_view()}
                        </div>
                    }.into_any(),
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| platforms.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PlatformCard(
    p: PlatformDto,
    connect: ServerAction<ConnectPlatform>,
    sync: ServerAction<SyncPlatform>,
    disconnect: ServerAction<DisconnectPlatform>,
) -> impl IntoView {
    let connected = p.status != "not_connected";
    let key_label = if p.auth == "api_key" { "API key" } else { "Access token" };
    let testid = format!("platform-{}", p.platform);
    let form_platform = p.platform.clone();
    let slug = p.platform.clone();
    let id = move |what: &str| format!("{slug}-{what}");
    let status_class = match p.status.as_str() {
        "connected" => "text-emerald-700",
        "syncing" => "text-indigo-700",
        "error" => "text-rose-700",
        _ => "text-slate-500",
    };
    view! {
        <Card>
            <div data-testid=testid class="grid gap-2 text-sm">
                <div class="flex items-baseline justify-between gap-2">
                    <h2 class="text-base font-semibold text-slate-900">{p.name.clone()}</h2>
                    <span class=status_class data-testid="platform-status">
                        {if p.active_job_id.is_some() { "syncing…".to_string() } else { p.status.replace('_', " ") }}
                    </span>
                </div>
                {connected.then(|| view! {
                    <p class="text-slate-600">
                        {p.account_name.clone().or(p.account_id.clone()).unwrap_or_default()}
                        {format!(" · {} records synced", p.records_synced)}
                        {p.last_sync_at.as_deref().map(|t| format!(" · last sync {}", format_timestamp(t)))}
                    </p>
                })}
                {p.last_error.clone().map(|e| view! { <p role="alert" class="text-rose-700">{e}</p> })}
                {if connected {
                    let platform = p.platform.clone();
                    let platform2 = p.platform.clone();
                    view! {
                        <div class="flex gap-2">
                            <ActionForm action=sync>
                                <input type="hidden" name="platform" value=platform />
                                <button type="submit" class="btn-primary" disabled=p.active_job_id.is_some()>"Sync now"</button>
                            </ActionForm>
                            <ActionForm action=disconnect>
                                <input type="hidden" name="platform" value=platform2 />
                                <button type="submit" class="btn-secondary">"Disconnect"</button>
                            </ActionForm>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <details>
                            <summary class="cursor-pointer text-indigo-700">"Connect"</summary>
                            <ActionForm action=connect attr:class="mt-2 grid gap-2">
                                <input type="hidden" name="platform" value=form_platform />
                                <label for=id("secret") class="text-slate-700">{key_label}</label>
                                <input id=id("secret") name="secret" type="password" required autocomplete="off" class="input" />
                                <label for=id("base") class="text-slate-700">"API base URL (optional)"</label>
                                <input id=id("base") name="base_url" type="url" placeholder="the platform's own" class="input" />
                                <label for=id("settings") class="text-slate-700">"Account settings as JSON (optional, e.g. {\"shop\": \"my-shop\"})"</label>
                                <input id=id("settings") name="settings" class="input" autocomplete="off" />
                                <div><button type="submit" class="btn-primary">"Test and connect"</button></div>
                            </ActionForm>
                        </details>
                    }.into_any()
                }}
            </div>
        </Card>
    }
}
