/**
 * pnpm-lock.yaml, lockfileVersion 5.x, 6.x and 9.x.
 *
 * Package keys: v5 `/name/1.2.3_peer@1.0.0`, v6 `/name@1.2.3(peer@1.0.0)`, v9 `name@1.2.3` (with
 * the peer-resolved variants under `snapshots:`). Non-registry packages (git, tarballs, local
 * folders) carry their `name`/`version` in the entry and get no purl.
 *
 * Direct: what the importers (the root and workspace projects: `importers:`, or the top-level
 * `dependencies:`/`devDependencies:`/`optionalDependencies:` of a single project before v9)
 * resolve to. Dev: v5/v6 record `dev: true` on dev-only packages; v9 does not, so a package is dev
 * when it is reachable from the importers' devDependencies and not from their dependencies or
 * optionalDependencies, following `snapshots:`.
 *
 * Dependency graph: a component's `id` is its package key without peer suffixes (`debug@4.3.4`,
 * v6 `/debug@4.3.4`, v5 `/debug/4.3.4`) and `dependsOn` the packages its `dependencies` and
 * `optionalDependencies` point to — in `snapshots:` for v9 (every peer variant of a package
 * counts), in the `packages:` entries before.
 */
import type { Extractor } from '../model.js';
import { outsideNodeModules } from './library-npm.js';
import type { Collector } from './library-support.js';
import { asString, basename, entriesOf, guarded, isBlank, isRecord, looksLikeVersion, snippet, splitAtName } from './library-support.js';
import { parseLockYaml } from './library-yaml.js';

type Format = 5 | 6 | 9;

/** The key's package identity, without peer suffixes. */
function parseKey(key: string, format: Format): { name: string; version: string } | null {
  if (format === 5) {
    const parts = (key.startsWith('/') ? key.slice(1) : key).split('/');
    // the version is the last segment starting with a digit (keys may carry a registry host first)
    for (let k = parts.length - 1; k >= 1; k--) {
      const seg = parts[k] ?? '';
      if (!/^\d/.test(seg)) continue;
      const prev = parts[k - 1] ?? '';
      const scope = k >= 2 ? (parts[k - 2] ?? '') : '';
      const name = scope.startsWith('@') ? `${scope}/${prev}` : prev;
      const underscore = seg.indexOf('_');
      return { name, version: underscore >= 0 ? seg.slice(0, underscore) : seg };
    }
    return null;
  }
  const split = splitAtName(format === 6 && key.startsWith('/') ? key.slice(1) : key);
  if (split === null) return null;
  const paren = split.rest.indexOf('(');
  return { name: split.name, version: paren >= 0 ? split.rest.slice(0, paren) : split.rest };
}

function stripPeers(key: string, format: Format): string {
  if (format === 5) {
    const slash = key.lastIndexOf('/');
    const underscore = key.indexOf('_', slash);
    return underscore >= 0 ? key.slice(0, underscore) : key;
  }
  const paren = key.indexOf('(');
  return paren >= 0 ? key.slice(0, paren) : key;
}

/** The package key a dependency `name: reference` points to (reference as written in the lockfile). */
function depKey(name: string, ref: string, format: Format): string | null {
  if (ref.startsWith('link:') || ref.startsWith('workspace:')) return null;
  if (format === 5) return ref.startsWith('/') || !/^\d/.test(ref) ? ref : `/${name}/${ref}`;
  if (format === 6) return ref.startsWith('/') || !/^\d/.test(ref) ? ref : `/${name}@${ref}`;
  return /^\d/.test(ref) ? `${name}@${ref}` : ref.includes('@', 1) && !ref.includes(':') ? ref : `${name}@${ref}`;
}

/** A dependency's reference: v5 writes the version string, v6+ importers write `{ specifier, version }`. */
function refOf(v: unknown): string | undefined {
  if (isRecord(v)) return asString(v['version']);
  return asString(v);
}

const IMPORTER_GROUPS = [
  ['dependencies', false],
  ['optionalDependencies', false],
  ['devDependencies', true],
] as const;

