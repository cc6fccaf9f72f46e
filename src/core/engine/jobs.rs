//! The Job controller of kube-controller-manager and the TTL-after-finished
//! controller, as far as Pods need them.
//!
//! Sources (kubernetes/kubernetes):
//! * `pkg/controller/job/job_controller.go` — `syncJob`, `manageJob`,
//!   `trackJobStatusAndRemoveFinalizers`, `enactJobFinished`,
//!   `recordJobFinished`, `pastBackoffLimitOnFailure`, `pastActiveDeadline`,
//!   `newFailureCondition`/`newSuccessCondition` (v1.31+: the interim
//!   `FailureTarget` and `SuccessCriteriaMet` conditions come first; the
//!   terminal `Failed`/`Complete` follow once no Pod is terminating);
//!   `enqueueSyncJobBatched` (Pod events and status updates reach the
//!   controller after `syncJobBatchPeriod`, 1 s); `DefaultJobPodFailureBackOff`
//!   10 s and `MaxJobPodFailureBackOff` 10 min;
//! * `pkg/controller/job/backoff_utils.go` — `newBackoffRecord`,
//!   `getRemainingTimeForFailuresCount` (10 s doubling per failure since the
//!   last success, from the failed Pod's finish time);
//! * `pkg/registry/batch/job/strategy.go` — `generateSelector` (the
//!   `batch.kubernetes.io/controller-uid` selector and the four labels);
//! * `pkg/printers/internalversion/printers.go` — `printJob`;
//! * `pkg/controller/job/pod_failure_policy.go` — `matchPodFailurePolicy`
//!   (FailJob, Ignore and Count rules on exit codes or Pod conditions) and,
//!   in job_controller.go, `getFailJobMessage` (the `PodFailurePolicy`
//!   reason), `nonIgnoredFailedPodsCount` (ignored failures are not counted
//!   in `status.failed`, though they still feed the back-off record) and
//!   `onlyReplaceFailedPods` (with a policy, a Pod counts as failed only once
//!   its phase is Failed, and terminating Pods are not replaced yet);
//! * Indexed Jobs (`engine::indexed`, indexed_job_utils.go): in `syncJob`
//!   `calculateSucceededIndexes`, and with `backoffLimitPerIndex`
//!   `calculateFailedIndexes`/`isIndexFailed`,
//!   `getPodsWithDelayedDeletionPerIndex`, the FailedIndexes and
//!   MaxFailedIndexesExceeded failures; in `manageJob` `firstPendingIndexes`
//!   and `getPodCreationInfoForIndependentIndexes` (per-index back-off).
//!
//! Pods are tracked as the controller's `batch.kubernetes.io/job-tracking`
//! finalizer tracks them: a Pod is counted once, as succeeded or failed,
//! even if it disappears before the controller looked (podplay removes an
//! unscheduled Pod at once on delete).

use super::controllers::{obj_ref, to_seconds, ControllerWork, CONTROLLER_HOP_MS};
use super::indexed::{self, Intervals};
use super::{ActionError, ApplyResult, PodRt, Sim, Snapshot, WatchType};
use crate::core::api::*;
use crate::core::status::*;
use crate::core::time::{Millis, SECOND_MS};
use std::collections::BTreeSet;
use std::sync::Arc;

super::controllers::published!(JobRt, JobSnapshot, Job);

/// `syncJobBatchPeriod`: Pod events and Job status updates are synced a
/// second later, batched.
pub const SYNC_JOB_BATCH_MS: Millis = SECOND_MS;
/// `DefaultJobPodFailureBackOff`.
pub const JOB_POD_FAILURE_BACKOFF_MS: Millis = 10 * SECOND_MS;
/// `MaxJobPodFailureBackOff` (the docs still say six minutes; the source
/// caps at ten).
pub const MAX_JOB_POD_FAILURE_BACKOFF_MS: Millis = 600 * SECOND_MS;
/// `MaxPodCreateDeletePerSync`.
const MAX_POD_CREATE_DELETE_PER_SYNC: i32 = 500;

pub const CONTROLLER_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";
pub const LEGACY_CONTROLLER_UID_LABEL: &str = "controller-uid";
pub const LEGACY_JOB_NAME_LABEL: &str = "job-name";

const SOURCE: &str = "job-controller";

pub(crate) struct JobRt {
    pub job: Arc<Job>,
    pub server: ServerMeta,
    pub generation: i64,
    pub status: JobStatus,
    pub published: Option<JobSnapshot>,
    /// UIDs of the Pods created and not yet counted (they carry the
    /// tracking finalizer).
    tracked: BTreeSet<String>,
    /// Tracked Pods removed after they finished, as this controller would
    /// still see them: the tracking finalizer keeps a Pod object until the
    /// controller has counted it, so a drained Pod's `DisruptionTarget`
    /// condition and its exit codes reach the pod failure policy.
    gone: Vec<JobPod>,
    /// The back-off record: failures since the last success, and the finish
    /// time (second precision) of the latest.
    failures_after_success: u32,
    last_failure_ms: Option<Millis>,
    /// An Indexed Job's succeeded indexes (`status.completedIndexes`).
    succeeded_indexes: Intervals,
    /// Its failed indexes with `backoffLimitPerIndex` (`status.failedIndexes`).
    failed_indexes: Intervals,
}

