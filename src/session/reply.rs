//! What kubectl prints back for a command that changes the cluster: its
//! line on success (`pod "web" deleted from default namespace`) and an
//! engine refusal in kubectl's error form (`Error from server (NotFound):
//! pods "web" not found`). The page's command line prints both; the
//! engine's refusals stay the API server's bare messages, which the CLI's
//! trace quotes as they are.
//!
//! Sources: kubectl's `DeleteOptions.PrintObj`
//! (staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go: `%s "%s" %s`, the
//! kind lower-cased with its group, `deleted`, or `force deleted` for a
//! grace period of 0, and since kubernetes/kubernetes PR #126619 "show
//! namespace on delete" `from NS namespace` for a namespaced object), the
//! name printer of the other verbs (`deployment.apps/web scaled`: the
//! operation each gives `NewPrintFlags`: `scaled`, `image updated`,
//! `restarted`, `rolled back`, `paused`, `resumed`; `node/NAME cordoned`,
//! `uncordoned` or `already cordoned` from kubectl drain.go's `changed` and
//! `already`) and
//! `StandardErrorMessage` (staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go:
//! an API status error prints as `Error from server (REASON): MESSAGE`; any
//! other error gets `error: ` in front).

use super::command::Command;
use crate::core::engine::{Action, ControllerKind, NodeOp, Sim};

/// The lines kubectl prints when `command` succeeds, read from `sim` as it
/// is before the command runs (so `delete pod -l` names the Pods it
/// deletes, and `cordon` knows whether the node already was). Empty for the
/// commands whose line podplay does not print (apply, drain and podplay's
/// own verbs).
pub fn success(command: &Command, sim: &Sim) -> String {
    let deleted = |kind: &str, namespace: &str, name: &str, grace: Option<i64>| {
        let how = if grace == Some(0) { "force deleted" } else { "deleted" };
        format!("{kind} \"{name}\" {how} from {namespace} namespace\n")
    };
    match command {
        Command::Engine(Action::DeletePod { namespace, name, grace_period_seconds }) => {
            deleted("pod", namespace, name, *grace_period_seconds)
        }
        Command::Engine(Action::Delete { namespace, kind, name }) => deleted(group_kind(*kind), namespace, name, None),
        Command::DeletePods { namespace, selector, grace_period_seconds } => sim
            .pods()
            .iter()
            .filter(|p| p.pod.metadata.namespace == *namespace && p.server.deletion_ms.is_none())
            .filter(|p| selector.iter().all(|(k, v)| p.pod.metadata.labels.get(k) == Some(v)))
            .map(|p| deleted("pod", namespace, &p.pod.metadata.name, *grace_period_seconds))
            .collect(),
        Command::Engine(Action::Scale { kind, name, .. }) => format!("{}/{name} scaled\n", group_kind(*kind)),
        Command::Engine(Action::SetImage { kind, name, .. }) => format!("{}/{name} image updated\n", group_kind(*kind)),
        Command::Engine(Action::RolloutRestart { kind, name, .. }) => {
            format!("{}/{name} restarted\n", group_kind(*kind))
        }
        Command::Engine(Action::RolloutUndo { name, .. }) => format!("deployment.apps/{name} rolled back\n"),
        Command::Engine(Action::RolloutPause { name, paused, .. }) => {
            format!("deployment.apps/{name} {}\n", if *paused { "paused" } else { "resumed" })
        }
        Command::Engine(Action::Node { name, op: op @ (NodeOp::Cordon | NodeOp::Uncordon) }) => {
            let want = *op == NodeOp::Cordon;
            let already = sim.nodes().iter().any(|n| n.name == *name && n.unschedulable == want);
            let verb = if want { "cordoned" } else { "uncordoned" };
            format!("node/{name} {}{verb}\n", if already { "already " } else { "" })
        }
        _ => String::new(),
    }
}

/// `deployment.apps`, `job.batch`, …: the kind as `PrintObj` writes it.
fn group_kind(kind: ControllerKind) -> &'static str {
    match kind {
        ControllerKind::Deployment => "deployment.apps",
        ControllerKind::ReplicaSet => "replicaset.apps",
        ControllerKind::StatefulSet => "statefulset.apps",
        ControllerKind::DaemonSet => "daemonset.apps",
        ControllerKind::Job => "job.batch",
        ControllerKind::CronJob => "cronjob.batch",
    }
}

/// The errors kubectl itself raises (not the API server) for the messages
/// the engine gives in kubectl's words: `set image`, `rollout undo`,
/// `rollout pause|resume`, `drain`.
const CLIENT_ERRORS: &[&str] = &[
    "unable to drain node ",
    "unable to find container named ",
    "no rollout history found ",
    "unable to find specified revision ",
    "you cannot rollback a paused deployment",
];

