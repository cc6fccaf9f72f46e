//! `apps/v1` Deployment, ReplicaSet, DaemonSet and StatefulSet: decoding
//! with the defaults of `pkg/apis/apps/v1/defaults.go` and the checks of
//! `pkg/apis/apps/validation/validation.go` (`ValidateDeploymentSpec`,
//! `ValidateReplicaSetSpec`, `ValidateDaemonSetSpec`; a StatefulSet's
//! selector and template as theirs). The Pod template is decoded and
//! validated as a Pod spec is, its paths under `spec.template`; a claim's
//! spec (a StatefulSet's `volumeClaimTemplates`, a PersistentVolumeClaim's
//! `spec`) as `ValidatePersistentVolumeClaimSpec` checks it.

use super::super::validate as v;
use super::{child, key_text, Ctx, Decode, Fields, NodeKind};
use crate::core::api::*;
use crate::core::yaml::Node;
use std::collections::BTreeMap;

/// Deployment `spec` fields that are valid but not simulated.
const DEPLOYMENT_NOT_SIMULATED: &[&str] = &[];

/// Decodes `spec.selector`.
pub(super) fn decode_selector(cx: &mut Ctx, node: &Node, path: &str) -> LabelSelector {
    let mut sel = LabelSelector::default();
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "matchLabels" => sel.match_labels = cx.string_map(val, &p),
            "matchExpressions" => {
                for (i, item) in cx.items(val, &p).iter().enumerate() {
                    let ip = super::index(&p, i);
                    let mut req = LabelSelectorRequirement {
                        key: String::new(),
                        operator: SelectorOperator::In,
                        values: Vec::new(),
                    };
                    let mut op_text = None;
                    for (k2, v2) in cx.entries(item, &ip).unwrap_or(&[]) {
                        let n2 = key_text(k2);
                        let p2 = child(&ip, n2);
                        match n2 {
                            "key" => req.key = cx.string(v2, &p2).unwrap_or_default(),
                            "operator" => op_text = cx.string(v2, &p2).map(|o| (o, v2.pos, p2)),
                            "values" => req.values = cx.string_list(v2, &p2),
                            _ => cx.unknown(k2, &p2),
                        }
                    }
                    match op_text {
                        Some((o, pos, p2)) => match o.as_str() {
                            "In" => req.operator = SelectorOperator::In,
                            "NotIn" => req.operator = SelectorOperator::NotIn,
                            "Exists" => req.operator = SelectorOperator::Exists,
                            "DoesNotExist" => req.operator = SelectorOperator::DoesNotExist,
                            _ => {
                                cx.error_at(
                                    pos,
                                    &p2,
                                    format!("Invalid value: {}: not a valid selector operator", v::quote(&o)),
                                );
                                continue;
                            }
                        },
                        None => {
                            cx.error_at(item.pos, &child(&ip, "operator"), "Required value");
                            continue;
                        }
                    }
                    // `ValidateLabelSelectorRequirement`.
                    let values_path = child(&ip, "values");
                    match req.operator {
                        SelectorOperator::In | SelectorOperator::NotIn if req.values.is_empty() => cx.error_at(
                            item.pos,
                            &values_path,
                            "Required value: must be specified when `operator` is 'In' or 'NotIn'",
                        ),
                        SelectorOperator::Exists | SelectorOperator::DoesNotExist if !req.values.is_empty() => cx
                            .error_at(
                                item.pos,
                                &values_path,
                                "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                            ),
                        _ => {}
                    }
                    sel.match_expressions.push(req);
                }
            }
            _ => cx.unknown(k, &p),
        }
    }
    sel
}

/// Decodes `spec.template` in a context of its own (so the Pod spec decoder
/// and validator see the paths they know), then files its diagnostics and
/// positions under `spec.template`.
pub(super) fn decode_template(cx: &mut Ctx, node: &Node, path: &str) -> PodTemplate {
    decode_template_with(cx, node, path, &[])
}

