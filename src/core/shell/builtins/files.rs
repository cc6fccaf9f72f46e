//! BusyBox file and text tools: `echo`, `printf`, `test`/`[`/`[[`, `cat`,
//! `touch`, `mkdir`, `rm`, `tail` (and `tail -f`, which the interpreter
//! keeps polling), `rev`, `seq` and `ls`, with BusyBox's messages
//! (coreutils/, util-linux/ in BusyBox). Paths are relative to the shell's
//! directory. `tail` reads stdin here; reading it for `cat`, `rev`, `head`
//! and `read` is in [`crate::core::shell::pipe`].

use super::Outcome;
use crate::core::shell::io::{Output, Target};
use crate::core::shell::options::{self, Arg, Spec};
use crate::core::shell::run::{Process, MAX_ITEMS};
use crate::core::shell::utils::{self, FileQuery};
use crate::core::shell::{Env, MAX_OUTPUT_BYTES};

/// `echo` (BusyBox ash's builtin: `-n`, `-e`, `-E`).
pub(super) fn echo(args: &[String], out: &mut Output) -> Outcome {
    out.print(&utils::echo(args));
    Outcome::Done(0)
}

/// `printf FORMAT [ARGUMENT…]`.
pub(super) fn printf(args: &[String], out: &mut Output) -> Outcome {
    let Some((fmt, rest)) = args.split_first() else {
        out.error("printf: usage: printf FORMAT [ARGUMENT...]");
        return Outcome::Done(2);
    };
    let (text, err) = utils::printf(fmt, rest);
    out.print(&text);
    match err {
        Some(e) => {
            out.error(&e);
            Outcome::Done(1)
        }
        None => Outcome::Done(0),
    }
}

/// `rm [-fRr] FILE…`: options before the first operand, other letters
/// accepted and ignored.
const RM_OPTIONS: Spec = Spec { short_values: "", long: None, stop_at_operand: true };

impl Process {
    /// `test EXPR`, `[ EXPR ]`, and `[[ EXPR ]]`, which BusyBox ash (bash
    /// compatibility, as in the busybox images) runs as `test` ending in
    /// `]]` (coreutils/test.c).
    pub(super) fn test_cmd(&self, name: &str, args: &[String], env: &dyn Env, out: &mut Output) -> Outcome {
        let mut a = args.to_vec();
        if name != "test" {
            let close = if name == "[" { "]" } else { "]]" };
            if a.last().map(String::as_str) != Some(close) {
                out.error(&format!("sh: {name}: missing {close}"));
                return Outcome::Done(2);
            }
            a.pop();
        }
        let fs = ShellFiles { env, shell: self };
        match utils::test(&a, &fs, 0) {
            Ok(true) => Outcome::Done(0),
            Ok(false) => Outcome::Done(1),
            Err(e) => {
                out.error(&e);
                Outcome::Done(2)
            }
        }
    }

    /// `cat [FILE]…` (stdin, `-`, is empty here).
    pub(super) fn cat(&self, args: &[String], env: &dyn Env, out: &mut Output) -> Outcome {
        let mut status = 0;
        for f in args.iter().filter(|a| a.as_str() == "-" || !a.starts_with('-')) {
            let p = self.path(f);
            if f == "-" || p == "/dev/null" {
                continue;
            }
            if env.is_dir(&p) {
                out.error("cat: read error: Is a directory");
                status = 1;
                continue;
            }
            match env.read_file(&p) {
                Some(text) => out.print(&text),
                None => {
                    out.error(&format!("cat: can't open '{f}': No such file or directory"));
                    status = 1;
                }
            }
        }
        Outcome::Done(status)
    }

    /// `touch FILE…`: creates the files that do not exist.
    pub(super) fn touch(&self, args: &[String], env: &mut dyn Env, out: &mut Output) -> Outcome {
        let mut status = 0;
        for f in args.iter().filter(|a| !a.starts_with('-')) {
            let p = self.path(f);
            if p != "/dev/null" && !env.file_exists(&p) {
                if let Err(m) = env.write_file(&p, "", true) {
                    out.error(&format!("touch: {f}: {m}"));
                    status = 1;
                }
            }
        }
        Outcome::Done(status)
    }

