//! Admission and create-time validation the kubernetes.io examples rely on:
//! `ValidatePodCreate` / `ValidatePodTemplateSpec` refuse
//! `ephemeralContainers` (pkg/apis/core/validation/validation.go), the API
//! server's decoding type-checks `securityContext`, and the Priority
//! admission plugin (plugin/pkg/admission/priority/admission.go, `admitPod`)
//! resolves `priorityClassName` or refuses the Pod with
//! `admission.NewForbidden`; controllers record the refusal as
//! `FailedCreate` "Error creating: …" (pkg/controller/controller_utils.go,
//! `RealPodControl.createPods`).

mod common;

use common::sim_with;
use podplay::core::engine::{ApplyResult, Sim, SimConfig};
use podplay::core::json;
use podplay::core::manifest::parse_manifests;

fn diagnostics(yaml: &str) -> Vec<String> {
    parse_manifests(yaml).diagnostics.iter().map(|d| d.to_string()).collect()
}

/// kubernetes.io "Pod Priority and Preemption": the example Pod.
const NGINX_HIGH: &str = "apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels:
    env: test
spec:
  containers:
  - name: nginx
    image: nginx
    imagePullPolicy: IfNotPresent
  priorityClassName: high-priority
";

/// The same page's PriorityClass.
const HIGH_PRIORITY: &str = "apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high-priority
value: 1000000
globalDefault: false
description: \"This priority class should be used for XYZ service pods only.\"
";

#[test]
fn ephemeral_containers_are_forbidden_on_create_and_in_templates() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n  ephemeralContainers: [{name: debugger, image: busybox}]\n";
    assert_eq!(diagnostics(pod), ["line 6, column 3: spec.ephemeralContainers: Forbidden: cannot be set on create"]);
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: c, image: nginx}]\n      ephemeralContainers: [{name: debugger, image: busybox}]\n";
    assert_eq!(
        diagnostics(deploy),
        ["line 10, column 7: spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template"]
    );
}

#[test]
fn security_context_fields_are_type_checked_with_line_and_column() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    runAsUser: \"notanumber\"\n  containers: [{name: c, image: nginx}]\n";
    let d = diagnostics(pod);
    assert!(
        d.contains(
            &"line 6, column 16: spec.securityContext.runAsUser: expected an integer, got string \"notanumber\""
                .to_string()
        ),
        "{d:?}"
    );
    assert!(parse_manifests(pod).has_errors());
}

/// The fields of `emptyDir` are the schema's: known, not "unknown field".
#[test]
fn empty_dir_medium_and_size_limit_are_known_fields() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n  volumes:\n  - name: cache\n    emptyDir: {medium: Memory, sizeLimit: 500Mi}\n";
    let d = diagnostics(pod);
    assert!(d.iter().all(|m| !m.contains("unknown field")), "{d:?}");
}

#[test]
fn a_missing_priority_class_refuses_the_pod_as_the_priority_plugin_does() {
    let parsed = parse_manifests(NGINX_HIGH);
    let mut sim = Sim::new(SimConfig::default());
    let results = sim.apply(parsed.objects);
    assert_eq!(
        results,
        [ApplyResult::Refused {
            kind: "Pod",
            name: "nginx".into(),
            message: "pods \"nginx\" is forbidden: no PriorityClass with name high-priority was found".into(),
        }]
    );
    assert!(sim.pods().is_empty());
}

#[test]
fn an_applied_or_system_priority_class_sets_the_pods_priority() {
    let sim = sim_with(&format!("{HIGH_PRIORITY}---\n{NGINX_HIGH}"));
    let v = json::pod_json(&sim.pod("default", "nginx").expect("admitted")).to_string();
    assert!(v.contains("\"priorityClassName\":\"high-priority\",\"priority\":1000000"), "{v}");
    let critical = NGINX_HIGH.replace("high-priority", "system-cluster-critical");
    let sim = sim_with(&critical);
    let v = json::pod_json(&sim.pod("default", "nginx").expect("admitted")).to_string();
    assert!(v.contains("\"priority\":2000000000"), "{v}");
}

