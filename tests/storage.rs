//! StorageClass (storage.k8s.io/v1) and PersistentVolume (v1): decoding and
//! the API server's validation (`ValidateStorageClass`,
//! pkg/apis/storage/validation/validation.go; `ValidatePersistentVolumeSpec`,
//! pkg/apis/core/validation/validation.go), kind's default class, and
//! `kubectl get sc` / `kubectl get pv` (`printStorageClass`,
//! `printPersistentVolume`, pkg/printers/internalversion/printers.go); and
//! binding: the PV controller (pkg/controller/volume/persistentvolume/
//! pv_controller.go, `syncUnboundClaim`, `provisionClaimOperation`), the
//! scheduler's VolumeBinding plugin (pkg/scheduler/framework/plugins/
//! volumebinding: `PreFilter`, `FindPodVolumes`, `BindPodVolumes`) and
//! kind's local-path provisioner (sig-storage-lib-external-provisioner's
//! Provisioning/ProvisioningSucceeded events).

mod common;

use common::{act, sim_with};
use podplay::core::engine::Sim;
use podplay::core::manifest::parse_manifests;
use podplay::core::status::PodPhase;
use podplay::core::{get, json};

fn errors(yaml: &str) -> Vec<String> {
    parse_manifests(yaml).diagnostics.iter().map(|d| d.to_string()).collect()
}

/// kubernetes.io, "Configure a Pod to Use a PersistentVolume for Storage":
/// pods/storage/pv-volume.yaml, pv-claim.yaml and pv-pod.yaml.
const TASK_PV: &str = include_str!("fixtures/pv-volume.yaml");
const TASK_CLAIM: &str = include_str!("fixtures/pv-claim.yaml");
const TASK_POD: &str = include_str!("fixtures/pv-pod.yaml");

fn apply(sim: &mut Sim, yaml: &str) {
    let parsed = parse_manifests(yaml);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    sim.apply_all(parsed.objects).expect("applied");
}

/// Every event's reason and message about one object, in order.
fn events_of(sim: &Sim, kind: &str, name: &str) -> Vec<(String, String)> {
    sim.events()
        .iter()
        .filter(|e| e.involved.kind == kind && e.involved.name == name)
        .map(|e| (e.reason.clone(), e.message.clone()))
        .collect()
}

const CLAIM: &str = "apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
";

