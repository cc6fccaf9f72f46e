//! What scheduling reads: Pod `tolerations` and required node affinity,
//! and `v1 Node` objects (labels, taints, unschedulable, podCIDR and
//! capacity). Checks follow `pkg/apis/core/validation/validation.go`
//! (`ValidateTolerations`, `ValidateNodeSelector`, `validateNodeTaints`).

use super::super::validate as v;
use super::{child, index, key, key_text, Ctx, Decode, Fields};
use crate::core::api::*;
use crate::core::yaml::Node as YNode;

const EFFECTS: [&str; 3] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/// `spec.tolerations`.
pub(in crate::core::manifest) fn decode_tolerations(cx: &mut Ctx, node: &YNode, path: &str) -> Vec<Toleration> {
    let mut out = Vec::new();
    for (i, item) in cx.items(node, path).iter().enumerate() {
        let ip = index(path, i);
        let mut t = Toleration {
            key: String::new(),
            exists: false,
            value: String::new(),
            effect: None,
            toleration_seconds: None,
        };
        let mut operator = String::new();
        for (k, val) in cx.entries(item, &ip).unwrap_or(&[]) {
            let name = key_text(k);
            let p = child(&ip, name);
            match name {
                "key" => t.key = cx.string(val, &p).unwrap_or_default(),
                "operator" => operator = cx.string(val, &p).unwrap_or_default(),
                "value" => t.value = cx.string(val, &p).unwrap_or_default(),
                "effect" => {
                    let e = cx.string(val, &p).unwrap_or_default();
                    if !e.is_empty() {
                        match TaintEffect::parse(&e) {
                            Some(effect) => t.effect = Some(effect),
                            None => cx.not_supported_at(val.pos, &p, &e, &EFFECTS),
                        }
                    }
                }
                "tolerationSeconds" => t.toleration_seconds = cx.int(val, &p),
                _ => cx.unknown(k, &p),
            }
        }
        let pos = item.pos;
        if !t.key.is_empty() {
            for m in v::qualified_name(&t.key) {
                cx.invalid_at(pos, &child(&ip, "key"), &v::quote(&t.key), &m);
            }
        }
        match operator.as_str() {
            "" | "Equal" => {
                if t.key.is_empty() {
                    cx.invalid_at(
                        pos,
                        &child(&ip, "operator"),
                        &v::quote(&operator),
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
                    );
                }
                for m in v::label_value(&t.value) {
                    cx.invalid_at(pos, &child(&ip, "value"), &v::quote(&t.value), &m);
                }
            }
            "Exists" => {
                t.exists = true;
                if !t.value.is_empty() {
                    cx.invalid_at(
                        pos,
                        &child(&ip, "value"),
                        &v::quote(&t.value),
                        "value must be empty when `operator` is 'Exists'",
                    );
                }
            }
            _ => cx.not_supported_at(pos, &child(&ip, "operator"), &operator, &["Equal", "Exists"]),
        }
        if t.toleration_seconds.is_some() && t.effect != Some(TaintEffect::NoExecute) {
            let e = t.effect.map(TaintEffect::as_str).unwrap_or("");
            cx.invalid_at(
                pos,
                &child(&ip, "effect"),
                &v::quote(e),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            );
        }
        out.push(t);
    }
    out
}

/// `spec.schedulingGates`: names only. `validateSchedulingGates`
/// (pkg/apis/core/validation/validation.go): each a qualified name, no
/// duplicates, both reported at the item (`spec.schedulingGates[1]`).
pub(in crate::core::manifest) fn decode_scheduling_gates(cx: &mut Ctx, node: &YNode, path: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, item) in cx.items(node, path).iter().enumerate() {
        let ip = index(path, i);
        let mut name = String::new();
        for (k, val) in cx.entries(item, &ip).unwrap_or(&[]) {
            match key_text(k) {
                "name" => name = cx.string(val, &child(&ip, "name")).unwrap_or_default(),
                _ => cx.unknown(k, &child(&ip, key_text(k))),
            }
        }
        for msg in v::qualified_name(&name) {
            cx.invalid_at(item.pos, &ip, &v::quote(&name), &msg);
        }
        if out.contains(&name) {
            cx.error_at(item.pos, &ip, format!("Duplicate value: {}", v::quote(&name)));
        }
        out.push(name);
    }
    out
}

