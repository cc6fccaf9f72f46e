//! The spec side of API objects as JSON, in Go's field order (see
//! [`crate::core::json`] for the rules): Pod specs and templates,
//! containers, probes, volumes, quantities. It sits in the model layer, under
//! the engine, which hashes a Pod template's JSON to name ReplicaSets
//! (`engine::template_hash`); [`crate::core::json`] builds whole objects,
//! with their status, from it.

use crate::core::api::{
    Container, Handler, IntOrPercent, LabelSelector, PodSpec, PodTemplate, PortRef, Probe, ResourceList, VolumeSource,
};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A JSON object, its keys in insertion order (serde_json's `preserve_order`).
pub(crate) type Map = serde_json::Map<String, Value>;

/// A CPU quantity as `resource.Quantity.String()` prints millicores:
/// `100m`, `1`, `1500m`.
pub fn format_cpu(millis: i64) -> String {
    if millis % 1000 == 0 {
        (millis / 1000).to_string()
    } else {
        format!("{millis}m")
    }
}

/// A memory quantity in canonical form. The suffix the user wrote is not kept,
/// so the binary form is preferred when exact (`134217728` → `128Mi`), then
/// the decimal one (`1000000000` → `1G`), else plain bytes.
pub fn format_memory(bytes: i64) -> String {
    if bytes == 0 {
        return "0".to_string();
    }
    const BINARY: [(&str, i64); 6] =
        [("Ei", 1 << 60), ("Pi", 1 << 50), ("Ti", 1 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)];
    const DECIMAL: [(&str, i64); 6] = [
        ("E", 1_000_000_000_000_000_000),
        ("P", 1_000_000_000_000_000),
        ("T", 1_000_000_000_000),
        ("G", 1_000_000_000),
        ("M", 1_000_000),
        ("k", 1_000),
    ];
    for (suffix, unit) in BINARY.iter().chain(DECIMAL.iter()) {
        if bytes % unit == 0 {
            return format!("{}{suffix}", bytes / unit);
        }
    }
    bytes.to_string()
}

/// Inserts a string unless it is empty (`omitempty`).
pub(crate) fn put_str(m: &mut Map, key: &str, value: &str) {
    if !value.is_empty() {
        m.insert(key.to_string(), Value::from(value));
    }
}

/// Inserts a map unless it is empty (`omitempty`); Go sorts map keys.
pub(crate) fn put_map(m: &mut Map, key: &str, value: &BTreeMap<String, String>) {
    if !value.is_empty() {
        let obj: Map = value.iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect();
        m.insert(key.to_string(), Value::Object(obj));
    }
}

/// Inserts an array unless it is empty (`omitempty`).
pub(crate) fn put_vec(m: &mut Map, key: &str, value: Vec<Value>) {
    if !value.is_empty() {
        m.insert(key.to_string(), Value::Array(value));
    }
}

pub(crate) fn int_or_string(p: &PortRef) -> Value {
    match p {
        PortRef::Number(n) => Value::from(*n),
        PortRef::Name(s) => Value::from(s.as_str()),
    }
}

/// A `ProbeHandler` / `LifecycleHandler` as `{"exec": …}`, `{"httpGet": …}`, ….
pub(crate) fn handler_json(h: &Handler) -> (&'static str, Value) {
    match h {
        Handler::Exec { command } => ("exec", json!({ "command": command })),
        Handler::HttpGet { path, port, host, scheme, http_headers } => {
            let mut m = Map::new();
            put_str(&mut m, "path", path);
            m.insert("port".into(), int_or_string(port));
            put_str(&mut m, "host", host.as_deref().unwrap_or(""));
            put_str(&mut m, "scheme", scheme);
            let headers = http_headers.iter().map(|h| json!({ "name": h.name, "value": h.value })).collect();
            put_vec(&mut m, "httpHeaders", headers);
            ("httpGet", Value::Object(m))
        }
        Handler::TcpSocket { port, host } => {
            let mut m = Map::new();
            m.insert("port".into(), int_or_string(port));
            put_str(&mut m, "host", host.as_deref().unwrap_or(""));
            ("tcpSocket", Value::Object(m))
        }
        // `service` is a pointer without omitempty, defaulted to "".
        Handler::Grpc { port, service } => {
            ("grpc", json!({ "port": port, "service": service.as_deref().unwrap_or("") }))
        }
        Handler::Sleep { seconds } => ("sleep", json!({ "seconds": seconds })),
    }
}

pub(crate) fn probe_json(p: &Probe) -> Value {
    let mut m = Map::new();
    let (key, handler) = handler_json(&p.handler);
    m.insert(key.into(), handler);
    for (k, v) in [
        ("initialDelaySeconds", p.initial_delay_seconds),
        ("timeoutSeconds", p.timeout_seconds),
        ("periodSeconds", p.period_seconds),
        ("successThreshold", p.success_threshold),
        ("failureThreshold", p.failure_threshold),
    ] {
        if v != 0 {
            m.insert(k.into(), Value::from(v));
        }
    }
    if let Some(t) = p.termination_grace_period_seconds {
        m.insert("terminationGracePeriodSeconds".into(), Value::from(t));
    }
    Value::Object(m)
}

pub(crate) fn resource_list_json(r: &ResourceList) -> Option<Value> {
    let mut m = Map::new();
    if let Some(c) = r.cpu_millis {
        m.insert("cpu".into(), Value::from(format_cpu(c)));
    }
    if let Some(b) = r.memory_bytes {
        m.insert("memory".into(), Value::from(format_memory(b)));
    }
    (!m.is_empty()).then_some(Value::Object(m))
}

/// A `Container` with the API server's defaults, in `types.go` field order.
pub(crate) fn container_json(c: &Container) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), Value::from(c.name.as_str()));
    put_str(&mut m, "image", &c.image);
    put_vec(&mut m, "command", c.command.iter().map(|s| Value::from(s.as_str())).collect());
    put_vec(&mut m, "args", c.args.iter().map(|s| Value::from(s.as_str())).collect());
    put_str(&mut m, "workingDir", c.working_dir.as_deref().unwrap_or(""));
    let ports = c
        .ports
        .iter()
        .map(|p| {
            let mut pm = Map::new();
            put_str(&mut pm, "name", p.name.as_deref().unwrap_or(""));
            pm.insert("containerPort".into(), Value::from(p.container_port));
            put_str(&mut pm, "protocol", &p.protocol);
            Value::Object(pm)
        })
        .collect();
    put_vec(&mut m, "ports", ports);
    let env = c
        .env
        .iter()
        .map(|e| {
            let mut em = Map::new();
            em.insert("name".into(), Value::from(e.name.as_str()));
            put_str(&mut em, "value", e.value.as_deref().unwrap_or(""));
            if let Some(from) = &e.value_from {
                em.insert("valueFrom".into(), env_source_json(from));
            }
            Value::Object(em)
        })
        .collect();
    put_vec(
        &mut m,
        "envFrom",
        c.env_from
            .iter()
            .map(|e| {
                let mut r = json!({ "name": e.name });
                if e.optional {
                    r["optional"] = Value::Bool(true);
                }
                let mut m = Map::new();
                put_str(&mut m, "prefix", &e.prefix);
                m.insert(if e.config_map { "configMapRef" } else { "secretRef" }.into(), r);
                Value::Object(m)
            })
            .collect(),
    );
    put_vec(&mut m, "env", env);
    // ResourceRequirements is a struct: always present, `{}` when empty.
    let mut res = Map::new();
    if let Some(l) = resource_list_json(&c.resources.limits) {
        res.insert("limits".into(), l);
    }
    if let Some(r) = resource_list_json(&c.resources.requests) {
        res.insert("requests".into(), r);
    }
    m.insert("resources".into(), Value::Object(res));
    if let Some(rp) = c.restart_policy {
        m.insert("restartPolicy".into(), Value::from(rp.as_str()));
    }
    let mounts = c
        .volume_mounts
        .iter()
        .map(|v| {
            let mut vm = Map::new();
            vm.insert("name".into(), Value::from(v.name.as_str()));
            if v.read_only {
                vm.insert("readOnly".into(), Value::from(true));
            }
            vm.insert("mountPath".into(), Value::from(v.mount_path.as_str()));
            put_str(&mut vm, "subPath", v.sub_path.as_deref().unwrap_or(""));
            Value::Object(vm)
        })
        .collect();
    put_vec(&mut m, "volumeMounts", mounts);
    for (key, probe) in [
        ("livenessProbe", &c.liveness_probe),
        ("readinessProbe", &c.readiness_probe),
        ("startupProbe", &c.startup_probe),
    ] {
        if let Some(p) = probe {
            m.insert(key.into(), probe_json(p));
        }
    }
    let mut lifecycle = Map::new();
    for (key, h) in [("postStart", &c.lifecycle.post_start), ("preStop", &c.lifecycle.pre_stop)] {
        if let Some(h) = h {
            let (k, v) = handler_json(h);
            let mut hm = Map::new();
            hm.insert(k.into(), v);
            lifecycle.insert(key.into(), Value::Object(hm));
        }
    }
    if !lifecycle.is_empty() {
        m.insert("lifecycle".into(), Value::Object(lifecycle));
    }
    put_str(&mut m, "terminationMessagePath", &c.termination_message_path);
    put_str(&mut m, "terminationMessagePolicy", &c.termination_message_policy);
    m.insert("imagePullPolicy".into(), Value::from(c.image_pull_policy.as_str()));
    Value::Object(m)
}

