//! Cron schedules as a CronJob's `spec.schedule` is read: the standard
//! parser of `github.com/robfig/cron/v3` (`cron.ParseStandard`, used by the
//! API server's `validateScheduleFormat` in pkg/apis/batch/validation and by
//! the controller in pkg/controller/cronjob/cronjob_controllerv2.go): five
//! fields (minute, hour, day of month, month, day of week) or a descriptor
//! (`@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`,
//! `@hourly`, `@every DURATION`).
//!
//! Sources: robfig/cron v3 `parser.go` (`Parse`, `normalizeFields`,
//! `getField`, `getRange`, `parseIntOrName`, `mustParseInt`,
//! `parseDescriptor`), `spec.go` (`SpecSchedule.Next`, `dayMatches`: when
//! day of month or day of week is `*`, both must match, else either),
//! `constantdelay.go` (`Every`). Errors are worded as the library words them,
//! which is what `kubectl apply` shows after `spec.schedule: Invalid value`.
//!
//! Times are in UTC (podplay simulates only the UTC time zone), as Unix
//! seconds.

/// The bit a field gets when it is `*` or `?` (with no step above 1).
const STAR_BIT: u64 = 1 << 63;

/// A parsed schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// The five fields as bit sets (bit N: value N allowed).
    Spec { minute: u64, hour: u64, dom: u64, month: u64, dow: u64 },
    /// `@every D`: D (whole seconds, at least 1) after the previous time.
    Every(i64),
}

struct Bounds {
    min: u64,
    max: u64,
    names: &'static [&'static str],
    /// The value of `names[0]`.
    first: u64,
}

const MINUTES: Bounds = Bounds { min: 0, max: 59, names: &[], first: 0 };
const HOURS: Bounds = Bounds { min: 0, max: 23, names: &[], first: 0 };
const DOM: Bounds = Bounds { min: 1, max: 31, names: &[], first: 0 };
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
    first: 1,
};
const DOW: Bounds = Bounds { min: 0, max: 6, names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"], first: 0 };

fn bits(min: u64, max: u64, step: u64) -> u64 {
    if step == 1 {
        return !(u64::MAX << (max + 1)) & (u64::MAX << min);
    }
    let mut b = 0;
    let mut i = min;
    while i <= max {
        b |= 1 << i;
        i += step;
    }
    b
}

fn all(r: &Bounds) -> u64 {
    bits(r.min, r.max, 1) | STAR_BIT
}

/// `strconv.Atoi`: an optional sign, then decimal digits, into an int64.
fn atoi(s: &str) -> Result<i64, String> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.Atoi: parsing {}: invalid syntax", crate::core::gofmt::quote(s)));
    }
    let mut n: i64 = 0;
    for b in digits.bytes() {
        let d = (b - b'0') as i64;
        let next = n.checked_mul(10).and_then(|n| if neg { n.checked_sub(d) } else { n.checked_add(d) });
        match next {
            Some(v) => n = v,
            None => return Err(format!("strconv.Atoi: parsing {}: value out of range", crate::core::gofmt::quote(s))),
        }
    }
    Ok(n)
}

/// `mustParseInt`.
fn must_parse_int(expr: &str) -> Result<u64, String> {
    let n = atoi(expr).map_err(|e| format!("failed to parse int from {expr}: {e}"))?;
    if n < 0 {
        return Err(format!("negative number ({n}) not allowed: {expr}"));
    }
    Ok(n as u64)
}

/// `parseIntOrName`.
fn parse_int_or_name(expr: &str, r: &Bounds) -> Result<u64, String> {
    let lower = expr.to_ascii_lowercase();
    if let Some(i) = r.names.iter().position(|n| *n == lower) {
        return Ok(r.first + i as u64);
    }
    must_parse_int(expr)
}

/// `getRange`: `*`, `N`, `N-M`, each with an optional `/STEP`.
fn get_range(expr: &str, r: &Bounds) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let (start, mut end, mut extra);
    if low_and_high[0] == "*" || low_and_high[0] == "?" {
        start = r.min;
        end = r.max;
        extra = STAR_BIT;
    } else {
        start = parse_int_or_name(low_and_high[0], r)?;
        end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], r)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        extra = 0;
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step[1])?;
            // "N/step" means "N-max/step".
            if single {
                end = r.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < r.min {
        return Err(format!("beginning of range ({start}) below minimum ({}): {expr}", r.min));
    }
    if end > r.max {
        return Err(format!("end of range ({end}) above maximum ({}): {expr}", r.max));
    }
    if start > end {
        return Err(format!("beginning of range ({start}) beyond end of range ({end}): {expr}"));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(bits(start, end, step) | extra)
}

/// `getField`: comma-separated ranges (empty ones skipped, as
/// `strings.FieldsFunc` does).
fn get_field(field: &str, r: &Bounds) -> Result<u64, String> {
    let mut b = 0;
    for expr in field.split(',').filter(|e| !e.is_empty()) {
        b |= get_range(expr, r)?;
    }
    Ok(b)
}

/// Go's `time.ParseDuration`, to whole seconds (what `Every` keeps).
fn parse_go_duration(s: &str) -> Option<i64> {
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut nanos: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let num = &rest[..num_len];
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        nanos += value * scale;
        if nanos > i64::MAX as f64 {
            return None;
        }
    }
    let secs = (nanos / 1e9).floor() as i64;
    Some(if neg { -secs } else { secs })
}

