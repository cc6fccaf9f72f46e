//! A small *marked* YAML tree built from `saphyr_parser` events.
//!
//! Every [`Node`] carries the [`Pos`] (1-based line and column) where it starts
//! in the text, so later stages can point at the exact place of a problem.
//!
//! Scalars keep their raw text and whether they were written plain; typing is
//! done on demand by [`Scalar::resolve`] with the YAML 1.2 *core schema*
//! (`null`/`~`/empty, `true`/`false`, decimal, `0x` and `0o` integers, floats
//! including `.inf`/`.nan`). Any quoted or block scalar, and any scalar tagged
//! `!!str`, is a string. Kubernetes itself reads YAML with `sigs.k8s.io/yaml`,
//! which follows YAML 1.1 in a few corners (plain `yes`/`no`/`on`/`off` are
//! booleans there, `0777` is octal); podplay deliberately uses the simpler 1.2
//! core schema, so those plain words are strings here.
//!
//! The builder is defensive, because the input is untrusted:
//! * nesting is limited to [`MAX_DEPTH`] levels while building (no recursion
//!   on unbounded depth anywhere: the builder uses an explicit stack);
//! * aliases are resolved by cloning the anchored node, and the total number of
//!   nodes (clones included) is limited to [`MAX_NODES`], which defeats
//!   "billion laughs" alias bombs;
//! * aliases may add at most [`MAX_ALIAS_BYTES`] of scalar text;
//! * duplicate mapping keys are an error, as the API server rejects them;
//! * merge keys (`<<: *base`, `<<: [*a, *b]`) are applied, as
//!   `sigs.k8s.io/yaml` applies them: explicit keys win, then earlier sources;
//! * mapping keys must be scalars (Kubernetes objects are JSON objects).

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::api::Pos;

/// Maximum nesting depth of sequences and mappings.
pub const MAX_DEPTH: usize = 64;

/// Maximum number of nodes in a whole stream, alias copies included.
pub const MAX_NODES: usize = 100_000;

/// Maximum number of scalar bytes that alias copies may add to a stream (so
/// that aliasing one huge string many times cannot exhaust memory).
pub const MAX_ALIAS_BYTES: usize = 4 * 1024 * 1024;

/// A scalar as written: its text and whether it was written plain (unquoted,
/// not a block scalar, not tagged `!!str`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scalar {
    /// The scalar's value after YAML unescaping/folding.
    pub text: String,
    /// True for plain scalars, which are typed by the core schema; false for
    /// quoted, literal/folded and `!!str`-tagged scalars, which are strings.
    pub plain: bool,
}

/// The type a scalar resolves to under the YAML 1.2 core schema.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    /// `null`, `~` or empty (plain only).
    Null,
    /// `true`/`false` (plain only).
    Bool(bool),
    /// A decimal, `0x` or `0o` integer that fits in an `i64` (plain only).
    Int(i64),
    /// A float, or an integer too large for `i64` (plain only).
    Float(f64),
    /// Anything else, and every non-plain scalar.
    Str(&'a str),
}

impl Scalar {
    /// Types the scalar with the YAML 1.2 core schema (see the module docs).
    pub fn resolve(&self) -> Value<'_> {
        if !self.plain {
            return Value::Str(&self.text);
        }
        let t = self.text.as_str();
        match t {
            "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
            "true" | "True" | "TRUE" => return Value::Bool(true),
            "false" | "False" | "FALSE" => return Value::Bool(false),
            ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Value::Float(f64::INFINITY),
            "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
            ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
            _ => {}
        }
        if let Some(hex) = t.strip_prefix("0x") {
            if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return match i64::from_str_radix(hex, 16) {
                    Ok(v) => Value::Int(v),
                    Err(_) => Value::Float(f64::INFINITY),
                };
            }
            return Value::Str(t);
        }
        if let Some(oct) = t.strip_prefix("0o") {
            if !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
                return match i64::from_str_radix(oct, 8) {
                    Ok(v) => Value::Int(v),
                    Err(_) => Value::Float(f64::INFINITY),
                };
            }
            return Value::Str(t);
        }
        let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return match t.parse::<i64>() {
                Ok(v) => Value::Int(v),
                Err(_) => t.parse::<f64>().map_or(Value::Str(t), Value::Float),
            };
        }
        if is_core_float(digits) {
            if let Ok(v) = t.parse::<f64>() {
                return Value::Float(v);
            }
        }
        Value::Str(t)
    }
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, the core schema's float
/// (sign already stripped).
fn is_core_float(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = 0;
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - s;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    i == b.len()
}

