//! Issue 15, items 1 and 7: the scheduler's FailedScheduling text, and Pods
//! created with `spec.nodeName` (which the scheduler never sees), each
//! checked against the Kubernetes source it follows (cited per test).

mod common;
use common::sim_with;
use podplay::core::engine::{Output, Sim, Snapshot, WatchType};
use podplay::core::status::{ConditionType, PodPhase};

fn reasons(sim: &Sim) -> Vec<String> {
    sim.events().iter().map(|e| e.reason.clone()).collect()
}

/// pkg/scheduler/framework/types.go `FitError.Error()`: "0/N nodes are
/// available: <sorted histogram>." then " " + the PostFilter message, which
/// DefaultPreemption (plugins/defaultpreemption `PostFilter`) builds as
/// "preemption: " + the message of preemption.go `Preempt`'s own FitError.
/// Since v1.30 the PostFilter part is appended as " %v", not " %v." — the
/// doubled period ("…incoming pod..") that clusters up to v1.29 print was
/// removed (kubernetes/kubernetes#123301, closed "already resolved in
/// 1.30"); podplay follows v1.33, so one period.
#[test]
fn failed_scheduling_ends_with_one_period_as_since_v1_30() {
    let sim = sim_with(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    resources: {requests: {cpu: \"64\"}}\n",
    );
    let e = sim.events().iter().find(|e| e.reason == "FailedScheduling").expect("FailedScheduling");
    assert_eq!(
        e.message,
        "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    );
    assert!(!e.message.ends_with(".."));
}

fn bound(node: &str, cpu: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: nginx}}\nspec:\n  nodeName: {node}\n  containers:\n  - name: nginx\n    image: nginx:1.27\n    resources: {{requests: {{cpu: \"{cpu}\"}}}}\n"
    )
}

/// The scheduler's informer only queues unassigned Pods
/// (pkg/scheduler/eventhandlers.go `assignedPod`): a Pod with `nodeName`
/// gets no Scheduled and no FailedScheduling event; the node's kubelet
/// admits it and runs it.
#[test]
fn a_pod_bound_by_node_name_skips_the_scheduler_and_runs() {
    let mut sim = sim_with(&bound("node-2", "100m"));
    sim.advance_to(30_000);
    let p = sim.pod("default", "nginx").unwrap();
    assert_eq!(p.status.phase, PodPhase::Running);
    assert_eq!(p.node_name.as_deref(), Some("node-2"));
    let r = reasons(&sim);
    assert!(!r.iter().any(|r| r == "Scheduled" || r == "FailedScheduling"), "{r:?}");
    assert!(r.iter().any(|r| r == "Started"), "{r:?}");
}

/// pkg/kubelet/lifecycle/predicate.go `Admit`: the kubelet runs the
/// scheduler's resource fit itself; the first failure rejects the Pod
/// (`OutOfcpu`, `InsufficientResourceError.Error()`), and `Kubelet.rejectPod`
/// (pkg/kubelet/kubelet.go) records a Warning event with that reason and
/// sets phase Failed, the reason and "Pod was rejected: " + the message.
#[test]
fn the_kubelet_rejects_a_bound_pod_that_does_not_fit_with_out_of_cpu() {
    let mut sim = sim_with(&bound("node-1", "5"));
    sim.advance_to(30_000);
    let p = sim.pod("default", "nginx").unwrap();
    let message = "Node didn't have enough resource: cpu, requested: 5000, used: 0, capacity: 4000";
    assert_eq!(p.status.phase, PodPhase::Failed);
    assert_eq!(p.status.reason.as_deref(), Some("OutOfcpu"));
    assert_eq!(p.status.message.as_deref(), Some(format!("Pod was rejected: {message}").as_str()));
    assert!(p.status.conditions.is_empty(), "{:?}", p.status.conditions);
    assert!(p.status.pod_ip.is_none() && p.status.container_statuses.is_empty());
    let e = sim.events().iter().find(|e| e.reason == "OutOfcpu").expect("event");
    assert_eq!(e.message, message);
    assert_eq!(e.source_component, "kubelet");
    assert_eq!(reasons(&sim), vec!["OutOfcpu".to_string()]);
}

/// predicate.go `generalFilter`: NodeAffinity (the Pod's nodeSelector) and
/// untolerated NoExecute taints reject as `PredicateFailureError`s,
/// "Predicate <name> failed: <reason>".
#[test]
fn the_kubelet_rejects_a_bound_pod_its_node_selector_excludes() {
    let yaml = bound("node-1", "100m").replace("  containers:", "  nodeSelector: {disk: ssd}\n  containers:");
    let mut sim = sim_with(&yaml);
    sim.advance_to(5_000);
    let p = sim.pod("default", "nginx").unwrap();
    assert_eq!(p.status.reason.as_deref(), Some("NodeAffinity"));
    assert_eq!(
        p.status.message.as_deref(),
        Some("Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector")
    );
}

/// kubernetes.io `pods/pod-nginx-specific-node.yaml` names `foo-node`: no
/// kubelet runs it, so it stays Pending, without events or IP. The Pod GC
/// controller (pkg/controller/podgc/gc_controller.go `gcOrphaned`, every
/// 20 s, a 40 s quarantine for the missing node) then marks it Failed with
/// DisruptionTarget `DeletionByPodGC` "PodGC: node no longer exists" and
/// deletes it (`markFailedAndDeletePodWithCondition`).
#[test]
fn a_pod_bound_to_a_missing_node_stays_pending_until_pod_gc_deletes_it() {
    let mut sim = sim_with(&bound("foo-node", "100m"));
    sim.advance_to(59_999);
    let p = sim.pod("default", "nginx").unwrap();
    assert_eq!(p.status.phase, PodPhase::Pending);
    assert_eq!(p.node_name.as_deref(), Some("foo-node"));
    assert!(p.status.pod_ip.is_none() && p.status.conditions.is_empty());
    assert!(sim.events().is_empty(), "{:?}", reasons(&sim));
    let mut last = Vec::new();
    while let Some(o) = sim.poll_output() {
        drop(o);
    }
    sim.advance_to(60_000);
    assert!(sim.pod("default", "nginx").is_none());
    while let Some(o) = sim.poll_output() {
        if let Output { type_, time_ms, object: Snapshot::Pod(pod) } = o {
            last.push((time_ms, type_, pod));
        }
    }
    assert_eq!(last.len(), 2, "MODIFIED then DELETED");
    let (at, t, pod) = &last[0];
    assert_eq!((*at, *t), (60_000, WatchType::Modified));
    assert_eq!(pod.status.phase, PodPhase::Failed);
    let c = pod.status.condition(ConditionType::DisruptionTarget).expect("DisruptionTarget");
    assert_eq!(c.reason.as_deref(), Some("DeletionByPodGC"));
    assert_eq!(c.message.as_deref(), Some("PodGC: node no longer exists"));
    assert_eq!(last[1].1, WatchType::Deleted);
    assert!(sim.events().is_empty());
}
