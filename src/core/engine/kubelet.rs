//! The kubelet's side of a Pod: sandbox, image pulls, container starts and
//! restarts with back-off, probes, hooks, termination, and the status it
//! reports. Each behaviour cites the kubelet source it follows
//! (`pkg/kubelet/...` in kubernetes/kubernetes).

use super::env::{self, Files};
use super::images::{self, ImageInfo, PullError};
pub use super::pod::*;
use super::{termination, PodTimer, Sim, Timer};
use crate::core::api::{Container, Handler, RestartPolicy, VolumeSource};
use crate::core::shell::{self, Process, Step};
use crate::core::status::*;
use crate::core::time::{go_duration, Millis, MINUTE_MS, SECOND_MS};
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
/// The least time between SIGTERM and SIGKILL: `killContainer` raises a
/// shorter remaining grace period to `minimumGracePeriodInSeconds`
/// (`kuberuntime_container.go`). A preStop hook still running when the grace
/// period ends is this "small, one-off grace period extension of 2 seconds"
/// (kubernetes.io "Pod Lifecycle / Termination of Pods"): `executePreStopHook`
/// stops waiting for it, SIGTERM is sent, SIGKILL 2 s later.
pub const MINIMUM_STOP_WINDOW_MS: Millis = 2 * SECOND_MS;
/// The Pod worker retries a sync that failed after `backOffPeriod`
/// (`pkg/kubelet/kubelet.go`; `pod_workers.go` adds up to 50% jitter).
pub const WORKER_BACKOFF_MS: Millis = 10 * SECOND_MS;
/// How long a Pod sync waits for its volumes before it fails with
/// "Unable to attach or mount volumes" (`podAttachAndMountTimeout`,
/// pkg/kubelet/volumemanager/volume_manager.go: 2m3s).
pub const MOUNT_WAIT_TIMEOUT_MS: Millis = 2 * MINUTE_MS + 3 * SECOND_MS;
/// The Pod worker's periodic resync (`syncFrequency`, 1 min; the kubelet
/// adds up to 50% jitter, podplay does not).
pub const RESYNC_MS: Millis = MINUTE_MS;

