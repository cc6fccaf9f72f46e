//! Evaluates a check over a [`Trace`]: pass or fail, with a reason that says
//! what actually happened.

use super::trace::{PodTrack, Trace};
use super::{CheckKind, PodSet, Target, Window};
use crate::core::status::PodPhase;
use crate::core::store::Store;
use crate::core::time::{go_duration, Millis};

fn d(ms: Millis) -> String {
    go_duration(ms)
}

/// "web", "the Pods with app=web", "Deployment web's Pods".
fn subject(t: &Target) -> String {
    let ns = if t.namespace == "default" { String::new() } else { format!(" in namespace {}", t.namespace) };
    match &t.pods {
        PodSet::Named(n) => format!("Pod {n}{ns}"),
        PodSet::Selector(s) => {
            let sel: Vec<String> = s.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("the Pods with {}{ns}", sel.join(","))
        }
        PodSet::Deployment(n) => format!("Deployment {n}'s Pods{ns}"),
    }
}

fn matching<'a>(trace: &'a Trace, t: &Target) -> Vec<&'a PodTrack> {
    trace
        .pods
        .iter()
        .filter(|p| p.namespace == t.namespace)
        .filter(|p| match &t.pods {
            PodSet::Named(n) => p.name == *n,
            PodSet::Selector(s) => s.iter().all(|(k, v)| p.labels.get(k) == Some(v)),
            PodSet::Deployment(n) => {
                p.owner_rs.as_ref().is_some_and(|rs| trace.rs_owner.get(&(p.namespace.clone(), rs.clone())) == Some(n))
            }
        })
        .collect()
}

fn none_found(t: &Target, until: Millis) -> String {
    match &t.pods {
        PodSet::Named(n) => format!("there was no Pod named {n} in {}", d(until)),
        _ => format!("no Pod matched: {} never existed in {}", subject(t), d(until)),
    }
}

/// "by 30s" or "between 40s and 1m10s".
fn window_words(w: &Window, until: Millis) -> String {
    let end = w.end(until);
    if w.after_ms == 0 {
        format!("by {}", d(end))
    } else {
        format!("between {} and {}", d(w.after_ms), d(end))
    }
}

/// Runs `f` on every target Pod: passes when every Pod passes (the reasons
/// joined), fails with the first Pod's failure, or when no Pod matched.
fn every_pod(
    trace: &Trace,
    target: &Target,
    until: Millis,
    f: impl Fn(&PodTrack) -> Result<String, String>,
) -> (bool, String) {
    every_pod_of(matching(trace, target), target, until, f)
}

/// [`every_pod`] over a chosen set of the target's Pods.
fn every_pod_of(
    pods: Vec<&PodTrack>,
    target: &Target,
    until: Millis,
    f: impl Fn(&PodTrack) -> Result<String, String>,
) -> (bool, String) {
    if pods.is_empty() {
        return (false, none_found(target, until));
    }
    let mut ok = Vec::new();
    for p in pods {
        match f(p) {
            Ok(why) => ok.push(why),
            Err(why) => return (false, why),
        }
    }
    (true, summary(&ok))
}

/// Per-Pod reasons, joined; past three, the rest are counted.
fn summary(reasons: &[String]) -> String {
    match reasons {
        [a, b, c, rest @ ..] if !rest.is_empty() => format!("{a}; {b}; {c}; and {} more Pods", rest.len()),
        _ => reasons.join("; "),
    }
}

