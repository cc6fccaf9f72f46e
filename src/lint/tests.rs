use super::*;

/// Lints `text` (which must be valid) and returns (rule id, line, column).
fn run(text: &str) -> Vec<(&'static str, u32, u32)> {
    let (parsed, findings) = lint_text(text);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    findings.iter().map(|f| (f.rule.id(), f.pos.line, f.pos.col)).collect()
}

fn rules(text: &str) -> Vec<&'static str> {
    run(text).into_iter().map(|(r, _, _)| r).collect()
}

fn messages(text: &str, rule: Rule) -> Vec<String> {
    lint_text(text).1.into_iter().filter(|f| f.rule == rule).map(|f| f.message).collect()
}

/// A Pod that every rule is happy with but `bare-pod`.
const GOOD_CONTAINER: &str = concat!(
    "  - name: web\n",
    "    image: nginx:1.27\n",
    "    ports:\n",
    "    - containerPort: 80\n",
    "    resources:\n",
    "      requests: {cpu: 100m, memory: 64Mi}\n",
    "      limits: {memory: 128Mi}\n",
    "    readinessProbe:\n",
    "      httpGet: {path: /, port: 80}\n",
);
fn pod(extra_spec: &str, containers: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {{app: p}}\nspec:\n{extra_spec}  containers:\n{containers}")
}

fn deployment(containers: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n{}",
        containers.lines().map(|l| format!("    {l}\n")).collect::<String>()
    )
}

const SERVICE: &str =
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n";

#[test]
fn bare_pod_points_at_its_kind() {
    assert_eq!(run(&pod("", GOOD_CONTAINER)), vec![("bare-pod", 2, 7)]);
    let m = messages(&pod("", GOOD_CONTAINER), Rule::BarePod);
    assert_eq!(m, vec!["Pod \"p\" is not managed by a controller: nothing replaces it if it is deleted, evicted or its node fails (use a Deployment)"]);
}

#[test]
fn bare_pod_skips_run_to_completion_owned_and_adopted_pods() {
    for policy in ["Never", "OnFailure"] {
        assert!(
            !rules(&pod(&format!("  restartPolicy: {policy}\n"), GOOD_CONTAINER)).contains(&"bare-pod"),
            "{policy}"
        );
    }
    let owned = pod("", GOOD_CONTAINER).replace(
        "  labels: {app: p}\n",
        "  labels: {app: p}\n  ownerReferences:\n  - {apiVersion: apps/v1, kind: ReplicaSet, name: rs, uid: u}\n",
    );
    assert_eq!(rules(&owned), Vec::<&str>::new());
    // A ReplicaSet whose selector matches the Pod adopts it.
    let rs = "---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: rs\nspec:\n  selector:\n    matchLabels: {app: p}\n  template:\n    metadata:\n      labels: {app: p}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        resources: {requests: {cpu: 1m, memory: 1Mi}}\n        livenessProbe: {tcpSocket: {port: 80}}\n";
    assert_eq!(rules(&format!("{}{rs}", pod("", GOOD_CONTAINER))), Vec::<&str>::new());
    // ... but not one in another namespace.
    let other_ns = rs.replace("  name: rs\n", "  name: rs\n  namespace: other\n");
    assert_eq!(rules(&format!("{}{other_ns}", pod("", GOOD_CONTAINER))), vec!["bare-pod"]);
}

#[test]
fn deployment_and_replicaset_pods_are_not_bare() {
    assert_eq!(rules(&deployment(GOOD_CONTAINER)), Vec::<&str>::new());
}

#[test]
fn no_resources_points_at_the_container_or_its_resources() {
    let c = "  - name: web\n    image: nginx:1.27\n    readinessProbe: {tcpSocket: {port: 80}}\n";
    let text = pod("  restartPolicy: Never\n", c);
    assert_eq!(run(&text), vec![("no-resources", 9, 5)]);
    assert_eq!(
        messages(&text, Rule::NoResources),
        vec!["container \"web\" of Pod \"p\" has no resource requests or limits"]
    );
    // Only memory missing: pointed at `resources`.
    let partial = pod("  restartPolicy: Never\n", &format!("{c}    resources:\n      requests: {{cpu: 100m}}\n"));
    assert_eq!(run(&partial), vec![("no-resources", 12, 5)]);
    assert_eq!(
        messages(&partial, Rule::NoResources),
        vec!["container \"web\" of Pod \"p\" has no memory request or limit"]
    );
    // Limits alone set the requests.
    let limits =
        pod("  restartPolicy: Never\n", &format!("{c}    resources:\n      limits: {{cpu: 100m, memory: 64Mi}}\n"));
    assert_eq!(rules(&limits), Vec::<&str>::new());
}

