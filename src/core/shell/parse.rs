//! Lexer, parser and compiler for the `sh -c` subset.
//!
//! Text → tokens → AST ([`AndOr`] lists) → a flat list of [`Op`]s with jumps,
//! so that a running [`super::Process`] is just a program counter.

use super::{ShellError, MAX_NESTING, MAX_SCRIPT_BYTES};
use std::sync::Arc;

/// Shell builtins and utilities simulated by podplay itself (matched on the
/// command's base name, so `/bin/sleep` counts).
pub(crate) const BUILTINS: &[&str] = &[
    ":", "true", "false", "exit", "echo", "printf", "sleep", "touch", "rm", "mkdir", "cat", "test", "[", "[[",
    "hostname", "date", "env", "printenv", "nslookup", "wget", "curl", "kill", "killall", "pkill", "wait", "exec",
    "cd", "pwd", "export", "unset", "set", "shift", "trap", "tail", "seq", "break", "continue", "read", "rev", "head",
    "ls",
];

/// Builtins rejected at parse time: they need things podplay has no model of.
const REJECTED: &[&str] = &["eval", "source", ".", "local", "return", "select", "function"];

/// A parsed and compiled script, ready for [`super::Process::new`].
#[derive(Debug)]
pub struct Script {
    pub(crate) body: Vec<AndOr>,
    pub(crate) code: Arc<Code>,
    /// `$0`.
    pub(crate) name: String,
    /// `$1`…
    pub(crate) params: Vec<String>,
    /// `sh -e`.
    pub(crate) errexit: bool,
    /// `sh -x`.
    pub(crate) xtrace: bool,
    /// Run by bash (`bash -c`), which has indexed arrays; `sh` is BusyBox
    /// ash in the busybox/alpine/bash images and dash in debian/ubuntu,
    /// neither of which has them.
    pub(crate) bash: bool,
}

impl Script {
    /// `$0` and the positional parameters of `sh -c SCRIPT NAME ARGS…`.
    pub fn with_params(mut self, name: &str, params: Vec<String>) -> Script {
        self.name = name.to_string();
        self.params = params;
        self
    }
}

// ---------------------------------------------------------------- AST

#[derive(Debug, Clone)]
pub(crate) enum Part {
    Lit {
        text: String,
        quoted: bool,
    },
    Param {
        name: String,
        /// bash `${name[…]}`.
        index: Option<Subscript>,
        op: Option<(ParamOp, bool, Word)>,
        quoted: bool,
    },
    Length {
        name: String,
        /// bash `${#name[@]}` (element count) or `${#name[i]}`.
        index: Option<Subscript>,
    },
    Subst {
        script: Arc<Script>,
        quoted: bool,
    },
    Arith {
        expr: String,
        quoted: bool,
    },
}

