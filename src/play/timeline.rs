//! The timeline: one lane per Pod and one per container, each a run of
//! segments coloured by state, with events as marks. Built from the engine's
//! outputs as they arrive, so it costs nothing to keep up to date.

use crate::core::engine::{ProbeKind, WatchType};
use crate::core::status::{ContainerState, ContainerStatus, Event, EventType, PodSnapshot};
use crate::core::time::Millis;
use std::collections::BTreeMap;

/// Lanes kept; the oldest lanes of deleted Pods go first.
pub const MAX_LANES: usize = 400;
/// Segments or marks kept per lane; past it the oldest are dropped.
pub const MAX_PER_LANE: usize = 2_000;

/// What a segment shows. The page draws each with its own colour *and*
/// pattern, and the label says it in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LaneState {
    /// Waiting for a node, pulling, creating, initialising.
    Pending,
    /// Running, not ready.
    Running,
    /// Running and ready.
    Ready,
    /// Waiting after a failure: back-off, pull errors, config errors.
    Trouble,
    Terminating,
    Succeeded,
    Failed,
}

impl LaneState {
    /// The CSS class suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            LaneState::Pending => "pending",
            LaneState::Running => "running",
            LaneState::Ready => "ready",
            LaneState::Trouble => "trouble",
            LaneState::Terminating => "terminating",
            LaneState::Succeeded => "succeeded",
            LaneState::Failed => "failed",
        }
    }

    /// The state a `kubectl get pods` STATUS value stands for.
    pub fn of_pod_status(status: &str, ready: bool) -> LaneState {
        match status {
            "Running" if ready => LaneState::Ready,
            "Running" => LaneState::Running,
            "Terminating" => LaneState::Terminating,
            "Completed" | "Succeeded" => LaneState::Succeeded,
            "Error" | "Failed" | "OOMKilled" | "DeadlineExceeded" | "Evicted" | "ContainerStatusUnknown" => {
                LaneState::Failed
            }
            "Pending" | "ContainerCreating" | "PodInitializing" => LaneState::Pending,
            s if s.starts_with("Init:") && !is_trouble(&s[5..]) => LaneState::Pending,
            _ => LaneState::Trouble,
        }
    }

    pub fn of_container(c: &ContainerStatus, terminating: bool) -> LaneState {
        match &c.state {
            ContainerState::Running { .. } if terminating => LaneState::Terminating,
            ContainerState::Running { .. } if c.ready => LaneState::Ready,
            ContainerState::Running { .. } => LaneState::Running,
            ContainerState::Waiting(w) if is_trouble(&w.reason) => LaneState::Trouble,
            ContainerState::Waiting(_) => LaneState::Pending,
            ContainerState::Terminated(t) if t.exit_code == 0 => LaneState::Succeeded,
            ContainerState::Terminated(_) => LaneState::Failed,
        }
    }
}

/// Waiting reasons that mean something went wrong.
fn is_trouble(reason: &str) -> bool {
    !matches!(reason, "ContainerCreating" | "PodInitializing") && !reason.contains('/')
}

/// A stretch of one state, from `start_ms` until the next segment starts
/// (or the lane ends).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start_ms: Millis,
    pub state: LaneState,
    /// In words: the STATUS column, or the container's state and reason.
    pub label: String,
}

/// A probe run, drawn as a tick on its container's lane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProbeTick {
    pub at_ms: Millis,
    pub kind: ProbeKind,
    pub ok: bool,
}

/// An event on a lane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub at_ms: Millis,
    pub warning: bool,
    pub reason: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lane {
    /// `ns/pod` or `ns/pod/container`: stable, for keyed rendering.
    pub key: String,
    pub pod: String,
    pub container: Option<String>,
    pub segments: Vec<Segment>,
    pub marks: Vec<Mark>,
    /// Probe runs (container lanes only).
    pub probes: Vec<ProbeTick>,
    /// When the Pod was deleted; the lane ends there.
    pub end_ms: Option<Millis>,
    /// A stamp that changes whenever the segments, marks or end change
    /// (never the same for two lanes), so a view redraws a lane only then.
    /// Probe ticks are not counted: `probes.len()` tells those.
    pub rev: u64,
}

impl Lane {
    fn new(key: String, pod: &str, container: Option<&str>) -> Lane {
        Lane {
            key,
            pod: pod.to_string(),
            container: container.map(str::to_string),
            segments: Vec::new(),
            marks: Vec::new(),
            probes: Vec::new(),
            end_ms: None,
            rev: 0,
        }
    }

    /// The lane shows `state` from `at_ms`; false when it already did.
    fn set(&mut self, at_ms: Millis, state: LaneState, label: String) -> bool {
        if let Some(last) = self.segments.last_mut() {
            if last.state == state && last.label == label {
                return false;
            }
            if last.start_ms == at_ms {
                // Several changes in one instant: the last one is what showed.
                last.state = state;
                last.label = label;
                return true;
            }
        }
        self.segments.push(Segment { start_ms: at_ms, state, label });
        if self.segments.len() > MAX_PER_LANE {
            self.segments.remove(0);
        }
        true
    }

