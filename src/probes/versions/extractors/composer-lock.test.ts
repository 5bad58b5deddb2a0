import { describe, expect, it } from 'vitest';
import { composerLockExtractor } from './composer-lock.js';
import { briefs, extractFixture, only } from './test-support/library.js';

describe('composer.lock', () => {
  it('packages and packages-dev; direct when nothing requires it', () => {
    const r = extractFixture(composerLockExtractor, 'php/composer.lock.fixture', 'composer.lock');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual([
      'guzzlehttp/guzzle@7.8.1 direct :9',
      'guzzlehttp/promises@2.0.2 :25',
      'monolog/monolog@3.5.0 direct :33',
      'psr/log@3.0.0 :42',
      'symfony/console@v6.4.1 direct :50',
      'phpunit/phpunit@10.5.3 direct dev :60',
      'sebastian/diff@5.0.3 dev :69',
    ]);
    expect(only(r, 'symfony/console').purl).toBe('pkg:composer/symfony/console@v6.4.1');
  });

  it('wants composer.lock outside vendor/', () => {
    expect(composerLockExtractor.fileRequired('composer.lock')).toBe(true);
    expect(composerLockExtractor.fileRequired('vendor/a/b/composer.lock')).toBe(false);
  });
});
