//! The DaemonSet controller (`pkg/controller/daemon/daemon_controller.go`):
//! one Pod per node that should run it (`NodeShouldRunDaemonPod`: the
//! template's nodeSelector and required node affinity match, and no
//! NoSchedule/NoExecute taint is left untolerated once the DaemonSet's own
//! tolerations are added), following nodes as they join, change or fail.
//! Pods are named `<ds>-<5 chars>` and pinned with node affinity on
//! `metadata.name` (`ReplaceDaemonSetPodNodeNameNodeAffinity`), so the
//! scheduler binds them.

use super::controllers::{controller_ref, obj_ref, ControllerWork, CONTROLLER_HOP_MS, NAME_ALPHABET};
use super::nodes::{matches_node_affinity, untolerated_taint, TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE};
use super::{Sim, WatchType};
use crate::core::api::*;
use crate::core::status::*;
use crate::core::time::{Millis, SECOND_MS};
use std::sync::Arc;

pub(crate) struct DaemonSetRt {
    pub ds: Arc<DaemonSet>,
    pub server: ServerMeta,
    /// `metadata.generation`: bumped by any spec change.
    pub generation: i64,
    /// `spec.templateGeneration` (the `deprecated.daemonset.template.generation`
    /// annotation of apps/v1): bumped by a template change only
    /// (`PrepareForUpdate`, pkg/registry/apps/daemonset/strategy.go).
    pub template_generation: i64,
    /// The current ControllerRevision's hash (`ComputeHash` of the template).
    pub hash: String,
    pub status: DaemonSetStatus,
    /// What the watch stream last saw.
    pub published: Option<DaemonSetSnapshot>,
    /// Its ControllerRevisions, oldest first.
    pub revisions: Vec<ControllerRevisionSnapshot>,
}

impl DaemonSetRt {
    fn snapshot(&self) -> DaemonSetSnapshot {
        DaemonSetSnapshot {
            daemon_set: self.ds.clone(),
            server: self.server.clone(),
            generation: self.generation,
            template_generation: self.template_generation,
            status: self.status.clone(),
        }
    }
}

super::controllers::published!(DaemonSetRt, DaemonSetSnapshot, DaemonSet);

/// An `apps/v1 ControllerRevision` of a DaemonSet (`constructHistory` /
/// `snapshot`, pkg/controller/daemon/update.go): named `<ds>-<hash>`, the
/// template's labels plus `controller-revision-hash`, the DaemonSet's
/// annotations, owned by it, `revision` one above the highest so far; a
/// template the history already has (a rollback) takes a new revision
/// number instead of a new object.
#[derive(Clone, Debug, PartialEq)]
pub struct ControllerRevisionSnapshot {
    pub name: String,
    pub namespace: String,
    pub server: ServerMeta,
    pub hash: String,
    pub revision: i64,
    pub template: Arc<PodTemplate>,
    /// The DaemonSet's annotations when the revision was made.
    pub annotations: std::collections::BTreeMap<String, String>,
    /// The owning DaemonSet's name and uid.
    pub owner: (String, String),
}

/// What `kubectl get daemonsets` prints (`DaemonSetStatus`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DaemonSetStatus {
    pub desired: i32,
    pub current: i32,
    pub ready: i32,
    /// `updatedNumberScheduled`: nodes whose (oldest) daemon Pod runs the
    /// current template (kubectl's UP-TO-DATE).
    pub updated: i32,
    pub available: i32,
    /// `numberUnavailable`: desired minus available.
    pub unavailable: i32,
    pub observed_generation: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DaemonSetSnapshot {
    pub daemon_set: Arc<DaemonSet>,
    pub server: ServerMeta,
    pub generation: i64,
    /// The `deprecated.daemonset.template.generation` annotation.
    pub template_generation: i64,
    pub status: DaemonSetStatus,
}

