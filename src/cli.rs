//! The headless `podplay` command: runs manifests through the engine and
//! prints the trace like `kubectl get pods -w` and `kubectl events`, or as
//! JSON Lines of Kubernetes watch events.
//!
//! ```text
//! podplay run FILE... [--until DURATION] [--seed N] [--at DURATION ACTION]... [-o table|json] [--wide]
//! podplay validate FILE...
//! podplay lint FILE... | --explain [RULE]
//! podplay examples [NAME]
//! podplay check EXERCISE [SOLUTION] | --list
//! ```
//!
//! The actions `--at` takes are the session's one grammar
//! ([`crate::session::command`]), and `--help` lists them from its table;
//! the run itself is the session's runner with a printer as its observer.

mod lint;

use crate::core::api::{ConfigMap, Namespace, Node, Pod, PriorityClass, Secret, Service, StorageClass};
use crate::core::engine::{Sim, SimConfig, Snapshot};
use crate::core::get;
use crate::core::json;
use crate::core::kinds::Resource;
use crate::core::kubectl;
use crate::core::manifest::{parse_manifests, Severity};
use crate::core::time::{parse_duration, Millis, HOUR_MS, MINUTE_MS};
use crate::examples;
use crate::exercise;
use crate::session::{self, Observer, Planned, Runner, Step, Texts};
use std::io::{Read, Write};

/// With no `--until`, the run ends once nothing has changed for this long.
pub const QUIET_MS: Millis = 10 * MINUTE_MS;
/// With no `--until`, the run never goes past this.
pub const DEFAULT_CAP_MS: Millis = HOUR_MS;
/// `--until` may not exceed this.
pub const MAX_UNTIL_MS: Millis = 24 * HOUR_MS;

const USAGE_HEAD: &str = "usage:
  podplay run FILE... [--until DURATION] [--seed N] [--at DURATION ACTION]... [-o table|json] [--wide] [--logs]
  podplay validate FILE...
  podplay lint FILE... | --explain [RULE]
  podplay examples [NAME]
  podplay check EXERCISE [SOLUTION] | --list
  podplay help | --help | -h
  podplay version | --version

FILE is a YAML file of Kubernetes objects (multi-document), `-` for stdin,
or `example:NAME` for a bundled example (see `podplay examples`).