impl JobRt {
    pub fn snapshot(&self) -> JobSnapshot {
        JobSnapshot {
            job: self.job.clone(),
            server: self.server.clone(),
            generation: self.generation,
            status: self.status.clone(),
        }
    }

    /// `IsJobFinished`: a Complete or Failed condition.
    fn finished_at(&self) -> Option<Millis> {
        self.status
            .conditions
            .iter()
            .find(|c| c.status && (c.type_ == "Complete" || c.type_ == "Failed"))
            .map(|c| c.last_transition_ms)
    }
}

/// What the controller needs to know of one of its Pods.
#[derive(Clone)]
struct JobPod {
    name: String,
    uid: String,
    phase: PodPhase,
    deleting: bool,
    ready: bool,
    /// Restarts of all containers, counted only while Pending or Running
    /// (`pastBackoffLimitOnFailure`).
    live_restarts: i64,
    /// `getFinishedTime`, second precision.
    finish_ms: Millis,
    /// For a Failed Pod under a pod failure policy, `matchPodFailurePolicy`.
    policy: Option<PolicyMatch>,
    /// `getCompletionIndex`: the completion index annotation.
    index: Option<i32>,
    /// The index's failures before this Pod, counted and ignored (the
    /// `job-index-failure-count` and `job-index-ignored-failure-count`
    /// annotations of `backoffLimitPerIndex`).
    index_failures: (i32, i32),
}

/// What `matchPodFailurePolicy` says of a failed Pod.
#[derive(Clone)]
struct PolicyMatch {
    /// A FailJob rule matched: the Job's failure message.
    fail_job: Option<String>,
    /// The failure counts (not Ignore).
    counted: bool,
    /// A FailIndex rule matched.
    fail_index: bool,
}

impl JobPod {
    fn active(&self) -> bool {
        !self.deleting && !matches!(self.phase, PodPhase::Succeeded | PodPhase::Failed)
    }
    /// Being deleted and not finished (`FilterTerminatingPods`).
    fn terminating(&self) -> bool {
        self.deleting && !matches!(self.phase, PodPhase::Succeeded | PodPhase::Failed)
    }
    /// `isPodFailed`: Failed or, unless only Failed Pods are replaced (a
    /// pod failure policy is set), deleted before it succeeded.
    fn failed(&self, only_failed: bool) -> bool {
        self.phase == PodPhase::Failed || (!only_failed && self.deleting && self.phase != PodPhase::Succeeded)
    }
}

/// `matchPodFailurePolicy`: the first rule that matches a failed Pod gives
/// the FailJob message (if FailJob), whether the failure is counted (false
/// for Ignore) and whether it fails the index (FailIndex). No match: counted.
fn match_pod_failure_policy(rules: &[PodFailurePolicyRule], ns: &str, name: &str, st: &PodStatus) -> PolicyMatch {
    for (index, rule) in rules.iter().enumerate() {
        let what = if let Some(req) = &rule.on_exit_codes {
            // `matchOnExitCodes`: the containers first, then the init
            // containers; a terminated one with a non-zero code.
            let found =
                st.container_statuses.iter().chain(st.init_container_statuses.iter()).find_map(|c| match &c.state {
                    ContainerState::Terminated(t)
                        if t.exit_code != 0
                            && req.container_name.as_ref().is_none_or(|n| *n == c.name)
                            && req.values.contains(&t.exit_code) != req.not_in =>
                    {
                        Some(format!("Container {} for pod {ns}/{name} failed with exit code {}", c.name, t.exit_code))
                    }
                    _ => None,
                });
            let Some(found) = found else { continue };
            found
        } else {
            // `matchOnPodConditions` (podplay's conditions are True or False).
            let found = st.conditions.iter().find(|c| {
                let status = if c.status { "True" } else { "False" };
                rule.on_pod_conditions.iter().any(|(t, s)| t == c.type_.as_str() && s == status)
            });
            let Some(c) = found else { continue };
            format!("Pod {ns}/{name} has condition {}", c.type_.as_str())
        };
        let fail_job = (rule.action == "FailJob").then(|| format!("{what} matching FailJob rule at index {index}"));
        return PolicyMatch { fail_job, counted: rule.action != "Ignore", fail_index: rule.action == "FailIndex" };
    }
    PolicyMatch { fail_job: None, counted: true, fail_index: false }
}

/// `getRemainingTimeForFailuresCount`.
pub fn backoff_remaining(failures: u32, last_failure_ms: Millis, now: Millis) -> Millis {
    if failures == 0 {
        return 0;
    }
    let mut backoff = JOB_POD_FAILURE_BACKOFF_MS;
    for _ in 1..failures {
        backoff *= 2;
        if backoff >= MAX_JOB_POD_FAILURE_BACKOFF_MS {
            backoff = MAX_JOB_POD_FAILURE_BACKOFF_MS;
            break;
        }
    }
    let elapsed = now.saturating_sub(last_failure_ms);
    backoff.saturating_sub(elapsed)
}

