import { describe, expect, it } from 'vitest';
import { analyseActionManifest, analyseWorkflow, classifyUses, isActionManifestPath, isWorkflowPath, untrustedExpressions } from './github.js';
import type { Hit } from './model.js';
import { fixture, githubOptions } from './test-support/fixtures.js';

const byRule = (hits: Hit[], rule: Hit['rule']): Hit[] => hits.filter((hit) => hit.rule === rule);
const summary = (hits: Hit[]): string[] => hits.map((hit) => `${hit.line} ${hit.severity} ${String(hit.data['uses'] ?? hit.data['image'] ?? hit.data['command'] ?? hit.data['kind'])}`);

describe('paths', () => {
  it('recognises workflows only directly under .github/workflows', () => {
    expect(isWorkflowPath('.github/workflows/ci.yml')).toBe(true);
    expect(isWorkflowPath('.github/workflows/Release.YAML')).toBe(true);
    expect(isWorkflowPath('.github/workflows/sub/ci.yml')).toBe(false);
    expect(isWorkflowPath('sub/.github/workflows/ci.yml')).toBe(false);
    expect(isWorkflowPath('.github/workflows/ci.yml.fixture')).toBe(false);
    expect(isActionManifestPath('.github/actions/setup/action.yml')).toBe(true);
    expect(isActionManifestPath('action.yaml')).toBe(true);
    expect(isActionManifestPath('my-action.yml')).toBe(false);
  });
});

describe('classifyUses', () => {
  it('tells local, docker, pinned and unpinned references apart', () => {
    expect(classifyUses('./.github/actions/x')).toEqual({ type: 'local' });
    expect(classifyUses('actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11')).toMatchObject({ type: 'action', pinned: true, owner: 'actions' });
    expect(classifyUses('actions/checkout@v4')).toMatchObject({ type: 'action', pinned: false, ref: 'v4' });
    expect(classifyUses('actions/checkout@b4ffde6')).toMatchObject({ type: 'action', pinned: false });
    expect(classifyUses('Org/Repo/path/to@main')).toMatchObject({ type: 'action', action: 'Org/Repo/path/to', owner: 'org', ref: 'main', pinned: false });
    expect(classifyUses('owner/repo')).toMatchObject({ type: 'action', ref: null, pinned: false });
    expect(classifyUses('docker://alpine:3.19')).toMatchObject({ type: 'docker', pinned: false, floating: false });
    expect(classifyUses('docker://alpine')).toMatchObject({ type: 'docker', pinned: false, floating: true });
    expect(classifyUses(`docker://alpine@sha256:${'a'.repeat(64)}`)).toMatchObject({ type: 'docker', pinned: true });
    expect(classifyUses('${{ matrix.action }}')).toEqual({ type: 'expression' });
  });
});

describe('untrustedExpressions', () => {
  it('finds the attacker-controlled contexts and leaves the others', () => {
    const script = [
      'echo "${{ github.event.issue.title }}"',
      'echo "${{ github.event.pull_request.body }}"',
      'echo "${{ github.head_ref }}"',
      'echo "${{ github.event.commits[0].message }}"',
      'echo "${{ github.event.head_commit.author.email }}"',
      'echo "${{ github.event.pull_request.head.ref }}"',
      'echo "${{ github.event.comment.body }}"',
      'echo "${{ github.event.pages[0].page_name }}"',
      'echo "${{ github.event.workflow_run.head_branch }}"',
      'echo "${{ toJSON(github.event.pull_request.labels.*.name) }}"',
      'echo "${{ github.event.issue.number }} ${{ github.sha }} ${{ github.event.pull_request.head.sha }} ${{ inputs.title }}"',
      'echo "${{ github.event.issue.title',
    ].join('\n');
    expect(untrustedExpressions(script).map((e) => e.expression)).toEqual([
      'github.event.issue.title',
      'github.event.pull_request.body',
      'github.head_ref',
      'github.event.commits[0].message',
      'github.event.head_commit.author.email',
      'github.event.pull_request.head.ref',
      'github.event.comment.body',
      'github.event.pages[0].page_name',
      'github.event.workflow_run.head_branch',
      'toJSON(github.event.pull_request.labels.*.name)',
    ]);
  });
});