/// A bash array subscript (bash manual, "Arrays").
#[derive(Debug, Clone)]
pub(crate) enum Subscript {
    /// `[@]` (`true`: `[*]`): every element.
    All(bool),
    /// `[expr]`: an arithmetic expression, expanded first.
    Index(Word),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamOp {
    Default,
    Assign,
    Alt,
    Error,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Word {
    pub parts: Vec<Part>,
}

impl Word {
    /// The text of a word made of one unquoted literal (keywords, names).
    pub fn plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [Part::Lit { text, quoted: false }] => Some(text),
            _ => None,
        }
    }
    /// The text of a word without expansions (quotes allowed).
    pub fn literal(&self) -> Option<String> {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Lit { text, .. } => s.push_str(text),
                _ => return None,
            }
        }
        Some(s)
    }
    fn display(&self) -> String {
        self.literal().unwrap_or_else(|| "word".to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RedirKind {
    /// `>` (and `>|`).
    Out,
    /// `>>`.
    Append,
    /// `>&N`.
    Dup,
    /// `&>` (stdout and stderr to a file).
    Both,
}

#[derive(Debug, Clone)]
pub(crate) struct Redir {
    pub fd: u32,
    pub kind: RedirKind,
    pub target: Word,
}

/// The value of an assignment word.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    /// `NAME=word`, `NAME[i]=word`.
    Scalar(Word),
    /// bash `NAME=(word…)`: a compound array assignment.
    Array(Vec<Word>),
}

/// `NAME=value` (or bash `NAME+=value`, `NAME[i]=value`, `NAME=(…)`).
#[derive(Debug, Clone)]
pub(crate) struct Assign {
    pub name: String,
    pub index: Option<Word>,
    /// `+=`: appends to the value (or to the array).
    pub append: bool,
    pub value: Value,
}

#[derive(Debug)]
pub(crate) struct Simple {
    pub assigns: Vec<Assign>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
}

#[derive(Debug)]
pub(crate) enum Command {
    Simple(Arc<Simple>),
    Group(Vec<AndOr>, Vec<Redir>),
    /// `( … )`: runs in a child process (own variables, `exit` ends only it).
    Subshell(Vec<AndOr>, Vec<Redir>),
    If(Vec<(Vec<AndOr>, Vec<AndOr>)>, Option<Vec<AndOr>>, Vec<Redir>),
    Loop {
        until: bool,
        cond: Vec<AndOr>,
        body: Vec<AndOr>,
        redirs: Vec<Redir>,
    },
    For {
        var: String,
        items: Option<Vec<Word>>,
        body: Vec<AndOr>,
        redirs: Vec<Redir>,
    },
    /// `a | b | …`: each command in a child process, each one's stdout the
    /// next one's stdin (ash forks every stage).
    Pipeline(Vec<Command>),
}

#[derive(Debug)]
pub(crate) struct Pipe {
    pub bang: bool,
    pub cmd: Command,
}

#[derive(Debug)]
pub(crate) struct AndOr {
    pub first: Pipe,
    /// `(is_and, pipeline)`: `&& p` or `|| p`.
    pub rest: Vec<(bool, Pipe)>,
    pub background: bool,
}

// ---------------------------------------------------------------- bytecode

#[derive(Debug, Clone)]
pub(crate) enum Op {
    Run {
        cmd: Arc<Simple>,
        checked: bool,
        exec: bool,
    },
    Jump(usize),
    JumpIfFail(usize),
    JumpIfOk(usize),
    Not,
    SetStatus(i32),
    PushRedir(Arc<Vec<Redir>>),
    PopRedir,
    ForStart(Option<Arc<Vec<Word>>>),
    ForNext {
        var: String,
        exit: usize,
    },
    ForPop,
    Spawn(Arc<Code>),
    Subshell {
        code: Arc<Code>,
        checked: bool,
    },
    /// The stages of `a | b | …`, each run as a child process.
    Pipeline {
        stages: Arc<Vec<Arc<Code>>>,
        checked: bool,
    },
}

#[derive(Debug, Default)]
pub(crate) struct Code {
    pub ops: Vec<Op>,
}

// ---------------------------------------------------------------- lexer

#[derive(Debug, Clone)]
enum Tok {
    Word(Word),
    /// bash `NAME=(…)`.
    Array(Assign),
    Op(&'static str),
    Redir(u32, RedirKind),
    Newline,
    Eof,
}

pub(crate) fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn push_lit(parts: &mut Vec<Part>, text: &str, quoted: bool) {
    if let Some(Part::Lit { text: t, quoted: q }) = parts.last_mut() {
        if *q == quoted {
            t.push_str(text);
            return;
        }
    }
    parts.push(Part::Lit { text: text.to_string(), quoted });
}

struct Lexer {
    c: Vec<char>,
    i: usize,
    depth: usize,
    /// Inside `${x:-…}`: blanks and operators are literal.
    raw: bool,
    /// bash syntax (arrays) rather than ash's.
    bash: bool,
}

impl Lexer {
    fn new(text: &str, depth: usize, raw: bool, bash: bool) -> Lexer {
        Lexer { c: text.chars().collect(), i: 0, depth, raw, bash }
    }
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }
    fn at(&self, k: usize) -> Option<char> {
        self.c.get(self.i + k).copied()
    }

    fn tokens(mut self) -> Result<Vec<Tok>, ShellError> {
        let mut out = Vec::new();
        loop {
            while matches!(self.peek(), Some(' ' | '\t' | '\r')) {
                self.i += 1;
            }
            if self.peek() == Some('\\') && self.at(1) == Some('\n') {
                self.i += 2;
                continue;
            }
            let Some(ch) = self.peek() else {
                out.push(Tok::Eof);
                return Ok(out);
            };
            match ch {
                '#' => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.i += 1;
                    }
                }
                '\n' => {
                    self.i += 1;
                    out.push(Tok::Newline);
                }
                ';' => {
                    if self.at(1) == Some(';') {
                        self.i += 2;
                        out.push(Tok::Op(";;"));
                    } else {
                        self.i += 1;
                        out.push(Tok::Op(";"));
                    }
                }
                '&' => {
                    if self.at(1) == Some('&') {
                        self.i += 2;
                        out.push(Tok::Op("&&"));
                    } else if self.at(1) == Some('>') {
                        self.i += 2;
                        if self.peek() == Some('>') {
                            self.i += 1;
                        }
                        out.push(Tok::Redir(1, RedirKind::Both));
                    } else {
                        self.i += 1;
                        out.push(Tok::Op("&"));
                    }
                }
                '|' => {
                    if self.at(1) == Some('|') {
                        self.i += 2;
                        out.push(Tok::Op("||"));
                    } else {
                        self.i += 1;
                        out.push(Tok::Op("|"));
                    }
                }
                '(' => {
                    self.i += 1;
                    out.push(Tok::Op("("));
                }
                ')' => {
                    self.i += 1;
                    out.push(Tok::Op(")"));
                }
                '<' | '>' => out.push(self.redir(None)?),
                _ => {
                    let w = self.word()?;
                    let digits = w.plain().filter(|t| t.len() <= 2 && t.chars().all(|c| c.is_ascii_digit()));
                    let array = w
                        .plain()
                        .and_then(|t| t.strip_suffix('='))
                        .map(|n| match n.strip_suffix('+') {
                            Some(n) => (n.to_string(), true),
                            None => (n.to_string(), false),
                        })
                        .filter(|(n, _)| is_name(n));
                    match (digits, self.peek(), array) {
                        (Some(d), Some('<' | '>'), _) => {
                            let fd = d.parse().unwrap_or(1);
                            out.push(self.redir(Some(fd))?);
                        }
                        // ash has no arrays: `a=(1 2)` is `a=` then a
                        // subshell where none may start (BusyBox ash
                        // wording, as for any misplaced token).
                        (_, Some('('), Some(_)) if !self.bash => {
                            return Err(ShellError::syntax("unexpected \"(\""));
                        }
                        (_, Some('('), Some((name, append))) => {
                            out.push(Tok::Array(Assign {
                                name,
                                index: None,
                                append,
                                value: Value::Array(self.array_items()?),
                            }));
                        }
                        _ => out.push(Tok::Word(w)),
                    }
                }
            }
        }
    }

    /// The words of a bash compound array assignment `(w1 w2 …)`, blanks,
    /// newlines and comments between them (bash manual, "Arrays").
    fn array_items(&mut self) -> Result<Vec<Word>, ShellError> {
        self.i += 1; // '('
        let mut items = Vec::new();
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\r' | '\n') => self.i += 1,
                Some('\\') if self.at(1) == Some('\n') => self.i += 2,
                Some('#') => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.i += 1;
                    }
                }
                None => return Err(ShellError::syntax("unexpected end of file (expecting \")\")")),
                Some(')') => {
                    self.i += 1;
                    return Ok(items);
                }
                Some(c @ (';' | '&' | '|' | '<' | '>' | '(')) => {
                    return Err(ShellError::syntax(format!("unexpected \"{c}\"")));
                }
                Some(_) => {
                    let w = self.word()?;
                    if let Some(Part::Lit { text, quoted: false }) = w.parts.first() {
                        if text.starts_with('[') {
                            return Err(ShellError::unsupported_note(
                                format!("{text}…"),
                                "[index]=value in an array assignment",
                            ));
                        }
                    }
                    items.push(w);
                }
            }
        }
    }

    fn redir(&mut self, fd: Option<u32>) -> Result<Tok, ShellError> {
        let ch = self.peek();
        self.i += 1;
        if ch == Some('<') {
            return Err(match self.peek() {
                Some('<') => ShellError::unsupported_note("<<", "here-documents"),
                _ => ShellError::unsupported_note("<", "input redirection"),
            });
        }
        let kind = match self.peek() {
            Some('>') => {
                self.i += 1;
                RedirKind::Append
            }
            Some('&') => {
                self.i += 1;
                RedirKind::Dup
            }
            Some('|') => {
                self.i += 1;
                RedirKind::Out
            }
            _ => RedirKind::Out,
        };
        Ok(Tok::Redir(fd.unwrap_or(1), kind))
    }

    fn word(&mut self) -> Result<Word, ShellError> {
        let mut parts = Vec::new();
        while let Some(ch) = self.peek() {
            match ch {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>' if !self.raw => break,
                '\\' => {
                    self.i += 1;
                    match self.peek() {
                        Some('\n') => self.i += 1,
                        Some(c) => {
                            self.i += 1;
                            push_lit(&mut parts, &c.to_string(), true);
                        }
                        None => push_lit(&mut parts, "\\", false),
                    }
                }
                '\'' => {
                    self.i += 1;
                    let mut s = String::new();
                    loop {
                        match self.peek() {
                            None => return Err(ShellError::syntax("unterminated quoted string")),
                            Some('\'') => break,
                            Some(c) => s.push(c),
                        }
                        self.i += 1;
                    }
                    self.i += 1;
                    push_lit(&mut parts, &s, true);
                }
                '"' => {
                    self.i += 1;
                    self.dquote(&mut parts)?;
                }
                '$' => self.dollar(false, &mut parts)?,
                '`' => self.backtick(false, &mut parts)?,
                c => {
                    self.i += 1;
                    push_lit(&mut parts, &c.to_string(), false);
                }
            }
        }
        Ok(Word { parts })
    }

    fn dquote(&mut self, parts: &mut Vec<Part>) -> Result<(), ShellError> {
        push_lit(parts, "", true);
        loop {
            match self.peek() {
                None => return Err(ShellError::syntax("unterminated quoted string")),
                Some('"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some('\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(c @ ('$' | '`' | '"' | '\\')) => {
                            self.i += 1;
                            push_lit(parts, &c.to_string(), true);
                        }
                        Some('\n') => self.i += 1,
                        _ => push_lit(parts, "\\", true),
                    }
                }
                Some('$') => self.dollar(true, parts)?,
                Some('`') => self.backtick(true, parts)?,
                Some(c) => {
                    self.i += 1;
                    push_lit(parts, &c.to_string(), true);
                }
            }
        }
    }

    /// Index of the `close` matching an already consumed `open`, skipping
    /// quotes and escapes.
    fn find_close(&self, from: usize, open: char, close: char) -> Option<usize> {
        let mut depth = 0usize;
        let mut j = from;
        let mut quote: Option<char> = None;
        while let Some(&c) = self.c.get(j) {
            match quote {
                Some('\'') => {
                    if c == '\'' {
                        quote = None;
                    }
                }
                Some(_) => {
                    if c == '\\' {
                        j += 1;
                    } else if c == '"' {
                        quote = None;
                    }
                }
                None => {
                    if c == '\\' {
                        j += 1;
                    } else if c == '\'' || c == '"' {
                        quote = Some(c);
                    } else if c == open {
                        depth += 1;
                    } else if c == close {
                        if depth == 0 {
                            return Some(j);
                        }
                        depth -= 1;
                    }
                }
            }
            j += 1;
        }
        None
    }

    fn nested_depth(&self) -> Result<usize, ShellError> {
        if self.depth + 1 > MAX_NESTING {
            return Err(ShellError::too_large(format!(
                "podplay: script nested too deeply (more than {MAX_NESTING} levels)"
            )));
        }
        Ok(self.depth + 1)
    }

    fn dollar(&mut self, quoted: bool, parts: &mut Vec<Part>) -> Result<(), ShellError> {
        self.i += 1; // '$'
        match self.peek() {
            Some('{') => {
                let end =
                    self.find_close(self.i + 1, '{', '}').ok_or_else(|| ShellError::syntax("unterminated ${...}"))?;
                let inner: String = self.c[self.i + 1..end].iter().collect();
                self.i = end + 1;
                parts.push(self.brace_param(&inner, quoted)?);
            }
            Some('(') if self.at(1) == Some('(') => {
                let mut depth = 0usize;
                let mut j = self.i + 2;
                loop {
                    match self.c.get(j) {
                        None => return Err(ShellError::syntax("unterminated $((...))")),
                        Some('(') => depth += 1,
                        Some(')') if depth == 0 => {
                            if self.c.get(j + 1) == Some(&')') {
                                break;
                            }
                            return Err(ShellError::syntax("unexpected \")\""));
                        }
                        Some(')') => depth -= 1,
                        _ => {}
                    }
                    j += 1;
                }
                let expr: String = self.c[self.i + 2..j].iter().collect();
                self.i = j + 2;
                parts.push(Part::Arith { expr, quoted });
            }
            Some('(') => {
                let end =
                    self.find_close(self.i + 1, '(', ')').ok_or_else(|| ShellError::syntax("unterminated $(...)"))?;
                let inner: String = self.c[self.i + 1..end].iter().collect();
                self.i = end + 1;
                let script = parse_at(&inner, self.nested_depth()?, false, self.bash)?;
                parts.push(Part::Subst { script: Arc::new(script), quoted });
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let mut name = String::new();
                while let Some(c) = self.peek().filter(|c| c.is_ascii_alphanumeric() || *c == '_') {
                    name.push(c);
                    self.i += 1;
                }
                parts.push(Part::Param { name, index: None, op: None, quoted });
            }
            Some(c) if c.is_ascii_digit() || "?$#@*!-".contains(c) => {
                self.i += 1;
                parts.push(Part::Param { name: c.to_string(), index: None, op: None, quoted });
            }
            _ => push_lit(parts, "$", quoted),
        }
        Ok(())
    }

    /// A bash subscript at the start of `rest` (`[@]`, `[*]`, `[expr]`)
    /// and what follows it; `None` if `rest` does not start with `[`.
    fn subscript<'a>(&self, rest: &'a str) -> Result<Option<(Subscript, &'a str)>, ShellError> {
        let Some(after) = rest.strip_prefix('[') else {
            return Ok(None);
        };
        let mut depth = 0usize;
        let mut end = None;
        for (k, c) in after.char_indices() {
            match c {
                '[' => depth += 1,
                ']' if depth == 0 => {
                    end = Some(k);
                    break;
                }
                ']' => depth -= 1,
                _ => {}
            }
        }
        let Some(end) = end else {
            return Err(ShellError::syntax("bad substitution"));
        };
        let (text, tail) = (&after[..end], &after[end + 1..]);
        let sub = match text {
            "@" => Subscript::All(false),
            "*" => Subscript::All(true),
            "" => return Err(ShellError::syntax("bad substitution")),
            _ => Subscript::Index(Lexer::new(text, self.nested_depth()?, true, true).word()?),
        };
        Ok(Some((sub, tail)))
    }

    fn brace_param(&self, inner: &str, quoted: bool) -> Result<Part, ShellError> {
        if let Some(name) = inner.strip_prefix('#') {
            if is_name(name) || (name.len() == 1 && "?#@*!$".contains(name)) || name.parse::<u32>().is_ok() {
                return Ok(Part::Length { name: name.to_string(), index: None });
            }
            let len = name.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(name.len());
            if self.bash && is_name(&name[..len]) {
                if let Some((sub, "")) = self.subscript(&name[len..])? {
                    return Ok(Part::Length { name: name[..len].to_string(), index: Some(sub) });
                }
            }
        }
        let name_len = if inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(inner.len())
        } else if inner.starts_with(|c: char| c.is_ascii_digit()) {
            inner.find(|c: char| !c.is_ascii_digit()).unwrap_or(inner.len())
        } else if inner.starts_with(|c: char| "?$#@*!-".contains(c)) {
            1
        } else {
            0
        };
        if name_len == 0 {
            return Err(ShellError::syntax("bad substitution"));
        }
        let (name, rest) = inner.split_at(name_len);
        let (index, rest) = match self.bash && is_name(name) {
            true => match self.subscript(rest)? {
                Some((sub, tail)) => (Some(sub), tail),
                None => (None, rest),
            },
            false => (None, rest),
        };
        if rest.is_empty() {
            return Ok(Part::Param { name: name.to_string(), index, op: None, quoted });
        }
        let (colon, rest) = match rest.strip_prefix(':') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let op = match rest.chars().next() {
            Some('-') => ParamOp::Default,
            Some('=') => ParamOp::Assign,
            Some('+') => ParamOp::Alt,
            Some('?') => ParamOp::Error,
            _ => return Err(ShellError::unsupported(format!("${{{inner}}}"))),
        };
        if index.is_some() && op == ParamOp::Assign {
            return Err(ShellError::unsupported(format!("${{{inner}}}")));
        }
        let mut sub = Lexer::new(&rest[1..], self.nested_depth()?, true, self.bash);
        let word = sub.word()?;
        Ok(Part::Param { name: name.to_string(), index, op: Some((op, colon, word)), quoted })
    }

    fn backtick(&mut self, quoted: bool, parts: &mut Vec<Part>) -> Result<(), ShellError> {
        self.i += 1;
        let mut inner = String::new();
        loop {
            match self.peek() {
                None => return Err(ShellError::syntax("unterminated `...`")),
                Some('`') => break,
                Some('\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(c @ ('`' | '\\' | '$')) => inner.push(c),
                        Some(c) => {
                            inner.push('\\');
                            inner.push(c);
                        }
                        None => inner.push('\\'),
                    }
                }
                Some(c) => inner.push(c),
            }
            self.i += 1;
        }
        self.i += 1;
        let script = parse_at(&inner, self.nested_depth()?, false, self.bash)?;
        parts.push(Part::Subst { script: Arc::new(script), quoted });
        Ok(())
    }
}

// ---------------------------------------------------------------- parser

struct Parser {
    toks: Vec<Tok>,
    i: usize,
    depth: usize,
    bash: bool,
}

const KEYWORDS: &[&str] = &["then", "else", "elif", "fi", "do", "done", "}", "in", "esac"];

impl Parser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.i).unwrap_or(&Tok::Eof)
    }
    fn bump(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.i < self.toks.len() {
            self.i += 1;
        }
        t
    }
    fn kw(&self) -> Option<&str> {
        match self.peek() {
            Tok::Word(w) => w.plain(),
            _ => None,
        }
    }
    fn unexpected(&self, expecting: Option<&str>) -> ShellError {
        let what = match self.peek() {
            Tok::Word(w) => format!("\"{}\"", w.display()),
            Tok::Array(_) => "\"(\"".to_string(),
            Tok::Op(o) => format!("\"{o}\""),
            Tok::Redir(_, k) => match k {
                RedirKind::Out => "\">\"".to_string(),
                RedirKind::Append => "\">>\"".to_string(),
                RedirKind::Dup => "\">&\"".to_string(),
                RedirKind::Both => "\"&>\"".to_string(),
            },
            Tok::Newline => "newline".to_string(),
            Tok::Eof => "end of file".to_string(),
        };
        match (expecting, self.peek()) {
            (Some(e), Tok::Eof) => ShellError::syntax(format!("unexpected {what} (expecting \"{e}\")")),
            _ => ShellError::syntax(format!("unexpected {what}")),
        }
    }
    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Tok::Newline) {
            self.i += 1;
        }
    }
    fn expect(&mut self, kw: &str) -> Result<(), ShellError> {
        if self.kw() == Some(kw) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.unexpected(Some(kw)))
        }
    }
    fn enter(&mut self) -> Result<(), ShellError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(ShellError::too_large(format!(
                "podplay: script nested too deeply (more than {MAX_NESTING} levels)"
            )));
        }
        Ok(())
    }

    /// A list up to (not including) one of `ends`, `)` or end of file.
    fn list(&mut self, ends: &[&str]) -> Result<Vec<AndOr>, ShellError> {
        let mut list = Vec::new();
        loop {
            self.skip_newlines();
            match self.peek() {
                Tok::Eof | Tok::Op(")") => break,
                Tok::Word(w) if w.plain().is_some_and(|k| ends.contains(&k)) => break,
                _ => {}
            }
            let mut ao = self.and_or()?;
            match self.peek() {
                Tok::Op(";") | Tok::Newline => {
                    self.i += 1;
                }
                Tok::Op("&") => {
                    self.i += 1;
                    ao.background = true;
                }
                _ => {
                    list.push(ao);
                    break;
                }
            }
            list.push(ao);
        }
        Ok(list)
    }

    /// A list that must not be empty, ended by `end`.
    fn body(&mut self, ends: &[&str], expecting: &str) -> Result<Vec<AndOr>, ShellError> {
        let list = self.list(ends)?;
        if list.is_empty() {
            return Err(self.unexpected(Some(expecting)));
        }
        Ok(list)
    }

    fn and_or(&mut self) -> Result<AndOr, ShellError> {
        let first = self.pipe()?;
        let mut rest = Vec::new();
        while let Tok::Op(op @ ("&&" | "||")) = self.peek() {
            let is_and = *op == "&&";
            self.i += 1;
            self.skip_newlines();
            rest.push((is_and, self.pipe()?));
        }
        Ok(AndOr { first, rest, background: false })
    }

    fn pipe(&mut self) -> Result<Pipe, ShellError> {
        let bang = self.kw() == Some("!");
        if bang {
            self.i += 1;
        }
        let mut cmd = self.command()?;
        if let Tok::Op("|") = self.peek() {
            let mut stages = vec![cmd];
            while let Tok::Op("|") = self.peek() {
                self.i += 1;
                self.skip_newlines();
                stages.push(self.command()?);
            }
            cmd = Command::Pipeline(stages);
        }
        Ok(Pipe { bang, cmd })
    }

    fn redirs(&mut self) -> Result<Vec<Redir>, ShellError> {
        let mut out = Vec::new();
        while let Tok::Redir(fd, kind) = *self.peek() {
            self.i += 1;
            match self.bump() {
                Tok::Word(target) => out.push(Redir { fd, kind, target }),
                _ => {
                    self.i -= 1;
                    return Err(self.unexpected(None));
                }
            }
        }
        Ok(out)
    }

    fn command(&mut self) -> Result<Command, ShellError> {
        if let Tok::Op("(") = self.peek() {
            self.i += 1;
            self.enter()?;
            let body = self.list(&[])?;
            if body.is_empty() || !matches!(self.peek(), Tok::Op(")")) {
                return Err(self.unexpected(Some(")")));
            }
            self.i += 1;
            self.depth -= 1;
            return Ok(Command::Subshell(body, self.redirs()?));
        }
        let kw = self.kw().map(str::to_string);
        match kw.as_deref() {
            Some("{") => {
                self.i += 1;
                self.enter()?;
                let body = self.body(&["}"], "}")?;
                self.expect("}")?;
                self.depth -= 1;
                Ok(Command::Group(body, self.redirs()?))
            }
            Some("if") => {
                self.i += 1;
                self.enter()?;
                let mut arms = Vec::new();
                let mut otherwise = None;
                loop {
                    let cond = self.body(&["then"], "then")?;
                    self.expect("then")?;
                    let body = self.body(&["elif", "else", "fi"], "fi")?;
                    arms.push((cond, body));
                    match self.kw() {
                        Some("elif") => self.i += 1,
                        Some("else") => {
                            self.i += 1;
                            otherwise = Some(self.body(&["fi"], "fi")?);
                            self.expect("fi")?;
                            break;
                        }
                        _ => {
                            self.expect("fi")?;
                            break;
                        }
                    }
                }
                self.depth -= 1;
                Ok(Command::If(arms, otherwise, self.redirs()?))
            }
            Some(k @ ("while" | "until")) => {
                let until = k == "until";
                self.i += 1;
                self.enter()?;
                let cond = self.body(&["do"], "do")?;
                self.expect("do")?;
                let body = self.body(&["done"], "done")?;
                self.expect("done")?;
                self.depth -= 1;
                Ok(Command::Loop { until, cond, body, redirs: self.redirs()? })
            }
            Some("for") => {
                self.i += 1;
                self.enter()?;
                let var = match self.kw() {
                    Some(v) if is_name(v) => v.to_string(),
                    _ => return Err(self.unexpected(None)),
                };
                self.i += 1;
                self.skip_newlines();
                let mut items = None;
                if self.kw() == Some("in") {
                    self.i += 1;
                    let mut words = Vec::new();
                    while let Tok::Word(w) = self.peek() {
                        words.push(w.clone());
                        self.i += 1;
                    }
                    items = Some(words);
                    match self.peek() {
                        Tok::Op(";") | Tok::Newline => self.i += 1,
                        _ => return Err(self.unexpected(Some("do"))),
                    }
                } else if let Tok::Op(";") = self.peek() {
                    self.i += 1;
                }
                self.skip_newlines();
                self.expect("do")?;
                let body = self.body(&["done"], "done")?;
                self.expect("done")?;
                self.depth -= 1;
                Ok(Command::For { var, items, body, redirs: self.redirs()? })
            }
            Some("case") => Err(ShellError::unsupported("case")),
            Some("function") => Err(ShellError::unsupported_note("function", "shell functions")),
            Some(k) if KEYWORDS.contains(&k) => Err(self.unexpected(None)),
            _ => self.simple(),
        }
    }

    fn simple(&mut self) -> Result<Command, ShellError> {
        let mut assigns = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        let mut redirs = Vec::new();
        loop {
            match self.peek() {
                Tok::Word(w) => {
                    let w = w.clone();
                    self.i += 1;
                    match split_assign(&w, self.bash) {
                        Some(a) if words.is_empty() => assigns.push(a),
                        _ => words.push(w),
                    }
                }
                // bash: `echo a=(1)` is "syntax error near unexpected token `('".
                Tok::Array(_) if !words.is_empty() => return Err(self.unexpected(None)),
                Tok::Array(a) => {
                    assigns.push(a.clone());
                    self.i += 1;
                }
                Tok::Redir(..) => redirs.extend(self.redirs()?),
                Tok::Op("(") if words.len() == 1 && assigns.is_empty() => {
                    return Err(ShellError::unsupported_note(format!("{}()", words[0].display()), "shell functions"));
                }
                _ => break,
            }
        }
        if assigns.is_empty() && words.is_empty() && redirs.is_empty() {
            return Err(self.unexpected(None));
        }
        if let Some(name) = words.first().and_then(Word::plain) {
            if REJECTED.contains(&name) {
                return Err(ShellError::unsupported(name));
            }
        }
        Ok(Command::Simple(Arc::new(Simple { assigns, words, redirs })))
    }
}

