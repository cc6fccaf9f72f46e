//! Nodes: the cluster's machines as the API server, the scheduler's node
//! filters, the node lifecycle controller and the taint eviction controller
//! see them.
//!
//! * Node objects from manifests replace the default cluster
//!   (`Sim::apply_node`); `add node`, `cordon`, `uncordon`, `drain`, `stop`
//!   and `start` act on them.
//! * Scheduling filters run in kube-scheduler's default plugin order
//!   (`pkg/scheduler/apis/config/v1/default_plugins.go`): NodeUnschedulable,
//!   NodeName, TaintToleration, NodeAffinity, NodeResourcesFit; a node is
//!   counted under the first plugin that rejects it (`RunFilterPlugins`
//!   stops there), and the FailedScheduling message is `FitError.Error()`.
//! * A stopped node: the kubelet stops renewing its lease. After
//!   `--node-monitor-grace-period` (50s since v1.32, kubernetes/kubernetes
//!   PR #126287; 40s before) the node lifecycle controller's monitor pass
//!   (every 5s, `--node-monitor-period`) sets Ready=Unknown ("Kubelet
//!   stopped posting node status."), taints the node
//!   `node.kubernetes.io/unreachable` NoSchedule and NoExecute, and marks
//!   its Pods not Ready (`MarkPodsNotReady`). The taint eviction controller
//!   deletes Pods whose toleration of the NoExecute taint runs out (300s by
//!   the DefaultTolerationSeconds admission plugin).

use super::{ActionError, NodeConfig, PodTimer, Sim, Target, Timer, WatchType};
use crate::core::api::{Node, NodeSelectorTerm, Pod, PodSpec, Taint, TaintEffect, Toleration};
use crate::core::status::*;
use crate::core::time::Millis;
use std::net::Ipv4Addr;

/// `--node-monitor-grace-period` default since v1.32 (PR #126287).
pub const NODE_MONITOR_GRACE_MS: Millis = 50_000;
/// `--node-monitor-period` default.
pub const NODE_MONITOR_PERIOD_MS: Millis = 5_000;
/// The kubelet renews its Lease every 10s (a quarter of the 40s lease duration).
pub const LEASE_RENEW_MS: Millis = 10_000;
/// `--default-not-ready-toleration-seconds` / `--default-unreachable-toleration-seconds`.
pub const DEFAULT_TOLERATION_SECONDS: i64 = 300;
/// The version `kubectl get nodes` shows (a kind node image).
pub const KUBELET_VERSION: &str = "v1.33.1";

pub const TAINT_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
pub const TAINT_NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const TAINT_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

/// The node's Ready condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeReady {
    True,
    /// The node lifecycle controller has not heard from the kubelet.
    Unknown,
}

/// A node as `kubectl get nodes` and the page see it.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeSnapshot {
    pub name: String,
    pub creation_ms: Millis,
    pub labels: std::collections::BTreeMap<String, String>,
    pub ready: NodeReady,
    pub unschedulable: bool,
    /// The kubelet is stopped (the `stop node` action).
    pub stopped: bool,
    pub taints: Vec<Taint>,
    pub cpu_millis: i64,
    pub memory_bytes: i64,
    pub max_pods: u32,
    pub pod_cidr: Ipv4Addr,
    pub requested_cpu: i64,
    pub requested_mem: i64,
    pub pods: u32,
    /// The Node object's uid (derived from its name) and resourceVersion.
    pub uid: String,
    pub resource_version: u64,
    /// When the Ready condition last changed.
    pub ready_changed_ms: Millis,
    pub internal_ip: Ipv4Addr,
}

impl NodeSnapshot {
    /// The STATUS column (`printNode`): Ready, NotReady or Unknown, then
    /// `SchedulingDisabled` when cordoned. A Ready=Unknown node prints
    /// `NotReady` (only a True condition prints `Ready`).
    pub fn status_column(&self) -> String {
        let mut s = match self.ready {
            NodeReady::True => "Ready".to_string(),
            NodeReady::Unknown => "NotReady".to_string(),
        };
        if self.unschedulable {
            s.push_str(",SchedulingDisabled");
        }
        s
    }
}

