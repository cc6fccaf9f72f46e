//! The image catalogue's data: each well-known image's names, size, ENTRYPOINT
//! and CMD, start-up time, SIGTERM handling, memory, tag variants, and what
//! it can exec (its userland and its own programs). One place for all of it;
//! [`super`] holds the rules that read it (which images pull, which commands
//! run). Each entry follows its Dockerfile (docker-library/official-images
//! for Docker Hub's official images, kubernetes/kubernetes test/images and
//! cluster/images for registry.k8s.io's).

use super::OnTerm;
use crate::core::time::Millis;

/// The userland an image ships: which names `command[0]` can give without a
/// path, besides the image's own programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tools {
    /// BusyBox's applets (the busybox image; Alpine-based images).
    Busybox,
    /// A GNU userland (Debian, Ubuntu, Fedora, Oracle Linux): coreutils,
    /// bash, grep, sed, awk, find, tar; no wget, curl or nslookup.
    Gnu,
    /// Nothing but the image's own programs (scratch, distroless).
    Nothing,
}

/// What an image can exec: its userland and its own programs (full paths).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Executables {
    pub tools: Tools,
    pub own: &'static [&'static str],
}

/// BusyBox 1.36's applets as the busybox image installs them (`busybox
/// --list`; the hardware, init and mail ones left out), each in /bin, /sbin,
/// /usr/bin or /usr/sbin.
#[rustfmt::skip]
pub(super) const BUSYBOX_APPLETS: &[&str] = &[
    "[", "[[", "addgroup", "adduser", "ar", "arch", "arp", "arping", "ash", "awk", "base32", "base64", "basename",
    "bc", "blkid", "brctl", "bunzip2", "busybox", "bzcat", "bzip2", "cal", "cat", "chattr", "chgrp", "chmod", "chown",
    "chpasswd", "chroot", "cksum", "clear", "cmp", "comm", "cp", "cpio", "crond", "crontab", "cut", "date", "dc",
    "dd", "delgroup", "deluser", "df", "diff", "dirname", "dmesg", "dnsdomainname", "dos2unix", "du", "echo", "ed",
    "egrep", "env", "expand", "expr", "factor", "fallocate", "false", "fgrep", "find", "flock", "fold", "free",
    "fsync", "ftpget", "ftpput", "fuser", "getopt", "grep", "groups", "gunzip", "gzip", "halt", "hd", "head",
    "hexdump", "hostid", "hostname", "httpd", "hush", "id", "ifconfig", "install", "ionice", "iostat", "ip", "ipcalc",
    "kill", "killall", "killall5", "less", "link", "ln", "logger", "login", "logname", "ls", "lsof", "lzcat",
    "md5sum", "mkdir", "mkfifo", "mknod", "mktemp", "more", "mount", "mountpoint", "mpstat", "mv", "nc", "netstat",
    "nice", "nl", "nohup", "nproc", "nslookup", "od", "passwd", "paste", "patch", "pgrep", "pidof", "ping", "ping6",
    "pkill", "pmap", "printenv", "printf", "ps", "pstree", "pwd", "pwdx", "readlink", "realpath", "renice", "reset",
    "rev", "rm", "rmdir", "route", "run-parts", "sed", "seq", "setsid", "sh", "sha1sum", "sha256sum", "sha3sum",
    "sha512sum", "shred", "shuf", "sleep", "sort", "split", "stat", "strings", "stty", "su", "sum", "sync", "sysctl",
    "tac", "tail", "tar", "taskset", "tee", "telnet", "test", "tftp", "time", "timeout", "top", "touch", "tr",
    "traceroute", "tree", "true", "truncate", "tty", "umount", "uname", "unexpand", "uniq", "unlink", "unshare",
    "unxz", "unzip", "uptime", "usleep", "uudecode", "uuencode", "vi", "watch", "wc", "wget", "which", "who",
    "whoami", "xargs", "xxd", "xz", "xzcat", "yes", "zcat",
];

