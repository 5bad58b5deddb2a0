/**
 * Real and misbehaving servers on 127.0.0.1 for the scanner's tests and benchmark: Node TLS
 * servers, `openssl s_server`, nginx (foreground, everything in a temp dir), and peers that never
 * answer, reset, send garbage, speak plain HTTP or drip bytes. Certificates are made with the
 * `openssl` command. Also runs `sslscan --xml=-` and reads its results, to compare with. Self-
 * contained (node: imports only) so that `node bench/tls/bench.ts` can import it directly.
 *
 * A missing tool is an error telling what to install — never a silent skip: CI installs them.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';

const PACKAGES: Record<string, string> = { openssl: 'openssl', nginx: 'nginx', sslscan: 'sslscan', testssl: 'testssl.sh' };

/** The tool's path (PATH, then the sbin folders nginx lives in); throws telling how to install it when it is missing. */
export function requireTool(name: 'openssl' | 'nginx' | 'sslscan' | 'testssl'): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} is not installed, and the TLS scanner tests need it: apt-get install -y ${PACKAGES[name]} (CI installs it in .ci/run)`);
}

export interface TempDir {
  dir: string;
  remove(): void;
}

export function tempDir(prefix = 'prodeng-tls-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestCertificate {
  certFile: string;
  keyFile: string;
  certPem: string;
  keyPem: string;
  /** The certificate in DER. */
  der: Buffer;
}

export interface CertificateRequest {
  name?: string;
  /** `rsa:2048` (default), `rsa:1024`, `ec:prime256v1`, `ec:secp384r1`, `ed25519`. */
  key?: string;
  days?: number;
  san?: string[];
  /** Sign with this CA instead of self-signing. */
  ca?: TestCertificate;
}

function openssl(args: string[], cwd: string): string {
  const result = spawnSync(requireTool('openssl'), args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

let serial = 0;

/** A certificate and key made with `openssl req` (self-signed, or signed by `ca`). */
export function makeCertificate(dir: string, request: CertificateRequest = {}): TestCertificate {
  const name = request.name ?? 'localhost';
  const base = `cert-${process.pid}-${++serial}`;
  const keyFile = join(dir, `${base}.key`);
  const certFile = join(dir, `${base}.pem`);
  const key = request.key ?? 'rsa:2048';
  const keyArgs = key.startsWith('ec:')
    ? ['-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${key.slice(3)}`]
    : key === 'ed25519'
      ? ['-newkey', 'ed25519']
      : ['-newkey', key];
  const san = `subjectAltName=${(request.san ?? [`DNS:${name}`, 'IP:127.0.0.1']).join(',')}`;
  const days = String(request.days ?? 30);
  if (request.ca) {
    const csr = join(dir, `${base}.csr`);
    openssl(['req', '-new', ...keyArgs, '-nodes', '-keyout', keyFile, '-out', csr, '-subj', `/CN=${name}`], dir);
    const ext = join(dir, `${base}.ext`);
    writeFileSync(ext, `${san}\nbasicConstraints=CA:FALSE\n`);
    openssl(['x509', '-req', '-in', csr, '-CA', request.ca.certFile, '-CAkey', request.ca.keyFile, '-CAcreateserial', '-out', certFile, '-days', days, '-extfile', ext], dir);
  } else {
    openssl(['req', '-x509', ...keyArgs, '-nodes', '-keyout', keyFile, '-out', certFile, '-days', days, '-subj', `/CN=${name}`, '-addext', san], dir);
  }
  const certPem = readFileSync(certFile, 'utf8');
  const der = Buffer.from(certPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return { certFile, keyFile, certPem, keyPem: readFileSync(keyFile, 'utf8'), der };
}

/** DH parameters: RFC 7919 `ffdhe2048`… or RFC 5114's 1024-bit `rfc5114-1024` (instant, unlike `openssl dhparam`). */
export function makeDhParams(dir: string, group = 'ffdhe2048'): string {
  const file = join(dir, `dh-${group}.pem`);
  const option = group === 'rfc5114-1024' ? 'dh_rfc5114:1' : `group:${group}`;
  openssl(['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', option, '-out', file], dir);
  return file;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Waits until something accepts TCP connections on the port (bounded: at most `timeoutMs`). */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 10_000, alive: () => string | null = () => null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const dead = alive();
    if (dead) throw new Error(dead);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host, port });
      const done = (value: boolean) => {
        socket.destroy();
        resolve(value);
      };
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
      socket.setTimeout(500, () => done(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(50 + attempt * 10, 200)));
  }
  throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
}