pub(super) fn evaluate(kind: &CheckKind, trace: &Trace, until: Millis) -> (bool, String) {
    match kind {
        CheckKind::Ready { target, count, window } => ready(trace, target, *count, window, until),
        CheckKind::Restarts { target, max, window } => restarts(trace, target, *max, window, until),
        CheckKind::Phase { target, phase, window } => ends_in(trace, target, *phase, window, until),
        CheckKind::Order { target, first, then } => order(trace, target, first, then, until),
        CheckKind::Endpoints { namespace, service, at_least, at_most, from_ms, to_ms } => {
            endpoints(trace, namespace, service, (*at_least, *at_most), *from_ms, *to_ms)
        }
        CheckKind::Scheduled { target, node, window } => scheduled(trace, target, node.as_deref(), window, until),
        CheckKind::Running { target, container, window } => running(trace, target, container.as_deref(), window, until),
        CheckKind::NoEvent { reason, target, window } => no_event(trace, reason, target.as_ref(), window, until),
        CheckKind::NoTermination { reason, target, window } => {
            no_termination(trace, reason.as_deref(), target.as_ref(), window, until)
        }
        CheckKind::ImagePulled { target, window } => image_pulled(trace, target, window, until),
        CheckKind::Log { target, container, contains } => log(trace, target, container, contains, until),
        CheckKind::Traffic { namespace, service, max_failed, min_sent } => {
            traffic(trace, namespace, service, max_failed.unwrap_or(u64::MAX), *min_sent)
        }
    }
}

fn ready(trace: &Trace, target: &Target, count: Option<u32>, w: &Window, until: Millis) -> (bool, String) {
    let pods = matching(trace, target);
    if pods.is_empty() {
        return (false, none_found(target, until));
    }
    let need = count.unwrap_or_else(|| match &target.pods {
        PodSet::Deployment(n) => {
            trace.deployment_replicas.get(&(target.namespace.clone(), n.clone())).copied().unwrap_or(1).max(0) as u32
        }
        _ => 1,
    });
    let end = w.end(until);
    let who = |names: &[&str]| -> String {
        match (&target.pods, names) {
            (PodSet::Named(n), _) => n.clone(),
            (_, [one]) => format!("{} ({one})", subject(target)),
            (_, many) if many.len() <= 5 => format!("{} of {} ({})", many.len(), subject(target), many.join(", ")),
            (_, many) => format!("{} of {} ({}, …)", many.len(), subject(target), many[..3].join(", ")),
        }
    };
    // A sweep over every change of a matching Pod, in time order, keeping
    // which Pods are Ready; checked at `after` and after each later instant.
    let mut changes: Vec<(Millis, usize, bool)> = pods
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.samples.iter().map(move |s| (s.time_ms, i, s.ready)))
        .filter(|c| c.0 <= until)
        .collect();
    crate::core::sort::sort_by_key(&mut changes, |c| (c.0, c.1));
    let mut ready = vec![false; pods.len()];
    let mut count = 0usize;
    let mut best = 0usize;
    let mut next = 0;
    let mut instant = Some(w.after_ms);
    while let Some(t) = instant {
        while let Some(&(ct, i, r)) = changes.get(next) {
            if ct > t {
                break;
            }
            if ready[i] != r {
                ready[i] = r;
                if r {
                    count += 1
                } else {
                    count -= 1
                }
            }
            next += 1;
        }
        best = best.max(count);
        if count as u32 >= need {
            let names: Vec<&str> = pods.iter().zip(&ready).filter(|(_, r)| **r).map(|(p, _)| p.name.as_str()).collect();
            let plural = names.len() != 1;
            return if t == w.after_ms && w.after_ms > 0 {
                (true, format!("{} {} Ready at {}", who(&names), if plural { "were" } else { "was" }, d(t)))
            } else if t <= end {
                (true, format!("{} {} at {}", who(&names), if plural { "were Ready" } else { "became Ready" }, d(t)))
            } else {
                let became = if plural { "were Ready" } else { "became Ready" };
                (false, format!("{} {became} at {}, after the {} limit", who(&names), d(t), d(end)))
            };
        }
        instant = changes.get(next).map(|c| c.0);
    }
    let states: Vec<String> = match &target.pods {
        PodSet::Named(_) => pods.last().map(|p| p.last_status.clone()).into_iter().collect(),
        _ => pods.iter().rev().take(3).map(|p| format!("{}: {}", p.name, p.last_status)).collect(),
    };
    let what = if let PodSet::Named(n) = &target.pods {
        format!("{n} never became Ready")
    } else if need <= 1 {
        format!("none of {} became Ready", subject(target))
    } else {
        format!("at most {best} of the {need} Pods wanted were Ready at once")
    };
    let when = if w.after_ms > 0 {
        format!(" between {} and {}", d(w.after_ms), d(until))
    } else {
        format!(" in {}", d(until))
    };
    (false, format!("{what}{when} (STATUS at the end: {})", states.join(", ")))
}

