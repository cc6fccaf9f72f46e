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
//! Timers are data (`Timer`), kept in one binary heap ordered by (time,
//! sequence), so equal-time timers fire in the order they were set. Every
//! random choice (names, UIDs, IPs) comes from streams derived from the seed.

pub mod action;
mod controllers;
mod cronjobs;
mod daemonset;
mod disruption;
mod env;
mod files;
pub mod images;
mod indexed;
mod ipam;
mod jobs;
mod kubelet;
mod nodes;
mod outside;
mod pod;
mod statefulsets;
mod traffic;

use crate::core::api::{ConfigMap, Object, Pod, Secret, Service};
use crate::core::rng::Rng;
use crate::core::status::*;
use crate::core::store::Store;
use crate::core::time::Millis;
pub use controllers::{surge_and_unavailable, template_hash, CONTROLLER_HOP_MS, MAX_REPLICAS};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};
use std::net::Ipv4Addr;
use std::sync::Arc;

pub use action::{Action, ControllerKind, NodeOp};
pub use cronjobs::next_scheduled;
pub use daemonset::DaemonSetSnapshot;
pub use disruption::EVICTION_REFUSED;
use kubelet::PodRt;
pub use nodes::{NodeReady, NodeSnapshot, KUBELET_VERSION, NODE_MONITOR_GRACE_MS, TAINT_NOT_READY, TAINT_UNREACHABLE};
pub use pod::Stopping;
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
    PodDisruptionBudget { time_ms: Millis, type_: WatchType, pdb: PodDisruptionBudgetSnapshot },
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
            | Output::PodDisruptionBudget { time_ms, .. } => *time_ms,
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

/// A timer: data, not a closure. `slot` and `incarnation` name the Pod it
/// belongs to; a timer for a Pod that has since gone is dropped when popped.
/// Timers order by (time, `order`); see [`Timer::new`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timer {
    pub at: Millis,
    pub order: u64,
    pub slot: u32,
    pub incarnation: u32,
    pub what: What,
}

impl Timer {
    /// The `seq`th timer scheduled. Its `order` among timers due at the same
    /// instant: most run in the order they were scheduled (`seq`, unique);
    /// periodic probe ticks run after all of those, and among themselves by
    /// Pod slot, container and probe. Their order thus does not depend on
    /// when they were scheduled, so a probe worker that skips ticks that
    /// cannot change anything (`ProbeRt::asleep_since`) resumes exactly
    /// where its ticks would have been. (Two ticks of one slot, container
    /// and probe at one instant can only be an old Pod's and a new one's:
    /// the old one's is dropped when it pops, whichever goes first.)
    pub(crate) fn new(at: Millis, seq: u64, slot: u32, incarnation: u32, what: What) -> Timer {
        let order = match what {
            What::ProbeTick { c, probe } if probe < 3 => probe_tie(slot, c, probe),
            _ => seq,
        };
        Timer { at, order, slot, incarnation, what }
    }
}

/// The `order` of a periodic probe tick (above every `seq`, which stays below 2^63).
#[inline]
pub(crate) fn probe_tie(slot: u32, c: u16, probe: u8) -> u64 {
    1 << 63 | (slot as u64) << 24 | (c as u64) << 8 | probe as u64
}

impl Ord for Timer {
    #[inline]
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.order).cmp(&(other.at, other.order))
    }
}

impl PartialOrd for Timer {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A namespace's Service environment variables, shared.
pub(crate) type ServiceVars = Arc<Vec<(String, String)>>;

/// The aggregator combines from the 10th distinct message
/// (`defaultAggregateMaxEvents`) within 10 minutes (`defaultAggregateIntervalInSeconds`).
pub(crate) const EVENT_AGGREGATE_MAX: usize = 10;
pub(crate) const EVENT_AGGREGATE_WINDOW_MS: Millis = 600 * 1000;

/// The `slot` of controller timers.
pub(crate) const CONTROLLER_SLOT: u32 = u32::MAX;

/// What a timer does. `c` is a container index (init containers first), and
/// `epoch` the container's epoch when it was set: stale timers are ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum What {
    /// The Pod sandbox is up and has its IP.
    SandboxReady,
    /// `spec.activeDeadlineSeconds` after the Pod's start time.
    ActiveDeadline,
    /// The kubelet's next look at the Pod.
    Sync,
    /// The volume manager retries a failed mount.
    MountRetry,
    /// The Pod sync's wait for volumes times out.
    MountTimeout,
    /// The periodic sync refreshes configMap and secret volumes.
    VolumeResync,
    PullDone {
        c: u16,
        epoch: u32,
    },
    ContainerStart {
        c: u16,
        epoch: u32,
    },
    PostStartDone {
        c: u16,
        epoch: u32,
    },
    ProcessWake {
        c: u16,
        epoch: u32,
    },
    /// The app's own exit (program exit, OOM, crash-after knob).
    AppExit {
        c: u16,
        epoch: u32,
        code: i32,
        oom: bool,
    },
    BackoffDone {
        c: u16,
        epoch: u32,
    },
    PreStopDone {
        c: u16,
        epoch: u32,
    },
    KillDeadline {
        c: u16,
        epoch: u32,
    },
    /// 0 = startup, 1 = liveness, 2 = readiness.
    ProbeTick {
        c: u16,
        probe: u8,
    },
    /// Controller work is due (`slot` is `CONTROLLER_SLOT`).
    Controllers,
    /// The node lifecycle controller's monitor pass for a stopped node
    /// (`slot` is `nodes::NODE_SLOT`, `incarnation` the node's index).
    NodeMonitor,
    /// The taint eviction controller's deadline for a Pod.
    TaintEvict,
    /// A traffic source's next request (`slot` is `traffic::TRAFFIC_SLOT`,
    /// `incarnation` the source's id).
    TrafficRequest,
    /// `kubectl drain` tries refused evictions again (`slot` is
    /// `disruption::EVICTION_SLOT`).
    EvictionRetry,
}

