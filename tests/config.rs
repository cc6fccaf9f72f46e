//! ConfigMaps and Secrets as the kubelet reads them: env `valueFrom` at
//! container creation and configMap/secret volumes.

use podplay::core::engine::{Sim, SimConfig};
use podplay::core::manifest::parse_manifests;
use podplay::core::status::ContainerState;

fn sim_with(yaml: &str, until_ms: u64) -> Sim {
    let parsed = parse_manifests(yaml);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let mut sim = Sim::new(SimConfig::default());
    sim.apply(parsed.objects);
    while let Some(t) = sim.next_deadline() {
        if t > until_ms {
            break;
        }
        sim.advance_to(t);
        while sim.poll_output().is_some() {}
    }
    sim.advance_to(until_ms);
    sim
}

fn waiting(sim: &Sim, pod: &str) -> Option<(String, Option<String>)> {
    let p = sim.pod("default", pod)?;
    match &p.status.container_statuses.first()?.state {
        ContainerState::Waiting(w) => Some((w.reason.clone(), w.message.clone())),
        _ => None,
    }
}

const POD_READING_KEY: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'echo $X; sleep 3600']\n    env:\n    - name: X\n      valueFrom: {configMapKeyRef: {name: cfg, key: x}}\n";

#[test]
fn a_missing_key_is_a_create_container_config_error() {
    let yaml =
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cfg}}\ndata: {{y: '1'}}\n---\n{POD_READING_KEY}");
    let sim = sim_with(&yaml, 5_000);
    assert_eq!(
        waiting(&sim, "app"),
        Some(("CreateContainerConfigError".into(), Some("couldn't find key x in ConfigMap default/cfg".into())))
    );
    assert!(sim
        .events()
        .iter()
        .any(|e| e.reason == "Failed" && e.message == "Error: couldn't find key x in ConfigMap default/cfg"));
}

#[test]
fn a_missing_configmap_is_retried_until_applied() {
    let sim = sim_with(POD_READING_KEY, 5_000);
    assert_eq!(
        waiting(&sim, "app"),
        Some(("CreateContainerConfigError".into(), Some("configmap \"cfg\" not found".into())))
    );
    let mut sim = sim;
    let cm = parse_manifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {x: hello}\n");
    sim.apply(cm.objects);
    sim.advance_to(30_000);
    assert_eq!(waiting(&sim, "app"), None, "the container starts at the kubelet's next retry");
    assert_eq!(sim.logs("default", "app", "app"), Some(vec!["hello".to_string()]));
}

#[test]
fn optional_sources_may_be_missing() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'echo \"[$X]\"; cat /s/k; sleep 3600']\n    env:\n    - name: X\n      valueFrom: {secretKeyRef: {name: s, key: x, optional: true}}\n    volumeMounts: [{name: s, mountPath: /s}]\n  volumes:\n  - name: s\n    secret: {secretName: s, optional: true}\n";
    let sim = sim_with(yaml, 10_000);
    assert_eq!(waiting(&sim, "app"), None);
    assert_eq!(
        sim.logs("default", "app", "app"),
        Some(vec!["[]".to_string(), "cat: can't open '/s/k': No such file or directory".to_string()])
    );
}

#[test]
fn secret_volume_files_hold_the_decoded_values() {
    let yaml = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: czNjcjN0}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'cat /s/k; echo; sleep 3600']\n    volumeMounts: [{name: s, mountPath: /s}]\n  volumes:\n  - name: s\n    secret: {secretName: s}\n";
    let sim = sim_with(yaml, 10_000);
    assert_eq!(sim.logs("default", "app", "app"), Some(vec!["s3cr3t".to_string()]));
}

