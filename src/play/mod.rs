//! What the page draws from a live run: the [`Player`] runs a [`Scenario`]
//! (manifests, seed, timed actions) through the session's runner
//! ([`crate::session::runner`]) and keeps, as its observer, the trace the page
//! draws from it — the `kubectl get pods -w` rows, one timeline lane per Pod
//! and container, the latest snapshot of every object, and short
//! announcements of status changes.
//!
//! Pure and deterministic like the engine: no browser API, no clock. The page
//! passes virtual time in; seeking backwards replays the scenario from zero,
//! which gives the same trace because the engine is deterministic.

pub mod arrows;
pub mod clock;
pub mod embed;
pub mod highlight;
pub mod lineage;
pub mod nodes;
pub mod probe_history;
pub mod refusals;
pub mod share;
pub mod stops;
pub mod timeline;
pub mod traffic;
pub mod zoom;

use crate::core::api::Object;
pub use crate::core::engine::ProbeKind;
use crate::core::engine::{
    DaemonSetSnapshot, NodeSnapshot, Output, Sim, SimConfig, Snapshot, TrafficChange, TrafficChangeKind,
    TrafficSnapshot, WatchType,
};
use crate::core::kubectl;
use crate::core::manifest::{parse_manifests, Parsed};
use crate::core::status::{
    ContainerState, ContainerStatus, CronJobSnapshot, DeploymentSnapshot, EndpointSliceSnapshot, Event, JobSnapshot,
    PersistentVolumeClaimSnapshot, PodDisruptionBudgetSnapshot, PodSnapshot, ReplicaSetSnapshot, ServiceSnapshot,
    StatefulSetSnapshot,
};
use crate::core::store::Store;
use crate::core::time::{go_duration, parse_duration, Millis, HOUR_MS};
use crate::session::{Bundled, Observer, Planned, Runner, Step};
pub use crate::session::{Scenario, TimedAction};
pub use nodes::taint_text;
use std::rc::Rc;
pub use timeline::{Lane, LaneState, Mark, ProbeTick, Segment, Timeline};

/// The most actions a scenario may carry (a share link is refused past it).
pub const MAX_ACTIONS: usize = 500;
/// The furthest a session may run (virtual time).
pub const MAX_TIME_MS: Millis = 24 * HOUR_MS;
/// `get pods -w` rows kept; older rows are dropped (the count is shown).
pub const MAX_WATCH_ROWS: usize = 5_000;
/// The most engine events one call may process: a runaway schedule stops
/// the run with a message instead of freezing the page (~0.2 s in Wasm).
pub const MAX_STEPS_PER_CALL: u64 = 1_000_000;
/// How far `step` looks for the next visible change.
pub const STEP_HORIZON_MS: Millis = HOUR_MS;
/// Traffic changes kept (the latest ones).
pub const MAX_TRAFFIC_CHANGES: usize = 200;

/// One `kubectl get pods -w --output-watch-events` row, with its time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchRow {
    pub time_ms: Millis,
    pub type_: WatchType,
    /// The Pod's namespace (printed as NAMESPACE when the pane shows several).
    pub namespace: String,
    /// NAME, READY, STATUS, RESTARTS, AGE, IP, NODE.
    pub cells: Vec<String>,
}

/// A Pod's STATUS column changed: what a screen reader hears.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Announcement {
    pub time_ms: Millis,
    pub text: String,
}

/// The latest run of one probe of one container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProbeView {
    pub ok: bool,
    pub at_ms: Millis,
    /// Runs in a row with this result (the kubelet acts on failureThreshold
    /// failures or successThreshold successes in a row).
    pub streak: u32,
}

/// The probes of one container: startup, liveness, readiness.
pub type ProbeViews = [Option<ProbeView>; 3];

/// A scenario running in the engine.
pub struct Player {
    scenario: Scenario,
    objects: Vec<Object>,
    runner: Runner,
    view: View,
    /// Set when one step needed more than [`MAX_STEPS_PER_CALL`] events.
    stalled: Option<String>,
    /// What the API server refused from the manifests, as problems.
    refusals: Vec<crate::core::manifest::Diagnostic>,
}

