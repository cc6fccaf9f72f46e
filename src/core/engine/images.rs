//! Images: which can be pulled, what their programs do, and which commands
//! they have. The catalogue of well-known images (how big they are, their
//! default process, the ports it serves, how it takes SIGTERM, what it can
//! exec) is data in [`catalogue`]; this file holds the rules that read it.
//!
//! Nothing real runs in podplay, so an image's behaviour comes from here.
//!
//! ## Which images can be pulled (a documented, predictable rule)
//! - An image in this catalogue pulls when its tag is `latest`, starts with a
//!   digit (`1.27`, `2.40`, `0.1`; `v0.0.37` for images whose tags take a `v`),
//!   or is one of the catalogue's variant words (`alpine`, `stable`, …); any
//!   other tag is "not found" → `ErrImagePull`.
//! - A single-name Docker Hub image that is not in the catalogue (`ngnix`,
//!   `library/foo`) does not exist → `ErrImagePull` ("pull access denied").
//!   This is what makes a typo in a well-known image fail as it does for real.
//! - A registry host under a name RFC 6761 reserves (`.invalid`, `.test`,
//!   `.example`, `.localhost`), or the e2e suite's `invalid.registry.k8s.io`,
//!   cannot resolve → `ErrImagePull` with the resolver's "no such host".
//! - A Docker Hub repository whose name says it does not exist (a path
//!   component starting `non-existing`, `nonexistent`, `non-existent`,
//!   `does-not-exist`, `doesnotexist`), as kubernetes.io's
//!   `job-pod-failure-policy-config-issue.yaml`
//!   (`non-existing-repo/non-existing-image:example`) relies on, fails as
//!   Docker Hub answers for a repository it does not have → "pull access denied".
//! - Any other image (`myorg/app:1.0`, `ghcr.io/x/y`, `registry.example.com/app`)
//!   is assumed to exist: it pulls as a 50 MB image and, with no `command`, runs
//!   a generic server that answers 200 on every `containerPort` it declares.
//! - A reference that is not a valid image name gives `InvalidImageName`.
//!
//! ## Which commands an image has (its PATH, roughly)
//! Each entry names a [`Tools`] set (BusyBox applets, a GNU userland, or
//! nothing) and its own programs with their paths. The runtime execs
//! `command[0]` (or the ENTRYPOINT) from these: one the image lacks fails to
//! start ([`exec_check`]: runc's `exec: "stress": executable file not found
//! in $PATH`, containerd's StartError, exit code 128). Images outside the
//! catalogue are not checked.

use crate::core::time::Millis;

mod catalogue;
pub use catalogue::{Database, Executables, Tools, MYSQL, POSTGRES};
use catalogue::{Entry, BUSYBOX_APPLETS, CATALOGUE, GNU_COMMANDS, PATH_DIRS};

/// What an image's program does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum App {
    /// Exits at once with code 0 (a shell with no terminal: busybox, alpine, debian…).
    ShellExits,
    /// An HTTP server; `/` serves `docroot/index.html` (403 when missing, like nginx).
    StaticHttp { port: i32, docroot: &'static str, index: &'static str },
    /// agnhost `liveness`: `/healthz` answers 200 for the first 10 s, then 500
    /// (test/images/agnhost/liveness/server.go).
    AgnhostLiveness,
    /// agnhost `netexec`: HTTP on 8080, 200 everywhere.
    AgnhostNetexec,
    /// Runs forever and does nothing (agnhost `pause`, registry.k8s.io/pause).
    Pause,
    /// A server listening on this port (HTTP there answers 200); `name` is
    /// its process name (`killall`).
    Tcp { port: i32, name: &'static str },
    /// A gRPC server implementing grpc.health.v1 on this port.
    Grpc { port: i32 },
    /// A database image's server (postgres, mysql): exits 1 at once when the
    /// entrypoint finds none of its password variables, else serves its port.
    Database(&'static Database),
    /// `stress --vm N --vm-bytes SIZE`: allocates that much memory.
    Stress,
    /// The perl image's `perl`: one program simulated, see [`perl`].
    Perl,
    /// Unknown-but-pullable image: serves 200 on each declared containerPort.
    Generic,
}

/// How the image's main program takes SIGTERM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnTerm {
    /// Handles it and exits with this code after this long (nginx: fast shutdown, 0).
    Exit { after_ms: Millis, code: i32 },
    /// A Go program without a handler: the Go runtime re-raises the signal; as
    /// PID 1 the kernel ignores the default action, so the runtime exits with 2
    /// (runtime/signal_unix.go `dieFromSignal`).
    GoRuntimeExit2,
    /// No handler: as PID 1 the signal is ignored (the kubelet SIGKILLs after
    /// the grace period → 137).
    Default,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    /// Canonical repository (`docker.io/library/nginx`).
    pub repository: String,
    pub tag: String,
    pub size_bytes: u64,
    /// Default ENTRYPOINT and CMD.
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    /// Milliseconds from process start until it listens.
    pub startup_ms: Millis,
    pub on_term: OnTerm,
    /// Memory the process uses, bytes.
    pub memory_bytes: u64,
    /// What it can exec (None: not checked, an image outside the catalogue).
    pub exec: Option<Executables>,
}

