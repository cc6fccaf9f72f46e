//! The few browser APIs the page uses, each wrapped so a missing or refusing
//! API (storage disabled, no clipboard, a sandboxed iframe) is a no-op or an
//! error value, never a panic.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// A value from localStorage, if storage is available and holds it.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Saves to localStorage; false when the browser refused (quota, disabled).
pub fn save(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// The URL fragment without `#`.
pub fn fragment() -> String {
    window().and_then(|w| w.location().hash().ok()).map(|h| h.trim_start_matches('#').to_string()).unwrap_or_default()
}

/// The page's URL with `fragment`, put in the address bar without a reload
/// or a new history entry. Returns the full URL.
pub fn set_fragment(fragment: &str) -> Option<String> {
    let w = window()?;
    let href = w.location().href().ok()?;
    let base = href.split('#').next().unwrap_or(&href);
    let url = if fragment.is_empty() { base.to_string() } else { format!("{base}#{fragment}") };
    let _ = w.history().ok()?.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    Some(url)
}

/// The page's URL query (`?embed=1&…`), or "".
pub fn query() -> String {
    window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// The page's URL without query and fragment.
pub fn page_url() -> String {
    let href = window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    href.split(['?', '#']).next().unwrap_or_default().to_string()
}

/// The first view drawn at build time (`#first-view`, `src/ui/first_view.rs`)
/// stays while the App renders into a hidden element made here, which
/// [`reveal`] shows in its place. None when the page has no first view, or
/// the address asks for something it does not show (an embed:
/// `data-first-view="none"`, set by `scripts/first-view.js`): then the
/// loading note and any first view go, and the App renders into the body.
pub fn first_view_root() -> Option<web_sys::Element> {
    let d = window()?.document()?;
    let first = d.get_element_by_id("first-view");
    let wanted = d.document_element().and_then(|e| e.get_attribute("data-first-view")).as_deref() != Some("none");
    match first {
        Some(_) if wanted => {
            let root = d.create_element("div").ok()?;
            root.set_id("live");
            let _ = root.set_attribute("hidden", "");
            d.body()?.append_child(&root).ok()?;
            Some(root)
        }
        other => {
            if let Some(first) = other {
                first.remove();
            }
            if let Some(el) = d.get_element_by_id("loading") {
                el.remove();
            }
            None
        }
    }
}

/// Whether the App draws hidden beside the first view (`#live[hidden]`, made
/// by [`first_view_root`]), where it may take more than one task to draw.
pub fn live_hidden() -> bool {
    window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("live"))
        .is_some_and(|el| el.has_attribute("hidden"))
}

/// Runs `f` in a task of its own, after the current one (`setTimeout(f, 0)`).
pub fn later(f: impl FnOnce() + 'static) {
    let Some(w) = window() else { return f() };
    let once = Closure::once_into_js(f);
    if w.set_timeout_with_callback_and_timeout_and_arguments_0(once.unchecked_ref(), 0).is_err() {
        web_sys::console::error_1(&"podplay: setTimeout refused; the page cannot start".into());
    }
}

/// Shows the live App in place of the first view and the loading note.
pub fn reveal() {
    let Some(d) = window().and_then(|w| w.document()) else { return };
    for id in ["first-view", "loading"] {
        if let Some(el) = d.get_element_by_id(id) {
            el.remove();
        }
    }
    if let Some(root) = d.get_element_by_id("live") {
        let _ = root.remove_attribute("hidden");
        // What the first view already showed must not fade in again (the
        // cards' `appear` animation starts when they are first displayed).
        finish_animations(&root);
    }
    if let Some(root) = d.document_element() {
        let _ = root.remove_attribute("data-first-view");
    }
    // For the benchmark (tests/e2e/firstview-bench.mjs): when the live page took over.
    mark("podplay:live");
}

/// Ends at once the animations running in `root`'s subtree
/// (`root.getAnimations({subtree: true})`, each `finish()`ed).
pub fn finish_animations(root: &web_sys::Element) {
    let call = |target: &wasm_bindgen::JsValue, name: &str, args: &js_sys::Array| {
        js_sys::Reflect::get(target, &name.into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.apply(target, args).ok())
    };
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"subtree".into(), &true.into());
    let Some(list) = call(root, "getAnimations", &js_sys::Array::of1(&opts)) else { return };
    for a in js_sys::Array::from(&list).iter() {
        call(&a, "finish", &js_sys::Array::new());
    }
}

