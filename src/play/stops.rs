//! A Pod's stop told in words: while the kubelet stops a container (a
//! deletion, a failed liveness or startup probe) what it is doing and when
//! the next step comes (preStop, SIGTERM, SIGKILL), which Services no longer
//! count the Pod as a ready endpoint, what each exit code means, and the
//! short-lived trace a deleted Pod leaves. Every line is the page's own
//! explanation, derived from what the engine knows ([`Sim::stopping`], the
//! Pod's status, its EndpointSlices); kubectl's wording is left to the
//! views that print it.
//!
//! [`Sim::stopping`]: crate::core::engine::Sim::stopping

use super::ProbeView;
use crate::core::api::{Handler, PortRef};
use crate::core::engine::{ProbeKind, Stopping};
use crate::core::status::{ContainerState, EndpointSliceSnapshot, PodSnapshot};
use crate::core::time::{go_duration, Millis, SECOND_MS};
use std::rc::Rc;

/// How long a deleted Pod's trace stays in view (simulated time).
pub const GONE_KEPT_MS: Millis = 20 * SECOND_MS;
/// The most traces kept at once (the oldest go first).
pub const MAX_GONE: usize = 20;

/// A Pod removed from the API a moment ago, as it last was.
#[derive(Clone, Debug, PartialEq)]
pub struct Gone {
    pub pod: Rc<PodSnapshot>,
    pub removed_ms: Millis,
}

/// What an exit code says, e.g. 143: "128 + 15: ended by SIGTERM".
pub fn exit_meaning(code: i32, reason: &str) -> String {
    match code {
        0 => "the program exited cleanly".to_string(),
        137 if reason == "OOMKilled" => "128 + 9: SIGKILL from the kernel's OOM killer (memory limit)".to_string(),
        143 => "128 + 15: ended by SIGTERM (the program stopped on the signal)".to_string(),
        137 => "128 + 9: SIGKILL (the process could not refuse it)".to_string(),
        129..=159 => format!("128 + {}: ended by signal {}", code - 128, code - 128),
        _ => "the program's own exit code".to_string(),
    }
}

/// `exec [sleep 5]`, `sleep 5s`, `http-get :8080/quit`: a hook, as briefly
/// as kubectl describes a probe.
pub fn hook_text(h: &Handler) -> String {
    let port = |p: &PortRef| match p {
        PortRef::Number(n) => n.to_string(),
        PortRef::Name(n) => n.clone(),
    };
    match h {
        Handler::Exec { command } => format!("exec [{}]", command.join(" ")),
        Handler::Sleep { seconds } => format!("sleep {seconds}s"),
        Handler::HttpGet { path, port: p, .. } => format!("http-get :{}{path}", port(p)),
        Handler::TcpSocket { port: p, .. } => format!("tcp-socket :{}", port(p)),
        Handler::Grpc { port, .. } => format!("grpc :{port}"),
    }
}

/// Whole seconds from `now` to `t`, rounded up: "SIGKILL in 25s".
fn seconds_until(t: Millis, now: Millis) -> String {
    format!("{}s", t.saturating_sub(now).div_ceil(SECOND_MS))
}

