#!/usr/bin/env bash
# Installs what building and testing the page needs, skipping what is already
# there. Everything comes from rustup, crates.io, npm or Debian: a dated
# nightly Rust with its source (scripts/web-toolchain.sh), the wasm-bindgen CLI
# is built from source (about 2.5 minutes the first time on 2 cores), wasm-opt
# (binaryen) and esbuild (it minifies the JS glue) come from npm, Chromium and
# chromedriver from Debian (apt-get: needs root; only the tests need them),
# Python's brotli and zopfli modules from PyPI (scripts/compress-dist.py
# writes NAME.br and NAME.gz with them: a real host serves those; brotli is
# 15-20 % smaller than gzip -9, Zopfli's gzip about 4.5 %).
#   scripts/setup-web.sh          build tools only
#   scripts/setup-web.sh --browser  also Chromium, chromedriver and playwright-core
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
# The CLI must be exactly the wasm-bindgen crate's version in Cargo.lock.
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "Rust wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# The page's Wasm is built with a dated nightly (scripts/web-toolchain.sh says why).
. scripts/web-toolchain.sh
if ! rustup "+$WEB_TOOLCHAIN" component list --installed 2>/dev/null | grep -q '^rust-src' \
  || ! rustup "+$WEB_TOOLCHAIN" target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  step "Rust $WEB_TOOLCHAIN with rust-src and wasm32 (rustup; builds the page's Wasm)"
  rustup toolchain install "$WEB_TOOLCHAIN" --profile minimal --component rust-src --target wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "wasm-bindgen $WBG_VERSION"; then
  step "wasm-bindgen-cli $WBG_VERSION (from crates.io)"
  # Not --locked: its lock file names a webpki-roots the registry does not serve.
  cargo install wasm-bindgen-cli --version "$WBG_VERSION"
fi

if [ ! -x scripts/web-tools/node_modules/.bin/wasm-opt ] || [ ! -x scripts/web-tools/node_modules/.bin/esbuild ]; then
  step "wasm-opt (npm's binaryen) and esbuild"
  (cd scripts/web-tools && npm install --no-audit --no-fund)
fi

if ! python3 -c 'import brotli, zopfli.gzip' 2>/dev/null; then
  step "Python's brotli and zopfli modules (PyPI; scripts/compress-dist.py writes .br and .gz with them)"
  python3 -m pip install --quiet --disable-pip-version-check brotli zopfli
fi

if [ "${1:-}" = "--browser" ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    step "Chromium and chromedriver (Debian)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  if [ ! -d tests/e2e/node_modules/playwright-core ]; then
    step "playwright-core (npm; drives /usr/bin/chromium, downloads no browser)"
    (cd tests/e2e && npm ci --no-audit --no-fund)
  fi
fi