/// `time.ParseDuration`'s error text.
fn duration_error(s: &str) -> String {
    let body = s.trim_start_matches(['+', '-']);
    let num_len = body.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(body.len());
    if num_len > 0 && num_len == body.len() {
        return format!("time: missing unit in duration {}", crate::core::gofmt::quote(s));
    }
    if num_len > 0 {
        let rest = &body[num_len..];
        let unit = &rest[..rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len())];
        if !["ns", "us", "µs", "μs", "ms", "s", "m", "h"].contains(&unit) {
            return format!(
                "time: unknown unit {} in duration {}",
                crate::core::gofmt::quote(unit),
                crate::core::gofmt::quote(s)
            );
        }
    }
    format!("time: invalid duration {}", crate::core::gofmt::quote(s))
}

/// `parseDescriptor`.
fn parse_descriptor(spec: &str) -> Result<Schedule, String> {
    let one = |b: &Bounds| 1u64 << b.min;
    let (minute, hour, dom, month, dow) = match spec {
        "@yearly" | "@annually" => (one(&MINUTES), one(&HOURS), one(&DOM), one(&MONTHS), all(&DOW)),
        "@monthly" => (one(&MINUTES), one(&HOURS), one(&DOM), all(&MONTHS), all(&DOW)),
        "@weekly" => (one(&MINUTES), one(&HOURS), all(&DOM), all(&MONTHS), one(&DOW)),
        "@daily" | "@midnight" => (one(&MINUTES), one(&HOURS), all(&DOM), all(&MONTHS), all(&DOW)),
        "@hourly" => (one(&MINUTES), all(&HOURS), all(&DOM), all(&MONTHS), all(&DOW)),
        _ => {
            if let Some(d) = spec.strip_prefix("@every ") {
                let secs = parse_go_duration(d)
                    .ok_or_else(|| format!("failed to parse duration {spec}: {}", duration_error(d)))?;
                // `Every`: at least a second, whole seconds.
                return Ok(Schedule::Every(secs.max(1)));
            }
            return Err(format!("unrecognized descriptor: {spec}"));
        }
    };
    Ok(Schedule::Spec { minute, hour, dom, month, dow })
}

/// The time zone a schedule names with a `TZ=` or `CRON_TZ=` prefix, if it
/// has one (the API server refuses these; see [`crate::core::manifest`]).
pub fn tz_prefix(spec: &str) -> Option<&str> {
    let rest = spec.strip_prefix("TZ=").or_else(|| spec.strip_prefix("CRON_TZ="))?;
    Some(rest.split(' ').next().unwrap_or(rest))
}

