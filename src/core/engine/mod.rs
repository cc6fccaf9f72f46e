//! The simulation engine: a deterministic, sans-IO model of the control plane
//! and the kubelet driving Pods.
//!
//! The engine never reads a clock. Callers pass time in and drain outputs:
//!
//! ```
//! use podplay::core::engine::{Sim, SimConfig};
//! use podplay::core::manifest::parse_manifests;
//! let parsed = parse_manifests("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: nginx:1.27}]\n");
//! let mut sim = Sim::new(SimConfig::default());
//! sim.apply(parsed.objects);
//! while let Some(t) = sim.next_deadline() {
//!     if t > 60_000 { break; }
//!     sim.advance_to(t);
//!     while let Some(out) = sim.poll_output() { let _ = out; }
//! }
//! assert!(sim.pod("default", "web").unwrap().status.is_ready());
//! ```
//!
//! Timers are data (`clock::Timer`), kept in one binary heap ordered by (time,
//! sequence), so equal-time timers fire in the order they were set. Every
//! random choice (names, UIDs, IPs) comes from streams derived from the seed.

pub mod action;
mod admission;
mod bound;
mod clock;
mod controllers;
mod cronjobs;
mod daemonset;
mod disruption;
mod dns;
mod endpoints;
mod env;
mod events;
mod files;
mod hostpath;
pub mod images;
mod indexed;
mod ipam;
mod jobs;
mod kubelet;
mod nodes;
mod outside;
mod pod;
mod pods;
mod scheduler;
mod services;
mod statefulsets;
mod termination;
mod topology;
mod traffic;
mod volumes;
mod watch;
mod workloads;

use crate::core::api::{ConfigMap, Object, Pod, Secret};
use crate::core::rng::Rng;
use crate::core::status::*;
use crate::core::store::Store;
use crate::core::time::Millis;
pub use controllers::{surge_and_unavailable, template_hash, CONTROLLER_HOP_MS, MAX_REPLICAS};
use std::collections::{BTreeMap, VecDeque};
use std::net::Ipv4Addr;
use std::sync::Arc;

pub use action::{Action, ControllerKind, NodeOp};
use clock::Clock;
pub(crate) use clock::{PodTimer, Target, Timer};
pub use cronjobs::next_scheduled;
pub use daemonset::{ControllerRevisionSnapshot, DaemonSetSnapshot};
pub use disruption::EVICTION_REFUSED;
use kubelet::PodRt;
pub use nodes::{
    DrainPlan, NodeReady, NodeSnapshot, KUBELET_VERSION, NODE_MONITOR_GRACE_MS, TAINT_NOT_READY, TAINT_UNREACHABLE,
};
pub use pod::Stopping;
pub(crate) use services::ServiceRt;
pub use traffic::{
    FailedRequest, Failure, PodTraffic, Rate, TrafficChange, TrafficChangeKind, TrafficSnapshot, PROXY_SYNC_DELAY_MS,
    TRAFFIC_ANNOTATION,
};

/// The most objects the engine holds at once; applies past it are refused.
pub const MAX_PODS: usize = 20_000;
/// The most timers processed by one `advance_to` call before it stops early
/// (a guard against runaway schedules; a caller simply calls again).
pub const MAX_STEPS_PER_ADVANCE: u64 = 50_000_000;

/// A node of the simulated cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeConfig {
    pub name: String,
    pub cpu_millis: i64,
    pub memory_bytes: i64,
    pub max_pods: u32,
    /// The node's Pod CIDR, a /24 (`10.244.1.0/24` → `[10, 244, 1, 0]`).
    pub pod_cidr: Ipv4Addr,
    pub internal_ip: Ipv4Addr,
    pub labels: BTreeMap<String, String>,
    /// `spec.taints` (the controllers' own taints included).
    pub taints: Vec<crate::core::api::Taint>,
    /// `spec.unschedulable` (cordoned).
    pub unschedulable: bool,
}

