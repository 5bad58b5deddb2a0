/**
 * Kubernetes manifests: any YAML (multi-document) whose documents have `apiVersion` and `kind`.
 * The images of every `containers`, `initContainers` and `ephemeralContainers` list anywhere in
 * the document: pods, deployments, statefulsets, daemonsets, jobs, cronjobs, replica sets and the
 * custom resources that embed pod templates. Helm templates and other templated values
 * (`{{ .Values.image }}`) are skipped without error.
 */
import type { Extractor } from '../model.js';
import { isComposeFile } from './compose.js';
import { isGitlabCiFile } from './gitlab-ci.js';
import { isHelmValuesFile } from './helm-values.js';
import { baseName, guarded } from './runtime-support.js';
import { get, isMap, isSeq, text, walk } from './runtime-tree.js';
import { parseYamlDocuments } from './runtime-yaml.js';

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
/** YAML files that are never manifests (and can be large). */
const NOT_MANIFESTS = new Set(['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'yarn.lock', '.pre-commit-config.yaml', 'mkdocs.yml', 'chart.yaml', 'chart.lock', 'dependabot.yml', 'codecov.yml', '.travis.yml', 'environment.yml', 'environment.yaml', 'prodeng.yml', 'prodeng.yaml']);

function isCandidate(path: string): boolean {
  const name = baseName(path).toLowerCase();
  if (!name.endsWith('.yaml') && !name.endsWith('.yml')) return false;
  if (NOT_MANIFESTS.has(name) || path.startsWith('.github/') || path.includes('/.github/')) return false;
  return !isComposeFile(path) && !isGitlabCiFile(path) && !isHelmValuesFile(path);
}

export const kubernetesExtractor: Extractor = {
  id: 'kubernetes',
  fileRequired: isCandidate,
  extract: guarded((results, { text: source }) => {
    // Cheap test first: most YAML files are not manifests.
    if (!/^[ \t]*apiVersion[ \t]*:/m.test(source) || !/^[ \t]*kind[ \t]*:/m.test(source)) return;
    const templated = source.includes('{{');
    const parsed = parseYamlDocuments(source);
    if (!templated) for (const error of parsed.errors) results.error(error.message, error.line);
    for (const document of parsed.documents) {
      if (!isMap(document) || text(get(document, 'apiVersion')) === null || text(get(document, 'kind')) === null) continue;
      walk(document, (node, key) => {
        if (key === null || !CONTAINER_LISTS.has(key) || !isSeq(node)) return;
        for (const container of node.items) {
          const image = get(container, 'image');
          const written = text(image);
          if (written !== null && image !== undefined) results.image(written, image.line, { dev: false });
        }
      });
    }
  }),
};
