//! The kubelet's record of a Pod: its containers' runtime state (stage,
//! back-off, probes, the running program and its files), the conditions and
//! phase it reports (`getPhase`, pkg/kubelet/kubelet_pods.go), its requests
//! and QoS class. What acts on it is in `kubelet.rs`; what its processes see
//! is in `env.rs`.

use super::files::Files;
use super::images::{App, ImageInfo};
use crate::core::api::{Container, Pod, Probe, RestartPolicy};
use crate::core::shell::Process;
use crate::core::status::*;
use crate::core::time::{Millis, MINUTE_MS, SECOND_MS};
use std::collections::VecDeque;
use std::sync::Arc;

/// Crash and image-pull back-off: 10 s doubling to 300 s
/// (`pkg/kubelet/kubelet.go`: `backOffPeriod`, `MaxContainerBackOff`).
pub const BACKOFF_INITIAL_MS: Millis = 10 * SECOND_MS;
pub const BACKOFF_MAX_MS: Millis = 300 * SECOND_MS;
/// A back-off entry is forgotten after 2 × max with no new failure
/// (`client-go/util/flowcontrol/backoff.go` `hasExpired`): the "10 minutes".
pub const BACKOFF_RESET_MS: Millis = 2 * BACKOFF_MAX_MS;
/// A volume mount that failed is retried with exponential back-off from
/// 500 ms doubling to 2m2s (`nestedpendingoperations`:
/// `initialDurationBeforeRetry`, `maxDurationBeforeRetry`).
pub const MOUNT_RETRY_INITIAL_MS: Millis = 500;
pub const MOUNT_RETRY_MAX_MS: Millis = 2 * MINUTE_MS + 2 * SECOND_MS;

/// Seconds from the API (which may be any int64) as milliseconds, saturating.
pub fn seconds_ms(seconds: i64) -> Millis {
    (seconds.max(0) as Millis).saturating_mul(SECOND_MS)
}

/// `client-go/util/flowcontrol.Backoff` for one key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Backoff {
    entry: Option<(Millis, Millis)>, // (backoff, last update)
}

impl Backoff {
    /// `IsInBackOffSince(key, event_time)`.
    pub fn in_backoff_since(&self, event_ms: Millis, now: Millis) -> bool {
        match self.entry {
            None => false,
            Some((backoff, last)) => {
                if event_ms.saturating_sub(last) > BACKOFF_RESET_MS {
                    return false;
                }
                now.saturating_sub(event_ms) < backoff
            }
        }
    }
    /// `Next(key, now)`: start at 10 s, or double up to the max.
    pub fn next(&mut self, now: Millis) {
        self.entry = Some(match self.entry {
            Some((b, last)) if now.saturating_sub(last) <= BACKOFF_RESET_MS => ((b * 2).min(BACKOFF_MAX_MS), now),
            _ => (BACKOFF_INITIAL_MS, now),
        });
    }
    pub fn current(&self) -> Millis {
        self.entry.map(|e| e.0).unwrap_or(BACKOFF_INITIAL_MS)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Not started yet.
    Idle,
    /// Waiting its turn in the kubelet's sequential start loop.
    Queued,
    Pulling,
    /// The last pull failed (ErrImagePull); the back-off is next.
    PullFailed,
    PullBackOff,
    /// Image present; being created and started.
    Creating,
    /// Started; the postStart hook is running (the kubelet waits for it).
    PostStart,
    Running,
    /// Being killed: preStop, then SIGTERM, then SIGKILL at the deadline.
    Stopping,
    Exited,
    CrashBackOff,
    /// Will not run again (Pod terminating or terminal, or InvalidImageName).
    Done,
}

/// One probe worker (`pkg/kubelet/prober/worker.go`).
#[derive(Clone, Debug, Default)]
pub struct ProbeRt {
    /// The container epoch this worker last saw (a new container resets it).
    pub epoch: u32,
    pub last_ok: Option<bool>,
    pub run: i32,
    pub on_hold: bool,
    /// The result last set in the results manager.
    pub result: Option<bool>,
    /// The probe's timing, copied from the spec when the worker starts, so a
    /// tick reads one small struct instead of the spec.
    pub hot: ProbeHot,
    /// The Pod version at which this probe last succeeded with a result that
    /// only a change to the Pod can alter (see `env::probe_outcome_is_stable`).
    pub cached_success_at: Option<u64>,
    /// When the worker's last tick ran, if it then went to sleep: every
    /// tick until the Pod changes would repeat that cached success, so the
    /// engine skips them and `Sim::wake_probes` re-arms the worker at the
    /// next tick it would have run (`Timer::new` keeps that place exact).
    pub asleep_since: Option<Millis>,
}

/// The fields of a probe a tick needs.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProbeHot {
    pub present: bool,
    pub period_ms: Millis,
    pub initial_delay_ms: Millis,
}

