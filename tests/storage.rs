//! StorageClass (storage.k8s.io/v1) and PersistentVolume (v1): decoding and
//! the API server's validation (`ValidateStorageClass`,
//! pkg/apis/storage/validation/validation.go; `ValidatePersistentVolumeSpec`,
//! pkg/apis/core/validation/validation.go), kind's default class, and
//! `kubectl get sc` / `kubectl get pv` (`printStorageClass`,
//! `printPersistentVolume`, pkg/printers/internalversion/printers.go).

mod common;

use common::sim_with;
use podplay::core::engine::Sim;
use podplay::core::manifest::parse_manifests;
use podplay::core::{get, json};

fn errors(yaml: &str) -> Vec<String> {
    parse_manifests(yaml).diagnostics.iter().map(|d| d.to_string()).collect()
}

/// kubernetes.io, "Configure a Pod to Use a PersistentVolume for Storage":
/// pods/storage/pv-volume.yaml.
pub const TASK_PV: &str = "apiVersion: v1
kind: PersistentVolume
metadata:
  name: task-pv-volume
  labels:
    type: local
spec:
  storageClassName: manual
  capacity:
    storage: 10Gi
  accessModes:
    - ReadWriteOnce
  hostPath:
    path: \"/mnt/data\"
";

#[test]
fn a_kind_cluster_has_its_default_storage_class_from_the_start() {
    let sim = Sim::new(Default::default());
    let table = get::printer("sc").expect("sc").table(&sim, 60_000, false);
    assert_eq!(
        table,
        "NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n\
         standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  60s\n"
    );
    assert_eq!(get::printer("storageclasses").map(|p| p.kind), Some("StorageClass"));
    assert!(!sim.storage_classes_applied());
    let j = json::storageclass_json(&sim.storage_classes()[0]).to_string();
    assert!(
        j.contains("\"annotations\":{\"storageclass.kubernetes.io/is-default-class\":\"true\"}},\"provisioner\":\"rancher.io/local-path\",\"reclaimPolicy\":\"Delete\",\"volumeBindingMode\":\"WaitForFirstConsumer\"}"),
        "{j}"
    );
}

#[test]
fn a_persistent_volume_is_available_as_kubectl_get_pv_prints_it() {
    let mut sim = sim_with(TASK_PV);
    sim.advance_to(5_000);
    let table = get::printer("pv").expect("pv").table(&sim, sim.now(), false);
    assert_eq!(
        table,
        "NAME             CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS      CLAIM   STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE\n\
         task-pv-volume   10Gi       RWO            Retain           Available           manual         <unset>                          5s\n"
    );
    let j = json::pv_json(&sim.persistent_volumes()[0]).to_string();
    assert!(j.contains("\"spec\":{\"capacity\":{\"storage\":\"10Gi\"},\"hostPath\":{\"path\":\"/mnt/data\"},\"accessModes\":[\"ReadWriteOnce\"],\"persistentVolumeReclaimPolicy\":\"Retain\",\"storageClassName\":\"manual\",\"volumeMode\":\"Filesystem\"}"), "{j}");
}

#[test]
fn validation_as_the_api_server_words_it() {
    let errs = errors("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: p}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n");
    assert!(errs.iter().any(|e| e.contains("spec: Required value: must specify a volume type")), "{errs:?}");
    let errs = errors("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: p}\nspec:\n  hostPath: {path: /x}\n  persistentVolumeReclaimPolicy: Keep\n");
    assert!(errs.iter().any(|e| e.contains("spec.accessModes: Required value")), "{errs:?}");
    assert!(errs.iter().any(|e| e.contains("spec.capacity: Required value")), "{errs:?}");
    assert!(
        errs.iter().any(|e| e.contains(
            "spec.persistentVolumeReclaimPolicy: Unsupported value: \"Keep\": supported values: \"Delete\", \"Recycle\", \"Retain\""
        )),
        "{errs:?}"
    );
    let errs =
        errors("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: s}\nvolumeBindingMode: Later\n");
    assert!(errs.iter().any(|e| e.contains("provisioner: Required value")), "{errs:?}");
    assert!(
        errs.iter().any(|e| {
            e.contains(
            "volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\", \"WaitForFirstConsumer\""
        )
        }),
        "{errs:?}"
    );
    let errs = errors("apiVersion: v1\nkind: StorageClass\nmetadata: {name: s}\nprovisioner: x\n");
    assert!(
        errs.iter().any(|e| e.contains("use \\\"apiVersion: storage.k8s.io/v1\\\"")
            || e.contains("use \"apiVersion: storage.k8s.io/v1\"")),
        "{errs:?}"
    );
}

#[test]
fn a_class_s_provisioner_cannot_change() {
    let sc =
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\nprovisioner: example.com/fast\n";
    let mut sim = sim_with(sc);
    assert!(sim.storage_classes_applied());
    let changed = parse_manifests(&sc.replace("example.com/fast", "example.com/slow"));
    let err = sim.apply_all(changed.objects).expect_err("refused");
    assert_eq!(
        err.0,
        "StorageClass.storage.k8s.io \"fast\" is invalid: provisioner: Forbidden: updates to provisioner are forbidden."
    );
}
