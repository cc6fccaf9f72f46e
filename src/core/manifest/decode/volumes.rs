//! `downwardAPI` and `projected` volume sources, decoded with the checks of
//! `pkg/apis/core/validation/validation.go` (`validateDownwardAPIVolumeSource`,
//! `validateDownwardAPIVolumeFile`, `validateObjectFieldSelector`,
//! `validateContainerResourceFieldSelector`, `validateContainerResourceDivisor`,
//! `validateProjectionSources`, `ValidateLocalNonReservedPath`) and the
//! field-label conversion of `pkg/apis/core/pods/helpers.go`
//! (`ConvertDownwardAPIFieldLabel`).
//!
//! The API server names a downwardAPI item's errors after the volume source,
//! not the item (`spec.volumes[0].downwardAPI.path`, not `...items[0].path`):
//! `validateDownwardAPIVolumeSource` passes its own path to each item. The
//! messages keep that; line and column point at the item's field.

use super::super::validate as v;
use super::{child, decode_source_fields, index, key_text, volume_items, Ctx};
use crate::core::api::*;
use crate::core::yaml::Node;
use std::collections::BTreeSet;

/// `fileModeErrorMsg`.
const FILE_MODE_ERR: &str = "must be a number between 0 and 0777 (octal), both inclusive";

/// `validVolumeDownwardAPIFieldPathExpressions` (sorted, as `NotSupported` lists them).
const VOLUME_FIELD_PATHS: &[&str] =
    &["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"];

/// Field labels `ConvertDownwardAPIFieldLabel` knows for Pods (`spec.host`
/// is converted to `spec.nodeName`).
const POD_FIELD_LABELS: &[&str] = &[
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.serviceAccountName",
    "spec.schedulerName",
    "status.phase",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// `validContainerResourceFieldPathExpressions`: the same list as an env var's.
use super::ENV_RESOURCES as RESOURCES;

/// A `defaultMode` or `mode` value. kubectl reads YAML 1.1, where a plain
/// `0644` is octal (420), and manifests write modes that way; podplay's YAML
/// is 1.2 (`0644` is 644), so a mode written with a leading 0 is read as
/// octal here.
fn mode_value(cx: &mut Ctx, node: &Node, path: &str) -> Option<i64> {
    let mode = cx.int(node, path)?;
    let text = cx.src.text(path).unwrap_or_default();
    let octal = text.len() > 1 && text.starts_with('0') && text.bytes().all(|b| (b'0'..=b'7').contains(&b));
    Some(if octal { i64::from_str_radix(text, 8).unwrap_or(mode) } else { mode })
}

/// `defaultMode` or `mode`: accepted (podplay's files have no modes),
/// checked against 0..=0777; `api_path` names the error.
fn file_mode(cx: &mut Ctx, node: &Node, path: &str, api_path: &str) {
    if let Some(mode) = mode_value(cx, node, path) {
        if !(0..=0o777).contains(&mode) {
            cx.invalid_at(node.pos, api_path, &mode.to_string(), FILE_MODE_ERR);
        }
    }
}

/// `ValidateLocalNonReservedPath`, reported at `pos`.
fn local_path(cx: &mut Ctx, pos: crate::core::manifest::Pos, path: &str, value: &str) {
    if value.starts_with('/') {
        cx.invalid_at(pos, path, &v::quote(value), "must be a relative path");
    }
    if value.split('/').any(|part| part == "..") {
        cx.invalid_at(pos, path, &v::quote(value), "must not contain '..'");
    } else if value.starts_with("..") {
        cx.invalid_at(pos, path, &v::quote(value), "must not start with '..'");
    }
}

/// `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['k']` →
/// (`metadata.labels`, `k`).
pub(crate) fn split_subscript(field_path: &str) -> Option<(&str, &str)> {
    let s = field_path.strip_suffix("']")?;
    let (path, subscript) = s.split_once("['")?;
    (!path.is_empty()).then_some((path, subscript))
}

/// A downwardAPI source (a volume or a projection): `items` (and, for a
/// volume, `defaultMode`).
pub(super) fn decode_downward_api(cx: &mut Ctx, node: &Node, path: &str, volume: bool) -> Vec<DownwardApiFile> {
    let mut out = Vec::new();
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "items" => {
                for (i, item) in cx.items(val, &p).iter().enumerate() {
                    if let Some(f) = decode_file(cx, item, &index(&p, i), path) {
                        out.push(f);
                    }
                }
            }
            "defaultMode" if volume => file_mode(cx, val, &p, &p),
            _ => cx.unknown(k, &p),
        }
    }
    out
}

