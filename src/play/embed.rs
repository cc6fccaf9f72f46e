//! Options of the page's URL query (`?embed=1&example=…&speed=10…`), and the
//! snippet a blogger pastes to embed the current session. Pure: the page
//! hands in the query string and the page's own URL.

use crate::core::time::{parse_duration, Millis};

/// What the query asked for. Unknown or malformed values are ignored (the
/// page falls back to its defaults) and listed in `ignored`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageOptions {
    /// The compact player for iframes.
    pub embed: bool,
    pub example: Option<String>,
    /// A bundled exercise to open (`01-image-typo`).
    pub exercise: Option<String>,
    /// Virtual seconds per real second.
    pub speed: Option<u32>,
    /// Start playing at once (embeds default to yes).
    pub autoplay: Option<bool>,
    /// Show the editor in an embed (default no).
    pub editor: bool,
    /// Show the kubectl panes in an embed (default no).
    pub panes: bool,
    /// Where the player starts, and where it pauses by itself.
    pub start_ms: Option<Millis>,
    pub stop_ms: Option<Millis>,
    /// `light` or `dark`; the host page passes its own.
    pub theme: Option<String>,
    /// Play the example's scenario (its timed actions, `examples::scenario`).
    pub scenario: bool,
    pub ignored: Vec<String>,
}

/// The speeds the page offers.
pub const SPEEDS: [u32; 7] = [1, 2, 5, 10, 30, 60, 300];

impl PageOptions {
    /// Reads a query string (with or without `?`). Never fails.
    pub fn parse(query: &str) -> PageOptions {
        let mut o = PageOptions::default();
        for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()).take(32) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let ok = match k {
                "embed" => flag(v).map(|b| o.embed = b).is_some(),
                "example" | "exercise" => {
                    let name_ok =
                        !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
                    if name_ok {
                        let slot = if k == "example" { &mut o.example } else { &mut o.exercise };
                        *slot = Some(v.to_string());
                    }
                    name_ok
                }
                "speed" => v
                    .trim_end_matches('x')
                    .parse()
                    .ok()
                    .filter(|s| SPEEDS.contains(s))
                    .map(|s| o.speed = Some(s))
                    .is_some(),
                "autoplay" => flag(v).map(|b| o.autoplay = Some(b)).is_some(),
                "scenario" => flag(v).map(|b| o.scenario = b).is_some(),
                "editor" => flag(v).map(|b| o.editor = b).is_some(),
                "panes" => flag(v).map(|b| o.panes = b).is_some(),
                "start" => parse_duration(v).map(|t| o.start_ms = Some(t)).is_some(),
                "stop" => parse_duration(v).map(|t| o.stop_ms = Some(t)).is_some(),
                "theme" => matches!(v, "light" | "dark").then(|| o.theme = Some(v.to_string())).is_some(),
                _ => false,
            };
            if !ok && o.ignored.len() < 8 {
                o.ignored.push(pair.chars().take(40).collect());
            }
        }
        o
    }
}

fn flag(v: &str) -> Option<bool> {
    match v {
        "" | "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// The fractions of an embed's height at which the browser reports how much
/// of it is visible (see [`visibility`]).
pub const VISIBILITY_THRESHOLDS: [f64; 11] = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1.0];

/// An embed taller than this much of the reader's screen can never be half
/// visible: it counts as seen once this many pixels of it are.
const SEEN_PX: f64 = 400.0;
/// Below both this fraction and this height, an embed is out of sight.
const AWAY_RATIO: f64 = 0.15;
const AWAY_PX: f64 = 100.0;

/// Whether an embed of which `ratio` (0–1) and `visible_px` CSS pixels are
/// in the reader's viewport is seen (`Some(true)`: at least half of it, or
/// [`SEEN_PX`] of a tall one), scrolled away (`Some(false)`: a sliver at
/// most), or in between (`None`: it keeps doing what it does), so that a
/// frame at the edge of the screen does not start and stop by turns.
pub fn visibility(ratio: f64, visible_px: f64) -> Option<bool> {
    if ratio >= 0.5 || visible_px >= SEEN_PX {
        Some(true)
    } else if ratio < AWAY_RATIO && visible_px < AWAY_PX {
        Some(false)
    } else {
        None
    }
}

/// What the height of an embed depends on, counted in the run it opens on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedShape {
    /// Node cards (with "Waiting for a node", if any Pod waits).
    pub nodes: usize,
    /// The most Pods on one node: the tallest card in a row of nodes.
    pub most_pods_on_a_node: usize,
    pub services: usize,
    /// Endpoints of all the Services.
    pub endpoints: usize,
    /// Deployments, StatefulSets, DaemonSets, Jobs and CronJobs.
    pub workloads: usize,
    /// The timeline's lanes (a Pod's and one per container).
    pub lanes: usize,
    /// The editor's lines, when the embed shows it.
    pub editor_lines: Option<usize>,
}

