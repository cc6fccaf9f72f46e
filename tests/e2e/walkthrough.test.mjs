// A learner's walk-through (issue 13, "Done means"): for each concept of
// the seed (single container, sidecar, init, ambassador, lifecycle phases,
// readiness, liveness, termination, IP change, Service, each controller,
// namespaces, common mistakes), what a learner does from the first page
// and what shows it, done here in Chromium exactly as docs/playground.md's
// "Seeing each concept" table says. `clicks` counts the learner's actions
// from the first page: picking from a menu is one, each button one.
// WALKTHROUGH_SHOTS=DIR also saves a screenshot of each at 1366×768.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage, selectExample } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const pick = (name) => async (page) => { await selectExample(page, name); };
const exercise = (name) => async (page) => {
  await page.getByTestId('exercise-choice').selectOption(name);
  await page.getByTestId('exercise').waitFor();
};
const click = (locate) => async (page) => { await locate(page).click(); };
const card = (page, name) => page.getByTestId(`pod-${name}`);
const seen = (locator, timeout = 30000) => locator.first().waitFor({ timeout });

// [concept, where, steps (each one action), what shows it]
const CONCEPTS = [
  ['single container', 'single-container', [pick('single-container')],
    (p) => seen(card(p, 'nginx').getByTestId('status').filter({ hasText: /^Running$/ }))],
  ['lifecycle phases', 'job-pods', [pick('job-pods')],
    async (p) => {
      await seen(p.getByTestId('phase').filter({ hasText: /^Succeeded$/ }));
      await seen(p.getByTestId('phase').filter({ hasText: /^Failed$/ }));
    }],
  ['init containers', 'init-containers, then ▶ Play its scenario', [pick('init-containers'), click((p) => p.getByTestId('play-scenario'))],
    async (p) => {
      await seen(card(p, 'myapp-pod').getByTestId('status').filter({ hasText: /^Init:/ }));
      await seen(card(p, 'myapp-pod').getByTestId('status').filter({ hasText: /^Running$/ }), 40000);
    }],
  ['sidecar', 'sidecar', [pick('sidecar')],
    (p) => seen(card(p, 'app-with-sidecar').getByTestId('container-log-shipper').filter({ hasText: /Running/ }))],
  ['ambassador', 'ambassador', [pick('ambassador')],
    (p) => seen(card(p, 'app-with-ambassador').getByTestId('container-ambassador').filter({ hasText: /Running/ }))],
  ['readiness', 'readiness-service, then Break', [pick('readiness-service'), click((p) => card(p, 'web').getByTestId('container-nginx').getByRole('button', { name: 'Break' }))],
    (p) => seen(p.locator('.endpoints .ep-notready', { hasText: '(web)' }))],
  ['liveness', 'the first page (liveness-exec)', [],
    (p) => seen(card(p, 'liveness-exec').locator('.restarts', { hasText: '↻ 1' }), 60000)],
  ['termination', 'graceful-deletion, then Delete', [pick('graceful-deletion'), click((p) => card(p, 'no-handler').getByTestId('delete'))],
    (p) => seen(card(p, 'no-handler').getByTestId('container-app').getByTestId('stopping').filter({ hasText: /SIGKILL/ }))],
  ['IP change', 'deployment, then Delete on a Pod', [pick('deployment'), click((p) => p.locator('article.pod.st-ready').first().getByTestId('delete'))],
    (p) => seen(p.getByTestId('pod-note').filter({ hasText: 'New Pod, new IP' }))],
  ['Service', 'readiness-service', [pick('readiness-service')],
    (p) => seen(p.locator('.endpoints .ep-ready', { hasText: '(web)' }))],
  ['Deployment', 'deployment', [pick('deployment')],
    (p) => seen(p.getByTestId('deployment-nginx-deployment'))],
  ['ReplicaSet', 'deployment, then the kubectl get … rs tab', [pick('deployment'), click((p) => p.getByRole('tab', { name: 'kubectl get nodes,deploy,rs,sts,ds,jobs,cj,pvc,pdb' }))],
    (p) => seen(p.getByTestId('pane').filter({ hasText: /replicaset\.apps\/nginx-deployment-\w+\s+3\s+3\s+3/ }))],
  ['StatefulSet', 'statefulset', [pick('statefulset')],
    (p) => seen(card(p, 'web-2').getByTestId('status').filter({ hasText: /^Running$/ }), 60000)],
  ['DaemonSet', 'daemonset', [pick('daemonset')],
    (p) => seen(p.getByTestId('daemonset-node-agent'))],
  ['Job', 'job-parallel', [pick('job-parallel')],
    (p) => seen(p.getByTestId('job-work').getByTestId('job-status').filter({ hasText: /^Complete$/ }), 60000)],
  ['CronJob', 'cronjob', [pick('cronjob')],
    (p) => seen(p.getByTestId('cronjob-report'))],
  ['namespaces', 'namespaces', [pick('namespaces')],
    async (p) => {
      await seen(p.getByTestId('namespace').filter({ hasText: 'namespace shop' }));
      await seen(p.getByTestId('namespace').filter({ hasText: 'namespace dev' }));
    }],
  ['CrashLoopBackOff', 'crashloop', [pick('crashloop')],
    (p) => seen(card(p, 'crashloop').getByTestId('status').filter({ hasText: 'CrashLoopBackOff' }), 60000)],
  ['ImagePullBackOff', 'image-pull-error', [pick('image-pull-error')],
    (p) => seen(card(p, 'typo').getByTestId('status').filter({ hasText: 'ImagePullBackOff' }), 60000)],
  ['OOMKilled', 'memory-limit-oom', [pick('memory-limit-oom')],
    (p) => seen(card(p, 'memory-demo-2').getByTestId('status').filter({ hasText: /OOMKilled|CrashLoopBackOff/ }), 60000)],
  ['a bad probe', 'exercise 04-startup-probe', [exercise('04-startup-probe')],
    (p) => seen(p.locator('article.pod .restarts', { hasText: /↻ [1-9]/ }), 60000)],
  ['Pending (no room)', 'pending-resources', [pick('pending-resources')],
    (p) => seen(card(p, 'too-big').getByTestId('why').filter({ hasText: /Insufficient cpu/ }))],
];

for (const [concept, where, steps, shows] of CONCEPTS) {
  test(`${concept}: ${where} (${steps.length} click${steps.length === 1 ? '' : 's'})`, async () => {
    const viewport = { width: 1366, height: 768 };
    const { page, context, problems } = await openPage(browser, server.base, { viewport });
    for (const step of steps) await step(page);
    // Watched fast: the learner would pick a speed too, but it is not counted.
    await page.getByTestId('speed').selectOption('30');
    await shows(page);
    if (process.env.WALKTHROUGH_SHOTS) {
      await page.screenshot({ path: `${process.env.WALKTHROUGH_SHOTS}/${concept.replace(/\W+/g, '-')}.png` });
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}
