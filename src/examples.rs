//! The bundled example manifests (`examples/*.yaml`), offered by the CLI and the page.

/// One bundled example.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    pub name: &'static str,
    pub title: &'static str,
    /// The manifests, compiled in (all builds but the page's: see
    /// [`crate::bundled`] and [`text`]).
    #[cfg(not(feature = "fetched-texts"))]
    pub yaml: &'static str,
}

macro_rules! examples {
    ($($name:literal => $title:literal,)*) => {
        &[$(Example {
            name: $name,
            title: $title,
            #[cfg(not(feature = "fetched-texts"))]
            yaml: include_str!(concat!("../examples/", $name, ".yaml")),
        }),*]
    };
}

/// The example the page opens with. The page built with `fetched-texts`
/// keeps its text compiled in, so the first view needs no extra request.
pub const DEFAULT: &str = "liveness-exec";
#[cfg(feature = "fetched-texts")]
const DEFAULT_YAML: &str = include_str!("../examples/liveness-exec.yaml");

/// Every bundled example.
pub const ALL: &[Example] = examples![
    "single-container" => "The simplest Pod: one nginx container, Pending to Running",
    "liveness-exec" => "Liveness exec probe: the file goes away at 30 s, the kubelet restarts the container",
    "liveness-http" => "Liveness HTTP probe: agnhost answers 200 for 10 s, then 500",
    "tcp-liveness-readiness" => "TCP readiness and liveness probes on goproxy",
    "grpc-liveness" => "gRPC liveness probe on etcd",
    "startup-probe" => "A startup probe protects a slow starter from its liveness probe",
    "init-containers" => "Init containers wait for Services (apply init-containers-services to release them)",
    "init-containers-services" => "The two Services the init-containers example waits for",
    "lifecycle-events" => "postStart and preStop hooks on nginx",
    "memory-limit-oom" => "A container over its memory limit is OOMKilled",
    "shared-volume" => "Two containers share an emptyDir volume",
    "crashloop" => "busybox with no command: CrashLoopBackOff with the real back-off times",
    "job-pods" => "Job-style Pods: restartPolicy Never and OnFailure, success and failure",
    "job-backoff-limit" => "A failing Job: Pods re-created after 10 s, 20 s, then Failed with BackoffLimitExceeded",
    "job-parallel" => "A Job of 3 completions, 2 Pods at a time, Complete",
    "job-pod-failure-policy-failjob" => "A Pod failure policy: exit code 42 matches a FailJob rule, the Job fails without retries",
    "job-pod-failure-policy-ignore" => "A Pod failure policy ignores disruptions: a drained node's Pod fails, the Job goes on (drain node-1)",
    "job-indexed" => "An Indexed Job: one Pod per index 0 to 4 (fruit-<index>-…), each reads JOB_COMPLETION_INDEX; completedIndexes 0-2,4 then 0-4",
    "cronjob" => "CronJobs: a Job every minute with a history limit of 2; a Forbid CronJob skips a run while its Job still runs",
    "graceful-deletion" => "Deletion with and without a SIGTERM handler",
    "readiness-service" => "Readiness gates a Pod's place in its Service's endpoints",
    "image-pull-error" => "An image typo: ErrImagePull, then ImagePullBackOff",
    "deployment" => "A Deployment behind a Service: a deleted Pod is replaced with a new name and IP",
    "statefulset" => "A StatefulSet: web-0, web-1, web-2 in order, each with its claim; a deleted Pod keeps its name",
    "ambassador" => "Ambassador: the app talks to localhost, the ambassador container answers there",
    "pending-resources" => "Pending for want of resources: FailedScheduling, Insufficient cpu",
    "long-grace-period" => "Graceful termination with a long grace period and a preStop drain (delete the Pod)",
    "sidecar" => "A native sidecar ships the app's log from a shared volume",
    "pod-info-files" => "downwardAPI and projected volumes: the Pod's labels, resources, a ConfigMap, a Secret and a token as files",
    "pending-add-node" => "Pending on CPU until a bigger node joins (add node)",
    "daemonset" => "A DaemonSet: one Pod per node, and one more when a node joins",
    "daemonset-rolling-update" => "A DaemonSet rolled to a new image node by node (maxUnavailable 1), as in kubernetes.io's task",
    "node-failure" => "A node stops: NotReady after the grace period, eviction after 5 minutes, the Deployment's Pod replaced",
    "traffic-rollout-drops" => "Traffic during a rolling update without readiness probe or preStop: requests fail",
    "traffic-rollout-safe" => "The same rolling update with a readiness probe and a preStop sleep: no request fails",
    "taints-tolerations" => "Taints, tolerations, node affinity and a cordoned node in FailedScheduling",
    "pdb-drain" => "A PodDisruptionBudget during drains: one eviction allowed, the next refused and retried every 5 s",
    "namespaces" => "Two namespaces, shop and dev, each with a Deployment and a Service named web",
];

