/**
 * Remembers what the scan found in each tracked file, so a repeated observation of a repository
 * reads only the files that changed since the last one (定点観測 observes the same tree again and
 * again, and most of it has not changed in between).
 *
 * Trust comes from git's own bookkeeping, never from our clock: git's index records, for every
 * tracked file, the status (size, inode, ctime and mtime to the nanosecond) the work-tree file had
 * when git last hashed or checked it. An answer is stored with that record and used again only
 * when the index still holds the same blob and record and the file itself still shows it (one
 * `lstat`, no read). Any write to a file moves its ctime, which no user can set back, so a file that
 * still shows the record has not been written since — in particular not since we read it. Records
 * git itself does not trust (written in the same second as the index, "racily clean") are never
 * used; see readTrackedFromIndex in util/git.ts.
 *
 * Answers also depend on the scanner and its options: the cache is keyed by a hash of the
 * scanner's own code, prodeng's version, the tags and the size limit, and starts empty when any of
 * them differs. Untracked files and directories outside git are always read.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { FileStamp } from '../../util/git.js';
import { lowerBound } from '../../util/search.js';
import { toolVersion } from '../../util/version.js';
import { PREFILTER_FILES } from './prefilter.js';
import { SCAN_BATCH_MODULE } from './scan-batch.js';
import { SCANNER_MODULES, type Marker } from './scanner.js';

const FORMAT = 1;

/**
 * What the scan made of one file: `0` scanned, nothing found; a string: skipped for that reason;
 * an object: scanned as language `l`, markers `m`.
 */
export type Outcome = 0 | string | { l: string; m: Marker[] };

const markerSchema = z
  .object({
    tag: z.string(),
    line: z.number().int().positive(),
    column: z.number().int().positive(),
    text: z.string(),
    owner: z.string().optional(),
    comment: z.string(),
  })
  .strict();
const outcomeSchema = z.union([z.string().min(1), z.object({ l: z.string().min(1), m: z.array(markerSchema).min(1) }).strict()]);
/** Checked by hand: zod's per-element checks cost more than the rest of a cached scan. */
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

const fileSchema = z
  .object({
    format: z.literal(FORMAT),
    key: z.string(),
    paths: z.custom<string[]>(isStringArray, 'expected an array of paths'),
    /**
     * Blob ids, 40 hex digits each, concatenated (one string parses far faster than 50k). Not
     * matched against a pattern (20 ms for 58k ids): a damaged id only fails to equal the index's.
     */
    blobs: z.string(),
    /**
     * Six unsigned 32-bit numbers per path, little-endian, base64: size, ctime s, ctime ns,
     * mtime s, mtime ns, inode (git stores each in 32 bits too). Damage shows as a wrong length
     * (below) or as numbers that fail to equal the index's record.
     */
    stamps: z.string(),
    /** Outcomes other than 0, by index into `paths`. */
    outcomes: z.record(z.string().regex(/^\d+$/), outcomeSchema),
  })
  .strict()
  .transform((file) => ({ ...file, stamps: decodeStamps(file.stamps) }))
  .refine((file) => file.blobs.length === file.paths.length * 40 && file.stamps.length === file.paths.length * 6, 'column lengths differ');

function decodeStamps(base64: string): Uint32Array {
  const bytes = Buffer.from(base64, 'base64');
  const words = new Uint32Array(Math.floor(bytes.length / 4));
  for (let i = 0; i < words.length; i++) words[i] = bytes.readUInt32LE(i * 4);
  return words;
}

function encodeStamps(words: readonly number[]): string {
  const bytes = Buffer.alloc(words.length * 4);
  for (let i = 0; i < words.length; i++) bytes.writeUInt32LE(words[i]! >>> 0, i * 4);
  return bytes.toString('base64');
}

const STAMP_FIELDS = 6;
const NON_ASCII = /[^\x00-\x7f]/;

let scannerHash: string | undefined;

