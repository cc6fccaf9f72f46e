//! The Job and StatefulSet controllers through the engine API.

mod common;
use common::{act, sim_with};
use podplay::core::engine::Sim;
use podplay::core::manifest::parse_manifests;
use podplay::core::status::PodPhase;
use podplay::examples;
use podplay::session::parse_action;

fn job_yaml(extra_spec: &str, restart: &str, command: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {{name: j}}\nspec:\n{extra_spec}  template:\n    spec:\n      restartPolicy: {restart}\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: [\"sh\", \"-c\", \"{command}\"]\n"
    )
}

/// The times (ms) at which the Job's Pods were created.
fn pod_creations(sim: &Sim) -> Vec<u64> {
    let mut t: Vec<u64> = sim
        .events()
        .iter()
        .filter(|e| e.reason == "SuccessfulCreate" && e.involved.kind == "Job")
        .map(|e| e.first_ms)
        .collect();
    t.sort();
    t
}

#[test]
fn a_failing_job_backs_off_10s_then_20s_and_fails_past_its_backoff_limit() {
    let mut sim = sim_with(examples::find("job-backoff-limit").unwrap().yaml);
    sim.advance_to(120_000);
    let job = &sim.jobs()[0];
    assert_eq!(job.status.failed, 3, "backoffLimit 2: the third failure ends it");
    let failed = job.status.condition("Failed").expect("Failed");
    assert_eq!(failed.reason, "BackoffLimitExceeded");
    assert_eq!(failed.message, "Job has reached the specified backoff limit");
    assert!(job.status.condition("FailureTarget").is_some(), "the interim condition comes first (v1.31+)");
    // Each Pod fails 2 s after it starts; the next comes 10 s, then 20 s,
    // after the failed Pod's (second-precision) finish.
    let created = pod_creations(&sim);
    assert_eq!(created.len(), 3);
    let finishes: Vec<u64> = sim
        .pods()
        .iter()
        .map(|p| match &p.status.container_statuses[0].state {
            podplay::core::status::ContainerState::Terminated(t) => t.finished_at_ms / 1000 * 1000,
            s => panic!("not terminated: {s:?}"),
        })
        .collect();
    let mut finishes = finishes;
    finishes.sort();
    assert_eq!(created[1], finishes[0] + 10_000);
    assert_eq!(created[2], finishes[1] + 20_000);
    assert!(sim.pods().iter().all(|p| p.status.phase == PodPhase::Failed), "failed Pods stay for their logs");
    let warning = sim.events().iter().find(|e| e.reason == "BackoffLimitExceeded").expect("the Warning event");
    assert_eq!(warning.type_.as_str(), "Warning");
}

#[test]
fn the_pi_job_of_the_jobs_page_completes_and_logs_two_thousand_digits() {
    // kubernetes.io "Jobs", "Running an example Job": perl computes π to
    // 2,000 places; the Job completes and `kubectl logs` shows the digits.
    let yaml = "
apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: [\"perl\",  \"-Mbignum=bpi\", \"-wle\", \"print bpi(2000)\"]
      restartPolicy: Never
  backoffLimit: 4
";
    let mut sim = sim_with(yaml);
    sim.advance_to(120_000);
    let job = &sim.jobs()[0];
    assert!(job.status.condition("Complete").is_some(), "{:?}", job.status);
    assert_eq!(job.status.succeeded, 1);
    let pod = sim.pods()[0].pod.metadata.name.clone();
    let logs = sim.logs("default", &pod, "pi").unwrap();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].len(), 2001);
    assert!(logs[0].starts_with("3.14159265358979"));
}

#[test]
fn a_parallel_job_runs_two_at_a_time_and_completes_after_three() {
    let mut sim = sim_with(examples::find("job-parallel").unwrap().yaml);
    sim.advance_to(4_000);
    assert_eq!(sim.jobs()[0].status.active, 2, "parallelism 2");
    sim.advance_to(60_000);
    let job = &sim.jobs()[0];
    assert_eq!(job.status.succeeded, 3);
    assert_eq!(sim.pods().len(), 3, "never more Pods than completions when none fails");
    let complete = job.status.condition("Complete").expect("Complete");
    assert_eq!(complete.reason, "CompletionsReached");
    assert!(job.status.condition("SuccessCriteriaMet").is_some());
    assert_eq!(job.status.completion_ms, Some(complete.last_transition_ms));
    let row = podplay::core::kubectl::job_row(job, 60_000, false);
    assert_eq!(row[1..4], ["Complete".to_string(), "3/3".to_string(), "15s".to_string()]);
    assert!(sim.events().iter().any(|e| e.reason == "Completed" && e.message == "Job completed"));
}

