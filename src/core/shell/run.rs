//! The resumable interpreter: a [`Process`] is a program counter over a
//! script's compiled [`Code`], plus variables, traps, redirections and
//! background jobs, advanced in virtual time.

use super::parse::{
    builtin_name, parse_at, Assign, Code, Op, ParamOp, Part, Redir, RedirKind, Script, Simple, Sub, Value, Word,
};
use super::utils::{self, FileQuery};
use super::{
    unsupported_message, Env, ExecProbeResult, HttpOutcome, Program, Step, TermBehaviour, MAX_COMMANDS_PER_STEP,
    MAX_OUTPUT_BYTES, SPIN_MS,
};
use crate::core::time::Millis;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Most background jobs one process keeps.
const MAX_JOBS: usize = 32;
/// Deepest stack of running trap handlers.
const MAX_FRAMES: usize = 8;
/// Longest value a variable may hold, in bytes.
const MAX_VAR_BYTES: usize = 64 * 1024;
/// Most items a `for` loop or `seq` produces.
const MAX_ITEMS: usize = 100_000;
/// Most bytes the expansions of one command (or `for` list) may produce.
const MAX_EXPANSION_BYTES: usize = 1024 * 1024;
/// Most elements one bash array keeps.
const MAX_ARRAY_ELEMENTS: usize = 10_000;
/// Most command substitutions nested at run time.
const MAX_SUBST_DEPTH: usize = 8;
/// Default timeouts: busybox wget (900 s), curl's connect timeout (300 s).
const WGET_TIMEOUT_MS: Millis = 900_000;
const CURL_TIMEOUT_MS: Millis = 300_000;
/// The cluster DNS server nslookup reports.
const DNS_SERVER: &str = "10.96.0.10";

/// Where a file descriptor writes.
#[derive(Clone, Debug, PartialEq)]
enum Target {
    Log,
    Null,
    File(String),
}

#[derive(Clone, Debug)]
struct Fds {
    out: Target,
    err: Target,
}

const DEFAULT_FDS: Fds = Fds { out: Target::Log, err: Target::Log };

#[derive(Clone, Copy, Debug)]
enum FrameKind {
    Main,
    Trap { saved_status: i32 },
    ExitTrap,
}

#[derive(Clone, Debug)]
struct Frame {
    code: Arc<Code>,
    pc: usize,
    fors: Vec<(Vec<String>, usize)>,
    redirs: Vec<Fds>,
    kind: FrameKind,
}

impl Frame {
    fn new(code: Arc<Code>, kind: FrameKind) -> Frame {
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
    /// `wait [pid]`.
    /// `wait [pid]`, or a foreground subshell (which a trapped signal does
    /// not interrupt).
    Wait {
        pid: Option<u32>,
        after: After,
        foreground: bool,
    },
    /// Out of command budget: burning CPU until `at`.
    Spin {
        at: Millis,
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

/// How one simple command went.
enum Outcome {
    Done(i32),
    Until(Millis, i32),
    Forever(Option<TermBehaviour>),
    /// `tail -f` on these files (path, bytes already printed); the command's
    /// stdout is filled in by `run_simple`.
    Follow(Vec<(String, usize)>, Target),
    Wait(Option<u32>),
    Exit(i32),
}

/// Output of one command, bounded by [`MAX_OUTPUT_BYTES`].
#[derive(Default)]
struct Out {
    out: String,
    err: String,
}

impl Out {
    fn o(&mut self, s: &str) {
        push_bounded(&mut self.out, s);
    }
    fn e(&mut self, s: &str) {
        push_bounded(&mut self.err, s);
        if !s.ends_with('\n') {
            push_bounded(&mut self.err, "\n");
        }
    }
}

/// A variable's value cut to [`MAX_VAR_BYTES`].
fn bounded(mut value: String) -> String {
    if value.len() > MAX_VAR_BYTES {
        let mut cut = MAX_VAR_BYTES;
        while !value.is_char_boundary(cut) {
            cut -= 1;
        }
        value.truncate(cut);
    }
    value
}

fn push_bounded(buf: &mut String, s: &str) {
    let room = MAX_OUTPUT_BYTES.saturating_sub(buf.len());
    if s.len() <= room {
        buf.push_str(s);
    } else {
        let mut cut = room;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        buf.push_str(&s[..cut]);
    }
}

#[derive(Debug)]
struct Job {
    pid: u32,
    proc: Process,
    state: Step,
}

/// Trap actions by signal number, in signal order (a few entries: a sorted
/// `Vec` rather than one more `BTreeMap` type compiled into the page).
#[derive(Clone, Debug, Default)]
struct Traps(Vec<(i32, String)>);

impl Traps {
    fn get(&self, sig: &i32) -> Option<&String> {
        self.0.iter().find(|(s, _)| s == sig).map(|(_, a)| a)
    }

    fn insert(&mut self, sig: i32, action: String) {
        match self.0.binary_search_by_key(&sig, |(s, _)| *s) {
            Ok(i) => self.0[i].1 = action,
            Err(i) => self.0.insert(i, (sig, action)),
        }
    }

    fn remove(&mut self, sig: &i32) -> Option<String> {
        let i = self.0.iter().position(|(s, _)| s == sig)?;
        Some(self.0.remove(i).1)
    }

    fn clear(&mut self) {
        self.0.clear();
    }
}

/// A bash indexed array: sparse, by index (bash manual, "Arrays": "there is
/// no maximum limit on the size of an array, nor any requirement that
/// members be indexed or assigned contiguously").
///
/// Elements are a `Vec` sorted by index (binary search), not a `BTreeMap`:
/// one more B-tree type would add ~10 KB of code to the page.
#[derive(Clone, Debug, Default)]
struct Array {
    items: Vec<(i64, String)>,
    /// Bytes of all the values (bounded by [`MAX_EXPANSION_BYTES`]).
    bytes: usize,
}

impl Array {
    fn find(&self, i: i64) -> Result<usize, usize> {
        self.items.binary_search_by_key(&i, |e| e.0)
    }
    fn get(&self, i: &i64) -> Option<&String> {
        self.find(*i).ok().map(|k| &self.items[k].1)
    }
    fn values(&self) -> impl Iterator<Item = &String> {
        self.items.iter().map(|e| &e.1)
    }
    fn iter(&self) -> impl Iterator<Item = (&i64, &String)> {
        self.items.iter().map(|e| (&e.0, &e.1))
    }
    /// The largest index set.
    fn last(&self) -> Option<i64> {
        self.items.last().map(|e| e.0)
    }
    fn len(&self) -> usize {
        self.items.len()
    }
    fn contains_key(&self, i: &i64) -> bool {
        self.find(*i).is_ok()
    }
    fn insert(&mut self, i: i64, v: String) {
        self.bytes += v.len();
        match self.find(i) {
            Ok(k) => {
                let old = std::mem::replace(&mut self.items[k].1, v);
                self.bytes -= old.len();
            }
            Err(k) => self.items.insert(k, (i, v)),
        }
    }
    fn remove(&mut self, i: &i64) {
        if let Ok(k) = self.find(*i) {
            let (_, old) = self.items.remove(k);
            self.bytes -= old.len();
        }
    }
    fn clear(&mut self) {
        self.items.clear();
        self.bytes = 0;
    }
}

/// The shell's arrays by name, in name order (a sorted `Vec`, for the same
/// reason as [`Array`]'s elements).
#[derive(Clone, Debug, Default)]
struct Arrays(Vec<(String, Array)>);

impl Arrays {
    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|e| e.0.as_str().cmp(name))
    }
    fn get(&self, name: &str) -> Option<&Array> {
        self.find(name).ok().map(|k| &self.0[k].1)
    }
    fn get_mut(&mut self, name: &str) -> Option<&mut Array> {
        self.find(name).ok().map(|k| &mut self.0[k].1)
    }
    fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }
    fn remove(&mut self, name: &str) {
        if let Ok(k) = self.find(name) {
            self.0.remove(k);
        }
    }
    /// `name`'s array, made empty first if there is none.
    fn entry(&mut self, name: &str) -> &mut Array {
        let k = match self.find(name) {
            Ok(k) => k,
            Err(k) => {
                self.0.insert(k, (name.to_string(), Array::default()));
                k
            }
        };
        &mut self.0[k].1
    }
    fn iter(&self) -> impl Iterator<Item = (&String, &Array)> {
        self.0.iter().map(|e| (&e.0, &e.1))
    }
}

