//! Indexed Jobs (`spec.completionMode: Indexed`): the Job controller's index
//! bookkeeping (pkg/controller/job/indexed_job_utils.go and `manageJob` in
//! job_controller.go) and the API server's checks
//! (pkg/apis/batch/validation/validation.go); kubernetes.io Job concept,
//! "Completion mode".

mod common;
use common::{act, sim_with};
use podplay::core::engine::Sim;
use podplay::core::manifest::parse_manifests;
use podplay::core::status::PodPhase;

const INDEX_KEY: &str = "batch.kubernetes.io/job-completion-index";

/// An Indexed Job `ix` whose container `c` runs `command`, with extra spec lines.
fn indexed(extra_spec: &str, command: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {{name: ix}}\nspec:\n  completionMode: Indexed\n{extra_spec}  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: [\"sh\", \"-c\", \"{command}\"]\n"
    )
}

/// The completion index of each Pod the Job created, in creation order,
/// read from the `Created pod: <job>-<index>-<5 chars>` events.
fn created_indexes(sim: &Sim) -> Vec<i32> {
    let mut created: Vec<(u64, i32)> = sim
        .events()
        .iter()
        .filter(|e| e.reason == "SuccessfulCreate" && e.involved.kind == "Job")
        .map(|e| {
            let name = e.message.strip_prefix("Created pod: ").unwrap();
            let parts: Vec<&str> = name.rsplitn(3, '-').collect();
            (e.first_ms, parts[1].parse().unwrap())
        })
        .collect();
    created.sort();
    created.into_iter().map(|(_, ix)| ix).collect()
}

#[test]
fn indexed_pods_take_the_lowest_pending_indexes_up_to_parallelism() {
    // firstPendingIndexes: 0 and 1 first (parallelism 2), then 2, 3, 4 as
    // indexes complete; each Pod gets the annotation, the label, the env var
    // and the hostname `<job>-<index>` (manageJob, addCompletionIndexEnvVariables).
    let mut sim = sim_with(&indexed(
        "  completions: 5\n  parallelism: 2\n",
        "echo index $JOB_COMPLETION_INDEX host $(hostname) $HOSTNAME; sleep 2",
    ));
    sim.advance_to(3_000);
    assert_eq!(created_indexes(&sim), vec![0, 1]);
    for p in sim.pods() {
        let ix = &p.pod.metadata.annotations[INDEX_KEY];
        assert_eq!(p.pod.metadata.labels.get(INDEX_KEY), Some(ix), "PodIndexLabel");
        let prefix = format!("ix-{ix}-");
        assert_eq!(p.pod.metadata.generate_name.as_deref(), Some(prefix.as_str()), "podGenerateNameWithIndex");
        assert!(
            p.pod.metadata.name.starts_with(&prefix) && p.pod.metadata.name.len() == prefix.len() + 5,
            "{}",
            p.pod.metadata.name
        );
        assert_eq!(p.pod.spec.hostname, Some(format!("ix-{ix}")));
        let env = &p.pod.spec.containers[0].env;
        assert_eq!(env.len(), 1);
        assert_eq!(env[0].name, "JOB_COMPLETION_INDEX");
        assert!(
            matches!(&env[0].value_from, Some(podplay::core::api::EnvVarSource::Field { field_path }) if field_path == "metadata.labels['batch.kubernetes.io/job-completion-index']"),
            "{env:?}"
        );
    }
    sim.advance_to(60_000);
    assert_eq!(created_indexes(&sim), vec![0, 1, 2, 3, 4]);
    let job = &sim.jobs()[0];
    assert_eq!(job.status.completed_indexes, "0-4");
    assert_eq!(job.status.succeeded, 5);
    assert_eq!(job.status.condition("Complete").map(|c| c.reason.as_str()), Some("CompletionsReached"));
    let row = podplay::core::kubectl::job_row(job, 60_000, false);
    assert_eq!(row[1..3], ["Complete".to_string(), "5/5".to_string()]);
    // The container sees its index and its hostname (GeneratePodHostNameAndDomain).
    for p in sim.pods() {
        let ix = &p.pod.metadata.annotations[INDEX_KEY];
        let logs = sim.logs("default", &p.pod.metadata.name, "c").unwrap();
        assert_eq!(logs, vec![format!("index {ix} host ix-{ix} ix-{ix}")]);
    }
}

