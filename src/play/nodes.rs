//! Nodes in words for the page: taints as kubectl prints them, what a
//! stopped or unreachable node means for its Pods, and how full it is.

use crate::core::api::Taint;
use crate::core::engine::{NodeReady, NodeSnapshot, NODE_MONITOR_GRACE_MS};

/// A taint as kubectl prints it (`Taint.ToString`, k8s.io/api/core/v1/taint.go):
/// `key=value:Effect`, or `key:Effect` without a value.
pub fn taint_text(t: &Taint) -> String {
    if t.value.is_empty() {
        format!("{}:{}", t.key, t.effect.as_str())
    } else {
        format!("{}={}:{}", t.key, t.value, t.effect.as_str())
    }
}

/// What the node's state means, when it is not simply Ready.
pub fn node_note(n: &NodeSnapshot) -> Option<String> {
    match (n.stopped, n.ready) {
        (true, NodeReady::True) => Some(format!(
            "Kubelet stopped: the node controller marks the node NotReady once {}s pass with no status.",
            NODE_MONITOR_GRACE_MS / 1000
        )),
        (_, NodeReady::Unknown) => Some(
            "Kubelet stopped posting status: tainted unreachable; each Pod is evicted when its toleration runs out (300s by default)."
                .to_string(),
        ),
        (false, NodeReady::True) if n.unschedulable => Some("Cordoned: no new Pods are scheduled here.".to_string()),
        _ => None,
    }
}

/// Requests against allocatable, as `kubectl describe node` sums them up:
/// "cpu 250m (6%) · memory 64Mi (0%) · 2/110 Pods".
pub fn node_usage(n: &NodeSnapshot) -> String {
    let pct = |used: i64, of: i64| if of > 0 { used.saturating_mul(100) / of } else { 0 };
    format!(
        "cpu {} ({}%) · memory {} ({}%) · {}/{} Pods",
        cpu_text(n.requested_cpu),
        pct(n.requested_cpu, n.cpu_millis),
        memory_text(n.requested_mem),
        pct(n.requested_mem, n.memory_bytes),
        n.pods,
        n.max_pods
    )
}

/// Millicores as a quantity: `2`, `250m`.
pub fn cpu_text(millis: i64) -> String {
    if millis % 1000 == 0 {
        (millis / 1000).to_string()
    } else {
        format!("{millis}m")
    }
}

/// Bytes as a quantity in the largest binary unit that divides it: `8Gi`, `64Mi`, `0`.
pub fn memory_text(bytes: i64) -> String {
    for (shift, unit) in [(40, "Ti"), (30, "Gi"), (20, "Mi"), (10, "Ki")] {
        if bytes != 0 && bytes % (1i64 << shift) == 0 {
            return format!("{}{unit}", bytes >> shift);
        }
    }
    bytes.to_string()
}
