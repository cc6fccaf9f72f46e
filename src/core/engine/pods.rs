//! The Pods part of the engine: the API server's Pod objects as the engine
//! keeps them, with the indexes the other parts read.
//!
//! Owns the slots (`Vec<Option<PodRt>>`, a slot reused only by a new
//! incarnation so a stale timer can tell), the free slots, the incarnation
//! counter, the index by (namespace, name), the index by controller uid
//! (what a controller's sync lists, as an informer's indexer by owner does)
//! with the orphans a ReplicaSet may adopt, and the Pods whose status may
//! have changed since the last flush. Everything else reaches Pods through
//! these methods; what the kubelet does to a Pod is in `kubelet.rs`.
//!
//! Upstream: the API server's storage and the shared informers' indexers
//! (k8s.io/client-go/tools/cache `Indexer`, `controller.kubernetes.io`
//! owner index); nothing here has behaviour of its own.

use super::kubelet::PodRt;
use super::{clock, nodes, ApplyResult, PodTimer, ProbeKind, Sim, Snapshot, WatchType, MAX_PODS};
use crate::core::api::Pod;
use crate::core::store::Store;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Every Pod object, by slot, and the indexes over them.
pub(crate) struct Pods {
    /// Pods by slot; a slot is reused only by a new incarnation.
    slots: Vec<Option<PodRt>>,
    free_slots: Vec<u32>,
    next_incarnation: u32,
    /// Slots by (namespace, name).
    index: BTreeMap<(String, String), u32>,
    /// Pods by the uid of their controller (the ownerReference with
    /// `controller: true`), by name: what a controller's sync lists.
    owned: Store<BTreeMap<String, u32>, String>,
    /// Pods no controller owns, by (namespace, name): what a ReplicaSet may adopt.
    orphans: BTreeMap<(String, String), u32>,
    /// Pods whose status may have changed since the last flush.
    dirty: Vec<u32>,
}

impl Default for Pods {
    fn default() -> Self {
        Pods {
            slots: Vec::new(),
            free_slots: Vec::new(),
            next_incarnation: 1,
            index: BTreeMap::new(),
            owned: Store::new(),
            orphans: BTreeMap::new(),
            dirty: Vec::new(),
        }
    }
}

impl Pods {
    /// The Pod in `slot`, if the slot holds one.
    #[inline]
    pub(crate) fn get(&self, slot: u32) -> Option<&PodRt> {
        self.slots.get(slot as usize).and_then(|p| p.as_ref())
    }

    #[inline]
    pub(crate) fn get_mut(&mut self, slot: u32) -> Option<&mut PodRt> {
        self.slots.get_mut(slot as usize).and_then(|p| p.as_mut())
    }

    /// The slot of the Pod `name` in `ns`.
    #[inline]
    pub(crate) fn slot(&self, ns: &str, name: &str) -> Option<u32> {
        self.index.get(&(ns.to_string(), name.to_string())).copied()
    }

    pub(crate) fn contains(&self, ns: &str, name: &str) -> bool {
        self.index.contains_key(&(ns.to_string(), name.to_string()))
    }

    /// How many Pod objects exist.
    pub(crate) fn len(&self) -> usize {
        self.index.len()
    }

