/**
 * Full handshakes with Node's own TLS client, for what raw probing cannot see: the handshake time,
 * the certificate chain and stapled OCSP response of TLS 1.3 (encrypted on the wire), ALPN under
 * TLS 1.3, and session resumption (which needs a completed handshake). Certificates are never
 * verified here (`rejectUnauthorized: false`, an empty trust store): judging trust is the policy's job.
 */
import { constants } from 'node:crypto';
import { connect, type ConnectionOptions, createSecureContext, type DetailedPeerCertificate, type SecureContext, type SecureVersion, type TLSSocket } from 'node:tls';

export interface NodeHandshakeRequest {
  host: string;
  port: number;
  servername: string | null;
  timeoutMs: number;
  signal?: AbortSignal;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  alpn?: string[];
  requestOcsp?: boolean;
  /** Do not offer session tickets (resumption by session id only). */
  noTicket?: boolean;
  /** Resume this session. */
  session?: Buffer;
  /** After the handshake, wait (up to this many ms) for a session to resume (TLS 1.3 sends tickets afterwards). */
  waitForSessionMs?: number;
  /**
   * End with close_notify and wait (briefly) for the server to close: OpenSSL servers drop a
   * session from their cache when the connection ends without one, so resumption needs it.
   */
  graceful?: boolean;
  /** Collect the peer's certificate chain (costs a little; only one handshake of a scan needs it). */
  chain?: boolean;
}

const contexts = new Map<string, SecureContext>();

/**
 * A client context per version range and ticket setting, made once: creating one per connection
 * costs more than the rest of the probe. No trust store (an empty `ca`): nothing is verified and
 * no root is appended to the chain the server sent.
 */
function contextFor(minVersion: SecureVersion, maxVersion: SecureVersion, noTicket: boolean): SecureContext {
  const key = `${minVersion}-${maxVersion}-${noTicket}`;
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext({ minVersion, maxVersion, ciphers: 'ALL:@SECLEVEL=0', ca: [], ...(noTicket ? { secureOptions: constants.SSL_OP_NO_TICKET } : {}) });
    contexts.set(key, context);
  }
  return context;
}

export type NodeHandshakeResult =
  | {
      ok: true;
      /** From `tls.connect` to the end of the handshake, TCP connect included. */
      ms: number;
      protocol: string | null;
      cipher: string | null;
      /** DER certificates, leaf first, as Node reports the peer chain (when asked for). */
      chain: Buffer[];
      ocspResponse: Buffer | null;
      alpn: string | null;
      session: Buffer | null;
      /** A session ticket was received. */
      ticket: boolean;
      reused: boolean;
    }
  | { ok: false; error: string };

function peerChain(socket: TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let certificate: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (certificate && certificate.raw && out.length < 20) {
    const key = certificate.fingerprint256;
    if (seen.has(key)) break;
    seen.add(key);
    out.push(certificate.raw);
    certificate = certificate.issuerCertificate;
  }
  return out;
}

export function nodeHandshake(request: NodeHandshakeRequest): Promise<NodeHandshakeResult> {
  return new Promise((resolve) => {
    if (request.signal?.aborted) {
      resolve({ ok: false, error: 'aborted' });
      return;
    }
    let settled = false;
    let ocspResponse: Buffer | null = null;
    let session: Buffer | null = null;
    const options: ConnectionOptions = {
      host: request.host,
      port: request.port,
      rejectUnauthorized: false,
      secureContext: contextFor(request.minVersion ?? 'TLSv1', request.maxVersion ?? 'TLSv1.3', request.noTicket === true),
      requestOCSP: request.requestOcsp === true,
    };
    if (request.servername) options.servername = request.servername;
    if (request.alpn) options.ALPNProtocols = request.alpn;
    if (request.session) options.session = request.session;
    const started = performance.now();
    const socket = connect(options);
    const finish = (result: NodeHandshakeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      socket.on('error', () => {});
      if (!result.ok || !request.graceful) {
        socket.destroy();
        resolve(result);
        return;
      }
      const done = () => {
        clearTimeout(closeTimer);
        socket.destroy();
        resolve(result);
      };
      const closeTimer = setTimeout(done, Math.min(250, request.timeoutMs));
      socket.once('close', done);
      socket.resume();
      socket.end();
    };
    const onAbort = () => finish({ ok: false, error: 'aborted' });
    const timer = setTimeout(() => finish({ ok: false, error: `no TLS handshake within ${request.timeoutMs} ms` }), request.timeoutMs);
    request.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('OCSPResponse', (response: Buffer) => {
      ocspResponse = response;
    });
    socket.on('session', (data: Buffer) => {
      session = data;
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      finish({ ok: false, error: `Node TLS handshake failed: ${error.message.split('\n')[0]}` });
    });
    socket.on('secureConnect', () => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const report = () => {
        const cipher = socket.getCipher();
        finish({
          ok: true,
          ms,
          protocol: socket.getProtocol(),
          cipher: cipher?.standardName ?? cipher?.name ?? null,
          chain: request.chain ? peerChain(socket) : [],
          ocspResponse,
          alpn: socket.alpnProtocol === false || socket.alpnProtocol === undefined ? null : socket.alpnProtocol,
          session: session ?? socket.getSession() ?? null,
          ticket: socket.getTLSTicket() !== undefined,
          reused: socket.isSessionReused(),
        });
      };
      const wait = request.waitForSessionMs ?? 0;
      if (wait <= 0 || session !== null) {
        report();
        return;
      }
      // TLS 1.3 tickets come after the handshake: read until one arrives, or give up.
      // Tickets follow the handshake within a round trip or two: wait a few handshake times.
      const waitTimer = setTimeout(report, Math.min(wait, request.timeoutMs, Math.max(250, 4 * ms)));
      socket.once('session', () => {
        clearTimeout(waitTimer);
        report();
      });
      socket.resume();
    });
  });
}
