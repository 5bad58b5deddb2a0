import { describe, expect, it } from 'vitest';
import type { Component } from '../probes/versions/model.js';
import { ROOT_REF, toCycloneDx, type CycloneDxBom, type CycloneDxComponent } from './cyclonedx.js';
import { extractFiles } from './test-support/repository.js';
import { validateCycloneDx } from './test-support/validators.js';

const NOW = new Date('2024-05-01T12:34:56.789Z');
const SERIAL = 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79';
const OPTIONS = { name: 'shop', version: '2.4.0', now: NOW, toolVersion: '0.1.0', serialNumber: SERIAL };

function find(bom: CycloneDxBom, ref: string): CycloneDxComponent {
  const found = bom.components.filter((c) => c['bom-ref'] === ref);
  expect(found, ref).toHaveLength(1);
  return found[0] as CycloneDxComponent;
}

function prop(c: CycloneDxComponent, name: string): string[] {
  return (c.properties ?? []).filter((p) => p.name === name).map((p) => p.value);
}

function dependsOn(bom: CycloneDxBom, ref: string): string[] | undefined {
  return bom.dependencies.find((d) => d.ref === ref)?.dependsOn;
}

describe('toCycloneDx on a multi-ecosystem repository', () => {
  const components = extractFiles();
  const bom = toCycloneDx(components, OPTIONS);

  it('is valid CycloneDX 1.6 (the official schema)', () => {
    expect(validateCycloneDx(bom)).toEqual([]);
    expect(validateCycloneDx(JSON.parse(JSON.stringify(bom)))).toEqual([]);
  });

  it('has the header, the tool and the root component', () => {
    expect(bom).toMatchObject({
      $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      serialNumber: SERIAL,
      version: 1,
      metadata: {
        timestamp: '2024-05-01T12:34:56Z',
        lifecycles: [{ phase: 'pre-build' }],
        tools: { components: [{ type: 'application', name: 'prodeng', version: '0.1.0' }] },
        component: { type: 'application', 'bom-ref': ROOT_REF, name: 'shop', version: '2.4.0' },
      },
    });
  });

  it('a random urn:uuid serial number by default', () => {
    const { serialNumber, ...rest } = toCycloneDx(components, { name: 'shop', now: NOW, toolVersion: '0.1.0' });
    expect(serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rest.components).toEqual(bom.components);
    expect(toCycloneDx(components, { name: 'shop', now: NOW, toolVersion: '0.1.0' }).serialNumber).not.toBe(serialNumber);
  });

  it('npm: scope as group, purl as bom-ref, dev as optional scope, declared in two lockfiles and package.json', () => {
    expect(find(bom, 'pkg:npm/%40types/ms@0.7.34')).toMatchObject({ type: 'library', group: '@types', name: 'ms', version: '0.7.34', scope: 'optional', purl: 'pkg:npm/%40types/ms@0.7.34' });
    const debug = find(bom, 'pkg:npm/debug@4.3.4');
    expect(debug).toMatchObject({ type: 'library', name: 'debug', version: '4.3.4', scope: 'required' });
    expect(debug.group).toBeUndefined();
    expect(prop(debug, 'prodeng:source')).toEqual(['package-lock.json:36', 'apps/web/package-lock.json:36', 'package.json:7']);
    expect(prop(debug, 'prodeng:constraint')).toEqual(['4.3.4']); // from package.json
    expect(prop(debug, 'prodeng:direct')).toEqual(['true']);
    expect(prop(debug, 'prodeng:ecosystem')).toEqual(['npm']);
    // the alias my-ms: npm:ms@2.0.0 folds into the locked ms@2.0.0, not into ms@2.1.3
    expect(prop(find(bom, 'pkg:npm/ms@2.0.0'), 'prodeng:source')).toContain('package.json:9');
    expect(prop(find(bom, 'pkg:npm/ms@2.1.3'), 'prodeng:source')).toContain('package.json:8');
    // one component per distinct package
    const refs = bom.components.map((c) => c['bom-ref']);
    expect(new Set(refs).size).toBe(refs.length);
    expect(refs.filter((r) => r.startsWith('pkg:npm/'))).toEqual([
      'pkg:npm/%40types/ms@0.7.34',
      'pkg:npm/debug@4.3.4',
      'pkg:npm/is-number@6.0.0',
      'pkg:npm/is-number@7.0.0',
      'pkg:npm/is-odd@3.0.1',
      'pkg:npm/left-pad@1.3.0',
      'pkg:npm/ms@2.0.0',
      'pkg:npm/ms@2.1.2',
      'pkg:npm/ms@2.1.3',
    ]);
  });

  it('the dependency graph: root on the direct packages, lockfile edges between packages, unknown graphs left out', () => {
    const root = dependsOn(bom, ROOT_REF) ?? [];
    expect(root).toContain('pkg:npm/debug@4.3.4');
    expect(root).toContain('pkg:pypi/django@4.2.7');
    expect(root).toContain('pkg:golang/github.com/gin-gonic/gin@v1.9.1');
    expect(root).not.toContain('pkg:npm/ms@2.1.2'); // transitive
    expect(root).not.toContain('pkg:golang/golang.org/x/net@v0.19.0'); // go.mod: // indirect
    expect(dependsOn(bom, 'pkg:npm/debug@4.3.4')).toEqual(['pkg:npm/ms@2.1.2']);
    expect(dependsOn(bom, 'pkg:npm/is-odd@3.0.1')).toEqual(['pkg:npm/is-number@6.0.0']);
    expect(dependsOn(bom, 'pkg:npm/ms@2.1.2')).toEqual([]); // known to have none
    expect(dependsOn(bom, 'pkg:pypi/django@4.2.7')).toEqual(['pkg:pypi/asgiref@3.7.2', 'pkg:pypi/sqlparse@0.4.4']);
    expect(dependsOn(bom, 'pkg:golang/github.com/gin-gonic/gin@v1.9.1')).toBeUndefined(); // go.mod has no graph
    // every ref exists
    const known = new Set([ROOT_REF, ...bom.components.map((c) => c['bom-ref'])]);
    for (const d of bom.dependencies) for (const r of [d.ref, ...d.dependsOn]) expect(known.has(r), r).toBe(true);
  });

  it('Maven group ids, PyPI and Go names, a git package without purl', () => {
    expect(find(bom, 'pkg:maven/com.google.guava/guava@32.1.3-jre')).toMatchObject({ group: 'com.google.guava', name: 'guava', version: '32.1.3-jre' });
    const starter = bom.components.find((c) => c.name === 'spring-boot-starter-web');
    expect(starter).toMatchObject({ group: 'org.springframework.boot', purl: 'pkg:maven/org.springframework.boot/spring-boot-starter-web' });
    expect(starter?.version).toBeUndefined(); // managed by the parent POM: unknown
    expect(starter?.['bom-ref']).toBe('prodeng:library/maven/org.springframework.boot:spring-boot-starter-web@');
    expect(find(bom, 'pkg:pypi/pytest@7.4.3')).toMatchObject({ name: 'pytest', scope: 'optional' });
    expect(find(bom, 'pkg:golang/github.com/gin-gonic/gin@v1.9.1')).toMatchObject({ name: 'github.com/gin-gonic/gin', version: 'v1.9.1' });
    const git = bom.components.find((c) => c.name === 'internal-lib');
    expect(git).toMatchObject({ type: 'library', version: '0.3.0', 'bom-ref': 'prodeng:library/pypi/internal-lib@0.3.0' });
    expect(git?.purl).toBeUndefined();
  });

  it('runtimes are platforms, OS from images operating systems, middleware applications', () => {
    const node = find(bom, 'pkg:docker/library/node@20.11.1-bookworm-slim');
    expect(node).toMatchObject({ type: 'platform', name: 'node', version: '20.11.1' });
    expect(prop(node, 'prodeng:product')).toEqual(['nodejs']);
    expect(prop(node, 'prodeng:cycle')).toEqual(['20']);
    expect(prop(node, 'prodeng:kind')).toEqual(['runtime']);
    const debian = bom.components.find((c) => c.name === 'debian');
    expect(debian).toMatchObject({ type: 'operating-system', 'bom-ref': 'prodeng:os/-/debian@~bookworm' });
    expect(debian?.version).toBeUndefined();
    expect(prop(debian as CycloneDxComponent, 'prodeng:constraint')).toEqual(['bookworm']);
    expect(find(bom, 'pkg:docker/library/nginx@1.25-alpine3.18')).toMatchObject({ type: 'application' });
    const nvmrc = bom.components.find((c) => c['bom-ref'] === 'prodeng:runtime/-/node@~20');
    expect(nvmrc).toMatchObject({ type: 'platform', name: 'node' });
    expect(bom.components.find((c) => c.name === 'go' && c.version === '1.22.3')).toMatchObject({ type: 'platform' });
  });

  it('facts from the caller become properties', () => {
    const withFacts = toCycloneDx(components, { ...OPTIONS, facts: (c) => (c.product === 'nodejs' ? { endOfLife: '2026-04-30', eolStatus: 'supported', latest: '20.19.0' } : undefined) });
    const node = find(withFacts, 'pkg:docker/library/node@20.11.1-bookworm-slim');
    expect(prop(node, 'prodeng:endOfLife')).toEqual(['2026-04-30']);
    expect(prop(node, 'prodeng:eolStatus')).toEqual(['supported']);
    expect(prop(node, 'prodeng:latest')).toEqual(['20.19.0']);
    expect(validateCycloneDx(withFacts)).toEqual([]);
  });

  it('is stable: the same input gives the same document', () => {
    expect(toCycloneDx(extractFiles(), OPTIONS)).toEqual(bom);
  });
});

