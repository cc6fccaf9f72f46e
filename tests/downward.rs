//! downwardAPI and projected volumes as the kubelet fills them
//! (pkg/volume/downwardapi `CollectData`, pkg/fieldpath `FormatMap`,
//! pkg/volume/projected `collectData`; kubernetes.io "Expose Pod Information
//! to Containers Through Files" and "Projected Volumes"), read through the
//! container's shell.

use podplay::core::engine::{Sim, SimConfig};
use podplay::core::manifest::parse_manifests;

fn run(yaml: &str, until_ms: u64) -> Sim {
    let parsed = parse_manifests(yaml);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let mut sim = Sim::new(SimConfig::default());
    sim.apply(parsed.objects);
    sim.advance_to(until_ms);
    sim
}

fn logs(sim: &Sim, pod: &str) -> Vec<String> {
    sim.logs("default", pod, "app").unwrap_or_default()
}

fn failed_mounts(sim: &Sim) -> Vec<String> {
    sim.events().iter().filter(|e| e.reason == "FailedMount").map(|e| e.message.clone()).collect()
}

const LABELLED: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  labels: {tier: web, app: shop}\n  annotations: {note: 'say \"hi\"', z-last: \"tab\\there\"}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'cat /info/labels; echo; echo ---; cat /info/annotations; echo; echo ---; cat /info/tier /info/name /info/ns; echo; sleep 3600']\n    volumeMounts: [{name: info, mountPath: /info}]\n  volumes:\n  - name: info\n    downwardAPI:\n      items:\n      - {path: labels, fieldRef: {fieldPath: metadata.labels}}\n      - {path: annotations, fieldRef: {fieldPath: metadata.annotations}}\n      - {path: tier, fieldRef: {fieldPath: \"metadata.labels['tier']\"}}\n      - {path: name, fieldRef: {fieldPath: metadata.name}}\n      - {path: ns, fieldRef: {fieldPath: metadata.namespace}}\n";

/// `FormatMap`: sorted `key="value"` lines, values quoted as Go's `%q`,
/// no newline after the last; the kubelet's copy of the Pod carries
/// `kubernetes.io/config.seen` and `kubernetes.io/config.source`.
#[test]
fn labels_and_annotations_are_written_as_format_map_does() {
    let sim = run(LABELLED, 10_000);
    assert_eq!(
        logs(&sim, "app"),
        [
            "app=\"shop\"",
            "tier=\"web\"",
            "---",
            "kubernetes.io/config.seen=\"2026-01-01T00:00:00Z\"",
            "kubernetes.io/config.source=\"api\"",
            "note=\"say \\\"hi\\\"\"",
            "z-last=\"tab\\there\"",
            "---",
            "webappdefault",
        ]
    );
}

/// The files are read-only, as the kubelet mounts downwardAPI volumes.
#[test]
fn downward_api_volumes_are_read_only() {
    let yaml = LABELLED.replace("cat /info/labels;", "echo x > /info/new;");
    let sim = run(&yaml, 10_000);
    assert_eq!(logs(&sim, "app")[0], "sh: can't create /info/new: Read-only file system");
}

const RESOURCES: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'for f in cpu_limit cpu_request mem_limit mem_request cpu_cores side_cpu; do cat /r/$f; echo; done; sleep 3600']\n    resources:\n      requests: {cpu: 125m, memory: 32Mi}\n      limits: {cpu: 250m, memory: 64Mi}\n    volumeMounts: [{name: r, mountPath: /r}]\n  - name: side\n    image: busybox:1.36\n    command: [sleep, '3600']\n  volumes:\n  - name: r\n    downwardAPI:\n      items:\n      - {path: cpu_limit, resourceFieldRef: {containerName: app, resource: limits.cpu, divisor: 1m}}\n      - {path: cpu_request, resourceFieldRef: {containerName: app, resource: requests.cpu, divisor: 1m}}\n      - {path: mem_limit, resourceFieldRef: {containerName: app, resource: limits.memory, divisor: 1Mi}}\n      - {path: mem_request, resourceFieldRef: {containerName: app, resource: requests.memory}}\n      - {path: cpu_cores, resourceFieldRef: {containerName: app, resource: limits.cpu}}\n      - {path: side_cpu, resourceFieldRef: {containerName: side, resource: limits.memory, divisor: 1Gi}}\n";

/// `ExtractContainerResourceValue`: the value over the divisor, rounded up;
/// a container without limits gets the node's allocatable (a podplay node:
/// 4 CPUs, 8 GiB).
#[test]
fn resource_fields_use_the_divisor_and_the_node_allocatable() {
    let sim = run(RESOURCES, 10_000);
    assert_eq!(logs(&sim, "app"), ["250", "125", "64", "33554432", "1", "8"]);
}

