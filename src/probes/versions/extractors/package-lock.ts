/**
 * npm's package-lock.json and npm-shrinkwrap.json (same format), lockfileVersion 1, 2 and 3.
 *
 * v2/v3 (`packages`, keyed by install path): the name is the part after the last `node_modules/`
 * (or the entry's `name` for aliases); `direct` marks the entry that a declared dependency of the
 * root or of a workspace folder resolves to (Node's lookup up the folder tree); `dev` is npm's own
 * `dev: true`. Links (`link: true`) and folders outside node_modules (the root, workspaces) are the
 * project's own code and give no component.
 *
 * v1 (nested `dependencies`): versions, `dev` flags and aliases (`npm:real@1.2.3`). v1 does not
 * record the root's declared dependencies, so `direct` is a lower bound: a top-level entry that no
 * installed package `requires` must have been declared by the root, and what a local package
 * (`file:` — a workspace) requires is declared by that workspace.
 *
 * Dependency graph: each component's `id` is its install path (`node_modules/a/node_modules/b`;
 * v1 paths are built the same way from the nesting) and `dependsOn` the install paths its
 * dependencies resolve to by Node's lookup — `dependencies`, `optionalDependencies` and
 * `peerDependencies` in v2/v3, `requires` in v1.
 */
import { z } from 'zod';
import type { Extractor } from '../model.js';
import type { JsonParseResult } from './library-json.js';
import { outsideNodeModules, readJson } from './library-npm.js';
import type { Collector } from './library-support.js';
import { basename, entriesOf, guarded, isBlank, isRecord, looksLikeVersion, snippet, validate } from './library-support.js';

const DepMap = z.record(z.string(), z.unknown());

const PackageEntry = z.looseObject({
  name: z.string().optional(),
  version: z.string().optional(),
  dev: z.boolean().optional(),
  link: z.boolean().optional(),
  dependencies: DepMap.optional(),
  devDependencies: DepMap.optional(),
  optionalDependencies: DepMap.optional(),
  peerDependencies: DepMap.optional(),
});

const V1Entry = z.looseObject({
  version: z.string().optional(),
  dev: z.boolean().optional(),
  requires: z.union([DepMap, z.boolean()]).optional(),
  dependencies: DepMap.optional(),
});

const Lockfile = z.looseObject({
  lockfileVersion: z.unknown().optional(),
  packages: z.record(z.string(), z.unknown()).optional(),
  dependencies: z.record(z.string(), z.unknown()).optional(),
});

const DECLARING_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;
/** What an installed package depends on (its devDependencies are not installed). */
const CHILD_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;
const NM = 'node_modules/';

function readPackages(c: Collector, json: JsonParseResult, packages: Record<string, unknown>): void {
  type Entry = z.infer<typeof PackageEntry>;
  const entries = new Map<string, Entry>();
  for (const [key, raw] of Object.entries(packages)) {
    const entry = validate(c, PackageEntry, raw, () => `packages[${snippet(key)}]`, json.keyLine(packages, key));
    if (entry !== undefined) entries.set(key, entry);
  }

  // Declaring folders: the root ("") and every folder outside node_modules (workspaces, file: deps).
  const direct = new Set<string>();
  for (const [key, entry] of entries) {
    if (entry.link === true || key.includes(NM)) continue;
    for (const field of DECLARING_FIELDS) {
      for (const [dep] of entriesOf(entry[field])) {
        const target = resolveFrom(entries, key, dep);
        if (target !== undefined) direct.add(target);
      }
    }
  }

  for (const [key, entry] of entries) {
    const at = key.lastIndexOf(NM);
    if (at < 0 || entry.link === true) continue; // root, workspace folders, links to them
    const name = entry.name ?? key.slice(at + NM.length);
    const version = entry.version;
    if (version === undefined) continue; // an optional dependency not installed on this platform
    const dependsOn: string[] = [];
    for (const field of CHILD_FIELDS) {
      for (const [dep] of entriesOf(entry[field])) {
        const target = resolveFrom(entries, key, dep);
        if (target !== undefined) dependsOn.push(target);
      }
    }
    c.library('npm', {
      name,
      version,
      direct: direct.has(key),
      dev: entry.dev === true,
      line: json.keyLine(packages, key),
      purl: looksLikeVersion(version) ? undefined : null,
      id: key,
      dependsOn,
    });
  }
}

