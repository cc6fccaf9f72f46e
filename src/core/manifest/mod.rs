//! Manifest text → typed [`api`](super::api) objects, with diagnostics worded
//! like `kubectl` and the API server word them.
//!
//! [`parse_manifests`] reads a (multi-document) YAML stream, decodes every
//! object (`apiVersion: v1` `Pod`, `Service`, and `List` of them), applies the
//! API server's defaults (`pkg/apis/core/v1/defaults.go`) and validates the
//! result like `pkg/apis/core/validation/validation.go`. Every problem is a
//! [`Diagnostic`] with a line/column and a field path such as
//! `spec.containers[0].image`.
//!
//! How fields are treated:
//! * fields podplay models are decoded strictly, as the API server's JSON
//!   decoding is: `containerPort: "80"` is an error (a string is not an
//!   integer), `value: 8080` in an env var is an error (a number is not a
//!   string); `IntOrString` fields (probe ports, `targetPort`) accept both;
//! * valid Kubernetes fields that podplay does not simulate (for example
//!   `spec.securityContext`, `spec.tolerations`, `spec.containers[0].stdin`)
//!   are accepted, not type-checked, and reported once each as a
//!   [`Severity::Warning`] whose message reads
//!   `not simulated by podplay: "spec.securityContext"`;
//! * bookkeeping metadata (`uid`, `resourceVersion`, `creationTimestamp`,
//!   `generation`, `ownerReferences`, `finalizers`, `managedFields`, …) is
//!   accepted silently;
//! * fields Kubernetes does not know are warnings worded as `kubectl` words
//!   them: `unknown field "spec.containers[0].imagePullPolcy"`;
//! * `status` is ignored with a warning (podplay computes status itself).
//!
//! Type errors (the API server's JSON decoding errors) are worded
//! `expected an integer, got string "80"`; when an object has any, the
//! cross-field validation is skipped for it (the API server never validates
//! what it could not decode), so no follow-up errors are invented.
//!
//! Where podplay knowingly differs from the API server:
//! * probe `timeoutSeconds`/`periodSeconds`/`successThreshold`/
//!   `failureThreshold` of 0 are defaulted and negative values fail with
//!   `must be greater than or equal to 0`, exactly as `SetDefaults_Probe`
//!   followed by `validateProbe` behave (so the effective minimum is 1);
//! * a probe's named port must name one of the container's ports (the API
//!   server accepts it; the kubelet would fail every probe);
//! * `generateName` gets a deterministic 5-character suffix (see
//!   `validate::generated_suffix`), not a random one;
//! * environment variable names follow `RelaxedEnvironmentVariableValidation`
//!   (any printable ASCII except `=`), the default since Kubernetes 1.32;
//! * YAML plain scalars are typed with the YAML 1.2 core schema (see
//!   [`yaml`](super::yaml)), so `yes`/`no` are strings, not booleans.
//!
//! An object with any error is left out of [`Parsed::objects`]; the other
//! documents are still decoded so every error is reported at once (up to
//! [`MAX_DIAGNOSTICS`]).

mod decode;
mod validate;

pub use decode::default_pull_policy;

#[cfg(test)]
mod tests;

use super::api::{Object, Pos};
use super::yaml;

/// Largest accepted input, in bytes.
pub const MAX_INPUT_BYTES: usize = 256 * 1024;

/// Largest accepted number of objects (documents plus `List` items).
pub const MAX_OBJECTS: usize = 1000;

/// At most this many diagnostics are kept; one more says that the rest were
/// dropped.
pub const MAX_DIAGNOSTICS: usize = 100;

/// The most replicas podplay accepts for one controller (Kubernetes takes
/// any int32; podplay runs at most `engine::MAX_PODS` Pods). The engine
/// re-exports it.
pub const MAX_REPLICAS: i32 = 100_000;

/// How bad a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The object (or the whole input) is rejected.
    Error,
    /// The object is accepted; something deserves attention.
    Warning,
}

