//! Exercise file → [`Exercise`], with every error at its line and column.
//!
//! Strict, because the file is untrusted and typos should not pass silently:
//! unknown fields and unknown check kinds are errors, durations must parse,
//! sizes are capped ([`MAX_EXERCISE_BYTES`], [`MAX_CHECKS`], …), and the YAML
//! front end's own limits (nesting, nodes, aliases) apply.

use super::*;
use crate::core::time::{go_duration, parse_duration};
use crate::core::yaml::{self, Node, NodeKind, Value};
use crate::session::command::parse_selector;
use crate::session::{Bundled, Step};

/// At most this many errors are reported.
const MAX_ERRORS: usize = 50;

struct Cx {
    errors: Vec<ExerciseError>,
}

impl Cx {
    fn err(&mut self, pos: Pos, message: impl Into<String>) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(ExerciseError { pos, message: message.into() });
        }
    }

    fn entries<'n>(&mut self, node: &'n Node, what: &str) -> &'n [(Node, Node)] {
        match &node.kind {
            NodeKind::Map(e) => e,
            _ => {
                self.err(node.pos, format!("{what}: expected a mapping, got {}", node.type_name()));
                &[]
            }
        }
    }

    fn items<'n>(&mut self, node: &'n Node, what: &str) -> &'n [Node] {
        match &node.kind {
            NodeKind::Seq(items) => items,
            NodeKind::Null => &[],
            _ => {
                self.err(node.pos, format!("{what}: expected a list, got {}", node.type_name()));
                &[]
            }
        }
    }

    fn string(&mut self, node: &Node, what: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Scalar(s) => match s.resolve() {
                Value::Str(t) => Some(t.to_string()),
                _ => {
                    self.err(node.pos, format!("{what}: expected a string, got {}", node.type_name()));
                    None
                }
            },
            _ => {
                self.err(node.pos, format!("{what}: expected a string, got {}", node.type_name()));
                None
            }
        }
    }

    /// A duration: `90s`, `5m`, `1m30s`, `500ms`, or a whole number of seconds.
    fn duration(&mut self, node: &Node, what: &str) -> Option<Millis> {
        let text = match &node.kind {
            NodeKind::Scalar(s) => s.text.as_str(),
            _ => {
                self.err(
                    node.pos,
                    format!("{what}: expected a duration such as 30s, 5m or 1h, got {}", node.type_name()),
                );
                return None;
            }
        };
        match parse_duration(text) {
            Some(ms) if ms <= MAX_UNTIL_MS => Some(ms),
            Some(_) => {
                self.err(node.pos, format!("{what}: {text} is past the 1h an exercise may simulate"));
                None
            }
            None => {
                self.err(node.pos, format!("{what}: not a duration: {text:?} (try 30s, 5m, 1m30s, 1h)"));
                None
            }
        }
    }

    fn uint(&mut self, node: &Node, what: &str, max: u64) -> Option<u64> {
        match &node.kind {
            NodeKind::Scalar(s) => match s.resolve() {
                Value::Int(n) if n >= 0 && n as u64 <= max => Some(n as u64),
                _ => {
                    self.err(node.pos, format!("{what}: expected a whole number from 0 to {max}, got {:?}", s.text));
                    None
                }
            },
            _ => {
                self.err(node.pos, format!("{what}: expected a whole number, got {}", node.type_name()));
                None
            }
        }
    }
}

fn key_text(k: &Node) -> &str {
    k.scalar_text().unwrap_or("")
}

