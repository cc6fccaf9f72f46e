//! Indexed Jobs (`spec.completionMode: Indexed`): the completion index
//! bookkeeping of the Job controller.
//!
//! Sources (kubernetes/kubernetes, `pkg/controller/job/indexed_job_utils.go`):
//! * `orderedIntervals` with `withOrderedIndexes`, `total`, `has` and
//!   `String` — the `status.completedIndexes` text ("1,3-5,7": two
//!   consecutive indexes are written with a comma, three or more as a range);
//! * `firstPendingIndexes` — the lowest indexes neither succeeded nor held by
//!   an active Pod (nor, when only failed Pods are replaced, by a
//!   terminating one);
//! * `getCompletionIndex` — the `batch.kubernetes.io/job-completion-index`
//!   annotation, a non-negative decimal, else unknown;
//! * `addCompletionIndexEnvVariables`, `addCompletionIndexAnnotation`,
//!   `addCompletionIndexLabel`, `podGenerateNameWithIndex` — what `manageJob`
//!   (job_controller.go) adds to the template of each new Pod, with the
//!   hostname `<job>-<index>`.
//!
//! kubernetes.io: Concepts › Workloads › Job, "Completion mode"; Tasks ›
//! "Indexed Job for Parallel Processing with Static Work Assignment".

use crate::core::api::{Container, EnvVar, EnvVarSource, PodTemplate};
use std::fmt;

/// `batch.JobCompletionIndexAnnotation`, also the label's key
/// (`PodIndexLabel`, on by default since v1.28, GA in v1.32).
pub const COMPLETION_INDEX_KEY: &str = "batch.kubernetes.io/job-completion-index";
/// `batch.JobIndexFailureCountAnnotation` (`backoffLimitPerIndex`).
pub const INDEX_FAILURE_COUNT_KEY: &str = "batch.kubernetes.io/job-index-failure-count";
/// `batch.JobIndexIgnoredFailureCountAnnotation`.
pub const INDEX_IGNORED_FAILURE_COUNT_KEY: &str = "batch.kubernetes.io/job-index-ignored-failure-count";
/// `completionIndexEnvName`.
pub const COMPLETION_INDEX_ENV: &str = "JOB_COMPLETION_INDEX";
/// `names.MaxGeneratedNameLength` (63 less the 5 random characters).
const MAX_GENERATED_NAME_LENGTH: usize = 58;

/// `orderedIntervals`: sorted, disjoint, non-adjacent closed intervals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Intervals(Vec<(i32, i32)>);

impl Intervals {
    /// `withOrderedIndexes`: the union with `new` (sorted, duplicates allowed).
    pub fn with_ordered_indexes(&self, new: &[i32]) -> Intervals {
        let singles: Vec<(i32, i32)> = new.iter().map(|&n| (n, n)).collect();
        self.merge(&singles)
    }

    /// `merge`: the union with other ordered intervals.
    pub fn merge(&self, new: &[(i32, i32)]) -> Intervals {
        let mut out: Vec<(i32, i32)> = Vec::with_capacity(self.0.len() + new.len());
        let mut push = |(first, last): (i32, i32)| match out.last_mut() {
            Some(prev) if first <= prev.1.saturating_add(1) => prev.1 = prev.1.max(last),
            _ => out.push((first, last)),
        };
        let (mut i, mut j) = (0, 0);
        while i < self.0.len() && j < new.len() {
            if self.0[i].0 < new[j].0 {
                push(self.0[i]);
                i += 1;
            } else {
                push(new[j]);
                j += 1;
            }
        }
        self.0[i..].iter().chain(&new[j..]).for_each(|&iv| push(iv));
        Intervals(out)
    }

    /// `has`, by binary search.
    pub fn has(&self, ix: i32) -> bool {
        let at = self.0.partition_point(|&(_, last)| last < ix);
        self.0.get(at).is_some_and(|&(first, _)| first <= ix)
    }

    pub fn intervals(&self) -> &[(i32, i32)] {
        &self.0
    }

