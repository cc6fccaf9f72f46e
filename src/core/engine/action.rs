//! Actions on the simulated cluster, in kubectl's words where kubectl has them.
//!
//! ```text
//! delete pod/NAME [--grace-period=N] [-n NS]
//! kill pod/NAME -c CONTAINER [--exit-code=N]
//! break pod/NAME -c CONTAINER        (the app stops answering probes and requests)
//! heal pod/NAME -c CONTAINER         (the app answers again)
//! apply -f FILE                      (the CLI reads FILE; the engine takes objects)
//! ```

use crate::core::api::Object;

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// `kubectl apply`: create the objects (or re-apply unchanged ones).
    Apply(Vec<Object>),
    /// `apply -f FILE` before the CLI has read FILE.
    ApplyFile(String),
    DeletePod { namespace: String, name: String, grace_period_seconds: Option<i64> },
    /// The container's process dies with this exit code.
    Kill { namespace: String, pod: String, container: String, exit_code: i32 },
    /// The app hangs: HTTP and gRPC requests and exec probes time out; TCP
    /// connects still succeed (the kernel accepts on a listening socket).
    Break { namespace: String, pod: String, container: String },
    Heal { namespace: String, pod: String, container: String },
}

/// Parses an action. Errors say what was expected.
pub fn parse_action(text: &str) -> Result<Action, String> {
    let words = split_words(text)?;
    let mut it = words.iter().map(|s| s.as_str());
    let verb = it.next().ok_or("empty action")?;
    let rest: Vec<&str> = it.collect();
    match verb {
        "delete" | "kill" | "break" | "heal" | "apply" => {}
        "scale" | "cordon" | "drain" | "stop" | "start" | "rollout" => {
            return Err(format!("`{verb}` acts on controllers and nodes, which podplay does not simulate yet"));
        }
        _ => return Err(format!("unknown action `{verb}`: expected delete, kill, break, heal or apply")),
    }
    let mut namespace = "default".to_string();
    let mut container: Option<String> = None;
    let mut grace: Option<i64> = None;
    let mut exit_code: Option<i32> = None;
    let mut file: Option<String> = None;
    let mut target: Option<&str> = None;
    let mut i = 0;
    while i < rest.len() {
        let w = rest[i];
        let mut value = |flag: &str| -> Result<String, String> {
            if let Some(v) = w.strip_prefix(&format!("{flag}=")) {
                return Ok(v.to_string());
            }
            i += 1;
            rest.get(i).map(|s| s.to_string()).ok_or(format!("{flag} needs a value"))
        };
        if w == "-n" || w.starts_with("--namespace") {
            namespace = value(if w == "-n" { "-n" } else { "--namespace" })?;
        } else if w == "-c" || w.starts_with("--container") {
            container = Some(value(if w == "-c" { "-c" } else { "--container" })?);
        } else if w.starts_with("--grace-period") {
            let v = value("--grace-period")?;
            grace = Some(v.parse().map_err(|_| format!("--grace-period: not a number: {v}"))?);
        } else if w.starts_with("--exit-code") {
            let v = value("--exit-code")?;
            let code: i32 = v.parse().map_err(|_| format!("--exit-code: not a number: {v}"))?;
            if !(0..=255).contains(&code) {
                return Err("--exit-code must be between 0 and 255".into());
            }
            exit_code = Some(code);
        } else if w == "-f" || w.starts_with("--filename") {
            file = Some(value(if w == "-f" { "-f" } else { "--filename" })?);
        } else if w == "--now" {
            grace = Some(1);
        } else if w.starts_with('-') {
            return Err(format!("unknown flag {w} for {verb}"));
        } else if target.is_none() {
            target = Some(w);
        } else {
            return Err(format!("unexpected argument {w}"));
        }
        i += 1;
    }
    let pod_name = |t: Option<&str>| -> Result<String, String> {
        let t = t.ok_or(format!("{verb} needs pod/NAME"))?;
        match t.split_once('/') {
            Some(("pod" | "pods" | "po", name)) if !name.is_empty() => Ok(name.to_string()),
            Some((kind, _)) => Err(format!("{verb} supports pods only here, not {kind}")),
            None => Err(format!("{verb} needs pod/NAME, got {t}")),
        }
    };
    let need_container = |c: Option<String>| c.ok_or(format!("{verb} needs -c CONTAINER"));
    match verb {
        "delete" => {
            if let Some(g) = grace {
                if g < 0 {
                    return Err("--grace-period must be 0 or more".into());
                }
            }
            Ok(Action::DeletePod { namespace, name: pod_name(target)?, grace_period_seconds: grace })
        }
        "kill" => Ok(Action::Kill {
            pod: pod_name(target)?,
            container: need_container(container)?,
            namespace,
            exit_code: exit_code.unwrap_or(137),
        }),
        "break" => Ok(Action::Break { pod: pod_name(target)?, container: need_container(container)?, namespace }),
        "heal" => Ok(Action::Heal { pod: pod_name(target)?, container: need_container(container)?, namespace }),
        _ => Ok(Action::ApplyFile(file.ok_or("apply needs -f FILE")?)),
    }
}

/// Splits on spaces, honouring single and double quotes.
fn split_words(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for ch in text.chars() {
        match quote {
            Some(q) if ch == q => quote = None,
            Some(_) => cur.push(ch),
            None if ch == '\'' || ch == '"' => {
                quote = Some(ch);
                any = true;
            }
            None if ch.is_whitespace() => {
                if any || !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            None => cur.push(ch),
        }
    }
    if quote.is_some() {
        return Err("unterminated quote".into());
    }
    if any || !cur.is_empty() {
        words.push(cur);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_words_parse() {
        assert_eq!(
            parse_action("delete pod/web --grace-period=5").unwrap(),
            Action::DeletePod { namespace: "default".into(), name: "web".into(), grace_period_seconds: Some(5) }
        );
        assert_eq!(
            parse_action("kill pod/web -c app --exit-code=3").unwrap(),
            Action::Kill { namespace: "default".into(), pod: "web".into(), container: "app".into(), exit_code: 3 }
        );
        assert_eq!(
            parse_action("break pods/web -c app -n shop").unwrap(),
            Action::Break { namespace: "shop".into(), pod: "web".into(), container: "app".into() }
        );
        assert_eq!(parse_action("apply -f more.yaml").unwrap(), Action::ApplyFile("more.yaml".into()));
    }

    #[test]
    fn bad_actions_say_why() {
        assert!(parse_action("kill pod/web").unwrap_err().contains("-c CONTAINER"));
        assert!(parse_action("delete web").unwrap_err().contains("pod/NAME"));
        assert!(parse_action("frobnicate pod/x").unwrap_err().contains("unknown action"));
        assert!(parse_action("delete pod/web --grace-period=-1").is_err());
        assert!(parse_action("scale deployment/web --replicas=3").unwrap_err().contains("not simulate"));
        assert!(parse_action("").is_err());
    }
}
