/**
 * One HTTP(S) request with its timings, and redirect chains on top of it. Built on `node:http` and
 * `node:https` rather than `fetch`, whose API hides when the first byte arrives and when the
 * connection and TLS handshake end. Every request opens its own connection (`agent: false`): the
 * times are those of a first visit, handshakes included.
 *
 * Certificates are not enforced (`rejectUnauthorized: false`) so a server with a bad certificate is
 * still measured; whether the chain and name verify is recorded in `tls.verified` (the tls probe
 * judges certificates).
 */
import type { IncomingMessage, ClientRequest } from 'node:http';
import type { RequestOptions } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TLSSocket } from 'node:tls';
import type { HeaderMap } from './parsers.js';

export type RequestErrorKind = 'timeout' | 'refused' | 'reset' | 'dns' | 'protocol' | 'tls' | 'aborted' | 'other';

export interface Timings {
  /** DNS lookup done (null for an address, which needs none). */
  lookupMs: number | null;
  /** TCP connection established. */
  connectMs: number | null;
  /** TLS handshake done. */
  tlsMs: number | null;
  /** Response status line and headers received ("time to first byte" as Node can see it). */
  ttfbMs: number | null;
  /** Last body byte read (or `maxBodyBytes` reached), or the failure. */
  totalMs: number;
}

export interface TlsState {
  /** The chain verifies against the trusted roots and the certificate names the host. */
  verified: boolean;
  error: string | null;
  protocol: string | null;
}

export interface ResponseOutcome {
  kind: 'response';
  url: string;
  status: number;
  headers: HeaderMap;
  /** The body as text (up to `maxBodyBytes`) when `keepBody` was asked for, else null. */
  body: string | null;
  bodyBytes: number;
  /** The body was longer than `maxBodyBytes`; the rest was not read. */
  truncated: boolean;
  /** The body failed after the headers arrived (reset, timeout): headers usable, the request failed. */
  bodyError: RequestErrorKind | null;
  timings: Timings;
  tls: TlsState | null;
}

export interface ErrorOutcome {
  kind: 'error';
  url: string;
  error: RequestErrorKind;
  code: string;
  message: string;
  timings: Timings;
  tls: TlsState | null;
}

export type Outcome = ResponseOutcome | ErrorOutcome;

export interface GetOptions {
  timeoutMs: number;
  maxBodyBytes: number;
  keepBody: boolean;
  signal: AbortSignal;
  userAgent: string;
  /** Server name for SNI and the Host header (the URL names an address). */
  sni?: string | undefined;
  /** Connect to this host instead of the URL's (a redirect to the SNI name goes to the configured address). */
  connectHost?: string | undefined;
  /** Trusted roots for `tls.verified`; Node's bundled roots when absent. */
  ca?: string[] | undefined;
  /** Waits for the politeness budget before the request starts (not counted in the timings). */
  acquire?: ((signal: AbortSignal) => Promise<void>) | undefined;
}

const TIMEOUT = 'PRODENG_TIMEOUT';
const CAPPED = 'PRODENG_BODY_CAPPED';