fn restarts(trace: &Trace, target: &Target, max: u32, w: &Window, until: Millis) -> (bool, String) {
    let pods = matching(trace, target);
    if pods.is_empty() {
        return (false, none_found(target, until));
    }
    let end = w.end(until);
    let mut total = 0i64;
    let mut worst: Option<(i64, String, Millis, String)> = None;
    for p in &pods {
        for c in &p.containers {
            let count_at = |t: Millis| c.restarts.iter().take_while(|r| r.0 <= t).last().map_or(0, |r| r.1) as i64;
            let before = if w.after_ms == 0 { 0 } else { count_at(w.after_ms) };
            let n = count_at(end) - before;
            if n <= 0 {
                continue;
            }
            total += n;
            let first = c.restarts.iter().find(|r| r.0 > w.after_ms && r.1 as i64 > before).map_or(0, |r| r.0);
            let last_term = c
                .terminations
                .iter()
                .rev()
                .find(|t| t.finished_ms <= end)
                .map(|t| format!("; it last terminated {} with exit code {}", t.reason, t.exit_code))
                .unwrap_or_default();
            let who = format!("container {} of {}", c.name, p.name);
            if worst.as_ref().is_none_or(|x| n > x.0) {
                worst = Some((n, who, first, last_term));
            }
        }
    }
    let span = window_words(w, until);
    match worst {
        Some((n, who, first, last)) if total > max as i64 => {
            let times = if n == 1 { "once".to_string() } else { format!("{n} times") };
            (false, format!("{who} restarted {times} {span} (first at {}){last}", d(first)))
        }
        _ if total == 0 => (true, format!("no container of {} restarted {span}", subject(target))),
        _ => (true, format!("{total} restart(s) {span}, no more than {max}")),
    }
}

fn ends_in(trace: &Trace, target: &Target, want: PodPhase, w: &Window, until: Millis) -> (bool, String) {
    let end = w.end(until);
    every_pod(trace, target, until, |p| {
        let s = p.at(end).ok_or_else(|| format!("{} did not exist yet at {}", p.name, d(end)))?;
        // When it entered the phase it ended in.
        let since = p
            .samples
            .iter()
            .rev()
            .filter(|x| x.time_ms <= end)
            .take_while(|x| x.phase == s.phase)
            .last()
            .map_or(s.time_ms, |x| x.time_ms);
        if s.phase == want {
            return Ok(format!("{} {} at {}", p.name, s.phase.as_str(), d(since)));
        }
        let tail = if matches!(s.phase, PodPhase::Succeeded | PodPhase::Failed) {
            format!("{} ended {} at {}", p.name, s.phase.as_str(), d(since))
        } else {
            let status = if s.status == s.phase.as_str() { String::new() } else { format!(" (STATUS {})", s.status) };
            format!("{} was still {} at {}{status}", p.name, s.phase.as_str(), d(end))
        };
        Err(format!("{tail}, not {}", want.as_str()))
    })
}

