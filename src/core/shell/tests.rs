use super::*;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::sync::Arc;

/// An in-memory container: files, DNS, HTTP, programs and processes.
#[derive(Default)]
struct FakeEnv {
    files: BTreeMap<String, String>,
    dirs: BTreeSet<String>,
    logs: Vec<String>,
    dns: BTreeMap<String, Ipv4Addr>,
    http: BTreeMap<String, HttpOutcome>,
    programs: BTreeMap<String, Program>,
    /// Process name → how many more `signal_process(…, 0)` checks find it.
    alive: BTreeMap<String, u32>,
    signals: Vec<(String, i32)>,
    /// Calls of `log_repeated` (a spinning loop fast-forwarded).
    repeats: usize,
}

impl FakeEnv {
    fn new() -> FakeEnv {
        let mut e = FakeEnv::default();
        for d in ["/", "/tmp", "/usr", "/usr/share", "/var", "/var/run"] {
            e.dirs.insert(d.to_string());
        }
        e
    }
}

impl Env for FakeEnv {
    fn file_exists(&self, path: &str) -> bool {
        self.files.contains_key(path) || self.dirs.contains(path)
    }
    fn is_dir(&self, path: &str) -> bool {
        self.dirs.contains(path)
    }
    fn read_file(&self, path: &str) -> Option<String> {
        self.files.get(path).cloned()
    }
    fn list_dir(&self, path: &str) -> Vec<String> {
        let prefix = if path == "/" { "/".to_string() } else { format!("{path}/") };
        let mut names = BTreeSet::new();
        for k in self.files.keys().chain(self.dirs.iter()) {
            if let Some(first) = k.strip_prefix(&prefix).and_then(|r| r.split('/').next()).filter(|s| !s.is_empty()) {
                names.insert(first.to_string());
            }
        }
        names.into_iter().collect()
    }
    fn write_file(&mut self, path: &str, data: &str, append: bool) -> Result<(), String> {
        let parent = match path.rsplit_once('/') {
            Some(("", _)) => "/",
            Some((p, _)) => p,
            None => "/",
        };
        if !self.dirs.contains(parent) {
            return Err("nonexistent directory".to_string());
        }
        let f = self.files.entry(path.to_string()).or_default();
        if !append {
            f.clear();
        }
        f.push_str(data);
        Ok(())
    }
    fn remove(&mut self, path: &str, _recursive: bool) -> bool {
        self.files.remove(path).is_some() || self.dirs.remove(path)
    }
    fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), String> {
        let mut p = path.to_string();
        while parents && !p.is_empty() {
            self.dirs.insert(p.clone());
            p = p.rsplit_once('/').map(|(a, _)| a.to_string()).unwrap_or_default();
        }
        self.dirs.insert(path.to_string());
        Ok(())
    }
    fn log(&mut self, line: &str) {
        self.logs.push(line.to_string());
    }
    fn log_repeated(&mut self, lines: &[String], times: usize) {
        self.repeats += 1;
        for _ in 0..times {
            self.logs.extend(lines.iter().cloned());
        }
    }
    fn has_tool(&self, _name: &str) -> bool {
        true
    }
    fn hostname(&self) -> String {
        "mypod".to_string()
    }
    fn resolve(&mut self, name: &str) -> Option<Ipv4Addr> {
        self.dns.get(name).copied()
    }
    fn http_get(&mut self, url: &str, _timeout_ms: Millis) -> HttpOutcome {
        self.http.get(url).cloned().unwrap_or(HttpOutcome::NoHost)
    }
    fn program(&mut self, argv: &[String], _now: Millis) -> Program {
        self.programs.get(&argv.join(" ")).or_else(|| self.programs.get(&argv[0])).cloned().unwrap_or(Program::Unknown)
    }
    fn signal_process(&mut self, name: &str, signal: i32) -> bool {
        self.signals.push((name.to_string(), signal));
        match self.alive.get_mut(name) {
            Some(0) | None => false,
            Some(n) => {
                if signal == 0 {
                    *n -= 1;
                }
                true
            }
        }
    }
}

fn sh(script: &str) -> Process {
    let argv: Vec<String> = ["sh", "-c", script].iter().map(|s| s.to_string()).collect();
    Process::new(Arc::new(from_argv(&argv).expect("parses")), vec![])
}

fn argv(words: &[&str]) -> Vec<String> {
    words.iter().map(|s| s.to_string()).collect()
}

#[test]
fn liveness_exec_example() {
    let mut env = FakeEnv::new();
    let mut p = sh("touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600");
    assert_eq!(p.step(0, &mut env), Step::SleepUntil(30_000));
    assert!(env.file_exists("/tmp/healthy"));
    let probe = exec_probe(&argv(&["cat", "/tmp/healthy"]), 10_000, &mut env, 1_000);
    assert_eq!(probe.exit_code, 0);
    assert_eq!(p.step(20_000, &mut env), Step::SleepUntil(30_000), "early step is harmless");
    assert_eq!(p.step(30_000, &mut env), Step::SleepUntil(630_000));
    assert!(!env.file_exists("/tmp/healthy"));
    let probe = exec_probe(&argv(&["cat", "/tmp/healthy"]), 35_000, &mut env, 1_000);
    assert_eq!(probe.exit_code, 1);
    assert_eq!(probe.output, "cat: can't open '/tmp/healthy': No such file or directory\n");
    assert!(!probe.timed_out);
    assert_eq!(p.step(630_000, &mut env), Step::Exited(0));
}

#[test]
fn init_container_until_nslookup() {
    let mut env = FakeEnv::new();
    env.files.insert("/var/run/secrets/kubernetes.io/serviceaccount/namespace".into(), "default".into());
    let mut p = sh("until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done");
    assert_eq!(p.step(0, &mut env), Step::SleepUntil(2_000));
    assert!(env.logs.contains(&"** server can't find myservice.default.svc.cluster.local: NXDOMAIN".to_string()));
    assert!(env.logs.contains(&"waiting for myservice".to_string()));
    assert_eq!(p.step(2_000, &mut env), Step::SleepUntil(4_000));
    env.dns.insert("myservice.default.svc.cluster.local".into(), Ipv4Addr::new(10, 96, 3, 4));
    env.logs.clear();
    assert_eq!(p.step(4_000, &mut env), Step::Exited(0));
    assert!(env.logs.contains(&"Address: 10.96.3.4".to_string()), "{:?}", env.logs);
}

