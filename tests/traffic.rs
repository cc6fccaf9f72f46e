//! Simulated client traffic: kube-proxy's choice of endpoints, its
//! propagation delay, and what the chosen Pod does with the request.

mod common;
use common::{act, sim_with_seed};
use podplay::core::engine::{Failure, Sim, TrafficChangeKind, TrafficSnapshot, PROXY_SYNC_DELAY_MS};
use podplay::examples;
use podplay::session::parse_action;

fn traffic(sim: &Sim, service: &str) -> TrafficSnapshot {
    sim.traffic().into_iter().find(|t| t.service == service).expect("a traffic source")
}

fn served(t: &TrafficSnapshot, pod: &str) -> (u64, u64) {
    t.by_pod.iter().find(|p| p.pod == pod).map(|p| (p.ok, p.failed)).unwrap_or((0, 0))
}

/// Two bare nginx Pods behind a Service; `extra` goes into each Pod's spec
/// (after `containers`), `annotations` into its metadata.
fn two_pods(extra_container: &str) -> String {
    let mut y = String::from(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 80}]\n",
    );
    for name in ["a", "b"] {
        y.push_str(&format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, labels: {{app: web}}}}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n{extra_container}"
        ));
    }
    y
}

#[test]
fn kube_proxy_keeps_sending_to_a_deleted_pod_until_it_syncs() {
    let mut sim = sim_with_seed(&two_pods(""), 1);
    sim.advance_to(10_000);
    act(&mut sim, "traffic svc/web 100/s");
    sim.advance_to(20_000);
    let before = traffic(&sim, "web");
    assert_eq!(before.failed, 0, "two serving Pods: nothing fails");
    assert!(served(&before, "a").0 > 400 && served(&before, "b").0 > 400, "both Pods get traffic: {before:?}");
    // nginx exits 100 ms after SIGTERM; kube-proxy hears of the change 1 s later.
    act(&mut sim, "delete pod/a");
    sim.advance_to(20_000 + PROXY_SYNC_DELAY_MS);
    let during = traffic(&sim, "web");
    let lost = served(&during, "a").1;
    assert!(lost > 0, "requests sent to the stopped Pod before kube-proxy synced fail: {during:?}");
    assert_eq!(during.failed, lost, "only the deleted Pod's requests fail");
    sim.advance_to(40_000);
    let after = traffic(&sim, "web");
    assert_eq!(served(&after, "a"), served(&during, "a"), "after the sync no request goes to the deleted Pod");
    assert_eq!(after.failed, during.failed);
    assert!(!after.failing, "recovered");
    assert_eq!(after.sent, after.ok + after.failed);
}

#[test]
fn terminating_serving_endpoints_take_traffic_when_none_is_ready() {
    // Both Pods are deleted with a 10 s preStop sleep: they are terminating
    // but still serving, and kube-proxy falls back to them (KEP-1669).
    let pre_stop = "    lifecycle:\n      preStop:\n        exec:\n          command: [sleep, \"10\"]\n";
    let mut sim = sim_with_seed(&two_pods(pre_stop), 1);
    sim.advance_to(10_000);
    act(&mut sim, "traffic svc/web 10/s");
    act(&mut sim, "delete pod/a");
    act(&mut sim, "delete pod/b");
    sim.advance_to(19_000);
    let during = traffic(&sim, "web");
    assert!(during.sent >= 89, "{during:?}");
    assert_eq!(during.failed, 0, "the terminating Pods still serve: {during:?}");
    let slice = sim.endpoint_slices().into_iter().next().expect("a slice");
    assert!(slice.endpoints.iter().all(|e| !e.ready && e.serving && e.terminating), "{slice:?}");
    // Once both are gone (and kube-proxy knows), the Service has no endpoints.
    sim.advance_to(30_000);
    let after = traffic(&sim, "web");
    assert!(after.failed > 0);
    assert_eq!(after.last_failure.as_ref().map(|f| f.reason), Some(Failure::NoEndpoints));
    assert_eq!(after.last_failure.as_ref().unwrap().to_string(), "connection refused (no endpoints)");
}

#[test]
fn a_hung_app_times_out_and_recovery_is_reported() {
    let mut sim = sim_with_seed(&two_pods(""), 3);
    sim.advance_to(10_000);
    act(&mut sim, "traffic svc/web 20/s");
    while sim.poll_traffic().is_some() {}
    act(&mut sim, "break pod/a -c web");
    sim.advance_to(15_000);
    let t = traffic(&sim, "web");
    assert!(t.failed > 0 && t.failing);
    assert_eq!(t.last_failure.as_ref().map(|f| (f.pod.as_deref(), f.reason)), Some((Some("a"), Failure::Timeout)));
    let first = sim.poll_traffic().expect("a change");
    assert!(matches!(first.kind, TrafficChangeKind::Failing { .. }), "{first:?}");
    assert!(first.describe() == "failing: a: timed out", "{}", first.describe());
    assert!(sim.poll_traffic().is_none(), "one line for the failing spell, not one per request");
    act(&mut sim, "heal pod/a -c web");
    sim.advance_to(20_000);
    let rec = sim.poll_traffic().expect("recovery");
    match rec.kind {
        TrafficChangeKind::Recovered { failed, sent, .. } => {
            assert_eq!(failed, traffic(&sim, "web").failed);
            assert!(sent >= failed && sent <= 100, "{sent}");
        }
        other => panic!("expected recovery, got {other:?}"),
    }
}

