//! Workshop exercises: a story, starting manifests the learner edits, and
//! declarative checks over the simulated trace.
//!
//! An exercise is one YAML file (see "Writing exercises" in the README):
//!
//! ```yaml
//! title: Fix an image typo
//! story: |
//!   The Pod never starts. Find out why.
//! starting: |
//!   apiVersion: v1
//!   kind: Pod
//!   metadata: {name: web}
//!   spec:
//!     containers: [{name: web, image: ngnix:1.27}]
//! editable: all
//! hints: ["kubectl describe pod web shows the kubelet's Failed events"]
//! until: 2m
//! checks:
//! - check: ready
//!   pod: web
//!   within: 30s
//!   description: The Pod web is Ready within 30 s
//! ```
//!
//! [`parse`] reads the file (errors carry line and column); [`check`] runs
//! the learner's manifests through the engine to `until`, performing the
//! exercise's timed actions, records what the checks need (a [`Trace`]:
//! compact facts per Pod, container and Service) and evaluates every check
//! over it, each with a reason that says what actually happened. Pure and
//! deterministic, like the engine.

mod eval;
mod parse;
mod trace;

#[cfg(test)]
mod tests;

use crate::core::api::Pos;
use crate::core::manifest::{parse_manifests, Diagnostic, Severity};
use crate::core::status::PodPhase;
use crate::core::time::{Millis, HOUR_MS};
use crate::session::TimedAction;

pub use parse::parse;
pub use trace::{run, Trace};

/// Largest accepted exercise file, in bytes.
pub const MAX_EXERCISE_BYTES: usize = 256 * 1024;
/// The furthest an exercise may simulate.
pub const MAX_UNTIL_MS: Millis = HOUR_MS;
/// At most this many checks, hints and actions per exercise.
pub const MAX_CHECKS: usize = 100;
pub const MAX_HINTS: usize = 50;
pub const MAX_ACTIONS: usize = 100;

/// One parsed exercise.
#[derive(Clone, Debug, PartialEq)]
pub struct Exercise {
    pub title: String,
    /// Markdown-ish text: paragraphs, `code`, lists.
    pub story: String,
    /// The manifests the learner starts from (valid: checked at parse time).
    pub starting: String,
    pub editable: Editable,
    pub hints: Vec<String>,
    /// How long to simulate.
    pub until_ms: Millis,
    pub seed: u64,
    /// Timed actions, sorted by time: the CLI's `--at` actions, plus
    /// `delete pod -l SELECTOR` (see [`crate::session::command`]).
    pub actions: Vec<TimedAction>,
    pub checks: Vec<Check>,
}

/// What the learner may change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Editable {
    /// Anything.
    All,
    /// Only these objects of `starting` (`Kind/name`, e.g. `Pod/web`) may be
    /// changed or removed; every other object of `starting` must stay as it
    /// is (compared as YAML trees, so formatting and comments do not
    /// matter). New objects may always be added.
    Objects(Vec<String>),
}

/// One declarative check, with the description the learner reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub description: String,
    pub kind: CheckKind,
    /// Where the check is written in the exercise file.
    pub pos: Pos,
}

/// Which Pods a check is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub namespace: String,
    pub pods: PodSet,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PodSet {
    /// The Pod with this name (`pod: web`).
    Named(String),
    /// Pods whose labels match every `key=value` (`selector: app=web`).
    Selector(Vec<(String, String)>),
    /// The Pods of this Deployment's ReplicaSets (`deployment: web`).
    Deployment(String),
}

/// A time window over the run: from `after` for `within` (to `until` when
/// `within` is not given).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub after_ms: Millis,
    pub within_ms: Option<Millis>,
}

impl Window {
    pub fn end(&self, until_ms: Millis) -> Millis {
        match self.within_ms {
            Some(w) => self.after_ms.saturating_add(w).min(until_ms),
            None => until_ms,
        }
    }
}

/// The kinds of checks. See the README ("Writing exercises") for the YAML.
#[derive(Clone, Debug, PartialEq)]
pub enum CheckKind {
    /// At least `count` target Pods are Ready (and not terminating) at the
    /// same time, within the window. `count` defaults to 1, or to the
    /// Deployment's replicas.
    Ready { target: Target, count: Option<u32>, window: Window },
    /// No target container's restartCount grows past `max` in the window.
    Restarts { target: Target, max: u32, window: Window },
    /// Every target Pod is in `phase` at the end of the window.
    Phase { target: Target, phase: PodPhase, window: Window },
    /// Container `first` ran to completion (terminated Completed) before
    /// container `then` first started, in every target Pod.
    Order { target: Target, first: String, then: String },
    /// The Service's ready endpoints are within `at_least..=at_most` at
    /// `from`, and, when `to` is given, at every instant from `from` to `to`.
    Endpoints {
        namespace: String,
        service: String,
        at_least: u32,
        at_most: Option<u32>,
        from_ms: Millis,
        to_ms: Option<Millis>,
    },
    /// Every target Pod is bound to a node (on `node`, when given) within the window.
    Scheduled { target: Target, node: Option<String>, window: Window },
    /// Every target Pod reaches phase Running within the window (or, with
    /// `container`, that container of every target Pod starts).
    Running { target: Target, container: Option<String>, window: Window },
    /// No event with this reason (about a target Pod, when given) in the window.
    NoEvent { reason: String, target: Option<Target>, window: Window },
    /// No target container terminates with this reason (OOMKilled, Error;
    /// any reason when None) in the window.
    NoTermination { reason: Option<String>, target: Option<Target>, window: Window },
    /// Every target container's image is pulled (or present) within the
    /// window, without ErrImagePull, ImagePullBackOff or InvalidImageName.
    ImagePulled { target: Target, window: Window },
    /// The log of `container` (its current run at `until`, as `kubectl
    /// logs` shows it) has a line containing `contains`, in every target Pod.
    Log { target: Target, container: String, contains: String },
    /// The simulated client's requests to the Service (its
    /// `podplay.dev/traffic` annotation, or a `traffic` action): at least
    /// `min_sent` were sent and (when given) at most `max_failed` failed over the run.
    Traffic { namespace: String, service: String, max_failed: Option<u64>, min_sent: u64 },
}

