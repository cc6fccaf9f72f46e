//! Which Pod a controller's new Pod replaces, and what that means for its
//! address: a replacement is a new Pod with a new IP (the old Pod's IP went
//! with it), while a Pod whose containers restart keeps its sandbox and IP.
//! The page's own explanation, derived from owner references, deletion
//! times and the Pods' IPs.

use crate::core::engine::WatchType;
use crate::core::status::PodSnapshot;
use crate::core::store::Store;
use crate::core::time::{go_duration, Millis, SECOND_MS};
use std::net::Ipv4Addr;

/// The Pod a new one stands in for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replaced {
    pub name: String,
    pub ip: Option<Ipv4Addr>,
    /// When the old Pod's deletion was asked for.
    pub deleted_ms: Millis,
}

/// When a Pod's deletion was asked for (its deletionTimestamp less its grace period).
pub fn deletion_asked(p: &PodSnapshot) -> Option<Millis> {
    let grace = p.server.deletion_grace_period_seconds.unwrap_or(0).max(0) as Millis * SECOND_MS;
    p.server.deletion_ms.map(|d| d.saturating_sub(grace))
}

/// How long a deleted Pod may still be found as the one a new Pod replaces.
pub const GONE_MATCH_MS: Millis = 60 * SECOND_MS;
/// Departing Pods remembered per controller (a mass deletion keeps the latest).
const MAX_DEPARTING: usize = 64;

/// A controller's Pod on its way out.
#[derive(Clone, Debug)]
struct Departing {
    uid: String,
    replaced: Replaced,
    gone_ms: Option<Millis>,
    claimed: bool,
}

/// Follows Pods as they come and go and pairs each controller's new Pod
/// with the Pod it replaces: of the same controller's Pods being deleted,
/// or deleted a moment ago, the one asked to go first that no other Pod
/// replaces yet.
#[derive(Default)]
pub struct Lineage {
    /// By controller UID.
    departing: Store<Vec<Departing>, String>,
    /// By the new Pod's UID.
    replaces: Store<Replaced, String>,
}

impl Lineage {
    /// A Pod watch event.
    pub fn pod(&mut self, time_ms: Millis, type_: WatchType, pod: &PodSnapshot) {
        let uid = pod.server.uid.as_str();
        let Some(owner) = pod.controller() else { return };
        if type_ == WatchType::Deleted {
            self.replaces.remove(uid);
        }
        if type_ == WatchType::Added {
            let created = pod.server.creation_ms;
            if let Some(list) = self.departing.get_mut(owner.uid.as_str()) {
                let first = list
                    .iter_mut()
                    .filter(|d| !d.claimed && d.replaced.deleted_ms <= created)
                    .min_by_key(|d| d.replaced.deleted_ms);
                if let Some(d) = first {
                    d.claimed = true;
                    self.replaces.insert(uid.to_string(), d.replaced.clone());
                }
            }
        }
        let Some(asked) = deletion_asked(pod) else { return };
        let list = self.departing.get_or_insert_with(owner.uid.clone(), Vec::new);
        list.retain(|d| d.gone_ms.is_none_or(|g| time_ms < g + GONE_MATCH_MS));
        match list.iter_mut().find(|d| d.uid == uid) {
            Some(d) => {
                d.replaced.ip = d.replaced.ip.or(pod.status.pod_ip);
                if type_ == WatchType::Deleted {
                    d.gone_ms = Some(time_ms);
                }
            }
            None => {
                if list.len() >= MAX_DEPARTING {
                    list.remove(0);
                }
                list.push(Departing {
                    uid: uid.to_string(),
                    replaced: Replaced {
                        name: pod.pod.metadata.name.clone(),
                        ip: pod.status.pod_ip,
                        deleted_ms: asked,
                    },
                    gone_ms: (type_ == WatchType::Deleted).then_some(time_ms),
                    claimed: false,
                });
            }
        }
    }

    /// The Pod a controller's Pod (by UID) replaces, if it is a replacement.
    pub fn replaces(&self, uid: &str) -> Option<&Replaced> {
        self.replaces.get(uid)
    }
}

/// The note on a replacement's card: "New Pod, new IP 10.244.1.9: it
/// replaces web-7d4-abcde (10.244.2.5, deleted at 12s)".
pub fn replacement_note(pod: &PodSnapshot, r: &Replaced) -> String {
    let ip = pod.status.pod_ip.map_or("no IP yet".to_string(), |ip| format!("new IP {ip}"));
    let old = r.ip.map(|ip| format!("{ip}, ")).unwrap_or_default();
    format!(
        "New Pod, {ip}: it replaces {} ({old}deleted at {}), whose IP went with it. Reach the Pods through a Service: its ClusterIP stays.",
        r.name,
        go_duration(r.deleted_ms)
    )
}

/// The note on a Pod whose containers restarted: it kept its IP.
pub fn kept_ip_note(pod: &PodSnapshot) -> Option<String> {
    let ip = pod.status.pod_ip?;
    let restarts: i32 =
        pod.status.container_statuses.iter().chain(&pod.status.init_container_statuses).map(|c| c.restart_count).sum();
    (restarts > 0).then(|| {
        format!(
            "Same IP {ip} through {restarts} container restart{}: a container restarts inside the Pod, which keeps its sandbox and address",
            if restarts == 1 { "" } else { "s" }
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::play::{Player, Scenario};

    #[test]
    fn a_replacement_names_the_pod_and_ip_it_replaces() {
        let mut p = Player::new(Scenario::of_example("deployment", 1).unwrap()).unwrap().0;
        p.advance_to(30_000);
        let old = p.pods().next().unwrap().clone();
        let names: Vec<String> = p.pods().map(|p| p.pod.metadata.name.clone()).collect();
        assert!(p.pods().all(|q| p.replaces(&q.server.uid).is_none()), "the first Pods replace nothing");
        p.act(&format!("delete pod/{}", old.pod.metadata.name)).unwrap();
        p.advance_to(40_000);
        let new = p.pods().find(|q| !names.contains(&q.pod.metadata.name)).expect("a replacement").clone();
        let r = p.replaces(&new.server.uid).expect("it replaces the deleted Pod");
        assert_eq!((r.name.as_str(), r.ip, r.deleted_ms), (old.pod.metadata.name.as_str(), old.status.pod_ip, 30_000));
        assert_ne!(new.status.pod_ip, old.status.pod_ip);
        let note = replacement_note(&new, r);
        assert!(
            note.starts_with(&format!(
                "New Pod, new IP {}: it replaces {} ({}, deleted at 30s)",
                new.status.pod_ip.unwrap(),
                r.name,
                old.status.pod_ip.unwrap()
            )),
            "{note}"
        );
        assert!(kept_ip_note(&new).is_none());
    }

    #[test]
    fn a_restarted_container_keeps_the_pods_ip() {
        let mut p = Player::new(Scenario::of_example("liveness-exec", 1).unwrap()).unwrap().0;
        p.advance_to(20_000);
        let ip = p.pods().next().unwrap().status.pod_ip.unwrap();
        p.advance_to(120_000);
        let pod = p.pods().next().unwrap();
        assert_eq!(pod.status.pod_ip, Some(ip));
        assert_eq!(
            kept_ip_note(pod).as_deref().map(|n| n.split(':').next().unwrap()),
            Some(format!("Same IP {ip} through 1 container restart").as_str())
        );
    }
}
