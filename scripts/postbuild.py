#!/usr/bin/env python3
"""Trunk post_build hook: moves Trunk's inline loader script into a file, so
the page's Content-Security-Policy can forbid inline scripts (script-src
'self'); minifies wasm-bindgen's JS glue with esbuild (scripts/web-tools) and
updates its integrity hash in index.html; and copies the bundled examples and exercises beside index.html
(examples/NAME.yaml, exercises/NAME.yaml), which the page fetches when one is
picked (src/bundled.rs). The exercises' solutions stay out. Runs in Trunk's
staging directory ($TRUNK_STAGING_DIR)."""
import base64
import hashlib
import os
import re
import shutil
import subprocess
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

# wasm-bindgen's glue, which the loader imports: minified (esbuild keeps the
# module's exports), and its Subresource Integrity hash in index.html redone.
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
glue = re.search(r"from '\./([\w.-]+\.js)'", body)
if not glue:
    sys.exit("postbuild: the loader imports no wasm-bindgen module")
glue = glue.group(1)
path = os.path.join(staging, glue)
before = os.path.getsize(path)
esbuild = os.path.join(root, "scripts", "web-tools", "node_modules", ".bin", "esbuild")
subprocess.run([esbuild, path, "--minify", "--format=esm", "--log-level=warning", "--allow-overwrite", f"--outfile={path}"], check=True)
digest = base64.b64encode(hashlib.sha384(open(path, "rb").read()).digest()).decode()
preload = re.compile(r'(<link rel="modulepreload" href="\./' + re.escape(glue) + r'"[^>]*integrity=")sha384-[^"]+(")')
html, n = preload.subn(lambda m: f"{m.group(1)}sha384-{digest}{m.group(2)}", html)
if n != 1:
    sys.exit(f"postbuild: expected one modulepreload of {glue} with an integrity hash, found {n}")
print(f"postbuild: {glue} minified, {before} -> {os.path.getsize(path)} bytes")

open(index, "w", encoding="utf-8").write(html)
print(f"postbuild: loader moved to {name}")

# The texts the page fetches on demand: each directory's *.yaml, nothing below.
for folder in ("examples", "exercises"):
    out = os.path.join(staging, folder)
    os.makedirs(out, exist_ok=True)
    names = sorted(n for n in os.listdir(os.path.join(root, folder)) if n.endswith(".yaml"))
    for n in names:
        shutil.copyfile(os.path.join(root, folder, n), os.path.join(out, n))
    print(f"postbuild: {len(names)} files copied to {folder}/")
