//! Variables and bash indexed arrays.
//!
//! A variable is found in the shell's own assignments, else in the
//! environment the process started with (shared between processes, never
//! copied), unless it was `unset`; exports are tracked as in ash. bash's
//! arrays are sparse and indexed (bash manual, "Arrays"): `a=(…)`,
//! `a[i]=v`, `a+=(…)`, negative subscripts counting back from one past the
//! largest index, `unset 'a[i]'`; a name is a scalar or an array, never both,
//! and an array without a subscript means its element 0. This room also
//! performs assignment words (`NAME=v`, `NAME+=v`, before a command for its
//! environment only) and lists variables as `set` and `export -p` print them.
//!
//! Bounds: [`MAX_VAR_BYTES`] per value; [`MAX_ARRAY_ELEMENTS`] and
//! [`MAX_EXPANSION_BYTES`] per array.

use super::expand::MAX_EXPANSION_BYTES;
use super::io::Output;
use super::parse::{Assign, Value, Word};
use super::run::Process;
use super::Env;
use crate::core::time::Millis;
use std::collections::BTreeMap;

/// Longest value a variable may hold, in bytes.
const MAX_VAR_BYTES: usize = 64 * 1024;
/// Most elements one bash array keeps.
const MAX_ARRAY_ELEMENTS: usize = 10_000;

/// A variable's value cut to [`MAX_VAR_BYTES`].
pub(super) fn bounded(mut value: String) -> String {
    if value.len() > MAX_VAR_BYTES {
        let mut cut = MAX_VAR_BYTES;
        while !value.is_char_boundary(cut) {
            cut -= 1;
        }
        value.truncate(cut);
    }
    value
}

/// A bash indexed array: sparse, by index (bash manual, "Arrays": "there is
/// no maximum limit on the size of an array, nor any requirement that
/// members be indexed or assigned contiguously").
///
/// Elements are a `Vec` sorted by index (binary search), not a `BTreeMap`:
/// one more B-tree type would add ~10 KB of code to the page.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Array {
    pub(super) items: Vec<(i64, String)>,
    /// Bytes of all the values (bounded by [`MAX_EXPANSION_BYTES`]).
    pub(super) bytes: usize,
}

impl Array {
    pub(super) fn find(&self, i: i64) -> Result<usize, usize> {
        self.items.binary_search_by_key(&i, |e| e.0)
    }
    pub(super) fn get(&self, i: &i64) -> Option<&String> {
        self.find(*i).ok().map(|k| &self.items[k].1)
    }
    pub(super) fn values(&self) -> impl Iterator<Item = &String> {
        self.items.iter().map(|e| &e.1)
    }
    pub(super) fn iter(&self) -> impl Iterator<Item = (&i64, &String)> {
        self.items.iter().map(|e| (&e.0, &e.1))
    }
    /// The largest index set.
    pub(super) fn last(&self) -> Option<i64> {
        self.items.last().map(|e| e.0)
    }
    pub(super) fn len(&self) -> usize {
        self.items.len()
    }
    pub(super) fn contains_key(&self, i: &i64) -> bool {
        self.find(*i).is_ok()
    }
    pub(super) fn insert(&mut self, i: i64, v: String) {
        self.bytes += v.len();
        match self.find(i) {
            Ok(k) => {
                let old = std::mem::replace(&mut self.items[k].1, v);
                self.bytes -= old.len();
            }
            Err(k) => self.items.insert(k, (i, v)),
        }
    }
    pub(super) fn remove(&mut self, i: &i64) {
        if let Ok(k) = self.find(*i) {
            let (_, old) = self.items.remove(k);
            self.bytes -= old.len();
        }
    }
    pub(super) fn clear(&mut self) {
        self.items.clear();
        self.bytes = 0;
    }
}

/// The shell's arrays by name, in name order (a sorted `Vec`, for the same
/// reason as [`Array`]'s elements).
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Arrays(pub(super) Vec<(String, Array)>);

impl Arrays {
    pub(super) fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|e| e.0.as_str().cmp(name))
    }
    pub(super) fn get(&self, name: &str) -> Option<&Array> {
        self.find(name).ok().map(|k| &self.0[k].1)
    }
    pub(super) fn get_mut(&mut self, name: &str) -> Option<&mut Array> {
        self.find(name).ok().map(|k| &mut self.0[k].1)
    }
    pub(super) fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }
    pub(super) fn remove(&mut self, name: &str) {
        if let Ok(k) = self.find(name) {
            self.0.remove(k);
        }
    }
    /// `name`'s array, made empty first if there is none.
    pub(super) fn entry(&mut self, name: &str) -> &mut Array {
        let k = match self.find(name) {
            Ok(k) => k,
            Err(k) => {
                self.0.insert(k, (name.to_string(), Array::default()));
                k
            }
        };
        &mut self.0[k].1
    }
    pub(super) fn iter(&self) -> impl Iterator<Item = (&String, &Array)> {
        self.0.iter().map(|e| (&e.0, &e.1))
    }
}

