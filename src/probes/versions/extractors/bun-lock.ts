/**
 * bun.lock, Bun's text lockfile (Bun ≥ 1.2; JSONC: comments and trailing commas).
 *
 * `packages` maps an install path (`react`, or `parent/child` for a copy nested under `parent`) to
 * `["name@version", registry, info, integrity]` for registry packages, or `["name@<protocol>…", info…]`
 * for git, GitHub, tarball, folder, link, workspace and root entries (the last four are the
 * project's own code). Direct: what the declared dependencies of each workspace (`workspaces`)
 * resolve to — `<workspace name>/<dep>` first, then `<dep>`. Dev: reachable from devDependencies and
 * not from dependencies, optionalDependencies or peerDependencies, following each package's
 * `info.dependencies` with Node's lookup up the install path.
 *
 * Dependency graph: a component's `id` is its install path (`debug/ms`) and `dependsOn` the
 * install paths its `info` dependencies, optional and peer dependencies resolve to (same lookup).
 */
import type { Extractor } from '../model.js';
import { outsideNodeModules, readJson } from './library-npm.js';
import type { Collector } from './library-support.js';
import { asString, basename, entriesOf, guarded, isBlank, isRecord, looksLikeVersion, snippet, splitAtName } from './library-support.js';

const PROD_GROUPS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;
const CHILD_GROUPS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** Install-path components: `@scope/a/b` → [`@scope/a`, `b`]. */
function components(path: string): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k] ?? '';
    if (p.startsWith('@') && k + 1 < parts.length) {
      out.push(`${p}/${parts[k + 1] ?? ''}`);
      k++;
    } else out.push(p);
  }
  return out;
}

function read(c: Collector): void {
  const json = readJson(c, { jsonc: true });
  const root = json.value;
  if (root === undefined) return;
  if (!isRecord(root)) {
    c.error('bun.lock is not a JSON object');
    return;
  }
  const packagesRaw = root['packages'];
  if (packagesRaw !== undefined && !isRecord(packagesRaw)) c.error('`packages` is not an object', json.keyLine(root, 'packages'));
  const packages = isRecord(packagesRaw) ? packagesRaw : {};

  const resolve = (from: string, dep: string): string | undefined => {
    let base = components(from);
    for (;;) {
      const candidate = base.length > 0 ? `${base.join('/')}/${dep}` : dep;
      if (Object.hasOwn(packages, candidate)) return candidate;
      if (base.length === 0) return undefined;
      base = base.slice(0, -1);
    }
  };

  const direct = new Set<string>();
  const prodRoots: string[] = [];
  const devRoots: string[] = [];
  for (const [path, ws] of entriesOf(root['workspaces'])) {
    if (!isRecord(ws)) continue;
    const wsName = asString(ws['name']);
    const from = path === '' || wsName === undefined ? '' : wsName;
    for (const [group, dev] of [...PROD_GROUPS.map((g) => [g, false] as const), ['devDependencies', true] as const]) {
      for (const [dep] of entriesOf(ws[group])) {
        const key = resolve(from, dep);
        if (key === undefined) continue;
        direct.add(key);
        (dev ? devRoots : prodRoots).push(key);
      }
    }
  }

  /** The `info` object of an entry (index 2 for registry packages, 1 otherwise). */
  const infoOf = (entry: unknown[], registry: boolean): Record<string, unknown> | undefined => {
    const info = entry[registry ? 2 : 1];
    return isRecord(info) ? info : undefined;
  };

  const parsedEntries = new Map<string, { name: string; ref: string; registry: boolean; entry: unknown[] }>();
  for (const [key, entry] of Object.entries(packages)) {
    const line = json.keyLine(packages, key);
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') {
      c.error(`packages[${snippet(key)}] is not a ["name@version", …] array`, line);
      continue;
    }
    const split = splitAtName(entry[0]);
    if (split === null) {
      c.error(`cannot read ${snippet(entry[0])}`, line);
      continue;
    }
    parsedEntries.set(key, { name: split.name, ref: split.rest, registry: looksLikeVersion(split.rest), entry });
  }

  const walk = (roots: string[]): Set<string> => {
    const seen = new Set<string>();
    const queue = [...roots];
    while (queue.length > 0) {
      const key = queue.pop() as string;
      if (seen.has(key)) continue;
      seen.add(key);
      const p = parsedEntries.get(key);
      const info = p !== undefined ? infoOf(p.entry, p.registry) : undefined;
      if (info === undefined) continue;
      for (const group of CHILD_GROUPS) {
        for (const [dep] of entriesOf(info[group])) {
          const child = resolve(key, dep);
          if (child !== undefined && !seen.has(child)) queue.push(child);
        }
      }
    }
    return seen;
  };
  const prod = walk(prodRoots);
  const dev = walk(devRoots);

  for (const [key, p] of parsedEntries) {
    if (/^(workspace|link|file|root):/.test(p.ref)) continue;
    const info = infoOf(p.entry, p.registry);
    const dependsOn: string[] = [];
    for (const group of CHILD_GROUPS) {
      for (const [dep] of entriesOf(info?.[group])) {
        const child = resolve(key, dep);
        if (child !== undefined) dependsOn.push(child);
      }
    }
    c.library('npm', {
      name: p.name,
      version: p.registry ? p.ref : null,
      ...(p.registry ? {} : { constraint: p.ref }),
      direct: direct.has(key),
      dev: !prod.has(key) && dev.has(key),
      line: json.keyLine(packages, key),
      purl: p.registry ? undefined : null,
      id: key,
      dependsOn,
    });
  }
}

export const bunLockExtractor: Extractor = {
  id: 'bun-lock',
  fileRequired: (path) => basename(path) === 'bun.lock' && outsideNodeModules(path),
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    read(c);
  }),
};
