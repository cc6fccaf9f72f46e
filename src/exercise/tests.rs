//! One passing and one failing case per check kind, and the parser's errors.

use super::*;

/// An exercise around `manifests` with one check (YAML, indented as a list
/// item) and optional actions, run for `until`.
fn exercise(manifests: &str, until: &str, actions: &str, check: &str) -> Exercise {
    let starting: String = manifests.lines().map(|l| format!("  {l}\n")).collect();
    let text = format!("title: t\nstory: s\nuntil: {until}\nstarting: |\n{starting}{actions}checks:\n{check}");
    match parse(&text) {
        Ok(e) => e,
        Err(errors) => panic!("{errors:?}\n{text}"),
    }
}

/// Runs `manifests` against one check; returns (passed, reason).
fn run_check(manifests: &str, until: &str, actions: &str, check: &str) -> (bool, String) {
    let ex = exercise(manifests, until, actions, check);
    let report = check_fn(&ex, manifests);
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    assert_eq!(report.results.len(), 1);
    let r = &report.results[0];
    (r.passed, r.reason.clone())
}

use super::check as check_fn;

/// The reason of a check that must pass.
fn pass(manifests: &str, until: &str, actions: &str, check: &str) -> String {
    let (ok, why) = run_check(manifests, until, actions, check);
    assert!(ok, "{why}");
    why
}

/// The reason of a check that must fail.
fn fail(manifests: &str, until: &str, actions: &str, check: &str) -> String {
    let (ok, why) = run_check(manifests, until, actions, check);
    assert!(!ok, "{why}");
    why
}

const NGINX: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: web
    image: nginx:1.27
";

const TYPO: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: web
    image: ngnix:1.27
";

const CRASH: &str = "apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - {name: web, image: busybox:1.36}
";

fn with_service(pod: &str) -> String {
    format!("apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec:\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n---\n{pod}")
}

#[test]
fn ready_passes_and_fails_with_the_time() {
    let check = "- {check: ready, pod: web, within: 30s, description: d}\n";
    let why = pass(NGINX, "1m", "", check);
    assert!(why.starts_with("web became Ready at "), "{why}");
    let why = fail(TYPO, "1m", "", check);
    assert_eq!(why, "web never became Ready in 1m0s (STATUS at the end: ImagePullBackOff)");
    // Ready, but after the limit: the reason gives both times.
    let slow = NGINX.replace("  labels: {app: web}\n", "  annotations: {podplay.dev/startup-seconds: \"20\"}\n")
        + "    readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}\n";
    let why = fail(&slow, "1m", "", "- {check: ready, pod: web, within: 10s, description: d}\n");
    assert!(why.contains(", after the 10s limit"), "{why}");
}

#[test]
fn ready_counts_a_deployments_pods() {
    let deploy = "apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
";
    let why = pass(deploy, "1m", "", "- {check: ready, deployment: web, within: 30s, description: d}\n");
    assert!(why.starts_with("3 of Deployment web's Pods"), "{why}");
    let why = fail(deploy, "1m", "", "- {check: ready, selector: app=web, count: 4, description: d}\n");
    assert!(why.starts_with("at most 3 of the 4 Pods wanted were Ready at once"), "{why}");
    let why = fail(deploy, "1m", "", "- {check: ready, deployment: nope, description: d}\n");
    assert!(why.starts_with("no Pod matched"), "{why}");
}

#[test]
fn restarts() {
    let check = "- {check: restarts, pod: web, description: d}\n";
    pass(NGINX, "2m", "", check);
    let why = fail(CRASH, "2m", "", check);
    assert!(why.starts_with("container web of web restarted "), "{why}");
    assert!(why.contains("it last terminated Completed with exit code 0"), "{why}");
    // Within a window, and with a budget.
    pass(CRASH, "2m", "", "- {check: restarts, pod: web, max: 100, description: d}\n");
}

#[test]
fn phase() {
    let job = |cmd: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: job}}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: job\n    image: busybox:1.36\n    command: [sh, -c, \"{cmd}\"]\n")
    };
    let check = "- {check: phase, pod: job, phase: Succeeded, description: d}\n";
    let why = pass(&job("sleep 2"), "1m", "", check);
    assert!(why.starts_with("job Succeeded at "), "{why}");
    let why = fail(&job("exit 3"), "1m", "", check);
    assert!(why.starts_with("job ended Failed at ") && why.ends_with(", not Succeeded"), "{why}");
    let why = fail(&job("sleep 600"), "1m", "", check);
    assert_eq!(why, "job was still Running at 1m0s, not Succeeded");
}

