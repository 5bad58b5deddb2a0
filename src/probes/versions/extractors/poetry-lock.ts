/**
 * poetry.lock (TOML, `[[package]]` tables; lock-version 1.x and 2.x).
 *
 * Dev: `category = "dev"` (Poetry < 1.5) or `groups` without `main` (lock 2.1, Poetry ≥ 2); Poetry
 * 1.5–1.8 records neither, so everything counts as not dev there. Direct: the lock does not record
 * the project's own dependencies (pyproject.toml does), so `direct` is a lower bound — a package
 * that no other locked package depends on must be a declared dependency. Packages from a local
 * `directory` source are the project's own code and give no component; `git`/`url`/`file` sources
 * give a component without purl.
 */
import { z } from 'zod';
import type { Extractor } from '../model.js';
import { basename, entriesOf, guarded, isBlank, pep503, snippet, validate } from './library-support.js';
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
    for (const { p, line } of packages) {
      const sourceType = p.source?.type;
      if (sourceType === 'directory') continue;
      const registry = sourceType === undefined || sourceType === 'legacy';
      const name = pep503(p.name);
      const dev = p.category === 'dev' || (p.groups !== undefined && p.groups.length > 0 && !p.groups.includes('main'));
      c.library('pypi', { name, version: p.version, direct: !required.has(name), dev, line, purl: registry ? undefined : null });
    }
  }),
};