#[test]
fn completed_indexes_are_intervals_and_succeeded_counts_indexes() {
    // orderedIntervals.String: "0,2,3" is written "0,2,3" (two in a row
    // with a comma), "0-3" once three or more are consecutive.
    let mut sim = sim_with(&indexed(
        "  completions: 5\n  parallelism: 5\n",
        "if [ $JOB_COMPLETION_INDEX = 1 ]; then sleep 20; fi; sleep 1",
    ));
    sim.advance_to(8_000);
    let job = &sim.jobs()[0];
    assert_eq!(job.status.completed_indexes, "0,2-4");
    assert_eq!(job.status.succeeded, 4);
    assert_eq!(job.status.active, 1);
    assert_eq!(podplay::core::kubectl::job_row(job, 8_000, false)[1..3], ["Running".to_string(), "4/5".to_string()]);
    let json = podplay::core::json::job_json(job);
    assert_eq!(json["spec"]["completionMode"], "Indexed");
    assert_eq!(json["status"]["completedIndexes"], "0,2-4");
    assert_eq!(json["status"]["succeeded"], 4);
    sim.advance_to(60_000);
    assert_eq!(sim.jobs()[0].status.completed_indexes, "0-4");
    assert!(sim.jobs()[0].status.condition("Complete").is_some());
}

#[test]
fn a_failed_pods_index_is_retried_after_the_back_off_until_the_backoff_limit() {
    // Index 1 always fails (after the others succeeded: a failure in the
    // same second as a success would not count for the back-off,
    // newBackoffRecord): its Pods are re-created for index 1 only, 10 s
    // then 20 s after the failure (the Job-wide back-off record without
    // backoffLimitPerIndex); the third failure passes backoffLimit 2.
    let mut sim = sim_with(&indexed(
        "  completions: 3\n  parallelism: 3\n  backoffLimit: 2\n",
        "if [ $JOB_COMPLETION_INDEX = 1 ]; then sleep 3; exit 1; fi; sleep 1",
    ));
    sim.advance_to(120_000);
    assert_eq!(created_indexes(&sim), vec![0, 1, 2, 1, 1]);
    let job = &sim.jobs()[0];
    assert_eq!(job.status.completed_indexes, "0,2");
    assert_eq!(job.status.succeeded, 2);
    assert_eq!(job.status.failed, 3);
    assert_eq!(job.status.condition("Failed").map(|c| c.reason.as_str()), Some("BackoffLimitExceeded"));
    let failed: Vec<String> =
        sim.pods().iter().filter(|p| p.status.phase == PodPhase::Failed).map(|p| p.pod.metadata.name.clone()).collect();
    assert_eq!(failed.len(), 3);
    assert!(failed.iter().all(|n| n.starts_with("ix-1-")), "{failed:?}");
    let mut times: Vec<u64> =
        sim.pods().iter().filter(|p| p.pod.metadata.name.starts_with("ix-1-")).map(|p| p.server.creation_ms).collect();
    times.sort();
    assert!(times[1] - times[0] >= 10_000 && times[2] - times[1] >= 20_000, "{times:?}");
}

