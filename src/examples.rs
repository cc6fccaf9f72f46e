//! The bundled example manifests (`examples/*.yaml`), offered by the CLI and the page.

/// One bundled example.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    pub name: &'static str,
    pub title: &'static str,
    pub yaml: &'static str,
}

/// Every bundled example.
pub const ALL: &[Example] = &[
    Example { name: "single-container", title: "The simplest Pod: one nginx container, Pending to Running", yaml: include_str!("../examples/single-container.yaml") },
    Example { name: "liveness-exec", title: "Liveness exec probe: the file goes away at 30 s, the kubelet restarts the container", yaml: include_str!("../examples/liveness-exec.yaml") },
    Example { name: "liveness-http", title: "Liveness HTTP probe: agnhost answers 200 for 10 s, then 500", yaml: include_str!("../examples/liveness-http.yaml") },
    Example { name: "tcp-liveness-readiness", title: "TCP readiness and liveness probes on goproxy", yaml: include_str!("../examples/tcp-liveness-readiness.yaml") },
    Example { name: "grpc-liveness", title: "gRPC liveness probe on etcd", yaml: include_str!("../examples/grpc-liveness.yaml") },
    Example { name: "startup-probe", title: "A startup probe protects a slow starter from its liveness probe", yaml: include_str!("../examples/startup-probe.yaml") },
    Example { name: "init-containers", title: "Init containers wait for Services (apply init-containers-services to release them)", yaml: include_str!("../examples/init-containers.yaml") },
    Example { name: "init-containers-services", title: "The two Services the init-containers example waits for", yaml: include_str!("../examples/init-containers-services.yaml") },
    Example { name: "lifecycle-events", title: "postStart and preStop hooks on nginx", yaml: include_str!("../examples/lifecycle-events.yaml") },
    Example { name: "memory-limit-oom", title: "A container over its memory limit is OOMKilled", yaml: include_str!("../examples/memory-limit-oom.yaml") },
    Example { name: "shared-volume", title: "Two containers share an emptyDir volume", yaml: include_str!("../examples/shared-volume.yaml") },
    Example { name: "crashloop", title: "busybox with no command: CrashLoopBackOff with the real back-off times", yaml: include_str!("../examples/crashloop.yaml") },
    Example { name: "job-pods", title: "Job-style Pods: restartPolicy Never and OnFailure, success and failure", yaml: include_str!("../examples/job-pods.yaml") },
    Example { name: "job-backoff-limit", title: "A failing Job: Pods re-created after 10 s, 20 s, then Failed with BackoffLimitExceeded", yaml: include_str!("../examples/job-backoff-limit.yaml") },
    Example { name: "job-parallel", title: "A Job of 3 completions, 2 Pods at a time, Complete", yaml: include_str!("../examples/job-parallel.yaml") },
    Example { name: "graceful-deletion", title: "Deletion with and without a SIGTERM handler", yaml: include_str!("../examples/graceful-deletion.yaml") },
    Example { name: "readiness-service", title: "Readiness gates a Pod's place in its Service's endpoints", yaml: include_str!("../examples/readiness-service.yaml") },
    Example { name: "image-pull-error", title: "An image typo: ErrImagePull, then ImagePullBackOff", yaml: include_str!("../examples/image-pull-error.yaml") },
    Example { name: "deployment", title: "A Deployment behind a Service: a deleted Pod is replaced with a new name and IP", yaml: include_str!("../examples/deployment.yaml") },
    Example { name: "statefulset", title: "A StatefulSet: web-0, web-1, web-2 in order, each with its claim; a deleted Pod keeps its name", yaml: include_str!("../examples/statefulset.yaml") },
    Example { name: "ambassador", title: "Ambassador: the app talks to localhost, the ambassador container answers there", yaml: include_str!("../examples/ambassador.yaml") },
    Example { name: "pending-resources", title: "Pending for want of resources: FailedScheduling, Insufficient cpu", yaml: include_str!("../examples/pending-resources.yaml") },
    Example { name: "long-grace-period", title: "Graceful termination with a long grace period and a preStop drain (delete the Pod)", yaml: include_str!("../examples/long-grace-period.yaml") },
    Example { name: "sidecar", title: "A native sidecar ships the app's log from a shared volume", yaml: include_str!("../examples/sidecar.yaml") },
    Example { name: "pending-add-node", title: "Pending on CPU until a bigger node joins (add node)", yaml: include_str!("../examples/pending-add-node.yaml") },
    Example { name: "daemonset", title: "A DaemonSet: one Pod per node, and one more when a node joins", yaml: include_str!("../examples/daemonset.yaml") },
    Example { name: "node-failure", title: "A node stops: NotReady after the grace period, eviction after 5 minutes, the Deployment's Pod replaced", yaml: include_str!("../examples/node-failure.yaml") },
    Example { name: "traffic-rollout-drops", title: "Traffic during a rolling update without readiness probe or preStop: requests fail", yaml: include_str!("../examples/traffic-rollout-drops.yaml") },
    Example { name: "traffic-rollout-safe", title: "The same rolling update with a readiness probe and a preStop sleep: no request fails", yaml: include_str!("../examples/traffic-rollout-safe.yaml") },
    Example { name: "taints-tolerations", title: "Taints, tolerations, node affinity and a cordoned node in FailedScheduling", yaml: include_str!("../examples/taints-tolerations.yaml") },
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
        "statefulset" => &[("40s", "delete pod/web-1")],
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
        "single-container" | "liveness-exec" | "liveness-http" | "tcp-liveness-readiness" | "grpc-liveness" | "startup-probe"
        | "crashloop" | "image-pull-error" | "graceful-deletion" | "long-grace-period" => GROUPS[0],
        "init-containers" | "lifecycle-events" | "memory-limit-oom" | "shared-volume" | "ambassador" | "sidecar" => GROUPS[1],
        "init-containers-services" | "readiness-service" | "traffic-rollout-drops" | "traffic-rollout-safe" => GROUPS[2],
        "job-pods" | "job-backoff-limit" | "job-parallel" => GROUPS[3],
        "deployment" | "statefulset" | "daemonset" => GROUPS[4],
        "pending-resources" | "pending-add-node" | "node-failure" | "taints-tolerations" => GROUPS[5],
        _ => "Other",
    }
}
