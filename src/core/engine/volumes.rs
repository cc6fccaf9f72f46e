//! StorageClasses and PersistentVolumes: the objects, as the API server
//! stores them, and the cluster's default class.
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

use super::{ApplyResult, Output, Sim, WatchType};
use crate::core::api::{ObjectMeta, PersistentVolume, StorageClass, DEFAULT_CLASS_ANNOTATION};
use crate::core::status::{PersistentVolumeSnapshot, ServerMeta, StorageClassSnapshot};
use crate::core::store::Store;
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
        let server = ServerMeta {
            uid: crate::core::rng::derived_uid(&format!("storageclass/{DEFAULT_STORAGE_CLASS}")),
            creation_ms: 0,
            resource_version: 1000,
            deletion_ms: None,
            deletion_grace_period_seconds: None,
        };
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
            let mut incoming = class.clone();
            incoming.metadata.pos = old.class.metadata.pos;
            if *old.class == incoming {
                return ApplyResult::Unchanged { kind: "StorageClass", name };
            }
            let o = &old.class;
            let forbidden = if o.parameters != class.parameters {
                Some("parameters: Forbidden: updates to parameters are forbidden.")
            } else if o.provisioner != class.provisioner {
                Some("provisioner: Forbidden: updates to provisioner are forbidden.")
            } else if o.reclaim_policy != class.reclaim_policy {
                Some("reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.")
            } else if o.volume_binding_mode != class.volume_binding_mode {
                Some("volumeBindingMode: Invalid value: field is immutable")
            } else {
                None
            };
            if let Some(why) = forbidden {
                let message = format!("StorageClass.storage.k8s.io \"{name}\" is invalid: {why}");
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
        self.outputs.push_back(Output::StorageClass { time_ms: self.now(), type_, class: snap.clone() });
        self.volumes.classes.insert(name, snap);
    }

    /// `kubectl apply` of a PersistentVolume: a new one is Available (the
    /// PV controller's `syncVolume` of a volume with no claimRef); a
    /// changed one keeps its binding.
    pub(crate) fn apply_persistent_volume(&mut self, mut volume: PersistentVolume) -> ApplyResult {
        let name = volume.metadata.name.clone();
        volume.metadata.namespace.clear();
        if let Some(old) = self.volumes.volumes.get(&name) {
            let mut incoming = volume.clone();
            incoming.metadata.pos = old.volume.metadata.pos;
            if *old.volume == incoming {
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
        self.outputs.push_back(Output::PersistentVolume { time_ms: self.now(), type_, volume: snap.clone() });
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

    /// The PV controller's pass over the claims that are not bound (slice 2).
    fn sync_unbound_claims(&mut self) {}
}