#[test]
fn on_failure_restarts_count_against_the_backoff_limit_and_the_pod_is_deleted() {
    let yaml = job_yaml("  backoffLimit: 2\n", "OnFailure", "exit 1");
    let mut sim = sim_with(&yaml);
    sim.advance_to(300_000);
    let job = &sim.jobs()[0];
    let failed = job.status.condition("Failed").expect("Failed");
    assert_eq!(failed.reason, "BackoffLimitExceeded");
    assert_eq!(job.status.failed, 1, "the one Pod, deleted, counts as failed");
    assert!(sim.events().iter().any(|e| e.reason == "SuccessfulDelete" && e.involved.kind == "Job"));
    assert!(sim.pods().is_empty(), "the running Pod was deleted");
    assert_eq!(pod_creations(&sim).len(), 1, "OnFailure restarts in place: one Pod");
}

#[test]
fn active_deadline_fails_the_job_and_deletes_its_pods() {
    let yaml = job_yaml("  activeDeadlineSeconds: 10\n", "Never", "sleep 3600");
    let mut sim = sim_with(&yaml);
    sim.advance_to(9_000);
    assert!(sim.jobs()[0].status.condition("FailureTarget").is_none());
    sim.advance_to(10_500);
    let job = &sim.jobs()[0];
    let target = job.status.condition("FailureTarget").expect("FailureTarget at the deadline");
    assert_eq!(target.reason, "DeadlineExceeded");
    assert_eq!(target.message, "Job was active longer than specified deadline");
    assert!(job.status.condition("Failed").is_none(), "Failed waits for the Pod to terminate");
    assert_eq!(job.status.terminating, 1);
    assert_eq!(podplay::core::kubectl::job_row(job, 10_500, false)[1], "FailureTarget");
    sim.advance_to(60_000);
    let job = &sim.jobs()[0];
    assert_eq!(job.status.condition("Failed").expect("Failed").reason, "DeadlineExceeded");
    assert!(sim.pods().is_empty());
}

#[test]
fn ttl_after_finished_deletes_the_job_and_its_pods() {
    let yaml = job_yaml("  ttlSecondsAfterFinished: 5\n", "Never", "echo ok");
    let mut sim = sim_with(&yaml);
    sim.advance_to(5_000);
    assert_eq!(sim.jobs().len(), 1);
    sim.advance_to(60_000);
    assert!(sim.jobs().is_empty());
    assert!(sim.pods().is_empty());
}

#[test]
fn deleting_a_job_cascades_to_its_pods() {
    let mut sim = sim_with(examples::find("job-parallel").unwrap().yaml);
    sim.advance_to(3_000);
    act(&mut sim, "delete job/work");
    assert!(sim.jobs().is_empty());
    sim.advance_to(60_000);
    assert!(sim.pods().is_empty());
    assert!(parse_action("scale job/work --replicas=2").is_err());
}

#[test]
fn job_manifests_are_validated_as_the_api_server_does() {
    let no_policy = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: busybox}]\n";
    let parsed = parse_manifests(no_policy);
    let msgs: Vec<String> = parsed.diagnostics.iter().map(|d| format!("{}: {}", d.path, d.message)).collect();
    assert!(
        msgs.iter()
            .any(|m| m == "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""),
        "{msgs:?}"
    );
    let selector = job_yaml("  selector: {matchLabels: {a: b}}\n", "Never", "true");
    let parsed = parse_manifests(&selector);
    assert!(
        parsed.diagnostics.iter().any(|d| d.message.contains("`selector` not auto-generated")),
        "{:?}",
        parsed.diagnostics
    );
    let negative = job_yaml("  backoffLimit: -1\n", "Never", "true");
    assert!(parse_manifests(&negative).has_errors());
    // Indexed Jobs are simulated (tests/indexed_jobs.rs); they need completions.
    let indexed = job_yaml("  completionMode: Indexed\n  completions: 2\n", "Never", "true");
    assert!(parse_manifests(&indexed).diagnostics.is_empty(), "{:?}", parse_manifests(&indexed).diagnostics);
    let indexed = job_yaml("  completionMode: Indexed\n  parallelism: 2\n", "Never", "true");
    assert!(parse_manifests(&indexed)
        .diagnostics
        .iter()
        .any(|d| d.message.contains("when completion mode is Indexed")));
    let wrong_version = "apiVersion: v1\nkind: Job\nmetadata: {name: j}\n";
    assert!(parse_manifests(wrong_version).diagnostics.iter().any(|d| d.message.contains("batch/v1")));
}

