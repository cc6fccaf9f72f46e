//! The kubelet's side of a Pod: sandbox, image pulls, container starts and
//! restarts with back-off, probes, hooks, termination, and the status it
//! reports. Each behaviour cites the kubelet source it follows
//! (`pkg/kubelet/...` in kubernetes/kubernetes).

use super::env::{self, Files};
use super::images::{self, App, ImageInfo, PullError};
use super::{Sim, What};
use crate::core::api::{Container, Handler, Pod, Probe, RestartPolicy};
use crate::core::shell::{self, Process, Step};
use crate::core::status::*;
use crate::core::time::{go_duration, Millis, MINUTE_MS, SECOND_MS};
use std::collections::VecDeque;
use std::sync::Arc;

/// From binding to a ready sandbox with an IP (CNI set-up). A simplification:
/// real clusters take 0.5–2 s.
pub const SANDBOX_MS: Millis = 1_000;
/// Create + start of a container after its image is present.
pub const CREATE_MS: Millis = 250;
/// How long the kubelet takes to notice a change (PLEG relist period, 1 s:
/// `pkg/kubelet/kubelet.go` `genericPlegRelistPeriod`).
pub const SYNC_LAG_MS: Millis = 1_000;
/// A failed pull fails after this long.
pub const PULL_FAIL_MS: Millis = 1_200;
/// Crash and image-pull back-off: 10 s doubling to 300 s
/// (`pkg/kubelet/kubelet.go`: `backOffPeriod`, `MaxContainerBackOff`).
pub const BACKOFF_INITIAL_MS: Millis = 10 * SECOND_MS;
pub const BACKOFF_MAX_MS: Millis = 300 * SECOND_MS;
/// A back-off entry is forgotten after 2 × max with no new failure
/// (`client-go/util/flowcontrol/backoff.go` `hasExpired`): the "10 minutes".
pub const BACKOFF_RESET_MS: Millis = 2 * BACKOFF_MAX_MS;
/// The one-off extension a still-running preStop hook gets past the grace
/// period (kubernetes.io: "Pod Lifecycle / Termination of Pods").
pub const PRESTOP_EXTENSION_MS: Millis = 2 * SECOND_MS;
/// The Pod worker retries a sync that failed after `backOffPeriod`
/// (`pkg/kubelet/kubelet.go`; `pod_workers.go` adds up to 50% jitter).
pub const WORKER_BACKOFF_MS: Millis = 10 * SECOND_MS;
/// A volume mount that failed is retried with exponential back-off from
/// 500 ms doubling to 2m2s (`nestedpendingoperations`:
/// `initialDurationBeforeRetry`, `maxDurationBeforeRetry`).
pub const MOUNT_RETRY_INITIAL_MS: Millis = 500;
pub const MOUNT_RETRY_MAX_MS: Millis = 2 * MINUTE_MS + 2 * SECOND_MS;
/// How long a Pod sync waits for its volumes before it fails with
/// "Unable to attach or mount volumes" (`podAttachAndMountTimeout`,
/// pkg/kubelet/volumemanager/volume_manager.go: 2m3s).
pub const MOUNT_WAIT_TIMEOUT_MS: Millis = 2 * MINUTE_MS + 3 * SECOND_MS;
/// The Pod worker's periodic resync (`syncFrequency`, 1 min; the kubelet
/// adds up to 50% jitter, podplay does not).
pub const RESYNC_MS: Millis = MINUTE_MS;

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
    fn of(probe: Option<&Probe>) -> ProbeHot {
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
    /// When SIGTERM was sent (None while the preStop hook runs).
    pub sigterm_ms: Option<Millis>,
    /// When SIGKILL comes if the container is still running then.
    pub sigkill_ms: Millis,
}

pub struct CRt {
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
    pub app: Option<AppRt>,
    pub broken: bool,
    pub crash_backoff: Backoff,
    pub pull_backoff: Backoff,
    /// startup, liveness, readiness.
    pub probes: [ProbeRt; 3],
    pub started_ms: Millis,
    pub created_once: bool,
    pub prestop_running_until: Option<Millis>,
    pub deadline_extended: bool,
    pub kill_grace_ms: Millis,
    /// When the kubelet began to stop the container (its Killing event),
    /// and that event's message; read by [`Sim::stopping`].
    pub stop_since_ms: Millis,
    pub stop_message: String,
    /// When SIGTERM was sent in the current stop (None while preStop runs).
    pub sigterm_ms: Option<Millis>,
    pub pull_started: Millis,
    pub pull_failed_at: Millis,
    pub post_start_ok: bool,
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
    pub cs: Vec<CRt>,
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

const PROBE_NAMES: [&str; 3] = ["Startup", "Liveness", "Readiness"];

/// A container's probe of `kind` (0 startup, 1 liveness, 2 readiness), borrowed.
fn probe_ref<'a>(pod: &'a Pod, c: &CRt, kind: usize) -> Option<&'a Probe> {
    let spec = if c.is_init { &pod.spec.init_containers[c.spec_index] } else { &pod.spec.containers[c.spec_index] };
    match kind {
        0 => spec.startup_probe.as_ref(),
        1 => spec.liveness_probe.as_ref(),
        _ => spec.readiness_probe.as_ref(),
    }
}

fn container_spec(pod: &Pod, c: &CRt) -> Container {
    if c.is_init {
        pod.spec.init_containers[c.spec_index].clone()
    } else {
        pod.spec.containers[c.spec_index].clone()
    }
}

