/**
 * A tiny zip writer for tests and the benchmark: stored or deflated entries, names as given (even
 * unsafe ones), optional lies about the uncompressed size, Zip64 end records when there are more
 * than 65,535 entries (as OSV's large all.zip files need). Offsets stay below 4 GiB.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntryInput {
  name: string;
  data: Buffer | string;
  /** Default deflate. */
  method?: 'store' | 'deflate';
  /** Writes this as the uncompressed size instead of the real one (a lying zip bomb). */
  declaredSize?: number;
}

/** Writes a zip through `sink`; `finish()` writes the central directory. */
export class ZipWriter {
  readonly #sink: (chunk: Buffer) => void;
  readonly #central: Buffer[] = [];
  #offset = 0;
  #count = 0;

  constructor(sink: (chunk: Buffer) => void) {
    this.#sink = sink;
  }

  #write(chunk: Buffer): void {
    this.#sink(chunk);
    this.#offset += chunk.length;
  }

  add(entry: ZipEntryInput): void {
    const raw = typeof entry.data === 'string' ? Buffer.from(entry.data) : entry.data;
    const name = Buffer.from(entry.name, 'utf8');
    const deflate = (entry.method ?? 'deflate') === 'deflate';
    const body = deflate ? deflateRawSync(raw) : raw;
    const crc = crc32(raw);
    const size = entry.declaredSize ?? raw.length;
    const method = deflate ? 8 : 0;
    const flags = 0x800; // names are UTF-8

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date: 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(0, 38); // external attributes
    central.writeUInt32LE(this.#offset, 42);
    this.#central.push(central, name);

    this.#write(local);
    this.#write(name);
    this.#write(body);
    this.#count++;
  }

  finish(): void {
    const cdOffset = this.#offset;
    for (const chunk of this.#central) this.#write(chunk);
    const cdSize = this.#offset - cdOffset;
    const zip64 = this.#count > 0xfffe;
    if (zip64) {
      const recordOffset = this.#offset;
      const record = Buffer.alloc(56);
      record.writeUInt32LE(0x06064b50, 0);
      record.writeBigUInt64LE(44n, 4);
      record.writeUInt16LE(45, 12);
      record.writeUInt16LE(45, 14);
      record.writeUInt32LE(0, 16);
      record.writeUInt32LE(0, 20);
      record.writeBigUInt64LE(BigInt(this.#count), 24);
      record.writeBigUInt64LE(BigInt(this.#count), 32);
      record.writeBigUInt64LE(BigInt(cdSize), 40);
      record.writeBigUInt64LE(BigInt(cdOffset), 48);
      this.#write(record);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeUInt32LE(0, 4);
      locator.writeBigUInt64LE(BigInt(recordOffset), 8);
      locator.writeUInt32LE(1, 16);
      this.#write(locator);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(0, 4);
    end.writeUInt16LE(0, 6);
    end.writeUInt16LE(zip64 ? 0xffff : this.#count, 8);
    end.writeUInt16LE(zip64 ? 0xffff : this.#count, 10);
    end.writeUInt32LE(cdSize, 12);
    end.writeUInt32LE(cdOffset, 16);
    end.writeUInt16LE(0, 20);
    this.#write(end);
  }
}

/** A whole zip in memory. */
export function buildZip(entries: Iterable<ZipEntryInput>): Buffer {
  const chunks: Buffer[] = [];
  const writer = new ZipWriter((chunk) => chunks.push(chunk));
  for (const entry of entries) writer.add(entry);
  writer.finish();
  return Buffer.concat(chunks);
}

/** Streams a zip to `path` (entries are produced lazily; memory holds only the central directory). */
export function writeZipFile(path: string, entries: Iterable<ZipEntryInput>): { entries: number; bytes: number } {
  const fd = openSync(path, 'w');
  let bytes = 0;
  let count = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    writeSync(fd, Buffer.concat(pending));
    pending = [];
    pendingBytes = 0;
  };
  try {
    const writer = new ZipWriter((chunk) => {
      pending.push(chunk);
      pendingBytes += chunk.length;
      bytes += chunk.length;
      if (pendingBytes > 1 << 20) flush();
    });
    for (const entry of entries) {
      writer.add(entry);
      count++;
    }
    writer.finish();
    flush();
  } finally {
    closeSync(fd);
  }
  return { entries: count, bytes };
}