/// `valueFrom` as the API server returns it.
pub(crate) fn env_source_json(from: &crate::core::api::EnvVarSource) -> Value {
    use crate::core::api::EnvVarSource as S;
    let key_ref = |name: &str, key: &str, optional: bool| {
        let mut v = json!({ "name": name, "key": key });
        if optional {
            v["optional"] = Value::Bool(true);
        }
        v
    };
    match from {
        S::ConfigMapKey { name, key, optional } => json!({ "configMapKeyRef": key_ref(name, key, *optional) }),
        S::SecretKey { name, key, optional } => json!({ "secretKeyRef": key_ref(name, key, *optional) }),
        S::Field { field_path } => json!({ "fieldRef": { "apiVersion": "v1", "fieldPath": field_path } }),
        S::ResourceField { resource } => json!({ "resourceFieldRef": { "resource": resource, "divisor": "0" } }),
    }
}

pub(crate) fn items_json(items: &[crate::core::api::KeyToPath]) -> Value {
    Value::Array(items.iter().map(|i| json!({ "key": i.key, "path": i.path })).collect())
}

/// A secret or configMap volume source after its name: `items` when given,
/// the defaulted `defaultMode` 420 (0644), `optional` when true.
pub(crate) fn projected_json(mut v: Value, items: &[crate::core::api::KeyToPath], optional: bool) -> Value {
    if !items.is_empty() {
        v["items"] = items_json(items);
    }
    v["defaultMode"] = Value::from(420);
    if optional {
        v["optional"] = Value::Bool(true);
    }
    v
}

