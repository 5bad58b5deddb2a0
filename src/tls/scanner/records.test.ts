import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, parseWith, vector } from './bytes.js';
import { ContentType, encodeHandshake, encodeRecords, encodeSslv2Record, HandshakeType, looksLikeText, MAX_RECORD_PAYLOAD, ServerStream, type StreamEvent, versionName } from './records.js';

/** Feeds `bytes` to a fresh stream in the given chunk sizes (cycled). */
function feed(bytes: Buffer, sizes: number[], options: ConstructorParameters<typeof ServerStream>[0] = {}): StreamEvent[] {
  const stream = new ServerStream(options);
  const events: StreamEvent[] = [];
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    events.push(...stream.push(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  return events;
}

const handshakes = (events: StreamEvent[]) => events.filter((event) => event.kind === 'handshake');

describe('bounded reader', () => {
  it('reads integers and vectors, and refuses to run past the end', () => {
    const reader = new ByteReader(Buffer.from([1, 0, 2, 0, 0, 3, 2, 0xaa, 0xbb]));
    expect(reader.u8()).toBe(1);
    expect(reader.u16()).toBe(2);
    expect(reader.u24()).toBe(3);
    expect([...reader.vector(1)]).toEqual([0xaa, 0xbb]);
    expect(reader.remaining).toBe(0);
    expect(() => reader.u8('tail')).toThrow(/truncated tail/);
    expect(parseWith(() => new ByteReader(Buffer.from([5, 1])).vector(1, 'names'))).toEqual({ ok: false, error: expect.stringMatching(/truncated names/) });
  });

  it('builds vectors it can read back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(1 as const, 2 as const, 3 as const), (payload, width) => {
        if (width === 1 && payload.length > 255) return;
        const reader = new ByteReader(vector(width, payload));
        expect(Buffer.from(reader.vector(width)).equals(Buffer.from(payload))).toBe(true);
        reader.finish();
      }),
    );
  });
});