/// A refusal as kubectl prints it: an API server status as `Error from
/// server (NotFound|AlreadyExists): …`, kubectl's own errors with `error: `;
/// anything else (podplay's own words, the per-Pod lines of a drain, a
/// validation error kubectl prints as it is) unchanged.
pub fn refusal(reason: &str) -> String {
    if let Some(status) = api_status(reason) {
        return format!("Error from server ({status}): {reason}");
    }
    let paused = reason.ends_with(" is already paused") || reason.ends_with(" is not paused");
    if CLIENT_ERRORS.iter().any(|p| reason.starts_with(p)) || (paused && quoted_object(reason).is_some()) {
        return format!("error: {reason}");
    }
    reason.to_string()
}

/// The reason of an API server status message (`errors.NewNotFound`,
/// `errors.NewAlreadyExists`: `RESOURCE "NAME" not found`).
fn api_status(reason: &str) -> Option<&'static str> {
    if reason == "the server could not find the requested resource" {
        return Some("NotFound");
    }
    let rest = quoted_object(reason)?;
    match rest {
        " not found" => Some("NotFound"),
        " already exists" => Some("AlreadyExists"),
        _ => None,
    }
}

/// What follows `resource "name"` at the start of `text`, one line only.
fn quoted_object(text: &str) -> Option<&str> {
    if text.contains('\n') {
        return None;
    }
    let (resource, rest) = text.split_once(" \"")?;
    if resource.is_empty() || !resource.chars().all(|c| c.is_ascii_lowercase() || c == '.') {
        return None;
    }
    let (_, after) = rest.split_once('"')?;
    Some(after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::engine::SimConfig;
    use crate::core::manifest::parse_manifests;
    use crate::session::{parse, Bundled, Step};

    fn cluster(example: &str) -> Sim {
        let mut sim = Sim::new(SimConfig::with_seed(1));
        sim.apply(parse_manifests(crate::examples::text(example).unwrap()).objects);
        sim.advance_to(30_000);
        sim
    }

    #[test]
    fn deletions_print_kubectls_line() {
        let sim = cluster("deployment");
        let said = |text: &str| success(&parse(text).unwrap(), &sim);
        assert_eq!(said("delete pod web"), "pod \"web\" deleted from default namespace\n");
        assert_eq!(said("delete pod/web --grace-period=0"), "pod \"web\" force deleted from default namespace\n");
        assert_eq!(said("delete pod/web --now -n shop"), "pod \"web\" deleted from shop namespace\n");
        assert_eq!(
            said("delete deployment nginx-deployment"),
            "deployment.apps \"nginx-deployment\" deleted from default namespace\n"
        );
        let by_label = said("delete pod -l app=nginx");
        assert_eq!(by_label.lines().count(), sim.pods().len(), "{by_label}");
        assert!(by_label.lines().all(|l| l.starts_with("pod \"nginx-deployment-")), "{by_label}");
        assert_eq!(said("scale deployment nginx-deployment --replicas=1"), "deployment.apps/nginx-deployment scaled\n");
        assert_eq!(said("set image ds/agent agent=busybox:1.37"), "daemonset.apps/agent image updated\n");
        assert_eq!(said("rollout restart deploy/web"), "deployment.apps/web restarted\n");
        assert_eq!(said("rollout undo deployment/web"), "deployment.apps/web rolled back\n");
        assert_eq!(said("rollout pause deployment/web"), "deployment.apps/web paused\n");
        assert_eq!(said("rollout resume deployment/web"), "deployment.apps/web resumed\n");
        assert_eq!(said("cordon node node-1"), "node/node-1 cordoned\n");
        assert_eq!(said("uncordon node-1"), "node/node-1 already uncordoned\n");
        assert_eq!(said("drain node node-1"), "", "a drain's lines come as it goes: not printed yet");
        assert_eq!(said("kill pod/web -c app"), "", "podplay's own verb");
    }

    #[test]
    fn engine_refusals_read_as_kubectl_prints_them() {
        let mut sim = cluster("deployment");
        let mut refused = |text: &str| {
            let step = Step::resolve(text, &mut Bundled).unwrap();
            refusal(&step.perform(&mut sim).unwrap_err())
        };
        assert_eq!(refused("delete pod ghost"), "Error from server (NotFound): pods \"ghost\" not found");
        assert_eq!(
            refused("scale deploy/nope --replicas=2"),
            "Error from server (NotFound): deployments.apps \"nope\" not found"
        );
        assert_eq!(refused("cordon node nope"), "Error from server (NotFound): nodes \"nope\" not found");
        assert_eq!(refused("add node node-1"), "Error from server (AlreadyExists): nodes \"node-1\" already exists");
        assert_eq!(
            refused("set image deployment/nginx-deployment nope=nginx:1.28"),
            "error: unable to find container named \"nope\""
        );
        assert_eq!(
            refused("rollout undo deployment/nginx-deployment"),
            "error: no rollout history found for deployment \"nginx-deployment\""
        );
        assert_eq!(
            refused("rollout resume deployment/nginx-deployment"),
            "error: deployments.apps \"nginx-deployment\" is not paused"
        );
        assert_eq!(refused("delete pod -l app=nope"), "No resources found");
        // podplay's own words stay podplay's.
        assert_eq!(refusal("podplay simulates at most 250 nodes"), "podplay simulates at most 250 nodes");
    }
}
