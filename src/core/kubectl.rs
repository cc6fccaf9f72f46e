//! Views of simulation state that read exactly like kubectl's human-readable
//! output: `kubectl get pods` (and `-o wide`, and `-w`), `kubectl events`, and
//! `kubectl describe pod`.
//!
//! Sources, in kubernetes/kubernetes:
//! - `pkg/printers/internalversion/printers.go` (`printPod`): READY, STATUS,
//!   RESTARTS, AGE and the wide columns.
//! - `staging/src/k8s.io/cli-runtime/pkg/printers/tabwriter.go`: the table
//!   writer (`github.com/liggitt/tabwriter`, minwidth 6, padding 3, `RememberWidths`).
//! - `staging/src/k8s.io/kubectl/pkg/cmd/events/event_printer.go`: `kubectl events`.
//! - `staging/src/k8s.io/kubectl/pkg/describe/describe.go` (`describePod`,
//!   `describeContainers`, `describeStatus`, `DescribeProbe`, `describeVolumes`,
//!   `DescribeEvents`, `tabbedString`: Go's `text/tabwriter`, minwidth 0, padding 2).
//!
//! Everything here is pure: the current virtual time is passed in as `now`.
//! Timestamps are truncated to whole seconds before ages are computed, because
//! kubectl only ever sees the API server's second-precision `metav1.Time`.

use crate::core::api::{Container, Handler, PortRef, Probe, ResourceList, RestartPolicy, VolumeSource};
use crate::core::json::{format_cpu, format_memory};
use crate::core::status::{
    ConditionType, ContainerState, ContainerStatus, CronJobSnapshot, DeploymentSnapshot, Event, JobSnapshot,
    PersistentVolumeClaimSnapshot, PodDisruptionBudgetSnapshot, PodPhase, PodSnapshot, ReplicaSetSnapshot,
    StatefulSetSnapshot,
};
use crate::core::time::{human_duration, rfc1123z, Millis};

// ---------------------------------------------------------------------------
// Ages
// ---------------------------------------------------------------------------

/// `translateTimestampSince` (printers.go / describe.go): the age of a
/// second-precision timestamp, `duration.HumanDuration(time.Since(t))`,
/// including HumanDuration's handling of times slightly in the future.
pub fn since(t: Millis, now: Millis) -> String {
    let t = t - t % 1000;
    if t > now {
        // HumanDuration: seconds < -1 → "<invalid>", else "0s".
        return if (t - now) / 1000 >= 2 { "<invalid>".to_string() } else { "0s".to_string() };
    }
    human_duration(now - t)
}

/// The AGE column: time since `metadata.creationTimestamp`.
pub fn pod_age(p: &PodSnapshot, now: Millis) -> String {
    since(p.server.creation_ms, now)
}

// ---------------------------------------------------------------------------
// printDeployment, printReplicaSet
// ---------------------------------------------------------------------------

/// The `kubectl get nodes` header.
pub const NODES_HEADER: [&str; 5] = ["NAME", "STATUS", "ROLES", "AGE", "VERSION"];

/// A `kubectl get nodes` row (`printNode`): ROLES from the
/// `node-role.kubernetes.io/ROLE` labels, `<none>` without any.
pub fn node_row(n: &crate::core::engine::NodeSnapshot, now: Millis) -> Vec<String> {
    let roles: Vec<&str> =
        n.labels.keys().filter_map(|k| k.strip_prefix("node-role.kubernetes.io/")).filter(|r| !r.is_empty()).collect();
    vec![
        n.name.clone(),
        n.status_column(),
        if roles.is_empty() { "<none>".to_string() } else { roles.join(",") },
        since(n.creation_ms, now),
        crate::core::engine::KUBELET_VERSION.to_string(),
    ]
}

/// The `kubectl get daemonsets` header.
pub const DAEMONSETS_HEADER: [&str; 8] =
    ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"];

/// A `kubectl get daemonsets` row (`printDaemonSet`): UP-TO-DATE is
/// `updatedNumberScheduled`, AVAILABLE `numberAvailable`; NODE SELECTOR is
/// the template's nodeSelector as `k=v,…`, `<none>` when empty.
pub fn daemonset_row(d: &crate::core::engine::DaemonSetSnapshot, now: Millis) -> Vec<String> {
    let sel = &d.daemon_set.template.spec.node_selector;
    let s = &d.status;
    vec![
        d.daemon_set.metadata.name.clone(),
        s.desired.to_string(),
        s.current.to_string(),
        s.ready.to_string(),
        s.updated.to_string(),
        s.available.to_string(),
        if sel.is_empty() {
            "<none>".to_string()
        } else {
            sel.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
        },
        since(d.server.creation_ms, now),
    ]
}

/// The `kubectl get deployments` header.
pub const DEPLOYMENTS_HEADER: [&str; 5] = ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"];
/// The extra `-o wide` columns of Deployments and ReplicaSets.
pub const CONTROLLERS_WIDE_HEADER: [&str; 3] = ["CONTAINERS", "IMAGES", "SELECTOR"];

/// `layoutContainerCells`: container names and images, comma-separated.
fn container_cells(spec: &crate::core::api::PodSpec) -> [String; 2] {
    let names: Vec<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = spec.containers.iter().map(|c| c.image.as_str()).collect();
    [names.join(","), images.join(",")]
}

/// One `kubectl get deployments` row (`printDeployment`): READY is
/// readyReplicas/spec.replicas, UP-TO-DATE updatedReplicas, AVAILABLE
/// availableReplicas.
pub fn deployment_row(d: &DeploymentSnapshot, now: Millis, wide: bool) -> Vec<String> {
    let dep = &d.deployment;
    let mut row = vec![
        dep.metadata.name.clone(),
        format!("{}/{}", d.status.ready_replicas, dep.spec.replicas),
        d.status.updated_replicas.to_string(),
        d.status.available_replicas.to_string(),
        since(d.server.creation_ms, now),
    ];
    if wide {
        row.extend(container_cells(&dep.spec.template.spec));
        row.push(dep.spec.selector.to_text());
    }
    row
}

/// The `kubectl get replicasets` header.
pub const REPLICASETS_HEADER: [&str; 5] = ["NAME", "DESIRED", "CURRENT", "READY", "AGE"];

/// One `kubectl get replicasets` row (`printReplicaSet`).
pub fn replicaset_row(r: &ReplicaSetSnapshot, now: Millis, wide: bool) -> Vec<String> {
    let rs = &r.replica_set;
    let mut row = vec![
        rs.metadata.name.clone(),
        rs.spec.replicas.to_string(),
        r.status.replicas.to_string(),
        r.status.ready_replicas.to_string(),
        since(r.server.creation_ms, now),
    ];
    if wide {
        row.extend(container_cells(&rs.spec.template.spec));
        row.push(rs.spec.selector.to_text());
    }
    row
}

/// The `kubectl get jobs` header.
pub const JOBS_HEADER: [&str; 5] = ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"];

/// One `kubectl get jobs` row (`printJob`): STATUS from the conditions
/// (Complete, Failed, Terminating, Suspended, FailureTarget, else Running),
/// COMPLETIONS succeeded/completions (`N/1 of P` for a work queue),
/// DURATION from startTime to completionTime or now.
pub fn job_row(j: &JobSnapshot, now: Millis, wide: bool) -> Vec<String> {
    let job = &j.job;
    let st = &j.status;
    let completions = match job.spec.completions {
        Some(c) => format!("{}/{c}", st.succeeded),
        None if job.spec.parallelism > 1 => format!("{}/1 of {}", st.succeeded, job.spec.parallelism),
        None => format!("{}/1", st.succeeded),
    };
    let duration = match (st.start_ms, st.completion_ms) {
        (None, _) => String::new(),
        (Some(s), None) => human_duration(now.saturating_sub(s - s % 1000)),
        (Some(s), Some(c)) => human_duration((c - c % 1000).saturating_sub(s - s % 1000)),
    };
    let status = if st.condition("Complete").is_some() {
        "Complete"
    } else if st.condition("Failed").is_some() {
        "Failed"
    } else if j.server.deletion_ms.is_some() {
        "Terminating"
    } else if st.condition("FailureTarget").is_some() {
        "FailureTarget"
    } else {
        "Running"
    };
    let mut row =
        vec![job.metadata.name.clone(), status.to_string(), completions, duration, since(j.server.creation_ms, now)];
    if wide {
        row.extend(container_cells(&job.spec.template.spec));
        row.push(job.spec.selector.to_text());
    }
    row
}

/// The `kubectl get cronjobs` header.
pub const CRONJOBS_HEADER: [&str; 7] = ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"];

/// One `kubectl get cronjobs` row (`printCronJob`): the schedule as
/// written, `<none>` for no time zone or no schedule yet; `-o wide` adds the
/// Job template's containers, images and selector (never set: `<none>`).
pub fn cronjob_row(c: &CronJobSnapshot, now: Millis, wide: bool) -> Vec<String> {
    let cj = &c.cron_job;
    let mut row = vec![
        cj.metadata.name.clone(),
        cj.spec.schedule.clone(),
        cj.spec.time_zone.clone().unwrap_or_else(|| "<none>".into()),
        if cj.spec.suspend { "True" } else { "False" }.to_string(),
        c.status.active.len().to_string(),
        c.status.last_schedule_ms.map_or_else(|| "<none>".into(), |t| since(t, now)),
        since(c.server.creation_ms, now),
    ];
    if wide {
        row.extend(container_cells(&cj.spec.job_spec.template.spec));
        row.push("<none>".into());
    }
    row
}

/// The `kubectl get statefulsets` header.
pub const STATEFULSETS_HEADER: [&str; 3] = ["NAME", "READY", "AGE"];
/// The extra `-o wide` columns of StatefulSets (no selector).
pub const STATEFULSETS_WIDE_HEADER: [&str; 2] = ["CONTAINERS", "IMAGES"];

