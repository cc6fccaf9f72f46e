//! Network tools: BusyBox's `hostname`, `nslookup` and `wget`
//! (networking/) and curl, over the Pod's view of DNS and HTTP
//! ([`Env::resolve`], [`Env::http_get`]), with their messages and exit
//! codes. `nslookup` asks the cluster's DNS server; the others resolve as
//! the C library does, `/etc/hosts` first ([`Env::lookup`]).

use super::Outcome;
use crate::core::shell::io::Output;
use crate::core::shell::options::{self, Arg, Long, Spec};
use crate::core::shell::run::Process;
use crate::core::shell::{utils, Env, HttpOutcome};
use crate::core::time::Millis;

/// Default timeouts: busybox wget (900 s), curl's connect timeout (300 s).
const WGET_TIMEOUT_MS: Millis = 900_000;
const CURL_TIMEOUT_MS: Millis = 300_000;

/// wget's options (BusyBox networking/wget.c).
const WGET_OPTIONS: Spec = Spec {
    short_values: "OTUYPto",
    long: Some(&[
        Long::short("quiet", 'q'),
        Long::short("spider", 's'),
        Long::short("server-response", 'S'),
        Long::short("output-document", 'O'),
        Long::short("timeout", 'T'),
        Long::short("user-agent", 'U'),
        Long::short("tries", 't'),
        Long::value("header"),
        Long::value("post-data"),
        Long::flag("no-check-certificate"),
        Long::flag("no-verbose"),
    ]),
    stop_at_operand: false,
};

/// curl's options (curl's `--help all`).
const CURL_OPTIONS: Spec = Spec {
    short_values: "omwHXdAue",
    long: Some(&[
        Long::short("silent", 's'),
        Long::short("show-error", 'S'),
        Long::short("fail", 'f'),
        Long::short("head", 'I'),
        Long::short("output", 'o'),
        Long::short("max-time", 'm'),
        Long::short("write-out", 'w'),
        Long::short("location", 'L'),
        Long::short("insecure", 'k'),
        Long::short("verbose", 'v'),
        Long::short("include", 'i'),
        Long::short("header", 'H'),
        Long::short("request", 'X'),
        Long::short("data", 'd'),
        Long::short("user-agent", 'A'),
        Long::short("user", 'u'),
        Long::value("connect-timeout"),
        Long::value("retry"),
        Long::value("retry-delay"),
        Long::value("retry-max-time"),
        Long::value("cacert"),
        Long::flag("http1.1"),
        Long::flag("no-progress-meter"),
    ]),
    stop_at_operand: false,
};

/// A number of seconds (`-T 2.5`, `--max-time 3`) in milliseconds;
/// negative ones count as 0.
fn seconds(value: Option<&str>) -> Option<Millis> {
    value.and_then(|s| s.parse::<f64>().ok()).map(|s| (s.max(0.0) * 1000.0).min(1e12) as Millis)
}
/// The cluster DNS server nslookup reports.
const DNS_SERVER: &str = "10.96.0.10";

/// `hostname [-i]`: the Pod's hostname, or with `-i` its address.
pub(super) fn hostname(args: &[String], env: &mut dyn Env, out: &mut Output) -> Outcome {
    let h = env.hostname();
    if args.iter().any(|a| a == "-i") {
        match env.lookup(&h) {
            Some(ip) => out.print(&format!("{ip}\n")),
            None => {
                out.error(&format!("hostname: {h}: Unknown host"));
                return Outcome::Done(1);
            }
        }
    } else {
        out.print(&format!("{h}\n"));
    }
    Outcome::Done(0)
}

/// `nslookup HOST`, answered by the cluster DNS server.
pub(super) fn nslookup(args: &[String], env: &mut dyn Env, out: &mut Output) -> Outcome {
    let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
        out.error("Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]");
        return Outcome::Done(1);
    };
    out.print(&format!("Server:\t\t{DNS_SERVER}\nAddress:\t{DNS_SERVER}:53\n\n"));
    match env.resolve(name) {
        Some(ip) => {
            out.print(&format!("Name:\t{name}\nAddress: {ip}\n\n"));
            Outcome::Done(0)
        }
        None => {
            out.print(&format!("** server can't find {name}: NXDOMAIN\n\n"));
            Outcome::Done(1)
        }
    }
}

