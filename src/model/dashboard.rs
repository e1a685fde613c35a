//! The dashboard overview.

use serde::{Deserialize, Serialize};

/// A figure for the last 30 days beside the 30 days before.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    pub current: i64,
    pub previous: i64,
}

impl Trend {
    /// Change in percent, None when there is nothing to compare with.
    pub fn change_percent(&self) -> Option<f64> {
        (self.previous != 0).then(|| (self.current - self.previous) as f64 * 100.0 / self.previous as f64)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DailyPoint {
    /// YYYY-MM-DD.
    pub day: String,
    pub orders: i64,
    pub revenue_cents: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlatformPerformance {
    pub platform: String,
    pub impressions: i64,
    pub clicks: i64,
    pub spend_cents: i64,
    pub conversions: i64,
    pub revenue_cents: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlatformHealth {
    pub platform: String,
    pub name: String,
    pub status: String,
    pub last_sync_at: Option<String>,
    pub last_error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardOverview {
    pub customers_total: i64,
    pub new_customers: Trend,
    pub orders: Trend,
    pub revenue_cents: Trend,
    /// The last 30 days, oldest first, one point per day (zeros included).
    pub daily: Vec<DailyPoint>,
    pub platforms: Vec<PlatformHealth>,
    /// Ad performance over the last 30 days, by platform.
    pub performance: Vec<PlatformPerformance>,
}
