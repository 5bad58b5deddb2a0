/**
 * Input and output of `prodeng changepoints [FILE|-]`.
 *
 * Input, from a file or standard input: either a JSON array of numbers (`[12.1, 12.4, 19.0]`), or
 * one numeric CSV column — one value per line, an optional header line (a first non-blank line that
 * is not a number is taken as the header and skipped; only one), blank lines ignored, an optional
 * UTF-8 byte-order mark, CRLF or LF line ends, values optionally in double quotes. Anything else is
 * a SeriesInputError that names the line (CSV) or the element (JSON).
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

function parseJson(text: string, source: string): number[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SeriesInputError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(data)) throw new SeriesInputError(`${source}: expected a JSON array of numbers`);
  return data.map((value: unknown, i) => {
    if (typeof value !== 'number') throw new SeriesInputError(`${source}: element ${i} is ${value === null ? 'null' : typeof value}, not a number`);
    if (!Number.isFinite(value)) throw new SeriesInputError(`${source}: element ${i} is not a finite number`);
    return value;
  });
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

/** Reads and parses FILE (relative to `cwd`), or standard input for `-` or no file. */
export async function readSeries(file: string | undefined, options: { cwd: string; stdin?: AsyncIterable<string | Uint8Array> }): Promise<number[]> {
  if (file === undefined || file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of options.stdin ?? process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    return parseSeries(Buffer.concat(chunks).toString('utf8'), 'stdin');
  }
  let text: string;
  try {
    text = await readFile(resolve(options.cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SeriesInputError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message}`);
  }
  return parseSeries(text, file);
}

/** The command's JSON output. */
export function changepointsOutput(result: Pick<ChangePointResult, 'changePoints'>): { changePoints: number[] } {
  return { changePoints: [...result.changePoints] };
}
