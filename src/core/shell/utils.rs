//! Pure helpers for the simulated utilities: text formatting (`echo`,
//! `printf`, `rev`), `test`, durations, signals, URLs and reason phrases,
//! dates.

use crate::core::time::{Millis, EPOCH_UNIX_SECONDS};

/// `echo [-neE] ARGS…` (busybox: escapes only with `-e`).
pub(crate) fn echo(args: &[String]) -> String {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let Some(flags) = a.strip_prefix('-') else {
            break;
        };
        if flags.is_empty() || !flags.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
            break;
        }
        for c in flags.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        i += 1;
    }
    let text = args[i..].join(" ");
    if escapes {
        let (mut s, stop) = unescape(&text);
        if !stop && newline {
            s.push('\n');
        }
        s
    } else if newline {
        text + "\n"
    } else {
        text
    }
}

/// Backslash escapes of `echo -e` and `printf` formats; the flag is `\c`
/// (stop output).
pub(crate) fn unescape(s: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\x07'),
            Some('b') => out.push('\x08'),
            Some('f') => out.push('\x0c'),
            Some('v') => out.push('\x0b'),
            Some('e') => out.push('\x1b'),
            Some('\\') => out.push('\\'),
            Some('c') => return (out, true),
            Some('0') => {
                let mut v = 0u32;
                for _ in 0..3 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('?'));
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

/// `printf FORMAT ARGS…`: `%s %d %i %u %x %c %b %%` with flags `-` `0` and a
/// width; the format is reused while arguments remain. Returns the output
/// and an error message for a bad number.
pub(crate) fn printf(format: &str, args: &[String]) -> (String, Option<String>) {
    let mut out = String::new();
    let mut err = None;
    let mut next = 0usize;
    // Bounded: each round consumes at least one argument or stops.
    for _ in 0..=args.len() {
        let before = next;
        let chars: Vec<char> = format.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if out.len() > super::MAX_OUTPUT_BYTES {
                return (out, err);
            }
            let c = chars[i];
            if c == '\\' {
                let end = (i + 4).min(chars.len());
                let seg: String = chars[i..end].iter().collect();
                // Unescape just this escape sequence.
                let take = if chars.get(i + 1) == Some(&'0') {
                    2 + chars[i + 2..end].iter().take_while(|c| c.is_digit(8)).count().min(3)
                } else {
                    2
                };
                let take = take.min(chars.len() - i);
                let (s, stop) = unescape(&seg.chars().take(take).collect::<String>());
                out.push_str(&s);
                if stop {
                    return (out, err);
                }
                i += take;
                continue;
            }
            if c != '%' {
                out.push(c);
                i += 1;
                continue;
            }
            i += 1;
            let mut left = false;
            let mut zero = false;
            while let Some(&f) = chars.get(i) {
                match f {
                    '-' => left = true,
                    '0' => zero = true,
                    '+' | ' ' | '#' => {}
                    _ => break,
                }
                i += 1;
            }
            let mut width = 0usize;
            while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                width = (width * 10 + d as usize).min(1000);
                i += 1;
            }
            if chars.get(i) == Some(&'.') {
                i += 1;
                while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
                    i += 1;
                }
            }
            let Some(&conv) = chars.get(i) else {
                out.push('%');
                break;
            };
            i += 1;
            let arg = |next: &mut usize| -> String {
                let a = args.get(*next).cloned().unwrap_or_default();
                *next += 1;
                a
            };
            let text = match conv {
                '%' => "%".to_string(),
                's' => arg(&mut next),
                'b' => unescape(&arg(&mut next)).0,
                'c' => arg(&mut next).chars().next().map(String::from).unwrap_or_default(),
                'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                    let a = arg(&mut next);
                    let n = if a.is_empty() {
                        0
                    } else {
                        match a.trim().parse::<i64>() {
                            Ok(n) => n,
                            Err(_) => {
                                err = Some(format!("printf: invalid number '{a}'"));
                                0
                            }
                        }
                    };
                    match conv {
                        'x' => format!("{n:x}"),
                        'X' => format!("{n:X}"),
                        'o' => format!("{n:o}"),
                        _ => n.to_string(),
                    }
                }
                other => format!("%{other}"),
            };
            let pad = width.saturating_sub(text.chars().count());
            if left {
                out.push_str(&text);
                out.extend(std::iter::repeat_n(' ', pad));
            } else if zero && conv != 's' {
                let (sign, digits) = match text.strip_prefix('-') {
                    Some(d) => ("-", d),
                    None => ("", text.as_str()),
                };
                out.push_str(sign);
                out.extend(std::iter::repeat_n('0', pad));
                out.push_str(digits);
            } else {
                out.extend(std::iter::repeat_n(' ', pad));
                out.push_str(&text);
            }
        }
        if next >= args.len() || next == before {
            break;
        }
    }
    (out, err)
}

