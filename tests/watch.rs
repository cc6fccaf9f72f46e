//! The watch stream (`podplay run -o json`) carries ConfigMaps and Secrets
//! as the API server returns them: ADDED with a uid, resourceVersion and
//! creationTimestamp when created, MODIFIED with a new resourceVersion when
//! an apply changes them, nothing when it does not (the watch cache sends an
//! event per stored change, staging/src/k8s.io/apiserver/pkg/storage/cacher);
//! a Secret's `data` in standard base64 (Go's `base64.StdEncoding` for
//! `[]byte`), then `type` (k8s.io/api/core/v1 `Secret` field order).

use podplay::core::engine::{Output, Sim, SimConfig};
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
        if matches!(o, Output::ConfigMap { .. } | Output::Secret { .. } | Output::Namespace { .. }) {
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
