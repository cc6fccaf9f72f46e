use super::share::{Session, MAX_LINK_BYTES};
use super::*;
use crate::core::base64;
use crate::core::time::{MINUTE_MS, SECOND_MS};
use crate::examples;

fn scenario(example: &str) -> Scenario {
    Scenario { manifests: examples::find(example).unwrap().yaml.to_string(), seed: 1, actions: vec![] }
}

fn player(example: &str) -> Player {
    Player::new(scenario(example)).unwrap().0
}

/// Everything a viewer can see, to compare two runs.
fn trace(p: &Player) -> (Vec<WatchRow>, Timeline, Vec<Announcement>, u64) {
    (p.watch_rows().to_vec(), p.timeline().clone(), p.announcements().to_vec(), p.now())
}

#[test]
fn watch_rows_match_the_cli_trace() {
    // tests/golden/liveness-exec.txt: the Pod is Running at 1.834s and restarted at 1m16.25s.
    let mut p = player("liveness-exec");
    p.advance_to(3 * MINUTE_MS);
    let rows: Vec<(Millis, &str, &str)> =
        p.watch_rows().iter().map(|r| (r.time_ms, r.cells[2].as_str(), r.cells[3].as_str())).collect();
    assert_eq!(rows[0], (0, "Pending", "0"));
    assert!(rows.contains(&(1_834, "Running", "0")), "{rows:?}");
    assert!(rows.contains(&(76_250, "Running", "1 (1s ago)")), "{rows:?}");
    assert!(rows.iter().any(|r| r.1 == "CrashLoopBackOff"), "{rows:?}");
    // IP and NODE are filled once the sandbox is up.
    let last = &p.watch_rows().last().unwrap().cells;
    assert_eq!(last.len(), 7);
    assert!(last[5].starts_with("10.244."), "{last:?}");
    assert_eq!(last[6], "node-1");
}

#[test]
fn timeline_has_a_lane_per_pod_and_container_with_events_as_marks() {
    let mut p = player("liveness-exec");
    p.advance_to(3 * MINUTE_MS);
    let lanes = &p.timeline().lanes;
    assert_eq!(lanes.len(), 2);
    assert_eq!(lanes[0].key, "default/liveness-exec");
    assert_eq!(lanes[1].container.as_deref(), Some("liveness"));
    let states: Vec<LaneState> = lanes[0].segments.iter().map(|s| s.state).collect();
    assert_eq!(states[0], LaneState::Pending);
    assert!(states.contains(&LaneState::Ready));
    assert!(states.contains(&LaneState::Trouble), "CrashLoopBackOff is drawn as trouble: {states:?}");
    // Unhealthy events name the container (`spec.containers{liveness}`).
    assert!(lanes[1].marks.iter().any(|m| m.reason == "Unhealthy" && m.warning));
    assert!(lanes[0].marks.iter().any(|m| m.reason == "Scheduled"));
    // The segment under the playhead.
    assert_eq!(lanes[0].segment_at(10 * SECOND_MS).unwrap().label, "Running");
    // Pending and ContainerCreating at the same instant: the last one showed.
    assert_eq!(lanes[0].segment_at(0).unwrap().label, "ContainerCreating");
}

#[test]
fn seeking_back_replays_the_same_trace() {
    let mut a = player("crashloop");
    a.advance_to(4 * MINUTE_MS);
    let straight = trace(&a);
    a.seek(30 * SECOND_MS);
    assert_eq!(a.now(), 30 * SECOND_MS);
    assert!(a.watch_rows().iter().all(|r| r.time_ms <= 30 * SECOND_MS));
    a.seek(4 * MINUTE_MS);
    assert_eq!(trace(&a), straight);
}

#[test]
fn actions_are_recorded_and_replayed_at_their_time() {
    let mut p = player("graceful-deletion");
    p.advance_to(20 * SECOND_MS);
    let pod = p.pods().next().unwrap().pod.metadata.name.clone();
    p.act(&format!("delete pod/{pod}")).unwrap();
    assert_eq!(p.scenario().actions, vec![TimedAction { at_ms: 20 * SECOND_MS, text: format!("delete pod/{pod}") }]);
    p.advance_to(2 * MINUTE_MS);
    let after = trace(&p);
    assert!(after.0.iter().any(|r| r.type_ == WatchType::Deleted && r.cells[0] == pod));
    // Back to before the deletion and forward again: the deletion happens again.
    p.seek(5 * SECOND_MS);
    assert!(p.pod("default", &pod).is_some());
    p.seek(2 * MINUTE_MS);
    assert_eq!(trace(&p), after);
    // A fresh player given the recorded scenario gives the same trace.
    let (mut q, _) = Player::new(p.scenario().clone()).unwrap();
    q.advance_to(2 * MINUTE_MS);
    assert_eq!(trace(&q), after);
}

