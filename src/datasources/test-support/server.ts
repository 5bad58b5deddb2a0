/**
 * A scripted HTTP server on 127.0.0.1 (ephemeral port) for the registry tests: each path answers
 * with a queue of replies (the last one repeats), everything else is a 404. Requests are recorded.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
  contentType?: string;
  gzip?: boolean;
  /** Wait before answering (headers included). */
  delayMs?: number;
  /** Drop the connection without an answer. */
  destroy?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** The raw request target, as sent (`/@types%2fnode`). */
  url: string;
  headers: IncomingHttpHeaders;
}

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  base: string;
  /** `127.0.0.1:PORT`, as DatasourceError.host names it. */
  host: string;
  requests: RecordedRequest[];
  /** Requests being answered right now, and the most at once. */
  inFlight: number;
  maxInFlight: number;
  /** Replies for `path` (the raw target), in order; the last repeats. */
  route(path: string, ...replies: Reply[]): void;
  /** Requests received for `path`. */
  hits(path: string): number;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Reply[]>();
  const timers = new Set<NodeJS.Timeout>();
  const state = { inFlight: 0, maxInFlight: 0 };
  const requests: RecordedRequest[] = [];

  const send = (res: ServerResponse, reply: Reply): void => {
    if (reply.destroy) {
      res.socket?.destroy();
      return;
    }
    let body: Buffer;
    let contentType = reply.contentType;
    if (typeof reply.body === 'string') body = Buffer.from(reply.body);
    else if (Buffer.isBuffer(reply.body)) body = reply.body;
    else if (reply.body === undefined) body = Buffer.alloc(0);
    else {
      body = Buffer.from(JSON.stringify(reply.body));
      contentType ??= 'application/json';
    }
    const headers: Record<string, string> = { 'content-type': contentType ?? 'text/plain; charset=utf-8', ...reply.headers };
    if (reply.gzip) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = String(body.length);
    res.writeHead(reply.status ?? 200, headers);
    res.end(body);
  };

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', url, headers: req.headers });
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    res.on('close', () => state.inFlight--);
    const queue = routes.get(url);
    const reply: Reply = (queue && queue.length > 1 ? queue.shift() : queue?.[0]) ?? { status: 404, body: { error: 'Not found' } };
    if (reply.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) send(res, reply);
      }, reply.delayMs);
      timers.add(timer);
    } else {
      send(res, reply);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;

  return {
    base: `http://${host}`,
    host,
    requests,
    get inFlight() {
      return state.inFlight;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    route(path, ...replies) {
      routes.set(path, replies);
    },
    hits(path) {
      return requests.filter((r) => r.url === path).length;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** A fixture's text with `{{base}}` replaced. */
export function fixtureText(path: string, base = ''): string {
  return readFileSync(join(FIXTURES, path), 'utf8').replaceAll('{{base}}', base);
}

/** Serves a recording (`{ responses: { path: Reply } }`) on `server`. */
export function serveRecording(server: TestServer, path: string): void {
  const recording = JSON.parse(fixtureText(path, server.base)) as { responses: Record<string, Reply> };
  for (const [route, reply] of Object.entries(recording.responses)) server.route(route, reply);
}
