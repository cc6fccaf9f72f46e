#!/usr/bin/env bash
# Builds the page into dist/: a static site with relative URLs that works
# from any host and sub-path. Prints the bytes a browser downloads.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-web.sh
export PATH="$PWD/scripts/web-tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release
python3 scripts/size.py dist
