//! Storage: StorageClasses and PersistentVolumes as the API server stores
//! them, the PV controller that binds claims to volumes, kind's local-path
//! provisioner, and the scheduler's VolumeBinding plugin.
//!
//! Sources:
//! * kind's default StorageClass `standard` (kind, `pkg/build/nodeimage`:
//!   the local-path-provisioner manifest): provisioner
//!   `rancher.io/local-path`, `volumeBindingMode: WaitForFirstConsumer`,
//!   `reclaimPolicy: Delete`, annotated
//!   `storageclass.kubernetes.io/is-default-class: "true"`; it exists
//!   before anything is applied, like the cluster's Nodes.
//! * `ValidateStorageClassUpdate` (pkg/apis/storage/validation/validation.go):
//!   a class's parameters, provisioner, reclaimPolicy and
//!   volumeBindingMode cannot change.
//! * The DefaultStorageClass admission plugin
//!   (plugin/pkg/admission/storage/storageclass/setdefault): a claim with
//!   no `storageClassName` gets the default class.
//! * The PV controller (pkg/controller/volume/persistentvolume/pv_controller.go):
//!   `syncUnboundClaim` (`findBestMatchForClaim`: the smallest Available
//!   volume of the claim's class with its access modes and at least its
//!   request; `emitEventForUnboundDelayBindingClaim`: WaitForFirstConsumer
//!   or WaitForPodScheduled; FailedBinding "no persistent volumes available
//!   for this claim and no storage class is set"), `provisionClaimOperation`
//!   (ProvisioningFailed `storageclass.storage.k8s.io "x" not found`, or
//!   the `findProvisionablePlugin` error for an in-tree name),
//!   `provisionClaimOperationExternal` (the storage-provisioner annotations
//!   and the ExternalProvisioning event), `bind` (the volume's claimRef and
//!   phase Bound, the claim's volumeName, `pv.kubernetes.io/bind-completed`
//!   and `bound-by-controller`, status from the volume);
//!   `IsDelayBindingMode` (component-helpers/storage/volume): a class that
//!   does not exist binds at once.
//! * The external provisioner library (sig-storage-lib-external-provisioner,
//!   controller.go `provisionClaimOperation`: the Provisioning and
//!   ProvisioningSucceeded events) and local-path-provisioner (`Provision`:
//!   a hostPath volume `pvc-<claim uid>` in `<pv>_<namespace>_<claim>`,
//!   pinned to the selected node by `nodeAffinity`; "configuration error,
//!   no node was specified" without one).
//! * The scheduler's VolumeBinding plugin
//!   (pkg/scheduler/framework/plugins/volumebinding/volume_binding.go and
//!   binder.go): PreFilter ("pod has unbound immediate
//!   PersistentVolumeClaims"), Filter (`FindPodVolumes`:
//!   ErrReasonNodeConflict, ErrReasonBindConflict, `checkVolumeProvisions`),
//!   Reserve/PreBind (`AssumePodVolumes`, `BindPodVolumes`: the
//!   `volume.kubernetes.io/selected-node` annotation, then the Pod is bound
//!   once its claims are).
//!
//! Simplifications: podplay provisions and binds at once, where the
//! provisioner takes seconds and the controller's resync is 15 s (a volume
//! or class applied later binds the claims that wait at once, too); a
//! claim's events are not repeated at each resync; a Pod whose claims wait
//! for another external provisioner waits without the PreBind timeout;
//! volumes are never released or deleted (claims are not deleted).

use super::nodes::Rejection;
use super::{ApplyResult, NodeConfig, Sim, Snapshot, WatchType};
use crate::core::api::{
    parse_quantity, NodeSelectorOperator, NodeSelectorRequirement, NodeSelectorTerm, ObjectMeta, PersistentVolume,
    PersistentVolumeClaimTemplate, PersistentVolumeSpec, PodSpec, StorageClass, VolumeSource, DEFAULT_CLASS_ANNOTATION,
};
use crate::core::status::{
    ClaimRef, EventType, ObjectRef, PersistentVolumeClaimSnapshot, PersistentVolumeSnapshot, ServerMeta,
    StorageClassSnapshot,
};
use crate::core::store::{Key, Store};
use std::sync::Arc;

