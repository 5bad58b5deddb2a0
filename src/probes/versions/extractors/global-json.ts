/**
 * `global.json` (.NET): the SDK a repository builds with — `sdk.version` (`8.0.100`) → product
 * `dotnet`, cycle 8. JSON with comments, as the .NET host accepts it.
 */
import type { Extractor } from '../model.js';
import { JsonSyntaxError, parseJsonTree } from './runtime-json.js';
import { baseName, guarded, MAX_VALUE_CHARS, runtimeComponent } from './runtime-support.js';
import { get, isMap, text, type TreeNode } from './runtime-tree.js';

export const globalJsonExtractor: Extractor = {
  id: 'global-json',
  fileRequired: (path) => baseName(path) === 'global.json',
  extract: guarded((results, { text: source }) => {
    let root: TreeNode;
    try {
      root = parseJsonTree(source, { jsonc: true });
    } catch (error) {
      results.error(`not valid JSON: ${(error as Error).message}`, error instanceof JsonSyntaxError ? error.line : undefined);
      return;
    }
    if (!isMap(root)) return;
    const node = get(root, 'sdk', 'version');
    if (node === undefined) return;
    const value = text(node);
    if (value === null || value.length > MAX_VALUE_CHARS || !/^\d/.test(value)) {
      results.error('sdk.version is not a .NET SDK version', node.line);
      return;
    }
    results.add(runtimeComponent({ name: 'dotnet-sdk', value, product: 'dotnet', path: results.path, line: node.line }));
  }),
};
