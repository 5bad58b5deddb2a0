/**
 * Bounded byte reading and writing for the TLS wire format. {@link ByteReader} throws
 * {@link WireError} on any overrun; the exported parsers catch it (see {@link parseWith}) so that
 * no parser ever throws on garbage.
 */

/** The result of every parser: a value, or why the bytes are not what was expected. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

export class ByteReader {
  private offset: number;
  private readonly end: number;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    end = bytes.length,
    private readonly what = 'message',
  ) {
    this.offset = start;
    this.end = Math.min(end, bytes.length);
  }

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(count: number, field: string): void {
    if (count < 0 || this.offset + count > this.end) {
      throw new WireError(`${this.what}: truncated ${field} (needs ${count} bytes, ${this.end - this.offset} left)`);
    }
  }

  u8(field = 'byte'): number {
    this.need(1, field);
    return this.bytes[this.offset++]!;
  }

  u16(field = 'uint16'): number {
    this.need(2, field);
    const value = (this.bytes[this.offset]! << 8) | this.bytes[this.offset + 1]!;
    this.offset += 2;
    return value;
  }

  u24(field = 'uint24'): number {
    this.need(3, field);
    const value = (this.bytes[this.offset]! << 16) | (this.bytes[this.offset + 1]! << 8) | this.bytes[this.offset + 2]!;
    this.offset += 3;
    return value;
  }

  bytesOf(count: number, field = 'bytes'): Buffer {
    this.need(count, field);
    const out = Buffer.from(this.bytes.subarray(this.offset, this.offset + count));
    this.offset += count;
    return out;
  }

  /** A vector with a 1-, 2- or 3-byte length prefix. */
  vector(lengthBytes: 1 | 2 | 3, field = 'vector'): Buffer {
    const length = lengthBytes === 1 ? this.u8(`${field} length`) : lengthBytes === 2 ? this.u16(`${field} length`) : this.u24(`${field} length`);
    return this.bytesOf(length, field);
  }

  /** A reader over the next `count` bytes; this reader skips them. */
  sub(count: number, field = 'block'): ByteReader {
    this.need(count, field);
    const reader = new ByteReader(this.bytes, this.offset, this.offset + count, `${this.what} ${field}`);
    this.offset += count;
    return reader;
  }

  /** Fails unless every byte was read. */
  finish(field = 'message'): void {
    if (this.offset !== this.end) throw new WireError(`${this.what}: ${this.end - this.offset} unexpected bytes after ${field}`);
  }
}

/** Runs a parser over untrusted bytes: any exception becomes a typed error, never a throw. */
export function parseWith<T>(parse: () => T): Parsed<T> {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export function u8(value: number): Buffer {
  return Buffer.from([value & 0xff]);
}

export function u16(value: number): Buffer {
  return Buffer.from([(value >> 8) & 0xff, value & 0xff]);
}

export function u24(value: number): Buffer {
  return Buffer.from([(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]);
}

/** `payload` with a 1-, 2- or 3-byte length prefix; throws if it does not fit (a builder bug). */
export function vector(lengthBytes: 1 | 2 | 3, payload: Uint8Array): Buffer {
  const max = 2 ** (8 * lengthBytes) - 1;
  if (payload.length > max) throw new RangeError(`vector of ${payload.length} bytes exceeds ${max}`);
  const prefix = lengthBytes === 1 ? u8(payload.length) : lengthBytes === 2 ? u16(payload.length) : u24(payload.length);
  return Buffer.concat([prefix, payload]);
}

export function u16List(values: readonly number[]): Buffer {
  const out = Buffer.alloc(values.length * 2);
  values.forEach((value, index) => out.writeUInt16BE(value & 0xffff, index * 2));
  return out;
}

export function hexPreview(bytes: Uint8Array, max = 16): string {
  const shown = Buffer.from(bytes.subarray(0, max)).toString('hex').replace(/(..)/g, '$1 ').trim();
  return bytes.length > max ? `${shown} …` : shown;
}
