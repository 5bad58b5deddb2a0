import { describe, expect, it } from 'vitest';
import { pythonVersionExtractor } from './python-version.js';

describe('pythonVersionExtractor', () => {
  it('reads every listed version', () => {
    expect(pythonVersionExtractor.fileRequired('.python-version')).toBe(true);
    const result = pythonVersionExtractor.extract({ path: '.python-version', text: '3.11.4\n3.10\npypy3.9-7.3.9\nsystem\nminiconda3-4.7.12\n3.13t\n' });
    expect(result.errors).toEqual([]);
    expect(result.components.map((c) => [c.name, c.version ?? c.constraint, c.product ?? null, c.cycle ?? null, c.source.line])).toEqual([
      ['python', '3.11.4', 'python', '3.11', 1],
      ['python', '3.10', 'python', '3.10', 2],
      ['pypy', '3.9-7.3.9', null, null, 3],
      ['python', '3.13t', 'python', '3.13', 6],
    ]);
  });

  it('reports garbage', () => {
    expect(pythonVersionExtractor.extract({ path: '.python-version', text: 'not a version!' }).errors).toEqual([{ message: 'not a Python version: "not a version!"', line: 1 }]);
  });
});