impl Sim {
    /// The kubelet admits a bound Pod: status appears, probe workers start,
    /// the sandbox is created.
    pub(crate) fn kubelet_admit(&mut self, slot: u32) {
        let now = self.now();
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
                    ticks.push((now + hot.period_ms, c as u16, super::ProbeKind::ALL[kind]));
                }
            }
        }
        let deadline = self.pod_rt(slot).and_then(|p| p.pod.spec.active_deadline_seconds);
        self.mark_dirty(slot);
        self.mount_volumes(slot);
        if let Some(seconds) = deadline {
            self.schedule(now.saturating_add(seconds_ms(seconds)), slot, PodTimer::ActiveDeadline);
        }
        for (at, c, probe) in ticks {
            self.schedule(at, slot, PodTimer::ProbeTick { c, probe });
        }
    }

    /// The volume manager's reconciler sets up the Pod's volumes; the
    /// kubelet creates the sandbox only once all are mounted
    /// (`WaitForAttachAndMount` in `SyncPod`, pkg/kubelet/kubelet.go). A
    /// configMap or secret volume whose object is missing fails with
    /// `FailedMount` and is retried with the operation executor's back-off.
    fn mount_volumes(&mut self, slot: u32) {
        let now = self.now();
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
            self.schedule(now + SANDBOX_MS, slot, PodTimer::SandboxReady);
            return;
        }
        let Some(p) = self.pod_rt_mut(slot) else { return };
        let delay = p.mount_retry_ms;
        p.mount_retry_ms = (delay * 2).min(MOUNT_RETRY_MAX_MS);
        for message in failures {
            self.record(slot, None, EventType::Warning, "FailedMount", message, "kubelet");
        }
        self.schedule(now + delay, slot, PodTimer::MountRetry);
        if first_try {
            self.schedule(admitted + MOUNT_WAIT_TIMEOUT_MS, slot, PodTimer::MountTimeout);
        }
    }

    /// A ConfigMap or Secret changed: Pods that mount it see the new
    /// contents at their next periodic sync (the Pod worker resyncs every
    /// `syncFrequency`, 1 min, counted here from admission; kubernetes.io
    /// "ConfigMaps: mounted ConfigMaps are updated automatically").
    pub(crate) fn refresh_volumes_of(&mut self, ns: &str, name: &str, config_map: bool) {
        let now = self.now();
        let mut due = Vec::new();
        for (_, slot) in self.pods.in_namespace(ns) {
            let Some(p) = self.pod_rt(slot) else { continue };
            let mounts = p.pod.spec.volumes.iter().any(|v| v.source.uses_object(config_map, name));
            if mounts && p.volumes_mounted && !p.terminal {
                let since = now.saturating_sub(p.admitted_ms);
                due.push((slot, p.admitted_ms + (since / RESYNC_MS + 1) * RESYNC_MS));
            }
        }
        for (slot, at) in due {
            self.schedule(at, slot, PodTimer::VolumeResync);
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
            .filter(|v| !matches!(v.source, VolumeSource::HostPath { .. }))
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
        let now = self.now();
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
        self.schedule(now + WORKER_BACKOFF_MS + MOUNT_WAIT_TIMEOUT_MS, slot, PodTimer::MountTimeout);
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
        if let Some(env) = self.services.cached_env(&key) {
            return env.clone();
        }
        let mut env = std::collections::BTreeMap::new();
        for (k, v) in services.iter().chain(own.iter()) {
            env.insert(k.clone(), v.clone());
        }
        env.insert("PATH".to_string(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string());
        let env = Arc::new(env);
        self.services.cache_env(key, services, env.clone());
        env
    }

    /// A Pod timer came due: dropped when the slot holds a newer Pod, the
    /// taint manager's eviction, or the kubelet's work (parked while the
    /// node is stopped, until `start node`).
    #[inline]
    pub(crate) fn fire_pod(&mut self, timer: &Timer, slot: u32, incarnation: u32, what: PodTimer) {
        match self.pod_rt(slot) {
            Some(p) if p.incarnation == incarnation => {}
            _ => return,
        }
        if what == PodTimer::TaintEvict {
            self.taint_evict(slot);
        } else if what == PodTimer::PodGcOrphan {
            self.podgc_orphan(slot);
        } else if !self.park_if_stopped(timer) {
            // (A stopped node's kubelet parks its work until `start node`.)
            self.on_timer(slot, what);
        }
    }

    pub(crate) fn on_timer(&mut self, slot: u32, what: PodTimer) {
        let now = self.now();
        let epoch_ok = |sim: &Sim, c: u16, epoch: u32| {
            sim.pod_rt(slot).and_then(|p| p.cs.get(c as usize)).is_some_and(|x| x.epoch == epoch)
        };
        match what {
            PodTimer::SandboxReady => {
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
            PodTimer::Sync => self.sync_pod(slot),
            PodTimer::MountRetry => self.mount_volumes(slot),
            PodTimer::MountTimeout => self.mount_timeout(slot),
            PodTimer::VolumeResync => self.resync_volumes(slot),
            PodTimer::ActiveDeadline => self.active_deadline_exceeded(slot),
            PodTimer::PullDone { c, epoch } => {
                if epoch_ok(self, c, epoch) {
                    self.pull_done(slot, c as usize);
                }
            }
            PodTimer::ContainerStart { c, epoch } => {
                if epoch_ok(self, c, epoch) {
                    self.start_container(slot, c as usize);
                }
            }
            PodTimer::PostStartDone { c, epoch } => {
                if epoch_ok(self, c, epoch) {
                    self.post_start_done(slot, c as usize);
                }
            }
            PodTimer::ProcessWake { c, epoch } => {
                if epoch_ok(self, c, epoch) {
                    self.step_process(slot, c as usize);
                }
            }
            PodTimer::AppExit { c, epoch, code, oom } => {
                if epoch_ok(self, c, epoch) {
                    let running = self.pod_rt(slot).is_some_and(|p| {
                        matches!(p.cs[c as usize].stage, Stage::Running | Stage::PostStart | Stage::Stopping)
                    });
                    if running {
                        self.container_exited(slot, c as usize, code, oom);
                    }
                }
            }
            PodTimer::BackoffDone { c, epoch } => {
                if epoch_ok(self, c, epoch) {
                    self.backoff_done(slot, c as usize);
                }
            }
            PodTimer::PreStopDone { c, epoch } => {
                if epoch_ok(self, c, epoch) {
                    if let Some(p) = self.pod_rt_mut(slot) {
                        p.cs[c as usize].prestop_running_until = None;
                    }
                    self.sigterm_on_turn(slot, c as usize);
                }
            }
            PodTimer::KillDeadline { c, epoch } => {
                if epoch_ok(self, c, epoch) {
                    self.kill_deadline(slot, c as usize);
                }
            }
            // The taint eviction controller's timer never reaches the kubelet (see `Sim::fire`).
            PodTimer::TaintEvict | PodTimer::PodGcOrphan => return,
            PodTimer::ProbeTick { c, probe } => {
                // Probe ticks refresh the status themselves when a result changes.
                self.probe_tick(slot, c as usize, probe, true);
                return;
            }
            PodTimer::ProbeTrigger { c } => {
                self.probe_tick(slot, c as usize, super::ProbeKind::Readiness, false);
                return;
            }
        }
        self.refresh(slot);
    }

    /// Recomputes status and queues the Pod for `flush`, which publishes it
    /// when it differs from what was last published.
    pub(crate) fn refresh(&mut self, slot: u32) {
        let now = self.now();
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
        last_run(&p.cs[c].status).is_some_and(|t| restarts_after(p, c, t.exit_code))
    }

    /// Restart now, or wait out the crash back-off (`doBackOff` in
    /// `kuberuntime_manager.go`): the back-off counts from the container's
    /// `finishedAt`.
    fn maybe_restart(&mut self, slot: u32, c: usize) {
        let now = self.now();
        let Some(p) = self.pod_rt(slot) else { return };
        let finished = last_run(&p.cs[c].status).map_or(now, |t| t.finished_at_ms);
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
                if let ContainerState::Terminated(_) = last {
                    cr.status.last_state = Some(last);
                }
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
            self.schedule(finished + backoff, slot, PodTimer::BackoffDone { c: c as u16, epoch });
        } else {
            if let Some(p) = self.pod_rt_mut(slot) {
                p.cs[c].crash_backoff.next(now);
            }
            self.enqueue_start(slot, c);
        }
    }

    fn backoff_done(&mut self, slot: u32, c: usize) {
        let now = self.now();
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
                self.schedule(retry_at, slot, PodTimer::BackoffDone { c: c as u16, epoch });
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
        let now = self.now();
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
                self.schedule(now + CREATE_MS, slot, PodTimer::ContainerStart { c: c as u16, epoch });
                return true;
            }
        }
        if spec.image_pull_policy == crate::core::api::PullPolicy::Never && !present {
            let msg = format!("Container image \"{}\" is not present with pull policy of Never", spec.image);
            // EnsureImageExists fails at once with ErrImageNeverPull: no pull,
            // so no image back-off; the pod worker syncs again after its
            // back-off period (`pod_workers.go`, 10 s) and says it again.
            if let Some(p) = self.pod_rt_mut(slot) {
                p.cs[c].stage = Stage::Idle;
                p.cs[c].status.state =
                    ContainerState::Waiting(Waiting { reason: "ErrImageNeverPull".into(), message: Some(msg.clone()) });
            }
            self.record(slot, Some(fp.clone()), EventType::Warning, "ErrImageNeverPull", msg, "kubelet");
            self.record(slot, Some(fp), EventType::Warning, "Failed", "Error: ErrImageNeverPull".into(), "kubelet");
            self.sync_after_worker_backoff(slot);
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
        self.schedule(now + duration, slot, PodTimer::PullDone { c: c as u16, epoch });
        true
    }

    fn pull_done(&mut self, slot: u32, c: usize) {
        let now = self.now();
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
                self.schedule(now + CREATE_MS, slot, PodTimer::ContainerStart { c: c as u16, epoch });
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
                self.schedule(now + SYNC_LAG_MS, slot, PodTimer::BackoffDone { c: c as u16, epoch });
                self.process_start_queue(slot);
            }
        }
    }

    /// Create and start (`startContainer` in `kuberuntime_container.go`).
    fn start_container(&mut self, slot: u32, c: usize) {
        let now = self.now();
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
        // Files the kubelet mounts into the container (`makeMounts`).
        let mounted = [
            env::etc_hosts(p).map(|h| ("/etc/hosts".to_string(), h)),
            termination::empty_file(&spec.termination_message_path),
        ];
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
                cr.previous_log = std::mem::take(&mut cr.files.log);
            }
            cr.created_once = true;
            cr.epoch += 1;
            cr.status.container_id = container_id;
            cr.status.image_id = image_id;
            cr.status.image = image_name;
            cr.started_ms = now;
            cr.files = env::initial_files(&ns, &hostname, info.as_ref());
            cr.files.files.extend(mounted.into_iter().flatten());
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
        // The runtime execs the first word; an image without it fails the start.
        if let Err(message) = images::exec_check(info.as_ref(), argv.first().map_or("", String::as_str)) {
            self.record(slot, Some(fp), EventType::Warning, "Failed", format!("Error: {message}"), "kubelet");
            self.container_exited(slot, c, 128, false);
            if let Some(ContainerState::Terminated(t)) = self.pod_rt_mut(slot).map(|p| &mut p.cs[c].status.state) {
                t.reason = "StartError".into();
                t.message = Some(message);
            }
            self.start_finished(slot, c);
            return;
        }
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
                self.schedule(now, slot, PodTimer::AppExit { c: c as u16, epoch, code: 2, oom: false });
            }
        }
        // Simulation knobs.
        if let Some(secs) =
            self.pod_rt(slot).and_then(|p| p.knob(c, "crash-after-seconds")).and_then(|s| s.parse::<f64>().ok())
        {
            let at = now.saturating_add((secs.max(0.0) * 1000.0) as Millis);
            self.schedule(at, slot, PodTimer::AppExit { c: c as u16, epoch, code: 1, oom: false });
        }
        self.check_memory(slot, c);
        // The status update after start triggers a readiness probe run
        // (`prober_manager.go` UpdatePodStatus → manualTriggerCh).
        if self.pod_rt(slot).is_some_and(|p| p.has_probe(c, 2)) {
            self.schedule(now + SYNC_LAG_MS, slot, PodTimer::ProbeTrigger { c: c as u16 });
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
        self.record(slot, Some(fp), EventType::Warning, "Failed", format!("Error: {message}"), "kubelet");
        self.sync_after_worker_backoff(slot);
        self.start_finished(slot, c);
    }

    /// A sync that failed is tried again after the pod worker's back-off
    /// (`pod_workers.go`, [`WORKER_BACKOFF_MS`]), once however many
    /// containers failed in it.
    fn sync_after_worker_backoff(&mut self, slot: u32) {
        let now = self.now();
        let Some(p) = self.pod_rt_mut(slot) else { return };
        if p.config_retry_at.is_some_and(|t| t > now) {
            return;
        }
        p.config_retry_at = Some(now + WORKER_BACKOFF_MS);
        self.schedule(now + WORKER_BACKOFF_MS, slot, PodTimer::Sync);
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
            self.schedule(self.now(), slot, PodTimer::Sync);
        }
    }

    fn run_post_start(&mut self, slot: u32, c: usize) {
        let now = self.now();
        let Some(p) = self.pod_rt(slot) else { return };
        let Some(handler) = p.spec_of(c).lifecycle.post_start.clone() else { return };
        let epoch = p.cs[c].epoch;
        let (ok, duration, error) = self.run_handler(slot, c, &handler, 30 * MINUTE_MS);
        if let Some(p) = self.pod_rt_mut(slot) {
            p.cs[c].post_start_error = (!ok).then_some(error);
        }
        self.schedule(now.saturating_add(duration), slot, PodTimer::PostStartDone { c: c as u16, epoch });
    }

    fn post_start_done(&mut self, slot: u32, c: usize) {
        let Some(p) = self.pod_rt(slot) else { return };
        if p.cs[c].stage != Stage::PostStart {
            return;
        }
        let error = p.cs[c].post_start_error.clone();
        let started = p.cs[c].started_ms;
        let fp = p.field_path(c);
        if let Some(p) = self.pod_rt_mut(slot) {
            p.cs[c].stage = Stage::Running;
            p.cs[c].status.state = ContainerState::Running { started_at_ms: started };
        }
        if let Some(message) = error {
            // startContainer: the FailedPostStartHook event carries the hook
            // runner's message, the kill follows, and the start fails with
            // ErrPostStartHook ("PostStartHookError"), which the reasonCache
            // shows as the container's Waiting reason (`container_exited`).
            if let Some(p) = self.pod_rt_mut(slot) {
                p.cs[c].start_error = Some(("PostStartHookError".into(), message.clone()));
            }
            self.record(slot, Some(fp), EventType::Warning, "FailedPostStartHook", message, "kubelet");
            let grace = self.pod_rt(slot).map(|p| p.pod.spec.termination_grace_period_seconds).unwrap_or(30);
            // `killContainer` with the hook's reason as the Killing message.
            self.kill_container(slot, c, "FailedPostStartHook".to_string(), grace, false);
        }
        self.start_finished(slot, c);
    }

    /// Runs a lifecycle hook in the container. Returns (success, duration,
    /// the hook runner's message when it failed), the message as
    /// `pkg/kubelet/lifecycle/handlers.go` (handlerRunner.Run) words it:
    /// "Exec lifecycle hook ([argv]) for Container "c" in Pod "name_ns(uid)"
    /// failed - error: command '…' exited with N: STDERR, message: "OUTPUT""
    /// (the CRI's ExecSync error). podplay captures stdout and stderr as
    /// one stream, so both places show that stream.
    pub(crate) fn run_handler(
        &mut self,
        slot: u32,
        c: usize,
        handler: &Handler,
        timeout_ms: Millis,
    ) -> (bool, Millis, String) {
        let now = self.now();
        let who = || {
            let Some(p) = self.pod_rt(slot) else { return String::new() };
            let m = &p.pod.metadata;
            format!("for Container {:?} in Pod \"{}_{}({})\"", p.cs[c].name, m.name, m.namespace, p.server.uid)
        };
        match handler {
            Handler::Exec { command } => {
                let who = who();
                let mut e = env::ContainerEnv::new(self, slot, c);
                let r = shell::exec_probe(command, now, &mut e, timeout_ms);
                let ok = r.exit_code == 0 && !r.timed_out;
                let message = if ok {
                    String::new()
                } else {
                    format!(
                        "Exec lifecycle hook ([{}]) {who} failed - error: command '{}' exited with {}: {}, message: {:?}",
                        command.join(" "),
                        command.join(" "),
                        r.exit_code,
                        r.output,
                        r.output
                    )
                };
                (ok, r.duration_ms.min(timeout_ms), message)
            }
            Handler::Sleep { seconds } => (true, seconds_ms(*seconds), String::new()),
            Handler::HttpGet { path, .. } => {
                let who = who();
                let (ok, msg) = env::probe_network(self, slot, c, handler, timeout_ms);
                (ok, 0, format!("HTTP lifecycle hook ({path}) {who} failed - error: {msg}"))
            }
            Handler::TcpSocket { .. } | Handler::Grpc { .. } => {
                let (ok, msg) = env::probe_network(self, slot, c, handler, timeout_ms);
                (ok, 0, msg)
            }
        }
    }

    pub(crate) fn step_process(&mut self, slot: u32, c: usize) {
        let now = self.now();
        let Some(p) = self.pod_rt_mut(slot) else { return };
        let Some(mut process) = p.cs[c].proc.take() else { return };
        let epoch = p.cs[c].epoch;
        let step = {
            let mut e = env::ContainerEnv::new(self, slot, c);
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
                self.schedule(t, slot, PodTimer::ProcessWake { c: c as u16, epoch });
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
        let now = self.now();
        if self.pod_rt(slot).is_none_or(|p| matches!(p.cs[c].stage, Stage::Exited | Stage::Done | Stage::CrashBackOff))
        {
            return;
        }
        let message = termination::message(self, slot, c, code);
        let Some(p) = self.pod_rt_mut(slot) else { return };
        let cr = &mut p.cs[c];
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
            message,
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
        if let Some((reason, message)) = cr.start_error.take() {
            // The reasonCache's Waiting state until the next sync
            // (convertToAPIContainerStatuses), for a container that will
            // start again (not once the Pod is being deleted); the run that
            // ended becomes lastState.
            if !p.terminating && restarts_after(p, c, code) {
                let cr = &mut p.cs[c];
                let ended = std::mem::replace(
                    &mut cr.status.state,
                    ContainerState::Waiting(Waiting { reason, message: Some(message) }),
                );
                cr.status.last_state = Some(ended);
            }
        }
        if p.starting == Some(c) {
            p.starting = None;
        }
        let terminating = p.terminating;
        self.release_turns(slot);
        if terminating {
            self.continue_termination(slot);
        } else {
            self.schedule(now + SYNC_LAG_MS, slot, PodTimer::Sync);
        }
    }

    /// Kills a container (`killContainer` in `kuberuntime_container.go`):
    /// the Killing event, the preStop hook, SIGTERM, SIGKILL at the deadline.
    /// `ordered`: a Pod-level stop (`killContainersWithSyncResult`), in
    /// which a sidecar's SIGTERM waits for its turn (`sigterm_on_turn`).
    pub(crate) fn kill_container(&mut self, slot: u32, c: usize, message: String, grace_s: i64, ordered: bool) {
        let now = self.now();
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
            p.cs[c].stop_since_ms = now;
            p.cs[c].stop_message = message;
            p.cs[c].stop_probe = None;
            p.cs[c].sigterm_ms = None;
            p.cs[c].ordered_stop = ordered;
            p.cs[c].awaiting_turn = false;
        }
        self.schedule(now.saturating_add(grace_ms), slot, PodTimer::KillDeadline { c: c as u16, epoch });
        match pre_stop {
            Some(handler) => {
                let (_ok, duration, _message) =
                    self.run_handler(slot, c, &handler, grace_ms.saturating_add(MINIMUM_STOP_WINDOW_MS));
                if let Some(p) = self.pod_rt_mut(slot) {
                    p.cs[c].prestop_running_until = Some(now.saturating_add(duration));
                }
                self.schedule(now.saturating_add(duration), slot, PodTimer::PreStopDone { c: c as u16, epoch });
            }
            None => self.sigterm_on_turn(slot, c),
        }
    }

    /// After the preStop hook: SIGTERM now, or, in a Pod-level stop, once
    /// the containers that stop first have exited
    /// (`kuberuntime_termination_order.go`: a sidecar waits for every main
    /// container and for the sidecar declared after it; `waitForTurn` does
    /// not wait when the grace period is 0).
    fn sigterm_on_turn(&mut self, slot: u32, c: usize) {
        let Some(p) = self.pod_rt_mut(slot) else { return };
        if p.cs[c].stage != Stage::Stopping {
            return;
        }
        if p.cs[c].sigterm_ms.is_some() {
            // Already sent when the grace period ended.
            return;
        }
        let wait = p.cs[c].kill_grace_ms > 0 && !turn_blockers(p, c).is_empty();
        p.cs[c].awaiting_turn = wait;
        if !wait {
            self.send_sigterm(slot, c);
        }
    }

    /// A container exited: the stopping containers that waited for it get
    /// their SIGTERM.
    fn release_turns(&mut self, slot: u32) {
        let Some(p) = self.pod_rt(slot) else { return };
        let due: Vec<usize> = (0..p.cs.len())
            .filter(|&i| p.cs[i].stage == Stage::Stopping && p.cs[i].awaiting_turn && turn_blockers(p, i).is_empty())
            .collect();
        for c in due {
            self.sigterm_on_turn(slot, c);
        }
    }

    fn send_sigterm(&mut self, slot: u32, c: usize) {
        let now = self.now();
        let Some(p) = self.pod_rt_mut(slot) else { return };
        if p.cs[c].stage != Stage::Stopping {
            return;
        }
        // Sent, whether or not the program heeds it. The runtime's stop
        // timeout is what is left of the grace period, but never less than
        // `minimumGracePeriodInSeconds` (killContainer).
        p.cs[c].sigterm_ms = Some(now);
        p.cs[c].awaiting_turn = false;
        if p.knob(c, "ignore-sigterm") == Some("true") {
            return;
        }
        let epoch = p.cs[c].epoch;
        let Some(mut process) = p.cs[c].proc.take() else { return };
        let step = {
            let mut e = env::ContainerEnv::new(self, slot, c);
            process.sigterm(now, &mut e)
        };
        self.after_step(slot, c, epoch, process, step);
    }

    fn kill_deadline(&mut self, slot: u32, c: usize) {
        let now = self.now();
        let Some(p) = self.pod_rt_mut(slot) else { return };
        if p.cs[c].stage != Stage::Stopping {
            return;
        }
        let epoch = p.cs[c].epoch;
        if p.cs[c].sigterm_ms.is_none() {
            // The grace period ended before SIGTERM: `executePreStopHook`
            // stops waiting for a hook still running, `waitForTurn` for the
            // containers before it. SIGTERM now, SIGKILL after the minimum
            // window.
            self.send_sigterm(slot, c);
        }
        let Some(p) = self.pod_rt(slot) else { return };
        if p.cs[c].stage != Stage::Stopping {
            return;
        }
        let not_before = p.cs[c].sigterm_ms.map_or(0, |t| t.saturating_add(MINIMUM_STOP_WINDOW_MS));
        if now < not_before {
            self.schedule(not_before, slot, PodTimer::KillDeadline { c: c as u16, epoch });
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
        let now = self.now();
        let Some(p) = self.pod_rt(slot) else { return };
        let spec = p.spec_of(c);
        let Some(limit) = spec.resources.limits.memory_bytes else { return };
        let knob = p.knob(c, "memory-mi").and_then(|s| s.parse::<i64>().ok()).map(|mi| mi << 20);
        let used = knob.or(p.cs[c].memory_bytes);
        let epoch = p.cs[c].epoch;
        if let Some(used) = used {
            if used > limit {
                // The allocation takes a moment before the kernel steps in.
                self.schedule(now + 300, slot, PodTimer::AppExit { c: c as u16, epoch, code: 137, oom: true });
            }
        }
    }

    // ---- probes ----------------------------------------------------------

    /// A probe worker's tick (`worker.go` doProbe). Periodic ticks schedule
    /// the next one; a manual one (a readiness run the status manager
    /// triggers) does not.
    fn probe_tick(&mut self, slot: u32, c: usize, probe: super::ProbeKind, periodic: bool) {
        let now = self.now();
        let kind = probe as usize;
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
            self.schedule(now + hot.period_ms, slot, PodTimer::ProbeTick { c: c as u16, probe });
        }
    }

    /// What a tick does; true when the worker went to sleep instead of
    /// scheduling its next tick (see `ProbeRt::asleep_since`).
    fn run_probe_tick(&mut self, slot: u32, c: usize, kind: usize, periodic: bool) -> bool {
        let now = self.now();
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
            let message = probe_kill_message(p, c, kind == 1);
            self.kill_container(slot, c, message, grace, false);
            if let Some(p) = self.pod_rt_mut(slot) {
                p.cs[c].stop_probe =
                    Some(if kind == 1 { super::ProbeKind::Liveness } else { super::ProbeKind::Startup });
            }
        }
        if changed {
            self.refresh(slot);
            // A probe result that changes makes the kubelet sync the Pod
            // (`kubelet.go` syncLoopIteration → handleProbeSync). Only a
            // sidecar's startup success can start something new: the next
            // init container or the regular containers wait for it
            // (computeInitContainerActions: "If the startup probe has not
            // been run, wait for it").
            if ok && kind == 0 && self.pod_rt(slot).is_some_and(|p| p.cs[c].is_sidecar) {
                self.schedule(self.now(), slot, PodTimer::Sync);
            }
        }
        false
    }

    fn log_probe(&mut self, slot: u32, c: usize, kind: usize, ok: bool) {
        if self.probe_log.is_none() {
            return;
        }
        let now = self.now();
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
        let Some(p) = self.pods.slot(namespace, name).and_then(|s| self.pod_rt(s)) else {
            return Vec::new();
        };
        p.cs.iter()
            .enumerate()
            .filter(|(_, c)| c.stage == Stage::Stopping)
            .map(|(i, c)| {
                let deadline = c.stop_since_ms.saturating_add(c.kill_grace_ms);
                // SIGTERM comes when the preStop hook ends, or at the
                // deadline at the latest (`kill_deadline`); SIGKILL at the
                // deadline, but never sooner than the minimum window after
                // SIGTERM.
                let sigterm = c.sigterm_ms.unwrap_or_else(|| c.prestop_running_until.unwrap_or(deadline).min(deadline));
                Stopping {
                    container: c.name.clone(),
                    since_ms: c.stop_since_ms,
                    message: c.stop_message.clone(),
                    probe: c.stop_probe,
                    grace_ms: c.kill_grace_ms,
                    pre_stop_until: c.prestop_running_until,
                    sigterm_ms: c.sigterm_ms,
                    waiting_for: if c.awaiting_turn {
                        turn_blockers(p, i).into_iter().map(|b| p.cs[b].name.clone()).collect()
                    } else {
                        Vec::new()
                    },
                    sigkill_ms: deadline.max(sigterm.saturating_add(MINIMUM_STOP_WINDOW_MS)),
                }
            })
            .collect()
    }

    /// `kubectl delete pod`: the API server sets deletionTimestamp, the
    /// kubelet kills the containers within the grace period, then the Pod
    /// object is removed.
    pub(crate) fn delete_pod(&mut self, ns: &str, name: &str, grace: Option<i64>) -> Result<(), super::ActionError> {
        let now = self.now();
        let slot = self.pods.slot(ns, name).ok_or_else(|| super::ActionError(format!("pods \"{name}\" not found")))?;
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

    /// Stops what is still running (`killContainersWithSyncResult`): every
    /// running container at once, each with its Killing event and preStop
    /// hook; the terminationOrdering holds each sidecar's SIGTERM until the
    /// main containers and the sidecars declared after it have exited
    /// (e2e "should terminate sidecars in reverse order after all main
    /// containers have exited"). When nothing is left, the Pod object is
    /// removed.
    fn continue_termination(&mut self, slot: u32) {
        let now = self.now();
        let Some(p) = self.pod_rt(slot) else { return };
        let deadline = p.server.deletion_ms.unwrap_or(now);
        let remaining_s = (deadline.saturating_sub(now).div_ceil(SECOND_MS)) as i64;
        let live = |i: usize| matches!(p.cs[i].stage, Stage::Running | Stage::PostStart | Stage::Stopping);
        if !(0..p.cs.len()).any(live) {
            self.finish_pod(slot);
            return;
        }
        // Events in a fixed order (the kubelet's goroutines race): regular
        // containers as declared, then sidecars last first.
        let to_kill: Vec<usize> = (0..p.cs.len())
            .filter(|&i| !p.cs[i].is_sidecar)
            .chain((0..p.n_init).rev().filter(|&i| p.cs[i].is_sidecar))
            .filter(|&i| live(i) && p.cs[i].stage != Stage::Stopping)
            .collect();
        for c in to_kill {
            let name = self.pod_rt(slot).map(|p| p.cs[c].name.clone()).unwrap_or_default();
            self.kill_container(slot, c, format!("Stopping container {name}"), remaining_s.max(0), true);
        }
        // Containers that never started will not start now.
        if let Some(p) = self.pod_rt_mut(slot) {
            p.never_started_are_done();
        }
    }

    /// Everything has stopped: report the final status and remove the Pod.
    fn finish_pod(&mut self, slot: u32) {
        let now = self.now();
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
            self.kill_container(slot, c, format!("Stopping container {name}"), grace, true);
        }
    }

    /// restartPolicy Never and an init container failed: the Pod fails.
    fn pod_failed(&mut self, slot: u32) {
        self.pod_completed(slot);
    }

    /// The Pod reached a terminal phase: stop sidecars, release the sandbox.
    fn pod_completed(&mut self, slot: u32) {
        let now = self.now();
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
            p.never_started_are_done();
            p.recompute(now);
            p.set_condition(ConditionType::PodReadyToStartContainers, false, now, None, None);
        }
        self.mark_dirty(slot);
    }
}

