/**
 * JUnit files → one recorded test run: what `prodeng ingest junit` and the `tests` probe (its
 * `junit` option, at observe) share. The files stream into the store's single transaction; a bad
 * file is reported and skipped, the others are recorded.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { TestRunInput, TestRunRecorded } from '../store/store.js';
import { junitResults } from './ingest.js';
import type { JUnitError } from './junit/parse.js';

export interface JUnitRunOptions {
  files: readonly string[];
  runId: string;
  attempt?: number;
  commit?: string | null;
  branch?: string | null;
  /** When the run happened (ISO-8601). */
  at: string;
  onError?: (error: JUnitError) => void;
  onFile?: (path: string, testCases: number) => void;
}

export interface JUnitRunRecorded extends TestRunRecorded {
  /** Files read completely. */
  files: number;
  /** Files that could not be read or parsed (already reported to `onError`). */
  failedFiles: number;
}

/** No file of a run could be read: nothing is recorded (an earlier recording of the run stays). */
export class NoTestResultsError extends Error {
  constructor(readonly failedFiles: number) {
    super(`none of the ${failedFiles} JUnit file${failedFiles === 1 ? '' : 's'} could be read; nothing was recorded`);
    this.name = 'NoTestResultsError';
  }
}

/**
 * Records the files as one run through `record` (the store's, or a probe's scoped history). When
 * not one file can be read, the run is not recorded at all: an empty run would look like a suite
 * that stopped testing, and re-ingesting a run with broken files must not wipe its good recording.
 */
export async function recordJUnitRun(
  record: (input: Omit<TestRunInput, 'system'>) => Promise<TestRunRecorded>,
  options: JUnitRunOptions,
): Promise<JUnitRunRecorded> {
  let files = 0;
  let failedFiles = 0;
  const recorded = await record({
    runId: options.runId,
    attempt: options.attempt ?? 1,
    commit: options.commit ?? null,
    branch: options.branch ?? null,
    at: options.at,
    source: 'junit',
    results: (async function* () {
      yield* junitResults(options.files, {
        onError: (error) => {
          failedFiles++;
          options.onError?.(error);
        },
        onFile: (path, testCases) => {
          files++;
          options.onFile?.(path, testCases);
        },
      });
      // Thrown inside the store's transaction, so it rolls back.
      if (files === 0 && failedFiles > 0) throw new NoTestResultsError(failedFiles);
    })(),
  });
  return { ...recorded, files, failedFiles };
}

/**
 * A run id for files that carry none (recorded at observe): a digest of their paths, sizes and
 * modification times, so observing again without new results records nothing new, and new
 * results (a new test run rewrites the files) make a new run. Also the newest modification time,
 * as the time of the run.
 */
export function fileRunIdentity(files: readonly string[]): { runId: string; at: string } {
  const hash = createHash('sha256');
  let newest = 0;
  for (const file of [...files].sort()) {
    let size = -1;
    let mtime = 0;
    try {
      const stat = statSync(file);
      size = stat.size;
      mtime = stat.mtimeMs;
    } catch {
      // Unreadable now: the parser reports it; it still shapes the id.
    }
    newest = Math.max(newest, mtime);
    hash.update(`${file}\0${size}\0${mtime}\0`);
  }
  return { runId: `files-${hash.digest('hex').slice(0, 16)}`, at: new Date(newest || Date.now()).toISOString() };
}
