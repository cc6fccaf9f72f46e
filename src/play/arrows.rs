//! The arrows drawn over the cluster view from each Service card to the Pod
//! cards of its endpoints: which arrows (the members of the Service's
//! EndpointSlice, each as kube-proxy treats it) and their shapes (from the
//! cards' boxes, which the page measures). Pure: no browser API.

use super::traffic::{route_of, Route};
use crate::core::status::EndpointSliceSnapshot;

/// Arrows drawn at most: past it a fan is a blur, and each arrow costs a
/// measurement whenever the layout changes. The in-card endpoint list still
/// names every endpoint.
pub const MAX_ARROWS: usize = 100;
/// Boxes at most this tall are tiles (the compact view): arrows reach them
/// from below or above; taller ones are cards, reached from the left.
pub const TILE_MAX_HEIGHT: f64 = 40.0;
/// The arrowhead's length and half width.
const HEAD_LEN: f64 = 8.0;
const HEAD_HALF: f64 = 4.5;
/// Half the gap between the cluster view's blocks (`.cluster`, `.nodes` and
/// `.services` have 10px gaps): the lane above a Service card.
const GAP: f64 = 5.0;
/// From a Pod card's left edge to the middle of the gutter left of its node:
/// the node's padding (8px) and border (1px), and half the 10px gap.
const GUTTER: f64 = 14.0;
/// The radius of the routed arrow's corners.
const CORNER: f64 = 6.0;

/// One arrow: a Service to one member of its EndpointSlice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// `namespace/name` of the Service and of the Pod.
    pub service: String,
    pub pod: String,
    pub route: Route,
    /// Requests flow along it now: the Service has traffic and kube-proxy
    /// sends this endpoint requests.
    pub flowing: bool,
}

/// The arrows to draw, and how many were left out past [`MAX_ARROWS`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Links {
    pub links: Vec<Link>,
    pub left_out: usize,
}

/// A Service with its slice and whether its traffic is on.
pub struct ServiceSlice<'a> {
    pub namespace: &'a str,
    pub name: &'a str,
    pub slice: &'a EndpointSliceSnapshot,
    pub traffic_on: bool,
}

/// One arrow per member of each Service's slice, in the slice's order:
/// a member that is not in the slice gets none.
pub fn links<'a>(services: impl IntoIterator<Item = ServiceSlice<'a>>) -> Links {
    let mut out = Links::default();
    for s in services {
        let any_ready = s.slice.endpoints.iter().any(|e| e.ready);
        for e in &s.slice.endpoints {
            if out.links.len() == MAX_ARROWS {
                out.left_out += 1;
                continue;
            }
            let route = route_of(e, any_ready);
            out.links.push(Link {
                service: format!("{}/{}", s.namespace, s.name),
                pod: format!("{}/{}", s.namespace, e.pod_name),
                route,
                flowing: s.traffic_on && route.gets_traffic(),
            });
        }
    }
    out
}

/// A card's box in the cluster view's coordinates (CSS pixels).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// An arrow's SVG path data: the line and its head; `tip` is where the head
/// touches the Pod's box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shape {
    pub line: String,
    pub head: String,
    pub tip: (i32, i32),
}

