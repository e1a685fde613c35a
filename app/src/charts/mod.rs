//! Charts, drawn with plotters onto any backend: a canvas in the browser (plotters-canvas,
//! after the page mounts) and SVG in tests. No text is drawn on the chart itself; labels and
//! an accessible table sit beside it in HTML, so nothing depends on fonts.

use plotters::prelude::*;

pub const INDIGO: RGBColor = RGBColor(99, 102, 241);
pub const EMERALD: RGBColor = RGBColor(16, 185, 129);
const GRID: RGBColor = RGBColor(226, 232, 240);

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// One bar per value, scaled to the largest; light horizontal grid lines at quarters.
pub fn bars<DB: DrawingBackend>(root: &DrawingArea<DB, plotters::coord::Shift>, values: &[f64], color: RGBColor) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    for q in 1..4 {
        let y = h - h * q / 4;
        root.draw(&PathElement::new(vec![(0, y), (w, y)], GRID))?;
    }
    let max = values.iter().cloned().fold(0.0_f64, f64::max);
    if values.is_empty() || max <= 0.0 {
        return Ok(());
    }
    let slot = w as f64 / values.len() as f64;
    for (i, v) in values.iter().enumerate() {
        let top = h - ((v / max) * (h as f64 - 4.0)).round() as i32;
        let left = (i as f64 * slot + slot * 0.15).round() as i32;
        let right = ((i + 1) as f64 * slot - slot * 0.15).round() as i32;
        if *v > 0.0 {
            root.draw(&Rectangle::new([(left, top), (right.max(left + 1), h)], color.filled()))?;
        }
    }
    Ok(())
}

/// A line through the values, scaled to the largest, with a dot on each point.
pub fn line<DB: DrawingBackend>(root: &DrawingArea<DB, plotters::coord::Shift>, values: &[f64], color: RGBColor) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    for q in 1..4 {
        let y = h - h * q / 4;
        root.draw(&PathElement::new(vec![(0, y), (w, y)], GRID))?;
    }
    let max = values.iter().cloned().fold(0.0_f64, f64::max);
    if values.is_empty() || max <= 0.0 {
        return Ok(());
    }
    let step = if values.len() > 1 { (w - 8) as f64 / (values.len() - 1) as f64 } else { 0.0 };
    let points: Vec<(i32, i32)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| ((4.0 + i as f64 * step).round() as i32, h - 4 - ((v / max) * (h as f64 - 8.0)).round() as i32))
        .collect();
    root.draw(&PathElement::new(points.clone(), color.stroke_width(2)))?;
    for p in points {
        root.draw(&Circle::new(p, 2, color.filled()))?;
    }
    Ok(())
}

/// Pairs of bars (e.g. spend and revenue) per group, on one scale.
pub fn paired_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    pairs: &[(f64, f64)],
    colors: (RGBColor, RGBColor),
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let max = pairs.iter().flat_map(|(a, b)| [*a, *b]).fold(0.0_f64, f64::max);
    if pairs.is_empty() || max <= 0.0 {
        return Ok(());
    }
    let slot = w as f64 / pairs.len() as f64;
    for (i, (a, b)) in pairs.iter().enumerate() {
        for (j, (v, c)) in [(*a, colors.0), (*b, colors.1)].into_iter().enumerate() {
            let left = (i as f64 * slot + slot * (0.15 + 0.35 * j as f64)).round() as i32;
            let right = (i as f64 * slot + slot * (0.5 + 0.35 * j as f64)).round() as i32;
            let top = h - ((v / max) * (h as f64 - 4.0)).round() as i32;
            if v > 0.0 {
                root.draw(&Rectangle::new([(left, top), (right, h)], c.filled()))?;
            }
        }
    }
    Ok(())
}

/// A palette for categories (segments), distinguishable side by side.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(99, 102, 241),
    RGBColor(16, 185, 129),
    RGBColor(245, 158, 11),
    RGBColor(244, 63, 94),
    RGBColor(14, 165, 233),
    RGBColor(168, 85, 247),
    RGBColor(100, 116, 139),
    RGBColor(234, 88, 12),
];
const NOISE: RGBColor = RGBColor(203, 213, 225);

/// The palette colour of category `i`; `None` (noise, unassigned) is light grey.
pub fn category_color(i: Option<usize>) -> RGBColor {
    i.map(|i| PALETTE[i % PALETTE.len()]).unwrap_or(NOISE)
}

