//! Typed Kubernetes objects as podplay understands them (the `spec` side).
//!
//! Field names follow the Kubernetes API (`core/v1`), in Rust's snake case; the
//! manifest decoder (`crate::core::manifest`) fills these from YAML and applies
//! the API server's defaults, so the engine never sees an unset field that the
//! API server would have defaulted. Fields the engine does not simulate are not
//! modelled here; the decoder accepts them (they are valid Kubernetes) and says
//! so in a warning.

use std::collections::BTreeMap;

/// A place in the manifest text: 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// `metadata` of any object.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObjectMeta {
    pub name: String,
    /// Defaulted to `default`.
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// Set by controllers on the objects they create (a manifest's own
    /// `ownerReferences` are bookkeeping and ignored).
    pub owner_references: Vec<OwnerReference>,
    /// The prefix a controller named the object from (`web-7d4b9c8f5-`).
    pub generate_name: Option<String>,
    /// Where the object starts in the manifest text.
    pub pos: Pos,
}

/// `metadata.ownerReferences[]`, as controllers set them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnerReference {
    /// `apps/v1`.
    pub api_version: &'static str,
    /// `ReplicaSet`, `Deployment`.
    pub kind: &'static str,
    pub name: String,
    pub uid: String,
    pub controller: bool,
    pub block_owner_deletion: bool,
}

/// One decoded object from a manifest: declared with its kind in [`crate::core::kinds`].
pub use crate::core::kinds::Object;

/// `metav1.LabelSelector`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    pub match_labels: BTreeMap<String, String>,
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelSelectorRequirement {
    pub key: String,
    pub operator: SelectorOperator,
    pub values: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectorOperator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

impl SelectorOperator {
    pub fn as_str(self) -> &'static str {
        match self {
            SelectorOperator::In => "In",
            SelectorOperator::NotIn => "NotIn",
            SelectorOperator::Exists => "Exists",
            SelectorOperator::DoesNotExist => "DoesNotExist",
        }
    }
}

impl LabelSelector {
    /// Whether `labels` match (`metav1.LabelSelectorAsSelector`): every
    /// `matchLabels` pair and every expression. An empty selector matches
    /// everything (controllers refuse it at validation).
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|e| {
                let value = labels.get(&e.key);
                match e.operator {
                    SelectorOperator::In => value.is_some_and(|v| e.values.contains(v)),
                    SelectorOperator::NotIn => value.is_none_or(|v| !e.values.contains(v)),
                    SelectorOperator::Exists => value.is_some(),
                    SelectorOperator::DoesNotExist => value.is_none(),
                }
            })
    }

    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// As `kubectl get -o wide` prints a selector: `app=web,tier in (a,b)`.
    pub fn to_text(&self) -> String {
        let mut parts: Vec<String> = self.match_labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        for e in &self.match_expressions {
            parts.push(match e.operator {
                SelectorOperator::In => format!("{} in ({})", e.key, e.values.join(",")),
                SelectorOperator::NotIn => format!("{} notin ({})", e.key, e.values.join(",")),
                SelectorOperator::Exists => e.key.clone(),
                SelectorOperator::DoesNotExist => format!("!{}", e.key),
            });
        }
        parts.join(",")
    }
}

/// `spec.template` of a controller: the Pods it creates.
#[derive(Clone, Debug, PartialEq)]
pub struct PodTemplate {
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub spec: PodSpec,
}

/// An `intstr.IntOrString` that is a count or a percentage (`25%`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntOrPercent {
    Int(i32),
    Percent(i32),
}

impl IntOrPercent {
    /// `intstr.GetScaledValueFromIntOrPercent`: a percentage of `total`,
    /// rounded up or down.
    pub fn scaled(self, total: i32, round_up: bool) -> i32 {
        match self {
            IntOrPercent::Int(n) => n,
            IntOrPercent::Percent(p) => {
                let v = total as i64 * p as i64;
                let scaled = if round_up { (v + 99).div_euclid(100) } else { v.div_euclid(100) };
                scaled.clamp(i32::MIN as i64, i32::MAX as i64) as i32
            }
        }
    }

    pub fn to_text(self) -> String {
        match self {
            IntOrPercent::Int(n) => n.to_string(),
            IntOrPercent::Percent(p) => format!("{p}%"),
        }
    }
}

/// `spec.strategy` of a Deployment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeploymentStrategy {
    /// Defaults 25% / 25%.
    RollingUpdate {
        max_surge: IntOrPercent,
        max_unavailable: IntOrPercent,
    },
    Recreate,
}