#[test]
fn acting_after_seeking_back_branches_the_run() {
    let mut p = player("readiness-service");
    p.advance_to(40 * SECOND_MS);
    p.act("kill pod/web -c nginx").unwrap();
    p.seek(10 * SECOND_MS);
    p.act("break pod/web -c nginx").unwrap();
    let texts: Vec<&str> = p.scenario().actions.iter().map(|a| a.text.as_str()).collect();
    assert_eq!(texts, ["break pod/web -c nginx"]);
}

#[test]
fn bad_actions_are_refused_with_the_reason() {
    let mut p = player("readiness-service");
    assert!(p.act("delete pod/nope").unwrap_err().contains("not found"));
    assert!(p.act("apply -f x.yaml").unwrap_err().contains("no files"));
    assert!(p.act("apply -f example:nope").unwrap_err().contains("no files"));
    assert!(p.act("kill pod/web").unwrap_err().contains("-c CONTAINER"));
    assert!(p.scenario().actions.is_empty());
}

#[test]
fn replayed_actions_that_fail_are_reported() {
    let mut s = scenario("readiness-service");
    s.actions.push(TimedAction { at_ms: 5 * SECOND_MS, text: "delete pod/ghost".into() });
    let (mut p, _) = Player::new(s).unwrap();
    p.advance_to(10 * SECOND_MS);
    assert_eq!(p.problems(), vec!["at 5s: delete pod/ghost: pods \"ghost\" not found".to_string()]);
}

#[test]
fn step_stops_at_the_next_visible_change() {
    let mut p = player("liveness-exec");
    let mut times = vec![];
    for _ in 0..4 {
        times.push(p.step());
    }
    // tests/golden/liveness-exec.txt: the sandbox at 1s, the image pulled
    // in 584ms (an event), the container Running at 1.834s.
    assert_eq!(&times[..3], &[1_000, 1_584, 1_834]);
    assert!(times.windows(2).all(|w| w[0] < w[1]));
    // Nothing left to happen: step stops at the horizon.
    let mut done = player("job-pods");
    done.advance_to(30 * MINUTE_MS);
    let before = done.now();
    let after = done.step();
    assert!(after > before);
}

#[test]
fn invalid_manifests_give_diagnostics_not_a_player() {
    let s = Scenario {
        manifests: "apiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name}\n".into(),
        seed: 1,
        actions: vec![],
    };
    let err = Player::new(s).err().unwrap();
    assert!(err.has_errors());
    assert!(err.errors().any(|d| d.pos.line == 3), "{:?}", err.diagnostics);
}

#[test]
fn announcements_say_each_status_change() {
    let mut p = player("crashloop");
    p.advance_to(MINUTE_MS);
    let texts: Vec<&str> = p.announcements().iter().map(|a| a.text.as_str()).collect();
    assert!(texts[0].ends_with("is Pending"), "{texts:?}");
    assert!(texts.iter().any(|t| t.ends_with("is CrashLoopBackOff")), "{texts:?}");
    assert!(texts.windows(2).all(|w| w[0] != w[1]), "no repeats: {texts:?}");
}

#[test]
fn every_example_runs_in_the_player() {
    for ex in examples::ALL {
        let (mut p, parsed) =
            Player::new(scenario(ex.name)).unwrap_or_else(|e| panic!("{}: {:?}", ex.name, e.diagnostics));
        assert!(!parsed.has_errors());
        p.advance_to(5 * MINUTE_MS);
        assert!(!p.watch_rows().is_empty() || p.services().next().is_some(), "{}", ex.name);
    }
}

// --- share links -------------------------------------------------------------

fn session() -> Session {
    let mut s = scenario("readiness-service");
    s.seed = 42;
    s.actions = vec![TimedAction { at_ms: 12_000, text: "break pod/web -c nginx".into() }];
    Session { scenario: s, time_ms: 30_000, example: Some("readiness-service".into()) }
}

#[test]
fn a_session_survives_a_share_link() {
    let s = session();
    let fragment = s.to_fragment().unwrap();
    assert!(fragment.starts_with("s="));
    assert!(fragment.bytes().all(|b| b.is_ascii_alphanumeric() || b"=-_".contains(&b)), "URL-safe");
    assert_eq!(Session::from_fragment(&format!("#{fragment}")).unwrap(), Some(s.clone()));
    assert_eq!(Session::from_json(&s.to_json()).unwrap(), s);
}

