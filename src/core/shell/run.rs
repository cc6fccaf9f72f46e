//! The resumable interpreter: a [`Process`] is a program counter over a
//! script's compiled [`Code`] (flat [`Op`]s with jumps), advanced in virtual
//! time.
//!
//! This room owns the control state: the stack of [`Frame`]s (the script, a
//! running trap handler, the EXIT trap), what the process waits for
//! ([`Pending`]: a sleep, a server program, `wait`, `tail -f`, a CPU spin
//! after [`MAX_COMMANDS_PER_STEP`], a foreground pipeline, input on stdin),
//! the exit status and `set -e`, traps and signals, and background jobs,
//! subshells and pipeline stages (child processes stepped alongside; the
//! pipes between stages are [`super::pipe`]'s). Each op runs under
//! [`super::spin`]'s watch, which fast-forwards a loop that makes no
//! progress. It runs one simple command the way ash's `evalcommand` does:
//! expand the words and assignments ([`super::expand`], [`super::vars`]),
//! open the redirections ([`super::io`]), trace it under `set -x`, honour
//! `exec`, then hand it to [`super::builtins`]. [`exec_probe`] runs a
//! short command (an exec probe or hook) to completion.
//!
//! Signals follow a shell run as a container's PID 1 (busybox `sh`, bash): no
//! default action for SIGTERM without a handler, a `trap … TERM` handler runs
//! once the foreground command finishes (at once during `wait`), and a
//! program that replaced the shell reacts with its own [`TermBehaviour`].

use super::builtins::Outcome;
use super::io::{Fds, Output, Target, DEFAULT_FDS};
use super::parse::{parse_at, Code, Op, Script, Simple};
use super::pipe::Stdin;
use super::spin::{Spin, Watch};
use super::vars::{Arrays, Assigned};
use super::{unsupported_message, Env, ExecProbeResult, Step, TermBehaviour, MAX_COMMANDS_PER_STEP, SPIN_MS};
use crate::core::time::Millis;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Most background jobs one process keeps.
const MAX_JOBS: usize = 32;
/// Deepest stack of running trap handlers.
const MAX_FRAMES: usize = 8;
/// Most items a `for` loop or `seq` produces.
pub(super) const MAX_ITEMS: usize = 100_000;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum FrameKind {
    /// The script (or a job's or subshell's code): its end exits.
    Main,
    /// A trap handler: its end gives back the status it interrupted.
    Trap { saved_status: i32 },
    /// The EXIT trap: its end exits with the status the shell was leaving
    /// with.
    ExitTrap,
}

/// A program counter over one piece of code, with its loop and redirection
/// state.
#[derive(Clone, Debug)]
pub(super) struct Frame {
    pub(super) code: Arc<Code>,
    /// The next op of `code`.
    pub(super) pc: usize,
    /// The `for` loops running, innermost last: their items and the next
    /// one's index.
    pub(super) fors: Vec<(Vec<String>, usize)>,
    /// The redirections of the compound commands running, innermost last.
    pub(super) redirs: Vec<Fds>,
    pub(super) kind: FrameKind,
}

impl Frame {
    pub(super) fn new(code: Arc<Code>, kind: FrameKind) -> Frame {
        Frame { code, pc: 0, fors: Vec::new(), redirs: Vec::new(), kind }
    }
}

/// What happens once the current command completes.
#[derive(Clone, Copy, Debug)]
struct After {
    /// `set -e` applies.
    checked: bool,
    /// The command replaced the shell (`exec`): the process ends with it.
    exec: bool,
}

#[derive(Clone, Debug)]
enum Pending {
    None,
    /// A command completes at `at` with `status`.
    Until {
        at: Millis,
        status: i32,
        after: After,
    },
    /// A command that only a signal ends; `term` for an image program.
    Forever {
        term: Option<TermBehaviour>,
        after: After,
    },
    /// `wait [pid]`, or a foreground subshell (which a trapped signal does
    /// not interrupt).
    Wait {
        pid: Option<u32>,
        after: After,
        foreground: bool,
    },
    /// Output of command budget: burning CPU until `at`.
    Spin {
        at: Millis,
    },
    /// A command waits for its stdin to change from `seen` (it is run
    /// again then).
    Stdin {
        seen: u64,
    },
    /// A foreground pipeline: done once all its stages have exited.
    Pipeline {
        pids: Vec<u32>,
        after: After,
    },
    /// `tail -f`: the files and how much of each was printed, read again
    /// at `next` (BusyBox `tail -f` sleeps 1 s between reads, `-s SECONDS`).
    Follow {
        files: Vec<(String, usize)>,
        to: Target,
        next: Millis,
        after: After,
    },
}

