//! `server eyes`: the whole EYES analysis on CSV files, without a database — for trying EYES
//! on an export, and for the benchmark.

use std::path::PathBuf;
use std::time::Instant;

use omnify::eyes::analysis::{self, AnalysisOptions, Report};
use omnify::eyes::files;

pub struct EyesArgs {
    pub customers: Option<PathBuf>,
    pub orders: PathBuf,
    pub events: Option<PathBuf>,
    /// YYYY-MM-DD; defaults to the newest order or event in the files.
    pub cutoff: Option<String>,
    pub seed: u64,
    pub json: bool,
}

pub fn run(args: EyesArgs) -> Result<(), String> {
    let started = Instant::now();
    let (histories, vocabulary) =
        files::load(args.customers.as_deref(), &args.orders, args.events.as_deref()).map_err(|e| e.to_string())?;
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    if histories.is_empty() {
        return Err("the files hold no customers".into());
    }
    let cutoff = match &args.cutoff {
        Some(day) => end_of_day(day)?,
        None => histories
            .iter()
            .flat_map(|h| h.orders.iter().map(|o| o.at).chain(h.events.iter().map(|e| e.at)))
            .max()
            .ok_or("the files hold no orders or events")?,
    };
    let (mut report, _scores) = analysis::analyze(&histories, &vocabulary, AnalysisOptions { cutoff, seed: args.seed });
    report.timings_ms.load = load_ms;
    report.timings_ms.total += load_ms;
    if args.json {
        let out = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        println!("{out}");
    } else {
        print!("{}", summary(&report));
    }
    Ok(())
}

/// The end of the given day (UTC): everything that happened on the cutoff day counts.
fn end_of_day(day: &str) -> Result<i64, String> {
    let date = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .map_err(|_| format!("--cutoff must be a date like 2026-06-30, not '{day}'"))?;
    Ok(date.and_hms_opt(23, 59, 59).expect("valid time").and_utc().timestamp())
}

fn summary(r: &Report) -> String {
    let mut out = format!(
        "EYES: {} customers, {} orders, {} events, cutoff {} (seed {})\n",
        r.customers,
        r.orders,
        r.events,
        chrono::DateTime::from_timestamp(r.cutoff, 0).map(|d| d.date_naive().to_string()).unwrap_or_default(),
        r.seed
    );
    let s = &r.segmentation;
    out += &format!("\nSegments: {}\n", s.message);
    for a in &s.algorithms {
        out += &format!(
            "  {:<10} k={}  silhouette {}  (shuffled baseline {}){}\n",
            a.algorithm,
            a.k,
            fmt(a.silhouette),
            fmt(a.baseline_silhouette),
            if a.passes_gate { "  passes the gate" } else { "" }
        );
    }
    for p in &s.segments {
        let reasons: Vec<String> = p
            .distinguishing_features
            .iter()
            .map(|f| format!("{} {:?} (d={:.2})", f.label, f.direction, f.cohens_d))
            .collect();
        out += &format!(
            "  - {:<24} {:>8} customers ({:.1}%), {:.1}% of revenue: {}\n",
            p.name,
            p.size,
            p.share * 100.0,
            p.revenue_share * 100.0,
            reasons.join(", ")
        );
    }
    out += "\nChurn (held-out AUC):\n";
    for (h, c) in &r.churn {
        match &c.error {
            Some(e) => out += &format!("  {h}: no model: {e}\n"),
            None => {
                out += &format!(
                    "  {h}: {} AUC {}{}; high {} / medium {} / low {}\n",
                    c.best_model.as_deref().unwrap_or("-"),
                    fmt(c.auc),
                    if c.target_met { " (target 0.70 met)" } else { " (below the 0.70 target)" },
                    c.counts.high,
                    c.counts.medium,
                    c.counts.low
                )
            }
        }
    }
    match (&r.clv.bgnbd, &r.clv.gamma_gamma) {
        (Some(bg), Some(gg)) => {
            out += &format!(
                "\nLifetime value: BG/NBD r={:.3} alpha={:.3} a={:.3} b={:.3}; Gamma-Gamma p={:.3} q={:.3} v={:.3}\n",
                bg.params.r, bg.params.alpha, bg.params.a, bg.params.b, gg.params.p, gg.params.q, gg.params.v
            );
            out += &format!("  expected value of all customers over 365 days: {:.2}\n", r.clv.total_clv_cents / 100.0);
        }
        _ => out += &format!("\nLifetime value: not fitted: {}\n", r.clv.error.as_deref().unwrap_or("no data")),
    }
    let t = &r.timings_ms;
    out += &format!(
        "\nTimings (ms): load {:.0}, features {:.0}, segmentation {:.0}, churn {:.0}, clv {:.0} (these three side by side), total {:.0}\n",
        t.load, t.features, t.segmentation, t.churn, t.clv, t.total
    );
    out
}

fn fmt(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into())
}