/** Sends a GET and never rejects except on abort of `signal`: every failure is an {@link ErrorOutcome}. */
export async function request(url: URL, options: GetOptions): Promise<Outcome> {
  if (options.acquire) await options.acquire(options.signal);
  options.signal.throwIfAborted();
  return new Promise<Outcome>((resolve, reject) => {
    const https = url.protocol === 'https:';
    const started = performance.now();
    const since = (): number => Math.round((performance.now() - started) * 100) / 100;
    const timings: Timings = { lookupMs: null, connectMs: null, tlsMs: null, ttfbMs: null, totalMs: 0 };
    let tls: TlsState | null = null;
    let settled = false;
    let response: IncomingMessage | null = null;
    const chunks: Buffer[] = [];
    let kept = 0;
    let bodyBytes = 0;
    let truncated = false;
    let timedOut = false;

    const host = (options.connectHost ?? url.hostname).replace(/^\[|\]$/g, '');
    const port = url.port === '' ? (https ? 443 : 80) : Number(url.port);
    const hostHeader = options.sni === undefined ? url.host : url.port === '' ? options.sni : `${options.sni}:${url.port}`;
    const servername = options.sni ?? (isIP(url.hostname.replace(/^\[|\]$/g, '')) === 0 ? url.hostname : undefined);
    const requestOptions: RequestOptions = {
      host,
      port,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      agent: false,
      headers: {
        host: hostHeader,
        'user-agent': options.userAgent,
        accept: 'text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8',
        'accept-encoding': 'identity',
        connection: 'close',
      },
    };
    if (https) {
      requestOptions.rejectUnauthorized = false;
      if (servername !== undefined) requestOptions.servername = servername;
      if (options.ca !== undefined) requestOptions.ca = options.ca;
    }

    const finish = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const fail = (error: unknown): void => {
      if (settled) return;
      timings.totalMs = since();
      if (options.signal.aborted) {
        settled = true;
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
        reject(options.signal.reason);
        return;
      }
      const { kind, code, message } = timedOut ? { kind: 'timeout' as const, code: 'ETIMEDOUT', message: `no complete answer within ${options.timeoutMs} ms` } : classify(error);
      if (response !== null) {
        finish(responseOutcome(kind));
      } else {
        finish({ kind: 'error', url: url.href, error: kind, code, message, timings, tls });
      }
    };
    const responseOutcome = (bodyError: RequestErrorKind | null): ResponseOutcome => ({
      kind: 'response',
      url: url.href,
      status: response?.statusCode ?? 0,
      headers: copyHeaders(response),
      body: options.keepBody ? Buffer.concat(chunks).toString('utf8') : null,
      bodyBytes,
      truncated,
      bodyError,
      timings,
      tls,
    });

    let req: ClientRequest;
    try {
      // Loaded on first use: an ESM import of node:http(s) costs every start of the CLI ~25 ms
      // (Node copies their exports for it, which loads the undici behind their lazy getters),
      // and most observations make no HTTP request.
      req = https ? process.getBuiltinModule('node:https').request(requestOptions) : process.getBuiltinModule('node:http').request(requestOptions);
    } catch (error) {
      const { kind, code, message } = classify(error);
      resolve({ kind: 'error', url: url.href, error: kind, code, message, timings: { ...timings, totalMs: since() }, tls });
      return;
    }
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(Object.assign(new Error(`no complete answer within ${options.timeoutMs} ms`), { code: TIMEOUT }));
    }, options.timeoutMs);
    const onAbort = (): void => void req.destroy(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }));
    options.signal.addEventListener('abort', onAbort, { once: true });

    req.on('socket', (socket: Socket) => {
      socket.once('lookup', () => (timings.lookupMs = since()));
      socket.once('connect', () => (timings.connectMs = since()));
      socket.once('secureConnect', () => {
        timings.tlsMs = since();
        const secure = socket as TLSSocket;
        const error = secure.authorizationError as unknown;
        tls = {
          verified: secure.authorized === true,
          error: secure.authorized ? null : error instanceof Error ? (((error as NodeJS.ErrnoException).code ?? error.message) as string) : String(error ?? 'unverified'),
          protocol: secure.getProtocol?.() ?? null,
        };
      });
    });
    req.on('error', fail);
    req.on('response', (res: IncomingMessage) => {
      response = res;
      timings.ttfbMs = since();
      res.on('data', (chunk: Buffer) => {
        bodyBytes += chunk.length;
        if (options.keepBody && kept < options.maxBodyBytes) {
          const part = chunk.subarray(0, options.maxBodyBytes - kept);
          chunks.push(part);
          kept += part.length;
        }
        if (bodyBytes > options.maxBodyBytes) {
          truncated = true;
          bodyBytes = options.maxBodyBytes;
          timings.totalMs = since();
          finish(responseOutcome(null));
          req.destroy(Object.assign(new Error('body cap reached'), { code: CAPPED }));
        }
      });
      res.on('end', () => {
        timings.totalMs = since();
        finish(responseOutcome(null));
      });
      res.on('error', fail);
      res.on('close', () => {
        if (!settled) fail(Object.assign(new Error('connection closed before the end of the body'), { code: 'ECONNRESET' }));
      });
    });
    req.end();
  });
}

