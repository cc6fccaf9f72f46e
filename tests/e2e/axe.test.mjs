// Accessibility (issue 13, item 9): axe-core 4.14 on the main page, an
// exercise, an embed and the dark theme, with no serious or critical
// violation; every rule axe runs by default, plus WCAG 2.2's target size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serve, launch, openPage } from './harness.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Runs axe on the page (paused, so nothing moves while it reads) and returns the serious and critical violations, in words. */
async function serious(page) {
  // The page draws only what is on screen (content-visibility: auto): axe reads all of it.
  // (The CSP allows style attributes, not style elements.)
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('*')) {
      if (getComputedStyle(el).contentVisibility === 'auto') el.style.contentVisibility = 'visible';
    }
  });
  // Cards fade in (0.5 s, `appear`): colours read mid-fade are blends, not
  // the page's. Wait for every finite animation to end before axe reads them.
  await page.evaluate(() => Promise.all(document.getAnimations()
    .filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime))
    .map((a) => a.finished.catch(() => {}))));
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, {
    rules: { 'target-size': { enabled: true } },
    resultTypes: ['violations'],
  }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `  ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)}`).join('\n')}`);
}

async function pause(page) {
  const play = page.getByTestId('play');
  if (/Pause/.test(await play.textContent())) await play.click();
}

for (const [name, path, scheme] of [
  ['the main page', '?example=deployment', 'light'],
  ['the main page, dark theme', '?example=deployment', 'dark'],
  ['an exercise', '?exercise=01-image-typo', 'light'],
]) {
  test(`axe: ${name}`, async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(server.base + path);
    await page.locator('article.pod').first().waitFor({ timeout: 20000 });
    await page.waitForTimeout(1500);
    await pause(page);
    assert.deepEqual(await serious(page), []);
    await context.close();
  });
}

test('axe: an embed, light and dark', async () => {
  for (const theme of ['light', 'dark']) {
    const { page, context } = await openPage(browser, `${server.base}?embed=1&example=deployment&speed=5&editor=1&theme=${theme}`, { viewport: { width: 720, height: 900 } });
    await page.locator('article.pod').first().waitFor({ timeout: 20000 });
    await pause(page);
    assert.deepEqual(await serious(page), [], theme);
    // What axe rates moderate, fixed too: one h1, landmarks around everything, a toolbar that is not a header.
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(await page.locator('header[role=toolbar]').count(), 0);
    await context.close();
  }
});
