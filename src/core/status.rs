//! The `status` side of objects, as the kubelet and the control plane report it,
//! and the `v1 Event`s they record. Times are virtual milliseconds
//! (`crate::core::time::Millis`) since the simulation epoch.

use crate::core::time::Millis;

/// A ConfigMap as the API server stored it.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigMapSnapshot {
    pub config_map: std::sync::Arc<crate::core::api::ConfigMap>,
    pub server: ServerMeta,
}

/// A Namespace as the API server stored it: one of a kind cluster's four,
/// or one applied from the manifests.
#[derive(Clone, Debug, PartialEq)]
pub struct NamespaceSnapshot {
    pub namespace: crate::core::api::Namespace,
    pub server: ServerMeta,
}

impl NamespaceSnapshot {
    /// `status.phase`: Active from its creation (`PrepareForCreate`,
    /// pkg/registry/core/namespace/strategy.go), Terminating once it has a
    /// deletionTimestamp (the namespace lifecycle; podplay does not delete
    /// namespaces yet, so it is always Active).
    pub fn phase(&self) -> &'static str {
        if self.server.deletion_ms.is_some() {
            "Terminating"
        } else {
            "Active"
        }
    }
}

/// A PriorityClass as the API server stored it: one of the two system
/// classes, or one applied from the manifests.
#[derive(Clone, Debug, PartialEq)]
pub struct PriorityClassSnapshot {
    pub class: std::sync::Arc<crate::core::api::PriorityClass>,
    pub server: ServerMeta,
}

/// A Secret as the API server stored it.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretSnapshot {
    pub secret: std::sync::Arc<crate::core::api::Secret>,
    pub server: ServerMeta,
}
use std::net::Ipv4Addr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PodPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

impl PodPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            PodPhase::Pending => "Pending",
            PodPhase::Running => "Running",
            PodPhase::Succeeded => "Succeeded",
            PodPhase::Failed => "Failed",
            PodPhase::Unknown => "Unknown",
        }
    }
}

/// Pod condition types, in the order a Pod's status lists them: the kubelet's
/// status manager keeps the conditions it does not own first, then its own
/// in the order it generates them (`mergePodStatus`,
/// pkg/kubelet/status/status_manager.go).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConditionType {
    /// Set by the API server's Eviction API (`EvictionByEvictionAPI`) or the
    /// taint eviction controller (`DeletionByTaintManager`) just before they
    /// delete the Pod; never by the kubelet in podplay.
    DisruptionTarget,
    PodReadyToStartContainers,
    Initialized,
    Ready,
    ContainersReady,
    PodScheduled,
}