impl NodeConfig {
    /// A node like a kind worker: 4 CPUs, 8 GiB, 110 Pods.
    pub fn worker(index: u8) -> NodeConfig {
        let name = format!("node-{index}");
        let mut labels = BTreeMap::new();
        labels.insert("kubernetes.io/hostname".to_string(), name.clone());
        labels.insert("kubernetes.io/os".to_string(), "linux".to_string());
        labels.insert("kubernetes.io/arch".to_string(), "amd64".to_string());
        NodeConfig {
            name,
            cpu_millis: 4000,
            memory_bytes: 8 << 30,
            max_pods: 110,
            pod_cidr: Ipv4Addr::new(10, 244, index, 0),
            internal_ip: Ipv4Addr::new(172, 18, 0, index + 1),
            labels,
            taints: Vec::new(),
            unschedulable: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    pub seed: u64,
    pub nodes: Vec<NodeConfig>,
}

impl Default for SimConfig {
    /// Seed 1 and three worker nodes.
    fn default() -> Self {
        SimConfig { seed: 1, nodes: (1..=3).map(NodeConfig::worker).collect() }
    }
}

impl SimConfig {
    pub fn with_seed(seed: u64) -> Self {
        SimConfig { seed, ..SimConfig::default() }
    }
}

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
    ControllerRevision { time_ms: Millis, type_: WatchType, revision: daemonset::ControllerRevisionSnapshot },
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
/// (off by default: see [`Sim::log_probes`]).
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

/// A namespace's Service environment variables, shared.
pub(crate) type ServiceVars = Arc<Vec<(String, String)>>;

/// A node as the engine keeps it.
#[derive(Clone, Debug)]
pub(crate) struct NodeRt {
    pub cfg: NodeConfig,
    /// Images present on the node (canonical `repo:tag`).
    pub images: Vec<String>,
    /// Host-local IPAM: the last address handed out (host part).
    pub last_ip: u8,
    pub requested_cpu: i64,
    pub requested_mem: i64,
    /// Requests as the scorer counts them (non-zero defaults).
    pub nonzero_cpu: i64,
    pub nonzero_mem: i64,
    pub pods: u32,
    pub created_ms: Millis,
    pub ready: NodeReady,
    /// The Node object's resourceVersion, and when its Ready condition last
    /// changed; what the watch stream last saw of it (`nodes::publish_node`).
    pub resource_version: u64,
    pub ready_changed_ms: Millis,
    pub published: Option<nodes::NodeKey>,
    /// When the kubelet was stopped (`stop node`), if it is.
    pub stopped_at: Option<Millis>,
    /// Pod timers that came due while the node was stopped.
    pub parked: Vec<Timer>,
}

/// A container environment, shared by the processes that have it.
pub(crate) type SharedEnv = Arc<BTreeMap<String, String>>;

/// The simulated cluster.
pub struct Sim {
    /// Virtual time and the timers.
    pub(crate) clock: Clock,
    pub(crate) seed: u64,
    /// The Pod objects and their indexes (`pods.rs`).
    pub(crate) pods: pods::Pods,
    /// The Services and their environment variables (`services.rs`).
    pub(crate) services: services::Services,
    /// ConfigMaps and Secrets by (namespace, name): what env `valueFrom`
    /// and configMap/secret volumes read.
    pub(crate) config_maps: Store<Arc<ConfigMap>>,
    pub(crate) secrets: Store<Arc<Secret>>,
    /// The workload controllers' objects and their work queue (`workloads.rs`).
    pub(crate) controllers: workloads::Controllers,
    pub(crate) claims: Store<PersistentVolumeClaimSnapshot>,
    /// StorageClasses and PersistentVolumes (`volumes.rs`).
    pub(crate) volumes: volumes::Volumes,
    /// The API server's metadata of each ConfigMap and Secret (`watch.rs`).
    pub(crate) config_meta: Store<ServerMeta>,
    pub(crate) secret_meta: Store<ServerMeta>,
    /// Applied PriorityClasses by name (`admission.rs`).
    pub(crate) priority_classes: Store<Arc<crate::core::api::PriorityClass>, String>,
    /// Evictions `kubectl drain` will try again.
    pub(crate) pending_evictions: Vec<disruption::PendingEviction>,
    /// What `kubectl drain` printed to stderr as it ran, not yet read.
    pub(crate) client_messages: VecDeque<(Millis, String)>,
    pub(crate) nodes: Vec<NodeRt>,
    /// The nodes are still the default cluster (the first Node object replaces them).
    pub(crate) default_nodes: bool,
    /// Node objects or node actions changed the cluster.
    pub(crate) nodes_touched: bool,
    pub(crate) rng_names: Rng,
    pub(crate) rng_ids: Rng,
    pub(crate) rng_ips: Rng,
    pub(crate) resource_version: u64,
    /// The event recorder: every event, folded and aggregated.
    pub(crate) events: events::Recorder,
    pub(crate) outputs: VecDeque<Output>,
    /// The scheduler's queue of Pods waiting for a node.
    pub(crate) scheduler: scheduler::Scheduler,
    /// The namespaces that exist: a kind cluster's four, then those applied.
    pub(crate) namespaces: std::collections::BTreeSet<String>,
    /// Every Pod IP in use (the IPAM's allocation table).
    pub(crate) pod_ips: ipam::PodIps,
    /// The EndpointSlice controller's queue.
    pub(crate) endpoints: endpoints::EndpointsController,
    /// Warnings about things podplay could not simulate (e.g. an unknown command).
    pub(crate) notes: Vec<String>,
    /// Probe runs not yet read, when logging is on.
    pub(crate) probe_log: Option<VecDeque<ProbeRecord>>,
    /// Simulated client traffic to Services (`traffic.rs`).
    pub(crate) traffic: traffic::TrafficState,
    /// Whether probe workers may sleep through ticks that cannot change
    /// anything (on, except to check that it changes nothing).
    pub(crate) probe_sleep: bool,
    /// Pods with sleeping probe workers that changed (`wake_probes`).
    pub(crate) probe_wake: Vec<u32>,
}

impl Sim {
    pub fn new(config: SimConfig) -> Sim {
        let seed = config.seed;
        let default_nodes = config.nodes == SimConfig::default().nodes;
        let mut sim = Sim {
            clock: Clock::default(),
            seed,
            pods: pods::Pods::default(),
            services: services::Services::default(),
            config_maps: Store::new(),
            secrets: Store::new(),
            claims: Store::new(),
            volumes: volumes::Volumes::kind(),
            controllers: workloads::Controllers::default(),
            priority_classes: Store::new(),
            config_meta: Store::new(),
            secret_meta: Store::new(),
            pending_evictions: Vec::new(),
            client_messages: VecDeque::new(),
            nodes: config.nodes.into_iter().map(|cfg| NodeRt::new(cfg, 0)).collect(),
            default_nodes,
            nodes_touched: false,
            rng_names: Rng::derive(seed, "names"),
            rng_ids: Rng::derive(seed, "ids"),
            rng_ips: Rng::derive(seed, "ips"),
            resource_version: 1000,
            events: events::Recorder::default(),
            outputs: VecDeque::new(),
            scheduler: scheduler::Scheduler::default(),
            endpoints: endpoints::EndpointsController::default(),
            pod_ips: ipam::PodIps::default(),
            namespaces: crate::core::sort::collect_set(
                ["default", "kube-node-lease", "kube-public", "kube-system"].map(String::from),
            ),
            notes: Vec::new(),
            probe_log: None,
            probe_sleep: true,
            probe_wake: Vec::new(),
            traffic: traffic::TrafficState::default(),
        };
        let vars = env::service_env(&sim, "");
        sim.services.set_default_env(vars);
        // The cluster's Nodes are stored objects before anything else.
        for i in 0..sim.nodes.len() {
            sim.nodes[i].resource_version = sim.next_resource_version();
            sim.nodes[i].published = Some(sim.nodes[i].key());
        }
        sim
    }

    /// Lets probe workers sleep through ticks that would repeat a cached
    /// success (the default), or makes every tick run. The trace is the same
    /// either way (tests/properties.rs checks it); only the work differs.
    /// Workers never sleep while probe runs are logged: each run is a record.
    pub fn set_probe_sleep(&mut self, on: bool) {
        self.probe_sleep = on;
    }

    /// Turns the probe log on or off. When on, every probe the kubelet runs
    /// is reported through [`Sim::poll_probe`] (the page draws them as ticks).
    pub fn log_probes(&mut self, on: bool) {
        self.probe_log = on.then(VecDeque::new);
    }

    /// The oldest probe record not yet read.
    pub fn poll_probe(&mut self) -> Option<ProbeRecord> {
        self.probe_log.as_mut()?.pop_front()
    }

    /// The current virtual time.
    #[inline]
    pub fn now(&self) -> Millis {
        self.clock.now()
    }

    /// The seed every random choice derives from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Timers processed so far (the benchmark's unit of work).
    pub fn steps(&self) -> u64 {
        self.clock.steps()
    }

    /// When the next timer fires, if any.
    pub fn next_deadline(&self) -> Option<Millis> {
        self.clock.peek_at()
    }

    /// Runs every timer due at or before `t`, then sets the clock to `t`.
    /// Time never goes backwards: a `t` in the past is treated as now.
    pub fn advance_to(&mut self, t: Millis) {
        self.advance_within(t, MAX_STEPS_PER_ADVANCE);
    }

    /// [`Self::advance_to`], processing at most `max_steps` timers: false when
    /// it stopped early (the clock is then at the last timer it ran). A front
    /// end that must stay responsive calls this and says so when a run is
    /// too busy, instead of freezing.
    pub fn advance_within(&mut self, t: Millis, max_steps: u64) -> bool {
        let t = t.max(self.now());
        let mut budget = max_steps;
        loop {
            loop {
                if !self.probe_wake.is_empty() {
                    self.wake_probes();
                }
                let Some(at) = self.clock.peek_at() else { break };
                if at > t || budget == 0 {
                    break;
                }
                if at != self.now() && (self.endpoints.is_dirty() || self.pods.has_dirty()) {
                    // Publish what changed at the current instant first: the
                    // controllers may queue work due before this timer. The
                    // EndpointSlices follow once per instant, as the
                    // controller's work queue coalesces a Service's syncs.
                    self.clock.settle();
                    if self.endpoints.is_dirty() {
                        self.update_endpoints();
                    }
                    self.flush();
                    continue;
                }
                let Some(timer) = self.clock.pop() else { break };
                budget -= 1;
                self.fire(timer);
            }
            if budget == 0 {
                break;
            }
            self.clock.settle();
            if self.endpoints.is_dirty() {
                self.update_endpoints();
            }
            self.flush();
            if !self.probe_wake.is_empty() {
                self.wake_probes();
            }
            // Flushing can queue controller work that is already due.
            if self.clock.peek_at().is_none_or(|at| at > t) {
                self.clock.set_now(t);
                break;
            }
        }
        #[cfg(debug_assertions)]
        self.check_invariants();
        self.now() == t
    }

    /// The next output, oldest first.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    /// [`Self::apply`] as one command (`kubectl apply`, `Action::Apply`):
    /// what was said of each object, or, when any was refused, the
    /// refusals joined with "; ".
    pub fn apply_all(&mut self, objects: Vec<Object>) -> Result<Vec<ApplyResult>, ActionError> {
        let results = self.apply(objects);
        let refused: Vec<&str> = results
            .iter()
            .filter_map(|r| match r {
                ApplyResult::Refused { message, .. } => Some(message.as_str()),
                _ => None,
            })
            .collect();
        if refused.is_empty() {
            Ok(results)
        } else {
            Err(ActionError(refused.join("; ")))
        }
    }

    /// Applies objects at the current time.
    pub fn apply(&mut self, objects: Vec<Object>) -> Vec<ApplyResult> {
        let mut results = Vec::new();
        // How to fix a missing namespace (the docs' `kubectl create namespace x`
        // step), by result index: said in the note, not in the API's message.
        let mut hints: Vec<(usize, String)> = Vec::new();
        // In each kind's apply order (`KindInfo::apply_order`): kubectl
        // applies a file in order; podplay orders by kind so a manifest's
        // order never matters.
        let mut objects = objects;
        crate::core::sort::sort_by_key(&mut objects, |o| o.info().apply_order);
        for obj in objects {
            let ns = &obj.meta().namespace;
            let namespaced = obj.info().namespaced;
            if namespaced && !self.namespaces.contains(ns) {
                // The API server: `Error from server (NotFound): namespaces "x" not found`.
                let message = format!("namespaces \"{ns}\" not found");
                hints.push((results.len(), format!(" (add a Namespace object named {ns} to the manifests, as `kubectl create namespace {ns}` would)")));
                results.push(ApplyResult::Refused { kind: obj.kind(), name: obj.meta().name.clone(), message });
                continue;
            }
            results.push(match obj {
                Object::Namespace(n) => self.create_namespace(n),
                Object::PersistentVolumeClaim(c) => self.apply_claim(c),
                Object::StorageClass(c) => self.apply_storage_class(c),
                Object::PersistentVolume(v) => self.apply_persistent_volume(v),
                Object::Pod(p) => self.create_pod(p),
                Object::Service(s) => self.create_service(s),
                Object::ConfigMap(c) => self.put_config_map(c),
                Object::Secret(s) => self.put_secret(s),
                Object::Deployment(d) => self.create_deployment(d),
                Object::ReplicaSet(r) => self.create_replica_set(r),
                Object::Node(n) => self.apply_node(n),
                Object::DaemonSet(d) => self.create_daemon_set(d),
                Object::Job(j) => self.create_job(j),
                Object::CronJob(c) => self.create_cron_job(c),
                Object::StatefulSet(s) => self.create_stateful_set(s),
                Object::PodDisruptionBudget(p) => self.create_pdb(p),
                Object::PriorityClass(p) => self.create_priority_class(p),
            });
        }
        // What kubectl would print as an error: the object was not applied.
        for (i, r) in results.iter().enumerate() {
            if let ApplyResult::Refused { kind, name, message } = r {
                let hint = hints.iter().find(|(at, _)| *at == i).map_or("", |(_, h)| h.as_str());
                self.note(format!("{}/{name} not applied: {message}{hint}", kind.to_ascii_lowercase()));
            }
        }
        self.update_endpoints();
        self.flush();
        results
    }

    /// Performs an action at the current time.
    pub fn act(&mut self, action: &Action) -> Result<(), ActionError> {
        let result = match action {
            Action::Apply(objects) => self.apply_all(objects.clone()).map(drop),
            Action::DeletePod { namespace, name, grace_period_seconds } => {
                self.delete_pod(namespace, name, *grace_period_seconds)
            }
            Action::Kill { namespace, pod, container, exit_code } => {
                self.with_container(namespace, pod, container, |sim, slot, c| sim.kill_process(slot, c, *exit_code))
            }
            Action::Break { namespace, pod, container } => {
                self.with_container(namespace, pod, container, |sim, slot, c| sim.set_broken(slot, c, true))
            }
            Action::Heal { namespace, pod, container } => {
                self.with_container(namespace, pod, container, |sim, slot, c| sim.set_broken(slot, c, false))
            }
            Action::Scale { namespace, kind, name, replicas } => match kind {
                action::ControllerKind::Deployment => self.scale_deployment(namespace, name, *replicas),
                action::ControllerKind::ReplicaSet => self.scale_replica_set(namespace, name, *replicas),
                action::ControllerKind::StatefulSet => self.scale_stateful_set(namespace, name, *replicas),
                action::ControllerKind::Job | action::ControllerKind::CronJob => Err(ActionError(
                    "podplay does not scale Jobs or CronJobs (kubectl scale job was removed; set spec.parallelism)"
                        .into(),
                )),
                // A DaemonSet has no scale subresource: one Pod per eligible node.
                action::ControllerKind::DaemonSet => {
                    Err(ActionError("the server could not find the requested resource".into()))
                }
            },
            Action::SetImage { namespace, kind, name, container, image } => {
                self.set_image(namespace, *kind, name, container, image)
            }
            Action::RolloutRestart { namespace, kind, name } => self.rollout_restart(namespace, *kind, name),
            Action::RolloutUndo { namespace, name, to_revision } => self.rollout_undo(namespace, name, *to_revision),
            Action::RolloutPause { namespace, name, paused } => self.rollout_pause(namespace, name, *paused),
            Action::Delete { namespace, kind, name } => match kind {
                action::ControllerKind::Deployment => self.delete_deployment(namespace, name),
                action::ControllerKind::ReplicaSet => self.delete_replica_set(namespace, name),
                action::ControllerKind::Job => self.delete_job(namespace, name),
                action::ControllerKind::CronJob => self.delete_cron_job(namespace, name),
                action::ControllerKind::StatefulSet => self.delete_stateful_set(namespace, name),
                action::ControllerKind::DaemonSet => self.delete_daemon_set(namespace, name),
            },
            Action::Traffic { namespace, name, rate } => self.set_traffic(namespace, name, *rate),
            Action::Node { name, op } => match *op {
                action::NodeOp::Add { cpu_millis, memory_bytes, max_pods } => {
                    self.add_node(name, cpu_millis, memory_bytes, max_pods)
                }
                action::NodeOp::Cordon => self.cordon(name, true),
                action::NodeOp::Uncordon => self.cordon(name, false),
                action::NodeOp::Drain { force, delete_emptydir_data } => self.drain(name, force, delete_emptydir_data),
                action::NodeOp::Stop => self.stop_node(name),
                action::NodeOp::Start => self.start_node(name),
            },
        };
        self.update_endpoints();
        self.flush();
        result
    }

    fn with_container(
        &mut self,
        namespace: &str,
        pod: &str,
        container: &str,
        f: impl FnOnce(&mut Sim, u32, usize),
    ) -> Result<(), ActionError> {
        let slot = self.pods.slot(namespace, pod).ok_or_else(|| ActionError(format!("pods \"{pod}\" not found")))?;
        let p = self.pod_rt(slot).ok_or_else(|| ActionError(format!("pods \"{pod}\" not found")))?;
        let c = p
            .container_index(container)
            .ok_or_else(|| ActionError(format!("container {container} is not valid for pod {pod}")))?;
        f(self, slot, c);
        Ok(())
    }

    /// A snapshot of one Pod.
    pub fn pod(&self, namespace: &str, name: &str) -> Option<PodSnapshot> {
        let slot = self.pods.slot(namespace, name)?;
        self.pod_rt(slot).map(|p| p.snapshot())
    }

    /// Snapshots of every live Pod, by namespace and name.
    pub fn pods(&self) -> Vec<PodSnapshot> {
        self.pods.slots_by_name().filter_map(|s| self.pod_rt(s)).map(|p| p.snapshot()).collect()
    }

    /// The log of a container's current run (`kubectl logs POD -c C`), or
    /// None when there is no such Pod or container.
    pub fn logs(&self, namespace: &str, pod: &str, container: &str) -> Option<Vec<String>> {
        let slot = self.pods.slot(namespace, pod)?;
        let p = self.pod_rt(slot)?;
        let c = p.container_index(container)?;
        Some(p.cs[c].files.log.iter().cloned().collect())
    }

    /// The log of a container's previous run (`kubectl logs --previous`):
    /// None when there is no such Pod or container, or no earlier run ended.
    pub fn previous_logs(&self, namespace: &str, pod: &str, container: &str) -> Option<Vec<String>> {
        let slot = self.pods.slot(namespace, pod)?;
        let p = self.pod_rt(slot)?;
        let c = &p.cs[p.container_index(container)?];
        c.status.last_state.is_some().then(|| c.previous_log.iter().cloned().collect())
    }

    /// Snapshots of every Service.
    pub fn services(&self) -> Vec<ServiceSnapshot> {
        self.services.values().map(|s| s.snapshot()).collect()
    }

    /// Every EndpointSlice (one per Service with a selector).
    pub fn endpoint_slices(&self) -> Vec<EndpointSliceSnapshot> {
        self.services.values().filter(|s| !s.svc.spec.selector.is_empty()).map(|s| s.slice_snapshot()).collect()
    }

    /// Every event recorded so far, in the order first seen.
    pub fn events(&self) -> &[Event] {
        self.events.all()
    }

    /// Node names, in order.
    pub fn node_names(&self) -> Vec<String> {
        self.nodes.iter().map(|n| n.cfg.name.clone()).collect()
    }

    /// Warnings about behaviour podplay could not simulate, once each.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    pub(crate) fn note(&mut self, text: String) {
        if !self.notes.contains(&text) && self.notes.len() < 100 {
            self.notes.push(text);
        }
    }

    // ---- timers ----------------------------------------------------------

    /// A timer for the controllers (not tied to a Pod).
    pub(crate) fn schedule_controllers(&mut self, at: Millis) {
        self.clock.schedule(at, Target::Controllers);
    }

    /// A timer of the Pod in `slot` (none when the slot is empty).
    pub(crate) fn schedule(&mut self, at: Millis, slot: u32, what: PodTimer) {
        let incarnation = match self.pod_rt(slot) {
            Some(p) => p.incarnation,
            None => return,
        };
        self.clock.schedule_pod(at, slot, incarnation, what);
    }

    /// Hands a timer that came due to the part that owns its target.
    fn fire(&mut self, timer: Timer) {
        match timer.target {
            Target::Pod { slot, incarnation, what } => self.fire_pod(&timer, slot, incarnation, what),
            Target::Controllers => self.run_controllers(),
            Target::NodeMonitor(node) => self.node_monitor(node as usize),
            Target::Traffic(id) => self.traffic_request(id),
            Target::EvictionRetry => self.retry_evictions(),
        }
    }

    // ---- objects ---------------------------------------------------------

    #[inline]
    pub(crate) fn pod_rt(&self, slot: u32) -> Option<&PodRt> {
        self.pods.get(slot)
    }

    #[inline]
    pub(crate) fn pod_rt_mut(&mut self, slot: u32) -> Option<&mut PodRt> {
        self.pods.get_mut(slot)
    }

    pub(crate) fn next_resource_version(&mut self) -> u64 {
        self.resource_version += 1;
        self.resource_version
    }

    /// What the API server sets on an object it creates now: a uid, then a
    /// resource version.
    pub(crate) fn new_server_meta(&mut self) -> ServerMeta {
        let uid = self.new_uid();
        let resource_version = self.next_resource_version();
        ServerMeta {
            uid,
            creation_ms: self.now(),
            resource_version,
            deletion_ms: None,
            deletion_grace_period_seconds: None,
        }
    }

    /// A random (version 4, RFC 4122 variant) UUID, as the API server's
    /// `uuid.NewUUID` gives: `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`.
    pub(crate) fn new_uid(&mut self) -> String {
        let h = self.rng_ids.hex(32);
        let nibble = u8::from_str_radix(&h[16..17], 16).unwrap_or(0);
        let variant = char::from(b"89ab"[(nibble % 4) as usize]);
        format!("{}-{}-4{}-{variant}{}-{}", &h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])
    }