/// One `kubectl get statefulsets` row (`printStatefulSet`).
pub fn statefulset_row(s: &StatefulSetSnapshot, now: Millis, wide: bool) -> Vec<String> {
    let set = &s.stateful_set;
    let mut row = vec![
        set.metadata.name.clone(),
        format!("{}/{}", s.status.ready_replicas, set.spec.replicas),
        since(s.server.creation_ms, now),
    ];
    if wide {
        row.extend(container_cells(&set.spec.template.spec));
    }
    row
}

/// The `kubectl get pvc` header.
pub const PVCS_HEADER: [&str; 8] =
    ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"];

/// `GetAccessModesAsString`: RWO, ROX, RWX, RWOP, comma-separated.
fn access_modes_text(modes: &[String]) -> String {
    let order =
        [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")];
    let short: Vec<&str> = order.iter().filter(|(long, _)| modes.iter().any(|m| m == long)).map(|(_, s)| *s).collect();
    short.join(",")
}

/// One `kubectl get pvc` row (`printPersistentVolumeClaim`): CAPACITY and
/// ACCESS MODES are the bound volume's (`status`), empty until then.
pub fn pvc_row(c: &PersistentVolumeClaimSnapshot, now: Millis, wide: bool) -> Vec<String> {
    let bound = !c.volume_name.is_empty();
    let mut row = vec![
        c.name.clone(),
        c.phase.to_string(),
        c.volume_name.clone(),
        if bound { c.capacity.clone() } else { String::new() },
        if bound { access_modes_text(&c.bound_access_modes) } else { String::new() },
        c.storage_class_name.clone(),
        "<unset>".to_string(),
        since(c.server.creation_ms, now),
    ];
    if wide {
        row.push("Filesystem".to_string());
    }
    row
}

/// The `kubectl get pv` header (`printPersistentVolume`'s columns).
pub const PVS_HEADER: [&str; 10] = [
    "NAME",
    "CAPACITY",
    "ACCESS MODES",
    "RECLAIM POLICY",
    "STATUS",
    "CLAIM",
    "STORAGECLASS",
    "VOLUMEATTRIBUTESCLASS",
    "REASON",
    "AGE",
];

/// One `kubectl get pv` row (`printPersistentVolume`,
/// pkg/printers/internalversion/printers.go): the claim as
/// `namespace/name`, an empty REASON; `-o wide` adds VOLUMEMODE.
pub fn pv_row(v: &crate::core::status::PersistentVolumeSnapshot, now: Millis, wide: bool) -> Vec<String> {
    let spec = &v.volume.spec;
    let claim = v.claim.as_ref().map_or(String::new(), |c| format!("{}/{}", c.namespace, c.name));
    let mut row = vec![
        v.volume.metadata.name.clone(),
        spec.storage.clone(),
        access_modes_text(&spec.access_modes),
        spec.reclaim_policy.clone(),
        v.phase.to_string(),
        claim,
        spec.storage_class_name.clone(),
        "<unset>".to_string(),
        String::new(),
        since(v.server.creation_ms, now),
    ];
    if wide {
        row.push("Filesystem".to_string());
    }
    row
}

/// The `kubectl get storageclass` header (`printStorageClass`'s columns).
pub const STORAGECLASSES_HEADER: [&str; 6] =
    ["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"];

/// One `kubectl get storageclass` row (`printStorageClass`): the default
/// class's name followed by ` (default)`, `false` when
/// allowVolumeExpansion is unset.
pub fn storageclass_row(c: &crate::core::status::StorageClassSnapshot, now: Millis) -> Vec<String> {
    let sc = &c.class;
    let mut name = sc.metadata.name.clone();
    if sc.is_default() {
        name.push_str(" (default)");
    }
    vec![
        name,
        sc.provisioner.clone(),
        sc.reclaim_policy.clone(),
        sc.volume_binding_mode.clone(),
        sc.allow_volume_expansion.unwrap_or(false).to_string(),
        since(c.server.creation_ms, now),
    ]
}

// ---------------------------------------------------------------------------
// printConfigMap, printSecret, printNamespace, printPriorityClass
// (pkg/printers/internalversion/printers.go, Kubernetes 1.34)
// ---------------------------------------------------------------------------

/// The `kubectl get configmaps` header.
pub const CONFIGMAPS_HEADER: [&str; 3] = ["NAME", "DATA", "AGE"];

/// One `kubectl get configmaps` row (`printConfigMap`): DATA counts the
/// keys of `data` and `binaryData` (podplay keeps `data` only).
pub fn configmap_row(c: &crate::core::status::ConfigMapSnapshot, now: Millis) -> Vec<String> {
    let cm = &c.config_map;
    vec![cm.metadata.name.clone(), cm.data.len().to_string(), since(c.server.creation_ms, now)]
}

/// The `kubectl get secrets` header.
pub const SECRETS_HEADER: [&str; 4] = ["NAME", "TYPE", "DATA", "AGE"];

/// One `kubectl get secrets` row (`printSecret`): DATA counts the keys of
/// `data`, `stringData` merged in as the API server stores it.
pub fn secret_row(s: &crate::core::status::SecretSnapshot, now: Millis) -> Vec<String> {
    let secret = &s.secret;
    vec![
        secret.metadata.name.clone(),
        secret.type_.clone(),
        secret.data.len().to_string(),
        since(s.server.creation_ms, now),
    ]
}

/// The `kubectl get namespaces` header.
pub const NAMESPACES_HEADER: [&str; 3] = ["NAME", "STATUS", "AGE"];

/// One `kubectl get namespaces` row (`printNamespace`): STATUS is `status.phase`.
pub fn namespace_row(n: &crate::core::status::NamespaceSnapshot, now: Millis) -> Vec<String> {
    vec![n.namespace.metadata.name.clone(), n.phase().to_string(), since(n.server.creation_ms, now)]
}

/// The `kubectl get priorityclasses` header.
pub const PRIORITYCLASSES_HEADER: [&str; 5] = ["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"];

/// One `kubectl get priorityclasses` row (`printPriorityClass`).
pub fn priorityclass_row(p: &crate::core::status::PriorityClassSnapshot, now: Millis) -> Vec<String> {
    let pc = &p.class;
    vec![
        pc.metadata.name.clone(),
        pc.value.to_string(),
        pc.global_default.to_string(),
        since(p.server.creation_ms, now),
        pc.preemption_policy.clone(),
    ]
}

/// The `kubectl get pdb` header.
pub const PDBS_HEADER: [&str; 5] = ["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"];

/// One `kubectl get pdb` row (`printPodDisruptionBudget`): a budget that is
/// not set prints `N/A`; `-o wide` adds nothing.
pub fn pdb_row(p: &PodDisruptionBudgetSnapshot, now: Millis) -> Vec<String> {
    let budget = |x: Option<crate::core::api::IntOrPercent>| x.map_or_else(|| "N/A".to_string(), |x| x.to_text());
    vec![
        p.pdb.metadata.name.clone(),
        budget(p.pdb.spec.min_available),
        budget(p.pdb.spec.max_unavailable),
        p.status.disruptions_allowed.to_string(),
        since(p.server.creation_ms, now),
    ]
}

/// The `kubectl get services` header, and the column `-o wide` adds.
pub const SERVICES_HEADER: [&str; 6] = ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"];
pub const SERVICES_WIDE_HEADER: [&str; 1] = ["SELECTOR"];

/// One `kubectl get services` row (`printService`, with `getServiceExternalIP`
/// and `makePortString`): CLUSTER-IP is `None` for a headless Service,
/// EXTERNAL-IP `<none>` (`<pending>` for a LoadBalancer without an
/// ingress: podplay has no cloud to give one), PORT(S) `80/TCP,443/TCP` or
/// `<none>`; `-o wide` adds the selector.
pub fn service_row(s: &crate::core::status::ServiceSnapshot, now: Millis, wide: bool) -> Vec<String> {
    let spec = &s.service.spec;
    let ports: Vec<String> = spec.ports.iter().map(|p| format!("{}/{}", p.port, p.protocol)).collect();
    let mut row = vec![
        s.service.metadata.name.clone(),
        spec.type_.clone(),
        s.cluster_ip.map_or_else(|| "None".to_string(), |ip| ip.to_string()),
        if spec.type_ == "LoadBalancer" { "<pending>" } else { "<none>" }.to_string(),
        if ports.is_empty() { "<none>".to_string() } else { ports.join(",") },
        since(s.server.creation_ms, now),
    ];
    if wide {
        let selector: Vec<String> = spec.selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
        row.push(if selector.is_empty() { "<none>".to_string() } else { selector.join(",") });
    }
    row
}

// ---------------------------------------------------------------------------
// printPod
// ---------------------------------------------------------------------------

/// The cells `printPod` derives from a Pod's status.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PodColumns {
    ready: usize,
    total: usize,
    reason: String,
    restarts: i64,
    last_restart: Option<Millis>,
}

fn is_restartable_init(p: &PodSnapshot, name: &str) -> bool {
    p.pod
        .spec
        .init_containers
        .iter()
        .find(|c| c.name == name)
        .is_some_and(|c| c.restart_policy == Some(RestartPolicy::Always))
}

fn last_terminated_finish(c: &ContainerStatus) -> Option<Millis> {
    match &c.last_state {
        // metav1.Time has second precision.
        Some(ContainerState::Terminated(t)) => Some(t.finished_at_ms - t.finished_at_ms % 1000),
        _ => None,
    }
}

