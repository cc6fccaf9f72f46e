//! Validation as the API server does it, with its message texts.
//!
//! Sources (kubernetes/kubernetes):
//! * `pkg/apis/core/validation/validation.go` — `ValidatePodSpec`,
//!   `validateContainers`, `validateInitContainers`, `ValidateVolumeMounts`,
//!   `validateContainerPorts`, `validateProbe`, `validateHandler`,
//!   `ValidateService`;
//! * `staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go` —
//!   `IsDNS1123Label`, `IsDNS1123Subdomain`, `IsDNS1035Label`,
//!   `IsQualifiedName`, `IsValidLabelValue`, `IsValidPortName`,
//!   `IsValidPortNum`, `IsHTTPHeaderName`, `IsRelaxedEnvVarName`,
//!   `RegexError`, `InclusiveRangeError`;
//! * `staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go` —
//!   the `Required value`, `Invalid value: …`, `Unsupported value: …`,
//!   `Duplicate value: …`, `Not found: …` and `Forbidden: …` forms.
//!
//! Checks on a single value are called from the decoder (which knows where
//! the value is); the cross-field checks below run on the decoded, defaulted
//! object and find positions through the [`SourceMap`].

use std::collections::BTreeSet;

use super::decode::{child, index, key, SourceMap};
use super::{Diagnostic, Severity};
use crate::core::api::*;

/// `ValidateNonnegativeField`'s message.
pub(super) const NEGATIVE_ERR: &str = "must be greater than or equal to 0";

/// The error `resource.Quantity` gives for text that is not a quantity.
pub(super) const QUANTITY_ERR: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const DNS1123_LABEL_ERR: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_ERR: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1035_LABEL_ERR: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const QUALIFIED_NAME_ERR: &str =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE_ERR: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";

/// Per-object decoding and validation state.
#[derive(Debug, Default)]
pub(super) struct Ctx {
    /// This object's diagnostics so far.
    pub diags: Vec<Diagnostic>,
    /// Decoding (type) errors: when there are any, cross-field validation is
    /// skipped, as the API server never gets to validate an object it could
    /// not decode.
    pub type_errors: usize,
    /// Positions of decoded values.
    pub src: SourceMap,
}

impl Ctx {
    pub(super) fn error_at(&mut self, pos: Pos, path: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic { severity: Severity::Error, pos, path: path.to_string(), message: message.into() });
    }

    pub(super) fn warn_at(&mut self, pos: Pos, path: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic {
            severity: Severity::Warning,
            pos,
            path: path.to_string(),
            message: message.into(),
        });
    }

    /// `field.Invalid`: `Invalid value: <value>: <detail>`; `value` is
    /// already formatted (quoted for strings).
    pub(super) fn invalid_at(&mut self, pos: Pos, path: &str, value: &str, detail: &str) {
        self.error_at(pos, path, format!("Invalid value: {value}: {detail}"));
    }

    /// `field.Invalid` at the recorded position of `path`.
    fn invalid(&mut self, path: &str, value: &str, detail: &str) {
        let pos = self.src.pos(path);
        self.invalid_at(pos, path, value, detail);
    }

    /// `field.NotSupported`.
    pub(super) fn not_supported_at(&mut self, pos: Pos, path: &str, value: &str, valid: &[&str]) {
        let list: Vec<String> = valid.iter().map(|v| quote(v)).collect();
        self.error_at(pos, path, format!("Unsupported value: {}: supported values: {}", quote(value), list.join(", ")));
    }

    /// `field.Required` at the recorded position of `path` (or its parent).
    fn required(&mut self, path: &str, detail: &str) {
        let pos = self.src.pos(path);
        let msg = if detail.is_empty() { "Required value".to_string() } else { format!("Required value: {detail}") };
        self.error_at(pos, path, msg);
    }

    fn forbidden(&mut self, path: &str, detail: &str) {
        let pos = self.src.pos(path);
        self.error_at(pos, path, format!("Forbidden: {detail}"));
    }

    fn duplicate(&mut self, path: &str, value: &str) {
        let pos = self.src.pos(path);
        self.error_at(pos, path, format!("Duplicate value: {}", quote(value)));
    }

    fn not_found(&mut self, path: &str, value: &str) {
        let pos = self.src.pos(path);
        self.error_at(pos, path, format!("Not found: {}", quote(value)));
    }

    /// Reports each message of a string check as `Invalid value`.
    fn each_invalid(&mut self, path: &str, value: &str, msgs: Vec<String>) {
        for m in msgs {
            self.invalid(path, &quote(value), &m);
        }
    }
}

