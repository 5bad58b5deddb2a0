/**
 * poetry.lock (TOML, `[[package]]` tables; lock-version 1.x and 2.x).
 *
 * Dev: `category = "dev"` (Poetry < 1.5) or `groups` without `main` (lock 2.1, Poetry ≥ 2); Poetry
 * 1.5–1.8 records neither, so everything counts as not dev there. Direct: the lock does not record
 * the project's own dependencies (pyproject.toml does), so `direct` is a lower bound — a package
 * that no other locked package depends on must be a declared dependency. Packages from a local
 * `directory` source are the project's own code and give no component; `git`/`url`/`file` sources
 * give a component without purl.
 *
 * Dependency graph: a component's `id` is `name@version` (PEP 503 name) and `dependsOn` the locked
 * packages named in its `[package.dependencies]` (every locked version of the name: the lock may
 * hold one per environment marker). An optional dependency counts only when some locked package
 * asks for an extra of this package that lists it.
 */
import { z } from 'zod';
import type { Extractor } from '../model.js';
import { basename, entriesOf, guarded, isBlank, isRecord, pep503, snippet, validate } from './library-support.js';
import { parseTomlLock } from './library-toml.js';

const Package = z.looseObject({
  name: z.string(),
  version: z.string(),
  category: z.string().optional(),
  groups: z.array(z.string()).optional(),
  source: z.looseObject({ type: z.string().optional() }).optional(),
  dependencies: z.record(z.string(), z.unknown()).optional(),
});

export const poetryLockExtractor: Extractor = {
  id: 'poetry-lock',
  fileRequired: (path) => basename(path) === 'poetry.lock',
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    const lock = parseTomlLock(c);
    const packages: { p: z.infer<typeof Package>; line: number | undefined }[] = [];
    const required = new Set<string>();
    for (const { value, line } of lock.packages) {
      const p = validate(c, Package, value, () => `package ${snippet(String(value['name'] ?? '?'))}`, line);
      if (p === undefined) continue;
      packages.push({ p, line });
      for (const [dep] of entriesOf(p.dependencies)) required.add(pep503(dep));
    }
    // Extras asked of each package (`requests = {version = "…", extras = ["socks"]}`).
    const specsOf = (raw: unknown): Record<string, unknown>[] => (Array.isArray(raw) ? raw.filter(isRecord) : isRecord(raw) ? [raw] : []);
    const askedExtras = new Map<string, Set<string>>();
    const idsByName = new Map<string, string[]>();
    const idOf = (p: z.infer<typeof Package>): string => `${pep503(p.name)}@${p.version}`;
    for (const { p } of packages) {
      const name = pep503(p.name);
      idsByName.set(name, [...(idsByName.get(name) ?? []), idOf(p)]);
      for (const [dep, raw] of entriesOf(p.dependencies)) {
        for (const spec of specsOf(raw)) {
          const extras = spec['extras'];
          if (!Array.isArray(extras)) continue;
          const set = askedExtras.get(pep503(dep)) ?? new Set<string>();
          for (const e of extras) if (typeof e === 'string') set.add(e);
          askedExtras.set(pep503(dep), set);
        }
      }
    }
    const dependsOnOf = (p: z.infer<typeof Package>): string[] => {
      // Names the asked extras of this package bring in: `argon2 = ["argon2-cffi (>=19.1.0)"]`.
      const fromExtras = new Set<string>();
      const extrasTable = (p as Record<string, unknown>)['extras'];
      for (const extra of askedExtras.get(pep503(p.name)) ?? []) {
        const list = isRecord(extrasTable) ? extrasTable[extra] : undefined;
        if (!Array.isArray(list)) continue;
        for (const item of list) {
          const m = typeof item === 'string' ? /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(item) : null;
          if (m?.[1] !== undefined) fromExtras.add(pep503(m[1]));
        }
      }
      const out: string[] = [];
      for (const [dep, raw] of entriesOf(p.dependencies)) {
        const name = pep503(dep);
        const specs = specsOf(raw);
        const optional = specs.length > 0 && specs.every((spec) => spec['optional'] === true);
        if (optional && !fromExtras.has(name)) continue;
        out.push(...(idsByName.get(name) ?? []));
      }
      return out;
    };

    for (const { p, line } of packages) {
      const sourceType = p.source?.type;
      if (sourceType === 'directory') continue;
      const registry = sourceType === undefined || sourceType === 'legacy';
      const name = pep503(p.name);
      const dev = p.category === 'dev' || (p.groups !== undefined && p.groups.length > 0 && !p.groups.includes('main'));
      c.library('pypi', { name, version: p.version, direct: !required.has(name), dev, line, purl: registry ? undefined : null, id: idOf(p), dependsOn: dependsOnOf(p) });
    }
  }),
};
