//! PodDisruptionBudgets: the disruption controller's status
//! (pkg/controller/disruption/disruption.go: `getExpectedPodCount`,
//! `getExpectedScale`, `countHealthyPods`, `updatePdbStatus`, `failSafe`),
//! the Eviction API's check (pkg/registry/core/pod/storage/eviction.go:
//! `canIgnorePDB`, `getPodDisruptionBudgets`, `checkAndDecrement`) and
//! `kubectl drain`'s retry of a refused eviction
//! (staging/src/k8s.io/kubectl/pkg/drain/drain.go, `evictPods`: on 429 Too
//! Many Requests it prints the error and sleeps 5 s, then tries again).
//!
//! podplay's simplifications: the controller's status follows the Pods at
//! once (no informer hop), so the Eviction API sees a status recomputed for
//! each eviction and `DisruptedPods` (evicted but not yet terminating) is
//! never needed: an evicted Pod is terminating at once. The controller's
//! `UnmanagedPods` and `CalculateExpectedPodCountFailed` events are not
//! recorded.

use super::controllers::published;
use super::{ActionError, ApplyResult, Sim, Target};
use crate::core::api::{IntOrPercent, PodDisruptionBudget};
use crate::core::status::*;
use crate::core::time::Millis;
use std::sync::Arc;

/// `kubectl drain` waits this long before it retries a refused eviction.
pub(crate) const EVICTION_RETRY_MS: Millis = 5_000;

/// The most client lines kept for [`Sim::poll_client_message`]: a caller
/// that never drains them (the page) loses the oldest, not memory.
const MAX_CLIENT_MESSAGES: usize = 1_000;

/// The Eviction API's 429 message (`NewTooManyRequests`).
pub const EVICTION_REFUSED: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

pub(crate) struct PdbRt {
    pub pdb: Arc<PodDisruptionBudget>,
    pub server: ServerMeta,
    pub generation: i64,
    pub status: PodDisruptionBudgetStatus,
    pub published: Option<PodDisruptionBudgetSnapshot>,
}

impl PdbRt {
    pub fn snapshot(&self) -> PodDisruptionBudgetSnapshot {
        PodDisruptionBudgetSnapshot {
            pdb: self.pdb.clone(),
            server: self.server.clone(),
            generation: self.generation,
            status: self.status.clone(),
        }
    }
}

published!(PdbRt, PodDisruptionBudgetSnapshot, PodDisruptionBudget);

/// An eviction `kubectl drain` will try again.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PendingEviction {
    pub at: Millis,
    pub namespace: String,
    pub pod: String,
    pub uid: String,
}

/// Why the Eviction API refused.
pub(crate) enum Refusal {
    /// 429: kubectl drain retries.
    TooManyRequests,
    /// Any other error: kubectl drain gives up on the Pod.
    Failed(String),
}

impl Sim {
    pub(crate) fn create_pdb(&mut self, pdb: PodDisruptionBudget) -> ApplyResult {
        let key = (pdb.metadata.namespace.clone(), pdb.metadata.name.clone());
        let name = pdb.metadata.name.clone();
        if let Some(existing) = self.controllers.pdbs.get_mut(&key) {
            let mut incoming = pdb;
            incoming.metadata.pos = existing.pdb.metadata.pos;
            if *existing.pdb == incoming {
                return ApplyResult::Unchanged { kind: "PodDisruptionBudget", name };
            }
            existing.pdb = Arc::new(incoming);
            existing.generation += 1;
            self.sync_pdbs();
            return ApplyResult::Configured { kind: "PodDisruptionBudget", name };
        }
        let rt = PdbRt {
            pdb: Arc::new(pdb),
            server: self.new_server_meta(),
            generation: 1,
            status: PodDisruptionBudgetStatus::default(),
            published: None,
        };
        self.insert_published(|s| &mut s.controllers.pdbs, key, rt);
        self.sync_pdbs();
        ApplyResult::Created { kind: "PodDisruptionBudget", name }
    }

    /// Snapshots of every PodDisruptionBudget.
    pub fn pod_disruption_budgets(&self) -> Vec<PodDisruptionBudgetSnapshot> {
        self.controllers.pdbs.values().map(|p| p.snapshot()).collect()
    }

    /// The disruption controller's pass: every budget's status from the
    /// Pods it selects, published when it changed.
    pub(crate) fn sync_pdbs(&mut self) {
        let keys: Vec<(String, String)> = self.controllers.pdbs.keys().cloned().collect();
        for key in keys {
            let Some(rt) = self.controllers.pdbs.get(&key) else { continue };
            let status = self.pdb_status(&rt.pdb, rt.generation, &rt.status);
            if let Some(rt) = self.controllers.pdbs.get_mut(&key) {
                rt.status = status;
            }
            self.publish(|s| &mut s.controllers.pdbs, &key);
        }
    }