impl ProbeHot {
    pub(super) fn of(probe: Option<&Probe>) -> ProbeHot {
        match probe {
            None => ProbeHot::default(),
            Some(p) => ProbeHot {
                present: true,
                period_ms: p.period_seconds.max(1) as Millis * SECOND_MS,
                initial_delay_ms: p.initial_delay_seconds.max(0) as Millis * SECOND_MS,
            },
        }
    }
}

/// A running program's state (what serves requests).
#[derive(Clone, Debug)]
pub struct AppRt {
    pub app: App,
    pub listen_from_ms: Millis,
    pub started_ms: Millis,
    pub quitting: bool,
}

/// One container being stopped (`killContainer` in
/// `pkg/kubelet/kuberuntime/kuberuntime_container.go`): the Killing event,
/// the preStop hook, SIGTERM, and SIGKILL when the grace period ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stopping {
    pub container: String,
    /// When the kubelet began (the Killing event) and that event's message.
    pub since_ms: Millis,
    pub message: String,
    /// The grace period the kubelet gives it.
    pub grace_ms: Millis,
    /// While the preStop hook runs: when it ends.
    pub pre_stop_until: Option<Millis>,
    /// When SIGTERM was sent (None while the preStop hook runs or the
    /// container waits for its turn).
    pub sigterm_ms: Option<Millis>,
    /// While SIGTERM waits for its turn (a sidecar in a Pod-level stop):
    /// the containers it waits for to exit.
    pub waiting_for: Vec<String>,
    /// The probe whose failures are why (liveness or startup), if one is.
    pub probe: Option<super::ProbeKind>,
    /// When SIGKILL comes if the container is still running then.
    pub sigkill_ms: Millis,
}

pub struct ContainerRt {
    pub name: String,
    pub is_init: bool,
    pub is_sidecar: bool,
    pub spec_index: usize,
    pub stage: Stage,
    pub epoch: u32,
    pub status: ContainerStatus,
    pub proc: Option<Process>,
    pub image: Option<ImageInfo>,
    pub files: Files,
    /// The log of the run before this one (`kubectl logs --previous`).
    pub previous_log: std::collections::VecDeque<String>,
    pub app: Option<AppRt>,
    pub broken: bool,
    pub crash_backoff: Backoff,
    pub pull_backoff: Backoff,
    /// startup, liveness, readiness.
    pub probes: [ProbeRt; 3],
    pub started_ms: Millis,
    pub created_once: bool,
    pub prestop_running_until: Option<Millis>,
    pub kill_grace_ms: Millis,
    /// When the kubelet began to stop the container (its Killing event),
    /// and that event's message; read by [`Sim::stopping`](super::Sim::stopping).
    pub stop_since_ms: Millis,
    pub stop_message: String,
    /// The probe whose failures began the current stop, if one did.
    pub stop_probe: Option<super::ProbeKind>,
    /// When SIGTERM was sent in the current stop (None while preStop runs,
    /// or while the container waits for its turn).
    pub sigterm_ms: Option<Millis>,
    /// A Pod-level stop (`killContainersWithSyncResult`) follows the
    /// kubelet's terminationOrdering: set on each container it stops.
    pub ordered_stop: bool,
    /// SIGTERM waits for the containers that stop first to exit
    /// (`terminationOrdering.waitForTurn`).
    pub awaiting_turn: bool,
    pub pull_started: Millis,
    pub pull_failed_at: Millis,
    /// The kubelet's message for a postStart hook that failed (None: it
    /// succeeded), known when the hook ran, acted on when it ends.
    pub post_start_error: Option<String>,
    /// Why the last start failed, for the Waiting state the kubelet's
    /// reasonCache gives the container until its next sync
    /// (`kubelet_pods.go` convertToAPIContainerStatuses): (reason, message).
    pub start_error: Option<(String, String)>,
    /// Memory the app uses, when known (stress, or the memory-mi knob).
    pub memory_bytes: Option<i64>,
}

