import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { follow, type GetOptions, type Outcome, request } from './client.js';
import { closedPort, makeCert, type Running, startHttp, startHttps, startRaw, type TestCert } from './test-support/servers.js';

let cert: TestCert;
const servers: Running[] = [];
const track = async (running: Promise<Running>): Promise<Running> => {
  const r = await running;
  servers.push(r);
  return r;
};

beforeAll(() => {
  cert = makeCert();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  cert.remove();
});

const options = (extra: Partial<GetOptions> = {}): GetOptions => ({
  timeoutMs: 5000,
  maxBodyBytes: 1024 * 1024,
  keepBody: true,
  signal: new AbortController().signal,
  userAgent: 'prodeng-test',
  ...extra,
});

function response(outcome: Outcome) {
  if (outcome.kind !== 'response') throw new Error(`expected a response, got ${outcome.error}: ${outcome.message}`);
  return outcome;
}

describe('request', () => {
  it('measures an HTTPS request phase by phase and records that a self-signed certificate does not verify', async () => {
    const server = await track(startHttps(cert, (_req, res) => res.end('<html>hi</html>')));
    const outcome = response(await request(new URL(`${server.origin}/`), options()));
    expect(outcome.status).toBe(200);
    expect(outcome.body).toBe('<html>hi</html>');
    expect(outcome.tls).toMatchObject({ verified: false });
    expect(outcome.tls?.error).toBeTruthy();
    const t = outcome.timings;
    expect(t.connectMs).not.toBeNull();
    expect(t.tlsMs).not.toBeNull();
    expect(t.ttfbMs).not.toBeNull();
    expect(t.connectMs!).toBeLessThanOrEqual(t.tlsMs!);
    expect(t.tlsMs!).toBeLessThanOrEqual(t.ttfbMs!);
    expect(t.ttfbMs!).toBeLessThanOrEqual(t.totalMs);
  });

  it('verifies the certificate against extra roots, including the host name', async () => {
    const server = await track(startHttps(cert, (_req, res) => res.end('ok')));
    const ca = [...rootCertificates, cert.cert];
    expect(response(await request(new URL(`${server.origin}/`), options({ ca }))).tls).toMatchObject({ verified: true, error: null });
    // The certificate names localhost and 127.0.0.1, not this SNI name.
    const other = response(await request(new URL(`${server.origin}/`), options({ ca, sni: 'shop.example' })));
    expect(other.tls?.verified).toBe(false);
  });

  it('sends the SNI name as Host', async () => {
    let host: string | undefined;
    const server = await track(
      startHttps(cert, (req, res) => {
        host = req.headers.host;
        res.end();
      }),
    );
    await request(new URL(`${server.origin}/x`), options({ sni: 'shop.example' }));
    expect(host).toBe(`shop.example:${server.port}`);
  });

  it('reads at most maxBodyBytes of a huge body', async () => {
    const server = await track(
      startHttp((_req, res) => {
        res.on('error', () => undefined);
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = (): void => {
          while (sent < 200 && res.write(chunk)) sent++;
          if (sent < 200) res.once('drain', pump);
          else res.end();
        };
        pump();
      }),
    );
    const outcome = response(await request(new URL(`${server.origin}/`), options({ maxBodyBytes: 100_000 })));
    expect(outcome.truncated).toBe(true);
    expect(outcome.bodyBytes).toBe(100_000);
    expect(outcome.body?.length).toBe(100_000);
    expect(outcome.bodyError).toBeNull();
  });

  it('reports a server that never answers as a timeout', async () => {
    const server = await track(startRaw(() => undefined));
    const outcome = await request(new URL(`${server.origin}/`), options({ timeoutMs: 200 }));
    expect(outcome).toMatchObject({ kind: 'error', error: 'timeout', code: 'ETIMEDOUT' });
  });

  it('reports a body that stalls as a response with a timed-out body', async () => {
    const server = await track(
      startHttp((_req, res) => {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
      }),
    );
    const outcome = response(await request(new URL(`${server.origin}/`), options({ timeoutMs: 1000 })));
    expect(outcome.bodyError).toBe('timeout');
  });

  it('reports a reset, a garbage answer and a refused connection', async () => {
    const reset = await track(startRaw((socket) => socket.once('data', () => socket.resetAndDestroy())));
    const garbage = await track(startRaw((socket) => socket.once('data', () => socket.end('this is not HTTP at all\r\n\r\n'))));
    const port = await closedPort();
    expect(await request(new URL(`${reset.origin}/`), options())).toMatchObject({ kind: 'error', error: 'reset' });
    expect(await request(new URL(`${garbage.origin}/`), options())).toMatchObject({ kind: 'error', error: 'protocol' });
    expect(await request(new URL(`http://127.0.0.1:${port}/`), options())).toMatchObject({ kind: 'error', error: 'refused' });
  });

  it('rejects when the signal aborts', async () => {
    const server = await track(startRaw(() => undefined));
    const controller = new AbortController();
    const pending = request(new URL(`${server.origin}/`), options({ signal: controller.signal }));
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});

describe('follow', () => {
  it('follows redirects on the same host, and stops at another host without contacting it', async () => {
    let offHostAsked = false;
    const target = await track(startHttp((_req, res) => res.end('final')));
    const offHost = await track(
      startHttp((_req, res) => {
        offHostAsked = true;
        res.end();
      }),
    );
    const start = await track(
      startHttp((req, res) => {
        if (req.url === '/a') res.writeHead(301, { location: '/b', 'set-cookie': 'hop=1' }).end();
        else if (req.url === '/b') res.writeHead(302, { location: `${target.origin}/c` }).end();
        else res.writeHead(302, { location: `http://localhost:${offHost.port}/` }).end();
      }),
    );
    const chain = await follow(new URL(`${start.origin}/a`), 5, options());
    expect(chain.stop).toBeNull();
    expect(chain.hops.map((hop) => hop.status)).toEqual([301, 302]);
    expect(chain.hops[0]?.setCookies).toEqual(['hop=1']);
    expect(chain.finalUrl).toBe(`${target.origin}/c`);
    expect(response(chain.final).body).toBe('final');

    const off = await follow(new URL(`${start.origin}/elsewhere`), 5, options());
    expect(off.stop).toEqual({ reason: 'off-host', location: `http://localhost:${offHost.port}/` });
    expect(offHostAsked).toBe(false);
  });

  it('gives up on a redirect loop after maxRedirects', async () => {
    let asked = 0;
    const loop = await track(
      startHttp((_req, res) => {
        asked++;
        res.writeHead(302, { location: '/again' }).end();
      }),
    );
    const chain = await follow(new URL(`${loop.origin}/`), 5, options());
    expect(chain.stop?.reason).toBe('too-many-redirects');
    expect(asked).toBe(6);
  });

  it('follows a redirect to the SNI name to the configured address', async () => {
    const server = await track(
      startHttp((req, res) => {
        if (req.url === '/') res.writeHead(301, { location: `http://shop.example:${server.port}/home` }).end();
        else res.end(`host ${req.headers.host}`);
      }),
    );
    const chain = await follow(new URL(`${server.origin}/`), 5, options({ sni: 'shop.example' }));
    expect(chain.stop).toBeNull();
    expect(response(chain.final).body).toBe(`host shop.example:${server.port}`);
  });
});
