//! `spec.podFailurePolicy` of batch/v1 Jobs: the Job controller's
//! `matchPodFailurePolicy` (pkg/controller/job/pod_failure_policy.go) and
//! `validatePodFailurePolicy` (pkg/apis/batch/validation/validation.go).

mod common;
use common::sim_with;
use podplay::core::engine::Sim;
use podplay::core::manifest::parse_manifests;

/// A Job whose container `c` runs `command`, with these policy rules
/// (YAML, indented for `rules:`) and extra spec lines.
fn job(extra_spec: &str, init: &str, command: &str, rules: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {{name: j}}\nspec:\n{extra_spec}  podFailurePolicy:\n    rules:\n{rules}  template:\n    spec:\n      restartPolicy: Never\n{init}      containers:\n      - name: c\n        image: busybox:1.36\n        command: [\"sh\", \"-c\", \"{command}\"]\n"
    )
}

fn created(sim: &Sim) -> usize {
    sim.events().iter().filter(|e| e.reason == "SuccessfulCreate").count()
}

/// The Job's Failed condition (reason, message), if any.
fn failed(sim: &Sim) -> Option<(String, String)> {
    let job = &sim.jobs()[0];
    job.status.condition("Failed").map(|c| (c.reason.clone(), c.message.clone()))
}

fn pod_name(sim: &Sim) -> String {
    sim.pods()[0].pod.metadata.name.clone()
}

#[test]
fn an_ignored_exit_code_does_not_use_up_the_backoff_limit() {
    // kubernetes.io, Job concept "Pod failure policy": Ignore — "the counter
    // towards the .spec.backoffLimit is not incremented and a replacement Pod
    // is created". backoffLimit 0 would fail the Job at its first counted failure.
    let rules = "    - action: Ignore\n      onExitCodes: {operator: In, values: [3]}\n";
    let mut sim = sim_with(&job("  backoffLimit: 0\n", "", "sleep 1; exit 3", rules));
    sim.advance_to(60_000);
    let job = &sim.jobs()[0];
    assert_eq!(failed(&sim), None, "ignored failures never fail the Job");
    assert_eq!(job.status.failed, 0, "nonIgnoredFailedPodsCount leaves them out of status.failed");
    // The ignored failures still feed the back-off record (newBackoffRecord
    // takes every new failed Pod): replacements come 10 s, then 20 s, after
    // the previous Pod's finish, so three Pods by 60 s (the fourth is due at ~80 s).
    let mut times: Vec<u64> =
        sim.events().iter().filter(|e| e.reason == "SuccessfulCreate").map(|e| e.first_ms).collect();
    times.sort();
    assert_eq!(times.len(), 3, "{times:?}");
    assert!(times[1] - times[0] >= 10_000 && times[2] - times[1] >= 20_000, "{times:?}");
}

#[test]
fn count_is_the_default_and_the_first_matching_rule_wins() {
    // Exit 3 matches the Count rule at index 0 before the FailJob NotIn rule
    // at index 1: counted as usual, so backoffLimit 1 ends the Job after
    // the second failure with BackoffLimitExceeded, not PodFailurePolicy.
    let rules = "    - action: Count\n      onExitCodes: {operator: In, values: [3]}\n    - action: FailJob\n      onExitCodes: {operator: NotIn, values: [0]}\n";
    let mut sim = sim_with(&job("  backoffLimit: 1\n", "", "sleep 1; exit 3", rules));
    sim.advance_to(60_000);
    assert_eq!(failed(&sim).map(|f| f.0), Some("BackoffLimitExceeded".to_string()));
    assert_eq!(sim.jobs()[0].status.failed, 2);
    assert_eq!(created(&sim), 2);
}

#[test]
fn not_in_matches_any_other_non_zero_exit_code() {
    let rules = "    - action: FailJob\n      onExitCodes: {operator: NotIn, values: [1, 2]}\n";
    let mut sim = sim_with(&job("", "", "sleep 1; exit 5", rules));
    sim.advance_to(30_000);
    let name = pod_name(&sim);
    assert_eq!(
        failed(&sim),
        Some((
            "PodFailurePolicy".into(),
            format!("Container c for pod default/{name} failed with exit code 5 matching FailJob rule at index 0")
        ))
    );
    assert_eq!(created(&sim), 1, "no retry");
    assert!(sim.jobs()[0].status.condition("FailureTarget").is_some_and(|c| c.reason == "PodFailurePolicy"));
    let event = sim.events().iter().find(|e| e.reason == "PodFailurePolicy").expect("the Warning event");
    assert_eq!(event.type_.as_str(), "Warning");

    // Exit 1 is in the NotIn list: no rule matches, the failure is counted.
    let mut sim = sim_with(&job("  backoffLimit: 0\n", "", "sleep 1; exit 1", rules));
    sim.advance_to(30_000);
    assert_eq!(failed(&sim).map(|f| f.0), Some("BackoffLimitExceeded".to_string()));
}