/// [`decode_template`], validated as if `extra_volumes` were among the Pod's
/// volumes (a StatefulSet's claim templates, which its controller adds).
fn decode_template_with(cx: &mut Ctx, node: &Node, path: &str, extra_volumes: &[Volume]) -> PodTemplate {
    let mut sub = Ctx::default();
    let mut template = PodTemplate { labels: BTreeMap::new(), annotations: BTreeMap::new(), spec: empty_spec() };
    let null = Node { kind: NodeKind::Null, pos: node.pos };
    let mut spec_node = &null;
    for (k, val) in sub.entries(node, "").unwrap_or(&[]) {
        let name = key_text(k);
        match name {
            "metadata" => {
                let (meta, _) = super::decode_meta(&mut sub, val);
                template.labels = meta.labels;
                template.annotations = meta.annotations;
            }
            "spec" => spec_node = val,
            _ => sub.unknown(k, name),
        }
    }
    template.spec = super::decode_pod_spec(&mut sub, spec_node, true);
    if sub.type_errors == 0 {
        v::validate_labels(&mut sub, &template.labels.clone(), "metadata.labels");
        let own = template.spec.volumes.len();
        template.spec.volumes.extend(extra_volumes.iter().cloned());
        v::validate_pod_spec(&mut sub, &template.spec);
        template.spec.volumes.truncate(own);
    }
    cx.absorb(sub, path);
    template
}

pub(super) fn empty_spec() -> PodSpec {
    PodSpec { service_account_name: "default".into(), ..super::default_pod_spec() }
}

/// `intstr` for maxSurge/maxUnavailable: an integer or `N%`.
/// A Deployment's or DaemonSet's `rollingUpdate`: `maxSurge` and
/// `maxUnavailable` (each left as it was when absent or invalid).
fn decode_rolling_update(
    cx: &mut Ctx,
    node: &Node,
    path: &str,
    surge: &mut IntOrPercent,
    unavailable: &mut IntOrPercent,
) {
    for (k, v) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "maxSurge" => *surge = decode_int_or_percent(cx, v, &p).unwrap_or(*surge),
            "maxUnavailable" => *unavailable = decode_int_or_percent(cx, v, &p).unwrap_or(*unavailable),
            _ => cx.unknown(k, &p),
        }
    }
}

pub(super) fn decode_int_or_percent(cx: &mut Ctx, node: &Node, path: &str) -> Option<IntOrPercent> {
    match cx.int_or_string(node, path)? {
        PortRef::Number(n) => Some(IntOrPercent::Int(n)),
        PortRef::Name(s) => match s.strip_suffix('%').and_then(|n| {
            if n.bytes().all(|b| b.is_ascii_digit()) {
                n.parse().ok()
            } else {
                None
            }
        }) {
            Some(p) => Some(IntOrPercent::Percent(p)),
            None => {
                cx.error_at(
                    node.pos,
                    path,
                    format!(
                        "Invalid value: {}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                        v::quote(&s)
                    ),
                );
                None
            }
        },
    }
}

fn decode_strategy(cx: &mut Ctx, node: &Node, path: &str) -> DeploymentStrategy {
    let mut type_ = None;
    let mut surge = IntOrPercent::Percent(25);
    let mut unavailable = IntOrPercent::Percent(25);
    let mut rolling_pos = None;
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "type" => {
                if let Some(t) = cx.string(val, &p) {
                    match t.as_str() {
                        "RollingUpdate" | "Recreate" => type_ = Some(t),
                        "" => {}
                        _ => cx.not_supported_at(val.pos, &p, &t, &["Recreate", "RollingUpdate"]),
                    }
                }
            }
            "rollingUpdate" => {
                rolling_pos = Some(k.pos);
                decode_rolling_update(cx, val, &p, &mut surge, &mut unavailable);
            }
            _ => cx.unknown(k, &p),
        }
    }
    if type_.as_deref() == Some("Recreate") {
        if let Some(pos) = rolling_pos {
            cx.error_at(
                pos,
                &child(path, "rollingUpdate"),
                "Forbidden: may not be specified when strategy `type` is 'Recreate'",
            );
        }
        return DeploymentStrategy::Recreate;
    }
    // `ValidateRollingUpdateDeployment`: only maxUnavailable is capped at 100%.
    let ru = child(path, "rollingUpdate");
    validate_int_or_percent(cx, &child(&ru, "maxUnavailable"), unavailable, true);
    validate_int_or_percent(cx, &child(&ru, "maxSurge"), surge, false);
    let zero = |x: IntOrPercent| matches!(x, IntOrPercent::Int(0) | IntOrPercent::Percent(0));
    if zero(surge) && zero(unavailable) {
        let fp = child(&ru, "maxUnavailable");
        let pos = cx.src.pos(&fp);
        cx.invalid_at(pos, &fp, &int_or_string_go(unavailable), "may not be 0 when `maxSurge` is 0");
    }
    DeploymentStrategy::RollingUpdate { max_surge: surge, max_unavailable: unavailable }
}