/// A Service as the engine keeps it.
#[derive(Clone, Debug)]
pub(crate) struct ServiceRt {
    pub svc: Arc<Service>,
    pub server: ServerMeta,
    pub cluster_ip: Option<Ipv4Addr>,
    pub slice_name: String,
    pub slice_server: ServerMeta,
    pub endpoints: Vec<Endpoint>,
    /// The Pods its selector matches, by name (Pod labels never change after
    /// creation, so membership changes only when a Pod is created or removed).
    pub members: BTreeMap<String, u32>,
    /// Round-robin position for requests to the Service.
    pub rr: usize,
}

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
    /// When the kubelet was stopped (`stop node`), if it is.
    pub stopped_at: Option<Millis>,
    /// Pod timers that came due while the node was stopped.
    pub parked: Vec<Timer>,
}

/// A container environment, shared by the processes that have it.
pub(crate) type SharedEnv = Arc<BTreeMap<String, String>>;

/// The simulated cluster.
pub struct Sim {
    pub(crate) now: Millis,
    pub(crate) seq: u64,
    pub(crate) seed: u64,
    pub(crate) timers: BinaryHeap<Reverse<Timer>>,
    /// Pods by slot; a slot is reused only by a new incarnation.
    pub(crate) pods: Vec<Option<PodRt>>,
    pub(crate) free_slots: Vec<u32>,
    pub(crate) next_incarnation: u32,
    pub(crate) pod_index: BTreeMap<(String, String), u32>,
    pub(crate) services: Store<ServiceRt>,
    /// ConfigMaps and Secrets by (namespace, name): what env `valueFrom`
    /// and configMap/secret volumes read.
    pub(crate) config_maps: Store<Arc<ConfigMap>>,
    pub(crate) secrets: Store<Arc<Secret>>,
    pub(crate) deployments: Store<controllers::DeploymentRt>,
    pub(crate) replica_sets: Store<controllers::ReplicaSetRt>,
    pub(crate) daemon_sets: Store<daemonset::DaemonSetRt>,
    pub(crate) jobs: Store<jobs::JobRt>,
    pub(crate) cron_jobs: Store<cronjobs::CronJobRt>,
    pub(crate) stateful_sets: Store<statefulsets::StatefulSetRt>,
    pub(crate) claims: Store<PersistentVolumeClaimSnapshot>,
    pub(crate) pdbs: Store<disruption::PdbRt>,
    /// Evictions `kubectl drain` will try again.
    pub(crate) pending_evictions: Vec<disruption::PendingEviction>,
    /// What `kubectl drain` printed to stderr as it ran, not yet read.
    pub(crate) client_messages: VecDeque<(Millis, String)>,
    /// Controller work (`controllers::Work`, keyed as `Work::into_key`)
    /// and when it is due.
    pub(crate) work: Store<Millis>,
    pub(crate) nodes: Vec<NodeRt>,
    /// The nodes are still the default cluster (the first Node object replaces them).
    pub(crate) default_nodes: bool,
    /// Node objects or node actions changed the cluster.
    pub(crate) nodes_touched: bool,
    pub(crate) rng_names: Rng,
    pub(crate) rng_ids: Rng,
    pub(crate) rng_ips: Rng,
    pub(crate) resource_version: u64,
    pub(crate) events: Vec<Event>,
    /// Events by "object\0reason\0message" (see `event_object_key`), in a
    /// [`HashedStore`].
    pub(crate) event_index: HashedStore<usize>,
    /// The event aggregator's records: distinct messages per (object, field
    /// path, source, type, reason) and when one was last seen.
    /// Keyed "object\0source\0type\0reason".
    pub(crate) event_aggregates: HashedStore<(std::collections::BTreeSet<String>, Millis)>,
    pub(crate) outputs: VecDeque<Output>,
    /// Pods whose status may have changed since the last flush.
    pub(crate) dirty: Vec<u32>,
    /// Pods waiting for a node.
    pub(crate) unscheduled: Vec<u32>,
    /// The Service environment variables of each namespace with Services
    /// (`env::service_env`), made when a Service is created.
    pub(crate) service_env: Store<ServiceVars, String>,
    /// The Service variables of a namespace without Services (only `kubernetes`).
    pub(crate) default_service_env: Arc<Vec<(String, String)>>,
    /// Container environments already built, by (Service variables' address,
    /// own variables spelled out as `kubelet::env_key` does): the replicas
    /// of a Deployment share one (the Arc is kept so its address, part of
    /// the key, is not reused).
    pub(crate) env_cache: Store<(ServiceVars, SharedEnv)>,
    /// Pods by the uid of their controller (the ownerReference with
    /// `controller: true`), by name: what a controller's sync lists.
    pub(crate) owned: Store<BTreeMap<String, u32>, String>,
    /// Pods no controller owns, by (namespace, name): what a ReplicaSet may adopt.
    pub(crate) orphans: BTreeMap<(String, String), u32>,
    /// The namespaces that exist: a kind cluster's four, then those applied.
    pub(crate) namespaces: std::collections::BTreeSet<String>,
    /// Every Pod IP in use (the IPAM's allocation table).
    pub(crate) pod_ips: ipam::PodIps,
    pub(crate) steps: u64,
    /// A Pod changed since endpoints were last computed.
    pub(crate) endpoints_dirty: bool,
    /// Pods whose status changed since endpoints were last computed.
    pub(crate) endpoints_touched: Vec<u32>,
    /// Services whose endpoints must be rebuilt (membership changed).
    /// (A set: the value is unused; this map type is the one the object
    /// Stores already use, so no other B-tree is compiled for it.)
    pub(crate) endpoints_stale: BTreeMap<(String, String), u32>,
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
    /// Where the run is in the timer order: (time, `Timer::order`) of the
    /// timer that ran last, or (time, MAX) once every timer due by then ran.
    pub(crate) cursor: (Millis, u64),
}

/// Values by a string key, kept by the key's 64-bit hash (a collision moves
/// on to the next free number, so lookups stay exact). Event recording looks
/// up tens of thousands of long keys; comparing inline numbers instead of
/// strings behind pointers makes that several times cheaper. Never iterated.
pub(crate) type HashedStore<T> = Store<(String, T), u64>;

/// Where `key` is in `store`: `Ok(number)` when present, else `Err(number)`
/// where it goes.
fn hashed_find<T>(store: &HashedStore<T>, key: &str) -> Result<u64, u64> {
    // FNV-1a.
    let mut h = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    loop {
        match store.get(&h) {
            Some((k, _)) if k == key => return Ok(h),
            Some(_) => h = h.wrapping_add(1),
            None => return Err(h),
        }
    }
}

