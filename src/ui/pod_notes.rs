//! The page's own notes on a Pod card, marked as the page's ("ℹ", the
//! `explain` style) and never as kubectl output: a stop under way (what the
//! kubelet does, when SIGKILL comes), a deletion and the Services it left,
//! a replacement's new IP, an IP kept through restarts; and the short-lived
//! trace a deleted Pod leaves on its node.

use crate::core::engine::ProbeKind;
use crate::core::status::{ContainerState, PodSnapshot};
use crate::core::time::Millis;
use crate::play::{lineage, stops, Player, ProbeViews};
use yew::prelude::*;

/// How long after a replacement's creation, or a container's restart, its
/// IP note stays on the card (simulated time).
const IP_NOTE_MS: Millis = 60_000;

/// The lines about each container being stopped, and the Pod's own notes.
pub type Notes = (Vec<(String, Vec<String>)>, Vec<String>);

/// What the page adds to a Pod's card now.
pub fn pod_notes(player: &Player, p: &PodSnapshot, probes: &[(String, ProbeViews)], now: Millis) -> Notes {
    let meta = &p.pod.metadata;
    let deleting = p.server.deletion_ms.is_some();
    let running =
        p.status.container_statuses.iter().chain(&p.status.init_container_statuses).any(|c| c.state.is_running());
    let stopping = if deleting || running { player.sim().stopping(&meta.namespace, &meta.name) } else { Vec::new() };
    let stops = stopping
        .iter()
        .map(|s| {
            let views = probes.iter().find(|(n, _)| *n == s.container).map(|(_, v)| *v).unwrap_or_default();
            let probe = if s.probe == Some(ProbeKind::Startup) { views[0] } else { views[1] };
            (s.container.clone(), stops::stopping_lines(p, s, probe, now))
        })
        .collect();
    let mut notes = Vec::new();
    if deleting {
        let slices = player.services().filter_map(|s| player.slice_of(&meta.namespace, &s.service.metadata.name));
        notes.extend(stops::deletion_lines(p, slices.map(|s| &**s), now));
    } else {
        if let Some(r) = player.replaces(&p.server.uid).filter(|_| recently_replaced(player, p)) {
            notes.push(lineage::replacement_note(p, r));
        }
        let restarted_lately = p.status.container_statuses.iter().chain(&p.status.init_container_statuses).any(
            |c| matches!(&c.last_state, Some(ContainerState::Terminated(t)) if now < t.finished_at_ms + IP_NOTE_MS),
        );
        if restarted_lately {
            notes.extend(lineage::kept_ip_note(p));
        }
    }
    (stops, notes)
}

/// The Pod replaced another less than [`IP_NOTE_MS`] ago.
pub fn recently_replaced(player: &Player, p: &PodSnapshot) -> bool {
    player.now() < p.server.creation_ms + IP_NOTE_MS && player.replaces(&p.server.uid).is_some()
}

/// A list of the page's explanations.
pub fn explain_list(lines: &[String], testid: &'static str) -> Html {
    if lines.is_empty() {
        return html! {};
    }
    html! {
        <ul class="explain" data-testid={testid}>
            { for lines.iter().map(|l| html! { <li><span class="explain-mark" title="podplay's explanation, not kubectl output">{"ℹ "}</span>{ l }</li> }) }
        </ul>
    }
}

/// The trace a deleted Pod leaves for a moment.
pub fn gone_card(g: &stops::Gone) -> Html {
    let name = &g.pod.pod.metadata.name;
    let lines = stops::gone_lines(g);
    html! {
        // Not an `article.pod`: a trace is no Pod (views and tests that count Pods skip it).
        <aside class="pod-gone" key={format!("gone/{}", g.pod.server.uid)} data-testid={format!("gone-{name}")}
            aria-label={format!("Pod {name}: gone")}>
            <header class="pod-head">
                <span class="pod-name"><span class="state-icon" aria-hidden="true">{"○"}</span>{ format!(" {name}") }</span>
                <span class="status explain-mark" title="podplay's explanation, not kubectl output">{"ℹ gone from the API"}</span>
            </header>
            { explain_list(&lines, "gone-note") }
        </aside>
    }
}
