//! The one runner: it advances the engine through a session's timed
//! commands and the engine's own deadlines, in one order, and hands what
//! happened to an [`Observer`] — the CLI's printer, an exercise's trace, the
//! page's player. Same scenario, same seed: the same run, whoever watches.
//!
//! The order at each instant: the engine's timers due then run first, then
//! the commands due then, in the order they were given; the observer reads
//! the engine's outputs after each advance and after each command. A
//! command performed live ([`Runner::perform_now`]) sees the engine as a
//! replay of the scenario sees it at that time, so a recorded session
//! replays bit for bit.

use super::command::{self, Command};
use super::texts::{read_objects, Texts};
use crate::core::api::Object;
use crate::core::engine::{Action, ApplyResult, NodeOp, Sim, MAX_STEPS_PER_ADVANCE};
use crate::core::time::Millis;

/// A command ready to run: the grammar's, with the file of `apply -f` read.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Engine(Action),
    /// Deletes every live Pod that matches when it runs.
    DeletePods {
        namespace: String,
        selector: Vec<(String, String)>,
        grace_period_seconds: Option<i64>,
    },
}

impl Step {
    /// Parses `text` and reads what `apply -f` names through `load`.
    pub fn read(text: &str, load: &mut dyn FnMut(&str) -> Result<Vec<Object>, String>) -> Result<Step, String> {
        Ok(match command::parse(text)? {
            Command::Engine(a) => Step::Engine(a),
            Command::ApplyFile(f) => Step::Engine(Action::Apply(load(&f)?)),
            Command::DeletePods { namespace, selector, grace_period_seconds } => {
                Step::DeletePods { namespace, selector, grace_period_seconds }
            }
            Command::Read(_) => {
                let verb = text.split_whitespace().find(|w| *w != "kubectl").unwrap_or_default();
                return Err(format!("`{verb}` only reads the cluster; a scenario's actions change it"));
            }
        })
    }

    /// [`Self::read`], with the files from `texts`.
    pub fn resolve(text: &str, texts: &mut dyn Texts) -> Result<Step, String> {
        Step::read(text, &mut |f| read_objects(f, texts))
    }

    /// Performs it on the engine, now.
    pub fn perform(&self, sim: &mut Sim) -> Result<(), String> {
        self.perform_applying(sim).map(drop)
    }

    /// [`Self::perform`], with what the engine said of each object an
    /// `apply` sent (kubectl prints a line for each; empty for the other
    /// commands), as `Sim::apply_all` gives it.
    pub fn perform_applying(&self, sim: &mut Sim) -> Result<Vec<ApplyResult>, String> {
        match self {
            Step::Engine(Action::Apply(objects)) => sim.apply_all(objects.clone()).map_err(|e| e.0),
            Step::Engine(a) => sim.act(a).map(|()| Vec::new()).map_err(|e| e.0),
            Step::DeletePods { namespace, selector, grace_period_seconds } => {
                let names: Vec<String> = sim
                    .pods()
                    .into_iter()
                    .filter(|p| p.pod.metadata.namespace == *namespace && p.server.deletion_ms.is_none())
                    .filter(|p| selector.iter().all(|(k, v)| p.pod.metadata.labels.get(k) == Some(v)))
                    .map(|p| p.pod.metadata.name.clone())
                    .collect();
                if names.is_empty() {
                    // kubectl delete with a selector that matches nothing.
                    return Err("No resources found".into());
                }
                for name in names {
                    let a = Action::DeletePod {
                        namespace: namespace.clone(),
                        name,
                        grace_period_seconds: *grace_period_seconds,
                    };
                    sim.act(&a).map_err(|e| e.0)?;
                }
                Ok(Vec::new())
            }
        }
    }

    /// True when the run changed even if the command was refused: `kubectl
    /// drain` cordons the node before it refuses (Pods no controller owns,
    /// without `--force`), so a replay must show the same refusal.
    pub fn changes_when_refused(&self) -> bool {
        matches!(self, Step::Engine(Action::Node { op: NodeOp::Drain { .. }, .. }))
    }
}

/// A command at its virtual time, read ahead of the run (a command that
/// does not read is refused when its time comes, with the reason).
#[derive(Clone, Debug, PartialEq)]
pub struct Planned {
    pub at_ms: Millis,
    /// As it was typed (what share links and traces show).
    pub text: String,
    pub step: Result<Step, String>,
}

