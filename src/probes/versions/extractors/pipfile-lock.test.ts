import { describe, expect, it } from 'vitest';
import { pipfileLockExtractor } from './pipfile-lock.js';
import { briefs, extractFixture, only } from './test-support/library.js';

describe('Pipfile.lock', () => {
  it('default and develop; a package in both is not dev; git entries have no version', () => {
    const r = extractFixture(pipfileLockExtractor, 'python/Pipfile.lock.fixture', 'Pipfile.lock');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual(['certifi@2024.8.30 :19', 'mylib@- :26', 'requests@2.32.3 :31', 'pytest@8.3.3 dev :47']);
    expect(only(r, 'requests').purl).toBe('pkg:pypi/requests@2.32.3');
    expect(only(r, 'mylib').purl).toBeUndefined();
  });
});
