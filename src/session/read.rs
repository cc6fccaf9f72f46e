//! The read-only kubectl verbs: `get`, `describe`, `logs` and `events`, read
//! by the one grammar ([`super::command`]) and printed by the views kubectl
//! prints with ([`crate::core::kubectl`]). They change nothing, so they are
//! never part of a scenario: the page's command line shows their output.
//!
//! Errors are kubectl's own words (staging/src/k8s.io/kubectl and the API
//! server's status messages): `error: the server doesn't have a resource
//! type "podz"`, `Error from server (NotFound): pods "x" not found`, and
//! "No resources found in default namespace." for an empty list. What
//! podplay does not print yet is said as podplay's, never as kubectl's.

use crate::core::api::Pod;
use crate::core::engine::Sim;
use crate::core::get::{self, Row};
use crate::core::kinds::{KindInfo, Resource as _};
use crate::core::time::Millis;
use crate::core::{json, json_out, kubectl, yaml_out};
use serde_json::Value;
use std::collections::BTreeMap;

/// A read-only command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// `get KIND [NAME...]`.
    Get {
        resource: Resource,
        names: Vec<String>,
        scope: Scope,
        selector: Vec<(String, String)>,
        format: Format,
        labels: bool,
    },
    /// `describe pod [NAME...]`.
    Describe { names: Vec<String>, scope: Scope, selector: Vec<(String, String)> },
    /// `logs POD [-c CONTAINER] [--tail=N]`.
    Logs { namespace: String, pod: String, container: Option<String>, previous: bool, tail: Option<usize> },
    /// `events` (`kubectl events`).
    Events { scope: Scope },
}

/// Which namespaces: `-n NS` (default `default`) or `-A`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Namespace(String),
    All,
}

/// `-o`: the table, `-o wide`, `-o name`, `-o json`, `-o yaml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Wide,
    Name,
    Json,
    Yaml,
}

/// What `get` reads: a kind of [`crate::core::kinds`], where kubectl's names
/// for it are declared (plural, singular, short names, with the group), or
/// Events, which podplay records but no manifest applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    Kind(&'static KindInfo),
    Events,
}

/// kubectl's names for Events (core/v1).
const EVENT_NAMES: [&str; 3] = ["events", "event", "ev"];

impl Resource {
    /// The resource a name stands for, or kubectl's error.
    pub fn resolve(word: &str) -> Result<Resource, String> {
        if EVENT_NAMES.contains(&word.to_ascii_lowercase().as_str()) {
            return Ok(Resource::Events);
        }
        crate::core::kinds::by_resource_name(word)
            .map(Resource::Kind)
            .ok_or_else(|| format!("error: the server doesn't have a resource type \"{word}\""))
    }

    /// `pods`, `deployments`, … (what NotFound names).
    pub fn plural(self) -> &'static str {
        match self {
            Resource::Kind(info) => info.plural,
            Resource::Events => EVENT_NAMES[0],
        }
    }
}

