#!/usr/bin/env bash
# Builds the page into dist/: a static site with relative URLs that works
# from any host and sub-path. Three tools, no bundler:
#   1. cargo builds src/bin/podplay-web.rs (the page) and
#      src/bin/podplay-early.rs (the early player that plays the first view
#      while the page downloads; src/ui/early.rs) for wasm32 (profile `web`: small
#      code, since the Wasm is downloaded; feature `fetched-texts`: examples
#      and exercises are fetched when picked, not compiled in; the dated
#      nightly of scripts/web-toolchain.sh);
#   2. wasm-bindgen writes the JS glue (--target web);
#   3. wasm-opt -Oz shrinks the Wasm (the passes are explained below);
# then src/bin/podplay-prerender.rs draws the first views (natively) and
# scripts/assemble.py writes dist/ from index.html (hashed file names,
# integrity hashes, the loader, the fetched texts), and
# scripts/compress-dist.py writes the brotli and gzip copies a host serves
# (NAME.br, NAME.gz; scripts/serve.py serves them). Prints the bytes a
# browser downloads. The tools come from scripts/setup-web.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-web.sh
export PATH="$PWD/scripts/web-tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
stage=target/web-stage
rm -rf "$stage" && mkdir -p "$stage"
# With the dated nightly of scripts/web-toolchain.sh: the standard library
# built with this profile, and panics that trap without formatting a message
# nobody would see (that file says why and what it saves). Its own target
# folder, so that stable builds of the same target do not rebuild it.
. scripts/web-toolchain.sh
RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" cargo "+$WEB_TOOLCHAIN" build --locked \
  -Zbuild-std=std,panic_abort --profile web --target wasm32-unknown-unknown \
  --target-dir target/web-build --features web,fetched-texts --bin podplay-web --bin podplay-early
for bin in podplay-web podplay-early; do
  wasm-bindgen --target web --no-typescript --out-dir "$stage" \
    "target/web-build/wasm32-unknown-unknown/web/$bin.wasm"
done
# -Oz, then two flags. --low-memory-unused lets wasm-opt fold added constants
# into load/store offsets: sound unless a pointer wraps around into the low
# 1 KiB, the far end of Rust's 1 MiB stack (at worst the stack is 1 KiB
# shallower). --converge repeats the passes while the size falls. The
# --enable flags name the features rustc's wasm32 output uses.
# The two run side by side (each is single-threaded); a failure of either stops the build.
pids=()
for bin in podplay-web podplay-early; do
  wasm-opt -Oz --low-memory-unused --converge --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals \
    --strip-debug --strip-producers "$stage/${bin}_bg.wasm" -o "$stage/${bin}_bg.wasm" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
# The first views (src/ui/first_view.rs): the App drawn to HTML natively,
# one page per bundled example and exercise, for assemble.py.
mkdir -p "$stage/first-views"
cargo run --locked --features prerender --bin podplay-prerender -- "$stage/first-views"
python3 scripts/assemble.py "$stage" dist
python3 scripts/compress-dist.py dist
python3 scripts/size.py dist
