import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packageLockExtractor } from './extractors/package-lock.js';
import { bigPackageLock, bigPnpmLock, N } from './extractors/test-support/big-lockfiles.js';
import { pnpmLockExtractor } from './extractors/pnpm-lock.js';
import { dependencyPaths } from './graph.js';
import type { Component } from './model.js';

/** A library in file `path` with id = name; `deps` are the names it depends on. */
function lib(name: string, deps: string[], direct = false, path = 'package-lock.json'): Component {
  return { kind: 'library', name, version: '1.0.0', ecosystem: 'npm', direct, dev: false, source: { path }, id: name, dependsOn: deps };
}

/** The paths by component name (names are unique in these tests). */
function byName(components: Component[]): Record<string, string[][]> {
  const out: Record<string, string[][]> = {};
  for (const [c, paths] of dependencyPaths(components)) out[c.name] = paths;
  return out;
}

describe('dependencyPaths', () => {
  it('a chain: every transitive package gets its path from the direct one; direct ones get none', () => {
    const paths = byName([lib('express', ['body-parser'], true), lib('body-parser', ['qs']), lib('qs', [])]);
    expect(paths).toEqual({ 'body-parser': [['express', 'body-parser']], qs: [['express', 'body-parser', 'qs']] });
  });

  it('a diamond: both shortest paths, in the order of the graph', () => {
    const paths = byName([lib('app-a', ['left', 'right'], true), lib('left', ['bottom']), lib('right', ['bottom']), lib('bottom', [])]);
    expect(paths['bottom']).toEqual([
      ['app-a', 'left', 'bottom'],
      ['app-a', 'right', 'bottom'],
    ]);
  });

  it('only the shortest length counts, from whichever direct dependency is nearer', () => {
    const paths = byName([lib('a', ['b'], true), lib('b', ['c']), lib('c', ['d']), lib('d', []), lib('x', ['d'], true)]);
    expect(paths['d']).toEqual([['x', 'd']]);
    expect(paths['c']).toEqual([['a', 'b', 'c']]);
  });

  it('at most three paths, and at most the given number', () => {
    const mids = ['m1', 'm2', 'm3', 'm4', 'm5'];
    const components = [lib('top', mids, true), ...mids.map((m) => lib(m, ['leaf'])), lib('leaf', [])];
    expect(byName(components)['leaf']).toEqual([
      ['top', 'm1', 'leaf'],
      ['top', 'm2', 'leaf'],
      ['top', 'm3', 'leaf'],
    ]);
    const one = dependencyPaths(components, { maxPaths: 1 });
    expect([...one.values()].every((p) => p.length === 1)).toBe(true);
  });

  it('cycles are safe, also through a direct dependency', () => {
    const paths = byName([lib('a', ['b'], true), lib('b', ['c']), lib('c', ['a', 'b', 'c'])]);
    expect(paths).toEqual({ b: [['a', 'b']], c: [['a', 'b', 'c']] });
  });

  it('graphs are per file; unknown ids, unreachable packages and components without a graph are left out', () => {
    const components: Component[] = [
      lib('a', ['b', 'nowhere'], true, 'web/package-lock.json'),
      lib('b', [], false, 'web/package-lock.json'),
      lib('c', [], false, 'web/package-lock.json'), // nothing reaches it
      lib('b', ['d'], true, 'api/package-lock.json'), // same id in another file
      lib('d', [], false, 'api/package-lock.json'),
      { kind: 'runtime', name: 'node', version: null, constraint: '20', ecosystem: null, direct: true, dev: false, source: { path: '.nvmrc' } },
    ];
    const result = dependencyPaths(components);
    expect([...result].map(([c, p]) => `${c.source.path} ${c.name} ${JSON.stringify(p)}`)).toEqual([
      'web/package-lock.json b [["a","b"]]',
      'api/package-lock.json d [["b","d"]]',
    ]);
  });

  it('paths that read the same are kept once (two copies of a name on the way)', () => {
    const components: Component[] = [
      { ...lib('a', ['n1', 'n2'], true) },
      { ...lib('n', ['leaf']), id: 'n1' },
      { ...lib('n', ['leaf']), id: 'n2', version: '2.0.0' },
      lib('leaf', []),
    ];
    expect(byName(components)['leaf']).toEqual([['a', 'n', 'leaf']]);
  });

  it('on random graphs: every path is a real shortest chain of edges from a direct component', () => {
    const graph = fc.record({
      n: fc.integer({ min: 1, max: 25 }),
      edges: fc.array(fc.tuple(fc.nat({ max: 24 }), fc.nat({ max: 24 })), { maxLength: 80 }),
      direct: fc.array(fc.nat({ max: 24 }), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(graph, ({ n, edges, direct }) => {
        const names = Array.from({ length: n }, (_, k) => `p${k}`);
        const deps = names.map(() => [] as string[]);
        for (const [a, b] of edges) if (a < n && b < n) deps[a]?.push(`p${b}`);
        const components = names.map((name, k) => lib(name, deps[k] ?? [], direct.includes(k)));
        // reference distances by a plain BFS
        const dist = new Map<string, number>();
        const queue = components.filter((c) => c.direct).map((c) => c.name);
        for (const q of queue) dist.set(q, 0);
        for (let h = 0; h < queue.length; h++) {
          const u = queue[h] as string;
          for (const v of deps[Number(u.slice(1))] ?? []) {
            if (!dist.has(v)) {
              dist.set(v, (dist.get(u) ?? 0) + 1);
              queue.push(v);
            }
          }
        }
        const result = dependencyPaths(components);
        for (const c of components) {
          const d = dist.get(c.name);
          const paths = result.get(c);
          if (d === undefined || d === 0) {
            expect(paths).toBeUndefined();
            continue;
          }
          expect(paths?.length).toBeGreaterThanOrEqual(1);
          expect(paths?.length).toBeLessThanOrEqual(3);
          expect(new Set(paths?.map((p) => p.join('>'))).size).toBe(paths?.length);
          for (const p of paths ?? []) {
            expect(p).toHaveLength(d + 1);
            expect(components.find((x) => x.name === p[0])?.direct).toBe(true);
            expect(p.at(-1)).toBe(c.name);
            for (let k = 0; k + 1 < p.length; k++) expect(deps[Number((p[k] as string).slice(1))]).toContain(p[k + 1]);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('5,000-package lockfiles: every reachable package gets 1 to 3 shortest paths', () => {
    for (const [extractor, path, text] of [
      [packageLockExtractor, 'package-lock.json', bigPackageLock()],
      [pnpmLockExtractor, 'pnpm-lock.yaml', bigPnpmLock()],
    ] as const) {
      const { components } = extractor.extract({ path, text });
      expect(components).toHaveLength(N);
      const result = dependencyPaths(components);
      expect(result.size).toBeGreaterThan(N / 2);
      for (const [c, paths] of result) {
        expect(c.direct).toBe(false);
        expect(paths.length).toBeGreaterThanOrEqual(1);
        expect(paths.length).toBeLessThanOrEqual(3);
        expect(paths.every((p) => p.at(-1) === c.name && p.length === (paths[0]?.length ?? 0))).toBe(true);
      }
    }
  });

  it('a dense 5,000-package graph (every package depends on the next 20): bounded paths, no blow-up', () => {
    const n = 5000;
    const components = Array.from({ length: n }, (_, k) =>
      lib(
        `p${k}`,
        Array.from({ length: 20 }, (_, j) => `p${(k + 1 + j) % n}`),
        k < 3,
      ),
    );
    const result = dependencyPaths(components);
    expect(result.size).toBe(n - 3);
    const longest = Math.max(...[...result.values()].map((p) => p[0]?.length ?? 0));
    expect(longest).toBe(Math.ceil((n - 3) / 20) + 1);
    expect([...result.values()].every((p) => p.length >= 1 && p.length <= 3)).toBe(true);
  });
});
