//! The timeline: one lane per Pod and container, coloured and patterned by
//! state, with events as marks and a playhead. Click or drag to scrub; the
//! slider under it does the same from the keyboard.

use super::cluster::icon;
use super::PlayerRef;
use crate::core::decimal::fixed;
use crate::core::time::{go_duration, Millis, MINUTE_MS, SECOND_MS};
use crate::play::Lane;
use yew::prelude::*;

/// With at most this many lanes, every lane shows its probe ticks.
const TICK_LANES: usize = 12;
/// Lanes drawn; the rest are counted.
const MAX_LANES_SHOWN: usize = 80;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub player: PlayerRef,
    /// The right edge: the furthest time reached.
    pub end: Millis,
    pub on_seek: Callback<Millis>,
    pub selected: Option<String>,
    pub on_select: Callback<String>,
}

/// The smallest of 1m, 2m, 5m, 10m, 15m, 30m, 1h, 2h, … that holds `t`.
fn nice_ceil(t: Millis) -> Millis {
    const SCALES: [Millis; 8] = [1, 2, 5, 10, 15, 30, 60, 120];
    SCALES.iter().map(|m| m * MINUTE_MS).find(|s| *s >= t).unwrap_or_else(|| t.div_ceil(4 * 60 * MINUTE_MS) * 4 * 60 * MINUTE_MS)
}

/// Axis ticks: a step that gives at most ~8 labels.
fn tick_step(span: Millis) -> Millis {
    const STEPS: [Millis; 9] = [5, 10, 15, 30, 60, 120, 300, 600, 1800];
    STEPS.iter().map(|s| s * SECOND_MS).find(|s| span / s <= 8).unwrap_or(60 * MINUTE_MS)
}

#[function_component(TimelineView)]
pub fn timeline_view(props: &Props) -> Html {
    let track = use_node_ref();
    let dragging = use_mut_ref(|| false);
    let player = props.player.rc.borrow();
    let now = props.player.now;
    // The scale steps (1m, 2m, 5m, …) rather than growing every frame, so
    // drawn segments keep their positions and are not re-laid out.
    let end = nice_ceil(props.end.max(now));
    let pct = |t: Millis| (t.min(end) as f64 / end as f64) * 100.0;

    let seek_at = {
        let track = track.clone();
        let on_seek = props.on_seek.clone();
        move |client_x: i32| {
            let Some(el) = track.cast::<web_sys::Element>() else { return };
            let r = el.get_bounding_client_rect();
            if r.width() <= 0.0 {
                return;
            }
            let f = ((client_x as f64 - r.left()) / r.width()).clamp(0.0, 1.0);
            on_seek.emit((f * end as f64) as Millis);
        }
    };
    let onpointerdown = {
        let (seek_at, dragging) = (seek_at.clone(), dragging.clone());
        Callback::from(move |e: PointerEvent| {
            *dragging.borrow_mut() = true;
            seek_at(e.client_x());
        })
    };
    let onpointermove = {
        let (seek_at, dragging) = (seek_at.clone(), dragging.clone());
        Callback::from(move |e: PointerEvent| {
            if *dragging.borrow() && e.buttons() & 1 == 1 {
                seek_at(e.client_x());
            }
        })
    };
    let stop = {
        let dragging = dragging.clone();
        Callback::from(move |_: PointerEvent| *dragging.borrow_mut() = false)
    };
    let onrange = {
        let on_seek = props.on_seek.clone();
        Callback::from(move |e: InputEvent| {
            use wasm_bindgen::JsCast;
            if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                if let Ok(v) = i.value().parse::<f64>() {
                    on_seek.emit(v as Millis);
                }
            }
        })
    };

    let lanes = &player.timeline().lanes;
    let step = tick_step(end);
    let ticks: Vec<Millis> = (0..=end / step).map(|i| i * step).collect();
    let hidden = lanes.len().saturating_sub(MAX_LANES_SHOWN);
    html! {
        <section class="timeline" aria-label="Timeline">
            <div class="tl-head">
                <h2>{"Timeline"}</h2>
                <input
                    class="scrubber"
                    type="range"
                    min="0"
                    max={end.to_string()}
                    step="250"
                    value={now.to_string()}
                    oninput={onrange}
                    aria-label="Simulated time"
                    aria-valuetext={go_duration(now)}
                    data-testid="scrubber"
                />
                <span class="muted">{"Click or drag the lanes to go back in time; the run replays exactly."}</span>
            </div>
            <div class="tl-grid">
                <div class="tl-labels">
                    <div class="tl-axis-label" aria-hidden="true"></div>
                    { for lanes.iter().take(MAX_LANES_SHOWN).map(|l| lane_label(l, props)) }
                </div>
                <div class="tl-tracks" ref={track} {onpointerdown} {onpointermove} onpointerup={stop.clone()} onpointerleave={stop}>
                    <div class="tl-axis" aria-hidden="true">
                        { for ticks.iter().map(|t| html! { <span class="tick" style={format!("left:{}%", fixed(pct(*t), 3))}>{ go_duration(*t) }</span> }) }
                    </div>
                    { for lanes.iter().take(MAX_LANES_SHOWN).map(|l| {
                        // Probe ticks are many: drawn for a few lanes, or the selected Pod's.
                        let ticks = lanes.len() <= TICK_LANES || props.selected.as_deref() == Some(l.pod.as_str());
                        lane_track(l, now, &pct, ticks)
                    }) }
                    <div class="playhead" style={format!("left:{}%", fixed(pct(now), 3))} aria-hidden="true"></div>
                </div>
            </div>
            if hidden > 0 {
                <p class="muted">{ format!("{hidden} more lanes not drawn.") }</p>
            }
        </section>
    }
}