#[test]
fn a_controller_whose_pods_are_refused_records_failed_create() {
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      priorityClassName: nope\n      containers: [{name: web, image: nginx:1.27}]\n";
    let mut sim = sim_with(deploy);
    sim.advance_to(10_000);
    assert!(sim.pods().is_empty());
    let failed = sim.events().iter().find(|e| e.reason == "FailedCreate").expect("FailedCreate");
    assert!(failed.message.starts_with("Error creating: pods \"web-"), "{}", failed.message);
    assert!(
        failed.message.ends_with("-\" is forbidden: no PriorityClass with name nope was found"),
        "{}",
        failed.message
    );
}

/// kubernetes.io "Pod Topology Spread Constraints"
/// (pods/topology-spread-constraints/one-constraint.yaml) on a cluster whose
/// nodes have no `zone` label: the PodTopologySpread filter refuses every
/// node with `ErrReasonNodeLabelNotMatch` (UnschedulableAndUnresolvable, so
/// preemption is not helpful), pkg/scheduler/framework/plugins/podtopologyspread/filtering.go.
const ONE_CONSTRAINT: &str = "kind: Pod
apiVersion: v1
metadata:
  name: mypod
  labels:
    foo: bar
spec:
  topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: zone
    whenUnsatisfiable: DoNotSchedule
    labelSelector:
      matchLabels:
        foo: bar
  containers:
  - name: pause
    image: registry.k8s.io/pause:3.1
";

#[test]
fn a_spread_constraint_on_a_key_no_node_carries_leaves_the_pod_pending() {
    let mut sim = sim_with(ONE_CONSTRAINT);
    sim.advance_to(5_000);
    let pod = sim.pod("default", "mypod").expect("created");
    assert!(pod.node_name.is_none());
    let e = sim.events().iter().find(|e| e.reason == "FailedScheduling").expect("FailedScheduling");
    assert_eq!(
        e.message,
        "0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints (missing required label). preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
    // ScheduleAnyway only scores: the Pod is bound.
    let soft = ONE_CONSTRAINT.replace("DoNotSchedule", "ScheduleAnyway");
    let sim = sim_with(&soft);
    assert!(sim.pod("default", "mypod").expect("created").node_name.is_some());
}

/// maxSkew 1 over `kubernetes.io/hostname`: six replicas land two per node,
/// even though a busy node-1 scores lowest (least allocated alone would put
/// them all on node-2 and node-3).
#[test]
fn pods_spread_within_max_skew_over_the_topology_domains() {
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: s}\nspec:\n  replicas: 6\n  selector: {matchLabels: {app: s}}\n  template:\n    metadata: {labels: {app: s}}\n    spec:\n      topologySpreadConstraints:\n      - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: s}}}\n      containers: [{name: c, image: registry.k8s.io/pause:3.1, resources: {requests: {cpu: 10m}}}]\n";
    let busy = "apiVersion: v1\nkind: Pod\nmetadata: {name: busy}\nspec:\n  nodeName: node-1\n  containers: [{name: c, image: registry.k8s.io/pause:3.1, resources: {requests: {cpu: 3}}}]\n";
    let mut sim = sim_with(&format!("{busy}---\n{deploy}"));
    sim.advance_to(10_000);
    let mut per_node = std::collections::BTreeMap::new();
    for p in sim.pods().iter().filter(|p| p.pod.metadata.name != "busy") {
        *per_node.entry(p.node_name.clone().expect("bound")).or_insert(0) += 1;
    }
    assert_eq!(per_node.values().copied().collect::<Vec<i32>>(), [2, 2, 2], "{per_node:?}");
}

#[test]
fn spread_constraints_are_validated_and_printed_as_the_api_server_does() {
    let bad = ONE_CONSTRAINT.replace("maxSkew: 1", "maxSkew: 0").replace("DoNotSchedule", "Sometimes");
    let d = diagnostics(&bad);
    assert!(d.contains(&"line 9, column 14: spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero".to_string()), "{d:?}");
    assert!(d.iter().any(|m| m.ends_with("whenUnsatisfiable: Unsupported value: \"Sometimes\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"")), "{d:?}");
    let sim = sim_with(ONE_CONSTRAINT);
    let v = json::pod_json(&sim.pod("default", "mypod").expect("created")).to_string();
    assert!(
        v.contains("\"topologySpreadConstraints\":[{\"maxSkew\":1,\"topologyKey\":\"zone\",\"whenUnsatisfiable\":\"DoNotSchedule\",\"labelSelector\":{\"matchLabels\":{\"foo\":\"bar\"}}}]"),
        "{v}"
    );
}
