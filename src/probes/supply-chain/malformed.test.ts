/**
 * Broken, hostile and mistyped inputs: every analyser returns (file-scoped errors at most) and
 * never throws. Plus property tests over arbitrary text.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseCiConfig } from './ci.js';
import { analyseDockerfile } from './dockerfile.js';
import { analyseActionManifest, analyseWorkflow, classifyUses } from './github.js';
import { analyseManifests, yarnDescriptors } from './manifests.js';
import { analyseScript } from './shell.js';
import { scanSecrets } from './secrets.js';
import { FIXTURES, fixture, githubOptions, identity, memoryView, random } from './test-support/fixtures.js';

const corpus = readdirSync(join(FIXTURES, 'malformed')).sort();

function everything(text: string): void {
  analyseWorkflow('.github/workflows/x.yml', text, githubOptions());
  analyseActionManifest('action.yml', text, githubOptions());
  analyseCiConfig('.gitlab-ci.yml', text, identity, false);
  analyseDockerfile('Dockerfile', text, identity, { yarnBerry: false });
  analyseScript(text, 1, { context: 'script', yarnBerry: false });
  analyseScript(text, 1, { context: 'makefile', yarnBerry: false });
  analyseScript(text, 1, { context: 'ci', yarnBerry: true });
  scanSecrets(text, { entropyThreshold: 3.5, minLength: 16, unquoted: true });
  yarnDescriptors(text);
  const files: Record<string, string> = {};
  for (const name of ['package.json', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'pyproject.toml', 'uv.lock', 'poetry.lock', 'Pipfile', 'Gemfile', 'go.mod', 'Cargo.toml', 'composer.json']) {
    files[`a/${name}`] = text;
  }
  files['b/package.json'] = text;
  files['b/pnpm-lock.yaml'] = text;
  files['c/package.json'] = '{"dependencies": {"x": "^1.0.0", "y": "^2"}}';
  files['c/package-lock.json'] = text;
  files['c/yarn.lock'] = text;
  analyseManifests(memoryView(files), Object.keys(files));
}

describe('malformed corpus', () => {
  it.each(corpus)('%s never throws', (name) => {
    expect(() => everything(fixture(`malformed/${name}`))).not.toThrow();
  });

  it('reports broken YAML as errors, and still reads what it can', () => {
    for (const name of ['unclosed-flow.yml.fixture', 'tabs.yml.fixture', 'alias-bomb.yml.fixture', 'not-a-map.yml.fixture', 'duplicate-keys.yml.fixture']) {
      const result = analyseWorkflow('.github/workflows/x.yml', fixture(`malformed/${name}`), githubOptions());
      expect(result.errors.length, name).toBeGreaterThan(0);
    }
    const typed = analyseWorkflow('.github/workflows/x.yml', fixture('malformed/wrong-types.yml.fixture'), githubOptions());
    expect(typed.hits.some((hit) => hit.rule === 'unpinned-action' && hit.data['uses'] === 'actions/checkout@v4')).toBe(true);
  });

  it('reads the commands of broken Dockerfiles', () => {
    const result = analyseDockerfile('Dockerfile', fixture('malformed/Dockerfile-exec.fixture'), identity, { yarnBerry: false });
    expect(result.hits.map((hit) => hit.rule)).toContain('curl-pipe-shell');
  });

  it('names broken manifests and lockfiles', () => {
    const result = analyseManifests(
      memoryView({ 'package.json': fixture('malformed/truncated.json.fixture'), 'x/package.json': fixture('malformed/wrong-types.json.fixture'), 'pyproject.toml': fixture('malformed/bad.toml.fixture') }),
      ['package.json', 'pyproject.toml', 'x/package.json'],
    );
    expect(result.errors.map((error) => error.path)).toEqual(['package.json', 'pyproject.toml']);
    expect(result.hits).toEqual([]);
  });
});

describe('hostile sizes', () => {
  it('stays linear on repeated markers, ids and expressions', () => {
    const r = random(3);
    const begin = ['-----BEGIN', 'PRIVATE KEY-----'].join(' ');
    const ids = Array.from({ length: 20000 }, () => ['AK', 'IA'].join('') + r('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)).join(' ');
    const inputs = [begin.repeat(20000), `${begin}\n${'QUJD'.repeat(100)}\n`.repeat(2000), ids, '${{ '.repeat(100000), 'curl x | '.repeat(10000), 'RUN a \\\n'.repeat(50000), '['.repeat(50000)];
    for (const input of inputs) expect(() => everything(input)).not.toThrow();
    expect(scanSecrets(ids, { entropyThreshold: 3.5, minLength: 16, unquoted: true }).every((m) => m.kind === 'aws-access-key-id')).toBe(true);
  });
});

describe('properties', () => {
  it('arbitrary text never makes an analyser throw', () => {
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (text) => everything(text)), { numRuns: 200 });
  });

  it('YAML-ish and shell-ish text never makes an analyser throw', () => {
    const token = fc.constantFrom('on:', 'jobs:', '  steps:', '    - uses: a/b@v1', '    - run: |', '      curl x | sh', '      npm install', '${{ github.event.issue.title }}', '&a', '*a', '<<: *a', '- ', ': ', '"', "'", '\\', '\n', '  ', 'FROM x', 'RUN <<EOF', 'EOF', '[', '{', '}', ']', '|', ';', '$(', ')', '`', '#');
    fc.assert(fc.property(fc.array(token, { maxLength: 60 }), (parts) => everything(parts.join(''))), { numRuns: 300 });
  });

  it('a uses: with a 40-hex SHA is pinned; with a tag it is not', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/);
    const sha = fc.stringMatching(/^[0-9a-f]{40}$/);
    const tag = fc.stringMatching(/^v?[0-9]{1,3}(\.[0-9]{1,3}){0,2}$/);
    fc.assert(
      fc.property(name, name, sha, tag, (owner, repo, commit, version) => {
        expect(classifyUses(`${owner}/${repo}@${commit}`)).toMatchObject({ type: 'action', pinned: true });
        expect(classifyUses(`${owner}/${repo}@${version}`)).toMatchObject({ type: 'action', pinned: false });
        expect(classifyUses(`${owner}/${repo}/sub/dir@${commit}`)).toMatchObject({ type: 'action', pinned: true });
        const workflow = `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: ${owner}/${repo}@${commit}\n      - uses: ${owner}/${repo}@${version}\n`;
        const result = analyseWorkflow('.github/workflows/p.yml', workflow, githubOptions());
        expect(result.refs).toEqual({ total: 2, pinned: 1 });
        expect(result.hits.map((hit) => hit.line)).toEqual([8]);
      }),
    );
  });
});
