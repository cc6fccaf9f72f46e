//! `hostPath` volumes: the few paths of a node podplay knows, and the
//! kubelet's type check before the mount.
//!
//! A node here is a kind node (a containerd host): directories such as
//! `/var/log` or `/lib/modules`, the file `/etc/machine-id` (32 hex digits
//! and a newline, as systemd writes it; podplay derives them from the node's
//! name), containerd's socket and the usual character devices. Nothing else
//! exists on it.
//!
//! The check follows pkg/volume/hostpath/host_path.go `checkTypeInternal`:
//! `Directory`/`File`/`Socket`/`CharDevice`/`BlockDevice` require that kind
//! of entry (`hostPath type check failed: PATH is not a directory`, `… is
//! not a file`, `… is not a socket file`, `… is not a character device`,
//! `… is not a block device`); `DirectoryOrCreate`/`FileOrCreate` create a
//! missing one (empty); no type checks nothing, and the runtime creates a
//! missing path as a directory. A file, socket or device is mounted as a
//! file at the `mountPath`; a directory as a directory.
//!
//! Not simulated: what a directory of the node holds (it is mounted empty),
//! and sharing one node's paths between its Pods (each Pod's volume is its
//! own).

/// What a path of a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entry {
    Dir,
    File,
    Socket,
    CharDevice,
}

/// Directories of a kind node that `hostPath` volumes commonly name.
const DIRS: &[&str] = &[
    "/",
    "/dev",
    "/etc",
    "/etc/kubernetes",
    "/etc/ssl",
    "/etc/ssl/certs",
    "/home",
    "/lib",
    "/lib/modules",
    "/mnt",
    "/opt",
    "/proc",
    "/root",
    "/run",
    "/run/containerd",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/bin",
    "/usr/lib",
    "/usr/local",
    "/usr/share",
    "/var",
    "/var/lib",
    "/var/lib/containerd",
    "/var/lib/kubelet",
    "/var/log",
    "/var/log/containers",
    "/var/log/pods",
    "/var/run",
    "/var/run/containerd",
    "/var/tmp",
];

/// Character devices every node has.
const CHAR_DEVICES: &[&str] =
    &["/dev/full", "/dev/kmsg", "/dev/null", "/dev/random", "/dev/tty", "/dev/urandom", "/dev/zero"];

/// containerd's socket (`/var/run` is a link to `/run`).
const SOCKETS: &[&str] = &["/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock"];

/// The node's machine id: 32 hex digits.
const MACHINE_ID: &str = "/etc/machine-id";

fn normalize(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        trimmed.to_string()
    }
}

fn entry(path: &str) -> Option<Entry> {
    let path = normalize(path);
    let p = path.as_str();
    if DIRS.contains(&p) {
        Some(Entry::Dir)
    } else if p == MACHINE_ID {
        Some(Entry::File)
    } else if SOCKETS.contains(&p) {
        Some(Entry::Socket)
    } else if CHAR_DEVICES.contains(&p) {
        Some(Entry::CharDevice)
    } else {
        None
    }
}

