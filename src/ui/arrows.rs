//! The arrows over the cluster view, from each Service card to the Pod
//! cards of its endpoints ([`crate::play::arrows`] says which and their
//! shapes). The cards are measured by a ResizeObserver's callback (after
//! layout, before paint, so reading the boxes forces no extra layout): when
//! it starts (the endpoints or the layout key changed: Pods or nodes came,
//! went or moved) and when it sees the view, a node's parts, a Pod card or a
//! Service card change size (a window resize included); never at every
//! animation frame. A measurement reads only the cards arrows go to, with one
//! query. The overlay is hidden from screen readers: the Service card's
//! endpoint list says the same in words.
//!
//! When the endpoints change, the change shows for a moment
//! ([`crate::play::arrows::changes`]): a new arrow (a replacement Pod's) is
//! drawn in, a rerouted one flashes, and one whose Pod left the slice fades
//! where it was; none of it moves when the system asks for less motion
//! (`www/style.css`).

use crate::play::arrows::{changes, last_seen, shape, Change, Link, Rect, Shape};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, ResizeObserver};
use yew::prelude::*;

/// What the overlay draws: the arrows, their shapes as last measured
/// (`None`: a card is not on the page) and the Service highlighted; at
/// their first drawing and for [`CHANGE_MS`] after the arrows changed, how
/// each changed and the arrows gone, where they were.
struct State {
    links: Rc<Vec<Link>>,
    shapes: Vec<Option<Shape>>,
    highlight: Option<String>,
    changed: Vec<Change>,
    gone: Vec<(Link, Shape)>,
    since_ms: f64,
    painted: bool,
}

/// How long a change is drawn as one (the CSS animations are shorter).
const CHANGE_MS: f64 = 1000.0;

/// The arrows last drawn and where each was last seen: what the next ones are compared with.
type Drawn = (Rc<Vec<Link>>, Vec<Option<Shape>>);

/// Keeps the `overlay` SVG (inside `container`, the cluster view) drawing
/// `links`; `layout` changes when Pods or nodes come, go or move (see
/// `cluster::layout_key`). The overlay's content is written here, not by
/// Yew: a measurement, or a Service card hovered or focused (its arrows
/// stand out), redraws it without re-rendering the cluster view. Empty
/// `links`: nothing is watched.
#[hook]
pub fn use_endpoint_arrows(container: &NodeRef, overlay: &NodeRef, links: Rc<Vec<Link>>, layout: u64) {
    // The Service highlighted outlives the watch (which the next change of the links replaces).
    let highlight = use_mut_ref(|| None::<String>);
    let drawn = use_mut_ref(|| -> Drawn { (Rc::new(Vec::new()), Vec::new()) });
    let (container, overlay) = (container.clone(), overlay.clone());
    use_effect_with((links, layout), move |(links, _)| {
        let (changed, gone) = {
            let (before, shapes) = &*drawn.borrow();
            let (changed, gone) = changes(before, links);
            let gone =
                gone.into_iter().filter_map(|i| Some((before[i].clone(), shapes.get(i).cloned().flatten()?))).collect();
            (changed, gone)
        };
        let state = Rc::new(std::cell::RefCell::new(State {
            links: links.clone(),
            shapes: Vec::new(),
            highlight: highlight.borrow().clone(),
            changed,
            gone,
            since_ms: js_sys::Date::now(),
            painted: false,
        }));
        let watch = container.cast::<HtmlElement>().filter(|_| !links.is_empty()).and_then(|el| {
            let (view, pointed, overlay2) = (el.clone(), state.clone(), overlay.clone());
            Watch::new(
                &el,
                move || {
                    let mut s = state.borrow_mut();
                    let shapes = measure(&view, &s.links);
                    // The first report always draws: a new watch starts with no shapes.
                    if s.shapes != shapes {
                        s.shapes = shapes;
                        draw(&overlay, &s);
                        s.painted = true;
                        // An arrow whose card has just left keeps where it
                        // was last seen, to fade there once it is gone.
                        let mut drawn = drawn.borrow_mut();
                        let kept = last_seen(&drawn.0, &drawn.1, &s.links, &s.shapes);
                        *drawn = (s.links.clone(), kept);
                    }
                },
                move |service| {
                    let mut s = pointed.borrow_mut();
                    if s.highlight != service {
                        highlight.replace(service.clone());
                        s.highlight = service;
                        draw(&overlay2, &s);
                    }
                },
            )
        });
        move || drop(watch)
    });
}

