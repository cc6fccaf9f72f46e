//! The scheduler: binds Pending Pods to nodes, or says why it cannot.
//!
//! Owns the scheduling queue (the Pods waiting for a node). A scheduling
//! cycle runs the PreFilter (VolumeBinding), then each node's filters in
//! kube-scheduler's default plugin order (see `nodes::Sim::filter_node`,
//! then VolumeBinding's, `volumes::Sim::volume_filter`;
//! a Pod created with `spec.nodeName` is not the scheduler's, see
//! `bound.rs`), scores the feasible nodes by NodeResourcesFit
//! LeastAllocated ([`least_allocated`], ties by node order) and binds; when no node fits, the Pod gets
//! `PodScheduled=False/Unschedulable` and a FailedScheduling event with
//! `FitError.Error()`'s message ([`fit_error`]). Each filter is one
//! function, so another is one more call in [`Sim::schedule_pending`].
//!
//! Upstream: pkg/scheduler in kubernetes/kubernetes (schedule_one.go,
//! framework/types.go FitError, framework/plugins/volumebinding,
//! framework/plugins/noderesources, framework/preemption).
//!
//! Not yet a part apart: a cycle reads the nodes, the claims and the Pods
//! from `Sim`, and binding updates the node's requests, records the
//! Scheduled event and hands the Pod to the kubelet, so the cycle itself is
//! still an `impl Sim` block; the queue and the pure steps are the part's.

use super::nodes::Rejection;
use super::{NodeRt, PodRt, Sim};
use crate::core::api::{PodSpec, VolumeSource};
use crate::core::status::*;
use std::collections::BTreeMap;

/// The scheduling queue: Pods waiting for a node, in the order they came.
#[derive(Debug, Default)]
pub(crate) struct Scheduler {
    queue: Vec<u32>,
}

impl Scheduler {
    /// The Pod in `slot` is gone: it waits no more.
    pub(crate) fn forget(&mut self, slot: u32) {
        self.queue.retain(|&s| s != slot);
    }
}

/// VolumeBinding's PreFilter (`podHasPVCs`): every claim the Pod names must
/// exist (`persistentvolumeclaim "x" not found`, UnschedulableAndUnresolvable);
/// the rest of the plugin is `volumes.rs`.
/// The first missing claim's name.
fn missing_claim(spec: &PodSpec, exists: impl Fn(&str) -> bool) -> Option<String> {
    spec.volumes.iter().find_map(|v| match &v.source {
        VolumeSource::PersistentVolumeClaim { claim_name } if !exists(claim_name) => Some(claim_name.clone()),
        _ => None,
    })
}

/// Does the Pod mount a PersistentVolumeClaim (VolumeBinding has work)?
fn has_claims(spec: &PodSpec) -> bool {
    spec.volumes.iter().any(|v| matches!(v.source, VolumeSource::PersistentVolumeClaim { .. }))
}

/// What a scheduling cycle decided for a Pod.
enum Decision {
    /// A PreFilter refused it before any node was looked at.
    Refused(String),
    /// The node that fits it best.
    Node(usize),
    /// No node fits: why each was filtered out.
    NoFit(Histogram),
}

/// NodeResourcesFit's LeastAllocated score: the free CPU and memory share
/// (in percent) once the Pod's non-zero requests are counted.
fn least_allocated(n: &NodeRt, (score_cpu, score_mem): (i64, i64)) -> i64 {
    (n.cfg.cpu_millis - n.nonzero_cpu - score_cpu).max(0) * 100 / n.cfg.cpu_millis.max(1)
        + (n.cfg.memory_bytes - n.nonzero_mem - score_mem).max(0) * 100 / n.cfg.memory_bytes.max(1)
}

/// Why no node fits: the filters' histogram (reason → node count) and the
/// preemption post-filter's (nodes with no victims, nodes where it would
/// not help).
#[derive(Default)]
struct Histogram {
    reasons: BTreeMap<String, usize>,
    no_victims: usize,
    not_helpful: usize,
}

impl Histogram {
    fn add(&mut self, rej: Rejection) {
        for r in rej.reasons {
            *self.reasons.entry(r).or_default() += 1;
        }
        if rej.resolvable {
            self.no_victims += 1;
        } else {
            self.not_helpful += 1;
        }
    }
}