run simulates FILE from time zero and prints the trace:
  --until DURATION   stop at this simulated time (e.g. 90s, 5m, 1h); by default
                     the run stops once nothing has changed for 10m (at most 1h)
  --seed N           seed for names, UIDs and IPs (default 1)
  --at DURATION ACTION
                     perform ACTION at that simulated time, e.g.
                     --at 30s \"delete pod/web --grace-period=5\"
                     Pod names a controller generates are the same for the
                     same seed and input, so a trace shows the names to use
  -o table|json      table (default) prints like `kubectl get pods -w
                     --output-watch-events` with a leading TIME column, then `kubectl events`; json prints JSON
                     Lines of watch events {\"time\",\"type\",\"object\"}
  --wide             add IP and NODE columns (like -o wide)
  --logs             at the end, print each container's log (like kubectl logs)
";

const USAGE_TAIL: &str = "
validate decodes and validates FILE, and prints each error as
FILE:LINE:COL.

lint reports common mistakes (bare Pods, missing requests/limits, probes or
preStop hooks, latest tags, unrelated containers in one Pod), each as
FILE:LINE:COL: warning[RULE] with why it matters; --explain RULE tells more,
--explain alone lists the rules.

examples lists the bundled examples; examples NAME prints one.

check runs SOLUTION (manifests; `-` for stdin) as the EXERCISE file says
(`exercise:NAME` for a bundled one, see `podplay check --list`) and prints
each check with ✓ or ✗ and what happened. Without SOLUTION it checks the
exercise's starting manifests.

exit status:
  run        0 the run finished; 1 it finished, but an --at ACTION was refused
             (the reason is printed when it happened, as kubectl prints it);
             2 bad input (a FILE unreadable or invalid, a bad option or
             ACTION): nothing was run
  validate   0 every FILE is valid; 1 one has errors; 2 a FILE unreadable, or none
  lint       0 no findings; 1 findings; 2 bad input (nothing was linted)
  examples   0; 2 no example of that NAME
  check      0 every check passes; 1 one fails; 2 bad input (nothing was run)
  help, version  0
  no command, or an unknown one: 2
";

/// `podplay --help`: the commands, then every ACTION from the grammar's
/// table ([`session::command::FORMS`]), so the two cannot disagree.
pub fn usage() -> String {
    let mut text = String::from(USAGE_HEAD);
    text.push_str(
        "\nACTION is one of these, in kubectl's words where kubectl has them (a leading
`kubectl` is allowed; -n NAMESPACE, or --namespace=NAMESPACE, for an object
outside default):\n",
    );
    for line in session::command::form_lines() {
        text.push_str("  ");
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str(USAGE_TAIL);
    text
}

/// A run as the golden files record it: stdout, then stderr (if any) after
/// `--- stderr ---`, then `--- exit status N ---`. No stdin.
pub fn transcript(args: &[String]) -> String {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = main_with(args, &mut std::io::empty(), &mut out, &mut err);
    let mut text = String::from_utf8_lossy(&out).into_owned();
    if !err.is_empty() {
        text.push_str("--- stderr ---\n");
        text.push_str(&String::from_utf8_lossy(&err));
    }
    text.push_str(&format!("--- exit status {code} ---\n"));
    text
}

/// Runs the CLI with `args` (without the program name). Returns the exit status.
pub fn main_with(args: &[String], stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match run_cli(args, stdin, out, err) {
        Ok(code) => code,
        Err(msg) => {
            let _ = writeln!(err, "podplay: {msg}");
            2
        }
    }
}

struct RunOpts {
    files: Vec<String>,
    until: Option<Millis>,
    seed: u64,
    actions: Vec<(Millis, String)>,
    json: bool,
    wide: bool,
    logs: bool,
}

fn run_cli(args: &[String], stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, String> {
    let Some(cmd) = args.first() else {
        let _ = write!(err, "{}", usage());
        return Ok(2);
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "run" => {
            let opts = parse_run_opts(rest)?;
            run(&opts, stdin, out, err)
        }
        "validate" => {
            if rest.is_empty() {
                return Err("validate needs FILE".into());
            }
            let mut failed = false;
            for f in rest {
                let text = read_input(f, stdin)?;
                let parsed = parse_manifests(&text);
                for d in &parsed.diagnostics {
                    let _ = writeln!(err, "{}", format_diagnostic(f, d));
                }
                failed |= parsed.has_errors();
                if !parsed.has_errors() {
                    let _ = writeln!(out, "{f}: {} object(s) valid", parsed.objects.len());
                }
            }
            Ok(if failed { 1 } else { 0 })
        }
        "examples" => {
            match rest.first() {
                Some(name) => {
                    let ex = examples::find(name).ok_or(format!("no example named {name}; try `podplay examples`"))?;
                    let _ = write!(out, "{}", examples::text(ex.name).unwrap_or_default());
                }
                None => {
                    let rows: Vec<Vec<String>> =
                        examples::ALL.iter().map(|e| vec![e.name.to_string(), e.title.to_string()]).collect();
                    let _ = write!(out, "{}", kubectl::format_table(&["NAME", "WHAT IT SHOWS"], &rows));
                }
            }
            Ok(0)
        }
        "check" => check(rest, stdin, out, err),
        "lint" => lint::lint_cmd(rest, stdin, out, err),
        "help" | "-h" | "--help" => {
            let _ = write!(out, "{}", usage());
            Ok(0)
        }
        "version" | "--version" => {
            let _ = writeln!(out, "podplay {}", env!("CARGO_PKG_VERSION"));
            Ok(0)
        }
        other => Err(format!("unknown command `{other}`\n{}", usage())),
    }
}

fn parse_run_opts(args: &[String]) -> Result<RunOpts, String> {
    let mut o = RunOpts { files: vec![], until: None, seed: 1, actions: vec![], json: false, wide: false, logs: false };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let mut take = |name: &str| -> Result<String, String> {
            if let Some(v) = a.strip_prefix(&format!("{name}=")) {
                return Ok(v.to_string());
            }
            i += 1;
            args.get(i).cloned().ok_or(format!("{name} needs a value"))
        };
        if a == "--until" || a.starts_with("--until=") {
            let v = take("--until")?;
            let t = parse_duration(&v).ok_or(format!("--until: not a duration: {v} (try 90s, 5m, 1h)"))?;
            if t > MAX_UNTIL_MS {
                return Err("--until may be at most 24h".into());
            }
            o.until = Some(t);
        } else if a == "--seed" || a.starts_with("--seed=") {
            let v = take("--seed")?;
            o.seed = v.parse().map_err(|_| format!("--seed: not a number: {v}"))?;
        } else if a == "--at" {
            let t = take("--at")?;
            let when = parse_duration(&t).ok_or(format!("--at: not a duration: {t}"))?;
            i += 1;
            let action = args.get(i).cloned().ok_or("--at needs DURATION and ACTION")?;
            if let session::Command::Read(_) =
                session::parse(&action).map_err(|e| format!("--at {t} \"{action}\": {e}"))?
            {
                return Err(format!(
                    "--at {t} \"{action}\": it only reads the cluster; a run prints its trace and, at the end, the tables of what it has"
                ));
            }
            o.actions.push((when, action));
        } else if a == "-o" || a.starts_with("--output") || a.starts_with("-o=") {
            let v = match a.strip_prefix("-o=") {
                Some(v) => v.to_string(),
                None => take(if a == "-o" { "-o" } else { "--output" })?,
            };
            o.json = match v.as_str() {
                "json" => true,
                "table" => false,
                _ => return Err(format!("-o: expected table or json, got {v}")),
            };
        } else if a == "--wide" || a == "-owide" {
            o.wide = true;
        } else if a == "--logs" {
            o.logs = true;
        } else if a.starts_with('-') && a != "-" {
            return Err(format!("unknown flag {a}"));
        } else {
            o.files.push(a.to_string());
        }
        i += 1;
    }
    if o.files.is_empty() {
        return Err("run needs at least one FILE (or `-` for stdin, or example:NAME)".into());
    }
    crate::core::sort::sort_by_key(&mut o.actions, |(t, _)| *t);
    Ok(o)
}

/// The CLI's texts: files, stdin (`-`), and the bundled examples (`example:NAME`).
struct Files<'a> {
    stdin: &'a mut dyn Read,
}