fn condition(type_: &'static str, reason: &str, message: &str, now: Millis) -> JobCondition {
    JobCondition {
        type_,
        status: true,
        last_probe_ms: now,
        last_transition_ms: now,
        reason: reason.into(),
        message: message.into(),
    }
}

/// `generateSelector`: the labels a Job's Pods get and the selector that
/// picks them by the Job's UID (unless `manualSelector`).
fn generate_selector(job: &mut Job, uid: &str) {
    if job.spec.manual_selector {
        return;
    }
    let name = job.metadata.name.clone();
    let labels = &mut job.spec.template.labels;
    for key in [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL] {
        labels.entry(key.to_string()).or_insert_with(|| name.clone());
    }
    for key in [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL] {
        labels.insert(key.to_string(), uid.to_string());
    }
    job.spec.selector.match_labels.insert(CONTROLLER_UID_LABEL.to_string(), uid.to_string());
}

impl Sim {
    /// A Pod owned by a Job or a StatefulSet changed: its controller hears
    /// of it (the Job controller batched, a second later). False for other Pods.
    pub(crate) fn workload_pod_changed(&mut self, pod: &Pod) -> bool {
        let Some(owner) = pod.metadata.owner_references.iter().find(|o| o.controller) else { return false };
        let ns = pod.metadata.namespace.clone();
        match owner.kind {
            "Job" => self.enqueue(ControllerWork::Job(ns, owner.name.clone()), self.now() + SYNC_JOB_BATCH_MS),
            "StatefulSet" => {
                self.enqueue(ControllerWork::StatefulSet(ns, owner.name.clone()), self.now() + CONTROLLER_HOP_MS)
            }
            "DaemonSet" => {
                self.enqueue(ControllerWork::DaemonSet(ns, owner.name.clone()), self.now() + CONTROLLER_HOP_MS)
            }
            _ => return false,
        }
        true
    }

    pub(crate) fn create_job(&mut self, job: Job) -> ApplyResult {
        let key = (job.metadata.namespace.clone(), job.metadata.name.clone());
        let name = job.metadata.name.clone();
        if let Some(existing) = self.controllers.jobs.get(&key) {
            let mut incoming = job;
            generate_selector(&mut incoming, &existing.server.uid);
            incoming.metadata.pos = existing.job.metadata.pos;
            return if *existing.job == incoming {
                ApplyResult::Unchanged { kind: "Job", name }
            } else {
                ApplyResult::Refused {
                    kind: "Job",
                    message: format!(
                        "The Job \"{name}\" is invalid: spec.template: Invalid value: field is immutable (podplay: delete the Job and apply it again)"
                    ),
                    name,
                }
            };
        }
        let server = self.new_server_meta();
        let mut job = job;
        generate_selector(&mut job, &server.uid);
        let mut rt = JobRt {
            job: Arc::new(job),
            server,
            generation: 1,
            status: JobStatus::default(),
            published: None,
            tracked: BTreeSet::new(),
            gone: Vec::new(),
            failures_after_success: 0,
            last_failure_ms: None,
            succeeded_indexes: Intervals::default(),
            failed_indexes: Intervals::default(),
        };
        let snap = rt.snapshot();
        self.watch_event(WatchType::Added, Snapshot::Job(snap.clone()));
        rt.published = Some(snap);
        let job = rt.job.clone();
        self.controllers.jobs.insert(key.clone(), rt);
        self.cron_job_child_changed(&job);
        // A new Job is synced at once (`enqueueSyncJobImmediately`), one informer hop later.
        self.enqueue(ControllerWork::Job(key.0, key.1), self.now() + CONTROLLER_HOP_MS);
        ApplyResult::Created { kind: "Job", name }
    }

    fn job_pods(&self, ns: &str, uid: &str, policy: Option<&[PodFailurePolicyRule]>) -> Vec<JobPod> {
        self.owned_pods(uid)
            .into_iter()
            .filter_map(|slot| self.pod_rt(slot))
            .filter(|p| p.pod.metadata.namespace == ns)
            .map(|p| self.job_pod(p, policy))
            .collect()
    }

    fn job_pod(&self, p: &PodRt, policy: Option<&[PodFailurePolicyRule]>) -> JobPod {
        let st = &p.status;
        let live = matches!(st.phase, PodPhase::Pending | PodPhase::Running);
        let all = st.init_container_statuses.iter().chain(st.container_statuses.iter());
        let live_restarts = if live { all.clone().map(|c| c.restart_count as i64).sum() } else { 0 };
        let container_finish = all
            .filter_map(|c| match &c.state {
                ContainerState::Terminated(t) => Some(t.finished_at_ms),
                _ => None,
            })
            .max();
        // `getFinishedTime`: the containers' finish, else when the
        // delete was asked for, else now.
        let deleted_at = p.server.deletion_ms.map(|d| {
            d.saturating_sub(
                (p.server.deletion_grace_period_seconds.unwrap_or(0).max(0) as Millis).saturating_mul(SECOND_MS),
            )
        });
        let finish = container_finish.or(deleted_at).unwrap_or(self.now());
        let (ns, name) = (&p.pod.metadata.namespace, &p.pod.metadata.name);
        JobPod {
            name: name.clone(),
            uid: p.server.uid.clone(),
            phase: st.phase,
            deleting: p.server.deletion_ms.is_some(),
            ready: st.is_ready(),
            live_restarts,
            finish_ms: to_seconds(finish),
            policy: policy
                .filter(|_| st.phase == PodPhase::Failed)
                .map(|rules| match_pod_failure_policy(rules, ns, name, st)),
            index: indexed::completion_index(&p.pod.metadata.annotations),
            index_failures: indexed::index_failure_counts(&p.pod.metadata.annotations),
        }
    }

