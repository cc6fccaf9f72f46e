// Embeds in a post (issue 14, items 3 and 4): frames that fit their content
// both ways and have the same height on every load, players that start only
// when the reader sees them, and one Wasm download for several players when
// the host serves as scripts/serve.py does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { serve, serveReal, launch, openPage, DIST } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** A post with the given embeds (query strings), each in an iframe sized by embed.js. */
function post(queries) {
  const frames = queries.map((q, i) =>
    `<p>Paragraph ${i}.</p><iframe data-podplay title="embed ${i}" src="${server.base}index.html?${q}" width="100%" height="500" style="border:0"></iframe>`);
  return `<!doctype html><html lang="en"><head><title>post</title></head><body style="margin:0;width:720px">${frames.join('')}
    <script src="${server.base}embed.js"></script></body></html>`;
}

const heights = (page) => page.evaluate(() => [...document.querySelectorAll('iframe[data-podplay]')].map((f) => f.style.height));

/** Waits until embed.js has sized every frame and the sizes hold for 600 ms. */
async function settled(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('iframe[data-podplay]')].every((f) => /^\d+px$/.test(f.style.height)), null, { timeout: 30000 });
  let last = await heights(page);
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(600);
    const now = await heights(page);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  throw new Error(`frame heights never settled: ${last}`);
}

test('the same embeds have the same heights on every load', async () => {
  const html = post(['embed=1&example=deployment&autoplay=0&start=20s', 'embed=1&example=liveness-exec&autoplay=0&start=20s', 'embed=1&example=init-containers&editor=1&autoplay=0']);
  const loads = [];
  for (let n = 0; n < 2; n++) {
    // Tall enough to show every frame: Chromium does not lay out a cross-origin frame that is off screen.
    const context = await browser.newContext({ viewport: { width: 720, height: 2600 } });
    const page = await context.newPage();
    await page.setContent(html);
    loads.push(await settled(page));
    await context.close();
  }
  assert.deepEqual(loads[0], loads[1]);
  // A compact player: a 3-replica Deployment with its Service fits in less than 1,000 px at 700 px wide.
  assert.ok(parseInt(loads[0][0]) < 1000, `deployment embed ${loads[0][0]}`);
  // The editor is as tall as its text (21 lines, 20 px each), not a share of the frame.
  assert.ok(parseInt(loads[0][2]) < 1100, `editor embed ${loads[0][2]}`);
});

test('a frame shrinks when its content does', async () => {
  const context = await browser.newContext({ viewport: { width: 720, height: 900 } });
  const page = await context.newPage();
  await page.setContent(post(['embed=1&example=init-containers&editor=1&autoplay=0']));
  const [tall] = await settled(page);
  const inner = page.frameLocator('iframe[data-podplay]');
  // Replace the 21-line manifests by a 9-line Pod.
  await inner.locator('textarea').fill('apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n');
  await inner.getByTestId('pod-web').waitFor({ timeout: 10000 });
  const [short] = await settled(page);
  assert.ok(parseInt(short) < parseInt(tall) - 150, `${tall} -> ${short}`);
  // The frame is as tall as its content: nothing below it, no scrollbar.
  const inside = await page.frames()[1].evaluate(() => [document.documentElement.scrollHeight, innerHeight]);
  assert.equal(inside[0], inside[1]);
  await context.close();
});

