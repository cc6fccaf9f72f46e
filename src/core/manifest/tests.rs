use super::*;
use crate::core::api::*;

/// The liveness exec Pod from kubernetes.io ("Configure Liveness, Readiness
/// and Startup Probes").
const LIVENESS_EXEC: &str = "\
apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
    livenessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
";

fn pod(p: &Parsed, i: usize) -> &Pod {
    match &p.objects[i] {
        Object::Pod(pod) => pod,
        other => panic!("not a Pod: {other:?}"),
    }
}

/// All diagnostics, rendered.
fn rendered(p: &Parsed) -> Vec<String> {
    p.diagnostics.iter().map(ToString::to_string).collect()
}

/// Asserts that parsing `text` gives exactly these rendered diagnostics.
fn assert_diags(text: &str, expected: &[&str]) -> Parsed {
    let p = parse_manifests(text);
    assert_eq!(rendered(&p), expected, "for input:\n{text}");
    p
}

/// A minimal valid Pod with `extra` spliced into its (only) container.
fn pod_with_container(extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n{extra}"
    )
}

#[test]
fn liveness_exec_pod_decodes_with_api_server_defaults() {
    let p = parse_manifests(LIVENESS_EXEC);
    assert_eq!(rendered(&p), Vec::<String>::new());
    assert_eq!(p.objects.len(), 1);
    let pod = pod(&p, 0);
    assert_eq!(pod.metadata.name, "liveness-exec");
    assert_eq!(pod.metadata.namespace, "default");
    assert_eq!(pod.metadata.labels.get("test").map(String::as_str), Some("liveness"));
    assert_eq!(pod.metadata.pos, Pos { line: 1, col: 1 });
    let s = &pod.spec;
    assert_eq!(s.restart_policy, RestartPolicy::Always);
    assert_eq!(s.termination_grace_period_seconds, 30);
    assert_eq!(s.dns_policy, "ClusterFirst");
    assert_eq!(s.scheduler_name, "default-scheduler");
    assert_eq!(s.service_account_name, "default");
    assert_eq!(s.containers.len(), 1);
    let c = &s.containers[0];
    assert_eq!(c.pos, Pos { line: 9, col: 5 });
    assert_eq!(c.name, "liveness");
    assert_eq!(c.image, "registry.k8s.io/busybox:1.27.2");
    assert_eq!(c.image_pull_policy, PullPolicy::IfNotPresent);
    assert_eq!(c.args.len(), 3);
    assert_eq!(c.args[2], "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600");
    assert_eq!(c.termination_message_path, "/dev/termination-log");
    assert_eq!(c.termination_message_policy, "File");
    let probe = c.liveness_probe.as_ref().unwrap();
    assert_eq!(
        probe,
        &Probe {
            handler: Handler::Exec { command: vec!["cat".into(), "/tmp/healthy".into()] },
            initial_delay_seconds: 5,
            timeout_seconds: 1,
            period_seconds: 5,
            success_threshold: 1,
            failure_threshold: 3,
            termination_grace_period_seconds: None,
        }
    );
    assert!(c.readiness_probe.is_none());
}

#[test]
fn image_pull_policy_defaults_follow_the_tag() {
    use super::decode::default_pull_policy as d;
    assert_eq!(d("nginx"), PullPolicy::Always);
    assert_eq!(d("nginx:latest"), PullPolicy::Always);
    assert_eq!(d("nginx:1.25"), PullPolicy::IfNotPresent);
    assert_eq!(d("localhost:5000/nginx"), PullPolicy::Always);
    assert_eq!(d("localhost:5000/nginx:1"), PullPolicy::IfNotPresent);
    assert_eq!(d("nginx@sha256:abcd"), PullPolicy::IfNotPresent);
    assert_eq!(d("nginx:latest@sha256:abcd"), PullPolicy::Always);
}