#[test]
fn volume_items_pick_keys_and_paths() {
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: one, b: two}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'cat /c/conf/first.txt; echo; cat /c/b; sleep 3600']\n    volumeMounts: [{name: c, mountPath: /c}]\n  volumes:\n  - name: c\n    configMap:\n      name: cfg\n      items: [{key: a, path: conf/first.txt}]\n";
    let sim = sim_with(yaml, 10_000);
    assert_eq!(
        sim.logs("default", "app", "app"),
        Some(vec!["one".to_string(), "cat: can't open '/c/b': No such file or directory".to_string()])
    );
    let missing = yaml.replace("key: a,", "key: zz,");
    let parsed = parse_manifests(&missing);
    let mut sim = Sim::new(SimConfig::default());
    sim.apply(parsed.objects);
    sim.advance_to(5_000);
    assert!(sim.events().iter().any(|e| e.reason == "FailedMount"
        && e.message
            == "MountVolume.SetUp failed for volume \"c\" : configmap references non-existent config key: zz"));
}

#[test]
fn env_from_adds_every_key_with_its_prefix() {
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {A: one, B: two}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {TOKEN: t0k3n}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'echo $A $B $S_TOKEN $C; sleep 3600']\n    envFrom:\n    - configMapRef: {name: cfg}\n    - prefix: S_\n      secretRef: {name: s}\n    - configMapRef: {name: nope, optional: true}\n    env:\n    - {name: B, value: override}\n    - {name: C, value: $(A)-$(S_TOKEN)}\n";
    let sim = sim_with(yaml, 10_000);
    assert_eq!(sim.logs("default", "app", "app"), Some(vec!["one override t0k3n one-t0k3n".to_string()]));
    let missing = "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    envFrom: [{secretRef: {name: gone}}]\n";
    let sim = sim_with(missing, 5_000);
    assert_eq!(
        waiting(&sim, "app"),
        Some(("CreateContainerConfigError".into(), Some("secret \"gone\" not found".into())))
    );
}

#[test]
fn services_of_the_namespace_appear_as_variables() {
    let yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: my-db}\nspec:\n  selector: {app: db}\n  ports: [{name: pg, port: 5432}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'echo $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT_HTTPS $MY_DB_SERVICE_PORT_PG $MY_DB_PORT_5432_TCP_PROTO $(DB); sleep 3600']\n    env:\n    - {name: DB, value: 'db=$(MY_DB_SERVICE_HOST)'}\n";
    let sim = sim_with(yaml, 10_000);
    let ip = sim.services()[0].cluster_ip.expect("a cluster IP");
    assert_eq!(sim.logs("default", "app", "app"), Some(vec![format!("10.96.0.1:443 5432 tcp db={ip}")]));
}

#[test]
fn a_changed_configmap_reaches_mounted_volumes_at_the_next_sync() {
    let pod = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {level: info}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'while true; do cat /c/level; echo; sleep 30; done']\n    volumeMounts: [{name: c, mountPath: /c}]\n  volumes:\n  - name: c\n    configMap: {name: cfg}\n";
    let mut sim = sim_with(pod, 10_000);
    sim.apply(
        parse_manifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {level: debug}\n").objects,
    );
    sim.advance_to(100_000);
    // Lines at ~2 s, 32 s, 62 s, 92 s; the volume changes at the 60 s resync.
    assert_eq!(
        sim.logs("default", "app", "app"),
        Some(vec!["info".to_string(), "info".to_string(), "debug".to_string(), "debug".to_string()])
    );
}

#[test]
fn huge_durations_saturate_instead_of_overflowing() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: huge}\nspec:\n  activeDeadlineSeconds: 2147483647\n  terminationGracePeriodSeconds: 9223372036854775807\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 3600']\n";
    let mut sim = sim_with(yaml, 5_000);
    sim.act(&podplay::session::parse_action("delete pod/huge").unwrap()).unwrap();
    sim.advance_to(60_000);
    while sim.poll_output().is_some() {}
    assert!(sim.pod("default", "huge").is_some_and(|p| p.server.deletion_ms.is_some()));
}