impl Planned {
    /// `text` at `at_ms`, read with the files from `texts`.
    pub fn new(at_ms: Millis, text: &str, texts: &mut dyn Texts) -> Planned {
        Planned { at_ms, text: text.to_string(), step: Step::resolve(text, texts) }
    }

    /// Its refusal in words: "at 10s: delete pod/nope: pods "nope" not found".
    pub fn refusal(&self, reason: &str) -> String {
        format!("at {}: {}: {reason}", crate::core::time::go_duration(self.at_ms), self.text)
    }
}

/// Whoever watches a run.
pub trait Observer {
    /// Reads what the engine published since the last call.
    fn observe(&mut self, sim: &mut Sim);
    /// A planned command ran (`result`: the engine's answer, or why it could
    /// not be read); what it published is not yet read.
    fn performed(&mut self, sim: &mut Sim, command: &Planned, result: &Result<(), String>);
}

/// The engine and the commands still to come.
pub struct Runner {
    sim: Sim,
    /// Sorted by time; ties keep the order they were given in.
    plan: Vec<Planned>,
    /// The first command not yet performed.
    next: usize,
    /// The most timers one advance may run (see [`Sim::advance_within`]).
    max_steps: u64,
    /// The engine's answer to each object applied at the start.
    applied: Vec<ApplyResult>,
}

impl Runner {
    /// Applies `objects` to `sim` at its time (zero), runs the timers due
    /// then, and lets `observer` read it all.
    pub fn start(mut sim: Sim, objects: Vec<Object>, mut plan: Vec<Planned>, observer: &mut dyn Observer) -> Runner {
        crate::core::sort::sort_by_key(&mut plan, |p| p.at_ms);
        let applied = sim.apply(objects);
        observer.observe(&mut sim);
        let mut runner = Runner { sim, plan, next: 0, max_steps: MAX_STEPS_PER_ADVANCE, applied };
        // Timers due at the start run now, as they would before a command at
        // that time: live commands and replayed ones then meet the same state.
        let now = runner.sim.now();
        runner.sim.advance_within(now, runner.max_steps);
        observer.observe(&mut runner.sim);
        runner
    }

    /// At most `n` timers per advance: past it, [`Self::run_to`] stops and
    /// says so, instead of freezing a page.
    pub fn set_max_steps(&mut self, n: u64) {
        self.max_steps = n;
    }

    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// What the engine said of each object applied at the start, in order.
    pub fn applied(&self) -> &[ApplyResult] {
        &self.applied
    }

    pub fn now(&self) -> Millis {
        self.sim.now()
    }

    /// The commands, performed and to come.
    pub fn plan(&self) -> &[Planned] {
        &self.plan
    }

    /// When the next command is due.
    pub fn next_command_at(&self) -> Option<Millis> {
        self.plan.get(self.next).map(|p| p.at_ms)
    }

