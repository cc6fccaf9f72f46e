//! What the engine hands back to its caller: the watch stream (`Output`, one
//! change to one object, in the order it happened), the probe log, what an
//! apply did to each object and what an action was refused for.
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

/// One change the engine reports, in the order it happened.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Pod { time_ms: Millis, type_: WatchType, pod: PodSnapshot },
    Service { time_ms: Millis, type_: WatchType, service: ServiceSnapshot },
    EndpointSlice { time_ms: Millis, type_: WatchType, slice: EndpointSliceSnapshot },
    Event { time_ms: Millis, type_: WatchType, event: Event },
    Deployment { time_ms: Millis, type_: WatchType, deployment: DeploymentSnapshot },
    ReplicaSet { time_ms: Millis, type_: WatchType, replica_set: ReplicaSetSnapshot },
    Job { time_ms: Millis, type_: WatchType, job: JobSnapshot },
    CronJob { time_ms: Millis, type_: WatchType, cron_job: CronJobSnapshot },
    StatefulSet { time_ms: Millis, type_: WatchType, stateful_set: StatefulSetSnapshot },
    PersistentVolumeClaim { time_ms: Millis, type_: WatchType, claim: PersistentVolumeClaimSnapshot },
    PersistentVolume { time_ms: Millis, type_: WatchType, volume: PersistentVolumeSnapshot },
    StorageClass { time_ms: Millis, type_: WatchType, class: StorageClassSnapshot },
    PodDisruptionBudget { time_ms: Millis, type_: WatchType, pdb: PodDisruptionBudgetSnapshot },
    ConfigMap { time_ms: Millis, type_: WatchType, config_map: crate::core::status::ConfigMapSnapshot },
    Secret { time_ms: Millis, type_: WatchType, secret: crate::core::status::SecretSnapshot },
    Namespace { time_ms: Millis, type_: WatchType, namespace: crate::core::status::NamespaceSnapshot },
    DaemonSet { time_ms: Millis, type_: WatchType, daemon_set: DaemonSetSnapshot },
    ControllerRevision { time_ms: Millis, type_: WatchType, revision: ControllerRevisionSnapshot },
    Node { time_ms: Millis, type_: WatchType, node: NodeSnapshot },
}

impl Output {
    pub fn time_ms(&self) -> Millis {
        match self {
            Output::Pod { time_ms, .. }
            | Output::Service { time_ms, .. }
            | Output::EndpointSlice { time_ms, .. }
            | Output::Event { time_ms, .. }
            | Output::Deployment { time_ms, .. }
            | Output::ReplicaSet { time_ms, .. }
            | Output::Job { time_ms, .. }
            | Output::CronJob { time_ms, .. }
            | Output::StatefulSet { time_ms, .. }
            | Output::PersistentVolumeClaim { time_ms, .. }
            | Output::PersistentVolume { time_ms, .. }
            | Output::StorageClass { time_ms, .. }
            | Output::PodDisruptionBudget { time_ms, .. }
            | Output::ConfigMap { time_ms, .. }
            | Output::Secret { time_ms, .. }
            | Output::Namespace { time_ms, .. }
            | Output::DaemonSet { time_ms, .. }
            | Output::ControllerRevision { time_ms, .. }
            | Output::Node { time_ms, .. } => *time_ms,
        }
    }
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