#[test]
fn a_deleted_pods_index_is_created_again_and_completes_once() {
    // Without a pod failure policy a deleted Pod counts as failed at once
    // (isPodFailed) and its index is pending again: a new Pod for index 0.
    // The old one ignores SIGTERM (busybox sh as PID 1) and is killed after
    // the grace period; index 0 completes once, with the new Pod.
    let mut sim = sim_with(&indexed("  completions: 2\n  parallelism: 2\n", "sleep 15"));
    sim.advance_to(3_000);
    let first = sim
        .pods()
        .into_iter()
        .find(|p| p.pod.metadata.annotations[INDEX_KEY] == "0")
        .unwrap()
        .pod
        .metadata
        .name
        .clone();
    act(&mut sim, &format!("delete pod/{first}"));
    sim.advance_to(120_000);
    assert_eq!(created_indexes(&sim), vec![0, 1, 0]);
    let job = &sim.jobs()[0];
    assert_eq!((job.status.succeeded, job.status.failed), (2, 1));
    assert_eq!(job.status.completed_indexes, "0,1");
    assert!(job.status.condition("Complete").is_some());
}

#[test]
fn a_pod_failure_policy_applies_to_indexed_pods() {
    // FailJob on exit code 42 (only index 2 exits so): the Job fails with
    // the PodFailurePolicy reason and the Pod's name in the message.
    let policy = "  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes: {operator: In, values: [42]}\n    - action: Ignore\n      onExitCodes: {operator: In, values: [3]}\n";
    let spec = format!("  completions: 3\n  parallelism: 3\n{policy}");
    let mut sim = sim_with(&indexed(&spec, "sleep 1; if [ $JOB_COMPLETION_INDEX = 2 ]; then exit 42; fi; sleep 30"));
    sim.advance_to(60_000);
    let job = &sim.jobs()[0];
    let failed = job.status.condition("Failed").expect("Failed");
    assert_eq!(failed.reason, "PodFailurePolicy");
    let pod = sim
        .pods()
        .into_iter()
        .find(|p| p.pod.metadata.annotations[INDEX_KEY] == "2")
        .unwrap()
        .pod
        .metadata
        .name
        .clone();
    assert_eq!(
        failed.message,
        format!("Container c for pod default/{pod} failed with exit code 42 matching FailJob rule at index 0")
    );
    // Ignore on exit code 3 (index 0 exits so every time): never counted,
    // so backoffLimit 0 is not reached; index 0 is retried after the
    // back-off while index 1 completes.
    let mut sim = sim_with(&indexed(
        &format!("  completions: 2\n  parallelism: 2\n  backoffLimit: 0\n{policy}"),
        "sleep 1; if [ $JOB_COMPLETION_INDEX = 0 ]; then exit 3; fi",
    ));
    sim.advance_to(45_000);
    let job = &sim.jobs()[0];
    assert_eq!(job.status.condition("Failed"), None, "ignored failures do not count against backoffLimit 0");
    assert_eq!(job.status.failed, 0);
    assert_eq!(job.status.completed_indexes, "1");
    let ix: Vec<i32> = created_indexes(&sim);
    assert_eq!(ix[..3], [0, 1, 0], "{ix:?}");
    assert!(ix[3..].iter().all(|&i| i == 0), "{ix:?}");
}

#[test]
fn a_long_job_name_is_cut_so_the_index_stays_in_the_generated_name() {
    // podGenerateNameWithIndex: `<job>-<index>-` longer than 58 characters
    // keeps the index and cuts the Job's name.
    let name = "a".repeat(57);
    let mut sim = sim_with(&indexed("  completions: 1\n", "true").replace("name: ix", &format!("name: {name}")));
    sim.advance_to(1_000);
    let pod = &sim.pods()[0].pod;
    let prefix = format!("{}-0-", &name[..55]);
    assert_eq!(pod.metadata.generate_name.as_deref(), Some(prefix.as_str()));
    assert_eq!(pod.spec.hostname, Some(format!("{name}-0")), "the hostname is not cut");
}