/// The height, in CSS pixels, that the snippet reserves for an embed of
/// this shape in a column 700 px wide, so that the post does not jump when
/// the player has loaded: sizes of the compact layout measured in Chromium
/// (www/style.css, "Embeds: fit the content"), within about 5 % of the
/// height the player then reports for the bundled examples. `embed.js`
/// corrects the rest.
pub fn reserved_height(s: &EmbedShape) -> u32 {
    const BAR: usize = 43;
    const PADDING: usize = 16;
    const GAP: usize = 8;
    const NODES_PER_ROW: usize = 3;
    const NODE_HEAD: usize = 36;
    const POD: usize = 210;
    const SERVICE: usize = 110;
    const ENDPOINT: usize = 32;
    const ARROWS_BAR: usize = 52;
    const WORKLOAD: usize = 120;
    const TIMELINE: usize = 76;
    const LANE: usize = 22;
    const LANES_SHOWN: usize = 8;
    const EDITOR: usize = 18;
    const EDITOR_LINE: usize = 20;
    const EDITOR_LINES_SHOWN: usize = 18;
    const PROBLEMS: usize = 110;
    let rows = s.nodes.max(1).div_ceil(NODES_PER_ROW);
    let mut parts = vec![rows * (NODE_HEAD + POD * s.most_pods_on_a_node) + (rows - 1) * GAP];
    if s.services > 0 {
        parts.push(s.services * SERVICE + s.endpoints * ENDPOINT + (s.services - 1) * GAP);
        parts.push(ARROWS_BAR);
    }
    parts.extend(std::iter::repeat_n(WORKLOAD, s.workloads));
    let cluster = parts.iter().sum::<usize>() + (parts.len() - 1) * GAP;
    let editor =
        s.editor_lines.map_or(0, |n| EDITOR + EDITOR_LINE * n.clamp(1, EDITOR_LINES_SHOWN) + GAP + PROBLEMS + GAP);
    let timeline = TIMELINE + LANE * s.lanes.min(LANES_SHOWN);
    (BAR + PADDING + editor + cluster + GAP + timeline + GAP) as u32
}

/// An `<iframe>` for the session at `page_url` (the page's URL without query
/// or fragment) with the session's `fragment` (`s=…`): lazy, titled for
/// screen readers, `height` tall (see [`reserved_height`]), and marked for
/// `embed.js`, the optional script that sizes it to its content.
pub fn iframe_snippet(page_url: &str, fragment: &str, speed: u32, title: &str, height: u32) -> String {
    let base = page_url.split(['?', '#']).next().unwrap_or(page_url);
    let src = format!("{base}?embed=1&speed={speed}#{fragment}");
    let script = format!("{}embed.js", base.rsplit_once('/').map_or(String::new(), |(dir, _)| format!("{dir}/")));
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{height}\" loading=\"lazy\" style=\"border:0\" data-podplay></iframe>\n<script src=\"{}\" defer></script>",
        attr(&src),
        attr(title),
        attr(&script)
    )
}

