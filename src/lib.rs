//! podplay: a Kubernetes Pod playground. The [`core`] module is the pure,
//! deterministic simulation; [`play`] replays a session through it for the
//! page; front ends (the [`cli`], the Yew [`ui`] behind feature `web`) sit on top.
#![forbid(unsafe_code)]

pub mod bundled;
pub mod cli;
pub mod core;
pub mod examples;
pub mod exercise;
pub mod lint;
pub mod play;
#[cfg(feature = "web")]
pub mod ui;
