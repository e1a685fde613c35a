//! A circuit breaker per platform account: after `threshold` consecutive failed attempts
//! (5xx, timeouts, connection errors) calls fail fast for a cool-down, then one probe is let
//! through (half-open); its success closes the circuit, its failure opens it again.
//! Hand-written: the state machine is a few lines and must share the manager's keys.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug)]
enum State {
    Closed { failures: u32 },
    Open { until: Instant },
    HalfOpen { probing: bool },
}

pub(crate) struct Breakers {
    threshold: u32,
    cooldown: Duration,
    states: Mutex<HashMap<String, State>>,
}

impl Breakers {
    pub fn new(threshold: u32, cooldown: Duration) -> Self {
        Breakers {
            threshold: threshold.max(1),
            cooldown,
            states: Mutex::new(HashMap::new()),
        }
    }

    /// Ok when a call may go out; Err(time left) while open.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        let mut states = self.states.lock().expect("breaker lock");
        let state = states
            .entry(key.to_string())
            .or_insert(State::Closed { failures: 0 });
        match *state {
            State::Closed { .. } => Ok(()),
            State::Open { until } => {
                let now = Instant::now();
                if now >= until {
                    *state = State::HalfOpen { probing: true };
                    Ok(())
                } else {
                    Err(until - now)
                }
            }
            // One probe at a time; the others wait out a fresh cool-down's worth of doubt.
            State::HalfOpen { probing: true } => Err(self.cooldown),
            State::HalfOpen { probing: false } => {
                *state = State::HalfOpen { probing: true };
                Ok(())
            }
        }
    }

    pub fn success(&self, key: &str) {
        self.states
            .lock()
            .expect("breaker lock")
            .insert(key.to_string(), State::Closed { failures: 0 });
    }

    pub fn failure(&self, key: &str) {
        let mut states = self.states.lock().expect("breaker lock");
        let state = states
            .entry(key.to_string())
            .or_insert(State::Closed { failures: 0 });
        *state = match *state {
            State::Closed { failures } if failures + 1 < self.threshold => State::Closed {
                failures: failures + 1,
            },
            _ => State::Open {
                until: Instant::now() + self.cooldown,
            },
        };
    }

    /// An attempt that ended without telling anything about the platform's health (a 4xx).
    pub fn neutral(&self, key: &str) {
        let mut states = self.states.lock().expect("breaker lock");
        if let Some(State::HalfOpen { .. }) = states.get(key) {
            states.insert(key.to_string(), State::HalfOpen { probing: false });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_threshold_then_half_opens_for_one_probe() {
        let b = Breakers::new(2, Duration::from_millis(30));
        b.failure("k");
        assert!(b.check("k").is_ok());
        b.failure("k");
        assert!(b.check("k").is_err());
        std::thread::sleep(Duration::from_millis(40));
        assert!(b.check("k").is_ok(), "half-open lets one probe through");
        assert!(b.check("k").is_err(), "but only one");
        b.failure("k");
        assert!(b.check("k").is_err(), "a failed probe re-opens");
        std::thread::sleep(Duration::from_millis(40));
        assert!(b.check("k").is_ok());
        b.success("k");
        assert!(b.check("k").is_ok() && b.check("k").is_ok());
    }
}