/// One `DownwardAPIVolumeFile` at `item_path`; errors are named under
/// `api_path` (the source's path, see the module doc).
fn decode_file(cx: &mut Ctx, node: &Node, item_path: &str, api_path: &str) -> Option<DownwardApiFile> {
    let entries = cx.entries(node, item_path)?;
    let mut path = String::new();
    let mut field: Option<(&Node, &Node)> = None;
    let mut resource: Option<(&Node, &Node)> = None;
    for (k, val) in entries {
        let name = key_text(k);
        let p = child(item_path, name);
        match name {
            "path" => path = cx.string(val, &p).unwrap_or_default(),
            "fieldRef" => field = Some((k, val)),
            "resourceFieldRef" => resource = Some((k, val)),
            "mode" => file_mode(cx, val, &p, &child(api_path, "mode")),
            _ => cx.unknown(k, &p),
        }
    }
    let path_pos = cx.src.pos(&child(item_path, "path"));
    if path.is_empty() {
        cx.error_at(node.pos, &child(api_path, "path"), "Required value");
    }
    local_path(cx, path_pos, &child(api_path, "path"), &path);
    let source = match (field, resource) {
        (Some((_, f)), r) => {
            let source = field_ref(cx, f, &child(item_path, "fieldRef"), &child(api_path, "fieldRef"));
            if let Some((rk, _)) = r {
                cx.invalid_at(
                    rk.pos,
                    api_path,
                    "\"resource\"",
                    "fieldRef and resourceFieldRef can not be specified simultaneously",
                );
            }
            source
        }
        (None, Some((_, r))) => {
            resource_field_ref(cx, r, &child(item_path, "resourceFieldRef"), &child(api_path, "resourceFieldRef"))
        }
        (None, None) => {
            cx.error_at(node.pos, api_path, "Required value: one of fieldRef and resourceFieldRef is required");
            None
        }
    };
    Some(DownwardApiFile { path, source: source? })
}

/// `fieldRef` of a volume file (`validateObjectFieldSelector` with the
/// volume's expressions, after `ConvertDownwardAPIFieldLabel`).
fn field_ref(cx: &mut Ctx, node: &Node, item_path: &str, api_path: &str) -> Option<DownwardApiSource> {
    let mut field_path = String::new();
    let mut version = "v1".to_string();
    for (k, val) in cx.entries(node, item_path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(item_path, name);
        match name {
            "fieldPath" => field_path = cx.string(val, &p).unwrap_or_default(),
            "apiVersion" => version = cx.string(val, &p).filter(|s| !s.is_empty()).unwrap_or_else(|| "v1".into()),
            _ => cx.unknown(k, &p),
        }
    }
    let fp_api = child(api_path, "fieldPath");
    let fp_pos = cx.src.pos(&child(item_path, "fieldPath"));
    if field_path.is_empty() {
        cx.error_at(fp_pos, &fp_api, "Required value");
        return None;
    }
    let convert_err = |why: String| format!("error converting fieldPath: {why}");
    let err = if version != "v1" {
        Some(convert_err(format!("unsupported pod version: {version}")))
    } else if let Some((path, subscript)) = split_subscript(&field_path) {
        match path {
            "metadata.annotations" | "metadata.labels" => {
                // `ValidateQualifiedName` of the key (annotation keys lowercased: ASCII
                // letters only, as for annotations themselves, see validate.rs).
                let key =
                    if path == "metadata.annotations" { subscript.to_ascii_lowercase() } else { subscript.to_string() };
                let msgs = v::qualified_name(&key);
                let ok = msgs.is_empty();
                for m in msgs {
                    cx.invalid_at(fp_pos, api_path, &v::quote(subscript), &m);
                }
                return ok.then_some(DownwardApiSource::Field { field_path });
            }
            _ => Some(convert_err(format!("field label does not support subscript: {field_path}"))),
        }
    } else if field_path == "spec.host" || POD_FIELD_LABELS.contains(&field_path.as_str()) {
        let internal = if field_path == "spec.host" { "spec.nodeName" } else { field_path.as_str() };
        if !VOLUME_FIELD_PATHS.contains(&internal) {
            cx.not_supported_at(fp_pos, &fp_api, internal, VOLUME_FIELD_PATHS);
            return None;
        }
        None
    } else {
        Some(convert_err(format!("field label not supported: {field_path}")))
    };
    if let Some(e) = err {
        cx.invalid_at(fp_pos, &fp_api, &v::quote(&field_path), &e);
        return None;
    }
    Some(DownwardApiSource::Field { field_path })
}