#[test]
fn hostile_links_are_refused_with_a_message() {
    assert_eq!(Session::from_fragment("").unwrap(), None);
    assert_eq!(Session::from_fragment("#section-2").unwrap(), None);
    let long = format!("s={}", "A".repeat(MAX_LINK_BYTES));
    assert!(Session::from_fragment(&long).unwrap_err().contains("over the 64 KiB"));
    assert!(Session::from_fragment("s=!!!").unwrap_err().contains("damaged"));
    let enc = |json: &str| format!("s={}", base64::encode_url(json.as_bytes()));
    assert!(Session::from_fragment(&enc("[1,2]")).unwrap_err().contains("not a JSON object"));
    assert!(Session::from_fragment(&enc("{\"v\":2}")).unwrap_err().contains("newer"));
    assert!(Session::from_fragment(&enc("{\"v\":1,\"manifests\":\"\",\"seed\":-1}")).unwrap_err().contains("seed"));
    let many: Vec<String> = (0..=MAX_ACTIONS).map(|i| format!("[{i},\"delete pod/a\"]")).collect();
    let json = format!("{{\"v\":1,\"manifests\":\"\",\"seed\":1,\"actions\":[{}]}}", many.join(","));
    assert!(Session::from_json(&json).unwrap_err().contains("at most 500 are accepted"));
    let bad_action = "{\"v\":1,\"manifests\":\"\",\"seed\":1,\"actions\":[[1,{\"x\":1}]]}";
    assert!(Session::from_json(bad_action).unwrap_err().contains("action"));
    // Markup in a link is kept as text (the page never renders it as HTML) and
    // an example name that is not a plain name is dropped.
    let markup = "{\"v\":1,\"manifests\":\"<script>alert(1)</script>\",\"seed\":1,\"example\":\"<img>\"}";
    let s = Session::from_json(markup).unwrap();
    assert_eq!(s.scenario.manifests, "<script>alert(1)</script>");
    assert_eq!(s.example, None);
}

#[test]
fn oversized_sessions_do_not_make_links() {
    let mut s = session();
    s.scenario.manifests = "# filler\n".repeat(8_000);
    assert!(s.to_fragment().unwrap_err().contains("shorten the manifests"));
}

// --- highlighting --------------------------------------------------------------

#[test]
fn highlighting_keeps_every_character() {
    for ex in examples::ALL {
        for l in ex.yaml.lines() {
            let joined: String = highlight::line(l).iter().map(|(_, s)| *s).collect();
            assert_eq!(joined, l);
        }
    }
    for l in ["", "-", "- - a", "a: 'unterminated", "\"k\\\"ey\": v", "x: [a, {b: c}] # c", "|", "key:"] {
        let joined: String = highlight::line(l).iter().map(|(_, s)| *s).collect();
        assert_eq!(joined, l);
    }
}

#[test]
fn highlighting_tells_keys_values_and_comments() {
    use highlight::Token::*;
    assert_eq!(
        highlight::line("  - name: web # the app"),
        vec![
            (Plain, "  "),
            (Punct, "-"),
            (Plain, " "),
            (Key, "name"),
            (Punct, ":"),
            (Plain, " "),
            (Plain, "web"),
            (Plain, " "),
            (Comment, "# the app")
        ]
    );
    assert_eq!(highlight::line("replicas: 3"), vec![(Key, "replicas"), (Punct, ":"), (Plain, " "), (Number, "3")]);
    assert_eq!(
        highlight::line("  optional: true"),
        vec![(Plain, "  "), (Key, "optional"), (Punct, ":"), (Plain, " "), (Constant, "true")]
    );
    assert_eq!(
        highlight::line("image: \"nginx:1.27\""),
        vec![(Key, "image"), (Punct, ":"), (Plain, " "), (String, "\"nginx:1.27\"")]
    );
    assert_eq!(highlight::line("---"), vec![(Punct, "---")]);
    assert_eq!(
        highlight::line("metadata: {name: web}"),
        vec![
            (Key, "metadata"),
            (Punct, ":"),
            (Plain, " "),
            (Punct, "{"),
            (Key, "name"),
            (Punct, ":"),
            (Plain, " "),
            (Plain, "web"),
            (Punct, "}")
        ]
    );
}

#[test]
fn backoff_countdown_comes_from_the_status() {
    // tests/golden/crashloop.txt: busybox exits at once; the kubelet waits
    // 10s, 20s, 40s… after each exit before the next start.
    let mut p = player("crashloop");
    let mut seen = vec![];
    while p.now() < 4 * MINUTE_MS {
        p.step();
        for pod in p.pods() {
            for c in &pod.status.container_statuses {
                if let Some(until) = backoff_until(c) {
                    let ContainerState::Terminated(t) = c.last_state.as_ref().unwrap() else { panic!() };
                    let gap = until - t.finished_at_ms;
                    if !seen.contains(&gap) {
                        seen.push(gap);
                    }
                }
            }
        }
    }
    assert_eq!(seen, [10_000, 20_000, 40_000, 80_000, 160_000]);
}

