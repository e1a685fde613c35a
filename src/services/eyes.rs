//! EYES as a service: analyses run as durable background jobs over the organization's data;
//! each completed run stores its report and every customer's scores, and the API reads the
//! newest one. Runs are kept as history (silhouette and AUC over time).

use std::time::Duration;

use serde_json::json;

use super::{jobs, new_id, Actor};
use crate::db::eyes::{self as store, RunRow, ScoreRow};
use crate::db::jobs::JobRow;
use crate::db::time;
use crate::eyes::analysis::{self, AnalysisOptions, Report};
use crate::eyes::features::FEATURE_INFO;
use crate::model::*;
use crate::{ApiError, Core};

pub const ANALYZE_JOB: &str = "eyes_analyze";
const JOB_TARGET: &str = "eyes";
/// The same data and seed give the same segments and scores.
pub const SEED: u64 = 7;
/// How often a running analysis renews its job lease.
const HEARTBEAT: Duration = Duration::from_secs(5);
/// Runs kept in the history.
const HISTORY_RUNS: i64 = 50;
const PAGE_LIMIT: i64 = 200;

/// Queues an analysis, or returns the one already queued. One that is running already may have
/// started before the latest data, so a new one is queued behind it.
pub async fn analyze(core: &Core, actor: &Actor) -> Result<JobDto, ApiError> {
    actor.require_editor("start an analysis or create campaigns")?;
    jobs::enqueue_after_running(core, &actor.organization_id, ANALYZE_JOB, JOB_TARGET).await
}

/// New data landed (an import or a sync finished): queue a refresh of the segments.
pub async fn refresh_after_new_data(core: &Core, organization_id: &str) {
    if let Err(e) = jobs::enqueue_after_running(core, organization_id, ANALYZE_JOB, JOB_TARGET).await {
        tracing::warn!(error = %e.message, organization_id, "queueing an EYES refresh failed");
    }
}

/// The job: read every history, analyse on a blocking thread while renewing the lease, then
/// store the run and its scores in one transaction.
pub async fn run_job(core: &Core, worker: &str, job: &JobRow) -> Result<Option<serde_json::Value>, ApiError> {
    let org = job.organization_id.clone();
    let started_at = time::now();
    let mut conn = core.db.pool.acquire().await?;
    let latest = store::latest_activity(&mut *conn, &org).await?;
    // The data's own "now": imported history may end before today.
    let cutoff = latest.map(|t| t.min(started_at)).unwrap_or(started_at);
    let data_version = store::data_version(&mut *conn, &org).await?;
    let mut run = RunRow {
        id: new_id(),
        organization_id: org.clone(),
        status: "running".into(),
        cutoff,
        seed: SEED as i64,
        customers: 0,
        data_version,
        structure_found: 0,
        algorithm: None,
        silhouette: None,
        baseline_silhouette: None,
        auc_30d: None,
        auc_60d: None,
        auc_90d: None,
        report: None,
        error: None,
        started_at,
        finished_at: None,
    };
    store::insert_run(&mut *conn, &run).await?;
    if !beat(core, worker, job, "loading").await? {
        return Ok(None);
    }
    let load_started = std::time::Instant::now();
    let (histories, vocabulary) = store::load_histories(&mut conn, &org, cutoff).await?;
    drop(conn);
    let load_ms = load_started.elapsed().as_secs_f64() * 1000.0;
    if histories.is_empty() {
        return Err(ApiError::bad_request("There are no customers to analyse yet: import data or connect a platform first"));
    }
    if !beat(core, worker, job, "analyzing").await? {
        return Ok(None);
    }
    let options = AnalysisOptions { cutoff, seed: SEED };
    let mut analysis = tokio::task::spawn_blocking(move || {
        let (report, scores) = analysis::analyze(&histories, &vocabulary, options);
        (report, scores)
    });
    let (mut report, scores) = loop {
        tokio::select! {
            done = &mut analysis => break done.map_err(|e| {
                tracing::error!(error = %e, "EYES analysis panicked");
                ApiError::internal()
            })?,
            _ = tokio::time::sleep(HEARTBEAT) => {
                if !beat(core, worker, job, "analyzing").await? {
                    return Ok(None);
                }
            }
        }
    };
    report.timings_ms.load = load_ms;
    report.timings_ms.total += load_ms;

    let rows: Vec<ScoreRow> = scores.iter().map(|s| score_row(&org, &run.id, s)).collect();
    run.status = "completed".into();
    run.customers = report.customers as i64;
    run.structure_found = report.segmentation.structure_found as i64;
    run.algorithm = report.segmentation.winner.as_ref().map(|w| w.algorithm.clone());
    run.silhouette = report.segmentation.winner.as_ref().and_then(|w| w.silhouette);
    run.baseline_silhouette = report.segmentation.winner.as_ref().and_then(|w| w.baseline_silhouette);
    run.auc_30d = report.churn.get("30d").and_then(|c| c.auc);
    run.auc_60d = report.churn.get("60d").and_then(|c| c.auc);
    run.auc_90d = report.churn.get("90d").and_then(|c| c.auc);
    run.report = Some(serde_json::to_string(&report).map_err(|_| ApiError::internal())?);
    run.finished_at = Some(time::now());

    let mut tx = core.db.pool.begin().await?;
    // Write first (SQLite takes the write lock before reading), and make sure the job is ours.
    let now = time::now();
    let progress = json!({ "stage": "saving" }).to_string();
    if !crate::db::jobs::heartbeat(&mut *tx, &job.id, worker, &progress, now, now + core.settings.job_lease_seconds).await? {
        return Ok(None);
    }
    store::insert_scores(&mut tx, &rows).await?;
    store::finish_run(&mut *tx, &run).await?;
    store::prune_scores(&mut *tx, &org, &run.id).await?;
    tx.commit().await?;
    core.data_changed(&org);
    Ok(Some(json!({
        "run_id": run.id,
        "customers": run.customers,
        "structure_found": run.structure_found == 1,
        "algorithm": run.algorithm,
        "silhouette": run.silhouette,
        "auc": [run.auc_30d, run.auc_60d, run.auc_90d],
    })))
}