/// Why an image cannot be pulled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PullError {
    /// Not a valid reference: `InvalidImageName`.
    InvalidName(String),
    /// The registry does not have it: `ErrImagePull` with this containerd message.
    NotFound(String),
}

/// What `perl ARGS` does in the perl image. podplay runs one perl program:
/// `print bpi(N)` with `-Mbignum=bpi` (Math::BigFloat's π to N digits,
/// rounded), the kubernetes.io Job example's. Returns the exit code, what
/// the program prints, and how long it computes (podplay's figure: 1 s for
/// 2,000 digits, growing with the square of N).
pub fn perl(argv: &[String]) -> (i32, Vec<String>, Millis) {
    let mut bpi_imported = false;
    let mut script: Option<String> = None;
    let mut args = argv.iter().skip(1);
    while let Some(a) = args.next() {
        if let Some(module) = a.strip_prefix("-M") {
            bpi_imported |= matches!(module.split_once('='), Some(("bignum" | "bigrat" | "bigfloat", imports)) if imports.split(',').any(|i| i == "bpi"));
        } else if let Some(flags) =
            a.strip_prefix('-').filter(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            // `-d` (the image's CMD, `perl -de0`): the debugger reads EOF
            // without a terminal and exits, as a shell does.
            if flags.starts_with('d') {
                return (0, Vec::new(), 0);
            }
            // A cluster such as `-wle`: `e` takes the rest of the word, or the next word.
            if let Some(at) = flags.find(['e', 'E']) {
                let rest = &flags[at + 1..];
                script = if rest.is_empty() { args.next().cloned() } else { Some(rest.to_string()) };
                break;
            }
        } else {
            break;
        }
    }
    let Some(script) = script else {
        return (0, Vec::new(), 0);
    };
    let call = script.trim().trim_end_matches(';').trim();
    let digits = call
        .strip_prefix("print")
        .map(str::trim_start)
        .and_then(|c| c.strip_prefix("bpi("))
        .and_then(|c| c.strip_suffix(')'))
        .and_then(|n| n.trim().parse::<usize>().ok());
    match digits {
        Some(_) if !bpi_imported => (255, vec!["Undefined subroutine &main::bpi called at -e line 1.".into()], 50),
        Some(n) if (1..=MAX_BPI_DIGITS).contains(&n) => {
            let ms = ((n * n) as Millis / 4_000).max(50);
            (0, vec![bpi(n)], ms)
        }
        _ => (
            2,
            vec![format!("podplay: this perl program is not simulated (podplay runs only `print bpi(N)` with -Mbignum=bpi, N up to {MAX_BPI_DIGITS})")],
            0,
        ),
    }
}

/// The most digits of π `perl` computes here.
pub const MAX_BPI_DIGITS: usize = 2_000;

/// π to `n` significant digits, rounded (`3.14` for 3), as bignum prints it.
fn bpi(n: usize) -> String {
    static DIGITS: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let all = DIGITS.get_or_init(|| pi_digits(MAX_BPI_DIGITS + 10));
    let mut d: Vec<u8> = all[..n].to_vec();
    if all[n] >= 5 {
        // Round up, carrying through nines.
        for x in d.iter_mut().rev() {
            if *x == 9 {
                *x = 0;
            } else {
                *x += 1;
                break;
            }
        }
    }
    let mut out = String::with_capacity(n + 1);
    for (i, x) in d.iter().enumerate() {
        if i == 1 {
            out.push('.');
        }
        out.push(char::from(b'0' + x));
    }
    out
}

