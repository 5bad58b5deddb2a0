import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/repo.js';
import { classify, hasShellShebang, readBounded } from './files.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

describe('classify', () => {
  it('gives each path its roles', () => {
    expect(classify('.github/workflows/ci.yml')).toMatchObject({ workflow: true, ci: false });
    expect(classify('.github/actions/x/action.yaml')).toMatchObject({ action: true });
    expect(classify('build/Dockerfile.prod')).toMatchObject({ dockerfile: true, extensionless: false });
    expect(classify('.gitlab-ci.yml')).toMatchObject({ ci: true });
    expect(classify('scripts/run.sh')).toMatchObject({ script: 'shell' });
    expect(classify('tools/setup.ps1')).toMatchObject({ script: 'powershell' });
    expect(classify('GNUmakefile')).toMatchObject({ script: 'makefile' });
    expect(classify('mk/rules.mk')).toMatchObject({ script: 'makefile' });
    expect(classify('services/api/package.json')).toMatchObject({ manifest: true });
    expect(classify('bin/release')).toMatchObject({ extensionless: true, script: null });
    expect(classify('src/index.ts')).toEqual({ workflow: false, action: false, dockerfile: false, ci: false, script: null, manifest: false, extensionless: false });
  });

  it('recognises shell shebangs', () => {
    for (const line of ['#!/bin/sh', '#!/usr/bin/env bash', '#! /bin/bash -e', '#!/usr/bin/env -S bash -eu']) expect(hasShellShebang(`${line}\necho`)).toBe(true);
    for (const line of ['#!/usr/bin/env python3', '#!/usr/bin/env node', 'echo hi']) expect(hasShellShebang(`${line}\n`)).toBe(false);
  });
});

describe('readBounded', () => {
  it('reads text, and tells binary, oversized, missing files and symlinks apart', () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    writeFileSync(join(dir.dir, 'a.txt'), '\uFEFFhello');
    writeFileSync(join(dir.dir, 'b.bin'), Buffer.from([104, 0, 105]));
    writeFileSync(join(dir.dir, 'c.txt'), 'x'.repeat(100));
    symlinkSync(join(dir.dir, 'a.txt'), join(dir.dir, 'link.txt'));
    mkdirSync(join(dir.dir, 'sub'));
    expect(readBounded(join(dir.dir, 'a.txt'), 50)).toEqual({ kind: 'text', text: 'hello', bytes: 8 });
    expect(readBounded(join(dir.dir, 'b.bin'), 50)).toEqual({ kind: 'binary' });
    expect(readBounded(join(dir.dir, 'c.txt'), 50)).toEqual({ kind: 'too-large', bytes: 100 });
    expect(readBounded(join(dir.dir, 'link.txt'), 50)).toEqual({ kind: 'skipped', reason: 'symlink' });
    expect(readBounded(join(dir.dir, 'sub'), 50)).toEqual({ kind: 'skipped', reason: 'not-a-file' });
    expect(readBounded(join(dir.dir, 'none'), 50)).toEqual({ kind: 'skipped', reason: 'missing' });
  });
});
