//! Where a sync stands, in a form the sync service can store (JSON) so that a restarted sync
//! resumes from the last stored page and the next run only asks for changes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ingest::records::Record;

/// A connector walks its resources (stages, e.g. HubSpot contacts then deals) page by page.
/// `since` holds the high-water marks of the last *completed* run, one per resource, which
/// this run asks the platform from; `seen` collects this run's newest marks and only becomes
/// `since` when the run completes, so a run that dies half-way never skips anything. The unit
/// of a mark is the connector's (unix seconds, or milliseconds where the platform filters by
/// them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncCursor {
    #[serde(default)]
    pub stage: usize,
    /// The platform's token (after id, page URL, page token, day …) for the next page of the
    /// current stage; none at a stage's start.
    #[serde(default)]
    pub page: Option<String>,
    #[serde(default)]
    pub since: BTreeMap<String, i64>,
    #[serde(default)]
    pub seen: BTreeMap<String, i64>,
    /// When this run began (unix seconds): fixes date windows of ad reports across pages.
    #[serde(default)]
    pub run_started: Option<i64>,
}

/// One page of records. While `done` is false, `next` is where to continue. When `done` is
/// true, `next` is the cursor to store for the next (incremental) run.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncPage {
    pub records: Vec<Record>,
    pub next: Option<SyncCursor>,
    pub done: bool,
}

impl SyncCursor {
    pub fn since(&self, resource: &str) -> Option<i64> {
        self.since.get(resource).copied()
    }

    /// Notes a change mark seen this run.
    pub fn see(&mut self, resource: &str, mark: i64) {
        let e = self.seen.entry(resource.to_string()).or_insert(mark);
        *e = (*e).max(mark);
    }

    /// True when `mark` is not newer than the resource's last completed run: platforms whose
    /// filter is inclusive (`>=`) send those again, and they are skipped.
    pub fn already_synced(&self, resource: &str, mark: i64) -> bool {
        self.since(resource).is_some_and(|s| mark <= s)
    }

    /// Builds the page: the next page of this stage, else the next stage, else the end of the
    /// run (marks committed, ready for the next incremental run).
    pub fn page(
        mut self,
        records: Vec<Record>,
        next_page: Option<String>,
        stages: usize,
    ) -> SyncPage {
        if let Some(token) = next_page {
            self.page = Some(token);
            return SyncPage {
                records,
                next: Some(self),
                done: false,
            };
        }
        self.page = None;
        self.stage += 1;
        if self.stage < stages {
            return SyncPage {
                records,
                next: Some(self),
                done: false,
            };
        }
        let seen = std::mem::take(&mut self.seen);
        for (k, v) in seen {
            let e = self.since.entry(k).or_insert(v);
            *e = (*e).max(v);
        }
        self.stage = 0;
        self.run_started = None;
        SyncPage {
            records,
            next: Some(self),
            done: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_commit_only_when_the_run_completes() {
        let mut c = SyncCursor::default();
        c.see("contacts", 10);
        c.see("contacts", 5);
        let p = c.page(vec![], Some("a".into()), 2);
        assert!(!p.done);
        let c = p.next.unwrap();
        assert_eq!(c.since("contacts"), None);
        let c = c.page(vec![], None, 2).next.unwrap();
        assert_eq!((c.stage, c.page.as_deref()), (1, None));
        let p = c.page(vec![], None, 2);
        assert!(p.done);
        let c = p.next.unwrap();
        assert_eq!(c.since("contacts"), Some(10));
        assert!(c.seen.is_empty() && c.stage == 0);
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<SyncCursor>(&json).unwrap(), c);
    }
}
