//! Shell arithmetic, `$((…))`, as ash evaluates it (shell/math.c) for the
//! subset podplay parses: 64-bit integers (decimal, octal `010`, hex
//! `0x1f`), variables with or without `$` (unset or empty is 0), `+ - * / %`,
//! comparisons, `& |`, `&& || !`, `~`, unary signs and parentheses, nested
//! at most 64 deep. Errors are ash's messages (`sh: arithmetic syntax error`,
//! `divide by zero`). Used by arithmetic expansion, array subscripts and
//! `unset 'a[i]'`.

/// A tiny `$((…))` evaluator: integers, variables, `+ - * / %`, comparisons,
/// `&& || !`, parentheses. `lookup` gives a variable's value.
pub(super) fn arith(expr: &str, lookup: &dyn Fn(&str) -> String) -> Result<i64, String> {
    let tokens = arith_tokens(expr, lookup)?;
    let mut p = ArithParser { tokens, i: 0, depth: 0 };
    let v = p.binary(0)?;
    if p.i != p.tokens.len() {
        return Err(format!("sh: arithmetic syntax error: {expr}"));
    }
    Ok(v)
}

#[derive(Debug, Clone, PartialEq)]
enum ArithToken {
    Num(i64),
    Op(&'static str),
}

fn arith_tokens(expr: &str, lookup: &dyn Fn(&str) -> String) -> Result<Vec<ArithToken>, String> {
    const OPS: [&str; 19] =
        ["<=", ">=", "==", "!=", "&&", "||", "+", "-", "*", "/", "%", "<", ">", "!", "(", ")", "~", "&", "|"];
    let bad = || format!("sh: arithmetic syntax error: {expr}");
    let mut out = Vec::new();
    let b = expr.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i] as char;
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && (b[i] as char).is_ascii_alphanumeric() {
                i += 1;
            }
            let t = &expr[start..i];
            let v = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                i64::from_str_radix(h, 16).map_err(|_| bad())?
            } else if t.len() > 1 && t.starts_with('0') {
                i64::from_str_radix(&t[1..], 8).map_err(|_| bad())?
            } else {
                t.parse().map_err(|_| bad())?
            };
            out.push(ArithToken::Num(v));
        } else if c.is_ascii_alphabetic() || c == '_' || c == '$' {
            if c == '$' {
                i += 1;
            }
            let braced = b.get(i) == Some(&b'{');
            if braced {
                i += 1;
            }
            let start = i;
            while i < b.len() && ((b[i] as char).is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            if braced {
                if b.get(i) != Some(&b'}') {
                    return Err(bad());
                }
                i += 1;
            }
            let name = &expr[start..i - usize::from(braced)];
            if name.is_empty() {
                return Err(bad());
            }
            let v = lookup(name);
            let v = v.trim();
            out.push(ArithToken::Num(if v.is_empty() { 0 } else { v.parse().map_err(|_| bad())? }));
        } else {
            let rest = &expr[i..];
            let Some(op) = OPS.iter().find(|o| rest.starts_with(**o)) else {
                return Err(bad());
            };
            i += op.len();
            out.push(ArithToken::Op(op));
        }
    }
    Ok(out)
}

struct ArithParser {
    tokens: Vec<ArithToken>,
    i: usize,
    depth: usize,
}

const LEVELS: [&[&str]; 7] = [&["||"], &["&&"], &["|"], &["&"], &["==", "!="], &["<", ">", "<=", ">="], &["+", "-"]];

impl ArithParser {
    fn err(&self) -> String {
        "sh: arithmetic syntax error".to_string()
    }
    fn binary(&mut self, level: usize) -> Result<i64, String> {
        if level == LEVELS.len() {
            return self.term();
        }
        let mut v = self.binary(level + 1)?;
        while let Some(ArithToken::Op(op)) = self.tokens.get(self.i) {
            if !LEVELS[level].contains(op) {
                break;
            }
            let op = *op;
            self.i += 1;
            let r = self.binary(level + 1)?;
            v = match op {
                "||" => i64::from(v != 0 || r != 0),
                "&&" => i64::from(v != 0 && r != 0),
                "|" => v | r,
                "&" => v & r,
                "==" => i64::from(v == r),
                "!=" => i64::from(v != r),
                "<" => i64::from(v < r),
                ">" => i64::from(v > r),
                "<=" => i64::from(v <= r),
                ">=" => i64::from(v >= r),
                "+" => v.wrapping_add(r),
                _ => v.wrapping_sub(r),
            };
        }
        Ok(v)
    }
    fn term(&mut self) -> Result<i64, String> {
        let mut v = self.unary()?;
        while let Some(ArithToken::Op(op @ ("*" | "/" | "%"))) = self.tokens.get(self.i) {
            let op = *op;
            self.i += 1;
            let r = self.unary()?;
            v = match op {
                "*" => v.wrapping_mul(r),
                _ if r == 0 => return Err("sh: divide by zero".to_string()),
                "/" => v.wrapping_div(r),
                _ => v.wrapping_rem(r),
            };
        }
        Ok(v)
    }
    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 64 {
            return Err(self.err());
        }
        let v = match self.tokens.get(self.i).cloned() {
            Some(ArithToken::Num(n)) => {
                self.i += 1;
                n
            }
            Some(ArithToken::Op("-")) => {
                self.i += 1;
                self.unary()?.wrapping_neg()
            }
            Some(ArithToken::Op("+")) => {
                self.i += 1;
                self.unary()?
            }
            Some(ArithToken::Op("!")) => {
                self.i += 1;
                i64::from(self.unary()? == 0)
            }
            Some(ArithToken::Op("~")) => {
                self.i += 1;
                !self.unary()?
            }
            Some(ArithToken::Op("(")) => {
                self.i += 1;
                let v = self.binary(0)?;
                if self.tokens.get(self.i) != Some(&ArithToken::Op(")")) {
                    return Err(self.err());
                }
                self.i += 1;
                v
            }
            _ => return Err(self.err()),
        };
        self.depth -= 1;
        Ok(v)
    }
}
