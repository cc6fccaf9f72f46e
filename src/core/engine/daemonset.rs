//! The DaemonSet controller (`pkg/controller/daemon/daemon_controller.go`):
//! one Pod per node that should run it (`NodeShouldRunDaemonPod`: the
//! template's nodeSelector and required node affinity match, and no
//! NoSchedule/NoExecute taint is left untolerated once the DaemonSet's own
//! tolerations are added), following nodes as they join, change or fail.
//! Pods are named `<ds>-<5 chars>` and pinned with node affinity on
//! `metadata.name` (`ReplaceDaemonSetPodNodeNameNodeAffinity`), so the
//! scheduler binds them.

use super::controllers::{controller_ref, obj_ref, Work, CONTROLLER_HOP_MS, NAME_ALPHABET};
use super::nodes::{matches_node_affinity, untolerated_taint, TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE};
use super::Sim;
use crate::core::api::*;
use crate::core::status::*;
use std::sync::Arc;

pub(crate) struct DaemonSetRt {
    pub ds: Arc<DaemonSet>,
    pub server: ServerMeta,
    pub status: DaemonSetStatus,
}

/// What `kubectl get daemonsets` prints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DaemonSetStatus {
    pub desired: i32,
    pub current: i32,
    pub ready: i32,
    pub available: i32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DaemonSetSnapshot {
    pub daemon_set: Arc<DaemonSet>,
    pub server: ServerMeta,
    pub status: DaemonSetStatus,
}

/// `AddOrUpdateDaemonPodTolerations` (pkg/controller/daemon/util): a
/// DaemonSet Pod stays on a failing node and may go to a cordoned or
/// pressured one.
pub(crate) fn daemon_tolerations(spec: &mut PodSpec) {
    let wanted = [
        Toleration::exists_for(TAINT_NOT_READY, TaintEffect::NoExecute, None),
        Toleration::exists_for(TAINT_UNREACHABLE, TaintEffect::NoExecute, None),
        Toleration::exists_for("node.kubernetes.io/disk-pressure", TaintEffect::NoSchedule, None),
        Toleration::exists_for("node.kubernetes.io/memory-pressure", TaintEffect::NoSchedule, None),
        Toleration::exists_for("node.kubernetes.io/pid-pressure", TaintEffect::NoSchedule, None),
        Toleration::exists_for(TAINT_UNSCHEDULABLE, TaintEffect::NoSchedule, None),
    ];
    for t in wanted {
        if !spec.tolerations.iter().any(|x| x.key == t.key && x.effect == t.effect) {
            spec.tolerations.push(t);
        }
    }
}

impl Sim {
    pub(crate) fn create_daemon_set(&mut self, ds: DaemonSet) -> super::ApplyResult {
        let key = (ds.metadata.namespace.clone(), ds.metadata.name.clone());
        let name = ds.metadata.name.clone();
        if let Some(existing) = self.daemon_sets.get(&key) {
            return if *existing.ds == ds {
                super::ApplyResult::Unchanged { kind: "DaemonSet", name }
            } else {
                super::ApplyResult::Refused {
                    kind: "DaemonSet",
                    name,
                    message: "podplay does not simulate DaemonSet updates yet; delete and re-create it".into(),
                }
            };
        }
        let uid = self.new_uid();
        let rv = self.next_resource_version();
        let server = ServerMeta { uid, creation_ms: self.now, resource_version: rv, deletion_ms: None, deletion_grace_period_seconds: None };
        self.daemon_sets.insert(key.clone(), DaemonSetRt { ds: Arc::new(ds), server, status: DaemonSetStatus::default() });
        self.enqueue(Work::DaemonSet(key.0, key.1), self.now + CONTROLLER_HOP_MS);
        super::ApplyResult::Created { kind: "DaemonSet", name }
    }

    /// Nodes changed: every DaemonSet hears of it one hop later.
    pub(crate) fn nodes_changed_for_controllers(&mut self) {
        let keys: Vec<(String, String)> = self.daemon_sets.keys().cloned().collect();
        for (ns, name) in keys {
            self.enqueue(Work::DaemonSet(ns, name), self.now + CONTROLLER_HOP_MS);
        }
    }

