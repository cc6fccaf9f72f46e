//! The layers hold: a module may use those below it, never one above.
//!
//! model (YAML, API types, kinds, manifests and their validation, status
//! snapshots, the spec side of the JSON, the container shell, small
//! utilities) ← engine ← views (json, kubectl, get) ← session and faces (cli, exercise, lint, play, ui, bundled,
//! examples). `src/core` uses no front end and no browser crate.
//!
//! The check reads `src/` as text: every path through `crate::core::…`,
//! `super::…` or `podplay::core::…` is resolved to the top-level module it
//! names, comments left out. A path a layer may not take fails the test,
//! unless it is listed in [`KNOWN`] with the reason it is still there.

use std::path::{Path, PathBuf};

/// Upward imports not removed yet: (file, module it reaches). Each is a debt.
const KNOWN: &[(&str, &str)] = &[];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    Model,
    Engine,
    View,
    Face,
}

/// The layer of a module of `crate::core` (by its first segment), or of a
/// top-level module of the crate.
fn core_layer(module: &str) -> Layer {
    match module {
        "engine" => Layer::Engine,
        "json" | "kubectl" | "get" => Layer::View,
        _ => Layer::Model,
    }
}

fn file_layer(rel: &str) -> Layer {
    match rel.strip_prefix("src/core/") {
        Some(rest) => core_layer(rest.split(['/', '.']).next().unwrap_or("")),
        None => Layer::Face,
    }
}

/// The module path of a file under `src/` (`src/core/engine/mod.rs` → core, engine).
fn module_path(rel: &str) -> Vec<String> {
    let inner = rel.trim_start_matches("src/").trim_end_matches(".rs");
    let mut segs: Vec<String> = inner.split('/').map(String::from).collect();
    if matches!(segs.last().map(String::as_str), Some("mod" | "lib")) {
        segs.pop();
    }
    segs
}

/// The text without comments (line comments and doc comments).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string (a URL) is rare in paths' lines; a
            // line that starts a comment is dropped whole.
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident_at(s: &str) -> &str {
    let end = s.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// The modules of `crate::core` that `code` reaches, for a file at `module`.
fn core_modules_used(code: &str, module: &[String]) -> Vec<String> {
    modules_used(code, module, &["core"])
}

/// The modules right under `under` (`core`, or `core::engine`) that `code`
/// reaches, for a file at `module`.
fn modules_used(code: &str, module: &[String], under: &[&str]) -> Vec<String> {
    let depth = under.len() + 1;
    let mut used = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &code[i..];
        let boundary =
            i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b':');
        if !boundary {
            i += 1;
            continue;
        }
        // Where the path lands, as a module path, and what follows it.
        let (base, after) = if let Some(r) = rest.strip_prefix("crate::") {
            (Vec::new(), r)
        } else if let Some(r) = rest.strip_prefix("podplay::") {
            (Vec::new(), r)
        } else if rest.starts_with("super::") {
            let mut base = module.to_vec();
            let mut r = rest;
            while let Some(next) = r.strip_prefix("super::") {
                base.pop();
                r = next;
            }
            (base, r)
        } else {
            i += 1;
            continue;
        };
        let mut path = base;
        let mut r = after;
        // Follow plain segments until a group or the end of the path.
        loop {
            let id = ident_at(r);
            if id.is_empty() {
                break;
            }
            path.push(id.to_string());
            r = &r[id.len()..];
            match r.strip_prefix("::") {
                Some(next) => r = next,
                None => break,
            }
            if path.len() >= depth {
                break;
            }
        }
        if path.len() >= under.len() && path.iter().zip(under).all(|(a, b)| a == b) {
            if path.len() >= depth {
                used.push(path[depth - 1].clone());
            } else if let Some(group) = r.strip_prefix('{') {
                // `crate::core::{api, json::x}`: each top-level item of the group.
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let id = ident_at(item.trim());
                    if !id.is_empty() {
                        used.push(id.to_string());
                    }
                }
            }
        }
        i += 1;
    }
    used.sort();
    used.dedup();
    used
}

