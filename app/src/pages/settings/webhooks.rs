use leptos::prelude::*;

use crate::api::webhooks::{get_webhook_settings, RotateWebhookSecret};
use crate::components::errors::{ErrorView, FormAlert};
use crate::components::form::action_error;
use crate::components::shell::use_viewer;
use crate::components::ui::{format_timestamp, Card, Loading};

/// The webhook endpoint, how to sign deliveries, and the signing secret (shown once).
#[component]
pub fn WebhookSettings() -> impl IntoView {
    let viewer = use_viewer();
    let rotate = ServerAction::<RotateWebhookSecret>::new();
    let rotate_error = action_error(rotate);
    let settings = Resource::new(move || rotate.version().get(), |_| get_webhook_settings());

    view! {
        <div class="grid gap-6">
            <Card title="Webhooks" testid="webhooks-card">
                <Transition fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        match (settings.await, viewer.await) {
                            (Ok(s), Ok(me)) => {
                                let admin = me.user.role.can_administer();
                                view! {
                                    <div class="space-y-3 text-sm text-slate-700">
                                        <p>
                                            "Send customers, orders, events or campaign performance to "
                                            <code data-testid="webhook-endpoint" class="rounded bg-slate-100 px-1">{format!("POST {}", s.endpoint)}</code>
                                            ", where {source} names the sender (e.g. shopify or my-app)."
                                        </p>
                                        <p>
                                            "Sign each delivery: header "<code>"X-OmniFy-Timestamp"</code>" (unix seconds) and "
                                            <code>"X-OmniFy-Signature: sha256=<hex>"</code>", the HMAC-SHA256 of "
                                            <code>"{timestamp}.{body}"</code>" with your secret. Deliveries more than 5 minutes old, "
                                            "with a bad signature, or with an id already received are not stored."
                                        </p>
                                        <p>
                                            "Body: "<code>{r#"{"id": "evt_1", "type": "orders", "data": [{"order_id": "1001", "email": "kim@example.com", "amount": "59.00", "ordered_at": "2026-03-01T12:00:00Z"}]}"#}</code>
                                        </p>
                                        <p data-testid="webhook-status">
                                            {if s.configured {
                                                format!(
                                                    "Signing secret created {}. {} deliveries in the last 24 hours{}.",
                                                    s.secret_created_at.as_deref().map(format_timestamp).unwrap_or_default(),
                                                    s.deliveries_last_24h,
                                                    s.last_delivery_at.as_deref().map(|t| format!(", the last at {}", format_timestamp(t))).unwrap_or_default()
                                                )
                                            } else {
                                                "No signing secret yet: webhooks are refused until an admin creates one.".to_string()
                                            }}
                                        </p>
                                        {admin.then(|| view! {
                                            <ActionForm action=rotate>
                                                <FormAlert error=rotate_error />
                                                <button type="submit" class="btn-primary" data-testid="rotate-webhook-secret">
                                                    {if s.configured { "Rotate the secret" } else { "Create a signing secret" }}
                                                </button>
                                                {s.configured.then(|| view! { <span class="ml-2 text-xs text-slate-500">"The current secret stops working at once."</span> })}
                                            </ActionForm>
                                        })}
                                    </div>
                                }
                                    .into_any()
                            }
                            (Err(e), _) | (_, Err(e)) => view! { <ErrorView error=e on_retry=move |_| settings.refetch() /> }.into_any(),
                        }
                    })}
                </Transition>
                {move || rotate.value().get().and_then(Result::ok).map(|created| view! {
                    <div role="status" class="mt-4 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
                        <p class="font-medium">"Copy this secret now: it will not be shown again."</p>
                        <code data-testid="webhook-secret" class="mt-1 block break-all">{created.secret}</code>
                    </div>
                })}
            </Card>
        </div>
    }
}