impl Texts for Files<'_> {
    fn read(&mut self, name: &str) -> Result<String, String> {
        if let Some(ex) = name.strip_prefix("example:") {
            return examples::text(ex)
                .map(str::to_string)
                .ok_or(format!("no example named {ex}; try `podplay examples`"));
        }
        let limit = crate::core::manifest::MAX_INPUT_BYTES;
        let shown = if name == "-" { "stdin" } else { name };
        read_bounded(name, self.stdin, limit, |size| {
            format!("{shown}: {size}; podplay accepts at most {} KiB of manifests", limit / 1024)
        })
    }
}

/// The most bytes of stdin counted to say how large an oversized input is.
const MAX_COUNTED_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a file, or stdin for `-`, of at most `limit` bytes. An oversized
/// input is refused with its real size (a file's from its metadata; stdin's
/// counted up to 64 MiB), worded by `too_big`; UTF-8 is checked only on an
/// input that was read whole, so a cut never passes for bad encoding.
fn read_bounded(
    name: &str,
    stdin: &mut dyn Read,
    limit: usize,
    too_big: impl Fn(String) -> String,
) -> Result<String, String> {
    let shown = if name == "-" { "stdin" } else { name };
    let mut bytes = Vec::new();
    let read = if name == "-" {
        stdin.take(limit as u64 + 1).read_to_end(&mut bytes)
    } else {
        let f = std::fs::File::open(name).map_err(|e| format!("{name}: {e}"))?;
        f.take(limit as u64 + 1).read_to_end(&mut bytes)
    };
    read.map_err(|e| format!("{shown}: {e}"))?;
    if bytes.len() > limit {
        let size = if name == "-" {
            let rest = std::io::copy(&mut stdin.take(MAX_COUNTED_BYTES), &mut std::io::sink()).unwrap_or(0);
            let total = bytes.len() as u64 + rest;
            if total > MAX_COUNTED_BYTES {
                "more than 64 MiB".to_string()
            } else {
                format!("{} KiB", total.div_ceil(1024))
            }
        } else {
            let len = std::fs::metadata(name).map(|m| m.len()).unwrap_or(bytes.len() as u64);
            format!("{} KiB", len.div_ceil(1024))
        };
        return Err(too_big(size));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        format!("{shown}: not UTF-8 text (an invalid byte at offset {at})")
    })
}

