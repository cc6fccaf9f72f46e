//! What the engine can be asked to do to the simulated cluster, as typed
//! values: the changes `kubectl` makes (delete, scale, set image, rollout,
//! drain, …), plus podplay's own knobs on the world (a container's process
//! dies or hangs, a node stops, a simulated client sends traffic).
//!
//! The text people type (`delete pod/web --grace-period=5`) is read by the
//! session layer's one grammar (`src/session/command.rs`); inputs the
//! engine does not act on itself (`apply -f FILE`, `delete pod -l SELECTOR`)
//! stay up there.
//!
//! [`Sim::act`] carries one out: it hands the action to the part that owns
//! its object (a Pod's container, a controller, a node, a Service's
//! traffic), then publishes what changed. Refusals read as the API server's
//! or kubectl's (`pods "web" not found`, `container c is not valid for pod
//! web`).

use super::{ActionError, Sim};
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

impl Sim {
    /// Performs an action at the current time.
    pub fn act(&mut self, action: &Action) -> Result<(), ActionError> {
        let result = match action {
            Action::Apply(objects) => self.apply_all(objects.clone()).map(drop),
            Action::DeletePod { namespace, name, grace_period_seconds } => {
                self.delete_pod(namespace, name, *grace_period_seconds)
            }
            Action::Kill { namespace, pod, container, exit_code } => {
                self.with_container(namespace, pod, container, |sim, slot, c| sim.kill_process(slot, c, *exit_code))
            }
            Action::Break { namespace, pod, container } => {
                self.with_container(namespace, pod, container, |sim, slot, c| sim.set_broken(slot, c, true))
            }
            Action::Heal { namespace, pod, container } => {
                self.with_container(namespace, pod, container, |sim, slot, c| sim.set_broken(slot, c, false))
            }
            Action::Scale { namespace, kind, name, replicas } => match kind {
                ControllerKind::Deployment => self.scale_deployment(namespace, name, *replicas),
                ControllerKind::ReplicaSet => self.scale_replica_set(namespace, name, *replicas),
                ControllerKind::StatefulSet => self.scale_stateful_set(namespace, name, *replicas),
                ControllerKind::Job | ControllerKind::CronJob => Err(ActionError(
                    "podplay does not scale Jobs or CronJobs (kubectl scale job was removed; set spec.parallelism)"
                        .into(),
                )),
                // A DaemonSet has no scale subresource: one Pod per eligible node.
                ControllerKind::DaemonSet => {
                    Err(ActionError("the server could not find the requested resource".into()))
                }
            },
            Action::SetImage { namespace, kind, name, container, image } => {
                self.set_image(namespace, *kind, name, container, image)
            }
            Action::RolloutRestart { namespace, kind, name } => self.rollout_restart(namespace, *kind, name),
            Action::RolloutUndo { namespace, name, to_revision } => self.rollout_undo(namespace, name, *to_revision),
            Action::RolloutPause { namespace, name, paused } => self.rollout_pause(namespace, name, *paused),
            Action::Delete { namespace, kind, name } => match kind {
                ControllerKind::Deployment => self.delete_deployment(namespace, name),
                ControllerKind::ReplicaSet => self.delete_replica_set(namespace, name),
                ControllerKind::Job => self.delete_job(namespace, name),
                ControllerKind::CronJob => self.delete_cron_job(namespace, name),
                ControllerKind::StatefulSet => self.delete_stateful_set(namespace, name),
                ControllerKind::DaemonSet => self.delete_daemon_set(namespace, name),
            },
            Action::Traffic { namespace, name, rate } => self.set_traffic(namespace, name, *rate),
            Action::Node { name, op } => match *op {
                NodeOp::Add { cpu_millis, memory_bytes, max_pods } => {
                    self.add_node(name, cpu_millis, memory_bytes, max_pods)
                }
                NodeOp::Cordon => self.cordon(name, true),
                NodeOp::Uncordon => self.cordon(name, false),
                NodeOp::Drain { force, delete_emptydir_data } => self.drain(name, force, delete_emptydir_data),
                NodeOp::Stop => self.stop_node(name),
                NodeOp::Start => self.start_node(name),
            },
        };
        self.update_endpoints();
        self.flush();
        result
    }

    fn with_container(
        &mut self,
        namespace: &str,
        pod: &str,
        container: &str,
        f: impl FnOnce(&mut Sim, u32, usize),
    ) -> Result<(), ActionError> {
        let slot = self.pods.slot(namespace, pod).ok_or_else(|| ActionError(format!("pods \"{pod}\" not found")))?;
        let p = self.pod_rt(slot).ok_or_else(|| ActionError(format!("pods \"{pod}\" not found")))?;
        let c = p
            .container_index(container)
            .ok_or_else(|| ActionError(format!("container {container} is not valid for pod {pod}")))?;
        f(self, slot, c);
        Ok(())
    }
}
