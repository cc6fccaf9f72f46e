//! `batch/v1` CronJob: decoding with the defaults of `SetDefaults_CronJob`
//! (pkg/apis/batch/v1/defaults.go: concurrencyPolicy Allow, suspend false,
//! successfulJobsHistoryLimit 3, failedJobsHistoryLimit 1) and the checks
//! of `validateCronJobSpec`, `validateScheduleFormat`, `validateTimeZone`,
//! `validateConcurrencyPolicy` and `ValidateJobTemplateSpec`
//! (pkg/apis/batch/validation/validation.go). The schedule is parsed as
//! `cron.ParseStandard` parses it ([`crate::core::cron`]).

use super::super::validate as v;
use super::{batch, child, key_text, Ctx, Decode, Fields};
use crate::core::api::*;
use crate::core::cron;
use crate::core::yaml::Node;
use std::collections::BTreeMap;

const POLICIES: &[&str] = &["Allow", "Forbid", "Replace"];

/// `validTimeZoneCharacters` in validation.go.
fn valid_zone_part(part: &str) -> bool {
    (1..=14).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-+".contains(&b))
}

impl Decode for CronJob {
    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self {
        CronJob { metadata, spec: decode_cron_job_spec(cx, fields.spec()) }
    }
}

fn decode_cron_job_spec(cx: &mut Ctx, node: &Node) -> CronJobSpec {
    let mut schedule = None;
    let mut time_zone = None;
    let mut deadline = None;
    let mut policy = "Allow";
    let mut suspend = false;
    let mut successful = 3;
    let mut failed = 1;
    let mut template = None;
    for (k, val) in cx.entries(node, "spec").unwrap_or(&[]) {
        let name = key_text(k);
        let p = child("spec", name);
        match name {
            "schedule" => schedule = cx.string(val, &p),
            "timeZone" => time_zone = cx.string(val, &p),
            "startingDeadlineSeconds" => deadline = nonnegative(cx, val, &p),
            "concurrencyPolicy" => {
                if let Some(s) = cx.string(val, &p) {
                    match POLICIES.iter().find(|&&x| x == s) {
                        Some(&x) => policy = x,
                        // An empty string is defaulted to Allow.
                        None if s.is_empty() => {}
                        None => cx.not_supported_at(val.pos, &p, &s, POLICIES),
                    }
                }
            }
            "suspend" => suspend = cx.boolean(val, &p).unwrap_or(false),
            "successfulJobsHistoryLimit" => successful = nonnegative(cx, val, &p).map_or(successful, |n| n as i32),
            "failedJobsHistoryLimit" => failed = nonnegative(cx, val, &p).map_or(failed, |n| n as i32),
            "jobTemplate" => template = Some(decode_job_template(cx, val)),
            _ => cx.unknown(k, &p),
        }
    }
    let schedule = schedule.unwrap_or_default();
    let mut parsed = cron::Schedule::Every(60);
    if cx.type_errors == 0 {
        let path = "spec.schedule";
        let pos = cx.src.pos(path);
        if schedule.is_empty() {
            cx.error_at(pos, path, "Required value");
        } else {
            // `validateScheduleFormat`: what `cron.ParseStandard` says, and
            // TZ in the schedule is refused on create.
            match cron::parse(&schedule) {
                Ok(s) => parsed = s,
                Err(e) => cx.invalid_at(pos, path, &v::quote(&schedule), &e),
            }
            if schedule.contains("TZ") {
                cx.invalid_at(
                    pos,
                    path,
                    &v::quote(&schedule),
                    "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
                );
            }
        }
        if let Some(zone) = &time_zone {
            validate_time_zone(cx, zone);
        }
    }
    // No jobTemplate: decoded as an empty one (its Pod template is required).
    let null = Node { kind: crate::core::yaml::NodeKind::Null, pos: node.pos };
    let (job_labels, job_annotations, job_spec) = template.unwrap_or_else(|| decode_job_template(cx, &null));
    CronJobSpec {
        schedule,
        parsed,
        time_zone,
        starting_deadline_seconds: deadline,
        concurrency_policy: policy,
        suspend,
        successful_jobs_history_limit: successful,
        failed_jobs_history_limit: failed,
        job_labels,
        job_annotations,
        job_spec,
    }
}

