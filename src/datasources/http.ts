/**
 * The HTTP JSON client the registry clients share: a per-attempt timeout combined with the
 * caller's AbortSignal, bounded retries with exponential backoff and jitter (network errors, 429
 * and 5xx; `Retry-After` honoured up to a cap), at most N requests in flight per host, bounded
 * response sizes, and JSON validated against the caller's zod schema.
 *
 * Every failure is a {@link DatasourceError} naming the host; a 404 (or 410) is an answer: null.
 * Header values the caller marks as secret (Authorization…) and credentials in base URLs never
 * appear in an error message.
 */
import type { ZodType } from 'zod';
import { readBodyLimited } from '../util/http-body.js';
import { toolVersion } from '../util/version.js';
import { DatasourceError } from './registry.js';

export interface HttpClientOptions {
  /** Defaults to the global `fetch` (undici). */
  fetchImpl?: typeof fetch;
  /** Per attempt, from sending the request to the last byte of the body. Default 20 s. */
  timeoutMs?: number;
  /** Retries after the first attempt, for network errors, timeouts, 429 and 5xx. Default 2 (3 attempts). */
  retries?: number;
  /** Requests in flight per host. Default 8. */
  concurrency?: number;
  /** First backoff delay; doubles each retry, with jitter. Default 300 ms. */
  retryBaseMs?: number;
  /** Longest wait between attempts, `Retry-After` included. Default 10 s. */
  maxRetryWaitMs?: number;
  /** Largest response body accepted. Default 128 MiB (npm documents of big packages are tens of MB). */
  maxBytes?: number;
  /** Default `prodeng/<version> (+https://github.com/prodeng/prodeng)`. */
  userAgent?: string;
  /** How to wait between attempts (tests record the waits instead of sleeping). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface RequestOptions {
  signal: AbortSignal;
  /** Extra headers for this request (the endpoint's credentials, an Accept). */
  headers?: Record<string, string>;
  /** Statuses that mean "no such package". Default 404 and 410. */
  notFound?: readonly number[];
}

const DEFAULTS = {
  timeoutMs: 20_000,
  retries: 2,
  concurrency: 8,
  retryBaseMs: 300,
  maxRetryWaitMs: 10_000,
  maxBytes: 128 * 1024 * 1024,
};

/** Header names whose values are secrets: redacted from every message. */
const SECRET_HEADER = /authorization|cookie|token|secret|api-?key|password/i;

export class HttpClient {
  readonly #fetch: typeof fetch;
  readonly #options: typeof DEFAULTS;
  readonly #userAgent: string;
  readonly #sleep: HttpClientOptions['sleep'];
  readonly #limiter: HostLimiter;
  readonly #secrets = new Set<string>();

