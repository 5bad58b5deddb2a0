import { describe, expect, it } from 'vitest';
import { allValues, baseName, dirName, firstValue, guarded, looksLikeVersionValue, runtimeComponent, substitute, tomlKeyLine } from './runtime-support.js';

describe('runtime support', () => {
  it('splits paths', () => {
    expect(baseName('a/b/.nvmrc')).toBe('.nvmrc');
    expect(baseName('.nvmrc')).toBe('.nvmrc');
    expect(dirName('a/b/c')).toBe('a/b');
    expect(dirName('c')).toBe('');
  });

  it('reads one-value files', () => {
    expect(firstValue('\n# comment\n  18 # note\n20')).toEqual({ value: '18', line: 3 });
    expect(firstValue('# only\n')).toBeNull();
    expect(allValues('3.11\n\n3.10\r\n')).toEqual([
      { value: '3.11', line: 1 },
      { value: '3.10', line: 3 },
    ]);
    expect(looksLikeVersionValue('>=3.9, <4')).toBe(true);
    expect(looksLikeVersionValue('{"a"}')).toBe(false);
  });

  it('substitutes variables with defaults', () => {
    const vars = new Map([
      ['A', '1'],
      ['EMPTY', ''],
    ]);
    expect(substitute('x:${A}', vars)).toBe('x:1');
    expect(substitute('x:$A-y', vars)).toBe('x:1-y');
    expect(substitute('x:${B:-2}', vars)).toBe('x:2');
    expect(substitute('x:${EMPTY:-2}', vars)).toBe('x:2');
    expect(substitute('x:${EMPTY-2}', vars)).toBe('x:');
    expect(substitute('x:${A:+set}', vars)).toBe('x:set');
    expect(substitute('x:${B}', vars)).toBeNull();
    expect(substitute('$$HOME', vars)).toBe('$HOME');
  });

  it('finds TOML key lines', () => {
    const source = '[tools]\nnode = "20"\n"go" = "1.21"\n\n[tool.poetry.dependencies]\npython = "^3.10"\n[other]\nnode = 1\n';
    expect(tomlKeyLine(source, ['tools'], 'node')).toBe(2);
    expect(tomlKeyLine(source, ['tools'], 'go')).toBe(3);
    expect(tomlKeyLine(source, ['tool', 'poetry', 'dependencies'], 'python')).toBe(6);
    expect(tomlKeyLine(source, ['tools'], 'missing')).toBe(1);
    expect(tomlKeyLine('tool.poetry.dependencies.python = "3"\n', ['tool', 'poetry', 'dependencies'], 'python')).toBe(1);
  });

  it('builds components: exact versions, constraints and cycles', () => {
    expect(runtimeComponent({ name: 'node', value: 'v18.17.0', product: 'nodejs', path: 'p', line: 1 })).toMatchObject({ version: '18.17.0', cycle: '18' });
    expect(runtimeComponent({ name: 'node', value: '>=18', product: 'nodejs', path: 'p', line: 1 })).toMatchObject({ version: null, constraint: '>=18', cycle: '18' });
    expect(runtimeComponent({ name: 'x', value: '1.2.3', product: null, path: 'p', line: 1, dev: true })).toEqual({ kind: 'runtime', name: 'x', version: '1.2.3', ecosystem: null, direct: true, dev: true, source: { path: 'p', line: 1 } });
  });

  it('turns exceptions into one file-scoped error', () => {
    const extract = guarded(() => {
      throw new Error('boom');
    });
    expect(extract({ path: 'x', text: '' })).toEqual({ components: [], errors: [{ message: 'cannot read: boom' }] });
    expect(guarded(() => undefined)({ path: 'x', text: 'x'.repeat(9 * 1024 * 1024) }).errors[0]!.message).toMatch(/larger than/);
  });
});
