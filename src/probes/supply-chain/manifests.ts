/**
 * Manifests and their lockfiles: `missing-lockfile` (a manifest that declares dependencies with no
 * lockfile beside it or at its workspace root) and `lockfile-out-of-sync` (package.json against
 * package-lock.json v1–v3 / npm-shrinkwrap.json, yarn.lock v1 and berry, pnpm-lock.yaml v5–v9; and
 * pyproject.toml against poetry.lock / uv.lock by package name).
 */
import picomatch from 'picomatch';
import { parse as parseToml } from 'smol-toml';
import { parseJsonWithLines, type JsonParseResult } from '../versions/extractors/library-json.js';
import { isNonRegistryRange, readSpecifier } from '../versions/extractors/library-npm.js';
import { parseLockYaml } from '../versions/extractors/library-yaml.js';
import { get, isSeq, text } from '../versions/extractors/runtime-tree.js';
import { parseYamlDocuments } from '../versions/extractors/runtime-yaml.js';
import type { Redact } from './evidence.js';
import type { FileError, Hit } from './model.js';
import { quote } from './model.js';
import { satisfies } from './npm-range.js';

export type ReadResult = { text: string } | { error: string; code: string };

export interface RepoView {
  /** Every listed, non-excluded path. */
  files: ReadonlySet<string>;
  /** Reads a manifest or lockfile (bounded by the configured sizes); cached by the caller. */
  read(path: string, kind: 'manifest' | 'lockfile'): ReadResult;
  redact: Redact;
}

export interface PathError extends FileError {
  path: string;
}

export interface ManifestAnalysis {
  hits: Hit[];
  errors: PathError[];
  manifests: number;
}

const MANIFESTS = new Set(['package.json', 'pyproject.toml', 'Pipfile', 'Gemfile', 'gems.rb', 'go.mod', 'Cargo.toml', 'composer.json']);

export function isManifestPath(path: string): boolean {
  return MANIFESTS.has(baseName(path));
}

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const dirName = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const join = (dir: string, name: string): string => (dir === '' ? name : `${dir}/${name}`);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Ancestor directories of `dir`, nearest first, ending with the root (''). */
function ancestors(dir: string): string[] {
  const out: string[] = [];
  let current = dir;
  while (current !== '') {
    current = dirName(current);
    out.push(current);
  }
  return out;
}

function relative(from: string, to: string): string {
  if (from === '') return to;
  return to === from ? '' : to.slice(from.length + 1);
}

class Context {
  readonly hits: Hit[] = [];
  readonly errors: PathError[] = [];
  private readonly json = new Map<string, JsonParseResult | null>();

  constructor(readonly view: RepoView) {}

  private readonly memos = new Map<string, unknown>();

  /** Computes a value once per key (a parsed lockfile shared by the workspaces of a monorepo). */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute();
    this.memos.set(key, value);
    return value;
  }

  private index: { byDir: Map<string, string[]>; dirs: Set<string> } | null = null;

  has(path: string): boolean {
    return this.view.files.has(path);
  }

  private built(): { byDir: Map<string, string[]>; dirs: Set<string> } {
    if (this.index !== null) return this.index;
    const byDir = new Map<string, string[]>();
    const dirs = new Set<string>();
    for (const path of this.view.files) {
      const dir = dirName(path);
      const list = byDir.get(dir);
      if (list === undefined) byDir.set(dir, [path]);
      else list.push(path);
      for (let d = dir; d !== '' && !dirs.has(d); d = dirName(d)) dirs.add(d);
    }
    this.index = { byDir, dirs };
    return this.index;
  }

  /** Files directly in `dir`. */
  filesIn(dir: string): readonly string[] {
    return this.built().byDir.get(dir) ?? [];
  }

  /** Is `dir` a directory holding at least one listed file (at any depth)? */
  hasDir(dir: string): boolean {
    return this.built().dirs.has(dir);
  }

  text(path: string, kind: 'manifest' | 'lockfile'): string | null {
    const read = this.view.read(path, kind);
    if ('error' in read) {
      this.errors.push({ path, message: read.error, code: read.code });
      return null;
    }
    return read.text;
  }

  /** A JSON file parsed once; null (and an error) when unreadable or invalid. */
  readJson(path: string, kind: 'manifest' | 'lockfile'): JsonParseResult | null {
    if (this.json.has(path)) return this.json.get(path)!;
    const source = this.text(path, kind);
    let parsed: JsonParseResult | null = null;
    if (source !== null) {
      parsed = parseJsonWithLines(source.replace(/^\uFEFF/, ''));
      if (parsed.error !== undefined) {
        this.errors.push({ path, message: `invalid JSON: ${parsed.error.message}`, line: parsed.error.line, code: 'json' });
        parsed = null;
      } else if (!isRecord(parsed.value)) {
        this.errors.push({ path, message: 'not a JSON object', code: 'json' });
        parsed = null;
      }
    }
    this.json.set(path, parsed);
    return parsed;
  }

  readToml(path: string, kind: 'manifest' | 'lockfile'): Record<string, unknown> | null {
    const source = this.text(path, kind);
    if (source === null) return null;
    try {
      const doc: unknown = parseToml(source.replace(/^\uFEFF/, ''), { unsafeKeyBehaviour: 'drop' });
      return isRecord(doc) ? doc : null;
    } catch (error) {
      const message = ((error as Error).message ?? String(error)).split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      const line = (error as { line?: unknown }).line;
      this.errors.push(typeof line === 'number' && line > 0 ? { path, message: `invalid TOML: ${message}`, line, code: 'toml' } : { path, message: `invalid TOML: ${message}`, code: 'toml' });
      return null;
    }
  }
}