/// Parses an exercise file. Never panics, whatever the input.
pub fn parse(text: &str) -> Result<Exercise, Vec<ExerciseError>> {
    let top = Pos { line: 1, col: 1 };
    if text.len() > MAX_EXERCISE_BYTES {
        return Err(vec![ExerciseError {
            pos: top,
            message: format!(
                "the file is {} KiB; an exercise may be at most {} KiB",
                text.len().div_ceil(1024),
                MAX_EXERCISE_BYTES / 1024
            ),
        }]);
    }
    let stream = yaml::parse_stream(text);
    if let Some(e) = stream.error {
        return Err(vec![ExerciseError { pos: e.pos, message: e.message }]);
    }
    let docs: Vec<&Node> = stream.documents.iter().filter(|d| d.kind != NodeKind::Null).collect();
    let doc = match docs.as_slice() {
        [d] => *d,
        [] => {
            return Err(vec![ExerciseError {
                pos: top,
                message: "the file is empty; an exercise needs title, story, starting, until and checks".into(),
            }])
        }
        [_, second, ..] => {
            return Err(vec![ExerciseError {
                pos: second.pos,
                message: "an exercise is one YAML document; put the manifests in `starting: |`".into(),
            }])
        }
    };
    let mut cx = Cx { errors: Vec::new() };
    let mut ex = Exercise {
        title: String::new(),
        story: String::new(),
        starting: String::new(),
        editable: Editable::All,
        hints: Vec::new(),
        until_ms: 0,
        seed: 1,
        actions: Vec::new(),
        checks: Vec::new(),
    };
    let mut until_node = None;
    let mut actions_at = Vec::new();
    let mut starting_node = None;
    let mut checks_node = None;
    let mut editable_node = None;
    for (k, v) in cx.entries(doc, "the exercise") {
        match key_text(k) {
            "title" => ex.title = cx.string(v, "title").unwrap_or_default(),
            "story" => ex.story = cx.string(v, "story").unwrap_or_default(),
            "starting" => {
                ex.starting = cx.string(v, "starting").unwrap_or_default();
                starting_node = Some((k, v));
            }
            "editable" => {
                ex.editable = editable(&mut cx, v);
                editable_node = Some(v);
            }
            "hints" => {
                let items = cx.items(v, "hints");
                if items.len() > MAX_HINTS {
                    cx.err(v.pos, format!("hints: at most {MAX_HINTS}"));
                }
                ex.hints = items.iter().take(MAX_HINTS).filter_map(|h| cx.string(h, "hints[]")).collect();
            }
            "until" => {
                until_node = Some(v);
                ex.until_ms = cx.duration(v, "until").unwrap_or(0);
            }
            "seed" => ex.seed = cx.uint(v, "seed", i64::MAX as u64).unwrap_or(1),
            "actions" => actions_at = actions(&mut cx, v),
            "checks" => checks_node = Some(v),
            other => cx.err(
                k.pos,
                format!("unknown field {other:?}: expected title, story, starting, editable, hints, until, seed, actions or checks"),
            ),
        }
    }
    for (field, missing) in [
        ("title", ex.title.is_empty()),
        ("story", ex.story.is_empty()),
        ("starting", starting_node.is_none()),
        ("until", until_node.is_none()),
    ] {
        if missing {
            cx.err(doc.pos, format!("missing field {field:?}"));
        }
    }
    if let Some(v) = until_node {
        if ex.until_ms == 0 && cx.errors.is_empty() {
            cx.err(v.pos, "until must be more than 0s");
        }
    }
    match checks_node {
        Some(v) => {
            let items = cx.items(v, "checks");
            if items.is_empty() {
                cx.err(v.pos, "checks: an exercise needs at least one check");
            }
            if items.len() > MAX_CHECKS {
                cx.err(v.pos, format!("checks: at most {MAX_CHECKS}"));
            }
            for item in items.iter().take(MAX_CHECKS) {
                if let Some(c) = check(&mut cx, item, ex.until_ms) {
                    ex.checks.push(c);
                }
            }
        }
        None => cx.err(doc.pos, "missing field \"checks\""),
    }
    for (a, pos) in &actions_at {
        if a.at_ms > ex.until_ms && until_node.is_some() {
            cx.err(*pos, format!("at: {} comes after until ({})", go_duration(a.at_ms), go_duration(ex.until_ms)));
        }
    }
    ex.actions = actions_at.into_iter().map(|(a, _)| a).collect();
    if let Some((key, node)) = starting_node {
        starting_errors(&mut cx, text, key, node, &ex.starting);
    }
    if let (Some(node), Editable::Objects(names)) = (editable_node, &ex.editable) {
        // Each name must be an object of `starting`, or nothing could be edited.
        let stream = yaml::parse_stream(&ex.starting);
        let known: Vec<String> =
            stream.documents.iter().filter_map(object_id).map(|(k, _, n)| format!("{k}/{n}")).collect();
        let items = match &node.kind {
            NodeKind::Seq(items) => items.as_slice(),
            _ => &[],
        };
        for (name, item) in names.iter().zip(items) {
            if !known.contains(name) {
                cx.err(item.pos, format!("editable: starting has no object {name} (it has {})", known.join(", ")));
            }
        }
    }
    if cx.errors.is_empty() {
        Ok(ex)
    } else {
        Err(cx.errors)
    }
}

