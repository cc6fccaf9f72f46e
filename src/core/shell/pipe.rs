//! Pipelines (`a | b | …`) and standard input.
//!
//! As in ash (`evalpipe`), every stage of a pipeline is a child process;
//! each one's stdout is a pipe to the next one's stdin, and the pipeline's
//! status is its last stage's once all stages have exited. A stage writes to
//! [`Target::Pipe`], collected in its `pipe_out`; [`Process::pump`] moves
//! those bytes into the next stage's [`Stdin`], closes that stdin once the
//! writer has exited (end of file), and steps the readers that got something
//! new. A writer whose reader has exited dies of SIGPIPE (status 141) when it
//! next writes. A command that must wait for input ([`Outcome::NeedInput`]:
//! `read` before a whole line, `head` before its lines, `cat` before the end,
//! `tail` and `rev` before the end of file)
//! is run again once its stdin changes, so the stage blocks in the meantime.
//!
//! A container's own processes have no stdin (the kubelet gives none
//! without `stdin: true`): they read end of file at once, as from
//! `/dev/null`. Background jobs and subshells do too.

use super::builtins::Outcome;
use super::io::{Output, Target};
use super::parse::Code;
use super::run::{Job, Process};
use super::{Env, Step};
use crate::core::time::Millis;
use std::sync::Arc;

/// Bytes a stage's stdin holds at most; a writer's excess is dropped (a
/// real pipe would make it wait).
const MAX_STDIN_BYTES: usize = 1024 * 1024;
/// Rounds of moving bytes and stepping readers in one [`Process::pump`]; a
/// pipeline of N stages settles in N rounds.
const MAX_PUMP_ROUNDS: usize = 64;

/// A process's standard input.
#[derive(Clone, Debug)]
pub(super) struct Stdin {
    /// Bytes written and not yet read.
    buf: String,
    /// The writer has exited (or there is none): what is left is all.
    closed: bool,
    /// Counts every change, so a blocked reader knows when to try again.
    pub(super) version: u64,
}

impl Default for Stdin {
    /// No stdin: end of file at once.
    fn default() -> Stdin {
        Stdin { buf: String::new(), closed: true, version: 0 }
    }
}

impl Stdin {
    /// The read end of a pipe whose writer is running.
    fn pipe() -> Stdin {
        Stdin { buf: String::new(), closed: false, version: 0 }
    }

    /// How much is left and whether that is all: a pass of a loop that
    /// read something did not leave the process as it found it.
    pub(super) fn mark(&self) -> (usize, bool) {
        (self.buf.len(), self.closed)
    }

    fn push(&mut self, text: &str) {
        let room = MAX_STDIN_BYTES.saturating_sub(self.buf.len());
        let mut cut = text.len().min(room);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        self.buf.push_str(&text[..cut]);
        self.version += 1;
    }

    fn close(&mut self) {
        if !self.closed {
            self.closed = true;
            self.version += 1;
        }
    }

    /// The next line (without its newline), `Some(None)` at end of file, or
    /// `None` while a whole line has not arrived. A last line without a
    /// newline comes as `Err` (read returns it with status 1).
    pub(super) fn line(&mut self) -> Option<Result<String, Option<String>>> {
        if let Some(i) = self.buf.find('\n') {
            let line = self.buf[..i].to_string();
            self.buf.drain(..=i);
            return Some(Ok(line));
        }
        if !self.closed {
            return None;
        }
        let rest = std::mem::take(&mut self.buf);
        Some(Err((!rest.is_empty()).then_some(rest)))
    }

    /// Everything until end of file, or `None` while the writer runs.
    pub(super) fn all(&mut self) -> Option<String> {
        self.closed.then(|| std::mem::take(&mut self.buf))
    }

    /// What has arrived so far, and whether that is the end.
    pub(super) fn available(&mut self) -> (String, bool) {
        (std::mem::take(&mut self.buf), self.closed)
    }

