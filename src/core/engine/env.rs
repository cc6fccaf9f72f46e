//! What a container's processes see: files (the container's writable layer
//! and the Pod's volumes), DNS, HTTP to Services and Pods, the image's own
//! programs, and the network side of probes.

use super::hostpath;
use super::images::{self, App, ImageInfo, OnTerm};
use super::pod::{AppRt, PodRt, Stage};
use super::{PodTimer, Sim};
use crate::core::api::{
    DownwardApiFile, DownwardApiSource, Handler, KeyToPath, PortRef, Probe, Projection, VolumeSource,
};
use crate::core::shell::{self, HttpOutcome, Program, TermBehaviour};
use crate::core::time::{Millis, SECOND_MS};
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::sync::Arc;

pub use super::files::{Files, MAX_FILES, MAX_FILE_BYTES};

/// podplay's stand-in for a service-account token (a JWT's header and a
/// marker; no cluster can verify it).
pub const SERVICE_ACCOUNT_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.podplay";

/// Directories every image has.
const BASE_DIRS: &[&str] = &[
    "/",
    "/bin",
    "/dev",
    "/etc",
    "/home",
    "/proc",
    "/root",
    "/sbin",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/bin",
    "/usr/local",
    "/usr/local/bin",
    "/usr/share",
    "/var",
    "/var/log",
    "/var/run",
    "/var/tmp",
    "/run",
];

/// `GeneratePodHostNameAndDomain` (pkg/kubelet/kubelet_pods.go): the
/// container's hostname is `spec.hostname` if set (a StatefulSet's or an
/// Indexed Job's Pod), else the Pod's name, cut to 63 characters without a
/// trailing `-` or `.` (`truncatePodHostnameIfNeeded`).
pub fn pod_hostname(pod: &crate::core::api::Pod) -> String {
    let name = pod.spec.hostname.as_deref().filter(|h| !h.is_empty()).unwrap_or(&pod.metadata.name);
    if name.len() <= 63 {
        return name.to_string();
    }
    let cut = (0..=63).rev().find(|&i| name.is_char_boundary(i)).unwrap_or(0);
    name[..cut].trim_end_matches(['-', '.']).to_string()
}

/// The `/etc/hosts` the kubelet writes for a container of `p` (`makeMounts`
/// → `ensureHostsFile`, pkg/kubelet/kubelet_pods.go): `managedHostsFileContent`
/// — the "# Kubernetes-managed hosts file." header, the IPv4 and IPv6
/// localhost lines, the Pod IP with the hostname (`IP\tHOST.DOMAIN\tHOST`
/// when `spec.subdomain` gives the Pod a domain, `SUBDOMAIN.NS.svc.cluster.local`
/// as `GeneratePodHostNameAndDomain` makes it) — then
/// `hostsEntriesFromHostAliases`: a blank line, "# Entries added by
/// HostAliases." and one `IP\tNAME\tNAME…` line per alias. `None` before the
/// Pod has an IP (the kubelet mounts no hosts file then).
pub fn etc_hosts(p: &PodRt) -> Option<String> {
    let ip = p.status.pod_ip?;
    let host = pod_hostname(&p.pod);
    let mut s = String::from("# Kubernetes-managed hosts file.\n");
    s.push_str("127.0.0.1\tlocalhost\n");
    s.push_str("::1\tlocalhost ip6-localhost ip6-loopback\n");
    s.push_str("fe00::0\tip6-localnet\n");
    s.push_str("fe00::0\tip6-mcastprefix\n");
    s.push_str("fe00::1\tip6-allnodes\n");
    s.push_str("fe00::2\tip6-allrouters\n");
    match p.pod.spec.subdomain.as_deref().filter(|d| !d.is_empty()) {
        Some(sub) => {
            let domain = format!("{sub}.{}.svc.cluster.local", p.pod.metadata.namespace);
            s.push_str(&format!("{ip}\t{host}.{domain}\t{host}\n"));
        }
        None => s.push_str(&format!("{ip}\t{host}\n")),
    }
    if !p.pod.spec.host_aliases.is_empty() {
        s.push_str("\n# Entries added by HostAliases.\n");
        for a in &p.pod.spec.host_aliases {
            s.push_str(&format!("{}\t{}\n", a.ip, a.hostnames.join("\t")));
        }
    }
    Some(s)
}

/// The files a fresh container starts with.
pub fn initial_files(namespace: &str, hostname: &str, image: Option<&ImageInfo>) -> Files {
    let mut f = Files::default();
    for d in BASE_DIRS {
        f.dirs.insert(d.to_string());
    }
    f.files.insert("/etc/hostname".into(), format!("{hostname}\n"));
    f.files.insert("/var/run/secrets/kubernetes.io/serviceaccount/namespace".into(), namespace.to_string());
    f.files.insert("/var/run/secrets/kubernetes.io/serviceaccount/token".into(), SERVICE_ACCOUNT_TOKEN.into());
    if let Some(i) = image {
        if i.repository.ends_with("/nginx") {
            f.files.insert(
                "/usr/share/nginx/html/index.html".into(),
                "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n".into(),
            );
            f.files.insert("/usr/share/nginx/html/50x.html".into(), "<h1>An error occurred.</h1>\n".into());
        }
        if i.repository.ends_with("/httpd") {
            f.files.insert(
                "/usr/local/apache2/htdocs/index.html".into(),
                "<html><body><h1>It works!</h1></body></html>\n".into(),
            );
        }
    }
    f
}

fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(i) => &path[..i],
        None => "/",
    }
}

/// The environment of one container's process.
pub struct ContainerEnv<'a> {
    sim: &'a mut Sim,
    slot: u32,
    c: usize,
}

/// Where `path` lives for container `c` of `p`: under the deepest volume
/// mount that contains it (with `subPath` applied), else the container's
/// own writable layer.
fn locate_in(p: &PodRt, c: usize, path: &str) -> Loc {
    let path = normalize_path(path);
    let mut best: Option<(&crate::core::api::VolumeMount, usize)> = None;
    for m in mounts_of(p, c) {
        let mp = normalize_path(&m.mount_path);
        let inside = path == mp || path.starts_with(&format!("{}/", mp.trim_end_matches('/')));
        if inside && best.is_none_or(|(_, l)| mp.len() > l) {
            best = Some((m, mp.len()));
        }
    }
    match best {
        Some((m, len)) => {
            let rel_tail = &path[len.min(path.len())..];
            // A hostPath file is kept under its name in the volume.
            let file = p.pod.spec.volumes.iter().find(|v| v.name == m.name).and_then(|v| match &v.source {
                VolumeSource::HostPath { path, kind } => hostpath::file_name(path, kind),
                _ => None,
            });
            if let Some(name) = file {
                let rel = format!("/{name}{rel_tail}");
                return Loc::Volume { name: m.name.clone(), rel, read_only: m.read_only };
            }
            let sub = m.sub_path.as_deref().map(|s| format!("/{}", s.trim_matches('/'))).unwrap_or_default();
            let rel = normalize_path(&format!("{sub}{rel_tail}"));
            Loc::Volume { name: m.name.clone(), rel, read_only: m.read_only }
        }
        None => Loc::Container(path),
    }
}

