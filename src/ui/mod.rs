//! The browser playground: a Yew front end over [`crate::play::Player`].
//!
//! One struct component, [`App`], owns the session and every transition
//! (`update`); leaf components take plain data (shared `Rc` snapshots, so an
//! unchanged Pod is not re-rendered) and callbacks. Browser APIs stay in
//! [`browser`]; the simulation never sees a clock: the page turns animation
//! frames into virtual time and passes it in.

pub mod arrows;
// The browser's APIs; at build time (native), none (the first views).
#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(not(target_arch = "wasm32"))]
#[path = "no_browser.rs"]
mod browser;
pub mod cluster;
#[cfg(target_arch = "wasm32")]
pub mod early;
pub mod editor;
pub mod exercise;
#[cfg(feature = "prerender")]
pub mod first_view;
pub mod guide;
pub mod nodes;
pub mod panes;
pub mod pod_notes;
pub mod timeline;
pub mod traffic;
pub mod workloads;

use crate::bundled::{self, Kind};
use crate::core::engine::{Action, NodeOp};
use crate::core::manifest::{Diagnostic, Severity};
use crate::core::time::{go_duration, Millis, SECOND_MS};
use crate::examples;
use crate::exercise::{self as ex, Exercise, Report};
use crate::lint::{self, Finding};
use crate::play::clock::Playhead;
use crate::play::embed::{iframe_snippet, reserved_height, EmbedShape, PageOptions, SPEEDS};
use crate::play::share::Session;
use crate::play::{Player, MAX_TIME_MS};
use crate::session::{Scenario, TimedAction};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;

/// localStorage keys.
const SAVE_KEY: &str = "podplay:v1:session";
const THEME_KEY: &str = "podplay:v1:theme";
/// "dismissed" once the first visit's guide has been put away.
const GUIDE_KEY: &str = "podplay:v1:guide";
/// The speed of a first visit's first example, so that something happens
/// in its first seconds (liveness-exec's probe fails at 35 s, 7 s in).
const FIRST_VISIT_SPEED: u32 = 5;
/// "off" when the arrows from the Services to their endpoints are hidden.
const ARROWS_KEY: &str = "podplay:v1:arrows";
/// Exercises passed, the exercise open, and each exercise's work.
const PROGRESS_KEY: &str = "podplay:v1:exercises-passed";
const CURRENT_EXERCISE_KEY: &str = "podplay:v1:exercise";
fn work_key(name: &str) -> String {
    format!("podplay:v1:exercise-work:{name}")
}
/// The example shown on a first visit (its text is always compiled in).
const DEFAULT_EXAMPLE: &str = examples::DEFAULT;
/// An embed that plays reports its height once it has played this long
/// (simulated time), past the first instant of its run.
const SETTLE_MS: Millis = 2 * SECOND_MS;
/// Typing pauses this long before the manifests are validated and re-run.
const DEBOUNCE_MS: i32 = 250;
/// While playing, the timeline and the kubectl panes are redrawn this often
/// (real time) at most.
const SLOW_VIEW_MS: f64 = 250.0;
/// [`App::staged`]'s first step: the run is not open yet and nothing is
/// drawn. Opening it (validating, linting, the first events: some 18 ms
/// of the 58-122 ms that creating, opening and the first render took in
/// one task, unthrottled, on 2026-12-06) gets a task of its own.
const UNOPENED: u8 = 4;

/// The bottom panes, named after the kubectl command each imitates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Watch,
    Describe,
    Events,
    Yaml,
    Controllers,
}

pub enum Msg {
    /// Replay the current example with its scenario's timed actions.
    ExampleScenario,
    /// The editor's text changed (validation is debounced).
    Edit(String),
    /// The debounce fired: validate, and re-run if valid.
    Validate,
    /// Validate and re-run now (Ctrl+Enter, or the Run button).
    RunNow,
    Frame(f64),
    TogglePlay,
    Step,
    Restart,
    Speed(u32),
    /// The seed field's text as typed (applied on change).
    SeedText(String),
    Seed(String),
    Example(String),
    Seek(Millis),
    Act(String),
    Select(String),
    Tab(Tab),
    Share,
    /// Make the `<iframe>` snippet for the current session.
    Embed,
    /// The example chosen in "kubectl apply -f example:…".
    ApplyChoice(String),
    /// The command line's text as typed.
    CommandText(String),
    /// Run the command line's text as an action, now.
    RunCommand,
    /// Run a command typed before, now that the text it applies is here.
    RunTyped(String),
    /// ↑ (-1) or ↓ (+1) through the commands run before.
    CommandHistory(i32),
    /// Open a bundled exercise ("" leaves exercise mode).
    OpenExercise(String),
    CheckExercise,
    ShowHint,
    ResetExercise,
    /// Bring back the text a reset replaced.
    UndoReset,
    DismissNotice,
    CycleTheme,
    /// Show or hide the arrows from the Services to their endpoints.
    ToggleArrows,
    /// A bundled text the page fetched ([`crate::bundled`]) has arrived, or
    /// could not be had.
    Fetched(Result<String, String>),
    /// An embed came into the reader's sight (true) or went out of it.
    Seen(bool),
    DismissGuide,
    /// Draw what the first render left out ([`App::staged`]).
    Unstage,
}

/// What the page does once the texts it is fetching have arrived: what it
/// was asked for before they were at hand.
enum Then {
    /// Open what the address, a share link or the autosave asks for.
    Startup,
    /// Handle this message again.
    Msg(Msg),
}

/// Whether an example, exercise or session asked for was opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opened {
    /// No such bundled name (or an exercise that does not parse).
    Unknown,
    /// Its texts are being fetched; it opens when they arrive.
    Loading,
    Now,
}

/// Something to tell the user, outside the live region's announcements.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

