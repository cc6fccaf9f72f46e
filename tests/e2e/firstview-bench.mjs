// What a reader feels while the page loads (issue 14.6), measured in Debian's
// headless Chromium against dist/ served as a real host would (the brotli
// copies scripts/build-web.sh writes, NAME.br, else its gzip copies, NAME.gz,
// written by Zopfli, as nginx's gzip_static serves them; long cache for
// the hashed files), with the network throttled over the DevTools protocol.
// Run by hand after `bash scripts/build-web.sh`:
//
//   cd tests/e2e && node firstview-bench.mjs            # every figure
//   node firstview-bench.mjs --quick                   # no Lighthouse, one run each
//   node firstview-bench.mjs --gzip                    # gzip only (a host without brotli)
//   node firstview-bench.mjs --quick --shots DIR       # and screenshots of the
//                                     loading page on Slow 4G (at 1 s, 2 s, live)
//
// Prints each figure beside its budget, and exits 1 when one is over.
// The network only is throttled (not the CPU); each run is a cold cache.
// Figures are the median of RUNS runs.
import { createServer } from 'node:http';
import { readFile, readdir, stat, mkdtemp } from 'node:fs/promises';
import { gzipSync, constants } from 'node:zlib';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { launch, DIST, SUBPATH } from './harness.mjs';

const quick = process.argv.includes('--quick');
const gzipOnly = process.argv.includes('--gzip');
const shots = process.argv.includes('--shots') ? process.argv[process.argv.indexOf('--shots') + 1] : null;
const RUNS = quick ? 1 : 3;
const SLOW_4G = { name: 'Slow 4G', latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 };
const FAST_4G = { name: 'Fast 4G', latency: 40, downloadThroughput: 9e6 / 8, uploadThroughput: 1.5e6 / 8 };

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.md': 'text/plain; charset=utf-8', '.yaml': 'text/yaml; charset=utf-8',
};
const COMPRESSED = new Set(['.html', '.js', '.wasm', '.css', '.svg', '.md', '.yaml']);
const HASHED = /-[0-9a-f]{16}(_bg)?\.\w+$/;

/** dist/ under SUBPATH, compressed when the browser accepts it: the build's
 * brotli copy (NAME.br) when there is one (not with --gzip), else its gzip
 * copy (NAME.gz, Zopfli), else gzip level 9, with the cache headers of a
 * real host. */