/// An assignment word, expanded.
enum Assigned {
    /// `NAME=value` (`+=` when the flag is set).
    Scalar(String, String, bool),
    /// bash `NAME[index]=value`.
    Element(String, i64, String, bool),
    /// bash `NAME=(…)`.
    Array(String, Vec<String>, bool),
}

impl Assigned {
    /// As `set -x` shows it (bash: `+ a=(1 "2 3")`).
    fn trace(&self) -> String {
        let op = |append: &bool| if *append { "+=" } else { "=" };
        match self {
            Assigned::Scalar(k, v, a) => format!("{k}{}{v}", op(a)),
            Assigned::Element(k, i, v, a) => format!("{k}[{i}]{}{v}", op(a)),
            Assigned::Array(k, items, a) => {
                let items: Vec<String> = items
                    .iter()
                    .map(|v| match v.contains([' ', '\t', '\n']) || v.is_empty() {
                        true => format!("\"{v}\""),
                        false => v.clone(),
                    })
                    .collect();
                format!("{k}{}({})", op(a), items.join(" "))
            }
        }
    }
}

/// One running script: a program counter over the compiled script, its
/// variables, traps, exit status, background jobs and PID-1 flag.
#[derive(Debug)]
pub struct Process {
    frames: Vec<Frame>,
    /// The environment the process started with (all exported), shared
    /// between the containers that have the same one and with subshells: a
    /// Pod can get hundreds of Service variables.
    env: Arc<BTreeMap<String, String>>,
    /// Variables set since, over `env`.
    vars: BTreeMap<String, String>,
    /// bash indexed arrays (a name is in `vars` or here, not both).
    arrays: Arrays,
    /// Run by bash: arrays, and `unset 'a[i]'`.
    bash: bool,
    /// Names of `env` that were `unset` (and not set again).
    unset: BTreeSet<String>,
    /// Names exported besides `env`'s.
    exported: BTreeSet<String>,
    params: Vec<String>,
    arg0: String,
    status: i32,
    traps: Traps,
    pending: Pending,
    term_pending: bool,
    exiting: Option<i32>,
    exited: Option<i32>,
    pid1: bool,
    errexit: bool,
    xtrace: bool,
    jobs: Vec<Job>,
    next_pid: u32,
    last_bg: Option<u32>,
    cwd: String,
    unsupported: Vec<String>,
    capture: Option<String>,
    sync_depth: usize,
    subst_status: Option<i32>,
    temp_env: Vec<(String, String)>,
    /// Log output not yet ended by a newline.
    partial: String,
    /// Bytes expanded for the current command (bounded by
    /// [`MAX_EXPANSION_BYTES`]).
    expanded: usize,
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
            unset: BTreeSet::new(),
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
            sync_depth: 0,
            subst_status: None,
            temp_env: Vec::new(),
            partial: String::new(),
            expanded: 0,
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
        if matches!(main, Step::Exited(_)) && !self.partial.is_empty() {
            env.log(&std::mem::take(&mut self.partial));
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
            self.absorb(&mut job.proc, env);
        }
        jobs.append(&mut self.jobs);
        self.jobs = jobs;
    }

    /// Takes a child's captured output and unsupported-feature notes.
    fn absorb(&mut self, child: &mut Process, env: &mut dyn Env) {
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
    fn run(&mut self, now: Millis, env: &mut dyn Env) -> Step {
        let mut budget = MAX_COMMANDS_PER_STEP;
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
            self.exec_op(now, env);
        }
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

    fn fds(&self) -> Fds {
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
                        self.expanded = 0;
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
                        self.write(env, &base.err, &msg);
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
                        None if self.capture_sync() => {
                            self.note_unsupported("blocking commands inside `$(…)`");
                            self.finish_cmd(1, after);
                        }
                        None => self.pending = Pending::Wait { pid: Some(pid), after, foreground: true },
                    }
                }
            }
            Op::Run { cmd, checked, exec } => {
                let (outcome, exec) = self.run_simple(cmd, *exec, now, env);
                let after = After { checked: *checked, exec };
                match outcome {
                    Outcome::Done(s) => self.finish_cmd(s, after),
                    Outcome::Until(at, s) => {
                        if self.capture_sync() || at <= now {
                            self.finish_cmd(s, after)
                        } else {
                            self.pending = Pending::Until { at, status: s, after }
                        }
                    }
                    Outcome::Forever(term) => {
                        if self.capture_sync() {
                            self.note_unsupported("blocking commands inside `$(…)`");
                            self.finish_cmd(1, after);
                        } else {
                            self.pending = Pending::Forever { term, after }
                        }
                    }
                    Outcome::Follow(files, to) => {
                        if self.capture_sync() {
                            self.note_unsupported("blocking commands inside `$(…)`");
                            self.finish_cmd(1, after);
                        } else {
                            let next = now.saturating_add(FOLLOW_POLL_MS);
                            self.pending = Pending::Follow { files, to, next, after }
                        }
                    }
                    Outcome::Wait(pid) => self.pending = Pending::Wait { pid, after, foreground: false },
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

    fn capture_sync(&self) -> bool {
        self.sync_depth > 0
    }

    fn note_unsupported(&mut self, what: &str) {
        let msg = unsupported_message(what);
        if !self.unsupported.contains(&msg) {
            self.unsupported.push(msg);
        }
    }

    /// An expansion error (`${x:?}`, bad arithmetic): a non-interactive shell
    /// exits with status 2.
    fn fatal(&mut self, env: &mut dyn Env, msg: &str) {
        let err = self.fds().err;
        self.write(env, &err, &format!("{msg}\n"));
        self.exit_with(2);
    }

    fn set_var(&mut self, name: &str, value: String) {
        let value = bounded(value);
        match self.arrays.get_mut(name) {
            // bash: assigning to an array without a subscript sets element 0.
            Some(a) => a.insert(0, value),
            None => drop(self.vars.insert(name.to_string(), value)),
        }
    }

    /// A variable's value: set in the shell, else from the environment; an
    /// array's element 0 ("Referencing an array variable without a subscript
    /// is equivalent to referencing with a subscript of 0").
    fn var(&self, name: &str) -> Option<&String> {
        if let Some(a) = self.arrays.get(name) {
            return a.get(&0);
        }
        match self.vars.get(name) {
            Some(v) => Some(v),
            None if self.unset.contains(name) => None,
            None => self.env.get(name),
        }
    }

    fn unset_var(&mut self, name: &str) {
        self.vars.remove(name);
        self.arrays.remove(name);
        self.exported.remove(name);
        if self.env.contains_key(name) {
            self.unset.insert(name.to_string());
        }
    }

    /// Every variable as `set` prints it (`NAME='value'`; bash shows an
    /// array as `NAME=([0]="a" [1]="b")`), in name order.
    fn all_vars(&self) -> BTreeMap<String, String> {
        let from_env = self.env.iter().filter(|(k, _)| !self.unset.contains(*k));
        let scalars = from_env.chain(self.vars.iter()).map(|(k, v)| (k.clone(), format!("{k}='{v}'")));
        let arrays = self.arrays.iter().map(|(k, a)| {
            let items: Vec<String> = a.iter().map(|(i, v)| format!("[{i}]=\"{v}\"")).collect();
            (k.clone(), format!("{k}=({})", items.join(" ")))
        });
        crate::core::sort::collect_map(scalars.chain(arrays))
    }

    /// The exported variables (what a program started from the shell sees;
    /// bash does not export arrays).
    fn exported_vars(&self) -> BTreeMap<String, String> {
        let from_env = self.env.keys().filter(|k| !self.unset.contains(*k));
        let names = from_env.chain(self.exported.iter()).filter(|k| !self.arrays.contains_key(k));
        crate::core::sort::collect_map(names.filter_map(|k| self.var(k).map(|v| (k.clone(), v.clone()))))
    }

    // ------------------------------------------------------------ arrays

    /// The elements of `name` in index order: an array's, a set scalar's
    /// one, none for an unset name.
    fn elements(&self, name: &str) -> Vec<String> {
        match self.arrays.get(name) {
            Some(a) => a.values().cloned().collect(),
            None => self.var(name).cloned().into_iter().collect(),
        }
    }

    /// Evaluates a subscript of `name`: expanded, then an arithmetic
    /// expression; a negative one counts back from one past the largest
    /// index (bash manual, "Arrays"). `None`: bash's "bad array subscript"
    /// (negative beyond the start, or negative on a scalar or unset name).
    fn subscript(&mut self, name: &str, w: &Word, now: Millis, env: &mut dyn Env) -> Result<Option<i64>, String> {
        let text = self.expand_word(w, now, env)?;
        let i = utils::arith(&text, &|n| self.var(n).cloned().unwrap_or_default())?;
        if i >= 0 {
            return Ok(Some(i));
        }
        let last = self.arrays.get(name).and_then(Array::last);
        Ok(last.and_then(|m| m.checked_add(1)?.checked_add(i)).filter(|j| *j >= 0))
    }

    /// `${name[i]}`; a bad subscript is reported and expands to nothing, as
    /// bash does.
    fn element(&mut self, name: &str, w: &Word, now: Millis, env: &mut dyn Env) -> Result<Option<String>, String> {
        let Some(i) = self.subscript(name, w, now, env)? else {
            let err = self.fds().err;
            self.write(env, &err, &format!("bash: {name}: bad array subscript\n"));
            return Ok(None);
        };
        Ok(match self.arrays.get(name) {
            Some(a) => a.get(&i).cloned(),
            None if i == 0 => self.var(name).cloned(),
            None => None,
        })
    }

    /// `name` as an array, a scalar becoming its element 0.
    fn array_mut(&mut self, name: &str) -> &mut Array {
        if !self.arrays.contains_key(name) {
            let mut a = Array::default();
            if let Some(v) = self.var(name).cloned() {
                a.insert(0, v);
            }
            self.vars.remove(name);
            if self.env.contains_key(name) {
                self.unset.insert(name.to_string());
            }
            *self.arrays.entry(name) = a;
        }
        self.arrays.entry(name)
    }

    /// Stores `values` from index `from` on, within [`MAX_ARRAY_ELEMENTS`]
    /// and [`MAX_EXPANSION_BYTES`] per array (podplay's bounds).
    fn store(&mut self, name: &str, from: i64, values: Vec<String>) {
        let a = self.array_mut(name);
        let mut full = false;
        for (k, v) in values.into_iter().enumerate() {
            let Some(i) = i64::try_from(k).ok().and_then(|k| from.checked_add(k)) else { break };
            let v = bounded(v);
            let old = a.get(&i).map_or(0, String::len);
            if (a.len() >= MAX_ARRAY_ELEMENTS && !a.contains_key(&i)) || a.bytes - old + v.len() > MAX_EXPANSION_BYTES {
                full = true;
                break;
            }
            a.insert(i, v);
        }
        if full {
            self.note_unsupported(&format!("arrays over {MAX_ARRAY_ELEMENTS} elements or {MAX_EXPANSION_BYTES} bytes"));
        }
    }

    /// Performs one expanded assignment.
    fn assign(&mut self, a: Assigned) {
        match a {
            Assigned::Scalar(k, v, false) => self.set_var(&k, v),
            Assigned::Scalar(k, v, true) => {
                let old = self.var(&k).cloned().unwrap_or_default();
                self.set_var(&k, old + &v);
            }
            Assigned::Element(k, i, v, append) => {
                let v = match append {
                    true => self.arrays.get(&k).and_then(|a| a.get(&i)).cloned().unwrap_or_default() + &v,
                    false => v,
                };
                self.store(&k, i, vec![v]);
            }
            Assigned::Array(k, items, append) => {
                // `+=` appends after the largest index; `=` replaces.
                let from = match append {
                    true => self.array_mut(&k).last().map_or(0, |m| m.saturating_add(1)),
                    false => {
                        self.array_mut(&k).clear();
                        0
                    }
                };
                self.store(&k, from, items);
            }
        }
    }

    /// Expands an assignment word; `Err(Some(message))` for an expansion
    /// error, `Err(None)` for a bad subscript (reported already: bash ends
    /// the script with status 1).
    fn expand_assign(&mut self, a: &Assign, now: Millis, env: &mut dyn Env) -> Result<Assigned, Option<String>> {
        let name = a.name.clone();
        match (&a.value, &a.index) {
            (Value::Scalar(w), None) => Ok(Assigned::Scalar(name, self.expand_word(w, now, env)?, a.append)),
            (Value::Scalar(w), Some(sub)) => {
                let Some(i) = self.subscript(&name, sub, now, env)? else {
                    let text = self.expand_word(sub, now, env).unwrap_or_default();
                    let err = self.fds().err;
                    self.write(env, &err, &format!("bash: {name}[{text}]: bad array subscript\n"));
                    return Err(None);
                };
                Ok(Assigned::Element(name, i, self.expand_word(w, now, env)?, a.append))
            }
            (Value::Array(words), _) => {
                let mut fields = Vec::new();
                for w in words {
                    self.expand_into(w, true, now, env, &mut fields)?;
                }
                Ok(Assigned::Array(name, fields, a.append))
            }
        }
    }

    fn child(&self, code: Arc<Code>) -> Process {
        Process {
            frames: vec![Frame::new(code, FrameKind::Main)],
            env: self.env.clone(),
            vars: self.vars.clone(),
            arrays: self.arrays.clone(),
            bash: self.bash,
            unset: self.unset.clone(),
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
            sync_depth: 0,
            subst_status: None,
            temp_env: Vec::new(),
            partial: String::new(),
            expanded: 0,
        }
    }

    /// Starts a child process running `code` (a background job or a
    /// subshell) and runs it until it blocks; `None` if refused.
    fn spawn(&mut self, code: Arc<Code>, now: Millis, env: &mut dyn Env) -> Option<u32> {
        let last_bg = self.last_bg;
        self.jobs.retain(|j| !matches!(j.state, Step::Exited(_)) || Some(j.pid) == last_bg);
        if self.jobs.len() >= MAX_JOBS {
            let err = self.fds().err;
            self.write(env, &err, "sh: podplay: too many background jobs\n");
            self.status = 1;
            return None;
        }
        let mut proc = self.child(code);
        if let Some(frame) = proc.frames.last_mut() {
            frame.redirs.push(self.fds());
        }
        if self.capture.is_some() {
            proc.capture = Some(String::new());
        }
        proc.sync_depth = self.sync_depth;
        self.next_pid += 1;
        let pid = self.next_pid;
        let state = proc.step(now, env);
        self.absorb(&mut proc, env);
        self.jobs.push(Job { pid, proc, state });
        Some(pid)
    }

    // ------------------------------------------------------------ output

    fn write(&mut self, env: &mut dyn Env, target: &Target, text: &str) {
        if text.is_empty() {
            return;
        }
        match target {
            Target::Null => {}
            Target::File(path) => {
                let _ = env.write_file(path, text, true);
            }
            Target::Log => match &mut self.capture {
                Some(buf) => push_bounded(buf, text),
                None => {
                    // Whole lines go to the log; a trailing partial line
                    // (`echo -n`) waits for the rest.
                    let mut pending = std::mem::take(&mut self.partial);
                    push_bounded(&mut pending, text);
                    let mut rest = pending.as_str();
                    while let Some(i) = rest.find('\n') {
                        env.log(rest[..i].strip_suffix('\r').unwrap_or(&rest[..i]));
                        rest = &rest[i + 1..];
                    }
                    if rest.len() >= MAX_OUTPUT_BYTES {
                        env.log(rest);
                    } else {
                        self.partial = rest.to_string();
                    }
                }
            },
        }
    }

    fn path(&self, p: &str) -> String {
        let joined = if p.starts_with('/') {
            p.to_string()
        } else if self.cwd == "/" {
            format!("/{p}")
        } else {
            format!("{}/{p}", self.cwd)
        };
        let mut parts: Vec<&str> = Vec::new();
        for seg in joined.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        format!("/{}", parts.join("/"))
    }

    /// Applies redirections on top of `base`, opening (truncating) files.
    fn open_redirs(&mut self, base: &Fds, redirs: &[Redir], now: Millis, env: &mut dyn Env) -> Result<Fds, String> {
        let mut fds = base.clone();
        for r in redirs {
            let target = self.expand_word(&r.target, now, env)?;
            let t = match r.kind {
                RedirKind::Dup => match target.as_str() {
                    "1" => fds.out.clone(),
                    "2" => fds.err.clone(),
                    "-" => Target::Null,
                    other => return Err(format!("sh: {other}: bad file descriptor\n")),
                },
                RedirKind::Out | RedirKind::Append | RedirKind::Both => {
                    let path = self.path(&target);
                    match path.as_str() {
                        "/dev/null" => Target::Null,
                        "/dev/stdout" => fds.out.clone(),
                        "/dev/stderr" => fds.err.clone(),
                        _ => {
                            if env.is_dir(&path) {
                                return Err(format!("sh: can't create {target}: Is a directory\n"));
                            }
                            let append = r.kind == RedirKind::Append;
                            if !append || !env.file_exists(&path) {
                                env.write_file(&path, "", false)
                                    .map_err(|m| format!("sh: can't create {target}: {m}\n"))?;
                            }
                            Target::File(path)
                        }
                    }
                }
            };
            match (r.kind, r.fd) {
                (RedirKind::Both, _) => {
                    fds.out = t.clone();
                    fds.err = t;
                }
                (_, 1) => fds.out = t,
                (_, 2) => fds.err = t,
                _ => {}
            }
        }
        Ok(fds)
    }

    // ------------------------------------------------------------ expansion

    fn expand_word(&mut self, w: &Word, now: Millis, env: &mut dyn Env) -> Result<String, String> {
        let mut fields = Vec::new();
        self.expand_into(w, false, now, env, &mut fields)?;
        Ok(fields.join(" "))
    }

    /// Expands one word into fields (split on blanks when `split`).
    fn expand_into(
        &mut self,
        w: &Word,
        split: bool,
        now: Millis,
        env: &mut dyn Env,
        fields: &mut Vec<String>,
    ) -> Result<(), String> {
        let mut cur = String::new();
        let mut have = false;
        for part in &w.parts {
            let (value, quoted) = match part {
                Part::Lit { text, quoted } => {
                    self.expanded += text.len();
                    if self.expanded > MAX_EXPANSION_BYTES {
                        return Err("sh: podplay: argument list too long".to_string());
                    }
                    cur.push_str(text);
                    have |= *quoted || !text.is_empty();
                    continue;
                }
                // `"$@"` and bash's `"${name[@]}"`: one field per item.
                Part::Param { name, index, quoted: true, op: None }
                    if split && (name == "@" && index.is_none() || matches!(index, Some(Sub::All(false)))) =>
                {
                    let items = match index {
                        None => self.params.clone(),
                        Some(_) => self.elements(name),
                    };
                    self.expanded += items.iter().map(String::len).sum::<usize>();
                    if self.expanded > MAX_EXPANSION_BYTES {
                        return Err("sh: podplay: argument list too long".to_string());
                    }
                    for (i, p) in items.iter().enumerate() {
                        if i > 0 {
                            fields.push(std::mem::take(&mut cur));
                        }
                        cur.push_str(p);
                        have = true;
                    }
                    continue;
                }
                Part::Param { name, index, op, quoted } => {
                    let val = self.value(name, index.as_ref(), now, env)?;
                    (self.param(name, val, op.as_ref(), now, env)?, *quoted)
                }
                Part::Length { name, index } => {
                    let n = match index {
                        Some(Sub::All(_)) => self.elements(name).len(),
                        _ => self.value(name, index.as_ref(), now, env)?.map(|v| v.chars().count()).unwrap_or(0),
                    };
                    (n.to_string(), true)
                }
                Part::Subst { script, quoted } => (self.subst(script, now, env), *quoted),
                Part::Arith { expr, quoted } => {
                    let v = utils::arith(expr, &|n| self.var(n).cloned().unwrap_or_default())?;
                    (v.to_string(), *quoted)
                }
            };
            self.expanded += value.len();
            if self.expanded > MAX_EXPANSION_BYTES {
                return Err("sh: podplay: argument list too long".to_string());
            }
            if quoted || !split {
                cur.push_str(&value);
                have = true;
                continue;
            }
            let ws = |c: char| c == ' ' || c == '\t' || c == '\n';
            let pieces: Vec<&str> = value.split(ws).filter(|s| !s.is_empty()).collect();
            if pieces.is_empty() {
                if !value.is_empty() && (have || !cur.is_empty()) {
                    fields.push(std::mem::take(&mut cur));
                    have = false;
                }
                continue;
            }
            if value.starts_with(ws) && (have || !cur.is_empty()) {
                fields.push(std::mem::take(&mut cur));
            }
            for (i, p) in pieces.iter().enumerate() {
                if i > 0 {
                    fields.push(std::mem::take(&mut cur));
                }
                cur.push_str(p);
            }
            have = true;
            if value.ends_with(ws) {
                fields.push(std::mem::take(&mut cur));
                have = false;
            }
        }
        if have || !cur.is_empty() {
            fields.push(cur);
        }
        Ok(())
    }

    fn lookup(&self, name: &str) -> Option<String> {
        Some(match name {
            "?" => self.status.to_string(),
            "$" => {
                if self.pid1 {
                    "1".to_string()
                } else {
                    "42".to_string()
                }
            }
            "#" => self.params.len().to_string(),
            "@" | "*" => self.params.join(" "),
            "!" => self.last_bg?.to_string(),
            "-" => format!("{}{}", if self.errexit { "e" } else { "" }, if self.xtrace { "x" } else { "" }),
            "0" => self.arg0.clone(),
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().ok()?;
                self.params.get(i.checked_sub(1)?)?.clone()
            }
            n => return self.var(n).cloned(),
        })
    }

    /// The value of `$name`, `${name[i]}` or `${name[@]}` (its elements
    /// joined by blanks; `None` when there are none), before any operator.
    fn value(
        &mut self,
        name: &str,
        index: Option<&Sub>,
        now: Millis,
        env: &mut dyn Env,
    ) -> Result<Option<String>, String> {
        match index {
            None => Ok(self.lookup(name)),
            Some(Sub::Index(w)) => self.element(name, w, now, env),
            Some(Sub::All(_)) => {
                let items = self.elements(name);
                Ok((!items.is_empty()).then(|| items.join(" ")))
            }
        }
    }

    fn param(
        &mut self,
        name: &str,
        val: Option<String>,
        op: Option<&(ParamOp, bool, Word)>,
        now: Millis,
        env: &mut dyn Env,
    ) -> Result<String, String> {
        let Some((op, colon, word)) = op else {
            return Ok(val.unwrap_or_default());
        };
        let unset = match &val {
            None => true,
            Some(v) => *colon && v.is_empty(),
        };
        Ok(match op {
            ParamOp::Default if unset => self.expand_word(word, now, env)?,
            ParamOp::Assign if unset => {
                let v = self.expand_word(word, now, env)?;
                self.set_var(name, v.clone());
                v
            }
            ParamOp::Alt => {
                if unset {
                    String::new()
                } else {
                    self.expand_word(word, now, env)?
                }
            }
            ParamOp::Error if unset => {
                let msg = self.expand_word(word, now, env)?;
                let msg = if msg.is_empty() { "parameter not set".to_string() } else { msg };
                return Err(format!("sh: {name}: {msg}"));
            }
            _ => val.unwrap_or_default(),
        })
    }

    /// `$(…)`: runs to completion at once in a subshell, output captured.
    fn subst(&mut self, script: &Script, now: Millis, env: &mut dyn Env) -> String {
        if self.sync_depth >= MAX_SUBST_DEPTH {
            self.subst_status = Some(1);
            return String::new();
        }
        let mut child = self.child(script.code.clone());
        child.capture = Some(String::new());
        child.sync_depth = self.sync_depth + 1;
        let code = match child.run(now, env) {
            Step::Exited(c) => c,
            _ => {
                self.note_unsupported("long-running commands inside `$(…)`");
                1
            }
        };
        for u in child.unsupported.drain(..) {
            if !self.unsupported.contains(&u) {
                self.unsupported.push(u);
            }
        }
        self.subst_status = Some(code);
        let mut out = child.capture.take().unwrap_or_default();
        while out.ends_with('\n') {
            out.pop();
        }
        out
    }

    // ------------------------------------------------------------ commands

    fn run_simple(&mut self, cmd: &Simple, exec: bool, now: Millis, env: &mut dyn Env) -> (Outcome, bool) {
        self.subst_status = None;
        self.expanded = 0;
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
                self.write(env, &base.err, &msg);
                return (Outcome::Done(1), false);
            }
        };
        if self.xtrace {
            let mut line: Vec<String> = assigns.iter().map(Assigned::trace).collect();
            line.extend(argv.iter().cloned());
            self.write(env, &fds.err, &format!("+ {}\n", line.join(" ")));
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
        let mut out = Out::default();
        self.temp_env = self.temp_assigns(assigns, &mut out);
        let outcome = match self.dispatch(&argv, now, env, &mut out) {
            // `tail -f` keeps writing where the command's stdout goes.
            Outcome::Follow(files, _) => Outcome::Follow(files, fds.out.clone()),
            o => o,
        };
        self.temp_env.clear();
        self.write(env, &fds.out, &out.out);
        self.write(env, &fds.err, &out.err);
        (outcome, exec)
    }

    /// Assignments before a command, for its environment only. bash passes
    /// `a=(1 2) cmd` as the text `a=(1 2)` and refuses `a[1]=x cmd`.
    fn temp_assigns(&self, assigns: Vec<Assigned>, out: &mut Out) -> Vec<(String, String)> {
        let mut vars = Vec::new();
        for a in assigns {
            match a {
                Assigned::Scalar(k, v, append) => {
                    let v = match append {
                        true => self.var(&k).cloned().unwrap_or_default() + &v,
                        false => v,
                    };
                    vars.push((k, v));
                }
                Assigned::Array(..) => {
                    let trace = a.trace();
                    if let Some((k, v)) = trace.split_once('=') {
                        vars.push((k.trim_end_matches('+').to_string(), v.to_string()));
                    }
                }
                Assigned::Element(k, i, ..) => out.e(&format!("bash: `{k}[{i}]': not a valid identifier")),
            }
        }
        vars
    }

    fn dispatch(&mut self, argv: &[String], now: Millis, env: &mut dyn Env, out: &mut Out) -> Outcome {
        let args = &argv[1..];
        let name = builtin_name(&argv[0]);
        use Outcome::Done;
        match name {
            ":" | "true" => Done(0),
            "false" => Done(1),
            "exit" => match args.first() {
                None => Outcome::Exit(self.status),
                Some(n) => match n.parse::<i64>() {
                    Ok(v) => Outcome::Exit((v & 255) as i32),
                    Err(_) => {
                        out.e(&format!("sh: exit: Illegal number: {n}"));
                        Outcome::Exit(2)
                    }
                },
            },
            "echo" => {
                out.o(&utils::echo(args));
                Done(0)
            }
            "printf" => match args.split_first() {
                None => {
                    out.e("printf: usage: printf FORMAT [ARGUMENT...]");
                    Done(2)
                }
                Some((fmt, rest)) => {
                    let (text, err) = utils::printf(fmt, rest);
                    out.o(&text);
                    match err {
                        Some(e) => {
                            out.e(&e);
                            Done(1)
                        }
                        None => Done(0),
                    }
                }
            },
            "sleep" => match utils::sleep_duration(args) {
                Ok(Some(0)) => Done(0),
                Ok(Some(ms)) => Outcome::Until(now.saturating_add(ms), 0),
                Ok(None) => Outcome::Forever(None),
                Err(e) => {
                    out.e(&e);
                    Done(1)
                }
            },
            "touch" => {
                let mut st = 0;
                for f in args.iter().filter(|a| !a.starts_with('-')) {
                    let p = self.path(f);
                    if p != "/dev/null" && !env.file_exists(&p) {
                        if let Err(m) = env.write_file(&p, "", true) {
                            out.e(&format!("touch: {f}: {m}"));
                            st = 1;
                        }
                    }
                }
                Done(st)
            }
            "rm" => self.rm(args, env, out),
            "mkdir" => {
                let parents = args.iter().any(|a| a.starts_with('-') && a.contains('p'));
                let mut st = 0;
                for d in args.iter().filter(|a| !a.starts_with('-')) {
                    let p = self.path(d);
                    if parents && env.is_dir(&p) {
                        continue;
                    }
                    if env.file_exists(&p) {
                        out.e(&format!("mkdir: can't create directory '{d}': File exists"));
                        st = 1;
                    } else if let Err(m) = env.mkdir(&p, parents) {
                        out.e(&format!("mkdir: can't create directory '{d}': {m}"));
                        st = 1;
                    }
                }
                Done(st)
            }
            "cat" => {
                let mut st = 0;
                for f in args.iter().filter(|a| a.as_str() == "-" || !a.starts_with('-')) {
                    let p = self.path(f);
                    if f == "-" || p == "/dev/null" {
                        continue;
                    }
                    if env.is_dir(&p) {
                        out.e("cat: read error: Is a directory");
                        st = 1;
                        continue;
                    }
                    match env.read_file(&p) {
                        Some(text) => out.o(&text),
                        None => {
                            out.e(&format!("cat: can't open '{f}': No such file or directory"));
                            st = 1;
                        }
                    }
                }
                Done(st)
            }
            // BusyBox ash (bash compatibility, as in the busybox images)
            // runs `[[ … ]]` as `test` ending in `]]` (coreutils/test.c).
            "test" | "[" | "[[" => {
                let mut a = args.to_vec();
                if name != "test" {
                    let close = if name == "[" { "]" } else { "]]" };
                    if a.last().map(String::as_str) != Some(close) {
                        out.e(&format!("sh: {name}: missing {close}"));
                        return Done(2);
                    }
                    a.pop();
                }
                let fs = EnvFiles { env: &*env, cwd: self };
                match utils::test(&a, &fs, 0) {
                    Ok(true) => Done(0),
                    Ok(false) => Done(1),
                    Err(e) => {
                        out.e(&e);
                        Done(2)
                    }
                }
            }
            "hostname" => {
                let h = env.hostname();
                if args.iter().any(|a| a == "-i") {
                    match env.resolve(&h) {
                        Some(ip) => out.o(&format!("{ip}\n")),
                        None => {
                            out.e(&format!("hostname: {h}: Unknown host"));
                            return Done(1);
                        }
                    }
                } else {
                    out.o(&format!("{h}\n"));
                }
                Done(0)
            }
            "date" => {
                let fmt = args.iter().find_map(|a| a.strip_prefix('+'));
                out.o(&format!("{}\n", utils::date(now, fmt)));
                Done(0)
            }
            "env" | "printenv" => self.env_cmd(name, args, env, now, out),
            "nslookup" => self.nslookup(args, env, out),
            "wget" => self.wget(args, now, env, out),
            "curl" => self.curl(args, now, env, out),
            "kill" | "killall" | "pkill" => self.kill(name, args, now, env, out),
            "wait" => match args.first() {
                None => Outcome::Wait(None),
                Some(p) => match p.parse::<u32>() {
                    Ok(pid) if self.jobs.iter().any(|j| j.pid == pid) => Outcome::Wait(Some(pid)),
                    _ => {
                        out.e(&format!("sh: wait: pid {p} is not a child of this shell"));
                        Done(127)
                    }
                },
            },
            "cd" => {
                let target = args.first().cloned().or_else(|| self.var("HOME").cloned()).unwrap_or("/".into());
                let p = self.path(&target);
                if env.is_dir(&p) || p == "/" {
                    self.cwd = p.clone();
                    self.set_var("PWD", p);
                    Done(0)
                } else {
                    out.e(&format!("sh: cd: can't cd to {target}: No such file or directory"));
                    Done(2)
                }
            }
            "pwd" => {
                out.o(&format!("{}\n", self.cwd));
                Done(0)
            }
            "export" => {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    match a.split_once('=') {
                        Some((k, v)) => {
                            self.set_var(k, v.to_string());
                            self.exported.insert(k.to_string());
                        }
                        None => {
                            self.exported.insert(a.clone());
                        }
                    }
                }
                if args.is_empty() || args.iter().any(|a| a == "-p") {
                    for (k, v) in self.exported_vars() {
                        out.o(&format!("export {k}='{v}'\n"));
                    }
                }
                Done(0)
            }
            "unset" => self.unset_cmd(args, out),
            "set" => self.set_cmd(args, out),
            "shift" => {
                let n = args.first().and_then(|a| a.parse::<usize>().ok()).unwrap_or(1);
                if n > self.params.len() {
                    out.e("sh: shift: can't shift that many");
                    return Done(1);
                }
                self.params.drain(..n);
                Done(0)
            }
            "trap" => self.trap(args, out),
            "tail" => self.tail(args, env, out),
            "seq" => seq(args, out),
            "rev" => self.rev(args, env, out),
            "break" | "continue" => Done(0),
            "read" => {
                self.note_unsupported("read");
                out.e(&unsupported_message("read"));
                Done(2)
            }
            _ => match env.program(argv, now) {
                Program::Unknown => {
                    out.e(&format!("sh: {}: not found", argv[0]));
                    self.note_unsupported(&argv[0]);
                    Done(127)
                }
                Program::Exits { after_ms, code, output } => {
                    for line in output {
                        out.o(&line);
                        out.o("\n");
                    }
                    if after_ms == 0 {
                        Done(code)
                    } else {
                        Outcome::Until(now.saturating_add(after_ms), code)
                    }
                }
                Program::Runs { term } => Outcome::Forever(Some(term)),
            },
        }
    }

    /// `unset NAME…`; in bash also `unset 'NAME[i]'` (one element) and
    /// `unset 'NAME[@]'` (the whole array), bash manual "Arrays".
    fn unset_cmd(&mut self, args: &[String], out: &mut Out) -> Outcome {
        let mut st = 0;
        for a in args.iter().filter(|a| !a.starts_with('-')) {
            let element = a
                .strip_suffix(']')
                .and_then(|a| a.split_once('['))
                .filter(|(name, _)| self.bash && super::parse::is_name(name));
            let Some((name, sub)) = element else {
                self.unset_var(a);
                continue;
            };
            if sub == "@" || sub == "*" {
                self.unset_var(name);
                continue;
            }
            let i = match utils::arith(sub, &|n| self.var(n).cloned().unwrap_or_default()) {
                Ok(i) => i,
                Err(e) => {
                    out.e(&e);
                    st = 1;
                    continue;
                }
            };
            let last = self.arrays.get(name).and_then(Array::last);
            let i = match (i, last) {
                (i, _) if i >= 0 => i,
                (i, Some(m)) if m.saturating_add(1).saturating_add(i) >= 0 => m + 1 + i,
                _ => {
                    out.e(&format!("bash: unset: [{sub}]: bad array subscript"));
                    st = 1;
                    continue;
                }
            };
            match self.arrays.get_mut(name) {
                Some(arr) => arr.remove(&i),
                None if i == 0 => self.unset_var(name),
                None => {}
            }
        }
        Outcome::Done(st)
    }

    fn rm(&mut self, args: &[String], env: &mut dyn Env, out: &mut Out) -> Outcome {
        let mut force = false;
        let mut recursive = false;
        let mut files = Vec::new();
        for a in args {
            match a.strip_prefix('-') {
                Some(flags) if !flags.is_empty() && files.is_empty() => {
                    force |= flags.contains('f');
                    recursive |= flags.contains('r') || flags.contains('R');
                }
                _ => files.push(a),
            }
        }
        let mut st = 0;
        for f in files {
            let p = self.path(f);
            if !env.file_exists(&p) {
                if !force {
                    out.e(&format!("rm: can't remove '{f}': No such file or directory"));
                    st = 1;
                }
                continue;
            }
            if env.is_dir(&p) && !recursive {
                out.e(&format!("rm: can't remove '{f}': Is a directory"));
                st = 1;
                continue;
            }
            if !env.remove(&p, recursive) {
                out.e(&format!("rm: can't remove '{f}': Permission denied"));
                st = 1;
            }
        }
        Outcome::Done(st)
    }

    fn env_cmd(&mut self, name: &str, args: &[String], env: &mut dyn Env, now: Millis, out: &mut Out) -> Outcome {
        let mut all = self.exported_vars();
        for (k, v) in &self.temp_env {
            all.insert(k.clone(), v.clone());
        }
        if name == "printenv" && !args.is_empty() {
            let mut st = 0;
            for a in args {
                match all.get(a) {
                    Some(v) => out.o(&format!("{v}\n")),
                    None => st = 1,
                }
            }
            return Outcome::Done(st);
        }
        // `env CMD…` (possibly with NAME=value first) runs CMD.
        let rest: Vec<String> = args.iter().skip_while(|a| a.contains('=') || a.starts_with('-')).cloned().collect();
        if name == "env" && !rest.is_empty() {
            return self.dispatch(&rest, now, env, out);
        }
        for a in args.iter().filter(|a| a.contains('=')) {
            if let Some((k, v)) = a.split_once('=') {
                all.insert(k.to_string(), v.to_string());
            }
        }
        for (k, v) in all {
            out.o(&format!("{k}={v}\n"));
        }
        Outcome::Done(0)
    }

    fn set_cmd(&mut self, args: &[String], out: &mut Out) -> Outcome {
        if args.is_empty() {
            for line in self.all_vars().values() {
                out.o(&format!("{line}\n"));
            }
            return Outcome::Done(0);
        }
        let mut i = 0;
        while let Some(a) = args.get(i) {
            i += 1;
            if a == "--" {
                self.params = args[i..].to_vec();
                return Outcome::Done(0);
            }
            let (on, flags) = match (a.strip_prefix('-'), a.strip_prefix('+')) {
                (Some(f), _) => (true, f),
                (_, Some(f)) => (false, f),
                _ => {
                    self.params = args[i - 1..].to_vec();
                    return Outcome::Done(0);
                }
            };
            for f in flags.chars() {
                match f {
                    'e' => self.errexit = on,
                    'x' => self.xtrace = on,
                    'o' => {
                        let opt = args.get(i).map(String::as_str);
                        i += 1;
                        match opt {
                            Some("errexit") => self.errexit = on,
                            Some("xtrace") => self.xtrace = on,
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
        }
        Outcome::Done(0)
    }

    fn trap(&mut self, args: &[String], out: &mut Out) -> Outcome {
        if args.is_empty() || args == ["-p"] {
            for (sig, action) in &self.traps.0 {
                let name = match sig {
                    0 => "EXIT",
                    1 => "HUP",
                    2 => "INT",
                    3 => "QUIT",
                    15 => "TERM",
                    _ => "SIG",
                };
                out.o(&format!("trap -- '{action}' {name}\n"));
            }
            return Outcome::Done(0);
        }
        let (action, sigs) = if args.len() == 1 || utils::signal_number(&args[0]).is_some() && args[0] != "-" {
            // `trap SIG…` (first operand a signal): reset.
            (None, args)
        } else if args[0] == "-" {
            (None, &args[1..])
        } else {
            (Some(args[0].clone()), &args[1..])
        };
        if let Some(a) = &action {
            if let Err(e) = parse_at(a, 0, false, self.bash) {
                out.e(&e.message);
                return Outcome::Done(2);
            }
        }
        let mut st = 0;
        for s in sigs {
            match utils::signal_number(s) {
                Some(n) => {
                    match &action {
                        Some(a) => self.traps.insert(n, a.clone()),
                        None => drop(self.traps.remove(&n)),
                    };
                }
                None => {
                    out.e(&format!("sh: trap: {s}: invalid signal specification"));
                    st = 1;
                }
            }
        }
        Outcome::Done(st)
    }

    fn tail(&mut self, args: &[String], env: &mut dyn Env, out: &mut Out) -> Outcome {
        let mut follow = false;
        // The last `n` lines, or from line `n` on with `-n +N`.
        let mut n = 10usize;
        let mut from_start = false;
        let mut files = Vec::new();
        let mut i = 0;
        let count = |v: &str, n: &mut usize, from_start: &mut bool| {
            *from_start = v.starts_with('+');
            *n = v.trim_start_matches('+').parse().unwrap_or(10);
        };
        while let Some(a) = args.get(i) {
            i += 1;
            match a.as_str() {
                "-f" | "-F" | "--follow" => follow = true,
                "-n" => {
                    count(args.get(i).map_or("", |v| v.as_str()), &mut n, &mut from_start);
                    i += 1;
                }
                s if s.starts_with("-n") => count(&s[2..], &mut n, &mut from_start),
                s if s.starts_with('-') && s.len() > 1 => {
                    follow |= s.contains('f') || s.contains('F');
                    if let Ok(v) = s.trim_start_matches('-').trim_end_matches(['f', 'F']).parse() {
                        n = v;
                    }
                }
                _ => files.push(a.clone()),
            }
        }
        let mut followed = Vec::new();
        for f in &files {
            let p = self.path(f);
            if p == "/dev/null" {
                continue;
            }
            match env.read_file(&p) {
                Some(text) => {
                    let lines: Vec<&str> = text.lines().collect();
                    let first = if from_start { n.saturating_sub(1) } else { lines.len().saturating_sub(n) };
                    for l in lines.get(first..).unwrap_or(&[]) {
                        out.o(&format!("{l}\n"));
                    }
                    followed.push((p, text.len()));
                }
                None => {
                    followed.push((p, 0));
                    out.e(&format!("tail: can't open '{f}': No such file or directory"));
                    if !follow {
                        return Outcome::Done(1);
                    }
                }
            }
        }
        if follow && !followed.is_empty() {
            Outcome::Follow(followed, Target::Log)
        } else if follow {
            // `tail -f` of stdin or /dev/null waits for ever.
            Outcome::Forever(None)
        } else {
            Outcome::Done(0)
        }
    }

    fn nslookup(&mut self, args: &[String], env: &mut dyn Env, out: &mut Out) -> Outcome {
        let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
            out.e("Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]");
            return Outcome::Done(1);
        };
        out.o(&format!("Server:\t\t{DNS_SERVER}\nAddress:\t{DNS_SERVER}:53\n\n"));
        match env.resolve(name) {
            Some(ip) => {
                out.o(&format!("Name:\t{name}\nAddress: {ip}\n\n"));
                Outcome::Done(0)
            }
            None => {
                out.o(&format!("** server can't find {name}: NXDOMAIN\n\n"));
                Outcome::Done(1)
            }
        }
    }

    fn ip_of(&self, env: &mut dyn Env, host: &str) -> String {
        if host.parse::<std::net::Ipv4Addr>().is_ok() {
            return host.to_string();
        }
        env.resolve(host).map(|ip| ip.to_string()).unwrap_or_else(|| host.to_string())
    }

    fn wget(&mut self, args: &[String], now: Millis, env: &mut dyn Env, out: &mut Out) -> Outcome {
        let mut quiet = false;
        let mut spider = false;
        let mut output: Option<String> = None;
        let mut timeout = WGET_TIMEOUT_MS;
        let mut url = None;
        let mut i = 0;
        let secs = |v: &str| v.parse::<f64>().ok().map(|s| (s.max(0.0) * 1000.0).min(1e12) as Millis);
        while let Some(a) = args.get(i) {
            i += 1;
            if let Some(long) = a.strip_prefix("--") {
                let (k, v) = match long.split_once('=') {
                    Some((k, v)) => (k, Some(v.to_string())),
                    None => (long, None),
                };
                let mut value = || {
                    v.clone().or_else(|| {
                        i += 1;
                        args.get(i - 1).cloned()
                    })
                };
                match k {
                    "spider" => spider = true,
                    "quiet" => quiet = true,
                    "timeout" => timeout = value().as_deref().and_then(secs).unwrap_or(timeout),
                    "output-document" => output = value(),
                    "header" | "user-agent" | "tries" | "post-data" => {
                        value();
                    }
                    "no-check-certificate" | "server-response" | "no-verbose" => {}
                    _ => {
                        out.e(&format!("wget: unrecognized option '--{k}'"));
                        self.note_unsupported(&format!("wget --{k}"));
                        return Outcome::Done(1);
                    }
                }
            } else if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
                let chars: Vec<char> = flags.chars().collect();
                let mut k = 0;
                while k < chars.len() {
                    let c = chars[k];
                    k += 1;
                    let takes = matches!(c, 'O' | 'T' | 'U' | 'Y' | 'P' | 't' | 'o');
                    let value = if takes {
                        let rest: String = chars[k..].iter().collect();
                        k = chars.len();
                        if rest.is_empty() {
                            i += 1;
                            args.get(i - 1).cloned()
                        } else {
                            Some(rest)
                        }
                    } else {
                        None
                    };
                    match c {
                        'q' => quiet = true,
                        's' => spider = true,
                        'S' | 'c' => {}
                        'O' => output = value,
                        'T' => timeout = value.as_deref().and_then(secs).unwrap_or(timeout),
                        'U' | 'Y' | 'P' | 't' | 'o' => {}
                        _ => {
                            out.e(&format!("wget: invalid option -- '{c}'"));
                            self.note_unsupported(&format!("wget -{c}"));
                            return Outcome::Done(1);
                        }
                    }
                }
            } else {
                url = Some(a.clone());
            }
        }
        let Some(raw) = url else {
            out.e("wget: missing URL");
            return Outcome::Done(1);
        };
        let Some(u) = utils::parse_url(&raw) else {
            out.e(&format!("wget: not an http or ftp url: {raw}"));
            return Outcome::Done(1);
        };
        match env.http_get(&u.full, timeout) {
            HttpOutcome::NoHost => {
                out.e(&format!("wget: bad address '{}'", u.host));
                Outcome::Done(1)
            }
            HttpOutcome::Refused => {
                let ip = self.ip_of(env, &u.host);
                if !quiet {
                    out.e(&format!("Connecting to {} ({ip}:{})", u.host, u.port));
                }
                out.e(&format!("wget: can't connect to remote host ({ip}): Connection refused"));
                Outcome::Done(1)
            }
            HttpOutcome::Timeout => {
                if !quiet {
                    let ip = self.ip_of(env, &u.host);
                    out.e(&format!("Connecting to {} ({ip}:{})", u.host, u.port));
                }
                out.e("wget: download timed out");
                Outcome::Until(now.saturating_add(timeout), 1)
            }
            HttpOutcome::Status(code, body) => {
                if !quiet {
                    let ip = self.ip_of(env, &u.host);
                    out.e(&format!("Connecting to {} ({ip}:{})", u.host, u.port));
                }
                if code >= 400 {
                    out.e(&format!("wget: server returned error: HTTP/1.1 {code} {}", utils::reason(code)));
                    return Outcome::Done(1);
                }
                if spider {
                    if !quiet {
                        out.e("remote file exists");
                    }
                    return Outcome::Done(0);
                }
                let file = output.unwrap_or_else(|| {
                    let base = u.path.rsplit('/').next().unwrap_or("");
                    if base.is_empty() {
                        "index.html".to_string()
                    } else {
                        base.to_string()
                    }
                });
                if file == "-" {
                    if !quiet {
                        out.e("writing to stdout");
                    }
                    out.o(&body);
                    if !quiet {
                        out.e("written to stdout");
                    }
                    return Outcome::Done(0);
                }
                let p = self.path(&file);
                if !quiet {
                    out.e(&format!("saving to '{file}'"));
                }
                if p != "/dev/null" {
                    if let Err(m) = env.write_file(&p, &body, false) {
                        out.e(&format!("wget: can't open '{file}': {m}"));
                        return Outcome::Done(1);
                    }
                }
                if !quiet {
                    out.e(&format!("'{file}' saved"));
                }
                Outcome::Done(0)
            }
        }
    }

    fn curl(&mut self, args: &[String], now: Millis, env: &mut dyn Env, out: &mut Out) -> Outcome {
        let mut silent = false;
        let mut show_error = false;
        let mut fail = false;
        let mut output: Option<String> = None;
        let mut max_time: Option<Millis> = None;
        let mut connect_timeout: Option<Millis> = None;
        let mut write_out: Option<String> = None;
        let mut head = false;
        let mut url = None;
        let secs = |v: Option<&String>| {
            v.and_then(|s| s.parse::<f64>().ok()).map(|s| (s.max(0.0) * 1000.0).min(1e12) as Millis)
        };
        let mut i = 0;
        while let Some(a) = args.get(i) {
            i += 1;
            if let Some(long) = a.strip_prefix("--") {
                let (k, inline) = match long.split_once('=') {
                    Some((k, v)) => (k, Some(v.to_string())),
                    None => (long, None),
                };
                let takes = matches!(
                    k,
                    "output"
                        | "max-time"
                        | "connect-timeout"
                        | "write-out"
                        | "header"
                        | "request"
                        | "data"
                        | "user-agent"
                        | "retry"
                        | "retry-delay"
                        | "retry-max-time"
                        | "cacert"
                        | "user"
                );
                let v = if takes {
                    inline.or_else(|| {
                        i += 1;
                        args.get(i - 1).cloned()
                    })
                } else {
                    None
                };
                match k {
                    "silent" => silent = true,
                    "show-error" => show_error = true,
                    "fail" => fail = true,
                    "head" => head = true,
                    "output" => output = v,
                    "max-time" => max_time = secs(v.as_ref()),
                    "connect-timeout" => connect_timeout = secs(v.as_ref()),
                    "write-out" => write_out = v,
                    "location" | "insecure" | "verbose" | "include" | "http1.1" | "no-progress-meter" => {}
                    _ if takes => {}
                    _ => {
                        out.e(&format!("curl: option --{k}: is unknown"));
                        self.note_unsupported(&format!("curl --{k}"));
                        return Outcome::Done(2);
                    }
                }
            } else if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
                let chars: Vec<char> = flags.chars().collect();
                let mut k = 0;
                while k < chars.len() {
                    let c = chars[k];
                    k += 1;
                    let takes = matches!(c, 'o' | 'm' | 'w' | 'H' | 'X' | 'd' | 'A' | 'u' | 'e');
                    let value = if takes {
                        let rest: String = chars[k..].iter().collect();
                        k = chars.len();
                        if rest.is_empty() {
                            i += 1;
                            args.get(i - 1).cloned()
                        } else {
                            Some(rest)
                        }
                    } else {
                        None
                    };
                    match c {
                        's' => silent = true,
                        'S' => show_error = true,
                        'f' => fail = true,
                        'I' => head = true,
                        'o' => output = value,
                        'm' => max_time = secs(value.as_ref()),
                        'w' => write_out = value,
                        'L' | 'k' | 'v' | 'i' | 'H' | 'X' | 'd' | 'A' | 'u' | 'e' | '4' => {}
                        _ => {
                            out.e(&format!("curl: option -{c}: is unknown"));
                            self.note_unsupported(&format!("curl -{c}"));
                            return Outcome::Done(2);
                        }
                    }
                }
            } else {
                url = Some(a.clone());
            }
        }
        let quiet_err = silent && !show_error;
        let Some(raw) = url else {
            if !quiet_err {
                out.e("curl: (2) no URL specified");
            }
            return Outcome::Done(2);
        };
        let Some(u) = utils::parse_url(&raw) else {
            if !quiet_err {
                out.e(&format!("curl: (1) Protocol not supported or disabled in libcurl: {raw}"));
            }
            return Outcome::Done(1);
        };
        let timeout = max_time.or(connect_timeout).unwrap_or(CURL_TIMEOUT_MS);
        let code_out = |out: &mut Out, code: u16| {
            if let Some(w) = &write_out {
                let (text, _) = utils::unescape(
                    &w.replace("%{http_code}", &format!("{code:03}"))
                        .replace("%{response_code}", &format!("{code:03}")),
                );
                out.o(&text);
            }
        };
        match env.http_get(&u.full, timeout) {
            HttpOutcome::NoHost => {
                if !quiet_err {
                    out.e(&format!("curl: (6) Could not resolve host: {}", u.host));
                }
                code_out(out, 0);
                Outcome::Done(6)
            }
            HttpOutcome::Refused => {
                if !quiet_err {
                    out.e(&format!(
                        "curl: (7) Failed to connect to {} port {} after 0 ms: Couldn't connect to server",
                        u.host, u.port
                    ));
                }
                code_out(out, 0);
                Outcome::Done(7)
            }
            HttpOutcome::Timeout => {
                if !quiet_err {
                    if max_time.is_some() {
                        out.e(&format!(
                            "curl: (28) Operation timed out after {timeout} milliseconds with 0 bytes received"
                        ));
                    } else {
                        out.e(&format!("curl: (28) Connection timed out after {timeout} milliseconds"));
                    }
                }
                code_out(out, 0);
                Outcome::Until(now.saturating_add(timeout), 28)
            }
            HttpOutcome::Status(code, body) => {
                if fail && code >= 400 {
                    if !quiet_err {
                        out.e(&format!("curl: (22) The requested URL returned error: {code}"));
                    }
                    code_out(out, code);
                    return Outcome::Done(22);
                }
                let body = if head { format!("HTTP/1.1 {code} {}\r\n\r\n", utils::reason(code)) } else { body };
                match output.as_deref() {
                    None | Some("-") => out.o(&body),
                    Some(f) => {
                        let p = self.path(f);
                        if p != "/dev/null" {
                            if let Err(m) = env.write_file(&p, &body, false) {
                                if !quiet_err {
                                    out.e(&format!("curl: (23) Failure writing output to destination: {m}"));
                                }
                                return Outcome::Done(23);
                            }
                        }
                    }
                }
                code_out(out, code);
                Outcome::Done(0)
            }
        }
    }

    fn kill(&mut self, name: &str, args: &[String], now: Millis, env: &mut dyn Env, out: &mut Out) -> Outcome {
        let mut sig = 15;
        let mut quiet = false;
        let mut targets = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            i += 1;
            if a == "-s" || a == "-n" {
                sig = args.get(i).and_then(|s| utils::signal_number(s)).unwrap_or(15);
                i += 1;
            } else if a == "-q" {
                quiet = true;
            } else if a == "-l" {
                out.o("HUP INT QUIT KILL USR1 USR2 PIPE ALRM TERM\n");
                return Outcome::Done(0);
            } else if a.starts_with('-') && targets.is_empty() && a.len() > 1 {
                match utils::signal_number(a) {
                    Some(n) => sig = n,
                    None if name != "kill" && a.len() == 2 => {}
                    None => {
                        out.e(&format!("{name}: bad signal name '{}'", &a[1..]));
                        return Outcome::Done(1);
                    }
                }
            } else {
                targets.push(a.clone());
            }
        }
        if targets.is_empty() {
            out.e(&format!("{name}: usage: {name} [-SIG] TARGET..."));
            return Outcome::Done(1);
        }
        let mut st = 0;
        for t in &targets {
            let target = t.strip_prefix('%').unwrap_or(t);
            if name == "kill" {
                let job = target.parse::<u32>().ok().and_then(|p| self.jobs.iter().position(|j| j.pid == p));
                if let Some(k) = job {
                    let j = &mut self.jobs[k];
                    match (sig, j.state) {
                        (_, Step::Exited(_)) => {
                            out.e(&format!("sh: can't kill pid {t}: No such process"));
                            st = 1;
                        }
                        (0, _) => {}
                        (9, _) => j.state = j.proc.sigkill(),
                        _ => j.state = j.proc.sigterm(now, env),
                    }
                    continue;
                }
            }
            if !env.signal_process(target, sig) {
                st = 1;
                match name {
                    "kill" => out.e(&format!("sh: can't kill pid {t}: No such process")),
                    "killall" if !quiet => out.e(&format!("killall: {t}: no process killed")),
                    _ => {}
                }
            }
        }
        Outcome::Done(st)
    }
}