pub(crate) fn volume_json(v: &crate::core::api::Volume) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), Value::from(v.name.as_str()));
    let (key, source) = match &v.source {
        VolumeSource::HostPath { path, kind } => ("hostPath", json!({ "path": path, "type": kind.as_str() })),
        VolumeSource::EmptyDir => ("emptyDir", json!({})),
        VolumeSource::Secret { secret_name, optional, items } => {
            ("secret", projected_json(json!({ "secretName": secret_name }), items, *optional))
        }
        VolumeSource::PersistentVolumeClaim { claim_name } => {
            ("persistentVolumeClaim", json!({ "claimName": claim_name }))
        }
        VolumeSource::ConfigMap { name, optional, items } => {
            ("configMap", projected_json(json!({ "name": name }), items, *optional))
        }
        VolumeSource::DownwardApi { items } => {
            let mut v = downward_api_json(items);
            v["defaultMode"] = Value::from(420);
            ("downwardAPI", v)
        }
        VolumeSource::Projected { sources } => ("projected", projection_json(sources)),
        VolumeSource::Other(kind) => (kind.as_str(), json!({})),
    };
    m.insert(key.into(), source);
    Value::Object(m)
}

/// A downwardAPI volume's or projection's `items` (the API server defaults
/// `fieldRef.apiVersion` to v1; an unset divisor reads `"0"`).
pub(crate) fn downward_api_json(items: &[crate::core::api::DownwardApiFile]) -> Value {
    use crate::core::api::DownwardApiSource;
    let items = items
        .iter()
        .map(|f| match &f.source {
            DownwardApiSource::Field { field_path } => {
                json!({ "path": f.path, "fieldRef": { "apiVersion": "v1", "fieldPath": field_path } })
            }
            DownwardApiSource::ResourceField { container_name, resource, divisor_text, .. } => json!({
                "path": f.path,
                "resourceFieldRef": {
                    "containerName": container_name,
                    "resource": resource,
                    "divisor": divisor_text.as_deref().unwrap_or("0")
                }
            }),
        })
        .collect();
    json!({ "items": Value::Array(items) })
}

