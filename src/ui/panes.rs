//! Panes that read like kubectl: `get pods -w`, `describe pod`, `events`,
//! and `get pod -o yaml` with the live status. The text comes from the same
//! printers the CLI uses (`core::kubectl`, `core::json`).

use super::cluster::ns_flag;
use super::{PlayerRef, Tab};
use crate::core::json::pod_json;
use crate::core::kubectl;
use crate::core::time::go_duration;
use crate::core::yaml_out::to_yaml;
use crate::play::Player;
use yew::prelude::*;

/// `get pods -w` rows shown (the newest).
const WATCH_ROWS_SHOWN: usize = 150;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub player: PlayerRef,
    pub tab: Tab,
    pub selected: Option<String>,
    pub on_tab: Callback<Tab>,
}

const TABS: [(Tab, &str); 5] = [
    (Tab::Watch, "kubectl get pods -w"),
    (Tab::Describe, "kubectl describe pod"),
    (Tab::Events, "kubectl events"),
    (Tab::Yaml, "kubectl get pod -o yaml"),
    (Tab::Controllers, "kubectl get nodes,deploy,rs,sts,ds,jobs,cj,pvc,pdb"),
];

#[function_component(Panes)]
pub fn panes(props: &Props) -> Html {
    let player = props.player.rc.borrow();
    let (command, body) = content(&player, props.tab, props.selected.as_deref());
    html! {
        <section class="panes" aria-label="kubectl views">
            <div class="tabs" role="tablist">
                { for TABS.iter().map(|(tab, label)| {
                    let on_tab = props.on_tab.clone();
                    let tab = *tab;
                    html! {
                        <button role="tab" aria-selected={(tab == props.tab).to_string()} class={classes!("tab", (tab == props.tab).then_some("active"))}
                            onclick={Callback::from(move |_| on_tab.emit(tab))}>{ *label }</button>
                    }
                }) }
            </div>
            <div class="pane-body" role="tabpanel" tabindex="0">
                <div class="prompt" aria-hidden="true">{ format!("$ {command}") }</div>
                <pre class="kubectl" data-testid="pane">{ body }</pre>
            </div>
        </section>
    }
}

/// The command shown and its output.
fn content(player: &Player, tab: Tab, selected: Option<&str>) -> (String, String) {
    let now = player.now();
    let pod = selected
        .and_then(|k| k.split_once('/'))
        .and_then(|(ns, name)| player.pod(ns, name))
        .or_else(|| player.pods().next());
    match tab {
        Tab::Watch => {
            let rows = player.watch_rows();
            let from = rows.len().saturating_sub(WATCH_ROWS_SHOWN);
            // Pods outside `default` are seen with -A, which prints NAMESPACE
            // after EVENT (tableprinter.go: decorateTable, then the event column).
            let all = rows[from..].iter().any(|r| r.namespace != "default");
            let mut header = vec!["TIME", "EVENT"];
            if all {
                header.push("NAMESPACE");
            }
            header.extend(kubectl::PODS_HEADER);
            header.extend(["IP", "NODE"]);
            let table: Vec<Vec<String>> = rows[from..]
                .iter()
                .map(|r| {
                    let mut row = vec![go_duration(r.time_ms), r.type_.as_str().to_string()];
                    if all {
                        row.push(r.namespace.clone());
                    }
                    row.extend(r.cells.iter().cloned());
                    row
                })
                .collect();
            let mut text = String::new();
            let dropped = from + player.watch_rows_dropped();
            if dropped > 0 {
                text.push_str(&format!("({dropped} earlier rows not shown)\n"));
            }
            text.push_str(&kubectl::format_table(&header, &table));
            let a = if all { " -A" } else { "" };
            (format!("kubectl get pods{a} -o wide -w --output-watch-events   # with the simulated time first"), text)
        }
        Tab::Describe => match pod {
            Some(p) => (
                format!("kubectl describe pod {}{}", p.pod.metadata.name, ns_flag(&p.pod.metadata.namespace)),
                kubectl::describe_pod(p, player.events(), now),
            ),
            None => ("kubectl describe pod".into(), "No resources found in default namespace.".into()),
        },
        Tab::Events => {
            let events = player.events();
            let all = events.iter().any(|e| !matches!(e.involved.namespace.as_str(), "default" | ""));
            let text = if events.is_empty() {
                "No events found in default namespace.".to_string()
            } else if all {
                let mut header = vec!["NAMESPACE"];
                header.extend(kubectl::EVENTS_HEADER);
                kubectl::format_table(&header, &kubectl::events_rows_all_namespaces(events, now))
            } else {
                kubectl::format_table(&kubectl::EVENTS_HEADER, &kubectl::events_rows(events, now))
            };
            (if all { "kubectl events -A" } else { "kubectl events" }.into(), text)
        }
        Tab::Controllers => {
            let (all, text) = get_many(player);
            let a = if all { " -A" } else { "" };
            (format!("kubectl get nodes,deployments,replicasets,statefulsets,daemonsets,jobs,cronjobs,pvc{a}"), text)
        }
        Tab::Yaml => match pod {
            Some(p) => (
                format!("kubectl get pod {}{} -o yaml", p.pod.metadata.name, ns_flag(&p.pod.metadata.namespace)),
                to_yaml(&pod_json(p)),
            ),
            None => ("kubectl get pod -o yaml".into(), "No resources found in default namespace.".into()),
        },
    }
}

