//! Every text podplay takes from a person or a link: manifests (then run for
//! ten simulated minutes), share links, saved sessions, exercise files, page
//! query strings and actions. None may panic, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use podplay::core::engine::{Sim, SimConfig};
use podplay::session::parse_action;
use podplay::core::manifest::parse_manifests;
use podplay::play::embed::PageOptions;
use podplay::play::share::Session;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = Session::from_fragment(&text);
    let _ = Session::from_json(&text);
    let _ = PageOptions::parse(&text);
    let _ = parse_action(&text);
    let _ = podplay::exercise::parse(&text);
    let parsed = parse_manifests(&text);
    if !parsed.has_errors() && !parsed.objects.is_empty() {
        let mut sim = Sim::new(SimConfig::default());
        sim.apply(parsed.objects);
        sim.advance_to(10 * 60_000);
        while sim.poll_output().is_some() {}
    }
});
