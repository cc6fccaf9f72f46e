//! Shell builtins, which change the shell itself: `exit`, `cd`, `pwd`,
//! `export`, `unset`, `set`, `shift`, `trap`, `wait` and `read` (refused);
//! `:`, `true`, `false`, `break` and `continue` are answered by the dispatch
//! table, and `exec` by the interpreter. Messages are busybox ash's
//! (shell/ash.c); under bash, `unset` also takes array elements.

use super::Outcome;
use crate::core::shell::io::Output;
use crate::core::shell::parse::{self, parse_at};
use crate::core::shell::run::Process;
use crate::core::shell::vars::Array;
use crate::core::shell::{utils, Env};

impl Process {
    /// `exit [N]`: N modulo 256; without N, the last command's status.
    pub(super) fn exit_cmd(&self, args: &[String], out: &mut Output) -> Outcome {
        match args.first() {
            None => Outcome::Exit(self.status),
            Some(n) => match n.parse::<i64>() {
                Ok(v) => Outcome::Exit((v & 255) as i32),
                Err(_) => {
                    out.error(&format!("sh: exit: Illegal number: {n}"));
                    Outcome::Exit(2)
                }
            },
        }
    }

    /// `cd [DIR]`: `$HOME` (else `/`) without DIR; sets `PWD`.
    pub(super) fn cd(&mut self, args: &[String], env: &mut dyn Env, out: &mut Output) -> Outcome {
        let target = args.first().cloned().or_else(|| self.var("HOME").cloned()).unwrap_or("/".into());
        let p = self.path(&target);
        if env.is_dir(&p) || p == "/" {
            self.cwd = p.clone();
            self.set_var("PWD", p);
            Outcome::Done(0)
        } else {
            out.error(&format!("sh: cd: can't cd to {target}: No such file or directory"));
            Outcome::Done(2)
        }
    }

    pub(super) fn pwd(&self, out: &mut Output) -> Outcome {
        out.print(&format!("{}\n", self.cwd));
        Outcome::Done(0)
    }

    /// `export NAME[=VALUE]…`; without operands (or with `-p`) it lists the
    /// exported variables.
    pub(super) fn export(&mut self, args: &[String], out: &mut Output) -> Outcome {
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
                out.print(&format!("export {k}='{v}'\n"));
            }
        }
        Outcome::Done(0)
    }

    /// `shift [N]`.
    pub(super) fn shift(&mut self, args: &[String], out: &mut Output) -> Outcome {
        let n = args.first().and_then(|a| a.parse::<usize>().ok()).unwrap_or(1);
        if n > self.params.len() {
            out.error("sh: shift: can't shift that many");
            return Outcome::Done(1);
        }
        self.params.drain(..n);
        Outcome::Done(0)
    }

    /// `wait [PID]`: for every job, or for one child of this shell.
    pub(super) fn wait_cmd(&self, args: &[String], out: &mut Output) -> Outcome {
        match args.first() {
            None => Outcome::Wait(None),
            Some(p) => match p.parse::<u32>() {
                Ok(pid) if self.jobs.iter().any(|j| j.pid == pid) => Outcome::Wait(Some(pid)),
                _ => {
                    out.error(&format!("sh: wait: pid {p} is not a child of this shell"));
                    Outcome::Done(127)
                }
            },
        }
    }

    /// `unset NAME…`; in bash also `unset 'NAME[i]'` (one element) and
    /// `unset 'NAME[@]'` (the whole array), bash manual "Arrays".
    pub(super) fn unset_cmd(&mut self, args: &[String], out: &mut Output) -> Outcome {
        let mut status = 0;
        for a in args.iter().filter(|a| !a.starts_with('-')) {
            let element = a
                .strip_suffix(']')
                .and_then(|a| a.split_once('['))
                .filter(|(name, _)| self.bash && parse::is_name(name));
            let Some((name, sub)) = element else {
                self.unset_var(a);
                continue;
            };
            if sub == "@" || sub == "*" {
                self.unset_var(name);
                continue;
            }
            let i = match self.arith(sub) {
                Ok(i) => i,
                Err(e) => {
                    out.error(&e);
                    status = 1;
                    continue;
                }
            };
            let last = self.arrays.get(name).and_then(Array::last);
            let i = match (i, last) {
                (i, _) if i >= 0 => i,
                (i, Some(m)) if m.saturating_add(1).saturating_add(i) >= 0 => m + 1 + i,
                _ => {
                    out.error(&format!("bash: unset: [{sub}]: bad array subscript"));
                    status = 1;
                    continue;
                }
            };
            match self.arrays.get_mut(name) {
                Some(arr) => arr.remove(&i),
                None if i == 0 => self.unset_var(name),
                None => {}
            }
        }
        Outcome::Done(status)
    }

    pub(super) fn set_cmd(&mut self, args: &[String], out: &mut Output) -> Outcome {
        if args.is_empty() {
            for line in self.all_vars().values() {
                out.print(&format!("{line}\n"));
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

    pub(super) fn trap(&mut self, args: &[String], out: &mut Output) -> Outcome {
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
                out.print(&format!("trap -- '{action}' {name}\n"));
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
                out.error(&e.message);
                return Outcome::Done(2);
            }
        }
        let mut status = 0;
        for s in sigs {
            match utils::signal_number(s) {
                Some(n) => {
                    match &action {
                        Some(a) => self.traps.insert(n, a.clone()),
                        None => drop(self.traps.remove(&n)),
                    };
                }
                None => {
                    out.error(&format!("sh: trap: {s}: invalid signal specification"));
                    status = 1;
                }
            }
        }
        Outcome::Done(status)
    }
}