fn order(trace: &Trace, target: &Target, first: &str, then: &str, until: Millis) -> (bool, String) {
    every_pod(trace, target, until, |p| {
        let find = |n: &str| {
            p.containers.iter().find(|c| c.name == n).ok_or_else(|| format!("{} has no container named {n}", p.name))
        };
        let (a, b) = (find(first)?, find(then)?);
        match (a.first_completed_ms, b.first_started_ms) {
            (Some(done), Some(start)) if done <= start => {
                Ok(format!("{first} completed at {}, before {then} started at {}", d(done), d(start)))
            }
            (Some(done), Some(start)) => {
                Err(format!("{then} started at {}, before {first} completed at {}", d(start), d(done)))
            }
            (None, Some(start)) => {
                let how = match a.terminations.iter().find(|t| t.finished_ms <= start) {
                    Some(t) => {
                        format!("after {first} ended {} (exit code {}) at {}", t.reason, t.exit_code, d(t.finished_ms))
                    }
                    None if a.first_started_ms.is_some_and(|s| s <= start) => {
                        format!("while {first} was still running")
                    }
                    None => format!("while {first} had not run yet"),
                };
                Err(format!("{then} started at {} {how}; {first} never completed before it", d(start)))
            }
            (_, None) => {
                let why = b.waiting.as_deref().map(|w| format!(" (waiting: {w})")).unwrap_or_default();
                let done = match a.first_completed_ms {
                    Some(t) => format!("{first} completed at {}, but ", d(t)),
                    None => format!("{first} never completed, and "),
                };
                Err(format!("{done}{then} never started in {}{why}", d(until)))
            }
        }
    })
}

fn traffic(trace: &Trace, ns: &str, service: &str, max_failed: u64, min_sent: u64) -> (bool, String) {
    let record = trace.traffic.get(&(ns.to_string(), service.to_string())).cloned().unwrap_or_default();
    let (sent, failed) = (record.sent, record.failed);
    if sent < min_sent {
        let what = if sent == 0 { "no request was".to_string() } else { format!("only {sent} requests were") };
        return (
            false,
            format!(
                "{what} sent to Service {service} (the podplay.dev/traffic annotation or a traffic action sends them)"
            ),
        );
    }
    let summary = format!("{failed} of {sent} requests to Service {service} failed");
    match record.first_failure {
        Some(first) if failed > max_failed => (false, format!("{summary}, the first {first}")),
        _ if failed > max_failed => (false, summary),
        _ => (true, summary),
    }
}

fn endpoints(
    trace: &Trace,
    ns: &str,
    service: &str,
    bounds: (u32, Option<u32>),
    from: Millis,
    to: Option<Millis>,
) -> (bool, String) {
    let Some(series) = trace.endpoints.get(&(ns.to_string(), service.to_string())) else {
        return (false, format!("there was no Service {service}"));
    };
    let (at_least, at_most) = bounds;
    let ok = |n: u32| n >= at_least && at_most.is_none_or(|m| n <= m);
    let wanted = match at_most {
        Some(m) if m == at_least => format!("{m}"),
        Some(m) if at_least == 0 => format!("at most {m}"),
        Some(m) => format!("{at_least} to {m}"),
        None => format!("at least {at_least}"),
    };
    let at = |t: Millis| series.iter().take_while(|s| s.0 <= t).last().map_or(0, |s| s.1);
    let plural = |n: u32| if n == 1 { "1 ready endpoint".to_string() } else { format!("{n} ready endpoints") };
    let start = at(from);
    let Some(to) = to else {
        return if ok(start) {
            (true, format!("Service {service} had {} at {}", plural(start), d(from)))
        } else {
            (false, format!("Service {service} had {} at {}, not {wanted}", plural(start), d(from)))
        };
    };
    let bad = std::iter::once((from, start))
        .chain(series.iter().copied().filter(|s| s.0 > from && s.0 <= to))
        .find(|s| !ok(s.1));
    let Some((t, n)) = bad else {
        let (lo, hi) = std::iter::once(start)
            .chain(series.iter().filter(|s| s.0 > from && s.0 <= to).map(|s| s.1))
            .fold((u32::MAX, 0), |(lo, hi), n| (lo.min(n), hi.max(n)));
        let range = if lo == hi { plural(lo) } else { format!("{lo} to {hi} ready endpoints") };
        return (true, format!("Service {service} had {range} from {} to {}", d(from), d(to)));
    };
    let back = series.iter().find(|s| s.0 > t && ok(s.1)).map(|s| format!(" (back to {} at {})", s.1, d(s.0)));
    let effect = if n < at_least { ": requests to it would have failed" } else { "" };
    let verb = if n < at_least && t > from { "dropped to" } else { "had" };
    (
        false,
        format!(
            "Service {service} {verb} {} at {}{}, wanted {wanted}{effect}",
            plural(n),
            d(t),
            back.unwrap_or_else(|| format!(" (still at {})", d(to)))
        ),
    )
}

