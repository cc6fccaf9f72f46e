//! The live view: nodes with their Pods, each Pod with its containers, and
//! Services with their endpoints. Every state is told in words and by shape
//! (an icon) as well as by colour.

use super::pod_notes::{explain_list, gone_card, pod_notes, recently_replaced};
use super::{nodes, workloads, PlayerRef, Shared};
use crate::core::kubectl;
use crate::core::status::{
    ConditionType, ContainerState, ContainerStatus, DeploymentSnapshot, EventType, PersistentVolumeClaimSnapshot,
    PodSnapshot, ReplicaSetSnapshot,
};
use crate::core::time::{go_duration, Millis};
use crate::play::probe_history::recovered;
use crate::play::timeline::{container_label, LaneState};
use crate::play::{arrows, backoff_until, explain, explain_job, pod_key, ProbeViews};
use std::rc::Rc;
use yew::prelude::*;

/// Past this many Pods, each is drawn as a tile (select one for its details).
pub const COMPACT_OVER: usize = 40;
/// Tiles drawn per node; the rest are counted (a page with thousands of
/// Pods stays responsive).
pub const MAX_TILES_PER_NODE: usize = 400;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub player: PlayerRef,
    pub selected: Option<String>,
    pub on_select: Callback<String>,
    pub on_act: Callback<String>,
    /// Draw the arrows from the Service cards to their endpoints' Pods.
    #[prop_or(true)]
    pub arrows: bool,
    /// The arrows' toggle was pressed.
    #[prop_or_default]
    pub on_arrows: Callback<()>,
}

/// A state's icon: the same shapes in the cluster view and the timeline.
pub fn icon(state: LaneState) -> &'static str {
    match state {
        LaneState::Pending => "◌",
        LaneState::Running => "◐",
        LaneState::Ready => "●",
        LaneState::Trouble => "▲",
        LaneState::Terminating => "◍",
        LaneState::Succeeded => "✔",
        LaneState::Failed => "✖",
    }
}

/// The Pod has been Ready since after `t`: a warning from then is history,
/// shown without alarm.
fn settled_since(p: &PodSnapshot, t: Millis) -> bool {
    p.status.condition(ConditionType::Ready).is_some_and(|c| c.status && c.last_transition_ms > t)
}

