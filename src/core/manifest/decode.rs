//! YAML tree → typed objects, with the API server's defaults applied.
//!
//! Decoding is schema-driven: each Kubernetes type has one function that
//! walks its mapping and `match`es on the field names as the API spells them.
//! Type errors are reported where the value is; checks that need nothing but
//! the value at hand (ranges, enums, formats) are done here too, where the
//! value's position is known. Checks across fields live in
//! [`super::validate`], which finds positions through the [`SourceMap`]
//! filled here.
//!
//! A kind is found in [`crate::core::kinds`]' table; each kind's [`Decode`]
//! impl (here for the core kinds, in the submodule of its group for the
//! others) says which top-level fields it keeps and builds it from them.

mod apps;
mod batch;
mod cronjob;
mod policy;
mod sched;
mod security;
mod storage;
mod volumes;

use crate::core::base64;
use std::collections::BTreeMap;

use super::validate::{self as v, Ctx};
use super::{Diagnostic, Severity};
use crate::core::api::{self, *};
use crate::core::kinds::{KindInfo, Resource};
use crate::core::yaml::{Node, NodeKind, Value};

/// Where each decoded value came from: field path → position (and the raw
/// scalar text, used to quote quantities as written).
#[derive(Debug, Default)]
pub(super) struct SourceMap {
    entries: crate::core::store::Store<(Pos, Option<String>), String>,
}

impl SourceMap {
    fn record(&mut self, path: &str, node: &Node) {
        self.entries.insert(path.to_string(), (node.pos, node.scalar_text().map(str::to_string)));
    }

    /// True when the field was present in the text.
    pub(super) fn has(&self, path: &str) -> bool {
        self.entries.contains_key(path)
    }

    /// The position of `path`, or of its nearest recorded ancestor.
    pub(super) fn pos(&self, path: &str) -> Pos {
        let mut p = path;
        loop {
            if let Some((pos, _)) = self.entries.get(p) {
                return *pos;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => return self.entries.get("").map_or(Pos { line: 1, col: 1 }, |e| e.0),
            }
        }
    }

    /// The raw scalar text at `path`, if it was a scalar.
    pub(super) fn text(&self, path: &str) -> Option<&str> {
        self.entries.get(path).and_then(|(_, t)| t.as_deref())
    }
}

/// One decoded document or `List` item: the object (absent if it could not be
/// built) and its diagnostics.
pub(super) struct Outcome {
    pub object: Option<Object>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Metadata fields that are bookkeeping of a live object: accepted, ignored.
const SILENT_META_FIELDS: &[&str] = &[
    "creationTimestamp",
    "deletionGracePeriodSeconds",
    "deletionTimestamp",
    "finalizers",
    "generation",
    "managedFields",
    "ownerReferences",
    "resourceVersion",
    "selfLink",
    "uid",
];

/// `spec` fields of a Pod that are valid Kubernetes but not simulated.
const POD_SPEC_NOT_SIMULATED: &[&str] = &[
    "automountServiceAccountToken",
    "dnsConfig",
    "enableServiceLinks",
    "hostIPC",
    "hostPID",
    "hostUsers",
    "hostnameOverride",
    "imagePullSecrets",
    "os",
    "overhead",
    "readinessGates",
    "resourceClaims",
    "resources",
    "runtimeClassName",
    "setHostnameAsFQDN",
    "shareProcessNamespace",
];

/// Container fields that are valid Kubernetes but not simulated.
const CONTAINER_NOT_SIMULATED: &[&str] =
    &["resizePolicy", "restartPolicyRules", "stdin", "stdinOnce", "tty", "volumeDevices"];

/// Service `spec` fields that are valid Kubernetes but not simulated.
const SERVICE_SPEC_NOT_SIMULATED: &[&str] = &[
    "allocateLoadBalancerNodePorts",
    "clusterIPs",
    "externalIPs",
    "externalName",
    "externalTrafficPolicy",
    "healthCheckNodePort",
    "internalTrafficPolicy",
    "ipFamilies",
    "ipFamilyPolicy",
    "loadBalancerClass",
    "loadBalancerIP",
    "loadBalancerSourceRanges",
    "publishNotReadyAddresses",
    "sessionAffinity",
    "sessionAffinityConfig",
    "trafficDistribution",
];

/// Volume types other than the modelled ones (decoded as
/// [`VolumeSource::Other`]: mounted, but empty, with a "not simulated"
/// warning).
pub(super) const OTHER_VOLUME_TYPES: &[&str] = &[
    "awsElasticBlockStore",
    "azureDisk",
    "azureFile",
    "cephfs",
    "cinder",
    "csi",
    "ephemeral",
    "fc",
    "flexVolume",
    "flocker",
    "gcePersistentDisk",
    "gitRepo",
    "glusterfs",
    "image",
    "iscsi",
    "nfs",
    "photonPersistentDisk",
    "portworxVolume",
    "quobyte",
    "rbd",
    "scaleIO",
    "storageos",
    "vsphereVolume",
];

/// `parent.key`, or `key` at the root.
pub(super) fn child(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// `parent[i]`.
pub(super) fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// `parent[key]`, as Kubernetes writes map keys in field paths.
pub(super) fn key(parent: &str, k: &str) -> String {
    format!("{parent}[{k}]")
}

fn key_text(k: &Node) -> &str {
    k.scalar_text().unwrap_or("")
}

/// How many objects a document holds (a `List` counts its items).
pub(super) fn object_count(doc: &Node) -> usize {
    match &doc.kind {
        NodeKind::Null => 0,
        NodeKind::Map(entries) => {
            let field = |name: &str| entries.iter().find(|(k, _)| key_text(k) == name).map(|e| &e.1);
            let is_list = field("kind").and_then(Node::scalar_text) == Some("List");
            match (is_list, field("items").map(|n| &n.kind)) {
                (true, Some(NodeKind::Seq(items))) => items.len().max(1),
                _ => 1,
            }
        }
        _ => 1,
    }
}

/// Describes a value for "expected X, got Y" messages.
fn got(node: &Node) -> String {
    match &node.kind {
        NodeKind::Scalar(s) => {
            let mut t: String = s.text.chars().take(40).collect();
            if t.len() < s.text.len() {
                t.push('…');
            }
            match s.resolve() {
                Value::Str(_) => format!("string {t:?}"),
                _ => format!("{} {t}", node.type_name()),
            }
        }
        NodeKind::Null => "null".into(),
        NodeKind::Seq(_) => "an array".into(),
        NodeKind::Map(_) => "an object".into(),
    }
}

impl Ctx {
    fn type_error(&mut self, node: &Node, path: &str, expected: &str) {
        let mut msg = format!("expected {expected}, got {}", got(node));
        if expected == "a string" {
            if let NodeKind::Scalar(s) = &node.kind {
                // char by char, as str::escape_default does, without linking its Display.
                msg.push_str(" (quote it: \"");
                msg.extend(s.text.chars().flat_map(char::escape_default));
                msg.push_str("\")");
            }
        }
        self.type_errors += 1;
        self.error_at(node.pos, path, msg);
    }

    fn unknown(&mut self, k: &Node, path: &str) {
        self.warn_at(k.pos, path, format!("unknown field \"{path}\""));
    }

    fn not_simulated(&mut self, k: &Node, path: &str) {
        self.warn_at(k.pos, path, format!("not simulated by podplay: \"{path}\""));
    }

    fn entries<'n>(&mut self, node: &'n Node, path: &str) -> Option<&'n [(Node, Node)]> {
        self.src.record(path, node);
        match &node.kind {
            NodeKind::Map(e) => Some(e),
            NodeKind::Null => None,
            _ => {
                self.type_error(node, path, "an object");
                None
            }
        }
    }

