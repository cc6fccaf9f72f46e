//! The EndpointSlice controller: which Pods back each Service, and the
//! endpoints it publishes for them.
//!
//! Owns the controller's queue: whether any Pod changed, which Pods did, and
//! which Services must be synced again. A sync builds an
//! endpoint per member Pod with an IP; `ready` = Pod Ready and not
//! terminating, `serving` = Pod Ready, `terminating` = deletionTimestamp set.
//!
//! Upstream: pkg/controller/endpointslice (endpointslice_controller.go's
//! work queue, one sync per Service; utils.go podToEndpoint) in
//! kubernetes/kubernetes.
//!
//! The Services, each with its one EndpointSlice, are the Services part's
//! (`services.rs`): DNS, the Service environment variables and the traffic
//! sources read them too. The controller is handed the Services and the Pods
//! it needs; `Sim::update_endpoints` publishes what a sync changed.

use super::kubelet::PodRt;
use super::pods::Pods;
use super::services::{ServiceRt, Services};
use crate::core::api::{Pod, Service};
use crate::core::status::*;
use std::collections::BTreeMap;

/// The controller's queue.
#[derive(Debug, Default)]
pub(crate) struct EndpointsController {
    /// A Pod changed since endpoints were last computed.
    dirty: bool,
    /// Pods whose status changed since endpoints were last computed.
    touched: Vec<u32>,
    /// Services whose endpoints must be rebuilt (membership changed).
    /// (A set: the value is unused; this map type is the one the object
    /// Stores already use, so no other B-tree is compiled for it.)
    stale: BTreeMap<(String, String), u32>,
}

impl EndpointsController {
    /// Whether a Pod changed since the last sync.
    #[inline]
    pub(crate) fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// The Pod in `slot` changed: its Services are synced next time.
    #[inline]
    pub(crate) fn pod_changed(&mut self, slot: u32) {
        self.dirty = true;
        self.touched.push(slot);
    }

    /// Adds a new Pod to the Services in its namespace whose selector matches it.
    pub(crate) fn join(&mut self, services: &mut Services, slot: u32, p: &mut PodRt) {
        for (key, svc) in services.in_namespace_mut(&p.pod.metadata.namespace) {
            if selects(&svc.svc, &p.pod) {
                svc.members.insert(p.pod.metadata.name.clone(), slot);
                self.stale.insert(key.clone(), 0);
                p.services.push(key.clone());
            }
        }
    }

    /// Takes a removed Pod out of its Services.
    pub(crate) fn leave(&mut self, services: &mut Services, slot: u32, p: &PodRt) {
        for key in &p.services {
            if let Some(svc) = services.get_mut(key) {
                if svc.members.get(&p.pod.metadata.name) == Some(&slot) {
                    svc.members.remove(&p.pod.metadata.name);
                    self.stale.insert(key.clone(), 0);
                }
            }
        }
    }

    /// A new Service (`key`) with a selector: the Pods of its namespace that
    /// it selects become its members.
    pub(crate) fn adopt(&mut self, key: &(String, String), rt: &mut ServiceRt, pods: &mut Pods) {
        let slots: Vec<u32> = pods.in_namespace(&key.0).map(|(_, slot)| slot).collect();
        for slot in slots {
            if let Some(p) = pods.get_mut(slot).filter(|p| selects(&rt.svc, &p.pod)) {
                rt.members.insert(p.pod.metadata.name.clone(), slot);
                p.services.push(key.clone());
            }
        }
        self.stale.insert(key.clone(), 0);
    }

    /// Syncs every queued Service: the Services whose endpoints changed, with
    /// their new endpoints, in key order.
    pub(crate) fn sync(&mut self, services: &Services, pods: &Pods) -> Vec<((String, String), Vec<Endpoint>)> {
        self.dirty = false;
        let mut touched = std::mem::take(&mut self.touched);
        let mut changed = Vec::new();
        if services.is_empty() {
            return changed;
        }
        // The Services a changed Pod belongs to.
        crate::core::sort::sort_u32(&mut touched);
        touched.dedup();
        for slot in touched {
            let Some(p) = pods.get(slot) else { continue };
            for key in &p.services {
                if !self.stale.contains_key(key) {
                    self.stale.insert(key.clone(), 0);
                }
            }
        }
        for key in std::mem::take(&mut self.stale).into_keys() {
            let Some(svc) = services.get(&key) else { continue };
            let mut eps = Vec::with_capacity(svc.members.len());
            for &slot in svc.members.values() {
                let Some(p) = pods.get(slot) else { continue };
                let Some(ip) = p.status.pod_ip else { continue };
                if p.status.phase == PodPhase::Succeeded || p.status.phase == PodPhase::Failed {
                    continue;
                }
                let ready = p.status.is_ready();
                let terminating = p.server.deletion_ms.is_some();
                eps.push(Endpoint {
                    ip,
                    ready: ready && !terminating,
                    serving: ready,
                    terminating,
                    pod_name: p.pod.metadata.name.clone(),
                    node_name: p.node_name().unwrap_or_default(),
                });
            }
            if eps != svc.endpoints {
                changed.push((key, eps));
            }
        }
        changed
    }
}

/// A Service with a selector selects a Pod of its namespace whose labels
/// include every selector pair (`pkg/controller/endpointslice`).
pub(crate) fn selects(svc: &Service, pod: &Pod) -> bool {
    !svc.spec.selector.is_empty() && svc.spec.selector.iter().all(|(k, v)| pod.metadata.labels.get(k) == Some(v))
}
