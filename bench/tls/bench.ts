/**
 * The TLS scanner's speed, against sslscan and testssl.sh on the same loopback servers — nginx
 * with Mozilla's intermediate profile and `openssl s_server` offering every suite the system
 * OpenSSL has, TLS 1.0 to 1.3 — and scanning 100 endpoints at once (100 Node TLS servers in
 * child processes, one per core, each server on its own loopback address 127.0.0.N so that the
 * per-host connection limit applies per endpoint).
 *
 *   npx tsc -p tsconfig.build.json && node bench/tls/bench.ts [--runs 3] [--no-testssl] [--endpoints 100]
 *
 * Prints a JSON summary: medians of N runs for prodeng and sslscan, one testssl.sh run (full
 * checks, capped at 15 minutes) per server, and the 100-endpoint wall time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  makeCertificate,
  makeDhParams,
  opensslSuites,
  requireTool,
  type RunningServer,
  runSslscan,
  startNginx,
  startNodeTls,
  startOpensslServer,
  tempDir,
} from '../../src/tls/scanner/test-support/servers.ts';

type ScanModule = typeof import('../../src/tls/scanner/scan.ts');

const ROOT = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    endpoints: { type: 'string', default: '100' },
    'no-testssl': { type: 'boolean', default: false },
    // Internal: the child process that serves the endpoints.
    serve: { type: 'string' },
    first: { type: 'string', default: '1' },
    cert: { type: 'string' },
    key: { type: 'string' },
  },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (values.serve !== undefined) {
  // Child: N Node TLS servers on 127.0.0.1 … 127.0.0.N, then wait for stdin to close.
  const { readFileSync } = await import('node:fs');
  const cert = readFileSync(values.cert!, 'utf8');
  const key = readFileSync(values.key!, 'utf8');
  const servers: RunningServer[] = [];
  const first = Number(values.first);
  for (let i = first; i < first + Number(values.serve); i++) servers.push(await startNodeTls({ cert, key, ALPNProtocols: ['h2', 'http/1.1'] }, `127.0.0.${i}`));
  process.stdout.write(`${JSON.stringify(servers.map((server) => ({ host: server.host, port: server.port })))}\n`);
  process.stdin.resume();
  process.stdin.on('end', async () => {
    await Promise.all(servers.map((server) => server.stop()));
    process.exit(0);
  });
} else {
  await main();
}

async function main(): Promise<void> {
  const compiled = join(ROOT, 'dist', 'tls', 'scanner', 'scan.js');
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run npx tsc -p tsconfig.build.json first`);
  const { scanEndpoint, scanEndpoints, tlsTarget } = (await import(compiled)) as ScanModule;
  const runs = Number(values.runs);
  for (const tool of ['openssl', 'nginx', 'sslscan'] as const) requireTool(tool);

  const work = tempDir('prodeng-tls-bench-');
  const rsa = makeCertificate(work.dir, { name: 'bench.test' });
  const dhparam = makeDhParams(work.dir);
  const servers = {
    'nginx-intermediate': await startNginx(rsa, 'intermediate', { dhparam }),
    'openssl-legacy': await startOpensslServer(rsa, ['-cipher', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0', '-min_protocol', 'TLSv1', '-dhparam', dhparam]),
  };
  const results: Record<string, unknown> = {};
  try {
    for (const [name, server] of Object.entries(servers)) {
      const target = tlsTarget(`tls://${server.host}:${server.port}`);
      await scanEndpoint(target, { timeoutMs: 5000 }); // warm-up
      const prodeng: number[] = [];
      const connections: number[] = [];
      let last: Awaited<ReturnType<typeof scanEndpoint>> | null = null;
      for (let i = 0; i < runs; i++) {
        let count = 0;
        const started = performance.now();
        last = await scanEndpoint(target, { timeoutMs: 5000, trace: () => count++ });
        prodeng.push(Math.round(performance.now() - started));
        connections.push(count);
      }
      const sslscan: number[] = [];
      let sslscanResult: Awaited<ReturnType<typeof runSslscan>> | null = null;
      for (let i = 0; i < runs; i++) {
        sslscanResult = await runSslscan(server.host, server.port);
        sslscan.push(sslscanResult.ms);
      }
      const visible = opensslSuites();
      const ours = new Set(last!.ciphers.filter((cipher) => visible.has(Number.parseInt(cipher.code, 16))).map((cipher) => `${cipher.protocol} ${Number.parseInt(cipher.code, 16)}`));
      const theirs = new Set(Object.entries(sslscanResult!.ciphers).flatMap(([protocol, list]) => list.map((value) => `${protocol} ${value}`)));
      const testssl = values['no-testssl'] ? null : runTestssl(server.host, server.port);
      results[name] = {
        prodeng: { medianMs: median(prodeng), runs: prodeng, connections: median(connections), errors: last!.errors },
        sslscan: { medianMs: median(sslscan), runs: sslscan },
        testssl,
        agreement: {
          protocols: (['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).every((protocol) => last!.protocols[protocol] === (sslscanResult!.protocols[protocol] ?? false)),
          suites: { prodeng: ours.size, sslscan: theirs.size, same: ours.size === theirs.size && [...ours].every((item) => theirs.has(item)) },
          groups: { prodeng: last!.groups.length, sslscan: new Set(Object.values(sslscanResult!.groups).flat()).size },
        },
      };
      process.stderr.write(`${name}: prodeng ${median(prodeng)} ms, sslscan ${median(sslscan)} ms${testssl && 'ms' in testssl ? `, testssl ${testssl.ms} ms` : ''}\n`);
    }
    results.endpoints = await manyEndpoints(scanEndpoints, tlsTarget, rsa.certFile, rsa.keyFile);
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
    work.remove();
  }
  console.log(
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`,
        tools: { sslscan: toolVersion('sslscan', ['--version']), openssl: toolVersion('openssl', ['version']), nginx: toolVersion('nginx', ['-v']) },
        ...results,
      },
      null,
      2,
    ),
  );
}

function toolVersion(tool: string, args: string[]): string {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
}

/** One full testssl.sh run (all default checks), capped at 15 minutes. */
function runTestssl(host: string, port: number): { ms: number; exit: number | null; capped: boolean } | { skipped: string } {
  let testssl: string;
  try {
    testssl = requireTool('testssl');
  } catch (error) {
    return { skipped: (error as Error).message };
  }
  const started = performance.now();
  const result = spawnSync(testssl, ['--quiet', '--color', '0', '--warnings', 'off', `${host}:${port}`], { encoding: 'utf8', timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { ms: Math.round(performance.now() - started), exit: result.status, capped: result.signal !== null };
}

/** Starts `count` Node TLS servers on 127.0.0.(first…) in a child process. */
async function serveEndpoints(first: number, count: number, certFile: string, keyFile: string) {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'bench.ts'), '--serve', String(count), '--first', String(first), '--cert', certFile, '--key', keyFile], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`endpoint server exited ${code}`)));
  });
  return {
    endpoints: JSON.parse(line) as Array<{ host: string; port: number }>,
    stop: async () => {
      child.stdin!.end();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

async function manyEndpoints(scanEndpoints: ScanModule['scanEndpoints'], tlsTarget: ScanModule['tlsTarget'], certFile: string, keyFile: string): Promise<unknown> {
  const count = Number(values.endpoints);
  // The servers' handshakes cost more CPU than the scanner's probes: one process per core.
  const processes = Math.max(1, Math.min(cpus().length, count));
  const share = Math.ceil(count / processes);
  const children = await Promise.all(Array.from({ length: processes }, (_, index) => serveEndpoints(1 + index * share, Math.min(share, count - index * share), certFile, keyFile)));
  try {
    const targets = children.flatMap((child) => child.endpoints).map((endpoint) => tlsTarget(`tls://${endpoint.host}:${endpoint.port}`));
    const out: Record<string, unknown> = { endpoints: targets.length, serverProcesses: processes, maxConnectionsPerHost: 6 };
    for (const concurrency of [16, count]) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const scans = await scanEndpoints(targets, { timeoutMs: 10_000, concurrency, maxConnections: 6 });
      const ms = Math.round(performance.now() - started);
      const used = process.cpuUsage(cpu);
      out[`concurrency${concurrency}`] = {
        ms,
        perEndpointMs: Math.round((ms / targets.length) * 10) / 10,
        scannerCpuMs: Math.round((used.user + used.system) / 1000),
        ok: scans.filter((scan) => scan.errors.length === 0 && scan.protocols['TLSv1.3']).length,
        errors: [...new Set(scans.flatMap((scan) => scan.errors))].slice(0, 5),
      };
      process.stderr.write(`${targets.length} endpoints, ${concurrency} at once: ${ms} ms\n`);
    }
    return out;
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}