/// Renews the lease with the current stage; false when another worker owns the job now.
async fn beat(core: &Core, worker: &str, job: &JobRow, stage: &str) -> Result<bool, ApiError> {
    let now = time::now();
    let progress = json!({ "stage": stage }).to_string();
    Ok(crate::db::jobs::heartbeat(&core.db.pool, &job.id, worker, &progress, now, now + core.settings.job_lease_seconds).await?)
}

/// A failed analysis keeps its run row, marked failed with the reason.
pub async fn mark_failed(core: &Core, organization_id: &str, error: &str) {
    if let Err(e) = store::fail_running(&core.db.pool, organization_id, error, time::now()).await {
        tracing::error!(error = %e, "recording a failed EYES run failed");
    }
}

fn score_row(org: &str, run_id: &str, s: &analysis::CustomerScores) -> ScoreRow {
    let risk = |i: usize| s.churn[i].as_ref().map(|r| r.risk).unwrap_or(-1.0);
    let reasons: serde_json::Map<String, serde_json::Value> = Horizon::ALL
        .iter()
        .map(|h| {
            let list: Vec<ReasonDto> = s.churn[h.index()]
                .iter()
                .flat_map(|r| &r.reasons)
                .map(|r| ReasonDto { feature: r.feature.to_string(), text: r.text(), contribution: r.contribution })
                .collect();
            (h.as_str().to_string(), serde_json::to_value(list).unwrap_or_default())
        })
        .collect();
    ScoreRow {
        organization_id: org.to_string(),
        run_id: run_id.to_string(),
        customer_id: s.customer_id.clone(),
        segment: s.segment.map(i64::from),
        // -1 marks "no score": the horizon had no model or the customer did not exist yet.
        churn_30d: risk(0),
        churn_60d: risk(1),
        churn_90d: risk(2),
        reasons: serde_json::Value::Object(reasons).to_string(),
        p_alive: s.p_alive,
        expected_purchases_90d: s.expected_purchases,
        clv_cents: s.clv_cents.round() as i64,
        features: serde_json::to_string(&s.features).unwrap_or_else(|_| "[]".into()),
    }
}

pub fn level_of(risk: f64) -> &'static str {
    if risk > 0.7 {
        "high"
    } else if risk >= 0.3 {
        "medium"
    } else {
        "low"
    }
}

async fn latest(core: &Core, organization_id: &str) -> Result<Option<(RunRow, Report)>, ApiError> {
    let Some(run) = store::latest_run(&core.db.pool, organization_id).await? else { return Ok(None) };
    let report: Report = serde_json::from_str(run.report.as_deref().unwrap_or("null")).map_err(|e| {
        tracing::error!(error = %e, run_id = %run.id, "stored EYES report does not parse");
        ApiError::internal()
    })?;
    Ok(Some((run, report)))
}

