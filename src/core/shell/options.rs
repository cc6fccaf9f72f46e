//! The one option parser of the simulated tools, in the manner of getopt(3)
//! and getopt_long(3) (which BusyBox's getopt32 calls): short options
//! cluster (`-qO-` is `-q -O -`), a short option that takes a value takes the
//! rest of its word or else the next word (`-T5`, `-T 5`), a long option
//! takes `--name=value` or the next word, and a lone `-` is an operand.
//! A tool declares which options take a value and its long options ([`Spec`]),
//! a long option that spells out a short one coming back as that short one
//! (`--quiet` is `-q`), and matches on the [`Arg`]s; what an option means,
//! and the message for one it does not know, stay with the tool (wget:
//! `invalid option -- 'x'`, curl: `option -x: is unknown`).
//!
//! `wget`, `curl` and `rm` parse their options here. The tools whose syntax
//! is not getopt's keep their own loops: `tail -5`/`-n +5`, `kill -TERM`,
//! `set +e`, `echo -n` (options only before the first operand, an unknown one
//! being an operand), `env NAME=value CMD`.
//!
//! Unlike getopt, `--` does not end the options: it is the long option with
//! an empty name (the short options `-`, `-` without long options), which
//! the tools report or ignore as they always have here.

/// A tool's options: which take a value, its long options, and how its
/// options end.
pub(super) struct Spec {
    /// Short options that take a value (getopt's `c:`).
    pub(super) short_values: &'static str,
    /// The long options; `None` when the tool has none, so that `--force` is
    /// the short options `-`, `f`, `o`, `r`, `c`, `e` (getopt(3) without
    /// getopt_long).
    pub(super) long: Option<&'static [Long]>,
    /// Options end at the first operand (POSIX, getopt's leading `+`);
    /// otherwise they may come after operands too.
    pub(super) stop_at_operand: bool,
}

impl Spec {
    /// Is `--name` one of the tool's long options?
    pub(super) fn knows(&self, name: &str) -> bool {
        self.long.is_some_and(|long| long.iter().any(|o| o.name == name))
    }
}

/// A long option, as getopt_long's `struct option`.
pub(super) struct Long {
    name: &'static str,
    /// The short option it spells out (getopt_long's `val`): `--quiet` is
    /// `-q`, and takes a value when `-q` does.
    short: Option<char>,
    /// For one without a short option: it takes a value.
    takes_value: bool,
}

impl Long {
    /// `--name`, another spelling of `-c`.
    pub(super) const fn short(name: &'static str, c: char) -> Long {
        Long { name, short: Some(c), takes_value: false }
    }
    /// `--name` with no short spelling and no value.
    pub(super) const fn flag(name: &'static str) -> Long {
        Long { name, short: None, takes_value: false }
    }
    /// `--name=value` or `--name value`, with no short spelling.
    pub(super) const fn value(name: &'static str) -> Long {
        Long { name, short: None, takes_value: true }
    }
}

/// One option or operand, in the order of the words.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Arg {
    /// `-c`, or a long option that spells it out, with its value when `c`
    /// takes one (`None` when the words ran out).
    Short(char, Option<String>),
    /// `--name` with no short spelling (or one the tool does not know), with
    /// its value when it takes one, or any value given inline
    /// (`--name=value`) to one that does not.
    Long(String, Option<String>),
    /// A word that is not an option.
    Operand(String),
}

impl Arg {
    /// As it would be written: `-c`, `--name`, or the operand.
    pub(super) fn spelled(&self) -> String {
        match self {
            Arg::Short(c, _) => format!("-{c}"),
            Arg::Long(name, _) => format!("--{name}"),
            Arg::Operand(word) => word.clone(),
        }
    }
}

/// The options and operands of `args` (the words after the command name).
pub(super) fn parse<'a>(args: &'a [String], spec: &'a Spec) -> Options<'a> {
    Options { args, spec, next: 0, cluster: Vec::new(), operands_only: false }
}

