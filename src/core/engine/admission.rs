//! Admission: what the API server's admission plugins decide about a Pod
//! before it is stored, and the PriorityClasses they read.
//!
//! The Priority plugin (plugin/pkg/admission/priority/admission.go,
//! `admitPod`) resolves `spec.priorityClassName`: the system classes first
//! (`system-cluster-critical`, `system-node-critical`), then the applied
//! PriorityClasses; a name that resolves to none refuses the Pod with
//! `admission.NewForbidden` (`pods "NAME" is forbidden: no PriorityClass with
//! name X was found`, where NAME is the Pod's name, or its `generateName`
//! when the API server has not named it yet: `extractResourceName`). A Pod
//! without a class gets the `globalDefault` class, or priority 0. A
//! controller that is refused records `FailedCreate` with `Error creating: `
//! and the message.

use std::sync::Arc;

use super::{ApplyResult, Sim};
use crate::core::api::{ObjectMeta, Pod, PodSpec, PriorityClass, SYSTEM_PRIORITY_CLASSES};
use crate::core::status::{PriorityClassSnapshot, ServerMeta};
use crate::core::store::Store;

impl Sim {
    /// Applies a PriorityClass (cluster-scoped; Pods already admitted keep
    /// the priority they were given).
    pub(crate) fn create_priority_class(&mut self, pc: PriorityClass) -> ApplyResult {
        let name = pc.metadata.name.clone();
        match self.priority_classes.get(&name).map(|old| &old.class) {
            Some(old) if old.value == pc.value && old.global_default == pc.global_default => {
                ApplyResult::Unchanged { kind: "PriorityClass", name }
            }
            Some(old) if old.value != pc.value => ApplyResult::Refused {
                kind: "PriorityClass",
                // ValidatePriorityClassUpdate: `value` is immutable.
                message: format!(
                    "PriorityClass.scheduling.k8s.io \"{name}\" is invalid: value: Forbidden: may not be changed in an update."
                ),
                name,
            },
            Some(_) => {
                let resource_version = self.next_resource_version();
                if let Some(stored) = self.priority_classes.get_mut(&name) {
                    stored.class = Arc::new(pc);
                    stored.server.resource_version = resource_version;
                }
                ApplyResult::Configured { kind: "PriorityClass", name }
            }
            None => {
                let server = self.new_server_meta();
                self.priority_classes.insert(name.clone(), PriorityClassSnapshot { class: Arc::new(pc), server });
                ApplyResult::Created { kind: "PriorityClass", name }
            }
        }
    }

    /// Every PriorityClass, by name: the system classes and those applied.
    pub fn priority_classes(&self) -> Vec<PriorityClassSnapshot> {
        self.priority_classes.values().cloned().collect()
    }

    /// Runs the Priority plugin over a Pod about to be created: fills in
    /// `spec.priority` (and the class and preemption policy it came from),
    /// or says why the Pod is refused, as the API server words it.
    pub(crate) fn admit_pod(&self, pod: &mut Pod) -> Result<(), String> {
        let spec = &mut pod.spec;
        let (class, value, preemption) = match spec.priority_class_name.as_deref() {
            None => match self.default_priority_class() {
                // getDefaultPriority: the globalDefault class, named on the Pod.
                Some(pc) => (Some(pc.metadata.name.clone()), pc.value, Some(pc.preemption_policy.clone())),
                None => (None, 0, None),
            },
            Some(name) => match SYSTEM_PRIORITY_CLASSES.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => (Some(name.to_string()), *value, Some("PreemptLowerPriority".to_string())),
                None => match self.priority_classes.get(name).map(|stored| &stored.class) {
                    Some(pc) => (Some(name.to_string()), pc.value, Some(pc.preemption_policy.clone())),
                    None => {
                        let detail = format!("no PriorityClass with name {name} was found");
                        return Err(forbidden(pod, &detail));
                    }
                },
            },
        };
        if let Some(given) = spec.priority.filter(|p| *p != value) {
            let detail = format!("the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {value} from the given PriorityClass name");
            return Err(forbidden(pod, &detail));
        }
        spec.priority_class_name = class;
        spec.priority = Some(value);
        if spec.preemption_policy.is_none() {
            spec.preemption_policy = preemption;
        }
        Ok(())
    }

    /// Why a controller's Pod named `name` (or its `generateName`) from
    /// `spec` would be refused, if it would: the controllers ask before
    /// they record `SuccessfulCreate`.
    pub(crate) fn admission_refusal(&self, name: &str, spec: &PodSpec) -> Option<String> {
        let metadata = ObjectMeta { name: name.to_string(), ..ObjectMeta::default() };
        self.admit_pod(&mut Pod { metadata, spec: spec.clone() }).err()
    }

    /// The class with `globalDefault: true` (the lowest value if several).
    fn default_priority_class(&self) -> Option<&Arc<PriorityClass>> {
        self.priority_classes
            .values()
            .map(|stored| &stored.class)
            .filter(|pc| pc.global_default)
            .min_by_key(|pc| pc.value)
    }
}

/// The two system classes every cluster has (`SystemPriorityClasses`,
/// pkg/apis/scheduling/helpers.go), stored before anything is applied
/// ([`ServerMeta::from_the_start`]).
pub(crate) fn system_priority_classes() -> Store<PriorityClassSnapshot, String> {
    let mut classes = Store::new();
    for (name, value) in SYSTEM_PRIORITY_CLASSES {
        let description = match name {
            "system-node-critical" => "Used for system critical pods that must not be moved from their current node.",
            _ => "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
        };
        let class = PriorityClass {
            metadata: ObjectMeta { name: name.into(), ..ObjectMeta::default() },
            value,
            global_default: false,
            description: description.into(),
            preemption_policy: "PreemptLowerPriority".into(),
        };
        let server = ServerMeta::from_the_start(&format!("priorityclass/{name}"));
        classes.insert(name.to_string(), PriorityClassSnapshot { class: Arc::new(class), server });
    }
    classes
}

/// `admission.NewForbidden` for a Pod: `apierrors.NewForbidden`'s
/// `pods "NAME" is forbidden: DETAIL`.
fn forbidden(pod: &Pod, detail: &str) -> String {
    let meta = &pod.metadata;
    let name = meta.generate_name.as_deref().filter(|g| !g.is_empty()).unwrap_or(&meta.name);
    format!("pods \"{name}\" is forbidden: {detail}")
}