/// What a node holds.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A plain `null`, `~` or empty scalar.
    Null,
    /// Any other scalar.
    Scalar(Scalar),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order; keys are scalars and unique.
    Map(Vec<(Node, Node)>),
}

/// A YAML node and where it starts in the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The node's content.
    pub kind: NodeKind,
    /// 1-based line and column of the node's first character (for a block
    /// mapping, its first key; for a sequence entry, after the `- `).
    pub pos: Pos,
}

impl Node {
    /// A short description of the node's type, in JSON terms, for messages:
    /// `null`, `boolean`, `integer`, `number`, `string`, `array`, `object`.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "null",
            NodeKind::Seq(_) => "array",
            NodeKind::Map(_) => "object",
            NodeKind::Scalar(s) => match s.resolve() {
                Value::Null => "null",
                Value::Bool(_) => "boolean",
                Value::Int(_) => "integer",
                Value::Float(_) => "number",
                Value::Str(_) => "string",
            },
        }
    }

    /// The scalar's text, for scalars (not for [`NodeKind::Null`]).
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(&s.text),
            _ => None,
        }
    }

    /// The key node and the value of mapping entry `key`, for mappings.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|(k, _)| k.scalar_text() == Some(key)).map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// The value of mapping entry `key`, for mappings.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The node at a field path written as diagnostics write them,
    /// `spec.template.spec.containers[0].image` (keys without dots; `[i]`
    /// indexes a sequence). None when any step is missing.
    pub fn at_path(&self, path: &str) -> Option<&Node> {
        let mut node = self;
        for part in path.split('.').filter(|p| !p.is_empty()) {
            let (name, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if !name.is_empty() {
                node = node.get(name)?;
            }
            while let Some(inner) = rest.strip_prefix('[') {
                let end = inner.find(']')?;
                let i: usize = inner[..end].parse().ok()?;
                node = match &node.kind {
                    NodeKind::Seq(items) => items.get(i)?,
                    _ => return None,
                };
                rest = &inner[end + 1..];
            }
        }
        Some(node)
    }
}

/// A syntax or limit error in the YAML text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// Where the problem was found.
    pub pos: Pos,
    /// What went wrong.
    pub message: String,
}

/// The result of reading a YAML stream.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stream {
    /// The documents read completely before any error, in order. An empty
    /// document (e.g. after a trailing `---`) is a [`NodeKind::Null`] node.
    pub documents: Vec<Node>,
    /// The first error, if any; reading stops there.
    pub error: Option<YamlError>,
}

fn pos_of(span: &Span) -> Pos {
    let line = u32::try_from(span.start.line()).unwrap_or(u32::MAX);
    let col = u32::try_from(span.start.col().saturating_add(1)).unwrap_or(u32::MAX);
    Pos { line: line.max(1), col }
}

/// A sequence or mapping under construction.
struct Frame {
    pos: Pos,
    anchor: usize,
    /// `count` when the frame was opened, to size anchored subtrees.
    count_at_start: usize,
    /// `bytes` when the frame was opened.
    bytes_at_start: usize,
    /// Height of the tallest finished child.
    child_height: usize,
    body: FrameBody,
}

enum FrameBody {
    Seq(Vec<Node>),
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        seen: crate::core::store::Store<Pos, String>,
        /// Values of `<<` merge keys, applied when the mapping closes.
        merges: Vec<Node>,
    },
}

/// An anchored node, its size in nodes and its height, for alias expansion.
struct Anchored {
    node: Node,
    size: usize,
    bytes: usize,
    height: usize,
}

struct Builder {
    stack: Vec<Frame>,
    /// Anchored nodes by anchor id, sorted by id (the parser numbers
    /// anchors in order, so a new one goes at the end); `None` while the
    /// anchor is open (its node is not finished), to report recursive
    /// aliases clearly.
    anchors: Vec<(usize, Option<Anchored>)>,
    count: usize,
    /// Scalar bytes materialised so far (alias copies included).
    bytes: usize,
    /// Scalar bytes added by alias copies.
    alias_bytes: usize,
    root: Option<Node>,
    documents: Vec<Node>,
}

const MERGE_ERR: &str = "a merge key (<<) needs a mapping or a sequence of mappings";

