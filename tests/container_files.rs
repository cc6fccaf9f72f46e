//! Files the kubelet puts into a container, and reads back out of it: the
//! managed `/etc/hosts` (pkg/kubelet/kubelet_pods.go), read through the
//! container's shell. The manifests are kubernetes.io's examples.

mod common;

use podplay::core::engine::Sim;
use podplay::core::manifest::parse_manifests;

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
