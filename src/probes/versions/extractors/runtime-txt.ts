/**
 * `runtime.txt` (Heroku and similar platforms): `python-3.11.4`; also `ruby-3.2.2`, `php-8.2`,
 * `nodejs-18`, `java-17`, `go-1.21`.
 */
import { productForRuntime } from '../../../eol/products.js';
import type { Extractor } from '../model.js';
import { baseName, firstValue, guarded, runtimeComponent, shortEnough } from './runtime-support.js';

export const runtimeTxtExtractor: Extractor = {
  id: 'runtime-txt',
  fileRequired: (path) => baseName(path) === 'runtime.txt',
  extract: guarded((results, { text }) => {
    const first = firstValue(text);
    if (!first || !shortEnough(results, first.value, first.line, 'a runtime declaration')) return;
    const match = /^([a-z][a-z0-9]*)-(\d[\w.+-]*)$/i.exec(first.value);
    if (!match) {
      results.error(`not a runtime declaration like python-3.11.4: ${JSON.stringify(first.value.slice(0, 80))}`, first.line);
      return;
    }
    const runtime = match[1]!.toLowerCase();
    const name = runtime === 'nodejs' ? 'node' : runtime === 'golang' ? 'go' : runtime;
    results.add(runtimeComponent({ name, value: match[2]!, product: productForRuntime(runtime), path: results.path, line: first.line }));
  }),
};
