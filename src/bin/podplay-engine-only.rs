//! The simulation core alone, as a Wasm module with no page: the least any
//! page built on this engine must download. `scripts/size-floor.sh` builds it
//! exactly as `scripts/build-web.sh` builds the page (profile `web`, wasm-bindgen, wasm-opt
//! with the page's flags), prints its gzipped size beside the page's budget,
//! and runs it under Node to show it is the working engine.
//!
//! What it keeps is what a text-only playground would need: manifests parsed
//! and validated with their errors, the session replayed through the engine
//! (controllers, kubelet, probes, Services, the container shell), and the
//! kubectl views of the result (`get pods`, `describe pod`, `get events`).
//! What it leaves out: Yew and every component, the exercise checker, the
//! linter, share links and autosave.
use podplay::core::kubectl;
use podplay::play::{Player, Scenario};
use wasm_bindgen::prelude::wasm_bindgen;

/// Replays `manifests` with `seed` for `until_ms` of virtual time and prints
/// what kubectl would: the Pods, each Pod described, and the events.
#[wasm_bindgen]
pub fn run(manifests: &str, seed: u64, until_ms: u64) -> String {
    let scenario = Scenario { manifests: manifests.to_string(), seed, actions: Vec::new() };
    let mut player = match Player::new(scenario) {
        Ok((player, _)) => player,
        Err(parsed) => {
            return parsed.diagnostics.iter().map(|d| format!("{d}\n")).collect();
        }
    };
    player.advance_to(until_ms as _);
    let now = player.now();
    let rows: Vec<Vec<String>> = player.pods().map(|p| kubectl::pod_row(p, now, false)).collect();
    let mut out = kubectl::format_table(&kubectl::PODS_HEADER, &rows);
    for pod in player.pods() {
        out.push('\n');
        out.push_str(&kubectl::describe_pod(pod, player.events(), now));
    }
    out.push('\n');
    out.push_str(&kubectl::format_table(&kubectl::EVENTS_HEADER, &kubectl::events_rows(player.events(), now)));
    out
}

fn main() {}
