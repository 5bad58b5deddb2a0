/**
 * GitHub Actions workflows (`.github/workflows/*.y(a)ml`): runtimes pinned by setup actions
 * (`actions/setup-node|python|go|java|dotnet`, `ruby/setup-ruby`, `shivammathur/setup-php`,
 * `hashicorp/setup-terraform`, `denoland/setup-deno`, `oven-sh/setup-bun`, `erlef/setup-beam`),
 * runner OS labels (`runs-on: ubuntu-20.04` → Ubuntu 20.04; `*-latest` names no release), and the
 * images of `container:` and `services:`. `${{ matrix.x }}` is expanded from the job's
 * `strategy.matrix` (its lists and `include` entries: each value is one component, at its own
 * line) and `${{ env.X }}` from workflow and job `env`; other expressions are skipped. Multi-line
 * version inputs give one component a line. All are development components (CI).
 */
import { javaProductForVendor } from '../../../eol/products.js';
import type { Extractor } from '../model.js';
import { guarded, MAX_VALUE_CHARS, runtimeComponent, type Results } from './runtime-support.js';
import { get, isMap, isScalar, isSeq, text, type TreeMap, type TreeNode } from './runtime-tree.js';
import { parseYamlDocuments } from './runtime-yaml.js';

export function isWorkflowFile(path: string): boolean {
  return /^\.github\/workflows\/[^/]+\.ya?ml$/i.test(path);
}

interface SetupInput {
  input: string;
  name: string;
  product: string | null;
}

/** Setup actions and the inputs that pin a version. Java's product comes from `distribution`. */
const SETUP_ACTIONS: Readonly<Record<string, readonly SetupInput[]>> = {
  'actions/setup-node': [{ input: 'node-version', name: 'node', product: 'nodejs' }],
  'actions/setup-python': [{ input: 'python-version', name: 'python', product: 'python' }],
  'actions/setup-go': [{ input: 'go-version', name: 'go', product: 'go' }],
  'actions/setup-java': [{ input: 'java-version', name: 'java', product: null }],
  'actions/setup-dotnet': [{ input: 'dotnet-version', name: 'dotnet', product: 'dotnet' }],
  'ruby/setup-ruby': [{ input: 'ruby-version', name: 'ruby', product: 'ruby' }],
  'shivammathur/setup-php': [{ input: 'php-version', name: 'php', product: 'php' }],
  'hashicorp/setup-terraform': [{ input: 'terraform_version', name: 'terraform', product: 'terraform' }],
  'denoland/setup-deno': [{ input: 'deno-version', name: 'deno', product: 'deno' }],
  'oven-sh/setup-bun': [{ input: 'bun-version', name: 'bun', product: 'bun' }],
  'erlef/setup-beam': [
    { input: 'otp-version', name: 'erlang', product: 'erlang' },
    { input: 'elixir-version', name: 'elixir', product: 'elixir' },
  ],
};

/** Inputs that name a file to read the version from, not a version. */
const VERSION_FILE = /(?:^|\/)(?:\.nvmrc|\.node-version|\.python-version|\.ruby-version|\.tool-versions|\.java-version|package\.json|go\.mod|go\.work|global\.json|pyproject\.toml|mise\.toml)$/;

interface Located {
  value: string;
  line: number;
}

interface Scope {
  env: ReadonlyMap<string, string>;
  matrix: TreeMap | null;
}

