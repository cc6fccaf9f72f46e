//! The actions a session performs, in kubectl's words: the engine's own
//! (see `core::engine::action`), `apply -f example:NAME` for the bundled
//! examples (the page has no files), and `delete pod -l SELECTOR`, which
//! deletes every live Pod that matches at that moment (what an exercise does
//! to a Pod whose name is random). The page and the exercise checker perform
//! them the same way, so a learner sees what the checker sees.

use super::page_action;
use crate::core::engine::{Action, Sim};

/// An action of the page or of an exercise: an engine action, or `delete pod -l SELECTOR`
/// (kubectl's words), which deletes every live Pod that matches at that time.
#[derive(Clone, Debug, PartialEq)]
pub enum PageAction {
    Engine(Action),
    DeleteSelected { namespace: String, selector: Vec<(String, String)>, grace_period_seconds: Option<i64> },
}

/// Parses an action: the CLI's (`apply -f` only with `example:NAME`), plus
/// `delete pod -l SELECTOR`.
pub fn parse(text: &str) -> Result<PageAction, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.first() == Some(&"delete") {
        let mut selector = None;
        let mut rest = Vec::new();
        let mut kind_ok = false;
        let mut i = 1;
        while i < words.len() {
            let w = words[i];
            if w == "-l" || w == "--selector" {
                i += 1;
                selector = Some(words.get(i).ok_or(format!("{w} needs a value"))?.to_string());
            } else if let Some(v) = w.strip_prefix("--selector=").or_else(|| w.strip_prefix("-l=")) {
                selector = Some(v.to_string());
            } else if matches!(w, "pod" | "pods" | "po") {
                kind_ok = true;
            } else {
                rest.push(w);
            }
            i += 1;
        }
        if let Some(sel) = selector {
            if !kind_ok {
                return Err("delete -l SELECTOR works on pods: delete pod -l app=web".into());
            }
            let selector = parse_selector(&sel)?;
            let probe = format!("delete pod/selected {}", rest.join(" "));
            return match page_action(&probe)? {
                Action::DeletePod { namespace, grace_period_seconds, .. } => {
                    Ok(PageAction::DeleteSelected { namespace, selector, grace_period_seconds })
                }
                _ => Err(format!("cannot read {text:?}")),
            };
        }
    }
    page_action(text).map(PageAction::Engine)
}

/// Performs an action on the engine now (see [`parse`]).
pub fn perform(sim: &mut Sim, text: &str) -> Result<(), String> {
    match parse(text)? {
        PageAction::Engine(a) => sim.act(&a).map_err(|e| e.0),
        PageAction::DeleteSelected { namespace, selector, grace_period_seconds } => {
            let names: Vec<String> = sim
                .pods()
                .into_iter()
                .filter(|p| p.pod.metadata.namespace == namespace && p.server.deletion_ms.is_none())
                .filter(|p| selector.iter().all(|(k, v)| p.pod.metadata.labels.get(k) == Some(v)))
                .map(|p| p.pod.metadata.name.clone())
                .collect();
            if names.is_empty() {
                return Err("No resources found".into());
            }
            for name in names {
                let a = Action::DeletePod { namespace: namespace.clone(), name, grace_period_seconds };
                sim.act(&a).map_err(|e| e.0)?;
            }
            Ok(())
        }
    }
}

/// `app=web,tier=front`, as `kubectl -l` takes equality selectors.
pub fn parse_selector(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for part in text.split(',') {
        let part = part.trim();
        let (k, v) = part
            .split_once("==")
            .or_else(|| part.split_once('='))
            .ok_or_else(|| format!("expected key=value[,key=value], got {text:?}"))?;
        let (k, v) = (k.trim(), v.trim());
        if k.is_empty() || k.contains('!') {
            return Err(format!("expected key=value[,key=value], got {text:?}"));
        }
        out.push((k.to_string(), v.to_string()));
    }
    Ok(out)
}
