/**
 * Streaming JUnit XML: `parseJUnit(stream, { path })` yields one {@link JUnitTestCase} per
 * `<testcase>` as the file is read, in constant memory whatever the file's size (see
 * `xml-tokenizer.ts`). The variants it understands are listed in `../readme.md`.
 *
 * Every failure — unreadable file, malformed XML, a document that is not a JUnit report — is a
 * {@link JUnitError} naming the file, line and column; nothing else is thrown for any input bytes.
 */
import { ChunkDecoder, EncodingError } from './decode.js';
import { XmlError, XmlTokenizer, type XmlHandler } from './xml-tokenizer.js';

export type JUnitStatus = 'passed' | 'failed' | 'error' | 'skipped' | 'flaky';

export interface JUnitTestCase {
  /** Name of the innermost enclosing `<testsuite>` (or `<testsuites>`), '' when none. */
  suite: string;
  /** `classname` (or PHPUnit's `class`), '' when missing. Not normalised: see `identity.ts`. */
  classname: string;
  /** `name`, '' when missing. */
  name: string;
  /** `file` of the test case, else of the innermost suite that has one; null when none. */
  file: string | null;
  /** `line` when it is a positive integer. */
  line: number | null;
  /**
   * - `failed`/`error`: a `<failure>`/`<error>` (the first of them decides), Surefire's
   *   `rerunFailure`/`rerunError` count as retries;
   * - `flaky`: no failure, but Surefire `flakyFailure`/`flakyError` (failed, then passed on rerun);
   * - `skipped`: a `<skipped>` (pytest xfail included), or a `status` attribute such as `notrun`;
   * - `passed`: anything else.
   */
  status: JUnitStatus;
  /** From `time`; null when missing or unreadable. */
  durationSeconds: number | null;
  /** First meaningful line of the failure (or skip, or flaky failure) message, capped; else null. */
  message: string | null;
  /** Reruns reported inside the test case (flaky* and rerun* elements), when there were any. */
  retries?: number;
}

/** A suite as it opens, for callers that want its metadata (e.g. the earliest `timestamp`). */
export interface JUnitSuiteInfo {
  name: string;
  timestamp: string | null;
  hostname: string | null;
}

export interface ParseJUnitOptions {
  /** The file's path, for errors. */
  path: string;
  /** Called for each `<testsuite>` as it opens. */
  onSuite?: (suite: JUnitSuiteInfo) => void;
  /** Longest tag accepted, in characters (default 1 MiB). */
  maxTagLength?: number;
}

/**
 * A chunked source: a Node stream (`fs.createReadStream`), a web ReadableStream, any iterable of
 * chunks, or a whole document as one string or Uint8Array.
 */
export type JUnitSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> | string | Uint8Array;

/** A file that could not be read as a JUnit report; `line`/`column` are 1-based (0 when unknown). */
export class JUnitError extends Error {
  override readonly name = 'JUnitError';
  readonly path: string;
  readonly line: number;
  readonly column: number;
  /** What went wrong, without the location (`message` is `path:line:column: reason`). */
  readonly reason: string;

