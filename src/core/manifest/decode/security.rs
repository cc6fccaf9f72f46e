//! `securityContext` of a Pod (`PodSecurityContext`) and of a container
//! (`SecurityContext`): type-checked field by field as the API server's JSON
//! decoding does, so `runAsUser: "notanumber"` is an error with its line and
//! column, and range-checked as `ValidatePodSecurityContext` /
//! `ValidateSecurityContext` do (pkg/apis/core/validation/validation.go:
//! `IsValidUserID`/`IsValidGroupID`, "must be between 0 and 2147483647,
//! inclusive"). Field names are those of k8s.io/api/core/v1 types.go
//! (Kubernetes 1.34). podplay runs every process the same way whatever the
//! context says, so the caller still warns that it is not simulated.

use super::super::validate as v;
use super::{child, index, key_text, Ctx};
use crate::core::yaml::Node;

/// `PodSecurityContext` fields besides those shared with containers.
const POD_ONLY: &[&str] = &[
    "fsGroup",
    "fsGroupChangePolicy",
    "seLinuxChangePolicy",
    "supplementalGroups",
    "supplementalGroupsPolicy",
    "sysctls",
];

/// `SecurityContext` (container) fields besides those shared with Pods.
const CONTAINER_ONLY: &[&str] =
    &["allowPrivilegeEscalation", "capabilities", "privileged", "procMount", "readOnlyRootFilesystem"];

/// `spec.securityContext`.
pub(in crate::core::manifest) fn decode_pod_security_context(cx: &mut Ctx, node: &Node, path: &str) {
    decode_context(cx, node, path, POD_ONLY);
}

/// `spec.containers[i].securityContext`.
pub(in crate::core::manifest) fn decode_container_security_context(cx: &mut Ctx, node: &Node, path: &str) {
    decode_context(cx, node, path, CONTAINER_ONLY);
}

fn decode_context(cx: &mut Ctx, node: &Node, path: &str, own: &[&str]) {
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        match name {
            // IsValidUserID / IsValidGroupID: 0 to MaxInt32.
            "runAsUser" | "runAsGroup" => id(cx, val, &p),
            "fsGroup" if own.contains(&name) => id(cx, val, &p),
            "runAsNonRoot" => {
                cx.boolean(val, &p);
            }
            "seLinuxOptions" => fields(cx, val, &p, &["level", "role", "type", "user"]),
            "windowsOptions" => {
                for (k2, v2) in cx.entries(val, &p).unwrap_or(&[]) {
                    let n2 = key_text(k2);
                    let p2 = child(&p, n2);
                    match n2 {
                        "gmsaCredentialSpecName" | "gmsaCredentialSpec" | "runAsUserName" => {
                            cx.string(v2, &p2);
                        }
                        "hostProcess" => {
                            cx.boolean(v2, &p2);
                        }
                        _ => cx.unknown(k2, &p2),
                    }
                }
            }
            "seccompProfile" | "appArmorProfile" => fields(cx, val, &p, &["localhostProfile", "type"]),
            "supplementalGroups" if own.contains(&name) => {
                for (i, item) in cx.items(val, &p).iter().enumerate() {
                    id(cx, item, &index(&p, i));
                }
            }
            "fsGroupChangePolicy" | "seLinuxChangePolicy" | "supplementalGroupsPolicy" | "procMount"
                if own.contains(&name) =>
            {
                cx.string(val, &p);
            }
            "sysctls" if own.contains(&name) => {
                for (i, item) in cx.items(val, &p).iter().enumerate() {
                    fields(cx, item, &index(&p, i), &["name", "value"]);
                }
            }
            "privileged" | "readOnlyRootFilesystem" | "allowPrivilegeEscalation" if own.contains(&name) => {
                cx.boolean(val, &p);
            }
            "capabilities" if own.contains(&name) => {
                for (k2, v2) in cx.entries(val, &p).unwrap_or(&[]) {
                    let n2 = key_text(k2);
                    let p2 = child(&p, n2);
                    match n2 {
                        "add" | "drop" => {
                            cx.string_list(v2, &p2);
                        }
                        _ => cx.unknown(k2, &p2),
                    }
                }
            }
            _ => cx.unknown(k, &p),
        }
    }
}

/// A user or group id: an integer from 0 to 2147483647.
fn id(cx: &mut Ctx, node: &Node, path: &str) {
    if let Some(i) = cx.int(node, path) {
        if !(0..=i64::from(i32::MAX)).contains(&i) {
            cx.invalid_at(node.pos, path, &i.to_string(), &v::inclusive_range(0, i64::from(i32::MAX)));
        }
    }
}

/// An object whose fields are all strings.
fn fields(cx: &mut Ctx, node: &Node, path: &str, names: &[&str]) {
    for (k, val) in cx.entries(node, path).unwrap_or(&[]) {
        let name = key_text(k);
        let p = child(path, name);
        if names.contains(&name) {
            cx.string(val, &p);
        } else {
            cx.unknown(k, &p);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::manifest::parse_manifests;

    fn diags(sc: &str) -> Vec<String> {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    securityContext: {sc}\n  securityContext: {sc}\n"
        );
        parse_manifests(&text).diagnostics.iter().map(|d| d.to_string()).collect()
    }

    /// kubernetes.io "Configure a Security Context for a Pod or Container"
    /// (pods/security/security-context.yaml): valid, only "not simulated".
    #[test]
    fn the_docs_security_context_decodes() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: security-context-demo\nspec:\n  securityContext:\n    runAsUser: 1000\n    runAsGroup: 3000\n    fsGroup: 2000\n    supplementalGroups: [4000]\n  volumes:\n  - name: sec-ctx-vol\n    emptyDir: {}\n  containers:\n  - name: sec-ctx-demo\n    image: busybox:1.28\n    command: [ \"sh\", \"-c\", \"sleep 1h\" ]\n    volumeMounts:\n    - name: sec-ctx-vol\n      mountPath: /data/demo\n    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities: {add: [\"NET_ADMIN\", \"SYS_TIME\"]}\n      seccompProfile: {type: RuntimeDefault}\n";
        let p = parse_manifests(text);
        assert!(!p.has_errors(), "{:?}", p.diagnostics);
        let unknown: Vec<_> = p.diagnostics.iter().filter(|d| d.message.contains("unknown field")).collect();
        assert!(unknown.is_empty(), "{unknown:?}");
    }

    /// The API server's decoding refuses a string where an int64 goes.
    #[test]
    fn run_as_user_must_be_an_integer_with_line_and_column() {
        let d = diags("{runAsUser: \"notanumber\"}");
        assert!(
            d.contains(&"line 8, column 34: spec.containers[0].securityContext.runAsUser: expected an integer, got string \"notanumber\"".to_string()),
            "{d:?}"
        );
        assert!(
            d.iter().any(|m| m.starts_with("line 9, column 32: spec.securityContext.runAsUser: expected an integer")),
            "{d:?}"
        );
    }

    /// `IsValidUserID`: 0 to MaxInt32; pod-only fields are unknown in a container.
    #[test]
    fn ids_are_range_checked_and_fields_belong_where_the_schema_puts_them() {
        let d = diags("{runAsUser: -1, fsGroup: 5, privileged: true}");
        let want = "spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive";
        assert!(d.iter().any(|m| m.ends_with(want)), "{d:?}");
        assert!(d.iter().any(|m| m.ends_with("unknown field \"spec.containers[0].securityContext.fsGroup\"")), "{d:?}");
        assert!(d.iter().any(|m| m.ends_with("unknown field \"spec.securityContext.privileged\"")), "{d:?}");
    }
}