/// kind's default StorageClass.
pub const DEFAULT_STORAGE_CLASS: &str = "standard";
/// kind's provisioner (rancher/local-path-provisioner).
pub const LOCAL_PATH_PROVISIONER: &str = "rancher.io/local-path";

/// The StorageClasses and PersistentVolumes, by name (both cluster-scoped).
pub(crate) struct Volumes {
    pub classes: Store<StorageClassSnapshot, String>,
    pub volumes: Store<PersistentVolumeSnapshot, String>,
}

impl Volumes {
    /// A kind cluster's: the `standard` class, stored before the run starts
    /// (its resourceVersion is the store's first, 1000 in `Sim::new`, below
    /// every object podplay creates; its uid is derived from its name, as a
    /// Node's is).
    pub(crate) fn kind() -> Volumes {
        let mut metadata = ObjectMeta { name: DEFAULT_STORAGE_CLASS.into(), ..ObjectMeta::default() };
        metadata.annotations.insert(DEFAULT_CLASS_ANNOTATION.into(), "true".into());
        let class = StorageClass {
            metadata,
            provisioner: LOCAL_PATH_PROVISIONER.into(),
            parameters: Default::default(),
            reclaim_policy: "Delete".into(),
            volume_binding_mode: "WaitForFirstConsumer".into(),
            allow_volume_expansion: None,
        };
        let server = ServerMeta::from_the_start(&format!("storageclass/{DEFAULT_STORAGE_CLASS}"));
        let mut classes = Store::new();
        classes.insert(DEFAULT_STORAGE_CLASS.to_string(), StorageClassSnapshot { class: Arc::new(class), server });
        Volumes { classes, volumes: Store::new() }
    }

    /// The class the DefaultStorageClass admission plugin gives a claim
    /// without one (plugin/pkg/admission/storage/storageclass/setdefault,
    /// `GetDefaultClass`): of the classes marked default, the newest, then
    /// the first by name.
    pub(crate) fn default_class(&self) -> Option<&str> {
        let mut best: Option<&StorageClassSnapshot> = None;
        for c in self.classes.values().filter(|c| c.class.is_default()) {
            if best.is_none_or(|b| c.server.creation_ms > b.server.creation_ms) {
                best = Some(c);
            }
        }
        best.map(|c| c.class.metadata.name.as_str())
    }
}

impl Sim {
    /// `kubectl apply` of a StorageClass.
    pub(crate) fn apply_storage_class(&mut self, mut class: StorageClass) -> ApplyResult {
        let name = class.metadata.name.clone();
        class.metadata.namespace.clear();
        if let Some(old) = self.volumes.classes.get(&name) {
            // Where the manifest put it is no change.
            class.metadata.pos = old.class.metadata.pos;
            if *old.class == class {
                return ApplyResult::Unchanged { kind: "StorageClass", name };
            }
            // `ValidateStorageClassUpdate`, every error, as kubectl prints
            // an Invalid status: one alone, several in brackets.
            let o = &old.class;
            let mut errors = Vec::new();
            if o.parameters != class.parameters {
                errors.push("parameters: Forbidden: updates to parameters are forbidden.".to_string());
            }
            if o.provisioner != class.provisioner {
                errors.push("provisioner: Forbidden: updates to provisioner are forbidden.".to_string());
            }
            if o.reclaim_policy != class.reclaim_policy {
                errors.push("reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.".to_string());
            }
            if o.volume_binding_mode != class.volume_binding_mode {
                let mode = &class.volume_binding_mode;
                errors.push(format!("volumeBindingMode: Invalid value: \"{mode}\": field is immutable"));
            }
            if !errors.is_empty() {
                let why = if errors.len() == 1 { errors.remove(0) } else { format!("[{}]", errors.join(", ")) };
                let message = format!("The StorageClass \"{name}\" is invalid: {why}");
                return ApplyResult::Refused { kind: "StorageClass", name, message };
            }
            let mut server = old.server.clone();
            server.resource_version = self.next_resource_version();
            self.put_class(class, server, WatchType::Modified);
            return ApplyResult::Configured { kind: "StorageClass", name };
        }
        let server = self.new_server_meta();
        self.put_class(class, server, WatchType::Added);
        self.sync_unbound_claims();
        ApplyResult::Created { kind: "StorageClass", name }
    }

