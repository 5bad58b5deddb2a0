import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { githubActionsExtractor } from './github-actions.js';

const PATH = '.github/workflows/ci.yml';

function summary(text: string): string[] {
  const result = githubActionsExtractor.extract({ path: PATH, text });
  return result.components.map((c) => `${c.source.line} ${c.kind} ${c.name} ${c.product ?? '-'}/${c.cycle ?? '-'} ${c.version ?? `~${c.constraint}`}${c.dev ? '' : ' prod'}`);
}

describe('githubActionsExtractor.fileRequired', () => {
  it.each([
    ['.github/workflows/ci.yml', true],
    ['.github/workflows/release.yaml', true],
    ['.github/workflows/sub/x.yml', false],
    ['.github/dependabot.yml', false],
    ['app/.github/workflows/ci.yml', false],
  ])('%s → %s', (path, expected) => {
    expect(githubActionsExtractor.fileRequired(path)).toBe(expected);
  });
});

describe('githubActionsExtractor', () => {
  // `lts/*` is the newest LTS on the day the files are read.
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-08-22T00:00:00Z'));
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it('reads setup actions, matrices, runner labels, containers and services', () => {
    const text = `name: ci
on: push
env:
  GO: '1.21'
jobs:
  test:
    runs-on: \${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-20.04, ubuntu-latest, windows-2022, macos-14]
        node: [16, 18.x, 'lts/*']
        include:
          - node: 20
            experimental: true
    services:
      db:
        image: postgres:11
      cache:
        image: \${{ matrix.redis }}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: \${{ matrix.node }}
      - uses: actions/setup-go@v5
        with:
          go-version: \${{ env.GO }}
      - uses: actions/setup-python@v5
        with:
          python-version: |
            3.10
            3.11
      - uses: actions/setup-java@v4
        with:
          distribution: zulu
          java-version: 17
      - uses: actions/setup-dotnet@v4
        with:
          dotnet-version: 8.0.x
      - uses: actions/setup-node@v4
        with:
          node-version-file: .nvmrc
      - uses: actions/setup-node@v4
        with:
          node-version: \${{ inputs.node }}
  lint:
    runs-on: ubuntu-22.04
    container:
      image: node:18-bullseye
    steps:
      - uses: ruby/setup-ruby@v1
        with:
          ruby-version: '3.2'
`;
    expect(summary(text)).toEqual([
      '10 os ubuntu ubuntu/20.04 ~20.04',
      '10 os windows-server windows-server/2022 ~2022',
      '10 os macos macos/14 ~14',
      '17 middleware postgres postgresql/11 ~11',
      '11 runtime node nodejs/16 ~16',
      '11 runtime node nodejs/18 ~18.x',
      '11 runtime node nodejs/24 ~lts/*',
      '13 runtime node nodejs/20 ~20',
      '27 runtime go go/1.21 ~1.21',
      '31 runtime python python/3.10 ~3.10',
      '32 runtime python python/3.11 ~3.11',
      '36 runtime java azul-zulu/17 ~17',
      '39 runtime dotnet dotnet/8 ~8.0.x',
      '47 os ubuntu ubuntu/22.04 ~22.04',
      '49 runtime node nodejs/18 ~18-bullseye',
      '49 os debian debian/11 ~bullseye',
      '53 runtime ruby ruby/3.2 ~3.2',
    ]);
  });

  it('reports YAML errors with their line and reads nothing else from a broken file', () => {
    const result = githubActionsExtractor.extract({ path: PATH, text: 'jobs:\n  a:\n    runs-on: [ubuntu-20.04\n' });
    expect(result.components).toEqual([]);
    expect(result.errors[0]!.message).toMatch(/not valid YAML/);
    expect(result.errors[0]!.line).toBeGreaterThan(0);
  });

  it('ignores workflows without jobs and odd shapes', () => {
    expect(githubActionsExtractor.extract({ path: PATH, text: 'on: push\n' })).toEqual({ components: [], errors: [] });
    expect(githubActionsExtractor.extract({ path: PATH, text: 'jobs: [1, 2]\n' })).toEqual({ components: [], errors: [] });
    expect(githubActionsExtractor.extract({ path: PATH, text: 'jobs:\n  a:\n    steps: {x: 1}\n    runs-on: {labels: [ubuntu-24.04]}\n' }).components.map((c) => c.cycle)).toEqual(['24.04']);
  });
});