/// `spec.affinity`: only `nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`
/// is simulated; the rest is accepted with a warning.
pub(in crate::core::manifest) fn decode_affinity(cx: &mut Ctx, node: &YNode, path: &str) -> Vec<NodeSelectorTerm> {
    let mut terms = Vec::new();
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "nodeAffinity" => {
                for (k2, v2) in cx.entries(val, &p).unwrap_or(&[]) {
                    let n2 = key_text(k2);
                    let p2 = child(&p, n2);
                    match n2 {
                        "requiredDuringSchedulingIgnoredDuringExecution" => terms = decode_node_selector(cx, v2, &p2),
                        "preferredDuringSchedulingIgnoredDuringExecution" => cx.not_simulated(k2, &p2),
                        _ => cx.unknown(k2, &p2),
                    }
                }
            }
            "podAffinity" | "podAntiAffinity" => cx.not_simulated(k, &p),
            _ => cx.unknown(k, &p),
        }
    }
    terms
}

/// A `v1.NodeSelector`: `nodeSelectorTerms`, at least one.
pub(in crate::core::manifest) fn decode_node_selector(cx: &mut Ctx, node: &YNode, path: &str) -> Vec<NodeSelectorTerm> {
    let mut terms = Vec::new();
    let mut seen = false;
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "nodeSelectorTerms" => {
                seen = true;
                for (i, item) in cx.items(val, &p).iter().enumerate() {
                    let ip = index(&p, i);
                    let mut term = NodeSelectorTerm::default();
                    for (k2, v2) in cx.entries(item, &ip).unwrap_or(&[]) {
                        let n2 = key_text(k2);
                        let p2 = child(&ip, n2);
                        match n2 {
                            "matchExpressions" => term.match_expressions = decode_requirements(cx, v2, &p2, false),
                            "matchFields" => term.match_fields = decode_requirements(cx, v2, &p2, true),
                            _ => cx.unknown(k2, &p2),
                        }
                    }
                    terms.push(term);
                }
            }
            _ => cx.unknown(k, &p),
        }
    }
    if terms.is_empty() && cx.type_errors == 0 {
        let p = child(path, "nodeSelectorTerms");
        let pos = if seen { cx.src.pos(&p) } else { node.pos };
        cx.error_at(pos, &p, "Required value: must have at least one node selector term");
    }
    terms
}

