import { describe, expect, it } from 'vitest';
import { analyseCiConfig } from './ci.js';
import { analyseLine, analyseScript, commandWords, logicalLines, pipelines, words, type ShellOptions } from './shell.js';
import { fixture, identity } from './test-support/fixtures.js';

const ci: ShellOptions = { context: 'github-workflow', yarnBerry: false };
const script: ShellOptions = { context: 'script', yarnBerry: false };
const kinds = (text: string, options: ShellOptions = ci): string[] => analyseLine(text, 1, options).map((hit) => `${hit.rule}:${hit.kind}`);

describe('tokenising', () => {
  it('joins continued lines and drops comment lines', () => {
    expect(logicalLines('a \\\n  b\n# c\n\nd\\\\\ne', 10)).toEqual([
      { text: 'a  b', line: 10 },
      { text: 'd\\\\', line: 14 },
      { text: 'e', line: 15 },
    ]);
  });

  it('splits pipelines and commands outside quotes and substitutions', () => {
    expect(pipelines('a | b && c || d; e & f |& g')).toEqual([['a', 'b'], ['c'], ['d'], ['e'], ['f', 'g']]);
    expect(pipelines(`echo "x | y" 'p;q' $(u | v) && w # x | sh`)).toEqual([[`echo "x | y" 'p;q' $(u | v)`], ['w']]);
    expect(pipelines('(cd x && curl u | sh)')).toEqual([['cd x'], ['curl u', 'sh']]);
    expect(pipelines('cmd 2>&1 | tee log')).toEqual([['cmd 2>&1', 'tee log']]);
  });

  it('splits words and drops wrappers', () => {
    expect(words(`a "b c" 'd e' f\\ g $(h i)`)).toEqual(['a', 'b c', 'd e', 'f g', '$(h i)']);
    expect(commandWords(['sudo', '-E', '-u', 'root', 'env', 'A=1', '-i', 'bash', '-s'])).toEqual(['bash', '-s']);
    expect(commandWords(['FOO=bar', 'time', 'npm', 'i'])).toEqual(['npm', 'i']);
  });
});

describe('curl-pipe-shell', () => {
  it.each([
    'curl -fsSL https://get.docker.com | sh',
    'curl -sSL https://x | sudo bash',
    'wget -qO- https://x | sudo -E bash -',
    'curl https://x | bash -s -- --flag',
    'curl -L https://x | tee install.sh | sh',
    'curl https://x | python3 -',
    'curl https://x | python',
    'curl https://x | /bin/bash',
    'bash <(curl -s https://x)',
    'source <(curl -s https://x)',
    'sh -c "$(curl -fsSL https://x)"',
    'bash -c "$(wget -O- https://x)"',
    'eval "$(curl -s https://x)"',
    'iex (iwr https://x -UseBasicParsing)',
    "iex ((New-Object System.Net.WebClient).DownloadString('https://x'))",
    'irm https://get.scoop.sh | iex',
    "Invoke-WebRequest https://x | Invoke-Expression",
    'sh -c "curl https://x | sh"',
    'if true; then curl https://x | sh; fi',
  ])('flags %s', (command) => {
    expect(kinds(command, script)).toEqual(['curl-pipe-shell:download-piped-to-shell']);
  });

  it.each([
    'curl -fsSL https://x | gpg --dearmor -o /usr/share/keyrings/x.gpg',
    'curl -s https://x | python3 -m json.tool',
    'curl -s https://x | python -c "import sys, json"',
    'curl -sSL https://x | tar xz',
    'curl -fsSL https://x -o install.sh && sha256sum -c sums && sh install.sh',
    'echo "curl https://x | sh"',
    'cat script.sh | sh',
    'curl https://x | bash install.sh',
    'curl https://x | node -e "process.stdin.pipe(process.stdout)"',
    'Invoke-WebRequest -Uri https://x -OutFile f.zip',
  ])('does not flag %s', (command) => {
    expect(kinds(command, script)).toEqual([]);
  });
});