/// A node as the engine keeps it.
#[derive(Clone, Debug)]
pub(crate) struct NodeRt {
    pub cfg: NodeConfig,
    /// Images present on the node (canonical `repo:tag`).
    pub images: Vec<String>,
    /// Host-local IPAM: the last address handed out (host part).
    pub last_ip: u8,
    pub requested_cpu: i64,
    pub requested_mem: i64,
    /// Requests as the scorer counts them (non-zero defaults).
    pub nonzero_cpu: i64,
    pub nonzero_mem: i64,
    pub pods: u32,
    pub created_ms: Millis,
    pub ready: NodeReady,
    /// The Node object's resourceVersion, and when its Ready condition last
    /// changed; what the watch stream last saw of it (`nodes::publish_node`).
    pub resource_version: u64,
    pub ready_changed_ms: Millis,
    pub published: Option<NodeKey>,
    /// When the kubelet was stopped (`stop node`), if it is.
    pub stopped_at: Option<Millis>,
    /// Pod timers that came due while the node was stopped.
    pub parked: Vec<Timer>,
}

impl NodeRt {
    pub(crate) fn new(cfg: NodeConfig, now: Millis) -> NodeRt {
        NodeRt {
            cfg,
            images: Vec::new(),
            last_ip: 1,
            requested_cpu: 0,
            requested_mem: 0,
            nonzero_cpu: 0,
            nonzero_mem: 0,
            pods: 0,
            created_ms: now,
            ready: NodeReady::True,
            stopped_at: None,
            parked: Vec::new(),
            resource_version: 0,
            ready_changed_ms: now,
            published: None,
        }
    }

    /// What of the node the Node object shows (not its Pods' requests).
    pub(crate) fn key(&self) -> NodeKey {
        let c = &self.cfg;
        (c.labels.clone(), c.taints.clone(), c.unschedulable, self.ready, c.cpu_millis, c.memory_bytes, c.max_pods)
    }
}

/// The fields of a Node object that change: labels, taints, cordon,
/// Ready, capacity.
pub(crate) type NodeKey = (std::collections::BTreeMap<String, String>, Vec<Taint>, bool, NodeReady, i64, i64, u32);

/// A Node's uid: derived from its name (a Node object is named by its
/// machine), so it draws nothing from the id generator.
pub(crate) fn node_uid(name: &str) -> String {
    crate::core::rng::derived_uid(&format!("node/{name}"))
}

/// Why a node cannot take a Pod: the filter plugin's reason, and whether
/// preemption could help (`Unschedulable`) or not (`UnschedulableAndUnresolvable`).
pub(crate) struct Rejection {
    pub reasons: Vec<String>,
    pub resolvable: bool,
}

/// `FindMatchingUntoleratedTaint` with the NoSchedule/NoExecute filter
/// (`helper.DoNotScheduleTaintsFilterFunc`): PreferNoSchedule never rejects.
pub(crate) fn untolerated_taint<'a>(taints: &'a [Taint], tolerations: &[Toleration]) -> Option<&'a Taint> {
    taints
        .iter()
        .filter(|t| t.effect != TaintEffect::PreferNoSchedule)
        .find(|t| !tolerations.iter().any(|tol| tol.tolerates(t)))
}

/// Required node affinity: `nodeSelector` labels all match, and one of the
/// `nodeSelectorTerms` matches (`nodeaffinity.GetRequiredNodeAffinity`).
pub(crate) fn matches_node_affinity(spec: &PodSpec, cfg: &NodeConfig) -> bool {
    spec.node_selector.iter().all(|(k, v)| cfg.labels.get(k) == Some(v))
        && (spec.required_node_affinity.is_empty()
            || spec.required_node_affinity.iter().any(|t: &NodeSelectorTerm| t.matches(&cfg.labels, &cfg.name)))
}

/// The DefaultTolerationSeconds admission plugin: every Pod tolerates
/// `not-ready` and `unreachable` NoExecute taints for 300s unless it says
/// otherwise (plugin/pkg/admission/defaulttolerationseconds).
pub(crate) fn add_default_tolerations(pod: &mut Pod) {
    for key in [TAINT_NOT_READY, TAINT_UNREACHABLE] {
        let taint = Taint::new(key, TaintEffect::NoExecute);
        if !pod.spec.tolerations.iter().any(|t| t.tolerates(&taint)) {
            pod.spec.tolerations.push(Toleration::exists_for(
                key,
                TaintEffect::NoExecute,
                Some(DEFAULT_TOLERATION_SECONDS),
            ));
        }
    }
}