// ------------------------------------------------------------------------------------ missing lockfile

const FIX: Record<string, string> = {
  npm: 'Run the project\'s package manager once (`npm install`, `pnpm install`, `yarn install`) and commit the lockfile it writes; install with `npm ci` / `--frozen-lockfile` in CI.',
  pypi: 'Lock the dependencies (`uv lock`, `poetry lock`, `pdm lock`, or `pip-compile --generate-hashes`) and commit the lockfile.',
  pipenv: 'Run `pipenv lock` and commit Pipfile.lock.',
  rubygems: 'Run `bundle lock` and commit Gemfile.lock.',
  go: 'Run `go mod tidy` and commit go.sum: it holds the checksums that make builds verifiable.',
  cargo: 'Run `cargo generate-lockfile` and commit Cargo.lock (binaries and workspaces should always commit it).',
  packagist: 'Run `composer update --lock` and commit composer.lock.',
};

function missing(ctx: Context, manifest: string, ecosystem: string, expected: readonly string[], line: number, severity: 'medium' | 'low', dependencies: number): void {
  ctx.hits.push({
    rule: 'missing-lockfile',
    severity,
    path: manifest,
    line,
    key: `missing\0${ecosystem}`,
    title: `${baseName(manifest)} declares dependencies but no lockfile is committed`,
    message: `${manifest} declares ${dependencies} ${dependencies === 1 ? 'dependency' : 'dependencies'} and there is no ${expected.slice(0, 4).join(', ')}${expected.length > 4 ? '…' : ''} beside it${ecosystem === 'npm' || ecosystem === 'cargo' || ecosystem === 'pypi' ? ' or at its workspace root' : ''}: every install resolves the versions again.`,
    data: { manifest, ecosystem, expected: [...expected], dependencies },
    remediation: FIX[ecosystem] ?? FIX['npm']!,
    effort: 'small',
  });
}

// ------------------------------------------------------------------------------------ npm