/// `NAME=value` at the start of a simple command (in bash also
/// `NAME+=value` and `NAME[subscript]=value`, the subscript possibly
/// spanning expansions: `a[$i]=x`).
fn split_assign(w: &Word, bash: bool) -> Option<Assign> {
    let Some(Part::Lit { text, quoted: false }) = w.parts.first() else {
        return None;
    };
    let lit = |text: &str| Part::Lit { text: text.to_string(), quoted: false };
    if let Some(open) = text.find('[').filter(|_| bash) {
        let name = &text[..open];
        if is_name(name) && !text[..open].contains('=') {
            // Find the part holding `]=` (or `]+=`) that ends the subscript.
            let mut index = Word { parts: vec![lit(&text[open + 1..])] };
            for (k, part) in w.parts.iter().enumerate() {
                let piece = match part {
                    Part::Lit { text, quoted: false } => text.as_str(),
                    _ if k == 0 => return None,
                    p => {
                        index.parts.push(p.clone());
                        continue;
                    }
                };
                let from = if k == 0 { open + 1 } else { 0 };
                let plain = piece[from..].find("]=").map(|e| (from + e, false));
                let append = piece[from..].find("]+=").map(|e| (from + e, true));
                let found = match (plain, append) {
                    (Some(p), Some(a)) => Some(if a.0 < p.0 { a } else { p }),
                    (p, a) => p.or(a),
                };
                match found {
                    Some((end, append)) => {
                        if k == 0 {
                            index.parts = vec![lit(&piece[open + 1..end])];
                        } else {
                            index.parts.push(lit(&piece[..end]));
                        }
                        let mut value = vec![lit(&piece[end + 2 + usize::from(append)..])];
                        value.extend(w.parts[k + 1..].iter().cloned());
                        return Some(Assign {
                            name: name.to_string(),
                            index: Some(index),
                            append,
                            value: Value::Scalar(Word { parts: value }),
                        });
                    }
                    None if k > 0 => index.parts.push(part.clone()),
                    None => {}
                }
            }
            return None;
        }
    }
    let eq = text.find('=')?;
    let (name, append) = match text[..eq].strip_suffix('+') {
        Some(n) if bash => (n, true),
        _ => (&text[..eq], false),
    };
    if !is_name(name) {
        return None;
    }
    let mut parts = w.parts.clone();
    parts[0] = lit(&text[eq + 1..]);
    Some(Assign { name: name.to_string(), index: None, append, value: Value::Scalar(Word { parts }) })
}