fn summary(r: &RunRow) -> EyesRunSummary {
    EyesRunSummary {
        run_id: r.id.clone(),
        status: r.status.clone(),
        cutoff: time::rfc3339(r.cutoff),
        started_at: time::rfc3339(r.started_at),
        finished_at: r.finished_at.map(time::rfc3339),
        customers: r.customers,
        structure_found: r.structure_found == 1,
        algorithm: r.algorithm.clone(),
        silhouette: r.silhouette,
        baseline_silhouette: r.baseline_silhouette,
        auc: [r.auc_30d, r.auc_60d, r.auc_90d],
        error: r.error.clone(),
    }
}

fn parse_horizon(s: &str) -> Result<Horizon, ApiError> {
    Horizon::parse(s).ok_or_else(|| ApiError::bad_request("The horizon must be 30d, 60d or 90d"))
}

fn segment_dto(run_id: &str, report: &Report, number: usize, horizon: Horizon, names: &[(String, Option<String>)]) -> SegmentDto {
    let p = &report.segmentation.segments[number];
    let scores = report.segmentation.segment_scores.get(number).cloned().unwrap_or_default();
    let mix = scores.churn_mix.get(horizon.as_str()).copied().unwrap_or_default();
    SegmentDto {
        segment_id: format!("{run_id}:{number}"),
        number: number as u32,
        name: p.name.clone(),
        size: p.size as u64,
        share: p.share,
        revenue_share: p.revenue_share,
        distinguishing_features: p
            .distinguishing_features
            .iter()
            .map(|f| FeatureEffectDto {
                feature: f.feature.clone(),
                label: f.label.clone(),
                unit: f.unit.clone(),
                effect_size: f.cohens_d,
                direction: format!("{:?}", f.direction).to_lowercase(),
                segment_mean: f.segment_mean,
                rest_mean: f.rest_mean,
            })
            .collect(),
        centre: p
            .centre
            .iter()
            .map(|c| FeatureValueDto {
                feature: c.feature.clone(),
                label: c.label.clone(),
                unit: c.unit.clone(),
                value: c.value,
                population_mean: c.population_mean,
            })
            .collect(),
        churn_mix: RiskMix { high: mix.high as u64, medium: mix.medium as u64, low: mix.low as u64 },
        mean_churn_risk: scores.mean_churn.get(horizon.as_str()).copied(),
        mean_clv_cents: scores.mean_clv_cents,
        mean_p_alive: scores.mean_p_alive,
        sample_members: p
            .sample_members
            .iter()
            .map(|id| SampleMember {
                customer_id: id.clone(),
                name: names.iter().find(|(i, _)| i == id).and_then(|(_, n)| n.clone()),
            })
            .collect(),
    }
}

async fn in_progress(core: &Core, organization_id: &str) -> Result<bool, ApiError> {
    Ok(crate::db::jobs::active(&core.db.pool, organization_id, ANALYZE_JOB, JOB_TARGET).await?.is_some())
}

pub async fn segments(core: &Core, actor: &Actor, horizon: &str) -> Result<SegmentsResponse, ApiError> {
    let horizon = parse_horizon(horizon)?;
    let org = &actor.organization_id;
    let analysis_in_progress = in_progress(core, org).await?;
    let Some((run, report)) = latest(core, org).await? else {
        return Ok(SegmentsResponse {
            run: None,
            analysis_in_progress,
            stale: false,
            horizon,
            structure_found: false,
            message: "No analysis yet".into(),
            quality_gate: 0.45,
            winner: None,
            algorithms: Vec::new(),
            noise_count: 0,
            segments: Vec::new(),
            projection: Vec::new(),
            churn: None,
            clv_histogram: Vec::new(),
            total_clv_cents: 0.0,
        });
    };
    let stale = store::data_version(&core.db.pool, org).await? > run.data_version;
    let member_ids: Vec<String> =
        report.segmentation.segments.iter().flat_map(|s| s.sample_members.iter().cloned()).collect();
    let names = store::customer_names(&core.db.pool, org, &member_ids).await?;
    let segments = (0..report.segmentation.segments.len()).map(|i| segment_dto(&run.id, &report, i, horizon, &names)).collect();
    let churn = report.churn.get(horizon.as_str()).map(|c| ChurnOverview {
        horizon,
        best_model: c.best_model.clone(),
        auc: c.auc,
        target_met: c.target_met,
        error: c.error.clone(),
        levels: RiskMix { high: c.counts.high as u64, medium: c.counts.medium as u64, low: c.counts.low as u64 },
        risk_histogram: Vec::new(),
    });
    let churn = match churn {
        Some(mut c) => {
            c.risk_histogram = store::risk_histogram(&core.db.pool, org, &run.id, horizon.index()).await?;
            Some(c)
        }
        None => None,
    };
    Ok(SegmentsResponse {
        run: Some(summary(&run)),
        analysis_in_progress,
        stale,
        horizon,
        structure_found: report.segmentation.structure_found,
        message: report.segmentation.message.clone(),
        quality_gate: report.segmentation.quality_gate,
        winner: report.segmentation.winner.clone(),
        algorithms: report.segmentation.algorithms.clone(),
        noise_count: report.segmentation.noise_count as u64,
        segments,
        projection: report
            .segmentation
            .projection
            .points
            .iter()
            .map(|p| ProjectedPointDto { x: p.x, y: p.y, segment: p.segment })
            .collect(),
        churn,
        clv_histogram: report.clv.histogram.iter().map(|(b, n)| ClvBand { below_cents: *b, customers: *n as u64 }).collect(),
        total_clv_cents: report.clv.total_clv_cents,
    })
}

