//! Turns a labelling of the feature table into segments a marketer can read: a name from the
//! profile, size and revenue shares, the features that set the segment apart (Cohen's d against
//! everyone else), its centre in original units, and its most typical members.
//!
//! Effect sizes and naming use the model scale (log-compressed, z-scored), where a few whales
//! cannot dominate a mean; centres are reported as member means in original units.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::geometry::{squared_distance, Points, CHUNK_ROWS};
use crate::eyes::features::{
    ENGAGEMENT, EVENTS_PER_DAY, FEATURE_COUNT, FEATURE_INFO, FREQUENCY, MONETARY, RECENCY_DAYS,
    TENURE_DAYS,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentProfile {
    /// The segment's number in `Segmentation::assignments` (0 = largest).
    pub label: u32,
    pub name: String,
    pub size: usize,
    /// Of all customers (noise included).
    pub share: f64,
    /// Of total spend before the cutoff.
    pub revenue_share: f64,
    /// The three features with the largest |Cohen's d| against the rest, largest first.
    pub distinguishing_features: Vec<FeatureEffect>,
    /// Mean of every feature over the members, in original units.
    pub centre: Vec<FeatureValue>,
    /// The members closest to the segment's centre (model scale), closest first.
    pub sample_members: Vec<String>,
    /// Share of members per churn-risk band; filled in by the pipeline once churn scores exist.
    pub churn_risk_mix: Option<BTreeMap<String, f64>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    Higher,
    Lower,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureEffect {
    pub feature: String,
    pub label: String,
    pub unit: String,
    /// Cohen's d of segment vs rest on the model scale (pooled standard deviation).
    pub cohens_d: f64,
    pub direction: Direction,
    /// Means in original units.
    pub segment_mean: f64,
    pub rest_mean: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureValue {
    pub feature: String,
    pub label: String,
    pub unit: String,
    pub value: f64,
    pub population_mean: f64,
}

/// How far (in population standard deviations) a segment's centre must sit from the population
/// mean for a naming rule to call it high or low.
const HIGH: f64 = 0.5;
const LOW: f64 = -0.5;

/// The segment name for a centre given relative to the population: per feature, (segment mean −
/// population mean) / population std on the model scale. First matching rule wins:
///
/// | name | rule |
/// | --- | --- |
/// | Champions | frequency high, monetary high, recency low (bought recently) |
/// | At-risk big spenders | monetary high, recency high |
/// | Loyal | frequency high, recency not high |
/// | New | tenure low, recency at most average |
/// | Hibernating | recency high, frequency at most average |
/// | Window shoppers | frequency low, engagement or activity rate high |
/// | Promising | recency low |
/// | Big spenders | monetary high |
/// | Occasional | anything else |
pub fn segment_name(relative_centre: &[f64]) -> &'static str {
    let v = |j: usize| relative_centre[j];
    let (recency, frequency, monetary, tenure) =
        (v(RECENCY_DAYS), v(FREQUENCY), v(MONETARY), v(TENURE_DAYS));
    if frequency >= HIGH && monetary >= HIGH && recency <= LOW {
        "Champions"
    } else if monetary >= HIGH && recency >= HIGH {
        "At-risk big spenders"
    } else if frequency >= HIGH && recency < HIGH {
        "Loyal"
    } else if tenure <= LOW && recency <= 0.0 {
        "New"
    } else if recency >= HIGH && frequency <= 0.0 {
        "Hibernating"
    } else if frequency <= LOW && (v(ENGAGEMENT) >= HIGH || v(EVENTS_PER_DAY) >= HIGH) {
        "Window shoppers"
    } else if recency <= LOW {
        "Promising"
    } else if monetary >= HIGH {
        "Big spenders"
    } else {
        "Occasional"
    }
}

/// Per-group sums: count, then original-unit sums, model-scale sums and sums of squares.
#[derive(Clone)]
struct GroupSums {
    count: usize,
    raw: [f64; FEATURE_COUNT],
    z: [f64; FEATURE_COUNT],
    z2: [f64; FEATURE_COUNT],
}

impl GroupSums {
    const ZERO: GroupSums = GroupSums {
        count: 0,
        raw: [0.0; FEATURE_COUNT],
        z: [0.0; FEATURE_COUNT],
        z2: [0.0; FEATURE_COUNT],
    };

    fn add(&mut self, other: &GroupSums) {
        self.count += other.count;
        for j in 0..FEATURE_COUNT {
            self.raw[j] += other.raw[j];
            self.z[j] += other.z[j];
            self.z2[j] += other.z2[j];
        }
    }

    fn minus(&self, other: &GroupSums) -> GroupSums {
        let mut out = self.clone();
        out.count -= other.count;
        for j in 0..FEATURE_COUNT {
            out.raw[j] -= other.raw[j];
            out.z[j] -= other.z[j];
            out.z2[j] -= other.z2[j];
        }
        out
    }

    fn mean_raw(&self, j: usize) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.raw[j] / self.count as f64
        }
    }

    fn mean_z(&self, j: usize) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.z[j] / self.count as f64
        }
    }

    /// Sample variance on the model scale.
    fn var_z(&self, j: usize) -> f64 {
        if self.count < 2 {
            return 0.0;
        }
        let mean = self.mean_z(j);
        ((self.z2[j] - self.count as f64 * mean * mean) / (self.count - 1) as f64).max(0.0)
    }
}

