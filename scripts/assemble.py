#!/usr/bin/env python3
"""Writes dist/ from index.html and the staged Wasm build (scripts/build-web.sh).

  python3 scripts/assemble.py STAGE DIST

STAGE holds wasm-bindgen's output (podplay-web.js, podplay-web_bg.wasm, and
the early player's podplay-early.js, podplay-early_bg.wasm, after wasm-opt)
and STAGE/first-views/, the first views drawn at build time
(src/bin/podplay-prerender.rs: FILE per page, pages.tsv). This step:
- copies the Wasm, the JS glue (minified by esbuild from scripts/web-tools)
  and the icon under content-hashed names, so a host may cache them for ever,
  with Subresource Integrity hashes for the glue; inlines the stylesheet
  (minified) in a <style>;
- replaces index.html's `<!-- podplay:boot -->` marker with an inline script
  (scripts/first-view.js, which decides before the body is drawn whether the
  page's first view is what the address will show, then
  scripts/wasm-fetch.js, which starts the Wasm's download once that view is
  painted), the glue's modulepreload and the loader (boot-HASH.js); the
  Content-Security-Policy allows the inline script and style by their sha256;
- writes one page per first view (index.html, example-NAME.html,
  exercise-NAME.html): the template with the view in `<div id="first-view">`;
- copies the files the page links to as they are (embed.js, blog-demo.html,
  FIDELITY.md) and the bundled examples and exercises the page fetches when one
  is picked (examples/NAME.yaml, exercises/NAME.yaml; src/bundled.rs). The
  exercises' solutions stay out."""
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
esbuild = os.path.join(root, "scripts", "web-tools", "node_modules", ".bin", "esbuild")
if len(sys.argv) != 3:
    sys.exit(__doc__)
stage, dist = sys.argv[1], sys.argv[2]
GLUE, WASM = "podplay-web.js", "podplay-web_bg.wasm"
EARLY_GLUE, EARLY_WASM = "podplay-early.js", "podplay-early_bg.wasm"
MARKER = "<!-- podplay:boot -->"
FIRST_VIEW = "<!-- podplay:first-view -->"


def hashed(name: str, data: bytes) -> str:
    """NAME-HASH.EXT; the Wasm keeps wasm-bindgen's `_bg` last (podplay-web-HASH_bg.wasm)."""
    stem, ext = os.path.splitext(name)
    bg = stem.endswith("_bg")
    stem = stem.removesuffix("_bg")
    return f"{stem}-{hashlib.sha256(data).hexdigest()[:16]}{'_bg' if bg else ''}{ext}"