/// `sleep` operands: seconds with an optional fraction and suffix s/m/h/d;
/// `None` for `infinity`. `Err` is busybox's message.
pub(crate) fn sleep_duration(args: &[String]) -> Result<Option<Millis>, String> {
    if args.is_empty() {
        return Err("sleep: missing operand".to_string());
    }
    let mut total: Millis = 0;
    for a in args {
        if a == "infinity" || a == "inf" {
            return Ok(None);
        }
        let (num, mult) = match a.char_indices().last() {
            Some((i, 's')) => (&a[..i], 1_000.0),
            Some((i, 'm')) => (&a[..i], 60_000.0),
            Some((i, 'h')) => (&a[..i], 3_600_000.0),
            Some((i, 'd')) => (&a[..i], 86_400_000.0),
            _ => (a.as_str(), 1_000.0),
        };
        let ok = !num.is_empty() && num.chars().all(|c| c.is_ascii_digit() || c == '.');
        let v: f64 = match num.parse() {
            Ok(v) if ok => v,
            _ => return Err(format!("sleep: invalid number '{a}'")),
        };
        let ms = (v * mult).round();
        if !ms.is_finite() || ms >= 1e15 {
            return Ok(None);
        }
        total = total.saturating_add(ms as Millis);
    }
    Ok(Some(total))
}

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's algorithm).
fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// `date [+FORMAT]` at virtual time `now`, in UTC. The default is busybox's
/// `Thu Jan  1 00:00:05 UTC 2026`.
pub(crate) fn date(now: Millis, format: Option<&str>) -> String {
    let secs = EPOCH_UNIX_SECONDS + (now / 1000) as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let (hh, mm, ss) = (rem / 3600, (rem % 3600) / 60, rem % 60);
    let wd = DAYS[(days + 4).rem_euclid(7) as usize];
    let mon = MONTHS[(m as usize).saturating_sub(1).min(11)];
    let fmt = format.unwrap_or("%a %b %e %H:%M:%S %Z %Y");
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('a') => out.push_str(wd),
            Some('b') | Some('h') => out.push_str(mon),
            Some('e') => out.push_str(&format!("{d:2}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('m') => out.push_str(&format!("{m:02}")),
            Some('Y') => out.push_str(&y.to_string()),
            Some('y') => out.push_str(&format!("{:02}", y.rem_euclid(100))),
            Some('H') => out.push_str(&format!("{hh:02}")),
            Some('M') => out.push_str(&format!("{mm:02}")),
            Some('S') => out.push_str(&format!("{ss:02}")),
            Some('T') => out.push_str(&format!("{hh:02}:{mm:02}:{ss:02}")),
            Some('F') => out.push_str(&format!("{y:04}-{m:02}-{d:02}")),
            Some('s') => out.push_str(&secs.to_string()),
            Some('N') => out.push_str(&format!("{:09}", (now % 1000) * 1_000_000)),
            Some('Z') => out.push_str("UTC"),
            Some('z') => out.push_str("+0000"),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('%') => out.push('%'),
            Some(o) => {
                out.push('%');
                out.push(o);
            }
            None => out.push('%'),
        }
    }
    out
}

/// A signal name or number (`TERM`, `SIGTERM`, `15`, `EXIT`, `0`) → number.
pub(crate) fn signal_number(s: &str) -> Option<i32> {
    let s = s.strip_prefix('-').unwrap_or(s);
    if let Ok(n) = s.parse::<i32>() {
        return (0..=64).contains(&n).then_some(n);
    }
    let up = s.to_ascii_uppercase();
    let name = up.strip_prefix("SIG").unwrap_or(&up);
    Some(match name {
        "EXIT" => 0,
        "HUP" => 1,
        "INT" => 2,
        "QUIT" => 3,
        "KILL" => 9,
        "USR1" => 10,
        "USR2" => 12,
        "PIPE" => 13,
        "ALRM" => 14,
        "TERM" => 15,
        "CHLD" => 17,
        "STOP" => 19,
        "WINCH" => 28,
        _ => return None,
    })
}

