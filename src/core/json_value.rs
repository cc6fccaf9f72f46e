//! A small JSON value, printer and parser: what `core::json` builds API
//! objects with, what share links are read from and what the page's `-o yaml`
//! pane prints. It prints exactly as `serde_json` did (compact, keys in
//! insertion order, the same string escapes), without serde's generic
//! machinery or an index map, which the page's download paid for.
//!
//! Objects are a `Vec` of pairs: the objects here have a few dozen keys at
//! most, so a linear lookup is as fast as hashing and keeps the code small.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

/// A JSON value.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// A JSON number: an integer, or the text of any other number as parsed
/// (nothing here computes with fractions; they are only ever printed back).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Number {
    Unsigned(u64),
    Signed(i64),
    Other(String),
}

/// A JSON object: its members in insertion order.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Map(Vec<(String, Value)>);

static NULL: Value = Value::Null;

impl Map {
    pub fn new() -> Map {
        Map(Vec::new())
    }

    /// Sets `key`, keeping its place when it is already there (as an
    /// insertion-ordered map does); returns the value it replaced.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => Some(std::mem::replace(v, value)),
            None => {
                self.0.push((key, value));
                None
            }
        }
    }

    /// [`Self::insert`] with a borrowed key: one out-of-line call per member
    /// where `insert("key".into(), …)` inlined the key's allocation.
    #[inline(never)]
    pub fn put(&mut self, key: &str, value: Value) {
        self.insert(key.to_string(), value);
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Map {
        let mut m = Map::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

impl std::ops::Index<&str> for Map {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(Number::Unsigned(n)) => Some(*n),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(Number::Unsigned(n)) => i64::try_from(*n).ok(),
            Value::Number(Number::Signed(n)) => Some(*n),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|m| m.get(key))
    }
}

/// `v["key"]`: the member, or null when it is missing or `v` is no object.
impl std::ops::Index<&str> for Value {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

/// `v[i]`: the element, or null.
impl std::ops::Index<usize> for Value {
    type Output = Value;
    fn index(&self, i: usize) -> &Value {
        self.as_array().and_then(|a| a.get(i)).unwrap_or(&NULL)
    }
}

/// `v["key"] = …` on an object built here (null becomes an empty object).
/// Panics on any other value, which would be a bug in the caller's own
/// construction, never a consequence of input.
impl std::ops::IndexMut<&str> for Value {
    fn index_mut(&mut self, key: &str) -> &mut Value {
        if self.is_null() {
            *self = Value::Object(Map::new());
        }
        let Value::Object(m) = self else { panic!("json: indexing a non-object with {key:?}") };
        let i = match m.0.iter().position(|(k, _)| k == key) {
            Some(i) => i,
            None => {
                m.0.push((key.to_string(), Value::Null));
                m.0.len() - 1
            }
        };
        &mut m.0[i].1
    }
}

/// Converts what `json!` is given (by reference, as `serde_json::json!` did).
pub trait ToJson {
    fn to_json(&self) -> Value;
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}
impl ToJson for Map {
    fn to_json(&self) -> Value {
        Value::Object(self.clone())
    }
}
impl ToJson for str {
    fn to_json(&self) -> Value {
        Value::String(self.to_string())
    }
}
impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}
impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}
impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}
impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(T::to_json).collect())
    }
}
impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        self.as_slice().to_json()
    }
}
impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_json)
    }
}
/// An object in key order (as serde serialized a `BTreeMap`).
impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn to_json(&self) -> Value {
        Value::Object(Map(self.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()))
    }
}

macro_rules! integers {
    ($($t:ty => $wide:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Value {
                Value::from_integer(n as $wide)
            }
        }
        impl ToJson for $t {
            fn to_json(&self) -> Value {
                Value::from(*self)
            }
        }
    )*};
}

trait Integer {
    fn into_number(self) -> Number;
}
impl Integer for u64 {
    fn into_number(self) -> Number {
        Number::Unsigned(self)
    }
}
impl Integer for i64 {
    fn into_number(self) -> Number {
        // Non-negative integers are unsigned, whatever type they came from.
        u64::try_from(self).map_or(Number::Signed(self), Number::Unsigned)
    }
}

