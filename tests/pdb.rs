//! PodDisruptionBudget (policy/v1): the API server's validation
//! (`ValidatePodDisruptionBudgetSpec`), the disruption controller's status
//! (pkg/controller/disruption/disruption.go), `kubectl get pdb`
//! (`printPodDisruptionBudget`), and `kubectl drain` through the Eviction
//! API, which refuses with 429 while the budget allows no disruption
//! (pkg/registry/core/pod/storage/eviction.go) and is retried every 5 s
//! (staging/src/k8s.io/kubectl/pkg/drain/drain.go, `evictPods`).

mod common;

use common::sim_with;
use podplay::core::engine::Sim;
use podplay::core::manifest::parse_manifests;
use podplay::core::{get, json, kubectl};
use podplay::session::parse_action;

fn act(sim: &mut Sim, text: &str) -> Result<(), String> {
    sim.act(&parse_action(text).expect("action parses")).map_err(|e| e.0)
}

fn errors(yaml: &str) -> Vec<String> {
    parse_manifests(yaml).diagnostics.iter().map(|d| d.to_string()).collect()
}

const WEB: &str = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
";

fn with_budget(budget: &str) -> String {
    format!(
        "{WEB}---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: web-pdb}}
spec:
  {budget}
  selector: {{matchLabels: {{app: web}}}}
"
    )
}

fn pdb_row(sim: &Sim) -> Vec<String> {
    let pdbs = sim.pod_disruption_budgets();
    assert_eq!(pdbs.len(), 1);
    kubectl::pdb_row(&pdbs[0], sim.now())
}

#[test]
fn validation_as_the_api_server_words_it() {
    let both = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: b}\nspec:\n  minAvailable: 2\n  maxUnavailable: 1\n  selector: {matchLabels: {app: web}}\n";
    let errs = errors(both);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].starts_with("line 5, column 3: spec: Invalid value: "), "{}", errs[0]);
    assert!(errs[0].ends_with(": minAvailable and maxUnavailable cannot be both set"), "{}", errs[0]);

    let negative = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: b}\nspec:\n  minAvailable: -1\n";
    assert_eq!(
        errors(negative),
        ["line 5, column 17: spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"]
    );
    let over = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: b}\nspec:\n  maxUnavailable: 120%\n";
    let errs = errors(over);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("spec.maxUnavailable: Invalid value: ") && errs[0].ends_with("must not be greater than 100%")
    );
    let policy = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: b}\nspec:\n  unhealthyPodEvictionPolicy: Sometimes\n";
    assert_eq!(
        errors(policy),
        [
            "line 5, column 31: spec.unhealthyPodEvictionPolicy: Unsupported value: \"Sometimes\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\""
        ]
    );
    let old = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: b}\n";
    let errs = errors(old);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].ends_with(
            "no matches for kind \"PodDisruptionBudget\" in version \"policy/v1beta1\" (use \"apiVersion: policy/v1\")"
        ),
        "{}",
        errs[0]
    );
}

#[test]
fn status_counts_ready_pods_against_min_available() {
    let mut sim = sim_with(&with_budget("minAvailable: 2"));
    // Before the Pods are Ready, nothing may be disrupted.
    assert_eq!(pdb_row(&sim)[1..4], ["2", "N/A", "0"]);
    sim.advance_to(30_000);
    assert_eq!(pdb_row(&sim), ["web-pdb", "2", "N/A", "1", "30s"]);
    let st = &sim.pod_disruption_budgets()[0].status;
    assert_eq!((st.current_healthy, st.desired_healthy, st.expected_pods), (3, 2, 3));
    assert_eq!((st.condition.status, st.condition.reason), (true, "SufficientPods"));
}

#[test]
fn max_unavailable_and_percentages_scale_with_the_deployment() {
    let mut sim = sim_with(&with_budget("maxUnavailable: 1"));
    sim.advance_to(30_000);
    assert_eq!(pdb_row(&sim)[1..4], ["N/A", "1", "1"]);
    let st = &sim.pod_disruption_budgets()[0].status;
    assert_eq!((st.expected_pods, st.desired_healthy), (3, 2));
    // A percentage of minAvailable is rounded up: 50% of 3 is 2.
    let mut sim = sim_with(&with_budget("minAvailable: 50%"));
    sim.advance_to(30_000);
    assert_eq!(pdb_row(&sim)[1..4], ["50%", "N/A", "1"]);
    // The expected count is the Deployment's scale, not the Pods there are.
    act(&mut sim, "scale deployment/web --replicas=6").unwrap();
    let st = &sim.pod_disruption_budgets()[0].status;
    assert_eq!((st.expected_pods, st.desired_healthy, st.current_healthy), (6, 3, 3));
}

#[test]
fn a_budget_over_pods_without_a_scale_fails_its_sync() {
    let yaml = "apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: busybox:1.36, command: [sleep, '3600']}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: agent}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: agent}}
";
    let mut sim = sim_with(yaml);
    sim.advance_to(30_000);
    let st = &sim.pod_disruption_budgets()[0].status;
    assert_eq!(st.disruptions_allowed, 0);
    assert_eq!(st.condition.reason, "SyncFailed");
    assert!(st.condition.message.starts_with("found no controllers for pod \"agent-"), "{}", st.condition.message);
}