/// Reads a file, stdin (`-`), or a bundled example (`example:NAME`).
fn read_input(name: &str, stdin: &mut dyn Read) -> Result<String, String> {
    Files { stdin }.read(name)
}

fn format_diagnostic(file: &str, d: &crate::core::manifest::Diagnostic) -> String {
    let sev = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let path = if d.path.is_empty() { String::new() } else { format!("{}: ", d.path) };
    format!("{file}:{}:{}: {sev}: {path}{}", d.pos.line, d.pos.col, d.message)
}

/// Reads and decodes files; prints diagnostics; Err when any has errors.
fn load(files: &[String], stdin: &mut dyn Read, err: &mut dyn Write) -> Result<Vec<crate::core::api::Object>, String> {
    let mut objects = Vec::new();
    let mut failed = false;
    for f in files {
        let text = read_input(f, stdin)?;
        let parsed = parse_manifests(&text);
        for d in &parsed.diagnostics {
            let _ = writeln!(err, "{}", format_diagnostic(f, d));
        }
        failed |= parsed.has_errors();
        objects.extend(parsed.objects);
    }
    if failed {
        return Err("the manifests have errors (see above); nothing was run".into());
    }
    Ok(objects)
}

fn run(o: &RunOpts, stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, String> {
    let objects = load(&o.files, stdin, err)?;
    // Read the actions up front so a bad `apply -f` fails before the run.
    let mut plan = Vec::new();
    for (t, text) in &o.actions {
        let step = Step::read(text, &mut |f| load(&[f.to_string()], stdin, err))?;
        plan.push(Planned { at_ms: *t, text: text.clone(), step: Ok(step) });
    }
    let mut watch = Watch { printer: TracePrinter::new(o.json, o.wide), out, err, last_change: 0, refused: 0 };
    let mut runner = Runner::start(Sim::new(SimConfig::with_seed(o.seed)), objects, plan, &mut watch);
    let end = match o.until {
        Some(t) => {
            runner.run_to(t, &mut watch);
            t
        }
        None => {
            // Until nothing has changed for QUIET_MS (with no action to come),
            // at most DEFAULT_CAP_MS.
            while let Some(next) = runner.next_due() {
                if next > DEFAULT_CAP_MS || runner.next_command_at().is_none() && next > watch.last_change + QUIET_MS {
                    break;
                }
                runner.step_to(next, &mut watch);
            }
            watch.last_change
        }
    };
    let (sim, out, err) = (runner.sim(), watch.out, watch.err);
    watch.printer.finish(sim, end, out);
    if o.logs && !o.json {
        print_logs(sim, end, out);
    }
    for note in sim.notes() {
        let _ = writeln!(err, "podplay: note: {note}");
    }
    // As kubectl exits 1 when the server refuses: the run went on, but
    // the scenario did not do what it said.
    Ok(if watch.refused > 0 { 1 } else { 0 })
}

/// The run's observer: prints the trace, and each refused action on stderr.
struct Watch<'a> {
    printer: TracePrinter,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    /// When the trace last changed.
    last_change: Millis,
    refused: usize,
}

