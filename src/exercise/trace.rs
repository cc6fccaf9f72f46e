//! Runs an exercise's scenario through the engine and keeps what the checks
//! need: per Pod, when it was Ready, its phase, its node; per container,
//! when it started and completed, its restarts, terminations and pull
//! errors; per Service, its ready endpoints over time; every event
//! occurrence. Compact facts, not snapshots, and every list is bounded.
//!
//! When several changes happen at the same virtual instant, only the state
//! at the end of that instant is kept (the order in which the engine
//! processes one instant is not something a learner can observe).

use super::Exercise;
use crate::core::api::Object;
use crate::core::engine::{Output, Sim, SimConfig, Snapshot, WatchType};
use crate::core::kubectl;
use crate::core::status::{ConditionType, ContainerState, ContainerStatus, PodPhase, PodSnapshot};
use crate::core::store::Store;
use crate::core::time::{go_duration, Millis};
use crate::session::{Bundled, Observer, Planned, Runner};
use std::collections::BTreeMap;

/// Bounds on what a trace keeps (exercise manifests are untrusted).
pub const MAX_TRACKED_PODS: usize = 50_000;
pub const MAX_SAMPLES: usize = 10_000;
pub const MAX_EVENT_OCCURRENCES: usize = 50_000;
pub const MAX_LOG_LINES: usize = 1_000;

/// A Pod's state at one instant, kept when it changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodSample {
    pub time_ms: Millis,
    /// Ready and not being deleted (what puts it in a Service's ready endpoints).
    pub ready: bool,
    pub phase: PodPhase,
    /// `kubectl get pods` STATUS.
    pub status: String,
}

/// A container's run that ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Termination {
    pub started_ms: Millis,
    pub finished_ms: Millis,
    pub reason: String,
    pub exit_code: i32,
}

/// What happened to one container.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerTrack {
    pub name: String,
    pub init: bool,
    pub image: String,
    pub first_started_ms: Option<Millis>,
    /// The first time it terminated with exit code 0.
    pub first_completed_ms: Option<Millis>,
    /// (time, restartCount) whenever the count changed.
    pub restarts: Vec<(Millis, i32)>,
    pub terminations: Vec<Termination>,
    /// (time, waiting reason, message) each time a pull error began.
    pub pull_errors: Vec<(Millis, String, String)>,
    /// When the container first ran with its image (`imageID` set).
    pub pulled_ms: Option<Millis>,
    /// The latest waiting reason, if it is waiting.
    pub waiting: Option<String>,
}

/// What happened to one Pod.
#[derive(Clone, Debug, PartialEq)]
pub struct PodTrack {
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// The ReplicaSet that owns it.
    pub owner_rs: Option<String>,
    pub created_ms: Millis,
    pub samples: Vec<PodSample>,
    /// When it was bound, and to which node.
    pub scheduled: Option<(Millis, String)>,
    /// The scheduler's latest reason for not binding it.
    pub unschedulable: Option<String>,
    pub deleted_ms: Option<Millis>,
    /// `kubectl get pods` STATUS at its last change.
    pub last_status: String,
    pub containers: Vec<ContainerTrack>,
}

impl PodTrack {
    /// The sample in force at `t` (None before the Pod existed).
    pub fn at(&self, t: Millis) -> Option<&PodSample> {
        let i = self.samples.partition_point(|s| s.time_ms <= t);
        i.checked_sub(1).map(|i| &self.samples[i])
    }
}

/// One occurrence of an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventOccurrence {
    pub time_ms: Millis,
    pub reason: String,
    pub message: String,
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    /// `spec.containers{web}` for events about a container.
    pub field_path: Option<String>,
}

/// What [`run`] recorded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    pub until_ms: Millis,
    /// Every Pod, in the order they were created.
    pub pods: Vec<PodTrack>,
    /// (namespace, ReplicaSet) → its Deployment.
    pub rs_owner: Store<String>,
    /// (namespace, Deployment) → its latest `spec.replicas`.
    pub deployment_replicas: Store<i32>,
    /// (namespace, Service) → (time, ready endpoints) whenever it changed.
    pub endpoints: Store<Vec<(Millis, u32)>>,
    pub events: Vec<EventOccurrence>,
    /// (namespace, `pod/container`) → the last lines of its current run's
    /// log at the end (live Pods only; at most [`MAX_LOG_LINES`] each).
    pub logs: Store<Vec<String>>,
    /// (namespace, Service) → the client traffic's counters at the end.
    pub traffic: Store<TrafficRecord>,
    /// Failed actions, engine notes, and limits hit.
    pub problems: Vec<String>,
    /// The live track of each (namespace, name).
    index: Store<usize>,
}

/// What the simulated client's requests to one Service came to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrafficRecord {
    pub sent: u64,
    pub failed: u64,
    /// The first failure of the run, in words with its time.
    pub first_failure: Option<String>,
}