impl ConditionType {
    pub fn as_str(self) -> &'static str {
        match self {
            ConditionType::DisruptionTarget => "DisruptionTarget",
            ConditionType::PodReadyToStartContainers => "PodReadyToStartContainers",
            ConditionType::Initialized => "Initialized",
            ConditionType::Ready => "Ready",
            ConditionType::ContainersReady => "ContainersReady",
            ConditionType::PodScheduled => "PodScheduled",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodCondition {
    pub type_: ConditionType,
    pub status: bool,
    pub last_transition_ms: Millis,
    /// e.g. `ContainersNotReady`, `PodCompleted`, `Unschedulable`, `ContainersNotInitialized`.
    pub reason: Option<String>,
    /// e.g. `containers with unready status: [web]`.
    pub message: Option<String>,
}

/// Why a container is waiting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    /// ContainerCreating, PodInitializing, ErrImagePull, ImagePullBackOff,
    /// CrashLoopBackOff, CreateContainerConfigError, InvalidImageName, ...
    pub reason: String,
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Terminated {
    pub exit_code: i32,
    /// Completed, Error, OOMKilled, ContainerCannotRun, StartError, ...
    pub reason: String,
    pub message: Option<String>,
    pub signal: Option<i32>,
    pub started_at_ms: Millis,
    pub finished_at_ms: Millis,
    pub container_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContainerState {
    Waiting(Waiting),
    Running { started_at_ms: Millis },
    Terminated(Terminated),
}

impl ContainerState {
    pub fn waiting(reason: &str) -> Self {
        ContainerState::Waiting(Waiting { reason: reason.to_string(), message: None })
    }
    pub fn is_running(&self) -> bool {
        matches!(self, ContainerState::Running { .. })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerStatus {
    pub name: String,
    pub image: String,
    /// Empty until the image has been pulled.
    pub image_id: String,
    /// Empty until a container has been created.
    pub container_id: String,
    pub state: ContainerState,
    /// The previous termination, once the container has restarted.
    pub last_state: Option<ContainerState>,
    pub ready: bool,
    pub restart_count: i32,
    /// None for a container never created; Some(false) until its startup probe passes.
    pub started: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodStatus {
    pub phase: PodPhase,
    pub conditions: Vec<PodCondition>,
    pub host_ip: Option<Ipv4Addr>,
    pub pod_ip: Option<Ipv4Addr>,
    pub start_time_ms: Option<Millis>,
    pub init_container_statuses: Vec<ContainerStatus>,
    pub container_statuses: Vec<ContainerStatus>,
    /// Guaranteed, Burstable or BestEffort.
    pub qos_class: &'static str,
    /// Pod-level reason, e.g. `DeadlineExceeded`, `Evicted`.
    pub reason: Option<String>,
    pub message: Option<String>,
}

impl PodStatus {
    pub fn condition(&self, t: ConditionType) -> Option<&PodCondition> {
        self.conditions.iter().find(|c| c.type_ == t)
    }
    pub fn is_ready(&self) -> bool {
        self.condition(ConditionType::Ready).is_some_and(|c| c.status)
    }
}

/// `metadata` the API server fills in for a live Pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerMeta {
    pub uid: String,
    pub creation_ms: Millis,
    pub resource_version: u64,
    pub deletion_ms: Option<Millis>,
    pub deletion_grace_period_seconds: Option<i64>,
}

impl ServerMeta {
    /// The metadata of an object the cluster has before anything is
    /// applied (kind's four namespaces, its `standard` StorageClass, the
    /// system PriorityClasses): created at 0, resourceVersion 1000 (below
    /// every object podplay creates), a uid derived from `key`
    /// (`storageclass/standard`), as a Node's is.
    pub fn from_the_start(key: &str) -> ServerMeta {
        ServerMeta {
            uid: crate::core::rng::derived_uid(key),
            creation_ms: 0,
            resource_version: 1000,
            deletion_ms: None,
            deletion_grace_period_seconds: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// The object an event is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ObjectRef {
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    pub uid: String,
    /// e.g. `spec.containers{web}`.
    pub field_path: Option<String>,
}

/// A `v1 Event`. Repeats of the same (object, reason, message, source) within
/// the correlator's window are folded into one event whose count grows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// `<object name>.<hex>` as the recorder names it.
    pub name: String,
    pub type_: EventType,
    pub reason: String,
    pub message: String,
    pub involved: ObjectRef,
    /// `kubelet` or `default-scheduler`.
    pub source_component: &'static str,
    pub source_host: Option<String>,
    pub count: u32,
    pub first_ms: Millis,
    pub last_ms: Millis,
}

/// A Pod as the API server would return it at one instant: the spec the user
/// gave (shared, never copied per change), what the server filled in, and the
/// status the kubelet reported.
#[derive(Clone, Debug, PartialEq)]
pub struct PodSnapshot {
    pub pod: std::sync::Arc<crate::core::api::Pod>,
    pub server: ServerMeta,
    /// `spec.nodeName` once the scheduler has bound the Pod.
    pub node_name: Option<String>,
    pub status: PodStatus,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceSnapshot {
    pub service: std::sync::Arc<crate::core::api::Service>,
    pub server: ServerMeta,
    /// None for a headless Service (`clusterIP: None`).
    pub cluster_ip: Option<Ipv4Addr>,
}

/// One endpoint of an EndpointSlice, with the conditions the EndpointSlice
/// controller sets (`pkg/controller/endpointslice`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub ip: Ipv4Addr,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
    pub pod_name: String,
    pub node_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointPort {
    pub name: Option<String>,
    pub port: i32,
    pub protocol: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointSliceSnapshot {
    /// `<service>-<5 random chars>`.
    pub name: String,
    pub namespace: String,
    pub service_name: String,
    pub server: ServerMeta,
    pub ports: Vec<EndpointPort>,
    pub endpoints: Vec<Endpoint>,
}

impl PodSnapshot {
    /// The controller that owns this Pod (`metadata.ownerReferences` with
    /// `controller: true`), e.g. its ReplicaSet.
    pub fn controller(&self) -> Option<&crate::core::api::OwnerReference> {
        self.pod.metadata.owner_references.iter().find(|o| o.controller)
    }
}

/// `status` of a ReplicaSet as the ReplicaSet controller computes it
/// (`calculateStatus`, pkg/controller/replicaset/replica_set_utils.go).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplicaSetStatus {
    pub replicas: i32,
    pub fully_labeled_replicas: i32,
    pub ready_replicas: i32,
    pub available_replicas: i32,
    pub observed_generation: i64,
}

/// A ReplicaSet as the API server would return it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaSetSnapshot {
    /// The current object: `spec.replicas` is what the last scale set;
    /// annotations and owner references as its controller set them.
    pub replica_set: std::sync::Arc<crate::core::api::ReplicaSet>,
    pub server: ServerMeta,
    pub generation: i64,
    pub status: ReplicaSetStatus,
}

/// A Deployment condition (`Available`, `Progressing`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeploymentCondition {
    pub type_: &'static str,
    pub status: bool,
    pub last_update_ms: Millis,
    pub last_transition_ms: Millis,
    pub reason: String,
    pub message: String,
}

/// `status` of a Deployment (`calculateStatus`, pkg/controller/deployment/sync.go).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeploymentStatus {
    pub observed_generation: i64,
    pub replicas: i32,
    pub updated_replicas: i32,
    pub ready_replicas: i32,
    pub available_replicas: i32,
    pub unavailable_replicas: i32,
    pub conditions: Vec<DeploymentCondition>,
}

impl DeploymentStatus {
    pub fn condition(&self, type_: &str) -> Option<&DeploymentCondition> {
        self.conditions.iter().find(|c| c.type_ == type_)
    }
}

/// A Deployment as the API server would return it.
#[derive(Clone, Debug, PartialEq)]
pub struct DeploymentSnapshot {
    /// The current object (annotations carry `deployment.kubernetes.io/revision`).
    pub deployment: std::sync::Arc<crate::core::api::Deployment>,
    pub server: ServerMeta,
    pub generation: i64,
    pub status: DeploymentStatus,
}

/// A Job condition (`SuccessCriteriaMet`, `Complete`, `FailureTarget`, `Failed`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobCondition {
    pub type_: &'static str,
    pub status: bool,
    pub last_probe_ms: Millis,
    pub last_transition_ms: Millis,
    pub reason: String,
    pub message: String,
}

/// `status` of a Job as the Job controller reports it
/// (pkg/controller/job/job_controller.go `syncJob`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobStatus {
    pub start_ms: Option<Millis>,
    pub completion_ms: Option<Millis>,
    pub active: i32,
    pub ready: i32,
    pub succeeded: i32,
    pub failed: i32,
    pub terminating: i32,
    /// `completedIndexes` of an Indexed Job, e.g. "0-2,4".
    pub completed_indexes: String,
    /// `failedIndexes`, set (maybe empty) with `backoffLimitPerIndex`.
    pub failed_indexes: Option<String>,
    pub conditions: Vec<JobCondition>,
}

impl JobStatus {
    pub fn condition(&self, type_: &str) -> Option<&JobCondition> {
        self.conditions.iter().find(|c| c.type_ == type_ && c.status)
    }
}

/// A Job as the API server would return it: the spec carries the generated
/// selector and the labels it added to the template.
#[derive(Clone, Debug, PartialEq)]
pub struct JobSnapshot {
    pub job: std::sync::Arc<crate::core::api::Job>,
    pub server: ServerMeta,
    pub generation: i64,
    pub status: JobStatus,
}

/// `status` of a CronJob (pkg/controller/cronjob/cronjob_controllerv2.go).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CronJobStatus {
    /// The Jobs it started that have not finished: (name, uid).
    pub active: Vec<(String, String)>,
    pub last_schedule_ms: Option<Millis>,
    pub last_successful_ms: Option<Millis>,
}

/// A CronJob as the API server would return it.
#[derive(Clone, Debug, PartialEq)]
pub struct CronJobSnapshot {
    pub cron_job: std::sync::Arc<crate::core::api::CronJob>,
    pub server: ServerMeta,
    pub generation: i64,
    pub status: CronJobStatus,
}

/// `status` of a StatefulSet (pkg/controller/statefulset/stateful_set_control.go).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatefulSetStatus {
    pub observed_generation: i64,
    pub replicas: i32,
    pub ready_replicas: i32,
    pub current_replicas: i32,
    pub updated_replicas: i32,
    pub available_replicas: i32,
    pub current_revision: String,
    pub update_revision: String,
    pub collision_count: i32,
}

