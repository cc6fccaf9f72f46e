//! The one command grammar: kubectl-style text (`delete pod/web
//! --grace-period=5`, `scale deployment web --replicas=3`) to a typed
//! [`Command`]. The CLI's `--at`, the page's command line and buttons, and
//! the exercises' timed actions all read their text here, and
//! [`FORMS`] — what `podplay --help`, the page's "What can I type?" and the
//! unknown-action error list — is the same table the parser dispatches on,
//! so the lists cannot disagree with what is accepted.
//!
//! The words are kubectl's (`kubectl delete`, `scale`, `set image`,
//! `rollout`, `cordon`, `drain`: staging/src/k8s.io/kubectl/pkg/cmd), with
//! its short names (`deploy`, `rs`, `sts`, `ds`, `cj`, `po`, `svc`) and both
//! `TYPE/NAME` and `TYPE NAME`; the verbs kubectl has no word for are
//! podplay's own and say so in [`FORMS`] (`kill`, `break`, `heal`, `add
//! node`, `stop`/`start node`, `traffic`).

use super::read::{self, Query};
use crate::core::engine::{Action, ControllerKind, NodeOp, Rate};

/// What a command asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// A change the engine makes by itself.
    Engine(Action),
    /// `apply -f FILE`: the session reads FILE (see [`super::texts`]) and
    /// the engine applies its objects.
    ApplyFile(String),
    /// `delete pod -l SELECTOR`: every live Pod that matches when it runs
    /// (what an exercise does to a Pod whose name is random).
    DeletePods { namespace: String, selector: Vec<(String, String)>, grace_period_seconds: Option<i64> },
    /// `get`, `describe`, `logs`, `events`: reads the cluster, changes nothing.
    Read(Query),
}

/// One form of a command, as the help lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Form {
    /// The verbs it starts with (`rollout undo`): the parser accepts a
    /// first word only if a form lists it.
    pub verbs: &'static [&'static str],
    pub usage: &'static str,
    /// What it does, when the usage does not say it (podplay's own verbs).
    pub note: &'static str,
    /// A command of this form, parsed by the tests.
    pub example: &'static str,
}

/// Every command the grammar takes. Each also takes `-n NAMESPACE`
/// (`--namespace=NAMESPACE`) when its object is namespaced.
pub const FORMS: &[Form] = &[
    Form {
        verbs: &["delete"],
        usage: "delete pod/NAME [--grace-period=N] [--now]",
        note: "",
        example: "delete pod web --grace-period=5",
    },
    Form {
        verbs: &["delete"],
        usage: "delete pod -l KEY=VALUE[,KEY=VALUE] [--grace-period=N]",
        note: "every live Pod that matches then",
        example: "delete pod -l app=web",
    },
    Form {
        verbs: &["delete"],
        usage: "delete deployment|replicaset|statefulset|daemonset|job|cronjob/NAME",
        note: "cascades to its Pods",
        example: "delete cronjob/report",
    },
    Form {
        verbs: &["kill"],
        usage: "kill pod/NAME -c CONTAINER [--exit-code=N]",
        note: "podplay's: the container's process dies, with exit code 137 unless given",
        example: "kill pod/web -c app --exit-code=1",
    },
    Form {
        verbs: &["break", "heal"],
        usage: "break|heal pod/NAME -c CONTAINER",
        note: "podplay's: the app stops answering probes and requests, or answers again",
        example: "break pod/web -c app",
    },
    Form {
        verbs: &["apply"],
        usage: "apply -f FILE",
        note: "FILE: a path, - for stdin, or example:NAME; the page has example:NAME only",
        example: "apply -f example:init-containers-services",
    },
    Form {
        verbs: &["scale"],
        usage: "scale deployment|replicaset|statefulset/NAME --replicas=N",
        note: "",
        example: "scale statefulset web --replicas=1",
    },
    Form {
        verbs: &["set image"],
        usage: "set image deployment|daemonset/NAME CONTAINER=IMAGE",
        note: "",
        example: "set image ds/agent agent=busybox:1.37",
    },
    Form {
        verbs: &["rollout restart"],
        usage: "rollout restart deployment|daemonset/NAME",
        note: "",
        example: "rollout restart daemonset/agent",
    },
    Form {
        verbs: &["rollout undo"],
        usage: "rollout undo deployment/NAME [--to-revision=N]",
        note: "",
        example: "rollout undo deployment/web --to-revision=1",
    },
    Form {
        verbs: &["rollout pause", "rollout resume"],
        usage: "rollout pause|resume deployment/NAME",
        note: "",
        example: "rollout resume deploy/web",
    },
    Form {
        verbs: &["add node"],
        usage: "add node NAME [cpu=4] [memory=8Gi] [pods=110]",
        note: "podplay's: a worker joins",
        example: "add node node-4 cpu=8 memory=16Gi",
    },
    Form {
        verbs: &["cordon", "uncordon"],
        usage: "cordon|uncordon node NAME",
        note: "",
        example: "uncordon node/node-1",
    },
    Form {
        verbs: &["drain"],
        usage: "drain node NAME [--force] [--delete-emptydir-data] [--ignore-daemonsets]",
        note: "as kubectl drain --ignore-daemonsets",
        example: "drain node-1 --ignore-daemonsets --delete-emptydir-data",
    },
    Form {
        verbs: &["stop", "start"],
        usage: "stop|start node NAME",
        note: "podplay's: the node's kubelet stops posting status, or comes back",
        example: "stop node node-a",
    },
    Form {
        verbs: &["traffic"],
        usage: "traffic svc/NAME RATE|off",
        note: "podplay's simulated client; RATE: 10/s, 30/m, 100/h",
        example: "traffic svc/web 10/s -n shop",
    },
];

