/**
 * Cargo.lock (TOML, format v1 to v4). Packages without `source` are the workspace's own crates
 * (members and path dependencies) and give no component; `direct` marks what they depend on.
 * Dependencies are written `name`, `name version` or `name version (source)` and resolved against
 * the lock. Cargo.lock does not separate dev-dependencies, so `dev` is false. Only registry
 * sources (`registry+…`, `sparse+…`) get a purl; git sources keep their version without one.
 *
 * Dependency graph: a component's `id` is `name@version` and `dependsOn` what its `dependencies`
 * references resolve to (the workspace's own crates give no component, hence no edge).
 */
import { z } from 'zod';
import type { Extractor } from '../model.js';
import { basename, guarded, isBlank, snippet, validate } from './library-support.js';
import { parseTomlLock } from './library-toml.js';

const Package = z.looseObject({
  name: z.string(),
  version: z.string(),
  source: z.string().optional(),
  dependencies: z.array(z.string()).optional(),
});

export const cargoLockExtractor: Extractor = {
  id: 'cargo-lock',
  fileRequired: (path) => basename(path) === 'Cargo.lock',
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    const lock = parseTomlLock(c);
    const packages: { p: z.infer<typeof Package>; line: number | undefined }[] = [];
    const byName = new Map<string, number[]>();
    for (const { value, line } of lock.packages) {
      const p = validate(c, Package, value, () => `package ${snippet(String(value['name'] ?? '?'))}`, line);
      if (p === undefined) continue;
      const list = byName.get(p.name);
      if (list === undefined) byName.set(p.name, [packages.length]);
      else list.push(packages.length);
      packages.push({ p, line });
    }

    const resolve = (ref: string): number | undefined => {
      const [name = '', version, ...sourceParts] = ref.trim().split(' ');
      const source = sourceParts.join(' ').replace(/^\(|\)$/g, '');
      const list = byName.get(name) ?? [];
      const hit = list.filter((k) => {
        const p = packages[k]?.p;
        return p !== undefined && (version === undefined || p.version === version) && (source === '' || p.source === source);
      });
      return hit[0];
    };

    const direct = new Set<number>();
    for (const { p } of packages) {
      if (p.source !== undefined) continue;
      for (const ref of p.dependencies ?? []) {
        const k = resolve(ref);
        if (k !== undefined) direct.add(k);
      }
    }
    const idOf = (p: z.infer<typeof Package>): string => `${p.name}@${p.version}`;
    packages.forEach(({ p, line }, k) => {
      if (p.source === undefined) return;
      const registry = p.source.startsWith('registry+') || p.source.startsWith('sparse+');
      const dependsOn: string[] = [];
      for (const ref of p.dependencies ?? []) {
        const target = packages[resolve(ref) ?? -1]?.p;
        if (target !== undefined) dependsOn.push(idOf(target));
      }
      c.library('cargo', { name: p.name, version: p.version, direct: direct.has(k), dev: false, line, purl: registry ? undefined : null, id: idOf(p), dependsOn });
    });
  }),
};
