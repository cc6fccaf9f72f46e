//! The engine driven by random actions at random times on the bundled
//! examples (the first byte picks the example and the seed); with debug
//! assertions on, the engine checks its invariants after every step. Each
//! input runs twice, with probe workers sleeping through repeated successes
//! (the default) and with every tick run: the outputs must be identical.
#![no_main]

use libfuzzer_sys::fuzz_target;
use podplay::core::engine::{Sim, SimConfig};
use podplay::session::parse_action;
use podplay::core::manifest::parse_manifests;
use podplay::examples::ALL;

const VERBS: &[&str] = &[
    "delete pod/{p}",
    "delete pod/{p} --grace-period=1",
    "kill pod/{p} -c {c}",
    "kill pod/{p} -c {c} --exit-code=1",
    "break pod/{p} -c {c}",
    "heal pod/{p} -c {c}",
    "scale deployment/{d} --replicas={n}",
    "set image deployment/{d} {c}=nginx:1.27",
    "set image deployment/{d} {c}=nginx:doesnotexist",
    "rollout restart deployment/{d}",
    "rollout undo deployment/{d}",
    "delete deployment/{d}",
    "stop node {node}",
    "start node {node}",
    "cordon node {node}",
    "uncordon node {node}",
    "drain node {node} --force",
    "drain node {node} --delete-emptydir-data",
    "add node node-f{n}",
    "traffic svc/{s} {n}0/s",
    "traffic svc/{s} off",
    "scale statefulset/web --replicas={n}",
    "delete job/{p}",
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let asleep = run(first, rest, true);
    let every_tick = run(first, rest, false);
    assert!(asleep == every_tick, "sleeping probe workers changed the trace");
});

/// The run's outputs, each as its Debug text.
fn run(first: u8, rest: &[u8], sleep: bool) -> Vec<String> {
    let mut trace = Vec::new();
    let example = &ALL[first as usize % ALL.len()];
    let parsed = parse_manifests(example.yaml);
    let mut sim = Sim::new(SimConfig::with_seed(first as u64));
    sim.set_probe_sleep(sleep);
    sim.apply(parsed.objects);
    let mut now = 0u64;
    for chunk in rest.chunks(4).take(64) {
        let [dt, verb, target, n] = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0), *chunk.get(3).unwrap_or(&0)];
        now += dt as u64 * 1_000;
        sim.advance_to(now);
        while let Some(o) = sim.poll_output() {
            trace.push(format!("{o:?}"));
        }
        let pods = sim.pods();
        let pod = pods.get(target as usize % pods.len().max(1));
        let p = pod.map_or("nope".to_string(), |p| p.pod.metadata.name.clone());
        let c = pod.and_then(|p| p.pod.spec.containers.first()).map_or("nope".to_string(), |c| c.name.clone());
        let d = sim.deployments().first().map_or("nope".to_string(), |d| d.deployment.metadata.name.clone());
        let nodes = sim.node_names();
        let node = nodes.get(n as usize % nodes.len().max(1)).cloned().unwrap_or_default();
        let s = sim.services().first().map_or("nope".to_string(), |s| s.service.metadata.name.clone());
        let text = VERBS[verb as usize % VERBS.len()]
            .replace("{p}", &p)
            .replace("{c}", &c)
            .replace("{d}", &d)
            .replace("{node}", &node)
            .replace("{s}", &s)
            .replace("{n}", &(n % 8).to_string());
        if let Ok(action) = parse_action(&text) {
            let _ = sim.act(&action);
        }
    }
    sim.advance_to(now + 15 * 60_000);
    while let Some(o) = sim.poll_output() {
        trace.push(format!("{o:?}"));
    }
    trace
}
