//! `Sim::stopping`: the moments of a container's stop as the kubelet runs
//! it (Killing, preStop, SIGTERM, SIGKILL at the end of the grace period).

mod common;
use common::{act, sim_with};
use podplay::core::status::ContainerState;

fn pod(extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: web}}\nspec:\n  terminationGracePeriodSeconds: 10\n  containers:\n  - name: app\n{extra}"
    )
}

fn exit_code(sim: &podplay::core::engine::Sim) -> Option<i32> {
    let p = sim.pod("default", "web")?;
    match &p.status.container_statuses[0].state {
        ContainerState::Terminated(t) => Some(t.exit_code),
        _ => None,
    }
}

#[test]
fn a_pre_stop_hook_runs_then_sigterm_then_the_container_exits() {
    let mut sim = sim_with(&pod(
        "    image: nginx:1.27\n    lifecycle:\n      preStop:\n        exec:\n          command: [sleep, \"4\"]\n",
    ));
    sim.advance_to(20_000);
    assert!(sim.stopping("default", "web").is_empty(), "nothing stops before the deletion");
    act(&mut sim, "delete pod/web");
    sim.advance_to(21_000);
    let s = sim.stopping("default", "web");
    assert_eq!(s.len(), 1, "{s:?}");
    let s = &s[0];
    assert_eq!((s.container.as_str(), s.since_ms, s.grace_ms), ("app", 20_000, 10_000));
    assert_eq!(s.message, "Stopping container app");
    assert_eq!(s.probe, None, "a deletion, not a probe");
    assert_eq!(s.pre_stop_until, Some(24_000), "the hook sleeps 4 s");
    assert_eq!(s.sigterm_ms, None, "no SIGTERM while the hook runs");
    assert_eq!(s.sigkill_ms, 30_000);
    sim.advance_to(24_000);
    // nginx takes a moment to quit after SIGTERM.
    let s = sim.stopping("default", "web");
    assert_eq!(s.first().and_then(|s| s.sigterm_ms), Some(24_000), "{s:?}");
    sim.advance_to(25_000);
    assert!(sim.stopping("default", "web").is_empty(), "nginx quit on SIGTERM");
}

#[test]
fn a_program_that_ignores_sigterm_is_killed_when_the_grace_period_ends() {
    let mut sim = sim_with(&pod("    image: busybox:1.36\n    command: [sleep, \"3600\"]\n"));
    sim.advance_to(20_000);
    act(&mut sim, "delete pod/web");
    sim.advance_to(25_000);
    let s = sim.stopping("default", "web");
    assert_eq!(s.len(), 1, "sleep as PID 1 ignores SIGTERM: {s:?}");
    assert_eq!((s[0].sigterm_ms, s[0].sigkill_ms), (Some(20_000), 30_000));
    sim.advance_to(29_999);
    assert_eq!(sim.stopping("default", "web").len(), 1);
    sim.advance_to(30_000);
    assert!(sim.stopping("default", "web").is_empty());
    assert!(sim.pod("default", "web").is_none() || exit_code(&sim) == Some(137));
}

/// `executePreStopHook` waits for the hook at most the grace period; then
/// `killContainer` raises what is left (0) to `minimumGracePeriodInSeconds`:
/// SIGTERM at the deadline while the hook still runs, SIGKILL 2 s later
/// (kubernetes.io: "a small, one-off grace period extension of 2 seconds").
#[test]
fn a_hook_still_running_at_the_deadline_gets_sigterm_then_two_seconds_more() {
    // sleep as PID 1 ignores SIGTERM, so SIGKILL ends it.
    let mut sim = sim_with(&pod(
        "    image: busybox:1.36\n    command: [sleep, \"3600\"]\n    lifecycle:\n      preStop:\n        exec:\n          command: [sleep, \"30\"]\n",
    ));
    sim.advance_to(20_000);
    act(&mut sim, "delete pod/web");
    sim.advance_to(21_000);
    let s = sim.stopping("default", "web");
    assert_eq!((s[0].sigterm_ms, s[0].sigkill_ms), (None, 32_000), "grace 10 s + the 2 s window: {s:?}");
    sim.advance_to(30_000);
    let s = sim.stopping("default", "web");
    assert_eq!((s[0].sigterm_ms, s[0].sigkill_ms), (Some(30_000), 32_000), "SIGTERM at the deadline: {s:?}");
    assert!(s[0].pre_stop_until.is_some_and(|t| t > 30_000), "the hook still runs: {s:?}");
    sim.advance_to(31_999);
    assert_eq!(sim.stopping("default", "web").len(), 1);
    sim.advance_to(32_000);
    assert!(sim.stopping("default", "web").is_empty());
    assert!(sim.pod("default", "web").is_none() || exit_code(&sim) == Some(137));
}

/// nginx quits on the SIGTERM that the deadline brings, before SIGKILL.
#[test]
fn a_program_that_heeds_sigterm_exits_in_the_two_seconds_after_a_long_hook() {
    let mut sim = sim_with(&pod(
        "    image: nginx:1.27\n    lifecycle:\n      preStop:\n        exec:\n          command: [sleep, \"30\"]\n",
    ));
    sim.advance_to(20_000);
    act(&mut sim, "delete pod/web");
    sim.advance_to(31_000);
    assert!(sim.stopping("default", "web").is_empty(), "nginx quit on SIGTERM at 30 s");
    assert!(sim.pod("default", "web").is_none(), "and the Pod object is gone");
}
