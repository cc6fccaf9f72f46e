// The playground page in a real headless Chromium, served from dist/ under a
// sub-path. Waits are on what the page shows (with timeouts), never sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage, SUBPATH, pickExample, pane, waitLive } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const clock = (page) => page.getByTestId('clock').textContent();

/** The deployment example with its three Pods ready, and the command line:
 * `run` types a command and presses Enter, `last` reads what the latest printed. */
async function deploymentAtHand() {
  const { page, context, problems } = await openPage(browser, server.base);
  await pickExample(page, 'deployment', '10');
  await page.locator('article.pod.st-ready').nth(2).waitFor({ timeout: 20000 });
  const cmd = page.getByTestId('command');
  const terminal = page.getByTestId('terminal');
  const run = async (text) => { await cmd.fill(text); await cmd.press('Enter'); };
  const last = () => terminal.locator('.echo + pre').last().textContent();
  return { page, context, problems, terminal, run, last };
}

test('loads under a sub-path with no request elsewhere and no errors', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await page.waitForSelector('[data-testid^="pod-"]');
  const outside = server.requests.filter((p) => !p.startsWith(SUBPATH));
  assert.deepEqual(outside, [], 'every asset URL is relative to the page');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a Pod becomes Running and Ready and joins its Service', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await pickExample(page, 'readiness-service', '10');
  const pod = page.getByTestId('pod-web');
  await pod.getByTestId('status').filter({ hasText: /^Running$/ }).waitFor();
  await page.locator('.endpoints .ep-ready', { hasText: '(web)' }).waitFor({ timeout: 20000 });
  await page.locator('.cond.on', { hasText: 'Ready' }).first().waitFor();
  // The watch pane reads like kubectl.
  await page.getByRole('tab', { name: 'kubectl get pods -w' }).click();
  assert.match(await pane(page), /TIME\s+EVENT\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
  assert.match(await pane(page), /MODIFIED\s+web\s+1\/1\s+Running/);
  // Breaking the app takes it out of the endpoints once readiness fails 3 times.
  await pod.getByTestId('container-nginx').getByRole('button', { name: 'Break' }).click();
  await page.locator('.endpoints .ep-notready', { hasText: '(web)' }).waitFor({ timeout: 20000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a failing liveness probe restarts the container into CrashLoopBackOff', async () => {
  const { page, context } = await openPage(browser, server.base);
  await pickExample(page, 'liveness-exec', '300');
  const pod = page.getByTestId('pod-liveness-exec');
  await pod.locator('.restarts', { hasText: '↻ 2' }).waitFor({ timeout: 30000 });
  // The timeline drew the back-off as trouble, and the Unhealthy events as marks.
  assert.ok(await page.locator('.tl-lane .seg.st-trouble').count() > 0);
  assert.ok(await page.locator('.tl-lane .mark.warning').count() > 0);
  await page.getByRole('tab', { name: 'kubectl events' }).click();
  assert.match(await pane(page), /Warning\s+Unhealthy\s+Pod\/liveness-exec\s+Liveness probe failed/);
  await context.close();
});

test('deleting a Pod terminates it gracefully and removes it', async () => {
  const { page, context } = await openPage(browser, server.base);
  // `sleep` as PID 1 ignores SIGTERM: the kubelet waits the 30 s grace period, then SIGKILLs.
  await pickExample(page, 'graceful-deletion', '10');
  const pod = page.getByTestId('pod-no-handler');
  await pod.getByTestId('status').filter({ hasText: /^Running$/ }).waitFor();
  await pod.getByTestId('delete').click();
  await pod.getByTestId('status').filter({ hasText: 'Terminating' }).waitFor();
  await pod.waitFor({ state: 'detached', timeout: 30000 });
  await page.getByRole('tab', { name: 'kubectl get pods -w' }).click();
  assert.match(await pane(page), /DELETED\s+no-handler/);
  await page.getByRole('tab', { name: 'kubectl events' }).click();
  assert.match(await pane(page), /Normal\s+Killing\s+Pod\/no-handler\s+Stopping container app/);
  await context.close();
});

test('a Pod deleted under a Deployment is replaced with a new name and IP, and the Service follows', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await pickExample(page, 'deployment', '10');
  const pods = page.locator('article.pod');
  await page.locator('article.pod.st-ready').nth(2).waitFor({ timeout: 20000 });
  await page.locator('.endpoints .ep-ready').nth(2).waitFor({ timeout: 20000 });
  const victim = pods.first();
  const name = (await victim.getAttribute('data-testid')).replace('pod-', '');
  const ip = await victim.getByTestId('ip').textContent();
  await victim.getByTestId('delete').click();
  await page.getByTestId(`pod-${name}`).waitFor({ state: 'detached', timeout: 30000 });
  await page.locator('article.pod.st-ready').nth(2).waitFor({ timeout: 20000 });
  const names = await pods.evaluateAll((els) => els.map((e) => e.dataset.testid.replace('pod-', '')));
  const ips = await pods.evaluateAll((els) => els.map((e) => e.querySelector('[data-testid=ip]').textContent));
  assert.equal(names.length, 3);
  assert.ok(!names.includes(name), 'the replacement has a new name');
  assert.ok(!ips.includes(ip), `the replacement has a new IP (${ips} vs ${ip})`);
  assert.ok(names.every((n) => n.startsWith('nginx-deployment-')));
  const endpoints = await page.locator('.endpoints .ep-ready').allTextContents();
  assert.equal(endpoints.length, 3);
  for (const e of ips) assert.ok(endpoints.some((t) => t.includes(e)), `endpoint for ${e}`);
  // Scale up, then roll out a new image: a second ReplicaSet appears.
  const dep = page.getByTestId('deployment-nginx-deployment');
  await dep.getByTestId('scale-up').click();
  await dep.getByTestId('replicas').filter({ hasText: '4 replicas' }).waitFor();
  await page.locator('article.pod').nth(3).waitFor();
  await dep.getByTestId('image').fill('nginx:1.16.1');
  await dep.getByTestId('set-image').click();
  await dep.locator('.replicasets li').nth(1).waitFor();
  // Undo: the image field follows the Deployment back to its first image.
  await dep.getByRole('button', { name: 'Undo rollout' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid=deployment-nginx-deployment] [data-testid=image]').value === 'nginx:1.14.2');
  await page.getByRole('tab', { name: 'kubectl get nodes,deploy,rs,sts,ds,jobs,cj,pvc,pdb' }).click();
  assert.match(await pane(page), /deployment\.apps\/nginx-deployment\s+\d\/4/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the command line runs kubectl commands now, recalls them, and says what is wrong', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await pickExample(page, 'deployment', '10');
  await page.locator('article.pod.st-ready').nth(2).waitFor({ timeout: 20000 });
  const cmd = page.getByTestId('command');
  // kubectl's own spelling: `TYPE NAME`, with the leading `kubectl`.
  await cmd.fill('kubectl scale deployment nginx-deployment --replicas=5');
  await cmd.press('Enter');
  await page.locator('article.pod').nth(4).waitFor({ timeout: 20000 });
  assert.equal(await cmd.inputValue(), '', 'a command that ran is cleared');
  await cmd.fill('drain node nope');
  await cmd.press('Enter');
  // Its error shows in the terminal under the command line, after the
  // command echoed, not in a banner.
  const terminal = page.getByTestId('terminal');
  await terminal.locator('.error', { hasText: 'nodes "nope" not found' }).waitFor();
  assert.equal(await terminal.locator('.echo').last().textContent(), '$ kubectl drain node nope');
  assert.equal(await page.locator('.notice.error').count(), 0);
  // ↑ recalls the commands run before, newest first.
  await cmd.press('ArrowUp');
  assert.equal(await cmd.inputValue(), 'drain node nope');
  await cmd.press('ArrowUp');
  assert.equal(await cmd.inputValue(), 'scale deployment nginx-deployment --replicas=5');
  await cmd.press('ArrowDown');
  assert.equal(await cmd.inputValue(), 'drain node nope');
  // The command is part of the session: a restart replays it.
  await page.getByTestId('restart').click();
  await page.locator('article.pod').nth(4).waitFor({ timeout: 20000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the command line prints what kubectl get, describe, logs and events print, and kubectl\'s errors', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await pickExample(page, 'single-container', '10');
  await page.locator('article.pod.st-ready').first().waitFor({ timeout: 20000 });
  const cmd = page.getByTestId('command');
  const terminal = page.getByTestId('terminal');
  const run = async (text) => { await cmd.fill(text); await cmd.press('Enter'); };
  await run('kubectl get pods -o wide');
  await terminal.locator('pre', { hasText: /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/ }).waitFor();
  assert.match(await terminal.textContent(), /nginx\s+1\/1\s+Running\s+0/);
  await run('describe pod nginx');
  await terminal.locator('pre', { hasText: /^Name:\s+nginx/ }).waitFor();
  await run('get events');
  await terminal.locator('pre', { hasText: /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/ }).waitFor();
  await run('logs nginx --tail=1');
  await run('get podz');
  await terminal.locator('.error', { hasText: 'error: the server doesn\'t have a resource type "podz"' }).waitFor();
  await run('get pod x');
  await terminal.locator('.error', { hasText: 'Error from server (NotFound): pods "x" not found' }).waitFor();
  const echoes = await terminal.locator('.echo').allTextContents();
  assert.deepEqual(echoes, ['$ kubectl get pods -o wide', '$ kubectl describe pod nginx', '$ kubectl get events', '$ kubectl logs nginx --tail=1', '$ kubectl get podz', '$ kubectl get pod x']);
  // Reading changes nothing: nothing is added to the session.
  assert.equal(await page.locator('.notice.error').count(), 0);
  // The terminal scrolls inside its own box rather than pushing the page down.
  const box = await terminal.boundingBox();
  assert.ok(box.height < 260, `terminal height ${box.height}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the command line prints -o json and -o yaml, get svc, logs --previous, kubectl\'s line after a change and refusals in its error form', async () => {
  const { page, context, problems, terminal, run, last } = await deploymentAtHand();
  await run('get svc');
  await terminal.locator('pre', { hasText: /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nnginx\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+$/ }).waitFor();
  const pod = (await page.locator('article.pod').first().getAttribute('data-testid')).replace(/^pod-/, '');
  await run(`get pod ${pod} -o json`);
  await terminal.locator('pre', { hasText: /^\{\n {4}"apiVersion": "v1",\n {4}"kind": "Pod",/ }).waitFor();
  const object = JSON.parse(await last());
  assert.equal(object.metadata.name, pod);
  assert.equal(object.status.phase, 'Running');
  await run('get deploy -o yaml');
  await terminal.locator('pre', { hasText: /^apiVersion: v1\nitems:\n- apiVersion: apps\/v1\n {2}kind: Deployment\n/ }).waitFor();
  await run(`logs ${pod} -p`);
  await terminal.locator('.error', { hasText: `Error from server (BadRequest): previous terminated container "nginx" in pod "${pod}" not found` }).waitFor();
  await run(`delete pod ${pod}`);
  await terminal.locator('pre', { hasText: `pod "${pod}" deleted from default namespace` }).waitFor();
  await run('delete pod ghost');
  await terminal.locator('.error', { hasText: /^Error from server \(NotFound\): pods "ghost" not found$/ }).waitFor();
  await run('scale deploy/nginx-deployment --replicas=3');
  await terminal.locator('pre', { hasText: /^deployment\.apps\/nginx-deployment scaled$/ }).waitFor();
  await run('cordon node node-1');
  await terminal.locator('pre', { hasText: /^node\/node-1 cordoned$/ }).waitFor();
  await run('cordon node node-1');
  await terminal.locator('pre', { hasText: /^node\/node-1 already cordoned$/ }).waitFor();
  await run('set image deployment/nginx-deployment nope=nginx:1.28');
  await terminal.locator('.error', { hasText: /^error: unable to find container named "nope"$/ }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the command line prints kubectl apply\'s line per object and kubectl drain\'s lines as the drain goes', async () => {
  const { page, context, problems, terminal, run, last } = await deploymentAtHand();
  // The example's own objects again: kubectl says they are unchanged.
  await run('apply -f example:deployment');
  await terminal.locator('.echo', { hasText: 'apply -f example:deployment' }).waitFor();
  assert.equal(await last(), 'service/nginx unchanged\ndeployment.apps/nginx-deployment unchanged');
  await run('apply -f example:readiness-service');
  await terminal.locator('pre', { hasText: /^service\/web created\npod\/web created$/ }).waitFor();
  // The Pods on the node it drains, as `get pods -o wide` lists them.
  await run('get pods -o wide');
  await terminal.locator('.echo', { hasText: 'get pods -o wide' }).waitFor();
  const rows = (await last()).split('\n').slice(1).map((l) => l.split(/\s+/));
  // A node with Deployment Pods and not the bare Pod web (that one needs --force).
  const webNode = rows.find((c) => c[0] === 'web')[6];
  const node = rows.find((c) => c[0].startsWith('nginx-') && c[6] !== webNode)[6];
  const onNode = rows.filter((c) => c[6] === node).map((c) => c[0]).sort();
  await run(`drain ${node} --ignore-daemonsets`);
  const started = [`node/${node} cordoned`, ...onNode.map((n) => `evicting pod default/${n}`)].join('\n');
  await terminal.locator('pre', { hasText: started }).waitFor();
  // Then, as the evicted Pods go, one line each (in the order they go), and the node.
  const done = terminal.locator('pre', { hasText: `node/${node} drained` });
  await done.waitFor({ timeout: 60000 });
  const lines = (await done.textContent()).split('\n');
  assert.deepEqual(lines.slice(0, 1 + onNode.length).join('\n'), started);
  assert.deepEqual(lines.slice(1 + onNode.length, -1).sort(), onNode.map((n) => `pod/${n} evicted`));
  assert.equal(lines.at(-1), `node/${node} drained`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('init containers wait until the Services they look up are applied', async () => {
  const { page, context } = await openPage(browser, server.base);
  await pickExample(page, 'init-containers', '30');
  const pod = page.getByTestId('pod-myapp-pod');
  await pod.getByTestId('status').filter({ hasText: 'Init:0/2' }).waitFor();
  await page.getByTestId('apply-choice').selectOption('init-containers-services');
  await page.getByTestId('apply').click();
  await pod.getByTestId('status').filter({ hasText: /^Running$/ }).waitFor({ timeout: 20000 });
  await page.getByRole('tab', { name: 'kubectl get pods -w' }).click();
  assert.match(await pane(page), /Init:1\/2[\s\S]*PodInitializing[\s\S]*Running/);
  await context.close();
});

test('a half-typed manifest shows errors at their line and keeps the last run', async () => {
  const { page, context, problems } = await openPage(browser, server.base);
  await pickExample(page, 'readiness-service', '1');
  const editor = page.getByTestId('editor');
  const good = await editor.inputValue();
  await editor.fill(good.replace('containerPort: 80', 'containerPort: eighty'));
  const list = page.getByTestId('problems');
  await list.getByText(/line \d+, column \d+: .*containerPort.*expected an integer/).waitFor();
  await page.locator('p.stale').waitFor();
  assert.ok(await page.getByTestId('pod-web').isVisible(), 'the last valid run keeps going');
  await page.locator('.ln.has-error').first().waitFor();
  // Clicking the problem puts the caret on its line.
  await list.getByRole('button').first().click();
  const caretLine = await editor.evaluate((t) => t.value.slice(0, t.selectionStart).split('\n').length);
  const errorLine = Number((await list.getByRole('button').first().textContent()).match(/line (\d+)/)[1]);
  assert.equal(caretLine, errorLine);
  await editor.fill(good);
  await list.getByText('Valid').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the share link carries the whole state, and autosave survives a reload', async () => {
  const { page, context } = await openPage(browser, server.base);
  await pickExample(page, 'crashloop', '60');
  await page.getByTestId('seed').fill('7');
  await page.getByTestId('seed').dispatchEvent('change');
  await page.locator('.restarts').first().waitFor({ timeout: 20000 });
  await page.getByTestId('play').click(); // pause
  const time = await clock(page);
  await page.getByTestId('share').click();
  const url = await page.locator('.share-url').inputValue();
  assert.match(url, /#s=[A-Za-z0-9_-]+$/);
  // Another browser profile opens the link: same example, seed and time.
  const other = await openPage(browser, url, { reducedMotion: 'reduce' });
  assert.equal(await clock(other.page), time);
  assert.equal(await other.page.getByTestId('seed').inputValue(), '7');
  assert.equal(await other.page.getByTestId('example').inputValue(), 'crashloop');
  await other.context.close();
  // A reload of the first page (no link) restores the autosave, edits included.
  const editor = page.getByTestId('editor');
  await editor.fill((await editor.inputValue()) + '\n# my note\n');
  await page.waitForTimeout(400); // the editor's 250 ms debounce, then the save
  await page.goto(server.base);
  await waitLive(page);
  assert.match(await page.getByTestId('editor').inputValue(), /# my note/);
  await context.close();
});

test('hostile or oversized share links are refused with a message', async () => {
  const damaged = await openPage(browser, `${server.base}#s=%%%not-base64`);
  await damaged.page.getByRole('alert').getByText(/damaged/).waitFor();
  assert.ok(await damaged.page.locator('[data-testid^="pod-"]').count() > 0, 'the page still works');
  await damaged.context.close();
  const huge = await openPage(browser, `${server.base}#s=${'A'.repeat(70 * 1024)}`);
  await huge.page.getByRole('alert').getByText(/over the 64 KiB/).waitFor();
  await huge.context.close();
  // Markup in a link is shown as text, never run.
  const json = JSON.stringify({ v: 1, manifests: '<img src=x onerror="window.pwned=1">', seed: 1, actions: [], time: 0 });
  const b64 = Buffer.from(json).toString('base64url');
  const markup = await openPage(browser, `${server.base}#s=${b64}`);
  await markup.page.getByTestId('problems').getByText(/error/).first().waitFor();
  assert.equal(await markup.page.evaluate(() => window.pwned), undefined);
  assert.equal(await markup.page.locator('img[src=x]').count(), 0);
  await markup.context.close();
});

test('keyboard: every control is reachable and the scrubber seeks', async () => {
  const { page, context } = await openPage(browser, server.base, { reducedMotion: 'reduce' });
  // With reduced motion the page starts paused.
  assert.match(await page.getByTestId('play').textContent(), /Play/);
  await page.getByTestId('play').focus();
  await page.keyboard.press('Space');
  assert.match(await page.getByTestId('play').textContent(), /Pause/);
  await page.keyboard.press('Space');
  await page.getByTestId('step').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  assert.notEqual(await clock(page), 't = 0s');
  const scrubber = page.getByTestId('scrubber');
  await scrubber.focus();
  await page.keyboard.press('Home');
  await page.getByTestId('clock').filter({ hasText: /^t = 0s$/ }).waitFor();
  // The live region announces status changes.
  await page.getByTestId('step').click();
  assert.match(await page.getByTestId('announcer').textContent(), /At .*: Pod .* is /);
  await context.close();
});

test('a phone-sized screen gets one column and no sideways scrolling', async () => {
  const { page, context } = await openPage(browser, server.base, { viewport: { width: 390, height: 844 } });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await context.close();
});