    /// The first `n` lines once they have arrived (or the end of file has).
    pub(super) fn lines(&mut self, n: usize) -> Option<String> {
        let mut end = 0;
        for _ in 0..n {
            match self.buf[end..].find('\n') {
                Some(i) => end += i + 1,
                None if self.closed => return Some(std::mem::take(&mut self.buf)),
                None => return None,
            }
        }
        Some(self.buf.drain(..end).collect())
    }
}

impl Process {
    /// Starts `a | b | …`: one child per stage, left to right, each stdout
    /// but the last a pipe; returns the children's pids (none when one
    /// could not start).
    pub(super) fn start_pipeline(&mut self, stages: &[Arc<Code>], now: Millis, env: &mut dyn Env) -> Vec<u32> {
        self.reap_jobs();
        let mut pids: Vec<u32> = Vec::new();
        let last = stages.len().saturating_sub(1);
        for (i, code) in stages.iter().enumerate() {
            let mut fds = self.fds();
            if i < last {
                fds.stdout = Target::Pipe;
            }
            let stdin = if i == 0 { Stdin::default() } else { Stdin::pipe() };
            let Some(pid) = self.spawn_with(code.clone(), (fds, stdin), i < last, now, env) else {
                return Vec::new();
            };
            if let Some(&prev) = pids.last() {
                if let Some(job) = self.jobs.iter_mut().find(|j| j.pid == prev) {
                    job.pipe_to = Some(pid);
                }
            }
            pids.push(pid);
        }
        self.pump(now, env);
        pids
    }

    /// Moves what each stage wrote to the next one's stdin, closes a stdin
    /// whose writer has exited, kills a writer whose reader has exited
    /// (SIGPIPE), and steps the readers that got something, until nothing
    /// moves.
    pub(super) fn pump(&mut self, now: Millis, env: &mut dyn Env) {
        for _ in 0..MAX_PUMP_ROUNDS {
            let mut moved = false;
            for i in 0..self.jobs.len() {
                let Some(to) = self.jobs[i].pipe_to else { continue };
                let out = std::mem::take(&mut self.jobs[i].proc.pipe_out);
                let writer_done = matches!(self.jobs[i].state, Step::Exited(_));
                let Some(j) = self.jobs.iter().position(|x| x.pid == to) else { continue };
                if matches!(self.jobs[j].state, Step::Exited(_)) {
                    if !out.is_empty() && !writer_done {
                        self.jobs[i].state = self.jobs[i].proc.sigpipe();
                        moved = true;
                    }
                    continue;
                }
                let stdin = &mut self.jobs[j].proc.stdin;
                if !out.is_empty() {
                    stdin.push(&out);
                }
                if writer_done {
                    stdin.close();
                }
            }
            let mut jobs = std::mem::take(&mut self.jobs);
            for job in &mut jobs {
                if job.stdin_seen != job.proc.stdin.version && !matches!(job.state, Step::Exited(_)) {
                    job.stdin_seen = job.proc.stdin.version;
                    job.state = job.proc.step(now, env);
                    self.absorb(&mut job.proc, env, job.pipe_to.is_none());
                    moved = true;
                }
            }
            jobs.append(&mut self.jobs);
            self.jobs = jobs;
            if !moved {
                break;
            }
        }
    }

    /// The status of a pipeline whose stages are `pids` once all have
    /// exited: the last one's.
    pub(super) fn pipeline_result(&self, pids: &[u32]) -> Option<i32> {
        let mut status = 0;
        for pid in pids {
            match self.jobs.iter().find(|j| j.pid == *pid) {
                Some(Job { state: Step::Exited(c), .. }) => status = *c,
                Some(_) => return None,
                None => status = 127,
            }
        }
        Some(status)
    }

