#!/usr/bin/env python3
"""Serves dist/ (or the folder given) on 127.0.0.1 as a real static host
would, so a local visit sees what a reader gets:

- the precompressed copies scripts/compress-dist.py writes (NAME.br, then
  NAME.gz) when the request's Accept-Encoding takes them, with
  Content-Encoding and `Vary: Accept-Encoding`; the file itself otherwise;
- `application/wasm` for .wasm (the browser compiles it while it downloads);
- cache headers: files whose names carry a content hash (`NAME-0123456789abcdef.js`,
  `…_bg.wasm`) are `immutable` for a year, everything else (index.html, embed.js,
  the examples) `no-cache`, so a new build is seen at once.

usage: serve.py [--port N] [DIR]"""
import argparse
import http.server
import os
import re
import sys

HASHED = re.compile(r"-[0-9a-f]{16}(?:_bg)?\.[a-z0-9]+$")
TYPES = {
    ".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript",
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml", ".md": "text/markdown; charset=utf-8",
    ".yaml": "text/yaml; charset=utf-8", ".json": "application/json",
}

def cache_control(path):
    if HASHED.search(path):
        return "public, max-age=31536000, immutable"
    return "no-cache"

def accepted(header):
    """The codings an Accept-Encoding header takes (q=0 refuses one)."""
    taken = set()
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        q = params.strip()
        if q.startswith("q=") and q[2:].strip() in ("0", "0.0", "0.00", "0.000"):
            continue
        if name:
            taken.add(name.strip().lower())
    return taken

class Handler(http.server.SimpleHTTPRequestHandler):
    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            self.send_error(404, "File not found")
            return None
        taken = accepted(self.headers.get("Accept-Encoding"))
        coding, served = None, path
        for name, ext in (("br", ".br"), ("gzip", ".gz")):
            if name in taken and os.path.isfile(path + ext):
                coding, served = name, path + ext
                break
        try:
            f = open(served, "rb")
        except OSError:
            self.send_error(404, "File not found")
            return None
        size = os.fstat(f.fileno()).st_size
        self.send_response(200)
        ext = os.path.splitext(path)[1]
        self.send_header("Content-Type", TYPES.get(ext) or self.guess_type(path))
        self.send_header("Content-Length", str(size))
        self.send_header("Cache-Control", cache_control(path))
        if os.path.isfile(path + ".gz") or os.path.isfile(path + ".br"):
            self.send_header("Vary", "Accept-Encoding")
        if coding:
            self.send_header("Content-Encoding", coding)
        self.end_headers()
        return f

    def log_message(self, fmt, *args):
        if os.environ.get("PODPLAY_SERVE_QUIET") != "1":
            super().log_message(fmt, *args)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")))
    ap.add_argument("dir", nargs="?", default="dist")
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.dir, "index.html")):
        sys.exit(f"serve: {args.dir}/index.html is missing: build first (bash scripts/build-web.sh)")
    handler = lambda *a, **k: Handler(*a, directory=args.dir, **k)
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as httpd:
        print(f"serve: {os.path.abspath(args.dir)} on http://127.0.0.1:{httpd.server_address[1]}/", flush=True)
        httpd.serve_forever()

if __name__ == "__main__":
    main()