    /// When something is next due: a timer or a command.
    pub fn next_due(&self) -> Option<Millis> {
        match (self.next_command_at(), self.sim.next_deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Runs forward to `t` (a `t` in the past is now), performing the
    /// commands due on the way. False when an advance ran out of steps
    /// (the clock is then short of `t`).
    pub fn run_to(&mut self, t: Millis, observer: &mut dyn Observer) -> bool {
        while let Some(next) = self.next_due().filter(|&n| n <= t) {
            if !self.step_to(next, observer) {
                return false;
            }
        }
        let done = self.sim.advance_within(t, self.max_steps);
        observer.observe(&mut self.sim);
        done
    }

    /// Runs the timers due up to `t` (at most [`Self::next_due`]), then the
    /// commands due by then. False when the advance ran out of steps.
    pub fn step_to(&mut self, t: Millis, observer: &mut dyn Observer) -> bool {
        let done = self.sim.advance_within(t, self.max_steps);
        observer.observe(&mut self.sim);
        if !done {
            return false;
        }
        while let Some(p) = self.plan.get(self.next).filter(|p| p.at_ms <= self.sim.now()) {
            let result = match &p.step {
                Ok(step) => step.perform(&mut self.sim),
                Err(e) => Err(e.clone()),
            };
            observer.performed(&mut self.sim, p, &result);
            self.next += 1;
        }
        true
    }

    /// Performs `command` now, live. It joins the plan (dropping what the
    /// plan had after now: the run branches here) when it changed the run —
    /// it succeeded, or it is a refused drain — so a replay repeats it.
    /// On success, what the engine said of each object an `apply` sent.
    pub fn perform_now(
        &mut self,
        text: &str,
        step: Step,
        observer: &mut dyn Observer,
    ) -> Result<Vec<ApplyResult>, String> {
        let applied = step.perform_applying(&mut self.sim);
        let result = applied.as_ref().map(drop).map_err(Clone::clone);
        let planned = Planned { at_ms: self.sim.now(), text: text.to_string(), step: Ok(step) };
        self.plan.truncate(self.next);
        let kept = result.is_ok() || planned.step.as_ref().is_ok_and(Step::changes_when_refused);
        if kept {
            observer.performed(&mut self.sim, &planned, &result);
            self.plan.push(planned);
            self.next = self.plan.len();
        } else {
            observer.observe(&mut self.sim);
        }
        applied
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::engine::{Output, SimConfig, Snapshot};
    use crate::core::manifest::parse_manifests;
    use crate::core::time::SECOND_MS;
    use crate::session::texts::Bundled;

    /// Keeps every output and refusal, in order.
    #[derive(Default)]
    struct Record(Vec<String>);

    impl Observer for Record {
        fn observe(&mut self, sim: &mut Sim) {
            while let Some(o) = sim.poll_output() {
                self.0.push(match o {
                    Output { time_ms, type_, object: Snapshot::Pod(pod) } => {
                        format!("{time_ms} {type_:?} {} {:?}", pod.pod.metadata.name, pod.status.phase)
                    }
                    other => format!("{other:?}"),
                });
            }
        }

        fn performed(&mut self, sim: &mut Sim, command: &Planned, result: &Result<(), String>) {
            if let Err(e) = result {
                self.0.push(command.refusal(e));
            }
            self.observe(sim);
        }
    }

    fn start(plan: Vec<Planned>, record: &mut Record) -> Runner {
        let objects = parse_manifests(crate::examples::text("single-container").unwrap()).objects;
        Runner::start(Sim::new(SimConfig::with_seed(1)), objects, plan, record)
    }

    /// What a person does live is what the replay of the recorded session
    /// does, at time zero (before the first advance) as later.
    #[test]
    fn a_command_performed_live_replays_the_same() {
        for at in [0, 20 * SECOND_MS] {
            let text = "delete pod -l run=nope";
            let mut live = Record::default();
            let mut runner = start(vec![], &mut live);
            runner.run_to(at, &mut live);
            let step = Step::resolve("delete pod/nginx --grace-period=3", &mut Bundled).unwrap();
            runner.perform_now("delete pod/nginx --grace-period=3", step, &mut live).unwrap();
            let refused = Step::resolve(text, &mut Bundled).unwrap();
            assert_eq!(runner.perform_now(text, refused, &mut live), Err("No resources found".into()));
            runner.run_to(60 * SECOND_MS, &mut live);
            // The refused command changed nothing and is not kept.
            assert_eq!(runner.plan().len(), 1);

            let mut replay = Record::default();
            let mut again = start(runner.plan().to_vec(), &mut replay);
            again.run_to(60 * SECOND_MS, &mut replay);
            assert_eq!(live.0, replay.0, "at {at}");
            assert!(live.0.iter().any(|o| o.contains("Deleted nginx")), "{:?}", live.0);
        }
    }

    /// A command that could not be read, or that the engine refused, is
    /// reported at its time and the run goes on.
    #[test]
    fn refusals_are_reported_at_their_time() {
        let plan = vec![
            Planned::new(5 * SECOND_MS, "delete pod/ghost", &mut Bundled),
            Planned::new(6 * SECOND_MS, "apply -f more.yaml", &mut Bundled),
        ];
        let mut record = Record::default();
        let mut runner = start(plan, &mut record);
        assert_eq!(runner.next_command_at(), Some(5 * SECOND_MS));
        assert!(runner.run_to(30 * SECOND_MS, &mut record));
        let refusals: Vec<&String> = record.0.iter().filter(|l| l.starts_with("at ")).collect();
        assert_eq!(
            refusals,
            [
                "at 5s: delete pod/ghost: pods \"ghost\" not found",
                "at 6s: apply -f more.yaml: the page has no files; use example:NAME, or edit the manifests"
            ]
        );
        assert_eq!(runner.now(), 30 * SECOND_MS);
        assert_eq!(runner.next_command_at(), None);
    }
}
