/**
 * Input and output of `prodeng changepoints [FILE|-]`.
 *
 * Input, from a file or standard input: either a JSON array of numbers (`[12.1, 12.4, 19.0]`), or
 * one numeric CSV column — one value per line, an optional header line (a first non-blank line that
 * is not a number is taken as the header and skipped; only one), blank lines ignored, an optional
 * UTF-8 byte-order mark, CRLF or LF line ends, values optionally in double quotes. Anything else is
 * a SeriesInputError that names the line (and, for JSON, the element); input with nothing in it is
 * one too (see readSeries).
 *
 * Output: `{ "changePoints": [indices] }`, the indices (0-based, into the values as read) at which
 * a new segment starts.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ChangePointResult } from './edivisive.js';

export class SeriesInputError extends Error {
  /** 1-based line of the offending CSV cell, when there is one. */
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(message);
    this.name = 'SeriesInputError';
    this.line = line;
  }
}

/** A decimal number as written by people and spreadsheets: `12`, `-3.5`, `.5`, `1e6`, `+2`. */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function numberIn(cell: string): number | undefined {
  let text = cell.trim();
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1).trim();
  if (!NUMBER.test(text)) return undefined;
  return Number(text);
}

/** A JSON number, exactly as JSON.parse accepts one (no `+`, no leading zeros, no bare `.5`). */
const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * A JSON array of numbers, read by a scanner of its own rather than JSON.parse: JSON.parse names a
 * character position at best (and, for some errors, nothing at all), where a person editing a
 * file wants the line. The first element that is not a number is an error, whatever it holds, so
 * the scanner never needs to read more JSON than numbers and the array around them.
 */
function parseJson(text: string, source: string): number[] {
  let at = 0;
  let line = 1;
  const fail = (what: string): never => {
    throw new SeriesInputError(`${source}: line ${line}: ${what}`, line);
  };
  const skipSpace = (): void => {
    for (; at < text.length; at++) {
      const c = text.charCodeAt(at);
      if (c === 0x0a) line++;
      else if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return;
    }
  };
  const found = (): string => (at >= text.length ? 'the end of the input' : `"${text.slice(at, at + 12).split(/\r?\n/)[0]}"`);

  skipSpace();
  if (text[at] === '{') fail('expected a JSON array of numbers, found an object');
  if (text[at] !== '[') fail(`not valid JSON: expected "[", found ${found()}`);
  at++;
  const values: number[] = [];
  skipSpace();
  if (text[at] === ']') at++;
  else {
    for (;;) {
      skipSpace();
      const index = values.length;
      JSON_NUMBER.lastIndex = at;
      const number = JSON_NUMBER.exec(text);
      if (number !== null && number[0].length > 0) {
        const value = Number(number[0]);
        if (!Number.isFinite(value)) fail(`element ${index} is not a finite number (${number[0].slice(0, 40)})`);
        values.push(value);
        at += number[0].length;
      } else {
        const c = text[at];
        const kind =
          c === '"' ? 'string' : c === '[' || c === '{' ? 'object' : text.startsWith('null', at) ? 'null' : text.startsWith('true', at) || text.startsWith('false', at) ? 'boolean' : undefined;
        if (kind !== undefined) fail(`element ${index} is ${kind}, not a number`);
        fail(`not valid JSON: expected a number as element ${index}, found ${found()}`);
      }
      skipSpace();
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (text[at] === ']') {
        at++;
        break;
      }
      fail(`not valid JSON: expected "," or "]" after element ${index}, found ${found()}`);
    }
  }
  skipSpace();
  if (at < text.length) fail(`not valid JSON: unexpected ${found()} after the closing "]"`);
  return values;
}

function parseCsv(text: string, source: string): number[] {
  const values: number[] = [];
  let headerSeen = false;
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    if (cells.length > 1) throw new SeriesInputError(`${source}: line ${i + 1}: expected one column, found ${cells.length}`, i + 1);
    const value = numberIn(line);
    if (value === undefined) {
      if (!headerSeen && values.length === 0) {
        headerSeen = true;
        continue;
      }
      throw new SeriesInputError(`${source}: line ${i + 1}: "${line.trim().slice(0, 40)}" is not a number`, i + 1);
    }
    if (!Number.isFinite(value)) throw new SeriesInputError(`${source}: line ${i + 1}: ${line.trim()} is too large to be a finite number`, i + 1);
    values.push(value);
  }
  return values;
}

/**
 * The series in `text`: JSON when its first non-blank character is `[` or `{` (an object is an
 * error), CSV otherwise. `source`
 * names the input in error messages (a file name, or "stdin").
 */
export function parseSeries(text: string, source = 'input'): number[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const first = body.trimStart()[0];
  return first === '[' || first === '{' ? parseJson(body, source) : parseCsv(body, source);
}

/**
 * Reads and parses FILE (relative to `cwd`), or standard input for `-` or no file.
 *
 * Input with nothing in it at all (no bytes, or only white space) is an error, unlike `[]` or a
 * CSV header alone: an empty file or an empty pipe is nearly always an upstream step that failed
 * (a query that errored, a redirect from a file that is not there), and answering "no change
 * points" would read as "no regression". An explicitly empty series still has none.
 */
export async function readSeries(file: string | undefined, options: { cwd: string; stdin?: AsyncIterable<string | Uint8Array> }): Promise<number[]> {
  let text: string;
  let source: string;
  if (file === undefined || file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of options.stdin ?? process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    text = Buffer.concat(chunks).toString('utf8');
    source = 'stdin';
  } else {
    try {
      text = await readFile(resolve(options.cwd, file), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new SeriesInputError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message}`);
    }
    source = file;
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new SeriesInputError(`${source}: the input is empty; expected a JSON array of numbers or one numeric CSV column`);
  return parseSeries(text, source);
}

/** The command's JSON output. */
export function changepointsOutput(result: Pick<ChangePointResult, 'changePoints'>): { changePoints: number[] } {
  return { changePoints: [...result.changePoints] };
}
