//! Files the kubelet puts into a container, and reads back out of it: the
//! managed `/etc/hosts` (pkg/kubelet/kubelet_pods.go), read through the
//! container's shell, `hostPath` files of the node (pkg/volume/hostpath),
//! and the termination message (pkg/kubelet/kuberuntime/kuberuntime_container.go).
//! The manifests are kubernetes.io's examples.

mod common;

use podplay::core::engine::Sim;
use podplay::core::manifest::parse_manifests;
use podplay::core::status::ContainerState;

fn run(yaml: &str, until_ms: u64) -> Sim {
    let mut sim = common::sim_with(yaml);
    sim.advance_to(until_ms);
    sim
}

/// kubernetes.io/examples/service/networking/hostaliases-pod.yaml.
const HOSTALIASES_POD: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: hostaliases-pod
spec:
  restartPolicy: Never
  hostAliases:
  - ip: "127.0.0.1"
    hostnames:
    - "foo.local"
    - "bar.local"
  - ip: "10.1.2.3"
    hostnames:
    - "foo.remote"
    - "bar.remote"
  containers:
  - name: cat-hosts
    image: busybox:1.28
    command:
    - cat
    args:
    - "/etc/hosts"
"#;

/// kubernetes.io "Adding entries to Pod /etc/hosts with HostAliases": the
/// kubelet's `managedHostsFileContent` then `hostsEntriesFromHostAliases`
/// (one line per alias, names joined by tabs), as `kubectl logs
/// hostaliases-pod` prints them on that page.
#[test]
fn the_kubelet_writes_etc_hosts_with_the_host_aliases() {
    let sim = run(HOSTALIASES_POD, 30_000);
    let ip = sim.pods()[0].status.pod_ip.expect("an IP");
    assert_eq!(
        sim.logs("default", "hostaliases-pod", "cat-hosts").expect("logs"),
        [
            "# Kubernetes-managed hosts file.".to_string(),
            "127.0.0.1\tlocalhost".into(),
            "::1\tlocalhost ip6-localhost ip6-loopback".into(),
            "fe00::0\tip6-localnet".into(),
            "fe00::0\tip6-mcastprefix".into(),
            "fe00::1\tip6-allnodes".into(),
            "fe00::2\tip6-allrouters".into(),
            format!("{ip}\thostaliases-pod"),
            "".into(),
            "# Entries added by HostAliases.".into(),
            "127.0.0.1\tfoo.local\tbar.local".into(),
            "10.1.2.3\tfoo.remote\tbar.remote".into(),
        ]
    );
}

/// With `spec.subdomain` the Pod's line is `IP\tHOST.SUB.NS.svc.cluster.local\tHOST`
/// (`GeneratePodHostNameAndDomain`); without aliases nothing follows it.
#[test]
fn a_subdomain_gives_the_pod_line_its_fully_qualified_name() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostname: web-0\n  subdomain: web\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'tail -n 2 /etc/hosts; sleep 3600']\n";
    let sim = run(yaml, 30_000);
    let ip = sim.pods()[0].status.pod_ip.expect("an IP");
    assert_eq!(
        sim.logs("default", "p", "app").expect("logs"),
        ["fe00::2\tip6-allrouters".to_string(), format!("{ip}\tweb-0.web.default.svc.cluster.local\tweb-0")]
    );
}

/// `ValidateHostAliases`: each `ip` a valid IP, each hostname a DNS-1123
/// subdomain.
#[test]
fn host_aliases_are_validated() {
    let yaml = HOSTALIASES_POD.replace("\"10.1.2.3\"", "\"10.1.2\"").replace("\"bar.local\"", "\"Bar_local\"");
    let parsed = parse_manifests(&yaml);
    let errors: Vec<String> = parsed.diagnostics.iter().map(|d| format!("{}: {}", d.path, d.message)).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("spec.hostAliases[1].ip: Invalid value: \"10.1.2\": must be a valid IP address")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("spec.hostAliases[0].hostnames[1]: Invalid value: \"Bar_local\"")),
        "{errors:?}"
    );
}

/// The terminated state's message of the Pod's first container, now or, when
/// it has restarted, of its last run.
fn terminated_message(sim: &Sim, last: bool) -> Option<String> {
    let status = &sim.pods()[0].status.container_statuses[0];
    let state = if last { status.last_state.clone() } else { Some(status.state.clone()) };
    match state {
        Some(ContainerState::Terminated(t)) => t.message,
        other => panic!("not terminated: {other:?}"),
    }
}

