//! The exercise panel: the story beside the editor, a Check button that runs
//! the learner's manifests as the exercise says and shows each check with
//! the reason it passed or failed, hints one at a time, and reset.

use crate::exercise::{Exercise, Report};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct Props {
    pub exercise: Rc<Exercise>,
    pub report: Option<Rc<Report>>,
    /// Hints revealed so far.
    pub hints_shown: usize,
    /// Passed before (kept in the browser).
    pub done: bool,
    pub on_check: Callback<()>,
    pub on_hint: Callback<()>,
    pub on_reset: Callback<()>,
    /// A reset replaced the learner's text, which can still come back.
    #[prop_or_default]
    pub can_undo: bool,
    #[prop_or_default]
    pub on_undo: Callback<()>,
}

/// The exercise and report by identity (the page makes a new `Rc` when
/// either changes): no deep comparison of exercises compiled into the page.
impl PartialEq for Props {
    fn eq(&self, other: &Props) -> bool {
        Rc::ptr_eq(&self.exercise, &other.exercise)
            && match (&self.report, &other.report) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
            && self.hints_shown == other.hints_shown
            && self.done == other.done
            && self.on_check == other.on_check
            && self.on_hint == other.on_hint
            && self.on_reset == other.on_reset
            && self.can_undo == other.can_undo
            && self.on_undo == other.on_undo
    }
}

#[function_component(ExercisePanel)]
pub fn exercise_panel(props: &Props) -> Html {
    let ex = &props.exercise;
    let hints_left = ex.hints.len().saturating_sub(props.hints_shown);
    let cb = |c: &Callback<()>| {
        let c = c.clone();
        Callback::from(move |_: MouseEvent| c.emit(()))
    };
    html! {
        <section class="exercise" aria-label={format!("Exercise: {}", ex.title)} data-testid="exercise">
            <header class="ex-head">
                <h2>{ &ex.title }</h2>
                if props.done {
                    <span class="ex-done" title="You passed this exercise before">{"✓ passed"}</span>
                }
            </header>
            <div class="story">{ story(&ex.story) }</div>
            <div class="ex-actions">
                <button class="primary" onclick={cb(&props.on_check)} data-testid="check">
                    { format!("Check (runs {})", crate::core::time::go_duration(ex.until_ms)) }
                </button>
                <button onclick={cb(&props.on_hint)} disabled={hints_left == 0} data-testid="hint">
                    { if hints_left == 0 { "No more hints".to_string() } else { format!("Hint ({hints_left} left)") } }
                </button>
                <button onclick={cb(&props.on_reset)} title="Back to the starting manifests (your text can be brought back until you edit)" data-testid="reset">{"Reset to start"}</button>
                if props.can_undo {
                    <button onclick={cb(&props.on_undo)} data-testid="undo-reset" title="Bring back the text you had before the reset">{"↶ Undo reset"}</button>
                }
            </div>
            if props.can_undo {
                <p class="ex-undo" role="status" data-testid="reset-note">{"The starting manifests are back. Your text is kept until you edit: "}<strong>{"↶ Undo reset"}</strong>{" brings it back."}</p>
            }
            if props.hints_shown > 0 {
                <ol class="hints" aria-label="Hints">
                    { for ex.hints.iter().take(props.hints_shown).map(|h| html! { <li>{ inline(h) }</li> }) }
                </ol>
            }
            if let Some(r) = &props.report {
                { report(r) }
            }
        </section>
    }
}

fn report(r: &Report) -> Html {
    let summary = if r.has_errors() {
        "The manifests have errors (see below the editor): nothing was run.".to_string()
    } else if r.passed() {
        format!("All {} checks pass. Well done!", r.results.len())
    } else {
        format!("{} of {} checks pass.", r.passed_count(), r.results.len())
    };
    html! {
        <div class={classes!("ex-report", r.passed().then_some("passed"))} role="status" data-testid="report" tabindex="0" aria-label="Check results">
            <p class="ex-summary">{ summary }</p>
            <ul class="ex-results">
                { for r.results.iter().map(|c| html! {
                    <li class={if c.passed { "pass" } else { "fail" }}>
                        <span aria-hidden="true">{ if c.passed { "✓ " } else { "✗ " } }</span>
                        <span class="sr-only">{ if c.passed { "Passed: " } else { "Failed: " } }</span>
                        <strong>{ &c.description }</strong>
                        <span class="reason">{ format!(" — {}", c.reason) }</span>
                    </li>
                }) }
            </ul>
            { for r.locked.iter().map(|l| html! { <p class="fail">{ format!("✗ {l}") }</p> }) }
            { for r.problems.iter().map(|p| html! { <p class="problem">{ format!("⚠ {p}") }</p> }) }
        </div>
    }
}

/// The story: paragraphs split on blank lines, `- ` lines as a list, and
/// `code` spans. Built as elements, never parsed as HTML.
fn story(text: &str) -> Html {
    html! {
        { for text.split("\n\n").filter(|p| !p.trim().is_empty()).map(|para| {
            let lines: Vec<&str> = para.lines().collect();
            if lines.iter().all(|l| l.trim_start().starts_with("- ")) {
                html! { <ul>{ for lines.iter().map(|l| html! { <li>{ inline(l.trim_start().trim_start_matches("- ")) }</li> }) }</ul> }
            } else {
                html! { <p>{ inline(&lines.join(" ")) }</p> }
            }
        }) }
    }
}

/// Text with `code` spans.
fn inline(text: &str) -> Html {
    html! {
        { for text.split('`').enumerate().map(|(i, part)| if i % 2 == 1 {
            html! { <code>{ part }</code> }
        } else {
            html! { { part } }
        }) }
    }
}