/// Points (x, y, category) scaled to fill the area, each a small dot in its category's colour.
pub fn scatter<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    points: &[(f64, f64, Option<usize>)],
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    if points.is_empty() {
        return Ok(());
    }
    let (w, h) = root.dim_in_pixel();
    let bounds = |f: fn(&(f64, f64, Option<usize>)) -> f64| {
        points.iter().map(f).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
    };
    let ((x0, x1), (y0, y1)) = (bounds(|p| p.0), bounds(|p| p.1));
    let scale = |v: f64, lo: f64, hi: f64, len: u32| {
        let span = if hi > lo { hi - lo } else { 1.0 };
        4.0 + (v - lo) / span * (len as f64 - 8.0)
    };
    for (x, y, c) in points {
        let px = scale(*x, x0, x1, w).round() as i32;
        let py = h as i32 - scale(*y, y0, y1, h).round() as i32;
        root.draw(&Circle::new((px, py), 2, category_color(*c).filled()))?;
    }
    Ok(())
}

/// Curves on the unit square (e.g. ROC curves), one colour each, with the diagonal dashed in
/// grey as the no-skill reference.
pub fn unit_curves<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    curves: &[Vec<(f64, f64)>],
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let to_px = |(x, y): (f64, f64)| {
        ((4.0 + x.clamp(0.0, 1.0) * (w as f64 - 8.0)).round() as i32, (h as f64 - 4.0 - y.clamp(0.0, 1.0) * (h as f64 - 8.0)).round() as i32)
    };
    for i in 0..20 {
        let (a, b) = (i as f64 / 20.0, (i as f64 + 0.5) / 20.0);
        root.draw(&PathElement::new(vec![to_px((a, a)), to_px((b, b))], GRID.stroke_width(1)))?;
    }
    for (i, curve) in curves.iter().enumerate() {
        if curve.len() > 1 {
            root.draw(&PathElement::new(curve.iter().copied().map(to_px).collect::<Vec<_>>(), PALETTE[i % PALETTE.len()].stroke_width(2)))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>)) -> String {
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (300, 100)).into_drawing_area();
            draw(&root);
            root.present().unwrap();
        }
        out
    }

    #[test]
    fn bars_are_drawn_for_non_zero_values_only_and_the_largest_is_full_height() {
        let out = svg(|root| bars(root, &[0.0, 5.0, 10.0], INDIGO).unwrap());
        // One background rect and two bars.
        assert_eq!(out.matches("<rect").count(), 3, "{out}");
        assert!(out.contains(r#"y="4""#), "the largest bar reaches the top: {out}");
    }

    #[test]
    fn a_line_has_a_dot_per_point_and_empty_data_draws_no_series() {
        let out = svg(|root| line(root, &[1.0, 3.0, 2.0, 4.0], EMERALD).unwrap());
        assert_eq!(out.matches("<circle").count(), 4);
        let empty = svg(|root| line(root, &[0.0, 0.0], EMERALD).unwrap());
        assert_eq!(empty.matches("<circle").count(), 0);
        let pairs = svg(|root| paired_bars(root, &[(1.0, 2.0), (3.0, 0.0)], (INDIGO, EMERALD)).unwrap());
        assert_eq!(pairs.matches("<rect").count(), 1 + 3);
    }

    #[test]
    fn a_scatter_draws_every_point_in_its_segment_colour_and_noise_in_grey() {
        let out = svg(|root| scatter(root, &[(0.0, 0.0, Some(0)), (1.0, 2.0, Some(1)), (0.5, 1.0, None)]).unwrap());
        assert_eq!(out.matches("<circle").count(), 3);
        assert!(out.contains("#6366F1") && out.contains("#10B981") && out.contains("#CBD5E1"), "{out}");
    }

    #[test]
    fn unit_curves_draw_one_path_per_curve_besides_the_diagonal() {
        let roc = vec![(0.0, 0.0), (0.1, 0.6), (1.0, 1.0)];
        let out = svg(|root| unit_curves(root, &[roc.clone(), roc, vec![]]).unwrap());
        // 20 diagonal dashes, two curves; the empty curve draws nothing.
        assert_eq!(out.matches("<polyline").count(), 22, "{out}");
    }
}