describe('analyseWorkflow: a typical CI workflow', () => {
  const result = analyseWorkflow('.github/workflows/ci.yml', fixture('workflows/ci.yml.fixture'), githubOptions());

  it('reports every action not pinned to a SHA, third parties higher', () => {
    expect(summary(byRule(result.hits, 'unpinned-action'))).toEqual([
      '17 medium actions/checkout@v4',
      '18 medium actions/setup-node@v4',
      '21 high codecov/codecov-action@v4.1.0',
      '22 medium docker://alpine:3.19',
      '29 medium actions/checkout@v4',
      '31 high octo-org/shared/.github/workflows/build.yml@main',
    ]);
    const checkout = byRule(result.hits, 'unpinned-action')[0]!;
    expect(checkout.key).toBe(byRule(result.hits, 'unpinned-action')[4]!.key); // same reference, same finding
    expect(checkout.remediation).toContain('uses: actions/checkout@<40-character commit SHA of v4> # v4');
    expect(checkout.data).toMatchObject({ action: 'actions/checkout', owner: 'actions', ref: 'v4', refType: 'version-tag', githubOwned: true });
  });

  it('counts remote references for the pinned ratio (local actions excluded)', () => {
    expect(result.refs).toEqual({ total: 7, pinned: 1 });
  });

  it('reports job and service images without a digest', () => {
    expect(summary(byRule(result.hits, 'unpinned-image'))).toEqual(['11 medium node:20', '15 high redis']);
  });

  it('reports the missing top-level permissions', () => {
    const [permissions] = byRule(result.hits, 'workflow-permissions');
    expect(permissions).toMatchObject({ severity: 'medium', line: 1, key: 'missing\0workflow', data: { kind: 'missing-top-level', jobsWithoutPermissions: ['test', 'reuse'] } });
  });

  it('runs the command rules on run: scripts at their own lines', () => {
    expect(summary(byRule(result.hits, 'npm-install-in-ci'))).toEqual(['25 medium npm install']);
    expect(summary(byRule(result.hits, 'curl-pipe-shell'))).toEqual(['27 high curl -fsSL https://get.example.com/install.sh | bash']);
  });

  it('makes no other finding and no error', () => {
    expect(result.errors).toEqual([]);
    expect(result.hits).toHaveLength(6 + 2 + 1 + 2);
  });

  it('lets trusted owners use tags', () => {
    const trusted = analyseWorkflow('.github/workflows/ci.yml', fixture('workflows/ci.yml.fixture'), githubOptions({ trustedOwners: new Set(['actions', 'codecov']) }));
    expect(summary(byRule(trusted.hits, 'unpinned-action'))).toEqual(['22 medium docker://alpine:3.19', '31 high octo-org/shared/.github/workflows/build.yml@main']);
    expect(trusted.refs).toEqual({ total: 7, pinned: 1 });
  });
});

describe('analyseWorkflow: dangerous workflows', () => {
  it('reports a pull_request_target checkout of the head followed by a build, and github-script injection', () => {
    const result = analyseWorkflow('.github/workflows/preview.yml', fixture('workflows/pwn-request.yml.fixture'), githubOptions());
    const dangerous = byRule(result.hits, 'dangerous-workflow');
    expect(dangerous.map((hit) => [hit.line, hit.severity, hit.data['kind'], hit.data['job']])).toEqual([
      [16, 'critical', 'untrusted-checkout', 'preview'],
      [27, 'critical', 'script-injection', 'comment'],
    ]);
    expect(dangerous[0]!.data).toMatchObject({ ref: '${{ github.event.pull_request.head.sha }}', runLine: 20, triggers: ['pull_request_target'] });
    expect(dangerous[1]!.data).toMatchObject({ expression: 'github.event.pull_request.title', where: 'github-script', privileged: true });
    expect(dangerous[1]!.remediation).toContain('env: VALUE: ${{ github.event.pull_request.title }}');
    // The base-branch checkout of `label` and `pull_request.number` are safe; permissions are set; all pinned.
    expect(result.hits.filter((hit) => hit.rule !== 'dangerous-workflow')).toEqual([]);
  });

  it('reports workflow_run head checkouts followed by a local action, and write-all', () => {
    const result = analyseWorkflow('.github/workflows/deploy.yml', fixture('workflows/workflow-run.yml.fixture'), githubOptions());
    expect(summary(result.hits)).toEqual(['6 high write-all', '13 critical untrusted-checkout']);
    expect(result.hits[1]!.data).toMatchObject({ runLine: 15, triggers: ['workflow_run'] });
  });

  it('does not report a checkout of the head that nothing runs', () => {
    const source = [
      'on: pull_request_target',
      'permissions: {}',
      'jobs:',
      '  diff:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      `      - uses: actions/checkout@${'c'.repeat(40)}`,
      '        with:',
      '          ref: ${{ github.event.pull_request.head.sha }}',
      `      - uses: actions/upload-artifact@${'d'.repeat(40)}`,
    ].join('\n');
    expect(analyseWorkflow('.github/workflows/x.yml', source, githubOptions()).hits).toEqual([]);
  });

  it('reports script injection in run:, critical under issue triggers, and write-all jobs', () => {
    const result = analyseWorkflow('.github/workflows/triage.yml', fixture('workflows/issue-triage.yml.fixture'), githubOptions());
    expect(summary(result.hits)).toEqual(['10 high write-all', '14 critical script-injection', '15 critical script-injection']);
    expect(result.hits[1]!.data).toMatchObject({ expression: 'github.event.issue.title', where: 'run', job: 'label', triggers: ['issues', 'issue_comment'] });
    expect(result.hits[1]!.key).not.toBe(result.hits[2]!.key);
  });

  it('rates injection under unprivileged triggers high', () => {
    const source = ['on: pull_request', 'permissions: {}', 'jobs:', '  a:', '    runs-on: x', '    steps:', '      - run: echo ${{ github.head_ref }}'].join('\n');
    const [hit] = analyseWorkflow('.github/workflows/x.yml', source, githubOptions()).hits;
    expect(hit).toMatchObject({ rule: 'dangerous-workflow', severity: 'high', line: 7 });
  });
});