    /// A Pod is being removed: if it is a finished Pod its Job has not
    /// counted yet, the Job keeps what it would still see of it (the
    /// tracking finalizer would hold the Pod object until then). A Pod
    /// removed before it finished (an unscheduled Pod deleted at once) is
    /// not kept: it counts as failed when the controller finds it gone.
    pub(crate) fn keep_finished_job_pod(&mut self, p: &PodRt) {
        let Some(owner) = p.pod.metadata.owner_references.iter().find(|o| o.controller && o.kind == "Job") else {
            return;
        };
        if !matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed) {
            return;
        }
        let key = (p.pod.metadata.namespace.clone(), owner.name.clone());
        let Some(rt) = self.controllers.jobs.get(&key) else { return };
        if rt.server.uid != owner.uid || !rt.tracked.contains(&p.server.uid) {
            return;
        }
        let job = rt.job.clone();
        let kept = self.job_pod(p, job.spec.pod_failure_policy.as_deref());
        if let Some(rt) = self.controllers.jobs.get_mut(&key) {
            rt.gone.push(kept);
        }
    }

    /// `syncJob`.
    pub(crate) fn sync_job(&mut self, ns: &str, name: &str) {
        let now = self.now();
        let key = (ns.to_string(), name.to_string());
        let Some(rt) = self.controllers.jobs.get(&key) else { return };
        if let Some(finished) = rt.finished_at() {
            self.job_ttl(&key, finished);
            return;
        }
        let job = rt.job.clone();
        let uid = rt.server.uid.clone();
        let mut status = rt.status.clone();
        let mut tracked = rt.tracked.clone();
        let (mut failures, mut last_failure) = (rt.failures_after_success, rt.last_failure_ms);
        let mut succeeded_indexes = rt.succeeded_indexes.clone();
        // An Indexed Job counts only Pods with an index below completions
        // (`getValidPodsWithFilter`); 0 completions: none.
        let completions = job.spec.completions.unwrap_or(0);
        let valid_index = |p: &JobPod| !job.spec.indexed || p.index.is_some_and(|ix| ix < completions);
        let mut pods = self.job_pods(ns, &uid, job.spec.pod_failure_policy.as_deref());
        pods.extend(rt.gone.iter().cloned());
        let only_failed = job.spec.pod_failure_policy.is_some();

        // An Indexed Job's succeeded and, with backoffLimitPerIndex, failed
        // indexes, and the failed Pods it keeps uncounted until their index
        // has a new Pod.
        let per_index = job.spec.backoff_limit_per_index.filter(|_| job.spec.indexed);
        let mut failed_indexes = rt.failed_indexes.clone();
        let mut delayed = Delayed::default();
        if job.spec.indexed {
            let new = indexes_of(
                pods.iter().filter(|p| tracked.contains(&p.uid) && valid_index(p) && p.phase == PodPhase::Succeeded),
            );
            succeeded_indexes = succeeded_indexes.with_ordered_indexes(&new);
        }
        if let Some(limit) = per_index {
            let new = indexes_of(
                pods.iter()
                    .filter(|p| tracked.contains(&p.uid) && valid_index(p) && index_failed(p, only_failed, limit)),
            );
            failed_indexes = failed_indexes.with_ordered_indexes(&new);
            let active = indexes_of(pods.iter().filter(|p| p.active()));
            delayed = delayed_per_index(
                &pods,
                &tracked,
                only_failed,
                &succeeded_indexes,
                &failed_indexes,
                &active,
                &valid_index,
            );
        }

        // Count the Pods that finished since the last sync, once each.
        let mut present: Vec<&str> = pods.iter().map(|p| p.uid.as_str()).collect();
        crate::core::sort::sort(&mut present);
        let mut new_succeeded: Vec<Millis> = Vec::new();
        let mut new_failed: Vec<Millis> = Vec::new();
        let mut ignored = 0;
        let mut delayed_uids: Vec<&str> = delayed.values().map(|d| d.uid.as_str()).collect();
        crate::core::sort::sort(&mut delayed_uids);
        for p in &pods {
            if !tracked.contains(&p.uid) || delayed_uids.binary_search(&p.uid.as_str()).is_ok() {
                continue;
            }
            if !valid_index(p) {
                // Its finalizer is removed without counting it.
                if !p.active() {
                    tracked.remove(&p.uid);
                }
                continue;
            }
            if p.phase == PodPhase::Succeeded {
                new_succeeded.push(p.finish_ms);
            } else if p.failed(only_failed) {
                new_failed.push(p.finish_ms);
                if p.policy.as_ref().is_some_and(|m| !m.counted) {
                    ignored += 1;
                }
            } else {
                continue;
            }
            tracked.remove(&p.uid);
        }
        let vanished: Vec<String> =
            tracked.iter().filter(|u| present.binary_search(&u.as_str()).is_err()).cloned().collect();
        for u in vanished {
            tracked.remove(&u);
            new_failed.push(to_seconds(now));
        }
        if job.spec.indexed {
            // `calculateSucceededIndexes`: an index succeeds once, however
            // many of its Pods succeed; `succeeded` is the number of indexes.
            status.succeeded = succeeded_indexes.total();
            status.completed_indexes = succeeded_indexes.to_string();
            status.failed_indexes = per_index.map(|_| failed_indexes.to_string());
        } else {
            status.succeeded = status.succeeded.saturating_add(new_succeeded.len() as i32);
        }
        // Ignored failures are left out of `status.failed` but still feed the back-off record.
        status.failed = status.failed.saturating_add((new_failed.len() - ignored) as i32);
        // `newBackoffRecord`.
        crate::core::sort::sort(&mut new_failed);
        if let Some(&last_success) = new_succeeded.iter().max() {
            let after: Vec<Millis> = new_failed.iter().copied().filter(|&t| t > last_success).collect();
            failures = after.len() as u32;
            last_failure = after.last().copied();
        } else if let Some(&t) = new_failed.last() {
            failures = failures.saturating_add(new_failed.len() as u32);
            last_failure = Some(t);
        }
        if status.start_ms.is_none() {
            status.start_ms = Some(now);
        }

        let active: Vec<&JobPod> = pods.iter().filter(|p| p.active()).collect();
        let mut active_n = active.len() as i32;
        let mut ready = active.iter().filter(|p| p.ready).count() as i32;
        let mut terminating = pods.iter().filter(|p| p.terminating()).count() as i32;
        let restarts: i64 = pods.iter().map(|p| p.live_restarts).sum();

        // The finished condition: success already met, a failure already
        // targeted, the back-off limit, the deadline.
        let mut failure: Option<(String, String)> = None;
        let success_met = status.condition("SuccessCriteriaMet").is_some();
        if !success_met {
            if let Some(c) = status.condition("FailureTarget") {
                failure = Some((c.reason.clone(), c.message.clone()));
            } else if let Some(message) = pods.iter().find_map(|p| p.policy.as_ref().and_then(|m| m.fail_job.clone())) {
                // `getFailJobMessage`.
                failure = Some(("PodFailurePolicy".into(), message));
            } else if status.failed.saturating_add(counted(delayed.values().copied())) > job.spec.backoff_limit
                || past_backoff_limit_on_failure(&job, restarts)
            {
                failure = Some(("BackoffLimitExceeded".into(), "Job has reached the specified backoff limit".into()));
            } else if let Some(deadline) = job.spec.active_deadline_seconds {
                let start = to_seconds(status.start_ms.unwrap_or(now));
                let due = start.saturating_add((deadline.max(0) as Millis).saturating_mul(SECOND_MS));
                if now >= due {
                    failure = Some(("DeadlineExceeded".into(), "Job was active longer than specified deadline".into()));
                } else {
                    self.enqueue(ControllerWork::Job(key.0.clone(), key.1.clone()), due);
                }
            }
        }
        if let (Some(_), None, false) = (per_index, &failure, success_met) {
            // With backoffLimitPerIndex: too many failed indexes, or every
            // index finished and some failed.
            let failed_n = failed_indexes.total();
            if job.spec.max_failed_indexes.is_some_and(|m| failed_n > m) {
                failure = Some((
                    "MaxFailedIndexesExceeded".into(),
                    "Job has exceeded the specified maximal number of failed indexes".into(),
                ));
            } else if failed_n > 0 && failed_n.saturating_add(succeeded_indexes.total()) >= completions {
                failure = Some(("FailedIndexes".into(), "Job has failed indexes".into()));
            }
        }

        let mut to_create = 0;
        let mut finished: Option<JobCondition> = None;
        if let Some((reason, message)) = failure {
            // Remove the active Pods; each counts as failed.
            for p in &active {
                self.record_object(
                    obj_ref("Job", ns, name, &uid),
                    None,
                    EventType::Normal,
                    "SuccessfulDelete",
                    format!("Deleted pod: {}", p.name),
                    SOURCE,
                );
                let _ = self.delete_pod(ns, &p.name, None);
                if tracked.remove(&p.uid) {
                    status.failed = status.failed.saturating_add(1);
                }
            }
            // A finishing Job counts the failed Pods it kept (`canRemoveFinalizer`).
            for d in delayed.values() {
                if tracked.remove(&d.uid) && counted(std::iter::once(*d)) > 0 {
                    status.failed = status.failed.saturating_add(1);
                }
            }
            terminating += active_n;
            active_n = 0;
            ready = 0;
            if status.condition("FailureTarget").is_none() {
                status.conditions.push(condition("FailureTarget", &reason, &message, now));
            }
            if terminating == 0 {
                finished = Some(condition("Failed", &reason, &message, now));
            }
        } else {
            // `manageJob`; with only Failed Pods replaced, terminating Pods
            // still hold their place.
            let replacing = if only_failed { terminating } else { 0 };
            let want = match job.spec.completions {
                None if status.succeeded > 0 => active_n,
                None => job.spec.parallelism.max(0),
                Some(c) => c.saturating_sub(status.succeeded).clamp(0, job.spec.parallelism.max(0)),
            };
            if active_n > want {
                // More active Pods than completions left: the newest go.
                let extra = (active_n - want).min(MAX_POD_CREATE_DELETE_PER_SYNC) as usize;
                for p in active.iter().rev().take(extra) {
                    self.record_object(
                        obj_ref("Job", ns, name, &uid),
                        None,
                        EventType::Normal,
                        "SuccessfulDelete",
                        format!("Deleted pod: {}", p.name),
                        SOURCE,
                    );
                    let _ = self.delete_pod(ns, &p.name, None);
                }
                active_n = want;
            } else if active_n + replacing < want {
                // With backoffLimitPerIndex each index has its own back-off (below).
                let remaining = match last_failure {
                    Some(t) if per_index.is_none() => backoff_remaining(failures, t, now),
                    _ => 0,
                };
                if remaining > 0 {
                    // `enqueueSyncJobWithDelay`: never sooner than the batch period.
                    self.enqueue(
                        ControllerWork::Job(key.0.clone(), key.1.clone()),
                        now + remaining.max(SYNC_JOB_BATCH_MS),
                    );
                } else {
                    to_create = (want - active_n - replacing).min(MAX_POD_CREATE_DELETE_PER_SYNC);
                }
            }
            let complete = match job.spec.completions {
                None => status.succeeded > 0 && active_n == 0 && to_create == 0,
                Some(c) => status.succeeded >= c && active_n == 0 && to_create == 0,
            };
            if complete {
                const REASON: &str = "CompletionsReached";
                const MESSAGE: &str = "Reached expected number of succeeded pods";
                if !success_met {
                    status.conditions.push(condition("SuccessCriteriaMet", REASON, MESSAGE, now));
                }
                if terminating == 0 {
                    finished = Some(condition("Complete", REASON, MESSAGE, now));
                }
            }
        }
        // An Indexed Job's new Pods take the lowest pending indexes
        // (`firstPendingIndexes`); terminating Pods hold theirs while only
        // failed Pods are replaced.
        let new_pods: Vec<Option<i32>> = if job.spec.indexed {
            let busy = indexes_of(pods.iter().filter(|p| p.active() || (only_failed && p.terminating())));
            let done = succeeded_indexes.merge(failed_indexes.intervals());
            let mut pending = indexed::first_pending_indexes(&done, &busy, to_create.max(0) as usize, completions);
            if per_index.is_some() {
                // `getPodCreationInfoForIndependentIndexes`: the indexes out
                // of their back-off now; if none, a sync when the first is.
                let waits: Vec<Millis> = pending.iter().map(|&ix| index_backoff_remaining(&delayed, ix, now)).collect();
                match waits.iter().copied().min() {
                    Some(wait) if wait > 0 => {
                        self.enqueue(
                            ControllerWork::Job(key.0.clone(), key.1.clone()),
                            now + wait.max(SYNC_JOB_BATCH_MS),
                        );
                        pending.clear();
                    }
                    _ => pending = pending.iter().zip(&waits).filter(|(_, &w)| w == 0).map(|(&ix, _)| ix).collect(),
                }
            }
            pending.into_iter().map(Some).collect()
        } else {
            vec![None; to_create.max(0) as usize]
        };
        for index in new_pods {
            // `addIndexFailureCountAnnotation`, from the failed Pod it replaces.
            let failures = per_index.and(index).map(|ix| new_index_failure_counts(delayed.get(&ix).copied()));
            if let Some(pod_uid) = self.create_job_pod(&job, &uid, index, failures) {
                tracked.insert(pod_uid);
                active_n += 1;
            }
        }
        // `enactJobFinished` and `recordJobFinished`.
        if let Some(c) = finished {
            if c.type_ == "Complete" {
                status.completion_ms = Some(now);
                self.record_object(
                    obj_ref("Job", ns, name, &uid),
                    None,
                    EventType::Normal,
                    "Completed",
                    "Job completed".into(),
                    SOURCE,
                );
            } else {
                self.record_object(
                    obj_ref("Job", ns, name, &uid),
                    None,
                    EventType::Warning,
                    &c.reason,
                    c.message.clone(),
                    SOURCE,
                );
            }
            status.conditions.push(c);
        }
        status.active = active_n;
        status.ready = ready;
        status.terminating = terminating;
        let Some(rt) = self.controllers.jobs.get_mut(&key) else { return };
        rt.gone.retain(|p| tracked.contains(&p.uid));
        rt.tracked = tracked;
        rt.failures_after_success = failures;
        rt.last_failure_ms = last_failure;
        rt.succeeded_indexes = succeeded_indexes;
        rt.failed_indexes = failed_indexes;
        let changed = rt.status != status;
        rt.status = status;
        if changed {
            self.publish_job(&key);
            // The status update comes back to the controller, batched.
            self.enqueue(ControllerWork::Job(key.0.clone(), key.1.clone()), now + SYNC_JOB_BATCH_MS);
        }
        if let Some(finished) = self.controllers.jobs.get(&key).and_then(|rt| rt.finished_at()) {
            self.job_ttl(&key, finished);
        }
    }

    /// The TTL-after-finished controller: a finished Job with
    /// `ttlSecondsAfterFinished` is deleted that long after it finished
    /// (pkg/controller/ttlafterfinished), its Pods with it.
    fn job_ttl(&mut self, key: &(String, String), finished: Millis) {
        let Some(ttl) = self.controllers.jobs.get(key).and_then(|rt| rt.job.spec.ttl_seconds_after_finished) else {
            return;
        };
        let due = to_seconds(finished).saturating_add((ttl.max(0) as Millis).saturating_mul(SECOND_MS));
        if self.now() >= due {
            let _ = self.delete_job(&key.0, &key.1);
        } else {
            self.enqueue(ControllerWork::Job(key.0.clone(), key.1.clone()), due);
        }
    }

    /// A new Pod from the Job's template, `<job>-<5 chars>`, or for an
    /// index of an Indexed Job `<job>-<index>-<5 chars>` with the index's
    /// annotation, label, env var and hostname; its UID.
    fn create_job_pod(
        &mut self,
        job: &Job,
        job_uid: &str,
        index: Option<i32>,
        failures: Option<(i32, i32)>,
    ) -> Option<String> {
        let ns = job.metadata.namespace.clone();
        let job_name = job.metadata.name.clone();
        let template = match index {
            Some(ix) => std::borrow::Cow::Owned(indexed::indexed_template(&job.spec.template, &job_name, ix, failures)),
            None => std::borrow::Cow::Borrowed(&job.spec.template),
        };
        let (prefix, pod_name) = match index {
            Some(ix) => self.generate_pod_name_from(&ns, indexed::generate_name_with_index(&job_name, ix))?,
            None => self.generate_pod_name(&ns, &job_name)?,
        };
        let involved = obj_ref("Job", &ns, &job_name, job_uid);
        if self.pods.len() >= super::MAX_PODS {
            let message = format!("Error creating: podplay simulates at most {} Pods", super::MAX_PODS);
            self.record_object(involved, None, EventType::Warning, "FailedCreate", message, SOURCE);
            return None;
        }
        if let Some(refusal) = self.admission_refusal(&prefix, &template.spec) {
            let message = format!("Error creating: {refusal}");
            self.record_object(involved, None, EventType::Warning, "FailedCreate", message, SOURCE);
            return None;
        }
        let pod = Pod {
            metadata: ObjectMeta {
                name: pod_name.clone(),
                namespace: ns.clone(),
                labels: template.labels.clone(),
                annotations: template.annotations.clone(),
                owner_references: vec![OwnerReference {
                    api_version: "batch/v1",
                    kind: "Job",
                    name: job_name,
                    uid: job_uid.to_string(),
                    controller: true,
                    block_owner_deletion: true,
                }],
                generate_name: Some(prefix),
                pos: job.metadata.pos,
            },
            spec: template.spec.clone(),
        };
        self.record_object(
            involved,
            None,
            EventType::Normal,
            "SuccessfulCreate",
            format!("Created pod: {pod_name}"),
            SOURCE,
        );
        self.create_pod(pod);
        let slot = self.pods.slot(&ns, &pod_name)?;
        self.pod_rt(slot).map(|p| p.server.uid.clone())
    }

    fn publish_job(&mut self, key: &(String, String)) {
        if self.publish(|s| &mut s.controllers.jobs, key) {
            if let Some(job) = self.controllers.jobs.get(key).map(|rt| rt.job.clone()) {
                self.cron_job_child_changed(&job);
            }
        }
    }

    /// `kubectl delete job/NAME` (background propagation): the Job goes at
    /// once; the garbage collector then deletes its Pods (gracefully).
    pub(crate) fn delete_job(&mut self, ns: &str, name: &str) -> Result<(), ActionError> {
        let key = (ns.to_string(), name.to_string());
        let rt = self
            .controllers
            .jobs
            .remove(&key)
            .ok_or_else(|| ActionError(format!("jobs.batch \"{name}\" not found")))?;
        let mut snap = rt.snapshot();
        snap.server.resource_version = self.next_resource_version();
        self.watch_event(WatchType::Deleted, Snapshot::Job(snap));
        self.cron_job_child_changed(&rt.job);
        self.enqueue(ControllerWork::CollectPods(key.0, rt.server.uid.clone()), self.now() + CONTROLLER_HOP_MS);
        Ok(())
    }

    /// Snapshots of every Job, by namespace and name.
    pub fn jobs(&self) -> Vec<JobSnapshot> {
        self.controllers.jobs.values().map(|j| j.snapshot()).collect()
    }
}

