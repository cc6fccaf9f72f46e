//! The StatefulSet controller of kube-controller-manager, and the
//! PersistentVolumeClaims it makes from claim templates.
//!
//! Sources (kubernetes/kubernetes):
//! * `pkg/controller/statefulset/stateful_set_control.go` —
//!   `updateStatefulSet`, `processReplica` (a missing ordinal is created; a
//!   Failed or Succeeded Pod is deleted and then re-created with the same
//!   name; with `OrderedReady` the next ordinal waits until every lower one
//!   is Running and Ready, and Available when `minReadySeconds` is set
//!   (`isRunningAndAvailable`), and nothing proceeds while a Pod terminates),
//!   `processCondemned` (scale down from the highest ordinal, one at a time
//!   for `OrderedReady`), the rolling update (highest ordinal first, down to
//!   the partition), `computeReplicaStatus`;
//! * `stateful_set_utils.go` — `getPodName` (`<set>-<ordinal>`),
//!   `updateIdentity` (hostname, subdomain = serviceName, the
//!   `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index`
//!   labels), `getPersistentVolumeClaimName` (`<claim>-<set>-<ordinal>`),
//!   `getPersistentVolumeClaims` (the claim's labels plus the selector's);
//! * `stateful_pod_control.go` — `recordPodEvent` ("create Pod web-0 in
//!   StatefulSet web successful"), `recordClaimEvent` ("create Claim
//!   www-web-0 Pod web-0 in StatefulSet web success").
//!
//! The claims are bound by the PV controller and the scheduler's
//! VolumeBinding plugin (`volumes.rs`): with kind's default class,
//! once the Pod that uses them is scheduled (WaitForFirstConsumer).

use super::controllers::{
    available, controller_ref, obj_ref, template_hash, ControllerWork, CONTROLLER_HOP_MS, MAX_REPLICAS,
};
use super::{ActionError, ApplyResult, Sim, Snapshot, WatchType};
use crate::core::api::*;
use crate::core::status::*;
use crate::core::time::{Millis, SECOND_MS};
use std::sync::Arc;

super::controllers::published!(StatefulSetRt, StatefulSetSnapshot, StatefulSet);

pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
pub const REVISION_LABEL: &str = "controller-revision-hash";

const SOURCE: &str = "statefulset-controller";

pub(crate) struct StatefulSetRt {
    pub set: Arc<StatefulSet>,
    pub server: ServerMeta,
    pub generation: i64,
    pub status: StatefulSetStatus,
    pub published: Option<StatefulSetSnapshot>,
}

impl StatefulSetRt {
    pub fn snapshot(&self) -> StatefulSetSnapshot {
        StatefulSetSnapshot {
            stateful_set: self.set.clone(),
            server: self.server.clone(),
            generation: self.generation,
            status: self.status.clone(),
        }
    }
}

/// The revision name of a template: `<set>-<hash>` (the ControllerRevision
/// the `controller-revision-hash` label names).
fn revision_name(set: &StatefulSet) -> String {
    format!("{}-{}", set.metadata.name, template_hash(&set.spec.template))
}

/// What the controller needs to know of one of its Pods.
struct SetPod {
    ordinal: i64,
    name: String,
    phase: PodPhase,
    deleting: bool,
    running_ready: bool,
    /// Running, Ready and Ready for `minReadySeconds` (`isRunningAndAvailable`).
    available: bool,
    revision: Option<String>,
}

/// The ordinal of `pod` in `set` (`getParentNameAndOrdinal`), if it has one.
fn ordinal_of(set_name: &str, pod_name: &str) -> Option<i64> {
    let rest = pod_name.strip_prefix(set_name)?.strip_prefix('-')?;
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) || (rest.len() > 1 && rest.starts_with('0')) {
        return None;
    }
    rest.parse().ok()
}

