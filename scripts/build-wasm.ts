/**
 * Assembles the todo scan's WebAssembly pre-filter (src/probes/todo/prefilter.wat) and writes it
 * beside both copies of the code that loads it: dist/probes/todo/ (tsc's output, used by the
 * tests) and dist/bundle/ (the CLI's bundle). Run by `npm run build` after both are written.
 *
 *   node scripts/build-wasm.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'probes', 'todo', 'prefilter.wat');
const wabt = await wabtInit();
const module = wabt.parseWat('prefilter.wat', readFileSync(source, 'utf8'), { simd: true });
try {
  module.validate();
  const { buffer } = module.toBinary({});
  for (const dir of [join(root, 'dist', 'probes', 'todo'), join(root, 'dist', 'bundle')]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'prefilter.wasm'), buffer);
  }
} finally {
  module.destroy();
}
