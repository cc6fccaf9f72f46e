//! The CronJob controller of kube-controller-manager (the v2 controller).
//!
//! Sources (kubernetes/kubernetes):
//! * `pkg/controller/cronjob/cronjob_controllerv2.go` — `sync` (the
//!   history clean-up, then `syncCronJob`), `syncCronJob` (finished Jobs
//!   leave `status.active` with `SawCompletedJob`; `lastSuccessfulTime`;
//!   `MissingJob`; `suspend`; `UnparseableSchedule`/`InvalidSchedule`;
//!   `startingDeadlineSeconds` → `MissSchedule`; an already processed time;
//!   `Forbid` → `JobAlreadyActive`; `Replace` deletes the active Jobs; the
//!   Job is created → `SuccessfulCreate`, `lastScheduleTime`),
//!   `cleanupFinishedJobs`/`removeOldestJobs` (the oldest by start time go
//!   beyond `successfulJobsHistoryLimit`/`failedJobsHistoryLimit`),
//!   `deleteJob` (`SuccessfulDelete` "Deleted job NAME", background
//!   propagation: the garbage collector removes the Pods), `getJobName`
//!   (`<cronjob>-<scheduled time in minutes since the Unix epoch>`),
//!   `nextScheduleDelta` (requeue 100 ms after the next scheduled time);
//!   the Job handlers (`addJob`, `updateJob`, `deleteJob`) wake the CronJob;
//! * `pkg/controller/cronjob/utils.go` — `mostRecentScheduleTime`,
//!   `nextScheduleTime`, `nextScheduleTimeDuration`, `getJobFromTemplate2`
//!   (labels and annotations of `jobTemplate.metadata`, the
//!   `batch.kubernetes.io/cronjob-scheduled-timestamp` annotation, the
//!   controller ownerReference);
//! * `pkg/printers/internalversion/printers.go` — `printCronJob`.

use super::controllers::{obj_ref, to_seconds, ControllerWork, CONTROLLER_HOP_MS};
use super::{ActionError, ApplyResult, Sim, Snapshot, WatchType};
use crate::core::api::*;
use crate::core::status::*;
use crate::core::time::{rfc1123z, rfc3339, Millis, EPOCH_UNIX_SECONDS, SECOND_MS};
use std::sync::Arc;

super::controllers::published!(CronJobRt, CronJobSnapshot, CronJob);

const SOURCE: &str = "cronjob-controller";
/// `nextScheduleDelta`: the controller wakes this long after a scheduled time.
pub const NEXT_SCHEDULE_DELTA_MS: Millis = 100;
/// The annotation `getJobFromTemplate2` puts on each Job.
pub const SCHEDULED_TIMESTAMP_ANNOTATION: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

pub(crate) struct CronJobRt {
    pub cron_job: Arc<CronJob>,
    pub server: ServerMeta,
    pub generation: i64,
    pub status: CronJobStatus,
    pub published: Option<CronJobSnapshot>,
}

