//! The ReplicaSet and Deployment controllers of kube-controller-manager and
//! the garbage collector's cascading delete, as far as Pods need them.
//!
//! Sources (kubernetes/kubernetes):
//! * `pkg/controller/replicaset/replica_set.go` — `syncReplicaSet`,
//!   `manageReplicas`, `getPodsToDelete`; `replica_set_utils.go` —
//!   `calculateStatus`; `pkg/controller/controller_utils.go` —
//!   `ActivePodsWithRanks`, `FilterActivePods`;
//! * `pkg/controller/deployment/` — `sync.go` (`getNewReplicaSet`,
//!   `scaleReplicaSetAndRecordEvent`, `calculateStatus`, `cleanupDeployment`),
//!   `rolling.go` (`reconcileNewReplicaSet`, `reconcileOldReplicaSets`,
//!   `cleanupUnhealthyReplicas`, `scaleDownOldReplicaSetsForRollingUpdate`),
//!   `recreate.go`, `progress.go`; `util/deployment_util.go`
//!   (`NewRSNewReplicas`, `MaxUnavailable`, `MaxSurge`, `ResolveFenceposts`);
//! * `pkg/controller/controller_utils.go` `ComputeHash` (FNV-32a, then
//!   `rand.SafeEncodeString`), `apimachinery/pkg/util/rand`.
//!
//! Controllers see changes through informers: here every hop (a Pod change
//! reaching the ReplicaSet controller, a ReplicaSet change reaching the
//! Deployment controller, an object reaching the garbage collector) takes
//! [`CONTROLLER_HOP_MS`]. A sync then acts at once, as the real controllers
//! do within one work-queue item.

use super::action::ControllerKind;
use super::{Sim, Snapshot, WatchType};
use crate::core::api::*;
use crate::core::status::*;
use crate::core::store::Store;
use crate::core::time::{Millis, SECOND_MS};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Latency of one informer hop into a controller's work queue (watch
/// delivery plus queue): small and fixed, so traces are readable.
pub const CONTROLLER_HOP_MS: Millis = 10;
/// The ReplicaSet controller creates or deletes at most this many Pods per
/// sync (`BurstReplicas`).
pub const BURST_REPLICAS: i32 = 500;
pub use crate::core::manifest::MAX_REPLICAS;
/// The alphabet of generated names and template hashes
/// (`apimachinery/pkg/util/rand`).
pub const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
pub const DESIRED_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/max-replicas";
pub const TEMPLATE_HASH_LABEL: &str = "pod-template-hash";
pub const RESTARTED_AT_ANNOTATION: &str = "kubectl.kubernetes.io/restartedAt";

/// Work for the controllers, in the order they are processed at one instant.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ControllerWork {
    Deployment(String, String),
    ReplicaSet(String, String),
    /// The garbage collector deletes a ReplicaSet whose owner is gone.
    CollectReplicaSet(String, String),
    /// The garbage collector deletes the Pods owned by this uid.
    CollectPods(String, String),
    DaemonSet(String, String),
    Job(String, String),
    StatefulSet(String, String),
    CronJob(String, String),
}

impl ControllerWork {
    /// The queue's key: the variant's index as the first character of the
    /// namespace, so the (namespace, name) Store orders work exactly as
    /// `ControllerWork`'s derived `Ord` does (variant, namespace, name).
    pub(crate) fn into_key(self) -> (String, String) {
        let (i, ns, name) = match self {
            ControllerWork::Deployment(ns, n) => (0, ns, n),
            ControllerWork::ReplicaSet(ns, n) => (1, ns, n),
            ControllerWork::CollectReplicaSet(ns, n) => (2, ns, n),
            ControllerWork::CollectPods(ns, n) => (3, ns, n),
            ControllerWork::DaemonSet(ns, n) => (4, ns, n),
            ControllerWork::Job(ns, n) => (5, ns, n),
            ControllerWork::StatefulSet(ns, n) => (6, ns, n),
            ControllerWork::CronJob(ns, n) => (7, ns, n),
        };
        (format!("{}{ns}", char::from(b'0' + i)), name)
    }

    pub(crate) fn from_key((tagged, name): (String, String)) -> ControllerWork {
        let ns = tagged[1..].to_string();
        match tagged.as_bytes()[0] {
            b'0' => ControllerWork::Deployment(ns, name),
            b'1' => ControllerWork::ReplicaSet(ns, name),
            b'2' => ControllerWork::CollectReplicaSet(ns, name),
            b'3' => ControllerWork::CollectPods(ns, name),
            b'4' => ControllerWork::DaemonSet(ns, name),
            b'5' => ControllerWork::Job(ns, name),
            b'6' => ControllerWork::StatefulSet(ns, name),
            _ => ControllerWork::CronJob(ns, name),
        }
    }
}

/// A controller object (ReplicaSet, Deployment, Job, StatefulSet) whose
/// state the engine publishes as watch events: what [`Sim::publish`] needs.
pub(crate) trait Published {
    type Snapshot: Clone + PartialEq;
    fn snapshot(&self) -> Self::Snapshot;
    /// What was last published.
    fn published(&mut self) -> &mut Option<Self::Snapshot>;
    fn server_mut(&mut self) -> &mut ServerMeta;
    fn server(snap: &mut Self::Snapshot) -> &mut ServerMeta;
    /// Its watch event.
    /// The snapshot as a watch event carries it.
    fn object(snap: Self::Snapshot) -> Snapshot;
}

/// `Published` for a runtime type with `snapshot()`, `published` and
/// `server`, whose snapshot has `server`, and its [`Snapshot`](super::Snapshot) variant.
macro_rules! published {
    ($rt:ty, $snap:ty, $variant:ident) => {
        impl $crate::core::engine::controllers::Published for $rt {
            type Snapshot = $snap;
            fn snapshot(&self) -> $snap {
                <$rt>::snapshot(self)
            }
            fn published(&mut self) -> &mut Option<$snap> {
                &mut self.published
            }
            fn server_mut(&mut self) -> &mut $crate::core::status::ServerMeta {
                &mut self.server
            }
            fn server(snap: &mut $snap) -> &mut $crate::core::status::ServerMeta {
                &mut snap.server
            }
            fn object(snap: $snap) -> $crate::core::engine::Snapshot {
                $crate::core::engine::Snapshot::$variant(snap)
            }
        }
    };
}
pub(crate) use published;

published!(ReplicaSetRt, ReplicaSetSnapshot, ReplicaSet);
published!(DeploymentRt, DeploymentSnapshot, Deployment);

pub(crate) struct ReplicaSetRt {
    pub rs: Arc<ReplicaSet>,
    pub server: ServerMeta,
    pub generation: i64,
    pub status: ReplicaSetStatus,
    /// What was last published (ADDED/MODIFIED).
    pub published: Option<ReplicaSetSnapshot>,
}

pub(crate) struct DeploymentRt {
    pub d: Arc<Deployment>,
    pub server: ServerMeta,
    pub generation: i64,
    pub status: DeploymentStatus,
    pub published: Option<DeploymentSnapshot>,
}

impl ReplicaSetRt {
    pub fn snapshot(&self) -> ReplicaSetSnapshot {
        ReplicaSetSnapshot {
            replica_set: self.rs.clone(),
            server: self.server.clone(),
            generation: self.generation,
            status: self.status.clone(),
        }
    }
    fn owner_uid(&self) -> Option<&str> {
        self.rs.metadata.owner_references.iter().find(|o| o.controller).map(|o| o.uid.as_str())
    }
    fn revision(&self) -> i64 {
        self.rs.metadata.annotations.get(REVISION_ANNOTATION).and_then(|r| r.parse().ok()).unwrap_or(0)
    }
}

impl DeploymentRt {
    pub fn snapshot(&self) -> DeploymentSnapshot {
        DeploymentSnapshot {
            deployment: self.d.clone(),
            server: self.server.clone(),
            generation: self.generation,
            status: self.status.clone(),
        }
    }
}

/// `ComputeHash`: FNV-32a over the template, the decimal number mapped
/// through `rand.SafeEncodeString` (so `3791524671` → `7c5f9b4d5c`-style
/// strings of `bcdf…` and digits). podplay hashes the template's JSON, not
/// Go's `DeepHashObject` dump, so the value differs from a real cluster's
/// but is stable for a given template.
pub fn template_hash(template: &PodTemplate) -> String {
    let text = crate::core::spec_json::pod_template_json(template).to_string();
    let mut h: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h.to_string().bytes().map(|b| NAME_ALPHABET[b as usize % NAME_ALPHABET.len()] as char).collect()
}