    fn items<'n>(&mut self, node: &'n Node, path: &str) -> &'n [Node] {
        self.src.record(path, node);
        match &node.kind {
            NodeKind::Seq(items) => items,
            NodeKind::Null => &[],
            _ => {
                self.type_error(node, path, "an array");
                &[]
            }
        }
    }

    fn string(&mut self, node: &Node, path: &str) -> Option<String> {
        self.src.record(path, node);
        match &node.kind {
            NodeKind::Null => None,
            NodeKind::Scalar(s) => match s.resolve() {
                Value::Str(t) => Some(t.to_string()),
                _ => {
                    self.type_error(node, path, "a string");
                    None
                }
            },
            _ => {
                self.type_error(node, path, "a string");
                None
            }
        }
    }

    fn int(&mut self, node: &Node, path: &str) -> Option<i64> {
        self.src.record(path, node);
        match &node.kind {
            NodeKind::Null => None,
            NodeKind::Scalar(s) => match s.resolve() {
                Value::Int(i) => Some(i),
                _ => {
                    self.type_error(node, path, "an integer");
                    None
                }
            },
            _ => {
                self.type_error(node, path, "an integer");
                None
            }
        }
    }

    fn int32(&mut self, node: &Node, path: &str) -> Option<i32> {
        let i = self.int(node, path)?;
        match i32::try_from(i) {
            Ok(i) => Some(i),
            Err(_) => {
                self.type_errors += 1;
                self.error_at(node.pos, path, format!("expected a 32-bit integer, got {i}, which is out of range"));
                None
            }
        }
    }

    fn boolean(&mut self, node: &Node, path: &str) -> Option<bool> {
        self.src.record(path, node);
        match &node.kind {
            NodeKind::Null => None,
            NodeKind::Scalar(s) => match s.resolve() {
                Value::Bool(b) => Some(b),
                _ => {
                    self.type_error(node, path, "a boolean (true or false)");
                    None
                }
            },
            _ => {
                self.type_error(node, path, "a boolean (true or false)");
                None
            }
        }
    }

    fn int_or_string(&mut self, node: &Node, path: &str) -> Option<PortRef> {
        self.src.record(path, node);
        if let NodeKind::Scalar(s) = &node.kind {
            match s.resolve() {
                Value::Str(t) => return Some(PortRef::Name(t.to_string())),
                Value::Int(i) => {
                    if let Ok(i) = i32::try_from(i) {
                        return Some(PortRef::Number(i));
                    }
                }
                _ => {}
            }
        }
        if node.kind == NodeKind::Null {
            return None;
        }
        self.type_error(node, path, "an integer or a string");
        None
    }

    fn string_list(&mut self, node: &Node, path: &str) -> Vec<String> {
        let items = self.items(node, path);
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let p = index(path, i);
            if item.kind == NodeKind::Null {
                // A null entry decodes to "" in Go.
                self.src.record(&p, item);
                out.push(String::new());
            } else if let Some(s) = self.string(item, &p) {
                out.push(s);
            }
        }
        out
    }

    /// A `map[string]string` such as labels; each key's position is recorded
    /// under `path[key]`.
    fn string_map(&mut self, node: &Node, path: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (k, val) in self.entries(node, path).unwrap_or(&[]) {
            let kp = key(path, key_text(k));
            self.src.record(&kp, k);
            let value = match &val.kind {
                NodeKind::Null => Some(String::new()),
                NodeKind::Scalar(s) => match s.resolve() {
                    Value::Str(t) => Some(t.to_string()),
                    _ => {
                        self.type_error(val, &kp, "a string");
                        None
                    }
                },
                _ => {
                    self.type_error(val, &kp, "a string");
                    None
                }
            };
            self.src.record(&format!("{kp}#value"), val);
            if let Some(value) = value {
                out.insert(key_text(k).to_string(), value);
            }
        }
        out
    }

    /// A quantity given as a string or a number; `scale` as for
    /// [`parse_quantity`].
    fn quantity(&mut self, node: &Node, path: &str, scale: i64) -> Option<i64> {
        self.src.record(path, node);
        let text = match &node.kind {
            NodeKind::Null => return None,
            NodeKind::Scalar(s) => match s.resolve() {
                Value::Str(t) => t.to_string(),
                Value::Int(i) => i.to_string(),
                Value::Float(_) => s.text.clone(),
                Value::Null | Value::Bool(_) => {
                    self.type_error(node, path, "a quantity (a string or a number)");
                    return None;
                }
            },
            _ => {
                self.type_error(node, path, "a quantity (a string or a number)");
                return None;
            }
        };
        if text.trim_start().starts_with('-') && v::quantity_syntax_ok(&text) {
            self.invalid_at(node.pos, path, &v::quote(&text), "must be greater than or equal to 0");
            return None;
        }
        match v::quantity_syntax_ok(&text).then(|| parse_quantity(&text, scale)).flatten() {
            Some(q) => Some(q),
            None => {
                // Decoding error in the API server (the quantity cannot be
                // unmarshalled), hence a type error.
                self.type_errors += 1;
                self.error_at(node.pos, path, format!("{}: {}", v::quote(&text), v::QUANTITY_ERR));
                None
            }
        }
    }
}

/// Decodes one YAML document: an object, a `List` of objects, or nothing.
pub(super) fn decode_document(doc: &Node) -> Vec<Outcome> {
    let NodeKind::Map(entries) = &doc.kind else {
        if doc.kind == NodeKind::Null {
            return Vec::new();
        }
        let mut cx = Ctx::default();
        cx.error_at(
            doc.pos,
            "",
            format!("expected a Kubernetes object (a YAML mapping with apiVersion and kind), got {}", got(doc)),
        );
        return vec![cx.finish(None)];
    };
    let field = |name: &str| entries.iter().find(|(k, _)| key_text(k) == name);
    let is_list = field("kind").and_then(|(_, v)| v.scalar_text()) == Some("List");
    if !is_list {
        return vec![decode_object(doc)];
    }
    let mut cx = Ctx::default();
    let mut out = Vec::new();
    for (k, val) in entries {
        let name = key_text(k);
        match name {
            "kind" => {}
            "apiVersion" => {
                if let Some(av) = cx.string(val, name) {
                    if av != "v1" {
                        cx.error_at(
                            val.pos,
                            name,
                            format!("no matches for kind \"List\" in version \"{av}\" (use \"apiVersion: v1\")"),
                        );
                    }
                }
            }
            "metadata" => {}
            "items" => {
                for item in cx.items(val, name) {
                    if item.kind == NodeKind::Null {
                        continue;
                    }
                    out.push(decode_object(item));
                }
            }
            _ => cx.unknown(k, name),
        }
    }
    if !cx.diags.is_empty() {
        out.insert(0, cx.finish(None));
    }
    out
}

/// Decodes one object (a document or a `List` item) and validates it.
fn decode_object(node: &Node) -> Outcome {
    let mut cx = Ctx::default();
    cx.src.record("", node);
    let Some(entries) = cx.entries(node, "") else {
        return cx.finish(None);
    };
    let field = |name: &str| entries.iter().find(|(k, _)| key_text(k) == name);
    let api_version = match field("apiVersion") {
        Some((_, val)) => cx.string(val, "apiVersion"),
        None => None,
    };
    let kind = match field("kind") {
        Some((_, val)) => cx.string(val, "kind"),
        None => None,
    };
    let (api_version, kind) = match (api_version, kind) {
        (Some(a), Some(k)) if !a.is_empty() && !k.is_empty() => (a, k),
        (a, k) => {
            if k.as_deref().unwrap_or("").is_empty() {
                cx.error_at(cx.src.pos("kind"), "kind", "Required value: kind not set (e.g. \"kind: Pod\")");
            }
            if a.as_deref().unwrap_or("").is_empty() {
                cx.error_at(
                    cx.src.pos("apiVersion"),
                    "apiVersion",
                    "Required value: apiVersion not set (e.g. \"apiVersion: v1\")",
                );
            }
            return cx.finish(None);
        }
    };
    let info = match crate::core::kinds::lookup(&api_version, &kind) {
        Ok(info) => info,
        Err(msg) => {
            cx.error_at(cx.src.pos("kind"), "kind", msg);
            return cx.finish(None);
        }
    };
    match decode_kind(info, &mut cx, node, entries) {
        Some(object) => cx.finish(Some(object)),
        // A kind of the table the dispatch does not name (it names them all).
        None => {
            cx.error_at(cx.src.pos("kind"), "kind", format!("podplay does not simulate kind {kind} yet"));
            cx.finish(None)
        }
    }
}

