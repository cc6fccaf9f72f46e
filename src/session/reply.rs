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
//!
//! `apply` prints one line per object with the same name printer
//! (staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go: `created`,
//! `configured`, `unchanged`): see [`applied`]. `drain` prints as it goes
//! (staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go `RunDrain`,
//! `deleteOrEvictPodsSimple`, and pkg/drain/drain.go `evictPods`,
//! `waitForDelete`): `node/NAME cordoned`, a `Warning: ` line for the Pods
//! its filters skip or force (pkg/drain/filters.go `Warnings`), `evicting
//! pod NS/NAME` for each Pod, `pod/NAME evicted` as each is gone, then
//! `node/NAME drained`: see [`Drain`].

use super::command::Command;
use crate::core::engine::{Action, ApplyResult, ControllerKind, NodeOp, Sim};

/// The lines kubectl prints when `command` succeeds, read from `sim` as it
/// is before the command runs (so `delete pod -l` names the Pods it
/// deletes, and `cordon` knows whether the node already was). Empty for
/// apply and drain (see [`applied`] and [`Drain`]) and podplay's own verbs.
pub fn success(command: &Command, sim: &Sim) -> String {
    let deleted = |kind: &str, namespace: &str, name: &str, grace: Option<i64>| {
        let how = if grace == Some(0) { "force deleted" } else { "deleted" };
        format!("{kind} \"{name}\" {how} from {namespace} namespace\n")
    };
    match command {
        Command::Engine(Action::DeletePod { namespace, name, grace_period_seconds }) => {
            deleted("pod", namespace, name, *grace_period_seconds)
        }
        Command::Engine(Action::Delete { namespace, kind, name }) => deleted(&group_kind(*kind), namespace, name, None),
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
fn group_kind(kind: ControllerKind) -> String {
    printed_kind(match kind {
        ControllerKind::Deployment => "Deployment",
        ControllerKind::ReplicaSet => "ReplicaSet",
        ControllerKind::StatefulSet => "StatefulSet",
        ControllerKind::DaemonSet => "DaemonSet",
        ControllerKind::Job => "Job",
        ControllerKind::CronJob => "CronJob",
    })
}

/// A kind as the name printer writes it: lower case, with its API group
/// unless it is the core group (`pod`, `deployment.apps`,
/// `poddisruptionbudget.policy`).
fn printed_kind(kind: &str) -> String {
    crate::core::kinds::by_resource_name(kind).map_or_else(|| kind.to_ascii_lowercase(), |k| k.qualified())
}

/// What `kubectl apply` prints for the objects the engine took, one line
/// each: `deployment.apps/web created`, `service/web unchanged`. Refused
/// objects print nothing here: they are the command's error.
pub fn applied(results: &[ApplyResult]) -> String {
    results
        .iter()
        .filter_map(|r| match r {
            ApplyResult::Created { kind, name } => Some((kind, name, "created")),
            ApplyResult::Configured { kind, name } => Some((kind, name, "configured")),
            ApplyResult::Unchanged { kind, name } => Some((kind, name, "unchanged")),
            ApplyResult::Refused { .. } => None,
        })
        .map(|(kind, name, how)| format!("{}/{name} {how}\n", printed_kind(kind)))
        .collect()
}

/// A `kubectl drain` that has started: the lines it prints at once, then,
/// as the cluster moves, one line per Pod gone and the node's last line.
/// kubectl waits for each evicted Pod to be gone (`waitForDelete`: not
/// found, or found with another uid) before it prints `pod/NAME evicted`.
#[derive(Clone, Debug, PartialEq)]
pub struct Drain {
    node: String,
    /// The Pods it evicts and has not yet seen gone: namespace, name, uid.
    waiting: Vec<(String, String, String)>,
    /// What it printed before the first Pod went.
    started: String,
    finished: bool,
}

impl Drain {
    /// Read from `sim` before the drain of `node` runs: what the engine's
    /// drain will decide (`Sim::drain_plan`), as kubectl prints it.
    pub fn before(node: &str, force: bool, delete_emptydir_data: bool, sim: &Sim) -> Drain {
        let already = sim.nodes().iter().any(|n| n.name == node && n.unschedulable);
        let mut started = format!("node/{node} {}cordoned\n", if already { "already " } else { "" });
        let plan = sim.drain_plan(node, force, delete_emptydir_data).unwrap_or_default();
        let names = |pods: &[(String, String)]| {
            pods.iter().map(|(ns, name)| format!("{ns}/{name}")).collect::<Vec<_>>().join(", ")
        };
        // `daemonSetFilter` with --ignore-daemonsets, and `unreplicatedFilter`
        // with --force: their warnings, one message each, joined with "; ".
        let mut warnings = Vec::new();
        if !plan.daemon_set_pods.is_empty() {
            warnings.push(format!("ignoring DaemonSet-managed Pods: {}", names(&plan.daemon_set_pods)));
        }
        if !plan.unreplicated.is_empty() {
            warnings.push(format!("deleting Pods that declare no controller: {}", names(&plan.unreplicated)));
        }
        if !warnings.is_empty() {
            started.push_str(&format!("Warning: {}\n", warnings.join("; ")));
        }
        let uid = |ns: &str, name: &str| sim.pod(ns, name).map(|p| p.server.uid).unwrap_or_default();
        let waiting: Vec<_> = plan
            .evict
            .into_iter()
            .map(|(ns, name)| {
                let uid = uid(&ns, &name);
                (ns, name, uid)
            })
            .collect();
        for (ns, name, _) in &waiting {
            started.push_str(&format!("evicting pod {ns}/{name}\n"));
        }
        Drain { node: node.to_string(), waiting, started, finished: false }
    }

    /// What it printed once the engine took the drain.
    pub fn started(&self) -> &str {
        &self.started
    }

    /// The lines since the last call: `pod/NAME evicted` for each Pod now
    /// gone, then `node/NAME drained` once, when none is left.
    pub fn poll(&mut self, sim: &Sim) -> String {
        if self.finished {
            return String::new();
        }
        let mut out = String::new();
        self.waiting.retain(|(ns, name, uid)| {
            let gone = sim.pod(ns, name).is_none_or(|p| p.server.uid != *uid);
            if gone {
                out.push_str(&format!("pod/{name} evicted\n"));
            }
            !gone
        });
        if self.waiting.is_empty() {
            self.finished = true;
            out.push_str(&format!("node/{} drained\n", self.node));
        }
        out
    }

    /// True once `node/NAME drained` was printed.
    pub fn finished(&self) -> bool {
        self.finished
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

    /// `apply -f FILE` with FILE's text.
    fn apply(sim: &mut Sim, text: &str) -> Result<String, String> {
        let step = Step::read("apply -f web.yaml", &mut |_| Ok(parse_manifests(text).objects)).unwrap();
        step.perform_applying(sim).map(|r| applied(&r))
    }

    #[test]
    fn apply_prints_a_line_per_object() {
        let mut sim = Sim::new(SimConfig::with_seed(1));
        let text = crate::examples::text("deployment").unwrap();
        let created = "service/nginx created\ndeployment.apps/nginx-deployment created\n";
        assert_eq!(apply(&mut sim, text).unwrap(), created);
        sim.advance_to(10_000);
        let same = "service/nginx unchanged\ndeployment.apps/nginx-deployment unchanged\n";
        assert_eq!(apply(&mut sim, text).unwrap(), same);
        let scaled = text.replace("replicas: 3", "replicas: 2");
        let configured = "service/nginx unchanged\ndeployment.apps/nginx-deployment configured\n";
        assert_eq!(apply(&mut sim, &scaled).unwrap(), configured);
        let more = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: nginx\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx\n";
        assert_eq!(apply(&mut sim, more).unwrap(), "poddisruptionbudget.policy/web created\npod/web created\n");
        // A refused object is the command's error, as `act` gives it.
        let elsewhere = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: dev\nspec:\n  containers:\n  - name: app\n    image: nginx\n";
        assert_eq!(apply(&mut sim, elsewhere).unwrap_err(), "namespaces \"dev\" not found");
    }

    /// kubectl drain's lines in its order: cordoned, the DaemonSet warning,
    /// one `evicting pod` per Pod, then as the cluster moves one `evicted`
    /// per Pod gone and `drained` once.
    #[test]
    fn drain_prints_as_it_goes() {
        let mut sim = Sim::new(SimConfig::with_seed(1));
        sim.apply(parse_manifests(crate::examples::text("deployment").unwrap()).objects);
        sim.apply(parse_manifests(crate::examples::text("daemonset").unwrap()).objects);
        sim.advance_to(30_000);
        let node =
            sim.pods().iter().find(|p| p.pod.metadata.name.starts_with("nginx-")).unwrap().node_name.clone().unwrap();
        let on_node = |sim: &Sim, prefix: &str| -> Vec<String> {
            let mut names: Vec<String> = sim
                .pods()
                .iter()
                .filter(|p| p.node_name.as_deref() == Some(node.as_str()) && p.pod.metadata.name.starts_with(prefix))
                .map(|p| p.pod.metadata.name.clone())
                .collect();
            names.sort();
            names
        };
        let (web, agents) = (on_node(&sim, "nginx-"), on_node(&sim, "node-agent-"));
        assert!(!web.is_empty() && agents.len() == 1, "{web:?} {agents:?}");
        let text = format!("drain {node} --ignore-daemonsets");
        let mut drain = Drain::before(&node, false, false, &sim);
        assert_eq!(success(&parse(&text).unwrap(), &sim), "");
        Step::resolve(&text, &mut Bundled).unwrap().perform(&mut sim).unwrap();
        let mut want =
            format!("node/{node} cordoned\nWarning: ignoring DaemonSet-managed Pods: default/{}\n", agents[0]);
        for name in &web {
            want.push_str(&format!("evicting pod default/{name}\n"));
        }
        assert_eq!(drain.started(), want);
        assert_eq!(drain.poll(&sim), "", "the evicted Pods are still terminating");
        let mut later = String::new();
        let mut t = sim.now();
        while !drain.finished() && t < 120_000 {
            t += 1_000;
            sim.advance_to(t);
            later.push_str(&drain.poll(&sim));
        }
        let mut gone: Vec<&str> = later.lines().collect();
        assert_eq!(gone.pop(), Some(format!("node/{node} drained").as_str()), "{later}");
        gone.sort();
        let evicted: Vec<String> = web.iter().map(|n| format!("pod/{n} evicted")).collect();
        assert_eq!(gone, evicted);
        assert_eq!(drain.poll(&sim), "", "drained is said once");
        // Again: the node is already cordoned and has nothing left to evict.
        let mut again = Drain::before(&node, false, false, &sim);
        assert!(again.started().starts_with(&format!("node/{node} already cordoned\n")), "{}", again.started());
        assert_eq!(again.poll(&sim), format!("node/{node} drained\n"));
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
