//! A line-by-line YAML highlighter for the editor. It only colours: the
//! parser (`core::yaml`) is the judge of what is valid. Runs on every
//! keystroke, so it is one pass over the text and never fails.

/// What a piece of a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Token {
    Plain,
    Key,
    String,
    Number,
    /// `true`, `false`, `null`, `~`.
    Constant,
    Comment,
    /// `-`, `---`, `...`, `|`, `>`, `{`, `}`, `[`, `]`, `,`.
    Punct,
    /// `&anchor`, `*alias`, `!tag`.
    Anchor,
}

impl Token {
    /// The CSS class suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            Token::Plain => "plain",
            Token::Key => "key",
            Token::String => "str",
            Token::Number => "num",
            Token::Constant => "const",
            Token::Comment => "comment",
            Token::Punct => "punct",
            Token::Anchor => "anchor",
        }
    }
}

/// Splits one line into (token, text) pieces that concatenate back to it.
pub fn line(text: &str) -> Vec<(Token, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    // Indentation and sequence dashes.
    loop {
        let trimmed = rest.trim_start_matches(' ');
        if trimmed.len() != rest.len() {
            out.push((Token::Plain, &rest[..rest.len() - trimmed.len()]));
            rest = trimmed;
        }
        if rest == "-" || rest.starts_with("- ") {
            out.push((Token::Punct, &rest[..1]));
            rest = &rest[1..];
            continue;
        }
        break;
    }
    if rest.starts_with("---") || rest.starts_with("...") {
        out.push((Token::Punct, &rest[..3]));
        rest = &rest[3..];
    }
    // A block mapping key: text up to `: ` or a trailing `:` outside quotes.
    if let Some(end) = key_end(rest) {
        out.push((Token::Key, &rest[..end]));
        out.push((Token::Punct, &rest[end..end + 1]));
        rest = &rest[end + 1..];
    }
    value(rest, &mut out);
    out
}

/// Where a plain or quoted key ends (the index of its `:`), if the line has one.
fn key_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let first = *b.first()?;
    if matches!(first, b'#' | b'{' | b'[' | b'|' | b'>' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`') {
        return None;
    }
    let mut i = 0;
    if first == b'"' || first == b'\'' {
        i = 1;
        while i < b.len() && b[i] != first {
            i += if b[i] == b'\\' && first == b'"' { 2 } else { 1 };
        }
        i += 1;
        return (i < b.len() && b[i] == b':' && (i + 1 == b.len() || b[i + 1] == b' ')).then_some(i);
    }
    while i < b.len() {
        if b[i] == b':' && (i + 1 == b.len() || b[i + 1] == b' ') {
            return Some(i);
        }
        if b[i] == b' ' && b.get(i + 1) == Some(&b'#') {
            return None;
        }
        i += 1;
    }
    None
}

/// The rest of a line after any key: a scalar, a flow collection or a comment.
fn value<'a>(mut s: &'a str, out: &mut Vec<(Token, &'a str)>) {
    while !s.is_empty() {
        let b = s.as_bytes();
        let n = match b[0] {
            b' ' => {
                let n = s.len() - s.trim_start_matches(' ').len();
                out.push((Token::Plain, &s[..n]));
                n
            }
            b'#' => {
                out.push((Token::Comment, s));
                s.len()
            }
            b'"' | b'\'' => {
                let q = b[0];
                let mut i = 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' && q == b'"' { 2 } else { 1 };
                }
                let n = (i + 1).min(b.len());
                out.push((Token::String, &s[..n]));
                n
            }
            b'{' | b'}' | b'[' | b']' | b',' | b'|' | b'>' | b':' | b'-' if is_punct_here(b) => {
                out.push((Token::Punct, &s[..1]));
                1
            }
            b'&' | b'*' | b'!' => {
                let n = s.find([' ', ',', ']', '}']).unwrap_or(s.len());
                out.push((Token::Anchor, &s[..n]));
                n
            }
            _ => {
                // A plain scalar runs to ` #`, or in flow context to `,]}` / `: `.
                let mut n = s.len();
                for (i, w) in b.windows(2).enumerate() {
                    if (w[0] == b' ' && w[1] == b'#')
                        || matches!(w[0], b',' | b']' | b'}')
                        || (w[0] == b':' && w[1] == b' ')
                    {
                        n = i;
                        break;
                    }
                }
                if n == s.len() && matches!(b[b.len() - 1], b',' | b']' | b'}' | b':') && b.len() > 1 {
                    n = b.len() - 1;
                }
                let n = n.max(1);
                let word = &s[..n];
                let token = if matches!(b.get(n), Some(b':')) && b.get(n + 1).is_none_or(|c| *c == b' ') {
                    Token::Key
                } else {
                    scalar_token(word.trim_end())
                };
                out.push((token, word));
                n
            }
        };
        s = &s[n..];
    }
}

/// `-` and `:` are punctuation only when followed by a space or the end.
fn is_punct_here(b: &[u8]) -> bool {
    match b[0] {
        b'-' | b':' => b.len() == 1 || b[1] == b' ',
        b'|' | b'>' => b[1..].iter().all(|c| matches!(c, b'-' | b'+' | b'0'..=b'9' | b' ')),
        _ => true,
    }
}

fn scalar_token(word: &str) -> Token {
    match word {
        "true" | "false" | "True" | "False" | "TRUE" | "FALSE" | "null" | "Null" | "NULL" | "~" => Token::Constant,
        _ if is_number(word) => Token::Number,
        _ => Token::Plain,
    }
}

fn is_number(w: &str) -> bool {
    let w = w.strip_prefix(['-', '+']).unwrap_or(w);
    if let Some(hex) = w.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    let mut digits = 0;
    let mut dots = 0;
    for b in w.bytes() {
        match b {
            b'0'..=b'9' => digits += 1,
            b'.' => dots += 1,
            _ => return false,
        }
    }
    digits > 0 && dots <= 1
}