    /// `total`: how many indexes.
    pub fn total(&self) -> i32 {
        self.0.iter().map(|(f, l)| l - f + 1).sum()
    }
}

/// `orderedIntervals.String`.
impl fmt::Display for Intervals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, &(first, last)) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str(",")?;
            }
            write!(f, "{first}")?;
            if last > first {
                write!(f, "{}{last}", if last == first + 1 { ',' } else { '-' })?;
            }
        }
        Ok(())
    }
}

/// `firstPendingIndexes`: up to `count` indexes below `completions`, lowest
/// first, that are neither in `done` nor in `busy` (sorted).
pub fn first_pending_indexes(done: &Intervals, busy: &[i32], count: usize, completions: i32) -> Vec<i32> {
    let mut result = Vec::with_capacity(count.min(completions.max(0) as usize));
    if count == 0 {
        return result;
    }
    let non_pending = done.with_ordered_indexes(busy);
    let mut candidate = 0;
    for &(first, last) in &non_pending.0 {
        while candidate < completions && result.len() < count && candidate < first {
            result.push(candidate);
            candidate += 1;
        }
        candidate = candidate.max(last.saturating_add(1));
    }
    while candidate < completions && result.len() < count {
        result.push(candidate);
        candidate += 1;
    }
    result
}

/// `getCompletionIndex`: the annotation as a non-negative decimal.
pub fn completion_index(annotations: &std::collections::BTreeMap<String, String>) -> Option<i32> {
    annotations.get(COMPLETION_INDEX_KEY).and_then(|v| v.parse::<i32>().ok()).filter(|&i| i >= 0)
}

/// `getIndexFailureCount` and `parseIndexFailureIgnoreCountAnnotation`:
/// the counted and ignored failures of the index before this Pod (0 when
/// missing, not a number, or out of range: `parseInt32`).
pub fn index_failure_counts(annotations: &std::collections::BTreeMap<String, String>) -> (i32, i32) {
    let read = |key: &str| annotations.get(key).and_then(|v| v.parse::<i32>().ok()).filter(|&n| n >= 0).unwrap_or(0);
    (read(INDEX_FAILURE_COUNT_KEY), read(INDEX_IGNORED_FAILURE_COUNT_KEY))
}

/// `podGenerateNameWithIndex`: `<job>-<index>-`, the Job's name cut so the
/// prefix fits `MaxGeneratedNameLength`.
pub fn generate_name_with_index(job: &str, index: i32) -> String {
    let suffix = format!("-{index}-");
    let mut prefix = format!("{job}{suffix}");
    if prefix.len() > MAX_GENERATED_NAME_LENGTH {
        let keep = MAX_GENERATED_NAME_LENGTH - suffix.len();
        let cut = (0..=keep.min(job.len())).rev().find(|&i| job.is_char_boundary(i)).unwrap_or(0);
        prefix = format!("{}{suffix}", &job[..cut]);
    }
    prefix
}

/// `addCompletionIndexEnvVariable`: unless the container already sets
/// JOB_COMPLETION_INDEX, it is appended, read from the Pod's label through
/// the downward API (`PodIndexLabel`).
fn add_env(c: &mut Container) {
    if c.env.iter().any(|e| e.name == COMPLETION_INDEX_ENV) {
        return;
    }
    let field_path = format!("metadata.labels['{COMPLETION_INDEX_KEY}']");
    c.env.push(EnvVar {
        name: COMPLETION_INDEX_ENV.into(),
        value: None,
        value_from: Some(EnvVarSource::Field { field_path }),
    });
}

