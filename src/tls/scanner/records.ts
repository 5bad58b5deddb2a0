/**
 * TLS record layer and handshake framing, both directions: records are built with
 * {@link encodeRecords}; what a server sends is cut into records and handshake messages by
 * {@link ServerStream}, which copes with messages split across records and records split across
 * TCP segments, and also reads SSLv2 records. Every length is bounded; garbage ends the stream
 * with a typed error instead of a throw.
 */
import { hexPreview, u16, u24 } from './bytes.js';

export const ContentType = {
  ChangeCipherSpec: 20,
  Alert: 21,
  Handshake: 22,
  ApplicationData: 23,
  Heartbeat: 24,
} as const;

export const HandshakeType = {
  HelloRequest: 0,
  ClientHello: 1,
  ServerHello: 2,
  NewSessionTicket: 4,
  EncryptedExtensions: 8,
  Certificate: 11,
  ServerKeyExchange: 12,
  CertificateRequest: 13,
  ServerHelloDone: 14,
  CertificateVerify: 15,
  ClientKeyExchange: 16,
  Finished: 20,
  CertificateStatus: 22,
} as const;

/** Wire versions. SSLv2 is 0x0002. */
export const Version = {
  SSLv2: 0x0002,
  SSLv3: 0x0300,
  TLSv1_0: 0x0301,
  TLSv1_1: 0x0302,
  TLSv1_2: 0x0303,
  TLSv1_3: 0x0304,
} as const;

export function versionName(version: number): string {
  switch (version) {
    case 0x0002:
      return 'SSLv2';
    case 0x0300:
      return 'SSLv3';
    case 0x0301:
      return 'TLSv1.0';
    case 0x0302:
      return 'TLSv1.1';
    case 0x0303:
      return 'TLSv1.2';
    case 0x0304:
      return 'TLSv1.3';
    default:
      return `0x${version.toString(16).padStart(4, '0')}`;
  }
}

/** RFC 8446 caps a record at 2^14 bytes of plaintext, plus 256 of expansion (2048 before 1.3). */
export const MAX_RECORD_PAYLOAD = 16384 + 2048;
/** The largest handshake message accepted from a server (certificate chains included). */
export const MAX_HANDSHAKE_MESSAGE = 1 << 20;

/** One or more records of `type` carrying `payload`, split at `maxFragment` bytes. */
export function encodeRecords(type: number, version: number, payload: Uint8Array, maxFragment = 16384): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  do {
    const fragment = payload.subarray(offset, offset + maxFragment);
    parts.push(Buffer.from([type, (version >> 8) & 0xff, version & 0xff]), u16(fragment.length), Buffer.from(fragment));
    offset += maxFragment;
  } while (offset < payload.length);
  return Buffer.concat(parts);
}

/** A handshake message: type, 3-byte length, body. */
export function encodeHandshake(type: number, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([type]), u24(body.length), Buffer.from(body)]);
}

/** An SSLv2 record with the 2-byte header (no padding). */
export function encodeSslv2Record(message: Uint8Array): Buffer {
  if (message.length > 0x7fff) throw new RangeError('SSLv2 record too long');
  return Buffer.concat([Buffer.from([0x80 | (message.length >> 8), message.length & 0xff]), Buffer.from(message)]);
}

export type StreamEvent =
  | { kind: 'handshake'; type: number; body: Buffer; recordVersion: number }
  | { kind: 'alert'; level: number; description: number }
  | { kind: 'change-cipher-spec' }
  | { kind: 'application-data'; length: number }
  | { kind: 'heartbeat'; length: number }
  | { kind: 'sslv2'; message: Buffer }
  | { kind: 'error'; error: string; http: boolean };

export interface ServerStreamOptions {
  /** Accept SSLv2 records (the answer to an SSLv2 CLIENT-HELLO). */
  sslv2?: boolean;
  maxHandshakeMessage?: number;
}