fn scheduled(trace: &Trace, target: &Target, node: Option<&str>, w: &Window, until: Millis) -> (bool, String) {
    let end = w.end(until);
    every_pod(trace, target, until, |p| match &p.scheduled {
        Some((_, n)) if node.is_some_and(|want| want != n) => {
            Err(format!("{} was scheduled to {n}, not {}", p.name, node.unwrap_or_default()))
        }
        Some((t, n)) if *t <= end => Ok(format!("{} was scheduled to {n} at {}", p.name, d(*t))),
        Some((t, n)) => Err(format!("{} was scheduled to {n} at {}, after the {} limit", p.name, d(*t), d(end))),
        None => Err(format!(
            "{} was never scheduled: {}",
            p.name,
            p.unschedulable.as_deref().unwrap_or("no node was chosen")
        )),
    })
}

fn running(trace: &Trace, target: &Target, container: Option<&str>, w: &Window, until: Millis) -> (bool, String) {
    let end = w.end(until);
    every_pod(trace, target, until, |p| {
        let node = p.scheduled.as_ref().map(|s| format!(" on {}", s.1)).unwrap_or_default();
        let (what, started) = match container {
            Some(c) => {
                let x = p
                    .containers
                    .iter()
                    .find(|x| x.name == c)
                    .ok_or_else(|| format!("{} has no container named {c}", p.name))?;
                (format!("container {c} of {}", p.name), x.first_started_ms)
            }
            None => (p.name.clone(), p.samples.iter().find(|s| s.phase == PodPhase::Running).map(|s| s.time_ms)),
        };
        match started {
            Some(t) if t < w.after_ms => Ok(format!("{what} was running{node} since {}", d(t))),
            Some(t) if t <= end => Ok(format!("{what} was running{node} at {}", d(t))),
            Some(t) => Err(format!("{what} started running{node} at {}, after the {} limit", d(t), d(end))),
            None => Err(format!("{what} never ran (STATUS at the end: {})", p.last_status)),
        }
    })
}

fn no_event(trace: &Trace, reason: &str, target: Option<&Target>, w: &Window, until: Millis) -> (bool, String) {
    let end = w.end(until);
    let names: Option<Vec<&str>> = target.map(|t| {
        let mut names: Vec<&str> = matching(trace, t).iter().map(|p| p.name.as_str()).collect();
        crate::core::sort::sort(&mut names);
        names
    });
    let hits: Vec<_> = trace
        .events
        .iter()
        .filter(|e| e.reason == reason && e.time_ms >= w.after_ms && e.time_ms <= end)
        .filter(|e| match (&names, target) {
            (Some(names), Some(t)) => {
                e.kind == "Pod" && e.namespace == t.namespace && names.binary_search(&e.name.as_str()).is_ok()
            }
            _ => true,
        })
        .collect();
    let about = target.map(|t| format!(" about {}", subject(t))).unwrap_or_default();
    match hits.first() {
        None => (true, format!("no {reason} event{about} {}", window_words(w, until))),
        Some(e) => {
            let more = if hits.len() > 1 { format!(" ({} in all)", hits.len()) } else { String::new() };
            (false, format!("{reason} at {} on {}/{}: {}{more}", d(e.time_ms), e.kind, e.name, e.message))
        }
    }
}

