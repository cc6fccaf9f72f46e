//! What a simulation starts from: the seed every random choice derives from,
//! and the cluster's nodes (three kind-like workers unless a caller, or the
//! first applied Node object, says otherwise).
//!
//! Upstream: a kind cluster's defaults (Pod subnet 10.244.0.0/16, one /24
//! per node; node addresses on the `kind` Docker network, usually
//! 172.18.0.0/16); the kubelet's `--max-pods` default of 110
//! (pkg/kubelet/apis/config/v1beta1/defaults.go) and the well-known labels
//! it puts on its Node (`kubernetes.io/hostname`, `kubernetes.io/os`,
//! `kubernetes.io/arch`: pkg/kubelet/kubelet_node_status.go).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// A node of the simulated cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeConfig {
    pub name: String,
    pub cpu_millis: i64,
    pub memory_bytes: i64,
    pub max_pods: u32,
    /// The node's Pod CIDR, a /24 (`10.244.1.0/24` → `[10, 244, 1, 0]`).
    pub pod_cidr: Ipv4Addr,
    pub internal_ip: Ipv4Addr,
    pub labels: BTreeMap<String, String>,
    /// `spec.taints` (the controllers' own taints included).
    pub taints: Vec<crate::core::api::Taint>,
    /// `spec.unschedulable` (cordoned).
    pub unschedulable: bool,
}

impl NodeConfig {
    /// A node like a kind worker: 4 CPUs, 8 GiB, 110 Pods.
    pub fn worker(index: u8) -> NodeConfig {
        let name = format!("node-{index}");
        let mut labels = BTreeMap::new();
        labels.insert("kubernetes.io/hostname".to_string(), name.clone());
        labels.insert("kubernetes.io/os".to_string(), "linux".to_string());
        labels.insert("kubernetes.io/arch".to_string(), "amd64".to_string());
        NodeConfig {
            name,
            cpu_millis: 4000,
            memory_bytes: 8 << 30,
            max_pods: 110,
            pod_cidr: Ipv4Addr::new(10, 244, index, 0),
            internal_ip: Ipv4Addr::new(172, 18, 0, index + 1),
            labels,
            taints: Vec::new(),
            unschedulable: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    pub seed: u64,
    pub nodes: Vec<NodeConfig>,
}

impl Default for SimConfig {
    /// Seed 1 and three worker nodes.
    fn default() -> Self {
        SimConfig { seed: 1, nodes: (1..=3).map(NodeConfig::worker).collect() }
    }
}

impl SimConfig {
    pub fn with_seed(seed: u64) -> Self {
        SimConfig { seed, ..SimConfig::default() }
    }
}