    /// Every Pod's (namespace, name) and slot, in that order.
    pub(crate) fn by_name(&self) -> impl Iterator<Item = (&(String, String), u32)> + '_ {
        self.index.iter().map(|(k, &s)| (k, s))
    }

    /// Every slot, in (namespace, name) order.
    pub(crate) fn slots_by_name(&self) -> impl Iterator<Item = u32> + '_ {
        self.index.values().copied()
    }

    /// The names and slots of the Pods of `ns` from the name `from` on, in
    /// name order.
    pub(crate) fn names_from<'a>(&'a self, ns: &'a str, from: &str) -> impl Iterator<Item = (&'a str, u32)> + 'a {
        self.index
            .range((ns.to_string(), from.to_string())..)
            .take_while(move |(k, _)| k.0 == ns)
            .map(|(k, &s)| (k.1.as_str(), s))
    }

    /// The names and slots of the Pods of `ns`, in name order.
    pub(crate) fn in_namespace<'a>(&'a self, ns: &'a str) -> impl Iterator<Item = (&'a str, u32)> + 'a {
        self.names_from(ns, "")
    }

    /// The slots of the Pods of `ns` no controller owns, in name order.
    pub(crate) fn orphans_in<'a>(&'a self, ns: &'a str) -> impl Iterator<Item = u32> + 'a {
        self.orphans.range((ns.to_string(), String::new())..).take_while(move |(k, _)| k.0 == ns).map(|(_, &s)| s)
    }

    /// The Pods whose controller has this uid, in name order.
    pub(crate) fn owned_by(&self, uid: &str) -> Vec<u32> {
        self.owned.get(uid).map(|m| m.values().copied().collect()).unwrap_or_default()
    }

    /// Every live Pod, by slot: a scan, for the invariant checks and the
    /// rare look-ups that have no index (the Pods of an unbound claim).
    pub(crate) fn iter(&self) -> impl Iterator<Item = &PodRt> + '_ {
        self.slots.iter().flatten()
    }

    /// The incarnation number of the next Pod created.
    pub(crate) fn new_incarnation(&mut self) -> u32 {
        let incarnation = self.next_incarnation;
        self.next_incarnation += 1;
        incarnation
    }

    /// Stores a new Pod in a free slot (the last one freed) or a new one and
    /// indexes it; returns its slot.
    pub(crate) fn insert(&mut self, rt: PodRt) -> u32 {
        let key = (rt.pod.metadata.namespace.clone(), rt.pod.metadata.name.clone());
        let slot = match self.free_slots.pop() {
            Some(s) => {
                self.slots[s as usize] = Some(rt);
                s
            }
            None => {
                self.slots.push(Some(rt));
                (self.slots.len() - 1) as u32
            }
        };
        self.index.insert(key, slot);
        self.index_owner(slot, true);
        slot
    }

    /// Takes the Pod out of `slot` and out of the indexes; the slot is free
    /// for a later Pod.
    pub(crate) fn remove(&mut self, slot: u32) -> Option<PodRt> {
        self.index_owner(slot, false);
        let p = self.slots.get_mut(slot as usize).and_then(|p| p.take())?;
        self.index.remove(&(p.pod.metadata.namespace.clone(), p.pod.metadata.name.clone()));
        self.free_slots.push(slot);
        Some(p)
    }

    /// Adds (or removes) a Pod in the index of Pods by controller.
    pub(crate) fn index_owner(&mut self, slot: u32, add: bool) {
        let Some(p) = self.slots.get(slot as usize).and_then(|p| p.as_ref()) else { return };
        let meta = &p.pod.metadata;
        match meta.owner_references.iter().find(|o| o.controller) {
            Some(o) => {
                if add {
                    self.owned.get_or_insert_with(o.uid.clone(), BTreeMap::new).insert(meta.name.clone(), slot);
                } else if let Some(set) = self.owned.get_mut(&o.uid) {
                    set.remove(&meta.name);
                    if set.is_empty() {
                        self.owned.remove(&o.uid);
                    }
                }
            }
            None => {
                let key = (meta.namespace.clone(), meta.name.clone());
                if add {
                    self.orphans.insert(key, slot);
                } else {
                    self.orphans.remove(&key);
                }
            }
        }
    }

    /// Queues the Pod in `slot` for the next flush (once until then).
    #[inline]
    pub(crate) fn mark_dirty(&mut self, slot: u32) {
        if let Some(p) = self.slots.get_mut(slot as usize).and_then(|p| p.as_mut()) {
            if !p.dirty {
                p.dirty = true;
                self.dirty.push(slot);
            }
        }
    }

    #[inline]
    pub(crate) fn has_dirty(&self) -> bool {
        !self.dirty.is_empty()
    }

    /// The Pods queued since the last flush, in slot order, once each.
    pub(crate) fn take_dirty(&mut self) -> Vec<u32> {
        let mut dirty = std::mem::take(&mut self.dirty);
        crate::core::sort::sort_u32(&mut dirty);
        dirty.dedup();
        dirty
    }

    /// Every Pod is indexed by its controller or as an orphan.
    #[cfg(debug_assertions)]
    pub(crate) fn check_invariants(&self) {
        let indexed = self.orphans.len() + self.owned.values().map(|m| m.len()).sum::<usize>();
        assert_eq!(indexed, self.index.len(), "every Pod is indexed by its controller (or as an orphan)");
        for p in self.iter() {
            p.check_invariants();
        }
    }
}

/// Creating and removing Pods, and publishing their changes.
impl Sim {
    pub(super) fn create_pod(&mut self, pod: Pod) -> ApplyResult {
        let mut pod = pod;
        nodes::add_default_tolerations(&mut pod);
        let key = (pod.metadata.namespace.clone(), pod.metadata.name.clone());
        if let Some(slot) = self.pods.slot(&key.0, &key.1) {
            let same = self.pod_rt(slot).is_some_and(|p| *p.pod == pod);
            let name = pod.metadata.name.clone();
            return if same {
                ApplyResult::Unchanged { kind: "Pod", name }
            } else {
                ApplyResult::Refused {
                    kind: "Pod",
                    message: format!(
                        "The Pod \"{name}\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations), `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"
                    ),
                    name,
                }
            };
        }
        if let Err(message) = self.admit_pod(&mut pod) {
            return ApplyResult::Refused { kind: "Pod", name: pod.metadata.name.clone(), message };
        }
        if self.pods.len() >= MAX_PODS {
            return ApplyResult::Refused {
                kind: "Pod",
                name: pod.metadata.name.clone(),
                message: format!("podplay simulates at most {MAX_PODS} Pods"),
            };
        }
        let incarnation = self.pods.new_incarnation();
        let uid = self.new_uid();
        let rv = self.next_resource_version();
        let name = pod.metadata.name.clone();
        let gated = !pod.spec.scheduling_gates.is_empty();
        let mut rt = PodRt::new(Arc::new(pod), uid, self.now(), rv, incarnation);
        if gated {
            // `applySchedulingGatedCondition` (pkg/registry/core/pod/strategy.go):
            // the API server marks a gated Pod at creation; the scheduler's
            // SchedulingGates PreEnqueue plugin keeps it out of the queue
            // (no FailedScheduling event).
            rt.set_condition(
                crate::core::status::ConditionType::PodScheduled,
                false,
                self.now(),
                Some("SchedulingGated".into()),
                Some("Scheduling is blocked due to non-empty scheduling gates".into()),
            );
        }
        let slot = self.pods.insert(rt);
        if let Some(p) = self.pods.get_mut(slot) {
            self.endpoints.join(&mut self.services, slot, p);
        }
        let snap = self.pod_rt(slot).map(|p| p.snapshot());
        if let Some(pod) = snap {
            let spec = pod.pod.clone();
            self.watch_event(WatchType::Added, Snapshot::Pod(pod));
            self.pod_changed(&spec, false);
        }
        // A new Pod frees no capacity: only it is tried now (the Pods already
        // waiting are retried when capacity frees, `remove_pod`). This keeps
        // a burst of unschedulable Pods linear, not quadratic.
        self.schedule_new(slot);
        ApplyResult::Created { kind: "Pod", name }
    }