/// Profiles of segments `0..segments` of `labels` (noise = `None`). `raw` holds the features in
/// original units, `z` on the model scale, both row-major n × [`FEATURE_COUNT`].
pub(crate) fn explain(
    raw: Points,
    z: Points,
    labels: &[Option<u32>],
    segments: usize,
    customer_id: impl Fn(usize) -> String,
    members_per_segment: usize,
) -> Vec<SegmentProfile> {
    assert_eq!(raw.dim(), FEATURE_COUNT);
    assert_eq!(z.dim(), FEATURE_COUNT);
    let n = labels.len();
    let groups = group_sums(raw, z, labels, segments);
    let mut total = GroupSums::ZERO;
    groups.iter().for_each(|g| total.add(g));
    let centres_z: Vec<[f64; FEATURE_COUNT]> = groups[..segments]
        .iter()
        .map(|g| std::array::from_fn(|j| g.mean_z(j)))
        .collect();
    let members = typical_members(z, labels, &centres_z, members_per_segment);

    let total_revenue = total.raw[MONETARY];
    let mut names_taken: Vec<String> = Vec::new();
    (0..segments)
        .map(|s| {
            let seg = &groups[s];
            let rest = total.minus(seg);
            let mut effects: Vec<(f64, usize)> = (0..FEATURE_COUNT)
                .map(|j| (cohens_d(seg, &rest, j), j))
                .collect();
            // Largest |d| first; feature order breaks ties.
            effects.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()).then(a.1.cmp(&b.1)));
            let relative: Vec<f64> = (0..FEATURE_COUNT)
                .map(|j| {
                    let sd = total.var_z(j).sqrt();
                    if sd > 1e-12 {
                        (seg.mean_z(j) - total.mean_z(j)) / sd
                    } else {
                        0.0
                    }
                })
                .collect();
            let name = unique_name(segment_name(&relative), &effects, &names_taken);
            names_taken.push(name.clone());
            SegmentProfile {
                label: s as u32,
                name,
                size: seg.count,
                share: if n > 0 {
                    seg.count as f64 / n as f64
                } else {
                    0.0
                },
                revenue_share: if total_revenue > 0.0 {
                    (seg.raw[MONETARY] / total_revenue).clamp(0.0, 1.0)
                } else {
                    0.0
                },
                distinguishing_features: effects
                    .iter()
                    .take(3)
                    .map(|&(d, j)| FeatureEffect {
                        feature: FEATURE_INFO[j].name.to_string(),
                        label: FEATURE_INFO[j].label.to_string(),
                        unit: FEATURE_INFO[j].unit.to_string(),
                        cohens_d: d,
                        direction: if d >= 0.0 {
                            Direction::Higher
                        } else {
                            Direction::Lower
                        },
                        segment_mean: seg.mean_raw(j),
                        rest_mean: rest.mean_raw(j),
                    })
                    .collect(),
                centre: (0..FEATURE_COUNT)
                    .map(|j| FeatureValue {
                        feature: FEATURE_INFO[j].name.to_string(),
                        label: FEATURE_INFO[j].label.to_string(),
                        unit: FEATURE_INFO[j].unit.to_string(),
                        value: seg.mean_raw(j),
                        population_mean: total.mean_raw(j),
                    })
                    .collect(),
                sample_members: members[s].iter().map(|&(_, i)| customer_id(i)).collect(),
                churn_risk_mix: None,
            }
        })
        .collect()
}