/// The volume mounts of container `c` of `p`.
fn mounts_of(p: &PodRt, c: usize) -> &[crate::core::api::VolumeMount] {
    let cr = &p.cs[c];
    let spec =
        if cr.is_init { &p.pod.spec.init_containers[cr.spec_index] } else { &p.pod.spec.containers[cr.spec_index] };
    &spec.volume_mounts
}

/// Where a path lives.
enum Loc {
    Container(String),
    Volume { name: String, rel: String, read_only: bool },
}

impl<'a> ContainerEnv<'a> {
    pub fn new(sim: &'a mut Sim, slot: u32, c: usize) -> ContainerEnv<'a> {
        ContainerEnv { sim, slot, c }
    }

    fn locate(&self, path: &str) -> Option<Loc> {
        let p = self.sim.pod_rt(self.slot)?;
        Some(locate_in(p, self.c, path))
    }

    fn volume_kind(&self, name: &str) -> Option<VolumeSource> {
        let p = self.sim.pod_rt(self.slot)?;
        p.pod.spec.volumes.iter().find(|v| v.name == name).map(|v| v.source.clone())
    }

    fn with_files<R>(&mut self, loc: &Loc, f: impl FnOnce(&mut Files, &str) -> R) -> Option<R> {
        // Files are part of what probes observe.
        self.sim.bump_version(self.slot);
        let p = self.sim.pod_rt_mut(self.slot)?;
        match loc {
            Loc::Container(path) => Some(f(&mut p.cs[self.c].files, path)),
            Loc::Volume { name, rel, .. } => {
                let files = p.volumes.get_or_insert_with(name.clone(), Files::default);
                Some(f(files, rel))
            }
        }
    }

    /// Is `path` a directory above a volume's mount point (which the
    /// runtime creates to mount on)?
    fn holds_mount(&self, path: &str) -> bool {
        let dir = normalize_path(path);
        let prefix = if dir == "/" { dir } else { format!("{dir}/") };
        self.sim
            .pod_rt(self.slot)
            .is_some_and(|p| mounts_of(p, self.c).iter().any(|m| normalize_path(&m.mount_path).starts_with(&prefix)))
    }

    fn read_files<R>(&self, loc: &Loc, f: impl FnOnce(&Files, &str) -> R) -> Option<R> {
        let p = self.sim.pod_rt(self.slot)?;
        match loc {
            Loc::Container(path) => Some(f(&p.cs[self.c].files, path)),
            Loc::Volume { name, rel, .. } => p.volumes.get(name).map(|files| f(files, rel)),
        }
    }
}

impl shell::Env for ContainerEnv<'_> {
    fn file_exists(&self, path: &str) -> bool {
        match self.locate(path) {
            Some(loc) => {
                self.read_files(&loc, |f, p| f.files.contains_key(p) || f.has_dir(p)).unwrap_or(false)
                    || self.holds_mount(path)
            }
            None => false,
        }
    }

    fn is_dir(&self, path: &str) -> bool {
        match self.locate(path) {
            Some(loc) => {
                self.read_files(&loc, |f, p| f.has_dir(p)).unwrap_or(matches!(loc, Loc::Volume { .. }))
                    || self.holds_mount(path)
            }
            None => false,
        }
    }

    fn read_file(&self, path: &str) -> Option<String> {
        let loc = self.locate(path)?;
        self.read_files(&loc, |f, p| f.files.get(p).cloned()).flatten()
    }

    /// What the directory holds where it lives (the container's layer or a
    /// volume), and the volumes mounted right under it.
    fn list_dir(&self, path: &str) -> Vec<String> {
        let Some(loc) = self.locate(path) else { return Vec::new() };
        let mut names = self.read_files(&loc, |f, p| f.children(p)).unwrap_or_default();
        let dir = normalize_path(path);
        if let Some(p) = self.sim.pod_rt(self.slot) {
            for m in mounts_of(p, self.c) {
                let mp = normalize_path(&m.mount_path);
                if mp != dir && parent(&mp) == dir {
                    names.extend(mp.rsplit('/').next().map(str::to_string));
                }
            }
        }
        names.into_iter().collect()
    }

    /// Errors are the bare reason (`Read-only file system`); the shell
    /// utility prefixes its own `sh: can't create FILE: `.
    fn write_file(&mut self, path: &str, data: &str, append: bool) -> Result<(), String> {
        let loc = self.locate(path).ok_or("no such container")?;
        if let Loc::Volume { read_only, name, .. } = &loc {
            let ro_kind = matches!(
                self.volume_kind(name),
                Some(
                    VolumeSource::ConfigMap { .. }
                        | VolumeSource::Secret { .. }
                        | VolumeSource::DownwardApi { .. }
                        | VolumeSource::Projected { .. }
                )
            );
            if *read_only || ro_kind {
                return Err("Read-only file system".into());
            }
        }
        let is_volume = matches!(loc, Loc::Volume { .. });
        self.with_files(&loc, |f, p| {
            let dir = parent(p).to_string();
            let dir_exists = f.has_dir(&dir) || (is_volume && dir == "/");
            if !dir_exists {
                return Err("No such file or directory".into());
            }
            if f.has_dir(p) && p != "/" && !f.files.contains_key(p) {
                return Err("Is a directory".into());
            }
            if f.files.len() >= MAX_FILES && !f.files.contains_key(p) {
                return Err("No space left on device".into());
            }
            let entry = f.files.entry(p.to_string()).or_default();
            if !append {
                entry.clear();
            }
            if entry.len() + data.len() > MAX_FILE_BYTES {
                return Err("No space left on device".into());
            }
            entry.push_str(data);
            Ok(())
        })
        .unwrap_or(Err("no such container".into()))
    }

    fn remove(&mut self, path: &str, recursive: bool) -> bool {
        let Some(loc) = self.locate(path) else { return false };
        self.with_files(&loc, |f, p| {
            if f.files.remove(p).is_some() {
                return true;
            }
            if recursive && f.has_dir(p) {
                let prefix = format!("{p}/");
                f.files.retain(|k, _| !k.starts_with(&prefix));
                f.dirs.retain(|k| k != p && !k.starts_with(&prefix));
                return true;
            }
            false
        })
        .unwrap_or(false)
    }

    fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), String> {
        let shown = path.to_string();
        let loc = self.locate(path).ok_or("no such container")?;
        self.with_files(&loc, |f, p| {
            if f.has_dir(p) {
                return if parents {
                    Ok(())
                } else {
                    Err(format!("mkdir: can't create directory '{shown}': File exists"))
                };
            }
            if !parents && !f.has_dir(parent(p)) {
                return Err(format!("mkdir: can't create directory '{shown}': No such file or directory"));
            }
            let mut cur = String::new();
            for part in p.split('/').filter(|s| !s.is_empty()) {
                cur.push('/');
                cur.push_str(part);
                f.dirs.insert(cur.clone());
            }
            Ok(())
        })
        .unwrap_or(Err("no such container".into()))
    }

    fn log(&mut self, line: &str) {
        if let Some(p) = self.sim.pod_rt_mut(self.slot) {
            p.cs[self.c].files.log(line);
        }
    }

    fn log_repeated(&mut self, lines: &[String], times: usize) {
        if let Some(p) = self.sim.pod_rt_mut(self.slot) {
            p.cs[self.c].files.log_repeated(lines, times);
        }
    }

    fn hostname(&self) -> String {
        self.sim.pod_rt(self.slot).map(|p| pod_hostname(&p.pod)).unwrap_or_default()
    }

    fn resolve(&mut self, name: &str) -> Option<Ipv4Addr> {
        let ns = self.sim.pod_rt(self.slot)?.pod.metadata.namespace.clone();
        if name == "localhost" {
            return Some(Ipv4Addr::LOCALHOST);
        }
        if let Ok(ip) = name.parse() {
            return Some(ip);
        }
        self.sim.resolve(&ns, name)
    }

    fn http_get(&mut self, url: &str, timeout_ms: Millis) -> HttpOutcome {
        let rest = url.strip_prefix("http://").unwrap_or(url);
        if url.starts_with("https://") {
            return HttpOutcome::Refused;
        }
        let (hostport, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => match p.parse::<i32>() {
                Ok(p) => (h, p),
                Err(_) => return HttpOutcome::NoHost,
            },
            None => (hostport, 80),
        };
        let Some(ip) = self.lookup(host) else { return HttpOutcome::NoHost };
        let now = self.sim.now();
        if let Some((code, body)) = super::outside::get(ip, port, path) {
            return HttpOutcome::Status(code, body);
        }
        let target = if ip == Ipv4Addr::LOCALHOST { Some((self.slot, port)) } else { route(self.sim, ip, port) };
        match target {
            Some((slot, port)) => match serve_http(self.sim, slot, port, path, now, true) {
                HttpOutcome::Timeout => {
                    let _ = timeout_ms;
                    HttpOutcome::Timeout
                }
                other => other,
            },
            None => HttpOutcome::Refused,
        }
    }

    fn has_tool(&self, name: &str) -> bool {
        let image = self.sim.pod_rt(self.slot).and_then(|p| p.cs[self.c].image.as_ref());
        image.and_then(|i| i.exec.as_ref()).is_none_or(|exec| images::has_program(exec, name))
    }

    fn program(&mut self, argv: &[String], now: Millis) -> Program {
        self.sim.bump_version(self.slot);
        let Some(p) = self.sim.pod_rt(self.slot) else { return Program::Unknown };
        let image = p.cs[self.c].image.clone();
        let repo = image.as_ref().map(|i| i.repository.clone()).unwrap_or_default();
        let prog = argv.first().map(|s| s.rsplit('/').next().unwrap_or("").to_string()).unwrap_or_default();
        // `nginx -s quit|stop`: ask the running nginx to stop.
        if prog == "nginx" && argv.get(1).map(|s| s.as_str()) == Some("-s") {
            let quit_code = 0;
            let epoch = p.cs[self.c].epoch;
            let has_nginx = p.cs[self.c].app.as_ref().is_some_and(|a| matches!(a.app, App::StaticHttp { .. }));
            if !has_nginx {
                return Program::Exits {
                    after_ms: 0,
                    code: 1,
                    output: vec!["nginx: [error] invalid PID number \"\" in \"/run/nginx.pid\"".into()],
                };
            }
            if let Some(p) = self.sim.pod_rt_mut(self.slot) {
                if let Some(a) = p.cs[self.c].app.as_mut() {
                    a.quitting = true;
                }
            }
            self.sim.schedule(
                now + 100,
                self.slot,
                PodTimer::AppExit { c: self.c as u16, epoch, code: quit_code, oom: false },
            );
            return Program::Exits { after_ms: 0, code: 0, output: vec![] };
        }
        // A program the image does not have: the shell's `not found`, 127.
        if let (Some(exec), Some(name)) = (image.as_ref().and_then(|i| i.exec.as_ref()), argv.first()) {
            if !images::has_program(exec, name) {
                return Program::NotFound;
            }
        }
        let Some(app) = images::program_app(&repo, argv) else { return Program::Unknown };
        let env_has = |name: &str| {
            self.sim.pod_rt(self.slot).is_some_and(|p| {
                let spec = if p.cs[self.c].is_init {
                    &p.pod.spec.init_containers[p.cs[self.c].spec_index]
                } else {
                    &p.pod.spec.containers[p.cs[self.c].spec_index]
                };
                spec.env.iter().any(|e| e.name == name)
            })
        };
        let on_term = image.as_ref().map(|i| i.on_term).unwrap_or(OnTerm::Exit { after_ms: 100, code: 0 });
        let term = match on_term {
            OnTerm::Exit { after_ms, code } => TermBehaviour::Exit { after_ms, code },
            OnTerm::GoRuntimeExit2 => TermBehaviour::Exit { after_ms: 0, code: 2 },
            OnTerm::Default => TermBehaviour::Ignore,
        };
        let startup_ms = self
            .sim
            .pod_rt(self.slot)
            .and_then(|p| p.knob(self.c, "startup-seconds"))
            .and_then(|s| s.parse::<f64>().ok())
            .map(|s| (s.max(0.0) * 1000.0) as Millis)
            .or(image.as_ref().map(|i| i.startup_ms))
            .unwrap_or(1000);
        match app {
            App::ShellExits => Program::Exits { after_ms: 0, code: 0, output: vec![] },
            App::Perl => {
                let (code, output, after_ms) = images::perl(argv);
                Program::Exits { after_ms, code, output }
            }
            App::Database(db) if !db.password_env.iter().any(|v| env_has(v)) => {
                Program::Exits { after_ms: 100, code: 1, output: db.missing_password(now) }
            }
            App::Stress => {
                let bytes = images::stress_memory_bytes(argv) as i64;
                if let Some(p) = self.sim.pod_rt_mut(self.slot) {
                    p.cs[self.c].memory_bytes = Some(bytes);
                    p.cs[self.c].app =
                        Some(AppRt { app: App::Stress, listen_from_ms: now, started_ms: now, quitting: false });
                }
                let (slot, c) = (self.slot, self.c);
                self.sim.check_memory(slot, c);
                Program::Runs { term }
            }
            app => {
                if let Some(p) = self.sim.pod_rt_mut(self.slot) {
                    p.cs[self.c].app =
                        Some(AppRt { app, listen_from_ms: now + startup_ms, started_ms: now, quitting: false });
                }
                Program::Runs { term }
            }
        }
    }

    fn signal_process(&mut self, name: &str, signal: i32) -> bool {
        let Some(p) = self.sim.pod_rt(self.slot) else { return false };
        let Some(app) = p.cs[self.c].app.as_ref() else { return false };
        let prog = match app.app {
            App::StaticHttp { docroot, .. } if docroot.contains("nginx") => "nginx",
            App::StaticHttp { .. } => "httpd",
            App::AgnhostLiveness | App::AgnhostNetexec | App::Pause => "agnhost",
            App::Tcp { name, .. } => name,
            App::Grpc { .. } => "etcd",
            App::Database(db) => db.process,
            App::Stress => "stress",
            App::Generic => "app",
            App::ShellExits => "sh",
            App::Perl => "perl",
        };
        if prog != name || app.quitting {
            return false;
        }
        if signal == 0 {
            return true;
        }
        let epoch = p.cs[self.c].epoch;
        let code = 128 + signal;
        let now = self.sim.now();
        self.sim.schedule(now, self.slot, PodTimer::AppExit { c: self.c as u16, epoch, code, oom: false });
        true
    }
}