#[test]
fn order() {
    let pod = |first: &str, second: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: app}}\nspec:\n  initContainers:\n  - {{name: {first}, image: busybox:1.36, command: [sleep, '1']}}\n  - {{name: {second}, image: busybox:1.36, command: [sleep, '1']}}\n  containers:\n  - {{name: main, image: busybox:1.36, command: [sleep, '3600']}}\n"
        )
    };
    let check = "- {check: order, pod: app, first: a, then: b, description: d}\n";
    let why = pass(&pod("a", "b"), "1m", "", check);
    assert!(why.starts_with("a completed at ") && why.contains("before b started at"), "{why}");
    let why = fail(&pod("b", "a"), "1m", "", check);
    assert!(why.starts_with("b started at ") && why.contains(", before a completed at "), "{why}");
    let why = fail(&pod("a", "c"), "1m", "", check);
    assert_eq!(why, "app has no container named b");
}

#[test]
fn endpoints_at_a_time_and_over_a_window() {
    let svc = with_service(NGINX);
    let why = pass(&svc, "1m", "", "- {check: endpoints, service: web, at: 30s, description: d}\n");
    assert_eq!(why, "Service web had 1 ready endpoint at 30s");
    let why = fail(&svc, "1m", "", "- {check: endpoints, service: web, atLeast: 2, at: 30s, description: d}\n");
    assert_eq!(why, "Service web had 1 ready endpoint at 30s, not at least 2");
    // The Pod is deleted at 20s: the window sees the drop.
    let actions = "actions:\n- {at: 20s, do: delete pod/web}\n";
    let why = fail(&svc, "1m", actions, "- {check: endpoints, service: web, from: 10s, to: 40s, description: d}\n");
    assert!(why.starts_with("Service web dropped to 0 ready endpoints at 20s"), "{why}");
    pass(&svc, "1m", actions, "- {check: endpoints, service: web, atMost: 0, from: 21s, to: 1m, description: d}\n");
    let why = fail(&svc, "1m", "", "- {check: endpoints, service: nope, at: 1s, description: d}\n");
    assert_eq!(why, "there was no Service nope");
}

#[test]
fn scheduled() {
    let pod = |selector: &str| NGINX.replace("spec:\n", &format!("spec:\n  nodeSelector: {{{selector}}}\n"));
    let check = "- {check: scheduled, pod: web, node: node-3, within: 1s, description: d}\n";
    let why = pass(&pod("kubernetes.io/hostname: node-3"), "10s", "", check);
    assert_eq!(why, "web was scheduled to node-3 at 0s");
    let why = fail(&pod("disktype: ssd"), "10s", "", check);
    assert!(why.starts_with("web was never scheduled: 0/3 nodes are available: 3 node(s) didn't match"), "{why}");
    let why = fail(&pod("kubernetes.io/hostname: node-1"), "10s", "", check);
    assert_eq!(why, "web was scheduled to node-1, not node-3");
}

#[test]
fn running() {
    let why = pass(NGINX, "1m", "", "- {check: running, pod: web, within: 30s, description: d}\n");
    assert!(why.starts_with("web was running on node-1 at "), "{why}");
    let why = fail(TYPO, "1m", "", "- {check: running, pod: web, description: d}\n");
    assert_eq!(why, "web never ran (STATUS at the end: ImagePullBackOff)");
    let why = fail(NGINX, "1m", "", "- {check: running, pod: web, container: sidecar, description: d}\n");
    assert_eq!(why, "web has no container named sidecar");
}

#[test]
fn no_event() {
    let check = "- {check: noEvent, reason: BackOff, pod: web, description: d}\n";
    pass(NGINX, "1m", "", check);
    let why = fail(CRASH, "1m", "", check);
    assert!(
        why.starts_with("BackOff at ") && why.contains("on Pod/web: Back-off restarting failed container web"),
        "{why}"
    );
    // Without a target, any object's event counts; before `after` it does not.
    pass(CRASH, "1m", "", "- {check: noEvent, reason: BackOff, after: 59s, within: 1s, description: d}\n");
}

#[test]
fn no_termination() {
    let oom = "apiVersion: v1
kind: Pod
metadata: {name: hog}
spec:
  containers:
  - name: hog
    image: polinux/stress
    command: [stress]
    args: [--vm, '1', --vm-bytes, 250M, --vm-hang, '1']
    resources: {limits: {memory: 100Mi}}
";
    let check = "- {check: noTermination, reason: OOMKilled, description: d}\n";
    pass(NGINX, "1m", "", check);
    let why = fail(oom, "1m", "", check);
    assert!(
        why.starts_with("container hog of hog terminated OOMKilled at ") && why.contains("(exit code 137)"),
        "{why}"
    );
    // Any reason: a deletion ends the container.
    let actions = "actions:\n- {at: 10s, do: delete pod/web}\n";
    let why = fail(NGINX, "1m", actions, "- {check: noTermination, pod: web, description: d}\n");
    assert!(why.starts_with("container web of web terminated Completed at 10"), "{why}");
}