impl Process {
    /// An option the tool does not know: its message, noted as not
    /// simulated, and the tool's exit status.
    fn refuse_option(&mut self, tool: &str, option: &Arg, message: &str, status: i32, out: &mut Output) -> Outcome {
        out.error(message);
        self.note_unsupported(&format!("{tool} {}", option.spelled()));
        Outcome::Done(status)
    }

    fn ip_of(&self, env: &mut dyn Env, host: &str) -> String {
        if host.parse::<std::net::Ipv4Addr>().is_ok() {
            return host.to_string();
        }
        env.lookup(host).map(|ip| ip.to_string()).unwrap_or_else(|| host.to_string())
    }

    pub(super) fn wget(&mut self, args: &[String], now: Millis, env: &mut dyn Env, out: &mut Output) -> Outcome {
        let mut quiet = false;
        let mut spider = false;
        let mut output: Option<String> = None;
        let mut timeout = WGET_TIMEOUT_MS;
        let mut url = None;
        for arg in options::parse(args, &WGET_OPTIONS) {
            match arg {
                Arg::Short('q', _) => quiet = true,
                Arg::Short('s', _) => spider = true,
                Arg::Short('O', value) => output = value,
                Arg::Short('T', value) => timeout = seconds(value.as_deref()).unwrap_or(timeout),
                Arg::Short('S' | 'c' | 'U' | 'Y' | 'P' | 't' | 'o', _) => {}
                Arg::Long(name, _) if WGET_OPTIONS.knows(&name) => {}
                Arg::Operand(a) => url = Some(a),
                unknown => {
                    let message = match &unknown {
                        Arg::Short(c, _) => format!("wget: invalid option -- '{c}'"),
                        _ => format!("wget: unrecognized option '{}'", unknown.spelled()),
                    };
                    return self.refuse_option("wget", &unknown, &message, 1, out);
                }
            }
        }
        let Some(raw) = url else {
            out.error("wget: missing URL");
            return Outcome::Done(1);
        };
        let Some(u) = utils::parse_url(&raw) else {
            out.error(&format!("wget: not an http or ftp url: {raw}"));
            return Outcome::Done(1);
        };
        match env.http_get(&u.full, timeout) {
            HttpOutcome::NoHost => {
                out.error(&format!("wget: bad address '{}'", u.host));
                Outcome::Done(1)
            }
            HttpOutcome::Refused => {
                let ip = self.ip_of(env, &u.host);
                if !quiet {
                    out.error(&format!("Connecting to {} ({ip}:{})", u.host, u.port));
                }
                out.error(&format!("wget: can't connect to remote host ({ip}): Connection refused"));
                Outcome::Done(1)
            }
            HttpOutcome::Timeout => {
                if !quiet {
                    let ip = self.ip_of(env, &u.host);
                    out.error(&format!("Connecting to {} ({ip}:{})", u.host, u.port));
                }
                out.error("wget: download timed out");
                Outcome::Until(now.saturating_add(timeout), 1)
            }
            HttpOutcome::Status(code, body) => {
                if !quiet {
                    let ip = self.ip_of(env, &u.host);
                    out.error(&format!("Connecting to {} ({ip}:{})", u.host, u.port));
                }
                if code >= 400 {
                    out.error(&format!("wget: server returned error: HTTP/1.1 {code} {}", utils::reason(code)));
                    return Outcome::Done(1);
                }
                if spider {
                    if !quiet {
                        out.error("remote file exists");
                    }
                    return Outcome::Done(0);
                }
                let file = output.unwrap_or_else(|| {
                    let base = u.path.rsplit('/').next().unwrap_or("");
                    if base.is_empty() {
                        "index.html".to_string()
                    } else {
                        base.to_string()
                    }
                });
                if file == "-" {
                    if !quiet {
                        out.error("writing to stdout");
                    }
                    out.print(&body);
                    if !quiet {
                        out.error("written to stdout");
                    }
                    return Outcome::Done(0);
                }
                let p = self.path(&file);
                if !quiet {
                    out.error(&format!("saving to '{file}'"));
                }
                if p != "/dev/null" {
                    if let Err(m) = env.write_file(&p, &body, false) {
                        out.error(&format!("wget: can't open '{file}': {m}"));
                        return Outcome::Done(1);
                    }
                }
                if !quiet {
                    out.error(&format!("'{file}' saved"));
                }
                Outcome::Done(0)
            }
        }
    }