impl Sim {
    pub(crate) fn create_stateful_set(&mut self, set: StatefulSet) -> ApplyResult {
        let key = (set.metadata.namespace.clone(), set.metadata.name.clone());
        let name = set.metadata.name.clone();
        if let Some(existing) = self.controllers.stateful_sets.get_mut(&key) {
            let mut incoming = set;
            incoming.metadata.pos = existing.set.metadata.pos;
            if *existing.set == incoming {
                return ApplyResult::Unchanged { kind: "StatefulSet", name };
            }
            // `ValidateStatefulSetUpdate`: only replicas, template, update
            // strategy, minReadySeconds and the retention policy may change.
            let mut comparable = incoming.spec.clone();
            comparable.replicas = existing.set.spec.replicas;
            comparable.template = existing.set.spec.template.clone();
            comparable.update_strategy = existing.set.spec.update_strategy;
            comparable.min_ready_seconds = existing.set.spec.min_ready_seconds;
            if comparable != existing.set.spec {
                return ApplyResult::Refused {
                    kind: "StatefulSet",
                    message: format!(
                        "The StatefulSet \"{name}\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
                    ),
                    name,
                };
            }
            if existing.set.spec != incoming.spec {
                existing.generation += 1;
            }
            existing.set = Arc::new(incoming);
            self.publish_stateful_set(&key);
            self.enqueue(ControllerWork::StatefulSet(key.0, key.1), self.now() + CONTROLLER_HOP_MS);
            return ApplyResult::Configured { kind: "StatefulSet", name };
        }
        let rt = StatefulSetRt {
            set: Arc::new(set),
            server: self.new_server_meta(),
            generation: 1,
            status: StatefulSetStatus::default(),
            published: None,
        };
        self.insert_published(|s| &mut s.controllers.stateful_sets, key.clone(), rt);
        self.enqueue(ControllerWork::StatefulSet(key.0, key.1), self.now() + CONTROLLER_HOP_MS);
        ApplyResult::Created { kind: "StatefulSet", name }
    }

    fn set_pods(&self, set: &StatefulSet, uid: &str) -> Vec<SetPod> {
        let ns = &set.metadata.namespace;
        let mut out = Vec::new();
        for (pname, slot) in self.pods.names_from(ns, &set.metadata.name) {
            if !pname.starts_with(&set.metadata.name) {
                break;
            }
            let Some(p) = self.pod_rt(slot) else { continue };
            if !p.pod.metadata.owner_references.iter().any(|o| o.controller && o.uid == uid) {
                continue;
            }
            let Some(ordinal) = ordinal_of(&set.metadata.name, pname) else { continue };
            let running_ready = p.status.phase == PodPhase::Running && p.status.is_ready();
            let ready_since =
                p.status.condition(ConditionType::Ready).filter(|c| c.status).map(|c| c.last_transition_ms);
            out.push(SetPod {
                ordinal,
                name: pname.to_string(),
                phase: p.status.phase,
                deleting: p.server.deletion_ms.is_some(),
                running_ready,
                available: running_ready && available(ready_since, set.spec.min_ready_seconds, self.now()),
                revision: p.pod.metadata.labels.get(REVISION_LABEL).cloned(),
            });
        }
        crate::core::sort::sort_by_key(&mut out, |p| p.ordinal);
        out
    }

