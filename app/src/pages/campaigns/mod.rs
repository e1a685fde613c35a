//! Campaigns: the list with a new-campaign form, and each campaign's page with its plan, AI
//! strategy, calendar and content.

mod detail;
mod form;

use leptos::prelude::*;
use leptos_meta::Title;
use omnify::brain::channels::ContentPlatform;
use omnify::model::CampaignDto;

pub use detail::CampaignPage;

use crate::api::campaigns::campaigns_list;
use crate::components::errors::ErrorView;
use crate::components::ui::{Card, Loading, PageHeader};
use form::CampaignForm;

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let campaigns = Resource::new(|| (), |_| campaigns_list());
    view! {
        <Title text="Campaigns · OmniFy" />
        <PageHeader title="Campaigns" subtitle="Plan a campaign, get a strategy and content for each platform, and see every piece scored." />
        <div class="grid gap-6 xl:grid-cols-3">
            <div class="xl:col-span-2">
                <Card title="Your campaigns" testid="campaign-list">
                    <Transition fallback=|| view! { <Loading /> }>
                        {move || Suspend::new(async move {
                            match campaigns.await {
                                Ok(list) if list.campaigns.is_empty() => view! {
                                    <p class="text-sm text-slate-600" data-testid="campaigns-empty">"No campaigns yet. Create the first one with the form."</p>
                                }.into_any(),
                                Ok(list) => view! { <CampaignTable campaigns=list.campaigns /> }.into_any(),
                                Err(e) => view! { <ErrorView error=e on_retry=move |_| campaigns.refetch() /> }.into_any(),
                            }
                        })}
                    </Transition>
                </Card>
            </div>
            <Card title="New campaign" testid="campaign-new">
                <CampaignForm campaign=None />
            </Card>
        </div>
    }
}

#[component]
fn CampaignTable(campaigns: Vec<CampaignDto>) -> impl IntoView {
    view! {
        <div class="overflow-x-auto">
            <table class="min-w-full text-left text-sm">
                <thead class="text-xs text-slate-500">
                    <tr>
                        <th scope="col" class="py-2 pr-3">"Name"</th>
                        <th scope="col" class="py-2 pr-3">"Objective"</th>
                        <th scope="col" class="py-2 pr-3">"Status"</th>
                        <th scope="col" class="py-2 pr-3 text-right">"Budget"</th>
                        <th scope="col" class="py-2 pr-3">"Dates"</th>
                        <th scope="col" class="py-2 pr-3">"Platforms"</th>
                        <th scope="col" class="py-2 text-right">"Content"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {campaigns.into_iter().map(|c| view! {
                        <tr data-testid="campaign-row">
                            <td class="py-2 pr-3"><a class="link font-medium" href=format!("/campaigns/{}", c.campaign_id)>{c.name.clone()}</a>
                                {c.target_segment.as_ref().map(|s| view! { <div class="text-xs text-slate-500">{format!("Segment: {} ({})", s.name, s.size)}</div> })}
                            </td>
                            <td class="py-2 pr-3">{label(&c.objective)}</td>
                            <td class="py-2 pr-3"><StatusBadge status=c.status.clone() /></td>
                            <td class="py-2 pr-3 text-right tabular-nums">{amount(c.budget)}</td>
                            <td class="py-2 pr-3 text-xs text-slate-600">{dates(&c)}</td>
                            <td class="py-2 pr-3 text-xs text-slate-600">{platform_names(&c.platforms)}</td>
                            <td class="py-2 text-right tabular-nums">{c.content_count}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn StatusBadge(status: String) -> impl IntoView {
    let class = match status.as_str() {
        "active" | "approved" | "published" => "bg-emerald-100 text-emerald-800",
        "paused" | "in_review" => "bg-amber-100 text-amber-800",
        "scheduled" => "bg-indigo-100 text-indigo-800",
        "completed" => "bg-slate-200 text-slate-700",
        _ => "bg-slate-100 text-slate-700",
    };
    view! { <span class=format!("rounded px-2 py-0.5 text-xs font-medium {class}") data-testid="status-badge">{label(&status)}</span> }
}

/// "in_review" → "In review".
pub fn label(value: &str) -> String {
    let text = value.replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// 2500.0 → "2,500.00".
pub fn amount(value: f64) -> String {
    let cents = (value * 100.0).round() as i64;
    format!("{}.{:02}", crate::components::ui::group(cents / 100), (cents % 100).abs())
}

fn dates(c: &CampaignDto) -> String {
    match (&c.starts_on, &c.ends_on) {
        (Some(a), Some(b)) => format!("{a} → {b}"),
        _ => "No dates".into(),
    }
}

pub fn platform_names(platforms: &[String]) -> String {
    platforms.iter().map(|p| ContentPlatform::parse(p).map(|p| p.label().to_string()).unwrap_or_else(|| label(p))).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_amounts_read_naturally() {
        assert_eq!(label("in_review"), "In review");
        assert_eq!(amount(2500.0), "2,500.00");
        assert_eq!(amount(0.5), "0.50");
        assert_eq!(platform_names(&["google_ads".into(), "push".into()]), "Google Ads, Push");
    }
}