/// BusyBox `tail -f`'s default pause between reads (coreutils/tail.c, `-s`).
const FOLLOW_POLL_MS: Millis = 1000;

#[derive(Debug)]
pub(super) struct Job {
    pub(super) pid: u32,
    pub(super) proc: Process,
    pub(super) state: Step,
    /// A pipeline stage: the pid of the stage its stdout feeds.
    pub(super) pipe_to: Option<u32>,
    /// The version of its stdin it was last stepped with.
    pub(super) stdin_seen: u64,
}

/// Trap actions by signal number, in signal order (a few entries: a sorted
/// `Vec` rather than one more `BTreeMap` type compiled into the page).
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Traps(pub(super) Vec<(i32, String)>);

impl Traps {
    pub(super) fn get(&self, sig: &i32) -> Option<&String> {
        self.0.iter().find(|(s, _)| s == sig).map(|(_, a)| a)
    }

    pub(super) fn insert(&mut self, sig: i32, action: String) {
        match self.0.binary_search_by_key(&sig, |(s, _)| *s) {
            Ok(i) => self.0[i].1 = action,
            Err(i) => self.0.insert(i, (sig, action)),
        }
    }

    pub(super) fn remove(&mut self, sig: &i32) -> Option<String> {
        let i = self.0.iter().position(|(s, _)| s == sig)?;
        Some(self.0.remove(i).1)
    }

    pub(super) fn clear(&mut self) {
        self.0.clear();
    }
}

/// One running script: a program counter over the compiled script, its
/// variables, traps, exit status, background jobs and PID-1 flag.
#[derive(Debug)]
pub struct Process {
    pub(super) frames: Vec<Frame>,
    /// The environment the process started with (all exported), shared
    /// between the containers that have the same one and with subshells: a
    /// Pod can get hundreds of Service variables.
    pub(super) env: Arc<BTreeMap<String, String>>,
    /// Variables set since, over `env`.
    pub(super) vars: BTreeMap<String, String>,
    /// bash indexed arrays (a name is in `vars` or here, not both).
    pub(super) arrays: Arrays,
    /// Run by bash: arrays, and `unset 'a[i]'`.
    pub(super) bash: bool,
    /// Names of `env` that were `unset` (and not set again).
    pub(super) unset_from_env: BTreeSet<String>,
    /// Names exported besides `env`'s.
    pub(super) exported: BTreeSet<String>,
    pub(super) params: Vec<String>,
    pub(super) arg0: String,
    pub(super) status: i32,
    pub(super) traps: Traps,
    pending: Pending,
    term_pending: bool,
    pub(super) exiting: Option<i32>,
    exited: Option<i32>,
    pub(super) pid1: bool,
    pub(super) errexit: bool,
    pub(super) xtrace: bool,
    pub(super) jobs: Vec<Job>,
    pub(super) next_pid: u32,
    pub(super) last_bg: Option<u32>,
    pub(super) cwd: String,
    pub(super) unsupported: Vec<String>,
    pub(super) capture: Option<String>,
    pub(super) subst_depth: usize,
    pub(super) subst_status: Option<i32>,
    pub(super) temp_env: Vec<(String, String)>,
    /// Log output not yet ended by a newline.
    pub(super) partial_line: String,
    /// Bytes expanded for the current command (bounded by
    /// [`MAX_EXPANSION_BYTES`]).
    pub(super) expanded_bytes: usize,
    /// Standard input (a pipeline stage's pipe; else none).
    pub(super) stdin: Stdin,
    /// What this process wrote to its stdout pipe, not yet passed on.
    pub(super) pipe_out: String,
}

impl Process {
    /// A process for `script` with the container's environment variables.
    /// It starts as PID 1 (a container's main process); see
    /// [`Process::set_pid1`].
    pub fn new(script: Arc<Script>, env_vars: Vec<(String, String)>) -> Process {
        let mut env = BTreeMap::new();
        for (k, v) in env_vars {
            env.insert(k, v);
        }
        Process::with_env(script, Arc::new(env), Vec::new())
    }

