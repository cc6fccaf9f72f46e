//! The CronJob controller and the CronJob decoder through the public API.
//! Sources: pkg/controller/cronjob/cronjob_controllerv2.go (`syncCronJob`,
//! `cleanupFinishedJobs`), pkg/controller/cronjob/utils.go
//! (`mostRecentScheduleTime`, `getJobName`), pkg/apis/batch/validation
//! (`validateCronJobSpec`, `validateScheduleFormat`, `validateTimeZone`),
//! pkg/apis/batch/v1/defaults.go (`SetDefaults_CronJob`).

mod common;
use common::{act, sim_with};
use podplay::core::api::Object;
use podplay::core::engine::Sim;
use podplay::core::kubectl;
use podplay::core::manifest::parse_manifests;
use podplay::core::time::{EPOCH_UNIX_SECONDS, MINUTE_MS};

/// A CronJob `c` with these spec lines and a Job whose container runs `command`.
fn cron_yaml(spec: &str, restart: &str, command: &str) -> String {
    format!(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {{name: c}}\nspec:\n{spec}  jobTemplate:\n    metadata:\n      labels: {{team: a}}\n      annotations: {{note: x}}\n    spec:\n      template:\n        spec:\n          restartPolicy: {restart}\n          containers:\n          - name: c\n            image: busybox:1.36\n            command: [\"sh\", \"-c\", \"{command}\"]\n"
    )
}

fn job_names(sim: &Sim) -> Vec<String> {
    sim.jobs().iter().map(|j| j.job.metadata.name.clone()).collect()
}

fn reasons(sim: &Sim, reason: &str) -> Vec<String> {
    sim.events()
        .iter()
        .filter(|e| e.reason == reason && e.involved.kind == "CronJob")
        .map(|e| e.message.clone())
        .collect()
}

/// `getJobName`: the scheduled time in minutes since the Unix epoch.
fn minute(m: i64) -> String {
    format!("c-{}", EPOCH_UNIX_SECONDS / 60 + m)
}

fn errors(yaml: &str) -> Vec<String> {
    parse_manifests(yaml)
        .diagnostics
        .iter()
        .filter(|d| d.severity == podplay::core::manifest::Severity::Error)
        .map(ToString::to_string)
        .collect()
}

#[test]
fn set_defaults_cronjob_allow_not_suspended_history_3_and_1() {
    let parsed = parse_manifests(&cron_yaml("  schedule: \"@hourly\"\n", "Never", "true"));
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let Object::CronJob(cj) = &parsed.objects[0] else { panic!("a CronJob") };
    assert_eq!(cj.spec.concurrency_policy, "Allow");
    assert!(!cj.spec.suspend);
    assert_eq!(cj.spec.successful_jobs_history_limit, 3);
    assert_eq!(cj.spec.failed_jobs_history_limit, 1);
    assert_eq!(cj.spec.job_spec.backoff_limit, 6, "the Job template gets a Job's defaults");
}

#[test]
fn validate_schedule_format_errors_name_line_and_column() {
    // cron.ParseStandard's error after `spec.schedule: Invalid value`.
    assert_eq!(
        errors(&cron_yaml("  schedule: \"*/5 * * *\"\n", "Never", "true")),
        ["line 5, column 13: spec.schedule: Invalid value: \"*/5 * * *\": expected exactly 5 fields, found 4: [*/5 * * *]"]
    );
    assert_eq!(
        errors(&cron_yaml("  schedule: \"0 25 * * *\"\n", "Never", "true")),
        ["line 5, column 13: spec.schedule: Invalid value: \"0 25 * * *\": end of range (25) above maximum (23): 25"]
    );
    assert_eq!(
        errors(&cron_yaml("  schedule: \"0 0 * * FUNDAY\"\n", "Never", "true")),
        ["line 5, column 13: spec.schedule: Invalid value: \"0 0 * * FUNDAY\": failed to parse int from FUNDAY: strconv.Atoi: parsing \"FUNDAY\": invalid syntax"]
    );
    assert_eq!(
        errors(&cron_yaml("  schedule: \"\"\n", "Never", "true")),
        ["line 5, column 13: spec.schedule: Required value"]
    );
}

#[test]
fn tz_in_the_schedule_is_refused_on_create_and_only_utc_is_simulated() {
    assert_eq!(
        errors(&cron_yaml("  schedule: \"CRON_TZ=UTC 0 * * * *\"\n", "Never", "true")),
        ["line 5, column 13: spec.schedule: Invalid value: \"CRON_TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"]
    );
    assert!(errors(&cron_yaml("  schedule: \"0 * * * *\"\n  timeZone: Etc/UTC\n", "Never", "true")).is_empty());
    assert_eq!(
        errors(&cron_yaml("  schedule: \"0 * * * *\"\n  timeZone: Local\n", "Never", "true")),
        ["line 6, column 13: spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"]
    );
    assert_eq!(
        errors(&cron_yaml("  schedule: \"0 * * * *\"\n  timeZone: Europe/Paris\n", "Never", "true")),
        ["line 6, column 13: spec.timeZone: podplay simulates only the UTC time zone (\"Etc/UTC\" or \"UTC\"), not \"Europe/Paris\""]
    );
}

#[test]
fn validate_cron_job_spec_policy_limits_template_and_name() {
    assert_eq!(
        errors(&cron_yaml("  schedule: \"* * * * *\"\n  concurrencyPolicy: Sometimes\n  failedJobsHistoryLimit: -1\n", "Never", "true")),
        [
            "line 6, column 22: spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"",
            "line 7, column 27: spec.failedJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
        ]
    );
    // ValidateJobTemplateSpec: a Job's rules (restartPolicy) under spec.jobTemplate.spec.
    let always = errors(&cron_yaml("  schedule: \"* * * * *\"\n", "Always", "true"));
    assert_eq!(always.len(), 1);
    assert!(
        always[0].ends_with(
            "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
        ),
        "{always:?}"
    );
    // ValidateCronJobCreate: 52 characters at most.
    let long = cron_yaml("  schedule: \"* * * * *\"\n", "Never", "true")
        .replace("name: c}", &format!("name: {}}}", "a".repeat(53)));
    assert!(errors(&long)
        .iter()
        .any(|e| e.contains("metadata.name: Invalid value") && e.ends_with("must be no more than 52 characters")));
}

#[test]
fn jobs_are_created_each_scheduled_minute_from_the_template() {
    let mut sim = sim_with(&cron_yaml("  schedule: \"* * * * *\"\n", "OnFailure", "date; echo hi"));
    sim.advance_to(MINUTE_MS - 1);
    assert!(sim.jobs().is_empty(), "nothing before the first scheduled minute");
    // nextScheduleDelta: the controller wakes 100 ms after the minute.
    sim.advance_to(MINUTE_MS + 100);
    assert_eq!(job_names(&sim), [minute(1)]);
    let job = &sim.jobs()[0];
    assert_eq!(job.job.metadata.labels.get("team").map(String::as_str), Some("a"));
    assert_eq!(job.job.metadata.annotations.get("note").map(String::as_str), Some("x"));
    assert_eq!(
        job.job.metadata.annotations.get("batch.kubernetes.io/cronjob-scheduled-timestamp").map(String::as_str),
        Some("2026-01-01T00:01:00Z")
    );
    let owner = &job.job.metadata.owner_references[0];
    assert_eq!((owner.kind, owner.name.as_str(), owner.controller), ("CronJob", "c", true));
    assert_eq!(reasons(&sim, "SuccessfulCreate"), [format!("Created job {}", minute(1))]);
    let cj = &sim.cron_jobs()[0];
    assert_eq!(cj.status.active.len(), 1);
    assert_eq!(cj.status.last_schedule_ms, Some(MINUTE_MS));
    // The Job runs (the shell's date prints the virtual time) and completes.
    sim.advance_to(MINUTE_MS + 30_000);
    let cj = &sim.cron_jobs()[0];
    assert!(cj.status.active.is_empty());
    assert!(cj.status.last_successful_ms.is_some());
    assert_eq!(reasons(&sim, "SawCompletedJob"), [format!("Saw completed job: {}, condition: Complete", minute(1))]);
    let pod = &sim.pods()[0];
    let logs = sim.logs(&pod.pod.metadata.namespace, &pod.pod.metadata.name, "c").unwrap_or_default();
    assert!(logs.first().is_some_and(|l| l.starts_with("Thu Jan  1 00:01:0") && l.ends_with("UTC 2026")), "{logs:?}");
    let row = kubectl::cronjob_row(cj, MINUTE_MS + 30_000, false);
    assert_eq!(row, ["c", "* * * * *", "<none>", "False", "0", "30s", "90s"]);
}

#[test]
fn history_limits_delete_the_oldest_finished_jobs_with_their_pods() {
    let spec = "  schedule: \"* * * * *\"\n  successfulJobsHistoryLimit: 1\n";
    let mut sim = sim_with(&cron_yaml(spec, "Never", "true"));
    sim.advance_to(3 * MINUTE_MS + 30_000);
    assert_eq!(job_names(&sim), [minute(3)]);
    assert_eq!(
        reasons(&sim, "SuccessfulDelete"),
        [format!("Deleted job {}", minute(1)), format!("Deleted job {}", minute(2))]
    );
    // The garbage collector removed the deleted Jobs' Pods.
    sim.advance_to(4 * MINUTE_MS);
    assert!(sim
        .pods()
        .iter()
        .all(|p| p.pod.metadata.name.starts_with(&minute(3)) || p.pod.metadata.name.starts_with(&minute(4))));

    // failedJobsHistoryLimit (default 1): failed Jobs are kept apart.
    let spec = "  schedule: \"* * * * *\"\n";
    let yaml = cron_yaml(spec, "Never", "exit 1").replace("      template:", "      backoffLimit: 0\n      template:");
    let mut sim = sim_with(&yaml);
    sim.advance_to(3 * MINUTE_MS + 30_000);
    assert_eq!(job_names(&sim), [minute(3)]);
    assert!(reasons(&sim, "SawCompletedJob").contains(&format!("Saw completed job: {}, condition: Failed", minute(1))));
}

#[test]
fn concurrency_policies_allow_forbid_replace() {
    let long = "sleep 150";
    // Allow: the Jobs overlap.
    let mut sim = sim_with(&cron_yaml("  schedule: \"* * * * *\"\n", "Never", long));
    sim.advance_to(3 * MINUTE_MS + 500);
    assert_eq!(sim.cron_jobs()[0].status.active.len(), 3);

    // Forbid: no second Job while the first runs; JobAlreadyActive.
    let mut sim = sim_with(&cron_yaml("  schedule: \"* * * * *\"\n  concurrencyPolicy: Forbid\n", "Never", long));
    sim.advance_to(2 * MINUTE_MS + 500);
    assert_eq!(job_names(&sim), [minute(1)]);
    assert_eq!(
        reasons(&sim, "JobAlreadyActive"),
        ["Not starting job because prior execution is running and concurrency policy is Forbid"]
    );
    // When it finishes the missed minute is still the most recent unmet
    // time (no startingDeadlineSeconds): it starts late, as the docs warn.
    sim.advance_to(3 * MINUTE_MS + 40_000);
    assert!(job_names(&sim).contains(&minute(3)), "{:?}", job_names(&sim));

    // Replace: the running Job is deleted and a new one takes its place.
    let mut sim = sim_with(&cron_yaml("  schedule: \"* * * * *\"\n  concurrencyPolicy: Replace\n", "Never", long));
    sim.advance_to(2 * MINUTE_MS + 500);
    assert_eq!(job_names(&sim), [minute(2)]);
    assert_eq!(reasons(&sim, "SuccessfulDelete"), [format!("Deleted job {}", minute(1))]);
    assert_eq!(sim.cron_jobs()[0].status.active.len(), 1);
}

#[test]
fn suspend_stops_new_runs_and_deleting_the_cronjob_deletes_its_jobs() {
    let yaml = cron_yaml("  schedule: \"* * * * *\"\n", "Never", "sleep 150");
    let mut sim = sim_with(&yaml);
    sim.advance_to(MINUTE_MS + 500);
    assert_eq!(job_names(&sim), [minute(1)]);
    // Re-applied with suspend: true; the running Job goes on, no new one.
    let suspended = parse_manifests(&yaml.replace("spec:\n  schedule", "spec:\n  suspend: true\n  schedule"));
    assert!(!suspended.has_errors());
    sim.apply(suspended.objects);
    sim.advance_to(3 * MINUTE_MS + 500);
    assert_eq!(job_names(&sim), [minute(1)]);
    assert_eq!(kubectl::cronjob_row(&sim.cron_jobs()[0], sim.now(), false)[3], "True");
    act(&mut sim, "delete cronjob/c");
    assert!(sim.cron_jobs().is_empty());
    assert!(sim.jobs().is_empty(), "its Jobs go with it (background propagation)");
}

#[test]
fn starting_deadline_seconds_skips_a_run_it_cannot_start_in_time() {
    // Forbid with a 30 s deadline: the 2nd minute's run is skipped, and not
    // started late when the first Job finishes at about 2m32s.
    let yaml = cron_yaml(
        "  schedule: \"*/2 * * * *\"\n  concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 30\n",
        "Never",
        "sleep 150",
    );
    let mut sim = sim_with(&yaml);
    sim.advance_to(5 * MINUTE_MS + 500);
    assert_eq!(job_names(&sim), [minute(2)]);
    sim.advance_to(6 * MINUTE_MS + 500);
    assert_eq!(job_names(&sim), [minute(2), minute(6)]);
}

#[test]
fn a_schedule_that_never_comes_is_an_invalid_schedule_event() {
    // ParseStandard accepts February 31st; mostRecentScheduleTime finds the
    // two next times 0 s apart (robfig's zero time) and syncCronJob says so.
    let mut sim = sim_with(&cron_yaml("  schedule: \"0 0 31 2 *\"\n", "Never", "true"));
    sim.advance_to(10 * MINUTE_MS);
    assert!(sim.jobs().is_empty());
    let e = sim.events().iter().find(|e| e.reason == "InvalidSchedule").expect("InvalidSchedule");
    assert_eq!(e.type_.as_str(), "Warning");
    assert_eq!(e.message, "invalid schedule: 0 0 31 2 * : time difference between two schedules is less than 1 second");
}

#[test]
fn the_next_scheduled_time_is_on_the_simulation_clock() {
    // What the page's CronJob card shows: Schedule.Next strictly after now.
    let objects = parse_manifests(&cron_yaml("  schedule: \"*/2 * * * *\"\n", "Never", "true")).objects;
    let Some(Object::CronJob(cj)) = objects.into_iter().next() else { panic!("a CronJob") };
    assert_eq!(podplay::core::engine::next_scheduled(&cj, 0), Some(2 * MINUTE_MS));
    assert_eq!(podplay::core::engine::next_scheduled(&cj, 2 * MINUTE_MS), Some(4 * MINUTE_MS));
    assert_eq!(podplay::core::engine::next_scheduled(&cj, 2 * MINUTE_MS + 1), Some(4 * MINUTE_MS));
}
