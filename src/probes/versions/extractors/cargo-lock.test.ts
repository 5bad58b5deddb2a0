import { describe, expect, it } from 'vitest';
import { cargoLockExtractor } from './cargo-lock.js';
import { briefs, extractFixture, only } from './test-support/library.js';

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
});