pub struct PodRt {
    pub pod: Arc<Pod>,
    pub server: ServerMeta,
    pub incarnation: u32,
    pub node: Option<usize>,
    pub node_name_cache: Option<String>,
    pub status: PodStatus,
    pub published: PodStatus,
    pub published_deletion: Option<Millis>,
    pub dirty: bool,
    /// (cpu millis, memory bytes) the scheduler accounts for.
    pub requests: (i64, i64),
    /// Requests as the scheduler's scoring counts them.
    pub nonzero_requests: (i64, i64),
    /// Init containers first, then regular containers.
    pub cs: Vec<ContainerRt>,
    pub n_init: usize,
    pub admitted_ms: Millis,
    pub sandbox_ready: bool,
    pub volumes: crate::core::store::Store<Files, String>,
    pub start_queue: VecDeque<usize>,
    pub starting: Option<usize>,
    pub initialized_once: bool,
    pub terminating: bool,
    pub terminal: bool,
    /// Bumped by every change a probe could observe (status, files, apps,
    /// break/heal): cached probe successes are valid only at this version.
    pub version: u64,
    /// Set when the kubelet fails the Pod itself (reason, message), e.g.
    /// `DeadlineExceeded`.
    pub failed_reason: Option<(String, String)>,
    /// When the Pod worker's retry after a CreateContainerConfigError is due.
    pub config_retry_at: Option<Millis>,
    /// Volumes are set up; the sandbox may be created.
    pub volumes_mounted: bool,
    /// The next delay before a failed mount is retried.
    pub mount_retry_ms: Millis,
    /// Metadata changed (a controller adopted or released the Pod): publish
    /// even if the status did not change.
    pub meta_changed: bool,
    /// The node lifecycle controller marked the Pod not Ready (its node
    /// stopped posting status); cleared when the kubelet reports again.
    pub node_lost: bool,
    /// The Services whose selector matches this Pod (the reverse of
    /// `ServiceRt::members`), so a change to the Pod finds them directly.
    pub services: Vec<(String, String)>,
    /// How many of its probe workers sleep (`ProbeRt::asleep_since`).
    pub sleeping: u16,
}

pub(super) const PROBE_NAMES: [&str; 3] = ["Startup", "Liveness", "Readiness"];

/// A container's probe of `kind` (0 startup, 1 liveness, 2 readiness), borrowed.
pub(super) fn probe_ref<'a>(pod: &'a Pod, c: &ContainerRt, kind: usize) -> Option<&'a Probe> {
    let spec = if c.is_init { &pod.spec.init_containers[c.spec_index] } else { &pod.spec.containers[c.spec_index] };
    match kind {
        0 => spec.startup_probe.as_ref(),
        1 => spec.liveness_probe.as_ref(),
        _ => spec.readiness_probe.as_ref(),
    }
}

pub(super) fn container_spec(pod: &Pod, c: &ContainerRt) -> Container {
    if c.is_init {
        pod.spec.init_containers[c.spec_index].clone()
    } else {
        pod.spec.containers[c.spec_index].clone()
    }
}

impl PodRt {
    /// Containers that never started (or wait to restart) will not start
    /// now: the Pod is stopping. A new epoch voids their pending timers.
    pub fn never_started_are_done(&mut self) {
        for cr in self.cs.iter_mut() {
            if matches!(
                cr.stage,
                Stage::Idle
                    | Stage::Queued
                    | Stage::Pulling
                    | Stage::PullFailed
                    | Stage::PullBackOff
                    | Stage::Creating
                    | Stage::CrashBackOff
            ) {
                cr.stage = Stage::Done;
                cr.epoch += 1;
            }
        }
    }