const NPM_LOCKS = ['npm-shrinkwrap.json', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb'];
const NPM_GROUPS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

interface Declared {
  group: (typeof NPM_GROUPS)[number];
  name: string;
  spec: string;
  line: number;
}

function declaredNpm(json: JsonParseResult): Declared[] {
  const root = json.value as Record<string, unknown>;
  const out: Declared[] = [];
  for (const group of NPM_GROUPS) {
    const deps = root[group];
    if (!isRecord(deps)) continue;
    for (const [name, spec] of Object.entries(deps)) {
      if (typeof spec !== 'string') continue;
      out.push({ group, name, spec, line: json.keyLine(deps, name) ?? json.keyLine(root, group) ?? 1 });
    }
  }
  return out;
}

function workspacePatterns(ctx: Context, dir: string): string[] | null {
  const patterns: string[] = [];
  let declared = false;
  const pkg = join(dir, 'package.json');
  if (ctx.has(pkg)) {
    const json = ctx.readJson(pkg, 'manifest');
    const workspaces = json === null ? undefined : (json.value as Record<string, unknown>)['workspaces'];
    const list = Array.isArray(workspaces) ? workspaces : isRecord(workspaces) && Array.isArray(workspaces['packages']) ? workspaces['packages'] : null;
    if (list !== null) {
      declared = true;
      patterns.push(...list.filter((p): p is string => typeof p === 'string'));
    }
  }
  const pnpm = join(dir, 'pnpm-workspace.yaml');
  if (ctx.has(pnpm)) {
    declared = true;
    const source = ctx.text(pnpm, 'manifest');
    if (source !== null) {
      const parsed = parseYamlDocuments(source);
      const packages = get(parsed.documents[0], 'packages');
      if (isSeq(packages)) patterns.push(...packages.items.map((item) => text(item)).filter((p): p is string => p !== null));
    }
  }
  return declared ? patterns : null;
}

function coveredBy(patterns: readonly string[], rel: string): boolean {
  const positive = patterns.filter((p) => !p.startsWith('!')).map((p) => p.replace(/^\.\//, '').replace(/\/$/, ''));
  if (positive.length === 0) return true;
  try {
    return picomatch(positive, { dot: true })(rel);
  } catch {
    return true;
  }
}

/** The npm-family lockfiles that cover a package.json in `dir`: beside it, or at a workspace root. */
function npmLocks(ctx: Context, dir: string): { root: string; locks: string[] } | null {
  const beside = NPM_LOCKS.filter((name) => ctx.has(join(dir, name)));
  if (beside.length > 0) return { root: dir, locks: beside.map((name) => join(dir, name)) };
  for (const ancestor of ancestors(dir)) {
    const locks = NPM_LOCKS.filter((name) => ctx.has(join(ancestor, name)));
    if (locks.length === 0) continue;
    const patterns = workspacePatterns(ctx, ancestor);
    if (patterns !== null && coveredBy(patterns, relative(ancestor, dir))) return { root: ancestor, locks: locks.map((name) => join(ancestor, name)) };
  }
  return null;
}

interface LockAnswer {
  /** The locked version (null when locked but not as a registry version). */
  version: string | null;
  /** Why it is out of sync, when it is regardless of the version. */
  problem?: 'missing' | 'range-not-locked' | 'specifier-mismatch';
  locked?: string;
}

type LockReader = (dep: Declared, name: string, range: string) => LockAnswer | null;

function packageLockReader(ctx: Context, lockPath: string, rel: string): LockReader | null {
  const json = ctx.readJson(lockPath, 'lockfile');
  if (json === null) return null;
  const lock = json.value as Record<string, unknown>;
  const packages = lock['packages'];
  if (isRecord(packages)) {
    // A workspace the lockfile does not know was added after the last install: all of it is missing.
    if (!isRecord(packages[rel])) return rel === '' ? null : (dep) => (dep.group === 'optionalDependencies' ? null : { version: null, problem: 'missing' });
    return (dep) => {
      let base = rel;
      for (let guard = 0; guard < 256; guard++) {
        const key = base === '' ? `node_modules/${dep.name}` : `${base}/node_modules/${dep.name}`;
        const entry = packages[key];
        if (isRecord(entry)) {
          if (entry['link'] === true) return null;
          return { version: typeof entry['version'] === 'string' ? entry['version'] : null };
        }
        if (base === '') break;
        base = dirName(base);
      }
      return dep.group === 'optionalDependencies' ? null : { version: null, problem: 'missing' };
    };
  }
  const dependencies = lock['dependencies'];
  if (rel !== '' || !isRecord(dependencies)) return null;
  return (dep) => {
    const entry = dependencies[dep.name];
    if (!isRecord(entry)) return dep.group === 'optionalDependencies' ? null : { version: null, problem: 'missing' };
    const version = typeof entry['version'] === 'string' ? entry['version'] : null;
    if (version?.startsWith('npm:')) return { version: version.slice(version.lastIndexOf('@') + 1) };
    return { version };
  };
}

/** yarn.lock (v1 and berry): descriptor (`name@range`, `name@npm:range`) → locked version. */
export function yarnDescriptors(source: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  let block: string[] = [];
  for (const raw of source.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) continue;
    if (!line.startsWith(' ')) {
      block = [];
      if (!line.endsWith(':') || line.startsWith('__metadata')) continue;
      for (const part of line.slice(0, -1).split(',')) {
        const descriptor = part.trim().replace(/^"|"$/g, '');
        if (descriptor === '') continue;
        block.push(descriptor);
        if (!out.has(descriptor)) out.set(descriptor, null);
      }
      continue;
    }
    const version = /^ {2}version:?\s+"?([^"\s]+)"?\s*$/.exec(line);
    if (version) for (const descriptor of block) out.set(descriptor, version[1]!);
  }
  return out;
}

