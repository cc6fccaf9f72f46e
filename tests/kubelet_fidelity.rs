//! Issue 15, items 2, 4, 5, 6 and 8: what the kubelet shows, each checked
//! against the kubelet source it follows (cited per test).

mod common;
use common::sim_with;
use podplay::core::engine::Sim;
use podplay::core::status::{ConditionType, ContainerState};

fn killing_messages(sim: &Sim) -> Vec<String> {
    sim.events().iter().filter(|e| e.reason == "Killing").map(|e| e.message.clone()).collect()
}

fn liveness_pod(policy: &str, second_container: bool) -> String {
    let mut s = format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: web}}\nspec:\n  restartPolicy: {policy}\n  containers:\n  - name: liveness\n    image: busybox:1.36\n    args: [/bin/sh, -c, \"touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600\"]\n    livenessProbe:\n      exec:\n        command: [cat, /tmp/healthy]\n      initialDelaySeconds: 5\n      periodSeconds: 5\n"
    );
    if second_container {
        s.push_str("  - name: other\n    image: busybox:1.36\n    command: [sleep, \"3600\"]\n");
    }
    s
}

/// computePodActions (`kuberuntime_manager.go`) adds ", will be restarted"
/// only when shouldRestartOnFailure; under Never with nothing else running it
/// kills the Pod, and killContainer's empty message becomes "Stopping container".
#[test]
fn a_liveness_kill_says_what_the_restart_policy_will_do() {
    let mut sim = sim_with(&liveness_pod("Always", false));
    sim.advance_to(90_000);
    assert_eq!(killing_messages(&sim)[0], "Container liveness failed liveness probe, will be restarted");

    let mut sim = sim_with(&liveness_pod("Never", false));
    sim.advance_to(90_000);
    assert_eq!(killing_messages(&sim), vec!["Stopping container liveness".to_string()]);

    let mut sim = sim_with(&liveness_pod("Never", true));
    sim.advance_to(90_000);
    assert_eq!(killing_messages(&sim)[0], "Container liveness failed liveness probe");
}

/// prober_manager.go UpdatePodStatus: a regular init container that exited 0
/// is ready; GeneratePodInitializedCondition gives a Succeeded Pod's
/// Initialized condition the reason PodCompleted.
#[test]
fn finished_init_containers_are_ready_and_a_succeeded_pod_is_pod_completed() {
    let mut sim = sim_with(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  restartPolicy: Never\n  initContainers:\n  - name: init\n    image: busybox:1.36\n    command: [\"true\"]\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sleep, \"5\"]\n",
    );
    sim.advance_to(60_000);
    let p = sim.pod("default", "web").unwrap();
    assert!(p.status.init_container_statuses[0].ready, "{:?}", p.status.init_container_statuses[0]);
    let init = p.status.conditions.iter().find(|c| c.type_ == ConditionType::Initialized).unwrap();
    assert!(init.status);
    assert_eq!(init.reason.as_deref(), Some("PodCompleted"));
}

/// startContainer (`kuberuntime_container.go`): a failed postStart hook records
/// FailedPostStartHook with the hook runner's message (lifecycle/handlers.go),
/// kills the container and fails with ErrPostStartHook, which the reasonCache
/// shows as Waiting PostStartHookError (convertToAPIContainerStatuses).
#[test]
fn a_failed_post_start_hook_leaves_the_container_waiting_with_post_start_hook_error() {
    let mut sim = sim_with(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: hook}\nspec:\n  terminationGracePeriodSeconds: 5\n  containers:\n  - name: app\n    image: nginx:1.27\n    lifecycle:\n      postStart:\n        exec:\n          command: [/bin/sh, -c, \"exit 1\"]\n",
    );
    let mut saw = None;
    for t in (0..8_000).step_by(100) {
        sim.advance_to(t);
        let p = sim.pod("default", "hook").unwrap();
        if let ContainerState::Waiting(w) = &p.status.container_statuses[0].state {
            if w.reason == "PostStartHookError" {
                saw = Some((w.message.clone().unwrap_or_default(), p.status.container_statuses[0].last_state.clone()));
                break;
            }
        }
    }
    let (message, last) = saw.expect("the container waits with PostStartHookError after the kill");
    assert!(
        message.starts_with("Exec lifecycle hook ([/bin/sh -c exit 1]) for Container \"app\" in Pod \"hook_default("),
        "{message}"
    );
    assert!(
        message.ends_with("failed - error: command '/bin/sh -c exit 1' exited with 1: , message: \"\""),
        "{message}"
    );
    assert!(matches!(last, Some(ContainerState::Terminated(_))), "{last:?}");
    let event = sim.events().iter().find(|e| e.reason == "FailedPostStartHook").unwrap();
    assert_eq!(event.message, message);
}

/// kubernetes.io `pods/multi-container/startup-coordination.yaml`: a sidecar's
/// startupProbe holds the app container until it succeeds
/// (computeInitContainerActions), then the probe result makes the kubelet
/// sync the Pod (handleProbeSync) and main-app starts.
#[test]
fn a_sidecar_startup_probe_holds_the_app_then_lets_it_start() {
    let mut sim = sim_with(
        r#"apiVersion: v1
kind: Pod
metadata:
  name: startup-coordination-example
spec:
  initContainers:
  - name: config-sidecar
    image: registry.k8s.io/busybox:1.27.2
    restartPolicy: Always
    command: ["sh", "-c", 'echo "greeting=hello" > /config/app.conf; while true; do sleep 3600; done']
    startupProbe:
      exec:
        command: ["test", "-f", "/config/app.conf"]
      periodSeconds: 2
    volumeMounts:
    - name: config
      mountPath: /config
  containers:
  - name: main-app
    image: registry.k8s.io/busybox:1.27.2
    command: ["sh", "-c", 'cat /config/app.conf; while true; do sleep 3600; done']
    volumeMounts:
    - name: config
      mountPath: /config
  volumes:
  - name: config
    emptyDir: {}
"#,
    );
    sim.advance_to(30_000);
    let p = sim.pod("default", "startup-coordination-example").unwrap();
    assert!(p.status.container_statuses[0].state.is_running(), "{:?}", p.status.container_statuses[0]);
    assert_eq!(
        sim.logs("default", "startup-coordination-example", "main-app").unwrap(),
        vec!["greeting=hello".to_string()]
    );
}

/// image_manager.go EnsureImageExists: `imagePullPolicy: Never` with no image
/// fails with ErrImageNeverPull at every sync; there is no pull, so no
/// ImagePullBackOff.
#[test]
fn a_missing_image_under_never_stays_err_image_never_pull() {
    let mut sim = sim_with(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: never}\nspec:\n  containers:\n  - name: app\n    image: example.com/missing:1\n    imagePullPolicy: Never\n",
    );
    for t in (1_000..60_000).step_by(500) {
        sim.advance_to(t);
        let p = sim.pod("default", "never").unwrap();
        match &p.status.container_statuses[0].state {
            ContainerState::Waiting(w) if w.reason == "ContainerCreating" && t < 2_000 => {}
            ContainerState::Waiting(w) => assert_eq!(w.reason, "ErrImageNeverPull", "at {t} ms"),
            s => panic!("at {t} ms: {s:?}"),
        }
    }
    let n = sim.events().iter().filter(|e| e.reason == "ErrImageNeverPull").map(|e| e.count).max().unwrap();
    assert!(n >= 5, "said again at each retry: {n}");
}

