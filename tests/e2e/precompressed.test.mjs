// The build is ready for a real host (issue 14): scripts/build-web.sh leaves
// brotli (NAME.br) and gzip (NAME.gz) copies beside every compressible file
// of dist/ (scripts/compress-dist.py; Python's brotli module comes from
// scripts/setup-web.sh), and scripts/serve.py serves the brotli copy to a
// browser that takes it, the gzip copy to one that takes only gzip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { join } from 'node:path';
import { serveReal, DIST } from './harness.mjs';

let host;
before(async () => { host = await serveReal(); });
after(() => host?.close());

const wasm = () => readdirSync(DIST).find((n) => n.endsWith('_bg.wasm'));
const glue = () => readdirSync(DIST).find((n) => /^podplay-web-[0-9a-f]{16}\.js$/.test(n));

test('dist/ holds a brotli copy, smaller than the gzip one, of the Wasm, the glue and the pages (the stylesheet is in them)', () => {
  for (const name of [wasm(), glue(), 'index.html', 'example-crashloop.html']) {
    assert.ok(name, 'the file exists in dist/');
    const raw = readFileSync(join(DIST, name));
    const br = readFileSync(join(DIST, `${name}.br`));
    assert.ok(br.length < statSync(join(DIST, `${name}.gz`)).size, `${name}: brotli ${br.length} bytes is smaller than gzip`);
    assert.ok(brotliDecompressSync(br).equals(raw), `${name}.br decodes to ${name}`);
  }
});

test('serve.py sends the brotli copy with Content-Encoding: br when the browser takes it, gzip otherwise', async () => {
  for (const name of [wasm(), 'index.html']) {
    const raw = readFileSync(join(DIST, name));
    // A browser's header: br is taken.
    const br = await fetch(host.base + name, { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
    assert.equal(br.status, 200);
    assert.equal(br.headers.get('content-encoding'), 'br', name);
    assert.equal(Number(br.headers.get('content-length')), statSync(join(DIST, `${name}.br`)).size, `${name}: the .br file's bytes travel`);
    assert.equal(br.headers.get('vary'), 'Accept-Encoding');
    assert.ok(Buffer.from(await br.arrayBuffer()).equals(raw), `${name}: the body decodes to the built file`);
    // br refused (q=0): the gzip copy.
    const gz = await fetch(host.base + name, { headers: { 'accept-encoding': 'gzip, br;q=0' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip', name);
    await gz.arrayBuffer();
  }
  assert.equal((await fetch(host.base + wasm(), { headers: { 'accept-encoding': 'br' } })).headers.get('content-type'), 'application/wasm');
});
