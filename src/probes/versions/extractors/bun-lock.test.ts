import { describe, expect, it } from 'vitest';
import { bunLockExtractor } from './bun-lock.js';
import { briefs, edges, extractFixture, only } from './test-support/library.js';

describe('bun.lock', () => {
  it('wants bun.lock, not the binary bun.lockb', () => {
    expect(bunLockExtractor.fileRequired('bun.lock')).toBe(true);
    expect(bunLockExtractor.fileRequired('bun.lockb')).toBe(false);
  });

  it('reads packages with trailing commas; nested copies, aliases, git; direct and dev', () => {
    const r = extractFixture(bunLockExtractor, 'bun/bun.lock.fixture', 'bun.lock');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual([
      'ansi-styles@4.3.0 dev :31',
      'chalk@4.1.2 direct dev :33',
      'color-convert@2.0.1 dev :35',
      'color-name@1.1.4 dev :37',
      'debug@4.3.4 direct :39',
      'has-flag@4.0.0 dev :41',
      'is-number@7.0.0 direct dev :43',
      'is-odd@3.0.1 direct :45', // declared by the workspace packages/util
      'left-pad@1.3.0 direct :47',
      'ms@2.1.3 direct :49',
      'ms@2.0.0 direct :51', // "my-ms": ["ms@2.0.0", …]
      'supports-color@7.2.0 dev :53',
      'tslib@- (github:microsoft/tslib#0f4d5a0) direct :55',
      'ms@2.1.2 :57', // "debug/ms"
      'is-number@6.0.0 :59', // "is-odd/is-number"
    ]);
    expect(only(r, 'tslib').purl).toBeUndefined();
    expect(only(r, 'chalk').purl).toBe('pkg:npm/chalk@4.1.2');
  });

  it('accepts comments', () => {
    const text = '{\n  // generated\n  "lockfileVersion": 1,\n  /* block */ "workspaces": { "": { "dependencies": { "a": "^1" } } },\n  "packages": {\n    "a": ["a@1.2.3", "", {}, "sha512-x"],\n  },\n}\n';
    const r = bunLockExtractor.extract({ path: 'bun.lock', text });
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual(['a@1.2.3 direct :6']);
  });

  it('dependency graph: install paths as ids, nested copies first, then the top level', () => {
    const r = extractFixture(bunLockExtractor, 'bun/bun.lock.fixture', 'bun.lock');
    expect(only(r, 'debug')).toMatchObject({ id: 'debug', dependsOn: ['debug/ms'] });
    expect(only(r, 'ms', '2.0.0').id).toBe('my-ms');
    expect(edges(r)).toEqual([
      'ansi-styles@4.3.0 > color-convert@2.0.1',
      'chalk@4.1.2 > ansi-styles@4.3.0',
      'chalk@4.1.2 > supports-color@7.2.0',
      'color-convert@2.0.1 > color-name@1.1.4',
      'debug@4.3.4 > ms@2.1.2',
      'is-odd@3.0.1 > is-number@6.0.0',
      'supports-color@7.2.0 > has-flag@4.0.0',
    ]);
  });

  it('dependency graph: optional and peer dependencies, scoped nested paths, workspace targets dropped', () => {
    const text = JSON.stringify({
      lockfileVersion: 1,
      workspaces: { '': { dependencies: { '@s/a': '1' } } },
      packages: {
        '@s/a': ['@s/a@1.0.0', '', { dependencies: { b: '1', w: '*' }, optionalDependencies: { c: '1' }, peerDependencies: { '@s/a': '1' } }, 'sha512-a'],
        '@s/a/b': ['b@1.1.0', '', { dependencies: { c: '1' } }, 'sha512-b'],
        b: ['b@1.0.0', '', {}, 'sha512-b0'],
        c: ['c@1.0.0', '', {}, 'sha512-c'],
        w: ['w@workspace:packages/w'],
      },
    });
    const r = bunLockExtractor.extract({ path: 'bun.lock', text });
    expect(r.errors).toEqual([]);
    expect(edges(r)).toEqual(['@s/a@1.0.0 > b@1.1.0', '@s/a@1.0.0 > c@1.0.0', 'b@1.1.0 > c@1.0.0']); // a peer on itself is no edge
  });
});