def integrity(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def sha256(text: str) -> str:
    """A CSP hash source for an inline <script> or <style> holding TEXT."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def write(name: str, data: bytes) -> None:
    with open(os.path.join(dist, name), "wb") as f:
        f.write(data)


def minify(source: str) -> str:
    return subprocess.run([esbuild, "--minify", "--format=esm", "--log-level=warning"], input=source,
                          capture_output=True, text=True, check=True).stdout


shutil.rmtree(dist, ignore_errors=True)
os.makedirs(dist)
html = open(os.path.join(root, "index.html"), encoding="utf-8").read()

# The stylesheet goes into each page's <style> (minified by esbuild) and the
# icon is copied under a hashed name. Inline because it is render-blocking: as
# a file it cost the first paint one more round trip after the page's own
# (on Slow 4G the paint, and so the Wasm's download, which waits for it,
# came ~250 ms later; docs/performance.md, 2026-12-05 continued). The CSP
# allows exactly this <style> and the <script> below by their sha256.
m = re.search(r'<link rel="stylesheet" href="(www/[\w.-]+)">', html)
if not m:
    sys.exit("assemble: index.html has no local stylesheet link")
css = subprocess.run([esbuild, "--minify", "--loader=css", "--log-level=warning"],
                     input=open(os.path.join(root, m.group(1)), encoding="utf-8").read(),
                     capture_output=True, text=True, check=True).stdout.strip()
if "</style" in css:
    sys.exit("assemble: the stylesheet holds </style")
html = html.replace(m.group(0), f"<style>{css}</style>")
m = re.search(r'rel="icon" href="(www/[\w.-]+)"', html)
if not m:
    sys.exit("assemble: index.html has no local icon link")
data = open(os.path.join(root, m.group(1)), "rb").read()
name = hashed(os.path.basename(m.group(1)), data)
write(name, data)
html = html.replace(m.group(0), f'rel="icon" href="./{name}"')


def module(glue_file: str, wasm_file: str):
    """A Wasm module and its glue (minified; esbuild keeps the module's
    exports) under hashed names: (wasm name, wasm bytes, glue name, glue bytes)."""
    wasm = open(os.path.join(stage, wasm_file), "rb").read()
    wasm_name = hashed(wasm_file, wasm)
    write(wasm_name, wasm)
    glue_raw = open(os.path.join(stage, glue_file), encoding="utf-8").read()
    glue = minify(glue_raw).encode()
    glue_name = hashed(glue_file, glue)
    write(glue_name, glue)
    print(f"assemble: {glue_file} minified, {len(glue_raw.encode())} -> {len(glue)} bytes")
    return wasm_name, wasm, glue_name, glue


# The page, and the early player that plays the first view while the page
# downloads (src/ui/early.rs).
wasm_name, wasm, glue_name, glue = module(GLUE, WASM)
early_wasm_name, early_wasm, early_glue_name, early_glue = module(EARLY_GLUE, EARLY_WASM)

# The loader: the download's progress shown in #loading, and a message instead
# of an endless "Loading…" when it fails. The body is streamed to
# WebAssembly.instantiateStreaming as it arrives (compiling while it
# downloads); progress counts the bytes that travel (scripts/loader.js).
loader = f"""import init from './{glue_name}';
import initEarly from './{early_glue_name}';
const url = './{wasm_name}';
const total = {len(wasm)};
const earlyUrl = './{early_wasm_name}';
const earlyTotal = {len(early_wasm)};
""" + open(os.path.join(root, "scripts", "loader.js"), encoding="utf-8").read()
loader = minify(loader).encode()
boot_name = hashed("boot.js", loader)
write(boot_name, loader)
boot = (f'<link rel="modulepreload" href="./{glue_name}" crossorigin="anonymous" integrity="{integrity(glue)}">\n'
        f'  <link rel="modulepreload" href="./{early_glue_name}" crossorigin="anonymous" integrity="{integrity(early_glue)}">\n'
        f'  <script type="module" src="./{boot_name}"></script>')
if html.count(MARKER) != 1:
    sys.exit(f"assemble: index.html must hold the marker {MARKER} once")
if html.count(FIRST_VIEW) != 1:
    sys.exit(f"assemble: index.html must hold the marker {FIRST_VIEW} once")

# The first views: one page each, the same head (hashed assets) and body.
views = os.path.join(stage, "first-views")
pages = [line.split("\t") for line in open(os.path.join(views, "pages.tsv"), encoding="utf-8").read().splitlines()]
first_js = (f"const PAGES = {json.dumps([f for f, _ in pages])};\n"
            + open(os.path.join(root, "scripts", "first-view.js"), encoding="utf-8").read()
            + f"const WASM_URL = './{wasm_name}';\nconst EARLY_WASM_URL = './{early_wasm_name}';\n"
            + open(os.path.join(root, "scripts", "wasm-fetch.js"), encoding="utf-8").read())
first_js = subprocess.run([esbuild, "--minify", "--log-level=warning"], input=first_js, capture_output=True,
                          text=True, check=True).stdout.strip()
if "</script" in first_js:
    sys.exit("assemble: first-view.js holds </script")
# With scripts/wasm-fetch.js (the Wasm's download, begun once the first view
# is painted) it runs before the body is parsed, so it is inline too (as a
# file, the parser waited a round trip for it). The first paint waits until the whole
# first view is parsed (the page is not drawn half-way and then re-flowed):
# `rel="expect"`, render-blocking.
boot = (f'<script>{first_js}</script>\n'
        '  <link rel="expect" href="#first-view-end" blocking="render">\n  ' + boot)
csp = re.search(r"script-src 'self'([^;]*); style-src 'self'", html)
if not csp:
    sys.exit("assemble: index.html's Content-Security-Policy has no script-src 'self' and style-src 'self'")
html = html.replace(csp.group(0), f"script-src 'self'{csp.group(1)} {sha256(first_js)}; style-src 'self' {sha256(css)}")
for file, query in pages:
    view = open(os.path.join(views, file), encoding="utf-8").read()
    page = html.replace(MARKER, boot)
    page = page.replace(FIRST_VIEW, f'<div id="first-view" inert>{view}<span id="first-view-end"></span></div>')
    opens = dict(p.split("=", 1) for p in query.lstrip("?").split("&") if "=" in p)
    for kind, folder in (("example", "examples"), ("exercise", "exercises")):
        if kind in opens:
            name = opens[kind]
            # The App fetches the page's text as it starts: preloaded at once (small).
            page = page.replace('<html lang="en">', f'<html lang="en" data-opens="{query}">')
            page = page.replace(
                "</title>", f"</title>\n  <link rel=\"preload\" href=\"./{folder}/{name}.yaml\" as=\"fetch\" "
                "crossorigin=\"anonymous\">", 1)
            page = re.sub(r"<title>[^<]*</title>", f"<title>{name} — podplay, a Kubernetes Pod playground</title>", page)
    if len(re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page)) != 1:
        sys.exit(f"assemble: {file}: an inline script other than first-view.js; the CSP would block it")
    write(file, page.encode())
print(f"assemble: {len(pages)} pages with their first views; {boot_name}, {wasm_name} ({len(wasm)} bytes), "
      f"{early_wasm_name} ({len(early_wasm)} bytes)")

for rel in ("www/embed.js", "www/blog-demo.html", "FIDELITY.md"):
    shutil.copyfile(os.path.join(root, rel), os.path.join(dist, os.path.basename(rel)))

# The texts the page fetches on demand: each directory's *.yaml, nothing below.
for folder in ("examples", "exercises"):
    out = os.path.join(dist, folder)
    os.makedirs(out, exist_ok=True)
    names = sorted(n for n in os.listdir(os.path.join(root, folder)) if n.endswith(".yaml"))
    for n in names:
        shutil.copyfile(os.path.join(root, folder, n), os.path.join(out, n))
    print(f"assemble: {len(names)} files copied to {folder}/")
