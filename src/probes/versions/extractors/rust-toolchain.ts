/**
 * `rust-toolchain.toml` and `rust-toolchain` (rustup): `[toolchain] channel = "1.72.0"`, or the
 * legacy one-line file (`1.72`, `stable`, `nightly-2023-08-01`). Release channels (`stable`,
 * `beta`, `nightly…`) give a component without cycle.
 */
import { parse } from 'smol-toml';
import type { Extractor } from '../model.js';
import { baseName, firstLine, firstValue, guarded, MAX_VALUE_CHARS, runtimeComponent, tomlErrorLine, tomlKeyLine, type Results } from './runtime-support.js';

function addChannel(results: Results, channel: string, line: number): void {
  if (channel.length > MAX_VALUE_CHARS || !/^[\w.+-]+$/.test(channel)) {
    results.error(`not a Rust toolchain channel: ${JSON.stringify(channel.slice(0, 80))}`, line);
    return;
  }
  // `1.72.0-x86_64-unknown-linux-gnu`: the host triple is not part of the version.
  const version = /^\d/.test(channel) ? channel.replace(/-[a-z].*$/, '') : channel;
  results.add(runtimeComponent({ name: 'rust', value: version, product: 'rust', path: results.path, line }));
}

export const rustToolchainExtractor: Extractor = {
  id: 'rust-toolchain',
  fileRequired: (path) => {
    const name = baseName(path);
    return name === 'rust-toolchain' || name === 'rust-toolchain.toml';
  },
  extract: guarded((results, { path, text }) => {
    const legacy = baseName(path) === 'rust-toolchain' && !/^[ \t]*\[/m.test(text);
    if (legacy) {
      const first = firstValue(text);
      if (first) addChannel(results, first.value, first.line);
      return;
    }
    let document: Record<string, unknown>;
    try {
      document = parse(text) as Record<string, unknown>;
    } catch (error) {
      results.error(`not valid TOML: ${firstLine((error as Error).message)}`, tomlErrorLine(error));
      return;
    }
    const toolchain = document.toolchain;
    if (typeof toolchain !== 'object' || toolchain === null || Array.isArray(toolchain)) return;
    const channel = (toolchain as Record<string, unknown>).channel;
    if (channel === undefined) return; // a `path` toolchain
    if (typeof channel !== 'string') {
      results.error('toolchain.channel is not a string', tomlKeyLine(text, ['toolchain'], 'channel'));
      return;
    }
    addChannel(results, channel.trim(), tomlKeyLine(text, ['toolchain'], 'channel'));
  }),
};
