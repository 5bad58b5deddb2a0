/**
 * The HTTP(S) server of `prodeng serve`: `/healthz`, `/metrics`, the JSON API (`/api/v1/…`, api.ts)
 * and its OpenAPI document, and the dashboard (static.ts). One `node:http` (or `node:https`)
 * server, no framework: every request goes through the same steps — Host check, route, access
 * check, validation, handler — and every answer carries the security headers (auth.ts).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';
import type { ResolvedConfig } from '../config/load.js';
import { isStoreError } from '../store/errors.js';
import type { Store } from '../store/store.js';
import { ApiCaches, ApiError, describeIssue, matchRoute, startWarmer, type ApiAnswer, type ApiContext } from './api.js';
import { openApiDocument } from './api-openapi.js';
import type { ErrorCode } from './api-schemas.js';
import { checkHost, checkRead, checkWrite, isLoopbackHost, securityHeaders, Token, type AccessPolicy } from './auth.js';
import { METRICS_CONTENT_TYPE, renderMetrics } from './metrics.js';
import type { SchedulerHandle } from './scheduler-contract.js';
import { staticFiles } from './static.js';

export interface ServerOptions {
  store: Store;
  /** Null with `--no-scheduler`: "observe now" then answers 503. */
  scheduler: SchedulerHandle | null;
  config: ResolvedConfig;
  /** Where relative paths of unconfigured systems resolve (the test settings of the tests route). */
  cwd: string;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Null: read-only, and only on loopback. */
  token: string | null;
  tls?: { cert: string | Buffer; key: string | Buffer } | undefined;
  dashboardDir: string;
  version: string;
  eolData: { source: string; asOf: string } | null;
  now?: () => Date;
  /** Errors the client is only told the kind of (details here, never a token). */
  log?: (line: string) => void;
  /**
   * How often to look for changes to precompute for (change points of new snapshots, the overview,
   * the backlog; default a minute); 0: never (requests compute what they need).
   */
  precomputeIntervalMs?: number;
}

export interface RunningServer {
  /** `http(s)://host:port`, with IPv6 hosts in brackets. */
  url: string;
  port: number;
  /**
   * Hands the server the scheduler once it runs: the CLI starts it only after the port is bound,
   * so that a port in use does not start observations first.
   */
  setScheduler(scheduler: SchedulerHandle | null): void;
  /** Stops accepting, lets running requests finish (a few seconds at most), then closes. */
  close(): Promise<void>;
}

/** The largest request body: writes are a few fields. */
const MAX_BODY_BYTES = 64 * 1024;
/** How long a graceful close waits for running requests before cutting connections. */
const CLOSE_GRACE_MS = 5_000;