/// Parses the words after `get`, `describe`, `logs` or `events`.
pub fn parse(verb: &str, rest: &[&str]) -> Result<Query, String> {
    let mut namespace: Option<String> = None;
    let mut all = false;
    let mut selector = Vec::new();
    let mut format = Format::Table;
    let mut labels = false;
    let mut container = None;
    let mut previous = false;
    let mut tail = None;
    let mut words: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let w = rest[i];
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if w.starts_with('-') => (f, Some(v.to_string())),
            _ => (w, None),
        };
        let mut value = || -> Result<String, String> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            i += 1;
            rest.get(i).map(|s| s.to_string()).ok_or(format!("error: flag needs an argument: {flag}"))
        };
        match flag {
            "-n" | "--namespace" => namespace = Some(value()?),
            "-A" | "--all-namespaces" if verb != "logs" => all = true,
            "-l" | "--selector" if verb != "logs" && verb != "events" => {
                selector = super::command::parse_selector(&value()?)?
            }
            "-o" | "--output" if verb == "get" => {
                format = match value()?.as_str() {
                    "wide" => Format::Wide,
                    "name" => Format::Name,
                    "json" => Format::Json,
                    "yaml" => Format::Yaml,
                    other => {
                        return Err(format!(
                            "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: json,name,wide,yaml"
                        ))
                    }
                }
            }
            "--show-labels" if verb == "get" => labels = true,
            "-c" | "--container" if verb == "logs" => container = Some(value()?),
            "-p" | "--previous" if verb == "logs" => previous = true,
            "--tail" if verb == "logs" => {
                let v = value()?;
                // kubectl: -1 (the default) prints every line.
                let n: i64 = v.parse().map_err(|_| format!("error: invalid argument \"{v}\" for \"--tail\" flag"))?;
                tail = usize::try_from(n).ok();
            }
            _ if w.starts_with('-') => return Err(format!("error: unknown flag: {flag}")),
            _ => words.push(w),
        }
        i += 1;
    }
    let scope = if all { Scope::All } else { Scope::Namespace(namespace.clone().unwrap_or_else(|| "default".into())) };
    match verb {
        "events" => match words.as_slice() {
            [] => Ok(Query::Events { scope }),
            _ => Err("podplay: events takes no names here; try events -n NAMESPACE or -A".into()),
        },
        "logs" => {
            let pod = match words.as_slice() {
                [p] => p.strip_prefix("pod/").or_else(|| p.strip_prefix("pods/")).unwrap_or(p).to_string(),
                [p, c] if container.is_none() => {
                    container = Some(c.to_string());
                    p.strip_prefix("pod/").unwrap_or(p).to_string()
                }
                _ => return Err("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.".into()),
            };
            Ok(Query::Logs { namespace: namespace.unwrap_or_else(|| "default".into()), pod, container, previous, tail })
        }
        _ => {
            let Some((first, more)) = words.split_first() else {
                return Err(format!(
                    "You must specify the type of resource to {verb}. Use \"kubectl api-resources\" for a complete list of supported resources."
                ));
            };
            // `get pod/web`, `get pods web`, `get pod/web deployment/web` (one kind here).
            let (resource, mut names) = match first.split_once('/') {
                Some((k, n)) => (Resource::resolve(k)?, vec![n.to_string()]),
                None => (Resource::resolve(first)?, Vec::new()),
            };
            for m in more {
                match m.split_once('/') {
                    Some((k, n)) if Resource::resolve(k)? == resource => names.push(n.to_string()),
                    Some(_) => return Err("podplay: one kind at a time here".into()),
                    None => names.push(m.to_string()),
                }
            }
            if verb == "describe" {
                if resource != Resource::Kind(&Pod::INFO) {
                    return Err(format!("podplay: describe prints pods here, not {} yet", resource.plural()));
                }
                return Ok(Query::Describe { names, scope, selector });
            }
            Ok(Query::Get { resource, names, scope, selector, format, labels })
        }
    }
}

/// The table of a kind, as `kubectl get` prints it, with each object when
/// `objects`, from its printer ([`get::PRINTERS`]); `None`: not printed yet
/// (no printer, or `-o wide` columns it does not print).
fn listing(
    info: &KindInfo,
    sim: &Sim,
    now: Millis,
    wide: bool,
    objects: bool,
) -> Option<(Vec<&'static str>, Vec<Row>)> {
    let printer = get::PRINTERS.iter().find(|p| p.kind == info.kind)?;
    if wide && printer.wide_header.is_none() {
        return None;
    }
    Some((printer.header(wide), (printer.list)(sim, now, get::Ask { wide, objects })))
}

