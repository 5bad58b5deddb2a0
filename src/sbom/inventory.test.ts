import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Component } from '../probes/versions/model.js';
import { buildInventory, groupAndName, isoSeconds, purlHasVersion } from './inventory.js';

const lib = (over: Partial<Component>): Component => ({ kind: 'library', name: 'a', version: '1.0.0', ecosystem: 'npm', direct: false, dev: false, source: { path: 'package-lock.json' }, ...over });

describe('buildInventory', () => {
  it('folds a manifest declaration into the locked package it pins, in the same folder only', () => {
    const lockedNew = lib({ name: 'ms', version: '2.1.3', purl: 'pkg:npm/ms@2.1.3', direct: true, source: { path: 'package-lock.json', line: 10 } });
    const lockedOld = lib({ name: 'ms', version: '2.0.0', purl: 'pkg:npm/ms@2.0.0', direct: true, source: { path: 'package-lock.json', line: 20 } });
    const alias = lib({ name: 'ms', version: null, constraint: '2.0.0', purl: 'pkg:npm/ms', direct: true, source: { path: 'package.json', line: 5 } });
    const caret = lib({ name: 'ms', version: null, constraint: '^2.1.0', purl: 'pkg:npm/ms', direct: true, dev: true, source: { path: 'package.json', line: 6 } });
    const elsewhere = lib({ name: 'ms', version: null, constraint: '^2', purl: 'pkg:npm/ms', direct: true, source: { path: 'other/package.json', line: 1 } });
    const { packages, packageOf } = buildInventory([alias, caret, elsewhere, lockedNew, lockedOld]);
    expect(packageOf.get(alias)).toBe(packageOf.get(lockedOld));
    expect(packageOf.get(caret)).toBe(packageOf.get(lockedNew)); // no exact pin: the first direct one
    expect(packageOf.get(caret)?.dev).toBe(false); // folded: dev only if everything is
    expect(packageOf.get(lockedOld)).toMatchObject({ constraints: ['2.0.0'], sources: [{ path: 'package-lock.json', line: 20 }, { path: 'package.json', line: 5 }], purl: 'pkg:npm/ms@2.0.0' });
    expect(packageOf.get(elsewhere)?.key).toBe('prodeng:library/npm/ms@~^2'); // no lockfile beside it
    expect(packages.map((p) => p.key)).toEqual(['pkg:npm/ms@2.0.0', 'pkg:npm/ms@2.1.3', 'prodeng:library/npm/ms@~^2']);
  });

  it('a framework among libraries of the same package makes it a framework', () => {
    const { packages } = buildInventory([lib({ purl: 'pkg:npm/a@1.0.0' }), lib({ kind: 'framework', purl: 'pkg:npm/a@1.0.0', product: 'angular', cycle: '1' })]);
    expect(packages).toHaveLength(1);
    expect(packages[0]).toMatchObject({ kind: 'framework', product: 'angular', cycle: '1' });
  });

  it('keeps every lockfile edge between distinct packages, and invents none', () => {
    const id = fc.constantFrom('a', 'b', 'c', 'd');
    const comp = fc.record({ name: fc.constantFrom('x', 'y', 'z'), version: fc.constantFrom('1', '2'), path: fc.constantFrom('p/package-lock.json', 'q/package-lock.json'), id: fc.option(id, { nil: undefined }), dependsOn: fc.array(id, { maxLength: 3 }) }).map(
      (r): Component => {
        const c = lib({ name: r.name, version: r.version, purl: `pkg:npm/${r.name}@${r.version}`, source: { path: r.path } });
        if (r.id !== undefined) {
          c.id = r.id;
          c.dependsOn = r.dependsOn;
        }
        return c;
      },
    );
    fc.assert(
      fc.property(fc.array(comp, { maxLength: 15 }), (components) => {
        const { packages, packageOf } = buildInventory(components);
        const expected = new Map<string, Set<string>>();
        for (const c of components) {
          for (const d of c.dependsOn ?? []) {
            const target = components.find((t) => t.source.path === c.source.path && t.id === d);
            const from = packageOf.get(c);
            const to = target !== undefined ? packageOf.get(target) : undefined;
            if (from === undefined || to === undefined || from === to) continue;
            const set = expected.get(from.key) ?? new Set<string>();
            set.add(to.key);
            expected.set(from.key, set);
          }
        }
        for (const p of packages) {
          expect(new Set(p.dependsOn.map((x) => x.key))).toEqual(expected.get(p.key) ?? new Set());
          expect(p.graph).toBe(components.some((c) => packageOf.get(c) === p && c.id !== undefined));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('helpers', () => {
  it('purlHasVersion looks at the name segment only, before qualifiers and subpath', () => {
    expect(purlHasVersion('pkg:npm/%40types/ms@0.7.34')).toBe(true);
    expect(purlHasVersion('pkg:npm/debug')).toBe(false);
    expect(purlHasVersion('pkg:docker/library/node@20?repository_url=r.io/x@y')).toBe(true);
    expect(purlHasVersion('pkg:docker/library/node?repository_url=r.io/x@y')).toBe(false);
    expect(purlHasVersion('pkg:golang/github.com/a/b#sub@dir')).toBe(false);
  });

  it('groupAndName splits npm scopes, Maven group ids and Composer vendors only', () => {
    expect(groupAndName({ ecosystem: 'npm', name: '@types/node' })).toEqual({ group: '@types', name: 'node' });
    expect(groupAndName({ ecosystem: 'npm', name: 'lodash' })).toBeNull();
    expect(groupAndName({ ecosystem: 'npm', name: '@/x' })).toBeNull();
    expect(groupAndName({ ecosystem: 'maven', name: 'org.slf4j:slf4j-api' })).toEqual({ group: 'org.slf4j', name: 'slf4j-api' });
    expect(groupAndName({ ecosystem: 'packagist', name: 'symfony/console' })).toEqual({ group: 'symfony', name: 'console' });
    expect(groupAndName({ ecosystem: 'go', name: 'github.com/a/b' })).toBeNull();
    expect(groupAndName({ ecosystem: null, name: '@x/y' })).toBeNull();
  });

  it('isoSeconds drops fractional seconds', () => {
    expect(isoSeconds(new Date('2024-02-29T23:59:59.999Z'))).toBe('2024-02-29T23:59:59Z');
  });
});
