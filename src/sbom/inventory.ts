/**
 * What both SBOM formats are written from: the extracted components merged into one entry per
 * distinct package, with every place that declares it and the dependency graph carried over from
 * the lockfiles (per-file ids become links between entries). See readme.md.
 */
import type { Component, ComponentKind, Ecosystem, SourceRef } from '../probes/versions/model.js';

/** End-of-life and freshness facts the caller may know about a component (the versions probe does). */
export interface SbomFacts {
  /** endoflife.date end of life of the component's cycle: a date (`2023-09-11`), or true/false when the product gives none. */
  endOfLife?: string | boolean | null;
  /** `eol`, `eol-soon`, `support-ended`, `supported`, `unknown` (the versions probe's status). */
  eolStatus?: string | null;
  /** Latest stable version or cycle known. */
  latest?: string | null;
}

export interface InventoryOptions {
  /** Facts about a component, written as properties (CycloneDX) or package fields (SPDX). */
  facts?: (component: Component) => SbomFacts | undefined;
}

/** One distinct package of the SBOM. */
export interface SbomPackage {
  /** Identity: the purl when it names a version, else a derived `prodeng:` key. Unique. */
  key: string;
  kind: ComponentKind;
  name: string;
  version: string | null;
  /** Declared requirements (manifests, floating image tags), distinct, in order of appearance. */
  constraints: string[];
  ecosystem: Ecosystem | null;
  purl?: string;
  /** Declared by the project in at least one place. */
  direct: boolean;
  /** Development-only everywhere it appears. */
  dev: boolean;
  product?: string;
  cycle?: string;
  /** Every place that declares it, distinct, in order of appearance. */
  sources: SourceRef[];
  /** True when a lockfile recorded its dependencies (so `dependsOn` is known, possibly empty). */
  graph: boolean;
  /** The packages it depends on (from the lockfiles' graphs), distinct, never itself. */
  dependsOn: SbomPackage[];
  facts: SbomFacts;
}

export interface SbomInventory {
  /** The distinct packages, sorted by key. */
  packages: SbomPackage[];
  /** The package each input component went into. */
  packageOf: Map<Component, SbomPackage>;
}

/** Whether a purl names a version (`pkg:npm/a@1.0.0`, not `pkg:npm/a`). */
export function purlHasVersion(purl: string): boolean {
  let end = purl.length;
  for (const stop of ['?', '#']) {
    const at = purl.indexOf(stop);
    if (at >= 0 && at < end) end = at;
  }
  const body = purl.slice(0, end);
  return body.indexOf('@', body.lastIndexOf('/') + 1) > 0;
}

function keyOf(c: Component): string {
  if (c.purl !== undefined && c.purl !== '' && purlHasVersion(c.purl)) return c.purl;
  return `prodeng:${c.kind}/${c.ecosystem ?? '-'}/${c.name}@${c.version ?? ''}${c.version === null && c.constraint !== undefined ? `~${c.constraint}` : ''}`;
}

const dirOf = (path: string): string => path.slice(0, path.lastIndexOf('/') + 1);

/**
 * Merges components into distinct packages (sorted by key). A manifest declaration without an
 * exact version (`package.json`'s `"debug": "^4"`) is folded into the locked package of the same
 * ecosystem and name from a file in the same folder (the one with the version the declaration pins,
 * else the direct one): the package then
 * lists both places and the declared constraint — the same rule as the versions probe's
 * `preferLocked`, keeping the declaration as a source instead of dropping it.
 */
