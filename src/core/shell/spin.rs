//! Fast-forwarding a loop that spins without progress, so a busy loop costs
//! little real time while simulating exactly what it did before.
//!
//! A script such as `until nslookp db; do echo waiting; done` (a misspelled
//! tool, no `sleep`) runs [`MAX_COMMANDS_PER_STEP`] commands per
//! [`super::Process::step`], then burns [`super::SPIN_MS`] of virtual time:
//! ten simulated minutes were 1.5 million iterations, each logging its
//! lines. Yet once one iteration ends in the state it started from, having
//! only read the world and written to the log, every later iteration in the
//! same step (same virtual instant, so the same world) does the same ops
//! and logs the same lines. [`Spin`] sees this at a loop's back edge
//! (comparing the process state with that at the previous pass, [`Mark`]),
//! and instead of running the remaining iterations the budget allows it logs
//! their lines at once ([`Env::log_repeated`]) and charges their ops to the
//! budget. The trace is the same op for op, line for line; only the work of
//! getting there shrinks.
//!
//! An iteration counts as having only read the world when [`Watch`], the
//! [`Env`] it ran with, saw no call that may change anything: writes,
//! removals, HTTP requests, signals, or an image program that ran (`sh:
//! NAME: not found` is a read). Background jobs, captured output (`$(…)`,
//! exec probes) and the state's `for` loops are handled conservatively (no
//! fast-forward, or compared by identity).

use super::run::{Frame, FrameKind, Process};
use super::vars::Arrays;
use super::{Env, HttpOutcome, Program, MAX_COMMANDS_PER_STEP};
use crate::core::time::Millis;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

/// Back edges passed in one step before [`Spin`] starts comparing states: a
/// loop that sleeps passes one or two per step and never pays for a [`Mark`].
const ARM_AFTER: u32 = 8;

/// The [`Env`] an op runs with while a loop is watched: it forwards every
/// call, notes whether any may have changed the world, and records the log
/// lines.
pub(super) struct Watch<'a, 'b> {
    inner: &'a mut dyn Env,
    impure: bool,
    lines: Option<&'b mut Vec<String>>,
}

impl<'a, 'b> Watch<'a, 'b> {
    pub(super) fn new(inner: &'a mut dyn Env, lines: Option<&'b mut Vec<String>>) -> Watch<'a, 'b> {
        Watch { inner, impure: false, lines }
    }

    /// Did the op make a call that may have changed the world?
    pub(super) fn impure(&self) -> bool {
        self.impure
    }
}

impl Env for Watch<'_, '_> {
    fn file_exists(&self, path: &str) -> bool {
        self.inner.file_exists(path)
    }
    fn is_dir(&self, path: &str) -> bool {
        self.inner.is_dir(path)
    }
    fn read_file(&self, path: &str) -> Option<String> {
        self.inner.read_file(path)
    }
    fn list_dir(&self, path: &str) -> Vec<String> {
        self.inner.list_dir(path)
    }
    fn write_file(&mut self, path: &str, data: &str, append: bool) -> Result<(), String> {
        self.impure = true;
        self.inner.write_file(path, data, append)
    }
    fn remove(&mut self, path: &str, recursive: bool) -> bool {
        self.impure = true;
        self.inner.remove(path, recursive)
    }
    fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), String> {
        self.impure = true;
        self.inner.mkdir(path, parents)
    }
    fn log(&mut self, line: &str) {
        if let Some(lines) = self.lines.as_mut() {
            lines.push(line.to_string());
        }
        self.inner.log(line);
    }
    fn log_repeated(&mut self, lines: &[String], times: usize) {
        // A nested process fast-forwarded: too many lines to record.
        self.impure = true;
        self.inner.log_repeated(lines, times);
    }
    fn hostname(&self) -> String {
        self.inner.hostname()
    }
    fn has_tool(&self, name: &str) -> bool {
        self.inner.has_tool(name)
    }
    fn resolve(&mut self, name: &str) -> Option<Ipv4Addr> {
        self.inner.resolve(name)
    }
    fn lookup(&mut self, name: &str) -> Option<Ipv4Addr> {
        self.inner.lookup(name)
    }
    fn http_get(&mut self, url: &str, timeout_ms: Millis) -> HttpOutcome {
        self.impure = true;
        self.inner.http_get(url, timeout_ms)
    }
    fn program(&mut self, argv: &[String], now: Millis) -> Program {
        let p = self.inner.program(argv, now);
        if !matches!(p, Program::Unknown | Program::NotFound) {
            self.impure = true;
        }
        p
    }
    fn signal_process(&mut self, name: &str, signal: i32) -> bool {
        self.impure = true;
        self.inner.signal_process(name, signal)
    }
}

