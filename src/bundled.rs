//! The texts bundled with podplay: the examples ([`crate::examples`]) and the
//! exercises ([`crate::exercise::ALL`]).
//!
//! Native builds (the CLI, the tests) and the page's component tests compile
//! them in. The page itself is built with feature `fetched-texts` (`scripts/build-web.sh`):
//! it keeps only the default example compiled in, and fetches
//! any other from its own origin when it is picked (`examples/NAME.yaml` and
//! `exercises/NAME.yaml`, which `scripts/assemble.py` copies beside `index.html`). That keeps
//! ~46 KB of YAML out of the Wasm every visitor downloads.

/// Which kind of bundled text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Example,
    Exercise,
}

impl Kind {
    /// Where the page fetches the text named `name`, relative to the page.
    pub fn path(self, name: &str) -> String {
        match self {
            Kind::Example => format!("examples/{name}.yaml"),
            Kind::Exercise => format!("exercises/{name}.yaml"),
        }
    }

    /// The text named `name` if it is at hand (compiled in, or fetched);
    /// `None` for an unknown name too.
    pub fn text(self, name: &str) -> Option<&'static str> {
        match self {
            Kind::Example => crate::examples::text(name),
            Kind::Exercise => crate::exercise::find(name).and_then(|b| b.text()),
        }
    }

    /// The bundled name `name` stands for (`image-typo` → `01-image-typo`).
    pub fn canonical(self, name: &str) -> Option<&'static str> {
        match self {
            Kind::Example => crate::examples::find(name).map(|e| e.name),
            Kind::Exercise => crate::exercise::find(name).map(|b| b.name),
        }
    }
}

/// The examples an action text applies (`apply -f example:NAME`), which
/// must be at hand before the action runs.
pub fn examples_applied(action: &str) -> impl Iterator<Item = &str> {
    action.split_whitespace().filter_map(|w| w.strip_prefix("example:"))
}

/// The largest text the page accepts from a fetch (the bundled ones are a
/// few KB; an exercise file may be at most 256 KiB).
pub const MAX_FETCHED_BYTES: usize = crate::exercise::MAX_EXERCISE_BYTES;

#[cfg(feature = "fetched-texts")]
thread_local! {
    /// Texts fetched so far, each kept for the page's lifetime (at most one
    /// per bundled name: a few dozen).
    static FETCHED: std::cell::RefCell<Vec<(Kind, &'static str, &'static str)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A fetched text, if it has arrived.
#[cfg(feature = "fetched-texts")]
pub fn fetched(kind: Kind, name: &str) -> Option<&'static str> {
    FETCHED.with(|f| f.borrow().iter().find(|(k, n, _)| *k == kind && *n == name).map(|(_, _, t)| *t))
}

/// Keeps a fetched text for the bundled name `name` (ignored for a name
/// that is not bundled, or one already kept).
#[cfg(feature = "fetched-texts")]
pub fn keep(kind: Kind, name: &str, text: String) {
    let Some(name) = kind.canonical(name) else { return };
    if fetched(kind, name).is_some() {
        return;
    }
    // Leaked on purpose: at most one per bundled name, and callers get a
    // `&'static str` as they do from a compiled-in text.
    let text: &'static str = Box::leak(text.into_boxed_str());
    FETCHED.with(|f| f.borrow_mut().push((kind, name, text)));
}

/// Texts compiled in need no keeping.
#[cfg(not(feature = "fetched-texts"))]
pub fn keep(_kind: Kind, _name: &str, _text: String) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_text_is_at_hand_and_is_the_file_the_page_fetches() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for e in crate::examples::ALL {
            let text = Kind::Example.text(e.name).unwrap();
            assert_eq!(std::fs::read_to_string(root.join(Kind::Example.path(e.name))).unwrap(), text, "{}", e.name);
        }
        for b in crate::exercise::ALL {
            let text = Kind::Exercise.text(b.name).unwrap();
            assert_eq!(std::fs::read_to_string(root.join(Kind::Exercise.path(b.name))).unwrap(), text, "{}", b.name);
            assert!(text.len() <= MAX_FETCHED_BYTES);
        }
        assert!(crate::examples::find(crate::examples::DEFAULT).is_some());
    }

    #[test]
    fn names_and_applied_examples() {
        assert_eq!(Kind::Exercise.canonical("image-typo"), Some("01-image-typo"));
        assert_eq!(Kind::Example.canonical("crashloop"), Some("crashloop"));
        assert_eq!(Kind::Example.canonical("nope"), None);
        assert_eq!(Kind::Example.text("nope"), None);
        let applied: Vec<&str> = examples_applied("apply -f example:init-containers-services").collect();
        assert_eq!(applied, ["init-containers-services"]);
        assert_eq!(examples_applied("delete pod/web").count(), 0);
        // Every scenario's applied examples are bundled (the page fetches them first).
        for e in crate::examples::ALL {
            for (_, a) in crate::examples::scenario(e.name) {
                for n in examples_applied(a) {
                    assert!(Kind::Example.canonical(n).is_some(), "{}: {n}", e.name);
                }
            }
        }
    }
}
