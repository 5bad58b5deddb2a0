/**
 * The supply-chain probe from the CLI, and the promise that a committed secret is never printed,
 * stored or logged: not in any report format, not in the database file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../support/cli.js';
import { tempRepo, type TempRepo } from '../support/repo.js';

let repo: TempRepo;
// Built at run time so that no credential-shaped string is committed in this repository.
const token = ['ghp', '_', 'R4nd0mT0k3nV4lu3', 'ForTestsOnly1234567'].join('');
const awsKey = ['AKIA', 'Q2W3E4R5T6Y7U8I9'].join('');

beforeEach(() => {
  repo = tempRepo({ name: 'ci' });
  repo.write(
    '.github/workflows/pr.yml',
    [
      'on: pull_request_target',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '        with:',
      '          ref: ${{ github.event.pull_request.head.sha }}',
      '      - run: npm install && npm test',
      '      - run: echo "${{ github.event.pull_request.title }}"',
      '',
    ].join('\n'),
  );
  repo.write('Dockerfile', 'FROM node:latest\nRUN curl -fsSL https://example.com/install.sh | sh\n');
  repo.write('deploy/settings.py', `GITHUB_TOKEN = "${token}"\nAWS_ACCESS_KEY_ID = "${awsKey}"\n`);
  repo.write('package.json', JSON.stringify({ name: 'ci', dependencies: { lodash: '^4.17.21' } }));
  repo.commit('init');
});
afterEach(() => repo.remove());

describe('supply-chain probe end to end', () => {
  it('reports the risky pipeline and the secrets, without ever showing a secret', async () => {
    const { result, json } = await runJson<{ findings: Array<{ rule: string; severity: string; location: { path: string } | null }> }>(
      ['observe', '.', '--probe', 'supply-chain', '--format', 'json'],
      { cwd: repo.dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const rules = new Set(json.findings.map((f) => f.rule));
    for (const rule of [
      'supply-chain/unpinned-action',
      'supply-chain/workflow-permissions',
      'supply-chain/dangerous-workflow',
      'supply-chain/unpinned-image',
      'supply-chain/curl-pipe-shell',
      'supply-chain/npm-install-in-ci',
      'supply-chain/missing-lockfile',
      'supply-chain/secret',
    ]) {
      expect(rules, rule).toContain(rule);
    }
    // The GitHub token is certain; an AWS key id alone (no secret key beside it) is not reported.
    expect(json.findings.filter((f) => f.rule === 'supply-chain/secret').map((f) => f.location?.path)).toEqual(['deploy/settings.py']);

    const outputs = [result.stdout];
    for (const format of ['table', 'markdown', 'sarif']) outputs.push((await runCli(['report', '--format', format], { cwd: repo.dir })).stdout);
    outputs.push(readFileSync(join(repo.dir, '.prodeng', 'prodeng.db')).toString('latin1'));
    for (const text of outputs) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.slice(4, 20));
      expect(text).not.toContain(awsKey);
    }
  });
});
