/**
 * Compose files (`docker-compose*.y(a)ml`, `compose*.y(a)ml`): `services.*.image`, with
 * `${VAR:-default}` / `${VAR-default}` taking their default and anchors, aliases and `<<` merges
 * resolved. An image with a variable that has no default is skipped. Files named for dev, test or
 * CI (`docker-compose.dev.yml`, `compose.test.yaml`) give development components.
 */
import type { Extractor } from '../model.js';
import { baseName, guarded, substitute } from './runtime-support.js';
import { get, isMap, text } from './runtime-tree.js';
import { parseYamlDocuments } from './runtime-yaml.js';

export function isComposeFile(path: string): boolean {
  return /^(?:docker-)?compose(?:[.-][\w.-]*)?\.ya?ml$/i.test(baseName(path));
}

const NO_VARIABLES: ReadonlyMap<string, string> = new Map();

export const composeExtractor: Extractor = {
  id: 'compose',
  fileRequired: isComposeFile,
  extract: guarded((results, { path, text: source }) => {
    const dev = /(?:^|[.-])(?:dev|devel|development|test|tests|ci|local)(?:[.-])/i.test(baseName(path).replace(/^(?:docker-)?compose/i, ''));
    const parsed = parseYamlDocuments(source);
    for (const error of parsed.errors) results.error(error.message, error.line);
    for (const document of parsed.documents) {
      const services = get(document, 'services');
      if (!isMap(services)) continue;
      for (const service of services.entries.values()) {
        const image = get(service, 'image');
        const written = text(image);
        if (written === null || image === undefined) continue;
        const resolved = substitute(written, NO_VARIABLES);
        if (resolved === null) continue; // `${TAG}` without a default: set at run time
        results.image(resolved, image.line, { dev });
      }
    }
  }),
};