#[test]
fn post_start_writes_message() {
    let mut env = FakeEnv::new();
    let r = exec_probe(
        &argv(&["/bin/sh", "-c", "echo Hello from the postStart handler > /usr/share/message"]),
        0,
        &mut env,
        30_000,
    );
    assert_eq!(r.exit_code, 0);
    assert_eq!(env.files["/usr/share/message"], "Hello from the postStart handler\n");
    // >> appends, > truncates
    exec_probe(&argv(&["sh", "-c", "echo again >> /usr/share/message"]), 0, &mut env, 1_000);
    assert_eq!(env.files["/usr/share/message"], "Hello from the postStart handler\nagain\n");
    let r = exec_probe(&argv(&["sh", "-c", "echo x > /nodir/file"]), 0, &mut env, 1_000);
    assert_eq!(r.exit_code, 1);
    assert_eq!(r.output, "sh: can't create /nodir/file: nonexistent directory\n");
}

#[test]
fn pre_stop_nginx_quit_loop() {
    let mut env = FakeEnv::new();
    env.programs.insert("nginx -s quit".into(), Program::Exits { after_ms: 0, code: 0, output: vec![] });
    env.alive.insert("nginx".into(), 3);
    let r = exec_probe(
        &argv(&["/bin/sh", "-c", "nginx -s quit; while killall -0 nginx; do sleep 1; done"]),
        0,
        &mut env,
        30_000,
    );
    assert_eq!(r.exit_code, 0);
    assert_eq!(r.duration_ms, 3_000);
    assert!(!r.timed_out);
    // Timeout bounds it.
    env.alive.insert("nginx".into(), 100);
    let r = exec_probe(&argv(&["sh", "-c", "while killall -0 nginx; do sleep 1; done"]), 0, &mut env, 5_000);
    assert!(r.timed_out);
    assert_eq!(r.duration_ms, 5_000);
}

#[test]
fn trap_term_exits_promptly() {
    let mut env = FakeEnv::new();
    let mut p = sh("trap 'exit 0' TERM; while true; do sleep 1; done");
    assert_eq!(p.step(0, &mut env), Step::SleepUntil(1_000));
    assert_eq!(p.step(1_000, &mut env), Step::SleepUntil(2_000));
    // SIGTERM at 1.5 s: the sleep completes first, then the trap runs.
    assert_eq!(p.sigterm(1_500, &mut env), Step::SleepUntil(2_000));
    assert_eq!(p.step(2_000, &mut env), Step::Exited(0));
}

#[test]
fn trap_during_wait_runs_at_once() {
    let mut env = FakeEnv::new();
    let mut p = sh("trap 'echo bye; exit 3' TERM; sleep infinity & wait");
    assert_eq!(p.step(0, &mut env), Step::Blocked);
    assert_eq!(p.sigterm(5_000, &mut env), Step::Exited(3));
    assert_eq!(env.logs, vec!["bye"]);
}

#[test]
fn pid1_ignores_sigterm_without_handler() {
    let mut env = FakeEnv::new();
    let mut p = Process::new(Arc::new(from_argv(&argv(&["sleep", "3600"])).unwrap()), vec![]);
    assert!(p.is_pid1());
    assert_eq!(p.step(0, &mut env), Step::SleepUntil(3_600_000));
    assert_eq!(p.sigterm(10_000, &mut env), Step::SleepUntil(3_600_000));
    assert_eq!(p.sigkill(), Step::Exited(137));
    assert_eq!(p.step(20_000, &mut env), Step::Exited(137));
}

#[test]
fn non_pid1_dies_143() {
    let mut env = FakeEnv::new();
    let mut p = sh("echo a; sleep 3600; echo b");
    p.set_pid1(false);
    assert_eq!(p.step(0, &mut env), Step::SleepUntil(3_600_000));
    assert_eq!(p.sigterm(10_000, &mut env), Step::Exited(143));
    assert_eq!(env.logs, vec!["a"]);
}

#[test]
fn program_decides_on_term() {
    let mut env = FakeEnv::new();
    env.programs.insert("nginx".into(), Program::Runs { term: TermBehaviour::Exit { after_ms: 200, code: 0 } });
    let mut p = Process::new(Arc::new(from_argv(&argv(&["nginx", "-g", "daemon off;"])).unwrap()), vec![]);
    assert_eq!(p.step(0, &mut env), Step::Blocked);
    assert_eq!(p.sigterm(1_000, &mut env), Step::SleepUntil(1_200));
    assert_eq!(p.step(1_200, &mut env), Step::Exited(0));
    // sh -c with a single command behaves like exec.
    let mut p = sh("nginx -g 'daemon off;'");
    assert_eq!(p.step(0, &mut env), Step::Blocked);
    assert_eq!(p.sigterm(1_000, &mut env), Step::SleepUntil(1_200));
    // ... but a shell running it as a child keeps the signal to itself.
    let mut p = sh("echo start; nginx");
    assert_eq!(p.step(0, &mut env), Step::Blocked);
    assert_eq!(p.sigterm(1_000, &mut env), Step::Blocked);
}

#[test]
fn busy_loop_does_not_hang() {
    let mut env = FakeEnv::new();
    let mut p = sh("while true; do :; done");
    assert_eq!(p.step(0, &mut env), Step::SleepUntil(SPIN_MS));
    assert_eq!(p.step(500, &mut env), Step::SleepUntil(SPIN_MS));
    assert_eq!(p.step(SPIN_MS, &mut env), Step::SleepUntil(2 * SPIN_MS));
    p.set_pid1(false);
    assert_eq!(p.sigterm(2 * SPIN_MS, &mut env), Step::Exited(143));
}

#[test]
fn unknown_command() {
    let mut env = FakeEnv::new();
    let mut p = sh("echo hi; awk '{print}' /etc/passwd");
    assert_eq!(p.step(0, &mut env), Step::Exited(127));
    assert_eq!(env.logs, vec!["hi", "sh: awk: not found"]);
    assert_eq!(p.unsupported(), ["podplay does not simulate `awk`"]);
    let s = parse_script("awk 1; nginx; if true; then x=$(jq .); fi; sleep 1").unwrap();
    assert_eq!(
        unsupported_commands(&s, &|n| n == "nginx"),
        vec!["podplay does not simulate `awk`", "podplay does not simulate `jq`"]
    );
}