/// What Deployments and ReplicaSets share.
struct Common {
    replicas: i32,
    selector: Option<LabelSelector>,
    template: Option<PodTemplate>,
    min_ready_seconds: i32,
}

/// Decodes the spec; `extra` handles kind-specific fields (returns false
/// for a field it does not know).
fn decode_common(
    cx: &mut Ctx,
    node: &Node,
    extra_volumes: &[Volume],
    mut extra: impl FnMut(&mut Ctx, &Node, &Node, &str, &str) -> bool,
) -> Common {
    let mut c = Common { replicas: 1, selector: None, template: None, min_ready_seconds: 0 };
    for (k, val) in cx.entries(node, "spec").unwrap_or(&[]) {
        let name = key_text(k);
        let p = child("spec", name);
        match name {
            "replicas" => {
                if let Some(n) = cx.int32(val, &p) {
                    if n < 0 {
                        cx.invalid_at(val.pos, &p, &n.to_string(), v::NEGATIVE_ERR);
                    } else if n > crate::core::manifest::MAX_REPLICAS {
                        let limit = crate::core::manifest::MAX_REPLICAS;
                        cx.invalid_at(
                            val.pos,
                            &p,
                            &n.to_string(),
                            &format!("podplay simulates at most {limit} replicas"),
                        );
                    }
                    c.replicas = n;
                }
            }
            "selector" => c.selector = Some(decode_selector(cx, val, &p)),
            "template" => c.template = Some(decode_template_with(cx, val, &p, extra_volumes)),
            "minReadySeconds" => {
                if let Some(n) = cx.int32(val, &p) {
                    if n < 0 {
                        cx.invalid_at(val.pos, &p, &n.to_string(), v::NEGATIVE_ERR);
                    }
                    c.min_ready_seconds = n;
                }
            }
            _ => {
                if !extra(cx, k, val, name, &p) {
                    cx.unknown(k, &p);
                }
            }
        }
    }
    c
}

/// The checks both kinds make on selector and template
/// (`ValidateDeploymentSpec` / `ValidateReplicaSetSpec`).
fn validate_common(cx: &mut Ctx, c: &Common, kind: &str) -> (LabelSelector, PodTemplate) {
    let selector = c.selector.clone().unwrap_or_default();
    let template = c.template.clone().unwrap_or(PodTemplate {
        labels: BTreeMap::new(),
        annotations: BTreeMap::new(),
        spec: empty_spec(),
    });
    if cx.type_errors > 0 {
        return (selector, template);
    }
    match &c.selector {
        None => {
            let pos = cx.src.pos("spec.selector");
            cx.error_at(pos, "spec.selector", "Required value");
        }
        Some(sel) if sel.is_empty() => {
            let pos = cx.src.pos("spec.selector");
            cx.invalid_at(pos, "spec.selector", "{}", &format!("empty selector is invalid for {kind}"));
        }
        Some(sel) => {
            if !sel.matches(&template.labels) {
                let path = "spec.template.metadata.labels";
                let pos = cx.src.pos(path);
                cx.invalid_at(pos, path, &go_labels(&template.labels), "`selector` does not match template `labels`");
            }
        }
    }
    // `ValidatePodTemplateSpecForReplicaSet` (the template itself was
    // validated as it was decoded; an absent one is an empty template).
    if c.template.is_none() {
        let pos = cx.src.pos("spec.template.spec.containers");
        cx.error_at(pos, "spec.template.spec.containers", "Required value");
    }
    if template.spec.restart_policy != RestartPolicy::Always {
        let path = "spec.template.spec.restartPolicy";
        let pos = cx.src.pos(path);
        cx.not_supported_at(pos, path, template.spec.restart_policy.as_str(), &["Always"]);
    }
    if let Some(seconds) = template.spec.active_deadline_seconds {
        let path = "spec.template.spec.activeDeadlineSeconds";
        let pos = cx.src.pos(path);
        let owner = if kind == "statefulset" { "StatefulSet" } else { "ReplicaSet" };
        cx.invalid_at(pos, path, &seconds.to_string(), &format!("activeDeadlineSeconds in {owner} is not Supported"));
    }
    (selector, template)
}

