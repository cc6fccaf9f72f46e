//! Golden traces: each bundled example run through the CLI, compared byte for
//! byte with `tests/golden/NAME.txt`. The expected files were reviewed by eye
//! against what a real cluster shows; after an intended change, regenerate
//! them with `UPDATE_GOLDEN=1 cargo test --test golden` and review the diff.

use std::path::PathBuf;

fn run(args: &[&str]) -> String {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    podplay::cli::transcript(&args)
}

fn check(name: &str, args: &[&str]) {
    let actual = run(args);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{name}.txt"));
    let header = format!("$ podplay {}\n", args.join(" "));
    let actual = format!("{header}{actual}");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}; run UPDATE_GOLDEN=1 cargo test --test golden", path.display()));
    if expected != actual {
        let first = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{name}: trace differs from {} at line {}:\n  expected: {}\n  actual:   {}\n(UPDATE_GOLDEN=1 to accept after review)",
            path.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or("<end>"),
            actual.lines().nth(first).unwrap_or("<end>")
        );
    }
}

#[test]
fn liveness_exec_restarts_after_the_file_is_removed() {
    check("liveness-exec", &["run", "example:liveness-exec", "--until", "3m"]);
}

/// pkg/controller/cronjob/cronjob_controllerv2.go: Jobs named
/// `<cronjob>-<minutes since epoch>` at each scheduled minute, history
/// limits (`cleanupFinishedJobs`), Forbid (`JobAlreadyActive`) and
/// startingDeadlineSeconds; `printCronJob` rows.
#[test]
fn cronjob_schedules_jobs_keeps_history_and_forbids_overlap() {
    check("cronjob", &["run", "example:cronjob", "--until", "7m"]);
}

/// pkg/controller/disruption/disruption.go (ALLOWED DISRUPTIONS from the
/// Ready Pods and the Deployment's scale), the Eviction API's 429 and
/// `kubectl drain`'s retry 5 s later (staging/src/k8s.io/kubectl/pkg/drain/drain.go).
#[test]
fn pdb_drain_refuses_an_eviction_then_retries() {
    check(
        "pdb-drain",
        &[
            "run",
            "example:pdb-drain",
            "--until",
            "1m",
            "--at",
            "20s",
            "drain node node-1",
            "--at",
            "21s",
            "drain node node-2",
        ],
    );
}

#[test]
fn liveness_http_agnhost_fails_after_10s() {
    check("liveness-http", &["run", "example:liveness-http", "--until", "90s"]);
}

#[test]
fn tcp_liveness_readiness_goproxy() {
    check("tcp-liveness-readiness", &["run", "example:tcp-liveness-readiness", "--until", "60s"]);
}

#[test]
fn grpc_liveness_etcd() {
    check("grpc-liveness", &["run", "example:grpc-liveness", "--until", "60s"]);
}

#[test]
fn startup_probe_protects_a_slow_starter() {
    check("startup-probe", &["run", "example:startup-probe", "--until", "2m"]);
}

#[test]
fn init_containers_wait_for_services() {
    check(
        "init-containers",
        &[
            "run",
            "example:init-containers",
            "--at",
            "20s",
            "apply -f example:init-containers-services",
            "--until",
            "60s",
        ],
    );
}

#[test]
fn lifecycle_hooks_post_start_and_pre_stop() {
    check(
        "lifecycle-events",
        &["run", "example:lifecycle-events", "--at", "20s", "delete pod/lifecycle-demo", "--until", "60s"],
    );
}

#[test]
fn memory_limit_exceeded_is_oomkilled() {
    check("memory-limit-oom", &["run", "example:memory-limit-oom", "--until", "2m"]);
}

#[test]
fn two_containers_share_an_emptydir() {
    check("shared-volume", &["run", "example:shared-volume", "--wide"]);
}

#[test]
fn crashloop_backoff_doubles_to_five_minutes() {
    check("crashloop", &["run", "example:crashloop", "--until", "12m"]);
}

#[test]
fn job_style_pods_never_and_onfailure() {
    check("job-pods", &["run", "example:job-pods", "--until", "2m"]);
}

#[test]
fn job_with_backoff_limit_2_fails_after_three_pods() {
    check("job-backoff-limit", &["run", "example:job-backoff-limit", "--until", "60s"]);
}

