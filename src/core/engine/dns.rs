//! Cluster DNS: the names a Pod's processes look up, answered as CoreDNS's
//! kubernetes plugin answers them, then the few outside sites podplay knows.
//!
//! Owns nothing: it reads the Services (their cluster IPs and ready
//! endpoints) and the Pods (their hostname and subdomain) it is handed (by
//! `Sim::resolve`).
//!
//! Upstream: kubernetes.io "DNS for Services and Pods"; coredns/coredns
//! plugin/kubernetes (the `<svc>.<ns>.svc.cluster.local`, headless
//! `<hostname>.<subdomain>.<ns>.svc.cluster.local` and
//! `<a-b-c-d>.<ns>.pod.cluster.local` records); a Pod's resolv.conf search
//! path `<ns>.svc.cluster.local svc.cluster.local cluster.local`.

use super::pods::Pods;
use super::services::Services;
use super::Sim;
use std::net::Ipv4Addr;

/// What DNS reads of the cluster.
struct Dns<'a> {
    pub services: &'a Services,
    pub pods: &'a Pods,
}

impl Dns<'_> {
    /// DNS as CoreDNS answers it in the cluster: Services by `name`,
    /// `name.ns`, `name.ns.svc`, `name.ns.svc.cluster.local` (search path of
    /// namespace `ns`), and Pods by `a-b-c-d.ns.pod.cluster.local`.
    fn resolve(&self, from_ns: &str, name: &str) -> Option<Ipv4Addr> {
        let name = name.trim_end_matches('.');
        let parts: Vec<&str> = name.split('.').collect();
        match parts.as_slice() {
            [s] => self.service_ip(s, from_ns),
            // `svc.ns`, else a Pod's `hostname.subdomain` in this namespace.
            [s, n] => self.service_ip(s, n).or_else(|| self.pod_host_ip(s, n, from_ns)),
            [s, n, "svc"] | [s, n, "svc", "cluster", "local"] => self.service_ip(s, n),
            [h, s, n] | [h, s, n, "svc"] | [h, s, n, "svc", "cluster", "local"] => self.pod_host_ip(h, s, n),
            [ip, _n, "pod", "cluster", "local"] => ip.replace('-', ".").parse().ok(),
            _ => None,
        }
        // Past the cluster's names, the few sites of the outside world.
        .or_else(|| super::outside::resolve(name))
    }

    /// A Service's cluster IP; for a headless one, a ready endpoint's IP.
    fn service_ip(&self, svc: &str, ns: &str) -> Option<Ipv4Addr> {
        let s = self.services.get(&(ns.to_string(), svc.to_string()))?;
        match s.cluster_ip {
            Some(ip) => Some(ip),
            None => s.endpoints.iter().find(|e| e.ready).map(|e| e.ip),
        }
    }

    /// `hostname.subdomain.ns.svc.cluster.local`: CoreDNS answers for a
    /// ready endpoint of the headless Service `subdomain` whose Pod has that
    /// `hostname` (a StatefulSet's `web-0.nginx`; kubernetes.io "DNS for
    /// Services and Pods", Pod's hostname and subdomain fields).
    fn pod_host_ip(&self, host: &str, svc: &str, ns: &str) -> Option<Ipv4Addr> {
        let s = self.services.get(&(ns.to_string(), svc.to_string()))?;
        if s.cluster_ip.is_some() {
            return None;
        }
        s.endpoints.iter().filter(|e| e.ready).find_map(|e| {
            let slot = self.pods.slot(ns, &e.pod_name)?;
            let spec = &self.pods.get(slot)?.pod.spec;
            (spec.hostname.as_deref() == Some(host) && spec.subdomain.as_deref() == Some(svc)).then_some(e.ip)
        })
    }
}

impl Sim {
    /// What cluster DNS answers for `name` asked from a Pod of `from_ns`
    /// (`Dns::resolve` above).
    pub(crate) fn resolve(&self, from_ns: &str, name: &str) -> Option<Ipv4Addr> {
        Dns { services: &self.services, pods: &self.pods }.resolve(from_ns, name)
    }
}