fn sidecars_pod(policy: &str) -> String {
    let sidecar = |name: &str| {
        format!(
            "  - name: {name}\n    image: busybox:1.36\n    restartPolicy: Always\n    command: [sh, -c, \"trap 'sleep 2; exit 0' TERM; while true; do sleep 1; done\"]\n"
        )
    };
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: web}}\nspec:\n  restartPolicy: {policy}\n  initContainers:\n{}{}  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, \"sleep 5\"]\n",
        sidecar("first"),
        sidecar("second")
    )
}

/// When each sidecar's container exited (its finishedAt), by name.
fn sidecar_exits(sim: &Sim) -> Vec<(String, u64)> {
    let p = sim.pod("default", "web").expect("the Pod stays");
    p.status
        .init_container_statuses
        .iter()
        .map(|s| match &s.state {
            ContainerState::Terminated(t) => (s.name.clone(), t.finished_at_ms),
            other => panic!("{} has not exited: {other:?}", s.name),
        })
        .collect()
}

/// newTerminationOrdering (`kuberuntime_termination_order.go`): once the
/// main containers have exited, each sidecar's SIGTERM waits for the sidecar
/// declared after it (e2e "should terminate sidecars in reverse order after
/// all main containers have exited"); the Killing events come at once
/// (killContainersWithSyncResult runs every killContainer together).
#[test]
fn sidecars_stop_in_reverse_order_after_the_main_containers_exit() {
    let mut sim = sim_with(&sidecars_pod("Never"));
    sim.advance_to(60_000);
    let exits = sidecar_exits(&sim);
    let first = exits.iter().find(|(n, _)| n == "first").unwrap().1;
    let second = exits.iter().find(|(n, _)| n == "second").unwrap().1;
    assert!(second < first, "the later sidecar stops first: {exits:?}");
    // Each takes ~2 s after its SIGTERM (its trap sleeps 2 s).
    assert!(first >= second + 2_000, "first got SIGTERM only once second had exited: {exits:?}");
    let kills: Vec<(String, u64)> =
        sim.events().iter().filter(|e| e.reason == "Killing").map(|e| (e.message.clone(), e.last_ms)).collect();
    assert_eq!(kills.len(), 2, "{kills:?}");
    assert_eq!(kills[0].1, kills[1].1, "both Killing events at once: {kills:?}");
}

/// The same ordering on deletion: the main container and every sidecar get
/// their Killing event at once; sidecars get SIGTERM in reverse order.
#[test]
fn a_deleted_pod_stops_its_sidecars_in_reverse_order() {
    let mut sim =
        sim_with(&sidecars_pod("Always").replace("sleep 5", "trap 'exit 0' TERM; while true; do sleep 1; done"));
    sim.advance_to(10_000);
    common::act(&mut sim, "delete pod/web");
    let waiting: Vec<(String, Vec<String>)> =
        sim.stopping("default", "web").into_iter().map(|s| (s.container, s.waiting_for)).collect();
    assert!(
        waiting.contains(&("first".to_string(), vec!["app".to_string(), "second".to_string()])),
        "first waits for app and second: {waiting:?}"
    );
    assert!(waiting.contains(&("second".to_string(), vec!["app".to_string()])), "{waiting:?}");
    // app's trap exits at its next loop turn; second gets SIGTERM then.
    sim.advance_to(11_500);
    let waiting: Vec<(String, Vec<String>)> =
        sim.stopping("default", "web").into_iter().map(|s| (s.container, s.waiting_for)).collect();
    assert!(waiting.contains(&("first".to_string(), vec!["second".to_string()])), "{waiting:?}");
    sim.advance_to(60_000);
    assert!(sim.pod("default", "web").is_none(), "all exited well within the grace period");
}