/// A string as Go's `%q` prints it.
pub(super) fn quote(s: &str) -> String {
    crate::core::gofmt::quote(s)
}

/// `InclusiveRangeError`.
pub(super) fn inclusive_range(lo: i64, hi: i64) -> String {
    format!("must be between {lo} and {hi}, inclusive")
}

/// `RegexError`, including its double space before "or".
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut out = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push_str(&format!("'{e}', "));
    }
    out.push_str(&format!("regex used for validation is '{fmt}')"));
    out
}

/// `IsConfigMapKey` (ConfigMap and Secret keys), with `hasChDirPrefix`.
pub(super) fn config_map_key(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push(max_len_error(253));
    }
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_')) {
        errs.push(regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+",
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    match s {
        "." => errs.push("must not be '.'".into()),
        ".." => errs.push("must not be '..'".into()),
        _ if s.starts_with("..") => errs.push("must not start with '..'".into()),
        _ => {}
    }
    errs
}

/// Every key of a ConfigMap's or Secret's data is a valid config key, reported
/// under the field it was written in.
fn validate_data_keys(cx: &mut Ctx, data: &std::collections::BTreeMap<String, String>, fields: &[&str]) {
    for k in data.keys() {
        let path = fields.iter().map(|f| key(f, k)).find(|p| cx.src.has(p)).unwrap_or_else(|| key(fields[0], k));
        cx.each_invalid(&path, k, config_map_key(k));
    }
}

fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

fn is_alnum_lower(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// Matches `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
fn label_regex(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) => {
            is_alnum_lower(f) && is_alnum_lower(l) && b.iter().all(|&c| is_alnum_lower(c) || c == b'-')
        }
        _ => false,
    }
}

/// `IsDNS1123Label`.
pub(super) fn dns1123_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !label_regex(s) {
        errs.push(regex_error(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, &["my-name", "123-abc"]));
    }
    errs
}

/// `IsDNS1123Subdomain`.
pub(super) fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !s.split('.').all(label_regex) {
        errs.push(regex_error(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, &["example.com"]));
    }
    errs
}

/// `IsDNS1035Label`.
pub(super) fn dns1035_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !(label_regex(s) && s.as_bytes().first().is_some_and(u8::is_ascii_lowercase)) {
        errs.push(regex_error(DNS1035_LABEL_ERR, DNS1035_LABEL_FMT, &["my-name", "abc-123"]));
    }
    errs
}

/// Matches `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
fn qualified_regex(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => {
            f.is_ascii_alphanumeric()
                && l.is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// `IsQualifiedName` (label and annotation keys).
pub(super) fn qualified_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = s.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(dns1123_subdomain(prefix).into_iter().map(|m| format!("prefix part {m}")));
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len_error(63)));
    }
    if !qualified_regex(name) {
        errs.push(format!(
            "name part {}",
            regex_error(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
        ));
    }
    errs
}

/// `IsValidLabelValue`.
pub(super) fn label_value(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !(s.is_empty() || qualified_regex(s)) {
        errs.push(regex_error(LABEL_VALUE_ERR, LABEL_VALUE_FMT, &["MyValue", "my_value", "12345"]));
    }
    errs
}

/// `IsValidPortName`.
pub(super) fn port_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 15 {
        errs.push(max_len_error(15));
    }
    if s.is_empty() || !s.bytes().all(|c| is_alnum_lower(c) || c == b'-') {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".into());
    }
    if !s.bytes().any(|c| c.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".into());
    }
    if s.contains("--") {
        errs.push("must not contain consecutive hyphens".into());
    }
    if s.starts_with('-') || s.ends_with('-') {
        errs.push("must not begin or end with a hyphen".into());
    }
    errs
}

