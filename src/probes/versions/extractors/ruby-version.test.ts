import { describe, expect, it } from 'vitest';
import { rubyVersionExtractor } from './ruby-version.js';

function one(text: string) {
  return rubyVersionExtractor.extract({ path: '.ruby-version', text });
}

describe('rubyVersionExtractor', () => {
  it.each([
    ['3.2.2', { name: 'ruby', version: '3.2.2', product: 'ruby', cycle: '3.2' }],
    ['ruby-3.1.4', { name: 'ruby', version: '3.1.4', product: 'ruby', cycle: '3.1' }],
    ['3.2', { name: 'ruby', constraint: '3.2', cycle: '3.2' }],
    ['2.7.8@myapp', { name: 'ruby', version: '2.7.8', cycle: '2.7' }],
    ['jruby-9.4.3.0', { name: 'jruby', version: '9.4.3.0', product: 'jruby', cycle: '9.4' }],
  ])('%s', (text, expected) => {
    expect(one(text).components[0]).toMatchObject(expected);
  });

  it('gives TruffleRuby without product, nothing for system, an error for garbage', () => {
    expect(one('truffleruby-23.0.0').components[0]).toMatchObject({ name: 'truffleruby' });
    expect(one('truffleruby-23.0.0').components[0]!.product).toBeUndefined();
    expect(one('system')).toEqual({ components: [], errors: [] });
    expect(one('three point two').errors).toHaveLength(1);
    expect(rubyVersionExtractor.fileRequired('app/.ruby-version')).toBe(true);
  });
});