  constructor(path: string, line: number, column: number, reason: string, options?: { cause?: unknown }) {
    super(`${path}${line > 0 ? `:${line}:${column}` : ''}: ${reason}`, options);
    this.path = path;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

export function isJUnitError(error: unknown): error is JUnitError {
  return error instanceof JUnitError;
}

/** Longest message kept, in characters (an ellipsis marks the cut). */
export const MESSAGE_MAX = 500;
/** How much text of a failure body is read to find its first meaningful line. */
const MESSAGE_SCAN = 8192;

const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
  hours: 3600,
};

/**
 * Seconds from a `time` attribute: `0.012`, `1,234.5` (thousands separators), `0,5` (a decimal
 * comma), `1.5s`, `150ms`, `2m3.5s`, `1h 2m`, `PT1.5S` (ISO-8601). Null when missing, negative or
 * unreadable. A lone comma followed by exactly three digits (`1,234`) is a thousands separator
 * unless the number starts with `0,`.
 */
const PLAIN_DECIMAL = /^\d+(?:\.\d+)?$/;

export function parseDuration(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  if (PLAIN_DECIMAL.test(raw)) return finite(Number(raw));
  let text = raw.trim().replace(/[\s\u00a0\u202f]+/g, ' ');
  if (text === '') return null;
  const iso = /^P(?:T)?(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?$/i.exec(text);
  if (iso !== null && text.length > 2) {
    const [h, m, s] = [iso[1], iso[2], iso[3]].map((part) => (part === undefined ? 0 : Number(part.replace(',', '.'))));
    return finite((h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0));
  }
  // Compound durations: "2m3.5s", "1h 2m", "1 min 3 s".
  const parts = [...text.matchAll(/(\d+(?:[.,]\d+)?)\s*([a-zµμ]+)/gi)];
  if (parts.length > 1 && parts.map((part) => part[0]).join('').replace(/\s/g, '') === text.replace(/\s/g, '')) {
    let total = 0;
    for (const part of parts) {
      const unit = UNIT_SECONDS[(part[2] ?? '').toLowerCase()];
      if (unit === undefined) return null;
      total += Number((part[1] ?? '').replace(',', '.')) * unit;
    }
    return finite(total);
  }
  let scale = 1;
  const unit = /^(.*?)\s*([a-zµμ]+)$/i.exec(text);
  if (unit !== null) {
    const factor = UNIT_SECONDS[(unit[2] ?? '').toLowerCase()];
    if (factor === undefined) return null;
    scale = factor;
    text = unit[1] ?? '';
  }
  text = text.replace(/ /g, '');
  if (/^[+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/.test(text) && !/^[+]?0,/.test(text)) text = text.replaceAll(',', '');
  else if (/^[+]?\d{1,3}(?:\.\d{3})+,\d+$/.test(text)) text = text.replaceAll('.', '').replace(',', '.');
  else if (/^[+]?\d*,\d+$/.test(text)) text = text.replace(',', '.');
  if (!/^[+]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(text)) return null;
  return finite(Number(text) * scale);
}

function finite(value: number): number | null {
  return Number.isFinite(value) && value >= 0 ? value : null;
}

const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-Z\\-_]/g;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Caps a message at MESSAGE_MAX characters (without cutting a surrogate pair). */
function cap(text: string): string {
  if (text.length <= MESSAGE_MAX) return text;
  let end = MESSAGE_MAX - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * The first meaningful line of a message: ANSI colour codes and control characters removed, blank
 * lines skipped, trimmed, capped. A first line that names the test (PHPUnit writes
 * `Class::method with data set #1` before the assertion, gotestsum `=== RUN   TestX`) is skipped
 * when another line follows.
 */
export function firstLine(text: string | null | undefined, testName = ''): string | null {
  if (text === null || text === undefined) return null;
  const lines = text.replace(ANSI, '').replace(CONTROL, ' ').split(/\r\n|\r|\n/);
  const meaningful: string[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    meaningful.push(trimmed);
    if (meaningful.length === 2) break;
  }
  const [first, second] = meaningful;
  if (first === undefined) return null;
  if (second !== undefined && namesTest(first, testName)) return cap(second);
  return cap(first);
}

/**
 * Whether a line names the test as a whole word: after the start, a space or `::`, and before a
 * space, `(` or the end (`Class::test with data set #1 (1, 2)`, `=== RUN   TestX`).
 */
function namesTest(line: string, testName: string): boolean {
  if (testName === '') return false;
  for (let at = line.indexOf(testName); at !== -1; at = line.indexOf(testName, at + 1)) {
    const before = at === 0 || line[at - 1] === ' ' || line.startsWith('::', at - 2);
    const next = line[at + testName.length];
    if (before && (next === undefined || next === ' ' || next === '(')) return true;
  }
  return false;
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}

function positiveInt(value: string | undefined): number | null {
  if (value === undefined || !/^\s*\d{1,9}\s*$/.test(value)) return null;
  const n = Number(value);
  return n > 0 ? n : null;
}

type Slot = 'outcome' | 'skip' | 'flaky';

interface CaseState {
  depth: number;
  suite: string;
  classname: string;
  name: string;
  file: string | null;
  line: number | null;
  durationSeconds: number | null;
  statusAttribute: string | null;
  outcome: 'failed' | 'error' | null;
  skipped: boolean;
  flaky: number;
  reruns: number;
  messages: Record<Slot, string | null>;
}

interface SuiteState {
  depth: number;
  name: string;
  file: string | null;
}

const SKIPPED_STATUSES = new Set(['skipped', 'skip', 'notrun', 'not run', 'disabled', 'ignored', 'pending']);
const FAILED_STATUSES = new Set(['fail', 'failed', 'failure']);
const ERROR_STATUSES = new Set(['error', 'errored']);
const MUTED = new Set(['system-out', 'system-err', 'properties']);
/**
 * `message` attributes that say nothing (go-junit-report, gotestsum and CTest always write
 * `Failed`): the element's text is preferred when it has a line.
 */
const GENERIC_MESSAGES = new Set(['failed', 'failure', 'fail', 'error', 'skipped', 'skip', 'runtime error', 'disabled']);

/** Turns element events into test cases (see {@link JUnitTestCase} for the rules). */
class JUnitBuilder implements XmlHandler {
  readonly out: JUnitTestCase[] = [];
  tokenizer: XmlTokenizer | undefined;
  readonly #onSuite: ((suite: JUnitSuiteInfo) => void) | undefined;
  #depth = 0;
  readonly #suites: SuiteState[] = [];
  readonly #cases: CaseState[] = [];
  /** Text being collected for a message slot of the innermost case. */
  #capture: { slot: Slot; depth: number; text: string; fallback: string | null } | null = null;
  /** Depth of a muted element (system-out inside a flakyFailure) while inside it. */
  #mutedDepth = 0;

  constructor(onSuite: ((suite: JUnitSuiteInfo) => void) | undefined) {
    this.#onSuite = onSuite;
  }

  get wantsText(): boolean {
    return this.#capture !== null && this.#mutedDepth === 0 && this.#capture.text.length < MESSAGE_SCAN;
  }

  text(text: string): void {
    const capture = this.#capture;
    if (capture === null) return;
    capture.text += text.length > MESSAGE_SCAN ? text.slice(0, MESSAGE_SCAN) : text;
  }

  open(name: string, attributes: Record<string, string>, selfClosing: boolean): void {
    const depth = ++this.#depth;
    if (depth === 1 && name !== 'testsuites' && name !== 'testsuite') {
      this.tokenizer?.fail(`not a JUnit XML report: the root element is <${name.slice(0, 40)}>, expected <testsuites> or <testsuite>`);
    }
    const current = this.#cases.at(-1);
    if (current !== undefined) {
      if (depth === current.depth + 1) this.#caseChild(current, name, attributes, depth, selfClosing);
      else if (this.#capture !== null && this.#mutedDepth === 0 && MUTED.has(name)) this.#mutedDepth = depth;
      if (name !== 'testcase') return;
    }
    if (name === 'testsuite' || name === 'testsuites') {
      const suite = { depth, name: attributes['name'] ?? '', file: nonEmpty(attributes['file']) };
      this.#suites.push(suite);
      if (name === 'testsuite') this.#onSuite?.({ name: suite.name, timestamp: nonEmpty(attributes['timestamp']), hostname: nonEmpty(attributes['hostname']) });
    } else if (name === 'testcase') {
      const suite = this.#suites.at(-1);
      let file = nonEmpty(attributes['file']);
      if (file === null) {
        for (let i = this.#suites.length - 1; i >= 0 && file === null; i--) file = this.#suites[i]?.file ?? null;
      }
      this.#cases.push({
        depth,
        suite: suite?.name ?? '',
        classname: attributes['classname'] ?? attributes['class'] ?? '',
        name: attributes['name'] ?? '',
        file,
        line: positiveInt(attributes['line']),
        durationSeconds: parseDuration(attributes['time']),
        statusAttribute: nonEmpty(attributes['status'] ?? attributes['result'])?.trim().toLowerCase() ?? null,
        outcome: null,
        skipped: false,
        flaky: 0,
        reruns: 0,
        messages: { outcome: null, skip: null, flaky: null },
      });
    }
  }

  #caseChild(current: CaseState, name: string, attributes: Record<string, string>, depth: number, selfClosing: boolean): void {
    let slot: Slot | null = null;
    switch (name) {
      case 'failure':
      case 'error':
        if (current.outcome !== null) return;
        current.outcome = name === 'failure' ? 'failed' : 'error';
        slot = 'outcome';
        break;
      case 'skipped':
        current.skipped = true;
        slot = 'skip';
        break;
      case 'flakyFailure':
      case 'flakyError':
        current.flaky++;
        slot = 'flaky';
        break;
      case 'rerunFailure':
      case 'rerunError':
        current.reruns++;
        return;
      default:
        return;
    }
    if (current.messages[slot] !== null) return;
    const message = firstLine(nonEmpty(attributes['message']), current.name);
    if (message !== null && !GENERIC_MESSAGES.has(message.toLowerCase())) current.messages[slot] = message;
    else if (selfClosing) current.messages[slot] = message;
    else this.#capture = { slot, depth, text: '', fallback: message };
  }

  close(name: string): void {
    const depth = this.#depth--;
    if (this.#mutedDepth === depth) this.#mutedDepth = 0;
    const capture = this.#capture;
    const current = this.#cases.at(-1);
    if (capture !== null && capture.depth === depth) {
      this.#capture = null;
      if (current !== undefined) current.messages[capture.slot] ??= firstLine(capture.text, current.name) ?? capture.fallback;
    }
    if (current !== undefined && current.depth === depth) {
      this.#cases.pop();
      this.out.push(finish(current));
      return;
    }
    const suite = this.#suites.at(-1);
    if (suite !== undefined && suite.depth === depth && (name === 'testsuite' || name === 'testsuites')) this.#suites.pop();
  }
}

function finish(state: CaseState): JUnitTestCase {
  let status: JUnitStatus;
  let message: string | null;
  const { messages } = state;
  if (state.outcome !== null) {
    status = state.outcome;
    message = messages.outcome ?? messages.flaky;
  } else if (state.flaky > 0) {
    status = 'flaky';
    message = messages.flaky;
  } else if (state.skipped) {
    status = 'skipped';
    message = messages.skip;
  } else if (state.statusAttribute !== null && SKIPPED_STATUSES.has(state.statusAttribute)) {
    status = 'skipped';
    message = null;
  } else if (state.statusAttribute !== null && FAILED_STATUSES.has(state.statusAttribute)) {
    status = 'failed';
    message = null;
  } else if (state.statusAttribute !== null && ERROR_STATUSES.has(state.statusAttribute)) {
    status = 'error';
    message = null;
  } else {
    status = 'passed';
    message = null;
  }
  const testCase: JUnitTestCase = {
    suite: state.suite,
    classname: state.classname,
    name: state.name,
    file: state.file,
    line: state.line,
    status,
    durationSeconds: state.durationSeconds,
    message,
  };
  const retries = state.flaky + state.reruns;
  if (retries > 0) testCase.retries = retries;
  return testCase;
}

function isAsyncIterable(source: JUnitSource): source is AsyncIterable<Uint8Array | string> {
  return typeof (source as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The test cases of one JUnit XML document, as they are read. Throws (from the iteration) a
 * {@link JUnitError} for an unreadable, malformed or non-JUnit document; test cases yielded before
 * the error stay yielded, so callers that want all-or-nothing per file collect first (as
 * `ingest.ts` does).
 */
export async function* parseJUnit(source: JUnitSource, options: ParseJUnitOptions): AsyncGenerator<JUnitTestCase, void, undefined> {
  const { path } = options;
  const builder = new JUnitBuilder(options.onSuite);
  const tokenizer = new XmlTokenizer(builder, options.maxTagLength === undefined ? {} : { maxTagLength: options.maxTagLength });
  builder.tokenizer = tokenizer;
  const decoder = new ChunkDecoder();
  const chunks: Exclude<JUnitSource, string | Uint8Array> = typeof source === 'string' || source instanceof Uint8Array ? [source] : source;
  const iterator = isAsyncIterable(chunks) ? chunks[Symbol.asyncIterator]() : chunks[Symbol.iterator]();
  let done = false;

  /** Errors of the document become JUnitErrors; anything else from the parser is a bug and passes. */
  const fail = (error: unknown): unknown => {
    if (error instanceof XmlError) return new JUnitError(path, error.line, error.column, error.reason);
    if (error instanceof EncodingError) return new JUnitError(path, 1, 1, error.message);
    return error;
  };

  try {
    for (;;) {
      let next: IteratorResult<Uint8Array | string>;
      try {
        next = await iterator.next();
      } catch (error) {
        done = true;
        throw new JUnitError(path, 0, 0, `cannot read the file: ${describeError(error)}`, { cause: error });
      }
      if (next.done === true) {
        done = true;
        break;
      }
      const chunk: unknown = next.value;
      if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
        throw new JUnitError(path, 0, 0, `cannot read the file: the stream gave a ${typeof chunk}, not bytes or text`);
      }
      try {
        tokenizer.write(decoder.decode(chunk));
      } catch (error) {
        throw fail(error);
      }
      if (builder.out.length > 0) yield* builder.out.splice(0);
    }
    try {
      tokenizer.write(decoder.end());
      tokenizer.end();
    } catch (error) {
      throw fail(error);
    }
    if (builder.out.length > 0) yield* builder.out.splice(0);
  } finally {
    // Stops the underlying stream (closes the file) when the consumer stopped early or we failed.
    if (!done) await Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}
