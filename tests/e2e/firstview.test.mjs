// The first view (issue 14.1): each page holds its scenario as HTML drawn at
// build time (src/ui/first_view.rs), so a reader sees the manifests and the
// cluster before the Wasm has arrived, and nothing moves when the live page
// takes its place.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { serve, launch, waitLive, DIST } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const escape = (s) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

test('the raw index.html holds the scenario: its YAML, its title and its Pod', async () => {
  const html = await (await fetch(server.base)).text();
  const yaml = await readFile(new URL('../../examples/liveness-exec.yaml', import.meta.url), 'utf8');
  const first = html.slice(html.indexOf('<div id="first-view"'));
  assert.ok(first.length > 0, 'a first view');
  // The textarea's text is the example's, as Yew escapes it.
  const line = '    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600';
  assert.ok(yaml.includes(line));
  assert.ok(first.includes(escape(line)), 'the YAML is in the page');
  assert.match(first, /data-testid="example-title" class="example-title"><strong>liveness-exec<\/strong>: Liveness exec probe/);
  assert.match(first, /data-testid="pod-liveness-exec"/);
  assert.match(first, /aria-label="Pod liveness-exec: ContainerCreating"/, "the cluster at time zero");
});

test('every bundled example and exercise has its own page', async () => {
  const files = await readdir(DIST);
  const examples = (await readdir(new URL('../../examples', import.meta.url))).filter((f) => f.endsWith('.yaml'));
  const exercises = (await readdir(new URL('../../exercises', import.meta.url))).filter((f) => f.endsWith('.yaml'));
  for (const f of examples) assert.ok(files.includes(`example-${f.replace('.yaml', '.html')}`), `a page for ${f}`);
  for (const f of exercises) assert.ok(files.includes(`exercise-${f.replace('.yaml', '.html')}`), `a page for ${f}`);
  const html = await (await fetch(`${server.base}example-deployment.html`)).text();
  assert.match(html, /<html lang="en" data-opens="\?example=deployment">/);
  assert.match(html, /data-testid="deployment-nginx-deployment"/);
  assert.ok(html.includes('kind: Deployment'));
});

/** A page whose Wasm is held back `ms`, recording its layout shifts
 * (`window.__shifts`) and page errors. */
