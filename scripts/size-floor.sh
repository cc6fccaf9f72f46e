#!/usr/bin/env bash
# The least any page built on podplay's engine must download: the simulation
# core alone (src/bin/podplay-engine-only.rs: parse, validate, replay, kubectl
# views; no Yew, no components, no exercise checker, no linter), built exactly
# as scripts/build-web.sh builds the page: profile `web`, wasm-bindgen, then wasm-opt with
# the page's flags. Prints its gzipped size, then
# runs it under Node on a bundled example to show it is the working engine.
# Needs the tools scripts/setup-web.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/scripts/web-tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
out=target/engine-only
rm -rf "$out" && mkdir -p "$out"
cargo build --locked --quiet --profile web --target wasm32-unknown-unknown \
  --no-default-features --features engine-only --bin podplay-engine-only
wasm-bindgen --target web --out-dir "$out" target/wasm32-unknown-unknown/web/podplay-engine-only.wasm
# The same passes as the page (scripts/build-web.sh).
wasm-opt -Oz --low-memory-unused --converge --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --strip-debug --strip-producers \
  "$out/podplay-engine-only_bg.wasm" -o "$out/podplay-engine-only_bg.wasm"
python3 - "$out/podplay-engine-only_bg.wasm" <<'PY'
import gzip, sys
raw = open(sys.argv[1], "rb").read()
gz = len(gzip.compress(raw, 9))
print(f"the engine alone, no page: {len(raw)} bytes, {gz / 1000:.1f} KB gzip -9")
PY
node --input-type=module -e "
import { readFileSync } from 'node:fs';
const { default: init, run } = await import('./$out/podplay-engine-only.js');
await init({ module_or_path: readFileSync('$out/podplay-engine-only_bg.wasm') });
const text = run(readFileSync('examples/liveness-exec.yaml', 'utf8'), 1n, 60000n);
const table = text.split('\n').slice(0, 2).join('\n');
console.log('examples/liveness-exec.yaml after 60 s, computed by that module:\n' + table);
if (!/liveness-exec\s+1\/1\s+Running/.test(table)) { console.error('unexpected output'); process.exit(1); }
"
