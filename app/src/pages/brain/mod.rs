//! Brain: creative scoring, ORACLE fatigue, VOICE repurposing, CURIOSITY budgets, MEMORY
//! performance and market benchmarks, as sub-routes with tabs.

mod budget;
mod creative;
mod fatigue;
mod market;
mod performance;
mod repurpose;

pub use budget::BudgetPage;
pub use creative::CreativePage;
pub use fatigue::FatiguePage;
pub use market::MarketPage;
pub use performance::PerformancePage;
pub use repurpose::RepurposePage;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;
use omnify::brain::channels::ContentPlatform;

use crate::components::ui::{Card, PageHeader, TabNav};
use crate::error::AppError;

const TABS: &[(&str, &str, &str)] = &[
    ("/brain/creative", "Creative", "brain-tab-creative"),
    ("/brain/fatigue", "Fatigue", "brain-tab-fatigue"),
    ("/brain/repurpose", "Repurpose", "brain-tab-repurpose"),
    ("/brain/budget", "Budget", "brain-tab-budget"),
    ("/brain/performance", "Performance", "brain-tab-performance"),
    ("/brain/market", "Market", "brain-tab-market"),
];

#[component]
pub fn BrainLayout() -> impl IntoView {
    view! {
        <Title text="Brain · OmniFy" />
        <PageHeader
            title="Brain"
            subtitle="Score ad copy, spot tired creatives, repurpose content, split budgets and learn from your own performance."
        />
        <TabNav label="Brain" root="/brain" tabs=TABS />
        <Outlet />
    }
}

/// The truthful empty state of every page that reads the organization's ad performance.
#[component]
fn NoPerformance(history_days: i64) -> impl IntoView {
    view! {
        <Card testid="brain-empty">
            <p class="text-sm text-slate-700">
                {format!("No ad performance in the last {history_days} days: ")}
                <a href="/imports" class="link">"import a performance file on the Imports page"</a>
                " or "
                <a href="/integrations" class="link">"connect an ad platform"</a>
                "."
            </p>
        </Card>
    }
}

/// A field's own error from the server, shown under the field.
#[component]
fn FieldError(#[prop(into)] error: Signal<Option<AppError>>, field: &'static str) -> impl IntoView {
    move || {
        error.get().filter(|e| e.field() == Some(field)).map(|e| {
            view! {
                <p id=format!("{field}-error") class="text-sm text-red-700" data-testid=format!("{field}-error")>
                    {e.message().to_string()}
                </p>
            }
        })
    }
}

/// The name a marketer knows a performance platform by: `meta_ads` → "Meta Ads".
pub(crate) fn platform_label(platform: &str) -> String {
    let p = platform.trim();
    match p.to_ascii_lowercase().as_str() {
        "meta_ads" | "meta" => "Meta Ads".into(),
        "google_ads" => "Google Ads".into(),
        "linkedin_ads" => "LinkedIn Ads".into(),
        "tiktok_ads" => "TikTok Ads".into(),
        "x_ads" | "twitter_ads" => "X Ads".into(),
        "klaviyo" => "Klaviyo".into(),
        "hubspot" => "HubSpot".into(),
        other => match ContentPlatform::parse(other) {
            Some(cp) => cp.label().into(),
            None => {
                let spaced = p.replace('_', " ");
                let mut chars = spaced.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            }
        },
    }
}

/// `12.3%` for a fraction, or a dash when there is none.
fn pct_or_dash(v: Option<f64>) -> String {
    v.map(omnify::brain::daily::pct).unwrap_or_else(|| "–".into())
}

/// `$12.50` for an amount in cents, or a dash when there is none.
fn money_or_dash(cents: Option<f64>) -> String {
    cents.map(omnify::brain::daily::money).unwrap_or_else(|| "–".into())
}

/// `2.40×` for a ratio such as ROAS, or a dash when there is none.
fn times_or_dash(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}×")).unwrap_or_else(|| "–".into())
}

/// Realistic inputs for rendering the pages in tests.
#[cfg(test)]
pub(crate) mod sample {
    use leptos::prelude::*;
    use omnify::brain::daily::{days_from_civil, format_day, DailyPerformance};

    /// 40 days of three platforms × two campaigns × two creatives, with distinct daily spend
    /// levels and one creative whose click-through rate wears off.
    pub fn rows() -> Vec<DailyPerformance> {
        let start = days_from_civil(2026, 1, 1);
        let mut rows = Vec::new();
        for (p, platform) in ["meta_ads", "google_ads", "linkedin_ads"].iter().enumerate() {
            for c in 0..2 {
                for k in 0..2 {
                    for d in 0..40i64 {
                        let spend = 2_000 + 1_500 * ((d + p as i64 + k) % 5) + 700 * c;
                        let impressions = spend / 2;
                        let wear = if p == 0 && c == 0 && k == 0 { 1.0 - d as f64 / 50.0 } else { 1.0 };
                        let clicks = ((impressions as f64) * 0.02 * wear).round() as i64;
                        let conversions = (clicks / 8).max(1);
                        rows.push(DailyPerformance {
                            platform: platform.to_string(),
                            campaign_id: format!("{platform}-c{c}"),
                            campaign_name: Some(if c == 0 { "Spring sale".into() } else { "Brand".into() }),
                            creative_id: format!("{platform}-c{c}-k{k}"),
                            creative_name: Some(format!("Creative {k}")),
                            day: format_day(start + d),
                            impressions,
                            clicks,
                            spend_cents: spend,
                            conversions,
                            revenue_cents: conversions * (4_000 + 1_000 * p as i64),
                            reach: None,
                        });
                    }
                }
            }
        }
        rows
    }

    /// Server-side HTML of a view, as the page would send it.
    pub fn render<V: RenderHtml + 'static>(view: impl FnOnce() -> V) -> String {
        Owner::new().with(|| view().to_html())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_empty_state_says_why_and_where_to_go() {
        let html = sample::render(|| view! { <NoPerformance history_days=90 /> });
        assert!(html.contains("No ad performance in the last 90 days"), "{html}");
        assert!(html.contains(r#"href="/imports""#) && html.contains(r#"href="/integrations""#), "{html}");
    }

    #[test]
    fn platforms_read_as_their_brand_names() {
        assert_eq!(platform_label("meta_ads"), "Meta Ads");
        assert_eq!(platform_label("google_ads"), "Google Ads");
        assert_eq!(platform_label("linkedin"), "LinkedIn");
        assert_eq!(platform_label("pinterest_ads"), "Pinterest ads");
        assert_eq!(platform_label(""), "");
    }

    #[test]
    fn missing_ratios_show_a_dash_not_zero() {
        assert_eq!(pct_or_dash(None), "–");
        assert_eq!(pct_or_dash(Some(0.0123)), "1.2%");
        assert_eq!(money_or_dash(Some(1250.0)), "$12.50");
        assert_eq!(money_or_dash(None), "–");
        assert_eq!(times_or_dash(Some(2.4)), "2.40×");
        assert_eq!(times_or_dash(None), "–");
    }
}
