/**
 * `.ruby-version` (rbenv, rvm, chruby): `3.2.2`, `ruby-3.2.2`, `jruby-9.4.3.0`. TruffleRuby and
 * other engines give a component without product.
 */
import type { Extractor } from '../model.js';
import { baseName, firstValue, guarded, runtimeComponent, shortEnough } from './runtime-support.js';

export const rubyVersionExtractor: Extractor = {
  id: 'ruby-version',
  fileRequired: (path) => baseName(path) === '.ruby-version',
  extract: guarded((results, { text }) => {
    const first = firstValue(text);
    if (!first || !shortEnough(results, first.value, first.line, 'a Ruby version')) return;
    const value = first.value.replace(/@.*$/, ''); // rvm gemset: `3.2.2@app`
    const match = /^(?:(ruby|jruby|truffleruby|mruby|rbx)-)?(\d[\w.-]*)$/i.exec(value);
    if (!match) {
      if (!/^(?:system|(?:ruby|jruby|truffleruby|mruby)(?:-head|-dev)?)$/i.test(value)) {
        results.error(`not a Ruby version: ${JSON.stringify(value.slice(0, 80))}`, first.line);
      }
      return;
    }
    const engine = (match[1] ?? 'ruby').toLowerCase();
    const product = engine === 'ruby' ? 'ruby' : engine === 'jruby' ? 'jruby' : null;
    results.add(runtimeComponent({ name: engine, value: match[2]!, product, path: results.path, line: first.line }));
  }),
};