/// What the page draws, kept from the run's outputs (the player's observer).
#[derive(Default)]
struct View {
    /// Live objects by (namespace, name), as last published.
    pods: Store<Rc<PodSnapshot>>,
    services: Store<Rc<ServiceSnapshot>>,
    slices: Store<Rc<EndpointSliceSnapshot>>,
    deployments: Store<Rc<DeploymentSnapshot>>,
    replica_sets: Store<Rc<ReplicaSetSnapshot>>,
    jobs: Store<Rc<JobSnapshot>>,
    cron_jobs: Store<Rc<CronJobSnapshot>>,
    stateful_sets: Store<Rc<StatefulSetSnapshot>>,
    claims: Store<Rc<PersistentVolumeClaimSnapshot>>,
    budgets: Store<Rc<PodDisruptionBudgetSnapshot>>,
    /// Nodes and DaemonSets have no watch output: they are read from the
    /// engine after each change (an unchanged one keeps its `Rc`).
    nodes: Vec<Rc<NodeSnapshot>>,
    daemon_sets: Vec<Rc<DaemonSetSnapshot>>,
    watch: Vec<WatchRow>,
    watch_dropped: usize,
    timeline: Timeline,
    /// The latest event about each Pod and Job, by UID (what the cluster
    /// view says "why" with), kept as events arrive.
    latest_events: Store<Rc<Event>, String>,
    announcements: Vec<Announcement>,
    /// The latest changes of the simulated client traffic (first failure,
    /// recovery, …), oldest first.
    traffic_changes: Vec<TrafficChange>,
    /// Bumped whenever anything the views show changed (not the clock).
    revision: u64,
    /// Errors from actions replayed from the scenario (e.g. a Pod gone).
    action_errors: Vec<String>,
    /// The latest probe results by `ns/pod/container` (the lane key).
    probes: Store<ProbeViews, String>,
    /// Reused to build probe keys without allocating.
    key_buf: String,
    /// Pods removed a moment ago, as they last were (newest last).
    gone: Vec<stops::Gone>,
    /// Which Pod each controller's new Pod replaces.
    lineage: lineage::Lineage,
}

impl Player {
    /// Parses the manifests and starts the run at time zero. The diagnostics
    /// are returned either way; Err when they contain an error.
    pub fn new(scenario: Scenario) -> Result<(Player, Parsed), Parsed> {
        let parsed = parse_manifests(&scenario.manifests);
        Player::with_parsed(scenario, parsed)
    }

    /// [`Self::new`] with the manifests already parsed (`parsed` must come
    /// from `scenario.manifests`), for callers that time the parse.
    pub fn with_parsed(scenario: Scenario, mut parsed: Parsed) -> Result<(Player, Parsed), Parsed> {
        if parsed.has_errors() {
            return Err(parsed);
        }
        let objects = std::mem::take(&mut parsed.objects);
        let player = Player::start(scenario, objects);
        Ok((player, parsed))
    }

    fn start(mut scenario: Scenario, objects: Vec<Object>) -> Player {
        scenario.actions.truncate(MAX_ACTIONS);
        crate::core::sort::sort_by_key(&mut scenario.actions, |a| a.at_ms);
        let mut sim = Sim::new(SimConfig::with_seed(scenario.seed));
        sim.log_probes(true);
        let mut view = View::default();
        let plan = scenario.plan(&mut Bundled);
        let mut runner = Runner::start(sim, objects.clone(), plan, &mut view);
        runner.set_max_steps(MAX_STEPS_PER_CALL);
        view.refresh_nodes(runner.sim());
        let refusals = refusals::diagnostics(&objects, runner.applied());
        Player { scenario, objects, runner, view, stalled: None, refusals }
    }

