// Page benchmark in headless Chromium against dist/ (run scripts/build-web.sh first):
//   node tests/e2e/bench.mjs [--json]
// Reports, beside each budget from the playground issue:
//   - gzipped bytes of Wasm + JS (+ CSS) the page loads;
//   - time from navigation to the first interactive frame (a Pod drawn):
//     the median of five loads, after the browser process's first (shown too),
//     and, before it, the first paint of the first view drawn at build time;
//   - p50/p95 frame time while 500 Pods with probes animate at 60x (the
//     main-thread time from a frame's start to the end of its rendering),
//     and the intervals between frames (vsync-bound) with dropped frames;
//   - re-validation time of a 200-line manifest, as the page measured it.
// A benchmark, not a test: it prints numbers and exits 0.
import { gzipSync } from 'node:zlib';
import { serve, launch, waitLive } from './harness.mjs';

// (The 250 KB byte budget was retired on 2026-12-04: the size has a ceiling
// in scripts/test.sh instead, and firstview-bench.mjs measures what it costs.)
const BUDGETS = { interactiveMs: 300, frameP95Ms: 16.7, validateMs: 2 };
const json = process.argv.includes('--json');

/** n Pods in the style of the examples: nginx with probes, some failing. */
function pods(n) {
  const docs = [];
  for (let i = 0; i < n; i++) {
    const failing = i % 10 === 0;
    docs.push(`apiVersion: v1
kind: Pod
metadata:
  name: web-${i}
  labels:
    app: web
spec:
  containers:
  - name: app
    image: ${failing ? 'registry.k8s.io/e2e-test-images/agnhost:2.40' : 'nginx:1.27'}
    args: ${failing ? '["liveness"]' : '[]'}
    resources:
      requests:
        cpu: 10m
        memory: 16Mi
    readinessProbe:
      httpGet: {path: ${failing ? '/healthz' : '/'}, port: ${failing ? 8080 : 80}}
      periodSeconds: 5
    livenessProbe:
      httpGet: {path: ${failing ? '/healthz' : '/'}, port: ${failing ? 8080 : 80}}
      periodSeconds: 10
`);
  }
  return docs.join('---\n');
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const server = await serve();
const browser = await launch();
const results = {};
try {
  // 1. Bytes and load to interactive, each load in a fresh context (an
  // empty HTTP cache). The first load is the browser process's first page,
  // which pays one-time start-up costs (its first style and layout took 70-90
  // ms of the 2026-12-05 loads, 11 ms afterwards); a reader's browser is
  // already running, so the budget is held against the median of the loads
  // after it, and the first is reported beside it.
  const loads = [];
  const painted = [];
  for (let i = 0; i < 6; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const bodies = [];
    page.on('response', async (r) => {
      const url = r.url();
      if (/\.(wasm|js|css)$/.test(new URL(url).pathname)) {
        try { bodies.push([url, await r.body()]); } catch { /* aborted */ }
      }
    });
    await page.addInitScript(() => {
      new MutationObserver((_, obs) => {
        // A Pod drawn by the live page (not the first view drawn at build time).
        if (!document.getElementById('first-view') && document.querySelector('article.pod')) {
          window.__interactive = performance.now();
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(server.base);
    await waitLive(page);
    await page.waitForLoadState('networkidle');
    loads.push(await page.evaluate(() => window.__interactive));
    // The first view's Pod, drawn at build time, is on screen from the first paint.
    painted.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime));
    if (i === 0) {
      let code = 0, css = 0;
      for (const [url, body] of bodies) {
        const gz = gzipSync(body, { level: 9 }).length;
        if (url.endsWith('.css')) css += gz; else code += gz;
      }
      results.gzipKB = code / 1000;
      // Which modules came (the early player's is fetched first where the
      // page opens on its first view, and started only on a slow network).
      results.modules = bodies.filter(([url]) => url.endsWith('.wasm'))
        .map(([url]) => new URL(url).pathname.split('/').pop().split('-')[1]);
      results.cssGzipKB = css / 1000;
    }
    await context.close();
  }
  results.interactiveFirstMs = loads[0];
  results.firstViewMs = pct(painted.slice(1).sort((a, b) => a - b), 50);
  results.interactiveLoadsMs = loads.slice(1);
  results.interactiveMs = pct(loads.slice(1).sort((a, b) => a - b), 50);
  // 2. Frame times with 500 Pods at 60x (the session is put in autosave).
  {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const session = JSON.stringify({ v: 1, manifests: pods(500), seed: 1, actions: [], time: 0 });
    await context.addInitScript((s) => localStorage.setItem('podplay:v1:session', s), session);
    const page = await context.newPage();
    await page.goto(server.base);
    await waitLive(page, 60000);
    await page.waitForSelector('[data-testid="pod-web-499"]', { timeout: 60000 });
    await page.getByTestId('speed').selectOption('60');
    // Two measures per animation frame:
    // - the frame's main-thread time: from the frame's start (the time rAF
    //   callbacks get, the same for the page's own callback) to a message
    //   posted from our callback, which runs only once the frame's callbacks,
    //   style, layout and paint are done: how long the page took to make it;
    // - the interval between frames, which at 60 Hz is 16.7 ms at best, and
    //   longer when a frame was dropped.
    const { work, intervals } = await page.evaluate(() => new Promise((done) => {
      const work = [];
      const intervals = [];
      const channel = new MessageChannel();
      let frameStart = 0;
      channel.port1.onmessage = () => work.push(performance.now() - frameStart);
      let last = performance.now();
      const start = last;
      function tick(t) {
        intervals.push(t - last);
        last = t;
        frameStart = t;
        channel.port2.postMessage(0);
        if (t - start < 6000) requestAnimationFrame(tick); else setTimeout(() => done({ work, intervals }), 50);
      }
      requestAnimationFrame(tick);
    }));
    const sortedWork = work.slice(5).sort((a, b) => a - b);
    const sorted = intervals.slice(5).sort((a, b) => a - b);
    results.frames = sortedWork.length;
    results.frameP50Ms = pct(sortedWork, 50);
    results.frameP95Ms = pct(sortedWork, 95);
    results.intervalP50Ms = pct(sorted, 50);
    results.intervalP95Ms = pct(sorted, 95);
    // At 60 Hz a frame is 16.7 ms; an interval past 25 ms means one was dropped.
    results.droppedPct = (100 * sorted.filter((t) => t > 25).length) / sorted.length;
    results.simTime = await page.getByTestId('clock').textContent();
    await context.close();
  }
  // 3. Re-validation of a 200-line manifest (the page times its own parse).
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.base);
    await waitLive(page);
    const text = pods(10).split('\n').slice(0, 200).join('\n');
    const samples = [];
    for (let i = 0; i < 15; i++) {
      await page.getByTestId('editor').fill(`${text}\n# edit ${i}\n`);
      await page.getByTestId('problems').locator('xpath=.').filter({ hasText: /./ }).waitFor();
      await page.waitForFunction((i) => document.querySelector('[data-testid=editor]').value.includes(`# edit ${i}`), i);
      await page.waitForTimeout(300);
      samples.push(Number(await page.getByTestId('problems').getAttribute('data-validate-ms')));
    }
    samples.sort((a, b) => a - b);
    results.validateLines = text.split('\n').length;
    results.validateMs = pct(samples, 50);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}

if (json) {
  console.log(JSON.stringify({ results, budgets: BUDGETS }, null, 2));
} else {
  const row = (name, value, unit, budget) => console.log(`${name.padEnd(52)}${value.toFixed(2).padStart(10)} ${unit.padEnd(3)}` +
    (budget === undefined ? '' : `  budget ≤ ${budget}: ${value <= budget ? 'ok' : 'OVER'}`));
  row(`Wasm + JS loaded, gzip -9 (modules: ${results.modules.join(' + ')})`, results.gzipKB, 'KB');
  row('load to interactive (first Pod drawn), median of 5', results.interactiveMs, 'ms', BUDGETS.interactiveMs);
  row("  the browser process's first page", results.interactiveFirstMs, 'ms');
  console.log(`  (the 5 loads: ${results.interactiveLoadsMs.map((v) => v.toFixed(0)).join(', ')} ms)`);
  row('  first view painted, its Pod drawn at build time', results.firstViewMs, 'ms');
  row(`frame time p50, 500 Pods at 60x (${results.frames} frames)`, results.frameP50Ms, 'ms');
  row('frame time p95, 500 Pods at 60x', results.frameP95Ms, 'ms', BUDGETS.frameP95Ms);
  row('interval between frames p50, 500 Pods at 60x', results.intervalP50Ms, 'ms');
  row('interval between frames p95, 500 Pods at 60x', results.intervalP95Ms, 'ms');
  row('frames dropped (interval > 25 ms), 500 Pods at 60x', results.droppedPct, '%');
  row(`re-validate a ${results.validateLines}-line manifest (median)`, results.validateMs, 'ms', BUDGETS.validateMs);
  console.log(`(CSS ${results.cssGzipKB.toFixed(1)} KB gzipped; simulated clock after the frame run: ${results.simTime})`);
}