/// The story an example is written for: its timed actions (virtual time,
/// action), as its comment's `podplay run … --at T "ACTION"` gives them. The
/// page plays them on request ("Run its scenario", `?scenario=1`); the CLI
/// takes them as `--at` arguments.
pub fn scenario(name: &str) -> &'static [(&'static str, &'static str)] {
    match name {
        "node-failure" => &[("30s", "stop node node-a")],
        "pending-add-node" => &[("30s", "add node node-4 cpu=8 memory=16Gi")],
        "daemonset" => &[("30s", "add node node-4")],
        "daemonset-rolling-update" => &[(
            "30s",
            "set image ds/fluentd-elasticsearch fluentd-elasticsearch=quay.io/fluentd_elasticsearch/fluentd:v2.6.0 -n kube-system",
        )],
        "statefulset" => &[("40s", "delete pod/web-1")],
        "job-pod-failure-policy-ignore" => &[("20s", "drain node node-1")],
        "pdb-drain" => &[("20s", "drain node node-1"), ("21s", "drain node node-2")],
        "graceful-deletion" => &[("10s", "delete pod/no-handler"), ("10s", "delete pod/with-handler")],
        "init-containers" => &[("20s", "apply -f example:init-containers-services")],
        "long-grace-period" => &[("20s", "delete pod/slow-shutdown")],
        "traffic-rollout-drops" | "traffic-rollout-safe" => &[("30s", "set image deployment/web web=nginx:1.28")],
        _ => &[],
    }
}

/// The example named `name`.
pub fn find(name: &str) -> Option<&'static Example> {
    ALL.iter().find(|e| e.name == name)
}

/// The manifests of the example named `name`: always there when compiled
/// in; in the page built with `fetched-texts`, the default example's and
/// those fetched so far ([`crate::bundled`]).
pub fn text(name: &str) -> Option<&'static str> {
    compiled_or_fetched(find(name)?)
}

#[cfg(not(feature = "fetched-texts"))]
fn compiled_or_fetched(ex: &'static Example) -> Option<&'static str> {
    Some(ex.yaml)
}

#[cfg(feature = "fetched-texts")]
fn compiled_or_fetched(ex: &'static Example) -> Option<&'static str> {
    if ex.name == DEFAULT {
        Some(DEFAULT_YAML)
    } else {
        crate::bundled::fetched(crate::bundled::Kind::Example, ex.name)
    }
}

/// The example menu's groups, in order.
pub const GROUPS: [&str; 6] = [
    "Pods and probes",
    "Containers: init, sidecars, hooks, limits",
    "Services",
    "Jobs",
    "Deployments, StatefulSets, DaemonSets",
    "Nodes and scheduling",
];

/// The menu group of an example ("Other" for one not listed here yet).
pub fn group(name: &str) -> &'static str {
    match name {
        "single-container"
        | "liveness-exec"
        | "liveness-http"
        | "tcp-liveness-readiness"
        | "grpc-liveness"
        | "startup-probe"
        | "crashloop"
        | "image-pull-error"
        | "graceful-deletion"
        | "long-grace-period" => GROUPS[0],
        "init-containers" | "lifecycle-events" | "memory-limit-oom" | "shared-volume" | "ambassador" | "sidecar"
        | "pod-info-files" => GROUPS[1],
        "init-containers-services"
        | "readiness-service"
        | "traffic-rollout-drops"
        | "traffic-rollout-safe"
        | "namespaces" => GROUPS[2],
        "job-pods"
        | "job-backoff-limit"
        | "job-parallel"
        | "job-pod-failure-policy-failjob"
        | "job-pod-failure-policy-ignore"
        | "job-indexed"
        | "cronjob" => GROUPS[3],
        "deployment" | "statefulset" | "daemonset" | "daemonset-rolling-update" => GROUPS[4],
        "pending-resources" | "pending-add-node" | "node-failure" | "taints-tolerations" | "pdb-drain" => GROUPS[5],
        _ => "Other",
    }
}
