//! The manifest editor: a plain `<textarea>` (so typing, selection, undo and
//! screen readers behave as everywhere) over a highlighted copy of its text,
//! with line numbers, problem markers at their lines, and the list of problems
//! below, each a button that puts the caret where the problem is. `podplay
//! lint` findings follow the problems, as warnings with their rule id and a
//! "why" to expand; their lines get a quieter marker than a problem's.

use crate::core::decimal::fixed;
use crate::core::manifest::{Diagnostic, Severity};
use crate::lint::Finding;
use crate::play::highlight;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Lines highlighted and marked one by one; longer texts are shown plain.
pub const MAX_HIGHLIGHT_LINES: usize = 2_000;

/// Must match `--line-height` in the style sheet.
const LINE_PX: i32 = 20;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub text: AttrValue,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// Lint findings for the same text.
    pub findings: Rc<Vec<Finding>>,
    pub stale: bool,
    /// The last validation's duration, ms.
    pub validate_ms: f64,
    pub on_edit: Callback<String>,
    pub on_run: Callback<()>,
}

#[function_component(Editor)]
pub fn editor(props: &Props) -> Html {
    let area = use_node_ref();
    let pre = use_node_ref();
    let gutter = use_node_ref();

    // The worst problem on each line, and all its messages for the tooltip.
    // (A Vec sorted by line: at most MAX_DIAGNOSTICS entries.)
    let mut by_line: Vec<(u32, (Severity, String))> = props.diagnostics.iter().fold(Vec::new(), |mut m, d| {
        let i = match m.iter().position(|(line, _)| *line == d.pos.line) {
            Some(i) => i,
            None => {
                m.push((d.pos.line, (d.severity, String::new())));
                m.len() - 1
            }
        };
        let e = &mut m[i].1;
        if d.severity == Severity::Error {
            e.0 = Severity::Error;
        }
        if !e.1.is_empty() {
            e.1.push('\n');
        }
        e.1.push_str(&d.to_string());
        m
    });
    crate::core::sort::sort_by_key(&mut by_line, |(line, _)| *line);
    let on_line = |line: u32| by_line.binary_search_by_key(&line, |(l, _)| *l).ok().map(|i| &by_line[i].1);
    // Lint findings (sorted by position) on a line.
    let lint_on = |line: u32| {
        let f = &props.findings;
        &f[f.partition_point(|f| f.pos.line < line)..f.partition_point(|f| f.pos.line <= line)]
    };
    let class_of = |line: u32| match on_line(line) {
        Some((Severity::Error, _)) => Some("has-error"),
        Some((Severity::Warning, _)) => Some("has-warning"),
        None => (!lint_on(line).is_empty()).then_some("has-lint"),
    };
    let title_of = |line: u32| {
        let mut t = on_line(line).map(|(_, m)| m.clone()).unwrap_or_default();
        for f in lint_on(line) {
            if !t.is_empty() {
                t.push('\n');
            }
            t.push_str(&f.to_string());
        }
        (!t.is_empty()).then_some(t)
    };

    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target().and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()) {
                on_edit.emit(t.value());
            }
        })
    };
    let onscroll = {
        let (area, pre, gutter) = (area.clone(), pre.clone(), gutter.clone());
        Callback::from(move |_: Event| {
            let Some(a) = area.cast::<web_sys::Element>() else { return };
            for r in [&pre, &gutter] {
                if let Some(el) = r.cast::<web_sys::Element>() {
                    el.set_scroll_top(a.scroll_top());
                    if r == &pre {
                        el.set_scroll_left(a.scroll_left());
                    }
                }
            }
        })
    };
    let onkeydown = {
        let on_run = props.on_run.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                on_run.emit(());
            }
        })
    };
    let jump = |line: u32, col: u32| {
        let area = area.clone();
        let text = props.text.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(t) = area.cast::<HtmlTextAreaElement>() else { return };
            let offset = utf16_offset(&text, line, col);
            let _ = t.focus();
            let _ = t.set_selection_range(offset, offset);
            t.set_scroll_top(((line as i32) - 4).max(0) * LINE_PX);
        })
    };

    let lines: Vec<&str> = props.text.split('\n').collect();
    // Past this many lines the text is shown plain: colouring every line of a
    // huge paste would make each keystroke slow.
    let big = lines.len() > MAX_HIGHLIGHT_LINES;
    let errors = props.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = props.diagnostics.len() - errors;
    let lints = props.findings.len();
    html! {
        <div class="editor-wrap">
            <div class={classes!("editor", props.stale.then_some("stale"))}>
                <div class="gutter" ref={gutter} aria-hidden="true">
                    if big {
                        { (1..=lines.len()).map(|n| n.to_string()).collect::<Vec<_>>().join("\n") }
                    } else {
                        { for (1..=lines.len() as u32).map(|n| html! {
                            <div class={classes!("ln", class_of(n))} title={title_of(n)}>{ n }</div>
                        }) }
                    }
                </div>
                <div class="code">
                    <pre class="hl" ref={pre} aria-hidden="true">
                        if big {
                            { props.text.clone() }
                        } else {
                            { for lines.iter().enumerate().map(|(i, l)| html! {
                                <div class={classes!("line", class_of(i as u32 + 1))}>
                                    { for highlight::line(l).into_iter().map(|(tok, s)| html! { <span class={tok.as_str()}>{ s }</span> }) }
                                    { "\u{200b}" }
                                </div>
                            }) }
                        }
                    </pre>
                    <textarea
                        ref={area.clone()}
                        class="input"
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        aria-label="Manifests (YAML). Ctrl+Enter runs them now."
                        aria-describedby="problems"
                        data-testid="editor"
                        value={props.text.clone()}
                        {oninput}
                        {onscroll}
                        {onkeydown}
                    />
                </div>
            </div>
            <div id="problems" class="problems" data-testid="problems" data-validate-ms={fixed(props.validate_ms, 3)}>
                if props.diagnostics.is_empty() && lints == 0 {
                    <p class="ok">{ format!("✓ Valid (checked in {} ms): no errors, no warnings. Edits re-run the simulation from time zero.", fixed(props.validate_ms, 1)) }</p>
                } else if props.diagnostics.is_empty() {
                    <p class="ok">{ format!("✓ Valid (checked in {} ms): no errors. {lints} lint warning{} below: things a cluster accepts that bite later. Edits re-run the simulation from time zero.", fixed(props.validate_ms, 1), plural(lints)) }</p>
                } else {
                    <p class="summary">{ format!("{errors} error{}, {warnings} warning{}{}", plural(errors), plural(warnings), if lints > 0 { format!(", {lints} lint warning{}", plural(lints)) } else { String::new() }) }</p>
                    <ul>
                        { for props.diagnostics.iter().map(|d| {
                            let (icon, class) = match d.severity {
                                Severity::Error => ("✖", "error"),
                                Severity::Warning => ("⚠", "warning"),
                            };
                            html! {
                                <li class={class}>
                                    <button class="link" onclick={jump(d.pos.line, d.pos.col)}>
                                        <span aria-hidden="true">{ icon }</span>
                                        { format!(" {}", d) }
                                    </button>
                                </li>
                            }
                        }) }
                    </ul>
                }
                if lints > 0 {
                    <ul class="lint" aria-label="Lint warnings">
                        { for props.findings.iter().map(|f| html! {
                            <li class="warning lint" data-rule={f.rule.id()}>
                                <button class="link" onclick={jump(f.pos.line, f.pos.col)}>
                                    <span aria-hidden="true">{ "⚠" }</span>
                                    { format!(" {f}") }
                                </button>
                                <details>
                                    <summary>{ "why" }</summary>
                                    <p>{ f.rule.why() }{ " " }<a href={f.rule.docs()[0]} target="_blank" rel="noopener">{ "kubernetes.io" }</a></p>
                                </details>
                            </li>
                        }) }
                    </ul>
                }
            </div>
        </div>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The textarea offset (UTF-16 units) of a 1-based line and column (columns
/// count characters, as the parser reports them).
fn utf16_offset(text: &str, line: u32, col: u32) -> u32 {
    let mut offset = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        if i as u32 + 1 == line {
            let before: u32 = l.chars().take(col.saturating_sub(1) as usize).map(|c| c.len_utf16() as u32).sum();
            return offset + before;
        }
        offset += l.encode_utf16().count() as u32 + 1;
    }
    offset.saturating_sub(1)
}
