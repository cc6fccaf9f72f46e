//! The arrows over the cluster view, from each Service card to the Pod
//! cards of its endpoints ([`crate::play::arrows`] says which and their
//! shapes). The cards are measured only when the endpoints change, when the
//! layout key changes (which Pods are drawn on which node), or when a
//! ResizeObserver sees the view, a node's parts, a Pod card or a Service card
//! change size (a window resize included): never at every animation frame.
//! The overlay is hidden from screen readers: the Service card's endpoint
//! list says the same in words.

use crate::play::arrows::{shape, Link, Rect, Shape};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ResizeObserver};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub links: Rc<Vec<Link>>,
    /// Changes when Pods or nodes come, go or move (see `cluster::layout_key`).
    pub layout: u64,
    /// The cluster view: the overlay's origin, and where the cards are found.
    pub container: NodeRef,
    /// `namespace/name` of the Service whose card is hovered or focused.
    pub highlight: Option<String>,
}

/// An arrow as measured.
#[derive(Clone, Debug, PartialEq)]
struct Drawn {
    link: Link,
    shape: Shape,
}

/// Counts the ResizeObserver's reports: each one asks for a measurement.
#[derive(Default, PartialEq)]
struct Resized(u32);

impl Reducible for Resized {
    type Action = ();
    fn reduce(self: Rc<Self>, _: ()) -> Rc<Self> {
        Rc::new(Resized(self.0.wrapping_add(1)))
    }
}

#[function_component(EndpointArrows)]
pub fn endpoint_arrows(props: &Props) -> Html {
    let drawn = use_state_eq(|| Rc::new(Vec::<Drawn>::new()));
    let resized = use_reducer(Resized::default);
    {
        // Observe the boxes that move the cards, again whenever the layout key
        // says elements came or went.
        let (container, dispatch) = (props.container.clone(), resized.dispatcher());
        use_effect_with(props.layout, move |_| {
            let watch = container.cast::<HtmlElement>().and_then(|el| Watch::new(&el, move || dispatch.dispatch(())));
            move || drop(watch)
        });
    }
    {
        let (container, drawn) = (props.container.clone(), drawn.clone());
        use_effect_with((props.links.clone(), props.layout, resized.0), move |(links, _, _)| {
            if let Some(el) = container.cast::<HtmlElement>() {
                drawn.set(Rc::new(measure(&el, links)));
            }
        });
    }
    let hl = props.highlight.as_deref();
    let lit = hl.is_some_and(|h| drawn.iter().any(|d| d.link.service == h));
    html! {
        <svg class={classes!("ep-overlay", lit.then_some("has-hl"))} aria-hidden="true" focusable="false" data-testid="endpoint-arrows">
            { for drawn.iter().map(|d| {
                let l = &d.link;
                let name = |key: &str| key.split_once('/').map_or(key, |(_, n)| n).to_string();
                html! {
                    <g key={format!("{} {}", l.service, l.pod)}
                        class={classes!("ep-link", l.route.as_str(), l.route.gets_traffic().then_some("gets"), l.flowing.then_some("flow"), (hl == Some(l.service.as_str())).then_some("hl"))}
                        data-service={name(&l.service)} data-pod={name(&l.pod)} data-route={l.route.as_str()}
                        data-tip={format!("{} {}", d.shape.tip.0, d.shape.tip.1)}>
                        <path class="ep-line" d={d.shape.line.clone()} />
                        if l.flowing {
                            <path class="ep-pulse" d={d.shape.line.clone()} />
                        }
                        <path class="ep-head" d={d.shape.head.clone()} />
                    </g>
                }
            }) }
        </svg>
    }
}