    /// A process with a shared environment and a few variables of its own
    /// over it (exported too, e.g. `HOSTNAME`).
    pub fn with_env(script: Arc<Script>, env: Arc<BTreeMap<String, String>>, own: Vec<(String, String)>) -> Process {
        let exported = crate::core::sort::collect_set(own.iter().map(|(k, _)| k.clone()));
        let vars = crate::core::sort::collect_map(own);
        let cwd = vars
            .get("PWD")
            .or_else(|| env.get("PWD"))
            .cloned()
            .filter(|p| p.starts_with('/'))
            .unwrap_or_else(|| "/".to_string());
        Process {
            frames: vec![Frame::new(script.code.clone(), FrameKind::Main)],
            env,
            vars,
            arrays: Arrays::default(),
            bash: script.bash,
            unset_from_env: BTreeSet::new(),
            exported,
            params: script.params.clone(),
            arg0: script.name.clone(),
            status: 0,
            traps: Traps::default(),
            pending: Pending::None,
            term_pending: false,
            exiting: None,
            exited: None,
            pid1: true,
            errexit: script.errexit,
            xtrace: script.xtrace,
            jobs: Vec::new(),
            next_pid: 100,
            last_bg: None,
            cwd,
            unsupported: Vec::new(),
            capture: None,
            subst_depth: 0,
            subst_status: None,
            temp_env: Vec::new(),
            partial_line: String::new(),
            expanded_bytes: 0,
            stdin: Stdin::default(),
            pipe_out: String::new(),
        }
    }

    /// Is this the container's PID 1 (no default signal actions)?
    pub fn is_pid1(&self) -> bool {
        self.pid1
    }

    /// Marks the process as PID 1 or not (e.g. with `shareProcessNamespace`).
    pub fn set_pid1(&mut self, yes: bool) {
        self.pid1 = yes;
    }

    /// Messages (``podplay does not simulate `awk` ``) for things this process
    /// met at run time that podplay does not simulate.
    pub fn unsupported(&self) -> &[String] {
        &self.unsupported
    }

    /// The exit code, once exited.
    pub fn exit_code(&self) -> Option<i32> {
        self.exited
    }

    /// Run until the process blocks in time or exits. `now` is virtual ms;
    /// calling early (before the time of a previous [`Step::SleepUntil`]) is
    /// harmless.
    pub fn step(&mut self, now: Millis, env: &mut dyn Env) -> Step {
        if let Some(c) = self.exited {
            return Step::Exited(c);
        }
        self.step_jobs(now, env);
        let main = self.run(now, env);
        if matches!(main, Step::Exited(_)) && !self.partial_line.is_empty() {
            env.log(&std::mem::take(&mut self.partial_line));
        }
        self.combine(main)
    }

    /// SIGTERM arrives at `now`. A process running as PID 1 with no handler
    /// ignores it; otherwise without a handler it dies with 143. A `trap … TERM`
    /// handler runs after the current foreground command finishes (at once
    /// during `wait`). A program that replaced the shell (a direct command,
    /// `exec`, or `sh -c` with a single command) reacts with its own
    /// [`TermBehaviour`].
    pub fn sigterm(&mut self, now: Millis, env: &mut dyn Env) -> Step {
        if let Some(c) = self.exited {
            return Step::Exited(c);
        }
        let execd = match &self.pending {
            Pending::Until { after, .. }
            | Pending::Forever { after, .. }
            | Pending::Follow { after, .. }
            | Pending::Wait { after, .. } => after.exec,
            _ => false,
        };
        if execd {
            match self.pending.clone() {
                Pending::Forever { term: Some(TermBehaviour::Exit { after_ms, code }), after } => {
                    self.pending = Pending::Until { at: now.saturating_add(after_ms), status: code, after };
                }
                Pending::Forever { term: Some(TermBehaviour::Ignore), .. } => {}
                _ if self.pid1 => {}
                _ => self.die(143),
            }
            return self.step(now, env);
        }
        match self.traps.get(&15).map(String::as_str) {
            Some("") => {}
            Some(_) => {
                self.term_pending = true;
                match self.pending {
                    Pending::Wait { foreground: false, .. } => {
                        self.status = 143;
                        self.pending = Pending::None;
                    }
                    Pending::Spin { .. } => self.pending = Pending::None,
                    _ => {}
                }
            }
            None if self.pid1 => {}
            None => self.die(143),
        }
        self.step(now, env)
    }

