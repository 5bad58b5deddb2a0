/**
 * Property tests: whatever the components — hostile names and versions (spaces, unicode, `/`,
 * `@`, `:`, control characters, very long), arbitrary purls, ids and dependency lists that
 * dangle or loop — both documents are valid against the official schemas, with unique bom-refs
 * and SPDXIDs and no relationship or dependency pointing at nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { purlFor } from '../probes/versions/extractors/library-support.js';
import { COMPONENT_KINDS, ECOSYSTEMS, type Component } from '../probes/versions/model.js';
import { ROOT_REF, toCycloneDx } from './cyclonedx.js';
import { toSpdx } from './spdx.js';
import { SPDX_DATE, SPDX_ID, validateCycloneDx, validateSpdx } from './test-support/validators.js';

const HOSTILE = ['', ' ', '@', '@/', '@scope/', '/', 'a b', 'ü/é@1', '@@x', ':', 'a:b', 'org.x:y', '../x', '#x?y=1', 'urn:cdx:x', 'pkg:npm/a@1', 'SPDXRef-DOCUMENT', 'prodeng:root', '\u0000\u001f', '😀', 'x'.repeat(1500)];
const text = fc.oneof({ arbitrary: fc.constantFrom(...HOSTILE), weight: 2 }, { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 2 }, { arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/), weight: 3 });
const ids = fc.constantFrom('i0', 'i1', 'i2', 'i3', 'i4', 'i5', 'gone');

const component: fc.Arbitrary<Component> = fc
  .record({
    kind: fc.constantFrom(...COMPONENT_KINDS),
    name: text,
    version: fc.option(text, { nil: null }),
    constraint: fc.option(text, { nil: undefined }),
    ecosystem: fc.option(fc.constantFrom(...ECOSYSTEMS), { nil: null }),
    purlKind: fc.constantFrom('none', 'formed', 'arbitrary'),
    arbitraryPurl: text,
    direct: fc.boolean(),
    dev: fc.boolean(),
    product: fc.option(text, { nil: undefined }),
    cycle: fc.option(text, { nil: undefined }),
    path: fc.constantFrom('package-lock.json', 'apps/ä b/package-lock.json', 'go.mod', 'Dockerfile'),
    line: fc.option(fc.nat({ max: 5000 }), { nil: undefined }),
    id: fc.option(ids, { nil: undefined }),
    dependsOn: fc.array(ids, { maxLength: 4 }),
  })
  .map((r) => {
    const c: Component = { kind: r.kind, name: r.name, version: r.version, ecosystem: r.ecosystem, direct: r.direct, dev: r.dev, source: r.line !== undefined ? { path: r.path, line: r.line } : { path: r.path } };
    if (r.constraint !== undefined) c.constraint = r.constraint;
    if (r.product !== undefined) c.product = r.product;
    if (r.cycle !== undefined) c.cycle = r.cycle;
    const purl = r.purlKind === 'formed' && r.ecosystem !== null ? purlFor(r.ecosystem, r.name, r.version) : r.purlKind === 'arbitrary' ? r.arbitraryPurl : null;
    if (purl !== null) c.purl = purl;
    if (r.id !== undefined) {
      c.id = r.id;
      c.dependsOn = r.dependsOn;
    }
    return c;
  });

const facts = fc.option(fc.record({ endOfLife: fc.oneof(fc.constant('2024-02-29'), fc.boolean(), text), eolStatus: text, latest: text }, { requiredKeys: [] }), { nil: undefined });
const date = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true });

describe('SBOMs of arbitrary components', () => {
  it('CycloneDX: schema-valid, unique bom-refs, every dependency ref known and listed once', () => {
    fc.assert(
      fc.property(fc.array(component, { maxLength: 25 }), text, date, facts, (components, name, now, f) => {
        const bom = toCycloneDx(components, { name, now, toolVersion: '0.1.0', facts: () => f });
        expect(validateCycloneDx(JSON.parse(JSON.stringify(bom)))).toEqual([]);
        const refs = bom.components.map((c) => c['bom-ref']);
        expect(new Set([ROOT_REF, ...refs]).size).toBe(refs.length + 1);
        const known = new Set([ROOT_REF, ...refs]);
        const seen = new Set<string>();
        for (const d of bom.dependencies) {
          expect(seen.has(d.ref)).toBe(false);
          seen.add(d.ref);
          expect(new Set(d.dependsOn).size).toBe(d.dependsOn.length);
          for (const r of [d.ref, ...d.dependsOn]) expect(known.has(r)).toBe(true);
          expect(d.dependsOn).not.toContain(d.ref);
        }
        expect(bom.dependencies[0]?.dependsOn).toHaveLength(bom.components.filter((c) => c.properties?.some((p) => p.name === 'prodeng:direct' && p.value === 'true')).length);
      }),
      { numRuns: 300 },
    );
  });

  it('SPDX: schema-valid, SPDXIDs unique and well-formed, no dangling relationship', () => {
    fc.assert(
      fc.property(fc.array(component, { maxLength: 25 }), text, date, facts, (components, name, now, f) => {
        const doc = toSpdx(components, { name, now, toolVersion: '0.1.0', facts: () => f });
        expect(validateSpdx(JSON.parse(JSON.stringify(doc)))).toEqual([]);
        expect(doc.creationInfo.created).toMatch(SPDX_DATE);
        expect(doc.documentNamespace).not.toContain('#');
        const spdxIds = doc.packages.map((p) => p.SPDXID);
        expect(new Set(spdxIds).size).toBe(spdxIds.length);
        for (const id of spdxIds) expect(id).toMatch(SPDX_ID);
        const known = new Set(['SPDXRef-DOCUMENT', ...spdxIds]);
        for (const r of doc.relationships) {
          expect(known.has(r.spdxElementId) && known.has(r.relatedSpdxElement)).toBe(true);
          expect(r.spdxElementId).not.toBe(r.relatedSpdxElement);
        }
        for (const p of doc.packages) for (const ref of p.externalRefs ?? []) expect(ref.referenceLocator).not.toMatch(/\s/);
        // the same packages in both formats
        expect(doc.packages.length - 1).toBe(toCycloneDx(components, { name, now, toolVersion: '0.1.0' }).components.length);
      }),
      { numRuns: 300 },
    );
  });
});