impl Decode for Deployment {
    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self {
        Deployment { metadata, spec: decode_deployment_spec(cx, fields.spec()) }
    }
}

fn decode_deployment_spec(cx: &mut Ctx, node: &Node) -> DeploymentSpec {
    let mut strategy = DeploymentStrategy::RollingUpdate {
        max_surge: IntOrPercent::Percent(25),
        max_unavailable: IntOrPercent::Percent(25),
    };
    let mut revision_history_limit = 10;
    let mut progress_deadline_seconds = 600;
    let mut paused = false;
    let common = decode_common(cx, node, &[], |cx, k, val, name, p| {
        match name {
            "strategy" => strategy = decode_strategy(cx, val, p),
            "revisionHistoryLimit" => {
                if let Some(n) = cx.int32(val, p) {
                    if n < 0 {
                        cx.invalid_at(val.pos, p, &n.to_string(), v::NEGATIVE_ERR);
                    }
                    revision_history_limit = n;
                }
            }
            "progressDeadlineSeconds" => {
                if let Some(n) = cx.int32(val, p) {
                    progress_deadline_seconds = n;
                }
            }
            "paused" => paused = cx.boolean(val, p).unwrap_or(false),
            _ if DEPLOYMENT_NOT_SIMULATED.contains(&name) => cx.not_simulated(k, p),
            _ => return false,
        }
        true
    });
    let (selector, template) = validate_common(cx, &common, "deployment");
    if cx.type_errors == 0 && progress_deadline_seconds <= common.min_ready_seconds {
        let pos = cx.src.pos("spec.progressDeadlineSeconds");
        cx.invalid_at(
            pos,
            "spec.progressDeadlineSeconds",
            &progress_deadline_seconds.to_string(),
            "must be greater than minReadySeconds",
        );
    }
    DeploymentSpec {
        replicas: common.replicas,
        selector,
        template,
        strategy,
        min_ready_seconds: common.min_ready_seconds,
        revision_history_limit,
        progress_deadline_seconds,
        paused,
    }
}

impl Decode for ReplicaSet {
    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self {
        ReplicaSet { metadata, spec: decode_replica_set_spec(cx, fields.spec()) }
    }
}

fn decode_replica_set_spec(cx: &mut Ctx, node: &Node) -> ReplicaSetSpec {
    let common = decode_common(cx, node, &[], |_, _, _, _, _| false);
    let (selector, template) = validate_common(cx, &common, "replicaset");
    ReplicaSetSpec { replicas: common.replicas, selector, template, min_ready_seconds: common.min_ready_seconds }
}

/// DaemonSet `spec` fields that are valid but not simulated.
const DAEMON_SET_NOT_SIMULATED: &[&str] = &["revisionHistoryLimit"];

impl Decode for DaemonSet {
    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self {
        decode_daemon_set(cx, metadata, fields.spec())
    }
}

/// A DaemonSet (`ValidateDaemonSetSpec`: selector required, non-empty and
/// matching the template's labels; restartPolicy Always).
fn decode_daemon_set(cx: &mut Ctx, metadata: ObjectMeta, node: &Node) -> DaemonSet {
    let mut update_strategy = DaemonSetUpdateStrategy::default();
    let common = decode_common(cx, node, &[], |cx, k, val, name, p| {
        if name == "updateStrategy" {
            update_strategy = decode_daemon_set_strategy(cx, val, p);
        } else if DAEMON_SET_NOT_SIMULATED.contains(&name) {
            cx.not_simulated(k, p);
        } else {
            return false;
        }
        true
    });
    if cx.src.has("spec.replicas") {
        let pos = cx.src.pos("spec.replicas");
        cx.warn_at(pos, "spec.replicas", "unknown field \"spec.replicas\"");
    }
    let (selector, template) = validate_common(cx, &common, "daemonset");
    DaemonSet { metadata, selector, template, min_ready_seconds: common.min_ready_seconds, update_strategy }
}

