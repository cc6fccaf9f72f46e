//! The first visit's guide: a few words on what to do with the page, above
//! the editor, shown until the visitor dismisses it (the page remembers that
//! in localStorage, `GUIDE_KEY` in `ui/mod.rs`). In the page's flow, not
//! over it, so it hides nothing.

use yew::prelude::*;

/// Its words do not depend on the page's state (not even the speed), so the
/// first view drawn at build time and the live page lay it out alike.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_dismiss: Callback<()>,
}

#[function_component(Guide)]
pub fn guide(props: &Props) -> Html {
    let dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <aside class="guide" aria-label="How to use podplay" data-testid="guide">
            <p>
                <strong>{"Edit the YAML below: the cluster follows."}</strong>
                {" Each edit re-runs the simulation from time zero, as fast as Speed (above) says. The timeline goes back in time; a Pod's name opens its details."}
            </p>
            <button onclick={dismiss} data-testid="guide-dismiss">{"Got it"}</button>
        </aside>
    }
}
