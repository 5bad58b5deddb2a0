import { describe, expect, it } from 'vitest';
import { uvLockExtractor } from './uv-lock.js';
import { briefs, edges, extractFixture, only } from './test-support/library.js';

describe('uv.lock', () => {
  it('direct from the project package, dev by reachability from dependency groups, extras followed', () => {
    const r = extractFixture(uvLockExtractor, 'python/uv.lock.fixture', 'uv.lock');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual([
      'certifi@2024.8.30 :5',
      'colorama@0.4.6 dev :14',
      'idna@3.10 :20',
      'iniconfig@2.0.0 dev :26',
      'internal-lib@0.3.0 direct :32',
      'packaging@24.1 dev :37',
      'pluggy@1.5.0 dev :43',
      'pysocks@1.7.1 :72', // requests[socks]
      'pytest@8.3.3 direct dev :78',
      'requests@2.32.3 direct :90',
      'urllib3@2.2.3 :106',
    ]);
    expect(only(r, 'internal-lib').purl).toBeUndefined();
  });

  it('workspace members from [manifest] are not components; versions disambiguate duplicates', () => {
    const text = [
      'version = 1',
      '[manifest]',
      'members = ["app", "lib"]',
      '[[package]]',
      'name = "app"',
      'version = "0.1.0"',
      'source = { virtual = "." }',
      'dependencies = [{ name = "lib" }, { name = "numpy", version = "2.1.0", source = { registry = "https://pypi.org/simple" } }]',
      '[[package]]',
      'name = "lib"',
      'version = "0.1.0"',
      'source = { editable = "packages/lib" }',
      'dependencies = [{ name = "numpy", version = "1.26.4", source = { registry = "https://pypi.org/simple" } }]',
      '[[package]]',
      'name = "numpy"',
      'version = "1.26.4"',
      'source = { registry = "https://pypi.org/simple" }',
      '[[package]]',
      'name = "numpy"',
      'version = "2.1.0"',
      'source = { registry = "https://pypi.org/simple" }',
      '',
    ].join('\n');
    const r = uvLockExtractor.extract({ path: 'uv.lock', text });
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual(['numpy@1.26.4 direct :14', 'numpy@2.1.0 direct :18']);
  });

  it('dependency graph: dependencies, and optional dependencies of the extras asked; members give no component', () => {
    const r = extractFixture(uvLockExtractor, 'python/uv.lock.fixture', 'uv.lock');
    expect(only(r, 'requests')).toMatchObject({ id: 'requests@2.32.3', dependsOn: ['certifi@2024.8.30', 'idna@3.10', 'urllib3@2.2.3', 'pysocks@1.7.1'] });
    expect(edges(r)).toEqual([
      'pytest@8.3.3 > colorama@0.4.6',
      'pytest@8.3.3 > iniconfig@2.0.0',
      'pytest@8.3.3 > packaging@24.1',
      'pytest@8.3.3 > pluggy@1.5.0',
      'requests@2.32.3 > certifi@2024.8.30',
      'requests@2.32.3 > idna@3.10',
      'requests@2.32.3 > urllib3@2.2.3',
      'requests@2.32.3 > pysocks@1.7.1', // the project asks requests[socks]
    ]);
  });
});