/// The iterator of [`parse`]: a tool can stop at the first option it does not
/// know, as the real ones do.
pub(super) struct Options<'a> {
    args: &'a [String],
    spec: &'a Spec,
    /// Index of the next word.
    next: usize,
    /// The short options still to come from the current word, reversed.
    cluster: Vec<char>,
    /// Past the first operand of a tool whose options end there.
    operands_only: bool,
}

impl Options<'_> {
    /// The next word, consumed.
    fn word(&mut self) -> Option<String> {
        self.next += 1;
        self.args.get(self.next - 1).cloned()
    }

    fn short(&mut self, c: char) -> Arg {
        if !self.spec.short_values.contains(c) {
            return Arg::Short(c, None);
        }
        let rest: String = self.cluster.drain(..).rev().collect();
        let value = if rest.is_empty() { self.word() } else { Some(rest) };
        Arg::Short(c, value)
    }
}

impl Iterator for Options<'_> {
    type Item = Arg;

    fn next(&mut self) -> Option<Arg> {
        if let Some(c) = self.cluster.pop() {
            return Some(self.short(c));
        }
        let word = self.word()?;
        if self.operands_only {
            return Some(Arg::Operand(word));
        }
        if let (Some(long), Some(known)) = (word.strip_prefix("--"), self.spec.long) {
            let (name, inline) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (long, None),
            };
            let option = known.iter().find(|o| o.name == name);
            if let Some(c) = option.and_then(|o| o.short) {
                let value = match self.spec.short_values.contains(c) {
                    true => inline.or_else(|| self.word()),
                    false => None,
                };
                return Some(Arg::Short(c, value));
            }
            let value = match option.is_some_and(|o| o.takes_value) {
                true => inline.or_else(|| self.word()),
                false => inline,
            };
            return Some(Arg::Long(name.to_string(), value));
        }
        match word.strip_prefix('-').filter(|flags| !flags.is_empty()) {
            Some(flags) => {
                self.cluster = flags.chars().rev().collect();
                let c = self.cluster.pop()?;
                Some(self.short(c))
            }
            None => {
                self.operands_only = self.spec.stop_at_operand;
                Some(Arg::Operand(word))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WGET_LIKE: Spec = Spec {
        short_values: "OT",
        long: Some(&[Long::short("timeout", 'T'), Long::short("spider", 's'), Long::value("header"), Long::flag("x")]),
        stop_at_operand: false,
    };
    const RM_LIKE: Spec = Spec { short_values: "", long: None, stop_at_operand: true };

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    fn short(c: char, v: Option<&str>) -> Arg {
        Arg::Short(c, v.map(String::from))
    }

    fn long(n: &str, v: Option<&str>) -> Arg {
        Arg::Long(n.to_string(), v.map(String::from))
    }

    fn operand(s: &str) -> Arg {
        Arg::Operand(s.to_string())
    }

    #[test]
    fn clusters_and_values_as_getopt() {
        let args = words("-qO- -T 5 http://a/ -sTx --timeout=3 --timeout 4 --spider=1 --header h --x=1 --y - -O");
        let got: Vec<Arg> = parse(&args, &WGET_LIKE).collect();
        assert_eq!(
            got,
            vec![
                short('q', None),
                short('O', Some("-")),
                short('T', Some("5")),
                operand("http://a/"),
                short('s', None),
                short('T', Some("x")),
                short('T', Some("3")),
                short('T', Some("4")),
                short('s', None),
                long("header", Some("h")),
                long("x", Some("1")),
                long("y", None),
                operand("-"),
                short('O', None),
            ]
        );
    }

    #[test]
    fn without_long_options_and_stopping_at_the_first_operand() {
        let args = words("-rf --force a -f");
        let got: Vec<Arg> = parse(&args, &RM_LIKE).collect();
        let mut want = vec![short('r', None), short('f', None)];
        want.extend("-force".chars().map(|c| short(c, None)));
        want.extend([operand("a"), operand("-f")]);
        assert_eq!(got, want);
    }

    #[test]
    fn double_dash_is_an_option_with_an_empty_name() {
        let args = words("-- -x");
        let got: Vec<Arg> = parse(&args, &WGET_LIKE).collect();
        assert_eq!(got, vec![long("", None), short('x', None)]);
    }
}