    pub(super) fn flush_pods(&mut self) {
        if !self.pods.has_dirty() {
            return;
        }
        for slot in self.pods.take_dirty() {
            let Some(p) = self.pod_rt_mut(slot) else { continue };
            p.dirty = false;
            if p.status == p.published && p.server.deletion_ms == p.published_deletion && !p.meta_changed {
                continue;
            }
            p.meta_changed = false;
            p.published = p.status.clone();
            p.published_deletion = p.server.deletion_ms;
            let rv = self.next_resource_version();
            let Some(p) = self.pod_rt_mut(slot) else { continue };
            p.server.resource_version = rv;
            let pod = p.snapshot();
            let spec = pod.pod.clone();
            self.watch_event(WatchType::Modified, Snapshot::Pod(pod));
            self.pod_changed(&spec, false);
        }
    }

    /// Something a probe may observe changed in the Pod: cached probe
    /// successes no longer hold, and sleeping probe workers wake.
    pub(crate) fn bump_version(&mut self, slot: u32) {
        if let Some(p) = self.pods.get_mut(slot) {
            p.version += 1;
            if p.sleeping > 0 {
                p.sleeping = 0;
                self.probe_wake.push(slot);
            }
        }
    }

    /// Re-arms the sleeping probe workers of the Pods in `probe_wake` at the
    /// tick each would have run next: the first one after the timer that ran
    /// last (`cursor`), counting the ticks skipped as the successes they
    /// would have been.
    pub(super) fn wake_probes(&mut self) {
        let (cur_at, cur_tie) = self.clock.cursor();
        for slot in std::mem::take(&mut self.probe_wake) {
            let mut arm = Vec::new();
            let Some(p) = self.pod_rt_mut(slot) else { continue };
            for (c, cr) in p.cs.iter_mut().enumerate() {
                for (kind, w) in ProbeKind::ALL.into_iter().zip(cr.probes.iter_mut()) {
                    let Some(last) = w.asleep_since.take() else { continue };
                    let period = w.hot.period_ms.max(1);
                    let tie = clock::probe_tie(slot, c as u16, kind);
                    let mut n = cur_at.saturating_sub(last).div_ceil(period).max(1);
                    if last + n * period == cur_at && tie <= cur_tie {
                        n += 1;
                    }
                    w.run = w.run.saturating_add(i32::try_from(n - 1).unwrap_or(i32::MAX));
                    arm.push((last + n * period, c as u16, kind));
                }
            }
            for (at, c, probe) in arm {
                self.schedule(at, slot, PodTimer::ProbeTick { c, probe });
            }
        }
    }

    pub(crate) fn mark_dirty(&mut self, slot: u32) {
        self.endpoints.pod_changed(slot);
        self.bump_version(slot);
        self.pods.mark_dirty(slot);
    }

    /// Removes a Pod object (the API server's final delete).
    pub(crate) fn remove_pod(&mut self, slot: u32) {
        self.flush();
        let Some(p) = self.pods.remove(slot) else { return };
        self.keep_finished_job_pod(&p);
        if let Some(ip) = p.status.pod_ip {
            self.pod_ips.remove(ip);
        }
        self.endpoints.leave(&mut self.services, slot, &p);
        if let Some(n) = p.node {
            let node = &mut self.nodes[n];
            node.requested_cpu -= p.requests.0;
            node.requested_mem -= p.requests.1;
            node.nonzero_cpu -= p.nonzero_requests.0;
            node.nonzero_mem -= p.nonzero_requests.1;
            node.pods = node.pods.saturating_sub(1);
        }
        self.scheduler.forget(slot);
        let mut snap = p.snapshot();
        snap.server.resource_version = self.next_resource_version();
        let spec = snap.pod.clone();
        self.watch_event(WatchType::Deleted, Snapshot::Pod(snap));
        self.pod_changed(&spec, true);
        self.update_endpoints();
        // Freed capacity may let a pending Pod schedule.
        self.schedule_pending();
    }
}