    /// SIGKILL: always exit 137.
    pub fn sigkill(&mut self) -> Step {
        if let Some(c) = self.exited {
            return Step::Exited(c);
        }
        self.die(137);
        Step::Exited(137)
    }

    /// SIGPIPE: written to a pipe nobody reads; exit 141.
    pub(super) fn sigpipe(&mut self) -> Step {
        if let Some(c) = self.exited {
            return Step::Exited(c);
        }
        self.die(141);
        Step::Exited(141)
    }

    fn die(&mut self, code: i32) {
        self.exited = Some(code);
        self.pending = Pending::None;
        self.frames.clear();
        self.jobs.clear();
    }

    fn step_jobs(&mut self, now: Millis, env: &mut dyn Env) {
        let mut jobs = std::mem::take(&mut self.jobs);
        for job in &mut jobs {
            if let Step::SleepUntil(t) = job.state {
                if t <= now {
                    job.state = job.proc.step(now, env);
                }
            }
            self.absorb(&mut job.proc, env, job.pipe_to.is_none());
        }
        jobs.append(&mut self.jobs);
        self.jobs = jobs;
        if self.jobs.iter().any(|j| j.pipe_to.is_some()) {
            self.pump(now, env);
        }
    }

    /// Takes a child's captured output and unsupported-feature notes, and
    /// with `inherit_pipe` (not a stage feeding a pipe of its own) what it
    /// wrote to the pipe this process writes to.
    pub(super) fn absorb(&mut self, child: &mut Process, env: &mut dyn Env, inherit_pipe: bool) {
        if inherit_pipe && !child.pipe_out.is_empty() {
            let text = std::mem::take(&mut child.pipe_out);
            self.write(env, &Target::Pipe, &text);
        }
        for u in child.unsupported.drain(..) {
            if !self.unsupported.contains(&u) {
                self.unsupported.push(u);
            }
        }
        if let Some(text) = child.capture.as_mut().map(std::mem::take) {
            self.write(env, &Target::Log, &text);
        }
    }

    fn combine(&self, main: Step) -> Step {
        let job_wake = self
            .jobs
            .iter()
            .filter_map(|j| match j.state {
                Step::SleepUntil(t) => Some(t),
                _ => None,
            })
            .min();
        match (main, job_wake) {
            (Step::Exited(c), _) => Step::Exited(c),
            (Step::SleepUntil(t), Some(j)) => Step::SleepUntil(t.min(j)),
            (Step::Blocked, Some(j)) => Step::SleepUntil(j),
            (s, None) => s,
        }
    }

    /// The interpreter loop, bounded by [`MAX_COMMANDS_PER_STEP`].
    pub(super) fn run(&mut self, now: Millis, env: &mut dyn Env) -> Step {
        let mut budget = MAX_COMMANDS_PER_STEP;
        let mut spin = Spin::default();
        loop {
            if let Some(c) = self.exited {
                self.jobs.clear();
                return Step::Exited(c);
            }
            match self.pending.clone() {
                Pending::None => {}
                Pending::Spin { at } => {
                    if now < at {
                        return Step::SleepUntil(at);
                    }
                    self.pending = Pending::None;
                }
                Pending::Until { at, status, after } => {
                    if now < at {
                        return Step::SleepUntil(at);
                    }
                    self.pending = Pending::None;
                    self.finish_cmd(status, after);
                    continue;
                }
                Pending::Forever { .. } => return Step::Blocked,
                Pending::Follow { mut files, to, next, after } => {
                    if now < next {
                        return Step::SleepUntil(next);
                    }
                    for (path, printed) in &mut files {
                        let Some(text) = env.read_file(path) else { continue };
                        // A file cut short is read again from its start.
                        if text.len() < *printed {
                            *printed = 0;
                        }
                        let new = text.get(*printed..).unwrap_or("").to_string();
                        *printed = text.len();
                        self.write(env, &to, &new);
                    }
                    let next = now.saturating_add(FOLLOW_POLL_MS);
                    self.pending = Pending::Follow { files, to, next, after };
                    return Step::SleepUntil(next);
                }
                Pending::Stdin { seen } => {
                    if self.stdin.version == seen {
                        return Step::Blocked;
                    }
                    self.pending = Pending::None;
                }
                Pending::Pipeline { pids, after } => match self.pipeline_result(&pids) {
                    Some(status) => {
                        self.pending = Pending::None;
                        self.finish_cmd(status, after);
                        continue;
                    }
                    None => return Step::Blocked,
                },
                Pending::Wait { pid, after, .. } => match self.wait_result(pid) {
                    Some(status) => {
                        self.pending = Pending::None;
                        self.finish_cmd(status, after);
                        continue;
                    }
                    None => return Step::Blocked,
                },
            }
            if self.term_pending {
                self.term_pending = false;
                self.run_trap(15, env);
                continue;
            }
            if budget == 0 {
                let at = now.saturating_add(SPIN_MS);
                self.pending = Pending::Spin { at };
                return Step::SleepUntil(at);
            }
            budget -= 1;
            if self.at_back_edge() {
                budget = spin.back_edge(self, budget, env);
            }
            let mut watched = Watch::new(env, spin.lines());
            self.exec_op(now, &mut watched);
            let impure = watched.impure();
            spin.note(impure);
        }
    }

