/**
 * CycloneDX 1.6 JSON (https://cyclonedx.org/docs/1.6/json/) from extracted components. Pure: the
 * time and the serial number come from the caller (a random one by default). See readme.md for
 * the mapping.
 */
import { randomUUID } from 'node:crypto';
import type { Component, ComponentKind } from '../probes/versions/model.js';
import { buildInventory, groupAndName, isoSeconds, sourceText, type InventoryOptions, type SbomPackage } from './inventory.js';

export interface CycloneDxOptions extends InventoryOptions {
  /** The system (repository) the SBOM describes: the root component. */
  name: string;
  version?: string;
  now: Date;
  /** prodeng's version, for `metadata.tools`. */
  toolVersion: string;
  /** `urn:uuid:…`; a random one when not given. */
  serialNumber?: string;
}

export type CycloneDxComponentType = 'application' | 'framework' | 'library' | 'operating-system' | 'platform';

export interface CycloneDxProperty {
  name: string;
  value: string;
}

export interface CycloneDxComponent {
  type: CycloneDxComponentType;
  'bom-ref': string;
  group?: string;
  name: string;
  version?: string;
  scope?: 'required' | 'optional';
  purl?: string;
  properties?: CycloneDxProperty[];
}

export interface CycloneDxDependency {
  ref: string;
  dependsOn: string[];
}

export interface CycloneDxBom {
  $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json';
  bomFormat: 'CycloneDX';
  specVersion: '1.6';
  serialNumber: string;
  version: 1;
  metadata: {
    timestamp: string;
    lifecycles: { phase: 'pre-build' }[];
    tools: { components: { type: 'application'; name: string; version: string; externalReferences: { type: 'website'; url: string }[] }[] };
    component: { type: 'application'; 'bom-ref': string; name: string; version?: string };
  };
  components: CycloneDxComponent[];
  dependencies: CycloneDxDependency[];
}

/**
 * Component types (CycloneDX 1.6 `component.type`): libraries and frameworks as such, an OS as
 * `operating-system`, a runtime (Node.js, Python, the JVM, Go) and a container runtime as
 * `platform` ("a runtime environment which interprets or executes software"), middleware (nginx,
 * PostgreSQL, Redis) as `application`.
 */
export const CYCLONEDX_TYPES: Record<ComponentKind, CycloneDxComponentType> = {
  library: 'library',
  framework: 'framework',
  os: 'operating-system',
  runtime: 'platform',
  'container-runtime': 'platform',
  middleware: 'application',
};

/** CycloneDX 1.6 caps `version` at 1,024 characters; a longer one goes to the `prodeng:version` property. */
const MAX_VERSION_CHARS = 1024;

/** bom-ref of the root component (the system); component refs never take it. */
export const ROOT_REF = 'prodeng:root';

/** A CycloneDX 1.6 BOM of the components: one component per distinct package, with its dependency graph. */
export function toCycloneDx(components: readonly Component[], options: CycloneDxOptions): CycloneDxBom {
  const inventory = buildInventory(components, options).packages;
  const refs = uniqueRefs(inventory);
  const out: CycloneDxComponent[] = inventory.map((p) => component(p, refs.get(p) as string));

  const refOf = (p: SbomPackage): string => refs.get(p) as string;
  const dependencies: CycloneDxDependency[] = [{ ref: ROOT_REF, dependsOn: inventory.filter((p) => p.direct).map(refOf) }];
  for (const p of inventory) if (p.graph) dependencies.push({ ref: refOf(p), dependsOn: p.dependsOn.map(refOf) });

  const root: CycloneDxBom['metadata']['component'] = { type: 'application', 'bom-ref': ROOT_REF, name: options.name };
  if (options.version !== undefined) root.version = options.version;
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: options.serialNumber ?? `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: isoSeconds(options.now),
      // Read from manifests and lockfiles before any build (nothing installed or built).
      lifecycles: [{ phase: 'pre-build' }],
      tools: {
        components: [{ type: 'application', name: 'prodeng', version: options.toolVersion, externalReferences: [{ type: 'website', url: 'https://github.com/prodeng/prodeng' }] }],
      },
      component: root,
    },
    components: out,
    dependencies,
  };
}

/** bom-refs: the purl when the package's identity is one, else its derived key; made unique. */
function uniqueRefs(inventory: readonly SbomPackage[]): Map<SbomPackage, string> {
  const used = new Set<string>([ROOT_REF]);
  const refs = new Map<SbomPackage, string>();
  for (const p of inventory) {
    let ref = p.key;
    for (let n = 2; used.has(ref); n++) ref = `${p.key}#${n}`;
    used.add(ref);
    refs.set(p, ref);
  }
  return refs;
}

function component(p: SbomPackage, ref: string): CycloneDxComponent {
  const split = groupAndName(p);
  const c: CycloneDxComponent = {
    type: CYCLONEDX_TYPES[p.kind],
    'bom-ref': ref,
    ...(split !== null ? { group: split.group } : {}),
    name: split !== null ? split.name : p.name,
    ...(p.version !== null && p.version.length <= MAX_VERSION_CHARS ? { version: p.version } : {}),
    // Development-only packages are not needed at run time.
    scope: p.dev ? 'optional' : 'required',
    ...(p.purl !== undefined ? { purl: p.purl } : {}),
  };
  const properties: CycloneDxProperty[] = [
    { name: 'prodeng:kind', value: p.kind },
    { name: 'prodeng:direct', value: String(p.direct) },
    { name: 'prodeng:dev', value: String(p.dev) },
  ];
  if (p.ecosystem !== null) properties.push({ name: 'prodeng:ecosystem', value: p.ecosystem });
  if (p.version !== null && p.version.length > MAX_VERSION_CHARS) properties.push({ name: 'prodeng:version', value: p.version });
  for (const constraint of p.constraints) properties.push({ name: 'prodeng:constraint', value: constraint });
  if (p.product !== undefined) properties.push({ name: 'prodeng:product', value: p.product });
  if (p.cycle !== undefined) properties.push({ name: 'prodeng:cycle', value: p.cycle });
  if (p.facts.endOfLife !== undefined && p.facts.endOfLife !== null) properties.push({ name: 'prodeng:endOfLife', value: String(p.facts.endOfLife) });
  if (p.facts.eolStatus !== undefined && p.facts.eolStatus !== null) properties.push({ name: 'prodeng:eolStatus', value: p.facts.eolStatus });
  if (p.facts.latest !== undefined && p.facts.latest !== null) properties.push({ name: 'prodeng:latest', value: p.facts.latest });
  for (const s of p.sources) properties.push({ name: 'prodeng:source', value: sourceText(s) });
  c.properties = properties;
  return c;
}
