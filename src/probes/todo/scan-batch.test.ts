import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/repo.js';
import { scanBatch } from './scan-batch.js';

let dir: { dir: string; remove(): void } | undefined;
afterEach(() => dir?.remove());

const options = { tags: ['TODO', 'FIXME'], maxFileSize: 1000, blobIds: true };

describe('scanBatch', () => {
  it('scans files, skips by size and type without failing, and records unreadable paths as errors', () => {
    dir = tempDir();
    writeFileSync(join(dir.dir, 'a.ts'), '// TODO: one\n');
    writeFileSync(join(dir.dir, 'big.ts'), `// TODO: big\n${'x'.repeat(2000)}`);
    writeFileSync(join(dir.dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]));
    writeFileSync(join(dir.dir, 'bin.c'), Buffer.from('// TODO\0\0\0'));
    mkdirSync(join(dir.dir, 'dir.ts'));
    symlinkSync('loop.ts', join(dir.dir, 'loop.ts'));
    const result = scanBatch(dir.dir, { paths: ['a.ts', 'big.ts', 'logo.png', 'bin.c', 'dir.ts', 'gone.ts', 'loop.ts'] }, options);
    expect(result.found.map((f) => [f.path, f.markers.map((m) => m.text)])).toEqual([['a.ts', ['one']]]);
    expect(result.found[0]!.blob).toMatch(/^[0-9a-f]{40}$/);
    expect(result.skipped).toEqual({ 'too-large': 1, 'unsupported-language': 1, binary: 1, missing: 2 });
    expect(result.errors).toEqual([expect.objectContaining({ path: 'loop.ts', code: 'ELOOP' })]);
    expect(result.scanned).toBe(1);
  });

  it('reads a file the name tells no language of only when its first lines name one', () => {
    dir = tempDir();
    writeFileSync(join(dir.dir, 'basic.tc'), '#!/bin/sh\n# TODO: a shell test\n');
    writeFileSync(join(dir.dir, 'model.weights'), Buffer.concat([Buffer.from([1, 0, 2]), Buffer.alloc(3_000_000, 7)]));
    writeFileSync(join(dir.dir, 'notes.sample'), 'plain text # TODO not code\n'.repeat(1000));
    const result = scanBatch(dir.dir, { paths: ['basic.tc', 'model.weights', 'notes.sample'] }, { ...options, maxFileSize: 10_000_000 });
    expect(result.found.map((f) => [f.path, f.language, f.markers.map((m) => m.text)])).toEqual([['basic.tc', 'shell', ['a shell test']]]);
    expect(result.skipped).toEqual({ binary: 1, 'unsupported-language': 1 });
    // Only the script was read whole.
    expect(result.bytes).toBe(Buffer.byteLength('#!/bin/sh\n# TODO: a shell test\n'));
  });

  it('reads files larger than the initial buffer whole', () => {
    dir = tempDir();
    const body = `${'/* filler */\n'.repeat(200_000)}// FIXME: at the end\n`;
    writeFileSync(join(dir.dir, 'large.js'), body);
    const result = scanBatch(dir.dir, { paths: ['large.js'] }, { ...options, maxFileSize: 10_000_000 });
    expect(result.found[0]!.markers).toMatchObject([{ tag: 'FIXME', text: 'at the end', line: 200_001 }]);
    expect(result.bytes).toBe(Buffer.byteLength(body));
  });
});