/** Node's module lookup: `from/node_modules/name`, then each parent folder's node_modules. */
function resolveFrom(entries: Map<string, unknown>, from: string, name: string): string | undefined {
  let base = from;
  for (let guard = 0; guard < 256; guard++) {
    const candidate = base === '' ? NM + name : `${base}/${NM}${name}`;
    if (entries.has(candidate)) return candidate;
    if (base === '') return undefined;
    const slash = base.lastIndexOf('/');
    base = slash < 0 ? '' : base.slice(0, slash);
  }
  return undefined;
}

/** One level of v1 nesting: the `dependencies` of the root or of a package, and where it is installed. */
interface V1Scope {
  deps: Record<string, unknown>;
  /** Install path prefix of the packages in it (`''`, `node_modules/a/`). */
  prefix: string;
  parent: V1Scope | null;
}

function readV1(c: Collector, json: JsonParseResult, top: Record<string, unknown>): void {
  type Entry = z.infer<typeof V1Entry>;
  // Names that installed packages require, and names that local packages (workspaces, `file:`
  // dependencies, which v1 lists among the others) declare.
  const required = new Set<string>();
  const declaredByLocal = new Set<string>();
  const found: { name: string; entry: Entry; line: number | undefined; depth: number; id: string; dependsOn: string[] }[] = [];
  const stack: { scope: V1Scope; depth: number }[] = [{ scope: { deps: top, prefix: '', parent: null }, depth: 0 }];
  while (stack.length > 0) {
    const { scope, depth } = stack.pop() as { scope: V1Scope; depth: number };
    const { deps } = scope;
    for (const [name, raw] of Object.entries(deps)) {
      const line = json.keyLine(deps, name);
      const entry = validate(c, V1Entry, raw, () => `dependencies[${snippet(name)}]`, line);
      if (entry === undefined) continue;
      const id = `${scope.prefix}${NM}${name}`;
      // Node's lookup: the package's own nested dependencies, then its siblings, then up.
      const nested: V1Scope | null = entry.dependencies !== undefined ? { deps: entry.dependencies, prefix: `${id}/`, parent: scope } : null;
      const dependsOn: string[] = [];
      found.push({ name, entry, line, depth, id, dependsOn });
      const local = entry.version !== undefined && /^(file|link):/.test(entry.version);
      if (isRecord(entry.requires)) {
        for (const r of Object.keys(entry.requires)) {
          (local ? declaredByLocal : required).add(r);
          for (let s: V1Scope | null = nested ?? scope; s !== null; s = s.parent) {
            if (Object.hasOwn(s.deps, r)) {
              dependsOn.push(`${s.prefix}${NM}${r}`);
              break;
            }
          }
        }
      }
      if (nested !== null && depth < 200) stack.push({ scope: nested, depth: depth + 1 });
    }
  }
  found.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  for (const { name: key, entry, line, depth, id, dependsOn } of found) {
    const raw = entry.version;
    if (raw === undefined || raw.startsWith('file:') || raw.startsWith('link:')) continue;
    let name = key;
    let version: string | null = raw;
    let constraint: string | undefined;
    let registry = true;
    if (raw.startsWith('npm:')) {
      const at = raw.indexOf('@', 5);
      if (at > 4) {
        name = raw.slice(4, at);
        version = raw.slice(at + 1);
      }
    } else if (!looksLikeVersion(raw)) {
      // git or tarball URL: the exact version is not recorded
      version = null;
      constraint = raw;
      registry = false;
    }
    c.library('npm', {
      name,
      version,
      ...(constraint !== undefined ? { constraint } : {}),
      direct: depth === 0 && (declaredByLocal.has(key) || !required.has(key)),
      dev: entry.dev === true,
      line,
      purl: registry ? undefined : null,
      id,
      dependsOn,
    });
  }
}

export const packageLockExtractor: Extractor = {
  id: 'package-lock',
  fileRequired: (path) => {
    const base = basename(path);
    return (base === 'package-lock.json' || base === 'npm-shrinkwrap.json') && outsideNodeModules(path);
  },
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    const json = readJson(c);
    if (json.value === undefined) return;
    const lock = validate(c, Lockfile, json.value, 'not an npm lockfile');
    if (lock === undefined) return;
    if (lock.packages !== undefined) readPackages(c, json, lock.packages);
    else if (lock.dependencies !== undefined) readV1(c, json, lock.dependencies);
    else if (json.error === undefined && lock.lockfileVersion === undefined) c.error('no `packages`, `dependencies` or `lockfileVersion`: not an npm lockfile');
  }),
};
