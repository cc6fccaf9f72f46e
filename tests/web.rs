//! Component tests of the page in a real headless Chromium
//! (`wasm-bindgen-test-runner` through chromedriver; see scripts/test.sh).
//! Each renders a component into a fresh element and reads the DOM after
//! Yew's scheduler has flushed: no sleeps.
#![cfg(all(target_arch = "wasm32", feature = "web"))]

use podplay::core::manifest::parse_manifests;
use podplay::core::time::SECOND_MS;
use podplay::play::{Player, Scenario};
use podplay::ui::{cluster, editor, PlayerRef};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen_test::*;
use web_sys::Element;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn root() -> Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().text_content().unwrap_or_default()).collect()
}

#[wasm_bindgen_test]
async fn editor_marks_problems_at_their_line_and_highlights_yaml() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers: []\n".to_string();
    let diagnostics = Rc::new(parse_manifests(&text).diagnostics);
    assert!(!diagnostics.is_empty());
    let el = root();
    let props = editor::Props {
        text: text.into(),
        diagnostics,
        findings: Rc::new(vec![]),
        stale: true,
        validate_ms: 0.5,
        on_edit: Callback::noop(),
        on_run: Callback::noop(),
    };
    yew::Renderer::<editor::Editor>::with_root_and_props(el.clone(), props).render();
    yew::scheduler::flush().await;
    assert_eq!(texts(&el, ".ln.has-error"), ["4", "6"], "the bad name and the empty containers list");
    let problems = texts(&el, ".problems li.error");
    assert!(problems.iter().any(|p| p.contains("line 4, column 9") && p.contains("metadata.name")), "{problems:?}");
    assert!(texts(&el, ".hl .key").contains(&"apiVersion".to_string()));
    assert!(el.query_selector(".editor.stale").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn editor_lists_lint_findings_with_their_rule_and_why() {
    let text = podplay::examples::find("single-container").unwrap().yaml.to_string();
    let (parsed, findings) = podplay::lint::lint_text(&text);
    assert!(!parsed.has_errors() && !findings.is_empty());
    let el = root();
    let props = editor::Props {
        text: text.into(),
        diagnostics: Rc::new(parsed.diagnostics),
        findings: Rc::new(findings.clone()),
        stale: false,
        validate_ms: 0.5,
        on_edit: Callback::noop(),
        on_run: Callback::noop(),
    };
    yew::Renderer::<editor::Editor>::with_root_and_props(el.clone(), props).render();
    yew::scheduler::flush().await;
    let items = texts(&el, ".problems li.lint button");
    assert_eq!(items.len(), findings.len());
    assert!(items[0].contains("warning[bare-pod]: line 5, column 7"), "{items:?}");
    let why = texts(&el, ".problems li.lint details p");
    assert!(why[0].starts_with("Pods are usually not created directly"), "{why:?}");
    assert!(texts(&el, ".problems .ok")[0].contains("Valid"));
    assert_eq!(texts(&el, ".ln.has-lint").first().map(String::as_str), Some("5"));
}

#[wasm_bindgen_test]
async fn cluster_view_shows_the_pod_ready_behind_its_service() {
    let manifests = podplay::examples::find("readiness-service").unwrap().yaml.to_string();
    let (mut player, _) = Player::new(Scenario { manifests, seed: 1, actions: vec![] }).unwrap();
    player.advance_to(60 * SECOND_MS);
    let now = player.now();
    let revision = player.revision();
    let props = cluster::Props {
        player: PlayerRef { rc: Rc::new(RefCell::new(player)), revision, now },
        selected: None,
        on_select: Callback::noop(),
        on_act: Callback::noop(),
        arrows: true,
        on_arrows: Callback::noop(),
    };
    let el = root();
    yew::Renderer::<cluster::ClusterView>::with_root_and_props(el.clone(), props).render();
    yew::scheduler::flush().await;
    assert_eq!(texts(&el, "[data-testid=pod-web] [data-testid=status]"), ["Running"]);
    assert_eq!(texts(&el, "[data-testid=pod-web] [data-testid=phase]"), ["Running"]);
    let ip = texts(&el, "[data-testid=pod-web] [data-testid=ip]");
    assert!(ip[0].starts_with("10.244."), "{ip:?}");
    let endpoints = texts(&el, ".endpoints .ep-ready");
    assert!(endpoints[0].contains(&ip[0]) && endpoints[0].contains("(web)"), "{endpoints:?}");
    assert!(texts(&el, ".cond.on").iter().any(|c| c.contains("Ready")));
    // The endpoint arrows: the cards say who they are, the overlay is there
    // (a ResizeObserver draws into it at the next frame), with its toggle.
    assert!(el.query_selector(".nodes [data-pod-key=\"default/web\"]").unwrap().is_some());
    assert!(el.query_selector(".services [data-service-key=\"default/web\"]").unwrap().is_some());
    assert!(el.query_selector("svg.ep-overlay[data-testid=endpoint-arrows]").unwrap().is_some());
    let toggle = el.query_selector("[data-testid=arrows-toggle]").unwrap().unwrap();
    assert_eq!(toggle.get_attribute("aria-pressed").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn the_app_starts_on_an_example_and_shows_its_pod() {
    let el = root();
    yew::Renderer::<podplay::ui::App>::with_root(el.clone()).render();
    yew::scheduler::flush().await;
    assert!(el.query_selector("[data-testid=editor]").unwrap().is_some());
    assert!(!texts(&el, "[data-testid=clock]").is_empty());
    assert_eq!(el.query_selector_all("article.pod").unwrap().length(), 1, "one Pod for the first example");
}

/// The engine in the browser gives exactly the native traces: the CLI's own
/// code, run here in Chromium, reproduces the golden files that
/// `tests/golden.rs` checks natively, byte for byte.
#[wasm_bindgen_test]
fn traces_in_chromium_match_the_native_golden_files() {
    const GOLDEN: &[(&str, &str)] = &[
        ("liveness-exec", include_str!("golden/liveness-exec.txt")),
        ("liveness-http", include_str!("golden/liveness-http.txt")),
        ("tcp-liveness-readiness", include_str!("golden/tcp-liveness-readiness.txt")),
        ("grpc-liveness", include_str!("golden/grpc-liveness.txt")),
        ("startup-probe", include_str!("golden/startup-probe.txt")),
        ("memory-limit-oom", include_str!("golden/memory-limit-oom.txt")),
        ("shared-volume", include_str!("golden/shared-volume.txt")),
        ("crashloop", include_str!("golden/crashloop.txt")),
        ("job-pods", include_str!("golden/job-pods.txt")),
        ("image-pull-error", include_str!("golden/image-pull-error.txt")),
        ("readiness-service-json", include_str!("golden/readiness-service-json.txt")),
    ];
    for (name, golden) in GOLDEN {
        let (header, expected) = golden.split_once('\n').unwrap();
        // Headers are `$ podplay ARGS` with ARGS joined by spaces (none of
        // these has an argument with a space in it).
        let args: Vec<String> = header.trim_start_matches("$ podplay ").split(' ').map(str::to_string).collect();
        let actual = podplay::cli::transcript(&args);
        assert!(actual == expected, "{name}: the trace in Chromium differs from tests/golden/{name}.txt");
    }
}
