//! Panes that read like kubectl: `get pods -w`, `describe pod`, `events`,
//! and `get pod -o yaml` with the live status. The text comes from the same
//! printers the CLI uses (`core::kubectl`, `core::json`).

use super::{PlayerRef, Tab};
use crate::core::json::pod_json;
use crate::core::kubectl;
use crate::core::time::go_duration;
use crate::play::yaml_out::to_yaml;
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
    (Tab::Controllers, "kubectl get nodes,deploy,rs,sts,ds,jobs,cj,pvc"),
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
            let mut header = vec!["TIME", "EVENT"];
            header.extend(kubectl::PODS_HEADER);
            header.extend(["IP", "NODE"]);
            let table: Vec<Vec<String>> = rows[from..]
                .iter()
                .map(|r| {
                    let mut row = vec![go_duration(r.time_ms), r.type_.as_str().to_string()];
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
            ("kubectl get pods -o wide -w --output-watch-events   # with the simulated time first".into(), text)
        }
        Tab::Describe => match pod {
            Some(p) => (
                format!("kubectl describe pod {}", p.pod.metadata.name),
                kubectl::describe_pod(p, player.events(), now),
            ),
            None => ("kubectl describe pod".into(), "No resources found in default namespace.".into()),
        },
        Tab::Events => {
            let rows = kubectl::events_rows(player.events(), now);
            let text = if rows.is_empty() {
                "No events found in default namespace.".to_string()
            } else {
                kubectl::format_table(&kubectl::EVENTS_HEADER, &rows)
            };
            ("kubectl events".into(), text)
        }
        Tab::Controllers => (
            "kubectl get nodes,deployments,replicasets,statefulsets,daemonsets,jobs,cronjobs,pvc".into(),
            get_many(player),
        ),
        Tab::Yaml => match pod {
            Some(p) => (format!("kubectl get pod {} -o yaml", p.pod.metadata.name), to_yaml(&pod_json(p))),
            None => ("kubectl get pod -o yaml".into(), "No resources found in default namespace.".into()),
        },
    }
}

/// One kind's header, its kind prefix and its rows.
type KindTable<'a> = (&'a [&'a str], &'a str, Vec<Vec<String>>);

/// `kubectl get nodes,deployments,…`: with several kinds asked for, kubectl
/// prints one table per kind that has objects, a blank line between them,
/// each name prefixed with its kind (`deployment.apps/web`).
fn get_many(player: &Player) -> String {
    let now = player.now();
    let prefixed = |kind: &str, mut row: Vec<String>| {
        row[0] = format!("{kind}/{}", row[0]);
        row
    };
    let tables: [KindTable; 8] = [
        (&kubectl::NODES_HEADER, "node", player.nodes().iter().map(|n| kubectl::node_row(n, now)).collect()),
        (
            &kubectl::DEPLOYMENTS_HEADER,
            "deployment.apps",
            player.deployments().map(|d| kubectl::deployment_row(d, now, false)).collect(),
        ),
        (
            &kubectl::REPLICASETS_HEADER,
            "replicaset.apps",
            player.replica_sets().map(|r| kubectl::replicaset_row(r, now, false)).collect(),
        ),
        (
            &kubectl::STATEFULSETS_HEADER,
            "statefulset.apps",
            player.stateful_sets().map(|s| kubectl::statefulset_row(s, now, false)).collect(),
        ),
        (
            &kubectl::DAEMONSETS_HEADER,
            "daemonset.apps",
            player.daemon_sets().iter().map(|d| kubectl::daemonset_row(d, now)).collect(),
        ),
        (&kubectl::JOBS_HEADER, "job.batch", player.jobs().map(|j| kubectl::job_row(j, now, false)).collect()),
        (
            &kubectl::CRONJOBS_HEADER,
            "cronjob.batch",
            player.cron_jobs().map(|c| kubectl::cronjob_row(c, now, false)).collect(),
        ),
        (
            &kubectl::PVCS_HEADER,
            "persistentvolumeclaim",
            player.claims().map(|c| kubectl::pvc_row(c, now, false)).collect(),
        ),
    ];
    let printed: Vec<String> = tables
        .into_iter()
        .filter(|(_, _, rows)| !rows.is_empty())
        .map(|(header, kind, rows)| {
            kubectl::format_table(header, &rows.into_iter().map(|r| prefixed(kind, r)).collect::<Vec<_>>())
        })
        .collect();
    if printed.is_empty() {
        "No resources found in default namespace.".to_string()
    } else {
        printed.join("\n")
    }
}