impl Value {
    fn from_integer<N: Integer>(n: N) -> Value {
        Value::Number(n.into_number())
    }
}

integers!(u8 => u64, u16 => u64, u32 => u64, u64 => u64, usize => u64, i8 => i64, i16 => i64, i32 => i64, i64 => i64, isize => i64);

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}
impl From<&String> for Value {
    fn from(s: &String) -> Value {
        Value::String(s.clone())
    }
}
impl From<Vec<Value>> for Value {
    fn from(a: Vec<Value>) -> Value {
        Value::Array(a)
    }
}
impl From<Map> for Value {
    fn from(m: Map) -> Value {
        Value::Object(m)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}
impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}
impl PartialEq<String> for Value {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == Some(other.as_str())
    }
}
impl PartialEq<bool> for Value {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}
impl PartialEq<i64> for Value {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}
impl PartialEq<i32> for Value {
    fn eq(&self, other: &i32) -> bool {
        self.as_i64() == Some(i64::from(*other))
    }
}
impl PartialEq<u64> for Value {
    fn eq(&self, other: &u64) -> bool {
        self.as_u64() == Some(*other)
    }
}

/// A JSON value from literal-like syntax, as `serde_json::json!` wrote it:
/// `null`, `[…]`, `{"key": …}` (string-literal keys), and any expression
/// whose type implements [`ToJson`] (taken by reference).
macro_rules! json {
    (null) => { $crate::core::json_value::Value::Null };
    ([ $($tt:tt)* ]) => { $crate::core::json_value::Value::Array($crate::core::json_value::json!(@array [] $($tt)*)) };
    ({ $($tt:tt)* }) => {{
        #[allow(unused_mut)]
        let mut object = $crate::core::json_value::Map::new();
        $crate::core::json_value::json!(@object object $($tt)*);
        $crate::core::json_value::Value::Object(object)
    }};

    (@array [$($done:expr,)*]) => { vec![$($done,)*] };
    (@array [$($done:expr,)*] null $(, $($rest:tt)*)?) => {
        $crate::core::json_value::json!(@array [$($done,)* $crate::core::json_value::json!(null),] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] [$($inner:tt)*] $(, $($rest:tt)*)?) => {
        $crate::core::json_value::json!(@array [$($done,)* $crate::core::json_value::json!([$($inner)*]),] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] {$($inner:tt)*} $(, $($rest:tt)*)?) => {
        $crate::core::json_value::json!(@array [$($done,)* $crate::core::json_value::json!({$($inner)*}),] $($($rest)*)?)
    };
    (@array [$($done:expr,)*] $next:expr, $($rest:tt)*) => {
        $crate::core::json_value::json!(@array [$($done,)* $crate::core::json_value::json!($next),] $($rest)*)
    };
    (@array [$($done:expr,)*] $last:expr) => {
        $crate::core::json_value::json!(@array [$($done,)* $crate::core::json_value::json!($last),])
    };

    (@object $m:ident) => {};
    (@object $m:ident $key:literal : null $(, $($rest:tt)*)?) => {
        $m.put($key, $crate::core::json_value::Value::Null);
        $crate::core::json_value::json!(@object $m $($($rest)*)?);
    };
    (@object $m:ident $key:literal : [$($inner:tt)*] $(, $($rest:tt)*)?) => {
        $m.put($key, $crate::core::json_value::json!([$($inner)*]));
        $crate::core::json_value::json!(@object $m $($($rest)*)?);
    };
    (@object $m:ident $key:literal : {$($inner:tt)*} $(, $($rest:tt)*)?) => {
        $m.put($key, $crate::core::json_value::json!({$($inner)*}));
        $crate::core::json_value::json!(@object $m $($($rest)*)?);
    };
    (@object $m:ident $key:literal : $value:expr, $($rest:tt)*) => {
        $m.put($key, $crate::core::json_value::json!($value));
        $crate::core::json_value::json!(@object $m $($rest)*);
    };
    (@object $m:ident $key:literal : $value:expr) => {
        $m.put($key, $crate::core::json_value::json!($value));
    };

    ($other:expr) => { $crate::core::json_value::ToJson::to_json(&$other) };
}
pub(crate) use json;