/// The label naming a DaemonSet Pod's ControllerRevision hash
/// (`apps.DefaultDaemonSetUniqueLabelKey`).
pub const REVISION_HASH_LABEL: &str = "controller-revision-hash";
/// The DaemonSet annotation carrying `spec.templateGeneration` in apps/v1
/// (`appsv1.DeprecatedTemplateGeneration`, pkg/apis/apps/v1/conversion.go).
pub const TEMPLATE_GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";

/// The template generation label (`extensions.DaemonSetTemplateGenerationKey`).
pub const TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";

const SOURCE: &str = "daemonset-controller";

/// What the controller needs to know of one of its Pods.
struct DaemonPod {
    slot: u32,
    created_ms: Millis,
    name: String,
    /// `IsPodUpdated`: the hash or the template generation label matches.
    updated: bool,
    deleting: bool,
    ready: bool,
    available: bool,
}

/// `SurgeCount` and `UnavailableCount` (pkg/controller/daemon/util), both
/// rounded up from `desired`, with `updatedDesiredNodeCounts`' fallback to
/// unavailable 1 when both are 0. OnDelete: (0, 0).
fn surge_and_unavailable(strategy: DaemonSetUpdateStrategy, desired: i32) -> (i32, i32) {
    match strategy {
        DaemonSetUpdateStrategy::OnDelete => (0, 0),
        DaemonSetUpdateStrategy::RollingUpdate { max_surge, max_unavailable } => {
            let surge = max_surge.scaled(desired, true).max(0);
            let mut unavailable = max_unavailable.scaled(desired, true).max(0);
            if desired > 0 && surge == 0 && unavailable == 0 {
                unavailable = 1;
            }
            (surge, unavailable)
        }
    }
}

/// `AddOrUpdateDaemonPodTolerations` (pkg/controller/daemon/util): a
/// DaemonSet Pod stays on a failing node and may go to a cordoned or
/// pressured one.
pub(crate) fn daemon_tolerations(spec: &mut PodSpec) {
    let wanted = [
        Toleration::exists_for(TAINT_NOT_READY, TaintEffect::NoExecute, None),
        Toleration::exists_for(TAINT_UNREACHABLE, TaintEffect::NoExecute, None),
        Toleration::exists_for("node.kubernetes.io/disk-pressure", TaintEffect::NoSchedule, None),
        Toleration::exists_for("node.kubernetes.io/memory-pressure", TaintEffect::NoSchedule, None),
        Toleration::exists_for("node.kubernetes.io/pid-pressure", TaintEffect::NoSchedule, None),
        Toleration::exists_for(TAINT_UNSCHEDULABLE, TaintEffect::NoSchedule, None),
    ];
    for t in wanted {
        if !spec.tolerations.iter().any(|x| x.key == t.key && x.effect == t.effect) {
            spec.tolerations.push(t);
        }
    }
}

