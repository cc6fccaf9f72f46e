//! The playback clock: how far one animation frame moves a [`Player`]'s
//! simulated time. The page ([`crate::ui`]) and the early player
//! (`src/ui/early.rs`) both play with it, so a run goes on at the same pace
//! whichever of them is drawing it.
//!
//! Pure like the rest of `play`: the page passes the frame's timestamp in
//! (`requestAnimationFrame`'s, in ms).

use super::{Player, MAX_TIME_MS};
use crate::core::time::Millis;

/// A frame's real time is capped, so a background tab does not jump ahead.
pub const MAX_FRAME_MS: f64 = 100.0;

/// Where playing has taken the clock, and the frame it last moved at.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Playhead {
    /// The simulated time playing aims at (ms, fractional: at 1x a frame
    /// moves it some 16.7 ms).
    pub target_ms: f64,
    /// The previous frame's timestamp; none when playing (re)starts, so its
    /// first frame moves nothing.
    pub last_frame: Option<f64>,
}

impl Playhead {
    /// Playing starts again from `at` (a seek, a restart, a new run).
    pub fn restart(&mut self, at: Millis) {
        *self = Playhead { target_ms: at as f64, last_frame: None };
    }

    /// The next frame only sets the pace (playing starts or resumes, or
    /// the page was not ready to move the clock).
    pub fn resync(&mut self) {
        self.last_frame = None;
    }

    /// Moves `player` on by the real time since the last frame (at most
    /// [`MAX_FRAME_MS`]) times `speed`, not past `stop_ms` (when it is still
    /// ahead). Returns whether playing goes on: not once the clock has
    /// reached `stop_ms` or [`MAX_TIME_MS`], or the run has stalled.
    pub fn frame(&mut self, player: &mut Player, ts: f64, speed: u32, stop_ms: Option<Millis>) -> bool {
        let dt = self.last_frame.map_or(0.0, |last| super::zoom::clamp(ts - last, 0.0, MAX_FRAME_MS));
        self.last_frame = Some(ts);
        let stop = stop_ms.filter(|s| *s > player.now()).unwrap_or(MAX_TIME_MS);
        self.target_ms = (self.target_ms + dt * speed as f64).min(stop as f64);
        player.advance_to(self.target_ms as Millis);
        self.target_ms < stop as f64 && player.now() < MAX_TIME_MS && player.stalled().is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::play::Scenario;

    fn player() -> Player {
        let manifests = crate::examples::find("crashloop").unwrap().yaml.to_string();
        Player::new(Scenario { manifests, seed: 1, actions: vec![] }).unwrap().0
    }

    #[test]
    fn a_frame_moves_the_clock_by_its_real_time_times_the_speed_capped() {
        let mut p = player();
        let mut head = Playhead::default();
        // The first frame only sets the pace.
        assert!(head.frame(&mut p, 1000.0, 10, None));
        assert_eq!(head.target_ms, 0.0);
        assert!(head.frame(&mut p, 1016.0, 10, None));
        assert_eq!(head.target_ms, 160.0);
        assert_eq!(p.now(), 160);
        // Five seconds in a background tab count as MAX_FRAME_MS.
        assert!(head.frame(&mut p, 6016.0, 10, None));
        assert_eq!(head.target_ms, 160.0 + MAX_FRAME_MS * 10.0);
        head.resync();
        assert!(head.frame(&mut p, 9000.0, 10, None));
        assert_eq!(head.target_ms, 160.0 + MAX_FRAME_MS * 10.0, "a resumed run does not count the pause");
        head.restart(50);
        assert_eq!(head, Playhead { target_ms: 50.0, last_frame: None });
    }

    #[test]
    fn playing_stops_at_the_stop_time_still_ahead() {
        let mut p = player();
        let mut head = Playhead::default();
        head.frame(&mut p, 0.0, 60, Some(3000));
        assert!(head.frame(&mut p, 40.0, 60, Some(3000)));
        assert!(!head.frame(&mut p, 80.0, 60, Some(3000)), "stopped at 3 s");
        assert_eq!(p.now(), 3000);
        // A stop time already passed does not hold the clock.
        assert!(head.frame(&mut p, 120.0, 60, Some(3000)));
        assert_eq!(p.now(), 5400);
    }
}