    /// `head [-n N | -N] [FILE…]`: the first N (10) lines of each file, or
    /// of stdin; with several files, each under `==> FILE <==` (BusyBox
    /// coreutils/head.c).
    pub(super) fn head(&mut self, args: &[String], env: &dyn Env, out: &mut Output) -> Outcome {
        let mut n = 10usize;
        let mut files = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            i += 1;
            let count = match a.as_str() {
                "-n" => {
                    i += 1;
                    args.get(i - 1).map(String::as_str)
                }
                s if s.starts_with("-n") => Some(&s[2..]),
                s if s.len() > 1 && s.starts_with('-') && s[1..].bytes().all(|b| b.is_ascii_digit()) => Some(&s[1..]),
                _ => {
                    files.push(a.clone());
                    continue;
                }
            };
            match count.and_then(|c| c.parse::<usize>().ok()) {
                Some(c) => n = c,
                None => {
                    out.error(&format!("head: invalid number '{}'", count.unwrap_or("")));
                    return Outcome::Done(1);
                }
            }
        }
        if files.is_empty() || files == ["-"] {
            return match self.stdin.lines(n) {
                Some(text) => {
                    out.print(&text);
                    Outcome::Done(0)
                }
                None => Outcome::NeedInput,
            };
        }
        let mut status = 0;
        let headers = files.len() > 1;
        for (k, f) in files.iter().enumerate() {
            let text = match env.read_file(&self.path(f)) {
                Some(t) => t,
                None => {
                    out.error(&format!("head: can't open '{f}': No such file or directory"));
                    status = 1;
                    continue;
                }
            };
            if headers {
                out.print(&format!("{}==> {f} <==\n", if k > 0 { "\n" } else { "" }));
            }
            let end = text.match_indices('\n').nth(n.wrapping_sub(1)).map_or(text.len(), |(i, _)| i + 1);
            out.print(if n == 0 { "" } else { &text[..end] });
        }
        Outcome::Done(status)
    }

    /// `read [-r] [NAME…]` (ash's `readcmd`): one line of stdin split on
    /// blanks, the last name taking the rest (`REPLY` without names);
    /// without `-r` a backslash keeps the next character as it is. At end of
    /// file the names are set from what there was and the status is 1. A bad
    /// name is an error ash raises (`ash_msg_and_raise_error`), which ends a
    /// non-interactive shell with status 2.
    pub(super) fn read_cmd(&mut self, args: &[String], out: &mut Output) -> Outcome {
        let raw = args.iter().any(|a| a == "-r");
        let mut names: Vec<&str> = args.iter().filter(|a| !a.starts_with('-')).map(String::as_str).collect();
        if let Some(bad) = names.iter().find(|n| !super::parse::is_name(n)) {
            out.error(&format!("sh: read: '{bad}': not a valid identifier"));
            return Outcome::Exit(2);
        }
        if names.is_empty() {
            names.push("REPLY");
        }
        let (line, status) = match self.stdin.line() {
            None => return Outcome::NeedInput,
            Some(Ok(line)) => (line, 0),
            Some(Err(rest)) => (rest.unwrap_or_default(), 1),
        };
        let line = if raw { line } else { unescape(&line) };
        let mut rest = line.trim_matches([' ', '\t']);
        for (k, name) in names.iter().enumerate() {
            let value = if k + 1 == names.len() {
                std::mem::take(&mut rest).to_string()
            } else {
                let (word, tail) = rest.split_once([' ', '\t']).unwrap_or((rest, ""));
                rest = tail.trim_start_matches([' ', '\t']);
                word.to_string()
            };
            self.set_var(name, value);
        }
        Outcome::Done(status)
    }

    /// `cat` of stdin: what has arrived is printed at once, and it goes on
    /// until end of file.
    pub(super) fn cat_stdin(&mut self, out: &mut Output) -> Outcome {
        let (text, done) = self.stdin.available();
        out.print(&text);
        if done {
            Outcome::Done(0)
        } else {
            Outcome::NeedInput
        }
    }
}

/// Backslashes removed, each keeping the character after it.
fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out
}