/// The first `n` decimal digits of π (3, 1, 4, 1, 5, …): the spigot
/// algorithm of Rabinowitz and Wagon (Amer. Math. Monthly 102, 1995).
fn pi_digits(n: usize) -> Vec<u8> {
    let len = n * 10 / 3 + 1;
    let mut a = vec![2u64; len];
    let mut out: Vec<u8> = Vec::with_capacity(n + 1);
    let (mut nines, mut predigit) = (0usize, 0u8);
    for _ in 0..=n {
        let mut q = 0u64;
        for i in (1..=len).rev() {
            let x = 10 * a[i - 1] + q * i as u64;
            let den = 2 * i as u64 - 1;
            a[i - 1] = x % den;
            q = x / den;
        }
        a[0] = q % 10;
        q /= 10;
        match q {
            9 => nines += 1,
            10 => {
                out.push(predigit + 1);
                out.extend(std::iter::repeat_n(0, nines));
                predigit = 0;
                nines = 0;
            }
            _ => {
                out.push(predigit);
                predigit = q as u8;
                out.extend(std::iter::repeat_n(9, nines));
                nines = 0;
            }
        }
    }
    out.push(predigit);
    // The first digit out is the spigot's leading 0.
    out.remove(0);
    out.truncate(n);
    out
}

/// Splits `image` into (canonical repository, tag or digest), Docker's way.
pub fn normalize(image: &str) -> Result<(String, String), PullError> {
    let invalid = || {
        PullError::InvalidName(format!("Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format"))
    };
    if image.is_empty() || image.len() > 255 || image.chars().any(|c| c.is_whitespace()) {
        return Err(invalid());
    }
    let (name, tag) = if let Some((n, d)) = image.split_once('@') {
        (n, d.to_string())
    } else {
        // A ':' after the last '/' starts the tag.
        let slash = image.rfind('/').map(|i| i + 1).unwrap_or(0);
        match image[slash..].rfind(':') {
            Some(i) => (&image[..slash + i], image[slash + i + 1..].to_string()),
            None => (image, "latest".to_string()),
        }
    };
    if name.is_empty() || tag.is_empty() {
        return Err(invalid());
    }
    let first = name.split('/').next().unwrap_or("");
    let has_registry = name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let path_ok = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/".contains(c))
            && !s.starts_with(['.', '_', '-', '/'])
            && !s.ends_with(['.', '_', '-', '/'])
            && !s.contains("//")
    };
    let path = if has_registry { &name[first.len() + 1..] } else { name };
    if !path_ok(path) {
        return Err(invalid());
    }
    let repo = if has_registry {
        name.to_string()
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    Ok((repo, tag))
}

fn tag_exists(entry: &Entry, tag: &str) -> bool {
    let versioned = if entry.v_tags { tag.strip_prefix('v').unwrap_or("") } else { tag };
    tag == "latest"
        || tag.starts_with("sha256:")
        || versioned.starts_with(|c: char| c.is_ascii_digit())
        || entry.variants.contains(&tag)
}

/// RFC 6761 §6.2–6.5: `.test`, `.localhost`, `.invalid` and `.example`
/// (RFC 2606) are never delegated, so a registry there cannot be resolved
/// (a name under `.localhost` too: Go's resolver, containerd's, does not map
/// it to loopback, golang/go#22826, and Linux resolvers send it to DNS,
/// dotnet/runtime#118569);
/// nor can `invalid.registry.k8s.io`, the host of the e2e image
/// `InvalidRegistryImage` (test/utils/image/manifest.go) that "should not be
/// able to pull image from invalid registry" (test/e2e/common/node/runtime.go).
fn host_cannot_resolve(host: &str) -> bool {
    let host = host.split(':').next().unwrap_or(host).trim_end_matches('.');
    host == "invalid.registry.k8s.io"
        || [".invalid", ".test", ".example", ".localhost"].iter().any(|tld| host.ends_with(tld))
}

