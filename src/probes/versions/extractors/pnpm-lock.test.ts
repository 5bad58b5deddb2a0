import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseLockYaml } from './library-yaml.js';
import { pnpmLockExtractor } from './pnpm-lock.js';
import { briefs, edges, extractFixture, fixture, only } from './test-support/library.js';

describe('pnpm-lock.yaml', () => {
  it('wants pnpm-lock.yaml outside node_modules', () => {
    expect(pnpmLockExtractor.fileRequired('pnpm-lock.yaml')).toBe(true);
    expect(pnpmLockExtractor.fileRequired('node_modules/.pnpm/lock.yaml')).toBe(false);
    expect(pnpmLockExtractor.fileRequired('node_modules/x/pnpm-lock.yaml')).toBe(false);
  });

  it('v9: packages and snapshots, importers, peers, aliases, tarballs; dev by reachability', () => {
    const r = extractFixture(pnpmLockExtractor, 'pnpm-v9/pnpm-lock.yaml.fixture', 'pnpm-lock.yaml');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual([
      '@types/ms@0.7.34 direct dev :56',
      'ansi-styles@4.3.0 dev :59', // only under chalk, a devDependency
      'chalk@4.1.2 direct dev :63',
      'color-convert@2.0.1 dev :67',
      'color-name@1.1.4 dev :71',
      'debug@4.3.4 direct :74',
      'has-flag@4.0.0 dev :83',
      'is-number@6.0.0 :87',
      'is-number@7.0.0 direct dev :91',
      'is-odd@3.0.1 direct :95',
      'js-tokens@4.0.0 :99',
      'left-pad@1.3.0 direct :102',
      'loose-envify@1.4.0 :106',
      'ms@2.0.0 direct :110', // my-ms: npm:ms@2.0.0
      'ms@2.1.2 :113',
      'ms@2.1.3 direct :116',
      'react-dom@18.2.0 direct :119', // snapshot react-dom@18.2.0(react@18.2.0)
      'react@18.2.0 direct :124', // a devDependency of packages/util, but react-dom needs it: not dev
      'scheduler@0.23.0 :128',
      'supports-color@7.2.0 dev :131',
      'tslib@2.6.2 direct :135', // tarball: version from the entry, no purl
    ]);
    expect(only(r, 'tslib').purl).toBeUndefined();
    expect(only(r, 'react-dom').purl).toBe('pkg:npm/react-dom@18.2.0');
  });

  it('v6: /name@version keys, `dev` flags, link: and git dependencies', () => {
    const r = extractFixture(pnpmLockExtractor, 'pnpm-v6/pnpm-lock.yaml.fixture', 'pnpm-lock.yaml');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual([
      'debug@4.3.4 direct :40',
      'is-number@7.0.0 direct dev :52',
      'js-tokens@4.0.0 :57',
      'loose-envify@1.4.0 :60',
      'ms@2.0.0 direct :66',
      'ms@2.1.2 :70',
      'react-dom@18.2.0 direct :74',
      'react@18.2.0 direct :84', // no `dev` key: used by both
      'scheduler@0.23.0 :90',
      'tslib@2.6.2 direct :96',
    ]);
  });

  it('v5: /name/version_peer keys, a single project at the top level, block-style resolution', () => {
    const r = extractFixture(pnpmLockExtractor, 'pnpm-v5/pnpm-lock.yaml.fixture', 'pnpm-lock.yaml');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual([
      '@types/ms@0.7.34 direct dev :23',
      'debug@4.3.4 direct :27',
      'is-number@7.0.0 direct dev :39',
      'js-tokens@4.0.0 :44',
      'loose-envify@1.4.0 :49',
      'ms@2.0.0 direct :56',
      'ms@2.1.2 :60',
      'react-dom@18.2.0 direct :64',
      'react@18.2.0 direct :74',
      'scheduler@0.23.0 :81',
      'internal-lib@1.4.2 :87', // another registry: name and version from the entry
    ]);
  });

  it('the fast YAML reader agrees with the yaml library on every fixture', () => {
    for (const f of ['pnpm-v5/pnpm-lock.yaml.fixture', 'pnpm-v6/pnpm-lock.yaml.fixture', 'pnpm-v9/pnpm-lock.yaml.fixture', 'yarn-berry/yarn.lock.fixture', 'yarn-berry-v3/yarn.lock.fixture']) {
      const text = fixture(f);
      const fast = parseLockYaml(text);
      expect(fast.reader, f).toBe('fast');
      expect(fast.documents, f).toEqual([parse(text, { uniqueKeys: false })]);
    }
  });

  it('falls back to the yaml library outside the subset (anchors, block scalars) with the same result', () => {
    const text = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: ^1.0.0\n        version: &v 1.0.0\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-x}\n    deprecated: |\n      use b\nsnapshots:\n  a@1.0.0: {}\n";
    expect(parseLockYaml(text).reader).toBe('yaml');
    const r = pnpmLockExtractor.extract({ path: 'pnpm-lock.yaml', text });
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual(['a@1.0.0 direct :9']);
  });

  it('pnpm 10: an environment document before the lockfile', () => {
    const text = "---\nlockfileVersion: '9.0'\nimporters:\n  .:\n    configDependencies: {}\n---\nlockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: 1.0.0\n        version: 1.0.0\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-x}\nsnapshots:\n  a@1.0.0: {}\n";
    const r = pnpmLockExtractor.extract({ path: 'pnpm-lock.yaml', text });
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual(['a@1.0.0 direct :15']);
  });
});

