//! Go's formatting of values, for the messages podplay reproduces word for
//! word (API server validation, kubelet files, library errors).

/// Go's `strconv.Quote`: printable characters as they are, `"` and `\`
/// escaped, control characters as `\n`, `\t`, `\x1b`, `\u0085`…
/// (`unicode.IsPrint` approximated: controls, non-ASCII spaces and the
/// common format characters are escaped).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            // Not `unicode.IsPrint`: other controls, spaces other than ' ',
            // and the common format characters.
            c if c.is_control()
                || (c.is_whitespace() && c != ' ')
                || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}') =>
            {
                let n = c as u32;
                if n < 0x10000 {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_as_strconv_quote() {
        assert_eq!(super::quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(super::quote("tab\tnl\n\u{1b}\u{85}é"), "\"tab\\tnl\\n\\x1b\\u0085é\"");
    }
}
