//! Objects as the API server returns them, as `serde_json::Value`s (its `preserve_order` map) whose key
//! order is what the API server emits: Go's `encoding/json` writes struct
//! fields in declaration order (`k8s.io/api/core/v1/types.go`,
//! `k8s.io/api/discovery/v1/types.go`, `k8s.io/apimachinery/pkg/apis/meta/v1/types.go`),
//! so `kind` and `apiVersion` (the inlined `TypeMeta`) come first, then
//! `metadata`, `spec`, `status`. Fields tagged `omitempty` are left out when
//! empty exactly as Go leaves them out: empty strings, zero numbers, false,
//! nil pointers, empty slices and maps — but never structs, which is why
//! `resources: {}`, `lastState: {}` and `lastProbeTime: null` appear.
//!
//! Not modelled: `managedFields` (kubectl hides them by default), the
//! service-account token volume the ServiceAccount admission plugin adds, and
//! the kubelet's newer per-container status fields (`volumeMounts`, `resources`, `user`).

use crate::core::api::{ConfigMap, DeploymentStrategy, Namespace, OwnerReference, PriorityClass, Secret, StorageClass};
use crate::core::kinds::Resource;
pub use crate::core::spec_json::{format_cpu, format_memory, pod_template_json};
use crate::core::spec_json::{
    int_or_string, int_or_string_json, pod_spec_json, put_map, put_str, put_vec, selector_json, Map,
};
use crate::core::status::{
    ContainerState, ContainerStatus, CronJobSnapshot, DeploymentSnapshot, EndpointSliceSnapshot, Event, JobSnapshot,
    PersistentVolumeClaimSnapshot, PodDisruptionBudgetSnapshot, PodSnapshot, ReplicaSetSnapshot, ServerMeta,
    ServiceSnapshot, StatefulSetSnapshot,
};
use crate::core::time::{rfc3339, rfc3339_micro, Millis};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// `ObjectMeta` for an object the API server has stored.
#[allow(clippy::too_many_arguments)]
fn object_meta(
    generation: Option<i64>,
    name: &str,
    generate_name: Option<&str>,
    namespace: &str,
    server: &ServerMeta,
    labels: &BTreeMap<String, String>,
    annotations: &BTreeMap<String, String>,
    owner_references: Vec<Value>,
) -> Value {
    let mut m = Map::new();
    put_str(&mut m, "name", name);
    if let Some(g) = generate_name {
        put_str(&mut m, "generateName", g);
    }
    put_str(&mut m, "namespace", namespace);
    put_str(&mut m, "uid", &server.uid);
    m.insert("resourceVersion".into(), Value::from(server.resource_version.to_string()));
    if let Some(g) = generation {
        m.insert("generation".into(), Value::from(g));
    }
    m.insert("creationTimestamp".into(), Value::from(rfc3339(server.creation_ms)));
    if let Some(d) = server.deletion_ms {
        m.insert("deletionTimestamp".into(), Value::from(rfc3339(d)));
    }
    if let Some(g) = server.deletion_grace_period_seconds {
        m.insert("deletionGracePeriodSeconds".into(), Value::from(g));
    }
    put_map(&mut m, "labels", labels);
    put_map(&mut m, "annotations", annotations);
    put_vec(&mut m, "ownerReferences", owner_references);
    Value::Object(m)
}

fn state_json(s: &ContainerState) -> Value {
    match s {
        ContainerState::Waiting(w) => {
            let mut m = Map::new();
            put_str(&mut m, "reason", &w.reason);
            put_str(&mut m, "message", w.message.as_deref().unwrap_or(""));
            json!({ "waiting": Value::Object(m) })
        }
        ContainerState::Running { started_at_ms } => {
            json!({ "running": { "startedAt": rfc3339(*started_at_ms) } })
        }
        ContainerState::Terminated(t) => {
            let mut m = Map::new();
            m.insert("exitCode".into(), Value::from(t.exit_code));
            if let Some(sig) = t.signal.filter(|s| *s != 0) {
                m.insert("signal".into(), Value::from(sig));
            }
            put_str(&mut m, "reason", &t.reason);
            put_str(&mut m, "message", t.message.as_deref().unwrap_or(""));
            m.insert("startedAt".into(), Value::from(rfc3339(t.started_at_ms)));
            m.insert("finishedAt".into(), Value::from(rfc3339(t.finished_at_ms)));
            put_str(&mut m, "containerID", &t.container_id);
            json!({ "terminated": Value::Object(m) })
        }
    }
}

fn container_status_json(c: &ContainerStatus) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), Value::from(c.name.as_str()));
    m.insert("state".into(), state_json(&c.state));
    m.insert("lastState".into(), c.last_state.as_ref().map_or_else(|| json!({}), state_json));
    m.insert("ready".into(), Value::from(c.ready));
    m.insert("restartCount".into(), Value::from(c.restart_count));
    m.insert("image".into(), Value::from(c.image.as_str()));
    m.insert("imageID".into(), Value::from(c.image_id.as_str()));
    put_str(&mut m, "containerID", &c.container_id);
    if let Some(s) = c.started {
        m.insert("started".into(), Value::from(s));
    }
    Value::Object(m)
}

/// `ownerReferences` entries.
fn owner_refs_json(owners: &[OwnerReference]) -> Vec<Value> {
    owners
        .iter()
        .map(|o| {
            json!({
                "apiVersion": o.api_version,
                "kind": o.kind,
                "name": o.name,
                "uid": o.uid,
                "controller": o.controller,
                "blockOwnerDeletion": o.block_owner_deletion,
            })
        })
        .collect()
}

/// An `apps/v1 ReplicaSet`.
pub fn replicaset_json(r: &ReplicaSetSnapshot) -> Value {
    let rs = &r.replica_set;
    let meta = &rs.metadata;
    let metadata = object_meta(
        Some(r.generation),
        &meta.name,
        None,
        &meta.namespace,
        &r.server,
        &meta.labels,
        &meta.annotations,
        owner_refs_json(&meta.owner_references),
    );
    let mut spec = Map::new();
    spec.insert("replicas".into(), Value::from(rs.spec.replicas));
    if rs.spec.min_ready_seconds > 0 {
        spec.insert("minReadySeconds".into(), Value::from(rs.spec.min_ready_seconds));
    }
    spec.insert("selector".into(), selector_json(&rs.spec.selector));
    spec.insert("template".into(), pod_template_json(&rs.spec.template));
    let st = &r.status;
    let mut status = Map::new();
    status.insert("replicas".into(), Value::from(st.replicas));
    let mut put_count = |k: &str, v: i32| {
        if v != 0 {
            status.insert(k.into(), Value::from(v));
        }
    };
    put_count("fullyLabeledReplicas", st.fully_labeled_replicas);
    put_count("readyReplicas", st.ready_replicas);
    put_count("availableReplicas", st.available_replicas);
    if st.observed_generation != 0 {
        status.insert("observedGeneration".into(), Value::from(st.observed_generation));
    }
    json!({
        "kind": "ReplicaSet",
        "apiVersion": "apps/v1",
        "metadata": metadata,
        "spec": Value::Object(spec),
        "status": Value::Object(status),
    })
}

/// A Deployment's `strategy` or a DaemonSet's `updateStrategy` of type
/// RollingUpdate (`maxUnavailable` before `maxSurge` in both structs).
fn rolling_update_json(
    max_surge: crate::core::api::IntOrPercent,
    max_unavailable: crate::core::api::IntOrPercent,
) -> Value {
    let v = int_or_string_json;
    json!({ "type": "RollingUpdate", "rollingUpdate": { "maxUnavailable": v(max_unavailable), "maxSurge": v(max_surge) } })
}

