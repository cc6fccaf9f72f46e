//! kubernetes.io's multi-container examples whose commands are pipelines
//! (BusyBox ash `evalpipe`: each stage a child process, stdout to the next
//! stage's stdin), run through the engine.

mod common;

/// pods/multi-container/adapter.yaml: the sidecar's `tail -F raw.log | while
/// read line; do echo "adapted: $line"; done` logs each line the main
/// container appends every 2 s, within a second (BusyBox `tail -F` reads
/// once a second).
#[test]
fn the_adapter_sidecar_rewrites_each_raw_line() {
    let mut sim = common::sim_with(include_str!("fixtures/adapter.yaml"));
    sim.advance_to(20_000);
    let raw = sim.logs("default", "adapter-pattern-example", "main-app").expect("main-app");
    assert!(raw.is_empty(), "{raw:?}");
    let adapted = sim.logs("default", "adapter-pattern-example", "adapter").expect("adapter");
    assert!(adapted.len() >= 8, "{adapted:?}");
    for line in &adapted {
        assert!(line.starts_with("adapted: ") && line.ends_with(" UTC 2026 raw event"), "{line}");
    }
}

/// pods/multi-container/localhost.yaml: `wget -qO- http://localhost:80 |
/// head -n 4` every 5 s prints the first four lines of nginx's page once
/// nginx listens (before that, wget's "Connection refused").
#[test]
fn the_client_sidecar_prints_the_first_four_lines_of_the_page() {
    let mut sim = common::sim_with(include_str!("fixtures/localhost.yaml"));
    sim.advance_to(20_000);
    let log = sim.logs("default", "localhost-example", "client").expect("client");
    let page: Vec<&String> = log.iter().filter(|l| !l.starts_with("wget:")).collect();
    assert!(page.len() >= 8, "{log:?}");
    for chunk in page.chunks(4) {
        assert_eq!(chunk, ["<!DOCTYPE html>", "<html>", "<head>", "<title>Welcome to nginx!</title>"]);
    }
}
