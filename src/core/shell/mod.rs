//! A small, resumable interpreter for the `sh -c` subset that container
//! commands, exec probes and lifecycle hooks use.
//!
//! Nothing really runs in podplay: a container's behaviour is its
//! command/args, interpreted here in *virtual* time. [`parse_script`] and
//! [`from_argv`] turn text into a [`Script`] (checked for syntax and for
//! features podplay does not simulate); a [`Process`] runs it step by step,
//! blocking in virtual time ([`Step::SleepUntil`]) or indefinitely
//! ([`Step::Blocked`]) and reacting to signals ([`Process::sigterm`],
//! [`Process::sigkill`]). Everything outside the process (files, DNS, HTTP,
//! the image's own programs, logs) is reached through the [`Env`] trait.
//!
//! The code is pure: no clock, no IO, no randomness, and every loop is bounded
//! (script size, nesting depth, commands per [`Process::step`], output size).

mod arith;
mod builtins;
mod expand;
mod io;
mod options;
mod parse;
mod pipe;
mod run;
mod spin;
mod utils;
mod vars;

#[cfg(test)]
mod tests;

use crate::core::time::Millis;

pub use parse::{from_argv, parse_bash_script, parse_script, unsupported_commands, Script};
pub use run::{exec_probe, exec_probe_with_env, Process};

/// Longest script accepted by [`parse_script`], in bytes.
pub const MAX_SCRIPT_BYTES: usize = 64 * 1024;
/// Deepest nesting of compound commands and command substitutions.
pub const MAX_NESTING: usize = 32;
/// Commands run by one [`Process::step`] call before the process is treated as
/// spinning on the CPU and virtual time is let advance.
pub const MAX_COMMANDS_PER_STEP: u32 = 10_000;
/// Virtual time a CPU-spinning process gives up after its command budget.
pub const SPIN_MS: Millis = 1_000;
/// Largest output (stdout or stderr) one command may produce, in bytes.
pub const MAX_OUTPUT_BYTES: usize = 64 * 1024;

/// What kind of problem a [`ShellError`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShellErrorKind {
    /// The text is not valid `sh` (busybox wording: `sh: syntax error: …`).
    Syntax,
    /// Valid `sh` that podplay does not simulate (`podplay does not simulate …`).
    Unsupported,
    /// The script exceeds a size or nesting bound.
    TooLarge,
}

/// A script podplay cannot run, with a message fit to show the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellError {
    /// The category of the problem.
    pub kind: ShellErrorKind,
    /// The message, e.g. `sh: syntax error: unexpected "done"` or
    /// ``podplay does not simulate `awk` ``.
    pub message: String,
}

impl ShellError {
    pub(crate) fn syntax(what: impl Into<String>) -> ShellError {
        ShellError { kind: ShellErrorKind::Syntax, message: format!("sh: syntax error: {}", what.into()) }
    }
    pub(crate) fn unsupported(what: impl AsRef<str>) -> ShellError {
        ShellError { kind: ShellErrorKind::Unsupported, message: unsupported_message(what.as_ref()) }
    }
    pub(crate) fn unsupported_note(what: impl AsRef<str>, note: &str) -> ShellError {
        ShellError {
            kind: ShellErrorKind::Unsupported,
            message: format!("{} ({note})", unsupported_message(what.as_ref())),
        }
    }
    pub(crate) fn too_large(message: impl Into<String>) -> ShellError {
        ShellError { kind: ShellErrorKind::TooLarge, message: message.into() }
    }
}

/// The one wording used for anything outside the simulated subset.
pub(crate) fn unsupported_message(what: &str) -> String {
    format!("podplay does not simulate `{what}`")
}

impl std::fmt::Display for ShellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ShellError {}

/// What a process does next, as returned by [`Process::step`] and the signal
/// methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Blocked until this absolute virtual time (e.g. in `sleep`); call
    /// [`Process::step`] again then.
    SleepUntil(Millis),
    /// Blocked with no wake-up of its own (`sleep infinity`, `tail -f`, a
    /// server program, `wait` on such a job): only a signal or a change in the
    /// environment ends it.
    Blocked,
    /// The process exited with this code.
    Exited(i32),
}

