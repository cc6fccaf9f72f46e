// The same trace natively and in Wasm: the podplay CLI built for
// wasm32-wasip1 runs under Node's built-in WASI, and its JSON trace of every
// bundled example (several seeds) must equal the native binary's byte for byte.
//
// Run by scripts/test.sh after it builds both binaries:
//   PODPLAY_NATIVE=target/release/podplay PODPLAY_WASM=target/wasm32-wasip1/release/podplay.wasm \
//     node --test tests/wasm/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const native = process.env.PODPLAY_NATIVE ?? `${root}target/release/podplay`;
const wasmPath = process.env.PODPLAY_WASM ?? `${root}target/wasm32-wasip1/release/podplay.wasm`;
const wasmModule = await WebAssembly.compile(await readFile(wasmPath));

/** Runs the Wasm CLI, capturing stdout through a pipe child process. */
function runWasm(args) {
  // WASI writes to real file descriptors: run it in a child Node process.
  const script = `
    import { WASI } from 'node:wasi';
    import { readFile } from 'node:fs/promises';
    const wasi = new WASI({ version: 'preview1', args: ['podplay', ...${JSON.stringify(args)}], env: {}, returnOnExit: true });
    const m = await WebAssembly.compile(await readFile(${JSON.stringify(wasmPath)}));
    const i = await WebAssembly.instantiate(m, wasi.getImportObject());
    process.exitCode = wasi.start(i);`;
  return execFileSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], {
    maxBuffer: 256 * 1024 * 1024,
  });
}

function runNative(args) {
  return execFileSync(native, args, { maxBuffer: 256 * 1024 * 1024 });
}

const sha = (buf) => createHash('sha256').update(buf).digest('hex');

const names = execFileSync(native, ['examples'])
  .toString()
  .split('\n')
  .slice(1)
  .map((l) => l.split(/\s+/)[0])
  .filter(Boolean);

test('the Wasm module is a real build of the CLI', () => {
  assert.ok(WebAssembly.Module.exports(wasmModule).some((e) => e.name === '_start'));
  assert.ok(names.length >= 10, `expected the bundled examples, got ${names}`);
});

for (const name of names) {
  test(`example ${name}: native and Wasm traces are identical`, () => {
    for (const seed of ['1', '7', '42']) {
      const args = ['run', `example:${name}`, '--until', '5m', '--seed', seed, '-o', 'json'];
      const a = runNative(args);
      const b = runWasm(args);
      assert.ok(a.length > 0, 'native trace is not empty');
      assert.equal(sha(b), sha(a), `seed ${seed}: Wasm trace differs from native`);
    }
  });
}