#[test]
fn a_rule_for_another_container_does_not_match_but_one_for_the_init_container_does() {
    let init = "      initContainers:\n      - name: prep\n        image: busybox:1.36\n        command: [\"sh\", \"-c\", \"exit 0\"]\n";
    // The main container `c` exits 42; the rule names `prep`, which succeeded.
    let rules = "    - action: FailJob\n      onExitCodes: {containerName: prep, operator: In, values: [42]}\n";
    let mut sim = sim_with(&job("  backoffLimit: 0\n", init, "sleep 1; exit 42", rules));
    sim.advance_to(30_000);
    assert_eq!(failed(&sim).map(|f| f.0), Some("BackoffLimitExceeded".to_string()));

    // `matchOnExitCodes` looks at the init containers too.
    let failing_init = init.replace("exit 0", "exit 42");
    let mut sim = sim_with(&job("", &failing_init, "true", rules));
    sim.advance_to(30_000);
    let name = pod_name(&sim);
    assert_eq!(
        failed(&sim),
        Some((
            "PodFailurePolicy".into(),
            format!("Container prep for pod default/{name} failed with exit code 42 matching FailJob rule at index 0")
        ))
    );
}

#[test]
fn on_pod_conditions_match_the_failed_pods_conditions() {
    // A failed Pod is Ready=False (reason PodFailed): a FailJob rule on that
    // pattern matches, with `matchPodFailurePolicy`'s condition message.
    let rules = "    - action: FailJob\n      onPodConditions: [{type: Ready, status: \"False\"}]\n";
    let mut sim = sim_with(&job("", "", "sleep 1; exit 1", rules));
    sim.advance_to(30_000);
    let name = pod_name(&sim);
    assert_eq!(
        failed(&sim),
        Some((
            "PodFailurePolicy".into(),
            format!("Pod default/{name} has condition Ready matching FailJob rule at index 0")
        ))
    );
    // DisruptionTarget is never set by podplay: such a rule never matches,
    // and the failure is counted.
    let rules = "    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget}]\n"
        .replace("}]", ", status: \"True\"}]");
    let mut sim = sim_with(&job("  backoffLimit: 0\n", "", "sleep 1; exit 1", &rules));
    sim.advance_to(30_000);
    assert_eq!(failed(&sim).map(|f| f.0), Some("BackoffLimitExceeded".to_string()));
}

#[test]
fn pod_failure_policies_are_validated_with_line_and_column() {
    let rules = "    - action: FailIndex\n      onExitCodes: {containerName: nope, operator: In, values: [0, 3, 3, 1]}\n    - action: Retry\n      onExitCodes: {operator: Maybe, values: []}\n      onPodConditions: [{type: DisruptionTarget, status: Yes}]\n    - onPodConditions: [{type: \"bad type\", status: \"True\"}]\n    - action: Ignore\n";
    let text = job("", "", "true", rules).replace("restartPolicy: Never", "restartPolicy: OnFailure");
    let parsed = parse_manifests(&text);
    let got: Vec<String> = parsed.diagnostics.iter().map(ToString::to_string).collect();
    // Sorted by position, as podplay reports them.
    let want = [
        "line 7, column 15: spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set",
        "line 8, column 36: spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: \"nope\": must be one of the container or initContainer names in the pod template",
        "line 8, column 64: spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{0, 3, 3, 1}: must be ordered",
        "line 8, column 65: spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
        "line 8, column 71: spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3",
        "line 9, column 7: spec.podFailurePolicy.rules[1]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported",
        "line 9, column 15: spec.podFailurePolicy.rules[1].action: Unsupported value: \"Retry\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"",
        "line 10, column 31: spec.podFailurePolicy.rules[1].onExitCodes.operator: Unsupported value: \"Maybe\": supported values: \"In\", \"NotIn\"",
        "line 10, column 46: spec.podFailurePolicy.rules[1].onExitCodes.values: Invalid value: []int32{}: at least one value is required",
        "line 11, column 58: spec.podFailurePolicy.rules[1].onPodConditions[0].status: Unsupported value: \"Yes\": supported values: \"False\", \"True\", \"Unknown\"",
        "line 12, column 7: spec.podFailurePolicy.rules[2].action: Required value: valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]",
        "line 12, column 32: spec.podFailurePolicy.rules[2].onPodConditions[0].type: Invalid value: \"bad type\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "line 13, column 7: spec.podFailurePolicy.rules[3]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required",
        "line 16, column 22: spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified",
    ];
    assert_eq!(got, want, "for input:\n{text}");
    // A valid policy parses clean (it is no longer "not simulated").
    let ok = job(
        "",
        "",
        "true",
        "    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget, status: \"True\"}]\n",
    );
    assert!(parse_manifests(&ok).diagnostics.is_empty(), "{:?}", parse_manifests(&ok).diagnostics);
}