    /// Is the next op a jump back to a loop's start?
    fn at_back_edge(&self) -> bool {
        self.frames.last().is_some_and(|f| matches!(f.code.ops.get(f.pc), Some(Op::Jump(t)) if *t < f.pc))
    }

    fn finish_cmd(&mut self, status: i32, after: After) {
        self.status = status;
        if after.exec {
            self.exited = Some(status);
        } else if after.checked && self.errexit && status != 0 {
            self.exit_with(status);
        }
    }

    /// `exit N` or the end of the script: the EXIT trap runs first.
    fn exit_with(&mut self, code: i32) {
        self.pending = Pending::None;
        match self.traps.remove(&0) {
            Some(action) if !action.is_empty() && self.exiting.is_none() => {
                match parse_at(&action, 0, false, self.bash) {
                    Ok(script) => {
                        self.exiting = Some(code);
                        self.status = code;
                        self.frames = vec![Frame::new(script.code.clone(), FrameKind::ExitTrap)];
                    }
                    Err(_) => self.exited = Some(code),
                }
            }
            _ => self.exited = Some(code),
        }
    }

    fn run_trap(&mut self, sig: i32, env: &mut dyn Env) {
        let Some(action) = self.traps.get(&sig).cloned() else {
            return;
        };
        if action.is_empty() || self.frames.len() >= MAX_FRAMES {
            return;
        }
        match parse_at(&action, 0, false, self.bash) {
            Ok(script) => {
                let saved_status = self.status;
                self.frames.push(Frame::new(script.code.clone(), FrameKind::Trap { saved_status }));
            }
            Err(e) => self.write(env, &Target::Log, &format!("{}\n", e.message)),
        }
    }

    fn wait_result(&self, pid: Option<u32>) -> Option<i32> {
        match pid {
            None => self.jobs.iter().all(|j| matches!(j.state, Step::Exited(_))).then_some(0),
            Some(p) => match self.jobs.iter().find(|j| j.pid == p) {
                Some(Job { state: Step::Exited(c), .. }) => Some(*c),
                Some(_) => None,
                None => Some(127),
            },
        }
    }

    pub(super) fn fds(&self) -> Fds {
        self.frames.last().and_then(|f| f.redirs.last().cloned()).unwrap_or(DEFAULT_FDS)
    }

    fn frame(&mut self) -> Option<&mut Frame> {
        self.frames.last_mut()
    }

    fn jump(&mut self, target: usize) {
        if let Some(f) = self.frame() {
            f.pc = target;
        }
    }