/// The arrow from a Service card to a Pod's box. It leaves the card's top
/// edge at its middle (its bottom edge when the Pod is below).
///
/// A card above the Service is reached as on a circuit diagram: along the
/// gap just above the Service card ([`GAP`] is half the view's gap), up the
/// gutter left of the Pod's column (where no card is), and into the card's
/// left edge at its heading; so the arrow crosses no other card and its head
/// never covers the Pod's name. A tile (the compact view) is reached by a
/// curve from below (from above when it is below the Service), as is a card
/// below the Service.
pub fn shape(from: Rect, to: Rect) -> Shape {
    let tile = to.h <= TILE_MAX_HEIGHT;
    let below = to.y > from.y + from.h;
    let sx = from.x + from.w / 2.0;
    let sy = if below { from.y + from.h } else { from.y };
    // The tip, the unit vector the head points along, and the line's end.
    let (tip, along) = match (tile, below) {
        (true, true) => ((to.x + to.w / 2.0, to.y), (0.0, 1.0)),
        (true, false) => ((to.x + to.w / 2.0, to.y + to.h), (0.0, -1.0)),
        (false, _) => ((to.x, to.y + (to.h / 2.0).min(16.0)), (1.0, 0.0)),
    };
    let end = (tip.0 - along.0 * HEAD_LEN, tip.1 - along.1 * HEAD_LEN);
    // The gutter: half the nodes' gap and the node's border and padding left
    // of the Pod card (outside the view, within the page's padding, for the
    // first column); the lane: half the gap above the Service card.
    let (gx, lane) = (to.x - GUTTER, sy - GAP);
    let mut line = Path::default();
    line.to('M', &[sx, sy]);
    if !tile && !below && (gx - sx).abs() >= 2.0 * CORNER && lane - CORNER >= tip.1 + CORNER {
        let side = if gx < sx { -1.0 } else { 1.0 };
        let turn = GAP.min(CORNER);
        line.to('V', &[lane + turn])
            .to('Q', &[sx, lane, sx + side * turn, lane])
            .to('H', &[gx - side * CORNER])
            .to('Q', &[gx, lane, gx, lane - CORNER])
            .to('V', &[tip.1 + CORNER])
            .to('Q', &[gx, tip.1, gx + CORNER, tip.1])
            .to('H', &[end.0]);
    } else {
        // A tile, a card below, or a card straight above: one curve.
        let rise = (end.1 - sy).abs();
        let c1 = (sx, sy + if below { 1.0 } else { -1.0 } * (rise * 0.5).clamp(20.0, 220.0));
        let c2 = if tile {
            (end.0, end.1 - along.1 * (rise * 0.4).clamp(16.0, 200.0))
        } else {
            // Into the card from its left, without swinging far past the view's left edge.
            (end.0 - 24.0_f64.min(end.0 + 6.0).max(8.0), end.1)
        };
        line.to('C', &[c1.0, c1.1, c2.0, c2.1, end.0, end.1]);
    }
    // The head: a triangle with its point at the tip, its base across the line's end.
    let (px, py) = (-along.1 * HEAD_HALF, along.0 * HEAD_HALF);
    let mut head = Path::default();
    head.to('M', &[tip.0, tip.1]).to('L', &[end.0 + px, end.1 + py]).to('L', &[end.0 - px, end.1 - py]).0.push('Z');
    Shape { line: line.0, head: head.0, tip: (tip.0.round() as i32, tip.1.round() as i32) }
}

/// SVG path data, numbers rounded to whole pixels (so a measurement that
/// moved nothing gives the same text).
#[derive(Default)]
struct Path(String);

impl Path {
    fn to(&mut self, command: char, numbers: &[f64]) -> &mut Self {
        self.0.push(command);
        for (i, v) in numbers.iter().enumerate() {
            if i > 0 {
                self.0.push(' ');
            }
            self.0.push_str(&(v.round() as i32).to_string());
        }
        self
    }
}

/// How an arrow changed since the arrows drawn before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Same,
    /// Its Pod is a new endpoint of the Service (a replacement Pod, a Pod
    /// back in the slice): it is drawn in.
    New,
    /// The same endpoint, routed otherwise now (ready to not ready, …).
    Rerouted,
}

/// How each of `now` changed since `before`, and which of `before` are gone
/// (their Pod left the Service's slice: drawn fading where they were). An
/// arrow is its Service and its Pod.
pub fn changes(before: &[Link], now: &[Link]) -> (Vec<Change>, Vec<usize>) {
    let find = |links: &[Link], l: &Link| links.iter().position(|b| b.service == l.service && b.pod == l.pod);
    let changed = now
        .iter()
        .map(|l| match find(before, l) {
            None => Change::New,
            Some(i) if before[i].route != l.route => Change::Rerouted,
            Some(_) => Change::Same,
        })
        .collect();
    let gone = before.iter().enumerate().filter(|(_, b)| find(now, b).is_none()).map(|(i, _)| i).collect();
    (changed, gone)
}

