//! Subscription tiers and what each allows.

pub const DEFAULT_TIER: &str = "free";

/// Seats (members plus pending invitations) a tier allows; `None` is unlimited.
pub fn seat_limit(tier: &str) -> Option<i64> {
    match tier {
        "free" => Some(5),
        "starter" => Some(15),
        "pro" => Some(50),
        _ => None,
    }
}