    /// A namespace (no lifecycle beyond existing: deleting one is not simulated).
    fn create_namespace(&mut self, ns: crate::core::api::Namespace) -> ApplyResult {
        let name = ns.metadata.name.clone();
        if self.namespaces.insert(name.clone()) {
            self.publish_namespace(ns);
            ApplyResult::Created { kind: "Namespace", name }
        } else {
            ApplyResult::Unchanged { kind: "Namespace", name }
        }
    }

    /// The namespaces that exist, in name order.
    pub fn namespaces(&self) -> Vec<String> {
        self.namespaces.iter().cloned().collect()
    }

    /// Creates or updates a ConfigMap. Containers read it when they are
    /// created (env) or when their volumes are set up, as the kubelet does.
    fn put_config_map(&mut self, cm: ConfigMap) -> ApplyResult {
        let key = (cm.metadata.namespace.clone(), cm.metadata.name.clone());
        let result = upsert(&mut self.config_maps, key.clone(), cm, "ConfigMap");
        self.publish_config_map(&key, &result);
        if matches!(result, ApplyResult::Configured { .. }) {
            self.refresh_volumes_of(&key.0, &key.1, true);
        }
        result
    }

    fn put_secret(&mut self, secret: Secret) -> ApplyResult {
        let key = (secret.metadata.namespace.clone(), secret.metadata.name.clone());
        let result = upsert(&mut self.secrets, key.clone(), secret, "Secret");
        self.publish_secret(&key, &result);
        if matches!(result, ApplyResult::Configured { .. }) {
            self.refresh_volumes_of(&key.0, &key.1, false);
        }
        result
    }