/// Templates equal but for the `pod-template-hash` label (`EqualIgnoreHash`).
fn equal_ignore_hash(a: &PodTemplate, b: &PodTemplate) -> bool {
    let strip = |t: &PodTemplate| {
        let mut labels = t.labels.clone();
        labels.remove(TEMPLATE_HASH_LABEL);
        labels
    };
    strip(a) == strip(b) && a.annotations == b.annotations && a.spec == b.spec
}

/// `MaxSurge` and `MaxUnavailable` after `ResolveFenceposts`: surge rounds
/// up, unavailable down; both 0 becomes unavailable 1; unavailable is at
/// most the replica count.
pub fn surge_and_unavailable(d: &Deployment) -> (i32, i32) {
    match d.spec.strategy {
        DeploymentStrategy::Recreate => (0, 0),
        DeploymentStrategy::RollingUpdate { max_surge, max_unavailable } => {
            let r = d.spec.replicas;
            let surge = max_surge.scaled(r, true).clamp(0, MAX_REPLICAS);
            let mut unavailable = max_unavailable.scaled(r, false).max(0);
            if surge == 0 && unavailable == 0 {
                unavailable = 1;
            }
            (surge, unavailable.min(r))
        }
    }
}

/// What the ReplicaSet controller needs to know of a Pod.
struct PodView {
    /// The Pod (shared, not copied: a sync views every Pod it owns).
    pod: Arc<Pod>,
    assigned: bool,
    node: Option<usize>,
    phase: PodPhase,
    ready_since: Option<Millis>,
    restarts: i32,
    created_ms: Millis,
    deleting: bool,
    labels_match: bool,
}

/// A saturating sum of replica counts.
fn total(counts: impl Iterator<Item = i32>) -> i32 {
    counts.fold(0i32, |a, b| a.saturating_add(b))
}

/// Kubernetes times are stored with second precision: what a controller
/// reads back from a `lastTransitionTime`.
pub(super) fn to_seconds(ms: Millis) -> Millis {
    ms / SECOND_MS * SECOND_MS
}

/// `podutil.IsPodAvailable`: Ready for longer than minReadySeconds.
pub(super) fn available(ready_since: Option<Millis>, min_ready_seconds: i32, now: Millis) -> bool {
    match ready_since {
        None => false,
        Some(_) if min_ready_seconds <= 0 => true,
        Some(t) => to_seconds(t) + min_ready_seconds as Millis * SECOND_MS < now,
    }
}

impl Sim {
    // ---- queue -------------------------------------------------------------

    /// Queues controller work at `at` (the earliest time wins).
    pub(crate) fn enqueue(&mut self, work: ControllerWork, at: Millis) {
        // Work is never due at the instant that queues it: virtual time
        // always moves on between two syncs of the same object.
        let at = at.max(self.now() + 1);
        if self.controllers.queue(work, at) {
            self.schedule_controllers(at);
        }
    }

    /// Runs the controller work due now, in queue order.
    pub(crate) fn run_controllers(&mut self) {
        let now = self.now();
        // Bounded: a sync queues follow-up work one hop later, never now.
        for _ in 0..10_000 {
            let Some(work) = self.controllers.take_due(now) else { break };
            match work {
                ControllerWork::Deployment(ns, name) => self.sync_deployment(&ns, &name),
                ControllerWork::ReplicaSet(ns, name) => self.sync_replica_set(&ns, &name),
                ControllerWork::CollectReplicaSet(ns, name) => self.collect_replica_set(&ns, &name),
                ControllerWork::CollectPods(ns, uid) => self.collect_pods(&ns, &uid),
                ControllerWork::DaemonSet(ns, name) => self.sync_daemon_set(&ns, &name),
                ControllerWork::Job(ns, name) => self.sync_job(&ns, &name),
                ControllerWork::StatefulSet(ns, name) => self.sync_stateful_set(&ns, &name),
                ControllerWork::CronJob(ns, name) => self.sync_cron_job(&ns, &name),
            }
        }
        self.flush();
    }

    /// A Pod changed: its ReplicaSet hears of it one hop later. A deleted
    /// Pod also reaches a Recreate Deployment, which waits for the old Pods
    /// to be gone (`deletePod` in deployment_controller.go).
    pub(crate) fn pod_changed(&mut self, pod: &Pod, deleted: bool) {
        if self.workload_pod_changed(pod) {
            return;
        }
        let Some(owner) = pod.metadata.owner_references.iter().find(|o| o.controller && o.kind == "ReplicaSet") else {
            // An orphan: the ReplicaSets whose selector matches may adopt it
            // (`getPodReplicaSets` in the Pod handlers).
            if !deleted && pod.metadata.owner_references.iter().all(|o| !o.controller) {
                let ns = &pod.metadata.namespace;
                let matching: Vec<String> = self
                    .controllers
                    .replica_sets
                    .range((ns.clone(), String::new())..)
                    .take_while(|((rns, _), _)| rns == ns)
                    .filter(|(_, rt)| rt.rs.spec.selector.matches(&pod.metadata.labels))
                    .map(|((_, name), _)| name.clone())
                    .collect();
                for name in matching {
                    self.enqueue(ControllerWork::ReplicaSet(ns.clone(), name), self.now() + CONTROLLER_HOP_MS);
                }
            }
            return;
        };
        let ns = &pod.metadata.namespace;
        self.enqueue(ControllerWork::ReplicaSet(ns.clone(), owner.name.clone()), self.now() + CONTROLLER_HOP_MS);
        if deleted {
            let deployment = self
                .controllers
                .replica_sets
                .get(&(ns.clone(), owner.name.clone()))
                .and_then(|rs| rs.rs.metadata.owner_references.iter().find(|o| o.controller && o.kind == "Deployment"))
                .map(|o| o.name.clone());
            if let Some(d) = deployment {
                let recreate = self
                    .controllers
                    .deployments
                    .get(&(ns.clone(), d.clone()))
                    .is_some_and(|d| d.d.spec.strategy == DeploymentStrategy::Recreate);
                if recreate {
                    self.enqueue(ControllerWork::Deployment(ns.clone(), d), self.now() + CONTROLLER_HOP_MS);
                }
            }
        }
    }

    // ---- objects -----------------------------------------------------------