/// The starting manifests must be valid: their errors are reported at their
/// place in the exercise file when `starting` is a literal block (`|`), whose
/// content starts at `node.pos` and is indented by `node.pos.col - 1`.
fn starting_errors(cx: &mut Cx, text: &str, key: &Node, node: &Node, starting: &str) {
    let parsed = parse_manifests(starting);
    let key_line = text.lines().nth((key.pos.line as usize).saturating_sub(1)).unwrap_or("");
    let after_key = key_line.get((key.pos.col as usize).saturating_sub(1)..).unwrap_or("");
    let literal = after_key
        .strip_prefix("starting")
        .and_then(|r| r.trim_start().strip_prefix(':'))
        .is_some_and(|r| r.trim_start().starts_with('|'))
        && node.pos.line > key.pos.line;
    for d in parsed.errors() {
        let pos = if literal {
            Pos {
                line: node.pos.line.saturating_add(d.pos.line.saturating_sub(1)),
                col: d.pos.col.saturating_add(node.pos.col.saturating_sub(1)),
            }
        } else {
            node.pos
        };
        let path = if d.path.is_empty() { String::new() } else { format!("{}: ", d.path) };
        cx.err(pos, format!("starting: {path}{}", d.message));
    }
}

fn editable(cx: &mut Cx, v: &Node) -> Editable {
    if let NodeKind::Scalar(s) = &v.kind {
        if s.text == "all" {
            return Editable::All;
        }
    }
    let mut names = Vec::new();
    for item in cx.items(v, "editable (\"all\" or a list of Kind/name)").iter().take(1000) {
        if let Some(s) = cx.string(item, "editable[]") {
            match s.split_once('/') {
                Some((kind, name)) if !kind.is_empty() && !name.is_empty() => names.push(s),
                _ => cx.err(item.pos, format!("editable: expected Kind/name such as Pod/web, got {s:?}")),
            }
        }
    }
    Editable::Objects(names)
}

/// The actions, sorted by time, each with the position of its `at`.
fn actions(cx: &mut Cx, v: &Node) -> Vec<(TimedAction, Pos)> {
    let items = cx.items(v, "actions");
    if items.len() > MAX_ACTIONS {
        cx.err(v.pos, format!("actions: at most {MAX_ACTIONS}"));
    }
    let mut out = Vec::new();
    for item in items.iter().take(MAX_ACTIONS) {
        let mut at = None;
        let mut at_pos = item.pos;
        let mut text = None;
        for (k, v) in cx.entries(item, "actions[]") {
            match key_text(k) {
                "at" => {
                    at = cx.duration(v, "at");
                    at_pos = v.pos;
                }
                "do" => {
                    if let Some(t) = cx.string(v, "do") {
                        match Step::resolve(&t, &mut Bundled) {
                            Ok(_) => text = Some(t),
                            Err(e) => cx.err(v.pos, format!("do: {e}")),
                        }
                    }
                }
                other => cx.err(k.pos, format!("unknown field {other:?} in an action: expected at and do")),
            }
        }
        match (at, text) {
            (Some(at_ms), Some(text)) => out.push((TimedAction { at_ms, text }, at_pos)),
            _ if matches!(item.kind, NodeKind::Map(_)) && cx.errors.is_empty() => {
                cx.err(item.pos, "an action needs at (a duration) and do (an action such as \"delete pod/web\")")
            }
            _ => {}
        }
    }
    crate::core::sort::sort_by_key(&mut out, |a| a.0.at_ms);
    out
}