/// `spec.updateStrategy` of a DaemonSet, defaulted by `SetDefaults_DaemonSet`
/// (RollingUpdate, maxUnavailable 1, maxSurge 0) and checked by
/// `ValidateDaemonSetUpdateStrategy` / `ValidateRollingUpdateDaemonSet`
/// (pkg/apis/apps/validation/validation.go): both values non-negative and at
/// most 100%, exactly one of them non-zero.
fn decode_daemon_set_strategy(cx: &mut Ctx, node: &Node, path: &str) -> DaemonSetUpdateStrategy {
    let mut on_delete = false;
    let (mut surge, mut unavailable) = (IntOrPercent::Int(0), IntOrPercent::Int(1));
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "type" => {
                if let Some(t) = cx.string(val, &p) {
                    match t.as_str() {
                        "RollingUpdate" | "" => {}
                        "OnDelete" => on_delete = true,
                        _ => cx.not_supported_at(val.pos, &p, &t, &["RollingUpdate", "OnDelete"]),
                    }
                }
            }
            "rollingUpdate" => decode_rolling_update(cx, val, &p, &mut surge, &mut unavailable),
            _ => cx.unknown(k, &p),
        }
    }
    if on_delete {
        return DaemonSetUpdateStrategy::OnDelete;
    }
    let ru = child(path, "rollingUpdate");
    validate_int_or_percent(cx, &child(&ru, "maxUnavailable"), unavailable, true);
    validate_int_or_percent(cx, &child(&ru, "maxSurge"), surge, true);
    let nonzero = |x: IntOrPercent| !matches!(x, IntOrPercent::Int(0) | IntOrPercent::Percent(0));
    match (nonzero(unavailable), nonzero(surge)) {
        (true, true) => {
            let fp = child(&ru, "maxSurge");
            let pos = cx.src.pos(&fp);
            cx.invalid_at(pos, &fp, &int_or_string_go(surge), "may not be set when maxUnavailable is non-zero");
        }
        (false, false) => {
            let fp = child(&ru, "maxUnavailable");
            let pos = cx.src.pos(&fp);
            cx.error_at(pos, &fp, "Required value: cannot be 0 when maxSurge is 0");
        }
        _ => {}
    }
    DaemonSetUpdateStrategy::RollingUpdate { max_surge: surge, max_unavailable: unavailable }
}

/// `ValidatePositiveIntOrPercent` and, with `at_most_100`,
/// `IsNotMoreThan100Percent` (pkg/apis/apps/validation/validation.go), the
/// checks Deployments and DaemonSets share for maxUnavailable and maxSurge.
pub(super) fn validate_int_or_percent(cx: &mut Ctx, path: &str, value: IntOrPercent, at_most_100: bool) {
    let pos = cx.src.pos(path);
    match value {
        IntOrPercent::Int(n) if n < 0 => cx.invalid_at(pos, path, &n.to_string(), v::NEGATIVE_ERR),
        IntOrPercent::Percent(p) if at_most_100 && p > 100 => {
            cx.invalid_at(pos, path, &int_or_string_go(value), "must not be greater than 100%")
        }
        _ => {}
    }
}

/// An `intstr.IntOrString` as `field.Invalid` prints it (`%#v`).
fn int_or_string_go(x: IntOrPercent) -> String {
    match x {
        IntOrPercent::Int(n) => format!("intstr.IntOrString{{Type:0, IntVal:{n}, StrVal:\"\"}}"),
        IntOrPercent::Percent(p) => format!("intstr.IntOrString{{Type:1, IntVal:0, StrVal:\"{p}%\"}}"),
    }
}

/// StatefulSet `spec` fields that are valid but not simulated.
const STATEFULSET_NOT_SIMULATED: &[&str] = &["persistentVolumeClaimRetentionPolicy", "ordinals"];

