/**
 * Pipfile.lock (pipenv, JSON). `default` packages are not dev, `develop` packages are (a package in
 * both is not). Versions come from `"version": "==1.2.3"`; git, path and editable entries have none
 * and keep a null version. The lock has no dependency graph and does not mark what the Pipfile
 * declares, so `direct` is false for every package.
 */
import type { Extractor } from '../model.js';
import { readJson } from './library-npm.js';
import { asString, basename, guarded, isBlank, isRecord, pep503, snippet } from './library-support.js';

export const pipfileLockExtractor: Extractor = {
  id: 'pipfile-lock',
  fileRequired: (path) => basename(path) === 'Pipfile.lock',
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    const json = readJson(c);
    if (json.value === undefined) return;
    if (!isRecord(json.value)) {
      c.error('Pipfile.lock is not a JSON object');
      return;
    }
    const root = json.value;
    for (const [field, dev] of [['default', false], ['develop', true]] as const) {
      const group = root[field];
      if (group === undefined || group === null) continue;
      if (!isRecord(group)) {
        c.error(`\`${field}\` is not an object`, json.keyLine(root, field));
        continue;
      }
      for (const [name, entry] of Object.entries(group)) {
        const line = json.keyLine(group, name);
        if (!isRecord(entry)) {
          c.error(`${field}[${snippet(name)}] is not an object`, line);
          continue;
        }
        const spec = asString(entry['version']);
        const exact = spec !== undefined ? /^===?\s*([^\s,*]+)$/.exec(spec.trim()) : null;
        const version = exact?.[1] ?? null;
        const registry = !('git' in entry || 'path' in entry || 'file' in entry);
        c.library('pypi', {
          name: pep503(name),
          version,
          ...(version === null && spec !== undefined ? { constraint: spec } : {}),
          direct: false,
          dev,
          line,
          purl: registry ? undefined : null,
        });
      }
    }
  }),
};