/// The world a process runs in: the container's filesystem, network, logs and
/// the image's own programs. Paths given are absolute.
pub trait Env {
    /// Does anything exist at `path`?
    fn file_exists(&self, path: &str) -> bool;
    /// Is `path` a directory?
    fn is_dir(&self, path: &str) -> bool;
    /// The contents of the regular file at `path`.
    fn read_file(&self, path: &str) -> Option<String>;
    /// The names in the directory `path` (files, directories, mount
    /// points), sorted; empty when it is not a directory.
    fn list_dir(&self, path: &str) -> Vec<String>;
    /// Writes (or appends to) a file; `Err(message)` e.g. for a read-only
    /// filesystem or a missing directory.
    fn write_file(&mut self, path: &str, data: &str, append: bool) -> Result<(), String>;
    /// Removes a file (or a directory tree when `recursive`); false if nothing
    /// was removed.
    fn remove(&mut self, path: &str, recursive: bool) -> bool;
    /// Creates a directory (and its parents when `parents`).
    fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), String>;
    /// One line of the container's output (stdout and stderr interleave, as in
    /// `kubectl logs`).
    fn log(&mut self, line: &str);
    /// `lines`, `times` times over, as that many calls of [`Env::log`] would
    /// log them (a spinning loop fast-forwarded); a log that keeps only its
    /// last lines need not write the others.
    fn log_repeated(&mut self, lines: &[String], times: usize) {
        for _ in 0..times {
            for line in lines {
                self.log(line);
            }
        }
    }
    /// The container's hostname (the Pod name unless `spec.hostname`).
    fn hostname(&self) -> String;
    /// DNS as seen from the Pod: Services, Pods, `localhost`.
    fn resolve(&mut self, name: &str) -> Option<std::net::Ipv4Addr>;
    /// A name as the C library's resolver (`getaddrinfo`, used by `wget`,
    /// `curl`, `hostname -i`) finds it: `/etc/hosts` first, then DNS.
    fn lookup(&mut self, name: &str) -> Option<std::net::Ipv4Addr> {
        hosts_file_lookup(self.read_file("/etc/hosts").as_deref().unwrap_or(""), name).or_else(|| self.resolve(name))
    }
    /// An HTTP GET of `url` (scheme included) giving up after `timeout_ms`.
    fn http_get(&mut self, url: &str, timeout_ms: Millis) -> HttpOutcome;
    /// Whether the container's image has the tool `name` (a name or a
    /// path), for the network tools the shell runs itself (`wget`, `curl`,
    /// `nslookup`) but only where the image has them; true when unknown.
    fn has_tool(&self, name: &str) -> bool;
    /// A command that is not a shell builtin/utility: an image's own program
    /// (nginx, redis-server, agnhost, stress…), decided by the image catalogue.
    fn program(&mut self, argv: &[String], now: Millis) -> Program;
    /// `kill`/`killall`/`pkill` of a process named `name` (or a pid in
    /// decimal) in the container; signal 0 only asks whether it exists.
    fn signal_process(&mut self, name: &str, signal: i32) -> bool;
}

/// The IPv4 address `/etc/hosts` text gives `name` (glibc's files
/// backend: the first line naming it, case-insensitively; `#` starts a
/// comment).
fn hosts_file_lookup(hosts: &str, name: &str) -> Option<std::net::Ipv4Addr> {
    hosts.lines().find_map(|line| {
        let mut fields = line.split('#').next().unwrap_or("").split_whitespace();
        let ip = fields.next()?.parse().ok()?;
        fields.any(|n| n.eq_ignore_ascii_case(name)).then_some(ip)
    })
}

/// The result of [`Env::http_get`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpOutcome {
    /// A response: status code and body.
    Status(u16, String),
    /// Nothing listens on the port.
    Refused,
    /// No answer within the timeout.
    Timeout,
    /// The host name does not resolve.
    NoHost,
}

/// How an image program behaves, as decided by [`Env::program`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Program {
    /// Not a program of this image: the script fails with `sh: awk: not
    /// found`, exit 127, and [`Process::unsupported`] records
    /// ``podplay does not simulate `awk` ``.
    Unknown,
    /// The image has no program of that name: ash's `sh: nslookp: not
    /// found` on stderr, exit 127, as for [`Program::Unknown`], but
    /// simulated faithfully (nothing to note), and nothing ran: a loop that
    /// only meets this is still a loop that only read the world (spin.rs).
    NotFound,
    /// Runs for a while, prints `output` (lines of stdout) and exits.
    Exits {
        /// Virtual run time.
        after_ms: Millis,
        /// Exit code.
        code: i32,
        /// Lines printed when it starts.
        output: Vec<String>,
    },
    /// A long-running program (a server): blocks until signalled.
    Runs {
        /// What SIGTERM does to it when it receives one.
        term: TermBehaviour,
    },
}

/// What a long-running program does on SIGTERM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermBehaviour {
    /// It shuts down and exits with `code` after `after_ms`.
    Exit {
        /// Virtual shutdown time.
        after_ms: Millis,
        /// Exit code.
        code: i32,
    },
    /// It ignores SIGTERM (only SIGKILL ends it).
    Ignore,
}

/// The result of [`exec_probe`]: a short command run to completion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecProbeResult {
    /// The command's exit code (124 when it timed out, as coreutils `timeout`).
    pub exit_code: i32,
    /// Its stdout and stderr, interleaved.
    pub output: String,
    /// Virtual time it took (the timeout when it timed out).
    pub duration_ms: Millis,
    /// It did not finish within the timeout.
    pub timed_out: bool,
}