/// `FitError.Error()` (pkg/scheduler/framework/types.go): "<count> <reason>"
/// sorted as strings, then "."; then " " and the DefaultPreemption
/// post-filter's message, "preemption: " + `Preempt`'s own FitError
/// (framework/preemption/preemption.go), which ends with its one ".". Up to
/// v1.29 the post-filter part was appended as " %v." ("…incoming pod..");
/// since v1.30 as " %v" (kubernetes/kubernetes#123301), so v1.33 prints one
/// period (tests/scheduling_fidelity.rs).
fn fit_error(total: usize, h: &Histogram) -> String {
    if total == 0 {
        return "no nodes available to schedule pods".to_string();
    }
    let mut parts: Vec<String> = h.reasons.iter().map(|(r, c)| format!("{c} {r}")).collect();
    crate::core::sort::sort(&mut parts);
    let mut pre = Vec::new();
    if h.no_victims > 0 {
        pre.push(format!("{} No preemption victims found for incoming pod", h.no_victims));
    }
    if h.not_helpful > 0 {
        pre.push(format!("{} Preemption is not helpful for scheduling", h.not_helpful));
    }
    crate::core::sort::sort(&mut pre);
    format!(
        "0/{total} nodes are available: {}. preemption: 0/{total} nodes are available: {}.",
        parts.join(", "),
        pre.join(", ")
    )
}

impl Sim {
    /// A new Pod joins the queue. A new Pod frees no capacity: only it is
    /// tried now (the Pods already waiting are retried when capacity frees,
    /// `remove_pod`). This keeps a burst of unschedulable Pods linear, not
    /// quadratic.
    pub(crate) fn schedule_new(&mut self, slot: u32) {
        let waiting = std::mem::replace(&mut self.scheduler.queue, vec![slot]);
        self.schedule_pending();
        let still = std::mem::replace(&mut self.scheduler.queue, waiting);
        self.scheduler.queue.extend(still);
    }

    /// Runs a scheduling cycle for every Pod in the queue, in order.
    pub(crate) fn schedule_pending(&mut self) {
        let pending = std::mem::take(&mut self.scheduler.queue);
        let mut still = Vec::new();
        for slot in pending {
            let Some(p) = self.pod_rt(slot) else { continue };
            if p.node.is_some() || p.server.deletion_ms.is_some() || !p.pod.spec.scheduling_gates.is_empty() {
                continue;
            }
            if let Some(name) = p.pod.spec.node_name.clone() {
                // Bound already: the scheduler never sees it (bound.rs).
                self.place_bound_pod(slot, &name);
                continue;
            }
            match self.scheduling_cycle(p) {
                Decision::Refused(reason) => {
                    let total = self.nodes.len();
                    let message = format!(
                        "0/{total} nodes are available: {reason}. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling."
                    );
                    self.mark_unschedulable(slot, message);
                    still.push(slot);
                }
                // VolumeBinding's Reserve and PreBind, then the binding.
                Decision::Node(node) => {
                    let volumes_bound = match self.pod_rt(slot) {
                        Some(p) if has_claims(&p.pod.spec) => {
                            let (spec, ns) = (p.pod.spec.clone(), p.pod.metadata.namespace.clone());
                            self.bind_pod_volumes(&spec, &ns, node)
                        }
                        _ => true,
                    };
                    if volumes_bound {
                        self.bind(slot, node, true);
                    } else {
                        still.push(slot);
                    }
                }
                Decision::NoFit(histogram) => {
                    let message = fit_error(self.nodes.len(), &histogram);
                    self.mark_unschedulable(slot, message);
                    still.push(slot);
                }
            }
        }
        self.scheduler.queue = still;
    }