/// The lines said about one container being stopped. `probe` is the latest
/// result of the probe that failed, when a probe is why.
pub fn stopping_lines(pod: &PodSnapshot, s: &Stopping, probe: Option<ProbeView>, now: Millis) -> Vec<String> {
    let spec = pod.pod.spec.init_containers.iter().chain(&pod.pod.spec.containers).find(|c| c.name == s.container);
    let mut lines = Vec::new();
    if let Some(probe_kind) = s.probe {
        let kind = probe_kind.as_str();
        let threshold = spec
            .and_then(|c| {
                if probe_kind == ProbeKind::Liveness {
                    c.liveness_probe.as_ref()
                } else {
                    c.startup_probe.as_ref()
                }
            })
            .map(|p| p.failure_threshold);
        let failed = probe.filter(|v| !v.ok).map(|v| v.streak);
        let count = match (failed, threshold) {
            (Some(n), Some(t)) => format!(" {n} times in a row (failureThreshold {t})"),
            (None, Some(t)) => format!(" failureThreshold {t} times in a row"),
            _ => String::new(),
        };
        lines.push(format!(
            "The {kind} probe failed{count}: the kubelet is stopping the container, then restarts it (grace period {})",
            go_duration(s.grace_ms)
        ));
    }
    let hook = spec.and_then(|c| c.lifecycle.pre_stop.as_ref());
    match (s.pre_stop_until, s.sigterm_ms, hook) {
        (Some(until), None, Some(h)) => lines.push(format!(
            "preStop hook {} running since {}; SIGTERM when it ends (at {})",
            hook_text(h),
            go_duration(s.since_ms),
            go_duration(until.min(s.sigkill_ms))
        )),
        (None, None, _) if !s.waiting_for.is_empty() => lines.push(format!(
            "SIGTERM waits for its turn: sidecars stop after the main containers, the last declared first (waiting for {}; at most until the grace period ends)",
            s.waiting_for.join(", ")
        )),
        (until, Some(t), _) => lines.push(format!(
            "{}SIGTERM sent at {}; the program has until the grace period ends to exit",
            hook.map(|h| if until.is_some_and(|u| u > now) {
                format!("preStop hook {} still running when the grace period ended; ", hook_text(h))
            } else {
                format!("preStop hook {} done; ", hook_text(h))
            })
            .unwrap_or_default(),
            go_duration(t)
        )),
        _ => {}
    }
    lines.push(format!(
        "SIGKILL in {} (at {}, grace period {}{})",
        seconds_until(s.sigkill_ms, now),
        go_duration(s.sigkill_ms),
        go_duration(s.grace_ms),
        if s.sigkill_ms > s.since_ms + s.grace_ms { " + the kubelet's 2s minimum after SIGTERM" } else { "" }
    ));
    lines
}

/// The Pod-level lines of a deletion under way: when it was asked for,
/// and which Services' EndpointSlices now list it as terminating.
pub fn deletion_lines<'a>(
    pod: &PodSnapshot,
    slices: impl Iterator<Item = &'a EndpointSliceSnapshot>,
    now: Millis,
) -> Vec<String> {
    let Some(deadline) = pod.server.deletion_ms else { return Vec::new() };
    let grace = pod.server.deletion_grace_period_seconds.unwrap_or(0).max(0) as Millis * SECOND_MS;
    let mut lines = vec![format!(
        "Deleted at {} (grace period {}): the kubelet stops its containers; the Pod object goes once they have exited{}",
        go_duration(deadline.saturating_sub(grace)),
        go_duration(grace),
        if now > deadline { " (past the deadline: its node has not confirmed)" } else { "" }
    )];
    let name = &pod.pod.metadata.name;
    for slice in slices.filter(|s| s.namespace == pod.pod.metadata.namespace) {
        if let Some(e) = slice.endpoints.iter().find(|e| &e.pod_name == name) {
            lines.push(format!(
                "Service {}: out of the ready endpoints (ready {}, serving {}, terminating {}); kube-proxy sends it no new requests{}",
                slice.service_name,
                e.ready,
                e.serving,
                e.terminating,
                if e.serving && !slice.endpoints.iter().any(|o| o.ready) {
                    ", unless no endpoint is ready (then it falls back to serving terminating ones)"
                } else {
                    ""
                }
            ));
        }
    }
    lines
}