/// Where traffic to `ip:port` lands: a Service's ClusterIP load-balances
/// round-robin over its ready endpoints (kube-proxy); a Pod IP is direct.
fn route(sim: &mut Sim, ip: Ipv4Addr, port: i32) -> Option<(u32, i32)> {
    let svc_key = sim.services.iter().find(|(_, s)| s.cluster_ip == Some(ip)).map(|(k, _)| k.clone());
    if let Some(key) = svc_key {
        let svc = sim.services.get_mut(&key)?;
        if !svc.svc.spec.ports.iter().any(|p| p.port == port) {
            return None;
        }
        let ready: Vec<&str> = svc.endpoints.iter().filter(|e| e.ready).map(|e| e.pod_name.as_str()).collect();
        if ready.is_empty() {
            return None;
        }
        let pod_name = ready[svc.rr % ready.len()].to_string();
        svc.rr = svc.rr.wrapping_add(1);
        return service_backend(sim, &key, port, &pod_name);
    }
    let slot = sim
        .pods
        .slots_by_name()
        .find(|&s| sim.pod_rt(s).is_some_and(|p| p.status.pod_ip == Some(ip) && !p.terminal))?;
    Some((slot, port))
}

/// The Pod named `pod_name` behind Service `key`, and the port a request to
/// the Service's `port` reaches on it (its `targetPort`, by number or by the
/// name of a container port).
pub(crate) fn service_backend(sim: &Sim, key: &(String, String), port: i32, pod_name: &str) -> Option<(u32, i32)> {
    let sp = sim.services.get(key)?.svc.spec.ports.iter().find(|p| p.port == port)?;
    let slot = sim.pods.slot(&key.0, pod_name)?;
    let target_port = match &sp.target_port {
        PortRef::Number(n) => *n,
        PortRef::Name(name) => named_port(sim, slot, name)?,
    };
    Some((slot, target_port))
}

fn named_port(sim: &Sim, slot: u32, name: &str) -> Option<i32> {
    let p = sim.pod_rt(slot)?;
    p.pod
        .spec
        .containers
        .iter()
        .chain(p.pod.spec.init_containers.iter())
        .flat_map(|c| c.ports.iter())
        .find(|cp| cp.name.as_deref() == Some(name))
        .map(|cp| cp.container_port)
}

/// The container of Pod `slot` listening on `port`, and its app.
fn listener(sim: &Sim, slot: u32, port: i32, now: Millis) -> Option<(usize, AppRt, bool)> {
    let p = sim.pod_rt(slot)?;
    for (i, c) in p.cs.iter().enumerate() {
        if !matches!(c.stage, Stage::Running | Stage::PostStart | Stage::Stopping) {
            continue;
        }
        let Some(app) = c.app.as_ref() else { continue };
        if app.listen_from_ms > now || app.quitting {
            continue;
        }
        let spec =
            if c.is_init { &p.pod.spec.init_containers[c.spec_index] } else { &p.pod.spec.containers[c.spec_index] };
        let listens = match app.app {
            App::StaticHttp { port: p, .. } | App::Tcp { port: p, .. } | App::Grpc { port: p } => p == port,
            App::AgnhostLiveness | App::AgnhostNetexec => port == 8080,
            App::Database(db) => db.port == port,
            App::Generic => spec.ports.iter().any(|cp| cp.container_port == port),
            App::Pause | App::Stress | App::ShellExits | App::Perl => false,
        };
        if listens {
            return Some((i, app.clone(), c.broken));
        }
    }
    None
}

/// An HTTP GET answered by the app listening on `port` in Pod `slot`.
pub(crate) fn serve_http(sim: &Sim, slot: u32, port: i32, path: &str, now: Millis, want_body: bool) -> HttpOutcome {
    let Some((c, app, broken)) = listener(sim, slot, port, now) else { return HttpOutcome::Refused };
    if broken {
        return HttpOutcome::Timeout;
    }
    let path = match path.bytes().position(|b| b == b'?') {
        Some(i) => &path[..i],
        None => path,
    };
    match app.app {
        App::StaticHttp { docroot, index, .. } => {
            // Read through the container's mounts, as nginx would.
            let view = ReadView { sim, slot, c };
            let found = if path == "/" {
                view.read(index, want_body)
            } else {
                let file = if path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
                view.read(&normalize_path(&format!("{docroot}{file}")), want_body)
            };
            match found {
                Some(body) => HttpOutcome::Status(200, body),
                None if path.ends_with('/') => {
                    HttpOutcome::Status(403, if want_body { "403 Forbidden".into() } else { String::new() })
                }
                None => HttpOutcome::Status(404, if want_body { "404 Not Found".into() } else { String::new() }),
            }
        }
        App::AgnhostLiveness => {
            // test/images/agnhost/liveness/server.go: 200 for 10 s, then 500.
            if path == "/healthz" {
                if now.saturating_sub(app.started_ms) < 10 * SECOND_MS {
                    HttpOutcome::Status(200, "ok".into())
                } else {
                    let secs = now.saturating_sub(app.started_ms) as f64 / 1000.0;
                    HttpOutcome::Status(500, format!("error: {}", crate::core::decimal::fixed(secs, 6)))
                }
            } else {
                HttpOutcome::Status(404, "404 page not found".into())
            }
        }
        App::AgnhostNetexec => {
            let body = match path {
                "/hostname" => sim.pod_rt(slot).map(|p| pod_hostname(&p.pod)).unwrap_or_default(),
                _ => "NOW: 2026-01-01 00:00:00 +0000 UTC".into(),
            };
            HttpOutcome::Status(200, body)
        }
        App::Generic | App::Tcp { .. } | App::Grpc { .. } | App::Database(_) => HttpOutcome::Status(200, "ok".into()),
        App::Pause | App::Stress | App::ShellExits | App::Perl => HttpOutcome::Refused,
    }
}

/// Read-only file access through a container's mounts.
struct ReadView<'a> {
    sim: &'a Sim,
    slot: u32,
    c: usize,
}

impl ReadView<'_> {
    /// The file's content (or an empty string when `want_body` is false).
    fn read(&self, path: &str, want_body: bool) -> Option<String> {
        let p = self.sim.pod_rt(self.slot)?;
        let body = |b: &String| if want_body { b.clone() } else { String::new() };
        let cr = &p.cs[self.c];
        let spec =
            if cr.is_init { &p.pod.spec.init_containers[cr.spec_index] } else { &p.pod.spec.containers[cr.spec_index] };
        if spec.volume_mounts.is_empty() {
            // No mounts: the container's own layer (the common case), without path work.
            return cr.files.files.get(path).map(body);
        }
        match locate_in(p, self.c, path) {
            Loc::Volume { name, rel, .. } => p.volumes.get(&name)?.files.get(&rel).map(body),
            Loc::Container(path) => p.cs[self.c].files.files.get(&path).map(body),
        }
    }
}