/** A hash of the scanner's own compiled code: a changed lexer or language table empties the cache. */
function scannerIdentity(): string {
  if (scannerHash === undefined) {
    const hash = createHash('sha256').update(toolVersion());
    for (const url of new Set([...SCANNER_MODULES, SCAN_BATCH_MODULE, ...PREFILTER_FILES])) {
      try {
        hash.update(readFileSync(fileURLToPath(url)));
      } catch {
        hash.update(url);
      }
    }
    scannerHash = hash.digest('hex');
  }
  return scannerHash;
}

export function cacheKey(options: { tags: readonly string[]; maxFileSize: number }): string {
  return createHash('sha256')
    .update(JSON.stringify([FORMAT, scannerIdentity(), options.tags, options.maxFileSize]))
    .digest('hex')
    .slice(0, 32);
}

/** Writes a stamp's six numbers at `at` (the order the cache file and the scan batches use). */
export function writeStamp(into: Float64Array | number[], at: number, stamp: FileStamp): void {
  into[at] = stamp.size;
  into[at + 1] = stamp.ctimeSec;
  into[at + 2] = stamp.ctimeNsec;
  into[at + 3] = stamp.mtimeSec;
  into[at + 4] = stamp.mtimeNsec;
  into[at + 5] = stamp.ino;
}

export class ScanCache {
  /** Path to entry, built only when the stored paths turn out not to be sorted (see find). */
  private index: Map<string, number> | undefined;
  /** Whether the stored paths are in ascending order; known once a lookup needs it. */
  private sorted: boolean | undefined;
  /** Lookups come in index order, which is the stored order: usually the next entry is the one. */
  private cursor = 0;
  private readonly paths: readonly string[];
  private readonly blobs: string;
  private readonly stamps: Uint32Array;
  private readonly outcomes: Readonly<Record<string, Outcome>>;
  /**
   * What this observation saw, by position in the scan order (git's index order): a stored entry
   * still valid (its number) or a fresh answer (a negative number, -1 - its index in `fresh`).
   * Written back in this order; entries nobody saw age out.
   */
  private readonly slots: number[] = [];
  private keptCount = 0;
  private readonly fresh: Array<{ path: string; blob: string; outcome: Outcome }> = [];
  /** Six numbers per fresh answer. */
  private readonly freshStamps: number[] = [];

  private constructor(
    private readonly file: string,
    private readonly key: string,
    stored: z.infer<typeof fileSchema> | undefined,
  ) {
    this.paths = stored?.paths ?? [];
    this.blobs = stored?.blobs ?? '';
    this.stamps = stored?.stamps ?? new Uint32Array(0);
    this.outcomes = stored?.outcomes ?? {};
  }