/// Cohen's d of `seg` vs `rest` on feature j: difference of means over the pooled standard
/// deviation; 0 when either side is empty or there is no spread.
fn cohens_d(seg: &GroupSums, rest: &GroupSums, j: usize) -> f64 {
    let (n1, n2) = (seg.count as f64, rest.count as f64);
    if seg.count == 0 || rest.count == 0 || seg.count + rest.count < 3 {
        return 0.0;
    }
    let pooled =
        (((n1 - 1.0) * seg.var_z(j) + (n2 - 1.0) * rest.var_z(j)) / (n1 + n2 - 2.0)).sqrt();
    if pooled > 1e-12 {
        (seg.mean_z(j) - rest.mean_z(j)) / pooled
    } else {
        0.0
    }
}

/// A second segment with the same name gets its strongest distinguishing feature appended;
/// a number if even that is taken.
fn unique_name(base: &str, effects: &[(f64, usize)], taken: &[String]) -> String {
    let free = |name: &str| !taken.iter().any(|t| t == name);
    if free(base) {
        return base.to_string();
    }
    for &(d, j) in effects.iter().take(3) {
        let direction = if d >= 0.0 { "high" } else { "low" };
        let candidate = format!(
            "{base} ({direction} {})",
            FEATURE_INFO[j].label.to_lowercase()
        );
        if free(&candidate) {
            return candidate;
        }
    }
    (2..)
        .map(|i| format!("{base} {i}"))
        .find(|c| free(c))
        .expect("an unused number exists")
}

/// Sums per segment, plus one last group for noise; chunked and reduced in order.
fn group_sums(raw: Points, z: Points, labels: &[Option<u32>], segments: usize) -> Vec<GroupSums> {
    let dim = FEATURE_COUNT;
    let partials: Vec<Vec<GroupSums>> = labels
        .par_chunks(CHUNK_ROWS)
        .enumerate()
        .map(|(chunk, chunk_labels)| {
            let mut groups = vec![GroupSums::ZERO; segments + 1];
            for (r, label) in chunk_labels.iter().enumerate() {
                let i = chunk * CHUNK_ROWS + r;
                let g = &mut groups[label.map_or(segments, |l| l as usize)];
                g.count += 1;
                let (raw_row, z_row) = (raw.row(i), z.row(i));
                for j in 0..dim {
                    g.raw[j] += raw_row[j];
                    g.z[j] += z_row[j];
                    g.z2[j] += z_row[j] * z_row[j];
                }
            }
            groups
        })
        .collect();
    let mut groups = vec![GroupSums::ZERO; segments + 1];
    for partial in &partials {
        for (g, p) in groups.iter_mut().zip(partial) {
            g.add(p);
        }
    }
    groups
}