/// Text escaped for an HTML attribute value.
fn attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_embed_options() {
        let o = PageOptions::parse(
            "?embed=1&example=liveness-exec&speed=10&autoplay=0&editor&start=30s&stop=3m&theme=dark&exercise=03",
        );
        assert_eq!(o.exercise.as_deref(), Some("03"));
        assert!(o.embed && o.editor && !o.panes);
        assert_eq!(o.example.as_deref(), Some("liveness-exec"));
        assert_eq!((o.speed, o.autoplay), (Some(10), Some(false)));
        assert_eq!((o.start_ms, o.stop_ms), (Some(30_000), Some(180_000)));
        assert_eq!(o.theme.as_deref(), Some("dark"));
        assert!(o.ignored.is_empty());
    }

    #[test]
    fn ignores_what_it_does_not_understand() {
        let o = PageOptions::parse("speed=7&theme=<b>&example=../x&start=soon&utm_source=blog&embed=maybe");
        assert_eq!(o, PageOptions { ignored: o.ignored.clone(), ..PageOptions::default() });
        assert_eq!(o.ignored.len(), 6);
        assert_eq!(PageOptions::parse(""), PageOptions::default());
    }

    #[test]
    fn the_reserved_height_follows_the_measured_compact_layout() {
        // Heights the compact player reported in Chromium at 704 px wide
        // (tests/e2e/embed-fit.test.mjs checks the estimate against the page itself).
        let one_pod = EmbedShape { nodes: 3, most_pods_on_a_node: 1, lanes: 2, ..EmbedShape::default() };
        let near = |shape: &EmbedShape, measured: u32| {
            let h = reserved_height(shape);
            assert!(h.abs_diff(measured) * 100 <= measured * 6, "{h} for {measured}: {shape:?}");
        };
        near(&one_pod, 423); // liveness-exec at 30 s
        let deployment = EmbedShape { services: 1, endpoints: 3, workloads: 1, lanes: 6, ..one_pod.clone() };
        near(&deployment, 906);
        // More Pods, lanes and an editor make it taller; the timeline and the editor stop growing at their caps.
        let editor = EmbedShape { editor_lines: Some(21), lanes: 4, ..one_pod.clone() };
        assert!(reserved_height(&editor) > reserved_height(&one_pod) + 400);
        let many_lanes = EmbedShape { lanes: 40, ..one_pod.clone() };
        assert_eq!(reserved_height(&many_lanes), reserved_height(&EmbedShape { lanes: 8, ..one_pod.clone() }));
        assert!(reserved_height(&EmbedShape::default()) > 100);
    }

    #[test]
    fn an_embed_is_seen_when_half_visible_and_away_when_a_sliver_is() {
        assert_eq!(visibility(0.5, 150.0), Some(true));
        assert_eq!(visibility(1.0, 300.0), Some(true));
        // A frame taller than the screen: 450 px of 1,500 px is seen.
        assert_eq!(visibility(0.3, 450.0), Some(true));
        assert_eq!(visibility(0.0, 0.0), Some(false));
        assert_eq!(visibility(0.1, 50.0), Some(false));
        // In between: whatever it was doing goes on.
        assert_eq!(visibility(0.3, 150.0), None);
        assert_eq!(visibility(0.1, 200.0), None);
    }

    #[test]
    fn the_snippet_is_a_lazy_titled_iframe_with_escaped_attributes() {
        let s = iframe_snippet(
            "https://host/blog/podplay/index.html?example=x#old",
            "s=abc",
            10,
            "Pod \"web\" <demo>",
            431,
        );
        assert_eq!(
            s,
            "<iframe src=\"https://host/blog/podplay/index.html?embed=1&amp;speed=10#s=abc\" title=\"Pod &quot;web&quot; &lt;demo&gt;\" width=\"100%\" height=\"431\" loading=\"lazy\" style=\"border:0\" data-podplay></iframe>\n<script src=\"https://host/blog/podplay/embed.js\" defer></script>"
        );
    }
}
