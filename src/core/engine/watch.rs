//! The API server's side of objects the engine keeps as plain data
//! (ConfigMaps, Secrets and Namespaces): their uid, resourceVersion and
//! creationTimestamp, and the ADDED/MODIFIED watch events a client watching
//! them sees (staging/src/k8s.io/apiserver/pkg/storage: a create is ADDED,
//! an update that changes the object MODIFIED with a new resourceVersion, an
//! unchanged apply no event).

use super::{ApplyResult, Sim, Snapshot, WatchType};
use crate::core::status::{ConfigMapSnapshot, NamespaceSnapshot, SecretSnapshot, ServerMeta};
use crate::core::store::Store;

type Key = (String, String);

/// The `kubernetes.io/metadata.name` label the API server gives every
/// Namespace (`SetDefaults_Namespace`, pkg/apis/core/v1/defaults.go).
fn named(metadata: &mut crate::core::api::ObjectMeta) {
    metadata.labels.insert("kubernetes.io/metadata.name".into(), metadata.name.clone());
}

/// A kind cluster's four namespaces, there before anything is applied
/// ([`ServerMeta::from_the_start`]).
pub(crate) fn kind_namespaces() -> Store<NamespaceSnapshot, String> {
    let mut namespaces = Store::new();
    for name in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        let mut metadata = crate::core::api::ObjectMeta { name: name.into(), ..Default::default() };
        named(&mut metadata);
        let server = ServerMeta::from_the_start(&format!("namespace/{name}"));
        namespaces.insert(
            name.to_string(),
            NamespaceSnapshot { namespace: crate::core::api::Namespace { metadata }, server },
        );
    }
    namespaces
}

impl Sim {
    /// Publishes a ConfigMap after `upsert` stored it.
    pub(crate) fn publish_config_map(&mut self, key: &Key, result: &ApplyResult) {
        let Some(type_) = self.stamp(key, result, |s| &mut s.config_meta) else { return };
        let (Some(cm), Some(server)) = (self.config_maps.get(key), self.config_meta.get(key)) else { return };
        let config_map = ConfigMapSnapshot { config_map: cm.clone(), server: server.clone() };
        self.watch_event(type_, Snapshot::ConfigMap(config_map));
    }

    /// Publishes a Secret after `upsert` stored it.
    pub(crate) fn publish_secret(&mut self, key: &Key, result: &ApplyResult) {
        let Some(type_) = self.stamp(key, result, |s| &mut s.secret_meta) else { return };
        let (Some(secret), Some(server)) = (self.secrets.get(key), self.secret_meta.get(key)) else { return };
        let secret = SecretSnapshot { secret: secret.clone(), server: server.clone() };
        self.watch_event(type_, Snapshot::Secret(secret));
    }

    /// Stores and publishes a Namespace the manifests created (the
    /// cluster's own four are not in the stream: they were there before it
    /// started).
    pub(crate) fn publish_namespace(&mut self, mut namespace: crate::core::api::Namespace) {
        named(&mut namespace.metadata);
        let server = self.new_server_meta();
        let namespace = NamespaceSnapshot { namespace, server };
        self.namespaces.insert(namespace.namespace.metadata.name.clone(), namespace.clone());
        self.watch_event(WatchType::Added, Snapshot::Namespace(namespace));
    }

    /// New server metadata for a created object, a new resourceVersion for
    /// a changed one; the watch event type, or None when nothing changed.
    fn stamp(
        &mut self,
        key: &Key,
        result: &ApplyResult,
        meta: fn(&mut Sim) -> &mut crate::core::store::Store<crate::core::status::ServerMeta>,
    ) -> Option<WatchType> {
        match result {
            ApplyResult::Created { .. } => {
                let server = self.new_server_meta();
                meta(self).insert(key.clone(), server);
                Some(WatchType::Added)
            }
            ApplyResult::Configured { .. } => {
                let rv = self.next_resource_version();
                meta(self).get_mut(key)?.resource_version = rv;
                Some(WatchType::Modified)
            }
            _ => None,
        }
    }
}
