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

use super::io::{Output, Target};
use super::parse::builtin_name;
use super::run::Process;
use super::utils;
use super::{Env, Program, TermBehaviour};
use crate::core::time::Millis;

/// How one simple command went.
pub(super) enum Outcome {
    /// It finished with this status.
    Done(i32),
    /// It finishes at this virtual time with this status (`sleep 5`).
    Until(Millis, i32),
    /// It runs until signalled (`sleep infinity`, a server program, with
    /// what it does on SIGTERM).
    Forever(Option<TermBehaviour>),
    /// `tail -f` on these files (path, bytes already printed); the command's
    /// stdout is filled in by `run_simple`.
    Follow(Vec<(String, usize)>, Target),
    /// `wait` for one job, or for all of them.
    Wait(Option<u32>),
    /// It needs more of its stdin: it runs again once more has arrived.
    NeedInput,
    /// `exit N`: the shell ends (after its EXIT trap).
    Exit(i32),
}

impl Process {
    /// Runs one expanded command: `argv[0]` names it (by its base name, so
    /// `/bin/sleep` is `sleep`); what it prints goes to `out`.
    pub(super) fn dispatch(&mut self, argv: &[String], now: Millis, env: &mut dyn Env, out: &mut Output) -> Outcome {
        let args = &argv[1..];
        let name = builtin_name(&argv[0]);
        match name {
            // Shell builtins (shell.rs).
            ":" | "true" | "break" | "continue" => Outcome::Done(0),
            "false" => Outcome::Done(1),
            "exit" => self.exit_cmd(args, out),
            "cd" => self.cd(args, env, out),
            "pwd" => self.pwd(out),
            "export" => self.export(args, out),
            "unset" => self.unset_cmd(args, out),
            "set" => self.set_cmd(args, out),
            "shift" => self.shift(args, out),
            "trap" => self.trap(args, out),
            "wait" => self.wait_cmd(args, out),
            "read" => self.read_cmd(args, out),
            // File and text tools (files.rs).
            "echo" => files::echo(args, out),
            "printf" => files::printf(args, out),
            "test" | "[" | "[[" => self.test_cmd(name, args, env, out),
            "cat" if args.iter().all(|a| a == "-") => self.cat_stdin(out),
            "cat" => self.cat(args, env, out),
            "head" => self.head(args, env, out),
            "ls" => self.ls(args, env, out),
            "touch" => self.touch(args, env, out),
            "mkdir" => self.mkdir(args, env, out),
            "rm" => self.rm(args, env, out),
            "tail" => self.tail(args, env, out),
            "rev" if args.is_empty() => match self.stdin.all() {
                Some(text) => {
                    out.print(&utils::rev(&text));
                    Outcome::Done(0)
                }
                None => Outcome::NeedInput,
            },
            "rev" => self.rev(args, env, out),
            "seq" => files::seq(args, out),
            // Network tools (net.rs), where the image has them: BusyBox has
            // wget and nslookup, not curl; a Debian-based image has none of
            // them unless it installs them (nginx: curl). Else ash's
            // `not found`, as for any program the image lacks.
            "wget" | "curl" | "nslookup" if !env.has_tool(&argv[0]) => {
                out.error(&format!("sh: {}: not found", argv[0]));
                Outcome::Done(127)
            }
            "hostname" => net::hostname(args, env, out),
            "nslookup" => net::nslookup(args, env, out),
            "wget" => self.wget(args, now, env, out),
            "curl" => self.curl(args, now, env, out),
            // Processes, time and environment (system.rs).
            "sleep" => system::sleep(args, now, out),
            "date" => system::date(args, now, out),
            "env" | "printenv" => self.env_cmd(name, args, env, now, out),
            "kill" | "killall" | "pkill" => self.kill(name, args, now, env, out),
            _ => self.program(argv, now, env, out),
        }
    }

    /// A command that is none of the above: the image's own program, or
    /// `sh: NAME: not found` (exit 127), noted as not simulated.
    fn program(&mut self, argv: &[String], now: Millis, env: &mut dyn Env, out: &mut Output) -> Outcome {
        match env.program(argv, now) {
            found @ (Program::Unknown | Program::NotFound) => {
                out.error(&format!("sh: {}: not found", argv[0]));
                if found == Program::Unknown {
                    self.note_unsupported(&argv[0]);
                }
                Outcome::Done(127)
            }
            Program::Exits { after_ms, code, output } => {
                for line in output {
                    out.print(&line);
                    out.print("\n");
                }
                if after_ms == 0 {
                    Outcome::Done(code)
                } else {
                    Outcome::Until(now.saturating_add(after_ms), code)
                }
            }
            Program::Runs { term } => Outcome::Forever(Some(term)),
        }
    }
}