#[test]
fn probe_runs_are_ticks_and_explain_restarts() {
    // liveness-exec: periodSeconds 5, initialDelaySeconds 5; the file goes at ~31.8s.
    let mut p = player("liveness-exec");
    p.advance_to(50 * SECOND_MS);
    let lane = &p.timeline().lanes[1];
    let ticks: Vec<(Millis, bool)> = lane.probes.iter().map(|t| (t.at_ms, t.ok)).collect();
    // The worker ticks every period from the Pod's start; runs before the
    // initial delay has passed since the container started are skipped.
    assert_eq!(ticks[0], (10_000, true), "first run after the initial delay: {ticks:?}");
    assert!(ticks.windows(2).all(|w| w[1].0 - w[0].0 == 5_000), "one per period: {ticks:?}");
    assert!(ticks.iter().any(|t| !t.1));
    let views = p.probes("default/liveness-exec", "liveness");
    let live = views[ProbeKind::Liveness as usize].unwrap();
    assert!(!live.ok && live.streak >= 3, "{live:?}");
    assert!(views[ProbeKind::Readiness as usize].is_none());
    let pod = p.pod("default", "liveness-exec").unwrap().clone();
    let killing = p.events().iter().find(|e| e.reason == "Killing").unwrap();
    assert_eq!(
        explain(killing, &pod),
        "Killing: Container liveness failed liveness probe, will be restarted — acts after failureThreshold 3 × periodSeconds 5s"
    );
}

#[test]
fn applying_a_bundled_example_mid_run_releases_the_init_containers() {
    // kubernetes.io "Init Containers": the Pod waits in Init:0/2 until the
    // Services exist; applying them lets both init containers finish.
    let mut p = player("init-containers");
    p.advance_to(30 * SECOND_MS);
    let status = |p: &Player| crate::core::kubectl::pod_status_column(p.pod("default", "myapp-pod").unwrap());
    assert_eq!(status(&p), "Init:0/2");
    p.act("apply -f example:init-containers-services").unwrap();
    p.advance_to(2 * MINUTE_MS);
    assert_eq!(status(&p), "Running");
    assert_eq!(p.services().count(), 2);
}

#[test]
fn delete_by_selector_deletes_every_matching_pod_as_exercises_do() {
    let mut p = player("deployment");
    p.advance_to(30 * SECOND_MS);
    let before: Vec<String> = p.pods().map(|x| x.pod.metadata.name.clone()).collect();
    assert_eq!(before.len(), 3);
    p.act("delete pod -l app=nginx").unwrap();
    p.advance_to(2 * MINUTE_MS);
    let after: Vec<String> = p.pods().map(|x| x.pod.metadata.name.clone()).collect();
    assert_eq!(after.len(), 3, "the ReplicaSet replaced them");
    assert!(after.iter().all(|n| !before.contains(n)), "{before:?} → {after:?}");
    assert!(p.act("delete pod -l app=nope").unwrap_err().contains("No resources found"));
}

#[test]
fn a_bounded_advance_stops_early_and_says_so() {
    use crate::core::engine::{Sim, SimConfig};
    let mut sim = Sim::new(SimConfig::default());
    sim.apply(crate::core::manifest::parse_manifests(examples::find("liveness-exec").unwrap().yaml).objects);
    assert!(!sim.advance_within(MINUTE_MS, 3), "three timers do not reach a minute");
    assert!(sim.now() < MINUTE_MS);
    assert!(sim.advance_within(MINUTE_MS, 1_000_000));
    assert_eq!(sim.now(), MINUTE_MS);
    // The player never stalls on a normal run.
    let mut p = player("deployment");
    p.advance_to(30 * MINUTE_MS);
    assert_eq!(p.stalled(), None);
    assert_eq!(p.now(), 30 * MINUTE_MS);
}

fn rollout(example: &str) -> Player {
    let mut s = scenario(example);
    s.actions.push(TimedAction { at_ms: 30 * SECOND_MS, text: "set image deployment/web web=nginx:1.28".into() });
    Player::new(s).unwrap().0
}

#[test]
fn traffic_counters_and_changes_reach_the_page() {
    // The same runs as tests/golden/traffic-rollout-*.txt.
    let mut p = rollout("traffic-rollout-drops");
    p.advance_to(90 * SECOND_MS);
    let t = p.traffic();
    assert_eq!(t.len(), 1);
    assert_eq!((t[0].service.as_str(), t[0].sent, t[0].ok, t[0].failed), ("web", 844, 794, 50));
    assert_eq!(t[0].by_pod.len(), 6);
    let failing = p.traffic_changes().iter().filter(|c| matches!(c.kind, TrafficChangeKind::Failing { .. })).count();
    assert_eq!(failing, 3, "{:?}", p.traffic_changes());
    assert!(
        p.announcements().iter().any(|a| a.text.starts_with("Service web traffic failing: ")),
        "{:?}",
        p.announcements()
    );
    assert!(p.announcements().iter().any(|a| a.text.starts_with("Service web traffic recovered: ")));

    let mut safe = rollout("traffic-rollout-safe");
    safe.advance_to(90 * SECOND_MS);
    let t = safe.traffic();
    assert_eq!((t[0].sent, t[0].failed), (809, 0));
    assert!(safe.traffic_changes().iter().all(|c| matches!(c.kind, TrafficChangeKind::Started { .. })));
}

#[test]
fn traffic_replays_the_same_after_seeking_back() {
    let mut p = rollout("traffic-rollout-drops");
    p.advance_to(60 * SECOND_MS);
    let straight = (p.traffic(), p.traffic_changes().to_vec());
    p.seek(32 * SECOND_MS);
    assert!(p.traffic()[0].sent < straight.0[0].sent);
    p.seek(60 * SECOND_MS);
    assert_eq!((p.traffic(), p.traffic_changes().to_vec()), straight);
}