/// `{run_id}:{number}` → the run and the segment number, or 404.
async fn find_segment(core: &Core, org: &str, segment_id: &str) -> Result<(RunRow, Report, usize), ApiError> {
    let not_found = || ApiError::not_found("Segment");
    let (run_id, number) = segment_id.rsplit_once(':').ok_or_else(not_found)?;
    let number: usize = number.parse().map_err(|_| not_found())?;
    let (run, report) = latest(core, org).await?.ok_or_else(not_found)?;
    if run.id != run_id {
        return Err(ApiError::not_found("Segment (a newer analysis has replaced it)"));
    }
    if number >= report.segmentation.segments.len() {
        return Err(not_found());
    }
    Ok((run, report, number))
}

pub async fn segment_customers(
    core: &Core,
    actor: &Actor,
    segment_id: &str,
    limit: Option<i64>,
    offset: Option<i64>,
) -> Result<SegmentCustomersResponse, ApiError> {
    let org = &actor.organization_id;
    let (run, report, number) = find_segment(core, org, segment_id).await?;
    let limit = limit.unwrap_or(50).clamp(1, PAGE_LIMIT);
    let offset = offset.unwrap_or(0).max(0);
    let rows = store::segment_customers(&core.db.pool, org, &run.id, number as i64, limit, offset).await?;
    let names: Vec<(String, Option<String>)> = Vec::new();
    let segment = segment_dto(&run.id, &report, number, Horizon::D30, &names);
    let customers = rows
        .into_iter()
        .map(|(s, name, email)| SegmentCustomer {
            customer_id: s.customer_id,
            name,
            email,
            churn_risk: s.churn_30d.max(0.0),
            level: if s.churn_30d < 0.0 { "unscored".into() } else { level_of(s.churn_30d).into() },
            p_alive: s.p_alive,
            clv_cents: s.clv_cents,
        })
        .collect();
    Ok(SegmentCustomersResponse { total: segment.size, segment, customers, limit: limit as u64, offset: offset as u64 })
}

pub async fn churn_risk(core: &Core, actor: &Actor, customer_id: &str, timeframe: Option<&str>) -> Result<CustomerRiskResponse, ApiError> {
    let org = &actor.organization_id;
    let horizon = parse_horizon(timeframe.unwrap_or("30d"))?;
    if crate::db::customers::find(&core.db.pool, org, customer_id).await?.is_none() {
        return Err(ApiError::not_found("Customer"));
    }
    let (run, report) = latest(core, org)
        .await?
        .ok_or_else(|| ApiError::not_found("Churn scores (no analysis has run yet)"))?;
    let s = store::customer_score(&core.db.pool, org, &run.id, customer_id)
        .await?
        .ok_or_else(|| ApiError::not_found("Churn scores for this customer (they arrived after the last analysis)"))?;
    let risks = [s.churn_30d, s.churn_60d, s.churn_90d].map(|r| (r >= 0.0).then_some(r));
    let reasons: serde_json::Value = serde_json::from_str(&s.reasons).unwrap_or_default();
    let reasons: Vec<ReasonDto> = serde_json::from_value(reasons[horizon.as_str()].clone()).unwrap_or_default();
    let values: Vec<f64> = serde_json::from_str(&s.features).unwrap_or_default();
    let features = FEATURE_INFO
        .iter()
        .zip(values)
        .map(|(info, value)| FeatureValueDto {
            feature: info.name.to_string(),
            label: info.label.to_string(),
            unit: info.unit.to_string(),
            value,
            population_mean: population_mean(&report, info.name),
        })
        .collect();
    let segment = s.segment.and_then(|n| {
        report
            .segmentation
            .segments
            .get(n as usize)
            .map(|p| SegmentRef { segment_id: format!("{}:{n}", run.id), name: p.name.clone() })
    });
    let risk = risks[horizon.index()];
    Ok(CustomerRiskResponse {
        customer_id: s.customer_id.clone(),
        run_id: run.id.clone(),
        computed_at: time::rfc3339(run.finished_at.unwrap_or(run.started_at)),
        timeframe: horizon,
        churn_risk: risk,
        level: risk.map(|r| level_of(r).to_string()),
        reasons,
        risks,
        segment,
        p_alive: s.p_alive,
        expected_purchases_90d: s.expected_purchases_90d,
        clv_cents: s.clv_cents,
        features,
    })
}