const CHECK_KINDS: &str =
    "ready, restarts, phase, order, endpoints, scheduled, running, noEvent, noTermination, imagePulled, log, traffic";

/// The fields each check kind takes besides `check` and `description`.
fn allowed_fields(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "ready" => &["pod", "selector", "deployment", "namespace", "count", "after", "within"],
        "restarts" => &["pod", "selector", "deployment", "namespace", "max", "after", "within"],
        "phase" => &["pod", "selector", "deployment", "namespace", "phase", "after", "within"],
        "order" => &["pod", "selector", "deployment", "namespace", "first", "then"],
        "endpoints" => &["service", "namespace", "atLeast", "atMost", "at", "from", "to"],
        "scheduled" => &["pod", "selector", "deployment", "namespace", "node", "after", "within"],
        "running" => &["pod", "selector", "deployment", "namespace", "container", "after", "within"],
        "imagePulled" => &["pod", "selector", "deployment", "namespace", "after", "within"],
        "log" => &["pod", "selector", "deployment", "namespace", "container", "contains"],
        "traffic" => &["service", "namespace", "maxFailed", "minSent"],
        "noEvent" | "noTermination" => &["pod", "selector", "deployment", "namespace", "reason", "after", "within"],
        _ => return None,
    })
}

fn check(cx: &mut Cx, node: &Node, until_ms: Millis) -> Option<Check> {
    let entries = cx.entries(node, "checks[]");
    let errors_before = cx.errors.len();
    let field = |name: &str| entries.iter().find(|(k, _)| key_text(k) == name).map(|(_, v)| v);
    let Some(kind_node) = field("check") else {
        cx.err(node.pos, format!("a check needs `check:` naming its kind ({CHECK_KINDS})"));
        return None;
    };
    let kind = cx.string(kind_node, "check")?;
    let Some(allowed) = allowed_fields(&kind) else {
        cx.err(kind_node.pos, format!("unknown check kind {kind:?}: expected one of {CHECK_KINDS}"));
        return None;
    };
    for (k, _) in entries {
        let name = key_text(k);
        if name != "check" && name != "description" && !allowed.contains(&name) {
            cx.err(
                k.pos,
                format!("unknown field {name:?} for check {kind}: expected description, {}", allowed.join(", ")),
            );
        }
    }
    let description = match field("description") {
        Some(v) => cx.string(v, "description").unwrap_or_default(),
        None => {
            cx.err(node.pos, "a check needs a description (what the learner reads)");
            String::new()
        }
    };
    let namespace = match field("namespace") {
        Some(v) => cx.string(v, "namespace").unwrap_or_default(),
        None => "default".to_string(),
    };
    let duration = |cx: &mut Cx, name: &str| field(name).and_then(|v| cx.duration(v, name));
    let window = |cx: &mut Cx| {
        let after_ms = duration(cx, "after").unwrap_or(0);
        let within_ms = duration(cx, "within");
        if after_ms > until_ms && until_ms > 0 {
            cx.err(node.pos, "after: comes after until");
        }
        Window { after_ms, within_ms }
    };
    let target = |cx: &mut Cx, required: bool| -> Option<Target> {
        let given: Vec<(&str, &Node)> =
            ["pod", "selector", "deployment"].iter().filter_map(|n| field(n).map(|v| (*n, v))).collect();
        match given.as_slice() {
            [] if required => {
                cx.err(node.pos, format!("check {kind} needs one of pod, selector or deployment"));
                None
            }
            [] => None,
            [(which, v)] => {
                let text = cx.string(v, which)?;
                let pods = match *which {
                    "pod" => PodSet::Named(text),
                    "deployment" => PodSet::Deployment(text),
                    _ => match parse_selector(&text) {
                        Ok(s) => PodSet::Selector(s),
                        Err(e) => {
                            cx.err(v.pos, format!("selector: {e}"));
                            return None;
                        }
                    },
                };
                Some(Target { namespace: namespace.clone(), pods })
            }
            [_, (_, second), ..] => {
                cx.err(second.pos, "give only one of pod, selector or deployment");
                None
            }
        }
    };
    // An optional string field: Ok(None) when absent, Err(()) when mistyped.
    let optional = |cx: &mut Cx, name: &str| -> Result<Option<String>, ()> {
        match field(name) {
            Some(v) => cx.string(v, name).map(Some).ok_or(()),
            None => Ok(None),
        }
    };
    let string = |cx: &mut Cx, name: &str| -> Option<String> {
        match field(name) {
            Some(v) => cx.string(v, name),
            None => {
                cx.err(node.pos, format!("check {kind} needs {name}"));
                None
            }
        }
    };
    let kind = match kind.as_str() {
        "ready" => {
            let count = field("count").and_then(|v| cx.uint(v, "count", 100_000)).map(|n| n as u32);
            if count == Some(0) {
                cx.err(field("count").map_or(node.pos, |v| v.pos), "count: at least 1");
            }
            CheckKind::Ready { target: target(cx, true)?, count, window: window(cx) }
        }
        "restarts" => {
            let max = field("max").and_then(|v| cx.uint(v, "max", 1_000_000)).unwrap_or(0) as u32;
            CheckKind::Restarts { target: target(cx, true)?, max, window: window(cx) }
        }
        "phase" => {
            let text = string(cx, "phase")?;
            let phase = match text.as_str() {
                "Pending" => PodPhase::Pending,
                "Running" => PodPhase::Running,
                "Succeeded" => PodPhase::Succeeded,
                "Failed" => PodPhase::Failed,
                _ => {
                    cx.err(
                        field("phase").map_or(node.pos, |v| v.pos),
                        format!("phase: expected Pending, Running, Succeeded or Failed, got {text:?}"),
                    );
                    return None;
                }
            };
            CheckKind::Phase { target: target(cx, true)?, phase, window: window(cx) }
        }
        "order" => {
            let first = string(cx, "first");
            let then = string(cx, "then");
            CheckKind::Order { target: target(cx, true)?, first: first?, then: then? }
        }
        "endpoints" => {
            let service = string(cx, "service")?;
            let at_most = field("atMost").and_then(|v| cx.uint(v, "atMost", 100_000)).map(|n| n as u32);
            let default_least = if at_most.is_some() { 0 } else { 1 };
            let at_least =
                field("atLeast").and_then(|v| cx.uint(v, "atLeast", 100_000)).unwrap_or(default_least) as u32;
            if at_most.is_some_and(|m| m < at_least) {
                cx.err(node.pos, "endpoints: atMost is less than atLeast");
            }
            let at = duration(cx, "at");
            let from = duration(cx, "from");
            let to = duration(cx, "to");
            let (from_ms, to_ms) = match (at, from, to) {
                (Some(at), None, None) => (at, None),
                (None, Some(from), Some(to)) if from <= to => (from, Some(to)),
                (None, Some(_), Some(_)) => {
                    cx.err(node.pos, "endpoints: from must not be after to");
                    return None;
                }
                _ => {
                    cx.err(node.pos, "endpoints needs either at, or both from and to");
                    return None;
                }
            };
            if to_ms.unwrap_or(from_ms) > until_ms && until_ms > 0 {
                cx.err(node.pos, "endpoints: the time is after until");
            }
            CheckKind::Endpoints { namespace: namespace.clone(), service, at_least, at_most, from_ms, to_ms }
        }
        "scheduled" => {
            let node_name = optional(cx, "node").ok()?;
            CheckKind::Scheduled { target: target(cx, true)?, node: node_name, window: window(cx) }
        }
        "running" => {
            let container = optional(cx, "container").ok()?;
            CheckKind::Running { target: target(cx, true)?, container, window: window(cx) }
        }
        "imagePulled" => CheckKind::ImagePulled { target: target(cx, true)?, window: window(cx) },
        "traffic" => {
            let service = string(cx, "service")?;
            let max_failed = field("maxFailed").and_then(|v| cx.uint(v, "maxFailed", 1_000_000_000));
            let min_sent = field("minSent").and_then(|v| cx.uint(v, "minSent", 1_000_000_000)).unwrap_or(1);
            CheckKind::Traffic { namespace: namespace.clone(), service, max_failed, min_sent }
        }
        "log" => {
            let container = string(cx, "container");
            let contains = string(cx, "contains");
            CheckKind::Log { target: target(cx, true)?, container: container?, contains: contains? }
        }
        "noEvent" => {
            let reason = string(cx, "reason")?;
            if matches!(reason.as_str(), "OOMKilled" | "Completed" | "Error" | "ContainerCannotRun") {
                cx.err(
                    field("reason").map_or(node.pos, |v| v.pos),
                    format!("{reason} is a reason a container terminates with, not an event reason: use check: noTermination"),
                );
                return None;
            }
            CheckKind::NoEvent { reason, target: target(cx, false), window: window(cx) }
        }
        "noTermination" => {
            let reason = optional(cx, "reason").ok()?;
            CheckKind::NoTermination { reason, target: target(cx, false), window: window(cx) }
        }
        _ => return None,
    };
    if cx.errors.len() > errors_before {
        return None;
    }
    Some(Check { description, kind, pos: node.pos })
}