fn sts_yaml(policy: &str, image: &str) -> String {
    let yaml = examples::find("statefulset").unwrap().yaml;
    let yaml = yaml.replace("registry.k8s.io/nginx-slim:0.24", image);
    yaml.replace("  serviceName: \"nginx\"\n", &format!("  serviceName: \"nginx\"\n  podManagementPolicy: {policy}\n"))
}

fn pod_names(sim: &Sim) -> Vec<String> {
    sim.pods().iter().map(|p| p.pod.metadata.name.clone()).collect()
}

#[test]
fn ordered_ready_starts_each_ordinal_after_the_previous_is_ready() {
    let mut sim = sim_with(examples::find("statefulset").unwrap().yaml);
    sim.advance_to(3_000);
    assert_eq!(pod_names(&sim), ["web-0"], "web-1 waits for web-0 to be Running and Ready");
    sim.advance_to(30_000);
    assert_eq!(pod_names(&sim), ["web-0", "web-1", "web-2"]);
    let created: Vec<u64> =
        ["web-0", "web-1", "web-2"].iter().map(|n| sim.pod("default", n).unwrap().server.creation_ms).collect();
    let ready0 = sim
        .pod("default", "web-0")
        .unwrap()
        .status
        .condition(podplay::core::status::ConditionType::Ready)
        .unwrap()
        .last_transition_ms;
    assert!(created[1] > ready0 && created[2] > created[1]);
    let p = sim.pod("default", "web-2").unwrap();
    let labels = &p.pod.metadata.labels;
    assert_eq!(labels.get("statefulset.kubernetes.io/pod-name").map(String::as_str), Some("web-2"));
    assert_eq!(labels.get("apps.kubernetes.io/pod-index").map(String::as_str), Some("2"));
    assert!(labels.get("controller-revision-hash").is_some_and(|h| h.starts_with("web-")));
    assert_eq!(p.pod.spec.hostname.as_deref(), Some("web-2"));
    assert_eq!(p.pod.spec.subdomain.as_deref(), Some("nginx"));
    let claims: Vec<String> = sim.persistent_volume_claims().iter().map(|c| c.name.clone()).collect();
    assert_eq!(claims, ["www-web-0", "www-web-1", "www-web-2"]);
    let set = &sim.stateful_sets()[0];
    assert_eq!((set.status.replicas, set.status.ready_replicas), (3, 3));
}

#[test]
fn a_deleted_pod_comes_back_with_its_name_its_claim_and_a_new_ip() {
    let mut sim = sim_with(examples::find("statefulset").unwrap().yaml);
    sim.advance_to(30_000);
    let before = sim.pod("default", "web-1").unwrap();
    act(&mut sim, "delete pod/web-1");
    sim.advance_to(60_000);
    let after = sim.pod("default", "web-1").expect("re-created with the same name");
    assert_ne!(after.server.uid, before.server.uid);
    assert_ne!(after.status.pod_ip, before.status.pod_ip);
    assert!(after.status.is_ready());
    assert_eq!(sim.persistent_volume_claims().len(), 3, "the claim is kept and reused");
}

#[test]
fn scale_down_goes_from_the_highest_ordinal_one_at_a_time_and_keeps_claims() {
    let mut sim = sim_with(examples::find("statefulset").unwrap().yaml);
    sim.advance_to(30_000);
    act(&mut sim, "scale statefulset/web --replicas=1");
    sim.advance_to(30_100);
    let terminating: Vec<String> =
        sim.pods().iter().filter(|p| p.server.deletion_ms.is_some()).map(|p| p.pod.metadata.name.clone()).collect();
    assert_eq!(terminating, ["web-2"], "OrderedReady: the highest ordinal first, alone");
    sim.advance_to(60_000);
    assert_eq!(pod_names(&sim), ["web-0"]);
    assert_eq!(sim.persistent_volume_claims().len(), 3);
    act(&mut sim, "delete statefulset/web");
    sim.advance_to(90_000);
    assert!(sim.pods().is_empty());
    assert_eq!(sim.persistent_volume_claims().len(), 3, "whenDeleted: Retain");
}

#[test]
fn parallel_starts_every_ordinal_at_once() {
    let mut sim = sim_with(&sts_yaml("Parallel", "registry.k8s.io/nginx-slim:0.24"));
    sim.advance_to(1_000);
    assert_eq!(pod_names(&sim), ["web-0", "web-1", "web-2"]);
}