/// `resourceFieldRef` of a volume file (`validateContainerResourceFieldSelector`
/// with `volume` true: `containerName` is required).
fn resource_field_ref(cx: &mut Ctx, node: &Node, item_path: &str, api_path: &str) -> Option<DownwardApiSource> {
    let (mut container_name, mut resource) = (String::new(), String::new());
    let mut divisor_node: Option<&Node> = None;
    for (k, val) in cx.entries(node, item_path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(item_path, name);
        match name {
            "containerName" => container_name = cx.string(val, &p).unwrap_or_default(),
            "resource" => resource = cx.string(val, &p).unwrap_or_default(),
            "divisor" => divisor_node = Some(val),
            _ => cx.unknown(k, &p),
        }
    }
    let mut ok = true;
    let hugepages = resource.starts_with("limits.hugepages-") || resource.starts_with("requests.hugepages-");
    if container_name.is_empty() {
        cx.error_at(node.pos, &child(api_path, "containerName"), "Required value");
        ok = false;
    } else if resource.is_empty() {
        cx.error_at(node.pos, &child(api_path, "resource"), "Required value");
        ok = false;
    } else if !RESOURCES.contains(&resource.as_str()) && !hugepages {
        let pos = cx.src.pos(&child(item_path, "resource"));
        cx.not_supported_at(pos, &child(api_path, "resource"), &resource, RESOURCES);
        ok = false;
    }
    let mut divisor = 0;
    let mut divisor_text = None;
    if let Some(d) = divisor_node {
        let dp = child(item_path, "divisor");
        let scale = if resource.ends_with(".cpu") { 1000 } else { 1 };
        match cx.quantity(d, &dp, scale) {
            Some(q) => {
                let text = cx.src.text(&dp).unwrap_or_default().trim().to_string();
                // `validateContainerResourceDivisor`: the divisor's canonical
                // form must be one of a short list; a zero divisor is "unset".
                if q != 0 || parse_quantity(&text, 1_000_000_000) != Some(0) {
                    let msg = if resource.ends_with(".cpu") {
                        (!divisor_canonical_ok(&text, false))
                            .then_some("only divisor's values 1m and 1 are supported with the cpu resource")
                    } else if resource.ends_with(".memory") {
                        (!divisor_canonical_ok(&text, true)).then_some("only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource")
                    } else if resource.ends_with(".ephemeral-storage") {
                        (!divisor_canonical_ok(&text, true)).then_some("only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the local ephemeral storage resource")
                    } else {
                        None
                    };
                    if let Some(m) = msg {
                        cx.invalid_at(d.pos, &child(api_path, "divisor"), &v::quote(&resource), m);
                        ok = false;
                    }
                    divisor = q;
                    divisor_text = Some(text);
                }
            }
            None => ok = false,
        }
    }
    if ok && (hugepages || resource.ends_with(".ephemeral-storage")) {
        // podplay's nodes and containers have no ephemeral storage or huge pages.
        let pos = cx.src.pos(&child(item_path, "resource"));
        cx.warn_at(
            pos,
            &child(item_path, "resource"),
            format!("not simulated by podplay: \"{resource}\" (the file is not written)"),
        );
    }
    ok.then_some(DownwardApiSource::ResourceField { container_name, resource, divisor, divisor_text })
}