export function buildInventory(components: readonly Component[], options: InventoryOptions = {}): SbomInventory {
  const byKey = new Map<string, SbomPackage>();
  const packageOf = new Map<Component, SbomPackage>();

  // Locked libraries by folder, ecosystem and name, to fold manifest declarations into.
  const locked = new Map<string, Component[]>();
  const lockKey = (c: Component): string => `${c.ecosystem ?? ''}\u0000${dirOf(c.source.path)}\u0000${c.name}`;
  for (const c of components) {
    if (c.ecosystem === null || c.version === null) continue;
    const list = locked.get(lockKey(c));
    if (list === undefined) locked.set(lockKey(c), [c]);
    else list.push(c);
  }

  const add = (c: Component, into: SbomPackage | undefined): SbomPackage => {
    let p = into ?? byKey.get(keyOf(c));
    if (p === undefined) {
      p = {
        key: keyOf(c),
        kind: c.kind,
        name: c.name,
        version: c.version,
        constraints: [],
        ecosystem: c.ecosystem,
        direct: c.direct,
        dev: c.dev,
        sources: [],
        graph: false,
        dependsOn: [],
        facts: {},
      };
      if (c.purl !== undefined && c.purl !== '') p.purl = c.purl;
      byKey.set(p.key, p);
    } else {
      p.direct ||= c.direct;
      p.dev &&= c.dev;
      if (p.kind === 'library' && c.kind === 'framework' && c.ecosystem === p.ecosystem) p.kind = 'framework';
      if (p.purl === undefined && c.purl !== undefined && c.purl !== '' && into === undefined) p.purl = c.purl;
    }
    if (c.constraint !== undefined && !p.constraints.includes(c.constraint)) p.constraints.push(c.constraint);
    if (p.product === undefined && c.product !== undefined) p.product = c.product;
    if (p.cycle === undefined && c.cycle !== undefined) p.cycle = c.cycle;
    if (!p.sources.some((s) => s.path === c.source.path && s.line === c.source.line)) p.sources.push(c.source.line !== undefined ? { path: c.source.path, line: c.source.line } : { path: c.source.path });
    if (c.id !== undefined) p.graph = true;
    const facts = options.facts?.(c);
    if (facts !== undefined) {
      for (const k of ['endOfLife', 'eolStatus', 'latest'] as const) {
        if (p.facts[k] === undefined && facts[k] !== undefined && facts[k] !== null) (p.facts as Record<string, unknown>)[k] = facts[k];
      }
    }
    packageOf.set(c, p);
    return p;
  };

  // Locked and other components first, then manifest declarations (which may fold into them).
  const declarations: Component[] = [];
  for (const c of components) {
    if (c.ecosystem !== null && c.version === null && locked.has(lockKey(c))) declarations.push(c);
    else add(c, undefined);
  }
  for (const c of declarations) {
    const candidates = locked.get(lockKey(c)) ?? [];
    // The locked version the declaration pins (`"ms": "2.0.0"`, `==2.0.0`, `^2.0.0`), else the direct one.
    const pinned = c.constraint?.replace(/^\s*(?:===|==|~=|[=^~v])\s*/, '').trim();
    const target = candidates.find((x) => x.version === pinned) ?? candidates.find((x) => x.direct) ?? candidates[0];
    // Folded in, the declaration makes the package direct, and dev only if it is dev too.
    add(c, target !== undefined ? packageOf.get(target) : undefined);
  }

  // Per-file graph ids to packages, then the links.
  const byFileId = new Map<string, SbomPackage>();
  for (const c of components) {
    const p = packageOf.get(c);
    if (c.id !== undefined && p !== undefined && !byFileId.has(`${c.source.path}\u0000${c.id}`)) byFileId.set(`${c.source.path}\u0000${c.id}`, p);
  }
  const linked = new Map<SbomPackage, Set<SbomPackage>>();
  for (const c of components) {
    const p = packageOf.get(c);
    if (p === undefined || c.dependsOn === undefined) continue;
    let set = linked.get(p);
    if (set === undefined) linked.set(p, (set = new Set(p.dependsOn)));
    for (const id of c.dependsOn) {
      const target = byFileId.get(`${c.source.path}\u0000${id}`);
      if (target !== undefined && target !== p && !set.has(target)) {
        set.add(target);
        p.dependsOn.push(target);
      }
    }
  }

  const packages = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { packages, packageOf };
}

/** `path:line`, or the path alone. */
export function sourceText(s: SourceRef): string {
  return s.line !== undefined ? `${s.path}:${s.line}` : s.path;
}

/** An ISO 8601 UTC timestamp without fractional seconds (`2024-05-01T12:00:00Z`), as SPDX requires. */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * The package's name split into a group where the ecosystem has one: npm scopes (`@types`),
 * Maven group ids, Composer vendors. Null when there is no group.
 */
export function groupAndName(p: Pick<SbomPackage, 'ecosystem' | 'name'>): { group: string; name: string } | null {
  const { name } = p;
  switch (p.ecosystem) {
    case 'npm': {
      if (!name.startsWith('@')) return null;
      const slash = name.indexOf('/');
      return slash > 1 && slash < name.length - 1 ? { group: name.slice(0, slash), name: name.slice(slash + 1) } : null;
    }
    case 'maven': {
      const colon = name.indexOf(':');
      return colon > 0 && colon < name.length - 1 ? { group: name.slice(0, colon), name: name.slice(colon + 1) } : null;
    }
    case 'packagist': {
      const slash = name.indexOf('/');
      return slash > 0 && slash < name.length - 1 ? { group: name.slice(0, slash), name: name.slice(slash + 1) } : null;
    }
    default:
      return null;
  }
}
