/**
 * Version comparison speed: compare() with a warm cache and parsing with a cold one, for npm and
 * PyPI versions (the vulnerability matcher compares every package against its advisories).
 *
 *   npm run build && node bench/versioning/bench.ts
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

type Versioning = typeof import('../../src/versioning/index.js');
const { cachedSchemes } = (await import(join(import.meta.dirname, '..', '..', 'dist', 'versioning', 'index.js'))) as Versioning;

const DATA = join(import.meta.dirname, '..', '..', 'test', 'data', 'version-ordering');

/** Every distinct version in a suite file. */
function versionsIn(file: string): string[] {
  const set = new Set<string>();
  for (const line of readFileSync(join(DATA, file), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#') || line.startsWith('//')) continue;
    const [a, , b] = line.split(' ');
    if (a !== undefined) set.add(a);
    if (b !== undefined) set.add(b);
  }
  return [...set];
}

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

const rnd = random(42);
const POOLS = {
  npm: [
    ...new Set(
      Array.from({ length: 10_000 }, () => {
        const v = `${rnd(20)}.${rnd(30)}.${rnd(50)}`;
        return rnd(5) === 0 ? `${v}-${['alpha', 'beta', 'rc'][rnd(3)]}.${rnd(10)}` : v;
      }),
    ),
  ],
  pypi: versionsIn('pypi-versions-generated.txt'),
};

function measure(id: keyof typeof POOLS, compares: number): { parsePerSec: number; comparePerSec: number } {
  const scheme = cachedSchemes[id];
  const pool = POOLS[id];
  scheme.clearCache();
  let t0 = performance.now();
  for (const v of pool) scheme.isValid(v);
  const parseMs = performance.now() - t0;
  const pairs = Array.from({ length: 4096 }, () => [pool[rnd(pool.length)], pool[rnd(pool.length)]] as [string, string]);
  let sink = 0;
  for (let i = 0; i < Math.min(compares, 200_000); i++) {
    const [a, b] = pairs[i & 4095] as [string, string];
    sink += scheme.compare(a, b);
  }
  t0 = performance.now();
  for (let i = 0; i < compares; i++) {
    const [a, b] = pairs[i & 4095] as [string, string];
    sink += scheme.compare(a, b);
  }
  const compareMs = performance.now() - t0;
  if (!Number.isFinite(sink)) throw new Error('unreachable');
  return { parsePerSec: (pool.length / parseMs) * 1000, comparePerSec: (compares / compareMs) * 1000 };
}


console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.versions.node}`);
for (const id of ['npm', 'pypi'] as const) {
  const { parsePerSec, comparePerSec } = measure(id, 5_000_000);
  console.log(
    `${id}: ${(comparePerSec / 1e6).toFixed(2)} M compares/s (warm cache), ${(parsePerSec / 1e6).toFixed(2)} M parses/s (${POOLS[id].length} distinct versions)`,
  );
}
