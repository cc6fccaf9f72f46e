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
    (Tab::Controllers, "kubectl get deploy,rs"),
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
        Tab::Controllers => {
            // With two kinds asked for, kubectl prefixes each name with its kind.
            let prefixed = |mut row: Vec<String>, kind: &str| {
                row[0] = format!("{kind}/{}", row[0]);
                row
            };
            let deployments: Vec<Vec<String>> =
                player.deployments().map(|d| prefixed(kubectl::deployment_row(d, now, false), "deployment.apps")).collect();
            let replica_sets: Vec<Vec<String>> =
                player.replica_sets().map(|r| prefixed(kubectl::replicaset_row(r, now, false), "replicaset.apps")).collect();
            let text = if deployments.is_empty() && replica_sets.is_empty() {
                "No resources found in default namespace.".to_string()
            } else {
                format!(
                    "{}\n{}",
                    kubectl::format_table(&kubectl::DEPLOYMENTS_HEADER, &deployments),
                    kubectl::format_table(&kubectl::REPLICASETS_HEADER, &replica_sets)
                )
            };
            ("kubectl get deployments,replicasets".into(), text)
        }
        Tab::Yaml => match pod {
            Some(p) => (format!("kubectl get pod {} -o yaml", p.pod.metadata.name), to_yaml(&pod_json(p))),
            None => ("kubectl get pod -o yaml".into(), "No resources found in default namespace.".into()),
        },
    }
}
