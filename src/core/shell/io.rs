//! Where a command's output goes: the two file descriptors (1 and 2) as
//! [`Target`]s (the container log, `/dev/null`, a file), ash's redirections
//! (`>`, `>|`, `>>`, `N>&M`, `>&-`, bash's `&>`) with ash's messages
//! (`sh: can't create FILE: …`), one command's output bounded by
//! [`MAX_OUTPUT_BYTES`] ([`Output`]), and the log's line buffering: a line
//! reaches the log when its newline is written, as `kubectl logs` shows
//! whole lines. Relative paths are resolved against the working directory.

use super::parse::{Redir, RedirKind};
use super::run::Process;
use super::{Env, MAX_OUTPUT_BYTES};
use crate::core::time::Millis;

/// Where a file descriptor writes.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Target {
    /// The container's log (what `kubectl logs` shows), or the output being
    /// captured by `$(…)` or an exec probe.
    Log,
    /// `/dev/null`, or a closed descriptor (`>&-`).
    Null,
    /// A file, appended to (a `>` redirection truncated it when opened).
    File(String),
    /// The pipe to the next stage of a pipeline.
    Pipe,
}

/// Where file descriptors 1 and 2 write.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Fds {
    pub(super) stdout: Target,
    pub(super) stderr: Target,
}

/// A container's process writes both to its log.
pub(super) const DEFAULT_FDS: Fds = Fds { stdout: Target::Log, stderr: Target::Log };

/// Output of one command, bounded by [`MAX_OUTPUT_BYTES`]; the interpreter
/// writes it where the command's [`Fds`] say once the command returns.
#[derive(Default)]
pub(super) struct Output {
    pub(super) stdout: String,
    pub(super) stderr: String,
}

impl Output {
    /// Text on stdout, as given.
    pub(super) fn print(&mut self, s: &str) {
        push_bounded(&mut self.stdout, s);
    }
    /// A message on stderr, ended by a newline if it has none.
    pub(super) fn error(&mut self, s: &str) {
        push_bounded(&mut self.stderr, s);
        if !s.ends_with('\n') {
            push_bounded(&mut self.stderr, "\n");
        }
    }
}

fn push_bounded(buf: &mut String, s: &str) {
    let room = MAX_OUTPUT_BYTES.saturating_sub(buf.len());
    if s.len() <= room {
        buf.push_str(s);
    } else {
        let mut cut = room;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        buf.push_str(&s[..cut]);
    }
}

impl Process {
    pub(super) fn write(&mut self, env: &mut dyn Env, target: &Target, text: &str) {
        if text.is_empty() {
            return;
        }
        match target {
            Target::Null => {}
            Target::Pipe => push_bounded(&mut self.pipe_out, text),
            Target::File(path) => {
                let _ = env.write_file(path, text, true);
            }
            Target::Log => match &mut self.capture {
                Some(buf) => push_bounded(buf, text),
                None => {
                    // Whole lines go to the log; a trailing partial line
                    // (`echo -n`) waits for the rest.
                    let mut pending = std::mem::take(&mut self.partial_line);
                    push_bounded(&mut pending, text);
                    let mut rest = pending.as_str();
                    while let Some(i) = rest.find('\n') {
                        env.log(rest[..i].strip_suffix('\r').unwrap_or(&rest[..i]));
                        rest = &rest[i + 1..];
                    }
                    if rest.len() >= MAX_OUTPUT_BYTES {
                        env.log(rest);
                    } else {
                        self.partial_line = rest.to_string();
                    }
                }
            },
        }
    }

    pub(super) fn path(&self, p: &str) -> String {
        let joined = if p.starts_with('/') {
            p.to_string()
        } else if self.cwd == "/" {
            format!("/{p}")
        } else {
            format!("{}/{p}", self.cwd)
        };
        let mut parts: Vec<&str> = Vec::new();
        for seg in joined.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        format!("/{}", parts.join("/"))
    }

    /// Applies redirections on top of `base`, opening (truncating) files.
    pub(super) fn open_redirs(
        &mut self,
        base: &Fds,
        redirs: &[Redir],
        now: Millis,
        env: &mut dyn Env,
    ) -> Result<Fds, String> {
        let mut fds = base.clone();
        for r in redirs {
            let target = self.expand_word(&r.target, now, env)?;
            let t = match r.kind {
                RedirKind::Dup => match target.as_str() {
                    "1" => fds.stdout.clone(),
                    "2" => fds.stderr.clone(),
                    "-" => Target::Null,
                    other => return Err(format!("sh: {other}: bad file descriptor\n")),
                },
                RedirKind::Out | RedirKind::Append | RedirKind::Both => {
                    let path = self.path(&target);
                    match path.as_str() {
                        "/dev/null" => Target::Null,
                        "/dev/stdout" => fds.stdout.clone(),
                        "/dev/stderr" => fds.stderr.clone(),
                        _ => {
                            if env.is_dir(&path) {
                                return Err(format!("sh: can't create {target}: Is a directory\n"));
                            }
                            let append = r.kind == RedirKind::Append;
                            if !append || !env.file_exists(&path) {
                                env.write_file(&path, "", false)
                                    .map_err(|m| format!("sh: can't create {target}: {m}\n"))?;
                            }
                            Target::File(path)
                        }
                    }
                }
            };
            match (r.kind, r.fd) {
                (RedirKind::Both, _) => {
                    fds.stdout = t.clone();
                    fds.stderr = t;
                }
                (_, 1) => fds.stdout = t,
                (_, 2) => fds.stderr = t,
                _ => {}
            }
        }
        Ok(fds)
    }
}