fn resolve_port(sim: &Sim, slot: u32, c: usize, port: &PortRef) -> Option<i32> {
    match port {
        PortRef::Number(n) => Some(*n),
        PortRef::Name(name) => {
            let p = sim.pod_rt(slot)?;
            let spec = if p.cs[c].is_init {
                &p.pod.spec.init_containers[p.cs[c].spec_index]
            } else {
                &p.pod.spec.containers[p.cs[c].spec_index]
            };
            spec.ports.iter().find(|cp| cp.name.as_deref() == Some(name.as_str())).map(|cp| cp.container_port)
        }
    }
}

/// Where a probe's `host` leads. The kubelet dials `host` (the Pod's IP
/// when empty: `GetProbeUrl`, pkg/probe/http/request.go; `runProbe`,
/// pkg/kubelet/prober/prober.go, for tcpSocket) from its own network
/// namespace, the node's. So an IP literal is not looked up; the Pod's
/// own IP reaches it; a loopback address or the node's own address reaches
/// it only for a `hostNetwork` Pod (kubernetes.io's konnectivity server
/// probes `127.0.0.1:8134`), otherwise nothing of the Pod listens there;
/// a name the node cannot resolve (podplay resolves none) fails the lookup.
enum ProbeHost {
    /// The Pod's listeners answer, dialled at this address.
    Pod(String),
    /// The node's address: nothing of a non-hostNetwork Pod listens there.
    NothingListens(String),
    Unresolvable(String),
}

fn probe_host(sim: &Sim, slot: u32, host: Option<&str>) -> ProbeHost {
    let Some(p) = sim.pod_rt(slot) else { return ProbeHost::Unresolvable(host.unwrap_or("").into()) };
    let pod_ip = p.status.pod_ip.unwrap_or(Ipv4Addr::UNSPECIFIED);
    let Some(h) = host else { return ProbeHost::Pod(pod_ip.to_string()) };
    let Ok(addr) = h.parse::<std::net::IpAddr>() else { return ProbeHost::Unresolvable(h.into()) };
    let node_ip = p.node.and_then(|n| sim.nodes.get(n)).map(|n| n.cfg.internal_ip);
    let on_node = addr.is_loopback() || Some(addr) == node_ip.map(std::net::IpAddr::V4);
    if addr == std::net::IpAddr::V4(pod_ip) || (on_node && p.pod.spec.host_network) {
        ProbeHost::Pod(h.into())
    } else {
        ProbeHost::NothingListens(h.into())
    }
}

/// A network probe or hook (`pkg/kubelet/prober/prober.go` and the http,
/// tcp and grpc probers): (success, the kubelet's message on failure).
pub fn probe_network(sim: &mut Sim, slot: u32, c: usize, handler: &Handler, timeout_ms: Millis) -> (bool, String) {
    let now = sim.now();
    let ip = sim.pod_rt(slot).and_then(|p| p.status.pod_ip).unwrap_or(Ipv4Addr::UNSPECIFIED);
    let timeout = || crate::core::time::go_duration(timeout_ms);
    match handler {
        Handler::HttpGet { path, port, host, scheme, .. } => {
            let Some(port) = resolve_port(sim, slot, c, port) else {
                return (false, "port not found".into());
            };
            let url =
                || format!("{}://{}:{port}{path}", scheme.to_ascii_lowercase(), host.clone().unwrap_or(ip.to_string()));
            let dialed = match probe_host(sim, slot, host.as_deref()) {
                ProbeHost::Pod(addr) => addr,
                ProbeHost::Unresolvable(h) => {
                    return (false, format!("Get \"{}\": dial tcp: lookup {h}: no such host", url()))
                }
                ProbeHost::NothingListens(addr) => {
                    return (false, format!("Get \"{}\": dial tcp {addr}:{port}: connect: connection refused", url()))
                }
            };
            match serve_http(sim, slot, port, path, now, false) {
                HttpOutcome::Status(code, _) if (200..400).contains(&code) => (true, String::new()),
                HttpOutcome::Status(code, _) => (false, format!("HTTP probe failed with statuscode: {code}")),
                HttpOutcome::Refused | HttpOutcome::NoHost => {
                    (false, format!("Get \"{}\": dial tcp {dialed}:{port}: connect: connection refused", url()))
                }
                HttpOutcome::Timeout => (
                    false,
                    format!(
                        "Get \"{}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
                        url()
                    ),
                ),
            }
        }
        Handler::TcpSocket { port, host } => {
            let Some(port) = resolve_port(sim, slot, c, port) else {
                return (false, "port not found".into());
            };
            let dialed = match probe_host(sim, slot, host.as_deref()) {
                ProbeHost::Pod(addr) => addr,
                ProbeHost::Unresolvable(h) => return (false, format!("dial tcp: lookup {h}: no such host")),
                ProbeHost::NothingListens(addr) => {
                    return (false, format!("dial tcp {addr}:{port}: connect: connection refused"))
                }
            };
            // A hung app still has its socket listening: the kernel accepts.
            match listener(sim, slot, port, now) {
                Some(_) => (true, String::new()),
                None => (false, format!("dial tcp {dialed}:{port}: connect: connection refused")),
            }
        }
        Handler::Grpc { port, service } => {
            let _ = service;
            match listener(sim, slot, *port, now) {
                Some((_, _, true)) => {
                    (false, format!("timeout: health rpc did not complete within {}", timeout()))
                }
                Some((_, app, false)) => match app.app {
                    App::Grpc { .. } => (true, String::new()),
                    _ => (false, "error: health rpc probe failed: rpc error: code = Unimplemented desc = unknown service grpc.health.v1.Health".into()),
                },
                None => (false, format!("timeout: failed to connect service \"{ip}:{port}\" within {}", timeout())),
            }
        }
        Handler::Exec { .. } | Handler::Sleep { .. } => (false, "not a network handler".into()),
    }
}

/// Whether a successful network probe will keep succeeding until something in
/// the Pod changes (its version): true for apps whose answers depend only on
/// their files and state, false for time-dependent ones (agnhost `liveness`),
/// apps not yet listening, and exec probes (which can observe anything).
pub fn probe_outcome_is_stable(sim: &Sim, slot: u32, c: usize, probe: &Probe) -> bool {
    let now = sim.now();
    let port = match &probe.handler {
        Handler::HttpGet { port, host: None, .. } | Handler::TcpSocket { port, host: None } => {
            resolve_port(sim, slot, c, port)
        }
        Handler::Grpc { port, .. } => Some(*port),
        _ => None,
    };
    let Some(port) = port else { return false };
    match listener(sim, slot, port, now) {
        Some((_, app, _)) => !matches!(app.app, App::AgnhostLiveness) && app.listen_from_ms <= now,
        None => false,
    }
}