#[test]
fn image_pulled() {
    let check = "- {check: imagePulled, pod: web, description: d}\n";
    pass(NGINX, "1m", "", check);
    let why = fail(TYPO, "1m", "", check);
    assert!(
        why.starts_with("container web of web: ErrImagePull at ")
            && why.contains("Failed to pull image \"ngnix:1.27\""),
        "{why}"
    );
}

#[test]
fn log() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - {name: web, image: busybox:1.36, command: [sh, -c, 'echo hello there; sleep 3600']}\n";
    let why = pass(pod, "1m", "", "- {check: log, pod: web, container: web, contains: hello, description: d}\n");
    assert_eq!(why, "web/web logged \"hello there\"");
    let why = fail(pod, "1m", "", "- {check: log, pod: web, container: web, contains: bye, description: d}\n");
    assert_eq!(why, "the log of web in web has no line with \"bye\" at 1m0s: its last line is \"hello there\"");
}

#[test]
fn log_reads_the_live_pods_of_a_deployment() {
    let deploy = "apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: busybox:1.36, command: [sh, -c, 'echo up; sleep 3600']}]
";
    let actions = "actions:\n- {at: 10s, do: delete pod -l app=web}\n";
    let why =
        pass(deploy, "1m", actions, "- {check: log, deployment: web, container: web, contains: up, description: d}\n");
    assert!(why.ends_with("/web logged \"up\""), "{why}");
    let why = fail(deploy, "1m", actions, "- {check: log, pod: nope, container: web, contains: up, description: d}\n");
    assert_eq!(why, "there was no Pod named nope in 1m0s");
}

#[test]
fn delete_by_selector_deletes_every_match() {
    let svc = with_service(NGINX);
    let actions = "actions:\n- {at: 20s, do: delete pod -l app=web --grace-period=1}\n";
    let why = fail(&svc, "1m", actions, "- {check: endpoints, service: web, at: 30s, description: d}\n");
    assert_eq!(why, "Service web had 0 ready endpoints at 30s, not at least 1");
    let ex = exercise(
        &svc,
        "1m",
        "actions:\n- {at: 20s, do: delete pod -l app=nope}\n",
        "- {check: endpoints, service: web, at: 30s, description: d}\n",
    );
    let report = check_fn(&ex, &svc);
    assert_eq!(report.problems, vec!["at 20s: delete pod -l app=nope: No resources found".to_string()]);
}

#[test]
fn locked_objects_must_stay_as_they_were() {
    let svc = with_service(NGINX);
    let mut ex = exercise(&svc, "10s", "", "- {check: running, pod: web, description: d}\n");
    ex.editable = Editable::Objects(vec!["Pod/web".into()]);
    // Reformatted and commented: still the same object.
    let same = svc.replace(
        "metadata: {name: web}\nspec:\n  selector",
        "metadata:\n  name: web  # the Service\nspec:\n  selector",
    );
    assert!(check_fn(&ex, &same).locked.is_empty());
    let changed = svc.replace("ports: [{port: 80}]", "ports: [{port: 8080}]");
    assert_eq!(
        check_fn(&ex, &changed).locked,
        vec!["Service/web was changed, but this exercise lets you edit only Pod/web"]
    );
    let report = check_fn(&ex, NGINX);
    assert_eq!(report.locked, vec!["Service/web was removed, but this exercise lets you edit only Pod/web"]);
    assert!(!report.passed());
}