/// How a kind is decoded: the top-level fields it keeps beside
/// `apiVersion`, `kind` and `metadata`, and what builds it from them. One
/// impl per kind, beside the code that decodes its fields; the dispatch on
/// the kind's name ([`decode_kind`]) is generated from the kinds'
/// declaration, so a kind declared there without an impl does not compile.
pub(super) trait Decode: Resource + Into<Object> {
    /// Its top-level fields: `spec` for most kinds; a ConfigMap's `data`, a
    /// StorageClass's own fields. Any other but `status` (warned as
    /// ignored: podplay computes status) is an unknown field.
    const FIELDS: &'static [&'static str] = &["spec"];
    /// Top-level fields that are valid Kubernetes but not simulated.
    const NOT_SIMULATED: &'static [&'static str] = &[];

    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self;
}

/// The top-level fields of an object that its kind keeps ([`Decode::FIELDS`]).
pub(super) struct Fields<'n> {
    given: Vec<(&'n str, &'n Node)>,
    /// What an absent `spec` reads as: null, where the object starts.
    null: Node,
}

impl<'n> Fields<'n> {
    /// The value of `name`, if the object gives it.
    pub(super) fn get(&self, name: &str) -> Option<&'n Node> {
        self.given.iter().find(|(n, _)| *n == name).map(|(_, val)| *val)
    }

    /// `spec`; null (with the object's position) when there is none.
    pub(super) fn spec(&self) -> &Node {
        self.get("spec").unwrap_or(&self.null)
    }

    /// Every field given, in the order of the text.
    pub(super) fn given(&self) -> &[(&'n str, &'n Node)] {
        &self.given
    }
}

/// `decode_as` for the kind `info` names, or None for a kind the
/// declaration does not have: one arm per kind, generated by
/// [`crate::core::kinds::each_kind`].
macro_rules! decode_kind {
    ($($ty:ident)*) => {
        fn decode_kind(info: &KindInfo, cx: &mut Ctx, node: &Node, entries: &[(Node, Node)]) -> Option<Object> {
            $(if info.kind == <api::$ty as Resource>::KIND {
                return Some(decode_as::<api::$ty>(cx, node, entries));
            })*
            None
        }
    };
}
crate::core::kinds::each_kind!(decode_kind);

/// Decodes and validates an object of kind `T` from its mapping's entries.
fn decode_as<T: Decode>(cx: &mut Ctx, node: &Node, entries: &[(Node, Node)]) -> Object {
    let mut meta = None;
    let mut given = Vec::new();
    for (k, val) in entries {
        let name = key_text(k);
        match name {
            "apiVersion" | "kind" => {}
            "metadata" => meta = Some(decode_meta(cx, val)),
            _ if T::FIELDS.contains(&name) => given.push((name, val)),
            _ if T::NOT_SIMULATED.contains(&name) => cx.not_simulated(k, name),
            "status" => cx.warn_at(k.pos, "status", "ignored: podplay computes status by simulating the object"),
            _ => cx.unknown(k, name),
        }
    }
    // No `metadata` at all: the object is still in the request's namespace
    // (kubectl's default), only its name is missing.
    let (mut metadata, generate_name) =
        meta.unwrap_or_else(|| (ObjectMeta { namespace: "default".into(), ..ObjectMeta::default() }, None));
    metadata.pos = node.pos;
    let fields = Fields { given, null: Node { kind: NodeKind::Null, pos: node.pos } };
    let mut object = T::decode(cx, metadata, &fields).into();
    v::validate_object(cx, &mut object, generate_name.as_deref());
    object
}

impl Decode for Pod {
    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self {
        let spec = decode_pod_spec(cx, fields.spec(), false);
        // `ValidatePodCreate`: a Pod cannot be bound while gated.
        if spec.node_name.is_some() && !spec.scheduling_gates.is_empty() {
            let pos = cx.src.pos("spec.nodeName");
            cx.error_at(pos, "spec.nodeName", "Forbidden: cannot be set until all schedulingGates have been cleared");
        }
        Pod { metadata, spec }
    }
}

impl Decode for Service {
    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self {
        Service { metadata, spec: decode_service_spec(cx, fields.spec()) }
    }
}

/// A Namespace's spec holds only `finalizers`.
impl Decode for Namespace {
    const FIELDS: &'static [&'static str] = &[];
    const NOT_SIMULATED: &'static [&'static str] = &["spec"];

    fn decode(_: &mut Ctx, metadata: ObjectMeta, _: &Fields) -> Self {
        Namespace { metadata }
    }
}

impl Decode for ConfigMap {
    const FIELDS: &'static [&'static str] = &["data"];
    const NOT_SIMULATED: &'static [&'static str] = &["binaryData", "immutable"];

    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self {
        let mut data = BTreeMap::new();
        if let Some(val) = fields.get("data") {
            decode_string_map(cx, val, "data", &mut data, false);
        }
        ConfigMap { metadata, data }
    }
}

impl Decode for Secret {
    const FIELDS: &'static [&'static str] = &["data", "stringData", "type"];
    const NOT_SIMULATED: &'static [&'static str] = ConfigMap::NOT_SIMULATED;

    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self {
        let mut data = BTreeMap::new();
        let mut type_ = "Opaque".to_string();
        // `data` is base64; `stringData` is merged over it (the API server's order).
        if let Some(val) = fields.get("data") {
            decode_string_map(cx, val, "data", &mut data, true);
        }
        if let Some(val) = fields.get("stringData") {
            decode_string_map(cx, val, "stringData", &mut data, false);
        }
        if let Some(val) = fields.get("type") {
            type_ = cx.string(val, "type").unwrap_or(type_);
        }
        Secret { metadata, type_, data }
    }
}

pub(super) fn decode_meta(cx: &mut Ctx, node: &Node) -> (ObjectMeta, Option<String>) {
    let mut meta = ObjectMeta { namespace: "default".into(), ..ObjectMeta::default() };
    let mut generate_name = None;
    for (k, val) in cx.entries(node, "metadata").unwrap_or(&[]) {
        let name = key_text(k);
        let p = child("metadata", name);
        match name {
            "name" => meta.name = cx.string(val, &p).unwrap_or_default(),
            "generateName" => generate_name = cx.string(val, &p),
            "namespace" => {
                if let Some(ns) = cx.string(val, &p).filter(|s| !s.is_empty()) {
                    meta.namespace = ns;
                }
            }
            "labels" => meta.labels = cx.string_map(val, &p),
            "annotations" => meta.annotations = cx.string_map(val, &p),
            _ if SILENT_META_FIELDS.contains(&name) => {}
            _ => cx.unknown(k, &p),
        }
    }
    (meta, generate_name)
}

fn decode_restart_policy(cx: &mut Ctx, node: &Node, path: &str) -> Option<RestartPolicy> {
    let s = cx.string(node, path)?;
    match s.as_str() {
        "Always" => Some(RestartPolicy::Always),
        "OnFailure" => Some(RestartPolicy::OnFailure),
        "Never" => Some(RestartPolicy::Never),
        // An empty string is the unset value: defaulted.
        "" => None,
        _ => {
            cx.not_supported_at(node.pos, path, &s, &["Always", "OnFailure", "Never"]);
            None
        }
    }
}

/// A Pod spec with nothing set but the API server's defaults (the service
/// account is filled in after decoding).
pub(super) fn default_pod_spec() -> PodSpec {
    PodSpec {
        init_containers: Vec::new(),
        containers: Vec::new(),
        restart_policy: RestartPolicy::Always,
        termination_grace_period_seconds: 30,
        active_deadline_seconds: None,
        volumes: Vec::new(),
        node_name: None,
        host_network: false,
        node_selector: BTreeMap::new(),
        hostname: None,
        subdomain: None,
        scheduler_name: "default-scheduler".into(),
        dns_policy: "ClusterFirst".into(),
        service_account_name: String::new(),
        tolerations: Vec::new(),
        required_node_affinity: Vec::new(),
        scheduling_gates: Vec::new(),
        host_aliases: Vec::new(),
        priority_class_name: None,
        priority: None,
        preemption_policy: None,
        topology_spread_constraints: Vec::new(),
    }
}

