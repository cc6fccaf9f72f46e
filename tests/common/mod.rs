//! Helpers shared by the integration tests that drive the engine API.
#![allow(dead_code)]

use podplay::core::engine::{Sim, SimConfig};
use podplay::core::manifest::parse_manifests;
use podplay::session::parse_action;

/// A default cluster (seed 1, three workers) with `yaml` applied at time zero.
pub fn sim_with(yaml: &str) -> Sim {
    sim_with_seed(yaml, SimConfig::default().seed)
}

/// The default three workers with this seed, and `yaml` applied at time zero.
pub fn sim_with_seed(yaml: &str, seed: u64) -> Sim {
    let parsed = parse_manifests(yaml);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let mut sim = Sim::new(SimConfig::with_seed(seed));
    sim.apply(parsed.objects);
    sim
}

/// Performs an action that must parse and succeed.
pub fn act(sim: &mut Sim, text: &str) {
    sim.act(&parse_action(text).expect("action parses")).expect("action succeeds");
}