function copyHeaders(response: IncomingMessage | null): HeaderMap {
  const out: HeaderMap = {};
  if (response === null) return out;
  for (const [name, values] of Object.entries(response.headersDistinct)) if (values !== undefined) out[name] = values;
  return out;
}

function classify(error: unknown): { kind: RequestErrorKind; code: string; message: string } {
  const e = error as NodeJS.ErrnoException | undefined;
  const code = typeof e?.code === 'string' ? e.code : 'ERROR';
  const message = (e?.message ?? String(error)).slice(0, 300);
  const kind: RequestErrorKind =
    code === TIMEOUT
      ? 'timeout'
      : code === 'ECONNREFUSED'
        ? 'refused'
        : code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED'
          ? 'reset'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NODATA'
            ? 'dns'
            : code.startsWith('HPE_')
              ? 'protocol'
              : code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code === 'EPROTO'
                ? 'tls'
                : code === 'ABORT_ERR'
                  ? 'aborted'
                  : 'other';
  return { kind, code: code === TIMEOUT ? 'ETIMEDOUT' : code, message };
}

// ---------------------------------------------------------------------------------------------
// Redirect chains

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface Hop {
  url: string;
  status: number;
  /** The absolute URL the response redirects to. */
  location: string;
  tls: TlsState | null;
  setCookies: string[];
}

export type ChainStop =
  | { reason: 'off-host'; location: string }
  | { reason: 'too-many-redirects'; location: string }
  | { reason: 'bad-location'; location: string }
  | { reason: 'scheme'; location: string };

export interface Chain {
  /** Redirect responses followed (or, for the last one when `stop` is set, not followed). */
  hops: Hop[];
  /** The last response (or failure); a redirect itself when the chain stopped. */
  final: Outcome;
  finalUrl: string;
  stop: ChainStop | null;
}

/**
 * Follows redirects from `start`, at most `maxRedirects`, and only to the start's host (or the
 * SNI name, which goes to the start's address): prodeng contacts no host it was not given.
 */
export async function follow(start: URL, maxRedirects: number, options: GetOptions): Promise<Chain> {
  const hops: Hop[] = [];
  const startHost = start.hostname.toLowerCase();
  let current = start;
  let connectHost: string | undefined;
  for (;;) {
    const outcome = await request(current, { ...options, connectHost });
    if (outcome.kind === 'error' || !REDIRECT_STATUSES.has(outcome.status)) return { hops, final: outcome, finalUrl: current.href, stop: null };
    const raw = outcome.headers.location?.[0];
    if (raw === undefined) return { hops, final: outcome, finalUrl: current.href, stop: null };
    let next: URL;
    try {
      next = new URL(raw.trim(), current);
    } catch {
      hops.push({ url: current.href, status: outcome.status, location: raw.slice(0, 300), tls: outcome.tls, setCookies: outcome.headers['set-cookie'] ?? [] });
      return { hops, final: outcome, finalUrl: current.href, stop: { reason: 'bad-location', location: raw.slice(0, 300) } };
    }
    next.hash = '';
    hops.push({ url: current.href, status: outcome.status, location: next.href, tls: outcome.tls, setCookies: outcome.headers['set-cookie'] ?? [] });
    const stop = (reason: ChainStop['reason']): Chain => ({ hops, final: outcome, finalUrl: current.href, stop: { reason, location: next.href } });
    if (next.protocol !== 'http:' && next.protocol !== 'https:') return stop('scheme');
    const host = next.hostname.toLowerCase();
    if (host === startHost) connectHost = undefined;
    else if (options.sni !== undefined && host === options.sni.toLowerCase()) connectHost = start.hostname;
    else return stop('off-host');
    if (hops.length > maxRedirects) return stop('too-many-redirects');
    current = next;
  }
}

/** Starts at most `perSecond` requests a second (shared by everything that holds it). */
export function rateLimiter(perSecond: number): (signal: AbortSignal) => Promise<void> {
  const interval = 1000 / perSecond;
  let next = 0;
  return async (signal) => {
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + interval;
    if (at > now) await sleep(at - now, undefined, { signal });
  };
}
