//! The watch stream (`podplay run -o json`) carries ConfigMaps and Secrets
//! as the API server returns them: ADDED with a uid, resourceVersion and
//! creationTimestamp when created, MODIFIED with a new resourceVersion when
//! an apply changes them, nothing when it does not (the watch cache sends an
//! event per stored change, staging/src/k8s.io/apiserver/pkg/storage/cacher);
//! a Secret's `data` in standard base64 (Go's `base64.StdEncoding` for
//! `[]byte`), then `type` (k8s.io/api/core/v1 `Secret` field order).

use podplay::core::engine::{Sim, SimConfig, Snapshot};
use podplay::core::json;
use podplay::core::manifest::parse_manifests;

const CONFIG: &str = "apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {region: eu-west}
---
apiVersion: v1
kind: Secret
metadata: {name: db}
stringData: {password: s3cret}
";

/// The watch lines of ConfigMaps, Secrets and Namespaces not yet read.
fn watch_lines(sim: &mut Sim) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(o) = sim.poll_output() {
        if matches!(o.object, Snapshot::ConfigMap(..) | Snapshot::Secret(..) | Snapshot::Namespace(..)) {
            out.push(json::output_json(&o).to_string());
        }
    }
    out
}

#[test]
fn config_maps_and_secrets_are_in_the_watch_stream() {
    let mut sim = Sim::new(SimConfig::default());
    sim.apply(parse_manifests(CONFIG).objects);
    let lines = watch_lines(&mut sim);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"settings\",\"namespace\":\"default\",\"uid\":"), "{}", lines[0]);
    assert!(lines[0].ends_with("\"data\":{\"region\":\"eu-west\"}}}"), "{}", lines[0]);
    assert!(lines[1].contains("\"kind\":\"Secret\""), "{}", lines[1]);
    assert!(lines[1].ends_with("\"data\":{\"password\":\"czNjcmV0\"},\"type\":\"Opaque\"}}"), "{}", lines[1]);

    // The same apply again: no event; a changed value: MODIFIED, a newer resourceVersion.
    sim.apply(parse_manifests(CONFIG).objects);
    assert!(watch_lines(&mut sim).is_empty());
    sim.apply(parse_manifests(&CONFIG.replace("eu-west", "us-east")).objects);
    let changed = watch_lines(&mut sim);
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].contains("\"type\":\"MODIFIED\"") && changed[0].contains("us-east"), "{}", changed[0]);
    let rv = |l: &str| {
        l.split("\"resourceVersion\":\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("")
            .parse::<u64>()
            .unwrap_or(0)
    };
    assert!(rv(&changed[0]) > rv(&lines[0]), "{} vs {}", changed[0], lines[0]);
}

/// kubernetes.io "Namespaces Walkthrough" (admin/namespace-dev.yaml): the
/// applied Namespace is ADDED with the label the API server sets, the
/// `kubernetes` finalizer and phase Active; the cluster's own namespaces
/// were there before the stream began.
#[test]
fn an_applied_namespace_is_in_the_watch_stream() {
    let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: development\n  labels:\n    name: development\n";
    let mut sim = Sim::new(SimConfig::default());
    sim.apply(parse_manifests(text).objects);
    let lines = watch_lines(&mut sim);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains(
            "\"object\":{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"development\",\"uid\":"
        ),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with("\"labels\":{\"kubernetes.io/metadata.name\":\"development\",\"name\":\"development\"}},\"spec\":{\"finalizers\":[\"kubernetes\"]},\"status\":{\"phase\":\"Active\"}}}"), "{}", lines[0]);
}