    fn put_class(&mut self, class: StorageClass, server: ServerMeta, type_: WatchType) {
        let name = class.metadata.name.clone();
        let snap = StorageClassSnapshot { class: Arc::new(class), server };
        self.watch_event(type_, Snapshot::StorageClass(snap.clone()));
        self.volumes.classes.insert(name, snap);
    }

    /// `kubectl apply` of a PersistentVolume: a new one is Available (the
    /// PV controller's `syncVolume` of a volume with no claimRef); a
    /// changed one keeps its binding.
    pub(crate) fn apply_persistent_volume(&mut self, mut volume: PersistentVolume) -> ApplyResult {
        let name = volume.metadata.name.clone();
        volume.metadata.namespace.clear();
        if let Some(old) = self.volumes.volumes.get(&name) {
            // Where the manifest put it is no change.
            volume.metadata.pos = old.volume.metadata.pos;
            if *old.volume == volume {
                return ApplyResult::Unchanged { kind: "PersistentVolume", name };
            }
            let mut snap = old.clone();
            snap.volume = Arc::new(volume);
            snap.server.resource_version = self.next_resource_version();
            self.put_volume(snap, WatchType::Modified);
            self.sync_unbound_claims();
            return ApplyResult::Configured { kind: "PersistentVolume", name };
        }
        let server = self.new_server_meta();
        let snap = PersistentVolumeSnapshot {
            volume: Arc::new(volume),
            annotations: Default::default(),
            server,
            claim: None,
            phase: "Pending",
            phase_ms: self.now(),
        };
        // The API server stores it Pending; the PV controller's
        // `syncVolume` makes it Available (`kubectl get pv -w` shows both).
        self.put_volume(snap.clone(), WatchType::Added);
        let mut snap = snap;
        snap.phase = "Available";
        snap.server.resource_version = self.next_resource_version();
        self.put_volume(snap, WatchType::Modified);
        self.sync_unbound_claims();
        ApplyResult::Created { kind: "PersistentVolume", name }
    }

    pub(crate) fn put_volume(&mut self, snap: PersistentVolumeSnapshot, type_: WatchType) {
        let name = snap.volume.metadata.name.clone();
        self.watch_event(type_, Snapshot::PersistentVolume(snap.clone()));
        self.volumes.volumes.insert(name, snap);
    }

    /// Every StorageClass, by name.
    pub fn storage_classes(&self) -> Vec<StorageClassSnapshot> {
        self.volumes.classes.values().cloned().collect()
    }

    /// Whether the manifests applied a StorageClass (the cluster's own
    /// `standard` is there from the start, as the Nodes are).
    pub fn storage_classes_applied(&self) -> bool {
        self.volumes.classes.values().any(|c| c.server.resource_version != 1000)
    }

    /// Every PersistentVolume, by name.
    pub fn persistent_volumes(&self) -> Vec<PersistentVolumeSnapshot> {
        self.volumes.volumes.values().cloned().collect()
    }
}

// ---- the PV controller -------------------------------------------------

/// The PV controller's event source.
const PV_CONTROLLER: &str = "persistentvolume-controller";
/// The local-path provisioner's event source. The real one is its
/// identity, `rancher.io/local-path_<its Pod's name>_<a uuid>`; podplay runs
/// no provisioner Pod and keeps the first part.
const LOCAL_PATH_SOURCE: &str = LOCAL_PATH_PROVISIONER;
/// Where kind's local-path provisioner keeps volumes (its ConfigMap's
/// `nodePathMap`); a volume is the folder `<pv>_<namespace>_<claim>`.
const LOCAL_PATH_DIR: &str = "/var/local-path-provisioner";

