//! What the engine can be asked to do to the simulated cluster, as typed
//! values: the changes `kubectl` makes (delete, scale, set image, rollout,
//! drain, …), plus podplay's own knobs on the world (a container's process
//! dies or hangs, a node stops, a simulated client sends traffic).
//!
//! The text people type (`delete pod/web --grace-period=5`) is read by the
//! session layer's one grammar (`src/session/command.rs`); inputs the
//! engine does not act on itself (`apply -f FILE`, `delete pod -l SELECTOR`)
//! stay up there.

use crate::core::api::Object;

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// `kubectl apply`: create the objects (or re-apply unchanged ones).
    Apply(Vec<Object>),
    DeletePod {
        namespace: String,
        name: String,
        grace_period_seconds: Option<i64>,
    },
    /// The container's process dies with this exit code.
    Kill {
        namespace: String,
        pod: String,
        container: String,
        exit_code: i32,
    },
    /// The app hangs: HTTP and gRPC requests and exec probes time out; TCP
    /// connects still succeed (the kernel accepts on a listening socket).
    Break {
        namespace: String,
        pod: String,
        container: String,
    },
    Heal {
        namespace: String,
        pod: String,
        container: String,
    },
    /// `kubectl scale`.
    Scale {
        namespace: String,
        kind: ControllerKind,
        name: String,
        replicas: i32,
    },
    /// `kubectl set image deployment/NAME CONTAINER=IMAGE` (or daemonset/NAME).
    SetImage {
        namespace: String,
        kind: ControllerKind,
        name: String,
        container: String,
        image: String,
    },
    /// `kubectl rollout restart deployment/NAME` (or daemonset/NAME).
    RolloutRestart {
        namespace: String,
        kind: ControllerKind,
        name: String,
    },
    /// `kubectl rollout undo deployment/NAME [--to-revision=N]` (0: the previous revision).
    RolloutUndo {
        namespace: String,
        name: String,
        to_revision: i64,
    },
    /// `kubectl rollout pause|resume deployment/NAME`.
    RolloutPause {
        namespace: String,
        name: String,
        paused: bool,
    },
    /// `kubectl delete deployment/NAME`, `replicaset/NAME`, `job/NAME` or `statefulset/NAME`.
    Delete {
        namespace: String,
        kind: ControllerKind,
        name: String,
    },
    /// An action on a node.
    Node {
        name: String,
        op: NodeOp,
    },
    /// A simulated client sends requests to the Service at `rate` (`None`: stops).
    Traffic {
        namespace: String,
        name: String,
        rate: Option<super::Rate>,
    },
}

/// What a node action does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeOp {
    /// A new worker joins with this allocatable capacity.
    Add {
        cpu_millis: i64,
        memory_bytes: i64,
        max_pods: u32,
    },
    Cordon,
    Uncordon,
    /// `kubectl drain --ignore-daemonsets`, with `--force` for Pods no
    /// controller owns and `--delete-emptydir-data` for Pods with emptyDir volumes.
    Drain {
        force: bool,
        delete_emptydir_data: bool,
    },
    /// The kubelet stops posting status (the machine is down or cut off).
    Stop,
    Start,
}

/// The controllers actions can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControllerKind {
    Deployment,
    ReplicaSet,
    Job,
    StatefulSet,
    DaemonSet,
    CronJob,
}
