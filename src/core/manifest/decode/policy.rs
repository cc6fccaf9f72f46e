//! `policy/v1` PodDisruptionBudget: decoding (policy/v1 defaults nothing) and
//! the checks of `ValidatePodDisruptionBudgetSpec`
//! (pkg/apis/policy/validation/validation.go), in its order.

use super::apps::{decode_int_or_percent, decode_selector, validate_int_or_percent};
use super::{child, key_text, Ctx, Decode, Fields};
use crate::core::api::*;
use crate::core::yaml::Node;

/// `unhealthyPodEvictionPolicy` values, as `sets.List` sorts them.
const UNHEALTHY_POD_EVICTION_POLICIES: &[&str] = &["AlwaysAllow", "IfHealthyBudget"];

impl Decode for PodDisruptionBudget {
    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self {
        PodDisruptionBudget { metadata, spec: decode_pdb_spec(cx, fields.spec()) }
    }
}

fn decode_pdb_spec(cx: &mut Ctx, node: &Node) -> PodDisruptionBudgetSpec {
    let mut spec = PodDisruptionBudgetSpec {
        min_available: None,
        selector: None,
        max_unavailable: None,
        unhealthy_pod_eviction_policy: None,
    };
    let mut policy_pos = None;
    for (k, val) in cx.entries(node, "spec").unwrap_or(&[]) {
        let name = key_text(k);
        let p = child("spec", name);
        match name {
            "minAvailable" => spec.min_available = decode_int_or_percent(cx, val, &p),
            "maxUnavailable" => spec.max_unavailable = decode_int_or_percent(cx, val, &p),
            "selector" => spec.selector = Some(decode_selector(cx, val, &p)),
            "unhealthyPodEvictionPolicy" => {
                spec.unhealthy_pod_eviction_policy = cx.string(val, &p);
                policy_pos = Some(val.pos);
            }
            _ => cx.unknown(k, &p),
        }
    }
    if cx.type_errors > 0 {
        return spec;
    }
    if let (Some(min), Some(max)) = (spec.min_available, spec.max_unavailable) {
        // `field.Invalid(fldPath, spec, …)` prints the spec with `%#v`: its
        // pointers as the API server's memory addresses, which podplay has
        // not got; it prints the values they point to instead.
        let value = format!(
            "policy.PodDisruptionBudgetSpec{{MinAvailable:{}, MaxUnavailable:{}}}",
            min.to_text(),
            max.to_text()
        );
        let pos = cx.src.pos("spec");
        cx.invalid_at(pos, "spec", &value, "minAvailable and maxUnavailable cannot be both set");
    }
    if let Some(min) = spec.min_available {
        validate_int_or_percent(cx, "spec.minAvailable", min, true);
    }
    if let Some(max) = spec.max_unavailable {
        validate_int_or_percent(cx, "spec.maxUnavailable", max, true);
    }
    if let (Some(policy), Some(pos)) = (&spec.unhealthy_pod_eviction_policy, policy_pos) {
        if !UNHEALTHY_POD_EVICTION_POLICIES.contains(&policy.as_str()) {
            cx.not_supported_at(pos, "spec.unhealthyPodEvictionPolicy", policy, UNHEALTHY_POD_EVICTION_POLICIES);
        }
    }
    spec
}
