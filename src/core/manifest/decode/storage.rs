//! `storage.k8s.io/v1` StorageClass, `v1` PersistentVolume and `v1`
//! PersistentVolumeClaim (its spec decoded as a StatefulSet's claim
//! templates are, in [`super::apps`]): decoding with
//! the API server's defaults (`SetDefaults_StorageClass`,
//! pkg/apis/storage/v1/defaults.go: reclaimPolicy `Delete`,
//! volumeBindingMode `Immediate`; `SetDefaults_PersistentVolume`,
//! pkg/apis/core/v1/defaults.go: persistentVolumeReclaimPolicy `Retain`,
//! volumeMode `Filesystem`) and the checks of `ValidateStorageClass`
//! (pkg/apis/storage/validation/validation.go: `validateProvisioner`,
//! `validateReclaimPolicy`, `validateVolumeBindingMode`) and
//! `ValidatePersistentVolumeSpec` (pkg/apis/core/validation/validation.go:
//! access modes, capacity, reclaim policy, exactly one volume type), in
//! their order.

use super::super::validate as v;
use super::{apps, child, key_text, Ctx, Decode, Fields};
use crate::core::api::*;
use crate::core::yaml::Node;

/// `supportedReclaimPolicy` of a StorageClass.
const CLASS_RECLAIM_POLICIES: &[&str] = &["Delete", "Retain"];
/// `supportedVolumeBindingModes`.
const BINDING_MODES: &[&str] = &["Immediate", "WaitForFirstConsumer"];
/// `supportedReclaimPolicy` of a PersistentVolume.
const PV_RECLAIM_POLICIES: &[&str] = &["Delete", "Recycle", "Retain"];
/// `supportedAccessModes`, sorted as `NotSupported` lists them.
const ACCESS_MODES: &[&str] = &["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
/// Whether `name` is a volume type a PersistentVolume may name
/// (`PersistentVolumeSource`: the Pod's volume types less the ones only a
/// Pod has); podplay keeps the path of `hostPath` and `local` and no more
/// of any.
fn is_pv_source(name: &str) -> bool {
    matches!(name, "hostPath" | "local")
        || (super::OTHER_VOLUME_TYPES.contains(&name) && !matches!(name, "ephemeral" | "gitRepo" | "image"))
}

impl Decode for StorageClass {
    /// A StorageClass keeps its fields at the top level.
    const FIELDS: &'static [&'static str] = &[
        "provisioner",
        "parameters",
        "reclaimPolicy",
        "volumeBindingMode",
        "allowVolumeExpansion",
        "mountOptions",
        "allowedTopologies",
    ];

    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self {
        decode_storage_class(cx, metadata, fields.given())
    }
}

/// A StorageClass from its top-level fields.
fn decode_storage_class(cx: &mut Ctx, metadata: ObjectMeta, fields: &[(&str, &Node)]) -> StorageClass {
    let mut sc = StorageClass {
        metadata,
        provisioner: String::new(),
        parameters: Default::default(),
        reclaim_policy: "Delete".into(),
        volume_binding_mode: "Immediate".into(),
        allow_volume_expansion: None,
    };
    let mut policy_pos = None;
    let mut mode_pos = None;
    for (name, val) in fields {
        match *name {
            "provisioner" => sc.provisioner = cx.string(val, name).unwrap_or_default(),
            "parameters" => sc.parameters = cx.string_map(val, name),
            "reclaimPolicy" => {
                if let Some(p) = cx.string(val, name) {
                    sc.reclaim_policy = p;
                    policy_pos = Some(val.pos);
                }
            }
            "volumeBindingMode" => {
                if let Some(m) = cx.string(val, name) {
                    sc.volume_binding_mode = m;
                    mode_pos = Some(val.pos);
                }
            }
            "allowVolumeExpansion" => sc.allow_volume_expansion = cx.boolean(val, name),
            // mountOptions, allowedTopologies
            _ => cx.not_simulated(val, name),
        }
    }
    if cx.type_errors > 0 {
        return sc;
    }
    if sc.provisioner.is_empty() {
        let pos = cx.src.pos("provisioner");
        cx.error_at(pos, "provisioner", "Required value");
    }
    if let Some(pos) = policy_pos.filter(|_| !CLASS_RECLAIM_POLICIES.contains(&sc.reclaim_policy.as_str())) {
        cx.not_supported_at(pos, "reclaimPolicy", &sc.reclaim_policy, CLASS_RECLAIM_POLICIES);
    }
    if let Some(pos) = mode_pos.filter(|_| !BINDING_MODES.contains(&sc.volume_binding_mode.as_str())) {
        cx.not_supported_at(pos, "volumeBindingMode", &sc.volume_binding_mode, BINDING_MODES);
    }
    sc
}

impl Decode for PersistentVolume {
    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self {
        PersistentVolume { metadata, spec: decode_pv_spec(cx, fields.spec()) }
    }
}