/// A StatefulSet as the API server would return it.
#[derive(Clone, Debug, PartialEq)]
pub struct StatefulSetSnapshot {
    pub stateful_set: std::sync::Arc<crate::core::api::StatefulSet>,
    pub server: ServerMeta,
    pub generation: i64,
    pub status: StatefulSetStatus,
}

/// A PersistentVolumeClaim (applied, or made from a StatefulSet's claim
/// template) as the API server returns it: Pending until the PV
/// controller binds it to a volume (`engine/volumes.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersistentVolumeClaimSnapshot {
    pub name: String,
    pub namespace: String,
    pub labels: std::collections::BTreeMap<String, String>,
    /// What the PV controller and the scheduler wrote: `pv.kubernetes.io/bind-completed`,
    /// `volume.kubernetes.io/selected-node`, `volume.kubernetes.io/storage-provisioner`…
    pub annotations: std::collections::BTreeMap<String, String>,
    pub server: ServerMeta,
    pub access_modes: Vec<String>,
    /// `resources.requests.storage`.
    pub storage: String,
    /// The class after the DefaultStorageClass admission plugin; empty: none.
    pub storage_class_name: String,
    /// `spec.volumeName`: empty until bound.
    pub volume_name: String,
    /// `Pending` or `Bound`.
    pub phase: &'static str,
    /// `status.capacity.storage` and `status.accessModes`: the bound volume's.
    pub capacity: String,
    pub bound_access_modes: Vec<String>,
}

