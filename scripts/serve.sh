#!/usr/bin/env bash
# Builds the playground and serves it on http://127.0.0.1:${PORT:-8080}/ as a
# real host would: precompressed (build-web.sh runs scripts/compress-dist.py,
# which writes .br/.gz beside each file), with the wasm MIME type and cache headers
# (scripts/serve.py; docs/embedding.md says what a host needs). Installs what
# is missing first (see scripts/setup-web.sh). dist/ is a static site: copy
# it to any web host, under any path.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-web.sh
port="${PORT:-8080}"
echo
echo "podplay: http://127.0.0.1:${port}/   (Ctrl+C stops; the headless CLI: podplay run example:liveness-exec, after cargo install --locked --path .)"
exec python3 scripts/serve.py --port "$port" dist
