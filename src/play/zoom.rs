//! The timeline's zoom: the lanes are drawn `zoom` times as wide as the
//! visible area, which scrolls. This is the arithmetic; the page keeps the
//! state (zoom, scroll) and does the drawing.

use crate::core::time::{Millis, MINUTE_MS, SECOND_MS};

/// The widest zoom, whatever the run's length.
pub const MAX_ZOOM: f64 = 256.0;
/// Zooming in stops when the visible span is this short.
pub const MIN_SPAN_MS: Millis = 2 * SECOND_MS;

/// `x.clamp(lo, hi)` without its assertion that `lo <= hi`, whose panic
/// message prints the bounds with `{:?}` and so links the standard float
/// formatter into the page (~14 KB of Wasm). Same result otherwise, NaN
/// included.
pub fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        x
    }
}

/// The largest useful zoom for a timeline `end` long.
pub fn max_zoom(end: Millis) -> f64 {
    clamp(end as f64 / MIN_SPAN_MS as f64, 1.0, MAX_ZOOM)
}

/// One step in (×2) or out (÷2), within 1 and [`max_zoom`].
pub fn step(zoom: f64, zoom_in: bool, end: Millis) -> f64 {
    let z = if zoom_in { zoom * 2.0 } else { zoom / 2.0 };
    clamp(z, 1.0, max_zoom(end))
}

/// The scroll offset that keeps the point `anchor_x` pixels into a view
/// `width` wide over the same time when the zoom goes from `old` to `new`.
pub fn anchored_scroll(old: f64, new: f64, scroll_left: f64, anchor_x: f64, width: f64) -> f64 {
    if width <= 0.0 || old <= 0.0 {
        return 0.0;
    }
    let frac = (scroll_left + anchor_x) / (width * old);
    clamp(frac * width * new - anchor_x, 0.0, width * (new - 1.0).max(0.0))
}

/// Where to anchor a zoom from the buttons or the keys: on the playhead
/// (`playhead` of the whole, 0–1) when it is in view, else the view's middle.
pub fn playhead_anchor(zoom: f64, scroll_left: f64, width: f64, playhead: f64) -> f64 {
    let x = playhead * width * zoom - scroll_left;
    if (0.0..=width).contains(&x) {
        x
    } else {
        width / 2.0
    }
}

/// The part of the whole (0–1) in view.
pub fn visible(zoom: f64, scroll_left: f64, width: f64) -> (f64, f64) {
    if width <= 0.0 || zoom <= 1.0 {
        return (0.0, 1.0);
    }
    let start = clamp(scroll_left / (width * zoom), 0.0, 1.0);
    (start, (start + 1.0 / zoom).min(1.0))
}

/// The axis step for a visible `span` shown `width` pixels wide: at most one
/// label per 64 px, and at most 8.
pub fn tick_step(span: Millis, width: f64) -> Millis {
    const STEPS: [Millis; 11] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800];
    let labels = ((width / 64.0) as Millis).clamp(2, 8);
    STEPS.iter().map(|s| s * SECOND_MS).find(|s| span / s <= labels).unwrap_or(60 * MINUTE_MS)
}

/// Probe ticks kept per lane: one per slot, `slots` across the whole width
/// (five per percent of the visible width), so they thin out as the view
/// zooms out and each shows when zoomed in.
pub fn probe_slots(zoom: f64) -> f64 {
    500.0 * zoom
}

#[cfg(test)]
mod tests {
    #[test]
    fn clamp_is_the_standard_clamp() {
        for x in [-1.5, 0.0, -0.0, 0.5, 1.0, 2.0, 300.0, f64::INFINITY, f64::NEG_INFINITY] {
            for (lo, hi) in [(0.0, 1.0), (1.0, 256.0), (0.0, 0.0)] {
                assert_eq!(super::clamp(x, lo, hi).to_bits(), x.clamp(lo, hi).to_bits(), "{x} in {lo}..{hi}");
            }
        }
        assert!(super::clamp(f64::NAN, 0.0, 1.0).is_nan());
    }
}
