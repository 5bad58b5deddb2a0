import { describe, expect, it } from 'vitest';
import { analyseManifests, isManifestPath, yarnDescriptors } from './manifests.js';
import type { Hit } from './model.js';
import { fixtureFiles, memoryView } from './test-support/fixtures.js';

function run(files: Record<string, string>) {
  const view = memoryView(files);
  const manifests = Object.keys(files).filter(isManifestPath).sort();
  return { ...analyseManifests(view, manifests), view };
}

const sync = (hits: Hit[]): string[] => hits.filter((hit) => hit.rule === 'lockfile-out-of-sync').map((hit) => `${hit.path}:${hit.line} ${String(hit.data['name'])} ${String(hit.data['kind'])}`);
const missing = (hits: Hit[]): string[] => hits.filter((hit) => hit.rule === 'missing-lockfile').map((hit) => `${hit.path} ${hit.severity} ${String(hit.data['ecosystem'])}`);

describe('lockfile-out-of-sync', () => {
  it('package-lock.json v3: missing dependencies and versions outside the range', () => {
    const { hits, errors } = run(fixtureFiles('manifests/npm-lock-v3'));
    expect(errors).toEqual([]);
    expect(sync(hits)).toEqual(['package.json:6 lodash version-mismatch', 'package.json:7 left-pad missing']);
    const lodash = hits.find((hit) => hit.data['name'] === 'lodash')!;
    expect(lodash.data).toMatchObject({ declared: '^4.17.21', locked: '3.10.1', lockfile: 'package-lock.json', group: 'dependencies' });
    expect(lodash.key).toBe('sync\0package-lock.json\0lodash');
    expect(missing(hits)).toEqual([]);
  });

  it('package-lock.json v1', () => {
    expect(sync(run(fixtureFiles('manifests/npm-lock-v1')).hits)).toEqual(['package.json:4 ms version-mismatch', 'package.json:4 chalk missing']);
  });

  it('yarn.lock v1: a range that is not locked and a missing package', () => {
    expect(sync(run(fixtureFiles('manifests/yarn-v1')).hits)).toEqual(['package.json:6 react range-not-locked', 'package.json:8 axios missing']);
  });

  it('yarn.lock berry', () => {
    expect(sync(run(fixtureFiles('manifests/yarn-berry')).hits)).toEqual(['package.json:4 debug missing']);
  });

  it('pnpm-lock.yaml v9 with workspaces: changed specifiers, missing packages, unknown workspaces', () => {
    const { hits, errors } = run(fixtureFiles('manifests/pnpm-workspace'));
    expect(errors).toEqual([]);
    expect(sync(hits)).toEqual(['packages/api/package.json:3 fastify missing', 'packages/web/package.json:3 zod specifier-mismatch', 'packages/web/package.json:3 vue missing']);
    expect(hits.find((hit) => hit.data['name'] === 'zod')!.data).toMatchObject({ declared: '^3.23.0', lockedSpecifier: '^3.22.0', lockfile: 'pnpm-lock.yaml' });
    expect(missing(hits)).toEqual([]);
  });

  it('npm workspaces: nested and hoisted versions, a workspace missing from the lockfile', () => {
    const { hits } = run(fixtureFiles('manifests/npm-workspaces'));
    expect(sync(hits)).toEqual(['packages/a/package.json:1 uuid version-mismatch', 'packages/b/package.json:1 ms missing']);
    expect(missing(hits)).toEqual([]);
  });

  it('reads a shared lockfile once for all workspaces', () => {
    const { view } = run(fixtureFiles('manifests/pnpm-workspace'));
    expect(view.reads.get('pnpm-lock.yaml')).toBe(1);
  });

  it('pyproject.toml against uv.lock and poetry.lock, by package name', () => {
    expect(sync(run(fixtureFiles('manifests/python-uv')).hits)).toEqual(['pyproject.toml:8 Requests missing']);
    expect(sync(run(fixtureFiles('manifests/python-poetry')).hits)).toEqual(['pyproject.toml:9 redis missing']);
  });

  it('parses yarn.lock descriptors of both formats', () => {
    const v1 = yarnDescriptors('"a@^1.0.0", a@~1.1.0:\n  version "1.1.2"\n\nb@2:\n  version "2.0.0"\n');
    expect([...v1]).toEqual([['a@^1.0.0', '1.1.2'], ['a@~1.1.0', '1.1.2'], ['b@2', '2.0.0']]);
    const berry = yarnDescriptors('__metadata:\n  version: 8\n\n"c@npm:^3.0.0, c@npm:^3.1.0":\n  version: 3.2.0\n');
    expect([...berry]).toEqual([['c@npm:^3.0.0', '3.2.0'], ['c@npm:^3.1.0', '3.2.0']]);
  });
});

