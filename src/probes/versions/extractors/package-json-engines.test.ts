import { describe, expect, it } from 'vitest';
import { packageJsonEnginesExtractor } from './package-json-engines.js';

describe('packageJsonEnginesExtractor', () => {
  it('reads engines.node and volta.node only', () => {
    const text = JSON.stringify({ name: 'app', dependencies: { react: '^18.2.0' }, engines: { node: '>=18', npm: '>=9' }, volta: { node: '20.5.1' } }, null, 2);
    expect(packageJsonEnginesExtractor.fileRequired('package.json')).toBe(true);
    expect(packageJsonEnginesExtractor.fileRequired('node_modules/x/package.json')).toBe(false);
    expect(packageJsonEnginesExtractor.fileRequired('web/node_modules/x/package.json')).toBe(false);
    const result = packageJsonEnginesExtractor.extract({ path: 'package.json', text });
    expect(result).toEqual({
      components: [
        { kind: 'runtime', name: 'node', version: null, constraint: '>=18', ecosystem: null, direct: true, dev: false, product: 'nodejs', cycle: '18', source: { path: 'package.json', line: 7 } },
        { kind: 'runtime', name: 'node', version: '20.5.1', ecosystem: null, direct: true, dev: false, product: 'nodejs', cycle: '20', source: { path: 'package.json', line: 11 } },
      ],
      errors: [],
    });
  });

  it.each([
    ['^16 || ^18', '16'],
    ['>= 14.17.0', '14'],
    ['16.x', '16'],
  ])('%s → %s', (range, cycle) => {
    expect(packageJsonEnginesExtractor.extract({ path: 'package.json', text: JSON.stringify({ engines: { node: range } }) }).components[0]).toMatchObject({ constraint: range, cycle });
  });

  it('reports malformed JSON and non-string engines', () => {
    expect(packageJsonEnginesExtractor.extract({ path: 'package.json', text: '{\n  "engines": {\n' }).errors[0]!.message).toMatch(/not valid JSON/);
    expect(packageJsonEnginesExtractor.extract({ path: 'package.json', text: '{"engines": {"node": 18}}' }).components[0]).toMatchObject({ constraint: '18' });
    expect(packageJsonEnginesExtractor.extract({ path: 'package.json', text: '{"engines": {"node": ["18"]}}' }).errors).toEqual([{ message: 'engines.node is not a version or requirement', line: 1 }]);
    expect(packageJsonEnginesExtractor.extract({ path: 'package.json', text: '{"engines": {"node": "*"}}' }).components).toEqual([]);
  });
});