/// An assignment word, expanded.
pub(super) enum Assigned {
    /// `NAME=value` (`+=` when the flag is set).
    Scalar(String, String, bool),
    /// bash `NAME[index]=value`.
    Element(String, i64, String, bool),
    /// bash `NAME=(…)`.
    Array(String, Vec<String>, bool),
}

impl Assigned {
    /// As `set -x` shows it (bash: `+ a=(1 "2 3")`).
    pub(super) fn trace(&self) -> String {
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

impl Process {
    pub(super) fn set_var(&mut self, name: &str, value: String) {
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
    pub(super) fn var(&self, name: &str) -> Option<&String> {
        if let Some(a) = self.arrays.get(name) {
            return a.get(&0);
        }
        match self.vars.get(name) {
            Some(v) => Some(v),
            None if self.unset_from_env.contains(name) => None,
            None => self.env.get(name),
        }
    }

    pub(super) fn unset_var(&mut self, name: &str) {
        self.vars.remove(name);
        self.arrays.remove(name);
        self.exported.remove(name);
        if self.env.contains_key(name) {
            self.unset_from_env.insert(name.to_string());
        }
    }

    /// Every variable as `set` prints it (`NAME='value'`; bash shows an
    /// array as `NAME=([0]="a" [1]="b")`), in name order.
    pub(super) fn all_vars(&self) -> BTreeMap<String, String> {
        let from_env = self.env.iter().filter(|(k, _)| !self.unset_from_env.contains(*k));
        let scalars = from_env.chain(self.vars.iter()).map(|(k, v)| (k.clone(), format!("{k}='{v}'")));
        let arrays = self.arrays.iter().map(|(k, a)| {
            let items: Vec<String> = a.iter().map(|(i, v)| format!("[{i}]=\"{v}\"")).collect();
            (k.clone(), format!("{k}=({})", items.join(" ")))
        });
        crate::core::sort::collect_map(scalars.chain(arrays))
    }

    /// The exported variables (what a program started from the shell sees;
    /// bash does not export arrays).
    pub(super) fn exported_vars(&self) -> BTreeMap<String, String> {
        let from_env = self.env.keys().filter(|k| !self.unset_from_env.contains(*k));
        let names = from_env.chain(self.exported.iter()).filter(|k| !self.arrays.contains_key(k));
        crate::core::sort::collect_map(names.filter_map(|k| self.var(k).map(|v| (k.clone(), v.clone()))))
    }

    // ------------------------------------------------------------ arrays

    /// The elements of `name` in index order: an array's, a set scalar's
    /// one, none for an unset name.
    pub(super) fn elements(&self, name: &str) -> Vec<String> {
        match self.arrays.get(name) {
            Some(a) => a.values().cloned().collect(),
            None => self.var(name).cloned().into_iter().collect(),
        }
    }

    /// Evaluates a subscript of `name`: expanded, then an arithmetic
    /// expression; a negative one counts back from one past the largest
    /// index (bash manual, "Arrays"). `None`: bash's "bad array subscript"
    /// (negative beyond the start, or negative on a scalar or unset name).
    pub(super) fn subscript(
        &mut self,
        name: &str,
        w: &Word,
        now: Millis,
        env: &mut dyn Env,
    ) -> Result<Option<i64>, String> {
        let text = self.expand_word(w, now, env)?;
        let i = self.arith(&text)?;
        if i >= 0 {
            return Ok(Some(i));
        }
        let last = self.arrays.get(name).and_then(Array::last);
        Ok(last.and_then(|m| m.checked_add(1)?.checked_add(i)).filter(|j| *j >= 0))
    }

    /// `${name[i]}`; a bad subscript is reported and expands to nothing, as
    /// bash does.
    pub(super) fn element(
        &mut self,
        name: &str,
        w: &Word,
        now: Millis,
        env: &mut dyn Env,
    ) -> Result<Option<String>, String> {
        let Some(i) = self.subscript(name, w, now, env)? else {
            let err = self.fds().stderr;
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
                self.unset_from_env.insert(name.to_string());
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
    pub(super) fn assign(&mut self, a: Assigned) {
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
    pub(super) fn expand_assign(
        &mut self,
        a: &Assign,
        now: Millis,
        env: &mut dyn Env,
    ) -> Result<Assigned, Option<String>> {
        let name = a.name.clone();
        match (&a.value, &a.index) {
            (Value::Scalar(w), None) => Ok(Assigned::Scalar(name, self.expand_word(w, now, env)?, a.append)),
            (Value::Scalar(w), Some(sub)) => {
                let Some(i) = self.subscript(&name, sub, now, env)? else {
                    let text = self.expand_word(sub, now, env).unwrap_or_default();
                    let err = self.fds().stderr;
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

    /// Assignments before a command, for its environment only. bash passes
    /// `a=(1 2) cmd` as the text `a=(1 2)` and refuses `a[1]=x cmd`.
    pub(super) fn temp_assigns(&self, assigns: Vec<Assigned>, out: &mut Output) -> Vec<(String, String)> {
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
                Assigned::Element(k, i, ..) => out.error(&format!("bash: `{k}[{i}]': not a valid identifier")),
            }
        }
        vars
    }
}