#[test]
fn job_pod_failure_policy_failjob_fails_without_retries() {
    // kubernetes.io task "Handling retriable and non-retriable pod failures
    // with Pod failure policy": reason PodFailurePolicy, no retries.
    check("job-pod-failure-policy-failjob", &["run", "example:job-pod-failure-policy-failjob", "--until", "60s"]);
}

#[test]
fn job_pod_failure_policy_ignores_a_drained_pod() {
    // kubernetes.io task "Handling retriable and non-retriable pod failures
    // with Pod failure policy" (ignore Pod disruptions): the drained Pod gets
    // DisruptionTarget (EvictionByEvictionAPI), fails, and is not counted; the
    // Job completes with failed 0.
    check(
        "job-pod-failure-policy-ignore",
        &["run", "example:job-pod-failure-policy-ignore", "--until", "5m", "--at", "20s", "drain node node-1"],
    );
}

#[test]
fn job_of_3_completions_2_at_a_time_completes() {
    check("job-parallel", &["run", "example:job-parallel", "--until", "30s"]);
}

#[test]
fn indexed_job_pods_get_their_completion_index() {
    // kubernetes.io Job concept, "Completion mode" (Indexed): Pods
    // `<job>-<index>-<random>`, hostname `<job>-<index>`, JOB_COMPLETION_INDEX;
    // indexed_job_utils.go firstPendingIndexes (lowest pending index first).
    check("job-indexed", &["run", "example:job-indexed", "--until", "30s", "--logs"]);
}

#[test]
fn statefulset_pod_recreated_with_its_name_and_a_new_ip() {
    check(
        "statefulset-delete-pod",
        &["run", "example:statefulset", "--until", "60s", "--at", "40s", "delete pod/web-1", "--wide"],
    );
}

#[test]
fn graceful_deletion_with_and_without_sigterm_handler() {
    check(
        "graceful-deletion",
        &[
            "run",
            "example:graceful-deletion",
            "--at",
            "10s",
            "delete pod/no-handler",
            "--at",
            "10s",
            "delete pod/with-handler",
            "--until",
            "60s",
        ],
    );
}

#[test]
fn image_typo_err_image_pull_then_backoff() {
    check("image-pull-error", &["run", "example:image-pull-error", "--until", "2m"]);
}

#[test]
fn native_sidecar_starts_first_and_stops_last() {
    check("sidecar", &["run", "example:sidecar", "--at", "30s", "delete pod/app-with-sidecar", "--until", "70s"]);
}

#[test]
fn readiness_gates_endpoints_as_watch_json() {
    check("readiness-service-json", &["run", "example:readiness-service", "--until", "20s", "-o", "json"]);
}

#[test]
fn failing_init_container_fails_the_pod_or_backs_off() {
    check("init-fails", &["run", "tests/fixtures/init-fails.yaml", "--until", "60s"]);
}

#[test]
fn active_deadline_fails_the_pod() {
    check("active-deadline", &["run", "tests/fixtures/active-deadline.yaml", "--until", "60s"]);
}

#[test]
fn env_from_configmap_secret_and_fields() {
    check("env-config", &["run", "tests/fixtures/env-config.yaml", "--logs"]);
}

#[test]
fn missing_configmap_is_a_create_container_config_error_until_applied() {
    check(
        "missing-configmap",
        &[
            "run",
            "tests/fixtures/missing-configmap.yaml",
            "--until",
            "60s",
            "--at",
            "20s",
            "apply -f tests/fixtures/app-config.yaml",
            "--logs",
        ],
    );
}

#[test]
fn missing_configmap_volume_fails_to_mount_until_applied() {
    check(
        "missing-configmap-volume",
        &[
            "run",
            "tests/fixtures/missing-configmap-volume.yaml",
            "--until",
            "60s",
            "--at",
            "20s",
            "apply -f tests/fixtures/app-config.yaml",
            "--logs",
        ],
    );
}

#[test]
fn missing_configmap_volume_times_out_the_pod_sync() {
    check("missing-configmap-volume-wait", &["run", "tests/fixtures/missing-configmap-volume.yaml", "--until", "5m"]);
}

// Pod names a ReplicaSet generates come from the seeded RNG: the same seed
// and input give the same names, so these traces name Pods from the
// traces themselves (`nginx-deployment-dd84d54cb-rjhtn` with seed 1).

