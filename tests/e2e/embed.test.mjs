// Embeds: the compact player in iframes on a plain static "blog" page, the
// optional sizing script, and the snippet the page generates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage, selectExample } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('a blog page embeds three scenarios, each sized to its content', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.base}blog-demo.html`);
  const frames = page.locator('iframe[data-podplay]');
  assert.equal(await frames.count(), 3);
  for (let i = 0; i < 3; i++) {
    const frame = frames.nth(i);
    await frame.scrollIntoViewIfNeeded();
    const inner = frame.contentFrame();
    await inner.locator('article.pod').first().waitFor({ timeout: 20000 });
    assert.equal(await inner.locator('.embed-bar').count(), 1, 'the compact player');
    assert.equal(await inner.locator('.topbar').count(), 0);
    // embed.js set the height from the frame's own message.
    await page.waitForFunction((i) => /^\d+px$/.test(document.querySelectorAll('iframe[data-podplay]')[i].style.height), i);
  }
  // Only the third asks for the editor.
  assert.equal(await frames.nth(0).contentFrame().locator('[data-testid=editor]').count(), 0);
  assert.equal(await frames.nth(2).contentFrame().locator('[data-testid=editor]').count(), 1);
  // Embeds write nothing to storage.
  assert.equal(await frames.nth(0).contentFrame().locator('body').evaluate(() => localStorage.length), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('embed.js ignores messages from anything but its own frames', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.base}blog-demo.html`);
  // A Pod card drawn: the first view's, or the live page's (for a moment both are in the frame as it takes over).
  await page.locator('iframe[data-podplay]').first().contentFrame().locator('article.pod').first().waitFor({ timeout: 20000 });
  // A message from the page itself (not a podplay frame), and malformed ones.
  await page.evaluate(() => {
    window.postMessage({ type: 'podplay:height', height: 9999 }, '*');
    window.postMessage({ type: 'podplay:height', height: 'x' }, '*');
    window.postMessage('podplay:height', '*');
  });
  await page.waitForTimeout(200);
  // (Frames still loading resize themselves meanwhile; none took the page's 9999, clamped to 4000.)
  const heights = await page.evaluate(() => [...document.querySelectorAll('iframe')].map((f) => f.style.height));
  assert.ok(heights.every((h) => h !== '4000px'), String(heights));
  await context.close();
});

test('the Embed button makes a snippet that opens the same session in the compact player', async () => {
  const { page, context } = await openPage(browser, server.base);
  await selectExample(page, 'crashloop');
  await page.getByTestId('speed').selectOption('30');
  await page.getByTestId('embed').click();
  const snippet = await page.getByTestId('snippet').inputValue();
  assert.match(snippet, /^<iframe src="[^"]+\?embed=1&amp;speed=30#s=[A-Za-z0-9_-]+" title="podplay: crashloop" width="100%" height="\d+" loading="lazy" style="border:0" data-podplay><\/iframe>\n<script src="[^"]+embed\.js" defer><\/script>$/);
  const src = snippet.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  const embed = await openPage(browser, src);
  await embed.page.locator('.embed-bar').waitFor();
  await embed.page.getByTestId('pod-crashloop').waitFor();
  assert.equal(await embed.page.getByTestId('speed').inputValue(), '30');
  await embed.context.close();
  await context.close();
});

test('start and stop times: the player starts at one and pauses at the other', async () => {
  const { page, context } = await openPage(browser, `${server.base}?embed=1&example=crashloop&speed=300&start=30s&stop=2m`);
  await page.getByTestId('clock').filter({ hasText: /^t = 2m0s$/ }).waitFor({ timeout: 20000 });
  assert.match(await page.getByTestId('play').textContent(), /Play/);
  await context.close();
});
