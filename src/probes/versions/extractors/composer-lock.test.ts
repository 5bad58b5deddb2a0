import { describe, expect, it } from 'vitest';
import { composerLockExtractor } from './composer-lock.js';
import { briefs, edges, extractFixture, only } from './test-support/library.js';

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

  it('dependency graph: `require` by name, through replace/provide; platform requirements give none', () => {
    const r = extractFixture(composerLockExtractor, 'php/composer.lock.fixture', 'composer.lock');
    expect(only(r, 'guzzlehttp/guzzle')).toMatchObject({ id: 'guzzlehttp/guzzle', dependsOn: ['guzzlehttp/promises', 'psr/log'] }); // not ext-json, php
    expect(edges(r)).toEqual(['guzzlehttp/guzzle@7.8.1 > guzzlehttp/promises@2.0.2', 'guzzlehttp/guzzle@7.8.1 > psr/log@3.0.0', 'monolog/monolog@3.5.0 > psr/log@3.0.0', 'phpunit/phpunit@10.5.3 > sebastian/diff@5.0.3']);
    const text = JSON.stringify({
      packages: [
        { name: 'app/http', version: '1.0.0', require: { 'psr/http-client-implementation': '1.0', 'Symfony/Polyfill-Mbstring': '*', php: '>=8' } },
        { name: 'vendor/client', version: '2.0.0', provide: { 'psr/http-client-implementation': '1.0' }, require: { 'app/http': '^1' } },
        { name: 'symfony/polyfill-mbstring', version: '1.28.0' },
      ],
    });
    const provided = composerLockExtractor.extract({ path: 'composer.lock', text });
    expect(provided.errors).toEqual([]);
    expect(edges(provided)).toEqual(['app/http@1.0.0 > vendor/client@2.0.0', 'app/http@1.0.0 > symfony/polyfill-mbstring@1.28.0', 'vendor/client@2.0.0 > app/http@1.0.0']);
  });
});