/// The command the runtime runs: `command` replaces the image ENTRYPOINT and
/// drops its CMD; `args` alone replaces CMD (kubernetes.io "Define a Command
/// and Arguments for a Container").
/// What container `c` waits for before its SIGTERM in a Pod-level stop
/// (`newTerminationOrdering`): nothing for a regular container; for a
/// sidecar, the main containers still running and the next sidecar declared
/// after it, if that one still runs.
fn turn_blockers(p: &PodRt, c: usize) -> Vec<usize> {
    let cr = &p.cs[c];
    if !cr.ordered_stop || !cr.is_sidecar {
        return Vec::new();
    }
    let live = |i: usize| matches!(p.cs[i].stage, Stage::Running | Stage::PostStart | Stage::Stopping);
    let next_sidecar = (c + 1..p.n_init).find(|&i| p.cs[i].is_sidecar);
    (p.n_init..p.cs.len()).chain(next_sidecar).filter(|&i| live(i)).collect()
}

/// The container's last run when it has ended: its state, or its lastState
/// while it waits with a start error (PostStartHookError).
fn last_run(status: &ContainerStatus) -> Option<&Terminated> {
    match (&status.state, &status.last_state) {
        (ContainerState::Terminated(t), _) => Some(t),
        (ContainerState::Waiting(_), Some(ContainerState::Terminated(t))) => Some(t),
        _ => None,
    }
}