#[test]
fn no_resources_covers_sidecars_but_not_plain_init_containers() {
    let init = "  initContainers:\n  - name: setup\n    image: busybox:1.36\n";
    assert_eq!(rules(&pod(&format!("  restartPolicy: Never\n{init}"), GOOD_CONTAINER)), Vec::<&str>::new());
    let sidecar = format!("  restartPolicy: Never\n{init}    restartPolicy: Always\n");
    assert_eq!(run(&pod(&sidecar, GOOD_CONTAINER)), vec![("no-resources", 9, 5), ("unrelated-containers", 13, 5)]);
}

#[test]
fn no_probes_flags_long_running_containers_only() {
    let c = "  - name: web\n    image: nginx:1.27\n    resources: {requests: {cpu: 1m, memory: 1Mi}}\n";
    let d = deployment(c);
    assert_eq!(run(&d), vec![("no-probes", 13, 9)]);
    assert_eq!(
        messages(&d, Rule::NoProbes),
        vec!["container \"web\" of Deployment \"web\" has no readinessProbe and no livenessProbe"]
    );
    // Either probe is enough.
    for probe in ["readinessProbe", "livenessProbe"] {
        let with = deployment(&format!("{c}    {probe}: {{tcpSocket: {{port: 80}}}}\n"));
        assert_eq!(rules(&with), Vec::<&str>::new(), "{probe}");
    }
    // A startup probe alone is not.
    let startup = deployment(&format!("{c}    startupProbe: {{tcpSocket: {{port: 80}}}}\n"));
    assert_eq!(
        messages(&startup, Rule::NoProbes),
        vec![
            "container \"web\" of Deployment \"web\" has no readinessProbe and no livenessProbe (only a startupProbe)"
        ]
    );
    // Run-to-completion Pods and init containers are not flagged.
    assert_eq!(rules(&pod("  restartPolicy: OnFailure\n", c)), Vec::<&str>::new());
    let init = "  initContainers:\n  - name: setup\n    image: busybox:1.36\n";
    assert_eq!(rules(&pod(&format!("  restartPolicy: Never\n{init}"), c)), Vec::<&str>::new());
}

#[test]
fn latest_tag_points_at_the_image_and_names_the_pull_policy() {
    let c = |image: &str, extra: &str| {
        pod(
            "  restartPolicy: Never\n",
            &format!(
                "  - name: web\n    image: {image}\n    resources: {{requests: {{cpu: 1m, memory: 1Mi}}}}\n{extra}"
            ),
        )
    };
    assert_eq!(run(&c("nginx", "")), vec![("latest-tag", 10, 12)]);
    assert_eq!(
        messages(&c("nginx", ""), Rule::LatestTag),
        vec!["image \"nginx\" has no tag, so it means \"nginx:latest\": imagePullPolicy defaults to Always, so every container start asks the registry what latest is now"]
    );
    assert_eq!(
        messages(&c("registry.k8s.io:5000/pause:latest", "    imagePullPolicy: IfNotPresent\n"), Rule::LatestTag),
        vec!["image \"registry.k8s.io:5000/pause:latest\" uses the \"latest\" tag: with imagePullPolicy IfNotPresent each node keeps whichever latest it pulled first"]
    );
    assert_eq!(
        messages(&c("nginx:latest", "    imagePullPolicy: Always\n"), Rule::LatestTag),
        vec!["image \"nginx:latest\" uses the \"latest\" tag: with imagePullPolicy Always every container start asks the registry what latest is now"]
    );
    // Pinned: a version tag (even after a registry port) or a digest.
    for pinned in [
        "nginx:1.27",
        "localhost:5000/app:v2",
        "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ] {
        assert_eq!(rules(&c(pinned, "")), Vec::<&str>::new(), "{pinned}");
    }
    // Init containers' images count too.
    let init = "  initContainers:\n  - name: setup\n    image: busybox\n";
    assert_eq!(run(&pod(&format!("  restartPolicy: Never\n{init}"), GOOD_CONTAINER)), vec![("latest-tag", 10, 12)]);
}

#[test]
fn unrelated_containers_are_flagged_at_the_second_one() {
    let two = format!("{GOOD_CONTAINER}{}", GOOD_CONTAINER.replace("name: web", "name: db").replace("80", "5432"));
    let text = pod("  restartPolicy: Never\n", &two);
    assert_eq!(run(&text), vec![("unrelated-containers", 18, 5)]);
    assert_eq!(
        messages(&text, Rule::UnrelatedContainers),
        vec!["container \"db\" of Pod \"p\" shares no volume and no localhost port with container \"web\": they look like two applications"]
    );
    // Three apps: two findings, each naming the first container.
    let three = format!("{two}{}", GOOD_CONTAINER.replace("name: web", "name: cache").replace("80", "6379"));
    assert_eq!(rules(&pod("  restartPolicy: Never\n", &three)), vec!["unrelated-containers", "unrelated-containers"]);
}

