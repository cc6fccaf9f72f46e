//! What the engine hands back to its caller: the watch stream (`Output`, one
//! change to one object, in the order it happened, with the object's
//! [`Snapshot`]), the probe log, what an apply did to each object and what
//! an action was refused for.
//!
//! Upstream: the watch event types of k8s.io/apimachinery/pkg/watch
//! (`ADDED`, `MODIFIED`, `DELETED`); the probe kinds of the kubelet's prober
//! (pkg/kubelet/prober: startup, liveness, readiness); kubectl apply's
//! `created`, `configured` and `unchanged` (staging/src/k8s.io/kubectl/pkg/cmd/apply).

use super::{ControllerRevisionSnapshot, DaemonSetSnapshot, NodeSnapshot};
use crate::core::api::Pod;
use crate::core::status::*;
use crate::core::time::Millis;
use std::sync::Arc;

/// The type of a watch event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WatchType {
    Added,
    Modified,
    Deleted,
}

impl WatchType {
    pub fn as_str(self) -> &'static str {
        match self {
            WatchType::Added => "ADDED",
            WatchType::Modified => "MODIFIED",
            WatchType::Deleted => "DELETED",
        }
    }
}

/// One change the engine reports, in the order it happened: a watch event.
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    pub time_ms: Millis,
    pub type_: WatchType,
    /// The object after the change (as it was, for a deletion).
    pub object: Snapshot,
}

/// The object of a watch event, by kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Snapshot {
    Pod(PodSnapshot),
    Service(ServiceSnapshot),
    EndpointSlice(EndpointSliceSnapshot),
    Event(Event),
    Deployment(DeploymentSnapshot),
    ReplicaSet(ReplicaSetSnapshot),
    Job(JobSnapshot),
    CronJob(CronJobSnapshot),
    StatefulSet(StatefulSetSnapshot),
    PersistentVolumeClaim(PersistentVolumeClaimSnapshot),
    PersistentVolume(PersistentVolumeSnapshot),
    StorageClass(StorageClassSnapshot),
    PodDisruptionBudget(PodDisruptionBudgetSnapshot),
    ConfigMap(ConfigMapSnapshot),
    Secret(SecretSnapshot),
    Namespace(NamespaceSnapshot),
    DaemonSet(DaemonSetSnapshot),
    ControllerRevision(ControllerRevisionSnapshot),
    Node(NodeSnapshot),
}

/// One probe run by the kubelet, for front ends that draw probe ticks
/// (off by default: see [`Sim::log_probes`](super::Sim::log_probes)).
#[derive(Clone, Debug, PartialEq)]
pub struct ProbeRecord {
    pub time_ms: Millis,
    pub pod: Arc<Pod>,
    pub container: String,
    pub kind: ProbeKind,
    pub ok: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProbeKind {
    Startup,
    Liveness,
    Readiness,
}

impl ProbeKind {
    /// The three, in the order a container's probe workers are kept.
    pub const ALL: [ProbeKind; 3] = [ProbeKind::Startup, ProbeKind::Liveness, ProbeKind::Readiness];

    pub fn as_str(self) -> &'static str {
        match self {
            ProbeKind::Startup => "startup",
            ProbeKind::Liveness => "liveness",
            ProbeKind::Readiness => "readiness",
        }
    }
}

/// The most probe records kept unread; older ones are dropped.
pub const MAX_PROBE_LOG: usize = 100_000;

/// What applying one object did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApplyResult {
    Created {
        kind: &'static str,
        name: String,
    },
    Unchanged {
        kind: &'static str,
        name: String,
    },
    /// An existing object was changed (`configured`, in kubectl's words).
    Configured {
        kind: &'static str,
        name: String,
    },
    /// The API server refuses changes to a Pod's spec beyond a few fields.
    Refused {
        kind: &'static str,
        name: String,
        message: String,
    },
}

/// Something the engine refused to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionError(pub String);

impl std::fmt::Display for ActionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
