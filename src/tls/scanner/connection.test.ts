import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientHello, buildSslv2ClientHello } from './client-hello.js';
import { describeOutcome, Limiter, type ProbeOutcome, runProbe } from './connection.js';
import { startFakeTls } from './test-support/fake-tls.js';
import { closedPort, makeCertificate, type Misbehaviour, startMisbehaving, type TempDir, tempDir, type TestCertificate } from './test-support/servers.js';

const TIMEOUT = 600;
const hello = buildClientHello({ version: 0x0303, ciphers: [0xc02f, 0x002f], groups: [0x001d], renegotiationInfo: true, statusRequest: true });

let dir: TempDir;
let certificate: TestCertificate;
beforeAll(() => {
  dir = tempDir();
  certificate = makeCertificate(dir.dir);
});
afterAll(() => dir?.remove());

async function probeMisbehaving(kind: Misbehaviour): Promise<ProbeOutcome> {
  const server = await startMisbehaving(kind, { dripMs: 100 });
  try {
    return await runProbe({ host: server.host, port: server.port, hello, timeoutMs: TIMEOUT });
  } finally {
    await server.stop();
  }
}

describe('one probe against misbehaving peers ends with a typed outcome', () => {
  it('never answers: timeout, within the limit', async () => {
    const outcome = await probeMisbehaving('silent');
    expect(outcome).toMatchObject({ kind: 'timeout', connected: true, received: 0 });
    expect(describeOutcome(outcome, TIMEOUT)).toBe(`no answer within ${TIMEOUT} ms`);
  });

  it('reset, closed, garbage, plain HTTP, slow drip', async () => {
    expect(await probeMisbehaving('reset')).toMatchObject({ kind: 'reset', code: 'ECONNRESET' });
    expect(await probeMisbehaving('close')).toMatchObject({ kind: 'closed', received: 0 });
    const garbage = await probeMisbehaving('garbage');
    expect(garbage).toMatchObject({ kind: 'garbage', http: false });
    expect(describeOutcome(garbage, TIMEOUT)).toMatch(/^not TLS: unexpected bytes from the server \(9f 3a/);
    const http = await probeMisbehaving('http');
    expect(http).toMatchObject({ kind: 'garbage', http: true });
    expect(describeOutcome(http, TIMEOUT)).toMatch(/plain HTTP .*HTTP\/1\.1 400 Bad Request/);
    const drip = await probeMisbehaving('drip');
    expect(drip).toMatchObject({ kind: 'timeout', connected: true });
    expect(drip.kind === 'timeout' && drip.received).toBeGreaterThan(0);
    expect(describeOutcome(drip, TIMEOUT)).toMatch(/bytes received and no complete answer \(a slow or stalled server\)/);
  });

  it('connection refused', async () => {
    const port = await closedPort();
    const outcome = await runProbe({ host: '127.0.0.1', port, hello, timeoutMs: TIMEOUT });
    expect(outcome).toMatchObject({ kind: 'connect-error', code: 'ECONNREFUSED' });
    expect(describeOutcome(outcome, TIMEOUT)).toMatch(/^cannot connect \(ECONNREFUSED/);
  });

  it('aborts at once', async () => {
    const server = await startMisbehaving('silent');
    try {
      const controller = new AbortController();
      const pending = runProbe({ host: server.host, port: server.port, hello, timeoutMs: 10_000, signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      expect((await pending).kind).toBe('aborted');
      const early = await runProbe({ host: server.host, port: server.port, hello, timeoutMs: 10_000, signal: AbortSignal.abort() });
      expect(early.kind).toBe('aborted');
    } finally {
      await server.stop();
    }
  });
});

describe('reading a server’s answer', () => {
  let fake: Awaited<ReturnType<typeof startFakeTls>>;
  let tiny: Awaited<ReturnType<typeof startFakeTls>>;
  let sslv2: Awaited<ReturnType<typeof startFakeTls>>;
  beforeAll(async () => {
    const policy = { versions: [0x0303], ciphers: [0xc02f], serverOrder: true, certificate: certificate.der, ocsp: Buffer.from('ocsp!') };
    fake = await startFakeTls(policy);
    tiny = await startFakeTls({ ...policy, fragment: 3 });
    sslv2 = await startFakeTls({ ...policy, sslv2Ciphers: [0x0700c0] });
  });
  afterAll(async () => {
    await Promise.all([fake?.stop(), tiny?.stop(), sslv2?.stop()]);
  });

  it('stops at the ServerHello, or reads the whole first flight', async () => {
    const short = await runProbe({ host: '127.0.0.1', port: fake.port, hello, timeoutMs: 2000 });
    expect(short.kind === 'hello' && short.hello.cipherSuite).toBe(0xc02f);
    expect(short.kind === 'hello' && short.flight.certificate).toBeNull();
    const full = await runProbe({ host: '127.0.0.1', port: fake.port, hello, timeoutMs: 2000, read: 'flight' });
    if (full.kind !== 'hello') throw new Error(full.kind);
    expect(full.flight).toMatchObject({ done: true, incomplete: null });
    expect(full.flight.certificate).not.toBeNull();
    expect(full.flight.certificateStatus).not.toBeNull();
    expect(full.flight.serverKeyExchange).not.toBeNull();
  });

  it('copes with 3-byte records written 3 bytes at a time', async () => {
    const full = await runProbe({ host: '127.0.0.1', port: tiny.port, hello, timeoutMs: 5000, read: 'flight' });
    if (full.kind !== 'hello') throw new Error(full.kind);
    expect(full.hello.cipherSuite).toBe(0xc02f);
    expect(full.flight.done).toBe(true);
    expect(full.flight.certificate?.length).toBeGreaterThan(certificate.der.length);
  });

  it('reads an SSLv2 SERVER-HELLO, and a TLS alert in answer to SSLv2', async () => {
    const v2 = buildSslv2ClientHello([0x0700c0, 0x010080]);
    const yes = await runProbe({ host: '127.0.0.1', port: sslv2.port, hello: v2, timeoutMs: 2000, sslv2: true });
    expect(yes.kind === 'sslv2' && yes.hello.ciphers).toEqual([0x0700c0]);
    const no = await runProbe({ host: '127.0.0.1', port: fake.port, hello: v2, timeoutMs: 2000, sslv2: true });
    expect(no).toMatchObject({ kind: 'alert', alert: { description: 70, name: 'protocol_version' } });
  });

  it('answers with an alert when nothing fits', async () => {
    const none = buildClientHello({ version: 0x0303, ciphers: [0x0005] });
    expect(await runProbe({ host: '127.0.0.1', port: fake.port, hello: none, timeoutMs: 2000 })).toMatchObject({ kind: 'alert', alert: { name: 'handshake_failure' } });
  });
});

describe('Limiter', () => {
  it('never runs more than its slots at once, and runs everything', async () => {
    const limiter = new Limiter(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        limiter.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, (index % 4) * 2));
          running--;
          return index;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(peak).toBe(3);
    expect(limiter.running).toBe(0);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limiter.running).toBe(0);
    expect(() => new Limiter(0)).toThrow(RangeError);
  });
});