/// The read-only verbs ([`super::read`]): the page's command line prints
/// what they show; a scenario never holds one.
pub const READ_FORMS: &[Form] = &[
    Form {
        verbs: &["get"],
        usage: "get KIND [NAME...] [-o wide|name|json|yaml] [-l KEY=VALUE] [-A] [--show-labels]",
        note: "pods, services, deployments, replicasets, statefulsets, daemonsets, jobs, cronjobs, nodes, pvc, pv, sc, pdb, configmaps, secrets, namespaces, priorityclasses, events",
        example: "get pods -o wide -A --show-labels",
    },
    Form {
        verbs: &["describe"],
        usage: "describe pod [NAME...] [-l KEY=VALUE]",
        note: "",
        example: "describe pod web",
    },
    Form {
        verbs: &["logs"],
        usage: "logs POD [-c CONTAINER] [-p] [--tail=N]",
        note: "-p (--previous): the run before the last restart",
        example: "logs web -c app --previous --tail=5",
    },
    Form { verbs: &["events"], usage: "events [-A]", note: "", example: "events -n shop" },
];

/// The verbs of [`FORMS`] in words: "delete, kill, …, stop, start or traffic".
pub fn verbs_in_words() -> String {
    let mut verbs: Vec<&str> = Vec::new();
    for v in FORMS.iter().flat_map(|f| f.verbs.iter()) {
        if !verbs.contains(v) {
            verbs.push(v);
        }
    }
    match verbs.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => verbs.join(""),
    }
}

/// The forms as lines of `podplay --help` or the page's list: the usage,
/// and its note in parentheses.
pub fn form_lines() -> impl Iterator<Item = String> {
    lines(FORMS)
}

/// [`READ_FORMS`] as lines, for the page's list.
pub fn read_form_lines() -> impl Iterator<Item = String> {
    lines(READ_FORMS)
}

fn lines(forms: &'static [Form]) -> impl Iterator<Item = String> {
    forms.iter().map(|f| if f.note.is_empty() { f.usage.to_string() } else { format!("{}   ({})", f.usage, f.note) })
}

/// Parses a command the engine performs by itself (not `apply -f` nor
/// `delete pod -l`, which the session resolves first): what the engine's
/// tests drive it with.
pub fn parse_action(text: &str) -> Result<Action, String> {
    match parse(text)? {
        Command::Engine(a) => Ok(a),
        _ => Err(format!("{text:?} is not performed by the engine alone")),
    }
}