/// An error in an exercise file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExerciseError {
    pub pos: Pos,
    pub message: String,
}

impl std::fmt::Display for ExerciseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}: {}", self.pos.line, self.pos.col, self.message)
    }
}

/// The outcome of one check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckResult {
    pub description: String,
    pub passed: bool,
    /// What actually happened, e.g. "web became Ready at 47s, after the 30s limit".
    pub reason: String,
}

/// The outcome of [`check`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Errors and warnings in the learner's manifests. With an error,
    /// nothing was run and `results` is empty.
    pub diagnostics: Vec<Diagnostic>,
    /// Objects the learner changed that the exercise does not let them edit.
    pub locked: Vec<String>,
    /// One result per check, in the exercise's order.
    pub results: Vec<CheckResult>,
    /// Actions that failed and what the engine could not simulate.
    pub problems: Vec<String>,
    /// How far the run went.
    pub until_ms: Millis,
}

impl Report {
    /// True when the manifests ran, every edit was allowed and every check passed.
    pub fn passed(&self) -> bool {
        !self.has_errors()
            && self.locked.is_empty()
            && !self.results.is_empty()
            && self.results.iter().all(|r| r.passed)
    }

    /// True when the manifests have errors (nothing was run).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many checks passed.
    pub fn passed_count(&self) -> usize {
        self.results.iter().filter(|r| r.passed).count()
    }
}

/// Runs `manifests` as the exercise says (its seed, actions and `until`) and
/// evaluates every check. Never panics; deterministic.
///
/// ```
/// use podplay::exercise;
/// let ex = exercise::find("image-typo").unwrap().exercise().unwrap();
/// let report = exercise::check(&ex, &ex.starting);
/// assert!(!report.passed());
/// assert_eq!(report.results[1].reason, "web never became Ready in 2m0s (STATUS at the end: ImagePullBackOff)");
/// let fixed = ex.starting.replace("ngnix", "nginx");
/// assert!(exercise::check(&ex, &fixed).passed());
/// ```
pub fn check(exercise: &Exercise, manifests: &str) -> Report {
    let parsed = parse_manifests(manifests);
    let mut report =
        Report { diagnostics: parsed.diagnostics.clone(), until_ms: exercise.until_ms, ..Report::default() };
    if parsed.has_errors() {
        return report;
    }
    report.locked = parse::locked_changes(exercise, manifests);
    let trace = trace::run(exercise, parsed.objects);
    report.until_ms = trace.until_ms;
    report.problems = trace.problems.clone();
    report.results = exercise
        .checks
        .iter()
        .map(|c| {
            let (passed, reason) = eval::evaluate(&c.kind, &trace, trace.until_ms);
            CheckResult { description: c.description.clone(), passed, reason }
        })
        .collect();
    report
}

/// One bundled exercise. Its reference solution stays out of the binary
/// (and so out of the page): it is `exercises/solutions/NAME.yaml`, read by
/// the tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bundled {
    /// `01-image-typo`.
    pub name: &'static str,
    /// The file, compiled in (all builds but the page's, which fetches it:
    /// see [`crate::bundled`] and [`Bundled::text`]).
    #[cfg(not(feature = "fetched-texts"))]
    pub yaml: &'static str,
}

impl Bundled {
    /// The file's text: always there when compiled in; in the page built
    /// with `fetched-texts`, once fetched.
    #[cfg(not(feature = "fetched-texts"))]
    pub fn text(&self) -> Option<&'static str> {
        Some(self.yaml)
    }

    /// The file's text once fetched (the page: see [`crate::bundled`]).
    #[cfg(feature = "fetched-texts")]
    pub fn text(&self) -> Option<&'static str> {
        crate::bundled::fetched(crate::bundled::Kind::Exercise, self.name)
    }

    /// The parsed exercise. Bundled files are tested to parse.
    #[cfg(not(feature = "fetched-texts"))]
    pub fn exercise(&self) -> Result<Exercise, Vec<ExerciseError>> {
        parse(self.yaml)
    }
}

macro_rules! bundled {
    ($($name:literal),* $(,)?) => {
        &[$(Bundled {
            name: $name,
            #[cfg(not(feature = "fetched-texts"))]
            yaml: include_str!(concat!("../../exercises/", $name, ".yaml")),
        }),*]
    };
}

/// Every bundled exercise, in the order of the guide.
pub const ALL: &[Bundled] = bundled![
    "01-image-typo",
    "02-make-it-schedule",
    "03-readiness-probe",
    "04-startup-probe",
    "05-crashloop",
    "06-init-order",
    "07-log-sidecar",
    "08-job-pod",
    "09-graceful-shutdown",
    "10-deployment",
    "11-memory-limits",
    "12-service-dns",
    "13-zero-downtime-rollout",
    "14-no-dropped-requests",
];

/// The bundled exercise named `name`: `01-image-typo`, `image-typo` or `01`.
pub fn find(name: &str) -> Option<&'static Bundled> {
    ALL.iter().find(|b| b.name == name || b.name.split_once('-').is_some_and(|(n, rest)| rest == name || n == name))
}
