import { describe, expect, it } from 'vitest';
import { packageJsonExtractor } from './package-json.js';
import { briefs, extractFixture } from './test-support/library.js';

describe('package.json', () => {
  it('wants package.json outside node_modules', () => {
    expect(packageJsonExtractor.fileRequired('package.json')).toBe(true);
    expect(packageJsonExtractor.fileRequired('packages/a/package.json')).toBe(true);
    expect(packageJsonExtractor.fileRequired('node_modules/a/package.json')).toBe(false);
    expect(packageJsonExtractor.fileRequired('package-lock.json')).toBe(false);
  });

  it('gives declared constraints, no versions; devDependencies are dev', () => {
    const r = extractFixture(packageJsonExtractor, 'npm-v3/package.json.fixture', 'package.json');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual([
      'debug@- (4.3.4) direct :7',
      'ms@- (2.1.3) direct :8',
      'ms@- (2.0.0) direct :9', // my-ms: npm:ms@2.0.0
      'left-pad@- (1.3.0) direct :15',
      'is-number@- (7.0.0) direct dev :12',
    ]);
    expect(r.components[0]?.purl).toBe('pkg:npm/debug');
  });

  it('skips local protocols, keeps git specs, reports wrong types', () => {
    const text = JSON.stringify(
      {
        dependencies: { a: 'workspace:*', b: 'file:../b', c: 'github:org/c#v1', d: 42, react: '^18.2.0' },
        peerDependencies: { react: '>=17' },
        devDependencies: { react: '^18.2.0', typescript: '~5.3.0' },
        optionalDependencies: 'nope',
      },
      null,
      2,
    );
    const r = packageJsonExtractor.extract({ path: 'package.json', text });
    expect(briefs(r)).toEqual(['c@- (github:org/c#v1) direct :5', 'react@- (^18.2.0) direct :7', 'typescript@- (~5.3.0) direct dev :14']);
    expect(r.errors.map((e) => e.message)).toEqual(['dependencies["d"] is not a string', '`optionalDependencies` is not an object']);
  });
});