#[test]
fn a_template_change_rolls_from_the_highest_ordinal() {
    let mut sim = sim_with(examples::find("statefulset").unwrap().yaml);
    sim.advance_to(30_000);
    let old_rev = sim.stateful_sets()[0].status.update_revision.clone();
    let parsed = parse_manifests(&sts_yaml("OrderedReady", "registry.k8s.io/nginx-slim:0.27"));
    sim.act(&podplay::core::engine::Action::Apply(parsed.objects)).unwrap();
    sim.advance_to(30_100);
    let terminating: Vec<String> =
        sim.pods().iter().filter(|p| p.server.deletion_ms.is_some()).map(|p| p.pod.metadata.name.clone()).collect();
    assert_eq!(terminating, ["web-2"]);
    sim.advance_to(120_000);
    let set = &sim.stateful_sets()[0];
    assert_ne!(set.status.update_revision, old_rev);
    assert_eq!(set.status.current_revision, set.status.update_revision);
    assert_eq!(set.status.updated_replicas, 3);
    assert!(sim.pods().iter().all(|p| p.pod.spec.containers[0].image.ends_with("0.27")));
}

#[test]
fn a_crashed_container_restarts_in_place_and_the_set_keeps_the_pod() {
    let yaml = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: c, image: busybox:1.36, command: [sh, -c, sleep 3600]}]\n";
    let mut sim = sim_with(yaml);
    sim.advance_to(10_000);
    let first = sim.pod("default", "db-0").unwrap().server.uid.clone();
    sim.act(&parse_action("kill pod/db-0 -c c --exit-code=1").unwrap()).unwrap();
    sim.advance_to(20_000);
    // restartPolicy Always restarts in place: same Pod.
    assert_eq!(sim.pod("default", "db-0").unwrap().server.uid, first);
    assert!(sim.events().iter().all(|e| !(e.reason == "SuccessfulDelete" && e.involved.kind == "StatefulSet")));
}

#[test]
fn statefulset_manifests_are_validated() {
    let bad = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  selector: {matchLabels: {a: b}}\n  podManagementPolicy: Sometimes\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: c, image: nginx, volumeMounts: [{name: data, mountPath: /d}]}]\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec: {resources: {requests: {storage: 1Gi}}}\n";
    let msgs: Vec<String> =
        parse_manifests(bad).diagnostics.iter().map(|d| format!("{}: {}", d.path, d.message)).collect();
    assert!(
        msgs.iter().any(|m| m.starts_with("spec.podManagementPolicy: Unsupported value: \"Sometimes\"")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m
            == "spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required"),
        "{msgs:?}"
    );
    assert!(!msgs.iter().any(|m| m.contains("volumeMounts")), "a claim template counts as a volume: {msgs:?}");
}

#[test]
fn extreme_job_fields_neither_panic_nor_spin() {
    for spec in [
        "  completions: 0\n",
        "  parallelism: 0\n",
        "  parallelism: 0\n  completions: 5\n",
        "  ttlSecondsAfterFinished: 2147483647\n",
        "  activeDeadlineSeconds: 9223372036854775807\n",
        "  backoffLimit: 0\n",
        "  backoffLimit: 2147483647\n",
    ] {
        let mut sim = sim_with(&job_yaml(spec, "Never", "exit 1"));
        assert!(sim.advance_within(600_000, 1_000_000), "{spec}: the run finishes");
    }
}

/// A namespaced object needs its namespace (the API server: `namespaces "x"
/// not found`); a `v1 Namespace` in the same apply creates it first, and
/// Services resolve across namespaces by `svc.ns`.
#[test]
fn objects_need_their_namespace_and_a_namespace_object_creates_it() {
    use podplay::core::engine::{ApplyResult, Sim, SimConfig};
    use podplay::core::manifest::parse_manifests;
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n  - {name: c, image: nginx:1.27}\n";
    let mut sim = Sim::new(SimConfig::default());
    let refused = sim.apply(parse_manifests(pod).objects);
    assert!(
        matches!(&refused[..], [ApplyResult::Refused { message, .. }] if message == "namespaces \"shop\" not found"),
        "{refused:?}"
    );
    // The note says how to fix it.
    assert!(
        sim.notes().iter().any(|n| n.ends_with("pod/p not applied: namespaces \"shop\" not found (add a Namespace object named shop to the manifests, as `kubectl create namespace shop` would)")),
        "{:?}",
        sim.notes()
    );
    let with_ns = format!("{pod}---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: shop}}\n");
    let results = sim.apply(parse_manifests(&with_ns).objects);
    assert!(matches!(&results[0], ApplyResult::Created { kind: "Namespace", .. }), "{results:?}");
    assert!(matches!(&results[1], ApplyResult::Created { kind: "Pod", .. }), "{results:?}");
    assert!(sim.namespaces().iter().any(|n| n.namespace.metadata.name == "shop"));
    let again = sim.apply(parse_manifests("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n").objects);
    assert!(matches!(&again[..], [ApplyResult::Unchanged { .. }]), "{again:?}");
    let bad = parse_manifests("apiVersion: v1\nkind: Namespace\nmetadata: {name: Shop.One}\n");
    assert!(bad.has_errors(), "a namespace name is a DNS-1123 label");
}

