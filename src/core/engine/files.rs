//! The in-memory filesystem of a container's writable layer or of a volume:
//! files, explicit directories and the container's log (its last
//! [`MAX_LOG_LINES`] lines).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

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
    /// The last [`MAX_LOG_LINES`] lines logged (a ring: dropping the oldest
    /// line costs nothing however fast a process logs).
    pub log: VecDeque<String>,
}

impl Files {
    pub fn log(&mut self, line: &str) {
        if self.log.len() >= MAX_LOG_LINES {
            self.log.pop_front();
        }
        self.log.push_back(line.to_string());
    }
    /// `lines` logged `times` times over: only the ones the log keeps are
    /// written, so the log ends as that many [`Files::log`] calls leave it.
    pub fn log_repeated(&mut self, lines: &[String], times: usize) {
        let total = lines.len().saturating_mul(times);
        for i in total.saturating_sub(MAX_LOG_LINES)..total {
            self.log(&lines[i % lines.len()]);
        }
    }
    /// The names directly in the directory `dir`: files, and directories
    /// explicit or implied by a deeper path.
    pub(super) fn children(&self, dir: &str) -> BTreeSet<String> {
        let prefix = if dir == "/" { "/".to_string() } else { format!("{dir}/") };
        let keys = self.files.range(prefix.clone()..).map(|(k, _)| k).take_while(|k| k.starts_with(&prefix));
        let dirs = self.dirs.range(prefix.clone()..).take_while(|k| k.starts_with(&prefix));
        keys.chain(dirs)
            .filter_map(|k| k[prefix.len()..].split('/').next().filter(|s| !s.is_empty()).map(str::to_string))
            .collect()
    }

    pub(super) fn has_dir(&self, path: &str) -> bool {
        path.is_empty()
            || path == "/"
            || self.dirs.contains(path)
            || self.files.range(format!("{path}/")..).next().is_some_and(|(k, _)| k.starts_with(&format!("{path}/")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_repeated_leaves_the_log_as_that_many_log_calls() {
        let lines = vec!["sh: nslookp: not found".to_string(), "waiting".to_string(), "x".to_string()];
        for times in [0, 1, 7, 333, 334, 2_500] {
            let (mut fast, mut slow) = (Files::default(), Files::default());
            fast.log("before");
            slow.log("before");
            fast.log_repeated(&lines, times);
            for _ in 0..times {
                for l in &lines {
                    slow.log(l);
                }
            }
            assert_eq!(fast.log, slow.log, "{times} times");
            assert!(fast.log.len() <= MAX_LOG_LINES);
        }
    }
}
