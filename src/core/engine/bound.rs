//! Pods created with `spec.nodeName`: they are bound already, so the
//! scheduler never sees them (its informer watches unassigned Pods only:
//! no `Scheduled`, no `FailedScheduling` event). Owns what happens instead:
//!
//! - The node exists: its kubelet runs its own admission
//!   (`predicateAdmitHandler.Admit`, pkg/kubelet/lifecycle/predicate.go:
//!   `generalFilter` = the scheduler's `AdmissionCheck` — resources, node
//!   affinity/selector — plus untolerated `NoExecute` taints). The first
//!   failure rejects the Pod (`Kubelet.rejectPod`, pkg/kubelet/kubelet.go):
//!   a Warning event from the kubelet with the reason (`OutOfcpu`,
//!   `OutOfmemory`, `OutOfpods`, `NodeAffinity`, `TaintToleration`) and the
//!   predicate's message, and the status `Failed` with that reason and
//!   "Pod was rejected: <message>" — no conditions, no container statuses,
//!   no IP, the Pod never runs. An admitted Pod runs as a scheduled one does.
//! - The node does not exist: nothing runs it, the Pod stays `Pending` with
//!   no events and no IP, until the Pod GC controller's orphan sweep
//!   (`gcOrphaned`, pkg/controller/podgc/gc_controller.go) deletes it: the
//!   sweep runs every 20 s (`gcCheckPeriod`), puts the missing node in
//!   quarantine for 40 s (`quarantineTime`), and the first sweep after that
//!   patches the Pod `Failed` with the `DisruptionTarget` condition
//!   (`DeletionByPodGC`, "PodGC: node no longer exists") and deletes it with
//!   grace period 0 (`markFailedAndDeletePodWithCondition`). It records no
//!   event.

use super::nodes::insufficient_resources;
use super::{NodeRt, PodTimer, Sim};
use crate::core::api::PodSpec;
use crate::core::status::*;
use crate::core::time::{Millis, SECOND_MS};

/// `gcCheckPeriod` (pkg/controller/podgc/gc_controller.go).
pub const PODGC_PERIOD_MS: Millis = 20 * SECOND_MS;
/// `quarantineTime` (pkg/controller/podgc/gc_controller.go).
pub const PODGC_QUARANTINE_MS: Millis = 40 * SECOND_MS;

/// When PodGC deletes a Pod bound at `created` to a node that does not
/// exist: the first sweep after `created` (sweeps at multiples of 20 s from
/// the controller manager's start, the run's start) queues the node name for
/// 40 s; the sweep 40 s later finds it ready and still missing. (Sweeps run
/// 20 s after the previous one *ended*, `wait.UntilWithContext`, so that
/// sweep starts after the quarantine's end, not before it.)
pub fn podgc_orphan_deadline(created: Millis) -> Millis {
    (created / PODGC_PERIOD_MS + 1) * PODGC_PERIOD_MS + PODGC_QUARANTINE_MS
}

/// The kubelet's admission of a Pod bound to node `n`: `None` when it
/// fits, else the rejection's (reason, message), the first failure in
/// `generalFilter`'s order: `noderesources.Fits` (pods, cpu, memory:
/// `InsufficientResourceError.Error()` "Node didn't have enough resource:
/// %s, requested: %d, used: %d, capacity: %d", reason `OutOf<resource>`),
/// then NodeAffinity, then the `NoExecute` taints (the kubelet ignores
/// `NoSchedule` taints and the cordon); a `PredicateFailureError` reads
/// "Predicate %s failed: %s".
pub(crate) fn kubelet_admission(spec: &PodSpec, requests: (i64, i64), n: &NodeRt) -> Option<(String, String)> {
    if let Some(i) = insufficient_resources(requests, n).first() {
        return Some((
            format!("OutOf{}", i.resource),
            format!(
                "Node didn't have enough resource: {}, requested: {}, used: {}, capacity: {}",
                i.resource, i.requested, i.used, i.capacity
            ),
        ));
    }
    let predicate = |name: &str, desc: &str| Some((name.to_string(), format!("Predicate {name} failed: {desc}")));
    if !super::nodes::matches_node_affinity(spec, &n.cfg) {
        return predicate("NodeAffinity", "node(s) didn't match Pod's node affinity/selector");
    }
    let untolerated = n
        .cfg
        .taints
        .iter()
        .filter(|t| t.effect == crate::core::api::TaintEffect::NoExecute)
        .any(|t| !spec.tolerations.iter().any(|tol| tol.tolerates(t)));
    if untolerated {
        return predicate("TaintToleration", "node(s) had taints that the pod didn't tolerate");
    }
    None
}