    pub(crate) fn create_deployment(&mut self, d: Deployment) -> super::ApplyResult {
        let key = (d.metadata.namespace.clone(), d.metadata.name.clone());
        let name = d.metadata.name.clone();
        if let Some(existing) = self.controllers.deployments.get_mut(&key) {
            // `kubectl apply` of a changed Deployment: a new spec, a new generation.
            let mut current = (*existing.d).clone();
            let mut incoming = d;
            incoming.metadata.annotations.extend(
                current
                    .metadata
                    .annotations
                    .iter()
                    .filter(|(k, _)| k.starts_with("deployment.kubernetes.io/"))
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
            incoming.metadata.pos = current.metadata.pos;
            if incoming == current {
                return super::ApplyResult::Unchanged { kind: "Deployment", name };
            }
            let spec_changed = incoming.spec != current.spec;
            current = incoming;
            existing.d = Arc::new(current);
            if spec_changed {
                existing.generation += 1;
            }
            self.enqueue(ControllerWork::Deployment(key.0.clone(), key.1.clone()), self.now() + CONTROLLER_HOP_MS);
            self.publish_deployment(&key);
            return super::ApplyResult::Configured { kind: "Deployment", name };
        }
        let rt = DeploymentRt {
            d: Arc::new(d),
            server: self.new_server_meta(),
            generation: 1,
            status: DeploymentStatus::default(),
            published: None,
        };
        self.insert_published(|s| &mut s.controllers.deployments, key.clone(), rt);
        self.enqueue(ControllerWork::Deployment(key.0, key.1), self.now() + CONTROLLER_HOP_MS);
        super::ApplyResult::Created { kind: "Deployment", name }
    }

    pub(crate) fn create_replica_set(&mut self, rs: ReplicaSet) -> super::ApplyResult {
        let key = (rs.metadata.namespace.clone(), rs.metadata.name.clone());
        let name = rs.metadata.name.clone();
        if let Some(existing) = self.controllers.replica_sets.get_mut(&key) {
            let mut incoming = rs;
            incoming.metadata.pos = existing.rs.metadata.pos;
            incoming.metadata.owner_references = existing.rs.metadata.owner_references.clone();
            if *existing.rs == incoming {
                return super::ApplyResult::Unchanged { kind: "ReplicaSet", name };
            }
            if existing.rs.spec != incoming.spec {
                existing.generation += 1;
            }
            existing.rs = Arc::new(incoming);
            self.enqueue(ControllerWork::ReplicaSet(key.0.clone(), key.1.clone()), self.now() + CONTROLLER_HOP_MS);
            self.publish_replica_set(&key);
            return super::ApplyResult::Configured { kind: "ReplicaSet", name };
        }
        self.insert_replica_set(rs);
        super::ApplyResult::Created { kind: "ReplicaSet", name }
    }

    fn insert_replica_set(&mut self, rs: ReplicaSet) {
        let key = (rs.metadata.namespace.clone(), rs.metadata.name.clone());
        let rt = ReplicaSetRt {
            rs: Arc::new(rs),
            server: self.new_server_meta(),
            generation: 1,
            status: ReplicaSetStatus::default(),
            published: None,
        };
        self.insert_published(|s| &mut s.controllers.replica_sets, key.clone(), rt);
        self.enqueue(ControllerWork::ReplicaSet(key.0, key.1), self.now() + CONTROLLER_HOP_MS);
    }

    /// Emits MODIFIED when the ReplicaSet differs from what was published;
    /// its Deployment hears of it one hop later.
    fn publish_replica_set(&mut self, key: &(String, String)) {
        if !self.publish(|s| &mut s.controllers.replica_sets, key) {
            return;
        }
        let owner = self.controllers.replica_sets.get(key).and_then(|rt| {
            rt.rs
                .metadata
                .owner_references
                .iter()
                .find(|o| o.controller && o.kind == "Deployment")
                .map(|o| o.name.clone())
        });
        if let Some(d) = owner {
            self.enqueue(ControllerWork::Deployment(key.0.clone(), d), self.now() + CONTROLLER_HOP_MS);
        }
    }

    fn publish_deployment(&mut self, key: &(String, String)) {
        self.publish(|s| &mut s.controllers.deployments, key);
    }

    /// Emits MODIFIED, with the next resourceVersion, when a controller
    /// object differs from what was last published (resourceVersion aside);
    /// true when it did.
    pub(crate) fn publish<R: Published>(
        &mut self,
        store: fn(&mut Sim) -> &mut Store<R>,
        key: &(String, String),
    ) -> bool {
        let Some(rt) = store(self).get_mut(key) else { return false };
        let mut snap = rt.snapshot();
        if let Some(p) = rt.published() {
            R::server(&mut snap).resource_version = R::server(p).resource_version;
            if *p == snap {
                return false;
            }
        }
        let rv = self.next_resource_version();
        let Some(rt) = store(self).get_mut(key) else { return false };
        rt.server_mut().resource_version = rv;
        let snap = rt.snapshot();
        *rt.published() = Some(snap.clone());
        self.watch_event(WatchType::Modified, R::object(snap));
        true
    }

    /// Stores a new object and publishes it (ADDED).
    pub(crate) fn insert_published<R: Published>(
        &mut self,
        store: fn(&mut Sim) -> &mut Store<R>,
        key: (String, String),
        mut rt: R,
    ) {
        let snap = rt.snapshot();
        self.watch_event(WatchType::Added, R::object(snap.clone()));
        *rt.published() = Some(snap);
        store(self).insert(key, rt);
    }

    /// Records an event about a Deployment or ReplicaSet.
    pub(crate) fn record_controller(
        &mut self,
        involved: ObjectRef,
        reason: &str,
        message: String,
        source: &'static str,
    ) {
        self.record_object(involved, None, EventType::Normal, reason, message, source);
    }

    // ---- the ReplicaSet controller -------------------------------------------

    fn pods_of(&self, ns: &str, owner_uid: &str, selector: &LabelSelector) -> Vec<PodView> {
        let mut out = Vec::new();
        for slot in self.owned_pods(owner_uid) {
            let Some(p) = self.pod_rt(slot) else { continue };
            let meta = &p.pod.metadata;
            if meta.namespace != ns {
                continue;
            }
            let ready = p.status.condition(ConditionType::Ready).filter(|c| c.status).map(|c| c.last_transition_ms);
            out.push(PodView {
                pod: p.pod.clone(),
                assigned: p.node.is_some(),
                node: p.node,
                phase: p.status.phase,
                ready_since: ready,
                restarts: total(p.status.container_statuses.iter().map(|c| c.restart_count)),
                created_ms: p.server.creation_ms,
                deleting: p.server.deletion_ms.is_some(),
                labels_match: selector.matches(&meta.labels),
            });
        }
        out
    }

    /// `syncReplicaSet`: compare active Pods with `spec.replicas`, create or
    /// delete the difference, then update the status.
    fn sync_replica_set(&mut self, ns: &str, name: &str) {
        let now = self.now();
        let key = (ns.to_string(), name.to_string());
        let Some(rt) = self.controllers.replica_sets.get(&key) else { return };
        if rt.server.deletion_ms.is_some() {
            return;
        }
        let rs = rt.rs.clone();
        let uid = rt.server.uid.clone();
        let generation = rt.generation;
        self.claim_pods(&rs, &uid);
        let all = self.pods_of(ns, &uid, &rs.spec.selector);
        // `FilterActivePods`: not terminal and not being deleted.
        let active: Vec<&PodView> =
            all.iter().filter(|p| !p.deleting && !matches!(p.phase, PodPhase::Succeeded | PodPhase::Failed)).collect();
        let diff = active.len() as i32 - rs.spec.replicas;
        // The status is computed from the Pods the sync started with.
        let ready = active.iter().filter(|p| p.ready_since.is_some()).count() as i32;
        let avail = active.iter().filter(|p| available(p.ready_since, rs.spec.min_ready_seconds, now)).count() as i32;
        let status = ReplicaSetStatus {
            replicas: active.len() as i32,
            fully_labeled_replicas: active.iter().filter(|p| p.labels_match).count() as i32,
            ready_replicas: ready,
            available_replicas: avail,
            observed_generation: generation,
        };
        if diff < 0 {
            for _ in 0..(-diff).min(BURST_REPLICAS) {
                self.create_pod_for(&rs, &uid);
            }
        } else if diff > 0 {
            let victims = pods_to_delete(&active, diff.min(BURST_REPLICAS) as usize);
            for pod_name in victims {
                // Recorded when the API server accepted the delete, before
                // the kubelet starts stopping the containers.
                self.record_controller(
                    obj_ref("ReplicaSet", ns, name, &uid),
                    "SuccessfulDelete",
                    format!("Deleted pod: {pod_name}"),
                    "replicaset-controller",
                );
                let _ = self.delete_pod(ns, &pod_name, None);
            }
        }
        if let Some(rt) = self.controllers.replica_sets.get_mut(&key) {
            rt.status = status.clone();
        }
        self.publish_replica_set(&key);
        // Ready but not yet available for minReadySeconds: look again then.
        let min_ready = rs.spec.min_ready_seconds;
        if min_ready > 0 && status.ready_replicas == rs.spec.replicas && status.available_replicas != rs.spec.replicas {
            self.enqueue(ControllerWork::ReplicaSet(key.0, key.1), now + min_ready as Millis * SECOND_MS);
        }
    }

    /// `ClaimPods` (pkg/controller/controller_ref_manager.go): active Pods
    /// with no controller whose labels match are adopted (the ReplicaSet
    /// becomes their controller owner); owned Pods whose labels no longer
    /// match are released.
    fn claim_pods(&mut self, rs: &ReplicaSet, rs_uid: &str) {
        let ns = rs.metadata.namespace.clone();
        let mut changed = Vec::new();
        // Only orphans can be adopted and only owned Pods released.
        let orphans = self.pods.orphans_in(&ns);
        let candidates: Vec<u32> = orphans.chain(self.owned_pods(rs_uid)).collect();
        for slot in candidates {
            let Some(p) = self.pod_rt(slot) else { continue };
            let active =
                p.server.deletion_ms.is_none() && !matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed);
            if !active {
                continue;
            }
            let meta = &p.pod.metadata;
            let controller = meta.owner_references.iter().find(|o| o.controller);
            let matches = rs.spec.selector.matches(&meta.labels);
            match controller {
                None if matches => changed.push((slot, true)),
                Some(o) if o.uid == rs_uid && !matches => changed.push((slot, false)),
                _ => {}
            }
        }
        for (slot, adopt) in changed {
            self.pods.index_owner(slot, false);
            let Some(p) = self.pod_rt_mut(slot) else { continue };
            let refs = &mut Arc::make_mut(&mut p.pod).metadata.owner_references;
            if adopt {
                refs.push(controller_ref("ReplicaSet", &rs.metadata.name, rs_uid));
            } else {
                refs.retain(|o| o.uid != rs_uid);
            }
            p.meta_changed = true;
            self.pods.index_owner(slot, true);
            self.mark_dirty(slot);
        }
    }

