/**
 * asdf `.tool-versions`: `<tool> <version> [<fallback versions>…]` a line, `#` comments. Every
 * listed version of a tracked tool is one component (`nodejs 18.17.0 16.20.0` gives two).
 */
import type { Extractor } from '../model.js';
import { baseName, guarded, MAX_VALUE_CHARS } from './runtime-support.js';
import { toolComponent } from './runtime-tools.js';

export const toolVersionsExtractor: Extractor = {
  id: 'tool-versions',
  fileRequired: (path) => baseName(path) === '.tool-versions',
  extract: guarded((results, { text }) => {
    const lines = text.split(/\r?\n/);
    for (let index = 0; index < lines.length; index++) {
      const content = lines[index]!.replace(/(^|\s)#.*$/, '').trim();
      if (content === '') continue;
      if (content.length > 4 * MAX_VALUE_CHARS) {
        results.error(`line too long for a tool and its versions (${content.length} characters)`, index + 1);
        continue;
      }
      const [tool, ...versions] = content.split(/\s+/);
      if (!tool || versions.length === 0 || !/^[A-Za-z0-9][\w.:/-]*$/.test(tool)) {
        results.error(`expected "<tool> <version>", got ${JSON.stringify(content.slice(0, 80))}`, index + 1);
        continue;
      }
      for (const version of versions) results.add(toolComponent(tool, version, { path: results.path, line: index + 1 }));
    }
  }),
};