impl CronJobRt {
    pub fn snapshot(&self) -> CronJobSnapshot {
        CronJobSnapshot {
            cron_job: self.cron_job.clone(),
            server: self.server.clone(),
            generation: self.generation,
            status: self.status.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Missed {
    None,
    Few,
    Many,
}

/// What `mostRecentScheduleTime` finds, in Unix seconds.
struct Recent {
    earliest: i64,
    most_recent: Option<i64>,
    missed: Missed,
    error: bool,
}

fn unix_ms(sim_ms: i64) -> i64 {
    EPOCH_UNIX_SECONDS * 1000 + sim_ms
}

fn sim_ms(unix_s: i64) -> Option<Millis> {
    Millis::try_from(unix_s.checked_sub(EPOCH_UNIX_SECONDS)?.checked_mul(1000)?).ok()
}

/// `mostRecentScheduleTime`: the anchor is `lastScheduleTime`, else the
/// creation time (second precision), moved up to `now − startingDeadlineSeconds`
/// when asked; then the latest scheduled time not after now.
fn most_recent_schedule_time(
    cj: &CronJob,
    status: &CronJobStatus,
    creation_ms: Millis,
    now: Millis,
    with_deadline: bool,
) -> Recent {
    let sched = &cj.spec.parsed;
    let mut earliest_ms = status.last_schedule_ms.unwrap_or(to_seconds(creation_ms)) as i64;
    if with_deadline {
        if let Some(d) = cj.spec.starting_deadline_seconds {
            let deadline = now as i64 - d.saturating_mul(1000);
            earliest_ms = earliest_ms.max(deadline);
        }
    }
    let earliest = unix_ms(earliest_ms).div_euclid(1000);
    let now_ms = unix_ms(now as i64);
    let mut out = Recent { earliest, most_recent: None, missed: Missed::None, error: false };
    let Some(t1) = sched.next(earliest) else {
        // robfig returns the zero time: the two times are 0 s apart.
        out.error = true;
        return out;
    };
    if now_ms < t1 * 1000 {
        return out;
    }
    let t2 = sched.next(t1);
    match t2 {
        Some(t2) if now_ms < t2 * 1000 => {
            out.most_recent = Some(t1);
            return out;
        }
        Some(_) => {}
        None => {
            out.error = true;
            return out;
        }
    }
    let between = t2.unwrap_or(t1) - t1;
    if between < 1 {
        out.error = true;
        return out;
    }
    let elapsed = (now_ms - t1 * 1000) / 1000;
    let missed = elapsed / between + 1;
    let mut t = sched.next(t1 + (missed - 2) * between);
    // Bounded: the estimate is at most a couple of periods early.
    for _ in 0..10_000 {
        match t {
            Some(x) if x * 1000 <= now_ms => {
                out.most_recent = Some(x);
                t = sched.next(x);
            }
            _ => break,
        }
    }
    out.missed = if missed > 100 { Missed::Many } else { Missed::Few };
    out
}

/// `nextScheduleTimeDuration`, as the time the controller wakes up (None:
/// the schedule never comes again).
fn next_wake(cj: &CronJob, status: &CronJobStatus, creation_ms: Millis, now: Millis) -> Option<Millis> {
    let r = most_recent_schedule_time(cj, status, creation_ms, now, false);
    let now_s = unix_ms(now as i64).div_euclid(1000);
    let base = match (r.error, r.most_recent, r.missed) {
        (true, _, _) => now_s,
        (false, Some(t), _) => t,
        (false, None, Missed::None) => r.earliest,
        (false, None, _) => now_s,
    };
    let next = sim_ms(cj.spec.parsed.next(base)?)?;
    Some(next + NEXT_SCHEDULE_DELTA_MS)
}

/// When the schedule comes next after `now` (strictly after, as
/// `Schedule.Next`), on the simulation's clock; None when it never does.
pub fn next_scheduled(cj: &CronJob, now: Millis) -> Option<Millis> {
    sim_ms(cj.spec.parsed.next(unix_ms(now as i64).div_euclid(1000))?)
}

/// `getJobName`.
pub fn job_name(cron_job: &str, scheduled_unix: i64) -> String {
    format!("{cron_job}-{}", scheduled_unix.div_euclid(60))
}

/// A Job as the CronJob controller sees it.
struct ChildJob {
    name: String,
    uid: String,
    /// "Complete" or "Failed" once finished.
    finished: Option<&'static str>,
    start_ms: Option<Millis>,
    completion_ms: Option<Millis>,
}

impl Sim {
    pub(crate) fn create_cron_job(&mut self, cj: CronJob) -> ApplyResult {
        let key = (cj.metadata.namespace.clone(), cj.metadata.name.clone());
        let name = cj.metadata.name.clone();
        if let Some(existing) = self.controllers.cron_jobs.get_mut(&key) {
            let mut incoming = cj;
            incoming.metadata.pos = existing.cron_job.metadata.pos;
            if *existing.cron_job == incoming {
                return ApplyResult::Unchanged { kind: "CronJob", name };
            }
            // `updateCronJob`: any change requeues the CronJob.
            existing.cron_job = Arc::new(incoming);
            existing.generation += 1;
            self.publish(|s| &mut s.controllers.cron_jobs, &key);
            self.enqueue(ControllerWork::CronJob(key.0, key.1), self.now() + CONTROLLER_HOP_MS);
            return ApplyResult::Configured { kind: "CronJob", name };
        }
        let rt = CronJobRt {
            cron_job: Arc::new(cj),
            server: self.new_server_meta(),
            generation: 1,
            status: CronJobStatus::default(),
            published: None,
        };
        self.insert_published(|s| &mut s.controllers.cron_jobs, key.clone(), rt);
        self.enqueue(ControllerWork::CronJob(key.0, key.1), self.now() + CONTROLLER_HOP_MS);
        ApplyResult::Created { kind: "CronJob", name }
    }

    /// A Job was added, changed or deleted: the CronJob that controls it
    /// hears of it one informer hop later.
    pub(crate) fn cron_job_child_changed(&mut self, job: &Job) {
        if let Some(owner) = job.metadata.owner_references.iter().find(|o| o.controller && o.kind == "CronJob") {
            let work = ControllerWork::CronJob(job.metadata.namespace.clone(), owner.name.clone());
            self.enqueue(work, self.now() + CONTROLLER_HOP_MS);
        }
    }

    /// `getJobsToBeReconciled`: the Jobs in the namespace whose controller
    /// reference names the CronJob.
    fn cron_job_children(&self, ns: &str, name: &str) -> Vec<ChildJob> {
        let from = (ns.to_string(), String::new());
        self.controllers
            .jobs
            .range(from..)
            .take_while(|((n, _), _)| n == ns)
            .filter(|(_, rt)| {
                rt.job.metadata.owner_references.iter().any(|o| o.controller && o.kind == "CronJob" && o.name == name)
            })
            .map(|(_, rt)| ChildJob {
                name: rt.job.metadata.name.clone(),
                uid: rt.server.uid.clone(),
                finished: rt
                    .status
                    .conditions
                    .iter()
                    .find(|c| c.status && (c.type_ == "Complete" || c.type_ == "Failed"))
                    .map(|c| if c.type_ == "Complete" { "Complete" } else { "Failed" }),
                start_ms: rt.status.start_ms,
                completion_ms: rt.status.completion_ms,
            })
            .collect()
    }

    fn cron_event(&mut self, cj: &CronJob, uid: &str, type_: EventType, reason: &str, message: String) {
        let involved = obj_ref("CronJob", &cj.metadata.namespace, &cj.metadata.name, uid);
        self.record_object(involved, None, type_, reason, message, SOURCE);
    }

    /// `deleteJob`: the Job goes (its Pods after it), and leaves the active list.
    fn cron_delete_job(&mut self, cj: &CronJob, uid: &str, status: &mut CronJobStatus, job: &str) {
        if self.delete_job(&cj.metadata.namespace, job).is_ok() {
            status.active.retain(|(n, _)| n != job);
            self.cron_event(cj, uid, EventType::Normal, "SuccessfulDelete", format!("Deleted job {job}"));
        }
    }

    /// `sync`: `cleanupFinishedJobs`, then `syncCronJob`, then the requeue.
    pub(crate) fn sync_cron_job(&mut self, ns: &str, name: &str) {
        let now = self.now();
        let key = (ns.to_string(), name.to_string());
        let Some(rt) = self.controllers.cron_jobs.get(&key) else { return };
        let cj = rt.cron_job.clone();
        let uid = rt.server.uid.clone();
        let creation_ms = rt.server.creation_ms;
        let mut status = rt.status.clone();
        let jobs = self.cron_job_children(ns, name);

        // `cleanupFinishedJobs`: per outcome, the oldest by start time (then name) beyond the limit.
        for (outcome, limit) in
            [("Complete", cj.spec.successful_jobs_history_limit), ("Failed", cj.spec.failed_jobs_history_limit)]
        {
            let mut done: Vec<&ChildJob> = jobs.iter().filter(|j| j.finished == Some(outcome)).collect();
            // `byJobStartTime`: Jobs without a start time last.
            crate::core::sort::sort_by_key(&mut done, |j| (j.start_ms.is_none(), j.start_ms, j.name.clone()));
            let extra = done.len().saturating_sub(limit.max(0) as usize);
            for j in done.into_iter().take(extra) {
                self.cron_delete_job(&cj, &uid, &mut status, &j.name);
            }
        }

        let wake = self.cron_job_reconcile(&cj, &uid, creation_ms, &mut status, &jobs);
        let Some(rt) = self.controllers.cron_jobs.get_mut(&key) else { return };
        rt.status = status;
        self.publish(|s| &mut s.controllers.cron_jobs, &key);
        if let Some(at) = wake {
            self.enqueue(ControllerWork::CronJob(key.0, key.1), at.max(now + 1));
        }
    }

    /// `syncCronJob`; the time to wake up again, if any.
    fn cron_job_reconcile(
        &mut self,
        cj: &Arc<CronJob>,
        uid: &str,
        creation_ms: Millis,
        status: &mut CronJobStatus,
        jobs: &[ChildJob],
    ) -> Option<Millis> {
        let now = self.now();
        for j in jobs {
            let Some(condition) = j.finished else { continue };
            if status.active.iter().any(|(_, u)| *u == j.uid) {
                status.active.retain(|(_, u)| *u != j.uid);
                self.cron_event(
                    cj,
                    uid,
                    EventType::Normal,
                    "SawCompletedJob",
                    format!("Saw completed job: {}, condition: {condition}", j.name),
                );
            }
            if condition == "Complete" {
                if let Some(done) = j.completion_ms {
                    if status.last_successful_ms.is_none_or(|t| done > t) {
                        status.last_successful_ms = Some(to_seconds(done));
                    }
                }
            }
        }
        // An active Job that is gone.
        let missing: Vec<String> =
            status.active.iter().filter(|(_, u)| !jobs.iter().any(|j| j.uid == *u)).map(|(n, _)| n.clone()).collect();
        for n in missing {
            self.cron_event(cj, uid, EventType::Normal, "MissingJob", format!("Active job went missing: {n}"));
            status.active.retain(|(m, _)| *m != n);
        }
        if cj.spec.suspend {
            return None;
        }
        let recent = most_recent_schedule_time(cj, status, creation_ms, now, true);
        let scheduled = match recent.most_recent {
            Some(t) if recent.missed == Missed::Many => {
                let message =
                    "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
                        .to_string();
                self.cron_event(cj, uid, EventType::Warning, "TooManyMissedTimes", message);
                t
            }
            Some(t) => t,
            None if recent.error => {
                let message = format!(
                    "invalid schedule: {} : time difference between two schedules is less than 1 second",
                    cj.spec.schedule
                );
                self.cron_event(cj, uid, EventType::Warning, "InvalidSchedule", message);
                return None;
            }
            None => return next_wake(cj, status, creation_ms, now),
        };
        let scheduled_ms = sim_ms(scheduled).unwrap_or(0);
        if let Some(d) = cj.spec.starting_deadline_seconds {
            if scheduled_ms.saturating_add((d.max(0) as Millis).saturating_mul(SECOND_MS)) < now {
                let message = format!("Missed scheduled time to start a job: {}", rfc1123z(scheduled_ms));
                self.cron_event(cj, uid, EventType::Warning, "MissSchedule", message);
                return next_wake(cj, status, creation_ms, now);
            }
        }
        let name = job_name(&cj.metadata.name, scheduled);
        if status.active.iter().any(|(n, _)| *n == name) || status.last_schedule_ms == Some(scheduled_ms) {
            return next_wake(cj, status, creation_ms, now);
        }
        match cj.spec.concurrency_policy {
            "Forbid" if !status.active.is_empty() => {
                let message =
                    "Not starting job because prior execution is running and concurrency policy is Forbid".to_string();
                self.cron_event(cj, uid, EventType::Normal, "JobAlreadyActive", message);
                return next_wake(cj, status, creation_ms, now);
            }
            "Replace" => {
                let active: Vec<String> = status.active.iter().map(|(n, _)| n.clone()).collect();
                for n in active {
                    self.cron_delete_job(cj, uid, status, &n);
                }
            }
            _ => {}
        }
        let ns = cj.metadata.namespace.clone();
        let job_key = (ns.clone(), name.clone());
        if !self.controllers.jobs.contains_key(&job_key) {
            // `getJobFromTemplate2`.
            let mut annotations = cj.spec.job_annotations.clone();
            annotations.insert(SCHEDULED_TIMESTAMP_ANNOTATION.to_string(), rfc3339(scheduled_ms));
            let job = Job {
                metadata: ObjectMeta {
                    name: name.clone(),
                    namespace: ns.clone(),
                    labels: cj.spec.job_labels.clone(),
                    annotations,
                    owner_references: vec![OwnerReference {
                        api_version: "batch/v1",
                        kind: "CronJob",
                        name: cj.metadata.name.clone(),
                        uid: uid.to_string(),
                        controller: true,
                        block_owner_deletion: true,
                    }],
                    generate_name: None,
                    pos: cj.metadata.pos,
                },
                spec: cj.spec.job_spec.clone(),
            };
            self.create_job(job);
            self.cron_event(cj, uid, EventType::Normal, "SuccessfulCreate", format!("Created job {name}"));
        }
        // A Job of that name made by someone else is left alone.
        let Some(job) = self.controllers.jobs.get(&job_key) else { return next_wake(cj, status, creation_ms, now) };
        if !job.job.metadata.owner_references.iter().any(|o| o.controller && o.uid == uid) {
            return None;
        }
        let job_uid = job.server.uid.clone();
        if !status.active.iter().any(|(_, u)| *u == job_uid) {
            status.active.push((name, job_uid));
        }
        status.last_schedule_ms = Some(scheduled_ms);
        next_wake(cj, status, creation_ms, now)
    }

    /// `kubectl delete cronjob/NAME` (background propagation): the CronJob
    /// goes at once; the garbage collector then deletes its Jobs, and their Pods.
    pub(crate) fn delete_cron_job(&mut self, ns: &str, name: &str) -> Result<(), ActionError> {
        let key = (ns.to_string(), name.to_string());
        let rt = self
            .controllers
            .cron_jobs
            .remove(&key)
            .ok_or_else(|| ActionError(format!("cronjobs.batch \"{name}\" not found")))?;
        let mut snap = rt.snapshot();
        snap.server.resource_version = self.next_resource_version();
        self.watch_event(WatchType::Deleted, Snapshot::CronJob(snap));
        let owned: Vec<String> = self
            .controllers
            .jobs
            .iter()
            .filter(|((n, _), j)| n == ns && j.job.metadata.owner_references.iter().any(|o| o.uid == rt.server.uid))
            .map(|((_, j), _)| j.clone())
            .collect();
        for j in owned {
            let _ = self.delete_job(ns, &j);
        }
        Ok(())
    }

    /// Snapshots of every CronJob, by namespace and name.
    pub fn cron_jobs(&self) -> Vec<CronJobSnapshot> {
        self.controllers.cron_jobs.values().map(|c| c.snapshot()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_names_count_minutes_since_the_unix_epoch() {
        // utils.go getJobName / getTimeHashInMinutes: 2026-01-01T00:01:00Z.
        assert_eq!(job_name("hello", EPOCH_UNIX_SECONDS + 60), "hello-29453761");
    }
}