describe('pnpm-lock.yaml dependency graph', () => {
  it('v9: from snapshots; peer variants by their package; aliases by the real package', () => {
    const r = extractFixture(pnpmLockExtractor, 'pnpm-v9/pnpm-lock.yaml.fixture', 'pnpm-lock.yaml');
    expect(only(r, 'react-dom')).toMatchObject({ id: 'react-dom@18.2.0', dependsOn: ['loose-envify@1.4.0', 'react@18.2.0', 'scheduler@0.23.0'] });
    expect(edges(r)).toEqual([
      'ansi-styles@4.3.0 > color-convert@2.0.1',
      'chalk@4.1.2 > ansi-styles@4.3.0',
      'chalk@4.1.2 > supports-color@7.2.0',
      'color-convert@2.0.1 > color-name@1.1.4',
      'debug@4.3.4 > ms@2.1.2',
      'is-odd@3.0.1 > is-number@6.0.0',
      'loose-envify@1.4.0 > js-tokens@4.0.0',
      'react-dom@18.2.0 > loose-envify@1.4.0',
      'react-dom@18.2.0 > react@18.2.0',
      'react-dom@18.2.0 > scheduler@0.23.0',
      'react@18.2.0 > loose-envify@1.4.0',
      'scheduler@0.23.0 > loose-envify@1.4.0',
      'supports-color@7.2.0 > has-flag@4.0.0',
    ]);
  });

  it('v6: from the packages entries, /name@version ids', () => {
    const r = extractFixture(pnpmLockExtractor, 'pnpm-v6/pnpm-lock.yaml.fixture', 'pnpm-lock.yaml');
    expect(only(r, 'debug')).toMatchObject({ id: '/debug@4.3.4', dependsOn: ['/ms@2.1.2'] });
    expect(edges(r)).toEqual([
      'debug@4.3.4 > ms@2.1.2',
      'loose-envify@1.4.0 > js-tokens@4.0.0',
      'react-dom@18.2.0 > loose-envify@1.4.0',
      'react-dom@18.2.0 > react@18.2.0',
      'react-dom@18.2.0 > scheduler@0.23.0',
      'react@18.2.0 > loose-envify@1.4.0',
      'scheduler@0.23.0 > loose-envify@1.4.0',
    ]);
  });

  it('v5: /name/version ids, peer suffixes stripped', () => {
    const r = extractFixture(pnpmLockExtractor, 'pnpm-v5/pnpm-lock.yaml.fixture', 'pnpm-lock.yaml');
    expect(only(r, 'react-dom')).toMatchObject({ id: '/react-dom/18.2.0', dependsOn: ['/loose-envify/1.4.0', '/react/18.2.0', '/scheduler/0.23.0'] });
    expect(edges(r)).toContain('debug@4.3.4 > ms@2.1.2');
  });

  it('v9: optional dependencies, two peer variants merged, cycles, links dropped', () => {
    const text = [
      "lockfileVersion: '9.0'",
      'importers:',
      '  .:',
      '    dependencies:',
      '      a:',
      '        specifier: ^1',
      '        version: 1.0.0(p@1.0.0)',
      'packages:',
      '  a@1.0.0:',
      '    resolution: {integrity: sha512-a}',
      '  b@2.0.0:',
      '    resolution: {integrity: sha512-b}',
      '  c@3.0.0:',
      '    resolution: {integrity: sha512-c}',
      '  p@1.0.0:',
      '    resolution: {integrity: sha512-p}',
      'snapshots:',
      '  a@1.0.0(p@1.0.0):',
      '    dependencies:',
      '      b: 2.0.0',
      '      local: link:../local',
      '  a@1.0.0(p@2.0.0):',
      '    optionalDependencies:',
      '      c: 3.0.0',
      '  b@2.0.0:',
      '    dependencies:',
      '      a: 1.0.0(p@1.0.0)',
      '  c@3.0.0: {}',
      '  p@1.0.0: {}',
      '',
    ].join('\n');
    const r = pnpmLockExtractor.extract({ path: 'pnpm-lock.yaml', text });
    expect(r.errors).toEqual([]);
    expect(edges(r)).toEqual(['a@1.0.0 > b@2.0.0', 'a@1.0.0 > c@3.0.0', 'b@2.0.0 > a@1.0.0']);
  });
});

describe('pnpm-lock.yaml with a byte order mark', () => {
  it('reads it with the fast reader and the same lines', () => {
    const text = `\uFEFF${fixture('pnpm-v6/pnpm-lock.yaml.fixture')}`;
    const r = pnpmLockExtractor.extract({ path: 'pnpm-lock.yaml', text });
    expect(r.errors).toEqual([]);
    expect(r.components[0]?.source.line).toBe(40);
  });
});