#[test]
fn syntax_and_unsupported_errors() {
    let e = parse_script("while true; do echo; done; done").unwrap_err();
    assert_eq!(e.message, "sh: syntax error: unexpected \"done\"");
    assert_eq!(e.kind, ShellErrorKind::Syntax);
    let e = parse_script("if true; then echo").unwrap_err();
    assert_eq!(e.message, "sh: syntax error: unexpected end of file (expecting \"fi\")");
    assert_eq!(parse_script("echo 'abc").unwrap_err().message, "sh: syntax error: unterminated quoted string");
    assert_eq!(parse_script("eval x").unwrap_err().message, "podplay does not simulate `eval`");
    assert_eq!(parse_script("echo x |").unwrap_err().kind, ShellErrorKind::Syntax);
    assert_eq!(parse_script("case x in a) ;; esac").unwrap_err().kind, ShellErrorKind::Unsupported);
}

#[test]
fn exit_codes_and_and_or() {
    let mut env = FakeEnv::new();
    assert_eq!(sh("exit 3").step(0, &mut env), Step::Exited(3));
    assert_eq!(sh("false || echo x && exit 2").step(0, &mut env), Step::Exited(2));
    assert_eq!(env.logs, vec!["x"]);
    assert_eq!(sh("true && false").step(0, &mut env), Step::Exited(1));
    assert_eq!(sh("! false").step(0, &mut env), Step::Exited(0));
    assert_eq!(sh("set -e; false; echo no").step(0, &mut env), Step::Exited(1));
    assert_eq!(sh("set -e; false || true; echo yes").step(0, &mut env), Step::Exited(0));
}

#[test]
fn if_for_while_and_expansions() {
    let mut env = FakeEnv::new();
    let mut p = Process::new(
        Arc::new(parse_script(concat!(
            "for x in a b c; do echo item $x; done\n",
            "if [ -f /tmp/none ]; then echo yes; elif [ \"$GREETING\" = hi ]; then echo greeting ok; else echo no; fi\n",
            "i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo i=$i\n",
            "for n in $(seq 1 3); do [ $n -eq 2 ] && continue; echo n$n; done\n",
            "echo ${UNSET:-default} \"${GREETING}\"s `hostname` \"$(date)\"\n",
            "printf '%s-%d\\n' a 1 b 2\n",
            "for i in 1 2 3; do while true; do break 2; done; done; echo broke\n",
        )).unwrap()),
        vec![("GREETING".into(), "hi".into())],
    );
    assert_eq!(p.step(5_000, &mut env), Step::Exited(0));
    assert_eq!(
        env.logs,
        vec![
            "item a",
            "item b",
            "item c",
            "greeting ok",
            "i=3",
            "n1",
            "n3",
            "default his mypod Thu Jan  1 00:00:05 UTC 2026",
            "a-1",
            "b-2",
            "broke",
        ]
    );
}

#[test]
fn redirections_and_groups() {
    let mut env = FakeEnv::new();
    let mut p = sh("{ echo one; echo two >&2; } > /tmp/out 2>&1; cat /nope 2>/dev/null || echo missing; cat /tmp/out");
    assert_eq!(p.step(0, &mut env), Step::Exited(0));
    assert_eq!(env.files["/tmp/out"], "one\ntwo\n");
    assert_eq!(env.logs, vec!["missing", "one", "two"]);
}

#[test]
fn http_clients() {
    let mut env = FakeEnv::new();
    env.dns.insert("web".into(), Ipv4Addr::new(10, 0, 0, 5));
    env.http.insert("http://web/".into(), HttpOutcome::Status(200, "hello\n".into()));
    env.http.insert("http://web/bad".into(), HttpOutcome::Status(500, "oops".into()));
    env.http.insert("http://web:81/".into(), HttpOutcome::Refused);
    env.http.insert("http://slow/".into(), HttpOutcome::Timeout);
    let run = |env: &mut FakeEnv, cmd: &str| exec_probe(&argv(&["sh", "-c", cmd]), 0, env, 60_000);
    let r = run(&mut env, "wget -qO- http://web");
    assert_eq!((r.exit_code, r.output.as_str()), (0, "hello\n"));
    let r = run(&mut env, "wget -q -O- http://web/bad");
    assert_eq!(r.output, "wget: server returned error: HTTP/1.1 500 Internal Server Error\n");
    assert_eq!(r.exit_code, 1);
    let r = run(&mut env, "wget -q -O- web:81");
    assert_eq!(r.output, "wget: can't connect to remote host (10.0.0.5): Connection refused\n");
    let r = run(&mut env, "wget -q -O- http://x");
    assert_eq!(r.output, "wget: bad address 'x'\n");
    let r = run(&mut env, "wget -q -T 5 -O- http://slow");
    assert_eq!((r.exit_code, r.duration_ms), (1, 5_000));
    let r = run(&mut env, "curl -sf http://web/bad");
    assert_eq!((r.exit_code, r.output.as_str()), (22, ""));
    let r = run(&mut env, "curl -f http://web/bad");
    assert_eq!(r.output, "curl: (22) The requested URL returned error: 500\n");
    let r = run(&mut env, "curl http://x");
    assert_eq!((r.exit_code, r.output.as_str()), (6, "curl: (6) Could not resolve host: x\n"));
    let r = run(&mut env, "curl web:81");
    assert_eq!(r.exit_code, 7);
    let r = run(&mut env, "curl -s -o /dev/null -w '%{http_code}' http://web/");
    assert_eq!(r.output, "200");
    let r = run(&mut env, "curl -m 2 http://slow");
    assert_eq!((r.exit_code, r.duration_ms), (28, 2_000));
}

/// Every name the parser accepts as simulated ([`parse::BUILTINS`]) is
/// answered by the builtins' dispatch table, never handed to the image as a
/// program: the two lists live in different files.
#[test]
fn every_builtin_is_dispatched() {
    let mut env = FakeEnv::new();
    let marker = "handed to the image";
    for name in parse::BUILTINS.iter().filter(|n| **n != "exec") {
        env.programs.insert(name.to_string(), Program::Exits { after_ms: 0, code: 0, output: vec![marker.into()] });
    }
    for name in parse::BUILTINS.iter().filter(|n| **n != "exec") {
        let r = exec_probe(&argv(&[name]), 0, &mut env, 1_000);
        assert!(!r.output.contains(marker), "{name}: {}", r.output);
    }
}

