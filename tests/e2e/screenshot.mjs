// node tests/e2e/screenshot.mjs URL OUT.png [WIDTHxHEIGHT] [WAIT_MS] [THEME]
// Takes a screenshot of the page as a person would see it (for reviews).
import { launch } from './harness.mjs';
const [url, out, size = '1400x1000', wait = '3000', scheme = 'light'] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);
const browser = await launch();
const page = await browser.newPage({ viewport: { width, height }, colorScheme: scheme });
page.on('pageerror', (e) => console.error('pageerror:', e.message));
page.on('console', (m) => console.error(`console.${m.type()}:`, m.text()));
await page.goto(url);
await page.waitForTimeout(Number(wait));
// The page skips drawing what is off screen (`content-visibility: auto`);
// a full-page picture would show those parts blank, so draw everything.
await page.evaluate(() => {
  for (const el of document.querySelectorAll('*')) {
    if (getComputedStyle(el).contentVisibility === 'auto') el.style.contentVisibility = 'visible';
  }
});
await page.waitForTimeout(100);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