/// The node that runs a Pod of `web`.
fn node_of_web(sim: &Sim) -> String {
    sim.pods().iter().find_map(|p| p.node_name.clone()).expect("a scheduled Pod")
}

#[test]
fn drain_is_refused_by_the_budget_and_retries_every_five_seconds() {
    let mut sim = sim_with(&with_budget("minAvailable: 3"));
    sim.advance_to(30_000);
    assert_eq!(pdb_row(&sim)[3], "0");
    let node = node_of_web(&sim);
    let victim = sim.pods().into_iter().find(|p| p.node_name.as_deref() == Some(node.as_str())).unwrap();
    let name = victim.pod.metadata.name.clone();
    // kubectl drain does not fail: it prints the refusal and tries again.
    act(&mut sim, &format!("drain node {node}")).unwrap();
    let line = format!(
        "error when evicting pods/\"{name}\" -n \"default\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget."
    );
    assert_eq!(sim.poll_client_message(), Some((30_000, line.clone())));
    // Refused again at each retry while the budget holds.
    sim.advance_to(52_000);
    let retries: Vec<(u64, String)> = std::iter::from_fn(|| sim.poll_client_message()).collect();
    assert_eq!(retries, [35_000, 40_000, 45_000, 50_000].map(|t| (t, line.clone())));
    assert!(sim.pod("default", &name).unwrap().server.deletion_ms.is_none());
    // A fourth replica (on another node: this one is cordoned) makes room.
    act(&mut sim, "scale deployment/web --replicas=4").unwrap();
    sim.advance_to(120_000);
    let evicted_at = sim
        .events()
        .iter()
        .find(|e| e.involved.name == name && e.reason == "Killing")
        .map(|e| e.first_ms)
        .expect("the Pod was evicted");
    // kubectl's retries run at 35 s, 40 s, …: the eviction lands on one.
    assert_eq!((evicted_at - 30_000) % 5_000, 0, "evicted at {evicted_at}");
    assert!(evicted_at > 52_000);
    assert!(sim.pods().iter().all(|p| p.node_name.as_deref() != Some(node.as_str())), "the node is drained");
}

#[test]
fn drain_evicts_within_the_budget_and_refuses_past_it() {
    // Two Pods per node when there are six replicas on three nodes: a
    // budget that allows one disruption lets one go and holds the other.
    let yaml = with_budget("maxUnavailable: 1").replace("replicas: 3", "replicas: 6");
    let mut sim = sim_with(&yaml);
    sim.advance_to(30_000);
    let node = node_of_web(&sim);
    let on_node: Vec<String> = sim
        .pods()
        .into_iter()
        .filter(|p| p.node_name.as_deref() == Some(node.as_str()))
        .map(|p| p.pod.metadata.name.clone())
        .collect();
    assert!(on_node.len() >= 2, "{on_node:?}");
    act(&mut sim, &format!("drain node {node}")).unwrap();
    let refused: Vec<(u64, String)> = std::iter::from_fn(|| sim.poll_client_message()).collect();
    assert_eq!(refused.len(), on_node.len() - 1, "{refused:?}");
    assert!(refused.iter().all(|(t, l)| *t == 30_000 && l.ends_with("violate the pod's disruption budget.")));
    let deleting = sim.pods().iter().filter(|p| p.server.deletion_ms.is_some()).count();
    assert_eq!(deleting, 1);
    // The replacements become Ready elsewhere and the retries finish the drain.
    sim.advance_to(180_000);
    assert!(sim.pods().iter().all(|p| p.node_name.as_deref() != Some(node.as_str())), "the node is drained");
}

#[test]
fn json_in_go_field_order() {
    let mut sim = sim_with(&with_budget("minAvailable: 2"));
    sim.advance_to(30_000);
    let v = json::pdb_json(&sim.pod_disruption_budgets()[0]).to_string();
    let spec = v.find("\"spec\":{\"minAvailable\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}}}").expect(&v);
    let status = v
        .find("\"status\":{\"observedGeneration\":1,\"disruptionsAllowed\":1,\"currentHealthy\":3,\"desiredHealthy\":2,\"expectedPods\":3,\"conditions\":[{\"type\":\"DisruptionAllowed\",\"status\":\"True\",\"observedGeneration\":1,")
        .expect(&v);
    assert!(v.starts_with("{\"kind\":\"PodDisruptionBudget\",\"apiVersion\":\"policy/v1\""), "{v}");
    assert!(spec < status);
    assert!(v.contains("\"reason\":\"SufficientPods\",\"message\":\"\"}]"), "{v}");
}

#[test]
fn kubectl_get_pdb_prints_the_budget_table() {
    let mut sim = sim_with(&with_budget("minAvailable: 2"));
    sim.advance_to(30_000);
    let printer = get::printer("pdb").expect("kubectl get pdb");
    assert_eq!(get::printer("poddisruptionbudgets").map(|p| p.kind), Some("PodDisruptionBudget"));
    assert_eq!(
        printer.table(&sim, sim.now(), false),
        "NAME      MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\n\
         web-pdb   2               N/A               1                     30s\n"
    );
}
