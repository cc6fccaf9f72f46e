//! The first visit's guide: a few words on what to do with the page, above
//! the editor, shown until the visitor dismisses it (the page remembers that
//! in localStorage, `GUIDE_KEY` in `ui/mod.rs`). In the page's flow, not
//! over it, so it hides nothing.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The speed the first example plays at (the page's first-visit default).
    pub speed: u32,
    pub on_dismiss: Callback<()>,
}

#[function_component(Guide)]
pub fn guide(props: &Props) -> Html {
    let dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <aside class="guide" aria-label="How to use podplay" data-testid="guide">
            <p>
                <strong>{"Edit the YAML below: the cluster follows."}</strong>
                { format!(" Each edit re-runs the simulation from time zero, at {}× (Speed, above). The timeline goes back in time; a Pod's name opens its details.", props.speed) }
            </p>
            <button onclick={dismiss} data-testid="guide-dismiss">{"Got it"}</button>
        </aside>
    }
}
