/**
 * One probe = one TCP connection: connect, send a hello, read until the answer is known (a
 * ServerHello — and for TLS ≤ 1.2 optionally the rest of the server's first flight up to
 * ServerHelloDone —, an alert, an SSLv2 SERVER-HELLO), then close. Every probe ends within its
 * timeout with a typed outcome: timeouts, resets, closed connections, garbage and plain HTTP are
 * outcomes, not exceptions. {@link Limiter} bounds the connections open at once.
 */
import { connect, type Socket } from 'node:net';
import { type Alert, alertName, parseServerHello, parseSslv2ServerHello, type ServerHello, type Sslv2ServerHello } from './server-messages.js';
import { HandshakeType, ServerStream, Version } from './records.js';

/** The server's first flight after its ServerHello (TLS ≤ 1.2), raw. */
export interface Flight {
  /** Certificate message body. */
  certificate: Buffer | null;
  /** CertificateStatus message body (a stapled OCSP response). */
  certificateStatus: Buffer | null;
  /** ServerKeyExchange message body. */
  serverKeyExchange: Buffer | null;
  /** ServerHelloDone seen: the flight is complete. */
  done: boolean;
  /** Why reading stopped before ServerHelloDone (`timeout`, `closed`, an alert), or null. */
  incomplete: string | null;
}

export type ProbeOutcome =
  | { kind: 'hello'; hello: ServerHello; flight: Flight; ms: number }
  | { kind: 'sslv2'; hello: Sslv2ServerHello; ms: number }
  | { kind: 'alert'; alert: Alert; ms: number }
  /** The server closed the connection (FIN) without answering. */
  | { kind: 'closed'; received: number; ms: number }
  | { kind: 'reset'; received: number; code: string; ms: number }
  | { kind: 'timeout'; received: number; connected: boolean; ms: number }
  | { kind: 'connect-error'; code: string; message: string; ms: number }
  | { kind: 'garbage'; error: string; http: boolean; ms: number }
  | { kind: 'aborted'; ms: number };

export interface ProbeRequest {
  host: string;
  port: number;
  /** The bytes to send once connected. */
  hello: Uint8Array;
  /** Whole probe: connect, send, read. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** `server-hello` stops at the ServerHello; `flight` reads on to ServerHelloDone (TLS ≤ 1.2). */
  read?: 'server-hello' | 'flight';
  /** The hello is an SSLv2 CLIENT-HELLO: accept SSLv2 records back. */
  sslv2?: boolean;
}

/** More than this from one server before the answer is known is not a TLS handshake. */
const MAX_BYTES = 4 * 1024 * 1024;

/** A readable description of a non-answer, for `errors`. */
export function describeOutcome(outcome: ProbeOutcome, timeoutMs: number): string {
  switch (outcome.kind) {
    case 'hello':
      return 'ServerHello';
    case 'sslv2':
      return 'SSLv2 SERVER-HELLO';
    case 'alert':
      return `alert ${outcome.alert.name} (${outcome.alert.description})`;
    case 'closed':
      return outcome.received > 0 ? `connection closed after ${outcome.received} bytes without a complete answer` : 'connection closed without an answer';
    case 'reset':
      return `connection reset by the server (${outcome.code})`;
    case 'timeout':
      if (!outcome.connected) return `no TCP connection within ${timeoutMs} ms`;
      return outcome.received > 0
        ? `timed out after ${timeoutMs} ms with ${outcome.received} bytes received and no complete answer (a slow or stalled server)`
        : `no answer within ${timeoutMs} ms`;
    case 'connect-error':
      return `cannot connect (${outcome.code}: ${outcome.message})`;
    case 'garbage':
      return outcome.error;
    case 'aborted':
      return 'aborted';
  }
}