impl Sim {
    /// `kubectl apply` of a DaemonSet: created, or updated in place. An
    /// update may change anything but `spec.selector`
    /// (`ValidateDaemonSetSpecUpdate`: `ValidateImmutableField`); a new
    /// template bumps the generation and the template generation, any other
    /// spec change the generation only (`PrepareForUpdate`).
    pub(crate) fn create_daemon_set(&mut self, ds: DaemonSet) -> super::ApplyResult {
        let key = (ds.metadata.namespace.clone(), ds.metadata.name.clone());
        let name = ds.metadata.name.clone();
        if let Some(existing) = self.controllers.daemon_sets.get_mut(&key) {
            let mut incoming = ds;
            incoming.metadata.pos = existing.ds.metadata.pos;
            if *existing.ds == incoming {
                return super::ApplyResult::Unchanged { kind: "DaemonSet", name };
            }
            if incoming.selector != existing.ds.selector {
                return super::ApplyResult::Refused {
                    kind: "DaemonSet",
                    message: format!(
                        "The DaemonSet \"{name}\" is invalid: spec.selector: Invalid value: {}: field is immutable",
                        go_label_selector(&incoming.selector)
                    ),
                    name,
                };
            }
            let old = &existing.ds;
            if old.template != incoming.template {
                existing.template_generation += 1;
                existing.generation += 1;
                existing.hash = super::controllers::template_hash(&incoming.template);
            } else if old.min_ready_seconds != incoming.min_ready_seconds
                || old.update_strategy != incoming.update_strategy
            {
                existing.generation += 1;
            }
            existing.ds = Arc::new(incoming);
            self.publish(|s| &mut s.controllers.daemon_sets, &key);
            self.record_revision(&key);
            self.enqueue(ControllerWork::DaemonSet(key.0, key.1), self.now() + CONTROLLER_HOP_MS);
            return super::ApplyResult::Configured { kind: "DaemonSet", name };
        }
        let server = self.new_server_meta();
        let hash = super::controllers::template_hash(&ds.template);
        let rt = DaemonSetRt {
            ds: Arc::new(ds),
            server,
            generation: 1,
            template_generation: 1,
            hash,
            status: DaemonSetStatus::default(),
            published: None,
            revisions: Vec::new(),
        };
        self.insert_published(|s| &mut s.controllers.daemon_sets, key.clone(), rt);
        self.record_revision(&key);
        self.enqueue(ControllerWork::DaemonSet(key.0, key.1), self.now() + CONTROLLER_HOP_MS);
        super::ApplyResult::Created { kind: "DaemonSet", name }
    }

    /// Nodes changed: every DaemonSet hears of it one hop later.
    pub(crate) fn nodes_changed_for_controllers(&mut self) {
        let keys: Vec<(String, String)> = self.controllers.daemon_sets.keys().cloned().collect();
        for (ns, name) in keys {
            self.enqueue(ControllerWork::DaemonSet(ns, name), self.now() + CONTROLLER_HOP_MS);
        }
    }

    /// The DaemonSet's Pods by node index, oldest first
    /// (`getNodesToDaemonPods`, `podByCreationTimestampAndPhase`);
    /// terminating Pods included.
    fn daemon_pods_by_node(&self, ns: &str, rt: &DaemonSetRt) -> Vec<Vec<DaemonPod>> {
        let mut on_node: Vec<Vec<DaemonPod>> = (0..self.nodes.len()).map(|_| Vec::new()).collect();
        let generation = rt.template_generation.to_string();
        for slot in self.owned_pods(&rt.server.uid) {
            let Some(p) = self.pod_rt(slot) else { continue };
            let meta = &p.pod.metadata;
            if meta.namespace != ns {
                continue;
            }
            // Its node: where it is bound, else the one its affinity names.
            let target = || {
                p.pod
                    .spec
                    .required_node_affinity
                    .first()
                    .and_then(|t| t.match_fields.first())
                    .and_then(|f| f.values.first())
            };
            let Some(i) = p.node.or_else(|| target().and_then(|n| self.nodes.iter().position(|x| &x.cfg.name == n)))
            else {
                continue;
            };
            let ready_since =
                p.status.condition(ConditionType::Ready).filter(|c| c.status).map(|c| c.last_transition_ms);
            on_node[i].push(DaemonPod {
                slot,
                created_ms: p.server.creation_ms,
                name: meta.name.clone(),
                updated: meta.labels.get(REVISION_HASH_LABEL) == Some(&rt.hash)
                    || meta.labels.get(TEMPLATE_GENERATION_LABEL) == Some(&generation),
                deleting: p.server.deletion_ms.is_some(),
                ready: ready_since.is_some(),
                available: super::controllers::available(ready_since, rt.ds.min_ready_seconds, self.now()),
            });
        }
        for pods in &mut on_node {
            crate::core::sort::sort_by(pods, |a, b| (a.created_ms, &a.name).cmp(&(b.created_ms, &b.name)));
        }
        on_node
    }