/// A resource a node lacks for a Pod: noderesources' `InsufficientResource`
/// (pkg/scheduler/framework/plugins/noderesources/fit.go), which the
/// scheduler's NodeResourcesFit and the kubelet's admission both use.
pub(crate) struct Insufficient {
    pub resource: &'static str,
    pub requested: i64,
    pub used: i64,
    pub capacity: i64,
}

impl Insufficient {
    /// The scheduler's reason: "Too many pods", "Insufficient cpu", ….
    pub(crate) fn reason(&self) -> String {
        match self.resource {
            "pods" => "Too many pods".to_string(),
            r => format!("Insufficient {r}"),
        }
    }
}

/// `fitsRequest`: what node `n` lacks for a Pod with these (cpu, memory)
/// requests, pods first, then each resource (a zero request always fits).
pub(crate) fn insufficient_resources((cpu, mem): (i64, i64), n: &NodeRt) -> Vec<Insufficient> {
    let mut lacking = Vec::new();
    if n.pods >= n.cfg.max_pods {
        lacking.push(Insufficient {
            resource: "pods",
            requested: 1,
            used: n.pods as i64,
            capacity: n.cfg.max_pods as i64,
        });
    }
    if cpu > 0 && n.requested_cpu + cpu > n.cfg.cpu_millis {
        lacking.push(Insufficient {
            resource: "cpu",
            requested: cpu,
            used: n.requested_cpu,
            capacity: n.cfg.cpu_millis,
        });
    }
    if mem > 0 && n.requested_mem + mem > n.cfg.memory_bytes {
        lacking.push(Insufficient {
            resource: "memory",
            requested: mem,
            used: n.requested_mem,
            capacity: n.cfg.memory_bytes,
        });
    }
    lacking
}

/// What `kubectl drain` decides for a node's Pods (`Sim::drain_plan`), each
/// by (namespace, name), in name order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DrainPlan {
    /// The Pods it evicts.
    pub evict: Vec<(String, String)>,
    /// The DaemonSet's Pods it leaves (`daemonSetFilter`'s warning with
    /// `--ignore-daemonsets`).
    pub daemon_set_pods: Vec<(String, String)>,
    /// The unfinished Pods without a controller that it evicts
    /// (`unreplicatedFilter`'s warning with `--force`).
    pub unreplicated: Vec<(String, String)>,
}