/// An `apps/v1 Deployment`.
pub fn deployment_json(d: &DeploymentSnapshot) -> Value {
    let dep = &d.deployment;
    let meta = &dep.metadata;
    let metadata = object_meta(
        Some(d.generation),
        &meta.name,
        None,
        &meta.namespace,
        &d.server,
        &meta.labels,
        &meta.annotations,
        Vec::new(),
    );
    let strategy = match dep.spec.strategy {
        DeploymentStrategy::Recreate => json!({ "type": "Recreate" }),
        DeploymentStrategy::RollingUpdate { max_surge, max_unavailable } => {
            rolling_update_json(max_surge, max_unavailable)
        }
    };
    let mut spec = Map::new();
    spec.insert("replicas".into(), Value::from(dep.spec.replicas));
    spec.insert("selector".into(), selector_json(&dep.spec.selector));
    spec.insert("template".into(), pod_template_json(&dep.spec.template));
    spec.insert("strategy".into(), strategy);
    if dep.spec.min_ready_seconds > 0 {
        spec.insert("minReadySeconds".into(), Value::from(dep.spec.min_ready_seconds));
    }
    spec.insert("revisionHistoryLimit".into(), Value::from(dep.spec.revision_history_limit));
    if dep.spec.paused {
        spec.insert("paused".into(), Value::from(true));
    }
    spec.insert("progressDeadlineSeconds".into(), Value::from(dep.spec.progress_deadline_seconds));
    let st = &d.status;
    let mut status = Map::new();
    let mut put_count = |k: &str, v: i64| {
        if v != 0 {
            status.insert(k.into(), Value::from(v));
        }
    };
    put_count("observedGeneration", st.observed_generation);
    put_count("replicas", st.replicas as i64);
    put_count("updatedReplicas", st.updated_replicas as i64);
    put_count("readyReplicas", st.ready_replicas as i64);
    put_count("availableReplicas", st.available_replicas as i64);
    put_count("unavailableReplicas", st.unavailable_replicas as i64);
    put_vec(
        &mut status,
        "conditions",
        st.conditions
            .iter()
            .map(|c| {
                json!({
                    "type": c.type_,
                    "status": if c.status { "True" } else { "False" },
                    "lastUpdateTime": rfc3339(c.last_update_ms),
                    "lastTransitionTime": rfc3339(c.last_transition_ms),
                    "reason": c.reason,
                    "message": c.message,
                })
            })
            .collect(),
    );
    json!({
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": metadata,
        "spec": Value::Object(spec),
        "status": Value::Object(status),
    })
}

/// A `batch/v1 Job` (`JobSpec` and `JobStatus` field order; `ready`,
/// `terminating` and `uncountedTerminatedPods` are pointers, so shown when zero).
pub fn job_json(j: &JobSnapshot) -> Value {
    let job = &j.job;
    let meta = &job.metadata;
    let owners = owner_refs_json(&meta.owner_references);
    let metadata = object_meta(
        Some(j.generation),
        &meta.name,
        None,
        &meta.namespace,
        &j.server,
        &meta.labels,
        &meta.annotations,
        owners,
    );
    let mut spec = Map::new();
    spec.insert("parallelism".into(), Value::from(job.spec.parallelism));
    if let Some(c) = job.spec.completions {
        spec.insert("completions".into(), Value::from(c));
    }
    if let Some(d) = job.spec.active_deadline_seconds {
        spec.insert("activeDeadlineSeconds".into(), Value::from(d));
    }
    spec.insert("backoffLimit".into(), Value::from(job.spec.backoff_limit));
    if let Some(n) = job.spec.backoff_limit_per_index {
        spec.insert("backoffLimitPerIndex".into(), Value::from(n));
    }
    if let Some(n) = job.spec.max_failed_indexes {
        spec.insert("maxFailedIndexes".into(), Value::from(n));
    }
    spec.insert("selector".into(), selector_json(&job.spec.selector));
    if job.spec.manual_selector {
        spec.insert("manualSelector".into(), Value::from(true));
    }
    spec.insert("template".into(), pod_template_json(&job.spec.template));
    if let Some(t) = job.spec.ttl_seconds_after_finished {
        spec.insert("ttlSecondsAfterFinished".into(), Value::from(t));
    }
    spec.insert("completionMode".into(), Value::from(if job.spec.indexed { "Indexed" } else { "NonIndexed" }));
    spec.insert("suspend".into(), Value::from(false));
    spec.insert("podReplacementPolicy".into(), Value::from("TerminatingOrFailed"));
    let st = &j.status;
    let mut status = Map::new();
    put_vec(
        &mut status,
        "conditions",
        st.conditions
            .iter()
            .map(|c| {
                json!({
                    "type": c.type_,
                    "status": if c.status { "True" } else { "False" },
                    "lastProbeTime": rfc3339(c.last_probe_ms),
                    "lastTransitionTime": rfc3339(c.last_transition_ms),
                    "reason": c.reason,
                    "message": c.message,
                })
            })
            .collect(),
    );
    if let Some(t) = st.start_ms {
        status.insert("startTime".into(), Value::from(rfc3339(t)));
    }
    if let Some(t) = st.completion_ms {
        status.insert("completionTime".into(), Value::from(rfc3339(t)));
    }
    for (k, v) in [("active", st.active), ("succeeded", st.succeeded), ("failed", st.failed)] {
        if v != 0 {
            status.insert(k.into(), Value::from(v));
        }
    }
    if st.start_ms.is_some() {
        status.insert("terminating".into(), Value::from(st.terminating));
    }
    // `completedIndexes` (omitempty) and `failedIndexes` come between
    // `terminating` and `uncountedTerminatedPods` in `JobStatus`.
    put_str(&mut status, "completedIndexes", &st.completed_indexes);
    // A pointer: shown even when empty.
    if let Some(f) = &st.failed_indexes {
        status.insert("failedIndexes".into(), Value::from(f.as_str()));
    }
    if st.start_ms.is_some() {
        status.insert("uncountedTerminatedPods".into(), json!({}));
        status.insert("ready".into(), Value::from(st.ready));
    }
    json!({ "kind": "Job", "apiVersion": "batch/v1", "metadata": metadata, "spec": Value::Object(spec), "status": Value::Object(status) })
}

/// A `batch/v1 CronJob` (`CronJobSpec` and `CronJobStatus` field order);
/// `jobTemplate.spec` is a Job's spec as the API server keeps it in the
/// template: defaulted, with no selector (one is generated per Job).
pub fn cronjob_json(c: &CronJobSnapshot) -> Value {
    let cj = &c.cron_job;
    let meta = &cj.metadata;
    let metadata = object_meta(
        Some(c.generation),
        &meta.name,
        None,
        &meta.namespace,
        &c.server,
        &meta.labels,
        &meta.annotations,
        Vec::new(),
    );
    let template = JobSnapshot {
        job: std::sync::Arc::new(crate::core::api::Job {
            metadata: Default::default(),
            spec: cj.spec.job_spec.clone(),
        }),
        server: c.server.clone(),
        generation: 0,
        status: Default::default(),
    };
    let job_spec: Map = match job_json(&template).get("spec") {
        Some(Value::Object(m)) => {
            m.iter().filter(|(k, _)| k.as_str() != "selector").map(|(k, v)| (k.clone(), v.clone())).collect()
        }
        _ => Map::new(),
    };
    let mut job_meta = Map::new();
    put_map(&mut job_meta, "labels", &cj.spec.job_labels);
    put_map(&mut job_meta, "annotations", &cj.spec.job_annotations);
    let mut spec = Map::new();
    spec.insert("schedule".into(), Value::from(cj.spec.schedule.as_str()));
    if let Some(z) = &cj.spec.time_zone {
        spec.insert("timeZone".into(), Value::from(z.as_str()));
    }
    if let Some(d) = cj.spec.starting_deadline_seconds {
        spec.insert("startingDeadlineSeconds".into(), Value::from(d));
    }
    spec.insert("concurrencyPolicy".into(), Value::from(cj.spec.concurrency_policy));
    spec.insert("suspend".into(), Value::from(cj.spec.suspend));
    spec.insert("jobTemplate".into(), json!({ "metadata": Value::Object(job_meta), "spec": Value::Object(job_spec) }));
    spec.insert("successfulJobsHistoryLimit".into(), Value::from(cj.spec.successful_jobs_history_limit));
    spec.insert("failedJobsHistoryLimit".into(), Value::from(cj.spec.failed_jobs_history_limit));
    let st = &c.status;
    let mut status = Map::new();
    put_vec(
        &mut status,
        "active",
        st.active
            .iter()
            .map(|(name, uid)| json!({ "kind": "Job", "namespace": meta.namespace, "name": name, "uid": uid, "apiVersion": "batch/v1" }))
            .collect(),
    );
    if let Some(t) = st.last_schedule_ms {
        status.insert("lastScheduleTime".into(), Value::from(rfc3339(t)));
    }
    if let Some(t) = st.last_successful_ms {
        status.insert("lastSuccessfulTime".into(), Value::from(rfc3339(t)));
    }
    json!({ "kind": "CronJob", "apiVersion": "batch/v1", "metadata": metadata, "spec": Value::Object(spec), "status": Value::Object(status) })
}