pub struct App {
    /// The editor's text, shared with the editor (cloning it is a pointer copy).
    text: AttrValue,
    /// Callbacks handed to child components, made once so that their props
    /// compare equal and an unchanged child is not re-rendered.
    cb: Callbacks,
    diagnostics: Rc<Vec<Diagnostic>>,
    /// `podplay lint` findings for the same text, computed with it.
    findings: Rc<Vec<Finding>>,
    /// How long the last parse, validation and lint took (real time, shown).
    validate_ms: f64,
    /// The editor's text has errors: the cluster shows the last valid run.
    stale: bool,
    player: Option<Rc<RefCell<Player>>>,
    example: Option<String>,
    seed: u64,
    /// The seed field as typed: the field is controlled, and a frame's
    /// re-render must not undo a keystroke.
    seed_text: String,
    playing: bool,
    speed: u32,
    /// Virtual time the player is heading to, fractional between frames,
    /// and the frame it last moved at.
    head: Playhead,
    /// The furthest time this run has reached (the scrubber's end).
    reached_ms: Millis,
    /// The revision and second last rendered.
    shown: (u64, Millis),
    selected: Option<String>,
    tab: Tab,
    notice: Option<Notice>,
    share_url: Option<String>,
    /// A snippet to copy (share link or embed code), shown with the notice.
    snippet: Option<String>,
    /// What the page's URL asked for (embed mode, example, speed, …).
    opts: PageOptions,
    /// The live page has taken the place of the first view drawn at build
    /// time ([`first_view`]), if there was one.
    revealed: bool,
    /// The embed's root element, whose height is reported to the embedding
    /// page and whose visibility starts and pauses the player.
    root: NodeRef,
    height_reporter: Option<browser::HeightReporter>,
    visibility: Option<browser::VisibilityWatcher>,
    /// An embed that is to play (autoplay) but is not in sight: it starts
    /// when it is seen, and waits again when scrolled away while playing.
    wait_to_be_seen: bool,
    /// The first visit's guide is shown.
    guide: bool,
    /// The example "kubectl apply -f" would apply now.
    apply_choice: String,
    /// The command line ("$ kubectl …"): its text, the commands run before
    /// (at most [`MAX_COMMAND_HISTORY`]) and where ↑/↓ is in them.
    command: String,
    command_history: Vec<String>,
    command_at: Option<usize>,
    /// The command line's terminal: each command run, echoed, with what it
    /// printed (at most [`MAX_TERMINAL`], the latest last).
    terminal: Vec<Typed>,
    /// The exercise open, if any.
    exercise: Option<OpenExercise>,
    /// Bundled exercises passed (kept in the browser).
    passed: BTreeSet<String>,
    theme: Option<String>,
    /// The arrows from the Services to their endpoints are drawn.
    arrows: bool,
    frames: browser::Callback,
    debounce: browser::Callback,
    frames_since_save: u32,
    /// The run as the slower views (timeline, kubectl panes) last drew it:
    /// while playing they follow at most [`SLOW_VIEW_MS`] apart, so 60
    /// frames a second are spent on the cluster view.
    slow: Option<PlayerRef>,
    slow_at: f64,
    /// Requests sent, as the cluster view last drew them.
    traffic_sent: u64,
    fetcher: browser::Fetcher,
    /// Bundled texts to fetch, the one being fetched (one at a time), and
    /// what to do once they have arrived (the latest request wins).
    fetching: Vec<(Kind, &'static str)>,
    in_flight: Option<(Kind, &'static str)>,
    then: Option<Then>,
    /// The live page is drawn hidden beside the first view in steps, each
    /// in a task of its own, so that no one task holds the main thread
    /// long: nothing drawn, the run not open yet ([`UNOPENED`]); the run
    /// opened (3); the page drawn without the timeline and the panes (2);
    /// then with them (1: the timeline re-renders once it has read its
    /// width); then revealed (0).
    staged: u8,
    unstage: browser::Callback,
}

impl App {
    fn session(&self) -> Option<Session> {
        let p = self.player.as_ref()?.borrow();
        let mut scenario = p.scenario().clone();
        // Unsaved edits are kept too, so a reload loses nothing.
        scenario.manifests = self.text.to_string();
        Some(Session { scenario, time_ms: p.now(), example: self.example.clone() })
    }

    fn autosave(&mut self) {
        self.frames_since_save = 0;
        // An embed keeps nothing: it must not write storage for its host's readers.
        if self.opts.embed {
            return;
        }
        if let Some(s) = self.session() {
            browser::save(SAVE_KEY, &s.to_json());
        }
        if let Some(open) = &self.exercise {
            browser::save(&work_key(open.name), &self.text);
        }
    }

    /// Starts a fresh run of `scenario` at time zero. Err keeps the current run.
    #[inline(never)]
    fn start(&mut self, scenario: Scenario) -> bool {
        let t0 = browser::perf_now();
        let (parsed, findings) = lint::lint_text(&scenario.manifests);
        self.validate_ms = browser::perf_now() - t0;
        self.findings = Rc::new(findings);
        match Player::with_parsed(scenario, parsed) {
            Ok((player, mut parsed)) => {
                // What the API server refused is a problem too, with its line.
                parsed.diagnostics.extend(player.refusals().iter().cloned());
                self.diagnostics = Rc::new(parsed.diagnostics);
                self.stale = false;
                self.player = Some(Rc::new(RefCell::new(player)));
                self.head.restart(0);
                self.reached_ms = 0;
                true
            }
            Err(parsed) => {
                self.diagnostics = Rc::new(parsed.diagnostics);
                self.stale = true;
                false
            }
        }
    }

    #[inline(never)]
    fn load_session(&mut self, s: Session, then: Then) -> Opened {
        if !self.at_hand(Self::applied(s.scenario.actions.iter().map(|a| a.text.as_str())), then) {
            return Opened::Loading;
        }
        self.text = AttrValue::from(s.scenario.manifests.clone());
        self.seed = s.scenario.seed;
        self.seed_text = self.seed.to_string();
        self.example = s.example;
        if self.start(s.scenario) {
            if let Some(mut p) = self.player_mut() {
                p.advance_to(s.time_ms);
            }
            self.caught_up();
        }
        Opened::Now
    }

    /// True when every text in `need` is at hand. Otherwise fetches the
    /// missing ones (the page says so meanwhile) and keeps `then` for when
    /// they have arrived. Texts compiled in are always at hand.
    fn at_hand(&mut self, need: Vec<(Kind, &'static str)>, then: Then) -> bool {
        let missing: Vec<_> = need.into_iter().filter(|(k, n)| k.text(n).is_none()).collect();
        if missing.is_empty() {
            return true;
        }
        self.fetching = missing;
        self.then = Some(then);
        self.fetch_next();
        false
    }

    /// Starts the next fetch, unless one is under way.
    fn fetch_next(&mut self) {
        if self.in_flight.is_none() {
            if let Some(&(kind, name)) = self.fetching.first() {
                self.in_flight = Some((kind, name));
                self.fetcher.get(&kind.path(name));
            }
        }
    }

    /// The examples the actions apply (`apply -f example:NAME`).
    fn applied<'a>(actions: impl IntoIterator<Item = &'a str>) -> Vec<(Kind, &'static str)> {
        let mut need = Vec::new();
        for a in actions {
            need.extend(
                bundled::examples_applied(a).filter_map(|n| Kind::Example.canonical(n)).map(|n| (Kind::Example, n)),
            );
        }
        need
    }

    /// The example and what its scenario applies.
    fn scenario_texts(name: &'static str) -> Vec<(Kind, &'static str)> {
        let mut need = vec![(Kind::Example, name)];
        need.extend(Self::applied(examples::scenario(name).iter().map(|(_, a)| *a)));
        need
    }

    #[inline(never)]
    fn load_example(&mut self, name: &str, then: Then) -> Opened {
        let Some(ex) = examples::find(name) else { return Opened::Unknown };
        if !self.at_hand(vec![(Kind::Example, ex.name)], then) {
            return Opened::Loading;
        }
        let Some(yaml) = examples::text(ex.name) else { return Opened::Unknown };
        self.example = Some(ex.name.to_string());
        self.text = AttrValue::Static(yaml);
        self.exercise = None;
        self.start(Scenario { manifests: yaml.to_string(), seed: self.seed, actions: vec![] });
        Opened::Now
    }

    /// Restarts the current example with its scenario (the actions its
    /// comment suggests), so the story plays by itself.
    #[inline(never)]
    fn play_scenario(&mut self, then: Then) -> Opened {
        let Some(name) = self.example.as_deref().and_then(examples::find).map(|e| e.name) else {
            return Opened::Unknown;
        };
        if !self.at_hand(Self::scenario_texts(name), then) {
            return Opened::Loading;
        }
        let Some(s) = Scenario::of_example(name, self.seed) else { return Opened::Unknown };
        self.text = AttrValue::from(s.manifests.clone());
        self.start(s);
        Opened::Now
    }

    /// Opens a bundled exercise with the learner's saved work, or its start.
    #[inline(never)]
    fn open_exercise(&mut self, name: &str, then: Then) -> Opened {
        let Some(bundled) = ex::find(name) else { return Opened::Unknown };
        let Some(text) = bundled.text() else {
            self.at_hand(vec![(Kind::Exercise, bundled.name)], then);
            return Opened::Loading;
        };
        let Ok(exercise) = ex::parse(text) else { return Opened::Unknown };
        if !self.at_hand(Self::applied(exercise.actions.iter().map(|a| a.text.as_str())), then) {
            return Opened::Loading;
        }
        let work = browser::load(&work_key(bundled.name)).unwrap_or_else(|| exercise.starting.clone());
        self.text = AttrValue::from(work.clone());
        self.seed = exercise.seed;
        self.seed_text = self.seed.to_string();
        self.example = None;
        self.selected = None;
        let actions = exercise.actions.clone();
        self.exercise = Some(OpenExercise {
            name: bundled.name,
            exercise: Rc::new(exercise),
            report: None,
            hints_shown: 0,
            before_reset: None,
        });
        browser::save(CURRENT_EXERCISE_KEY, bundled.name);
        self.start(Scenario { manifests: work, seed: self.seed, actions });
        Opened::Now
    }

    /// The actions every run starts with: an exercise's own (e.g. a Pod
    /// deleted at 30 s), none otherwise.
    fn base_actions(&self) -> Vec<TimedAction> {
        self.exercise.as_ref().map(|e| e.exercise.actions.clone()).unwrap_or_default()
    }

    /// Opens what the page starts with (the address, a saved session, the
    /// default example), at its first speed, playing or waiting as its
    /// options say.
    fn open(&mut self) {
        self.open_first();
        self.speed = first_speed(&self.opts, self.guide, self.example.as_deref());
        let mut unknown = Vec::new();
        if let Some(n) = self.opts.example.as_ref().filter(|n| examples::find(n).is_none()) {
            unknown.push(format!("no example named “{n}”"));
        }
        if let Some(n) = self.opts.exercise.as_ref().filter(|n| ex::find(n).is_none()) {
            unknown.push(format!("no exercise named “{n}”"));
        }
        if !unknown.is_empty() {
            self.notice = Some(Notice {
                error: true,
                text: format!("The address asks for {}; showing something else.", unknown.join(" and ")),
            });
        }
        if !self.opts.ignored.is_empty() && !self.opts.embed {
            self.notice = Some(Notice {
                error: false,
                text: format!("Ignored in the address: {}", self.opts.ignored.join(", ")),
            });
        }
        let playing = autoplay(&self.opts);
        // An embed plays once the reader sees it (`Msg::Seen`).
        self.wait_to_be_seen = playing && self.opts.embed;
        self.set_playing(playing && !self.opts.embed);
    }

    /// Opens what the page shows first: a share link wins over the
    /// autosave; `?example=` over both. An embed never reads the autosave.
    /// Runs again once texts it needs have been fetched.
    fn open_first(&mut self) {
        let opts = self.opts.clone();
        let from_link = Session::from_fragment(&browser::fragment());
        let saved_exercise = browser::load(CURRENT_EXERCISE_KEY).filter(|n| !n.is_empty() && !opts.embed);
        let known = |o: Opened| o != Opened::Unknown;
        let opened = match (opts.example.clone(), from_link) {
            (Some(name), _) if known(self.load_example(&name, Then::Startup)) => {
                if opts.scenario && self.then.is_none() {
                    self.play_scenario(Then::Startup);
                }
                self.then.is_none()
            }
            _ if opts.exercise.as_deref().is_some_and(|n| known(self.open_exercise(n, Then::Startup))) => {
                self.then.is_none()
            }
            (_, Ok(Some(s))) => self.load_session(s, Then::Startup) == Opened::Now,
            _ if saved_exercise.as_deref().is_some_and(|n| known(self.open_exercise(n, Then::Startup))) => {
                self.then.is_none()
            }
            (_, link) => {
                if let Err(e) = link {
                    self.notice = Some(Notice { error: true, text: e });
                }
                match browser::load(SAVE_KEY).filter(|_| !opts.embed).map(|j| Session::from_json(&j)) {
                    Some(Ok(s)) => self.load_session(s, Then::Startup) == Opened::Now,
                    _ => self.load_example(DEFAULT_EXAMPLE, Then::Startup) == Opened::Now,
                }
            }
        };
        if !opened {
            return;
        }
        if let Some(t) = opts.start_ms {
            if let Some(mut p) = self.player_mut() {
                p.seek(t);
            }
            self.caught_up();
        }
    }

    /// A bundled text arrived (or could not be had): keep it, and once all
    /// that was asked for is at hand, do what was asked.
    #[inline(never)]
    fn fetched(&mut self, result: Result<String, String>) {
        let Some((kind, name)) = self.in_flight.take() else { return };
        match result {
            Ok(text) => {
                bundled::keep(kind, name, text);
                self.fetching.retain(|(k, n)| k.text(n).is_none());
                if !self.fetching.is_empty() {
                    return self.fetch_next();
                }
                match self.then.take() {
                    Some(Then::Startup) => {
                        self.open_first();
                        // The frame loop stopped while there was no run.
                        if self.playing {
                            self.set_playing(true);
                        }
                    }
                    Some(Then::Msg(msg)) => {
                        self.handle(msg);
                    }
                    None => {}
                }
            }
            // For a request since replaced: on with the current one.
            Err(_) if !self.fetching.contains(&(kind, name)) => self.fetch_next(),
            Err(e) => {
                self.fetching.clear();
                let startup = matches!(self.then.take(), Some(Then::Startup));
                self.notice = Some(Notice { error: true, text: format!("Could not load {}: {e}.", kind.path(name)) });
                // The first view falls back on the example compiled in.
                if startup && self.player.is_none() {
                    self.load_example(DEFAULT_EXAMPLE, Then::Startup);
                    if self.playing {
                        self.set_playing(true);
                    }
                }
            }
        }
    }

    fn set_playing(&mut self, playing: bool) {
        self.playing = playing;
        self.head.resync();
        if playing {
            self.frames.request_frame();
        } else {
            self.frames.cancel_frame();
        }
    }

    fn now(&self) -> Millis {
        self.player.as_ref().map_or(0, |p| p.borrow().now())
    }

    fn player_mut(&self) -> Option<std::cell::RefMut<'_, Player>> {
        self.player.as_ref().map(|p| p.borrow_mut())
    }

    /// The run, for the views: equal while nothing they show changed.
    fn player_ref(&self) -> Option<PlayerRef> {
        let rc = self.player.as_ref()?.clone();
        let (revision, now) = {
            let p = rc.borrow();
            (p.revision(), p.now())
        };
        Some(PlayerRef { rc, revision, now })
    }

    /// Just before this page is revealed: the early player (if one ran on
    /// the first view) stops, and this page goes on from where it was, as it
    /// was playing (or waiting to be seen), at its speed.
    fn take_over_from_early(&mut self) {
        let Some(h) = browser::early_handoff() else { return };
        if let Some(mut p) = self.player_mut() {
            p.advance_to(h.now_ms);
        }
        self.caught_up();
        self.speed = h.speed;
        if self.opts.embed {
            self.wait_to_be_seen = h.waiting;
        }
        self.set_playing(h.playing);
    }

    /// The clock jumped (seek, step, restart): playing resumes from there.
    fn caught_up(&mut self) {
        self.follow_drains();
        let now = self.now();
        self.head.restart(now);
        self.reached_ms = self.reached_ms.max(now);
    }

    /// Prints what each drain still running has printed since (its Pods
    /// gone, then the node drained).
    fn follow_drains(&mut self) {
        let Some(player) = self.player.clone() else { return };
        let p = player.borrow();
        for typed in &mut self.terminal {
            if let (Some(drain), Ok(out)) = (typed.drain.as_mut(), typed.result.as_mut()) {
                out.push_str(&drain.poll(p.sim()));
                if drain.finished() {
                    typed.drain = None;
                }
            }
        }
    }

    fn frame(&mut self, ts: f64) -> bool {
        self.frames.frame_done();
        if !self.playing {
            return false;
        }
        if !self.revealed {
            // The first view drawn at build time shows time zero: the clock
            // starts once the live page has replaced it, so that the page
            // that takes over shows that same instant (under load the staged
            // first render can take a second of wall time).
            self.head.resync();
            self.frames.request_frame();
            return false;
        }
        let Some(player) = self.player.clone() else { return false };
        let mut p = player.borrow_mut();
        if !self.head.frame(&mut p, ts, self.speed, self.opts.stop_ms) {
            self.playing = false;
        }
        self.reached_ms = self.reached_ms.max(p.now());
        if self.playing {
            self.frames.request_frame();
        }
        let shown = (p.revision(), p.now() / SECOND_MS);
        drop(p);
        if shown.0 != self.shown.0 {
            self.follow_drains();
        }
        // Traffic counters move with every request, not with the revision:
        // the cluster view is redrawn for them at the slow views' pace.
        let mut traffic_moved = false;
        if ts - self.slow_at >= SLOW_VIEW_MS || !self.playing {
            self.slow_at = ts;
            self.slow = self.player_ref();
            let sent = player.borrow().traffic().iter().map(|t| t.sent).sum::<u64>();
            traffic_moved = sent != self.traffic_sent;
            self.traffic_sent = sent;
        }
        self.frames_since_save += 1;
        if self.frames_since_save > 120 {
            self.autosave();
        }
        let changed = shown != self.shown || traffic_moved;
        self.shown = shown;
        changed
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let frames = browser::Callback::new(move |ts| link.send_message(Msg::Frame(ts)));
        let link = ctx.link().clone();
        let debounce = browser::Callback::new(move |_| link.send_message(Msg::Validate));
        let opts = page_options();
        // The host's theme (embeds) wins over the one saved here.
        let theme = opts.theme.clone().or_else(|| browser::load(THEME_KEY).filter(|t| t == "light" || t == "dark"));
        browser::set_theme(theme.as_deref());
        let mut app = App {
            text: AttrValue::Static(""),
            cb: Callbacks::new(ctx.link()),
            diagnostics: Rc::new(Vec::new()),
            findings: Rc::new(Vec::new()),
            validate_ms: 0.0,
            stale: false,
            player: None,
            example: None,
            seed: 1,
            seed_text: "1".into(),
            playing: false,
            speed: 1,
            head: Playhead::default(),
            reached_ms: 0,
            shown: (u64::MAX, 0),
            selected: None,
            tab: Tab::Watch,
            notice: None,
            share_url: None,
            snippet: None,
            opts: opts.clone(),
            revealed: false,
            root: NodeRef::default(),
            height_reporter: None,
            visibility: None,
            wait_to_be_seen: false,
            guide: guide_shown(&opts),
            apply_choice: "init-containers-services".into(),
            command: String::new(),
            command_history: Vec::new(),
            command_at: None,
            terminal: Vec::new(),
            exercise: None,
            passed: browser::load(PROGRESS_KEY)
                .map(|t| {
                    crate::core::sort::collect_set(t.split(',').filter(|n| ex::find(n).is_some()).map(str::to_string))
                })
                .unwrap_or_default(),
            theme,
            arrows: browser::load(ARROWS_KEY).as_deref() != Some("off"),
            frames,
            debounce,
            frames_since_save: 0,
            slow: None,
            slow_at: 0.0,
            traffic_sent: 0,
            fetcher: {
                let link = ctx.link().clone();
                browser::Fetcher::new(bundled::MAX_FETCHED_BYTES, move |result| link.send_message(Msg::Fetched(result)))
            },
            fetching: Vec::new(),
            in_flight: None,
            then: None,
            staged: if browser::live_hidden() { UNOPENED } else { 0 },
            unstage: {
                let link = ctx.link().clone();
                browser::Callback::new(move |_| link.send_message(Msg::Unstage))
            },
        };
        // Drawn beside a first view, it opens in the task after its first,
        // empty render (Msg::Unstage).
        if app.staged != UNOPENED {
            app.open();
        }
        app
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        if let Msg::Frame(ts) = msg {
            return self.frame(ts);
        }
        let render = self.handle(msg);
        self.slow = self.player_ref();
        render
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        // Once what the page opens with is drawn (its texts fetched), it
        // replaces the first view drawn at build time, in one step.
        if !self.revealed && !matches!(self.then, Some(Then::Startup)) {
            if self.staged > 0 {
                // The next step in a task of its own (Msg::Unstage).
                self.unstage.debounce(0);
                return;
            }
            self.revealed = true;
            browser::reveal();
        }
        // Once its run is loaded, an embed plays while it is seen, and tells
        // its host how tall it is (so `embed.js` can size the frame): at once
        // if it stays paused, else once it has been seen and has played
        // SETTLE_MS, so that the frame keeps the snippet's height instead of
        // shrinking to the first instant (a Deployment has no Pods yet) and
        // growing back.
        if !self.opts.embed || self.player.is_none() || !self.fetching.is_empty() {
            return;
        }
        let settled = !self.playing || self.now() >= self.opts.start_ms.unwrap_or(0) + SETTLE_MS;
        if self.height_reporter.is_none() && !self.wait_to_be_seen && settled {
            if let Some(el) = self.root.cast::<web_sys::Element>() {
                self.height_reporter = browser::HeightReporter::new(&el);
            }
        }
        if self.visibility.is_none() {
            if let Some(el) = self.root.cast::<web_sys::Element>() {
                let link = ctx.link().clone();
                self.visibility = browser::VisibilityWatcher::new(&el, move |ratio, px| {
                    if let Some(seen) = crate::play::embed::visibility(ratio, px) {
                        link.send_message(Msg::Seen(seen));
                    }
                });
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        if self.staged == UNOPENED {
            return Html::default();
        }
        let link = ctx.link();
        let errors = self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        let player = self.player_ref();
        let slow = self.slow.clone().or_else(|| player.clone());
        let announcement = player
            .as_ref()
            .and_then(|p| {
                p.rc.borrow().announcements().last().map(|a| format!("At {}: {}", go_duration(a.time_ms), a.text))
            })
            .unwrap_or_default();
        if self.opts.embed {
            return self.view_embed(ctx, player, slow, announcement);
        }
        html! {
            <div class="app">
                <header class="topbar">
                    <h1 class="logo"><span aria-hidden="true">{"⬢"}</span>{" podplay"}</h1>
                    { self.view_controls(ctx) }
                </header>
                if let Some(n) = &self.notice {
                    <div class={classes!("notice", n.error.then_some("error"))} role={if n.error { "alert" } else { "status" }}>
                        <span>{ &n.text }</span>
                        if let Some(url) = &self.share_url {
                            <input class="share-url" readonly=true value={url.clone()} aria-label="Share link" />
                        }
                        if let Some(snippet) = &self.snippet {
                            <textarea class="snippet" readonly=true rows="3" value={snippet.clone()} aria-label="Embed code" data-testid="snippet" />
                        }
                        <button class="ghost" onclick={link.callback(|_| Msg::DismissNotice)} aria-label="Dismiss">{"✕"}</button>
                    </div>
                }
                { self.view_fetching() }
                if let Some(stall) = player.as_ref().and_then(|p| p.rc.borrow().stalled().map(str::to_string)) {
                    <div class="notice error" role="alert"><span>{ stall }</span></div>
                }
                <main class="workspace">
                    <section class="pane-editor" aria-label="Manifests">
                        if self.guide {
                            <guide::Guide on_dismiss={self.cb.dismiss_guide.clone()} />
                        }
                        if let Some(open) = &self.exercise {
                            <exercise::ExercisePanel
                                exercise={open.exercise.clone()}
                                report={open.report.clone()}
                                hints_shown={open.hints_shown}
                                done={self.passed.contains(open.name)}
                                on_check={link.callback(|_| Msg::CheckExercise)}
                                on_hint={link.callback(|_| Msg::ShowHint)}
                                on_reset={link.callback(|_| Msg::ResetExercise)}
                                can_undo={open.before_reset.is_some()}
                                on_undo={link.callback(|_| Msg::UndoReset)}
                            />
                        }
                        { self.view_editor() }
                        if self.stale {
                            <p class="stale" role="status">
                                { format!("{errors} error{} in the manifests: the cluster keeps running the last valid version.", if errors == 1 { "" } else { "s" }) }
                            </p>
                        }
                    </section>
                    <section class="pane-cluster" aria-label="Cluster">
                        if let Some(ex) = self.example.as_deref().and_then(examples::find) {
                            <p class="example-title" data-testid="example-title"><strong>{ ex.name }</strong>{ format!(": {}", ex.title) }
                                if !examples::scenario(ex.name).is_empty() {
                                    {" "}
                                    <button class="scenario" data-testid="play-scenario" onclick={ctx.link().callback(|_| Msg::ExampleScenario)}
                                        title="Restart from zero with the actions this example is written for">
                                        { format!("▶ Play its scenario ({})", examples::scenario(ex.name).iter().map(|(t, a)| format!("at {t}: {a}")).collect::<Vec<_>>().join("; ")) }
                                    </button>
                                }
                            </p>
                        }
                        { self.view_apply(ctx) }
                        { self.view_command(ctx) }
                        // On a wide screen the nodes and Pods scroll in a box
                        // of their own, so a big scenario leaves the timeline
                        // on the first screen (www/style.css, "cluster-scroll").
                        <div class="cluster-scroll" tabindex="0" role="region" aria-label="Nodes and Pods">
                            { self.view_cluster(&player) }
                        </div>
                    </section>
                </main>
                if self.staged < 2 {
                    { self.view_timeline(&slow) }
                    { self.view_panes(&slow) }
                }
                { announcer(announcement) }
                <footer class="footer">
                    {"A simulation: nothing runs for real. Timings and messages follow the kubelet and kubectl; what is simplified is listed in "}
                    <a href="FIDELITY.md">{"FIDELITY.md"}</a>{"."}
                </footer>
            </div>
        }
    }
}

impl App {
    /// Every transition but animation frames. True when the page must re-render.
    fn handle(&mut self, msg: Msg) -> bool {
        match msg {
            Msg::Frame(ts) => return self.frame(ts),
            Msg::Edit(text) => {
                self.text = AttrValue::from(text);
                if let Some(open) = self.exercise.as_mut() {
                    open.before_reset = None;
                }
                self.debounce.debounce(DEBOUNCE_MS);
                // The highlighted copy under the textarea must follow every keystroke.
                return true;
            }
            Msg::Validate | Msg::RunNow => {
                self.debounce.timeout_done();
                let same = self.player.as_ref().is_some_and(|p| p.borrow().scenario().manifests == *self.text);
                if same && matches!(msg, Msg::Validate) {
                    let t0 = browser::perf_now();
                    let (mut parsed, findings) = lint::lint_text(&self.text);
                    if let Some(p) = &self.player {
                        parsed.diagnostics.extend(p.borrow().refusals().iter().cloned());
                    }
                    self.diagnostics = Rc::new(parsed.diagnostics);
                    self.findings = Rc::new(findings);
                    self.validate_ms = browser::perf_now() - t0;
                    self.stale = false;
                } else {
                    self.example = self.example.take().filter(|e| examples::text(e).is_some_and(|x| x == &*self.text));
                    let actions = self.base_actions();
                    self.start(Scenario { manifests: self.text.to_string(), seed: self.seed, actions });
                }
                self.autosave();
            }
            Msg::TogglePlay => {
                self.wait_to_be_seen = false;
                let playing = !self.playing;
                self.set_playing(playing);
            }
            Msg::Step => {
                self.wait_to_be_seen = false;
                self.set_playing(false);
                if let Some(mut p) = self.player_mut() {
                    p.step();
                }
                self.caught_up();
            }
            Msg::Restart => {
                if let Some(mut p) = self.player_mut() {
                    p.seek(0);
                }
                self.caught_up();
                self.autosave();
            }
            Msg::Speed(s) => self.speed = s,
            Msg::SeedText(text) => {
                self.seed_text = text;
                return false;
            }
            Msg::Seed(text) => match text.trim().parse::<u64>() {
                Ok(seed) => {
                    self.seed = seed;
                    if let Some(p) = self.player.clone() {
                        let mut scenario = p.borrow().scenario().clone();
                        scenario.seed = seed;
                        self.start(scenario);
                    }
                    self.autosave();
                }
                Err(_) => {
                    self.seed_text = self.seed.to_string();
                    self.notice = Some(Notice {
                        error: true,
                        text: format!("The seed must be a whole number, not “{text}”."),
                    });
                }
            },
            Msg::ExampleScenario => {
                if self.play_scenario(Then::Msg(Msg::ExampleScenario)) == Opened::Now {
                    self.autosave();
                }
            }
            Msg::Example(name) => {
                let again = name.clone();
                if self.load_example(&name, Then::Msg(Msg::Example(again))) == Opened::Now {
                    browser::save(CURRENT_EXERCISE_KEY, "");
                    self.selected = None;
                    self.autosave();
                }
            }
            Msg::Seek(t) => {
                if let Some(mut p) = self.player_mut() {
                    p.seek(t.min(MAX_TIME_MS));
                }
                self.caught_up();
            }
            Msg::Act(text) => {
                let need = Self::applied([text.as_str()]);
                let again = text.clone();
                if !self.at_hand(need, Then::Msg(Msg::Act(again))) {
                    return true;
                }
                let result = self.player_mut().map(|mut p| p.act(&text));
                if let Some(result) = result {
                    match result {
                        Ok(_) => self.notice = None,
                        Err(e) => self.notice = Some(Notice { error: true, text: format!("{text}: {e}") }),
                    }
                }
                self.autosave();
            }
            Msg::Select(key) => {
                self.selected = Some(key);
                if self.tab == Tab::Watch {
                    self.tab = Tab::Describe;
                }
            }
            Msg::Tab(tab) => self.tab = tab,
            Msg::Share => match self.session().map(|s| s.to_fragment()) {
                Some(Ok(fragment)) => {
                    let url = browser::set_fragment(&fragment);
                    if let Some(url) = &url {
                        browser::copy(url);
                    }
                    self.share_url = url;
                    self.snippet = None;
                    self.notice = Some(Notice {
                        error: false,
                        text: "Share link copied: it carries the manifests, seed, actions and time.".into(),
                    });
                }
                Some(Err(e)) => self.notice = Some(Notice { error: true, text: e }),
                None => {
                    self.notice =
                        Some(Notice { error: true, text: "Nothing to share until the manifests are valid.".into() })
                }
            },
            Msg::Embed => match self.session().map(|s| s.to_fragment()) {
                Some(Ok(fragment)) => {
                    let title = match &self.example {
                        Some(e) => format!("podplay: {e}"),
                        None => "podplay: a Kubernetes Pod playground".to_string(),
                    };
                    let height = self.player.as_ref().map_or(560, |p| reserved_height(&embed_shape(&p.borrow(), None)));
                    let snippet = iframe_snippet(&browser::page_url(), &fragment, self.speed, &title, height);
                    browser::copy(&snippet);
                    self.snippet = Some(snippet);
                    self.share_url = None;
                    self.notice = Some(Notice {
                        error: false,
                        text: "Embed code copied: paste it into a blog post. The script is optional: it sizes the frame to its content.".into(),
                    });
                }
                Some(Err(e)) => self.notice = Some(Notice { error: true, text: e }),
                None => {
                    self.notice =
                        Some(Notice { error: true, text: "Nothing to embed until the manifests are valid.".into() })
                }
            },
            Msg::ApplyChoice(name) => self.apply_choice = name,
            Msg::CommandText(text) => {
                self.command = text;
                self.command_at = None;
            }
            Msg::RunCommand => {
                let text = command_action(&self.command);
                if text.is_empty() {
                    return false;
                }
                if self.command_history.last() != Some(&text) {
                    self.command_history.push(text.clone());
                    if self.command_history.len() > MAX_COMMAND_HISTORY {
                        self.command_history.remove(0);
                    }
                }
                self.command.clear();
                self.command_at = None;
                return self.handle(Msg::RunTyped(text));
            }
            Msg::RunTyped(text) => {
                // Its output, or its error, goes to the command line's
                // terminal; the read-only verbs change nothing and are not
                // kept in the session.
                let mut drain = None;
                let result = match crate::session::parse(&text) {
                    Ok(crate::session::Command::Read(query)) => match &self.player {
                        Some(p) => crate::session::read::run(&query, p.borrow().sim()),
                        None => Err(NOTHING_RUNS.into()),
                    },
                    Ok(command) => {
                        if !self.at_hand(Self::applied([text.as_str()]), Then::Msg(Msg::RunTyped(text.clone()))) {
                            return true;
                        }
                        // kubectl's line for it (read before it runs) or its refusal in kubectl's form.
                        let said =
                            self.player.as_ref().map(|p| crate::session::reply::success(&command, p.borrow().sim()));
                        drain = match (&command, &self.player) {
                            (
                                crate::session::Command::Engine(Action::Node {
                                    name,
                                    op: NodeOp::Drain { force, delete_emptydir_data },
                                }),
                                Some(p),
                            ) => Some(crate::session::reply::Drain::before(
                                name,
                                *force,
                                *delete_emptydir_data,
                                p.borrow().sim(),
                            )),
                            _ => None,
                        };
                        let result = self.player_mut().map(|mut p| p.act(&text));
                        self.autosave();
                        let result = result.unwrap_or(Err(NOTHING_RUNS.into()));
                        if result.is_err() {
                            drain = None;
                        }
                        result
                            .map(|applied| {
                                let mut out = said.unwrap_or_default();
                                out.push_str(&crate::session::reply::applied(&applied));
                                if let Some(d) = &drain {
                                    out.push_str(d.started());
                                }
                                out
                            })
                            .map_err(|e| crate::session::reply::refusal(&e))
                    }
                    Err(e) => Err(e),
                };
                self.terminal.push(Typed { command: text, result, drain });
                self.follow_drains();
                let excess = self.terminal.len().saturating_sub(MAX_TERMINAL);
                self.terminal.drain(..excess);
            }
            Msg::CommandHistory(step) => {
                let n = self.command_history.len();
                if n == 0 {
                    return false;
                }
                let at = match (self.command_at, step < 0) {
                    (None, true) => Some(n - 1),
                    (None, false) => None,
                    (Some(i), true) => Some(i.saturating_sub(1)),
                    (Some(i), false) => (i + 1 < n).then_some(i + 1),
                };
                self.command_at = at;
                self.command = at.map(|i| self.command_history[i].clone()).unwrap_or_default();
            }
            Msg::OpenExercise(name) => {
                if name.is_empty() {
                    self.exercise = None;
                    browser::save(CURRENT_EXERCISE_KEY, "");
                } else {
                    let again = name.clone();
                    if self.open_exercise(&name, Then::Msg(Msg::OpenExercise(again))) == Opened::Unknown {
                        self.notice = Some(Notice { error: true, text: format!("No exercise named {name}.") });
                    }
                }
            }
            Msg::CheckExercise => {
                let text = self.text.to_string();
                if let Some(open) = self.exercise.as_mut() {
                    let report = ex::check(&open.exercise, &text);
                    if report.passed() && self.passed.insert(open.name.to_string()) {
                        browser::save(PROGRESS_KEY, &self.passed.iter().cloned().collect::<Vec<_>>().join(","));
                    }
                    open.report = Some(Rc::new(report));
                }
            }
            Msg::ShowHint => {
                if let Some(open) = self.exercise.as_mut() {
                    open.hints_shown = (open.hints_shown + 1).min(open.exercise.hints.len());
                }
            }
            Msg::ResetExercise => {
                if let Some(open) = self.exercise.as_mut() {
                    let starting = open.exercise.starting.clone();
                    // Kept until undone or edited: a reset never loses work for good.
                    if *self.text != starting {
                        open.before_reset = Some(self.text.to_string());
                    }
                    open.report = None;
                    self.text = AttrValue::from(starting.clone());
                    browser::save(&work_key(open.name), &starting);
                    let actions = self.base_actions();
                    self.start(Scenario { manifests: starting, seed: self.seed, actions });
                }
            }
            Msg::UndoReset => {
                if let Some(open) = self.exercise.as_mut() {
                    if let Some(work) = open.before_reset.take() {
                        self.text = AttrValue::from(work.clone());
                        browser::save(&work_key(open.name), &work);
                        let actions = self.base_actions();
                        self.start(Scenario { manifests: work, seed: self.seed, actions });
                    }
                }
            }
            Msg::DismissNotice => {
                self.notice = None;
                self.share_url = None;
                self.snippet = None;
            }
            Msg::CycleTheme => {
                self.theme = match self.theme.as_deref() {
                    None => Some("dark".into()),
                    Some("dark") => Some("light".into()),
                    _ => None,
                };
                browser::set_theme(self.theme.as_deref());
                browser::save(THEME_KEY, self.theme.as_deref().unwrap_or("system"));
            }
            Msg::ToggleArrows => {
                self.arrows = !self.arrows;
                // An embed keeps nothing (see `autosave`).
                if !self.opts.embed {
                    browser::save(ARROWS_KEY, if self.arrows { "on" } else { "off" });
                }
            }
            Msg::Fetched(result) => self.fetched(result),
            Msg::Seen(true) if self.wait_to_be_seen => {
                self.wait_to_be_seen = false;
                self.set_playing(true);
            }
            Msg::Seen(false) if self.playing => {
                self.wait_to_be_seen = true;
                self.set_playing(false);
            }
            Msg::Seen(_) => return false,
            Msg::DismissGuide => {
                self.guide = false;
                browser::save(GUIDE_KEY, "dismissed");
            }
            Msg::Unstage if self.staged == UNOPENED => {
                self.unstage.timeout_done();
                self.staged -= 1;
                self.open();
                // Drawn in the next task; once its texts are fetched when
                // it waits for them (`rendered`).
                if !matches!(self.then, Some(Then::Startup)) {
                    self.unstage.debounce(0);
                }
                return false;
            }
            Msg::Unstage => {
                self.unstage.timeout_done();
                self.staged = self.staged.saturating_sub(1);
                if self.staged == 0 {
                    self.take_over_from_early();
                }
            }
        }
        true
    }
}

impl App {
    /// The compact player for iframes: controls, the live view and the
    /// timeline; the editor and the kubectl panes when the URL asks.
    fn view_embed(
        &self,
        ctx: &Context<Self>,
        player: Option<PlayerRef>,
        slow: Option<PlayerRef>,
        announcement: String,
    ) -> Html {
        let open = match &self.example {
            Some(e) => format!("{}?example={e}", browser::page_url()),
            None => format!("{}#{}", browser::page_url(), browser::fragment()),
        };
        html! {
            <div class="app embed" ref={self.root.clone()}>
                <header class="embed-bar">
                    <h1 class="sr-only">{ match &self.example { Some(e) => format!("podplay: {e}"), None => "podplay: a Kubernetes Pod playground".to_string() } }</h1>
                    <div class="embed-controls" role="toolbar" aria-label="Simulation controls">
                        { self.view_transport(ctx, true) }
                    </div>
                    <a class="open" href={open} target="_blank" rel="noopener">{"Open in podplay ↗"}</a>
                </header>
                if let Some(n) = self.notice.as_ref().filter(|n| n.error) {
                    <div class="notice error" role="alert"><span>{ &n.text }</span></div>
                }
                { self.view_fetching() }
                <main class={classes!("workspace", (!self.opts.editor).then_some("no-editor"))}>
                    if self.opts.editor {
                        // As tall as the text, up to a cap (the style sheet's).
                        <section class="pane-editor" aria-label="Manifests" style={format!("--lines:{}", self.text.lines().count().max(1))}>
                            { self.view_editor() }
                        </section>
                    }
                    <section class="pane-cluster" aria-label="Cluster">
                        { self.view_cluster(&player) }
                    </section>
                </main>
                if self.staged < 2 {
                    { self.view_timeline(&slow) }
                }
                if self.opts.panes && self.staged < 2 {
                    { self.view_panes(&slow) }
                }
                { announcer(announcement) }
            </div>
        }
    }

    fn view_editor(&self) -> Html {
        html! {
            <editor::Editor
                text={self.text.clone()}
                diagnostics={self.diagnostics.clone()}
                findings={self.findings.clone()}
                stale={self.stale}
                validate_ms={self.validate_ms}
                on_edit={self.cb.edit.clone()}
                on_run={self.cb.run.clone()}
            />
        }
    }

    fn view_cluster(&self, player: &Option<PlayerRef>) -> Html {
        match player {
            Some(p) => html! {
                <cluster::ClusterView
                    player={p.clone()}
                    selected={self.selected.clone()}
                    on_select={self.cb.select.clone()}
                    on_act={self.cb.act.clone()}
                    arrows={self.arrows}
                    on_arrows={self.cb.arrows.clone()}
                />
            },
            None => html! { <p class="empty">{"Fix the manifests to start the simulation."}</p> },
        }
    }

    fn view_timeline(&self, slow: &Option<PlayerRef>) -> Html {
        let Some(p) = slow else { return Html::default() };
        html! {
            <timeline::TimelineView
                player={p.clone()}
                end={self.reached_ms.max(p.now)}
                on_seek={self.cb.seek.clone()}
                selected={self.selected.clone()}
                on_select={self.cb.select.clone()}
            />
        }
    }

    /// What the page is fetching, while it does.
    fn view_fetching(&self) -> Html {
        if self.fetching.is_empty() {
            return Html::default();
        }
        let paths: Vec<String> = self.fetching.iter().map(|(k, n)| k.path(n)).collect();
        html! { <div class="notice" role="status" data-testid="fetching"><span>{ format!("Loading {}…", paths.join(", ")) }</span></div> }
    }

    fn view_panes(&self, slow: &Option<PlayerRef>) -> Html {
        let Some(p) = slow else { return Html::default() };
        html! { <panes::Panes player={p.clone()} tab={self.tab} selected={self.selected.clone()} on_tab={self.cb.tab.clone()} /> }
    }

    /// `kubectl apply -f example:NAME` at the current time: objects join the
    /// running cluster (e.g. the Services init containers wait for).
    fn view_apply(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let on_choice = link.callback(|e: Event| Msg::ApplyChoice(target_value(&e)));
        let choice = self.apply_choice.clone();
        let apply = link.callback(move |e: SubmitEvent| {
            e.prevent_default();
            Msg::Act(format!("apply -f example:{choice}"))
        });
        html! {
            <form class="apply" onsubmit={apply} aria-label="Apply more objects now">
                <label><code>{"kubectl apply -f example:"}</code>
                    <select onchange={on_choice} data-testid="apply-choice">
                        { example_options(Some(&self.apply_choice)) }
                    </select>
                </label>
                <button type="submit" data-testid="apply" title="Adds the example's objects to the running cluster, now">{"Apply now"}</button>
            </form>
        }
    }

    /// A command line for every action, in kubectl's words (the actions of
    /// the CLI's `--at` and of exercises): run now, recorded in the session.
    fn view_command(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let on_input = link.callback(|e: InputEvent| Msg::CommandText(input_value(&e)));
        let on_key = link.batch_callback(|e: KeyboardEvent| match e.key().as_str() {
            "ArrowUp" => {
                e.prevent_default();
                Some(Msg::CommandHistory(-1))
            }
            "ArrowDown" => {
                e.prevent_default();
                Some(Msg::CommandHistory(1))
            }
            _ => None,
        });
        let run = link.callback(|e: SubmitEvent| {
            e.prevent_default();
            Msg::RunCommand
        });
        html! {
            <form class="command" onsubmit={run} aria-label="Run a kubectl command now">
                <label for="command"><code>{"$ kubectl"}</code></label>
                <input id="command" value={self.command.clone()} oninput={on_input} onkeydown={on_key} data-testid="command"
                    spellcheck="false" autocomplete="off" placeholder="delete pod NAME · scale deployment/NAME --replicas=3 · drain node node-1" />
                <button type="submit" data-testid="run-command">{"Run"}</button>
                <details class="command-help">
                    <summary>{"What can I type?"}</summary>
                    <ul>
                        { for crate::session::command::form_lines().map(|c| html! { <li><code>{ c }</code></li> }) }
                    </ul>
                    <p class="muted">{"Each runs at the simulated time now and is kept in the session (share links and replays include it). ↑ and ↓ recall earlier commands."}</p>
                    <ul>
                        { for crate::session::command::read_form_lines().map(|c| html! { <li><code>{ c }</code></li> }) }
                    </ul>
                    <p class="muted">{"These only read the cluster as it is now: their output shows below the command line."}</p>
                </details>
                if !self.terminal.is_empty() {
                    <div class="terminal" data-testid="terminal" role="log" aria-label="Command output" aria-live="polite">
                        // One wrapper in a column-reverse box: the box opens scrolled to its end (the newest).
                        <div>
                        { for self.terminal.iter().map(|Typed { command, result, .. }| html! {
                            <>
                                <pre class="echo">{ format!("$ kubectl {command}") }</pre>
                                { match result {
                                    Ok(out) if out.is_empty() => html! {},
                                    Ok(out) => html! { <pre>{ out.trim_end() }</pre> },
                                    Err(e) => html! { <pre class="error">{ e }</pre> },
                                } }
                            </>
                        }) }
                        </div>
                    </div>
                }
            </form>
        }
    }

    /// Play/pause, step, restart, speed and the clock: the same in the full
    /// page and (compact) in an embed.
    fn view_transport(&self, ctx: &Context<Self>, compact: bool) -> Html {
        let link = ctx.link();
        let now = self.now();
        let on_speed = link.callback(|e: Event| Msg::Speed(target_value(&e).parse().unwrap_or(1)));
        let speed = html! {
            <select onchange={on_speed} data-testid="speed" aria-label="Speed">
                { for SPEEDS.iter().map(|s| html! { <option value={s.to_string()} selected={*s == self.speed}>{ format!("{s}×") }</option> }) }
            </select>
        };
        html! {
            <>
                <button class="primary" onclick={link.callback(|_| Msg::TogglePlay)} data-testid="play" aria-pressed={self.playing.to_string()}>
                    { if self.playing { "❚❚ Pause" } else { "▶ Play" } }
                </button>
                <button onclick={link.callback(|_| Msg::Step)} title="Run to the next change" data-testid="step">{"Step »"}</button>
                <button onclick={link.callback(|_| Msg::Restart)} title="Back to time zero, keeping the actions" data-testid="restart">
                    if compact { {"⟲"}<span class="sr-only">{"Restart"}</span> } else { {"⟲ Restart"} }
                </button>
                if compact { { speed } } else { <label class="field"><span>{"Speed"}</span>{ speed }</label> }
                <output class="clock" data-testid="clock" aria-label="Simulated time">{ format!("t = {}", go_duration(if self.playing { now - now % 100 } else { now })) }</output>
            </>
        }
    }

    fn view_controls(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let on_example = link.callback(|e: Event| Msg::Example(target_value(&e)));
        let on_seed = link.callback(|e: Event| Msg::Seed(target_value(&e)));
        let on_seed_text = link.callback(|e: InputEvent| Msg::SeedText(input_value(&e)));
        let theme_label = match self.theme.as_deref() {
            Some("dark") => "Theme: dark (click for light)",
            Some("light") => "Theme: light (click to follow the system)",
            _ => "Theme: the system's (click for dark)",
        };
        html! {
            <div class="controls" role="toolbar" aria-label="Simulation controls">
                <label class="field">
                    <span>{"Example"}</span>
                    <select onchange={on_example} data-testid="example">
                        if self.example.is_none() {
                            <option value="" selected=true>{"(your manifests)"}</option>
                        }
                        { example_options(self.example.as_deref()) }
                    </select>
                </label>
                <label class="field">
                    <span>{"Exercise"}</span>
                    <select onchange={link.callback(|e: Event| Msg::OpenExercise(target_value(&e)))} data-testid="exercise-choice">
                        <option value="" selected={self.exercise.is_none()}>{"(none)"}</option>
                        { for ex::ALL.iter().map(|b| {
                            let done = self.passed.contains(b.name);
                            html! {
                                <option value={b.name} selected={self.exercise.as_ref().is_some_and(|e| e.name == b.name)}>
                                    { format!("{}{}", b.name, if done { " ✓" } else { "" }) }
                                </option>
                            }
                        }) }
                    </select>
                </label>
                { self.view_transport(ctx, false) }
                <label class="field">
                    <span>{"Seed"}</span>
                    <input class="seed" type="number" min="0" value={self.seed_text.clone()} oninput={on_seed_text} onchange={on_seed} data-testid="seed" />
                </label>
                <button onclick={link.callback(|_| Msg::Share)} data-testid="share">{"Share link"}</button>
                <button onclick={link.callback(|_| Msg::Embed)} data-testid="embed">{"Embed"}</button>
                <button class="ghost" onclick={link.callback(|_| Msg::CycleTheme)} title={theme_label} aria-label={theme_label}>{"◐"}</button>
            </div>
        }
    }
}

/// An exercise being worked on.
struct OpenExercise {
    name: &'static str,
    exercise: Rc<Exercise>,
    report: Option<Rc<Report>>,
    hints_shown: usize,
    /// The learner's text before "Reset to start", until undone or edited.
    before_reset: Option<String>,
}

/// The callbacks children get (see `App::cb`).
struct Callbacks {
    edit: Callback<String>,
    run: Callback<()>,
    select: Callback<String>,
    act: Callback<String>,
    seek: Callback<Millis>,
    tab: Callback<Tab>,
    arrows: Callback<()>,
    dismiss_guide: Callback<()>,
}

impl Callbacks {
    fn new(link: &yew::html::Scope<App>) -> Self {
        Callbacks {
            edit: link.callback(Msg::Edit),
            run: link.callback(|_| Msg::RunNow),
            select: link.callback(Msg::Select),
            act: link.callback(Msg::Act),
            seek: link.callback(Msg::Seek),
            tab: link.callback(Msg::Tab),
            arrows: link.callback(|()| Msg::ToggleArrows),
            dismiss_guide: link.callback(|()| Msg::DismissGuide),
        }
    }
}

/// A handle on the run for the views. Equal (so a view is not re-rendered)
/// while the run's revision and clock are the same.
#[derive(Clone)]
pub struct PlayerRef {
    pub rc: Rc<RefCell<Player>>,
    pub revision: u64,
    pub now: Millis,
}

impl PartialEq for PlayerRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.rc, &other.rc) && self.revision == other.revision && self.now == other.now
    }
}

