//! The session layer: what a person does to a simulated cluster, over time,
//! above the engine and the views and below the faces (the CLI, the page).
//!
//! - [`Scenario`]: the manifests, the seed and the timed actions; everything
//!   needed to replay a session bit for bit (share links carry one).
//! - [`command`]: the one grammar that reads kubectl-style text into a typed
//!   command, with the table `--help` and the page list.
//! - [`runner`]: the one loop that interleaves the commands with the
//!   engine's deadlines and feeds an observer (the CLI's printer, an
//!   exercise's trace, the page's player).
//! - [`read`]: the read-only verbs (`get`, `describe`, `logs`, `events`),
//!   printed by the kubectl views.
//! - [`reply`]: what kubectl prints back for a change: `pod "web" deleted
//!   …`, or a refusal in its error form.
//! - [`texts`]: where named texts (`apply -f FILE`) come from.
//!
//! Pure and deterministic like the engine: no clock, no browser API.

pub mod command;
pub mod read;
pub mod reply;
pub mod runner;
pub mod texts;

pub use command::{parse, parse_action, Command};
pub use runner::{Observer, Planned, Runner, Step};
pub use texts::{Bundled, Texts};

use crate::core::time::Millis;

/// An action performed at a virtual time, in the grammar's words (`delete pod/web`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimedAction {
    pub at_ms: Millis,
    pub text: String,
}

/// Everything needed to replay a session bit for bit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    pub manifests: String,
    pub seed: u64,
    /// Sorted by time; ties keep the order they were performed in.
    pub actions: Vec<TimedAction>,
}

impl Scenario {
    /// A bundled example with its story's timed actions
    /// ([`crate::examples::scenario`]); `None` for an unknown name.
    pub fn of_example(name: &str, seed: u64) -> Option<Scenario> {
        let manifests = crate::examples::text(name)?;
        let actions = crate::examples::scenario(name)
            .iter()
            .filter_map(|(at, text)| {
                Some(TimedAction { at_ms: crate::core::time::parse_duration(at)?, text: text.to_string() })
            })
            .collect();
        Some(Scenario { manifests: manifests.to_string(), seed, actions })
    }

    /// Its actions read ahead, with the files of `apply -f` from `texts`.
    pub fn plan(&self, texts: &mut dyn Texts) -> Vec<Planned> {
        self.actions.iter().map(|a| Planned::new(a.at_ms, &a.text, texts)).collect()
    }
}
