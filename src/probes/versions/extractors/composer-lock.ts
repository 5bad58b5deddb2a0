/**
 * composer.lock (PHP). `packages` are not dev, `packages-dev` are. The lock does not record the
 * root's own requirements (composer.json does), so `direct` is a lower bound: a package that no
 * other locked package requires must be required by the project. Versions are kept as written
 * (`v5.4.0`, `1.2.3`, `dev-main`).
 *
 * Dependency graph: a package's `id` is its lower-cased name and `dependsOn` the locked packages
 * its `require` names — directly, or through another package's `replace`/`provide` (virtual
 * packages such as `psr/log-implementation`); platform requirements (`php`, `ext-*`) give none.
 */
import { z } from 'zod';
import type { Extractor } from '../model.js';
import { readJson } from './library-npm.js';
import { basename, entriesOf, guarded, inDirectory, isBlank, isRecord, validate } from './library-support.js';

const Package = z.looseObject({
  name: z.string(),
  version: z.string(),
  require: z.record(z.string(), z.unknown()).optional(),
});

export const composerLockExtractor: Extractor = {
  id: 'composer-lock',
  fileRequired: (path) => basename(path) === 'composer.lock' && !inDirectory(path, 'vendor'),
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    const json = readJson(c);
    if (json.value === undefined) return;
    if (!isRecord(json.value)) {
      c.error('composer.lock is not a JSON object');
      return;
    }
    const root = json.value;
    const found: { p: z.infer<typeof Package>; dev: boolean; line: number | undefined }[] = [];
    const required = new Set<string>();
    for (const [field, dev] of [['packages', false], ['packages-dev', true]] as const) {
      const list = root[field];
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) {
        c.error(`\`${field}\` is not an array`, json.keyLine(root, field));
        continue;
      }
      list.forEach((raw: unknown, k) => {
        const line = isRecord(raw) ? json.nodeLine(raw) : undefined;
        const p = validate(c, Package, raw, () => `${field}[${k}]`, line);
        if (p === undefined) return;
        found.push({ p, dev, line });
        for (const [dep] of entriesOf(p.require)) required.add(dep.toLowerCase());
      });
    }
    // Package names, then the names they replace or provide, to the package that answers them.
    const provider = new Map<string, string>();
    for (const { p } of found) provider.set(p.name.toLowerCase(), p.name.toLowerCase());
    for (const field of ['replace', 'provide']) {
      for (const { p } of found) {
        for (const [name] of entriesOf((p as Record<string, unknown>)[field])) {
          if (!provider.has(name.toLowerCase())) provider.set(name.toLowerCase(), p.name.toLowerCase());
        }
      }
    }
    for (const { p, dev, line } of found) {
      const dependsOn: string[] = [];
      for (const [dep] of entriesOf(p.require)) {
        const target = provider.get(dep.toLowerCase());
        if (target !== undefined) dependsOn.push(target);
      }
      c.library('packagist', { name: p.name, version: p.version, direct: !required.has(p.name.toLowerCase()), dev, line, id: p.name.toLowerCase(), dependsOn });
    }
  }),
};
