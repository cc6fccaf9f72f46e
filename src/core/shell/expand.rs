//! Word expansion, in the POSIX order for the subset podplay parses:
//! parameters (`$x`, `$1`, `$#`, `$@`, `$?`, `$$`, `$!`, `$-`, and the
//! operators `${x-…}` `${x=…}` `${x+…}` `${x?…}` with or without `:`),
//! bash's `${a[i]}`, `${a[@]}` and `${#x}`, command substitution `$(…)` (run
//! to completion at once in a child shell, trailing newlines removed),
//! arithmetic `$((…))`, then field splitting of unquoted results on blanks
//! (the default `IFS`); `"$@"` and `"${a[@]}"` give one field per item.
//! There is no pathname expansion: `*` and `?` stay as written.
//!
//! Bounds: [`MAX_EXPANSION_BYTES`] per command (or `for` list), past which
//! the command fails as `argument list too long`, and
//! [`MAX_SUBST_DEPTH`] nested substitutions.

use super::arith;
use super::parse::{ParamOp, Part, Script, Subscript, Word};
use super::run::Process;
use super::{Env, Step};
use crate::core::time::Millis;

/// Most bytes the expansions of one command (or `for` list) may produce.
pub(super) const MAX_EXPANSION_BYTES: usize = 1024 * 1024;
/// Most command substitutions nested at run time.
const MAX_SUBST_DEPTH: usize = 8;

impl Process {
    /// The value of `$((expr))`, with this shell's variables.
    pub(super) fn arith(&self, expr: &str) -> Result<i64, String> {
        arith::arith(expr, &|n| self.var(n).cloned().unwrap_or_default())
    }

    pub(super) fn expand_word(&mut self, w: &Word, now: Millis, env: &mut dyn Env) -> Result<String, String> {
        let mut fields = Vec::new();
        self.expand_into(w, false, now, env, &mut fields)?;
        Ok(fields.join(" "))
    }

    /// Expands one word into fields (split on blanks when `split`).
    pub(super) fn expand_into(
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
                    self.expanded_bytes += text.len();
                    if self.expanded_bytes > MAX_EXPANSION_BYTES {
                        return Err("sh: podplay: argument list too long".to_string());
                    }
                    cur.push_str(text);
                    have |= *quoted || !text.is_empty();
                    continue;
                }
                // `"$@"` and bash's `"${name[@]}"`: one field per item.
                Part::Param { name, index, quoted: true, op: None }
                    if split && (name == "@" && index.is_none() || matches!(index, Some(Subscript::All(false)))) =>
                {
                    let items = match index {
                        None => self.params.clone(),
                        Some(_) => self.elements(name),
                    };
                    self.expanded_bytes += items.iter().map(String::len).sum::<usize>();
                    if self.expanded_bytes > MAX_EXPANSION_BYTES {
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
                        Some(Subscript::All(_)) => self.elements(name).len(),
                        _ => self.value(name, index.as_ref(), now, env)?.map(|v| v.chars().count()).unwrap_or(0),
                    };
                    (n.to_string(), true)
                }
                Part::Subst { script, quoted } => (self.subst(script, now, env), *quoted),
                Part::Arith { expr, quoted } => {
                    let v = self.arith(expr)?;
                    (v.to_string(), *quoted)
                }
            };
            self.expanded_bytes += value.len();
            if self.expanded_bytes > MAX_EXPANSION_BYTES {
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

    pub(super) fn lookup(&self, name: &str) -> Option<String> {
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
    pub(super) fn value(
        &mut self,
        name: &str,
        index: Option<&Subscript>,
        now: Millis,
        env: &mut dyn Env,
    ) -> Result<Option<String>, String> {
        match index {
            None => Ok(self.lookup(name)),
            Some(Subscript::Index(w)) => self.element(name, w, now, env),
            Some(Subscript::All(_)) => {
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
        if self.subst_depth >= MAX_SUBST_DEPTH {
            self.subst_status = Some(1);
            return String::new();
        }
        let mut child = self.child(script.code.clone());
        child.capture = Some(String::new());
        child.subst_depth = self.subst_depth + 1;
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
}