/// Runs one probe: (success, message for the Unhealthy event).
pub fn run_probe(sim: &mut Sim, slot: u32, c: usize, probe: &Probe) -> (bool, String) {
    let timeout_ms = probe.timeout_seconds.max(1) as Millis * SECOND_MS;
    match &probe.handler {
        Handler::Exec { command } => {
            let broken = sim.pod_rt(slot).is_some_and(|p| p.cs[c].broken);
            if broken {
                // The app is hung: a probe command that asks it anything hangs too.
                return (false, format!("command \"{}\" timed out", command.join(" ")));
            }
            let now = sim.now();
            let mut e = ContainerEnv::new(sim, slot, c);
            let r = shell::exec_probe(command, now, &mut e, timeout_ms);
            if r.timed_out || r.duration_ms > timeout_ms {
                return (false, format!("command \"{}\" timed out", command.join(" ")));
            }
            (r.exit_code == 0, r.output.trim_end().to_string())
        }
        h => probe_network(sim, slot, c, h, timeout_ms),
    }
}

// ---- environment variables ------------------------------------------------

/// `$(VAR)` expansion as the kubelet applies it to env values, `command` and
/// `args` (`third_party/forked/golang/expansion/expand.go`): `$(VAR)` is
/// replaced when VAR is defined and kept as written otherwise; `$$` is an
/// escaped `$`; any other `$` stays.
pub fn expand(input: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(input.len());
    let mut checkpoint = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' && i + 1 < bytes.len() {
            out.push_str(&input[checkpoint..i]);
            match bytes[i + 1] {
                b'$' => {
                    out.push('$');
                    i += 2;
                }
                b'(' => match input[i + 2..].find(')') {
                    Some(len) if len > 0 => {
                        let name = &input[i + 2..i + 2 + len];
                        match lookup(name) {
                            Some(v) => out.push_str(&v),
                            None => {
                                out.push_str("$(");
                                out.push_str(name);
                                out.push(')');
                            }
                        }
                        i += 3 + len;
                    }
                    // `$(` without a closing paren, or `$()`: kept as written.
                    Some(_) => {
                        out.push_str("$()");
                        i += 3;
                    }
                    None => {
                        out.push_str(&input[i..]);
                        i = bytes.len();
                    }
                },
                _ => {
                    out.push('$');
                    i += 1;
                    checkpoint = i;
                    continue;
                }
            }
            checkpoint = i;
        } else {
            i += 1;
        }
    }
    if checkpoint < bytes.len() {
        out.push_str(&input[checkpoint..]);
    }
    out
}