/// A StatefulSet Pod is found by `hostname.subdomain` once it is a ready
/// endpoint of its headless Service (kubernetes.io "DNS for Services and
/// Pods"; StatefulSet Basics: `nslookup web-0.nginx`).
#[test]
fn statefulset_pods_resolve_by_hostname_dot_service() {
    let client = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: client}\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, 'until nslookup web-2.nginx; do sleep 1; done; nslookup web-0.nginx.default.svc.cluster.local; sleep 3600']\n";
    let yaml = format!("{}{client}", examples::find("statefulset").expect("example").yaml);
    let mut sim = sim_with(&yaml);
    sim.advance_to(60_000);
    let logs = sim.logs("default", "client", "c").expect("client logs").join("\n");
    let ip = |name: &str| sim.pod("default", name).and_then(|p| p.status.pod_ip).expect("pod IP").to_string();
    assert!(logs.contains(&format!("Name:\tweb-2.nginx\nAddress: {}", ip("web-2"))), "{logs}");
    assert!(
        logs.contains(&format!("Name:\tweb-0.nginx.default.svc.cluster.local\nAddress: {}", ip("web-0"))),
        "{logs}"
    );
    assert!(logs.contains("server can't find web-2.nginx: NXDOMAIN"), "not found before web-2 is ready: {logs}");
}

/// VolumeBinding's PreFilter: a Pod whose claim does not exist stays Pending
/// (`persistentvolumeclaim "data" not found`, no node can help); applying
/// the claim schedules it.
#[test]
fn a_pod_waits_for_its_persistent_volume_claim() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: db}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    volumeMounts: [{name: data, mountPath: /data}]\n  volumes:\n  - name: data\n    persistentVolumeClaim: {claimName: data}\n";
    let mut sim = sim_with(pod);
    sim.advance_to(5_000);
    let p = sim.pod("default", "db").expect("pod");
    assert_eq!(p.status.phase, PodPhase::Pending);
    let e = sim.events().iter().find(|e| e.reason == "FailedScheduling").expect("FailedScheduling");
    assert_eq!(
        e.message,
        "0/3 nodes are available: persistentvolumeclaim \"data\" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
    let claim = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n";
    let parsed = parse_manifests(claim);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    sim.apply(parsed.objects);
    sim.advance_to(30_000);
    assert_eq!(sim.pod("default", "db").expect("pod").status.phase, PodPhase::Running);
    let claims = sim.persistent_volume_claims();
    assert_eq!(
        (claims[0].name.as_str(), claims[0].phase, claims[0].storage_class_name.as_str()),
        ("data", "Bound", "standard")
    );
    let bad = parse_manifests("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: x}\nspec: {}\n");
    let msgs: Vec<String> = bad.diagnostics.iter().map(|d| d.message.clone()).collect();
    assert!(msgs.iter().any(|m| m.contains("at least 1 access mode is required")), "{msgs:?}");
}

// ---- DaemonSet updates (pkg/controller/daemon/update.go) -------------------

const FLUENTD_OLD: &str = "quay.io/fluentd_elasticsearch/fluentd:v5.0.1";
const FLUENTD_NEW: &str = "quay.io/fluentd_elasticsearch/fluentd:v2.6.0";

/// The DaemonSet of kubernetes.io's rolling update task with this
/// updateStrategy (and the image replaced when `image` is given).
fn fluentd(strategy: &str, image: Option<&str>) -> String {
    let yaml = examples::find("daemonset-rolling-update").unwrap().yaml;
    let from = "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 1\n";
    assert!(yaml.contains(from));
    let yaml = yaml.replace(from, strategy);
    match image {
        Some(i) => yaml.replace(FLUENTD_OLD, i),
        None => yaml,
    }
}