/** Values of `matrix.<key>[.<path>]`: the list under the key, or the key in `include` entries. */
function matrixValues(matrix: TreeMap | null, key: string, path: readonly string[]): Located[] {
  if (!matrix) return [];
  const out: Located[] = [];
  const push = (node: TreeNode | undefined): void => {
    const target = path.length > 0 ? get(node, ...path) : node;
    const value = text(target);
    if (value !== null && target !== undefined) out.push({ value, line: target.line });
  };
  const list = matrix.entries.get(key);
  if (isSeq(list)) for (const item of list.items) push(item);
  else if (list !== undefined) push(list);
  const include = matrix.entries.get('include');
  if (isSeq(include)) for (const entry of include.items) if (isMap(entry) && entry.entries.has(key)) push(entry.entries.get(key));
  const seen = new Set<string>();
  return out.filter((entry) => {
    const id = `${entry.value}\0${entry.line}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

const EXPRESSION = /\$\{\{\s*([^}]*?)\s*\}\}/g;

/**
 * A value with its expressions resolved: `env.X` substituted, one `matrix.x` expanded to each of
 * its values. Empty when another kind of expression remains (inputs, outputs, functions).
 */
function resolve(node: TreeNode | undefined, scope: Scope): Located[] {
  const written = text(node);
  if (written === null || node === undefined || written.length > 1000) return [];
  if (!written.includes('${{')) return [{ value: written, line: node.line }];
  let matrixRef: { key: string; path: string[]; expression: string } | null = null;
  let unresolvable = false;
  const withEnv = written.replace(EXPRESSION, (whole, expression: string) => {
    const env = /^env\.([A-Za-z_][\w-]*)$/.exec(expression);
    if (env) {
      const value = scope.env.get(env[1]!);
      if (value === undefined || value.includes('${{')) unresolvable = true;
      return value ?? whole;
    }
    const matrix = /^matrix\.([\w-]+)((?:\.[\w-]+)*)$/.exec(expression);
    if (matrix) {
      const ref = { key: matrix[1]!, path: matrix[2]! === '' ? [] : matrix[2]!.slice(1).split('.'), expression: whole };
      if (matrixRef !== null && (matrixRef.key !== ref.key || matrixRef.path.join('.') !== ref.path.join('.'))) unresolvable = true;
      matrixRef = ref;
      return whole;
    }
    unresolvable = true;
    return whole;
  });
  if (unresolvable) return [];
  if (matrixRef === null) return [{ value: withEnv, line: node.line }];
  const ref: { key: string; path: string[]; expression: string } = matrixRef;
  return matrixValues(scope.matrix, ref.key, ref.path)
    .filter((entry) => !entry.value.includes('${{'))
    .map((entry) => ({ value: withEnv.split(ref.expression).join(entry.value), line: entry.line }));
}

/** One value a line for multi-line inputs (`python-version: |` then `3.10` / `3.11`). */
function lines(located: Located, node: TreeNode | undefined): Located[] {
  if (!located.value.includes('\n')) return [located];
  const block = isScalar(node) && node.block === true;
  return located.value
    .split('\n')
    .map((value, index) => ({ value: value.trim(), line: located.line + (block ? 1 : 0) + index }))
    .filter((entry) => entry.value !== '');
}

function mapOf(node: TreeNode | undefined, into: Map<string, string>): Map<string, string> {
  if (!isMap(node)) return into;
  for (const [key, value] of node.entries) {
    const written = text(value);
    if (written !== null) into.set(key, written);
  }
  return into;
}

/** `ubuntu-20.04` → Ubuntu 20.04, `windows-2022` → Windows Server 2022, `macos-14` → macOS 14. */
function runnerComponent(results: Results, label: Located): void {
  const value = label.value.trim().toLowerCase();
  let match: RegExpExecArray | null;
  if ((match = /^ubuntu-(\d{2}\.\d{2})(?:-arm)?$/.exec(value))) {
    results.add(runtimeComponent({ name: 'ubuntu', value: match[1]!, product: 'ubuntu', path: results.path, line: label.line, dev: true, kind: 'os' }));
  } else if ((match = /^windows-(\d{4})$/.exec(value))) {
    results.add(runtimeComponent({ name: 'windows-server', value: match[1]!, product: 'windows-server', path: results.path, line: label.line, dev: true, kind: 'os' }));
  } else if ((match = /^macos-(\d+)(?:-(?:large|xlarge|xl|arm64|intel))?$/.exec(value))) {
    results.add(runtimeComponent({ name: 'macos', value: match[1]!, product: 'macos', path: results.path, line: label.line, dev: true, kind: 'os' }));
  }
}

function readRunsOn(results: Results, node: TreeNode | undefined, scope: Scope): void {
  const labels = isMap(node) ? get(node, 'labels') : node;
  const items = isSeq(labels) ? labels.items : labels === undefined ? [] : [labels];
  for (const item of items) for (const label of resolve(item, scope)) runnerComponent(results, label);
}

function readImage(results: Results, node: TreeNode | undefined, scope: Scope): void {
  const target = isMap(node) ? get(node, 'image') : node;
  for (const image of resolve(target, scope)) results.image(image.value, image.line, { dev: true });
}

function readStep(results: Results, step: TreeNode, scope: Scope): void {
  const uses = text(get(step, 'uses'));
  if (uses === null) return;
  const action = uses.replace(/@.*$/, '').toLowerCase();
  const inputs = SETUP_ACTIONS[action];
  if (!inputs) return;
  const withNode = get(step, 'with');
  if (!isMap(withNode)) return;
  const stepScope: Scope = { env: mapOf(get(step, 'env'), new Map(scope.env)), matrix: scope.matrix };
  for (const { input, name, product } of inputs) {
    const node = withNode.entries.get(input);
    if (node === undefined) continue;
    const values = (isSeq(node) ? node.items : [node]).flatMap((item) => resolve(item, stepScope).flatMap((located) => lines(located, item)));
    let products: Array<string | null> = [product];
    if (action === 'actions/setup-java') {
      const vendors = resolve(withNode.entries.get('distribution'), stepScope).map((located) => located.value);
      products = [...new Set((vendors.length > 0 ? vendors : [null]).map((vendor) => javaProductForVendor(vendor)))];
    }
    for (const located of values) {
      const value = located.value.replace(/^['"]|['"]$/g, '');
      if (value === '' || value.length > MAX_VALUE_CHARS || VERSION_FILE.test(value)) continue;
      for (const target of products) {
        results.add(runtimeComponent({ name, value, product: target, path: results.path, line: located.line, dev: true, kind: 'runtime' }));
      }
    }
  }
}

function readWorkflow(results: Results, root: TreeMap): void {
  const workflowEnv = mapOf(get(root, 'env'), new Map());
  const jobs = get(root, 'jobs');
  if (!isMap(jobs)) return;
  for (const job of jobs.entries.values()) {
    if (!isMap(job)) continue;
    const matrix = get(job, 'strategy', 'matrix');
    const scope: Scope = { env: mapOf(get(job, 'env'), new Map(workflowEnv)), matrix: isMap(matrix) ? matrix : null };
    readRunsOn(results, get(job, 'runs-on'), scope);
    readImage(results, get(job, 'container'), scope);
    const services = get(job, 'services');
    if (isMap(services)) for (const service of services.entries.values()) readImage(results, service, scope);
    const steps = get(job, 'steps');
    if (isSeq(steps)) for (const step of steps.items) readStep(results, step, scope);
  }
}

export const githubActionsExtractor: Extractor = {
  id: 'github-actions',
  fileRequired: isWorkflowFile,
  extract: guarded((results, { text: source }) => {
    const parsed = parseYamlDocuments(source);
    for (const error of parsed.errors) results.error(error.message, error.line);
    for (const document of parsed.documents) if (isMap(document)) readWorkflow(results, document);
  }),
};
