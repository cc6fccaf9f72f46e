//! Nodes in the live view: status as `kubectl get nodes` prints it, taints,
//! requests, and the node actions (stop/start the kubelet, cordon, drain),
//! each appended to the session like every other action.

use super::cluster::{act_cb, bind};
use super::Shared;
use crate::core::engine::{NodeReady, NodeSnapshot};
use crate::play::nodes::{node_note, node_usage, taint_text};
use yew::prelude::*;

/// The node section's classes: its state by border and pattern too.
pub fn node_classes(n: &NodeSnapshot) -> Classes {
    classes!(
        "node",
        (n.ready == NodeReady::Unknown).then_some("not-ready"),
        n.stopped.then_some("stopped"),
        n.unschedulable.then_some("cordoned")
    )
}

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub node: Shared<NodeSnapshot>,
    /// Pods the page shows on the node.
    pub pods: usize,
    pub on_act: Callback<String>,
}

/// A node's heading, facts and actions (its Pods follow in the section).
#[function_component(NodeHeader)]
pub fn node_header(props: &HeaderProps) -> Html {
    let n = &*props.node;
    let name = &n.name;
    let status = n.status_column();
    let icon = match (n.ready, n.stopped) {
        (NodeReady::Unknown, _) => "⊠",
        (NodeReady::True, true) => "◫",
        _ => "▣",
    };
    let act = |verb: String| act_cb(&props.on_act, verb);
    let pods = props.pods;
    html! {
        <>
            <header class="node-head">
                <h2 class="node-name"><span aria-hidden="true">{ format!("{icon} ") }</span>{ name }
                    <span class="muted">{ format!(" · {pods} Pod{}", if pods == 1 { "" } else { "s" }) }</span>
                </h2>
                <span class="status node-status" data-testid="node-status" title="STATUS, as kubectl get nodes prints it">{ status }</span>
            </header>
            if let Some(note) = node_note(n) {
                <p class="node-note" data-testid="node-note">{ note }</p>
            }
            <p class="node-usage muted" title="Requests of the Pods on the node, against what it can allocate">{ node_usage(n) }</p>
            if !n.taints.is_empty() {
                <ul class="taints" aria-label="Taints">
                    { for n.taints.iter().map(|t| html! { <li class="taint" data-testid="taint">{ taint_text(t) }</li> }) }
                </ul>
            }
            <div class="node-actions" role="group" aria-label={format!("Actions on node {name}")}>
                if n.stopped {
                    <button onclick={act(format!("start node {name}"))} data-testid="node-start" aria-label={format!("Start the kubelet on {name}")}
                        title="The kubelet comes back: Ready again, the unreachable taints go">{"▶ Start"}</button>
                } else {
                    <button onclick={act(format!("stop node {name}"))} data-testid="node-stop" aria-label={format!("Stop the kubelet on {name}")}
                        title="The machine goes down: the kubelet stops posting status">{"■ Stop"}</button>
                }
                if n.unschedulable {
                    <button onclick={act(format!("uncordon node {name}"))} data-testid="node-uncordon" aria-label={format!("Uncordon {name}")}
                        title="kubectl uncordon: new Pods may be scheduled here again">{"Uncordon"}</button>
                } else {
                    <button onclick={act(format!("cordon node {name}"))} data-testid="node-cordon" aria-label={format!("Cordon {name}")}
                        title="kubectl cordon: no new Pods here; running ones stay">{"Cordon"}</button>
                }
                <button onclick={act(format!("drain node {name}"))} data-testid="node-drain" aria-label={format!("Drain {name}")}
                    title="kubectl drain --ignore-daemonsets: cordon, then evict every Pod but DaemonSet Pods; refuses Pods no controller owns and running Pods with an emptyDir volume">{"Drain"}</button>
                <button onclick={act(format!("drain node {name} --force --delete-emptydir-data"))} data-testid="node-drain-force" aria-label={format!("Drain --force: drain {name} with --force and --delete-emptydir-data")}
                    title="kubectl drain --ignore-daemonsets --force --delete-emptydir-data: Pods no controller owns are deleted too (and not re-created), emptyDir data is lost">{"Drain --force"}</button>
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct AddProps {
    /// A free name to offer (`node-4`).
    pub suggested: AttrValue,
    pub on_act: Callback<String>,
}

/// `add node NAME cpu=N memory=Q`: a new worker joins the cluster.
#[function_component(AddNode)]
pub fn add_node(props: &AddProps) -> Html {
    let name = use_state(String::new);
    let cpu = use_state(|| "4".to_string());
    let memory = use_state(|| "8Gi".to_string());
    let submit = {
        let (name, cpu, memory, on_act, suggested) =
            (name.clone(), cpu.clone(), memory.clone(), props.on_act.clone(), props.suggested.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let n = name.trim();
            let n = if n.is_empty() { suggested.as_str() } else { n };
            on_act.emit(format!("add node {n} cpu={} memory={}", cpu.trim(), memory.trim()));
            name.set(String::new());
        })
    };
    html! {
        <form class="add-node" onsubmit={submit} aria-label="Add a node">
            <span class="add-title" aria-hidden="true">{"A new node:"}</span>
            <label>{"Name "}<input value={(*name).clone()} oninput={bind(&name)} placeholder={props.suggested.clone()} data-testid="node-name" spellcheck="false" size="10" /></label>
            <label>{"CPU "}<input value={(*cpu).clone()} oninput={bind(&cpu)} data-testid="node-cpu" size="4" /></label>
            <label>{"Memory "}<input value={(*memory).clone()} oninput={bind(&memory)} data-testid="node-memory" size="5" /></label>
            <button type="submit" data-testid="add-node" title="add node NAME cpu=N memory=Q: a new worker joins, Ready at once">{"+ Add node"}</button>
        </form>
    }
}

/// The first `node-N` not taken.
pub fn free_name(nodes: &[std::rc::Rc<NodeSnapshot>]) -> String {
    (1..=nodes.len() + 1).map(|i| format!("node-{i}")).find(|n| !nodes.iter().any(|x| &x.name == n)).unwrap_or_default()
}