/// Compact JSON, as `serde_json::to_string` printed it.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_value(&mut out, self);
        f.write_str(&out)
    }
}

fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_string(out, s),
        Value::Array(a) => {
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, item)) in m.0.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

fn write_number(out: &mut String, n: &Number) {
    let _ = match n {
        Number::Unsigned(u) => write!(out, "{u}"),
        Number::Signed(i) => write!(out, "{i}"),
        Number::Other(text) => {
            out.push_str(text);
            Ok(())
        }
    };
}

/// A JSON string: `"` and `\` escaped, control characters as `\n`-style
/// escapes or `\u00XX`; everything else (non-ASCII included) as is.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// How deep arrays and objects may nest in parsed text (serde_json's limit).
pub const MAX_DEPTH: usize = 128;

/// Parses JSON text. Errors name what was expected and where, as
/// `… at line L column C` (columns count bytes from 1, as serde_json's did).
pub fn parse(text: &str) -> Result<Value, String> {
    let mut p = Parser { bytes: text.as_bytes(), text, pos: 0 };
    let v = p.value(0)?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(p.error("trailing characters", p.pos + 1));
    }
    Ok(v)
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    /// `what` at the byte before `end` (an exclusive index).
    fn error(&self, what: &str, end: usize) -> String {
        let before = &self.bytes[..end.min(self.bytes.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count();
        format!("{what} at line {line} column {column}")
    }

    fn eof(&self, what: &str) -> String {
        self.error(&format!("EOF while parsing {what}"), self.bytes.len())
    }

    fn skip_ws(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        self.skip_ws();
        let Some(&b) = self.bytes.get(self.pos) else { return Err(self.eof("a value")) };
        match b {
            b'n' => self.word("null", Value::Null),
            b't' => self.word("true", Value::Bool(true)),
            b'f' => self.word("false", Value::Bool(false)),
            b'"' => Ok(Value::String(self.string()?)),
            b'-' | b'0'..=b'9' => self.number(),
            b'[' | b'{' => {
                if depth >= MAX_DEPTH {
                    return Err(self.error("recursion limit exceeded", self.pos + 1));
                }
                self.pos += 1;
                if b == b'[' {
                    self.array(depth + 1)
                } else {
                    self.object(depth + 1)
                }
            }
            _ => Err(self.error("expected value", self.pos + 1)),
        }
    }

    fn word(&mut self, word: &str, v: Value) -> Result<Value, String> {
        for &w in word.as_bytes() {
            match self.bytes.get(self.pos) {
                None => return Err(self.eof("a value")),
                Some(&b) if b == w => self.pos += 1,
                Some(_) => return Err(self.error("expected ident", self.pos + 1)),
            }
        }
        Ok(v)
    }

    /// After `[` or `{`: whether the container closes at once.
    fn closes_empty(&mut self, close: u8) -> bool {
        self.skip_ws();
        let empty = self.bytes.get(self.pos) == Some(&close);
        if empty {
            self.pos += 1;
        }
        empty
    }

    /// After an element: `,` (false) or the closing bracket (true).
    fn closes_after_element(&mut self, close: u8) -> Result<bool, String> {
        self.skip_ws();
        let (inside, expected) =
            if close == b']' { ("a list", "expected `,` or `]`") } else { ("an object", "expected `,` or `}`") };
        match self.bytes.get(self.pos) {
            None => Err(self.eof(inside)),
            Some(&b) if b == b',' || b == close => {
                self.pos += 1;
                Ok(b == close)
            }
            Some(_) => Err(self.error(expected, self.pos + 1)),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, String> {
        let mut items = Vec::new();
        if !self.closes_empty(b']') {
            loop {
                items.push(self.value(depth)?);
                if self.closes_after_element(b']')? {
                    break;
                }
            }
        }
        Ok(Value::Array(items))
    }

    fn object(&mut self, depth: usize) -> Result<Value, String> {
        let mut m = Map::new();
        if !self.closes_empty(b'}') {
            loop {
                self.skip_ws();
                match self.bytes.get(self.pos) {
                    None => return Err(self.eof("an object")),
                    Some(b'"') => {}
                    Some(_) => return Err(self.error("key must be a string", self.pos + 1)),
                }
                let key = self.string()?;
                self.skip_ws();
                match self.bytes.get(self.pos) {
                    None => return Err(self.eof("an object")),
                    Some(b':') => self.pos += 1,
                    Some(_) => return Err(self.error("expected `:`", self.pos + 1)),
                }
                let v = self.value(depth)?;
                m.insert(key, v);
                if self.closes_after_element(b'}')? {
                    break;
                }
            }
        }
        Ok(Value::Object(m))
    }

    /// A string; `self.pos` is at its opening quote.
    fn string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut out = String::new();
        let mut start = self.pos;
        loop {
            let Some(&b) = self.bytes.get(self.pos) else { return Err(self.eof("a string")) };
            match b {
                b'"' => {
                    out.push_str(&self.text[start..self.pos]);
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[start..self.pos]);
                    self.pos += 1;
                    let Some(&e) = self.bytes.get(self.pos) else { return Err(self.eof("a string")) };
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return Err(self.error("invalid escape", self.pos)),
                    }
                    start = self.pos;
                }
                0..=0x1f => {
                    return Err(
                        self.error("control character (\\u0000-\\u001F) found while parsing a string", self.pos + 1)
                    )
                }
                _ => self.pos += 1,
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut n = 0;
        for _ in 0..4 {
            let Some(&b) = self.bytes.get(self.pos) else { return Err(self.eof("a string")) };
            let d = (b as char).to_digit(16).ok_or_else(|| self.error("invalid escape", self.pos + 1))?;
            n = n * 16 + d;
            self.pos += 1;
        }
        Ok(n)
    }

    /// After `\u`: one code point, a surrogate pair taken together.
    fn unicode_escape(&mut self) -> Result<char, String> {
        let first = self.hex4()?;
        let code = match first {
            0xd800..=0xdbff => {
                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(self.error("lone leading surrogate in hex escape", self.pos));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xdc00..=0xdfff).contains(&second) {
                    return Err(self.error("lone leading surrogate in hex escape", self.pos));
                }
                0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
            }
            0xdc00..=0xdfff => return Err(self.error("lone leading surrogate in hex escape", self.pos)),
            c => c,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point", self.pos))
    }

    /// A number per RFC 8259: integers that fit are kept as integers, any
    /// other number as its text.
    fn number(&mut self) -> Result<Value, String> {
        let start = self.pos;
        let negative = self.bytes[self.pos] == b'-';
        if negative {
            self.pos += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.pos;
            while p.bytes.get(p.pos).is_some_and(u8::is_ascii_digit) {
                p.pos += 1;
            }
            p.pos - s
        };
        match self.bytes.get(self.pos) {
            None => return Err(self.eof("a value")),
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            Some(_) => return Err(self.error("invalid number", self.pos + 1)),
        }
        let mut integer = true;
        if self.bytes.get(self.pos) == Some(&b'.') {
            integer = false;
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.bad_number());
            }
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            integer = false;
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.bad_number());
            }
        }
        let text = &self.text[start..self.pos];
        let n = if !integer {
            Number::Other(text.to_string())
        } else if negative {
            text.parse().map_or_else(|_| Number::Other(text.to_string()), Number::Signed)
        } else {
            text.parse().map_or_else(|_| Number::Other(text.to_string()), Number::Unsigned)
        };
        // `-0` is no integer (serde_json read it as the float -0.0).
        Ok(Value::Number(match n {
            Number::Signed(0) => Number::Other(text.to_string()),
            n => n,
        }))
    }

    fn bad_number(&self) -> String {
        match self.bytes.get(self.pos) {
            None => self.eof("a value"),
            Some(_) => self.error("invalid number", self.pos + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_compact_json_in_insertion_order() {
        let name = String::from("web");
        let v = json!({
            "kind": "Pod",
            "metadata": { "name": name, "labels": {}, "n": -3, "big": u64::MAX },
            "list": [1, null, true, [], { "a": [false] }, name.len()],
            "none": Option::<String>::None,
            "opt": Some("x"),
        });
        assert_eq!(
            v.to_string(),
            r#"{"kind":"Pod","metadata":{"name":"web","labels":{},"n":-3,"big":18446744073709551615},"list":[1,null,true,[],{"a":[false]},3],"none":null,"opt":"x"}"#
        );
    }

    #[test]
    fn escapes_strings_as_serde_json_did() {
        let v = json!(["q\"b\\s/\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}é😀"]);
        assert_eq!(v.to_string(), "[\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u001f\u{7f}é😀\"]");
        assert_eq!(parse(&v.to_string()).unwrap(), v);
    }

    #[test]
    fn index_mut_adds_members_in_order_and_replaces_in_place() {
        let mut v = json!({ "a": 1 });
        v["b"] = Value::Bool(true);
        v["a"] = Value::from("x");
        assert_eq!(v.to_string(), r#"{"a":"x","b":true}"#);
        assert_eq!(v["missing"], Value::Null);
        assert_eq!(v["a"], "x");
    }

    #[test]
    fn parses_what_it_prints_and_numbers_like_serde_json() {
        let v = parse(
            " {\"v\": 1, \"a\": [[0, \"x\\u00e9\\ud83d\\ude00\"]], \"f\": 1.5e3, \"n\": -2, \"z\": -0, \"o\": {}} ",
        )
        .unwrap();
        assert_eq!(v["v"].as_u64(), Some(1));
        assert_eq!(v["a"][0][1], "xé😀");
        assert_eq!(v["f"].as_u64(), None);
        assert_eq!(v["n"].as_u64(), None);
        assert_eq!(v["n"].as_i64(), Some(-2));
        assert_eq!(v["z"].as_u64(), None);
        assert_eq!(v.to_string(), r#"{"v":1,"a":[[0,"xé😀"]],"f":1.5e3,"n":-2,"z":-0,"o":{}}"#);
        assert_eq!(parse("18446744073709551616").unwrap().as_u64(), None);
        // A repeated key keeps its first place and its last value.
        assert_eq!(parse(r#"{"a":1,"b":2,"a":3}"#).unwrap().to_string(), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn errors_say_what_and_where() {
        let cases = [
            ("", "EOF while parsing a value at line 1 column 0"),
            ("nope", "expected ident at line 1 column 2"),
            ("x", "expected value at line 1 column 1"),
            ("{\"a\" 1}", "expected `:` at line 1 column 6"),
            ("[1 2]", "expected `,` or `]` at line 1 column 4"),
            ("{\"a\":1 \"b\"}", "expected `,` or `}` at line 1 column 8"),
            ("{1:2}", "key must be a string at line 1 column 2"),
            ("[1,\n2", "EOF while parsing a list at line 2 column 1"),
            ("{} x", "trailing characters at line 1 column 4"),
            ("\"a\\q\"", "invalid escape at line 1 column 4"),
            ("\"a\tb\"", "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3"),
            ("\"\\ud800\"", "lone leading surrogate in hex escape at line 1 column 7"),
            ("01", "trailing characters at line 1 column 2"),
            ("1.", "EOF while parsing a value at line 1 column 2"),
            ("-x", "invalid number at line 1 column 2"),
            ("\"abc", "EOF while parsing a string at line 1 column 4"),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text).unwrap_err(), want, "{text:?}");
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&deep).is_ok());
        let deeper = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&deeper).unwrap_err(), format!("recursion limit exceeded at line 1 column {}", MAX_DEPTH + 1));
        let huge = "[".repeat(1_000_000);
        assert!(parse(&huge).unwrap_err().starts_with("recursion limit exceeded"));
    }
}
