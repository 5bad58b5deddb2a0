import { describe, expect, it } from 'vitest';
import { cargoLockExtractor } from './cargo-lock.js';
import { briefs, edges, extractFixture, only } from './test-support/library.js';

describe('Cargo.lock', () => {
  it('v4: direct from the workspace crates, `name version` references, git without purl', () => {
    const r = extractFixture(cargoLockExtractor, 'cargo/Cargo-v4.lock.fixture', 'Cargo.lock');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual([
      'anyhow@1.0.75 direct :5',
      'gitdep@0.2.0 direct :22',
      'rand@0.7.3 direct :27', // used by the local crate util
      'rand@0.8.5 direct :33',
      'serde@1.0.193 direct :39',
      'serde_derive@1.0.193 :48',
    ]);
    expect(only(r, 'serde').purl).toBe('pkg:cargo/serde@1.0.193');
    expect(only(r, 'gitdep').purl).toBeUndefined();
  });

  it('v1: `name version (source)` references and the [metadata] checksums', () => {
    const r = extractFixture(cargoLockExtractor, 'cargo/Cargo-v1.lock.fixture', 'Cargo.lock');
    expect(r.errors).toEqual([]);
    expect(briefs(r)).toEqual(['libc@0.2.80 direct :9', 'serde@1.0.117 direct :14']);
  });

  it('dependency graph: `name` and `name version (source)` references; workspace crates give no edge', () => {
    const r = extractFixture(cargoLockExtractor, 'cargo/Cargo-v4.lock.fixture', 'Cargo.lock');
    expect(only(r, 'serde')).toMatchObject({ id: 'serde@1.0.193', dependsOn: ['serde_derive@1.0.193'] });
    expect(edges(r)).toEqual(['serde@1.0.193 > serde_derive@1.0.193']);
    const text = [
      'version = 3',
      '[[package]]',
      'name = "a"',
      'version = "1.0.0"',
      'source = "registry+https://github.com/rust-lang/crates.io-index"',
      'dependencies = ["b 2.0.0 (registry+https://github.com/rust-lang/crates.io-index)", "b 1.0.0", "c"]',
      '[[package]]',
      'name = "b"',
      'version = "1.0.0"',
      'source = "registry+https://github.com/rust-lang/crates.io-index"',
      '[[package]]',
      'name = "b"',
      'version = "2.0.0"',
      'source = "registry+https://github.com/rust-lang/crates.io-index"',
      'dependencies = ["a"]',
      '[[package]]',
      'name = "c"',
      'version = "0.1.0"',
      '',
    ].join('\n');
    const cyclic = cargoLockExtractor.extract({ path: 'Cargo.lock', text });
    expect(cyclic.errors).toEqual([]);
    expect(edges(cyclic)).toEqual(['a@1.0.0 > b@2.0.0', 'a@1.0.0 > b@1.0.0', 'b@2.0.0 > a@1.0.0']); // c has no source: the workspace's own
  });
});
