//! What the API server refused from the manifests (a namespace that does not
//! exist, …), as problems with a line and a column, so the problems pane
//! lists them beside the parser's instead of saying "✓ Valid". The rest of
//! the manifests still run, as `kubectl apply` applies the objects it can.

use crate::core::api::Object;
use crate::core::engine::ApplyResult;
use crate::core::manifest::{Diagnostic, Severity};

/// One error per refused object, at the object's first line, in text order.
pub fn diagnostics(objects: &[Object], results: &[ApplyResult]) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for r in results {
        let ApplyResult::Refused { kind, name, message } = r else { continue };
        // `namespaces "dev" not found`: the object in that namespace.
        let missing = message.strip_prefix("namespaces \"").and_then(|m| m.strip_suffix("\" not found"));
        let obj = objects.iter().find(|o| {
            o.kind() == *kind
                && o.meta().name == *name
                && missing.is_none_or(|ns| o.meta().namespace == ns)
                && !out.iter().any(|d| d.pos == o.meta().pos)
        });
        let Some(obj) = obj else { continue };
        out.push(Diagnostic {
            severity: Severity::Error,
            pos: obj.meta().pos,
            path: if missing.is_some() { "metadata.namespace".to_string() } else { String::new() },
            message: format!("{message} ({}/{name} was not applied)", kind.to_ascii_lowercase()),
        });
    }
    out.sort_by_key(|d| (d.pos.line, d.pos.col));
    out
}

#[cfg(test)]
mod tests {
    use crate::play::{Player, Scenario};

    #[test]
    fn a_missing_namespace_is_a_problem_at_the_objects_line() {
        let manifests = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: app, image: nginx}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: dev}\nspec:\n  containers: [{name: app, image: nginx}]\n";
        let (p, parsed) = Player::new(Scenario { manifests: manifests.to_string(), seed: 1, actions: vec![] }).unwrap();
        assert!(parsed.diagnostics.is_empty(), "the text itself is valid");
        let d: Vec<String> = p.refusals().iter().map(|d| d.to_string()).collect();
        assert_eq!(d, ["line 7, column 1: metadata.namespace: namespaces \"dev\" not found (pod/web was not applied)"]);
        assert_eq!(p.pods().count(), 1, "the rest still runs");
        let with_ns = format!("apiVersion: v1\nkind: Namespace\nmetadata: {{name: dev}}\n---\n{manifests}");
        let (p, _) = Player::new(Scenario { manifests: with_ns, seed: 1, actions: vec![] }).unwrap();
        assert!(p.refusals().is_empty());
        assert_eq!(p.pods().count(), 2);
    }
}