    /// The scenario as it stands (with every action performed so far).
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The engine, for read-only views (events, nodes, describe).
    pub fn sim(&self) -> &Sim {
        self.runner.sim()
    }

    pub fn now(&self) -> Millis {
        self.runner.now()
    }

    /// Changes whenever an object, a row or a lane changed.
    pub fn revision(&self) -> u64 {
        self.view.revision
    }

    pub fn pods(&self) -> impl ExactSizeIterator<Item = &Rc<PodSnapshot>> {
        self.view.pods.values()
    }

    pub fn pod(&self, namespace: &str, name: &str) -> Option<&Rc<PodSnapshot>> {
        self.view.pods.get(&(namespace.to_string(), name.to_string()))
    }

    pub fn services(&self) -> impl Iterator<Item = &Rc<ServiceSnapshot>> {
        self.view.services.values()
    }

    /// The EndpointSlice of a Service, if it has a selector.
    pub fn slice_of(&self, namespace: &str, service: &str) -> Option<&Rc<EndpointSliceSnapshot>> {
        self.view.slices.get(&(namespace.to_string(), service.to_string()))
    }

    pub fn deployments(&self) -> impl ExactSizeIterator<Item = &Rc<DeploymentSnapshot>> {
        self.view.deployments.values()
    }

    pub fn replica_sets(&self) -> impl ExactSizeIterator<Item = &Rc<ReplicaSetSnapshot>> {
        self.view.replica_sets.values()
    }

    pub fn jobs(&self) -> impl ExactSizeIterator<Item = &Rc<JobSnapshot>> {
        self.view.jobs.values()
    }

    pub fn cron_jobs(&self) -> impl ExactSizeIterator<Item = &Rc<CronJobSnapshot>> {
        self.view.cron_jobs.values()
    }

    pub fn stateful_sets(&self) -> impl ExactSizeIterator<Item = &Rc<StatefulSetSnapshot>> {
        self.view.stateful_sets.values()
    }

    /// PersistentVolumeClaims (made from StatefulSets' claim templates).
    pub fn claims(&self) -> impl ExactSizeIterator<Item = &Rc<PersistentVolumeClaimSnapshot>> {
        self.view.claims.values()
    }

    /// PodDisruptionBudgets, by namespace and name.
    pub fn budgets(&self) -> impl ExactSizeIterator<Item = &Rc<PodDisruptionBudgetSnapshot>> {
        self.view.budgets.values()
    }

    /// The nodes, in the engine's order.
    pub fn nodes(&self) -> &[Rc<NodeSnapshot>] {
        &self.view.nodes
    }

    pub fn daemon_sets(&self) -> &[Rc<DaemonSetSnapshot>] {
        &self.view.daemon_sets
    }

    pub fn events(&self) -> &[Event] {
        self.runner.sim().events()
    }

    /// The latest event about the Pod, Job or CronJob with this UID (the last one
    /// recorded or counted again).
    pub fn latest_event(&self, uid: &str) -> Option<&Event> {
        self.view.latest_events.get(uid).map(|e| &**e)
    }

    pub fn watch_rows(&self) -> &[WatchRow] {
        &self.view.watch
    }

    /// Rows dropped from the front of [`Self::watch_rows`] to keep it bounded.
    pub fn watch_rows_dropped(&self) -> usize {
        self.view.watch_dropped
    }

    /// The latest probe results of a container (by Pod key `ns/name`).
    pub fn probes(&self, pod_key: &str, container: &str) -> ProbeViews {
        self.view.probes.get(&format!("{pod_key}/{container}")).copied().unwrap_or_default()
    }

    /// The objects of the manifests the API server refused (a missing
    /// namespace, …), one error each at the object's line.
    pub fn refusals(&self) -> &[crate::core::manifest::Diagnostic] {
        &self.refusals
    }

    /// Pods removed less than [`stops::GONE_KEPT_MS`] ago, as they last were.
    pub fn gone(&self) -> impl Iterator<Item = &stops::Gone> {
        let now = self.now();
        self.view.gone.iter().filter(move |g| now < g.removed_ms + stops::GONE_KEPT_MS)
    }

