import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toolVersionsExtractor } from './tool-versions.js';

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-08-22T00:00:00Z'));
});
afterAll(() => {
  vi.useRealTimers();
});

describe('toolVersionsExtractor', () => {
  it('reads every version of every tracked tool', () => {
    const text = [
      '# runtimes',
      'nodejs 18.17.0 16.20.0',
      'python 3.11.4 system',
      'golang 1.21.5',
      'ruby 3.2.2 # the app',
      'java temurin-17.0.8+7',
      'java corretto-21.0.1.12.1',
      'terraform 1.5.7',
      'elixir 1.15.4-otp-26',
      'erlang 26.0.2',
      'rust 1.72.0',
      'shellcheck 0.9.0',
      'postgres 15.4',
      'kotlin ref:main',
      'nodejs lts',
    ].join('\n');
    expect(toolVersionsExtractor.fileRequired('.tool-versions')).toBe(true);
    const result = toolVersionsExtractor.extract({ path: '.tool-versions', text });
    expect(result.errors).toEqual([]);
    expect(result.components.map((c) => `${c.source.line} ${c.kind} ${c.name} ${c.product}/${c.cycle ?? '-'} ${c.version ?? `~${c.constraint}`}`)).toEqual([
      '2 runtime node nodejs/18 18.17.0',
      '2 runtime node nodejs/16 16.20.0',
      '3 runtime python python/3.11 3.11.4',
      '4 runtime go go/1.21 1.21.5',
      '5 runtime ruby ruby/3.2 3.2.2',
      '6 runtime java eclipse-temurin/17 17.0.8+7',
      '7 runtime java amazon-corretto/21 21.0.1.12.1',
      '8 middleware terraform terraform/1.5 1.5.7',
      '9 runtime elixir elixir/1.15 1.15.4-otp-26',
      '10 runtime erlang erlang/26 26.0.2',
      '11 runtime rust rust/1.72 1.72.0',
      '13 middleware postgresql postgresql/15 15.4',
      '15 runtime node nodejs/24 ~lts',
    ]);
  });

  it('reports lines that are not "<tool> <version>"', () => {
    expect(toolVersionsExtractor.extract({ path: '.tool-versions', text: 'nodejs\n{"x": 1}\n' }).errors).toEqual([
      { message: 'expected "<tool> <version>", got "nodejs"', line: 1 },
      { message: 'expected "<tool> <version>", got "{\\"x\\": 1}"', line: 2 },
    ]);
  });
});
