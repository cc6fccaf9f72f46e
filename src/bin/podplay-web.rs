//! The browser playground's entry point (built by Trunk from `index.html`).
fn main() {
    podplay::ui::start();
}