    pub fn new(pod: Arc<Pod>, uid: String, now: Millis, rv: u64, incarnation: u32) -> PodRt {
        let has_init = !pod.spec.init_containers.is_empty();
        let default_wait = if has_init { "PodInitializing" } else { "ContainerCreating" };
        let mk = |c: &Container, is_init: bool, i: usize| ContainerRt {
            name: c.name.clone(),
            is_init,
            is_sidecar: is_init && c.restart_policy == Some(RestartPolicy::Always),
            spec_index: i,
            stage: Stage::Idle,
            epoch: 0,
            status: ContainerStatus {
                name: c.name.clone(),
                image: c.image.clone(),
                image_id: String::new(),
                container_id: String::new(),
                state: ContainerState::waiting(default_wait),
                last_state: None,
                ready: false,
                restart_count: 0,
                started: Some(false),
            },
            proc: None,
            image: None,
            files: Files::default(),
            previous_log: std::collections::VecDeque::new(),
            app: None,
            broken: false,
            crash_backoff: Backoff::default(),
            pull_backoff: Backoff::default(),
            probes: Default::default(),
            started_ms: 0,
            created_once: false,
            prestop_running_until: None,
            kill_grace_ms: 0,
            stop_since_ms: 0,
            stop_message: String::new(),
            stop_probe: None,
            sigterm_ms: None,
            ordered_stop: false,
            awaiting_turn: false,
            pull_started: 0,
            pull_failed_at: 0,
            post_start_error: None,
            start_error: None,
            memory_bytes: None,
        };
        let mut cs: Vec<ContainerRt> =
            pod.spec.init_containers.iter().enumerate().map(|(i, c)| mk(c, true, i)).collect();
        let n_init = cs.len();
        cs.extend(pod.spec.containers.iter().enumerate().map(|(i, c)| mk(c, false, i)));
        let requests = pod_requests(&pod);
        let nonzero_requests = pod_nonzero_requests(&pod);
        let qos = qos_class(&pod);
        let status = PodStatus {
            phase: PodPhase::Pending,
            conditions: Vec::new(),
            host_ip: None,
            pod_ip: None,
            start_time_ms: None,
            init_container_statuses: Vec::new(),
            container_statuses: Vec::new(),
            qos_class: qos,
            reason: None,
            message: None,
        };
        let mut volumes = crate::core::store::Store::new();
        for v in &pod.spec.volumes {
            volumes.insert(v.name.clone(), Files::default());
        }
        PodRt {
            server: ServerMeta {
                uid,
                creation_ms: now,
                resource_version: rv,
                deletion_ms: None,
                deletion_grace_period_seconds: None,
            },
            pod,
            incarnation,
            node: None,
            node_name_cache: None,
            published: status.clone(),
            status,
            published_deletion: None,
            dirty: false,
            requests,
            nonzero_requests,
            cs,
            n_init,
            admitted_ms: 0,
            sandbox_ready: false,
            volumes,
            start_queue: VecDeque::new(),
            starting: None,
            initialized_once: false,
            terminating: false,
            terminal: false,
            version: 0,
            failed_reason: None,
            config_retry_at: None,
            volumes_mounted: false,
            mount_retry_ms: MOUNT_RETRY_INITIAL_MS,
            meta_changed: false,
            node_lost: false,
            services: Vec::new(),
            sleeping: 0,
        }
    }

    pub fn node_name(&self) -> Option<String> {
        self.node_name_cache.clone()
    }

    pub fn container_index(&self, name: &str) -> Option<usize> {
        self.cs.iter().position(|c| c.name == name)
    }

    pub fn snapshot(&self) -> PodSnapshot {
        PodSnapshot {
            pod: self.pod.clone(),
            server: self.server.clone(),
            node_name: self.node_name_cache.clone(),
            status: self.status.clone(),
        }
    }

    pub fn set_condition(
        &mut self,
        t: ConditionType,
        status: bool,
        now: Millis,
        reason: Option<String>,
        message: Option<String>,
    ) {
        match self.status.conditions.iter_mut().find(|c| c.type_ == t) {
            Some(c) => {
                if c.status != status {
                    c.last_transition_ms = now;
                }
                c.status = status;
                c.reason = reason;
                c.message = message;
            }
            None => {
                self.status.conditions.push(PodCondition {
                    type_: t,
                    status,
                    last_transition_ms: now,
                    reason,
                    message,
                });
                crate::core::sort::sort_by_key(&mut self.status.conditions, |c| c.type_);
            }
        }
    }

    pub(super) fn spec_of(&self, c: usize) -> Container {
        container_spec(&self.pod, &self.cs[c])
    }

    pub(super) fn has_probe(&self, c: usize, kind: usize) -> bool {
        let spec = if self.cs[c].is_init {
            &self.pod.spec.init_containers[self.cs[c].spec_index]
        } else {
            &self.pod.spec.containers[self.cs[c].spec_index]
        };
        match kind {
            0 => spec.startup_probe.is_some(),
            1 => spec.liveness_probe.is_some(),
            _ => spec.readiness_probe.is_some(),
        }
    }