#[test]
fn indexed_jobs_are_validated_as_the_api_server_does() {
    let errors = |text: &str| parse_manifests(text).diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>();
    // SetDefaults_Job sets completions only when parallelism is unset too.
    assert!(errors(&indexed("", "true")).is_empty(), "{:?}", errors(&indexed("", "true")));
    assert_eq!(
        errors(&indexed("  parallelism: 2\n", "true")),
        ["line 5, column 19: spec.completions: Required value: when completion mode is Indexed"]
    );
    // ValidateJob: the last index's hostname must be a DNS label.
    let long = format!("a{}", "b".repeat(61));
    let text = indexed("  completions: 10\n", "true").replace("name: ix", &format!("name: {long}"));
    assert_eq!(
        errors(&text),
        [format!("line 3, column 18: metadata.name: Invalid value: \"{long}\": will not able to create pod with invalid DNS label: {long}-9")]
    );
    assert!(errors(&indexed("  completions: 10\n", "true").replace("name: ix", &format!("name: {}", &long[..61])))
        .is_empty());
    let text = indexed("  completions: 2\n", "true").replace("name: ix", "name: my.job");
    assert_eq!(errors(&text), ["line 3, column 18: metadata.name: Invalid value: \"my.job\": will not able to create pod with invalid DNS label: my.job-1"]);
    let big = errors(&indexed("  completions: 2\n  parallelism: 100001\n", "true"));
    assert!(big.iter().any(|e| e.ends_with("spec.parallelism: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed")), "{big:?}");
    let bad = errors(&indexed("", "true").replace("Indexed", "Ordered"));
    assert_eq!(bad, ["line 5, column 19: spec.completionMode: Unsupported value: \"Ordered\": supported values: \"NonIndexed\", \"Indexed\""]);
}

#[test]
fn the_bundled_example_completes_index_4_before_the_slow_index_3() {
    let mut sim = sim_with(podplay::examples::find("job-indexed").unwrap().yaml);
    sim.advance_to(17_500);
    let job = &sim.jobs()[0];
    assert_eq!(job.status.completed_indexes, "0-2,4");
    assert_eq!((job.status.succeeded, job.status.active), (4, 1));
    sim.advance_to(30_000);
    assert_eq!(sim.jobs()[0].status.completed_indexes, "0-4");
    assert_eq!(created_indexes(&sim), vec![0, 1, 2, 3, 4]);
}

// ---- backoffLimitPerIndex, maxFailedIndexes, FailIndex ---------------------

const FAILURE_COUNT_KEY: &str = "batch.kubernetes.io/job-index-failure-count";

/// The Pods of one index, oldest first.
fn pods_of_index(sim: &Sim, ix: &str) -> Vec<podplay::core::status::PodSnapshot> {
    let mut pods: Vec<_> = sim.pods().into_iter().filter(|p| p.pod.metadata.annotations[INDEX_KEY] == ix).collect();
    pods.sort_by_key(|p| p.server.creation_ms);
    pods
}