const FRONT_ENDS: &[&str] =
    &["crate::ui", "crate::play", "crate::cli", "crate::exercise", "crate::lint", "crate::bundled", "crate::examples"];
const BROWSER_CRATES: &[&str] = &["yew::", "web_sys::", "js_sys::", "wasm_bindgen::"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every upward import in `src/`: (file, what it reaches, why that is not allowed).
fn violations() -> Vec<(String, String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut found = Vec::new();
    for path in files {
        let rel = path.strip_prefix(&root).expect("under the crate").to_string_lossy().replace('\\', "/");
        let layer = file_layer(&rel);
        if layer == Layer::Face {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(&path).expect("read file"));
        for m in core_modules_used(&code, &module_path(&rel)) {
            let to = core_layer(&m);
            if to > layer {
                found.push((rel.clone(), m, format!("{layer:?} must not use the {to:?} layer")));
            }
        }
        for f in FRONT_ENDS.iter().chain(BROWSER_CRATES) {
            if code.contains(f) {
                found.push((rel.clone(), f.to_string(), "src/core uses no front end".into()));
            }
        }
    }
    found
}

#[test]
fn no_layer_imports_one_above_it() {
    let found = violations();
    let new: Vec<String> = found
        .iter()
        .filter(|(file, m, _)| !KNOWN.contains(&(file.as_str(), m.as_str())))
        .map(|(file, m, why)| format!("{file} uses {m}: {why}"))
        .collect();
    assert!(new.is_empty(), "upward imports:\n{}", new.join("\n"));
    // A debt paid is taken off the list.
    for (file, m) in KNOWN {
        assert!(found.iter().any(|(f, fm, _)| f == file && fm == m), "{file} no longer uses {m}: remove it from KNOWN");
    }
}

/// Engine parts that still import each other: (part, part). None left.
const KNOWN_CYCLES: &[(&str, &str)] = &[];

/// No two parts of the engine import each other (`mod.rs`, the `Sim` that
/// every part extends, aside).
#[test]
fn no_two_engine_parts_import_each_other() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/core/engine"), &mut files);
    let mut edges = Vec::new();
    for path in files {
        let rel = path.strip_prefix(&root).expect("under the crate").to_string_lossy().replace('\\', "/");
        let module = module_path(&rel);
        let Some(part) = module.get(2).cloned() else { continue };
        let code = code_of(&std::fs::read_to_string(&path).expect("read file"));
        for used in modules_used(&code, &module, &["core", "engine"]) {
            if used != part {
                edges.push((part.clone(), used));
            }
        }
    }
    let cycles: Vec<String> = edges
        .iter()
        .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
        .filter(|(a, b)| !KNOWN_CYCLES.contains(&(a.as_str(), b.as_str())))
        .map(|(a, b)| format!("{a} <-> {b}"))
        .collect();
    assert!(cycles.is_empty(), "engine parts that import each other: {cycles:?}");
    assert!(edges.iter().any(|(a, b)| a == "kubelet" && b == "env"), "the check sees the engine's imports");
}

#[test]
fn the_check_sees_paths_in_each_form() {
    let engine = module_path("src/core/engine/controllers.rs");
    assert_eq!(engine, ["core", "engine", "controllers"]);
    let code = "use crate::core::{api::Pod, json};\nlet x = super::super::kubectl::row();\nuse super::kubelet::PodRt;";
    assert_eq!(core_modules_used(code, &engine), ["api", "engine", "json", "kubectl"]);
    assert_eq!(core_modules_used(&code_of("// crate::core::json::x\nlet a = 1;"), &engine), Vec::<String>::new());
    assert_eq!(file_layer("src/core/manifest/decode/apps.rs"), Layer::Model);
    assert_eq!(file_layer("src/core/kubectl.rs"), Layer::View);
}