/// An `apps/v1 Deployment`.
#[derive(Clone, Debug, PartialEq)]
pub struct Deployment {
    pub metadata: ObjectMeta,
    pub spec: DeploymentSpec,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DeploymentSpec {
    /// Defaulted to 1.
    pub replicas: i32,
    pub selector: LabelSelector,
    pub template: PodTemplate,
    pub strategy: DeploymentStrategy,
    pub min_ready_seconds: i32,
    /// Defaulted to 10.
    pub revision_history_limit: i32,
    /// Defaulted to 600.
    pub progress_deadline_seconds: i32,
    pub paused: bool,
}

/// An `apps/v1 ReplicaSet`.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaSet {
    pub metadata: ObjectMeta,
    pub spec: ReplicaSetSpec,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaSetSpec {
    /// Defaulted to 1.
    pub replicas: i32,
    pub selector: LabelSelector,
    pub template: PodTemplate,
    pub min_ready_seconds: i32,
}

/// A `batch/v1 Job`.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub metadata: ObjectMeta,
    pub spec: JobSpec,
}

/// `spec` of a Job with the defaults of `pkg/apis/batch/v1/defaults.go`.
#[derive(Clone, Debug, PartialEq)]
pub struct JobSpec {
    /// Defaulted to 1.
    pub parallelism: i32,
    /// Defaulted to 1 when parallelism is unset too; None is a work queue.
    pub completions: Option<i32>,
    /// Defaulted to 6.
    pub backoff_limit: i32,
    pub active_deadline_seconds: Option<i64>,
    pub ttl_seconds_after_finished: Option<i32>,
    /// `manualSelector: true`: the user's selector is used as given.
    pub manual_selector: bool,
    /// The user's selector (manual) or, once the API server has generated
    /// it, `batch.kubernetes.io/controller-uid=<uid>`.
    pub selector: LabelSelector,
    pub template: PodTemplate,
    /// `podFailurePolicy.rules` (None when the policy is absent; its
    /// presence alone makes the controller replace only Failed Pods).
    pub pod_failure_policy: Option<Vec<PodFailurePolicyRule>>,
    /// `completionMode: Indexed` (default `NonIndexed`): each Pod gets a
    /// completion index from 0 to completions-1 (completions then set).
    pub indexed: bool,
    /// `backoffLimitPerIndex` (Indexed Jobs): the retries of each index.
    pub backoff_limit_per_index: Option<i32>,
    /// `maxFailedIndexes` (with `backoffLimitPerIndex`).
    pub max_failed_indexes: Option<i32>,
}

/// A `batch/v1 CronJob`, with the defaults of `SetDefaults_CronJob`
/// (pkg/apis/batch/v1/defaults.go).
#[derive(Clone, Debug, PartialEq)]
pub struct CronJob {
    pub metadata: ObjectMeta,
    pub spec: CronJobSpec,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CronJobSpec {
    pub schedule: String,
    /// The parsed schedule (validated when decoded).
    pub parsed: crate::core::cron::Schedule,
    /// `Etc/UTC` or `UTC` (the only zones podplay simulates), as written.
    pub time_zone: Option<String>,
    pub starting_deadline_seconds: Option<i64>,
    /// `Allow` (default), `Forbid` or `Replace`.
    pub concurrency_policy: &'static str,
    /// Defaulted to false.
    pub suspend: bool,
    /// Defaulted to 3.
    pub successful_jobs_history_limit: i32,
    /// Defaulted to 1.
    pub failed_jobs_history_limit: i32,
    /// `jobTemplate.metadata`: copied to each Job.
    pub job_labels: BTreeMap<String, String>,
    pub job_annotations: BTreeMap<String, String>,
    /// `jobTemplate.spec`.
    pub job_spec: JobSpec,
}

/// A `podFailurePolicy` rule (batch/v1 `PodFailurePolicyRule`).
#[derive(Clone, Debug, PartialEq)]
pub struct PodFailurePolicyRule {
    /// `FailJob`, `FailIndex` (with `backoffLimitPerIndex`), `Ignore` or `Count`.
    pub action: &'static str,
    pub on_exit_codes: Option<OnExitCodes>,
    /// `onPodConditions` patterns: (type, status `True`/`False`/`Unknown`).
    pub on_pod_conditions: Vec<(String, String)>,
}

/// `PodFailurePolicyOnExitCodesRequirement`.
#[derive(Clone, Debug, PartialEq)]
pub struct OnExitCodes {
    pub container_name: Option<String>,
    /// Operator `NotIn` (else `In`).
    pub not_in: bool,
    pub values: Vec<i32>,
}

/// `spec.podManagementPolicy` of a StatefulSet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodManagementPolicy {
    OrderedReady,
    Parallel,
}

impl PodManagementPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            PodManagementPolicy::OrderedReady => "OrderedReady",
            PodManagementPolicy::Parallel => "Parallel",
        }
    }
}

/// `spec.updateStrategy` of a StatefulSet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatefulSetUpdateStrategy {
    /// Defaulted, with partition 0.
    RollingUpdate {
        partition: i32,
    },
    OnDelete,
}

