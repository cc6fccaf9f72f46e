//! A container's termination message: what the kubelet puts in
//! `state.terminated.message` when the container exits, from the file at
//! `terminationMessagePath` or, under `FallbackToLogsOnError`, from the end
//! of its log.
//!
//! Follows pkg/kubelet/kuberuntime/kuberuntime_container.go: on exit
//! (`toKubeContainerStatus`) `getTerminationMessage` reads at most the last
//! `MaxContainerTerminationMessageLength` (4 KiB) of the file
//! (`tail.ReadAtMost`); when the policy is `FallbackToLogsOnError`, the exit
//! code is not 0 and the file is missing or empty,
//! `readLastStringFromContainerLogs` takes the last
//! `MaxContainerTerminationMessageLogLines` (80) lines of the log, of which
//! a circular buffer keeps the last `MaxContainerTerminationMessageLogLength`
//! (2048) bytes. The kubelet creates the file empty before the container
//! starts (`makeMounts`), so a container that never writes it has an empty
//! file there.

use super::env::ContainerEnv;
use super::Sim;
use crate::core::shell::Env;

/// `MaxContainerTerminationMessageLength` (pkg/kubelet/container/runtime.go).
const MAX_MESSAGE_BYTES: usize = 4 * 1024;
/// `MaxContainerTerminationMessageLogLines`.
const MAX_LOG_LINES: usize = 80;
/// `MaxContainerTerminationMessageLogLength`.
const MAX_LOG_BYTES: usize = 2048;

/// The message for container `c` of the Pod in `slot`, exiting with `code`:
/// `None` when there is none (the field is then left out).
pub(super) fn message(sim: &mut Sim, slot: u32, c: usize, code: i32) -> Option<String> {
    let p = sim.pod_rt(slot)?;
    let spec = p.spec_of(c);
    let fallback = spec.termination_message_policy == "FallbackToLogsOnError" && code != 0;
    let path = spec.termination_message_path.clone();
    let file = if path.is_empty() { None } else { ContainerEnv::new(sim, slot, c).read_file(&path) };
    let text = match file {
        Some(data) if !data.is_empty() || !fallback => last_bytes(&data, MAX_MESSAGE_BYTES),
        _ if fallback => {
            let p = sim.pod_rt(slot)?;
            let log = &p.cs[c].files.log;
            let mut tail = String::new();
            for line in log.iter().skip(log.len().saturating_sub(MAX_LOG_LINES)) {
                tail.push_str(line);
                tail.push('\n');
            }
            last_bytes(&tail, MAX_LOG_BYTES)
        }
        _ => String::new(),
    };
    (!text.is_empty()).then_some(text)
}

/// The last `max` bytes of `text`. A character cut at the start leaves
/// bytes that are not UTF-8, each of which the API server's JSON encoding
/// turns into U+FFFD.
fn last_bytes(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let start = text.len() - max;
    let mut keep = start;
    while !text.is_char_boundary(keep) {
        keep += 1;
    }
    let mut out = "\u{FFFD}".repeat(keep - start);
    out.push_str(&text[keep..]);
    out
}

/// The file the kubelet creates empty at `terminationMessagePath` before the
/// container starts, as (path, contents); `None` when the path is empty.
pub(super) fn empty_file(path: &str) -> Option<(String, String)> {
    (!path.is_empty()).then(|| (path.to_string(), String::new()))
}

#[cfg(test)]
mod tests {
    use super::last_bytes;

    #[test]
    fn last_bytes_keeps_the_end_and_marks_a_cut_character() {
        assert_eq!(last_bytes("hello", 10), "hello");
        assert_eq!(last_bytes("hello", 3), "llo");
        // "é" is two bytes: keeping one of them leaves one invalid byte.
        assert_eq!(last_bytes("aé!", 2), "\u{FFFD}!");
    }
}