// ---------------------------------------------------------------- compiler

struct LoopCtx {
    is_for: bool,
    cont: usize,
    breaks: Vec<usize>,
    redir_depth: usize,
}

#[derive(Default)]
struct Compiler {
    ops: Vec<Op>,
    loops: Vec<LoopCtx>,
    redir_depth: usize,
}

impl Compiler {
    fn emit(&mut self, op: Op) -> usize {
        self.ops.push(op);
        self.ops.len() - 1
    }
    fn patch(&mut self, at: usize, target: usize) {
        match &mut self.ops[at] {
            Op::Jump(t) | Op::JumpIfFail(t) | Op::JumpIfOk(t) => *t = target,
            Op::ForNext { exit, .. } => *exit = target,
            _ => {}
        }
    }

    fn list(&mut self, list: &[AndOr], checked: bool) {
        for ao in list {
            if ao.background {
                let mut sub = Compiler::default();
                sub.and_or(ao, false);
                let code = Arc::new(Code { ops: sub.ops });
                self.emit(Op::Spawn(code));
            } else {
                self.and_or(ao, checked);
            }
        }
    }

    fn and_or(&mut self, ao: &AndOr, checked: bool) {
        self.pipe(&ao.first, checked && ao.rest.is_empty());
        let n = ao.rest.len();
        for (k, (is_and, p)) in ao.rest.iter().enumerate() {
            let j = self.emit(if *is_and { Op::JumpIfFail(0) } else { Op::JumpIfOk(0) });
            self.pipe(p, checked && k + 1 == n);
            let here = self.ops.len();
            self.patch(j, here);
        }
    }

