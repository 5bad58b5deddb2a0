/**
 * The todo scan's WebAssembly pre-filter (prefilter.wat): finds the first tag in a file's bytes,
 * ignoring ASCII case, 16 bytes per step (the Teddy algorithm), without making a string of the file. On a large tree
 * nearly every file holds no tag, and the latin1 string the JavaScript pre-filter needs was the
 * largest cost of scanning such a file after the system calls that read it.
 *
 * Files are read straight into the module's memory (one area per thread, grown on demand), so
 * the bytes are never copied. Without the compiled module beside this file (running from the
 * TypeScript sources) or for tags it cannot take (more than 16, longer than 32 bytes, not ASCII),
 * `loadPrefilter` answers undefined and the scan uses the JavaScript pre-filter: same answers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `first`: no tag at all, not even inside a word. */
export const PREFILTER_NONE = -1;
/** `first`: tags only inside words (`debug`, `todos`): no marker, but a JavaScript pre-filter would have let the file through. */
export const PREFILTER_IN_WORDS = -2;

/** This module and its compiled WebAssembly: part of what the scan cache is keyed by. */
export const PREFILTER_FILES: readonly string[] = [import.meta.url, new URL('./prefilter.wasm', import.meta.url).href];

/** Where the file's bytes start in the module's memory (tags and tables before). */
const DATA = 4096;
/** The six 16-byte candidate tables (see prefilter.wat). */
const TABLES = 2048;
/** Bytes of the tag table per tag (see prefilter.wat). */
const STRIDE = 128;
const MAX_TAGS = 16;
const MAX_TAG_BYTES = 32;
/** The SIMD loop reads up to 17 bytes past a file's end. */
const SLACK = 64;
const PAGE = 65_536;

export interface Prefilter {
  /** The read area, with room for at least `size` bytes; valid until the next call. */
  area(size: number): Buffer;
  /**
   * Offset of the first tag as a whole word in area()[0, length); else -2 when a tag occurs only
   * inside words (`debug`); else -1. See {@link PREFILTER_NONE} and {@link PREFILTER_IN_WORDS}.
   */
  first(length: number): number;
  /**
   * Offset of the first tag as a whole word in area()[from, length), word boundaries judged on
   * the bytes before `from` too; negative when there is none.
   */
  next(from: number, length: number): number;
}

interface Exports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  first(n: number, origin: number, start: number, end: number): number;
}

/** The part of the WebAssembly API used here (the project's TypeScript libraries have no DOM). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;

function compiledModule(): object | null {
  if (compiled === undefined) {
    compiled = null;
    try {
      const file = fileURLToPath(new URL('./prefilter.wasm', import.meta.url));
      if (wasm && existsSync(file)) compiled = new wasm.Module(readFileSync(file));
    } catch {
      // No module, or no WebAssembly SIMD: the JavaScript pre-filter does the same work.
      compiled = null;
    }
  }
  return compiled;
}

const isLetter = (b: number) => (b >= 65 && b <= 90) || (b >= 97 && b <= 122);
const isWordByte = (b: number) => isLetter(b) || (b >= 48 && b <= 57) || b === 95;

/** The tags as the module takes them, or undefined when it cannot take them. */
function encodeTags(tags: readonly string[]): Buffer[] | undefined {
  const encoded = [...new Set(tags.map((tag) => tag.trim()).filter((tag) => tag.length > 0))].map((tag) => Buffer.from(tag, 'utf8'));
  if (encoded.length === 0 || encoded.length > MAX_TAGS) return undefined;
  if (encoded.some((bytes) => bytes.length > MAX_TAG_BYTES || bytes.some((b) => b >= 0x80))) return undefined;
  // The module wants a word boundary before every tag; the scanner's expression does only before a
  // tag that starts with a word character (configured tags all do; `!!!` would not).
  if (encoded.some((bytes) => !isWordByte(bytes[0]!))) return undefined;
  return encoded;
}

export function loadPrefilter(tags: readonly string[]): Prefilter | undefined {
  const module = compiledModule();
  const encoded = encodeTags(tags);
  if (module === null || encoded === undefined || !wasm) return undefined;
  let exports: Exports;
  try {
    exports = new wasm.Instance(module).exports as Exports;
  } catch {
    return undefined;
  }
  const memory = exports.memory;
  const table = new Uint8Array(memory.buffer, 0, DATA);
  /** Sets a tag's bit in the tables of its byte t (0, 1, 2) for byte b, both cases of a letter. */
  const mark = (t: number, bit: number, b: number) => {
    const at = TABLES + t * 32;
    table[at + (b & 15)]! |= bit;
    table[at + 16 + (b >> 4)]! |= bit;
    if (isLetter(b)) table[at + 16 + ((b ^ 0x20) >> 4)]! |= bit;
  };
  encoded.forEach((bytes, k) => {
    // Eight bits for up to sixteen tags: two tags sharing one only make more candidates.
    const bit = 1 << (k & 7);
    for (let t = 0; t < 3; t++) {
      if (t < bytes.length) {
        mark(t, bit, bytes[t]!);
      } else {
        // A tag shorter than three bytes: any byte may follow it.
        for (let h = 0; h < 16; h++) {
          table[TABLES + t * 32 + h]! |= bit;
          table[TABLES + t * 32 + 16 + h]! |= bit;
        }
      }
    }
    const base = k * STRIDE;
    table[base] = bytes.length;
    bytes.forEach((b, j) => {
      table[base + 1 + j] = isLetter(b) ? b | 0x20 : b;
      table[base + 33 + j] = isLetter(b) ? 0x20 : 0;
    });
    table[base + STRIDE - 1] = isWordByte(bytes.at(-1)!) ? 1 : 0;
  });
  const n = encoded.length;
  let view = Buffer.from(memory.buffer, DATA, memory.buffer.byteLength - DATA - SLACK);
  return {
    area(size) {
      if (size > view.length) {
        const needed = DATA + size + SLACK;
        memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
        // Growing detaches the old buffer: a new view, same bytes.
        view = Buffer.from(memory.buffer, DATA, memory.buffer.byteLength - DATA - SLACK);
      }
      return view;
    },
    first(length) {
      return exports.first(n, DATA, DATA, DATA + length);
    },
    next(from, length) {
      return exports.first(n, DATA, DATA + from, DATA + length);
    },
  };
}