fn reapply(sim: &mut Sim, yaml: &str) -> Vec<podplay::core::engine::ApplyResult> {
    let parsed = parse_manifests(yaml);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    sim.apply(parsed.objects)
}

/// (node, image, ready, terminating) of each live DaemonSet Pod.
fn ds_pods(sim: &Sim) -> Vec<(String, String, bool, bool)> {
    sim.pods()
        .iter()
        .map(|p| {
            (
                p.node_name.clone().unwrap_or_default(),
                p.pod.spec.containers[0].image.clone(),
                p.status.is_ready(),
                p.server.deletion_ms.is_some(),
            )
        })
        .collect()
}

fn count_events(sim: &Sim, reason: &str) -> usize {
    sim.events().iter().filter(|e| e.reason == reason && e.involved.kind == "DaemonSet").count()
}

/// Nodes with a Ready, non-terminating Pod (all DaemonSet Pods here have no
/// minReadySeconds, so Ready is available).
fn nodes_available(sim: &Sim) -> usize {
    let mut nodes: Vec<String> = ds_pods(sim).into_iter().filter(|p| p.2 && !p.3).map(|p| p.0).collect();
    nodes.sort();
    nodes.dedup();
    nodes.len()
}

#[test]
fn a_changed_daemonset_template_rolls_one_node_at_a_time_with_new_revision_labels() {
    let mut sim = sim_with(&fluentd("", None));
    sim.advance_to(20_000);
    let ds = &sim.daemon_sets()[0];
    assert_eq!((ds.generation, ds.status.desired, ds.status.updated, ds.status.available), (1, 3, 3, 3));
    let old_hash = sim.pods()[0].pod.metadata.labels["controller-revision-hash"].clone();
    assert!(sim.pods().iter().all(|p| p.pod.metadata.labels["pod-template-generation"] == "1"
        && p.pod.metadata.labels["controller-revision-hash"] == old_hash
        && p.pod.metadata.labels["name"] == "fluentd-elasticsearch"));
    // `kubectl apply` of the same DaemonSet with a new image (the default
    // strategy: RollingUpdate, maxUnavailable 1).
    let results = reapply(&mut sim, &fluentd("", Some(FLUENTD_NEW)));
    assert!(matches!(results[0], podplay::core::engine::ApplyResult::Configured { .. }), "{results:?}");
    assert_eq!(sim.daemon_sets()[0].generation, 2);
    // Never more than one node (maxUnavailable) without an available Pod.
    let mut t = 20_000;
    while t < 60_000 {
        t += 50;
        sim.advance_to(t);
        assert!(nodes_available(&sim) >= 2, "at {t} ms: {:?}", ds_pods(&sim));
        assert!(ds_pods(&sim).iter().filter(|p| p.3).count() <= 1, "one old Pod deleted at a time");
    }
    assert_eq!(count_events(&sim, "SuccessfulDelete"), 3);
    assert_eq!(count_events(&sim, "SuccessfulCreate"), 6);
    let pods = sim.pods();
    assert_eq!(pods.len(), 3);
    let new_hash = pods[0].pod.metadata.labels["controller-revision-hash"].clone();
    assert_ne!(new_hash, old_hash);
    for p in &pods {
        assert_eq!(p.pod.spec.containers[0].image, FLUENTD_NEW);
        assert_eq!(p.pod.metadata.labels["pod-template-generation"], "2");
        assert_eq!(p.pod.metadata.labels["controller-revision-hash"], new_hash);
    }
    let ds = &sim.daemon_sets()[0];
    assert_eq!(
        (ds.status.updated, ds.status.available, ds.status.unavailable, ds.status.observed_generation),
        (3, 3, 0, 2)
    );
    // A change outside the template (minReadySeconds) bumps the generation only.
    let yaml = fluentd("  minReadySeconds: 5\n", Some(FLUENTD_NEW));
    reapply(&mut sim, &yaml);
    sim.advance_to(70_000);
    assert_eq!(sim.daemon_sets()[0].generation, 3);
    assert!(sim.pods().iter().all(|p| p.pod.metadata.labels["pod-template-generation"] == "2"));
    assert_eq!(count_events(&sim, "SuccessfulDelete"), 3, "the same template: no rollout");
}