/// The objects of `starting` that the learner changed or removed although
/// `editable` does not list them, in words.
pub(super) fn locked_changes(exercise: &Exercise, manifests: &str) -> Vec<String> {
    let Editable::Objects(editable) = &exercise.editable else { return Vec::new() };
    let before = yaml::parse_stream(&exercise.starting);
    let after = yaml::parse_stream(manifests);
    let allowed = if editable.is_empty() { "nothing".to_string() } else { editable.join(", ") };
    let mut out = Vec::new();
    for doc in &before.documents {
        let Some(id) = object_id(doc) else { continue };
        let name = format!("{}/{}", id.0, id.2);
        if editable.contains(&name) {
            continue;
        }
        // The first object with this id (a linear search: a map would
        // compile the B-tree and its sort again for this key type).
        match after.documents.iter().find(|d| object_id(d) == Some(id)) {
            None => out.push(format!("{name} was removed, but this exercise lets you edit only {allowed}")),
            Some(t) if !same_tree(doc, t) => {
                out.push(format!("{name} was changed, but this exercise lets you edit only {allowed}"))
            }
            Some(_) => {}
        }
        if out.len() >= 100 {
            break;
        }
    }
    out
}

fn get<'n>(n: &'n Node, key: &str) -> Option<&'n Node> {
    match &n.kind {
        NodeKind::Map(e) => e.iter().find(|(k, _)| k.scalar_text() == Some(key)).map(|(_, v)| v),
        _ => None,
    }
}