/// One `volumeClaimTemplates[]` entry (`ValidatePersistentVolumeClaimSpec`:
/// access modes and a storage request are required).
fn decode_claim_template(cx: &mut Ctx, node: &Node, path: &str) -> PersistentVolumeClaimTemplate {
    let mut t = PersistentVolumeClaimTemplate {
        name: String::new(),
        labels: BTreeMap::new(),
        access_modes: Vec::new(),
        storage: String::new(),
        storage_class_name: None,
    };
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "metadata" => {
                for (k2, v2) in cx.entries(val, &p).unwrap_or(&[]) {
                    let n2 = key_text(k2);
                    let p2 = child(&p, n2);
                    match n2 {
                        "name" => t.name = cx.string(v2, &p2).unwrap_or_default(),
                        "labels" => t.labels = cx.string_map(v2, &p2),
                        "annotations" => {
                            cx.string_map(v2, &p2);
                        }
                        _ => cx.unknown(k2, &p2),
                    }
                }
            }
            "spec" => decode_claim_spec(cx, val, &p, &mut t),
            _ => cx.unknown(k, &p),
        }
    }
    if cx.type_errors == 0 {
        let name_path = child(&child(path, "metadata"), "name");
        if t.name.is_empty() {
            let pos = cx.src.pos(&name_path);
            cx.error_at(pos, &name_path, "Required value: name or generateName is required");
        } else {
            for m in v::dns1123_subdomain(&t.name) {
                let pos = cx.src.pos(&name_path);
                cx.invalid_at(pos, &name_path, &v::quote(&t.name), &m);
            }
        }
        validate_claim_spec(cx, &t, &child(path, "spec"));
    }
    t
}

/// A claim's `spec`: access modes, storage class and storage request.
pub(super) fn decode_claim_spec(cx: &mut Ctx, node: &Node, p: &str, t: &mut PersistentVolumeClaimTemplate) {
    for (k2, v2) in cx.entries(node, p).unwrap_or(&[]) {
        let n2 = key_text(k2);
        let p2 = child(p, n2);
        match n2 {
            "accessModes" => {
                t.access_modes = cx.string_list(v2, &p2);
                for m in &t.access_modes {
                    if !["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"].contains(&m.as_str()) {
                        cx.not_supported_at(
                            v2.pos,
                            &p2,
                            m,
                            &["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"],
                        );
                    }
                }
            }
            "storageClassName" => t.storage_class_name = cx.string(v2, &p2),
            "resources" => {
                for (k3, v3) in cx.entries(v2, &p2).unwrap_or(&[]) {
                    let n3 = key_text(k3);
                    let p3 = child(&p2, n3);
                    match n3 {
                        "requests" => {
                            let requests = cx.string_map(v3, &p3);
                            if let Some(s) = requests.get("storage") {
                                if crate::core::api::parse_quantity(s, 1).is_none() {
                                    cx.invalid_at(v3.pos, &format!("{p3}[storage]"), &v::quote(s), v::QUANTITY_ERR);
                                }
                                t.storage = s.clone();
                            }
                        }
                        "limits" => {
                            cx.string_map(v3, &p3);
                        }
                        _ => cx.unknown(k3, &p3),
                    }
                }
            }
            "volumeMode" | "selector" | "dataSource" | "dataSourceRef" | "volumeName" | "volumeAttributesClassName" => {
                cx.not_simulated(k2, &p2)
            }
            _ => cx.unknown(k2, &p2),
        }
    }
}

/// `ValidatePersistentVolumeClaimSpec`: access modes and a storage request are required.
pub(super) fn validate_claim_spec(cx: &mut Ctx, t: &PersistentVolumeClaimTemplate, spec: &str) {
    if t.access_modes.is_empty() {
        let p = child(spec, "accessModes");
        let pos = cx.src.pos(&p);
        cx.error_at(pos, &p, "Required value: at least 1 access mode is required");
    }
    if t.storage.is_empty() {
        let p = format!("{spec}.resources[storage]");
        let pos = cx.src.pos(&child(spec, "resources"));
        cx.error_at(pos, &p, "Required value");
    }
}

impl Decode for StatefulSet {
    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self {
        StatefulSet { metadata, spec: decode_stateful_set_spec(cx, fields.spec()) }
    }
}