    /// The slots of the Pods `pdb` selects (`getPodsForPdb`).
    fn pdb_pods(&self, pdb: &PodDisruptionBudget) -> Vec<u32> {
        let ns = &pdb.metadata.namespace;
        self.pods
            .in_namespace(ns)
            .filter_map(|(_, slot)| self.pod_rt(slot).map(|p| (slot, p)))
            .filter(|(_, p)| pdb.spec.selects(&p.pod.metadata.labels))
            .map(|(slot, _)| slot)
            .collect()
    }

    /// `trySync` → `updatePdbStatus`, or `failSafe` when the expected count
    /// cannot be found.
    fn pdb_status(
        &self,
        pdb: &PodDisruptionBudget,
        generation: i64,
        old: &PodDisruptionBudgetStatus,
    ) -> PodDisruptionBudgetStatus {
        let pods = self.pdb_pods(pdb);
        let mut status = old.clone();
        status.observed_generation = generation;
        match self.expected_pod_count(pdb, &pods) {
            Ok((expected, desired)) => {
                // `countHealthyPods`: Ready and not being deleted.
                let healthy = pods
                    .iter()
                    .filter_map(|&s| self.pod_rt(s))
                    .filter(|p| p.server.deletion_ms.is_none() && p.status.is_ready())
                    .count() as i32;
                // "We require expectedCount to be > 0 so that PDBs which
                // currently match no pods are in a safe state when their
                // first pods appear."
                let allowed = healthy - desired;
                status.disruptions_allowed = if expected <= 0 || allowed <= 0 { 0 } else { allowed };
                status.current_healthy = healthy;
                status.desired_healthy = desired;
                status.expected_pods = expected;
                let (ok, reason) =
                    if status.disruptions_allowed > 0 { (true, "SufficientPods") } else { (false, "InsufficientPods") };
                self.set_disruption_condition(&mut status, ok, reason, String::new());
            }
            Err(message) => {
                status.disruptions_allowed = 0;
                self.set_disruption_condition(&mut status, false, "SyncFailed", message);
            }
        }
        status
    }

    /// `apimeta.SetStatusCondition`: the transition time moves only when the status does.
    fn set_disruption_condition(
        &self,
        s: &mut PodDisruptionBudgetStatus,
        ok: bool,
        reason: &'static str,
        message: String,
    ) {
        let c = &mut s.condition;
        if c.reason.is_empty() || c.status != ok {
            c.last_transition_ms = self.now();
        }
        c.status = ok;
        c.reason = reason;
        c.message = message;
    }

    /// `getExpectedPodCount`: (expectedCount, desiredHealthy).
    fn expected_pod_count(&self, pdb: &PodDisruptionBudget, pods: &[u32]) -> Result<(i32, i32), String> {
        let spec = &pdb.spec;
        if let Some(max) = spec.max_unavailable {
            let expected = self.expected_scale(pods)?;
            let max = max.scaled(expected, true);
            return Ok((expected, (expected - max).max(0)));
        }
        match spec.min_available {
            Some(IntOrPercent::Int(n)) => Ok((pods.len() as i32, n)),
            Some(min) => {
                let expected = self.expected_scale(pods)?;
                Ok((expected, min.scaled(expected, true)))
            }
            None => Ok((0, 0)),
        }
    }

    /// `getExpectedScale`: the replicas of the controllers of the Pods (a
    /// Deployment's for its ReplicaSets' Pods); Pods with no controller are
    /// left out; a controller without a scale is an error.
    fn expected_scale(&self, pods: &[u32]) -> Result<i32, String> {
        // By the uid of what holds the scale (a ReplicaSet's Deployment).
        let mut scales: std::collections::BTreeMap<String, i32> = Default::default();
        for p in pods.iter().filter_map(|&s| self.pod_rt(s)) {
            let meta = &p.pod.metadata;
            let Some(owner) = meta.owner_references.iter().find(|o| o.controller) else { continue };
            let key = (meta.namespace.clone(), owner.name.clone());
            // The finders: `getPodDeployment` (through the ReplicaSet),
            // `getPodReplicaSet`, `getPodStatefulSet`.
            let found = match owner.kind {
                "ReplicaSet" => self.controllers.replica_sets.get(&key).map(|rs| {
                    let deployment = rs.rs.metadata.owner_references.iter().find(|o| o.controller);
                    let d = deployment
                        .and_then(|o| self.controllers.deployments.get(&(meta.namespace.clone(), o.name.clone())))
                        .map(|d| (d.server.uid.clone(), d.d.spec.replicas));
                    d.unwrap_or((rs.server.uid.clone(), rs.rs.spec.replicas))
                }),
                "StatefulSet" => {
                    self.controllers.stateful_sets.get(&key).map(|s| (s.server.uid.clone(), s.set.spec.replicas))
                }
                _ => None,
            };
            let (uid, scale) = found.ok_or_else(|| format!("found no controllers for pod \"{}\"", meta.name))?;
            scales.insert(uid, scale);
        }
        Ok(scales.values().sum())
    }

