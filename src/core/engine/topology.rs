//! The scheduler's PodTopologySpread filter
//! (pkg/scheduler/framework/plugins/podtopologyspread/filtering.go) for the
//! `whenUnsatisfiable: DoNotSchedule` constraints of a Pod.
//!
//! PreFilter counts, per topology domain (a value of `topologyKey`), the
//! Pods its `labelSelector` matches in the Pod's namespace, over the nodes
//! that pass the Pod's required node affinity and carry every constraint's
//! key (`nodeAffinityPolicy: Honor`, `nodeTaintsPolicy: Ignore`, the
//! defaults; terminating Pods are not counted). Filter refuses a node
//! without the key (`ErrReasonNodeLabelNotMatch`, "node(s) didn't match pod
//! topology spread constraints (missing required label)",
//! UnschedulableAndUnresolvable) and a node whose domain would be more than
//! `maxSkew` above the least-populated domain (`ErrReasonConstraintsNotMatch`,
//! "node(s) didn't match pod topology spread constraints", Unschedulable).
//! `ScheduleAnyway` constraints only score, and scores beyond least-allocated
//! are not simulated.

use std::collections::BTreeMap;

use super::nodes::{matches_node_affinity, Rejection};
use super::{NodeRt, Sim};
use crate::core::api::{Pod, TopologySpreadConstraint};

const CONSTRAINTS_NOT_MATCH: &str = "node(s) didn't match pod topology spread constraints";

impl Sim {
    /// The filter's verdict on node `n` for `pod`.
    pub(crate) fn topology_spread_filter(&self, pod: &Pod, n: &NodeRt) -> Result<(), Rejection> {
        let hard: Vec<&TopologySpreadConstraint> =
            pod.spec.topology_spread_constraints.iter().filter(|c| c.when_unsatisfiable == "DoNotSchedule").collect();
        if hard.is_empty() {
            return Ok(());
        }
        if hard.iter().any(|c| !n.cfg.labels.contains_key(&c.topology_key)) {
            return Err(Rejection {
                reasons: vec![format!("{CONSTRAINTS_NOT_MATCH} (missing required label)")],
                resolvable: false,
            });
        }
        // The nodes PreFilter counts: affinity honoured, every key present.
        let counted: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| {
                let cfg = &self.nodes[i].cfg;
                matches_node_affinity(&pod.spec, cfg) && hard.iter().all(|c| cfg.labels.contains_key(&c.topology_key))
            })
            .collect();
        for c in hard {
            let selector = c.label_selector.as_ref();
            let mut per_domain: BTreeMap<&str, i64> = BTreeMap::new();
            for &i in &counted {
                per_domain.entry(self.nodes[i].cfg.labels[&c.topology_key].as_str()).or_insert(0);
            }
            for &i in &counted {
                let domain = self.nodes[i].cfg.labels[&c.topology_key].as_str();
                let matching = self
                    .pods_on(i)
                    .into_iter()
                    .filter_map(|slot| self.pod_rt(slot))
                    .filter(|p| p.server.deletion_ms.is_none() && p.pod.metadata.namespace == pod.metadata.namespace)
                    .filter(|p| selector.is_some_and(|s| s.matches(&p.pod.metadata.labels)))
                    .count() as i64;
                *per_domain.entry(domain).or_insert(0) += matching;
            }
            let min = per_domain.values().copied().min().unwrap_or(0);
            let own = per_domain.get(n.cfg.labels[&c.topology_key].as_str()).copied().unwrap_or(0);
            let self_match = i64::from(selector.is_some_and(|s| s.matches(&pod.metadata.labels)));
            if own + self_match - min > i64::from(c.max_skew) {
                return Err(Rejection { reasons: vec![CONSTRAINTS_NOT_MATCH.to_string()], resolvable: true });
            }
        }
        Ok(())
    }
}
