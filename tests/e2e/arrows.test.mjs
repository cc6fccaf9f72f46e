// The arrows over the cluster view, from each Service card to the Pod cards
// of its endpoints, in a real headless Chromium. Waits are on what the page
// shows (with timeouts), never sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Waits until `loc` matches `n` elements. */
async function untilCount(loc, n, timeout = 30000) {
  const start = Date.now();
  for (;;) {
    const c = await loc.count();
    if (c === n) return;
    if (Date.now() - start > timeout) throw new Error(`gave up waiting for ${n}: last count ${c}`);
    await loc.page().waitForTimeout(100);
  }
}

async function pause(page) {
  if ((await page.getByTestId('play').getAttribute('aria-pressed')) === 'true') await page.getByTestId('play').click();
}

async function play(page, speed) {
  await page.getByTestId('speed').selectOption(speed);
  if ((await page.getByTestId('play').getAttribute('aria-pressed')) !== 'true') await page.getByTestId('play').click();
}

/** Each arrow as drawn: its Pod, route, where its line starts and where its head's point is
 * (page coordinates), and the boxes of its Service card and Pod card (once they stand still). */
function arrows(page) {
  return page.evaluate(async () => {
    // A new card fades and grows in (a transform): measure it where it stands.
    for (const el of document.querySelectorAll('.nodes article.pod')) await Promise.all(el.getAnimations().map((a) => a.finished));
    const svg = document.querySelector('[data-testid=endpoint-arrows]');
    if (!svg) return [];
    const o = svg.getBoundingClientRect();
    const box = (el) => { const r = el?.getBoundingClientRect(); return r && { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
    return [...svg.querySelectorAll('g.ep-link')].map((g) => {
      const line = g.querySelector('.ep-line');
      const start = line.getPointAtLength(0);
      const [tx, ty] = g.dataset.tip.split(' ').map(Number);
      return {
        service: g.dataset.service, pod: g.dataset.pod, route: g.dataset.route,
        classes: g.getAttribute('class').split(' '),
        dash: getComputedStyle(line).strokeDasharray,
        start: { x: o.left + start.x, y: o.top + start.y },
        tip: { x: o.left + tx, y: o.top + ty },
        serviceBox: box(document.querySelector(`[data-testid="service-${g.dataset.service}"]`)),
        podBox: box(document.querySelector(`.nodes [data-testid="pod-${g.dataset.pod}"]`)),
      };
    });
  });
}

/** The arrow touches its Pod's card (its left edge, at the heading) and leaves its Service's card. */
function assertConnects(a) {
  assert.ok(a.podBox, `a card for ${a.pod}`);
  assert.ok(Math.abs(a.tip.x - a.podBox.left) <= 2, `${a.pod}: tip ${a.tip.x} at the card's left edge ${a.podBox.left}`);
  assert.ok(a.tip.y >= a.podBox.top && a.tip.y <= a.podBox.bottom, `${a.pod}: tip ${a.tip.y} within ${a.podBox.top}–${a.podBox.bottom}`);
  assert.ok(Math.abs(a.start.y - a.serviceBox.top) <= 2, `leaves the Service card's top edge: ${a.start.y} vs ${a.serviceBox.top}`);
  assert.ok(a.start.x > a.serviceBox.left && a.start.x < a.serviceBox.right, 'leaves from within the card');
}

/** The Pods the Service card lists as ready endpoints. */
async function readyListed(svc) {
  const texts = await svc.locator('.endpoints li.ep-ready .ep-pod').allTextContents();
  return texts.map((t) => t.trim().replace(/^\(|\)$/g, '')).sort();
}

test('one arrow per ready endpoint to its Pod card; a Pod leaving the endpoints loses its arrow', async () => {
  const { page, context, problems } = await openPage(browser, `${server.base}?example=deployment`);
  const svc = page.getByTestId('service-nginx');
  const overlay = page.getByTestId('endpoint-arrows');
  await play(page, '10');
  await untilCount(overlay.locator('g.ep-link.ready'), 3);
  await pause(page);
  let drawn = await arrows(page);
  assert.equal(drawn.length, 3);
  assert.deepEqual(drawn.map((a) => a.pod).sort(), await readyListed(svc));
  for (const a of drawn) {
    assert.equal(a.service, 'nginx');
    assert.equal(a.dash, 'none', 'a ready endpoint is drawn solid');
    assert.ok(!a.classes.includes('flow'), 'no traffic, no flow');
    assertConnects(a);
  }

  // Its app stops answering: the readiness probe fails, the endpoint is not
  // ready, and the arrow turns dashed; the other two stay solid.
  const leaving = drawn[0].pod;
  await page.getByTestId(`pod-${leaving}`).getByRole('button', { name: 'Break' }).click();
  await play(page, '10');
  await untilCount(overlay.locator(`g.ep-link.notready[data-pod="${leaving}"]`), 1);
  await pause(page);
  drawn = await arrows(page);
  assert.deepEqual(drawn.filter((a) => a.route === 'ready').map((a) => a.pod).sort(), await readyListed(svc));
  assert.equal(drawn.filter((a) => a.route === 'ready').length, 2);
  const dashed = drawn.find((a) => a.pod === leaving);
  assert.notEqual(dashed.dash, 'none', 'a not-ready endpoint is drawn dashed');
  assertConnects(dashed);

  // Deleted: it leaves the slice and its arrow goes; the replacement gets one once ready.
  await page.getByTestId(`pod-${leaving}`).getByTestId('delete').click();
  await play(page, '10');
  await untilCount(overlay.locator(`g.ep-link[data-pod="${leaving}"]`), 0);
  await untilCount(overlay.locator('g.ep-link.ready'), 3);
  await pause(page);
  drawn = await arrows(page);
  assert.ok(!drawn.some((a) => a.pod === leaving));
  assert.deepEqual(drawn.map((a) => a.pod).sort(), await readyListed(svc));
  for (const a of drawn) assertConnects(a);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the arrows follow the cards when the window is resized', async () => {
  const { page, context, problems } = await openPage(browser, `${server.base}?example=deployment`);
  const overlay = page.getByTestId('endpoint-arrows');
  await play(page, '10');
  await untilCount(overlay.locator('g.ep-link.ready'), 3);
  await pause(page);
  await page.setViewportSize({ width: 1000, height: 900 });
  // Measured again after the resize (a ResizeObserver): every tip on its card.
  const start = Date.now();
  for (;;) {
    const drawn = await arrows(page);
    try {
      drawn.forEach(assertConnects);
      break;
    } catch (e) {
      if (Date.now() - start > 5000) throw e;
      await page.waitForTimeout(100);
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('hover highlights a Service\'s arrows; traffic flows along them; the toggle hides them and is remembered', async () => {
  const { page, context, problems } = await openPage(browser, `${server.base}?example=traffic-rollout-drops`);
  const overlay = page.getByTestId('endpoint-arrows');
  await play(page, '10');
  await untilCount(overlay.locator('g.ep-link.ready.flow'), 3);
  // Requests move along the ready arrows as dots.
  const anim = await overlay.locator('g.ep-link.flow .ep-pulse').first().evaluate((el) => getComputedStyle(el).animationName);
  assert.equal(anim, 'ep-flow');
  await page.getByTestId('service-web').hover();
  await untilCount(overlay.locator('g.ep-link.hl'), 3);
  assert.match(await overlay.getAttribute('class'), /has-hl/);
  await page.mouse.move(0, 0);
  await untilCount(overlay.locator('g.ep-link.hl'), 0);
  // The legend says what the arrows mean.
  assert.match(await page.getByTestId('arrows-legend').getAttribute('title'), /kube-proxy sends the Service's requests only to its ready endpoints/);

  // From the keyboard: hidden, and still hidden after a reload.
  const toggle = page.getByTestId('arrows-toggle');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  await toggle.focus();
  await page.keyboard.press('Enter');
  await untilCount(overlay, 0);
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  assert.equal(await page.locator('.endpoints li.gets').count(), 3, 'the endpoint list stays');
  await page.reload();
  await page.getByTestId('arrows-toggle').waitFor();
  assert.equal(await page.getByTestId('arrows-toggle').getAttribute('aria-pressed'), 'false');
  assert.equal(await overlay.count(), 0);
  await page.getByTestId('arrows-toggle').click();
  await overlay.waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('with reduced motion the arrows are drawn but nothing moves', async () => {
  const { page, context, problems } = await openPage(browser, `${server.base}?example=traffic-rollout-drops`, { reducedMotion: 'reduce' });
  const overlay = page.getByTestId('endpoint-arrows');
  await play(page, '10');
  await untilCount(overlay.locator('g.ep-link.ready.flow'), 3);
  const pulse = await overlay.locator('g.ep-link.flow .ep-pulse').first().evaluate((el) => getComputedStyle(el).display);
  assert.equal(pulse, 'none');
  assert.deepEqual(problems, []);
  await context.close();
});

/** Records every arrow drawn into the overlay from now on: its classes, its
 * Pod and the animations it runs then (the overlay is rewritten whole). From
 * the mutation records, not the overlay as the callback finds it: two
 * drawings in one task (a busy machine) leave only the second in the DOM. */
function recordArrows(page) {
  return page.evaluate(() => {
    window.__arrows = [];
    const svg = document.querySelector('[data-testid=endpoint-arrows]');
    new MutationObserver((records) => {
      for (const r of records) {
        for (const g of r.addedNodes) {
          if (g.nodeName !== 'g') continue;
          window.__arrows.push({
            classes: g.getAttribute('class').split(' '),
            pod: g.dataset.pod ?? g.dataset.gonePod,
            animations: g.isConnected ? g.getAnimations({ subtree: true }).map((a) => a.animationName) : [],
          });
        }
      }
    }).observe(svg, { childList: true });
  });
}

test('a replaced Pod: its arrow is drawn in, the old one fades where it was (on a slow machine too); with reduced motion neither moves', async () => {
  // The CPU slowed 4x (DevTools' throttling): one frame then covers the
  // Pod's card leaving and its endpoint leaving the slice; before
  // play::arrows::last_seen the old arrow had no place left to fade at
  // (7 of 8 runs drew no fade).
  for (const [reducedMotion, cpu] of [['no-preference', 1], ['reduce', 1], ['no-preference', 4]]) {
    const { page, context, problems } = await openPage(browser, `${server.base}?example=deployment`, { reducedMotion });
    if (cpu > 1) await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: cpu });
    const overlay = page.getByTestId('endpoint-arrows');
    await play(page, '10');
    await untilCount(overlay.locator('g.ep-link.ready'), 3);
    await pause(page);
    const old = (await arrows(page))[0].pod;
    await recordArrows(page);
    await page.getByTestId(`pod-${old}`).getByTestId('delete').click();
    await play(page, '10');
    await untilCount(overlay.locator(`g.ep-link[data-pod="${old}"]`), 0);
    await untilCount(overlay.locator('g.ep-link.ready'), 3);
    await pause(page);
    const seen = await page.evaluate(() => window.__arrows);
    const now = (await arrows(page)).map((a) => a.pod);
    const entered = seen.filter((s) => s.classes.includes('enter'));
    const gone = seen.filter((s) => s.classes.includes('ep-gone'));
    assert.ok(entered.some((s) => now.includes(s.pod) && s.pod !== old), `the replacement's arrow was drawn in: ${JSON.stringify(entered)}`);
    assert.ok(gone.some((s) => s.pod === old), `the old arrow faded where it was: ${JSON.stringify(gone)}`);
    if (reducedMotion === 'reduce') {
      assert.deepEqual([...entered, ...gone].flatMap((s) => s.animations), [], 'nothing moves');
      assert.equal(await overlay.locator('g.ep-gone').evaluateAll((els) => els.filter((e) => getComputedStyle(e).display !== 'none').length), 0);
    } else {
      assert.ok(entered.some((s) => s.animations.includes('ep-enter')), JSON.stringify(entered));
      assert.ok(gone.some((s) => s.animations.includes('ep-leave')), JSON.stringify(gone));
    }
    assert.deepEqual(problems, []);
    await context.close();
  }
});
