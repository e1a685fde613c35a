//! The overview a marketer lands on: the last 30 days against the 30 before.

use super::{platforms, Actor};
use crate::db::{overview, time};
use crate::model::{DailyPoint, DashboardOverview, PlatformHealth, PlatformPerformance, Trend};
use crate::{ApiError, Core};

const DAY: i64 = 86_400;
const WINDOW_DAYS: i64 = 30;

pub async fn overview(core: &Core, actor: &Actor) -> Result<DashboardOverview, ApiError> {
    overview_at(core, actor, time::now()).await
}

/// The overview as of `now` (whole days: the window ends with today).
pub async fn overview_at(core: &Core, actor: &Actor, now: i64) -> Result<DashboardOverview, ApiError> {
    let org = actor.organization_id.as_str();
    let today = now.div_euclid(DAY);
    let end = (today + 1) * DAY;
    let start = end - WINDOW_DAYS * DAY;
    let before = start - WINDOW_DAYS * DAY;
    let pool = &core.db.pool;

    let (customers_total, new_now) = overview::customers(pool, org, start, end).await?;
    let (_, new_before) = overview::customers(pool, org, before, start).await?;
    let days = overview::orders_by_day(pool, org, before, end).await?;
    let sum = |from: i64, to: i64, pick: fn(&(i64, i64, i64)) -> i64| {
        days.iter().filter(|d| d.0 >= from / DAY && d.0 < to / DAY).map(pick).sum::<i64>()
    };
    let daily = (0..WINDOW_DAYS)
        .map(|i| {
            let day = start / DAY + i;
            let hit = days.iter().find(|d| d.0 == day);
            DailyPoint {
                day: day_string(day),
                orders: hit.map(|d| d.1).unwrap_or(0),
                revenue_cents: hit.map(|d| d.2).unwrap_or(0),
            }
        })
        .collect();
    let performance = overview::performance_by_platform(pool, org, &day_string(start / DAY), &day_string(today))
        .await?
        .into_iter()
        .map(|(platform, impressions, clicks, spend_cents, conversions, revenue_cents)| PlatformPerformance {
            platform,
            impressions,
            clicks,
            spend_cents,
            conversions,
            revenue_cents,
        })
        .collect();
    let platforms = platforms::list(core, actor)
        .await?
        .into_iter()
        .filter(|p| p.status != "not_connected")
        .map(|p| PlatformHealth { platform: p.platform, name: p.name, status: p.status, last_sync_at: p.last_sync_at, last_error: p.last_error })
        .collect();
    Ok(DashboardOverview {
        customers_total,
        new_customers: Trend { current: new_now, previous: new_before },
        orders: Trend { current: sum(start, end, |d| d.1), previous: sum(before, start, |d| d.1) },
        revenue_cents: Trend { current: sum(start, end, |d| d.2), previous: sum(before, start, |d| d.2) },
        daily,
        platforms,
        performance,
    })
}

fn day_string(unix_day: i64) -> String {
    chrono::DateTime::from_timestamp(unix_day * DAY, 0).unwrap_or_default().format("%Y-%m-%d").to_string()
}