const DAEMON_SET: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-agent}
spec:
  selector: {matchLabels: {app: node-agent}}
  template:
    metadata: {labels: {app: node-agent}}
    spec:
      containers:
      - {name: agent, image: busybox:1.36, command: [sleep, \"3600\"]}
";

/// Every watch line of `kind` not yet read, as (type, object).
fn objects_of(sim: &mut Sim, kind: &str) -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    while let Some(o) = sim.poll_output() {
        let line = json::output_json(&o);
        if line["object"]["kind"].as_str() == Some(kind) {
            out.push((line["type"].as_str().unwrap_or("").to_string(), line["object"].clone()));
        }
    }
    out
}

/// kubernetes.io `controllers/daemonset.yaml` shape: the DaemonSet is ADDED
/// with the `deprecated.daemonset.template.generation` annotation
/// (pkg/apis/apps/v1/conversion.go) and `revisionHistoryLimit` 10
/// (`SetDefaults_DaemonSet`), then MODIFIED as its controller writes the
/// status (`updateDaemonSetStatus`, pkg/controller/daemon/daemon_controller.go).
#[test]
fn a_daemon_set_and_its_status_are_in_the_watch_stream() {
    let mut sim = Sim::new(SimConfig::default());
    sim.apply(parse_manifests(DAEMON_SET).objects);
    sim.advance_to(30_000);
    let sets = objects_of(&mut sim, "DaemonSet");
    assert_eq!(sets[0].0, "ADDED");
    let first = json::watch_event_json(0, "ADDED", sets[0].1.clone()).to_string();
    assert!(first.contains("\"object\":{\"kind\":\"DaemonSet\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"node-agent\",\"namespace\":\"default\",\"uid\":"), "{first}");
    assert!(first.contains("\"generation\":1,"), "{first}");
    assert!(first.contains("\"annotations\":{\"deprecated.daemonset.template.generation\":\"1\"}"), "{first}");
    assert!(first.contains("\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":1,\"maxSurge\":0}},\"revisionHistoryLimit\":10},\"status\":{\"currentNumberScheduled\":0,\"numberMisscheduled\":0,\"desiredNumberScheduled\":0,\"numberReady\":0}}"), "{first}");
    let last = &sets.last().unwrap().1;
    assert_eq!(last["status"]["desiredNumberScheduled"].as_i64(), Some(3));
    assert_eq!(last["status"]["numberReady"].as_i64(), Some(3));
    assert_eq!(last["status"]["observedGeneration"].as_i64(), Some(1));
}

/// pkg/controller/daemon/update.go `constructHistory`/`snapshot`: one
/// ControllerRevision per template, named `<ds>-<hash>` (the hash the Pods'
/// `controller-revision-hash` label carries), owned by the DaemonSet, `data`
/// the `getPatch` of its template (`"$patch": "replace"`, keys sorted as a
/// marshalled map); a template the history has (a rollback) keeps its
/// revision object and takes the next revision number (MODIFIED).
#[test]
fn controller_revisions_follow_the_daemon_set_template() {
    let mut sim = Sim::new(SimConfig::default());
    sim.apply(parse_manifests(DAEMON_SET).objects);
    sim.advance_to(10_000);
    let first = objects_of(&mut sim, "ControllerRevision");
    assert_eq!(first.len(), 1);
    let (t, r1) = &first[0];
    assert_eq!(t, "ADDED");
    let hash = sim.pods()[0].pod.metadata.labels["controller-revision-hash"].clone();
    assert_eq!(r1["metadata"]["name"].as_str(), Some(format!("node-agent-{hash}").as_str()));
    assert_eq!(r1["revision"].as_i64(), Some(1));
    assert_eq!(r1["metadata"]["ownerReferences"][0]["kind"].as_str(), Some("DaemonSet"));
    let data = r1["data"].to_string();
    assert!(data.starts_with("{\"spec\":{\"template\":{\"$patch\":\"replace\",\"metadata\":{\"labels\":{\"app\":\"node-agent\"}},\"spec\":{\"containers\":[{\"command\":[\"sleep\",\"3600\"],\"image\":\"busybox:1.36\",\"imagePullPolicy\":\"IfNotPresent\",\"name\":\"agent\""), "{data}");

    sim.apply(parse_manifests(&DAEMON_SET.replace("busybox:1.36", "busybox:1.37")).objects);
    sim.advance_to(20_000);
    let second = objects_of(&mut sim, "ControllerRevision");
    assert_eq!(second.len(), 1);
    assert_eq!((second[0].0.as_str(), second[0].1["revision"].as_i64()), ("ADDED", Some(2)));

    sim.apply(parse_manifests(DAEMON_SET).objects);
    sim.advance_to(30_000);
    let back = objects_of(&mut sim, "ControllerRevision");
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].0, "MODIFIED");
    assert_eq!(back[0].1["metadata"]["name"], r1["metadata"]["name"]);
    assert_eq!(back[0].1["revision"].as_i64(), Some(3));
}

/// The cluster's Nodes were there before the stream began; a stopped
/// kubelet's Node is MODIFIED when the node lifecycle controller gives up on
/// it (pkg/controller/nodelifecycle: every condition Unknown,
/// `NodeStatusUnknown` "Kubelet stopped posting node status.", the
/// unreachable taints, the NoExecute one with `timeAdded`).
#[test]
fn a_lost_node_is_modified_in_the_watch_stream() {
    let mut sim = Sim::new(SimConfig::default());
    sim.advance_to(30_000);
    assert!(objects_of(&mut sim, "Node").is_empty());
    podplay::core::engine::Sim::act(&mut sim, &podplay::session::parse_action("stop node node-1").unwrap()).unwrap();
    sim.advance_to(120_000);
    let nodes = objects_of(&mut sim, "Node");
    assert_eq!(nodes.len(), 1, "{nodes:?}");
    let (t, n) = &nodes[0];
    assert_eq!(t, "MODIFIED");
    assert_eq!(n["metadata"]["name"].as_str(), Some("node-1"));
    let ready = &n["status"]["conditions"][3];
    assert_eq!(ready["type"].as_str(), Some("Ready"));
    assert_eq!(ready["status"].as_str(), Some("Unknown"));
    assert_eq!(ready["message"].as_str(), Some("Kubelet stopped posting node status."));
    assert_eq!(ready["lastTransitionTime"].as_str(), Some("2026-01-01T00:01:25Z"));
    let taints = n["spec"]["taints"].to_string();
    assert_eq!(taints, "[{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoSchedule\"},{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoExecute\",\"timeAdded\":\"2026-01-01T00:01:25Z\"}]");
}