/// A line-by-line port of `printPod` in
/// kubernetes/kubernetes `pkg/printers/internalversion/printers.go`.
fn print_pod(p: &PodSnapshot) -> PodColumns {
    let status = &p.status;
    let spec = &p.pod.spec;
    let mut restarts: i64 = 0;
    let mut restartable_init_restarts: i64 = 0;
    let mut total = spec.containers.len();
    let mut ready = 0usize;
    let mut last_restart: Option<Millis> = None;
    let mut last_restartable_init_restart: Option<Millis> = None;

    let mut reason = status.phase.as_str().to_string();
    if let Some(r) = status.reason.as_deref().filter(|r| !r.is_empty()) {
        reason = r.to_string();
    }
    // {type: PodScheduled, reason: SchedulingGated} → SchedulingGated.
    for c in &status.conditions {
        if c.type_ == ConditionType::PodScheduled && c.reason.as_deref() == Some("SchedulingGated") {
            reason = "SchedulingGated".to_string();
        }
    }

    total += spec.init_containers.iter().filter(|c| c.restart_policy == Some(RestartPolicy::Always)).count();

    let mut initializing = false;
    for (i, c) in status.init_container_statuses.iter().enumerate() {
        restarts += i64::from(c.restart_count);
        let finished = last_terminated_finish(c);
        if finished > last_restart {
            last_restart = finished;
        }
        let restartable = is_restartable_init(p, &c.name);
        if restartable {
            restartable_init_restarts += i64::from(c.restart_count);
            if finished > last_restartable_init_restart {
                last_restartable_init_restart = finished;
            }
        }
        match &c.state {
            ContainerState::Terminated(t) if t.exit_code == 0 => continue,
            _ if restartable && c.started == Some(true) => {
                if c.ready {
                    ready += 1;
                }
                continue;
            }
            ContainerState::Terminated(t) => {
                // Initialization failed.
                reason = if t.reason.is_empty() {
                    match t.signal.filter(|s| *s != 0) {
                        Some(s) => format!("Init:Signal:{s}"),
                        None => format!("Init:ExitCode:{}", t.exit_code),
                    }
                } else {
                    format!("Init:{}", t.reason)
                };
                initializing = true;
            }
            ContainerState::Waiting(w) if !w.reason.is_empty() && w.reason != "PodInitializing" => {
                reason = format!("Init:{}", w.reason);
                initializing = true;
            }
            _ => {
                reason = format!("Init:{}/{}", i, spec.init_containers.len());
                initializing = true;
            }
        }
        break;
    }

    let initialized = status.condition(ConditionType::Initialized).is_some_and(|c| c.status);
    if !initializing || initialized {
        restarts = restartable_init_restarts;
        last_restart = last_restartable_init_restart;
        let mut has_running = false;
        for c in status.container_statuses.iter().rev() {
            restarts += i64::from(c.restart_count);
            let finished = last_terminated_finish(c);
            if finished > last_restart {
                last_restart = finished;
            }
            match &c.state {
                ContainerState::Waiting(w) if !w.reason.is_empty() => reason = w.reason.clone(),
                ContainerState::Terminated(t) if !t.reason.is_empty() => reason = t.reason.clone(),
                ContainerState::Terminated(t) => {
                    reason = match t.signal.filter(|s| *s != 0) {
                        Some(s) => format!("Signal:{s}"),
                        None => format!("ExitCode:{}", t.exit_code),
                    }
                }
                ContainerState::Running { .. } if c.ready => {
                    has_running = true;
                    ready += 1;
                }
                _ => {}
            }
        }
        // Back to "Running" if at least one container still reports Running.
        if reason == "Completed" && has_running {
            reason = if status.is_ready() { "Running".to_string() } else { "NotReady".to_string() };
        }
    }

    if p.server.deletion_ms.is_some() && status.reason.as_deref() == Some("NodeLost") {
        reason = "Unknown".to_string();
    } else if p.server.deletion_ms.is_some() && !matches!(status.phase, PodPhase::Succeeded | PodPhase::Failed) {
        reason = "Terminating".to_string();
    }

    PodColumns { ready, total, reason, restarts, last_restart }
}

/// The STATUS column of `kubectl get pods`, exactly as `printPod` derives it.
pub fn pod_status_column(p: &PodSnapshot) -> String {
    print_pod(p).reason
}

/// The READY column (`ready/total`), counting native sidecars (restartable
/// init containers) as kubectl does.
pub fn pod_ready_column(p: &PodSnapshot) -> String {
    let c = print_pod(p);
    format!("{}/{}", c.ready, c.total)
}

/// The RESTARTS column: `0`, or `3 (5s ago)` from the latest
/// `lastState.terminated.finishedAt` among the counted containers.
pub fn pod_restarts_column(p: &PodSnapshot, now: Millis) -> String {
    let c = print_pod(p);
    match c.last_restart {
        Some(t) if c.restarts != 0 => format!("{} ({} ago)", c.restarts, since(t, now)),
        _ => c.restarts.to_string(),
    }
}

/// The `kubectl get pods` header.
pub const PODS_HEADER: [&str; 5] = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"];
/// The extra `kubectl get pods -o wide` header columns.
pub const PODS_WIDE_HEADER: [&str; 4] = ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"];

/// One `kubectl get pods` row (with the `-o wide` cells when `wide`).
pub fn pod_row(p: &PodSnapshot, now: Millis, wide: bool) -> Vec<String> {
    let c = print_pod(p);
    let restarts = match c.last_restart {
        Some(t) if c.restarts != 0 => format!("{} ({} ago)", c.restarts, since(t, now)),
        _ => c.restarts.to_string(),
    };
    let mut row =
        vec![p.pod.metadata.name.clone(), format!("{}/{}", c.ready, c.total), c.reason, restarts, pod_age(p, now)];
    if wide {
        let ip = p.status.pod_ip.map_or_else(|| "<none>".to_string(), |ip| ip.to_string());
        let node = p
            .node_name
            .clone()
            .or_else(|| p.pod.spec.node_name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "<none>".to_string());
        // podplay models neither nominatedNodeName nor readiness gates.
        row.extend([ip, node, "<none>".to_string(), "<none>".to_string()]);
    }
    row
}

// ---------------------------------------------------------------------------
// Tab writers
// ---------------------------------------------------------------------------

/// A port of Go's `text/tabwriter` (no flags, space padding), plus the
/// `RememberWidths` flag of `github.com/liggitt/tabwriter` that kubectl uses so
/// that columns never shrink across flushes (as in `kubectl get -w`).
///
/// Text is written with `\t` terminating cells and `\n` ending lines; the last
/// cell of a line is not part of any column and is never padded.
#[derive(Clone, Debug)]
pub struct TabWriter {
    minwidth: usize,
    padding: usize,
    remember_widths: bool,
    max_widths: Vec<usize>,
    buf: String,
}

impl TabWriter {
    /// A writer with Go's `tabwriter.NewWriter(out, minwidth, _, padding, ' ', flags)` settings.
    pub fn new(minwidth: usize, padding: usize, remember_widths: bool) -> Self {
        TabWriter { minwidth, padding, remember_widths, max_widths: Vec::new(), buf: String::new() }
    }

    /// kubectl's table writer (`printers.GetNewTabWriter`): minwidth 6, padding 3, RememberWidths.
    pub fn kubectl_get() -> Self {
        TabWriter::new(6, 3, true)
    }

    /// `kubectl describe`'s writer (`tabbedString`): minwidth 0, padding 2.
    pub fn kubectl_describe() -> Self {
        TabWriter::new(0, 2, false)
    }

    /// Buffers text.
    pub fn write(&mut self, text: &str) {
        self.buf.push_str(text);
    }

    /// Aligns and returns everything buffered since the last flush.
    pub fn flush(&mut self) -> String {
        let text = std::mem::take(&mut self.buf);
        let mut lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
        // A trailing newline leaves one empty, cell-less line behind: not a line.
        let trailing_newline = text.ends_with('\n');
        if trailing_newline || text.is_empty() {
            lines.pop();
        }
        let mut out = String::new();
        let mut widths = Vec::new();
        self.format(&mut out, &mut widths, &lines, 0, lines.len());
        if !trailing_newline && !out.is_empty() {
            out.pop();
        }
        out
    }

    /// `(*Writer).format` from `text/tabwriter`: finds column blocks
    /// recursively, left to right.
    fn format(
        &mut self,
        out: &mut String,
        widths: &mut Vec<usize>,
        lines: &[Vec<&str>],
        mut line0: usize,
        line1: usize,
    ) {
        let column = widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= lines[this].len() {
                this += 1;
                continue;
            }
            // A cell exists in this column: print the lines before the block.
            Self::write_lines(out, widths, &lines[line0..this]);
            line0 = this;
            let mut width = self.minwidth;
            while this < line1 && column + 1 < lines[this].len() {
                width = width.max(lines[this][column].chars().count() + self.padding);
                this += 1;
            }
            if self.remember_widths {
                if self.max_widths.len() <= column {
                    self.max_widths.resize(column + 1, 0);
                }
                width = width.max(self.max_widths[column]);
                self.max_widths[column] = width;
            }
            widths.push(width);
            self.format(out, widths, lines, line0, this);
            widths.pop();
            line0 = this;
        }
        Self::write_lines(out, widths, &lines[line0..line1]);
    }

    fn write_lines(out: &mut String, widths: &[usize], lines: &[Vec<&str>]) {
        for line in lines {
            for (j, cell) in line.iter().enumerate() {
                out.push_str(cell);
                if j + 1 < line.len() {
                    if let Some(w) = widths.get(j) {
                        let n = w.saturating_sub(cell.chars().count());
                        out.extend(std::iter::repeat_n(' ', n));
                    }
                }
            }
            out.push('\n');
        }
    }
}

fn table_text(header: Option<&[&str]>, rows: &[Vec<String>]) -> String {
    let mut text = String::new();
    if let Some(h) = header {
        text.push_str(&h.join("\t"));
        text.push('\n');
    }
    for row in rows {
        // printers/tableprinter.go cuts a cell at its first newline.
        let cells: Vec<&str> = row.iter().map(|c| c.split(['\n', '\r', '\x0c']).next().unwrap_or("")).collect();
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    text
}

/// A header and rows aligned as kubectl's table printer aligns them
/// (`tabwriter.NewWriter(out, 6, 4, 3, ' ', RememberWidths)`): every column
/// but the last padded to its widest cell plus 3 spaces, and at least 6 wide.
pub fn format_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = TabWriter::kubectl_get();
    w.write(&table_text(Some(header), rows));
    w.flush()
}

