/**
 * `.python-version` (pyenv, uv): one version a line (`3.11.4`, `3.12`, `3.13t`). CPython versions
 * map to python; `pypy3.9-7.3.9` becomes a `pypy` component without product; `system`, conda and
 * other distributions give nothing.
 */
import type { Extractor } from '../model.js';
import { allValues, baseName, guarded, looksLikeVersionValue, runtimeComponent, shortEnough } from './runtime-support.js';

export const pythonVersionExtractor: Extractor = {
  id: 'python-version',
  fileRequired: (path) => baseName(path) === '.python-version',
  extract: guarded((results, { text }) => {
    for (const { value, line } of allValues(text)) {
      if (!shortEnough(results, value, line, 'a Python version')) continue;
      const lower = value.toLowerCase();
      if (/^(?:cpython-)?\d+(?:\.\d+)*[\w.+-]*$/.test(lower)) {
        results.add(runtimeComponent({ name: 'python', value: lower.replace(/^cpython-/, ''), product: 'python', path: results.path, line }));
      } else if (/^pypy\d[\w.+-]*$/.test(lower)) {
        results.add(runtimeComponent({ name: 'pypy', value: lower.slice(4), product: null, path: results.path, line }));
      } else if (!looksLikeVersionValue(value) || /\s/.test(value)) {
        results.error(`not a Python version: ${JSON.stringify(value.slice(0, 80))}`, line);
      }
      // `system`, `miniconda3-…`, `anaconda3-…`, `graalpy-…`, virtualenv names: nothing to judge.
    }
  }),
};
