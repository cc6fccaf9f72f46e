#!/usr/bin/env python3
"""Trunk post_build hook: moves Trunk's inline loader script into a file, so
the page's Content-Security-Policy can forbid inline scripts (script-src
'self'). Runs in Trunk's staging directory ($TRUNK_STAGING_DIR)."""
import hashlib
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
index = os.path.join(staging, "index.html")
html = open(index, encoding="utf-8").read()
inline = re.compile(r'<script type="module"(?: nonce="[^"]*")?>(.*?)</script>', re.S)
scripts = inline.findall(html)
if len(scripts) != 1:
    sys.exit(f"postbuild: expected one inline module script in {index}, found {len(scripts)}")
body = scripts[0].strip() + "\n"
digest = hashlib.sha256(body.encode()).hexdigest()[:16]
name = f"boot-{digest}.js"
with open(os.path.join(staging, name), "w", encoding="utf-8") as f:
    f.write(body)
html = inline.sub(f'<script type="module" src="./{name}"></script>', html)
if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html):
    sys.exit("postbuild: an inline script is left; the CSP would block it")
open(index, "w", encoding="utf-8").write(html)
print(f"postbuild: loader moved to {name}")
