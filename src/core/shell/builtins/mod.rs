//! The commands podplay runs itself, and the hand-off of any other command
//! to the image ([`Env::program`]): a program of the image (nginx, agnhost…)
//! or ash's `sh: NAME: not found`, exit 127.
//!
//! The commands come by family, one file each: [`shell`] (builtins that
//! change the shell itself), [`files`] (BusyBox file and text tools),
//! [`net`] (network tools) and [`system`] (processes, time and environment).
//! The names are those of [`super::parse::BUILTINS`], which the parser
//! checks a script against.

mod files;
mod net;
mod shell;
mod system;

use files::{seq, EnvFiles};

use super::io::{Out, Target};
use super::parse::builtin_name;
use super::run::Process;
use super::{unsupported_message, utils, Env, Program, TermBehaviour};
use crate::core::time::Millis;

/// How one simple command went.
pub(super) enum Outcome {
    Done(i32),
    Until(Millis, i32),
    Forever(Option<TermBehaviour>),
    /// `tail -f` on these files (path, bytes already printed); the command's
    /// stdout is filled in by `run_simple`.
    Follow(Vec<(String, usize)>, Target),
    Wait(Option<u32>),
    Exit(i32),
}

impl Process {
    pub(super) fn dispatch(&mut self, argv: &[String], now: Millis, env: &mut dyn Env, out: &mut Out) -> Outcome {
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
}