    fn pipe(&mut self, p: &Pipe, checked: bool) {
        self.command(&p.cmd, checked && !p.bang);
        if p.bang {
            self.emit(Op::Not);
        }
    }

    fn with_redirs(&mut self, redirs: &[Redir], f: impl FnOnce(&mut Compiler)) {
        if redirs.is_empty() {
            f(self);
            return;
        }
        self.emit(Op::PushRedir(Arc::new(redirs.to_vec())));
        self.redir_depth += 1;
        f(self);
        self.redir_depth -= 1;
        self.emit(Op::PopRedir);
    }

    fn command(&mut self, cmd: &Command, checked: bool) {
        match cmd {
            Command::Simple(s) => {
                if !self.break_continue(s) {
                    self.emit(Op::Run { cmd: s.clone(), checked, exec: false });
                }
            }
            Command::Group(body, redirs) => self.with_redirs(redirs, |c| c.list(body, checked)),
            Command::Subshell(body, redirs) => {
                let mut sub = Compiler::default();
                sub.list(body, checked);
                let code = Arc::new(Code { ops: sub.ops });
                self.with_redirs(redirs, |c| {
                    c.emit(Op::Subshell { code, checked });
                })
            }
            Command::If(arms, otherwise, redirs) => self.with_redirs(redirs, |c| {
                let mut ends = Vec::new();
                for (cond, body) in arms {
                    c.list(cond, false);
                    let jf = c.emit(Op::JumpIfFail(0));
                    c.list(body, checked);
                    ends.push(c.emit(Op::Jump(0)));
                    let here = c.ops.len();
                    c.patch(jf, here);
                }
                match otherwise {
                    Some(body) => c.list(body, checked),
                    None => {
                        c.emit(Op::SetStatus(0));
                    }
                }
                let end = c.ops.len();
                for j in ends {
                    c.patch(j, end);
                }
            }),
            Command::Loop { until, cond, body, redirs } => self.with_redirs(redirs, |c| {
                let start = c.ops.len();
                c.list(cond, false);
                let jf = c.emit(if *until { Op::JumpIfOk(0) } else { Op::JumpIfFail(0) });
                c.loops.push(LoopCtx { is_for: false, cont: start, breaks: vec![jf], redir_depth: c.redir_depth });
                c.list(body, checked);
                c.emit(Op::Jump(start));
                c.end_loop();
            }),
            Command::Pipeline(stages) => {
                let stages = stages
                    .iter()
                    .map(|stage| {
                        let mut sub = Compiler::default();
                        sub.command(stage, checked);
                        Arc::new(Code { ops: sub.ops })
                    })
                    .collect();
                self.emit(Op::Pipeline { stages: Arc::new(stages), checked });
            }
            Command::For { var, items, body, redirs } => self.with_redirs(redirs, |c| {
                c.emit(Op::ForStart(items.as_ref().map(|w| Arc::new(w.clone()))));
                let next = c.emit(Op::ForNext { var: var.clone(), exit: 0 });
                c.loops.push(LoopCtx { is_for: true, cont: next, breaks: vec![next], redir_depth: c.redir_depth });
                c.list(body, checked);
                c.emit(Op::Jump(next));
                c.end_loop();
            }),
        }
    }

