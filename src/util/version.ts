/**
 * prodeng's own version, from its package.json, found upwards from this module (it may run from
 * src/, dist/ or the bundle in dist/bundle/).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let version: string | undefined;

export function toolVersion(): string {
  if (version === undefined) {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (let i = 0; i < 5 && version === undefined; i++, dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'prodeng' && typeof pkg.version === 'string') version = pkg.version;
      } catch {
        // not here; look one directory up
      }
    }
    version ??= 'unknown';
  }
  return version;
}