    /// The Pod a controller's Pod (by UID) replaces, if it is a replacement.
    pub fn replaces(&self, uid: &str) -> Option<&lineage::Replaced> {
        self.view.lineage.replaces(uid)
    }

    pub fn timeline(&self) -> &Timeline {
        &self.view.timeline
    }

    pub fn announcements(&self) -> &[Announcement] {
        &self.view.announcements
    }

    /// The simulated client traffic's counters per Service (sent, succeeded,
    /// failed, per Pod, the last failure), as they are now; empty without
    /// traffic. They move with every request without bumping
    /// [`Self::revision`] (a request is not a visible change): read them when
    /// drawing a frame.
    pub fn traffic(&self) -> Vec<TrafficSnapshot> {
        self.runner.sim().traffic()
    }

    /// The latest traffic changes (sending starts or stops, the first failure
    /// of a spell, the recovery), oldest first; each one bumps the revision.
    pub fn traffic_changes(&self) -> &[TrafficChange] {
        &self.view.traffic_changes
    }

    /// Problems replaying the scenario's actions, and notes from the engine
    /// about what it could not simulate.
    pub fn problems(&self) -> Vec<String> {
        self.view.action_errors.iter().chain(self.runner.sim().notes()).cloned().collect()
    }

    /// When something is next due: a timer or a scenario action.
    pub fn next_due(&self) -> Option<Millis> {
        self.runner.next_due()
    }

    /// Runs forward to `t` (never past [`MAX_TIME_MS`]), performing the
    /// scenario's actions at their times. A `t` in the past is ignored: use
    /// [`Self::seek`]. Past [`MAX_STEPS_PER_CALL`] events in one advance the
    /// run stalls (see [`Self::stalled`]) rather than freezing the page.
    pub fn advance_to(&mut self, t: Millis) {
        let t = t.min(MAX_TIME_MS);
        if self.stalled.is_some() {
            return;
        }
        if !self.runner.run_to(t, &mut self.view) {
            self.stalled = Some(format!(
                "The simulation stopped at {}: more than {MAX_STEPS_PER_CALL} events in one step. This is a podplay bug; please report it with a share link.",
                go_duration(self.runner.now())
            ));
            self.view.revision += 1;
        }
    }

    /// Why the run stopped by itself, if it did (it never should).
    pub fn stalled(&self) -> Option<&str> {
        self.stalled.as_deref()
    }

    /// Moves to the next instant at which something visible changes (a
    /// status, an event), at most [`STEP_HORIZON_MS`] ahead. Returns the time.
    pub fn step(&mut self) -> Millis {
        let start = self.view.revision;
        let limit = (self.now() + STEP_HORIZON_MS).min(MAX_TIME_MS);
        while self.view.revision == start && self.stalled.is_none() {
            match self.next_due() {
                Some(next) if next <= limit => self.advance_to(next),
                _ => {
                    self.advance_to(limit);
                    break;
                }
            }
        }
        self.now()
    }

    /// Goes to time `t`: forward by running, backward by replaying from zero.
    pub fn seek(&mut self, t: Millis) {
        if t < self.now() {
            let scenario = self.scenario.clone();
            let objects = std::mem::take(&mut self.objects);
            *self = Player::start(scenario, objects);
        }
        self.advance_to(t);
    }

    /// Performs an action now and records it in the scenario. Actions the
    /// scenario had after now are dropped: the run branches here. On
    /// success, what the engine said of each object an `apply` sent.
    pub fn act(&mut self, text: &str) -> Result<Vec<crate::core::engine::ApplyResult>, String> {
        if self.scenario.actions.len() >= MAX_ACTIONS {
            return Err(format!("a session holds at most {MAX_ACTIONS} actions; restart to clear them"));
        }
        let step = Step::resolve(text, &mut Bundled)?;
        let result = self.runner.perform_now(text, step, &mut self.view);
        self.scenario.actions =
            self.runner.plan().iter().map(|p| TimedAction { at_ms: p.at_ms, text: p.text.clone() }).collect();
        self.view.refresh_nodes(self.runner.sim());
        result
    }
}

