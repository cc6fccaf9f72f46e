//! Images as a cluster pulls and runs them: registries that cannot exist,
//! the official images' default processes, and commands the image lacks
//! (issue 15, items 9–11).

mod common;
use common::sim_with;
use podplay::core::engine::Sim;
use podplay::core::status::{ContainerState, PodPhase, Terminated};

fn pod(name: &str, restart: &str, container: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  restartPolicy: {restart}\n  containers:\n  - name: c\n{container}"
    )
}

fn state(sim: &Sim, name: &str) -> ContainerState {
    sim.pod("default", name).expect("the pod exists").status.container_statuses[0].state.clone()
}

/// The container's terminated state (the test fails if it is not terminated).
fn terminated(sim: &Sim, name: &str) -> Terminated {
    match state(sim, name) {
        ContainerState::Terminated(t) => t,
        other => panic!("{name}: not terminated: {other:?}"),
    }
}

fn messages(sim: &Sim, name: &str, reason: &str) -> Vec<String> {
    sim.events().iter().filter(|e| e.involved.name == name && e.reason == reason).map(|e| e.message.clone()).collect()
}

/// e2e "should not be able to pull image from invalid registry"
/// (test/e2e/common/node/runtime.go): `invalid.registry.k8s.io/invalid/alpine:3.1`
/// fails with ErrImagePull, then ImagePullBackOff, and the Pod stays Pending.
/// A host under an RFC 6761 reserved name fails the same way.
#[test]
fn a_registry_that_cannot_resolve_fails_the_pull_and_the_pod_stays_pending() {
    for (image, host) in [
        ("invalid.registry.k8s.io/invalid/alpine:3.1", "invalid.registry.k8s.io"),
        ("registry.invalid/team/app:1.0", "registry.invalid"),
        ("registry.test:5000/app", "registry.test"),
    ] {
        let mut sim = sim_with(&pod("p", "Always", &format!("    image: {image}\n")));
        sim.advance_to(2_500);
        match state(&sim, "p") {
            ContainerState::Waiting(w) => assert_eq!(w.reason, "ErrImagePull", "{image}"),
            other => panic!("{image}: {other:?}"),
        }
        let failed = messages(&sim, "p", "Failed");
        assert!(
            failed[0].starts_with(&format!(
                "Failed to pull image \"{image}\": rpc error: code = Unknown desc = failed to pull and unpack image"
            )),
            "{failed:?}"
        );
        assert!(failed[0].ends_with(&format!(": dial tcp: lookup {host}: no such host")), "{failed:?}");
        sim.advance_to(4_000);
        match state(&sim, "p") {
            ContainerState::Waiting(w) => assert_eq!(w.reason, "ImagePullBackOff", "{image}"),
            other => panic!("{image}: {other:?}"),
        }
        assert_eq!(sim.pod("default", "p").unwrap().status.phase, PodPhase::Pending);
    }
}

/// kubernetes.io `controllers/job-pod-failure-policy-config-issue.yaml`: its
/// Pods stay Pending in ImagePullBackOff on
/// `non-existing-repo/non-existing-image:example`, as Docker Hub answers
/// for a repository it does not have.
#[test]
fn the_config_issue_jobs_image_does_not_exist() {
    let yaml = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: job-pod-failure-policy-config-issue\nspec:\n  completions: 8\n  parallelism: 2\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: main\n        image: \"non-existing-repo/non-existing-image:example\"\n  backoffLimit: 6\n  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onPodConditions:\n      - type: ConfigIssue\n        status: \"True\"\n";
    let mut sim = sim_with(yaml);
    sim.advance_to(60_000);
    let pods = sim.pods();
    assert_eq!(pods.len(), 2, "parallelism 2, no Pod ever finishes");
    for p in &pods {
        assert_eq!(p.status.phase, PodPhase::Pending);
        match &p.status.container_statuses[0].state {
            ContainerState::Waiting(w) => assert!(["ErrImagePull", "ImagePullBackOff"].contains(&w.reason.as_str())),
            other => panic!("{other:?}"),
        }
    }
    let failed = messages(&sim, &pods[0].pod.metadata.name, "Failed");
    assert!(
        failed.iter().any(|m| m.contains("pull access denied, repository does not exist or may require authorization")),
        "{failed:?}"
    );
}