/// An `Rc` compared by identity: the engine publishes a new snapshot for
/// every change, so the same pointer means nothing changed.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The bundled examples as `<option>`s in their menu groups.
fn example_options(selected: Option<&str>) -> Html {
    let groups = examples::GROUPS.iter().copied().chain(["Other"]);
    html! {
        { for groups.map(|g| {
            let mut members = examples::ALL.iter().filter(|e| examples::group(e.name) == g).peekable();
            if members.peek().is_none() {
                return Html::default();
            }
            html! {
                <optgroup label={g}>
                    { for members.map(|e| html! {
                        <option value={e.name} selected={selected == Some(e.name)} title={e.title}>{ e.name }</option>
                    }) }
                </optgroup>
            }
        }) }
    }
}

/// What an embed of the run would show, for [`reserved_height`].
fn embed_shape(p: &Player, editor_lines: Option<usize>) -> EmbedShape {
    let mut on_node: Vec<(Option<&str>, usize)> = Vec::new();
    for pod in p.pods() {
        let node = pod.node_name.as_deref();
        match on_node.iter_mut().find(|(n, _)| *n == node) {
            Some((_, count)) => *count += 1,
            None => on_node.push((node, 1)),
        }
    }
    let waiting = on_node.iter().any(|(n, _)| n.is_none());
    EmbedShape {
        nodes: p.nodes().len() + usize::from(waiting),
        most_pods_on_a_node: on_node.iter().map(|(_, c)| *c).max().unwrap_or(0),
        services: p.services().count(),
        endpoints: p
            .services()
            .filter_map(|s| p.slice_of(&s.service.metadata.namespace, &s.service.metadata.name))
            .map(|slice| slice.endpoints.len())
            .sum(),
        workloads: p.deployments().len()
            + p.stateful_sets().len()
            + p.daemon_sets().len()
            + p.jobs().len()
            + p.cron_jobs().len(),
        lanes: p.timeline().lanes.iter().filter(|l| l.end_ms.is_none()).count(),
        editor_lines,
    }
}