/// Per segment, the `count` members nearest the centre as (squared distance, row), nearest first
/// (ties: lower row).
fn typical_members(
    z: Points,
    labels: &[Option<u32>],
    centres: &[[f64; FEATURE_COUNT]],
    count: usize,
) -> Vec<Vec<(f64, usize)>> {
    let keep = |list: &mut Vec<(f64, usize)>, item: (f64, usize)| {
        let at = list.partition_point(|e| e.0 < item.0 || (e.0 == item.0 && e.1 < item.1));
        if at < count {
            list.insert(at, item);
            list.truncate(count);
        }
    };
    let partials: Vec<Vec<Vec<(f64, usize)>>> = labels
        .par_chunks(CHUNK_ROWS)
        .enumerate()
        .map(|(chunk, chunk_labels)| {
            let mut best = vec![Vec::with_capacity(count + 1); centres.len()];
            for (r, label) in chunk_labels.iter().enumerate() {
                if let Some(s) = *label {
                    let i = chunk * CHUNK_ROWS + r;
                    keep(
                        &mut best[s as usize],
                        (squared_distance(z.row(i), &centres[s as usize]), i),
                    );
                }
            }
            best
        })
        .collect();
    let mut best = vec![Vec::with_capacity(count + 1); centres.len()];
    for partial in partials {
        for (b, p) in best.iter_mut().zip(partial) {
            p.into_iter().for_each(|item| keep(b, item));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn centre(pairs: &[(usize, f64)]) -> Vec<f64> {
        let mut c = vec![0.0; FEATURE_COUNT];
        pairs.iter().for_each(|&(j, v)| c[j] = v);
        c
    }

    #[test]
    fn naming_rules() {
        assert_eq!(
            segment_name(&centre(&[
                (FREQUENCY, 1.5),
                (MONETARY, 1.2),
                (RECENCY_DAYS, -1.0)
            ])),
            "Champions"
        );
        assert_eq!(
            segment_name(&centre(&[(MONETARY, 1.0), (RECENCY_DAYS, 1.0)])),
            "At-risk big spenders"
        );
        assert_eq!(
            segment_name(&centre(&[(FREQUENCY, 1.0), (RECENCY_DAYS, 0.0)])),
            "Loyal"
        );
        assert_eq!(
            segment_name(&centre(&[(TENURE_DAYS, -1.0), (RECENCY_DAYS, -0.3)])),
            "New"
        );
        assert_eq!(
            segment_name(&centre(&[(RECENCY_DAYS, 1.0), (FREQUENCY, -0.8)])),
            "Hibernating"
        );
        assert_eq!(
            segment_name(&centre(&[(FREQUENCY, -1.0), (ENGAGEMENT, 1.0)])),
            "Window shoppers"
        );
        assert_eq!(segment_name(&centre(&[])), "Occasional");
    }

    #[test]
    fn names_are_made_unique() {
        let effects = [(-1.2, RECENCY_DAYS), (0.8, MONETARY)];
        let taken = vec!["Loyal".to_string()];
        assert_eq!(
            unique_name("Loyal", &effects, &taken),
            "Loyal (low days since last purchase)"
        );
        assert_eq!(unique_name("New", &effects, &taken), "New");
        let all = vec![
            "Loyal".to_string(),
            "Loyal (low days since last purchase)".to_string(),
            "Loyal (high total spend)".to_string(),
        ];
        assert_eq!(unique_name("Loyal", &effects, &all), "Loyal 2");
    }

    #[test]
    fn cohens_d_by_hand() {
        // Segment z-values {1, 3} (mean 2, var 2), rest {0, 0, 0, 2} (mean 0.5, var 1).
        let sums = |values: &[f64]| {
            let mut g = GroupSums::ZERO;
            for &v in values {
                g.count += 1;
                g.z[0] += v;
                g.z2[0] += v * v;
            }
            g
        };
        let d = cohens_d(&sums(&[1.0, 3.0]), &sums(&[0.0, 0.0, 0.0, 2.0]), 0);
        let pooled = ((1.0 * 2.0 + 3.0 * 1.0) / 4.0f64).sqrt();
        assert!((d - 1.5 / pooled).abs() < 1e-12);
    }
}