/// `volume.AnnSelectedNode`: the node the scheduler chose for a claim
/// that waits for its first consumer.
pub const ANN_SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
const ANN_BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";
const ANN_BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
const ANN_STORAGE_PROVISIONER: &str = "volume.kubernetes.io/storage-provisioner";
const ANN_BETA_STORAGE_PROVISIONER: &str = "volume.beta.kubernetes.io/storage-provisioner";
const ANN_PROVISIONED_BY: &str = "pv.kubernetes.io/provisioned-by";
/// `volume.NotSupportedProvisioner`: a class whose volumes are made by hand.
const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";

/// The scheduler's VolumeBinding reasons (pkg/scheduler/framework/plugins/volumebinding/binder.go).
pub const ERR_REASON_BIND_CONFLICT: &str = "node(s) didn't find available persistent volumes to bind";
pub const ERR_REASON_NODE_CONFLICT: &str = "node(s) had volume node affinity conflict";
/// VolumeBinding's PreFilter, when a claim that binds at once is not bound yet.
pub const UNBOUND_IMMEDIATE: &str = "pod has unbound immediate PersistentVolumeClaims";

/// The claims of a Pod's `persistentVolumeClaim` volumes, by key.
fn pod_claims(spec: &PodSpec, ns: &str) -> Vec<Key> {
    spec.volumes
        .iter()
        .filter_map(|v| match &v.source {
            VolumeSource::PersistentVolumeClaim { claim_name } => Some((ns.to_string(), claim_name.clone())),
            _ => None,
        })
        .collect()
}

/// `CheckAccessModes`: the volume offers every mode the claim asks for.
fn offers_modes(volume: &PersistentVolume, claim: &PersistentVolumeClaimSnapshot) -> bool {
    claim.access_modes.iter().all(|m| volume.spec.access_modes.contains(m))
}

/// `checkVolumeSatisfyClaim` for an unclaimed volume: its class, its access
/// modes, and at least the request.
fn satisfies(v: &PersistentVolumeSnapshot, claim: &PersistentVolumeClaimSnapshot) -> bool {
    let size = |q: &str| parse_quantity(q, 1).unwrap_or(0);
    v.claim.is_none()
        && v.phase == "Available"
        && v.volume.spec.storage_class_name == claim.storage_class_name
        && offers_modes(&v.volume, claim)
        && size(&v.volume.spec.storage) >= size(&claim.storage)
}

/// The volume's `nodeAffinity.required` admits the node (`CheckNodeAffinity`).
fn fits_node(v: &PersistentVolume, node: &NodeConfig) -> bool {
    v.spec.node_affinity.is_empty() || v.spec.node_affinity.iter().any(|t| t.matches(&node.labels, &node.name))
}

impl Sim {
    /// A claim (applied, or from a StatefulSet's template) as the API server
    /// stores it: Pending, its class filled in by the DefaultStorageClass
    /// admission plugin when unset. The caller then syncs it
    /// ([`Sim::sync_claim`]), as the PV controller does once the create
    /// returned.
    pub(crate) fn put_claim(
        &mut self,
        ns: &str,
        name: &str,
        labels: std::collections::BTreeMap<String, String>,
        template: &PersistentVolumeClaimTemplate,
    ) {
        let key = (ns.to_string(), name.to_string());
        let server = self.new_server_meta();
        let class = template.storage_class_name.clone();
        let claim = PersistentVolumeClaimSnapshot {
            name: name.to_string(),
            namespace: ns.to_string(),
            labels,
            annotations: Default::default(),
            server,
            access_modes: template.access_modes.clone(),
            storage: template.storage.clone(),
            storage_class_name: class.unwrap_or_else(|| self.volumes.default_class().unwrap_or_default().to_string()),
            volume_name: String::new(),
            phase: "Pending",
            capacity: String::new(),
            bound_access_modes: Vec::new(),
        };
        self.watch_event(WatchType::Added, Snapshot::PersistentVolumeClaim(claim.clone()));
        self.claims.insert(key, claim);
    }