/// One problem found in the manifest text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where in the text (1-based line and column).
    pub pos: Pos,
    /// JSON-path-like field path, e.g. `spec.containers[0].image`; map keys
    /// are written `metadata.labels[app]`. Empty for syntax and limit errors.
    pub path: String,
    /// The message as the API server words it, e.g. `Required value`.
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    /// `line 7, column 9: spec.containers[0].image: Required value`.
    ///
    /// Warnings are prefixed `warning: `. The path is left out when it is
    /// empty or when the message already quotes it (as in
    /// `unknown field "spec.foo"`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.severity == Severity::Warning {
            write!(f, "warning: ")?;
        }
        write!(f, "line {}, column {}: ", self.pos.line, self.pos.col)?;
        let quoted = format!("\"{}\"", self.path);
        if !self.path.is_empty() && !self.message.contains(&quoted) {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{}", self.message)
    }
}

/// The outcome of [`parse_manifests`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    /// Objects without errors, in document order.
    pub objects: Vec<Object>,
    /// Every error and warning, object by object, in text order within an
    /// object.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// The error diagnostics.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error)
    }

    /// The warning diagnostics.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning)
    }

    fn push_all(&mut self, diags: Vec<Diagnostic>) {
        for d in diags {
            if self.diagnostics.len() == MAX_DIAGNOSTICS {
                let severity = if self.has_errors() || d.severity == Severity::Error {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                self.diagnostics.push(Diagnostic {
                    severity,
                    pos: d.pos,
                    path: String::new(),
                    message: format!("too many problems; only the first {MAX_DIAGNOSTICS} are shown"),
                });
            }
            if self.diagnostics.len() > MAX_DIAGNOSTICS {
                // Keep has_errors() truthful even when the list is full.
                if d.severity == Severity::Error {
                    if let Some(last) = self.diagnostics.last_mut() {
                        last.severity = Severity::Error;
                    }
                }
                continue;
            }
            self.diagnostics.push(d);
        }
    }
}

fn limit_error(message: String) -> Parsed {
    Parsed {
        objects: Vec::new(),
        diagnostics: vec![Diagnostic {
            severity: Severity::Error,
            pos: Pos { line: 1, col: 1 },
            path: String::new(),
            message,
        }],
    }
}

/// Decodes and validates every object in a (multi-document) YAML manifest.
///
/// Never panics, whatever the input. Input over [`MAX_INPUT_BYTES`] or with
/// more than [`MAX_OBJECTS`] objects is refused with one error.
pub fn parse_manifests(text: &str) -> Parsed {
    parse_manifests_with_tree(text).0
}

/// [`parse_manifests`], also returning the YAML tree the objects were
/// decoded from, so later passes (the linter) can find the position of any
/// field without parsing again: an object's `metadata.pos` is the position
/// of its node in the tree. The tree is empty when a limit refused the input.
pub fn parse_manifests_with_tree(text: &str) -> (Parsed, yaml::Stream) {
    if text.len() > MAX_INPUT_BYTES {
        return (
            limit_error(format!(
                "input is {} KiB; podplay accepts at most {} KiB of manifests",
                text.len().div_ceil(1024),
                MAX_INPUT_BYTES / 1024
            )),
            yaml::Stream::default(),
        );
    }
    let stream = yaml::parse_stream(text);
    let count: usize = stream.documents.iter().map(decode::object_count).sum();
    if count > MAX_OBJECTS {
        return (
            limit_error(format!("input has {count} objects; podplay accepts at most {MAX_OBJECTS} objects")),
            yaml::Stream::default(),
        );
    }
    let mut parsed = Parsed::default();
    for doc in &stream.documents {
        for outcome in decode::decode_document(doc) {
            let mut diags = outcome.diagnostics;
            crate::core::sort::sort_by_key(&mut diags, |d| d.pos);
            let failed = diags.iter().any(|d| d.severity == Severity::Error);
            parsed.push_all(diags);
            if let (false, Some(obj)) = (failed, outcome.object) {
                parsed.objects.push(obj);
            }
        }
    }
    if let Some(e) = &stream.error {
        parsed.push_all(vec![Diagnostic {
            severity: Severity::Error,
            pos: e.pos,
            path: String::new(),
            message: e.message.clone(),
        }]);
    }
    (parsed, stream)
}