fn err(pos: Pos, message: impl Into<String>) -> YamlError {
    YamlError { pos, message: message.into() }
}

impl Builder {
    fn count_nodes(&mut self, n: usize, pos: Pos) -> Result<(), YamlError> {
        self.count = self.count.saturating_add(n);
        if self.count > MAX_NODES {
            return Err(err(
                pos,
                format!(
                    "document is too large: more than {MAX_NODES} YAML nodes \
                     (aliases included); podplay refuses it"
                ),
            ));
        }
        Ok(())
    }

    fn open(&mut self, pos: Pos, anchor: usize, body: FrameBody) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(err(pos, format!("nesting is too deep: podplay accepts at most {MAX_DEPTH} levels")));
        }
        self.count_nodes(1, pos)?;
        if anchor != 0 {
            self.set_anchor(anchor, None);
        }
        self.stack.push(Frame {
            pos,
            anchor,
            count_at_start: self.count,
            bytes_at_start: self.bytes,
            child_height: 0,
            body,
        });
        Ok(())
    }

    fn close(&mut self, pos: Pos) -> Result<(), YamlError> {
        let Some(frame) = self.stack.pop() else {
            return Err(err(pos, "unbalanced end of sequence or mapping"));
        };
        let kind = match frame.body {
            FrameBody::Seq(items) => NodeKind::Seq(items),
            FrameBody::Map { mut entries, key, mut seen, merges } => {
                if key.is_some() {
                    return Err(err(pos, "mapping key without a value"));
                }
                for source in merges {
                    let maps = match source.kind {
                        NodeKind::Map(m) => vec![m],
                        NodeKind::Seq(items) => {
                            let mut maps = Vec::with_capacity(items.len());
                            for item in items {
                                match item.kind {
                                    NodeKind::Map(m) => maps.push(m),
                                    _ => return Err(err(item.pos, MERGE_ERR)),
                                }
                            }
                            maps
                        }
                        _ => return Err(err(source.pos, MERGE_ERR)),
                    };
                    for (k, v) in maps.into_iter().flatten() {
                        let text = k.scalar_text().unwrap_or("").to_string();
                        if !seen.contains_key(&text) {
                            seen.insert(text, k.pos);
                            entries.push((k, v));
                        }
                    }
                }
                NodeKind::Map(entries)
            }
        };
        let node = Node { kind, pos: frame.pos };
        let height = frame.child_height + 1;
        if frame.anchor != 0 {
            let size = self.count - frame.count_at_start + 1;
            let bytes = self.bytes - frame.bytes_at_start;
            self.set_anchor(frame.anchor, Some(Anchored { node: node.clone(), size, bytes, height }));
        }
        self.attach(node, height)
    }

    fn scalar(&mut self, scalar: Scalar, pos: Pos, anchor: usize) -> Result<(), YamlError> {
        self.count_nodes(1, pos)?;
        let bytes = scalar.text.len();
        self.bytes = self.bytes.saturating_add(bytes);
        let kind = if scalar.plain && matches!(scalar.resolve(), Value::Null) {
            NodeKind::Null
        } else {
            NodeKind::Scalar(scalar)
        };
        let node = Node { kind, pos };
        if anchor != 0 {
            self.set_anchor(anchor, Some(Anchored { node: node.clone(), size: 1, bytes, height: 1 }));
        }
        self.attach(node, 1)
    }

    fn set_anchor(&mut self, id: usize, anchored: Option<Anchored>) {
        match self.anchors.binary_search_by_key(&id, |(i, _)| *i) {
            Ok(i) => self.anchors[i].1 = anchored,
            Err(i) => self.anchors.insert(i, (id, anchored)),
        }
    }

    fn anchor(&self, id: usize) -> Option<&Option<Anchored>> {
        self.anchors.binary_search_by_key(&id, |(i, _)| *i).ok().map(|i| &self.anchors[i].1)
    }

    fn alias(&mut self, id: usize, pos: Pos) -> Result<(), YamlError> {
        let anchored = match self.anchor(id) {
            Some(Some(anchored)) => anchored,
            Some(None) => return Err(err(pos, "recursive alias: the anchor contains this alias")),
            None => return Err(err(pos, "alias to an unknown anchor")),
        };
        let (size, bytes, height) = (anchored.size, anchored.bytes, anchored.height);
        if self.stack.len() + height > MAX_DEPTH {
            return Err(err(pos, format!("nesting is too deep: podplay accepts at most {MAX_DEPTH} levels")));
        }
        // Count before cloning so an alias bomb never gets materialised.
        self.count_nodes(size, pos)?;
        self.bytes = self.bytes.saturating_add(bytes);
        self.alias_bytes = self.alias_bytes.saturating_add(bytes);
        if self.alias_bytes > MAX_ALIAS_BYTES {
            return Err(err(
                pos,
                format!(
                    "aliases expand to more than {} MiB of text; podplay refuses it",
                    MAX_ALIAS_BYTES / (1024 * 1024)
                ),
            ));
        }
        let Some(Some(anchored)) = self.anchor(id) else {
            return Err(err(pos, "alias to an unknown anchor"));
        };
        let mut node = anchored.node.clone();
        node.pos = pos;
        self.attach(node, height)
    }

    fn attach(&mut self, node: Node, height: usize) -> Result<(), YamlError> {
        let Some(top) = self.stack.last_mut() else {
            if self.root.is_some() {
                return Err(err(node.pos, "more than one root node in a document"));
            }
            self.root = Some(node);
            return Ok(());
        };
        top.child_height = top.child_height.max(height);
        match &mut top.body {
            FrameBody::Seq(items) => items.push(node),
            FrameBody::Map { entries, key, seen, merges } => match key.take() {
                None => {
                    let text = match &node.kind {
                        NodeKind::Scalar(s) => s.text.clone(),
                        NodeKind::Null => String::new(),
                        NodeKind::Seq(_) | NodeKind::Map(_) => {
                            return Err(err(node.pos, "mapping keys must be strings, not sequences or mappings"))
                        }
                    };
                    if let Some(first) = seen.get(&text) {
                        return Err(err(
                            node.pos,
                            format!(
                                "key {text:?} already set in map (first at line {}, column {})",
                                first.line, first.col
                            ),
                        ));
                    }
                    seen.insert(text, node.pos);
                    *key = Some(node);
                }
                Some(k) => {
                    let is_merge = matches!(&k.kind, NodeKind::Scalar(s) if s.plain && s.text == "<<");
                    if is_merge {
                        merges.push(node);
                    } else {
                        entries.push((k, node));
                    }
                }
            },
        }
        Ok(())
    }

    fn end_document(&mut self, pos: Pos) -> Result<(), YamlError> {
        if !self.stack.is_empty() {
            return Err(err(pos, "document ended inside a sequence or mapping"));
        }
        let root = self.root.take().unwrap_or(Node { kind: NodeKind::Null, pos });
        self.documents.push(root);
        Ok(())
    }

    fn event(&mut self, event: Event<'_>, pos: Pos) -> Result<bool, YamlError> {
        match event {
            Event::Nothing | Event::StreamStart => {}
            Event::StreamEnd => return Ok(false),
            Event::DocumentStart(_) => {
                self.root = None;
                self.stack.clear();
                // Anchors are scoped to their document.
                self.anchors.clear();
            }
            Event::DocumentEnd => self.end_document(pos)?,
            Event::Alias(id) => self.alias(id, pos)?,
            Event::Scalar(text, style, anchor, tag) => {
                let is_str_tag = tag.as_ref().is_some_and(|t| t.handle == "tag:yaml.org,2002:" && t.suffix == "str");
                let plain = style == ScalarStyle::Plain && !is_str_tag;
                let scalar = Scalar { text: text.into_owned(), plain };
                self.scalar(scalar, pos, anchor)?;
            }
            Event::SequenceStart(anchor, _) => self.open(pos, anchor, FrameBody::Seq(Vec::new()))?,
            Event::MappingStart(anchor, _) => self.open(
                pos,
                anchor,
                FrameBody::Map {
                    entries: Vec::new(),
                    key: None,
                    seen: crate::core::store::Store::new(),
                    merges: Vec::new(),
                },
            )?,
            Event::SequenceEnd | Event::MappingEnd => self.close(pos)?,
        }
        Ok(true)
    }
}