    fn end_loop(&mut self) {
        let end = self.ops.len();
        if let Some(l) = self.loops.pop() {
            for b in l.breaks {
                self.patch(b, end);
            }
        }
        self.emit(Op::SetStatus(0));
    }

    /// `break [N]` / `continue [N]` with literal operands, resolved to jumps.
    fn break_continue(&mut self, s: &Simple) -> bool {
        let Some(name) = s.words.first().and_then(Word::plain) else {
            return false;
        };
        let is_break = match name {
            "break" => true,
            "continue" => false,
            _ => return false,
        };
        if !s.assigns.is_empty() || !s.redirs.is_empty() || s.words.len() > 2 {
            return false;
        }
        let n = match s.words.get(1) {
            None => 1,
            Some(w) => match w.plain().and_then(|t| t.parse::<usize>().ok()) {
                Some(n) if n >= 1 => n,
                _ => return false,
            },
        };
        if self.loops.is_empty() {
            self.emit(Op::SetStatus(0));
            return true;
        }
        let target = self.loops.len() - n.min(self.loops.len());
        let inner_from = if is_break { target } else { target + 1 };
        let fors = self.loops[inner_from..].iter().filter(|l| l.is_for).count();
        let pops = self.redir_depth - self.loops[target].redir_depth;
        for _ in 0..pops {
            self.emit(Op::PopRedir);
        }
        for _ in 0..fors {
            self.emit(Op::ForPop);
        }
        if is_break {
            let j = self.emit(Op::Jump(0));
            self.loops[target].breaks.push(j);
        } else {
            let cont = self.loops[target].cont;
            self.emit(Op::Jump(cont));
        }
        true
    }
}