#[test]
fn deployment_pod_deleted_is_replaced_with_a_new_name_and_ip() {
    check(
        "deployment-replace-pod",
        &[
            "run",
            "example:deployment",
            "--until",
            "60s",
            "--wide",
            "--at",
            "30s",
            "delete pod/nginx-deployment-dd84d54cb-rjhtn",
        ],
    );
}

#[test]
fn deployment_scales_up_and_down_then_is_deleted() {
    check(
        "deployment-scale",
        &[
            "run",
            "example:deployment",
            "--until",
            "70s",
            "--at",
            "10s",
            "scale deployment/nginx-deployment --replicas=5",
            "--at",
            "30s",
            "scale deployment/nginx-deployment --replicas=2",
            "--at",
            "50s",
            "delete deployment/nginx-deployment",
        ],
    );
}

#[test]
fn rolling_update_waits_for_readiness() {
    check(
        "deployment-rolling-readiness",
        &[
            "run",
            "example:deployment",
            "--until",
            "90s",
            "--at",
            "20s",
            "set image deployment/nginx-deployment nginx=nginx:1.16.1",
        ],
    );
}

#[test]
fn rolling_update_without_readiness_probe() {
    check(
        "deployment-rolling-no-probe",
        &[
            "run",
            "tests/fixtures/deployment-no-probe.yaml",
            "--until",
            "60s",
            "--at",
            "20s",
            "set image deployment/web web=nginx:1.28",
        ],
    );
}

#[test]
fn rolling_update_to_a_bad_image_stalls() {
    check(
        "deployment-rolling-bad-image",
        &[
            "run",
            "tests/fixtures/deployment-no-probe.yaml",
            "--until",
            "90s",
            "--at",
            "20s",
            "set image deployment/web web=ngnix:1.28",
        ],
    );
}

#[test]
fn rollout_undo_after_a_bad_image() {
    check(
        "deployment-rollout-undo",
        &[
            "run",
            "tests/fixtures/deployment-no-probe.yaml",
            "--until",
            "60s",
            "--at",
            "10s",
            "set image deployment/web web=ngnix:1.28",
            "--at",
            "30s",
            "rollout undo deployment/web",
        ],
    );
}

#[test]
fn deployment_json_in_the_api_shape() {
    // The first second of a Deployment as watch events: the Deployment and
    // ReplicaSet objects, Pods with generateName and ownerReferences, events.
    check("deployment-json", &["run", "tests/fixtures/deployment-recreate.yaml", "--until", "1s", "-o", "json"]);
}

#[test]
fn recreate_stops_old_pods_before_new_ones_start() {
    check(
        "deployment-recreate",
        &[
            "run",
            "tests/fixtures/deployment-recreate.yaml",
            "--until",
            "40s",
            "--at",
            "10s",
            "rollout restart deployment/web",
        ],
    );
}

#[test]
fn a_replica_set_acquires_matching_bare_pods() {
    // kubernetes.io "ReplicaSet": Pods created after the ReplicaSet are
    // acquired and, the ReplicaSet being over its count, deleted; Pods
    // created before are acquired and only the rest is created.
    check(
        "replicaset-acquires-pods-after",
        &[
            "run",
            "tests/fixtures/replicaset-frontend.yaml",
            "--until",
            "30s",
            "--at",
            "10s",
            "apply -f tests/fixtures/pod-rs.yaml",
        ],
    );
    check(
        "replicaset-acquires-pods-before",
        &["run", "tests/fixtures/pod-rs.yaml", "tests/fixtures/replicaset-frontend.yaml", "--until", "30s"],
    );
}

#[test]
fn wrong_types_are_reported_with_line_and_column() {
    check("bad-manifest", &["run", "tests/fixtures/bad-pod.yaml"]);
}

#[test]
fn invalid_values_are_reported_like_the_api_server() {
    check("invalid-manifest", &["validate", "tests/fixtures/invalid-pod.yaml"]);
}

#[test]
fn single_container_pod_runs() {
    check("single-container", &["run", "example:single-container", "--until", "30s"]);
}

#[test]
fn ambassador_answers_the_app_on_localhost() {
    check("ambassador", &["run", "example:ambassador", "--until", "30s", "--logs"]);
}

#[test]
fn a_pod_too_big_for_every_node_stays_pending() {
    check("pending-resources", &["run", "example:pending-resources", "--until", "30s"]);
}