/// Reads a (multi-document) YAML stream into marked trees.
///
/// Never panics. Documents completed before the first error are returned
/// together with that error.
///
/// `sigs.k8s.io/yaml` reads YAML with go-yaml, which is more lenient than
/// YAML 1.2 in two ways kubernetes.io's examples rely on (scannerc.go):
/// * `\'` in a double-quoted scalar (`yaml_parser_scan_flow_scalar`),
///   e.g. pods/inject/envars-file-container.yaml;
/// * no indentation rule inside a flow collection, e.g. a `]` back at the
///   column of its key (service/pod-with-graceful-termination.yaml).
///
/// When the scanner stops at one of these, that spot is rewritten (`\'` to
/// the standard `\x27`; the flow line indented one column past the line
/// before it, which changes no value) and the text is read again, at most
/// [`MAX_LENIENCY_RETRIES`] times; positions are mapped back to the text as
/// written.
pub fn parse_stream(text: &str) -> Stream {
    let mut fixed: Option<String> = None;
    let mut shifts = Shifts::default();
    // Each retry reads the whole text again: at most ~1 MiB of re-reading
    // in all (4 retries for a 256 KiB text, the most a manifest may be).
    let retries = (MAX_LENIENCY_REREAD_BYTES / text.len().max(1)).clamp(2, MAX_LENIENCY_RETRIES);
    for _ in 0..retries {
        let src = fixed.as_deref().unwrap_or(text);
        let (stream, retry) = parse_stream_once(src, &shifts);
        let next = match retry {
            Some(Retry::Escape(at)) => rewrite_quote_escapes(src, at, &mut shifts),
            Some(Retry::FlowIndent(line)) => reindent_flow_line(src, line, &mut shifts),
            None => None,
        };
        match next {
            Some(next) => fixed = Some(next),
            None => return stream,
        }
    }
    parse_stream_once(fixed.as_deref().unwrap_or(text), &shifts).0
}

