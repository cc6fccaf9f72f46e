// Workshop exercises in the page: open one, check the starting state (it
// fails, with reasons), fix it, check again (it passes), and find the
// progress and the work again after a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('fix an image typo: the checks fail with reasons, then pass; progress survives a reload', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await page.getByTestId('exercise-choice').selectOption('01-image-typo');
  const panel = page.getByTestId('exercise');
  await panel.getByRole('heading', { name: 'Fix an image typo' }).waitFor();
  const editor = page.getByTestId('editor');
  assert.match(await editor.inputValue(), /image: ngnix:1\.27/);
  // The live view shows the broken Pod as the checker will see it.
  await page.getByTestId('pod-web').getByTestId('status').filter({ hasText: /ErrImagePull|ImagePullBackOff/ }).waitFor({ timeout: 20000 });
  await panel.getByTestId('check').click();
  const report = panel.getByTestId('report');
  await report.getByText(/0 of 2 checks pass/).waitFor();
  assert.match(await report.textContent(), /ErrImagePull/);
  // A hint, then the fix.
  await panel.getByTestId('hint').click();
  await panel.locator('.hints li').first().waitFor();
  await editor.fill((await editor.inputValue()).replace('ngnix', 'nginx'));
  await panel.getByTestId('check').click();
  await report.getByText('All 2 checks pass. Well done!').waitFor();
  // Reload: the exercise, the fixed manifests and the progress are kept.
  await page.waitForTimeout(400);
  await page.reload();
  await page.getByTestId('exercise').waitFor();
  assert.match(await page.getByTestId('editor').inputValue(), /image: nginx:1\.27/);
  assert.match(await page.getByTestId('exercise').textContent(), /✓ passed/);
  assert.match(await page.getByTestId('exercise-choice').locator('option:checked').textContent(), /01-image-typo ✓/);
  // Reset brings back the starting manifests.
  await page.getByTestId('reset').click();
  assert.match(await page.getByTestId('editor').inputValue(), /image: ngnix:1\.27/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an exercise can be opened from the address, and locked objects are reported', async () => {
  const { page, context } = await openPage(browser, `${server.base}?exercise=03-readiness-probe`);
  const panel = page.getByTestId('exercise');
  await panel.getByRole('heading', { name: 'Add a readiness probe so traffic waits' }).waitFor();
  const editor = page.getByTestId('editor');
  // Changing the Service, which the exercise does not let the learner edit.
  await editor.fill((await editor.inputValue()).replace('port: 80\n    targetPort: 80', 'port: 8080\n    targetPort: 80'));
  await panel.getByTestId('check').click();
  await panel.getByTestId('report').locator('p.fail').first().waitFor();
  assert.match(await panel.getByTestId('report').textContent(), /Service\/web/);
  await context.close();
});