#[test]
fn traffic_action_from_the_page() {
    let mut p = player("deployment");
    p.advance_to(20 * SECOND_MS);
    assert!(p.traffic().is_empty());
    p.act("traffic svc/nginx 10/s").unwrap();
    p.advance_to(30 * SECOND_MS);
    assert_eq!(p.traffic()[0].sent, 100);
    assert_eq!(p.traffic()[0].failed, 0);
    assert!(p.act("traffic svc/nope 10/s").unwrap_err().contains("not found"));
    p.act("traffic svc/nginx off").unwrap();
    p.advance_to(40 * SECOND_MS);
    assert_eq!(p.traffic()[0].sent, 100);
    assert_eq!(p.scenario().actions.len(), 2, "the actions are recorded for replay and share links");
}

fn node<'a>(p: &'a Player, name: &str) -> &'a crate::core::engine::NodeSnapshot {
    p.nodes().iter().find(|n| n.name == name).unwrap()
}

#[test]
fn a_stopped_node_goes_not_ready_and_its_deployment_pod_is_replaced_on_another() {
    // tests/golden/node-failure.txt: stop node-a at 30s; NotReady at 1m25s;
    // TaintManagerEviction after the 300s default toleration.
    let mut p = player("node-failure");
    p.advance_to(30 * SECOND_MS);
    assert_eq!(p.nodes().len(), 2);
    assert_eq!(node(&p, "node-a").status_column(), "Ready");
    p.act("stop node node-a").unwrap();
    assert!(node(&p, "node-a").stopped, "the kubelet stopped at once");
    assert_eq!(node(&p, "node-a").status_column(), "Ready", "still Ready within the grace period");
    p.advance_to(8 * MINUTE_MS);
    let a = node(&p, "node-a");
    assert_eq!(a.status_column(), "NotReady");
    assert!(
        p.announcements().iter().any(|x| x.text == "Node node-a is NotReady" && x.time_ms == 85 * SECOND_MS),
        "{:?}",
        p.announcements()
    );
    assert!(a.taints.iter().any(|t| t.key == "node.kubernetes.io/unreachable" && t.effect.as_str() == "NoExecute"));
    assert_eq!(taint_text(&a.taints[0]), "node.kubernetes.io/unreachable:NoSchedule");
    let on_b: Vec<_> =
        p.pods().filter(|x| x.node_name.as_deref() == Some("node-b")).map(|x| x.pod.metadata.name.clone()).collect();
    assert!(on_b.iter().any(|n| n.starts_with("web-")), "the Deployment's Pod is replaced on node-b: {on_b:?}");
    // The evicted Pod says why, with the toleration the admission plugin added.
    let bare = p.pod("default", "bare").unwrap();
    let e = p.events().iter().rev().find(|e| e.involved.name == "bare" && e.reason == "TaintManagerEviction").unwrap();
    assert!(explain(e, bare).contains("tolerationSeconds 300"), "{}", explain(e, bare));
    let e = p.events().iter().find(|e| e.involved.name == "bare" && e.reason == "NodeNotReady").unwrap();
    assert!(explain(e, bare).contains("posted no status for 50s"), "{}", explain(e, bare));
    // The stop is part of the session: a replay from zero gets the same nodes.
    let nodes: Vec<_> = p.nodes().iter().map(|n| (**n).clone()).collect();
    p.seek(0);
    assert!(!node(&p, "node-a").stopped);
    p.seek(8 * MINUTE_MS);
    assert_eq!(p.nodes().iter().map(|n| (**n).clone()).collect::<Vec<_>>(), nodes);
}

#[test]
fn node_actions_with_no_watch_output_still_redraw() {
    let mut p = player("node-failure");
    p.advance_to(10 * SECOND_MS);
    let (rev, before) = (p.revision(), p.nodes()[1].clone());
    p.act("cordon node node-b").unwrap();
    assert!(p.revision() > rev, "cordon changes what the page shows");
    assert_eq!(node(&p, "node-b").status_column(), "Ready,SchedulingDisabled");
    assert!(!Rc::ptr_eq(&p.nodes()[1], &before));
    let a = p.nodes()[0].clone();
    p.act("uncordon node node-b").unwrap();
    assert!(Rc::ptr_eq(&p.nodes()[0], &a), "an unchanged node keeps its snapshot (no redraw)");
    p.act("add node node-c cpu=2 memory=4Gi").unwrap();
    assert_eq!(p.nodes().iter().map(|n| n.name.as_str()).collect::<Vec<_>>(), ["node-a", "node-b", "node-c"]);
    assert!(p.act("add node node-c").unwrap_err().contains("already exists"));
}