/// A Pod's spec, or a template's (`template`: the two refuse
/// `ephemeralContainers` with different words).
pub(super) fn decode_pod_spec(cx: &mut Ctx, node: &Node, template: bool) -> PodSpec {
    let mut spec = default_pod_spec();
    let mut deprecated_sa = None;
    for (k, val) in cx.entries(node, "spec").unwrap_or(&[]) {
        let name = key_text(k);
        let p = child("spec", name);
        match name {
            "containers" => {
                for (i, c) in cx.items(val, &p).iter().enumerate() {
                    if let Some(c) = decode_container(cx, c, &index(&p, i)) {
                        spec.containers.push(c);
                    }
                }
            }
            "initContainers" => {
                for (i, c) in cx.items(val, &p).iter().enumerate() {
                    if let Some(c) = decode_container(cx, c, &index(&p, i)) {
                        spec.init_containers.push(c);
                    }
                }
            }
            "restartPolicy" => {
                if let Some(r) = decode_restart_policy(cx, val, &p) {
                    spec.restart_policy = r;
                }
            }
            "terminationGracePeriodSeconds" => {
                if let Some(t) = cx.int(val, &p) {
                    if t < 0 {
                        cx.invalid_at(val.pos, &p, &t.to_string(), v::NEGATIVE_ERR);
                    }
                    spec.termination_grace_period_seconds = t;
                }
            }
            "activeDeadlineSeconds" => {
                if let Some(t) = cx.int(val, &p) {
                    if !(1..=i64::from(i32::MAX)).contains(&t) {
                        cx.invalid_at(val.pos, &p, &t.to_string(), &v::inclusive_range(1, i64::from(i32::MAX)));
                    }
                    spec.active_deadline_seconds = Some(t);
                }
            }
            "volumes" => {
                for (i, vol) in cx.items(val, &p).iter().enumerate() {
                    if let Some(vol) = decode_volume(cx, vol, &index(&p, i)) {
                        spec.volumes.push(vol);
                    }
                }
            }
            "nodeName" => spec.node_name = cx.string(val, &p).filter(|s| !s.is_empty()),
            "nodeSelector" => spec.node_selector = cx.string_map(val, &p),
            "tolerations" => spec.tolerations = sched::decode_tolerations(cx, val, &p),
            "affinity" => spec.required_node_affinity = sched::decode_affinity(cx, val, &p),
            "schedulingGates" => spec.scheduling_gates = sched::decode_scheduling_gates(cx, val, &p),
            "hostAliases" => spec.host_aliases = decode_host_aliases(cx, val, &p),
            "hostNetwork" => {
                spec.host_network = cx.boolean(val, &p).unwrap_or(false);
                if spec.host_network {
                    cx.warn_at(
                        k.pos,
                        &p,
                        format!("partly simulated by podplay: \"{p}\" (the Pod keeps its own IP; probes with a host reach it on the node's addresses)"),
                    );
                }
            }
            "hostname" => spec.hostname = cx.string(val, &p).filter(|s| !s.is_empty()),
            "subdomain" => spec.subdomain = cx.string(val, &p).filter(|s| !s.is_empty()),
            "schedulerName" => {
                if let Some(s) = cx.string(val, &p).filter(|s| !s.is_empty()) {
                    spec.scheduler_name = s;
                }
            }
            "dnsPolicy" => {
                if let Some(s) = cx.string(val, &p).filter(|s| !s.is_empty()) {
                    const DNS: [&str; 4] = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
                    if !DNS.contains(&s.as_str()) {
                        cx.not_supported_at(val.pos, &p, &s, &DNS);
                    }
                    spec.dns_policy = s;
                }
            }
            "serviceAccountName" => {
                spec.service_account_name = cx.string(val, &p).unwrap_or_default();
            }
            // Deprecated alias of serviceAccountName, copied when that is unset.
            "serviceAccount" => deprecated_sa = cx.string(val, &p),
            "priorityClassName" => {
                spec.priority_class_name = cx.string(val, &p).filter(|s| !s.is_empty());
                if let Some(name) = &spec.priority_class_name {
                    // ValidatePodSpec: `ValidatePriorityClassName` (a DNS subdomain).
                    for msg in v::dns1123_subdomain(name) {
                        cx.invalid_at(val.pos, &p, &v::quote(name), &msg);
                    }
                }
            }
            "priority" => spec.priority = cx.int32(val, &p),
            "topologySpreadConstraints" => {
                spec.topology_spread_constraints = sched::decode_topology_spread_constraints(cx, val, &p)
            }
            "preemptionPolicy" => {
                if let Some(s) = cx.string(val, &p).filter(|s| !s.is_empty()) {
                    const POLICIES: [&str; 2] = ["Never", "PreemptLowerPriority"];
                    if !POLICIES.contains(&s.as_str()) {
                        cx.not_supported_at(val.pos, &p, &s, &POLICIES);
                    }
                    spec.preemption_policy = Some(s);
                }
            }
            "securityContext" => {
                security::decode_pod_security_context(cx, val, &p);
                cx.not_simulated(k, &p);
            }
            // Added only through the `ephemeralcontainers` subresource:
            // `ValidatePodCreate` ("cannot be set on create") and
            // `ValidatePodTemplateSpec` ("ephemeral containers not allowed in
            // pod template"), pkg/apis/core/validation/validation.go.
            "ephemeralContainers" => {
                if !cx.items(val, &p).is_empty() {
                    let detail = if template {
                        "ephemeral containers not allowed in pod template"
                    } else {
                        "cannot be set on create"
                    };
                    cx.error_at(k.pos, &p, format!("Forbidden: {detail}"));
                }
            }
            _ if POD_SPEC_NOT_SIMULATED.contains(&name) => cx.not_simulated(k, &p),
            _ => cx.unknown(k, &p),
        }
    }
    if spec.service_account_name.is_empty() {
        spec.service_account_name = deprecated_sa.filter(|s| !s.is_empty()).unwrap_or_else(|| "default".into());
    }
    // SetDefaults_Pod: requests default to limits, resource by resource.
    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut()) {
        let r = &mut c.resources;
        r.requests.cpu_millis = r.requests.cpu_millis.or(r.limits.cpu_millis);
        r.requests.memory_bytes = r.requests.memory_bytes.or(r.limits.memory_bytes);
    }
    spec
}

/// `spec.hostAliases`, checked as `ValidateHostAliases`
/// (pkg/apis/core/validation/validation.go) does: each `ip` a valid IP
/// address (`IsValidIPForLegacyField`), each hostname a DNS-1123 subdomain.
fn decode_host_aliases(cx: &mut Ctx, node: &Node, path: &str) -> Vec<crate::core::api::HostAlias> {
    let mut out = Vec::new();
    for (i, item) in cx.items(node, path).iter().enumerate() {
        let ip_path = index(path, i);
        let mut alias = crate::core::api::HostAlias { ip: String::new(), hostnames: Vec::new() };
        for (k, val) in cx.entries(item, &ip_path).unwrap_or(&[]) {
            let p = child(&ip_path, key_text(k));
            match key_text(k) {
                "ip" => alias.ip = cx.string(val, &p).unwrap_or_default(),
                "hostnames" => {
                    alias.hostnames = cx.string_list(val, &p);
                    for (j, h) in alias.hostnames.iter().enumerate() {
                        for msg in v::dns1123_subdomain(h) {
                            cx.invalid_at(val.pos, &index(&p, j), &v::quote(h), &msg);
                        }
                    }
                }
                _ => cx.unknown(k, &p),
            }
        }
        if alias.ip.parse::<std::net::IpAddr>().is_err() {
            cx.invalid_at(
                item.pos,
                &child(&ip_path, "ip"),
                &v::quote(&alias.ip),
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            );
        }
        out.push(alias);
    }
    out
}

/// `SetDefaults_Container`: `Always` when the tag is `latest`, or when there
/// is neither tag nor digest (the tag then defaults to `latest`); else
/// `IfNotPresent`.
pub fn default_pull_policy(image: &str) -> PullPolicy {
    let (name, has_digest) = match image.split_once('@') {
        Some((n, _)) => (n, true),
        None => (image, false),
    };
    let last_segment = name.rsplit('/').next().unwrap_or(name);
    let tag = last_segment.split_once(':').map(|(_, t)| t);
    match (tag, has_digest) {
        (Some("latest"), _) | (None, false) => PullPolicy::Always,
        _ => PullPolicy::IfNotPresent,
    }
}

