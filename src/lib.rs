//! podplay: a Kubernetes Pod playground. The [`core`] module is the pure,
//! deterministic simulation; front ends (the CLI, the Wasm page) sit on top.
#![forbid(unsafe_code)]

pub mod cli;
pub mod core;
pub mod examples;