    /// `syncDaemonSet`: `manage` creates the missing Pods and deletes those
    /// on nodes that should no longer run them (and the extra ones); when it
    /// had nothing to do (the expectations are satisfied), `rollingUpdate`
    /// replaces old-template Pods; then the status is written.
    pub(crate) fn sync_daemon_set(&mut self, ns: &str, name: &str) {
        let key = (ns.to_string(), name.to_string());
        let Some(rt) = self.controllers.daemon_sets.get(&key) else { return };
        let ds = rt.ds.clone();
        let uid = rt.server.uid.clone();
        let (hash, template_generation, generation) = (rt.hash.clone(), rt.template_generation, rt.generation);
        let mut template = ds.template.spec.clone();
        daemon_tolerations(&mut template);
        let on_node = self.daemon_pods_by_node(ns, rt);
        // `NodeShouldRunDaemonPod`: (shouldRun, shouldContinueRunning); a
        // NoExecute taint is the taint eviction controller's business.
        let fits: Vec<(bool, bool)> = self
            .nodes
            .iter()
            .map(|n| {
                let affinity = matches_node_affinity(&template, &n.cfg);
                (affinity && untolerated_taint(&n.cfg.taints, &template.tolerations).is_none(), affinity)
            })
            .collect();
        let desired = fits.iter().filter(|f| f.0).count() as i32;
        let (max_surge, max_unavailable) = surge_and_unavailable(ds.update_strategy, desired);
        // `AllowsSurge`: SurgeCount(ds, 1) > 0.
        let surging = surge_and_unavailable(ds.update_strategy, 1).0 > 0;
        let mut create: Vec<usize> = Vec::new();
        let mut delete: Vec<u32> = Vec::new();
        // `manage` → `podsShouldBeOnNode`.
        for (i, pods) in on_node.iter().enumerate() {
            let (should_run, should_continue) = fits[i];
            let running: Vec<&DaemonPod> = pods.iter().filter(|p| !p.deleting).collect();
            if should_run && pods.is_empty() {
                create.push(i);
            } else if !should_continue {
                delete.extend(running.iter().map(|p| p.slot));
            } else if !surging {
                // More than one: all but the oldest go.
                delete.extend(running.iter().skip(1).map(|p| p.slot));
            } else if running.is_empty() {
                if should_run {
                    create.push(i);
                }
            } else {
                // Surging: an old and a new Pod may share the node while the
                // new one is not available yet; every other Pod goes.
                let oldest_new = running.iter().find(|p| p.updated);
                let oldest_old = running.iter().find(|p| !p.updated);
                for p in &running {
                    if oldest_new.map(|n| n.slot) != Some(p.slot) && oldest_old.map(|o| o.slot) != Some(p.slot) {
                        delete.push(p.slot);
                    }
                }
                if let (Some(new), Some(old)) = (oldest_new, oldest_old) {
                    if !old.ready || new.available {
                        delete.push(old.slot);
                    }
                }
            }
        }
        if create.is_empty()
            && delete.is_empty()
            && matches!(ds.update_strategy, DaemonSetUpdateStrategy::RollingUpdate { .. })
        {
            (create, delete) = rolling_update(&on_node, &fits, max_surge, max_unavailable);
        }
        // `syncNodes`: creations first, then deletions.
        for i in create {
            let node = self.nodes[i].cfg.name.clone();
            self.create_daemon_pod(&ds, &uid, &template, &node, &hash, template_generation);
        }
        for slot in delete {
            let Some(p) = self.pod_rt(slot) else { continue };
            if p.server.deletion_ms.is_some() {
                continue;
            }
            let pod = p.pod.metadata.name.clone();
            // The event follows the DELETE call, before the kubelet stops the Pod.
            self.record_controller(
                obj_ref("DaemonSet", ns, name, &uid),
                "SuccessfulDelete",
                format!("Deleted pod: {pod}"),
                SOURCE,
            );
            let _ = self.delete_pod(ns, &pod, None);
        }
        // `updateDaemonSetStatus`: each scheduled node counts its oldest Pod.
        let Some(rt) = self.controllers.daemon_sets.get(&key) else { return };
        let on_node = self.daemon_pods_by_node(ns, rt);
        let mut status = DaemonSetStatus { desired, observed_generation: generation, ..DaemonSetStatus::default() };
        for (i, pods) in on_node.iter().enumerate() {
            let Some(pod) = pods.first().filter(|_| fits[i].0) else { continue };
            status.current += 1;
            status.ready += pod.ready as i32;
            status.available += (pod.ready && pod.available) as i32;
            status.updated += pod.updated as i32;
        }
        status.unavailable = status.desired - status.available;
        // Resynced after minReadySeconds while some Pod is ready but not yet available.
        if ds.min_ready_seconds > 0 && status.ready != status.available {
            self.enqueue(
                ControllerWork::DaemonSet(key.0.clone(), key.1.clone()),
                self.now() + ds.min_ready_seconds as Millis * SECOND_MS,
            );
        }
        if let Some(rt) = self.controllers.daemon_sets.get_mut(&key) {
            rt.status = status;
        }
        self.publish(|s| &mut s.controllers.daemon_sets, &key);
    }