/// `add node NAME [cpu=4] [memory=8Gi] [pods=110]`, `cordon node NAME`, …
fn parse_node_action(verb: &str, rest: &[&str]) -> Result<Action, String> {
    let usage = || format!("{verb} needs node NAME (or node/NAME)");
    // `kubectl cordon NAME` takes a bare name; `node NAME` and `node/NAME` read too.
    let (name, args) = match rest {
        ["node" | "nodes" | "no", name, args @ ..] if !name.starts_with('-') && !name.contains('=') => {
            (name.to_string(), args)
        }
        [t, args @ ..] if !t.starts_with('-') => match t.split_once('/') {
            Some(("node" | "nodes" | "no", name)) => (name.to_string(), args),
            Some(_) => return Err(usage()),
            None => (t.to_string(), args),
        },
        _ => return Err(usage()),
    };
    if name.is_empty()
        || name.len() > 253
        || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
    {
        return Err(format!("invalid node name {name:?}: a lowercase RFC 1123 subdomain"));
    }
    let (mut cpu, mut memory, mut pods, mut force, mut delete_emptydir_data) = (4000, 8i64 << 30, 110u32, false, false);
    for a in args {
        let a = a.trim_start_matches("--");
        match a.split_once('=') {
            Some(("cpu", v)) if verb == "add" => {
                cpu = crate::core::api::parse_quantity(v, 1000)
                    .filter(|&c| c > 0)
                    .ok_or(format!("cpu: not a quantity: {v}"))?
            }
            Some(("memory", v)) if verb == "add" => {
                memory = crate::core::api::parse_quantity(v, 1)
                    .filter(|&m| m > 0)
                    .ok_or(format!("memory: not a quantity: {v}"))?
            }
            Some(("pods", v)) if verb == "add" => {
                pods = v
                    .parse()
                    .ok()
                    .filter(|&p| (1..=1000).contains(&p))
                    .ok_or(format!("pods: expected 1 to 1000, got {v}"))?
            }
            None if a == "force" && verb == "drain" => force = true,
            None if a == "ignore-daemonsets" && verb == "drain" => {}
            None if a == "delete-emptydir-data" && verb == "drain" => delete_emptydir_data = true,
            _ => return Err(format!("unexpected argument {a} for {verb} node")),
        }
    }
    let op = match verb {
        "add" => NodeOp::Add { cpu_millis: cpu, memory_bytes: memory, max_pods: pods },
        "cordon" => NodeOp::Cordon,
        "uncordon" => NodeOp::Uncordon,
        "drain" => NodeOp::Drain { force, delete_emptydir_data },
        "stop" => NodeOp::Stop,
        _ => NodeOp::Start,
    };
    Ok(Action::Node { name, op })
}

/// `deployment/NAME`, `deploy/NAME`, `rs/NAME`, … as kubectl resolves them
/// (the names are the kinds table's: [`crate::core::kinds::by_resource_name`]).
fn controller_ref(t: &str) -> Option<(ControllerKind, String)> {
    let (kind, name) = t.split_once('/')?;
    if name.is_empty() {
        return None;
    }
    let kind = match crate::core::kinds::by_resource_name(kind)?.kind {
        "Deployment" => ControllerKind::Deployment,
        "ReplicaSet" => ControllerKind::ReplicaSet,
        "Job" => ControllerKind::Job,
        "CronJob" => ControllerKind::CronJob,
        "StatefulSet" => ControllerKind::StatefulSet,
        "DaemonSet" => ControllerKind::DaemonSet,
        _ => return None,
    };
    Some((kind, name.to_string()))
}

