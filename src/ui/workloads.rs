//! Jobs, StatefulSets, DaemonSets and PodDisruptionBudgets in the live view, as `kubectl get`
//! prints them (the rows come from `core::kubectl`), with the actions
//! kubectl has for them.

use super::cluster::{act_cb, kubectl_row, ns_flag, ns_tag, scale_group, set_image};
use super::Shared;
use crate::core::api::PodManagementPolicy;
use crate::core::engine::DaemonSetSnapshot;
use crate::core::kubectl;
use crate::core::status::{
    CronJobSnapshot, Event, EventType, JobSnapshot, PersistentVolumeClaimSnapshot, PodDisruptionBudgetSnapshot,
    StatefulSetSnapshot,
};
use crate::core::time::{go_duration, Millis};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct JobProps {
    pub job: Shared<JobSnapshot>,
    /// The Job's latest event, explained.
    pub why: Option<String>,
    pub why_warning: bool,
    pub now: Millis,
    pub on_act: Callback<String>,
}

/// A Job: `kubectl get jobs` (STATUS, COMPLETIONS, DURATION), its Pod
/// counts, its conditions, and `kubectl delete job`.
#[function_component(JobCard)]
pub fn job_card(props: &JobProps) -> Html {
    let j = &*props.job;
    let job = &j.job;
    let name = &job.metadata.name;
    let row = kubectl::job_row(j, props.now, false);
    let status = row[1].clone();
    let state = match status.as_str() {
        "Complete" => "st-succeeded",
        "Failed" => "st-failed",
        "Running" => "st-running",
        _ => "st-trouble",
    };
    let icon = match status.as_str() {
        "Complete" => "✔",
        "Failed" => "✖",
        _ => "◐",
    };
    let st = &j.status;
    let spec = &job.spec;
    html! {
        <section class={classes!("workload", "job", state)} aria-label={format!("Job {name}: {status}")} data-testid={format!("job-{name}")}>
            <h2><span class="state-icon" aria-hidden="true">{ format!("{icon} ") }</span>{ format!("Job {name}") }{ ns_tag(&job.metadata.namespace) }
                <span class="status" data-testid="job-status">{ &status }</span></h2>
            { kubectl_row(&kubectl::JOBS_HEADER, &row, "job-row") }
            <p class="facts muted">
                { format!("Pods: {} active · {} ready · {} succeeded · {} failed · completions {} · parallelism {} · backoffLimit {}",
                    st.active, st.ready, st.succeeded, st.failed,
                    spec.completions.map_or("unset (work queue)".to_string(), |c| c.to_string()), spec.parallelism, spec.backoff_limit) }
            </p>
            if spec.indexed {
                // status.completedIndexes and, with backoffLimitPerIndex, failedIndexes.
                <p class="facts muted" data-testid="job-indexes">
                    { format!("Indexed: completed indexes {}", if st.completed_indexes.is_empty() { "none" } else { &st.completed_indexes }) }
                    { st.failed_indexes.as_deref().map(|f| format!(" · failed indexes {}", if f.is_empty() { "none" } else { f })).unwrap_or_default() }
                </p>
            }
            if !st.conditions.is_empty() {
                <ul class="conditions" aria-label="Conditions">
                    { for st.conditions.iter().map(|c| html! {
                        <li class={classes!("cond", if c.status { "on" } else { "off" }, (c.status && matches!(c.type_, "Failed" | "FailureTarget")).then_some("bad"))} title={c.message.clone()}>
                            <span aria-hidden="true">{ if c.status { "✓" } else { "✗" } }</span>
                            { format!(" {} ({})", c.type_, c.reason) }
                            <span class="sr-only">{ if c.status { " true" } else { " false" } }</span>
                        </li>
                    }) }
                </ul>
            }
            if let Some(why) = &props.why {
                <p class={classes!("why", props.why_warning.then_some("warning"))} data-testid="why">{ why }</p>
            }
            <div class="dep-actions">
                if j.server.deletion_ms.is_none() {
                    <button onclick={act_cb(&props.on_act, format!("delete job/{name}{}", ns_flag(&job.metadata.namespace)))} data-testid="delete">{"Delete"}</button>
                }
            </div>
        </section>
    }
}

