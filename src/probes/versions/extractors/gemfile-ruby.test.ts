import { describe, expect, it } from 'vitest';
import { gemfileRubyExtractor } from './gemfile-ruby.js';

function run(text: string) {
  return gemfileRubyExtractor.extract({ path: 'Gemfile', text });
}

describe('gemfileRubyExtractor', () => {
  it('reads the ruby directive', () => {
    expect(gemfileRubyExtractor.fileRequired('Gemfile')).toBe(true);
    expect(gemfileRubyExtractor.fileRequired('gems.rb')).toBe(true);
    expect(gemfileRubyExtractor.fileRequired('Gemfile.lock')).toBe(false);
    const text = "source 'https://rubygems.org'\n\nruby \"3.2.2\"\n\ngem 'rails', '~> 7.1'\n";
    expect(run(text)).toEqual({
      components: [{ kind: 'runtime', name: 'ruby', version: '3.2.2', ecosystem: null, direct: true, dev: false, product: 'ruby', cycle: '3.2', source: { path: 'Gemfile', line: 3 } }],
      errors: [],
    });
  });

  it.each([
    ["ruby '~> 3.1.0'", { constraint: '~> 3.1.0', cycle: '3.1' }],
    ["ruby('>= 3.0')", { constraint: '>= 3.0', cycle: '3.0' }],
    ["ruby '3.3.0', engine: 'jruby', engine_version: '9.4.5.0'", { name: 'jruby', product: 'jruby', cycle: '9.4' }],
  ])('%s', (line, expected) => {
    expect(run(line).components[0]).toMatchObject(expected);
  });

  it('ignores file: and computed versions', () => {
    expect(run('ruby file: ".ruby-version"\nruby RUBY_VERSION\n')).toEqual({ components: [], errors: [] });
  });
});
