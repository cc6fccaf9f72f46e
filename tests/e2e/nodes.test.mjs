// Nodes, Jobs, StatefulSets and DaemonSets on the page, in a real headless
// Chromium. Waits are on what the page shows (with timeouts), never sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage, pickExample, pane } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const GET_ALL = 'kubectl get nodes,deploy,rs,sts,ds,jobs,cj,pvc,pdb';

test('stopping a node: NotReady, unreachable taints, and the Deployment Pod replaced on the other node', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await pickExample(page, 'node-failure', '10');
  const a = page.getByTestId('node-node-a');
  const b = page.getByTestId('node-node-b');
  await a.locator('article.pod.st-ready').nth(1).waitFor({ timeout: 20000 });
  assert.equal(await a.getByTestId('node-status').textContent(), 'Ready');
  await a.getByRole('button', { name: 'Stop the kubelet on node-a' }).click();
  // Still Ready within the grace period, but the page says the kubelet stopped.
  await a.getByTestId('node-note').filter({ hasText: 'Kubelet stopped' }).waitFor();
  await a.getByRole('button', { name: 'Start the kubelet on node-a' }).waitFor();
  await page.getByTestId('speed').selectOption('300');
  await a.getByTestId('node-status').filter({ hasText: /^NotReady$/ }).waitFor({ timeout: 20000 });
  await a.getByTestId('taint').filter({ hasText: 'node.kubernetes.io/unreachable:NoExecute' }).waitFor();
  assert.match(await page.getByTestId('node-node-a').getAttribute('class'), /not-ready/);
  // After the 300 s toleration the Deployment's Pod is re-created on node-b.
  await b.locator('article.pod.st-ready[data-testid^="pod-web-"]').waitFor({ timeout: 30000 });
  // The evicted bare Pod stays Terminating on the dead node, marked by the taint eviction controller.
  await a.getByTestId('pod-bare').locator('.cond.disruption', { hasText: 'DisruptionTarget: DeletionByTaintManager' }).waitFor();
  await page.getByRole('tab', { name: GET_ALL }).click();
  assert.match(await pane(page), /node\/node-a\s+NotReady\s+<none>/);
  assert.match(await pane(page), /node\/node-b\s+Ready\s+<none>/);
  assert.match(await pane(page), /deployment\.apps\/web\s+1\/1/);
  await page.getByRole('tab', { name: 'kubectl events' }).click();
  assert.match(await pane(page), /TaintManagerEviction\s+Pod\/bare\s+Marking for deletion Pod default\/bare/);
  // The stop is part of the session: a restart replays it.
  await page.getByTestId('speed').selectOption('10');
  await page.getByTestId('restart').click();
  await a.getByTestId('node-status').filter({ hasText: /^Ready$/ }).waitFor();
  await page.getByTestId('speed').selectOption('300');
  await a.getByTestId('node-status').filter({ hasText: /^NotReady$/ }).waitFor({ timeout: 20000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('cordon, drain and add node from the keyboard', async () => {
  const { page, context, problems } = await openPage(browser, server.base, { reducedMotion: 'reduce' });
  await pickExample(page, 'daemonset', '10');
  await page.getByTestId('play').click();
  const ds = page.getByTestId('daemonset-node-agent');
  await ds.getByTestId('daemonset-row').filter({ hasText: /^3\s*3\s*3/ }).waitFor({ timeout: 20000 });
  const n2 = page.getByTestId('node-node-2');
  await n2.getByRole('button', { name: 'Cordon node-2' }).focus();
  await page.keyboard.press('Enter');
  await n2.getByTestId('node-status').filter({ hasText: 'Ready,SchedulingDisabled' }).waitFor();
  await n2.getByTestId('taint').filter({ hasText: 'node.kubernetes.io/unschedulable:NoSchedule' }).waitFor();
  // Drain evicts all but DaemonSet Pods: the agent stays.
  await n2.getByRole('button', { name: 'Drain node-2', exact: true }).click();
  assert.equal(await n2.locator('article.pod').count(), 1);
  await n2.getByRole('button', { name: 'Uncordon node-2' }).click();
  await n2.getByTestId('node-status').filter({ hasText: /^Ready$/ }).waitFor();
  // A new node: the DaemonSet puts a Pod there.
  await page.getByTestId('node-name').fill('node-9');
  await page.getByTestId('node-cpu').fill('2');
  await page.getByTestId('node-name').press('Enter');
  const n9 = page.getByTestId('node-node-9');
  await n9.getByTestId('node-status').filter({ hasText: /^Ready$/ }).waitFor();
  assert.match(await n9.locator('.node-usage').textContent(), /\/110 Pods/);
  await n9.locator('article.pod').first().waitFor({ timeout: 20000 });
  await ds.getByTestId('daemonset-row').filter({ hasText: /^4\s*4/ }).waitFor({ timeout: 20000 });
  // Delete the DaemonSet: its Pods terminate and nothing replaces them.
  await ds.getByTestId('delete').click();
  await ds.waitFor({ state: 'detached' });
  await page.locator('article.pod').first().waitFor({ state: 'detached', timeout: 30000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test("a DaemonSet's new image rolls out from its card, replacing every Pod", async () => {
  const { page, context, problems } = await openPage(browser, server.base, { reducedMotion: 'reduce' });
  await pickExample(page, 'daemonset-rolling-update', '10');
  await page.getByTestId('play').click();
  const ds = page.getByTestId('daemonset-fluentd-elasticsearch');
  // DESIRED CURRENT READY UP-TO-DATE AVAILABLE
  await ds.getByTestId('daemonset-row').filter({ hasText: /^3\s*3\s*3\s*3\s*3/ }).waitFor({ timeout: 20000 });
  const before = await page.locator('article.pod').evaluateAll((els) => els.map((e) => e.dataset.testid));
  assert.equal(before.length, 3);
  await ds.getByTestId('image').fill('quay.io/fluentd_elasticsearch/fluentd:v2.6.0');
  await ds.getByTestId('set-image').click();
  // Every node's Pod is replaced (one node at a time: maxUnavailable 1), and all are up to date again.
  await page.waitForFunction((old) => {
    const now = [...document.querySelectorAll('article.pod')].map((e) => e.dataset.testid);
    return now.length === 3 && now.every((t) => !old.includes(t));
  }, before, { timeout: 30000 });
  await ds.getByTestId('daemonset-row').filter({ hasText: /^3\s*3\s*3\s*3\s*3/ }).waitFor({ timeout: 20000 });
  assert.equal(await ds.getByTestId('image').inputValue(), 'quay.io/fluentd_elasticsearch/fluentd:v2.6.0');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a failing Job ends Failed with BackoffLimitExceeded; a parallel Job ends Complete', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await pickExample(page, 'job-backoff-limit', '60');
  const job = page.getByTestId('job-fails');
  await job.getByTestId('job-status').filter({ hasText: /^Failed$/ }).waitFor({ timeout: 30000 });
  assert.match(await job.getByTestId('why').textContent(), /BackoffLimitExceeded: Job has reached the specified backoff limit — 3 failed Pods, backoffLimit 2/);
  assert.match(await job.locator('.cond.on').first().textContent(), /FailureTarget \(BackoffLimitExceeded\)/);
  await page.getByRole('tab', { name: GET_ALL }).click();
  assert.match(await pane(page), /job\.batch\/fails\s+Failed\s+0\/1/);

  await pickExample(page, 'job-parallel', '60');
  const work = page.getByTestId('job-work');
  await work.getByTestId('job-status').filter({ hasText: /^Complete$/ }).waitFor({ timeout: 30000 });
  assert.match(await work.getByTestId('job-row').textContent(), /Complete\s*3\/3/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a CronJob creates a Job each minute, listed beside it by kubectl get', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await pickExample(page, 'cronjob', '60');
  // <cronjob>-<scheduled time in minutes since the epoch>: 00:02 on 2026-01-01.
  await page.getByTestId('job-report-29453762').waitFor({ timeout: 30000 });
  await page.getByRole('tab', { name: GET_ALL }).click();
  assert.match(await pane(page), /cronjob\.batch\/report\s+\* \* \* \* \*\s+<none>\s+False\s+\d+\s+\d+s/);
  assert.match(await pane(page), /job\.batch\/report-29453761\s+Complete/);
  // Its card: when the next Job comes, the latest event, and Delete (its Jobs go too).
  const card = page.getByTestId('cronjob-report');
  assert.match(await card.getByTestId('cronjob-next').textContent(), /^next Job at \d+m0s \(in \d+(\.\d+)?s\) · concurrencyPolicy Allow · keeps 2 succeeded and 1 failed Jobs$/);
  assert.match(await card.getByTestId('why').textContent(), /(SuccessfulCreate: Created job|SawCompletedJob: Saw completed job): report-2945376\d/);
  await card.getByTestId('delete').click();
  await card.waitFor({ state: 'detached' });
  await page.getByTestId('job-report-29453761').waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a StatefulSet shows its claims and scales', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await pickExample(page, 'statefulset', '30');
  const sts = page.getByTestId('statefulset-web');
  await sts.getByTestId('statefulset-row').filter({ hasText: /^3\/3/ }).waitFor({ timeout: 30000 });
  assert.equal(await sts.locator('.claims li').count(), 3);
  assert.match(await sts.locator('.claims li').first().textContent(), /PVC www-web-0 · Bound · 1Gi RWO/);
  await sts.getByRole('button', { name: 'Scale down by one' }).click();
  await sts.getByTestId('replicas').filter({ hasText: '2 replicas' }).waitFor();
  await page.getByTestId('pod-web-2').waitFor({ state: 'detached', timeout: 30000 });
  await page.getByRole('tab', { name: GET_ALL }).click();
  assert.match(await pane(page), /statefulset\.apps\/web\s+2\/2/);
  assert.match(await pane(page), /persistentvolumeclaim\/www-web-2\s+Bound/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an example's scenario plays by itself: from the button, and from ?scenario=1", async () => {
  const { page, problems } = await openPage(browser, server.base);
  await pickExample(page, 'pending-add-node', '30');
  const play = page.getByTestId('play-scenario');
  assert.match(await play.textContent(), /at 30s: add node node-4 cpu=8 memory=16Gi/);
  await play.click();
  await page.getByTestId('node-node-4').waitFor({ timeout: 20000 });
  await page.locator('[data-testid="node-node-4"] article.pod').first().waitFor({ timeout: 20000 });
  // The same story from an address, as a blog post would embed it.
  const { page: embed } = await openPage(browser, `${server.base}?example=node-failure&scenario=1&speed=300&autoplay=1`);
  await embed.getByTestId('node-node-a').getByTestId('node-status').filter({ hasText: /^NotReady$/ }).waitFor({ timeout: 20000 });
  assert.deepEqual(problems, []);
});