    fn exec_op(&mut self, now: Millis, env: &mut dyn Env) {
        let Some(frame) = self.frames.last_mut() else {
            self.exit_with(self.status);
            return;
        };
        let code = frame.code.clone();
        let Some(op) = code.ops.get(frame.pc) else {
            let kind = frame.kind;
            self.frames.pop();
            match kind {
                FrameKind::Main => self.exit_with(self.status),
                FrameKind::Trap { saved_status } => self.status = saved_status,
                FrameKind::ExitTrap => self.exited = Some(self.exiting.unwrap_or(self.status)),
            }
            return;
        };
        frame.pc += 1;
        match op {
            Op::Jump(t) => self.jump(*t),
            Op::JumpIfFail(t) => {
                if self.status != 0 {
                    self.jump(*t);
                }
            }
            Op::JumpIfOk(t) => {
                if self.status == 0 {
                    self.jump(*t);
                }
            }
            Op::Not => self.status = i32::from(self.status == 0),
            Op::SetStatus(s) => self.status = *s,
            Op::PopRedir => {
                if let Some(f) = self.frame() {
                    f.redirs.pop();
                }
            }
            Op::ForPop => {
                if let Some(f) = self.frame() {
                    f.fors.pop();
                }
            }
            Op::ForNext { var, exit } => {
                let next = self.frame().and_then(|f| {
                    let (items, i) = f.fors.last_mut()?;
                    let v = items.get(*i).cloned();
                    *i += 1;
                    if v.is_none() {
                        f.fors.pop();
                    }
                    v
                });
                match next {
                    Some(v) => self.set_var(var, v),
                    None => self.jump(*exit),
                }
            }
            Op::ForStart(items) => {
                let items = match items {
                    Some(words) => {
                        self.expanded_bytes = 0;
                        let mut fields = Vec::new();
                        for w in words.iter() {
                            if let Err(e) = self.expand_into(w, true, now, env, &mut fields) {
                                self.fatal(env, &e);
                                return;
                            }
                            if fields.len() > MAX_ITEMS {
                                fields.truncate(MAX_ITEMS);
                                break;
                            }
                        }
                        fields
                    }
                    None => self.params.clone(),
                };
                if let Some(f) = self.frame() {
                    f.fors.push((items, 0));
                }
            }
            Op::PushRedir(redirs) => {
                let base = self.fds();
                match self.open_redirs(&base, redirs, now, env) {
                    Ok(fds) => {
                        if let Some(f) = self.frame() {
                            f.redirs.push(fds);
                        }
                    }
                    Err(msg) => {
                        // The compound command does not run: skip to its PopRedir.
                        self.write(env, &base.stderr, &msg);
                        self.status = 1;
                        self.skip_to_pop(&code);
                    }
                }
            }
            Op::Spawn(code) => {
                if let Some(pid) = self.spawn(code.clone(), now, env) {
                    self.last_bg = Some(pid);
                    self.status = 0;
                }
            }
            Op::Subshell { code, checked } => {
                let after = After { checked: *checked, exec: false };
                if let Some(pid) = self.spawn(code.clone(), now, env) {
                    match self.wait_result(Some(pid)) {
                        Some(status) => self.finish_cmd(status, after),
                        None if self.in_substitution() => {
                            self.note_unsupported("blocking commands inside `$(…)`");
                            self.finish_cmd(1, after);
                        }
                        None => self.pending = Pending::Wait { pid: Some(pid), after, foreground: true },
                    }
                }
            }
            Op::Pipeline { stages, checked } => {
                let after = After { checked: *checked, exec: false };
                let pids = self.start_pipeline(stages, now, env);
                if pids.is_empty() {
                    return;
                }
                match self.pipeline_result(&pids) {
                    Some(status) => self.finish_cmd(status, after),
                    None if self.in_substitution() => {
                        self.note_unsupported("blocking commands inside `$(…)`");
                        self.finish_cmd(1, after);
                    }
                    None => self.pending = Pending::Pipeline { pids, after },
                }
            }
            Op::Run { cmd, checked, exec } => {
                let (outcome, exec) = self.run_simple(cmd, *exec, now, env);
                let after = After { checked: *checked, exec };
                match outcome {
                    Outcome::Done(s) => self.finish_cmd(s, after),
                    Outcome::Until(at, s) => {
                        if self.in_substitution() || at <= now {
                            self.finish_cmd(s, after)
                        } else {
                            self.pending = Pending::Until { at, status: s, after }
                        }
                    }
                    Outcome::Forever(term) => {
                        if self.in_substitution() {
                            self.note_unsupported("blocking commands inside `$(…)`");
                            self.finish_cmd(1, after);
                        } else {
                            self.pending = Pending::Forever { term, after }
                        }
                    }
                    Outcome::Follow(files, to) => {
                        if self.in_substitution() {
                            self.note_unsupported("blocking commands inside `$(…)`");
                            self.finish_cmd(1, after);
                        } else {
                            let next = now.saturating_add(FOLLOW_POLL_MS);
                            self.pending = Pending::Follow { files, to, next, after }
                        }
                    }
                    Outcome::Wait(pid) => self.pending = Pending::Wait { pid, after, foreground: false },
                    Outcome::NeedInput => {
                        // Run it again once the stdin has changed (only a
                        // pipeline stage has a stdin that can).
                        if let Some(f) = self.frame() {
                            f.pc -= 1;
                        }
                        self.pending = Pending::Stdin { seen: self.stdin.version };
                    }
                    Outcome::Exit(c) => self.exit_with(c),
                }
            }
        }
    }