#[test]
fn http_probe_and_port_defaults() {
    let p = parse_manifests(&pod_with_container(
        "    ports:\n    - name: http\n      containerPort: 8080\n    readinessProbe:\n      httpGet:\n        port: http\n      periodSeconds: 0\n    resources:\n      limits:\n        cpu: 500m\n        memory: 128Mi\n      requests:\n        cpu: 0.25\n",
    ));
    assert_eq!(rendered(&p), Vec::<String>::new());
    let c = &pod(&p, 0).spec.containers[0];
    assert_eq!(c.image_pull_policy, PullPolicy::Always);
    assert_eq!(c.ports[0].protocol, "TCP");
    let probe = c.readiness_probe.as_ref().unwrap();
    assert_eq!(probe.period_seconds, 10, "0 is defaulted, as SetDefaults_Probe does");
    match &probe.handler {
        Handler::HttpGet { path, port, scheme, .. } => {
            assert_eq!(path, "/");
            assert_eq!(scheme, "HTTP");
            assert_eq!(port, &PortRef::Name("http".into()));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(c.resources.limits.cpu_millis, Some(500));
    assert_eq!(c.resources.requests.cpu_millis, Some(250));
    assert_eq!(c.resources.limits.memory_bytes, Some(128 << 20));
    assert_eq!(c.resources.requests.memory_bytes, Some(128 << 20), "requests default to limits per resource");
}

#[test]
fn missing_image_is_required() {
    let p = assert_diags(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n",
        &["line 7, column 5: spec.containers[0].image: Required value"],
    );
    assert!(p.objects.is_empty());
    assert!(p.has_errors());
    let d = &p.diagnostics[0];
    assert_eq!(d.path, "spec.containers[0].image");
    assert_eq!(d.message, "Required value");
    assert_eq!(d.pos, Pos { line: 7, col: 5 });
}

#[test]
fn invalid_pod_name() {
    assert_diags(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Web_1\nspec:\n  containers:\n  - name: web\n    image: nginx\n",
        &["line 4, column 9: metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
    );
}

#[test]
fn invalid_container_name_and_duplicates() {
    assert_diags(
        &pod_with_container("  - name: web\n    image: nginx\n  - name: Side_Car\n    image: busybox\n"),
        &[
            "line 9, column 11: spec.containers[1].name: Duplicate value: \"web\"",
            "line 11, column 11: spec.containers[2].name: Invalid value: \"Side_Car\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ],
    );
}

#[test]
fn containers_are_required() {
    assert_diags(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  restartPolicy: Never\n",
        &["line 6, column 3: spec.containers: Required value"],
    );
    assert_diags(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n",
        &["line 1, column 1: spec.containers: Required value"],
    );
}

#[test]
fn container_port_range_and_types() {
    assert_diags(
        &pod_with_container("    ports:\n    - containerPort: 70000\n"),
        &["line 10, column 22: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
    );
    assert_diags(
        &pod_with_container("    ports:\n    - containerPort: \"80\"\n"),
        &["line 10, column 22: spec.containers[0].ports[0].containerPort: expected an integer, got string \"80\""],
    );
    assert_diags(
        &pod_with_container("    env:\n    - name: PORT\n      value: 8080\n"),
        &["line 11, column 14: spec.containers[0].env[0].value: expected a string, got integer 8080 (quote it: \"8080\")"],
    );
    assert_diags(
        &pod_with_container("    ports:\n    - containerPort: 80\n      protocol: HTTP\n"),
        &["line 11, column 17: spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""],
    );
}

#[test]
fn restart_policy_and_grace_period() {
    assert_diags(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  restartPolicy: Sometimes\n  terminationGracePeriodSeconds: -1\n  containers:\n  - name: web\n    image: nginx\n",
        &[
            "line 6, column 18: spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
            "line 7, column 34: spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0",
        ],
    );
}

#[test]
fn probe_errors() {
    assert_diags(
        &pod_with_container(
            "    livenessProbe:\n      exec:\n        command: [true]\n      httpGet:\n        port: 80\n      periodSeconds: -1\n      successThreshold: 2\n    readinessProbe:\n      periodSeconds: 3\n",
        ),
        &[
            "line 11, column 19: spec.containers[0].livenessProbe.exec.command[0]: expected a string, got boolean true (quote it: \"true\")",
            "line 12, column 7: spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type",
            "line 14, column 22: spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
            "line 15, column 25: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
            "line 17, column 7: spec.containers[0].readinessProbe: Required value: must specify a handler type",
        ],
    );
    assert_diags(
        &pod_with_container(
            "    livenessProbe:\n      exec:\n        command: [\"true\"]\n      httpGet:\n        port: 80\n      periodSeconds: -1\n      successThreshold: 2\n    readinessProbe:\n      periodSeconds: 3\n",
        ),
        &[
            "line 12, column 7: spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type",
            "line 14, column 22: spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
            "line 15, column 25: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
            "line 17, column 7: spec.containers[0].readinessProbe: Required value: must specify a handler type",
        ],
    );
}

#[test]
fn named_probe_port_must_exist() {
    assert_diags(
        &pod_with_container("    ports:\n    - name: web\n      containerPort: 80\n    startupProbe:\n      tcpSocket:\n        port: http\n"),
        &["line 14, column 15: spec.containers[0].startupProbe.tcpSocket.port: Invalid value: \"http\": must be the name of one of this container's ports"],
    );
}

#[test]
fn volume_mount_must_name_a_volume() {
    assert_diags(
        &format!(
            "{}  volumes:\n  - name: cache\n    emptyDir: {{}}\n",
            pod_with_container("    volumeMounts:\n    - name: data\n      mountPath: /data\n    - name: cache\n      mountPath: /data\n")
        ),
        &[
            "line 10, column 13: spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
            "line 13, column 18: spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique",
        ],
    );
}

#[test]
fn container_restart_policy_rules() {
    assert_diags(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  initContainers:\n  - name: init\n    image: busybox\n    restartPolicy: Never\n  - name: sidecar\n    image: envoy\n    restartPolicy: Always\n    readinessProbe:\n      tcpSocket:\n        port: 9901\n  - name: setup\n    image: busybox\n    livenessProbe:\n      exec:\n        command: [\"true\"]\n  containers:\n  - name: web\n    image: nginx\n    restartPolicy: Always\n",
        &[
            "line 9, column 20: spec.initContainers[0].restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
            "line 19, column 7: spec.initContainers[2].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
            "line 24, column 20: spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers",
        ],
    );
}

#[test]
fn unknown_and_not_simulated_fields_are_warnings() {
    let p = parse_manifests(&format!(
        "{}  securityContext:\n    runAsUser: 1000\nstatus:\n  phase: Running\n",
        pod_with_container("    imagePullPolcy: Always\n    tty: true\n")
    ));
    assert_eq!(
        rendered(&p),
        [
            "warning: line 9, column 5: unknown field \"spec.containers[0].imagePullPolcy\"",
            "warning: line 10, column 5: not simulated by podplay: \"spec.containers[0].tty\"",
            "warning: line 11, column 3: not simulated by podplay: \"spec.securityContext\"",
            "warning: line 13, column 1: status: ignored: podplay computes status by simulating the object",
        ]
    );
    assert!(!p.has_errors());
    assert_eq!(p.warnings().count(), 4);
    assert_eq!(p.diagnostics[0].path, "spec.containers[0].imagePullPolcy");
    assert_eq!(p.objects.len(), 1, "warnings do not reject the object");
}

/// A PriorityClass has no `spec` (its fields are at the top level): the API
/// server's strict decoding names it an unknown field.
#[test]
fn priority_class_spec_is_an_unknown_field() {
    let p = assert_diags(
        "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: high\nvalue: 1000\nspec:\n  value: 5\n",
        &["warning: line 6, column 1: unknown field \"spec\""],
    );
    assert_eq!(p.objects.len(), 1);
}

#[test]
fn multi_document_with_one_bad_document() {
    let text = format!(
        "{}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: x\n---\n{}",
        pod_with_container(""),
        LIVENESS_EXEC
    );
    let p = parse_manifests(&text);
    assert_eq!(rendered(&p), ["line 16, column 5: spec.containers[0].image: Required value"]);
    let names: Vec<&str> = p.objects.iter().map(|o| o.meta().name.as_str()).collect();
    assert_eq!(names, ["web", "liveness-exec"]);
    assert_eq!(p.objects[1].meta().pos, Pos { line: 18, col: 1 });
}

#[test]
fn service_decodes_with_defaults() {
    let p = parse_manifests(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    name: http\n  - port: 443\n    name: https\n    targetPort: tls\n    protocol: TCP\n",
    );
    assert_eq!(rendered(&p), Vec::<String>::new());
    let Object::Service(svc) = &p.objects[0] else { panic!() };
    assert_eq!(svc.metadata.namespace, "shop");
    assert_eq!(svc.spec.type_, "ClusterIP");
    assert_eq!(svc.spec.cluster_ip, None);
    assert_eq!(svc.spec.selector.get("app").map(String::as_str), Some("web"));
    assert_eq!(
        svc.spec.ports,
        [
            ServicePort {
                name: Some("http".into()),
                protocol: "TCP".into(),
                port: 80,
                target_port: PortRef::Number(80)
            },
            ServicePort {
                name: Some("https".into()),
                protocol: "TCP".into(),
                port: 443,
                target_port: PortRef::Name("tls".into())
            },
        ]
    );
}

#[test]
fn service_errors() {
    assert_diags(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: -web\n",
        &[
            "line 6, column 3: spec.ports: Required value",
            "line 7, column 10: spec.selector: Invalid value: \"-web\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ],
    );
    assert_diags(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 0\n  - port: 80\n    targetPort: 99999\n",
        &[
            "line 7, column 5: spec.ports[0].name: Required value",
            "line 7, column 11: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
            "line 8, column 5: spec.ports[1].name: Required value",
            "line 9, column 17: spec.ports[1].targetPort: Invalid value: 99999: must be between 1 and 65535, inclusive",
        ],
    );
}

#[test]
fn lists_kinds_and_missing_type_information() {
    let p = parse_manifests(&format!(
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {{name: a}}\n  spec: {{ports: [{{port: 80}}]}}\n- apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata: {{name: d}}\n---\nmetadata: {{name: x}}\n---\napiVersion: apps/v1\nkind: Pod\n---\n{}",
        LIVENESS_EXEC
    ));
    assert_eq!(
        rendered(&p),
        [
            "line 9, column 9: kind: podplay does not simulate kind Ingress yet",
            "line 12, column 1: kind: Required value: kind not set (e.g. \"kind: Pod\")",
            "line 12, column 1: apiVersion: Required value: apiVersion not set (e.g. \"apiVersion: v1\")",
            "line 15, column 7: kind: no matches for kind \"Pod\" in version \"apps/v1\" (use \"apiVersion: v1\")",
        ]
    );
    let kinds: Vec<&str> = p.objects.iter().map(|o| o.kind()).collect();
    assert_eq!(kinds, ["Service", "Pod"]);
}

#[test]
fn generate_name_is_deterministic() {
    let text =
        "apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: job-\nspec:\n  containers: [{name: a, image: b}]\n";
    let a = parse_manifests(text);
    let b = parse_manifests(text);
    assert_eq!(rendered(&a), Vec::<String>::new());
    let name = &a.objects[0].meta().name;
    assert!(name.starts_with("job-") && name.len() == 9, "{name}");
    assert_eq!(name, &b.objects[0].meta().name);
}

#[test]
fn yaml_syntax_errors_and_duplicate_keys() {
    let p = parse_manifests(&format!("{}---\nkind: [\n", pod_with_container("")));
    assert_eq!(p.objects.len(), 1, "documents before the error are kept");
    let e: Vec<&Diagnostic> = p.errors().collect();
    assert_eq!(e.len(), 1);
    assert!(e[0].message.starts_with("YAML syntax error: "), "{}", e[0]);
    assert_eq!(e[0].path, "");

    assert_diags(
        &pod_with_container("    image: busybox\n"),
        &["line 9, column 5: key \"image\" already set in map (first at line 8, column 5)"],
    );
}

#[test]
fn size_cap() {
    let text = format!("# {}\n", "x".repeat(300 * 1024));
    let p = parse_manifests(&text);
    assert_eq!(rendered(&p), ["line 1, column 1: input is 301 KiB; podplay accepts at most 256 KiB of manifests"]);
    assert!(p.objects.is_empty());
}

#[test]
fn object_cap() {
    let text = "---\nkind: Pod\n".repeat(MAX_OBJECTS + 1);
    assert_diags(&text, &["line 1, column 1: input has 1001 objects; podplay accepts at most 1000 objects"]);
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let p = parse_manifests(&text);
    assert_eq!(p.diagnostics.len(), 1);
    assert_eq!(
        p.diagnostics[0].to_string(),
        "line 1, column 256: nesting is too deep: podplay accepts at most 64 levels"
    );
    let mut block = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n");
    for i in 1..100 {
        block.push_str(&format!("{}a:\n", "  ".repeat(i)));
    }
    let p = parse_manifests(&block);
    assert!(p.has_errors());
    assert!(p.diagnostics[0].message.contains("too deep"));
}

#[test]
fn alias_bomb_is_refused() {
    let mut text = String::from(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..10 {
        let r = format!("*a{}", i - 1);
        text.push_str(&format!("    a{i}: &a{i} [{r}, {r}, {r}, {r}, {r}, {r}, {r}, {r}, {r}, {r}]\n"));
    }
    let p = parse_manifests(&text);
    assert!(p.objects.is_empty());
    assert_eq!(p.diagnostics.len(), 1);
    assert!(p.diagnostics[0].message.contains("more than 100000 YAML nodes"), "{}", p.diagnostics[0]);
}

#[test]
fn diagnostics_are_capped() {
    let mut text = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n");
    for _ in 0..150 {
        text.push_str("  - image: x\n");
    }
    let p = parse_manifests(&text);
    assert_eq!(p.diagnostics.len(), MAX_DIAGNOSTICS + 1);
    assert_eq!(p.diagnostics[MAX_DIAGNOSTICS].message, "too many problems; only the first 100 are shown");
    assert!(p.has_errors());
}

#[test]
fn quantities() {
    assert_diags(
        &pod_with_container("    resources:\n      requests:\n        cpu: 2\n        memory: lots\n      limits:\n        cpu: 1\n"),
        &["line 12, column 17: spec.containers[0].resources.requests[memory]: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    );
    assert_diags(
        &pod_with_container("    resources:\n      requests:\n        cpu: 2\n      limits:\n        cpu: 1\n        memory: 1e999999999\n"),
        &["line 14, column 17: spec.containers[0].resources.limits[memory]: \"1e999999999\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    );
    assert_diags(
        &pod_with_container("    resources:\n      requests:\n        cpu: 2\n      limits:\n        cpu: 1\n"),
        &["line 11, column 14: spec.containers[0].resources.requests[cpu]: Invalid value: \"2\": must be less than or equal to cpu limit of 1"],
    );
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    const SEEDS: &[&str] = &[
        LIVENESS_EXEC,
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n",
        "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: [{name: a, image: b, ports: [{containerPort: 1}]}], volumes: [{name: v, emptyDir: {}}]}}\n",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            let _ = parse_manifests(&text);
        }

        #[test]
        fn yamlish_text_never_panics(text in "[-:\\[\\]{}&*!|>'\"#%@ ,?\\n a-z0-9]{0,200}") {
            let _ = parse_manifests(&text);
        }

        #[test]
        fn mutated_manifests_never_panic(
            seed in 0..SEEDS.len(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, "[-:\\[\\]{}&*!|>'\" \\n a-zA-Z0-9]{0,6}"), 1..8),
        ) {
            let mut text = SEEDS[seed].to_string();
            for (at, op, s) in edits {
                let mut i = at.index(text.len() + 1);
                while !text.is_char_boundary(i) { i -= 1; }
                match op {
                    0 => text.insert_str(i, &s),
                    1 => { let end = (i + s.len()).min(text.len()); if text.is_char_boundary(end) { text.replace_range(i..end, ""); } }
                    2 => { let end = (i + s.len()).min(text.len()); if text.is_char_boundary(end) { text.replace_range(i..end, &s); } }
                    _ => text.insert_str(i, "\n  "),
                }
            }
            let p = parse_manifests(&text);
            // Every object returned is free of errors, and every diagnostic has a position.
            for d in &p.diagnostics {
                prop_assert!(d.pos.line >= 1 && d.pos.col >= 1);
            }
        }
    }
}

#[test]
fn bookkeeping_metadata_is_accepted_silently() {
    let p = parse_manifests(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  uid: 1234\n  resourceVersion: \"42\"\n  creationTimestamp: null\n  generation: 3\n  ownerReferences: [{kind: ReplicaSet, name: rs}]\n  finalizers: [x/y]\n  annotations:\n    example.com/note: hi\nspec:\n  containers: [{name: web, image: nginx}]\n",
    );
    assert_eq!(rendered(&p), Vec::<String>::new());
    assert_eq!(p.objects[0].meta().annotations.len(), 1);
}

#[test]
fn int_or_string_ports() {
    let p = parse_manifests(&pod_with_container(
        "    ports: [{name: http, containerPort: 80}]\n    livenessProbe:\n      tcpSocket: {port: 80}\n    readinessProbe:\n      httpGet: {port: http, scheme: HTTPS, httpHeaders: [{name: X-Probe, value: \"1\"}]}\n",
    ));
    assert_eq!(rendered(&p), Vec::<String>::new());
    let c = &pod(&p, 0).spec.containers[0];
    assert!(matches!(
        &c.liveness_probe.as_ref().unwrap().handler,
        Handler::TcpSocket { port: PortRef::Number(80), host: None }
    ));
    // A quoted number is a port *name*, and not a valid one (as upstream).
    assert_diags(
        &pod_with_container("    livenessProbe:\n      tcpSocket: {port: \"80\"}\n"),
        &["line 10, column 25: spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: \"80\": must contain at least one letter (a-z)"],
    );
}

#[test]
fn merge_keys_work_in_manifests() {
    let p = parse_manifests(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - &base {name: a, image: nginx:1.25}\n  - <<: *base\n    name: b\n",
    );
    assert_eq!(rendered(&p), Vec::<String>::new());
    let names: Vec<&str> = pod(&p, 0).spec.containers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(pod(&p, 0).spec.containers[1].image, "nginx:1.25");
}

#[test]
fn configmaps_and_secrets_decode() {
    let p = assert_diags(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata:\n  a: one\n  b.txt: |\n    two\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: czNjcjN0\nstringData:\n  user: admin\n",
        &[],
    );
    match &p.objects[0] {
        Object::ConfigMap(cm) => {
            assert_eq!(cm.data.get("a").map(String::as_str), Some("one"));
            assert_eq!(cm.data.get("b.txt").map(String::as_str), Some("two\n"));
        }
        other => panic!("not a ConfigMap: {other:?}"),
    }
    match &p.objects[1] {
        Object::Secret(s) => {
            assert_eq!(s.type_, "Opaque");
            assert_eq!(s.data.get("password").map(String::as_str), Some("s3cr3t"));
            assert_eq!(s.data.get("user").map(String::as_str), Some("admin"));
        }
        other => panic!("not a Secret: {other:?}"),
    }
}

#[test]
fn secret_data_must_be_base64() {
    let p = parse_manifests("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: s3cr3t!\n");
    let d = rendered(&p);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].contains("illegal base64 data at input byte 6"), "{d:?}");
}

#[test]
fn env_value_from_decodes_and_validates() {
    let p = parse_manifests(&pod_with_container(
        "    env:\n    - name: A\n      valueFrom: {configMapKeyRef: {name: cfg, key: a, optional: true}}\n    - name: B\n      valueFrom: {secretKeyRef: {name: s, key: b}}\n    - name: C\n      valueFrom: {fieldRef: {fieldPath: \"metadata.labels['app']\"}}\n    - name: D\n      valueFrom: {resourceFieldRef: {resource: limits.memory}}\n",
    ));
    assert_eq!(rendered(&p), Vec::<String>::new());
    let env = &pod(&p, 0).spec.containers[0].env;
    assert_eq!(
        env[0].value_from,
        Some(EnvVarSource::ConfigMapKey { name: "cfg".into(), key: "a".into(), optional: true })
    );
    assert_eq!(env[1].value_from, Some(EnvVarSource::SecretKey { name: "s".into(), key: "b".into(), optional: false }));
    assert_eq!(env[2].value_from, Some(EnvVarSource::Field { field_path: "metadata.labels['app']".into() }));
    assert_eq!(env[3].value_from, Some(EnvVarSource::ResourceField { resource: "limits.memory".into() }));

    let p = parse_manifests(&pod_with_container(
        "    env:\n    - name: A\n      valueFrom: {fieldRef: {fieldPath: spec.hostname}}\n",
    ));
    let d = rendered(&p);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].contains("fieldRef.fieldPath: Unsupported value: \"spec.hostname\": supported values: \"metadata.name\""),
        "{d:?}"
    );
}

#[test]
fn optional_configmap_volume_decodes() {
    let p = parse_manifests(&format!(
        "{}  volumes:\n  - name: v\n    configMap: {{name: cfg, optional: true}}\n",
        pod_with_container("")
    ));
    assert_eq!(rendered(&p), Vec::<String>::new());
    assert_eq!(
        pod(&p, 0).spec.volumes[0].source,
        VolumeSource::ConfigMap { name: "cfg".into(), optional: true, items: vec![] }
    );
}

#[test]
fn deployments_decode_with_apps_defaults() {
    let p = assert_diags(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx:1.27}]\n",
        &[],
    );
    let Object::Deployment(d) = &p.objects[0] else { panic!("not a Deployment") };
    assert_eq!(d.spec.replicas, 1);
    assert_eq!(d.spec.revision_history_limit, 10);
    assert_eq!(d.spec.progress_deadline_seconds, 600);
    assert_eq!(
        d.spec.strategy,
        DeploymentStrategy::RollingUpdate {
            max_surge: IntOrPercent::Percent(25),
            max_unavailable: IntOrPercent::Percent(25)
        }
    );
    assert_eq!(d.spec.template.spec.containers[0].image, "nginx:1.27");
}

#[test]
fn a_job_manual_selector_that_misses_its_template_prints_the_labels_as_go_does() {
    // `ValidateJobSpec` (pkg/apis/batch/validation) reports the template's
    // labels with `field.Invalid`, printed like the Deployment's below.
    assert_diags(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  manualSelector: true\n  selector: {matchLabels: {app: pi}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: pi, image: perl:5.34}]\n",
        &["line 8, column 24: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`"],
    );
}

#[test]
fn deployment_errors_read_like_the_api_server() {
    assert_diags(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: web, image: nginx:1.27}]\n",
        &["line 7, column 24: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`"],
    );
    assert_diags(
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web}\nspec:\n  replicas: -1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: web, image: nginx:1.27, imagePullPolcy: Always}]\n",
        &[
            "line 5, column 13: spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            "line 10, column 22: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
            "warning: line 11, column 51: unknown field \"spec.template.spec.containers[0].imagePullPolcy\"",
        ],
    );
    assert_diags(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 0}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx:1.27}]\n",
        &["line 7, column 50: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0"],
    );
    // IsNotMoreThan100Percent prints the IntOrString as the zero check does;
    // a Deployment's maxSurge has no cap.
    assert_diags(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  strategy:\n    rollingUpdate: {maxSurge: 200%, maxUnavailable: 150%}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx:1.27}]\n",
        &["line 7, column 53: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%"],
    );
    assert_diags(
        "apiVersion: v1\nkind: Deployment\nmetadata: {name: web}\n",
        &["line 2, column 7: kind: no matches for kind \"Deployment\" in version \"v1\" (use \"apiVersion: apps/v1\")"],
    );
}