#[test]
fn traffic_off_stops_sending_and_keeps_the_counters() {
    let mut sim = sim_with_seed(&two_pods(""), 1);
    sim.advance_to(10_000);
    act(&mut sim, "traffic svc/web 10/s");
    sim.advance_to(20_000);
    act(&mut sim, "traffic svc/web off");
    let t = traffic(&sim, "web");
    assert_eq!(t.sent, 100, "10 requests a second for 10 s, evenly spaced");
    assert_eq!(t.rate, None);
    sim.advance_to(60_000);
    assert_eq!(traffic(&sim, "web").sent, 100);
    assert!(sim.next_deadline().is_none_or(|t| t > 60_000));
}

#[test]
fn traffic_to_a_missing_or_headless_service_is_refused() {
    let headless = "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  clusterIP: None\n  selector: {app: db}\n  ports: [{port: 5432}]\n";
    let mut sim = sim_with_seed(headless, 1);
    let err = sim.act(&parse_action("traffic svc/db 10/s").unwrap()).unwrap_err();
    assert!(err.0.contains("headless"), "{err}");
    let err = sim.act(&parse_action("traffic svc/nope 10/s").unwrap()).unwrap_err();
    assert_eq!(err.0, "services \"nope\" not found");
    let bad = two_pods("")
        .replace("metadata: {name: web}", "metadata: {name: web, annotations: {podplay.dev/traffic: lots}}");
    let sim = sim_with_seed(&bad, 1);
    assert!(sim.traffic().is_empty());
    assert!(sim.notes().iter().any(|n| n.contains("podplay.dev/traffic") && n.contains("lots")), "{:?}", sim.notes());
}

#[test]
fn the_annotation_waits_for_a_ready_endpoint_kube_proxy_knows() {
    let yaml = two_pods("")
        .replace("metadata: {name: web}", "metadata: {name: web, annotations: {podplay.dev/traffic: 10/s}}");
    let mut sim = sim_with_seed(&yaml, 1);
    sim.advance_to(3_000);
    assert_eq!(traffic(&sim, "web").sent, 0, "no Pod is ready yet: the client waits");
    sim.advance_to(60_000);
    let started =
        std::iter::from_fn(|| sim.poll_traffic()).find(|c| matches!(c.kind, TrafficChangeKind::Started { .. }));
    let started = started.expect("a start");
    let ready_at = sim
        .pods()
        .iter()
        .filter_map(|p| p.status.condition(podplay::core::status::ConditionType::Ready).map(|c| c.last_transition_ms))
        .min()
        .expect("Ready Pods");
    assert_eq!(started.time_ms, ready_at + PROXY_SYNC_DELAY_MS);
    let t = traffic(&sim, "web");
    assert_eq!(t.failed, 0, "{t:?}");
    assert_eq!(t.sent, (60_000 - started.time_ms) / 100);
}

fn rollout_counters(example: &str, seed: u64, at_ms: u64) -> TrafficSnapshot {
    let mut sim = sim_with_seed(examples::find(example).unwrap().yaml, seed);
    sim.advance_to(at_ms);
    act(&mut sim, "set image deployment/web web=nginx:1.28");
    sim.advance_to(at_ms + 60_000);
    assert_eq!(sim.deployments()[0].status.updated_replicas, 3, "the rollout finished");
    traffic(&sim, "web")
}

#[test]
fn a_rollout_with_readiness_probes_and_a_pre_stop_sleep_drops_nothing() {
    // The preStop sleep (5 s) outlasts kube-proxy's delay (1 s): every old
    // Pod still listens when kube-proxy stops sending to it.
    for seed in 1..=6 {
        let at = 20_000 + seed * 1_337;
        let t = rollout_counters("traffic-rollout-safe", seed, at);
        assert!(t.sent > 400, "seed {seed}: {t:?}");
        assert_eq!(t.failed, 0, "seed {seed}: {t:?}");
        assert_eq!(t.by_pod.len(), 6, "seed {seed}: old and new Pods all served: {t:?}");
    }
}