    /// The DaemonSet's current template has a ControllerRevision: a new one
    /// (ADDED), or, for a template it had before, the old one renumbered
    /// (MODIFIED). Its uid is derived from the DaemonSet's and the hash, so
    /// revisions draw nothing from the id generator.
    fn record_revision(&mut self, key: &(String, String)) {
        let now = self.now();
        let Some(rt) = self.controllers.daemon_sets.get(key) else { return };
        let next = rt.revisions.iter().map(|r| r.revision).max().unwrap_or(0) + 1;
        if rt.revisions.iter().any(|r| r.hash == rt.hash && r.revision == next - 1) {
            return;
        }
        let rv = self.next_resource_version();
        let Some(rt) = self.controllers.daemon_sets.get_mut(key) else { return };
        let (hash, ds_uid) = (rt.hash.clone(), rt.server.uid.clone());
        let mut annotations = rt.ds.metadata.annotations.clone();
        annotations.insert(TEMPLATE_GENERATION_ANNOTATION.into(), rt.template_generation.to_string());
        let (type_, snap) = match rt.revisions.iter().position(|r| r.hash == hash) {
            Some(i) => {
                let mut r = rt.revisions.remove(i);
                r.revision = next;
                r.server.resource_version = rv;
                (WatchType::Modified, r)
            }
            None => {
                let server = ServerMeta {
                    uid: crate::core::rng::derived_uid(&format!("{ds_uid}/{hash}")),
                    creation_ms: now,
                    resource_version: rv,
                    deletion_ms: None,
                    deletion_grace_period_seconds: None,
                };
                let r = ControllerRevisionSnapshot {
                    name: format!("{}-{hash}", key.1),
                    namespace: key.0.clone(),
                    server,
                    hash,
                    revision: next,
                    template: Arc::new(rt.ds.template.clone()),
                    annotations,
                    owner: (key.1.clone(), ds_uid),
                };
                (WatchType::Added, r)
            }
        };
        rt.revisions.push(snap.clone());
        self.watch_event(type_, super::Snapshot::ControllerRevision(snap));
    }

