//! Virtual time. The simulation never reads a clock: time is a plain integer
//! of milliseconds since the simulation epoch, 2026-01-01T00:00:00Z.

/// Virtual milliseconds since the epoch.
pub type Millis = u64;

pub const SECOND_MS: Millis = 1_000;
pub const MINUTE_MS: Millis = 60 * SECOND_MS;
pub const HOUR_MS: Millis = 60 * MINUTE_MS;

/// Unix seconds of 2026-01-01T00:00:00Z.
pub const EPOCH_UNIX_SECONDS: i64 = 1_767_225_600;

/// RFC 3339 in UTC to whole seconds, as the API server writes `metav1.Time`
/// (e.g. `2026-01-01T00:00:12Z`).
pub fn rfc3339(ms: Millis) -> String {
    let secs = EPOCH_UNIX_SECONDS + (ms / 1000) as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, (rem % 3600) / 60, rem % 60)
}

/// RFC 3339 with microseconds, as `metav1.MicroTime` is written.
pub fn rfc3339_micro(ms: Millis) -> String {
    let base = rfc3339(ms);
    format!("{}.{:06}Z", &base[..base.len() - 1], (ms % 1000) * 1000)
}

/// Go's `time.RFC1123Z` layout in UTC (`Mon, 02 Jan 2006 15:04:05 -0700`), as
/// `kubectl describe` prints times (e.g. `Thu, 01 Jan 2026 00:00:05 +0000`).
pub fn rfc1123z(ms: Millis) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let secs = EPOCH_UNIX_SECONDS + (ms / 1000) as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    // 1970-01-01 was a Thursday.
    let weekday = DAYS[(days + 4).rem_euclid(7) as usize];
    let month = MONTHS[(m as usize).saturating_sub(1) % 12];
    format!("{weekday}, {d:02} {month} {y:04} {:02}:{:02}:{:02} +0000", rem / 3600, (rem % 3600) / 60, rem % 60)
}

/// Howard Hinnant's days-to-civil algorithm.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// kubectl's `duration.HumanDuration` (`k8s.io/apimachinery/pkg/util/duration`),
/// used for AGE and for RESTARTS' "(5s ago)".
pub fn human_duration(ms: Millis) -> String {
    let seconds = ms / 1000;
    let minutes = seconds / 60;
    let hours = minutes / 60;
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    if minutes < 10 {
        let s = seconds % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    if hours < 8 {
        let m = minutes % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        return format!("{hours}h{m}m");
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = hours / 24;
    if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{days}d");
        }
        return format!("{days}d{h}h");
    }
    if hours < 24 * 365 * 2 {
        return format!("{days}d");
    }
    let years = days / 365;
    if hours < 24 * 365 * 8 {
        let dy = days % 365;
        if dy == 0 {
            return format!("{years}y");
        }
        return format!("{years}y{dy}d");
    }
    format!("{years}y")
}

/// Go's `time.Duration.String()` for whole milliseconds (`1.5s`, `2m0s`, `300ms`),
/// as the kubelet prints durations in event messages.
pub fn go_duration(ms: Millis) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let h = ms / HOUR_MS;
    let m = (ms % HOUR_MS) / MINUTE_MS;
    let s = (ms % MINUTE_MS) / 1000;
    let frac = ms % 1000;
    let mut secs = s.to_string();
    if frac > 0 {
        let f = format!("{frac:03}");
        secs = format!("{s}.{}", f.trim_end_matches('0'));
    }
    if h > 0 {
        format!("{h}h{m}m{secs}s")
    } else if m > 0 {
        format!("{m}m{secs}s")
    } else {
        format!("{secs}s")
    }
}

/// Parses a CLI duration: `90`, `90s`, `1m30s`, `2h`, `500ms`.
pub fn parse_duration(text: &str) -> Option<Millis> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse::<Millis>().ok()?.checked_mul(1000);
    }
    let mut total: Millis = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: Millis = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "ms" => 1,
            "s" => SECOND_MS,
            "m" => MINUTE_MS,
            "h" => HOUR_MS,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
        rest = &rest[unit_len..];
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_is_2026_new_year() {
        assert_eq!(rfc3339(0), "2026-01-01T00:00:00Z");
        assert_eq!(rfc3339(12_345), "2026-01-01T00:00:12Z");
        assert_eq!(rfc3339(59 * 86_400_000), "2026-03-01T00:00:00Z");
        assert_eq!(rfc3339_micro(1_500), "2026-01-01T00:00:01.500000Z");
        assert_eq!(rfc1123z(5_000), "Thu, 01 Jan 2026 00:00:05 +0000");
        assert_eq!(rfc1123z(59 * 86_400_000 + 3_723_000), "Sun, 01 Mar 2026 01:02:03 +0000");
    }

    #[test]
    fn human_duration_matches_apimachinery() {
        assert_eq!(human_duration(5_000), "5s");
        assert_eq!(human_duration(119_000), "119s");
        assert_eq!(human_duration(125_000), "2m5s");
        assert_eq!(human_duration(600_000), "10m");
        assert_eq!(human_duration(3 * HOUR_MS + 5 * MINUTE_MS), "3h5m");
    }

    #[test]
    fn go_durations() {
        assert_eq!(go_duration(1_581), "1.581s");
        assert_eq!(go_duration(120_000), "2m0s");
        assert_eq!(go_duration(300), "300ms");
    }

    #[test]
    fn cli_durations() {
        assert_eq!(parse_duration("90"), Some(90_000));
        assert_eq!(parse_duration("1m30s"), Some(90_000));
        assert_eq!(parse_duration("500ms"), Some(500));
        assert_eq!(parse_duration("2h"), Some(7_200_000));
        assert_eq!(parse_duration("x"), None);
        assert_eq!(parse_duration("5d"), None);
    }
}