/// Parses a command. Errors say what was expected.
pub fn parse(text: &str) -> Result<Command, String> {
    let mut words = split_words(text)?;
    // People type kubectl's name first; the commands are kubectl's.
    if words.first().is_some_and(|w| w == "kubectl") {
        words.remove(0);
    }
    let words = join_kind_and_name(words);
    let mut it = words.iter().map(|s| s.as_str());
    let verb = it.next().ok_or("empty action")?;
    let rest: Vec<&str> = it.collect();
    // Only the verbs the help lists are taken.
    if READ_FORMS.iter().flat_map(|f| f.verbs).any(|v| *v == verb) {
        return read::parse(verb, &rest).map(Command::Read);
    }
    if !FORMS.iter().flat_map(|f| f.verbs).any(|v| v.split(' ').next() == Some(verb)) {
        return Err(format!(
            "unknown action `{verb}`: expected {}; or get, describe, logs or events, which only read",
            verbs_in_words()
        ));
    }
    match verb {
        "delete" | "kill" | "break" | "heal" | "apply" | "scale" => {}
        "set" => return parse_set(&rest).map(Command::Engine),
        "rollout" => return parse_rollout(&rest).map(Command::Engine),
        "add" | "cordon" | "uncordon" | "drain" | "stop" | "start" => {
            return parse_node_action(verb, &rest).map(Command::Engine)
        }
        "traffic" => return parse_traffic(&rest).map(Command::Engine),
        _ => return Err(format!("unknown action `{verb}`: expected {}", verbs_in_words())),
    }
    let mut namespace = "default".to_string();
    let mut container: Option<String> = None;
    let mut grace: Option<i64> = None;
    let mut exit_code: Option<i32> = None;
    let mut file: Option<String> = None;
    let mut replicas: Option<i32> = None;
    let mut target: Option<&str> = None;
    let mut selector: Option<String> = None;
    let mut i = 0;
    while i < rest.len() {
        let w = rest[i];
        let mut value = |flag: &str| -> Result<String, String> {
            if let Some(v) = w.strip_prefix(&format!("{flag}=")) {
                return Ok(v.to_string());
            }
            i += 1;
            rest.get(i).map(|s| s.to_string()).ok_or(format!("{flag} needs a value"))
        };
        if w == "-n" || w.starts_with("--namespace") {
            namespace = value(if w == "-n" { "-n" } else { "--namespace" })?;
        } else if w == "-c" || w.starts_with("--container") {
            container = Some(value(if w == "-c" { "-c" } else { "--container" })?);
        } else if w.starts_with("--grace-period") {
            let v = value("--grace-period")?;
            grace = Some(v.parse().map_err(|_| format!("--grace-period: not a number: {v}"))?);
        } else if w.starts_with("--exit-code") {
            let v = value("--exit-code")?;
            let code: i32 = v.parse().map_err(|_| format!("--exit-code: not a number: {v}"))?;
            if !(0..=255).contains(&code) {
                return Err("--exit-code must be between 0 and 255".into());
            }
            exit_code = Some(code);
        } else if w == "-f" || w.starts_with("--filename") {
            file = Some(value(if w == "-f" { "-f" } else { "--filename" })?);
        } else if w.starts_with("--replicas") {
            let v = value("--replicas")?;
            let n: i32 = v.parse().map_err(|_| format!("--replicas: not a number: {v}"))?;
            if n < 0 {
                return Err("--replicas must be 0 or more".into());
            }
            replicas = Some(n);
        } else if w == "-l" || w.starts_with("--selector") || w.starts_with("-l=") {
            selector = Some(match w.strip_prefix("-l=") {
                Some(v) => v.to_string(),
                None => value(if w == "-l" { "-l" } else { "--selector" })?,
            });
        } else if w == "--now" {
            grace = Some(1);
        } else if w.starts_with('-') {
            return Err(format!("unknown flag {w} for {verb}"));
        } else if target.is_none() {
            target = Some(w);
        } else {
            return Err(format!("unexpected argument {w}"));
        }
        i += 1;
    }
    let pod_name = |t: Option<&str>| -> Result<String, String> {
        let t = t.ok_or(format!("{verb} needs pod/NAME"))?;
        match t.split_once('/') {
            Some(("pod" | "pods" | "po", name)) if !name.is_empty() => Ok(name.to_string()),
            Some((kind, _)) => Err(format!("{verb} supports pods only here, not {kind}")),
            None => Err(format!("{verb} needs pod/NAME, got {t}")),
        }
    };
    let need_container = |c: Option<String>| c.ok_or(format!("{verb} needs -c CONTAINER"));
    if selector.is_some() && verb != "delete" {
        return Err(format!("unknown flag -l for {verb}"));
    }
    if verb == "delete" && grace.is_some_and(|g| g < 0) {
        return Err("--grace-period must be 0 or more".into());
    }
    let action = match verb {
        "scale" => {
            let t = target.ok_or("scale needs deployment/NAME, replicaset/NAME or statefulset/NAME")?;
            let (kind, name) = controller_ref(t)
                .filter(|(k, _)| {
                    !matches!(k, ControllerKind::Job | ControllerKind::DaemonSet | ControllerKind::CronJob)
                })
                .ok_or(format!("scale supports deployment/NAME, replicaset/NAME and statefulset/NAME, got {t}"))?;
            let replicas = replicas.ok_or("scale needs --replicas=N")?;
            Action::Scale { namespace, kind, name, replicas }
        }
        "delete" if selector.is_some() => {
            // `delete pod -l app=web`: the Pods are those that match when it runs.
            if !matches!(target, Some("pod" | "pods" | "po")) {
                return Err("delete -l SELECTOR works on pods: delete pod -l app=web".into());
            }
            let selector = parse_selector(selector.as_deref().unwrap_or_default())?;
            return Ok(Command::DeletePods { namespace, selector, grace_period_seconds: grace });
        }
        "delete" if target.and_then(controller_ref).is_some() => {
            let (kind, name) = target.and_then(controller_ref).ok_or("delete needs a target")?;
            Action::Delete { namespace, kind, name }
        }
        "delete" => Action::DeletePod { namespace, name: pod_name(target)?, grace_period_seconds: grace },
        "kill" => Action::Kill {
            pod: pod_name(target)?,
            container: need_container(container)?,
            namespace,
            exit_code: exit_code.unwrap_or(137),
        },
        "break" => Action::Break { pod: pod_name(target)?, container: need_container(container)?, namespace },
        "heal" => Action::Heal { pod: pod_name(target)?, container: need_container(container)?, namespace },
        _ => return Ok(Command::ApplyFile(file.ok_or("apply needs -f FILE")?)),
    };
    Ok(Command::Engine(action))
}