/// One kind's header, its kind prefix and its rows, each with its
/// namespace (empty for a cluster-scoped kind).
type KindTable<'a> = (&'a [&'a str], &'a str, Vec<(String, Vec<String>)>);

/// `kubectl get nodes,deployments,…`: with several kinds asked for, kubectl
/// prints one table per kind that has objects, a blank line between them,
/// each name prefixed with its kind (`deployment.apps/web`). With objects
/// outside `default` it is `-A`: NAMESPACE first, except for nodes.
/// Returns whether it is `-A`, and the text.
fn get_many(player: &Player) -> (bool, String) {
    let now = player.now();
    let ns = |m: &crate::core::api::ObjectMeta| m.namespace.clone();
    let tables: [KindTable; 9] = [
        (
            &kubectl::NODES_HEADER,
            "node",
            player.nodes().iter().map(|n| (String::new(), kubectl::node_row(n, now))).collect(),
        ),
        (
            &kubectl::DEPLOYMENTS_HEADER,
            "deployment.apps",
            player
                .deployments()
                .map(|d| (ns(&d.deployment.metadata), kubectl::deployment_row(d, now, false)))
                .collect(),
        ),
        (
            &kubectl::REPLICASETS_HEADER,
            "replicaset.apps",
            player
                .replica_sets()
                .map(|r| (ns(&r.replica_set.metadata), kubectl::replicaset_row(r, now, false)))
                .collect(),
        ),
        (
            &kubectl::STATEFULSETS_HEADER,
            "statefulset.apps",
            player
                .stateful_sets()
                .map(|s| (ns(&s.stateful_set.metadata), kubectl::statefulset_row(s, now, false)))
                .collect(),
        ),
        (
            &kubectl::DAEMONSETS_HEADER,
            "daemonset.apps",
            player.daemon_sets().iter().map(|d| (ns(&d.daemon_set.metadata), kubectl::daemonset_row(d, now))).collect(),
        ),
        (
            &kubectl::JOBS_HEADER,
            "job.batch",
            player.jobs().map(|j| (ns(&j.job.metadata), kubectl::job_row(j, now, false))).collect(),
        ),
        (
            &kubectl::CRONJOBS_HEADER,
            "cronjob.batch",
            player.cron_jobs().map(|c| (ns(&c.cron_job.metadata), kubectl::cronjob_row(c, now, false))).collect(),
        ),
        (
            &kubectl::PVCS_HEADER,
            "persistentvolumeclaim",
            player.claims().map(|c| (c.namespace.clone(), kubectl::pvc_row(c, now, false))).collect(),
        ),
        (
            &kubectl::PDBS_HEADER,
            "poddisruptionbudget.policy",
            player.budgets().map(|b| (ns(&b.pdb.metadata), kubectl::pdb_row(b, now))).collect(),
        ),
    ];
    let all = tables.iter().any(|(_, _, rows)| rows.iter().any(|(n, _)| !n.is_empty() && n != "default"));
    let printed: Vec<String> = tables
        .into_iter()
        .filter(|(_, _, rows)| !rows.is_empty())
        .map(|(header, kind, rows)| {
            let namespaced = all && rows.iter().any(|(n, _)| !n.is_empty());
            let mut head: Vec<&str> = Vec::new();
            if namespaced {
                head.push("NAMESPACE");
            }
            head.extend(header);
            let rows: Vec<Vec<String>> = rows
                .into_iter()
                .map(|(n, mut row)| {
                    row[0] = format!("{kind}/{}", row[0]);
                    if namespaced {
                        row.insert(0, n);
                    }
                    row
                })
                .collect();
            kubectl::format_table(&head, &rows)
        })
        .collect();
    let text =
        if printed.is_empty() { "No resources found in default namespace.".to_string() } else { printed.join("\n") };
    (all, text)
}