/// A Docker Hub repository path whose own name says it does not exist.
fn says_it_does_not_exist(path: &str) -> bool {
    path.split('/').any(|part| {
        ["non-existing", "nonexisting", "nonexistent", "non-existent", "does-not-exist", "doesnotexist"]
            .iter()
            .any(|w| part.starts_with(w))
    })
}

/// containerd's message when the registry answers 401 for a repository it
/// does not have (Docker Hub does not say "not found" to anonymous pulls).
fn pull_access_denied(reference: &str) -> PullError {
    PullError::NotFound(format!(
        "rpc error: code = Unknown desc = failed to pull and unpack image \"{reference}\": failed to resolve reference \"{reference}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
    ))
}

/// Looks an image up. `Ok` when it can be pulled.
pub fn lookup(image: &str) -> Result<ImageInfo, PullError> {
    let (repo, tag) = normalize(image)?;
    let (host, path) = repo.split_once('/').unwrap_or(("", repo.as_str()));
    if host_cannot_resolve(host) {
        // containerd's resolver HEADs the manifest; Go's resolver fails the
        // dial (`*net.DNSError`: "lookup HOST: no such host").
        let reference = format!("{repo}:{tag}");
        let bare_host = host.split(':').next().unwrap_or(host);
        let port = host.split_once(':').map(|(_, p)| format!(":{p}")).unwrap_or_default();
        return Err(PullError::NotFound(format!(
            "rpc error: code = Unknown desc = failed to pull and unpack image \"{reference}\": failed to resolve reference \"{reference}\": failed to do request: Head \"https://{bare_host}{port}/v2/{path}/manifests/{tag}\": dial tcp: lookup {bare_host}: no such host"
        )));
    }
    if host == "docker.io" && says_it_does_not_exist(path) {
        return Err(pull_access_denied(&format!("{repo}:{tag}")));
    }
    if let Some(entry) = CATALOGUE.iter().find(|e| e.names.contains(&repo.as_str())) {
        if !tag_exists(entry, &tag) {
            return Err(PullError::NotFound(format!(
                "rpc error: code = NotFound desc = failed to pull and unpack image \"{repo}:{tag}\": failed to resolve reference \"{repo}:{tag}\": {repo}:{tag}: not found"
            )));
        }
        let small = tag.contains("slim") || tag.contains("alpine");
        let size_mb = if small && entry.slim_mb > 0 { entry.slim_mb } else { entry.size_mb };
        // An image's `alpine` variant has BusyBox, not the GNU tools.
        let exec = entry.exec.map(|e| match e.tools {
            Tools::Gnu if tag.contains("alpine") => Executables { tools: Tools::Busybox, ..e },
            _ => e,
        });
        return Ok(ImageInfo {
            repository: repo,
            tag,
            size_bytes: size_mb * 1_000_000 + 123_456,
            entrypoint: entry.entrypoint.iter().map(|s| s.to_string()).collect(),
            cmd: entry.cmd.iter().map(|s| s.to_string()).collect(),
            startup_ms: entry.startup_ms,
            on_term: entry.on_term,
            memory_bytes: entry.memory_mb << 20,
            exec,
        });
    }
    if repo.starts_with("docker.io/library/") {
        return Err(pull_access_denied(&format!("{repo}:{tag}")));
    }
    Ok(ImageInfo {
        repository: repo,
        tag,
        size_bytes: 50_000_000,
        entrypoint: vec!["/app".to_string()],
        cmd: vec![],
        startup_ms: 1000,
        on_term: OnTerm::Exit { after_ms: 100, code: 0 },
        memory_bytes: 32 << 20,
        exec: None,
    })
}

/// Whether the image has `program` (a path, or a name looked up in PATH).
pub fn has_program(exec: &Executables, program: &str) -> bool {
    let tools: &[&str] = match exec.tools {
        Tools::Busybox => BUSYBOX_APPLETS,
        Tools::Gnu => GNU_COMMANDS,
        Tools::Nothing => &[],
    };
    match program.rsplit_once('/') {
        // A path: one of the image's own programs, or a tool in a PATH directory.
        Some((dir, name)) => exec.own.contains(&program) || (PATH_DIRS.contains(&dir) && tools.contains(&name)),
        // A name: a tool, or an own program outside `/` (the root is not on PATH).
        None => {
            tools.contains(&program)
                || exec
                    .own
                    .iter()
                    .any(|p| p.rsplit_once('/').is_some_and(|(dir, name)| !dir.is_empty() && name == program))
        }
    }
}