export interface RunningServer {
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** A Node TLS server answering every connection with `HTTP/1.1 200` once it sees data. */
export async function startNodeTls(options: TlsOptions, host = '127.0.0.1', port = 0): Promise<RunningServer & { server: Server }> {
  const sockets = new Set<Socket>();
  const server = createTlsServer(options, (socket) => {
    socket.on('error', () => {});
    socket.on('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    server,
    host,
    port: (server.address() as { port: number }).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function stopChild(child: ChildProcess, timeoutMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

function exitMessage(child: ChildProcess, what: string, output: () => string): string | null {
  if (child.exitCode === null && child.signalCode === null) return null;
  return `${what} exited (${child.exitCode ?? child.signalCode}): ${output().slice(-2000)}`;
}

/**
 * `openssl s_server` on 127.0.0.1 with the certificate, `-www` (so it never reads stdin) and
 * `args` (`-cipher`, `-min_protocol`, `-dhparam`…).
 */
export async function startOpensslServer(certificate: TestCertificate, args: string[] = []): Promise<RunningServer & { output(): string }> {
  const port = await freePort();
  let output = '';
  const child = spawn(requireTool('openssl'), ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', certificate.certFile, '-key', certificate.keyFile, '-www', '-quiet', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  try {
    await waitForPort(port, '127.0.0.1', 10_000, () => exitMessage(child, 'openssl s_server', () => output));
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { host: '127.0.0.1', port, output: () => output, stop: () => stopChild(child) };
}

export type NginxProfile = 'intermediate' | 'old' | 'modern';

/** Mozilla's server-side TLS guidelines (5.8 / 6.0) as nginx 1.22 with OpenSSL 3.0 can express them. */
export const NGINX_PROFILES: Record<NginxProfile, string> = {
  modern: `ssl_protocols TLSv1.3;
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
    ssl_prefer_server_ciphers off;`,
  intermediate: `ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305;
    ssl_prefer_server_ciphers off;`,
  old: `ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA:DES-CBC3-SHA:@SECLEVEL=0;
    ssl_prefer_server_ciphers on;`,
};

/**
 * nginx in the foreground (`daemon off;`, one process), config, pid and logs in a temp dir,
 * listening on 127.0.0.1 at a free port with a Mozilla profile.
 */
export async function startNginx(certificate: TestCertificate, profile: NginxProfile, options: { dhparam?: string; extra?: string } = {}): Promise<RunningServer & { dir: string; errorLog(): string }> {
  const nginx = requireTool('nginx');
  const work = tempDir('prodeng-nginx-');
  const dir = work.dir;
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port} ssl http2;
    ssl_certificate ${certificate.certFile};
    ssl_certificate_key ${certificate.keyFile};
    ssl_session_timeout 1d;
    ssl_session_cache shared:MozSSL:1m;
    ${options.dhparam ? `ssl_dhparam ${options.dhparam};` : ''}
    ${NGINX_PROFILES[profile]}
    ${options.extra ?? ''}
    location / { return 200 "ok\\n"; }
  }
}
`,
  );
  let output = '';
  const child = spawn(nginx, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const errorLog = () => {
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  try {
    await waitForPort(port, '127.0.0.1', 10_000, () => exitMessage(child, 'nginx', () => output + errorLog()));
  } catch (error) {
    await stopChild(child);
    work.remove();
    throw error;
  }
  return {
    host: '127.0.0.1',
    port,
    dir,
    errorLog,
    stop: async () => {
      await stopChild(child);
      work.remove();
    },
  };
}

export type Misbehaviour = 'silent' | 'reset' | 'close' | 'garbage' | 'http' | 'drip';

/**
 * A TCP server that misbehaves on every connection: `silent` never answers, `reset` resets once
 * the hello arrives, `close` closes without a word, `garbage` sends random bytes, `http` answers
 * like a plain HTTP server, `drip` sends the start of a valid TLS answer one byte every
 * `dripMs` (default 200 ms).
 */
export async function startMisbehaving(kind: Misbehaviour, options: { dripMs?: number; host?: string } = {}): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('data', () => {
      switch (kind) {
        case 'silent':
          return;
        case 'reset':
          socket.resetAndDestroy();
          return;
        case 'close':
          socket.end();
          return;
        case 'garbage':
          socket.write(Buffer.from('9f3a0c7e11d2b4e8a5c6f70812345678deadbeef00ff10', 'hex'));
          return;
        case 'http':
          socket.end('HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: 22\r\n\r\nThis is plain HTTP!!\r\n');
          return;
        case 'drip': {
          // A ServerHello record header announcing 80 bytes, then its body, byte by byte.
          const bytes = Buffer.concat([Buffer.from([0x16, 0x03, 0x03, 0x00, 0x50, 0x02, 0x00, 0x00, 0x4c, 0x03, 0x03]), Buffer.alloc(74, 0x11)]);
          let index = 0;
          const timer = setInterval(() => {
            if (index >= bytes.length || socket.destroyed) {
              clearInterval(timer);
              timers.delete(timer);
              return;
            }
            socket.write(bytes.subarray(index, index + 1));
            index++;
          }, options.dripMs ?? 200);
          timers.add(timer);
          return;
        }
      }
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return {
    host,
    port: (server.address() as { port: number }).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port with nothing listening on it (connection refused). */
export async function closedPort(): Promise<number> {
  return freePort();
}

// ---------------------------------------------------------------------------------------------
// sslscan, to compare with.

export interface SslscanResult {
  /** `TLSv1.0`… as the scanner names them. */
  protocols: Record<string, boolean>;
  /** Per protocol, accepted suites as numbers. */
  ciphers: Record<string, number[]>;
  /** Per protocol, the suite sslscan marks preferred. */
  preferred: Record<string, number>;
  /** Per protocol, named groups as numbers. */
  groups: Record<string, number[]>;
  certificate: { signatureAlgorithm: string | null; keyType: string | null; keyBits: number | null; subject: string | null; selfSigned: boolean | null };
  ms: number;
  xml: string;
}

const PROTOCOL_NAMES: Record<string, string> = { 'ssl2': 'SSLv2', 'ssl3': 'SSLv3', 'tls1.0': 'TLSv1.0', 'tls1.1': 'TLSv1.1', 'tls1.2': 'TLSv1.2', 'tls1.3': 'TLSv1.3' };

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of tag.matchAll(/([\w-]+)="([^"]*)"/g)) out[match[1]!] = match[2]!;
  return out;
}

/** sslscan names TLS 1.0 `TLSv1.0` in ciphers and `tls`/`1.0` in protocols; SSLv3 `SSLv3`. */
function protocolName(version: string): string {
  return version === 'TLSv1' ? 'TLSv1.0' : version;
}

export function parseSslscanXml(xml: string, ms = 0): SslscanResult {
  const result: SslscanResult = { protocols: {}, ciphers: {}, preferred: {}, groups: {}, certificate: { signatureAlgorithm: null, keyType: null, keyBits: null, subject: null, selfSigned: null }, ms, xml };
  for (const match of xml.matchAll(/<protocol [^>]*\/>/g)) {
    const { type, version, enabled } = attributes(match[0]);
    const name = PROTOCOL_NAMES[`${type}${version}`];
    if (name) result.protocols[name] = enabled === '1';
  }
  for (const match of xml.matchAll(/<cipher [^>]*\/>/g)) {
    const { status, sslversion, id } = attributes(match[0]);
    if (!sslversion || !id) continue;
    const name = protocolName(sslversion);
    const value = Number.parseInt(id, 16);
    (result.ciphers[name] ??= []).push(value);
    if (status === 'preferred') result.preferred[name] = value;
  }
  for (const match of xml.matchAll(/<group [^>]*\/>/g)) {
    const { sslversion, id } = attributes(match[0]);
    if (!sslversion || !id) continue;
    (result.groups[protocolName(sslversion)] ??= []).push(Number.parseInt(id, 16));
  }
  const text = (tag: string) => new RegExp(`<${tag}>(?:<!\\[CDATA\\[)?([^<\\]]*)(?:\\]\\]>)?</${tag}>`).exec(xml)?.[1] ?? null;
  const pk = /<pk [^>]*\/>/.exec(xml);
  const pkAttributes = pk ? attributes(pk[0]) : {};
  result.certificate = {
    signatureAlgorithm: text('signature-algorithm'),
    keyType: pkAttributes.type ?? null,
    keyBits: pkAttributes.bits ? Number(pkAttributes.bits) : null,
    subject: text('subject'),
    selfSigned: text('self-signed') === null ? null : text('self-signed') === 'true',
  };
  return result;
}

/** Runs sslscan against host:port (bounded by `timeoutMs`). */
export function runSslscan(host: string, port: number, timeoutMs = 120_000): Promise<SslscanResult> {
  const sslscan = requireTool('sslscan');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(sslscan, ['--no-colour', '--xml=-', `${host}:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let xml = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (xml += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = Math.round(performance.now() - started);
      if (code !== 0 || !xml.includes('</document>')) reject(new Error(`sslscan exited ${code}: ${stderr.slice(-1000)}`));
      else resolve(parseSslscanXml(xml, ms));
    });
  });
}

let known: Set<number> | null = null;

/** The TLS suites (code points) the system OpenSSL knows at all: all sslscan can test. */
export function opensslSuites(): Set<number> {
  if (known) return known;
  const result = spawnSync(requireTool('openssl'), ['ciphers', '-V', '-s', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'], { encoding: 'utf8' });
  const all = spawnSync(requireTool('openssl'), ['ciphers', '-V', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'], { encoding: 'utf8' });
  known = new Set<number>();
  for (const line of `${result.stdout}\n${all.stdout}`.split('\n')) {
    const match = /0x([0-9A-F]{2}),0x([0-9A-F]{2})/.exec(line);
    if (match) known.add(Number.parseInt(match[1]! + match[2]!, 16));
  }
  return known;
}