/// `kubectl get pods [-o wide] [-w]`. Each [`GetPodsPrinter::print`] call is
/// one flush of kubectl's writer: the header comes with the first, and column
/// widths are remembered across calls, so a `-w` stream aligns like kubectl's.
#[derive(Clone, Debug)]
pub struct GetPodsPrinter {
    /// `-o wide`.
    pub wide: bool,
    /// `--no-headers`.
    pub no_headers: bool,
    writer: TabWriter,
    header_printed: bool,
}

impl GetPodsPrinter {
    /// A printer that has printed nothing yet.
    pub fn new(wide: bool) -> Self {
        GetPodsPrinter { wide, no_headers: false, writer: TabWriter::kubectl_get(), header_printed: false }
    }

    /// The header cells for this printer.
    pub fn header(&self) -> Vec<&'static str> {
        let mut h = PODS_HEADER.to_vec();
        if self.wide {
            h.extend(PODS_WIDE_HEADER);
        }
        h
    }

    /// Prints pods (the header first, once), aligned with everything printed before.
    pub fn print(&mut self, pods: &[PodSnapshot], now: Millis) -> String {
        let rows: Vec<Vec<String>> = pods.iter().map(|p| pod_row(p, now, self.wide)).collect();
        let header = self.header();
        let show_header = !self.no_headers && !self.header_printed;
        self.header_printed = true;
        self.writer.write(&table_text(show_header.then_some(&header[..]), &rows));
        self.writer.flush()
    }
}

// ---------------------------------------------------------------------------
// kubectl events
// ---------------------------------------------------------------------------

/// The `kubectl events` header.
pub const EVENTS_HEADER: [&str; 5] = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"];

/// `getInterval` (event_printer.go, and `DescribeEvents`): `5s`, or
/// `5s (x3 over 30s)` for a repeated event.
pub fn event_interval(e: &Event, now: Millis) -> String {
    let first = since(e.first_ms, now);
    if e.count > 1 {
        format!("{} (x{} over {})", since(e.last_ms, now), e.count, first)
    } else {
        first
    }
}

/// Events in kubectl's order: by last timestamp (second precision), stable.
fn sorted_events<'a>(events: impl Iterator<Item = &'a Event>) -> Vec<&'a Event> {
    let mut v: Vec<&Event> = events.collect();
    crate::core::sort::sort_by_key(&mut v, |e| e.last_ms / 1000);
    v
}

/// `kubectl events` rows (header [`EVENTS_HEADER`]), sorted by last timestamp.
/// OBJECT is `Kind/name` with the kind as the API spells it (`Pod/web`), as
/// `printOneEvent` writes it (`kubectl get events` would write `pod/web`).
pub fn events_rows(events: &[Event], now: Millis) -> Vec<Vec<String>> {
    sorted_events(events.iter()).into_iter().map(|e| event_row(e, now)).collect()
}

/// `kubectl events -A`: the same rows with the event's NAMESPACE first
/// (`event_printer.go` with `AllNamespaces`; a Node's events are in `default`).
pub fn events_rows_all_namespaces(events: &[Event], now: Millis) -> Vec<Vec<String>> {
    sorted_events(events.iter())
        .into_iter()
        .map(|e| {
            let ns = if e.involved.namespace.is_empty() { "default" } else { e.involved.namespace.as_str() };
            let mut row = vec![ns.to_string()];
            row.extend(event_row(e, now));
            row
        })
        .collect()
}

fn event_row(e: &Event, now: Millis) -> Vec<String> {
    vec![
        event_interval(e, now),
        e.type_.as_str().to_string(),
        e.reason.clone(),
        format!("{}/{}", e.involved.kind, e.involved.name),
        e.message.trim().to_string(),
    ]
}

// ---------------------------------------------------------------------------
// kubectl describe pod
// ---------------------------------------------------------------------------

/// describe.go's `PrefixWriter`: two spaces per level, into a tab writer.
struct PrefixWriter {
    tw: TabWriter,
    out: String,
}

impl PrefixWriter {
    fn new() -> Self {
        PrefixWriter { tw: TabWriter::kubectl_describe(), out: String::new() }
    }
    fn write(&mut self, level: usize, text: &str) {
        self.tw.write(&"  ".repeat(level));
        self.tw.write(text);
    }
    /// `w.Flush()`: flushes the tab writer, so later columns align on their own.
    fn flush(&mut self) {
        let s = self.tw.flush();
        self.out.push_str(&s);
    }
    fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

fn print_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// `printLabelsMultiline`.
fn labels_multiline(w: &mut PrefixWriter, title: &str, labels: &std::collections::BTreeMap<String, String>) {
    w.write(0, &format!("{title}:\t"));
    if labels.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        w.write(0, &format!("{k}={v}\n"));
    }
}

/// `printAnnotationsMultiline` (skipping `kubectl.kubernetes.io/last-applied-configuration`).
fn annotations_multiline(w: &mut PrefixWriter, title: &str, annotations: &std::collections::BTreeMap<String, String>) {
    const MAX_ANNOTATION_LEN: usize = 140;
    w.write(0, &format!("{title}:\t"));
    let keys: Vec<&String> =
        annotations.keys().filter(|k| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration").collect();
    if keys.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    for (i, key) in keys.into_iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let raw = annotations.get(key).map(String::as_str).unwrap_or("");
        let value = raw.strip_suffix('\n').unwrap_or(raw);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.write(0, &format!("{key}:\n"));
            for s in value.split('\n') {
                let short = if s.len() > MAX_ANNOTATION_LEN - 2 {
                    let mut cut = MAX_ANNOTATION_LEN - 2;
                    while !s.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    format!("{}...", &s[..cut])
                } else {
                    s.to_string()
                };
                w.write(0, &format!("\t  {short}\n"));
            }
        } else {
            w.write(0, &format!("{key}: {value}\n"));
        }
    }
}

fn port_string(port: &PortRef) -> String {
    match port {
        PortRef::Number(n) => n.to_string(),
        PortRef::Name(s) => s.clone(),
    }
}

/// Go's `net.JoinHostPort`.
fn join_host_port(host: &str, port: &str) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// `DescribeProbe` (describe.go), e.g.
/// `http-get http://:8080/healthz delay=3s timeout=1s period=10s #success=1 #failure=3`.
pub fn describe_probe(probe: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        probe.initial_delay_seconds,
        probe.timeout_seconds,
        probe.period_seconds,
        probe.success_threshold,
        probe.failure_threshold
    );
    match &probe.handler {
        Handler::Exec { command } => format!("exec [{}] {attrs}", command.join(" ")),
        Handler::HttpGet { path, port, host, scheme, .. } => {
            // url.URL{Scheme, Host: JoinHostPort(host, port), Path}.String()
            let host = join_host_port(host.as_deref().unwrap_or(""), &port_string(port));
            let slash = if !path.is_empty() && !path.starts_with('/') { "/" } else { "" };
            format!(
                "http-get {}://{host}{slash}{path} {attrs}",
                scheme.to_ascii_lowercase() // validated: HTTP or HTTPS
            )
        }
        Handler::TcpSocket { port, host } => {
            format!("tcp-socket {}:{} {attrs}", host.as_deref().unwrap_or(""), port_string(port))
        }
        Handler::Grpc { port, service } => {
            format!("grpc <pod>:{port} {} {attrs}", service.as_deref().unwrap_or(""))
        }
        Handler::Sleep { .. } => format!("unknown {attrs}"),
    }
}

/// `describeStatus`.
fn describe_state(w: &mut PrefixWriter, name: &str, state: &ContainerState) {
    match state {
        ContainerState::Running { started_at_ms } => {
            w.write(2, &format!("{name}:\tRunning\n"));
            w.write(3, &format!("Started:\t{}\n", rfc1123z(*started_at_ms)));
        }
        ContainerState::Waiting(wt) => {
            w.write(2, &format!("{name}:\tWaiting\n"));
            if !wt.reason.is_empty() {
                w.write(3, &format!("Reason:\t{}\n", wt.reason));
            }
        }
        ContainerState::Terminated(t) => {
            w.write(2, &format!("{name}:\tTerminated\n"));
            if !t.reason.is_empty() {
                w.write(3, &format!("Reason:\t{}\n", t.reason));
            }
            if let Some(m) = t.message.as_deref().filter(|m| !m.is_empty()) {
                w.write(3, &format!("Message:\t{m}\n"));
            }
            w.write(3, &format!("Exit Code:\t{}\n", t.exit_code));
            if let Some(s) = t.signal.filter(|s| *s > 0) {
                w.write(3, &format!("Signal:\t{s}\n"));
            }
            w.write(3, &format!("Started:\t{}\n", rfc1123z(t.started_at_ms)));
            w.write(3, &format!("Finished:\t{}\n", rfc1123z(t.finished_at_ms)));
        }
    }
}

/// `describeResources` at LEVEL_2.
fn describe_resources(w: &mut PrefixWriter, title: &str, list: &ResourceList) {
    if list.cpu_millis.is_none() && list.memory_bytes.is_none() {
        return;
    }
    w.write(2, &format!("{title}:\n"));
    if let Some(c) = list.cpu_millis {
        w.write(3, &format!("cpu:\t{}\n", format_cpu(c)));
    }
    if let Some(m) = list.memory_bytes {
        w.write(3, &format!("memory:\t{}\n", format_memory(m)));
    }
}

