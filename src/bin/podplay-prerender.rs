//! Writes the page's first views (`podplay::ui::first_view`) for
//! `scripts/assemble.py`: `podplay-prerender DIR` writes DIR/FILE for each
//! page (the App's HTML only; assemble.py puts it into index.html's
//! template) and DIR/pages.tsv, one `FILE<TAB>QUERY` line per page.
use std::io::Write;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: podplay-prerender DIR");
        std::process::exit(2);
    };
    let dir = std::path::PathBuf::from(dir);
    let mut index = String::new();
    for page in podplay::ui::first_view::pages() {
        let html = podplay::ui::first_view::render(&page.query);
        let mut f = std::fs::File::create(dir.join(&page.file)).expect("the output directory is writable");
        f.write_all(html.as_bytes()).expect("the output directory is writable");
        index.push_str(&format!("{}\t{}\n", page.file, page.query));
    }
    std::fs::write(dir.join("pages.tsv"), index).expect("the output directory is writable");
}