#[test]
fn a_daemonset_selector_is_immutable() {
    let mut sim = sim_with(&fluentd("", None));
    sim.advance_to(10_000);
    // The selector and the template's labels (which must match it) change.
    let changed = fluentd("", None).replace("      name: fluentd-elasticsearch\n", "      name: fluentd\n");
    let results = reapply(&mut sim, &changed);
    match &results[0] {
        podplay::core::engine::ApplyResult::Refused { message, .. } => assert_eq!(
            message,
            "The DaemonSet \"fluentd-elasticsearch\" is invalid: spec.selector: Invalid value: \
             v1.LabelSelector{MatchLabels:map[string]string{\"name\":\"fluentd\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: \
             field is immutable"
        ),
        r => panic!("not refused: {r:?}"),
    }
    assert_eq!(sim.daemon_sets()[0].generation, 1);
}

#[test]
fn on_delete_replaces_only_the_pods_deleted_by_hand() {
    let on_delete = "  updateStrategy:\n    type: OnDelete\n";
    let mut sim = sim_with(&fluentd(on_delete, None));
    sim.advance_to(20_000);
    reapply(&mut sim, &fluentd(on_delete, Some(FLUENTD_NEW)));
    sim.advance_to(80_000);
    assert_eq!(count_events(&sim, "SuccessfulDelete"), 0);
    assert!(ds_pods(&sim).iter().all(|p| p.1 == FLUENTD_OLD));
    let ds = sim.daemon_sets()[0].clone();
    assert_eq!((ds.status.updated, ds.status.available), (0, 3));
    assert_eq!(podplay::core::kubectl::daemonset_row(&ds, 80_000)[4], "0", "UP-TO-DATE");
    let victim =
        sim.pods().iter().find(|p| p.node_name.as_deref() == Some("node-2")).unwrap().pod.metadata.name.clone();
    act(&mut sim, &format!("delete pod/{victim} -n kube-system"));
    sim.advance_to(120_000);
    let pods = ds_pods(&sim);
    assert_eq!(pods.len(), 3);
    for (node, image, ready, _) in pods {
        assert!(ready);
        assert_eq!(image, if node == "node-2" { FLUENTD_NEW } else { FLUENTD_OLD }, "{node}");
    }
    let ds = sim.daemon_sets()[0].clone();
    assert_eq!(ds.status.updated, 1);
    assert_eq!(podplay::core::kubectl::daemonset_row(&ds, 120_000)[4], "1");
}

#[test]
fn max_surge_starts_the_new_pod_before_deleting_the_old_one() {
    let surge = "  updateStrategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n";
    let mut sim = sim_with(&fluentd(surge, None));
    sim.advance_to(20_000);
    act(&mut sim, &format!("set image ds/fluentd-elasticsearch fluentd-elasticsearch={FLUENTD_NEW} -n kube-system"));
    let mut t = 20_000;
    let mut two_on_a_node = false;
    while t < 80_000 {
        t += 50;
        sim.advance_to(t);
        assert_eq!(nodes_available(&sim), 3, "maxUnavailable 0: every node keeps an available Pod (at {t} ms)");
        let live: Vec<_> = ds_pods(&sim).into_iter().filter(|p| !p.3).collect();
        assert!(live.len() <= 4, "maxSurge 1: one extra Pod at most (at {t} ms): {live:?}");
        two_on_a_node |= live.len() == 4;
    }
    assert!(two_on_a_node, "the new Pod ran beside the old one");
    let events = sim.events();
    let first_delete = events.iter().find(|e| e.reason == "SuccessfulDelete").expect("a delete").first_ms;
    let creates_after_update =
        events.iter().filter(|e| e.reason == "SuccessfulCreate" && e.first_ms > 20_000).map(|e| e.first_ms).min();
    assert!(creates_after_update.unwrap() < first_delete, "created first, deleted when available");
    assert!(ds_pods(&sim).iter().all(|p| p.1 == FLUENTD_NEW));
    assert_eq!(sim.daemon_sets()[0].status.updated, 3);
}

#[test]
fn a_bad_image_stops_the_daemonset_rollout_at_max_unavailable() {
    let mut sim = sim_with(examples::find("daemonset").unwrap().yaml);
    sim.advance_to(20_000);
    act(&mut sim, "set image daemonset/node-agent agent=busybox:no-such-tag");
    sim.advance_to(180_000);
    assert_eq!(count_events(&sim, "SuccessfulDelete"), 1, "the rollout stops while the new Pod is not available");
    let pods = ds_pods(&sim);
    assert_eq!(pods.len(), 3);
    assert_eq!(pods.iter().filter(|p| p.1 == "busybox:no-such-tag" && !p.2).count(), 1);
    assert_eq!(pods.iter().filter(|p| p.1 == "busybox:1.36" && p.2).count(), 2);
    let ds = &sim.daemon_sets()[0];
    assert_eq!((ds.status.updated, ds.status.ready, ds.status.available, ds.status.unavailable), (1, 2, 2, 1));
    // Setting the image back rolls the stuck node first (an unavailable
    // Pod is not a new one any more: it is replaced at once).
    act(&mut sim, "set image ds/node-agent agent=busybox:1.36");
    sim.advance_to(240_000);
    let ds = &sim.daemon_sets()[0];
    assert_eq!((ds.status.updated, ds.status.available), (3, 3));
    assert!(ds_pods(&sim).iter().all(|p| p.1 == "busybox:1.36"));
}

