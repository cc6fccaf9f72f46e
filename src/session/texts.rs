//! Where the texts a session names come from: the manifests of `apply -f
//! FILE` and of the CLI's `FILE` arguments. One interface, [`Texts`], with
//! two sources: [`Bundled`] (the examples compiled into podplay, or fetched
//! by the page first: [`crate::bundled`]), which is all the page and the
//! exercises have, and the CLI's files and stdin (`crate::cli`), which add
//! paths and `-` to it.

use crate::core::api::Object;
use crate::core::manifest::parse_manifests;

/// A source of named texts.
pub trait Texts {
    /// The text `name` stands for (`example:NAME`, a path, `-`), or why
    /// there is none.
    fn read(&mut self, name: &str) -> Result<String, String>;
}

/// The bundled examples, by `example:NAME`: what the page has instead of files.
pub struct Bundled;

impl Texts for Bundled {
    fn read(&mut self, name: &str) -> Result<String, String> {
        name.strip_prefix("example:")
            .and_then(crate::examples::text)
            .map(str::to_string)
            .ok_or_else(|| "the page has no files; use example:NAME, or edit the manifests".to_string())
    }
}

/// The objects `apply -f NAME` applies; Err with the first error (its line
/// and column) when the text does not decode.
pub fn read_objects(name: &str, texts: &mut dyn Texts) -> Result<Vec<Object>, String> {
    let text = texts.read(name)?;
    let parsed = parse_manifests(&text);
    let first_error = parsed.errors().next().map(|d| d.to_string());
    match first_error {
        Some(d) => Err(format!("{name}: {d}")),
        None => Ok(parsed.objects),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_reads_bundled_examples_only() {
        let objects = read_objects("example:init-containers-services", &mut Bundled).unwrap();
        assert_eq!(objects.len(), 2);
        assert!(read_objects("more.yaml", &mut Bundled).unwrap_err().contains("no files"));
        assert!(read_objects("example:nope", &mut Bundled).unwrap_err().contains("no files"));
        struct Broken;
        impl Texts for Broken {
            fn read(&mut self, _: &str) -> Result<String, String> {
                Ok("kind: Pod\n".into())
            }
        }
        assert!(read_objects("bad.yaml", &mut Broken).unwrap_err().starts_with("bad.yaml: "));
    }
}
