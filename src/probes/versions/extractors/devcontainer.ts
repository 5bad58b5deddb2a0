/**
 * Dev containers (`.devcontainer/devcontainer.json`, `.devcontainer/<name>/devcontainer.json`,
 * `.devcontainer.json`): JSON with comments. The `image`, and the runtimes pinned by features
 * (`ghcr.io/devcontainers/features/node:1` with `{ "version": "18" }`; python, go, java, ruby,
 * rust, dotnet, php, terraform, docker-in-docker). A Dockerfile or compose file it builds from is
 * read by its own extractor. All are development components.
 */
import { javaProductForVendor } from '../../../eol/products.js';
import type { Extractor } from '../model.js';
import { JsonSyntaxError, parseJsonTree } from './runtime-json.js';
import { baseName, guarded, MAX_VALUE_CHARS, runtimeComponent } from './runtime-support.js';
import { get, isMap, text, type TreeNode } from './runtime-tree.js';

function isDevcontainerFile(path: string): boolean {
  const name = baseName(path);
  if (name === '.devcontainer.json') return true;
  return name === 'devcontainer.json' && (path.startsWith('.devcontainer/') || path.includes('/.devcontainer/'));
}

/** Feature (last path segment, without version) → component name and product. */
const FEATURES: Readonly<Record<string, { name: string; product: string | null }>> = {
  node: { name: 'node', product: 'nodejs' },
  python: { name: 'python', product: 'python' },
  go: { name: 'go', product: 'go' },
  golang: { name: 'go', product: 'go' },
  java: { name: 'java', product: null },
  ruby: { name: 'ruby', product: 'ruby' },
  rust: { name: 'rust', product: 'rust' },
  dotnet: { name: 'dotnet', product: 'dotnet' },
  php: { name: 'php', product: 'php' },
  terraform: { name: 'terraform', product: 'terraform' },
  'docker-in-docker': { name: 'docker', product: 'docker-engine' },
  'docker-outside-of-docker': { name: 'docker', product: 'docker-engine' },
};

/** Feature option values that pin nothing. */
const NO_VERSION = new Set(['none', 'os-provided', '']);

export const devcontainerExtractor: Extractor = {
  id: 'devcontainer',
  fileRequired: isDevcontainerFile,
  extract: guarded((results, { text: source }) => {
    let root: TreeNode;
    try {
      root = parseJsonTree(source, { jsonc: true });
    } catch (error) {
      results.error(`not valid JSON: ${(error as Error).message}`, error instanceof JsonSyntaxError ? error.line : undefined);
      return;
    }
    if (!isMap(root)) return;
    const image = get(root, 'image');
    const written = text(image);
    if (written !== null && image !== undefined) results.image(written, image.line, { dev: true });
    const features = get(root, 'features');
    if (!isMap(features)) return;
    for (const [id, options] of features.entries) {
      const feature = /([a-z0-9-]+)(?::[\w.-]+|@sha256:[0-9a-f]+)?$/i.exec(id.split('/').pop() ?? '')?.[1]?.toLowerCase();
      const known = feature === undefined ? undefined : FEATURES[feature];
      if (!known) continue;
      const versionNode = isMap(options) ? get(options, 'version') : options;
      const version = text(versionNode) ?? 'latest';
      if (NO_VERSION.has(version.toLowerCase()) || version.length > MAX_VALUE_CHARS) continue;
      const line = versionNode?.line ?? features.keyLines.get(id) ?? features.line;
      const product = known.name === 'java' ? javaProductForVendor(text(get(options, 'jdkDistro')) ?? 'microsoft') : known.product;
      results.add(runtimeComponent({ name: known.name, value: version, product, path: results.path, line, dev: true }));
    }
  }),
};