  /**
   * The cache of the repository at `root`. A missing, unreadable, malformed or outdated file is
   * an empty cache, never an error: the cost of a bad cache is one full scan.
   */
  static load(dir: string, root: string, key: string): ScanCache {
    const file = join(dir, 'todo-scan', `${createHash('sha256').update(root).digest('hex').slice(0, 24)}.json`);
    let stored: z.infer<typeof fileSchema> | undefined;
    try {
      // Written as ASCII (below), so read as latin1: several times faster than decoding UTF-8.
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file).toString('latin1')));
      if (parsed.success && parsed.data.key === key) stored = parsed.data;
    } catch {
      stored = undefined;
    }
    return new ScanCache(file, key, stored);
  }

  get size(): number {
    return this.paths.length;
  }

  /**
   * The entry stored for this path if it was recorded for exactly this blob and stamp, else -1.
   * The caller still has to see that the file shows the stamp before trusting it.
   */
  lookup(path: string, blob: string, stamp: FileStamp): number {
    let i: number | undefined = this.cursor;
    if (this.paths[i] !== path) {
      i = this.find(path);
      if (i === undefined) return -1;
    }
    this.cursor = i + 1;
    if (!this.blobs.startsWith(blob, i * 40)) return -1;
    const at = i * STAMP_FIELDS;
    const s = this.stamps;
    return s[at] === stamp.size &&
      s[at + 1] === stamp.ctimeSec &&
      s[at + 2] === stamp.ctimeNsec &&
      s[at + 3] === stamp.mtimeSec &&
      s[at + 4] === stamp.mtimeNsec &&
      s[at + 5] === stamp.ino
      ? i
      : -1;
  }

  /**
   * Where a path is stored, when lookups leave the stored order (the scan takes large files
   * first, and a new file is not stored at all). Entries are stored in git's index order, which
   * is sorted: a binary search, without building a map of tens of thousands of paths. Should the
   * stored paths not be sorted as JavaScript compares strings (a name outside the Basic
   * Multilingual Plane sorts differently as UTF-16 than as git's bytes), a map.
   */
  private find(path: string): number | undefined {
    const paths = this.paths;
    this.sorted ??= paths.every((stored, n) => n === 0 || paths[n - 1]! < stored);
    if (!this.sorted) {
      if (this.index === undefined) {
        this.index = new Map();
        paths.forEach((stored, n) => this.index!.set(stored, n));
      }
      return this.index.get(path);
    }
    const at = lowerBound(paths, path, (stored, wanted) => stored < wanted);
    return paths[at] === path ? at : undefined;
  }

  outcome(entry: number): Outcome {
    return this.outcomes[entry] ?? 0;
  }

  /** The size stored for an entry (the file's size when it was recorded). */
  sizeOf(entry: number): number {
    return this.stamps[entry * STAMP_FIELDS]!;
  }

  /** The file at this position of the scan still showed its stamp: the stored entry stays. */
  keep(position: number, entry: number): void {
    if (this.slots[position] === undefined) this.keptCount++;
    this.slots[position] = entry;
  }

  /**
   * A fresh answer for the file at this position of the scan, read now, under the stamp git had
   * recorded for it (six numbers at `stamps[at]`).
   */
  record(position: number, path: string, blob: string, stamps: ArrayLike<number>, at: number, outcome: Outcome): void {
    this.slots[position] = -1 - this.fresh.length;
    this.fresh.push({ path, blob, outcome });
    for (let f = 0; f < STAMP_FIELDS; f++) this.freshStamps.push(stamps[at + f]!);
  }

  /**
   * Writes what this observation saw when it differs from what was loaded; to a temporary file
   * renamed into place, so a concurrent observation never reads a torn file.
   */
  save(): void {
    if (this.fresh.length === 0 && this.keptCount === this.paths.length) return;
    const paths: string[] = [];
    const blobs: string[] = [];
    const stamps: number[] = [];
    const outcomes: Record<string, Outcome> = {};
    for (const slot of this.slots) {
      if (slot === undefined) continue; // an untracked file, or one read without a stamp
      if (slot >= 0) {
        const outcome = this.outcome(slot);
        if (outcome !== 0) outcomes[paths.length] = outcome;
        paths.push(this.paths[slot]!);
        blobs.push(this.blobs.slice(slot * 40, slot * 40 + 40));
        for (let f = 0; f < STAMP_FIELDS; f++) stamps.push(this.stamps[slot * STAMP_FIELDS + f]!);
      } else {
        const n = -1 - slot;
        const entry = this.fresh[n]!;
        if (entry.outcome !== 0) outcomes[paths.length] = entry.outcome;
        paths.push(entry.path);
        blobs.push(entry.blob);
        for (let f = 0; f < STAMP_FIELDS; f++) stamps.push(this.freshStamps[n * STAMP_FIELDS + f]!);
      }
    }
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      const json = JSON.stringify({ format: FORMAT, key: this.key, paths, blobs: blobs.join(''), stamps: encodeStamps(stamps), outcomes });
      // Non-ASCII escaped, so that the file is ASCII and can be read back as latin1.
      const ascii = NON_ASCII.test(json) ? json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
      writeFileSync(tmp, ascii, 'latin1');
      renameSync(tmp, this.file);
    } catch {
      // A cache that cannot be written only costs speed next time.
      try {
        rmSync(tmp, { force: true });
      } catch {
        // nothing was written
      }
    }
  }
}