/// kubernetes.io/examples/debug/termination.yaml ("Determine the Reason for
/// Pod Failure"): the container writes "Sleep expired" to
/// /dev/termination-log; the kubelet reads the file when the container
/// exits (`getTerminationMessage`, kuberuntime_container.go) and the page's
/// `{{.lastState.terminated.message}}` prints it.
#[test]
fn the_termination_log_becomes_the_terminated_message() {
    let yaml = r#"apiVersion: v1
kind: Pod
metadata:
  name: termination-demo
spec:
  containers:
  - name: termination-demo-container
    image: debian
    command: ["/bin/sh"]
    args: ["-c", "sleep 10 && echo Sleep expired > /dev/termination-log"]
"#;
    let sim = run(yaml, 14_000);
    assert_eq!(terminated_message(&sim, false).as_deref(), Some("Sleep expired\n"));
    let sim = run(yaml, 20_000);
    assert_eq!(terminated_message(&sim, true).as_deref(), Some("Sleep expired\n"));
}

fn pod_with(script: &str, policy: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: app\n    image: busybox:1.36\n    terminationMessagePolicy: {policy}\n    command: [sh, -c, '{script}']\n"
    )
}

/// `FallbackToLogsOnError`: a container that fails without writing the file
/// gets the end of its log, at most 80 lines (`MaxContainerTerminationMessageLogLines`)
/// and 2048 bytes (`MaxContainerTerminationMessageLogLength`).
#[test]
fn fallback_to_logs_on_error_takes_the_last_80_lines_and_2048_bytes() {
    let sim = run(&pod_with("for i in $(seq 1 100); do echo line $i; done; exit 3", "FallbackToLogsOnError"), 10_000);
    let expected: String = (21..=100).map(|i| format!("line {i}\n")).collect();
    assert_eq!(terminated_message(&sim, false), Some(expected));

    let long = "x".repeat(40);
    let script = format!("for i in $(seq 1 100); do echo $i-{long}; done; exit 1");
    let sim = run(&pod_with(&script, "FallbackToLogsOnError"), 10_000);
    let lines: String = (21..=100).map(|i| format!("{i}-{long}\n")).collect();
    assert_eq!(terminated_message(&sim, false).as_deref(), Some(&lines[lines.len() - 2048..]));
}

/// The file wins when it has something; success, or the `File` policy,
/// never reads the log.
#[test]
fn the_file_comes_first_and_logs_only_on_error() {
    let both = "echo from the log; echo from the file > /dev/termination-log; exit 1";
    let sim = run(&pod_with(both, "FallbackToLogsOnError"), 10_000);
    assert_eq!(terminated_message(&sim, false).as_deref(), Some("from the file\n"));
    let sim = run(&pod_with("echo all is well", "FallbackToLogsOnError"), 10_000);
    assert_eq!(terminated_message(&sim, false), None);
    let sim = run(&pod_with("echo it broke; exit 1", "File"), 10_000);
    assert_eq!(terminated_message(&sim, false), None);
    // The kubelet creates the file empty before the container starts.
    let sim = run(&pod_with("test -f /dev/termination-log && echo there; exit 1", "FallbackToLogsOnError"), 10_000);
    assert_eq!(terminated_message(&sim, false).as_deref(), Some("there\n"));
}

/// kubernetes.io/examples/application/basic-daemonset.yaml: the init
/// container's `cat /etc/machine-id > /var/log/machine-id.log` reads the
/// node's machine id through a `hostPath` of type `File`, mounted as a file
/// (pkg/volume/hostpath `checkTypeInternal`), so every Pod initializes and
/// runs.
#[test]
fn a_host_path_file_is_mounted_as_a_file() {
    let sim = run(include_str!("fixtures/basic-daemonset.yaml"), 30_000);
    let pods = sim.pods();
    assert_eq!(pods.len(), 3);
    for pod in &pods {
        let init = &pod.status.init_container_statuses[0];
        assert!(
            matches!(&init.state, ContainerState::Terminated(t) if t.exit_code == 0),
            "{}: {:?}",
            pod.pod.metadata.name,
            init.state
        );
        assert!(pod.status.container_statuses[0].ready, "{}", pod.pod.metadata.name);
    }
}

fn machine_id_pod(name: &str, node: &str, kind: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  nodeName: {node}\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'cat /etc/machine-id; sleep 3600']\n    volumeMounts: [{{name: id, mountPath: /etc/machine-id, readOnly: true}}]\n  volumes:\n  - name: id\n    hostPath: {{path: /etc/machine-id, type: {kind}}}\n")
}