    /// `updateStatefulSet`: one pass over the ordinals.
    pub(crate) fn sync_stateful_set(&mut self, ns: &str, name: &str) {
        let key = (ns.to_string(), name.to_string());
        let Some(rt) = self.controllers.stateful_sets.get(&key) else { return };
        let set = rt.set.clone();
        let uid = rt.server.uid.clone();
        let generation = rt.generation;
        let update_revision = revision_name(&set);
        let current_revision = if rt.status.current_revision.is_empty() {
            update_revision.clone()
        } else {
            rt.status.current_revision.clone()
        };
        let ordered = set.spec.pod_management_policy == PodManagementPolicy::OrderedReady;
        let replicas = set.spec.replicas as i64;
        let pods = self.set_pods(&set, &uid);
        let involved = obj_ref("StatefulSet", ns, name, &uid);

        // Status from the Pods the sync started with (`computeReplicaStatus`).
        let mut status = StatefulSetStatus {
            observed_generation: generation,
            replicas: pods.len() as i32,
            ready_replicas: pods.iter().filter(|p| p.running_ready).count() as i32,
            available_replicas: pods.iter().filter(|p| p.available).count() as i32,
            current_replicas: pods.iter().filter(|p| p.revision.as_deref() == Some(current_revision.as_str())).count()
                as i32,
            updated_replicas: pods.iter().filter(|p| p.revision.as_deref() == Some(update_revision.as_str())).count()
                as i32,
            current_revision: current_revision.clone(),
            update_revision: update_revision.clone(),
            collision_count: 0,
        };

        let mut blocked = false;
        // Ordinals in range: create what is missing, delete what finished.
        for ordinal in 0..replicas.min(MAX_REPLICAS as i64) {
            match pods.iter().find(|p| p.ordinal == ordinal) {
                None => {
                    self.create_set_pod(&set, &uid, ordinal, &update_revision);
                    if ordered {
                        blocked = true;
                        break;
                    }
                }
                Some(p) if !p.deleting && matches!(p.phase, PodPhase::Failed | PodPhase::Succeeded) => {
                    // Re-created with the same name once it is gone.
                    self.record_object(
                        involved.clone(),
                        None,
                        EventType::Normal,
                        "SuccessfulDelete",
                        format!("delete Pod {} in StatefulSet {name} successful", p.name),
                        SOURCE,
                    );
                    let _ = self.delete_pod(ns, &p.name, None);
                    if ordered {
                        blocked = true;
                        break;
                    }
                }
                // `processReplica`: wait while it terminates, until it is
                // Running and Ready, then until it is Available.
                Some(p) if ordered && (p.deleting || !p.available) => {
                    blocked = true;
                    break;
                }
                Some(_) => {}
            }
        }
        // Ordinals past the end, highest first.
        if !blocked {
            let condemned: Vec<&SetPod> = pods.iter().rev().filter(|p| p.ordinal >= replicas).collect();
            for p in condemned {
                if p.deleting {
                    if ordered {
                        blocked = true;
                        break;
                    }
                    continue;
                }
                self.record_object(
                    involved.clone(),
                    None,
                    EventType::Normal,
                    "SuccessfulDelete",
                    format!("delete Pod {} in StatefulSet {name} successful", p.name),
                    SOURCE,
                );
                let _ = self.delete_pod(ns, &p.name, None);
                if ordered {
                    blocked = true;
                    break;
                }
            }
        }
        // The rolling update: the highest ordinal at or above the partition
        // still on an old revision is deleted (and re-created from the new
        // template), once every Pod is Running, Ready and Available.
        if !blocked {
            if let StatefulSetUpdateStrategy::RollingUpdate { partition } = set.spec.update_strategy {
                let in_range: Vec<&SetPod> = pods.iter().filter(|p| p.ordinal < replicas).collect();
                let healthy = in_range.len() as i64 == replicas && in_range.iter().all(|p| p.available && !p.deleting);
                if healthy {
                    let stale = in_range.iter().rev().find(|p| {
                        p.ordinal >= partition as i64 && p.revision.as_deref() != Some(update_revision.as_str())
                    });
                    if let Some(p) = stale {
                        self.record_object(
                            involved.clone(),
                            None,
                            EventType::Normal,
                            "SuccessfulDelete",
                            format!("delete Pod {} in StatefulSet {name} successful", p.name),
                            SOURCE,
                        );
                        let _ = self.delete_pod(ns, &p.name, None);
                    } else {
                        // Every Pod runs the update revision: it becomes current.
                        status.current_revision = update_revision.clone();
                        status.current_replicas = status.updated_replicas;
                    }
                }
            }
        }
        // `syncStatefulSet`: one more sync after minReadySeconds while not
        // every replica is available (pkg/controller/statefulset/stateful_set.go).
        if set.spec.min_ready_seconds > 0 && status.available_replicas != set.spec.replicas {
            self.enqueue(
                ControllerWork::StatefulSet(key.0.clone(), key.1.clone()),
                self.now() + set.spec.min_ready_seconds as Millis * SECOND_MS,
            );
        }
        let Some(rt) = self.controllers.stateful_sets.get_mut(&key) else { return };
        rt.status = status;
        self.publish_stateful_set(&key);
    }

    /// `newVersionedStatefulSetPod`: `<set>-<ordinal>` with its identity,
    /// its claims (created first when missing) and the revision label.
    fn create_set_pod(&mut self, set: &StatefulSet, set_uid: &str, ordinal: i64, revision: &str) {
        let ns = set.metadata.namespace.clone();
        let set_name = set.metadata.name.clone();
        let pod_name = format!("{set_name}-{ordinal}");
        let involved = obj_ref("StatefulSet", &ns, &set_name, set_uid);
        if self.pods.len() >= super::MAX_PODS {
            let message = format!(
                "create Pod {pod_name} in StatefulSet {set_name} failed error: podplay simulates at most {} Pods",
                super::MAX_PODS
            );
            self.record_object(involved, None, EventType::Warning, "FailedCreate", message, SOURCE);
            return;
        }
        if let Some(refusal) = self.admission_refusal(&pod_name, &set.spec.template.spec) {
            let message = format!("create Pod {pod_name} in StatefulSet {set_name} failed error: {refusal}");
            self.record_object(involved, None, EventType::Warning, "FailedCreate", message, SOURCE);
            return;
        }
        let mut spec = set.spec.template.spec.clone();
        for claim in &set.spec.volume_claim_templates {
            let claim_name = format!("{}-{set_name}-{ordinal}", claim.name);
            if !self.claims.contains_key(&(ns.clone(), claim_name.clone())) {
                self.create_claim(set, claim, &claim_name);
                self.record_object(
                    involved.clone(),
                    None,
                    EventType::Normal,
                    "SuccessfulCreate",
                    format!("create Claim {claim_name} Pod {pod_name} in StatefulSet {set_name} success"),
                    SOURCE,
                );
                // The PV controller sees the new claim after the create returned.
                self.sync_claim(&(ns.clone(), claim_name.clone()));
            }
            spec.volumes.retain(|v| v.name != claim.name);
            spec.volumes
                .push(Volume { name: claim.name.clone(), source: VolumeSource::PersistentVolumeClaim { claim_name } });
        }
        spec.hostname = Some(pod_name.clone());
        if let Some(svc) = &set.spec.service_name {
            spec.subdomain = Some(svc.clone());
        }
        let mut labels = set.spec.template.labels.clone();
        labels.insert(REVISION_LABEL.into(), revision.to_string());
        labels.insert(POD_NAME_LABEL.into(), pod_name.clone());
        labels.insert(POD_INDEX_LABEL.into(), ordinal.to_string());
        let pod = Pod {
            metadata: ObjectMeta {
                name: pod_name.clone(),
                namespace: ns,
                labels,
                annotations: set.spec.template.annotations.clone(),
                owner_references: vec![controller_ref("StatefulSet", &set_name, set_uid)],
                generate_name: None,
                pos: set.metadata.pos,
            },
            spec,
        };
        self.record_object(
            involved,
            None,
            EventType::Normal,
            "SuccessfulCreate",
            format!("create Pod {pod_name} in StatefulSet {set_name} successful"),
            SOURCE,
        );
        self.create_pod(pod);
    }