    /// A new Pod from the ReplicaSet's template, named `<rs>-<5 chars>` as
    /// the API server names from `generateName`.
    fn create_pod_for(&mut self, rs: &ReplicaSet, rs_uid: &str) {
        let ns = rs.metadata.namespace.clone();
        let Some((prefix, name)) = self.generate_pod_name(&ns, &rs.metadata.name) else { return };
        let pod = Pod {
            metadata: ObjectMeta {
                name: name.clone(),
                namespace: ns.clone(),
                labels: rs.spec.template.labels.clone(),
                annotations: rs.spec.template.annotations.clone(),
                owner_references: vec![controller_ref("ReplicaSet", &rs.metadata.name, rs_uid)],
                generate_name: Some(prefix),
                pos: rs.metadata.pos,
            },
            spec: rs.spec.template.spec.clone(),
        };
        if self.pods.len() >= super::MAX_PODS {
            // The API server refused the Pod: `FailedCreate` (a Warning).
            let involved = obj_ref("ReplicaSet", &ns, &rs.metadata.name, rs_uid);
            let message = format!("Error creating: podplay simulates at most {} Pods", super::MAX_PODS);
            self.record_object(involved, None, EventType::Warning, "FailedCreate", message, "replicaset-controller");
            return;
        }
        if let Some(refusal) = self.admission_refusal(pod.metadata.generate_name.as_deref().unwrap_or(""), &pod.spec) {
            let involved = obj_ref("ReplicaSet", &ns, &rs.metadata.name, rs_uid);
            let message = format!("Error creating: {refusal}");
            self.record_object(involved, None, EventType::Warning, "FailedCreate", message, "replicaset-controller");
            return;
        }
        // The controller records the event when the API server accepted the
        // Pod, before the scheduler has looked at it.
        self.record_controller(
            obj_ref("ReplicaSet", &ns, &rs.metadata.name, rs_uid),
            "SuccessfulCreate",
            format!("Created pod: {name}"),
            "replicaset-controller",
        );
        self.create_pod(pod);
    }

    /// A Pod name from `generateName: <owner>-` as the API server makes it:
    /// the prefix cut to 58 characters (`maxGeneratedNameLength`), then 5
    /// random characters; None when no free name was found.
    pub(super) fn generate_pod_name(&mut self, ns: &str, owner: &str) -> Option<(String, String)> {
        self.generate_pod_name_from(ns, format!("{owner}-"))
    }

    /// A free Pod name from a `generateName` prefix (cut to 58 characters,
    /// `names.MaxGeneratedNameLength`) and 5 random characters.
    pub(super) fn generate_pod_name_from(&mut self, ns: &str, mut prefix: String) -> Option<(String, String)> {
        let cut = (0..=58.min(prefix.len())).rev().find(|&i| prefix.is_char_boundary(i)).unwrap_or(0);
        prefix.truncate(cut);
        for _ in 0..100 {
            let candidate = format!("{prefix}{}", self.rng_names.string(NAME_ALPHABET, 5));
            if !self.pods.contains(ns, &candidate) {
                return Some((prefix, candidate));
            }
        }
        None
    }

    // ---- the Deployment controller -------------------------------------------

    /// The ReplicaSets a Deployment owns, oldest first.
    fn replica_sets_of(&self, ns: &str, d_uid: &str) -> Vec<(String, String)> {
        let mut keys: Vec<(Millis, String, (String, String))> = self
            .controllers
            .replica_sets
            .iter()
            .filter(|((rns, _), rt)| rns == ns && rt.owner_uid() == Some(d_uid) && rt.server.deletion_ms.is_none())
            .map(|(k, rt)| (rt.server.creation_ms, k.1.clone(), k.clone()))
            .collect();
        crate::core::sort::sort(&mut keys);
        keys.into_iter().map(|(_, _, k)| k).collect()
    }

    fn sync_deployment(&mut self, ns: &str, name: &str) {
        let key = (ns.to_string(), name.to_string());
        let Some(rt) = self.controllers.deployments.get(&key) else { return };
        let d = rt.d.clone();
        let d_uid = rt.server.uid.clone();
        // A paused Deployment, or a changed replica count (`isScalingEvent`:
        // an active ReplicaSet's desired-replicas annotation differs), is
        // only scaled (`sync`), not rolled out.
        let existing = self.new_replica_set(&key, false);
        let all = self.replica_sets_of(ns, &d_uid);
        let desired = d.spec.replicas.to_string();
        let scaling_event = all.iter().any(|k| {
            self.controllers.replica_sets.get(k).is_some_and(|r| {
                r.rs.spec.replicas > 0
                    && r.rs.metadata.annotations.get(DESIRED_REPLICAS_ANNOTATION).is_some_and(|a| *a != desired)
            })
        });
        if d.spec.paused || scaling_event {
            let old: Vec<(String, String)> = all.iter().filter(|k| Some(*k) != existing.as_ref()).cloned().collect();
            self.scale_deployment_rss(&d, &d_uid, existing.as_ref(), &old);
            self.sync_deployment_status(&key);
            return;
        }
        // Recreate does not create the new ReplicaSet before the old Pods are gone.
        let new_rs = match existing {
            Some(k) => Some(k),
            None if d.spec.strategy != DeploymentStrategy::Recreate => self.new_replica_set(&key, true),
            None => None,
        };
        let all = self.replica_sets_of(ns, &d_uid);
        let old: Vec<(String, String)> = all.iter().filter(|k| Some(*k) != new_rs.as_ref()).cloned().collect();
        match d.spec.strategy {
            DeploymentStrategy::Recreate => self.rollout_recreate(&key, &d, new_rs.as_ref(), &old),
            DeploymentStrategy::RollingUpdate { .. } => {
                let new_rs = new_rs.clone();
                let scaled_up = match &new_rs {
                    Some(n) => self.reconcile_new_rs(&d, &d_uid, n, &all),
                    None => false,
                };
                if !scaled_up {
                    let scaled_down = self.reconcile_old_rss(&d, &d_uid, new_rs.as_ref(), &old, &all);
                    if !scaled_down {
                        self.cleanup_old_rss(&d, &old);
                    }
                }
            }
        }
        self.sync_deployment_status(&key);
    }

    fn rs_spec_replicas(&self, k: &(String, String)) -> i32 {
        self.controllers.replica_sets.get(k).map(|r| r.rs.spec.replicas).unwrap_or(0)
    }

    fn rs_status(&self, k: &(String, String)) -> ReplicaSetStatus {
        self.controllers.replica_sets.get(k).map(|r| r.status.clone()).unwrap_or_default()
    }