    /// `kubectl apply` of a PersistentVolumeClaim; Pods waiting for it are
    /// retried.
    pub(crate) fn apply_claim(&mut self, claim: crate::core::api::PersistentVolumeClaim) -> ApplyResult {
        let key = (claim.metadata.namespace.clone(), claim.metadata.name.clone());
        let name = claim.metadata.name.clone();
        if let Some(existing) = self.claims.get(&key) {
            let same = existing.access_modes == claim.spec.access_modes && existing.storage == claim.spec.storage;
            return if same {
                ApplyResult::Unchanged { kind: "PersistentVolumeClaim", name }
            } else {
                ApplyResult::Refused {
                    kind: "PersistentVolumeClaim",
                    name,
                    message: "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims (podplay: delete and re-create it)".into(),
                }
            };
        }
        self.put_claim(&key.0, &name, claim.metadata.labels.clone(), &claim.spec);
        self.sync_claim(&key);
        self.schedule_pending();
        ApplyResult::Created { kind: "PersistentVolumeClaim", name }
    }

    /// Every PersistentVolumeClaim, by namespace and name.
    pub fn persistent_volume_claims(&self) -> Vec<PersistentVolumeClaimSnapshot> {
        self.claims.values().cloned().collect()
    }

    /// `IsDelayBindingMode` (component-helpers/storage/volume): the claim's
    /// class exists and waits for the first consumer. A class that does not
    /// exist binds at once.
    fn delays_binding(&self, claim: &PersistentVolumeClaimSnapshot) -> bool {
        self.volumes
            .classes
            .get(&claim.storage_class_name)
            .is_some_and(|c| c.class.volume_binding_mode == "WaitForFirstConsumer")
    }

    /// `findBestMatchForClaim`: the smallest Available volume that
    /// satisfies the claim (and fits `node`, for the scheduler), or the one
    /// already claimed for it.
    fn best_volume(&self, claim: &PersistentVolumeClaimSnapshot, node: Option<&NodeConfig>) -> Option<String> {
        let size = |v: &PersistentVolumeSnapshot| parse_quantity(&v.volume.spec.storage, 1).unwrap_or(0);
        let mine = self
            .volumes
            .volumes
            .values()
            .find(|v| v.claim.as_ref().is_some_and(|c| c.uid == claim.server.uid) && v.phase != "Bound");
        if let Some(v) = mine {
            return Some(v.volume.metadata.name.clone());
        }
        let mut best: Option<&PersistentVolumeSnapshot> = None;
        for v in self.volumes.volumes.values() {
            if satisfies(v, claim)
                && node.is_none_or(|n| fits_node(&v.volume, n))
                && best.is_none_or(|b| size(v) < size(b))
            {
                best = Some(v);
            }
        }
        best.map(|v| v.volume.metadata.name.clone())
    }

    /// An event about a claim.
    fn claim_event(&mut self, key: &Key, type_: EventType, reason: &str, message: String, source: &'static str) {
        let Some(c) = self.claims.get(key) else { return };
        let involved = ObjectRef {
            kind: "PersistentVolumeClaim",
            namespace: c.namespace.clone(),
            name: c.name.clone(),
            uid: c.server.uid.clone(),
            field_path: None,
        };
        self.record_object(involved, None, type_, reason, message, source);
    }

    /// A changed claim: a new resourceVersion and a MODIFIED watch event.
    fn update_claim(&mut self, key: &Key, change: impl FnOnce(&mut PersistentVolumeClaimSnapshot)) {
        let rv = self.next_resource_version();
        let Some(c) = self.claims.get_mut(key) else { return };
        change(c);
        c.server.resource_version = rv;
        let claim = c.clone();
        self.watch_event(WatchType::Modified, Snapshot::PersistentVolumeClaim(claim));
    }