describe('missing-lockfile', () => {
  it('reports each ecosystem without its lockfile', () => {
    const { hits } = run({
      'web/package.json': '{"dependencies": {"react": "^18.0.0"}}',
      'tools/package.json': '{"name": "tools", "scripts": {"x": "y"}}',
      'peer/package.json': '{"peerDependencies": {"react": "*"}}',
      'svc/go.mod': 'module example.com/svc\n\ngo 1.22\n\nrequire (\n\tgithub.com/x/y v1.2.3\n)\n',
      'lib/go.mod': 'module example.com/lib\n\ngo 1.22\n',
      'app/Gemfile': "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\n",
      'gemlib/Gemfile': "source 'https://rubygems.org'\ngemspec\n",
      'cli/Cargo.toml': '[package]\nname = "cli"\n[dependencies]\nclap = "4"\n',
      'cli/src/main.rs': 'fn main() {}',
      'rlib/Cargo.toml': '[package]\nname = "rlib"\n[dependencies]\nserde = "1"\n',
      'php/composer.json': '{"type": "project", "require": {"php": ">=8.2", "laravel/framework": "^11.0"}}',
      'phplib/composer.json': '{"require": {"php": ">=8.2", "ext-json": "*"}}',
      'py/pyproject.toml': '[project]\nname = "py"\ndependencies = ["httpx>=0.27"]\n',
      'pytools/pyproject.toml': '[tool.ruff]\nline-length = 100\n',
      'pipenv/Pipfile': '[packages]\nrequests = "*"\n',
    });
    expect(missing(hits)).toEqual([
      'app/Gemfile medium rubygems',
      'cli/Cargo.toml medium cargo',
      'php/composer.json medium packagist',
      'pipenv/Pipfile low pipenv',
      'py/pyproject.toml low pypi',
      'svc/go.mod medium go',
      'web/package.json medium npm',
    ]);
    const web = hits.find((hit) => hit.path === 'web/package.json')!;
    expect(web).toMatchObject({ line: 1, key: 'missing\0npm', data: { dependencies: 1 } });
    expect(hits.find((hit) => hit.path === 'svc/go.mod')!.line).toBe(5);
  });

  it('accepts lockfiles beside the manifest or at a workspace root that covers it', () => {
    const { hits } = run({
      'package.json': '{"workspaces": ["packages/*"], "devDependencies": {"x": "^1.0.0"}}',
      'package-lock.json': '{"lockfileVersion": 3, "packages": {"": {}, "node_modules/x": {"version": "1.0.0"}, "packages/a": {}}}',
      'packages/a/package.json': '{"dependencies": {}}',
      'examples/demo/package.json': '{"dependencies": {"y": "^2.0.0"}}',
      'go.mod': 'module m\nrequire github.com/a/b v1.0.0\n',
      'go.sum': '',
      'crates/core/Cargo.toml': '[package]\nname = "core"\n[[bin]]\nname = "x"\n[dependencies]\nanyhow = "1"\n',
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n',
      'Cargo.lock': '',
      'svc/pyproject.toml': '[project]\nname = "svc"\ndependencies = ["a"]\n',
      'svc/requirements.txt': 'a==1.0\n',
    });
    expect(missing(hits)).toEqual(['examples/demo/package.json medium npm']);
  });

  it('names unreadable manifests and lockfiles as file-scoped errors', () => {
    const { hits, errors } = run({
      'a/package.json': '{"dependencies": {"x": "^1"',
      'b/pyproject.toml': '[project\n',
      'c/package.json': '{"dependencies": {"x": "^1.0.0"}}',
      'c/pnpm-lock.yaml': 'importers: [\n',
    });
    expect(hits).toEqual([]);
    expect(errors.map((error) => `${error.path} ${error.code}`)).toEqual(['a/package.json json', 'b/pyproject.toml toml', 'c/pnpm-lock.yaml yaml']);
  });
});
