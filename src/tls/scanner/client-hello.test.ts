import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildClientHello,
  buildClientHelloBody,
  buildSslv2ClientHello,
  type ClientHelloOptions,
  ExtensionType,
  keyShareFor,
  keyShareLength,
  parseClientHello,
  parseSslv2ClientHello,
  SCSV,
  SIGNATURE_ALGORITHMS,
} from './client-hello.js';
import { ContentType, HandshakeType, ServerStream } from './records.js';

/** The ClientHello body inside the records `buildClientHello` made. */
function bodyOf(records: Buffer): Buffer {
  const events = new ServerStream().push(records);
  const hello = events.find((event) => event.kind === 'handshake');
  if (!hello || hello.kind !== 'handshake' || hello.type !== HandshakeType.ClientHello) throw new Error('no ClientHello');
  return hello.body;
}

describe('ClientHello', () => {
  it('carries everything a TLS 1.3 probe offers, and reads back', () => {
    const records = buildClientHello({
      version: 0x0303,
      ciphers: [0x1301, 0x1302, 0x1303],
      serverName: 'example.com',
      groups: [0x001d, 0x0017, 0x11ec],
      signatureAlgorithms: SIGNATURE_ALGORITHMS,
      supportedVersions: [0x0304],
      keyShares: [0x001d, 0x11ec],
      alpn: ['h2', 'http/1.1'],
      statusRequest: true,
      sessionTicket: true,
      renegotiationInfo: true,
      sessionId: Buffer.alloc(32, 1),
    });
    expect(records[0]).toBe(ContentType.Handshake);
    expect(records.readUInt16BE(1)).toBe(0x0301); // record version capped at TLS 1.0
    const parsed = parseClientHello(bodyOf(records));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value).toMatchObject({
      version: 0x0303,
      ciphers: [0x1301, 0x1302, 0x1303],
      serverName: 'example.com',
      groups: [0x001d, 0x0017, 0x11ec],
      supportedVersions: [0x0304],
      keyShares: [0x001d, 0x11ec],
      alpn: ['h2', 'http/1.1'],
      statusRequest: true,
      sessionTicket: true,
      renegotiationInfo: true,
      compression: [0],
    });
    expect(parsed.value.signatureAlgorithms).toEqual(SIGNATURE_ALGORITHMS);
  });

  it('sends no SNI for IP addresses and no extensions at all for a pure SSLv3 hello', () => {
    const ip = parseClientHello(buildClientHelloBody({ version: 0x0303, ciphers: [0x002f], serverName: '127.0.0.1' }));
    expect(ip.ok && ip.value.serverName).toBeNull();
    const body = buildClientHelloBody({ version: 0x0300, ciphers: [0x000a, SCSV.EmptyRenegotiationInfo], noExtensions: true, compression: [1, 0], serverName: 'x' });
    expect(body.length).toBe(2 + 32 + 1 + 2 + 4 + 1 + 2);
    const parsed = parseClientHello(body);
    expect(parsed.ok && parsed.value).toMatchObject({ version: 0x0300, extensions: [], renegotiationInfo: true, compression: [1, 0] });
    expect(buildClientHello({ version: 0x0300, recordVersion: 0x0300, ciphers: [0x000a], noExtensions: true }).readUInt16BE(1)).toBe(0x0300);
  });

  it('pads hellos out of the 256–511 byte range', () => {
    for (let count = 60; count < 260; count += 7) {
      const length = buildClientHelloBody({ version: 0x0303, ciphers: Array.from({ length: count }, (_, i) => i + 1), padding: true }).length + 4;
      expect(length < 256 || length >= 512, `${count} suites: ${length} bytes`).toBe(true);
    }
  });

  it('round-trips any option set', () => {
    const options = fc.record({
      version: fc.constantFrom(0x0300, 0x0301, 0x0302, 0x0303),
      ciphers: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 400 }),
      compression: fc.constantFrom([0], [1, 0]),
      serverName: fc.option(fc.domain(), { nil: undefined }),
      groups: fc.array(fc.constantFrom(0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x11ec, 0x0201), { maxLength: 8 }),
      keyShares: fc.option(fc.uniqueArray(fc.constantFrom(0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0104, 0x11ec, 0x11eb, 0x11ed, 0x0200, 0x0202)), { nil: undefined }),
      alpn: fc.array(fc.constantFrom('h2', 'http/1.1', 'acme-tls/1'), { maxLength: 3 }),
      statusRequest: fc.boolean(),
      sessionTicket: fc.boolean(),
      renegotiationInfo: fc.boolean(),
      padding: fc.boolean(),
    });
    fc.assert(
      fc.property(options, (raw) => {
        const opts: ClientHelloOptions = raw;
        const parsed = parseClientHello(bodyOf(buildClientHello(opts)));
        if (!parsed.ok) throw new Error(parsed.error);
        expect(parsed.value.version).toBe(opts.version);
        expect(parsed.value.ciphers).toEqual(opts.ciphers);
        expect(parsed.value.serverName).toBe(opts.serverName ?? null);
        expect(parsed.value.groups).toEqual(opts.groups);
        expect(parsed.value.keyShares).toEqual(opts.keyShares ?? null);
        expect(parsed.value.alpn).toEqual(opts.alpn);
        expect(parsed.value.statusRequest).toBe(opts.statusRequest);
        expect(parsed.value.sessionTicket).toBe(opts.sessionTicket);
      }),
      { numRuns: 150 },
    );
  });

  it('makes key shares of the right length for every group with one', () => {
    for (const group of [0x0017, 0x0018, 0x0019, 0x001a, 0x001b, 0x001c, 0x001d, 0x001e, 0x001f, 0x0020, 0x0021, 0x0029, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104, 0x0200, 0x0201, 0x0202, 0x11eb, 0x11ec, 0x11ed, 0x11ee, 0x6399]) {
      const share = keyShareFor(group);
      expect(share?.length, `group 0x${group.toString(16)}`).toBe(keyShareLength(group));
    }
    expect(keyShareFor(0x0017)![0]).toBe(4); // an uncompressed point
    expect(keyShareFor(0x0001)).toBeNull();
    // ML-KEM-768 keys are well formed: every 12-bit coefficient below q.
    const key = keyShareFor(0x0201)!;
    for (let i = 0; i < 384 * 3; i += 3) {
      const a = key[i]! | ((key[i + 1]! & 0x0f) << 8);
      const b = (key[i + 1]! >> 4) | (key[i + 2]! << 4);
      expect(a < 3329 && b < 3329).toBe(true);
    }
  });

  it('refuses malformed hellos with a reason, never a throw', () => {
    const good = buildClientHelloBody({ version: 0x0303, ciphers: [0x1301], groups: [0x001d], keyShares: [0x001d], alpn: ['h2'] });
    for (let cut = 0; cut < good.length; cut++) {
      const parsed = parseClientHello(good.subarray(0, cut));
      // Cut right after the compression methods: a valid hello without extensions.
      if (cut !== 2 + 32 + 1 + 2 + 2 + 2) expect(parsed.ok, `cut at ${cut}`).toBe(false);
    }
    expect(parseClientHello(good).ok).toBe(true);
    expect(parseClientHello(Buffer.concat([good, Buffer.from([0])])).ok).toBe(false);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const parsed = parseClientHello(bytes);
        expect(typeof parsed.ok).toBe('boolean');
      }),
    );
  });

  it('rejects an extension sent twice', () => {
    const body = buildClientHelloBody({ version: 0x0303, ciphers: [0x1301], extra: [[ExtensionType.Heartbeat, Buffer.from([1])], [ExtensionType.Heartbeat, Buffer.from([1])]] });
    expect(parseClientHello(body)).toEqual({ ok: false, error: expect.stringMatching(/extension 15 twice/) });
  });
});

describe('SSLv2 CLIENT-HELLO', () => {
  it('round-trips cipher specs and the challenge', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffff }), { minLength: 1, maxLength: 50 }), fc.uint8Array({ minLength: 16, maxLength: 32 }), (ciphers, challenge) => {
        const record = buildSslv2ClientHello(ciphers, challenge);
        expect(record[0]! & 0x80).toBe(0x80);
        const events = new ServerStream({ sslv2: true }).push(record);
        const message = events[0];
        if (!message || message.kind !== 'sslv2') throw new Error('no SSLv2 record');
        const parsed = parseSslv2ClientHello(message.message);
        if (!parsed.ok) throw new Error(parsed.error);
        expect(parsed.value).toEqual({ version: 2, ciphers, challenge: Buffer.from(challenge) });
      }),
    );
    expect(parseSslv2ClientHello(Buffer.from([1, 0, 2, 0, 4, 0, 0, 0, 16])).ok).toBe(false);
  });
});
