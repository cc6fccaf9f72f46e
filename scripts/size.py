#!/usr/bin/env python3
"""Prints what a browser downloads from dist/ (gzip -9, as most hosts serve it).

  --max-kb N         exit 1 when the page's Wasm + JS, gzipped, is over N KB
  --early-max-kb N   the same for the early player's (podplay-early-*: the
                     engine and the views that play the first view while the
                     page downloads; src/ui/early.rs)

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
code = [(name, gz) for name, _, gz in rows if name.endswith((".wasm", ".js"))]
early = sum(gz for name, gz in code if name.startswith("podplay-early-"))
page = sum(gz for name, gz in code) - early
print(f"{'file':<44}{'bytes':>10}{'gzip -9':>10}")
for name, raw, gz in rows:
    print(f"{name:<44}{raw:>10}{gz:>10}")
print(f"Wasm + JS gzipped: the page {page / 1000:.1f} KB, the early player {early / 1000:.1f} KB")
failed = False
for flag, what, size in (("--max-kb", "the page's", page), ("--early-max-kb", "the early player's", early)):
    if flag in sys.argv:
        ceiling = float(sys.argv[sys.argv.index(flag) + 1])
        if size > ceiling * 1000:
            print(f"FAIL: {what} Wasm + JS grew past the {ceiling:g} KB ceiling that scripts/test.sh sets "
                  "(raise it only with the reason)")
            failed = True
        else:
            print(f"({what} under the {ceiling:g} KB ceiling)")
sys.exit(1 if failed else 0)