/// An event's object as one string key: its uid (which never holds a NUL),
/// NUL, then `/` and the field path when there is one.
fn event_object_key(uid: &str, field_path: Option<&str>) -> String {
    match field_path {
        None => format!("{uid}\0"),
        Some(f) => format!("{uid}\0/{f}"),
    }
}

impl Sim {
    pub fn new(config: SimConfig) -> Sim {
        let seed = config.seed;
        let default_nodes = config.nodes == SimConfig::default().nodes;
        let mut sim = Sim {
            now: 0,
            seq: 0,
            seed,
            timers: BinaryHeap::new(),
            pods: Vec::new(),
            free_slots: Vec::new(),
            next_incarnation: 1,
            pod_index: BTreeMap::new(),
            services: Store::new(),
            config_maps: Store::new(),
            secrets: Store::new(),
            deployments: Store::new(),
            replica_sets: Store::new(),
            daemon_sets: Store::new(),
            jobs: Store::new(),
            cron_jobs: Store::new(),
            stateful_sets: Store::new(),
            claims: Store::new(),
            pdbs: Store::new(),
            pending_evictions: Vec::new(),
            client_messages: VecDeque::new(),
            work: Store::new(),
            nodes: config.nodes.into_iter().map(|cfg| NodeRt::new(cfg, 0)).collect(),
            default_nodes,
            nodes_touched: false,
            rng_names: Rng::derive(seed, "names"),
            rng_ids: Rng::derive(seed, "ids"),
            rng_ips: Rng::derive(seed, "ips"),
            resource_version: 1000,
            events: Vec::new(),
            event_index: Store::new(),
            event_aggregates: Store::new(),
            outputs: VecDeque::new(),
            dirty: Vec::new(),
            unscheduled: Vec::new(),
            steps: 0,
            endpoints_dirty: false,
            endpoints_touched: Vec::new(),
            pod_ips: ipam::PodIps::default(),
            namespaces: crate::core::sort::collect_set(
                ["default", "kube-node-lease", "kube-public", "kube-system"].map(String::from),
            ),
            owned: Store::new(),
            orphans: BTreeMap::new(),
            service_env: Store::new(),
            default_service_env: Arc::new(Vec::new()),
            env_cache: Store::new(),
            endpoints_stale: BTreeMap::new(),
            notes: Vec::new(),
            probe_log: None,
            probe_sleep: true,
            probe_wake: Vec::new(),
            cursor: (0, u64::MAX),
            traffic: traffic::TrafficState::default(),
        };
        sim.default_service_env = Arc::new(env::service_env(&sim, ""));
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
    pub fn now(&self) -> Millis {
        self.now
    }

    /// The seed every random choice derives from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Timers processed so far (the benchmark's unit of work).
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// When the next timer fires, if any.
    pub fn next_deadline(&self) -> Option<Millis> {
        self.timers.peek().map(|Reverse(t)| t.at)
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
        let t = t.max(self.now);
        let mut budget = max_steps;
        loop {
            loop {
                if !self.probe_wake.is_empty() {
                    self.wake_probes();
                }
                let Some(Reverse(timer)) = self.timers.peek().copied() else { break };
                if timer.at > t || budget == 0 {
                    break;
                }
                if timer.at != self.now && (self.endpoints_dirty || !self.dirty.is_empty()) {
                    // Publish what changed at the current instant first: the
                    // controllers may queue work due before this timer. The
                    // EndpointSlices follow once per instant, as the
                    // controller's work queue coalesces a Service's syncs.
                    self.cursor = (self.now, u64::MAX);
                    if self.endpoints_dirty {
                        self.update_endpoints();
                    }
                    self.flush();
                    continue;
                }
                self.timers.pop();
                budget -= 1;
                debug_assert!(timer.at >= self.now, "time went backwards");
                self.now = timer.at;
                self.cursor = (timer.at, timer.order);
                self.steps += 1;
                self.fire(timer);
            }
            if budget == 0 {
                break;
            }
            self.cursor = (self.now, u64::MAX);
            if self.endpoints_dirty {
                self.update_endpoints();
            }
            self.flush();
            if !self.probe_wake.is_empty() {
                self.wake_probes();
            }
            // Flushing can queue controller work that is already due.
            if self.timers.peek().is_none_or(|Reverse(timer)| timer.at > t) {
                self.now = t;
                self.cursor = (t, u64::MAX);
                break;
            }
        }
        #[cfg(debug_assertions)]
        self.check_invariants();
        self.now == t
    }

    /// The next output, oldest first.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
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
            Action::Apply(objects) => {
                let refused: Vec<String> = self
                    .apply(objects.clone())
                    .into_iter()
                    .filter_map(|r| match r {
                        ApplyResult::Refused { message, .. } => Some(message),
                        _ => None,
                    })
                    .collect();
                if refused.is_empty() {
                    Ok(())
                } else {
                    Err(ActionError(refused.join("; ")))
                }
            }
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
        let slot = *self
            .pod_index
            .get(&(namespace.to_string(), pod.to_string()))
            .ok_or_else(|| ActionError(format!("pods \"{pod}\" not found")))?;
        let p = self.pod_rt(slot).ok_or_else(|| ActionError(format!("pods \"{pod}\" not found")))?;
        let c = p
            .container_index(container)
            .ok_or_else(|| ActionError(format!("container {container} is not valid for pod {pod}")))?;
        f(self, slot, c);
        Ok(())
    }

    /// A snapshot of one Pod.
    pub fn pod(&self, namespace: &str, name: &str) -> Option<PodSnapshot> {
        let slot = *self.pod_index.get(&(namespace.to_string(), name.to_string()))?;
        self.pod_rt(slot).map(|p| p.snapshot())
    }

    /// Snapshots of every live Pod, by namespace and name.
    pub fn pods(&self) -> Vec<PodSnapshot> {
        self.pod_index.values().filter_map(|&s| self.pod_rt(s)).map(|p| p.snapshot()).collect()
    }

    /// The log of a container's current run (`kubectl logs POD -c C`), or
    /// None when there is no such Pod or container.
    pub fn logs(&self, namespace: &str, pod: &str, container: &str) -> Option<Vec<String>> {
        let slot = *self.pod_index.get(&(namespace.to_string(), pod.to_string()))?;
        let p = self.pod_rt(slot)?;
        let c = p.container_index(container)?;
        Some(p.cs[c].files.log.clone())
    }

