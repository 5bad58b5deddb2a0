/**
 * Gradle dependency locking: `gradle.lockfile` (and `buildscript-gradle.lockfile`, and the older
 * per-configuration `gradle/dependency-locks/*.lockfile`). Each line is
 * `group:artifact:version=configuration,…`; a package is dev when every configuration it is in is
 * a test one (its name contains "test"), and everything in the buildscript lockfile is build
 * tooling, so dev. The lockfile does not say which dependencies are declared, so `direct` is false.
 */
import type { Extractor } from '../model.js';
import { basename, guarded, isBlank, snippet } from './library-support.js';

export const gradleLockfileExtractor: Extractor = {
  id: 'gradle-lockfile',
  fileRequired: (path) => {
    const base = basename(path);
    if (base === 'gradle.lockfile' || base.endsWith('-gradle.lockfile')) return true;
    return base.endsWith('.lockfile') && path.includes('gradle/dependency-locks/');
  },
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    const base = basename(c.path);
    const buildscript = base.startsWith('buildscript');
    const perConfiguration = base !== 'gradle.lockfile' && !base.endsWith('-gradle.lockfile');
    const fileConfiguration = perConfiguration ? base.slice(0, -'.lockfile'.length) : '';
    const lines = c.text.split('\n');
    for (let k = 0; k < lines.length; k++) {
      const line = (lines[k] ?? '').trim();
      if (line === '' || line.startsWith('#')) continue;
      const eq = line.indexOf('=');
      const coordinate = eq >= 0 ? line.slice(0, eq) : line;
      if (coordinate === 'empty') continue;
      const configurations = eq >= 0 ? line.slice(eq + 1).split(',').map((s) => s.trim()).filter((s) => s !== '') : [fileConfiguration];
      const parts = coordinate.split(':');
      if (parts.length !== 3 || parts.some((p) => p === '')) {
        c.error(`cannot read ${snippet(line)}`, k + 1);
        continue;
      }
      const [group, artifact, version] = parts as [string, string, string];
      const dev = buildscript || (configurations.length > 0 && configurations.every((cfg) => cfg.toLowerCase().includes('test')));
      c.library('maven', { name: `${group}:${artifact}`, version, direct: false, dev, line: k + 1 });
    }
  }),
};
