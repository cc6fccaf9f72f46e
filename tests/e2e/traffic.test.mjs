// Simulated client traffic on the Service cards, and the zoomable timeline,
// in a real headless Chromium. Waits are on what the page shows (with
// timeouts), never sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage, pickExample } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const num = async (loc) => Number(await loc.textContent());

/** Waits until the number shown by `loc` passes `test` (polling what the page shows). */
async function until(loc, test, timeout = 30000) {
  const start = Date.now();
  for (;;) {
    const n = await num(loc);
    if (test(n)) return n;
    if (Date.now() - start > timeout) throw new Error(`gave up waiting: last value ${n}`);
    await loc.page().waitForTimeout(100);
  }
}

/** "t = 1m2.5s" in milliseconds. */
function clockMs(text) {
  const m = text.replace('t = ', '').match(/^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:([\d.]+)s)?(?:([\d.]+)ms)?$/);
  assert.ok(m, `clock ${text}`);
  return ((+m[1] || 0) * 3600 + (+m[2] || 0) * 60 + (+m[3] || 0)) * 1000 + (+m[4] || 0);
}
const clock = async (page) => clockMs(await page.getByTestId('clock').textContent());

async function start(page, example, speed) {
  await pickExample(page, example, speed);
  if ((await page.getByTestId('play').getAttribute('aria-pressed')) !== 'true') await page.getByTestId('play').click();
}

