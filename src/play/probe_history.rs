//! Which probe failures are history: an Unhealthy event of a probe whose
//! latest run succeeded stays in the events and on the timeline, not on a
//! healthy Pod's card.

use super::ProbeViews;
use crate::core::status::Event;

/// An Unhealthy event (`Readiness probe failed: …`) of a probe whose latest
/// run, after the event, succeeded. `probes` are the Pod's containers' latest
/// results by name.
pub fn recovered(e: &Event, probes: &[(String, ProbeViews)]) -> bool {
    if e.reason != "Unhealthy" {
        return false;
    }
    let container =
        e.involved.field_path.as_deref().and_then(|f| f.split_once('{')).and_then(|(_, r)| r.strip_suffix('}'));
    let kind =
        ["Startup", "Liveness", "Readiness"].iter().position(|k| e.message.starts_with(&format!("{k} probe failed")));
    match (container, kind) {
        (Some(c), Some(k)) => {
            probes.iter().find(|(n, _)| n == c).and_then(|(_, v)| v[k]).is_some_and(|v| v.ok && v.at_ms > e.last_ms)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::play::{Player, Scenario};

    #[test]
    fn a_readiness_failure_of_the_warm_up_is_history_once_the_probe_succeeds() {
        // Exercise 03's solution: the probe fails while nginx warms up, then succeeds.
        let manifests = include_str!("../../exercises/solutions/03-readiness-probe.yaml");
        let mut p = Player::new(Scenario { manifests: manifests.to_string(), seed: 1, actions: vec![] }).unwrap().0;
        let views = |p: &Player| vec![("nginx".to_string(), p.probes("default/web", "nginx"))];
        p.advance_to(15_000);
        let pod = p.pod("default", "web").unwrap().clone();
        let e = p.latest_event(&pod.server.uid).unwrap().clone();
        assert!(e.message.starts_with("Readiness probe failed"), "{e:?}");
        assert!(!recovered(&e, &views(&p)), "still failing: the card says so");
        p.advance_to(60_000);
        let e = p.latest_event(&pod.server.uid).unwrap().clone();
        assert!(e.message.starts_with("Readiness probe failed"), "no later event: {e:?}");
        assert!(recovered(&e, &views(&p)), "the probe succeeds since: the failure is history");
    }
}