function read(c: Collector): void {
  const parsed = parseLockYaml(c.text);
  for (const e of parsed.errors) c.error(e.message, e.line);
  // pnpm ≥ 10 may write an environment document first; the lockfile proper has `packages`/`importers`.
  const docs = parsed.documents.filter(isRecord);
  const root = docs.findLast((d) => 'packages' in d || 'importers' in d || 'dependencies' in d) ?? docs.at(-1);
  if (root === undefined) {
    if (parsed.documents.some((d) => d !== null && d !== undefined)) c.error('pnpm-lock.yaml is not a YAML mapping');
    return;
  }
  const versionText = asString(root['lockfileVersion']);
  const major = versionText !== undefined ? Number.parseInt(versionText, 10) : NaN;
  if (Number.isNaN(major)) c.error('no lockfileVersion; read as version 9', parsed.keyLine(root, 'lockfileVersion'));
  const format: Format = Number.isNaN(major) || major >= 9 ? 9 : major >= 6 ? 6 : 5;

  const packages = root['packages'];
  if (packages !== undefined && packages !== null && !isRecord(packages)) c.error('`packages` is not a mapping', parsed.keyLine(root, 'packages'));
  const pkgs = isRecord(packages) ? packages : {};
  const snapshots = isRecord(root['snapshots']) ? root['snapshots'] : {};
  if (format === 9 && Object.keys(pkgs).length > 0 && !isRecord(root['snapshots'])) {
    c.error('no `snapshots:` mapping (a truncated file?): dev-only packages cannot be told apart', parsed.keyLine(root, 'snapshots'));
  }

  // Importers: `importers:` (workspaces; always in v9), else the top level of a single project.
  const importers = isRecord(root['importers']) ? Object.values(root['importers']) : [root];
  const direct = new Set<string>();
  const prodRoots: string[] = [];
  const devRoots: string[] = [];
  for (const importer of importers) {
    if (!isRecord(importer)) continue;
    for (const [group, dev] of IMPORTER_GROUPS) {
      for (const [name, v] of entriesOf(importer[group])) {
        const ref = refOf(v);
        const key = ref !== undefined ? depKey(name, ref, format) : null;
        if (key === null) continue;
        (dev ? devRoots : prodRoots).push(key);
        direct.add(stripPeers(key, format));
      }
    }
  }

  // v9: dev-only = reachable from devDependencies and not from dependencies/optionalDependencies.
  let prodReach: Set<string> | null = null;
  let devReach: Set<string> | null = null;
  if (format === 9) {
    const walk = (roots: string[]): Set<string> => {
      const seen = new Set<string>();
      const reached = new Set<string>();
      const queue = [...roots];
      while (queue.length > 0) {
        const key = queue.pop() as string;
        if (seen.has(key)) continue;
        seen.add(key);
        reached.add(stripPeers(key, format));
        const snap = snapshots[key];
        if (!isRecord(snap)) continue;
        for (const group of ['dependencies', 'optionalDependencies']) {
          for (const [name, v] of entriesOf(snap[group])) {
            const ref = asString(v);
            const child = ref !== undefined ? depKey(name, ref, format) : null;
            if (child !== null && !seen.has(child)) queue.push(child);
          }
        }
      }
      return reached;
    };
    prodReach = walk(prodRoots);
    devReach = walk(devRoots);
  }

  // Children of each package identity: v9 lists them in snapshots, earlier versions in packages.
  const children = new Map<string, Set<string>>();
  for (const [key, entry] of Object.entries(format === 9 ? snapshots : pkgs)) {
    if (!isRecord(entry)) continue;
    const identity = stripPeers(key, format);
    let set = children.get(identity);
    for (const group of ['dependencies', 'optionalDependencies']) {
      for (const [name, v] of entriesOf(entry[group])) {
        const ref = asString(v);
        const child = ref !== undefined ? depKey(name, ref, format) : null;
        if (child === null) continue;
        if (set === undefined) children.set(identity, (set = new Set()));
        set.add(stripPeers(child, format));
      }
    }
  }

  for (const [key, entry] of Object.entries(pkgs)) {
    const line = parsed.keyLine(pkgs, key);
    if (!isRecord(entry)) {
      if (entry !== null) c.error(`packages[${snippet(key)}] is not a mapping`, line);
      continue;
    }
    const fromKey = parseKey(key, format);
    const name = asString(entry['name']) ?? fromKey?.name;
    const version = asString(entry['version']) ?? fromKey?.version;
    if (name === undefined || version === undefined) {
      c.error(`cannot read the package name and version of ${snippet(key)}`, line);
      continue;
    }
    if (version.startsWith('link:')) continue;
    const registry = fromKey !== null && looksLikeVersion(fromKey.version) && fromKey.version === version;
    const identity = stripPeers(key, format);
    let dev: boolean;
    if (prodReach !== null && devReach !== null) dev = !prodReach.has(identity) && devReach.has(identity);
    else dev = entry['dev'] === true;
    c.library('npm', {
      name,
      version,
      direct: direct.has(identity),
      dev,
      line,
      purl: registry ? undefined : null,
      id: identity,
      dependsOn: [...(children.get(identity) ?? [])],
    });
  }
}

export const pnpmLockExtractor: Extractor = {
  id: 'pnpm-lock',
  fileRequired: (path) => basename(path) === 'pnpm-lock.yaml' && outsideNodeModules(path),
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    read(c);
  }),
};