    /// `getNewReplicaSet`: the ReplicaSet whose template is the Deployment's
    /// (ignoring the hash label), created if missing, its revision made the
    /// newest; the Deployment's revision annotation follows it.
    fn new_replica_set(&mut self, dkey: &(String, String), create: bool) -> Option<(String, String)> {
        let rt = self.controllers.deployments.get(dkey)?;
        let d = rt.d.clone();
        let d_uid = rt.server.uid.clone();
        let all = self.replica_sets_of(&dkey.0, &d_uid);
        let existing = all
            .iter()
            .find(|k| {
                self.controllers
                    .replica_sets
                    .get(k)
                    .is_some_and(|r| equal_ignore_hash(&r.rs.spec.template, &d.spec.template))
            })
            .cloned();
        let max_old_revision = all
            .iter()
            .filter(|k| Some(*k) != existing.as_ref())
            .filter_map(|k| self.controllers.replica_sets.get(k).map(|r| r.revision()))
            .max()
            .unwrap_or(0);
        let new_revision = max_old_revision + 1;
        let (surge, _) = surge_and_unavailable(&d);
        if let Some(k) = existing {
            let rt = self.controllers.replica_sets.get_mut(&k)?;
            let mut rs = (*rt.rs).clone();
            let mut changed = false;
            if rt.revision() < new_revision {
                rs.metadata.annotations.insert(REVISION_ANNOTATION.into(), new_revision.to_string());
                changed = true;
            }
            if rs.spec.min_ready_seconds != d.spec.min_ready_seconds {
                rs.spec.min_ready_seconds = d.spec.min_ready_seconds;
                rt.generation += 1;
                changed = true;
            }
            if changed {
                rt.rs = Arc::new(rs);
                self.publish_replica_set(&k);
            }
            let revision = self.controllers.replica_sets.get(&k).map(|r| r.revision()).unwrap_or(new_revision);
            self.set_deployment_revision(dkey, revision);
            return Some(k);
        }
        if !create {
            return None;
        }
        // A new ReplicaSet: `<deployment>-<hash>`, the hash label on its
        // template and selector.
        let hash = template_hash(&d.spec.template);
        let rs_name = format!("{}-{hash}", d.metadata.name);
        if self.controllers.replica_sets.contains_key(&(dkey.0.clone(), rs_name.clone())) {
            // A hash collision (`collisionCount`): not simulated.
            return None;
        }
        let mut template = d.spec.template.clone();
        template.labels.insert(TEMPLATE_HASH_LABEL.into(), hash.clone());
        let mut selector = d.spec.selector.clone();
        selector.match_labels.insert(TEMPLATE_HASH_LABEL.into(), hash.clone());
        let old: Vec<(String, String)> = all.clone();
        let replicas = self.new_rs_new_replicas(&d, &old, 0);
        let mut annotations = BTreeMap::new();
        annotations.insert(DESIRED_REPLICAS_ANNOTATION.to_string(), d.spec.replicas.to_string());
        annotations.insert(MAX_REPLICAS_ANNOTATION.to_string(), d.spec.replicas.saturating_add(surge).to_string());
        annotations.insert(REVISION_ANNOTATION.to_string(), new_revision.to_string());
        let rs = ReplicaSet {
            metadata: ObjectMeta {
                name: rs_name.clone(),
                namespace: dkey.0.clone(),
                labels: template.labels.clone(),
                annotations,
                owner_references: vec![controller_ref("Deployment", &d.metadata.name, &d_uid)],
                generate_name: None,
                pos: d.metadata.pos,
            },
            spec: ReplicaSetSpec { replicas, selector, template, min_ready_seconds: d.spec.min_ready_seconds },
        };
        self.insert_replica_set(rs);
        if replicas > 0 {
            self.record_controller(
                obj_ref("Deployment", &dkey.0, &dkey.1, &d_uid),
                "ScalingReplicaSet",
                format!("Scaled up replica set {rs_name} from 0 to {replicas}"),
                "deployment-controller",
            );
        }
        let now = self.now();
        if let Some(rt) = self.controllers.deployments.get_mut(dkey) {
            set_condition(
                &mut rt.status,
                "Progressing",
                true,
                "NewReplicaSetCreated",
                format!("Created new replica set \"{rs_name}\""),
                now,
            );
        }
        self.set_deployment_revision(dkey, new_revision);
        Some((dkey.0.clone(), rs_name))
    }

    fn set_deployment_revision(&mut self, dkey: &(String, String), revision: i64) {
        let Some(rt) = self.controllers.deployments.get_mut(dkey) else { return };
        let text = revision.to_string();
        if rt.d.metadata.annotations.get(REVISION_ANNOTATION) != Some(&text) {
            Arc::make_mut(&mut rt.d).metadata.annotations.insert(REVISION_ANNOTATION.into(), text);
        }
    }

    /// `NewRSNewReplicas`.
    fn new_rs_new_replicas(&self, d: &Deployment, all: &[(String, String)], new_replicas: i32) -> i32 {
        match d.spec.strategy {
            DeploymentStrategy::Recreate => d.spec.replicas,
            DeploymentStrategy::RollingUpdate { .. } => {
                let (surge, _) = surge_and_unavailable(d);
                let current: i32 = total(all.iter().map(|k| self.rs_spec_replicas(k)));
                let max_total = d.spec.replicas.saturating_add(surge);
                if current >= max_total {
                    return new_replicas;
                }
                let up = (max_total - current).min(d.spec.replicas - new_replicas);
                new_replicas + up.max(0)
            }
        }
    }

    /// `scaleReplicaSetAndRecordEvent`; true when the size changed.
    fn scale_rs(&mut self, d: &Deployment, d_uid: &str, k: &(String, String), to: i32) -> bool {
        let (surge, _) = surge_and_unavailable(d);
        let Some(rt) = self.controllers.replica_sets.get_mut(k) else { return false };
        let from = rt.rs.spec.replicas;
        let desired = d.spec.replicas.to_string();
        let max = d.spec.replicas.saturating_add(surge).to_string();
        let annotations_stale = rt.rs.metadata.annotations.get(DESIRED_REPLICAS_ANNOTATION) != Some(&desired)
            || rt.rs.metadata.annotations.get(MAX_REPLICAS_ANNOTATION) != Some(&max);
        if from == to && !annotations_stale {
            return false;
        }
        let rs = Arc::make_mut(&mut rt.rs);
        rs.spec.replicas = to;
        rs.metadata.annotations.insert(DESIRED_REPLICAS_ANNOTATION.into(), desired);
        rs.metadata.annotations.insert(MAX_REPLICAS_ANNOTATION.into(), max);
        if from != to {
            rt.generation += 1;
        }
        self.publish_replica_set(k);
        self.enqueue(ControllerWork::ReplicaSet(k.0.clone(), k.1.clone()), self.now() + CONTROLLER_HOP_MS);
        if from != to {
            let verb = if from < to { "up" } else { "down" };
            self.record_controller(
                obj_ref("Deployment", &k.0, &d.metadata.name, d_uid),
                "ScalingReplicaSet",
                format!("Scaled {verb} replica set {} from {from} to {to}", k.1),
                "deployment-controller",
            );
        }
        from != to
    }

    /// `scale` (sync.go): one active ReplicaSet (or none: the newest) takes
    /// the whole count; a saturated new one leaves the old ones at 0;
    /// otherwise a RollingUpdate Deployment spreads the change over its
    /// active ReplicaSets in proportion to their size
    /// (`GetReplicaSetProportion`), leftovers to the largest.
    fn scale_deployment_rss(
        &mut self,
        d: &Deployment,
        d_uid: &str,
        new_rs: Option<&(String, String)>,
        old: &[(String, String)],
    ) {
        let created = |sim: &Sim, k: &(String, String)| {
            sim.controllers.replica_sets.get(k).map(|r| r.server.creation_ms).unwrap_or(0)
        };
        let mut all: Vec<(String, String)> = old.to_vec();
        all.extend(new_rs.cloned());
        let active: Vec<(String, String)> = all.iter().filter(|k| self.rs_spec_replicas(k) > 0).cloned().collect();
        // `FindActiveOrLatest`.
        let active_or_latest = match active.len() {
            0 => new_rs.cloned().or_else(|| old.iter().max_by_key(|k| (created(self, k), k.1.clone())).cloned()),
            1 => Some(active[0].clone()),
            _ => None,
        };
        if let Some(k) = active_or_latest {
            if self.rs_spec_replicas(&k) != d.spec.replicas {
                self.scale_rs(d, d_uid, &k, d.spec.replicas);
            }
            return;
        }
        // `IsSaturated`.
        let saturated = new_rs.is_some_and(|k| {
            self.controllers.replica_sets.get(k).is_some_and(|r| {
                r.rs.spec.replicas == d.spec.replicas
                    && r.rs.metadata.annotations.get(DESIRED_REPLICAS_ANNOTATION) == Some(&d.spec.replicas.to_string())
                    && r.status.available_replicas == d.spec.replicas
            })
        });
        if saturated {
            for k in old {
                if self.rs_spec_replicas(k) > 0 {
                    self.scale_rs(d, d_uid, k, 0);
                }
            }
            return;
        }
        if d.spec.strategy == DeploymentStrategy::Recreate {
            return;
        }
        let (surge, _) = surge_and_unavailable(d);
        let total: i32 = total(active.iter().map(|k| self.rs_spec_replicas(k)));
        let allowed = if d.spec.replicas > 0 { d.spec.replicas.saturating_add(surge) } else { 0 };
        let to_add = allowed - total;
        let mut sorted = active.clone();
        // `ReplicaSetsBySizeNewer` when growing, `BySizeOlder` when shrinking.
        crate::core::sort::sort_by(&mut sorted, |a, b| {
            let by_size = self.rs_spec_replicas(b).cmp(&self.rs_spec_replicas(a));
            let by_age = (created(self, a), &a.1).cmp(&(created(self, b), &b.1));
            by_size.then(if to_add > 0 { by_age.reverse() } else { by_age })
        });
        let mut added = 0;
        let mut sizes: Vec<i32> = Vec::with_capacity(sorted.len());
        for k in &sorted {
            let replicas = self.rs_spec_replicas(k);
            let proportion = if to_add == 0 || replicas == 0 || to_add == added {
                0
            } else {
                // `getReplicaSetFraction`.
                let fraction = if d.spec.replicas == 0 {
                    -replicas
                } else {
                    let before = self
                        .controllers
                        .replica_sets
                        .get(k)
                        .and_then(|r| r.rs.metadata.annotations.get(MAX_REPLICAS_ANNOTATION))
                        .and_then(|a| a.parse::<i32>().ok())
                        .filter(|&m| m > 0)
                        .or_else(|| {
                            self.controllers
                                .deployments
                                .values()
                                .find(|x| x.server.uid == d_uid)
                                .map(|x| x.status.replicas)
                                .filter(|&r| r > 0)
                        });
                    match before {
                        Some(before) => ((replicas as f64 * allowed as f64) / before as f64).round() as i32 - replicas,
                        None => 0,
                    }
                };
                let room = to_add - added;
                if to_add > 0 {
                    fraction.min(room)
                } else {
                    fraction.max(room)
                }
            };
            sizes.push(replicas + proportion);
            added += proportion;
        }
        if let Some(first) = sizes.first_mut() {
            if to_add != 0 {
                *first = (*first + to_add - added).max(0);
            }
        }
        for (k, size) in sorted.iter().zip(sizes) {
            self.scale_rs(d, d_uid, k, size);
        }
    }

