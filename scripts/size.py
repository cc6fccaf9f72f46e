#!/usr/bin/env python3
"""Prints what a browser downloads from dist/ (gzip -9, as most hosts serve
it) beside the Wasm + JS budget: at most 250 KB gzipped (issue: the
playground in the browser).

  --check          exit 1 when over the budget
  --max-kb N       exit 1 when over N KB: a ceiling that stops the size from
                   growing further while it is still over the budget"""
import gzip
import os
import sys

BUDGET_KB = 250
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
verdict = "within" if code <= BUDGET_KB * 1000 else "OVER"
print(f"Wasm + JS gzipped: {code / 1000:.1f} KB ({verdict} the {BUDGET_KB} KB budget)")
if "--check" in sys.argv and code > BUDGET_KB * 1000:
    sys.exit(1)
if "--max-kb" in sys.argv:
    ceiling = float(sys.argv[sys.argv.index("--max-kb") + 1])
    if code > ceiling * 1000:
        print(f"FAIL: Wasm + JS grew past the {ceiling:g} KB ceiling that scripts/test.sh sets")
        sys.exit(1)
    print(f"(under the {ceiling:g} KB ceiling that keeps it from growing; the budget is {BUDGET_KB} KB)")