/// The sorted completion indexes of these Pods.
fn indexes_of<'a>(pods: impl Iterator<Item = &'a JobPod>) -> Vec<i32> {
    let mut v: Vec<i32> = pods.filter_map(|p| p.index).collect();
    crate::core::sort::sort(&mut v);
    v
}

/// How many of these failed Pods count (not ignored by the pod failure policy).
fn counted<'a>(pods: impl Iterator<Item = &'a JobPod>) -> i32 {
    pods.filter(|p| p.policy.as_ref().is_none_or(|m| m.counted)).count() as i32
}

/// `isIndexFailed`: a failed Pod whose FailIndex rule matched, or whose
/// counted failure reaches `backoffLimitPerIndex` (its index had `limit`
/// counted failures before it).
fn index_failed(p: &JobPod, only_failed: bool, limit: i32) -> bool {
    if !p.failed(only_failed) {
        return false;
    }
    match &p.policy {
        Some(m) if m.fail_index => true,
        Some(m) if !m.counted => false,
        _ => p.index_failures.0 >= limit,
    }
}

/// `getPodsWithDelayedDeletionPerIndex`: for each index neither succeeded,
/// failed nor active, its latest failed Pod (most failures, then latest
/// finish), kept uncounted until a new Pod for the index carries its count.
/// The failed Pod each index keeps uncounted until it has a new Pod, by
/// index: a `Vec` sorted by index rather than one more `BTreeMap` type in
/// the page's code.
#[derive(Default)]
struct Delayed<'a>(Vec<(i32, &'a JobPod)>);

