//! The early player: a small Wasm module of its own
//! (`src/bin/podplay-early.rs`) that brings the first view drawn at build
//! time to life while the whole page is still downloading. It holds the
//! engine and the views a reader watches (the cluster, the timeline, the
//! `kubectl get pods -w` pane) and none of the rest: no editor, linter,
//! command line, exercises or share links (on 2026-12-06 it was 503 KB gzip
//! -9 with its glue against the page's 618 KB; docs/performance.md).
//! `scripts/loader.js` starts it only when the page's module is still far
//! off (not on a fast connection).
//!
//! It plays the manifests the first view shows (its editor's text, so an
//! example's page needs no fetch), by the page's own rules for speed, autoplay
//! and embeds seen or not ([`super::first_speed`], [`super::autoplay`]), drawing with the page's own
//! components into the first view's places for them. The first view stays
//! inert: the controls answer once the whole page has arrived. That page
//! then takes over at the instant the early player reached
//! ([`super::browser::early_handoff`]), so the run goes on where it was.
//!
//! It runs only where the first view is the scenario the page opens: an
//! example's page or the default one, not an exercise (the learner's saved
//! work may differ from the start), a share link or a saved session (those
//! show a skeleton), nor an example's scripted scenario (its timed actions
//! need the command line's parser).

use super::{
    autoplay, browser, cluster::ClusterView, first_speed, guide_shown, panes::Panes, timeline::TimelineView, PlayerRef,
    Shared, Tab, SLOW_VIEW_MS,
};
use crate::core::time::go_duration;
use crate::play::clock::Playhead;
use crate::play::embed::PageOptions;
use crate::play::Player;
use crate::session::Scenario;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

/// Where the early player draws: the first view's places for the views it
/// keeps live, emptied, and its controls' elements.
#[derive(Clone, PartialEq)]
pub struct Places {
    cluster: Element,
    timeline: Option<Element>,
    panes: Option<Element>,
    play: Option<Element>,
    clock: Option<Element>,
    /// The element whose visibility decides whether an embed plays.
    root: Element,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub player: Shared<RefCell<Player>>,
    pub places: Places,
    pub opts: PageOptions,
    pub speed: u32,
    pub playing: bool,
    pub embed: bool,
    pub arrows: bool,
}

pub enum Msg {
    Frame(f64),
    Seen(bool),
}

/// What the page that takes over reads, at once, from another module
/// (`browser::offer_handoff`): whether it plays, waits to be seen, or has
/// stopped for good.
#[derive(Default)]
struct Live {
    playing: bool,
    /// An embed not yet seen waits to play.
    waiting: bool,
    stopped: bool,
}

pub struct Early {
    live: Rc<RefCell<Live>>,
    /// Where playing has taken the clock (the page's own [`Playhead`]).
    head: Playhead,
    frames: browser::Callback,
    slow: PlayerRef,
    slow_at: f64,
    _visibility: Option<browser::VisibilityWatcher>,
}

impl Early {
    fn player_ref(player: &Rc<RefCell<Player>>) -> PlayerRef {
        let (revision, now) = {
            let p = player.borrow();
            (p.revision(), p.now())
        };
        PlayerRef { rc: player.clone(), revision, now }
    }

    fn playing(&self) -> bool {
        self.live.borrow().playing
    }

    fn set_playing(&mut self, playing: bool) {
        self.live.borrow_mut().playing = playing;
        self.head.resync();
        if playing {
            self.frames.request_frame();
        } else {
            self.frames.cancel_frame();
        }
    }

    /// The controls the first view drew, told what the player does (they
    /// stay inert until the page takes over).
    fn show_controls(&self, props: &Props) {
        let now = props.player.0.borrow().now();
        let playing = self.playing();
        if let Some(play) = &props.places.play {
            play.set_text_content(Some(if playing { "❚❚ Pause" } else { "▶ Play" }));
            let _ = play.set_attribute("aria-pressed", if playing { "true" } else { "false" });
        }
        if let Some(clock) = &props.places.clock {
            let shown = if playing { now - now % 100 } else { now };
            clock.set_text_content(Some(&format!("t = {}", go_duration(shown))));
        }
    }
}