/// The polite live region that reads status changes out.
fn announcer(text: String) -> Html {
    html! { <div class="sr-only" aria-live="polite" aria-atomic="true" data-testid="announcer">{ text }</div> }
}

/// A command run on the command line and what it printed: its output (Ok)
/// or its error; a drain still printing as its Pods go.
struct Typed {
    command: String,
    result: Result<String, String>,
    drain: Option<crate::session::reply::Drain>,
}

/// How many commands the command line remembers for ↑/↓.
const MAX_COMMAND_HISTORY: usize = 50;
/// Commands the command line's terminal keeps on screen.
const MAX_TERMINAL: usize = 20;
/// Why a command did nothing: the page has no run while the manifests have errors.
const NOTHING_RUNS: &str = "podplay: nothing runs until the manifests are valid";

/// The action a command line's text stands for: trimmed, without a leading
/// `kubectl` (people type it).
fn command_action(text: &str) -> String {
    let t = text.trim();
    t.strip_prefix("kubectl ").map(str::trim_start).unwrap_or(t).to_string()
}

/// The value of the `<select>` or `<input>` an event came from.
fn target_value(e: &Event) -> String {
    use wasm_bindgen::JsCast;
    let Some(t) = e.target() else { return String::new() };
    if let Some(s) = t.dyn_ref::<web_sys::HtmlSelectElement>() {
        return s.value();
    }
    t.dyn_ref::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

/// The value of the `<input>` an input event came from.
fn input_value(e: &InputEvent) -> String {
    use wasm_bindgen::JsCast;
    e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.value()).unwrap_or_default()
}