export function runProbe(request: ProbeRequest): Promise<ProbeOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  return new Promise<ProbeOutcome>((resolve) => {
    if (request.signal?.aborted) {
      resolve({ kind: 'aborted', ms: 0 });
      return;
    }
    const stream = new ServerStream({ sslv2: request.sslv2 === true });
    let connected = false;
    let settled = false;
    let hello: ServerHello | null = null;
    const flight: Flight = { certificate: null, certificateStatus: null, serverKeyExchange: null, done: false, incomplete: null };
    let socket: Socket;

    const finish = (outcome: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('data');
      socket.on('error', () => {});
      socket.destroy();
      resolve(outcome);
    };
    /** Ends with the ServerHello in hand, noting why the flight stopped short if it did. */
    const finishHello = (incomplete: string | null) => {
      if (!hello) return false;
      if (!flight.done && incomplete !== null && request.read === 'flight') flight.incomplete = incomplete;
      finish({ kind: 'hello', hello, flight, ms: elapsed() });
      return true;
    };
    const onAbort = () => {
      finish({ kind: 'aborted', ms: elapsed() });
    };
    const timer = setTimeout(() => {
      if (!finishHello('timeout')) finish({ kind: 'timeout', received: stream.received, connected, ms: elapsed() });
    }, request.timeoutMs);
    request.signal?.addEventListener('abort', onAbort, { once: true });

    socket = connect({ host: request.host, port: request.port });
    socket.setNoDelay(true);
    socket.on('connect', () => {
      connected = true;
      socket.write(request.hello);
    });
    socket.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (stream.received + chunk.length > MAX_BYTES) {
        if (!finishHello('too much data')) finish({ kind: 'garbage', error: `not TLS: more than ${MAX_BYTES} bytes without a ServerHello`, http: false, ms: elapsed() });
        return;
      }
      for (const event of stream.push(chunk)) {
        if (settled) return;
        switch (event.kind) {
          case 'error':
            if (!finishHello(event.error)) finish({ kind: 'garbage', error: event.error, http: event.http, ms: elapsed() });
            return;
          case 'alert': {
            const alert: Alert = { level: event.level, description: event.description, name: alertName(event.description) };
            if (hello) {
              finishHello(`alert ${alert.name}`);
              return;
            }
            // A warning before the answer (unrecognized_name) is not the answer.
            if (alert.level === 1 && alert.description !== 0) continue;
            finish({ kind: 'alert', alert, ms: elapsed() });
            return;
          }
          case 'sslv2': {
            const parsed = parseSslv2ServerHello(event.message);
            if (parsed.ok) finish({ kind: 'sslv2', hello: parsed.value, ms: elapsed() });
            else finish({ kind: 'garbage', error: parsed.error, http: false, ms: elapsed() });
            return;
          }
          case 'handshake':
            if (!hello) {
              if (event.type === HandshakeType.HelloRequest) continue;
              if (event.type !== HandshakeType.ServerHello) {
                finish({ kind: 'garbage', error: `handshake message ${event.type} before the ServerHello`, http: false, ms: elapsed() });
                return;
              }
              const parsed = parseServerHello(event.body);
              if (!parsed.ok) {
                finish({ kind: 'garbage', error: parsed.error, http: false, ms: elapsed() });
                return;
              }
              hello = parsed.value;
              if (request.read !== 'flight' || hello.isHelloRetryRequest || hello.selectedVersion >= Version.TLSv1_3) {
                finishHello(null);
                return;
              }
              continue;
            }
            switch (event.type) {
              case HandshakeType.Certificate:
                flight.certificate = event.body;
                break;
              case HandshakeType.CertificateStatus:
                flight.certificateStatus = event.body;
                break;
              case HandshakeType.ServerKeyExchange:
                flight.serverKeyExchange = event.body;
                break;
              case HandshakeType.ServerHelloDone:
                flight.done = true;
                finishHello(null);
                return;
              default:
                break;
            }
            continue;
          default:
            // ChangeCipherSpec, application data (TLS 1.3 after its ServerHello), heartbeat.
            continue;
        }
      }
    });
    socket.on('end', () => {
      if (!finishHello('closed')) finish({ kind: 'closed', received: stream.received, ms: elapsed() });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'ERROR';
      if (finishHello(`connection error ${code}`)) return;
      if (!connected) finish({ kind: 'connect-error', code, message: error.message, ms: elapsed() });
      else finish({ kind: 'reset', received: stream.received, code, ms: elapsed() });
    });
    socket.on('close', () => {
      if (!finishHello('closed')) finish({ kind: 'closed', received: stream.received, ms: elapsed() });
    });
  });
}

/** Bounds the work running at once; queued tasks start in order. */
export class Limiter {
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('a limiter needs at least 1 slot');
  }

  get running(): number {
    return this.active;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}