async function heldBack(viewport, ms) {
  const context = await browser.newContext({ viewport, reducedMotion: 'no-preference' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.addInitScript(() => {
    // Where the key parts are drawn: read by the test before the takeover,
    // and by the observer below in the very task in which the live page
    // replaces the first view, before the simulation has moved on (under
    // load, a later reading would see a Pod card one line longer or
    // shorter, which is the scenario playing, not the takeover).
    window.__boxes = () => {
      const box = (sel) => { const r = document.querySelector(sel)?.getBoundingClientRect(); return r && [r.x, r.y, r.width, r.height].map(Math.round); };
      return { topbar: box('.topbar'), editor: box('[data-testid="editor"]'), title: box('[data-testid="example-title"]'),
        cluster: box('.pane-cluster'), firstPod: box('[data-testid^="pod-"]'), timeline: box('.timeline') };
    };
    new MutationObserver((_, observer) => {
      // The early player (src/ui/early.rs) draws into the first view at time
      // zero: read in the task in which it did, before its clock moves.
      if (!window.__atEarly && performance.getEntriesByName('podplay:early-live').length) window.__atEarly = window.__boxes();
      if (!document.getElementById('first-view') && document.querySelector('.app')) {
        window.__atTakeover = window.__boxes();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
    window.__shifts = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value); })
      .observe({ type: 'layout-shift', buffered: true });
  });
  await page.route(/_bg\.wasm$/, async (route) => { await new Promise((ok) => setTimeout(ok, ms)); await route.continue(); });
  return { context, page, problems };
}

/** Opens `path` with the Wasm held back `ms`, and returns the page once live,
 * with where the key parts were drawn before and after. */
async function boxesAcrossTakeover(path, ms = 1500) {
  const { context, page, problems } = await heldBack({ width: 1400, height: 1000 }, ms);
  const boxes = () => page.evaluate(() => window.__boxes());
  await page.goto(server.base + path);
  let before = null;
  if (ms > 0) {
    await page.locator('#first-view [data-testid="editor"]').waitFor();
    // The cards fade in (0.5 s, `appear`): measured once they stand still.
    await page.waitForTimeout(700);
    before = await boxes();
    assert.equal(await page.locator('#first-view').count(), 1, 'the first view is up before the Wasm');
  }
  await waitLive(page);
  const { atEarly, atTakeover } = await page.evaluate(() => ({ atEarly: window.__atEarly, atTakeover: window.__atTakeover }));
  await page.waitForTimeout(500);
  const cls = await page.evaluate(() => window.__shifts.reduce((a, b) => a + b, 0));
  return { page, context, before, atEarly, after: atTakeover, cls, problems };
}

test('nothing moves when the Wasm takes over (main page)', async () => {
  const { context, before, atEarly, after, cls, problems } = await boxesAcrossTakeover('');
  assert.ok(before.firstPod, 'a Pod was drawn before the Wasm');
  if (atEarly) {
    // The early player took over first (scripts/loader.js starts it when the
    // page's module is far off; early.test.mjs plays it on Fast 4G): read in
    // its own task, before its clock starts, so even the card's height holds.
    for (const k of Object.keys(before)) assert.deepEqual(atEarly[k], before[k], `${k} stays where it was when the early player starts`);
    // The whole page takes over where the early player was, its run some
    // time on (a card may have grown a line): nothing moves sideways or down.
    for (const k of Object.keys(before)) assert.deepEqual(after[k].slice(0, 3), before[k].slice(0, 3), `${k} stays where it was when the page takes over`);
  } else {
    // Read in the takeover's own task, before the clock starts (the live page
    // shows time zero until it is revealed), so even the card's height holds.
    for (const k of Object.keys(before)) assert.deepEqual(after[k], before[k], `${k} stays where it was`);
  }
  assert.ok(cls <= 0.02, `CLS ${cls.toFixed(4)} ≤ 0.02`);
  assert.deepEqual(problems, []);
  await context.close();
});

// Paused (autoplay=0), so that what moves after the takeover, the Job's Pods
// appearing, does not count here.
test('?example=NAME opens that example’s page, and nothing moves there either', async () => {
  const { page, context, before, after, cls, problems } = await boxesAcrossTakeover('?example=job-parallel&speed=10&autoplay=0');
  assert.match(page.url(), /\/example-job-parallel\.html\?example=job-parallel&speed=10&autoplay=0$/);
  assert.match(await page.getByTestId('example-title').textContent(), /^job-parallel:/);
  assert.equal(await page.getByTestId('speed').inputValue(), '10', 'the query still counts');
  for (const k of ['topbar', 'editor', 'title', 'cluster']) assert.deepEqual(after[k], before[k], `${k} stays where it was`);
  assert.ok(cls <= 0.02, `CLS ${cls.toFixed(4)} ≤ 0.02`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an example page without a query opens its own example', async () => {
  const { page, context, problems } = await boxesAcrossTakeover('example-crashloop.html', 0);
  assert.match(await page.getByTestId('example-title').textContent(), /^crashloop:/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a share link shows the layout without the default example’s text', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route(/_bg\.wasm$/, async (route) => { await new Promise((ok) => setTimeout(ok, 1500)); await route.continue(); });
  await page.goto(`${server.base}#s=whatever`);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.firstView), 'skeleton');
  assert.equal(await page.locator('#first-view [data-testid="example-title"]').evaluate((e) => getComputedStyle(e).color), 'rgba(0, 0, 0, 0)');
  await waitLive(page);
  await context.close();
});

test('an embed goes to its own page, drawn at build time, and nothing moves when the Wasm takes over', async () => {
  const { context, page, problems } = await heldBack({ width: 760, height: 900 }, 1500);
  const boxes = () => page.evaluate(() => {
    const box = (sel) => { const r = document.querySelector(sel)?.getBoundingClientRect(); return r && [r.x, r.y, r.width, r.height].map(Math.round); };
    return { bar: box('.embed-bar'), play: box('[data-testid="play"]'), node: box('.node'), pod: box('[data-testid="pod-crashloop"]'), timeline: box('.timeline') };
  });
  // Paused, so that only the takeover could move anything.
  await page.goto(`${server.base}?embed=1&example=crashloop&speed=10&autoplay=0`);
  assert.equal(page.url(), `${server.base}embed-crashloop.html?embed=1&example=crashloop&speed=10&autoplay=0`);
  await page.locator('#first-view .app.embed [data-testid="pod-crashloop"]').waitFor({ timeout: 5000 });
  assert.equal(await page.locator('#first-view').isVisible(), true, 'the scenario is shown before the Wasm');
  assert.equal(await page.locator('#first-view .topbar').count(), 0, 'in the embed layout, not the main one');
  await page.waitForTimeout(700);
  const before = await boxes();
  await waitLive(page);
  const after = await boxes();
  for (const k of Object.keys(before)) assert.deepEqual(after[k], before[k], `${k} stays where it was`);
  assert.match(await page.locator('.app.embed [data-testid="speed"]').inputValue(), /^10$/, 'the query still counts');
  await page.waitForTimeout(500);
  const cls = await page.evaluate(() => window.__shifts.reduce((a, b) => a + b, 0));
  assert.ok(cls <= 0.02, `CLS ${cls.toFixed(4)} ≤ 0.02`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an embed whose address changes what it draws (the editor, a session) shows no first view', async () => {
  for (const path of ['?embed=1&example=crashloop&editor=1', '?embed=1#s=whatever']) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.route(/_bg\.wasm$/, async (route) => { await new Promise((ok) => setTimeout(ok, 1500)); await route.continue(); });
    await page.goto(server.base + path);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.firstView), 'none', path);
    assert.equal(await page.locator('#first-view').isVisible(), false);
    assert.equal(await page.locator('#loading').isVisible(), true);
    assert.equal(page.url(), server.base + path, 'no redirect');
    await page.waitForSelector('.app.embed', { timeout: 20000 });
    assert.equal(await page.locator('#first-view').count(), 0);
    await context.close();
  }
});

test('the first view stays the largest contentful paint: the live page starts once its paint is recorded', async () => {
  // The Wasm from a local server arrives at once: before scripts/loader.js
  // waited, the live page often replaced the first view before Chromium
  // recorded its paint, and the live page's copy became the LCP.
  for (let i = 0; i < 3; i++) {
    const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__lcp = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lcp.push(Boolean(e.element?.closest('#first-view'))); })
        .observe({ type: 'largest-contentful-paint', buffered: true });
    });
    await page.goto(server.base);
    await waitLive(page);
    await page.waitForTimeout(500);
    const lcp = await page.evaluate(() => window.__lcp);
    assert.ok(lcp.length > 0, 'an LCP entry');
    assert.deepEqual(lcp, lcp.map(() => true), `load ${i}: every LCP entry is the first view's`);
    await context.close();
  }
});