export class NonLoopbackWithoutTokenError extends Error {
  constructor(host: string, tokenEnv: string) {
    super(
      `refusing to listen on ${host} without a token: anyone who can reach it could read every finding. ` +
        `Set a token in the environment variable ${tokenEnv} (--token-env names another), or bind to 127.0.0.1 (--host 127.0.0.1).`,
    );
    this.name = 'NonLoopbackWithoutTokenError';
  }
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const loopback = isLoopbackHost(options.host);
  if (!loopback && options.token === null) throw new NonLoopbackWithoutTokenError(options.host, 'PRODENG_TOKEN');
  const tls = options.tls !== undefined;
  const policy: AccessPolicy = {
    token: options.token === null ? null : new Token(options.token),
    readsNeedToken: options.token !== null && !loopback,
    loopbackOnly: loopback,
  };
  const context: ApiContext = {
    store: options.store,
    scheduler: options.scheduler,
    config: options.config,
    cwd: options.cwd,
    version: options.version,
    writable: options.token !== null,
    authRequired: policy.readsNeedToken,
    eolData: options.eolData,
    now: options.now ?? (() => new Date()),
  };
  const caches = new ApiCaches();
  const files = staticFiles(options.dashboardDir);
  const log = options.log ?? (() => undefined);
  const baseHeaders = securityHeaders(tls) as Record<string, string>;
  let openApi: string | undefined;

  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, response).catch((error: unknown) => {
      log(`internal error answering ${request.method} ${safePath(request.url)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!response.headersSent) sendError(response, request, 500, 'internal', 'internal error; see the server log');
      else response.destroy();
    });
  };

  const sendJson = (response: ServerResponse, request: IncomingMessage, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    // Repository text is data: escaped so that no `<`, `>` or `&` ever appears raw, even if
    // something renders this JSON as HTML (it is served as JSON with nosniff, and a CSP).
    const text = JSON.stringify(body).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const buffer = Buffer.from(text, 'utf8');
    response.writeHead(status, {
      ...baseHeaders,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': String(buffer.length),
      ...headers,
    });
    response.end(request.method === 'HEAD' ? undefined : buffer);
  };

  const sendError = (response: ServerResponse, request: IncomingMessage, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): void => {
    sendJson(response, request, status, { error: { code, message } }, headers);
  };

  const sendText = (response: ServerResponse, request: IncomingMessage, status: number, text: string, contentType: string, headers: Record<string, string> = {}): void => {
    const buffer = Buffer.from(text, 'utf8');
    response.writeHead(status, { ...baseHeaders, 'content-type': contentType, 'cache-control': 'no-store', 'content-length': String(buffer.length), ...headers });
    response.end(request.method === 'HEAD' ? undefined : buffer);
  };

  const sendAnswer = (response: ServerResponse, request: IncomingMessage, answer: ApiAnswer): void => {
    if ('json' in answer) sendJson(response, request, answer.status, answer.json, answer.headers);
    else if ('text' in answer) sendText(response, request, answer.status, answer.text, answer.contentType, answer.headers);
    else {
      response.writeHead(answer.status, { ...baseHeaders, 'cache-control': 'no-store', ...answer.headers });
      response.end();
    }
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    if (request.url === undefined || !request.url.startsWith('/')) {
      sendError(response, request, 400, 'invalid', 'the request target must be a path');
      return;
    }
    const url = new URL(request.url, 'http://localhost');
    const pathname = url.pathname;
    const host = checkHost(request, policy);
    if (host !== null) {
      drain(request);
      sendError(response, request, host.status, host.code, host.message);
      return;
    }

    if (pathname === '/healthz') {
      if (!onlyGet(method, request, response)) return;
      const health = await healthOf(context);
      sendJson(response, request, health.database === 'ok' ? 200 : 503, health);
      return;
    }

    if (pathname === '/metrics') {
      if (!onlyGet(method, request, response)) return;
      const denied = checkRead(request, policy);
      if (denied !== null) {
        sendError(response, request, denied.status, denied.code, denied.message, denied.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
        return;
      }
      try {
        sendText(response, request, 200, await metricsText(context, caches), METRICS_CONTENT_TYPE);
      } catch (error) {
        storeFailure(response, request, error);
      }
      return;
    }

    if (pathname === '/api/openapi.json') {
      if (!onlyGet(method, request, response)) return;
      openApi ??= JSON.stringify(openApiDocument(options.version));
      sendText(response, request, 200, openApi, 'application/json; charset=utf-8');
      return;
    }

    if (pathname === '/api' || pathname.startsWith('/api/')) {
      await handleApi(request, response, method, url);
      return;
    }

    if (method !== 'GET' && method !== 'HEAD') {
      drain(request);
      sendError(response, request, 405, 'method-not-allowed', `${method} is not allowed here; the dashboard is read with GET`, { allow: 'GET, HEAD' });
      return;
    }
    files.serve(request, response, pathname, baseHeaders);
  }

  function onlyGet(method: string, request: IncomingMessage, response: ServerResponse): boolean {
    if (method === 'GET' || method === 'HEAD') return true;
    drain(request);
    sendError(response, request, 405, 'method-not-allowed', `${method} is not allowed here; use GET`, { allow: 'GET, HEAD' });
    return false;
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, method: string, url: URL): Promise<void> {
    let found: ReturnType<typeof matchRoute>;
    try {
      found = matchRoute(method, url.pathname);
    } catch (error) {
      drain(request);
      if (error instanceof ApiError) return sendError(response, request, error.status, error.code, error.message);
      throw error;
    }
    if (found === null) {
      drain(request);
      return sendError(response, request, 404, 'not-found', `no API route ${url.pathname}; see /api/openapi.json`);
    }
    if ('allowed' in found) {
      drain(request);
      const allow = found.allowed.includes('GET') ? [...found.allowed, 'HEAD'] : found.allowed;
      return sendError(response, request, 405, 'method-not-allowed', `${method} is not allowed on ${url.pathname}; allowed: ${allow.join(', ')}`, { allow: allow.join(', ') });
    }
    const { route, params } = found.match;
    const write = route.method !== 'GET';
    const denied = write ? checkWrite(request, policy, route.body !== undefined) : checkRead(request, policy);
    if (denied !== null) {
      drain(request);
      return sendError(response, request, denied.status, denied.code, denied.message, denied.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
    }

    const parsedParams = z.object(route.params ?? {}).safeParse(params);
    if (!parsedParams.success) {
      drain(request);
      return sendError(response, request, 400, 'invalid', describeIssue(parsedParams.error, 'path'));
    }
    const rawQuery: Record<string, string> = {};
    for (const [key, value] of url.searchParams) {
      if (Object.hasOwn(rawQuery, key)) {
        drain(request);
        return sendError(response, request, 400, 'invalid', `${JSON.stringify(key)}: given more than once; give it once (lists are comma-separated)`);
      }
      rawQuery[key] = value;
    }
    const parsedQuery = route.query.safeParse(rawQuery);
    if (!parsedQuery.success) {
      drain(request);
      return sendError(response, request, 400, 'invalid', describeIssue(parsedQuery.error, 'query'));
    }

    let body: unknown;
    if (route.body !== undefined) {
      const text = await readBody(request);
      if (text === null) return sendError(response, request, 413, 'too-large', `the body is larger than ${MAX_BODY_BYTES} bytes`);
      let raw: unknown = {};
      if (text.trim() !== '') {
        try {
          raw = JSON.parse(text);
        } catch {
          return sendError(response, request, 400, 'invalid', 'body: not valid JSON');
        }
      }
      const parsedBody = route.body.safeParse(raw);
      if (!parsedBody.success) return sendError(response, request, 400, 'invalid', describeIssue(parsedBody.error, 'body'));
      body = parsedBody.data;
    } else {
      drain(request);
    }

    try {
      sendAnswer(response, request, await route.handle({ params: parsedParams.data, query: parsedQuery.data, body }, context, caches));
    } catch (error) {
      if (error instanceof ApiError) return sendError(response, request, error.status, error.code, error.message, error.headers);
      storeFailure(response, request, error);
    }
  }

  /** A database that cannot be reached is 503 (retry later); anything else 500. Details go to the log. */
  function storeFailure(response: ServerResponse, request: IncomingMessage, error: unknown): void {
    if (isStoreError(error) && (error.code === 'unreachable' || error.code === 'locked')) {
      log(`database unavailable answering ${request.method} ${safePath(request.url)}: ${error.message}`);
      return sendError(response, request, 503, 'unavailable', 'the database cannot be reached right now; see the server log', { 'retry-after': '10' });
    }
    throw error;
  }

  const server: Server = tls ? createHttpsServer({ cert: options.tls!.cert, key: options.tls!.key }, handler) : createHttpServer(handler);
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  server.keepAliveTimeout = 5_000;
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(listenError(error, options.host, options.port));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: options.host, port: options.port });
  });
  server.on('error', (error) => log(`server error: ${error.message}`));

  const precompute = options.precomputeIntervalMs ?? 60_000;
  const warmer = precompute > 0 ? startWarmer(context, caches, { intervalMs: precompute, log }) : null;

  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `${tls ? 'https' : 'http'}://${shownHost}:${address.port}`,
    port: address.port,
    setScheduler(scheduler) {
      context.scheduler = scheduler;
    },
    close() {
      warmer?.stop();
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

export class ListenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ListenError';
  }
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): ListenError {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new ListenError(`cannot listen on ${where}: the port is in use (another prodeng serve?); pass --port with a free one`, { cause: error });
    case 'EACCES':
      return new ListenError(`cannot listen on ${where}: permission denied (ports below 1024 need privileges); pass --port 1024 or above`, { cause: error });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ListenError(`cannot listen on ${where}: no such address on this machine; pass --host with one of its addresses (default 127.0.0.1)`, { cause: error });
    default:
      return new ListenError(`cannot listen on ${where}: ${error.message}`, { cause: error });
  }
}

/** The request's path without its query (which may carry search text): for the log. */
function safePath(url: string | undefined): string {
  return (url ?? '').split('?')[0]!.slice(0, 200);
}

/** Reads a request body up to the limit; null when it is larger (the rest is discarded). */
function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Reads and drops a body nobody needs, so that a kept-alive connection stays usable. */
function drain(request: IncomingMessage): void {
  request.resume();
}

async function healthOf(context: ApiContext) {
  let database: 'ok' | 'error' = 'ok';
  try {
    // The cheapest read there is: one primary-key lookup that finds nothing.
    await context.store.getSnapshot('00000000000000000000000000');
  } catch {
    database = 'error';
  }
  const states = context.scheduler?.states() ?? [];
  const failing = states.filter((state) => state.failures > 0).length;
  return {
    status: database === 'ok' && failing === 0 ? ('ok' as const) : ('degraded' as const),
    version: context.version,
    database,
    scheduler: { running: context.scheduler !== null, systems: states.length, failing },
  };
}

async function metricsText(context: ApiContext, caches: ApiCaches): Promise<string> {
  const { store } = context;
  // The store's part is kept until the store changes; the scheduler's is read at every scrape.
  const { systems, openFindings } = await caches.memo('metrics', await store.changeToken(), async () => {
    const [heads, openFindings] = await Promise.all([store.latestSnapshots(), store.openFindingCounts()]);
    const systems = [];
    for (const head of heads) systems.push({ system: head.system, at: head.startedAt, metrics: await store.metricsAt(head.id) });
    return { systems, openFindings };
  });
  return renderMetrics({ version: context.version, systems, openFindings, scheduler: context.scheduler?.states() ?? null });
}