    /// `syncUnboundClaim` (pkg/controller/volume/persistentvolume/pv_controller.go):
    /// bind to the best volume, unless the class waits for the first
    /// consumer; else wait for one (`emitEventForUnboundDelayBindingClaim`),
    /// provision (`provisionClaim`), or say that nothing can bind it.
    pub(crate) fn sync_claim(&mut self, key: &Key) {
        let Some(claim) = self.claims.get(key) else { return };
        if claim.phase == "Bound" {
            return;
        }
        let delay = self.delays_binding(claim);
        let selected = claim.annotations.contains_key(ANN_SELECTED_NODE);
        let class = claim.storage_class_name.clone();
        if !delay || selected {
            if let Some(volume) = self.best_volume(claim, None) {
                self.bind_claim(key, &volume);
                return;
            }
        }
        if delay && !selected {
            // `findNonScheduledPodsByPVC`: the Pods that use it and have no node.
            let waiting: Vec<String> = self
                .pods
                .iter()
                .filter(|p| p.pod.metadata.namespace == key.0 && p.node.is_none() && p.server.deletion_ms.is_none())
                .filter(|p| pod_claims(&p.pod.spec, &key.0).contains(key))
                .map(|p| p.pod.metadata.name.clone())
                .collect();
            let (reason, message) = match waiting.len() {
                0 => ("WaitForFirstConsumer", "waiting for first consumer to be created before binding".to_string()),
                1 => ("WaitForPodScheduled", format!("waiting for pod {} to be scheduled", waiting[0])),
                _ => ("WaitForPodScheduled", format!("waiting for pods {} to be scheduled", waiting.join(","))),
            };
            self.claim_event(key, EventType::Normal, reason, message, PV_CONTROLLER);
        } else if !class.is_empty() {
            self.provision_claim(key, &class);
        } else {
            let message = "no persistent volumes available for this claim and no storage class is set".to_string();
            self.claim_event(key, EventType::Normal, "FailedBinding", message, PV_CONTROLLER);
        }
    }

    /// `provisionClaimOperation`: the class must exist and name a
    /// provisioner; an external one (any not `kubernetes.io/…`) is told
    /// through the claim's annotations (`provisionClaimOperationExternal`),
    /// and of those only kind's local-path provisioner runs here.
    fn provision_claim(&mut self, key: &Key, class: &str) {
        let Some(sc) = self.volumes.classes.get(class).map(|c| c.class.clone()) else {
            let message = format!("storageclass.storage.k8s.io \"{class}\" not found");
            self.claim_event(key, EventType::Warning, "ProvisioningFailed", message, PV_CONTROLLER);
            return;
        };
        let provisioner = sc.provisioner.clone();
        if provisioner.starts_with("kubernetes.io/") {
            // `findProvisionablePlugin`: no in-tree plugin provisions here.
            let message = format!("no volume plugin matched name: {provisioner}");
            self.claim_event(key, EventType::Warning, "ProvisioningFailed", message, PV_CONTROLLER);
            return;
        }
        let told = self.claims.get(key).is_some_and(|c| c.annotations.contains_key(ANN_STORAGE_PROVISIONER));
        if !told {
            self.update_claim(key, |c| {
                c.annotations.insert(ANN_BETA_STORAGE_PROVISIONER.into(), provisioner.clone());
                c.annotations.insert(ANN_STORAGE_PROVISIONER.into(), provisioner.clone());
            });
        }
        let message = format!("Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.");
        self.claim_event(key, EventType::Normal, "ExternalProvisioning", message, PV_CONTROLLER);
        if provisioner == LOCAL_PATH_PROVISIONER {
            self.local_path_provision(key, &sc);
        }
    }