impl Component for Early {
    type Message = Msg;
    type Properties = Props;

    fn create(ctx: &Context<Self>) -> Self {
        let props = ctx.props();
        let link = ctx.link().clone();
        let frames = browser::Callback::new(move |ts| link.send_message(Msg::Frame(ts)));
        let visibility = props.embed.then(|| {
            let link = ctx.link().clone();
            browser::VisibilityWatcher::new(&props.places.root, move |ratio, px| {
                if let Some(seen) = crate::play::embed::visibility(ratio, px) {
                    link.send_message(Msg::Seen(seen));
                }
            })
        });
        let live = Rc::new(RefCell::new(Live { waiting: props.playing && props.embed, ..Live::default() }));
        let (handed, player, speed) = (live.clone(), props.player.0.clone(), props.speed);
        browser::offer_handoff(move || {
            let mut l = handed.borrow_mut();
            l.stopped = true;
            super::Handoff { now_ms: player.borrow().now(), playing: l.playing, waiting: l.waiting, speed }
        });
        let mut early = Early {
            live,
            head: Playhead::default(),
            frames,
            slow: Self::player_ref(&props.player.0),
            slow_at: 0.0,
            _visibility: visibility.flatten(),
        };
        early.set_playing(props.playing && !props.embed);
        early
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let props = ctx.props();
        if self.live.borrow().stopped {
            self.frames.cancel_frame();
            return false;
        }
        match msg {
            Msg::Frame(ts) => {
                self.frames.frame_done();
                if !self.playing() {
                    return false;
                }
                let over = !self.head.frame(&mut props.player.0.borrow_mut(), ts, props.speed, props.opts.stop_ms);
                if over {
                    self.live.borrow_mut().playing = false;
                } else {
                    self.frames.request_frame();
                }
                if ts - self.slow_at >= SLOW_VIEW_MS || over {
                    self.slow_at = ts;
                    self.slow = Self::player_ref(&props.player.0);
                }
            }
            Msg::Seen(true) if self.live.borrow().waiting => {
                self.live.borrow_mut().waiting = false;
                self.set_playing(true);
            }
            Msg::Seen(false) if self.playing() => {
                self.live.borrow_mut().waiting = true;
                self.set_playing(false);
            }
            Msg::Seen(_) => return false,
        }
        self.show_controls(props);
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            // What the first view showed must not fade in again.
            browser::finish_animations(&ctx.props().places.root);
            browser::mark("podplay:early-live");
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let player = Self::player_ref(&props.player.0);
        let none = Callback::noop();
        let cluster = html! {
            <ClusterView player={player.clone()} selected={None::<String>} on_select={none.clone()} on_act={none.clone()}
                arrows={props.arrows} />
        };
        let end = self.slow.now.max(player.now);
        html! {
            <>
                { create_portal(cluster, props.places.cluster.clone()) }
                if let Some(host) = &props.places.timeline {
                    { create_portal(html! {
                        <TimelineView player={self.slow.clone()} {end} on_seek={Callback::noop()} selected={None::<String>}
                            on_select={none.clone()} />
                    }, host.clone()) }
                }
                if let Some(host) = &props.places.panes {
                    { create_portal(html! {
                        <Panes player={self.slow.clone()} tab={Tab::Watch} selected={None::<String>} on_tab={Callback::noop()} />
                    }, host.clone()) }
                }
            </>
        }
    }
}

