/**
 * `.java-version` (jenv, jabba-style names): `17`, `17.0.8`, `1.8`, `temurin64-17.0.8`,
 * `corretto64-17.0.8.8.1`, `openjdk64-11.0.2`. The distribution decides the product; without one
 * it is {@link DEFAULT_JAVA_PRODUCT} (Eclipse Temurin).
 */
import { DEFAULT_JAVA_PRODUCT, javaProductForVendor } from '../../../eol/products.js';
import type { Extractor } from '../model.js';
import { baseName, firstValue, guarded, runtimeComponent, shortEnough } from './runtime-support.js';

export const javaVersionExtractor: Extractor = {
  id: 'java-version',
  fileRequired: (path) => baseName(path) === '.java-version',
  extract: guarded((results, { text }) => {
    const first = firstValue(text);
    if (!first || !shortEnough(results, first.value, first.line, 'a Java version')) return;
    const match = /^(?:([a-z][a-z-]*?)(?:64|32)?-)?(\d[\w.+-]*)$/i.exec(first.value);
    if (!match) {
      if (first.value.toLowerCase() !== 'system') {
        results.error(`not a Java version: ${JSON.stringify(first.value.slice(0, 80))}`, first.line);
      }
      return;
    }
    const product = match[1] ? javaProductForVendor(match[1]) : DEFAULT_JAVA_PRODUCT;
    results.add(runtimeComponent({ name: 'java', value: match[2]!, product, path: results.path, line: first.line, kind: 'runtime' }));
  }),
};