/// (kind, namespace, name) of a top-level object.
fn object_id(doc: &Node) -> Option<(&str, &str, &str)> {
    let kind = get(doc, "kind")?.scalar_text()?;
    let meta = get(doc, "metadata")?;
    let name = get(meta, "name")?.scalar_text()?;
    let namespace = get(meta, "namespace").and_then(Node::scalar_text).unwrap_or("default");
    Some((kind, namespace, name))
}

/// Equal as YAML values: positions, key order, quoting of strings ignored.
/// Depth is bounded by the YAML front end's nesting limit.
fn same_tree(a: &Node, b: &Node) -> bool {
    match (&a.kind, &b.kind) {
        (NodeKind::Null, NodeKind::Null) => true,
        (NodeKind::Scalar(x), NodeKind::Scalar(y)) => match (x.resolve(), y.resolve()) {
            (Value::Float(p), Value::Float(q)) => p == q || (p.is_nan() && q.is_nan()),
            (p, q) => p == q,
        },
        (NodeKind::Seq(x), NodeKind::Seq(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_tree(p, q)),
        (NodeKind::Map(x), NodeKind::Map(y)) => {
            // Keys are unique scalars (the YAML front end refuses duplicates).
            // A linear search, as a map would compile the B-tree again.
            let theirs = |key: Option<&str>| y.iter().rev().find(|(k, _)| k.scalar_text() == key).map(|(_, v)| v);
            x.len() == y.len() && x.iter().all(|(k, v)| theirs(k.scalar_text()).is_some_and(|v2| same_tree(v, v2)))
        }
        _ => false,
    }
}
