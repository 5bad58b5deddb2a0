/**
 * What the `versions` probe inventories: components (an OS, a runtime, a middleware, a container
 * runtime, a library, a framework) found in a repository's files or on a host, and the contract
 * of the extractors that find them.
 */

/** Package ecosystems with a registry and a version ordering (OSV ecosystem names in comments). */
export const ECOSYSTEMS = ['npm', 'pypi', 'go', 'cargo', 'rubygems', 'packagist', 'maven', 'nuget'] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

export const COMPONENT_KINDS = ['os', 'runtime', 'middleware', 'container-runtime', 'library', 'framework'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/** Where a component was declared: repository-relative path (forward slashes) and 1-based line. */
export interface SourceRef {
  path: string;
  line?: number;
}

/**
 * One thing in the inventory.
 *
 * @example a library from a lockfile
 * { kind: 'library', name: 'lodash', version: '4.17.21', ecosystem: 'npm', direct: true, dev: false,
 *   source: { path: 'package-lock.json', line: 812 } }
 * @example a runtime from .nvmrc
 * { kind: 'runtime', name: 'node', version: null, constraint: '16', ecosystem: null, direct: true,
 *   dev: false, product: 'nodejs', cycle: '16', source: { path: '.nvmrc', line: 1 } }
 */
export interface Component {
  kind: ComponentKind;
  /** Package name (`@types/node`, `github.com/x/y`, `org.slf4j:slf4j-api`), or the product's name for runtimes and OS. */
  name: string;
  /** Exact version when known (a lockfile, an image tag that names one). */
  version: string | null;
  /** The declared requirement when no exact version is known (`^18`, `>=3.9`, `3.11`, `lts/*`). */
  constraint?: string;
  /** The package ecosystem of a library or framework; null for runtimes, OS, middleware. */
  ecosystem: Ecosystem | null;
  /** Declared by the project itself (not only pulled in by another package). */
  direct: boolean;
  /** Only used in development or tests. */
  dev: boolean;
  /** endoflife.date product id when the component maps to one (`nodejs`, `debian`, `django`). */
  product?: string;
  /** The product's release cycle (`16`, `10`, `3.9`), chosen the way the product numbers them. */
  cycle?: string;
  /** Package URL (https://github.com/package-url/purl-spec) when it can be formed. */
  purl?: string;
  source: SourceRef;
  /**
   * For lockfiles that record the dependency graph: this package's id in its file (unique there,
   * e.g. `node_modules/a/node_modules/b` or `name@version`) and the ids of the packages it
   * depends on. With them a transitive package's path from a direct dependency can be shown.
   */
  id?: string;
  dependsOn?: string[];
}

export interface ExtractError {
  message: string;
  line?: number;
}

export interface ExtractInput {
  /** Repository-relative path, forward slashes. */
  path: string;
  text: string;
}

export interface ExtractResult {
  components: Component[];
  /** File-scoped problems (malformed file, unsupported variant); the scan goes on. */
  errors: ExtractError[];
}

/**
 * One extractor per kind of file. `fileRequired` is called for every path of the repository and
 * must be cheap (no I/O, no regex backtracking); `extract` is called only for paths it accepted,
 * with the file's text, and must never throw.
 *
 * @example
 * export const nvmrcExtractor: Extractor = {
 *   id: 'nvmrc',
 *   fileRequired: (path) => basename(path) === '.nvmrc',
 *   extract: ({ path, text }) => ({ components: [...], errors: [] }),
 * };
 */
export interface Extractor {
  id: string;
  fileRequired(path: string): boolean;
  extract(input: ExtractInput): ExtractResult;
}
