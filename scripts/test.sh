#!/usr/bin/env bash
# Runs every test of podplay on a fresh machine: installs what is missing
# (the wasm32 target), checks the core builds for the browser, then runs the
# unit, golden-trace, property and determinism tests.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Rust wasm32 target"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

step "The simulation core builds for wasm32-unknown-unknown"
cargo build --locked --lib --target wasm32-unknown-unknown

step "Native tests (unit, golden traces, properties, determinism)"
cargo test --locked

step "Native and Wasm give the same trace (CLI built for wasm32-wasip1, run under Node's WASI)"
if ! rustup target list --installed | grep -qx wasm32-wasip1; then
  rustup target add wasm32-wasip1
fi
cargo build --locked --release --bin podplay
cargo build --locked --release --bin podplay --target wasm32-wasip1
PODPLAY_NATIVE=target/release/podplay PODPLAY_WASM=target/wasm32-wasip1/release/podplay.wasm \
  node --test tests/wasm/
