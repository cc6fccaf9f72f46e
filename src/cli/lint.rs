//! `podplay lint FILE...` and `podplay lint --explain [RULE]`.
//!
//! Prints each finding as compilers do, `FILE:LINE:COL: warning[RULE]:
//! MESSAGE`, then an indented `why:` paragraph (the first time a rule comes
//! up; later ones point back to it). Manifest diagnostics go to stderr as
//! `podplay validate` prints them. Exit status: 0 with no findings, 1 with
//! findings, 2 when an input cannot be read or has errors (nothing is linted
//! then).

use super::{format_diagnostic, read_input};
use crate::core::kubectl;
use crate::core::manifest::parse_manifests_with_tree;
use crate::lint::{self, Rule, Source};
use std::collections::BTreeMap;
use std::io::{Read, Write};

/// The width `why:` paragraphs are wrapped to.
const WIDTH: usize = 80;

pub(super) fn lint_cmd(
    args: &[String],
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, String> {
    if args.first().map(String::as_str) == Some("--explain") {
        return explain(&args[1..], out);
    }
    if let Some(flag) = args.iter().find(|a| a.starts_with('-') && a.as_str() != "-") {
        return Err(format!("lint: unknown flag {flag}"));
    }
    if args.is_empty() {
        return Err("lint needs at least one FILE (or `-` for stdin, or example:NAME)".into());
    }
    let mut texts = Vec::new();
    for f in args {
        texts.push(read_input(f, stdin)?);
    }
    let parsed: Vec<_> = texts.iter().map(|t| parse_manifests_with_tree(t)).collect();
    let mut failed = false;
    for (f, (p, _)) in args.iter().zip(&parsed) {
        for d in &p.diagnostics {
            let _ = writeln!(err, "{}", format_diagnostic(f, d));
        }
        failed |= p.has_errors();
    }
    if failed {
        return Err("the manifests have errors (see above); nothing was linted".into());
    }
    let sources: Vec<Source> =
        parsed.iter().zip(&texts).map(|((p, tree), text)| Source { objects: &p.objects, tree, text }).collect();
    let findings = lint::lint(&sources);
    let mut counts: BTreeMap<Rule, usize> = BTreeMap::new();
    for f in &findings {
        let _ =
            writeln!(out, "{}:{}:{}: warning[{}]: {}", args[f.source], f.pos.line, f.pos.col, f.rule.id(), f.message);
        let n = counts.entry(f.rule).or_default();
        let why = if *n == 0 {
            f.rule.why().to_string()
        } else {
            format!("as above (podplay lint --explain {})", f.rule.id())
        };
        *n += 1;
        let _ = write!(out, "  {}", lint::wrap(&format!("why: {why}"), WIDTH, "       "));
    }
    let files = if args.len() == 1 { "1 file".to_string() } else { format!("{} files", args.len()) };
    if findings.is_empty() {
        let _ = writeln!(out, "no findings in {files}");
        return Ok(0);
    }
    let per_rule: Vec<String> = counts.iter().map(|(r, n)| format!("{} {n}", r.id())).collect();
    let _ = writeln!(
        out,
        "{} warning{} in {files} ({}); `podplay lint --explain RULE` tells more",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        per_rule.join(", ")
    );
    Ok(1)
}

/// `--explain RULE`, or the list of rules.
fn explain(args: &[String], out: &mut dyn Write) -> Result<i32, String> {
    match args {
        [] => {
            let rows: Vec<Vec<String>> =
                Rule::ALL.iter().map(|r| vec![r.id().to_string(), r.title().to_string()]).collect();
            let _ = write!(out, "{}", kubectl::format_table(&["RULE", "FLAGS"], &rows));
            Ok(0)
        }
        [id] => {
            let rule = Rule::from_id(id).ok_or_else(|| {
                let ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
                format!("no lint rule {id}; the rules are {}", ids.join(", "))
            })?;
            let _ = write!(out, "{}", rule.explain());
            Ok(0)
        }
        _ => Err("lint --explain takes one RULE".into()),
    }
}
