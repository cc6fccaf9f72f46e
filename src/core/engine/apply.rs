//! `kubectl apply` as the API server takes it: objects in kind order, each
//! refused when its namespace does not exist, else handed to the part that
//! creates or updates it; the plain data kinds (Namespace, ConfigMap,
//! Secret) are stored here, and every created object gets its uid and
//! resourceVersion here.
//!
//! Upstream: kubectl's apply (staging/src/k8s.io/kubectl/pkg/cmd/apply:
//! `created`, `configured`, `unchanged`); the NamespaceLifecycle admission
//! plugin (staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle:
//! `namespaces "x" not found`); `FillObjectMetaSystemFields`
//! (staging/src/k8s.io/apiserver/pkg/registry/rest/meta.go: the uid and
//! creationTimestamp of a created object), then the storage's resourceVersion.

use super::{ActionError, ApplyResult, Sim};
use crate::core::api::{ConfigMap, Object, Secret};
use crate::core::status::ServerMeta;
use crate::core::store::Store;
use std::sync::Arc;

impl Sim {
    /// [`Self::apply`] as one command (`kubectl apply`, `Action::Apply`):
    /// what was said of each object, or, when any was refused, the
    /// refusals joined with "; ".
    pub fn apply_all(&mut self, objects: Vec<Object>) -> Result<Vec<ApplyResult>, ActionError> {
        let results = self.apply(objects);
        let refused: Vec<&str> = results
            .iter()
            .filter_map(|r| match r {
                ApplyResult::Refused { message, .. } => Some(message.as_str()),
                _ => None,
            })
            .collect();
        if refused.is_empty() {
            Ok(results)
        } else {
            Err(ActionError(refused.join("; ")))
        }
    }

    /// Applies objects at the current time.
    pub fn apply(&mut self, objects: Vec<Object>) -> Vec<ApplyResult> {
        let mut results = Vec::new();
        // How to fix a missing namespace (the docs' `kubectl create namespace x`
        // step), by result index: said in the note, not in the API's message.
        let mut hints: Vec<(usize, String)> = Vec::new();
        // In each kind's apply order (`KindInfo::apply_order`): kubectl
        // applies a file in order; podplay orders by kind so a manifest's
        // order never matters.
        let mut objects = objects;
        crate::core::sort::sort_by_key(&mut objects, |o| o.info().apply_order);
        for obj in objects {
            let ns = &obj.meta().namespace;
            let namespaced = obj.info().namespaced;
            if namespaced && !self.namespaces.contains_key(ns) {
                // The API server: `Error from server (NotFound): namespaces "x" not found`.
                let message = format!("namespaces \"{ns}\" not found");
                hints.push((results.len(), format!(" (add a Namespace object named {ns} to the manifests, as `kubectl create namespace {ns}` would)")));
                results.push(ApplyResult::Refused { kind: obj.kind(), name: obj.meta().name.clone(), message });
                continue;
            }
            results.push(match obj {
                Object::Namespace(n) => self.create_namespace(n),
                Object::PersistentVolumeClaim(c) => self.apply_claim(c),
                Object::StorageClass(c) => self.apply_storage_class(c),
                Object::PersistentVolume(v) => self.apply_persistent_volume(v),
                Object::Pod(p) => self.create_pod(p),
                Object::Service(s) => self.create_service(s),
                Object::ConfigMap(c) => self.put_config_map(c),
                Object::Secret(s) => self.put_secret(s),
                Object::Deployment(d) => self.create_deployment(d),
                Object::ReplicaSet(r) => self.create_replica_set(r),
                Object::Node(n) => self.apply_node(n),
                Object::DaemonSet(d) => self.create_daemon_set(d),
                Object::Job(j) => self.create_job(j),
                Object::CronJob(c) => self.create_cron_job(c),
                Object::StatefulSet(s) => self.create_stateful_set(s),
                Object::PodDisruptionBudget(p) => self.create_pdb(p),
                Object::PriorityClass(p) => self.create_priority_class(p),
            });
        }
        // What kubectl would print as an error: the object was not applied.
        for (i, r) in results.iter().enumerate() {
            if let ApplyResult::Refused { kind, name, message } = r {
                let hint = hints.iter().find(|(at, _)| *at == i).map_or("", |(_, h)| h.as_str());
                self.note(format!("{}/{name} not applied: {message}{hint}", kind.to_ascii_lowercase()));
            }
        }
        self.update_endpoints();
        self.flush();
        results
    }

    pub(crate) fn next_resource_version(&mut self) -> u64 {
        self.resource_version += 1;
        self.resource_version
    }

    /// What the API server sets on an object it creates now: a uid, then a
    /// resource version.
    pub(crate) fn new_server_meta(&mut self) -> ServerMeta {
        let uid = self.new_uid();
        let resource_version = self.next_resource_version();
        ServerMeta {
            uid,
            creation_ms: self.now(),
            resource_version,
            deletion_ms: None,
            deletion_grace_period_seconds: None,
        }
    }

    /// A random (version 4, RFC 4122 variant) UUID, as the API server's
    /// `uuid.NewUUID` gives: `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`.
    pub(crate) fn new_uid(&mut self) -> String {
        let h = self.rng_ids.hex(32);
        let nibble = u8::from_str_radix(&h[16..17], 16).unwrap_or(0);
        let variant = char::from(b"89ab"[(nibble % 4) as usize]);
        format!("{}-{}-4{}-{variant}{}-{}", &h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])
    }

    /// A namespace (no lifecycle beyond existing: deleting one is not simulated).
    fn create_namespace(&mut self, ns: crate::core::api::Namespace) -> ApplyResult {
        let name = ns.metadata.name.clone();
        if !self.namespaces.contains_key(&name) {
            self.publish_namespace(ns);
            ApplyResult::Created { kind: "Namespace", name }
        } else {
            ApplyResult::Unchanged { kind: "Namespace", name }
        }
    }

    /// Creates or updates a ConfigMap. Containers read it when they are
    /// created (env) or when their volumes are set up, as the kubelet does.
    fn put_config_map(&mut self, cm: ConfigMap) -> ApplyResult {
        let key = (cm.metadata.namespace.clone(), cm.metadata.name.clone());
        let result = upsert(&mut self.config_maps, key.clone(), cm, "ConfigMap");
        self.publish_config_map(&key, &result);
        if matches!(result, ApplyResult::Configured { .. }) {
            self.refresh_volumes_of(&key.0, &key.1, true);
        }
        result
    }

    fn put_secret(&mut self, secret: Secret) -> ApplyResult {
        let key = (secret.metadata.namespace.clone(), secret.metadata.name.clone());
        let result = upsert(&mut self.secrets, key.clone(), secret, "Secret");
        self.publish_secret(&key, &result);
        if matches!(result, ApplyResult::Configured { .. }) {
            self.refresh_volumes_of(&key.0, &key.1, false);
        }
        result
    }
}

/// `kubectl apply` of a plain data object: created, configured or unchanged.
fn upsert<T: PartialEq>(map: &mut Store<Arc<T>>, key: (String, String), object: T, kind: &'static str) -> ApplyResult {
    let name = key.1.clone();
    match map.get(&key) {
        Some(old) if **old == object => ApplyResult::Unchanged { kind, name },
        old => {
            let existed = old.is_some();
            map.insert(key, Arc::new(object));
            if existed {
                ApplyResult::Configured { kind, name }
            } else {
                ApplyResult::Created { kind, name }
            }
        }
    }
}