/// Starts the early player on the first view, when the page is one it plays
/// (the module doc says which). Returns whether it started.
pub fn start() -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return false };
    let Some(first) = doc.get_element_by_id("first-view") else { return false };
    if doc.document_element().is_some_and(|e| e.has_attribute("data-first-view")) {
        return false;
    }
    let opts = super::page_options();
    if opts.exercise.is_some() || opts.scenario || opts.start_ms.is_some() {
        return false;
    }
    // The manifests: the first view's editor holds them; an embed without
    // its editor fetches its example's, as the page does (the page preloads
    // them).
    let shown = first
        .query_selector("textarea[data-testid=editor]")
        .ok()
        .flatten()
        .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        .and_then(|t| t.default_value().ok());
    let example = opts.example.clone().unwrap_or_else(|| super::DEFAULT_EXAMPLE.to_string());
    if let Some(text) = shown.or_else(|| crate::examples::text(&example).map(str::to_string)) {
        // In a task after the one that instantiated the module.
        browser::later(move || {
            begin(first, opts, text);
        });
        return true;
    }
    if crate::examples::find(&example).is_none() {
        return false;
    }
    FETCHER.with(|f| {
        let fetcher = browser::Fetcher::new(crate::bundled::MAX_FETCHED_BYTES, move |text| {
            if let Ok(text) = text {
                begin(first.clone(), opts.clone(), text);
            }
        });
        fetcher.get(&crate::bundled::Kind::Example.path(&example));
        *f.borrow_mut() = Some(fetcher);
    });
    true
}

thread_local! {
    /// An embed's manifests on their way (the fetcher lives until they arrive).
    static FETCHER: RefCell<Option<browser::Fetcher>> = const { RefCell::new(None) };
}

/// Plays `text` in the first view: the run started in this task, drawn in
/// the next (two shorter tasks).
fn begin(first: Element, opts: PageOptions, text: String) -> bool {
    // The page may have taken over while the text was on its way.
    if !first.is_connected() {
        return false;
    }
    let Ok((player, _)) = Player::new(Scenario { manifests: text, seed: 1, actions: vec![] }) else { return false };
    browser::later(move || draw(first, opts, player));
    true
}

/// Draws the run live in the first view's places for it.
fn draw(first: Element, opts: PageOptions, player: Player) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if !first.is_connected() {
        return;
    }
    let find = |selector: &str| first.query_selector(selector).ok().flatten();
    let cluster = if opts.embed { find(".pane-cluster") } else { find(".cluster-scroll") };
    let Some(cluster) = cluster else { return };
    // The live views take the place of what the first view drew of them (the
    // same markup at time zero), in this task: nothing is painted between.
    let mut stale: Vec<web_sys::Node> = Vec::new();
    let children = cluster.child_nodes();
    for i in 0..children.length() {
        stale.extend(children.item(i));
    }
    // A section the App draws as a child of `.app` gets a host of its own
    // (`.early-host`, `display: contents`: www/style.css keeps its place).
    let mut host = |selector: &str| {
        let old = find(selector)?;
        let host = doc.create_element("div").ok()?;
        host.set_class_name("early-host");
        old.parent_node()?.insert_before(&host, Some(&old)).ok()?;
        stale.push(old.into());
        Some(host)
    };
    let timeline = host("section.timeline");
    let panes = host("section.panes");
    let places = Places {
        cluster,
        timeline,
        panes,
        play: find("[data-testid=play]"),
        clock: find("[data-testid=clock]"),
        root: first.clone(),
    };
    for node in &stale {
        if let Some(parent) = node.parent_node() {
            let _ = parent.remove_child(node);
        }
    }
    let example = opts.example.as_deref().unwrap_or(super::DEFAULT_EXAMPLE);
    let speed = first_speed(&opts, guide_shown(&opts), Some(example));
    let Ok(root) = doc.create_element("div") else { return };
    let props = Props {
        player: Shared(Rc::new(RefCell::new(player))),
        places,
        speed,
        playing: autoplay(&opts),
        embed: opts.embed,
        arrows: browser::load(super::ARROWS_KEY).as_deref() != Some("off"),
        opts,
    };
    yew::Renderer::<Early>::with_root_and_props(root, props).render();
}
