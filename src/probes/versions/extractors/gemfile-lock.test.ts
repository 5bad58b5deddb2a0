import { describe, expect, it } from 'vitest';
import { gemfileLockExtractor } from './gemfile-lock.js';
import { briefs, edges, extractFixture, only } from './test-support/library.js';

describe('Gemfile.lock', () => {
  it('GEM, GIT and PATH specs; platforms stripped; direct from DEPENDENCIES and the gemspec', () => {
    const r = extractFixture(gemfileLockExtractor, 'ruby/Gemfile.lock.fixture', 'Gemfile.lock');
    expect(r.errors).toEqual([]);
    expect(briefs({ ...r, components: r.components.filter((c) => c.kind === 'library') })).toEqual([
      'sprockets@4.2.1 direct :6', // GIT: no purl
      'concurrent-ruby@1.2.2 :19',
      'minitest@5.20.0 direct :20',
      'nokogiri@1.15.4 direct :21', // -arm64-darwin and -x86_64-linux copies merged
      'racc@1.7.3 :25',
      'rack@3.0.8 direct :26', // a runtime dependency of the PATH gem
      'rake@13.1.0 direct :27',
      'sqlite3@1.6.9 direct :28',
    ]);
    expect(only(r, 'sprockets').purl).toBeUndefined();
    expect(only(r, 'nokogiri').purl).toBe('pkg:gem/nokogiri@1.15.4');
  });

  it('RUBY VERSION is a runtime component of product ruby', () => {
    const r = extractFixture(gemfileLockExtractor, 'ruby/Gemfile.lock.fixture', 'Gemfile.lock');
    expect(r.components.filter((c) => c.kind === 'runtime')).toEqual([
      { kind: 'runtime', name: 'ruby', version: '3.2.2', ecosystem: null, direct: true, dev: false, product: 'ruby', cycle: '3.2', source: { path: 'Gemfile.lock', line: 43 } },
    ]);
  });

  it('keeps a version that merely contains a dash', () => {
    const r = gemfileLockExtractor.extract({ path: 'Gemfile.lock', text: 'GEM\n  remote: https://rubygems.org/\n  specs:\n    odd (1.0.0-beta)\n\nDEPENDENCIES\n  odd\n' });
    expect(briefs(r)).toEqual(['odd@1.0.0-beta direct :4']);
  });

  it('dependency graph: the indented lines under each spec; per-platform copies share one id', () => {
    const r = extractFixture(gemfileLockExtractor, 'ruby/Gemfile.lock.fixture', 'Gemfile.lock');
    expect(only(r, 'nokogiri')).toMatchObject({ id: 'nokogiri@1.15.4', dependsOn: ['racc@1.7.3'] });
    expect(edges(r)).toEqual(['sprockets@4.2.1 > concurrent-ruby@1.2.2', 'sprockets@4.2.1 > rack@3.0.8', 'nokogiri@1.15.4 > racc@1.7.3']); // myapp (PATH) is the project
  });

  it('dependency graph: cycles and unknown names', () => {
    const text = 'GEM\n  remote: https://rubygems.org/\n  specs:\n    a (1.0)\n      b (>= 1)\n      ghost (~> 2)\n    b (1.1)\n      a\n\nDEPENDENCIES\n  a\n';
    const r = gemfileLockExtractor.extract({ path: 'Gemfile.lock', text });
    expect(r.errors).toEqual([]);
    expect(edges(r)).toEqual(['a@1.0 > b@1.1', 'b@1.1 > a@1.0']);
  });
});