#[test]
fn an_unknown_container_fails_the_mount() {
    let yaml = RESOURCES.replace("containerName: side", "containerName: nope");
    let sim = run(&yaml, 5_000);
    let failed = failed_mounts(&sim);
    assert!(!failed.is_empty());
    assert_eq!(failed[0], "MountVolume.SetUp failed for volume \"r\" : container nope not found");
    assert!(logs(&sim, "app").is_empty());
}

const PROJECTED: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {level: info, other: x}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {user: admin}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  labels: {tier: web}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'while true; do cat /all/other; cat /all/conf/level /all/user /all/labels; echo; cat /all/token; echo; sleep 30; done']\n    volumeMounts: [{name: all, mountPath: /all, readOnly: true}]\n  volumes:\n  - name: all\n    projected:\n      sources:\n      - configMap: {name: cfg, items: [{key: level, path: conf/level}]}\n      - secret: {name: creds}\n      - secret: {name: absent, optional: true}\n      - downwardAPI:\n          items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]\n      - serviceAccountToken: {audience: vault, expirationSeconds: 7200, path: token}\n";

/// All sources' files in one directory (with `items`, only the listed
/// keys); an optional missing Secret adds nothing; the token file holds
/// podplay's stand-in JWT.
#[test]
fn projected_sources_share_one_directory() {
    let sim = run(PROJECTED, 10_000);
    let logs = logs(&sim, "app");
    assert_eq!(
        logs,
        [
            "cat: can't open '/all/other': No such file or directory",
            "infoadmintier=\"web\"",
            "eyJhbGciOiJSUzI1NiJ9.podplay"
        ],
        "{logs:#?}"
    );
}

/// projected.go: each missing non-optional object is an error of the one
/// SetUp, aggregated as `utilerrors.NewAggregate` prints them.
#[test]
fn missing_projected_objects_fail_the_mount_together() {
    let yaml = PROJECTED.split("---\n").nth(2).unwrap_or_default();
    let sim = run(yaml, 5_000);
    let failed = failed_mounts(&sim);
    assert!(!failed.is_empty());
    assert_eq!(
        failed[0],
        "MountVolume.SetUp failed for volume \"all\" : [configmap \"cfg\" not found, secret \"creds\" not found]"
    );
}

/// Like a configMap volume, a projected ConfigMap reaches the container at
/// the Pod's next periodic sync.
#[test]
fn a_changed_configmap_reaches_projected_volumes_at_the_next_sync() {
    let yaml = PROJECTED.replace("cat /all/other; ", "").replace(" /all/user /all/labels; echo; cat /all/token", "");
    let mut sim = run(&yaml, 10_000);
    sim.apply(
        parse_manifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {level: debug}\n").objects,
    );
    sim.advance_to(100_000);
    // Lines at ~2 s, 32 s, 62 s, 92 s; the volume changes at the 60 s resync.
    assert_eq!(logs(&sim, "app"), ["info", "info", "debug", "debug"]);
}

/// `kubectl describe pod`: `printDownwardAPIVolumeSource` lists each item's
/// field or resource and path; `printProjectedVolumeSource` one line per
/// source (an unset `optional` is a nil pointer, printed `<nil>`). The
/// tabwriter aligns each run of tabbed lines on its own, so the
/// downwardAPI volume's lone `Type:` line is not padded to the one above.
#[test]
fn describe_lists_downward_api_items_and_projected_sources() {
    let yaml = format!("{PROJECTED}  - name: r\n    downwardAPI:\n      items:\n      - {{path: name, fieldRef: {{fieldPath: metadata.name}}}}\n      - {{path: mem, resourceFieldRef: {{containerName: app, resource: limits.memory}}}}\n");
    let sim = run(&yaml, 5_000);
    let pod = sim.pod("default", "app").expect("pod");
    let d = podplay::core::kubectl::describe_pod(&pod, sim.events(), sim.now());
    let volumes = &d[d.find("Volumes:").expect("Volumes")..d.find("QoS Class").expect("QoS")];
    assert_eq!(
        volumes,
        "Volumes:\n  all:\n    Type:                    Projected (a volume that contains injected data from multiple sources)\n    ConfigMapName:           cfg\n    ConfigMapOptional:       <nil>\n    SecretName:              creds\n    SecretOptionalName:      <nil>\n    SecretName:              absent\n    SecretOptionalName:      true\n    DownwardAPI:             true\n    TokenExpirationSeconds:  7200\n  r:\n    Type:  DownwardAPI (a volume populated by information about the pod)\n    Items:\n      metadata.name -> name\n      limits.memory -> mem\n"
    );
}