impl Observer for View {
    fn observe(&mut self, sim: &mut Sim) {
        self.drain(sim);
    }

    fn performed(&mut self, sim: &mut Sim, command: &Planned, result: &Result<(), String>) {
        if let Err(e) = result {
            if self.action_errors.len() < 100 {
                self.action_errors.push(command.refusal(e));
            }
        }
        self.drain(sim);
        self.refresh_nodes(sim);
    }
}

impl View {
    /// Keeps the latest announcements (a bounded list).
    fn announce(&mut self, a: Announcement) {
        self.announcements.push(a);
        if self.announcements.len() > 200 {
            self.announcements.drain(..100);
        }
    }

    /// Reads the nodes and DaemonSets from the engine; the revision moves
    /// only if one changed.
    fn refresh_nodes(&mut self, sim: &Sim) {
        let before = self.nodes.clone();
        let nodes = refresh(&mut self.nodes, sim.nodes());
        let daemon_sets = refresh(&mut self.daemon_sets, sim.daemon_sets());
        if nodes && !before.is_empty() {
            // A node's STATUS changed (or it joined): say so, as for Pods.
            let time_ms = sim.now();
            let changed: Vec<String> = self
                .nodes
                .iter()
                .map(|n| (n, n.status_column()))
                .filter(|(n, status)| !before.iter().any(|b| b.name == n.name && b.status_column() == *status))
                .map(|(n, status)| format!("Node {} is {status}", n.name))
                .collect();
            for text in changed {
                self.announce(Announcement { time_ms, text });
            }
        }
        if nodes || daemon_sets {
            self.revision += 1;
        }
    }

