#!/usr/bin/env python3
"""Writes precompressed copies beside the files of dist/ (or the folder
given): NAME.gz (gzip, level 9) and NAME.br (brotli, quality 11) for every
text or Wasm file over 1 KiB. Python's `brotli` module is required
(scripts/setup-web.sh installs it from PyPI); without it this stops with a
message rather than leave a build with no .br. A copy that is not smaller
than its file is not kept; old copies are replaced. scripts/serve.py serves these when
the browser accepts them, as a host that serves precompressed files would
(nginx gzip_static/brotli_static; Netlify and GitHub Pages compress by
themselves: see docs/embedding.md)."""
import gzip
import os
import sys

try:
    import brotli
except ImportError:
    sys.exit("compress-dist: Python's brotli module is missing: run scripts/setup-web.sh "
             "(or python3 -m pip install brotli)")

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
            # mtime=0: the same input gives the same bytes on every build.
            z = gzip.compress(data, compresslevel=9, mtime=0)
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
