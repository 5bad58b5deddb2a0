/**
 * `.nvmrc` (nvm): one Node.js version or alias — `18`, `v18.17.0`, `lts/*`, `lts/hydrogen`, `node`.
 * `system` and `iojs` say nothing about Node.js releases and give no component.
 */
import type { Extractor } from '../model.js';
import { baseName, firstValue, guarded, looksLikeVersionValue, runtimeComponent, shortEnough, type Results } from './runtime-support.js';

const SILENT = new Set(['system', 'iojs', 'default', 'none']);

/** Reads a Node.js version file (`.nvmrc`, `.node-version`) into at most one component. */
export function readNodeVersionFile(results: Results, text: string): void {
  const first = firstValue(text);
  if (!first || !shortEnough(results, first.value, first.line, 'a Node.js version')) return;
  const value = first.value;
  if (SILENT.has(value.toLowerCase())) return;
  if (!looksLikeVersionValue(value) || /\s/.test(value)) {
    results.error(`not a Node.js version or alias: ${JSON.stringify(value.slice(0, 80))}`, first.line);
    return;
  }
  results.add(runtimeComponent({ name: 'node', value, product: 'nodejs', path: results.path, line: first.line }));
}

export const nvmrcExtractor: Extractor = {
  id: 'nvmrc',
  fileRequired: (path) => baseName(path) === '.nvmrc',
  extract: guarded((results, { text }) => readNodeVersionFile(results, text)),
};
