//! The EYES charts, each with its legend or an accessible summary beside the canvas.

use leptos::prelude::*;
use omnify::model::{ClvBand, ProjectedPointDto, SegmentDto};

use crate::charts::category_color;
use crate::components::chart::{Chart, ChartData};
use crate::components::ui::group;
use crate::pages::customers::money;

fn swatch(i: Option<usize>) -> String {
    let c = category_color(i);
    format!("background-color: rgb({}, {}, {})", c.0, c.1, c.2)
}

#[component]
fn Legend(segments: Vec<SegmentDto>) -> impl IntoView {
    view! {
        <ul class="mt-2 flex flex-wrap gap-3 text-xs text-slate-600">
            {segments.into_iter().map(|s| view! {
                <li class="flex items-center gap-1">
                    <span class="inline-block h-2 w-2 rounded-full" style=swatch(Some(s.number as usize))></span>
                    {s.name}
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn SizesChart(segments: Vec<SegmentDto>) -> impl IntoView {
    let sizes: Vec<f64> = segments.iter().map(|s| s.size as f64).collect();
    let label = segments.iter().map(|s| format!("{}: {}", s.name, s.size)).collect::<Vec<_>>().join(", ");
    view! {
        <Chart data=ChartData::Bars(sizes) label="Customers per segment" />
        <p class="sr-only">{label}</p>
        <Legend segments=segments />
    }
}

#[component]
pub fn ProjectionChart(points: Vec<ProjectedPointDto>, segments: Vec<SegmentDto>) -> impl IntoView {
    let n = points.len();
    let data: Vec<(f64, f64, Option<usize>)> = points.into_iter().map(|p| (p.x, p.y, p.segment.map(|s| s as usize))).collect();
    view! {
        <Chart data=ChartData::Scatter(data) label="Customers projected on their two main components, coloured by segment" height=220 />
        <p class="mt-1 text-xs text-slate-500">{format!("{n} customers, first two principal components of the standardised features; grey = not in a segment.")}</p>
        <Legend segments=segments />
    }
}

#[component]
pub fn RiskChart(histogram: Vec<u64>) -> impl IntoView {
    let bars: Vec<f64> = histogram.iter().map(|n| *n as f64).collect();
    view! {
        <Chart data=ChartData::Bars(bars) label="Customers per tenth of churn risk, from 0 to 1" />
        <p class="mt-1 flex justify-between text-xs text-slate-500"><span>"risk 0"</span><span>"0.5"</span><span>"1"</span></p>
    }
}

#[component]
pub fn ClvChart(bands: Vec<ClvBand>) -> impl IntoView {
    let bars: Vec<f64> = bands.iter().map(|b| b.customers as f64).collect();
    let label = bands
        .iter()
        .map(|b| match b.below_cents {
            Some(c) => format!("below {}: {}", money(c, "USD"), group(b.customers as i64)),
            None => format!("above: {}", group(b.customers as i64)),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let first = bands.first().and_then(|b| b.below_cents).map(|c| format!("< {}", money(c, "USD"))).unwrap_or_default();
    let last = bands.iter().rev().nth(1).and_then(|b| b.below_cents).map(|c| format!("> {}", money(c, "USD"))).unwrap_or_default();
    view! {
        <Chart data=ChartData::Bars(bars) label="Customers per lifetime-value band" />
        <p class="mt-1 flex justify-between text-xs text-slate-500"><span>{first}</span><span>{last}</span></p>
        <p class="sr-only">{label}</p>
    }
}

#[component]
pub fn RocChart(curves: Vec<Vec<(f64, f64)>>, names: Vec<String>) -> impl IntoView {
    view! {
        <Chart data=ChartData::Curves(curves) label="ROC curves of the best churn model per horizon" height=220 />
        <ul class="mt-2 flex flex-wrap gap-3 text-xs text-slate-600">
            {names.into_iter().enumerate().map(|(i, n)| view! {
                <li class="flex items-center gap-1"><span class="inline-block h-2 w-4" style=swatch(Some(i))></span>{n}</li>
            }).collect_view()}
            <li class="text-slate-400">"dashed: no skill"</li>
        </ul>
    }
}
