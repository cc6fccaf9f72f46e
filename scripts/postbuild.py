#!/usr/bin/env python3
"""Trunk post_build hook: replaces Trunk's inline loader script with a file
(the same loading, plus a progress bar and an error message), so the page's
Content-Security-Policy can forbid inline scripts (script-src 'self'); minifies wasm-bindgen's JS glue with esbuild (scripts/web-tools) and
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

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
esbuild = os.path.join(root, "scripts", "web-tools", "node_modules", ".bin", "esbuild")
staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
index = os.path.join(staging, "index.html")
html = open(index, encoding="utf-8").read()
inline = re.compile(r'<script type="module"(?: nonce="[^"]*")?>(.*?)</script>', re.S)
scripts = inline.findall(html)
if len(scripts) != 1:
    sys.exit(f"postbuild: expected one inline module script in {index}, found {len(scripts)}")
trunk_loader = scripts[0]
glue_m = re.search(r"from '\./([\w.-]+\.js)'", trunk_loader)
wasm_m = re.search(r"module_or_path: '\./([\w.-]+_bg\.wasm)'", trunk_loader)
if not glue_m or not wasm_m:
    sys.exit("postbuild: Trunk's loader no longer has the shape this hook rewrites (glue import, module_or_path)")
wasm_file = wasm_m.group(1)
wasm_bytes = os.path.getsize(os.path.join(staging, wasm_file))
# Trunk's loader, with the download's progress shown in #loading (the Wasm is
# the bulk of the page: ~1.1 MB, ~480 KB gzipped) and a message instead of an
# endless "Loading…" when it fails. The body is streamed to
# WebAssembly.instantiateStreaming as it arrives (compiling while it
# downloads); progress counts decoded bytes against the Wasm's size, known
# here, since a gzipped response's Content-Length is not that.
body = f"""import init from './{glue_m.group(1)}';
const url = './{wasm_file}';
const total = {wasm_bytes};
const box = document.getElementById('loading');
const bar = document.createElement('progress');
bar.max = total;
bar.value = 0;
bar.setAttribute('aria-label', 'Downloading the simulator');
const note = document.createElement('span');
note.className = 'loading-bytes';
note.setAttribute('aria-hidden', 'true');
if (box) box.append(bar, note);
const kb = (n) => Math.round(n / 1000);
const show = (n) => {{
  bar.value = Math.min(n, total);
  note.textContent = ` ${{Math.min(100, Math.floor((n * 100) / total))}}% (${{kb(n)}} of ${{kb(total)}} KB)`;
}};
try {{
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${{url}}: HTTP ${{res.status}}`);
  let source = res;
  if (res.body && typeof ReadableStream === 'function') {{
    const reader = res.body.getReader();
    let got = 0;
    const counted = new ReadableStream({{
      async pull(ctrl) {{
        const {{ done, value }} = await reader.read();
        if (done) {{ ctrl.close(); return; }}
        got += value.length;
        show(got);
        ctrl.enqueue(value);
      }},
      cancel(reason) {{ return reader.cancel(reason); }},
    }});
    source = new Response(counted, {{ headers: {{ 'Content-Type': 'application/wasm' }} }});
  }}
  await init({{ module_or_path: source }});
}} catch (e) {{
  if (box && box.isConnected) {{
    box.className = 'loading loading-failed';
    box.textContent = `The simulator could not be loaded (${{e && e.message ? e.message : e}}). Check the connection and reload the page.`;
  }}
  throw e;
}}
"""
body = subprocess.run([esbuild, "--minify", "--format=esm", "--log-level=warning"], input=body, capture_output=True, text=True, check=True).stdout
digest = hashlib.sha256(body.encode()).hexdigest()[:16]
name = f"boot-{digest}.js"
with open(os.path.join(staging, name), "w", encoding="utf-8") as f:
    f.write(body)
html = inline.sub(f'<script type="module" src="./{name}"></script>', html)
if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html):
    sys.exit("postbuild: an inline script is left; the CSP would block it")

# wasm-bindgen's glue, which the loader imports: minified (esbuild keeps the
# module's exports), and its Subresource Integrity hash in index.html redone.
glue = glue_m.group(1)
path = os.path.join(staging, glue)
before = os.path.getsize(path)
subprocess.run([esbuild, path, "--minify", "--format=esm", "--log-level=warning", "--allow-overwrite", f"--outfile={path}"], check=True)
digest = base64.b64encode(hashlib.sha384(open(path, "rb").read()).digest()).decode()
preload = re.compile(r'(<link rel="modulepreload" href="\./' + re.escape(glue) + r'"[^>]*integrity=")sha384-[^"]+(")')
html, n = preload.subn(lambda m: f"{m.group(1)}sha384-{digest}{m.group(2)}", html)
if n != 1:
    sys.exit(f"postbuild: expected one modulepreload of {glue} with an integrity hash, found {n}")
print(f"postbuild: {glue} minified, {before} -> {os.path.getsize(path)} bytes")

open(index, "w", encoding="utf-8").write(html)
print(f"postbuild: loader written to {name} (Wasm of {wasm_bytes} bytes)")

# The texts the page fetches on demand: each directory's *.yaml, nothing below.
for folder in ("examples", "exercises"):
    out = os.path.join(staging, folder)
    os.makedirs(out, exist_ok=True)
    names = sorted(n for n in os.listdir(os.path.join(root, folder)) if n.endswith(".yaml"))
    for n in names:
        shutil.copyfile(os.path.join(root, folder, n), os.path.join(out, n))
    print(f"postbuild: {len(names)} files copied to {folder}/")