    /// The log of a container's previous run (`kubectl logs --previous`):
    /// None when there is no such Pod or container, or no earlier run ended.
    pub fn previous_logs(&self, namespace: &str, pod: &str, container: &str) -> Option<Vec<String>> {
        let slot = *self.pod_index.get(&(namespace.to_string(), pod.to_string()))?;
        let p = self.pod_rt(slot)?;
        let c = &p.cs[p.container_index(container)?];
        c.status.last_state.is_some().then(|| c.previous_log.clone())
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
        &self.events
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
        self.seq += 1;
        self.timers.push(Reverse(Timer::new(at.max(self.now), self.seq, CONTROLLER_SLOT, 0, What::Controllers)));
    }

    pub(crate) fn schedule(&mut self, at: Millis, slot: u32, what: What) {
        let incarnation = match self.pod_rt(slot) {
            Some(p) => p.incarnation,
            None => return,
        };
        self.seq += 1;
        self.timers.push(Reverse(Timer::new(at.max(self.now), self.seq, slot, incarnation, what)));
    }

    fn fire(&mut self, timer: Timer) {
        if timer.slot == traffic::TRAFFIC_SLOT {
            self.traffic_request(timer.incarnation);
            return;
        }
        if timer.slot == disruption::EVICTION_SLOT {
            self.retry_evictions();
            return;
        }
        if timer.slot == CONTROLLER_SLOT || timer.slot == nodes::NODE_SLOT {
            if timer.slot == CONTROLLER_SLOT {
                self.run_controllers();
            } else {
                self.node_monitor(timer.incarnation as usize);
            }
            return;
        }
        match self.pod_rt(timer.slot) {
            Some(p) if p.incarnation == timer.incarnation => {}
            _ => return,
        }
        if timer.what == What::TaintEvict {
            self.taint_evict(timer.slot);
        } else if !self.park_if_stopped(&timer) {
            // (A stopped node's kubelet parks its work until `start node`.)
            self.on_timer(timer.slot, timer.what);
        }
    }

    // ---- objects ---------------------------------------------------------

    pub(crate) fn pod_rt(&self, slot: u32) -> Option<&PodRt> {
        self.pods.get(slot as usize).and_then(|p| p.as_ref())
    }

