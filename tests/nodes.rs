//! Nodes, scheduling filters, node failure and DaemonSets through the engine API.

mod common;
use common::sim_with;
use podplay::core::engine::{NodeReady, Sim};
use podplay::core::manifest::parse_manifests;
use podplay::examples;
use podplay::session::parse_action;

fn act(sim: &mut Sim, text: &str) -> Result<(), String> {
    sim.act(&parse_action(text).expect("action parses")).map_err(|e| e.0)
}

fn scheduling_message(sim: &Sim, pod: &str) -> String {
    sim.events()
        .iter()
        .rev()
        .find(|e| e.reason == "FailedScheduling" && e.involved.name == pod)
        .map(|e| e.message.clone())
        .unwrap_or_default()
}

const BARE_AND_DEPLOYMENT: &str = "
apiVersion: v1
kind: Pod
metadata: {name: bare, labels: {app: web}}
spec:
  nodeSelector: {kubernetes.io/hostname: node-1}
  containers: [{name: web, image: nginx:1.27}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web, tier: d}}
  template:
    metadata: {labels: {app: web, tier: d}}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions: [{key: kubernetes.io/hostname, operator: NotIn, values: [node-2, node-3]}]
            - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-3]}]
      containers: [{name: web, image: nginx:1.27}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
";

#[test]
fn a_stopped_node_goes_not_ready_after_the_grace_period_and_its_pods_are_evicted_after_300s() {
    let mut sim = sim_with(BARE_AND_DEPLOYMENT);
    // The Deployment's Pod comes 20ms later: with node-3 cordoned only
    // node-1 is left for it (its first term; the second admits node-3).
    act(&mut sim, "cordon node-3").unwrap();
    sim.advance_to(20_000);
    act(&mut sim, "uncordon node-3").unwrap();
    sim.advance_to(30_000);
    let web = sim.pods().into_iter().find(|p| p.pod.metadata.name.starts_with("web-")).unwrap();
    assert_eq!(web.node_name.as_deref(), Some("node-1"));
    act(&mut sim, "stop node node-1").unwrap();
    // Last lease renewal at 30s; grace 50s; next 5s monitor pass after 80s.
    sim.advance_to(84_999);
    assert_eq!(sim.nodes()[0].ready, NodeReady::True);
    sim.advance_to(85_000);
    let node = &sim.nodes()[0];
    assert_eq!(node.ready, NodeReady::Unknown);
    assert_eq!(node.status_column(), "NotReady");
    assert!(node.taints.iter().any(|t| t.key == "node.kubernetes.io/unreachable" && t.effect.as_str() == "NoExecute"));
    assert!(sim.pods().iter().all(|p| !p.status.is_ready()), "MarkPodsNotReady");
    let slice = sim.endpoint_slices().into_iter().next().unwrap();
    assert!(slice.endpoints.iter().all(|e| !e.ready), "the Service drops them");
    // 300s of default toleration later, the taint eviction controller deletes them.
    sim.advance_to(384_999);
    assert!(sim.pods().iter().all(|p| p.server.deletion_ms.is_none()));
    sim.advance_to(385_000);
    assert!(sim
        .events()
        .iter()
        .any(|e| e.reason == "TaintManagerEviction" && e.message == "Marking for deletion Pod default/bare"));
    sim.advance_to(420_000);
    let pods = sim.pods();
    let bare = pods.iter().find(|p| p.pod.metadata.name == "bare").expect("no kubelet confirms: still there");
    assert!(bare.server.deletion_ms.is_some(), "Terminating");
    let replacement = pods
        .iter()
        .find(|p| p.pod.metadata.name.starts_with("web-") && p.server.deletion_ms.is_none())
        .expect("replaced");
    assert_ne!(replacement.pod.metadata.name, web.pod.metadata.name);
    assert_eq!(replacement.node_name.as_deref(), Some("node-3"), "the second term admits node-3");
    assert!(replacement.status.is_ready());
    assert_ne!(replacement.status.pod_ip, web.status.pod_ip);
    // The node comes back: Ready, untainted, the deleted Pods are finally gone.
    act(&mut sim, "start node node-1").unwrap();
    sim.advance_to(480_000);
    assert_eq!(sim.nodes()[0].ready, NodeReady::True);
    assert!(sim.nodes()[0].taints.is_empty());
    assert_eq!(sim.pods().len(), 1);
}

#[test]
fn a_pod_on_a_node_restarted_within_the_grace_period_never_goes_not_ready() {
    let mut sim = sim_with(BARE_AND_DEPLOYMENT);
    sim.advance_to(30_000);
    act(&mut sim, "stop node node-1").unwrap();
    sim.advance_to(70_000);
    act(&mut sim, "start node node-1").unwrap();
    sim.advance_to(200_000);
    assert_eq!(sim.nodes()[0].ready, NodeReady::True);
    assert!(sim.pods().iter().all(|p| p.status.is_ready() && p.server.deletion_ms.is_none()));
    assert!(!sim.events().iter().any(|e| e.reason == "NodeNotReady"));
}

#[test]
fn cordon_and_uncordon_retry_the_pending_pod() {
    let mut sim = sim_with(
        examples::find("single-container")
            .unwrap()
            .yaml
            .replace("spec:\n", "spec:\n  nodeSelector: {kubernetes.io/hostname: node-2}\n")
            .as_str(),
    );
    let name = sim.pods()[0].pod.metadata.name.clone();
    act(&mut sim, &format!("delete pod/{name}")).unwrap();
    sim.advance_to(60_000);
    act(&mut sim, "cordon node-2").unwrap();
    assert_eq!(sim.nodes()[1].status_column(), "Ready,SchedulingDisabled");
    sim.apply(
        parse_manifests(
            &examples::find("single-container")
                .unwrap()
                .yaml
                .replace("spec:\n", "spec:\n  nodeSelector: {kubernetes.io/hostname: node-2}\n"),
        )
        .objects,
    );
    sim.advance_to(61_000);
    assert_eq!(sim.pods()[0].node_name, None);
    assert_eq!(
        scheduling_message(&sim, &name),
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
    act(&mut sim, "uncordon node-2").unwrap();
    assert_eq!(sim.pods()[0].node_name.as_deref(), Some("node-2"));
}

#[test]
fn drain_refuses_a_bare_pod_without_force_and_evicts_with_it() {
    let mut sim = sim_with(BARE_AND_DEPLOYMENT);
    sim.advance_to(30_000);
    let err = act(&mut sim, "drain node node-1").unwrap_err();
    assert!(
        err.contains("cannot delete Pods that declare no controller (use --force to override): default/bare"),
        "{err}"
    );
    assert!(sim.nodes()[0].unschedulable, "drain cordons first");
    assert!(sim.pods().iter().all(|p| p.server.deletion_ms.is_none()));
    act(&mut sim, "drain node node-1 --force").unwrap();
    sim.advance_to(60_000);
    let pods = sim.pods();
    assert_eq!(pods.len(), 1, "the bare Pod is gone for good");
    assert_eq!(pods[0].node_name.as_deref(), Some("node-3"));
}

#[test]
fn a_daemonset_follows_nodes_and_tolerates_cordons_and_failures() {
    let mut sim = sim_with(examples::find("daemonset").unwrap().yaml);
    sim.advance_to(10_000);
    let per_node = |sim: &Sim| {
        let mut v: Vec<String> =
            sim.pods().iter().filter(|p| p.server.deletion_ms.is_none()).filter_map(|p| p.node_name.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(per_node(&sim), ["node-1", "node-2", "node-3"]);
    assert!(sim.pods().iter().all(
        |p| p.pod.metadata.name.starts_with("node-agent-") && p.pod.metadata.name.len() == "node-agent-".len() + 5
    ));
    act(&mut sim, "cordon node-2").unwrap();
    act(&mut sim, "add node node-4").unwrap();
    act(&mut sim, "stop node node-3").unwrap();
    sim.advance_to(500_000);
    assert_eq!(per_node(&sim), ["node-1", "node-2", "node-3", "node-4"], "not evicted from the failed node");
    let ds = &sim.daemon_sets()[0];
    // node-3's unreachable:NoSchedule taint is not among a DaemonSet's
    // tolerations: it no longer counts as a node that should run the Pod
    // (`updateDaemonSetStatus`), though its Pod may continue running there.
    assert_eq!((ds.status.desired, ds.status.current, ds.status.ready), (3, 3, 3));
}

#[test]
fn node_objects_replace_the_default_cluster_and_taints_need_tolerations() {
    let sim = sim_with(examples::find("taints-tolerations").unwrap().yaml);
    let names: Vec<String> = sim.nodes().iter().map(|n| n.name.clone()).collect();
    assert_eq!(names, ["gpu-1", "cpu-1", "cpu-2"]);
    assert_eq!(sim.nodes()[2].cpu_millis, 2000);
    let trainer = sim.pod("default", "trainer").unwrap();
    assert_eq!(trainer.node_name.as_deref(), Some("gpu-1"));
    assert_eq!(
        scheduling_message(&sim, "web-big"),
        "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."
    );
}

#[test]
fn scheduling_manifest_errors_have_positions() {
    let parsed = parse_manifests(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  tolerations:\n  - {operator: Equal, value: x}\n  - {key: a, operator: Exists, value: b}\n  - {key: a, effect: NoSchedule, tolerationSeconds: 5}\n  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - matchExpressions: [{key: k, operator: Gt, values: []}]\n  containers: [{name: c, image: nginx}]\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n}\nspec:\n  taints: [{key: a, effect: Sometimes}]\n",
    );
    let text: Vec<String> = parsed.errors().map(|d| d.to_string()).collect();
    let all = text.join("\n");
    assert!(all.contains("line 6, column 5: spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty"), "{all}");
    assert!(all.contains("line 7, column 5: spec.tolerations[1].value: Invalid value: \"b\": value must be empty when `operator` is 'Exists'"), "{all}");
    assert!(all.contains("spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"), "{all}");
    assert!(all.contains("must be specified single value when `operator` is 'Lt' or 'Gt'"), "{all}");
    assert!(all.contains("line 20, column 29: spec.taints[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""), "{all}");
}

#[test]
fn deleting_a_daemonset_deletes_its_pods_gracefully() {
    let mut sim = sim_with(examples::find("daemonset").unwrap().yaml);
    sim.advance_to(10_000);
    let ns = sim.daemon_sets()[0].daemon_set.metadata.namespace.clone();
    let name = sim.daemon_sets()[0].daemon_set.metadata.name.clone();
    assert_eq!(sim.pods().len(), 3);
    act(&mut sim, &format!("delete daemonset/{name} -n {ns}")).unwrap();
    assert!(sim.daemon_sets().is_empty(), "the DaemonSet goes at once");
    assert_eq!(
        act(&mut sim, &format!("delete ds/{name} -n {ns}")).unwrap_err(),
        format!("daemonsets.apps \"{name}\" not found")
    );
    // The garbage collector deletes the Pods a hop later, each with its grace period.
    sim.advance_to(11_000);
    let pods = sim.pods();
    assert_eq!(pods.len(), 3);
    assert!(pods.iter().all(|p| p.server.deletion_ms.is_some()), "all three are Terminating");
    // Nothing re-creates them: they are gone once their grace period ends.
    sim.advance_to(60_000);
    assert!(sim.pods().is_empty(), "{:?}", sim.pods().iter().map(|p| &p.pod.metadata.name).collect::<Vec<_>>());
}

/// The `DisruptionTarget` condition of a Pod, as (reason, message), if True.
fn disruption_target(sim: &Sim, name: &str) -> Option<(String, String)> {
    let p = sim.pods().into_iter().find(|p| p.pod.metadata.name == name)?;
    let c = p.status.conditions.iter().find(|c| c.type_.as_str() == "DisruptionTarget" && c.status)?;
    Some((c.reason.clone().unwrap_or_default(), c.message.clone().unwrap_or_default()))
}

#[test]
fn an_evicted_pod_is_marked_disruption_target_by_the_eviction_api() {
    // pkg/registry/core/pod/storage/eviction.go `addConditionAndDeletePod`:
    // the Eviction API (what `kubectl drain` calls) adds DisruptionTarget
    // before deleting; the kubelet keeps conditions it does not own first
    // (`mergePodStatus`) while the Pod terminates.
    let mut sim = sim_with(BARE_AND_DEPLOYMENT);
    sim.advance_to(30_000);
    assert_eq!(disruption_target(&sim, "bare"), None);
    act(&mut sim, "drain node node-1 --force").unwrap();
    assert_eq!(
        disruption_target(&sim, "bare"),
        Some(("EvictionByEvictionAPI".into(), "Eviction API: evicting".into()))
    );
    let bare = sim.pod("default", "bare").unwrap();
    assert_eq!(bare.status.conditions[0].type_.as_str(), "DisruptionTarget", "first, before the kubelet's own");
    assert_eq!(bare.status.conditions[0].last_transition_ms, 30_000);
    let describe = podplay::core::kubectl::describe_pod(&bare, sim.events(), sim.now());
    assert!(
        describe.contains("\n  DisruptionTarget            True \n  PodReadyToStartContainers   True \n"),
        "{describe}"
    );
    // A Pod that was never evicted has no such condition.
    let other = sim.pods().into_iter().find(|p| p.node_name.as_deref() != Some("node-1")).unwrap();
    assert!(other.status.conditions.iter().all(|c| c.type_.as_str() != "DisruptionTarget"));
}

#[test]
fn a_taint_eviction_marks_the_pod_disruption_target() {
    // pkg/controller/tainteviction/taint_eviction.go `addConditionAndDeletePod`.
    let mut sim = sim_with(BARE_AND_DEPLOYMENT);
    sim.advance_to(30_000);
    act(&mut sim, "stop node node-1").unwrap();
    // NotReady at 1m25s (see above), evicted 300 s later.
    sim.advance_to(384_000);
    assert_eq!(disruption_target(&sim, "bare"), None, "not before the toleration runs out");
    sim.advance_to(386_000);
    assert_eq!(
        disruption_target(&sim, "bare"),
        Some(("DeletionByTaintManager".into(), "Taint manager: deleting due to NoExecute taint".into()))
    );
    assert!(
        sim.pod("default", "bare").unwrap().server.deletion_ms.is_some(),
        "and deleted (Terminating while the node is down)"
    );
}

#[test]
fn drain_refuses_pods_with_emptydir_volumes_without_delete_emptydir_data() {
    // k8s.io/kubectl/pkg/drain/filters.go: `localStorageFilter` runs before
    // `unreplicatedFilter`, the first refusal decides for a Pod, and the
    // refusals are aggregated per kind ("[a, b]" when there are two).
    let yaml = "
apiVersion: v1
kind: Pod
metadata: {name: cache}
spec:
  nodeSelector: {kubernetes.io/hostname: node-1}
  volumes: [{name: tmp, emptyDir: {}}]
  containers: [{name: c, image: nginx:1.27, volumeMounts: [{name: tmp, mountPath: /tmp}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  nodeSelector: {kubernetes.io/hostname: node-1}
  containers: [{name: c, image: nginx:1.27}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: done}
spec:
  template:
    spec:
      restartPolicy: Never
      nodeSelector: {kubernetes.io/hostname: node-1}
      volumes: [{name: tmp, emptyDir: {}}]
      containers: [{name: c, image: busybox:1.36, command: [\"true\"]}]
";
    let mut sim = sim_with(yaml);
    sim.advance_to(30_000);
    let err = act(&mut sim, "drain node node-1").unwrap_err();
    assert_eq!(
        err,
        "unable to drain node \"node-1\" due to error: [cannot delete Pods that declare no controller (use --force to override): default/plain, \
         cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache]",
        "the Job's finished Pod may go despite its emptyDir; `cache` is refused for its storage first"
    );
    let err = act(&mut sim, "drain node node-1 --delete-emptydir-data").unwrap_err();
    assert_eq!(err, "unable to drain node \"node-1\" due to error: cannot delete Pods that declare no controller (use --force to override): default/cache, default/plain");
    assert!(sim.pods().iter().all(|p| p.server.deletion_ms.is_none()), "a refused drain evicts nothing");
    act(&mut sim, "drain node node-1 --force --delete-emptydir-data").unwrap();
    sim.advance_to(60_000);
    assert!(sim.pod("default", "cache").is_none() && sim.pod("default", "plain").is_none());
}

#[test]
fn a_pod_with_scheduling_gates_stays_scheduling_gated() {
    // kubernetes.io "Pod Scheduling Readiness": the API server adds
    // PodScheduled=False/SchedulingGated at creation
    // (`applySchedulingGatedCondition`) and the scheduler leaves the Pod out
    // of its queue until the gates are gone, so no FailedScheduling event.
    let yaml = "
apiVersion: v1
kind: Pod
metadata: {name: test-pod}
spec:
  schedulingGates: [{name: example.com/foo}, {name: example.com/bar}]
  containers: [{name: pause, image: registry.k8s.io/pause:3.6}]
";
    let mut sim = sim_with(yaml);
    act(&mut sim, "add node node-9").unwrap();
    sim.advance_to(120_000);
    let p = sim.pod("default", "test-pod").unwrap();
    assert_eq!(p.node_name, None);
    assert_eq!(podplay::core::kubectl::pod_status_column(&p), "SchedulingGated");
    let c = &p.status.conditions[0];
    assert_eq!((c.type_.as_str(), c.status), ("PodScheduled", false));
    assert_eq!(c.reason.as_deref(), Some("SchedulingGated"));
    assert_eq!(c.message.as_deref(), Some("Scheduling is blocked due to non-empty scheduling gates"));
    assert!(sim.events().iter().all(|e| e.involved.name != "test-pod"), "no scheduling attempt, no event");
}

#[test]
fn scheduling_gates_are_validated_like_the_api_server() {
    let yaml = "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  nodeName: node-1
  schedulingGates:
  - name: example.com/foo
  - name: example.com/foo
  - name: -bad
  containers: [{name: c, image: nginx:1.27}]
";
    let msgs: Vec<String> = parse_manifests(yaml).diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("line 8, column 5: spec.schedulingGates[1]: Duplicate value: \"example.com/foo\"")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.starts_with(
            "line 9, column 5: spec.schedulingGates[2]: Invalid value: \"-bad\": name part must consist of"
        )),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.starts_with(
            "line 5, column 13: spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared"
        )),
        "{msgs:?}"
    );
}
