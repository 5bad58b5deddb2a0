/**
 * Which files the probe reads and how: classification by path (cheap, no I/O) and a bounded read
 * that never follows symlinks and tells binary files apart.
 */
import { closeSync, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { isCiConfigPath } from './ci.js';
import { isDockerfilePath } from './dockerfile.js';
import { isActionManifestPath, isWorkflowPath } from './github.js';
import { isManifestPath } from './manifests.js';

export type ScriptKind = 'shell' | 'powershell' | 'makefile';

export interface Roles {
  workflow: boolean;
  action: boolean;
  dockerfile: boolean;
  ci: boolean;
  script: ScriptKind | null;
  manifest: boolean;
  /** No extension: a shell script when it starts with a shell `#!` line. */
  extensionless: boolean;
}

export function classify(path: string): Roles {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const lower = name.toLowerCase();
  let script: ScriptKind | null = null;
  if (/\.(?:sh|bash|zsh|ksh)$/.test(lower)) script = 'shell';
  else if (/\.(?:ps1|psm1)$/.test(lower)) script = 'powershell';
  else if (lower === 'makefile' || lower === 'gnumakefile' || lower.endsWith('.mk')) script = 'makefile';
  const workflow = isWorkflowPath(path);
  const dockerfile = isDockerfilePath(path);
  return {
    workflow,
    action: isActionManifestPath(path),
    dockerfile,
    ci: !workflow && isCiConfigPath(path),
    script,
    manifest: isManifestPath(path),
    extensionless: !name.includes('.') && script === null && !dockerfile,
  };
}

/** Is the text a script for a POSIX shell (`#!/bin/sh`, `#!/usr/bin/env bash`…)? */
export function hasShellShebang(text: string): boolean {
  return /^#!\s*\S*?(?:\/env\s+(?:-\S+\s+)*)?\S*?\b(?:ba|z|k|da|a|mk)?sh\b/.test(text.slice(0, 200));
}

export type ReadOutcome =
  | { kind: 'text'; text: string; bytes: number }
  | { kind: 'too-large'; bytes: number }
  | { kind: 'binary' }
  | { kind: 'skipped'; reason: 'symlink' | 'not-a-file' | 'missing' }
  | { kind: 'error'; message: string; code: string };

const SNIFF = 8000;

/** Reads a regular file of at most `limit` bytes as UTF-8 (BOM dropped). */
export function readBounded(absolute: string, limit: number): ReadOutcome {
  let fd: number | undefined;
  try {
    const link = lstatSync(absolute, { throwIfNoEntry: false });
    if (link === undefined) return { kind: 'skipped', reason: 'missing' };
    if (link.isSymbolicLink()) return { kind: 'skipped', reason: 'symlink' };
    if (!link.isFile()) return { kind: 'skipped', reason: 'not-a-file' };
    fd = openSync(absolute, 'r');
    const size = fstatSync(fd).size;
    if (size > limit) return { kind: 'too-large', bytes: size };
    const buffer = Buffer.allocUnsafe(Math.min(size, limit) + 1);
    let total = 0;
    for (;;) {
      const n = readSync(fd, buffer, total, buffer.length - total, null);
      if (n === 0) break;
      total += n;
      if (total > limit) return { kind: 'too-large', bytes: total };
      if (total === buffer.length) break;
    }
    const data = buffer.subarray(0, total);
    if (data.subarray(0, SNIFF).includes(0)) return { kind: 'binary' };
    return { kind: 'text', text: data.toString('utf8').replace(/^\uFEFF/, ''), bytes: total };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read';
    if (code === 'ENOENT') return { kind: 'skipped', reason: 'missing' };
    return { kind: 'error', message: `cannot read: ${(error as Error).message}`, code };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