    /// `mkdir [-p] DIR…`.
    pub(super) fn mkdir(&self, args: &[String], env: &mut dyn Env, out: &mut Output) -> Outcome {
        let parents = args.iter().any(|a| a.starts_with('-') && a.contains('p'));
        let mut status = 0;
        for d in args.iter().filter(|a| !a.starts_with('-')) {
            let p = self.path(d);
            if parents && env.is_dir(&p) {
                continue;
            }
            if env.file_exists(&p) {
                out.error(&format!("mkdir: can't create directory '{d}': File exists"));
                status = 1;
            } else if let Err(m) = env.mkdir(&p, parents) {
                out.error(&format!("mkdir: can't create directory '{d}': {m}"));
                status = 1;
            }
        }
        Outcome::Done(status)
    }

    pub(super) fn rm(&mut self, args: &[String], env: &mut dyn Env, out: &mut Output) -> Outcome {
        let mut force = false;
        let mut recursive = false;
        let mut files = Vec::new();
        for arg in options::parse(args, &RM_OPTIONS) {
            match arg {
                Arg::Short('f', _) => force = true,
                Arg::Short('r' | 'R', _) => recursive = true,
                Arg::Short(..) | Arg::Long(..) => {}
                Arg::Operand(f) => files.push(f),
            }
        }
        let mut status = 0;
        for f in &files {
            let p = self.path(f);
            if !env.file_exists(&p) {
                if !force {
                    out.error(&format!("rm: can't remove '{f}': No such file or directory"));
                    status = 1;
                }
                continue;
            }
            if env.is_dir(&p) && !recursive {
                out.error(&format!("rm: can't remove '{f}': Is a directory"));
                status = 1;
                continue;
            }
            if !env.remove(&p, recursive) {
                out.error(&format!("rm: can't remove '{f}': Permission denied"));
                status = 1;
            }
        }
        Outcome::Done(status)
    }