    /// `reconcileNewReplicaSet`.
    fn reconcile_new_rs(
        &mut self,
        d: &Deployment,
        d_uid: &str,
        new_rs: &(String, String),
        all: &[(String, String)],
    ) -> bool {
        let current = self.rs_spec_replicas(new_rs);
        if current == d.spec.replicas {
            return false;
        }
        if current > d.spec.replicas {
            return self.scale_rs(d, d_uid, new_rs, d.spec.replicas);
        }
        let to = self.new_rs_new_replicas(d, all, current);
        self.scale_rs(d, d_uid, new_rs, to)
    }

    /// `reconcileOldReplicaSets`: scale old ReplicaSets down as far as
    /// maxUnavailable allows, unhealthy replicas first.
    fn reconcile_old_rss(
        &mut self,
        d: &Deployment,
        d_uid: &str,
        new_rs: Option<&(String, String)>,
        old: &[(String, String)],
        all: &[(String, String)],
    ) -> bool {
        let old_count: i32 = total(old.iter().map(|k| self.rs_spec_replicas(k)));
        if old_count == 0 {
            return false;
        }
        let all_count: i32 = total(all.iter().map(|k| self.rs_spec_replicas(k)));
        let (_, max_unavailable) = surge_and_unavailable(d);
        let min_available = d.spec.replicas - max_unavailable;
        let new_unavailable =
            new_rs.map(|k| self.rs_spec_replicas(k) - self.rs_status(k).available_replicas).unwrap_or(0);
        let max_scaled_down = all_count - min_available - new_unavailable;
        if max_scaled_down <= 0 {
            return false;
        }
        // `cleanupUnhealthyReplicas`.
        let mut cleaned = 0;
        for k in old {
            if cleaned >= max_scaled_down {
                break;
            }
            let replicas = self.rs_spec_replicas(k);
            let avail = self.rs_status(k).available_replicas;
            if replicas == 0 || replicas == avail {
                continue;
            }
            let down = (max_scaled_down - cleaned).min(replicas - avail);
            self.scale_rs(d, d_uid, k, replicas - down);
            cleaned += down;
        }
        // `scaleDownOldReplicaSetsForRollingUpdate`.
        let available: i32 = total(all.iter().map(|k| self.rs_status(k).available_replicas));
        let mut scaled = 0;
        if available > min_available {
            let total = available - min_available;
            for k in old {
                if scaled >= total {
                    break;
                }
                let replicas = self.rs_spec_replicas(k);
                if replicas == 0 {
                    continue;
                }
                let down = replicas.min(total - scaled);
                self.scale_rs(d, d_uid, k, replicas - down);
                scaled += down;
            }
        }
        cleaned + scaled > 0
    }

    /// `rolloutRecreate`: old ReplicaSets to 0, wait until none of their
    /// Pods runs, then the new one to full size.
    fn rollout_recreate(
        &mut self,
        dkey: &(String, String),
        d: &Deployment,
        new_rs: Option<&(String, String)>,
        old: &[(String, String)],
    ) {
        let Some(d_uid) = self.controllers.deployments.get(dkey).map(|r| r.server.uid.clone()) else { return };
        let mut scaled_down = false;
        for k in old {
            if self.rs_spec_replicas(k) > 0 {
                scaled_down |= self.scale_rs(d, &d_uid, k, 0);
            }
        }
        if scaled_down {
            return;
        }
        // `oldPodsRunning`: any Pod of an old ReplicaSet not yet terminal
        // (a terminating Pod still counts).
        let running = old.iter().any(|k| {
            let Some(rt) = self.controllers.replica_sets.get(k) else { return false };
            let uid = rt.server.uid.clone();
            self.pods_of(&k.0, &uid, &rt.rs.spec.selector)
                .iter()
                .any(|p| !matches!(p.phase, PodPhase::Succeeded | PodPhase::Failed))
        });
        if running {
            return;
        }
        let new_rs = match new_rs {
            Some(n) => Some(n.clone()),
            None => self.new_replica_set(dkey, true),
        };
        if let Some(n) = new_rs {
            if self.rs_spec_replicas(&n) != d.spec.replicas {
                self.scale_rs(d, &d_uid, &n, d.spec.replicas);
            }
        }
    }

    /// `cleanupDeployment`: old ReplicaSets with no replicas beyond
    /// revisionHistoryLimit are deleted, oldest first.
    fn cleanup_old_rss(&mut self, d: &Deployment, old: &[(String, String)]) {
        let limit = d.spec.revision_history_limit.max(0) as usize;
        let idle: Vec<&(String, String)> = old
            .iter()
            .filter(|k| {
                self.controllers.replica_sets.get(k).is_some_and(|r| r.rs.spec.replicas == 0 && r.status.replicas == 0)
            })
            .collect();
        if idle.len() <= limit {
            return;
        }
        let mut by_revision: Vec<(i64, &(String, String))> = idle
            .iter()
            .map(|k| (self.controllers.replica_sets.get(k).map(|r| r.revision()).unwrap_or(0), *k))
            .collect();
        crate::core::sort::sort(&mut by_revision);
        let extra = by_revision.len() - limit;
        for (_, k) in by_revision.into_iter().take(extra) {
            let k = k.clone();
            self.remove_replica_set(&k);
        }
    }