/// The official images' default processes: `python:3` and `fedora` run an
/// interpreter or shell that reads EOF from the absent stdin and exits 0
/// (CrashLoopBackOff under `restartPolicy: Always`); mysql refuses to
/// initialise without a password variable (docker-library/mysql
/// docker-entrypoint.sh `docker_verify_minimum_env`) and serves 3306 with
/// one; mongo, rabbitmq, memcached and wordpress keep serving their ports.
#[test]
fn official_images_run_their_default_process() {
    for image in ["python:3", "fedora"] {
        let mut sim = sim_with(&pod("p", "Never", &format!("    image: {image}\n")));
        sim.advance_to(60_000);
        let t = terminated(&sim, "p");
        assert_eq!((t.exit_code, t.reason.as_str()), (0, "Completed"), "{image}");
    }
    let mut sim = sim_with(&pod("p", "Never", "    image: mysql:8.0\n"));
    sim.advance_to(60_000);
    let t = terminated(&sim, "p");
    assert_eq!(t.exit_code, 1);
    let log = sim.logs("default", "p", "c").unwrap();
    assert!(
        log[0].ends_with(" [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified"),
        "{log:?}"
    );
    assert_eq!(log[2], "\t- MYSQL_ROOT_PASSWORD");

    for (image, port, env) in [
        ("mysql:8.0", 3306, "    env: [{name: MYSQL_ROOT_PASSWORD, value: secret}]\n"),
        ("mongo:4.2", 27017, "    args: [--bind_ip, 0.0.0.0]\n"),
        ("rabbitmq:3.8", 5672, ""),
        ("memcached:1.6", 11211, ""),
        ("wordpress:6.2.1-apache", 80, ""),
    ] {
        let probe = format!("    readinessProbe:\n      tcpSocket: {{port: {port}}}\n");
        let mut sim = sim_with(&pod("p", "Always", &format!("    image: {image}\n{env}{probe}")));
        sim.advance_to(60_000);
        let status = &sim.pod("default", "p").unwrap().status.container_statuses[0];
        assert!(status.ready && status.restart_count == 0, "{image}: {status:?}");
    }
}

/// A command the image lacks: runc's `exec: "stress": executable file not
/// found in $PATH`, which containerd turns into a StartError with exit code
/// 128 (internal/cri/server/container_start.go, containerd/containerd#7044);
/// the kubelet records `Failed` "Error: …" and, while it will start the
/// container again, reports it waiting in `RunContainerError`.
#[test]
fn a_command_the_image_lacks_fails_to_start() {
    let msg = "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"stress\": executable file not found in $PATH: unknown";
    let container = "    image: nginx:1.27\n    command: [stress]\n    args: [--vm, \"1\", --vm-bytes, 150M]\n";
    let mut sim = sim_with(&pod("p", "Never", container));
    sim.advance_to(30_000);
    let t = terminated(&sim, "p");
    assert_eq!((t.exit_code, t.reason.as_str(), t.message.as_deref()), (128, "StartError", Some(msg)));
    assert_eq!(sim.pod("default", "p").unwrap().status.phase, PodPhase::Failed);
    assert_eq!(messages(&sim, "p", "Failed"), [format!("Error: {msg}")]);
    assert!(messages(&sim, "p", "Started").is_empty(), "never started");

    let mut sim = sim_with(&pod("p", "Always", container));
    sim.advance_to(5_000);
    let status = &sim.pod("default", "p").unwrap().status.container_statuses[0];
    match (&status.state, &status.last_state) {
        (ContainerState::Waiting(w), Some(ContainerState::Terminated(t))) => {
            assert_eq!((w.reason.as_str(), w.message.as_deref()), ("RunContainerError", Some(msg)));
            assert_eq!((t.reason.as_str(), t.exit_code), ("StartError", 128));
        }
        other => panic!("{other:?}"),
    }
    // Under a shell, the shell says it: `sh: stress: not found`, 127.
    let mut sim = sim_with(&pod("p", "Never", "    image: nginx:1.27\n    command: [sh, -c, \"stress --vm 1\"]\n"));
    sim.advance_to(30_000);
    assert_eq!(terminated(&sim, "p").exit_code, 127);
    assert_eq!(sim.logs("default", "p", "c").unwrap(), ["sh: stress: not found"]);
}

