//! Docs that cannot drift: every command shown in README.md and docs/*.md is
//! run here, and its output compared with what the page shows.
//!
//! In a ```` ```console ```` block, a line starting with `$ podplay` is a
//! command (run with the built binary, from the repository's root, with no
//! stdin); the lines after it, up to the next `$ ` line or the end of the
//! block, are its output (stdout, then stderr). In the shown output a line
//! holding only `...` stands for any number of lines left out, and `[..]`
//! for the rest of a line's text up to what follows it. A trailing
//! `# exits N` says the command's exit status (0 when left out); any other
//! trailing `# comment` is ignored.
//!
//! Commands that are not `podplay` (in `console`, `sh` or `bash` blocks)
//! cannot all be run by a unit test: each must be listed in [`NOT_RUN_HERE`]
//! with who runs it, so a new one cannot slip in untested.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Shell commands the docs show that this test does not run, and why.
const NOT_RUN_HERE: &[(&str, &str)] = &[
    ("bash scripts/test.sh", "it runs this test (CI runs exactly it: .ci/run)"),
    (
        "bash scripts/serve.sh",
        "a server that runs until stopped; its build step, scripts/build-web.sh, is run by scripts/test.sh",
    ),
    (
        "cargo install --locked --path .",
        "installs into ~/.cargo/bin; scripts/test.sh builds the same binary (cargo build --release --bin podplay)",
    ),
    ("cargo test --test docs", "this test"),
    ("UPDATE_GOLDEN=1 cargo test --test golden", "rewrites the golden files on purpose, after a reviewed change"),
    ("cargo bench --bench engine", "measurements, not tests: docs/performance.md"),
    ("cargo bench --bench engine -- cluster", "measurements, not tests: docs/performance.md"),
    ("bash scripts/bench-instructions.sh", "measurements, not tests: docs/performance.md"),
    ("node tests/e2e/bench.mjs", "measurements, not tests: docs/performance.md"),
    ("node tests/e2e/firstview-bench.mjs", "measurements, not tests: docs/performance.md"),
    ("python3 scripts/size.py dist", "run by scripts/test.sh (with --max-kb)"),
    ("bash scripts/size-floor.sh", "run by scripts/test.sh"),
    (
        "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh",
        "rustup's own installer (https://rustup.rs), a prerequisite",
    ),
    ("sudo apt-get install -y curl build-essential nodejs npm python3", "a prerequisite, installed by hand"),
    (
        "sudo apt-get install -y chromium chromium-driver",
        "a prerequisite of the browser tests, installed by hand or by scripts/setup-web.sh --browser as root",
    ),
    ("brew install node python", "a prerequisite on macOS, installed by hand"),
    ("cd fuzz", "the fuzz targets' folder; scripts/test.sh fuzzes through scripts/fuzz.sh"),
    (
        "cargo +nightly fuzz run -s none inputs -- -max_total_time=300 -timeout=60",
        "a longer run of what scripts/fuzz.sh (run by scripts/test.sh) runs for 45 s",
    ),
    (
        "cargo +nightly fuzz run -s none engine -- -max_total_time=300 -timeout=60",
        "a longer run of what scripts/fuzz.sh (run by scripts/test.sh) runs for 45 s",
    ),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// README.md, FIDELITY.md and every docs/*.md, sorted.
fn doc_files() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md"), root().join("FIDELITY.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|e| e.expect("readable docs/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// One shown command: where it is, its words, its exit status and output.
#[derive(Debug)]
struct Shown {
    place: String,
    line: String,
    words: Vec<String>,
    exit: i32,
    output: Vec<String>,
}

/// A fenced block: its info string, the line number of its first content
/// line, and its lines (without the fence's indentation, as in a list item).
struct Block {
    info: String,
    indent: usize,
    first: usize,
    lines: Vec<String>,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            match current.take() {
                Some(b) => out.push(b),
                None => {
                    let indent = line.len() - trimmed.len();
                    current = Some(Block { info: info.trim().to_string(), indent, first: i + 2, lines: Vec::new() })
                }
            }
        } else if let Some(b) = current.as_mut() {
            let spaces = line.len() - line.trim_start_matches(' ').len();
            b.lines.push(line[spaces.min(b.indent)..].to_string());
        }
    }
    assert!(current.is_none(), "a fenced block is not closed");
    out
}

/// Splits a shell line into words (single and double quotes, backslash in
/// double quotes), and returns the trailing comment apart.
fn split_words(line: &str) -> (Vec<String>, Option<String>) {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    w.push(c);
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => w.extend(chars.next()),
                        _ => w.push(c),
                    }
                }
            }
            '#' if word.is_none() => return (words, Some(chars.collect::<String>().trim().to_string())),
            c if c.is_whitespace() => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    (words, None)
}

/// The command part of a shell line: the line without its trailing comment.
fn without_comment(line: &str) -> String {
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if i == 0 || line[..i].ends_with(' ') => return line[..i].trim_end().to_string(),
            _ => {}
        }
    }
    line.trim_end().to_string()
}