    /// One Pod from `CreatePodTemplate`: the template, the daemon
    /// tolerations, the hash and template generation labels, pinned to `node`.
    fn create_daemon_pod(
        &mut self,
        ds: &DaemonSet,
        uid: &str,
        template: &PodSpec,
        node: &str,
        hash: &str,
        template_generation: i64,
    ) {
        let ns = ds.metadata.namespace.clone();
        let mut prefix = format!("{}-", ds.metadata.name);
        let cut = (0..=58.min(prefix.len())).rev().find(|&i| prefix.is_char_boundary(i)).unwrap_or(0);
        prefix.truncate(cut);
        let Some(name) = (0..100)
            .map(|_| format!("{prefix}{}", self.rng_names.string(NAME_ALPHABET, 5)))
            .find(|c| !self.pods.contains(&ns, c))
        else {
            return;
        };
        let mut spec = template.clone();
        spec.required_node_affinity = vec![NodeSelectorTerm {
            match_expressions: Vec::new(),
            match_fields: vec![NodeSelectorRequirement {
                key: "metadata.name".into(),
                operator: NodeSelectorOperator::In,
                values: vec![node.to_string()],
            }],
        }];
        let involved = obj_ref("DaemonSet", &ns, &ds.metadata.name, uid);
        if self.pods.len() >= super::MAX_PODS {
            let message = format!("Error creating: podplay simulates at most {} Pods", super::MAX_PODS);
            self.record_object(involved, None, EventType::Warning, "FailedCreate", message, SOURCE);
            return;
        }
        if let Some(refusal) = self.admission_refusal(&prefix, &spec) {
            let message = format!("Error creating: {refusal}");
            self.record_object(involved, None, EventType::Warning, "FailedCreate", message, SOURCE);
            return;
        }
        self.record_controller(involved, "SuccessfulCreate", format!("Created pod: {name}"), SOURCE);
        let mut labels = ds.template.labels.clone();
        labels.insert(REVISION_HASH_LABEL.into(), hash.to_string());
        labels.insert(TEMPLATE_GENERATION_LABEL.into(), template_generation.to_string());
        let pod = Pod {
            metadata: ObjectMeta {
                name,
                namespace: ns,
                labels,
                annotations: ds.template.annotations.clone(),
                owner_references: vec![controller_ref("DaemonSet", &ds.metadata.name, uid)],
                generate_name: Some(prefix),
                pos: ds.metadata.pos,
            },
            spec,
        };
        self.create_pod(pod);
    }

    /// `kubectl delete daemonset/NAME`: the DaemonSet goes at once and the
    /// garbage collector deletes its Pods (gracefully) a hop later, as for a
    /// StatefulSet (`delete_stateful_set`; background cascading deletion,
    /// kubernetes.io "Garbage Collection").
    pub(crate) fn delete_daemon_set(&mut self, ns: &str, name: &str) -> Result<(), super::ActionError> {
        let key = (ns.to_string(), name.to_string());
        let rt = self
            .controllers
            .daemon_sets
            .remove(&key)
            .ok_or_else(|| super::ActionError(format!("daemonsets.apps \"{name}\" not found")))?;
        let mut snap = rt.snapshot();
        snap.server.resource_version = self.next_resource_version();
        self.watch_event(WatchType::Deleted, super::Snapshot::DaemonSet(snap));
        // The garbage collector deletes its ControllerRevisions with it.
        for mut r in rt.revisions {
            r.server.resource_version = self.next_resource_version();
            self.watch_event(WatchType::Deleted, super::Snapshot::ControllerRevision(r));
        }
        self.enqueue(ControllerWork::CollectPods(key.0, rt.server.uid), self.now() + CONTROLLER_HOP_MS);
        Ok(())
    }

    /// Snapshots of every DaemonSet, by namespace and name.
    pub fn daemon_sets(&self) -> Vec<DaemonSetSnapshot> {
        self.controllers.daemon_sets.values().map(|rt| rt.snapshot()).collect()
    }

    /// Every DaemonSet's ControllerRevisions, by DaemonSet, oldest first.
    pub fn controller_revisions(&self) -> Vec<ControllerRevisionSnapshot> {
        self.controllers.daemon_sets.values().flat_map(|rt| rt.revisions.iter().cloned()).collect()
    }

    /// `kubectl set image daemonset/NAME CONTAINER=IMAGE` and `kubectl
    /// rollout restart daemonset/NAME`: a new template, applied as
    /// `kubectl apply` of the changed DaemonSet would.
    pub(crate) fn change_daemon_set_template(
        &mut self,
        ns: &str,
        name: &str,
        f: impl FnOnce(&mut PodTemplate),
    ) -> Result<(), super::ActionError> {
        let rt = self
            .controllers
            .daemon_sets
            .get(&(ns.to_string(), name.to_string()))
            .ok_or_else(|| super::ActionError(format!("daemonsets.apps \"{name}\" not found")))?;
        let mut ds = (*rt.ds).clone();
        f(&mut ds.template);
        self.create_daemon_set(ds);
        Ok(())
    }
}