/// The arrows whose Service card and Pod card are both on the page, with
/// their shapes in the container's coordinates. A Pod counted but not drawn
/// (past the tiles a node shows) gets no arrow.
fn measure(container: &HtmlElement, links: &[Link]) -> Vec<Drawn> {
    if links.is_empty() {
        return Vec::new();
    }
    let pods = boxes(container, ".nodes [data-pod-key]", "data-pod-key", links.iter().map(|l| l.pod.as_str()).collect());
    let services = boxes(container, ".services [data-service-key]", "data-service-key", links.iter().map(|l| l.service.as_str()).collect());
    links
        .iter()
        .filter_map(|l| Some(Drawn { link: l.clone(), shape: shape(*services.get(&l.service)?, *pods.get(&l.pod)?) }))
        .collect()
}

/// The boxes of the elements under `container` matching `selector` whose
/// `attr` is one of `wanted`.
fn boxes(container: &HtmlElement, selector: &str, attr: &str, wanted: BTreeSet<&str>) -> BTreeMap<String, Rect> {
    let mut out = BTreeMap::new();
    let Ok(list) = container.query_selector_all(selector) else { return out };
    for i in 0..list.length() {
        let Some(el) = list.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) else { continue };
        let Some(key) = el.get_attribute(attr).filter(|k| wanted.contains(k.as_str())) else { continue };
        if let Some(b) = offset_box(&el, container) {
            out.insert(key, b);
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
        if parent.is_same_node(Some(container)) {
            return Some(Rect { x, y, w, h });
        }
        cur = parent.dyn_into::<HtmlElement>().ok()?;
    }
    None
}

/// A ResizeObserver on the view, its children, each node's parts, the Pod
/// cards (tiles have a fixed size) and the Service cards; disconnected
/// when dropped.
struct Watch {
    observer: ResizeObserver,
    _callback: Closure<dyn FnMut(js_sys::Array, ResizeObserver)>,
}

impl Watch {
    fn new(container: &HtmlElement, on_resize: impl Fn() + 'static) -> Option<Watch> {
        let callback = Closure::<dyn FnMut(js_sys::Array, ResizeObserver)>::new(move |_, _| on_resize());
        let observer = ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        observer.observe(container);
        if let Ok(list) = container.query_selector_all(":scope > *, .node > *, .pods > .pod, .services > .service") {
            for i in 0..list.length() {
                if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    observer.observe(&el);
                }
            }
        }
        Some(Watch { observer, _callback: callback })
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// What the arrows mean, in words (the legend's tooltip).
const MEANING: &str = "kube-proxy sends a Service's requests only to its ready endpoints (EndpointSlice conditions.ready). \
A terminating endpoint that is still serving gets requests only while none is ready; not-ready and other terminating \
endpoints get none. Pods not in the slice get no arrow.";

/// The toggle (remembered by the page) and the legend, above the Service cards.
pub fn arrows_bar(shown: bool, left_out: usize, on_toggle: &Callback<()>) -> Html {
    let swatch = |classes: &'static str| {
        html! {
            <svg class="swatch" viewBox="0 0 34 10" width="34" height="10" aria-hidden="true">
                <g class={classes}><path class="ep-line" d="M1 5H24" /><path class="ep-head" d="M32 5L24 0.5L24 9.5Z" /></g>
            </svg>
        }
    };
    html! {
        <div class="arrows-bar" role="group" aria-label="Arrows from the Services to their endpoints">
            <button class="small" aria-pressed={shown.to_string()} data-testid="arrows-toggle" onclick={on_toggle.reform(|_: MouseEvent| ())}
                title="Show or hide the arrows from each Service card to the Pods of its endpoints">
                <span aria-hidden="true">{"⤴ "}</span>{"Endpoint arrows"}
            </button>
            if shown {
                <span class="legend" title={MEANING} data-testid="arrows-legend">
                    <span>{ swatch("ep-link ready gets") }{" ready: kube-proxy routes requests to it"}</span>
                    <span>{ swatch("ep-link notready") }{" not ready or terminating: no new requests"}</span>
                    if left_out > 0 {
                        <span class="muted">{ format!("({left_out} more not drawn)") }</span>
                    }
                </span>
            }
        </div>
    }
}