    pub(super) fn curl(&mut self, args: &[String], now: Millis, env: &mut dyn Env, out: &mut Output) -> Outcome {
        let mut silent = false;
        let mut show_error = false;
        let mut fail = false;
        let mut output: Option<String> = None;
        let mut max_time: Option<Millis> = None;
        let mut connect_timeout: Option<Millis> = None;
        let mut write_out: Option<String> = None;
        let mut head = false;
        let mut url = None;
        for arg in options::parse(args, &CURL_OPTIONS) {
            match arg {
                Arg::Short('s', _) => silent = true,
                Arg::Short('S', _) => show_error = true,
                Arg::Short('f', _) => fail = true,
                Arg::Short('I', _) => head = true,
                Arg::Short('o', value) => output = value,
                Arg::Short('m', value) => max_time = seconds(value.as_deref()),
                Arg::Short('w', value) => write_out = value,
                Arg::Short('L' | 'k' | 'v' | 'i' | 'H' | 'X' | 'd' | 'A' | 'u' | 'e' | '4', _) => {}
                Arg::Long(name, value) if name == "connect-timeout" => connect_timeout = seconds(value.as_deref()),
                Arg::Long(name, _) if CURL_OPTIONS.knows(&name) => {}
                Arg::Operand(a) => url = Some(a),
                unknown => {
                    let message = format!("curl: option {}: is unknown", unknown.spelled());
                    return self.refuse_option("curl", &unknown, &message, 2, out);
                }
            }
        }
        let quiet_err = silent && !show_error;
        let Some(raw) = url else {
            if !quiet_err {
                out.error("curl: (2) no URL specified");
            }
            return Outcome::Done(2);
        };
        let Some(u) = utils::parse_url(&raw) else {
            if !quiet_err {
                out.error(&format!("curl: (1) Protocol not supported or disabled in libcurl: {raw}"));
            }
            return Outcome::Done(1);
        };
        let timeout = max_time.or(connect_timeout).unwrap_or(CURL_TIMEOUT_MS);
        let code_out = |out: &mut Output, code: u16| {
            if let Some(w) = &write_out {
                let (text, _) = utils::unescape(
                    &w.replace("%{http_code}", &format!("{code:03}"))
                        .replace("%{response_code}", &format!("{code:03}")),
                );
                out.print(&text);
            }
        };
        match env.http_get(&u.full, timeout) {
            HttpOutcome::NoHost => {
                if !quiet_err {
                    out.error(&format!("curl: (6) Could not resolve host: {}", u.host));
                }
                code_out(out, 0);
                Outcome::Done(6)
            }
            HttpOutcome::Refused => {
                if !quiet_err {
                    out.error(&format!(
                        "curl: (7) Failed to connect to {} port {} after 0 ms: Couldn't connect to server",
                        u.host, u.port
                    ));
                }
                code_out(out, 0);
                Outcome::Done(7)
            }
            HttpOutcome::Timeout => {
                if !quiet_err {
                    if max_time.is_some() {
                        out.error(&format!(
                            "curl: (28) Operation timed out after {timeout} milliseconds with 0 bytes received"
                        ));
                    } else {
                        out.error(&format!("curl: (28) Connection timed out after {timeout} milliseconds"));
                    }
                }
                code_out(out, 0);
                Outcome::Until(now.saturating_add(timeout), 28)
            }
            HttpOutcome::Status(code, body) => {
                if fail && code >= 400 {
                    if !quiet_err {
                        out.error(&format!("curl: (22) The requested URL returned error: {code}"));
                    }
                    code_out(out, code);
                    return Outcome::Done(22);
                }
                let body = if head { format!("HTTP/1.1 {code} {}\r\n\r\n", utils::reason(code)) } else { body };
                match output.as_deref() {
                    None | Some("-") => out.print(&body),
                    Some(f) => {
                        let p = self.path(f);
                        if p != "/dev/null" {
                            if let Err(m) = env.write_file(&p, &body, false) {
                                if !quiet_err {
                                    out.error(&format!("curl: (23) Failure writing output to destination: {m}"));
                                }
                                return Outcome::Done(23);
                            }
                        }
                    }
                }
                code_out(out, code);
                Outcome::Done(0)
            }
        }
    }
}