/// Writes the arrows into the overlay as SVG text: a hundred of them are one
/// string, not a hundred virtual nodes to diff (and much less code).
fn draw(overlay: &NodeRef, s: &State) {
    let Some(el) = overlay.cast::<Element>() else { return };
    let hl = s.highlight.as_deref();
    let mut svg = String::new();
    let mut lit = false;
    // A slow first measurement (a busy machine) still shows the change.
    let fresh = !s.painted || js_sys::Date::now() - s.since_ms < CHANGE_MS;
    let same = [Change::Same];
    let changed = if fresh { s.changed.as_slice() } else { &same };
    let gone = if fresh { s.gone.as_slice() } else { &[] };
    // The arrows gone fade under the others, where they were.
    for (l, shape) in gone {
        svg.push_str(&format!(
            "<g class=\"ep-gone {}\" data-gone-service=\"{}\" data-gone-pod=\"{}\"><path class=\"ep-line\" d=\"{}\"/><path class=\"ep-head\" d=\"{}\"/></g>",
            l.route.as_str(),
            escape(name_of(&l.service)),
            escape(name_of(&l.pod)),
            shape.line,
            shape.head
        ));
    }
    for (i, (l, shape)) in s.links.iter().zip(&s.shapes).enumerate() {
        let Some(shape) = shape else { continue };
        let on = hl == Some(l.service.as_str());
        lit |= on;
        let change = changed.get(i).copied().unwrap_or(Change::Same);
        svg.push_str("<g class=\"ep-link");
        for (yes, c) in [
            (true, l.route.as_str()),
            (l.route.gets_traffic(), "gets"),
            (l.flowing, "flow"),
            (on, "hl"),
            (change == Change::New, "enter"),
            (change == Change::Rerouted, "rerouted"),
        ] {
            if yes {
                svg.push(' ');
                svg.push_str(c);
            }
        }
        let name = |key: &str| escape(name_of(key));
        let (tip, route) = (shape.tip, l.route.as_str());
        svg.push_str(&format!(
            "\" data-service=\"{}\" data-pod=\"{}\" data-route=\"{route}\" data-tip=\"{} {}\"><path class=\"ep-line\" d=\"{}\"/>",
            name(&l.service),
            name(&l.pod),
            tip.0,
            tip.1,
            shape.line
        ));
        if l.flowing {
            svg.push_str(&format!("<path class=\"ep-pulse\" d=\"{}\"/>", shape.line));
        }
        svg.push_str(&format!("<path class=\"ep-head\" d=\"{}\"/></g>", shape.head));
    }
    el.set_inner_html(&svg);
    let _ = el.set_attribute("class", if lit { "ep-overlay has-hl" } else { "ep-overlay" });
}

/// The overlay the arrows are drawn into (its content and class are
/// [`use_endpoint_arrows`]'s).
pub fn overlay(overlay: &NodeRef) -> Html {
    html! { <svg ref={overlay.clone()} class="ep-overlay" aria-hidden="true" focusable="false" data-testid="endpoint-arrows" /> }
}

/// The name in a `namespace/name` key.
fn name_of(key: &str) -> &str {
    key.split_once('/').map_or(key, |(_, n)| n)
}

/// Text safe inside an attribute value.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}

/// The shape of each arrow whose Service card and Pod card are both on the
/// page, in the container's coordinates. A Pod counted but not drawn (past
/// the tiles a node shows) gets no arrow.
fn measure(container: &HtmlElement, links: &[Link]) -> Vec<Option<Shape>> {
    let pods = boxes(container, ".nodes", "data-pod-key", links.iter().map(|l| &l.pod));
    let services = boxes(container, ".services", "data-service-key", links.iter().map(|l| &l.service));
    let find = |boxes: &[(String, Rect)], key: &str| boxes.iter().find(|(k, _)| k == key).map(|(_, b)| *b);
    links.iter().map(|l| Some(shape(find(&services, &l.service)?, find(&pods, &l.pod)?))).collect()
}

/// The boxes of the elements under `container`'s `within` whose `attr` is
/// one of `wanted`: one query for all of them (a Service over 500 Pods
/// reads 100 elements, not 500), keys that need escaping left out (Pod and
/// namespace names never do).
fn boxes<'a>(
    container: &HtmlElement,
    within: &str,
    attr: &str,
    wanted: impl Iterator<Item = &'a String>,
) -> Vec<(String, Rect)> {
    let mut selector = String::new();
    for k in wanted.filter(|k| k.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'/' | b'_'))) {
        if !selector.is_empty() {
            selector.push(',');
        }
        selector.push_str(&format!("{within} [{attr}=\"{k}\"]"));
    }
    let mut out = Vec::new();
    let Some(list) = Some(selector).filter(|s| !s.is_empty()).and_then(|s| container.query_selector_all(&s).ok())
    else {
        return out;
    };
    for i in 0..list.length() {
        let Some(el) = list.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) else { continue };
        if let (Some(key), Some(b)) = (el.get_attribute(attr), offset_box(&el, container)) {
            out.push((key, b));
        }
    }
    out
}

