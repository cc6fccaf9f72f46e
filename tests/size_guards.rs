//! Guards for the page's size (README "Measured"): code patterns that
//! each cost kilobytes of Wasm, found in size passes, must not come back.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_unicode_case_mapping_in_the_code() {
    // `str::to_lowercase`/`to_uppercase` link the standard library's Unicode
    // case tables: 8 KB gzipped of page each time one came back (the names
    // and keys podplay handles are validated ASCII; use the `_ascii_` forms).
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.contains(".to_lowercase()") || line.contains(".to_uppercase()") {
                found.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "use to_ascii_lowercase/to_ascii_uppercase:\n{}", found.join("\n"));
}