/// `IsValidPortNum`.
fn port_num(p: i32) -> Vec<String> {
    if (1..=65535).contains(&p) {
        Vec::new()
    } else {
        vec![inclusive_range(1, 65535)]
    }
}

/// `ValidatePortNumOrName`, at the recorded position of `path`.
pub(super) fn check_port_num_or_name(cx: &mut Ctx, port: &PortRef, path: &str) {
    match port {
        PortRef::Number(n) => {
            for m in port_num(*n) {
                cx.invalid(path, &n.to_string(), &m);
            }
        }
        PortRef::Name(n) => {
            let msgs = port_name(n);
            cx.each_invalid(path, n, msgs);
        }
    }
}

/// `IsHTTPHeaderName`, reported on `…httpHeaders` as `validateHTTPGetAction`
/// does; `path` is the header's `name` field.
pub(super) fn check_header_name(cx: &mut Ctx, name: &str, path: &str) {
    if name.is_empty() || !name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') {
        let headers = path.rfind('[').map_or(path, |i| &path[..i]).to_string();
        let pos = cx.src.pos(path);
        cx.invalid_at(
            pos,
            &headers,
            &quote(name),
            &regex_error(
                "a valid HTTP header must consist of alphanumeric characters or '-'",
                "[-A-Za-z0-9]+",
                &["X-Header-Name"],
            ),
        );
    }
}

