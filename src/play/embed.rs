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

/// An `<iframe>` for the session at `page_url` (the page's URL without query
/// or fragment) with the session's `fragment` (`s=…`): lazy, titled for
/// screen readers, sized for the compact player, and marked for
/// `embed.js`, the optional script that sizes it to its content.
pub fn iframe_snippet(page_url: &str, fragment: &str, speed: u32, title: &str) -> String {
    let base = page_url.split(['?', '#']).next().unwrap_or(page_url);
    let src = format!("{base}?embed=1&speed={speed}#{fragment}");
    let script = format!("{}embed.js", base.rsplit_once('/').map_or(String::new(), |(dir, _)| format!("{dir}/")));
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"560\" loading=\"lazy\" style=\"border:0\" data-podplay></iframe>\n<script src=\"{}\" defer></script>",
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
    fn the_snippet_is_a_lazy_titled_iframe_with_escaped_attributes() {
        let s = iframe_snippet("https://host/blog/podplay/index.html?example=x#old", "s=abc", 10, "Pod \"web\" <demo>");
        assert_eq!(
            s,
            "<iframe src=\"https://host/blog/podplay/index.html?embed=1&amp;speed=10#s=abc\" title=\"Pod &quot;web&quot; &lt;demo&gt;\" width=\"100%\" height=\"560\" loading=\"lazy\" style=\"border:0\" data-podplay></iframe>\n<script src=\"https://host/blog/podplay/embed.js\" defer></script>"
        );
    }
}