#[test]
fn with_a_policy_a_terminating_pod_is_replaced_only_once_it_is_gone() {
    // `onlyReplaceFailedPods`: a pod failure policy implies
    // podReplacementPolicy Failed, so a deleted Pod still holds its place
    // until it has terminated (busybox ignores SIGTERM: 30 s grace).
    let second_creation = |rules: &str| {
        let yaml = job("", "", "sleep 600", rules);
        let yaml = if rules.is_empty() { yaml.replace("  podFailurePolicy:\n    rules:\n", "") } else { yaml };
        let mut sim = sim_with(&yaml);
        sim.advance_to(10_000);
        let name = pod_name(&sim);
        common::act(&mut sim, &format!("delete pod/{name}"));
        sim.advance_to(60_000);
        let mut times: Vec<u64> =
            sim.events().iter().filter(|e| e.reason == "SuccessfulCreate").map(|e| e.first_ms).collect();
        times.sort();
        times[1]
    };
    let ignore_disruptions =
        "    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget, status: \"True\"}]\n";
    assert!(second_creation(ignore_disruptions) > 40_000, "waits for the old Pod to be gone");
    // Without: the deleted Pod counts as failed at once (TerminatingOrFailed)
    // and is replaced after the 10 s back-off, while it still terminates.
    assert!(second_creation("") < 25_000, "TerminatingOrFailed: replaced while terminating");
}

/// The Job of kubernetes.io's "Ignore Pod failures due to disruption"
/// shape: a long-running Pod, backoffLimit 0, and `rules` (indented for
/// `rules:`); the Pod's node is drained at 10 s. Returns the simulation at 3 min.
fn drained(rules: &str) -> Sim {
    let mut sim = sim_with(&job("  backoffLimit: 0\n", "", "sleep 600", rules));
    sim.advance_to(10_000);
    let node = sim.pods()[0].node_name.clone().expect("scheduled");
    common::act(&mut sim, &format!("drain node {node}"));
    sim.advance_to(180_000);
    sim
}

#[test]
fn a_drained_pod_matches_an_ignore_rule_on_disruption_target() {
    // kubernetes.io task "Handling retriable and non-retriable pod failures
    // with Pod failure policy", "Using Pod failure policy to ignore Pod
    // disruptions": the drained Pod gets DisruptionTarget (the Eviction
    // API), fails, and the Ignore rule keeps it out of backoffLimit; the
    // tracking finalizer lets the controller see the Pod's last status.
    let ignore = "    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget, status: \"True\"}]\n";
    let sim = drained(ignore);
    let job = &sim.jobs()[0];
    assert_eq!(failed(&sim), None, "ignored: the Job goes on");
    assert_eq!(job.status.failed, 0);
    assert_eq!(created(&sim), 2, "a replacement, on another node");
    assert_eq!(job.status.active, 1);

    // The same drain counts against backoffLimit 0 when no rule matches.
    let other = "    - action: FailJob\n      onExitCodes: {operator: In, values: [42]}\n";
    let sim = drained(other);
    assert_eq!(failed(&sim).map(|f| f.0), Some("BackoffLimitExceeded".to_string()));
    assert_eq!(sim.jobs()[0].status.failed, 1);
}

#[test]
fn an_on_pod_conditions_status_defaults_to_true() {
    // pkg/apis/batch/v1/defaults.go `SetDefaults_PodFailurePolicyOnPodConditionsPattern`:
    // kubernetes.io's job-pod-failure-policy-ignore.yaml leaves `status` out.
    let yaml = job("", "", "true", "    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget}]\n");
    let parsed = parse_manifests(&yaml);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let bad =
        job("", "", "true", "    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget, status: Maybe}]\n");
    let msgs: Vec<String> = parse_manifests(&bad).diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(msgs.iter().any(|m| m.contains("status: Unsupported value: \"Maybe\"")), "{msgs:?}");
}