fn lane_label(l: &Lane, props: &Props) -> Html {
    let name = l.pod.split_once('/').map_or(l.pod.as_str(), |(_, n)| n);
    match &l.container {
        Some(c) => html! { <div class="tl-label container" key={l.key.clone()} title={l.key.clone()}>{ format!("  └ {c}") }</div> },
        None => {
            let key = l.pod.clone();
            let on_select = props.on_select.clone();
            let selected = props.selected.as_deref() == Some(l.pod.as_str());
            html! {
                <div class={classes!("tl-label", "tl-pod", selected.then_some("selected"), l.end_ms.is_some().then_some("gone"))} key={l.key.clone()}>
                    <button class="link" onclick={Callback::from(move |_| on_select.emit(key.clone()))}>{ name }</button>
                </div>
            }
        }
    }
}

fn lane_track(l: &Lane, now: Millis, pct: &impl Fn(Millis) -> f64, ticks: bool) -> Html {
    let stop = l.end_ms.unwrap_or(now).min(now);
    html! {
        <div class={classes!("tl-lane", l.container.is_some().then_some("container"))} key={l.key.clone()}>
            { for l.segments.iter().enumerate().filter(|(_, s)| s.start_ms <= now).map(|(i, s)| {
                let until = l.segments.get(i + 1).map_or(stop, |n| n.start_ms.min(stop));
                let title = format!("{} – {}: {}", go_duration(s.start_ms), go_duration(until), s.label);
                html! {
                    <div class={classes!("seg", format!("st-{}", s.state.as_str()))}
                        style={format!("left:{}%;width:{}%", fixed(pct(s.start_ms), 3), fixed((pct(until) - pct(s.start_ms)).max(0.15), 3))}
                        title={title}>
                        <span class="seg-label">{ icon(s.state) }{ " " }{ &s.label }</span>
                    </div>
                }
            }) }
            { for l.marks.iter().filter(|m| m.at_ms <= now).map(|m| html! {
                <span class={classes!("mark", m.warning.then_some("warning"))}
                    style={format!("left:{}%", fixed(pct(m.at_ms), 3))}
                    title={format!("{} {}: {}", go_duration(m.at_ms), m.reason, m.message)}></span>
            }) }
            if ticks { { for probe_ticks(l, now, pct) } }
            if let Some(end) = l.end_ms.filter(|e| *e <= now) {
                <span class="lane-end" style={format!("left:{}%", fixed(pct(end), 3))} title={format!("{} deleted", go_duration(end))}>{"⨯"}</span>
            }
        </div>
    }
}

/// Probe runs as ticks under the lane: at most one per ~0.2% of the width
/// (a failure wins its slot), so a long run stays cheap to draw.
fn probe_ticks(l: &Lane, now: Millis, pct: &impl Fn(Millis) -> f64) -> Vec<Html> {
    let mut out = Vec::new();
    let mut last: Option<(i64, bool)> = None;
    for t in l.probes.iter().filter(|t| t.at_ms <= now) {
        let x = pct(t.at_ms);
        let slot = (x * 5.0) as i64;
        match last {
            Some((s, ok)) if s == slot && (ok || t.ok) => continue,
            _ => {}
        }
        last = Some((slot, t.ok));
        out.push(html! {
            <span class={classes!("ptick", (!t.ok).then_some("fail"))} style={format!("left:{}%", fixed(x, 2))}
                title={format!("{} {} probe {}", go_duration(t.at_ms), t.kind.as_str(), if t.ok { "succeeded" } else { "failed" })}></span>
        });
    }
    out
}
