/**
 * NuGet packages.lock.json. `dependencies` holds one map per target framework (and runtime
 * identifier); each package has `type` Direct, Transitive, CentralTransitive or Project (another
 * project of the solution: no component) and its `resolved` version. Direct: `type: Direct` in any
 * framework. The lock does not separate test-only packages, so `dev` is false.
 */
import { z } from 'zod';
import type { Extractor } from '../model.js';
import { readJson } from './library-npm.js';
import { basename, guarded, isBlank, isRecord, snippet, validate } from './library-support.js';

const Entry = z.looseObject({
  type: z.string().optional(),
  resolved: z.string().optional(),
  requested: z.string().optional(),
});

export const nugetPackagesLockExtractor: Extractor = {
  id: 'nuget-packages-lock',
  fileRequired: (path) => basename(path) === 'packages.lock.json',
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    const json = readJson(c);
    if (json.value === undefined) return;
    if (!isRecord(json.value)) {
      c.error('packages.lock.json is not a JSON object');
      return;
    }
    const frameworks = json.value['dependencies'];
    if (!isRecord(frameworks)) {
      if (json.error === undefined) c.error('`dependencies` is not an object', json.keyLine(json.value, 'dependencies'));
      return;
    }
    for (const [framework, packages] of Object.entries(frameworks)) {
      if (!isRecord(packages)) {
        c.error(`dependencies[${snippet(framework)}] is not an object`, json.keyLine(frameworks, framework));
        continue;
      }
      for (const [name, raw] of Object.entries(packages)) {
        const line = json.keyLine(packages, name);
        const entry = validate(c, Entry, raw, () => `${snippet(framework)}: ${snippet(name)}`, line);
        if (entry === undefined || entry.type === 'Project') continue;
        if (entry.resolved === undefined) {
          c.error(`${snippet(framework)}: ${snippet(name)} has no resolved version`, line);
          continue;
        }
        c.library('nuget', { name, version: entry.resolved, direct: entry.type === 'Direct', dev: false, line });
      }
    }
  }),
};
