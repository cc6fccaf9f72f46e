//! The Services part of the engine: the Service objects (with the
//! EndpointSlice each one's controller keeps, `endpoints.rs`), the Service
//! environment variables of each namespace and the container environments
//! built from them.
//!
//! Owns the Services by (namespace, name), the variables the kubelet gives
//! a container for the Services of its namespace (`env::service_env`, made
//! when a Service is created, as the kubelet's `getServiceEnvVarMap` reads
//! the Services that exist when the container starts), the variables of a
//! namespace without Services (only `kubernetes`), and the cache of built
//! container environments. The EndpointSlice controller, cluster DNS, the
//! traffic sources and the kubelet reach them through these methods.
//!
//! Upstream: pkg/kubelet/kubelet_pods.go (`getServiceEnvVarMap`),
//! pkg/kubelet/envvars/envvars.go (`FromServices`).

use super::endpoints::ServiceRt;
use super::{ServiceVars, SharedEnv};
use crate::core::store::Store;
use std::sync::Arc;

/// The Services, and the environment variables made from them.
#[derive(Default)]
pub(crate) struct Services {
    /// Services by (namespace, name).
    objects: Store<ServiceRt>,
    /// The Service environment variables of each namespace with Services.
    env: Store<ServiceVars, String>,
    /// The Service variables of a namespace without Services (only `kubernetes`).
    default_env: ServiceVars,
    /// Container environments already built, by (Service variables' address,
    /// own variables spelled out as `kubelet::env_key` does): the replicas
    /// of a Deployment share one (the Arc is kept so its address, part of
    /// the key, is not reused).
    env_cache: Store<(ServiceVars, SharedEnv)>,
}

/// The most container environments kept; the cache starts over past it.
const MAX_ENV_CACHE: usize = 256;

impl Services {
    #[inline]
    pub(crate) fn get(&self, key: &(String, String)) -> Option<&ServiceRt> {
        self.objects.get(key)
    }

    #[inline]
    pub(crate) fn get_mut(&mut self, key: &(String, String)) -> Option<&mut ServiceRt> {
        self.objects.get_mut(key)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// Every Service with its key, in key order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&(String, String), &ServiceRt)> + '_ {
        self.objects.iter()
    }

    /// Every Service, in key order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &ServiceRt> + '_ {
        self.objects.values()
    }

    /// The Services of `ns`, in name order.
    pub(crate) fn in_namespace_mut<'a>(
        &'a mut self,
        ns: &'a str,
    ) -> impl Iterator<Item = (&'a (String, String), &'a mut ServiceRt)> + 'a {
        self.objects.range_mut((ns.to_string(), String::new())..).take_while(move |(k, _)| k.0 == ns)
    }

    pub(crate) fn insert(&mut self, key: (String, String), rt: ServiceRt) {
        self.objects.insert(key, rt);
    }

    /// The Service variables of a container in `ns`.
    pub(crate) fn env_of(&self, ns: &str) -> ServiceVars {
        self.env.get(ns).cloned().unwrap_or_else(|| self.default_env.clone())
    }

    /// The Service variables of a namespace without Services.
    pub(crate) fn default_env(&self) -> ServiceVars {
        self.default_env.clone()
    }

    pub(crate) fn set_default_env(&mut self, vars: Vec<(String, String)>) {
        self.default_env = Arc::new(vars);
    }

    /// Sets the Service variables of `ns` (a Service was created there).
    pub(crate) fn set_env(&mut self, ns: String, vars: Vec<(String, String)>) {
        self.env.insert(ns, Arc::new(vars));
    }

    /// A container environment built before, by `kubelet::env_key`.
    pub(crate) fn cached_env(&self, key: &(String, String)) -> Option<&SharedEnv> {
        self.env_cache.get(key).map(|(_, env)| env)
    }

    /// Keeps a built container environment (with the Service variables it
    /// was built from, so their address is not reused while it is kept).
    pub(crate) fn cache_env(&mut self, key: (String, String), services: ServiceVars, env: SharedEnv) {
        if self.env_cache.len() >= MAX_ENV_CACHE {
            self.env_cache = Store::new();
        }
        self.env_cache.insert(key, (services, env));
    }
}
