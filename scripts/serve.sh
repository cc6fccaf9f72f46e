#!/usr/bin/env bash
# Builds podplay and shows it working. The browser playground is not built
# yet (see the README); until it is, this runs the headless CLI on a bundled
# example so you can see the simulation: pass another example name to try it.
set -euo pipefail
cd "$(dirname "$0")/.."
example="${1:-liveness-exec}"
cargo build --locked --release --bin podplay
echo "The browser playground is not built yet; running the CLI on example:${example}."
echo "(list examples with: target/release/podplay examples)"
echo
exec target/release/podplay run "example:${example}" --until 3m --wide