    /// The Pods whose controller has this uid, in name order.
    pub(crate) fn owned_pods(&self, uid: &str) -> Vec<u32> {
        self.pods.owned_by(uid)
    }

    /// Emits a MODIFIED watch event for every Pod whose status changed.
    pub(crate) fn flush(&mut self) {
        self.flush_pods();
        if !self.controllers.pdbs.is_empty() {
            self.sync_pdbs();
        }
    }

    // ---- events ----------------------------------------------------------

    /// Records an event for a Pod, folding repeats as the event correlator
    /// does (same object, reason, message and source → count + 1).
    pub(crate) fn record(
        &mut self,
        slot: u32,
        field_path: Option<String>,
        type_: EventType,
        reason: &str,
        message: String,
        source: &'static str,
    ) {
        let Some(p) = self.pod_rt(slot) else { return };
        let involved = ObjectRef {
            kind: "Pod",
            namespace: p.pod.metadata.namespace.clone(),
            name: p.pod.metadata.name.clone(),
            uid: p.server.uid.clone(),
            field_path,
        };
        let host = if source == "kubelet" { p.node_name() } else { None };
        self.record_object(involved, host, type_, reason, message, source);
    }

    /// Records an event about any object, folding repeats (by the object,
    /// field path, reason and message, as the EventCorrelator's
    /// `getEventKey` does).
    pub(crate) fn record_object(
        &mut self,
        involved: ObjectRef,
        host: Option<String>,
        type_: EventType,
        reason: &str,
        message: String,
        source: &'static str,
    ) {
        let now = self.now();
        let new = events::NewEvent { involved, host, type_, reason, message, source };
        let (type_, event) = self.events.record(now, new, &mut self.rng_names);
        self.outputs.push_back(Output::Event { time_ms: now, type_, event });
    }

