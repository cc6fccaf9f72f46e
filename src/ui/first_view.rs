//! The page's first views, rendered at build time: [`App`] through Yew's
//! server-side renderer, run natively (`src/bin/podplay-prerender.rs`,
//! feature `prerender`). `scripts/assemble.py` puts each into an HTML page,
//! shown before the Wasm arrives; the live App, once it has opened the same
//! scenario, takes its place in one step ([`super::browser::reveal`]).
//!
//! The render is a first visit to one address: nothing stored, the run at
//! time zero (`src/ui/no_browser.rs`).

use super::{browser, App};
use crate::{examples, exercise};

/// One page to pre-render: the file it becomes and the query it answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// `index.html`, `example-NAME.html`, `exercise-NAME.html`, `embed-NAME.html`.
    pub file: String,
    /// What the App reads as its address: "", `?example=NAME`, `?exercise=NAME`,
    /// `?embed=1&example=NAME`.
    pub query: String,
}

/// The default page, one page per bundled example and exercise, and one
/// embed per example (the compact player an iframe shows,
/// `?embed=1&example=NAME`: `scripts/first-view.js` sends an embed's
/// address there when its view is the one drawn).
pub fn pages() -> Vec<Page> {
    let mut pages = vec![Page { file: "index.html".into(), query: String::new() }];
    pages.extend(
        examples::ALL
            .iter()
            .map(|e| Page { file: format!("example-{}.html", e.name), query: format!("?example={}", e.name) }),
    );
    pages.extend(
        exercise::ALL
            .iter()
            .map(|e| Page { file: format!("exercise-{}.html", e.name), query: format!("?exercise={}", e.name) }),
    );
    pages.extend(
        examples::ALL
            .iter()
            .map(|e| Page { file: format!("embed-{}.html", e.name), query: format!("?embed=1&example={}", e.name) }),
    );
    pages
}

/// The App's HTML for `query`, as a first visitor's browser would draw it
/// at time zero.
pub fn render(query: &str) -> String {
    browser::set_query(query);
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a current-thread runtime");
    runtime.block_on(yew::ServerRenderer::<App>::new().hydratable(false).render())
}
