/**
 * Real servers on 127.0.0.1 for the http probe's tests, and a certificate made for them with the
 * `openssl` command (self-signed, valid for localhost and 127.0.0.1).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  key: string;
  cert: string;
  /** Path of the certificate, for the probe's caFile option. */
  certPath: string;
  dir: string;
  remove(): void;
}

export function makeCert(): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'prodeng-http-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', keyPath, '-out', certPath, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Running {
  port: number;
  /** `http(s)://127.0.0.1:port` */
  origin: string;
  close(): Promise<void>;
}

async function listen(server: Server | NetServer, scheme: string, sockets: Set<Socket>): Promise<Running> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    origin: `${scheme}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function startHttps(cert: TestCert, handler: RequestListener): Promise<Running> {
  const server = createHttpsServer({ key: cert.key, cert: cert.cert }, handler);
  const sockets = new Set<Socket>();
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return listen(server, 'https', sockets);
}

export function startHttp(handler: RequestListener): Promise<Running> {
  return listen(createHttpServer(handler), 'http', new Set());
}

/** A TCP server that does whatever `onConnection` does with the raw socket (garbage, reset, silence). */
export function startRaw(onConnection: (socket: Socket) => void): Promise<Running> {
  const server = createNetServer((socket) => {
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  return listen(server, 'http', new Set());
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const running = await startRaw((socket) => socket.destroy());
  await running.close();
  return running.port;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;