    /// A simulation knob from the annotations: `podplay.dev/KNOB.CONTAINER`
    /// for one container, or `podplay.dev/KNOB` for all of them.
    pub fn knob(&self, c: usize, knob: &str) -> Option<&str> {
        let a = &self.pod.metadata.annotations;
        a.get(&format!("podplay.dev/{knob}.{}", self.cs[c].name))
            .or_else(|| a.get(&format!("podplay.dev/{knob}")))
            .map(|s| s.as_str())
    }

    pub(super) fn field_path(&self, c: usize) -> String {
        let kind = if self.cs[c].is_init { "initContainers" } else { "containers" };
        format!("spec.{kind}{{{}}}", self.cs[c].name)
    }

    /// Recomputes phase, conditions and statuses from the containers, as
    /// `generateAPIPodStatus` does (`pkg/kubelet/kubelet_pods.go`).
    pub(super) fn recompute(&mut self, now: Millis) {
        // Ready and started, per container.
        for i in 0..self.cs.len() {
            let running = self.cs[i].status.state.is_running() && self.cs[i].stage != Stage::PostStart;
            let has_startup = self.has_probe(i, 0);
            let has_readiness = self.has_probe(i, 2);
            let c = &mut self.cs[i];
            let started = running && (!has_startup || c.probes[0].result == Some(true));
            c.status.started = Some(started);
            // A regular init container that exited 0 is ready
            // (`prober_manager.go` UpdatePodStatus; the conformance test
            // "should invoke init containers on a RestartNever pod" checks it).
            c.status.ready = if c.is_init && !c.is_sidecar {
                matches!(&c.status.state, ContainerState::Terminated(t) if t.exit_code == 0)
            } else {
                started && (!has_readiness || c.probes[2].result == Some(true))
            };
        }
        let never = self.pod.spec.restart_policy == RestartPolicy::Never;
        self.status.init_container_statuses = self.cs[..self.n_init].iter().map(|c| shown_status(c, never)).collect();
        let mut regular: Vec<ContainerStatus> = self.cs[self.n_init..].iter().map(|c| shown_status(c, never)).collect();
        // `convertToAPIContainerStatuses` sorts regular container statuses by name.
        crate::core::sort::sort_by(&mut regular, |a, b| a.name.cmp(&b.name));
        self.status.container_statuses = regular;
        let phase = match &self.failed_reason {
            // The kubelet fails a Pod it evicts at once, whatever its containers do.
            Some((reason, message)) => {
                self.status.reason = Some(reason.clone());
                self.status.message = Some(message.clone());
                PodPhase::Failed
            }
            None => get_phase(&self.pod, &self.status, self.terminal),
        };
        self.status.phase = phase;

        if !self.sandbox_ready && self.node.is_some() {
            self.set_condition(ConditionType::PodReadyToStartContainers, false, now, None, None);
        }
        // Initialized (`pkg/kubelet/status/generate.go` GeneratePodInitializedCondition).
        let any_regular_started = self.cs[self.n_init..].iter().any(|c| c.created_once);
        let mut incomplete = Vec::new();
        if !any_regular_started {
            for c in &self.cs[..self.n_init] {
                let done = if c.is_sidecar {
                    c.status.started == Some(true)
                } else {
                    matches!(&c.status.state, ContainerState::Terminated(t) if t.exit_code == 0)
                };
                if !done {
                    incomplete.push(c.name.clone());
                }
            }
        }
        if self.node.is_some() {
            if phase == PodPhase::Succeeded {
                // "If all init containers are known and succeeded, just return
                // PodCompleted" (GeneratePodInitializedCondition): every
                // Succeeded Pod, with init containers or not.
                self.set_condition(ConditionType::Initialized, true, now, Some("PodCompleted".into()), None);
            } else if incomplete.is_empty() {
                self.set_condition(ConditionType::Initialized, true, now, None, None);
            } else {
                self.set_condition(
                    ConditionType::Initialized,
                    false,
                    now,
                    Some("ContainersNotInitialized".into()),
                    Some(format!("containers with incomplete status: [{}]", incomplete.join(" "))),
                );
            }
            // ContainersReady and Ready (GenerateContainersReadyCondition, GeneratePodReadyCondition).
            let unready: Vec<String> = self
                .cs
                .iter()
                .filter(|c| !c.is_init || c.is_sidecar)
                .filter(|c| !c.status.ready)
                .map(|c| c.name.clone())
                .collect();
            let (ok, reason, message) = match phase {
                PodPhase::Succeeded => (false, Some("PodCompleted".to_string()), None),
                PodPhase::Failed => (false, Some("PodFailed".to_string()), None),
                _ if !unready.is_empty() => (
                    false,
                    Some("ContainersNotReady".to_string()),
                    Some(format!("containers with unready status: [{}]", unready.join(" "))),
                ),
                _ => (true, None, None),
            };
            self.set_condition(ConditionType::ContainersReady, ok, now, reason.clone(), message.clone());
            if self.node_lost {
                // MarkPodsNotReady's condition stands until the kubelet reports.
                self.set_condition(ConditionType::Ready, false, now, None, None);
            } else {
                self.set_condition(ConditionType::Ready, ok, now, reason, message);
            }
        }
    }