/// A CronJob: `kubectl get cronjobs`, when it runs next, its policies,
/// its latest event and `kubectl delete cronjob`. A plain function (not a
/// memoized component): it is small and there are few of them.
pub fn cron_job_card(c: &CronJobSnapshot, latest: Option<&Event>, now: Millis, on_act: &Callback<String>) -> Html {
    let cj = &c.cron_job;
    let name = &cj.metadata.name;
    let spec = &cj.spec;
    let row = kubectl::cronjob_row(c, now, false);
    let active = c.status.active.len();
    let (state, status) = match (spec.suspend, active) {
        (true, _) => ("st-pending", "Suspended".to_string()),
        (false, 0) => ("st-succeeded", "Waiting".to_string()),
        (false, n) => ("st-running", format!("{n} active")),
    };
    let next = match (spec.suspend, crate::core::engine::next_scheduled(cj, now)) {
        (true, _) => "suspended: no new Jobs".to_string(),
        (false, Some(t)) => format!("next Job at {} (in {})", go_duration(t), go_duration(t.saturating_sub(now))),
        (false, None) => "the schedule never comes".to_string(),
    };
    html! {
        <section key={format!("{}/{name}", cj.metadata.namespace)} class={classes!("workload", "cronjob", state)}
            aria-label={format!("CronJob {name}: {status}")} data-testid={format!("cronjob-{name}")}>
            <h2><span aria-hidden="true">{"◷ "}</span>{ format!("CronJob {name}") }{ ns_tag(&cj.metadata.namespace) }
                <span class="status" data-testid="cronjob-status">{ status }</span></h2>
            { kubectl_row(&kubectl::CRONJOBS_HEADER, &row, "cronjob-row") }
            <p class="facts muted" data-testid="cronjob-next">
                { format!("{next} · concurrencyPolicy {} · keeps {} succeeded and {} failed Jobs{}", spec.concurrency_policy,
                    spec.successful_jobs_history_limit, spec.failed_jobs_history_limit,
                    spec.starting_deadline_seconds.map(|s| format!(" · startingDeadlineSeconds {s}")).unwrap_or_default()) }
            </p>
            if let Some(e) = latest {
                <p class={classes!("why", (e.type_ == EventType::Warning).then_some("warning"))} data-testid="why">
                    { format!("{} {}: {}", go_duration(e.last_ms), e.reason, e.message) }
                </p>
            }
            <div class="dep-actions">
                <button onclick={act_cb(on_act, format!("delete cronjob/{name}{}", ns_flag(&cj.metadata.namespace)))} data-testid="delete"
                    title="kubectl delete cronjob: its Jobs and their Pods go too">{"Delete"}</button>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct StatefulSetProps {
    pub set: Shared<StatefulSetSnapshot>,
    /// Its claims (from the claim templates), by name.
    pub claims: Vec<Shared<PersistentVolumeClaimSnapshot>>,
    pub now: Millis,
    pub on_act: Callback<String>,
}

/// A StatefulSet: `kubectl get statefulsets`, its claims as `kubectl get
/// pvc` prints them, scale and delete.
#[function_component(StatefulSetCard)]
pub fn stateful_set_card(props: &StatefulSetProps) -> Html {
    let s = &*props.set;
    let set = &s.stateful_set;
    let name = &set.metadata.name;
    let flag = ns_flag(&set.metadata.namespace);
    let row = kubectl::statefulset_row(s, props.now, false);
    html! {
        <section class="workload statefulset" aria-label={format!("StatefulSet {name}")} data-testid={format!("statefulset-{name}")}>
            <h2><span aria-hidden="true">{"▥ "}</span>{ format!("StatefulSet {name}") }{ ns_tag(&set.metadata.namespace) }
                <span class="muted">{ format!(" · podManagementPolicy {} · {}", match set.spec.pod_management_policy {
                    PodManagementPolicy::OrderedReady => "OrderedReady",
                    PodManagementPolicy::Parallel => "Parallel",
                }, set.spec.template.spec.containers.iter().map(|c| c.image.as_str()).collect::<Vec<_>>().join(", ")) }</span></h2>
            { kubectl_row(&kubectl::STATEFULSETS_HEADER, &row, "statefulset-row") }
            if !props.claims.is_empty() {
                <ul class="claims" aria-label="PersistentVolumeClaims">
                    { for props.claims.iter().map(|c| {
                        let r = kubectl::pvc_row(c, props.now, false);
                        // A claim still Pending has no capacity or access modes yet.
                        let text = if r[3].is_empty() {
                            format!("PVC {} · {}", r[0], r[1])
                        } else {
                            format!("PVC {} · {} · {} {}", r[0], r[1], r[3], r[4])
                        };
                        html! { <li key={c.name.clone()}>{ text }</li> }
                    }) }
                </ul>
            }
            <div class="dep-actions">
                { scale_group(&format!("statefulset/{name}"), set.spec.replicas, &flag, &props.on_act) }
                <button onclick={act_cb(&props.on_act, format!("delete statefulset/{name}{flag}"))} data-testid="delete"
                    title="The Pods go; their claims stay (as in Kubernetes)">{"Delete"}</button>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct DaemonSetProps {
    pub set: Shared<DaemonSetSnapshot>,
    pub now: Millis,
    pub on_act: Callback<String>,
}

/// A DaemonSet: `kubectl get daemonsets` (desired, current, ready, …), a
/// rolling update (set image, rollout restart) and Delete.
#[function_component(DaemonSetCard)]
pub fn daemon_set_card(props: &DaemonSetProps) -> Html {
    let d = &*props.set;
    let name = &d.daemon_set.metadata.name;
    let flag = ns_flag(&d.daemon_set.metadata.namespace);
    let row = kubectl::daemonset_row(d, props.now);
    html! {
        <section class="workload daemonset" aria-label={format!("DaemonSet {name}")} data-testid={format!("daemonset-{name}")}>
            <h2><span aria-hidden="true">{"▦ "}</span>{ format!("DaemonSet {name}") }{ ns_tag(&d.daemon_set.metadata.namespace) }
                <span class="muted">{ " · one Pod per node that fits" }</span></h2>
            { kubectl_row(&kubectl::DAEMONSETS_HEADER, &row, "daemonset-row") }
            <div class="dep-actions">
                <button onclick={act_cb(&props.on_act, format!("rollout restart daemonset/{name}{flag}"))} data-testid="rollout-restart"
                    title="A new template: its Pods are replaced as its updateStrategy says">{"Rollout restart"}</button>
                <button onclick={act_cb(&props.on_act, format!("delete daemonset/{name}{flag}"))} data-testid="delete"
                    title="The garbage collector deletes its Pods (gracefully)">{"Delete"}</button>
                { set_image(format!("daemonset/{name}"), &d.daemon_set.template.spec, &flag, &props.on_act) }
            </div>
        </section>
    }
}

/// A PodDisruptionBudget: `kubectl get pdb` (MIN AVAILABLE, MAX
/// UNAVAILABLE, ALLOWED DISRUPTIONS), the counts the disruption controller
/// writes to its status, and what that means for an eviction (a drain):
/// the page's words, not kubectl's. A plain function, like the CronJob's.
pub fn budget_card(p: &PodDisruptionBudgetSnapshot, now: Millis) -> Html {
    let pdb = &p.pdb;
    let name = &pdb.metadata.name;
    let row = kubectl::pdb_row(p, now);
    let st = &p.status;
    let selects = match &pdb.spec.selector {
        None => "no Pods (no selector)".to_string(),
        Some(s) if s.match_labels.is_empty() && s.match_expressions.is_empty() => {
            "every Pod in its namespace".to_string()
        }
        Some(s) => {
            let mut parts: Vec<String> = s.match_labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            if !s.match_expressions.is_empty() {
                parts.push(format!("{} expression(s)", s.match_expressions.len()));
            }
            format!("Pods with {}", parts.join(","))
        }
    };
    let allowed = st.disruptions_allowed;
    let (state, status) = if allowed > 0 {
        ("st-running", format!("{allowed} disruption{} allowed", if allowed == 1 { "" } else { "s" }))
    } else {
        ("st-trouble", "no disruption allowed".to_string())
    };
    let meaning = if allowed > 0 {
        format!("An eviction (a drain) may take {allowed} more Pod{} now.", if allowed == 1 { "" } else { "s" })
    } else {
        "An eviction (a drain) is refused now (429, \"Cannot evict pod as it would violate the pod's disruption budget.\"); kubectl drain tries again every 5 s.".to_string()
    };
    html! {
        <section key={format!("{}/{name}", pdb.metadata.namespace)} class={classes!("workload", "pdb", state)}
            aria-label={format!("PodDisruptionBudget {name}: {status}")} data-testid={format!("pdb-{name}")}>
            <h2><span aria-hidden="true">{"◈ "}</span>{ format!("PodDisruptionBudget {name}") }{ ns_tag(&pdb.metadata.namespace) }
                <span class="status" data-testid="pdb-status">{ status }</span></h2>
            { kubectl_row(&kubectl::PDBS_HEADER, &row, "pdb-row") }
            <p class="facts muted" data-testid="pdb-facts">
                { format!("Selects {selects} · {} healthy of {} · {} must stay healthy", st.current_healthy, st.expected_pods, st.desired_healthy) }
            </p>
            <p class={classes!("why", (allowed == 0).then_some("warning"))} data-testid="why">{ meaning }</p>
        </section>
    }
}