/// One frame's position: its code (by address), op, `for` loops (items by
/// address, count and the next index: the items of a running loop never
/// change), redirections and kind.
#[derive(PartialEq)]
struct FrameMark {
    code: usize,
    pc: usize,
    fors: Vec<(usize, usize, usize)>,
    redirs: Vec<super::io::Fds>,
    kind: FrameKind,
}

impl FrameMark {
    fn of(f: &Frame) -> FrameMark {
        FrameMark {
            code: std::sync::Arc::as_ptr(&f.code) as usize,
            pc: f.pc,
            fors: f.fors.iter().map(|(items, i)| (items.as_ptr() as usize, items.len(), *i)).collect(),
            redirs: f.redirs.clone(),
            kind: f.kind,
        }
    }
}

/// Everything the rest of a step depends on, besides the world: two equal
/// marks at the same back edge run the same ops from there.
#[derive(PartialEq)]
struct Mark {
    frames: Vec<FrameMark>,
    vars: BTreeMap<String, String>,
    arrays: Arrays,
    unset_from_env: BTreeSet<String>,
    exported: BTreeSet<String>,
    params: Vec<String>,
    status: i32,
    traps: super::run::Traps,
    cwd: String,
    partial_line: String,
    unsupported: usize,
    errexit: bool,
    xtrace: bool,
    next_pid: u32,
    last_bg: Option<u32>,
    exiting: Option<i32>,
    stdin: (usize, bool),
    pipe_out: usize,
}

impl Mark {
    fn of(p: &Process) -> Mark {
        Mark {
            frames: p.frames.iter().map(FrameMark::of).collect(),
            vars: p.vars.clone(),
            arrays: p.arrays.clone(),
            unset_from_env: p.unset_from_env.clone(),
            exported: p.exported.clone(),
            params: p.params.clone(),
            status: p.status,
            traps: p.traps.clone(),
            cwd: p.cwd.clone(),
            partial_line: p.partial_line.clone(),
            unsupported: p.unsupported.len(),
            errexit: p.errexit,
            xtrace: p.xtrace,
            next_pid: p.next_pid,
            last_bg: p.last_bg,
            exiting: p.exiting,
            stdin: p.stdin.mark(),
            pipe_out: p.pipe_out.len(),
        }
    }
}

/// The watch over one [`Process::run`] call: the last back edge's state and
/// budget, and what ran since.
#[derive(Default)]
pub(super) struct Spin {
    back_edges: u32,
    prev: Option<(Mark, u32)>,
    lines: Vec<String>,
    impure: bool,
}

impl Spin {
    /// Where the running op's log lines go, while a pass is being watched.
    pub(super) fn lines(&mut self) -> Option<&mut Vec<String>> {
        self.prev.as_ref()?;
        Some(&mut self.lines)
    }

    /// Notes what the op that ran with a [`Watch`] did.
    pub(super) fn note(&mut self, impure: bool) {
        self.impure |= impure;
    }

    /// At a back edge with `budget` ops left (this jump paid): when the pass
    /// since the last back edge changed nothing but the log, runs the
    /// remaining whole passes at once and returns the budget they leave.
    pub(super) fn back_edge(&mut self, p: &Process, budget: u32, env: &mut dyn Env) -> u32 {
        self.back_edges = self.back_edges.saturating_add(1);
        if self.back_edges < ARM_AFTER || p.capture.is_some() || p.subst_depth > 0 || !p.jobs.is_empty() {
            self.prev = None;
            return budget;
        }
        let mark = Mark::of(p);
        let mut budget = budget;
        if let Some((prev, prev_budget)) = self.prev.take() {
            let per_pass = prev_budget.saturating_sub(budget);
            if !self.impure && per_pass > 0 && prev == mark {
                let passes = budget / per_pass;
                if passes > 0 && !self.lines.is_empty() {
                    env.log_repeated(&self.lines, passes as usize);
                }
                budget -= passes * per_pass;
            }
        }
        debug_assert!(budget <= MAX_COMMANDS_PER_STEP);
        self.prev = Some((mark, budget));
        self.lines.clear();
        self.impure = false;
        budget
    }
}