    #[cfg(debug_assertions)]
    pub fn check_invariants(&self) {
        if self.status.is_ready() {
            for c in &self.cs {
                if !c.is_init || c.is_sidecar {
                    assert!(c.status.ready, "Ready Pod {} has unready container {}", self.pod.metadata.name, c.name);
                }
            }
        }
        for c in &self.cs {
            assert!(c.status.restart_count >= 0);
        }
    }
}

/// A container's status as the kubelet reports it. One that failed to start
/// (`StartError`) and will be started again waits with the start's error,
/// `RunContainerError` (`convertToAPIContainerStatuses` puts a container
/// that "should be restarted in next syncpod" in Waiting with the reason
/// cache's `ErrRunContainer`, pkg/kubelet/kubelet_pods.go), the failed run
/// as its lastState.
fn shown_status(c: &ContainerRt, restart_never: bool) -> ContainerStatus {
    let mut status = c.status.clone();
    if let ContainerState::Terminated(t) = &c.status.state {
        if t.reason == "StartError" && (c.is_sidecar || !restart_never) {
            let waiting = Waiting { reason: "RunContainerError".into(), message: t.message.clone() };
            status.last_state = Some(std::mem::replace(&mut status.state, ContainerState::Waiting(waiting)));
        }
    }
    status
}

/// `getPhase` (`pkg/kubelet/kubelet_pods.go`), on the statuses.
pub fn get_phase(pod: &Pod, status: &PodStatus, pod_is_terminal: bool) -> PodPhase {
    let mut pending_init = 0;
    let mut failed_init = 0;
    let find = |list: &Vec<ContainerStatus>, name: &str| list.iter().find(|s| s.name == name).cloned();
    let last_exit = |s: &ContainerStatus| match &s.last_state {
        Some(ContainerState::Terminated(t)) => Some(t.exit_code),
        _ => None,
    };
    for c in &pod.spec.init_containers {
        if c.restart_policy == Some(RestartPolicy::Always) {
            continue;
        }
        match find(&status.init_container_statuses, &c.name) {
            None => pending_init += 1,
            Some(s) => match &s.state {
                ContainerState::Running { .. } => pending_init += 1,
                ContainerState::Terminated(t) => {
                    if t.exit_code != 0 {
                        failed_init += 1;
                    }
                }
                ContainerState::Waiting(_) => match last_exit(&s) {
                    Some(code) => {
                        if code != 0 {
                            failed_init += 1;
                        }
                    }
                    None => pending_init += 1,
                },
            },
        }
    }
    let (mut unknown, mut running, mut waiting, mut stopped, mut succeeded) = (0, 0, 0, 0, 0);
    for c in &pod.spec.init_containers {
        if c.restart_policy != Some(RestartPolicy::Always) {
            continue;
        }
        match find(&status.init_container_statuses, &c.name) {
            None => unknown += 1,
            Some(s) => match &s.state {
                ContainerState::Running { .. } => {
                    if s.started != Some(true) {
                        pending_init += 1;
                    }
                    running += 1;
                }
                ContainerState::Terminated(_) => {}
                ContainerState::Waiting(_) => {
                    if last_exit(&s).is_none() {
                        pending_init += 1;
                        waiting += 1;
                    }
                }
            },
        }
    }
    let mut any_regular_started = false;
    for c in &pod.spec.containers {
        match find(&status.container_statuses, &c.name) {
            None => unknown += 1,
            Some(s) => {
                if s.last_state.is_some() || !matches!(s.state, ContainerState::Waiting(_)) {
                    any_regular_started = true;
                }
                match &s.state {
                    ContainerState::Running { .. } => running += 1,
                    ContainerState::Terminated(t) => {
                        stopped += 1;
                        if t.exit_code == 0 {
                            succeeded += 1;
                        }
                    }
                    ContainerState::Waiting(_) => {
                        if last_exit(&s).is_some() {
                            stopped += 1;
                        } else {
                            waiting += 1;
                        }
                    }
                }
            }
        }
    }
    if failed_init > 0 && pod.spec.restart_policy == RestartPolicy::Never {
        return PodPhase::Failed;
    }
    if (pending_init > 0 && !any_regular_started) || waiting > 0 {
        return PodPhase::Pending;
    }
    if running > 0 && unknown == 0 {
        return PodPhase::Running;
    }
    if running == 0 && stopped > 0 && unknown == 0 {
        if pod_is_terminal {
            return if stopped == succeeded { PodPhase::Succeeded } else { PodPhase::Failed };
        }
        if pod.spec.restart_policy == RestartPolicy::Always {
            return PodPhase::Running;
        }
        if stopped == succeeded {
            return PodPhase::Succeeded;
        }
        if pod.spec.restart_policy == RestartPolicy::Never {
            return PodPhase::Failed;
        }
        return PodPhase::Running;
    }
    PodPhase::Pending
}

