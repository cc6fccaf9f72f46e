// Shared pieces of the browser tests: a static server for dist/ mounted under
// a sub-path (as a blog or workshop host would), and Debian's Chromium driven
// by playwright-core. Nothing here downloads anything.
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const DIST = resolve(process.env.PODPLAY_DIST ?? new URL('../../dist', import.meta.url).pathname);
export const SUBPATH = '/workshop/podplay/';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.md': 'text/plain; charset=utf-8',
  '.json': 'application/json', '.yaml': 'text/yaml; charset=utf-8',
};

/** Serves DIST under SUBPATH on a free loopback port. `requests` lists every path asked for. */
export async function serve() {
  const requests = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname);
    if (!url.pathname.startsWith(SUBPATH)) { res.writeHead(404); res.end('outside the sub-path'); return; }
    let rel = decodeURIComponent(url.pathname.slice(SUBPATH.length)) || 'index.html';
    const file = normalize(join(DIST, rel));
    if (!file.startsWith(DIST)) { res.writeHead(403); res.end(); return; }
    try {
      const s = await stat(file);
      const body = await readFile(s.isDirectory() ? join(file, 'index.html') : file);
      res.writeHead(200, { 'content-type': TYPES[extname(s.isDirectory() ? 'index.html' : file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch { res.writeHead(404); res.end('not found'); }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${server.address().port}${SUBPATH}`;
  return { base, requests, close: () => new Promise((ok) => server.close(ok)) };
}

/** scripts/serve.py (the host a reader's browser meets: the precompressed
 * copies scripts/build-web.sh writes, cache headers) on a free port, with its
 * request log. */
export async function serveReal() {
  const script = fileURLToPath(new URL('../../scripts/serve.py', import.meta.url));
  const proc = spawn('python3', [script, '--port', '0', DIST], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  proc.stderr.on('data', (d) => log.push(...d.toString().split('\n').filter(Boolean)));
  const base = await new Promise((ok, fail) => {
    proc.stdout.on('data', (d) => { const m = d.toString().match(/on (http:\/\/127\.0\.0\.1:\d+\/)/); if (m) ok(m[1]); });
    proc.on('exit', (code) => fail(new Error(`serve.py exited ${code}: ${log.join('\n')}`)));
  });
  return { base, log, close: () => proc.kill() };
}

/** Debian's Chromium, headless, with the flags that keep it off the network. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh page (its own storage) that fails the test on any page error or CSP violation. */
export async function openPage(browser, url, { viewport = { width: 1400, height: 1000 }, reducedMotion = 'no-preference' } = {}) {
  const context = await browser.newContext({ viewport, reducedMotion });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.goto(url);
  await waitLive(page);
  return { page, context, problems };
}

/** Waits until the live App has taken the place of the first view drawn at
 * build time (src/ui/first_view.rs), which looks the same but does nothing. */
export async function waitLive(page, timeout = 20000) {
  await page.waitForFunction(() => !document.getElementById('first-view') && document.querySelector('.app'), null, { timeout });
}

/** Picks a bundled example in the page's menu and waits until it is open:
 * the page fetches an example's text when it is picked (src/bundled.rs). */
export async function selectExample(page, name) {
  await page.getByTestId('example').selectOption(name);
  await page.getByTestId('example-title').filter({ hasText: new RegExp(`^${name}:`) }).waitFor({ timeout: 20000 });
}

/** Picks a bundled example and a playback speed ("10", "60", …). */
export async function pickExample(page, name, speed) {
  await selectExample(page, name);
  await page.getByTestId('speed').selectOption(speed);
}

/** The text of the kubectl pane that is open. */
export const pane = (page) => page.getByTestId('pane').textContent();