impl<'a> Delayed<'a> {
    fn get(&self, ix: &i32) -> Option<&&'a JobPod> {
        self.0.binary_search_by_key(ix, |e| e.0).ok().map(|k| &self.0[k].1)
    }
    fn insert(&mut self, ix: i32, p: &'a JobPod) {
        match self.0.binary_search_by_key(&ix, |e| e.0) {
            Ok(k) => self.0[k].1 = p,
            Err(k) => self.0.insert(k, (ix, p)),
        }
    }
    fn values(&self) -> impl Iterator<Item = &&'a JobPod> + '_ {
        self.0.iter().map(|e| &e.1)
    }
}

fn delayed_per_index<'a>(
    pods: &'a [JobPod],
    tracked: &BTreeSet<String>,
    only_failed: bool,
    succeeded: &Intervals,
    failed: &Intervals,
    active: &[i32],
    valid_index: &dyn Fn(&JobPod) -> bool,
) -> Delayed<'a> {
    let mut by_index = Delayed::default();
    for p in pods.iter().filter(|p| tracked.contains(&p.uid) && valid_index(p) && p.failed(only_failed)) {
        let Some(ix) = p.index else { continue };
        if succeeded.has(ix) || failed.has(ix) || active.binary_search(&ix).is_ok() {
            continue;
        }
        let total = |q: &JobPod| q.index_failures.0.saturating_add(q.index_failures.1);
        match by_index.get(&ix) {
            Some(last) if !(total(last) <= total(p) && p.finish_ms >= last.finish_ms) => {}
            _ => {
                by_index.insert(ix, p);
            }
        }
    }
    by_index
}