/// How many go-yaml leniencies (see [`parse_stream`]) one stream may use.
pub const MAX_LENIENCY_RETRIES: usize = 32;
/// How much text the leniency retries may re-read in all.
const MAX_LENIENCY_REREAD_BYTES: usize = 1 << 20;

/// What a failed pass may be retried for.
enum Retry {
    /// An unknown escape in the double-quoted scalar at this char index.
    Escape(usize),
    /// Too little indentation at the start of this (0-based) line.
    FlowIndent(usize),
}

/// Text inserted by the rewrites: (line, first column after the insertion
/// in the rewritten text, characters inserted).
#[derive(Default)]
struct Shifts(Vec<(u32, u32, u32)>);

impl Shifts {
    /// A position in the rewritten text, as the user wrote it.
    fn original(&self, pos: Pos) -> Pos {
        let inserted: u32 = self.0.iter().filter(|&&(l, c, _)| l == pos.line && c <= pos.col).map(|s| s.2).sum();
        Pos { line: pos.line, col: pos.col.saturating_sub(inserted) }
    }

    /// Records `n` characters inserted on `line` before column `at`.
    fn insert(&mut self, line: u32, at: u32, n: u32) {
        for s in self.0.iter_mut().filter(|s| s.0 == line && s.1 >= at) {
            s.1 += n;
        }
        self.0.push((line, at + n, n));
    }
}

/// Indents 0-based line `line` of `src` one column past the previous
/// non-blank line, if that indents it more. go-yaml does not check
/// indentation inside flow collections; a flow line's leading spaces
/// change nothing in its values.
fn reindent_flow_line(src: &str, line: usize, shifts: &mut Shifts) -> Option<String> {
    let lines: Vec<&str> = src.split('\n').collect();
    let indent = |l: &str| l.chars().take_while(|&c| c == ' ').count();
    let this = lines.get(line)?;
    let prev = lines[..line].iter().rev().find(|l| {
        let t = l.trim_start_matches(' ');
        !t.is_empty() && !t.starts_with('#')
    })?;
    let want = indent(prev) + 1;
    let have = indent(this);
    if want <= have || this.trim().is_empty() {
        return None;
    }
    let mut out = String::with_capacity(src.len() + want - have);
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if i == line {
            out.extend(std::iter::repeat_n(' ', want - have));
        }
        out.push_str(l);
    }
    let n = u32::try_from(want - have).ok()?;
    shifts.insert(u32::try_from(line + 1).ok()?, 1, n);
    Some(out)
}

