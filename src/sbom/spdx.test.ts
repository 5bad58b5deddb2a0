import { describe, expect, it } from 'vitest';
import type { Component } from '../probes/versions/model.js';
import { ROOT_ID, slug, toSpdx, type SpdxDocument, type SpdxPackage } from './spdx.js';
import { extractFiles } from './test-support/repository.js';
import { SPDX_DATE, SPDX_ID, validateSpdx } from './test-support/validators.js';

const NOW = new Date('2024-05-01T12:34:56.789Z');
const NAMESPACE = 'https://example.com/spdx/shop-3e671687-395b-41f5-a30f-a58921a69b79';
const OPTIONS = { name: 'shop', now: NOW, toolVersion: '0.1.0', namespace: NAMESPACE };

function byPurl(doc: SpdxDocument, purl: string): SpdxPackage {
  const found = doc.packages.filter((p) => p.externalRefs?.some((r) => r.referenceLocator === purl));
  expect(found, purl).toHaveLength(1);
  return found[0] as SpdxPackage;
}

/** Relationships as `A TYPE B` with package names (or DOCUMENT / root) instead of ids. */
function relations(doc: SpdxDocument): string[] {
  const label = new Map<string, string>(doc.packages.map((p) => [p.SPDXID, p.SPDXID === ROOT_ID ? 'root' : `${p.name}@${p.versionInfo ?? '-'}`]));
  label.set('SPDXRef-DOCUMENT', 'DOCUMENT');
  return doc.relationships.map((r) => `${label.get(r.spdxElementId)} ${r.relationshipType} ${label.get(r.relatedSpdxElement)}`);
}