fn decode_container(cx: &mut Ctx, node: &Node, path: &str) -> Option<Container> {
    let entries = cx.entries(node, path)?;
    let mut c = Container {
        name: String::new(),
        image: String::new(),
        image_pull_policy: PullPolicy::IfNotPresent,
        command: Vec::new(),
        args: Vec::new(),
        working_dir: None,
        ports: Vec::new(),
        env: Vec::new(),
        env_from: Vec::new(),
        resources: Resources::default(),
        volume_mounts: Vec::new(),
        liveness_probe: None,
        readiness_probe: None,
        startup_probe: None,
        lifecycle: Lifecycle::default(),
        restart_policy: None,
        termination_message_path: "/dev/termination-log".into(),
        termination_message_policy: "File".into(),
        pos: node.pos,
    };
    let mut pull_policy = None;
    for (k, val) in entries {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "name" => c.name = cx.string(val, &p).unwrap_or_default(),
            "image" => c.image = cx.string(val, &p).unwrap_or_default(),
            "imagePullPolicy" => {
                if let Some(s) = cx.string(val, &p).filter(|s| !s.is_empty()) {
                    pull_policy = match s.as_str() {
                        "Always" => Some(PullPolicy::Always),
                        "IfNotPresent" => Some(PullPolicy::IfNotPresent),
                        "Never" => Some(PullPolicy::Never),
                        _ => {
                            cx.not_supported_at(val.pos, &p, &s, &["Always", "IfNotPresent", "Never"]);
                            None
                        }
                    };
                }
            }
            "command" => c.command = cx.string_list(val, &p),
            "args" => c.args = cx.string_list(val, &p),
            "workingDir" => c.working_dir = cx.string(val, &p).filter(|s| !s.is_empty()),
            "ports" => {
                for (i, port) in cx.items(val, &p).iter().enumerate() {
                    if let Some(port) = decode_container_port(cx, port, &index(&p, i)) {
                        c.ports.push(port);
                    }
                }
            }
            "env" => {
                for (i, e) in cx.items(val, &p).iter().enumerate() {
                    if let Some(e) = decode_env(cx, e, &index(&p, i)) {
                        c.env.push(e);
                    }
                }
            }
            "envFrom" => {
                for (i, e) in cx.items(val, &p).iter().enumerate() {
                    if let Some(e) = decode_env_from(cx, e, &index(&p, i)) {
                        c.env_from.push(e);
                    }
                }
            }
            "resources" => c.resources = decode_resources(cx, val, &p),
            "volumeMounts" => {
                for (i, m) in cx.items(val, &p).iter().enumerate() {
                    if let Some(m) = decode_volume_mount(cx, m, &index(&p, i)) {
                        c.volume_mounts.push(m);
                    }
                }
            }
            "livenessProbe" => c.liveness_probe = decode_probe(cx, val, &p, ProbeKind::Liveness),
            "readinessProbe" => c.readiness_probe = decode_probe(cx, val, &p, ProbeKind::Readiness),
            "startupProbe" => c.startup_probe = decode_probe(cx, val, &p, ProbeKind::Startup),
            "lifecycle" => c.lifecycle = decode_lifecycle(cx, val, &p),
            "restartPolicy" => c.restart_policy = decode_restart_policy(cx, val, &p),
            "terminationMessagePath" => {
                if let Some(s) = cx.string(val, &p).filter(|s| !s.is_empty()) {
                    c.termination_message_path = s;
                }
            }
            "terminationMessagePolicy" => {
                if let Some(s) = cx.string(val, &p).filter(|s| !s.is_empty()) {
                    // validation.go: validateContainers.
                    if s != "File" && s != "FallbackToLogsOnError" {
                        cx.invalid_at(val.pos, &p, &v::quote(&s), "must be 'File' or 'FallbackToLogsOnError'");
                    }
                    c.termination_message_policy = s;
                }
            }
            "securityContext" => {
                security::decode_container_security_context(cx, val, &p);
                cx.not_simulated(k, &p);
            }
            _ if CONTAINER_NOT_SIMULATED.contains(&name) => cx.not_simulated(k, &p),
            _ => cx.unknown(k, &p),
        }
    }
    c.image_pull_policy = pull_policy.unwrap_or_else(|| default_pull_policy(&c.image));
    Some(c)
}

fn decode_protocol(cx: &mut Ctx, node: &Node, path: &str) -> String {
    match cx.string(node, path).filter(|s| !s.is_empty()) {
        Some(s) => {
            // supportedPortProtocols, listed sorted as sets.List() does.
            if !["SCTP", "TCP", "UDP"].contains(&s.as_str()) {
                cx.not_supported_at(node.pos, path, &s, &["SCTP", "TCP", "UDP"]);
            }
            s
        }
        None => "TCP".into(),
    }
}

fn decode_container_port(cx: &mut Ctx, node: &Node, path: &str) -> Option<ContainerPort> {
    let entries = cx.entries(node, path)?;
    let mut port = ContainerPort { name: None, container_port: 0, protocol: "TCP".into() };
    for (k, val) in entries {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "name" => port.name = cx.string(val, &p).filter(|s| !s.is_empty()),
            "containerPort" => port.container_port = cx.int32(val, &p).unwrap_or(0),
            "protocol" => port.protocol = decode_protocol(cx, val, &p),
            "hostPort" | "hostIP" => cx.not_simulated(k, &p),
            _ => cx.unknown(k, &p),
        }
    }
    Some(port)
}

fn decode_env(cx: &mut Ctx, node: &Node, path: &str) -> Option<EnvVar> {
    let entries = cx.entries(node, path)?;
    let mut env = EnvVar { name: String::new(), value: None, value_from: None };
    for (k, val) in entries {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "name" => env.name = cx.string(val, &p).unwrap_or_default(),
            "value" => env.value = cx.string(val, &p),
            "valueFrom" => {
                cx.src.record(&p, val);
                env.value_from = decode_env_source(cx, val, &p);
            }
            _ => cx.unknown(k, &p),
        }
    }
    if env.value_from.is_none() && env.value.is_none() {
        env.value = Some(String::new());
    }
    Some(env)
}

/// `envFrom[]`: a prefix and exactly one of configMapRef, secretRef
/// (`validateEnvFrom`).
fn decode_env_from(cx: &mut Ctx, node: &Node, path: &str) -> Option<EnvFromSource> {
    let entries = cx.entries(node, path)?;
    let mut out = EnvFromSource { prefix: String::new(), config_map: true, name: String::new(), optional: false };
    let mut sources = 0;
    for (k, val) in entries {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "prefix" => out.prefix = cx.string(val, &p).unwrap_or_default(),
            "configMapRef" | "secretRef" => {
                sources += 1;
                out.config_map = name == "configMapRef";
                for (k2, v2) in cx.entries(val, &p).unwrap_or(&[]) {
                    let n2 = key_text(k2);
                    let p2 = child(&p, n2);
                    match n2 {
                        "name" => out.name = cx.string(v2, &p2).unwrap_or_default(),
                        "optional" => out.optional = cx.boolean(v2, &p2).unwrap_or(false),
                        _ => cx.unknown(k2, &p2),
                    }
                }
                if out.name.is_empty() {
                    cx.error_at(val.pos, &child(&p, "name"), "Required value");
                }
            }
            _ => cx.unknown(k, &p),
        }
    }
    match sources {
        0 => {
            cx.error_at(node.pos, path, "Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`");
            None
        }
        1 => Some(out),
        _ => {
            cx.error_at(node.pos, path, "Invalid value: \"\": may not have more than one field specified at a time");
            None
        }
    }
}