#[function_component(ClusterView)]
pub fn cluster_view(props: &Props) -> Html {
    let container = use_node_ref();
    let overlay = use_node_ref();
    let player = props.player.rc.borrow();
    let now = props.player.now;
    // Pods in several namespaces: each card says its own.
    let several_namespaces = {
        let mut names = player.pods().map(|p| &p.pod.metadata.namespace);
        let first = names.next();
        names.any(|n| Some(n) != first)
    };
    // The latest event of each Pod and Job (by UID), to say why it is as it is.
    let why = |uid: &str| player.latest_event(uid);
    let full = |p: &std::rc::Rc<PodSnapshot>| {
        let key = pod_key(p);
        let event = why(p.server.uid.as_str());
        // Only a Pod in back-off shows a clock, so only it re-renders each second.
        let countdown = p
            .status
            .container_statuses
            .iter()
            .chain(&p.status.init_container_statuses)
            .filter_map(|c| backoff_until(c).map(|t| (c.name.clone(), t.saturating_sub(now))))
            .collect::<Vec<_>>();
        let probes = p
            .status
            .init_container_statuses
            .iter()
            .chain(&p.status.container_statuses)
            .map(|c| (c.name.clone(), player.probes(&key, &c.name)))
            .collect::<Vec<_>>();
        let (stops, notes) = pod_notes(&player, p, &probes, now);
        // A probe failure the probe has since recovered from is history:
        // it stays in the events and on the timeline, not on the card.
        let event = event.filter(|e| !recovered(e, &probes));
        html! {
            <PodCard
                key={key.clone()}
                pod={Shared(p.clone())}
                stops={stops}
                notes={notes}
                show_namespace={several_namespaces}
                why={event.map(|e| format!("{} {}", go_duration(e.last_ms), explain(e, p))).or_else(|| gated_note(p))}
                probes={probes}
                why_warning={event.is_some_and(|e| e.type_ == EventType::Warning && !settled_since(p, e.last_ms))}
                countdown={countdown}
                selected={props.selected.as_deref() == Some(key.as_str())}
                on_select={props.on_select.clone()}
                on_act={props.on_act.clone()}
            />
        }
    };
    // Many Pods: one small tile each, so hundreds stay readable and cheap to draw.
    let compact = player.pods().len() > COMPACT_OVER;
    let card = |p: &std::rc::Rc<PodSnapshot>| {
        if compact {
            let key = pod_key(p);
            html! {
                <PodTile
                    key={key.clone()}
                    pod={Shared(p.clone())}
                    selected={props.selected.as_deref() == Some(key.as_str())}
                    on_select={props.on_select.clone()}
                />
            }
        } else {
            full(p)
        }
    };
    // Not on any node drawn: unscheduled, or bound by `spec.nodeName` to a
    // node that does not exist (no kubelet runs it; it stays Pending).
    let node_names: Vec<String> = player.nodes().iter().map(|n| n.name.clone()).collect();
    let unscheduled: Vec<_> =
        player.pods().filter(|p| p.node_name.as_ref().is_none_or(|n| !node_names.contains(n))).collect();
    let focused = compact
        .then(|| props.selected.as_deref().and_then(|k| k.split_once('/')).and_then(|(ns, n)| player.pod(ns, n)))
        .flatten();
    let (service_cards, links) = services(&player, &props.on_act);
    let any_links = !links.links.is_empty();
    let draw_arrows = props.arrows && any_links;
    let layout =
        if draw_arrows { layout_key(&player, compact, focused.map(|p| p.pod.metadata.name.as_str())) } else { 0 };
    let drawn = Rc::new(if draw_arrows { links.links } else { Vec::new() });
    super::arrows::use_endpoint_arrows(&container, &overlay, drawn, layout);
    html! {
        <div class="cluster" ref={container.clone()}>
            if compact {
                <p class="muted">{ format!("{} Pods: one tile each. Select a tile for its details.", player.pods().len()) }</p>
            }
            if let Some(p) = focused {
                <div class="focused">{ full(p) }</div>
            }
            <div class="nodes">
                { for player.nodes().iter().map(|n| {
                    let node = &n.name;
                    let pods: Vec<_> = player.pods().filter(|p| p.node_name.as_deref() == Some(node.as_str())).collect();
                    html! {
                        <section class={nodes::node_classes(n)} key={node.clone()} aria-label={format!("Node {node}: {}", n.status_column())} data-testid={format!("node-{node}")}>
                            <nodes::NodeHeader node={Shared(n.clone())} pods={pods.len()} on_act={props.on_act.clone()} />
                            <div class={if compact { "pods compact" } else { "pods" }}>
                                { for pods.iter().take(MAX_TILES_PER_NODE).map(|p| card(p)) }
                                if !compact {
                                    { for player.gone().filter(|g| g.pod.node_name.as_deref() == Some(node.as_str())).map(gone_card) }
                                }
                            </div>
                            if pods.len() > MAX_TILES_PER_NODE {
                                <p class="muted">{ format!("… and {} more Pods on {node} (see kubectl get pods -w)", pods.len() - MAX_TILES_PER_NODE) }</p>
                            }
                        </section>
                    }
                }) }
                if !unscheduled.is_empty() {
                    <section class="node unscheduled" aria-label="Pods not scheduled yet">
                        <h2 class="node-name">{"Waiting for a node"}</h2>
                        <div class={if compact { "pods compact" } else { "pods" }}>{ for unscheduled.iter().take(MAX_TILES_PER_NODE).map(|p| card(p)) }</div>
                        if unscheduled.len() > MAX_TILES_PER_NODE {
                            <p class="muted">{ format!("… and {} more Pods waiting", unscheduled.len() - MAX_TILES_PER_NODE) }</p>
                        }
                    </section>
                }
            </div>
            // The Services right under the nodes: their arrows to the Pods run
            // along the gap between them and up the gutters between the nodes.
            { service_cards }
            if any_links {
                { super::arrows::arrows_bar(props.arrows, links.left_out, &props.on_arrows) }
            }
            <nodes::AddNode suggested={AttrValue::from(nodes::free_name(player.nodes()))} on_act={props.on_act.clone()} />
            { for player.deployments().map(|d| {
                let m = &d.deployment.metadata;
                let rs: Vec<Shared<ReplicaSetSnapshot>> = player
                    .replica_sets()
                    .filter(|r| r.replica_set.metadata.namespace == m.namespace && r.replica_set.metadata.owner_references.iter().any(|o| o.controller && o.name == m.name))
                    .map(|r| Shared(r.clone()))
                    .collect();
                html! { <DeploymentCard key={format!("{}/{}", m.namespace, m.name)} deployment={Shared(d.clone())} replica_sets={rs} now={now} on_act={props.on_act.clone()} /> }
            }) }
            { for player.stateful_sets().map(|s| {
                let m = &s.stateful_set.metadata;
                let prefixes: Vec<String> = s.stateful_set.spec.volume_claim_templates.iter().map(|t| format!("{}-{}-", t.name, m.name)).collect();
                let claims: Vec<Shared<PersistentVolumeClaimSnapshot>> = player
                    .claims()
                    .filter(|c| c.namespace == m.namespace && prefixes.iter().any(|p| c.name.strip_prefix(p.as_str()).is_some_and(|o| o.bytes().all(|b| b.is_ascii_digit()))))
                    .map(|c| Shared(c.clone()))
                    .collect();
                html! { <workloads::StatefulSetCard key={format!("{}/{}", m.namespace, m.name)} set={Shared(s.clone())} claims={claims} now={now} on_act={props.on_act.clone()} /> }
            }) }
            { for player.daemon_sets().iter().map(|d| {
                let m = &d.daemon_set.metadata;
                html! { <workloads::DaemonSetCard key={format!("{}/{}", m.namespace, m.name)} set={Shared(d.clone())} now={now} on_act={props.on_act.clone()} /> }
            }) }
            { for player.cron_jobs().map(|c| workloads::cron_job_card(c, why(c.server.uid.as_str()), now, &props.on_act)) }
            { for player.budgets().map(|b| workloads::budget_card(b, now)) }
            { for player.jobs().map(|j| {
                let m = &j.job.metadata;
                let event = why(j.server.uid.as_str());
                html! {
                    <workloads::JobCard key={format!("{}/{}", m.namespace, m.name)} job={Shared(j.clone())} now={now} on_act={props.on_act.clone()}
                        why={event.map(|e| format!("{} {}", go_duration(e.last_ms), explain_job(e, j)))}
                        why_warning={event.is_some_and(|e| e.type_ == EventType::Warning)} />
                }
            }) }
            if player.pods().next().is_none() {
                <p class="empty">{"No Pods. Add a Pod to the manifests, or pick an example."}</p>
            }
            { for player.problems().into_iter().map(|p| html! { <p class="problem" role="note">{"⚠ "}{ p }</p> }) }
            if draw_arrows {
                { super::arrows::overlay(&overlay) }
            }
        </div>
    }
}

