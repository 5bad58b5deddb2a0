import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { nvmrcExtractor } from './nvmrc.js';

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-08-22T00:00:00Z'));
});
afterAll(() => {
  vi.useRealTimers();
});

function one(text: string) {
  return nvmrcExtractor.extract({ path: 'web/.nvmrc', text });
}

describe('nvmrcExtractor', () => {
  it('accepts only .nvmrc', () => {
    expect(nvmrcExtractor.fileRequired('.nvmrc')).toBe(true);
    expect(nvmrcExtractor.fileRequired('web/.nvmrc')).toBe(true);
    expect(nvmrcExtractor.fileRequired('.nvmrc.bak')).toBe(false);
  });

  it('reads a major as a constraint with its cycle', () => {
    expect(one('16\n')).toEqual({
      components: [{ kind: 'runtime', name: 'node', version: null, constraint: '16', ecosystem: null, direct: true, dev: false, product: 'nodejs', cycle: '16', source: { path: 'web/.nvmrc', line: 1 } }],
      errors: [],
    });
  });

  it.each([
    ['v18.17.0', { version: '18.17.0', cycle: '18' }],
    ['18.17.0', { version: '18.17.0', cycle: '18' }],
    ['lts/*', { constraint: 'lts/*', cycle: '24' }],
    ['lts/hydrogen', { constraint: 'lts/hydrogen', cycle: '18' }],
    ['lts/gallium', { constraint: 'lts/gallium', cycle: '16' }],
    ['# pinned\n\n  20  # current LTS\n', { constraint: '20', cycle: '20' }],
  ])('%j', (text, expected) => {
    const [component] = one(text).components;
    expect(component).toMatchObject(expected);
  });

  it('gives a component without cycle for node/stable and nothing for system', () => {
    expect(one('node').components[0]).toMatchObject({ constraint: 'node', product: 'nodejs' });
    expect(one('node').components[0]!.cycle).toBeUndefined();
    expect(one('system')).toEqual({ components: [], errors: [] });
    expect(one('')).toEqual({ components: [], errors: [] });
  });

  it('reports what is not a version', () => {
    expect(one('hello world').errors).toEqual([{ message: 'not a Node.js version or alias: "hello world"', line: 1 }]);
    expect(one('x'.repeat(500)).errors[0]!.message).toMatch(/500 characters/);
  });
});
