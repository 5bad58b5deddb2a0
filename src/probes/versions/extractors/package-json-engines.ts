/**
 * `package.json`: the Node.js a package runs on — `engines.node` (a requirement: `>=18`,
 * `^16 || ^18`) and Volta's pin `volta.node` (an exact version). Only the runtime: dependencies
 * are read by the library extractor of `package.json`. Files under `node_modules/` are skipped.
 */
import type { Extractor } from '../model.js';
import { JsonSyntaxError, parseJsonTree } from './runtime-json.js';
import { baseName, guarded, MAX_VALUE_CHARS, runtimeComponent } from './runtime-support.js';
import { get, isMap, text, type TreeNode } from './runtime-tree.js';

export const packageJsonEnginesExtractor: Extractor = {
  id: 'package-json-engines',
  fileRequired: (path) => baseName(path) === 'package.json' && !path.startsWith('node_modules/') && !path.includes('/node_modules/'),
  extract: guarded((results, { text: source }) => {
    let root: TreeNode;
    try {
      root = parseJsonTree(source);
    } catch (error) {
      results.error(`not valid JSON: ${(error as Error).message}`, error instanceof JsonSyntaxError ? error.line : undefined);
      return;
    }
    if (!isMap(root)) return;
    for (const [path, where] of [
      [['engines', 'node'], 'engines.node'],
      [['volta', 'node'], 'volta.node'],
    ] as const) {
      const node = get(root, ...path);
      if (node === undefined) continue;
      const value = text(node);
      if (value === null || value.length > MAX_VALUE_CHARS) {
        results.error(`${where} is not a version or requirement`, node.line);
        continue;
      }
      if (value === '*' || value === 'x') continue;
      results.add(runtimeComponent({ name: 'node', value, product: 'nodejs', path: results.path, line: node.line }));
    }
  }),
};