/// `valueFrom`: exactly one of configMapKeyRef, secretKeyRef, fieldRef,
/// resourceFieldRef (`validateEnvVarValueFrom`).
fn decode_env_source(cx: &mut Ctx, node: &Node, path: &str) -> Option<EnvVarSource> {
    let mut found = None;
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        let source = match name {
            "configMapKeyRef" | "secretKeyRef" => {
                let (mut obj, mut key, mut optional) = (String::new(), String::new(), false);
                for (k2, v2) in cx.entries(val, &p).unwrap_or(&[]) {
                    let n2 = key_text(k2);
                    let p2 = child(&p, n2);
                    match n2 {
                        "name" => obj = cx.string(v2, &p2).unwrap_or_default(),
                        "key" => key = cx.string(v2, &p2).unwrap_or_default(),
                        "optional" => optional = cx.boolean(v2, &p2).unwrap_or(false),
                        _ => cx.unknown(k2, &p2),
                    }
                }
                if key.is_empty() {
                    cx.error_at(val.pos, &child(&p, "key"), "Required value");
                }
                if name == "configMapKeyRef" {
                    EnvVarSource::ConfigMapKey { name: obj, key, optional }
                } else {
                    EnvVarSource::SecretKey { name: obj, key, optional }
                }
            }
            "fieldRef" => {
                let mut field_path = String::new();
                for (k2, v2) in cx.entries(val, &p).unwrap_or(&[]) {
                    let n2 = key_text(k2);
                    let p2 = child(&p, n2);
                    match n2 {
                        "fieldPath" => field_path = cx.string(v2, &p2).unwrap_or_default(),
                        "apiVersion" => {
                            cx.string(v2, &p2);
                        }
                        _ => cx.unknown(k2, &p2),
                    }
                }
                if field_path.is_empty() {
                    cx.error_at(val.pos, &child(&p, "fieldPath"), "Required value");
                } else if !env_field_path_supported(&field_path) {
                    // `validEnvDownwardAPIFieldPathExpressions`, validation.go.
                    cx.error_at(
                        val.pos,
                        &child(&p, "fieldPath"),
                        format!(
                            "Unsupported value: \"{field_path}\": supported values: {}",
                            ENV_FIELD_PATHS.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(", ")
                        ),
                    );
                }
                EnvVarSource::Field { field_path }
            }
            "resourceFieldRef" => {
                let mut resource = String::new();
                for (k2, v2) in cx.entries(val, &p).unwrap_or(&[]) {
                    let n2 = key_text(k2);
                    let p2 = child(&p, n2);
                    match n2 {
                        "resource" => resource = cx.string(v2, &p2).unwrap_or_default(),
                        "containerName" => {
                            cx.string(v2, &p2);
                        }
                        "divisor" => cx.not_simulated(k2, &p2),
                        _ => cx.unknown(k2, &p2),
                    }
                }
                if resource.is_empty() {
                    cx.error_at(val.pos, &child(&p, "resource"), "Required value");
                } else if !ENV_RESOURCES.contains(&resource.as_str()) {
                    cx.error_at(
                        val.pos,
                        &child(&p, "resource"),
                        format!(
                            "Unsupported value: \"{resource}\": supported values: {}",
                            ENV_RESOURCES.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(", ")
                        ),
                    );
                }
                EnvVarSource::ResourceField { resource }
            }
            _ => {
                cx.unknown(k, &p);
                continue;
            }
        };
        if found.is_some() {
            cx.error_at(k.pos, path, "Invalid value: \"\": may not have more than one field specified at a time");
        }
        found = Some(source);
    }
    if found.is_none() {
        cx.error_at(node.pos, path, "Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
    }
    found
}

/// Field paths an env var's `fieldRef` may name, besides
/// `metadata.labels['KEY']` and `metadata.annotations['KEY']`
/// (`validEnvDownwardAPIFieldPathExpressions`, sorted as the API server lists them).
const ENV_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// Resources a `resourceFieldRef` may name (`validContainerResourceFieldPathExpressions`).
const ENV_RESOURCES: &[&str] = &[
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
];

fn env_field_path_supported(path: &str) -> bool {
    let subscripted = |prefix: &str| {
        path.strip_prefix(prefix)
            .and_then(|r| r.strip_prefix("['"))
            .and_then(|r| r.strip_suffix("']"))
            .is_some_and(|k| !k.is_empty())
    };
    ENV_FIELD_PATHS.contains(&path) || subscripted("metadata.labels") || subscripted("metadata.annotations")
}

/// A map of string to string (`data`, `stringData`); with `base64`, values
/// are decoded as the API server decodes a Secret's `data`.
fn decode_string_map(cx: &mut Ctx, node: &Node, path: &str, out: &mut BTreeMap<String, String>, base64: bool) {
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k).to_string();
        let p = key(path, &name);
        let Some(text) = cx.string(val, &p) else { continue };
        if base64 {
            match base64::decode_std(&text).map(|b| String::from_utf8_lossy(&b).into_owned()) {
                Ok(v) => {
                    out.insert(name, v);
                }
                // kubectl: `Secret in version "v1" cannot be handled as a
                // Secret: illegal base64 data at input byte N`.
                Err(i) => cx.error_at(
                    val.pos,
                    &p,
                    format!(
                        "illegal base64 data at input byte {i} (Secret data is base64; use stringData for plain text)"
                    ),
                ),
            }
        } else {
            out.insert(name, text);
        }
    }
}

fn decode_resource_list(cx: &mut Ctx, node: &Node, path: &str) -> ResourceList {
    let mut list = ResourceList::default();
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = key(path, name);
        match name {
            "cpu" => list.cpu_millis = cx.quantity(val, &p, 1000),
            "memory" => list.memory_bytes = cx.quantity(val, &p, 1),
            _ => {
                cx.src.record(&p, val);
                cx.not_simulated(k, &p);
            }
        }
    }
    list
}

fn decode_resources(cx: &mut Ctx, node: &Node, path: &str) -> Resources {
    let mut r = Resources::default();
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "limits" => r.limits = decode_resource_list(cx, val, &p),
            "requests" => r.requests = decode_resource_list(cx, val, &p),
            "claims" => cx.not_simulated(k, &p),
            _ => cx.unknown(k, &p),
        }
    }
    r
}

fn decode_volume_mount(cx: &mut Ctx, node: &Node, path: &str) -> Option<VolumeMount> {
    let entries = cx.entries(node, path)?;
    let mut m = VolumeMount { name: String::new(), mount_path: String::new(), read_only: false, sub_path: None };
    for (k, val) in entries {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "name" => m.name = cx.string(val, &p).unwrap_or_default(),
            "mountPath" => m.mount_path = cx.string(val, &p).unwrap_or_default(),
            "readOnly" => m.read_only = cx.boolean(val, &p).unwrap_or(false),
            "subPath" => m.sub_path = cx.string(val, &p).filter(|s| !s.is_empty()),
            "recursiveReadOnly" | "mountPropagation" | "subPathExpr" => cx.not_simulated(k, &p),
            _ => cx.unknown(k, &p),
        }
    }
    Some(m)
}

/// Decodes a volume source's mapping, returning the value of its one
/// identifying field (`name`, `secretName`, …) if `id_field` is given.
fn decode_source_fields(
    cx: &mut Ctx,
    node: &Node,
    path: &str,
    id_field: Option<&str>,
    others: &[&str],
) -> Option<String> {
    let mut id = None;
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        if Some(name) == id_field {
            id = cx.string(val, &p).filter(|s| !s.is_empty());
        } else if (name == "optional" || name == "items") && id_field.is_some() && others.contains(&"items") {
            // Read by `optional_flag` and `volume_items`.
        } else if others.contains(&name) {
            cx.not_simulated(k, &p);
        } else {
            cx.unknown(k, &p);
        }
    }
    if let (Some(f), None) = (id_field, &id) {
        cx.error_at(cx.src.pos(path), &child(path, f), "Required value");
    }
    id
}

/// A `hostPath` volume: `path` (required) and `type`, checked as
/// `validateHostPathType` (pkg/apis/core/validation/validation.go) does.
fn decode_host_path(cx: &mut Ctx, node: &Node, path: &str) -> VolumeSource {
    const TYPES: [&str; 8] =
        ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"];
    let (mut host, mut kind) = (String::new(), String::new());
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let p = child(path, key_text(k));
        match key_text(k) {
            "path" => host = cx.string(val, &p).unwrap_or_default(),
            "type" => {
                kind = cx.string(val, &p).unwrap_or_default();
                if !TYPES.contains(&kind.as_str()) {
                    cx.not_supported_at(val.pos, &p, &kind, &TYPES);
                }
            }
            _ => cx.unknown(k, &p),
        }
    }
    if host.is_empty() {
        cx.error_at(cx.src.pos(path), &child(path, "path"), "Required value");
    }
    VolumeSource::HostPath { path: host, kind }
}

