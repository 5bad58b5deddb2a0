import { describe, expect, it } from 'vitest';
import { yarnLockExtractor } from './yarn-lock.js';
import { briefs, edges, extractFixture, only } from './test-support/library.js';

describe('yarn.lock', () => {
  it('wants yarn.lock outside node_modules', () => {
    expect(yarnLockExtractor.fileRequired('yarn.lock')).toBe(true);
    expect(yarnLockExtractor.fileRequired('web/yarn.lock')).toBe(true);
    expect(yarnLockExtractor.fileRequired('node_modules/x/yarn.lock')).toBe(false);
  });

  it('reads yarn v1 blocks: multi-descriptor headers, aliases, git; direct as a lower bound', () => {
    const r = extractFixture(yarnLockExtractor, 'yarn-v1/yarn.lock.fixture', 'yarn.lock');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual([
      '@types/ms@0.7.34 direct :5',
      'debug@4.3.4 direct :10',
      'is-number@7.0.0 direct :17',
      'is-number@6.0.0 :22', // is-odd depends on is-number@^6.0.0
      'is-odd@3.0.1 direct :27', // declared by the local file: package
      'left-pad@1.3.0 direct :34',
      'ms@2.1.2 :39',
      'ms@2.1.3 direct :44',
      'ms@2.0.0 direct :49', // "my-ms@npm:ms@2.0.0"
      'tslib@2.6.2 direct :54', // github: no purl
    ]);
    expect(only(r, 'tslib').purl).toBeUndefined();
    expect(only(r, '@types/ms').purl).toBe('pkg:npm/%40types/ms@0.7.34');
  });

  it('reads yarn berry (lockfile v8): resolutions, patch: and link: protocols, workspaces', () => {
    const r = extractFixture(yarnLockExtractor, 'yarn-berry/yarn.lock.fixture', 'yarn.lock');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual([
      '@types/ms@0.7.34 direct :17', // a dependency of the workspace packages/util
      'debug@4.3.4 direct :24',
      'is-number@7.0.0 direct :51',
      'is-number@6.0.0 :58',
      'is-odd@3.0.1 direct :65',
      'left-pad@1.3.0 direct :74',
      'ms@2.1.2 :87',
      'ms@2.1.3 direct :94',
      'ms@2.0.0 direct :101', // alias: the resolution names ms
      'resolve@1.22.8 direct :108', // the patched copy merges with the original
      'tslib@2.6.2 direct :134',
    ]);
    expect(only(r, 'tslib').purl).toBeUndefined();
    expect(only(r, 'resolve').purl).toBe('pkg:npm/resolve@1.22.8');
  });

  it('reads yarn berry 3 (lockfile v6) where workspace ranges have no npm: prefix', () => {
    const r = extractFixture(yarnLockExtractor, 'yarn-berry-v3/yarn.lock.fixture', 'yarn.lock');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual(['debug@4.3.4 direct :17', 'ms@2.1.2 :29', 'typescript@5.2.2 direct :36']);
  });

  it('reports an unterminated string in v1 and keeps the other blocks', () => {
    const text = '# yarn lockfile v1\n\n"a@^1:\n  version "1.0.0"\n\nb@^2:\n  version "2.0.0"\n';
    const r = yarnLockExtractor.extract({ path: 'yarn.lock', text });
    expect(r.errors).toEqual([{ message: 'unterminated quoted string', line: 3 }]);
    expect(briefs(r)).toEqual(['b@2.0.0 direct :6']);
  });

  describe('dependency graph', () => {
    it('v1: ids are the first descriptor; dependencies resolve through every descriptor of a block', () => {
      const r = extractFixture(yarnLockExtractor, 'yarn-v1/yarn.lock.fixture', 'yarn.lock');
      expect(only(r, 'debug')).toMatchObject({ id: 'debug@4.3.4', dependsOn: ['ms@2.1.2'] });
      expect(edges(r)).toEqual(['debug@4.3.4 > ms@2.1.2', 'is-odd@3.0.1 > is-number@6.0.0']); // the local util block gives no edge
    });

    it('v1: aliases, optional dependencies, unresolved names dropped, cycles kept', () => {
      const text = [
        '# yarn lockfile v1',
        '',
        'a@^1.0.0, a@^1.1.0:',
        '  version "1.1.0"',
        '  dependencies:',
        '    b "~2.0.0"',
        '    my-c "npm:c@3.0.0"',
        '    missing "^9"',
        '  optionalDependencies:',
        '    "@s/d" "^4"',
        '',
        'b@~2.0.0:',
        '  version "2.0.1"',
        '  dependencies:',
        '    a "^1.1.0"',
        '',
        '"my-c@npm:c@3.0.0":',
        '  version "3.0.0"',
        '',
        '"@s/d@^4":',
        '  version "4.0.0"',
        '',
      ].join('\n');
      const r = yarnLockExtractor.extract({ path: 'yarn.lock', text });
      expect(r.errors).toEqual([]);
      expect(edges(r)).toEqual(['a@1.1.0 > b@2.0.1', 'a@1.1.0 > c@3.0.0', 'a@1.1.0 > @s/d@4.0.0', 'b@2.0.1 > a@1.1.0']);
    });

    it('berry: `npm:` ranges, aliases, the patched copy merged with the original; workspaces and links give no edge', () => {
      const r = extractFixture(yarnLockExtractor, 'yarn-berry/yarn.lock.fixture', 'yarn.lock');
      expect(only(r, 'debug')).toMatchObject({ id: 'debug@npm:4.3.4', dependsOn: ['ms@npm:2.1.2'] });
      expect(only(r, 'resolve')).toMatchObject({ id: 'resolve@npm:1.22.8', dependsOn: [] }); // its dependencies are not in the fixture
      expect(edges(r)).toEqual(['debug@4.3.4 > ms@2.1.2', 'is-odd@3.0.1 > is-number@6.0.0']);
    });

    it('berry 3: ranges without the npm: prefix', () => {
      const r = extractFixture(yarnLockExtractor, 'yarn-berry-v3/yarn.lock.fixture', 'yarn.lock');
      expect(edges(r)).toEqual(['debug@4.3.4 > ms@2.1.2']);
    });
  });
});
