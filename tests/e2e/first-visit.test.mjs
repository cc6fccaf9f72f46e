// A first visit (issue 13, item 7): a one-line guide that says what to do,
// dismissed for good; a first example in which something happens within
// seconds; the timeline in view at 1366×768 and on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage, selectExample } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('the guide says what to do, and once dismissed stays away', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  const guide = page.getByTestId('guide');
  assert.match(await guide.textContent(), /Edit the YAML below: the cluster follows\./);
  await page.getByTestId('guide-dismiss').click();
  assert.equal(await guide.count(), 0);
  await page.reload();
  // The first view (drawn at build time, with the guide) does not show it to
  // someone who dismissed it; then the live page takes over without it.
  await page.waitForSelector('.app');
  assert.equal(await page.locator('#first-view .guide:visible').count(), 0, 'not in the first view');
  await page.waitForSelector('#first-view', { state: 'detached' });
  assert.equal(await page.getByTestId('guide').count(), 0, 'remembered');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the first example shows a failing probe within 10 s of watching', async () => {
  const { page, context } = await openPage(browser, server.base);
  assert.equal(await page.getByTestId('speed').inputValue(), '5');
  // liveness-exec: the file goes at 30 s, the probe fails from 35 s: 7 s at 5×.
  await page.locator('.probe.fail').first().waitFor({ timeout: 10000 });
  await context.close();
});

for (const [name, viewport] of [['1366×768', { width: 1366, height: 768 }], ['a phone (390×844)', { width: 390, height: 844 }]]) {
  test(`the timeline is in view at ${name}`, async () => {
    const { page, context } = await openPage(browser, server.base, { viewport });
    await page.locator('.timeline .tl-lane').first().waitFor();
    const box = await page.locator('.timeline').boundingBox();
    // Its head and a lane at least are on the first screen.
    assert.ok(box.y + 60 <= viewport.height, `timeline at y = ${box.y}`);
    await context.close();
  });
}

// A 1366×768 laptop's browser leaves about 680px to the page under its bars:
// the timeline's heading is on that first screen too (the logo sits beside
// the controls, the closed command help beside the command line).
test('the timeline heading is on the first screen of a 1366×768 laptop (a 1366×680 viewport)', async () => {
  const viewport = { width: 1366, height: 680 };
  const { page, context } = await openPage(browser, server.base, { viewport });
  await page.locator('.timeline .tl-lane').first().waitFor();
  const heading = await page.locator('.timeline h2').boundingBox();
  assert.ok(heading.y + heading.height <= viewport.height, `timeline heading ends at y = ${heading.y + heading.height}`);
  // Nothing above it was hidden to get there: the controls, the tip, the command line and its help.
  for (const id of ['example', 'exercise-choice', 'play', 'speed', 'seed', 'share', 'embed', 'command']) {
    assert.ok(await page.getByTestId(id).isVisible(), id);
  }
  assert.ok(await page.locator('.command-help summary').isVisible());
  const header = await page.locator('.topbar').boundingBox();
  assert.ok(header.height < 100, `the top bar is two rows, not three: ${header.height}px`);
  await context.close();
});

// Big scenarios too (many Pods, several nodes, namespaces): at 1366×768 and
// at 1366×680 the timeline's heading is on the first screen for every
// bundled example once its Pods are there, the cards scrolling in their own
// box instead of pushing the timeline down.
for (const viewport of [{ width: 1366, height: 768 }, { width: 1366, height: 680 }]) {
  test(`the timeline heading is on the first screen at ${viewport.width}×${viewport.height} for every bundled example`, async () => {
    const { page, context, problems } = await openPage(browser, server.base, { viewport });
    await page.getByTestId('guide-dismiss').click();
    const names = await page.getByTestId('example').locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.ok(names.length >= 30, names.join(' '));
    await page.getByTestId('speed').selectOption('60');
    const late = [];
    for (const name of names) {
      await selectExample(page, name);
      // A minute of simulated time: Deployments, DaemonSets and StatefulSets have their Pods.
      await page.waitForFunction(() => /t = \d+[hm]/.test(document.querySelector('[data-testid=clock]').textContent), null, { timeout: 20000 });
      const heading = await page.locator('.timeline h2').boundingBox();
      const pods = await page.locator('article.pod, .pods.compact > *').count();
      if (!heading || heading.y + heading.height > viewport.height) late.push(`${name} (${pods} Pods): heading at y = ${heading?.y}`);
      // The cards are still there to see: the first node's box is on the first screen.
      const node = await page.locator('.node').first().boundingBox();
      if (node && node.y > viewport.height - 100) late.push(`${name}: first node at y = ${node.y}`);
    }
    assert.deepEqual(late, []);
    assert.deepEqual(problems, []);
    await context.close();
  });
}
