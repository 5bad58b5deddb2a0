/**
 * Reads git's index file (`.git/index`) directly: the list of tracked files with their blob ids,
 * modes and sizes, without starting a `git ls-files` process. On a large repository that process
 * (and parsing its output) is the longest wait before a scan can begin.
 *
 * Only the common layouts are read: index versions 2, 3 and 4 of a SHA-1 repository, without a
 * split index. For anything else (a SHA-256 repository, a split or sparse index, an unknown
 * version, a truncated file) the reader returns null and callers ask git instead, so an unusual
 * repository is never misread. Format: https://git-scm.com/docs/index-format
 */

const NON_ASCII = /[^\x00-\x7f]/;
const SIGNATURE = 0x44495243; // "DIRC"
const HASH_BYTES = 20;
/** ctime, mtime (8 each), dev, ino, mode, uid, gid, size (4 each), hash, flags. */
const FIXED_BYTES = 40 + HASH_BYTES + 2;

/**
 * One entry of the index. Only what every reader needs is decoded up front (path, mode, size,
 * stage); the blob id and the stat record are read from the index's bytes when asked for: a large
 * index has tens of thousands of entries, most of whose ids nobody asks for, and every string and
 * object made for them must be collected (the bench's 58k-entry index: a first read in ~55 ms, not ~85).
 */
export class IndexEntry {
  /**
   * Set by a reader that judged the stat record trustworthy (util/git.ts): then `stamp` is the
   * record, and the entry can serve as that reader's answer without a copy.
   */
  trusted = false;

  constructor(
    /** The index file's bytes (shared by all entries). */
    private readonly bytes: Buffer,
    /** Where this entry starts in `bytes`. */
    private readonly at: number,
    /** Path relative to the top of the work tree, forward slashes. */
    readonly path: string,
    /** File mode as git records it: 0o100644, 0o100755, 0o120000 (symlink), 0o160000 (submodule). */
    readonly mode: number,
    /** Size of the file when git last looked at it (truncated to 32 bits by git). */
    readonly size: number,
    /** 0 normally; 1–3 during a merge conflict. */
    readonly stage: number,
    /** Sparse checkout: the file is not in the work tree. */
    readonly skipWorktree: boolean,
  ) {}

  /** Hex blob id. */
  get blob(): string {
    return this.bytes.toString('hex', this.at + 40, this.at + 40 + HASH_BYTES);
  }

  /**
   * What git saw of the work-tree file when it last hashed or checked it (seconds and nanoseconds;
   * inode truncated to 32 bits). While the file still shows these, its content is `blob`.
   */
  get stat(): IndexStat {
    const { bytes, at } = this;
    return {
      size: this.size,
      ctimeSec: bytes.readUInt32BE(at),
      ctimeNsec: bytes.readUInt32BE(at + 4),
      mtimeSec: bytes.readUInt32BE(at + 8),
      mtimeNsec: bytes.readUInt32BE(at + 12),
      ino: bytes.readUInt32BE(at + 20),
    };
  }

  /** The later of the recorded ctime and mtime, in whole seconds (git's racy-clean test). */
  get changedSec(): number {
    return Math.max(this.bytes.readUInt32BE(this.at), this.bytes.readUInt32BE(this.at + 8));
  }

  /** `stat` once a reader has judged it trustworthy (see `trusted`); undefined until then. */
  get stamp(): IndexStat | undefined {
    return this.trusted ? this.stat : undefined;
  }
}

export interface IndexStat {
  /** Truncated to 32 bits, as git stores it. */
  size: number;
  ctimeSec: number;
  ctimeNsec: number;
  mtimeSec: number;
  mtimeNsec: number;
  ino: number;
}

/**
 * The entries of an index file's bytes, in index order (sorted by path, then stage); null when it
 * uses a feature this reader leaves to git.
 */
export function parseGitIndex(bytes: Buffer): IndexEntry[] | null {
  const entries: IndexEntry[] = [];
  const chunks = parseGitIndexChunks(bytes);
  for (;;) {
    const next = chunks.next();
    if (next.done) return next.value ? entries : null;
    for (const entry of next.value) entries.push(entry);
  }
}

/**
 * The entries of an index, in chunks of up to `size`, so that a caller can start on the first
 * while the rest is read. Returns true once all were read; false when the index cannot be read
 * or uses a feature this reader leaves to git, possibly after some chunks (extensions come last):
 * then what was yielded is not the whole list, and the caller must ask git.
 */
export function* parseGitIndexChunks(bytes: Buffer, size = 4096): Generator<IndexEntry[], boolean, undefined> {
  if (bytes.length < 12 + HASH_BYTES || bytes.readUInt32BE(0) !== SIGNATURE) return false;
  const version = bytes.readUInt32BE(4);
  if (version < 2 || version > 4) return false;
  const count = bytes.readUInt32BE(8);
  const end = bytes.length - HASH_BYTES; // the file ends with a checksum
  // Paths are found in a latin1 view of the whole file (one char per byte): string searches and
  // slices are several times cheaper than a Buffer call per entry, and most paths are ASCII.
  const text = bytes.toString('latin1');
  let entries: IndexEntry[] = [];
  let offset = 12;
  let previous = '';
  for (let i = 0; i < count; i++) {
    const start = offset;
    if (offset + FIXED_BYTES > end) return false;
    const mode = bytes.readUInt32BE(offset + 24);
    const fileSize = bytes.readUInt32BE(offset + 36);
    const flags = bytes.readUInt16BE(offset + 40 + HASH_BYTES);
    offset += FIXED_BYTES;
    let skipWorktree = false;
    if (flags & 0x4000) {
      if (version < 3 || offset + 2 > end) return false;
      const extended = bytes.readUInt16BE(offset);
      skipWorktree = (extended & 0x4000) !== 0;
      offset += 2;
    }
    /** The path's bytes, as latin1. */
    let raw: string;
    if (version === 4) {
      // Prefix compression: drop N bytes from the end of the previous path, then append.
      let c = bytes[offset++];
      if (c === undefined) return false;
      let strip = c & 0x7f;
      while (c & 0x80) {
        c = bytes[offset++];
        if (c === undefined) return false;
        strip = ((strip + 1) << 7) | (c & 0x7f);
      }
      const nul = text.indexOf('\0', offset);
      if (nul < 0 || nul >= end || strip > previous.length) return false;
      raw = previous.slice(0, previous.length - strip) + text.slice(offset, nul);
      offset = nul + 1;
    } else {
      const nul = text.indexOf('\0', offset);
      if (nul < 0 || nul >= end) return false;
      raw = text.slice(offset, nul);
      // Entries are padded with 1–8 NULs to a multiple of eight bytes.
      offset = start + ((nul - start + 8) & ~7);
    }
    previous = raw;
    // A split index leaves the names of entries that replace shared ones empty; no other index
    // has an empty path.
    if (raw.length === 0) return false;
    // A sparse index stores whole directories as entries; leave those repositories to git.
    if ((mode & 0o170000) === 0o040000) return false;
    const path = NON_ASCII.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : raw;
    entries.push(new IndexEntry(bytes, start, path, mode, fileSize, (flags >> 12) & 3, skipWorktree));
    if (entries.length === size) {
      yield entries;
      entries = [];
    }
  }
  // Extensions: a split index ("link") keeps most entries in another file.
  while (offset + 8 <= end) {
    const signature = bytes.toString('latin1', offset, offset + 4);
    const length = bytes.readUInt32BE(offset + 4);
    if (signature === 'link' || signature === 'sdir') return false;
    offset += 8 + length;
  }
  if (entries.length > 0) yield entries;
  return true;
}