/// `cron.ParseStandard`.
pub fn parse(spec: &str) -> Result<Schedule, String> {
    if spec.is_empty() {
        return Err("empty spec string".into());
    }
    let mut spec = spec;
    if let Some(zone) = tz_prefix(spec) {
        // Only UTC is known to podplay's clock.
        if !matches!(zone, "UTC" | "Etc/UTC") {
            return Err(format!("provided bad location {zone}: podplay knows only the UTC time zone"));
        }
        spec = spec.find(' ').map_or("", |i| spec[i..].trim());
    }
    if spec.starts_with('@') {
        return parse_descriptor(spec);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!("expected exactly 5 fields, found {}: [{}]", fields.len(), fields.join(" ")));
    }
    Ok(Schedule::Spec {
        minute: get_field(fields[0], &MINUTES)?,
        hour: get_field(fields[1], &HOURS)?,
        dom: get_field(fields[2], &DOM)?,
        month: get_field(fields[3], &MONTHS)?,
        dow: get_field(fields[4], &DOW)?,
    })
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Schedule {
    /// `Schedule.Next`: the first activation strictly after `after` (Unix
    /// seconds), or None when there is none within five years (robfig's
    /// `yearLimit`; `59 23 31 2 *` never comes).
    pub fn next(&self, after: i64) -> Option<i64> {
        let (minute, hour, dom, month, dow) = match *self {
            Schedule::Every(d) => return after.checked_add(d),
            Schedule::Spec { minute, hour, dom, month, dow } => (minute, hour, dom, month, dow),
        };
        // Whole minutes (second 0), strictly after `after`.
        let mut m = after.div_euclid(60) + 1;
        let (start_year, _, _) = crate::core::time::civil_from_days(m.div_euclid(1440));
        // Each step moves to the next month, day, hour or minute: bounded
        // by five years of them.
        for _ in 0..5 * 366 * (1 + 24 + 60) {
            let days = m.div_euclid(1440);
            let (y, mo, d) = crate::core::time::civil_from_days(days);
            if y > start_year + 5 {
                return None;
            }
            let minute_of_day = m.rem_euclid(1440);
            if month & (1 << mo) == 0 {
                let (ny, nm) = if mo == 12 { (y + 1, 1) } else { (y, mo + 1) };
                m = days_from_civil(ny, nm, 1) * 1440;
                continue;
            }
            // `dayMatches`; 1970-01-01 was a Thursday.
            let weekday = (days + 4).rem_euclid(7);
            let dom_match = dom & (1 << d) != 0;
            let dow_match = dow & (1 << weekday) != 0;
            let day_ok = if dom & STAR_BIT != 0 || dow & STAR_BIT != 0 {
                dom_match && dow_match
            } else {
                dom_match || dow_match
            };
            if !day_ok {
                m = (days + 1) * 1440;
                continue;
            }
            if hour & (1 << (minute_of_day / 60)) == 0 {
                m = days * 1440 + (minute_of_day / 60 + 1) * 60;
                continue;
            }
            if minute & (1 << (minute_of_day % 60)) == 0 {
                m += 1;
                continue;
            }
            return Some(m * 60);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::time::EPOCH_UNIX_SECONDS as T0;

    fn next(spec: &str, after: i64) -> i64 {
        parse(spec).unwrap().next(T0 + after).unwrap() - T0
    }

    #[test]
    fn robfig_parse_standard_errors() {
        // Worded as robfig/cron v3 parser.go words them.
        assert_eq!(parse("").unwrap_err(), "empty spec string");
        assert_eq!(parse("* * *").unwrap_err(), "expected exactly 5 fields, found 3: [* * *]");
        assert_eq!(parse("* * * * * *").unwrap_err(), "expected exactly 5 fields, found 6: [* * * * * *]");
        assert_eq!(parse("60 * * * *").unwrap_err(), "end of range (60) above maximum (59): 60");
        assert_eq!(parse("* * 0 * *").unwrap_err(), "beginning of range (0) below minimum (1): 0");
        assert_eq!(parse("5-1 * * * *").unwrap_err(), "beginning of range (5) beyond end of range (1): 5-1");
        assert_eq!(parse("*/0 * * * *").unwrap_err(), "step of range should be a positive number: */0");
        assert_eq!(parse("1-2-3 * * * *").unwrap_err(), "too many hyphens: 1-2-3");
        assert_eq!(parse("*/2/3 * * * *").unwrap_err(), "too many slashes: */2/3");
        assert_eq!(
            parse("x * * * *").unwrap_err(),
            "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert_eq!(parse("* * * * 7").unwrap_err(), "end of range (7) above maximum (6): 7");
        assert_eq!(
            parse("* * * FOO *").unwrap_err(),
            "failed to parse int from FOO: strconv.Atoi: parsing \"FOO\": invalid syntax"
        );
        assert_eq!(parse("@fortnightly").unwrap_err(), "unrecognized descriptor: @fortnightly");
        assert_eq!(parse("@every x").unwrap_err(), "failed to parse duration @every x: time: invalid duration \"x\"");
        assert_eq!(parse("*/-1 * * * *").unwrap_err(), "negative number (-1) not allowed: -1");
    }

    #[test]
    fn names_ranges_lists_and_steps() {
        assert_eq!(parse("0 0 * JAN MON").unwrap(), parse("0 0 * 1 1").unwrap());
        assert_eq!(parse("0 0 * jan-mar mon-fri").unwrap(), parse("0 0 * 1-3 1-5").unwrap());
        assert_eq!(parse("0,30 * * * *").unwrap(), parse("*/30 * * * *").unwrap());
        assert_eq!(parse("5/20 * * * *").unwrap(), parse("5,25,45 * * * *").unwrap());
        assert_eq!(parse("@daily").unwrap(), parse("@midnight").unwrap());
        assert_eq!(parse("@yearly").unwrap(), parse("@annually").unwrap());
        assert_eq!(parse("@hourly").unwrap(), parse("0 * * * *").unwrap());
    }

    #[test]
    fn next_activation_times() {
        // 2026-01-01T00:00:00Z is a Thursday.
        assert_eq!(next("* * * * *", 0), 60);
        assert_eq!(next("* * * * *", 59), 60);
        assert_eq!(next("* * * * *", 60), 120);
        assert_eq!(next("*/5 * * * *", 60), 300);
        assert_eq!(next("@hourly", 0), 3600);
        assert_eq!(next("30 2 * * *", 0), 2 * 3600 + 1800);
        // Next Monday is 2026-01-05.
        assert_eq!(next("0 9 * * MON", 0), 4 * 86_400 + 9 * 3600);
        assert_eq!(next("@weekly", 0), 3 * 86_400); // Sunday 2026-01-04
        assert_eq!(next("@monthly", 0), 31 * 86_400); // 2026-02-01
        assert_eq!(next("@yearly", 0), 365 * 86_400); // 2027-01-01
                                                      // Both day fields restricted: either matches (the 15th, or a Monday).
        assert_eq!(next("0 0 15 * MON", 0), 4 * 86_400);
        // Day of month restricted, day of week `*`: both must match.
        assert_eq!(next("0 0 15 * *", 0), 14 * 86_400);
        assert_eq!(next("@every 90s", 0), 90);
        // February 31st never comes: no next time within five years.
        assert_eq!(parse("59 23 31 2 *").unwrap().next(T0), None);
    }
}