#[test]
fn a_rollout_without_probes_or_pre_stop_drops_requests() {
    for seed in 1..=6 {
        let at = 20_000 + seed * 1_337;
        let t = rollout_counters("traffic-rollout-drops", seed, at);
        assert!(t.failed > 0, "seed {seed}: {t:?}");
        assert_eq!(t.sent, t.ok + t.failed);
    }
}

#[test]
fn a_readiness_probe_without_pre_stop_still_drops_at_termination() {
    // The readiness probe protects the start; only the preStop sleep covers
    // the time kube-proxy takes to stop sending to a terminating Pod.
    let yaml = examples::find("traffic-rollout-safe").unwrap().yaml;
    let no_pre_stop = yaml.replace(
        "        lifecycle:\n          preStop:\n            exec:\n              command: [\"sleep\", \"5\"]\n",
        "",
    );
    assert_ne!(yaml, no_pre_stop);
    let mut dropped = 0;
    for seed in 1..=4 {
        let mut sim = sim_with_seed(&no_pre_stop, seed);
        sim.advance_to(30_000);
        let before = traffic(&sim, "web").failed;
        assert_eq!(before, 0, "seed {seed}: the start is covered by the probe");
        act(&mut sim, "set image deployment/web web=nginx:1.28");
        sim.advance_to(120_000);
        let t = traffic(&sim, "web");
        assert!(t.last_failure.iter().all(|f| f.reason == Failure::Timeout || f.reason == Failure::Refused), "{t:?}");
        dropped += t.failed;
    }
    assert!(dropped > 0, "terminating Pods drop requests without a preStop hook");
}

#[test]
fn the_same_seed_gives_the_same_counters() {
    let a = rollout_counters("traffic-rollout-drops", 7, 30_000);
    let b = rollout_counters("traffic-rollout-drops", 7, 30_000);
    assert_eq!(a, b);
}

#[test]
fn an_hour_at_100_requests_a_second_stays_cheap() {
    let mut sim = sim_with_seed(examples::find("traffic-rollout-safe").unwrap().yaml, 1);
    sim.advance_to(10_000);
    act(&mut sim, "traffic svc/web 100/s");
    let steps = sim.steps();
    sim.advance_to(3_600_000);
    let t = traffic(&sim, "web");
    assert_eq!(t.failed, 0);
    assert!(t.sent >= 358_000, "{}", t.sent);
    // One timer per request, plus the probes (3 Pods every 2 s).
    assert!(sim.steps() - steps < t.sent + 10_000, "{} steps for {} requests", sim.steps() - steps, t.sent);
}

mod random {
    use super::*;
    use proptest::prelude::*;

    /// Runs the example with timed actions; the traffic counters at `until`.
    fn run(example: &str, seed: u64, actions: &[(u64, String)], until: u64) -> TrafficSnapshot {
        let mut sim = sim_with_seed(examples::find(example).unwrap().yaml, seed);
        for (at, text) in actions {
            sim.advance_to(*at);
            // A rollout action may be refused (e.g. undo without history): fine.
            let _ = sim.act(&parse_action(text).expect("generated action parses"));
        }
        sim.advance_to(until);
        traffic(&sim, "web")
    }

