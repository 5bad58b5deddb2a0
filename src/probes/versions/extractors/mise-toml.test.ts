import { describe, expect, it } from 'vitest';
import { miseTomlExtractor } from './mise-toml.js';

describe('miseTomlExtractor', () => {
  it.each([
    ['mise.toml', true],
    ['.mise.toml', true],
    ['mise.local.toml', true],
    ['mise.production.toml', true],
    ['.config/mise.toml', true],
    ['.config/mise/config.toml', true],
    ['.mise/config.toml', true],
    ['.rtx.toml', true],
    ['config.toml', false],
    ['pyproject.toml', false],
  ])('%s → %s', (path, expected) => {
    expect(miseTomlExtractor.fileRequired(path)).toBe(expected);
  });

  it('reads [tools] strings, arrays and tables', () => {
    const text = [
      '[env]',
      'NODE_ENV = "production"',
      '',
      '[tools]',
      'node = "20"',
      'python = ["3.11", "3.10"]',
      '"go" = { version = "1.21.5" }',
      'java = "21"',
      'ruby = "prefix:3.2"',
      '"npm:prettier" = "3"',
      'terraform = "latest"',
      'rust = "ref:master"',
    ].join('\n');
    const result = miseTomlExtractor.extract({ path: 'mise.toml', text });
    expect(result.errors).toEqual([]);
    expect(result.components.map((c) => `${c.source.line} ${c.name} ${c.product}/${c.cycle ?? '-'} ${c.version ?? `~${c.constraint}`}`)).toEqual([
      '5 node nodejs/20 ~20',
      '6 python python/3.11 ~3.11',
      '6 python python/3.10 ~3.10',
      '7 go go/1.21 1.21.5',
      '8 java openjdk-builds-from-oracle/21 ~21',
      '9 ruby ruby/3.2 ~3.2',
      '11 terraform terraform/- ~latest',
    ]);
  });

  it('reports broken TOML with its line, and a [tools] that is not a table', () => {
    const broken = miseTomlExtractor.extract({ path: 'mise.toml', text: '[tools]\nnode = \n' });
    expect(broken.errors[0]!.message).toMatch(/not valid TOML/);
    expect(broken.errors[0]!.line).toBe(2);
    expect(miseTomlExtractor.extract({ path: 'mise.toml', text: 'tools = 3\n' }).errors).toEqual([{ message: '[tools] is not a table', line: 1 }]);
  });
});