#[test]
fn config_keys_are_validated() {
    assert_diags(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata:\n  good.key: x\n  bad key: y\n  ..dots: z\n",
        &[
            "line 6, column 12: data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
            "line 7, column 11: data[..dots]: Invalid value: \"..dots\": must not start with '..'",
        ],
    );
}

/// `ValidateAnnotations` checks `strings.ToLower(key)` as a qualified name:
/// upper-case letters are fine, other characters are not.
#[test]
fn annotation_keys_are_checked_case_insensitively() {
    let pod = |key: &str| {
        parse_manifests(&format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    {key}: x\nspec:\n  containers: [{{name: web, image: nginx}}]\n"
        ))
    };
    assert_eq!(rendered(&pod("Example.COM/Team-Name")), Vec::<String>::new());
    let bad = rendered(&pod("Team Name"));
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(bad[0].contains("metadata.annotations"), "{bad:?}");
    assert!(bad[0].contains("name part must consist of alphanumeric characters"), "{bad:?}");
}

/// An object with no `metadata` at all is missing its name, and only that:
/// its namespace is the request's (`default`), as with `metadata: {}`
/// (the API server fills the namespace in before ValidateObjectMeta).
#[test]
fn missing_metadata_reports_only_the_name() {
    let text = "apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n";
    assert_diags(text, &["line 1, column 1: metadata.name: Required value: name or generateName is required"]);
    let text = "apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: c, image: nginx}]\n";
    assert_diags(text, &["line 1, column 1: metadata.name: Required value: name or generateName is required"]);
}

/// A volume whose contents podplay does not model (downwardAPI, projected,
/// csi, …) is mounted empty, and says so: kubernetes.io's downward API
/// volume example would otherwise print nothing without a word why.
#[test]
fn unmodelled_volume_types_warn_that_they_are_not_simulated() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx, volumeMounts: [{name: data, mountPath: /data}]}]\n  volumes:\n  - name: data\n    nfs: {server: nfs.example, path: /exports}\n";
    let p = assert_diags(text, &["warning: line 8, column 5: not simulated by podplay: \"spec.volumes[0].nfs\""]);
    assert!(!p.has_errors());
    // downwardAPI (and projected) volumes are simulated: no warning.
    let dapi = text.replace(
        "nfs: {server: nfs.example, path: /exports}",
        "downwardAPI:\n      items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]",
    );
    assert_diags(&dapi, &[]);
}