/// Runs `objects` with the exercise's seed and actions to its `until`.
pub fn run(exercise: &Exercise, objects: Vec<Object>) -> Trace {
    let until = exercise.until_ms.min(super::MAX_UNTIL_MS);
    let mut trace = Trace { until_ms: until, ..Trace::default() };
    // The exercise's actions run as the page runs them: bundled texts only.
    let plan = exercise.actions.iter().map(|a| Planned::new(a.at_ms, &a.text, &mut Bundled)).collect();
    let mut runner = Runner::start(Sim::new(SimConfig::with_seed(exercise.seed)), objects, plan, &mut trace);
    runner.run_to(until, &mut trace);
    let sim = runner.sim();
    for n in sim.notes() {
        trace.problem(n.clone());
    }
    for t in sim.traffic() {
        let record = trace.traffic.get_or_insert_with((t.namespace.clone(), t.service.clone()), TrafficRecord::default);
        record.sent = t.sent;
        record.failed = t.failed;
    }
    for pod in sim.pods().iter().take(1_000) {
        let (meta, spec) = (&pod.pod.metadata, &pod.pod.spec);
        for c in spec.init_containers.iter().chain(&spec.containers) {
            let mut lines = sim.logs(&meta.namespace, &meta.name, &c.name).unwrap_or_default();
            lines.drain(..lines.len().saturating_sub(MAX_LOG_LINES));
            trace.logs.insert((meta.namespace.clone(), format!("{}/{}", meta.name, c.name)), lines);
        }
    }
    trace
}

impl Observer for Trace {
    fn observe(&mut self, sim: &mut Sim) {
        self.drain(sim);
    }

    fn performed(&mut self, sim: &mut Sim, command: &Planned, result: &Result<(), String>) {
        if let Err(e) = result {
            self.problem(command.refusal(e));
        }
        self.drain(sim);
    }
}

impl Trace {
    fn problem(&mut self, text: String) {
        if self.problems.len() < 100 && !self.problems.contains(&text) {
            self.problems.push(text);
        }
    }

    fn drain(&mut self, sim: &mut Sim) {
        while let Some(change) = sim.poll_traffic() {
            if let crate::core::engine::TrafficChangeKind::Failing { first } = &change.kind {
                let record = self
                    .traffic
                    .get_or_insert_with((change.namespace.clone(), change.service.clone()), TrafficRecord::default);
                if record.first_failure.is_none() {
                    record.first_failure = Some(format!("at {}, {first}", go_duration(change.time_ms)));
                }
            }
        }
        while let Some(Output { time_ms, type_, object }) = sim.poll_output() {
            match object {
                Snapshot::Pod(pod) => self.pod(time_ms, type_, &pod),
                Snapshot::EndpointSlice(slice) => {
                    let ready = slice.endpoints.iter().filter(|e| e.ready).count() as u32;
                    let series = self
                        .endpoints
                        .get_or_insert_with((slice.namespace.clone(), slice.service_name.clone()), Vec::new);
                    push_sample(series, (time_ms, ready), |s| s.0, &mut false);
                }
                Snapshot::Service(service) => {
                    let m = &service.service.metadata;
                    self.endpoints.get_or_insert_with((m.namespace.clone(), m.name.clone()), Vec::new);
                }
                Snapshot::Event(event) => {
                    if self.events.len() < MAX_EVENT_OCCURRENCES {
                        self.events.push(EventOccurrence {
                            time_ms,
                            reason: event.reason,
                            message: event.message,
                            kind: event.involved.kind,
                            namespace: event.involved.namespace,
                            name: event.involved.name,
                            field_path: event.involved.field_path,
                        });
                    } else {
                        self.problem(format!("only the first {MAX_EVENT_OCCURRENCES} events were kept for the checks"));
                    }
                }
                Snapshot::Deployment(deployment) => {
                    let d = &deployment.deployment;
                    self.deployment_replicas
                        .insert((d.metadata.namespace.clone(), d.metadata.name.clone()), d.spec.replicas);
                }
                Snapshot::ReplicaSet(replica_set) => {
                    let m = &replica_set.replica_set.metadata;
                    if let Some(o) = m.owner_references.iter().find(|o| o.controller && o.kind == "Deployment") {
                        self.rs_owner.insert((m.namespace.clone(), m.name.clone()), o.name.clone());
                    }
                }
                _ => {}
            }
        }
    }