    /// Skips the body of a compound command whose redirection failed.
    fn skip_to_pop(&mut self, code: &Code) {
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        let mut depth = 0usize;
        while let Some(op) = code.ops.get(frame.pc) {
            frame.pc += 1;
            match op {
                Op::PushRedir(_) => depth += 1,
                Op::PopRedir if depth == 0 => return,
                Op::PopRedir => depth -= 1,
                _ => {}
            }
        }
    }

    fn in_substitution(&self) -> bool {
        self.subst_depth > 0
    }

    pub(super) fn note_unsupported(&mut self, what: &str) {
        let msg = unsupported_message(what);
        if !self.unsupported.contains(&msg) {
            self.unsupported.push(msg);
        }
    }

    /// An expansion error (`${x:?}`, bad arithmetic): a non-interactive shell
    /// exits with status 2.
    fn fatal(&mut self, env: &mut dyn Env, msg: &str) {
        let err = self.fds().stderr;
        self.write(env, &err, &format!("{msg}\n"));
        self.exit_with(2);
    }

    pub(super) fn child(&self, code: Arc<Code>) -> Process {
        Process {
            frames: vec![Frame::new(code, FrameKind::Main)],
            env: self.env.clone(),
            vars: self.vars.clone(),
            arrays: self.arrays.clone(),
            bash: self.bash,
            unset_from_env: self.unset_from_env.clone(),
            exported: self.exported.clone(),
            params: self.params.clone(),
            arg0: self.arg0.clone(),
            status: self.status,
            traps: Traps::default(),
            pending: Pending::None,
            term_pending: false,
            exiting: None,
            exited: None,
            pid1: false,
            errexit: self.errexit,
            xtrace: self.xtrace,
            jobs: Vec::new(),
            next_pid: self.next_pid + 1000,
            last_bg: None,
            cwd: self.cwd.clone(),
            unsupported: Vec::new(),
            capture: None,
            subst_depth: 0,
            subst_status: None,
            temp_env: Vec::new(),
            partial_line: String::new(),
            expanded_bytes: 0,
            stdin: Stdin::default(),
            pipe_out: String::new(),
        }
    }

    /// Starts a child process running `code` (a background job or a
    /// subshell) and runs it until it blocks; `None` if refused.
    fn spawn(&mut self, code: Arc<Code>, now: Millis, env: &mut dyn Env) -> Option<u32> {
        self.reap_jobs();
        let fds = self.fds();
        self.spawn_with(code, (fds, Stdin::default()), false, now, env)
    }

    /// Forgets the jobs that have exited, but the last one started in the
    /// background (`$!`, `wait $!`).
    pub(super) fn reap_jobs(&mut self) {
        let last_bg = self.last_bg;
        self.jobs.retain(|j| !matches!(j.state, Step::Exited(_)) || Some(j.pid) == last_bg);
    }

    /// [`Process::spawn`] with these file descriptors and stdin; a
    /// pipeline stage that `feeds_pipe` keeps what it writes to its pipe
    /// for [`Process::pump`].
    pub(super) fn spawn_with(
        &mut self,
        code: Arc<Code>,
        (fds, stdin): (Fds, Stdin),
        feeds_pipe: bool,
        now: Millis,
        env: &mut dyn Env,
    ) -> Option<u32> {
        if self.jobs.len() >= MAX_JOBS {
            let err = self.fds().stderr;
            self.write(env, &err, "sh: podplay: too many background jobs\n");
            self.status = 1;
            return None;
        }
        let mut proc = self.child(code);
        if let Some(frame) = proc.frames.last_mut() {
            frame.redirs.push(fds);
        }
        proc.stdin = stdin;
        let stdin_seen = proc.stdin.version;
        if self.capture.is_some() {
            proc.capture = Some(String::new());
        }
        proc.subst_depth = self.subst_depth;
        self.next_pid += 1;
        let pid = self.next_pid;
        let state = proc.step(now, env);
        self.absorb(&mut proc, env, !feeds_pipe);
        self.jobs.push(Job { pid, proc, state, pipe_to: None, stdin_seen });
        Some(pid)
    }