/// One `spec.volumeClaimTemplates[]` entry: a PersistentVolumeClaim per Pod.
#[derive(Clone, Debug, PartialEq)]
pub struct PersistentVolumeClaimTemplate {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// e.g. `ReadWriteOnce`.
    pub access_modes: Vec<String>,
    /// `resources.requests.storage` as written (`1Gi`).
    pub storage: String,
    /// None: the default StorageClass (`standard` on kind).
    pub storage_class_name: Option<String>,
}

/// A `v1 PersistentVolumeClaim` (its spec as in a claim template; the
/// template's name and labels are unused).
#[derive(Clone, Debug, PartialEq)]
pub struct PersistentVolumeClaim {
    pub metadata: ObjectMeta,
    pub spec: PersistentVolumeClaimTemplate,
}

/// A `storage.k8s.io/v1 StorageClass` (pkg/apis/storage/types.go): which
/// provisioner makes volumes for its claims, and when
/// (`volumeBindingMode`). Its fields sit at the top level, beside metadata.
#[derive(Clone, Debug, PartialEq)]
pub struct StorageClass {
    pub metadata: ObjectMeta,
    /// `rancher.io/local-path`; `kubernetes.io/no-provisioner` makes none.
    pub provisioner: String,
    pub parameters: BTreeMap<String, String>,
    /// Defaulted to `Delete` (`SetDefaults_StorageClass`).
    pub reclaim_policy: String,
    /// Defaulted to `Immediate`; or `WaitForFirstConsumer`.
    pub volume_binding_mode: String,
    pub allow_volume_expansion: Option<bool>,
}

/// The annotation that makes a StorageClass the default
/// (`storageutil.IsDefaultAnnotation`, pkg/apis/storage/util/helpers.go).
pub const DEFAULT_CLASS_ANNOTATION: &str = "storageclass.kubernetes.io/is-default-class";

impl StorageClass {
    /// `IsDefaultAnnotation`: the annotation (or its beta twin) is "true".
    pub fn is_default(&self) -> bool {
        let a = &self.metadata.annotations;
        a.get(DEFAULT_CLASS_ANNOTATION).map(String::as_str) == Some("true")
            || a.get("storageclass.beta.kubernetes.io/is-default-class").map(String::as_str) == Some("true")
    }
}

/// A `v1 PersistentVolume`'s spec: what the PV controller matches a claim
/// against (capacity, access modes, class) and where the data lives.
#[derive(Clone, Debug, PartialEq)]
pub struct PersistentVolumeSpec {
    /// `capacity.storage` as written (`10Gi`).
    pub storage: String,
    pub access_modes: Vec<String>,
    /// `persistentVolumeReclaimPolicy`, defaulted to `Retain`
    /// (`SetDefaults_PersistentVolume`).
    pub reclaim_policy: String,
    /// Empty: the volume has no class, and only a claim with none binds it.
    pub storage_class_name: String,
    /// `hostPath` or `local` (podplay keeps no other volume type's fields).
    pub source_kind: &'static str,
    /// `hostPath.path` or `local.path`.
    pub path: Option<String>,
    /// `nodeAffinity.required`: the nodes the volume can be used from (the
    /// local-path provisioner writes `kubernetes.io/hostname In [node]`);
    /// empty: any node.
    pub node_affinity: Vec<NodeSelectorTerm>,
}

/// A `v1 PersistentVolume`.
#[derive(Clone, Debug, PartialEq)]
pub struct PersistentVolume {
    pub metadata: ObjectMeta,
    pub spec: PersistentVolumeSpec,
}

/// A `scheduling.k8s.io/v1 PriorityClass`: the priority its name gives a
/// Pod at admission (plugin/pkg/admission/priority/admission.go).
#[derive(Clone, Debug, PartialEq)]
pub struct PriorityClass {
    pub metadata: ObjectMeta,
    pub value: i32,
    pub global_default: bool,
    pub description: String,
    /// Defaulted to `PreemptLowerPriority`.
    pub preemption_policy: String,
}

/// `spec.topologySpreadConstraints[i]`: what the PodTopologySpread filter
/// reads (`minDomains`, `nodeAffinityPolicy`, `nodeTaintsPolicy` and
/// `matchLabelKeys` are not simulated: their defaults apply).
#[derive(Clone, Debug, PartialEq)]
pub struct TopologySpreadConstraint {
    pub max_skew: i32,
    pub topology_key: String,
    /// `DoNotSchedule` or `ScheduleAnyway`.
    pub when_unsatisfiable: String,
    pub label_selector: Option<LabelSelector>,
}

/// The classes every cluster has (pkg/apis/scheduling/types.go:
/// `SystemClusterCritical` = `SystemCriticalPriority` 2000000000,
/// `SystemNodeCritical` = it + 1000), which the Priority admission plugin
/// resolves before the ones applied.
pub const SYSTEM_PRIORITY_CLASSES: [(&str, i32); 2] =
    [("system-cluster-critical", 2_000_000_000), ("system-node-critical", 2_000_001_000)];