/// A deleted Pod's trace: when it was deleted and how each container ended.
pub fn gone_lines(g: &Gone) -> Vec<String> {
    let p = &g.pod;
    let asked = p
        .server
        .deletion_ms
        .map(|d| d.saturating_sub(p.server.deletion_grace_period_seconds.unwrap_or(0).max(0) as Millis * SECOND_MS));
    let mut lines = vec![match asked {
        Some(t) => format!("deleted at {}, removed from the API at {}", go_duration(t), go_duration(g.removed_ms)),
        None => format!("removed from the API at {}", go_duration(g.removed_ms)),
    }];
    for c in p.status.init_container_statuses.iter().chain(&p.status.container_statuses) {
        if let ContainerState::Terminated(t) = &c.state {
            let after = asked
                .filter(|&a| t.finished_at_ms >= a)
                .map(|a| format!(" after {}", go_duration(t.finished_at_ms - a)));
            let deadline = p.server.deletion_ms.filter(|_| asked.is_some_and(|a| t.finished_at_ms >= a));
            let meaning = match deadline {
                Some(d) if t.exit_code == 137 && t.finished_at_ms >= d && t.reason != "OOMKilled" => {
                    "128 + 9: SIGKILL when the grace period ended (SIGTERM did not stop it)".to_string()
                }
                Some(d) if t.finished_at_ms < d => {
                    format!("{}, within the grace period", exit_meaning(t.exit_code, &t.reason))
                }
                _ => exit_meaning(t.exit_code, &t.reason),
            };
            lines.push(format!("{}: exit {}{} — {meaning}", c.name, t.exit_code, after.unwrap_or_default()));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::play::{Player, Scenario};

    /// An example with its story's timed actions.
    fn player(example: &str) -> Player {
        Player::new(Scenario::of_example(example, 1).unwrap()).unwrap().0
    }

    #[test]
    fn exit_codes_say_which_signal() {
        assert!(exit_meaning(143, "Error").contains("SIGTERM"));
        assert!(exit_meaning(137, "Error").contains("SIGKILL"));
        assert!(exit_meaning(137, "OOMKilled").contains("OOM"));
        assert_eq!(exit_meaning(130, "Error"), "128 + 2: ended by signal 2");
        assert_eq!(exit_meaning(1, "Error"), "the program's own exit code");
    }

    #[test]
    fn a_deletion_counts_down_to_sigkill_then_leaves_a_trace() {
        // graceful-deletion deletes both Pods at 10 s; no-handler ignores SIGTERM.
        let mut p = player("graceful-deletion");
        p.advance_to(25_000);
        let pod = p.pod("default", "no-handler").unwrap().clone();
        let s = p.sim().stopping("default", "no-handler");
        let lines = stopping_lines(&pod, &s[0], None, p.now());
        assert_eq!(
            lines,
            [
                "SIGTERM sent at 10s; the program has until the grace period ends to exit",
                "SIGKILL in 15s (at 40s, grace period 30s)"
            ]
        );
        let d = deletion_lines(&pod, std::iter::empty(), p.now());
        assert!(d[0].starts_with("Deleted at 10s (grace period 30s)"), "{d:?}");
        // with-handler traps SIGTERM and exits 0 at once: already gone.
        let gone: Vec<_> = p.gone().collect();
        assert_eq!(gone.len(), 1);
        let g = gone_lines(gone[0]);
        assert_eq!(g[0].split(',').next(), Some("deleted at 10s"), "{g:?}");
        assert!(g[1].starts_with("app: exit 0 after "), "{g:?}");
        assert!(g[1].ends_with(" — the program exited cleanly, within the grace period"), "{g:?}");
        p.advance_to(45_000);
        let g: Vec<_> = p.gone().map(gone_lines).collect();
        let killed = g.iter().find(|l| l[1].contains("exit 137")).expect("no-handler's trace");
        assert_eq!(
            killed[1],
            "app: exit 137 after 30s — 128 + 9: SIGKILL when the grace period ended (SIGTERM did not stop it)"
        );
        p.advance_to(45_000 + GONE_KEPT_MS);
        assert_eq!(p.gone().count(), 0, "traces are short-lived");
    }

    #[test]
    fn a_terminating_pod_is_out_of_its_services_ready_endpoints() {
        let mut p = player("deployment");
        p.advance_to(30_000);
        let name = p.pods().next().unwrap().pod.metadata.name.clone();
        p.act(&format!("delete pod/{name}")).unwrap();
        p.advance_to(30_050);
        let pod = p.pod("default", &name).unwrap().clone();
        let slice = p.slice_of("default", "nginx").map(|s| &**s);
        let d = deletion_lines(&pod, slice.into_iter(), p.now());
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[1].starts_with("Service nginx: out of the ready endpoints (ready false"), "{d:?}");
    }

    #[test]
    fn a_liveness_kill_says_which_probe_failed_how_often_and_the_grace() {
        // liveness-exec: /tmp/healthy goes at 30 s; the third failure (period 5 s) kills.
        let mut p = player("liveness-exec");
        p.advance_to(60_000);
        let pod = p.pods().next().unwrap().clone();
        let s = p.sim().stopping("default", "liveness-exec");
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].probe, Some(ProbeKind::Liveness), "the engine says which probe");
        let probe = p.probes("default/liveness-exec", "liveness")[1];
        let lines = stopping_lines(&pod, &s[0], probe, p.now());
        assert_eq!(
            lines[0],
            "The liveness probe failed 3 times in a row (failureThreshold 3): the kubelet is stopping the container, then restarts it (grace period 30s)"
        );
        assert!(lines[1].starts_with("SIGTERM sent at "), "{lines:?}");
        assert!(lines[2].starts_with("SIGKILL in "), "{lines:?}");
    }
}