/// The option forms wget, curl and rm read through the one option parser:
/// clusters, values joined or apart, `--name=value`, options after the
/// operand, and each tool's message for an option it does not know.
#[test]
fn tool_option_forms() {
    let mut env = FakeEnv::new();
    env.dns.insert("web".into(), Ipv4Addr::new(10, 0, 0, 5));
    env.http.insert("http://web/".into(), HttpOutcome::Status(200, "hello\n".into()));
    env.http.insert("http://slow/".into(), HttpOutcome::Timeout);
    let mut run = |cmd: &str| {
        let r = exec_probe(&argv(&["sh", "-c", cmd]), 0, &mut env, 60_000);
        (r.exit_code, r.duration_ms, r.output)
    };
    let hello = |ms| (0, ms, "hello\n".to_string());
    assert_eq!(run("wget --quiet --output-document=- http://web"), hello(0));
    assert_eq!(run("wget --quiet --output-document - http://web"), hello(0));
    assert_eq!(run("wget -qO/tmp/w http://web/; cat /tmp/w"), hello(0));
    assert_eq!(run("wget http://web -qSO-"), hello(0));
    assert_eq!(run("wget --header 'A: b' -U agent -qO- http://web"), hello(0));
    assert_eq!(run("wget -T2 -q http://slow"), (1, 2_000, "wget: download timed out\n".into()));
    assert_eq!(run("wget --timeout 3 -q http://slow").1, 3_000);
    assert_eq!(run("wget -x http://web"), (1, 0, "wget: invalid option -- 'x'\n".into()));
    assert_eq!(run("wget --bogus http://web"), (1, 0, "wget: unrecognized option '--bogus'\n".into()));
    assert_eq!(run("curl -so /tmp/c http://web/; cat /tmp/c"), hello(0));
    assert_eq!(run("curl -H 'X: y' -Lkv4 http://web/ -s"), hello(0));
    assert_eq!(run("curl --write-out=%{http_code} -s -o /dev/null http://web/"), (0, 0, "200".into()));
    assert_eq!(run("curl --max-time=2 http://slow").1, 2_000);
    assert_eq!(run("curl -m2 http://slow").1, 2_000);
    assert_eq!(run("curl -x http://web/"), (2, 0, "curl: option -x: is unknown\n".into()));
    assert_eq!(run("curl --bogus http://web/"), (2, 0, "curl: option --bogus: is unknown\n".into()));
    // rm: options end at the first operand.
    assert_eq!(run("touch /tmp/a /tmp/b; rm -fR /tmp/a /tmp/none; echo $?"), (0, 0, "0\n".into()));
    let gone = "rm: can't remove '-f': No such file or directory\n";
    assert_eq!(run("rm /tmp/b -f; test -e /tmp/b"), (1, 0, gone.into()));
}

#[test]
fn exit_trap_and_exec() {
    let mut env = FakeEnv::new();
    assert_eq!(sh("trap 'echo cleanup' EXIT; echo work; exit 4").step(0, &mut env), Step::Exited(4));
    assert_eq!(env.logs, vec!["work", "cleanup"]);
    let mut p = sh("echo start; exec sleep 10");
    assert_eq!(p.step(0, &mut env), Step::SleepUntil(10_000));
    assert_eq!(p.step(10_000, &mut env), Step::Exited(0));
}

#[test]
fn background_jobs_and_wait() {
    let mut env = FakeEnv::new();
    let mut p = sh("sleep 5 & sleep 2 & wait; echo done");
    assert_eq!(p.step(0, &mut env), Step::SleepUntil(2_000));
    assert_eq!(p.step(2_000, &mut env), Step::SleepUntil(5_000));
    assert_eq!(p.step(5_000, &mut env), Step::Exited(0));
    assert_eq!(env.logs, vec!["done"]);
}

#[test]
fn limits() {
    let mut deep = String::new();
    for _ in 0..100 {
        deep.push_str("if true; then ");
    }
    deep.push_str("echo");
    for _ in 0..100 {
        deep.push_str("; fi");
    }
    assert_eq!(parse_script(&deep).unwrap_err().kind, ShellErrorKind::TooLarge);
    let nested = format!("echo {}x{}", "$(echo ".repeat(50), ")".repeat(50));
    assert_eq!(parse_script(&nested).unwrap_err().kind, ShellErrorKind::TooLarge);
    let huge = "echo hi; ".repeat(10_000);
    assert_eq!(parse_script(&huge).unwrap_err().kind, ShellErrorKind::TooLarge);
    let mut env = FakeEnv::new();
    let mut p = sh("x=$(seq 1 1000000); echo ${#x}");
    assert_eq!(p.step(0, &mut env), Step::Exited(0));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn fragment() -> impl Strategy<Value = String> {
        proptest::sample::select(vec![
            "echo a",
            "sleep 1",
            "sleep infinity",
            "true",
            "false",
            ":",
            "exit 3",
            "x=$((x+1))",
            "[ -f /tmp/a ]",
            "touch /tmp/a",
            "rm -f /tmp/a",
            "cat /tmp/a",
            "trap 'exit 0' TERM",
            "wait",
            "sleep 2 &",
            "break",
            "continue",
            "if",
            "then",
            "fi",
            "while",
            "do",
            "done",
            "for i in 1 2",
            ";",
            "&&",
            "||",
            "\n",
            "{",
            "}",
            "(",
            ")",
            "\"",
            "'",
            "$(",
            "`",
            "${x:-y}",
            "> /tmp/o",
            "2>&1",
            "!",
            "nslookup x",
            "wget -qO- x",
            "exec true",
            "set -e",
            "for",
            "in",
            "else",
            "elif",
            "until",
            "#",
            "\\",
        ])
        .prop_map(str::to_string)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn parse_never_panics(src in ".{0,200}") {
            if let Ok(script) = parse_script(&src) {
                let mut env = FakeEnv::new();
                let mut p = Process::new(Arc::new(script), vec![]);
                let mut now = 0;
                for _ in 0..50 {
                    match p.step(now, &mut env) {
                        Step::SleepUntil(t) => now = t.max(now),
                        Step::Blocked => now += 1,
                        Step::Exited(_) => break,
                    }
                }
            }
        }

        #[test]
        fn shell_like_text_never_panics(src in "[a-z0-9 ;&|(){}$`'\"\\\n#=!<>*-]{0,120}") {
            if let Ok(script) = parse_script(&src) {
                let mut env = FakeEnv::new();
                let mut p = Process::new(Arc::new(script), vec![]);
                for k in 0..20u64 {
                    if let Step::Exited(_) = p.step(k * 1000, &mut env) {
                        break;
                    }
                }
                            }
        }

        /// bash syntax with arrays: any text parses or fails cleanly, and
        /// runs within bounds.
        #[test]
        fn bash_array_text_never_panics(src in "[ab0-9 ;()$\"'{}\\[\\]@*#+=!-]{0,100}") {
            if let Ok(script) = parse_bash_script(&src) {
                let mut env = FakeEnv::new();
                let mut p = Process::new(Arc::new(script), vec![]);
                for k in 0..20u64 {
                    if let Step::Exited(_) = p.step(k * 1000, &mut env) {
                        break;
                    }
                }
            }
        }

        #[test]
        fn stepping_never_panics(frags in proptest::collection::vec(fragment(), 0..30)) {
            let src = frags.join(" ");
            if let Ok(script) = parse_script(&src) {
                let mut env = FakeEnv::new();
                let mut p = Process::new(Arc::new(script), vec![]);
                let mut now = 0;
                for k in 0..1000u64 {
                    match p.step(now, &mut env) {
                        Step::SleepUntil(t) => now = t.max(now),
                        Step::Blocked => now += 1,
                        Step::Exited(_) => break,
                    }
                    if k == 500 {
                        p.sigterm(now, &mut env);
                    }
                }
            }
        }
    }
}