/// A `policy/v1 PodDisruptionBudget`.
#[derive(Clone, Debug, PartialEq)]
pub struct PodDisruptionBudget {
    pub metadata: ObjectMeta,
    pub spec: PodDisruptionBudgetSpec,
}

/// `PodDisruptionBudgetSpec` (policy/v1 has no defaults: either budget may be unset).
#[derive(Clone, Debug, PartialEq)]
pub struct PodDisruptionBudgetSpec {
    pub min_available: Option<IntOrPercent>,
    /// None selects no Pods; an empty selector selects every Pod of the
    /// namespace (policy/v1's rule).
    pub selector: Option<LabelSelector>,
    pub max_unavailable: Option<IntOrPercent>,
    /// `IfHealthyBudget` or `AlwaysAllow`; unset behaves as `IfHealthyBudget`.
    pub unhealthy_pod_eviction_policy: Option<String>,
}

impl PodDisruptionBudgetSpec {
    /// Whether the budget covers a Pod with `labels` (in its namespace).
    pub fn selects(&self, labels: &BTreeMap<String, String>) -> bool {
        self.selector.as_ref().is_some_and(|s| s.matches(labels))
    }
}

/// An `apps/v1 StatefulSet`.
#[derive(Clone, Debug, PartialEq)]
pub struct StatefulSet {
    pub metadata: ObjectMeta,
    pub spec: StatefulSetSpec,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StatefulSetSpec {
    /// Defaulted to 1.
    pub replicas: i32,
    pub selector: LabelSelector,
    pub template: PodTemplate,
    pub service_name: Option<String>,
    /// Defaulted to `OrderedReady`.
    pub pod_management_policy: PodManagementPolicy,
    pub update_strategy: StatefulSetUpdateStrategy,
    pub volume_claim_templates: Vec<PersistentVolumeClaimTemplate>,
    pub min_ready_seconds: i32,
    /// Defaulted to 10.
    pub revision_history_limit: i32,
}

/// A `v1 Namespace`: a scope for names (cluster-scoped itself; its
/// `metadata.namespace` is ignored, as the API server ignores it).
#[derive(Clone, Debug, PartialEq)]
pub struct Namespace {
    pub metadata: ObjectMeta,
}

/// A `v1 ConfigMap`: `data` (text values).
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigMap {
    pub metadata: ObjectMeta,
    pub data: BTreeMap<String, String>,
}

/// A `v1 Secret`: `data` decoded from base64 and `stringData` merged in (as
/// the API server does), kept as text.
#[derive(Clone, Debug, PartialEq)]
pub struct Secret {
    pub metadata: ObjectMeta,
    /// Defaulted to `Opaque`.
    pub type_: String,
    pub data: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pod {
    pub metadata: ObjectMeta,
    pub spec: PodSpec,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RestartPolicy {
    Always,
    OnFailure,
    Never,
}

impl RestartPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            RestartPolicy::Always => "Always",
            RestartPolicy::OnFailure => "OnFailure",
            RestartPolicy::Never => "Never",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PodSpec {
    pub init_containers: Vec<Container>,
    pub containers: Vec<Container>,
    /// Defaulted to `Always`.
    pub restart_policy: RestartPolicy,
    /// Defaulted to 30.
    pub termination_grace_period_seconds: i64,
    pub active_deadline_seconds: Option<i64>,
    pub volumes: Vec<Volume>,
    pub node_name: Option<String>,
    /// `spec.hostNetwork`: podplay still gives the Pod its own IP; the
    /// kubelet's probes with a `host` reach it on the node's addresses.
    pub host_network: bool,
    pub node_selector: BTreeMap<String, String>,
    pub hostname: Option<String>,
    pub subdomain: Option<String>,
    /// Defaulted to `default-scheduler`.
    pub scheduler_name: String,
    /// Defaulted to `ClusterFirst`.
    pub dns_policy: String,
    /// Defaulted to `default`.
    pub service_account_name: String,
    /// `spec.tolerations`.
    pub tolerations: Vec<Toleration>,
    /// `spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`
    /// (ORed); empty when there is none.
    pub required_node_affinity: Vec<NodeSelectorTerm>,
    /// `spec.schedulingGates[*].name`: while any is left the scheduler
    /// does not consider the Pod (podplay has no action that removes one).
    pub scheduling_gates: Vec<String>,
    /// `spec.priorityClassName`, resolved by the Priority admission plugin.
    pub priority_class_name: Option<String>,
    /// `spec.priority`: what the manifest says, then what admission set.
    pub priority: Option<i32>,
    /// `spec.preemptionPolicy`, from the PriorityClass at admission.
    pub preemption_policy: Option<String>,
    /// `spec.topologySpreadConstraints`.
    pub topology_spread_constraints: Vec<TopologySpreadConstraint>,
    /// `spec.hostAliases`: extra `/etc/hosts` lines the kubelet writes.
    pub host_aliases: Vec<HostAlias>,
}

/// One `spec.hostAliases` entry: an IP and the names it gets in the Pod's
/// `/etc/hosts`.
#[derive(Clone, Debug, PartialEq)]
pub struct HostAlias {
    pub ip: String,
    pub hostnames: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PullPolicy {
    Always,
    IfNotPresent,
    Never,
}

impl PullPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            PullPolicy::Always => "Always",
            PullPolicy::IfNotPresent => "IfNotPresent",
            PullPolicy::Never => "Never",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Container {
    pub name: String,
    pub image: String,
    /// Defaulted as the API server does: `Always` for `:latest` or no tag, else `IfNotPresent`.
    pub image_pull_policy: PullPolicy,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub working_dir: Option<String>,
    pub ports: Vec<ContainerPort>,
    pub env: Vec<EnvVar>,
    /// `envFrom`: every key of a ConfigMap or Secret as a variable.
    pub env_from: Vec<EnvFromSource>,
    pub resources: Resources,
    pub volume_mounts: Vec<VolumeMount>,
    pub liveness_probe: Option<Probe>,
    pub readiness_probe: Option<Probe>,
    pub startup_probe: Option<Probe>,
    pub lifecycle: Lifecycle,
    /// Only valid on init containers: `Always` makes a native sidecar.
    pub restart_policy: Option<RestartPolicy>,
    /// Defaulted to `/dev/termination-log`.
    pub termination_message_path: String,
    /// Defaulted to `File`.
    pub termination_message_policy: String,
    /// Where the container's entry starts in the manifest text.
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub container_port: i32,
    /// Defaulted to `TCP`.
    pub protocol: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    /// `value`, or None when `valueFrom` is used.
    pub value: Option<String>,
    pub value_from: Option<EnvVarSource>,
}

/// `envFrom[]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvFromSource {
    /// Put before each key (`prefix`).
    pub prefix: String,
    /// `configMapRef` (true) or `secretRef` (false).
    pub config_map: bool,
    pub name: String,
    pub optional: bool,
}

/// `env[].valueFrom`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvVarSource {
    ConfigMapKey {
        name: String,
        key: String,
        optional: bool,
    },
    SecretKey {
        name: String,
        key: String,
        optional: bool,
    },
    /// `fieldRef.fieldPath`, e.g. `metadata.name`, `status.podIP`.
    Field {
        field_path: String,
    },
    /// `resourceFieldRef` (not simulated: resolves to an empty value).
    ResourceField {
        resource: String,
    },
}

/// `items[]` of a configMap or secret volume: the key and the relative
/// path of its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyToPath {
    pub key: String,
    pub path: String,
}

/// CPU in millicores, memory in bytes, as parsed from Kubernetes quantities.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ResourceList {
    pub cpu_millis: Option<i64>,
    pub memory_bytes: Option<i64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Resources {
    pub requests: ResourceList,
    pub limits: ResourceList,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeMount {
    pub name: String,
    pub mount_path: String,
    pub read_only: bool,
    pub sub_path: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Volume {
    pub name: String,
    pub source: VolumeSource,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VolumeSource {
    EmptyDir,
    /// `items` empty: every key as a file named by the key.
    ConfigMap {
        name: String,
        optional: bool,
        items: Vec<KeyToPath>,
    },
    Secret {
        secret_name: String,
        optional: bool,
        items: Vec<KeyToPath>,
    },
    HostPath {
        path: String,
        /// `type`: "" (no check), `Directory`, `DirectoryOrCreate`, `File`,
        /// `FileOrCreate`, `Socket`, `CharDevice`, `BlockDevice`.
        kind: String,
    },
    PersistentVolumeClaim {
        claim_name: String,
    },
    /// `downwardAPI`: one file per item, from the Pod's metadata or a
    /// container's resources.
    DownwardApi {
        items: Vec<DownwardApiFile>,
    },
    /// `projected`: the files of all its sources in one directory.
    Projected {
        sources: Vec<Projection>,
    },
    /// Any other volume type (its key, e.g. `nfs`): mounted, but empty.
    Other(String),
}

impl VolumeSource {
    /// Whether the volume's contents come (in part) from the ConfigMap
    /// (`config_map`) or Secret `name`.
    pub fn uses_object(&self, config_map: bool, name: &str) -> bool {
        match self {
            VolumeSource::ConfigMap { name: n, .. } => config_map && n == name,
            VolumeSource::Secret { secret_name: n, .. } => !config_map && n == name,
            VolumeSource::Projected { sources } => sources.iter().any(|s| match s {
                Projection::ConfigMap { name: n, .. } => config_map && n == name,
                Projection::Secret { name: n, .. } => !config_map && n == name,
                _ => false,
            }),
            _ => false,
        }
    }
}

/// `items[]` of a downwardAPI volume or projection (`DownwardAPIVolumeFile`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DownwardApiFile {
    pub path: String,
    pub source: DownwardApiSource,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DownwardApiSource {
    /// `fieldRef.fieldPath`: `metadata.name`, `metadata.labels['k']`, ….
    Field { field_path: String },
    /// `resourceFieldRef`. `divisor` is in the resource's base unit
    /// (millicores for CPU, bytes otherwise), 0 when unset (meaning 1);
    /// `divisor_text` is the quantity as written.
    ResourceField { container_name: String, resource: String, divisor: i64, divisor_text: Option<String> },
}

/// One `sources[]` entry of a projected volume.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Projection {
    /// `optional` as given (kubectl describe prints `<nil>` when unset).
    ConfigMap {
        name: String,
        optional: Option<bool>,
        items: Vec<KeyToPath>,
    },
    Secret {
        name: String,
        optional: Option<bool>,
        items: Vec<KeyToPath>,
    },
    DownwardApi {
        items: Vec<DownwardApiFile>,
    },
    /// `expiration_seconds` defaulted to 3600.
    ServiceAccountToken {
        audience: Option<String>,
        expiration_seconds: i64,
        path: String,
    },
    /// A source podplay does not fill (`clusterTrustBundle`, `podCertificate`).
    Other(String),
}

/// A port given by number or by the name of a container port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortRef {
    Number(i32),
    Name(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpHeader {
    pub name: String,
    pub value: String,
}

/// A probe's or a lifecycle hook's action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Handler {
    Exec {
        command: Vec<String>,
    },
    HttpGet {
        /// Defaulted to `/`.
        path: String,
        port: PortRef,
        host: Option<String>,
        /// Defaulted to `HTTP`.
        scheme: String,
        http_headers: Vec<HttpHeader>,
    },
    TcpSocket {
        port: PortRef,
        host: Option<String>,
    },
    Grpc {
        port: i32,
        service: Option<String>,
    },
    /// Lifecycle hooks only (`lifecycle.preStop.sleep`).
    Sleep {
        seconds: i64,
    },
}

impl Handler {
    pub fn kind(&self) -> &'static str {
        match self {
            Handler::Exec { .. } => "exec",
            Handler::HttpGet { .. } => "httpGet",
            Handler::TcpSocket { .. } => "tcpSocket",
            Handler::Grpc { .. } => "grpc",
            Handler::Sleep { .. } => "sleep",
        }
    }
}

/// A probe with the API server's defaults applied
/// (`pkg/apis/core/v1/defaults.go`: `SetDefaults_Probe`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    pub handler: Handler,
    /// Default 0.
    pub initial_delay_seconds: i32,
    /// Default 1.
    pub timeout_seconds: i32,
    /// Default 10.
    pub period_seconds: i32,
    /// Default 1 (must be 1 for liveness and startup).
    pub success_threshold: i32,
    /// Default 3.
    pub failure_threshold: i32,
    pub termination_grace_period_seconds: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lifecycle {
    pub post_start: Option<Handler>,
    pub pre_stop: Option<Handler>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub metadata: ObjectMeta,
    pub spec: ServiceSpec,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceSpec {
    pub selector: BTreeMap<String, String>,
    pub ports: Vec<ServicePort>,
    /// `None` until allocated; `Some("None")` for a headless Service.
    pub cluster_ip: Option<String>,
    /// Defaulted to `ClusterIP`.
    pub type_: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePort {
    pub name: Option<String>,
    /// Defaulted to `TCP`.
    pub protocol: String,
    pub port: i32,
    /// Defaulted to `port`.
    pub target_port: PortRef,
}

/// Parses a Kubernetes quantity (`100m`, `0.5`, `128Mi`, `1G`, `1e3`) into an
/// integer of the given base unit scaled by `scale` (1000 for CPU millicores,
/// 1 for bytes). Returns None for text that is not a quantity or overflows.
pub fn parse_quantity(text: &str, scale: i64) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let (number, suffix) = match text.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    };
    // Decimal exponent form: 1e3, 1E3 (but `1Ei` is 2^60).
    if (suffix.starts_with('e') || suffix.starts_with('E')) && suffix.len() > 1 && suffix != "Ei" {
        let exp: i32 = suffix[1..].parse().ok()?;
        let base = parse_decimal(number)?;
        return scale_decimal(base, exp, scale, 1);
    }
    let (mult, exp10): (i64, i32) = match suffix {
        "" => (1, 0),
        "m" => (1, -3),
        "k" => (1, 3),
        "M" => (1, 6),
        "G" => (1, 9),
        "T" => (1, 12),
        "P" => (1, 15),
        "E" => (1, 18),
        "Ki" => (1 << 10, 0),
        "Mi" => (1 << 20, 0),
        "Gi" => (1 << 30, 0),
        "Ti" => (1 << 40, 0),
        "Pi" => (1 << 50, 0),
        "Ei" => (1 << 60, 0),
        _ => return None,
    };
    let base = parse_decimal(number)?;
    scale_decimal(base, exp10, scale, mult)
}

/// A decimal as (digits, exponent): `1.25` → (125, -2).
fn parse_decimal(text: &str) -> Option<(i128, i32)> {
    let text = text.strip_prefix('+').unwrap_or(text);
    if text.is_empty() || text.starts_with('-') {
        return None;
    }
    let (int, frac) = match text.split_once('.') {
        Some((a, b)) => (a, b),
        None => (text, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if int.len() + frac.len() > 30 {
        return None;
    }
    let digits: i128 = format!("{int}{frac}").parse().ok()?;
    Some((digits, -(frac.len() as i32)))
}

/// digits × scale × mult × 10^(exp + exp10), rounded up as Kubernetes rounds quantities.
fn scale_decimal((digits, exp): (i128, i32), exp10: i32, scale: i64, mult: i64) -> Option<i64> {
    let mut value = digits.checked_mul(scale as i128)?.checked_mul(mult as i128)?;
    let e = exp.checked_add(exp10)?;
    if !(-40..=40).contains(&e) {
        return if e < 0 && value > 0 {
            Some(1)
        } else if value == 0 {
            Some(0)
        } else {
            None
        };
    }
    if e >= 0 {
        for _ in 0..e {
            value = value.checked_mul(10)?;
        }
    } else {
        let mut div: i128 = 1;
        for _ in 0..-e {
            div = div.checked_mul(10)?;
        }
        value = (value + div - 1) / div;
    }
    i64::try_from(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_parse_like_kubernetes() {
        assert_eq!(parse_quantity("100m", 1000), Some(100));
        assert_eq!(parse_quantity("0.5", 1000), Some(500));
        assert_eq!(parse_quantity("2", 1000), Some(2000));
        assert_eq!(parse_quantity("128Mi", 1), Some(128 * 1024 * 1024));
        assert_eq!(parse_quantity("1G", 1), Some(1_000_000_000));
        assert_eq!(parse_quantity("1e3", 1), Some(1000));
        assert_eq!(parse_quantity("1.5Gi", 1), Some(1610612736));
        assert_eq!(parse_quantity("abc", 1), None);
        assert_eq!(parse_quantity("-1", 1), None);
        assert_eq!(parse_quantity("99999999999999Ei", 1), None);
        assert_eq!(parse_quantity("1e-2147483648", 1), Some(1));
        assert_eq!(parse_quantity("1e2147483647", 1), None);
    }
}

/// A taint's effect (`v1.TaintEffect`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute,
}

impl TaintEffect {
    pub fn as_str(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "NoSchedule",
            TaintEffect::PreferNoSchedule => "PreferNoSchedule",
            TaintEffect::NoExecute => "NoExecute",
        }
    }

    pub fn parse(s: &str) -> Option<TaintEffect> {
        match s {
            "NoSchedule" => Some(TaintEffect::NoSchedule),
            "PreferNoSchedule" => Some(TaintEffect::PreferNoSchedule),
            "NoExecute" => Some(TaintEffect::NoExecute),
            _ => None,
        }
    }
}

/// `node.spec.taints[]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: TaintEffect,
}

impl Taint {
    pub fn new(key: &str, effect: TaintEffect) -> Taint {
        Taint { key: key.to_string(), value: String::new(), effect }
    }
}

/// `pod.spec.tolerations[]`. `operator` is `Exists` when true, else `Equal`
/// (the default); `effect` None tolerates every effect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toleration {
    pub key: String,
    pub exists: bool,
    pub value: String,
    pub effect: Option<TaintEffect>,
    pub toleration_seconds: Option<i64>,
}

impl Toleration {
    /// `Toleration.ToleratesTaint` (k8s.io/api/core/v1/toleration.go): the
    /// effects match (or the toleration has none), the keys match (or the
    /// toleration's key is empty with `Exists`: it tolerates everything),
    /// and with `Equal` the values match.
    pub fn tolerates(&self, taint: &Taint) -> bool {
        if self.effect.is_some_and(|e| e != taint.effect) {
            return false;
        }
        if !self.key.is_empty() && self.key != taint.key {
            return false;
        }
        if self.exists {
            return true;
        }
        // An empty key is only valid with Exists (validation refuses it).
        !self.key.is_empty() && self.value == taint.value
    }