#[test]
fn a_refused_drain_keeps_its_cordon_in_the_session() {
    // kubectl drain cordons, then refuses a Pod with no controller without --force.
    let mut p = player("node-failure");
    p.advance_to(20 * SECOND_MS);
    let err = p.act("drain node node-a").unwrap_err();
    assert!(err.contains("--force"), "{err}");
    assert!(node(&p, "node-a").unschedulable);
    assert_eq!(p.scenario().actions.last().unwrap().text, "drain node node-a");
    p.seek(0);
    p.advance_to(30 * SECOND_MS);
    assert!(node(&p, "node-a").unschedulable, "the replay cordons too");
    assert!(
        p.problems().iter().any(|m| m.starts_with("at 20s: drain node node-a: ") && m.contains("--force")),
        "{:?}",
        p.problems()
    );
    p.act("drain node node-a --force").unwrap();
    p.advance_to(2 * MINUTE_MS);
    assert!(p.pods().all(|x| x.node_name.as_deref() != Some("node-a")), "every Pod left node-a");
}

#[test]
fn jobs_statefulsets_claims_and_daemonsets_reach_the_page() {
    let mut p = player("job-backoff-limit");
    p.advance_to(2 * MINUTE_MS);
    let job = p.jobs().next().unwrap().clone();
    let row = kubectl::job_row(&job, p.now(), false);
    assert_eq!((row[0].as_str(), row[1].as_str(), row[2].as_str()), ("fails", "Failed", "0/1"));
    let e = p.events().iter().find(|e| e.reason == "BackoffLimitExceeded").unwrap();
    assert_eq!(
        explain_job(e, &job),
        "BackoffLimitExceeded: Job has reached the specified backoff limit — 3 failed Pods, backoffLimit 2"
    );
    // An Indexed Job past its maxFailedIndexes says which indexes failed.
    let yaml = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: ix}\nspec:\n  completionMode: Indexed\n  completions: 3\n  parallelism: 3\n  backoffLimitPerIndex: 0\n  maxFailedIndexes: 0\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox, command: [sh, -c, 'sleep 2; exit 1']}]\n";
    let mut sim = crate::core::engine::Sim::new(crate::core::engine::SimConfig::default());
    sim.apply(parse_manifests(yaml).objects);
    sim.advance_to(30_000);
    let job = sim.jobs()[0].clone();
    let e = sim.events().iter().find(|e| e.reason == "MaxFailedIndexesExceeded").expect("the Warning event");
    assert_eq!(
        explain_job(e, &job),
        "MaxFailedIndexesExceeded: Job has exceeded the specified maximal number of failed indexes — failed indexes 0-2, backoffLimitPerIndex 0, maxFailedIndexes 0"
    );

    let mut p = player("job-parallel");
    p.advance_to(2 * MINUTE_MS);
    assert_eq!(kubectl::job_row(p.jobs().next().unwrap(), p.now(), false)[1], "Complete");

    let mut p = player("statefulset");
    p.advance_to(MINUTE_MS);
    assert_eq!(kubectl::statefulset_row(p.stateful_sets().next().unwrap(), p.now(), false)[1], "3/3");
    let claims: Vec<_> = p.claims().map(|c| c.name.as_str()).collect();
    assert_eq!(claims, ["www-web-0", "www-web-1", "www-web-2"]);
    p.act("delete statefulset/web").unwrap();
    p.advance_to(2 * MINUTE_MS);
    assert_eq!(p.stateful_sets().len(), 0);
    assert_eq!(p.claims().len(), 3, "claims outlive their StatefulSet");

    let mut p = player("daemonset");
    p.advance_to(30 * SECOND_MS);
    // The controller writes READY a hop after the last Pod is Ready (no output of its own).
    let ds = &p.daemon_sets()[0];
    assert_eq!((ds.status.desired, ds.status.ready), (3, 3));
    p.act("add node node-4").unwrap();
    p.advance_to(MINUTE_MS);
    let ds = &p.daemon_sets()[0];
    assert_eq!((ds.status.desired, ds.status.current), (4, 4));
}

#[test]
fn failed_scheduling_says_what_each_filter_means() {
    let mut p = player("taints-tolerations");
    p.advance_to(MINUTE_MS);
    let e = p.events().iter().find(|e| e.reason == "FailedScheduling").unwrap();
    let pod = p.pod("default", &e.involved.name).unwrap();
    let text = explain(e, pod);
    assert!(text.contains("cordoned nodes take no new Pods"), "{text}");
    assert!(text.contains("taints it tolerates"), "{text}");
    assert!(text.contains("do not fit"), "{text}");
}

