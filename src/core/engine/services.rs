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

use super::{env, ApplyResult, Sim, Snapshot, WatchType};
use crate::core::api::{PortRef, Service};
use crate::core::status::*;
use crate::core::store::Store;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::sync::Arc;

/// A Service as the engine keeps it.
#[derive(Clone, Debug)]
pub(crate) struct ServiceRt {
    pub svc: Arc<Service>,
    pub server: ServerMeta,
    pub cluster_ip: Option<Ipv4Addr>,
    pub slice_name: String,
    pub slice_server: ServerMeta,
    pub endpoints: Vec<Endpoint>,
    /// The Pods its selector matches, by name (Pod labels never change after
    /// creation, so membership changes only when a Pod is created or removed).
    pub members: BTreeMap<String, u32>,
    /// Round-robin position for requests to the Service.
    pub rr: usize,
}

impl ServiceRt {
    pub(crate) fn snapshot(&self) -> ServiceSnapshot {
        ServiceSnapshot { service: self.svc.clone(), server: self.server.clone(), cluster_ip: self.cluster_ip }
    }

    pub(crate) fn slice_snapshot(&self) -> EndpointSliceSnapshot {
        EndpointSliceSnapshot {
            name: self.slice_name.clone(),
            namespace: self.svc.metadata.namespace.clone(),
            service_name: self.svc.metadata.name.clone(),
            server: self.slice_server.clone(),
            ports: self
                .svc
                .spec
                .ports
                .iter()
                .map(|p| EndpointPort {
                    name: p.name.clone(),
                    port: match &p.target_port {
                        PortRef::Number(n) => *n,
                        PortRef::Name(_) => p.port,
                    },
                    protocol: p.protocol.clone(),
                })
                .collect(),
            endpoints: self.endpoints.clone(),
        }
    }
}

/// A namespace's Service environment variables, shared.
type ServiceVars = Arc<Vec<(String, String)>>;

/// A container environment, shared by the processes that have it.
type SharedEnv = Arc<BTreeMap<String, String>>;

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

/// Creating Services, and publishing what the EndpointSlice controller syncs.
impl Sim {
    pub(super) fn create_service(&mut self, svc: Service) -> ApplyResult {
        let key = (svc.metadata.namespace.clone(), svc.metadata.name.clone());
        let name = svc.metadata.name.clone();
        if let Some(existing) = self.services.get(&key) {
            return if *existing.svc == svc {
                ApplyResult::Unchanged { kind: "Service", name }
            } else {
                ApplyResult::Refused {
                    kind: "Service",
                    name,
                    message: "podplay does not simulate changing a Service yet; delete and re-create it".into(),
                }
            };
        }
        let cluster_ip = match svc.spec.cluster_ip.as_deref() {
            Some("None") => None,
            Some(ip) => ip.parse().ok().or_else(|| Some(self.allocate_cluster_ip())),
            None => Some(self.allocate_cluster_ip()),
        };
        let server = self.new_server_meta();
        let suffix = self.rng_names.string(b"bcdfghjklmnpqrstvwxz2456789", 5);
        let slice_server = self.new_server_meta();
        let rt = ServiceRt {
            slice_name: format!("{name}-{suffix}"),
            slice_server,
            svc: Arc::new(svc),
            server,
            cluster_ip,
            endpoints: Vec::new(),
            members: BTreeMap::new(),
            rr: 0,
        };
        let has_selector = !rt.svc.spec.selector.is_empty();
        self.watch_event(WatchType::Added, Snapshot::Service(rt.snapshot()));
        if has_selector {
            self.watch_event(WatchType::Added, Snapshot::EndpointSlice(rt.slice_snapshot()));
        }
        let mut rt = rt;
        if has_selector {
            self.endpoints.adopt(&key, &mut rt, &mut self.pods);
        }
        self.services.insert(key.clone(), rt);
        self.traffic_from_annotation(&key);
        let vars = env::service_env(self, &key.0);
        self.services.set_env(key.0, vars);
        ApplyResult::Created { kind: "Service", name }
    }

    /// A ClusterIP from 10.96.0.0/12, at random but never 10.96.0.1 (the
    /// `kubernetes` Service) or 10.96.0.10 (cluster DNS), nor one in use.
    fn allocate_cluster_ip(&mut self) -> Ipv4Addr {
        loop {
            let offset = 2 + self.rng_ips.below((1 << 20) - 3) as u32;
            let ip = Ipv4Addr::from(u32::from(Ipv4Addr::new(10, 96, 0, 0)) + offset);
            if ip == Ipv4Addr::new(10, 96, 0, 10) || self.services.values().any(|s| s.cluster_ip == Some(ip)) {
                continue;
            }
            return ip;
        }
    }

    /// Runs the EndpointSlice controller's sync for every Service it has
    /// queued; publishes the slices that changed and tells the traffic
    /// sources (kube-proxy's view follows).
    pub(crate) fn update_endpoints(&mut self) {
        for (key, eps) in self.endpoints.sync(&self.services, &self.pods) {
            self.traffic_endpoints_changed(&key, &eps);
            let rv = self.next_resource_version();
            if let Some(svc) = self.services.get_mut(&key) {
                svc.endpoints = eps;
                svc.slice_server.resource_version = rv;
                let slice = svc.slice_snapshot();
                self.watch_event(WatchType::Modified, Snapshot::EndpointSlice(slice));
            }
        }
    }
}