#[test]
fn subshells_are_isolated() {
    let mut env = FakeEnv::new();
    let mut p = sh("(exit 3); echo status=$?; (x=1; sleep 2; echo in); echo \"x=$x\"; (echo sub) > /tmp/s");
    assert_eq!(p.step(0, &mut env), Step::SleepUntil(2_000));
    assert_eq!(p.step(2_000, &mut env), Step::Exited(0));
    assert_eq!(env.logs, vec!["status=3", "in", "x="]);
    assert_eq!(env.files["/tmp/s"], "sub\n");
    let r = exec_probe(&argv(&["sh", "-c", "(echo captured; exit 1) || echo failed"]), 0, &mut env, 1_000);
    assert_eq!((r.exit_code, r.output.as_str()), (0, "captured\nfailed\n"));
}

#[test]
fn argv_forms() {
    let mut env = FakeEnv::new();
    // No -c and no stdin: the shell exits at once.
    assert_eq!(Process::new(Arc::new(from_argv(&argv(&["sh"])).unwrap()), vec![]).step(0, &mut env), Step::Exited(0));
    assert_eq!(from_argv(&argv(&["sh", "/app/run.sh"])).unwrap_err().kind, ShellErrorKind::Unsupported);
    // Combined flags, $0 and positional parameters.
    let s = from_argv(&argv(&["/bin/bash", "-ec", "echo $0 $1 $#; false; echo no", "me", "one"])).unwrap();
    assert_eq!(Process::new(Arc::new(s), vec![]).step(0, &mut env), Step::Exited(1));
    assert_eq!(env.logs, vec!["me one 1"]);
    // Direct commands are literal: no expansion, no operators.
    env.logs.clear();
    let s = from_argv(&argv(&["echo", "$HOME", ";", "exit", "3"])).unwrap();
    assert_eq!(Process::new(Arc::new(s), vec![]).step(0, &mut env), Step::Exited(0));
    assert_eq!(env.logs, vec!["$HOME ; exit 3"]);
    // Direct /bin/sleep.
    let s = from_argv(&argv(&["/bin/sleep", "1.5"])).unwrap();
    assert_eq!(Process::new(Arc::new(s), vec![]).step(100, &mut env), Step::SleepUntil(1_600));
}

#[test]
fn nesting_at_the_limit_runs() {
    let depth = MAX_NESTING - 1;
    let src = format!("{}echo deep; exit 4{} ; echo after $?", "( ".repeat(depth), " )".repeat(depth));
    let mut env = FakeEnv::new();
    let mut p = Process::new(Arc::new(parse_script(&src).unwrap()), vec![]);
    assert_eq!(p.step(0, &mut env), Step::Exited(0));
    assert_eq!(env.logs, vec!["deep", "after 4"]);
    let src = format!("echo {}x{}", "$(echo ".repeat(depth), ")".repeat(depth));
    let mut p = Process::new(Arc::new(parse_script(&src).unwrap()), vec![]);
    assert_eq!(p.step(0, &mut env), Step::Exited(0));
}

#[test]
fn assorted_utilities() {
    let mut env = FakeEnv::new();
    let script = concat!(
        "echo -e 'a\\tb\\nc'; echo -n no-newline; echo\n",
        "date +%s; date -u +%F\n",
        "mkdir -p /data/x && cd /data && touch f && [ -f /data/f ] && pwd\n",
        "sleep 100 & pid=$!; kill $pid; wait $pid; echo killed=$?\n",
        "export A=1; printenv A; B=2 env > /tmp/env; cat /tmp/env; grep -q B /tmp/env || echo no-grep\n",
        "test -z \"\" -a -n x && echo both\n",
        "[ 3 -gt 2 ] && [ ! -d /nope ] && echo cmp\n",
        "x=${X:=set}; echo $x $X ${X:+alt} ${#X}\n",
    );
    let mut p = Process::new(Arc::new(parse_script(script).unwrap()), vec![]);
    p.step(5_000, &mut env);
    assert_eq!(
        env.logs,
        vec![
            "a\tb",
            "c",
            "no-newline",
            "1767225605",
            "2026-01-01",
            "/data",
            "killed=143",
            "1",
            "A=1",
            "B=2",
            "sh: grep: not found",
            "no-grep",
            "both",
            "cmp",
            "set set alt 3",
        ]
    );
}

#[test]
fn expansion_and_output_are_bounded() {
    let mut env = FakeEnv::new();
    let big = format!("x=$(seq 1 20000); echo {}", "$x".repeat(20));
    assert_eq!(sh(&big).step(0, &mut env), Step::Exited(2));
    assert_eq!(env.logs, vec!["sh: podplay: argument list too long"]);
    let r = exec_probe(
        &argv(&["sh", "-c", "printf 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx%s' $(seq 1 50000)"]),
        0,
        &mut env,
        1_000,
    );
    assert!(r.output.len() <= MAX_OUTPUT_BYTES * 2);
}

