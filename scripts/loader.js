// The page's loader (scripts/assemble.py prepends the glue import, the Wasm's
// URL and its size in bytes as `init`, `url` and `total`).
// The counter tells the bytes that travel: a compressed response's
// Content-Length is its compressed size, so the bytes decoded so far are
// scaled by that ratio (exact at the end; gzip's output is near enough even
// along the way). Without a readable Content-Length (a server compressing on
// the fly), it counts decoded bytes and says so.
//
// The download was begun by scripts/wasm-fetch.js in <head> (it says when
// and why then); without it (a page not assembled so), it begins here. The
// body is compiled as it arrives (off the main thread) and started
// (instantiated, then the App drawn) when whole.
const box = document.getElementById('loading');
const bar = document.createElement('progress');
bar.max = total;
bar.value = 0;
bar.setAttribute('aria-label', 'Downloading the simulator');
const note = document.createElement('span');
note.className = 'loading-bytes';
note.setAttribute('aria-hidden', 'true');
if (box) {
  box.textContent = 'Downloading the simulator';
  box.append(bar, note);
}
const kb = (n) => Math.round(n / 1000);
let sent = total;
let unit = 'KB';
const show = (n) => {
  bar.value = Math.min(n, total);
  note.textContent = ` (${kb((Math.min(n, total) * sent) / total)} of ${kb(sent)} ${unit})`;
};
try {
  const res = await (window.podplayWasm || fetch(url));
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const length = Number(res.headers.get('Content-Length'));
  if (length > 0) sent = length;
  else if (res.headers.get('Content-Encoding')) unit = 'KB before compression';
  let source = res;
  if (res.body && typeof ReadableStream === 'function') {
    const reader = res.body.getReader();
    let got = 0;
    const counted = new ReadableStream({
      async pull(ctrl) {
        const { done, value } = await reader.read();
        if (done) {
          if (box && box.isConnected) {
            box.firstChild.textContent = 'Starting the simulator';
          }
          ctrl.close();
          return;
        }
        got += value.length;
        show(got);
        ctrl.enqueue(value);
      },
      cancel(reason) { return reader.cancel(reason); },
    });
    source = new Response(counted, { headers: { 'Content-Type': 'application/wasm' } });
  }
  // compileStreaming needs the wasm type, which `counted` has; a server's
  // own Response may not, so it is compiled from its bytes then.
  const compiled = typeof WebAssembly.compileStreaming === 'function' && source !== res
    ? WebAssembly.compileStreaming(source)
    : source.arrayBuffer().then((b) => WebAssembly.compile(b));
  compiled.catch(() => {});
  await init({ module_or_path: await compiled });
} catch (e) {
  if (box && box.isConnected) {
    box.className = 'loading loading-failed';
    box.textContent = `The simulator could not be loaded (${e && e.message ? e.message : e}). Check the connection and reload the page.`;
  }
  throw e;
}
