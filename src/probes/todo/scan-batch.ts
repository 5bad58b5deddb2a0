/**
 * Scans a batch of files from disk: the unit of work shared by the in-process path and the worker
 * threads. Reads each file once with one open/fstat/read/close, so a file over the size limit is
 * never read at all.
 */
import { closeSync, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import type { ProbeError } from '../../core/model.js';
import { isDataFile, languageFor } from './languages.js';
import { loadPrefilter, type Prefilter } from './prefilter.js';
import type { Outcome } from './scan-cache.js';
import { classifyHead, HEAD_PROBE_BYTES, scanFile, type Marker, type TagFinder } from './scanner.js';

/** This module's own file: how files are read is part of what the scan cache is keyed by. */
export const SCAN_BATCH_MODULE = import.meta.url;

export interface FileMarkers {
  path: string;
  language: string;
  markers: Marker[];
  /** The git blob id of the content read (with `blobIds`, for files with markers only). */
  blob?: string;
  /**
   * The blob git's index records for this path; undefined for a file git does not track. Set on
   * the main thread, which knows what the listing said (collect.ts).
   */
  indexBlob?: string;
}

export interface BatchResult {
  found: FileMarkers[];
  scanned: number;
  bytes: number;
  skipped: Record<string, number>;
  errors: ProbeError[];
}

/** Paths to scan, and what the scan cache (scan-cache.ts) knows of them. */
export interface Batch {
  paths: string[];
  /**
   * Six numbers per path: the stamp git recorded for it (see stampToArray), all zero when it has
   * none. A file with a stamp gets its outcome reported in `fresh`, for the cache.
   */
  stamps?: Float64Array;
  /** 1 where the cache holds an answer: when the file still shows its stamp it is not read. */
  verify?: Uint8Array;
}

export interface BatchAnswer extends BatchResult {
  /** Indices into the batch's paths whose files still show their stamp: the cached answer holds. */
  hits: number[];
  /** Outcomes of files read now that have a stamp: [index into paths, outcome]. */
  fresh: Array<[number, Outcome]>;
}

export interface BatchOptions {
  tags: readonly string[];
  maxFileSize: number;
  /** Compute git blob ids of files with markers (the blame cache needs them). */
  blobIds: boolean;
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

/**
 * One read buffer per thread, grown on demand and reused for every file: allocating a buffer per
 * file costs time and, worse, memory the garbage collector gives back late. With the WebAssembly
 * pre-filter it is that module's memory, so the pre-filter reads the bytes where they landed.
 */
let readBuffer: Buffer = Buffer.allocUnsafe(1 << 20);

/** The pre-filter for the tags of this scan (one per thread; undefined: the JavaScript one). */
let prefilter: { tags: readonly string[]; filter: Prefilter | undefined } | undefined;

function prefilterFor(tags: readonly string[]): Prefilter | undefined {
  if (prefilter?.tags !== tags) {
    const filter = loadPrefilter(tags);
    prefilter = { tags, filter };
    if (filter) readBuffer = filter.area(1 << 20);
  }
  return prefilter.filter;
}

/** Reads a whole file into the shared buffer; `undefined` when it is larger than `limit`. */
function readWhole(fd: number, limit: number, filter: Prefilter | undefined): Buffer | undefined {
  let length = 0;
  for (;;) {
    if (length === readBuffer.length) {
      if (length > limit) return undefined;
      // A large file: grow once to its size (asked of the kernel, plus room to see its end)
      // instead of doubling, which copied a 9 MB file's first megabytes four times.
      const size = fstatSync(fd).size;
      if (size > limit) return undefined;
      const capacity = Math.min(Math.max(readBuffer.length * 2, size + 65_536), limit + 1 + 65_536);
      if (filter) {
        // The module's memory grows in place: what was read stays where it is.
        readBuffer = filter.area(capacity);
      } else {
        const grown = Buffer.allocUnsafe(capacity);
        readBuffer.copy(grown, 0, 0, length);
        readBuffer = grown;
      }
    }
    const wanted = readBuffer.length - length;
    const n = readSync(fd, readBuffer, length, wanted, null);
    length += n;
    if (length > limit) return undefined;
    // A regular file returns fewer bytes than asked only at its end: no extra read to see EOF.
    if (n < wanted) break;
  }
  return readBuffer.subarray(0, length);
}

/**
 * Whether the file at `path` still shows the stamp git recorded (stamps[at..at+6]). Exact to the
 * nanosecond, so BigInt; inode and size compared as git stores them, truncated to 32 bits.
 */
function showsStamp(path: string, stamps: Float64Array, at: number): boolean {
  const st = lstatSync(path, { bigint: true, throwIfNoEntry: false });
  if (st === undefined || !st.isFile()) return false;
  return (
    Number(st.size & 0xffffffffn) === stamps[at] &&
    st.ctimeNs === BigInt(stamps[at + 1]!) * 1_000_000_000n + BigInt(stamps[at + 2]!) &&
    st.mtimeNs === BigInt(stamps[at + 3]!) * 1_000_000_000n + BigInt(stamps[at + 4]!) &&
    Number(st.ino & 0xffffffffn) === stamps[at + 5]
  );
}

export function scanBatch(root: string, batch: Batch, options: BatchOptions): BatchAnswer {
  const result: BatchAnswer = { ...emptyBatch(), hits: [], fresh: [] };
  const { paths, stamps, verify } = batch;
  const scanOptions = { tags: options.tags };
  const filter = prefilterFor(options.tags);
  const skip = (reason: string) => {
    result.skipped[reason] = (result.skipped[reason] ?? 0) + 1;
  };
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    // Images, fonts, archives: known by their extension, so never opened. Other files whose
    // language the name does not tell are opened: a shebang line or modeline may name it.
    const language = languageFor(path);
    if (language === undefined && isDataFile(path)) {
      skip('unsupported-language');
      continue;
    }
    // A cached answer holds while the file shows the stamp it was recorded under: no read.
    if (verify?.[i] === 1 && stamps && showsStamp(`${root}/${path}`, stamps, i * 6)) {
      result.hits.push(i);
      continue;
    }
    const stamped = stamps !== undefined && stamps[i * 6] !== 0;
    let fd: number | undefined;
    try {
      fd = openSync(`${root}/${path}`, 'r');
      if (language === undefined) {
        // Only its first lines can name the language (a shebang, a modeline): read those first,
        // and the whole file only for a script. A large binary of some unknown kind is not read.
        const headLength = readSync(fd, readBuffer, 0, Math.min(HEAD_PROBE_BYTES, readBuffer.length), 0);
        const kind = classifyHead(readBuffer.subarray(0, headLength));
        if (kind !== 'script') {
          skip(kind);
          if (stamped) result.fresh.push([i, kind]);
          continue;
        }
      }
      // No fstat: reading until end of file tells the size, and a directory fails with EISDIR.
      const content = readWhole(fd, options.maxFileSize, filter);
      if (content === undefined) {
        skip('too-large');
        if (stamped) result.fresh.push([i, 'too-large']);
        continue;
      }
      result.bytes += content.length;
      const found: TagFinder | undefined = filter && { first: filter.first(content.length), next: (from) => filter.next(from, content.length) };
      const outcome = scanFile(path, content, scanOptions, language, found);
      if (outcome.kind === 'skipped') {
        skip(outcome.reason);
        if (stamped) result.fresh.push([i, outcome.reason]);
        continue;
      }
      if (outcome.kind === 'failed') {
        result.errors.push({ path, message: `could not scan ${path}: ${outcome.message}`, code: 'scan-failed' });
        continue;
      }
      result.scanned++;
      if (outcome.markers.length > 0) {
        result.found.push({
          path,
          language: outcome.language,
          markers: outcome.markers,
          ...(options.blobIds ? { blob: gitBlobId(content) } : {}),
        });
      }
      if (stamped) result.fresh.push([i, outcome.markers.length > 0 ? { l: outcome.language, m: outcome.markers } : 0]);
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

/**
 * node:crypto, loaded on first use: only blame needs blob ids, and loading it costs each worker
 * thread ~10 ms of its start.
 */
let crypto: typeof import('node:crypto') | undefined;

/** The id git gives this content as a blob, so a clean file can be recognised without asking git. */
export function gitBlobId(content: Uint8Array): string {
  crypto ??= process.getBuiltinModule('node:crypto');
  return crypto.createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}