function yarnLockReader(ctx: Context, lockPath: string): LockReader | null {
  const parsed = ctx.memo(`yarn\0${lockPath}`, () => {
    const source = ctx.text(lockPath, 'lockfile');
    if (source === null) return null;
    const descriptors = yarnDescriptors(source);
    const names = new Set<string>();
    for (const descriptor of descriptors.keys()) {
      const at = descriptor.indexOf('@', 1);
      if (at > 0) names.add(descriptor.slice(0, at));
    }
    return { descriptors, names };
  });
  if (parsed === null) return null;
  const { descriptors, names } = parsed;
  return (dep) => {
    const candidates = dep.spec.includes(':') ? [`${dep.name}@${dep.spec}`] : [`${dep.name}@${dep.spec}`, `${dep.name}@npm:${dep.spec}`];
    for (const candidate of candidates) if (descriptors.has(candidate)) return { version: descriptors.get(candidate) ?? null };
    return { version: null, problem: names.has(dep.name) ? 'range-not-locked' : 'missing' };
  };
}

function pnpmVersion(raw: string): string | null {
  if (raw.startsWith('link:') || raw.startsWith('file:')) return null;
  let version = raw.replace(/\(.*$/, '');
  if (version.startsWith('/')) version = version.slice(version.lastIndexOf('/') + 1);
  if (version.includes('@', 1)) version = version.slice(version.lastIndexOf('@') + 1);
  const underscore = version.indexOf('_');
  return underscore >= 0 ? version.slice(0, underscore) : version;
}

function pnpmLockReader(ctx: Context, lockPath: string, rel: string): LockReader | null {
  const root = ctx.memo(`pnpm\0${lockPath}`, (): Record<string, unknown> | null => {
    const source = ctx.text(lockPath, 'lockfile');
    if (source === null) return null;
    const parsed = parseLockYaml(source);
    if (parsed.errors.length > 0) {
      const first = parsed.errors[0]!;
      ctx.errors.push(first.line === undefined ? { path: lockPath, message: first.message, code: 'yaml' } : { path: lockPath, message: first.message, line: first.line, code: 'yaml' });
      return null;
    }
    const docs = parsed.documents.filter(isRecord);
    return docs.findLast((d) => 'packages' in d || 'importers' in d || 'dependencies' in d || 'devDependencies' in d) ?? docs.at(-1) ?? null;
  });
  if (root === null) return null;
  const importers = root['importers'];
  const importer = isRecord(importers) ? importers[rel === '' ? '.' : rel] : rel === '' ? root : undefined;
  if (!isRecord(importer)) {
    // A workspace the lockfile does not know was added after the last install.
    return isRecord(importers) ? (dep) => (dep.group === 'optionalDependencies' ? null : { version: null, problem: 'missing' }) : null;
  }
  const specifiers = isRecord(importer['specifiers']) ? importer['specifiers'] : null;
  return (dep) => {
    for (const group of NPM_GROUPS) {
      const deps = importer[group];
      if (!isRecord(deps) || !(dep.name in deps)) continue;
      const entry = deps[dep.name];
      const specifier = isRecord(entry) ? entry['specifier'] : specifiers?.[dep.name];
      const raw = isRecord(entry) ? entry['version'] : entry;
      const version = typeof raw === 'string' ? pnpmVersion(raw) : null;
      if (typeof specifier === 'string' && specifier !== dep.spec) return { version, problem: 'specifier-mismatch', locked: specifier };
      return { version };
    }
    return dep.group === 'optionalDependencies' ? null : { version: null, problem: 'missing' };
  };
}

const PROBLEM_TEXT: Record<string, string> = {
  missing: 'is not in',
  'range-not-locked': 'is in the lockfile only for other ranges than',
  'specifier-mismatch': 'is locked for another specifier in',
  'version-mismatch': 'is locked at a version outside',
};

function outOfSync(ctx: Context, manifest: string, lockPath: string, dep: { name: string; spec: string; line: number; group: string }, kind: string, locked: string | null, lockedSpec?: string): void {
  const redact = ctx.view.redact;
  const name = quote(redact(dep.name), 100);
  const declared = quote(redact(dep.spec), 100);
  const lock = baseName(lockPath);
  const detail =
    kind === 'version-mismatch'
      ? `${name}@${declared} (${dep.group}) is locked at ${quote(redact(locked ?? ''), 60)} in ${lockPath}, outside the declared range`
      : kind === 'specifier-mismatch'
        ? `${name} is declared as ${declared} (${dep.group}) but ${lockPath} was resolved for ${quote(redact(lockedSpec ?? ''), 60)}`
        : `${name}@${declared} (${dep.group}) ${PROBLEM_TEXT[kind]} ${lockPath}`;
  ctx.hits.push({
    rule: 'lockfile-out-of-sync',
    severity: 'medium',
    path: manifest,
    line: dep.line,
    key: `sync\0${lockPath}\0${dep.name}`,
    title: `${name} is out of sync between ${baseName(manifest)} and ${lock}`,
    message: `${detail}: a frozen install (\`npm ci\`, \`--frozen-lockfile\`) fails and a plain install changes the lockfile.`,
    data: { name, declared, locked: locked === null ? null : quote(redact(locked), 60), group: dep.group, lockfile: lockPath, kind, ...(lockedSpec === undefined ? {} : { lockedSpecifier: quote(redact(lockedSpec), 100) }) },
    remediation: `Run the install that owns ${lock} (${lock === 'yarn.lock' ? '`yarn install`' : lock === 'pnpm-lock.yaml' ? '`pnpm install`' : '`npm install`'}) and commit the updated lockfile.`,
    effort: 'trivial',
  });
}

function checkNpm(ctx: Context, manifest: string): void {
  const json = ctx.readJson(manifest, 'manifest');
  if (json === null) return;
  const declared = declaredNpm(json);
  if (declared.length === 0) return;
  const dir = dirName(manifest);
  const found = npmLocks(ctx, dir);
  if (found === null) {
    const root = json.value as Record<string, unknown>;
    const group = NPM_GROUPS.find((g) => isRecord(root[g]) && Object.keys(root[g] as object).length > 0) ?? 'dependencies';
    missing(ctx, manifest, 'npm', ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock'], json.keyLine(root, group) ?? 1, 'medium', declared.length);
    return;
  }
  const rel = relative(found.root, dir);
  for (const lockPath of found.locks) {
    const name = baseName(lockPath);
    const reader =
      name === 'package-lock.json' || name === 'npm-shrinkwrap.json'
        ? packageLockReader(ctx, lockPath, rel)
        : name === 'yarn.lock'
          ? yarnLockReader(ctx, lockPath)
          : name === 'pnpm-lock.yaml'
            ? pnpmLockReader(ctx, lockPath, rel)
            : null;
    if (reader === null) continue;
    const seen = new Set<string>();
    for (const dep of declared) {
      if (seen.has(dep.name)) continue;
      seen.add(dep.name);
      const spec = readSpecifier(dep.name, dep.spec);
      if (spec === 'local' || isNonRegistryRange(spec.range)) continue;
      const answer = reader(dep, spec.name, spec.range);
      if (answer === null) continue;
      if (answer.problem !== undefined) {
        outOfSync(ctx, manifest, lockPath, dep, answer.problem, answer.version, answer.locked);
        continue;
      }
      if (answer.version !== null && satisfies(answer.version, spec.range) === false) outOfSync(ctx, manifest, lockPath, dep, 'version-mismatch', answer.version);
    }
  }
}

// ------------------------------------------------------------------------------------ python

const PY_LOCK = /^(?:poetry\.lock|uv\.lock|pdm\.lock|pipfile\.lock|pylock(?:\.[^/]+)?\.toml|requirements[^/]*\.(?:txt|lock))$/i;

function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function lineContaining(source: string, needle: RegExp): number {
  const lines = source.split('\n');
  const index = lines.findIndex((line) => needle.test(line));
  return index < 0 ? 1 : index + 1;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function checkPyproject(ctx: Context, manifest: string): void {
  const doc = ctx.readToml(manifest, 'manifest');
  if (doc === null) return;
  const source = (ctx.view.read(manifest, 'manifest') as { text?: string }).text ?? '';
  const project = isRecord(doc['project']) ? doc['project'] : null;
  const tool = isRecord(doc['tool']) ? doc['tool'] : null;
  const poetry = tool !== null && isRecord(tool['poetry']) ? tool['poetry'] : null;
  const deps: Array<{ name: string; line: number; requirement: string }> = [];
  const own = typeof project?.['name'] === 'string' ? pep503(project['name']) : typeof poetry?.['name'] === 'string' ? pep503(poetry['name']) : null;
  if (project !== null && Array.isArray(project['dependencies'])) {
    for (const requirement of project['dependencies']) {
      if (typeof requirement !== 'string') continue;
      const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement)?.[1];
      if (name !== undefined) deps.push({ name, requirement, line: lineContaining(source, new RegExp(`["']${escapeRegExp(requirement.slice(0, 60))}`)) });
    }
  }
  const poetryGroups: unknown[] = [poetry?.['dependencies']];
  const groups = poetry !== null && isRecord(poetry['group']) ? poetry['group'] : {};
  for (const group of Object.values(groups)) if (isRecord(group)) poetryGroups.push(group['dependencies']);
  for (const table of poetryGroups) {
    if (!isRecord(table)) continue;
    for (const [name, spec] of Object.entries(table)) {
      if (name.toLowerCase() === 'python') continue;
      if (isRecord(spec) && (typeof spec['path'] === 'string' || typeof spec['git'] === 'string' || typeof spec['url'] === 'string')) continue;
      deps.push({ name, requirement: name, line: lineContaining(source, new RegExp(`^\\s*["']?${escapeRegExp(name)}["']?\\s*=`)) });
    }
  }
  if (deps.length === 0) return;
  const dir = dirName(manifest);
  const inDir = ctx.filesIn(dir).filter((path) => PY_LOCK.test(baseName(path)));
  const inRequirementsDir = ctx.filesIn(join(dir, 'requirements')).some((path) => path.endsWith('.txt'));
  const workspaceLock = ancestors(dir).flatMap((a) => ['uv.lock', 'pdm.lock'].map((name) => join(a, name))).find((path) => ctx.has(path));
  if (inDir.length === 0 && !inRequirementsDir && workspaceLock === undefined) {
    missing(ctx, manifest, 'pypi', ['uv.lock', 'poetry.lock', 'pdm.lock', 'pylock.toml', 'requirements.txt'], deps[0]!.line, 'low', deps.length);
    return;
  }
  for (const lockName of ['poetry.lock', 'uv.lock']) {
    const lockPath = ctx.has(join(dir, lockName)) ? join(dir, lockName) : lockName === 'uv.lock' ? workspaceLock : undefined;
    if (lockPath === undefined || !lockPath.endsWith(lockName)) continue;
    const locked = ctx.memo(`py\0${lockPath}`, () => {
      const lock = ctx.readToml(lockPath, 'lockfile');
      if (lock === null || !Array.isArray(lock['package'])) return null;
      return new Set(lock['package'].filter(isRecord).map((p) => (typeof p['name'] === 'string' ? pep503(p['name']) : '')));
    });
    if (locked === null) continue;
    const seen = new Set<string>();
    for (const dep of deps) {
      const name = pep503(dep.name);
      if (name === own || seen.has(name)) continue;
      seen.add(name);
      if (!locked.has(name)) outOfSync(ctx, manifest, lockPath, { name: dep.name, spec: dep.requirement, line: dep.line, group: 'dependencies' }, 'missing', null);
    }
  }
}

// ------------------------------------------------------------------------------------ others

function checkPipfile(ctx: Context, manifest: string): void {
  const doc = ctx.readToml(manifest, 'manifest');
  if (doc === null) return;
  const count = ['packages', 'dev-packages'].reduce((n, key) => n + (isRecord(doc[key]) ? Object.keys(doc[key]).length : 0), 0);
  if (count > 0 && !ctx.has(join(dirName(manifest), 'Pipfile.lock'))) missing(ctx, manifest, 'pipenv', ['Pipfile.lock'], 1, 'low', count);
}

function checkGemfile(ctx: Context, manifest: string): void {
  const source = ctx.text(manifest, 'manifest');
  if (source === null) return;
  const gems = source.split('\n').filter((line) => /^\s*gem\s+['"]/.test(line)).length;
  const dir = dirName(manifest);
  const lock = baseName(manifest) === 'gems.rb' ? 'gems.locked' : 'Gemfile.lock';
  if (gems > 0 && !ctx.has(join(dir, lock))) missing(ctx, manifest, 'rubygems', [lock], lineContaining(source, /^\s*gem\s+['"]/), 'medium', gems);
}

function checkGoMod(ctx: Context, manifest: string): void {
  const source = ctx.text(manifest, 'manifest');
  if (source === null) return;
  let requires = 0;
  let inBlock = false;
  for (const raw of source.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (inBlock) {
      if (line.startsWith(')')) inBlock = false;
      else if (line !== '') requires++;
    } else if (/^require\s*\($/.test(line)) inBlock = true;
    else if (/^require\s+\S/.test(line)) requires++;
  }
  if (requires > 0 && !ctx.has(join(dirName(manifest), 'go.sum'))) missing(ctx, manifest, 'go', ['go.sum'], lineContaining(source, /^\s*require\b/), 'medium', requires);
}

function checkCargo(ctx: Context, manifest: string): void {
  const doc = ctx.readToml(manifest, 'manifest');
  if (doc === null) return;
  const dir = dirName(manifest);
  const workspace = isRecord(doc['workspace']);
  const count = (table: unknown): number => (isRecord(table) ? Object.keys(table).length : 0);
  let deps = count(doc['dependencies']) + count(doc['dev-dependencies']) + count(doc['build-dependencies']);
  if (workspace) deps += count((doc['workspace'] as Record<string, unknown>)['dependencies']);
  if (isRecord(doc['target'])) {
    for (const target of Object.values(doc['target'])) if (isRecord(target)) deps += count(target['dependencies']) + count(target['dev-dependencies']) + count(target['build-dependencies']);
  }
  const binary = (Array.isArray(doc['bin']) && doc['bin'].length > 0) || ctx.has(join(dir, 'src/main.rs')) || ctx.hasDir(join(dir, 'src/bin'));
  if (!workspace && !(binary && deps > 0)) return;
  if (deps === 0 && !workspace) return;
  const locked = ctx.has(join(dir, 'Cargo.lock')) || ancestors(dir).some((a) => ctx.has(join(a, 'Cargo.lock')));
  if (!locked) missing(ctx, manifest, 'cargo', ['Cargo.lock'], 1, 'medium', deps);
}

const COMPOSER_PLATFORM = /^(?:php(?:-64bit|-ipv6|-zts|-debug)?|hhvm|ext-.+|lib-.+|composer(?:-plugin-api|-runtime-api)?)$/i;

function checkComposer(ctx: Context, manifest: string): void {
  const json = ctx.readJson(manifest, 'manifest');
  if (json === null) return;
  const root = json.value as Record<string, unknown>;
  const names = ['require', 'require-dev'].flatMap((key) => (isRecord(root[key]) ? Object.keys(root[key]) : [])).filter((name) => !COMPOSER_PLATFORM.test(name));
  if (names.length === 0 || ctx.has(join(dirName(manifest), 'composer.lock'))) return;
  missing(ctx, manifest, 'packagist', ['composer.lock'], json.keyLine(root, 'require') ?? json.keyLine(root, 'require-dev') ?? 1, root['type'] === 'project' ? 'medium' : 'low', names.length);
}

/** Checks every manifest of the listing. Never throws on file content. */
export function analyseManifests(view: RepoView, manifests: readonly string[]): ManifestAnalysis {
  const ctx = new Context(view);
  for (const manifest of manifests) {
    try {
      switch (baseName(manifest)) {
        case 'package.json':
          checkNpm(ctx, manifest);
          break;
        case 'pyproject.toml':
          checkPyproject(ctx, manifest);
          break;
        case 'Pipfile':
          checkPipfile(ctx, manifest);
          break;
        case 'Gemfile':
        case 'gems.rb':
          checkGemfile(ctx, manifest);
          break;
        case 'go.mod':
          checkGoMod(ctx, manifest);
          break;
        case 'Cargo.toml':
          checkCargo(ctx, manifest);
          break;
        case 'composer.json':
          checkComposer(ctx, manifest);
          break;
      }
    } catch (error) {
      ctx.errors.push({ path: manifest, message: `could not be checked: ${(error as Error).message.split('\n')[0]}`, code: 'internal' });
    }
  }
  return { hits: ctx.hits, errors: ctx.errors, manifests: manifests.length };
}