    /// A toleration of `key` with `Exists` and `effect`, as controllers add them.
    pub fn exists_for(key: &str, effect: TaintEffect, seconds: Option<i64>) -> Toleration {
        Toleration {
            key: key.to_string(),
            exists: true,
            value: String::new(),
            effect: Some(effect),
            toleration_seconds: seconds,
        }
    }
}

/// `NodeSelectorRequirement.operator`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeSelectorOperator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    Gt,
    Lt,
}

impl NodeSelectorOperator {
    pub fn parse(s: &str) -> Option<NodeSelectorOperator> {
        match s {
            "In" => Some(NodeSelectorOperator::In),
            "NotIn" => Some(NodeSelectorOperator::NotIn),
            "Exists" => Some(NodeSelectorOperator::Exists),
            "DoesNotExist" => Some(NodeSelectorOperator::DoesNotExist),
            "Gt" => Some(NodeSelectorOperator::Gt),
            "Lt" => Some(NodeSelectorOperator::Lt),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NodeSelectorOperator::In => "In",
            NodeSelectorOperator::NotIn => "NotIn",
            NodeSelectorOperator::Exists => "Exists",
            NodeSelectorOperator::DoesNotExist => "DoesNotExist",
            NodeSelectorOperator::Gt => "Gt",
            NodeSelectorOperator::Lt => "Lt",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeSelectorRequirement {
    pub key: String,
    pub operator: NodeSelectorOperator,
    pub values: Vec<String>,
}

impl NodeSelectorRequirement {
    /// `nodeSelectorRequirementsAsSelector` semantics: `Gt`/`Lt` compare the
    /// label as an integer with the single value.
    pub fn matches(&self, value: Option<&str>) -> bool {
        let int = |s: &str| s.parse::<i64>().ok();
        match self.operator {
            NodeSelectorOperator::In => value.is_some_and(|v| self.values.iter().any(|x| x == v)),
            NodeSelectorOperator::NotIn => value.is_none_or(|v| !self.values.iter().any(|x| x == v)),
            NodeSelectorOperator::Exists => value.is_some(),
            NodeSelectorOperator::DoesNotExist => value.is_none(),
            NodeSelectorOperator::Gt | NodeSelectorOperator::Lt => {
                let (Some(v), Some(bound)) = (value.and_then(int), self.values.first().and_then(|b| int(b))) else {
                    return false;
                };
                if self.operator == NodeSelectorOperator::Gt {
                    v > bound
                } else {
                    v < bound
                }
            }
        }
    }
}

/// One `nodeSelectorTerms[]` item: its `matchExpressions` (on labels) and
/// `matchFields` (only `metadata.name` exists) are ANDed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeSelectorTerm {
    pub match_expressions: Vec<NodeSelectorRequirement>,
    pub match_fields: Vec<NodeSelectorRequirement>,
}

impl NodeSelectorTerm {
    /// A term with no requirement matches nothing (`nodeaffinity` helper).
    pub fn matches(&self, labels: &BTreeMap<String, String>, node_name: &str) -> bool {
        if self.match_expressions.is_empty() && self.match_fields.is_empty() {
            return false;
        }
        self.match_expressions.iter().all(|r| r.matches(labels.get(&r.key).map(String::as_str)))
            && self.match_fields.iter().all(|r| r.key == "metadata.name" && r.matches(Some(node_name)))
    }
}

/// A `v1 Node` from a manifest: what the cluster is made of.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub metadata: ObjectMeta,
    /// `spec.podCIDR`, when given (a /24 is assigned otherwise).
    pub pod_cidr: Option<std::net::Ipv4Addr>,
    pub taints: Vec<Taint>,
    pub unschedulable: bool,
    /// `status.allocatable` (defaulted from `status.capacity`, then from a
    /// kind worker's 4 CPUs, 8 GiB and 110 Pods).
    pub cpu_millis: i64,
    pub memory_bytes: i64,
    pub max_pods: i64,
}

/// An `apps/v1 DaemonSet`.
#[derive(Clone, Debug, PartialEq)]
pub struct DaemonSet {
    pub metadata: ObjectMeta,
    pub selector: LabelSelector,
    pub template: PodTemplate,
    pub min_ready_seconds: i32,
    pub update_strategy: DaemonSetUpdateStrategy,
}

/// `spec.updateStrategy` of a DaemonSet (`SetDefaults_DaemonSet`:
/// RollingUpdate, maxUnavailable 1, maxSurge 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DaemonSetUpdateStrategy {
    RollingUpdate { max_surge: IntOrPercent, max_unavailable: IntOrPercent },
    OnDelete,
}

impl Default for DaemonSetUpdateStrategy {
    fn default() -> Self {
        DaemonSetUpdateStrategy::RollingUpdate {
            max_surge: IntOrPercent::Int(0),
            max_unavailable: IntOrPercent::Int(1),
        }
    }
}