/// A GNU base system's commands (Debian's required packages: coreutils,
/// bash, dash, grep, sed, mawk, findutils, tar, gzip, util-linux, hostname).
#[rustfmt::skip]
pub(super) const GNU_COMMANDS: &[&str] = &[
    "[", "arch", "awk", "b2sum", "base32", "base64", "basename", "basenc", "bash", "cat", "chcon", "chgrp", "chmod",
    "chown", "chroot", "cksum", "cmp", "comm", "cp", "csplit", "cut", "dash", "date", "dd", "df", "diff", "dir",
    "dircolors", "dirname", "du", "echo", "egrep", "env", "expand", "expr", "factor", "false", "fgrep", "find", "fmt",
    "fold", "getopt", "grep", "groups", "gunzip", "gzip", "head", "hostid", "hostname", "id", "install", "join",
    "link", "ln", "login", "logname", "ls", "md5sum", "mkdir", "mkfifo", "mknod", "mktemp", "more", "mount", "mv",
    "nice", "nl", "nohup", "nproc", "numfmt", "od", "paste", "pathchk", "pr", "printenv", "printf", "pwd", "readlink",
    "realpath", "rm", "rmdir", "sed", "seq", "sh", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum",
    "shred", "shuf", "sleep", "sort", "split", "stat", "stdbuf", "stty", "su", "sum", "sync", "tac", "tail", "tar",
    "tee", "test", "timeout", "touch", "tr", "true", "truncate", "tsort", "tty", "umount", "uname", "unexpand",
    "uniq", "unlink", "users", "vdir", "wc", "who", "whoami", "xargs", "yes", "zcat",
];

/// Where a name without a `/` is looked for (the images' default PATH).
pub(super) const PATH_DIRS: &[&str] = &["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/// A database image's server and what its entrypoint checks first.
#[derive(Debug, PartialEq, Eq)]
pub struct Database {
    /// The server's process name.
    pub process: &'static str,
    pub port: i32,
    /// The entrypoint starts the server when one of these is set …
    pub password_env: &'static [&'static str],
    /// … else prints this (to stderr) and exits 1.
    missing_password: &'static [&'static str],
    /// The first line is a `mysql_log` line: `date --rfc-3339=seconds`, then
    /// `[ERROR] [Entrypoint]: `.
    logged: bool,
}

impl Database {
    /// What the entrypoint prints, at `now`, when no password variable is set.
    pub fn missing_password(&self, now: Millis) -> Vec<String> {
        let mut lines: Vec<String> = self.missing_password.iter().map(|l| l.to_string()).collect();
        if let (true, Some(first)) = (self.logged, lines.first_mut()) {
            let stamp = crate::core::time::rfc3339(now).replace('T', " ").replace('Z', "+00:00");
            *first = format!("{stamp} [ERROR] [Entrypoint]: {first}");
        }
        lines
    }
}

/// postgres's docker-entrypoint.sh `docker_verify_minimum_env`.
pub static POSTGRES: Database = Database {
    process: "postgres",
    port: 5432,
    password_env: &["POSTGRES_PASSWORD"],
    missing_password: &[
        "Error: Database is uninitialized and superuser password is not specified.",
        "       You must specify POSTGRES_PASSWORD to a non-empty value for the",
        "       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".",
    ],
    logged: false,
};

/// mysql's docker-entrypoint.sh `docker_verify_minimum_env` (`mysql_error`).
pub static MYSQL: Database = Database {
    process: "mysqld",
    port: 3306,
    password_env: &["MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD"],
    missing_password: &[
        "Database is uninitialized and password option is not specified",
        "\tYou need to specify one of the following as an environment variable:",
        "\t- MYSQL_ROOT_PASSWORD",
        "\t- MYSQL_ALLOW_EMPTY_PASSWORD",
        "\t- MYSQL_RANDOM_ROOT_PASSWORD",
    ],
    logged: true,
};

pub(super) struct Entry {
    pub(super) names: &'static [&'static str],
    pub(super) size_mb: u64,
    /// Size of the `slim` and `alpine` variants (0: the same).
    pub(super) slim_mb: u64,
    pub(super) entrypoint: &'static [&'static str],
    pub(super) cmd: &'static [&'static str],
    pub(super) startup_ms: Millis,
    pub(super) on_term: OnTerm,
    pub(super) memory_mb: u64,
    pub(super) variants: &'static [&'static str],
    /// Tags are `v1.2.3` (registry.k8s.io's style), not `1.2.3`.
    pub(super) v_tags: bool,
    /// What it can exec; None: not checked. The `alpine` variants of a GNU
    /// image have BusyBox instead.
    pub(super) exec: Option<Executables>,
}

const NGINX_TERM: OnTerm = OnTerm::Exit { after_ms: 100, code: 0 };