describe('records', () => {
  it('names versions', () => {
    expect([0x0002, 0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x7f1c].map(versionName)).toEqual(['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3', '0x7f1c']);
  });

  it('splits long payloads into records of at most the fragment size', () => {
    const payload = Buffer.alloc(40_000, 7);
    const bytes = encodeRecords(ContentType.Handshake, 0x0303, payload);
    expect(bytes.length).toBe(40_000 + 3 * 5);
    expect(bytes.readUInt16BE(3)).toBe(16384);
    expect(encodeRecords(ContentType.Alert, 0x0301, Buffer.alloc(0)).length).toBe(5);
  });

  it('reassembles handshake messages across records and TCP segments, whatever the split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 3000 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 700 }),
        fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 8 }),
        (bodies, fragment, sizes) => {
          const messages = Buffer.concat(bodies.map((body, index) => encodeHandshake(index + 1, body)));
          const events = feed(encodeRecords(ContentType.Handshake, 0x0303, messages, fragment), sizes);
          const got = handshakes(events);
          expect(got).toHaveLength(bodies.length);
          got.forEach((event, index) => {
            if (event.kind !== 'handshake') throw new Error('unreachable');
            expect(event.type).toBe(index + 1);
            expect(event.body.equals(Buffer.from(bodies[index]!))).toBe(true);
          });
          expect(events.some((event) => event.kind === 'error')).toBe(false);
        },
      ),
    );
  });

  it('reports alerts, change-cipher-spec and encrypted data', () => {
    const bytes = Buffer.concat([
      encodeRecords(ContentType.Handshake, 0x0303, encodeHandshake(HandshakeType.ServerHello, Buffer.alloc(10))),
      encodeRecords(ContentType.ChangeCipherSpec, 0x0303, Buffer.from([1])),
      encodeRecords(ContentType.ApplicationData, 0x0303, Buffer.alloc(50)),
      encodeRecords(ContentType.Alert, 0x0303, Buffer.from([2, 40])),
    ]);
    expect(feed(bytes, [3]).map((event) => event.kind)).toEqual(['handshake', 'change-cipher-spec', 'application-data', 'alert']);
    expect(feed(bytes, [1000]).at(-1)).toEqual({ kind: 'alert', level: 2, description: 40 });
  });

  it('recognises plain HTTP and other garbage instead of waiting', () => {
    const http = feed(Buffer.from('HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n\r\n'), [100]);
    expect(http).toEqual([{ kind: 'error', error: expect.stringMatching(/plain HTTP \("HTTP\/1\.1 400 Bad Request"\)/), http: true }]);
    const ssh = feed(Buffer.from('SSH-2.0-OpenSSH_9.2\r\n'), [100]);
    expect(ssh[0]).toMatchObject({ kind: 'error', error: expect.stringMatching(/plain text/), http: false });
    const binary = feed(Buffer.from([0x9f, 0x3a, 0x0c, 0x7e, 0x11]), [5]);
    expect(binary[0]).toMatchObject({ kind: 'error', error: expect.stringMatching(/unexpected bytes from the server \(9f 3a 0c 7e 11\)/) });
    expect(looksLikeText(Buffer.from('hello world, this is text'))).toBe(true);
    expect(looksLikeText(Buffer.from([0x16, 3, 3, 0, 5]))).toBe(false);
  });

  it('bounds record and message sizes', () => {
    const huge = Buffer.from([0x16, 0x03, 0x03, 0xff, 0xff]);
    expect(feed(huge, [5])[0]).toMatchObject({ kind: 'error', error: expect.stringMatching(`exceeds the maximum of ${MAX_RECORD_PAYLOAD}`) });
    const bigMessage = encodeRecords(ContentType.Handshake, 0x0303, Buffer.from([11, 0x7f, 0xff, 0xff]));
    expect(feed(bigMessage, [9], { maxHandshakeMessage: 1000 })[0]).toMatchObject({ kind: 'error', error: expect.stringMatching(/exceeds the maximum of 1000/) });
    const badVersion = Buffer.from([0x16, 0x07, 0x01, 0x00, 0x01, 0x00]);
    expect(feed(badVersion, [6])[0]).toMatchObject({ kind: 'error' });
  });

  it('stops after an error and ignores what follows', () => {
    const stream = new ServerStream();
    expect(stream.push(Buffer.from('garbage!'))[0]?.kind).toBe('error');
    expect(stream.dead).toBe(true);
    expect(stream.push(encodeRecords(ContentType.Alert, 0x0303, Buffer.from([2, 40])))).toEqual([]);
  });

  it('reads SSLv2 records with 2- and 3-byte headers', () => {
    const message = Buffer.from([4, 0, 1, 0, 2, 0, 0, 0, 3, 0, 0, 0x07, 0x00, 0xc0]);
    expect(feed(encodeSslv2Record(message), [1], { sslv2: true })).toEqual([{ kind: 'sslv2', message }]);
    const threeByte = Buffer.concat([Buffer.from([0x00, message.length + 2, 2]), message, Buffer.from([0, 0])]);
    expect(feed(threeByte, [4], { sslv2: true })).toEqual([{ kind: 'sslv2', message }]);
    // A TLS alert in answer to an SSLv2 hello is still read as TLS.
    expect(feed(encodeRecords(ContentType.Alert, 0x0301, Buffer.from([2, 70])), [2], { sslv2: true })[0]).toMatchObject({ kind: 'alert', description: 70 });
  });

  it('never throws on random bytes, in any split', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }), fc.boolean(), (bytes, sizes, sslv2) => {
        const events = feed(Buffer.from(bytes), sizes, { sslv2 });
        const errors = events.filter((event) => event.kind === 'error');
        expect(errors.length).toBeLessThanOrEqual(1);
        if (errors.length === 1) expect(events.at(-1)?.kind).toBe('error');
      }),
    );
  });
});
