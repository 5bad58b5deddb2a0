import { describe, expect, it } from 'vitest';
import { runtimeTxtExtractor } from './runtime-txt.js';

describe('runtimeTxtExtractor', () => {
  it.each([
    ['python-3.11.4', { name: 'python', version: '3.11.4', product: 'python', cycle: '3.11' }],
    ['python-3.12', { name: 'python', constraint: '3.12', cycle: '3.12' }],
    ['ruby-3.2.2', { name: 'ruby', product: 'ruby', cycle: '3.2' }],
    ['nodejs-18', { name: 'node', product: 'nodejs', cycle: '18' }],
    ['php-8.2', { name: 'php', product: 'php', cycle: '8.2' }],
  ])('%s', (text, expected) => {
    expect(runtimeTxtExtractor.extract({ path: 'runtime.txt', text: `${text}\n` }).components[0]).toMatchObject({ ...expected, source: { path: 'runtime.txt', line: 1 } });
  });

  it('reports other content', () => {
    expect(runtimeTxtExtractor.fileRequired('runtime.txt')).toBe(true);
    expect(runtimeTxtExtractor.extract({ path: 'runtime.txt', text: 'Python 3.11' }).errors).toEqual([{ message: 'not a runtime declaration like python-3.11.4: "Python 3.11"', line: 1 }]);
  });
});