/// `/etc/machine-id` of the node named `node`: systemd's 128-bit id as 32
/// lowercase hex digits and a newline, the same for the same name.
fn machine_id(node: &str) -> String {
    let mut out = String::with_capacity(33);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for round in 0..2u8 {
        for b in node.bytes().chain([round]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out.push('\n');
    out
}

/// What a mounted `hostPath` volume is in the container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Mounted {
    /// A directory (empty: what the node's directory holds is not simulated).
    Dir,
    /// A file with these contents.
    File(String),
}

/// Sets up a `hostPath` volume of `path` with type `kind` on the node
/// `node`, or fails as the kubelet's type check does.
pub(super) fn mount(node: &str, path: &str, kind: &str) -> Result<Mounted, String> {
    let found = entry(path);
    let fail = |what: &str| Err(format!("hostPath type check failed: {path} is not {what}"));
    let as_file = |e: Entry| match e {
        Entry::File if normalize(path) == MACHINE_ID => Mounted::File(machine_id(node)),
        Entry::Dir => Mounted::Dir,
        _ => Mounted::File(String::new()),
    };
    match (kind, found) {
        ("DirectoryOrCreate", None) => Ok(Mounted::Dir),
        ("Directory" | "DirectoryOrCreate", Some(Entry::Dir)) => Ok(Mounted::Dir),
        ("Directory" | "DirectoryOrCreate", _) => fail("a directory"),
        ("FileOrCreate", None) => Ok(Mounted::File(String::new())),
        ("File" | "FileOrCreate", Some(Entry::File)) => Ok(as_file(Entry::File)),
        ("File" | "FileOrCreate", _) => fail("a file"),
        ("Socket", Some(Entry::Socket)) => Ok(as_file(Entry::Socket)),
        ("Socket", _) => fail("a socket file"),
        ("CharDevice", Some(Entry::CharDevice)) => Ok(as_file(Entry::CharDevice)),
        ("CharDevice", _) => fail("a character device"),
        ("BlockDevice", _) => fail("a block device"),
        (_, Some(e)) => Ok(as_file(e)),
        (_, None) => Ok(Mounted::Dir),
    }
}

/// When a `hostPath` volume of `path` with type `kind` is a file in the
/// container, the name it is kept under in the volume's files.
pub(super) fn file_name(path: &str, kind: &str) -> Option<String> {
    let is_file = match kind {
        "File" | "FileOrCreate" | "Socket" | "CharDevice" => true,
        "Directory" | "DirectoryOrCreate" => false,
        _ => entry(path).is_some_and(|e| e != Entry::Dir),
    };
    let base = normalize(path).rsplit('/').next().unwrap_or("").to_string();
    (is_file && !base.is_empty()).then_some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_checks_follow_check_type_internal() {
        let id = mount("node-1", "/etc/machine-id", "File").expect("a file");
        let Mounted::File(text) = &id else { panic!("{id:?}") };
        assert_eq!(text.len(), 33);
        assert!(text[..32].bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!(mount("node-1", "/etc/machine-id", ""), Ok(id.clone()), "no type: the file as it is");
        assert_ne!(mount("node-2", "/etc/machine-id", "File"), Ok(id), "each node has its own");
        assert_eq!(mount("n", "/var/log", "Directory"), Ok(Mounted::Dir));
        assert_eq!(mount("n", "/data", ""), Ok(Mounted::Dir), "the runtime creates it");
        assert_eq!(mount("n", "/data", "DirectoryOrCreate"), Ok(Mounted::Dir));
        assert_eq!(mount("n", "/run/xtables.lock", "FileOrCreate"), Ok(Mounted::File(String::new())));
        assert_eq!(mount("n", "/dev/null", "CharDevice"), Ok(Mounted::File(String::new())));
        assert_eq!(
            mount("n", "/data", "Directory"),
            Err("hostPath type check failed: /data is not a directory".into())
        );
        assert_eq!(mount("n", "/var/log", "File"), Err("hostPath type check failed: /var/log is not a file".into()));
        assert_eq!(
            mount("n", "/var/run/docker.sock", "Socket"),
            Err("hostPath type check failed: /var/run/docker.sock is not a socket file".into())
        );
        assert_eq!(
            mount("n", "/dev/sda", "BlockDevice"),
            Err("hostPath type check failed: /dev/sda is not a block device".into())
        );
    }

    #[test]
    fn files_are_kept_under_their_base_name() {
        assert_eq!(file_name("/etc/machine-id", "File").as_deref(), Some("machine-id"));
        assert_eq!(file_name("/etc/machine-id", "").as_deref(), Some("machine-id"));
        assert_eq!(file_name("/var/log", ""), None);
        assert_eq!(file_name("/data", "DirectoryOrCreate"), None);
    }
}