fn decode_requirements(cx: &mut Ctx, node: &YNode, path: &str, fields: bool) -> Vec<NodeSelectorRequirement> {
    let mut out = Vec::new();
    for (i, item) in cx.items(node, path).iter().enumerate() {
        let ip = index(path, i);
        let (mut rkey, mut op, mut values) = (String::new(), None, Vec::new());
        for (k, val) in cx.entries(item, &ip).unwrap_or(&[]) {
            let name = key_text(k);
            let p = child(&ip, name);
            match name {
                "key" => rkey = cx.string(val, &p).unwrap_or_default(),
                "operator" => op = cx.string(val, &p).map(|o| (o, val.pos)),
                "values" => values = cx.string_list(val, &p),
                _ => cx.unknown(k, &p),
            }
        }
        let pos = item.pos;
        let op_path = child(&ip, "operator");
        let Some((op_text, op_pos)) = op else {
            cx.error_at(pos, &op_path, "Required value");
            continue;
        };
        let Some(operator) = NodeSelectorOperator::parse(&op_text) else {
            cx.not_supported_at(op_pos, &op_path, &op_text, &["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"]);
            continue;
        };
        let vp = child(&ip, "values");
        use NodeSelectorOperator::*;
        match operator {
            In | NotIn if values.is_empty() => {
                cx.error_at(pos, &vp, "Required value: must be specified when `operator` is 'In' or 'NotIn'")
            }
            Exists | DoesNotExist if !values.is_empty() => {
                cx.error_at(pos, &vp, "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
            }
            Gt | Lt if values.len() != 1 => {
                cx.error_at(pos, &vp, "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'")
            }
            _ => {}
        }
        let kp = child(&ip, "key");
        if fields {
            // `validateNodeFieldSelectorRequirement`: only metadata.name, In/NotIn, one value.
            if rkey != "metadata.name" {
                cx.invalid_at(pos, &kp, &v::quote(&rkey), "not a valid field selector key");
            } else if !matches!(operator, In | NotIn) {
                cx.invalid_at(op_pos, &op_path, &v::quote(&op_text), "not a valid selector operator");
            } else if values.len() != 1 {
                cx.error_at(
                    pos,
                    &vp,
                    "Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                );
            }
        } else {
            for m in v::qualified_name(&rkey) {
                cx.invalid_at(pos, &kp, &v::quote(&rkey), &m);
            }
        }
        out.push(NodeSelectorRequirement { key: rkey, operator, values });
    }
    out
}

/// Node `spec` fields that are valid but not simulated.
const NODE_SPEC_NOT_SIMULATED: &[&str] = &["configSource", "externalID", "podCIDRs", "providerID"];

impl Decode for Node {
    /// A Node's `status` gives its capacity.
    const FIELDS: &'static [&'static str] = &["spec", "status"];

    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self {
        decode_node(cx, metadata, fields.spec(), fields.get("status"))
    }
}

/// Decodes a Node's `spec` and `status` (only capacity and allocatable are
/// read from status; the rest is what podplay computes).
fn decode_node(cx: &mut Ctx, metadata: ObjectMeta, spec: &YNode, status: Option<&YNode>) -> Node {
    let mut n = Node {
        metadata,
        pod_cidr: None,
        taints: Vec::new(),
        unschedulable: false,
        cpu_millis: 4000,
        memory_bytes: 8 << 30,
        max_pods: 110,
    };
    for (k, val) in cx.entries(spec, "spec").unwrap_or(&[]) {
        let name = key_text(k);
        let p = child("spec", name);
        match name {
            "podCIDR" => {
                if let Some(text) = cx.string(val, &p).filter(|s| !s.is_empty()) {
                    match parse_cidr24(&text) {
                        Some(ip) => n.pod_cidr = Some(ip),
                        None => cx.invalid_at(
                            val.pos,
                            &p,
                            &v::quote(&text),
                            "podplay simulates an IPv4 /24 Pod CIDR (e.g. 10.244.1.0/24)",
                        ),
                    }
                }
            }
            "unschedulable" => n.unschedulable = cx.boolean(val, &p).unwrap_or(false),
            "taints" => n.taints = decode_taints(cx, val, &p),
            _ if NODE_SPEC_NOT_SIMULATED.contains(&name) => cx.not_simulated(k, &p),
            _ => cx.unknown(k, &p),
        }
    }
    let (mut capacity, mut allocatable) = ((None, None, None), (None, None, None));
    for (k, val) in status.and_then(|s| cx.entries(s, "status")).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child("status", name);
        match name {
            "capacity" => capacity = decode_node_resources(cx, val, &p),
            "allocatable" => allocatable = decode_node_resources(cx, val, &p),
            _ => cx.warn_at(k.pos, &p, "ignored: podplay computes a Node's status (conditions, addresses, images…)"),
        }
    }
    if let Some(cpu) = allocatable.0.or(capacity.0) {
        n.cpu_millis = cpu;
    }
    if let Some(mem) = allocatable.1.or(capacity.1) {
        n.memory_bytes = mem;
    }
    if let Some(pods) = allocatable.2.or(capacity.2) {
        n.max_pods = pods;
    }
    for m in v::dns1123_subdomain(&n.metadata.name) {
        let pos = cx.src.pos("metadata.name");
        cx.invalid_at(pos, "metadata.name", &v::quote(&n.metadata.name), &m);
    }
    n
}

