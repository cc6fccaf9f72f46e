#!/usr/bin/env python3
"""Prints what a browser downloads from dist/ (gzip -9, as most hosts serve it).

  --max-kb N   exit 1 when the Wasm + JS, gzipped, is over N KB

The old 250 KB budget is retired (a reader feels load time, not bytes; see
tests/e2e/bench.mjs). The ceiling that scripts/test.sh passes keeps the size
from growing without a reason recorded beside it."""
import gzip
import os
import sys

dist = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "dist"
rows = []
for name in sorted(os.listdir(dist)):
    if name.endswith((".wasm", ".js", ".css", ".html")):
        raw = open(os.path.join(dist, name), "rb").read()
        rows.append((name, len(raw), len(gzip.compress(raw, 9))))
code = sum(gz for name, _, gz in rows if name.endswith((".wasm", ".js")))
print(f"{'file':<44}{'bytes':>10}{'gzip -9':>10}")
for name, raw, gz in rows:
    print(f"{name:<44}{raw:>10}{gz:>10}")
print(f"Wasm + JS gzipped: {code / 1000:.1f} KB")
if "--max-kb" in sys.argv:
    ceiling = float(sys.argv[sys.argv.index("--max-kb") + 1])
    if code > ceiling * 1000:
        print(f"FAIL: Wasm + JS grew past the {ceiling:g} KB ceiling that scripts/test.sh sets (raise it only with the reason)")
        sys.exit(1)
    print(f"(under the {ceiling:g} KB ceiling)")