/// The population mean of a feature, from any segment profile's centre (they all carry it).
fn population_mean(report: &Report, feature: &str) -> f64 {
    report
        .segmentation
        .segments
        .first()
        .and_then(|p| p.centre.iter().find(|c| c.feature == feature))
        .map(|c| c.population_mean)
        .unwrap_or(0.0)
}

pub async fn model_performance(core: &Core, actor: &Actor) -> Result<ModelPerformanceResponse, ApiError> {
    let org = &actor.organization_id;
    let history: Vec<EyesRunSummary> = store::runs(&core.db.pool, org, HISTORY_RUNS).await?.iter().map(summary).collect();
    let Some((run, report)) = latest(core, org).await? else {
        return Ok(ModelPerformanceResponse { run: None, horizons: Vec::new(), lifetime_value: None, history });
    };
    let horizons = Horizon::ALL
        .iter()
        .filter_map(|h| report.churn.get(h.as_str()).map(|c| (h, c)))
        .map(|(h, c)| {
            let e = c.evaluation.as_ref();
            HorizonPerformance {
                horizon: *h,
                best_model: c.best_model.clone(),
                auc: c.auc,
                target_auc: crate::eyes::churn::TARGET_AUC,
                target_met: c.target_met,
                beats_baselines: e.map(|e| e.beats_baselines).unwrap_or(false),
                error: c.error.clone(),
                eval_customers: e.map(|e| e.eval_window.customers as u64).unwrap_or(0),
                eval_churn_rate: e.map(|e| e.eval_window.churn_rate).unwrap_or(0.0),
                models: e
                    .map(|e| {
                        e.candidates
                            .iter()
                            .map(|m| ModelScore {
                                model: m.kind.name().to_string(),
                                auc: m.held_out.auc,
                                precision: m.held_out.precision,
                                recall: m.held_out.recall,
                                f1: m.held_out.f1,
                                threshold: m.held_out.threshold,
                                brier: m.held_out.brier,
                                roc: m
                                    .held_out
                                    .roc
                                    .iter()
                                    .map(|p| RocPointDto { fpr: p.false_positive_rate, tpr: p.true_positive_rate })
                                    .collect(),
                                calibration: m
                                    .held_out
                                    .calibration
                                    .iter()
                                    .map(|b| CalibrationBinDto {
                                        mean_predicted: b.mean_predicted,
                                        observed_rate: b.observed_rate,
                                        count: b.count as u64,
                                    })
                                    .collect(),
                                trained_rows: m.trained_rows as u64,
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                baselines: e
                    .map(|e| {
                        e.baselines
                            .iter()
                            .map(|b| BaselineScore { name: b.name.clone(), auc: b.auc, detail: b.detail.clone() })
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let lifetime_value = Some(LifetimeValueModel {
        bgnbd: report.clv.bgnbd.as_ref().map(|f| [f.params.r, f.params.alpha, f.params.a, f.params.b]),
        gamma_gamma: report.clv.gamma_gamma.as_ref().map(|f| [f.params.p, f.params.q, f.params.v]),
        error: report.clv.error.clone(),
    });
    Ok(ModelPerformanceResponse { run: Some(summary(&run)), horizons, lifetime_value, history })
}

pub async fn cross_platform_patterns(core: &Core, actor: &Actor) -> Result<CrossPlatformPatternsResponse, ApiError> {
    let Some((run, report)) = latest(core, &actor.organization_id).await? else {
        return Ok(CrossPlatformPatternsResponse {
            run: None,
            customers_with_channels: 0,
            multi_channel_customers: 0,
            multi_channel_share: 0.0,
            channel_reach: Vec::new(),
            switches: Vec::new(),
            journeys: Vec::new(),
        });
    };
    let p = report.patterns;
    Ok(CrossPlatformPatternsResponse {
        run: Some(summary(&run)),
        customers_with_channels: p.customers_with_channels,
        multi_channel_customers: p.multi_channel_customers,
        multi_channel_share: p.multi_channel_share,
        channel_reach: p.channel_reach.into_iter().map(|c| ChannelReach { channel: c.channel, customers: c.customers }).collect(),
        switches: p.switches.into_iter().map(|s| ChannelSwitchDto { from: s.from, to: s.to, count: s.count }).collect(),
        journeys: p
            .journeys
            .into_iter()
            .map(|j| JourneyDto { steps: j.steps, customers: j.customers, purchasers: j.purchasers })
            .collect(),
    })
}

const CAMPAIGN_TYPES: [&str; 4] = ["email", "sms", "push", "in_app"];

/// A draft retention campaign aimed at one segment of the newest analysis.
pub async fn trigger_retention_campaign(
    core: &Core,
    actor: &Actor,
    req: RetentionCampaignRequest,
) -> Result<DraftCampaignDto, ApiError> {
    actor.require_editor("start an analysis or create campaigns")?;
    let channel = req.campaign_type.trim().to_lowercase();
    if !CAMPAIGN_TYPES.contains(&channel.as_str()) {
        return Err(ApiError::validation("campaign_type", "must be email, sms, push or in_app"));
    }
    let (run, report, number) = find_segment(core, &actor.organization_id, req.segment_id.trim()).await?;
    let segment = &report.segmentation.segments[number];
    let now = time::now();
    let target = SegmentRef { segment_id: format!("{}:{number}", run.id), name: segment.name.clone() };
    let campaign = crate::db::campaigns::CampaignRow {
        id: new_id(),
        organization_id: actor.organization_id.clone(),
        name: format!("Win back: {} ({})", segment.name, channel.replace('_', "-")),
        objective: "engagement".into(),
        status: "draft".into(),
        budget_cents: 0,
        starts_on: None,
        ends_on: None,
        platforms: serde_json::to_string(&[&channel]).unwrap_or_else(|_| "[]".into()),
        channel: Some(channel.clone()),
        target_segment: Some(
            json!({ "run_id": run.id, "segment": number, "segment_id": target.segment_id, "name": segment.name, "size": segment.size })
                .to_string(),
        ),
        created_by: Some(actor.user_id.clone()),
        created_at: now,
        updated_at: now,
        description: None,
        strategy: None,
        strategy_at: None,
    };
    crate::db::campaigns::insert(&core.db.pool, &campaign).await?;
    Ok(DraftCampaignDto {
        campaign_id: campaign.id,
        name: campaign.name,
        objective: campaign.objective,
        status: campaign.status,
        channel: campaign.channel,
        target_segment: Some(target),
        audience_size: segment.size as u64,
        created_at: time::rfc3339(now),
    })
}

/// A segment as a campaign target: the stored reference, the summary shown with the campaign,
/// and plain-English traits for the AI's audience facts.
pub async fn segment_target(
    core: &Core,
    organization_id: &str,
    segment_id: &str,
) -> Result<(serde_json::Value, crate::model::TargetSegmentDto, Vec<String>), ApiError> {
    let (run, report, number) = find_segment(core, organization_id, segment_id.trim())
        .await
        .map_err(|e| ApiError { field: Some("target_segment_id".into()), ..e })?;
    let segment = &report.segmentation.segments[number];
    let id = format!("{}:{number}", run.id);
    let mut traits: Vec<String> = segment
        .distinguishing_features
        .iter()
        .map(|f| {
            let dir = if f.segment_mean >= f.rest_mean { "higher" } else { "lower" };
            format!("{} {dir} than other customers ({:.1} vs {:.1} {})", f.label.to_lowercase(), f.segment_mean, f.rest_mean, f.unit)
        })
        .collect();
    if let Some(high) = segment.churn_risk_mix.as_ref().and_then(|m| m.get("high")) {
        traits.push(format!("{:.0}% at high churn risk", high * 100.0));
    }
    Ok((
        json!({ "run_id": run.id, "segment": number, "segment_id": id, "name": segment.name, "size": segment.size }),
        crate::model::TargetSegmentDto { segment_id: id, name: segment.name.clone(), size: segment.size as i64 },
        traits,
    ))
}
