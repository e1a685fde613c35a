//! A chart on a canvas: rendered as an empty, labelled canvas on the server and drawn by
//! plotters once the page is in the browser.

use leptos::prelude::*;

use crate::charts::{EMERALD, INDIGO};

#[derive(Clone, PartialEq)]
pub enum ChartData {
    Bars(Vec<f64>),
    Line(Vec<f64>),
    Pairs(Vec<(f64, f64)>),
    /// (x, y, category) points, coloured by category.
    Scatter(Vec<(f64, f64, Option<usize>)>),
    /// Curves on the unit square, e.g. ROC curves.
    Curves(Vec<Vec<(f64, f64)>>),
}

/// A canvas that plotters draws on once the page is in the browser.
#[component]
pub fn Chart(data: ChartData, label: &'static str, #[prop(default = 160)] height: u32) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use plotters::prelude::IntoDrawingArea;
        let Some(el) = canvas.get() else { return };
        let Some(backend) = plotters_canvas::CanvasBackend::with_canvas_object(el) else { return };
        let root = backend.into_drawing_area();
        let _ = match &data {
            ChartData::Bars(v) => crate::charts::bars(&root, v, INDIGO),
            ChartData::Line(v) => crate::charts::line(&root, v, EMERALD),
            ChartData::Pairs(p) => crate::charts::paired_bars(&root, p, (INDIGO, EMERALD)),
            ChartData::Scatter(p) => crate::charts::scatter(&root, p),
            ChartData::Curves(c) => crate::charts::unit_curves(&root, c),
        };
        let _ = root.present();
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (&data, INDIGO, EMERALD);
    let style = format!("height: {height}px");
    view! { <canvas node_ref=canvas width="600" height=height.to_string() role="img" aria-label=label class="w-full" style=style data-testid="chart"></canvas> }
}
