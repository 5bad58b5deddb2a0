/**
 * `Gemfile` / `gems.rb`: the `ruby "3.2.2"` (or `ruby '~> 3.2.0'`) directive, as a Ruby runtime
 * component. `ruby file: ".ruby-version"` and computed versions give nothing (the file is read by
 * its own extractor). Gems are the library extractors' job.
 */
import type { Extractor } from '../model.js';
import { baseName, guarded, runtimeComponent } from './runtime-support.js';

const DIRECTIVE = /^\s*ruby\s*\(?\s*(["'])([^"'\n]{1,100})\1(.*)$/;

export const gemfileRubyExtractor: Extractor = {
  id: 'gemfile-ruby',
  fileRequired: (path) => {
    const name = baseName(path);
    return name === 'Gemfile' || name === 'gems.rb';
  },
  extract: guarded((results, { text }) => {
    const lines = text.split(/\r?\n/);
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index]!;
      if (line.length > 1000 || !/^\s*ruby\b/.test(line)) continue;
      const match = DIRECTIVE.exec(line);
      if (!match) continue;
      const engine = /engine:\s*["']?(\w+)/.exec(match[3]!)?.[1]?.toLowerCase();
      const engineVersion = /engine_version:\s*["']([^"']{1,100})["']/.exec(match[3]!)?.[1];
      if (engine === 'jruby' && engineVersion) {
        results.add(runtimeComponent({ name: 'jruby', value: engineVersion, product: 'jruby', path: results.path, line: index + 1 }));
        continue;
      }
      results.add(runtimeComponent({ name: 'ruby', value: match[2]!.trim(), product: 'ruby', path: results.path, line: index + 1 }));
      return; // one ruby directive per Gemfile
    }
  }),
};