    pub(super) fn run_simple(&mut self, cmd: &Simple, exec: bool, now: Millis, env: &mut dyn Env) -> (Outcome, bool) {
        self.subst_status = None;
        self.expanded_bytes = 0;
        let mut argv = Vec::new();
        for w in &cmd.words {
            if let Err(e) = self.expand_into(w, true, now, env, &mut argv) {
                self.fatal(env, &e);
                return (Outcome::Exit(2), false);
            }
        }
        let mut assigns = Vec::new();
        for a in &cmd.assigns {
            match self.expand_assign(a, now, env) {
                Ok(v) => assigns.push(v),
                Err(Some(e)) => {
                    self.fatal(env, &e);
                    return (Outcome::Exit(2), false);
                }
                Err(None) => {
                    self.exit_with(1);
                    return (Outcome::Exit(1), false);
                }
            }
        }
        let base = self.fds();
        let fds = match self.open_redirs(&base, &cmd.redirs, now, env) {
            Ok(f) => f,
            Err(msg) => {
                self.write(env, &base.stderr, &msg);
                return (Outcome::Done(1), false);
            }
        };
        if self.xtrace {
            let mut line: Vec<String> = assigns.iter().map(Assigned::trace).collect();
            line.extend(argv.iter().cloned());
            self.write(env, &fds.stderr, &format!("+ {}\n", line.join(" ")));
        }
        if argv.is_empty() {
            for a in assigns {
                self.assign(a);
            }
            return (Outcome::Done(self.subst_status.unwrap_or(0)), false);
        }
        let mut exec = exec;
        if argv[0] == "exec" {
            argv.remove(0);
            exec = true;
            if argv.is_empty() {
                return (Outcome::Done(0), false);
            }
            self.traps.clear();
        }
        let mut out = Output::default();
        self.temp_env = self.temp_assigns(assigns, &mut out);
        let outcome = match self.dispatch(&argv, now, env, &mut out) {
            // `tail -f` keeps writing where the command's stdout goes.
            Outcome::Follow(files, _) => Outcome::Follow(files, fds.stdout.clone()),
            o => o,
        };
        self.temp_env.clear();
        self.write(env, &fds.stdout, &out.stdout);
        self.write(env, &fds.stderr, &out.stderr);
        (outcome, exec)
    }
}

/// Runs an exec probe or lifecycle exec hook to completion (see
/// [`exec_probe_with_env`]) without container environment variables.
pub fn exec_probe(argv: &[String], now: Millis, env: &mut dyn Env, timeout_ms: Millis) -> ExecProbeResult {
    exec_probe_with_env(argv, Vec::new(), now, env, timeout_ms)
}

/// Runs a short command (exec probe, lifecycle exec hook) to completion with
/// the container's environment variables, its output captured rather than
/// logged, bounded in virtual duration by `timeout_ms`. A command that cannot
/// be parsed fails at once: exit 2 for a syntax error, 127 otherwise.
pub fn exec_probe_with_env(
    argv: &[String],
    env_vars: Vec<(String, String)>,
    now: Millis,
    env: &mut dyn Env,
    timeout_ms: Millis,
) -> ExecProbeResult {
    let script = match super::from_argv(argv) {
        Ok(s) => s,
        Err(e) => {
            let exit_code = if e.kind == super::ShellErrorKind::Syntax { 2 } else { 127 };
            return ExecProbeResult { exit_code, output: e.message + "\n", duration_ms: 0, timed_out: false };
        }
    };
    let mut p = Process::new(Arc::new(script), env_vars);
    p.pid1 = false;
    p.capture = Some(String::new());
    let deadline = now.saturating_add(timeout_ms);
    let mut t = now;
    // Each step either finishes, blocks, or advances time by at least 1 ms
    // (a spinning step by SPIN_MS), so this bound is only a safety net.
    for _ in 0..100_000 {
        match p.step(t, env) {
            Step::Exited(c) => {
                return ExecProbeResult {
                    exit_code: c,
                    output: p.capture.take().unwrap_or_default(),
                    duration_ms: t - now,
                    timed_out: false,
                };
            }
            Step::SleepUntil(u) if u < deadline => t = u.max(t),
            _ => break,
        }
    }
    ExecProbeResult {
        exit_code: 124,
        output: p.capture.take().unwrap_or_default(),
        duration_ms: timeout_ms,
        timed_out: true,
    }
}