    pub(super) fn tail(&mut self, args: &[String], env: &mut dyn Env, out: &mut Output) -> Outcome {
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
        let print_tail = |text: &str, out: &mut Output| {
            let lines: Vec<&str> = text.lines().collect();
            let first = if from_start { n.saturating_sub(1) } else { lines.len().saturating_sub(n) };
            for l in lines.get(first..).unwrap_or(&[]) {
                out.print(&format!("{l}\n"));
            }
        };
        // Stdin (a pipe): its end, once the writer is done.
        if !follow && (files.is_empty() || files == ["-"]) {
            return match self.stdin.all() {
                Some(text) => {
                    print_tail(&text, out);
                    Outcome::Done(0)
                }
                None => Outcome::NeedInput,
            };
        }
        let mut followed = Vec::new();
        for f in &files {
            let p = self.path(f);
            if p == "/dev/null" {
                continue;
            }
            match env.read_file(&p) {
                Some(text) => {
                    print_tail(&text, out);
                    followed.push((p, text.len()));
                }
                None => {
                    followed.push((p, 0));
                    out.error(&format!("tail: can't open '{f}': No such file or directory"));
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

    /// BusyBox `rev [FILE]...` (util-linux/rev.c): each line of each file
    /// reversed, its newline kept; a file that cannot be opened is reported
    /// and the others still printed, exit 1. Without a file (or with `-`) it
    /// reads stdin, which a container's process does not have here (EOF).
    pub(super) fn rev(&mut self, args: &[String], env: &mut dyn Env, out: &mut Output) -> Outcome {
        let mut status = 0;
        for f in args {
            let p = self.path(f);
            if f == "-" || p == "/dev/null" {
                continue;
            }
            if env.is_dir(&p) {
                out.error(&format!("rev: {f}: Is a directory"));
                status = 1;
                continue;
            }
            match env.read_file(&p) {
                Some(text) => out.print(&utils::rev(&text)),
                None => {
                    out.error(&format!("rev: {f}: No such file or directory"));
                    status = 1;
                }
            }
        }
        Outcome::Done(status)
    }

    /// `ls [-1aAd] [FILE…]` as BusyBox prints to a pipe or a log (not a
    /// terminal: one name a line; coreutils/ls.c): names sorted bytewise,
    /// hidden ones only with `-a` (which adds `.` and `..`) or `-A`; the
    /// files named first, then each directory, under `DIR:` when there are
    /// several; `ls: NAME: No such file or directory` and status 1 for a
    /// missing one. Long formats (`-l`…) are not simulated: podplay keeps no
    /// modes, owners or times.
    pub(super) fn ls(&mut self, args: &[String], env: &dyn Env, out: &mut Output) -> Outcome {
        let (mut all, mut almost, mut dirs_as_files) = (false, false, false);
        let mut names = Vec::new();
        for a in args {
            match a.strip_prefix('-').filter(|o| !o.is_empty()) {
                Some(opts) => {
                    for c in opts.chars() {
                        match c {
                            '1' => {}
                            'a' => all = true,
                            'A' => almost = true,
                            'd' => dirs_as_files = true,
                            other => {
                                let what = format!("ls -{other}");
                                self.note_unsupported(&what);
                                out.error(&crate::core::shell::unsupported_message(&what));
                                return Outcome::Done(1);
                            }
                        }
                    }
                }
                None => names.push(a.clone()),
            }
        }
        if names.is_empty() {
            names.push(".".into());
        }
        let mut status = 0;
        let (mut files, mut dirs) = (Vec::new(), Vec::new());
        for n in names {
            let p = self.path(&n);
            if !env.file_exists(&p) {
                out.error(&format!("ls: {n}: No such file or directory"));
                status = 1;
            } else if env.is_dir(&p) && !dirs_as_files {
                dirs.push((n, p));
            } else {
                files.push(n);
            }
        }
        files.sort();
        dirs.sort();
        for f in &files {
            out.print(&format!("{f}\n"));
        }
        let headers = files.len() + dirs.len() > 1;
        for (k, (n, p)) in dirs.iter().enumerate() {
            if headers {
                let gap = if k > 0 || !files.is_empty() { "\n" } else { "" };
                out.print(&format!("{gap}{n}:\n"));
            }
            let mut entries = env.list_dir(p);
            entries.retain(|e| all || almost || !e.starts_with('.'));
            if all {
                entries.extend([".".to_string(), "..".to_string()]);
                entries.sort();
            }
            for e in entries {
                out.print(&format!("{e}\n"));
            }
        }
        Outcome::Done(status)
    }
}

/// `seq [FIRST [INCR]] LAST` with integers.
pub(super) fn seq(args: &[String], out: &mut Output) -> Outcome {
    let nums: Result<Vec<i64>, &String> = args.iter().map(|a| a.parse::<i64>().map_err(|_| a)).collect();
    let nums = match nums {
        Ok(n) => n,
        Err(a) => {
            out.error(&format!("seq: invalid number '{a}'"));
            return Outcome::Done(1);
        }
    };
    let (first, incr, last) = match nums.as_slice() {
        [l] => (1, 1, *l),
        [f, l] => (*f, 1, *l),
        [f, i, l] => (*f, *i, *l),
        _ => {
            out.error("Usage: seq [-w] [-s SEP] [FIRST [INC]] LAST");
            return Outcome::Done(1);
        }
    };
    if incr == 0 {
        return Outcome::Done(1);
    }
    let mut v = first;
    for _ in 0..MAX_ITEMS {
        if (incr > 0 && v > last) || (incr < 0 && v < last) || out.stdout.len() >= MAX_OUTPUT_BYTES {
            break;
        }
        out.print(&format!("{v}\n"));
        v = match v.checked_add(incr) {
            Some(n) => n,
            None => break,
        };
    }
    Outcome::Done(0)
}

/// `test`'s view of the filesystem, relative to the shell's directory.
struct ShellFiles<'a> {
    env: &'a dyn Env,
    shell: &'a Process,
}

impl FileQuery for ShellFiles<'_> {
    fn exists(&self, p: &str) -> bool {
        let p = self.shell.path(p);
        p == "/dev/null" || self.env.file_exists(&p)
    }
    fn is_dir(&self, p: &str) -> bool {
        self.env.is_dir(&self.shell.path(p))
    }
    fn size(&self, p: &str) -> usize {
        self.env.read_file(&self.shell.path(p)).map(|s| s.len()).unwrap_or(0)
    }
}
