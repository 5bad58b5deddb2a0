/**
 * Reads the entries of a zip file one at a time (yauzl, lazy entries), in memory, never extracting
 * to disk, with defences against hostile archives:
 *
 * - an entry whose name is absolute (`/x`, `C:x`, `\\x`) or has a `..` segment is reported and skipped;
 * - an entry that declares more than `maxEntryBytes`, whose declared size is more than `maxRatio`
 *   times its compressed size (beyond `ratioMinBytes`), or that inflates to more than it declares
 *   (inflating stops there), is reported and skipped; the other entries are still read;
 * - once `maxTotalBytes` have been inflated the archive is abandoned with an error;
 * - encrypted entries, unknown compression methods and entries whose CRC-32 does not match are
 *   reported and skipped;
 * - an archive that cannot be opened (truncated, not a zip) or whose directory is corrupt ends with
 *   one error for the archive.
 *
 * Every problem is an item of the iteration, never an exception (except an abort).
 */
import { close, closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { crc32, inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';

export interface ZipLimits {
  /** Largest uncompressed entry. Default 50 MiB. */
  maxEntryBytes: number;
  /** Most bytes inflated from one archive. Default 20 GiB. */
  maxTotalBytes: number;
  /** Largest declared uncompressed/compressed ratio for entries above `ratioMinBytes`. Default 200. */
  maxRatio: number;
  /** Entries up to this size are not ratio-checked (small JSON compresses well). Default 1 MiB. */
  ratioMinBytes: number;
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  maxEntryBytes: 50 * 1024 * 1024,
  maxTotalBytes: 20 * 1024 * 1024 * 1024,
  maxRatio: 200,
  ratioMinBytes: 1024 * 1024,
});

export type ZipItem =
  /** An entry's content (`accept` said yes). */
  | { kind: 'file'; name: string; data: Buffer }
  /** An entry not read because `accept` said no. */
  | { kind: 'skipped'; name: string }
  /** An entry (or, with `fatal`, the archive) that could not be read. */
  | { kind: 'error'; name: string; message: string; fatal?: boolean };

/** Why an entry name is unsafe (absolute, drive letter, `..`), or null. */
export function unsafeEntryName(name: string): string | null {
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/')) return 'absolute path';
  if (/^[a-zA-Z]:/.test(slashed)) return 'absolute path (drive letter)';
  if (slashed.split('/').includes('..')) return 'path traversal (..)';
  if (slashed.includes('\0')) return 'NUL in the name';
  return null;
}

/**
 * Reads the archive through a small cache of 1 MiB blocks: yauzl asks for many small pieces (each
 * central-directory record, each local header), which would otherwise be one system call each.
 */
class BlockReader extends yauzl.RandomAccessReader {
  static readonly BLOCK = 1 << 20;
  static readonly CACHED = 8;
  readonly #fd: number;
  readonly size: number;
  readonly #blocks = new Map<number, Buffer>();

  constructor(fd: number, size: number) {
    super();
    this.#fd = fd;
    this.size = size;
  }

  #block(index: number): Buffer {
    let block = this.#blocks.get(index);
    if (block) {
      // most recently used last
      this.#blocks.delete(index);
      this.#blocks.set(index, block);
      return block;
    }
    const start = index * BlockReader.BLOCK;
    const length = Math.max(0, Math.min(BlockReader.BLOCK, this.size - start));
    block = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.#fd, block, done, length - done, start + done);
      if (n === 0) break;
      done += n;
    }
    block = block.subarray(0, done);
    this.#blocks.set(index, block);
    if (this.#blocks.size > BlockReader.CACHED) this.#blocks.delete(this.#blocks.keys().next().value as number);
    return block;
  }

  /** `length` bytes at `position` (fewer at the end of the file). */
  bytes(position: number, length: number): Buffer {
    const end = Math.min(this.size, position + length);
    if (end <= position) return Buffer.alloc(0);
    const first = Math.floor(position / BlockReader.BLOCK);
    const last = Math.floor((end - 1) / BlockReader.BLOCK);
    if (first === last) {
      const block = this.#block(first);
      const offset = position - first * BlockReader.BLOCK;
      return block.subarray(offset, offset + (end - position));
    }
    if (last - first >= BlockReader.CACHED / 2) {
      // large spans bypass the cache
      const out = Buffer.allocUnsafe(end - position);
      let done = 0;
      while (done < out.length) {
        const n = readSync(this.#fd, out, done, out.length - done, position + done);
        if (n === 0) break;
        done += n;
      }
      return out.subarray(0, done);
    }
    const parts: Buffer[] = [];
    for (let index = first; index <= last; index++) {
      const block = this.#block(index);
      const from = index === first ? position - first * BlockReader.BLOCK : 0;
      const to = index === last ? end - last * BlockReader.BLOCK : block.length;
      parts.push(block.subarray(from, to));
    }
    return Buffer.concat(parts);
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    let bytesRead = 0;
    let failure: Error | null = null;
    try {
      bytesRead = this.bytes(position, length).copy(buffer, offset);
    } catch (error) {
      failure = error as Error;
    }
    process.nextTick(callback, failure, bytesRead);
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from([this.bytes(start, end - start)], { objectMode: false });
  }

  #closed = false;

  override close(callback: (err: Error | null) => void): void {
    this.#blocks.clear();
    if (this.#closed) return process.nextTick(callback, null);
    this.#closed = true;
    close(this.#fd, callback);
  }
}

async function openZip(path: string): Promise<{ zip: ZipFile; reader: BlockReader }> {
  const fd = openSync(path, 'r');
  let reader: BlockReader;
  try {
    reader = new BlockReader(fd, fstatSync(fd).size);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  // the reader closes the file when yauzl lets go of it (also after a failed open)
  reader.on('error', () => undefined);
  try {
    const zip = await new Promise<ZipFile>((resolve, reject) => {
      yauzl.fromRandomAccessReader(reader, reader.size, { lazyEntries: true, decodeStrings: false, autoClose: true, validateEntrySizes: true }, (error, zipfile) => {
        if (error) reject(error);
        else resolve(zipfile);
      });
    });
    return { zip, reader };
  } catch (error) {
    reader.close(() => undefined);
    throw error;
  }
}

/** The next entry, or null at the end; rejects on a corrupt directory. */
function nextEntry(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: Entry): void => {
      cleanup();
      resolve(entry);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

function localHeader(zip: ZipFile, entry: Entry): Promise<number> {
  return new Promise((resolve, reject) => {
    zip.readLocalFileHeader(entry, { minimal: true }, (error, header) => {
      if (error) reject(error);
      else resolve(header.fileDataStart);
    });
  });
}

/**
 * The entry's bytes, inflated in one call, checked against the declared size and CRC-32. Inflating
 * stops one byte past the declared size (`maxOutputLength`), so an entry lying about its size
 * (a zip bomb) costs no more than what it declared.
 */
async function readEntryData(zip: ZipFile, reader: BlockReader, entry: Entry, counter: { bytes: number }): Promise<Buffer> {
  const declared = entry.uncompressedSize;
  const start = await localHeader(zip, entry);
  const raw = reader.bytes(start, entry.compressedSize);
  if (raw.length < entry.compressedSize) throw new Error('unexpected end of the archive');
  let data: Buffer;
  if (entry.compressionMethod === 0) {
    data = raw;
  } else {
    try {
      data = inflateRawSync(raw, { maxOutputLength: declared + 1 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        counter.bytes += declared + 1;
        throw new Error(`inflates to more than the ${declared} bytes its directory entry declares (zip bomb?)`, { cause: error });
      }
      throw new Error(`invalid compressed data (${(error as Error).message})`, { cause: error });
    }
  }
  counter.bytes += data.length;
  if (data.length !== declared) throw new Error(`${data.length} bytes where the directory declares ${declared}`);
  if (crc32(data) !== entry.crc32) throw new Error('CRC-32 mismatch (damaged entry)');
  return data;
}

function entryName(entry: Entry): string {
  const raw = entry.fileNameRaw;
  try {
    return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
  } catch {
    return raw.toString('latin1');
  }
}

/**
 * Iterates over the entries of the zip at `path`. `accept(name)` chooses the entries to read (the
 * others are `skipped` items; directories are not reported).
 */
export async function* readZip(path: string, accept: (name: string) => boolean, options: { limits?: Partial<ZipLimits>; signal?: AbortSignal } = {}): AsyncGenerator<ZipItem> {
  const limits: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...options.limits };
  const signal = options.signal;
  let zip: ZipFile;
  let reader: BlockReader;
  try {
    ({ zip, reader } = await openZip(path));
  } catch (error) {
    yield { kind: 'error', name: path, message: `cannot read the zip: ${(error as Error).message}`, fatal: true };
    return;
  }
  // yauzl may report a late error on the archive itself: never let it go unhandled
  zip.on('error', () => undefined);
  const counter = { bytes: 0 };
  try {
    for (;;) {
      signal?.throwIfAborted();
      let entry: Entry | null;
      try {
        entry = await nextEntry(zip);
      } catch (error) {
        yield { kind: 'error', name: path, message: `corrupt zip directory: ${(error as Error).message}`, fatal: true };
        return;
      }
      if (entry === null) return;
      const name = entryName(entry);
      if (name.endsWith('/') || name.endsWith('\\')) continue;
      const unsafe = unsafeEntryName(name);
      if (unsafe !== null) {
        yield { kind: 'error', name, message: `unsafe entry name: ${unsafe}; skipped` };
        continue;
      }
      if (!accept(name)) {
        yield { kind: 'skipped', name };
        continue;
      }
      if (entry.isEncrypted()) {
        yield { kind: 'error', name, message: 'encrypted entry; skipped' };
        continue;
      }
      if (!entry.canDecodeFileData()) {
        yield { kind: 'error', name, message: `unsupported compression method ${entry.compressionMethod}; skipped` };
        continue;
      }
      const declared = entry.uncompressedSize;
      if (declared > limits.maxEntryBytes) {
        yield { kind: 'error', name, message: `declares ${declared} bytes uncompressed, more than the ${limits.maxEntryBytes}-byte limit; skipped` };
        continue;
      }
      if (declared > limits.ratioMinBytes && declared / Math.max(1, entry.compressedSize) > limits.maxRatio) {
        yield {
          kind: 'error',
          name,
          message: `compression ratio ${Math.round(declared / Math.max(1, entry.compressedSize))}:1 is above ${limits.maxRatio}:1 (zip bomb?); skipped`,
        };
        continue;
      }
      if (entry.compressedSize > declared + (declared >> 3) + 65_536) {
        // deflate never grows data that much: a forged directory entry
        yield { kind: 'error', name, message: `${entry.compressedSize} bytes compressed for ${declared} declared; skipped` };
        continue;
      }
      const remaining = limits.maxTotalBytes - counter.bytes;
      if (declared > remaining) {
        yield { kind: 'error', name: path, message: `more than ${limits.maxTotalBytes} bytes uncompressed in total; the rest of the archive is not read`, fatal: true };
        return;
      }
      let data: Buffer;
      try {
        data = await readEntryData(zip, reader, entry, counter);
      } catch (error) {
        signal?.throwIfAborted();
        yield { kind: 'error', name, message: `cannot read the entry: ${(error as Error).message}; skipped` };
        if (counter.bytes >= limits.maxTotalBytes) {
          yield { kind: 'error', name: path, message: `more than ${limits.maxTotalBytes} bytes uncompressed in total; the rest of the archive is not read`, fatal: true };
          return;
        }
        continue;
      }
      yield { kind: 'file', name, data };
    }
  } finally {
    if (zip.isOpen) zip.close();
  }
}

/** Does the file start like a zip (local header, or an empty archive's end record)? */
export function looksLikeZip(head: Buffer): boolean {
  if (head.length < 4) return false;
  const signature = head.readUInt32LE(0);
  return signature === 0x04034b50 || signature === 0x06054b50;
}