impl Observer for Watch<'_> {
    fn observe(&mut self, sim: &mut Sim) {
        if self.printer.drain(sim, self.out, self.err) {
            self.last_change = sim.now();
        }
    }

    fn performed(&mut self, sim: &mut Sim, command: &Planned, result: &Result<(), String>) {
        if let Err(e) = result {
            let _ = writeln!(self.err, "podplay: at {}: {e}", crate::core::time::go_duration(command.at_ms));
            self.refused += 1;
        }
        self.observe(sim);
    }
}

/// Every live container's log, as `kubectl logs POD -c CONTAINER` prints it.
fn print_logs(sim: &Sim, end: Millis, out: &mut dyn Write) {
    for pod in sim.pods() {
        let meta = &pod.pod.metadata;
        let spec = &pod.pod.spec;
        for c in spec.init_containers.iter().chain(spec.containers.iter()) {
            let lines = sim.logs(&meta.namespace, &meta.name, &c.name).unwrap_or_default();
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "Logs at {} (kubectl logs {} -c {}):",
                crate::core::time::go_duration(end),
                meta.name,
                c.name
            );
            for line in lines {
                let _ = writeln!(out, "{line}");
            }
        }
    }
}

/// Prints outputs as they are drained.
struct TracePrinter {
    json: bool,
    wide: bool,
    rows: Vec<Vec<String>>,
    /// Traffic changes (first failure, recovery, …), for the table output.
    traffic_rows: Vec<Vec<String>>,
    service_uids: std::collections::BTreeMap<(String, String), String>,
}

impl TracePrinter {
    fn new(json: bool, wide: bool) -> Self {
        TracePrinter { json, wide, rows: Vec::new(), traffic_rows: Vec::new(), service_uids: Default::default() }
    }

    /// Prints pending outputs; true when there were any.
    fn drain(&mut self, sim: &mut Sim, out: &mut dyn Write, err: &mut dyn Write) -> bool {
        let mut any = false;
        while let Some(o) = sim.poll_output() {
            any = true;
            let (t, type_) = (o.time_ms, o.type_);
            match &o.object {
                Snapshot::Pod(pod) => {
                    if self.json {
                        let v = json::watch_event_json(t, type_.as_str(), json::pod_json(pod));
                        let _ = writeln!(out, "{v}");
                    } else {
                        // `kubectl get pods -w --output-watch-events`, with the simulated time first.
                        let mut row = vec![crate::core::time::go_duration(t), type_.as_str().to_string()];
                        row.append(&mut kubectl::pod_row(pod, t, self.wide));
                        self.rows.push(row);
                    }
                }
                Snapshot::Service(service) => {
                    self.service_uids.insert(
                        (service.service.metadata.namespace.clone(), service.service.metadata.name.clone()),
                        service.server.uid.clone(),
                    );
                    if self.json {
                        let v = json::watch_event_json(t, type_.as_str(), json::service_json(service));
                        let _ = writeln!(out, "{v}");
                    }
                }
                Snapshot::EndpointSlice(slice) => {
                    if self.json {
                        let uid = self
                            .service_uids
                            .get(&(slice.namespace.clone(), slice.service_name.clone()))
                            .cloned()
                            .unwrap_or_default();
                        let v = json::watch_event_json(t, type_.as_str(), json::endpointslice_json_owned(slice, &uid));
                        let _ = writeln!(out, "{v}");
                    }
                }
                // Every other kind prints only in the JSON stream.
                _ => {
                    if self.json {
                        let _ = writeln!(out, "{}", json::output_json(&o));
                    }
                }
            }
        }
        // What kubectl drain prints to stderr as it retries an eviction.
        while let Some((t, line)) = sim.poll_client_message() {
            let _ = writeln!(err, "podplay: at {}: {line}", crate::core::time::go_duration(t));
        }
        // Traffic is podplay's own: a line per change of state, never one
        // per request; not in the JSON stream (which holds API objects only).
        while let Some(c) = sim.poll_traffic() {
            any = true;
            if !self.json {
                let service = service_label(&c.namespace, &c.service);
                self.traffic_rows.push(vec![crate::core::time::go_duration(c.time_ms), service, c.describe()]);
            }
        }
        any
    }