/// An `apps/v1 StatefulSet` (`StatefulSetSpec` and `StatefulSetStatus` field order).
pub fn statefulset_json(s: &StatefulSetSnapshot) -> Value {
    let set = &s.stateful_set;
    let meta = &set.metadata;
    let metadata = object_meta(
        Some(s.generation),
        &meta.name,
        None,
        &meta.namespace,
        &s.server,
        &meta.labels,
        &meta.annotations,
        Vec::new(),
    );
    let mut spec = Map::new();
    spec.insert("replicas".into(), Value::from(set.spec.replicas));
    spec.insert("selector".into(), selector_json(&set.spec.selector));
    spec.insert("template".into(), pod_template_json(&set.spec.template));
    put_vec(
        &mut spec,
        "volumeClaimTemplates",
        set.spec
            .volume_claim_templates
            .iter()
            .map(|c| {
                let mut m = Map::new();
                put_str(&mut m, "name", &c.name);
                put_map(&mut m, "labels", &c.labels);
                let mut cs = json!({ "accessModes": c.access_modes, "resources": { "requests": { "storage": c.storage } } });
                if let Some(class) = &c.storage_class_name {
                    cs["storageClassName"] = Value::from(class.as_str());
                }
                cs["volumeMode"] = Value::from("Filesystem");
                json!({ "kind": "PersistentVolumeClaim", "apiVersion": "v1", "metadata": Value::Object(m), "spec": cs, "status": { "phase": "Pending" } })
            })
            .collect(),
    );
    if let Some(svc) = &set.spec.service_name {
        spec.insert("serviceName".into(), Value::from(svc.as_str()));
    }
    spec.insert("podManagementPolicy".into(), Value::from(set.spec.pod_management_policy.as_str()));
    spec.insert(
        "updateStrategy".into(),
        match set.spec.update_strategy {
            crate::core::api::StatefulSetUpdateStrategy::OnDelete => json!({ "type": "OnDelete" }),
            crate::core::api::StatefulSetUpdateStrategy::RollingUpdate { partition } => {
                json!({ "type": "RollingUpdate", "rollingUpdate": { "partition": partition } })
            }
        },
    );
    spec.insert("revisionHistoryLimit".into(), Value::from(set.spec.revision_history_limit));
    if set.spec.min_ready_seconds > 0 {
        spec.insert("minReadySeconds".into(), Value::from(set.spec.min_ready_seconds));
    }
    spec.insert(
        "persistentVolumeClaimRetentionPolicy".into(),
        json!({ "whenDeleted": "Retain", "whenScaled": "Retain" }),
    );
    let st = &s.status;
    let mut status = Map::new();
    if st.observed_generation != 0 {
        status.insert("observedGeneration".into(), Value::from(st.observed_generation));
    }
    status.insert("replicas".into(), Value::from(st.replicas));
    for (k, v) in [
        ("readyReplicas", st.ready_replicas),
        ("currentReplicas", st.current_replicas),
        ("updatedReplicas", st.updated_replicas),
    ] {
        if v != 0 {
            status.insert(k.into(), Value::from(v));
        }
    }
    put_str(&mut status, "currentRevision", &st.current_revision);
    put_str(&mut status, "updateRevision", &st.update_revision);
    status.insert("collisionCount".into(), Value::from(st.collision_count));
    status.insert("availableReplicas".into(), Value::from(st.available_replicas));
    json!({ "kind": "StatefulSet", "apiVersion": "apps/v1", "metadata": metadata, "spec": Value::Object(spec), "status": Value::Object(status) })
}

/// `metadata` with the finalizer the StorageObjectInUseProtection admission
/// plugin adds to every claim and volume (plugin/pkg/admission/storage/
/// storageobjectinuseprotection): `finalizers` comes last in `ObjectMeta`.
fn with_protection(mut metadata: Value, finalizer: &str) -> Value {
    if let Value::Object(m) = &mut metadata {
        m.insert("finalizers".into(), json!([finalizer]));
    }
    metadata
}

/// A `v1 PersistentVolumeClaim`: `volumeName`, `status.accessModes` and
/// `status.capacity` once bound (`PersistentVolumeClaimSpec`/`Status` field order).
pub fn pvc_json(c: &PersistentVolumeClaimSnapshot) -> Value {
    let metadata = object_meta(None, &c.name, None, &c.namespace, &c.server, &c.labels, &c.annotations, Vec::new());
    let metadata = with_protection(metadata, "kubernetes.io/pvc-protection");
    let mut spec = Map::new();
    spec.insert("accessModes".into(), json!(c.access_modes));
    spec.insert("resources".into(), json!({ "requests": { "storage": c.storage } }));
    put_str(&mut spec, "volumeName", &c.volume_name);
    if !c.storage_class_name.is_empty() {
        spec.insert("storageClassName".into(), Value::from(c.storage_class_name.as_str()));
    }
    spec.insert("volumeMode".into(), Value::from("Filesystem"));
    let mut status = Map::new();
    status.insert("phase".into(), Value::from(c.phase));
    if !c.volume_name.is_empty() {
        status.insert("accessModes".into(), json!(c.bound_access_modes));
        status.insert("capacity".into(), json!({ "storage": c.capacity }));
    }
    json!({
        "kind": "PersistentVolumeClaim",
        "apiVersion": "v1",
        "metadata": metadata,
        "spec": Value::Object(spec),
        "status": Value::Object(status),
    })
}

/// A `v1 PersistentVolume` (`PersistentVolumeSpec` field order: capacity,
/// the volume source, accessModes, claimRef, persistentVolumeReclaimPolicy,
/// storageClassName, volumeMode, nodeAffinity; status phase and
/// lastPhaseTransitionTime).
pub fn pv_json(v: &crate::core::status::PersistentVolumeSnapshot) -> Value {
    let pv = &v.volume;
    let m = &pv.metadata;
    let metadata = object_meta(None, &m.name, None, "", &v.server, &m.labels, &v.annotations, Vec::new());
    let metadata = with_protection(metadata, "kubernetes.io/pv-protection");
    let mut spec = Map::new();
    spec.insert("capacity".into(), json!({ "storage": pv.spec.storage }));
    if let (kind @ ("hostPath" | "local"), Some(path)) = (pv.spec.source_kind, &pv.spec.path) {
        spec.insert(kind.into(), json!({ "path": path }));
    }
    spec.insert("accessModes".into(), json!(pv.spec.access_modes));
    if let Some(c) = &v.claim {
        spec.insert("claimRef".into(),
            json!({ "kind": "PersistentVolumeClaim", "namespace": c.namespace, "name": c.name, "uid": c.uid, "apiVersion": "v1" }),
        );
    }
    spec.insert("persistentVolumeReclaimPolicy".into(), Value::from(pv.spec.reclaim_policy.as_str()));
    put_str(&mut spec, "storageClassName", &pv.spec.storage_class_name);
    spec.insert("volumeMode".into(), Value::from("Filesystem"));
    if !pv.spec.node_affinity.is_empty() {
        let requirements = |rs: &[crate::core::api::NodeSelectorRequirement]| -> Vec<Value> {
            let r = |r: &crate::core::api::NodeSelectorRequirement| {
                let mut m = Map::new();
                m.insert("key".into(), Value::from(r.key.as_str()));
                m.insert("operator".into(), Value::from(r.operator.as_str()));
                if !r.values.is_empty() {
                    m.insert("values".into(), json!(r.values));
                }
                Value::Object(m)
            };
            rs.iter().map(r).collect()
        };
        let terms: Vec<Value> = pv
            .spec
            .node_affinity
            .iter()
            .map(|t| {
                let mut m = Map::new();
                put_vec(&mut m, "matchExpressions", requirements(&t.match_expressions));
                put_vec(&mut m, "matchFields", requirements(&t.match_fields));
                Value::Object(m)
            })
            .collect();
        spec.insert("nodeAffinity".into(), json!({ "required": { "nodeSelectorTerms": terms } }));
    }
    json!({
        "kind": "PersistentVolume",
        "apiVersion": "v1",
        "metadata": metadata,
        "spec": Value::Object(spec),
        "status": { "phase": v.phase, "lastPhaseTransitionTime": rfc3339(v.phase_ms) },
    })
}