/// The shell's network tools follow the image like any program: BusyBox
/// has `wget` and `nslookup` but not `curl`; nginx's Debian image installs
/// `curl` (its Dockerfile: `apt-get install … ca-certificates gettext-base
/// curl`) and has no `wget`; curlimages/curl has curl. A missing first word
/// is runc's StartError; under `sh -c`, ash's `sh: wget: not found`, 127.
#[test]
fn wget_and_curl_follow_the_image() {
    let run = |image: &str, script: &str| {
        let mut sim =
            sim_with(&pod("p", "Never", &format!("    image: {image}\n    command: [sh, -c, \"{script}\"]\n")));
        sim.advance_to(30_000);
        (terminated(&sim, "p").exit_code, sim.logs("default", "p", "c").unwrap())
    };
    assert_eq!(run("nginx:1.27", "wget -q -O- http://localhost"), (127, vec!["sh: wget: not found".to_string()]));
    assert_eq!(run("busybox:1.36", "curl http://localhost"), (127, vec!["sh: curl: not found".to_string()]));
    assert_eq!(run("nginx:1.27", "nslookup kubernetes"), (127, vec!["sh: nslookup: not found".to_string()]));
    assert_ne!(run("nginx:1.27", "curl -s http://localhost").0, 127);
    assert_ne!(run("busybox:1.36", "wget -q -O- http://example.invalid").0, 127);

    let msg = "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"wget\": executable file not found in $PATH: unknown";
    let mut sim = sim_with(&pod("p", "Never", "    image: nginx:1.27\n    command: [wget, -qO-, http://localhost]\n"));
    sim.advance_to(30_000);
    let t = terminated(&sim, "p");
    assert_eq!((t.exit_code, t.reason.as_str(), t.message.as_deref()), (128, "StartError", Some(msg)));
}

/// kubernetes.io "Set up Konnectivity service": the distroless images run
/// their one program, `/proxy-server` and `/proxy-agent`, and answer the
/// liveness probe on `--health-server-port`; a path they lack fails.
#[test]
fn konnectivity_images_run_their_programs() {
    let agent = "    image: us.gcr.io/k8s-artifacts-prod/kas-network-proxy/proxy-agent:v0.0.37\n    command: [/proxy-agent]\n    args: [--proxy-server-port=8132, --health-server-port=8134]\n    livenessProbe:\n      httpGet: {port: 8134, path: /healthz}\n      initialDelaySeconds: 15\n";
    let mut sim = sim_with(&pod("p", "Always", agent));
    sim.advance_to(120_000);
    let status = &sim.pod("default", "p").unwrap().status.container_statuses[0];
    assert!(matches!(status.state, ContainerState::Running { .. }) && status.restart_count == 0, "{status:?}");
    let mut sim = sim_with(&pod(
        "p",
        "Never",
        "    image: registry.k8s.io/kas-network-proxy/proxy-server:v0.0.32\n    command: [/bin/sh, -c, /proxy-server]\n",
    ));
    sim.advance_to(30_000);
    let t = terminated(&sim, "p");
    assert_eq!(
            t.message.as_deref(),
            Some("failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"/bin/sh\": stat /bin/sh: no such file or directory: unknown")
        );
}