impl Sim {
    /// A Pod created with `spec.nodeName`: the named node's kubelet admits
    /// or rejects it; with no such node it waits for PodGC.
    pub(crate) fn place_bound_pod(&mut self, slot: u32, node_name: &str) {
        let Some(p) = self.pod_rt(slot) else { return };
        let requests = p.requests;
        let created = p.server.creation_ms;
        let Some(i) = self.nodes.iter().position(|n| n.cfg.name == node_name) else {
            if let Some(p) = self.pod_rt_mut(slot) {
                p.node_name_cache = Some(node_name.to_string());
            }
            self.schedule(podgc_orphan_deadline(created), slot, PodTimer::PodGcOrphan);
            return;
        };
        match self.pod_rt(slot).and_then(|p| kubelet_admission(&p.pod.spec, requests, &self.nodes[i])) {
            None => self.bind(slot, i, false),
            Some((reason, message)) => self.reject_pod(slot, node_name, reason, message),
        }
    }

    /// `Kubelet.rejectPod`: the event, then the Failed status. The Pod
    /// holds no room on the node (the kubelet counts admitted Pods only).
    fn reject_pod(&mut self, slot: u32, node_name: &str, reason: String, message: String) {
        let Some(p) = self.pod_rt_mut(slot) else { return };
        p.node_name_cache = Some(node_name.to_string());
        p.terminal = true;
        p.failed_reason = Some((reason.clone(), format!("Pod was rejected: {message}")));
        p.status.phase = PodPhase::Failed;
        p.status.reason = Some(reason.clone());
        p.status.message = Some(format!("Pod was rejected: {message}"));
        self.record(slot, None, EventType::Warning, &reason, message, "kubelet");
        self.mark_dirty(slot);
    }

    /// PodGC's orphan sweep is due for this Pod: if its node still does not
    /// exist, mark it Failed with the DisruptionTarget condition and delete
    /// it at once.
    pub(crate) fn podgc_orphan(&mut self, slot: u32) {
        let now = self.now();
        let Some(p) = self.pod_rt(slot) else { return };
        let Some(name) = p.node_name_cache.clone() else { return };
        if p.node.is_some() || self.nodes.iter().any(|n| n.cfg.name == name) {
            return;
        }
        let Some(p) = self.pod_rt_mut(slot) else { return };
        if p.status.phase != PodPhase::Succeeded && p.status.phase != PodPhase::Failed {
            p.status.phase = PodPhase::Failed;
            p.set_condition(
                ConditionType::DisruptionTarget,
                true,
                now,
                Some("DeletionByPodGC".into()),
                Some("PodGC: node no longer exists".into()),
            );
            self.mark_dirty(slot);
            self.flush();
        }
        let Some(p) = self.pod_rt_mut(slot) else { return };
        p.server.deletion_ms = Some(now);
        p.server.deletion_grace_period_seconds = Some(0);
        self.remove_pod(slot);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_orphan_sweep_comes_after_the_first_sweep_and_the_quarantine() {
        // Created at 0 s: sweeps at 20 s (queued), 40 s, 60 s (deleted).
        assert_eq!(podgc_orphan_deadline(0), 60 * SECOND_MS);
        assert_eq!(podgc_orphan_deadline(19_999), 60 * SECOND_MS);
        assert_eq!(podgc_orphan_deadline(20 * SECOND_MS), 80 * SECOND_MS);
    }
}