/// Each node has its own machine id (32 hex digits), the same for every Pod
/// on it; a type the path does not have fails the mount with the kubelet's
/// `hostPath type check failed: … is not a directory`.
#[test]
fn machine_ids_are_per_node_and_types_are_checked() {
    let yaml = [
        machine_id_pod("a", "node-1", "File"),
        machine_id_pod("b", "node-1", "\"\""),
        machine_id_pod("c", "node-2", "File"),
    ]
    .join("---\n");
    let sim = run(&yaml, 30_000);
    let id = |pod: &str| sim.logs("default", pod, "app").expect("logs");
    assert_eq!(id("a").len(), 1);
    assert_eq!(id("a")[0].len(), 32);
    assert!(id("a")[0].bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(id("a"), id("b"));
    assert_ne!(id("a"), id("c"));

    let sim = run(&machine_id_pod("d", "node-1", "Directory"), 30_000);
    let failed: Vec<String> =
        sim.events().iter().filter(|e| e.reason == "FailedMount").map(|e| e.message.clone()).collect();
    assert_eq!(
        failed.first().map(String::as_str),
        Some("MountVolume.SetUp failed for volume \"id\" : hostPath type check failed: /etc/machine-id is not a directory")
    );
}

/// kubernetes.io "Configure a Pod to Use a ConfigMap" (configmap-multikeys.yaml,
/// pod-configmap-volume.yaml): `ls /etc/config/` prints the ConfigMap's
/// keys, one a line as BusyBox `ls` does when writing to a log.
#[test]
fn ls_lists_a_config_map_volume() {
    let yaml = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: special-config
  namespace: default
data:
  SPECIAL_LEVEL: very
  SPECIAL_TYPE: charm
---
apiVersion: v1
kind: Pod
metadata:
  name: dapi-test-pod
spec:
  containers:
  - name: test-container
    image: registry.k8s.io/busybox:1.27.2
    command: [ "/bin/sh", "-c", "ls /etc/config/" ]
    volumeMounts:
    - name: config-volume
      mountPath: /etc/config
  volumes:
  - name: config-volume
    configMap:
      name: special-config
  restartPolicy: Never
"#;
    let sim = run(yaml, 30_000);
    assert_eq!(
        sim.logs("default", "dapi-test-pod", "test-container").expect("logs"),
        ["SPECIAL_LEVEL", "SPECIAL_TYPE"]
    );
}

/// Mount points show in their parent directory, a `hostPath` file as a
/// file; the container's own files beside them.
#[test]
fn ls_shows_mounts_and_the_containers_files() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'mkdir -p /data/sub; touch /data/b /data/.hidden; ls /data; ls -A /data/; ls /etc/machine-id; ls /nope; echo $?; ls /mnt; sleep 3600']\n    volumeMounts:\n    - {name: id, mountPath: /etc/machine-id}\n    - {name: cache, mountPath: /mnt/cache}\n  volumes:\n  - {name: id, hostPath: {path: /etc/machine-id, type: File}}\n  - {name: cache, emptyDir: {}}\n";
    let sim = run(yaml, 30_000);
    assert_eq!(
        sim.logs("default", "p", "app").expect("logs"),
        ["b", "sub", ".hidden", "b", "sub", "/etc/machine-id", "ls: /nope: No such file or directory", "1", "cache"]
    );
}

/// The C library reads `/etc/hosts` before DNS, so `wget` and `hostname -i`
/// find the `hostAliases` and the Pod's own line; BusyBox `nslookup` asks
/// the DNS server only (kubernetes.io: "Adding entries to Pod /etc/hosts
/// with HostAliases").
#[test]
fn wget_and_hostname_read_etc_hosts_and_nslookup_does_not() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostAliases:\n  - {ip: 127.0.0.1, hostnames: [foo.local]}\n  containers:\n  - name: web\n    image: nginx:1.27\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 10; wget -qO- http://foo.local | head -n 1; hostname -i; nslookup foo.local >/dev/null || echo NXDOMAIN; sleep 3600']\n";
    let sim = run(yaml, 30_000);
    let ip = sim.pods()[0].status.pod_ip.expect("an IP");
    assert_eq!(
        sim.logs("default", "p", "app").expect("logs"),
        ["<!DOCTYPE html>".to_string(), ip.to_string(), "NXDOMAIN".into()]
    );
}
