//! The simulation core: pure Rust, no browser APIs, no wall clock, no global RNG.
//!
//! Data path: manifest text → [`manifest`] (typed [`api`] objects) → [`engine`]
//! (simulation events, [`status`] snapshots) → views ([`kubectl`], [`json`]).

pub mod api;
pub mod base64;
pub mod cron;
pub mod decimal;
pub mod engine;
pub mod get;
pub mod gofmt;
pub mod json;
pub mod json_out;
pub mod kinds;
pub mod kubectl;
pub mod manifest;
pub mod rng;
pub mod shell;
pub mod sort;
pub mod spec_json;
pub mod status;
pub mod store;
pub mod time;
pub mod yaml;
pub mod yaml_out;
