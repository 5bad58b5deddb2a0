import { describe, expect, it } from 'vitest';
import { poetryLockExtractor } from './poetry-lock.js';
import { briefs, extractFixture, only } from './test-support/library.js';

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
});