/// Rewrites the `\'` escapes of the double-quoted scalar that starts at
/// char index `at` of `src` to `\x27`. None when it has none (the error was
/// some other unknown escape).
fn rewrite_quote_escapes(src: &str, at: usize, shifts: &mut Shifts) -> Option<String> {
    let (start, _) = src.char_indices().nth(at)?;
    if src.as_bytes().get(start) != Some(&b'"') {
        return None;
    }
    // Line and column (1-based, in chars) just after the opening quote.
    let line = 1 + src[..start].matches('\n').count() as u32;
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut pos = Pos { line, col: 2 + src[line_start..start].chars().count() as u32 };
    let mut out = String::with_capacity(src.len() + 8);
    out.push_str(&src[..=start]);
    let mut found = false;
    let mut chars = src[start + 1..].char_indices();
    let mut rest_at = src.len();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                rest_at = start + 1 + i;
                break;
            }
            '\\' => match chars.next() {
                Some((_, '\'')) => {
                    shifts.insert(pos.line, pos.col + 2, 2);
                    out.push_str("\\x27");
                    found = true;
                    pos.col += 4;
                }
                Some((_, n)) => {
                    out.push('\\');
                    out.push(n);
                    if n == '\n' {
                        pos = Pos { line: pos.line + 1, col: 1 };
                    } else {
                        pos.col += 2;
                    }
                }
                None => out.push('\\'),
            },
            '\n' => {
                out.push(c);
                pos = Pos { line: pos.line + 1, col: 1 };
            }
            _ => {
                out.push(c);
                pos.col += 1;
            }
        }
    }
    out.push_str(&src[rest_at..]);
    found.then_some(out)
}

/// Char index to char, moving forward through the text (events come in
/// text order), so that looking up every collection start stays linear.
#[derive(Default)]
struct CharCursor {
    chars: usize,
    bytes: usize,
}

impl CharCursor {
    fn char_at(&mut self, text: &str, index: usize) -> Option<char> {
        if index < self.chars {
            *self = CharCursor::default();
        }
        let mut it = text[self.bytes..].char_indices();
        while self.chars < index {
            let (_, c) = it.next()?;
            self.chars += 1;
            self.bytes += c.len_utf8();
        }
        text[self.bytes..].chars().next()
    }
}

