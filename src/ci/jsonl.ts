/**
 * The generic CI form: JSON Lines, one object per line, each a step, job or run of a pipeline
 * (`pipeline, run, attempt, job, step, status, commit, branch, queuedAt, startedAt, finishedAt`).
 *
 * Read as a stream in constant memory: the file is split into lines by bytes (a line is never
 * longer than `maxLineBytes` in memory; a longer one is skipped to its end and reported), each line
 * validated on its own. A bad line is a line-scoped error and the rest of the file is still read.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { issuePath } from '../datasources/http.js';
import { type CiRecord, normaliseStatus, normaliseTimestamp } from './model.js';

/** What one line gave: a record, or an error naming the line (1-based). Blank lines give nothing. */
export type CiJsonlItem = { line: number; record: CiRecord; error?: undefined } | { line: number; error: string; record?: undefined };

export interface CiJsonlOptions {
  /** Longest line accepted, in bytes. Default 1 MiB. */
  maxLineBytes?: number;
  signal?: AbortSignal;
}

const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const optionalText = z
  .union([z.string(), z.null()])
  .optional()
  .transform((value) => (value === undefined || value === null || value.trim() === '' ? null : value));

const idText = z
  .union([z.string().trim().min(1, 'expected a non-empty string or a whole number'), z.number().int().nonnegative()], { error: 'expected a non-empty string or a whole number' })
  .transform(String);

const timestamp = z
  .union([z.string(), z.null()])
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === null || value.trim() === '') return null;
    const normalised = normaliseTimestamp(value);
    if (normalised === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected an ISO 8601 timestamp with a time zone (2024-05-01T10:00:00Z)' });
      return z.NEVER;
    }
    return normalised;
  });

/**
 * One line of the JSON Lines form. `pipeline`, `run` and `status` are required; `attempt` defaults
 * to 1; `job`/`step` omitted (or null, or empty) make a run or job row; unknown keys are ignored.
 * `status` takes the {@link normaliseStatus} words (`success`, `failed`, `canceled`, `running`…).
 */
export const ciJsonlLineSchema = z
  .object({
    pipeline: z.string().trim().min(1, 'expected a non-empty string'),
    run: idText,
    attempt: z.number().int().positive().optional().default(1),
    job: optionalText,
    step: optionalText,
    status: z.string().trim().min(1, 'expected a non-empty string').transform(normaliseStatus),
    commit: optionalText,
    branch: optionalText,
    queuedAt: timestamp,
    startedAt: timestamp,
    finishedAt: timestamp,
    url: optionalText,
  })
  .refine((line) => line.step === null || line.job !== null, { message: 'a step needs its job', path: ['job'] })
  .transform((line): CiRecord => {
    const record: CiRecord = {
      pipeline: line.pipeline.trim(),
      run: line.run,
      attempt: line.attempt,
      job: line.job,
      step: line.step,
      status: line.status,
      commit: line.commit,
      branch: line.branch,
      queuedAt: line.queuedAt,
      startedAt: line.startedAt,
      finishedAt: line.finishedAt,
    };
    if (line.url !== null && /^https?:\/\//i.test(line.url)) record.url = stripCredentials(line.url);
    return record;
  });

/** One line's text as an item; null for a blank line. Errors never quote the line (it may be huge). */
export function parseCiJsonlLine(text: string, line: number): CiJsonlItem | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch {
    return { line, error: `line ${line}: not valid JSON` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { line, error: `line ${line}: expected a JSON object` };
  const result = ciJsonlLineSchema.safeParse(data);
  if (result.success) return { line, record: result.data };
  const issue = result.error.issues[0];
  return { line, error: `line ${line}: ${issue ? issuePath(issue.path) : '$'}: ${issue?.message ?? 'invalid'}` };
}

/** Reads the JSON Lines file at `path` (see {@link readCiJsonlStream}). */
export async function* readCiJsonl(path: string, options: CiJsonlOptions = {}): AsyncGenerator<CiJsonlItem> {
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  try {
    yield* readCiJsonlStream(stream, options);
  } finally {
    stream.destroy();
  }
}

/**
 * Reads JSON Lines from a byte stream (a file, stdin), yielding one item per non-blank line in
 * order. Memory stays bounded by `maxLineBytes` plus one chunk, whatever the stream's size. `\n`
 * and `\r\n` end lines; a UTF-8 BOM at the start is ignored.
 */
export async function* readCiJsonlStream(stream: Readable, options: CiJsonlOptions = {}): AsyncGenerator<CiJsonlItem> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let parts: Buffer[] = [];
  let size = 0;
  let overlong = false;
  let line = 0;
  let first = true;

  const finish = (): CiJsonlItem | null => {
    line++;
    if (overlong) {
      overlong = false;
      parts = [];
      size = 0;
      return { line, error: `line ${line}: longer than ${maxLineBytes} bytes` };
    }
    let buffer = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size);
    parts = [];
    size = 0;
    if (first) {
      first = false;
      if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) buffer = buffer.subarray(3);
    }
    return parseCiJsonlLine(buffer.toString('utf8'), line);
  };

  for await (const chunk of stream) {
    options.signal?.throwIfAborted();
    const bytes: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    let start = 0;
    for (;;) {
      const newline = bytes.indexOf(0x0a, start);
      const end = newline === -1 ? bytes.length : newline;
      if (!overlong && end > start) {
        if (size + (end - start) > maxLineBytes) {
          overlong = true;
          parts = [];
          size = 0;
        } else {
          // copy: a slice would pin the whole 64 KiB chunk for a short line
          parts.push(Buffer.from(bytes.subarray(start, end)));
          size += end - start;
        }
      }
      if (newline === -1) break;
      const item = finish();
      if (item) yield item;
      start = newline + 1;
    }
  }
  if (size > 0 || overlong) {
    const item = finish();
    if (item) yield item;
  }
}

function stripCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url.replace(/\/\/[^/@\s]*@/, '//');
  }
}