/// One card per Service, with the traffic counters as they are now: they
/// move with every request, not with the revision, so they are read at every
/// render (the page renders at least every [`super::SLOW_VIEW_MS`] while
/// requests are sent). Also the arrows from the cards to their endpoints.
fn services(player: &crate::play::Player, on_act: &Callback<String>) -> (Html, arrows::Links) {
    let mut traffic = player.traffic();
    let mut fans = Vec::new();
    let cards = html! {
        <div class="services">
            { for player.services().map(|s| {
                let meta = &s.service.metadata;
                let slice = player.slice_of(&meta.namespace, &meta.name);
                let t = traffic.iter().position(|t| t.namespace == meta.namespace && t.service == meta.name).map(|i| traffic.swap_remove(i));
                let replaced = slice.is_some_and(|sl| sl.endpoints.iter().any(|e| {
                    player.pod(&meta.namespace, &e.pod_name).is_some_and(|p| recently_replaced(player, p))
                }));
                if let Some(slice) = slice {
                    let traffic_on = t.as_ref().is_some_and(|t| t.rate.is_some());
                    fans.push(arrows::ServiceSlice { namespace: &meta.namespace, name: &meta.name, slice, traffic_on });
                }
                let slice = slice.map(|s| Shared(s.clone()));
                html! {
                    <super::traffic::ServiceCard key={format!("{}/{}", meta.namespace, meta.name)} service={Shared(s.clone())} {slice} traffic={t} {replaced}
                        on_act={on_act.clone()} />
                }
            }) }
        </div>
    };
    (cards, arrows::links(fans))
}