/// `app=web,tier=front`, as `kubectl -l` takes equality selectors.
pub fn parse_selector(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for part in text.split(',') {
        let part = part.trim();
        let (k, v) = part
            .split_once("==")
            .or_else(|| part.split_once('='))
            .ok_or_else(|| format!("expected key=value[,key=value], got {text:?}"))?;
        let (k, v) = (k.trim(), v.trim());
        if k.is_empty() || k.contains('!') {
            return Err(format!("expected key=value[,key=value], got {text:?}"));
        }
        out.push((k.to_string(), v.to_string()));
    }
    Ok(out)
}

/// The namespace flag (`-n NS`, `--namespace=NS`) and the other words.
fn namespace_and_words<'a>(rest: &[&'a str]) -> Result<(String, Vec<&'a str>), String> {
    let mut namespace = "default".to_string();
    let mut words = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let w = rest[i];
        if w == "-n" || w == "--namespace" {
            i += 1;
            namespace = rest.get(i).ok_or(format!("{w} needs a value"))?.to_string();
        } else if let Some(v) = w.strip_prefix("--namespace=") {
            namespace = v.to_string();
        } else if w.starts_with('-') {
            return Err(format!("unknown flag {w}"));
        } else {
            words.push(w);
        }
        i += 1;
    }
    Ok((namespace, words))
}

/// `traffic svc/NAME RATE` or `traffic svc/NAME off` (RATE: `10/s`, `30/m`, `100/h`).
fn parse_traffic(rest: &[&str]) -> Result<Action, String> {
    let (namespace, words) = namespace_and_words(rest)?;
    let usage = "expected: traffic svc/NAME RATE (e.g. 10/s, 30/m) or traffic svc/NAME off";
    let [target, rate] = words.as_slice() else { return Err(usage.into()) };
    let name = match target.split_once('/') {
        Some(("svc" | "service" | "services", name)) if !name.is_empty() => name.to_string(),
        _ => return Err(format!("traffic goes to a Service: svc/NAME, got {target}")),
    };
    let rate = Rate::parse(rate)?;
    Ok(Action::Traffic { namespace, name, rate })
}

/// `set image deployment/NAME CONTAINER=IMAGE`.
fn parse_set(rest: &[&str]) -> Result<Action, String> {
    let (namespace, words) = namespace_and_words(rest)?;
    match words.as_slice() {
        ["image", target, assignment] => {
            let (kind, name) = controller_ref(target)
                .filter(|(k, _)| matches!(k, ControllerKind::Deployment | ControllerKind::DaemonSet))
                .ok_or(format!("set image supports deployment/NAME and daemonset/NAME here, got {target}"))?;
            let (container, image) = assignment
                .split_once('=')
                .filter(|(c, i)| !c.is_empty() && !i.is_empty())
                .ok_or(format!("set image needs CONTAINER=IMAGE, got {assignment}"))?;
            Ok(Action::SetImage { namespace, kind, name, container: container.to_string(), image: image.to_string() })
        }
        _ => Err("expected: set image deployment/NAME CONTAINER=IMAGE (or daemonset/NAME)".into()),
    }
}

/// `rollout restart deployment/NAME`.
fn parse_rollout(rest: &[&str]) -> Result<Action, String> {
    // `--to-revision` belongs to `undo`; take it out before the other words.
    let mut to_revision: Option<i64> = None;
    let mut others: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let w = rest[i];
        let value = if let Some(v) = w.strip_prefix("--to-revision=") {
            Some(v.to_string())
        } else if w == "--to-revision" {
            i += 1;
            Some(rest.get(i).ok_or("--to-revision needs a value")?.to_string())
        } else {
            None
        };
        match value {
            Some(v) => {
                let n: i64 = v.parse().map_err(|_| format!("--to-revision: not a number: {v}"))?;
                if n < 0 {
                    return Err("--to-revision must be 0 or more".into());
                }
                to_revision = Some(n);
            }
            None => others.push(w),
        }
        i += 1;
    }
    let (namespace, words) = namespace_and_words(&others)?;
    let deployment = |sub: &str, target: &str| match controller_ref(target) {
        Some((ControllerKind::Deployment, name)) => Ok(name),
        _ => Err(format!("rollout {sub} supports deployment/NAME, got {target}")),
    };
    if to_revision.is_some() && words.first() != Some(&"undo") {
        return Err("--to-revision is a flag of `rollout undo`".into());
    }
    match words.as_slice() {
        ["restart", target] => match controller_ref(target) {
            Some((kind @ (ControllerKind::Deployment | ControllerKind::DaemonSet), name)) => Ok(Action::RolloutRestart { namespace, kind, name }),
            _ => Err(format!("rollout restart supports deployment/NAME and daemonset/NAME, got {target}")),
        },
        ["undo", target] => Ok(Action::RolloutUndo { namespace, name: deployment("undo", target)?, to_revision: to_revision.unwrap_or(0) }),
        ["pause", target] => Ok(Action::RolloutPause { namespace, name: deployment("pause", target)?, paused: true }),
        ["resume", target] => Ok(Action::RolloutPause { namespace, name: deployment("resume", target)?, paused: false }),
        [sub, ..] if matches!(*sub, "history" | "status") => {
            Err(format!("`rollout {sub}` shows state rather than changing it; podplay's trace and its Deployment and ReplicaSet tables show it"))
        }
        _ => Err("expected: rollout restart|undo|pause|resume deployment/NAME".into()),
    }
}