describe('toCycloneDx edge cases', () => {
  const lib = (over: Partial<Component>): Component => ({ kind: 'library', name: 'a', version: '1.0.0', ecosystem: 'npm', direct: true, dev: false, source: { path: 'package-lock.json' }, ...over });

  it('no components: the root alone, valid', () => {
    const bom = toCycloneDx([], OPTIONS);
    expect(bom.components).toEqual([]);
    expect(bom.dependencies).toEqual([{ ref: ROOT_REF, dependsOn: [] }]);
    expect(validateCycloneDx(bom)).toEqual([]);
  });

  it('dev in one file and not in another is required; direct anywhere is direct', () => {
    const bom = toCycloneDx([lib({ dev: true, direct: false }), lib({ source: { path: 'b/package-lock.json', line: 3 } })], OPTIONS);
    expect(bom.components).toHaveLength(1);
    expect(bom.components[0]).toMatchObject({ scope: 'required', 'bom-ref': 'prodeng:library/npm/a@1.0.0' }); // no purl: a derived ref
    expect(bom.components[0]?.properties).toContainEqual({ name: 'prodeng:source', value: 'b/package-lock.json:3' });
  });

  it('the graph merges across files; a dependency on itself after merging is dropped', () => {
    const bom = toCycloneDx(
      [
        lib({ purl: 'pkg:npm/a@1.0.0', id: 'x', dependsOn: ['y'] }),
        lib({ name: 'b', purl: 'pkg:npm/b@1.0.0', direct: false, id: 'y', dependsOn: [] }),
        lib({ purl: 'pkg:npm/a@1.0.0', source: { path: 'w/package-lock.json' }, id: 'x', dependsOn: ['z', 'x2'] }),
        lib({ name: 'c', purl: 'pkg:npm/c@1.0.0', direct: false, source: { path: 'w/package-lock.json' }, id: 'z', dependsOn: [] }),
        lib({ purl: 'pkg:npm/a@1.0.0', direct: false, source: { path: 'w/package-lock.json' }, id: 'x2', dependsOn: [] }),
      ],
      OPTIONS,
    );
    expect(bom.dependencies).toEqual([
      { ref: ROOT_REF, dependsOn: ['pkg:npm/a@1.0.0'] },
      { ref: 'pkg:npm/a@1.0.0', dependsOn: ['pkg:npm/b@1.0.0', 'pkg:npm/c@1.0.0'] },
      { ref: 'pkg:npm/b@1.0.0', dependsOn: [] },
      { ref: 'pkg:npm/c@1.0.0', dependsOn: [] },
    ]);
  });

  it('version-less declarations with different constraints stay apart and keep unique refs', () => {
    const bom = toCycloneDx(
      [lib({ version: null, constraint: '^4', purl: 'pkg:npm/debug', name: 'debug', source: { path: 'a/package.json' } }), lib({ version: null, constraint: '^3', purl: 'pkg:npm/debug', name: 'debug', source: { path: 'b/package.json' } })],
      OPTIONS,
    );
    expect(bom.components.map((c) => [c['bom-ref'], c.purl])).toEqual([
      ['prodeng:library/npm/debug@~^3', 'pkg:npm/debug'],
      ['prodeng:library/npm/debug@~^4', 'pkg:npm/debug'],
    ]);
    expect(validateCycloneDx(bom)).toEqual([]);
  });
});