/// A StorageClass as the API server stored it.
#[derive(Clone, Debug, PartialEq)]
pub struct StorageClassSnapshot {
    pub class: std::sync::Arc<crate::core::api::StorageClass>,
    pub server: ServerMeta,
}

/// The claim a PersistentVolume is bound to (`spec.claimRef`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimRef {
    pub namespace: String,
    pub name: String,
    pub uid: String,
}

/// A PersistentVolume as the API server returns it.
#[derive(Clone, Debug, PartialEq)]
pub struct PersistentVolumeSnapshot {
    pub volume: std::sync::Arc<crate::core::api::PersistentVolume>,
    /// The PV controller's and the provisioner's annotations
    /// (`pv.kubernetes.io/bound-by-controller`, `pv.kubernetes.io/provisioned-by`).
    pub annotations: std::collections::BTreeMap<String, String>,
    pub server: ServerMeta,
    pub claim: Option<ClaimRef>,
    /// `Pending`, `Available` or `Bound`.
    pub phase: &'static str,
    /// `status.lastPhaseTransitionTime` (set by the API server on every
    /// phase change, pkg/registry/core/persistentvolume/strategy.go).
    pub phase_ms: crate::core::time::Millis,
}

/// The `DisruptionAllowed` condition of a PodDisruptionBudget
/// (`pdbhelper.UpdateDisruptionAllowedCondition`, or the controller's
/// `failSafe` when a sync fails).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DisruptionAllowedCondition {
    pub status: bool,
    /// `SufficientPods`, `InsufficientPods` or `SyncFailed`.
    pub reason: &'static str,
    pub message: String,
    pub last_transition_ms: Millis,
}

/// `status` of a PodDisruptionBudget, as the disruption controller writes it
/// (pkg/controller/disruption/disruption.go).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodDisruptionBudgetStatus {
    pub observed_generation: i64,
    pub disruptions_allowed: i32,
    pub current_healthy: i32,
    pub desired_healthy: i32,
    pub expected_pods: i32,
    pub condition: DisruptionAllowedCondition,
}

/// A PodDisruptionBudget as the API server would return it.
#[derive(Clone, Debug, PartialEq)]
pub struct PodDisruptionBudgetSnapshot {
    pub pdb: std::sync::Arc<crate::core::api::PodDisruptionBudget>,
    pub server: ServerMeta,
    pub generation: i64,
    pub status: PodDisruptionBudgetStatus,
}