fn exit_of(comment: Option<&str>) -> i32 {
    comment
        .and_then(|c| c.strip_prefix("exits "))
        .map(|n| {
            let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().expect("`# exits N` with a number")
        })
        .unwrap_or(0)
}

/// Every `$ podplay …` of the docs, and every other command line with its place.
fn shown() -> (Vec<Shown>, Vec<(String, String)>) {
    let mut podplay = Vec::new();
    let mut others = Vec::new();
    for file in doc_files() {
        let text = std::fs::read_to_string(&file).expect("readable doc");
        let name = file.strip_prefix(root()).unwrap_or(&file).display().to_string();
        for block in blocks(&text) {
            let lang = block.info.split_whitespace().next().unwrap_or("");
            match lang {
                "console" => {
                    let mut current: Option<Shown> = None;
                    for (i, line) in block.lines.iter().enumerate() {
                        if let Some(cmd) = line.strip_prefix("$ ") {
                            podplay.extend(current.take());
                            let place = format!("{name}:{}", block.first + i);
                            let (words, comment) = split_words(cmd);
                            if words.first().map(String::as_str) == Some("podplay") {
                                current = Some(Shown {
                                    place,
                                    line: cmd.to_string(),
                                    words,
                                    exit: exit_of(comment.as_deref()),
                                    output: Vec::new(),
                                });
                            } else {
                                others.push((place, without_comment(cmd)));
                            }
                        } else if let Some(s) = current.as_mut() {
                            s.output.push(line.clone());
                        }
                    }
                    podplay.extend(current);
                }
                "sh" | "bash" | "shell" => {
                    for (i, line) in block.lines.iter().enumerate() {
                        let cmd = without_comment(line.trim());
                        if cmd.is_empty() {
                            continue;
                        }
                        let place = format!("{name}:{}", block.first + i);
                        assert!(
                            !cmd.starts_with("podplay"),
                            "{place}: `{cmd}` belongs in a ```console block, with its output, so that it is checked"
                        );
                        others.push((place, cmd));
                    }
                }
                _ => {}
            }
        }
    }
    (podplay, others)
}

/// Does `line` match the shown `pattern`, where `[..]` stands for any text?
fn line_matches(pattern: &str, line: &str) -> bool {
    let mut parts = pattern.split("[..]");
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = line.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// Does the actual output match the shown one, where a `...` line stands for
/// any number of lines?
fn output_matches(shown: &[String], actual: &[&str]) -> bool {
    match shown.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => (0..=actual.len()).any(|skip| output_matches(rest, &actual[skip..])),
        Some((first, rest)) => {
            actual.first().is_some_and(|a| line_matches(first, a)) && output_matches(rest, &actual[1..])
        }
    }
}

