//! The timeline: one lane per Pod and container, coloured and patterned by
//! state, with events as marks and a playhead. Click or drag to scrub; the
//! slider under it does the same from the keyboard. Zoom (buttons, Ctrl or
//! ⌘ + wheel, + and − on the lanes) widens the lanes, which then scroll.

use super::cluster::icon;
use super::PlayerRef;
use crate::core::decimal::{fixed, shortest};
use crate::core::time::{go_duration, Millis, MINUTE_MS};
use crate::play::zoom;
use crate::play::{Lane, Player};
use std::cell::RefCell;
use std::rc::Rc;
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
    SCALES
        .iter()
        .map(|m| m * MINUTE_MS)
        .find(|s| *s >= t)
        .unwrap_or_else(|| t.div_ceil(4 * 60 * MINUTE_MS) * 4 * 60 * MINUTE_MS)
}

#[function_component(TimelineView)]
pub fn timeline_view(props: &Props) -> Html {
    let track = use_node_ref();
    let scroller = use_node_ref();
    let dragging = use_mut_ref(|| false);
    // Page-only view state: the zoom, the part in view, and a scroll offset
    // to apply once the wider lanes are drawn.
    let zoom_level = use_state(|| 1.0f64);
    let view = use_state(|| (0.0f64, 1.0f64));
    let pending_scroll = use_mut_ref(|| None::<f64>);
    let player = props.player.rc.borrow();
    let now = props.player.now;
    // The scale steps (1m, 2m, 5m, …) rather than growing every frame, so
    // drawn segments keep their positions and are not re-laid out.
    let end = nice_ceil(props.end.max(now));
    let zoom = zoom_level.min(zoom::max_zoom(end));
    let pct = |t: Millis| (t.min(end) as f64 / end as f64) * 100.0;
    // The lanes' width as last laid out (a first render guesses a
    // desktop's), read after rendering: read while the page is being
    // patched, it would make the browser lay the page out twice a frame.
    let view_width = use_state_eq(|| 1000.0f64);
    {
        let (scroller, view_width) = (scroller.clone(), view_width.clone());
        use_effect(move || {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                view_width.set(el.client_width() as f64);
            }
        });
    }

    {
        let (scroller, pending, view) = (scroller.clone(), pending_scroll.clone(), view.clone());
        use_effect_with(zoom.to_bits(), move |_| {
            if let (Some(el), Some(left)) = (scroller.cast::<web_sys::Element>(), pending.borrow_mut().take()) {
                el.set_scroll_left(left.round() as i32);
                view.set(zoom::visible(zoom, el.scroll_left() as f64, el.client_width() as f64));
            }
        });
    }
    // Zoomed in, the view follows the playhead when it runs off the right
    // edge (unless the view had been panned away from it).
    {
        let (scroller, last_now) = (scroller.clone(), use_mut_ref(|| now));
        use_effect_with(now, move |&now| {
            let before = std::mem::replace(&mut *last_now.borrow_mut(), now);
            // (Unzoomed nothing scrolls: no need to read the layout.)
            if zoom <= 1.0 {
                return;
            }
            let Some(el) = scroller.cast::<web_sys::Element>() else { return };
            let (left, width) = (el.scroll_left() as f64, el.client_width() as f64);
            let x = |t: Millis| t.min(end) as f64 / end as f64 * width * zoom - left;
            if zoom > 1.0 && now > before && (0.0..=width).contains(&x(before)) && x(now) > width {
                el.set_scroll_left((left + x(now) - width * 0.2) as i32);
            }
        });
    }
    // Zoom to `new`, keeping the time at `anchor` (client x; None: the
    // playhead if in view, else the middle) where it is.
    let zoom_to = {
        let (scroller, pending, zoom_level) = (scroller.clone(), pending_scroll.clone(), zoom_level.clone());
        let playhead = now.min(end) as f64 / end as f64;
        move |new: f64, anchor: Option<f64>| {
            let Some(el) = scroller.cast::<web_sys::Element>() else { return };
            let (left, width) = (el.scroll_left() as f64, el.client_width() as f64);
            let x = match anchor {
                Some(cx) => cx - el.get_bounding_client_rect().left(),
                None => zoom::playhead_anchor(zoom, left, width, playhead),
            };
            *pending.borrow_mut() = Some(zoom::anchored_scroll(zoom, new, left, x, width));
            zoom_level.set(new);
        }
    };
    let zoom_button = |zoom_in: bool| {
        let zoom_to = zoom_to.clone();
        Callback::from(move |_: MouseEvent| zoom_to(zoom::step(zoom, zoom_in, end), None))
    };
    let fit = {
        let zoom_to = zoom_to.clone();
        Callback::from(move |_: MouseEvent| zoom_to(1.0, None))
    };
    let onwheel = {
        let zoom_to = zoom_to.clone();
        Callback::from(move |e: WheelEvent| {
            if (e.ctrl_key() || e.meta_key()) && e.delta_y() != 0.0 {
                e.prevent_default();
                zoom_to(zoom::step(zoom, e.delta_y() < 0.0, end), Some(e.client_x() as f64));
            }
        })
    };
    let onkeydown = {
        let (zoom_to, scroller) = (zoom_to.clone(), scroller.clone());
        Callback::from(move |e: KeyboardEvent| {
            let pan = |by: f64| {
                if let Some(el) = scroller.cast::<web_sys::Element>() {
                    el.set_scroll_left(el.scroll_left() + (by * el.client_width() as f64) as i32);
                }
            };
            match e.key().as_str() {
                "+" | "=" => zoom_to(zoom::step(zoom, true, end), None),
                "-" | "_" => zoom_to(zoom::step(zoom, false, end), None),
                "0" => zoom_to(1.0, None),
                "ArrowLeft" => pan(-0.25),
                "ArrowRight" => pan(0.25),
                _ => return,
            }
            e.prevent_default();
        })
    };
    let onscroll = {
        let (scroller, view) = (scroller.clone(), view.clone());
        Callback::from(move |_: Event| {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                view.set(zoom::visible(zoom, el.scroll_left() as f64, el.client_width() as f64));
            }
        })
    };
    // What is drawn: the part in view and as much again either side (all of it unzoomed).
    let (v0, v1) = if zoom > 1.0 { *view } else { (0.0, 1.0) };
    let margin = v1 - v0;
    let window = ((v0 - margin).max(0.0) * end as f64, ((v1 + margin).min(1.0) * end as f64).ceil());
    let in_window = move |t: Millis| (t as f64) >= window.0 && (t as f64) <= window.1;

    // The lanes are `zoom` times the view's width: the time under the
    // pointer is its place across the whole (scrolled) lanes.
    let seek_at = {
        let track = track.clone();
        let on_seek = props.on_seek.clone();
        move |client_x: i32| {
            let Some(el) = track.cast::<web_sys::Element>() else { return };
            let r = el.get_bounding_client_rect();
            if r.width() <= 0.0 {
                return;
            }
            let f = zoom::clamp((client_x as f64 - r.left()) / r.width(), 0.0, 1.0);
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
    let view_width = *view_width;
    let step = zoom::tick_step((end as f64 / zoom) as Millis, view_width);
    let ticks: Vec<Millis> = (0..=end / step).map(|i| i * step).filter(|t| in_window(*t)).collect();
    let slots = zoom::probe_slots(zoom);
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
                <span class="tl-zoom" role="group" aria-label="Zoom the timeline">
                    <button onclick={zoom_button(false)} disabled={zoom <= 1.0} aria-label="Zoom out" title="Zoom out (−)" data-testid="zoom-out">{"−"}</button>
                    <output class="zoom-level" data-testid="zoom-level" aria-label="Zoom">{ format!("{}×", shortest(zoom)) }</output>
                    <button onclick={zoom_button(true)} disabled={zoom >= zoom::max_zoom(end)} aria-label="Zoom in" title="Zoom in (+)" data-testid="zoom-in">{"+"}</button>
                    <button onclick={fit} disabled={zoom <= 1.0} title="Show the whole run (0)" data-testid="zoom-fit">{"Fit all"}</button>
                </span>
                <span class="muted">{"Click or drag the lanes to go back in time; the run replays exactly. Ctrl/⌘ + wheel or + and − zoom."}</span>
            </div>
            <div class="tl-grid">
                <div class="tl-labels">
                    <div class="tl-axis-label" aria-hidden="true"></div>
                    { for lanes.iter().take(MAX_LANES_SHOWN).map(|l| lane_label(l, props)) }
                </div>
                <div class={classes!("tl-scroll", (zoom > 1.0).then_some("zoomed"))} ref={scroller} tabindex="0" role="group" {onwheel} {onkeydown} {onscroll}
                    aria-label="Timeline lanes: + and − zoom, 0 fits all, ← and → pan; the slider above moves in time">
                <div class="tl-tracks" ref={track} style={format!("width:{}%", fixed(zoom * 100.0, 0))} {onpointerdown} {onpointermove} onpointerup={stop.clone()} onpointerleave={stop}>
                    <div class="tl-axis" aria-hidden="true">
                        { for ticks.iter().map(|t| html! { <span class="tick" style={format!("left:{}%", fixed(pct(*t), 3))}>{ go_duration(*t) }</span> }) }
                    </div>
                    { for lanes.iter().take(MAX_LANES_SHOWN).enumerate().map(|(index, l)| {
                        // Probe ticks are many: drawn for a few lanes, or the selected Pod's.
                        let ticks = lanes.len() <= TICK_LANES || props.selected.as_deref() == Some(l.pod.as_str());
                        html! {
                            <LaneTrack key={l.key.clone()} player={props.player.rc.clone()} {index} rev={l.rev}
                                probes={if ticks { l.probes.len() } else { 0 }} {end} {window} ticks={ticks.then_some(slots)} />
                        }
                    }) }
                    // The lanes are drawn whole and what is after the playhead
                    // (the future, when scrubbed back) is covered: a frame only
                    // moves the cover and the playhead, by a transform on a
                    // layer of their own, so the lanes are not repainted.
                    <div class="tl-now" style={format!("transform:translateX({}%)", fixed(pct(now), 3))} aria-hidden="true">
                        <div class="tl-future"></div>
                        <div class="playhead"></div>
                    </div>
                </div>
                </div>
            </div>
            if hidden > 0 {
                <p class="muted">{ format!("{hidden} more lanes not drawn.") }</p>
            }
        </section>
    }
}

