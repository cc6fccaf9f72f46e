// The page while its Wasm downloads (the bulk of its ~490 KB gzipped): a
// progress bar with the share downloaded, one download only, and a message
// rather than an endless "Loading…" when the download fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, waitLive } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('a slow download shows its progress, then the playground', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  // ~1.1 MB of the early player's Wasm (served uncompressed here) at 400 KB/s: about 3 s.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 400 * 1024, uploadThroughput: -1 });
  const before = server.requests.length;
  await page.goto(server.base);
  const bar = page.locator('#loading progress');
  await page.waitForFunction(() => {
    const p = document.querySelector('#loading progress');
    return p && p.value > 0 && p.value < p.max;
  }, null, { timeout: 10000 });
  assert.equal(await bar.getAttribute('aria-label'), 'Downloading the simulator');
  // Served uncompressed here, so the bytes that travel are the Wasm's own.
  assert.match(await page.locator('#loading').textContent(), /^Downloading the simulator \(\d+ of \d{4} KB\)$/);
  assert.equal(await page.locator('#first-view').isVisible(), true, 'the first view stays readable meanwhile');
  await waitLive(page, 30000);
  assert.equal(await page.locator('#loading').count(), 0, 'the loading line goes once the page is up');
  assert.equal(await page.locator('#first-view').count(), 0, 'the live page has replaced the first view');
  // The early player (src/ui/early.rs, which plays the first view), then the page's.
  const wasm = server.requests.slice(before).filter((p) => p.endsWith('_bg.wasm')).map((p) => p.split('/').pop().split('-')[1]);
  assert.deepEqual(wasm, ['early', 'web'], 'each module is fetched once');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a failed download says so instead of loading forever', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route(/_bg\.wasm$/, (route) => route.fulfill({ status: 503, body: 'busy' }));
  await page.goto(server.base);
  const box = page.locator('#loading.loading-failed');
  await box.waitFor({ timeout: 10000 });
  assert.match(await box.textContent(), /^The simulator could not be loaded \(.*HTTP 503\)\. Check the connection and reload the page\.$/);
  assert.equal(await page.locator('#live .app').count(), 0, 'no live page');
  assert.equal(await page.locator('#first-view[inert]').count(), 1, 'the first view stays, inert');
  await context.close();
});

/** When the Wasm was requested and when the first view's paint was recorded
 * (its largest-contentful-paint entry), both as Unix ms, loading the page
 * with `net` emulated (none: unthrottled). */
async function wasmAgainstPaint(net) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.lcpAt ??= performance.timeOrigin + e.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (net) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...net });
  let requestedAt;
  page.on('request', (r) => { if (r.url().endsWith('_bg.wasm')) requestedAt ??= Date.now(); });
  await page.goto(server.base, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.lcpAt !== undefined, null, { timeout: 10000 });
  const lcpAt = await page.evaluate(() => window.lcpAt);
  for (let i = 0; requestedAt === undefined && i < 100; i++) await page.waitForTimeout(50);
  await context.close();
  return { requestedAt, lcpAt };
}

// scripts/wasm-fetch.js: on a slow network (Slow 4G, as the first-view
// bench throttles it) the download begins while the first view is parsed,
// before its paint; on a fast one only after the paint is recorded, so that
// Lighthouse's unthrottled load does not count the download against its LCP.
test('the Wasm is requested before the first paint on Slow 4G, after it on a fast network', async () => {
  const slow = await wasmAgainstPaint({ latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 });
  assert.ok(slow.requestedAt < slow.lcpAt, `Slow 4G: requested ${slow.requestedAt - slow.lcpAt} ms after the paint`);
  const fast = await wasmAgainstPaint(null);
  assert.ok(fast.requestedAt > fast.lcpAt, `unthrottled: requested ${fast.lcpAt - fast.requestedAt} ms before the paint`);
});