/// True when `text` matches the quantity syntax
/// `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$` and is short enough to be
/// handled safely (an absurd exponent is refused here, before
/// [`parse_quantity`] sees it).
pub(super) fn quantity_syntax_ok(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t.len() > 64 {
        return false;
    }
    let b = t.as_bytes();
    let mut i = 0;
    if matches!(b[0], b'+' | b'-') {
        i = 1;
    }
    let num_start = i;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    if i == num_start {
        return false;
    }
    while i < b.len() && b"eEinumkKMGTP".contains(&b[i]) {
        i += 1;
    }
    let exp_sign = i;
    if i < b.len() && matches!(b[i], b'+' | b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    // Exponents beyond three digits overflow any quantity podplay can hold.
    i == b.len() && i - digits_start <= 3 && (exp_sign == digits_start || i > digits_start)
}

/// A deterministic stand-in for the API server's random 5-character
/// `generateName` suffix: FNV-1a of the prefix and the object's position,
/// mapped onto the same alphabet the API server uses.
fn generated_suffix(prefix: &str, pos: Pos) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in prefix.bytes().chain(pos.line.to_le_bytes()).chain(pos.col.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (0..5)
        .map(|i| {
            let idx = ((h >> (i * 12)) % ALPHABET.len() as u64) as usize;
            char::from(ALPHABET[idx])
        })
        .collect()
}

pub(super) fn validate_labels(cx: &mut Ctx, labels: &std::collections::BTreeMap<String, String>, path: &str) {
    for (k, val) in labels {
        let kpos = cx.src.pos(&key(path, k));
        for m in qualified_name(k) {
            cx.invalid_at(kpos, path, &quote(k), &m);
        }
        let vpos = cx.src.pos(&format!("{}#value", key(path, k)));
        for m in label_value(val) {
            cx.invalid_at(vpos, path, &quote(val), &m);
        }
    }
}

fn validate_meta(cx: &mut Ctx, meta: &mut ObjectMeta, generate_name: Option<&str>, kind: &str) {
    if meta.name.is_empty() {
        match generate_name.filter(|g| !g.is_empty()) {
            Some(g) => meta.name = format!("{g}{}", generated_suffix(g, meta.pos)),
            None => cx.required("metadata.name", "name or generateName is required"),
        }
    }
    if !meta.name.is_empty() {
        let name = meta.name.clone();
        // Pods are named as DNS subdomains, Services as DNS-1035 labels,
        // Namespaces as DNS-1123 labels (`ValidateNamespaceName`).
        let msgs = match kind {
            "Service" => dns1035_label(&name),
            "Namespace" => dns1123_label(&name),
            _ => dns1123_subdomain(&name),
        };
        let path = if cx.src.has("metadata.name") { "metadata.name" } else { "metadata.generateName" };
        cx.each_invalid(path, &name, msgs);
    }
    let ns = meta.namespace.clone();
    cx.each_invalid("metadata.namespace", &ns, dns1123_label(&ns));
    validate_labels(cx, &meta.labels, "metadata.labels");
    for k in meta.annotations.keys() {
        let pos = cx.src.pos(&key("metadata.annotations", k));
        for m in qualified_name(&k.to_ascii_lowercase()) {
            cx.invalid_at(pos, "metadata.annotations", &quote(k), &m);
        }
    }
}

/// Validates a decoded object (and fills `metadata.name` from
/// `generateName`). Skipped when decoding found type errors.
pub(super) fn validate_object(cx: &mut Ctx, object: &mut Object, generate_name: Option<&str>) {
    if cx.type_errors > 0 {
        return;
    }
    let kind = object.kind();
    // Every kind's metadata (`ValidateObjectMeta`); a Node's name is checked
    // as it is decoded (a DNS subdomain).
    if kind == "Node" {
        validate_labels(cx, &object.meta().labels, "metadata.labels");
    } else {
        validate_meta(cx, object.meta_mut(), generate_name, kind);
    }
    // Then what a kind checks beyond it.
    match object {
        Object::Pod(pod) => validate_pod_spec(cx, &pod.spec),
        Object::Service(svc) => validate_service_spec(cx, &svc.spec),
        // `ValidateCronJobCreate`: room for the Job names' 11-character suffix.
        Object::CronJob(c) if c.metadata.name.len() > 52 => {
            let name = quote(&c.metadata.name);
            cx.invalid("metadata.name", &name, "must be no more than 52 characters");
        }
        Object::ConfigMap(cm) => validate_data_keys(cx, &cm.data, &["data"]),
        Object::Secret(secret) => validate_data_keys(cx, &secret.data, &["data", "stringData"]),
        _ => {}
    }
}

pub(super) fn validate_pod_spec(cx: &mut Ctx, spec: &PodSpec) {
    // Volumes: names and uniqueness (ValidateVolumes).
    let mut volume_names = BTreeSet::new();
    for (i, vol) in spec.volumes.iter().enumerate() {
        let p = child(&index("spec.volumes", i), "name");
        if vol.name.is_empty() {
            cx.required(&p, "");
        } else {
            cx.each_invalid(&p, &vol.name, dns1123_label(&vol.name));
            if !volume_names.insert(vol.name.clone()) {
                cx.duplicate(&p, &vol.name);
            }
        }
    }

    // Containers (validateContainers): required, names unique across init
    // and regular containers.
    if spec.containers.is_empty() {
        cx.required("spec.containers", "");
    }
    let mut names = BTreeSet::new();
    for (i, c) in spec.containers.iter().enumerate() {
        let p = index("spec.containers", i);
        validate_container(cx, c, &p, spec, &volume_names);
        if !c.name.is_empty() && !names.insert(c.name.to_string()) {
            cx.duplicate(&child(&p, "name"), &c.name);
        }
        if c.restart_policy.is_some() {
            cx.forbidden(&child(&p, "restartPolicy"), "may not be set for non-init containers");
        }
    }
    for (i, c) in spec.init_containers.iter().enumerate() {
        let p = index("spec.initContainers", i);
        validate_container(cx, c, &p, spec, &volume_names);
        if !c.name.is_empty() && !names.insert(c.name.to_string()) {
            cx.duplicate(&child(&p, "name"), &c.name);
        }
        // validateInitContainers: only `Always` (a sidecar) is allowed.
        match c.restart_policy {
            Some(RestartPolicy::Always) => {}
            Some(other) => {
                let rp = child(&p, "restartPolicy");
                let pos = cx.src.pos(&rp);
                cx.not_supported_at(pos, &rp, other.as_str(), &["Always"]);
            }
            None => {
                const DETAIL: &str = "may not be set for init containers without restartPolicy=Always";
                for (set, field) in [
                    (cx.src.has(&child(&p, "lifecycle")), "lifecycle"),
                    (c.liveness_probe.is_some(), "livenessProbe"),
                    (c.readiness_probe.is_some(), "readinessProbe"),
                    (c.startup_probe.is_some(), "startupProbe"),
                ] {
                    if set {
                        cx.forbidden(&child(&p, field), DETAIL);
                    }
                }
            }
        }
    }

    if let Some(h) = &spec.hostname {
        cx.each_invalid("spec.hostname", h, dns1123_label(h));
    }
    if let Some(s) = &spec.subdomain {
        cx.each_invalid("spec.subdomain", s, dns1123_label(s));
    }
    if let Some(n) = &spec.node_name {
        cx.each_invalid("spec.nodeName", n, dns1123_subdomain(n));
    }
    validate_labels(cx, &spec.node_selector, "spec.nodeSelector");
    let sa = spec.service_account_name.clone();
    cx.each_invalid("spec.serviceAccountName", &sa, dns1123_subdomain(&sa));
    let sched = spec.scheduler_name.clone();
    cx.each_invalid("spec.schedulerName", &sched, dns1123_subdomain(&sched));
}

fn validate_container(cx: &mut Ctx, c: &Container, path: &str, spec: &PodSpec, volumes: &BTreeSet<String>) {
    let name_path = child(path, "name");
    if c.name.is_empty() {
        cx.required(&name_path, "");
    } else {
        cx.each_invalid(&name_path, &c.name, dns1123_label(&c.name));
    }
    if c.image.is_empty() {
        cx.required(&child(path, "image"), "");
    }

    // validateContainerPorts.
    let mut port_names = BTreeSet::new();
    for (i, port) in c.ports.iter().enumerate() {
        let p = index(&child(path, "ports"), i);
        if let Some(n) = &port.name {
            let np = child(&p, "name");
            let msgs = port_name(n);
            if !msgs.is_empty() {
                cx.each_invalid(&np, n, msgs);
            } else if !port_names.insert(n.to_string()) {
                cx.duplicate(&np, n);
            }
        }
        let cp = child(&p, "containerPort");
        if port.container_port == 0 {
            cx.required(&cp, "");
        } else {
            for m in port_num(port.container_port) {
                cx.invalid(&cp, &port.container_port.to_string(), &m);
            }
        }
    }

    // ValidateEnv (with RelaxedEnvironmentVariableValidation, GA in 1.34).
    for (i, e) in c.env.iter().enumerate() {
        let np = child(&index(&child(path, "env"), i), "name");
        if e.name.is_empty() {
            cx.required(&np, "");
        } else if !e.name.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'=') {
            cx.invalid(
                &np,
                &quote(&e.name),
                "a valid environment variable name must consist only of printable ASCII characters other than '='",
            );
        }
    }

    // ValidateVolumeMounts.
    let mut mount_paths = BTreeSet::new();
    for (i, m) in c.volume_mounts.iter().enumerate() {
        let p = index(&child(path, "volumeMounts"), i);
        let np = child(&p, "name");
        if m.name.is_empty() {
            cx.required(&np, "");
        } else if !volumes.contains(m.name.as_str()) {
            cx.not_found(&np, &m.name);
        }
        let mp = child(&p, "mountPath");
        if m.mount_path.is_empty() {
            cx.required(&mp, "");
        } else if !mount_paths.insert(m.mount_path.to_string()) {
            cx.invalid(&mp, &quote(&m.mount_path), "must be unique");
        }
        if let Some(sp) = &m.sub_path {
            // validateLocalDescendingPath.
            let spp = child(&p, "subPath");
            if sp.starts_with('/') {
                cx.invalid(&spp, &quote(sp), "must be a relative path");
            }
            if sp.split(['/', '\\']).any(|part| part == "..") {
                cx.invalid(&spp, &quote(sp), "must not contain '..'");
            }
        }
    }

    // Probes: a named port must be one of this container's ports (the
    // kubelet could not resolve it otherwise).
    for (probe, field) in [
        (&c.liveness_probe, "livenessProbe"),
        (&c.readiness_probe, "readinessProbe"),
        (&c.startup_probe, "startupProbe"),
    ] {
        let Some(probe) = probe else { continue };
        let (port, kind) = match &probe.handler {
            Handler::HttpGet { port, .. } => (port, "httpGet"),
            Handler::TcpSocket { port, .. } => (port, "tcpSocket"),
            Handler::Exec { .. } | Handler::Grpc { .. } | Handler::Sleep { .. } => continue,
        };
        if let PortRef::Name(n) = port {
            let named = c.ports.iter().any(|p| p.name.as_deref() == Some(n.as_str()));
            if !named && port_name(n).is_empty() {
                let pp = child(&child(&child(path, field), kind), "port");
                cx.invalid(&pp, &quote(n), "must be the name of one of this container's ports");
            }
        }
    }

    // validateSleepAction (PodLifecycleSleepActionAllowZero).
    let grace = spec.termination_grace_period_seconds;
    for (hook, field) in [(&c.lifecycle.post_start, "postStart"), (&c.lifecycle.pre_stop, "preStop")] {
        if let Some(Handler::Sleep { seconds }) = hook {
            if *seconds < 0 || *seconds > grace {
                let sp = child(&child(&child(&child(path, "lifecycle"), field), "sleep"), "seconds");
                cx.invalid(
                    &sp,
                    &seconds.to_string(),
                    &format!("must be non-negative and less than terminationGracePeriodSeconds ({grace})"),
                );
            }
        }
    }

    // ValidateResourceRequirements: requests may not exceed limits.
    let r = &c.resources;
    let rp = child(path, "resources");
    for (name, req, lim) in [
        ("cpu", r.requests.cpu_millis, r.limits.cpu_millis),
        ("memory", r.requests.memory_bytes, r.limits.memory_bytes),
    ] {
        if let (Some(req), Some(lim)) = (req, lim) {
            if req > lim {
                let req_path = key(&child(&rp, "requests"), name);
                let lim_path = key(&child(&rp, "limits"), name);
                let req_text = cx.src.text(&req_path).unwrap_or("").to_string();
                let lim_text = cx.src.text(&lim_path).unwrap_or("").to_string();
                cx.invalid(
                    &req_path,
                    &quote(&req_text),
                    &format!("must be less than or equal to {name} limit of {lim_text}"),
                );
            }
        }
    }
}

