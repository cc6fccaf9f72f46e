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

/** The simulated time a clock shows (`t = 1m5.3s`, `t = 116ms`), in ms. */
function clockMs(text) {
  const ms = text.match(/^t = (\d+)ms$/);
  if (ms) return +ms[1];
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

test('an embed far down a post, started early off screen, waits to be seen, plays when seen, pauses when away, and the page carries on', async () => {
  const { context, page } = await open('', { width: 800, height: 700 }, FAST_4G);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  let release;
  const gate = new Promise((ok) => { release = ok; });
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('_bg.wasm')) wasm.push(new URL(r.url()).pathname.split('/').pop().split('-')[1]); });
  await page.route(/podplay-web-[0-9a-f]+_bg\.wasm$/, async (route) => { await gate; await route.continue(); });
  // The post on the player's own origin, so that the frame is in the page's
  // process and under its network conditions.
  await page.route(`${server.base}post.html`, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><head><title>post</title></head><body style="margin:0;width:760px">
      <h1>A post</h1><p style="height:2400px">Text before the player.</p>
      <iframe data-podplay title="crashloop" src="${server.base}index.html?embed=1&example=crashloop" width="100%" height="500" style="border:0"></iframe>
      <p style="height:1500px">Text after it.</p><script src="${server.base}embed.js"></script></body></html>`,
  }));
  await page.goto(`${server.base}post.html`);
  const frame = page.frameLocator('iframe[data-podplay]');
  const inner = () => page.frames().find((f) => f.url().includes('embed=1'));
  await page.waitForFunction(() => document.querySelector('iframe[data-podplay]')?.contentWindow?.performance.getEntriesByName('podplay:early-live').length > 0, null, { timeout: 30000 });
  const clock = frame.locator('#first-view [data-testid=clock]');
  const play = frame.locator('#first-view [data-testid=play]');
  // Off screen: the early player waits, at time zero, and says so.
  await page.waitForTimeout(1500);
  assert.equal(await clock.textContent(), 't = 0s', 'off screen, the clock has not started');
  assert.match(await play.textContent(), /▶ Play/);
  // Seen: it plays, the page's module still held back.
  await page.locator('iframe[data-podplay]').evaluate((f) => f.scrollIntoView({ block: 'start' }));
  await inner().waitForFunction(() => document.querySelector('#first-view [data-testid=clock]').textContent !== 't = 0s', null, { timeout: 10000 });
  assert.match(await play.textContent(), /Pause/);
  await page.waitForTimeout(1000);
  // Scrolled away: it pauses where it was.
  await page.evaluate(() => window.scrollTo(0, 0));
  await play.filter({ hasText: 'Play' }).waitFor({ timeout: 5000 });
  const paused = await clock.textContent();
  await page.waitForTimeout(1200);
  assert.equal(await clock.textContent(), paused, 'away, the clock stands still');
  // The page arrives while the player is off screen: it takes over paused,
  // at the early player's time, and plays once seen again.
  release();
  await inner().waitForFunction(() => !document.getElementById('first-view') && document.querySelector('.app'), null, { timeout: 30000 });
  const live = frame.getByTestId('clock');
  assert.equal(await live.textContent(), paused, 'the page takes over where the early player paused');
  assert.match(await frame.getByTestId('play').textContent(), /▶ Play/);
  await page.locator('iframe[data-podplay]').evaluate((f) => f.scrollIntoView({ block: 'start' }));
  await frame.getByTestId('play').filter({ hasText: 'Pause' }).waitFor({ timeout: 5000 });
  await page.waitForTimeout(1200);
  assert.ok(clockMs(await live.textContent()) > clockMs(paused), `${paused} -> ${await live.textContent()}`);
  assert.deepEqual(wasm, ['early', 'web']);
  assert.deepEqual(problems, []);
  await context.close();
});