/// Requests the scheduler counts: max(sum of regular + sidecars, largest
/// init container), each container's request defaulting to its limit.
pub(super) fn pod_requests(pod: &Pod) -> (i64, i64) {
    let req = |c: &Container| {
        (
            c.resources.requests.cpu_millis.or(c.resources.limits.cpu_millis).unwrap_or(0),
            c.resources.requests.memory_bytes.or(c.resources.limits.memory_bytes).unwrap_or(0),
        )
    };
    let mut sum = (0i64, 0i64);
    for c in pod
        .spec
        .containers
        .iter()
        .chain(pod.spec.init_containers.iter().filter(|c| c.restart_policy == Some(RestartPolicy::Always)))
    {
        let r = req(c);
        sum = (sum.0.saturating_add(r.0), sum.1.saturating_add(r.1));
    }
    for c in pod.spec.init_containers.iter() {
        let r = req(c);
        sum = (sum.0.max(r.0), sum.1.max(r.1));
    }
    sum
}

/// Sum of regular containers' requests with 100m / 200 MB for a missing one
/// (`GetNonzeroRequests`: DefaultMilliCPURequest, DefaultMemoryRequest).
pub(super) fn pod_nonzero_requests(pod: &Pod) -> (i64, i64) {
    pod.spec.containers.iter().fold((0i64, 0i64), |(cpu, mem), c| {
        let r = &c.resources;
        let ccpu = r.requests.cpu_millis.or(r.limits.cpu_millis).filter(|&v| v > 0).unwrap_or(100);
        let cmem = r.requests.memory_bytes.or(r.limits.memory_bytes).filter(|&v| v > 0).unwrap_or(200 * 1024 * 1024);
        (cpu.saturating_add(ccpu), mem.saturating_add(cmem))
    })
}

/// QoS class (`pkg/apis/core/v1/helper/qos/qos.go`).
pub(super) fn qos_class(pod: &Pod) -> &'static str {
    let all: Vec<&Container> = pod.spec.init_containers.iter().chain(pod.spec.containers.iter()).collect();
    let any = all.iter().any(|c| {
        let r = &c.resources;
        r.requests.cpu_millis.is_some()
            || r.requests.memory_bytes.is_some()
            || r.limits.cpu_millis.is_some()
            || r.limits.memory_bytes.is_some()
    });
    if !any {
        return "BestEffort";
    }
    let guaranteed = all.iter().all(|c| {
        let r = &c.resources;
        let cpu_req = r.requests.cpu_millis.or(r.limits.cpu_millis);
        let mem_req = r.requests.memory_bytes.or(r.limits.memory_bytes);
        r.limits.cpu_millis.is_some()
            && r.limits.memory_bytes.is_some()
            && cpu_req == r.limits.cpu_millis
            && mem_req == r.limits.memory_bytes
    });
    if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}