/// `getRemainingTimePerIndex`: the back-off of an index from its last
/// failed Pod (its failures so far plus this one, from its finish).
fn index_backoff_remaining(delayed: &Delayed, ix: i32, now: Millis) -> Millis {
    let Some(last) = delayed.get(&ix) else { return 0 };
    let failures = last.index_failures.0.saturating_add(last.index_failures.1).saturating_add(1);
    backoff_remaining(failures.max(0) as u32, last.finish_ms, now)
}

/// `getNewIndexFailureCounts`: the counts a new Pod for an index starts
/// with, one more (counted or ignored) than the failed Pod it replaces.
fn new_index_failure_counts(replaced: Option<&JobPod>) -> (i32, i32) {
    let Some(p) = replaced else { return (0, 0) };
    let (failed, ignored) = p.index_failures;
    if p.policy.as_ref().is_none_or(|m| m.counted) {
        (failed.saturating_add(1), ignored)
    } else {
        (failed, ignored.saturating_add(1))
    }
}

/// `pastBackoffLimitOnFailure`: with restartPolicy OnFailure, the restarts
/// of the containers of Pending and Running Pods reach the back-off limit
/// (any restart when the limit is 0).
fn past_backoff_limit_on_failure(job: &Job, restarts: i64) -> bool {
    if job.spec.template.spec.restart_policy != RestartPolicy::OnFailure {
        return false;
    }
    let limit = job.spec.backoff_limit as i64;
    if limit == 0 {
        restarts > 0
    } else {
        restarts >= limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_failure_backoff_doubles_from_10s_to_10_minutes() {
        // backoff_utils.go getRemainingTimeForFailuresCount.
        assert_eq!(backoff_remaining(0, 0, 5_000), 0);
        assert_eq!(backoff_remaining(1, 0, 0), 10_000);
        assert_eq!(backoff_remaining(1, 0, 4_000), 6_000);
        assert_eq!(backoff_remaining(2, 0, 0), 20_000);
        assert_eq!(backoff_remaining(3, 0, 0), 40_000);
        assert_eq!(backoff_remaining(7, 0, 0), 600_000);
        assert_eq!(backoff_remaining(100, 0, 0), 600_000);
        assert_eq!(backoff_remaining(1, 0, 10_000), 0);
    }
}