/** Whether bytes look like a plain-text protocol (HTTP answering on a TLS port, a banner). */
export function looksLikeText(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  if (/^(HTTP\/|<!DOCTYPE|<html|<HTML|SSH-|220[ -]|\+OK|\* OK)/.test(head)) return true;
  if (bytes.length < 4) return false;
  let printable = 0;
  for (const byte of bytes.subarray(0, 64)) if ((byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x0d || byte === 0x09) printable++;
  return printable / Math.min(bytes.length, 64) > 0.95;
}

function describeGarbage(bytes: Uint8Array): { error: string; http: boolean } {
  const head = Buffer.from(bytes.subarray(0, 40)).toString('latin1');
  if (/^HTTP\/\d/.test(head)) {
    const line = head.split(/\r?\n/)[0] ?? head;
    return { error: `not TLS: the server answered in plain HTTP (${JSON.stringify(line.slice(0, 40))}); is this an http:// port?`, http: true };
  }
  if (looksLikeText(bytes)) return { error: `not TLS: the server answered in plain text (${JSON.stringify(head.split(/\r?\n/)[0]!.slice(0, 40))})`, http: false };
  return { error: `not TLS: unexpected bytes from the server (${hexPreview(bytes)})`, http: false };
}

/**
 * Incremental parser of what a server sends. {@link push} returns the events completed by a chunk;
 * after an `error` event the stream is dead and returns nothing more.
 */
export class ServerStream {
  private buffer: Buffer = Buffer.alloc(0);
  private handshake: Buffer = Buffer.alloc(0);
  private handshakeVersion = 0;
  private failed = false;
  private mode: 'unknown' | 'tls' | 'sslv2' = 'unknown';
  private readonly maxMessage: number;
  /** Total bytes received. */
  received = 0;

  constructor(private readonly options: ServerStreamOptions = {}) {
    this.maxMessage = options.maxHandshakeMessage ?? MAX_HANDSHAKE_MESSAGE;
  }

  get dead(): boolean {
    return this.failed;
  }

  /** Bytes received but not yet part of a complete record or message. */
  get pending(): number {
    return this.buffer.length + this.handshake.length;
  }

  push(chunk: Uint8Array): StreamEvent[] {
    if (this.failed) return [];
    this.received += chunk.length;
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    const events: StreamEvent[] = [];
    while (!this.failed) {
      const progressed = this.mode === 'sslv2' ? this.nextSslv2(events) : this.nextRecord(events);
      if (!progressed) break;
    }
    return events;
  }

  private fail(events: StreamEvent[], error: string, http = false): false {
    this.failed = true;
    this.buffer = Buffer.alloc(0);
    this.handshake = Buffer.alloc(0);
    events.push({ kind: 'error', error, http });
    return false;
  }

  private nextRecord(events: StreamEvent[]): boolean {
    const buffer = this.buffer;
    if (buffer.length === 0) return false;
    const type = buffer[0]!;
    if (this.mode === 'unknown') {
      const tlsType = type >= ContentType.ChangeCipherSpec && type <= ContentType.Heartbeat;
      if (this.options.sslv2 && ((type & 0x80) !== 0 || (!tlsType && type < 0x40))) {
        this.mode = 'sslv2';
        return this.nextSslv2(events);
      }
      if (type < ContentType.ChangeCipherSpec || type > ContentType.Heartbeat) {
        const garbage = describeGarbage(buffer);
        return this.fail(events, garbage.error, garbage.http);
      }
    }
    if (buffer.length < 5) {
      if (type < ContentType.ChangeCipherSpec || type > ContentType.Heartbeat) return this.fail(events, `bad TLS record header (${hexPreview(buffer)})`);
      return false;
    }
    const version = (buffer[1]! << 8) | buffer[2]!;
    const length = (buffer[3]! << 8) | buffer[4]!;
    if (type < ContentType.ChangeCipherSpec || type > ContentType.Heartbeat || buffer[1] !== 3 || buffer[2]! > 4) {
      const garbage = describeGarbage(buffer);
      return this.fail(events, this.mode === 'unknown' ? garbage.error : `bad TLS record header (${hexPreview(buffer.subarray(0, 5))})`, garbage.http && this.mode === 'unknown');
    }
    if (length > MAX_RECORD_PAYLOAD) return this.fail(events, `TLS record of ${length} bytes exceeds the maximum of ${MAX_RECORD_PAYLOAD}`);
    this.mode = 'tls';
    if (buffer.length < 5 + length) return false;
    const fragment = buffer.subarray(5, 5 + length);
    this.buffer = buffer.subarray(5 + length);
    switch (type) {
      case ContentType.Handshake:
        if (length === 0) return this.fail(events, 'empty handshake record');
        this.handshake = this.handshake.length === 0 ? Buffer.from(fragment) : Buffer.concat([this.handshake, fragment]);
        this.handshakeVersion = version;
        return this.drainHandshake(events);
      case ContentType.Alert:
        if (this.handshake.length > 0) return this.fail(events, 'alert in the middle of a handshake message');
        if (length !== 2) return this.fail(events, `alert record of ${length} bytes (expected 2)`);
        events.push({ kind: 'alert', level: fragment[0]!, description: fragment[1]! });
        return true;
      case ContentType.ChangeCipherSpec:
        events.push({ kind: 'change-cipher-spec' });
        return true;
      case ContentType.ApplicationData:
        events.push({ kind: 'application-data', length });
        return true;
      default:
        events.push({ kind: 'heartbeat', length });
        return true;
    }
  }

  private drainHandshake(events: StreamEvent[]): boolean {
    while (this.handshake.length >= 4) {
      const length = (this.handshake[1]! << 16) | (this.handshake[2]! << 8) | this.handshake[3]!;
      if (length > this.maxMessage) return this.fail(events, `handshake message of ${length} bytes exceeds the maximum of ${this.maxMessage}`);
      if (this.handshake.length < 4 + length) break;
      events.push({ kind: 'handshake', type: this.handshake[0]!, body: Buffer.from(this.handshake.subarray(4, 4 + length)), recordVersion: this.handshakeVersion });
      this.handshake = this.handshake.subarray(4 + length);
    }
    return true;
  }

  private nextSslv2(events: StreamEvent[]): boolean {
    const buffer = this.buffer;
    if (buffer.length < 2) return false;
    let header: number;
    let length: number;
    if ((buffer[0]! & 0x80) !== 0) {
      header = 2;
      length = ((buffer[0]! & 0x7f) << 8) | buffer[1]!;
    } else {
      if (buffer.length < 3) return false;
      header = 3;
      length = ((buffer[0]! & 0x3f) << 8) | buffer[1]!;
    }
    if (length === 0) return this.fail(events, 'empty SSLv2 record');
    if (buffer.length < header + length) return false;
    const padding = header === 3 ? buffer[2]! : 0;
    if (padding > length) return this.fail(events, 'SSLv2 padding longer than its record');
    events.push({ kind: 'sslv2', message: Buffer.from(buffer.subarray(header, header + length - padding)) });
    this.buffer = buffer.subarray(header + length);
    return true;
  }
}