/// Whether a divisor's canonical form (`Quantity.String()`) is in the
/// allowed list: for CPU `1m` or `1`; for memory and ephemeral storage `1`,
/// `1k`…`1E` (decimal SI) or `1Ki`…`1Ei` (binary SI). The canonical form
/// keeps the format of the suffix written (`1000k` is `1M`, `1024Ki` is
/// `1Mi`, `1e3` stays `1e3`), and a binary value below 1024 is written in
/// decimal SI (`CanonicalizeBytes`, k8s.io/apimachinery resource/quantity.go).
fn divisor_canonical_ok(text: &str, memory: bool) -> bool {
    let suffix_at = text.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(text.len());
    let suffix = &text[suffix_at..];
    let binary = suffix.ends_with('i');
    // `1e3` (an exponent) but not `1E` or `1Ei` (exa, exbi).
    let exponent = suffix.len() > 1 && suffix.starts_with(['e', 'E']) && suffix[1..].parse::<i32>().is_ok();
    // The exact value in nano-units (Go quantities keep nine decimals).
    let Some(nanos) = parse_quantity(text, 1_000_000_000) else {
        // Too large for nano-units: only the big memory divisors remain.
        return memory && !exponent && big_memory_ok(text, binary);
    };
    const UNIT: i64 = 1_000_000_000;
    if exponent {
        return nanos == UNIT;
    }
    if !memory {
        return nanos == UNIT || nanos == UNIT / 1000;
    }
    let decimal_ok = |n: i64| {
        n % UNIT == 0 && {
            let mut v = n / UNIT;
            while v >= 1000 && v % 1000 == 0 {
                v /= 1000;
            }
            v == 1
        }
    };
    if binary && nanos >= 1024 * UNIT {
        nanos % UNIT == 0 && (nanos / UNIT).count_ones() == 1 && (nanos / UNIT).trailing_zeros() % 10 == 0
    } else {
        decimal_ok(nanos)
    }
}

/// [`divisor_canonical_ok`] for values beyond nano-unit range (≥ 9.2 G).
fn big_memory_ok(text: &str, binary: bool) -> bool {
    let Some(bytes) = parse_quantity(text, 1) else { return false };
    if parse_quantity(text, 1000).is_some_and(|m| m % 1000 != 0) {
        return false;
    }
    if binary {
        bytes.count_ones() == 1 && bytes.trailing_zeros() % 10 == 0
    } else {
        let mut v = bytes;
        while v >= 1000 && v % 1000 == 0 {
            v /= 1000;
        }
        v == 1
    }
}