async function serveCompressed() {
  const files = new Map();
  const walk = async (dir, rel) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(dir, e.name), `${rel}${e.name}/`);
      else if (!/\.(gz|br)$/.test(e.name)) {
        const body = await readFile(join(dir, e.name));
        const ext = extname(e.name);
        const br = gzipOnly ? null : await readFile(join(dir, `${e.name}.br`)).catch(() => null);
        const gz = await readFile(join(dir, `${e.name}.gz`)).catch(() => null)
          ?? (COMPRESSED.has(ext) ? gzipSync(body, { level: constants.Z_BEST_COMPRESSION }) : null);
        files.set(rel + e.name, { body, ext, br, gz });
      }
    }
  };
  await walk(DIST, '');
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const rel = decodeURIComponent(path.slice(SUBPATH.length)) || 'index.html';
    const f = path.startsWith(SUBPATH) && files.get(rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!f) { res.writeHead(404); res.end(); return; }
    const br = f.br && /\bbr\b/.test(req.headers['accept-encoding'] ?? '');
    const gz = !br && f.gz && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const body = br ? f.br : gz ? f.gz : f.body;
    res.writeHead(200, {
      'content-type': TYPES[f.ext] ?? 'application/octet-stream', 'content-length': body.length, vary: 'Accept-Encoding',
      'cache-control': HASHED.test(rel) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...(br ? { 'content-encoding': 'br' } : gz ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${server.address().port}${SUBPATH}`;
  return { base, files, close: () => new Promise((ok) => server.close(ok)) };
}

/** Records, in the page, when the first view and the live page were first
 * drawn (animation-frame times, ms from navigation), layout shifts and long
 * tasks. */
function probe() {
  const fv = { shifts: 0, longtasks: [] };
  window.__fv = fv;
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) fv.shifts += e.value; })
    .observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) fv.longtasks.push([e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.name === 'first-contentful-paint') fv.fcp = e.startTime; })
    .observe({ type: 'paint', buffered: true });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) fv.lcp = e.startTime; })
    .observe({ type: 'largest-contentful-paint', buffered: true });
  const shown = (el) => el && el.getBoundingClientRect().height > 0 && getComputedStyle(el).color !== 'rgba(0, 0, 0, 0)';
  const poll = (t) => {
    const title = document.querySelector('[data-testid="example-title"]');
    const editor = document.querySelector('[data-testid="editor"]');
    // (The textarea's own text is transparent: the highlighted copy under it shows it.)
    const yaml = document.querySelector('.editor pre.hl');
    if (fv.firstView === undefined && shown(title) && editor && editor.value.length > 0 && shown(yaml)) fv.firstView = t;
    // Live: the early player runs the first view (src/ui/early.rs), or the
    // App has replaced it, and a Pod is drawn; either plays from its first frame.
    const early = performance.getEntriesByName('podplay:early-live').length > 0;
    const whole = !document.getElementById('first-view') && document.querySelector('.app [data-testid^="pod-"]');
    if (fv.live === undefined && (whole || (early && document.querySelector('#first-view [data-testid^="pod-"]')))) fv.live = t;
    if (fv.whole === undefined && whole) fv.whole = t;
    if (fv.whole === undefined) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
}

async function run(browser, base, path, net, viewport = { width: 1350, height: 940 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.addInitScript(probe);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (net) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...net });
  await page.goto(base + path, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__fv && window.__fv.whole !== undefined, null, { timeout: 60000, polling: 100 });
  await page.waitForTimeout(1000);
  const r = await page.evaluate(() => {
    // The first module fetched: the early player's where it plays the first view, else the page's.
    const [wasm, page] = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('_bg.wasm'));
    return { ...window.__fv, wasmTransfer: wasm?.transferSize, wasmDecoded: wasm?.decodedBodySize,
      wasmStart: wasm?.startTime, wasmEnd: wasm?.responseEnd, pageTransfer: page?.transferSize, pageEnd: page?.responseEnd };
  });
  await context.close();
  const counted = r.longtasks.filter(([s]) => s <= r.whole + 1000);
  r.longest = Math.max(0, ...counted.map(([, d]) => d));
  r.longestAt = counted.find(([, d]) => d === r.longest)?.[0];
  return r;
}

/** An embed: the iframe's own document, and a host page with embeds. */
async function embedShift(browser, base) {
  const context = await browser.newContext({ viewport: { width: 760, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(probe);
  await page.goto(`${base}?embed=1&example=crashloop&speed=10`);
  // Live: the App, not the embed's first view (embed-crashloop.html), draws the Pod.
  await page.waitForFunction(() => !document.getElementById('first-view') && document.querySelector('.app.embed [data-testid^="pod-"]'), null, { timeout: 60000 });
  await page.waitForTimeout(2000);
  const own = await page.evaluate(() => window.__fv.shifts);
  await context.close();
  return own;
}

/** The page as a reader on Slow 4G sees it while it loads. */
async function loadingShots(browser, base, dir) {
  const context = await browser.newContext({ viewport: { width: 1350, height: 940 } });
  const page = await context.newPage();
  await page.addInitScript(probe);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW_4G });
  const t0 = Date.now();
  await page.goto(base, { waitUntil: 'commit' });
  for (const at of [1000, 2000]) {
    await page.waitForTimeout(Math.max(0, at - (Date.now() - t0)));
    await page.screenshot({ path: join(dir, `slow4g-${at}ms.png`) });
  }
  await page.waitForFunction(() => window.__fv && window.__fv.live !== undefined, null, { timeout: 60000, polling: 100 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(dir, 'slow4g-live.png') });
  await context.close();
  console.log(`screenshots in ${dir}: slow4g-1000ms.png, slow4g-2000ms.png, slow4g-live.png`);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const rows = [];
const figure = (name, value, budget, ok, unit = '') => {
  rows.push({ name, value, budget, ok });
  console.log(`${ok ? 'ok  ' : 'OVER'}  ${name.padEnd(58)} ${String(value).padStart(9)}${unit}   budget ${budget}`);
};

function lighthouse(url) {
  const bin = new URL('./node_modules/.bin/lighthouse', import.meta.url).pathname;
  return mkdtemp(join(tmpdir(), 'podplay-lh-')).then((dir) => new Promise((ok, fail) => {
    const out = join(dir, 'report.json');
    execFile(bin, [url, '--quiet', '--output=json', `--output-path=${out}`, '--only-categories=performance,accessibility',
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync'],
    { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? '/usr/bin/chromium' }, timeout: 240000 },
    async (err) => {
      if (err) return fail(err);
      const lhr = JSON.parse(await readFile(out, 'utf8'));
      const a = lhr.audits;
      ok({ performance: Math.round(lhr.categories.performance.score * 100), accessibility: Math.round(lhr.categories.accessibility.score * 100),
        lcp: a['largest-contentful-paint'].numericValue, tbt: a['total-blocking-time'].numericValue, cls: a['cumulative-layout-shift'].numericValue,
        failing: Object.values(a).filter((x) => x.score !== null && x.score < 1 && lhr.categories.accessibility.auditRefs.some((r) => r.id === x.id)).map((x) => x.id) });
    });
  }));
}

const server = await serveCompressed();
const browser = await launch();
try {
  const sizes = [...server.files.entries()].filter(([n]) => n.endsWith('_bg.wasm')).map(([n, w]) =>
    `${n.split('-')[1]} ${Math.round(w.body.length / 1000)} KB, ${Math.round(w.gz.length / 1000)} KB gzipped${w.br ? `, ${Math.round(w.br.length / 1000)} KB brotli` : ''}`);
  console.log(`dist/ Wasm: ${sizes.join('; ')}; ${gzipOnly ? 'gzip' : 'brotli'} served; ${RUNS} run(s) each, median\n`);
  if (shots) await loadingShots(browser, server.base, shots);
  const slow = [];
  const fast = [];
  for (let i = 0; i < RUNS; i++) slow.push(await run(browser, server.base, '', SLOW_4G));
  for (let i = 0; i < RUNS; i++) fast.push(await run(browser, server.base, '', FAST_4G));
  const ms = (x) => Math.round(x);
  // Seen at the later of the first frame that holds it and the first paint.
  const fv = median(slow.map((r) => Math.max(r.firstView, r.fcp)));
  figure('first view (scenario name and YAML visible), Slow 4G', ms(fv), '≤ 1000 ms', fv <= 1000, ' ms');
  console.log(`      (first frame holding it ${ms(median(slow.map((r) => r.firstView)))} ms, first contentful paint ${ms(median(slow.map((r) => r.fcp)))} ms)`);
  const liveSlow = median(slow.map((r) => r.live));
  figure('first Pod live (simulation running), Slow 4G', ms(liveSlow), '≤ 3000 ms', liveSlow <= 3000, ' ms');
  // Where the time to it goes: the Wasm's download (request to last byte), then its start.
  const where = (runs) => `first view's LCP ${ms(median(runs.map((r) => r.lcp ?? NaN)))} ms, first Wasm (${Math.round(runs[0].wasmTransfer / 1000)} KB) requested at ${ms(median(runs.map((r) => r.wasmStart)))} ms, `
    + `last byte ${ms(median(runs.map((r) => r.wasmEnd)))} ms, live ${ms(median(runs.map((r) => r.live - r.wasmEnd)))} ms later; `
    + (runs[0].pageEnd ? `the page's Wasm (${Math.round(runs[0].pageTransfer / 1000)} KB) last byte ${ms(median(runs.map((r) => r.pageEnd)))} ms, ` : '')
    + `editor and controls live at ${ms(median(runs.map((r) => r.whole)))} ms`;
  console.log(`      (${where(slow)})`);
  const liveFast = median(fast.map((r) => r.live));
  figure('first Pod live (simulation running), Fast 4G', ms(liveFast), '≤ 1000 ms', liveFast <= 1000, ' ms');
  console.log(`      (${where(fast)})`);
  const cls = Math.max(...slow.map((r) => r.shifts), ...fast.map((r) => r.shifts));
  figure('CLS, main page (worst run, until 1 s after the page took over)', cls.toFixed(4), '≤ 0.02', cls <= 0.02);
  const embed = await embedShift(browser, server.base);
  figure('CLS, an embed (?embed=1&example=crashloop, its own document)', embed.toFixed(4), '≤ 0.02', embed <= 0.02);
  const longest = Math.max(...slow.map((r) => r.longest), ...fast.map((r) => r.longest));
  figure('longest main-thread task while loading (0 = none ≥ 50 ms)', ms(longest), '≤ 100 ms', longest <= 100, ' ms');
  const worst = [...slow, ...fast].find((r) => r.longest === longest);
  if (longest > 0) console.log(`      (it began at ${ms(worst.longestAt)} ms; that run's first Pod live at ${ms(worst.live)} ms, the page took over at ${ms(worst.whole)} ms)`);
  if (!quick) {
    try {
      const lh = await lighthouse(server.base);
      figure('Lighthouse mobile Performance', lh.performance, '≥ 90', lh.performance >= 90);
      figure('Lighthouse mobile Accessibility', lh.accessibility, '= 100', lh.accessibility >= 100);
      console.log(`      (Lighthouse LCP ${ms(lh.lcp)} ms, TBT ${ms(lh.tbt)} ms, CLS ${lh.cls.toFixed(4)}${lh.failing.length ? `; accessibility audits failing: ${lh.failing.join(', ')}` : ''})`);
    } catch (e) {
      console.log(`      Lighthouse not run: ${e.message.split('\n')[0]}`);
      rows.push({ ok: false });
    }
  }
} finally {
  await browser.close();
  await server.close();
}
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