#[test]
fn containers_sharing_a_volume_or_a_localhost_port_are_related() {
    let base = "  restartPolicy: Never\n  volumes:\n  - name: data\n    emptyDir: {}\n";
    let mount = "    volumeMounts:\n    - {name: data, mountPath: /data}\n";
    let other = "  - name: helper\n    image: busybox:1.36\n    resources: {requests: {cpu: 1m, memory: 1Mi}}\n";
    let shared = pod(base, &format!("{GOOD_CONTAINER}{mount}{other}{mount}"));
    assert_eq!(rules(&shared), Vec::<&str>::new());
    // The helper talks to web at localhost:80 (command, args, env or an exec probe).
    for how in [
        "    command: [\"sh\", \"-c\", \"wget -O- http://localhost:80/\"]\n",
        "    args: [\"--upstream=127.0.0.1:80\"]\n",
        "    env:\n    - {name: UPSTREAM, value: \"http://[::1]:80\"}\n",
        "    livenessProbe: {exec: {command: [\"wget\", \"localhost:80\"]}}\n",
        "    readinessProbe: {httpGet: {port: 80}}\n",
    ] {
        let text = pod(base, &format!("{GOOD_CONTAINER}{other}{how}"));
        assert_eq!(rules(&text), Vec::<&str>::new(), "{how}");
    }
    // localhost:8080 is no port of web's.
    let miss = pod(base, &format!("{GOOD_CONTAINER}{other}    args: [\"localhost:8080\"]\n"));
    assert_eq!(rules(&miss), vec!["unrelated-containers"]);
}

#[test]
fn no_prestop_needs_a_service_selecting_the_deployment() {
    let d = deployment(GOOD_CONTAINER);
    let text = format!("{SERVICE}---\n{d}");
    assert_eq!(run(&text), vec![("no-prestop", 22, 9)]);
    assert_eq!(
        messages(&text, Rule::NoPreStop),
        vec!["Deployment \"web\" is behind Service \"web\", but container \"web\" has no preStop hook: during a rollout it may get SIGTERM while new connections still arrive"]
    );
    // No Service, another Service, or another namespace: nothing.
    assert_eq!(rules(&d), Vec::<&str>::new());
    assert_eq!(rules(&format!("{}---\n{d}", SERVICE.replace("{app: web}", "{app: other}"))), Vec::<&str>::new());
    assert_eq!(
        rules(&format!("{}---\n{d}", SERVICE.replace("name: web\n", "name: web\n  namespace: other\n"))),
        Vec::<&str>::new()
    );
    // A preStop hook silences it.
    let hooked = deployment(&format!("{GOOD_CONTAINER}    lifecycle: {{preStop: {{sleep: {{seconds: 5}}}}}}\n"));
    assert_eq!(rules(&format!("{SERVICE}---\n{hooked}")), Vec::<&str>::new());
}

#[test]
fn no_prestop_names_only_the_containers_serving_the_service() {
    let sidecar = "  - name: agent\n    image: busybox:1.36\n    resources: {requests: {cpu: 1m, memory: 1Mi}}\n    livenessProbe: {exec: {command: [\"wget\", \"localhost:80\"]}}\n";
    let d = deployment(&format!("{GOOD_CONTAINER}{sidecar}"));
    let m = messages(&format!("{SERVICE}---\n{d}"), Rule::NoPreStop);
    assert_eq!(m.len(), 1);
    assert!(m[0].contains("container \"web\""), "{m:?}");
}

#[test]
fn a_service_in_another_source_counts() {
    let (p1, t1) = parse_manifests_with_tree(SERVICE);
    let d = deployment(GOOD_CONTAINER);
    let (p2, t2) = parse_manifests_with_tree(&d);
    let sources = [
        Source { objects: &p1.objects, tree: &t1, text: SERVICE },
        Source { objects: &p2.objects, tree: &t2, text: &d },
    ];
    let found: Vec<(usize, &str)> = lint(&sources).iter().map(|f| (f.source, f.rule.id())).collect();
    assert_eq!(found, vec![(1, "no-prestop")]);
}

#[test]
fn list_items_are_found_in_the_tree() {
    let item = pod("", GOOD_CONTAINER).lines().map(|l| format!("  {l}\n")).collect::<String>().replacen(
        "  apiVersion",
        "- apiVersion",
        1,
    );
    let text = format!("apiVersion: v1\nkind: List\nitems:\n{item}");
    assert_eq!(run(&text), vec![("bare-pod", 5, 9)]);
}