/// `projected`: `sources` and `defaultMode` (`validateProjectionSources`).
pub(super) fn decode_projected(cx: &mut Ctx, node: &Node, path: &str) -> Vec<Projection> {
    let mut out = Vec::new();
    let mut all_paths = BTreeSet::new();
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "defaultMode" => file_mode(cx, val, &p, &p),
            "sources" => {
                for (i, src) in cx.items(val, &p).iter().enumerate() {
                    let sp = index(&p, i);
                    let mut count = 0;
                    for (k2, v2) in cx.entries(src, &sp).unwrap_or(&[]) {
                        let n2 = key_text(k2);
                        let p2 = child(&sp, n2);
                        let projection = match n2 {
                            "configMap" | "secret" => {
                                let optional = v2_optional(cx, v2, &p2);
                                let items = volume_items(cx, v2, &p2);
                                let obj =
                                    decode_source_fields(cx, v2, &p2, Some("name"), &["items"]).unwrap_or_default();
                                for item in &items {
                                    if !item.path.is_empty() && !all_paths.insert(item.path.clone()) {
                                        cx.invalid_at(k2.pos, path, &v::quote(&obj), "conflicting duplicate paths");
                                    }
                                }
                                if n2 == "configMap" {
                                    Projection::ConfigMap { name: obj, optional, items }
                                } else {
                                    Projection::Secret { name: obj, optional, items }
                                }
                            }
                            "downwardAPI" => {
                                let items = decode_downward_api(cx, v2, &p2, false);
                                for item in &items {
                                    if !item.path.is_empty() && !all_paths.insert(item.path.clone()) {
                                        cx.invalid_at(
                                            k2.pos,
                                            path,
                                            &v::quote(&item.path),
                                            "conflicting duplicate paths",
                                        );
                                    }
                                }
                                Projection::DownwardApi { items }
                            }
                            "serviceAccountToken" => token(cx, v2, &p2, path),
                            "clusterTrustBundle" | "podCertificate" => {
                                cx.src.record(&p2, v2);
                                cx.not_simulated(k2, &p2);
                                Projection::Other(n2.to_string())
                            }
                            _ => {
                                cx.unknown(k2, &p2);
                                continue;
                            }
                        };
                        count += 1;
                        if count > 1 {
                            cx.error_at(k2.pos, &sp, "Forbidden: may not specify more than 1 volume type");
                        } else {
                            out.push(projection);
                        }
                    }
                }
            }
            _ => cx.unknown(k, &p),
        }
    }
    out
}

/// A projected configMap's or secret's `optional`, None when absent.
fn v2_optional(cx: &mut Ctx, node: &Node, path: &str) -> Option<bool> {
    let entries = cx.entries(node, path).unwrap_or(&[]);
    let (_, val) = entries.iter().find(|(k, _)| key_text(k) == "optional")?;
    cx.boolean(val, &child(path, "optional"))
}

/// `serviceAccountToken`: `audience`, `expirationSeconds` (defaulted to
/// 3600 by `SetDefaults_ServiceAccountTokenProjection`), `path`.
fn token(cx: &mut Ctx, node: &Node, path: &str, volume_path: &str) -> Projection {
    let (mut audience, mut expiration_seconds, mut file) = (None, 3600, String::new());
    let mut exp_pos = node.pos;
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            "audience" => audience = cx.string(val, &p).filter(|s| !s.is_empty()),
            "expirationSeconds" => {
                exp_pos = val.pos;
                expiration_seconds = cx.int(val, &p).unwrap_or(3600);
            }
            "path" => file = cx.string(val, &p).unwrap_or_default(),
            _ => cx.unknown(k, &p),
        }
    }
    let ep = child(path, "expirationSeconds");
    if expiration_seconds < 600 {
        cx.invalid_at(exp_pos, &ep, &expiration_seconds.to_string(), "may not specify a duration less than 10 minutes");
    }
    if expiration_seconds > 1 << 32 {
        cx.invalid_at(
            exp_pos,
            &ep,
            &expiration_seconds.to_string(),
            "may not specify a duration larger than 2^32 seconds",
        );
    }
    // The API server names both errors after the volume's path, not the source's.
    if file.is_empty() {
        cx.error_at(node.pos, &child(volume_path, "path"), "Required value");
    } else {
        let pos = cx.src.pos(&child(path, "path"));
        local_path(cx, pos, &child(volume_path, "path"), &file);
    }
    Projection::ServiceAccountToken { audience, expiration_seconds, path: file }
}

#[cfg(test)]
mod tests {
    use crate::core::api::*;
    use crate::core::manifest::parse_manifests;

    fn pod_with_volumes(volumes: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n  volumes:\n{volumes}")
    }

    fn diags(text: &str) -> Vec<String> {
        parse_manifests(text).diagnostics.iter().map(ToString::to_string).collect()
    }