    /// A `kubectl get` table with its `-o wide` columns, when there are rows.
    fn table(&self, out: &mut dyn Write, title: &str, header: &[&str], rows: &[Vec<String>]) {
        if rows.is_empty() {
            return;
        }
        let _ = writeln!(out, "{title} prints them then):");
        let _ = write!(out, "{}", kubectl::format_table(header, rows));
        let _ = writeln!(out);
    }

    fn finish(&mut self, sim: &Sim, end: Millis, out: &mut dyn Write) {
        if self.json {
            return;
        }
        let mut header = vec!["TIME", "EVENT"];
        header.extend(kubectl::PODS_HEADER);
        if self.wide {
            header.extend(kubectl::PODS_WIDE_HEADER);
        }
        let _ = write!(out, "{}", kubectl::format_table(&header, &self.rows));
        let _ = writeln!(out);
        if !self.traffic_rows.is_empty() {
            let _ =
                writeln!(out, "Traffic changes (podplay's simulated client; one line per change, not per request):");
            let _ = write!(out, "{}", kubectl::format_table(&["TIME", "SERVICE", "CHANGE"], &self.traffic_rows));
            let _ = writeln!(out);
        }
        let at = crate::core::time::go_duration(end);
        if sim.nodes_changed() {
            let rows: Vec<Vec<String>> = sim.nodes().iter().map(|n| kubectl::node_row(n, end)).collect();
            let _ = writeln!(out, "Nodes at {at} (as `kubectl get nodes` prints them then):");
            let _ = write!(out, "{}", kubectl::format_table(&kubectl::NODES_HEADER, &rows));
            let _ = writeln!(out);
        }
        // Every workload and storage kind's table (Pods are the watch
        // stream above; Nodes print only when they changed, StorageClasses
        // when any was applied; the trace lists no Services, ConfigMaps,
        // Secrets, Namespaces or PriorityClasses).
        let classes = sim.storage_classes_applied();
        for p in
            get::PRINTERS.iter().filter(|p| !NOT_AT_END.contains(&p.kind) && (classes || p.kind != StorageClass::KIND))
        {
            let rows = p.rows(sim, end, self.wide);
            let title = format!("{}s at {at} (as `kubectl get {}`", p.kind, p.resource);
            self.table(out, &title, &p.header(self.wide), &rows);
        }
        let _ = writeln!(out, "Events at {at} (as `kubectl events` prints them then):");
        let rows = kubectl::events_rows(sim.events(), end);
        let _ = write!(out, "{}", kubectl::format_table(&kubectl::EVENTS_HEADER, &rows));
        print_traffic(sim, end, out);
    }
}

/// The kinds of [`get::PRINTERS`] whose table the end of a run leaves out.
const NOT_AT_END: [&str; 7] =
    [Pod::KIND, Node::KIND, Service::KIND, ConfigMap::KIND, Secret::KIND, Namespace::KIND, PriorityClass::KIND];

/// `NAME`, or `NAMESPACE/NAME` outside `default`.
fn service_label(namespace: &str, name: &str) -> String {
    if namespace == "default" {
        name.to_string()
    } else {
        format!("{namespace}/{name}")
    }
}

