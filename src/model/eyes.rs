//! EYES over the API: segments with their explanations and churn mix for one horizon, a
//! segment's customers, one customer's scores, and the models' performance over time.

use serde::{Deserialize, Serialize};

/// 30, 60 or 90 days, written "30d" in paths and queries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Horizon {
    #[serde(rename = "30d")]
    D30,
    #[serde(rename = "60d")]
    D60,
    #[serde(rename = "90d")]
    D90,
}

impl Horizon {
    pub const ALL: [Horizon; 3] = [Horizon::D30, Horizon::D60, Horizon::D90];

    pub fn parse(s: &str) -> Option<Horizon> {
        Horizon::ALL.into_iter().find(|h| h.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Horizon::D30 => "30d",
            Horizon::D60 => "60d",
            Horizon::D90 => "90d",
        }
    }

    pub fn days(self) -> u32 {
        match self {
            Horizon::D30 => 30,
            Horizon::D60 => 60,
            Horizon::D90 => 90,
        }
    }

    /// Position in `ALL` (and in every per-horizon array).
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Where the newest analysis stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EyesRunSummary {
    pub run_id: String,
    pub status: String,
    pub cutoff: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub customers: i64,
    pub structure_found: bool,
    pub algorithm: Option<String>,
    pub silhouette: Option<f64>,
    pub baseline_silhouette: Option<f64>,
    /// 30, 60, 90 days.
    pub auc: [Option<f64>; 3],
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlgorithmScoreDto {
    pub algorithm: String,
    pub k: usize,
    pub silhouette: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// The same algorithm on column-shuffled data (no structure by design).
    pub baseline_silhouette: Option<f64>,
    pub noise_count: usize,
    pub passes_gate: bool,
    pub note: Option<String>,
    pub run_time_ms: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureEffectDto {
    pub feature: String,
    pub label: String,
    pub unit: String,
    /// Cohen's d of the segment against everyone else.
    pub effect_size: f64,
    /// "higher" or "lower" than the rest.
    pub direction: String,
    pub segment_mean: f64,
    pub rest_mean: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureValueDto {
    pub feature: String,
    pub label: String,
    pub unit: String,
    pub value: f64,
    pub population_mean: f64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RiskMix {
    pub high: u64,
    pub medium: u64,
    pub low: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SampleMember {
    pub customer_id: String,
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentDto {
    /// `{run_id}:{number}`, stable for the run it came from.
    pub segment_id: String,
    pub number: u32,
    pub name: String,
    pub size: u64,
    pub share: f64,
    pub revenue_share: f64,
    pub distinguishing_features: Vec<FeatureEffectDto>,
    pub centre: Vec<FeatureValueDto>,
    /// For the horizon asked.
    pub churn_mix: RiskMix,
    pub mean_churn_risk: Option<f64>,
    pub mean_clv_cents: f64,
    pub mean_p_alive: f64,
    pub sample_members: Vec<SampleMember>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectedPointDto {
    pub x: f64,
    pub y: f64,
    pub segment: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChurnOverview {
    pub horizon: Horizon,
    pub best_model: Option<String>,
    pub auc: Option<f64>,
    pub target_met: bool,
    /// Why there is no model (not enough history), if there is none.
    pub error: Option<String>,
    pub levels: RiskMix,
    /// Customers per tenth of risk: [0, 0.1), [0.1, 0.2), … [0.9, 1].
    pub risk_histogram: Vec<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClvBand {
    /// Upper bound in cents; `None` for the open top band.
    pub below_cents: Option<i64>,
    pub customers: u64,
}

/// `GET /api/eyes/segments/{30d|60d|90d}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentsResponse {
    /// `None` until the first analysis completes.
    pub run: Option<EyesRunSummary>,
    /// An analysis is queued or running now.
    pub analysis_in_progress: bool,
    /// New data arrived after the newest analysis.
    pub stale: bool,
    pub horizon: Horizon,
    pub structure_found: bool,
    /// "no clear segment structure" when no algorithm passed the quality gate.
    pub message: String,
    pub quality_gate: f64,
    pub winner: Option<AlgorithmScoreDto>,
    pub algorithms: Vec<AlgorithmScoreDto>,
    pub noise_count: u64,
    pub segments: Vec<SegmentDto>,
    pub projection: Vec<ProjectedPointDto>,
    pub churn: Option<ChurnOverview>,
    pub clv_histogram: Vec<ClvBand>,
    pub total_clv_cents: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReasonDto {
    pub feature: String,
    pub text: String,
    /// Log-odds added to the churn risk (negative lowers it).
    pub contribution: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentCustomer {
    pub customer_id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub churn_risk: f64,
    pub level: String,
    pub p_alive: f64,
    pub clv_cents: i64,
}

/// `GET /api/eyes/segments/{segment_id}/customers`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentCustomersResponse {
    pub segment: SegmentDto,
    pub customers: Vec<SegmentCustomer>,
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
}

/// `GET /api/eyes/churn-risk/{customer_id}?timeframe=30d`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerRiskResponse {
    pub customer_id: String,
    pub run_id: String,
    pub computed_at: String,
    pub timeframe: Horizon,
    /// `None` when this horizon has no model (not enough history).
    pub churn_risk: Option<f64>,
    pub level: Option<String>,
    pub reasons: Vec<ReasonDto>,
    /// All three horizons: 30, 60, 90 days.
    pub risks: [Option<f64>; 3],
    pub segment: Option<SegmentRef>,
    pub p_alive: f64,
    pub expected_purchases_90d: f64,
    pub clv_cents: i64,
    pub features: Vec<FeatureValueDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentRef {
    pub segment_id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RocPointDto {
    pub fpr: f64,
    pub tpr: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBinDto {
    /// `None` for an empty bin.
    pub mean_predicted: Option<f64>,
    pub observed_rate: Option<f64>,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelScore {
    pub model: String,
    pub auc: Option<f64>,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub threshold: f64,
    pub brier: f64,
    pub roc: Vec<RocPointDto>,
    pub calibration: Vec<CalibrationBinDto>,
    pub trained_rows: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BaselineScore {
    pub name: String,
    pub auc: Option<f64>,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HorizonPerformance {
    pub horizon: Horizon,
    pub best_model: Option<String>,
    pub auc: Option<f64>,
    pub target_auc: f64,
    pub target_met: bool,
    pub beats_baselines: bool,
    pub error: Option<String>,
    /// Held-out window: customers and churn rate.
    pub eval_customers: u64,
    pub eval_churn_rate: f64,
    pub models: Vec<ModelScore>,
    pub baselines: Vec<BaselineScore>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LifetimeValueModel {
    pub bgnbd: Option<[f64; 4]>,
    pub gamma_gamma: Option<[f64; 3]>,
    pub error: Option<String>,
}

/// `GET /api/eyes/model-performance`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelPerformanceResponse {
    pub run: Option<EyesRunSummary>,
    pub horizons: Vec<HorizonPerformance>,
    pub lifetime_value: Option<LifetimeValueModel>,
    /// Newest first: silhouette and AUC of every run.
    pub history: Vec<EyesRunSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RetentionCampaignRequest {
    pub segment_id: String,
    /// email, sms, push or in_app.
    pub campaign_type: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftCampaignDto {
    pub campaign_id: String,
    pub name: String,
    pub objective: String,
    pub status: String,
    pub channel: Option<String>,
    pub target_segment: Option<SegmentRef>,
    pub audience_size: u64,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelReach {
    pub channel: String,
    pub customers: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelSwitchDto {
    pub from: String,
    pub to: String,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JourneyDto {
    pub steps: Vec<String>,
    pub customers: u64,
    pub purchasers: u64,
}

/// `GET /api/eyes/cross-platform-patterns`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrossPlatformPatternsResponse {
    pub run: Option<EyesRunSummary>,
    pub customers_with_channels: u64,
    pub multi_channel_customers: u64,
    pub multi_channel_share: f64,
    pub channel_reach: Vec<ChannelReach>,
    pub switches: Vec<ChannelSwitchDto>,
    pub journeys: Vec<JourneyDto>,
}
