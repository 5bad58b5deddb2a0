/**
 * Helm values files (`values.yaml`, `values-prod.yaml`, `values.prod.yml`): every `image` (and
 * `*Image`) anywhere in the tree, written as `image: "repo:tag"` or
 * `image: { registry, repository, tag, digest }` (`name` for `repository` too). Templated values
 * are skipped; a map without a tag takes the chart's appVersion, so it gets no constraint.
 */
import type { Extractor } from '../model.js';
import { baseName, guarded } from './runtime-support.js';
import { get, isMap, isScalar, text, walk } from './runtime-tree.js';
import { parseYamlDocuments } from './runtime-yaml.js';

export function isHelmValuesFile(path: string): boolean {
  return /^values(?:[.-][\w.-]+)?\.ya?ml$/i.test(baseName(path));
}

export const helmValuesExtractor: Extractor = {
  id: 'helm-values',
  fileRequired: isHelmValuesFile,
  extract: guarded((results, { text: source }) => {
    const parsed = parseYamlDocuments(source);
    for (const error of parsed.errors) results.error(error.message, error.line);
    for (const document of parsed.documents) {
      walk(document, (node, key) => {
        if (key === null || !/image$/i.test(key)) return;
        if (isScalar(node)) {
          const written = text(node);
          // `image: nginx:1.25` or `image: docker.io/bitnami/redis:7.2`; skip flags and plain words that are not references.
          if (written !== null && typeof node.value === 'string' && (written.includes(':') || written.includes('/'))) results.image(written, node.line, { dev: false });
          return;
        }
        if (!isMap(node)) return;
        const repositoryNode = get(node, 'repository') ?? get(node, 'name');
        const repository = text(repositoryNode);
        if (repository === null || repositoryNode === undefined) return;
        const registry = text(get(node, 'registry'));
        const tag = text(get(node, 'tag'));
        const digest = text(get(node, 'digest'));
        const base = registry !== null && !repository.startsWith(`${registry}/`) ? `${registry}/${repository}` : repository;
        const reference = `${base}${tag !== null ? `:${tag}` : ''}${digest !== null ? `@${digest}` : ''}`;
        const before = results.components.length;
        results.image(reference, repositoryNode.line, { dev: false });
        if (tag === null && digest === null) {
          // No tag here means the chart's appVersion, not `latest`.
          for (const component of results.components.slice(before)) if (component.constraint === 'latest') delete component.constraint;
        }
      });
    }
  }),
};