fn lane_label(l: &Lane, props: &Props) -> Html {
    // `web`, or `dev/web` outside the default namespace.
    let name = l.pod.strip_prefix("default/").unwrap_or(l.pod.as_str());
    match &l.container {
        Some(c) => {
            html! { <div class="tl-label container" key={l.key.clone()} title={l.key.clone()}>{ format!("  └ {c}") }</div> }
        }
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

#[derive(Properties)]
struct LaneProps {
    player: Rc<RefCell<Player>>,
    /// The lane's place in the timeline's lanes, and its `Lane::rev` there.
    index: usize,
    rev: u64,
    /// How many probe ticks it has, when they are drawn (else 0).
    probes: usize,
    /// The scale's right edge.
    end: Millis,
    /// The times drawn (the part in view and some either side).
    window: (f64, f64),
    ticks: Option<f64>,
}

/// Equal while the lane and the scale are: the lane then draws the same, so
/// a frame that only moves the clock does not redraw it.
impl PartialEq for LaneProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.player, &o.player)
            && (self.index, self.rev, self.probes, self.end) == (o.index, o.rev, o.probes, o.end)
            && self.window.0.to_bits() == o.window.0.to_bits()
            && self.window.1.to_bits() == o.window.1.to_bits()
            && self.ticks.map(f64::to_bits) == o.ticks.map(f64::to_bits)
    }
}

