//! podplay: a Kubernetes Pod playground. The [`core`] module is the pure,
//! deterministic simulation; [`session`] runs scenarios and commands through
//! it, and [`play`] keeps what the page draws from a run; front ends (the
//! [`cli`], the Yew [`ui`] behind feature `web`) sit on top.
#![forbid(unsafe_code)]

pub mod bundled;
pub mod cli;
pub mod core;
pub mod examples;
pub mod exercise;
pub mod lint;
pub mod play;
pub mod session;
#[cfg(feature = "web")]
pub mod ui;