/// `tail -n+1 -F FILE` (the kubernetes.io streaming-sidecar logging
/// example): prints the file from its first line, then what is appended,
/// read once a second as BusyBox `tail -f` does.
#[test]
fn tail_follow_prints_what_is_appended() {
    let mut env = FakeEnv::new();
    env.files.insert("/var/1.log".into(), "0: one\n".into());
    let mut p = sh("tail -n+1 -F /var/1.log");
    assert_eq!(p.step(0, &mut env), Step::SleepUntil(1_000));
    assert_eq!(env.logs, ["0: one"]);
    env.write_file("/var/1.log", "1: two\n2: three\n", true).unwrap();
    assert_eq!(p.step(500, &mut env), Step::SleepUntil(1_000), "nothing before the next read");
    assert_eq!(p.step(1_000, &mut env), Step::SleepUntil(2_000));
    assert_eq!(env.logs, ["0: one", "1: two", "2: three"]);
    // A truncated file is read again from its start.
    env.write_file("/var/1.log", "fresh\n", false).unwrap();
    p.step(2_000, &mut env);
    assert_eq!(env.logs.last().map(String::as_str), Some("fresh"));
    // `tail -f` without `-n +N` prints the last 10 lines first; stdin waits for ever.
    let mut env = FakeEnv::new();
    env.files.insert("/tmp/f".into(), (1..=12).map(|i| format!("{i}\n")).collect());
    let mut p = sh("tail -f /tmp/f");
    p.step(0, &mut env);
    assert_eq!(env.logs.first().map(String::as_str), Some("3"));
    assert_eq!(env.logs.len(), 10);
    assert_eq!(sh("tail -f").step(0, &mut env), Step::Blocked);
}

/// BusyBox ash runs `[[ … ]]` as `test` whose last word must be `]]`
/// (busybox coreutils/test.c), as kubernetes.io's downward API examples use
/// it: `if [[ -e /etc/podinfo/labels ]]; then …`.
#[test]
fn double_bracket_is_test_as_in_busybox() {
    let mut env = FakeEnv::new();
    let run = |env: &mut FakeEnv, cmd: &str| exec_probe(&argv(&["sh", "-c", cmd]), 0, env, 60_000);
    let r = run(
        &mut env,
        "touch /tmp/f; if [[ -e /tmp/f ]]; then echo yes; fi; [[ -e /tmp/g ]] || echo no; [[ a == a ]] && echo eq",
    );
    assert_eq!((r.exit_code, r.output.as_str()), (0, "yes\nno\neq\n"));
    let r = run(&mut env, "[[ -e /tmp/f ]");
    assert_eq!((r.exit_code, r.output.as_str()), (2, "sh: [[: missing ]]\n"));
}

fn bash(script: &str, vars: &[(&str, &str)]) -> Process {
    let argv = argv(&["bash", "-c", script]);
    let vars = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Process::new(Arc::new(from_argv(&argv).expect("parses")), vars)
}

/// bash indexed arrays (bash manual, "Arrays",
/// https://www.gnu.org/software/bash/manual/html_node/Arrays.html); the
/// expected lines are what bash 5.2 prints for the same script.
#[test]
fn bash_indexed_arrays() {
    let mut env = FakeEnv::new();
    let script = concat!(
        "items=(foo bar baz qux xyz)\n",
        "echo ${items[$JOB_COMPLETION_INDEX]} > /tmp/data.txt\n",
        "i=1\n",
        "echo \"${items[i]}\" ${items[i+1]} ${items[-1]} ${items[-5]} $items\n",
        "printf '<%s>' \"${items[@]}\"; echo\n",
        "e=(); printf '<%s>' \"${e[@]}\"; echo \"#${#e[@]}\"\n",
        "w=(one \"two three\" '' $GREETING)\n",
        "printf '<%s>' \"${w[@]}\"; echo\n",
        "printf '<%s>' \"${w[*]}\"; echo\n",
        "printf '<%s>' ${w[@]}; echo\n",
        "echo ${#w[@]} ${#w[*]} ${#w[1]} ${#items}\n",
        "w[1]=2; w[7]=seven; echo ${#w[@]} ${w[-1]} \"${w[@]}\"\n",
        "unset 'w[0]'; echo ${#w[@]} \"${w[@]}\" \"[${w}]\"\n",
        "w+=(end); w[1]+=x; echo \"${w[@]}\"\n",
        "s=scalar; s[2]=two; echo \"${s[@]}\" ${#s[@]}\n",
        "unset w; echo \"[${w[@]}]\" ${#w[@]}\n",
        "echo \"x${items[-9]}y\"\n",
        "echo after\n",
    );
    let mut p = bash(script, &[("JOB_COMPLETION_INDEX", "2"), ("GREETING", "hi")]);
    assert_eq!(p.step(0, &mut env), Step::Exited(0));
    assert_eq!(env.files["/tmp/data.txt"], "baz\n");
    assert_eq!(
        env.logs,
        vec![
            "bar baz xyz foo foo",
            "<foo><bar><baz><qux><xyz>",
            "<>#0",
            "<one><two three><><hi>",
            "<one two three  hi>",
            "<one><two><three><hi>",
            "4 4 9 3",
            "5 seven one 2  hi seven",
            "4 2  hi seven []",
            "2x  hi seven end",
            "scalar two 2",
            "[] 0",
            "bash: items: bad array subscript",
            "xy",
            "after",
        ]
    );
    assert!(p.unsupported().is_empty(), "{:?}", p.unsupported());
}

/// An assignment with a bad subscript ends a non-interactive bash with
/// status 1; arrays reach subshells and `$(…)` but not the environment of
/// commands; `set -x` shows them as bash does.
#[test]
fn bash_array_assignment_errors_subshells_and_trace() {
    let mut env = FakeEnv::new();
    let mut p = bash("a=(1 2); a[-5]=x; echo not reached", &[]);
    assert_eq!(p.step(0, &mut env), Step::Exited(1));
    assert_eq!(env.logs, vec!["bash: a[-5]: bad array subscript"]);
    env.logs.clear();
    let mut p = bash(
        "a=(x y); export a; (echo sub ${a[1]}); echo \"$(echo ${#a[@]})\"; env; set -x; a=(1 \"2 3\"); a[1]=z; b+=y",
        &[("HOME", "/root")],
    );
    assert_eq!(p.step(0, &mut env), Step::Exited(0));
    assert_eq!(env.logs, vec!["sub y", "2", "HOME=/root", "+ a=(1 \"2 3\")", "+ a[1]=z", "+ b+=y"]);
}

