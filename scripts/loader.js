// The page's loader (scripts/assemble.py prepends the glue import, the Wasm's
// URL and its size in bytes as `init`, `url` and `total`).
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
const show = (n) => {
  bar.value = Math.min(n, total);
  note.textContent = ` ${Math.min(100, Math.floor((n * 100) / total))}% (${kb(n)} of ${kb(total)} KB)`;
};
try {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  let source = res;
  if (res.body && typeof ReadableStream === 'function') {
    const reader = res.body.getReader();
    let got = 0;
    const counted = new ReadableStream({
      async pull(ctrl) {
        const { done, value } = await reader.read();
        if (done) { ctrl.close(); return; }
        got += value.length;
        show(got);
        ctrl.enqueue(value);
      },
      cancel(reason) { return reader.cancel(reason); },
    });
    source = new Response(counted, { headers: { 'Content-Type': 'application/wasm' } });
  }
  await init({ module_or_path: source });
} catch (e) {
  if (box && box.isConnected) {
    box.className = 'loading loading-failed';
    box.textContent = `The simulator could not be loaded (${e && e.message ? e.message : e}). Check the connection and reload the page.`;
  }
  throw e;
}