/// The runtime's exec of the container's first word: `Err` with the
/// message containerd gives the kubelet when the image lacks it. runc
/// (libcontainer/standard_init_linux.go `exec.LookPath`) fails with Go's
/// `exec: "stress": executable file not found in $PATH`, or `stat PATH: no
/// such file or directory` for a path; containerd (`StartContainer`,
/// internal/cri/server/container_start.go) wraps it and sets the container
/// exited with reason `StartError` and exit code 128 ("the same with
/// Docker's behavior", containerd/containerd#7044). The kubelet records
/// `Failed` "Error: …" (`startContainer`, kuberuntime_container.go).
pub fn exec_check(info: Option<&ImageInfo>, program: &str) -> Result<(), String> {
    let Some(exec) = info.and_then(|i| i.exec.as_ref()) else { return Ok(()) };
    if has_program(exec, program) {
        return Ok(());
    }
    let why = if program.contains('/') {
        format!("stat {program}: no such file or directory")
    } else {
        "executable file not found in $PATH".to_string()
    };
    Err(format!(
        "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{program}\": {why}: unknown"
    ))
}

/// Pull time: a fixed 500 ms plus the image at 25 MB/s.
pub fn pull_ms(size_bytes: u64) -> Millis {
    500 + size_bytes / 25_000
}

/// What program `argv` (after the shell has found no builtin) runs, for an
/// image whose repository is `repo`. None: the program is not simulated.
pub fn program_app(repo: &str, argv: &[String]) -> Option<App> {
    let prog = argv.first()?.rsplit('/').next().unwrap_or("");
    let sub = argv.get(1).map(|s| s.as_str()).unwrap_or("");
    let image = repo.rsplit('/').next().unwrap_or("");
    Some(match prog {
        "docker-entrypoint.sh" => {
            // The official images' entrypoints exec their argument; with
            // none, or a first argument that is a flag (`--bind_ip …`), they
            // put the server first (`if [ "${1#-}" != "$1" ]; then set --
            // mongod "$@"; fi`).
            let server = CATALOGUE.iter().find(|e| e.names.contains(&repo)).and_then(|e| e.cmd.first());
            return match (argv.get(1), server) {
                (Some(a), _) if !a.starts_with('-') => program_app(repo, &argv[1..]),
                (_, Some(server)) => {
                    let with_server: Vec<String> =
                        std::iter::once(server.to_string()).chain(argv[1..].iter().cloned()).collect();
                    program_app(repo, &with_server)
                }
                _ => None,
            };
        }
        // A shell with no script and no terminal reads EOF and exits 0; so
        // does `python3` (it reads its program from stdin, /dev/null
        // without `stdin: true`).
        "sh" | "bash" | "ash" if argv.len() == 1 => App::ShellExits,
        "python" | "python3" if argv.len() == 1 && image == "python" => App::ShellExits,
        "nginx" if sub != "-s" => {
            App::StaticHttp { port: 80, docroot: "/usr/share/nginx/html", index: "/usr/share/nginx/html/index.html" }
        }
        "httpd-foreground" | "httpd" => App::StaticHttp {
            port: 80,
            docroot: "/usr/local/apache2/htdocs",
            index: "/usr/local/apache2/htdocs/index.html",
        },
        "redis-server" => App::Tcp { port: 6379, name: "redis-server" },
        "postgres" => App::Database(&POSTGRES),
        "mysqld" => App::Database(&MYSQL),
        "mongod" => App::Tcp { port: 27017, name: "mongod" },
        // rabbitmq-server runs the Erlang VM (`beam.smp`); AMQP on 5672.
        "rabbitmq-server" => App::Tcp { port: 5672, name: "beam.smp" },
        // wordpress: Apache with mod_php on 80.
        "apache2-foreground" => App::Tcp { port: 80, name: "apache2" },
        "memcached" => App::Tcp { port: 11211, name: "memcached" },
        // Konnectivity: the liveness probe's `/healthz` is on the health
        // port (defaults 8092 and 8093, cmd/server and cmd/agent options).
        "proxy-server" => App::Tcp { port: flag_port(argv, "--health-port").unwrap_or(8092), name: "proxy-server" },
        "proxy-agent" => {
            App::Tcp { port: flag_port(argv, "--health-server-port").unwrap_or(8093), name: "proxy-agent" }
        }
        "agnhost" => match sub {
            "liveness" => App::AgnhostLiveness,
            "netexec" | "serve-hostname" | "test-webserver" => App::AgnhostNetexec,
            "pause" | "" => App::Pause,
            _ => return None,
        },
        "goproxy" => App::Tcp { port: 8080, name: "goproxy" },
        "pause" => App::Pause,
        "etcd" => App::Grpc { port: 2379 },
        "stress" => App::Stress,
        "perl" if repo == "docker.io/library/perl" => App::Perl,
        "app" if repo_is_generic(repo) => App::Generic,
        _ => return None,
    })
}