/// Changes when what decides where the cards stand changes: the nodes, the
/// Pods and the node each is drawn on (in drawing order), the Services, the
/// view's mode and the Pod shown on top. Sizes are watched by the overlay.
fn layout_key(player: &crate::play::Player, compact: bool, focused: Option<&str>) -> u64 {
    // FNV-1a over the names, each ended by a byte no name holds.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut mix = |s: &str| {
        for b in s.bytes().chain([0]) {
            h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
    };
    mix(if compact { "compact" } else { "cards" });
    mix(focused.unwrap_or_default());
    for n in player.nodes() {
        mix(&n.name);
    }
    for p in player.pods() {
        mix(&p.pod.metadata.namespace);
        mix(&p.pod.metadata.name);
        mix(p.node_name.as_deref().unwrap_or_default());
    }
    if !compact {
        for g in player.gone() {
            mix(&g.pod.server.uid);
        }
    }
    for s in player.services() {
        mix(&s.service.metadata.namespace);
        mix(&s.service.metadata.name);
    }
    h
}

#[derive(Properties, PartialEq)]
pub struct PodProps {
    pub pod: Shared<PodSnapshot>,
    pub why: Option<String>,
    pub why_warning: bool,
    /// (container, time left) for containers in crash back-off.
    pub countdown: Vec<(String, Millis)>,
    /// Each container's latest probe results.
    pub probes: Vec<(String, ProbeViews)>,
    /// The page's notes: per container being stopped, and on the Pod.
    pub stops: Vec<(String, Vec<String>)>,
    pub notes: Vec<String>,
    /// The Pods are in several namespaces: say this one's.
    #[prop_or_default]
    pub show_namespace: bool,
    pub selected: bool,
    pub on_select: Callback<String>,
    pub on_act: Callback<String>,
}

#[function_component(PodCard)]
pub fn pod_card(props: &PodProps) -> Html {
    let p = &*props.pod;
    let name = &p.pod.metadata.name;
    let ns = &p.pod.metadata.namespace;
    let status = kubectl::pod_status_column(p);
    let state = LaneState::of_pod_status(&status, p.status.is_ready());
    let terminating = p.server.deletion_ms.is_some();
    let act = |verb: String| act_cb(&props.on_act, verb);
    let ns_flag = ns_flag(ns);
    let select = {
        let key = pod_key(p);
        let on_select = props.on_select.clone();
        Callback::from(move |_: MouseEvent| on_select.emit(key.clone()))
    };
    let containers = p
        .status
        .init_container_statuses
        .iter()
        .map(|c| (c, true))
        .chain(p.status.container_statuses.iter().map(|c| (c, false)));
    html! {
        <article class={classes!("pod", format!("st-{}", state.as_str()), props.selected.then_some("selected"))}
            aria-label={if props.show_namespace { format!("Pod {name} in namespace {ns}: {status}") } else { format!("Pod {name}: {status}") }} data-testid={format!("pod-{name}")} data-pod-key={pod_key(p)}>
            <header class="pod-head">
                <button class="pod-name link" onclick={select} title="Show in describe pod" aria-pressed={props.selected.to_string()}>
                    <span class="state-icon" aria-hidden="true">{ icon(state) }</span>{ format!(" {name}") }
                </button>
                if props.show_namespace {
                    <span class="ns-tag" data-testid="namespace" title="metadata.namespace">{ format!("namespace {ns}") }</span>
                }
                <span class="status" data-testid="status">{ &status }</span>
            </header>
            <dl class="pod-facts">
                <div><dt>{"IP"}</dt><dd data-testid="ip">{ p.status.pod_ip.map_or("<none>".to_string(), |ip| ip.to_string()) }</dd></div>
                <div><dt>{"Ready"}</dt><dd>{ kubectl::pod_ready_column(p) }</dd></div>
                <div><dt>{"Phase"}</dt><dd data-testid="phase">{ p.status.phase.as_str() }</dd></div>
            </dl>
            <ul class="conditions" aria-label="Conditions">
                { for [ConditionType::PodScheduled, ConditionType::Initialized, ConditionType::ContainersReady, ConditionType::Ready].into_iter().map(|t| {
                    let c = p.status.condition(t);
                    let on = c.is_some_and(|c| c.status);
                    html! {
                        <li class={if on { "cond on" } else { "cond off" }} title={c.and_then(|c| c.reason.clone()).unwrap_or_default()}>
                            <span aria-hidden="true">{ if on { "✓" } else { "✗" } }</span>{ format!(" {}", t.as_str()) }
                            <span class="sr-only">{ if on { " true" } else { " false" } }</span>
                        </li>
                    }
                }) }
                // Set by an eviction or a taint-based deletion, not by the kubelet.
                { for p.status.condition(ConditionType::DisruptionTarget).filter(|c| c.status).map(|c| html! {
                    <li class="cond disruption" title={c.message.clone().unwrap_or_default()}>
                        <span aria-hidden="true">{"⚠"}</span>{ format!(" DisruptionTarget: {}", c.reason.as_deref().unwrap_or_default()) }
                    </li>
                }) }
            </ul>
            <ul class="containers">
                { for containers.map(|(c, init)| {
                    let probes = props.probes.iter().find(|(n, _)| *n == c.name).map(|(_, v)| *v).unwrap_or_default();
                    let stop = props.stops.iter().find(|(n, _)| *n == c.name).map(|(_, l)| l.as_slice());
                    container_row(c, init, terminating, &props.countdown, probes, stop, &act, name, &ns_flag)
                }) }
            </ul>
            { explain_list(&props.notes, "pod-note") }
            if let Some(owner) = p.controller() {
                <p class="owner muted">{ format!("Controlled by {}/{}", owner.kind, owner.name) }</p>
            }
            if let Some(why) = &props.why {
                <p class={classes!("why", props.why_warning.then_some("warning"))} data-testid="why">{ why }</p>
            }
            <div class="pod-actions">
                if !terminating {
                    <button onclick={act(format!("delete pod/{name}{ns_flag}"))} data-testid="delete">{"Delete"}</button>
                }
            </div>
        </article>
    }
}