#[test]
fn rollout_restart_rolls_a_daemonset() {
    let mut sim = sim_with(examples::find("daemonset").unwrap().yaml);
    sim.advance_to(20_000);
    let before: Vec<String> = sim.pods().iter().map(|p| p.pod.metadata.name.clone()).collect();
    act(&mut sim, "rollout restart ds/node-agent");
    // busybox's sleep ignores SIGTERM: each node takes its 30 s grace period.
    sim.advance_to(150_000);
    let after = sim.pods();
    assert_eq!(after.len(), 3);
    assert!(after.iter().all(|p| !before.contains(&p.pod.metadata.name)));
    assert!(after.iter().all(|p| p.pod.metadata.annotations.contains_key("kubectl.kubernetes.io/restartedAt")));
    assert_eq!(sim.daemon_sets()[0].generation, 2);
}

#[test]
fn daemonset_update_strategy_is_validated_like_the_api_server() {
    let errors = |strategy: &str| -> Vec<String> {
        parse_manifests(&fluentd(strategy, None))
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.path, d.message))
            .collect()
    };
    // maxUnavailable defaults to 1: a maxSurge alone is refused.
    assert_eq!(
        errors("  updateStrategy:\n    rollingUpdate:\n      maxSurge: 1\n"),
        ["spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set when maxUnavailable is non-zero"]
    );
    assert_eq!(
        errors("  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 0\n"),
        ["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"]
    );
    assert_eq!(
        errors("  updateStrategy:\n    type: Recreate\n"),
        ["spec.updateStrategy.type: Unsupported value: \"Recreate\": supported values: \"RollingUpdate\", \"OnDelete\""]
    );
    assert!(errors("  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 30%\n").is_empty());
}

/// With `minReadySeconds`, `OrderedReady` creates the next ordinal once the
/// previous Pod is Available (Ready for minReadySeconds), not merely Ready,
/// and `availableReplicas` counts only Available Pods
/// (pkg/controller/statefulset/stateful_set_control.go `processReplica`:
/// "StatefulSet is waiting for Pod to be Available"; `computeReplicaStatus`;
/// stateful_set.go re-syncs after minReadySeconds).
#[test]
fn min_ready_seconds_makes_ordered_ready_wait_for_available() {
    let yaml = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 2\n  minReadySeconds: 20\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: c, image: busybox:1.36, command: [sh, -c, sleep 3600]}]\n";
    let mut sim = sim_with(yaml);
    sim.advance_to(10_000);
    let ready0 = sim
        .pod("default", "db-0")
        .unwrap()
        .status
        .condition(podplay::core::status::ConditionType::Ready)
        .unwrap()
        .last_transition_ms;
    assert!(ready0 < 5_000, "db-0 is Ready within seconds");
    assert_eq!(pod_names(&sim), ["db-0"]);
    let set = &sim.stateful_sets()[0];
    assert_eq!((set.status.ready_replicas, set.status.available_replicas), (1, 0));
    // Ready at ready0 (truncated to the second, as the API stores it);
    // Available strictly more than 20 s later.
    sim.advance_to(ready0 / 1000 * 1000 + 20_000);
    assert_eq!(pod_names(&sim), ["db-0"], "not yet Available");
    sim.advance_to(ready0 + 22_000);
    assert_eq!(pod_names(&sim), ["db-0", "db-1"]);
    let created1 = sim.pod("default", "db-1").unwrap().server.creation_ms;
    assert!(created1 > ready0 + 20_000, "db-1 created at {created1}, db-0 ready at {ready0}");
    assert_eq!(sim.stateful_sets()[0].status.available_replicas, 1);
    sim.advance_to(created1 + 40_000);
    let set = &sim.stateful_sets()[0];
    assert_eq!((set.status.ready_replicas, set.status.available_replicas), (2, 2));
}