/// A `storage.k8s.io/v1 StorageClass` (`StorageClass` field order:
/// provisioner, parameters, reclaimPolicy, allowVolumeExpansion,
/// volumeBindingMode).
pub fn storageclass_json(c: &crate::core::status::StorageClassSnapshot) -> Value {
    let sc = &c.class;
    let mut o = stored_head::<StorageClass>(&sc.metadata, &c.server);
    o.insert("provisioner".into(), Value::from(sc.provisioner.as_str()));
    put_map(&mut o, "parameters", &sc.parameters);
    o.insert("reclaimPolicy".into(), Value::from(sc.reclaim_policy.as_str()));
    if let Some(b) = sc.allow_volume_expansion {
        o.insert("allowVolumeExpansion".into(), Value::from(b));
    }
    o.insert("volumeBindingMode".into(), Value::from(sc.volume_binding_mode.as_str()));
    Value::Object(o)
}

/// `kind`, `apiVersion` and the stored metadata of an object without
/// owners, from its kind's constants (no namespace for a cluster-scoped one).
fn stored_head<K: Resource>(m: &crate::core::api::ObjectMeta, server: &ServerMeta) -> Map {
    let namespace = if K::NAMESPACED { m.namespace.as_str() } else { "" };
    let mut o = Map::new();
    o.insert("kind".into(), Value::from(K::KIND));
    o.insert("apiVersion".into(), Value::from(K::API_VERSION));
    let metadata = object_meta(None, &m.name, None, namespace, server, &m.labels, &m.annotations, Vec::new());
    o.insert("metadata".into(), metadata);
    o
}

/// A `v1 Namespace` (its `kubernetes.io/metadata.name` label is the
/// engine's, as the API server stores it): the `kubernetes` finalizer and
/// its phase (`PrepareForCreate`, pkg/registry/core/namespace/strategy.go).
pub fn namespace_json(n: &crate::core::status::NamespaceSnapshot) -> Value {
    let mut o = stored_head::<Namespace>(&n.namespace.metadata, &n.server);
    o.insert("spec".into(), json!({ "finalizers": ["kubernetes"] }));
    o.insert("status".into(), json!({ "phase": n.phase() }));
    Value::Object(o)
}

/// A `v1 ConfigMap` (`ConfigMap` field order: metadata, data).
pub fn configmap_json(c: &crate::core::status::ConfigMapSnapshot) -> Value {
    let mut o = stored_head::<ConfigMap>(&c.config_map.metadata, &c.server);
    put_map(&mut o, "data", &c.config_map.data);
    Value::Object(o)
}

/// A `v1 Secret`: `data` in standard base64, then `type`.
pub fn secret_json(s: &crate::core::status::SecretSnapshot) -> Value {
    let mut o = stored_head::<Secret>(&s.secret.metadata, &s.server);
    let data: BTreeMap<String, String> =
        s.secret.data.iter().map(|(k, v)| (k.clone(), crate::core::base64::encode_std(v.as_bytes()))).collect();
    put_map(&mut o, "data", &data);
    o.insert("type".into(), Value::from(s.secret.type_.as_str()));
    Value::Object(o)
}

/// A `scheduling.k8s.io/v1 PriorityClass` (`PriorityClass` field order:
/// value, globalDefault and description when set, preemptionPolicy).
pub fn priorityclass_json(p: &crate::core::status::PriorityClassSnapshot) -> Value {
    let pc = &p.class;
    let mut o = stored_head::<PriorityClass>(&pc.metadata, &p.server);
    o.insert("value".into(), Value::from(pc.value));
    if pc.global_default {
        o.insert("globalDefault".into(), Value::from(true));
    }
    if !pc.description.is_empty() {
        o.insert("description".into(), Value::from(pc.description.as_str()));
    }
    o.insert("preemptionPolicy".into(), Value::from(pc.preemption_policy.as_str()));
    Value::Object(o)
}

/// A `policy/v1 PodDisruptionBudget` (`PodDisruptionBudgetSpec` and
/// `PodDisruptionBudgetStatus` field order; its one condition is
/// `metav1.Condition`).
pub fn pdb_json(p: &PodDisruptionBudgetSnapshot) -> Value {
    let meta = &p.pdb.metadata;
    let metadata = object_meta(
        Some(p.generation),
        &meta.name,
        None,
        &meta.namespace,
        &p.server,
        &meta.labels,
        &meta.annotations,
        Vec::new(),
    );
    let mut spec = Map::new();
    if let Some(min) = p.pdb.spec.min_available {
        spec.insert("minAvailable".into(), int_or_string_json(min));
    }
    if let Some(sel) = &p.pdb.spec.selector {
        spec.insert("selector".into(), selector_json(sel));
    }
    if let Some(max) = p.pdb.spec.max_unavailable {
        spec.insert("maxUnavailable".into(), int_or_string_json(max));
    }
    if let Some(policy) = &p.pdb.spec.unhealthy_pod_eviction_policy {
        spec.insert("unhealthyPodEvictionPolicy".into(), Value::from(policy.as_str()));
    }
    let st = &p.status;
    let c = &st.condition;
    let mut status = Map::new();
    status.insert("observedGeneration".into(), Value::from(st.observed_generation));
    status.insert("disruptionsAllowed".into(), Value::from(st.disruptions_allowed));
    status.insert("currentHealthy".into(), Value::from(st.current_healthy));
    status.insert("desiredHealthy".into(), Value::from(st.desired_healthy));
    status.insert("expectedPods".into(), Value::from(st.expected_pods));
    if !c.reason.is_empty() {
        let condition = json!({
            "type": "DisruptionAllowed",
            "status": if c.status { "True" } else { "False" },
            "observedGeneration": st.observed_generation,
            "lastTransitionTime": rfc3339(c.last_transition_ms),
            "reason": c.reason,
            "message": c.message,
        });
        status.insert("conditions".into(), Value::Array(vec![condition]));
    }
    json!({ "kind": "PodDisruptionBudget", "apiVersion": "policy/v1", "metadata": metadata, "spec": Value::Object(spec), "status": Value::Object(status) })
}

/// A Pod as the API server returns it.
pub fn pod_json(p: &PodSnapshot) -> Value {
    let meta = &p.pod.metadata;
    let spec = &p.pod.spec;
    let st = &p.status;
    let s = pod_spec_json(spec, p.node_name.as_deref(), false);

    let mut t = Map::new();
    t.insert("phase".into(), Value::from(st.phase.as_str()));
    let conditions = st
        .conditions
        .iter()
        .map(|c| {
            let mut cm = Map::new();
            cm.insert("type".into(), Value::from(c.type_.as_str()));
            cm.insert("status".into(), Value::from(if c.status { "True" } else { "False" }));
            cm.insert("lastProbeTime".into(), Value::Null);
            cm.insert("lastTransitionTime".into(), Value::from(rfc3339(c.last_transition_ms)));
            put_str(&mut cm, "reason", c.reason.as_deref().unwrap_or(""));
            put_str(&mut cm, "message", c.message.as_deref().unwrap_or(""));
            Value::Object(cm)
        })
        .collect();
    put_vec(&mut t, "conditions", conditions);
    put_str(&mut t, "message", st.message.as_deref().unwrap_or(""));
    put_str(&mut t, "reason", st.reason.as_deref().unwrap_or(""));
    if let Some(ip) = st.host_ip {
        t.insert("hostIP".into(), Value::from(ip.to_string()));
        t.insert("hostIPs".into(), json!([{ "ip": ip.to_string() }]));
    }
    if let Some(ip) = st.pod_ip {
        t.insert("podIP".into(), Value::from(ip.to_string()));
        t.insert("podIPs".into(), json!([{ "ip": ip.to_string() }]));
    }
    if let Some(start) = st.start_time_ms {
        t.insert("startTime".into(), Value::from(rfc3339(start)));
    }
    put_vec(&mut t, "initContainerStatuses", st.init_container_statuses.iter().map(container_status_json).collect());
    put_vec(&mut t, "containerStatuses", st.container_statuses.iter().map(container_status_json).collect());
    put_str(&mut t, "qosClass", st.qos_class);

    let mut m = Map::new();
    m.insert("kind".into(), Value::from("Pod"));
    m.insert("apiVersion".into(), Value::from("v1"));
    m.insert(
        "metadata".into(),
        object_meta(
            None,
            &meta.name,
            meta.generate_name.as_deref(),
            &meta.namespace,
            &p.server,
            &meta.labels,
            &meta.annotations,
            owner_refs_json(&meta.owner_references),
        ),
    );
    m.insert("spec".into(), Value::Object(s));
    m.insert("status".into(), Value::Object(t));
    Value::Object(m)
}