/// A configMap or secret volume's `items` (`key`, `path`; `mode` is not
/// simulated), checked as `validateKeyToPath` does.
fn volume_items(cx: &mut Ctx, node: &Node, path: &str) -> Vec<KeyToPath> {
    let entries = cx.entries(node, path).unwrap_or(&[]);
    let Some((_, list)) = entries.iter().find(|(k, _)| key_text(k) == "items") else { return Vec::new() };
    let list_path = child(path, "items");
    let mut out = Vec::new();
    for (i, item) in cx.items(list, &list_path).iter().enumerate() {
        let ip = index(&list_path, i);
        let mut kp = KeyToPath { key: String::new(), path: String::new() };
        for (k, val) in cx.entries(item, &ip).unwrap_or(&[]) {
            let name = key_text(k);
            let p = child(&ip, name);
            match name {
                "key" => kp.key = cx.string(val, &p).unwrap_or_default(),
                "path" => kp.path = cx.string(val, &p).unwrap_or_default(),
                "mode" => cx.not_simulated(k, &p),
                _ => cx.unknown(k, &p),
            }
        }
        if kp.key.is_empty() {
            cx.error_at(item.pos, &child(&ip, "key"), "Required value");
        }
        if kp.path.is_empty() {
            cx.error_at(item.pos, &child(&ip, "path"), "Required value");
        } else if kp.path.starts_with('/') {
            let pos = cx.src.pos(&child(&ip, "path"));
            cx.error_at(
                pos,
                &child(&ip, "path"),
                format!("Invalid value: {}: must be a relative path", v::quote(&kp.path)),
            );
        } else if kp.path.split('/').any(|part| part == "..") {
            let pos = cx.src.pos(&child(&ip, "path"));
            cx.error_at(
                pos,
                &child(&ip, "path"),
                format!("Invalid value: {}: must not contain '..'", v::quote(&kp.path)),
            );
        }
        out.push(kp);
    }
    out
}

/// A volume source's `optional` flag (false when absent).
fn optional_flag(cx: &mut Ctx, node: &Node, path: &str) -> bool {
    let entries = cx.entries(node, path).unwrap_or(&[]);
    match entries.iter().find(|(k, _)| key_text(k) == "optional") {
        Some((_, v)) => cx.boolean(v, &child(path, "optional")).unwrap_or(false),
        None => false,
    }
}

fn decode_volume(cx: &mut Ctx, node: &Node, path: &str) -> Option<Volume> {
    let entries = cx.entries(node, path)?;
    let mut name = String::new();
    let mut source: Option<VolumeSource> = None;
    for (k, val) in entries {
        let key_name = key_text(k);
        let p = child(path, key_name);
        let this = match key_name {
            "name" => {
                name = cx.string(val, &p).unwrap_or_default();
                continue;
            }
            "emptyDir" => {
                decode_source_fields(cx, val, &p, None, &["medium", "sizeLimit"]);
                VolumeSource::EmptyDir
            }
            "configMap" => {
                let optional = optional_flag(cx, val, &p);
                let items = volume_items(cx, val, &p);
                VolumeSource::ConfigMap {
                    name: decode_source_fields(cx, val, &p, Some("name"), &["items", "defaultMode"])
                        .unwrap_or_default(),
                    optional,
                    items,
                }
            }
            "secret" => {
                let optional = optional_flag(cx, val, &p);
                let items = volume_items(cx, val, &p);
                VolumeSource::Secret {
                    secret_name: decode_source_fields(cx, val, &p, Some("secretName"), &["items", "defaultMode"])
                        .unwrap_or_default(),
                    optional,
                    items,
                }
            }
            "hostPath" => decode_host_path(cx, val, &p),
            "persistentVolumeClaim" => VolumeSource::PersistentVolumeClaim {
                claim_name: decode_source_fields(cx, val, &p, Some("claimName"), &["readOnly"]).unwrap_or_default(),
            },
            "downwardAPI" => VolumeSource::DownwardApi { items: volumes::decode_downward_api(cx, val, &p, true) },
            "projected" => VolumeSource::Projected { sources: volumes::decode_projected(cx, val, &p) },
            other if OTHER_VOLUME_TYPES.contains(&other) => {
                cx.src.record(&p, val);
                // Mounted, but empty: what it would hold is not simulated.
                cx.not_simulated(k, &p);
                VolumeSource::Other(other.to_string())
            }
            _ => {
                cx.unknown(k, &p);
                continue;
            }
        };
        if source.is_some() {
            // validation.go: validateVolumeSource.
            cx.error_at(k.pos, &p, "Forbidden: may not specify more than 1 volume type");
        } else {
            source = Some(this);
        }
    }
    match source {
        Some(source) => Some(Volume { name, source }),
        None => {
            cx.error_at(node.pos, path, "Required value: must specify a volume type");
            None
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

/// Which handler fields a probe or a lifecycle hook may use.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HandlerUse {
    Probe,
    Lifecycle,
}

/// Decodes one handler field (`exec`, `httpGet`, …) if `name` is one that
/// `usage` allows; `None` (and nothing consumed) otherwise.
fn decode_handler_field(
    cx: &mut Ctx,
    name: &str,
    node: &Node,
    path: &str,
    usage: HandlerUse,
) -> Option<Option<Handler>> {
    let handler = match (name, usage) {
        ("exec", _) => {
            let type_errors = cx.type_errors;
            let mut command = Vec::new();
            for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
                let f = key_text(k);
                let p = child(path, f);
                match f {
                    "command" => command = cx.string_list(val, &p),
                    _ => cx.unknown(k, &p),
                }
            }
            if command.is_empty() && cx.type_errors == type_errors {
                cx.error_at(cx.src.pos(path), &child(path, "command"), "Required value");
            }
            Handler::Exec { command }
        }
        ("httpGet", _) => {
            let mut path_v = String::from("/");
            let mut port = None;
            let mut host = None;
            let mut scheme = String::from("HTTP");
            let mut http_headers = Vec::new();
            for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
                let f = key_text(k);
                let p = child(path, f);
                match f {
                    "path" => {
                        if let Some(s) = cx.string(val, &p).filter(|s| !s.is_empty()) {
                            path_v = s;
                        }
                    }
                    "port" => port = cx.int_or_string(val, &p),
                    "host" => host = cx.string(val, &p).filter(|s| !s.is_empty()),
                    "scheme" => {
                        if let Some(s) = cx.string(val, &p).filter(|s| !s.is_empty()) {
                            if s != "HTTP" && s != "HTTPS" {
                                cx.not_supported_at(val.pos, &p, &s, &["HTTP", "HTTPS"]);
                            }
                            scheme = s;
                        }
                    }
                    "httpHeaders" => {
                        for (i, h) in cx.items(val, &p).iter().enumerate() {
                            let hp = index(&p, i);
                            let mut header = HttpHeader { name: String::new(), value: String::new() };
                            for (hk, hv) in cx.entries(h, &hp).unwrap_or(&[]) {
                                let hf = key_text(hk);
                                let hfp = child(&hp, hf);
                                match hf {
                                    "name" => header.name = cx.string(hv, &hfp).unwrap_or_default(),
                                    "value" => header.value = cx.string(hv, &hfp).unwrap_or_default(),
                                    _ => cx.unknown(hk, &hfp),
                                }
                            }
                            v::check_header_name(cx, &header.name, &child(&hp, "name"));
                            http_headers.push(header);
                        }
                    }
                    _ => cx.unknown(k, &p),
                }
            }
            let port = port.unwrap_or(PortRef::Number(0));
            v::check_port_num_or_name(cx, &port, &child(path, "port"));
            Handler::HttpGet { path: path_v, port, host, scheme, http_headers }
        }
        ("tcpSocket", _) => {
            let mut port = None;
            let mut host = None;
            for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
                let f = key_text(k);
                let p = child(path, f);
                match f {
                    "port" => port = cx.int_or_string(val, &p),
                    "host" => host = cx.string(val, &p).filter(|s| !s.is_empty()),
                    _ => cx.unknown(k, &p),
                }
            }
            let port = port.unwrap_or(PortRef::Number(0));
            v::check_port_num_or_name(cx, &port, &child(path, "port"));
            Handler::TcpSocket { port, host }
        }
        ("grpc", HandlerUse::Probe) => {
            let mut port = 0;
            let mut service = None;
            for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
                let f = key_text(k);
                let p = child(path, f);
                match f {
                    "port" => port = cx.int32(val, &p).unwrap_or(0),
                    "service" => service = cx.string(val, &p),
                    _ => cx.unknown(k, &p),
                }
            }
            v::check_port_num_or_name(cx, &PortRef::Number(port), &child(path, "port"));
            Handler::Grpc { port, service }
        }
        ("sleep", HandlerUse::Lifecycle) => {
            let mut seconds = 0;
            for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
                let f = key_text(k);
                let p = child(path, f);
                match f {
                    "seconds" => seconds = cx.int(val, &p).unwrap_or(0),
                    _ => cx.unknown(k, &p),
                }
            }
            Handler::Sleep { seconds }
        }
        _ => return None,
    };
    Some(Some(handler))
}

