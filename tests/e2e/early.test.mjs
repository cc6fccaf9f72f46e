// The early player (src/ui/early.rs): a smaller Wasm module that plays the
// first view while the page's own module downloads, then hands over to the
// page where it was. The page's module is held back here (a route that waits)
// so the early player's part is seen for as long as the test needs, and the
// network is Fast 4G's (9 Mbps): on a fast one the loader does not start the
// early player, the page's module being only moments behind (scripts/loader.js).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, waitLive } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const FAST_4G = { offline: false, latency: 40, downloadThroughput: 9e6 / 8, uploadThroughput: 1.5e6 / 8 };

/** Opens `url` on `net` (CDP's network conditions, none: unthrottled). */
async function open(url, viewport, net) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  if (net) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', net);
  }
  return { context, page };
}

/** A page on Fast 4G whose own module (podplay-web) is fetched only once `release()` is called. */
async function heldBack(url, viewport = { width: 1400, height: 1000 }) {
  const { context, page } = await open('', viewport, FAST_4G);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shift += e.value; })
      .observe({ type: 'layout-shift', buffered: true });
  });
  let release;
  const gate = new Promise((ok) => { release = ok; });
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('_bg.wasm')) wasm.push(new URL(r.url()).pathname.split('/').pop().split('-')[1]); });
  await page.route(/podplay-web-[0-9a-f]+_bg\.wasm$/, async (route) => { await gate; await route.continue(); });
  await page.goto(url);
  return { page, context, problems, release, wasm };
}

/** The simulated time a clock shows (`t = 1m5.3s`), in ms. */
function clockMs(text) {
  const m = text.match(/^t = (?:(\d+)h)?(?:(\d+)m)?(?:([\d.]+)s)?$/);
  assert.ok(m, `a clock: ${text}`);
  return ((+(m[1] ?? 0) * 60 + +(m[2] ?? 0)) * 60 + +(m[3] ?? 0)) * 1000;
}

test('the first view plays before the page has arrived, and the page goes on from where it was', async () => {
  const { page, context, problems, release, wasm } = await heldBack(server.base);
  await page.waitForFunction(() => performance.getEntriesByName('podplay:early-live').length > 0, null, { timeout: 20000 });
  const first = page.locator('#first-view');
  assert.equal(await first.count(), 1, 'the first view is still there: the early player plays it');
  // A first visit's default example plays at 5x: liveness-exec's container starts within seconds.
  const clock = first.getByTestId('clock');
  await page.waitForFunction(() => {
    const t = document.querySelector('#first-view [data-testid=clock]').textContent;
    return t !== 't = 0s' && document.querySelector('#first-view [data-testid="pod-liveness-exec"]')?.textContent.includes('Running');
  }, null, { timeout: 20000 });
  assert.equal(await first.getByTestId('play').getAttribute('aria-pressed'), 'true');
  assert.ok(await first.locator('section.timeline').count() === 1, 'the timeline is drawn live');
  assert.match(await page.locator('#loading').textContent(), /^Downloading the editor and controls/);
  const early = clockMs(await clock.textContent());
  assert.ok(early > 0);
  release();
  await waitLive(page, 30000);
  const now = clockMs(await page.getByTestId('clock').textContent());
  assert.ok(now >= early, `the page goes on from the early player's time (${early} ms), not from zero: ${now} ms`);
  assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'true', 'and plays as it did');
  assert.equal(await page.getByTestId('speed').inputValue(), '5', 'at its speed');
  // Then it answers: the editor is live.
  assert.equal(await page.getByTestId('editor').isEditable(), true);
  const shift = await page.evaluate(() => window.__shift);
  assert.ok(shift <= 0.02, `the page takes over without moving anything: layout shift ${shift}`);
  assert.deepEqual(wasm, ['early', 'web'], 'the early player, then the page, each once');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an embed plays its first view early too, and an exercise (the learner\'s work may differ) does not', async () => {
  {
    const { page, context, problems, release, wasm } = await heldBack(`${server.base}?embed=1&example=crashloop`, { width: 700, height: 900 });
    await page.waitForFunction(() => performance.getEntriesByName('podplay:early-live').length > 0, null, { timeout: 20000 });
    await page.waitForFunction(() => document.querySelector('#first-view [data-testid=clock]')?.textContent !== 't = 0s', null, { timeout: 20000 });
    release();
    await waitLive(page, 30000);
    assert.deepEqual(wasm, ['early', 'web']);
    assert.deepEqual(problems, []);
    await context.close();
  }
  {
    const { context, page } = await open('', { width: 1280, height: 800 }, FAST_4G);
    const wasm = [];
    page.on('request', (r) => { if (r.url().endsWith('_bg.wasm')) wasm.push(new URL(r.url()).pathname.split('/').pop().split('-')[1]); });
    await page.goto(`${server.base}?exercise=01-image-typo`);
    await waitLive(page, 30000);
    assert.deepEqual(wasm, ['web'], 'only the page');
    assert.equal(await page.evaluate(() => performance.getEntriesByName('podplay:early-live').length), 0);
    await context.close();
  }
});

test('on a fast network the early player is fetched but not started: the page follows it at once', async () => {
  const { context, page } = await open('', { width: 1400, height: 1000 });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('_bg.wasm')) wasm.push(new URL(r.url()).pathname.split('/').pop().split('-')[1]); });
  await page.goto(server.base);
  await waitLive(page, 30000);
  assert.deepEqual(wasm, ['early', 'web']);
  assert.equal(await page.evaluate(() => performance.getEntriesByName('podplay:early-live').length), 0, 'the early player did not play');
  assert.equal(await page.getByTestId('speed').inputValue(), '5', 'the page opens as it would have');
  assert.deepEqual(problems, []);
  await context.close();
});
