import { describe, expect, it } from 'vitest';
import { analyseDockerfile, dockerInstructions, isDockerfilePath, substitute } from './dockerfile.js';
import { fixture, identity } from './test-support/fixtures.js';

const summary = (hits: ReturnType<typeof analyseDockerfile>['hits']): string[] =>
  hits.map((hit) => `${hit.line} ${hit.rule} ${hit.severity} ${String(hit.data['image'] ?? hit.data['command'])}`);

describe('isDockerfilePath', () => {
  it('recognises Dockerfiles and Containerfiles, not their tests or docs', () => {
    for (const path of ['Dockerfile', 'docker/Dockerfile.prod', 'Dockerfile-alpine', 'app.dockerfile', 'Containerfile']) expect(isDockerfilePath(path)).toBe(true);
    for (const path of ['Dockerfile.md', '.dockerignore', 'dockerfile.test.ts', 'src/dockerfile.ts', 'Dockerfile.fixture', 'docs/dockerfile.txt']) expect(isDockerfilePath(path)).toBe(false);
  });
});

describe('dockerInstructions', () => {
  it('joins continuations, skips comments inside them, and keeps heredoc bodies with their lines', () => {
    const text = ['FROM a', 'RUN echo one \\', '  # a comment', '  && echo two', 'RUN <<EOF', 'echo three', 'EOF', 'CMD ["x"]'].join('\n');
    expect(dockerInstructions(text)).toEqual([
      { keyword: 'FROM', args: 'a', line: 1, heredoc: [] },
      { keyword: 'RUN', args: 'echo one  && echo two', line: 2, heredoc: [] },
      { keyword: 'RUN', args: '<<EOF', line: 5, heredoc: [{ text: 'echo three', line: 6 }] },
      { keyword: 'CMD', args: '["x"]', line: 8, heredoc: [] },
    ]);
  });

  it('honours the escape directive', () => {
    const text = ['# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN powershell -Command `', '  iex (iwr https://example.com/i.ps1)'].join('\r\n');
    expect(dockerInstructions(text)[1]).toMatchObject({ keyword: 'RUN', line: 3 });
    expect(dockerInstructions(text)[1]!.args).toContain('iex (iwr');
  });
});

describe('substitute', () => {
  it('expands ARG defaults and leaves unknown variables unresolved', () => {
    const vars = new Map([['V', '20']]);
    expect(substitute('node:${V}-alpine', vars)).toBe('node:20-alpine');
    expect(substitute('node:$V', vars)).toBe('node:20');
    expect(substitute('node:${MISSING:-18}', vars)).toBe('node:18');
    expect(substitute('$MISSING', vars)).toBeNull();
  });
});

describe('analyseDockerfile', () => {
  const result = analyseDockerfile('Dockerfile', fixture('docker/Dockerfile.fixture'), identity, { yarnBerry: false });

  it('checks FROM images after ARG substitution, skipping stages, scratch and digests', () => {
    expect(summary(result.hits.filter((hit) => hit.rule === 'unpinned-image'))).toEqual([
      '5 unpinned-image medium node:20-alpine',
      '23 unpinned-image high python',
      '24 unpinned-image high ubuntu:latest',
    ]);
    expect(result.hits[0]!.data).toMatchObject({ written: 'node:${NODE_VERSION}-alpine', tag: '20-alpine', floating: false, site: 'dockerfile' });
    expect(result.hits[0]!.remediation).toContain('FROM node:20-alpine@sha256:<digest>');
    expect(result.unresolved).toBe(1);
  });

  it('finds downloads piped to shells in RUN (continued, heredoc and exec form)', () => {
    expect(summary(result.hits.filter((hit) => hit.rule === 'curl-pipe-shell'))).toEqual([
      '9 curl-pipe-shell high curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs',
      '13 curl-pipe-shell high wget -qO- https://example.com/install.sh | sh',
      '17 curl-pipe-shell high curl -s https://example.com/x | sh',
    ]);
  });

  it('finds installs that bypass the lockfile, ignoring pinned global tools', () => {
    expect(summary(result.hits.filter((hit) => hit.rule === 'npm-install-in-ci'))).toEqual([
      '8 npm-install-in-ci medium npm install',
      '27 npm-install-in-ci low npm install -g typescript',
    ]);
  });

  it('reads pnpm and yarn installs as outside CI', () => {
    const hits = analyseDockerfile('Dockerfile', 'FROM x@sha256:' + 'a'.repeat(64) + '\nRUN pnpm install && yarn', identity, { yarnBerry: true }).hits;
    expect(hits.map((hit) => hit.data['kind'])).toEqual(['pnpm-install', 'yarn-install']);
  });
});