    /// One Pod's PreFilter, Filter and Score: the node it goes to, or why
    /// none. It only reads, so the Pod is not copied for it.
    fn scheduling_cycle(&self, p: &PodRt) -> Decision {
        let (spec, ns) = (&p.pod.spec, p.pod.metadata.namespace.as_str());
        let prefilter = missing_claim(spec, |c| self.claims.contains_key(&(ns.to_string(), c.to_string())))
            .map(|claim| format!("persistentvolumeclaim \"{claim}\" not found"))
            .or_else(|| self.volume_prefilter(spec, ns).map(String::from));
        if let Some(reason) = prefilter {
            return Decision::Refused(reason);
        }
        // Scoring counts a container without requests as 100m CPU and
        // 200 MB (`pkg/scheduler/util/pod_resources.go` GetNonzeroRequests).
        let score_requests = p.nonzero_requests;
        let mut best: Option<(i64, usize)> = None;
        let mut histogram = Histogram::default();
        for (i, n) in self.nodes.iter().enumerate() {
            let verdict = self
                .filter_node(spec, p.requests, n)
                .and_then(|()| self.volume_filter(spec, ns, &n.cfg))
                .and_then(|()| self.topology_spread_filter(&p.pod, n));
            match verdict {
                Err(rej) => histogram.add(rej),
                Ok(()) => {
                    let free = least_allocated(n, score_requests);
                    if best.is_none_or(|(f, _)| free > f) {
                        best = Some((free, i));
                    }
                }
            }
        }
        match best {
            Some((_, node)) => Decision::Node(node),
            None => Decision::NoFit(histogram),
        }
    }

    /// Binds the Pod to the node (with the `Scheduled` event when the
    /// scheduler chose it, not for `spec.nodeName`) and hands it to the
    /// node's kubelet, unless the kubelet is stopped.
    pub(crate) fn bind(&mut self, slot: u32, node: usize, scheduled: bool) {
        let ((cpu, mem), (zcpu, zmem)) = match self.pod_rt(slot) {
            Some(p) => (p.requests, p.nonzero_requests),
            None => return,
        };
        let n = &mut self.nodes[node];
        n.requested_cpu += cpu;
        n.requested_mem += mem;
        n.nonzero_cpu += zcpu;
        n.nonzero_mem += zmem;
        n.pods += 1;
        let node_name = n.cfg.name.clone();
        let now = self.now();
        let (ns, name) = match self.pod_rt_mut(slot) {
            Some(p) => {
                p.node = Some(node);
                p.node_name_cache = Some(node_name.clone());
                p.set_condition(ConditionType::PodScheduled, true, now, None, None);
                (p.pod.metadata.namespace.clone(), p.pod.metadata.name.clone())
            }
            None => return,
        };
        if scheduled {
            self.record(
                slot,
                None,
                EventType::Normal,
                "Scheduled",
                format!("Successfully assigned {ns}/{name} to {node_name}"),
                "default-scheduler",
            );
        }
        self.mark_dirty(slot);
        if !self.node_stopped(Some(node)) {
            self.kubelet_admit(slot);
        }
    }

    /// `PodScheduled=False/Unschedulable` with the message, and a
    /// FailedScheduling event when the message is new.
    fn mark_unschedulable(&mut self, slot: u32, message: String) {
        let now = self.now();
        let changed = match self.pod_rt_mut(slot) {
            Some(p) => {
                let prev = p.status.condition(ConditionType::PodScheduled).cloned();
                let same = prev.as_ref().is_some_and(|c| !c.status && c.message.as_deref() == Some(message.as_str()));
                if !same {
                    p.set_condition(
                        ConditionType::PodScheduled,
                        false,
                        now,
                        Some("Unschedulable".into()),
                        Some(message.clone()),
                    );
                }
                !same
            }
            None => false,
        };
        if changed {
            self.record(slot, None, EventType::Warning, "FailedScheduling", message, "default-scheduler");
            self.mark_dirty(slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_error_sorts_the_reasons_and_the_preemption_histogram() {
        let mut h = Histogram::default();
        h.add(Rejection { reasons: vec!["Insufficient cpu".into()], resolvable: true });
        h.add(Rejection { reasons: vec!["node(s) were unschedulable".into()], resolvable: false });
        h.add(Rejection { reasons: vec!["Insufficient cpu".into()], resolvable: true });
        assert_eq!(
            fit_error(3, &h),
            "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
        );
        assert_eq!(fit_error(0, &h), "no nodes available to schedule pods");
    }
}