    /// `calculateStatus` and `syncRolloutStatus`: counts from the
    /// ReplicaSets, the Available and Progressing conditions.
    fn sync_deployment_status(&mut self, dkey: &(String, String)) {
        let now = self.now();
        let Some(rt) = self.controllers.deployments.get(dkey) else { return };
        let d = rt.d.clone();
        let uid = rt.server.uid.clone();
        let generation = rt.generation;
        let prev = rt.status.clone();
        let all = self.replica_sets_of(&dkey.0, &uid);
        let new_rs = all
            .iter()
            .find(|k| {
                self.controllers
                    .replica_sets
                    .get(k)
                    .is_some_and(|r| equal_ignore_hash(&r.rs.spec.template, &d.spec.template))
            })
            .cloned();
        let statuses: Vec<ReplicaSetStatus> = all.iter().map(|k| self.rs_status(k)).collect();
        let available: i32 = total(statuses.iter().map(|s| s.available_replicas));
        let total_spec: i32 = total(all.iter().map(|k| self.rs_spec_replicas(k)));
        let mut status = DeploymentStatus {
            observed_generation: generation,
            replicas: total(statuses.iter().map(|s| s.replicas)),
            updated_replicas: new_rs.as_ref().map(|k| self.rs_status(k).replicas).unwrap_or(0),
            ready_replicas: total(statuses.iter().map(|s| s.ready_replicas)),
            available_replicas: available,
            unavailable_replicas: (total_spec - available).max(0),
            conditions: prev.conditions.clone(),
        };
        let (_, max_unavailable) = surge_and_unavailable(&d);
        if available >= d.spec.replicas - max_unavailable {
            set_condition(
                &mut status,
                "Available",
                true,
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.".into(),
                now,
            );
        } else {
            set_condition(
                &mut status,
                "Available",
                false,
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.".into(),
                now,
            );
        }
        let rs_name = new_rs.as_ref().map(|k| k.1.clone());
        let complete = status.updated_replicas == d.spec.replicas
            && status.replicas == d.spec.replicas
            && status.available_replicas == d.spec.replicas
            && status.observed_generation >= generation;
        let progressing = status.updated_replicas > prev.updated_replicas
            || status.ready_replicas > prev.ready_replicas
            || status.available_replicas > prev.available_replicas
            || (status.replicas - status.updated_replicas) < (prev.replicas - prev.updated_replicas);
        if complete {
            let msg = match &rs_name {
                Some(n) => format!("ReplicaSet \"{n}\" has successfully progressed."),
                None => format!("Deployment \"{}\" has successfully progressed.", d.metadata.name),
            };
            set_condition(&mut status, "Progressing", true, "NewReplicaSetAvailable", msg, now);
        } else if progressing {
            let msg = match &rs_name {
                Some(n) => format!("ReplicaSet \"{n}\" is progressing."),
                None => format!("Deployment \"{}\" is progressing.", d.metadata.name),
            };
            // Progressing is updated even with the same reason (lastUpdateTime moves).
            let transition = status.condition("Progressing").filter(|c| c.status).map(|c| c.last_transition_ms);
            status.conditions.retain(|c| c.type_ != "Progressing");
            status.conditions.push(DeploymentCondition {
                type_: "Progressing",
                status: true,
                last_update_ms: now,
                last_transition_ms: transition.unwrap_or(now),
                reason: "ReplicaSetUpdated".into(),
                message: msg,
            });
        } else if d.spec.progress_deadline_seconds > 0 {
            // `DeploymentTimedOut`: no progress for progressDeadlineSeconds
            // since the condition's (second-precision) lastUpdateTime.
            let deadline = d.spec.progress_deadline_seconds as Millis * SECOND_MS;
            let timed_out = status.condition("Progressing").is_some_and(|c| {
                c.reason == "ProgressDeadlineExceeded"
                    || (c.reason != "NewReplicaSetAvailable" && to_seconds(c.last_update_ms) + deadline < now)
            });
            if timed_out {
                let msg = match &rs_name {
                    Some(n) => format!("ReplicaSet \"{n}\" has timed out progressing."),
                    None => format!("Deployment \"{}\" has timed out progressing.", d.metadata.name),
                };
                set_condition(&mut status, "Progressing", false, "ProgressDeadlineExceeded", msg, now);
            }
        }
        // `requeueStuckDeployment`: look again when the deadline passes (plus
        // a second, as the controller adds against clock skew); when less
        // than a second is left, the controller requeues rate-limited, here
        // a second later. A complete or timed-out rollout, or one whose
        // Progressing reason can never time out, is not requeued.
        let stuck_check = if complete || d.spec.progress_deadline_seconds <= 0 {
            None
        } else {
            status.condition("Progressing").filter(|c| c.status && c.reason != "NewReplicaSetAvailable").map(|c| {
                let due = to_seconds(c.last_update_ms) + d.spec.progress_deadline_seconds as Millis * SECOND_MS;
                if due >= now + SECOND_MS {
                    due + SECOND_MS
                } else {
                    now + SECOND_MS
                }
            })
        };
        if let Some(rt) = self.controllers.deployments.get_mut(dkey) {
            rt.status = status;
        }
        self.publish_deployment(dkey);
        if let Some(at) = stuck_check {
            self.enqueue(ControllerWork::Deployment(dkey.0.clone(), dkey.1.clone()), at);
        }
    }

    // ---- deletion and the garbage collector ----------------------------------

    /// `kubectl delete deployment/NAME` (background propagation): the
    /// Deployment goes at once; the garbage collector then deletes its
    /// ReplicaSets, and after them their Pods (gracefully).
    pub(crate) fn delete_deployment(&mut self, ns: &str, name: &str) -> Result<(), super::ActionError> {
        let key = (ns.to_string(), name.to_string());
        let rt = self.controllers.deployments.remove(&key).ok_or_else(|| no_deployment(name))?;
        let mut snap = rt.snapshot();
        snap.server.resource_version = self.next_resource_version();
        self.watch_event(WatchType::Deleted, Snapshot::Deployment(snap));
        for k in self.replica_sets_of(ns, &rt.server.uid) {
            self.enqueue(ControllerWork::CollectReplicaSet(k.0, k.1), self.now() + CONTROLLER_HOP_MS);
        }
        Ok(())
    }

    /// `kubectl delete replicaset/NAME`: the same cascade one level down.
    pub(crate) fn delete_replica_set(&mut self, ns: &str, name: &str) -> Result<(), super::ActionError> {
        let key = (ns.to_string(), name.to_string());
        if !self.controllers.replica_sets.contains_key(&key) {
            return Err(super::ActionError(format!("replicasets.apps \"{name}\" not found")));
        }
        self.remove_replica_set(&key);
        Ok(())
    }

    fn collect_replica_set(&mut self, ns: &str, name: &str) {
        let key = (ns.to_string(), name.to_string());
        self.remove_replica_set(&key);
    }

    fn remove_replica_set(&mut self, key: &(String, String)) {
        let Some(rt) = self.controllers.replica_sets.remove(key) else { return };
        let mut snap = rt.snapshot();
        snap.server.resource_version = self.next_resource_version();
        self.watch_event(WatchType::Deleted, Snapshot::ReplicaSet(snap));
        self.enqueue(ControllerWork::CollectPods(key.0.clone(), rt.server.uid.clone()), self.now() + CONTROLLER_HOP_MS);
        if let Some(owner) = rt.rs.metadata.owner_references.iter().find(|o| o.controller) {
            self.enqueue(ControllerWork::Deployment(key.0.clone(), owner.name.clone()), self.now() + CONTROLLER_HOP_MS);
        }
    }

    fn collect_pods(&mut self, ns: &str, owner_uid: &str) {
        let names: Vec<String> = self
            .pods
            .in_namespace(ns)
            .filter(|&(_, slot)| {
                self.pod_rt(slot).is_some_and(|p| p.pod.metadata.owner_references.iter().any(|o| o.uid == owner_uid))
            })
            .map(|(n, _)| n.to_string())
            .collect();
        for n in names {
            let _ = self.delete_pod(ns, &n, None);
        }
    }

    // ---- actions -----------------------------------------------------------

    /// `kubectl scale deployment/NAME --replicas=N`.
    pub(crate) fn scale_deployment(&mut self, ns: &str, name: &str, replicas: i32) -> Result<(), super::ActionError> {
        check_replicas(replicas)?;
        self.change_deployment(ns, name, |d| d.spec.replicas = replicas)
    }

    /// `kubectl set image deployment/NAME CONTAINER=IMAGE` (or daemonset/NAME):
    /// the container's image (and its defaulted pull policy) in the template.
    pub(crate) fn set_image(
        &mut self,
        ns: &str,
        kind: ControllerKind,
        name: &str,
        container: &str,
        image: &str,
    ) -> Result<(), super::ActionError> {
        let key = (ns.to_string(), name.to_string());
        let spec = match kind {
            ControllerKind::DaemonSet => self.controllers.daemon_sets.get(&key).map(|rt| &rt.ds.template.spec),
            _ => self.controllers.deployments.get(&key).map(|rt| &rt.d.spec.template.spec),
        };
        let spec = spec.ok_or_else(|| match kind {
            ControllerKind::DaemonSet => super::ActionError(format!("daemonsets.apps \"{name}\" not found")),
            _ => no_deployment(name),
        })?;
        if !spec.containers.iter().chain(spec.init_containers.iter()).any(|c| c.name == container) {
            return Err(super::ActionError(format!("unable to find container named \"{container}\"")));
        }
        let set = |t: &mut PodTemplate| {
            for c in t.spec.containers.iter_mut().chain(t.spec.init_containers.iter_mut()) {
                if c.name == container {
                    c.image = image.to_string();
                    c.image_pull_policy = crate::core::manifest::default_pull_policy(image);
                }
            }
        };
        match kind {
            ControllerKind::DaemonSet => self.change_daemon_set_template(ns, name, set),
            _ => self.change_deployment(ns, name, |d| set(&mut d.spec.template)),
        }
    }

    /// `kubectl rollout restart deployment/NAME` (or daemonset/NAME): a
    /// template annotation with the time, so the template (and its hash)
    /// changes.
    pub(crate) fn rollout_restart(
        &mut self,
        ns: &str,
        kind: ControllerKind,
        name: &str,
    ) -> Result<(), super::ActionError> {
        let stamp = crate::core::time::rfc3339(self.now());
        let restart = |t: &mut PodTemplate| {
            t.annotations.insert(RESTARTED_AT_ANNOTATION.into(), stamp);
        };
        match kind {
            ControllerKind::DaemonSet => self.change_daemon_set_template(ns, name, restart),
            _ => self.change_deployment(ns, name, |d| restart(&mut d.spec.template)),
        }
    }

