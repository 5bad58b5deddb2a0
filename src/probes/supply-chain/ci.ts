/**
 * CI configuration other than GitHub Actions: GitLab CI (`.gitlab-ci.yml`, `*.gitlab-ci.yml`,
 * YAML under `.gitlab/`), CircleCI, Azure Pipelines, Bitbucket Pipelines, Travis CI, Drone,
 * Woodpecker and Buildkite. Script values (under `script`, `before_script`, `after_script`, `run`,
 * `command(s)`, `bash`, `sh`, `pwsh`, `powershell`, `install`, `before_install`…) go to the command
 * rules; `image:` values (a string, or a map with `name`) to `unpinned-image`, except machine and VM
 * images (CircleCI `machine:`, Azure `vmImage`).
 */
import { isMap, isScalar, isSeq, type TreeNode } from '../versions/extractors/runtime-tree.js';
import { parseYamlDocuments } from '../versions/extractors/runtime-yaml.js';
import { imageHit, shellHitToHit, type Redact } from './evidence.js';
import type { Analysis } from './model.js';
import { analyseScript } from './shell.js';

export function isCiConfigPath(path: string): boolean {
  const lower = path.toLowerCase();
  const name = lower.slice(lower.lastIndexOf('/') + 1);
  const yaml = /\.ya?ml$/.test(name);
  if (!yaml) return false;
  return (
    name === '.gitlab-ci.yml' ||
    name.endsWith('.gitlab-ci.yml') ||
    (lower.startsWith('.gitlab/') && !lower.startsWith('.gitlab/issue_templates/') && !lower.startsWith('.gitlab/merge_request_templates/')) ||
    lower === '.circleci/config.yml' ||
    name.startsWith('azure-pipelines') ||
    lower.startsWith('.azure-pipelines/') ||
    name === 'bitbucket-pipelines.yml' ||
    name === '.travis.yml' ||
    name === '.drone.yml' ||
    name === '.woodpecker.yml' ||
    lower.startsWith('.woodpecker/') ||
    lower.startsWith('.buildkite/')
  );
}

const SCRIPT_KEYS = new Set([
  'script',
  'before_script',
  'after_script',
  'run',
  'command',
  'commands',
  'bash',
  'sh',
  'pwsh',
  'powershell',
  'install',
  'before_install',
  'after_success',
  'after_failure',
  'before_deploy',
  'after_deploy',
]);
const NOT_CONTAINER_IMAGES = new Set(['machine', 'pool', 'macos', 'vm']);

interface Item {
  node: TreeNode;
  key: string | null;
  parentKey: string | null;
  inScript: boolean;
}

export function analyseCiConfig(path: string, source: string, redact: Redact, yarnBerry: boolean): Analysis {
  const analysis: Analysis = { hits: [], errors: [] };
  const parsed = parseYamlDocuments(source);
  analysis.errors.push(...parsed.errors.map((error) => ({ ...error, code: 'yaml' })));
  for (const document of parsed.documents) {
    const stack: Item[] = [{ node: document, key: null, parentKey: null, inScript: false }];
    while (stack.length > 0) {
      const { node, key, parentKey, inScript } = stack.pop()!;
      if (isScalar(node)) {
        if (typeof node.value !== 'string') continue;
        if (inScript) {
          const line = node.line + (node.block === true ? 1 : 0);
          for (const hit of analyseScript(node.value, line, { context: 'ci', yarnBerry })) analysis.hits.push(shellHitToHit(path, hit, 'ci', redact));
        } else if (key === 'image' && parentKey !== null && !NOT_CONTAINER_IMAGES.has(parentKey)) {
          imageOf(path, node.value, node.line, redact, analysis);
        } else if (key === 'name' && (parentKey === 'image' || parentKey === 'services')) {
          imageOf(path, node.value, node.line, redact, analysis);
        }
        continue;
      }
      if (isSeq(node)) {
        // GitLab `services: [postgres:16]`: plain strings are images.
        for (let index = node.items.length - 1; index >= 0; index--) {
          const item = node.items[index]!;
          const serviceImage = key === 'services' && isScalar(item) && !inScript;
          stack.push({ node: item, key: serviceImage ? 'image' : key, parentKey: serviceImage ? 'services' : parentKey, inScript });
        }
        continue;
      }
      if (isMap(node)) {
        const entries = [...node.entries];
        for (let index = entries.length - 1; index >= 0; index--) {
          const [childKey, child] = entries[index]!;
          stack.push({ node: child, key: childKey, parentKey: key ?? '', inScript: SCRIPT_KEYS.has(childKey) });
        }
      }
    }
  }
  return analysis;
}

function imageOf(path: string, value: string, line: number, redact: Redact, analysis: Analysis): void {
  const image = value.trim();
  // Variables ($IMAGE, ${CI_REGISTRY_IMAGE}) are resolved at run time.
  if (image === '' || image.includes('$') || image.includes('{{')) return;
  const hit = imageHit(path, line, image, 'ci-image', redact);
  if (hit !== null) analysis.hits.push(hit);
}
