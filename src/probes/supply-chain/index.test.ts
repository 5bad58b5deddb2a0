/**
 * The probe end to end: `run()` on real git repositories made in the test.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding, Metric, ProbeResult } from '../../core/model.js';
import { detachedHistory, type ProbeContext } from '../../core/probe.js';
import { validateProbeResult } from '../../core/validate.js';
import { tempDir, tempRepo, type TempRepo } from '../../../test/support/repo.js';
import { supplyChainConfigSchema, type SupplyChainConfig } from './config.js';
import { supplyChainProbe } from './index.js';
import { RULE_NAMES } from './rules.js';
import { fixture, plantedSecrets } from './test-support/fixtures.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

function context(dir: string): ProbeContext {
  const cache = tempDir();
  cleanups.push(cache.remove);
  return { system: { name: 'test', sources: { repo: dir } }, signal: new AbortController().signal, now: new Date('2025-01-15T00:00:00Z'), offline: true, cacheDir: cache.dir, progress: () => undefined, history: detachedHistory('test') };
}

async function observe(repo: TempRepo, config: Partial<SupplyChainConfig> = {}): Promise<Extract<ProbeResult, { findings: Finding[] }>> {
  const result = await supplyChainProbe.run(context(repo.dir), supplyChainConfigSchema.parse(config));
  if (result.status === 'failed' || result.status === 'skipped') throw new Error(JSON.stringify(result));
  return result;
}

const s = plantedSecrets(42);
const rules = (findings: Finding[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const finding of findings) out[finding.rule] = (out[finding.rule] ?? 0) + 1;
  return out;
};
const metric = (metrics: Metric[], name: string, labels: Record<string, string> = {}): number | undefined =>
  metrics.find((m) => m.name === name && Object.entries(labels).every(([k, v]) => m.labels[k] === v))?.value;

function plantRepository(repo: TempRepo): void {
  repo.write('.github/workflows/ci.yml', fixture('workflows/ci.yml.fixture'));
  repo.write('.github/workflows/preview.yml', fixture('workflows/pwn-request.yml.fixture'));
  repo.write('.github/workflows/broken.yml', `on: [push\nenv: {TOKEN: ${s.githubPat}\njobs: {\n`);
  repo.write(
    '.github/workflows/release.yml',
    [
      'on: push',
      'permissions: {}',
      'jobs:',
      '  release:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      `      - run: 'curl -H "Authorization: token ${s.github}" https://example.com/release.sh | bash'`,
    ].join('\n'),
  );
  repo.write('.github/actions/setup/action.yml', fixture('actions/action.yml.fixture'));
  repo.write('Dockerfile', fixture('docker/Dockerfile.fixture'));
  repo.write('.gitlab-ci.yml', fixture('ci/gitlab-ci.yml.fixture'));
  repo.write('scripts/install.sh', fixture('scripts/install.sh.fixture'));
  repo.write('Makefile', fixture('scripts/Makefile.fixture'));
  repo.write('bin/bootstrap', '#!/bin/sh\nset -e\ncurl -fsSL https://example.com/b | sh\n');
  repo.write('package.json', JSON.stringify({ name: 'app', dependencies: { express: '^4.19.0' } }, null, 2));
  repo.write('config/settings.py', ['import os', '', `GITHUB_TOKEN = "${s.github}"`, `SLACK = "${s.slack}"`, `DATABASE_PASSWORD = "${s.password}"`, `AWS_ACCESS_KEY_ID = "${s.awsKeyId}"`, `AWS_SECRET_ACCESS_KEY = "${s.awsSecret}"`].join('\n'));
  repo.write('.env.production', `STRIPE_KEY=${s.stripe}\nNPM_TOKEN=${s.npm}\nGITLAB=${s.gitlab}\n`);
  repo.write('deploy/id_rsa', `${s.pem}\n`);
  repo.write('docs/webhook.md', `Post to ${s.slackWebhook} for alerts.\n`);
  // Skipped by default: fixtures, testdata, vendored code, lockfiles, binaries.
  repo.write('test/fixtures/leak.env', `TOKEN=${s.githubPat}\n`);
  repo.write('pkg/testdata/Dockerfile', 'FROM alpine\nRUN curl https://x | sh\n');
  repo.write('node_modules/dep/package.json', JSON.stringify({ dependencies: { a: '^1.0.0' } }));
  repo.write('assets/logo.bin', Buffer.concat([Buffer.from([0, 1, 2, 3]), Buffer.from(`ghp_${s.github.slice(4)}`)]));
  repo.commit('initial');
}

describe('supply-chain probe', () => {
  it('observes a repository: every rule, metrics, facts, a file-scoped error, nothing secret', async () => {
    const repo = tempRepo();
    cleanups.push(repo.remove);
    plantRepository(repo);
    const result = await observe(repo);

    expect(result.status).toBe('partial');
    expect(result.errors).toEqual([expect.objectContaining({ path: '.github/workflows/broken.yml', code: 'yaml' })]);
    expect(result.errors[0]!.message).toMatch(/^line \d+: not valid YAML/);

    expect(rules(result.findings)).toEqual({
      'supply-chain/unpinned-action': 6,
      'supply-chain/unpinned-image': 8,
      'supply-chain/workflow-permissions': 1,
      'supply-chain/dangerous-workflow': 3,
      'supply-chain/curl-pipe-shell': 14,
      'supply-chain/npm-install-in-ci': 7,
      'supply-chain/missing-lockfile': 1,
      'supply-chain/secret': 11,
    });
    // Nothing from excluded folders or binary files.
    const paths = new Set(result.findings.map((finding) => (finding.location as { path: string }).path));
    expect([...paths].filter((path) => /fixtures|testdata|node_modules|assets/.test(path))).toEqual([]);

    const checkout = result.findings.find((finding) => finding.rule === 'supply-chain/unpinned-action' && finding.data['action'] === 'actions/checkout')!;
    expect(checkout).toMatchObject({ severity: 'medium', location: { path: '.github/workflows/ci.yml', line: 17 }, data: { lines: [17, 29], occurrences: 2 } });
    expect(checkout.message).toContain('Seen on 2 lines: 17, 29.');

    const secrets = result.findings.filter((finding) => finding.rule === 'supply-chain/secret');
    expect(secrets.map((finding) => `${(finding.location as { path: string }).path}:${(finding.location as { line: number }).line} ${finding.severity} ${String(finding.data['kind'])}`)).toEqual([
      '.env.production:1 critical stripe-live-key',
      '.env.production:2 high npm-token',
      '.env.production:3 high gitlab-token',
      '.github/workflows/broken.yml:2 high github-token',
      '.github/workflows/release.yml:7 high github-token',
      'config/settings.py:3 high github-token',
      'config/settings.py:4 high slack-token',
      'config/settings.py:5 medium generic',
      'config/settings.py:6 critical aws-access-key',
      'deploy/id_rsa:1 critical private-key',
      'docs/webhook.md:1 medium slack-webhook',
    ]);
    expect(secrets[5]!.data).toEqual({ kind: 'github-token', redacted: `${s.github.slice(0, 4)}…`, length: s.github.length, sha256: expect.stringMatching(/^[0-9a-f]{16}$/), lines: [3], occurrences: 1 });

    expect(metric(result.metrics, 'supply_chain.findings', { rule: 'supply-chain/secret' })).toBe(11);
    expect(result.metrics.filter((m) => m.name === 'supply_chain.findings').map((m) => m.labels['rule'])).toEqual(RULE_NAMES.map((name) => `supply-chain/${name}`));
    expect(metric(result.metrics, 'supply_chain.pinned_actions_ratio')).toBe(0.4167);
    expect(metric(result.metrics, 'supply_chain.action_references', { pinned: 'true' })).toBe(5);
    expect(metric(result.metrics, 'supply_chain.action_references', { pinned: 'false' })).toBe(7);
    expect(result.facts).toMatchObject({ source: 'git', workflows: 4, actionManifests: 1, dockerfiles: 1, ciConfigs: 1, scripts: 3, manifests: 1, filesSkipped: { binary: 1 }, unresolvedImages: 1 });

    // What the engine stores is exactly what the probe returned: no finding or metric is dropped.
    const validated = validateProbeResult('supply-chain', result);
    expect(validated).toEqual(result);

    // THE SECRET IS NEVER PRINTED: not in findings, metrics, facts or errors, not even in part.
    const serialised = JSON.stringify({ findings: result.findings, metrics: result.metrics, facts: result.facts, errors: result.errors });
    for (const [name, value] of Object.entries(s)) {
      expect(serialised.includes(value), name).toBe(false);
      expect(serialised.includes(value.slice(5, 17)), `${name} (part)`).toBe(false);
    }
  });

  it('keeps fingerprints when lines move, and changes them when the evidence changes', async () => {
    const repo = tempRepo();
    cleanups.push(repo.remove);
    plantRepository(repo);
    const before = await observe(repo);
    repo.write('.github/workflows/ci.yml', `# moved down\n\n${fixture('workflows/ci.yml.fixture')}`);
    repo.write('config/settings.py', `"""Settings."""\n\n\n${['import os', '', `GITHUB_TOKEN = "${s.github}"`, `SLACK = "${s.slack}"`, `DATABASE_PASSWORD = "${s.password}"`, `AWS_ACCESS_KEY_ID = "${s.awsKeyId}"`, `AWS_SECRET_ACCESS_KEY = "${s.awsSecret}"`].join('\n')}`);
    repo.write('Dockerfile', fixture('docker/Dockerfile.fixture').replace('FROM ubuntu:latest', 'FROM ubuntu:24.04'));
    repo.commit('move');
    const after = await observe(repo);
    const ids = (result: typeof before): Set<string> => new Set(result.findings.map((finding) => finding.fingerprint));
    const gone = [...ids(before)].filter((id) => !ids(after).has(id));
    const added = after.findings.filter((finding) => !ids(before).has(finding.fingerprint));
    expect(before.findings.find((f) => f.data['action'] === 'actions/checkout')!.location).toMatchObject({ line: 17 });
    expect(after.findings.find((f) => f.data['action'] === 'actions/checkout')!.location).toMatchObject({ line: 19 });
    expect(gone).toHaveLength(1);
    expect(added.map((finding) => finding.data['image'])).toEqual(['ubuntu:24.04']);
    expect(new Set(before.findings.map((f) => f.fingerprint)).size).toBe(before.findings.length);
  });

  it('follows its options: trusted owners, no secret scan (evidence still redacted), excludes', async () => {
    const repo = tempRepo();
    cleanups.push(repo.remove);
    plantRepository(repo);
    const result = await observe(repo, { secrets: false, trustedActionOwners: ['actions', 'Codecov'], exclude: ['.gitlab-ci.yml', 'scripts/**'] });
    expect(rules(result.findings)['supply-chain/secret']).toBeUndefined();
    expect(result.findings.filter((f) => f.rule === 'supply-chain/unpinned-action').map((f) => f.data['uses'])).toEqual([
      'docker://alpine:3.19',
      'octo-org/shared/.github/workflows/build.yml@main',
    ]);
    expect(result.findings.some((f) => (f.location as { path: string }).path === '.gitlab-ci.yml' || (f.location as { path: string }).path.startsWith('scripts/'))).toBe(false);
    const release = result.findings.find((f) => f.rule === 'supply-chain/curl-pipe-shell' && (f.location as { path: string }).path === '.github/workflows/release.yml')!;
    expect(release.data['command']).toBe(`curl -H "Authorization: token ${s.github.slice(0, 4)}…" https://example.com/release.sh | bash`);
    expect(JSON.stringify(result)).not.toContain(s.github);
    expect(result.facts).toMatchObject({ secretsScanned: false });
  });

  it('observes a plain directory (no git), skips oversized files, and is ok when all is readable', async () => {
    const repo = tempRepo({ git: false });
    cleanups.push(repo.remove);
    repo.write('.github/workflows/ok.yml', fixture('workflows/clean.yml.fixture'));
    repo.write('big.txt', `${'x'.repeat(2000)}\n`);
    mkdirSync(join(repo.dir, 'elsewhere'));
    repo.write('elsewhere/secret.env', `TOKEN=${s.github}\n`);
    symlinkSync(join(repo.dir, 'elsewhere', 'secret.env'), join(repo.dir, 'link.env'));
    const result = await observe(repo, { maxFileSize: 1000, exclude: ['elsewhere/**'] });
    expect(result.status).toBe('ok');
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.facts).toMatchObject({ source: 'filesystem', filesSkipped: { 'too-large': 1 } });
    expect(metric(result.metrics, 'supply_chain.pinned_actions_ratio')).toBe(1);
    expect(result.metrics.filter((m) => m.name === 'supply_chain.findings').every((m) => m.value === 0)).toBe(true);
  });

  it('reports an oversized workflow as an error (not silently skipped)', async () => {
    const repo = tempRepo();
    cleanups.push(repo.remove);
    repo.write('.github/workflows/huge.yml', `on: push\n# ${'x'.repeat(5000)}\n`);
    repo.commit('huge');
    const result = await observe(repo, { maxFileSize: 1000 });
    expect(result.status).toBe('partial');
    expect(result.errors).toEqual([expect.objectContaining({ path: '.github/workflows/huge.yml', code: 'too-large' })]);
  });

  it('stops when aborted', async () => {
    const repo = tempRepo();
    cleanups.push(repo.remove);
    plantRepository(repo);
    const controller = new AbortController();
    controller.abort();
    await expect(supplyChainProbe.run({ ...context(repo.dir), signal: controller.signal }, supplyChainConfigSchema.parse({}))).rejects.toThrow();
  });
});

describe('probe contract', () => {
  it('documents every option and rejects unknown ones', () => {
    expect(supplyChainProbe.options.map((option) => option.key).sort()).toEqual(Object.keys(supplyChainConfigSchema.shape).sort());
    expect(supplyChainConfigSchema.safeParse({ nope: 1 }).success).toBe(false);
    expect(supplyChainProbe.rules.map((rule) => rule.id)).toEqual(RULE_NAMES.map((name) => `supply-chain/${name}`));
    expect(supplyChainProbe.appliesTo({ name: 'x', sources: { hosts: ['local'] } })).toBe(false);
  });
});