/// Where each of `now` was last seen, for the fade of an arrow once it is
/// gone: its shape as just measured (`measured`, in `now`'s order), else the
/// shape the same arrow had in `before` (`before_shapes`). A Pod's card can
/// leave the view a frame before its endpoint leaves the slice (the card
/// turns into the trace of a deleted Pod; on a slow machine one frame covers
/// both); the arrow is not drawn then (no card to point at), and when it
/// goes it still fades where it was.
pub fn last_seen(
    before: &[Link],
    before_shapes: &[Option<Shape>],
    now: &[Link],
    measured: &[Option<Shape>],
) -> Vec<Option<Shape>> {
    now.iter()
        .enumerate()
        .map(|(i, l)| {
            measured.get(i).cloned().flatten().or_else(|| {
                let j = before.iter().position(|b| b.service == l.service && b.pod == l.pod)?;
                before_shapes.get(j).cloned().flatten()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::status::Endpoint;

    #[test]
    fn a_replaced_pod_is_a_new_arrow_and_the_old_one_is_gone() {
        let link =
            |pod: &str, route: Route| Link { service: "default/web".into(), pod: pod.into(), route, flowing: false };
        let before =
            [link("default/a", Route::Ready), link("default/b", Route::Ready), link("default/c", Route::Ready)];
        let now =
            [link("default/a", Route::Ready), link("default/c", Route::NotReady), link("default/d", Route::Ready)];
        let (changed, gone) = changes(&before, &now);
        assert_eq!(changed, [Change::Same, Change::Rerouted, Change::New]);
        assert_eq!(gone, [1]);
        assert_eq!(changes(&now, &now), (vec![Change::Same; 3], vec![]));
        // Another Service's arrow to the same Pod is another arrow.
        let other = Link { service: "default/api".into(), ..link("default/a", Route::Ready) };
        assert_eq!(changes(&before, &[other]).0, [Change::New]);
    }

    /// The card of a deleted Pod leaves the view (its arrow is not drawn),
    /// then its endpoint leaves the slice: the arrow gone still has the shape
    /// it was last drawn with, so it fades where it was.
    #[test]
    fn an_arrow_keeps_where_it_was_last_seen_while_its_card_is_gone() {
        let link =
            |pod: &str, route: Route| Link { service: "default/web".into(), pod: pod.into(), route, flowing: false };
        let at =
            |x: f64| Some(shape(Rect { x: 0.0, y: 300.0, w: 100.0, h: 60.0 }, Rect { x, y: 0.0, w: 200.0, h: 200.0 }));
        let drawn = [link("default/a", Route::Ready), link("default/b", Route::Ready)];
        let shapes = [at(10.0), at(300.0)];
        // a's card is gone; its endpoint is still in the slice, terminating.
        let now = [link("default/a", Route::Terminating), link("default/b", Route::Ready)];
        let kept = last_seen(&drawn, &shapes, &now, &[None, at(320.0)]);
        assert_eq!(kept, [at(10.0), at(320.0)]);
        // Then a leaves the slice: it is gone with the shape it was last seen with.
        let (_, gone) = changes(&now, &[link("default/b", Route::Ready)]);
        assert_eq!(gone, [0]);
        assert_eq!(kept[gone[0]], at(10.0));
        // An arrow never seen has no shape to keep.
        assert_eq!(last_seen(&[], &[], &now, &[None, None]), [None, None]);
    }

    fn slice(members: &[(&str, bool, bool, bool)]) -> EndpointSliceSnapshot {
        EndpointSliceSnapshot {
            name: "web-abcde".into(),
            namespace: "default".into(),
            service_name: "web".into(),
            server: crate::core::status::ServerMeta {
                uid: "u".into(),
                creation_ms: 0,
                resource_version: 1,
                deletion_ms: None,
                deletion_grace_period_seconds: None,
            },
            ports: vec![],
            endpoints: members
                .iter()
                .enumerate()
                .map(|(i, (pod, ready, serving, terminating))| Endpoint {
                    ip: std::net::Ipv4Addr::new(10, 244, 0, i as u8 + 2),
                    ready: *ready,
                    serving: *serving,
                    terminating: *terminating,
                    pod_name: pod.to_string(),
                    node_name: "node-1".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn one_arrow_per_slice_member_with_kube_proxys_route() {
        let s = slice(&[("a", true, true, false), ("b", false, false, false), ("c", false, true, true)]);
        let l = links([ServiceSlice { namespace: "default", name: "web", slice: &s, traffic_on: true }]);
        let got: Vec<_> = l.links.iter().map(|l| (l.pod.as_str(), l.route, l.flowing)).collect();
        // A terminating endpoint gets no new requests while another is ready (KEP-1669).
        assert_eq!(
            got,
            [
                ("default/a", Route::Ready, true),
                ("default/b", Route::NotReady, false),
                ("default/c", Route::Terminating, false)
            ]
        );
        assert!(l.links.iter().all(|l| l.service == "default/web"));
        assert_eq!(l.left_out, 0);
    }

    #[test]
    fn a_serving_terminating_endpoint_gets_traffic_when_none_is_ready() {
        let s = slice(&[("c", false, true, true)]);
        let on = links([ServiceSlice { namespace: "shop", name: "web", slice: &s, traffic_on: true }]);
        assert_eq!((on.links[0].route, on.links[0].flowing), (Route::Fallback, true));
        assert_eq!(on.links[0].pod, "shop/c");
        let off = links([ServiceSlice { namespace: "shop", name: "web", slice: &s, traffic_on: false }]);
        assert!(!off.links[0].flowing, "nothing flows without traffic");
    }

    #[test]
    fn arrows_past_the_cap_are_counted_not_drawn() {
        let names: Vec<String> = (0..MAX_ARROWS + 7).map(|i| format!("p{i}")).collect();
        let members: Vec<_> = names.iter().map(|n| (n.as_str(), true, true, false)).collect();
        let s = slice(&members);
        let l = links([ServiceSlice { namespace: "default", name: "web", slice: &s, traffic_on: false }]);
        assert_eq!((l.links.len(), l.left_out), (MAX_ARROWS, 7));
    }

    #[test]
    fn an_arrow_runs_along_the_gap_and_up_the_gutter_into_a_card_from_the_left() {
        // A Service card under the first column, a Pod card in the second.
        let svc = Rect { x: 0.0, y: 500.0, w: 300.0, h: 120.0 };
        let pod = Rect { x: 320.0, y: 40.0, w: 280.0, h: 200.0 };
        let s = shape(svc, pod);
        // Up to the lane 5px above the card, right to the gutter at x = 306, up to the heading, right to the head.
        assert_eq!(s.line, "M150 500V500Q150 495 155 495H300Q306 495 306 489V62Q306 56 312 56H312");
        assert_eq!(s.tip, (320, 56));
        assert_eq!(s.head, "M320 56L312 61L312 52Z");
        // A Pod in the first column: the gutter is left of the view's edge.
        let left = shape(svc, Rect { x: 9.0, ..pod });
        assert!(left.line.contains("H1Q-5 495 -5 489V62"), "{}", left.line);
    }

    #[test]
    fn an_arrow_reaches_a_tile_from_below_or_above() {
        let svc = Rect { x: 0.0, y: 500.0, w: 300.0, h: 120.0 };
        let tile = Rect { x: 100.0, y: 60.0, w: 22.0, h: 22.0 };
        let up = shape(svc, tile);
        assert_eq!(up.tip, (111, 82));
        assert!(up.line.ends_with(" 111 90"), "{}", up.line);
        let low = Rect { y: 700.0, ..tile };
        let down = shape(svc, low);
        assert!(down.line.starts_with("M150 620C"), "leaves the bottom edge: {}", down.line);
        assert_eq!(down.tip, (111, 700));
    }

    #[test]
    fn a_card_at_the_left_edge_is_reached_without_leaving_the_view() {
        let svc = Rect { x: 0.0, y: 500.0, w: 300.0, h: 120.0 };
        let pod = Rect { x: 9.0, y: 40.0, w: 280.0, h: 200.0 };
        let s = shape(svc, pod);
        let nums: Vec<i32> = s
            .line
            .split(|c: char| !c.is_ascii_digit() && c != '-')
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().unwrap())
            .collect();
        assert!(nums.iter().step_by(2).all(|x| *x >= -8), "{}", s.line);
    }
}