/// Whether the kubelet starts container `c` again after it exited with
/// `code` (`ShouldContainerBeRestarted`): sidecars always; otherwise as the
/// Pod's restartPolicy says.
fn restarts_after(p: &PodRt, c: usize, code: i32) -> bool {
    if p.cs[c].is_sidecar {
        return true;
    }
    match p.pod.spec.restart_policy {
        RestartPolicy::Always => true,
        RestartPolicy::OnFailure => code != 0,
        RestartPolicy::Never => false,
    }
}

/// The Killing event's message when a liveness or startup probe fails
/// (`kuberuntime_manager.go`): a sidecar's is "Init container NAME failed
/// liveness probe" (computeInitContainerActions; it always restarts); a
/// regular container's is "Container NAME failed liveness probe", with
/// ", will be restarted" only when the Pod's restartPolicy restarts it
/// (computePodActions, `shouldRestartOnFailure`). Under `Never`, when no
/// other regular container is still running the kubelet kills the whole Pod
/// (`changes.KillPod`), and `killContainer` with no message says "Stopping
/// container NAME".
fn probe_kill_message(p: &PodRt, c: usize, liveness: bool) -> String {
    let what = if liveness { "liveness" } else { "startup" };
    let name = &p.cs[c].name;
    if p.cs[c].is_sidecar {
        return format!("Init container {name} failed {what} probe");
    }
    if p.pod.spec.restart_policy != RestartPolicy::Never {
        return format!("Container {name} failed {what} probe, will be restarted");
    }
    let others_running =
        (p.n_init..p.cs.len()).any(|i| i != c && matches!(p.cs[i].stage, Stage::Running | Stage::PostStart));
    if others_running {
        format!("Container {name} failed {what} probe")
    } else {
        format!("Stopping container {name}")
    }
}

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
