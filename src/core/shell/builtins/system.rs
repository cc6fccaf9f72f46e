//! Processes, time and environment: `sleep`, `date`, `env`, `printenv`
//! (coreutils/ in BusyBox) and `kill`, `killall`, `pkill` (procps/), as
//! BusyBox has them. `kill` of one of the shell's own background jobs (by
//! its pid) signals it here; any other target goes to
//! [`Env::signal_process`].

use super::Outcome;
use crate::core::shell::io::Output;
use crate::core::shell::run::Process;
use crate::core::shell::{utils, Env, Step};
use crate::core::time::Millis;

/// `sleep DURATION…` (BusyBox: fractions and `s`/`m`/`h`/`d` suffixes;
/// `infinity`).
pub(super) fn sleep(args: &[String], now: Millis, out: &mut Output) -> Outcome {
    match utils::sleep_duration(args) {
        Ok(Some(0)) => Outcome::Done(0),
        Ok(Some(ms)) => Outcome::Until(now.saturating_add(ms), 0),
        Ok(None) => Outcome::Forever(None),
        Err(e) => {
            out.error(&e);
            Outcome::Done(1)
        }
    }
}

/// `date [+FORMAT]`, in UTC at virtual time `now`.
pub(super) fn date(args: &[String], now: Millis, out: &mut Output) -> Outcome {
    let fmt = args.iter().find_map(|a| a.strip_prefix('+'));
    out.print(&format!("{}\n", utils::date(now, fmt)));
    Outcome::Done(0)
}

impl Process {
    pub(super) fn env_cmd(
        &mut self,
        name: &str,
        args: &[String],
        env: &mut dyn Env,
        now: Millis,
        out: &mut Output,
    ) -> Outcome {
        let mut all = self.exported_vars();
        for (k, v) in &self.temp_env {
            all.insert(k.clone(), v.clone());
        }
        if name == "printenv" && !args.is_empty() {
            let mut status = 0;
            for a in args {
                match all.get(a) {
                    Some(v) => out.print(&format!("{v}\n")),
                    None => status = 1,
                }
            }
            return Outcome::Done(status);
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
            out.print(&format!("{k}={v}\n"));
        }
        Outcome::Done(0)
    }

    pub(super) fn kill(
        &mut self,
        name: &str,
        args: &[String],
        now: Millis,
        env: &mut dyn Env,
        out: &mut Output,
    ) -> Outcome {
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
                out.print("HUP INT QUIT KILL USR1 USR2 PIPE ALRM TERM\n");
                return Outcome::Done(0);
            } else if a.starts_with('-') && targets.is_empty() && a.len() > 1 {
                match utils::signal_number(a) {
                    Some(n) => sig = n,
                    None if name != "kill" && a.len() == 2 => {}
                    None => {
                        out.error(&format!("{name}: bad signal name '{}'", &a[1..]));
                        return Outcome::Done(1);
                    }
                }
            } else {
                targets.push(a.clone());
            }
        }
        if targets.is_empty() {
            out.error(&format!("{name}: usage: {name} [-SIG] TARGET..."));
            return Outcome::Done(1);
        }
        let mut status = 0;
        for t in &targets {
            let target = t.strip_prefix('%').unwrap_or(t);
            if name == "kill" {
                let job = target.parse::<u32>().ok().and_then(|p| self.jobs.iter().position(|j| j.pid == p));
                if let Some(k) = job {
                    let j = &mut self.jobs[k];
                    match (sig, j.state) {
                        (_, Step::Exited(_)) => {
                            out.error(&format!("sh: can't kill pid {t}: No such process"));
                            status = 1;
                        }
                        (0, _) => {}
                        (9, _) => j.state = j.proc.sigkill(),
                        _ => j.state = j.proc.sigterm(now, env),
                    }
                    continue;
                }
            }
            if !env.signal_process(target, sig) {
                status = 1;
                match name {
                    "kill" => out.error(&format!("sh: can't kill pid {t}: No such process")),
                    "killall" if !quiet => out.error(&format!("killall: {t}: no process killed")),
                    _ => {}
                }
            }
        }
        Outcome::Done(status)
    }
}