#[test]
fn ignore_comments_silence_findings() {
    let text = pod("", GOOD_CONTAINER).replace("kind: Pod\n", "kind: Pod  # podplay:ignore bare-pod\n");
    assert_eq!(rules(&text), Vec::<&str>::new());
    let above = pod("", GOOD_CONTAINER).replace("kind: Pod\n", "# podplay:ignore no-probes, bare-pod\nkind: Pod\n");
    assert_eq!(rules(&above), Vec::<&str>::new());
    let all = pod("", GOOD_CONTAINER).replace("kind: Pod\n", "kind: Pod # podplay:ignore\n");
    assert_eq!(rules(&all), Vec::<&str>::new());
    // Another rule's id does not silence it.
    let other = pod("", GOOD_CONTAINER).replace("kind: Pod\n", "kind: Pod # podplay:ignore latest-tag\n");
    assert_eq!(rules(&other), vec!["bare-pod"]);
}

#[test]
fn unknown_kinds_and_invalid_objects_are_skipped() {
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\ndata: {{a: b}}\n---\n{}",
        pod("", "  - name: x\n")
    );
    let (parsed, findings) = lint_text(&text);
    assert!(parsed.has_errors());
    assert_eq!(findings, vec![]);
    let (_, findings) = lint_text("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n");
    assert_eq!(findings, vec![]);
    let (_, findings) = lint_text("- : [ {\n\t\u{0}");
    assert_eq!(findings, vec![]);
}

#[test]
fn every_rule_has_an_id_why_and_docs() {
    for r in Rule::ALL {
        assert_eq!(Rule::from_id(r.id()), Some(r));
        assert!(r.why().len() > 200, "{}", r.id());
        assert!(r.docs().iter().all(|d| d.starts_with("https://kubernetes.io/docs/")), "{}", r.id());
        let e = r.explain();
        assert!(e.starts_with(&format!("{}: ", r.id())) && e.contains("podplay:ignore"), "{e}");
        assert!(e.lines().all(|l| l.chars().count() <= 80 || l.trim_start().starts_with("https://")), "{e}");
    }
    assert_eq!(Rule::from_id("nope"), None);
}

#[test]
fn wrap_breaks_at_the_width() {
    assert_eq!(wrap("aa bb cc", 5, "  "), "aa bb\n  cc\n");
    assert_eq!(wrap("", 5, ""), "\n");
}

#[test]
fn findings_are_capped_for_a_huge_pod() {
    // One Pod with 3,000 bare containers (init containers after the regular
    // ones, so their findings arrive out of order), all sharing nothing.
    let mut text = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  containers:\n");
    for i in 0..1500 {
        text.push_str(&format!("  - {{name: c{i}, image: busybox}}\n"));
    }
    text.push_str("  initContainers:\n");
    for i in 0..1500 {
        text.push_str(&format!("  - {{name: i{i}, image: busybox, restartPolicy: Always}}\n"));
    }
    // (Its speed is measured by `cargo bench --bench engine`, not here.)
    let (parsed, findings) = lint_text(&text);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics.first());
    assert_eq!(findings.len(), MAX_FINDINGS);
    // The first ones in text order are kept, in order.
    assert!(findings.windows(2).all(|w| (w[0].pos, w[0].rule) <= (w[1].pos, w[1].rule)));
    assert_eq!(findings[0].rule, Rule::BarePod);
    assert!(findings.last().unwrap().pos.line < 1500);
}

#[test]
fn workload_templates_of_jobs_statefulsets_and_daemonsets_are_linted() {
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers:\n      - {name: db, image: postgres}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: stray, labels: {app: db}}\nspec:\n  containers:\n  - {name: db, image: postgres:16}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: once}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - {name: run, image: busybox:1.36}\n";
    let rules: Vec<(String, u32)> = lint_text(text).1.iter().map(|f| (f.rule.id().to_string(), f.pos.line)).collect();
    // The StatefulSet's template: no tag, no resources, no probes.
    assert!(rules.contains(&("latest-tag".into(), 11)), "{rules:?}");
    assert!(rules.contains(&("no-probes".into(), 11)), "{rules:?}");
    // The Pod would be adopted by the StatefulSet: not bare.
    assert!(!rules.iter().any(|(r, _)| r == "bare-pod"), "{rules:?}");
    // The Job's Pods run to completion: no probe finding for them.
    assert!(!rules.iter().any(|(r, l)| r == "no-probes" && *l > 20), "{rules:?}");
    assert!(rules.iter().any(|(r, l)| r == "no-resources" && *l > 20), "{rules:?}");
}