  constructor(options: HttpClientOptions = {}) {
    this.#fetch = options.fetchImpl ?? globalThis.fetch;
    this.#options = {
      timeoutMs: positive(options.timeoutMs, DEFAULTS.timeoutMs),
      retries: Math.max(0, Math.floor(options.retries ?? DEFAULTS.retries)),
      concurrency: positive(options.concurrency, DEFAULTS.concurrency),
      retryBaseMs: Math.max(0, options.retryBaseMs ?? DEFAULTS.retryBaseMs),
      maxRetryWaitMs: Math.max(0, options.maxRetryWaitMs ?? DEFAULTS.maxRetryWaitMs),
      maxBytes: positive(options.maxBytes, DEFAULTS.maxBytes),
    };
    this.#userAgent = options.userAgent ?? defaultUserAgent();
    this.#sleep = options.sleep;
    this.#limiter = new HostLimiter(this.#options.concurrency);
  }

  /**
   * A registry's base URL with its credentials. Credentials in the URL (`https://user:token@host/`)
   * become a Basic `Authorization` header; headers are only ever sent to the base URL's origin.
   */
  endpoint(baseUrl: string, headers: Record<string, string> = {}): Endpoint {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new TypeError(`not a URL: ${redactUrl(baseUrl)}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`not an http(s) URL: ${redactUrl(baseUrl)}`);
    const own: Record<string, string> = { ...headers };
    if (url.username || url.password) {
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      own.Authorization ??= `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      if (password) this.#secrets.add(password);
      url.username = '';
      url.password = '';
    }
    for (const [name, value] of Object.entries(own)) {
      if (SECRET_HEADER.test(name) && value) {
        this.#secrets.add(value);
        // `Bearer abc` and `Basic abc`: the credential alone may be echoed somewhere too
        const credential = value.replace(/^\s*(Bearer|Basic|Token)\s+/i, '');
        if (credential.length >= 4) this.#secrets.add(credential);
      }
    }
    const origin = url.origin;
    return {
      base: url.href.replace(/\/+$/, ''),
      host: url.host,
      headersFor: (target: string) => (originOf(target) === origin ? { ...own } : {}),
    };
  }

  /** The body of a 2xx response as text, or null for a not-found status. */
  async getText(target: string, options: RequestOptions): Promise<string | null> {
    const url = parseTarget(target);
    const host = url.host;
    const where = url.pathname;
    const attempts = this.#options.retries + 1;
    const notFound = options.notFound ?? [404, 410];
    const headers: Record<string, string> = { 'User-Agent': this.#userAgent, Accept: 'application/json', ...options.headers };
    let last: DatasourceError | undefined;
    for (let attempt = 1; ; attempt++) {
      options.signal.throwIfAborted();
      let serverWait: number | undefined;
      const release = await this.#limiter.acquire(host, options.signal);
      const timeout = AbortSignal.timeout(this.#options.timeoutMs);
      const signal = AbortSignal.any([options.signal, timeout]);
      try {
        const response = await this.#fetch(url, { headers, signal, redirect: 'follow' });
        if (response.ok) return await readBody(response, this.#options.maxBytes, host, where);
        await discard(response);
        if (notFound.includes(response.status)) return null;
        const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
        if (response.status === 429) {
          last = new DatasourceError('rate-limited', host, this.#redact(`${host}: rate limited (${status}) for ${where}`));
        } else if (response.status >= 500) {
          last = new DatasourceError('unavailable', host, this.#redact(`${host}: ${status} for ${where}`));
        } else {
          const hint = response.status === 401 || response.status === 403 ? ' (check the credentials configured for this registry)' : '';
          throw new DatasourceError('unavailable', host, this.#redact(`${host}: ${status} for ${where}${hint}`));
        }
        serverWait = retryAfterMs(response.headers.get('retry-after'));
      } catch (error) {
        if (error instanceof DatasourceError) throw error;
        if (options.signal.aborted) throw options.signal.reason;
        last = timeout.aborted
          ? new DatasourceError('timeout', host, `${host}: no answer within ${this.#options.timeoutMs} ms for ${where}`)
          : new DatasourceError('unavailable', host, this.#redact(`${host}: ${networkReason(error)} for ${where}`), { cause: error });
      } finally {
        release();
      }
      if (attempt >= attempts) {
        const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
        throw new DatasourceError(last.code, host, `${last.message}${tries}`, { cause: last.cause });
      }
      await (this.#sleep ?? sleep)(Math.min(serverWait ?? backoff(this.#options.retryBaseMs, attempt), this.#options.maxRetryWaitMs), options.signal);
    }
  }

  /** A 2xx JSON response validated with `schema`, or null for a not-found status. */
  async getJson<T>(target: string, schema: ZodType<T>, options: RequestOptions): Promise<T | null> {
    const text = await this.getText(target, { ...options, headers: { Accept: 'application/json', ...options.headers } });
    if (text === null) return null;
    const url = parseTarget(target);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new DatasourceError('malformed', url.host, `${url.host}: the answer for ${url.pathname} is not JSON (${(error as Error).message})`);
    }
    return validate(schema, data, url.host, url.pathname);
  }

  /** Replaces every known secret in `text` with `***`. */
  #redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join('***');
    return out;
  }
}

export interface Endpoint {
  /** The base URL without credentials and without a trailing slash. */
  base: string;
  /** `registry.npmjs.org`, or `127.0.0.1:8080`: the name errors and reports show. */
  host: string;
  /** The endpoint's headers when `url` is on its origin, else none (credentials never leak to another host). */
  headersFor(url: string): Record<string, string>;
}

/** Parses `data` with `schema`; a mismatch is `malformed`, naming the host, `where` (a path) and the first issue's path. */
export function validate<T>(schema: ZodType<T>, data: unknown, host: string, where: string): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue ? issuePath(issue.path) : '$';
  throw new DatasourceError('malformed', host, `${host}: unexpected answer for ${where} at ${path}: ${issue?.message ?? 'invalid'}`);
}

/** `$.versions["1.0.0"].time`, `$[3]`: a readable path for a zod issue. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, nowMs: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Full-jitter exponential backoff: a random wait in [d/2, d] with d = base × 2^(attempt−1). */
function backoff(baseMs: number, attempt: number): number {
  const ceiling = baseMs * 2 ** (attempt - 1);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** A counting semaphore per host; waiters leave the queue when their signal aborts. */
export class HostLimiter {
  readonly #limit: number;
  readonly #hosts = new Map<string, { active: number; queue: Array<() => void> }>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  async acquire(host: string, signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted();
    let state = this.#hosts.get(host);
    if (!state) {
      state = { active: 0, queue: [] };
      this.#hosts.set(host, state);
    }
    const slot = state;
    if (slot.active < this.#limit) {
      slot.active++;
    } else {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          const index = slot.queue.indexOf(grant);
          if (index >= 0) slot.queue.splice(index, 1);
          reject(signal.reason);
        };
        const grant = (): void => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        slot.queue.push(grant);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = slot.queue.shift();
      if (next) next(); // the slot passes to the next waiter
      else if (--slot.active === 0) this.#hosts.delete(host);
    };
  }

  /** Requests in flight for `host` (for tests). */
  active(host: string): number {
    return this.#hosts.get(host)?.active ?? 0;
  }
}

async function readBody(response: Response, maxBytes: number, host: string, where: string): Promise<string> {
  return readBodyLimited(response, maxBytes, () => new DatasourceError('malformed', host, `${host}: the answer for ${where} is larger than ${maxBytes} bytes`));
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** `ECONNREFUSED`, `ENOTFOUND`…: the most specific reason undici gives, without the URL. */
function networkReason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.length > 0) return `network error ${code}`;
    current = current.cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `network error (${message})`;
}

function parseTarget(target: string): URL {
  const url = new URL(target);
  url.username = '';
  url.password = '';
  return url;
}

function originOf(target: string): string | undefined {
  try {
    return new URL(target).origin;
  } catch {
    return undefined;
  }
}

function redactUrl(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/, '//***@');
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

let userAgent: string | undefined;
/** `prodeng/<version> (+https://github.com/prodeng/prodeng)`, the version read from prodeng's package.json. */
export function defaultUserAgent(): string {
  userAgent ??= `prodeng/${toolVersion()} (+https://github.com/prodeng/prodeng)`;
  return userAgent;
}
