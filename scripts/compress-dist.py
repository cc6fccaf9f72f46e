#!/usr/bin/env python3
"""Writes precompressed copies beside the files of dist/ (or the folder
given): NAME.gz (gzip written by Zopfli, 15 iterations) and NAME.br (brotli,
quality 11) for every text or Wasm file over 1 KiB. Zopfli is Google's
deflate encoder that searches harder than zlib: its gzip files are plain
gzip that every browser reads, about 4.5 % smaller than zlib's level 9 (the
Wasm: 621.0 -> 593.9 KB), in about 6 s, done once at build time. Python's
`brotli` and `zopfli` modules are required (scripts/setup-web.sh installs
them from PyPI); without them this stops with a message rather than leave a
build with no .br or a larger .gz. A copy that is not smaller
than its file is not kept; old copies are replaced. scripts/serve.py serves these when
the browser accepts them, as a host that serves precompressed files would
(nginx gzip_static/brotli_static; Netlify and GitHub Pages compress by
themselves: see docs/embedding.md)."""
import os
import sys

try:
    import brotli
    import zopfli.gzip
except ImportError as missing:
    sys.exit(f"compress-dist: Python's {missing.name} module is missing: run scripts/setup-web.sh "
             "(or python3 -m pip install brotli zopfli)")

COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".wasm", ".svg", ".md", ".json", ".yaml", ".txt")
MIN_BYTES = 1024

def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "dist"
    if not os.path.isdir(root):
        sys.exit(f"compress-dist: no folder {root}")
    raw = gz = br = 0
    files = 0
    for folder, _, names in os.walk(root):
        for name in sorted(names):
            path = os.path.join(folder, name)
            if not name.endswith(COMPRESSIBLE):
                continue
            data = open(path, "rb").read()
            if len(data) < MIN_BYTES:
                continue
            files += 1
            raw += len(data)
            # Zopfli writes no timestamp (mtime 0): the same input gives the
            # same bytes on every build.
            z = zopfli.gzip.compress(data, numiterations=15)
            gz += write_if_smaller(path + ".gz", z, data)
            b = brotli.compress(data, quality=11)
            br += write_if_smaller(path + ".br", b, data)
    print(f"compress-dist: {files} files of {raw} bytes: gzip {gz} bytes, brotli {br} bytes")

def write_if_smaller(path, packed, data):
    if len(packed) >= len(data):
        if os.path.exists(path):
            os.remove(path)
        return len(data)
    with open(path, "wb") as f:
        f.write(packed)
    return len(packed)

if __name__ == "__main__":
    main()