fn validate_service_spec(cx: &mut Ctx, spec: &ServiceSpec) {
    let headless = spec.cluster_ip.as_deref() == Some("None");
    if spec.ports.is_empty() && !headless && spec.type_ != "ExternalName" {
        cx.required("spec.ports", "");
    }
    let require_name = spec.ports.len() > 1;
    let mut names = BTreeSet::new();
    for (i, port) in spec.ports.iter().enumerate() {
        let p = index("spec.ports", i);
        let np = child(&p, "name");
        match &port.name {
            None if require_name => cx.required(&np, ""),
            None => {}
            Some(n) => {
                cx.each_invalid(&np, n, dns1123_label(n));
                if !names.insert(n.to_string()) {
                    cx.duplicate(&np, n);
                }
            }
        }
        for m in port_num(port.port) {
            cx.invalid(&child(&p, "port"), &port.port.to_string(), &m);
        }
        // A defaulted targetPort repeats `port`, already reported above.
        let tp = child(&p, "targetPort");
        if cx.src.has(&tp) {
            check_port_num_or_name(cx, &port.target_port, &tp);
        }
    }
    if let Some(ip) = &spec.cluster_ip {
        if ip != "None" && ip.parse::<std::net::IpAddr>().is_err() {
            cx.invalid("spec.clusterIP", &quote(ip), "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        }
    }
    validate_labels(cx, &spec.selector, "spec.selector");
}