    /// sig-storage-lib-external-provisioner's `provisionClaimOperation`
    /// with local-path-provisioner's `Provision`: a hostPath volume
    /// `pvc-<claim uid>` on the selected node, pinned to it by node
    /// affinity, claimed for the claim; then the PV controller binds them.
    /// podplay provisions at once (the real one runs a helper Pod that
    /// makes the folder, a few seconds).
    fn local_path_provision(&mut self, key: &Key, sc: &StorageClass) {
        let Some(claim) = self.claims.get(key).cloned() else { return };
        let message = format!("External provisioner is provisioning volume for claim \"{}/{}\"", key.0, key.1);
        self.claim_event(key, EventType::Normal, "Provisioning", message, LOCAL_PATH_SOURCE);
        let Some(node) = claim.annotations.get(ANN_SELECTED_NODE).cloned() else {
            let message = format!(
                "failed to provision volume with StorageClass \"{}\": configuration error, no node was specified",
                sc.metadata.name
            );
            self.claim_event(key, EventType::Warning, "ProvisioningFailed", message, LOCAL_PATH_SOURCE);
            return;
        };
        let name = format!("pvc-{}", claim.server.uid);
        let mut metadata = ObjectMeta { name: name.clone(), ..ObjectMeta::default() };
        metadata.namespace.clear();
        let hostname = NodeSelectorRequirement {
            key: "kubernetes.io/hostname".into(),
            operator: NodeSelectorOperator::In,
            values: vec![node],
        };
        let volume = PersistentVolume {
            metadata,
            spec: PersistentVolumeSpec {
                storage: claim.storage.clone(),
                access_modes: claim.access_modes.clone(),
                reclaim_policy: sc.reclaim_policy.clone(),
                storage_class_name: claim.storage_class_name.clone(),
                source_kind: "hostPath",
                path: Some(format!("{LOCAL_PATH_DIR}/{name}_{}_{}", key.0, key.1)),
                node_affinity: vec![NodeSelectorTerm { match_expressions: vec![hostname], match_fields: Vec::new() }],
            },
        };
        let mut annotations = std::collections::BTreeMap::new();
        annotations.insert(ANN_PROVISIONED_BY.to_string(), LOCAL_PATH_PROVISIONER.to_string());
        let server = self.new_server_meta();
        let claim_ref = ClaimRef { namespace: key.0.clone(), name: key.1.clone(), uid: claim.server.uid.clone() };
        let snap = PersistentVolumeSnapshot {
            volume: Arc::new(volume),
            annotations,
            server,
            claim: Some(claim_ref),
            phase: "Pending",
            phase_ms: self.now(),
        };
        self.put_volume(snap, WatchType::Added);
        self.claim_event(
            key,
            EventType::Normal,
            "ProvisioningSucceeded",
            format!("Successfully provisioned volume {name}"),
            LOCAL_PATH_SOURCE,
        );
        self.bind_claim(key, &name);
    }

    /// `bind` (pv_controller.go): the volume's claimRef and phase Bound
    /// (`bindVolumeToClaim`, `updateVolumePhase`), then the claim's
    /// volumeName, annotations and status (`bindClaimToVolume`,
    /// `updateClaimStatus`: phase Bound, the volume's access modes and
    /// capacity).
    fn bind_claim(&mut self, key: &Key, volume_name: &str) {
        let Some(claim) = self.claims.get(key) else { return };
        let Some(mut v) = self.volumes.volumes.get(volume_name).cloned() else { return };
        if v.claim.is_none() {
            v.claim = Some(ClaimRef { namespace: key.0.clone(), name: key.1.clone(), uid: claim.server.uid.clone() });
            v.annotations.insert(ANN_BOUND_BY_CONTROLLER.into(), "yes".into());
        }
        v.phase = "Bound";
        v.phase_ms = self.now();
        v.server.resource_version = self.next_resource_version();
        let (modes, storage) = (v.volume.spec.access_modes.clone(), v.volume.spec.storage.clone());
        self.put_volume(v, WatchType::Modified);
        let name = volume_name.to_string();
        self.update_claim(key, |c| {
            c.volume_name = name;
            c.annotations.insert(ANN_BIND_COMPLETED.into(), "yes".into());
            c.annotations.insert(ANN_BOUND_BY_CONTROLLER.into(), "yes".into());
            c.phase = "Bound";
            c.capacity = storage;
            c.bound_access_modes = modes;
        });
    }