/// The traffic counters at the end of a run: per Service, then per Pod.
fn print_traffic(sim: &Sim, end: Millis, out: &mut dyn Write) {
    let traffic = sim.traffic();
    if traffic.is_empty() {
        return;
    }
    let at = crate::core::time::go_duration(end);
    let mut rows = Vec::new();
    let mut pod_rows = Vec::new();
    for t in &traffic {
        let service = service_label(&t.namespace, &t.service);
        let last = match &t.last_failure {
            Some(f) => format!("{} {f}", crate::core::time::go_duration(f.time_ms)),
            None => "<none>".to_string(),
        };
        let rate = t.rate.map(|r| r.to_string()).unwrap_or_else(|| "off".to_string());
        rows.push(vec![service.clone(), rate, t.sent.to_string(), t.ok.to_string(), t.failed.to_string(), last]);
        for p in &t.by_pod {
            pod_rows.push(vec![service.clone(), p.pod.clone(), p.ok.to_string(), p.failed.to_string()]);
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Traffic at {at} (podplay's simulated client):");
    let _ =
        write!(out, "{}", kubectl::format_table(&["SERVICE", "RATE", "SENT", "OK", "FAILED", "LAST FAILURE"], &rows));
    if !pod_rows.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Requests by Pod at {at}:");
        let _ = write!(out, "{}", kubectl::format_table(&["SERVICE", "POD", "OK", "FAILED"], &pod_rows));
    }
}

/// `podplay check EXERCISE [SOLUTION]`.
fn check(args: &[String], stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, String> {
    if args.first().map(String::as_str) == Some("--list") {
        let rows: Vec<Vec<String>> = exercise::ALL
            .iter()
            .map(|b| {
                vec![
                    b.name.to_string(),
                    b.text().and_then(|t| exercise::parse(t).ok()).map(|e| e.title).unwrap_or_default(),
                ]
            })
            .collect();
        let _ = write!(out, "{}", kubectl::format_table(&["NAME", "TITLE"], &rows));
        return Ok(0);
    }
    let (ex_name, solution) = match args {
        [e] => (e, None),
        [e, s] => (e, Some(s)),
        _ => return Err("check needs EXERCISE [SOLUTION]".into()),
    };
    let ex_text = match ex_name.strip_prefix("exercise:") {
        Some(n) => exercise::find(n)
            .and_then(|b| b.text())
            .map(str::to_string)
            .ok_or(format!("no exercise named {n}; try `podplay check --list`"))?,
        None => read_exercise_file(ex_name, stdin)?,
    };
    let ex = match exercise::parse(&ex_text) {
        Ok(ex) => ex,
        Err(errors) => {
            for e in &errors {
                let _ = writeln!(err, "{ex_name}:{}:{}: error: {}", e.pos.line, e.pos.col, e.message);
            }
            return Err(format!("{ex_name} is not a valid exercise"));
        }
    };
    let (label, manifests) = match solution {
        Some(s) => (s.as_str(), read_input(s, stdin)?),
        None => ("the starting manifests", ex.starting.clone()),
    };
    let report = exercise::check(&ex, &manifests);
    for d in &report.diagnostics {
        let _ = writeln!(err, "{}", format_diagnostic(label, d));
    }
    if report.has_errors() {
        return Err(format!("{label} has errors (see above); nothing was run"));
    }
    let _ = writeln!(out, "{}", ex.title);
    let _ =
        writeln!(out, "Simulated {} of {label} (seed {}).", crate::core::time::go_duration(report.until_ms), ex.seed);
    let _ = writeln!(out);
    for l in &report.locked {
        let _ = writeln!(out, "✗ {l}");
    }
    for r in &report.results {
        let mark = if r.passed { "✓" } else { "✗" };
        let _ = writeln!(out, "{mark} {}", r.description);
        let _ = writeln!(out, "    {}", r.reason);
    }
    for p in &report.problems {
        let _ = writeln!(out, "note: {p}");
    }
    let _ = writeln!(out);
    let n = report.results.len();
    let passed = report.passed_count();
    if report.passed() {
        let _ = writeln!(out, "All {n} checks pass.");
        Ok(0)
    } else {
        let _ = writeln!(out, "{passed} of {n} checks pass.");
        Ok(1)
    }
}

/// An exercise file, or stdin (`-`), of at most the exercise size limit.
fn read_exercise_file(name: &str, stdin: &mut dyn Read) -> Result<String, String> {
    let limit = exercise::MAX_EXERCISE_BYTES;
    let shown = if name == "-" { "stdin" } else { name };
    read_bounded(name, stdin, limit, |size| format!("{shown}: {size}; an exercise may be at most {} KiB", limit / 1024))
}
