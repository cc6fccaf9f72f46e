//! Each kind podplay simulates, declared once: its API group and version, its
//! resource name (the URL segment), kubectl's short names, whether it lives in
//! a namespace, and where podplay applies it in a batch.
//!
//! The pattern is k8s-openapi's `Resource` trait (`API_VERSION`, `GROUP`,
//! `KIND`, `VERSION`, `URL_PATH_SEGMENT`, `Scope`) and kube-core's
//! `ApiResource`: constants on each type, and one table ([`KINDS`]) that the
//! generic code iterates — decoding's `apiVersion`/`kind` lookup
//! ([`lookup`]), the engine's apply order and namespace check, and
//! kubectl's resource names ([`by_resource_name`]). The [`Object`] enum of
//! decoded objects is generated from the same declaration, and so is the
//! list of the kinds' types ([`each_kind`]) that code generated per kind
//! over a trait of its own expands (the manifest decoder's dispatch).
//!
//! Resource names and short names are the API server's discovery data
//! (`kubectl api-resources` on Kubernetes 1.34).

use crate::core::api::*;

/// A kind as the API server's discovery describes it.
#[derive(Debug, PartialEq, Eq)]
pub struct KindInfo {
    /// `Deployment`.
    pub kind: &'static str,
    /// `apps`; empty for the core group.
    pub group: &'static str,
    /// `v1`.
    pub version: &'static str,
    /// `apps/v1`, or `v1` in the core group.
    pub api_version: &'static str,
    /// The resource name: `deployments` (`/apis/apps/v1/namespaces/{ns}/deployments`).
    pub plural: &'static str,
    /// kubectl's short names: `deploy`.
    pub short_names: &'static [&'static str],
    /// Namespaced, or cluster-scoped (Node, Namespace).
    pub namespaced: bool,
    /// Where it goes when a batch is applied: lower first. Namespaces and
    /// Nodes before what lives in them, ConfigMaps and Secrets before what
    /// reads them, Services before the Pods whose environment names them
    /// (kubectl applies a file in order; podplay orders by kind so a
    /// manifest's order never matters).
    pub apply_order: i8,
}

impl KindInfo {
    /// The singular resource name kubectl also accepts: `deployment`.
    pub fn singular(&self) -> String {
        self.kind.to_ascii_lowercase()
    }

    /// How kubectl's name printer writes the kind (`-o name`, apply's
    /// replies): the singular with its API group, none for the core group
    /// (`pod`, `deployment.apps`, `storageclass.storage.k8s.io`).
    pub fn qualified(&self) -> String {
        match self.group {
            "" => self.singular(),
            group => format!("{}.{group}", self.singular()),
        }
    }
}

/// A kind's constants, in the manner of k8s-openapi's `Resource`.
pub trait Resource {
    const KIND: &'static str;
    const GROUP: &'static str;
    const VERSION: &'static str;
    const API_VERSION: &'static str;
    const URL_PATH_SEGMENT: &'static str;
    const SHORT_NAMES: &'static [&'static str];
    const NAMESPACED: bool;
    const APPLY_ORDER: i8;
    /// The same constants as a table row.
    const INFO: KindInfo = KindInfo {
        kind: Self::KIND,
        group: Self::GROUP,
        version: Self::VERSION,
        api_version: Self::API_VERSION,
        plural: Self::URL_PATH_SEGMENT,
        short_names: Self::SHORT_NAMES,
        namespaced: Self::NAMESPACED,
        apply_order: Self::APPLY_ORDER,
    };

    fn metadata(&self) -> &ObjectMeta;
}

/// `apiVersion` from group and version.
macro_rules! api_version {
    ("", $version:literal) => {
        $version
    };
    ($group:literal, $version:literal) => {
        concat!($group, "/", $version)
    };
}

