//! Share links and autosave: a session as JSON, and as base64url in a URL
//! fragment (`#s=…`). Decoding treats its input as hostile: sizes are checked
//! before any work, every field is type-checked, and nothing in it is ever
//! interpreted as markup or script (the page renders it as text only).

use super::{Scenario, TimedAction, MAX_ACTIONS, MAX_TIME_MS};
use crate::core::base64;
use crate::core::manifest::MAX_INPUT_BYTES;
use crate::core::time::Millis;
use serde_json::{json, Value};

/// The longest fragment a share link may have. Browsers accept far longer
/// URLs, but chat tools and blog engines cut them: past this, the page says
/// so instead of producing a link that breaks.
pub const MAX_LINK_BYTES: usize = 64 * 1024;
/// The longest action text accepted from a link.
pub const MAX_ACTION_BYTES: usize = 200;
/// The fragment's prefix.
pub const PREFIX: &str = "s=";

/// A session: the scenario plus where the player stood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub scenario: Scenario,
    /// The virtual time shown.
    pub time_ms: Millis,
    /// The bundled example it came from, if any (for the picker).
    pub example: Option<String>,
}

impl Session {
    /// The session as JSON text (autosave uses this directly).
    pub fn to_json(&self) -> String {
        let actions: Vec<Value> = self.scenario.actions.iter().map(|a| json!([a.at_ms, a.text])).collect();
        let mut v = json!({
            "v": 1,
            "manifests": self.scenario.manifests,
            "seed": self.scenario.seed,
            "actions": actions,
            "time": self.time_ms,
        });
        if let Some(e) = &self.example {
            v["example"] = Value::from(e.as_str());
        }
        v.to_string()
    }

    /// Reads [`Self::to_json`]'s output. Errors say what is wrong in words a
    /// person can act on.
    pub fn from_json(text: &str) -> Result<Session, String> {
        if text.len() > MAX_INPUT_BYTES + 64 * 1024 {
            return Err(format!("the saved session is {} KiB, more than podplay accepts", text.len() / 1024));
        }
        let v: Value = serde_json::from_str::<serde_json::Value>(text)
            .map_err(|e| format!("the session is not valid JSON ({e})"))?;
        let obj = v.as_object().ok_or("the session is not a JSON object")?;
        match obj.get("v").and_then(Value::as_u64) {
            Some(1) => {}
            _ => return Err("the session was made by a newer or unknown version of podplay".into()),
        }
        let manifests = obj.get("manifests").and_then(Value::as_str).ok_or("the session has no manifests")?;
        if manifests.len() > MAX_INPUT_BYTES {
            return Err(format!("the manifests are over {} KiB", MAX_INPUT_BYTES / 1024));
        }
        let seed = obj.get("seed").and_then(Value::as_u64).ok_or("the session's seed is not a whole number")?;
        let time_ms = obj.get("time").and_then(Value::as_u64).unwrap_or(0).min(MAX_TIME_MS);
        let raw_actions = match obj.get("actions") {
            None => &[][..],
            Some(a) => a.as_array().ok_or("the session's actions are not a list")?.as_slice(),
        };
        if raw_actions.len() > MAX_ACTIONS {
            return Err(format!("the session has {} actions; at most {MAX_ACTIONS} are accepted", raw_actions.len()));
        }
        let mut actions = Vec::with_capacity(raw_actions.len());
        for a in raw_actions {
            let pair = a.as_array().filter(|p| p.len() == 2).ok_or("an action is not a [time, text] pair")?;
            let at_ms = pair[0].as_u64().filter(|t| *t <= MAX_TIME_MS).ok_or("an action's time is not valid")?;
            let text =
                pair[1].as_str().filter(|t| t.len() <= MAX_ACTION_BYTES).ok_or("an action's text is not valid")?;
            actions.push(TimedAction { at_ms, text: text.to_string() });
        }
        crate::core::sort::sort_by_key(&mut actions, |a| a.at_ms);
        let example = obj
            .get("example")
            .and_then(Value::as_str)
            .filter(|e| e.len() <= 64 && e.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
            .map(str::to_string);
        Ok(Session { scenario: Scenario { manifests: manifests.to_string(), seed, actions }, time_ms, example })
    }

    /// The URL fragment (without `#`), or an error when the link would be too long.
    pub fn to_fragment(&self) -> Result<String, String> {
        let fragment = format!("{PREFIX}{}", base64::encode_url(self.to_json().as_bytes()));
        if fragment.len() > MAX_LINK_BYTES {
            return Err(format!(
                "a share link for this session would be {} KiB, over the {} KiB that links can safely carry; shorten the manifests",
                fragment.len().div_ceil(1024),
                MAX_LINK_BYTES / 1024
            ));
        }
        Ok(fragment)
    }

    /// Reads a URL fragment (with or without `#`). `Ok(None)` when it holds
    /// no session at all (an empty fragment, or one for another purpose).
    pub fn from_fragment(fragment: &str) -> Result<Option<Session>, String> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        let Some(data) = fragment.strip_prefix(PREFIX) else { return Ok(None) };
        if fragment.len() > MAX_LINK_BYTES {
            return Err(format!(
                "this link is {} KiB, over the {} KiB podplay accepts; it was not loaded",
                fragment.len().div_ceil(1024),
                MAX_LINK_BYTES / 1024
            ));
        }
        let bytes = base64::decode_url(data).ok_or("this link is damaged (not valid base64url); it was not loaded")?;
        let text = String::from_utf8(bytes).map_err(|_| "this link is damaged (not UTF-8 text); it was not loaded")?;
        Session::from_json(&text).map(Some).map_err(|e| format!("this link could not be loaded: {e}"))
    }
}
