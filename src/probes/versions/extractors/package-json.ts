/**
 * package.json: the project's declared npm dependencies, as constraints (version null). Useful to
 * mark direct and dev dependencies when there is no lockfile. One component per name: a name in
 * both devDependencies and another group (common for peer dependencies) counts as not dev.
 */
import type { Extractor } from '../model.js';
import { DEPENDENCY_GROUPS, outsideNodeModules, readJson, readSpecifier } from './library-npm.js';
import { basename, guarded, isBlank, isRecord, snippet } from './library-support.js';

export const packageJsonExtractor: Extractor = {
  id: 'package-json',
  fileRequired: (path) => basename(path) === 'package.json' && outsideNodeModules(path),
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    const json = readJson(c);
    if (json.value === undefined) return;
    if (!isRecord(json.value)) {
      c.error('package.json is not a JSON object');
      return;
    }
    const root = json.value;
    const seen = new Set<string>();
    for (const { field, dev } of DEPENDENCY_GROUPS) {
      const deps = root[field];
      if (deps === undefined) continue;
      if (!isRecord(deps)) {
        c.error(`\`${field}\` is not an object`, json.keyLine(root, field));
        continue;
      }
      for (const [declared, spec] of Object.entries(deps)) {
        const line = json.keyLine(deps, declared);
        if (typeof spec !== 'string') {
          c.error(`${field}[${snippet(declared)}] is not a string`, line);
          continue;
        }
        const read = readSpecifier(declared, spec);
        if (read === 'local' || seen.has(declared)) continue;
        seen.add(declared);
        c.library('npm', { name: read.name, version: null, constraint: read.range, direct: true, dev, line });
      }
    }
  }),
};