/// The template of the Pod for one index: `addCompletionIndexEnvVariables`,
/// the annotation, the label and `spec.hostname = <job>-<index>`; with
/// `backoffLimitPerIndex`, the index's failures so far, counted and ignored
/// (`addIndexFailureCountAnnotation`; the ignored count only when not 0).
pub fn indexed_template(template: &PodTemplate, job: &str, index: i32, failures: Option<(i32, i32)>) -> PodTemplate {
    let mut t = template.clone();
    t.spec.init_containers.iter_mut().chain(t.spec.containers.iter_mut()).for_each(add_env);
    if let Some((failed, ignored)) = failures {
        t.annotations.insert(INDEX_FAILURE_COUNT_KEY.into(), failed.to_string());
        if ignored > 0 {
            t.annotations.insert(INDEX_IGNORED_FAILURE_COUNT_KEY.into(), ignored.to_string());
        }
    }
    t.annotations.insert(COMPLETION_INDEX_KEY.into(), index.to_string());
    t.labels.insert(COMPLETION_INDEX_KEY.into(), index.to_string());
    t.spec.hostname = Some(format!("{job}-{index}"));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(ix: &[i32]) -> Intervals {
        Intervals::default().with_ordered_indexes(ix)
    }

    #[test]
    fn completed_indexes_text_as_ordered_intervals_string_writes_it() {
        // indexed_job_utils.go `orderedIntervals.String`; the API doc's example "1,3-5,7".
        assert_eq!(of(&[1, 3, 4, 5, 7]).to_string(), "1,3-5,7");
        assert_eq!(of(&[0, 1]).to_string(), "0,1");
        assert_eq!(of(&[0, 1, 2, 4]).to_string(), "0-2,4");
        assert_eq!(of(&[]).to_string(), "");
        assert_eq!(of(&[2, 2, 2]).to_string(), "2");
    }

    #[test]
    fn with_ordered_indexes_merges_adjacent_and_overlapping() {
        let a = of(&[0, 1, 5]);
        let b = a.with_ordered_indexes(&[2, 4, 5, 9]);
        assert_eq!(b.to_string(), "0-2,4,5,9");
        assert_eq!(b.total(), 6);
        assert!(b.has(0) && b.has(2) && b.has(5) && b.has(9));
        assert!(!b.has(3) && !b.has(6) && !b.has(10) && !b.has(-1));
        assert_eq!(b.merge(of(&[3, 6, 7, 8]).intervals()).to_string(), "0-9");
    }

    #[test]
    fn first_pending_indexes_skips_succeeded_and_active() {
        // indexed_job_utils_test.go TestFirstPendingIndexes cases, in spirit.
        assert_eq!(first_pending_indexes(&of(&[]), &[], 3, 10), vec![0, 1, 2]);
        assert_eq!(first_pending_indexes(&of(&[0, 1, 2]), &[4], 3, 10), vec![3, 5, 6]);
        assert_eq!(first_pending_indexes(&of(&[1]), &[0, 3], 5, 5), vec![2, 4]);
        assert_eq!(first_pending_indexes(&of(&[]), &[], 0, 5), Vec::<i32>::new());
        assert_eq!(first_pending_indexes(&of(&[0, 1, 2, 3, 4]), &[], 2, 5), Vec::<i32>::new());
    }

    #[test]
    fn pod_generate_name_with_index_keeps_the_index_within_58_characters() {
        // indexed_job_utils.go `podGenerateNameWithIndex`.
        assert_eq!(generate_name_with_index("indexed-job", 2), "indexed-job-2-");
        let long = "a".repeat(60);
        let p = generate_name_with_index(&long, 12);
        assert_eq!(p.len(), 58);
        assert!(p.ends_with("a-12-"), "{p}");
    }

    #[test]
    fn completion_index_reads_a_non_negative_decimal() {
        let mut m = std::collections::BTreeMap::new();
        assert_eq!(completion_index(&m), None);
        m.insert(COMPLETION_INDEX_KEY.to_string(), "3".to_string());
        assert_eq!(completion_index(&m), Some(3));
        m.insert(COMPLETION_INDEX_KEY.to_string(), "-1".to_string());
        assert_eq!(completion_index(&m), None);
        m.insert(COMPLETION_INDEX_KEY.to_string(), "x".to_string());
        assert_eq!(completion_index(&m), None);
    }
}
