//! The browser playground's entry point (built by `scripts/build-web.sh` into `dist/`).
fn main() {
    podplay::ui::start();
}
