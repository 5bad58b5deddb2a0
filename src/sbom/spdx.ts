/**
 * SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/) from extracted components. Pure: the
 * time and the document namespace come from the caller (a random namespace by default). See
 * readme.md for the mapping.
 */
import { randomUUID } from 'node:crypto';
import type { Component, ComponentKind } from '../probes/versions/model.js';
import { buildInventory, isoSeconds, sourceText, type InventoryOptions, type SbomPackage } from './inventory.js';

export interface SpdxOptions extends InventoryOptions {
  /** The system (repository) the document describes: the root package and the document's name. */
  name: string;
  version?: string;
  now: Date;
  /** prodeng's version: `creators: ["Tool: prodeng-<version>"]`. */
  toolVersion: string;
  /** A unique URI for this document (no `#`); `https://spdx.org/spdxdocs/<name>-<uuid>` by default. */
  namespace?: string;
}

export type SpdxPurpose = 'APPLICATION' | 'FRAMEWORK' | 'LIBRARY' | 'OPERATING_SYSTEM';

export interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  supplier: 'NOASSERTION';
  downloadLocation: 'NOASSERTION';
  filesAnalyzed: false;
  licenseConcluded: 'NOASSERTION';
  licenseDeclared: 'NOASSERTION';
  copyrightText: 'NOASSERTION';
  externalRefs?: { referenceCategory: 'PACKAGE-MANAGER'; referenceType: 'purl'; referenceLocator: string }[];
  primaryPackagePurpose: SpdxPurpose;
  validUntilDate?: string;
  sourceInfo?: string;
  comment?: string;
}

export type SpdxRelationshipType = 'DESCRIBES' | 'DEPENDS_ON' | 'DEV_DEPENDENCY_OF';

export interface SpdxRelationship {
  spdxElementId: string;
  relationshipType: SpdxRelationshipType;
  relatedSpdxElement: string;
}

export interface SpdxDocument {
  spdxVersion: 'SPDX-2.3';
  dataLicense: 'CC0-1.0';
  SPDXID: 'SPDXRef-DOCUMENT';
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[]; comment: string };
  packages: SpdxPackage[];
  relationships: SpdxRelationship[];
}

/** SPDX 2.3 `primaryPackagePurpose` per component kind (runtimes, middleware and container runtimes are applications). */
export const SPDX_PURPOSES: Record<ComponentKind, SpdxPurpose> = {
  library: 'LIBRARY',
  framework: 'FRAMEWORK',
  os: 'OPERATING_SYSTEM',
  runtime: 'APPLICATION',
  'container-runtime': 'APPLICATION',
  middleware: 'APPLICATION',
};

export const ROOT_ID = 'SPDXRef-RootPackage';
const MAX_ID_CHARS = 100;

/** An SPDX 2.3 document of the components: one package per distinct package, with the dependency graph as relationships. */
export function toSpdx(components: readonly Component[], options: SpdxOptions): SpdxDocument {
  const inventory = buildInventory(components, options).packages;
  const ids = uniqueIds(inventory);
  const idOf = (p: SbomPackage): string => ids.get(p) as string;

  const root: SpdxPackage = {
    SPDXID: ROOT_ID,
    name: options.name,
    ...(options.version !== undefined ? { versionInfo: options.version } : {}),
    supplier: 'NOASSERTION',
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    primaryPackagePurpose: 'APPLICATION',
  };
  const relationships: SpdxRelationship[] = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: ROOT_ID }];
  for (const p of inventory) {
    if (!p.direct) continue;
    relationships.push(
      p.dev
        ? { spdxElementId: idOf(p), relationshipType: 'DEV_DEPENDENCY_OF', relatedSpdxElement: ROOT_ID }
        : { spdxElementId: ROOT_ID, relationshipType: 'DEPENDS_ON', relatedSpdxElement: idOf(p) },
    );
  }
  for (const p of inventory) for (const child of p.dependsOn) relationships.push({ spdxElementId: idOf(p), relationshipType: 'DEPENDS_ON', relatedSpdxElement: idOf(child) });

  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: options.name,
    documentNamespace: options.namespace ?? `https://spdx.org/spdxdocs/${slug(options.name) || 'system'}-${randomUUID()}`,
    creationInfo: {
      created: isoSeconds(options.now),
      creators: [`Tool: prodeng-${options.toolVersion}`],
      comment: 'Read from the repository\u2019s manifests, lockfiles and image references; nothing was installed or built.',
    },
    packages: [root, ...inventory.map((p) => spdxPackage(p, idOf(p)))],
    relationships,
  };
}

/** `[A-Za-z0-9.-]*` from any text: other characters become `-`, runs of `-` collapse, none at the ends, at most 100 characters. */
export function slug(text: string): string {
  return text
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_ID_CHARS);
}

/** `SPDXRef-Package-<ecosystem or kind>-<name>-<version or constraint>`, sanitised, unique (`-2`, `-3`… on collision). */
function uniqueIds(inventory: readonly SbomPackage[]): Map<SbomPackage, string> {
  const used = new Set<string>(['SPDXRef-DOCUMENT', ROOT_ID]);
  const ids = new Map<SbomPackage, string>();
  for (const p of inventory) {
    const base = `SPDXRef-Package-${slug(`${p.ecosystem ?? p.kind}-${p.name}-${p.version ?? p.constraints[0] ?? ''}`) || 'x'}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    ids.set(p, id);
  }
  return ids;
}

function spdxPackage(p: SbomPackage, id: string): SpdxPackage {
  const out: SpdxPackage = {
    SPDXID: id,
    name: p.name,
    ...(p.version !== null ? { versionInfo: p.version } : {}),
    supplier: 'NOASSERTION',
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    primaryPackagePurpose: SPDX_PURPOSES[p.kind],
  };
  // A locator has no spaces (SPDX 2.3 §7.21); extractors' purls are encoded already.
  if (p.purl !== undefined) out.externalRefs = [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl.replace(/\s/g, (s) => encodeURIComponent(s)) }];
  // The end of life of the package's release cycle is the end of its support by the supplier.
  if (typeof p.facts.endOfLife === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(p.facts.endOfLife)) out.validUntilDate = `${p.facts.endOfLife}T00:00:00Z`;
  if (p.sources.length > 0) out.sourceInfo = `declared in ${p.sources.map(sourceText).join(', ')}`;
  const notes = [`kind: ${p.kind}`, `direct: ${p.direct}`, `dev: ${p.dev}`];
  if (p.ecosystem !== null) notes.push(`ecosystem: ${p.ecosystem}`);
  for (const constraint of p.constraints) notes.push(`constraint: ${constraint}`);
  if (p.product !== undefined) notes.push(`product: ${p.product}`);
  if (p.cycle !== undefined) notes.push(`cycle: ${p.cycle}`);
  if (p.facts.endOfLife !== undefined && p.facts.endOfLife !== null) notes.push(`endOfLife: ${String(p.facts.endOfLife)}`);
  if (p.facts.eolStatus !== undefined && p.facts.eolStatus !== null) notes.push(`eolStatus: ${p.facts.eolStatus}`);
  if (p.facts.latest !== undefined && p.facts.latest !== null) notes.push(`latest: ${p.facts.latest}`);
  out.comment = `prodeng: ${notes.join('; ')}`;
  return out;
}
