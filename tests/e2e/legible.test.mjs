// The moments a Pod guide teaches, legible on the page (issue 13): a stop
// with its SIGKILL countdown and the trace a deleted Pod leaves, a liveness
// kill under way, a replacement's new IP beside the Service's stable one,
// namespaces on the cards, in the panes and in the problems pane (and the
// bundled namespaces example), a PodDisruptionBudget's card through a drain,
// and an exercise reset that can be undone. Waits are on what the page shows.
// Set LEGIBLE_SHOTS=DIR to keep screenshots of each moment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage, pickExample, pane } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const shot = async (page, name) => {
  if (process.env.LEGIBLE_SHOTS) await page.screenshot({ path: `${process.env.LEGIBLE_SHOTS}/${name}.png`, fullPage: true });
};
const seconds = (text) => Number(/SIGKILL in (\d+)s/.exec(text)?.[1]);

test('a deletion: preStop-free SIGTERM, a SIGKILL countdown in simulated time, then a marked trace with the exit code', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await pickExample(page, 'graceful-deletion', '10');
  const pod = page.getByTestId('pod-no-handler');
  await pod.locator('.cond.on', { hasText: 'Ready' }).last().waitFor({ timeout: 20000 });
  await page.getByTestId('speed').selectOption('2');
  await pod.getByTestId('delete').click();
  const stopping = pod.getByTestId('container-app').getByTestId('stopping');
  await stopping.getByText(/SIGKILL in \d+s \(at .*, grace period 30s\)/).waitFor();
  assert.match(await stopping.textContent(), /SIGTERM sent at /);
  // The Pod's own note: the deletion, marked as the page's explanation.
  assert.match(await pod.getByTestId('pod-note').textContent(), /ℹ Deleted at .* \(grace period 30s\)/);
  // kubectl's words stay kubectl's: STATUS is Terminating.
  assert.equal(await pod.getByTestId('status').textContent(), 'Terminating');
  const first = seconds(await stopping.textContent());
  await page.waitForFunction(
    ([n]) => {
      const m = /SIGKILL in (\d+)s/.exec(document.querySelector('[data-testid="pod-no-handler"] [data-testid="stopping"]')?.textContent ?? '');
      return m && Number(m[1]) <= n - 2;
    },
    [first],
    { timeout: 10000 },
  );
  await shot(page, 'termination-countdown');
  // SIGKILL at the deadline: exit 137, said with its meaning, on a trace that is not a Pod card.
  await page.getByTestId('speed').selectOption('30');
  const gone = page.getByTestId('gone-no-handler');
  await gone.getByText(/app: exit 137 after 30s — 128 \+ 9: SIGKILL when the grace period ended/).waitFor({ timeout: 20000 });
  assert.match(await gone.textContent(), /deleted at .*, removed from the API at /);
  assert.match(await gone.textContent(), /gone from the API/);
  // The timeline's lane ends with the same exit code.
  const exit = page.getByTestId('lane-exit').filter({ hasText: 'exit 137' });
  await exit.waitFor();
  assert.match(await exit.getAttribute('title'), /SIGKILL/);
  await shot(page, 'termination-trace');
  // The trace is short-lived.
  await gone.waitFor({ state: 'detached', timeout: 20000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a liveness kill under way says which probe failed, how often, and the grace period', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await pickExample(page, 'liveness-exec', '10');
  const row = page.getByTestId('pod-liveness-exec').getByTestId('container-liveness');
  await row.getByTestId('stopping').getByText(
    'The liveness probe failed 3 times in a row (failureThreshold 3): the kubelet is stopping the container, then restarts it (grace period 30s)',
  ).waitFor({ timeout: 30000 });
  assert.match(await row.getAttribute('class'), /st-terminating/);
  await shot(page, 'liveness-kill');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a replacement Pod says its IP is new and which Pod it replaces; the Service keeps its ClusterIP', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await pickExample(page, 'deployment', '10');
  await page.locator('article.pod.st-ready').nth(2).waitFor({ timeout: 20000 });
  const victim = page.locator('article.pod.st-ready').first();
  const name = (await victim.getAttribute('data-testid')).slice('pod-'.length);
  const ip = await victim.getByTestId('ip').textContent();
  await victim.getByTestId('delete').click();
  const note = page.getByTestId('pod-note').filter({ hasText: `: it replaces ${name} (${ip}, deleted at ` }).filter({ hasText: 'New Pod, new IP' });
  await note.waitFor({ timeout: 20000 });
  const replacement = page.locator('article.pod', { has: note });
  const newIp = await replacement.getByTestId('ip').textContent();
  assert.notEqual(newIp, ip);
  assert.match(await note.textContent(), new RegExp(`New Pod, new IP ${newIp.replaceAll('.', '\\.')}`));
  const service = page.getByTestId('service-nginx');
  const stayed = /ClusterIP (\d+\.\d+\.\d+\.\d+) stayed the same/.exec(await service.getByTestId('cluster-ip-note').textContent());
  assert.ok(stayed, 'the Service card says its ClusterIP stayed');
  assert.match(await service.locator('h2').textContent(), new RegExp(` · ${stayed[1].replaceAll('.', '\\.')} · `));
  await shot(page, 'ip-reassignment');
  assert.deepEqual(problems, []);
  await context.close();
});

/** A bare nginx Pod named web, in `ns` (or with no namespace field). */
const web = (ns) => `apiVersion: v1
kind: Pod
metadata:
  name: web
${ns ? `  namespace: ${ns}\n` : ''}spec:
  containers:
  - name: app
    image: nginx:1.27
`;
// The Namespace dev, web in dev and in default, and web in qa, which does not exist.
const NAMESPACED = ['apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n', web('dev'), web(''), web('qa')].join('---\n');

test('namespaces: on the cards, NAMESPACE in the panes, and a missing one in the problems pane', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await page.getByTestId('editor').fill(NAMESPACED);
  const list = page.getByTestId('problems');
  await list.getByText('line 25, column 1: metadata.namespace: namespaces "qa" not found (pod/web was not applied)').waitFor({ timeout: 5000 });
  assert.doesNotMatch(await list.textContent(), /✓ Valid/);
  const dev = page.locator('article.pod[data-pod-key="dev/web"]');
  await dev.getByTestId('namespace').filter({ hasText: 'namespace dev' }).waitFor({ timeout: 20000 });
  await page.locator('article.pod[data-pod-key="default/web"]').getByTestId('namespace').filter({ hasText: 'namespace default' }).waitFor();
  await page.getByRole('tab', { name: 'kubectl get pods -w' }).click();
  const text = await pane(page);
  assert.match(text, /^TIME\s+EVENT\s+NAMESPACE\s+NAME\s+READY/m);
  assert.match(text, /ADDED\s+dev\s+web\s/);
  assert.match(await page.locator('.prompt').textContent(), /kubectl get pods -A -o wide -w/);
  await shot(page, 'namespaces');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Reset to start can be undone until the learner edits', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await page.getByTestId('exercise-choice').selectOption('01-image-typo');
  const panel = page.getByTestId('exercise');
  await panel.getByRole('heading', { name: 'Fix an image typo' }).waitFor();
  const editor = page.getByTestId('editor');
  const mine = (await editor.inputValue()).replace('ngnix', 'nginx') + '# my work\n';
  await editor.fill(mine);
  await page.waitForTimeout(400);
  await panel.getByTestId('check').click();
  await panel.getByTestId('report').getByText('All 2 checks pass. Well done!').waitFor();
  // The results never push the editor off screen.
  const box = await editor.boundingBox();
  assert.ok(box && box.y < 1000, `the editor starts on screen (y = ${box?.y})`);
  await panel.getByTestId('reset').click();
  assert.match(await editor.inputValue(), /image: ngnix:1\.27/);
  await panel.getByTestId('reset-note').waitFor();
  await shot(page, 'reset-undo');
  await panel.getByTestId('undo-reset').click();
  assert.equal(await editor.inputValue(), mine);
  await panel.getByTestId('undo-reset').waitFor({ state: 'detached' });
  // After an edit the reset is final.
  await panel.getByTestId('reset').click();
  await editor.fill((await editor.inputValue()) + '\n');
  await panel.getByTestId('undo-reset').waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a PodDisruptionBudget card: kubectl get pdb, its counts, and what a drain meets while no disruption is allowed', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await pickExample(page, 'pdb-drain', '10');
  const card = page.getByTestId('pdb-web-pdb');
  const status = card.getByTestId('pdb-status');
  await status.filter({ hasText: /^1 disruption allowed$/ }).waitFor({ timeout: 30000 });
  assert.match(await card.getByTestId('pdb-row').textContent(), /^N\/A\s*1\s*1\s*\d+[sm]/);
  assert.match(await card.getByTestId('pdb-facts').textContent(), /Selects Pods with app=web · 3 healthy of 3 · 2 must stay healthy/);
  // It stands where the other workloads do, after the Deployment's card.
  const order = await page.locator('.cluster :is(section.deployment, section.workload)').evaluateAll((els) => els.map((e) => e.dataset.testid));
  assert.ok(order.indexOf('pdb-web-pdb') > order.indexOf('deployment-web'), order.join(' '));
  // The story: node-1 drained at 20s, node-2 at 21s while the replacement is not ready yet.
  await page.getByTestId('play-scenario').click();
  await page.getByTestId('speed').selectOption('10');
  await page.getByTestId('node-node-2').getByTestId('node-status').filter({ hasText: /^Ready,SchedulingDisabled$/ }).waitFor({ timeout: 30000 });
  // Read in one frame: at 10× under load the budget may allow again before
  // a second read.
  const refused = await page.waitForFunction(() => {
    const card = document.querySelector('[data-testid="pdb-web-pdb"]');
    const status = card?.querySelector('[data-testid="pdb-status"]')?.textContent;
    const why = card?.querySelector('[data-testid="why"]')?.textContent ?? '';
    return status === 'no disruption allowed' && /refused now .*kubectl drain tries again every 5 s/.test(why)
      && { why, class: card.getAttribute('class') };
  }, null, { timeout: 30000 }).then((h) => h.jsonValue());
  assert.match(refused.why, /refused now .*kubectl drain tries again every 5 s/);
  assert.match(refused.class, /st-trouble/);
  // The retried eviction goes through once the budget allows it again.
  await status.filter({ hasText: /^1 disruption allowed$/ }).waitFor({ timeout: 30000 });
  // The kubectl pane lists it with the other kinds.
  await page.getByRole('tab', { name: 'kubectl get nodes,deploy,rs,sts,ds,jobs,cj,pvc,pdb' }).click();
  assert.match(await pane(page), /NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\npoddisruptionbudget\.policy\/web-pdb\s+N\/A\s+1\s+1\s/);
  await shot(page, 'pdb');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the namespaces example: two namespaces, each Pod card says its own, get pods -A prints NAMESPACE', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await pickExample(page, 'namespaces', '10');
  await page.locator('article.pod.st-ready').nth(2).waitFor({ timeout: 30000 });
  const tags = await page.locator('article.pod [data-testid=namespace]').allTextContents();
  assert.deepEqual(tags.sort(), ['namespace dev', 'namespace shop', 'namespace shop']);
  // Two Services and two Deployments named web, one per namespace, each saying its own.
  assert.equal(await page.locator('[data-service-key="shop/web"] [data-testid=object-namespace]').textContent(), 'namespace shop');
  assert.equal(await page.locator('[data-service-key="dev/web"] [data-testid=object-namespace]').textContent(), 'namespace dev');
  const deployments = await page.locator('section.deployment [data-testid=object-namespace]').allTextContents();
  assert.deepEqual(deployments.sort(), ['namespace dev', 'namespace shop']);
  const cmd = page.getByTestId('command');
  await cmd.fill('get pods -A');
  await cmd.press('Enter');
  const out = page.getByTestId('terminal').locator('pre', { hasText: /^NAMESPACE\s+NAME\s+READY/ });
  await out.waitFor();
  const rows = (await out.textContent()).split('\n').slice(1).map((l) => l.split(/\s+/)[0]);
  assert.deepEqual(rows.sort(), ['dev', 'shop', 'shop']);
  await cmd.fill('get pods');
  await cmd.press('Enter');
  await page.getByTestId('terminal').locator('pre', { hasText: 'No resources found in default namespace.' }).waitFor();
  await shot(page, 'namespaces-example');
  assert.deepEqual(problems, []);
  await context.close();
});