fn run(s: &Shown) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_podplay"))
        .args(&s.words[1..])
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{}: cannot run podplay: {e}", s.place));
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn every_podplay_command_in_the_docs_prints_what_they_show() {
    let (commands, _) = shown();
    assert!(commands.len() >= 10, "only {} `$ podplay` commands found in the docs", commands.len());
    let mut failures = Vec::new();
    for s in &commands {
        let (code, text) = run(s);
        let actual: Vec<&str> = text.lines().collect();
        // A console block ends its last command's output with the block; a
        // blank line left before the fence is not part of the output.
        let mut output = s.output.clone();
        while output.last().is_some_and(|l| l.is_empty()) {
            output.pop();
        }
        if code != s.exit {
            failures.push(format!("{}: `{}` exited {code}, the docs say {}\n{text}", s.place, s.line, s.exit));
        } else if !output_matches(&output, &actual) {
            failures.push(format!(
                "{}: `{}` printed something else.\n--- shown ---\n{}\n--- actual ---\n{text}",
                s.place,
                s.line,
                output.join("\n")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} commands differ:\n\n{}",
        failures.len(),
        commands.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_other_command_in_the_docs_is_accounted_for() {
    let (_, others) = shown();
    let unlisted: Vec<String> = others
        .iter()
        .filter(|(_, cmd)| !NOT_RUN_HERE.iter().any(|(c, _)| c == cmd))
        .map(|(place, cmd)| format!("{place}: `{cmd}`"))
        .collect();
    assert!(
        unlisted.is_empty(),
        "commands shown in the docs that no test runs (show podplay ones in a ```console block with their output, \
         or add the command to NOT_RUN_HERE in tests/docs.rs with who runs it):\n{}",
        unlisted.join("\n")
    );
    let unused: Vec<&str> =
        NOT_RUN_HERE.iter().map(|(c, _)| *c).filter(|c| !others.iter().any(|(_, cmd)| cmd == c)).collect();
    assert!(unused.is_empty(), "NOT_RUN_HERE lists commands no doc shows any more: {unused:?}");
}

/// Relative links between the docs point at files that exist.
#[test]
fn relative_links_in_the_docs_resolve() {
    let mut broken = Vec::new();
    for file in doc_files() {
        let text = std::fs::read_to_string(&file).expect("readable doc");
        let dir = file.parent().expect("a doc has a directory");
        let mut in_comment = false;
        for (n, line) in text.lines().enumerate() {
            // An HTML comment (a note for the maintainers) is not a link.
            if in_comment || line.trim_start().starts_with("<!--") {
                in_comment = !line.contains("-->");
                continue;
            }
            let mut rest = line;
            while let Some(at) = rest.find("](") {
                rest = &rest[at + 2..];
                let Some(end) = rest.find(')') else { break };
                let target = &rest[..end];
                rest = &rest[end..];
                if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                    continue;
                }
                let path = target.split('#').next().unwrap_or("");
                if !Path::new(dir).join(path).exists() {
                    broken.push(format!("{}:{}: {target}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(broken.is_empty(), "links to files that do not exist:\n{}", broken.join("\n"));
}

#[test]
fn elisions_match_what_they_stand_for_and_nothing_else() {
    let lines = |s: &[&str]| s.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(output_matches(&lines(&["a", "...", "d"]), &["a", "b", "c", "d"]));
    assert!(output_matches(&lines(&["a", "...", "b"]), &["a", "b"]));
    assert!(!output_matches(&lines(&["a", "d"]), &["a", "b", "d"]), "a gap must be marked");
    assert!(!output_matches(&lines(&["a", "..."]), &["b"]));
    assert!(output_matches(&lines(&["x: [..] y"]), &["x: 1 2 3 y"]));
    assert!(!output_matches(&lines(&["x: [..] y"]), &["x: 1 2 3 z"]));
    assert!(line_matches("rpc error: [..]", "rpc error: code = Unknown"));
    assert!(!line_matches("0 of 2", "0 of 2 checks pass."));
    let (words, comment) = split_words(r#"podplay run x --at 30s "delete pod/web" # exits 1 (no such Pod)"#);
    assert_eq!(words, ["podplay", "run", "x", "--at", "30s", "delete pod/web"]);
    assert_eq!(exit_of(comment.as_deref()), 1);
    assert_eq!(exit_of(Some("exits 2: nothing is run")), 2);
    assert_eq!(exit_of(Some("the starting state")), 0);
    assert_eq!(without_comment("bash scripts/serve.sh      # build it"), "bash scripts/serve.sh");
}

/// Every source files' text under `dir` with one of the extensions, joined.
fn sources(dir: &Path, exts: &[&str], into: &mut String) {
    for entry in std::fs::read_dir(dir).expect("readable directory") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            if !path.ends_with("node_modules") {
                sources(&path, exts, into);
            }
        } else if path.extension().is_some_and(|e| exts.iter().any(|x| e == *x)) {
            into.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
        }
    }
}

/// The golden names after each `golden` in a cell: `golden `a`, `b` and `c``.
fn golden_names(cell: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in cell.match_indices("golden ") {
        let mut rest = &cell[at + "golden ".len()..];
        while let Some(after) = rest.strip_prefix('`') {
            let Some(end) = after.find('`') else { break };
            names.push(after[..end].to_string());
            rest = &after[end + 1..];
            rest = rest.strip_prefix(", ").or_else(|| rest.strip_prefix(" and ")).unwrap_or("");
        }
    }
    names
}

/// FIDELITY.md's "shown by" column names tests that exist: golden traces,
/// test files and test functions (a renamed or removed test shows up here).
#[test]
fn fidelity_cites_tests_that_exist() {
    let text = std::fs::read_to_string(root().join("FIDELITY.md")).expect("FIDELITY.md");
    let mut code = String::new();
    sources(&root().join("tests"), &["rs", "mjs"], &mut code);
    sources(&root().join("src"), &["rs"], &mut code);
    let mut missing = Vec::new();
    let mut cited = 0;
    for (n, line) in text.lines().enumerate() {
        if !line.starts_with("| ") || line.starts_with("| ---") || line.starts_with("| behaviour ") {
            continue;
        }
        let cell = line.trim_end().trim_end_matches('|').rsplit(" | ").next().unwrap_or("");
        for name in golden_names(cell) {
            cited += 1;
            if !name.contains('*') && !root().join("tests/golden").join(format!("{name}.txt")).exists() {
                missing.push(format!("FIDELITY.md:{}: golden `{name}`", n + 1));
            }
        }
        for span in cell.split('`').skip(1).step_by(2) {
            let is_fn = span.len() >= 12
                && !span.ends_with('_')
                && span.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if span.starts_with("tests/") {
                cited += 1;
                if !root().join(span.split_whitespace().next().unwrap_or(span)).exists() {
                    missing.push(format!("FIDELITY.md:{}: `{span}`", n + 1));
                }
            } else if is_fn {
                cited += 1;
                if !code.contains(span) {
                    missing.push(format!("FIDELITY.md:{}: test `{span}`", n + 1));
                }
            }
        }
    }
    assert!(cited >= 50, "only {cited} tests cited in FIDELITY.md: is the table still there?");
    assert!(missing.is_empty(), "FIDELITY.md cites tests that do not exist:\n{}", missing.join("\n"));
}
