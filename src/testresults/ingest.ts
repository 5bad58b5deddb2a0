/**
 * From JUnit files to the store's input: `junitResults(paths)` parses each file, normalises each
 * test's identity and yields `TestResultInput`s, ready for `store.recordTestRun({ …, results })`.
 * A file that cannot be read or parsed is reported to `onError` and contributes nothing; the other
 * files are still read.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { TestResultInput } from '../store/store.js';
import { testIdentity } from './identity.js';
import { JUnitError, parseJUnit, type JUnitSource, type JUnitSuiteInfo, type JUnitTestCase } from './junit/parse.js';

export interface JUnitResultsOptions {
  /** A file that failed; its results are left out (unless `atomicFiles` is false). */
  onError?: (error: JUnitError) => void;
  /** A file that was read, with how many test cases it held. */
  onFile?: (path: string, testCases: number) => void;
  onSuite?: (suite: JUnitSuiteInfo, path: string) => void;
  /**
   * true (default): a file's results are held until the file has been read completely, so that a
   * corrupt file contributes nothing — memory grows with the largest file's test-case count.
   * false: results stream through as they are parsed (constant memory); the results read from a
   * file before its error remain.
   */
  atomicFiles?: boolean;
  /**
   * Opens a file. Default: files up to 1 MiB are read whole — the next one while the current one
   * is parsed — and larger ones streamed in 256 KiB chunks (`fs.createReadStream`).
   */
  open?: (path: string) => JUnitSource;
}

/** Files up to this size are read in one go (and read ahead); larger ones are streamed. */
const READ_WHOLE_MAX = 1 << 20;

/** A parsed test case as the store takes it: normalised identity, key included. */
export function toTestResult(testCase: JUnitTestCase): TestResultInput {
  const identity = testIdentity(testCase);
  const result: TestResultInput = {
    key: identity.key,
    suite: identity.suite,
    classname: identity.classname,
    name: identity.name,
    file: identity.file,
    status: testCase.status,
    durationSeconds: testCase.durationSeconds,
    message: testCase.message,
  };
  if (testCase.retries !== undefined) result.retries = testCase.retries;
  return result;
}

function stream(path: string): JUnitSource {
  return createReadStream(path, { highWaterMark: 256 * 1024 });
}

/** Reads a small file whole, a large one as a stream; read errors surface when it is parsed. */
async function prefetch(path: string): Promise<JUnitSource> {
  try {
    const { size } = await stat(path);
    if (size <= READ_WHOLE_MAX) return [await readFile(path)];
  } catch {
    // Let the stream report it, as the parser reports every read error.
  }
  return stream(path);
}

async function* withPrefetch(paths: Iterable<string> | AsyncIterable<string>): AsyncGenerator<[string, Promise<JUnitSource>]> {
  let pending: [string, Promise<JUnitSource>] | undefined;
  for await (const path of paths) {
    const next: [string, Promise<JUnitSource>] = [path, prefetch(path)];
    // A rejected prefetch is handled where it is awaited; keep Node from calling it unhandled.
    next[1].catch(() => undefined);
    if (pending !== undefined) yield pending;
    pending = next;
  }
  if (pending !== undefined) yield pending;
}

/** The results of the given JUnit files, in file order then document order. */
export async function* junitResults(
  paths: Iterable<string> | AsyncIterable<string>,
  options: JUnitResultsOptions = {},
): AsyncGenerator<TestResultInput, void, undefined> {
  const { open } = options;
  const atomic = options.atomicFiles ?? true;
  const sources: AsyncIterable<[string, Promise<JUnitSource>]> =
    open === undefined
      ? withPrefetch(paths)
      : (async function* () {
          for await (const path of paths) yield [path, Promise.resolve(open(path))] as [string, Promise<JUnitSource>];
        })();
  for await (const [path, source] of sources) {
    const onSuite = options.onSuite === undefined ? undefined : (suite: JUnitSuiteInfo) => options.onSuite?.(suite, path);
    const parsed = parseJUnit(await source, onSuite === undefined ? { path } : { path, onSuite });
    const held: TestResultInput[] = [];
    let count = 0;
    try {
      for await (const testCase of parsed) {
        count++;
        const result = toTestResult(testCase);
        if (atomic) held.push(result);
        else yield result;
      }
    } catch (error) {
      if (!(error instanceof JUnitError)) throw error;
      options.onError?.(error);
      continue;
    }
    options.onFile?.(path, count);
    if (atomic) yield* held;
  }
}