impl Decode for PersistentVolumeClaim {
    fn decode(cx: &mut Ctx, metadata: ObjectMeta, fields: &Fields) -> Self {
        let mut spec = PersistentVolumeClaimTemplate {
            name: metadata.name.clone(),
            labels: metadata.labels.clone(),
            access_modes: Vec::new(),
            storage: String::new(),
            storage_class_name: None,
        };
        apps::decode_claim_spec(cx, fields.spec(), "spec", &mut spec);
        if cx.type_errors == 0 {
            apps::validate_claim_spec(cx, &spec, "spec");
        }
        PersistentVolumeClaim { metadata, spec }
    }
}

/// A PersistentVolume's `spec`.
fn decode_pv_spec(cx: &mut Ctx, node: &Node) -> PersistentVolumeSpec {
    let mut spec = PersistentVolumeSpec {
        storage: String::new(),
        access_modes: Vec::new(),
        reclaim_policy: "Retain".into(),
        storage_class_name: String::new(),
        source_kind: "",
        path: None,
        node_affinity: Vec::new(),
    };
    let mut sources = 0;
    let mut capacity_seen = false;
    let mut policy_pos = None;
    let mut modes_pos = None;
    for (k, val) in cx.entries(node, "spec").unwrap_or(&[]) {
        let name = key_text(k);
        let p = child("spec", name);
        match name {
            "capacity" => {
                let capacity = cx.string_map(val, &p);
                capacity_seen = !capacity.is_empty();
                if let Some(s) = capacity.get("storage") {
                    if parse_quantity(s, 1).is_none() {
                        let kp = format!("{p}[storage]");
                        cx.invalid_at(val.pos, &kp, &v::quote(s), v::QUANTITY_ERR);
                    }
                    spec.storage = s.clone();
                }
            }
            "accessModes" => {
                spec.access_modes = cx.string_list(val, &p);
                modes_pos = Some(val.pos);
            }
            "persistentVolumeReclaimPolicy" => {
                if let Some(s) = cx.string(val, &p) {
                    spec.reclaim_policy = s;
                    policy_pos = Some(val.pos);
                }
            }
            "storageClassName" => spec.storage_class_name = cx.string(val, &p).unwrap_or_default(),
            _ if is_pv_source(name) && sources > 0 => {
                cx.error_at(k.pos, &p, "Forbidden: may not specify more than 1 volume type");
            }
            "hostPath" | "local" => {
                sources += 1;
                spec.source_kind = if name == "local" { "local" } else { "hostPath" };
                for (k2, v2) in cx.entries(val, &p).unwrap_or(&[]) {
                    let n2 = key_text(k2);
                    let p2 = child(&p, n2);
                    match n2 {
                        "path" => spec.path = cx.string(v2, &p2),
                        "type" | "fsType" => {
                            cx.string(v2, &p2);
                        }
                        _ => cx.unknown(k2, &p2),
                    }
                }
                if spec.path.as_deref().unwrap_or("").is_empty() && cx.type_errors == 0 {
                    cx.error_at(val.pos, &child(&p, "path"), "Required value");
                }
            }
            "nodeAffinity" => {
                for (k2, v2) in cx.entries(val, &p).unwrap_or(&[]) {
                    let p2 = child(&p, key_text(k2));
                    match key_text(k2) {
                        "required" => spec.node_affinity = super::sched::decode_node_selector(cx, v2, &p2),
                        _ => cx.unknown(k2, &p2),
                    }
                }
            }
            "volumeMode" => {
                if cx.string(val, &p).as_deref() != Some("Filesystem") {
                    cx.not_simulated(k, &p);
                }
            }
            "claimRef" | "mountOptions" | "volumeAttributesClassName" => cx.not_simulated(k, &p),
            _ if is_pv_source(name) => {
                sources += 1;
                cx.not_simulated(k, &p);
            }
            _ => cx.unknown(k, &p),
        }
    }
    if cx.type_errors > 0 {
        return spec;
    }
    if spec.access_modes.is_empty() {
        let p = "spec.accessModes";
        let pos = cx.src.pos(p);
        cx.error_at(pos, p, "Required value");
    }
    if let Some(pos) = modes_pos {
        for m in &spec.access_modes {
            if !ACCESS_MODES.contains(&m.as_str()) {
                cx.not_supported_at(pos, "spec.accessModes", m, ACCESS_MODES);
            }
        }
    }
    if !capacity_seen {
        let pos = cx.src.pos("spec.capacity");
        cx.error_at(pos, "spec.capacity", "Required value");
    }
    if let Some(pos) = policy_pos.filter(|_| !PV_RECLAIM_POLICIES.contains(&spec.reclaim_policy.as_str())) {
        cx.not_supported_at(pos, "spec.persistentVolumeReclaimPolicy", &spec.reclaim_policy, PV_RECLAIM_POLICIES);
    }
    if sources == 0 {
        let pos = cx.src.pos("spec");
        cx.error_at(pos, "spec", "Required value: must specify a volume type");
    }
    spec
}