describe('toSpdx on a multi-ecosystem repository', () => {
  const components = extractFiles();
  const doc = toSpdx(components, OPTIONS);

  it('is valid SPDX 2.3 (the official schema), with ids and dates as the specification writes them', () => {
    expect(validateSpdx(doc)).toEqual([]);
    expect(validateSpdx(JSON.parse(JSON.stringify(doc)))).toEqual([]);
    for (const p of doc.packages) expect(p.SPDXID).toMatch(SPDX_ID);
    expect(doc.creationInfo.created).toMatch(SPDX_DATE);
  });

  it('has the document header and the root package it describes', () => {
    expect(doc).toMatchObject({
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'shop',
      documentNamespace: NAMESPACE,
      creationInfo: { created: '2024-05-01T12:34:56Z', creators: ['Tool: prodeng-0.1.0'] },
    });
    expect(doc.packages[0]).toMatchObject({ SPDXID: ROOT_ID, name: 'shop', primaryPackagePurpose: 'APPLICATION', downloadLocation: 'NOASSERTION', filesAnalyzed: false });
    expect(doc.relationships[0]).toEqual({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: ROOT_ID });
  });

  it('a unique https namespace by default', () => {
    const a = toSpdx(components, { name: 'my shop/ä', now: NOW, toolVersion: '0.1.0' });
    const b = toSpdx(components, { name: 'my shop/ä', now: NOW, toolVersion: '0.1.0' });
    expect(a.documentNamespace).toMatch(/^https:\/\/spdx\.org\/spdxdocs\/my-shop-[0-9a-f-]{36}$/);
    expect(a.documentNamespace).not.toBe(b.documentNamespace);
    expect(a.documentNamespace).not.toContain('#');
  });

  it('packages: purl references, NOASSERTION for what is not known, purpose by kind', () => {
    const types = byPurl(doc, 'pkg:npm/%40types/ms@0.7.34');
    expect(types).toEqual({
      SPDXID: 'SPDXRef-Package-npm-types-ms-0.7.34',
      name: '@types/ms',
      versionInfo: '0.7.34',
      supplier: 'NOASSERTION',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'NOASSERTION',
      copyrightText: 'NOASSERTION',
      primaryPackagePurpose: 'LIBRARY',
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:npm/%40types/ms@0.7.34' }],
      sourceInfo: 'declared in package-lock.json:29, apps/web/package-lock.json:29',
      comment: 'prodeng: kind: library; direct: true; dev: true; ecosystem: npm',
    });
    expect(byPurl(doc, 'pkg:maven/com.google.guava/guava@32.1.3-jre')).toMatchObject({ name: 'com.google.guava:guava', versionInfo: '32.1.3-jre' });
    expect(byPurl(doc, 'pkg:docker/library/node@20.11.1-bookworm-slim')).toMatchObject({ name: 'node', versionInfo: '20.11.1', primaryPackagePurpose: 'APPLICATION' });
    const debian = doc.packages.find((p) => p.name === 'debian');
    expect(debian).toMatchObject({ primaryPackagePurpose: 'OPERATING_SYSTEM', SPDXID: 'SPDXRef-Package-os-debian-bookworm' });
    expect(debian?.versionInfo).toBeUndefined();
    expect(debian?.comment).toContain('constraint: bookworm');
    expect(doc.packages.find((p) => p.name === 'internal-lib')?.externalRefs).toBeUndefined(); // git: no purl
    const ids = doc.packages.map((p) => p.SPDXID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('relationships: root depends on direct packages, dev ones are its dev dependencies, the lockfile graph', () => {
    const rel = relations(doc);
    expect(rel).toContain('root DEPENDS_ON debug@4.3.4');
    expect(rel).toContain('@types/ms@0.7.34 DEV_DEPENDENCY_OF root');
    expect(rel).toContain('pytest@7.4.3 DEV_DEPENDENCY_OF root');
    expect(rel).toContain('debug@4.3.4 DEPENDS_ON ms@2.1.2');
    expect(rel).toContain('django@4.2.7 DEPENDS_ON asgiref@3.7.2');
    expect(rel).toContain('pytest@7.4.3 DEPENDS_ON iniconfig@2.0.0');
    expect(rel.filter((r) => r.includes('ms@2.1.2'))).toEqual(['debug@4.3.4 DEPENDS_ON ms@2.1.2']); // transitive: no root edge
    expect(rel.filter((r) => r === 'debug@4.3.4 DEPENDS_ON ms@2.1.2')).toHaveLength(1); // two lockfiles, one edge
    const ids = new Set(['SPDXRef-DOCUMENT', ...doc.packages.map((p) => p.SPDXID)]);
    for (const r of doc.relationships) expect(ids.has(r.spdxElementId) && ids.has(r.relatedSpdxElement)).toBe(true);
  });

  it('an end-of-life date from the caller is the package’s validUntilDate', () => {
    const withFacts = toSpdx(components, { ...OPTIONS, facts: (c) => (c.product === 'nodejs' ? { endOfLife: '2026-04-30', eolStatus: 'supported' } : undefined) });
    const node = byPurl(withFacts, 'pkg:docker/library/node@20.11.1-bookworm-slim');
    expect(node.validUntilDate).toBe('2026-04-30T00:00:00Z');
    expect(node.comment).toContain('endOfLife: 2026-04-30; eolStatus: supported');
    expect(validateSpdx(withFacts)).toEqual([]);
  });
});

describe('toSpdx edge cases', () => {
  const lib = (over: Partial<Component>): Component => ({ kind: 'library', name: 'a', version: '1.0.0', ecosystem: 'npm', direct: true, dev: false, source: { path: 'package-lock.json' }, ...over });

  it('names that sanitise alike get distinct ids', () => {
    const doc = toSpdx([lib({ name: 'a b' }), lib({ name: 'a/b' }), lib({ name: 'a@b' }), lib({ name: '日本' }), lib({ name: '中文' })], OPTIONS);
    expect(doc.packages.map((p) => p.SPDXID)).toEqual([
      ROOT_ID,
      'SPDXRef-Package-npm-a-b-1.0.0',
      'SPDXRef-Package-npm-a-b-1.0.0-2',
      'SPDXRef-Package-npm-a-b-1.0.0-3',
      'SPDXRef-Package-npm-1.0.0',
      'SPDXRef-Package-npm-1.0.0-2',
    ]);
    expect(validateSpdx(doc)).toEqual([]);
  });

  it('slug keeps letters, digits, dots and dashes', () => {
    expect(slug('@angular/core 17.0.0+build')).toBe('angular-core-17.0.0-build');
    expect(slug('///')).toBe('');
    expect(slug('x'.repeat(300))).toHaveLength(100);
  });

  it('no components: a valid document describing the root', () => {
    const doc = toSpdx([], OPTIONS);
    expect(doc.packages).toHaveLength(1);
    expect(doc.relationships).toHaveLength(1);
    expect(validateSpdx(doc)).toEqual([]);
  });
});