test('a player starts when half of it is seen, pauses when scrolled away, and resumes where it was', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}blog-demo.html`);
  const frames = page.locator('iframe[data-podplay]');
  const last = frames.nth(2).contentFrame();
  const clock = last.getByTestId('clock');
  const play = last.getByTestId('play');
  // Far down the post: loaded (scrolled to, then back), but not seen long enough to play.
  await frames.nth(2).scrollIntoViewIfNeeded();
  await last.locator('article.pod').first().waitFor({ timeout: 30000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  const t0 = await clock.textContent();
  await page.waitForTimeout(2000);
  assert.equal(await clock.textContent(), t0, 'off screen, the clock stands still');
  assert.match(await play.textContent(), /▶ Play/);
  // Seen: it plays.
  await frames.nth(2).evaluate((f) => f.scrollIntoView({ block: 'start' }));
  await play.filter({ hasText: 'Pause' }).waitFor({ timeout: 5000 });
  await page.waitForTimeout(1500);
  const seen = await clock.textContent();
  assert.notEqual(seen, t0);
  // Scrolled away: it pauses where it was, and says "▶ Play".
  await page.evaluate(() => window.scrollTo(0, 0));
  await play.filter({ hasText: 'Play' }).waitFor({ timeout: 5000 });
  const paused = await clock.textContent();
  await page.waitForTimeout(1500);
  assert.equal(await clock.textContent(), paused);
  // Back: it resumes from there, not from zero.
  await frames.nth(2).evaluate((f) => f.scrollIntoView({ block: 'start' }));
  await play.filter({ hasText: 'Pause' }).waitFor({ timeout: 5000 });
  await page.waitForTimeout(1200);
  const secs = (t) => { const m = t.match(/t = (?:(\d+)m)?([\d.]+)s/); return Number(m[1] ?? 0) * 60 + Number(m[2]); };
  assert.ok(secs(await clock.textContent()) > secs(paused), `${paused} -> ${await clock.textContent()}`);
  // A reader's Pause is kept when the player comes back into view.
  await play.click();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await frames.nth(2).evaluate((f) => f.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(800);
  assert.match(await play.textContent(), /▶ Play/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('serve.py serves as a real host: compressed, the wasm type, cache headers; three players fetch each Wasm module once', async () => {
  const host = await serveReal();
  try {
    const index = await fetch(host.base, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    await index.text();
    const wasm = readdirSync(DIST).find((n) => n.endsWith('_bg.wasm'));
    const r = await fetch(host.base + wasm, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(r.headers.get('content-type'), 'application/wasm');
    assert.equal(r.headers.get('content-encoding'), 'gzip', 'build-web.sh ran compress-dist.py: NAME.gz is served');
    assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(r.headers.get('vary'), 'Accept-Encoding');
    // Bytes as built, after decoding.
    assert.equal(Buffer.from(await r.arrayBuffer()).subarray(0, 4).toString('hex'), '0061736d');
    const plain = await fetch(host.base + wasm, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.headers.get('content-encoding'), null);

    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    const logged = host.log.length;
    await page.goto(`${host.base}blog-demo.html`);
    const frames = page.locator('iframe[data-podplay]');
    for (let i = 0; i < 3; i++) {
      await frames.nth(i).scrollIntoViewIfNeeded();
      await frames.nth(i).contentFrame().locator('article.pod').first().waitFor({ timeout: 30000 });
    }
    // The page's module, and the early player's (src/ui/early.rs) for the
    // players whose first view it plays: each fetched once, then cached.
    for (const name of readdirSync(DIST).filter((n) => n.endsWith('_bg.wasm'))) {
      const fetched = host.log.slice(logged).filter((l) => l.includes(`GET /${name}`));
      assert.equal(fetched.length, 1, `${name}: ${fetched.join('\n')}`);
    }
    await context.close();
  } finally {
    host.close();
  }
});

test('no jump after loading: the reserved height is close to what the player takes', async () => {
  // The blog demo's frames, as embed.js first sizes them.
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.base}blog-demo.html`);
  const frames = page.locator('iframe[data-podplay]');
  for (let i = 0; i < 3; i++) {
    const frame = frames.nth(i);
    const reserved = Number(await frame.getAttribute('height'));
    await frame.scrollIntoViewIfNeeded();
    await page.waitForFunction((i) => /^\d+px$/.test(document.querySelectorAll('iframe[data-podplay]')[i].style.height), i, { timeout: 30000 });
    const first = parseInt(await frame.evaluate((f) => f.style.height));
    // (A Pod that starts grows its card by a line or two: within 10 %.)
    assert.ok(Math.abs(first - reserved) <= reserved * 0.1, `frame ${i}: reserved ${reserved}, took ${first}`);
  }
  await context.close();

  // The snippet the Embed button makes, for a Deployment 30 s in, against the player it opens.
  const { page: main, context: mainContext } = await openPage(browser, `${server.base}?example=deployment&speed=300`);
  await main.getByTestId('clock').filter({ hasText: /t = [3-9]\ds|t = \dm/ }).waitFor({ timeout: 20000 });
  await main.getByTestId('play').click();
  await main.getByTestId('embed').click();
  const snippet = await main.getByTestId('snippet').inputValue();
  const reserved = Number(snippet.match(/height="(\d+)"/)[1]);
  const src = snippet.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  const host = await browser.newContext({ viewport: { width: 720, height: 1400 } });
  const post = await host.newPage();
  await post.setContent(`<!doctype html><body style="margin:0;width:700px"><iframe data-podplay src="${src}" width="100%" height="${reserved}" style="border:0"></iframe><script src="${server.base}embed.js"></script></body>`);
  await post.waitForFunction(() => /^\d+px$/.test(document.querySelector('iframe').style.height), null, { timeout: 30000 });
  const took = parseInt(await post.evaluate(() => document.querySelector('iframe').style.height));
  assert.ok(Math.abs(took - reserved) <= reserved * 0.1, `snippet reserved ${reserved}, the player took ${took}`);
  await host.close();
  await mainContext.close();
});

test('an embed does not shift as it plays: the ℹ note that appears after the first restart keeps CLS ≤ 0.02', async () => {
  const page = await browser.newPage({ viewport: { width: 760, height: 900 } });
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value); })
      .observe({ type: 'layout-shift', buffered: true });
  });
  // The embed's own document, as an iframe loads it (the bench's figure: docs/performance.md).
  await page.goto(`${server.base}?embed=1&example=crashloop&speed=10`);
  await page.waitForFunction(() => !document.getElementById('first-view') && document.querySelector('.app.embed [data-testid^="pod-"]'), null, { timeout: 60000 });
  // The note comes with the first restart (about 1 s of page time at 10×); then one more restart.
  const note = page.locator('.app.embed [data-testid="pod-note"]');
  await note.waitFor({ timeout: 30000 });
  assert.match(await note.textContent(), /through \d+ container restarts?/);
  await page.waitForFunction(() => Number(document.querySelector('.app.embed .restarts')?.textContent.replace(/\D/g, '')) >= 2, null, { timeout: 30000 });
  await page.waitForTimeout(500);
  const shifts = await page.evaluate(() => window.__shifts);
  const cls = shifts.reduce((a, b) => a + b, 0);
  assert.ok(cls <= 0.02, `layout shift of the embed through its first restarts: ${cls.toFixed(4)} (${shifts.map((s) => s.toFixed(4)).join(', ')}), budget 0.02`);
  // Clamped to two lines: it takes no more height than that.
  const { height, line } = await note.evaluate((ul) => ({ height: ul.querySelector('li').getBoundingClientRect().height, line: parseFloat(getComputedStyle(ul).lineHeight) }));
  assert.ok(height <= 2 * line + 1, `the note is ${height} px tall, two lines are ${2 * line} px`);
  await page.close();
});
