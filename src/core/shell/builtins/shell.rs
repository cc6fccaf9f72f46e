//! Shell builtins that change the shell itself, with busybox ash's messages
//! (shell/ash.c), and bash's array forms where the script runs under bash.

use super::Outcome;
use crate::core::shell::io::Out;
use crate::core::shell::parse::{self, parse_at};
use crate::core::shell::run::Process;
use crate::core::shell::utils;
use crate::core::shell::vars::Array;

impl Process {
    /// `unset NAME…`; in bash also `unset 'NAME[i]'` (one element) and
    /// `unset 'NAME[@]'` (the whole array), bash manual "Arrays".
    pub(super) fn unset_cmd(&mut self, args: &[String], out: &mut Out) -> Outcome {
        let mut st = 0;
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

    pub(super) fn set_cmd(&mut self, args: &[String], out: &mut Out) -> Outcome {
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

    pub(super) fn trap(&mut self, args: &[String], out: &mut Out) -> Outcome {
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
}