    /// The Eviction API (`EvictionREST.Create`) for one Pod: Ok when it
    /// may go (and is then deleted with its own grace period).
    pub(crate) fn evict(&mut self, ns: &str, name: &str) -> Result<(), Refusal> {
        let Some(slot) = self.pods.slot(ns, name) else { return Ok(()) };
        let Some(p) = self.pod_rt(slot) else { return Ok(()) };
        // `canIgnorePDB`.
        let ignore = matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed | PodPhase::Pending)
            || p.server.deletion_ms.is_some();
        // `getPodDisruptionBudgets`: none for a Pod without labels.
        let budgets: Vec<(String, String)> = if ignore || p.pod.metadata.labels.is_empty() {
            Vec::new()
        } else {
            self.controllers
                .pdbs
                .iter()
                .filter(|((pns, _), rt)| pns == ns && rt.pdb.spec.selects(&p.pod.metadata.labels))
                .map(|(k, _)| k.clone())
                .collect()
        };
        if budgets.len() > 1 {
            return Err(Refusal::Failed(
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
                    .into(),
            ));
        }
        if let Some(rt) = budgets.first().and_then(|k| self.controllers.pdbs.get(k)) {
            let status = self.pdb_status(&rt.pdb, rt.generation, &rt.status);
            let unhealthy = !p.status.is_ready();
            let always_allow = rt.pdb.spec.unhealthy_pod_eviction_policy.as_deref() == Some("AlwaysAllow");
            let healthy_budget = status.current_healthy >= status.desired_healthy && status.desired_healthy > 0;
            // An unready Pod goes without spending the budget when the
            // policy allows it; otherwise `checkAndDecrement`.
            if !(unhealthy && (always_allow || healthy_budget)) && status.disruptions_allowed == 0 {
                return Err(Refusal::TooManyRequests);
            }
        }
        // `addConditionAndDeletePod`.
        self.mark_disruption_target(ns, name, "EvictionByEvictionAPI", "Eviction API: evicting");
        let _ = self.delete_pod(ns, name, None);
        self.sync_pdbs();
        Ok(())
    }

    /// Evicts a drained node's Pods as `evictPods` does: a refused one is
    /// tried again every 5 s until it goes (kubectl prints each refusal and
    /// goes on: see [`Sim::poll_client_message`]); any other error ends the
    /// drain of that Pod and is the drain's error.
    pub(crate) fn evict_for_drain(&mut self, pods: Vec<(String, String)>) -> Result<(), ActionError> {
        let mut lines = Vec::new();
        for (ns, name) in pods {
            match self.evict(&ns, &name) {
                Ok(()) => {}
                Err(Refusal::TooManyRequests) => self.retry_eviction_later(ns, name),
                Err(Refusal::Failed(m)) => lines.push(format!("error when evicting pods/\"{name}\" -n \"{ns}\": {m}")),
            }
        }
        if lines.is_empty() {
            Ok(())
        } else {
            Err(ActionError(lines.join("\n")))
        }
    }

    /// Says what kubectl prints for a 429 and sets the retry.
    fn retry_eviction_later(&mut self, namespace: String, pod: String) {
        let Some(uid) = self.pod(&namespace, &pod).map(|p| p.server.uid) else { return };
        let line =
            format!("error when evicting pods/\"{pod}\" -n \"{namespace}\" (will retry after 5s): {EVICTION_REFUSED}");
        if self.client_messages.len() == MAX_CLIENT_MESSAGES {
            self.client_messages.pop_front();
        }
        self.client_messages.push_back((self.now(), line));
        let at = self.now() + EVICTION_RETRY_MS;
        self.pending_evictions.push(PendingEviction { at, namespace, pod, uid });
        self.clock.schedule(at, Target::EvictionRetry);
    }

    /// What the simulated client (`kubectl drain`) printed to its error
    /// stream as it ran, oldest first: (time, line).
    pub fn poll_client_message(&mut self) -> Option<(Millis, String)> {
        self.client_messages.pop_front()
    }

    /// The retries due now: a Pod that is gone (or replaced) is done.
    pub(crate) fn retry_evictions(&mut self) {
        let now = self.now();
        let (due, later): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.pending_evictions).into_iter().partition(|e| e.at <= now);
        self.pending_evictions = later;
        for e in due {
            if self.pod(&e.namespace, &e.pod).is_none_or(|p| p.server.uid != e.uid) {
                continue;
            }
            if let Err(Refusal::TooManyRequests) = self.evict(&e.namespace, &e.pod) {
                self.retry_eviction_later(e.namespace, e.pod);
            }
        }
    }
}
