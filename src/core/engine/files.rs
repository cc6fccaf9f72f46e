//! The in-memory filesystem of a container's writable layer or of a volume:
//! files, explicit directories and the container's log.

use std::collections::{BTreeMap, BTreeSet};

/// At most this many files in one container or volume, and bytes per file.
pub const MAX_FILES: usize = 10_000;
pub const MAX_FILE_BYTES: usize = 64 * 1024;
/// Log lines kept per container.
pub const MAX_LOG_LINES: usize = 1_000;

/// An in-memory filesystem: files and explicit directories.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Files {
    pub files: BTreeMap<String, String>,
    pub dirs: BTreeSet<String>,
    pub log: Vec<String>,
}

impl Files {
    pub fn log(&mut self, line: &str) {
        if self.log.len() >= MAX_LOG_LINES {
            self.log.remove(0);
        }
        self.log.push(line.to_string());
    }
    pub(super) fn has_dir(&self, path: &str) -> bool {
        path.is_empty()
            || path == "/"
            || self.dirs.contains(path)
            || self.files.range(format!("{path}/")..).next().is_some_and(|(k, _)| k.starts_with(&format!("{path}/")))
    }
}