/// Runs a query on the cluster as it is now: kubectl's output, or its error.
pub fn run(query: &Query, sim: &Sim) -> Result<String, String> {
    let now = sim.now();
    match query {
        Query::Events { scope } => Ok(events(sim, scope, now, false)),
        Query::Logs { namespace, pod, container, previous, tail } => {
            let p = sim.pod(namespace, pod).ok_or(format!("Error from server (NotFound): pods \"{pod}\" not found"))?;
            let spec = &p.pod.spec;
            let names: Vec<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
            let container = match container {
                Some(c) => c.clone(),
                None if names.len() == 1 => names[0].to_string(),
                None => {
                    // kubectl picks the kubectl.kubernetes.io/default-container
                    // annotation or the first container, and says so.
                    return Err(format!(
                        "error: a container name must be specified for pod {pod}, choose one of: [{}]",
                        names.join(" ")
                    ));
                }
            };
            if !names.contains(&container.as_str()) {
                return Err(format!("error: container {container} is not valid for pod {pod}"));
            }
            let lines = if *previous {
                // The kubelet's error (`findContainerForLogs`), as the API
                // server returns it: 400 BadRequest.
                sim.previous_logs(namespace, pod, &container).ok_or(format!(
                    "Error from server (BadRequest): previous terminated container \"{container}\" in pod \"{pod}\" not found"
                ))?
            } else {
                sim.logs(namespace, pod, &container)
                    .ok_or(format!("error: container {container} is not valid for pod {pod}"))?
            };
            let skip = tail.map_or(0, |n| lines.len().saturating_sub(n));
            Ok(lines[skip..].iter().map(|l| format!("{l}\n")).collect())
        }
        Query::Describe { names, scope, selector, .. } => {
            let pods = sim.pods();
            let mut out = Vec::new();
            let in_scope = |ns: &str| matches!(scope, Scope::All) || matches!(scope, Scope::Namespace(n) if n == ns);
            if names.is_empty() {
                for p in pods.iter().filter(|p| in_scope(&p.pod.metadata.namespace)) {
                    if selector.iter().all(|(k, v)| p.pod.metadata.labels.get(k) == Some(v)) {
                        out.push(kubectl::describe_pod(p, sim.events(), now));
                    }
                }
                if out.is_empty() {
                    return Ok(no_resources(scope));
                }
            }
            for name in names {
                match pods.iter().find(|p| p.pod.metadata.name == *name && in_scope(&p.pod.metadata.namespace)) {
                    Some(p) => out.push(kubectl::describe_pod(p, sim.events(), now)),
                    None => return Err(format!("Error from server (NotFound): pods \"{name}\" not found")),
                }
            }
            Ok(out.join("\n\n"))
        }
        Query::Get { resource: Resource::Events, scope, format, .. }
            if !matches!(format, Format::Json | Format::Yaml) =>
        {
            Ok(events(sim, scope, now, true))
        }
        Query::Get { resource: Resource::Events, scope, format, .. } => {
            let items = sim
                .events()
                .iter()
                .filter(|e| {
                    matches!(scope, Scope::All) || matches!(scope, Scope::Namespace(n) if *n == e.involved.namespace)
                })
                .map(json::event_json)
                .collect();
            Ok(print_object(json_out::list(items), *format))
        }
        Query::Get { resource: Resource::Kind(kind), names, scope, selector, format, labels } => {
            let wide = *format == Format::Wide;
            let objects = matches!(format, Format::Json | Format::Yaml);
            let Some((mut header, items)) = listing(kind, sim, now, wide, objects) else {
                // A kind with no listing here, or (DaemonSets, nodes) one
                // without its -o wide columns: the cluster view shows those.
                let how = match format {
                    Format::Wide => " -o wide is not printed here yet; the cluster view shows them",
                    Format::Json => " -o json is not printed here yet",
                    Format::Yaml => " -o yaml is not printed here yet",
                    _ => " is not printed here yet",
                };
                return Err(format!("podplay: get {}{how}", kind.plural));
            };
            let in_scope = |i: &Row| {
                !kind.namespaced
                    || matches!(scope, Scope::All)
                    || matches!(scope, Scope::Namespace(n) if *n == i.namespace)
            };
            let mut chosen: Vec<&Row> = Vec::new();
            for name in names {
                match items.iter().find(|i| i.name == *name && in_scope(i)) {
                    Some(i) => chosen.push(i),
                    None => return Err(format!("Error from server (NotFound): {} \"{name}\" not found", kind.plural)),
                }
            }
            if names.is_empty() {
                chosen = items
                    .iter()
                    .filter(|i| in_scope(i) && selector.iter().all(|(k, v)| i.labels.get(k) == Some(v)))
                    .collect();
                if chosen.is_empty() && !objects {
                    return Ok(if kind.namespaced { no_resources(scope) } else { "No resources found\n".into() });
                }
            }
            if objects {
                let mut chosen: Vec<Value> = chosen.iter().filter_map(|i| i.object.clone()).collect();
                // `kubectl get pod web -o json` prints the object; anything
                // else (a listing, several names) a List (`printGeneric`).
                let one = names.len() == 1 && chosen.len() == 1;
                let value = if one { chosen.remove(0) } else { json_out::list(chosen) };
                return Ok(print_object(value, *format));
            }
            if *format == Format::Name {
                let prefix = kind.qualified();
                return Ok(chosen.iter().map(|i| format!("{prefix}/{}\n", i.name)).collect());
            }
            let all = matches!(scope, Scope::All) && kind.namespaced;
            if all {
                header.insert(0, "NAMESPACE");
            }
            if *labels {
                header.push("LABELS");
            }
            let rows: Vec<Vec<String>> = chosen
                .iter()
                .map(|i| {
                    let mut row = i.cells.clone();
                    if all {
                        row.insert(0, i.namespace.clone());
                    }
                    if *labels {
                        row.push(label_text(&i.labels));
                    }
                    row
                })
                .collect();
            Ok(kubectl::format_table(&header, &rows))
        }
    }
}