/// `status.capacity` / `status.allocatable`: cpu, memory and pods.
fn decode_node_resources(cx: &mut Ctx, node: &YNode, path: &str) -> (Option<i64>, Option<i64>, Option<i64>) {
    let mut r = (None, None, None);
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = key(path, name);
        match name {
            "cpu" => r.0 = cx.quantity(val, &p, 1000),
            "memory" => r.1 = cx.quantity(val, &p, 1),
            "pods" => {
                r.2 = cx.quantity(val, &p, 1);
                if r.2.is_some_and(|pods| pods > 1000) {
                    cx.invalid_at(
                        val.pos,
                        &p,
                        &r.2.unwrap_or(0).to_string(),
                        "podplay simulates at most 1000 Pods per node",
                    );
                    r.2 = None;
                }
            }
            _ => {
                cx.src.record(&p, val);
                cx.not_simulated(k, &p);
            }
        }
    }
    r
}

/// `spec.taints` (`validateNodeTaints`): key a qualified name, value a label
/// value, effect required and known, no two taints with the same key and effect.
fn decode_taints(cx: &mut Ctx, node: &YNode, path: &str) -> Vec<Taint> {
    let mut out: Vec<Taint> = Vec::new();
    for (i, item) in cx.items(node, path).iter().enumerate() {
        let ip = index(path, i);
        let (mut tkey, mut value, mut effect) = (String::new(), String::new(), None);
        for (k, val) in cx.entries(item, &ip).unwrap_or(&[]) {
            let name = key_text(k);
            let p = child(&ip, name);
            match name {
                "key" => tkey = cx.string(val, &p).unwrap_or_default(),
                "value" => value = cx.string(val, &p).unwrap_or_default(),
                "effect" => effect = cx.string(val, &p).map(|e| (e, val.pos)),
                "timeAdded" => {}
                _ => cx.unknown(k, &p),
            }
        }
        let pos = item.pos;
        let kp = child(&ip, "key");
        if tkey.is_empty() {
            cx.error_at(pos, &kp, "Required value");
        }
        for m in v::qualified_name(&tkey) {
            if !tkey.is_empty() {
                cx.invalid_at(pos, &kp, &v::quote(&tkey), &m);
            }
        }
        for m in v::label_value(&value) {
            cx.invalid_at(pos, &child(&ip, "value"), &v::quote(&value), &m);
        }
        let ep = child(&ip, "effect");
        let effect = match effect {
            None => {
                cx.error_at(pos, &ep, "Required value");
                continue;
            }
            Some((e, epos)) => match TaintEffect::parse(&e) {
                Some(e) => e,
                None => {
                    if e.is_empty() {
                        cx.error_at(epos, &ep, "Required value");
                    } else {
                        cx.not_supported_at(epos, &ep, &e, &EFFECTS);
                    }
                    continue;
                }
            },
        };
        if out.iter().any(|t| t.key == tkey && t.effect == effect) {
            cx.error_at(
                pos,
                path,
                format!(
                    "Duplicate value: \"{tkey}:{}\": taints must be unique by key and effect pair",
                    effect.as_str()
                ),
            );
        }
        out.push(Taint { key: tkey, value, effect });
    }
    out
}

/// `10.244.1.0/24` → its network address.
fn parse_cidr24(text: &str) -> Option<std::net::Ipv4Addr> {
    let (ip, bits) = text.split_once('/')?;
    let ip: std::net::Ipv4Addr = ip.parse().ok()?;
    (bits == "24" && ip.octets()[3] == 0).then_some(ip)
}

impl Decode for PriorityClass {
    /// A PriorityClass keeps its fields at the top level.
    const FIELDS: &'static [&'static str] = &["value", "globalDefault", "description", "preemptionPolicy"];

    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self {
        decode_priority_class(cx, metadata, fields.given())
    }
}