/// Splits on spaces, honouring single and double quotes.
/// kubectl takes `TYPE NAME` as well as `TYPE/NAME` (`delete pod web`,
/// `scale deployment web --replicas=3`): the first kind word followed by a
/// name becomes `kind/name`. Node actions read `node NAME` themselves.
fn join_kind_and_name(mut words: Vec<String>) -> Vec<String> {
    const KINDS: &[&str] = &[
        "pod",
        "pods",
        "po",
        "svc",
        "service",
        "services",
        "deployment",
        "deployments",
        "deploy",
        "replicaset",
        "replicasets",
        "rs",
        "job",
        "jobs",
        "cronjob",
        "cronjobs",
        "cj",
        "statefulset",
        "statefulsets",
        "sts",
        "daemonset",
        "daemonsets",
        "ds",
    ];
    if matches!(words.first().map(String::as_str), Some("add" | "cordon" | "uncordon" | "drain" | "stop" | "start")) {
        return words;
    }
    let name_like = |w: &str| !w.is_empty() && !w.starts_with('-') && !w.contains(['/', '=', ':']);
    if let Some(i) =
        (1..words.len().saturating_sub(1)).find(|&i| KINDS.contains(&words[i].as_str()) && name_like(&words[i + 1]))
    {
        let name = words.remove(i + 1);
        words[i] = format!("{}/{name}", words[i]);
    }
    words
}