#[test]
fn nodes_in_words() {
    use super::nodes::{cpu_text, memory_text, node_note, node_usage};
    assert_eq!((cpu_text(4000), cpu_text(250), cpu_text(0)), ("4".into(), "250m".into(), "0".into()));
    assert_eq!(
        (memory_text(8 << 30), memory_text(64 << 20), memory_text(0), memory_text(1000)),
        ("8Gi".into(), "64Mi".into(), "0".into(), "1000".into())
    );
    let mut p = player("node-failure");
    p.advance_to(20 * SECOND_MS);
    let b = node(&p, "node-b").clone();
    assert_eq!(node_note(&b), None);
    assert_eq!(node_usage(&b), "cpu 0 (0%) · memory 0 (0%) · 0/110 Pods");
    p.act("stop node node-a").unwrap();
    assert!(node_note(node(&p, "node-a")).unwrap().starts_with("Kubelet stopped: "));
    p.advance_to(2 * MINUTE_MS);
    assert!(node_note(node(&p, "node-a")).unwrap().contains("unreachable"));
    p.act("cordon node node-b").unwrap();
    assert_eq!(node_note(node(&p, "node-b")).unwrap(), "Cordoned: no new Pods are scheduled here.");
}

#[test]
fn every_example_has_a_menu_group() {
    for e in examples::ALL {
        assert_ne!(examples::group(e.name), "Other", "{} needs a group in examples::group", e.name);
    }
    for g in examples::GROUPS {
        assert!(examples::ALL.iter().any(|e| examples::group(e.name) == g), "{g} is empty");
    }
}

/// Every example's scenario (its comment's `--at` actions) plays in the
/// page without an action error, and does what its comment says.
#[test]
fn example_scenarios_play_without_errors() {
    for ex in examples::ALL {
        let s = Scenario::of_example(ex.name, 1).unwrap();
        assert_eq!(s.actions.len(), examples::scenario(ex.name).len(), "{}: every time parses", ex.name);
        let (mut p, _) = Player::new(s).unwrap();
        p.advance_to(8 * MINUTE_MS);
        assert!(p.problems().iter().all(|e| !e.starts_with("at ")), "{}: {:?}", ex.name, p.problems());
    }
    let (mut p, _) = Player::new(Scenario::of_example("node-failure", 1).unwrap()).unwrap();
    p.advance_to(2 * MINUTE_MS);
    assert_eq!(p.nodes().iter().find(|n| n.name == "node-a").unwrap().status_column(), "NotReady");
    assert!(Scenario::of_example("nope", 1).is_none());
}

#[test]
fn traffic_routes_follow_a_rollout_and_count_per_pod() {
    use crate::play::traffic::{routes, Route};
    let mut p = player("traffic-rollout-drops");
    p.advance_to(30 * SECOND_MS);
    let slice = p.slice_of("default", "web").unwrap().clone();
    let t = p.traffic().into_iter().find(|t| t.service == "web").unwrap();
    let before = routes(&slice, Some(&t));
    assert_eq!(before.endpoints.len(), 3);
    // (Requests fail at first: the Pods are Ready 3 s before they listen.)
    assert!(before.endpoints.iter().all(|e| e.route == Route::Ready && e.ok > 0), "{before:?}");
    assert_eq!(
        before.endpoints.iter().map(|e| e.ok + e.failed).sum::<u64>(),
        t.sent,
        "every request is counted on one endpoint"
    );
    let failed_before = t.failed;
    assert!(before.earlier.is_empty());
    p.act("set image deployment/web web=nginx:1.28").unwrap();
    // During the rollout: new Pods not ready yet, old ones terminating; neither gets traffic.
    let mut seen = std::collections::BTreeSet::new();
    for t in (30 * SECOND_MS..60 * SECOND_MS).step_by(250) {
        p.advance_to(t);
        let slice = p.slice_of("default", "web").unwrap().clone();
        seen.extend(routes(&slice, None).endpoints.iter().map(|e| (e.route.as_str(), e.route.gets_traffic())));
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), [("notready", false), ("ready", true), ("terminating", false)]);
    p.advance_to(2 * MINUTE_MS);
    let t = p.traffic().into_iter().next().unwrap();
    assert!(t.failed > failed_before, "the rollout drops requests: {t:?}");
    let slice = p.slice_of("default", "web").unwrap().clone();
    let after = routes(&slice, Some(&t));
    // The old Pods are gone: they are listed as earlier, with what they served.
    assert_eq!(after.endpoints.len(), 3);
    assert_eq!(after.earlier.len(), 3, "{after:?}");
    let shown: u64 = after.endpoints.iter().map(|e| e.ok + e.failed).sum::<u64>()
        + after.earlier.iter().map(|(_, ok, failed)| ok + failed).sum::<u64>();
    assert_eq!(shown, t.by_pod.iter().map(|c| c.ok + c.failed).sum::<u64>(), "each Pod's requests are shown once");
}