describe('npm-install-in-ci', () => {
  it.each([
    ['npm install', 'npm-install'],
    ['npm i', 'npm-install'],
    ['npm --prefix web install --no-audit', 'npm-install'],
    ['npm install lodash', 'npm-install-package'],
    ['npm install -g typescript', 'npm-install-global-unpinned'],
    ['sudo npm i -g @angular/cli@latest', 'npm-install-global-unpinned'],
    ['yarn', 'yarn-install'],
    ['yarn install', 'yarn-install'],
    ['yarn add left-pad', 'yarn-add'],
    ['pnpm install', 'pnpm-install-implicit'],
    ['pnpm i --no-frozen-lockfile', 'pnpm-install-unfrozen'],
    ['pip install requests', 'pip-install'],
    ['python3 -m pip install -r requirements.txt', 'pip-install'],
    ['pip3 install -e .', 'pip-install'],
  ])('flags %s', (command, kind) => {
    expect(kinds(command)).toEqual([`npm-install-in-ci:${kind}`]);
  });

  it.each([
    'npm ci',
    'npm ci --omit=dev',
    'npm run build',
    'npm install -g npm@10.5.0',
    'npm install -g @scope/tool@1.2.3 other@4.5.6',
    'yarn install --frozen-lockfile',
    'yarn install --immutable',
    'yarn build',
    'pnpm install --frozen-lockfile',
    'pnpm add -g pnpm',
    'pip install --require-hashes -r requirements.txt',
    'pip install --upgrade pip setuptools wheel',
    'python -m pip install -U pip',
    'pip download requests',
    'echo npm install',
  ])('does not flag %s', (command) => {
    expect(kinds(command)).toEqual([]);
  });

  it('trusts yarn berry under CI but not in Dockerfiles, and ignores installs in plain scripts', () => {
    expect(kinds('yarn install', { context: 'ci', yarnBerry: true })).toEqual([]);
    expect(kinds('yarn install', { context: 'dockerfile', yarnBerry: true })).toEqual(['npm-install-in-ci:yarn-install']);
    expect(kinds('pnpm install', { context: 'dockerfile', yarnBerry: false })).toEqual(['npm-install-in-ci:pnpm-install']);
    expect(kinds('npm install', script)).toEqual([]);
  });

  it('finds installs inside sh -c scripts', () => {
    expect(kinds(`bash -lc 'cd web && npm install'`)).toEqual(['npm-install-in-ci:npm-install']);
  });
});

describe('scripts', () => {
  it('reads a shell script with its lines', () => {
    const hits = analyseScript(fixture('scripts/install.sh.fixture'), 1, script);
    expect(hits.map((hit) => `${hit.line} ${hit.rule}`)).toEqual(['4 curl-pipe-shell', '5 curl-pipe-shell', '6 curl-pipe-shell', '7 curl-pipe-shell', '13 curl-pipe-shell']);
  });

  it('reads Makefile recipes ($$ is $, @ is dropped)', () => {
    const hits = analyseScript(fixture('scripts/Makefile.fixture'), 1, { context: 'makefile', yarnBerry: false });
    expect(hits.map((hit) => hit.line)).toEqual([3]);
    expect(hits[0]!.command).toMatch(/^curl -sSfL .* \| sh -s -- -b \$\(go env GOPATH\)\/bin v1\.55\.2$/);
  });

  it('reads PowerShell', () => {
    const hits = analyseScript(fixture('scripts/install.ps1.fixture'), 1, script);
    expect(hits.map((hit) => hit.line)).toEqual([2, 3]);
  });
});

describe('analyseCiConfig', () => {
  it('reads GitLab CI scripts and images', () => {
    const result = analyseCiConfig('.gitlab-ci.yml', fixture('ci/gitlab-ci.yml.fixture'), identity, false);
    expect(result.errors).toEqual([]);
    expect(result.hits.map((hit) => `${hit.line} ${hit.rule} ${hit.severity} ${String(hit.data['image'] ?? hit.data['command'])}`)).toEqual([
      '1 unpinned-image medium node:20',
      '4 unpinned-image medium postgres:16',
      '11 npm-install-in-ci medium npm install',
      '16 unpinned-image high cypress/included:latest',
      '19 npm-install-in-ci medium yarn install',
      '21 curl-pipe-shell high curl -sL https://example.com/setup | bash',
      '28 npm-install-in-ci low pip install awscli',
    ]);
  });

  it('reads CircleCI run steps and docker images, not machine images', () => {
    const result = analyseCiConfig('.circleci/config.yml', fixture('ci/circleci-config.yml.fixture'), identity, false);
    expect(result.hits.map((hit) => `${hit.line} ${hit.rule}`)).toEqual(['5 unpinned-image', '8 npm-install-in-ci', '11 curl-pipe-shell']);
  });
});