#[allow(clippy::too_many_arguments)]
fn container_row(
    c: &ContainerStatus,
    init: bool,
    terminating: bool,
    countdown: &[(String, Millis)],
    probes: ProbeViews,
    stop: Option<&[String]>,
    act: &impl Fn(String) -> Callback<MouseEvent>,
    pod: &str,
    ns_flag: &str,
) -> Html {
    // A container being stopped is drawn as terminating, whatever its status says yet.
    let state = LaneState::of_container(c, terminating || stop.is_some());
    let running = matches!(c.state, ContainerState::Running { .. });
    let left = countdown.iter().find(|(n, _)| n == &c.name).map(|(_, t)| *t);
    let target = format!("pod/{pod} -c {}{ns_flag}", c.name);
    html! {
        <li class={classes!("container", format!("st-{}", state.as_str()))} key={c.name.clone()} data-testid={format!("container-{}", c.name)}>
            <span class="state-icon" aria-hidden="true">{ icon(state) }</span>
            <span class="cname">{ &c.name }</span>
            if init { <span class="tag">{"init"}</span> }
            <span class="cstate">{ container_label(c) }</span>
            if c.restart_count > 0 {
                <span class="restarts" title="restartCount">{ format!("↻ {}", c.restart_count) }</span>
            }
            { for probes.iter().zip(["startup", "liveness", "readiness"]).filter_map(|(v, kind)| v.map(|v| (v, kind))).map(|(v, kind)| {
                let title = format!("{kind} probe: last run at {} {}, {} in a row", go_duration(v.at_ms), if v.ok { "succeeded" } else { "failed" }, v.streak);
                html! {
                    <span class={classes!("probe", if v.ok { "ok" } else { "fail" })} title={title.clone()} aria-label={title}>
                        { format!("{kind} {}{}", if v.ok { "✓" } else { "✗" }, if v.ok || v.streak < 2 { String::new() } else { format!("{}", v.streak) }) }
                    </span>
                }
            }) }
            if let Some(left) = left {
                <span class="countdown" role="timer">{ format!("restart in {}", go_duration(left)) }</span>
            }
            if let Some(lines) = stop {
                { explain_list(lines, "stopping") }
            }
            if running && !terminating && stop.is_none() {
                <span class="cactions">
                    <button class="small" onclick={act(format!("kill {target}"))} title="The process dies (exit 137)">{"Kill"}</button>
                    <button class="small" onclick={act(format!("break {target}"))} title="The app stops answering probes and requests">{"Break"}</button>
                    <button class="small" onclick={act(format!("heal {target}"))} title="The app answers again">{"Heal"}</button>
                </span>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct TileProps {
    pub pod: Shared<PodSnapshot>,
    pub selected: bool,
    pub on_select: Callback<String>,
}

/// A Pod as one tile: its state by colour, icon and (for screen readers and
/// on hover) words.
#[function_component(PodTile)]
pub fn pod_tile(props: &TileProps) -> Html {
    let p = &*props.pod;
    let status = kubectl::pod_status_column(p);
    let state = LaneState::of_pod_status(&status, p.status.is_ready());
    let key = pod_key(p);
    let label = format!("{}: {status}, {} ready", p.pod.metadata.name, kubectl::pod_ready_column(p));
    let on_select = props.on_select.clone();
    html! {
        <button class={classes!("tile", format!("st-{}", state.as_str()), props.selected.then_some("selected"))}
            title={label.clone()} aria-label={label} aria-pressed={props.selected.to_string()}
            data-testid={format!("pod-{}", p.pod.metadata.name)} data-pod-key={pod_key(p)}
            onclick={Callback::from(move |_| on_select.emit(key.clone()))}>
            <span class="state-icon" aria-hidden="true">{ icon(state) }</span>
        </button>
    }
}

#[derive(Properties, PartialEq)]
pub struct DeploymentProps {
    pub deployment: Shared<DeploymentSnapshot>,
    pub replica_sets: Vec<Shared<ReplicaSetSnapshot>>,
    pub now: Millis,
    pub on_act: Callback<String>,
}

/// A Deployment as `kubectl get deployments` shows it, its ReplicaSets, and
/// the actions kubectl has for it: scale, set image, rollout restart/undo, delete.
#[function_component(DeploymentCard)]
pub fn deployment_card(props: &DeploymentProps) -> Html {
    let d = &*props.deployment;
    let dep = &d.deployment;
    let name = dep.metadata.name.clone();
    let ns_flag = ns_flag(&dep.metadata.namespace);
    let act = |verb: String| act_cb(&props.on_act, verb);
    let replicas = dep.spec.replicas;
    let row = kubectl::deployment_row(d, props.now, false);
    let revision = dep.metadata.annotations.get("deployment.kubernetes.io/revision").cloned().unwrap_or_default();
    html! {
        <section class="deployment" aria-label={format!("Deployment {name}")} data-testid={format!("deployment-{name}")}>
            <h2><span aria-hidden="true">{"▤ "}</span>{ format!("Deployment {name}") }{ ns_tag(&dep.metadata.namespace) }
                <span class="muted">{ format!(" · revision {revision} · {}", dep.spec.template.spec.containers.iter().map(|c| c.image.as_str()).collect::<Vec<_>>().join(", ")) }</span></h2>
            { kubectl_row(&kubectl::DEPLOYMENTS_HEADER, &row, "deployment-row") }
            <ul class="replicasets">
                { for props.replica_sets.iter().map(|r| {
                    let rs = &r.replica_set;
                    html! {
                        <li key={rs.metadata.name.clone()}>
                            { format!("ReplicaSet {} · desired {} · current {} · ready {}", rs.metadata.name, rs.spec.replicas, r.status.replicas, r.status.ready_replicas) }
                        </li>
                    }
                }) }
            </ul>
            <div class="dep-actions">
                { scale_group(&format!("deployment/{name}"), replicas, &ns_flag, &props.on_act) }
                <button onclick={act(format!("rollout restart deployment/{name}{ns_flag}"))} data-testid="rollout-restart">{"Rollout restart"}</button>
                <button onclick={act(format!("rollout undo deployment/{name}{ns_flag}"))}>{"Undo rollout"}</button>
                <button onclick={act(format!("delete deployment/{name}{ns_flag}"))}>{"Delete"}</button>
                { set_image(format!("deployment/{name}"), &dep.spec.template.spec, &ns_flag, &props.on_act) }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct SetImageProps {
    /// `deployment/NAME` or `daemonset/NAME`.
    pub target: String,
    /// The template's first container (the one set) and its image now.
    pub container: String,
    pub current: String,
    pub ns_flag: String,
    pub on_act: Callback<String>,
}

/// The [`SetImage`] form for a controller whose Pod template has `spec`.
pub(crate) fn set_image(
    target: String,
    spec: &crate::core::api::PodSpec,
    ns_flag: &str,
    on_act: &Callback<String>,
) -> Html {
    let first = spec.containers.first();
    let container = first.map(|c| c.name.clone()).unwrap_or_default();
    let current = first.map(|c| c.image.clone()).unwrap_or_default();
    html! { <SetImage {target} {container} {current} ns_flag={ns_flag.to_string()} on_act={on_act.clone()} /> }
}

/// `kubectl set image KIND/NAME CONTAINER=IMAGE` for a controller's first container.
#[function_component(SetImage)]
pub fn set_image_form(props: &SetImageProps) -> Html {
    let (container, current) = (props.container.clone(), props.current.clone());
    let image = use_state(|| current.clone());
    {
        // The field follows the controller's image when it changes (a set
        // image, an undo, a replayed scenario); a draft is kept until then.
        let image = image.clone();
        use_effect_with(current, move |current| image.set(current.clone()));
    }
    let on_image = bind(&image);
    let set_image = {
        let on_act = props.on_act.clone();
        let (image, target, container, ns_flag) =
            (image.clone(), props.target.clone(), container.clone(), props.ns_flag.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_act.emit(format!("set image {target} {container}={}{ns_flag}", image.trim()));
        })
    };
    html! {
        <form class="set-image" onsubmit={set_image}>
            <label>{ format!("Image of {container}: ") }
                <input value={(*image).clone()} oninput={on_image} data-testid="image" spellcheck="false" />
            </label>
            <button type="submit" data-testid="set-image">{"Set image"}</button>
        </form>
    }
}

/// An object outside `default` says its namespace beside its name (the
/// namespaces example has a Deployment and a Service named web in each of two).
pub(crate) fn ns_tag(namespace: &str) -> Html {
    if namespace == "default" {
        return html! {};
    }
    html! { <span class="ns-tag heading-ns" data-testid="object-namespace" title="metadata.namespace">{ format!("namespace {namespace}") }</span> }
}

/// ` -n NS` for an action on an object outside `default`.
pub(crate) fn ns_flag(namespace: &str) -> String {
    if namespace == "default" {
        String::new()
    } else {
        format!(" -n {namespace}")
    }
}

/// A button's click performs `verb` (the click does not reach the card under it).
pub(crate) fn act_cb(on_act: &Callback<String>, verb: String) -> Callback<MouseEvent> {
    let on_act = on_act.clone();
    Callback::from(move |e: MouseEvent| {
        e.stop_propagation();
        on_act.emit(verb.clone());
    })
}

/// One row of a `kubectl get` table under its header, NAME left out (the card says it).
pub(crate) fn kubectl_row(header: &[&str], row: &[String], testid: &'static str) -> Html {
    html! {
        <table class="kv">
            <thead><tr>{ for header.iter().skip(1).map(|h| html! { <th>{ *h }</th> }) }</tr></thead>
            <tbody><tr data-testid={testid}>{ for row.iter().skip(1).map(|c| html! { <td>{ c }</td> }) }</tr></tbody>
        </table>
    }
}

/// Keeps a text field's state in step with what is typed.
pub(crate) fn bind(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        use wasm_bindgen::JsCast;
        if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            state.set(i.value());
        }
    })
}

/// `−  N replicas  +` for `kubectl scale KIND/NAME`.
pub(crate) fn scale_group(target: &str, replicas: i32, ns_flag: &str, on_act: &Callback<String>) -> Html {
    html! {
        <span class="group" role="group" aria-label="Scale">
            <button onclick={act_cb(on_act, format!("scale {target} --replicas={}{ns_flag}", (replicas - 1).max(0)))} aria-label="Scale down by one" disabled={replicas == 0}>{"−"}</button>
            <span class="replicas" data-testid="replicas">{ format!("{replicas} replica{}", if replicas == 1 { "" } else { "s" }) }</span>
            <button onclick={act_cb(on_act, format!("scale {target} --replicas={}{ns_flag}", replicas + 1))} aria-label="Scale up by one" data-testid="scale-up">{"+"}</button>
        </span>
    }
}

/// Why a gated Pod waits (it has no event: the scheduler never saw it).
fn gated_note(p: &PodSnapshot) -> Option<String> {
    let gates = &p.pod.spec.scheduling_gates;
    (!gates.is_empty() && p.node_name.is_none()).then(|| {
        format!(
            "Scheduling gates {}: the scheduler waits until they are removed (podplay has no action that removes them)",
            gates.join(", ")
        )
    })
}