/// One pass of the parser over `text`, and what it may be retried for.
fn parse_stream_once(text: &str, shifts: &Shifts) -> (Stream, Option<Retry>) {
    let mut b = Builder {
        stack: Vec::new(),
        anchors: Vec::new(),
        count: 0,
        bytes: 0,
        alias_bytes: 0,
        root: None,
        documents: Vec::new(),
    };
    let mut error = None;
    let mut retry = None;
    let mut flow_depth = 0usize;
    let mut cursor = CharCursor::default();
    for item in Parser::new_from_str(text) {
        match item {
            Ok((event, span)) => {
                match &event {
                    Event::SequenceStart(..) | Event::MappingStart(..) => {
                        flow_depth += usize::from(
                            flow_depth > 0 || matches!(cursor.char_at(text, span.start.index()), Some('[' | '{')),
                        );
                    }
                    Event::SequenceEnd | Event::MappingEnd => flow_depth = flow_depth.saturating_sub(1),
                    _ => {}
                }
                match b.event(event, shifts.original(pos_of(&span))) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) => {
                        error = Some(e);
                        break;
                    }
                }
            }
            Err(e) => {
                let m = e.marker();
                if e.info().ends_with("found unknown escape character") {
                    retry = Some(Retry::Escape(m.index()));
                } else if flow_depth > 0 && e.info().starts_with("invalid indentation") {
                    retry = Some(Retry::FlowIndent(m.line().saturating_sub(1)));
                }
                error = Some(YamlError {
                    pos: shifts.original(Pos {
                        line: u32::try_from(m.line()).unwrap_or(u32::MAX).max(1),
                        col: u32::try_from(m.col().saturating_add(1)).unwrap_or(u32::MAX),
                    }),
                    // The scanner has its own (higher) limit for flow
                    // collections; word it like ours.
                    message: if e.info() == "recursion limit exceeded" {
                        format!("nesting is too deep: podplay accepts at most {MAX_DEPTH} levels")
                    } else {
                        format!("YAML syntax error: {}", e.info())
                    },
                });
                break;
            }
        }
    }
    (Stream { documents: b.documents, error }, retry)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let s = parse_stream(text);
        assert_eq!(s.error, None, "{text}");
        assert_eq!(s.documents.len(), 1);
        s.documents.into_iter().next().unwrap()
    }

    fn map_get<'a>(n: &'a Node, key: &str) -> &'a Node {
        match &n.kind {
            NodeKind::Map(e) => &e.iter().find(|(k, _)| k.scalar_text() == Some(key)).unwrap().1,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn at_path_follows_keys_and_indexes() {
        let n = one("spec:\n  containers:\n  - name: a\n  - name: b\n    image: nginx\n");
        let image = n.at_path("spec.containers[1].image").expect("image");
        assert_eq!(image.scalar_text(), Some("nginx"));
        assert_eq!((image.pos.line, image.pos.col), (5, 12));
        let (k, _) = n.at_path("spec.containers[1]").and_then(|c| c.entry("image")).expect("entry");
        assert_eq!((k.pos.line, k.pos.col), (5, 5));
        assert!(n.at_path("spec.containers[2]").is_none());
        assert!(n.at_path("spec.containers.name").is_none());
        assert!(n.at_path("spec.containers[x]").is_none());
        assert_eq!(n.at_path("").map(|r| r.pos), Some(n.pos));
    }

    /// go-yaml's `\'` in double-quoted scalars (kubectl accepts it), with
    /// the positions of what follows as written.
    #[test]
    fn go_yaml_single_quote_escape_is_accepted() {
        let n = one("a: [\"x \\'y\\'\", \"\\'z\", w]\nb: \"multi\n  line \\'q\\'\" \nc: \"\\\\'\"\n");
        let a = map_get(&n, "a");
        let NodeKind::Seq(items) = &a.kind else { panic!("{a:?}") };
        assert_eq!(items[0].scalar_text(), Some("x 'y'"));
        assert_eq!(items[1].scalar_text(), Some("'z"));
        assert_eq!(items[2].scalar_text(), Some("w"));
        assert_eq!((items[1].pos.line, items[1].pos.col), (1, 16));
        assert_eq!((items[2].pos.line, items[2].pos.col), (1, 23));
        assert_eq!(map_get(&n, "b").scalar_text(), Some("multi line 'q'"));
        // `\\` then `'`: a backslash and a quote, no rewrite.
        assert_eq!(map_get(&n, "c").scalar_text(), Some("\\'"));
        // Another unknown escape is still an error, at the scalar.
        let s = parse_stream("a: 1\nb: \"\\q\"\n");
        let e = s.error.expect("error");
        assert_eq!((e.pos.line, e.pos.col), (2, 4));
        assert!(e.message.contains("unknown escape"), "{}", e.message);
    }

    /// go-yaml does not check indentation inside flow collections: a `]`
    /// back at its key's column is read, positions as written.
    #[test]
    fn flow_collections_ignore_indentation_as_go_yaml_does() {
        let text = "spec:\n  command: [\n    \"sh\", \"-c\",\n  \"sleep 1\"\n  ]\n  after: {a: [1,\n 2], b: 3\n  }\n  next: x\n";
        let n = one(text);
        let cmd = n.at_path("spec.command").expect("command");
        let NodeKind::Seq(items) = &cmd.kind else { panic!("{cmd:?}") };
        let texts: Vec<_> = items.iter().map(|i| i.scalar_text().unwrap()).collect();
        assert_eq!(texts, ["sh", "-c", "sleep 1"]);
        assert_eq!((items[2].pos.line, items[2].pos.col), (4, 3));
        assert_eq!(n.at_path("spec.after.b").and_then(Node::scalar_text), Some("3"));
        let two = n.at_path("spec.after.a[1]").expect("a[1]");
        assert_eq!((two.pos.line, two.pos.col), (7, 2));
        let next = n.at_path("spec.next").expect("next");
        assert_eq!((next.pos.line, next.pos.col), (9, 9));
        // Block indentation is still checked.
        assert!(parse_stream("a:\n    b: 1\n  c: 2\n").error.is_some());
    }

    #[test]
    fn positions_are_one_based() {
        let n = one("a: 1\nb:\n  - name: web\n");
        assert_eq!(n.pos, Pos { line: 1, col: 1 });
        assert_eq!(map_get(&n, "a").pos, Pos { line: 1, col: 4 });
        let seq = map_get(&n, "b");
        assert_eq!(seq.pos, Pos { line: 3, col: 3 });
        let NodeKind::Seq(items) = &seq.kind else { panic!() };
        assert_eq!(items[0].pos, Pos { line: 3, col: 5 });
        assert_eq!(map_get(&items[0], "name").pos, Pos { line: 3, col: 11 });
    }

    #[test]
    fn scalars_keep_quoting_and_resolve_with_core_schema() {
        let n = one("a: \"80\"\nb: 80\nc: 0x1F\nd: 1.5\ne: ~\nf: true\ng: yes\nh: !!str 7\ni: 0o17\nj: 1e3\n");
        let r = |k: &str| match &map_get(&n, k).kind {
            NodeKind::Scalar(s) => format!("{:?}", s.resolve()),
            NodeKind::Null => "Null".into(),
            other => format!("{other:?}"),
        };
        assert_eq!(r("a"), "Str(\"80\")");
        assert_eq!(r("b"), "Int(80)");
        assert_eq!(r("c"), "Int(31)");
        assert_eq!(r("d"), "Float(1.5)");
        assert_eq!(r("e"), "Null");
        assert_eq!(r("f"), "Bool(true)");
        assert_eq!(r("g"), "Str(\"yes\")");
        assert_eq!(r("h"), "Str(\"7\")");
        assert_eq!(r("i"), "Int(15)");
        assert_eq!(r("j"), "Float(1000.0)");
    }

    #[test]
    fn multi_document_streams() {
        let s = parse_stream("a: 1\n---\nb: 2\n---\n");
        assert_eq!(s.error, None);
        assert_eq!(s.documents.len(), 3);
        assert_eq!(s.documents[1].pos, Pos { line: 3, col: 1 });
        assert_eq!(s.documents[2].kind, NodeKind::Null);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let s = parse_stream("a: 1\nb: 2\na: 3\n");
        let e = s.error.unwrap();
        assert_eq!(e.pos, Pos { line: 3, col: 1 });
        assert_eq!(e.message, "key \"a\" already set in map (first at line 1, column 1)");
    }

    #[test]
    fn aliases_are_cloned() {
        let n = one("x: &a {k: v}\ny: *a\n");
        assert_eq!(map_get(&n, "y").kind, map_get(&n, "x").kind);
        assert_eq!(map_get(&n, "y").pos, Pos { line: 2, col: 4 });
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut t = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = if i == 0 { "a".to_string() } else { format!("b{}", i - 1) };
            t.push_str(&format!(
                "b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let s = parse_stream(&t);
        let e = s.error.unwrap();
        assert!(e.message.contains("more than 100000 YAML nodes"), "{}", e.message);
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let t = "[".repeat(100_000);
        let e = parse_stream(&t).error.unwrap();
        assert!(e.message.contains("too deep") || e.message.contains("recursion"), "{}", e.message);
        let mut block = String::new();
        for i in 0..200 {
            block.push_str(&" ".repeat(i));
            block.push_str("a:\n");
        }
        let e = parse_stream(&block).error.unwrap();
        assert_eq!(e.message, "nesting is too deep: podplay accepts at most 64 levels");
        assert_eq!(e.pos.line, 65);
    }

    #[test]
    fn syntax_errors_have_positions() {
        let s = parse_stream("a: 1\n---\nb: [1, 2\n");
        assert_eq!(s.documents.len(), 1);
        let e = s.error.unwrap();
        assert!(e.message.starts_with("YAML syntax error: "), "{}", e.message);
        assert!(e.pos.line >= 3);
    }

    #[test]
    fn merge_keys_are_applied() {
        let n = one("base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3\n  c: 4\n");
        let x = map_get(&n, "x");
        let NodeKind::Map(e) = &x.kind else { panic!() };
        let keys: Vec<&str> = e.iter().map(|(k, _)| k.scalar_text().unwrap()).collect();
        assert_eq!(keys, ["b", "c", "a"]);
        assert_eq!(map_get(x, "b").scalar_text(), Some("3"));
        let s = parse_stream("x:\n  <<: 1\n");
        assert_eq!(s.error.unwrap().message, MERGE_ERR);
    }

    #[test]
    fn aliased_big_strings_are_bounded() {
        let big = "x".repeat(200_000);
        let t = format!("a: &a {big}\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n");
        let e = parse_stream(&t).error.unwrap();
        assert_eq!(e.message, "aliases expand to more than 4 MiB of text; podplay refuses it");
    }

    #[test]
    fn non_scalar_keys_are_errors() {
        let s = parse_stream("? [a]\n: 1\n");
        assert_eq!(s.error.unwrap().message, "mapping keys must be strings, not sequences or mappings");
    }
}