/// A `v1 Event`. Events from the kubelet come from the legacy recorder
/// (`firstTimestamp`/`lastTimestamp`/`count`, `eventTime: null`); events from
/// `default-scheduler` come through the `events.k8s.io` API, and read back as
/// core/v1 with an `eventTime`, `action`, an empty `source` and no timestamps.
pub fn event_json(e: &Event) -> Value {
    let mut meta = Map::new();
    meta.insert("name".into(), Value::from(e.name.as_str()));
    meta.insert("namespace".into(), Value::from(e.involved.namespace.as_str()));
    meta.insert("creationTimestamp".into(), Value::from(rfc3339(e.first_ms)));

    let mut inv = Map::new();
    inv.insert("kind".into(), Value::from(e.involved.kind));
    put_str(&mut inv, "namespace", &e.involved.namespace);
    put_str(&mut inv, "name", &e.involved.name);
    put_str(&mut inv, "uid", &e.involved.uid);
    let api_version = match e.involved.kind {
        "Deployment" | "ReplicaSet" => "apps/v1",
        _ => "v1",
    };
    inv.insert("apiVersion".into(), Value::from(api_version));
    put_str(&mut inv, "fieldPath", e.involved.field_path.as_deref().unwrap_or(""));

    let mut m = Map::new();
    m.insert("kind".into(), Value::from("Event"));
    m.insert("apiVersion".into(), Value::from("v1"));
    m.insert("metadata".into(), Value::Object(meta));
    m.insert("involvedObject".into(), Value::Object(inv));
    m.insert("reason".into(), Value::from(e.reason.as_str()));
    m.insert("message".into(), Value::from(e.message.as_str()));
    let host = e.source_host.as_deref().unwrap_or("");
    if e.source_component == "default-scheduler" {
        m.insert("source".into(), json!({}));
        m.insert("firstTimestamp".into(), Value::Null);
        m.insert("lastTimestamp".into(), Value::Null);
        m.insert("type".into(), Value::from(e.type_.as_str()));
        m.insert("eventTime".into(), Value::from(rfc3339_micro(e.first_ms)));
        m.insert("action".into(), Value::from("Binding"));
        m.insert("reportingComponent".into(), Value::from(e.source_component));
        m.insert("reportingInstance".into(), Value::from(host));
    } else {
        let mut src = Map::new();
        put_str(&mut src, "component", e.source_component);
        put_str(&mut src, "host", host);
        m.insert("source".into(), Value::Object(src));
        m.insert("firstTimestamp".into(), Value::from(rfc3339(e.first_ms)));
        m.insert("lastTimestamp".into(), Value::from(rfc3339(e.last_ms)));
        m.insert("count".into(), Value::from(e.count));
        m.insert("type".into(), Value::from(e.type_.as_str()));
        m.insert("eventTime".into(), Value::Null);
        m.insert("reportingComponent".into(), Value::from(e.source_component));
        m.insert("reportingInstance".into(), Value::from(host));
    }
    Value::Object(m)
}

/// A Service with the API server's defaults (single-stack IPv4).
pub fn service_json(s: &ServiceSnapshot) -> Value {
    let svc = &s.service;
    let meta = &svc.metadata;
    let mut spec = Map::new();
    let ports = svc
        .spec
        .ports
        .iter()
        .map(|p| {
            let mut pm = Map::new();
            put_str(&mut pm, "name", p.name.as_deref().unwrap_or(""));
            put_str(&mut pm, "protocol", &p.protocol);
            pm.insert("port".into(), Value::from(p.port));
            pm.insert("targetPort".into(), int_or_string(&p.target_port));
            Value::Object(pm)
        })
        .collect();
    put_vec(&mut spec, "ports", ports);
    put_map(&mut spec, "selector", &svc.spec.selector);
    let ip = s.cluster_ip.map_or_else(|| "None".to_string(), |ip| ip.to_string());
    spec.insert("clusterIP".into(), Value::from(ip.as_str()));
    spec.insert("clusterIPs".into(), json!([ip]));
    put_str(&mut spec, "type", &svc.spec.type_);
    spec.insert("sessionAffinity".into(), Value::from("None"));
    spec.insert("ipFamilies".into(), json!(["IPv4"]));
    spec.insert("ipFamilyPolicy".into(), Value::from("SingleStack"));
    spec.insert("internalTrafficPolicy".into(), Value::from("Cluster"));

    let mut m = Map::new();
    m.insert("kind".into(), Value::from("Service"));
    m.insert("apiVersion".into(), Value::from("v1"));
    m.insert(
        "metadata".into(),
        object_meta(None, &meta.name, None, &meta.namespace, &s.server, &meta.labels, &meta.annotations, Vec::new()),
    );
    m.insert("spec".into(), Value::Object(spec));
    m.insert("status".into(), json!({ "loadBalancer": {} }));
    Value::Object(m)
}

/// An EndpointSlice as the EndpointSlice controller writes it
/// (`discovery.k8s.io/v1`). Its owner reference names the Service; the
/// Service's UID is not in the snapshot, see [`endpointslice_json_owned`].
pub fn endpointslice_json(e: &EndpointSliceSnapshot) -> Value {
    endpointslice_json_owned(e, "")
}

/// [`endpointslice_json`] with the owning Service's UID in `ownerReferences`
/// (left out when `service_uid` is empty).
pub fn endpointslice_json_owned(e: &EndpointSliceSnapshot, service_uid: &str) -> Value {
    let mut labels = BTreeMap::new();
    labels.insert("endpointslice.kubernetes.io/managed-by".to_string(), "endpointslice-controller.k8s.io".to_string());
    labels.insert("kubernetes.io/service-name".to_string(), e.service_name.clone());
    let mut owner = Map::new();
    owner.insert("apiVersion".into(), Value::from("v1"));
    owner.insert("kind".into(), Value::from("Service"));
    owner.insert("name".into(), Value::from(e.service_name.as_str()));
    put_str(&mut owner, "uid", service_uid);
    owner.insert("controller".into(), Value::from(true));
    owner.insert("blockOwnerDeletion".into(), Value::from(true));
    let generate = format!("{}-", e.service_name);
    let meta = object_meta(
        None,
        &e.name,
        Some(&generate),
        &e.namespace,
        &e.server,
        &labels,
        &BTreeMap::new(),
        vec![Value::Object(owner)],
    );
    let endpoints: Vec<Value> = e
        .endpoints
        .iter()
        .map(|ep| {
            let mut m = Map::new();
            m.insert("addresses".into(), json!([ep.ip.to_string()]));
            m.insert(
                "conditions".into(),
                json!({ "ready": ep.ready, "serving": ep.serving, "terminating": ep.terminating }),
            );
            m.insert("targetRef".into(), json!({ "kind": "Pod", "namespace": e.namespace, "name": ep.pod_name }));
            put_str(&mut m, "nodeName", &ep.node_name);
            Value::Object(m)
        })
        .collect();
    let ports: Vec<Value> = e
        .ports
        .iter()
        .map(|p| json!({ "name": p.name.as_deref().unwrap_or(""), "protocol": p.protocol, "port": p.port }))
        .collect();

    let mut m = Map::new();
    m.insert("kind".into(), Value::from("EndpointSlice"));
    m.insert("apiVersion".into(), Value::from("discovery.k8s.io/v1"));
    m.insert("metadata".into(), meta);
    m.insert("addressType".into(), Value::from("IPv4"));
    // `endpoints` has no omitempty: an empty slice is `[]`... unless nil, which
    // the controller writes as `null`; podplay writes `[]`.
    m.insert("endpoints".into(), Value::Array(endpoints));
    m.insert("ports".into(), Value::Array(ports));
    Value::Object(m)
}