fn split_words(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for ch in text.chars() {
        match quote {
            Some(q) if ch == q => quote = None,
            Some(_) => cur.push(ch),
            None if ch == '\'' || ch == '"' => {
                quote = Some(ch);
                any = true;
            }
            None if ch.is_whitespace() => {
                if any || !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            None => cur.push(ch),
        }
    }
    if quote.is_some() {
        return Err("unterminated quote".into());
    }
    if any || !cur.is_empty() {
        words.push(cur);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_words_parse() {
        assert_eq!(
            parse_action("delete pod/web --grace-period=5").unwrap(),
            Action::DeletePod { namespace: "default".into(), name: "web".into(), grace_period_seconds: Some(5) }
        );
        assert_eq!(
            parse_action("kill pod/web -c app --exit-code=3").unwrap(),
            Action::Kill { namespace: "default".into(), pod: "web".into(), container: "app".into(), exit_code: 3 }
        );
        assert_eq!(
            parse_action("break pods/web -c app -n shop").unwrap(),
            Action::Break { namespace: "shop".into(), pod: "web".into(), container: "app".into() }
        );
        assert_eq!(parse("apply -f more.yaml").unwrap(), Command::ApplyFile("more.yaml".into()));
        assert_eq!(
            parse_action("scale deploy/web --replicas=5").unwrap(),
            Action::Scale {
                namespace: "default".into(),
                kind: ControllerKind::Deployment,
                name: "web".into(),
                replicas: 5
            }
        );
        // The kinds table's names, group-qualified included.
        for (target, kind) in [
            ("statefulsets.apps/web", ControllerKind::StatefulSet),
            ("rs/web", ControllerKind::ReplicaSet),
            ("ReplicaSets.apps/web", ControllerKind::ReplicaSet),
        ] {
            let scaled = parse_action(&format!("scale {target} --replicas=2")).unwrap();
            let want = Action::Scale { namespace: "default".into(), kind, name: "web".into(), replicas: 2 };
            assert_eq!(scaled, want, "{target}");
        }
        assert!(parse_action("scale svc/web --replicas=2").is_err(), "a Service is no controller");
        assert_eq!(
            parse_action("set image deployment/web web=nginx:1.28 -n shop").unwrap(),
            Action::SetImage {
                namespace: "shop".into(),
                kind: ControllerKind::Deployment,
                name: "web".into(),
                container: "web".into(),
                image: "nginx:1.28".into()
            }
        );
        assert_eq!(
            parse_action("rollout restart deployment/web").unwrap(),
            Action::RolloutRestart {
                namespace: "default".into(),
                kind: ControllerKind::Deployment,
                name: "web".into()
            }
        );
        // kubectl's `set image` and `rollout restart` take DaemonSets too (ds is its short name).
        assert_eq!(
            parse_action("set image ds/fluentd-elasticsearch fluentd-elasticsearch=quay.io/fluentd_elasticsearch/fluentd:v5.0.1 -n kube-system")
                .unwrap(),
            Action::SetImage {
                namespace: "kube-system".into(),
                kind: ControllerKind::DaemonSet,
                name: "fluentd-elasticsearch".into(),
                container: "fluentd-elasticsearch".into(),
                image: "quay.io/fluentd_elasticsearch/fluentd:v5.0.1".into()
            }
        );
        assert_eq!(
            parse_action("rollout restart daemonset/agent").unwrap(),
            Action::RolloutRestart {
                namespace: "default".into(),
                kind: ControllerKind::DaemonSet,
                name: "agent".into()
            }
        );
        assert!(parse_action("set image job/pi pi=perl").is_err());
        assert!(parse_action("rollout restart statefulset/web").is_err());
        assert_eq!(
            parse_action("rollout undo deployment/web --to-revision=2").unwrap(),
            Action::RolloutUndo { namespace: "default".into(), name: "web".into(), to_revision: 2 }
        );
        assert_eq!(
            parse_action("rollout pause deploy/web").unwrap(),
            Action::RolloutPause { namespace: "default".into(), name: "web".into(), paused: true }
        );
        assert_eq!(
            parse_action("delete job/pi").unwrap(),
            Action::Delete { namespace: "default".into(), kind: ControllerKind::Job, name: "pi".into() }
        );
        assert_eq!(
            parse_action("scale sts/web --replicas=1").unwrap(),
            Action::Scale {
                namespace: "default".into(),
                kind: ControllerKind::StatefulSet,
                name: "web".into(),
                replicas: 1
            }
        );
        assert_eq!(
            parse_action("delete rs/web-abc").unwrap(),
            Action::Delete { namespace: "default".into(), kind: ControllerKind::ReplicaSet, name: "web-abc".into() }
        );
        assert_eq!(
            parse_action("delete ds/node-agent -n kube-system").unwrap(),
            Action::Delete {
                namespace: "kube-system".into(),
                kind: ControllerKind::DaemonSet,
                name: "node-agent".into()
            }
        );
        assert!(
            parse_action("scale daemonset/node-agent --replicas=2").is_err(),
            "a DaemonSet has no scale subresource"
        );
    }

    #[test]
    fn node_actions_read_like_kubectl() {
        let node = |name: &str, op| Action::Node { name: name.into(), op };
        assert_eq!(parse_action("cordon node-1").unwrap(), node("node-1", NodeOp::Cordon));
        assert_eq!(parse_action("uncordon node/node-1").unwrap(), node("node-1", NodeOp::Uncordon));
        // kubectl's `TYPE NAME` reads as `TYPE/NAME`.
        assert_eq!(parse_action("delete pod web").unwrap(), parse_action("delete pod/web").unwrap());
        assert_eq!(
            parse_action("scale deployment web --replicas=3").unwrap(),
            parse_action("scale deployment/web --replicas=3").unwrap()
        );
        assert_eq!(
            parse_action("set image deploy web web=nginx:1.28").unwrap(),
            parse_action("set image deploy/web web=nginx:1.28").unwrap()
        );
        assert_eq!(
            parse_action("rollout restart deployment web").unwrap(),
            parse_action("rollout restart deployment/web").unwrap()
        );
        assert_eq!(parse_action("kill pod web -c app").unwrap(), parse_action("kill pod/web -c app").unwrap());
        assert_eq!(parse_action("traffic svc web 10/s").unwrap(), parse_action("traffic svc/web 10/s").unwrap());
        assert_eq!(parse_action("delete cronjob report").unwrap(), parse_action("delete cronjob/report").unwrap());
        assert_eq!(
            parse_action("drain node node-2 --force").unwrap(),
            node("node-2", NodeOp::Drain { force: true, delete_emptydir_data: false })
        );
        assert_eq!(
            parse_action("drain node-2 --ignore-daemonsets").unwrap(),
            node("node-2", NodeOp::Drain { force: false, delete_emptydir_data: false })
        );
        assert_eq!(
            parse_action("drain node-2 --ignore-daemonsets --delete-emptydir-data").unwrap(),
            node("node-2", NodeOp::Drain { force: false, delete_emptydir_data: true })
        );
        assert_eq!(parse_action("stop node node-3").unwrap(), node("node-3", NodeOp::Stop));
        assert_eq!(parse_action("start node-3").unwrap(), node("node-3", NodeOp::Start));
        assert_eq!(
            parse_action("add node node-4 cpu=2 memory=4Gi pods=20").unwrap(),
            node("node-4", NodeOp::Add { cpu_millis: 2000, memory_bytes: 4 << 30, max_pods: 20 })
        );
        assert_eq!(
            parse_action("add node node-5").unwrap(),
            node("node-5", NodeOp::Add { cpu_millis: 4000, memory_bytes: 8 << 30, max_pods: 110 })
        );
    }

    #[test]
    fn traffic_actions_parse() {
        assert_eq!(
            parse_action("traffic svc/web 10/s").unwrap(),
            Action::Traffic {
                namespace: "default".into(),
                name: "web".into(),
                rate: Some(Rate { count: 10, per_ms: 1000 })
            }
        );
        assert_eq!(
            parse_action("traffic service/web off -n shop").unwrap(),
            Action::Traffic { namespace: "shop".into(), name: "web".into(), rate: None }
        );
        assert!(parse_action("traffic deployment/web 10/s").unwrap_err().contains("svc/NAME"));
        assert!(parse_action("traffic svc/web").unwrap_err().contains("expected: traffic"));
        assert!(parse_action("traffic svc/web fast").unwrap_err().contains("rate like"));
        assert!(parse_action("traffic svc/web 5000/s").unwrap_err().contains("at most"));
    }

    #[test]
    fn bad_actions_say_why() {
        assert!(parse_action("kill pod/web").unwrap_err().contains("-c CONTAINER"));
        assert!(parse_action("delete web").unwrap_err().contains("pod/NAME"));
        assert!(parse_action("frobnicate pod/x").unwrap_err().contains("unknown action"));
        assert!(parse_action("delete pod/web --grace-period=-1").is_err());
        assert!(parse_action("cordon pod/x").unwrap_err().contains("node NAME"));
        assert!(parse_action("drain node-1 --grace=3").unwrap_err().contains("unexpected argument"));
        assert!(parse_action("add node big cpu=lots").unwrap_err().contains("cpu"));
        assert!(parse_action("stop").unwrap_err().contains("node NAME"));
        assert!(parse_action("scale deployment/web").unwrap_err().contains("--replicas"));
        assert!(parse_action("scale pod/web --replicas=2").unwrap_err().contains("deployment/NAME"));
        assert!(parse_action("set image deployment/web nginx").unwrap_err().contains("CONTAINER=IMAGE"));
        assert!(parse_action("rollout history deployment/web").unwrap_err().contains("shows state"));
        assert!(parse_action("rollout restart deployment/web --to-revision=2").is_err());
        assert!(parse_action("").is_err());
    }

    #[test]
    fn every_form_parses_and_every_verb_is_listed() {
        for f in FORMS {
            assert!(parse(f.example).is_ok(), "{}: {:?}", f.example, parse(f.example));
            assert!(f.verbs.iter().any(|v| f.example.starts_with(v)), "{} starts with one of {:?}", f.example, f.verbs);
            for v in f.verbs {
                assert!(f.usage.contains(v.rsplit(' ').next().unwrap()), "{}", f.usage);
                let words = verbs_in_words();
                assert!(words.contains(v), "{v} in {words}");
            }
        }
        let err = parse("frobnicate pod/x").unwrap_err();
        for v in ["rollout undo", "rollout pause", "rollout resume", "set", "traffic", "add node"] {
            assert!(err.contains(v), "{err}");
        }
        // The CLI's --help and the page's list are these lines.
        assert_eq!(form_lines().count(), FORMS.len());
    }

    #[test]
    fn selectors_and_a_leading_kubectl() {
        assert_eq!(
            parse("delete pod -l app=web,tier=front --grace-period=0 -n shop").unwrap(),
            Command::DeletePods {
                namespace: "shop".into(),
                selector: vec![("app".into(), "web".into()), ("tier".into(), "front".into())],
                grace_period_seconds: Some(0)
            }
        );
        assert_eq!(parse("delete pods --selector=app==web").unwrap(), parse("delete po -l app=web").unwrap());
        assert!(parse("delete deployment -l app=web").unwrap_err().contains("works on pods"));
        assert!(parse("scale deployment/web -l app=web --replicas=1").unwrap_err().contains("-l"));
        assert!(parse("delete pod -l app").unwrap_err().contains("key=value"));
        assert_eq!(parse("kubectl delete pod web").unwrap(), parse("delete pod/web").unwrap());
        assert_eq!(parse_action("kubectl  cordon node-1").unwrap(), parse_action("cordon node node-1").unwrap());
        assert!(parse_action("apply -f x.yaml").unwrap_err().contains("engine alone"));
        for f in READ_FORMS {
            assert!(matches!(parse(f.example), Ok(Command::Read(_))), "{}: {:?}", f.example, parse(f.example));
        }
        assert!(parse("frobnicate").unwrap_err().contains("or get, describe, logs or events"));
    }
}