fn nonnegative(cx: &mut Ctx, node: &Node, path: &str) -> Option<i64> {
    let n = if path.ends_with("Seconds") { cx.int(node, path)? } else { cx.int32(node, path)? as i64 };
    if n < 0 {
        cx.invalid_at(node.pos, path, &n.to_string(), v::NEGATIVE_ERR);
    }
    Some(n)
}

/// `validateTimeZone`. podplay's clock knows only UTC: other zones that the
/// API server would load are refused with a podplay message.
fn validate_time_zone(cx: &mut Ctx, zone: &str) {
    let path = "spec.timeZone";
    let pos = cx.src.pos(path);
    let quoted = v::quote(zone);
    if zone.is_empty() {
        cx.invalid_at(pos, path, &quoted, "timeZone must be nil or non-empty string");
        return;
    }
    if zone.split('/').any(|p| p == "." || p == ".." || p.starts_with('-') || !valid_zone_part(p)) {
        cx.invalid_at(pos, path, &quoted, &format!("unknown time zone {zone}"));
        return;
    }
    if zone.eq_ignore_ascii_case("Local") {
        cx.invalid_at(
            pos,
            path,
            &quoted,
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
        );
        return;
    }
    if !matches!(zone, "UTC" | "Etc/UTC") {
        cx.error_at(
            pos,
            path,
            format!("podplay simulates only the UTC time zone (\"Etc/UTC\" or \"UTC\"), not {quoted}"),
        );
    }
}

/// `jobTemplate`: its metadata (labels and annotations, copied to each Job)
/// and its Job spec, decoded as a Job's (`ValidateJobTemplateSpec`), with
/// the template's own rule on selectors: always generated.
fn decode_job_template(cx: &mut Ctx, node: &Node) -> (BTreeMap<String, String>, BTreeMap<String, String>, JobSpec) {
    let path = "spec.jobTemplate";
    let mut sub = Ctx::default();
    let mut labels = BTreeMap::new();
    let mut annotations = BTreeMap::new();
    let null = Node { kind: crate::core::yaml::NodeKind::Null, pos: node.pos };
    let mut spec_node = &null;
    for (k, val) in sub.entries(node, "").unwrap_or(&[]) {
        match key_text(k) {
            "metadata" => {
                let (meta, _) = super::decode_meta(&mut sub, val);
                labels = meta.labels;
                annotations = meta.annotations;
            }
            "spec" => spec_node = val,
            name => sub.unknown(k, name),
        }
    }
    // The Job's name is only known at each run (`<cronjob>-<minutes>`), so
    // the template skips the Indexed hostname check, as ValidateJobTemplateSpec does.
    let spec = batch::decode_job_spec(&mut sub, spec_node, "");
    if sub.type_errors == 0 {
        v::validate_labels(&mut sub, &labels, "metadata.labels");
        if spec.manual_selector || sub.src.has("spec.selector") {
            // `ValidateJobTemplateSpec`, instead of a Job's selector checks.
            sub.diags.retain(|d| d.path != "spec.selector");
            if sub.src.has("spec.selector") {
                let pos = sub.src.pos("spec.selector");
                sub.invalid_at(
                    pos,
                    "spec.selector",
                    &format!("{{{}}}", spec.selector.to_text()),
                    "`selector` will be auto-generated",
                );
            }
            if spec.manual_selector {
                let pos = sub.src.pos("spec.manualSelector");
                sub.error_at(
                    pos,
                    "spec.manualSelector",
                    "Unsupported value: true: supported values: \"nil\", \"false\"",
                );
            }
        }
    }
    cx.absorb(sub, path);
    (labels, annotations, spec)
}