/// Compiles a parsed body. With `exec_single`, a script that is one simple
/// command runs it as `exec` would (as bash and dash do for `sh -c 'cmd'`),
/// so that the command itself receives signals.
fn compile(body: &[AndOr], exec_single: bool) -> Code {
    let mut c = Compiler::default();
    if exec_single {
        if let [AndOr { first: Pipe { bang: false, cmd: Command::Simple(s) }, rest, background: false }] = body {
            if rest.is_empty() && !s.words.is_empty() && !c.break_continue(s) {
                c.emit(Op::Run { cmd: s.clone(), checked: true, exec: true });
                return Code { ops: c.ops };
            }
        }
    }
    c.list(body, true);
    Code { ops: c.ops }
}

pub(crate) fn parse_at(src: &str, depth: usize, exec_single: bool, bash: bool) -> Result<Script, ShellError> {
    if src.len() > MAX_SCRIPT_BYTES {
        return Err(ShellError::too_large(format!(
            "podplay: script too long ({} bytes, limit {MAX_SCRIPT_BYTES})",
            src.len()
        )));
    }
    let toks = Lexer::new(src, depth, false, bash).tokens()?;
    let mut p = Parser { toks, i: 0, depth, bash };
    let body = p.list(&[])?;
    if !matches!(p.peek(), Tok::Eof) {
        return Err(p.unexpected(None));
    }
    let code = Arc::new(compile(&body, exec_single));
    Ok(Script { body, code, name: "sh".to_string(), params: Vec::new(), errexit: false, xtrace: false, bash })
}

/// Parses the text of `sh -c SCRIPT`.
///
/// Unknown command names are *not* rejected here (the image may provide
/// them; see [`super::Env::program`] and [`unsupported_commands`]); syntax
/// errors, unsupported shell features (pipelines, `case`, functions,
/// here-documents, `read`…) and oversized or too deeply nested scripts are.
pub fn parse_script(src: &str) -> Result<Script, ShellError> {
    parse_at(src, 0, true, false)
}

/// Parses the text of `bash -c SCRIPT`: [`parse_script`] plus bash's indexed
/// arrays (bash manual, "Arrays").
pub fn parse_bash_script(src: &str) -> Result<Script, ShellError> {
    parse_at(src, 0, true, true)
}

/// Is `prog` bash (rather than ash or dash, which have no arrays)?
fn is_bash(prog: &str) -> bool {
    prog.rsplit('/').next() == Some("bash")
}

fn is_shell(prog: &str) -> bool {
    matches!(
        prog,
        "sh" | "/bin/sh"
            | "/usr/bin/sh"
            | "bash"
            | "/bin/bash"
            | "/usr/bin/bash"
            | "ash"
            | "/bin/ash"
            | "dash"
            | "/bin/dash"
    )
}