describe('analyseWorkflow: permissions', () => {
  it('does not ask reusable workflows for top-level permissions', () => {
    expect(analyseWorkflow('.github/workflows/r.yml', fixture('workflows/reusable.yml.fixture'), githubOptions()).hits).toEqual([]);
  });

  it('rates missing top-level permissions low when every job scopes its token', () => {
    const source = ['on: push', 'jobs:', '  a:', '    permissions:', '      contents: read', '    runs-on: x', '    steps: []'].join('\n');
    expect(summary(analyseWorkflow('.github/workflows/x.yml', source, githubOptions()).hits)).toEqual(['1 low missing-top-level']);
  });

  it('finds nothing in a clean workflow', () => {
    const result = analyseWorkflow('.github/workflows/clean.yml', fixture('workflows/clean.yml.fixture'), githubOptions());
    expect(result.hits).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.refs).toEqual({ total: 2, pinned: 2 });
  });

  it('reads `on` written as a YAML 1.1 boolean key', () => {
    const source = ['%YAML 1.1', '---', 'on: workflow_call', 'jobs: {}'].join('\n');
    expect(analyseWorkflow('.github/workflows/x.yml', source, githubOptions()).hits).toEqual([]);
  });
});

describe('analyseActionManifest', () => {
  it('reads composite action steps', () => {
    const result = analyseActionManifest('.github/actions/setup/action.yml', fixture('actions/action.yml.fixture'), githubOptions());
    expect(summary(result.hits)).toEqual([
      '10 medium actions/cache@v4',
      '16 high wget -qO- https://example.com/tool.sh | sudo -E bash -s -- --version "${{ inputs.version }}"',
      '17 low pip install -r requirements.txt',
      '19 high script-injection',
    ]);
    expect(result.hits[3]).toMatchObject({ rule: 'dangerous-workflow', data: { triggers: [], privileged: false } });
    expect(result.refs).toEqual({ total: 1, pinned: 0 });
  });

  it('reads the image of a Docker action', () => {
    const result = analyseActionManifest('lint/action.yml', fixture('actions/docker-action.yml.fixture'), githubOptions());
    expect(summary(result.hits)).toEqual(['5 high docker://ghcr.io/example/linter:latest']);
  });
});

describe('robustness', () => {
  it('reports malformed YAML as a file-scoped error with its line', () => {
    const result = analyseWorkflow('.github/workflows/x.yml', 'on: push\njobs:\n  a: [unclosed\n', githubOptions());
    expect(result.hits).toEqual([]);
    expect(result.errors[0]).toMatchObject({ code: 'yaml' });
    expect(result.errors[0]!.message).toMatch(/^not valid YAML/);
  });

  it('turns an alias bomb into an error', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`);
    const result = analyseWorkflow('.github/workflows/bomb.yml', lines.join('\n'), githubOptions());
    expect(result.errors.length).toBeGreaterThan(0);
  });

  it('reads a workflow with thousands of steps', () => {
    const steps = Array.from({ length: 5000 }, (_, i) => `      - uses: actions/cache@v${i}\n      - run: npm install ${i % 2 === 0 ? '' : '--no-audit'}`).join('\n');
    const source = `on: push\npermissions: {}\njobs:\n  big:\n    runs-on: x\n    steps:\n${steps}\n`;
    const result = analyseWorkflow('.github/workflows/big.yml', source, githubOptions());
    expect(result.refs.total).toBe(5000);
    expect(byRule(result.hits, 'unpinned-action')).toHaveLength(5000);
    expect(new Set(byRule(result.hits, 'npm-install-in-ci').map((hit) => hit.key)).size).toBe(2);
  });
});
