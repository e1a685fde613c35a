//! Small presentational pieces.

use leptos::prelude::*;

/// A page's title row.
#[component]
pub fn PageHeader(title: &'static str, #[prop(optional)] subtitle: Option<&'static str>) -> impl IntoView {
    view! {
        <header class="mb-6">
            <h1 class="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
            {subtitle.map(|s| view! { <p class="mt-1 text-sm text-slate-600">{s}</p> })}
        </header>
    }
}

/// A white card with an optional heading.
#[component]
pub fn Card(
    #[prop(optional)] title: Option<&'static str>,
    #[prop(optional)] testid: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <section data-testid=testid class="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            {title.map(|t| view! { <h2 class="mb-3 text-base font-semibold text-slate-900">{t}</h2> })}
            {children()}
        </section>
    }
}

/// Placeholder while data loads.
#[component]
pub fn Loading(#[prop(optional)] label: Option<&'static str>) -> impl IntoView {
    view! {
        <div role="status" aria-live="polite" class="flex items-center gap-2 py-4 text-sm text-slate-500">
            <span class="h-2 w-2 animate-pulse rounded-full bg-indigo-400"></span>
            {label.unwrap_or("Loading…")}
        </div>
    }
}

/// A success notice.
#[component]
pub fn Notice(children: Children) -> impl IntoView {
    view! {
        <div role="status" class="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
            {children()}
        </div>
    }
}

/// An area of the product that is not built yet: says so plainly, with what it will do.
#[component]
pub fn NotBuiltYet(title: &'static str, purpose: &'static str) -> impl IntoView {
    view! {
        <PageHeader title=title />
        <section
            data-testid="not-built"
            class="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-700"
        >
            <h2 class="font-semibold text-slate-900">"Not built yet"</h2>
            <p class="mt-1">{purpose}</p>
        </section>
    }
}

/// "2026-01-15T10:30:00Z" → "2026-01-15 10:30 UTC" without any browser/locale dependence
/// (so server and browser render the same text).
pub fn format_timestamp(rfc3339: &str) -> String {
    let s = rfc3339.trim();
    if s.len() >= 16 && s.as_bytes().get(10) == Some(&b'T') {
        let suffix = if s.ends_with('Z') || s.contains("+00:00") { " UTC" } else { "" };
        format!("{} {}{}", &s[..10], &s[11..16], suffix)
    } else {
        s.to_string()
    }
}

/// 1234567 → "1,234,567".
pub fn group(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

pub fn format_date(rfc3339: &str) -> String {
    rfc3339.get(..10).unwrap_or(rfc3339).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_render_the_same_everywhere() {
        assert_eq!(format_timestamp("2026-01-15T10:30:00Z"), "2026-01-15 10:30 UTC");
        assert_eq!(format_timestamp("2026-01-15T10:30:00+02:00"), "2026-01-15 10:30");
        assert_eq!(format_timestamp("yesterday"), "yesterday");
        assert_eq!(format_date("2026-01-15T10:30:00Z"), "2026-01-15");
    }
}

/// Tabs over sub-routes: (href, label, test id). The first tab is also active on `root`.
#[component]
pub fn TabNav(label: &'static str, root: &'static str, tabs: &'static [(&'static str, &'static str, &'static str)]) -> impl IntoView {
    let pathname = leptos_router::hooks::use_location().pathname;
    let first = tabs.first().map(|t| t.0).unwrap_or_default();
    view! {
        <nav aria-label=label class="mb-6 flex flex-wrap gap-1 border-b border-slate-200">
            {tabs
                .iter()
                .map(|&(href, text, testid)| {
                    let active = move || {
                        let p = pathname.get();
                        p == href || (href == first && (p == root || p == format!("{root}/")))
                    };
                    view! {
                        <a href=href data-testid=testid aria-current=move || active().then_some("page") class="tab-link">
                            {text}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