/// Builds the script for a container's effective command+args (or an exec
/// probe/hook command).
///
/// `sh -c SCRIPT [NAME ARGS…]` (also `bash`, `ash`, `/bin/sh`, and combined
/// flags such as `-ec`, `-xc`) parses SCRIPT; anything else is one simple
/// command whose words are taken literally (no shell is involved).
pub fn from_argv(argv: &[String]) -> Result<Script, ShellError> {
    let Some(first) = argv.first() else {
        return Err(ShellError::unsupported("an empty command"));
    };
    if is_shell(first) {
        let mut errexit = false;
        let mut xtrace = false;
        let mut has_c = false;
        let mut i = 1;
        while let Some(arg) = argv.get(i) {
            if arg == "--" {
                i += 1;
                break;
            }
            let Some(flags) = arg.strip_prefix('-').or_else(|| arg.strip_prefix('+')) else {
                break;
            };
            if flags.is_empty() {
                break;
            }
            i += 1;
            for f in flags.chars() {
                match f {
                    'c' => has_c = true,
                    'e' => errexit = true,
                    'x' => xtrace = true,
                    'o' => i += 1, // `-o pipefail` and friends: accepted, ignored
                    _ => {}
                }
            }
        }
        if !has_c {
            return match argv.get(i) {
                None => Ok(parse_script("")?.with_params(first, Vec::new())),
                Some(file) => Err(ShellError::unsupported_note(format!("{first} {file}"), "running script files")),
            };
        }
        let Some(src) = argv.get(i) else {
            return Err(ShellError {
                kind: super::ShellErrorKind::Syntax,
                message: "sh: -c requires an argument".into(),
            });
        };
        let name = argv.get(i + 1).cloned().unwrap_or_else(|| first.clone());
        let params = argv.get(i + 2..).map(<[String]>::to_vec).unwrap_or_default();
        let parsed = if is_bash(first) { parse_bash_script(src) } else { parse_script(src) };
        let mut script = parsed?.with_params(&name, params);
        script.errexit = errexit;
        script.xtrace = xtrace;
        return Ok(script);
    }
    let words = argv.iter().map(|a| Word { parts: vec![Part::Lit { text: a.clone(), quoted: true }] }).collect();
    let simple = Arc::new(Simple { assigns: Vec::new(), words, redirs: Vec::new() });
    let code = Arc::new(Code { ops: vec![Op::Run { cmd: simple.clone(), checked: true, exec: true }] });
    let body =
        vec![AndOr { first: Pipe { bang: false, cmd: Command::Simple(simple) }, rest: Vec::new(), background: false }];
    Ok(Script { body, code, name: first.clone(), params: Vec::new(), errexit: false, xtrace: false, bash: false })
}

/// Command names in `script` that are literal, not simulated by podplay and
/// not `known` (to the image catalogue): each as
/// ``podplay does not simulate `NAME` ``, without duplicates, in order of
/// appearance. Looks inside command substitutions and literal `trap` actions.
pub fn unsupported_commands(script: &Script, known: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    walk_list(&script.body, known, &mut out, 0);
    out
}

fn walk_list(list: &[AndOr], known: &dyn Fn(&str) -> bool, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_NESTING * 2 {
        return;
    }
    for ao in list {
        for p in std::iter::once(&ao.first).chain(ao.rest.iter().map(|(_, p)| p)) {
            walk_cmd(&p.cmd, known, out, depth + 1);
        }
    }
}

fn walk_word(w: &Word, known: &dyn Fn(&str) -> bool, out: &mut Vec<String>, depth: usize) {
    for p in &w.parts {
        match p {
            Part::Subst { script, .. } => walk_list(&script.body, known, out, depth + 1),
            Part::Param { index, op, .. } => {
                if let Some((_, _, w)) = op {
                    walk_word(w, known, out, depth + 1);
                }
                if let Some(Subscript::Index(w)) = index {
                    walk_word(w, known, out, depth + 1);
                }
            }
            Part::Length { index: Some(Subscript::Index(w)), .. } => walk_word(w, known, out, depth + 1),
            _ => {}
        }
    }
}

fn walk_cmd(cmd: &Command, known: &dyn Fn(&str) -> bool, out: &mut Vec<String>, depth: usize) {
    match cmd {
        Command::Simple(s) => {
            let assigned = s.assigns.iter().flat_map(|a| {
                let values = match &a.value {
                    Value::Scalar(w) => std::slice::from_ref(w),
                    Value::Array(ws) => ws.as_slice(),
                };
                a.index.iter().chain(values)
            });
            for w in s.words.iter().chain(assigned) {
                walk_word(w, known, out, depth);
            }
            let Some(name) = s.words.first().and_then(Word::literal) else {
                return;
            };
            if name == "trap" {
                if let Some(action) = s.words.get(1).and_then(Word::literal) {
                    // Only to find command names: bash syntax, the wider one.
                    if let Ok(script) = parse_at(&action, depth.min(MAX_NESTING), false, true) {
                        walk_list(&script.body, known, out, depth + 1);
                    }
                }
            }
            if name == "exec" {
                if let Some(next) = s.words.get(1).and_then(Word::literal) {
                    check_name(&next, known, out);
                }
                return;
            }
            check_name(&name, known, out);
        }
        Command::Group(body, _) | Command::Subshell(body, _) => walk_list(body, known, out, depth),
        Command::If(arms, otherwise, _) => {
            for (c, b) in arms {
                walk_list(c, known, out, depth);
                walk_list(b, known, out, depth);
            }
            if let Some(b) = otherwise {
                walk_list(b, known, out, depth);
            }
        }
        Command::Loop { cond, body, .. } => {
            walk_list(cond, known, out, depth);
            walk_list(body, known, out, depth);
        }
        Command::Pipeline(stages) => {
            for stage in stages {
                walk_cmd(stage, known, out, depth);
            }
        }
        Command::For { items, body, .. } => {
            for w in items.iter().flatten() {
                walk_word(w, known, out, depth);
            }
            walk_list(body, known, out, depth);
        }
    }
}

fn check_name(name: &str, known: &dyn Fn(&str) -> bool, out: &mut Vec<String>) {
    if is_builtin(name) || known(name) {
        return;
    }
    let msg = super::unsupported_message(name);
    if !out.contains(&msg) {
        out.push(msg);
    }
}

/// Is `name` (or its base name, for `/bin/sleep`) simulated by podplay?
pub(crate) fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&builtin_name(name))
}

/// The name builtins are matched on: `/bin/sleep` → `sleep`.
pub(crate) fn builtin_name(name: &str) -> &str {
    match name.rsplit_once('/') {
        Some(("/bin" | "/usr/bin" | "/sbin" | "/usr/sbin" | "/usr/local/bin", base)) => base,
        _ => name,
    }
}