/// A `scheduling.k8s.io/v1 PriorityClass` from its top-level fields
/// (k8s.io/api/scheduling/v1 types.go; `preemptionPolicy` defaulted to
/// `PreemptLowerPriority` by SetDefaults_PriorityClass), type-checked as
/// the API server's decoding does.
fn decode_priority_class(cx: &mut Ctx, metadata: ObjectMeta, fields: &[(&str, &YNode)]) -> PriorityClass {
    let mut pc = PriorityClass {
        metadata,
        value: 0,
        global_default: false,
        description: String::new(),
        preemption_policy: "PreemptLowerPriority".into(),
    };
    for (name, val) in fields {
        match *name {
            "value" => pc.value = cx.int32(val, name).unwrap_or(0),
            "globalDefault" => pc.global_default = cx.boolean(val, name).unwrap_or(false),
            "description" => pc.description = cx.string(val, name).unwrap_or_default(),
            _ => {
                if let Some(s) = cx.string(val, name).filter(|s| !s.is_empty()) {
                    const POLICIES: [&str; 2] = ["Never", "PreemptLowerPriority"];
                    if !POLICIES.contains(&s.as_str()) {
                        cx.not_supported_at(val.pos, name, &s, &POLICIES);
                    }
                    pc.preemption_policy = s;
                }
            }
        }
    }
    pc
}

/// `spec.topologySpreadConstraints`, checked as
/// `validateTopologySpreadConstraints` (validation.go) does: `maxSkew` above
/// zero, a `topologyKey`, `whenUnsatisfiable` one of the two actions.
pub(in crate::core::manifest) fn decode_topology_spread_constraints(
    cx: &mut Ctx,
    node: &YNode,
    path: &str,
) -> Vec<TopologySpreadConstraint> {
    const ACTIONS: [&str; 2] = ["DoNotSchedule", "ScheduleAnyway"];
    let mut out = Vec::new();
    for (i, item) in cx.items(node, path).iter().enumerate() {
        let ip = index(path, i);
        let mut c = TopologySpreadConstraint {
            max_skew: 0,
            topology_key: String::new(),
            when_unsatisfiable: String::new(),
            label_selector: None,
        };
        for (k, val) in cx.entries(item, &ip).unwrap_or(&[]) {
            let name = key_text(k);
            let p = child(&ip, name);
            match name {
                "maxSkew" => {
                    c.max_skew = cx.int32(val, &p).unwrap_or(0);
                    if c.max_skew <= 0 {
                        cx.invalid_at(val.pos, &p, &c.max_skew.to_string(), "must be greater than zero");
                    }
                }
                "topologyKey" => c.topology_key = cx.string(val, &p).unwrap_or_default(),
                "whenUnsatisfiable" => {
                    c.when_unsatisfiable = cx.string(val, &p).unwrap_or_default();
                    if !ACTIONS.contains(&c.when_unsatisfiable.as_str()) {
                        cx.not_supported_at(val.pos, &p, &c.when_unsatisfiable, &ACTIONS);
                    }
                }
                "labelSelector" => c.label_selector = Some(super::apps::decode_selector(cx, val, &p)),
                "minDomains" | "nodeAffinityPolicy" | "nodeTaintsPolicy" | "matchLabelKeys" => cx.not_simulated(k, &p),
                _ => cx.unknown(k, &p),
            }
        }
        if c.max_skew == 0 && !cx.src.has(&child(&ip, "maxSkew")) {
            cx.invalid_at(item.pos, &child(&ip, "maxSkew"), "0", "must be greater than zero");
        }
        if c.topology_key.is_empty() {
            cx.error_at(item.pos, &child(&ip, "topologyKey"), "Required value: can not be empty");
        }
        if c.when_unsatisfiable.is_empty() {
            cx.not_supported_at(item.pos, &child(&ip, "whenUnsatisfiable"), "", &ACTIONS);
        }
        out.push(c);
    }
    out
}