impl PodRt {
    pub fn new(pod: Arc<Pod>, uid: String, now: Millis, rv: u64, incarnation: u32) -> PodRt {
        let has_init = !pod.spec.init_containers.is_empty();
        let default_wait = if has_init { "PodInitializing" } else { "ContainerCreating" };
        let mk = |c: &Container, is_init: bool, i: usize| CRt {
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
            app: None,
            broken: false,
            crash_backoff: Backoff::default(),
            pull_backoff: Backoff::default(),
            probes: Default::default(),
            started_ms: 0,
            created_once: false,
            prestop_running_until: None,
            deadline_extended: false,
            kill_grace_ms: 0,
            stop_since_ms: 0,
            stop_message: String::new(),
            sigterm_ms: None,
            pull_started: 0,
            pull_failed_at: 0,
            post_start_ok: true,
            memory_bytes: None,
        };
        let mut cs: Vec<CRt> = pod.spec.init_containers.iter().enumerate().map(|(i, c)| mk(c, true, i)).collect();
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

    fn spec_of(&self, c: usize) -> Container {
        container_spec(&self.pod, &self.cs[c])
    }

    fn has_probe(&self, c: usize, kind: usize) -> bool {
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

    fn field_path(&self, c: usize) -> String {
        let kind = if self.cs[c].is_init { "initContainers" } else { "containers" };
        format!("spec.{kind}{{{}}}", self.cs[c].name)
    }

    /// Recomputes phase, conditions and statuses from the containers, as
    /// `generateAPIPodStatus` does (`pkg/kubelet/kubelet_pods.go`).
    fn recompute(&mut self, now: Millis) {
        // Ready and started, per container.
        for i in 0..self.cs.len() {
            let running = self.cs[i].status.state.is_running() && self.cs[i].stage != Stage::PostStart;
            let has_startup = self.has_probe(i, 0);
            let has_readiness = self.has_probe(i, 2);
            let c = &mut self.cs[i];
            let started = running && (!has_startup || c.probes[0].result == Some(true));
            c.status.started = Some(started);
            c.status.ready = if c.is_init && !c.is_sidecar {
                false
            } else {
                started && (!has_readiness || c.probes[2].result == Some(true))
            };
        }
        self.status.init_container_statuses = self.cs[..self.n_init].iter().map(|c| c.status.clone()).collect();
        let mut regular: Vec<ContainerStatus> = self.cs[self.n_init..].iter().map(|c| c.status.clone()).collect();
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
            if incomplete.is_empty() {
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
fn pod_requests(pod: &Pod) -> (i64, i64) {
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
fn pod_nonzero_requests(pod: &Pod) -> (i64, i64) {
    pod.spec.containers.iter().fold((0i64, 0i64), |(cpu, mem), c| {
        let r = &c.resources;
        let ccpu = r.requests.cpu_millis.or(r.limits.cpu_millis).filter(|&v| v > 0).unwrap_or(100);
        let cmem = r.requests.memory_bytes.or(r.limits.memory_bytes).filter(|&v| v > 0).unwrap_or(200 * 1024 * 1024);
        (cpu.saturating_add(ccpu), mem.saturating_add(cmem))
    })
}

/// QoS class (`pkg/apis/core/v1/helper/qos/qos.go`).
fn qos_class(pod: &Pod) -> &'static str {
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

impl Sim {
    /// The kubelet admits a bound Pod: status appears, probe workers start,
    /// the sandbox is created.
    pub(crate) fn kubelet_admit(&mut self, slot: u32) {
        let now = self.now;
        let Some(p) = self.pod_rt_mut(slot) else { return };
        p.admitted_ms = now;
        p.status.start_time_ms = Some(now);
        p.recompute(now);
        let mut ticks = Vec::new();
        let pod = p.pod.clone();
        for c in 0..p.cs.len() {
            for kind in 0..3 {
                let hot = ProbeHot::of(probe_ref(&pod, &p.cs[c], kind));
                p.cs[c].probes[kind].hot = hot;
                if hot.present {
                    ticks.push((now + hot.period_ms, c as u16, kind as u8));
                }
            }
        }
        let deadline = self.pod_rt(slot).and_then(|p| p.pod.spec.active_deadline_seconds);
        self.mark_dirty(slot);
        self.mount_volumes(slot);
        if let Some(seconds) = deadline {
            self.schedule(now.saturating_add(seconds_ms(seconds)), slot, What::ActiveDeadline);
        }
        for (at, c, probe) in ticks {
            self.schedule(at, slot, What::ProbeTick { c, probe });
        }
    }

    /// The volume manager's reconciler sets up the Pod's volumes; the
    /// kubelet creates the sandbox only once all are mounted
    /// (`WaitForAttachAndMount` in `SyncPod`, pkg/kubelet/kubelet.go). A
    /// configMap or secret volume whose object is missing fails with
    /// `FailedMount` and is retried with the operation executor's back-off.
    fn mount_volumes(&mut self, slot: u32) {
        let now = self.now;
        let Some(p) = self.pod_rt(slot) else { return };
        if p.volumes_mounted || p.terminating || p.terminal {
            return;
        }
        let mut mounted = Vec::new();
        let mut failures = Vec::new();
        for v in &p.pod.spec.volumes {
            match env::volume_files(self, p, &v.source) {
                Ok(Some(files)) => mounted.push((v.name.clone(), files)),
                Ok(None) => {}
                Err(e) => failures.push(format!("MountVolume.SetUp failed for volume \"{}\" : {e}", v.name)),
            }
        }
        let first_try = p.mount_retry_ms == MOUNT_RETRY_INITIAL_MS;
        let admitted = p.admitted_ms;
        if failures.is_empty() {
            let Some(p) = self.pod_rt_mut(slot) else { return };
            for (name, files) in mounted {
                p.volumes.insert(name, files);
            }
            p.volumes_mounted = true;
            self.schedule(now + SANDBOX_MS, slot, What::SandboxReady);
            return;
        }
        let Some(p) = self.pod_rt_mut(slot) else { return };
        let delay = p.mount_retry_ms;
        p.mount_retry_ms = (delay * 2).min(MOUNT_RETRY_MAX_MS);
        for message in failures {
            self.record(slot, None, EventType::Warning, "FailedMount", message, "kubelet");
        }
        self.schedule(now + delay, slot, What::MountRetry);
        if first_try {
            self.schedule(admitted + MOUNT_WAIT_TIMEOUT_MS, slot, What::MountTimeout);
        }
    }

    /// A ConfigMap or Secret changed: Pods that mount it see the new
    /// contents at their next periodic sync (the Pod worker resyncs every
    /// `syncFrequency`, 1 min, counted here from admission; kubernetes.io
    /// "ConfigMaps: mounted ConfigMaps are updated automatically").
    pub(crate) fn refresh_volumes_of(&mut self, ns: &str, name: &str, config_map: bool) {
        let now = self.now;
        let mut due = Vec::new();
        for ((pns, _), &slot) in self.pod_index.range((ns.to_string(), String::new())..) {
            if pns != ns {
                break;
            }
            let Some(p) = self.pod_rt(slot) else { continue };
            let mounts = p.pod.spec.volumes.iter().any(|v| v.source.uses_object(config_map, name));
            if mounts && p.volumes_mounted && !p.terminal {
                let since = now.saturating_sub(p.admitted_ms);
                due.push((slot, p.admitted_ms + (since / RESYNC_MS + 1) * RESYNC_MS));
            }
        }
        for (slot, at) in due {
            self.schedule(at, slot, What::VolumeResync);
        }
    }

    /// The periodic sync rewrites configMap and secret volumes from the
    /// current objects (the atomic writer swaps the whole directory).
    fn resync_volumes(&mut self, slot: u32) {
        let Some(p) = self.pod_rt(slot) else { return };
        if p.terminal || !p.volumes_mounted {
            return;
        }
        let fresh: Vec<(String, Files)> = p
            .pod
            .spec
            .volumes
            .iter()
            .filter_map(|v| match env::volume_files(self, p, &v.source) {
                Ok(Some(files)) => Some((v.name.clone(), files)),
                _ => None,
            })
            .collect();
        if let Some(p) = self.pod_rt_mut(slot) {
            for (name, files) in fresh {
                p.volumes.insert(name, files);
            }
        }
        self.bump_version(slot);
    }

    /// The Pod sync gave up waiting for volumes; the Pod worker retries
    /// after its back-off and waits again.
    fn mount_timeout(&mut self, slot: u32) {
        let now = self.now;
        let Some(p) = self.pod_rt(slot) else { return };
        if p.volumes_mounted || p.terminating || p.terminal {
            return;
        }
        let unmounted: Vec<String> = p
            .pod
            .spec
            .volumes
            .iter()
            .filter(|v| env::volume_files(self, p, &v.source).is_err())
            .map(|v| v.name.clone())
            .collect();
        let message = format!(
            "Unable to attach or mount volumes: unmounted volumes=[{}], unattached volumes=[], failed to process volumes=[]: timed out waiting for the condition",
            unmounted.join(" ")
        );
        self.record(slot, None, EventType::Warning, "FailedMount", message, "kubelet");
        self.schedule(now + WORKER_BACKOFF_MS + MOUNT_WAIT_TIMEOUT_MS, slot, What::MountTimeout);
    }

    /// A container's environment: the Service variables, its own over
    /// them, and `PATH`; built once for all containers that have the same
    /// (`HOSTNAME`, the Pod's name, is added per process).
    fn shared_env(
        &mut self,
        own: Vec<(String, String)>,
        services: Arc<Vec<(String, String)>>,
    ) -> Arc<std::collections::BTreeMap<String, String>> {
        let key = env_key(&own, &services);
        if let Some((_, env)) = self.env_cache.get(&key) {
            return env.clone();
        }
        let mut env = std::collections::BTreeMap::new();
        for (k, v) in services.iter().chain(own.iter()) {
            env.insert(k.clone(), v.clone());
        }
        env.insert("PATH".to_string(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string());
        let env = Arc::new(env);
        if self.env_cache.len() >= 256 {
            self.env_cache = crate::core::store::Store::new();
        }
        self.env_cache.insert(key, (services, env.clone()));
        env
    }

    pub(crate) fn on_timer(&mut self, slot: u32, what: What) {
        let now = self.now;
        let epoch_ok = |sim: &Sim, c: u16, epoch: u32| {
            sim.pod_rt(slot).and_then(|p| p.cs.get(c as usize)).is_some_and(|x| x.epoch == epoch)
        };
        match what {
            What::SandboxReady => {
                let Some(node) = self.pod_rt(slot).and_then(|p| p.node) else { return };
                let ip = self.allocate_pod_ip(node);
                let host_ip = self.nodes[node].cfg.internal_ip;
                let Some(p) = self.pod_rt_mut(slot) else { return };
                p.sandbox_ready = true;
                p.status.pod_ip = ip;
                p.status.host_ip = Some(host_ip);
                p.set_condition(ConditionType::PodReadyToStartContainers, true, now, None, None);
                self.sync_pod(slot);
            }
            What::Sync => self.sync_pod(slot),
            What::MountRetry => self.mount_volumes(slot),
            What::MountTimeout => self.mount_timeout(slot),
            What::VolumeResync => self.resync_volumes(slot),
            What::ActiveDeadline => self.active_deadline_exceeded(slot),
            What::PullDone { c, epoch } => {
                if epoch_ok(self, c, epoch) {
                    self.pull_done(slot, c as usize);
                }
            }
            What::ContainerStart { c, epoch } => {
                if epoch_ok(self, c, epoch) {
                    self.start_container(slot, c as usize);
                }
            }
            What::PostStartDone { c, epoch } => {
                if epoch_ok(self, c, epoch) {
                    self.post_start_done(slot, c as usize);
                }
            }
            What::ProcessWake { c, epoch } => {
                if epoch_ok(self, c, epoch) {
                    self.step_process(slot, c as usize);
                }
            }
            What::AppExit { c, epoch, code, oom } => {
                if epoch_ok(self, c, epoch) {
                    let running = self.pod_rt(slot).is_some_and(|p| {
                        matches!(p.cs[c as usize].stage, Stage::Running | Stage::PostStart | Stage::Stopping)
                    });
                    if running {
                        self.container_exited(slot, c as usize, code, oom);
                    }
                }
            }
            What::BackoffDone { c, epoch } => {
                if epoch_ok(self, c, epoch) {
                    self.backoff_done(slot, c as usize);
                }
            }
            What::PreStopDone { c, epoch } => {
                if epoch_ok(self, c, epoch) {
                    if let Some(p) = self.pod_rt_mut(slot) {
                        p.cs[c as usize].prestop_running_until = None;
                    }
                    self.send_sigterm(slot, c as usize);
                }
            }
            What::KillDeadline { c, epoch } => {
                if epoch_ok(self, c, epoch) {
                    self.kill_deadline(slot, c as usize);
                }
            }
            // Controller timers never reach a Pod (see `Sim::fire`).
            What::Controllers | What::NodeMonitor | What::TaintEvict | What::TrafficRequest => return,
            What::ProbeTick { c, probe } => {
                // Probe ticks refresh the status themselves when a result changes.
                self.probe_tick(slot, c as usize, probe as usize);
                return;
            }
        }
        self.refresh(slot);
    }

    /// Recomputes status and queues the Pod for `flush`, which publishes it
    /// when it differs from what was last published.
    pub(crate) fn refresh(&mut self, slot: u32) {
        let now = self.now;
        let Some(p) = self.pod_rt_mut(slot) else { return };
        p.recompute(now);
        self.mark_dirty(slot);
    }

    /// The kubelet's `SyncPod`: decides what to start or restart next
    /// (`pkg/kubelet/kuberuntime/kuberuntime_manager.go` computePodActions).
    pub(crate) fn sync_pod(&mut self, slot: u32) {
        let Some(p) = self.pod_rt(slot) else { return };
        if p.terminating {
            self.continue_termination(slot);
            return;
        }
        if p.terminal || !p.sandbox_ready {
            return;
        }
        let policy = p.pod.spec.restart_policy;
        let n_init = p.n_init;
        let mut init_done = true;
        for i in 0..n_init {
            let Some(p) = self.pod_rt(slot) else { return };
            let c = &p.cs[i];
            let initialized = p.initialized_once;
            if c.is_sidecar {
                match c.stage {
                    Stage::Idle => {
                        self.enqueue_start(slot, i);
                        init_done = false;
                        break;
                    }
                    Stage::Running => {
                        if c.status.started != Some(true) && !initialized {
                            init_done = false;
                            break;
                        }
                    }
                    Stage::Exited => {
                        // Sidecars always restart, whatever the Pod's restartPolicy.
                        self.maybe_restart(slot, i);
                        if !initialized {
                            init_done = false;
                            break;
                        }
                    }
                    _ => {
                        if !initialized {
                            init_done = false;
                            break;
                        }
                    }
                }
            } else {
                if initialized {
                    continue;
                }
                match c.stage {
                    Stage::Exited => {
                        let code = match &c.status.state {
                            ContainerState::Terminated(t) => t.exit_code,
                            _ => 0,
                        };
                        if code == 0 {
                            continue;
                        }
                        init_done = false;
                        if policy == RestartPolicy::Never {
                            self.pod_failed(slot);
                            return;
                        }
                        self.maybe_restart(slot, i);
                        break;
                    }
                    Stage::Idle => {
                        self.enqueue_start(slot, i);
                        init_done = false;
                        break;
                    }
                    _ => {
                        init_done = false;
                        break;
                    }
                }
            }
        }
        if init_done {
            if let Some(p) = self.pod_rt_mut(slot) {
                p.initialized_once = true;
            }
            let n = self.pod_rt(slot).map(|p| p.cs.len()).unwrap_or(0);
            for i in n_init..n {
                let Some(p) = self.pod_rt(slot) else { return };
                match p.cs[i].stage {
                    Stage::Idle => self.enqueue_start(slot, i),
                    Stage::Exited if self.should_restart(slot, i) => self.maybe_restart(slot, i),
                    _ => {}
                }
            }
            // A Pod whose regular containers are all done for good is terminal:
            // the kubelet stops its sidecars.
            let Some(p) = self.pod_rt(slot) else { return };
            let all_done = (n_init..n).all(|i| p.cs[i].stage == Stage::Exited) && n > n_init;
            if all_done && (n_init..n).all(|i| !self.should_restart(slot, i)) {
                self.pod_completed(slot);
                return;
            }
        }
        self.process_start_queue(slot);
    }

    fn should_restart(&self, slot: u32, c: usize) -> bool {
        let Some(p) = self.pod_rt(slot) else { return false };
        let code = match &p.cs[c].status.state {
            ContainerState::Terminated(t) => t.exit_code,
            _ => return false,
        };
        if p.cs[c].is_sidecar {
            return true;
        }
        match p.pod.spec.restart_policy {
            RestartPolicy::Always => true,
            RestartPolicy::OnFailure => code != 0,
            RestartPolicy::Never => false,
        }
    }

    /// Restart now, or wait out the crash back-off (`doBackOff` in
    /// `kuberuntime_manager.go`): the back-off counts from the container's
    /// `finishedAt`.
    fn maybe_restart(&mut self, slot: u32, c: usize) {
        let now = self.now;
        let Some(p) = self.pod_rt(slot) else { return };
        let finished = match &p.cs[c].status.state {
            ContainerState::Terminated(t) => t.finished_at_ms,
            _ => now,
        };
        if p.cs[c].crash_backoff.in_backoff_since(finished, now) {
            let backoff = p.cs[c].crash_backoff.current();
            let pod_name = p.pod.metadata.name.clone();
            let ns = p.pod.metadata.namespace.clone();
            let uid = p.server.uid.clone();
            let cname = p.cs[c].name.clone();
            let fp = p.field_path(c);
            let epoch = p.cs[c].epoch;
            if let Some(p) = self.pod_rt_mut(slot) {
                let cr = &mut p.cs[c];
                cr.stage = Stage::CrashBackOff;
                let last = std::mem::replace(&mut cr.status.state, ContainerState::waiting("CrashLoopBackOff"));
                cr.status.last_state = Some(last);
                cr.status.state = ContainerState::Waiting(Waiting {
                    reason: "CrashLoopBackOff".into(),
                    message: Some(format!(
                        "back-off {} restarting failed container={cname} pod={pod_name}_{ns}({uid})",
                        go_duration(backoff)
                    )),
                });
            }
            self.record(
                slot,
                Some(fp),
                EventType::Warning,
                "BackOff",
                format!("Back-off restarting failed container {cname} in pod {pod_name}_{ns}({uid})"),
                "kubelet",
            );
            self.schedule(finished + backoff, slot, What::BackoffDone { c: c as u16, epoch });
        } else {
            if let Some(p) = self.pod_rt_mut(slot) {
                p.cs[c].crash_backoff.next(now);
            }
            self.enqueue_start(slot, c);
        }
    }

    fn backoff_done(&mut self, slot: u32, c: usize) {
        let now = self.now;
        let Some(p) = self.pod_rt_mut(slot) else { return };
        if p.terminating || p.terminal {
            return;
        }
        match p.cs[c].stage {
            Stage::CrashBackOff => {
                p.cs[c].crash_backoff.next(now);
                self.enqueue_start(slot, c);
                self.process_start_queue(slot);
            }
            Stage::PullFailed => {
                // The sync after a failed pull finds the image in back-off
                // (`image_manager.go`: ImagePullBackOff, "Back-off pulling image").
                let image = p.spec_of(c).image;
                let fp = p.field_path(c);
                let epoch = p.cs[c].epoch;
                let retry_at = p.cs[c].pull_failed_at + p.cs[c].pull_backoff.current();
                p.cs[c].stage = Stage::PullBackOff;
                let msg = format!("Back-off pulling image \"{image}\"");
                p.cs[c].status.state =
                    ContainerState::Waiting(Waiting { reason: "ImagePullBackOff".into(), message: Some(msg.clone()) });
                self.record(slot, Some(fp.clone()), EventType::Normal, "BackOff", msg, "kubelet");
                self.record(slot, Some(fp), EventType::Warning, "Failed", "Error: ImagePullBackOff".into(), "kubelet");
                self.schedule(retry_at, slot, What::BackoffDone { c: c as u16, epoch });
            }
            Stage::PullBackOff => {
                self.enqueue_start(slot, c);
                self.process_start_queue(slot);
            }
            _ => {}
        }
    }

    fn enqueue_start(&mut self, slot: u32, c: usize) {
        if let Some(p) = self.pod_rt_mut(slot) {
            if !p.start_queue.contains(&c) && p.starting != Some(c) {
                p.cs[c].stage = Stage::Queued;
                p.start_queue.push_back(c);
            }
        }
    }

    /// The kubelet starts containers one after another within a sync, each
    /// start including its image pull and postStart hook.
    fn process_start_queue(&mut self, slot: u32) {
        loop {
            let Some(p) = self.pod_rt_mut(slot) else { return };
            if p.starting.is_some() || p.terminating || p.terminal {
                return;
            }
            let Some(c) = p.start_queue.pop_front() else { return };
            p.starting = Some(c);
            if self.begin_start(slot, c) {
                return;
            }
            // The start failed at once: go on with the next container.
            if let Some(p) = self.pod_rt_mut(slot) {
                p.starting = None;
            }
        }
    }

    /// Image handling (`pkg/kubelet/images/image_manager.go` EnsureImageExists).
    /// Returns false when the start failed at once.
    fn begin_start(&mut self, slot: u32, c: usize) -> bool {
        let now = self.now;
        let Some(p) = self.pod_rt(slot) else { return false };
        let spec = p.spec_of(c);
        let fp = p.field_path(c);
        let epoch = p.cs[c].epoch;
        let node = match p.node {
            Some(n) => n,
            None => return false,
        };
        let info = match images::lookup(&spec.image) {
            Err(PullError::InvalidName(msg)) => {
                if let Some(p) = self.pod_rt_mut(slot) {
                    p.cs[c].stage = Stage::Done;
                    p.cs[c].status.state = ContainerState::Waiting(Waiting {
                        reason: "InvalidImageName".into(),
                        message: Some(msg.clone()),
                    });
                }
                self.record(slot, Some(fp.clone()), EventType::Warning, "InspectFailed", msg, "kubelet");
                self.record(slot, Some(fp), EventType::Warning, "Failed", "Error: InvalidImageName".into(), "kubelet");
                return false;
            }
            Err(PullError::NotFound(msg)) => Err(msg),
            Ok(info) => Ok(info),
        };
        let reference = match &info {
            Ok(i) => format!("{}:{}", i.repository, i.tag),
            Err(_) => spec.image.clone(),
        };
        let present = info.is_ok() && self.nodes[node].images.contains(&reference);
        if let (Ok(i), true) = (&info, present) {
            if spec.image_pull_policy != crate::core::api::PullPolicy::Always {
                let image = i.clone();
                if let Some(p) = self.pod_rt_mut(slot) {
                    p.cs[c].image = Some(image);
                    p.cs[c].stage = Stage::Creating;
                }
                self.record(
                    slot,
                    Some(fp),
                    EventType::Normal,
                    "Pulled",
                    format!("Container image \"{}\" already present on machine", spec.image),
                    "kubelet",
                );
                self.schedule(now + CREATE_MS, slot, What::ContainerStart { c: c as u16, epoch });
                return true;
            }
        }
        if spec.image_pull_policy == crate::core::api::PullPolicy::Never && !present {
            let msg = format!("Container image \"{}\" is not present with pull policy of Never", spec.image);
            if let Some(p) = self.pod_rt_mut(slot) {
                p.cs[c].stage = Stage::PullFailed;
                p.cs[c].status.state =
                    ContainerState::Waiting(Waiting { reason: "ErrImageNeverPull".into(), message: Some(msg.clone()) });
            }
            self.record(slot, Some(fp.clone()), EventType::Warning, "ErrImageNeverPull", msg, "kubelet");
            self.record(slot, Some(fp), EventType::Warning, "Failed", "Error: ErrImageNeverPull".into(), "kubelet");
            if let Some(p) = self.pod_rt_mut(slot) {
                p.cs[c].pull_backoff.next(now);
                p.cs[c].pull_failed_at = now;
            }
            self.schedule(now + SYNC_LAG_MS, slot, What::BackoffDone { c: c as u16, epoch });
            return false;
        }
        self.record(
            slot,
            Some(fp),
            EventType::Normal,
            "Pulling",
            format!("Pulling image \"{}\"", spec.image),
            "kubelet",
        );
        let duration = match &info {
            Ok(i) if present => 400 + i.size_bytes / 250_000,
            Ok(i) => images::pull_ms(i.size_bytes),
            Err(_) => PULL_FAIL_MS,
        };
        if let Some(p) = self.pod_rt_mut(slot) {
            p.cs[c].stage = Stage::Pulling;
            p.cs[c].image = info.as_ref().ok().cloned();
            p.cs[c].pull_started = now;
        }
        self.schedule(now + duration, slot, What::PullDone { c: c as u16, epoch });
        true
    }

    fn pull_done(&mut self, slot: u32, c: usize) {
        let now = self.now;
        let Some(p) = self.pod_rt(slot) else { return };
        if p.cs[c].stage != Stage::Pulling {
            return;
        }
        let spec = p.spec_of(c);
        let fp = p.field_path(c);
        let epoch = p.cs[c].epoch;
        let took = now - p.cs[c].pull_started;
        let node = p.node.unwrap_or(0);
        match p.cs[c].image.clone() {
            Some(info) => {
                let reference = format!("{}:{}", info.repository, info.tag);
                if !self.nodes[node].images.contains(&reference) {
                    self.nodes[node].images.push(reference);
                }
                self.record(
                    slot,
                    Some(fp),
                    EventType::Normal,
                    "Pulled",
                    format!(
                        "Successfully pulled image \"{}\" in {} ({} including waiting). Image size: {} bytes.",
                        spec.image,
                        go_duration(took),
                        go_duration(took),
                        info.size_bytes
                    ),
                    "kubelet",
                );
                if let Some(p) = self.pod_rt_mut(slot) {
                    p.cs[c].stage = Stage::Creating;
                }
                self.schedule(now + CREATE_MS, slot, What::ContainerStart { c: c as u16, epoch });
            }
            None => {
                let msg = match images::lookup(&spec.image) {
                    Err(PullError::NotFound(m)) | Err(PullError::InvalidName(m)) => m,
                    Ok(_) => "not found".into(),
                };
                let full = format!("Failed to pull image \"{}\": {msg}", spec.image);
                if let Some(p) = self.pod_rt_mut(slot) {
                    let cr = &mut p.cs[c];
                    cr.stage = Stage::PullFailed;
                    cr.pull_backoff.next(now);
                    cr.status.state =
                        ContainerState::Waiting(Waiting { reason: "ErrImagePull".into(), message: Some(full.clone()) });
                    p.starting = None;
                }
                self.record(slot, Some(fp.clone()), EventType::Warning, "Failed", full, "kubelet");
                self.record(slot, Some(fp), EventType::Warning, "Failed", "Error: ErrImagePull".into(), "kubelet");
                // The next sync finds the image in back-off.
                if let Some(p) = self.pod_rt_mut(slot) {
                    p.cs[c].pull_failed_at = now;
                }
                self.schedule(now + SYNC_LAG_MS, slot, What::BackoffDone { c: c as u16, epoch });
                self.process_start_queue(slot);
            }
        }
    }

    /// Create and start (`startContainer` in `kuberuntime_container.go`).
    fn start_container(&mut self, slot: u32, c: usize) {
        let now = self.now;
        let Some(p) = self.pod_rt(slot) else { return };
        if p.cs[c].stage != Stage::Creating || p.terminating {
            return;
        }
        let spec = p.spec_of(c);
        let fp = p.field_path(c);
        let info = p.cs[c].image.clone();
        let ns = p.pod.metadata.namespace.clone();
        let pod_name = p.pod.metadata.name.clone();
        let hostname = env::pod_hostname(&p.pod);
        // `generateContainerConfig` (kuberuntime_container.go) builds the
        // environment first; when that fails the container is not created.
        let (own, services) = match env::container_env(self, slot, c) {
            Ok(vars) => vars,
            Err(message) => {
                self.create_config_error(slot, c, message);
                return;
            }
        };
        let shared_env = self.shared_env(own, services);
        // `$(VAR)` in command and args (`ExpandContainerCommandAndArgs`).
        let lookup =
            |name: &str| if name == "HOSTNAME" { Some(hostname.clone()) } else { shared_env.get(name).cloned() };
        let mut spec = spec;
        spec.command = spec.command.iter().map(|a| env::expand(a, &lookup)).collect();
        spec.args = spec.args.iter().map(|a| env::expand(a, &lookup)).collect();
        let argv = effective_argv(&spec, info.as_ref());
        let container_id = format!("containerd://{}", self.rng_ids.hex(64));
        let image_id = info
            .as_ref()
            .map(|i| format!("{}@sha256:{}", i.repository, digest_of(&format!("{}:{}", i.repository, i.tag))))
            .unwrap_or_default();
        let image_name = info.as_ref().map(|i| format!("{}:{}", i.repository, i.tag)).unwrap_or(spec.image.clone());
        let has_post_start = spec.lifecycle.post_start.is_some();
        {
            let Some(p) = self.pod_rt_mut(slot) else { return };
            let cr = &mut p.cs[c];
            if cr.created_once {
                cr.status.restart_count += 1;
            }
            // The previous run becomes lastState when the new container is created.
            if let ContainerState::Terminated(_) = cr.status.state {
                cr.status.last_state = Some(cr.status.state.clone());
            }
            cr.created_once = true;
            cr.epoch += 1;
            cr.status.container_id = container_id;
            cr.status.image_id = image_id;
            cr.status.image = image_name;
            cr.started_ms = now;
            cr.files = env::initial_files(&ns, &hostname, info.as_ref());
            cr.broken = false;
            cr.stage = if has_post_start { Stage::PostStart } else { Stage::Running };
            if !has_post_start {
                cr.status.state = ContainerState::Running { started_at_ms: now };
            }
        }
        self.record(
            slot,
            Some(fp.clone()),
            EventType::Normal,
            "Created",
            format!("Created container: {}", spec.name),
            "kubelet",
        );
        self.record(
            slot,
            Some(fp.clone()),
            EventType::Normal,
            "Started",
            format!("Started container {}", spec.name),
            "kubelet",
        );
        let epoch = self.pod_rt(slot).map(|p| p.cs[c].epoch).unwrap_or(0);
        // The main process.
        match shell::from_argv(&argv) {
            Ok(script) => {
                let host_env = vec![("HOSTNAME".to_string(), hostname.clone())];
                let mut process = Process::with_env(Arc::new(script), shared_env, host_env);
                process.set_pid1(true);
                if let Some(p) = self.pod_rt_mut(slot) {
                    p.cs[c].proc = Some(process);
                }
                self.step_process(slot, c);
            }
            Err(e) => {
                let text = e.to_string();
                self.note(format!("{pod_name}/{}: {text}", spec.name));
                if let Some(p) = self.pod_rt_mut(slot) {
                    p.cs[c].files.log(&text);
                }
                self.schedule(now, slot, What::AppExit { c: c as u16, epoch, code: 2, oom: false });
            }
        }
        // Simulation knobs.
        if let Some(secs) =
            self.pod_rt(slot).and_then(|p| p.knob(c, "crash-after-seconds")).and_then(|s| s.parse::<f64>().ok())
        {
            let at = now.saturating_add((secs.max(0.0) * 1000.0) as Millis);
            self.schedule(at, slot, What::AppExit { c: c as u16, epoch, code: 1, oom: false });
        }
        self.check_memory(slot, c);
        // The status update after start triggers a readiness probe run
        // (`prober_manager.go` UpdatePodStatus → manualTriggerCh).
        if self.pod_rt(slot).is_some_and(|p| p.has_probe(c, 2)) {
            self.schedule(now + SYNC_LAG_MS, slot, What::ProbeTick { c: c as u16, probe: 3 });
        }
        if has_post_start {
            self.run_post_start(slot, c);
        } else {
            self.start_finished(slot, c);
        }
    }

    /// `generateContainerConfig` failed (a missing ConfigMap, Secret or key):
    /// the container waits with CreateContainerConfigError, the kubelet
    /// records `Failed` "Error: …" (`startContainer`,
    /// kuberuntime_container.go) and the Pod worker retries the sync after
    /// its back-off (`backOffPeriod`, 10 s, pkg/kubelet/kubelet.go; the
    /// worker adds up to 50% jitter, podplay does not).
    fn create_config_error(&mut self, slot: u32, c: usize, message: String) {
        let now = self.now;
        let Some(p) = self.pod_rt_mut(slot) else { return };
        let fp = p.field_path(c);
        let cr = &mut p.cs[c];
        if let ContainerState::Terminated(_) = cr.status.state {
            cr.status.last_state = Some(cr.status.state.clone());
        }
        // Back to not started: the next sync tries to create it again.
        cr.stage = Stage::Idle;
        cr.status.state = ContainerState::Waiting(Waiting {
            reason: "CreateContainerConfigError".into(),
            message: Some(message.clone()),
        });
        let retry_pending = p.config_retry_at.is_some_and(|t| t > now);
        if !retry_pending {
            p.config_retry_at = Some(now + WORKER_BACKOFF_MS);
        }
        self.record(slot, Some(fp), EventType::Warning, "Failed", format!("Error: {message}"), "kubelet");
        if !retry_pending {
            self.schedule(now + WORKER_BACKOFF_MS, slot, What::Sync);
        }
        self.start_finished(slot, c);
    }

    fn start_finished(&mut self, slot: u32, c: usize) {
        if let Some(p) = self.pod_rt_mut(slot) {
            if p.starting == Some(c) {
                p.starting = None;
            }
        }
        self.process_start_queue(slot);
        // A started sidecar lets the next init container go.
        let is_init = self.pod_rt(slot).is_some_and(|p| p.cs[c].is_init);
        if is_init {
            self.schedule(self.now, slot, What::Sync);
        }
    }

    fn run_post_start(&mut self, slot: u32, c: usize) {
        let now = self.now;
        let Some(p) = self.pod_rt(slot) else { return };
        let Some(handler) = p.spec_of(c).lifecycle.post_start.clone() else { return };
        let epoch = p.cs[c].epoch;
        let (ok, duration) = self.run_handler(slot, c, &handler, 30 * MINUTE_MS);
        if let Some(p) = self.pod_rt_mut(slot) {
            p.cs[c].post_start_ok = ok;
        }
        self.schedule(now.saturating_add(duration), slot, What::PostStartDone { c: c as u16, epoch });
    }

    fn post_start_done(&mut self, slot: u32, c: usize) {
        let Some(p) = self.pod_rt(slot) else { return };
        if p.cs[c].stage != Stage::PostStart {
            return;
        }
        let ok = p.cs[c].post_start_ok;
        let started = p.cs[c].started_ms;
        let fp = p.field_path(c);
        if let Some(p) = self.pod_rt_mut(slot) {
            p.cs[c].stage = Stage::Running;
            p.cs[c].status.state = ContainerState::Running { started_at_ms: started };
        }
        if !ok {
            self.record(
                slot,
                Some(fp),
                EventType::Warning,
                "FailedPostStartHook",
                "PostStartHook failed".into(),
                "kubelet",
            );
            let grace = self.pod_rt(slot).map(|p| p.pod.spec.termination_grace_period_seconds).unwrap_or(30);
            // `killContainer` with the hook's reason as the Killing message.
            self.kill_container(slot, c, "FailedPostStartHook".to_string(), grace, false);
        }
        self.start_finished(slot, c);
    }

    /// Runs a hook or probe handler in the container. Returns (success, duration).
    pub(crate) fn run_handler(&mut self, slot: u32, c: usize, handler: &Handler, timeout_ms: Millis) -> (bool, Millis) {
        let now = self.now;
        match handler {
            Handler::Exec { command } => {
                let mut e = env::CEnv::new(self, slot, c);
                let r = shell::exec_probe(command, now, &mut e, timeout_ms);
                (r.exit_code == 0 && !r.timed_out, r.duration_ms.min(timeout_ms))
            }
            Handler::Sleep { seconds } => (true, seconds_ms(*seconds)),
            Handler::HttpGet { .. } | Handler::TcpSocket { .. } | Handler::Grpc { .. } => {
                let (ok, _msg) = env::probe_network(self, slot, c, handler, timeout_ms);
                (ok, 0)
            }
        }
    }

    pub(crate) fn step_process(&mut self, slot: u32, c: usize) {
        let now = self.now;
        let Some(p) = self.pod_rt_mut(slot) else { return };
        let Some(mut process) = p.cs[c].proc.take() else { return };
        let epoch = p.cs[c].epoch;
        let step = {
            let mut e = env::CEnv::new(self, slot, c);
            process.step(now, &mut e)
        };
        self.after_step(slot, c, epoch, process, step);
    }

    fn after_step(&mut self, slot: u32, c: usize, epoch: u32, process: Process, step: Step) {
        let still_same = self.pod_rt(slot).is_some_and(|p| p.cs[c].epoch == epoch);
        if !still_same {
            return;
        }
        match step {
            Step::SleepUntil(t) => {
                if let Some(p) = self.pod_rt_mut(slot) {
                    p.cs[c].proc = Some(process);
                }
                self.schedule(t, slot, What::ProcessWake { c: c as u16, epoch });
            }
            Step::Blocked => {
                if let Some(p) = self.pod_rt_mut(slot) {
                    p.cs[c].proc = Some(process);
                }
            }
            Step::Exited(code) => {
                self.container_exited(slot, c, code, false);
            }
        }
    }

    /// The container's process ended (`Terminated` with the runtime's reason).
    pub(crate) fn container_exited(&mut self, slot: u32, c: usize, code: i32, oom: bool) {
        let now = self.now;
        let Some(p) = self.pod_rt_mut(slot) else { return };
        let cr = &mut p.cs[c];
        if matches!(cr.stage, Stage::Exited | Stage::Done | Stage::CrashBackOff) {
            return;
        }
        let reason = if oom {
            "OOMKilled"
        } else if code == 0 {
            "Completed"
        } else {
            "Error"
        };
        cr.status.state = ContainerState::Terminated(Terminated {
            exit_code: code,
            reason: reason.to_string(),
            message: None,
            signal: None,
            started_at_ms: cr.started_ms,
            finished_at_ms: now,
            container_id: cr.status.container_id.clone(),
        });
        cr.stage = Stage::Exited;
        cr.epoch += 1;
        cr.proc = None;
        cr.app = None;
        cr.prestop_running_until = None;
        cr.deadline_extended = false;
        if p.starting == Some(c) {
            p.starting = None;
        }
        let terminating = p.terminating;
        if terminating {
            self.continue_termination(slot);
        } else {
            self.schedule(now + SYNC_LAG_MS, slot, What::Sync);
        }
    }

    /// Kills a container (`killContainer` in `kuberuntime_container.go`):
    /// the Killing event, the preStop hook, SIGTERM, SIGKILL at the deadline.
    pub(crate) fn kill_container(&mut self, slot: u32, c: usize, message: String, grace_s: i64, _deleting: bool) {
        let now = self.now;
        let Some(p) = self.pod_rt(slot) else { return };
        let stage = p.cs[c].stage;
        if !matches!(stage, Stage::Running | Stage::PostStart) {
            return;
        }
        let fp = p.field_path(c);
        let pre_stop = p.spec_of(c).lifecycle.pre_stop.clone();
        let epoch = p.cs[c].epoch;
        let grace_ms = seconds_ms(grace_s);
        self.record(slot, Some(fp), EventType::Normal, "Killing", message.clone(), "kubelet");
        if let Some(p) = self.pod_rt_mut(slot) {
            p.cs[c].stage = Stage::Stopping;
            p.cs[c].kill_grace_ms = grace_ms;
            p.cs[c].deadline_extended = false;
            p.cs[c].stop_since_ms = now;
            p.cs[c].stop_message = message;
            p.cs[c].sigterm_ms = None;
        }
        self.schedule(now.saturating_add(grace_ms), slot, What::KillDeadline { c: c as u16, epoch });
        match pre_stop {
            Some(handler) => {
                let (_ok, duration) =
                    self.run_handler(slot, c, &handler, grace_ms.saturating_add(PRESTOP_EXTENSION_MS));
                if let Some(p) = self.pod_rt_mut(slot) {
                    p.cs[c].prestop_running_until = Some(now.saturating_add(duration));
                }
                self.schedule(now.saturating_add(duration), slot, What::PreStopDone { c: c as u16, epoch });
            }
            None => self.send_sigterm(slot, c),
        }
    }

    fn send_sigterm(&mut self, slot: u32, c: usize) {
        let now = self.now;
        let Some(p) = self.pod_rt_mut(slot) else { return };
        if p.cs[c].stage != Stage::Stopping {
            return;
        }
        // Sent, whether or not the program heeds it.
        p.cs[c].sigterm_ms = Some(now);
        if p.knob(c, "ignore-sigterm") == Some("true") {
            return;
        }
        let epoch = p.cs[c].epoch;
        let Some(mut process) = p.cs[c].proc.take() else { return };
        let step = {
            let mut e = env::CEnv::new(self, slot, c);
            process.sigterm(now, &mut e)
        };
        self.after_step(slot, c, epoch, process, step);
    }

    fn kill_deadline(&mut self, slot: u32, c: usize) {
        let now = self.now;
        let Some(p) = self.pod_rt_mut(slot) else { return };
        if p.cs[c].stage != Stage::Stopping {
            return;
        }
        let epoch = p.cs[c].epoch;
        if p.cs[c].prestop_running_until.is_some_and(|t| t > now) && !p.cs[c].deadline_extended {
            p.cs[c].deadline_extended = true;
            self.schedule(now + PRESTOP_EXTENSION_MS, slot, What::KillDeadline { c: c as u16, epoch });
            return;
        }
        // SIGKILL.
        self.container_exited(slot, c, 137, false);
    }

    /// The `kill` action: the process dies now.
    pub(crate) fn kill_process(&mut self, slot: u32, c: usize, code: i32) {
        let running = self
            .pod_rt(slot)
            .is_some_and(|p| matches!(p.cs[c].stage, Stage::Running | Stage::PostStart | Stage::Stopping));
        if running {
            self.container_exited(slot, c, code, false);
            self.refresh(slot);
        }
    }

    pub(crate) fn set_broken(&mut self, slot: u32, c: usize, broken: bool) {
        if let Some(p) = self.pod_rt_mut(slot) {
            p.cs[c].broken = broken;
        }
        self.bump_version(slot);
    }

    /// OOM: a container whose memory use exceeds its limit is killed by the
    /// kernel's OOM killer (exit 137, reason OOMKilled).
    pub(crate) fn check_memory(&mut self, slot: u32, c: usize) {
        let now = self.now;
        let Some(p) = self.pod_rt(slot) else { return };
        let spec = p.spec_of(c);
        let Some(limit) = spec.resources.limits.memory_bytes else { return };
        let knob = p.knob(c, "memory-mi").and_then(|s| s.parse::<i64>().ok()).map(|mi| mi << 20);
        let used = knob.or(p.cs[c].memory_bytes);
        let epoch = p.cs[c].epoch;
        if let Some(used) = used {
            if used > limit {
                // The allocation takes a moment before the kernel steps in.
                self.schedule(now + 300, slot, What::AppExit { c: c as u16, epoch, code: 137, oom: true });
            }
        }
    }

    // ---- probes ----------------------------------------------------------

    /// A probe worker's tick (`worker.go` doProbe). Periodic ticks (`kind`
    /// 0–2) schedule the next one; a manual one (3, a readiness run the
    /// status manager triggers) does not.
    fn probe_tick(&mut self, slot: u32, c: usize, kind: usize) {
        let now = self.now;
        let periodic = kind < 3;
        let kind = kind.min(2);
        let Some(p) = self.pod_rt(slot) else { return };
        if p.terminal {
            return;
        }
        let hot = p.cs[c].probes[kind].hot;
        if !hot.present {
            return;
        }
        let asleep = self.run_probe_tick(slot, c, kind, periodic);
        if periodic && !asleep {
            self.schedule(now + hot.period_ms, slot, What::ProbeTick { c: c as u16, probe: kind as u8 });
        }
    }

    /// What a tick does; true when the worker went to sleep instead of
    /// scheduling its next tick (see `ProbeRt::asleep_since`).
    fn run_probe_tick(&mut self, slot: u32, c: usize, kind: usize, periodic: bool) -> bool {
        let now = self.now;
        let may_sleep = periodic && self.probe_sleep && self.probe_log.is_none();
        let Some(p) = self.pod_rt_mut(slot) else { return false };
        let has_startup = p.cs[c].probes[0].hot.present;
        let hot = p.cs[c].probes[kind].hot;
        let version = p.version;
        let cr = &mut p.cs[c];
        if !matches!(cr.stage, Stage::Running | Stage::Stopping) || !cr.status.state.is_running() {
            return false;
        }
        // A new container: reset the worker (`worker.go` doProbe).
        if cr.probes[kind].epoch != cr.epoch {
            cr.probes[kind] = ProbeRt {
                epoch: cr.epoch,
                last_ok: None,
                run: 0,
                on_hold: false,
                result: match kind {
                    1 => Some(true),
                    2 => Some(false),
                    _ => None,
                },
                hot,
                cached_success_at: None,
                asleep_since: None,
            };
        }
        if cr.probes[kind].on_hold {
            return false;
        }
        let startup_passed = cr.probes[0].result == Some(true);
        if kind == 0 && startup_passed {
            return false;
        }
        if kind != 0 && has_startup && !startup_passed {
            return false;
        }
        if now.saturating_sub(cr.started_ms) < hot.initial_delay_ms {
            return false;
        }
        // Liveness and startup probes stop once the container is being killed.
        if kind != 2 && cr.stage == Stage::Stopping {
            return false;
        }
        // Fast path: the same success as last time, nothing it depends on changed.
        let w = &mut cr.probes[kind];
        if w.cached_success_at == Some(version) && w.result == Some(true) && w.last_ok == Some(true) {
            w.run = w.run.saturating_add(1);
            if may_sleep {
                // Every later tick would be this same success until the Pod
                // changes: sleep until then (`Sim::wake_probes`).
                w.asleep_since = Some(now);
                p.sleeping += 1;
                return true;
            }
            self.log_probe(slot, c, kind, true);
            return false;
        }
        let pod = p.pod.clone();
        let Some(probe) = probe_ref(&pod, &p.cs[c], kind) else { return false };
        let (ok, message) = env::run_probe(self, slot, c, probe);
        self.log_probe(slot, c, kind, ok);
        let stable = ok && env::probe_outcome_is_stable(self, slot, c, probe);
        if let Some(p) = self.pod_rt_mut(slot) {
            let version = p.version;
            p.cs[c].probes[kind].cached_success_at = if stable { Some(version) } else { None };
        }
        let Some(p) = self.pod_rt(slot) else { return false };
        let grace = probe.termination_grace_period_seconds.unwrap_or(p.pod.spec.termination_grace_period_seconds);
        if !ok {
            let fp = p.field_path(c);
            self.record(
                slot,
                Some(fp),
                EventType::Warning,
                "Unhealthy",
                format!("{} probe failed: {}", PROBE_NAMES[kind], message),
                "kubelet",
            );
        }
        let Some(p) = self.pod_rt_mut(slot) else { return false };
        let w = &mut p.cs[c].probes[kind];
        if w.last_ok == Some(ok) {
            w.run += 1;
        } else {
            w.last_ok = Some(ok);
            w.run = 1;
        }
        if (!ok && w.run < probe.failure_threshold) || (ok && w.run < probe.success_threshold) {
            return false;
        }
        let changed = w.result != Some(ok);
        w.result = Some(ok);
        if !ok && kind != 2 {
            w.on_hold = true;
            w.run = 0;
            let what = if kind == 1 { "liveness" } else { "startup" };
            let cname = p.cs[c].name.clone();
            self.kill_container(
                slot,
                c,
                format!("Container {cname} failed {what} probe, will be restarted"),
                grace,
                false,
            );
        }
        if changed {
            self.refresh(slot);
        }
        false
    }

    fn log_probe(&mut self, slot: u32, c: usize, kind: usize, ok: bool) {
        if self.probe_log.is_none() {
            return;
        }
        let now = self.now;
        let Some(p) = self.pod_rt(slot) else { return };
        let record = super::ProbeRecord {
            time_ms: now,
            pod: p.pod.clone(),
            container: p.cs[c].name.clone(),
            kind: [super::ProbeKind::Startup, super::ProbeKind::Liveness, super::ProbeKind::Readiness][kind.min(2)],
            ok,
        };
        if let Some(log) = self.probe_log.as_mut() {
            if log.len() == super::MAX_PROBE_LOG {
                log.pop_front();
            }
            log.push_back(record);
        }
    }

    // ---- termination -----------------------------------------------------

    /// The containers of a Pod the kubelet is stopping now (a deletion, a
    /// failed liveness or startup probe, a failed postStart hook), with the
    /// moments of each stop: what a front end shows while it waits.
    /// Read-only; empty for an unknown Pod or one with nothing stopping.
    pub fn stopping(&self, namespace: &str, name: &str) -> Vec<Stopping> {
        let Some(p) = self.pod_index.get(&(namespace.to_string(), name.to_string())).and_then(|&s| self.pod_rt(s))
        else {
            return Vec::new();
        };
        p.cs.iter()
            .filter(|c| c.stage == Stage::Stopping)
            .map(|c| {
                let deadline = c.stop_since_ms.saturating_add(c.kill_grace_ms);
                // `kill_deadline`: a preStop hook still running then gets
                // PRESTOP_EXTENSION_MS more, once.
                let extended = c.deadline_extended || c.prestop_running_until.is_some_and(|t| t > deadline);
                Stopping {
                    container: c.name.clone(),
                    since_ms: c.stop_since_ms,
                    message: c.stop_message.clone(),
                    grace_ms: c.kill_grace_ms,
                    pre_stop_until: c.prestop_running_until,
                    sigterm_ms: c.sigterm_ms,
                    sigkill_ms: if extended { deadline.saturating_add(PRESTOP_EXTENSION_MS) } else { deadline },
                }
            })
            .collect()
    }

    /// `kubectl delete pod`: the API server sets deletionTimestamp, the
    /// kubelet kills the containers within the grace period, then the Pod
    /// object is removed.
    pub(crate) fn delete_pod(&mut self, ns: &str, name: &str, grace: Option<i64>) -> Result<(), super::ActionError> {
        let now = self.now;
        let slot = *self
            .pod_index
            .get(&(ns.to_string(), name.to_string()))
            .ok_or_else(|| super::ActionError(format!("pods \"{name}\" not found")))?;
        let Some(p) = self.pod_rt_mut(slot) else { return Ok(()) };
        if p.server.deletion_ms.is_some() {
            return Ok(());
        }
        // kubectl turns --grace-period=0 (without --force) into 1.
        let grace = grace.unwrap_or(p.pod.spec.termination_grace_period_seconds).max(1);
        p.server.deletion_ms = Some(now.saturating_add(seconds_ms(grace)));
        p.server.deletion_grace_period_seconds = Some(grace);
        if p.node.is_none() {
            // No kubelet owns it: the API server deletes it at once.
            self.remove_pod(slot);
            return Ok(());
        }
        p.terminating = true;
        p.start_queue.clear();
        let unreachable = p.node;
        self.mark_dirty(slot);
        self.flush();
        if self.node_stopped(unreachable) {
            // No kubelet confirms the deletion: the Pod stays Terminating
            // until its node is back (or forever, as without podgc's
            // out-of-service handling).
            return Ok(());
        }
        self.continue_termination(slot);
        Ok(())
    }

    /// Stops what is still running: regular containers first, then sidecars
    /// in reverse order (kubernetes.io "Sidecar containers"); when nothing is
    /// left, the Pod object is removed.
    fn continue_termination(&mut self, slot: u32) {
        let now = self.now;
        let Some(p) = self.pod_rt(slot) else { return };
        let deadline = p.server.deletion_ms.unwrap_or(now);
        let remaining_s = (deadline.saturating_sub(now).div_ceil(SECOND_MS)) as i64;
        let n = p.cs.len();
        let n_init = p.n_init;
        let live = |p: &PodRt, i: usize| matches!(p.cs[i].stage, Stage::Running | Stage::PostStart | Stage::Stopping);
        let regular_live: Vec<usize> =
            (0..n).filter(|&i| (!p.cs[i].is_init || !p.cs[i].is_sidecar) && live(p, i)).collect();
        let mut to_kill: Vec<usize> =
            regular_live.iter().copied().filter(|&i| p.cs[i].stage != Stage::Stopping).collect();
        if regular_live.is_empty() {
            // Sidecars, last started first stopped.
            let sidecars: Vec<usize> = (0..n_init).rev().filter(|&i| p.cs[i].is_sidecar && live(p, i)).collect();
            if let Some(&first) = sidecars.first() {
                if p.cs[first].stage != Stage::Stopping {
                    to_kill.push(first);
                }
            }
            if sidecars.is_empty() {
                self.finish_pod(slot);
                return;
            }
        }
        for c in to_kill {
            let name = self.pod_rt(slot).map(|p| p.cs[c].name.clone()).unwrap_or_default();
            self.kill_container(slot, c, format!("Stopping container {name}"), remaining_s.max(0), true);
        }
        // Containers that never started will not start now.
        if let Some(p) = self.pod_rt_mut(slot) {
            for cr in p.cs.iter_mut() {
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
    }

    /// Everything has stopped: report the final status and remove the Pod.
    fn finish_pod(&mut self, slot: u32) {
        let now = self.now;
        if let Some(p) = self.pod_rt_mut(slot) {
            p.terminal = true;
            p.recompute(now);
            p.set_condition(ConditionType::PodReadyToStartContainers, false, now, None, None);
        }
        self.mark_dirty(slot);
        self.update_endpoints();
        self.flush();
        self.remove_pod(slot);
    }

    /// `activeDeadlineSeconds` passed (`pkg/kubelet/active_deadline.go`): the
    /// kubelet fails the Pod with reason DeadlineExceeded and kills its
    /// containers; the Pod object stays.
    fn active_deadline_exceeded(&mut self, slot: u32) {
        let Some(p) = self.pod_rt_mut(slot) else { return };
        if p.terminal || p.terminating {
            return;
        }
        let message = "Pod was active on the node longer than the specified deadline".to_string();
        p.failed_reason = Some(("DeadlineExceeded".into(), message.clone()));
        // `activeDeadlineHandler.ShouldEvict` records a Normal event.
        self.record(slot, None, EventType::Normal, "DeadlineExceeded", message, "kubelet");
        self.pod_completed(slot);
        let Some(p) = self.pod_rt(slot) else { return };
        let grace = p.pod.spec.termination_grace_period_seconds;
        let live: Vec<(usize, String)> = (0..p.cs.len())
            .filter(|&i| matches!(p.cs[i].stage, Stage::Running | Stage::PostStart))
            .map(|i| (i, p.cs[i].name.clone()))
            .collect();
        for (c, name) in live {
            self.kill_container(slot, c, format!("Stopping container {name}"), grace, false);
        }
    }

    /// restartPolicy Never and an init container failed: the Pod fails.
    fn pod_failed(&mut self, slot: u32) {
        self.pod_completed(slot);
    }

    /// The Pod reached a terminal phase: stop sidecars, release the sandbox.
    fn pod_completed(&mut self, slot: u32) {
        let now = self.now;
        let Some(p) = self.pod_rt_mut(slot) else { return };
        if p.terminal {
            return;
        }
        p.terminal = true;
        p.start_queue.clear();
        let grace = p.pod.spec.termination_grace_period_seconds;
        let sidecars: Vec<(usize, String)> = (0..p.n_init)
            .rev()
            .filter(|&i| p.cs[i].is_sidecar && matches!(p.cs[i].stage, Stage::Running | Stage::PostStart))
            .map(|i| (i, p.cs[i].name.clone()))
            .collect();
        for (c, name) in sidecars {
            // kill_container requires a live stage; terminal is set so the sync stops restarting it.
            self.kill_container(slot, c, format!("Stopping container {name}"), grace, true);
        }
        if let Some(p) = self.pod_rt_mut(slot) {
            for cr in p.cs.iter_mut() {
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
            p.recompute(now);
            p.set_condition(ConditionType::PodReadyToStartContainers, false, now, None, None);
        }
        self.mark_dirty(slot);
    }
}

/// The command the runtime runs: `command` replaces the image ENTRYPOINT and
/// drops its CMD; `args` alone replaces CMD (kubernetes.io "Define a Command
/// and Arguments for a Container").
pub fn effective_argv(spec: &Container, image: Option<&ImageInfo>) -> Vec<String> {
    let (entry, cmd) = match image {
        Some(i) => (i.entrypoint.clone(), i.cmd.clone()),
        None => (vec![], vec![]),
    };
    match (spec.command.is_empty(), spec.args.is_empty()) {
        (false, _) => spec.command.iter().chain(spec.args.iter()).cloned().collect(),
        (true, false) => entry.into_iter().chain(spec.args.iter().cloned()).collect(),
        (true, true) => entry.into_iter().chain(cmd).collect(),
    }
}

/// A stable, made-up 64-hex digest for an image reference.
fn digest_of(reference: &str) -> String {
    let mut out = String::with_capacity(64);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for round in 0..4u8 {
        for b in reference.bytes().chain([round]) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

/// The env cache's key for (own variables, Service variables): the Service
/// variables' address, and each own name and value prefixed by its length
/// (so no two lists spell the same).
fn env_key(own: &[(String, String)], services: &Arc<Vec<(String, String)>>) -> (String, String) {
    let mut spelled = String::new();
    for (k, v) in own {
        spelled.push_str(&format!("{}:{k}{}:{v}", k.len(), v.len()));
    }
    (format!("{:x}", Arc::as_ptr(services) as usize), spelled)
}