    /// A new volume or class: the claims still Pending are synced again
    /// (the PV controller would find them at its next resync, within 15 s;
    /// podplay does it at once).
    fn sync_unbound_claims(&mut self) {
        let pending: Vec<Key> =
            self.claims.iter().filter(|(_, c)| c.phase != "Bound").map(|(k, _)| k.clone()).collect();
        for key in pending {
            self.sync_claim(&key);
        }
        self.schedule_pending();
    }

    // ---- the scheduler's VolumeBinding plugin ------------------------------

    /// PreFilter: a claim that binds at once (its class does not wait for a
    /// consumer, or does not exist) must be bound already.
    pub(crate) fn volume_prefilter(&self, spec: &PodSpec, ns: &str) -> Option<&'static str> {
        let unbound = pod_claims(spec, ns)
            .iter()
            .filter_map(|k| self.claims.get(k))
            .any(|c| c.phase != "Bound" && !self.delays_binding(c));
        unbound.then_some(UNBOUND_IMMEDIATE)
    }

    /// Filter (`FindPodVolumes`): a bound claim's volume must admit the
    /// node; a claim that waits for its consumer needs an Available volume
    /// that fits the node, or a class that provisions (`checkVolumeProvisions`:
    /// not `kubernetes.io/no-provisioner`), and no other node chosen for it.
    pub(crate) fn volume_filter(&self, spec: &PodSpec, ns: &str, node: &NodeConfig) -> Result<(), Rejection> {
        let reject = |r: &str| Err(Rejection { reasons: vec![r.to_string()], resolvable: false });
        for key in pod_claims(spec, ns) {
            let Some(c) = self.claims.get(&key) else { continue };
            if c.phase == "Bound" {
                if self.volumes.volumes.get(&c.volume_name).is_some_and(|v| !fits_node(&v.volume, node)) {
                    return reject(ERR_REASON_NODE_CONFLICT);
                }
                continue;
            }
            if let Some(selected) = c.annotations.get(ANN_SELECTED_NODE) {
                if *selected != node.name {
                    return reject(ERR_REASON_BIND_CONFLICT);
                }
                continue;
            }
            if self.best_volume(c, Some(node)).is_some() {
                continue;
            }
            let provisions = self
                .volumes
                .classes
                .get(&c.storage_class_name)
                .is_some_and(|sc| !sc.class.provisioner.is_empty() && sc.class.provisioner != NO_PROVISIONER);
            if !provisions {
                return reject(ERR_REASON_BIND_CONFLICT);
            }
        }
        Ok(())
    }

    /// Reserve and PreBind (`AssumePodVolumes`, `BindPodVolumes`): each
    /// claim waiting for this Pod is bound to a volume that fits the node,
    /// or gets the node in `volume.kubernetes.io/selected-node` and is
    /// synced, so its provisioner makes one. True when every claim is
    /// bound, and the Pod may be bound to the node; otherwise the Pod
    /// waits (the real PreBind waits up to 10 minutes, then fails).
    pub(crate) fn bind_pod_volumes(&mut self, spec: &PodSpec, ns: &str, node: usize) -> bool {
        let claims = pod_claims(spec, ns);
        if claims.is_empty() {
            // Every Pod the scheduler binds passes here: most have no claim.
            return true;
        }
        let cfg = self.nodes[node].cfg.clone();
        for key in &claims {
            let Some(c) = self.claims.get(key) else { continue };
            if c.phase == "Bound" {
                continue;
            }
            if let Some(volume) = self.best_volume(c, Some(&cfg)) {
                self.bind_claim(key, &volume);
                continue;
            }
            if !c.annotations.contains_key(ANN_SELECTED_NODE) {
                let name = cfg.name.clone();
                self.update_claim(key, |c| {
                    c.annotations.insert(ANN_SELECTED_NODE.into(), name);
                });
                self.sync_claim(key);
            }
        }
        claims.iter().all(|k| self.claims.get(k).is_none_or(|c| c.phase == "Bound"))
    }
}