/// An `apps/v1 DaemonSet` (`DaemonSetSpec`, `DaemonSetStatus` field order:
/// the four counts without omitempty, the rest omitted when zero), with the
/// `deprecated.daemonset.template.generation` annotation the apps/v1
/// conversion writes (pkg/apis/apps/v1/conversion.go) and the defaulted
/// `revisionHistoryLimit` 10 (`SetDefaults_DaemonSet`).
pub fn daemonset_json(d: &crate::core::engine::DaemonSetSnapshot) -> Value {
    use crate::core::api::DaemonSetUpdateStrategy;
    let ds = &d.daemon_set;
    let meta = &ds.metadata;
    let mut annotations = meta.annotations.clone();
    annotations.insert("deprecated.daemonset.template.generation".into(), d.template_generation.to_string());
    let metadata = object_meta(
        Some(d.generation),
        &meta.name,
        None,
        &meta.namespace,
        &d.server,
        &meta.labels,
        &annotations,
        Vec::new(),
    );
    let mut spec = Map::new();
    spec.insert("selector".into(), selector_json(&ds.selector));
    spec.insert("template".into(), pod_template_json(&ds.template));
    spec.insert(
        "updateStrategy".into(),
        match ds.update_strategy {
            DaemonSetUpdateStrategy::OnDelete => json!({ "type": "OnDelete" }),
            DaemonSetUpdateStrategy::RollingUpdate { max_surge, max_unavailable } => {
                rolling_update_json(max_surge, max_unavailable)
            }
        },
    );
    if ds.min_ready_seconds > 0 {
        spec.insert("minReadySeconds".into(), Value::from(ds.min_ready_seconds));
    }
    spec.insert("revisionHistoryLimit".into(), Value::from(10));
    let st = &d.status;
    let mut status = Map::new();
    status.insert("currentNumberScheduled".into(), Value::from(st.current));
    status.insert("numberMisscheduled".into(), Value::from(0));
    status.insert("desiredNumberScheduled".into(), Value::from(st.desired));
    status.insert("numberReady".into(), Value::from(st.ready));
    for (k, v) in [
        ("observedGeneration", st.observed_generation),
        ("updatedNumberScheduled", st.updated as i64),
        ("numberAvailable", st.available as i64),
        ("numberUnavailable", st.unavailable as i64),
    ] {
        if v != 0 {
            status.insert(k.into(), Value::from(v));
        }
    }
    json!({ "kind": "DaemonSet", "apiVersion": "apps/v1", "metadata": metadata, "spec": Value::Object(spec), "status": Value::Object(status) })
}

/// A value with every object's keys sorted, as Go's `encoding/json` writes
/// a `map[string]interface{}`.
fn sorted_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(String, Value)> = m.iter().map(|(k, v)| (k.clone(), sorted_keys(v))).collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted_keys).collect()),
        other => other.clone(),
    }
}

/// An `apps/v1 ControllerRevision` of a DaemonSet: `data` is the
/// DaemonSet's `getPatch` (pkg/controller/daemon/update.go), its template
/// with `"$patch": "replace"` under `spec`, marshalled from a generic map
/// (so every key sorted), then `revision`.
pub fn controllerrevision_json(r: &crate::core::engine::ControllerRevisionSnapshot) -> Value {
    let mut labels = r.template.labels.clone();
    labels.insert("controller-revision-hash".into(), r.hash.clone());
    let owner = json!({
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "name": r.owner.0.as_str(),
        "uid": r.owner.1.as_str(),
        "controller": true,
        "blockOwnerDeletion": true,
    });
    let metadata = object_meta(None, &r.name, None, &r.namespace, &r.server, &labels, &r.annotations, vec![owner]);
    let mut template = sorted_keys(&pod_template_json(&r.template));
    if let Value::Object(m) = &mut template {
        let mut with_patch = Map::new();
        with_patch.insert("$patch".into(), Value::from("replace"));
        for (k, v) in m.iter() {
            with_patch.insert(k.clone(), v.clone());
        }
        *m = with_patch;
    }
    json!({
        "kind": "ControllerRevision",
        "apiVersion": "apps/v1",
        "metadata": metadata,
        "data": { "spec": { "template": template } },
        "revision": r.revision,
    })
}

/// A `v1 Node` as a kind worker's kubelet registers it (`NodeSpec`,
/// `NodeStatus` field order): podCIDR(s) and `kind://` providerID, the
/// taints (the node lifecycle controller's NoExecute ones with
/// `timeAdded`), capacity = allocatable (CPU, memory, Pods), the kubelet's
/// four conditions (`setters.go`: MemoryPressure, DiskPressure,
/// PIDPressure, Ready; all Unknown with `NodeStatusUnknown` "Kubelet
/// stopped posting node status." once the node lifecycle controller gives
/// up on it), InternalIP and Hostname, the kubelet port 10250, and
/// `nodeInfo`. podplay's own: the heartbeat time (shown as the last
/// transition), the machine's ids (derived from the name), its kernel.
pub fn node_json(n: &crate::core::engine::NodeSnapshot) -> Value {
    use crate::core::engine::NodeReady;
    let server = ServerMeta {
        uid: n.uid.clone(),
        creation_ms: n.creation_ms,
        resource_version: n.resource_version,
        deletion_ms: None,
        deletion_grace_period_seconds: None,
    };
    let mut annotations = BTreeMap::new();
    annotations.insert(
        "kubeadm.alpha.kubernetes.io/cri-socket".to_string(),
        "unix:///run/containerd/containerd.sock".to_string(),
    );
    annotations.insert("node.alpha.kubernetes.io/ttl".to_string(), "0".to_string());
    annotations.insert("volumes.kubernetes.io/controller-managed-attach-detach".to_string(), "true".to_string());
    let metadata = object_meta(None, &n.name, None, "", &server, &n.labels, &annotations, Vec::new());
    let cidr = format!("{}/24", n.pod_cidr);
    let mut spec = Map::new();
    spec.insert("podCIDR".into(), Value::from(cidr.as_str()));
    spec.insert("podCIDRs".into(), json!([cidr.as_str()]));
    spec.insert("providerID".into(), Value::from(format!("kind://docker/kind/{}", n.name)));
    if n.unschedulable {
        spec.insert("unschedulable".into(), Value::from(true));
    }
    let taints: Vec<Value> = n
        .taints
        .iter()
        .map(|t| {
            let mut m = Map::new();
            put_str(&mut m, "key", &t.key);
            put_str(&mut m, "value", &t.value);
            m.insert("effect".into(), Value::from(t.effect.as_str()));
            if t.key == crate::core::engine::TAINT_UNREACHABLE && t.effect == crate::core::api::TaintEffect::NoExecute {
                m.insert("timeAdded".into(), Value::from(rfc3339(n.ready_changed_ms)));
            }
            Value::Object(m)
        })
        .collect();
    put_vec(&mut spec, "taints", taints);
    let resources = json!({ "cpu": format_cpu(n.cpu_millis), "memory": format_memory(n.memory_bytes), "pods": n.max_pods.to_string() });
    let at = rfc3339(n.ready_changed_ms.max(n.creation_ms));
    let conditions: Vec<Value> = [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ]
    .iter()
    .map(|&(type_, status, reason, message)| {
        let (status, reason, message) = match n.ready {
            NodeReady::True => (status, reason, message),
            NodeReady::Unknown => ("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."),
        };
        json!({ "type": type_, "status": status, "lastHeartbeatTime": at.as_str(), "lastTransitionTime": at.as_str(), "reason": reason, "message": message })
    })
    .collect();
    let id = n.uid.replace('-', "");
    let status = json!({
        "capacity": resources.clone(),
        "allocatable": resources,
        "conditions": conditions,
        "addresses": [{ "type": "InternalIP", "address": n.internal_ip.to_string() }, { "type": "Hostname", "address": n.name.as_str() }],
        "daemonEndpoints": { "kubeletEndpoint": { "Port": 10250 } },
        "nodeInfo": {
            "machineID": id.as_str(),
            "systemUUID": n.uid.as_str(),
            "bootID": n.uid.as_str(),
            "kernelVersion": "6.8.0",
            "osImage": "Debian GNU/Linux 12 (bookworm)",
            "containerRuntimeVersion": "containerd://2.1.1",
            "kubeletVersion": crate::core::engine::KUBELET_VERSION,
            "kubeProxyVersion": "",
            "operatingSystem": "linux",
            "architecture": "amd64",
        },
    });
    json!({ "kind": "Node", "apiVersion": "v1", "metadata": metadata, "spec": Value::Object(spec), "status": status })
}