/// A projected volume: its `sources` and the defaulted `defaultMode` 420.
pub(crate) fn projection_json(sources: &[crate::core::api::Projection]) -> Value {
    use crate::core::api::Projection;
    let object = |name: &str, items: &[crate::core::api::KeyToPath], optional: &Option<bool>| {
        let mut v = json!({ "name": name });
        if !items.is_empty() {
            v["items"] = items_json(items);
        }
        if let Some(o) = optional {
            v["optional"] = Value::Bool(*o);
        }
        v
    };
    let sources = sources
        .iter()
        .map(|s| match s {
            Projection::Secret { name, optional, items } => json!({ "secret": object(name, items, optional) }),
            Projection::ConfigMap { name, optional, items } => json!({ "configMap": object(name, items, optional) }),
            Projection::DownwardApi { items } => json!({ "downwardAPI": downward_api_json(items) }),
            Projection::ServiceAccountToken { audience, expiration_seconds, path } => {
                let mut v = Map::new();
                if let Some(a) = audience {
                    v.insert("audience".into(), Value::from(a.as_str()));
                }
                v.insert("expirationSeconds".into(), Value::from(*expiration_seconds));
                v.insert("path".into(), Value::from(path.as_str()));
                json!({ "serviceAccountToken": Value::Object(v) })
            }
            Projection::Other(kind) => {
                let mut v = Map::new();
                v.insert(kind.to_string(), json!({}));
                Value::Object(v)
            }
        })
        .collect();
    json!({ "sources": Value::Array(sources), "defaultMode": 420 })
}