/// A performance mark (the benchmarks read them).
pub fn mark(name: &str) {
    if let Some(p) = window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// The window property through which the two modules meet.
const HANDOFF: &str = "podplayEarly";

/// The early player offers to stop: `window.podplayEarly()` stops it and
/// returns `[now_ms, playing, waiting, speed]`.
pub fn offer_handoff(mut stop: impl FnMut() -> super::Handoff + 'static) {
    let Some(w) = window() else { return };
    let f = Closure::<dyn FnMut() -> js_sys::Array>::new(move || {
        let h = stop();
        let out = js_sys::Array::new();
        for v in [h.now_ms as f64, h.playing as u8 as f64, h.waiting as u8 as f64, h.speed as f64] {
            out.push(&v.into());
        }
        out
    });
    let _ = js_sys::Reflect::set(&w, &HANDOFF.into(), f.as_ref());
    f.forget();
}

/// Stops the early player, if one runs, and says where it was.
pub fn early_handoff() -> Option<super::Handoff> {
    let w = window()?;
    let f = js_sys::Reflect::get(&w, &HANDOFF.into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let _ = js_sys::Reflect::delete_property(&w, &HANDOFF.into());
    let a = js_sys::Array::from(&f.call0(&w).ok()?);
    let n = |i: u32| a.get(i).as_f64().filter(|v| v.is_finite() && *v >= 0.0);
    Some(super::Handoff {
        now_ms: n(0)? as crate::core::time::Millis,
        playing: n(1)? != 0.0,
        waiting: n(2)? != 0.0,
        speed: n(3)? as u32,
    })
}

/// What a pre-rendered page opens when its address names nothing
/// (`data-opens="?example=NAME"` on `<html>`, written by `scripts/assemble.py`).
pub fn page_opens() -> Option<String> {
    window()?.document()?.document_element()?.get_attribute("data-opens").filter(|q| !q.is_empty())
}

/// Tells the page that embeds this one (if any) how tall the content is:
/// `{type: "podplay:height", height}`. `embed.js` on the host checks the
/// sender and the shape before it resizes the iframe.
pub fn post_height(height: i32) {
    let Some(w) = window() else { return };
    let Ok(Some(parent)) = w.parent() else { return };
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"podplay:height".into());
    let _ = js_sys::Reflect::set(&msg, &"height".into(), &height.into());
    let _ = parent.post_message(&msg, "*");
}

/// Tells the embedding page the height of an element (the embed's root)
/// whenever it changes, from a `ResizeObserver`: the element's own height,
/// not the document's, which is never less than the frame's viewport (so a
/// frame measured that way could grow but never shrink). Stops when dropped.
pub struct HeightReporter {
    observer: web_sys::ResizeObserver,
    _closure: Closure<dyn FnMut(wasm_bindgen::JsValue)>,
}

impl HeightReporter {
    pub fn new(el: &web_sys::Element) -> Option<Self> {
        let target = el.clone();
        let mut last = -1;
        let closure = Closure::new(move |_entries: wasm_bindgen::JsValue| {
            let h = target.get_bounding_client_rect().height().ceil() as i32;
            if h != last {
                last = h;
                post_height(h);
            }
        });
        let observer = web_sys::ResizeObserver::new(closure.as_ref().unchecked_ref()).ok()?;
        observer.observe(el);
        Some(HeightReporter { observer, _closure: closure })
    }
}

impl Drop for HeightReporter {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Calls back with how much of an element the reader can see, from an
/// `IntersectionObserver` with the implicit root, which for a page in an
/// iframe is the top-level viewport of the page that embeds it: the
/// fraction of the element visible, and the visible height in CSS pixels.
/// Stops when dropped.
pub struct VisibilityWatcher {
    observer: web_sys::IntersectionObserver,
    _closure: Closure<dyn FnMut(js_sys::Array)>,
}

impl VisibilityWatcher {
    pub fn new(el: &web_sys::Element, mut f: impl FnMut(f64, f64) + 'static) -> Option<Self> {
        let closure = Closure::new(move |entries: js_sys::Array| {
            // Only the latest state counts.
            let last = entries.get(entries.length().saturating_sub(1));
            if let Some(e) = last.dyn_ref::<web_sys::IntersectionObserverEntry>() {
                f(e.intersection_ratio(), e.intersection_rect().height());
            }
        });
        let options = web_sys::IntersectionObserverInit::new();
        let thresholds = js_sys::Array::new();
        for t in crate::play::embed::VISIBILITY_THRESHOLDS {
            thresholds.push(&t.into());
        }
        options.set_threshold(&thresholds);
        let observer =
            web_sys::IntersectionObserver::new_with_options(closure.as_ref().unchecked_ref(), &options).ok()?;
        observer.observe(el);
        Some(VisibilityWatcher { observer, _closure: closure })
    }
}

impl Drop for VisibilityWatcher {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Puts text on the clipboard when the browser allows it (best effort).
pub fn copy(text: &str) {
    if let Some(w) = window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// The user asked the system for less motion.
pub fn prefers_reduced_motion() -> bool {
    window().and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten()).is_some_and(|m| m.matches())
}

/// Sets `data-theme` on the root element (`light`, `dark`, or none = system).
pub fn set_theme(theme: Option<&str>) {
    if let Some(root) = window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = match theme {
            Some(t) => root.set_attribute("data-theme", t),
            None => root.remove_attribute("data-theme"),
        };
    }
}

/// A callback the browser calls back later (animation frames, timeouts).
/// It lives as long as this value, and is reused for every request, so it
/// is never dropped while the browser might still call it.
pub struct Callback {
    closure: Closure<dyn FnMut(f64)>,
    frame: Option<i32>,
    timeout: Option<i32>,
}

impl Callback {
    pub fn new(f: impl FnMut(f64) + 'static) -> Self {
        Callback { closure: Closure::new(f), frame: None, timeout: None }
    }

    /// Calls back on the next animation frame (with its timestamp, ms), once.
    pub fn request_frame(&mut self) {
        if self.frame.is_none() {
            self.frame = window().and_then(|w| w.request_animation_frame(self.closure.as_ref().unchecked_ref()).ok());
        }
    }

    /// The frame requested has arrived (or is no longer wanted).
    pub fn frame_done(&mut self) {
        self.frame = None;
    }

    pub fn cancel_frame(&mut self) {
        if let (Some(id), Some(w)) = (self.frame.take(), window()) {
            let _ = w.cancel_animation_frame(id);
        }
    }

    /// Calls back after `ms`, replacing any call still pending (a debounce).
    pub fn debounce(&mut self, ms: i32) {
        let Some(w) = window() else { return };
        if let Some(id) = self.timeout.take() {
            w.clear_timeout_with_handle(id);
        }
        self.timeout =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(self.closure.as_ref().unchecked_ref(), ms).ok();
    }

    pub fn timeout_done(&mut self) {
        self.timeout = None;
    }
}

impl Drop for Callback {
    fn drop(&mut self) {
        self.cancel_frame();
        if let (Some(id), Some(w)) = (self.timeout.take(), window()) {
            w.clear_timeout_with_handle(id);
        }
    }
}

/// Milliseconds on the page's clock, to time work for the user (never
/// enters the simulation).
pub fn perf_now() -> f64 {
    window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// What a rejected promise said, in words.
fn reason(e: &wasm_bindgen::JsValue) -> String {
    e.as_string()
        .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| "failed".into())
}

/// Fetches texts from the page's own origin (which the CSP allows), one at
/// a time: [`Fetcher::get`] starts one, and the handler given to
/// [`Fetcher::new`] gets its body, or what went wrong in words (an HTTP
/// status, a network error, a body over the limit), before the next starts.
/// Its three callbacks are made once and live as long as it does.
pub struct Fetcher {
    on_response: Closure<dyn FnMut(wasm_bindgen::JsValue)>,
    on_error: std::rc::Rc<Closure<dyn FnMut(wasm_bindgen::JsValue)>>,
}

impl Fetcher {
    pub fn new(max: usize, done: impl Fn(Result<String, String>) + 'static) -> Self {
        let done = std::rc::Rc::new(done);
        let on_error = {
            let done = done.clone();
            std::rc::Rc::new(Closure::new(move |e: wasm_bindgen::JsValue| done(Err(reason(&e)))))
        };
        let on_text: Closure<dyn FnMut(wasm_bindgen::JsValue)> = {
            let done = done.clone();
            Closure::new(move |t: wasm_bindgen::JsValue| {
                done(match t.as_string() {
                    Some(t) if t.len() <= max => Ok(t),
                    Some(t) => Err(format!("{} bytes, more than {max}", t.len())),
                    None => Err("not text".into()),
                })
            })
        };
        let errors = on_error.clone();
        let on_response = Closure::new(move |r: wasm_bindgen::JsValue| {
            let Some(r) = r.dyn_ref::<web_sys::Response>() else { return done(Err("no response".into())) };
            if !r.ok() {
                return done(Err(format!("HTTP {}", r.status())));
            }
            match r.text() {
                Ok(text) => {
                    let _ = text.then2(&on_text, &errors);
                }
                Err(e) => done(Err(reason(&e))),
            }
        });
        Fetcher { on_response, on_error }
    }

    /// Starts fetching `path`, relative to the page.
    pub fn get(&self, path: &str) {
        if let Some(w) = window() {
            let _ = w.fetch_with_str(path).then2(&self.on_response, &self.on_error);
        }
    }
}