/// One line of a watch stream: `{"time": …, "type": "ADDED"|"MODIFIED"|"DELETED", "object": …}`.
/// (The API server's watch events carry only `type` and `object`; `time` is podplay's.)
pub fn watch_event_json(time_ms: Millis, type_: &str, object: Value) -> Value {
    let mut m = Map::new();
    m.insert("time".into(), Value::from(rfc3339(time_ms)));
    m.insert("type".into(), Value::from(type_));
    m.insert("object".into(), object);
    Value::Object(m)
}

/// The watch event of any engine output, each kind as its `*_json` prints it
/// (an EndpointSlice without its Service's uid: see [`endpointslice_json_owned`]).
pub fn output_json(o: &crate::core::engine::Output) -> Value {
    use crate::core::engine::Snapshot;
    let object = match &o.object {
        Snapshot::Pod(pod) => pod_json(pod),
        Snapshot::Service(service) => service_json(service),
        Snapshot::EndpointSlice(slice) => endpointslice_json(slice),
        Snapshot::Event(event) => event_json(event),
        Snapshot::Deployment(deployment) => deployment_json(deployment),
        Snapshot::ReplicaSet(replica_set) => replicaset_json(replica_set),
        Snapshot::Job(job) => job_json(job),
        Snapshot::CronJob(cron_job) => cronjob_json(cron_job),
        Snapshot::StatefulSet(stateful_set) => statefulset_json(stateful_set),
        Snapshot::PersistentVolumeClaim(claim) => pvc_json(claim),
        Snapshot::PersistentVolume(volume) => pv_json(volume),
        Snapshot::StorageClass(class) => storageclass_json(class),
        Snapshot::PodDisruptionBudget(pdb) => pdb_json(pdb),
        Snapshot::ConfigMap(config_map) => configmap_json(config_map),
        Snapshot::Secret(secret) => secret_json(secret),
        Snapshot::Namespace(namespace) => namespace_json(namespace),
        Snapshot::DaemonSet(daemon_set) => daemonset_json(daemon_set),
        Snapshot::ControllerRevision(revision) => controllerrevision_json(revision),
        Snapshot::Node(node) => node_json(node),
    };
    watch_event_json(o.time_ms, o.type_.as_str(), object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::api::{
        Container, ContainerPort, Handler, Lifecycle, ObjectMeta, Pod, PodSpec, PortRef, Pos, Probe, PullPolicy,
        ResourceList, Resources, RestartPolicy, Service, ServicePort, ServiceSpec, Volume, VolumeSource,
    };
    use crate::core::status::{
        ConditionType, Endpoint, EndpointPort, EventType, ObjectRef, PodCondition, PodPhase, PodStatus, Terminated,
    };
    use std::net::Ipv4Addr;
    use std::sync::Arc;

    fn server(uid: &str) -> ServerMeta {
        ServerMeta {
            uid: uid.into(),
            creation_ms: 0,
            resource_version: 42,
            deletion_ms: None,
            deletion_grace_period_seconds: None,
        }
    }

    fn web_container() -> Container {
        Container {
            name: "web".into(),
            image: "nginx:1.27".into(),
            image_pull_policy: PullPolicy::IfNotPresent,
            command: vec![],
            args: vec![],
            env_from: vec![],
            working_dir: None,
            ports: vec![ContainerPort { name: None, container_port: 80, protocol: "TCP".into() }],
            env: vec![],
            resources: Resources {
                requests: ResourceList { cpu_millis: Some(100), memory_bytes: Some(134_217_728) },
                limits: ResourceList::default(),
            },
            volume_mounts: vec![],
            liveness_probe: Some(Probe {
                handler: Handler::TcpSocket { port: PortRef::Number(80), host: None },
                initial_delay_seconds: 0,
                timeout_seconds: 1,
                period_seconds: 10,
                success_threshold: 1,
                failure_threshold: 3,
                termination_grace_period_seconds: None,
            }),
            readiness_probe: None,
            startup_probe: None,
            lifecycle: Lifecycle::default(),
            restart_policy: None,
            termination_message_path: "/dev/termination-log".into(),
            termination_message_policy: "File".into(),
            pos: Pos::default(),
        }
    }

    fn pod() -> PodSnapshot {
        let mut labels = BTreeMap::new();
        labels.insert("app".to_string(), "web".to_string());
        PodSnapshot {
            pod: Arc::new(Pod {
                metadata: ObjectMeta {
                    name: "web".into(),
                    namespace: "default".into(),
                    labels,
                    ..ObjectMeta::default()
                },
                spec: PodSpec {
                    init_containers: vec![],
                    containers: vec![web_container()],
                    restart_policy: RestartPolicy::Always,
                    termination_grace_period_seconds: 30,
                    active_deadline_seconds: None,
                    volumes: vec![Volume { name: "cache".into(), source: VolumeSource::EmptyDir }],
                    node_name: None,
                    host_network: false,
                    node_selector: BTreeMap::new(),
                    hostname: None,
                    subdomain: None,
                    scheduler_name: "default-scheduler".into(),
                    dns_policy: "ClusterFirst".into(),
                    service_account_name: "default".into(),
                    tolerations: Vec::new(),
                    required_node_affinity: Vec::new(),
                    scheduling_gates: Vec::new(),
                    host_aliases: Vec::new(),
                    priority_class_name: None,
                    priority: None,
                    preemption_policy: None,
                    topology_spread_constraints: Vec::new(),
                },
            }),
            server: server("uid-1"),
            node_name: Some("node-1".into()),
            status: PodStatus {
                phase: PodPhase::Running,
                conditions: vec![PodCondition {
                    type_: ConditionType::Ready,
                    status: true,
                    last_transition_ms: 7_000,
                    reason: None,
                    message: None,
                }],
                host_ip: Some(Ipv4Addr::new(172, 18, 0, 2)),
                pod_ip: Some(Ipv4Addr::new(10, 244, 0, 5)),
                start_time_ms: Some(1_000),
                init_container_statuses: vec![],
                container_statuses: vec![ContainerStatus {
                    name: "web".into(),
                    image: "docker.io/library/nginx:1.27".into(),
                    image_id: "docker.io/library/nginx@sha256:ab12".into(),
                    container_id: "containerd://4f1e".into(),
                    state: ContainerState::Running { started_at_ms: 6_500 },
                    last_state: None,
                    ready: true,
                    restart_count: 0,
                    started: Some(true),
                }],
                qos_class: "Burstable",
                reason: None,
                message: None,
            },
        }
    }

    fn keys(v: &Value) -> Vec<&str> {
        v.as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default()
    }

    #[test]
    fn quantities() {
        assert_eq!(format_cpu(100), "100m");
        assert_eq!(format_cpu(2000), "2");
        assert_eq!(format_memory(134_217_728), "128Mi");
        assert_eq!(format_memory(1_000_000_000), "1G");
        assert_eq!(format_memory(1_610_612_736), "1536Mi");
        assert_eq!(format_memory(1_500), "1500");
    }

    #[test]
    fn pod_json_shape() {
        let v = pod_json(&pod());
        assert_eq!(keys(&v), ["kind", "apiVersion", "metadata", "spec", "status"]);
        assert_eq!(
            v["metadata"],
            json!({
                "name": "web", "namespace": "default", "uid": "uid-1", "resourceVersion": "42",
                "creationTimestamp": "2026-01-01T00:00:00Z", "labels": { "app": "web" }
            })
        );
        assert_eq!(
            keys(&v["spec"]),
            [
                "volumes",
                "containers",
                "restartPolicy",
                "terminationGracePeriodSeconds",
                "dnsPolicy",
                "serviceAccountName",
                "serviceAccount",
                "nodeName",
                "securityContext",
                "schedulerName",
                "tolerations",
                "priority",
                "enableServiceLinks",
                "preemptionPolicy"
            ]
        );
        assert_eq!(v["spec"]["volumes"], json!([{ "name": "cache", "emptyDir": {} }]));
        let c = &v["spec"]["containers"][0];
        assert_eq!(
            keys(c),
            [
                "name",
                "image",
                "ports",
                "resources",
                "livenessProbe",
                "terminationMessagePath",
                "terminationMessagePolicy",
                "imagePullPolicy"
            ]
        );
        assert_eq!(c["ports"], json!([{ "containerPort": 80, "protocol": "TCP" }]));
        assert_eq!(c["resources"], json!({ "requests": { "cpu": "100m", "memory": "128Mi" } }));
        // initialDelaySeconds: 0 is omitted (omitempty).
        assert_eq!(
            c["livenessProbe"].to_string(),
            r#"{"tcpSocket":{"port":80},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3}"#
        );
        assert_eq!(v["spec"]["tolerations"][1]["key"], "node.kubernetes.io/unreachable");
        assert_eq!(v["spec"]["tolerations"][1]["tolerationSeconds"], 300);

        let st = &v["status"];
        assert_eq!(
            keys(st),
            [
                "phase",
                "conditions",
                "hostIP",
                "hostIPs",
                "podIP",
                "podIPs",
                "startTime",
                "containerStatuses",
                "qosClass"
            ]
        );
        assert_eq!(
            st["conditions"][0].to_string(),
            r#"{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-01-01T00:00:07Z"}"#
        );
        assert_eq!(st["podIPs"], json!([{ "ip": "10.244.0.5" }]));
        assert_eq!(st["startTime"], "2026-01-01T00:00:01Z");
        assert_eq!(
            st["containerStatuses"][0].to_string(),
            r#"{"name":"web","state":{"running":{"startedAt":"2026-01-01T00:00:06Z"}},"lastState":{},"ready":true,"restartCount":0,"image":"docker.io/library/nginx:1.27","imageID":"docker.io/library/nginx@sha256:ab12","containerID":"containerd://4f1e","started":true}"#
        );
    }

    #[test]
    fn pod_json_waiting_terminated_and_deleting() {
        let mut p = pod();
        p.server.deletion_ms = Some(20_000);
        p.server.deletion_grace_period_seconds = Some(30);
        let cs = &mut p.status.container_statuses[0];
        cs.state = ContainerState::Waiting(crate::core::status::Waiting {
            reason: "CrashLoopBackOff".into(),
            message: Some("back-off 10s restarting failed container=web pod=web_default(uid-1)".into()),
        });
        cs.last_state = Some(ContainerState::Terminated(Terminated {
            exit_code: 137,
            reason: "OOMKilled".into(),
            message: None,
            signal: None,
            started_at_ms: 6_000,
            finished_at_ms: 9_000,
            container_id: "containerd://4f1e".into(),
        }));
        let v = pod_json(&p);
        assert_eq!(v["metadata"]["deletionTimestamp"], "2026-01-01T00:00:20Z");
        assert_eq!(v["metadata"]["deletionGracePeriodSeconds"], 30);
        let cs = &v["status"]["containerStatuses"][0];
        assert_eq!(
            cs["state"].to_string(),
            r#"{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 10s restarting failed container=web pod=web_default(uid-1)"}}"#
        );
        assert_eq!(
            cs["lastState"].to_string(),
            r#"{"terminated":{"exitCode":137,"reason":"OOMKilled","startedAt":"2026-01-01T00:00:06Z","finishedAt":"2026-01-01T00:00:09Z","containerID":"containerd://4f1e"}}"#
        );
    }

    fn event(component: &'static str) -> Event {
        Event {
            name: "web.18a1b2c3d4e5f601".into(),
            type_: EventType::Warning,
            reason: "BackOff".into(),
            message: "Back-off restarting failed container web in pod web_default(uid-1)".into(),
            involved: ObjectRef {
                kind: "Pod",
                namespace: "default".into(),
                name: "web".into(),
                uid: "uid-1".into(),
                field_path: Some("spec.containers{web}".into()),
            },
            source_component: component,
            source_host: Some("node-1".into()),
            count: 3,
            first_ms: 10_000,
            last_ms: 40_500,
        }
    }

    #[test]
    fn event_json_shape() {
        let v = event_json(&event("kubelet"));
        assert_eq!(
            v.to_string(),
            concat!(
                r#"{"kind":"Event","apiVersion":"v1","metadata":{"name":"web.18a1b2c3d4e5f601","namespace":"default","creationTimestamp":"2026-01-01T00:00:10Z"},"#,
                r#""involvedObject":{"kind":"Pod","namespace":"default","name":"web","uid":"uid-1","apiVersion":"v1","fieldPath":"spec.containers{web}"},"#,
                r#""reason":"BackOff","message":"Back-off restarting failed container web in pod web_default(uid-1)","#,
                r#""source":{"component":"kubelet","host":"node-1"},"firstTimestamp":"2026-01-01T00:00:10Z","lastTimestamp":"2026-01-01T00:00:40Z","#,
                r#""count":3,"type":"Warning","eventTime":null,"reportingComponent":"kubelet","reportingInstance":"node-1"}"#
            )
        );
        let s = event_json(&event("default-scheduler"));
        assert_eq!(s["source"], json!({}));
        assert_eq!(s["firstTimestamp"], Value::Null);
        assert_eq!(s["eventTime"], "2026-01-01T00:00:10.000000Z");
        assert_eq!(s["reportingComponent"], "default-scheduler");
        assert!(s.get("count").is_none());
    }

    #[test]
    fn service_and_endpointslice() {
        let mut selector = BTreeMap::new();
        selector.insert("app".to_string(), "web".to_string());
        let svc = ServiceSnapshot {
            service: Arc::new(Service {
                metadata: ObjectMeta { name: "web".into(), namespace: "default".into(), ..ObjectMeta::default() },
                spec: ServiceSpec {
                    selector,
                    ports: vec![ServicePort {
                        name: None,
                        protocol: "TCP".into(),
                        port: 80,
                        target_port: PortRef::Name("http".into()),
                    }],
                    cluster_ip: None,
                    type_: "ClusterIP".into(),
                },
            }),
            server: server("svc-uid"),
            cluster_ip: Some(Ipv4Addr::new(10, 96, 0, 10)),
        };
        let v = service_json(&svc);
        assert_eq!(
            v["spec"].to_string(),
            r#"{"ports":[{"protocol":"TCP","port":80,"targetPort":"http"}],"selector":{"app":"web"},"clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"type":"ClusterIP","sessionAffinity":"None","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack","internalTrafficPolicy":"Cluster"}"#
        );
        assert_eq!(v["status"], json!({ "loadBalancer": {} }));

        let slice = EndpointSliceSnapshot {
            name: "web-x7k2p".into(),
            namespace: "default".into(),
            service_name: "web".into(),
            server: server("slice-uid"),
            ports: vec![EndpointPort { name: None, port: 8080, protocol: "TCP".into() }],
            endpoints: vec![Endpoint {
                ip: Ipv4Addr::new(10, 244, 0, 5),
                ready: true,
                serving: true,
                terminating: false,
                pod_name: "web".into(),
                node_name: "node-1".into(),
            }],
        };
        let v = endpointslice_json_owned(&slice, "svc-uid");
        assert_eq!(keys(&v), ["kind", "apiVersion", "metadata", "addressType", "endpoints", "ports"]);
        assert_eq!(v["metadata"]["generateName"], "web-");
        assert_eq!(
            v["metadata"]["labels"].to_string(),
            r#"{"endpointslice.kubernetes.io/managed-by":"endpointslice-controller.k8s.io","kubernetes.io/service-name":"web"}"#
        );
        assert_eq!(
            v["metadata"]["ownerReferences"].to_string(),
            r#"[{"apiVersion":"v1","kind":"Service","name":"web","uid":"svc-uid","controller":true,"blockOwnerDeletion":true}]"#
        );
        assert_eq!(
            v["endpoints"].to_string(),
            r#"[{"addresses":["10.244.0.5"],"conditions":{"ready":true,"serving":true,"terminating":false},"targetRef":{"kind":"Pod","namespace":"default","name":"web"},"nodeName":"node-1"}]"#
        );
        assert_eq!(v["ports"].to_string(), r#"[{"name":"","protocol":"TCP","port":8080}]"#);
    }

    #[test]
    fn watch_event() {
        let v = watch_event_json(65_000, "MODIFIED", json!({ "kind": "Pod" }));
        assert_eq!(v.to_string(), r#"{"time":"2026-01-01T00:01:05Z","type":"MODIFIED","object":{"kind":"Pod"}}"#);
    }
}