impl Sim {
    /// The filters of kube-scheduler's default profile, in order; the first
    /// that rejects the node decides the reason.
    pub(crate) fn filter_node(&self, spec: &PodSpec, requests: (i64, i64), n: &NodeRt) -> Result<(), Rejection> {
        let unresolvable = |r: &str| Err(Rejection { reasons: vec![r.to_string()], resolvable: false });
        // NodeUnschedulable (nodeunschedulable/node_unschedulable.go).
        if n.cfg.unschedulable {
            let cordon = Taint::new(TAINT_UNSCHEDULABLE, TaintEffect::NoSchedule);
            if !spec.tolerations.iter().any(|t| t.tolerates(&cordon)) {
                return unresolvable("node(s) were unschedulable");
            }
        }
        // TaintToleration (tainttoleration/taint_toleration.go).
        if let Some(t) = untolerated_taint(&n.cfg.taints, &spec.tolerations) {
            return unresolvable(&format!("node(s) had untolerated taint {{{}: {}}}", t.key, t.value));
        }
        // NodeAffinity (nodeaffinity/node_affinity.go, ErrReasonPod).
        if !matches_node_affinity(spec, &n.cfg) {
            return unresolvable("node(s) didn't match Pod's node affinity/selector");
        }
        // NodeResourcesFit (noderesources/fit.go).
        let reasons: Vec<String> = insufficient_resources(requests, n).iter().map(Insufficient::reason).collect();
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(Rejection { reasons, resolvable: true })
        }
    }

    /// Snapshots of the nodes, in order.
    pub fn nodes(&self) -> Vec<NodeSnapshot> {
        self.nodes
            .iter()
            .map(|n| NodeSnapshot {
                name: n.cfg.name.clone(),
                creation_ms: n.created_ms,
                labels: n.cfg.labels.clone(),
                ready: n.ready,
                unschedulable: n.cfg.unschedulable,
                stopped: n.stopped_at.is_some(),
                taints: n.cfg.taints.clone(),
                cpu_millis: n.cfg.cpu_millis,
                memory_bytes: n.cfg.memory_bytes,
                max_pods: n.cfg.max_pods,
                pod_cidr: n.cfg.pod_cidr,
                requested_cpu: n.requested_cpu,
                requested_mem: n.requested_mem,
                pods: n.pods,
                uid: node_uid(&n.cfg.name),
                resource_version: n.resource_version,
                ready_changed_ms: n.ready_changed_ms,
                internal_ip: n.cfg.internal_ip,
            })
            .collect()
    }

    /// The watch stream's view of node `i`: ADDED the first time a node
    /// added during the run is published (the cluster's own Nodes were
    /// there before the stream started), MODIFIED with a new
    /// resourceVersion when its labels, taints, cordon, Ready condition or
    /// capacity changed. (The kubelet's periodic status heartbeat, every
    /// `nodeStatusReportFrequency`, is not reported.)
    pub(crate) fn publish_node(&mut self, i: usize) {
        let key = self.nodes[i].key();
        let type_ = match &self.nodes[i].published {
            Some(k) if *k == key => return,
            Some(_) => WatchType::Modified,
            None => WatchType::Added,
        };
        self.nodes[i].resource_version = self.next_resource_version();
        self.nodes[i].published = Some(key);
        let Some(node) = self.nodes().into_iter().nth(i) else { return };
        self.watch_event(type_, super::Snapshot::Node(node));
    }

    /// True once Node objects or node actions changed the default cluster
    /// (the CLI then prints `kubectl get nodes`).
    pub fn nodes_changed(&self) -> bool {
        self.nodes_touched
    }

    pub(crate) fn node_index(&self, name: &str) -> Result<usize, ActionError> {
        self.nodes
            .iter()
            .position(|n| n.cfg.name == name)
            .ok_or_else(|| ActionError(format!("nodes \"{name}\" not found")))
    }

    pub(crate) fn node_stopped(&self, node: Option<usize>) -> bool {
        node.and_then(|i| self.nodes.get(i)).is_some_and(|n| n.stopped_at.is_some())
    }

    /// The next free `10.244.N.0/24` and `172.18.0.N+1` for a new node.
    fn next_node_addresses(&self) -> (Ipv4Addr, Ipv4Addr) {
        let used: Vec<u8> = self.nodes.iter().map(|n| n.cfg.pod_cidr.octets()[2]).collect();
        let n = (1..=254u8).find(|i| !used.contains(i)).unwrap_or(254);
        (Ipv4Addr::new(10, 244, n, 0), Ipv4Addr::new(172, 18, 0, n.saturating_add(1)))
    }

    /// Applies a Node object: the first Node of a run replaces the default
    /// cluster (while no Pod is bound); later ones are added or updated.
    pub(crate) fn apply_node(&mut self, node: Node) -> super::ApplyResult {
        let name = node.metadata.name.clone();
        if self.default_nodes {
            self.default_nodes = false;
            if self.nodes.iter().all(|n| n.pods == 0) {
                self.nodes.clear();
            }
        }
        self.nodes_touched = true;
        let mut labels = node.metadata.labels.clone();
        labels.entry("kubernetes.io/hostname".into()).or_insert_with(|| name.clone());
        labels.entry("kubernetes.io/os".into()).or_insert_with(|| "linux".into());
        labels.entry("kubernetes.io/arch".into()).or_insert_with(|| "amd64".into());
        let max_pods = u32::try_from(node.max_pods).unwrap_or(110);
        if let Ok(i) = self.node_index(&name) {
            let cfg = &mut self.nodes[i].cfg;
            let before = cfg.clone();
            cfg.labels = labels;
            cfg.taints = node.taints;
            cfg.unschedulable = node.unschedulable;
            cfg.cpu_millis = node.cpu_millis;
            cfg.memory_bytes = node.memory_bytes;
            cfg.max_pods = max_pods;
            if self.nodes[i].cfg == before {
                return super::ApplyResult::Unchanged { kind: "Node", name };
            }
            self.node_changed(i);
            return super::ApplyResult::Configured { kind: "Node", name };
        }
        if self.nodes.len() >= 250 {
            return super::ApplyResult::Refused {
                kind: "Node",
                name,
                message: "podplay simulates at most 250 nodes".into(),
            };
        }
        let (cidr, ip) = self.next_node_addresses();
        let cfg = NodeConfig {
            name: name.clone(),
            cpu_millis: node.cpu_millis,
            memory_bytes: node.memory_bytes,
            max_pods,
            pod_cidr: node.pod_cidr.unwrap_or(cidr),
            internal_ip: ip,
            labels,
            taints: node.taints,
            unschedulable: node.unschedulable,
        };
        self.add_node_cfg(cfg);
        super::ApplyResult::Created { kind: "Node", name }
    }

    fn add_node_cfg(&mut self, cfg: NodeConfig) {
        let mut cfg = cfg;
        if cfg.unschedulable {
            add_taint(&mut cfg.taints, Taint::new(TAINT_UNSCHEDULABLE, TaintEffect::NoSchedule));
        }
        self.nodes.push(NodeRt::new(cfg, self.now()));
        let i = self.nodes.len() - 1;
        self.node_changed(i);
    }

    /// `add node NAME [cpu=4] [memory=8Gi] [pods=110]`: a new worker joins.
    pub(crate) fn add_node(
        &mut self,
        name: &str,
        cpu_millis: i64,
        memory_bytes: i64,
        max_pods: u32,
    ) -> Result<(), ActionError> {
        if self.node_index(name).is_ok() {
            return Err(ActionError(format!("nodes \"{name}\" already exists")));
        }
        if self.nodes.len() >= 250 {
            return Err(ActionError("podplay simulates at most 250 nodes".into()));
        }
        self.default_nodes = false;
        self.nodes_touched = true;
        let (cidr, ip) = self.next_node_addresses();
        let mut cfg = NodeConfig::worker(1);
        cfg.name = name.to_string();
        cfg.labels.insert("kubernetes.io/hostname".into(), name.to_string());
        cfg.cpu_millis = cpu_millis;
        cfg.memory_bytes = memory_bytes;
        cfg.max_pods = max_pods;
        cfg.pod_cidr = cidr;
        cfg.internal_ip = ip;
        self.add_node_cfg(cfg);
        Ok(())
    }

    /// Something about node `i` changed that may let Pods schedule or
    /// DaemonSets place Pods: retry every Pending Pod (the scheduling
    /// queue moves unschedulable Pods back on a Node add/update event).
    pub(crate) fn node_changed(&mut self, i: usize) {
        self.publish_node(i);
        self.schedule_pending();
        self.nodes_changed_for_controllers();
    }

    /// `kubectl cordon` / `uncordon`: spec.unschedulable, and the node
    /// lifecycle controller's `node.kubernetes.io/unschedulable:NoSchedule`
    /// taint (TaintNodesByCondition).
    pub(crate) fn cordon(&mut self, name: &str, on: bool) -> Result<(), ActionError> {
        let i = self.node_index(name)?;
        self.nodes_touched = true;
        let cfg = &mut self.nodes[i].cfg;
        cfg.unschedulable = on;
        let taint = Taint::new(TAINT_UNSCHEDULABLE, TaintEffect::NoSchedule);
        if on {
            add_taint(&mut cfg.taints, taint);
        } else {
            cfg.taints.retain(|t| *t != taint);
        }
        self.node_changed(i);
        Ok(())
    }

    /// `kubectl drain NODE --ignore-daemonsets [--force]
    /// [--delete-emptydir-data]`: cordon, then evict every Pod not owned by
    /// a DaemonSet. kubectl's filters (k8s.io/kubectl/pkg/drain/filters.go)
    /// run in order and the first that refuses a Pod decides: an unfinished
    /// Pod with an emptyDir volume needs `--delete-emptydir-data`, then a
    /// Pod no controller owns needs `--force`. Any refusal stops the drain
    /// (after cordoning), with kubectl's message for each kind of refusal.
    /// This is what it decides for the node's Pods before it evicts any:
    /// read by [`Self::drain`] and by kubectl's reply, which prints it.
    pub fn drain_plan(&self, name: &str, force: bool, delete_emptydir_data: bool) -> Result<DrainPlan, ActionError> {
        let i = self.node_index(name)?;
        let mut plan = DrainPlan::default();
        let (mut bare, mut local) = (Vec::new(), Vec::new());
        for (key, slot) in self.pods.by_name() {
            let Some(p) = self.pod_rt(slot) else { continue };
            if p.node != Some(i) || p.server.deletion_ms.is_some() {
                continue;
            }
            let owner = p.pod.metadata.owner_references.iter().find(|o| o.controller).map(|o| o.kind);
            if owner == Some("DaemonSet") {
                plan.daemon_set_pods.push(key.clone());
                continue;
            }
            // `localStorageFilter`: any finished Pod can go.
            let finished = matches!(p.status.phase, PodPhase::Succeeded | PodPhase::Failed);
            if !delete_emptydir_data
                && !finished
                && p.pod.spec.volumes.iter().any(|v| v.source == crate::core::api::VolumeSource::EmptyDir)
            {
                local.push(format!("{}/{}", key.0, key.1));
                continue;
            }
            // `unreplicatedFilter`.
            if owner.is_none() && !force {
                bare.push(format!("{}/{}", key.0, key.1));
                continue;
            }
            if owner.is_none() && !finished {
                plan.unreplicated.push(key.clone());
            }
            plan.evict.push(key.clone());
        }
        // `PodDeleteList.errors`: "cannot delete <fatal>: <pods>" per kind (in
        // Go map order, so either order happens), aggregated in brackets when
        // there are several.
        let mut errors = Vec::new();
        if !bare.is_empty() {
            errors.push(format!(
                "cannot delete Pods that declare no controller (use --force to override): {}",
                bare.join(", ")
            ));
        }
        if !local.is_empty() {
            errors.push(format!(
                "cannot delete Pods with local storage (use --delete-emptydir-data to override): {}",
                local.join(", ")
            ));
        }
        match errors.len() {
            0 => {}
            1 => return Err(ActionError(format!("unable to drain node \"{name}\" due to error: {}", errors[0]))),
            _ => {
                return Err(ActionError(format!(
                    "unable to drain node \"{name}\" due to error: [{}]",
                    errors.join(", ")
                )))
            }
        }
        Ok(plan)
    }

    /// `kubectl drain`: cordon, then evict what [`Self::drain_plan`]
    /// decides; a refusal stops it after cordoning.
    pub(crate) fn drain(&mut self, name: &str, force: bool, delete_emptydir_data: bool) -> Result<(), ActionError> {
        self.cordon(name, true)?;
        let plan = self.drain_plan(name, force, delete_emptydir_data)?;
        // The Eviction API marks each Pod, then deletes it with its own
        // grace period, unless a PodDisruptionBudget forbids it
        // (`disruption::evict`).
        self.evict_for_drain(plan.evict)
    }

    /// `stop node NAME`: the kubelet stops (and with it every status report
    /// from the node). podplay freezes the node's Pods where they are: their
    /// kubelet timers are parked until `start node`.
    pub(crate) fn stop_node(&mut self, name: &str) -> Result<(), ActionError> {
        let i = self.node_index(name)?;
        self.nodes_touched = true;
        if self.nodes[i].stopped_at.is_some() {
            return Ok(());
        }
        let now = self.now();
        self.nodes[i].stopped_at = Some(now);
        // Sleeping probe workers wake, so their next tick is parked as any.
        for slot in self.pods_on(i) {
            self.bump_version(slot);
        }
        // The last Lease renewal: every 10s since the node registered.
        let created = self.nodes[i].created_ms;
        let last_renew = now - (now - created) % LEASE_RENEW_MS;
        // The first monitor pass strictly after the grace period.
        let deadline = last_renew + NODE_MONITOR_GRACE_MS;
        let at = (deadline / NODE_MONITOR_PERIOD_MS + 1) * NODE_MONITOR_PERIOD_MS;
        self.clock.schedule(at, Target::NodeMonitor(i as u32));
        Ok(())
    }

    /// `start node NAME`: the kubelet is back: Ready=True, the controller
    /// removes the unreachable taints, parked work resumes, and Pods deleted
    /// meanwhile are finally stopped by the kubelet and removed.
    pub(crate) fn start_node(&mut self, name: &str) -> Result<(), ActionError> {
        let i = self.node_index(name)?;
        self.nodes_touched = true;
        if self.nodes[i].stopped_at.take().is_none() {
            return Ok(());
        }
        let now = self.now();
        let was_unknown = self.nodes[i].ready == NodeReady::Unknown;
        self.nodes[i].ready = NodeReady::True;
        if was_unknown {
            self.nodes[i].ready_changed_ms = now;
        }
        self.nodes[i].cfg.taints.retain(|t| t.key != TAINT_UNREACHABLE);
        if was_unknown {
            self.record_node(i, "kubelet", "NodeReady", format!("Node {name} status is now: NodeReady"));
        }
        for t in std::mem::take(&mut self.nodes[i].parked) {
            self.clock.schedule(t.at, t.target);
        }
        let slots: Vec<u32> = self.pods_on(i);
        for slot in slots {
            let Some(p) = self.pod_rt_mut(slot) else { continue };
            p.node_lost = false;
            let admitted = p.status.start_time_ms.is_some();
            let terminating = p.terminating;
            if !admitted {
                self.kubelet_admit(slot);
            } else if terminating {
                // The kubelet kills with the Pod's deletionGracePeriodSeconds,
                // counted from when it learns of the deletion.
                if let Some(p) = self.pod_rt_mut(slot) {
                    let grace = p.server.deletion_grace_period_seconds.unwrap_or(30);
                    p.server.deletion_ms = Some(now.saturating_add(super::kubelet::seconds_ms(grace)));
                }
                self.sync_pod(slot);
            }
            self.refresh(slot);
        }
        self.node_changed(i);
        Ok(())
    }

    /// Live Pods bound to node `i`, by namespace and name.
    pub(crate) fn pods_on(&self, i: usize) -> Vec<u32> {
        self.pods.slots_by_name().filter(|&s| self.pod_rt(s).is_some_and(|p| p.node == Some(i))).collect()
    }

    /// Records an event about node `i`.
    fn record_node(&mut self, i: usize, source: &'static str, reason: &str, message: String) {
        let name = self.nodes[i].cfg.name.clone();
        let involved = ObjectRef {
            kind: "Node",
            namespace: String::new(),
            name: name.clone(),
            uid: name.clone(),
            field_path: None,
        };
        let host = (source == "kubelet").then_some(name);
        self.record_object(involved, host, EventType::Normal, reason, message, source);
    }

    /// The node lifecycle controller's monitor pass for a stopped node whose
    /// grace period ran out (`tryUpdateNodeHealth`, `processTaintBaseEviction`).
    pub(crate) fn node_monitor(&mut self, i: usize) {
        if i >= self.nodes.len() || self.nodes[i].stopped_at.is_none() || self.nodes[i].ready == NodeReady::Unknown {
            return;
        }
        self.nodes[i].ready = NodeReady::Unknown;
        self.nodes[i].ready_changed_ms = self.now();
        let name = self.nodes[i].cfg.name.clone();
        self.record_node(i, "node-controller", "NodeNotReady", format!("Node {name} status is now: NodeNotReady"));
        for effect in [TaintEffect::NoSchedule, TaintEffect::NoExecute] {
            add_taint(&mut self.nodes[i].cfg.taints, Taint::new(TAINT_UNREACHABLE, effect));
        }
        self.publish_node(i);
        let now = self.now();
        for slot in self.pods_on(i) {
            // MarkPodsNotReady (pkg/controller/util/node/controller_utils.go).
            let Some(p) = self.pod_rt_mut(slot) else { continue };
            p.node_lost = true;
            if p.status.condition(ConditionType::Ready).is_some_and(|c| c.status) {
                p.set_condition(ConditionType::Ready, false, now, None, None);
                self.record(
                    slot,
                    None,
                    EventType::Warning,
                    "NodeNotReady",
                    "Node is not ready".into(),
                    "node-controller",
                );
            }
            self.mark_dirty(slot);
            self.taint_evict_check(slot, i);
        }
    }

    /// The taint eviction controller (`processPodOnNode`): a Pod that does
    /// not tolerate a NoExecute taint of its node is deleted now; one that
    /// tolerates it for N seconds, after N seconds.
    fn taint_evict_check(&mut self, slot: u32, i: usize) {
        let Some(p) = self.pod_rt(slot) else { return };
        if p.server.deletion_ms.is_some() {
            return;
        }
        // getMatchingTolerations: the first toleration of each NoExecute
        // taint; any taint untolerated means now; else the least
        // tolerationSeconds among them (none: tolerated forever).
        let mut used: Vec<&Toleration> = Vec::new();
        let mut untolerated = false;
        for taint in self.nodes[i].cfg.taints.iter().filter(|t| t.effect == TaintEffect::NoExecute) {
            match p.pod.spec.tolerations.iter().find(|t| t.tolerates(taint)) {
                Some(t) => used.push(t),
                None => untolerated = true,
            }
        }
        let min = if untolerated { Some(0) } else { used.iter().filter_map(|t| t.toleration_seconds).min() };
        let Some(seconds) = min else { return };
        let at = self.now().saturating_add(super::kubelet::seconds_ms(seconds.max(0)));
        self.schedule(at, slot, PodTimer::TaintEvict);
    }

    /// A scheduled taint eviction is due: delete the Pod if its node still
    /// has the NoExecute taint it could not tolerate longer.
    pub(crate) fn taint_evict(&mut self, slot: u32) {
        let Some(p) = self.pod_rt(slot) else { return };
        let Some(i) = p.node else { return };
        if p.server.deletion_ms.is_some()
            || !self.nodes[i].cfg.taints.iter().any(|t| t.effect == TaintEffect::NoExecute)
        {
            return;
        }
        let (ns, name) = (p.pod.metadata.namespace.clone(), p.pod.metadata.name.clone());
        self.record(
            slot,
            None,
            EventType::Normal,
            "TaintManagerEviction",
            format!("Marking for deletion Pod {ns}/{name}"),
            "taint-eviction-controller",
        );
        // `addConditionAndDeletePod`, pkg/controller/tainteviction/taint_eviction.go.
        self.mark_disruption_target(
            &ns,
            &name,
            "DeletionByTaintManager",
            "Taint manager: deleting due to NoExecute taint",
        );
        let _ = self.delete_pod(&ns, &name, None);
    }

    /// The `DisruptionTarget` condition (True) that an eviction or a
    /// taint-based deletion writes to the Pod's status before deleting it
    /// (kubernetes.io "Pod disruption conditions"); the kubelet keeps it.
    pub(crate) fn mark_disruption_target(&mut self, ns: &str, name: &str, reason: &str, message: &str) {
        let now = self.now();
        let Some(slot) = self.pods.slot(ns, name) else { return };
        let Some(p) = self.pod_rt_mut(slot) else { return };
        p.set_condition(
            ConditionType::DisruptionTarget,
            true,
            now,
            Some(reason.to_string()),
            Some(message.to_string()),
        );
        self.mark_dirty(slot);
    }

    /// Parks a Pod timer while the Pod's node is stopped; true when parked.
    pub(crate) fn park_if_stopped(&mut self, timer: &Timer) -> bool {
        let Target::Pod { slot, .. } = timer.target else { return false };
        let Some(node) = self.pod_rt(slot).and_then(|p| p.node) else { return false };
        if self.nodes[node].stopped_at.is_none() {
            return false;
        }
        if self.nodes[node].parked.len() < 1_000_000 {
            self.nodes[node].parked.push(*timer);
        }
        true
    }
}

fn add_taint(taints: &mut Vec<Taint>, taint: Taint) {
    if !taints.iter().any(|t| t.key == taint.key && t.effect == taint.effect) {
        taints.push(taint);
    }
}