#[function_component(LaneTrack)]
fn lane_track_view(props: &LaneProps) -> Html {
    let player = props.player.borrow();
    let Some(l) = player.timeline().lanes.get(props.index) else { return Html::default() };
    let end = props.end;
    let pct = |t: Millis| (t.min(end) as f64 / end as f64) * 100.0;
    let window = props.window;
    let in_window = move |t: Millis| (t as f64) >= window.0 && (t as f64) <= window.1;
    lane_track(l, end, &pct, props.ticks, &in_window)
}

/// A lane drawn whole, up to `end` (what is after the playhead is covered).
fn lane_track(
    l: &Lane,
    end: Millis,
    pct: &impl Fn(Millis) -> f64,
    ticks: Option<f64>,
    in_window: &impl Fn(Millis) -> bool,
) -> Html {
    let stop = l.end_ms.unwrap_or(end).min(end);
    html! {
        // Segments, marks and ticks each in a box of their own, keyed by
        // their place: lanes only grow at the end, and Yew diffs an unkeyed
        // list from its end, so an item added would rewrite every other.
        <div class={classes!("tl-lane", l.container.is_some().then_some("container"))}>
            <div class="tl-group">
            { for l.segments.iter().enumerate().map(|(i, s)| {
                let next = l.segments.get(i + 1).map(|n| n.start_ms).or(l.end_ms);
                let until = next.map_or(stop, |n| n.min(stop));
                let title = match next {
                    Some(next) => format!("{} – {}: {}", go_duration(s.start_ms), go_duration(next), s.label),
                    None => format!("from {}: {}", go_duration(s.start_ms), s.label),
                };
                html! {
                    <div key={i} class={classes!("seg", format!("st-{}", s.state.as_str()))}
                        style={format!("left:{}%;width:{}%", fixed(pct(s.start_ms), 3), fixed((pct(until) - pct(s.start_ms)).max(0.15), 3))}
                        title={title}>
                        <span class="seg-label">{ icon(s.state) }{ " " }{ &s.label }</span>
                    </div>
                }
            }) }
            </div>
            <div class="tl-group">
            { for l.marks.iter().enumerate().filter(|(_, m)| in_window(m.at_ms)).map(|(i, m)| html! {
                <span key={i} class={classes!("mark", m.warning.then_some("warning"))}
                    style={format!("left:{}%", fixed(pct(m.at_ms), 3))}
                    title={format!("{} {}: {}", go_duration(m.at_ms), m.reason, m.message)}></span>
            }) }
            </div>
            if let Some(slots) = ticks { <div class="tl-group">{ for probe_ticks(l, pct, slots, in_window) }</div> }
            if let Some(end) = l.end_ms {
                <span class="lane-end" style={format!("left:{}%", fixed(pct(end), 3))} title={format!("{} deleted", go_duration(end))}>{"⨯"}</span>
                // How a container ended, said where its lane ends (the page's words).
                if let Some((code, meaning)) = exit_of(l) {
                    <span class="lane-exit" style={format!("left:{}%", fixed(pct(end), 3))} title={meaning.clone()} data-testid="lane-exit">
                        { format!("exit {code}") }<span class="sr-only">{ format!(": {meaning}") }</span>
                    </span>
                }
            }
        </div>
    }
}

