// The page's loader (scripts/assemble.py prepends the glue imports, the Wasm
// modules' URLs and their sizes in bytes as `init`, `url`, `total` for the
// page and `initEarly`, `earlyUrl`, `earlyTotal` for the early player).
// The counter tells the bytes that travel: a compressed response's
// Content-Length is its compressed size, so the bytes decoded so far are
// scaled by that ratio (exact at the end; gzip's output is near enough even
// along the way). Without a readable Content-Length (a server compressing on
// the fly), it counts decoded bytes and says so.
//
// The first download was begun by scripts/wasm-fetch.js in <head> (it says
// when and why then, and whether it is the early player's:
// `window.podplayEarlyFirst`); without it (a page not assembled so), the
// page's begins here. Each body is compiled as it arrives (off the main
// thread) and started (instantiated, then drawn) when whole. The early player
// plays the first view (src/ui/early.rs); the page's module is fetched once it
// runs, so the two never share the connection, and takes over from it.
const box = document.getElementById('loading');
const bar = document.createElement('progress');
bar.setAttribute('aria-label', 'Downloading the simulator');
const label = document.createTextNode('Downloading the simulator');
const note = document.createElement('span');
note.className = 'loading-bytes';
note.setAttribute('aria-hidden', 'true');
if (box) {
  box.textContent = '';
  box.append(label, bar, note);
}
const kb = (n) => Math.round(n / 1000);

/** Downloads (from `response`, a promise of it, or `url`) and compiles one
 * module, its progress in #loading. Resolves to the compiled module and how
 * long its body took to arrive (ms, from its headers to its last byte). */
async function download(url, total, response, starting) {
  let sent = total;
  let unit = 'KB';
  bar.max = total;
  bar.value = 0;
  // Not the previous module's count while this one's headers are on their way.
  note.textContent = '';
  const show = (n) => {
    bar.value = Math.min(n, total);
    note.textContent = ` (${kb((Math.min(n, total) * sent) / total)} of ${kb(sent)} ${unit})`;
  };
  const res = await (response || fetch(url));
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const length = Number(res.headers.get('Content-Length'));
  if (length > 0) sent = length;
  else if (res.headers.get('Content-Encoding')) unit = 'KB before compression';
  const headers = performance.now();
  let ended = headers;
  let source = res;
  if (res.body && typeof ReadableStream === 'function') {
    const reader = res.body.getReader();
    let got = 0;
    const counted = new ReadableStream({
      async pull(ctrl) {
        const { done, value } = await reader.read();
        if (done) {
          ended = performance.now();
          label.textContent = starting;
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
  const module = await compiled;
  return { module, ms: ended - headers };
}

/** Downloads, compiles and starts one module. */
async function load(url, total, start, response, starting) {
  const { module } = await download(url, total, response, starting);
  await start({ module_or_path: module });
}

// The early player is started only when the page's module is still far off:
// its body is estimated to take as long as the early player's did, scaled by
// their sizes. On a fast connection (unthrottled, the page's module arrives
// some 50 ms later) starting both would only block the main thread twice
// (Lighthouse's TBT 124 -> 467 ms, docs/performance.md); on Fast 4G (about
// 0.7 s) and Slow 4G (about 3 s) the early player is what the reader sees.
const EARLY_WORTH_MS = 300;

try {
  if (window.podplayEarlyFirst) {
    let early = false;
    try {
      const { module, ms } = await download(earlyUrl, earlyTotal, window.podplayWasm, 'Starting the simulator');
      if ((ms * total) / earlyTotal >= EARLY_WORTH_MS) {
        await initEarly({ module_or_path: module });
        early = true;
        // The first view plays (unless src/ui/early.rs declined); its editor
        // and controls wait for the page.
        label.textContent = 'Downloading the editor and controls';
        bar.setAttribute('aria-label', 'Downloading the editor and controls');
      }
    } catch (e) {
      // The page itself still starts (it opens the same scenario at zero).
      console.warn('podplay: the early player did not start', e);
    }
    await load(url, total, init, undefined, early ? 'Starting the editor and controls' : 'Starting the simulator');
  } else {
    await load(url, total, init, window.podplayWasm, 'Starting the simulator');
  }
} catch (e) {
  if (box && box.isConnected) {
    box.className = 'loading loading-failed';
    box.textContent = `The simulator could not be loaded (${e && e.message ? e.message : e}). Check the connection and reload the page.`;
  }
  throw e;
}
