/**
 * Scans a batch of files from disk: the unit of work shared by the in-process path and the worker
 * threads. Reads each file once with one open/fstat/read/close, so a file over the size limit is
 * never read at all.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbeError } from '../../core/model.js';
import { languageMayApply } from './languages.js';
import { scanFile, type Marker } from './scanner.js';

export interface FileMarkers {
  path: string;
  language: string;
  markers: Marker[];
  /** The git blob id of the content read (only computed for files with markers). */
  blob: string;
}

export interface BatchResult {
  found: FileMarkers[];
  scanned: number;
  bytes: number;
  skipped: Record<string, number>;
  errors: ProbeError[];
}

export interface BatchOptions {
  tags: readonly string[];
  maxFileSize: number;
}

export function emptyBatch(): BatchResult {
  return { found: [], scanned: 0, bytes: 0, skipped: {}, errors: [] };
}

export function mergeBatch(into: BatchResult, from: BatchResult): void {
  into.found.push(...from.found);
  into.scanned += from.scanned;
  into.bytes += from.bytes;
  for (const [reason, count] of Object.entries(from.skipped)) into.skipped[reason] = (into.skipped[reason] ?? 0) + count;
  into.errors.push(...from.errors);
}

export function scanBatch(root: string, paths: readonly string[], options: BatchOptions): BatchResult {
  const result = emptyBatch();
  const skip = (reason: string) => {
    result.skipped[reason] = (result.skipped[reason] ?? 0) + 1;
  };
  for (const path of paths) {
    // Images, fonts, archives: known by their extension, so never opened.
    if (!languageMayApply(path)) {
      skip('unsupported-language');
      continue;
    }
    let fd: number | undefined;
    try {
      fd = openSync(join(root, path), 'r');
      const stat = fstatSync(fd);
      if (!stat.isFile()) {
        skip('not-a-file');
        continue;
      }
      if (stat.size > options.maxFileSize) {
        skip('too-large');
        continue;
      }
      const bytes = Buffer.allocUnsafe(stat.size);
      let read = 0;
      while (read < stat.size) {
        const n = readSync(fd, bytes, read, stat.size - read, read);
        if (n === 0) break; // the file shrank while we read it
        read += n;
      }
      result.bytes += read;
      const outcome = scanFile(path, read === stat.size ? bytes : bytes.subarray(0, read), { tags: options.tags });
      if (outcome.kind === 'skipped') {
        skip(outcome.reason);
        continue;
      }
      if (outcome.kind === 'failed') {
        result.errors.push({ path, message: `could not scan ${path}: ${outcome.message}`, code: 'scan-failed' });
        continue;
      }
      result.scanned++;
      if (outcome.markers.length > 0) {
        const content = read === stat.size ? bytes : bytes.subarray(0, read);
        result.found.push({ path, language: outcome.language, markers: outcome.markers, blob: gitBlobId(content) });
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Deleted from the work tree but still in the index, or replaced by a directory: nothing to scan.
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') {
        skip('missing');
        continue;
      }
      result.errors.push({ path, message: `cannot read ${path}: ${(error as Error).message}`, ...(code ? { code } : {}) });
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return result;
}

/** The id git gives this content as a blob, so a clean file can be recognised without asking git. */
export function gitBlobId(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}