    /// `syncDaemonSet` → `manage`: create the missing Pods, delete the ones
    /// on nodes that should no longer run them, then update the status.
    pub(crate) fn sync_daemon_set(&mut self, ns: &str, name: &str) {
        let key = (ns.to_string(), name.to_string());
        let Some(rt) = self.daemon_sets.get(&key) else { return };
        let ds = rt.ds.clone();
        let uid = rt.server.uid.clone();
        let mut template = ds.template.spec.clone();
        daemon_tolerations(&mut template);
        // The DaemonSet's Pods by node index (terminating ones included: a
        // node with a terminating Pod gets no new one until it is gone).
        let mut on_node: Vec<Vec<u32>> = vec![Vec::new(); self.nodes.len()];
        for slot in self.owned_pods(&uid) {
            let Some(p) = self.pod_rt(slot) else { continue };
            if p.pod.metadata.namespace != ns {
                continue;
            }
            let target = p.pod.spec.required_node_affinity.first().and_then(|t| t.match_fields.first()).and_then(|f| f.values.first()).cloned();
            if let Some(i) = target.and_then(|n| self.nodes.iter().position(|x| x.cfg.name == n)) {
                on_node[i].push(slot);
            }
        }
        let mut status = DaemonSetStatus::default();
        let mut create = Vec::new();
        let mut delete = Vec::new();
        for (i, n) in self.nodes.iter().enumerate() {
            let should_run = matches_node_affinity(&template, &n.cfg) && untolerated_taint(&n.cfg.taints, &template.tolerations).is_none();
            let pods = &on_node[i];
            if should_run {
                status.desired += 1;
                if pods.is_empty() {
                    create.push(n.cfg.name.clone());
                } else {
                    status.current += 1;
                    let ready = pods.iter().filter_map(|&s| self.pod_rt(s)).any(|p| p.status.is_ready() && p.server.deletion_ms.is_none());
                    if ready {
                        status.ready += 1;
                        status.available += 1;
                    }
                }
            } else if !matches_node_affinity(&template, &n.cfg) {
                // A Pod no longer wanted there is deleted (a NoExecute taint
                // is the taint eviction controller's business).
                delete.extend(pods.iter().copied());
            }
        }
        for node in create {
            self.create_daemon_pod(&ds, &uid, &template, &node);
        }
        for slot in delete {
            let Some(p) = self.pod_rt(slot) else { continue };
            if p.server.deletion_ms.is_some() {
                continue;
            }
            let pod = p.pod.metadata.name.clone();
            let _ = self.delete_pod(ns, &pod, None);
            self.record_controller(obj_ref("DaemonSet", ns, name, &uid), "SuccessfulDelete", format!("Deleted pod: {pod}"), "daemonset-controller");
        }
        if let Some(rt) = self.daemon_sets.get_mut(&key) {
            rt.status = status;
        }
    }

    fn create_daemon_pod(&mut self, ds: &DaemonSet, uid: &str, template: &PodSpec, node: &str) {
        let ns = ds.metadata.namespace.clone();
        let mut prefix = format!("{}-", ds.metadata.name);
        let cut = (0..=58.min(prefix.len())).rev().find(|&i| prefix.is_char_boundary(i)).unwrap_or(0);
        prefix.truncate(cut);
        let Some(name) = (0..100)
            .map(|_| format!("{prefix}{}", self.rng_names.string(NAME_ALPHABET, 5)))
            .find(|c| !self.pod_index.contains_key(&(ns.clone(), c.clone())))
        else {
            return;
        };
        let mut spec = template.clone();
        spec.required_node_affinity = vec![NodeSelectorTerm {
            match_expressions: Vec::new(),
            match_fields: vec![NodeSelectorRequirement { key: "metadata.name".into(), operator: NodeSelectorOperator::In, values: vec![node.to_string()] }],
        }];
        let involved = obj_ref("DaemonSet", &ns, &ds.metadata.name, uid);
        if self.pod_index.len() >= super::MAX_PODS {
            let message = format!("Error creating: podplay simulates at most {} Pods", super::MAX_PODS);
            self.record_object(involved, None, EventType::Warning, "FailedCreate", message, "daemonset-controller");
            return;
        }
        self.record_controller(involved, "SuccessfulCreate", format!("Created pod: {name}"), "daemonset-controller");
        let pod = Pod {
            metadata: ObjectMeta {
                name,
                namespace: ns,
                labels: ds.template.labels.clone(),
                annotations: ds.template.annotations.clone(),
                owner_references: vec![controller_ref("DaemonSet", &ds.metadata.name, uid)],
                generate_name: Some(prefix),
                pos: ds.metadata.pos,
            },
            spec,
        };
        self.create_pod(pod);
    }

    /// `kubectl delete daemonset/NAME`: the DaemonSet goes at once and the
    /// garbage collector deletes its Pods (gracefully) a hop later, as for a
    /// StatefulSet (`delete_stateful_set`; background cascading deletion,
    /// kubernetes.io "Garbage Collection").
    pub(crate) fn delete_daemon_set(&mut self, ns: &str, name: &str) -> Result<(), super::ActionError> {
        let key = (ns.to_string(), name.to_string());
        let rt = self.daemon_sets.remove(&key).ok_or_else(|| super::ActionError(format!("daemonsets.apps \"{name}\" not found")))?;
        self.enqueue(Work::CollectPods(key.0, rt.server.uid), self.now + CONTROLLER_HOP_MS);
        Ok(())
    }

    /// Snapshots of every DaemonSet, by namespace and name.
    pub fn daemon_sets(&self) -> Vec<DaemonSetSnapshot> {
        self.daemon_sets
            .values()
            .map(|rt| DaemonSetSnapshot { daemon_set: rt.ds.clone(), server: rt.server.clone(), status: rt.status.clone() })
            .collect()
    }

}
