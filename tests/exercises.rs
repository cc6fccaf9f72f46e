//! The bundled exercises: every reference solution passes every check, every
//! starting state fails the checks listed here (and only those), and hostile
//! exercise files give errors, never panics. `podplay check` exit codes.

use podplay::exercise::{self, Editable, Exercise, Report};

/// The reference solution of a bundled exercise (kept out of the binary).
fn solution(b: &exercise::Bundled) -> String {
    let path = format!("{}/exercises/solutions/{}.yaml", env!("CARGO_MANIFEST_DIR"), b.name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn report(e: &Exercise, manifests: &str) -> Report {
    exercise::check(e, manifests)
}

fn failing(r: &Report) -> Vec<&str> {
    r.results.iter().filter(|r| !r.passed).map(|r| r.description.as_str()).collect()
}

/// What each starting state fails: the checks a learner has to turn green.
const STARTING_FAILS: &[(&str, &[&str])] = &[
    (
        "01-image-typo",
        &["The image of every container is pulled, with no ErrImagePull", "The Pod web is Ready within 30 s"],
    ),
    (
        "02-make-it-schedule",
        &[
            "The scheduler finds a node at the first try (no FailedScheduling event)",
            "The Pod is scheduled to node-2 at once",
            "The Pod is Running within 30 s",
        ],
    ),
    ("03-readiness-probe", &["No request reaches web before it listens (no ready endpoint during the first 20 s)"]),
    (
        "04-startup-probe",
        &["The container is never restarted", "The kubelet never kills the container", "The Pod is Ready within 90 s"],
    ),
    (
        "05-crashloop",
        &[
            "The container never restarts in 5 minutes",
            "The kubelet never backs off (no BackOff event)",
            "The Pod is Ready after a minute",
        ],
    ),
    (
        "06-init-order",
        &[
            "fetch-schema completes before migrate starts",
            "migrate completes before the app starts",
            "No container fails",
            "The Pod is Ready within 30 s",
        ],
    ),
    (
        "07-log-sidecar",
        &[
            "A container named log-shipper runs within 30 s",
            "The app's log lines come out of log-shipper (kubectl logs orders -c log-shipper)",
        ],
    ),
    (
        "08-job-pod",
        &[
            "The Pod ends in phase Succeeded within a minute",
            "The task is never restarted",
            "The task prints \"export done\"",
        ],
    ),
    ("09-graceful-shutdown", &["checkout keeps running for 40 s after it is deleted"]),
    (
        "10-deployment",
        &[
            "A Pod with app=web is Ready again within 20 s of the deletion",
            "Service web has a ready endpoint from 50 s on",
        ],
    ),
    ("11-memory-limits", &["The worker is never OOMKilled", "The worker never restarts"]),
    (
        "12-service-dns",
        &[
            "wait-for-catalog reaches catalog and completes before the app starts",
            "storefront is Ready within 30 s",
            "wait-for-catalog got catalog's page (its log shows it)",
        ],
    ),
    ("13-zero-downtime-rollout", &["The Service never runs out of ready endpoints during the rollout"]),
    ("14-no-dropped-requests", &["No request fails, at start-up or during the rollout"]),
];

#[test]
fn there_are_at_least_twelve_exercises_and_each_parses() {
    assert!(exercise::ALL.len() >= 12);
    for b in exercise::ALL {
        let e = b.exercise().unwrap_or_else(|errors| panic!("{}: {errors:?}", b.name));
        assert!(!e.title.is_empty() && !e.story.is_empty() && !e.hints.is_empty(), "{}", b.name);
        assert!(e.checks.iter().all(|c| !c.description.is_empty()), "{}", b.name);
        assert_ne!(e.editable, Editable::Objects(vec![]), "{}: the learner must be able to edit something", b.name);
        assert_eq!(exercise::find(b.name), Some(b));
        let short = b.name.split_once('-').map(|(_, s)| s).unwrap_or_default();
        assert_eq!(exercise::find(short), Some(b));
    }
}

#[test]
fn every_reference_solution_passes_every_check() {
    for b in exercise::ALL {
        let e = b.exercise().unwrap();
        let r = report(&e, &solution(b));
        assert!(r.diagnostics.is_empty(), "{}: {:?}", b.name, r.diagnostics);
        assert!(r.locked.is_empty(), "{}: {:?}", b.name, r.locked);
        assert!(r.problems.is_empty(), "{}: {:?}", b.name, r.problems);
        let bad: Vec<String> =
            r.results.iter().filter(|r| !r.passed).map(|r| format!("{}: {}", r.description, r.reason)).collect();
        assert!(bad.is_empty(), "{}: {bad:#?}", b.name);
        assert!(r.passed(), "{}", b.name);
    }
}

#[test]
fn every_starting_state_fails_the_checks_it_should() {
    assert_eq!(STARTING_FAILS.len(), exercise::ALL.len(), "list every exercise in STARTING_FAILS");
    for (name, expected) in STARTING_FAILS {
        let b = exercise::find(name).unwrap_or_else(|| panic!("no exercise {name}"));
        let e = b.exercise().unwrap();
        let r = report(&e, &e.starting);
        assert!(r.diagnostics.iter().all(|d| d.severity != podplay::core::manifest::Severity::Error), "{name}");
        assert!(r.locked.is_empty(), "{name}: {:?}", r.locked);
        assert!(!r.passed(), "{name}: the starting state passes");
        let reasons: Vec<String> = r
            .results
            .iter()
            .map(|r| format!("{} {}: {}", if r.passed { "✓" } else { "✗" }, r.description, r.reason))
            .collect();
        assert_eq!(failing(&r), expected.to_vec(), "{name}: {reasons:#?}");
    }
}

/// Each exercise's near miss (`exercises/solutions/near-misses/NAME.yaml`):
/// a plausible answer that misses the exercise's point, and the checks (by
/// their place in the exercise file, from 0) that must catch it. A check
/// that lets a near miss through is too loose.
const NEAR_MISSES: &[(&str, &[usize])] = &[
    ("01-image-typo", &[0, 1]),
    ("02-make-it-schedule", &[0, 1, 2]),
    ("03-readiness-probe", &[1]),
    ("04-startup-probe", &[0, 1, 2]),
    ("05-crashloop", &[0, 1, 2]),
    ("06-init-order", &[1, 2, 3]),
    ("07-log-sidecar", &[1]),
    ("08-job-pod", &[0, 2]),
    // The 30 s grace period ends while the hook runs: SIGTERM then, and the
    // trap exits 0 (executePreStopHook stops waiting at the deadline), so
    // only the 40 s check fails.
    ("09-graceful-shutdown", &[0]),
    ("10-deployment", &[0, 1, 2]),
    ("11-memory-limits", &[0, 1]),
    ("12-service-dns", &[0, 1, 3]),
    ("13-zero-downtime-rollout", &[1]),
    ("14-no-dropped-requests", &[1]),
];

#[test]
fn every_near_miss_fails_the_checks_that_guard_the_point() {
    assert_eq!(NEAR_MISSES.len(), exercise::ALL.len(), "a near miss for every exercise");
    for (name, expected) in NEAR_MISSES {
        let b = exercise::find(name).unwrap_or_else(|| panic!("no exercise {name}"));
        let path = format!("{}/exercises/solutions/near-misses/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let e = b.exercise().unwrap();
        let r = report(&e, &text);
        assert!(r.diagnostics.is_empty(), "{name}: a near miss is valid YAML: {:?}", r.diagnostics);
        assert!(r.locked.is_empty(), "{name}: a near miss edits only what the learner may: {:?}", r.locked);
        assert!(!r.passed(), "{name}: the near miss passes");
        let expected: Vec<&str> = expected.iter().map(|&i| r.results[i].description.as_str()).collect();
        assert_eq!(failing(&r), expected, "{name}");
    }
}

#[test]
fn checking_is_deterministic() {
    for b in exercise::ALL.iter().take(4) {
        let e = b.exercise().unwrap();
        assert_eq!(report(&e, &e.starting), report(&e, &e.starting), "{}", b.name);
    }
}

fn errors(text: &str) -> Vec<String> {
    match exercise::parse(text) {
        Ok(_) => panic!("parsed"),
        Err(e) => {
            assert!(!e.is_empty());
            e.iter().map(|e| e.to_string()).collect()
        }
    }
}

const HEAD: &str = "title: t\nstory: s\nuntil: 1m\nstarting: |\n  apiVersion: v1\n  kind: Pod\n  metadata: {name: web}\n  spec:\n    containers: [{name: web, image: nginx}]\n";

#[test]
fn hostile_files_give_errors_not_panics() {
    // Huge.
    let huge = format!("{HEAD}story2: \"{}\"\n", "x".repeat(300 * 1024));
    assert_eq!(errors(&huge), vec!["line 1, column 1: the file is 301 KiB; an exercise may be at most 256 KiB"]);
    // Deep nesting.
    let deep = format!("{HEAD}checks: {}{}\n", "[".repeat(200), "]".repeat(200));
    assert!(errors(&deep)[0].contains("nesting is too deep"), "{:?}", errors(&deep));
    let deep_block: String = (0..100).map(|i| format!("{}- \n", "  ".repeat(i))).collect();
    assert!(!errors(&format!("checks:\n{deep_block}")).is_empty());
    // Alias bomb.
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9 {
        let prev = if i == 0 { "a".to_string() } else { format!("b{}", i - 1) };
        bomb.push_str(&format!(
            "b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    assert!(!errors(&bomb).is_empty());
    // Unknown check kind, bad durations, wrong types.
    assert!(
        errors(&format!("{HEAD}checks:\n- {{check: fly, description: d}}\n"))[0].contains("unknown check kind \"fly\"")
    );
    for bad in ["-5s", "10d", "5 m", "1e9h", "99999999999999999999s", "s", "", "[1]", "{a: 1}", "1h1ms"] {
        let text = format!("{HEAD}checks:\n- check: ready\n  pod: web\n  within: {bad}\n  description: d\n");
        let e = errors(&text);
        assert!(e[0].starts_with("line 13, column "), "{bad}: {e:?}");
        assert!(e[0].contains("within: "), "{bad}: {e:?}");
    }
    for bad in ["-1", "1.5", "x", "100001", "0"] {
        let e = errors(&format!("{HEAD}checks:\n- {{check: ready, pod: web, count: {bad}, description: d}}\n"));
        assert!(e[0].contains("count: expected a whole number") || e[0].ends_with("count: at least 1"), "{bad}: {e:?}");
    }
    // Too many checks.
    let many: String = (0..150).map(|_| "- {check: running, pod: web, description: d}\n").collect();
    assert!(errors(&format!("{HEAD}checks:\n{many}")).iter().any(|e| e.contains("checks: at most 100")));
    // Not a mapping, or nothing at all.
    assert!(!errors("").is_empty());
    assert!(!errors("just a string").is_empty());
    assert!(!errors("---\n---\n").is_empty());
    assert!(!errors("\u{0}\u{1}\u{2}").is_empty());
}

#[test]
fn hostile_solutions_are_refused_with_diagnostics() {
    let e = exercise::find("01-image-typo").unwrap().exercise().unwrap();
    let r = report(&e, "apiVersion: v1\nkind: Pod\nmetadata: {name: web\n");
    assert!(r.has_errors() && r.results.is_empty() && !r.passed());
    let r = report(&e, &"a: b\n".repeat(100_000));
    assert!(r.has_errors());
    let r = report(&e, "");
    assert!(!r.passed(), "no objects: the checks fail");
}

mod random {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

        /// Any text: parse never panics.
        #[test]
        fn parse_never_panics(text in "\\PC{0,400}") {
            let _ = exercise::parse(&text);
        }

        /// A bundled exercise cut short or with a byte changed: never panics,
        /// and every error has a position inside the file.
        #[test]
        fn damaged_exercises_never_panic(i in 0usize..64, cut in 0.0f64..1.0, at in 0.0f64..1.0, c in proptest::char::any()) {
            let text = exercise::ALL[i % exercise::ALL.len()].yaml;
            let mut s: String = text.chars().take((text.chars().count() as f64 * cut) as usize).collect();
            let n = s.chars().count();
            if n > 0 {
                let k = (n as f64 * at) as usize % n;
                s = s.chars().enumerate().map(|(j, x)| if j == k { c } else { x }).collect();
            }
            if let Err(errors) = exercise::parse(&s) {
                // YAML breaks lines at \n, \r and \r\n.
                let lines = s.matches(['\n', '\r']).count() as u32 + 2;
                for e in errors {
                    prop_assert!(e.pos.line >= 1 && e.pos.line <= lines, "{e} in {} lines", lines);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

        /// A solution with a line dropped: checking never panics.
        #[test]
        fn damaged_solutions_never_panic(i in 0usize..64, drop in 0usize..60) {
            let b = &exercise::ALL[i % exercise::ALL.len()];
            let e = b.exercise().unwrap();
            let text: String = solution(b).lines().enumerate().filter(|(j, _)| *j != drop).map(|(_, l)| format!("{l}\n")).collect();
            let _ = exercise::check(&e, &text);
        }
    }
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = podplay::cli::main_with(&args, &mut std::io::empty(), &mut out, &mut err);
    (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

#[test]
fn podplay_check_exit_codes_and_report() {
    let (code, out, _) = cli(&["check", "exercise:01-image-typo", "exercises/solutions/01-image-typo.yaml"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("✓ The Pod web is Ready within 30 s\n    web became Ready at "), "{out}");
    assert!(out.ends_with("All 2 checks pass.\n"), "{out}");

    let (code, out, _) = cli(&["check", "exercises/01-image-typo.yaml"]);
    assert_eq!(code, 1);
    assert!(out.contains("✗ The Pod web is Ready within 30 s\n    web never became Ready in 2m0s (STATUS at the end: ImagePullBackOff)"), "{out}");
    assert!(out.ends_with("0 of 2 checks pass.\n"), "{out}");

    let (code, _, err) = cli(&["check", "exercise:nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("no exercise named nope"), "{err}");
    let (code, _, err) = cli(&["check", "exercise:01-image-typo", "/nonexistent.yaml"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = cli(&["check", "Cargo.toml"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("Cargo.toml:"), "{err}");
    let (code, out, _) = cli(&["check", "--list"]);
    assert_eq!(code, 0);
    assert!(out.contains("12-service-dns"), "{out}");
}