impl Process {
    /// BusyBox `rev [FILE]...` (util-linux/rev.c): each line of each file
    /// reversed, its newline kept; a file that cannot be opened is reported
    /// and the others still printed, exit 1. Without a file (or with `-`) it
    /// reads stdin, which a container's process does not have here (EOF).
    fn rev(&mut self, args: &[String], env: &mut dyn Env, out: &mut Out) -> Outcome {
        let mut st = 0;
        for f in args {
            let p = self.path(f);
            if f == "-" || p == "/dev/null" {
                continue;
            }
            if env.is_dir(&p) {
                out.e(&format!("rev: {f}: Is a directory"));
                st = 1;
                continue;
            }
            match env.read_file(&p) {
                Some(text) => out.o(&utils::rev(&text)),
                None => {
                    out.e(&format!("rev: {f}: No such file or directory"));
                    st = 1;
                }
            }
        }
        Outcome::Done(st)
    }
}

/// `seq [FIRST [INCR]] LAST` with integers.
fn seq(args: &[String], out: &mut Out) -> Outcome {
    let nums: Result<Vec<i64>, &String> = args.iter().map(|a| a.parse::<i64>().map_err(|_| a)).collect();
    let nums = match nums {
        Ok(n) => n,
        Err(a) => {
            out.e(&format!("seq: invalid number '{a}'"));
            return Outcome::Done(1);
        }
    };
    let (first, incr, last) = match nums.as_slice() {
        [l] => (1, 1, *l),
        [f, l] => (*f, 1, *l),
        [f, i, l] => (*f, *i, *l),
        _ => {
            out.e("Usage: seq [-w] [-s SEP] [FIRST [INC]] LAST");
            return Outcome::Done(1);
        }
    };
    if incr == 0 {
        return Outcome::Done(1);
    }
    let mut v = first;
    for _ in 0..MAX_ITEMS {
        if (incr > 0 && v > last) || (incr < 0 && v < last) || out.out.len() >= MAX_OUTPUT_BYTES {
            break;
        }
        out.o(&format!("{v}\n"));
        v = match v.checked_add(incr) {
            Some(n) => n,
            None => break,
        };
    }
    Outcome::Done(0)
}

/// `test`'s view of the filesystem, relative to the shell's directory.
struct EnvFiles<'a> {
    env: &'a dyn Env,
    cwd: &'a Process,
}

impl FileQuery for EnvFiles<'_> {
    fn exists(&self, p: &str) -> bool {
        let p = self.cwd.path(p);
        p == "/dev/null" || self.env.file_exists(&p)
    }
    fn is_dir(&self, p: &str) -> bool {
        self.env.is_dir(&self.cwd.path(p))
    }
    fn size(&self, p: &str) -> usize {
        self.env.read_file(&self.cwd.path(p)).map(|s| s.len()).unwrap_or(0)
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