fn no_termination(
    trace: &Trace,
    reason: Option<&str>,
    target: Option<&Target>,
    w: &Window,
    until: Millis,
) -> (bool, String) {
    let end = w.end(until);
    let pods: Vec<&PodTrack> = match target {
        Some(t) => matching(trace, t),
        None => trace.pods.iter().collect(),
    };
    let mut hits = Vec::new();
    for p in &pods {
        for c in &p.containers {
            for t in &c.terminations {
                if reason.is_none_or(|r| t.reason == r) && t.finished_ms >= w.after_ms && t.finished_ms <= end {
                    hits.push((t.finished_ms, &p.name, &c.name, t.exit_code, &t.reason));
                }
            }
        }
    }
    crate::core::sort::sort(&mut hits);
    let about = target.map(|t| format!(" of {}", subject(t))).unwrap_or_default();
    let how = reason.map(|r| format!(" {r}")).unwrap_or_default();
    match hits.first() {
        None => (true, format!("no container{about} terminated{how} {}", window_words(w, until))),
        Some((t, pod, c, code, why)) => {
            let more = if hits.len() > 1 { format!(" ({} times in all)", hits.len()) } else { String::new() };
            (false, format!("container {c} of {pod} terminated {why} at {} (exit code {code}){more}", d(*t)))
        }
    }
}

fn image_pulled(trace: &Trace, target: &Target, w: &Window, until: Millis) -> (bool, String) {
    let end = w.end(until);
    // The kubelet's `Pulled` events (pulled, or already present) say when an
    // image was there; `imageID` is only set when the container starts.
    // By (namespace, "pod NUL field path").
    let mut pulled_events: Store<Vec<Millis>> = Store::new();
    for e in trace.events.iter().filter(|e| e.reason == "Pulled" && e.kind == "Pod") {
        if let Some(fp) = &e.field_path {
            pulled_events
                .get_or_insert_with((e.namespace.clone(), format!("{}\0{fp}", e.name)), Vec::new)
                .push(e.time_ms);
        }
    }
    let (ok, why) = every_pod(trace, target, until, |p| {
        let mut pulled = Vec::new();
        for c in &p.containers {
            if let Some((t, why, msg)) = c.pull_errors.iter().find(|e| e.0 >= w.after_ms && e.0 <= end) {
                return Err(format!("container {} of {}: {why} at {}: {msg}", c.name, p.name, d(*t)));
            }
            let path = format!("spec.{}{{{}}}", if c.init { "initContainers" } else { "containers" }, c.name);
            let event = pulled_events
                .get(&(p.namespace.clone(), format!("{}\0{path}", p.name)))
                .and_then(|times| times.iter().find(|&&t| t >= p.created_ms).copied());
            match event.or(c.pulled_ms) {
                Some(t) if t <= end => pulled.push(format!("{} at {}", c.image, d(t))),
                Some(t) => {
                    return Err(format!(
                        "container {}'s image {} was pulled at {}, after the {} limit",
                        c.name,
                        c.image,
                        d(t),
                        d(end)
                    ))
                }
                None => {
                    let waiting = c.waiting.as_deref().unwrap_or("not started");
                    return Err(format!(
                        "container {}'s image {} was not pulled by {} ({waiting})",
                        c.name,
                        c.image,
                        d(end)
                    ));
                }
            }
        }
        Ok(pulled.join(", "))
    });
    if ok {
        (true, format!("pulled {why}"))
    } else {
        (false, why)
    }
}

fn log(trace: &Trace, target: &Target, container: &str, contains: &str, until: Millis) -> (bool, String) {
    // Logs are read at the end: Pods deleted before it have none.
    let live = matching(trace, target).into_iter().filter(|p| p.deleted_ms.is_none()).collect();
    every_pod_of(live, target, until, |p| {
        let lines = trace
            .logs
            .get(&(p.namespace.clone(), format!("{}/{container}", p.name)))
            .ok_or_else(|| format!("{} has no container named {container}", p.name))?;
        match lines.iter().find(|l| l.contains(contains)) {
            Some(line) => Ok(format!("{}/{container} logged {:?}", p.name, clip(line))),
            None => {
                let last = match lines.last() {
                    Some(l) => format!("its last line is {:?}", clip(l)),
                    None => "its log is empty".to_string(),
                };
                Err(format!(
                    "the log of {container} in {} has no line with {contains:?} at {}: {last}",
                    p.name,
                    d(until)
                ))
            }
        }
    })
}

/// A log line cut to a readable length.
fn clip(line: &str) -> String {
    match line.char_indices().nth(120) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}