    /// `kubectl rollout undo` (`DeploymentRollbacker`, kubectl's
    /// polymorphichelpers/rollback.go): the Deployment's template becomes
    /// that of the ReplicaSet with the wanted revision (0: the one before
    /// the newest), without the hash label; the rollout follows.
    pub(crate) fn rollout_undo(&mut self, ns: &str, name: &str, to_revision: i64) -> Result<(), super::ActionError> {
        let key = (ns.to_string(), name.to_string());
        let rt = self.controllers.deployments.get(&key).ok_or_else(|| no_deployment(name))?;
        if rt.d.spec.paused {
            return Err(super::ActionError(
                "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"
                    .into(),
            ));
        }
        let mut history: Vec<(i64, PodTemplate)> = self
            .replica_sets_of(ns, &rt.server.uid)
            .iter()
            .filter_map(|k| self.controllers.replica_sets.get(k))
            .map(|r| (r.revision(), r.rs.spec.template.clone()))
            .collect();
        crate::core::sort::sort_by_key(&mut history, |(rev, _)| *rev);
        let wanted = if to_revision == 0 {
            // `previousRevision`: the second highest revision.
            if history.len() < 2 {
                return Err(super::ActionError(format!("no rollout history found for deployment \"{name}\"")));
            }
            history.len() - 2
        } else {
            history.iter().position(|(rev, _)| *rev == to_revision).ok_or_else(|| {
                super::ActionError(format!("unable to find specified revision {to_revision} in history"))
            })?
        };
        let mut template = history[wanted].1.clone();
        template.labels.remove(TEMPLATE_HASH_LABEL);
        self.change_deployment(ns, name, move |d| d.spec.template = template)
    }

    /// `kubectl rollout pause|resume`.
    pub(crate) fn rollout_pause(&mut self, ns: &str, name: &str, paused: bool) -> Result<(), super::ActionError> {
        let rt =
            self.controllers.deployments.get(&(ns.to_string(), name.to_string())).ok_or_else(|| no_deployment(name))?;
        if rt.d.spec.paused == paused {
            let state = if paused { "already paused" } else { "not paused" };
            return Err(super::ActionError(format!("deployments.apps \"{name}\" is {state}")));
        }
        self.change_deployment(ns, name, |d| d.spec.paused = paused)
    }

    fn change_deployment(
        &mut self,
        ns: &str,
        name: &str,
        f: impl FnOnce(&mut Deployment),
    ) -> Result<(), super::ActionError> {
        let key = (ns.to_string(), name.to_string());
        let rt = self.controllers.deployments.get_mut(&key).ok_or_else(|| no_deployment(name))?;
        let before = rt.d.spec.clone();
        f(Arc::make_mut(&mut rt.d));
        if rt.d.spec != before {
            rt.generation += 1;
            self.publish_deployment(&key);
            self.enqueue(ControllerWork::Deployment(key.0, key.1), self.now() + CONTROLLER_HOP_MS);
        }
        Ok(())
    }

    /// `kubectl scale replicaset/NAME --replicas=N` (a Deployment that owns
    /// it scales it back, as in a real cluster).
    pub(crate) fn scale_replica_set(&mut self, ns: &str, name: &str, replicas: i32) -> Result<(), super::ActionError> {
        check_replicas(replicas)?;
        let key = (ns.to_string(), name.to_string());
        let rt = self
            .controllers
            .replica_sets
            .get_mut(&key)
            .ok_or_else(|| super::ActionError(format!("replicasets.apps \"{name}\" not found")))?;
        if rt.rs.spec.replicas != replicas {
            Arc::make_mut(&mut rt.rs).spec.replicas = replicas;
            rt.generation += 1;
            self.publish_replica_set(&key);
            self.enqueue(ControllerWork::ReplicaSet(key.0, key.1), self.now() + CONTROLLER_HOP_MS);
        }
        Ok(())
    }

    /// Snapshots of every Deployment, by namespace and name.
    pub fn deployments(&self) -> Vec<DeploymentSnapshot> {
        self.controllers.deployments.values().map(|d| d.snapshot()).collect()
    }

    /// Snapshots of every ReplicaSet, by namespace and name.
    pub fn replica_sets(&self) -> Vec<ReplicaSetSnapshot> {
        self.controllers.replica_sets.values().map(|r| r.snapshot()).collect()
    }

    #[cfg(debug_assertions)]
    pub(crate) fn check_controller_invariants(&self) {
        for rt in self.controllers.replica_sets.values() {
            assert!(rt.rs.spec.replicas >= 0, "ReplicaSet {} has negative replicas", rt.rs.metadata.name);
        }
    }
}

/// The API server's NotFound for a Deployment.
fn no_deployment(name: &str) -> super::ActionError {
    super::ActionError(format!("deployments.apps \"{name}\" not found"))
}

fn check_replicas(replicas: i32) -> Result<(), super::ActionError> {
    if (0..=MAX_REPLICAS).contains(&replicas) {
        Ok(())
    } else {
        Err(super::ActionError(format!("--replicas must be between 0 and {MAX_REPLICAS} in podplay")))
    }
}

/// The ownerReference a controller sets on what it creates or adopts.
pub(crate) fn controller_ref(kind: &'static str, name: &str, uid: &str) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1",
        kind,
        name: name.to_string(),
        uid: uid.to_string(),
        controller: true,
        block_owner_deletion: true,
    }
}

/// The object an event is about.
pub(crate) fn obj_ref(kind: &'static str, ns: &str, name: &str, uid: &str) -> ObjectRef {
    ObjectRef { kind, namespace: ns.to_string(), name: name.to_string(), uid: uid.to_string(), field_path: None }
}

/// `SetDeploymentCondition`: the same status and reason is left alone; a
/// changed one replaces the old (keeping its transition time when the
/// status is the same) and goes to the end of the list.
fn set_condition(
    status: &mut DeploymentStatus,
    type_: &'static str,
    ok: bool,
    reason: &str,
    message: String,
    now: Millis,
) {
    let mut transition = now;
    if let Some(c) = status.condition(type_) {
        if c.status == ok && c.reason == reason {
            return;
        }
        if c.status == ok {
            transition = c.last_transition_ms;
        }
    }
    status.conditions.retain(|c| c.type_ != type_);
    status.conditions.push(DeploymentCondition {
        type_,
        status: ok,
        last_update_ms: now,
        last_transition_ms: transition,
        reason: reason.to_string(),
        message,
    });
}

/// `getPodsToDelete` with `ActivePodsWithRanks`: unassigned before
/// assigned, Pending before Running, not ready before ready, more Pods of
/// the ReplicaSet on the same node first, ready for less time first, more
/// restarts first, newer first.
fn pods_to_delete(active: &[&PodView], n: usize) -> Vec<String> {
    // Pods per node index.
    let mut on_node: Vec<i32> = vec![0; active.iter().filter_map(|p| p.node).max().map_or(0, |n| n + 1)];
    for p in active {
        if let Some(node) = p.node {
            on_node[node] += 1;
        }
    }
    let phase_rank = |p: PodPhase| match p {
        PodPhase::Pending => 0,
        PodPhase::Unknown => 1,
        _ => 2,
    };
    let mut ranked: Vec<&&PodView> = active.iter().collect();
    crate::core::sort::sort_by(&mut ranked, |a, b| {
        a.assigned
            .cmp(&b.assigned)
            .then(phase_rank(a.phase).cmp(&phase_rank(b.phase)))
            .then(a.ready_since.is_some().cmp(&b.ready_since.is_some()))
            .then_with(|| {
                let rank = |p: &PodView| p.node.map(|n| on_node.get(n).copied().unwrap_or(0)).unwrap_or(0);
                rank(b).cmp(&rank(a))
            })
            .then_with(|| match (a.ready_since, b.ready_since) {
                (Some(x), Some(y)) => to_seconds(y).cmp(&to_seconds(x)),
                _ => std::cmp::Ordering::Equal,
            })
            .then(b.restarts.cmp(&a.restarts))
            .then(to_seconds(b.created_ms).cmp(&to_seconds(a.created_ms)))
            .then(a.pod.metadata.name.cmp(&b.pod.metadata.name))
    });
    ranked.into_iter().take(n).map(|p| p.pod.metadata.name.clone()).collect()
}