#[test]
fn backoff_limit_per_index_retries_each_index_then_fails_it() {
    // kubernetes.io Job concept, "Backoff limit per index": index 1 fails
    // twice (backoffLimitPerIndex 1: one retry), so it is in
    // status.failedIndexes; the others go on, and once every index is
    // finished the Job fails with FailedIndexes "Job has failed indexes"
    // (job_controller.go syncJob). The retry comes 10 s after the failure
    // (getRemainingTimePerIndex) and carries job-index-failure-count 1
    // (addIndexFailureCountAnnotation); the failed Pod is counted in
    // status.failed only once its replacement exists
    // (getPodsWithDelayedDeletionPerIndex).
    let spec = "  completions: 4\n  parallelism: 4\n  backoffLimitPerIndex: 1\n";
    let mut sim = sim_with(&indexed(spec, "sleep 2; if [ $JOB_COMPLETION_INDEX = 1 ]; then exit 1; fi; sleep 20"));
    sim.advance_to(8_000);
    let job = &sim.jobs()[0];
    assert_eq!(
        job.job.spec.backoff_limit,
        i32::MAX,
        "SetDefaults_Job: backoffLimit MaxInt32 with backoffLimitPerIndex"
    );
    assert_eq!(job.status.failed, 0, "the failed Pod waits for its replacement to be counted");
    assert_eq!(job.status.failed_indexes.as_deref(), Some(""));
    sim.advance_to(16_000);
    let ones = pods_of_index(&sim, "1");
    assert_eq!(ones.len(), 2);
    assert_eq!(ones[0].pod.metadata.annotations[FAILURE_COUNT_KEY], "0");
    assert_eq!(ones[1].pod.metadata.annotations[FAILURE_COUNT_KEY], "1");
    let first_finish = match &ones[0].status.container_statuses[0].state {
        podplay::core::status::ContainerState::Terminated(t) => t.finished_at_ms / 1000 * 1000,
        s => panic!("{s:?}"),
    };
    assert_eq!(ones[1].server.creation_ms, first_finish + 10_000);
    assert_eq!(sim.jobs()[0].status.failed, 1);
    sim.advance_to(20_000);
    let job = &sim.jobs()[0];
    assert_eq!(job.status.failed_indexes.as_deref(), Some("1"));
    assert!(job.status.condition("FailureTarget").is_none(), "the other indexes still run");
    assert_eq!(job.status.active, 3);
    sim.advance_to(60_000);
    let job = &sim.jobs()[0];
    assert_eq!(job.status.completed_indexes, "0,2,3");
    assert_eq!((job.status.succeeded, job.status.failed), (3, 2));
    let failed = job.status.condition("Failed").expect("Failed");
    assert_eq!((failed.reason.as_str(), failed.message.as_str()), ("FailedIndexes", "Job has failed indexes"));
    assert!(sim.events().iter().any(|e| e.reason == "FailedIndexes" && e.type_.as_str() == "Warning"));
    assert_eq!(pods_of_index(&sim, "1").len(), 2, "a failed index gets no more Pods");
    let json = podplay::core::json::job_json(job);
    assert_eq!(json["status"]["failedIndexes"], "1");
    assert_eq!(json["spec"]["backoffLimitPerIndex"], 1);
}

#[test]
fn max_failed_indexes_fails_the_job_at_once_and_deletes_the_running_pods() {
    // maxFailedIndexes 0: the first failed index is one too many —
    // MaxFailedIndexesExceeded, the running Pods are deleted.
    let spec = "  completions: 3\n  parallelism: 3\n  backoffLimitPerIndex: 0\n  maxFailedIndexes: 0\n";
    let mut sim = sim_with(&indexed(spec, "sleep 2; if [ $JOB_COMPLETION_INDEX = 2 ]; then exit 1; fi; sleep 60"));
    sim.advance_to(10_000);
    let job = &sim.jobs()[0];
    assert_eq!(job.status.failed_indexes.as_deref(), Some("2"));
    let target = job.status.condition("FailureTarget").expect("FailureTarget");
    assert_eq!(target.reason, "MaxFailedIndexesExceeded");
    assert_eq!(target.message, "Job has exceeded the specified maximal number of failed indexes");
    assert_eq!(sim.events().iter().filter(|e| e.reason == "SuccessfulDelete").count(), 2);
    sim.advance_to(60_000);
    let job = &sim.jobs()[0];
    assert_eq!(job.status.condition("Failed").map(|c| c.reason.as_str()), Some("MaxFailedIndexesExceeded"));
    assert_eq!(job.status.failed, 3, "the deleted Pods count as failed");
}

