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
//!
//! This file is the facade: `Sim`, one field per part, its construction, the
//! clock loop (`advance_to`, `fire`, `next_deadline`, `poll_output`) and the
//! read API (snapshots, logs, events, notes). The rest is in the file that
//! owns it: what a caller gets back in `output.rs`, the starting cluster in
//! `config.rs`, `apply` in `apply.rs`, `act` in `action.rs`, and each
//! upstream component in a file of its own (docs/architecture.md).

pub mod action;
mod admission;
mod apply;
mod bound;
mod clock;
mod config;
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
mod output;
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

use crate::core::api::{ConfigMap, Secret};
use crate::core::rng::Rng;
use crate::core::status::*;
use crate::core::store::Store;
use crate::core::time::Millis;
pub use controllers::{surge_and_unavailable, template_hash, CONTROLLER_HOP_MS, MAX_REPLICAS};
use std::collections::VecDeque;
use std::sync::Arc;

pub use action::{Action, ControllerKind, NodeOp};
use clock::Clock;
pub(crate) use clock::{PodTimer, Target, Timer};
pub use config::{NodeConfig, SimConfig};
pub use cronjobs::next_scheduled;
pub use daemonset::{ControllerRevisionSnapshot, DaemonSetSnapshot};
pub use disruption::EVICTION_REFUSED;
use kubelet::PodRt;
pub(crate) use nodes::NodeRt;
pub use nodes::{
    DrainPlan, NodeReady, NodeSnapshot, KUBELET_VERSION, NODE_MONITOR_GRACE_MS, TAINT_NOT_READY, TAINT_UNREACHABLE,
};
pub use output::{ActionError, ApplyResult, Output, ProbeKind, ProbeRecord, Snapshot, WatchType, MAX_PROBE_LOG};
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
    /// PriorityClasses by name, the two system classes first (`admission.rs`).
    pub(crate) priority_classes: Store<PriorityClassSnapshot, String>,
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
    /// The namespaces that exist, by name: a kind cluster's four, then those applied.
    pub(crate) namespaces: Store<NamespaceSnapshot, String>,
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
            priority_classes: admission::system_priority_classes(),
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
            namespaces: watch::kind_namespaces(),
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

    /// Reports a change to an object, now.
    pub(crate) fn watch_event(&mut self, type_: WatchType, object: Snapshot) {
        self.outputs.push_back(Output { time_ms: self.now(), type_, object });
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

    /// The namespaces that exist, in name order.
    pub fn namespaces(&self) -> Vec<NamespaceSnapshot> {
        self.namespaces.values().cloned().collect()
    }

    /// Every ConfigMap, by namespace and name.
    pub fn config_maps(&self) -> Vec<ConfigMapSnapshot> {
        let server = |k| self.config_meta.get(k).cloned();
        let snapshot =
            |(k, c): (_, &Arc<ConfigMap>)| Some(ConfigMapSnapshot { config_map: c.clone(), server: server(k)? });
        self.config_maps.iter().filter_map(snapshot).collect()
    }

    /// Every Secret, by namespace and name.
    pub fn secrets(&self) -> Vec<SecretSnapshot> {
        let server = |k| self.secret_meta.get(k).cloned();
        let snapshot = |(k, s): (_, &Arc<Secret>)| Some(SecretSnapshot { secret: s.clone(), server: server(k)? });
        self.secrets.iter().filter_map(snapshot).collect()
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

    #[cfg(debug_assertions)]
    fn check_invariants(&self) {
        use std::net::Ipv4Addr;
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