#[test]
fn traffic_words() {
    use crate::core::engine::{FailedRequest, Failure};
    use crate::play::traffic::{failure_rate, failure_words, traffic_action};
    assert_eq!(failure_rate(0, 0), "–");
    assert_eq!(failure_rate(200, 0), "0%");
    assert_eq!(failure_rate(8, 1), "12.5%");
    assert_eq!(failure_rate(3, 1), "33.3%");
    assert_eq!(failure_rate(5000, 1), "<0.1%");
    assert_eq!(failure_rate(4, 4), "100%");
    let f = FailedRequest { time_ms: 62_000, pod: Some("web-abc".into()), reason: Failure::Refused };
    assert_eq!(failure_words(&f), "at 1m2s, Pod web-abc: connection refused");
    let f = FailedRequest { time_ms: 500, pod: None, reason: Failure::NoEndpoints };
    assert_eq!(failure_words(&f), "at 500ms: connection refused (no endpoints)");
    assert_eq!(traffic_action("default", "web", Some("10/s")), "traffic svc/web 10/s");
    assert_eq!(traffic_action("shop", "web", None), "traffic svc/web off -n shop");
    for rate in crate::play::traffic::RATES {
        assert!(crate::session::parse(&traffic_action("shop", "web", Some(rate))).is_ok());
    }
}

#[test]
fn traffic_from_the_page_is_kept_in_the_session() {
    let mut p = player("traffic-rollout-safe");
    p.advance_to(20 * SECOND_MS);
    p.act("traffic svc/web off").unwrap();
    let sent = p.traffic()[0].sent;
    assert_eq!(p.traffic()[0].rate, None);
    p.advance_to(30 * SECOND_MS);
    assert_eq!(p.traffic()[0].sent, sent, "off: nothing more is sent");
    p.act("traffic svc/web 100/s").unwrap();
    p.advance_to(40 * SECOND_MS);
    let t = p.traffic()[0].clone();
    assert_eq!(t.sent - sent, 1000, "100 a second for 10 s");
    // A replay of the recorded actions gives the same counters.
    let mut again = Player::new(p.scenario().clone()).unwrap().0;
    again.advance_to(40 * SECOND_MS);
    assert_eq!(again.traffic(), p.traffic());
}

#[test]
fn timeline_zoom_keeps_the_anchor_and_stays_in_bounds() {
    use crate::play::zoom::*;
    // 10 minutes: zoom in up to 256× (the span never below 2 s: 600 s / 2 s = 300).
    let end = 10 * MINUTE_MS;
    assert_eq!(step(1.0, true, end), 2.0);
    assert_eq!(step(1.0, false, end), 1.0, "fit all is the widest view");
    assert_eq!(step(256.0, true, end), 256.0);
    assert_eq!(max_zoom(MINUTE_MS), 30.0, "a minute: 2 s in view at most zoom");
    assert_eq!(max_zoom(0), 1.0);
    // The time under the anchor stays under it: view 1000 px, anchor at 250 px.
    let s = anchored_scroll(1.0, 4.0, 0.0, 250.0, 1000.0);
    assert_eq!(s, 750.0);
    assert_eq!((s + 250.0) / 4000.0, 0.25);
    let back = anchored_scroll(4.0, 1.0, s, 250.0, 1000.0);
    assert_eq!(back, 0.0);
    // Never past either end.
    assert_eq!(anchored_scroll(2.0, 4.0, 1000.0, 1000.0, 1000.0), 3000.0);
    assert_eq!(anchored_scroll(2.0, 4.0, 0.0, 0.0, 1000.0), 0.0);
    assert_eq!(anchored_scroll(1.0, 2.0, 0.0, 10.0, 0.0), 0.0, "no width yet");
    // The playhead anchors when in view, else the middle.
    assert_eq!(playhead_anchor(2.0, 500.0, 1000.0, 0.5), 500.0);
    assert_eq!(playhead_anchor(2.0, 0.0, 1000.0, 0.9), 500.0);
    assert_eq!(visible(4.0, 1000.0, 1000.0), (0.25, 0.5));
    assert_eq!(visible(1.0, 0.0, 1000.0), (0.0, 1.0));
    // About eight labels in view at every zoom.
    assert_eq!(tick_step(end, 1000.0), 2 * MINUTE_MS);
    assert_eq!(tick_step(end / 64, 1000.0), 2 * SECOND_MS);
    assert_eq!(tick_step(4 * SECOND_MS, 1000.0), SECOND_MS);
    // A phone's narrow lanes get fewer labels (one per 64 px, at least 2).
    assert_eq!(tick_step(end, 130.0), 5 * MINUTE_MS);
    assert_eq!(tick_step(end, 0.0), 5 * MINUTE_MS);
    assert!(probe_slots(1.0) < probe_slots(8.0));
}

/// The latest event kept per Pod is the one a scan of all events finds
/// (the cluster view reads it instead of scanning every frame).
#[test]
fn latest_event_per_pod_matches_a_scan() {
    for name in ["liveness-exec", "crashloop", "deployment", "job-backoff-limit"] {
        let mut p = player(name);
        p.advance_to(4 * MINUTE_MS);
        for pod in p.pods() {
            let uid = pod.server.uid.as_str();
            let scanned = p.events().iter().filter(|e| e.involved.uid == uid).map(|e| e.last_ms).max();
            assert_eq!(p.latest_event(uid).map(|e| e.last_ms), scanned, "{name}: {}", pod.pod.metadata.name);
        }
    }
}
