import { describe, expect, it } from 'vitest';
import { poetryLockExtractor } from './poetry-lock.js';
import { briefs, edges, extractFixture, only } from './test-support/library.js';

describe('poetry.lock', () => {
  it('lock 2.1: groups decide dev; git without purl; directory sources skipped', () => {
    const r = extractFixture(poetryLockExtractor, 'python/poetry-2.lock.fixture', 'poetry.lock');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual([
      'asgiref@3.7.2 :3',
      'django@4.2.7 direct :21', // nothing in the lock depends on it
      'iniconfig@2.0.0 dev :41',
      'internal-lib@0.3.0 direct :52',
      'pytest@7.4.3 direct dev :81',
      'sqlparse@0.4.4 :95',
      'typing-extensions@4.8.0 :106', // groups main and dev: not dev
    ]);
    expect(only(r, 'internal-lib').purl).toBeUndefined();
    expect(only(r, 'django').purl).toBe('pkg:pypi/django@4.2.7');
  });

  it('lock 1.x: category decides dev; names normalised', () => {
    const r = extractFixture(poetryLockExtractor, 'python/poetry-1.lock.fixture', 'poetry.lock');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual(['django@3.2.23 direct :1', 'asgiref@3.4.1 :18', 'pytz@2023.3.post1 :26', 'sqlparse@0.4.4 :34', 'pytest@6.2.5 direct dev :42']);
  });

  it('dependency graph: [package.dependencies] by PEP 503 name; packages not locked give no edge', () => {
    const r = extractFixture(poetryLockExtractor, 'python/poetry-2.lock.fixture', 'poetry.lock');
    expect(only(r, 'django')).toMatchObject({ id: 'django@4.2.7', dependsOn: ['asgiref@3.7.2', 'sqlparse@0.4.4'] }); // tzdata (win32) is not locked
    expect(edges(r)).toEqual(['asgiref@3.7.2 > typing-extensions@4.8.0', 'django@4.2.7 > asgiref@3.7.2', 'django@4.2.7 > sqlparse@0.4.4', 'pytest@7.4.3 > iniconfig@2.0.0']);
    const v1 = extractFixture(poetryLockExtractor, 'python/poetry-1.lock.fixture', 'poetry.lock');
    expect(edges(v1)).toEqual(['django@3.2.23 > asgiref@3.4.1', 'django@3.2.23 > pytz@2023.3.post1', 'django@3.2.23 > sqlparse@0.4.4']);
  });

  it('dependency graph: optional dependencies only through an asked extra; one name locked twice; cycles', () => {
    const text = [
      '[[package]]',
      'name = "requests"',
      'version = "2.32.3"',
      '[package.dependencies]',
      'PySocks = {version = ">=1.5.6,!=1.5.7", optional = true}',
      'chardet = {version = ">=3,<6", optional = true}',
      'urllib3 = [{version = "<2", markers = "python_version < \\"3.8\\""}, {version = ">=2", markers = "python_version >= \\"3.8\\""}]',
      '[package.extras]',
      'socks = ["PySocks (>=1.5.6,!=1.5.7)"]',
      'use-chardet-on-py3 = ["chardet (>=3.0.2,<6)"]',
      '',
      '[[package]]',
      'name = "app-client"',
      'version = "1.0.0"',
      '[package.dependencies]',
      'requests = {version = "^2.31", extras = ["socks"]}',
      '',
      '[[package]]',
      'name = "pysocks"',
      'version = "1.7.1"',
      '[package.dependencies]',
      'app-client = "*"',
      '',
      '[[package]]',
      'name = "chardet"',
      'version = "5.2.0"',
      '',
      '[[package]]',
      'name = "urllib3"',
      'version = "1.26.20"',
      '',
      '[[package]]',
      'name = "urllib3"',
      'version = "2.2.3"',
      '',
    ].join('\n');
    const r = poetryLockExtractor.extract({ path: 'poetry.lock', text });
    expect(r.errors).toEqual([]);
    expect(edges(r)).toEqual([
      'requests@2.32.3 > pysocks@1.7.1', // asked through app-client's extras = ["socks"]; chardet's extra is not asked
      'requests@2.32.3 > urllib3@1.26.20',
      'requests@2.32.3 > urllib3@2.2.3',
      'app-client@1.0.0 > requests@2.32.3',
      'pysocks@1.7.1 > app-client@1.0.0',
    ]);
  });
});