/// Declares the kinds: a `Resource` impl per type, the [`Object`] enum and
/// the [`KINDS`] table, in declaration order.
macro_rules! kinds {
    ($($ty:ident {
        group: $group:tt,
        version: $version:tt,
        plural: $plural:literal,
        short: [$($short:literal),*],
        namespaced: $namespaced:literal,
        apply_order: $order:literal $(,)?
    })*) => {
        $(impl Resource for $ty {
            const KIND: &'static str = stringify!($ty);
            const GROUP: &'static str = $group;
            const VERSION: &'static str = $version;
            const API_VERSION: &'static str = api_version!($group, $version);
            const URL_PATH_SEGMENT: &'static str = $plural;
            const SHORT_NAMES: &'static [&'static str] = &[$($short),*];
            const NAMESPACED: bool = $namespaced;
            const APPLY_ORDER: i8 = $order;
            fn metadata(&self) -> &ObjectMeta {
                &self.metadata
            }
        }

        impl From<$ty> for Object {
            fn from(o: $ty) -> Object {
                Object::$ty(o)
            }
        })*

        /// One decoded object from a manifest.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Object {
            $($ty($ty),)*
        }

        impl Object {
            pub fn meta(&self) -> &ObjectMeta {
                match self {
                    $(Object::$ty(o) => &o.metadata,)*
                }
            }

            pub fn meta_mut(&mut self) -> &mut ObjectMeta {
                match self {
                    $(Object::$ty(o) => &mut o.metadata,)*
                }
            }

            /// Its kind's row of [`KINDS`].
            pub fn info(&self) -> &'static KindInfo {
                match self {
                    $(Object::$ty(_) => &<$ty as Resource>::INFO,)*
                }
            }

            pub fn kind(&self) -> &'static str {
                self.info().kind
            }
        }

        /// Every kind podplay simulates.
        pub static KINDS: &[&KindInfo] = &[$(&<$ty as Resource>::INFO),*];

        /// Expands `$m! { Namespace Node … }`: every kind's type, in the
        /// order of [`KINDS`], for code generated per kind over a trait of
        /// its own (the manifest decoder's dispatch on the kind).
        macro_rules! each_kind {
            ($m:ident) => {
                $m! { $($ty)* }
            };
        }
        pub(crate) use each_kind;
    };
}

kinds! {
    Namespace { group: "", version: "v1", plural: "namespaces", short: ["ns"], namespaced: false, apply_order: -2 }
    Node { group: "", version: "v1", plural: "nodes", short: ["no"], namespaced: false, apply_order: -1 }
    PriorityClass {
        group: "scheduling.k8s.io",
        version: "v1",
        plural: "priorityclasses",
        short: ["pc"],
        namespaced: false,
        apply_order: -1,
    }
    StorageClass {
        group: "storage.k8s.io",
        version: "v1",
        plural: "storageclasses",
        short: ["sc"],
        namespaced: false,
        apply_order: -1,
    }
    PersistentVolume {
        group: "",
        version: "v1",
        plural: "persistentvolumes",
        short: ["pv"],
        namespaced: false,
        apply_order: -1,
    }
    ConfigMap { group: "", version: "v1", plural: "configmaps", short: ["cm"], namespaced: true, apply_order: 0 }
    Secret { group: "", version: "v1", plural: "secrets", short: [], namespaced: true, apply_order: 0 }
    PersistentVolumeClaim {
        group: "",
        version: "v1",
        plural: "persistentvolumeclaims",
        short: ["pvc"],
        namespaced: true,
        apply_order: 0,
    }
    Service { group: "", version: "v1", plural: "services", short: ["svc"], namespaced: true, apply_order: 1 }
    Deployment { group: "apps", version: "v1", plural: "deployments", short: ["deploy"], namespaced: true, apply_order: 2 }
    ReplicaSet { group: "apps", version: "v1", plural: "replicasets", short: ["rs"], namespaced: true, apply_order: 2 }
    DaemonSet { group: "apps", version: "v1", plural: "daemonsets", short: ["ds"], namespaced: true, apply_order: 2 }
    StatefulSet { group: "apps", version: "v1", plural: "statefulsets", short: ["sts"], namespaced: true, apply_order: 2 }
    Job { group: "batch", version: "v1", plural: "jobs", short: [], namespaced: true, apply_order: 2 }
    CronJob { group: "batch", version: "v1", plural: "cronjobs", short: ["cj"], namespaced: true, apply_order: 2 }
    PodDisruptionBudget {
        group: "policy",
        version: "v1",
        plural: "poddisruptionbudgets",
        short: ["pdb"],
        namespaced: true,
        apply_order: 2,
    }
    Pod { group: "", version: "v1", plural: "pods", short: ["po"], namespaced: true, apply_order: 3 }
}

/// Kinds that exist in Kubernetes but that podplay does not simulate yet.
const KNOWN_UNSIMULATED_KINDS: &[&str] = &[
    "Binding",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "Endpoints",
    "EndpointSlice",
    "Event",
    "HorizontalPodAutoscaler",
    "Ingress",
    "IngressClass",
    "LimitRange",
    "NetworkPolicy",
    "PodTemplate",
    "ReplicationController",
    "ResourceQuota",
    "Role",
    "RoleBinding",
    "ServiceAccount",
];