/// A Pod that mounts the claim `data`.
const USER: &str = "apiVersion: v1
kind: Pod
metadata: {name: user}
spec:
  containers: [{name: c, image: nginx:1.27, volumeMounts: [{name: d, mountPath: /data}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
";

const NOT_HELPFUL: &str = "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";

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
    assert!(
        j.ends_with("\"status\":{\"phase\":\"Available\",\"lastPhaseTransitionTime\":\"2026-01-01T00:00:00Z\"}}"),
        "{j}"
    );
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
    let errs = errors("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: p}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {}\n  nfs: {server: x, path: /y}\n");
    assert!(errs.iter().any(|e| e.contains("spec.hostPath.path: Required value")), "{errs:?}");
    assert!(
        errs.iter().any(|e| e.contains("spec.nfs: Forbidden: may not specify more than 1 volume type")),
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
        "The StorageClass \"fast\" is invalid: provisioner: Forbidden: updates to provisioner are forbidden."
    );
    let both = sc
        .replace("example.com/fast", "example.com/slow")
        .replace("provisioner:", "reclaimPolicy: Retain\nprovisioner:");
    let err = sim.apply_all(parse_manifests(&both).objects).expect_err("refused");
    assert_eq!(
        err.0,
        "The StorageClass \"fast\" is invalid: [provisioner: Forbidden: updates to provisioner are forbidden., reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.]"
    );
}

/// The task page: the volume is Available, the claim binds to it (the
/// claim's CAPACITY is the volume's 10Gi), the volume is Bound to
/// default/task-pv-claim, and the Pod runs.
#[test]
fn the_docs_task_binds_the_claim_to_task_pv_volume_and_the_pod_runs() {
    let mut sim = sim_with(TASK_PV);
    assert_eq!(sim.persistent_volumes()[0].phase, "Available");
    apply(&mut sim, TASK_CLAIM);
    let claim = &sim.persistent_volume_claims()[0];
    let row = podplay::core::kubectl::pvc_row(claim, sim.now(), false);
    assert_eq!(row[..6], ["task-pv-claim", "Bound", "task-pv-volume", "10Gi", "RWO", "manual"]);
    let pv = &sim.persistent_volumes()[0];
    assert_eq!(pv.phase, "Bound");
    assert_eq!(podplay::core::kubectl::pv_row(pv, 0, false)[5], "default/task-pv-claim");
    assert_eq!(claim.annotations.get("pv.kubernetes.io/bind-completed").map(String::as_str), Some("yes"));
    apply(&mut sim, TASK_POD);
    sim.advance_to(30_000);
    assert_eq!(sim.pod("default", "task-pv-pod").expect("pod").status.phase, PodPhase::Running);
}

/// kind's `standard` class waits for the first consumer: the claim stays
/// Pending (`emitEventForUnboundDelayBindingClaim`) until a Pod that uses it
/// is scheduled; then the scheduler names the node in
/// `volume.kubernetes.io/selected-node`, local-path makes `pvc-<claim uid>`
/// on that node, and the Pod is bound after its volume.
#[test]
fn a_claim_of_the_default_class_waits_for_its_first_consumer() {
    let mut sim = sim_with(CLAIM);
    sim.advance_to(10_000);
    let claim = sim.persistent_volume_claims()[0].clone();
    assert_eq!(
        (claim.phase, claim.storage_class_name.as_str(), claim.volume_name.as_str()),
        ("Pending", "standard", "")
    );
    assert!(sim.persistent_volumes().is_empty());
    apply(&mut sim, USER);
    sim.advance_to(30_000);
    let claim = sim.persistent_volume_claims()[0].clone();
    let pv_name = format!("pvc-{}", claim.server.uid);
    assert_eq!((claim.phase, claim.volume_name.as_str()), ("Bound", pv_name.as_str()));
    let pod = sim.pod("default", "user").expect("pod");
    assert_eq!(pod.status.phase, PodPhase::Running);
    let node = pod.node_name.clone().expect("a node");
    assert_eq!(claim.annotations.get("volume.kubernetes.io/selected-node"), Some(&node));
    let pv = &sim.persistent_volumes()[0];
    assert_eq!(
        podplay::core::kubectl::pv_row(pv, 30_000, false)[..7],
        [pv_name.as_str(), "1Gi", "RWO", "Delete", "Bound", "default/data", "standard"]
    );
    let j = json::pv_json(pv).to_string();
    assert!(j.contains(&format!("\"nodeAffinity\":{{\"required\":{{\"nodeSelectorTerms\":[{{\"matchExpressions\":[{{\"key\":\"kubernetes.io/hostname\",\"operator\":\"In\",\"values\":[\"{node}\"]}}]}}]}}}}")), "{j}");
    let j = json::pvc_json(&claim).to_string();
    let annotations = format!("\"annotations\":{{\"pv.kubernetes.io/bind-completed\":\"yes\",\"pv.kubernetes.io/bound-by-controller\":\"yes\",\"volume.beta.kubernetes.io/storage-provisioner\":\"rancher.io/local-path\",\"volume.kubernetes.io/selected-node\":\"{node}\",\"volume.kubernetes.io/storage-provisioner\":\"rancher.io/local-path\"}},\"finalizers\":[\"kubernetes.io/pvc-protection\"]}}");
    assert!(j.contains(&annotations), "{j}");
    assert!(j.ends_with(&format!("\"volumeName\":\"{pv_name}\",\"storageClassName\":\"standard\",\"volumeMode\":\"Filesystem\"}},\"status\":{{\"phase\":\"Bound\",\"accessModes\":[\"ReadWriteOnce\"],\"capacity\":{{\"storage\":\"1Gi\"}}}}}}")), "{j}");
    let provisioner = "Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.";
    assert_eq!(
        events_of(&sim, "PersistentVolumeClaim", "data"),
        [
            ("WaitForFirstConsumer".to_string(), "waiting for first consumer to be created before binding".to_string()),
            ("ExternalProvisioning".to_string(), provisioner.to_string()),
            (
                "Provisioning".to_string(),
                "External provisioner is provisioning volume for claim \"default/data\"".to_string()
            ),
            ("ProvisioningSucceeded".to_string(), format!("Successfully provisioned volume {pv_name}")),
        ]
    );
}

/// A claim applied after the Pod that uses it: `findNonScheduledPodsByPVC`
/// names the Pod (WaitForPodScheduled).
#[test]
fn a_claim_whose_pod_waits_says_which_pod() {
    let mut sim = sim_with(USER);
    sim.advance_to(5_000);
    apply(&mut sim, CLAIM);
    let events = events_of(&sim, "PersistentVolumeClaim", "data");
    assert_eq!(events[0], ("WaitForPodScheduled".to_string(), "waiting for pod user to be scheduled".to_string()));
    sim.advance_to(30_000);
    assert_eq!(sim.pod("default", "user").expect("pod").status.phase, PodPhase::Running);
}

/// A class that does not exist binds at once (`IsDelayBindingMode`), finds
/// no volume, and cannot be provisioned; the Pod fails VolumeBinding's
/// PreFilter.
#[test]
fn a_claim_of_a_missing_class_stays_pending_and_so_does_its_pod() {
    let mut sim = sim_with(&format!("{}---\n{USER}", CLAIM.replace("spec:\n", "spec:\n  storageClassName: fast\n")));
    sim.advance_to(20_000);
    assert_eq!(sim.persistent_volume_claims()[0].phase, "Pending");
    assert_eq!(
        events_of(&sim, "PersistentVolumeClaim", "data"),
        [("ProvisioningFailed".to_string(), "storageclass.storage.k8s.io \"fast\" not found".to_string())]
    );
    let pod = sim.pod("default", "user").expect("pod");
    assert_eq!(pod.status.phase, PodPhase::Pending);
    let failed = events_of(&sim, "Pod", "user");
    assert_eq!(
        failed,
        [(
            "FailedScheduling".to_string(),
            format!("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. {NOT_HELPFUL}")
        )]
    );
}

/// The task's claim without its volume: `manual` is no StorageClass, so
/// the claim waits (ProvisioningFailed); the volume applied later binds it
/// and the Pod runs.
#[test]
fn manual_without_a_volume_waits_until_one_is_made() {
    let mut sim = sim_with(&format!("{TASK_CLAIM}---\n{TASK_POD}"));
    sim.advance_to(10_000);
    assert_eq!(sim.persistent_volume_claims()[0].phase, "Pending");
    assert_eq!(
        events_of(&sim, "PersistentVolumeClaim", "task-pv-claim")[0],
        ("ProvisioningFailed".to_string(), "storageclass.storage.k8s.io \"manual\" not found".to_string())
    );
    assert_eq!(sim.pod("default", "task-pv-pod").expect("pod").status.phase, PodPhase::Pending);
    apply(&mut sim, TASK_PV);
    sim.advance_to(40_000);
    assert_eq!(sim.persistent_volume_claims()[0].volume_name, "task-pv-volume");
    assert_eq!(sim.pod("default", "task-pv-pod").expect("pod").status.phase, PodPhase::Running);
}

/// A class with no provisioner (`kubernetes.io/no-provisioner`) that waits
/// for the first consumer: with no volume to match, no node passes
/// VolumeBinding's Filter (`checkVolumeProvisions`, ErrReasonBindConflict);
/// a matching volume lets the Pod run. A claim of no class at all gets
/// FailedBinding.
#[test]
fn a_class_without_a_provisioner_needs_a_volume() {
    let class = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: local-storage}\nprovisioner: kubernetes.io/no-provisioner\nvolumeBindingMode: WaitForFirstConsumer\n";
    let claim = CLAIM.replace("spec:\n", "spec:\n  storageClassName: local-storage\n");
    let mut sim = sim_with(&format!("{class}---\n{claim}---\n{USER}"));
    sim.advance_to(10_000);
    assert_eq!(
        events_of(&sim, "Pod", "user"),
        [(
            "FailedScheduling".to_string(),
            format!(
                "0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind. {NOT_HELPFUL}"
            )
        )]
    );
    let volume = TASK_PV.replace("manual", "local-storage");
    apply(&mut sim, &volume);
    sim.advance_to(40_000);
    assert_eq!(sim.persistent_volume_claims()[0].volume_name, "task-pv-volume");
    assert_eq!(sim.pod("default", "user").expect("pod").status.phase, PodPhase::Running);

    let none = sim_with(&CLAIM.replace("spec:\n", "spec:\n  storageClassName: \"\"\n"));
    assert_eq!(
        events_of(&none, "PersistentVolumeClaim", "data"),
        [(
            "FailedBinding".to_string(),
            "no persistent volumes available for this claim and no storage class is set".to_string()
        )]
    );
}

/// local-path pins its volume to the node (`nodeAffinity`,
/// `kubernetes.io/hostname In [node]`): a Pod that uses the claim again
/// can go only there (VolumeBinding's Filter, ErrReasonNodeConflict).
#[test]
fn a_provisioned_volume_keeps_its_pods_on_its_node() {
    let mut sim = sim_with(&format!("{CLAIM}---\n{USER}"));
    sim.advance_to(20_000);
    let node = sim.pod("default", "user").expect("pod").node_name.expect("a node");
    act(&mut sim, "delete pod/user --now");
    act(&mut sim, &format!("cordon node {node}"));
    sim.advance_to(40_000);
    apply(&mut sim, USER);
    sim.advance_to(50_000);
    assert_eq!(sim.pod("default", "user").expect("pod").status.phase, PodPhase::Pending);
    let failed = events_of(&sim, "Pod", "user");
    assert_eq!(
        failed.last().map(|e| e.1.as_str()),
        Some(
            format!("0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) had volume node affinity conflict. {NOT_HELPFUL}")
                .as_str()
        )
    );
}