/// Counts handlers as `validateHandler` does: the first one wins, a second
/// is `Forbidden`.
fn add_handler(cx: &mut Ctx, slot: &mut Option<Handler>, h: Handler, key_node: &Node, path: &str) {
    if slot.is_some() {
        cx.error_at(key_node.pos, path, "Forbidden: may not specify more than 1 handler type");
    } else {
        *slot = Some(h);
    }
}

fn decode_probe(cx: &mut Ctx, node: &Node, path: &str, kind: ProbeKind) -> Option<Probe> {
    let entries = cx.entries(node, path)?;
    let mut handler = None;
    let mut probe = Probe {
        handler: Handler::Exec { command: Vec::new() },
        initial_delay_seconds: 0,
        timeout_seconds: 1,
        period_seconds: 10,
        success_threshold: 1,
        failure_threshold: 3,
        termination_grace_period_seconds: None,
    };
    for (k, val) in entries {
        let name = key_text(k);
        let p = child(path, name);
        if let Some(h) = decode_handler_field(cx, name, val, &p, HandlerUse::Probe) {
            if let Some(h) = h {
                add_handler(cx, &mut handler, h, k, &p);
            }
            continue;
        }
        // SetDefaults_Probe: 0 means "use the default"; negative values fail
        // ValidateNonnegativeField.
        let number = |cx: &mut Ctx, default: i32| -> i32 {
            match cx.int32(val, &p) {
                Some(n) if n < 0 => {
                    cx.invalid_at(val.pos, &p, &n.to_string(), v::NEGATIVE_ERR);
                    default
                }
                Some(0) | None => default,
                Some(n) => n,
            }
        };
        match name {
            "initialDelaySeconds" => probe.initial_delay_seconds = number(cx, 0),
            "timeoutSeconds" => probe.timeout_seconds = number(cx, 1),
            "periodSeconds" => probe.period_seconds = number(cx, 10),
            "successThreshold" => {
                probe.success_threshold = number(cx, 1);
                if kind != ProbeKind::Readiness && probe.success_threshold != 1 {
                    // validation.go: validateContainers (liveness/startup-specific).
                    cx.invalid_at(val.pos, &p, &probe.success_threshold.to_string(), "must be 1");
                }
            }
            "failureThreshold" => probe.failure_threshold = number(cx, 3),
            "terminationGracePeriodSeconds" => {
                if let Some(t) = cx.int(val, &p) {
                    if kind == ProbeKind::Readiness {
                        cx.invalid_at(val.pos, &p, &t.to_string(), "must not be set for readinessProbes");
                    } else if t <= 0 {
                        cx.invalid_at(val.pos, &p, &t.to_string(), "must be greater than 0");
                    }
                    probe.termination_grace_period_seconds = Some(t);
                }
            }
            _ => cx.unknown(k, &p),
        }
    }
    match handler {
        Some(h) => {
            probe.handler = h;
            Some(probe)
        }
        None => {
            cx.error_at(node.pos, path, "Required value: must specify a handler type");
            None
        }
    }
}

fn decode_lifecycle_handler(cx: &mut Ctx, node: &Node, path: &str) -> Option<Handler> {
    let entries = cx.entries(node, path)?;
    let mut handler = None;
    for (k, val) in entries {
        let name = key_text(k);
        let p = child(path, name);
        match decode_handler_field(cx, name, val, &p, HandlerUse::Lifecycle) {
            Some(Some(h)) => add_handler(cx, &mut handler, h, k, &p),
            Some(None) => {}
            None => cx.unknown(k, &p),
        }
    }
    if handler.is_none() {
        cx.error_at(node.pos, path, "Required value: must specify a handler type");
    }
    handler
}

fn decode_lifecycle(cx: &mut Ctx, node: &Node, path: &str) -> Lifecycle {
    let mut l = Lifecycle::default();
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "postStart" => l.post_start = decode_lifecycle_handler(cx, val, &p),
            "preStop" => l.pre_stop = decode_lifecycle_handler(cx, val, &p),
            "stopSignal" => cx.not_simulated(k, &p),
            _ => cx.unknown(k, &p),
        }
    }
    l
}

fn decode_service_spec(cx: &mut Ctx, node: &Node) -> ServiceSpec {
    let mut spec =
        ServiceSpec { selector: BTreeMap::new(), ports: Vec::new(), cluster_ip: None, type_: "ClusterIP".into() };
    for (k, val) in cx.entries(node, "spec").unwrap_or(&[]) {
        let name = key_text(k);
        let p = child("spec", name);
        match name {
            "selector" => spec.selector = cx.string_map(val, &p),
            "ports" => {
                for (i, port) in cx.items(val, &p).iter().enumerate() {
                    if let Some(port) = decode_service_port(cx, port, &index(&p, i)) {
                        spec.ports.push(port);
                    }
                }
            }
            "clusterIP" => spec.cluster_ip = cx.string(val, &p).filter(|s| !s.is_empty()),
            "type" => {
                if let Some(s) = cx.string(val, &p).filter(|s| !s.is_empty()) {
                    const TYPES: [&str; 4] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
                    if !TYPES.contains(&s.as_str()) {
                        cx.not_supported_at(val.pos, &p, &s, &TYPES);
                    }
                    spec.type_ = s;
                }
            }
            _ if SERVICE_SPEC_NOT_SIMULATED.contains(&name) => cx.not_simulated(k, &p),
            _ => cx.unknown(k, &p),
        }
    }
    spec
}

fn decode_service_port(cx: &mut Ctx, node: &Node, path: &str) -> Option<ServicePort> {
    let entries = cx.entries(node, path)?;
    let mut port = ServicePort { name: None, protocol: "TCP".into(), port: 0, target_port: PortRef::Number(0) };
    let mut target = None;
    for (k, val) in entries {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "name" => port.name = cx.string(val, &p).filter(|s| !s.is_empty()),
            "protocol" => port.protocol = decode_protocol(cx, val, &p),
            "port" => port.port = cx.int32(val, &p).unwrap_or(0),
            "targetPort" => target = cx.int_or_string(val, &p),
            "appProtocol" | "nodePort" => cx.not_simulated(k, &p),
            _ => cx.unknown(k, &p),
        }
    }
    // SetDefaults_Service: targetPort defaults to port (also when 0 or "").
    port.target_port = match target {
        Some(PortRef::Number(0)) | None => PortRef::Number(port.port),
        Some(PortRef::Name(n)) if n.is_empty() => PortRef::Number(port.port),
        Some(t) => t,
    };
    Some(port)
}

impl Ctx {
    /// Takes in the diagnostics and positions of a nested decode (a Pod
    /// template), its paths put under `prefix`.
    pub(super) fn absorb(&mut self, sub: Ctx, prefix: &str) {
        let under = |path: &str| if path.is_empty() { prefix.to_string() } else { format!("{prefix}.{path}") };
        self.type_errors += sub.type_errors;
        for mut d in sub.diags {
            let old = d.path.clone();
            d.path = under(&old);
            if !old.is_empty() {
                // `unknown field "spec.x"` names the path in its message too.
                d.message = d.message.replace(&format!("\"{old}\""), &format!("\"{}\"", d.path));
            }
            self.diags.push(d);
        }
        for (path, entry) in sub.src.entries {
            self.src.entries.insert(under(&path), entry);
        }
    }

    /// Packs up this object's diagnostics.
    pub(super) fn finish(self, object: Option<Object>) -> Outcome {
        let failed = self.diags.iter().any(|d| d.severity == Severity::Error);
        Outcome { object: if failed { None } else { object }, diagnostics: self.diags }
    }
}
