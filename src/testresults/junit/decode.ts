/**
 * Bytes to text for the tokenizer, chunk by chunk: the encoding comes from a byte-order mark, else
 * from the XML declaration's `encoding`, else UTF-8 (XML's default). Characters split across chunk
 * boundaries are reassembled by TextDecoder's streaming mode; invalid sequences become U+FFFD.
 */
import { TextDecoder } from 'node:util';

/** Thrown when the declared encoding is one TextDecoder does not know. */
export class EncodingError extends Error {
  override readonly name = 'EncodingError';
}

/** How many bytes to wait for before giving up on finding the end of the XML declaration. */
const SNIFF_LIMIT = 1024;

const DECLARATION = /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((byte, i) => bytes[i] === byte);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The TextDecoder label for a document starting with `head`; null when more bytes are needed. */
function sniff(head: Uint8Array, final: boolean): string | null {
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return 'utf-8';
  if (startsWith(head, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(head, [0xfe, 0xff])) return 'utf-16be';
  if (startsWith(head, [0x3c, 0x00, 0x3f, 0x00])) return 'utf-16le';
  if (startsWith(head, [0x00, 0x3c, 0x00, 0x3f])) return 'utf-16be';
  if (head.length < 5 && !final) {
    // Could still become "<?xml" or a BOM.
    const prefixes = [[0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0x3c, 0x00, 0x3f, 0x00], [0x00, 0x3c, 0x00, 0x3f], [0x3c, 0x3f, 0x78, 0x6d, 0x6c]];
    if (prefixes.some((prefix) => prefix.slice(0, head.length).every((byte, i) => head[i] === byte))) return null;
    return 'utf-8';
  }
  if (!startsWith(head, [0x3c, 0x3f, 0x78, 0x6d, 0x6c])) return 'utf-8';
  // "<?xml": read the declaration (ASCII) up to "?>".
  let end = -1;
  for (let i = 5; i + 1 < head.length && i < SNIFF_LIMIT; i++) {
    if (head[i] === 0x3f && head[i + 1] === 0x3e) {
      end = i;
      break;
    }
  }
  if (end === -1 && !final && head.length < SNIFF_LIMIT) return null;
  const text = Buffer.from(head.subarray(0, end === -1 ? Math.min(head.length, SNIFF_LIMIT) : end)).toString('latin1');
  const label = DECLARATION.exec(text)?.[1]?.toLowerCase();
  if (label === undefined) return 'utf-8';
  // Documents that declare UTF-16 without a BOM but reached here are ASCII-compatible: a tool
  // that re-encoded the file to UTF-8 and kept the declaration. Read them as UTF-8.
  if (label.startsWith('utf-16') || label === 'ucs-2') return 'utf-8';
  return label;
}

export class ChunkDecoder {
  #decoder: TextDecoder | null = null;
  #pending: Uint8Array = new Uint8Array(0);

  /** Text of this chunk (possibly empty while the encoding is being determined). */
  decode(chunk: Uint8Array | string): string {
    if (typeof chunk === 'string') {
      if (this.#decoder === null && this.#pending.length === 0) return chunk;
      return this.decode(Buffer.from(chunk, 'utf8'));
    }
    if (this.#decoder !== null) return this.#decoder.decode(chunk, { stream: true });
    this.#pending = this.#pending.length === 0 ? chunk : concat(this.#pending, chunk);
    return this.#start(false);
  }

  /** The rest of the text at the end of input. */
  end(): string {
    const head = this.#decoder === null && this.#pending.length > 0 ? this.#start(true) : '';
    return head + (this.#decoder?.decode() ?? '');
  }

  #start(final: boolean): string {
    const label = sniff(this.#pending, final);
    if (label === null) return '';
    try {
      this.#decoder = new TextDecoder(label, { fatal: false });
    } catch {
      throw new EncodingError(`unsupported encoding "${label}" in the XML declaration`);
    }
    const pending = this.#pending;
    this.#pending = new Uint8Array(0);
    return this.#decoder.decode(pending, { stream: !final });
  }
}
