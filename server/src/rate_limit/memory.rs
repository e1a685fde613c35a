use std::collections::HashMap;
use std::sync::Mutex;

/// Counters for this process only; windows older than the current one are dropped as it turns.
#[derive(Default)]
pub struct MemoryStore {
    inner: Mutex<(u64, HashMap<String, u64>)>,
}

impl MemoryStore {
    pub fn increment(&self, key: &str, window: u64) -> u64 {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (current_window, counts) = &mut *guard;
        if *current_window != window {
            counts.clear();
            *current_window = window;
        }
        let n = counts.entry(key.to_string()).or_insert(0);
        *n += 1;
        *n
    }
}
