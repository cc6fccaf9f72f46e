//! The browser APIs of `src/ui/browser.rs` as the build-time render sees
//! them (native builds, `src/ui/first_view.rs`): no window, no storage,
//! nothing calls back; the clock only times the build's own work. The
//! address is the one being rendered, so the App opens what that page will
//! open, as a first visitor sees it.

use std::sync::Mutex;

/// The query of the page being rendered (`?example=NAME`, or "").
static ADDRESS: Mutex<String> = Mutex::new(String::new());

/// Sets the query the next render reads through [`query`].
#[cfg(feature = "prerender")]
pub fn set_query(query: &str) {
    *ADDRESS.lock().unwrap_or_else(|e| e.into_inner()) = query.to_string();
}

/// Nothing is stored at build time: the render is a first visit.
pub fn load(_key: &str) -> Option<String> {
    None
}

pub fn save(_key: &str, _value: &str) -> bool {
    false
}

pub fn fragment() -> String {
    String::new()
}

pub fn set_fragment(_fragment: &str) -> Option<String> {
    None
}

pub fn query() -> String {
    ADDRESS.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The rendered page's links are relative to it.
pub fn page_url() -> String {
    String::new()
}

/// No embedding page watches the build: nothing reports a height.
pub struct HeightReporter;

impl HeightReporter {
    pub fn new(_el: &web_sys::Element) -> Option<Self> {
        None
    }
}

/// Nothing is seen at build time: an embed waits, as it does off screen.
pub struct VisibilityWatcher;

impl VisibilityWatcher {
    pub fn new(_el: &web_sys::Element, _f: impl FnMut(f64, f64) + 'static) -> Option<Self> {
        None
    }
}

pub fn copy(_text: &str) {}

/// The first view is drawn as a reader without the preference sees it.
pub fn prefers_reduced_motion() -> bool {
    false
}

pub fn set_theme(_theme: Option<&str>) {}

/// The live page reveals itself over the first view; there is none here.
pub fn reveal() {}

/// No early player runs at build time.
pub fn early_handoff() -> Option<super::Handoff> {
    None
}

/// There is no page to render into.
pub fn first_view_root() -> Option<web_sys::Element> {
    None
}

/// The page rendered is the address's: it opens nothing of its own.
pub fn page_opens() -> Option<String> {
    None
}

/// Milliseconds on the build machine's clock: the first view's "checked in
/// … ms" is the build's own measurement, replaced by the reader's when the
/// live page takes over.
pub fn perf_now() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
}

/// The first view is drawn whole, in one render.
pub fn live_hidden() -> bool {
    false
}

/// Runs `f` now: there is no event loop to yield to.
pub fn later(f: impl FnOnce() + 'static) {
    f()
}

/// A callback nothing calls: the render is one frame, at time zero.
pub struct Callback;

impl Callback {
    pub fn new(_f: impl FnMut(f64) + 'static) -> Self {
        Callback
    }
    pub fn request_frame(&mut self) {}
    pub fn frame_done(&mut self) {}
    pub fn cancel_frame(&mut self) {}
    pub fn debounce(&mut self, _ms: i32) {}
    pub fn timeout_done(&mut self) {}
}

/// Fetches nothing: the build compiles every bundled text in.
pub struct Fetcher;

impl Fetcher {
    pub fn new(_max: usize, _done: impl Fn(Result<String, String>) + 'static) -> Self {
        Fetcher
    }
    pub fn get(&self, _path: &str) {}
}