const BASE: Entry = Entry {
    names: &[],
    size_mb: 0,
    slim_mb: 0,
    entrypoint: &[],
    cmd: &[],
    startup_ms: 0,
    on_term: OnTerm::Default,
    memory_mb: 1,
    variants: &[],
    v_tags: false,
    exec: None,
};

const fn gnu(own: &'static [&'static str]) -> Option<Executables> {
    Some(Executables { tools: Tools::Gnu, own })
}

const fn busybox(own: &'static [&'static str]) -> Option<Executables> {
    Some(Executables { tools: Tools::Busybox, own })
}

const fn only(own: &'static [&'static str]) -> Option<Executables> {
    Some(Executables { tools: Tools::Nothing, own })
}

/// The catalogue. Sizes are the compressed amd64 image sizes, rounded; each
/// image's ENTRYPOINT, CMD and programs are those of its Dockerfile
/// (docker-library/official-images for the Docker Hub ones).
pub(super) const CATALOGUE: &[Entry] = &[
    Entry {
        names: &["docker.io/library/nginx"],
        size_mb: 70,
        slim_mb: 20,
        entrypoint: &["/docker-entrypoint.sh"],
        cmd: &["nginx", "-g", "daemon off;"],
        startup_ms: 500,
        on_term: NGINX_TERM,
        memory_mb: 8,
        variants: &["alpine", "stable", "mainline", "perl", "alpine-slim", "bookworm"],
        exec: gnu(&["/docker-entrypoint.sh", "/usr/sbin/nginx", "/usr/bin/curl", "/usr/bin/envsubst"]),
        ..BASE
    },
    Entry {
        names: &["docker.io/library/httpd"],
        size_mb: 58,
        slim_mb: 22,
        cmd: &["httpd-foreground"],
        startup_ms: 500,
        on_term: OnTerm::Exit { after_ms: 100, code: 0 },
        memory_mb: 10,
        variants: &["alpine", "bookworm"],
        exec: gnu(&[
            "/usr/local/bin/httpd-foreground",
            "/usr/local/apache2/bin/httpd",
            "/usr/local/apache2/bin/apachectl",
        ]),
        ..BASE
    },
    Entry {
        names: &["docker.io/library/busybox", "registry.k8s.io/busybox", "k8s.gcr.io/busybox"],
        size_mb: 2,
        cmd: &["sh"],
        variants: &["musl", "glibc", "uclibc", "stable"],
        exec: busybox(&["/bin/busybox"]),
        ..BASE
    },
    Entry {
        names: &["docker.io/library/alpine"],
        size_mb: 4,
        cmd: &["/bin/sh"],
        variants: &["edge"],
        exec: busybox(&["/sbin/apk"]),
        ..BASE
    },
    Entry {
        // The official bash image (Alpine based), used by the Job docs.
        names: &["docker.io/library/bash"],
        size_mb: 6,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["bash"],
        variants: &["devel", "alpine"],
        exec: busybox(&["/usr/local/bin/bash", "/usr/local/bin/docker-entrypoint.sh", "/sbin/apk"]),
        ..BASE
    },
    Entry {
        names: &["docker.io/library/debian", "docker.io/library/ubuntu"],
        size_mb: 49,
        slim_mb: 29,
        cmd: &["bash"],
        variants: &["bookworm", "bookworm-slim", "bullseye", "stable", "jammy", "noble", "slim"],
        exec: gnu(&["/usr/bin/apt-get", "/usr/bin/apt", "/usr/bin/dpkg", "/usr/bin/perl"]),
        ..BASE
    },
    Entry {
        // fedora's CMD is `/bin/bash` (fedora-cloud/docker-brew-fedora).
        names: &["docker.io/library/fedora"],
        size_mb: 65,
        cmd: &["/bin/bash"],
        variants: &["rawhide", "latest"],
        exec: gnu(&["/usr/bin/dnf", "/usr/bin/curl"]),
        ..BASE
    },
    Entry {
        names: &["docker.io/library/redis"],
        size_mb: 45,
        slim_mb: 17,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["redis-server"],
        startup_ms: 300,
        on_term: OnTerm::Exit { after_ms: 200, code: 0 },
        memory_mb: 10,
        variants: &["alpine", "bookworm"],
        exec: gnu(&[
            "/usr/local/bin/docker-entrypoint.sh",
            "/usr/local/bin/redis-server",
            "/usr/local/bin/redis-cli",
            "/usr/local/bin/gosu",
        ]),
        ..BASE
    },
    Entry {
        names: &["docker.io/library/postgres"],
        size_mb: 150,
        slim_mb: 100,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["postgres"],
        startup_ms: 3000,
        on_term: OnTerm::Exit { after_ms: 500, code: 0 },
        memory_mb: 40,
        variants: &["alpine", "bookworm"],
        exec: gnu(&[
            "/usr/local/bin/docker-entrypoint.sh",
            "/usr/local/bin/gosu",
            "/usr/lib/postgresql/bin/postgres",
            "/usr/lib/postgresql/bin/psql",
            "/usr/lib/postgresql/bin/pg_ctl",
            "/usr/lib/postgresql/bin/pg_isready",
        ]),
        ..BASE
    },
    Entry {
        // Oracle Linux based; the first start initialises the data directory.
        names: &["docker.io/library/mysql"],
        size_mb: 170,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["mysqld"],
        startup_ms: 8000,
        on_term: OnTerm::Exit { after_ms: 1000, code: 0 },
        memory_mb: 360,
        variants: &["lts", "innovation", "oracle", "debian"],
        exec: gnu(&[
            "/usr/local/bin/docker-entrypoint.sh",
            "/usr/local/bin/gosu",
            "/usr/sbin/mysqld",
            "/usr/bin/mysql",
            "/usr/bin/mysqladmin",
        ]),
        ..BASE
    },
    Entry {
        // Ubuntu based.
        names: &["docker.io/library/mongo"],
        size_mb: 250,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["mongod"],
        startup_ms: 1500,
        on_term: OnTerm::Exit { after_ms: 300, code: 0 },
        memory_mb: 80,
        variants: &["jammy", "noble"],
        exec: gnu(&[
            "/usr/local/bin/docker-entrypoint.sh",
            "/usr/local/bin/gosu",
            "/usr/bin/mongod",
            "/usr/bin/mongosh",
            "/usr/bin/mongo",
        ]),
        ..BASE
    },
    Entry {
        // Ubuntu based; PATH has /opt/rabbitmq/sbin.
        names: &["docker.io/library/rabbitmq"],
        size_mb: 95,
        slim_mb: 45,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["rabbitmq-server"],
        startup_ms: 6000,
        on_term: OnTerm::Exit { after_ms: 2000, code: 0 },
        memory_mb: 120,
        variants: &["management", "alpine", "management-alpine"],
        exec: gnu(&[
            "/usr/local/bin/docker-entrypoint.sh",
            "/opt/rabbitmq/sbin/rabbitmq-server",
            "/opt/rabbitmq/sbin/rabbitmqctl",
            "/opt/rabbitmq/sbin/rabbitmq-plugins",
        ]),
        ..BASE
    },
    Entry {
        // Debian based, Apache with PHP.
        names: &["docker.io/library/wordpress"],
        size_mb: 250,
        slim_mb: 90,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["apache2-foreground"],
        startup_ms: 1000,
        on_term: OnTerm::Exit { after_ms: 200, code: 0 },
        memory_mb: 60,
        variants: &["apache", "fpm", "fpm-alpine", "cli", "cli-alpine"],
        exec: gnu(&[
            "/usr/local/bin/docker-entrypoint.sh",
            "/usr/local/bin/apache2-foreground",
            "/usr/sbin/apache2",
            "/usr/local/bin/php",
            "/usr/bin/curl",
        ]),
        ..BASE
    },
    Entry {
        names: &["docker.io/library/memcached"],
        size_mb: 30,
        slim_mb: 5,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["memcached"],
        startup_ms: 100,
        on_term: OnTerm::Exit { after_ms: 100, code: 0 },
        memory_mb: 5,
        variants: &["alpine", "bookworm"],
        exec: gnu(&["/usr/local/bin/docker-entrypoint.sh", "/usr/local/bin/memcached"]),
        ..BASE
    },
    Entry {
        // buildpack-deps based (curl, wget, git, perl); CMD `python3`, which
        // reads its program from stdin: none without `stdin: true`, so it exits 0.
        names: &["docker.io/library/python"],
        size_mb: 390,
        slim_mb: 45,
        cmd: &["python3"],
        memory_mb: 10,
        variants: &["slim", "alpine", "bookworm", "slim-bookworm", "bullseye"],
        exec: gnu(&[
            "/usr/local/bin/python",
            "/usr/local/bin/python3",
            "/usr/local/bin/pip",
            "/usr/local/bin/pip3",
            "/usr/bin/perl",
            "/usr/bin/curl",
            "/usr/bin/wget",
            "/usr/bin/git",
        ]),
        ..BASE
    },
    Entry {
        // Alpine based: `ENTRYPOINT ["/agnhost"]`, `CMD ["pause"]`, with
        // bind-tools, curl, netcat, iproute2, iperf and bash added
        // (test/images/agnhost/Dockerfile).
        names: &["registry.k8s.io/e2e-test-images/agnhost", "k8s.gcr.io/e2e-test-images/agnhost"],
        size_mb: 51,
        entrypoint: &["/agnhost"],
        startup_ms: 200,
        on_term: OnTerm::GoRuntimeExit2,
        memory_mb: 8,
        exec: busybox(&[
            "/agnhost",
            "/agnhost-2",
            "/usr/bin/curl",
            "/usr/bin/nc",
            "/usr/bin/dig",
            "/usr/bin/iperf",
            "/bin/bash",
            "/sbin/ss",
        ]),
        ..BASE
    },
    Entry {
        names: &["registry.k8s.io/goproxy", "k8s.gcr.io/goproxy"],
        size_mb: 3,
        entrypoint: &["/goproxy"],
        startup_ms: 200,
        on_term: OnTerm::GoRuntimeExit2,
        memory_mb: 5,
        exec: only(&["/goproxy"]),
        ..BASE
    },
    Entry {
        names: &["registry.k8s.io/pause", "k8s.gcr.io/pause"],
        size_mb: 1,
        entrypoint: &["/pause"],
        on_term: OnTerm::Exit { after_ms: 0, code: 0 },
        exec: only(&["/pause"]),
        ..BASE
    },
    Entry {
        // What else the image holds is not checked.
        names: &["registry.k8s.io/etcd", "k8s.gcr.io/etcd"],
        size_mb: 57,
        cmd: &["/usr/local/bin/etcd"],
        startup_ms: 1000,
        on_term: OnTerm::Exit { after_ms: 300, code: 0 },
        memory_mb: 30,
        ..BASE
    },
    Entry {
        // The Konnectivity service's images (distroless, one program each),
        // of kubernetes.io "Set up Konnectivity service".
        names: &[
            "registry.k8s.io/kas-network-proxy/proxy-server",
            "us.gcr.io/k8s-artifacts-prod/kas-network-proxy/proxy-server",
        ],
        size_mb: 12,
        entrypoint: &["/proxy-server"],
        startup_ms: 500,
        on_term: OnTerm::Exit { after_ms: 100, code: 0 },
        memory_mb: 20,
        v_tags: true,
        exec: only(&["/proxy-server"]),
        ..BASE
    },
    Entry {
        names: &[
            "registry.k8s.io/kas-network-proxy/proxy-agent",
            "us.gcr.io/k8s-artifacts-prod/kas-network-proxy/proxy-agent",
        ],
        size_mb: 11,
        entrypoint: &["/proxy-agent"],
        startup_ms: 500,
        on_term: OnTerm::Exit { after_ms: 100, code: 0 },
        memory_mb: 20,
        v_tags: true,
        exec: only(&["/proxy-agent"]),
        ..BASE
    },
    Entry {
        // The official perl image (buildpack-deps based), of kubernetes.io's
        // first Job example (`perl -Mbignum=bpi -wle "print bpi(2000)"`). Its
        // CMD is the debugger (`perl -de0`), which exits at once without a terminal.
        names: &["docker.io/library/perl"],
        size_mb: 335,
        slim_mb: 40,
        cmd: &["perl", "-de0"],
        memory_mb: 10,
        variants: &["slim", "threaded", "stable", "devel", "bookworm", "bullseye", "trixie"],
        exec: gnu(&["/usr/local/bin/perl", "/usr/local/bin/cpan", "/usr/bin/curl", "/usr/bin/wget", "/usr/bin/git"]),
        ..BASE
    },
    Entry {
        // Alpine with its stress package.
        names: &["docker.io/polinux/stress"],
        size_mb: 4,
        entrypoint: &["stress"],
        cmd: &["--verbose"],
        exec: busybox(&["/usr/bin/stress"]),
        ..BASE
    },
    Entry {
        // Ubuntu with stress.
        names: &["docker.io/progrium/stress"],
        size_mb: 4,
        entrypoint: &["/usr/bin/stress"],
        cmd: &["--verbose"],
        exec: gnu(&["/usr/bin/stress"]),
        ..BASE
    },
];