    fn volumes(text: &str) -> Vec<Volume> {
        let p = parse_manifests(text);
        assert!(!p.has_errors(), "{:?}", p.diagnostics);
        match &p.objects[0] {
            Object::Pod(pod) => pod.spec.volumes.clone(),
            other => panic!("not a Pod: {other:?}"),
        }
    }

    #[test]
    fn downward_api_items_decode_with_octal_modes_and_divisors() {
        let v = volumes(&pod_with_volumes(
            "  - name: info\n    downwardAPI:\n      defaultMode: 0644\n      items:\n      - path: labels\n        fieldRef: {fieldPath: metadata.labels}\n        mode: 0400\n      - path: tier\n        fieldRef: {fieldPath: \"metadata.labels['tier']\"}\n      - path: cpu\n        resourceFieldRef: {containerName: web, resource: limits.cpu, divisor: 1m}\n      - path: mem\n        resourceFieldRef: {containerName: web, resource: requests.memory, divisor: 1000k}\n",
        ));
        let VolumeSource::DownwardApi { items } = &v[0].source else { panic!("{v:?}") };
        assert_eq!(items.len(), 4);
        assert_eq!(items[1].source, DownwardApiSource::Field { field_path: "metadata.labels['tier']".into() });
        assert_eq!(
            items[2].source,
            DownwardApiSource::ResourceField {
                container_name: "web".into(),
                resource: "limits.cpu".into(),
                divisor: 1,
                divisor_text: Some("1m".into())
            }
        );
        // `1000k` is `1M` in canonical form, an allowed memory divisor.
        assert!(matches!(&items[3].source, DownwardApiSource::ResourceField { divisor: 1_000_000, .. }));
    }

    /// validation.go `validateDownwardAPIVolumeFile`: errors are named after
    /// the source (no `items[i]`), with the item's line and column.
    #[test]
    fn downward_api_items_are_validated_like_the_api_server() {
        let text = pod_with_volumes(concat!(
            "  - name: info\n    downwardAPI:\n      items:\n",
            "      - path: /abs\n        fieldRef: {fieldPath: spec.nodeName}\n",
            "      - path: ../up\n        fieldRef: {fieldPath: \"metadata.labels['bad key']\"}\n",
            "      - path: ..hidden\n        resourceFieldRef: {resource: limits.cpu}\n",
            "      - path: cpu\n        resourceFieldRef: {containerName: web, resource: limits.cpu, divisor: 1Mi}\n",
            "      - path: both\n        fieldRef: {fieldPath: metadata.name}\n        resourceFieldRef: {containerName: web, resource: limits.cpu}\n",
            "      - path: none\n",
            "      - fieldRef: {fieldPath: foo}\n        mode: 01000\n",
            "      - path: x\n        fieldRef: {fieldPath: \"metadata.name['x']\"}\n",
        ));
        assert_eq!(
            diags(&text),
            [
                "line 13, column 15: spec.volumes[0].downwardAPI.path: Invalid value: \"/abs\": must be a relative path",
                "line 14, column 31: spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: \"spec.nodeName\": supported values: \"metadata.annotations\", \"metadata.labels\", \"metadata.name\", \"metadata.namespace\", \"metadata.uid\"",
                "line 15, column 15: spec.volumes[0].downwardAPI.path: Invalid value: \"../up\": must not contain '..'",
                "line 16, column 31: spec.volumes[0].downwardAPI.fieldRef: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                "line 17, column 15: spec.volumes[0].downwardAPI.path: Invalid value: \"..hidden\": must not start with '..'",
                "line 18, column 27: spec.volumes[0].downwardAPI.resourceFieldRef.containerName: Required value",
                "line 20, column 79: spec.volumes[0].downwardAPI.resourceFieldRef.divisor: Invalid value: \"limits.cpu\": only divisor's values 1m and 1 are supported with the cpu resource",
                "line 23, column 9: spec.volumes[0].downwardAPI: Invalid value: \"resource\": fieldRef and resourceFieldRef can not be specified simultaneously",
                "line 24, column 9: spec.volumes[0].downwardAPI: Required value: one of fieldRef and resourceFieldRef is required",
                "line 25, column 9: spec.volumes[0].downwardAPI.path: Required value",
                "line 25, column 31: spec.volumes[0].downwardAPI.fieldRef.fieldPath: Invalid value: \"foo\": error converting fieldPath: field label not supported: foo",
                "line 26, column 15: spec.volumes[0].downwardAPI.mode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive",
                "line 28, column 31: spec.volumes[0].downwardAPI.fieldRef.fieldPath: Invalid value: \"metadata.name['x']\": error converting fieldPath: field label does not support subscript: metadata.name['x']",
            ]
        );
    }