/// Where the early player ([`early`], a Wasm module of its own) was when the
/// whole page took over from it ([`browser::early_handoff`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Handoff {
    pub now_ms: Millis,
    pub playing: bool,
    /// An embed not yet seen, waiting to play.
    pub waiting: bool,
    pub speed: u32,
}

/// What the address asks for. A pre-rendered page opens its own example or
/// exercise when the address names none (`example-NAME.html`); an embed's
/// page (`embed-NAME.html`) is an embed.
fn page_options() -> PageOptions {
    let opts = PageOptions::parse(&browser::query());
    match browser::page_opens() {
        Some(own) if opts.example.is_none() && opts.exercise.is_none() => {
            let own = PageOptions::parse(&own);
            PageOptions { example: own.example, exercise: own.exercise, embed: opts.embed || own.embed, ..opts }
        }
        _ => opts,
    }
}

/// The speed a page opens at: the address's, else a first visit's to the
/// default example plays faster (its guide is shown), else 1×.
fn first_speed(opts: &PageOptions, guide: bool, example: Option<&str>) -> u32 {
    match opts.speed {
        Some(s) => s,
        None if guide && example == Some(DEFAULT_EXAMPLE) => FIRST_VISIT_SPEED,
        None => 1,
    }
}

/// Whether the page plays as it opens: reduced motion starts paused unless
/// the address asks for autoplay (an embed then waits to be seen).
fn autoplay(opts: &PageOptions) -> bool {
    opts.autoplay.unwrap_or(!browser::prefers_reduced_motion())
}

/// Whether the guide of a first visit is shown.
fn guide_shown(opts: &PageOptions) -> bool {
    !opts.embed && browser::load(GUIDE_KEY).is_none()
}

/// Mounts the playground on the page's `<body>`.
pub fn start() {
    // In a task after the one that instantiated the Wasm: two shorter tasks.
    browser::later(|| {
        match browser::first_view_root() {
            // Drawn hidden beside the first view (in stages: `App::staged`);
            // revealed in its place once ready.
            Some(root) => yew::Renderer::<App>::with_root(root).render(),
            None => yew::Renderer::<App>::new().render(),
        };
    });
}