#[test]
fn prestop_drain_then_sigterm_within_the_long_grace_period() {
    check(
        "long-grace-period",
        &["run", "example:long-grace-period", "--at", "30s", "delete pod/slow-shutdown", "--until", "2m"],
    );
}

#[test]
fn pending_pod_schedules_when_a_node_is_added() {
    check(
        "pending-add-node",
        &[
            "run",
            "example:pending-add-node",
            "--wide",
            "--at",
            "30s",
            "add node node-4 cpu=8 memory=16Gi",
            "--until",
            "60s",
        ],
    );
}

#[test]
fn daemonset_follows_a_new_node() {
    check("daemonset", &["run", "example:daemonset", "--wide", "--at", "30s", "add node node-4", "--until", "60s"]);
}

/// kubernetes.io "Perform a Rolling Update on a DaemonSet": with
/// maxUnavailable 1 the controller (update.go `rollingUpdate`) deletes one
/// node's old Pod, `manage` creates the new one there once the old one is
/// gone, and the next node waits until that new Pod is available.
#[test]
fn daemonset_rolls_a_new_image_one_node_at_a_time() {
    check(
        "daemonset-rolling-update",
        &[
            "run",
            "example:daemonset-rolling-update",
            "--wide",
            "--at",
            "30s",
            "set image ds/fluentd-elasticsearch fluentd-elasticsearch=quay.io/fluentd_elasticsearch/fluentd:v2.6.0 -n kube-system",
            "--until",
            "60s",
        ],
    );
}

#[test]
fn stopped_node_evicts_after_the_default_toleration() {
    check(
        "node-failure",
        &["run", "example:node-failure", "--wide", "--at", "30s", "stop node node-a", "--until", "8m"],
    );
}

#[test]
fn taints_tolerations_affinity_and_cordon_in_failed_scheduling() {
    check("taints-tolerations", &["run", "example:taints-tolerations", "--wide", "--until", "30s"]);
}

#[test]
fn lint_reports_every_mistake_with_its_position_and_why() {
    check("lint-mistakes", &["lint", "tests/fixtures/lint-mistakes.yaml"]);
}

#[test]
fn lint_explains_a_rule() {
    check("lint-explain", &["lint", "--explain", "no-prestop"]);
}

#[test]
fn lint_refuses_invalid_manifests_with_their_errors() {
    check("lint-invalid", &["lint", "tests/fixtures/invalid-pod.yaml"]);
}

// Traffic: the same Deployment and Service rolled out at 30 s under 10
// requests a second. Without a readiness probe or a preStop hook requests
// fail (a new Pod is Ready before it listens; an old one stops listening
// while kube-proxy still sends it traffic); with them none does.
#[test]
fn traffic_rollout_without_probes_drops_requests() {
    check(
        "traffic-rollout-drops",
        &[
            "run",
            "example:traffic-rollout-drops",
            "--until",
            "90s",
            "--at",
            "30s",
            "set image deployment/web web=nginx:1.28",
        ],
    );
}

#[test]
fn traffic_rollout_with_readiness_and_pre_stop_drops_none() {
    check(
        "traffic-rollout-safe",
        &[
            "run",
            "example:traffic-rollout-safe",
            "--until",
            "90s",
            "--at",
            "30s",
            "set image deployment/web web=nginx:1.28",
        ],
    );
}

#[test]
fn traffic_to_pods_on_a_stopped_node_times_out_until_they_leave_the_endpoints() {
    // The action starts the client; the stopped node's Pod answers nothing
    // until the node controller marks it not Ready (50 s grace, then the
    // 5 s monitor pass) and kube-proxy drops it a second later.
    check(
        "traffic-node-failure",
        &[
            "run",
            "example:deployment",
            "--wide",
            "--until",
            "2m",
            "--at",
            "20s",
            "traffic svc/nginx 10/s",
            "--at",
            "30s",
            "stop node node-2",
        ],
    );
}

/// The log shipper's `tail -f` follows the app's file on the shared volume:
/// its log grows by a line every 5 s (BusyBox reads once a second).
#[test]
fn sidecar_tail_follows_the_shared_log() {
    check("sidecar-logs", &["run", "example:sidecar", "--until", "40s", "--logs"]);
}

#[test]
fn pod_info_files_from_downward_api_and_projected_volumes() {
    check("pod-info-files", &["run", "example:pod-info-files", "--until", "40s", "--logs"]);
}