test('a rollout without a preStop hook drops requests; the counters and arrows show it', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await start(page, 'traffic-rollout-drops', '10');
  const svc = page.getByTestId('service-web');
  await until(svc.getByTestId('sent'), (n) => n >= 150);
  // Every request is counted once: succeeded + failed = sent (read while paused).
  await page.getByTestId('play').click();
  const [sent, ok, failed] = await Promise.all(['sent', 'ok', 'failed'].map((id) => num(svc.getByTestId(id))));
  assert.equal(ok + failed, sent);
  assert.equal(await svc.getByTestId('traffic-toggle').getAttribute('aria-pressed'), 'true');
  assert.match(await svc.getByTestId('traffic-state').textContent(), /Sending 10\/s/);
  // Three ready endpoints, each with an arrow and its own count.
  assert.equal(await svc.locator('.endpoints li.gets').count(), 3);
  assert.equal(await svc.locator('.endpoints li.gets svg.ep-arrow.flow').count(), 3);
  for (const t of await svc.getByTestId('served').allTextContents()) assert.match(t, /served [1-9]\d* ok, \d+ failed/);

  // The rollout: a new image. Requests fail while kube-proxy lags.
  const dep = page.getByTestId('deployment-web');
  await dep.getByTestId('image').fill('nginx:1.28');
  await dep.getByTestId('set-image').click();
  await page.getByTestId('play').click();
  await until(svc.getByTestId('failed'), (n) => n > failed);
  assert.match(await svc.getByTestId('last-failure').textContent(), /^Last failure at \d.*, Pod web-[a-z0-9]+-[a-z0-9]{5}: (connection refused|timed out)/);
  assert.notEqual(await svc.getByTestId('failure-rate').textContent(), '0%');
  // The old Pods are gone from the endpoints and listed with what they served.
  await svc.locator('.earlier', { hasText: 'No longer endpoints' }).waitFor({ timeout: 30000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the safe rollout fails no request', async () => {
  const { page, context, problems } = await openPage(browser, server.base, { reducedMotion: 'reduce' });
  await start(page, 'traffic-rollout-safe', '10');
  const svc = page.getByTestId('service-web');
  await until(svc.getByTestId('sent'), (n) => n >= 100);
  const dep = page.getByTestId('deployment-web');
  await dep.getByTestId('image').fill('nginx:1.28');
  await dep.getByTestId('set-image').click();
  await page.getByTestId('speed').selectOption('30');
  // Wait for all three old Pods to have left the endpoints.
  await svc.locator('.earlier', { hasText: /, .*, / }).waitFor({ timeout: 60000 });
  assert.equal(await svc.getByTestId('failed').textContent(), '0');
  assert.equal(await svc.getByTestId('failure-rate').textContent(), '0%');
  assert.equal(await svc.getByTestId('last-failure').count(), 0);
  // Reduced motion: the arrows do not move.
  const anim = await svc.locator('svg.ep-arrow.flow line').first().evaluate((el) => getComputedStyle(el).animationName);
  assert.equal(anim, 'none');
  assert.deepEqual(problems, []);
  await context.close();
});

test('traffic toggled from the page is part of the session', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await start(page, 'traffic-rollout-safe', '10');
  const svc = page.getByTestId('service-web');
  await until(svc.getByTestId('sent'), (n) => n >= 30);
  const toggle = svc.getByTestId('traffic-toggle');
  await toggle.click();
  await svc.getByTestId('traffic-state').filter({ hasText: 'Traffic off' }).waitFor();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  assert.equal(await toggle.textContent(), '▶ Send traffic');
  const stopped = await num(svc.getByTestId('sent'));
  const t0 = await clock(page);
  await page.waitForFunction((t) => {
    const m = document.querySelector('[data-testid=clock]').textContent;
    return m !== t;
  }, await page.getByTestId('clock').textContent());
  assert.ok((await clock(page)) > t0);
  assert.equal(await num(svc.getByTestId('sent')), stopped, 'off: nothing more is sent');
  // 100 a second, from the keyboard.
  await svc.getByTestId('traffic-rate').selectOption('100/s');
  await toggle.focus();
  await page.keyboard.press('Enter');
  await svc.getByTestId('traffic-state').filter({ hasText: 'Sending 100/s' }).waitFor();
  await until(svc.getByTestId('sent'), (n) => n >= stopped + 300);
  // A restart replays the recorded actions: the traffic goes off, then 100/s
  // again. At 1× the off spell lasts seconds, so a loaded machine sees it.
  await page.getByTestId('speed').selectOption('1');
  await page.getByTestId('restart').click();
  await svc.getByTestId('traffic-state').filter({ hasText: 'Traffic off' }).waitFor({ timeout: 60000 });
  await page.getByTestId('speed').selectOption('30');
  await svc.getByTestId('traffic-state').filter({ hasText: 'Sending 100/s' }).waitFor({ timeout: 30000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the timeline zooms in and out, pans, and scrubbing works at every zoom', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await start(page, 'traffic-rollout-drops', '30');
  await page.getByTestId('clock').filter({ hasText: /t = [1-9]\d*m/ }).waitFor({ timeout: 30000 });
  await page.getByTestId('play').click();
  const level = page.getByTestId('zoom-level');
  const tracks = page.locator('.tl-tracks');
  const scroll = page.locator('.tl-scroll');
  assert.equal(await level.textContent(), '1×');
  assert.ok(await page.getByTestId('zoom-out').isDisabled());
  await page.getByTestId('zoom-in').click();
  await page.getByTestId('zoom-in').click();
  await level.filter({ hasText: '4×' }).waitFor();
  const view = await scroll.boundingBox();
  const full = await tracks.boundingBox();
  assert.ok(Math.abs(full.width - 4 * view.width) < 4, `${full.width} vs ${view.width}`);
  // The playhead (past the first quarter) stays in view after zooming on it: the view scrolled.
  assert.ok(await scroll.evaluate((el) => el.scrollLeft) > 0, 'scrolled to the playhead');
  const head = await page.locator('.playhead').boundingBox();
  assert.ok(head.x >= view.x - 1 && head.x <= view.x + view.width + 1, 'playhead in view');
  // Scrub: a click at the view's left edge, panned to the start, goes near 0.
  await scroll.evaluate((el) => { el.scrollLeft = 0; });
  const end = Number(await page.getByTestId('scrubber').getAttribute('max'));
  await page.mouse.click(view.x + view.width * 0.1, view.y + 30);
  const t = await clock(page);
  assert.ok(Math.abs(t - end * 0.025) <= end * 0.01, `clicked at ${end * 0.025}, got ${t}`);
  // Keys on the focused lanes: pan right, zoom out, fit all.
  await scroll.focus();
  await page.keyboard.press('ArrowRight');
  assert.ok(await scroll.evaluate((el) => el.scrollLeft) > 0, 'panned');
  await page.keyboard.press('-');
  await level.filter({ hasText: '2×' }).waitFor();
  await page.keyboard.press('0');
  await level.filter({ hasText: '1×' }).waitFor();
  // Ctrl + wheel zooms at the pointer.
  await page.mouse.move(view.x + view.width / 2, view.y + 30);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -100);
  await page.keyboard.up('Control');
  await level.filter({ hasText: '2×' }).waitFor();
  // At 2× a click at the view's middle (panned to the start) is at a quarter of the run.
  await scroll.evaluate((el) => { el.scrollLeft = 0; });
  await page.mouse.click(view.x + view.width / 2, view.y + 30);
  const q = await clock(page);
  assert.ok(Math.abs(q - end / 4) <= end * 0.01, `clicked at ${end / 4}, got ${q}`);
  // The slider still seeks, whatever the zoom.
  await page.getByTestId('scrubber').focus();
  await page.keyboard.press('Home');
  await page.getByTestId('clock').filter({ hasText: /^t = 0s$/ }).waitFor();
  await page.getByTestId('zoom-fit').click();
  await level.filter({ hasText: '1×' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