/// Probe runs as ticks under the lane: at most one per `slots`th of the
/// whole width (~0.2% of the view; a failure wins its slot), and only near
/// the part in view, so a long run stays cheap to draw at every zoom.
fn probe_ticks(l: &Lane, pct: &impl Fn(Millis) -> f64, slots: f64, in_window: &impl Fn(Millis) -> bool) -> Vec<Html> {
    let mut out = Vec::new();
    let mut last: Option<(i64, bool)> = None;
    for (i, t) in l.probes.iter().enumerate().filter(|(_, t)| in_window(t.at_ms)) {
        let x = pct(t.at_ms);
        let slot = (x * slots / 100.0) as i64;
        match last {
            Some((s, ok)) if s == slot && (ok || t.ok) => continue,
            _ => {}
        }
        last = Some((slot, t.ok));
        out.push(html! {
            <span key={i} class={classes!("ptick", (!t.ok).then_some("fail"))} style={format!("left:{}%", fixed(x, 4))}
                title={format!("{} {} probe {}", go_duration(t.at_ms), t.kind.as_str(), if t.ok { "succeeded" } else { "failed" })}></span>
        });
    }
    out
}

/// The exit code of a deleted Pod's container lane, from its last segment
/// (`Terminated: Error (exit 137)`), with what the code means.
fn exit_of(l: &Lane) -> Option<(i32, String)> {
    l.container.as_ref()?;
    let label = &l.segments.last()?.label;
    let rest = label.strip_prefix("Terminated: ")?;
    let (reason, code) = rest.strip_suffix(')')?.rsplit_once(" (exit ")?;
    let code: i32 = code.parse().ok()?;
    Some((code, crate::play::stops::exit_meaning(code, reason)))
}