/// The tolerations the DefaultTolerationSeconds admission plugin adds.
pub(crate) fn default_tolerations() -> Value {
    json!([
        { "key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300 },
        { "key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300 }
    ])
}

/// A Pod as `GET /api/v1/namespaces/{ns}/pods/{name}` returns it.
/// A Pod spec as the API server returns it. `node_name` is the binding;
/// a template (`for_template`) has none of the fields admission plugins and
/// the scheduler add to Pods (tolerations, priority, service links, node).
pub(crate) fn pod_spec_json(spec: &PodSpec, node_name: Option<&str>, for_template: bool) -> Map {
    let mut s = Map::new();
    put_vec(&mut s, "volumes", spec.volumes.iter().map(volume_json).collect());
    put_vec(&mut s, "initContainers", spec.init_containers.iter().map(container_json).collect());
    s.insert("containers".into(), Value::Array(spec.containers.iter().map(container_json).collect()));
    s.insert("restartPolicy".into(), Value::from(spec.restart_policy.as_str()));
    s.insert("terminationGracePeriodSeconds".into(), Value::from(spec.termination_grace_period_seconds));
    if let Some(a) = spec.active_deadline_seconds {
        s.insert("activeDeadlineSeconds".into(), Value::from(a));
    }
    put_str(&mut s, "dnsPolicy", &spec.dns_policy);
    put_map(&mut s, "nodeSelector", &spec.node_selector);
    if !for_template || spec.service_account_name != "default" {
        put_str(&mut s, "serviceAccountName", &spec.service_account_name);
        put_str(&mut s, "serviceAccount", &spec.service_account_name);
    }
    let node = node_name.or(spec.node_name.as_deref()).unwrap_or("");
    put_str(&mut s, "nodeName", node);
    if spec.host_network {
        s.insert("hostNetwork".into(), Value::from(true));
    }
    s.insert("securityContext".into(), json!({}));
    put_str(&mut s, "hostname", spec.hostname.as_deref().unwrap_or(""));
    put_str(&mut s, "subdomain", spec.subdomain.as_deref().unwrap_or(""));
    put_str(&mut s, "schedulerName", &spec.scheduler_name);
    if !for_template {
        s.insert("tolerations".into(), default_tolerations());
    }
    if !spec.host_aliases.is_empty() {
        let aliases = spec
            .host_aliases
            .iter()
            .map(|a| {
                let mut m = Map::new();
                put_str(&mut m, "ip", &a.ip);
                put_vec(&mut m, "hostnames", a.hostnames.iter().map(|h| Value::from(h.as_str())).collect());
                Value::Object(m)
            })
            .collect();
        s.insert("hostAliases".into(), Value::Array(aliases));
    }
    if !for_template {
        if let Some(class) = &spec.priority_class_name {
            s.insert("priorityClassName".into(), Value::from(class.as_str()));
        }
        s.insert("priority".into(), Value::from(spec.priority.unwrap_or(0)));
        s.insert("enableServiceLinks".into(), Value::from(true));
        let preemption = spec.preemption_policy.as_deref().unwrap_or("PreemptLowerPriority");
        s.insert("preemptionPolicy".into(), Value::from(preemption));
    } else if let Some(class) = &spec.priority_class_name {
        s.insert("priorityClassName".into(), Value::from(class.as_str()));
    }
    if !spec.topology_spread_constraints.is_empty() {
        let list = spec.topology_spread_constraints.iter().map(|c| {
            let mut m = Map::new();
            m.insert("maxSkew".into(), Value::from(c.max_skew));
            m.insert("topologyKey".into(), Value::from(c.topology_key.as_str()));
            m.insert("whenUnsatisfiable".into(), Value::from(c.when_unsatisfiable.as_str()));
            if let Some(sel) = &c.label_selector {
                m.insert("labelSelector".into(), selector_json(sel));
            }
            Value::Object(m)
        });
        s.insert("topologySpreadConstraints".into(), Value::Array(list.collect()));
    }
    if !spec.scheduling_gates.is_empty() {
        let gates = spec.scheduling_gates.iter().map(|g| json!({ "name": g.as_str() })).collect();
        s.insert("schedulingGates".into(), Value::Array(gates));
    }
    s
}

/// `spec.template` of a Deployment or ReplicaSet.
pub fn pod_template_json(t: &PodTemplate) -> Value {
    let mut meta = Map::new();
    put_map(&mut meta, "labels", &t.labels);
    put_map(&mut meta, "annotations", &t.annotations);
    json!({ "metadata": Value::Object(meta), "spec": Value::Object(pod_spec_json(&t.spec, None, true)) })
}

/// A label selector as the API returns it.
pub(crate) fn selector_json(sel: &LabelSelector) -> Value {
    let mut m = Map::new();
    put_map(&mut m, "matchLabels", &sel.match_labels);
    put_vec(
        &mut m,
        "matchExpressions",
        sel.match_expressions
            .iter()
            .map(|e| {
                let mut r = json!({ "key": e.key, "operator": e.operator.as_str() });
                if !e.values.is_empty() {
                    r["values"] = json!(e.values);
                }
                r
            })
            .collect(),
    );
    Value::Object(m)
}

/// An `intstr.IntOrString`: a number, or the percentage as a string.
pub(crate) fn int_or_string_json(x: IntOrPercent) -> Value {
    match x {
        IntOrPercent::Int(n) => Value::from(n),
        IntOrPercent::Percent(_) => Value::from(x.to_text()),
    }
}