fn decode_stateful_set_spec(cx: &mut Ctx, node: &Node) -> StatefulSetSpec {
    // The claim templates first: the Pod template's volume mounts may name them.
    let mut claims = Vec::new();
    if let Some(entries) = cx.entries(node, "spec") {
        for (k, val) in entries {
            if key_text(k) == "volumeClaimTemplates" {
                let p = child("spec", "volumeClaimTemplates");
                for (i, item) in cx.items(val, &p).iter().enumerate() {
                    claims.push(decode_claim_template(cx, item, &super::index(&p, i)));
                }
            }
        }
    }
    let claim_volumes: Vec<Volume> = claims
        .iter()
        .map(|c| Volume {
            name: c.name.clone(),
            source: VolumeSource::PersistentVolumeClaim { claim_name: c.name.clone() },
        })
        .collect();
    let mut service_name = None;
    let mut policy = PodManagementPolicy::OrderedReady;
    let mut update_strategy = StatefulSetUpdateStrategy::RollingUpdate { partition: 0 };
    let mut revision_history_limit = 10;
    let common = decode_common(cx, node, &claim_volumes, |cx, k, val, name, p| {
        match name {
            "volumeClaimTemplates" => {}
            "serviceName" => service_name = cx.string(val, p).filter(|s| !s.is_empty()),
            "podManagementPolicy" => {
                if let Some(t) = cx.string(val, p) {
                    match t.as_str() {
                        "OrderedReady" => policy = PodManagementPolicy::OrderedReady,
                        "Parallel" => policy = PodManagementPolicy::Parallel,
                        _ => cx.not_supported_at(val.pos, p, &t, &["OrderedReady", "Parallel"]),
                    }
                }
            }
            "updateStrategy" => {
                for (k2, v2) in cx.entries(val, p).unwrap_or(&[]) {
                    let n2 = key_text(k2);
                    let p2 = child(p, n2);
                    match n2 {
                        "type" => {
                            if let Some(t) = cx.string(v2, &p2) {
                                match t.as_str() {
                                    "RollingUpdate" => {}
                                    "OnDelete" => update_strategy = StatefulSetUpdateStrategy::OnDelete,
                                    _ => cx.not_supported_at(v2.pos, &p2, &t, &["OnDelete", "RollingUpdate"]),
                                }
                            }
                        }
                        "rollingUpdate" => {
                            for (k3, v3) in cx.entries(v2, &p2).unwrap_or(&[]) {
                                let n3 = key_text(k3);
                                let p3 = child(&p2, n3);
                                match n3 {
                                    "partition" => {
                                        if let Some(n) = cx.int32(v3, &p3) {
                                            if n < 0 {
                                                cx.invalid_at(v3.pos, &p3, &n.to_string(), v::NEGATIVE_ERR);
                                            }
                                            if let StatefulSetUpdateStrategy::RollingUpdate { partition } =
                                                &mut update_strategy
                                            {
                                                *partition = n;
                                            }
                                        }
                                    }
                                    "maxUnavailable" => cx.not_simulated(k3, &p3),
                                    _ => cx.unknown(k3, &p3),
                                }
                            }
                        }
                        _ => cx.unknown(k2, &p2),
                    }
                }
            }
            "revisionHistoryLimit" => {
                if let Some(n) = cx.int32(val, p) {
                    if n < 0 {
                        cx.invalid_at(val.pos, p, &n.to_string(), v::NEGATIVE_ERR);
                    }
                    revision_history_limit = n;
                }
            }
            _ if STATEFULSET_NOT_SIMULATED.contains(&name) => cx.not_simulated(k, p),
            _ => return false,
        }
        true
    });
    let (selector, template) = validate_common(cx, &common, "statefulset");
    StatefulSetSpec {
        replicas: common.replicas,
        selector,
        template,
        service_name,
        pod_management_policy: policy,
        update_strategy,
        volume_claim_templates: claims,
        min_ready_seconds: common.min_ready_seconds,
        revision_history_limit,
    }
}

/// A labels map as `field.Invalid` prints it in the API server's message:
/// Go's `%#v` (`map[string]string{"app":"web"}`).
pub(super) fn go_labels(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "map[string]string(nil)".to_string();
    }
    let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    format!("map[string]string{{{}}}", pairs.join(", "))
}