/// An object or List as `-o json` or `-o yaml` prints it.
fn print_object(value: Value, format: Format) -> String {
    match format {
        Format::Yaml => yaml_out::to_yaml(&value),
        _ => json_out::to_json(&value),
    }
}

/// `No resources found in default namespace.` (to stderr, in kubectl).
fn no_resources(scope: &Scope) -> String {
    match scope {
        Scope::Namespace(n) => format!("No resources found in {n} namespace.\n"),
        Scope::All => "No resources found\n".into(),
    }
}

/// `app=web,tier=front`, or `<none>`, as the LABELS column prints them.
fn label_text(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".into();
    }
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// `kubectl events`, or `kubectl get events` (`get`: OBJECT as `pod/web`),
/// with NAMESPACE first under `-A`.
fn events(sim: &Sim, scope: &Scope, now: Millis, get: bool) -> String {
    let mut chosen: Vec<_> = sim
        .events()
        .iter()
        .filter(|e| matches!(scope, Scope::All) || matches!(scope, Scope::Namespace(n) if *n == e.involved.namespace))
        .cloned()
        .collect();
    if chosen.is_empty() {
        return no_resources(scope);
    }
    // In the order the rows come (events_rows sorts stably by the second of
    // the last occurrence), so each row gets its own namespace under -A.
    crate::core::sort::sort_by_key(&mut chosen, |e| e.last_ms / 1000);
    let namespaces: Vec<String> = chosen.iter().map(|e| e.involved.namespace.clone()).collect();
    let mut rows = kubectl::events_rows(&chosen, now);
    if get {
        for row in &mut rows {
            if let Some((kind, name)) = row[3].split_once('/') {
                row[3] = format!("{}/{name}", kind.to_ascii_lowercase());
            }
        }
    }
    let mut header = kubectl::EVENTS_HEADER.to_vec();
    if matches!(scope, Scope::All) {
        header.insert(0, "NAMESPACE");
        for (row, ns) in rows.iter_mut().zip(namespaces) {
            row.insert(0, ns);
        }
    }
    kubectl::format_table(&header, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::engine::SimConfig;
    use crate::core::manifest::parse_manifests;
    use crate::session::command::{parse as parse_command, Command};

    fn cluster(example: &str, t: Millis) -> Sim {
        let mut sim = Sim::new(SimConfig::with_seed(1));
        sim.apply(parse_manifests(crate::examples::text(example).unwrap()).objects);
        sim.advance_to(t);
        sim
    }

    fn ask(sim: &Sim, text: &str) -> Result<String, String> {
        match parse_command(text)? {
            Command::Read(q) => run(&q, sim),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn get_prints_kubectl_tables_and_its_errors() {
        let sim = cluster("deployment", 60_000);
        let pods = ask(&sim, "kubectl get pods").unwrap();
        assert!(pods.starts_with("NAME "), "{pods}");
        assert_eq!(pods.lines().count(), 1 + sim.pods().len());
        let name = sim.pods()[0].pod.metadata.name.clone();
        assert_eq!(ask(&sim, &format!("get pod {name} -o name")).unwrap(), format!("pod/{name}\n"));
        assert_eq!(ask(&sim, &format!("get pods/{name} -o name")).unwrap(), format!("pod/{name}\n"));
        let wide = ask(&sim, "get po -o wide").unwrap();
        let header = wide.lines().next().unwrap();
        assert!(header.contains("   IP ") && header.ends_with("NOMINATED NODE   READINESS GATES"), "{wide}");
        let all = ask(&sim, "get pods -A --show-labels").unwrap();
        assert!(all.starts_with("NAMESPACE "), "{all}");
        assert!(all.lines().next().unwrap().ends_with("LABELS"), "{all}");
        assert!(all.contains("app=nginx"), "{all}");
        assert_eq!(ask(&sim, "get pods -l app=nope").unwrap(), "No resources found in default namespace.\n");
        assert_eq!(ask(&sim, "get pods -n dev").unwrap(), "No resources found in dev namespace.\n");
        assert_eq!(ask(&sim, "get pods x"), Err("Error from server (NotFound): pods \"x\" not found".into()));
        assert_eq!(ask(&sim, "get podz"), Err("error: the server doesn't have a resource type \"podz\"".into()));
        assert!(ask(&sim, "get deploy")
            .unwrap()
            .starts_with("NAME               READY   UP-TO-DATE   AVAILABLE   AGE"));
        assert_eq!(ask(&sim, "get deployment -o name").unwrap(), "deployment.apps/nginx-deployment\n");
        // kubectl's names come from the kinds table, the group-qualified too.
        for name in ["Deployments.apps", "deployment.apps", "deploy"] {
            assert_eq!(ask(&sim, &format!("get {name} -o name")).unwrap(), "deployment.apps/nginx-deployment\n");
        }
        assert_eq!(
            ask(&sim, "get jobs.apps"),
            Err("error: the server doesn't have a resource type \"jobs.apps\"".into())
        );
        assert!(ask(&sim, "get nodes").unwrap().starts_with("NAME "));
        // Cluster-scoped, as printStorageClass and printPersistentVolume print them.
        assert_eq!(ask(&sim, "get sc -o name").unwrap(), "storageclass.storage.k8s.io/standard\n");
        assert!(ask(&sim, "get storageclass -A")
            .unwrap()
            .contains("\nstandard (default)   rancher.io/local-path   Delete"));
        assert_eq!(ask(&sim, "get pv -n dev").unwrap(), "No resources found\n");
        assert!(
            ask(&sim, "get ds -o wide").unwrap_err().starts_with("podplay: "),
            "not printed yet, and said as podplay's"
        );
        assert_eq!(
            ask(&sim, "get nodes -o wide"),
            Err("podplay: get nodes -o wide is not printed here yet; the cluster view shows them".into())
        );
        assert!(ask(&sim, "get pods -o jsonpath").unwrap_err().starts_with("error: unable to match a printer"));
        assert!(ask(&sim, "get").unwrap_err().starts_with("You must specify the type of resource to get."));
        assert_eq!(ask(&sim, "get pods --bogus"), Err("error: unknown flag: --bogus".into()));
    }

    /// `get svc` as `printService` prints it; `get pdb`.
    #[test]
    fn services_and_budgets() {
        let sim = cluster("deployment", 60_000);
        let svc = ask(&sim, "get svc").unwrap();
        let mut lines = svc.lines();
        assert_eq!(lines.next(), Some("NAME    TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE"), "{svc}");
        let row: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
        assert_eq!(row[0], "nginx", "{svc}");
        assert_eq!(
            &row[1..],
            ["ClusterIP", &sim.services()[0].cluster_ip.unwrap().to_string(), "<none>", "80/TCP", "60s"]
        );
        assert!(ask(&sim, "get services -o wide").unwrap().lines().nth(1).unwrap().ends_with("app=nginx"));
        assert_eq!(ask(&sim, "get svc nope"), Err("Error from server (NotFound): services \"nope\" not found".into()));
        let pdb = cluster("pdb-drain", 60_000);
        let table = ask(&pdb, "get pdb").unwrap();
        assert_eq!(
            table,
            "NAME      MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nweb-pdb   N/A             1                 1                     60s\n"
        );
        assert_eq!(ask(&pdb, "get pdb -o name").unwrap(), "poddisruptionbudget.policy/web-pdb\n");
    }

    /// `get configmaps`, `secrets`, `namespaces` and `priorityclasses` as
    /// printConfigMap, printSecret, printNamespace and printPriorityClass
    /// print them: what the manifests applied, with the kind cluster's four
    /// namespaces and the two system PriorityClasses the engine has from
    /// the start.
    #[test]
    fn configmaps_secrets_namespaces_and_priority_classes() {
        let text = "\
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, labels: {app: web}}
data: {index.html: hello, mode: fast}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {a: b}
---
apiVersion: v1
kind: Secret
metadata: {name: db-password}
stringData: {password: s3cret}
data: {user: YWRtaW4=}
---
apiVersion: v1
kind: Secret
metadata: {name: registry}
type: kubernetes.io/dockerconfigjson
data: {.dockerconfigjson: e30=}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high-priority}
value: 100000
description: Customer-facing services.
";
        let mut sim = Sim::new(SimConfig::with_seed(1));
        sim.advance_to(5_000);
        let parsed = parse_manifests(text);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        sim.apply(parsed.objects);
        sim.advance_to(95_000);
        assert_eq!(ask(&sim, "get configmaps").unwrap(), "NAME         DATA   AGE\nweb-config   2      90s\n");
        assert_eq!(
            ask(&sim, "get cm -A").unwrap(),
            "NAMESPACE   NAME         DATA   AGE\ndefault     web-config   2      90s\nshop        settings     1      90s\n"
        );
        assert_eq!(ask(&sim, "get cm -l app=web -o name").unwrap(), "configmap/web-config\n");
        assert_eq!(
            ask(&sim, "get secrets").unwrap(),
            "NAME          TYPE                             DATA   AGE\n\
             db-password   Opaque                           2      90s\n\
             registry      kubernetes.io/dockerconfigjson   1      90s\n"
        );
        assert_eq!(ask(&sim, "get secrets -n shop").unwrap(), "No resources found in shop namespace.\n");
        assert_eq!(
            ask(&sim, "get ns").unwrap(),
            "NAME              STATUS   AGE\n\
             default           Active   95s\n\
             kube-node-lease   Active   95s\n\
             kube-public       Active   95s\n\
             kube-system       Active   95s\n\
             shop              Active   90s\n"
        );
        // The API server labels every namespace with its name.
        assert_eq!(
            ask(&sim, "get namespace shop --show-labels").unwrap(),
            "NAME   STATUS   AGE   LABELS\nshop   Active   90s   kubernetes.io/metadata.name=shop\n"
        );
        assert_eq!(
            ask(&sim, "get ns -A -l kubernetes.io/metadata.name=kube-system -o name").unwrap(),
            "namespace/kube-system\n"
        );
        assert_eq!(
            ask(&sim, "get pc").unwrap(),
            "NAME                      VALUE        GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY\n\
             high-priority             100000       false            90s   PreemptLowerPriority\n\
             system-cluster-critical   2000000000   false            95s   PreemptLowerPriority\n\
             system-node-critical      2000001000   false            95s   PreemptLowerPriority\n"
        );
        // No -o wide columns for any of them: the same table.
        assert_eq!(ask(&sim, "get priorityclasses -o wide"), ask(&sim, "get pc"));
        let pc =
            serde_json::from_str::<serde_json::Value>(&ask(&sim, "get pc high-priority -o json").unwrap()).unwrap();
        assert_eq!(pc["apiVersion"].as_str(), Some("scheduling.k8s.io/v1"));
        assert_eq!(pc["description"].as_str(), Some("Customer-facing services."));
        assert_eq!(pc["preemptionPolicy"].as_str(), Some("PreemptLowerPriority"));
        let ns = ask(&sim, "get ns default -o yaml").unwrap();
        assert!(ns.starts_with("apiVersion: v1\nkind: Namespace\nmetadata:\n  creationTimestamp: "), "{ns}");
        assert!(ns.contains("  resourceVersion: \"1000\"\n") && ns.ends_with("status:\n  phase: Active\n"), "{ns}");
        let secrets = ask(&sim, "get secrets -o json").unwrap();
        assert!(secrets.contains("\"password\": \"czNjcmV0\""), "{secrets}");
        assert_eq!(ask(&sim, "get cm nope"), Err("Error from server (NotFound): configmaps \"nope\" not found".into()));
    }

    /// `-o json` and `-o yaml`: one named object as it is, anything else as
    /// a List, sorted keys (kubectl prints an unstructured map).
    #[test]
    fn json_and_yaml() {
        let sim = cluster("single-container", 30_000);
        let one = ask(&sim, "get pod nginx -o json").unwrap();
        assert!(
            one.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Pod\",\n    \"metadata\": {\n"),
            "{one}"
        );
        let value = serde_json::from_str::<serde_json::Value>(&one).unwrap();
        assert_eq!(value["status"]["phase"].as_str(), Some("Running"));
        assert_eq!(
            value,
            serde_json::from_str::<serde_json::Value>(&json_out::to_json(&json::pod_json(&sim.pods()[0]))).unwrap()
        );
        let list = ask(&sim, "get pods -o json").unwrap();
        let value = serde_json::from_str::<serde_json::Value>(&list).unwrap();
        assert_eq!(value["kind"].as_str(), Some("List"));
        assert_eq!(value["items"][0]["metadata"]["name"].as_str(), Some("nginx"));
        assert!(
            list.ends_with(
                "    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
            ),
            "{list}"
        );
        let yaml = ask(&sim, "get po nginx -o yaml").unwrap();
        assert!(yaml.starts_with("apiVersion: v1\nkind: Pod\nmetadata:\n"), "{yaml}");
        assert!(yaml.contains("\n  phase: Running\n"), "{yaml}");
        let empty = ask(&sim, "get pods -n dev -o yaml").unwrap();
        assert_eq!(empty, "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n");
        assert!(ask(&sim, "get svc -o json").unwrap().contains("\"kind\": \"List\""));
        assert!(ask(&sim, "get events -o yaml").unwrap().contains("  kind: Event\n"));
        let nodes = ask(&sim, "get nodes -o json").unwrap();
        assert!(nodes.contains("\"kind\": \"Node\"") && nodes.contains("\"kubeletVersion\": \"v1.33.1\""), "{nodes}");
        assert!(ask(&sim, "get node node-1 -o yaml").unwrap().starts_with("apiVersion: v1\nkind: Node\n"));
    }

    /// `logs --previous` prints the run before the restart; before one,
    /// the kubelet's BadRequest.
    #[test]
    fn previous_logs() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: busybox\n    command: [sh, -c, 'echo started; sleep 5; echo failing; exit 1']\n";
        let mut sim = Sim::new(SimConfig::with_seed(1));
        sim.apply(parse_manifests(text).objects);
        sim.advance_to(3_000);
        assert_eq!(
            ask(&sim, "logs web -p"),
            Err("Error from server (BadRequest): previous terminated container \"app\" in pod \"web\" not found".into())
        );
        sim.advance_to(30_000);
        assert!(sim.pods()[0].status.container_statuses[0].restart_count >= 1);
        assert_eq!(ask(&sim, "logs web --previous"), Ok("started\nfailing\n".into()));
        assert_eq!(ask(&sim, "logs web -c app -p"), ask(&sim, "logs web --previous"));
    }

    #[test]
    fn describe_logs_and_events() {
        let sim = cluster("single-container", 30_000);
        let d = ask(&sim, "describe pod nginx").unwrap();
        assert!(d.starts_with("Name:"), "{d}");
        assert_eq!(ask(&sim, "describe pods -l run=x").unwrap(), "No resources found in default namespace.\n");
        assert_eq!(ask(&sim, "describe pod x"), Err("Error from server (NotFound): pods \"x\" not found".into()));
        assert_eq!(
            ask(&sim, "describe deployment web"),
            Err("podplay: describe prints pods here, not deployments yet".into())
        );
        assert_eq!(
            ask(&sim, "logs nginx"),
            Ok(sim.logs("default", "nginx", "nginx").unwrap().iter().map(|l| format!("{l}\n")).collect())
        );
        assert_eq!(ask(&sim, "logs nginx --tail=0"), Ok(String::new()));
        assert_eq!(ask(&sim, "logs nope"), Err("Error from server (NotFound): pods \"nope\" not found".into()));
        assert_eq!(ask(&sim, "logs nginx -c x"), Err("error: container x is not valid for pod nginx".into()));
        assert_eq!(
            ask(&sim, "logs nginx --previous"),
            Err("Error from server (BadRequest): previous terminated container \"nginx\" in pod \"nginx\" not found"
                .into())
        );
        let events = ask(&sim, "events").unwrap();
        assert!(events.starts_with("LAST SEEN   TYPE     REASON"), "{events}");
        assert!(events.contains("Pod/nginx"), "{events}");
        let get = ask(&sim, "get events").unwrap();
        assert!(get.contains("pod/nginx") && !get.contains("Pod/nginx"), "{get}");
        let all = ask(&sim, "events -A").unwrap();
        assert!(all.starts_with("NAMESPACE   LAST SEEN"), "{all}");
        assert!(all.lines().skip(1).all(|l| l.starts_with("default ")), "{all}");
        assert_eq!(ask(&sim, "events -n dev").unwrap(), "No resources found in dev namespace.\n");
    }
}