fn errors(text: &str) -> Vec<String> {
    match parse(text) {
        Ok(_) => panic!("parsed: {text}"),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

const MINIMAL: &str = "title: t\nstory: s\nuntil: 1m\nstarting: |\n  apiVersion: v1\n  kind: Pod\n  metadata: {name: web}\n  spec:\n    containers: [{name: web, image: nginx}]\n";

#[test]
fn parse_errors_have_line_and_column() {
    let bad = format!("{MINIMAL}checks:\n- check: ready\n  pod: web\n  within: soon\n  description: d\n");
    assert_eq!(errors(&bad), vec!["line 13, column 11: within: not a duration: \"soon\" (try 30s, 5m, 1m30s, 1h)"]);
    let bad = format!("{MINIMAL}checks:\n- check: redy\n  description: d\n");
    assert_eq!(
        errors(&bad),
        vec!["line 11, column 10: unknown check kind \"redy\": expected one of ready, restarts, phase, order, endpoints, scheduled, running, noEvent, noTermination, imagePulled, log, traffic"]
    );
    let bad = format!("{MINIMAL}checks:\n- check: ready\n  pod: web\n  description: d\n  whithin: 3s\n");
    assert!(
        errors(&bad)[0].starts_with("line 14, column 3: unknown field \"whithin\" for check ready"),
        "{:?}",
        errors(&bad)
    );
    let bad = format!("{MINIMAL}checks:\n- check: noEvent\n  reason: OOMKilled\n  description: d\n");
    assert!(errors(&bad)[0].contains("OOMKilled is a reason a container terminates with, not an event reason"));
    // An error in the starting manifests, at its place in the exercise file.
    let bad = MINIMAL.replace("image: nginx", "image: nginx, ports: [{containerPort: web}]")
        + "checks:\n- {check: running, pod: web, description: d}\n";
    let e = errors(&bad);
    assert_eq!(e, vec!["line 9, column 68: starting: spec.containers[0].ports[0].containerPort: expected an integer, got string \"web\""]);
    // YAML syntax.
    assert!(errors("title: [\n")[0].starts_with("line 2, column 1: YAML syntax error"), "{:?}", errors("title: [\n"));
}

#[test]
fn parse_rejects_missing_and_misplaced_fields() {
    let e = errors("title: t\n");
    assert!(e.iter().any(|e| e.contains("missing field \"starting\"")), "{e:?}");
    assert!(e.iter().any(|e| e.contains("missing field \"until\"")), "{e:?}");
    assert!(e.iter().any(|e| e.contains("missing field \"checks\"")), "{e:?}");
    assert_eq!(errors("- a\n- b\n")[0], "line 1, column 1: the exercise: expected a mapping, got array");
    assert_eq!(
        errors("a: 1\n---\nb: 2\n")[0],
        "line 3, column 1: an exercise is one YAML document; put the manifests in `starting: |`"
    );
    let two = format!("{MINIMAL}checks:\n- {{check: ready, pod: a, selector: b=c, description: d}}\n");
    assert_eq!(errors(&two), vec!["line 11, column 36: give only one of pod, selector or deployment"]);
    let late = format!("{MINIMAL}actions:\n- {{at: 2m, do: delete pod/web}}\nchecks:\n- {{check: running, pod: web, description: d}}\n");
    assert_eq!(errors(&late), vec!["line 11, column 8: at: 2m0s comes after until (1m0s)"]);
    let bad_action = format!("{MINIMAL}actions:\n- {{at: 2s, do: explode pod/web}}\nchecks:\n- {{check: running, pod: web, description: d}}\n");
    assert!(
        errors(&bad_action)[0].starts_with("line 11, column 16: do: unknown action `explode`"),
        "{:?}",
        errors(&bad_action)
    );
    let typo = format!("{MINIMAL}editable: [Pod/wbe]\nchecks:\n- {{check: running, pod: web, description: d}}\n");
    assert_eq!(errors(&typo), vec!["line 10, column 12: editable: starting has no object Pod/wbe (it has Pod/web)"]);
    let too_long =
        MINIMAL.replace("until: 1m", "until: 2h") + "checks:\n- {check: running, pod: web, description: d}\n";
    assert_eq!(errors(&too_long), vec!["line 3, column 8: until: 2h is past the 1h an exercise may simulate"]);
}

#[test]
fn reports_are_deterministic() {
    let ex = exercise(
        &with_service(NGINX),
        "1m",
        "actions:\n- {at: 20s, do: delete pod -l app=web}\n",
        "- {check: endpoints, service: web, from: 0s, to: 1m, description: d}\n",
    );
    assert_eq!(check_fn(&ex, &with_service(NGINX)), check_fn(&ex, &with_service(NGINX)));
}

#[test]
fn traffic_checks_parse_and_say_what_was_sent() {
    let ok = format!("{MINIMAL}checks:\n- check: traffic\n  service: web\n  maxFailed: 0\n  description: d\n");
    let e = crate::exercise::parse(&ok).unwrap();
    assert!(
        matches!(&e.checks[0].kind, CheckKind::Traffic { service, max_failed: Some(0), min_sent: 1, .. } if service == "web")
    );
    // The minimal exercise has no Service: the check fails and says why.
    let r = crate::exercise::check(
        &e,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: nginx}]\n",
    );
    assert!(r.results[0].reason.starts_with("no request was sent to Service web"), "{}", r.results[0].reason);
    let bad = format!("{MINIMAL}checks:\n- check: traffic\n  service: web\n  maxFailed: -1\n  description: d\n");
    assert_eq!(errors(&bad).len(), 1);
}