/// `describeContainers` for one list of containers.
fn describe_containers(
    w: &mut PrefixWriter,
    pod: &PodSnapshot,
    label: &str,
    containers: &[Container],
    statuses: &[ContainerStatus],
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.write(0, &format!("{label}:{none}\n"));
    for c in containers {
        let status = statuses.iter().find(|s| s.name == c.name);
        w.write(1, &format!("{}:\n", c.name));
        if let Some(s) = status {
            w.write(2, &format!("Container ID:\t{}\n", s.container_id));
        }
        w.write(2, &format!("Image:\t{}\n", c.image));
        if let Some(s) = status {
            w.write(2, &format!("Image ID:\t{}\n", s.image_id));
        }
        let ports: Vec<String> = c.ports.iter().map(|p| format!("{}/{}", p.container_port, p.protocol)).collect();
        let host_ports: Vec<String> = c.ports.iter().map(|p| format!("0/{}", p.protocol)).collect();
        match ports.len() {
            0 => w.write(2, "Port:\t<none>\n"),
            1 => w.write(2, &format!("Port:\t{}\n", ports[0])),
            _ => w.write(2, &format!("Ports:\t{}\n", ports.join(", "))),
        }
        match host_ports.len() {
            0 => w.write(2, "Host Port:\t<none>\n"),
            1 => w.write(2, &format!("Host Port:\t{}\n", host_ports[0])),
            _ => w.write(2, &format!("Host Ports:\t{}\n", host_ports.join(", "))),
        }
        for (title, items) in [("Command", &c.command), ("Args", &c.args)] {
            if !items.is_empty() {
                w.write(2, &format!("{title}:\n"));
                for item in items {
                    for line in item.split('\n') {
                        w.write(3, &format!("{line}\n"));
                    }
                }
            }
        }
        if let Some(s) = status {
            describe_state(w, "State", &s.state);
            if let Some(last @ ContainerState::Terminated(_)) = &s.last_state {
                describe_state(w, "Last State", last);
            }
            w.write(2, &format!("Ready:\t{}\n", print_bool(s.ready)));
            w.write(2, &format!("Restart Count:\t{}\n", s.restart_count));
        }
        describe_resources(w, "Limits", &c.resources.limits);
        describe_resources(w, "Requests", &c.resources.requests);
        for (title, probe) in
            [("Liveness", &c.liveness_probe), ("Readiness", &c.readiness_probe), ("Startup", &c.startup_probe)]
        {
            if let Some(p) = probe {
                w.write(2, &format!("{title}:\t{}\n", describe_probe(p)));
            }
        }
        // `describeContainerEnvFrom`, when there is any.
        if !c.env_from.is_empty() {
            w.write(2, "Environment Variables from:\n");
            for e in &c.env_from {
                let from = if e.config_map { "ConfigMap" } else { "Secret" };
                let prefixed = if e.prefix.is_empty() { String::new() } else { format!(" with prefix '{}'", e.prefix) };
                w.write(3, &format!("{}\t{from}{prefixed}\tOptional: {}\n", e.name, e.optional));
            }
        }
        let none = if c.env.is_empty() { "\t<none>" } else { "" };
        w.write(2, &format!("Environment:{none}\n"));
        for e in &c.env {
            // `describeContainerEnvVars` (pkg/describe/describe.go).
            if let Some(from) = &e.value_from {
                use crate::core::api::EnvVarSource as S;
                let line = match from {
                    S::Field { field_path } => {
                        format!("{}:\t{} (v1:{field_path})\n", e.name, pod_field_value(pod, field_path))
                    }
                    S::ResourceField { resource } => {
                        format!("{}:\t{} ({resource})\n", e.name, container_resource_value(c, resource))
                    }
                    S::SecretKey { name, key, optional } => {
                        format!("{}:\t<set to the key '{key}' in secret '{name}'>\tOptional: {optional}\n", e.name)
                    }
                    S::ConfigMapKey { name, key, optional } => {
                        format!("{}:\t<set to the key '{key}' of config map '{name}'>\tOptional: {optional}\n", e.name)
                    }
                };
                w.write(3, &line);
                continue;
            }
            let value = e.value.as_deref().unwrap_or("");
            for (i, line) in value.split('\n').enumerate() {
                if i == 0 {
                    w.write(3, &format!("{}:\t{line}\n", e.name));
                } else {
                    w.write(3, &format!("\t{line}\n"));
                }
            }
        }
        let none = if c.volume_mounts.is_empty() { "\t<none>" } else { "" };
        w.write(2, &format!("Mounts:{none}\n"));
        let mut mounts: Vec<_> = c.volume_mounts.iter().collect();
        crate::core::sort::sort_by(&mut mounts, |a, b| a.mount_path.cmp(&b.mount_path));
        for m in mounts {
            let mut flags = vec![if m.read_only { "ro".to_string() } else { "rw".to_string() }];
            if let Some(sp) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
                flags.push(format!("path={sp:?}"));
            }
            w.write(3, &format!("{} from {} ({})\n", m.mount_path, m.name, flags.join(",")));
        }
    }
}

/// `describeVolumes`.
/// A Pod field as `fieldpath.ExtractFieldPathAsString` reads it from the object.
fn pod_field_value(p: &PodSnapshot, field_path: &str) -> String {
    let meta = &p.pod.metadata;
    let subscript =
        |prefix: &str| field_path.strip_prefix(prefix)?.strip_prefix("['")?.strip_suffix("']").map(str::to_string);
    match field_path {
        "metadata.name" => meta.name.clone(),
        "metadata.namespace" => meta.namespace.clone(),
        "metadata.uid" => p.server.uid.clone(),
        "spec.nodeName" => p.node_name.clone().unwrap_or_default(),
        "spec.serviceAccountName" => p.pod.spec.service_account_name.clone(),
        "status.hostIP" | "status.hostIPs" => p.status.host_ip.map(|ip| ip.to_string()).unwrap_or_default(),
        "status.podIP" | "status.podIPs" => p.status.pod_ip.map(|ip| ip.to_string()).unwrap_or_default(),
        _ => match (subscript("metadata.labels"), subscript("metadata.annotations")) {
            (Some(k), _) => meta.labels.get(&k).cloned().unwrap_or_default(),
            (_, Some(k)) => meta.annotations.get(&k).cloned().unwrap_or_default(),
            _ => String::new(),
        },
    }
}

/// `ExtractContainerResourceValue` on the container alone (divisor 1:
/// CPU rounded up to cores, memory in bytes; unset is 0).
fn container_resource_value(c: &Container, resource: &str) -> String {
    let r = &c.resources;
    let cores = |m: Option<i64>| m.unwrap_or(0).max(0).saturating_add(999) / 1000;
    match resource {
        "limits.cpu" => cores(r.limits.cpu_millis).to_string(),
        "limits.memory" => r.limits.memory_bytes.unwrap_or(0).to_string(),
        "requests.cpu" => cores(r.requests.cpu_millis.or(r.limits.cpu_millis)).to_string(),
        "requests.memory" => r.requests.memory_bytes.or(r.limits.memory_bytes).unwrap_or(0).to_string(),
        _ => "0".to_string(),
    }
}

fn describe_volumes(w: &mut PrefixWriter, p: &PodSnapshot) {
    let volumes = &p.pod.spec.volumes;
    if volumes.is_empty() {
        w.write(0, "Volumes:\t<none>\n");
        return;
    }
    w.write(0, "Volumes:\n");
    for v in volumes {
        w.write(1, &format!("{}:\n", v.name));
        match &v.source {
            VolumeSource::HostPath { path, kind } => w.write(
                2,
                &format!("Type:\tHostPath (bare host directory volume)\n    Path:\t{path}\n    HostPathType:\t{kind}\n"),
            ),
            VolumeSource::EmptyDir => w.write(
                2,
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t\n    SizeLimit:\t<unset>\n",
            ),
            VolumeSource::Secret { secret_name, optional, .. } => w.write(
                2,
                &format!("Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{secret_name}\n    Optional:\t{optional}\n"),
            ),
            VolumeSource::ConfigMap { name, optional, .. } => w.write(
                2,
                &format!("Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{name}\n    Optional:\t{optional}\n"),
            ),
            VolumeSource::PersistentVolumeClaim { claim_name } => w.write(
                2,
                &format!(
                    "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{claim_name}\n    ReadOnly:\tfalse\n"
                ),
            ),
            VolumeSource::DownwardApi { items } => {
                // `printDownwardAPIVolumeSource`.
                w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
                for f in items {
                    let from = match &f.source {
                        crate::core::api::DownwardApiSource::Field { field_path } => field_path,
                        crate::core::api::DownwardApiSource::ResourceField { resource, .. } => resource,
                    };
                    w.write(3, &format!("{from} -> {}\n", f.path));
                }
            }
            VolumeSource::Projected { sources } => describe_projected(w, sources),
            VolumeSource::Other(_) => w.write(1, "<unknown>\n"),
        }
    }
}

/// `printProjectedVolumeSource`: one line per source; `optional` is a
/// pointer there, printed `<nil>` when unset.
fn describe_projected(w: &mut PrefixWriter, sources: &[crate::core::api::Projection]) {
    use crate::core::api::Projection;
    w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
    let opt = |o: &Option<bool>| o.map_or("<nil>".to_string(), |b| b.to_string());
    for s in sources {
        match s {
            Projection::Secret { name, optional, .. } => {
                w.write(2, &format!("SecretName:\t{name}\n    SecretOptionalName:\t{}\n", opt(optional)))
            }
            Projection::DownwardApi { .. } => w.write(2, "DownwardAPI:\ttrue\n"),
            Projection::ConfigMap { name, optional, .. } => {
                w.write(2, &format!("ConfigMapName:\t{name}\n    ConfigMapOptional:\t{}\n", opt(optional)))
            }
            Projection::ServiceAccountToken { expiration_seconds, .. } => {
                w.write(2, &format!("TokenExpirationSeconds:\t{expiration_seconds}\n"))
            }
            Projection::Other(_) => {}
        }
    }
}

/// Whether an event is about this Pod (kubectl searches by name, namespace and UID).
fn event_is_about(e: &Event, p: &PodSnapshot) -> bool {
    e.involved.kind == "Pod"
        && e.involved.name == p.pod.metadata.name
        && e.involved.namespace == p.pod.metadata.namespace
        && (e.involved.uid.is_empty() || p.server.uid.is_empty() || e.involved.uid == p.server.uid)
}