    /// The segment shown at time `t`, if the lane had started by then.
    pub fn segment_at(&self, t: Millis) -> Option<&Segment> {
        if self.end_ms.is_some_and(|end| t >= end) {
            return None;
        }
        let i = self.segments.partition_point(|s| s.start_ms <= t);
        i.checked_sub(1).map(|i| &self.segments[i])
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    /// In order of first appearance: a Pod's lane, then its containers'.
    pub lanes: Vec<Lane>,
    /// The last time anything was recorded.
    pub last_ms: Millis,
    /// Live lanes by key (lanes of deleted Pods are not in it). A
    /// `BTreeMap<String, u32>`, the map type the engine's Stores already
    /// link into the page, rather than one more hash table instance.
    index: BTreeMap<String, u32>,
    /// The last `Lane::rev` handed out.
    stamp: u64,
}

impl Timeline {
    /// Marks lane `i` as changed.
    fn touch(&mut self, i: usize) {
        self.stamp += 1;
        self.lanes[i].rev = self.stamp;
    }

    fn lane_index(&mut self, key: String, pod: &str, container: Option<&str>) -> usize {
        let i = match self.index.get(&key) {
            Some(&i) => i as usize,
            None => {
                if self.lanes.len() >= MAX_LANES {
                    let gone = self.lanes.iter().position(|l| l.end_ms.is_some()).unwrap_or(0);
                    let pod_key = self.lanes[gone].pod.clone();
                    self.lanes.retain(|l| l.pod != pod_key || l.end_ms.is_none());
                }
                // A container lane goes after its Pod's other lanes.
                let at = match container {
                    Some(_) => self
                        .lanes
                        .iter()
                        .rposition(|l| l.pod == pod && l.end_ms.is_none())
                        .map_or(self.lanes.len(), |i| i + 1),
                    None => self.lanes.len(),
                };
                self.lanes.insert(at, Lane::new(key, pod, container));
                self.reindex();
                at
            }
        };
        i
    }

    /// Sets lane `key`'s state from `t` (making the lane if new).
    fn set(&mut self, key: String, pod: &str, container: Option<&str>, t: Millis, state: LaneState, label: String) {
        let i = self.lane_index(key, pod, container);
        if self.lanes[i].set(t, state, label) {
            self.touch(i);
        }
    }

    fn reindex(&mut self) {
        self.index.clear();
        for (i, l) in self.lanes.iter().enumerate().filter(|(_, l)| l.end_ms.is_none()) {
            self.index.insert(l.key.clone(), i as u32);
        }
    }

    /// A probe ran: a tick on its container's lane.
    pub(crate) fn probe(&mut self, key: &str, tick: ProbeTick) {
        let Some(&i) = self.index.get(key) else { return };
        let lane = &mut self.lanes[i as usize];
        lane.probes.push(tick);
        if lane.probes.len() > MAX_PER_LANE {
            lane.probes.drain(..MAX_PER_LANE / 4);
        }
    }

    /// A Pod changed: its lane and its containers' lanes.
    pub(crate) fn pod(&mut self, t: Millis, type_: WatchType, pod: &PodSnapshot, status: &str) {
        self.last_ms = self.last_ms.max(t);
        let ns = &pod.pod.metadata.namespace;
        let name = &pod.pod.metadata.name;
        let pod_key = format!("{ns}/{name}");
        let terminating = pod.server.deletion_ms.is_some();
        let containers = pod.status.init_container_statuses.iter().chain(&pod.status.container_statuses);
        if type_ == WatchType::Deleted {
            for i in 0..self.lanes.len() {
                if self.lanes[i].pod == pod_key && self.lanes[i].end_ms.is_none() {
                    self.lanes[i].end_ms = Some(t);
                    self.touch(i);
                }
            }
            self.reindex();
            return;
        }
        let state = LaneState::of_pod_status(status, pod.status.is_ready());
        self.set(pod_key.clone(), &pod_key, None, t, state, status.to_string());
        for c in containers {
            let label = container_label(c);
            let state = LaneState::of_container(c, terminating);
            self.set(format!("{pod_key}/{}", c.name), &pod_key, Some(&c.name), t, state, label);
        }
    }

    /// An event: a mark on its container's lane when it names one, else on
    /// the Pod's. Events about other objects are not drawn.
    pub(crate) fn event(&mut self, t: Millis, e: &Event) {
        if e.involved.kind != "Pod" {
            return;
        }
        self.last_ms = self.last_ms.max(t);
        let pod_key = format!("{}/{}", e.involved.namespace, e.involved.name);
        let container = e
            .involved
            .field_path
            .as_deref()
            .and_then(|f| f.split_once('{'))
            .and_then(|(_, rest)| rest.strip_suffix('}'));
        let key = match container {
            Some(c) => format!("{pod_key}/{c}"),
            None => pod_key.clone(),
        };
        let Some(&i) = self.index.get(&key) else { return };
        let lane = &mut self.lanes[i as usize];
        lane.marks.push(Mark {
            at_ms: t,
            warning: e.type_ == EventType::Warning,
            reason: e.reason.clone(),
            message: e.message.clone(),
        });
        if lane.marks.len() > MAX_PER_LANE {
            lane.marks.remove(0);
        }
        self.touch(i as usize);
    }
}

/// A container's state in words: `Running (ready)`, `Waiting: CrashLoopBackOff`,
/// `Terminated: Error (exit 1)`.
pub fn container_label(c: &ContainerStatus) -> String {
    match &c.state {
        ContainerState::Running { .. } if c.ready => "Running, ready".to_string(),
        ContainerState::Running { .. } if c.started == Some(false) => "Running, not started".to_string(),
        ContainerState::Running { .. } => "Running, not ready".to_string(),
        ContainerState::Waiting(w) => format!("Waiting: {}", w.reason),
        ContainerState::Terminated(t) => format!("Terminated: {} (exit {})", t.reason, t.exit_code),
    }
}