/// `--NAME=N` or `--NAME N` in `argv`.
fn flag_port(argv: &[String], name: &str) -> Option<i32> {
    argv.iter().enumerate().find_map(|(i, a)| match a.strip_prefix(name) {
        Some(rest) if rest.starts_with('=') => rest[1..].parse().ok(),
        Some("") => argv.get(i + 1)?.parse().ok(),
        _ => None,
    })
}

fn repo_is_generic(repo: &str) -> bool {
    !CATALOGUE.iter().any(|e| e.names.contains(&repo))
}

/// Memory `stress --vm N --vm-bytes SIZE` allocates (stress's default is 256M per worker).
pub fn stress_memory_bytes(argv: &[String]) -> u64 {
    let mut workers = 0u64;
    let mut bytes = 256u64 << 20;
    let mut i = 1;
    while i < argv.len() {
        match argv[i].as_str() {
            "--vm" | "-m" => workers = argv.get(i + 1).and_then(|s| s.parse().ok()).unwrap_or(1),
            "--vm-bytes" => {
                if let Some(s) = argv.get(i + 1) {
                    bytes = parse_stress_size(s).unwrap_or(bytes);
                }
            }
            _ => {}
        }
        i += 1;
    }
    workers.max(1) * bytes
}

/// stress's sizes: `250M`, `1G`, `512K`, bytes otherwise (powers of 1024).
fn parse_stress_size(s: &str) -> Option<u64> {
    let (num, mult) = match s.chars().last()? {
        'K' | 'k' => (&s[..s.len() - 1], 1u64 << 10),
        'M' | 'm' => (&s[..s.len() - 1], 1 << 20),
        'G' | 'g' => (&s[..s.len() - 1], 1 << 30),
        'B' | 'b' => (&s[..s.len() - 1], 1),
        _ => (s, 1),
    };
    num.parse::<u64>().ok()?.checked_mul(mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_normalize_like_docker() {
        assert_eq!(normalize("nginx").unwrap(), ("docker.io/library/nginx".into(), "latest".into()));
        assert_eq!(normalize("nginx:1.27").unwrap().1, "1.27");
        assert_eq!(
            normalize("registry.k8s.io/e2e-test-images/agnhost:2.40").unwrap(),
            ("registry.k8s.io/e2e-test-images/agnhost".into(), "2.40".into())
        );
        assert_eq!(normalize("localhost:5000/app").unwrap(), ("localhost:5000/app".into(), "latest".into()));
        assert!(matches!(normalize("Nginx"), Err(PullError::InvalidName(_))));
        assert!(matches!(normalize("nginx:"), Err(PullError::InvalidName(_))));
    }

    #[test]
    fn pull_rule_is_predictable() {
        assert!(lookup("nginx:1.14.2").is_ok());
        assert!(lookup("busybox").is_ok());
        assert!(lookup("nginx:alpine").is_ok());
        assert!(matches!(lookup("nginx:nope"), Err(PullError::NotFound(_))));
        assert!(matches!(lookup("ngnix:1.27"), Err(PullError::NotFound(_))));
        assert!(lookup("myorg/shop:1.0").is_ok());
        assert!(lookup("ghcr.io/acme/api:v2").is_ok());
    }

    #[test]
    fn programs_resolve() {
        let argv = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            program_app("docker.io/library/nginx", &argv(&["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"])),
            Some(App::StaticHttp {
                port: 80,
                docroot: "/usr/share/nginx/html",
                index: "/usr/share/nginx/html/index.html"
            })
        );
        assert_eq!(program_app("x", &argv(&["/agnhost", "liveness"])), Some(App::AgnhostLiveness));
        assert_eq!(program_app("x", &argv(&["awk"])), None);
        assert_eq!(
            stress_memory_bytes(&argv(&["stress", "--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"])),
            250 << 20
        );
    }

    #[test]
    fn registries_that_cannot_exist_and_repositories_that_say_so_fail() {
        // RFC 6761: reserved names never resolve.
        for image in ["registry.invalid/app", "r.test:5000/a/b:1", "x.example/app", "reg.localhost/app"] {
            let Err(PullError::NotFound(m)) = lookup(image) else { panic!("{image} pulled") };
            assert!(m.contains(": no such host") && m.contains("failed to do request: Head \"https://"), "{m}");
        }
        let Err(PullError::NotFound(m)) = lookup("r.test:5000/a/b:1") else { panic!() };
        assert!(
            m.ends_with("Head \"https://r.test:5000/v2/a/b/manifests/1\": dial tcp: lookup r.test: no such host"),
            "{m}"
        );
        assert!(lookup("registry.example.com/legacy-app:2.3").is_ok(), "example.com is a real domain");
        assert!(lookup("localhost:5000/app").is_ok(), "localhost itself resolves");
        // kubernetes.io controllers/job-pod-failure-policy-config-issue.yaml.
        let Err(PullError::NotFound(m)) = lookup("non-existing-repo/non-existing-image:example") else { panic!() };
        assert!(m.contains("\"docker.io/non-existing-repo/non-existing-image:example\": pull access denied"), "{m}");
        assert!(lookup("ghcr.io/acme/nonexistent:1").is_ok(), "the name rule is Docker Hub's answer only");
    }

    #[test]
    fn official_images_have_their_dockerfile_defaults() {
        let i = lookup("python:3").unwrap();
        assert_eq!(
            (i.entrypoint.len(), i.cmd.as_slice(), i.size_bytes / 1_000_000),
            (0, &["python3".to_string()][..], 390)
        );
        assert_eq!(lookup("python:3.12-slim").unwrap().size_bytes / 1_000_000, 45, "slim variants are smaller");
        assert_eq!(lookup("mysql:8.0").unwrap().cmd, ["mysqld"]);
        assert_eq!(lookup("fedora").unwrap().cmd, ["/bin/bash"]);
        for image in ["mongo:4.2", "rabbitmq:3.8-management", "wordpress:6.2.1-apache", "memcached", "mysql:9"] {
            assert!(lookup(image).is_ok(), "{image}");
        }
        // registry.k8s.io's `v` tags.
        assert!(lookup("registry.k8s.io/kas-network-proxy/proxy-agent:v0.0.37").is_ok());
        assert!(matches!(lookup("nginx:v1.27"), Err(PullError::NotFound(_))));
        let argv = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mongo = "docker.io/library/mongo";
        // The entrypoint puts the server before a first argument that is a flag.
        assert_eq!(
            program_app(mongo, &argv(&["docker-entrypoint.sh", "--bind_ip", "0.0.0.0"])),
            Some(App::Tcp { port: 27017, name: "mongod" })
        );
        assert_eq!(
            program_app("docker.io/library/mysql", &argv(&["docker-entrypoint.sh", "mysqld"])),
            Some(App::Database(&MYSQL))
        );
        assert_eq!(program_app("docker.io/library/python", &argv(&["python3"])), Some(App::ShellExits));
        assert_eq!(
            program_app("x", &argv(&["/proxy-agent", "--health-server-port", "8134"])),
            Some(App::Tcp { port: 8134, name: "proxy-agent" })
        );
        assert_eq!(program_app("x", &argv(&["/proxy-server"])), Some(App::Tcp { port: 8092, name: "proxy-server" }));
        assert_eq!(MYSQL.missing_password(12_000)[0], "2026-01-01 00:00:12+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified");
    }

    #[test]
    fn commands_follow_the_image() {
        let has = |image: &str, program: &str| exec_check(Some(&lookup(image).unwrap()), program).is_ok();
        // BusyBox applets, and no more.
        assert!(has("busybox:1.36", "sleep") && has("busybox:1.36", "/bin/sh") && has("busybox:1.36", "wget"));
        assert!(!has("busybox:1.36", "bash") && !has("busybox:1.36", "stress") && !has("busybox:1.36", "curl"));
        // GNU userland: coreutils and bash, no wget; nginx adds curl.
        assert!(has("debian", "bash") && has("ubuntu", "/usr/bin/env") && !has("debian", "wget"));
        assert!(
            has("nginx:1.27", "/docker-entrypoint.sh") && has("nginx:1.27", "curl") && !has("nginx:1.27", "stress")
        );
        // The root is not on PATH: `/docker-entrypoint.sh` by path only.
        assert!(!has("nginx:1.27", "docker-entrypoint.sh") && has("redis", "docker-entrypoint.sh"));
        // An alpine variant has BusyBox.
        assert!(has("nginx:alpine", "wget") && !has("nginx:alpine", "bash"));
        // Distroless and scratch: their program only.
        assert!(has("registry.k8s.io/kas-network-proxy/proxy-server:v0.0.32", "/proxy-server"));
        assert!(!has("registry.k8s.io/kas-network-proxy/proxy-server:v0.0.32", "sh"));
        assert!(!has("registry.k8s.io/pause:3.9", "sleep"));
        assert!(has("polinux/stress", "stress") && has("registry.k8s.io/e2e-test-images/agnhost:2.40", "/agnhost"));
        // Images outside the catalogue are not checked.
        assert!(has("myorg/shop:1.0", "anything"));
        assert_eq!(
            exec_check(Some(&lookup("nginx").unwrap()), "stress").unwrap_err(),
            "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"stress\": executable file not found in $PATH: unknown"
        );
        assert!(exec_check(Some(&lookup("nginx").unwrap()), "/app")
            .unwrap_err()
            .contains("exec: \"/app\": stat /app: no such file or directory: unknown"));
    }

    #[test]
    fn perl_prints_pi_as_the_job_example_does() {
        let argv = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // kubernetes.io "Jobs": `perl -Mbignum=bpi -wle "print bpi(2000)"`.
        let (code, out, ms) = perl(&argv(&["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]));
        assert_eq!((code, ms), (0, 1000));
        let pi = &out[0];
        assert_eq!(pi.len(), 2001, "2,000 digits and the point");
        assert!(pi.starts_with("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798214808651"));
        // π = …04780275900|9946…: the 2,000th digit is rounded up (checked
        // against Machin's formula in exact integers).
        assert!(pi.ends_with("04780275901"), "{}", &pi[1990..]);
        assert_eq!(&pi[992..1002], "2164201989", "decimals 991 to 1,000");
        assert_eq!(perl(&argv(&["perl", "-Mbignum=bpi", "-le", "print bpi(5)"])).1, ["3.1416"]);
        assert_eq!(perl(&argv(&["perl", "-Mbignum=bpi", "-e", "print bpi(1);"])).1, ["3"]);
        // Without the import, perl does not know bpi.
        assert_eq!(perl(&argv(&["perl", "-wle", "print bpi(10)"])).0, 255);
        // Anything else is not simulated, and says so.
        let (code, out, _) = perl(&argv(&["perl", "-e", "print 1+1"]));
        assert_eq!(code, 2);
        assert!(out[0].starts_with("podplay: this perl program is not simulated"));
        assert_eq!(perl(&argv(&["perl", "-Mbignum=bpi", "-e", "print bpi(2001)"])).0, 2);
        // The image's CMD, with no terminal: exits 0 at once.
        assert_eq!(perl(&argv(&["perl", "-de0"])), (0, vec![], 0));
        assert_eq!(program_app("docker.io/library/perl", &argv(&["perl", "-de0"])), Some(App::Perl));
        assert_eq!(program_app("docker.io/library/busybox", &argv(&["perl"])), None);
    }
}
