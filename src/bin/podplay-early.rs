//! The early player's entry point (`src/ui/early.rs`), built by
//! `scripts/build-web.sh` beside the page's: the first view comes to life
//! with it while the whole page downloads.
fn main() {
    #[cfg(target_arch = "wasm32")]
    podplay::ui::early::start();
}