/// Arrays are bounded (podplay: 10,000 elements, 1 MB per array).
#[test]
fn bash_arrays_are_bounded() {
    let mut env = FakeEnv::new();
    let mut p = bash(
        "a[1000000]=big; i=0; while [ $i -lt 20000 ]; do a[i]=$i; i=$((i+1)); done; echo ${#a[@]} ${a[-1]} ${a[9998]}",
        &[],
    );
    for k in 0..100u64 {
        if let Step::Exited(_) = p.step(k * 1000, &mut env) {
            break;
        }
    }
    assert_eq!(env.logs[0], "10000 big 9998");
    assert!(p.unsupported().iter().any(|u| u.contains("arrays over 10000 elements")), "{:?}", p.unsupported());
}

/// BusyBox ash (`sh` in the busybox, alpine and bash images) has no arrays:
/// `a=(…)` is a syntax error there, whatever follows.
#[test]
fn ash_refuses_arrays() {
    for argv0 in ["sh", "/bin/sh", "ash", "dash"] {
        let e = from_argv(&argv(&[argv0, "-c", "items=(foo bar)\necho ${items[1]}"])).unwrap_err();
        assert_eq!(e.message, "sh: syntax error: unexpected \"(\"", "{argv0}");
        assert_eq!(e.kind, ShellErrorKind::Syntax);
    }
    assert_eq!(parse_script("echo ${items[1]}").unwrap_err().message, "podplay does not simulate `${items[1]}`");
    // Without arrays `a[1]=x` is a command name, `a+=x` too.
    let mut env = FakeEnv::new();
    assert_eq!(sh("a[1]=x").step(0, &mut env), Step::Exited(127));
    assert_eq!(env.logs, vec!["sh: a[1]=x: not found"]);
    // bash: the same text parses; `echo a=(1)` does not.
    assert!(from_argv(&argv(&["/bin/bash", "-c", "items=(foo bar)\necho ${items[1]}"])).is_ok());
    assert_eq!(parse_bash_script("echo a=(1)").unwrap_err().message, "sh: syntax error: unexpected \"(\"");
    assert_eq!(
        parse_bash_script("a=(1 2").unwrap_err().message,
        "sh: syntax error: unexpected end of file (expecting \")\")"
    );
    assert_eq!(parse_bash_script("a=([3]=x)").unwrap_err().kind, ShellErrorKind::Unsupported);
}

/// BusyBox rev (util-linux/rev.c): each line reversed, the last line's
/// missing newline kept missing; a missing file is reported, exit 1.
#[test]
fn rev_reverses_lines() {
    let mut env = FakeEnv::new();
    env.files.insert("/tmp/a".into(), "foo\nbar baz\n".into());
    env.files.insert("/tmp/b".into(), "xyz".into());
    let mut p = Process::new(Arc::new(from_argv(&argv(&["rev", "/tmp/a", "/tmp/none"])).unwrap()), vec![]);
    assert_eq!(p.step(0, &mut env), Step::Exited(1));
    assert_eq!(env.logs, vec!["oof", "zab rab", "rev: /tmp/none: No such file or directory"]);
    env.logs.clear();
    let mut p = Process::new(Arc::new(from_argv(&argv(&["rev", "/tmp/b"])).unwrap()), vec![]);
    assert_eq!(p.step(0, &mut env), Step::Exited(0));
    assert_eq!(env.logs, vec!["zyx"]);
    assert_eq!(utils::rev("ab\n\ncd"), "ba\n\ndc");
    // No file: stdin, empty in a container here.
    env.logs.clear();
    assert_eq!(sh("rev; echo $?").step(0, &mut env), Step::Exited(0));
    assert_eq!(env.logs, vec!["0"]);
}

/// The loop `until nslookp db; do echo waiting; done` compiles to four ops
/// (the `nslookp` command, the jump out, `echo`, the jump back), so one step's
/// budget of `MAX_COMMANDS_PER_STEP` ops is 2,500 passes and 5,000 lines,
/// however many of them run one by one and however many are fast-forwarded.
#[test]
fn a_spinning_loop_is_fast_forwarded_to_the_same_log() {
    let mut env = FakeEnv::new();
    let mut p = sh("until nslookp db; do echo waiting; done");
    assert_eq!(p.step(0, &mut env), Step::SleepUntil(SPIN_MS));
    assert_eq!(env.logs.len(), 2 * (MAX_COMMANDS_PER_STEP as usize / 4));
    for pair in env.logs.chunks(2) {
        assert_eq!(pair, ["sh: nslookp: not found", "waiting"]);
    }
    assert_eq!(env.repeats, 1, "the passes after the first few came at once");
    // The next step is the same loop one virtual second later.
    assert_eq!(p.step(SPIN_MS, &mut env), Step::SleepUntil(2 * SPIN_MS));
    assert_eq!(env.logs.len(), 4 * (MAX_COMMANDS_PER_STEP as usize / 4));
    assert_eq!(env.repeats, 2);
    // Once the name resolves, the loop ends at the next step.
    env.dns.insert("db".into(), Ipv4Addr::new(10, 96, 0, 10));
    env.programs.insert("nslookp".into(), Program::Exits { after_ms: 0, code: 0, output: vec![] });
    assert_eq!(p.step(2 * SPIN_MS, &mut env), Step::Exited(0));
}

/// An image that lacks the program (BusyBox has no `nslookp`) answers
/// `NotFound`: ash's line on stderr and 127, and nothing ran, so the loop is
/// fast-forwarded as when podplay does not know the program at all. (Until
/// 2026-12-06 the engine answered with an `Exits` that printed the line,
/// which counted as a program that ran: tests/fixtures/busy-wait.yaml ran
/// every pass, a 60 s libFuzzer timeout in the sanitized build.)
#[test]
fn a_loop_on_a_program_the_image_lacks_is_fast_forwarded() {
    let mut env = FakeEnv::new();
    env.programs.insert("nslookp".into(), Program::NotFound);
    let mut p = sh("until nslookp db 2>/dev/null; do echo waiting; done");
    assert_eq!(p.step(0, &mut env), Step::SleepUntil(SPIN_MS));
    assert_eq!(env.logs.len(), MAX_COMMANDS_PER_STEP as usize / 4, "`not found` went to stderr");
    assert!(env.logs.iter().all(|l| l == "waiting"));
    assert_eq!(env.repeats, 1);
    assert!(p.unsupported.is_empty(), "a program the image lacks is simulated, not unsupported");
}

