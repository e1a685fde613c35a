//! One segment: its profile, its customers (riskiest first, paged) and a draft retention
//! campaign aimed at it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use omnify::model::SegmentCustomersResponse;

use super::unit_value;
use crate::api::eyes::{eyes_segment_customers, EyesRetentionCampaign};
use crate::components::errors::{ErrorView, FormAlert};
use crate::components::form::action_error;
use crate::components::ui::{group, Card, Loading, Notice, PageHeader};
use crate::pages::customers::money;

const PAGE: i64 = 50;

#[component]
pub fn SegmentPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let segment_id = Memo::new(move |_| params.read().get("segment_id").unwrap_or_default());
    let offset = Memo::new(move |_| query.read().get("offset").and_then(|o| o.parse::<i64>().ok()).unwrap_or(0).max(0));
    let data = Resource::new(move || (segment_id.get(), offset.get()), |(id, offset)| eyes_segment_customers(id, offset));
    view! {
        <Title text="Segment · EYES · OmniFy" />
        <p class="mb-2 text-sm"><a class="link" href="/eyes">"← EYES"</a></p>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <SegmentView d=d /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e on_retry=move |_| data.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SegmentView(d: SegmentCustomersResponse) -> impl IntoView {
    let campaign = ServerAction::<EyesRetentionCampaign>::new();
    let campaign_error = action_error(campaign);
    let seg = d.segment.clone();
    let next = (d.offset + d.limit < d.total).then(|| format!("/eyes/segments/{}?offset={}", seg.segment_id, d.offset as i64 + PAGE));
    let previous = (d.offset > 0).then(|| format!("/eyes/segments/{}?offset={}", seg.segment_id, (d.offset as i64 - PAGE).max(0)));
    view! {
        <PageHeader title="Segment" />
        <h2 class="-mt-4 mb-4 text-xl font-semibold text-slate-900" data-testid="segment-title">{seg.name.clone()}</h2>
        <div class="grid gap-6 lg:grid-cols-3">
            <Card title="Profile" testid="segment-profile">
                <p class="text-sm text-slate-700">{format!("{} customers ({:.0}%), {:.0}% of revenue", group(seg.size as i64), seg.share * 100.0, seg.revenue_share * 100.0)}</p>
                <dl class="mt-3 grid grid-cols-2 gap-x-3 gap-y-1 text-xs">
                    {seg.centre.iter().map(|c| view! {
                        <dt class="text-slate-500">{c.label.clone()}</dt>
                        <dd class="text-right tabular-nums text-slate-800">{unit_value(c.value, &c.unit)}<span class="text-slate-400">{format!(" / {}", unit_value(c.population_mean, &c.unit))}</span></dd>
                    }).collect_view()}
                </dl>
                <p class="mt-2 text-xs text-slate-400">"segment mean / everyone"</p>
            </Card>
            <div class="lg:col-span-2">
                <Card title="Retention campaign" testid="segment-campaign">
                    <p class="mb-2 text-sm text-slate-600">"Create a draft campaign aimed at this segment; plan and write it under Campaigns."</p>
                    <FormAlert error=campaign_error />
                    {move || campaign.value().get().and_then(Result::ok).map(|c| view! {
                        <div class="mb-2" data-testid="campaign-created"><Notice>{format!("Draft created: {} ({} customers)", c.name, group(c.audience_size as i64))}</Notice></div>
                    })}
                    <ActionForm action=campaign attr:class="flex flex-wrap items-end gap-2">
                        <input type="hidden" name="segment_id" value=seg.segment_id.clone() />
                        <label class="text-sm">"Channel "
                            <select name="campaign_type" class="input" data-testid="campaign-type">
                                <option value="email">"Email"</option>
                                <option value="sms">"SMS"</option>
                                <option value="push">"Push"</option>
                                <option value="in_app">"In-app"</option>
                            </select>
                        </label>
                        <button type="submit" class="btn-primary" data-testid="campaign-create">"Create draft"</button>
                    </ActionForm>
                </Card>
            </div>
        </div>
        <div class="mt-6">
            <Card title="Customers, riskiest first (30 days)" testid="segment-customers">
                <table class="min-w-full text-left text-sm">
                    <thead class="text-xs text-slate-500">
                        <tr><th scope="col" class="py-1 pr-2">"Customer"</th><th scope="col" class="py-1 pr-2 text-right">"Churn risk"</th><th scope="col" class="py-1 pr-2">"Level"</th><th scope="col" class="py-1 pr-2 text-right">"P(alive)"</th><th scope="col" class="py-1 text-right">"Value (365 days)"</th></tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {d.customers.into_iter().map(|c| view! {
                            <tr data-testid="segment-customer">
                                <td class="py-1 pr-2"><a class="link" href=format!("/customers/{}", c.customer_id)>{c.name.clone().or(c.email.clone()).unwrap_or_else(|| c.customer_id.clone())}</a></td>
                                <td class="py-1 pr-2 text-right tabular-nums">{format!("{:.0}%", c.churn_risk * 100.0)}</td>
                                <td class="py-1 pr-2">{c.level.clone()}</td>
                                <td class="py-1 pr-2 text-right tabular-nums">{format!("{:.0}%", c.p_alive * 100.0)}</td>
                                <td class="py-1 text-right tabular-nums">{money(c.clv_cents, "USD")}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <nav class="mt-3 flex justify-between text-sm">
                    <span>{previous.map(|h| view! { <a class="link" href=h>"← Previous"</a> })}</span>
                    <span>{next.map(|h| view! { <a class="link" href=h>"Next →"</a> })}</span>
                </nav>
            </Card>
        </div>
    }
}
