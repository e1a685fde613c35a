//! Client intelligence: one customer's engagement across channels and, once EYES has scored
//! them, their churn risk with its top reasons — read from `brain_client`.

use leptos::prelude::*;
use omnify::model::ClientIntelligenceResponse;

use super::money;
use crate::api::brain::brain_client;
use crate::components::errors::ErrorView;
use crate::components::ui::{format_timestamp, group, Card, Loading};

#[component]
pub fn ClientIntelligenceCard(customer_id: String) -> impl IntoView {
    let intelligence = Resource::new(move || customer_id.clone(), brain_client);
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match intelligence.await {
                    Ok(c) => view! { <IntelligenceView c=c /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| intelligence.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn IntelligenceView(c: ClientIntelligenceResponse) -> impl IntoView {
    let churn = c.eyes.as_ref().map(|r| match (r.churn_risk, r.level.as_deref()) {
        (Some(p), Some(level)) => format!("Churn risk in 30 days: {:.0}% ({level})", p * 100.0),
        (Some(p), None) => format!("Churn risk in 30 days: {:.0}%", p * 100.0),
        _ => "No 30-day churn score: not enough history to train a model.".to_string(),
    });
    view! {
        <Card title="Client intelligence" testid="client-intelligence">
            <ul class="space-y-1 text-sm text-slate-700" data-testid="client-summary">
                {c.summary.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
            <dl class="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
                <dt class="text-slate-500">"Orders"</dt>
                <dd class="tabular-nums text-slate-900" data-testid="client-orders">{format!("{} · {}", group(c.orders), money(c.revenue_cents, "USD"))}</dd>
                <dt class="text-slate-500">"Last order"</dt>
                <dd class="text-slate-900" data-testid="client-last-order">{c.last_order_at.as_deref().map(format_timestamp).unwrap_or_else(|| "never".into())}</dd>
                <dt class="text-slate-500">"Last activity"</dt>
                <dd class="text-slate-900" data-testid="client-last-activity">{c.last_activity_at.as_deref().map(format_timestamp).unwrap_or_else(|| "none recorded".into())}</dd>
            </dl>
            <h3 class="mt-3 text-sm font-medium text-slate-700">"Channels"</h3>
            {if c.channels.is_empty() {
                view! { <p class="text-sm text-slate-600" data-testid="client-channels">"No channel activity recorded."</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-1 flex flex-wrap gap-1" data-testid="client-channels">
                        {c.channels
                            .into_iter()
                            .map(|ch| view! {
                                <li class="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700" data-testid="client-channel" data-channel=ch.channel.clone()>
                                    {format!("{} · {} event{}", ch.channel, group(ch.events), if ch.events == 1 { "" } else { "s" })}
                                </li>
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
            {churn.map(|text| view! {
                <h3 class="mt-3 text-sm font-medium text-slate-700">"EYES"</h3>
                <p class="text-sm text-slate-700" data-testid="client-churn">{text}</p>
                {(!c.top_reasons.is_empty()).then(|| view! {
                    <ul class="mt-1 list-disc pl-5 text-sm text-slate-600" data-testid="client-reasons">
                        {c.top_reasons.iter().map(|r| view! { <li>{r.text.clone()}</li> }).collect_view()}
                    </ul>
                })}
            })}
        </Card>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use omnify::model::ChannelEngagement;

    #[test]
    fn renders_engagement_and_the_service_message_without_eyes() {
        let c = ClientIntelligenceResponse {
            customer_id: "c1".into(),
            name: Some("Ada".into()),
            orders: 2,
            revenue_cents: 12_500,
            events: 3,
            last_order_at: Some("2026-01-15T10:30:00Z".into()),
            last_activity_at: Some("2026-01-20T08:00:00Z".into()),
            channels: vec![ChannelEngagement { channel: "email".into(), events: 2 }, ChannelEngagement { channel: "sms".into(), events: 1 }],
            eyes: None,
            top_reasons: vec![],
            summary: vec!["2 orders worth 125.00 in total, 3 recorded events.".into(), "EYES has not analysed this organization's customers yet.".into()],
        };
        let html = Owner::new().with(|| view! { <IntelligenceView c=c /> }.to_html());
        assert!(html.contains("EYES has not analysed"), "{html}");
        assert!(html.contains("2026-01-15 10:30 UTC") && html.contains("email · 2 events") && html.contains("sms · 1 event<"), "{html}");
        assert!(!html.contains(r#"data-testid="client-churn""#));
    }
}
