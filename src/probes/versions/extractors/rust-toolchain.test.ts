import { describe, expect, it } from 'vitest';
import { rustToolchainExtractor } from './rust-toolchain.js';

describe('rustToolchainExtractor', () => {
  it('reads rust-toolchain.toml', () => {
    const text = '[toolchain]\nchannel = "1.72.0"\ncomponents = ["rustfmt"]\n';
    expect(rustToolchainExtractor.fileRequired('rust-toolchain.toml')).toBe(true);
    expect(rustToolchainExtractor.extract({ path: 'rust-toolchain.toml', text }).components).toEqual([
      { kind: 'runtime', name: 'rust', version: '1.72.0', ecosystem: null, direct: true, dev: false, product: 'rust', cycle: '1.72', source: { path: 'rust-toolchain.toml', line: 2 } },
    ]);
  });

  it.each([
    ['1.72', { constraint: '1.72', cycle: '1.72' }],
    ['stable', { constraint: 'stable' }],
    ['nightly-2023-08-01', { constraint: 'nightly-2023-08-01' }],
    ['1.70.0-x86_64-unknown-linux-gnu', { version: '1.70.0', cycle: '1.70' }],
  ])('legacy %s', (text, expected) => {
    const [component] = rustToolchainExtractor.extract({ path: 'rust-toolchain', text }).components;
    expect(component).toMatchObject(expected);
    if (!('cycle' in expected)) expect(component!.cycle).toBeUndefined();
  });

  it('reads a legacy file that holds TOML, and reports broken TOML', () => {
    expect(rustToolchainExtractor.extract({ path: 'rust-toolchain', text: '[toolchain]\nchannel = "1.75"\n' }).components[0]).toMatchObject({ cycle: '1.75' });
    expect(rustToolchainExtractor.extract({ path: 'rust-toolchain.toml', text: '[toolchain\nchannel=' }).errors[0]!.message).toMatch(/not valid TOML/);
    expect(rustToolchainExtractor.extract({ path: 'rust-toolchain.toml', text: '[toolchain]\npath = "/opt/rust"\n' })).toEqual({ components: [], errors: [] });
  });
});