    #[test]
    fn divisors_are_checked_in_canonical_form() {
        use super::divisor_canonical_ok as ok;
        for d in ["1", "1m", "1000m", "0.001"] {
            assert!(ok(d, false), "cpu {d}");
        }
        for d in ["2", "1k", "1Mi", "1e0x", "0.5", "1e-3"] {
            assert!(!ok(d, false), "cpu {d}");
        }
        for d in ["1", "1k", "1M", "1000k", "1000000", "1Ki", "1024Ki", "1Gi", "1E", "1Ei", "0.9765625Ki"] {
            assert!(ok(d, true), "memory {d}");
        }
        for d in ["1024", "2Mi", "1e3", "1m", "1536Ki", "10M"] {
            assert!(!ok(d, true), "memory {d}");
        }
    }

    /// `validateProjectionSources`.
    #[test]
    fn projected_sources_decode_and_validate() {
        let good = volumes(&pod_with_volumes(
            "  - name: all\n    projected:\n      defaultMode: 0440\n      sources:\n      - configMap: {name: cfg, items: [{key: a, path: conf/a}]}\n      - secret: {name: sec, optional: true}\n      - downwardAPI:\n          items: [{path: name, fieldRef: {fieldPath: metadata.name}}]\n      - serviceAccountToken: {audience: vault, path: token}\n",
        ));
        let VolumeSource::Projected { sources } = &good[0].source else { panic!("{good:?}") };
        assert_eq!(
            sources[0],
            Projection::ConfigMap {
                name: "cfg".into(),
                optional: None,
                items: vec![KeyToPath { key: "a".into(), path: "conf/a".into() }]
            }
        );
        assert_eq!(sources[1], Projection::Secret { name: "sec".into(), optional: Some(true), items: vec![] });
        assert_eq!(
            sources[3],
            Projection::ServiceAccountToken {
                audience: Some("vault".into()),
                expiration_seconds: 3600,
                path: "token".into()
            }
        );
        let bad = pod_with_volumes(concat!(
            "  - name: all\n    projected:\n      sources:\n",
            "      - configMap: {name: a, items: [{key: k, path: same}]}\n",
            "      - secret: {name: b, items: [{key: k, path: same}]}\n",
            "      - serviceAccountToken: {expirationSeconds: 60}\n",
            "      - downwardAPI: {items: [{path: same, fieldRef: {fieldPath: metadata.uid}}]}\n",
            "        configMap: {name: c}\n",
            "      - clusterTrustBundle: {name: x, path: ca.pem}\n",
        ));
        assert_eq!(
            diags(&bad),
            [
                "line 14, column 9: spec.volumes[0].projected: Invalid value: \"b\": conflicting duplicate paths",
                "line 15, column 30: spec.volumes[0].projected.path: Required value",
                "line 15, column 50: spec.volumes[0].projected.sources[2].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes",
                "line 16, column 9: spec.volumes[0].projected: Invalid value: \"same\": conflicting duplicate paths",
                "line 17, column 9: spec.volumes[0].projected.sources[3]: Forbidden: may not specify more than 1 volume type",
                "warning: line 18, column 9: not simulated by podplay: \"spec.volumes[0].projected.sources[4].clusterTrustBundle\"",
            ]
        );
    }
}
