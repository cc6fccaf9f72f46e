//! `podplay lint` over every bundled example and through the CLI's exit
//! statuses (the findings themselves: src/lint/tests.rs and the
//! `lint-mistakes` golden).

use podplay::examples;
use podplay::lint::{lint_text, Rule};

fn cli(args: &[&str], stdin: &str) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = podplay::cli::main_with(&args, &mut stdin.as_bytes(), &mut out, &mut err);
    (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

#[test]
fn every_example_lints_without_panicking_and_points_into_its_text() {
    for ex in examples::ALL {
        let (parsed, findings) = lint_text(ex.yaml);
        assert!(!parsed.has_errors(), "{}", ex.name);
        let lines: Vec<&str> = ex.yaml.lines().collect();
        for f in &findings {
            let line = lines.get(f.pos.line as usize - 1).unwrap_or_else(|| panic!("{}: {f}", ex.name));
            assert!((f.pos.col as usize) <= line.chars().count(), "{}: {f}: {line:?}", ex.name);
        }
        // The CLI agrees: 1 with findings, 0 without.
        let (code, out, _) = cli(&["lint", &format!("example:{}", ex.name)], "");
        assert_eq!(code, if findings.is_empty() { 0 } else { 1 }, "{}: {out}", ex.name);
    }
}

#[test]
fn controller_examples_are_not_bare_pods_and_bare_ones_are() {
    let rules =
        |name: &str| -> Vec<Rule> { lint_text(examples::find(name).unwrap().yaml).1.iter().map(|f| f.rule).collect() };
    assert!(!rules("deployment").contains(&Rule::BarePod));
    assert!(rules("single-container").contains(&Rule::BarePod));
    // Run-to-completion Pods are left alone.
    assert!(!rules("job-pods").contains(&Rule::BarePod));
    // The ambassador is reached at localhost:8080, the sidecar shares a volume.
    assert!(!rules("ambassador").contains(&Rule::UnrelatedContainers));
    assert!(!rules("sidecar").contains(&Rule::UnrelatedContainers));
    assert!(!rules("shared-volume").contains(&Rule::UnrelatedContainers));
    // The nginx Deployment is behind a Service and has no preStop hook.
    assert!(rules("deployment").contains(&Rule::NoPreStop));
}

#[test]
fn clean_input_exits_0_and_bad_input_exits_2() {
    let clean = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n";
    let (code, out, err) = cli(&["lint", "-"], clean);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "no findings in 1 file\n", ""));
    let (code, _, err) = cli(&["lint", "no/such/file.yaml"], "");
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = cli(&["lint", "-"], "kind: [\n");
    assert_eq!(code, 2);
    assert!(err.contains("-:") && err.contains("nothing was linted"), "{err}");
    let (code, _, err) = cli(&["lint", "--explain", "nope"], "");
    assert_eq!(code, 2);
    assert!(err.contains("no lint rule nope; the rules are bare-pod, no-resources"), "{err}");
    assert_eq!(cli(&["lint"], "").0, 2);
    assert_eq!(cli(&["lint", "--frobnicate", "x.yaml"], "").0, 2);
    let (code, out, _) = cli(&["lint", "--explain"], "");
    assert_eq!(code, 0);
    for r in Rule::ALL {
        assert!(out.contains(r.id()) && out.contains(r.title()), "{out}");
    }
}

#[test]
fn findings_across_files_name_their_file() {
    // The Service in one file selects the Deployment in the other.
    let (code, out, _) = cli(&["lint", "example:deployment", "example:init-containers-services"], "");
    assert_eq!(code, 1);
    assert!(out.lines().next().unwrap().starts_with("example:deployment:"), "{out}");
    assert!(
        out.ends_with("in 2 files (no-resources 1, no-prestop 1); `podplay lint --explain RULE` tells more\n"),
        "{out}"
    );
}

/// The 200-line manifest the benchmark lints (`cargo bench --bench engine`
/// times it): each mistake is found once per Pod, run after run.
#[test]
fn linting_a_200_line_manifest_finds_each_mistake_once_per_pod() {
    let one = "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web-NUM\n  labels: {app: web}\nspec:\n  containers:\n  - name: nginx\n    image: nginx\n    ports: [{containerPort: 80}]\n  - name: tail\n    image: busybox:1.36\n    args: [\"localhost:80\"]\n";
    let text: String = (0..15).map(|i| one.replace("NUM", &i.to_string())).collect();
    assert!(text.lines().count() >= 200);
    let (parsed, tree) = podplay::core::manifest::parse_manifests_with_tree(&text);
    let sources = [podplay::lint::Source { objects: &parsed.objects, tree: &tree, text: &text }];
    let n = 3;
    let mut found = 0;
    for _ in 0..n {
        found += podplay::lint::lint(&sources).len();
    }
    // Per Pod: bare-pod, latest-tag, and no-resources and no-probes for each container.
    assert_eq!(found, n * 15 * 6);
}