    /// A claim from a template (`volumes.rs` binds it).
    fn create_claim(&mut self, set: &StatefulSet, template: &PersistentVolumeClaimTemplate, name: &str) {
        let mut labels = template.labels.clone();
        labels.extend(set.spec.selector.match_labels.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.put_claim(&set.metadata.namespace, name, labels, template);
    }

    fn publish_stateful_set(&mut self, key: &(String, String)) {
        self.publish(|s| &mut s.controllers.stateful_sets, key);
    }

    /// `kubectl scale statefulset/NAME --replicas=N`.
    pub(crate) fn scale_stateful_set(&mut self, ns: &str, name: &str, replicas: i32) -> Result<(), ActionError> {
        if !(0..=MAX_REPLICAS).contains(&replicas) {
            return Err(ActionError(format!("--replicas must be between 0 and {MAX_REPLICAS} in podplay")));
        }
        let key = (ns.to_string(), name.to_string());
        let rt = self.controllers.stateful_sets.get_mut(&key).ok_or_else(|| no_set(name))?;
        if rt.set.spec.replicas != replicas {
            Arc::make_mut(&mut rt.set).spec.replicas = replicas;
            rt.generation += 1;
            self.publish_stateful_set(&key);
            self.enqueue(ControllerWork::StatefulSet(key.0, key.1), self.now() + CONTROLLER_HOP_MS);
        }
        Ok(())
    }

    /// `kubectl delete statefulset/NAME` (background propagation): the
    /// garbage collector deletes the Pods; the claims stay (the default
    /// `persistentVolumeClaimRetentionPolicy` is Retain).
    pub(crate) fn delete_stateful_set(&mut self, ns: &str, name: &str) -> Result<(), ActionError> {
        let key = (ns.to_string(), name.to_string());
        let rt = self.controllers.stateful_sets.remove(&key).ok_or_else(|| no_set(name))?;
        let mut snap = rt.snapshot();
        snap.server.resource_version = self.next_resource_version();
        self.watch_event(WatchType::Deleted, Snapshot::StatefulSet(snap));
        self.enqueue(ControllerWork::CollectPods(key.0, rt.server.uid.clone()), self.now() + CONTROLLER_HOP_MS);
        Ok(())
    }

    /// Snapshots of every StatefulSet, by namespace and name.
    pub fn stateful_sets(&self) -> Vec<StatefulSetSnapshot> {
        self.controllers.stateful_sets.values().map(|s| s.snapshot()).collect()
    }
}

fn no_set(name: &str) -> ActionError {
    ActionError(format!("statefulsets.apps \"{name}\" not found"))
}

#[cfg(test)]
mod tests {
    use super::ordinal_of;

    #[test]
    fn ordinals_parse_as_get_parent_name_and_ordinal() {
        assert_eq!(ordinal_of("web", "web-0"), Some(0));
        assert_eq!(ordinal_of("web", "web-12"), Some(12));
        assert_eq!(ordinal_of("web", "web-01"), None);
        assert_eq!(ordinal_of("web", "web-x"), None);
        assert_eq!(ordinal_of("web", "webby-1"), None);
        assert_eq!(ordinal_of("web", "web-"), None);
    }
}
