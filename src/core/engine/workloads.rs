//! The workload controllers' part of the engine: the objects of each
//! workload kind with their runtime state, and the work queue the
//! controllers' syncs share (kube-controller-manager's informer caches and
//! work queues, `pkg/controller/*`, as one ordered queue).
//!
//! Owns the stores only; each controller's sync is in its own file and
//! reaches its store through `Sim::controllers`. The part sits in a file of
//! its own so that the controllers, which name `ControllerWork`, and the
//! stores, which name every controller's runtime type, do not import each
//! other.

use super::controllers::{ControllerWork, DeploymentRt, ReplicaSetRt};
use super::cronjobs::CronJobRt;
use super::daemonset::DaemonSetRt;
use super::disruption::PdbRt;
use super::jobs::JobRt;
use super::statefulsets::StatefulSetRt;
use crate::core::store::Store;
use crate::core::time::Millis;

/// The workload controllers' part of the engine: the objects of each kind
/// with their runtime state (Deployments, ReplicaSets, DaemonSets, Jobs,
/// CronJobs, StatefulSets and the disruption controller's PodDisruptionBudgets)
/// and the work queue their syncs share. Each controller's sync is in its
/// own file (`controllers.rs`, `daemonset.rs`, `jobs.rs`, `cronjobs.rs`,
/// `statefulsets.rs`, `disruption.rs`).
#[derive(Default)]
pub(crate) struct Controllers {
    pub(crate) deployments: Store<DeploymentRt>,
    pub(crate) replica_sets: Store<ReplicaSetRt>,
    pub(crate) daemon_sets: Store<DaemonSetRt>,
    pub(crate) jobs: Store<JobRt>,
    pub(crate) cron_jobs: Store<CronJobRt>,
    pub(crate) stateful_sets: Store<StatefulSetRt>,
    pub(crate) pdbs: Store<PdbRt>,
    /// Controller work (`ControllerWork`, keyed as `ControllerWork::into_key`) and when it is due.
    work: Store<Millis>,
}

impl Controllers {
    /// Queues `work` at `at` unless it is already queued no later; true when
    /// it was queued (a timer must then be set for `at`).
    pub(crate) fn queue(&mut self, work: ControllerWork, at: Millis) -> bool {
        let key = work.into_key();
        match self.work.get(&key) {
            Some(&t) if t <= at => false,
            _ => {
                self.work.insert(key, at);
                true
            }
        }
    }

    /// Takes the first work in queue order that is due at `now`.
    pub(crate) fn take_due(&mut self, now: Millis) -> Option<ControllerWork> {
        let key = self.work.iter().find(|(_, &t)| t <= now).map(|(k, _)| k.clone())?;
        self.work.remove(&key);
        Some(ControllerWork::from_key(key))
    }
}