/// The value of a `fieldRef` (`podFieldSelectorRuntimeValue` in
/// `pkg/kubelet/kubelet_pods.go`, then `fieldpath.ExtractFieldPathAsString`).
fn field_ref_value(p: &PodRt, field_path: &str) -> String {
    let subscript = |prefix: &str| -> Option<String> {
        let rest = field_path.strip_prefix(prefix)?.strip_prefix("['")?.strip_suffix("']")?;
        Some(rest.to_string())
    };
    let meta = &p.pod.metadata;
    match field_path {
        "metadata.name" => meta.name.clone(),
        "metadata.namespace" => meta.namespace.clone(),
        "metadata.uid" => p.server.uid.clone(),
        "spec.nodeName" => p.node_name().unwrap_or_default(),
        "spec.serviceAccountName" => p.pod.spec.service_account_name.clone(),
        "status.hostIP" | "status.hostIPs" => p.status.host_ip.map(|ip| ip.to_string()).unwrap_or_default(),
        "status.podIP" | "status.podIPs" => p.status.pod_ip.map(|ip| ip.to_string()).unwrap_or_default(),
        _ => {
            if let Some(k) = subscript("metadata.labels") {
                meta.labels.get(&k).cloned().unwrap_or_default()
            } else if let Some(k) = subscript("metadata.annotations") {
                meta.annotations.get(&k).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        }
    }
}

/// The value of a `resourceFieldRef` (`ExtractContainerResourceValue`,
/// pkg/api/v1/resource/helpers.go): the container's limit or request in
/// units of `divisor` (millicores for CPU, bytes for memory; 0 means the
/// default 1), rounded up. A limit that is not set (or 0) is the node's
/// allocatable (`MergeContainerResourceLimits`); a request that is not set
/// was defaulted to the limit by the API server, else it is 0.
fn resource_value(sim: &Sim, p: &PodRt, spec: &crate::core::api::Container, resource: &str, divisor: i64) -> String {
    let node = p.node.and_then(|n| sim.nodes.get(n)).map(|n| (n.cfg.cpu_millis, n.cfg.memory_bytes)).unwrap_or((0, 0));
    let r = &spec.resources;
    let unit = if divisor > 0 {
        divisor
    } else if resource.ends_with(".cpu") {
        1000
    } else {
        1
    };
    let ceil = |v: i64| if v <= 0 { 0 } else { v / unit + i64::from(v % unit != 0) };
    let set = |v: Option<i64>| v.filter(|&v| v != 0);
    match resource {
        "limits.cpu" => ceil(set(r.limits.cpu_millis).unwrap_or(node.0)).to_string(),
        "limits.memory" => ceil(set(r.limits.memory_bytes).unwrap_or(node.1)).to_string(),
        "requests.cpu" => ceil(r.requests.cpu_millis.or(r.limits.cpu_millis).unwrap_or(0)).to_string(),
        "requests.memory" => ceil(r.requests.memory_bytes.or(r.limits.memory_bytes).unwrap_or(0)).to_string(),
        _ => String::new(),
    }
}

/// The environment of container `c`, as `makeEnvironmentVariables`
/// (`pkg/kubelet/kubelet_pods.go`) builds it when the container is created:
/// each `env` entry in order, `value` with `$(VAR)` expanded from the ones
/// before it, `valueFrom` read from the ConfigMap, Secret or Pod. A missing
/// non-optional ConfigMap, Secret or key is an error with the kubelet's
/// message; the container then waits with CreateContainerConfigError.
/// The container's own variables (`envFrom`, then `env`) and the Service
/// variables of its namespace (shared; the container's own names win).
pub type ContainerVars = (Vec<(String, String)>, Arc<Vec<(String, String)>>);

pub fn container_env(sim: &Sim, slot: u32, c: usize) -> Result<ContainerVars, String> {
    use crate::core::api::EnvVarSource;
    let Some(p) = sim.pod_rt(slot) else { return Ok((Vec::new(), sim.services.default_env())) };
    let cr = &p.cs[c];
    let spec =
        if cr.is_init { &p.pod.spec.init_containers[cr.spec_index] } else { &p.pod.spec.containers[cr.spec_index] };
    let ns = &p.pod.metadata.namespace;
    let mut vars: Vec<(String, String)> = Vec::with_capacity(spec.env.len());
    let set =
        |vars: &mut Vec<(String, String)>, name: String, value: String| match vars.iter_mut().find(|(k, _)| *k == name)
        {
            Some(slot) => slot.1 = value,
            None => vars.push((name, value)),
        };
    // `envFrom` first, in order, each key of the ConfigMap or Secret.
    for from in &spec.env_from {
        let key = (ns.clone(), from.name.clone());
        let data = if from.config_map {
            sim.config_maps.get(&key).map(|c| &c.data)
        } else {
            sim.secrets.get(&key).map(|s| &s.data)
        };
        match data {
            Some(data) => {
                for (k, v) in data {
                    set(&mut vars, format!("{}{k}", from.prefix), v.clone());
                }
            }
            None if from.optional => {}
            None if from.config_map => return Err(format!("configmap \"{}\" not found", from.name)),
            None => return Err(format!("secret \"{}\" not found", from.name)),
        }
    }
    let services = sim.services.env_of(ns);
    for e in &spec.env {
        let value = match (&e.value_from, &e.value) {
            (None, value) => {
                let lookup =
                    |name: &str| vars.iter().chain(services.iter()).find(|(k, _)| k == name).map(|(_, v)| v.clone());
                expand(value.as_deref().unwrap_or(""), &lookup)
            }
            (Some(EnvVarSource::ConfigMapKey { name, key, optional }), _) => {
                match sim.config_maps.get(&(ns.clone(), name.clone())) {
                    None if *optional => continue,
                    None => return Err(format!("configmap \"{name}\" not found")),
                    Some(cm) => match cm.data.get(key) {
                        Some(v) => v.clone(),
                        None if *optional => continue,
                        None => return Err(format!("couldn't find key {key} in ConfigMap {ns}/{name}")),
                    },
                }
            }
            (Some(EnvVarSource::SecretKey { name, key, optional }), _) => {
                match sim.secrets.get(&(ns.clone(), name.clone())) {
                    None if *optional => continue,
                    None => return Err(format!("secret \"{name}\" not found")),
                    Some(s) => match s.data.get(key) {
                        Some(v) => v.clone(),
                        None if *optional => continue,
                        None => return Err(format!("couldn't find key {key} in Secret {ns}/{name}")),
                    },
                }
            }
            (Some(EnvVarSource::Field { field_path }), _) => field_ref_value(p, field_path),
            (Some(EnvVarSource::ResourceField { resource }), _) => resource_value(sim, p, spec, resource, 0),
        };
        set(&mut vars, e.name.clone(), value);
    }
    Ok((vars, services))
}

/// The variables the kubelet adds for Services (`getServiceEnvVarMap`,
/// pkg/kubelet/kubelet_pods.go; `FromServices`, pkg/kubelet/envvars): the
/// `kubernetes` Service of `default` always, and, with service links on
/// (the default), every Service with a cluster IP in the Pod's namespace
/// that exists when the container is created: `NAME_SERVICE_HOST`,
/// `NAME_SERVICE_PORT[_PORTNAME]` and Docker link variables.
pub(crate) fn service_env(sim: &Sim, ns: &str) -> Vec<(String, String)> {
    // Names, port names and protocols are validated ASCII, so the ASCII case
    // mappings give what Go's strings.ToUpper/ToLower give (pkg/kubelet/envvars).
    let var_name = |s: &str| s.replace('-', "_").to_ascii_uppercase();
    let mut out = Vec::new();
    let mut add = |name: &str, ip: &str, ports: &[(Option<&str>, i32, &str)]| {
        let Some(&(_, first, _)) = ports.first() else { return };
        let prefix = var_name(name);
        out.push((format!("{prefix}_SERVICE_HOST"), ip.to_string()));
        out.push((format!("{prefix}_SERVICE_PORT"), first.to_string()));
        for (port_name, port, _) in ports {
            if let Some(n) = port_name {
                out.push((format!("{prefix}_SERVICE_PORT_{}", var_name(n)), port.to_string()));
            }
        }
        for (i, (_, port, protocol)) in ports.iter().enumerate() {
            let proto = protocol.to_ascii_lowercase();
            let url = format!("{proto}://{ip}:{port}");
            if i == 0 {
                out.push((format!("{prefix}_PORT"), url.clone()));
            }
            let pp = format!("{prefix}_PORT_{port}_{}", protocol.to_ascii_uppercase());
            out.push((pp.clone(), url));
            out.push((format!("{pp}_PROTO"), proto));
            out.push((format!("{pp}_PORT"), port.to_string()));
            out.push((format!("{pp}_ADDR"), ip.to_string()));
        }
    };
    let in_ns: Vec<_> = sim.services.iter().filter(|((sns, name), _)| sns == ns && name != "kubernetes").collect();
    add("kubernetes", "10.96.0.1", &[(Some("https"), 443, "TCP")]);
    for ((_, name), svc) in in_ns {
        let Some(ip) = svc.cluster_ip else { continue };
        let ports: Vec<(Option<&str>, i32, &str)> =
            svc.svc.spec.ports.iter().map(|p| (p.name.as_deref(), p.port, p.protocol.as_str())).collect();
        add(name, &ip.to_string(), &ports);
    }
    out
}

/// Puts a volume file at `path` (relative to the volume), creating its
/// parent directories.
fn put_file(files: &mut Files, path: &str, content: String) {
    let path = normalize_path(path);
    let mut dir = parent(&path).to_string();
    while dir != "/" && !dir.is_empty() {
        files.dirs.insert(dir.clone());
        dir = parent(&dir).to_string();
    }
    files.files.insert(path, content);
}

/// The files of a configMap or secret (volume or projection): every key
/// named by the key when `items` is empty, else only the listed keys at
/// their paths (`MakePayload` in pkg/volume/configmap and pkg/volume/secret:
/// a listed key that is missing fails the mount unless the source is
/// optional). A missing object fails unless optional, with the kubelet's
/// message.
fn object_files(
    sim: &Sim,
    ns: &str,
    config_map: bool,
    name: &str,
    optional: bool,
    items: &[KeyToPath],
    files: &mut Files,
) -> Result<(), String> {
    let key = (ns.to_string(), name.to_string());
    let data =
        if config_map { sim.config_maps.get(&key).map(|c| &c.data) } else { sim.secrets.get(&key).map(|s| &s.data) };
    let empty = BTreeMap::new();
    let data = match data {
        Some(d) => d,
        None if optional => &empty,
        None if config_map => return Err(format!("configmap \"{name}\" not found")),
        None => return Err(format!("secret \"{name}\" not found")),
    };
    if items.is_empty() {
        for (k, v) in data {
            files.files.insert(normalize_path(k), v.clone());
        }
        return Ok(());
    }
    for item in items {
        match data.get(&item.key) {
            Some(v) => put_file(files, &item.path, v.clone()),
            None if optional => {}
            None if config_map => return Err(format!("configmap references non-existent config key: {}", item.key)),
            None => return Err(format!("references non-existent secret key: {}", item.key)),
        }
    }
    Ok(())
}

/// `fieldpath.FormatMap`: `key="value"` lines in key order, the value
/// quoted as Go's `%q` does, no newline after the last.
pub fn format_map(m: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (k, v) in m {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(&crate::core::gofmt::quote(v));
    }
    out
}

/// The Pod's annotations as the kubelet's copy of the Pod has them, which
/// is what a downwardAPI volume reads: the kubelet's config source adds
/// `kubernetes.io/config.seen` (when it first saw the Pod, RFC 3339 with
/// the fraction Go's `RFC3339Nano` prints) and `kubernetes.io/config.source`
/// (`api`) (pkg/kubelet/config/config.go `recordFirstSeenTime`,
/// `updateAnnotations`; kubernetes.io "Well-Known Labels, Annotations and
/// Taints").
fn kubelet_annotations(p: &PodRt) -> BTreeMap<String, String> {
    let mut a = p.pod.metadata.annotations.clone();
    let seen = crate::core::time::rfc3339(p.admitted_ms);
    let seen = match p.admitted_ms % 1000 {
        0 => seen,
        ms => {
            let frac = format!("{ms:03}");
            format!("{}.{}Z", &seen[..seen.len() - 1], frac.trim_end_matches('0'))
        }
    };
    a.insert("kubernetes.io/config.seen".to_string(), seen);
    a.insert("kubernetes.io/config.source".to_string(), "api".to_string());
    a
}

/// A downwardAPI item's content (`CollectData`, pkg/volume/downwardapi):
/// `fieldpath.ExtractFieldPathAsString` for a `fieldRef`,
/// `ExtractResourceValueByContainerNameAndNodeAllocatable` for a
/// `resourceFieldRef` (a limit that is not set is the node's allocatable).
/// `Ok(None)` for what podplay does not model (ephemeral storage, huge pages).
fn downward_value(sim: &Sim, p: &PodRt, source: &DownwardApiSource) -> Result<Option<String>, String> {
    let meta = &p.pod.metadata;
    match source {
        DownwardApiSource::Field { field_path } => Ok(Some(match field_path.as_str() {
            "metadata.labels" => format_map(&meta.labels),
            "metadata.annotations" => format_map(&kubelet_annotations(p)),
            "metadata.annotations['kubernetes.io/config.seen']"
            | "metadata.annotations['kubernetes.io/config.source']" => {
                let key = &field_path["metadata.annotations['".len()..field_path.len() - 2];
                kubelet_annotations(p).remove(key).unwrap_or_default()
            }
            // name, namespace, uid and subscripted labels/annotations read
            // as an env var's fieldRef does.
            other => field_ref_value(p, other),
        })),
        DownwardApiSource::ResourceField { container_name, resource, divisor, .. } => {
            let spec = &p.pod.spec;
            let Some(c) = spec.containers.iter().chain(&spec.init_containers).find(|c| c.name == *container_name)
            else {
                return Err(format!("container {container_name} not found"));
            };
            if !(resource.ends_with(".cpu") || resource.ends_with(".memory")) {
                return Ok(None);
            }
            Ok(Some(resource_value(sim, p, c, resource, *divisor)))
        }
    }
}

/// What a configMap, secret, downwardAPI or projected volume holds
/// (`pkg/volume/configmap`, `secret`, `downwardapi`, `projected`), or a
/// `hostPath` volume that is a file ([`hostpath`]). `Ok(None)` for a volume
/// of another kind or a `hostPath` directory; `Err` with the kubelet's message when a
/// source is missing and not optional, or an item cannot be read
/// (`MountVolume.SetUp failed ...`; a projected volume aggregates its
/// sources' errors as `utilerrors.NewAggregate` prints them).
pub fn volume_files(sim: &Sim, p: &PodRt, source: &VolumeSource) -> Result<Option<Files>, String> {
    let ns = &p.pod.metadata.namespace;
    let mut files = Files::default();
    match source {
        VolumeSource::ConfigMap { name, optional, items } => {
            object_files(sim, ns, true, name, *optional, items, &mut files)?
        }
        VolumeSource::Secret { secret_name, optional, items } => {
            object_files(sim, ns, false, secret_name, *optional, items, &mut files)?
        }
        VolumeSource::DownwardApi { items } => downward_files(sim, p, items, &mut files).map_err(aggregate)?,
        VolumeSource::HostPath { path, kind } => {
            let node = p.node_name().unwrap_or_default();
            match (hostpath::mount(&node, path, kind)?, hostpath::file_name(path, kind)) {
                (hostpath::Mounted::File(text), Some(name)) => put_file(&mut files, &name, text),
                _ => return Ok(None),
            }
        }
        VolumeSource::Projected { sources } => {
            let mut errors = Vec::new();
            for s in sources {
                let r = match s {
                    Projection::ConfigMap { name, optional, items } => {
                        object_files(sim, ns, true, name, optional.unwrap_or(false), items, &mut files)
                            .map_err(|e| vec![e])
                    }
                    Projection::Secret { name, optional, items } => {
                        object_files(sim, ns, false, name, optional.unwrap_or(false), items, &mut files)
                            .map_err(|e| vec![e])
                    }
                    Projection::DownwardApi { items } => {
                        downward_files(sim, p, items, &mut files).map_err(|e| vec![aggregate(e)])
                    }
                    // A token from the TokenRequest API: podplay's stand-in JWT,
                    // the same as the default service-account token file.
                    Projection::ServiceAccountToken { path, .. } => {
                        put_file(&mut files, path, SERVICE_ACCOUNT_TOKEN.to_string());
                        Ok(())
                    }
                    Projection::Other(_) => Ok(()),
                };
                if let Err(e) = r {
                    errors.extend(e);
                }
            }
            if !errors.is_empty() {
                return Err(aggregate(errors));
            }
        }
        _ => return Ok(None),
    }
    Ok(Some(files))
}

/// `downwardapi.CollectData`: every item, errors collected.
fn downward_files(sim: &Sim, p: &PodRt, items: &[DownwardApiFile], files: &mut Files) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    for f in items {
        match downward_value(sim, p, &f.source) {
            Ok(Some(v)) => put_file(files, &f.path, v),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// `utilerrors.NewAggregate(...).Error()`: one message as it is, more in
/// brackets, duplicates dropped.
fn aggregate(errors: Vec<String>) -> String {
    let mut seen = BTreeSet::new();
    let unique: Vec<String> = errors.into_iter().filter(|e| seen.insert(e.clone())).collect();
    if unique.len() == 1 {
        unique.into_iter().next().unwrap_or_default()
    } else {
        format!("[{}]", unique.join(", "))
    }
}

#[cfg(test)]
mod expand_tests {
    use super::expand;

    #[test]
    fn expands_like_the_kubelet() {
        let lookup = |n: &str| match n {
            "A" => Some("1".to_string()),
            "B" => Some("two".to_string()),
            _ => None,
        };
        assert_eq!(expand("$(A)-$(B)", &lookup), "1-two");
        assert_eq!(expand("$(C) stays", &lookup), "$(C) stays");
        assert_eq!(expand("$$(A) escaped", &lookup), "$(A) escaped");
        assert_eq!(expand("$A and $", &lookup), "$A and $");
        assert_eq!(expand("$(A", &lookup), "$(A");
        assert_eq!(expand("x$()y", &lookup), "x$()y");
        assert_eq!(expand("héllo $(B)é", &lookup), "héllo twoé");
    }
}