    pub(crate) fn pod_rt_mut(&mut self, slot: u32) -> Option<&mut PodRt> {
        self.pods.get_mut(slot as usize).and_then(|p| p.as_mut())
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
            creation_ms: self.now,
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

    fn create_pod(&mut self, pod: Pod) -> ApplyResult {
        let mut pod = pod;
        nodes::add_default_tolerations(&mut pod);
        let key = (pod.metadata.namespace.clone(), pod.metadata.name.clone());
        if let Some(&slot) = self.pod_index.get(&key) {
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
        if self.pod_index.len() >= MAX_PODS {
            return ApplyResult::Refused {
                kind: "Pod",
                name: pod.metadata.name.clone(),
                message: format!("podplay simulates at most {MAX_PODS} Pods"),
            };
        }
        let incarnation = self.next_incarnation;
        self.next_incarnation += 1;
        let uid = self.new_uid();
        let rv = self.next_resource_version();
        let name = pod.metadata.name.clone();
        let gated = !pod.spec.scheduling_gates.is_empty();
        let mut rt = PodRt::new(Arc::new(pod), uid, self.now, rv, incarnation);
        if gated {
            // `applySchedulingGatedCondition` (pkg/registry/core/pod/strategy.go):
            // the API server marks a gated Pod at creation; the scheduler's
            // SchedulingGates PreEnqueue plugin keeps it out of the queue
            // (no FailedScheduling event).
            rt.set_condition(
                crate::core::status::ConditionType::PodScheduled,
                false,
                self.now,
                Some("SchedulingGated".into()),
                Some("Scheduling is blocked due to non-empty scheduling gates".into()),
            );
        }
        let slot = match self.free_slots.pop() {
            Some(s) => {
                self.pods[s as usize] = Some(rt);
                s
            }
            None => {
                self.pods.push(Some(rt));
                (self.pods.len() - 1) as u32
            }
        };
        self.pod_index.insert(key, slot);
        self.index_owner(slot, true);
        self.join_services(slot);
        let snap = self.pod_rt(slot).map(|p| p.snapshot());
        if let Some(pod) = snap {
            let spec = pod.pod.clone();
            self.outputs.push_back(Output::Pod { time_ms: self.now, type_: WatchType::Added, pod });
            self.pod_changed(&spec, false);
        }
        // A new Pod frees no capacity: only it is tried now (the Pods already
        // waiting are retried when capacity frees, `remove_pod`). This keeps
        // a burst of unschedulable Pods linear, not quadratic.
        let waiting = std::mem::replace(&mut self.unscheduled, vec![slot]);
        self.schedule_pending();
        let still = std::mem::replace(&mut self.unscheduled, waiting);
        self.unscheduled.extend(still);
        ApplyResult::Created { kind: "Pod", name }
    }

    /// A namespace (no lifecycle beyond existing: deleting one is not simulated).
    fn create_namespace(&mut self, ns: crate::core::api::Namespace) -> ApplyResult {
        let name = ns.metadata.name;
        if self.namespaces.insert(name.clone()) {
            ApplyResult::Created { kind: "Namespace", name }
        } else {
            ApplyResult::Unchanged { kind: "Namespace", name }
        }
    }

    /// The namespaces that exist, in name order.
    pub fn namespaces(&self) -> Vec<String> {
        self.namespaces.iter().cloned().collect()
    }

    fn create_service(&mut self, svc: Service) -> ApplyResult {
        let key = (svc.metadata.namespace.clone(), svc.metadata.name.clone());
        let name = svc.metadata.name.clone();
        if let Some(existing) = self.services.get(&key) {
            return if *existing.svc == svc {
                ApplyResult::Unchanged { kind: "Service", name }
            } else {
                ApplyResult::Refused {
                    kind: "Service",
                    name,
                    message: "podplay does not simulate changing a Service yet; delete and re-create it".into(),
                }
            };
        }
        let cluster_ip = match svc.spec.cluster_ip.as_deref() {
            Some("None") => None,
            Some(ip) => ip.parse().ok().or_else(|| Some(self.allocate_cluster_ip())),
            None => Some(self.allocate_cluster_ip()),
        };
        let server = self.new_server_meta();
        let suffix = self.rng_names.string(b"bcdfghjklmnpqrstvwxz2456789", 5);
        let slice_server = self.new_server_meta();
        let rt = ServiceRt {
            slice_name: format!("{name}-{suffix}"),
            slice_server,
            svc: Arc::new(svc),
            server,
            cluster_ip,
            endpoints: Vec::new(),
            members: BTreeMap::new(),
            rr: 0,
        };
        let has_selector = !rt.svc.spec.selector.is_empty();
        self.outputs.push_back(Output::Service { time_ms: self.now, type_: WatchType::Added, service: rt.snapshot() });
        if has_selector {
            self.outputs.push_back(Output::EndpointSlice {
                time_ms: self.now,
                type_: WatchType::Added,
                slice: rt.slice_snapshot(),
            });
        }
        let mut rt = rt;
        if has_selector {
            let ns = &key.0;
            for ((_, pname), &slot) in
                self.pod_index.range((ns.clone(), String::new())..).take_while(|(k, _)| k.0 == *ns)
            {
                if let Some(p) =
                    self.pods.get_mut(slot as usize).and_then(|p| p.as_mut()).filter(|p| selects(&rt.svc, &p.pod))
                {
                    rt.members.insert(pname.clone(), slot);
                    p.services.push(key.clone());
                }
            }
            self.endpoints_stale.insert(key.clone(), 0);
        }
        self.services.insert(key.clone(), rt);
        self.traffic_from_annotation(&key);
        let vars = env::service_env(self, &key.0);
        self.service_env.insert(key.0, Arc::new(vars));
        ApplyResult::Created { kind: "Service", name }
    }

    /// Creates or updates a ConfigMap. Containers read it when they are
    /// created (env) or when their volumes are set up, as the kubelet does.
    fn put_config_map(&mut self, cm: ConfigMap) -> ApplyResult {
        let key = (cm.metadata.namespace.clone(), cm.metadata.name.clone());
        let result = upsert(&mut self.config_maps, key.clone(), cm, "ConfigMap");
        if matches!(result, ApplyResult::Configured { .. }) {
            self.refresh_volumes_of(&key.0, &key.1, true);
        }
        result
    }

    fn put_secret(&mut self, secret: Secret) -> ApplyResult {
        let key = (secret.metadata.namespace.clone(), secret.metadata.name.clone());
        let result = upsert(&mut self.secrets, key.clone(), secret, "Secret");
        if matches!(result, ApplyResult::Configured { .. }) {
            self.refresh_volumes_of(&key.0, &key.1, false);
        }
        result
    }

    /// A ClusterIP from 10.96.0.0/12, at random but never 10.96.0.1 (the
    /// `kubernetes` Service) or 10.96.0.10 (cluster DNS), nor one in use.
    fn allocate_cluster_ip(&mut self) -> Ipv4Addr {
        loop {
            let offset = 2 + self.rng_ips.below((1 << 20) - 3) as u32;
            let ip = Ipv4Addr::from(u32::from(Ipv4Addr::new(10, 96, 0, 0)) + offset);
            if ip == Ipv4Addr::new(10, 96, 0, 10) || self.services.values().any(|s| s.cluster_ip == Some(ip)) {
                continue;
            }
            return ip;
        }
    }

    /// Recomputes every Service's endpoints from the Pods, as the EndpointSlice
    /// controller does: an endpoint per Pod with an IP that matches the
    /// selector; `ready` = Pod Ready and not terminating, `serving` = Pod Ready,
    /// `terminating` = deletionTimestamp set (pkg/controller/endpointslice/utils.go).
    pub(crate) fn update_endpoints(&mut self) {
        self.endpoints_dirty = false;
        let mut touched = std::mem::take(&mut self.endpoints_touched);
        if self.services.is_empty() {
            return;
        }
        // The Services a changed Pod belongs to.
        crate::core::sort::sort_u32(&mut touched);
        touched.dedup();
        for slot in touched {
            let Some(p) = self.pods.get(slot as usize).and_then(|p| p.as_ref()) else { continue };
            for key in &p.services {
                if !self.endpoints_stale.contains_key(key) {
                    self.endpoints_stale.insert(key.clone(), 0);
                }
            }
        }
        let mut changed = Vec::new();
        for key in std::mem::take(&mut self.endpoints_stale).into_keys() {
            let Some(svc) = self.services.get(&key) else { continue };
            let mut eps = Vec::with_capacity(svc.members.len());
            for &slot in svc.members.values() {
                let Some(p) = self.pod_rt(slot) else { continue };
                let Some(ip) = p.status.pod_ip else { continue };
                if p.status.phase == PodPhase::Succeeded || p.status.phase == PodPhase::Failed {
                    continue;
                }
                let ready = p.status.is_ready();
                let terminating = p.server.deletion_ms.is_some();
                eps.push(Endpoint {
                    ip,
                    ready: ready && !terminating,
                    serving: ready,
                    terminating,
                    pod_name: p.pod.metadata.name.clone(),
                    node_name: p.node_name().unwrap_or_default(),
                });
            }
            if eps != svc.endpoints {
                changed.push((key, eps));
            }
        }
        for (key, eps) in changed {
            self.traffic_endpoints_changed(&key, &eps);
            let rv = self.next_resource_version();
            if let Some(svc) = self.services.get_mut(&key) {
                svc.endpoints = eps;
                svc.slice_server.resource_version = rv;
                let slice = svc.slice_snapshot();
                self.outputs.push_back(Output::EndpointSlice { time_ms: self.now, type_: WatchType::Modified, slice });
            }
        }
    }

    /// Adds (or removes) a Pod in the index of Pods by controller.
    pub(crate) fn index_owner(&mut self, slot: u32, add: bool) {
        let Some(p) = self.pods.get(slot as usize).and_then(|p| p.as_ref()) else { return };
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

    /// The Pods whose controller has this uid, in name order.
    pub(crate) fn owned_pods(&self, uid: &str) -> Vec<u32> {
        self.owned.get(uid).map(|m| m.values().copied().collect()).unwrap_or_default()
    }

    /// Adds a new Pod to the Services in its namespace whose selector matches it.
    fn join_services(&mut self, slot: u32) {
        let Some(p) = self.pods.get_mut(slot as usize).and_then(|p| p.as_mut()) else { return };
        let ns = &p.pod.metadata.namespace;
        for (key, svc) in self.services.range_mut((ns.clone(), String::new())..).take_while(|(k, _)| k.0 == *ns) {
            if selects(&svc.svc, &p.pod) {
                svc.members.insert(p.pod.metadata.name.clone(), slot);
                self.endpoints_stale.insert(key.clone(), 0);
                p.services.push(key.clone());
            }
        }
    }

    /// Emits a MODIFIED watch event for every Pod whose status changed.
    pub(crate) fn flush(&mut self) {
        self.flush_pods();
        if !self.pdbs.is_empty() {
            self.sync_pdbs();
        }
    }

    fn flush_pods(&mut self) {
        if self.dirty.is_empty() {
            return;
        }
        let mut dirty = std::mem::take(&mut self.dirty);
        crate::core::sort::sort_u32(&mut dirty);
        dirty.dedup();
        for slot in dirty {
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
            self.outputs.push_back(Output::Pod { time_ms: self.now, type_: WatchType::Modified, pod });
            self.pod_changed(&spec, false);
        }
    }

    /// Something a probe may observe changed in the Pod: cached probe
    /// successes no longer hold, and sleeping probe workers wake.
    pub(crate) fn bump_version(&mut self, slot: u32) {
        if let Some(p) = self.pods.get_mut(slot as usize).and_then(|p| p.as_mut()) {
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
    fn wake_probes(&mut self) {
        let (cur_at, cur_tie) = self.cursor;
        for slot in std::mem::take(&mut self.probe_wake) {
            let mut arm = Vec::new();
            let Some(p) = self.pod_rt_mut(slot) else { continue };
            for (c, cr) in p.cs.iter_mut().enumerate() {
                for (kind, w) in cr.probes.iter_mut().enumerate() {
                    let Some(last) = w.asleep_since.take() else { continue };
                    let period = w.hot.period_ms.max(1);
                    let tie = probe_tie(slot, c as u16, kind as u8);
                    let mut n = cur_at.saturating_sub(last).div_ceil(period).max(1);
                    if last + n * period == cur_at && tie <= cur_tie {
                        n += 1;
                    }
                    w.run = w.run.saturating_add(i32::try_from(n - 1).unwrap_or(i32::MAX));
                    arm.push((last + n * period, c as u16, kind as u8));
                }
            }
            for (at, c, probe) in arm {
                self.schedule(at, slot, What::ProbeTick { c, probe });
            }
        }
    }

    pub(crate) fn mark_dirty(&mut self, slot: u32) {
        self.endpoints_dirty = true;
        self.endpoints_touched.push(slot);
        self.bump_version(slot);
        if let Some(p) = self.pod_rt_mut(slot) {
            if !p.dirty {
                p.dirty = true;
                self.dirty.push(slot);
            }
        }
    }

    /// Removes a Pod object (the API server's final delete).
    pub(crate) fn remove_pod(&mut self, slot: u32) {
        self.flush();
        self.index_owner(slot, false);
        let Some(p) = self.pods.get_mut(slot as usize).and_then(|p| p.take()) else { return };
        self.keep_finished_job_pod(&p);
        self.pod_index.remove(&(p.pod.metadata.namespace.clone(), p.pod.metadata.name.clone()));
        if let Some(ip) = p.status.pod_ip {
            self.pod_ips.remove(ip);
        }
        for key in &p.services {
            if let Some(svc) = self.services.get_mut(key) {
                if svc.members.get(&p.pod.metadata.name) == Some(&slot) {
                    svc.members.remove(&p.pod.metadata.name);
                    self.endpoints_stale.insert(key.clone(), 0);
                }
            }
        }
        if let Some(n) = p.node {
            let node = &mut self.nodes[n];
            node.requested_cpu -= p.requests.0;
            node.requested_mem -= p.requests.1;
            node.nonzero_cpu -= p.nonzero_requests.0;
            node.nonzero_mem -= p.nonzero_requests.1;
            node.pods = node.pods.saturating_sub(1);
        }
        self.unscheduled.retain(|&s| s != slot);
        self.free_slots.push(slot);
        let mut snap = p.snapshot();
        snap.server.resource_version = self.next_resource_version();
        let spec = snap.pod.clone();
        self.outputs.push_back(Output::Pod { time_ms: self.now, type_: WatchType::Deleted, pod: snap });
        self.pod_changed(&spec, true);
        self.update_endpoints();
        // Freed capacity may let a pending Pod schedule.
        self.schedule_pending();
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
        // The EventAggregator (client-go tools/record/events_cache.go): the
        // 10th and later distinct messages of the same object, source, type
        // and reason within 10 minutes become one event, "(combined from
        // similar events): <latest message>", counted like a repeat.
        let object_key = event_object_key(&involved.uid, involved.field_path.as_deref());
        let agg_key = format!("{object_key}\0{source}\0{}\0{reason}", type_.as_str());
        let now = self.now;
        let agg_at = hashed_find(&self.event_aggregates, &agg_key);
        let combined = match agg_at.ok().and_then(|h| self.event_aggregates.get_mut(&h)) {
            Some((_, rec)) => {
                if now.saturating_sub(rec.1) > EVENT_AGGREGATE_WINDOW_MS {
                    rec.0.clear();
                }
                rec.0.insert(message.clone());
                rec.1 = now;
                if rec.0.len() >= EVENT_AGGREGATE_MAX {
                    // `PopAny`, made deterministic: the smallest message.
                    rec.0.pop_first();
                    true
                } else {
                    false
                }
            }
            None => {
                if self.event_aggregates.len() < 100_000 {
                    // (Not `BTreeSet::from([…])`, which sorts with a sort of its own.)
                    let mut messages = std::collections::BTreeSet::new();
                    messages.insert(message.clone());
                    self.event_aggregates.insert(agg_at.unwrap_or_else(|h| h), (agg_key, (messages, now)));
                }
                false
            }
        };
        let (message, key_message) = if combined {
            (format!("(combined from similar events): {message}"), "\u{0}combined".to_string())
        } else {
            (message.clone(), message)
        };
        let key = format!("{object_key}\0{reason}\0{key_message}");
        let at = hashed_find(&self.event_index, &key);
        if let Some(&(_, i)) = at.ok().and_then(|h| self.event_index.get(&h)) {
            let e = &mut self.events[i];
            e.count += 1;
            e.last_ms = self.now;
            e.message = message;
            let event = e.clone();
            self.outputs.push_back(Output::Event { time_ms: self.now, type_: WatchType::Modified, event });
            return;
        }
        let name = format!("{}.{}", involved.name, self.rng_names.hex(16));
        let event = Event {
            name,
            type_,
            reason: reason.to_string(),
            message,
            involved,
            source_component: source,
            source_host: host,
            count: 1,
            first_ms: self.now,
            last_ms: self.now,
        };
        if self.events.len() < 100_000 {
            self.event_index.insert(at.unwrap_or_else(|h| h), (key, self.events.len()));
            self.events.push(event.clone());
        }
        self.outputs.push_back(Output::Event { time_ms: self.now, type_: WatchType::Added, event });
    }

    // ---- scheduling and networking ----------------------------------------

    /// Binds pending Pods to nodes: kube-scheduler's filters (see
    /// `nodes::Sim::filter_node`), then the least allocated CPU+memory
    /// (NodeResourcesFit LeastAllocated), ties by node order. A Pod with
    /// `spec.nodeName` skips the scheduler: only the name and the kubelet's
    /// resource admission count.
    pub(crate) fn schedule_pending(&mut self) {
        let pending = std::mem::take(&mut self.unscheduled);
        let mut still = Vec::new();
        for slot in pending {
            let Some(p) = self.pod_rt(slot) else { continue };
            if p.node.is_some() || p.server.deletion_ms.is_some() || !p.pod.spec.scheduling_gates.is_empty() {
                continue;
            }
            let requests = p.requests;
            // Scoring counts a container without requests as 100m CPU and
            // 200 MB (`pkg/scheduler/util/pod_resources.go` GetNonzeroRequests).
            let (score_cpu, score_mem) = p.nonzero_requests;
            let spec = p.pod.spec.clone();
            // VolumeBinding's PreFilter: every claim the Pod names must exist
            // (`persistentvolumeclaim "x" not found`, UnschedulableAndUnresolvable).
            let ns = &p.pod.metadata.namespace;
            let missing = spec.volumes.iter().find_map(|v| match &v.source {
                crate::core::api::VolumeSource::PersistentVolumeClaim { claim_name }
                    if !self.claims.contains_key(&(ns.clone(), claim_name.clone())) =>
                {
                    Some(claim_name.clone())
                }
                _ => None,
            });
            if let Some(claim) = missing {
                let total = self.nodes.len();
                let message = format!(
                    "0/{total} nodes are available: persistentvolumeclaim \"{claim}\" not found. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling."
                );
                self.mark_unschedulable(slot, message);
                still.push(slot);
                continue;
            }
            let mut best: Option<(i64, usize)> = None;
            // FitError's histogram: reason → node count; and the preemption
            // post-filter's: helpful or not, per node.
            let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
            let (mut no_victims, mut not_helpful) = (0, 0);
            for (i, n) in self.nodes.iter().enumerate() {
                let verdict = match &spec.node_name {
                    Some(name) if *name != n.cfg.name => Err(nodes::Rejection {
                        reasons: vec!["node(s) didn't match Pod's node affinity/selector".into()],
                        resolvable: false,
                    }),
                    Some(_) => {
                        let (cpu, mem) = requests;
                        let mut r = Vec::new();
                        if n.requested_cpu + cpu > n.cfg.cpu_millis && cpu > 0 {
                            r.push("Insufficient cpu".to_string());
                        }
                        if n.requested_mem + mem > n.cfg.memory_bytes && mem > 0 {
                            r.push("Insufficient memory".to_string());
                        }
                        if r.is_empty() {
                            Ok(())
                        } else {
                            Err(nodes::Rejection { reasons: r, resolvable: true })
                        }
                    }
                    None => self.filter_node(&spec, requests, n),
                };
                match verdict {
                    Err(rej) => {
                        for r in rej.reasons {
                            *reasons.entry(r).or_default() += 1;
                        }
                        if rej.resolvable {
                            no_victims += 1;
                        } else {
                            not_helpful += 1;
                        }
                    }
                    Ok(()) => {
                        let free = (n.cfg.cpu_millis - n.nonzero_cpu - score_cpu).max(0) * 100
                            / n.cfg.cpu_millis.max(1)
                            + (n.cfg.memory_bytes - n.nonzero_mem - score_mem).max(0) * 100 / n.cfg.memory_bytes.max(1);
                        if best.is_none_or(|(f, _)| free > f) {
                            best = Some((free, i));
                        }
                    }
                }
            }
            match best {
                Some((_, node)) => self.bind(slot, node),
                None => {
                    let total = self.nodes.len();
                    let message = if total == 0 {
                        "no nodes available to schedule pods".to_string()
                    } else {
                        // `FitError.Error()` (pkg/scheduler/framework/types.go):
                        // "<count> <reason>" sorted as strings; then the
                        // DefaultPreemption post-filter's own histogram.
                        let mut parts: Vec<String> = reasons.iter().map(|(r, c)| format!("{c} {r}")).collect();
                        crate::core::sort::sort(&mut parts);
                        let mut pre = Vec::new();
                        if no_victims > 0 {
                            pre.push(format!("{no_victims} No preemption victims found for incoming pod"));
                        }
                        if not_helpful > 0 {
                            pre.push(format!("{not_helpful} Preemption is not helpful for scheduling"));
                        }
                        crate::core::sort::sort(&mut pre);
                        format!(
                            "0/{total} nodes are available: {}. preemption: 0/{total} nodes are available: {}.",
                            parts.join(", "),
                            pre.join(", ")
                        )
                    };
                    self.mark_unschedulable(slot, message);
                    still.push(slot);
                }
            }
        }
        self.unscheduled = still;
    }

    fn bind(&mut self, slot: u32, node: usize) {
        let ((cpu, mem), (zcpu, zmem)) = match self.pod_rt(slot) {
            Some(p) => (p.requests, p.nonzero_requests),
            None => return,
        };
        let n = &mut self.nodes[node];
        n.requested_cpu += cpu;
        n.requested_mem += mem;
        n.nonzero_cpu += zcpu;
        n.nonzero_mem += zmem;
        n.pods += 1;
        let node_name = n.cfg.name.clone();
        let now = self.now;
        let (ns, name) = match self.pod_rt_mut(slot) {
            Some(p) => {
                p.node = Some(node);
                p.node_name_cache = Some(node_name.clone());
                p.set_condition(crate::core::status::ConditionType::PodScheduled, true, now, None, None);
                (p.pod.metadata.namespace.clone(), p.pod.metadata.name.clone())
            }
            None => return,
        };
        self.record(
            slot,
            None,
            EventType::Normal,
            "Scheduled",
            format!("Successfully assigned {ns}/{name} to {node_name}"),
            "default-scheduler",
        );
        self.mark_dirty(slot);
        if !self.node_stopped(Some(node)) {
            self.kubelet_admit(slot);
        }
    }

    fn mark_unschedulable(&mut self, slot: u32, message: String) {
        let now = self.now;
        let changed = match self.pod_rt_mut(slot) {
            Some(p) => {
                let prev = p.status.condition(crate::core::status::ConditionType::PodScheduled).cloned();
                let same = prev.as_ref().is_some_and(|c| !c.status && c.message.as_deref() == Some(message.as_str()));
                if !same {
                    p.set_condition(
                        crate::core::status::ConditionType::PodScheduled,
                        false,
                        now,
                        Some("Unschedulable".into()),
                        Some(message.clone()),
                    );
                }
                !same
            }
            None => false,
        };
        if changed {
            self.record(slot, None, EventType::Warning, "FailedScheduling", message, "default-scheduler");
            self.mark_dirty(slot);
        }
    }

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

    /// DNS as CoreDNS answers it in the cluster: Services by `name`,
    /// `name.ns`, `name.ns.svc`, `name.ns.svc.cluster.local` (search path of
    /// namespace `ns`), and Pods by `a-b-c-d.ns.pod.cluster.local`.
    pub(crate) fn resolve(&self, from_ns: &str, name: &str) -> Option<Ipv4Addr> {
        let name = name.trim_end_matches('.');
        let parts: Vec<&str> = name.split('.').collect();
        match parts.as_slice() {
            [s] => self.service_ip(s, from_ns),
            // `svc.ns`, else a Pod's `hostname.subdomain` in this namespace.
            [s, n] => self.service_ip(s, n).or_else(|| self.pod_host_ip(s, n, from_ns)),
            [s, n, "svc"] | [s, n, "svc", "cluster", "local"] => self.service_ip(s, n),
            [h, s, n] | [h, s, n, "svc"] | [h, s, n, "svc", "cluster", "local"] => self.pod_host_ip(h, s, n),
            [ip, _n, "pod", "cluster", "local"] => ip.replace('-', ".").parse().ok(),
            _ => None,
        }
        // Past the cluster's names, the few sites of the outside world.
        .or_else(|| outside::resolve(name))
    }

    /// A Service's cluster IP; for a headless one, a ready endpoint's IP.
    fn service_ip(&self, svc: &str, ns: &str) -> Option<Ipv4Addr> {
        let s = self.services.get(&(ns.to_string(), svc.to_string()))?;
        match s.cluster_ip {
            Some(ip) => Some(ip),
            None => s.endpoints.iter().find(|e| e.ready).map(|e| e.ip),
        }
    }

    /// `hostname.subdomain.ns.svc.cluster.local`: CoreDNS answers for a
    /// ready endpoint of the headless Service `subdomain` whose Pod has that
    /// `hostname` (a StatefulSet's `web-0.nginx`; kubernetes.io "DNS for
    /// Services and Pods", Pod's hostname and subdomain fields).
    fn pod_host_ip(&self, host: &str, svc: &str, ns: &str) -> Option<Ipv4Addr> {
        let s = self.services.get(&(ns.to_string(), svc.to_string()))?;
        if s.cluster_ip.is_some() {
            return None;
        }
        s.endpoints.iter().filter(|e| e.ready).find_map(|e| {
            let slot = *self.pod_index.get(&(ns.to_string(), e.pod_name.clone()))?;
            let spec = &self.pod_rt(slot)?.pod.spec;
            (spec.hostname.as_deref() == Some(host) && spec.subdomain.as_deref() == Some(svc)).then_some(e.ip)
        })
    }

    #[cfg(debug_assertions)]
    fn check_invariants(&self) {
        let mut ips: Vec<Ipv4Addr> = self.pods.iter().flatten().filter_map(|p| p.status.pod_ip).collect();
        let n = ips.len();
        crate::core::sort::sort(&mut ips);
        ips.dedup();
        assert_eq!(ips.len(), n, "live Pod IPs must be unique");
        let mut table: Vec<Ipv4Addr> = self.pod_ips.iter().collect();
        crate::core::sort::sort(&mut table);
        assert!(ips == table, "the IPAM table must hold exactly the live Pod IPs");
        let indexed = self.orphans.len() + self.owned.values().map(|m| m.len()).sum::<usize>();
        assert_eq!(indexed, self.pod_index.len(), "every Pod is indexed by its controller (or as an orphan)");
        self.check_controller_invariants();
        for p in self.pods.iter().flatten() {
            p.check_invariants();
        }
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

impl ServiceRt {
    pub(crate) fn snapshot(&self) -> ServiceSnapshot {
        ServiceSnapshot { service: self.svc.clone(), server: self.server.clone(), cluster_ip: self.cluster_ip }
    }

    pub(crate) fn slice_snapshot(&self) -> EndpointSliceSnapshot {
        EndpointSliceSnapshot {
            name: self.slice_name.clone(),
            namespace: self.svc.metadata.namespace.clone(),
            service_name: self.svc.metadata.name.clone(),
            server: self.slice_server.clone(),
            ports: self
                .svc
                .spec
                .ports
                .iter()
                .map(|p| EndpointPort {
                    name: p.name.clone(),
                    port: match &p.target_port {
                        crate::core::api::PortRef::Number(n) => *n,
                        crate::core::api::PortRef::Name(_) => p.port,
                    },
                    protocol: p.protocol.clone(),
                })
                .collect(),
            endpoints: self.endpoints.clone(),
        }
    }
}

/// A Service with a selector selects a Pod of its namespace whose labels
/// include every selector pair (`pkg/controller/endpointslice`).
fn selects(svc: &Service, pod: &Pod) -> bool {
    !svc.spec.selector.is_empty() && svc.spec.selector.iter().all(|(k, v)| pod.metadata.labels.get(k) == Some(v))
}