/// A parsed `http://host[:port]/path` (no scheme means http).
pub(crate) struct Url {
    pub host: String,
    pub port: u16,
    pub path: String,
    pub full: String,
}

pub(crate) fn parse_url(raw: &str) -> Option<Url> {
    let (scheme, rest) = match raw.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("http".to_string(), raw),
    };
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().ok()?),
        None => (hostport, default_port),
    };
    if host.is_empty() {
        return None;
    }
    Some(Url { host: host.to_string(), port, path: path.to_string(), full: format!("{scheme}://{hostport}{path}") })
}

/// The reason phrase busybox wget prints after the status code.
pub(crate) fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// Files as `test` sees them.
pub(crate) trait FileQuery {
    fn exists(&self, p: &str) -> bool;
    fn is_dir(&self, p: &str) -> bool;
    fn size(&self, p: &str) -> usize;
}

/// `test`/`[` expressions. `Err` is a message for exit status 2.
pub(crate) fn test(args: &[String], fs: &dyn FileQuery, depth: usize) -> Result<bool, String> {
    if depth > 64 {
        return Err("sh: test: expression too complex".to_string());
    }
    let a = |i: usize| args[i].as_str();
    match args.len() {
        0 => return Ok(false),
        1 => return Ok(!args[0].is_empty()),
        2 => {
            if a(0) == "!" {
                return Ok(!test(&args[1..], fs, depth + 1)?);
            }
            return unary(a(0), a(1), fs);
        }
        3 => {
            if let Some(r) = binary(a(0), a(1), a(2)) {
                return r;
            }
            if a(0) == "!" {
                return Ok(!test(&args[1..], fs, depth + 1)?);
            }
            if a(0) == "(" && a(2) == ")" {
                return test(&args[1..2], fs, depth + 1);
            }
        }
        _ => {}
    }
    if args.len() >= 3 {
        for op in ["-o", "-a"] {
            if let Some(i) = args.iter().skip(1).position(|x| x == op) {
                let i = i + 1;
                if i + 1 < args.len() {
                    let l = test(&args[..i], fs, depth + 1)?;
                    let r = test(&args[i + 1..], fs, depth + 1)?;
                    return Ok(if op == "-o" { l || r } else { l && r });
                }
            }
        }
        if a(0) == "!" {
            return Ok(!test(&args[1..], fs, depth + 1)?);
        }
        if a(0) == "(" && args.last().is_some_and(|x| x == ")") {
            return test(&args[1..args.len() - 1], fs, depth + 1);
        }
        if args.len() == 4 {
            if let Some(r) = binary(a(0), a(1), a(2)) {
                let _ = r?;
            }
        }
    }
    Err(format!("sh: {}: unknown operand", args.get(1).map(String::as_str).unwrap_or("")))
}

fn unary(op: &str, x: &str, fs: &dyn FileQuery) -> Result<bool, String> {
    Ok(match op {
        "-z" => x.is_empty(),
        "-n" => !x.is_empty(),
        "-e" | "-r" | "-w" | "-x" => fs.exists(x),
        "-f" => fs.exists(x) && !fs.is_dir(x),
        "-d" => fs.is_dir(x),
        "-s" => fs.exists(x) && (fs.is_dir(x) || fs.size(x) > 0),
        "-L" | "-h" | "-p" | "-S" | "-b" | "-c" | "-t" => false,
        _ => return Err(format!("sh: {op}: unknown operand")),
    })
}

fn binary(l: &str, op: &str, r: &str) -> Option<Result<bool, String>> {
    let num =
        |s: &str| -> Result<i64, String> { s.trim().parse::<i64>().map_err(|_| format!("sh: invalid number '{s}'")) };
    let int = |f: fn(i64, i64) -> bool| -> Result<bool, String> { Ok(f(num(l)?, num(r)?)) };
    Some(match op {
        "=" | "==" => Ok(l == r),
        "!=" => Ok(l != r),
        "-eq" => int(|a, b| a == b),
        "-ne" => int(|a, b| a != b),
        "-lt" => int(|a, b| a < b),
        "-gt" => int(|a, b| a > b),
        "-le" => int(|a, b| a <= b),
        "-ge" => int(|a, b| a >= b),
        _ => return None,
    })
}

/// BusyBox `rev`'s output for `text`: each line's characters reversed, its
/// newline (if any) kept at the end (util-linux/rev.c `strrev`).
pub(crate) fn rev(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        out.extend(body.chars().rev());
        out.push_str(nl);
    }
    out
}
