/**
 * GitLab CI (`.gitlab-ci.yml`, `*.gitlab-ci.yml`, files under `.gitlab/ci/`): the `image` (string,
 * or `{ name }`) and `services` (strings or `{ name }`) of the pipeline's `default`, of the
 * top level (deprecated globals) and of every job, hidden templates included. `$VAR`/`${VAR}` are
 * resolved from top-level and job `variables`; images that still hold a variable
 * (`$CI_REGISTRY_IMAGE`) are skipped. All are development components (CI).
 */
import type { Extractor } from '../model.js';
import { baseName, guarded, substitute, type Results } from './runtime-support.js';
import { get, isMap, isSeq, text, type TreeMap, type TreeNode } from './runtime-tree.js';
import { parseYamlDocuments } from './runtime-yaml.js';

export function isGitlabCiFile(path: string): boolean {
  const name = baseName(path).toLowerCase();
  if (name === '.gitlab-ci.yml' || name === '.gitlab-ci.yaml' || name.endsWith('.gitlab-ci.yml') || name.endsWith('.gitlab-ci.yaml')) return true;
  return (path.startsWith('.gitlab/ci/') || path.includes('/.gitlab/ci/')) && /\.ya?ml$/.test(name);
}

/** Top-level keys that are not jobs. */
const GLOBAL_KEYWORDS = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script', 'spec']);

function variablesOf(node: TreeNode | undefined, into: Map<string, string>): Map<string, string> {
  if (!isMap(node)) return into;
  for (const [name, value] of node.entries) {
    const written = text(isMap(value) ? get(value, 'value') : value);
    if (written !== null) into.set(name, written);
  }
  return into;
}

function addImage(results: Results, node: TreeNode | undefined, variables: ReadonlyMap<string, string>): void {
  const target = isMap(node) ? get(node, 'name') : node;
  const written = text(target);
  if (written === null || target === undefined) return;
  const resolved = substitute(written, variables);
  if (resolved === null) return;
  results.image(resolved, target.line, { dev: true });
}

function addServices(results: Results, node: TreeNode | undefined, variables: ReadonlyMap<string, string>): void {
  if (!isSeq(node)) return;
  for (const service of node.items) addImage(results, service, variables);
}

function readPipeline(results: Results, root: TreeMap): void {
  const globals = variablesOf(get(root, 'variables'), new Map());
  addImage(results, get(root, 'image'), globals);
  addServices(results, get(root, 'services'), globals);
  addImage(results, get(root, 'default', 'image'), globals);
  addServices(results, get(root, 'default', 'services'), globals);
  for (const [name, job] of root.entries) {
    if (GLOBAL_KEYWORDS.has(name) || !isMap(job)) continue;
    const variables = variablesOf(get(job, 'variables'), new Map(globals));
    addImage(results, get(job, 'image'), variables);
    addServices(results, get(job, 'services'), variables);
  }
}

export const gitlabCiExtractor: Extractor = {
  id: 'gitlab-ci',
  fileRequired: isGitlabCiFile,
  extract: guarded((results, { text: source }) => {
    const parsed = parseYamlDocuments(source);
    for (const error of parsed.errors) results.error(error.message, error.line);
    // A file with `spec:` inputs has a header document; every map document is read.
    for (const document of parsed.documents) if (isMap(document)) readPipeline(results, document);
  }),
};