    /// Takes the engine's outputs into the views.
    fn drain(&mut self, sim: &mut Sim) {
        let before = self.revision;
        while let Some(Output { time_ms, type_, object }) = sim.poll_output() {
            self.revision += 1;
            match object {
                Snapshot::Pod(pod) => self.take_pod(time_ms, type_, pod),
                Snapshot::Service(service) => {
                    let key = (service.service.metadata.namespace.clone(), service.service.metadata.name.clone());
                    if type_ == WatchType::Deleted {
                        self.services.remove(&key);
                    } else {
                        self.services.insert(key, Rc::new(service));
                    }
                }
                Snapshot::EndpointSlice(slice) => {
                    let key = (slice.namespace.clone(), slice.service_name.clone());
                    if type_ == WatchType::Deleted {
                        self.slices.remove(&key);
                    } else {
                        self.slices.insert(key, Rc::new(slice));
                    }
                }
                Snapshot::Event(event) => {
                    self.timeline.event(time_ms, &event);
                    if matches!(event.involved.kind, "Pod" | "Job" | "CronJob") {
                        self.latest_events.insert(event.involved.uid.clone(), Rc::new(event));
                    }
                }
                Snapshot::Deployment(deployment) => {
                    let m = &deployment.deployment.metadata;
                    let key = (m.namespace.clone(), m.name.clone());
                    keep(&mut self.deployments, key, type_, deployment);
                }
                Snapshot::ReplicaSet(replica_set) => {
                    let m = &replica_set.replica_set.metadata;
                    let key = (m.namespace.clone(), m.name.clone());
                    keep(&mut self.replica_sets, key, type_, replica_set);
                }
                Snapshot::Job(job) => {
                    let key = (job.job.metadata.namespace.clone(), job.job.metadata.name.clone());
                    keep(&mut self.jobs, key, type_, job);
                }
                Snapshot::CronJob(cron_job) => {
                    let m = &cron_job.cron_job.metadata;
                    let key = (m.namespace.clone(), m.name.clone());
                    keep(&mut self.cron_jobs, key, type_, cron_job);
                }
                Snapshot::StatefulSet(stateful_set) => {
                    let m = &stateful_set.stateful_set.metadata;
                    let key = (m.namespace.clone(), m.name.clone());
                    keep(&mut self.stateful_sets, key, type_, stateful_set);
                }
                Snapshot::PersistentVolumeClaim(claim) => {
                    let key = (claim.namespace.clone(), claim.name.clone());
                    keep(&mut self.claims, key, type_, claim);
                }
                Snapshot::PodDisruptionBudget(pdb) => {
                    let key = (pdb.pdb.metadata.namespace.clone(), pdb.pdb.metadata.name.clone());
                    keep(&mut self.budgets, key, type_, pdb);
                }
                // The page shows no ConfigMap, Secret, Namespace, PersistentVolume
                // or StorageClass cards;
                // it reads DaemonSets and nodes every time (below).
                _ => {}
            }
        }
        // Pods bound, a node's lease lost: these come with an output. A
        // DaemonSet's status is written by its controller a hop after the
        // Pod change, with no output of its own: it is read every time.
        if self.revision != before {
            self.refresh_nodes(sim);
        } else if !self.daemon_sets.is_empty() && refresh(&mut self.daemon_sets, sim.daemon_sets()) {
            self.revision += 1;
        }
        while let Some(change) = sim.poll_traffic() {
            self.revision += 1;
            // Failing and recovering are said aloud, like a Pod's status.
            if matches!(change.kind, TrafficChangeKind::Failing { .. } | TrafficChangeKind::Recovered { .. }) {
                let text = format!("Service {} traffic {}", change.service, change.describe());
                self.announce(Announcement { time_ms: change.time_ms, text });
            }
            self.traffic_changes.push(change);
            if self.traffic_changes.len() > MAX_TRAFFIC_CHANGES {
                self.traffic_changes.drain(..MAX_TRAFFIC_CHANGES / 2);
            }
        }
        // Probes run often: the key is built in one reused buffer, and a
        // container's entry is allocated once.
        let mut key = std::mem::take(&mut self.key_buf);
        while let Some(r) = sim.poll_probe() {
            use std::fmt::Write;
            key.clear();
            let _ = write!(key, "{}/{}/{}", r.pod.metadata.namespace, r.pod.metadata.name, r.container);
            self.timeline.probe(&key, ProbeTick { at_ms: r.time_ms, kind: r.kind, ok: r.ok });
            if !self.probes.contains_key(key.as_str()) {
                self.probes.insert(key.clone(), ProbeViews::default());
            }
            let Some(views) = self.probes.get_mut(key.as_str()) else { continue };
            let slot = &mut views[r.kind as usize];
            let streak = match slot {
                Some(v) if v.ok == r.ok => v.streak + 1,
                _ => 1,
            };
            // A change of result is something to show; another run with the
            // same result is not (probes tick often: redrawing for each would
            // cost frames; the streak shown catches up at the next change).
            if slot.is_none_or(|v| v.ok != r.ok) {
                self.revision += 1;
            }
            *slot = Some(ProbeView { ok: r.ok, at_ms: r.time_ms, streak });
        }
        self.key_buf = key;
    }