    fn pod(&mut self, t: Millis, type_: WatchType, snap: &PodSnapshot) {
        let meta = &snap.pod.metadata;
        let key = (meta.namespace.clone(), meta.name.clone());
        let live = self.index.get(&key).copied().filter(|&i| self.pods[i].deleted_ms.is_none());
        let i = match live {
            Some(i) => i,
            None => {
                if self.pods.len() >= MAX_TRACKED_PODS {
                    self.problem(format!("only the first {MAX_TRACKED_PODS} Pods were followed for the checks"));
                    return;
                }
                self.pods.push(PodTrack {
                    namespace: meta.namespace.clone(),
                    name: meta.name.clone(),
                    labels: meta.labels.clone(),
                    owner_rs: snap.controller().filter(|o| o.kind == "ReplicaSet").map(|o| o.name.clone()),
                    created_ms: t,
                    samples: Vec::new(),
                    scheduled: None,
                    unschedulable: None,
                    deleted_ms: None,
                    last_status: String::new(),
                    containers: Vec::new(),
                });
                self.index.insert(key, self.pods.len() - 1);
                self.pods.len() - 1
            }
        };
        let deleted = type_ == WatchType::Deleted;
        let status = &snap.status;
        let mut full = false;
        let track = &mut self.pods[i];
        track.last_status = if deleted { "deleted".into() } else { kubectl::pod_status_column(snap) };
        let sample = PodSample {
            time_ms: t,
            ready: !deleted && status.is_ready() && snap.server.deletion_ms.is_none(),
            phase: status.phase,
            status: track.last_status.clone(),
        };
        push_sample(&mut track.samples, sample, |s| s.time_ms, &mut full);
        if deleted {
            track.deleted_ms = Some(t);
        }
        if track.scheduled.is_none() {
            if let Some(node) = &snap.node_name {
                track.scheduled = Some((t, node.clone()));
            }
        }
        if let Some(c) = status.condition(ConditionType::PodScheduled) {
            if !c.status {
                track.unschedulable = c.message.clone();
            }
        }
        for (init, statuses) in [(true, &status.init_container_statuses), (false, &status.container_statuses)] {
            for cs in statuses {
                let c = match track.containers.iter().position(|c| c.name == cs.name && c.init == init) {
                    Some(c) => c,
                    None => {
                        track.containers.push(ContainerTrack {
                            name: cs.name.clone(),
                            init,
                            ..ContainerTrack::default()
                        });
                        track.containers.len() - 1
                    }
                };
                container(&mut track.containers[c], t, cs, &mut full);
            }
        }
        if full {
            self.problem(format!(
                "Pod {} changed more than {MAX_SAMPLES} times; later changes were not kept",
                meta.name
            ));
        }
    }
}

/// Appends `s`, replacing the last sample when it is for the same instant;
/// keeps at most [`MAX_SAMPLES`].
fn push_sample<T>(v: &mut Vec<T>, s: T, time: impl Fn(&T) -> Millis, full: &mut bool) {
    if let Some(last) = v.last_mut() {
        if time(last) == time(&s) {
            *last = s;
            return;
        }
    }
    if v.len() >= MAX_SAMPLES {
        *full = true;
        return;
    }
    v.push(s);
}

fn container(track: &mut ContainerTrack, t: Millis, cs: &ContainerStatus, full: &mut bool) {
    track.image = cs.image.clone();
    if track.pulled_ms.is_none() && !cs.image_id.is_empty() {
        track.pulled_ms = Some(t);
    }
    if track.restarts.last().map(|r| r.1) != Some(cs.restart_count) {
        push_sample(&mut track.restarts, (t, cs.restart_count), |r| r.0, full);
    }
    let mut states: Vec<&ContainerState> = cs.last_state.iter().collect();
    states.push(&cs.state);
    for state in states {
        match state {
            ContainerState::Running { started_at_ms } => {
                track.first_started_ms = Some(track.first_started_ms.map_or(*started_at_ms, |f| f.min(*started_at_ms)));
            }
            ContainerState::Terminated(term) => {
                track.first_started_ms =
                    Some(track.first_started_ms.map_or(term.started_at_ms, |f| f.min(term.started_at_ms)));
                let seen = track
                    .terminations
                    .iter()
                    .rev()
                    .take(4)
                    .any(|x| x.started_ms == term.started_at_ms && x.finished_ms == term.finished_at_ms);
                if !seen {
                    if term.exit_code == 0 && track.first_completed_ms.is_none() {
                        track.first_completed_ms = Some(term.finished_at_ms);
                    }
                    if track.terminations.len() < MAX_SAMPLES {
                        track.terminations.push(Termination {
                            started_ms: term.started_at_ms,
                            finished_ms: term.finished_at_ms,
                            reason: term.reason.clone(),
                            exit_code: term.exit_code,
                        });
                    } else {
                        *full = true;
                    }
                }
            }
            ContainerState::Waiting(_) => {}
        }
    }
    let waiting = match &cs.state {
        ContainerState::Waiting(w) => Some(w),
        _ => None,
    };
    if let Some(w) = waiting {
        let pull_error =
            matches!(w.reason.as_str(), "ErrImagePull" | "ImagePullBackOff" | "InvalidImageName" | "ErrImageNeverPull");
        if pull_error && track.waiting.as_deref() != Some(w.reason.as_str()) && track.pull_errors.len() < 1000 {
            track.pull_errors.push((t, w.reason.clone(), w.message.clone().unwrap_or_default()));
        }
    }
    track.waiting = waiting.map(|w| w.reason.clone());
}