/// The kind for `apiVersion`/`kind`, or the API server's reason there is none
/// (with the `apiVersion` to use when only the version is wrong).
pub fn lookup(api_version: &str, kind: &str) -> Result<&'static KindInfo, String> {
    if let Some(info) = KINDS.iter().find(|k| k.kind == kind && k.api_version == api_version) {
        return Ok(info);
    }
    if let Some(info) = KINDS.iter().find(|k| k.kind == kind) {
        let want = info.api_version;
        return Err(format!(
            "no matches for kind \"{kind}\" in version \"{api_version}\" (use \"apiVersion: {want}\")"
        ));
    }
    if KNOWN_UNSIMULATED_KINDS.contains(&kind) {
        return Err(format!("podplay does not simulate kind {kind} yet"));
    }
    Err(format!("no matches for kind \"{kind}\" in version \"{api_version}\""))
}

/// The kind kubectl means by a resource name: the plural (`deployments`), the
/// singular (`deployment`), a short name (`deploy`) or the kind itself, or
/// the plural or singular with its group (`deployments.apps`,
/// `storageclass.storage.k8s.io`), in any case (kubectl's RESTMapper
/// matches them case-insensitively).
pub fn by_resource_name(name: &str) -> Option<&'static KindInfo> {
    let name = name.to_ascii_lowercase();
    let named = |k: &KindInfo, n: &str| k.plural == n || k.singular() == n;
    KINDS.iter().copied().find(|k| {
        named(k, &name)
            || k.short_names.iter().any(|s| *s == name)
            || (!k.group.is_empty()
                && name.strip_suffix(k.group).and_then(|n| n.strip_suffix('.')).is_some_and(|n| named(k, n)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_versions_and_lookup() {
        assert_eq!(Pod::API_VERSION, "v1");
        assert_eq!(Deployment::API_VERSION, "apps/v1");
        assert_eq!(CronJob::INFO.plural, "cronjobs");
        assert_eq!(lookup("batch/v1", "Job").map(|k| k.kind), Ok("Job"));
        assert_eq!(
            lookup("v1", "Deployment"),
            Err("no matches for kind \"Deployment\" in version \"v1\" (use \"apiVersion: apps/v1\")".to_string())
        );
        assert_eq!(lookup("v1", "Widget"), Err("no matches for kind \"Widget\" in version \"v1\"".to_string()));
    }

    #[test]
    fn resource_names_as_kubectl_takes_them() {
        for (name, kind) in [
            ("po", "Pod"),
            ("Pods", "Pod"),
            ("deploy", "Deployment"),
            ("pvc", "PersistentVolumeClaim"),
            ("sc", "StorageClass"),
            ("pv", "PersistentVolume"),
            ("deployments.apps", "Deployment"),
            ("CronJob.batch", "CronJob"),
            ("storageclasses.storage.k8s.io", "StorageClass"),
            ("poddisruptionbudget.policy", "PodDisruptionBudget"),
        ] {
            assert_eq!(by_resource_name(name).map(|k| k.kind), Some(kind), "{name}");
        }
        for name in ["widgets", "pods.", "deployments.batch", "jobs.apps"] {
            assert_eq!(by_resource_name(name), None, "{name}");
        }
        let qualified: Vec<String> =
            [Pod::INFO, Deployment::INFO, StorageClass::INFO].iter().map(KindInfo::qualified).collect();
        assert_eq!(qualified, ["pod", "deployment.apps", "storageclass.storage.k8s.io"]);
    }

    /// The decoder's dispatch names every kind of the table (its fallback is never taken).
    #[test]
    fn every_kind_decodes() {
        for k in KINDS {
            let text = format!("apiVersion: {}\nkind: {}\nmetadata: {{name: a}}\n", k.api_version, k.kind);
            let parsed = crate::core::manifest::parse_manifests(&text);
            let unknown = parsed.diagnostics.iter().any(|d| d.to_string().contains("does not simulate"));
            assert!(!unknown, "{}: {:?}", k.kind, parsed.diagnostics);
        }
    }

    #[test]
    fn every_kind_is_in_the_table_once() {
        for (i, k) in KINDS.iter().enumerate() {
            assert!(KINDS[i + 1..].iter().all(|o| o.kind != k.kind && o.plural != k.plural), "{}", k.kind);
            assert!(!KNOWN_UNSIMULATED_KINDS.contains(&k.kind), "{} is simulated", k.kind);
        }
    }
}
