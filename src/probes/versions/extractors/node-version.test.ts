import { describe, expect, it } from 'vitest';
import { nodeVersionExtractor } from './node-version.js';

describe('nodeVersionExtractor', () => {
  it('reads .node-version like .nvmrc', () => {
    expect(nodeVersionExtractor.fileRequired('.node-version')).toBe(true);
    expect(nodeVersionExtractor.fileRequired('.nvmrc')).toBe(false);
    expect(nodeVersionExtractor.extract({ path: '.node-version', text: 'v20.5.1\n' }).components).toEqual([
      { kind: 'runtime', name: 'node', version: '20.5.1', ecosystem: null, direct: true, dev: false, product: 'nodejs', cycle: '20', source: { path: '.node-version', line: 1 } },
    ]);
    expect(nodeVersionExtractor.extract({ path: '.node-version', text: '{"node": 1}' }).errors).toHaveLength(1);
  });
});