/// `DescribeEvents`.
fn describe_events(w: &mut PrefixWriter, events: &[&Event], now: Millis) {
    if events.is_empty() {
        w.write(0, "Events:\t<none>\n");
        return;
    }
    w.flush();
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(1, "----\t------\t----\t----\t-------\n");
    for e in sorted_events(events.iter().copied()) {
        w.write(
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}\n",
                e.type_.as_str(),
                e.reason,
                event_interval(e, now),
                e.source_component,
                e.message.trim()
            ),
        );
    }
}

/// `kubectl describe pod` (`describePod` in describe.go). `events` may hold
/// events about any object; those about this Pod are shown.
pub fn describe_pod(p: &PodSnapshot, events: &[Event], now: Millis) -> String {
    let meta = &p.pod.metadata;
    let spec = &p.pod.spec;
    let status = &p.status;
    let mut w = PrefixWriter::new();
    w.write(0, &format!("Name:\t{}\n", meta.name));
    w.write(0, &format!("Namespace:\t{}\n", meta.namespace));
    // The Priority admission plugin sets spec.priority (0 without a class).
    w.write(0, &format!("Priority:\t{}\n", spec.priority.unwrap_or(0)));
    if let Some(class) = &spec.priority_class_name {
        w.write(0, &format!("Priority Class Name:\t{class}\n"));
    }
    if !spec.service_account_name.is_empty() {
        w.write(0, &format!("Service Account:\t{}\n", spec.service_account_name));
    }
    match p.node_name.as_deref().or(spec.node_name.as_deref()).filter(|n| !n.is_empty()) {
        None => w.write(0, "Node:\t<none>\n"),
        Some(node) => {
            let host_ip = status.host_ip.map(|ip| ip.to_string()).unwrap_or_default();
            w.write(0, &format!("Node:\t{node}/{host_ip}\n"));
        }
    }
    if let Some(t) = status.start_time_ms {
        w.write(0, &format!("Start Time:\t{}\n", rfc1123z(t)));
    }
    labels_multiline(&mut w, "Labels", &meta.labels);
    annotations_multiline(&mut w, "Annotations", &meta.annotations);
    match p.server.deletion_ms {
        Some(d) if !matches!(status.phase, PodPhase::Failed | PodPhase::Succeeded) => {
            w.write(0, &format!("Status:\tTerminating (lasts {})\n", since(d, now)));
            let grace = p.server.deletion_grace_period_seconds.unwrap_or(spec.termination_grace_period_seconds);
            w.write(0, &format!("Termination Grace Period:\t{grace}s\n"));
        }
        _ => w.write(0, &format!("Status:\t{}\n", status.phase.as_str())),
    }
    if let Some(r) = status.reason.as_deref().filter(|r| !r.is_empty()) {
        w.write(0, &format!("Reason:\t{r}\n"));
    }
    if let Some(m) = status.message.as_deref().filter(|m| !m.is_empty()) {
        w.write(0, &format!("Message:\t{m}\n"));
    }
    let ip = status.pod_ip.map(|ip| ip.to_string()).unwrap_or_default();
    w.write(0, &format!("IP:\t{ip}\n"));
    match status.pod_ip {
        None => w.write(0, "IPs:\t<none>\n"),
        Some(ip) => {
            w.write(0, "IPs:\n");
            w.write(1, &format!("IP:\t{ip}\n"));
        }
    }
    // `printController`: the owner with `controller: true`.
    if let Some(owner) = p.controller() {
        w.write(0, &format!("Controlled By:\t{}/{}\n", owner.kind, owner.name));
    }
    if !spec.init_containers.is_empty() {
        describe_containers(&mut w, p, "Init Containers", &spec.init_containers, &status.init_container_statuses);
    }
    describe_containers(&mut w, p, "Containers", &spec.containers, &status.container_statuses);
    if !status.conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\n");
        for c in &status.conditions {
            w.write(1, &format!("{} \t{} \n", c.type_.as_str(), print_bool(c.status)));
        }
    }
    describe_volumes(&mut w, p);
    w.write(0, &format!("QoS Class:\t{}\n", status.qos_class));
    labels_multiline(&mut w, "Node-Selectors", &spec.node_selector);
    // The DefaultTolerationSeconds admission plugin's two tolerations, sorted by key.
    w.write(0, "Tolerations:\tnode.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n");
    w.write(0, "\tnode.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n");
    let mine: Vec<&Event> = events.iter().filter(|e| event_is_about(e, p)).collect();
    describe_events(&mut w, &mine, now);
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::api::{
        ContainerPort, EnvVar, Lifecycle, ObjectMeta, Pod, PodSpec, Pos, PullPolicy, Resources, Volume, VolumeMount,
    };
    use crate::core::status::{
        ConditionType as CT, EventType, ObjectRef, PodCondition, PodStatus, ServerMeta, Terminated,
    };
    use std::sync::Arc;

    pub(crate) fn container(name: &str) -> Container {
        Container {
            name: name.to_string(),
            image: "nginx:1.27".to_string(),
            image_pull_policy: PullPolicy::IfNotPresent,
            command: vec![],
            args: vec![],
            working_dir: None,
            env_from: vec![],
            ports: vec![],
            env: vec![],
            resources: Resources::default(),
            volume_mounts: vec![],
            liveness_probe: None,
            readiness_probe: None,
            startup_probe: None,
            lifecycle: Lifecycle::default(),
            restart_policy: None,
            termination_message_path: "/dev/termination-log".to_string(),
            termination_message_policy: "File".to_string(),
            pos: Pos::default(),
        }
    }

    fn sidecar(name: &str) -> Container {
        Container { restart_policy: Some(RestartPolicy::Always), ..container(name) }
    }

    /// A Pod named `web` created at t=0 with the given containers, Pending, no statuses.
    pub(crate) fn snapshot(inits: Vec<Container>, containers: Vec<Container>) -> PodSnapshot {
        let pod = Pod {
            metadata: ObjectMeta { name: "web".to_string(), namespace: "default".to_string(), ..ObjectMeta::default() },
            spec: PodSpec {
                init_containers: inits,
                containers,
                restart_policy: RestartPolicy::Always,
                termination_grace_period_seconds: 30,
                active_deadline_seconds: None,
                volumes: vec![],
                node_name: None,
                host_network: false,
                node_selector: Default::default(),
                hostname: None,
                subdomain: None,
                scheduler_name: "default-scheduler".to_string(),
                dns_policy: "ClusterFirst".to_string(),
                service_account_name: "default".to_string(),
                tolerations: Vec::new(),
                required_node_affinity: Vec::new(),
                scheduling_gates: Vec::new(),
                host_aliases: Vec::new(),
                priority_class_name: None,
                priority: None,
                preemption_policy: None,
                topology_spread_constraints: Vec::new(),
            },
        };
        PodSnapshot {
            pod: Arc::new(pod),
            server: ServerMeta {
                uid: "0b1c2d3e-0000-4000-8000-000000000001".to_string(),
                creation_ms: 0,
                resource_version: 1,
                deletion_ms: None,
                deletion_grace_period_seconds: None,
            },
            node_name: None,
            status: PodStatus {
                phase: PodPhase::Pending,
                conditions: vec![],
                host_ip: None,
                pod_ip: None,
                start_time_ms: None,
                init_container_statuses: vec![],
                container_statuses: vec![],
                qos_class: "BestEffort",
                reason: None,
                message: None,
            },
        }
    }

    pub(crate) fn cs(name: &str, state: ContainerState) -> ContainerStatus {
        let ready = state.is_running();
        ContainerStatus {
            name: name.to_string(),
            image: "docker.io/library/nginx:1.27".to_string(),
            image_id: String::new(),
            container_id: String::new(),
            started: Some(ready),
            state,
            last_state: None,
            ready,
            restart_count: 0,
        }
    }

    pub(crate) fn running(at: Millis) -> ContainerState {
        ContainerState::Running { started_at_ms: at }
    }

    pub(crate) fn terminated(code: i32, reason: &str, start: Millis, end: Millis) -> ContainerState {
        ContainerState::Terminated(Terminated {
            exit_code: code,
            reason: reason.to_string(),
            message: None,
            signal: None,
            started_at_ms: start,
            finished_at_ms: end,
            container_id: "containerd://abc".to_string(),
        })
    }

    pub(crate) fn cond(t: CT, status: bool) -> PodCondition {
        PodCondition { type_: t, status, last_transition_ms: 0, reason: None, message: None }
    }

    fn one(state: ContainerState) -> PodSnapshot {
        let mut p = snapshot(vec![], vec![container("web")]);
        p.status.container_statuses = vec![cs("web", state)];
        p
    }

    fn two_inits(s0: ContainerState, s1: ContainerState) -> PodSnapshot {
        let mut p = snapshot(vec![container("init-a"), container("init-b")], vec![container("web")]);
        p.status.init_container_statuses = vec![cs("init-a", s0), cs("init-b", s1)];
        p.status.container_statuses = vec![cs("web", ContainerState::waiting("PodInitializing"))];
        p.status.conditions = vec![cond(CT::Initialized, false)];
        p
    }

    #[test]
    fn status_pending_and_creating() {
        let p = snapshot(vec![], vec![container("web")]);
        assert_eq!(pod_status_column(&p), "Pending");
        assert_eq!(pod_status_column(&one(ContainerState::waiting("ContainerCreating"))), "ContainerCreating");
    }

    #[test]
    fn status_init_progress_and_failures() {
        let init = ContainerState::waiting("PodInitializing");
        assert_eq!(pod_status_column(&two_inits(running(1_000), init.clone())), "Init:0/2");
        let done = terminated(0, "Completed", 1_000, 2_000);
        assert_eq!(pod_status_column(&two_inits(done.clone(), running(2_000))), "Init:1/2");
        assert_eq!(
            pod_status_column(&two_inits(ContainerState::waiting("CrashLoopBackOff"), init.clone())),
            "Init:CrashLoopBackOff"
        );
        assert_eq!(pod_status_column(&two_inits(terminated(1, "Error", 0, 1_000), init.clone())), "Init:Error");
        assert_eq!(pod_status_column(&two_inits(terminated(3, "", 0, 1_000), init.clone())), "Init:ExitCode:3");
        let mut signalled = terminated(137, "", 0, 1_000);
        if let ContainerState::Terminated(t) = &mut signalled {
            t.signal = Some(9);
        }
        assert_eq!(pod_status_column(&two_inits(signalled, init.clone())), "Init:Signal:9");
        // Waiting with no reason yet counts as not started.
        assert_eq!(pod_status_column(&two_inits(ContainerState::waiting(""), init)), "Init:0/2");
    }

    #[test]
    fn status_pod_initializing_once_init_is_done() {
        let done = terminated(0, "Completed", 1_000, 2_000);
        let mut p = two_inits(done.clone(), done);
        p.status.conditions = vec![cond(CT::Initialized, true)];
        assert_eq!(pod_status_column(&p), "PodInitializing");
    }

    #[test]
    fn status_running_and_container_failures() {
        let mut p = one(running(1_000));
        p.status.phase = PodPhase::Running;
        assert_eq!(pod_status_column(&p), "Running");
        for reason in ["CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff", "CreateContainerConfigError"] {
            assert_eq!(pod_status_column(&one(ContainerState::waiting(reason))), reason);
        }
        assert_eq!(pod_status_column(&one(terminated(1, "Error", 0, 1_000))), "Error");
        assert_eq!(pod_status_column(&one(terminated(137, "OOMKilled", 0, 1_000))), "OOMKilled");
        assert_eq!(pod_status_column(&one(terminated(2, "", 0, 1_000))), "ExitCode:2");
        let mut p = one(terminated(0, "Completed", 0, 1_000));
        p.status.phase = PodPhase::Succeeded;
        assert_eq!(pod_status_column(&p), "Completed");
    }

    #[test]
    fn status_completed_container_beside_running_one() {
        // Containers are read backwards: the last reason seen is the first container's.
        let mut p = snapshot(vec![], vec![container("app"), container("job")]);
        p.status.phase = PodPhase::Running;
        p.status.container_statuses =
            vec![cs("app", running(1_000)), cs("job", terminated(0, "Completed", 1_000, 3_000))];
        p.status.conditions = vec![cond(CT::Ready, false)];
        assert_eq!(pod_status_column(&p), "NotReady");
        assert_eq!(pod_ready_column(&p), "1/2");
        p.status.conditions = vec![cond(CT::Ready, true)];
        assert_eq!(pod_status_column(&p), "Running");
    }

    #[test]
    fn status_terminating_unknown_and_gated() {
        let mut p = one(running(1_000));
        p.status.phase = PodPhase::Running;
        p.server.deletion_ms = Some(10_000);
        assert_eq!(pod_status_column(&p), "Terminating");
        p.status.reason = Some("NodeLost".to_string());
        assert_eq!(pod_status_column(&p), "Unknown");
        // A terminal Pod being deleted keeps its terminal status.
        let mut done = one(terminated(0, "Completed", 0, 1_000));
        done.status.phase = PodPhase::Succeeded;
        done.server.deletion_ms = Some(10_000);
        assert_eq!(pod_status_column(&done), "Completed");
        let mut gated = snapshot(vec![], vec![container("web")]);
        gated.status.conditions =
            vec![PodCondition { reason: Some("SchedulingGated".to_string()), ..cond(CT::PodScheduled, false) }];
        assert_eq!(pod_status_column(&gated), "SchedulingGated");
        let mut evicted = one(terminated(137, "Error", 0, 1_000));
        evicted.status.phase = PodPhase::Failed;
        evicted.status.reason = Some("Evicted".to_string());
        evicted.status.container_statuses.clear();
        assert_eq!(pod_status_column(&evicted), "Evicted");
    }

    #[test]
    fn sidecars_count_in_ready_and_restarts() {
        let mut p = snapshot(vec![sidecar("proxy")], vec![container("web")]);
        p.status.init_container_statuses =
            vec![ContainerStatus { started: Some(false), ready: false, ..cs("proxy", running(1_000)) }];
        p.status.container_statuses = vec![cs("web", ContainerState::waiting("PodInitializing"))];
        p.status.conditions = vec![cond(CT::Initialized, false)];
        assert_eq!(pod_status_column(&p), "Init:0/1");
        assert_eq!(pod_ready_column(&p), "0/2");

        let mut proxy = cs("proxy", running(12_000));
        proxy.restart_count = 2;
        proxy.last_state = Some(terminated(1, "Error", 1_000, 11_000));
        let mut web = cs("web", running(13_000));
        web.restart_count = 1;
        web.last_state = Some(terminated(1, "Error", 3_000, 20_500));
        p.status.init_container_statuses = vec![proxy];
        p.status.container_statuses = vec![web];
        p.status.conditions = vec![cond(CT::Initialized, true), cond(CT::Ready, true)];
        p.status.phase = PodPhase::Running;
        assert_eq!(pod_status_column(&p), "Running");
        assert_eq!(pod_ready_column(&p), "2/2");
        assert_eq!(pod_restarts_column(&p, 25_900), "3 (5s ago)");
    }

    #[test]
    fn restarts_column() {
        let p = one(running(1_000));
        assert_eq!(pod_restarts_column(&p, 60_000), "0");
        let mut c = cs("web", ContainerState::waiting("CrashLoopBackOff"));
        c.restart_count = 4;
        c.last_state = Some(terminated(1, "Error", 20_000, 25_000));
        let mut p = one(running(0));
        p.status.container_statuses = vec![c];
        assert_eq!(pod_restarts_column(&p, 30_000), "4 (5s ago)");
        assert_eq!(pod_restarts_column(&p, 25_000 + 150_000), "4 (2m30s ago)");
        assert_eq!(pod_age(&p, 175_000), "2m55s");
    }

    #[test]
    fn tables_align_like_kubectl() {
        let rows = vec![
            vec!["web".into(), "1/1".into(), "Running".into(), "0".into(), "5s".into()],
            vec!["db-0".into(), "0/1".into(), "CrashLoopBackOff".into(), "3 (5s ago)".into(), "2m".into()],
        ];
        assert_eq!(
            format_table(&PODS_HEADER, &rows),
            "NAME   READY   STATUS             RESTARTS     AGE\n\
             web    1/1     Running            0            5s\n\
             db-0   0/1     CrashLoopBackOff   3 (5s ago)   2m\n"
        );
        // minwidth 6.
        assert_eq!(format_table(&["A", "B"], &[vec!["x".into(), "y".into()]]), "A     B\nx     y\n");
    }

    #[test]
    fn watch_printer_remembers_widths() {
        let mut w = GetPodsPrinter::new(false);
        let mut p = one(ContainerState::waiting("ContainerCreating"));
        assert_eq!(
            w.print(std::slice::from_ref(&p), 0),
            "NAME   READY   STATUS              RESTARTS   AGE\nweb    0/1     ContainerCreating   0          0s\n"
        );
        p.status.container_statuses[0] = cs("web", running(2_000));
        p.status.phase = PodPhase::Running;
        // Columns never shrink: STATUS keeps the width ContainerCreating gave it.
        assert_eq!(w.print(&[p], 3_000), "web    1/1     Running             0          3s\n");
    }

    #[test]
    fn wide_row() {
        let mut p = one(running(1_000));
        p.status.phase = PodPhase::Running;
        p.node_name = Some("node-1".into());
        p.status.pod_ip = Some("10.244.0.5".parse().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED));
        assert_eq!(
            pod_row(&p, 5_000, true),
            vec!["web", "1/1", "Running", "0", "5s", "10.244.0.5", "node-1", "<none>", "<none>"]
        );
        let q = snapshot(vec![], vec![container("web")]);
        assert_eq!(pod_row(&q, 5_000, true)[5..], ["<none>", "<none>", "<none>", "<none>"]);
    }

    pub(crate) fn event(reason: &str, message: &str, count: u32, first: Millis, last: Millis) -> Event {
        Event {
            name: "web.18a1b2c3d4e5f601".to_string(),
            type_: if reason == "BackOff" { EventType::Warning } else { EventType::Normal },
            reason: reason.to_string(),
            message: message.to_string(),
            involved: ObjectRef {
                kind: "Pod",
                namespace: "default".to_string(),
                name: "web".to_string(),
                uid: "0b1c2d3e-0000-4000-8000-000000000001".to_string(),
                field_path: Some("spec.containers{web}".to_string()),
            },
            source_component: if reason == "Scheduled" { "default-scheduler" } else { "kubelet" },
            source_host: Some("node-1".to_string()),
            count,
            first_ms: first,
            last_ms: last,
        }
    }

    #[test]
    fn events_table() {
        let events = vec![
            event("BackOff", "Back-off restarting failed container web in pod web_default(0b1c)", 3, 0, 25_000),
            event("Scheduled", "Successfully assigned default/web to node-1", 1, 0, 0),
        ];
        let rows = events_rows(&events, 30_000);
        assert_eq!(
            rows[0],
            vec!["30s", "Normal", "Scheduled", "Pod/web", "Successfully assigned default/web to node-1"]
        );
        assert_eq!(rows[1][0], "5s (x3 over 30s)");
        assert_eq!(
            format_table(&EVENTS_HEADER, &rows),
            "LAST SEEN          TYPE      REASON      OBJECT    MESSAGE\n\
             30s                Normal    Scheduled   Pod/web   Successfully assigned default/web to node-1\n\
             5s (x3 over 30s)   Warning   BackOff     Pod/web   Back-off restarting failed container web in pod web_default(0b1c)\n"
        );
    }

    #[test]
    fn events_of_all_namespaces_start_with_the_namespace() {
        let mut dev = event("Scheduled", "Successfully assigned dev/web to node-1", 1, 0, 0);
        dev.involved.namespace = "dev".to_string();
        let mut node = event("NodeReady", "Node node-1 status is now: NodeReady", 1, 0, 0);
        node.involved.namespace = String::new();
        let rows = events_rows_all_namespaces(&[dev, node], 30_000);
        assert_eq!(rows[0][..2], ["dev".to_string(), "30s".to_string()]);
        assert_eq!(rows[1][0], "default", "a Node's events are in default");
    }

    #[test]
    fn probe_lines() {
        let probe = |handler| Probe {
            handler,
            initial_delay_seconds: 5,
            timeout_seconds: 1,
            period_seconds: 5,
            success_threshold: 1,
            failure_threshold: 3,
            termination_grace_period_seconds: None,
        };
        let exec = probe(Handler::Exec { command: vec!["cat".into(), "/tmp/healthy".into()] });
        assert_eq!(
            describe_probe(&exec),
            "exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3"
        );
        let http = probe(Handler::HttpGet {
            path: "/healthz".into(),
            port: PortRef::Number(8080),
            host: None,
            scheme: "HTTP".into(),
            http_headers: vec![],
        });
        assert_eq!(
            describe_probe(&http),
            "http-get http://:8080/healthz delay=5s timeout=1s period=5s #success=1 #failure=3"
        );
        let named = probe(Handler::HttpGet {
            path: "/".into(),
            port: PortRef::Name("http".into()),
            host: Some("10.0.0.1".into()),
            scheme: "HTTPS".into(),
            http_headers: vec![],
        });
        assert_eq!(
            describe_probe(&named),
            "http-get https://10.0.0.1:http/ delay=5s timeout=1s period=5s #success=1 #failure=3"
        );
        let tcp = probe(Handler::TcpSocket { port: PortRef::Number(8080), host: None });
        assert_eq!(describe_probe(&tcp), "tcp-socket :8080 delay=5s timeout=1s period=5s #success=1 #failure=3");
        let grpc = probe(Handler::Grpc { port: 2379, service: None });
        assert_eq!(describe_probe(&grpc), "grpc <pod>:2379  delay=5s timeout=1s period=5s #success=1 #failure=3");
    }

    fn described_pod() -> PodSnapshot {
        let mut web = container("web");
        web.ports = vec![ContainerPort { name: None, container_port: 80, protocol: "TCP".into() }];
        web.command = vec!["nginx".into(), "-g".into()];
        web.args = vec!["daemon off;".into()];
        web.env = vec![EnvVar { name: "MODE".into(), value: Some("prod".into()), value_from: None }];
        web.resources.limits = ResourceList { cpu_millis: Some(500), memory_bytes: Some(128 << 20) };
        web.resources.requests = ResourceList { cpu_millis: Some(250), memory_bytes: Some(64 << 20) };
        web.volume_mounts =
            vec![VolumeMount { name: "cache".into(), mount_path: "/cache".into(), read_only: false, sub_path: None }];
        web.liveness_probe = Some(Probe {
            handler: Handler::HttpGet {
                path: "/healthz".into(),
                port: PortRef::Number(80),
                host: None,
                scheme: "HTTP".into(),
                http_headers: vec![],
            },
            initial_delay_seconds: 3,
            timeout_seconds: 1,
            period_seconds: 10,
            success_threshold: 1,
            failure_threshold: 3,
            termination_grace_period_seconds: None,
        });
        let mut p = snapshot(vec![], vec![web]);
        if let Some(pod) = Arc::get_mut(&mut p.pod) {
            pod.metadata.labels.insert("app".into(), "web".into());
            pod.metadata.labels.insert("tier".into(), "frontend".into());
            pod.spec.volumes = vec![Volume { name: "cache".into(), source: VolumeSource::EmptyDir }];
        }
        p.node_name = Some("node-1".into());
        p.status.phase = PodPhase::Running;
        p.status.qos_class = "Burstable";
        p.status.host_ip = Some(std::net::Ipv4Addr::new(172, 18, 0, 2));
        p.status.pod_ip = Some(std::net::Ipv4Addr::new(10, 244, 0, 5));
        p.status.start_time_ms = Some(1_000);
        p.status.conditions = vec![
            cond(CT::PodReadyToStartContainers, true),
            cond(CT::Initialized, true),
            cond(CT::Ready, true),
            cond(CT::ContainersReady, true),
            cond(CT::PodScheduled, true),
        ];
        let mut st = cs("web", running(9_000));
        st.container_id = "containerd://4f1e".into();
        st.image_id = "docker.io/library/nginx@sha256:ab12".into();
        st.restart_count = 1;
        st.last_state = Some(terminated(137, "Error", 2_000, 8_000));
        p.status.container_statuses = vec![st];
        p
    }

    #[test]
    fn describe_running_pod() {
        let p = described_pod();
        let events = vec![
            event("Scheduled", "Successfully assigned default/web to node-1", 1, 0, 0),
            event("Pulled", "Container image \"nginx:1.27\" already present on machine", 2, 1_000, 8_000),
        ];
        let expected = "\
Name:             web
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/172.18.0.2
Start Time:       Thu, 01 Jan 2026 00:00:01 +0000
Labels:           app=web
                  tier=frontend
Annotations:      <none>
Status:           Running
IP:               10.244.0.5
IPs:
  IP:  10.244.0.5
Containers:
  web:
    Container ID:  containerd://4f1e
    Image:         nginx:1.27
    Image ID:      docker.io/library/nginx@sha256:ab12
    Port:          80/TCP
    Host Port:     0/TCP
    Command:
      nginx
      -g
    Args:
      daemon off;
    State:          Running
      Started:      Thu, 01 Jan 2026 00:00:09 +0000
    Last State:     Terminated
      Reason:       Error
      Exit Code:    137
      Started:      Thu, 01 Jan 2026 00:00:02 +0000
      Finished:     Thu, 01 Jan 2026 00:00:08 +0000
    Ready:          True
    Restart Count:  1
    Limits:
      cpu:     500m
      memory:  128Mi
    Requests:
      cpu:     250m
      memory:  64Mi
    Liveness:  http-get http://:80/healthz delay=3s timeout=1s period=10s #success=1 #failure=3
    Environment:
      MODE:  prod
    Mounts:
      /cache from cache (rw)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  cache:
    Type:        EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:      
    SizeLimit:   <unset>
QoS Class:       Burstable
Node-Selectors:  <none>
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age                From               Message
  ----    ------     ----               ----               -------
  Normal  Scheduled  60s                default-scheduler  Successfully assigned default/web to node-1
  Normal  Pulled     52s (x2 over 59s)  kubelet            Container image \"nginx:1.27\" already present on machine
";
        let got = describe_pod(&p, &events, 60_000);
        assert_eq!(got, expected, "\n{got}");
    }

    #[test]
    fn describe_pending_and_terminating() {
        let mut p = snapshot(vec![], vec![container("web")]);
        p.status.conditions =
            vec![PodCondition { reason: Some("Unschedulable".into()), ..cond(CT::PodScheduled, false) }];
        let got = describe_pod(&p, &[], 5_000);
        assert!(got.starts_with("Name:             web\nNamespace:        default\nPriority:         0\nService Account:  default\nNode:             <none>\nLabels:           <none>\n"), "{got}");
        assert!(got.contains("IP:               \nIPs:              <none>\nContainers:\n  web:\n    Image:        nginx:1.27\n    Port:         <none>\n    Host Port:    <none>\n    Environment:  <none>\n    Mounts:       <none>\n"), "{got}");
        assert!(got.ends_with("Conditions:\n  Type           Status\n  PodScheduled   False \nVolumes:         <none>\nQoS Class:       BestEffort\nNode-Selectors:  <none>\nTolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\nEvents:          <none>\n"), "{got}");
        p.status.phase = PodPhase::Running;
        p.server.deletion_ms = Some(2_000);
        p.server.deletion_grace_period_seconds = Some(30);
        let got = describe_pod(&p, &[], 5_000);
        assert!(
            got.contains("Status:                    Terminating (lasts 3s)\nTermination Grace Period:  30s\n"),
            "{got}"
        );
    }

    #[test]
    fn describe_names_the_controller_and_env_sources() {
        use crate::core::api::{EnvVar, EnvVarSource, OwnerReference};
        let mut c = container("web");
        c.env = vec![
            EnvVar {
                name: "LEVEL".into(),
                value: None,
                value_from: Some(EnvVarSource::ConfigMapKey {
                    name: "cfg".into(),
                    key: "level".into(),
                    optional: false,
                }),
            },
            EnvVar {
                name: "POD".into(),
                value: None,
                value_from: Some(EnvVarSource::Field { field_path: "metadata.name".into() }),
            },
        ];
        let mut p = snapshot(vec![], vec![c]);
        std::sync::Arc::make_mut(&mut p.pod).metadata.owner_references = vec![OwnerReference {
            api_version: "apps/v1",
            kind: "ReplicaSet",
            name: "web-7d4b9c8f5".into(),
            uid: "u".into(),
            controller: true,
            block_owner_deletion: true,
        }];
        let got = describe_pod(&p, &[], 5_000);
        assert!(got.contains("IPs:              <none>\nControlled By:    ReplicaSet/web-7d4b9c8f5\n"), "{got}");
        assert!(got.contains("      LEVEL:     <set to the key 'level' of config map 'cfg'>  Optional: false\n      POD:       web (v1:metadata.name)\n"), "{got}");
    }

    #[test]
    fn tabwriter_blocks_end_at_lines_without_tabs() {
        let mut w = TabWriter::kubectl_describe();
        w.write("a:\t1\nlonger:\t2\nbreak\nb:\t3\n");
        assert_eq!(w.flush(), "a:       1\nlonger:  2\nbreak\nb:  3\n");
    }
}
