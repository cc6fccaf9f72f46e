//! The first visit's guide: one line on what to do with the page, shown
//! until the visitor dismisses it (the page remembers that in localStorage,
//! `GUIDE_KEY` in `ui/mod.rs`). In the page's flow, not over it, so it hides
//! nothing.

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
                <strong>{"Edit the YAML on the left; the cluster on the right follows."}</strong>
                { format!(" Each edit re-runs the simulation from time zero. It plays at {}× (Speed, above); the timeline below goes back in time, and a Pod's name opens its details.", props.speed) }
            </p>
            <button onclick={dismiss} data-testid="guide-dismiss">{"Got it"}</button>
        </aside>
    }
}