    fn action(verb: u8, arg: u8) -> String {
        match verb % 5 {
            0 => format!("set image deployment/web web=nginx:1.{}", 20 + arg % 5),
            1 => "rollout restart deployment/web".to_string(),
            2 => "rollout undo deployment/web".to_string(),
            3 => format!("scale deployment/web --replicas={}", 2 + arg % 4),
            _ => format!("delete pod/web-@{arg}"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// With a readiness probe and a preStop sleep longer than kube-proxy's
        /// delay, no mix of rollouts, undos, scaling (to 2 or more) and Pod
        /// deletions (with the full grace period, while another Pod is
        /// Ready: deleting the last one is an outage in any cluster) drops a
        /// request.
        #[test]
        fn probes_and_pre_stop_drop_nothing_whatever_happens(
            seed in 0u64..1_000_000,
            raw in prop::collection::vec((15u64..150, 0u8..5, 0u8..60), 1..6),
        ) {
            let mut raw = raw;
            raw.sort();
            let actions: Vec<(u64, String)> = raw.iter().map(|&(s, v, a)| (s * 1000, action(v, a))).collect();
            // `delete pod/web-@N` names no Pod: resolve it to a live one at run time.
            let mut sim = sim_with_seed(examples::find("traffic-rollout-safe").unwrap().yaml, seed);
            for (at, text) in &actions {
                sim.advance_to(*at);
                let text = match text.strip_prefix("delete pod/web-@") {
                    Some(n) => {
                        let live: Vec<String> = sim
                            .pods()
                            .into_iter()
                            .filter(|p| p.server.deletion_ms.is_none() && p.status.is_ready())
                            .map(|p| p.pod.metadata.name.clone())
                            .collect();
                        if live.len() < 2 {
                            continue;
                        }
                        format!("delete pod/{}", live[n.parse::<usize>().unwrap_or(0) % live.len()])
                    }
                    None => text.clone(),
                };
                let _ = sim.act(&parse_action(&text).expect("parses"));
            }
            sim.advance_to(240_000);
            let t = traffic(&sim, "web");
            prop_assert!(t.sent > 1_000);
            prop_assert_eq!(t.failed, 0, "{:?} after {:?}", t, actions);
            let by_pod: u64 = t.by_pod.iter().map(|p| p.ok + p.failed).sum();
            prop_assert_eq!(by_pod, t.sent);
        }

        /// Whatever happens, the counters add up and a replay gives the same ones.
        #[test]
        fn counters_add_up_and_replay_identically(
            seed in 0u64..1_000_000,
            raw in prop::collection::vec((0u64..150, 0u8..4, 0u8..60), 0..6),
        ) {
            let mut raw = raw;
            raw.sort();
            let mut actions: Vec<(u64, String)> = raw.iter().map(|&(s, v, a)| (s * 1000, action(v, a))).collect();
            actions.push((100_000, "stop node node-1".into()));
            actions.sort();
            let a = run("traffic-rollout-drops", seed, &actions, 200_000);
            let b = run("traffic-rollout-drops", seed, &actions, 200_000);
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(a.sent, a.ok + a.failed);
            let by_pod_failed: u64 = a.by_pod.iter().map(|p| p.failed).sum();
            prop_assert!(by_pod_failed <= a.failed);
            prop_assert_eq!(a.by_pod.iter().map(|p| p.ok).sum::<u64>(), a.ok);
        }
    }
}

#[test]
fn stopping_a_client_that_never_started_reports_nothing() {
    let yaml = two_pods("")
        .replace("metadata: {name: web}", "metadata: {name: web, annotations: {podplay.dev/traffic: 10/s}}");
    let mut sim = sim_with_seed(&yaml, 1);
    act(&mut sim, "traffic svc/web off");
    sim.advance_to(60_000);
    assert!(sim.poll_traffic().is_none());
    assert_eq!(traffic(&sim, "web").sent, 0);
}

#[test]
fn stopping_while_failing_says_so() {
    let mut sim = sim_with_seed(&two_pods(""), 1);
    sim.advance_to(10_000);
    act(&mut sim, "traffic svc/web 10/s");
    act(&mut sim, "break pod/a -c web");
    act(&mut sim, "break pod/b -c web");
    sim.advance_to(12_000);
    act(&mut sim, "traffic svc/web off");
    let lines: Vec<String> = std::iter::from_fn(|| sim.poll_traffic()).map(|c| c.describe()).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with("sending 10/s to 10.") && lines[0].ends_with(":80"), "{lines:?}");
    assert_eq!(lines[1], "failing: b: timed out");
    assert_eq!(lines[2], "stopped while failing: 20 of 20 requests failed since 10.1s");
}

#[test]
fn an_init_container_downloads_a_page_from_the_outside_world() {
    // kubernetes.io "Configure Pod Initialization": the init container
    // fetches http://info.cern.ch into a volume nginx serves. podplay's
    // outside world is a few stand-in sites; any other name is a bad address.
    let yaml = "
apiVersion: v1
kind: Pod
metadata: {name: init-demo}
spec:
  initContainers:
  - name: install
    image: busybox:1.28
    command: [wget, -O, /work-dir/index.html, http://info.cern.ch]
    volumeMounts: [{name: workdir, mountPath: /work-dir}]
  containers:
  - name: nginx
    image: nginx
    volumeMounts: [{name: workdir, mountPath: /usr/share/nginx/html}]
  - name: check
    image: busybox:1.28
    command: [sh, -c, 'sleep 10; wget -qO- http://localhost/; wget -q http://kubernetes.io/ || echo no internet; sleep 3600']
  volumes: [{name: workdir, emptyDir: {}}]
";
    let mut sim = sim_with_seed(yaml, 1);
    sim.advance_to(30_000);
    let pod = sim.pod("default", "init-demo").unwrap();
    assert_eq!(podplay::core::kubectl::pod_status_column(&pod), "Running");
    let install = sim.logs("default", "init-demo", "install").unwrap().join("\n");
    assert!(install.contains("Connecting to info.cern.ch (203.0.113.10:80)"), "{install}");
    let check = sim.logs("default", "init-demo", "check").unwrap().join("\n");
    assert!(
        check.contains("<h1>http://info.cern.ch - home of the first website</h1>"),
        "nginx serves the fetched page: {check}"
    );
    assert!(check.contains("wget: bad address 'kubernetes.io'") && check.contains("no internet"), "{check}");
}