#[test]
fn fail_index_fails_only_that_index_and_ignore_does_not_use_up_its_retries() {
    // Pod failure policy FailIndex (exit 42, index 0): no retry for index 0.
    // Ignore (exit 3, index 1, first Pod only: the later ones find the
    // annotation job-index-ignored-failure-count): retried, counted as ignored.
    let policy = "  podFailurePolicy:\n    rules:\n    - action: FailIndex\n      onExitCodes: {operator: In, values: [42]}\n    - action: Ignore\n      onExitCodes: {operator: In, values: [3]}\n";
    let spec = format!("  completions: 3\n  parallelism: 3\n  backoffLimitPerIndex: 1\n{policy}");
    let cmd = "sleep 2; if [ $JOB_COMPLETION_INDEX = 0 ]; then exit 42; fi; if [ $JOB_COMPLETION_INDEX = 1 ]; then exit 3; fi; sleep 1";
    let mut sim = sim_with(&indexed(&spec, cmd));
    sim.advance_to(25_000);
    let job = &sim.jobs()[0];
    assert_eq!(pods_of_index(&sim, "0").len(), 1, "FailIndex: no retry");
    assert_eq!(job.status.failed_indexes.as_deref(), Some("0"));
    let ones = pods_of_index(&sim, "1");
    assert!(ones.len() >= 2, "Ignore: retried");
    assert_eq!(ones[1].pod.metadata.annotations[FAILURE_COUNT_KEY], "0", "an ignored failure is not counted");
    assert_eq!(ones[1].pod.metadata.annotations["batch.kubernetes.io/job-index-ignored-failure-count"], "1");
    assert_eq!(job.status.completed_indexes, "2");
    assert!(job.status.condition("Failed").is_none(), "index 1 is still pending");
}

#[test]
fn per_index_fields_are_validated_as_the_api_server_does() {
    let errors = |text: &str| {
        parse_manifests(text).diagnostics.iter().map(|d| format!("{}: {}", d.path, d.message)).collect::<Vec<_>>()
    };
    let nonindexed = indexed("  backoffLimitPerIndex: 1\n  maxFailedIndexes: 1\n", "true")
        .replace("  completionMode: Indexed\n", "");
    assert_eq!(
        errors(&nonindexed),
        [
            "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode",
            "spec.maxFailedIndexes: Invalid value: 1: requires indexed completion mode"
        ]
    );
    assert_eq!(
        errors(&indexed("  completions: 2\n  maxFailedIndexes: 1\n", "true")),
        ["spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified"]
    );
    assert_eq!(
        errors(&indexed("  completions: 2\n  backoffLimitPerIndex: 1\n  maxFailedIndexes: 3\n", "true")),
        ["spec.maxFailedIndexes: Invalid value: 3: must be less than or equal to completions"]
    );
    assert_eq!(
        errors(&indexed("  completions: 2\n  backoffLimitPerIndex: -1\n", "true")),
        ["spec.backoffLimitPerIndex: Invalid value: -1: must be greater than or equal to 0"]
    );
    let fail_index =
        "  podFailurePolicy:\n    rules:\n    - action: FailIndex\n      onExitCodes: {operator: In, values: [42]}\n";
    assert_eq!(
        errors(&indexed(&format!("  completions: 2\n{fail_index}"), "true")),
        ["spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set"]
    );
    assert!(errors(&indexed(&format!("  completions: 2\n  backoffLimitPerIndex: 0\n{fail_index}"), "true")).is_empty());
}

#[test]
fn an_on_pod_conditions_ignore_rule_keeps_a_drained_index_going() {
    // The pod failure policy's onPodConditions on an Indexed Job: the Pod of
    // index 0 is drained (DisruptionTarget, Eviction API), the Ignore rule
    // keeps it out of backoffLimit 0 and index 0 gets a new Pod.
    let policy =
        "  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onPodConditions: [{type: DisruptionTarget}]\n";
    let mut sim = sim_with(&indexed(&format!("  completions: 1\n  backoffLimit: 0\n{policy}"), "sleep 600"));
    sim.advance_to(10_000);
    let node = sim.pods()[0].node_name.clone().expect("scheduled");
    act(&mut sim, &format!("drain node {node}"));
    sim.advance_to(180_000);
    let job = &sim.jobs()[0];
    assert_eq!(job.status.condition("Failed"), None);
    assert_eq!(job.status.failed, 0);
    assert_eq!(created_indexes(&sim), vec![0, 0]);
    assert_eq!(job.status.active, 1);
}