/// A pass that changes something (a file, a counter, a half-written line)
/// is not repeated at once: every pass runs.
#[test]
fn a_loop_that_makes_progress_runs_every_pass() {
    for script in [
        "until false; do echo a >> /tmp/f; done",
        "i=0; while :; do i=$((i+1)); done",
        "while :; do printf w; done",
        "i=0; while :; do i=$((i+1)); if [ $i -gt 100 ]; then i=0; fi; done",
    ] {
        let mut env = FakeEnv::new();
        let mut p = sh(script);
        assert_eq!(p.step(0, &mut env), Step::SleepUntil(SPIN_MS), "{script}");
        assert_eq!(env.repeats, 0, "{script}");
    }
    let mut env = FakeEnv::new();
    sh("until false; do echo a >> /tmp/f; done").step(0, &mut env);
    assert_eq!(env.files["/tmp/f"].len(), 2 * (MAX_COMMANDS_PER_STEP as usize / 4));
}

/// ash's pipelines: each stage a child process, stdout to the next stdin,
/// the last stage's status; `read`, `head`, `cat` and `rev` read stdin.
#[test]
fn pipelines_pass_stdout_to_stdin() {
    let run = |script: &str| {
        let mut env = FakeEnv::new();
        let step = sh(script).step(0, &mut env);
        (step, env.logs)
    };
    assert_eq!(run("echo hello | rev"), (Step::Exited(0), vec!["olleh".to_string()]));
    assert_eq!(run("printf 'a\\nb\\nc\\n' | head -n 2"), (Step::Exited(0), vec!["a".to_string(), "b".into()]));
    assert_eq!(
        run("echo 'x  y z' | while read a b; do echo \"$b-$a\"; done"),
        (Step::Exited(0), vec!["y z-x".to_string()])
    );
    assert_eq!(run("echo one | cat | cat -"), (Step::Exited(0), vec!["one".to_string()]));
    assert_eq!(
        run("seq 1 5 | tail -n 2; seq 3 | tail -n +3"),
        (Step::Exited(0), vec!["4".to_string(), "5".into(), "3".into()])
    );
    assert_eq!(run("x=$(echo hi | rev); echo $x"), (Step::Exited(0), vec!["ih".to_string()]));
    assert_eq!(run("true | false").0, Step::Exited(1));
    assert_eq!(run("false | true").0, Step::Exited(0));
    assert_eq!(run("! echo x | false").0, Step::Exited(0));
    // A writer whose reader has gone dies of SIGPIPE when it next writes;
    // a spinning one writes again after its second of CPU, and the
    // pipeline ends with the reader's status.
    let mut env = FakeEnv::new();
    let mut p = sh("while true; do echo y; done | head -n 1; echo $?");
    assert_eq!(p.step(0, &mut env), Step::SleepUntil(SPIN_MS));
    assert_eq!(p.step(SPIN_MS, &mut env), Step::Exited(0));
    assert_eq!(env.logs, ["y", "0"]);
    // stderr is not piped.
    assert_eq!(run("nope 2>&1 | rev; nope | rev").1, vec!["dnuof ton :epon :hs", "sh: nope: not found"]);
    // Without a pipe a container's process reads end of file at once.
    assert_eq!(run("read x; echo $? \"$x\"").1, vec!["1 "]);
    assert_eq!(run("printf 'last' | { read x; echo $? $x; }").1, vec!["1 last"]);
    assert_eq!(
        run("read 1a; echo after"),
        (Step::Exited(2), vec!["sh: read: '1a': not a valid identifier".to_string()])
    );
    assert_eq!(
        run("echo 'a\\b c' | { read -r x; echo \"$x\"; }; echo 'a\\b' | { read x; echo \"$x\"; }").1,
        vec!["a\\b c", "ab"]
    );
}

/// kubernetes.io's adapter pattern (pods/multi-container/adapter.yaml):
/// `tail -F FILE | while read line; do echo "adapted: $line"; done` turns
/// each line appended to the file into a log line, a second later as
/// BusyBox `tail -F` reads once a second.
#[test]
fn a_pipeline_streams_from_tail_follow() {
    let mut env = FakeEnv::new();
    env.dirs.insert("/var/log".into());
    let mut p =
        sh("touch /var/log/raw.log; tail -F /var/log/raw.log | while read line; do echo \"adapted: $line\"; done");
    assert_eq!(p.step(0, &mut env), Step::SleepUntil(1_000));
    env.write_file("/var/log/raw.log", "one\ntwo\n", true).unwrap();
    assert_eq!(p.step(1_000, &mut env), Step::SleepUntil(2_000));
    assert_eq!(env.logs, vec!["adapted: one", "adapted: two"]);
    env.write_file("/var/log/raw.log", "thr", true).unwrap();
    assert_eq!(p.step(2_000, &mut env), Step::SleepUntil(3_000));
    env.write_file("/var/log/raw.log", "ee\n", true).unwrap();
    assert_eq!(p.step(3_000, &mut env), Step::SleepUntil(4_000));
    assert_eq!(env.logs, vec!["adapted: one", "adapted: two", "adapted: three"]);
}

/// BusyBox `ls` writing to a log: one name a line, sorted bytewise; files
/// named first, then each directory under `DIR:`; `-a` adds `.` and `..`
/// and hidden names, `-A` hidden names, `-d` lists a directory itself;
/// `-l` is not simulated.
#[test]
fn ls_lists_directories_as_busybox_does() {
    let mut env = FakeEnv::new();
    for f in ["/tmp/b", "/tmp/A", "/tmp/.h", "/tmp/d/x", "/var/f"] {
        env.files.insert(f.into(), String::new());
    }
    env.dirs.insert("/tmp/d".into());
    let mut p = sh("cd /tmp; ls; ls -a; ls -A d; ls -d /tmp; ls /var/f /tmp/d /var/run; ls nope");
    assert_eq!(p.step(0, &mut env), Step::Exited(1));
    assert_eq!(
        env.logs,
        [
            "A",
            "b",
            "d", // ls
            ".",
            "..",
            ".h",
            "A",
            "b",
            "d",    // ls -a
            "x",    // ls -A d
            "/tmp", // ls -d /tmp
            "/var/f",
            "",
            "/tmp/d:",
            "x",
            "",
            "/var/run:", // ls FILE DIR DIR
            "ls: nope: No such file or directory",
        ]
    );
    let mut env = FakeEnv::new();
    let mut p = sh("ls -l /tmp");
    assert_eq!(p.step(0, &mut env), Step::Exited(1));
    assert_eq!(env.logs, ["podplay does not simulate `ls -l`"]);
    assert_eq!(p.unsupported(), ["podplay does not simulate `ls -l`"]);
}