/// The element's layout box relative to `container` (its offset parent
/// chain): unlike the bounding rectangle it ignores transforms, so a card
/// still fading in is measured where it will stand.
fn offset_box(el: &HtmlElement, container: &HtmlElement) -> Option<Rect> {
    let (w, h) = (el.offset_width() as f64, el.offset_height() as f64);
    let (mut x, mut y) = (0.0, 0.0);
    let mut cur = el.clone();
    for _ in 0..64 {
        x += cur.offset_left() as f64;
        y += cur.offset_top() as f64;
        let parent = cur.offset_parent()?;
        if JsValue::from(&parent) == JsValue::from(container) {
            return Some(Rect { x, y, w, h });
        }
        cur = parent.dyn_into::<HtmlElement>().ok()?;
    }
    None
}

/// A ResizeObserver on the view, its children, each node's parts, the Pod
/// cards (tiles have a fixed size) and the Service cards: it reports once
/// when it starts, then at every change of size. Disconnected when dropped.
///
/// It also follows the pointer and the focus: `on_point` gets the
/// `namespace/name` of the Service card under the pointer or holding the
/// focus, or `None` (one listener on the view, not one per card).
struct Watch {
    observer: ResizeObserver,
    view: HtmlElement,
    _callback: Closure<dyn FnMut(js_sys::Array, ResizeObserver)>,
    pointer: Closure<dyn FnMut(web_sys::Event)>,
}

/// The events that move the highlight.
const POINTER_EVENTS: [&str; 3] = ["mouseover", "focusin", "mouseleave"];

impl Watch {
    fn new(
        container: &HtmlElement,
        on_resize: impl Fn() + 'static,
        on_point: impl Fn(Option<String>) + 'static,
    ) -> Option<Watch> {
        let pointer = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            let card = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.closest(".services > [data-service-key]").ok().flatten());
            on_point(card.and_then(|c| c.get_attribute("data-service-key")));
        });
        let callback = Closure::<dyn FnMut(js_sys::Array, ResizeObserver)>::new(move |_, _| on_resize());
        let observer = ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        for event in POINTER_EVENTS {
            let _ = container.add_event_listener_with_callback(event, pointer.as_ref().unchecked_ref());
        }
        observer.observe(container);
        if let Ok(list) = container.query_selector_all(":scope > *, .node > *, .pods > .pod, .services > .service") {
            for i in 0..list.length() {
                if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    observer.observe(&el);
                }
            }
        }
        Some(Watch { observer, view: container.clone(), _callback: callback, pointer })
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.observer.disconnect();
        for event in POINTER_EVENTS {
            let _ = self.view.remove_event_listener_with_callback(event, self.pointer.as_ref().unchecked_ref());
        }
    }
}

/// What the arrows mean, in words (the legend's tooltip). The slice is the
/// source of truth for kube-proxy's routing (kubernetes.io "EndpointSlices";
/// `CategorizeEndpoints`, pkg/proxy/topology.go).
const MEANING: &str = "The arrows show the Service's EndpointSlice. kube-proxy sends the Service's requests only to its \
ready endpoints (conditions.ready); a terminating endpoint that is still serving gets requests only while none is ready; \
not-ready and other terminating endpoints get none. Pods not in the slice get no arrow. kube-proxy applies a change \
up to 1 s later (its minSyncPeriod), so a Pod may still get requests for a moment after its arrow turns dashed.";

/// The toggle (remembered by the page) and the legend, under the Service cards.
pub fn arrows_bar(shown: bool, left_out: usize, on_toggle: &Callback<()>) -> Html {
    html! {
        <div class="arrows-bar" role="group" aria-label="Arrows from the Services to their endpoints">
            <button class="small" aria-pressed={shown.to_string()} data-testid="arrows-toggle" onclick={on_toggle.reform(|_: MouseEvent| ())}
                title="Show or hide the arrows from each Service card to the Pods of its endpoints">
                <span aria-hidden="true">{"⤴ "}</span>{"Endpoint arrows"}
            </button>
            if shown {
                <span class="legend" title={MEANING} data-testid="arrows-legend">
                    <span><span class="swatch" aria-hidden="true" />{"ready: kube-proxy routes requests to it"}</span>
                    <span><span class="swatch dashed" aria-hidden="true" />{"not ready or terminating: no new requests"}</span>
                    if left_out > 0 {
                        <span class="muted">{ format!("({left_out} more not drawn)") }</span>
                    }
                </span>
            }
        </div>
    }
}