    fn take_pod(&mut self, time_ms: Millis, type_: WatchType, pod: PodSnapshot) {
        let key = (pod.pod.metadata.namespace.clone(), pod.pod.metadata.name.clone());
        let mut cells = kubectl::pod_row(&pod, time_ms, true);
        // NOMINATED NODE and READINESS GATES are always <none> here.
        cells.truncate(7);
        let status = cells[2].clone();
        let before = self.pods.get(&key).map(|p| kubectl::pod_status_column(p));
        if before.as_deref() != Some(status.as_str()) || type_ == WatchType::Deleted {
            let text = match type_ {
                WatchType::Deleted => format!("Pod {} deleted", key.1),
                _ => format!("Pod {} is {status}", key.1),
            };
            self.announce(Announcement { time_ms, text });
        }
        self.timeline.pod(time_ms, type_, &pod, &status);
        self.watch.push(WatchRow { time_ms, type_, namespace: key.0.clone(), cells });
        if self.watch.len() > MAX_WATCH_ROWS {
            let excess = self.watch.len() - MAX_WATCH_ROWS;
            self.watch.drain(..excess);
            self.watch_dropped += excess;
        }
        self.lineage.pod(time_ms, type_, &pod);
        if type_ == WatchType::Deleted {
            let pod_key = format!("{}/{}", key.0, key.1);
            let prefix = format!("{pod_key}/");
            self.probes.retain(|k, _| !k.starts_with(&prefix));
            self.pods.remove(&key);
            self.gone.retain(|g| time_ms < g.removed_ms + stops::GONE_KEPT_MS);
            if self.gone.len() >= stops::MAX_GONE {
                self.gone.remove(0);
            }
            self.gone.push(stops::Gone { pod: Rc::new(pod), removed_ms: time_ms });
        } else {
            self.pods.insert(key, Rc::new(pod));
        }
    }
}

/// The latest state of an object from a watch event (a deleted one goes).
fn keep<T>(map: &mut Store<Rc<T>>, key: (String, String), type_: WatchType, value: T) {
    if type_ == WatchType::Deleted {
        map.remove(&key);
    } else {
        map.insert(key, Rc::new(value));
    }
}

/// Replaces `list` with `fresh`, keeping the `Rc` of every unchanged item
/// (so its view is not redrawn). True if anything changed.
fn refresh<T: PartialEq>(list: &mut Vec<Rc<T>>, fresh: Vec<T>) -> bool {
    if fresh.len() == list.len() && fresh.iter().zip(list.iter()).all(|(a, b)| *a == **b) {
        return false;
    }
    let old = std::mem::take(list);
    *list = fresh
        .into_iter()
        .enumerate()
        .map(|(i, n)| match old.get(i) {
            Some(o) if **o == n => o.clone(),
            _ => Rc::new(n),
        })
        .collect();
    true
}

/// `namespace/name`: how the page names a Pod (selection, keys).
pub fn pod_key(p: &PodSnapshot) -> String {
    format!("{}/{}", p.pod.metadata.namespace, p.pod.metadata.name)
}

/// When a container in CrashLoopBackOff will be restarted: the kubelet
/// restarts it once the back-off has passed since it finished
/// (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` `doBackOff`), and both
/// numbers are in its status: `lastState.terminated.finishedAt` and the
/// waiting message "back-off 40s restarting failed container=…".
pub fn backoff_until(c: &ContainerStatus) -> Option<Millis> {
    let ContainerState::Waiting(w) = &c.state else { return None };
    if w.reason != "CrashLoopBackOff" {
        return None;
    }
    let backoff = w.message.as_deref()?.strip_prefix("back-off ")?.split(' ').next().and_then(parse_duration)?;
    match &c.last_state {
        Some(ContainerState::Terminated(t)) => Some(t.finished_at_ms + backoff),
        _ => None,
    }
}

/// An event in words, with what the kubelet acted on when the Pod's spec
/// says it: "Container app failed liveness probe, will be restarted
/// (failureThreshold 3 × periodSeconds 10s)".
pub fn explain(e: &Event, pod: &PodSnapshot) -> String {
    let mut text = format!("{}: {}", e.reason, e.message);
    if e.count > 1 {
        text.push_str(&format!(" (×{})", e.count));
    }
    let container =
        e.involved.field_path.as_deref().and_then(|f| f.split_once('{')).and_then(|(_, r)| r.strip_suffix('}'));
    let spec = pod
        .pod
        .spec
        .containers
        .iter()
        .chain(&pod.pod.spec.init_containers)
        .find(|c| Some(c.name.as_str()) == container);
    let probe = spec.and_then(|c| {
        if e.message.contains("failed liveness probe") || e.message.starts_with("Liveness probe failed") {
            c.liveness_probe.as_ref()
        } else if e.message.contains("failed startup probe") || e.message.starts_with("Startup probe failed") {
            c.startup_probe.as_ref()
        } else if e.message.starts_with("Readiness probe failed") {
            c.readiness_probe.as_ref()
        } else {
            None
        }
    });
    if let Some(p) = probe {
        text.push_str(&format!(
            " — acts after failureThreshold {} × periodSeconds {}s",
            p.failure_threshold, p.period_seconds
        ));
    } else if let Some(hint) = pod_hint(e, pod) {
        text.push_str(" — ");
        text.push_str(&hint);
    }
    text
}

