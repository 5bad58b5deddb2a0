/**
 * uv.lock (TOML, `[[package]]` tables).
 *
 * The project's own packages are the workspace members (`[manifest] members`, or packages whose
 * source is `virtual`/`editable` "."), and give no component; nor do other local `directory`,
 * `editable` or `virtual` sources. Direct: the members' `dependencies`, `optional-dependencies`
 * and `dev-dependencies` (dependency groups). Dev: reachable from the members' dependency groups
 * and not from their dependencies or optional dependencies (extras followed).
 *
 * Dependency graph: a component's `id` is `name@version` (PEP 503 name) and `dependsOn` the
 * packages its `dependencies` point to, plus its `optional-dependencies` of the extras some
 * locked package asks of it (`{ name = "requests", extra = ["socks"] }`).
 */
import { z } from 'zod';
import type { Extractor } from '../model.js';
import { basename, guarded, isBlank, isRecord, pep503, snippet, validate } from './library-support.js';
import { parseTomlLock } from './library-toml.js';

const Dep = z.looseObject({
  name: z.string(),
  version: z.string().optional(),
  extra: z.array(z.string()).optional(),
});
const DepList = z.array(z.unknown());

const Package = z.looseObject({
  name: z.string(),
  version: z.string().optional(),
  source: z.record(z.string(), z.unknown()).optional(),
  dependencies: DepList.optional(),
  'optional-dependencies': z.record(z.string(), DepList).optional(),
  'dev-dependencies': z.record(z.string(), DepList).optional(),
});
type Pkg = z.infer<typeof Package>;

const LOCAL_SOURCES = ['virtual', 'editable', 'directory'];

export const uvLockExtractor: Extractor = {
  id: 'uv-lock',
  fileRequired: (path) => basename(path) === 'uv.lock',
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    const lock = parseTomlLock(c);
    const packages: { p: Pkg; line: number | undefined; index: number }[] = [];
    const byName = new Map<string, number[]>();
    for (const { value, line } of lock.packages) {
      const p = validate(c, Package, value, () => `package ${snippet(String(value['name'] ?? '?'))}`, line);
      if (p === undefined) continue;
      const index = packages.length;
      packages.push({ p, line, index });
      const name = pep503(p.name);
      byName.set(name, [...(byName.get(name) ?? []), index]);
    }

    const manifest = lock.root?.['manifest'];
    const memberNames = isRecord(manifest) && Array.isArray(manifest['members']) ? manifest['members'].filter((m) => typeof m === 'string').map(pep503) : [];
    const isLocal = (p: Pkg): boolean => p.source !== undefined && LOCAL_SOURCES.some((k) => k in (p.source ?? {}));
    const isMember = (p: Pkg): boolean =>
      memberNames.length > 0 ? memberNames.includes(pep503(p.name)) : p.source !== undefined && (p.source['virtual'] === '.' || p.source['editable'] === '.');

    /** Indices of the packages a dependency entry points to, with the extras it asks for. */
    const targets = (raw: unknown): { index: number; extras: string[] }[] => {
      const d = Dep.safeParse(raw);
      if (!d.success) return [];
      const list = byName.get(pep503(d.data.name)) ?? [];
      const chosen = d.data.version !== undefined ? list.filter((k) => packages[k]?.p.version === d.data.version) : list;
      return (chosen.length > 0 ? chosen : list).map((index) => ({ index, extras: d.data.extra ?? [] }));
    };

    const direct = new Set<number>();
    const prodRoots: { index: number; extras: string[] }[] = [];
    const devRoots: { index: number; extras: string[] }[] = [];
    for (const { p } of packages) {
      if (!isMember(p)) continue;
      const prodDeps = [...(p.dependencies ?? []), ...Object.values(p['optional-dependencies'] ?? {}).flat()];
      for (const d of prodDeps) prodRoots.push(...targets(d));
      for (const d of Object.values(p['dev-dependencies'] ?? {}).flat()) devRoots.push(...targets(d));
    }
    for (const t of [...prodRoots, ...devRoots]) direct.add(t.index);

    const walk = (roots: { index: number; extras: string[] }[]): Set<number> => {
      const seen = new Set<string>();
      const reached = new Set<number>();
      const queue = [...roots];
      while (queue.length > 0) {
        const { index, extras } = queue.pop() as { index: number; extras: string[] };
        const id = `${index}[${extras.join(',')}]`;
        if (seen.has(id)) continue;
        seen.add(id);
        reached.add(index);
        const p = packages[index]?.p;
        if (p === undefined) continue;
        const deps = [...(p.dependencies ?? [])];
        for (const extra of extras) deps.push(...(p['optional-dependencies']?.[extra] ?? []));
        for (const d of deps) queue.push(...targets(d));
      }
      return reached;
    };
    const prod = walk(prodRoots);
    const dev = walk(devRoots);

    // Extras asked of each package by any locked package.
    const asked = new Map<number, Set<string>>();
    for (const { p } of packages) {
      const all = [...(p.dependencies ?? []), ...Object.values(p['optional-dependencies'] ?? {}).flat(), ...Object.values(p['dev-dependencies'] ?? {}).flat()];
      for (const d of all) {
        for (const t of targets(d)) {
          if (t.extras.length === 0) continue;
          const set = asked.get(t.index) ?? new Set<string>();
          for (const e of t.extras) set.add(e);
          asked.set(t.index, set);
        }
      }
    }
    const idOf = (p: Pkg): string => (p.version !== undefined ? `${pep503(p.name)}@${p.version}` : pep503(p.name));

    for (const { p, line, index } of packages) {
      if (isMember(p) || isLocal(p)) continue;
      const registry = p.source === undefined || 'registry' in p.source;
      const deps = [...(p.dependencies ?? [])];
      for (const extra of asked.get(index) ?? []) deps.push(...(p['optional-dependencies']?.[extra] ?? []));
      const dependsOn: string[] = [];
      for (const d of deps) for (const t of targets(d)) if (packages[t.index] !== undefined) dependsOn.push(idOf((packages[t.index] as { p: Pkg }).p));
      c.library('pypi', {
        name: pep503(p.name),
        version: p.version ?? null,
        direct: direct.has(index),
        dev: !prod.has(index) && dev.has(index),
        line,
        purl: registry ? undefined : null,
        id: idOf(p),
        dependsOn,
      });
    }
  }),
};