/// `rollingUpdate` (pkg/controller/daemon/update.go): which Pods to delete
/// (maxSurge 0) or on which nodes to create a new Pod first (maxSurge > 0),
/// given each node's Pods and (shouldRun, shouldContinueRunning). Nodes are
/// taken in order where the controller ranges over a Go map.
fn rolling_update(
    on_node: &[Vec<DaemonPod>],
    fits: &[(bool, bool)],
    max_surge: i32,
    max_unavailable: i32,
) -> (Vec<usize>, Vec<u32>) {
    let mut create = Vec::new();
    let mut delete = Vec::new();
    let mut candidates = Vec::new();
    let mut used = 0;
    for (i, pods) in on_node.iter().enumerate() {
        if pods.is_empty() && !fits[i].0 {
            continue;
        }
        // `findUpdatedPodsOnNode`: at most one new and one old live Pod.
        let live: Vec<&DaemonPod> = pods.iter().filter(|p| !p.deleting).collect();
        let new: Vec<&&DaemonPod> = live.iter().filter(|p| p.updated).collect();
        let old: Vec<&&DaemonPod> = live.iter().filter(|p| !p.updated).collect();
        if new.len() > 1 || old.len() > 1 {
            used += 1;
            continue;
        }
        let (new, old) = (new.first(), old.first());
        if max_surge == 0 {
            // Delete just enough old Pods to stay within maxUnavailable; a
            // node without a live Pod, or with a new Pod not yet available,
            // counts against it; an unavailable old Pod is replaced at once.
            match (new, old) {
                (None, None) | (Some(_), Some(_)) => used += 1,
                (Some(n), None) => used += !n.available as i32,
                (None, Some(o)) if !o.available => {
                    delete.push(o.slot);
                    used += 1;
                }
                (None, Some(_)) if used >= max_unavailable => {}
                (None, Some(o)) => candidates.push(o.slot),
            }
        } else {
            // Create a new Pod beside an old one (at most maxSurge at a
            // time), delete the old one once the new one is available.
            match (new, old) {
                (_, None) => {}
                (None, Some(o)) if !o.available => {
                    if fits[i].0 {
                        create.push(i);
                    } else {
                        delete.push(o.slot);
                    }
                }
                (None, Some(_)) if !fits[i].0 || used >= max_surge => {}
                (None, Some(_)) => candidates.push(i as u32),
                (Some(n), Some(_)) if !n.available => used += 1,
                (Some(_), Some(o)) => delete.push(o.slot),
            }
        }
    }
    let budget = if max_surge == 0 { max_unavailable } else { max_surge };
    let room = (budget - used).clamp(0, candidates.len() as i32) as usize;
    candidates.truncate(room);
    if max_surge == 0 {
        delete.extend(candidates);
    } else {
        create.extend(candidates.into_iter().map(|i| i as usize));
    }
    (create, delete)
}

/// A label selector as `field.Invalid` prints it (`%#v` of a
/// `v1.LabelSelector`).
fn go_label_selector(sel: &LabelSelector) -> String {
    let labels: Vec<String> = sel.match_labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    let labels = if sel.match_labels.is_empty() {
        "map[string]string(nil)".to_string()
    } else {
        format!("map[string]string{{{}}}", labels.join(", "))
    };
    let exprs = if sel.match_expressions.is_empty() {
        "[]v1.LabelSelectorRequirement(nil)".to_string()
    } else {
        let items: Vec<String> = sel
            .match_expressions
            .iter()
            .map(|e| {
                let values = if e.values.is_empty() {
                    "[]string(nil)".to_string()
                } else {
                    format!("[]string{{{}}}", e.values.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", "))
                };
                format!(
                    "v1.LabelSelectorRequirement{{Key:{:?}, Operator:{:?}, Values:{values}}}",
                    e.key,
                    e.operator.as_str()
                )
            })
            .collect();
        format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{exprs}}}")
}