    // ---- networking --------------------------------------------------------

    /// Host-local IPAM on the node's /24: the next free address after the
    /// last one handed out, so a freed IP is not handed straight back.
    pub(crate) fn allocate_pod_ip(&mut self, node: usize) -> Option<Ipv4Addr> {
        let n = &mut self.nodes[node];
        let base = n.cfg.pod_cidr.octets();
        for step in 1..=253u16 {
            let host = ((n.last_ip as i32 - 2 + step as i32).rem_euclid(253) + 2) as u8; // .2 ..= .254
            let ip = Ipv4Addr::new(base[0], base[1], base[2], host);
            if !self.pod_ips.contains(ip) {
                n.last_ip = host;
                self.pod_ips.insert(ip);
                return Some(ip);
            }
        }
        None
    }

    /// What cluster DNS answers for `name` asked from a Pod of `from_ns`
    /// (see `dns.rs`).
    pub(crate) fn resolve(&self, from_ns: &str, name: &str) -> Option<Ipv4Addr> {
        dns::Dns { services: &self.services, pods: &self.pods }.resolve(from_ns, name)
    }

    #[cfg(debug_assertions)]
    fn check_invariants(&self) {
        let mut ips: Vec<Ipv4Addr> = self.pods.iter().filter_map(|p| p.status.pod_ip).collect();
        let n = ips.len();
        crate::core::sort::sort(&mut ips);
        ips.dedup();
        assert_eq!(ips.len(), n, "live Pod IPs must be unique");
        let mut table: Vec<Ipv4Addr> = self.pod_ips.iter().collect();
        crate::core::sort::sort(&mut table);
        assert!(ips == table, "the IPAM table must hold exactly the live Pod IPs");
        self.pods.check_invariants();
        self.check_controller_invariants();
    }
}

/// `kubectl apply` of a plain data object: created, configured or unchanged.
fn upsert<T: PartialEq>(map: &mut Store<Arc<T>>, key: (String, String), object: T, kind: &'static str) -> ApplyResult {
    let name = key.1.clone();
    match map.get(&key) {
        Some(old) if **old == object => ApplyResult::Unchanged { kind, name },
        old => {
            let existed = old.is_some();
            map.insert(key, Arc::new(object));
            if existed {
                ApplyResult::Configured { kind, name }
            } else {
                ApplyResult::Created { kind, name }
            }
        }
    }
}
