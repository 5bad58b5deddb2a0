/** `.node-version` (nodenv, fnm, asdf's legacy file): one Node.js version, as in `.nvmrc`. */
import type { Extractor } from '../model.js';
import { readNodeVersionFile } from './nvmrc.js';
import { baseName, guarded } from './runtime-support.js';

export const nodeVersionExtractor: Extractor = {
  id: 'node-version',
  fileRequired: (path) => baseName(path) === '.node-version',
  extract: guarded((results, { text }) => readNodeVersionFile(results, text)),
};