/// What a Pod event about nodes means, in a few words.
fn pod_hint(e: &Event, pod: &PodSnapshot) -> Option<String> {
    use crate::core::engine::{NODE_MONITOR_GRACE_MS, TAINT_NOT_READY, TAINT_UNREACHABLE};
    match e.reason.as_str() {
        // nodelifecycle MarkPodsNotReady.
        "NodeNotReady" => Some(format!(
            "its node's kubelet posted no status for {}s, so the node controller marked the Pod not Ready",
            NODE_MONITOR_GRACE_MS / 1000
        )),
        // The taint eviction controller, with the DefaultTolerationSeconds tolerations.
        "TaintManagerEviction" => {
            let seconds = pod
                .pod
                .spec
                .tolerations
                .iter()
                .find(|t| t.key == TAINT_UNREACHABLE || t.key == TAINT_NOT_READY)
                .and_then(|t| t.toleration_seconds);
            Some(match seconds {
                Some(s) => format!("its node's NoExecute taint outlasted the Pod's toleration (tolerationSeconds {s})"),
                None => "its node has a NoExecute taint the Pod does not tolerate".to_string(),
            })
        }
        "FailedScheduling" => {
            let m = &e.message;
            let mut hints = Vec::new();
            if m.contains("were unschedulable") {
                hints.push("cordoned nodes take no new Pods (uncordon one)");
            }
            if m.contains("untolerated taint") {
                hints.push("a Pod goes only to nodes whose NoSchedule and NoExecute taints it tolerates");
            }
            if m.contains("node affinity/selector") {
                hints.push("its nodeSelector or node affinity rules out some nodes");
            }
            if m.contains("Insufficient") || m.contains("Too many pods") {
                hints.push(
                    "its requests do not fit what the nodes have left; it is retried when a node joins or Pods go",
                );
            }
            (!hints.is_empty()).then(|| hints.join("; "))
        }
        _ => None,
    }
}

/// A Job's event in words, with the spec field that decided it:
/// "BackoffLimitExceeded: Job has reached the specified backoff limit — 3 failed Pods, backoffLimit 2".
pub fn explain_job(e: &Event, job: &JobSnapshot) -> String {
    let mut text = format!("{}: {}", e.reason, e.message);
    if e.count > 1 {
        text.push_str(&format!(" (×{})", e.count));
    }
    let spec = &job.job.spec;
    match e.reason.as_str() {
        "BackoffLimitExceeded" => {
            text.push_str(&format!(" — {} failed Pods, backoffLimit {}", job.status.failed, spec.backoff_limit));
        }
        // An Indexed Job with backoffLimitPerIndex.
        "FailedIndexes" | "MaxFailedIndexesExceeded" => {
            let failed = job.status.failed_indexes.as_deref().unwrap_or("");
            text.push_str(&format!(
                " — failed indexes {failed}, backoffLimitPerIndex {}",
                spec.backoff_limit_per_index.unwrap_or(0)
            ));
            if let Some(m) = spec.max_failed_indexes {
                text.push_str(&format!(", maxFailedIndexes {m}"));
            }
        }
        "DeadlineExceeded" => {
            if let Some(s) = spec.active_deadline_seconds {
                text.push_str(&format!(" — activeDeadlineSeconds {s}"));
            }
        }
        _ => {}
    }
    text
}

#[cfg(test)]
mod tests;
