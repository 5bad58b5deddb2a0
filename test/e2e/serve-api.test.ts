/**
 * `prodeng serve` end to end: the built CLI serving a store that real `prodeng observe` runs of
 * temporary git repositories filled, on SQLite and on PostgreSQL. The API is read and written as
 * the dashboard does; "observe now" goes through the real scheduler and engine, and an ignore made
 * through the API holds at that observation. Started and stopped as a service is (SIGTERM).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../support/cli.js';
import { createTestDatabase, dropTestDatabases } from '../support/postgres.js';
import { tempDir, tempRepo, type TempRepo } from '../support/repo.js';

const TOKEN = 'e2e-token-0123456789abcdef0123';

interface Service {
  url: string;
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `prodeng serve` and waits for the line with its URL. */
function startService(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Service> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd, env: { ...process.env, NO_COLOR: '1', PRODENG_DB: '', PRODENG_TOKEN: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`prodeng serve did not start:\n${stdout}\n${stderr}`));
    }, 30_000);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /listening on (https?:\/\/\S+?)\/ /.exec(stdout);
      if (match === null) return;
      clearTimeout(timer);
      resolve({
        url: match[1]!,
        child,
        stdout: () => stdout,
        stderr: () => stderr,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`prodeng serve exited with ${code} before listening:\n${stdout}\n${stderr}`));
    });
  });
}

async function api(service: Service, path: string, init: RequestInit = {}): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const response = await fetch(`${service.url}${path}`, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text, headers: response.headers };
}

const write = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

/** Two repositories and a prodeng.yml naming them, schedules off (only "observe now" runs). */
function systems(): { alpha: TempRepo; beta: TempRepo; config: { dir: string; remove(): void } } {
  const alpha = tempRepo({ name: 'alpha' });
  alpha.write('src/app.ts', '// TODO: handle the error\nexport const a = 1;\n// FIXME: remove the legacy flag\n');
  alpha.write('.nvmrc', '16\n');
  alpha.commit('init', { date: '2024-01-15T12:00:00Z' });
  const beta = tempRepo({ name: 'beta' });
  beta.write('main.py', '# TODO: =cmd|calc <b>bold</b>\nprint(1)\n');
  beta.commit('init', { date: '2024-02-01T12:00:00Z' });
  const config = tempDir('prodeng-serve-config-');
  writeFileSync(
    join(config.dir, 'prodeng.yml'),
    `schedule: off\nsystems:\n  - name: alpha\n    repo: ${alpha.dir}\n  - name: beta\n    repo: ${beta.dir}\nprobes:\n  vulns: false\n  supply-chain: false\n`,
  );
  return { alpha, beta, config };
}

function describeServe(name: string, database: () => Promise<string>): void {
  describe(name, () => {
    let db = '';
    let repos: ReturnType<typeof systems>;
    let service: Service;

    beforeAll(async () => {
      db = await database();
      repos = systems();
      const observe = (label: string) => runCli(['observe', '--config', 'prodeng.yml', '--db', db, '--offline', '--format', 'json', '-q'], { cwd: repos.config.dir }).then((result) => {
        if (result.code !== 0) throw new Error(`observe (${label}) exited ${result.code}: ${result.stderr}`);
      });
      await observe('first');
      // Churn: one marker gone, one new.
      repos.alpha.write('src/app.ts', '// TODO: handle the error\nexport const a = 1;\n// XXX: new hack\n');
      repos.alpha.commit('second', { date: '2024-03-01T12:00:00Z' });
      await observe('second');
      service = await startService(['--config', 'prodeng.yml', '--db', db, '--port', '0', '--offline'], repos.config.dir, { PRODENG_TOKEN: TOKEN });
    });

    afterAll(async () => {
      if (service !== undefined && service.child.exitCode === null) await service.stop();
      repos?.alpha.remove();
      repos?.beta.remove();
      repos?.config.remove();
    });

    it('serves the store that observe filled', async () => {
      expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(service.stdout()).toContain('writes need the token; scheduler on for 2 systems');
      const health = await api(service, '/healthz');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', database: 'ok', scheduler: { running: true, systems: 2 } });

      const { body } = await api(service, '/api/v1/systems');
      expect(body.systems.map((s: { name: string; snapshots: number }) => [s.name, s.snapshots])).toStrictEqual([
        ['alpha', 2],
        ['beta', 2],
      ]);
      expect(body.systems[0].schedule).toMatchObject({ cron: 'off', nextRunAt: null, running: false });

      const overview = await api(service, '/api/v1/overview');
      expect(overview.body.systems.map((s: { name: string }) => s.name)).toStrictEqual(['alpha', 'beta']);
      expect(overview.body.systems[0].aspects['technology-upgrade'].open.critical + overview.body.systems[0].aspects['technology-upgrade'].open.high).toBeGreaterThan(0);

      const findings = await api(service, '/api/v1/findings?system=alpha&rule=todo/marker&status=all');
      const titles = findings.body.findings.map((f: { title: string; status: string }) => [f.title, f.status]).sort();
      expect(titles).toStrictEqual([
        ['FIXME: remove the legacy flag', 'resolved'],
        ['TODO: handle the error', 'open'],
        ['XXX: new hack', 'new'],
      ]);
      const resolved = findings.body.findings.find((f: { status: string }) => f.status === 'resolved');
      const history = await api(service, `/api/v1/systems/alpha/findings/${resolved.fingerprint}`);
      expect(history.body.history.map((h: { status: string }) => h.status)).toStrictEqual(['new', 'resolved']);

      const diff = await api(service, '/api/v1/systems/alpha/diff');
      expect(diff.body.findings.new.map((f: { title: string }) => f.title)).toContain('XXX: new hack');
      const series = await api(service, '/api/v1/systems/alpha/metrics?name=todo.count');
      expect(series.body.series.every((s: { points: unknown[] }) => s.points.length === 2)).toBe(true);
      const eol = await api(service, '/api/v1/eol?months=1');
      expect(eol.body.items).toContainEqual(expect.objectContaining({ system: 'alpha', component: 'nodejs', cycle: '16', rule: 'versions/eol', path: '.nvmrc' }));

      const csv = await api(service, '/api/v1/findings?system=beta&format=csv');
      expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="prodeng-findings-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(csv.text.split('\r\n')[0]).toMatch(/^priority,severity,status,system,/);
      expect(csv.text).toContain(',TODO: =cmd|calc <b>bold</b>,');
    });

    it('answers /metrics valid for promtool', async () => {
      const metrics = await api(service, '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/^prodeng_todo\{system="alpha",tag="TODO"\} 1$/m);
      expect(metrics.text).toContain('prodeng_scheduler_running{system="beta"} 0');
      const check = spawnSync('promtool', ['check', 'metrics'], { input: metrics.text, encoding: 'utf8' });
      expect(check.error).toBeUndefined();
      expect(`${check.stdout}${check.stderr}`).toBe('');
      expect(check.status).toBe(0);
    });

    it('applies an ignore made through the API at once and at the next observation, which "observe now" runs', async () => {
      const { body: page } = await api(service, '/api/v1/findings?system=beta&rule=todo/marker');
      const target = page.findings[0];
      expect(target.title).toBe('TODO: =cmd|calc <b>bold</b>');
      expect((await api(service, '/api/v1/ignores', write('POST', { system: 'beta', fingerprint: target.fingerprint, reason: 'generated code' }))).status).toBe(201);
      expect((await api(service, '/api/v1/findings?system=beta&rule=todo/marker')).body.total).toBe(0);

      const before = (await api(service, '/api/v1/systems/beta')).body.snapshots;
      const queued = await api(service, '/api/v1/systems/beta/observe', write('POST', {}));
      expect(queued.status).toBe(202);
      // The scheduler runs it in the background: wait for the snapshot it records.
      let after = before;
      for (let i = 0; i < 300 && after === before; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = (await api(service, '/api/v1/systems/beta')).body.snapshots;
      }
      expect(after).toBe(before + 1);
      const detail = (await api(service, '/api/v1/systems/beta')).body;
      expect(detail.schedule).toMatchObject({ lastStatus: expect.stringMatching(/complete|partial/), running: false });
      const observed = (await api(service, `/api/v1/systems/beta/findings/${target.fingerprint}`)).body.finding;
      expect(observed).toMatchObject({ status: 'open', lastSeen: detail.latestAt, suppressed: { reason: 'generated code', until: null } });

      const ignores = (await api(service, '/api/v1/ignores')).body.ignores;
      expect((await api(service, `/api/v1/ignores/${ignores[0].id}`, write('DELETE'))).status).toBe(204);
      expect((await api(service, '/api/v1/findings?system=beta&rule=todo/marker')).body.total).toBe(1);
    });

    it('refuses writes without the token and stops on SIGTERM with exit 0, never printing the token', async () => {
      const refused = await api(service, '/api/v1/systems/alpha/observe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(refused.status).toBe(401);
      const code = await service.stop();
      expect(code).toBe(0);
      expect(service.stderr()).toContain('prodeng serve: stopped');
      expect(service.stdout() + service.stderr()).not.toContain(TOKEN);
    });
  });
}

const scratch: Array<{ remove(): void }> = [];
afterAll(() => {
  for (const dir of scratch.splice(0)) dir.remove();
});

describeServe('prodeng serve on SQLite', async () => {
  const dir = tempDir('prodeng-serve-db-');
  scratch.push(dir);
  return join(dir.dir, 'prodeng.db');
});

describe('prodeng serve on PostgreSQL', () => {
  afterAll(async () => {
    await dropTestDatabases();
  });
  describeServe('prodeng serve on PostgreSQL', () => createTestDatabase());
});

describe('prodeng serve refuses what is unsafe or cannot work', () => {
  let dir: { dir: string; remove(): void };
  beforeAll(() => {
    dir = tempDir('prodeng-serve-refuse-');
  });
  afterAll(() => dir.remove());

  it('refuses a non-loopback address without a token, a short token, and half a TLS pair (exit 2)', async () => {
    const db = join(dir.dir, 'prodeng.db');
    const open = await runCli(['serve', '--db', db, '--host', '0.0.0.0', '--port', '0'], { cwd: dir.dir });
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without a token.*PRODENG_TOKEN/);
    const short = await runCli(['serve', '--db', db, '--port', '0'], { cwd: dir.dir, env: { PRODENG_TOKEN: 'short' } });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/shorter than 16 characters/);
    expect(short.stderr).not.toContain('short\n');
    const unset = await runCli(['serve', '--db', db, '--port', '0', '--token-env', 'NO_SUCH_VARIABLE_X'], { cwd: dir.dir });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/--token-env NO_SUCH_VARIABLE_X: the variable is not set/);
    const half = await runCli(['serve', '--db', db, '--port', '0', '--tls-cert', 'cert.pem'], { cwd: dir.dir });
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--tls-cert and --tls-key go together/);
  });

  it('says when the port is taken (exit 2)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const taken = await runCli(['serve', '--db', join(dir.dir, 'prodeng.db'), '--port', String(port), '--no-scheduler'], { cwd: dir.dir });
      expect(taken.code).toBe(2);
      expect(taken.stderr).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use.*--port`));
    } finally {
      blocker.close();
    }
  });

  it('serves read-only without a token, and the built dashboard', async () => {
    const service = await startService(['--db', join(dir.dir, 'prodeng.db'), '--port', '0', '--no-scheduler'], dir.dir);
    try {
      expect(service.stdout()).toContain('read-only (no token); scheduler off');
      const meta = await api(service, '/api/v1/meta');
      expect(meta.body).toMatchObject({ writable: false, authRequired: false });
      const refused = await api(service, '/api/v1/ignores', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: '{}' });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('read-only');
      const page = await api(service, '/');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.text).toMatch(/<script[^>]+src="\/assets\/[^"]+\.js"/);
      expect(page.text).not.toMatch(/<script>|<style>|style="/);
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.text)![1]!;
      const asset = await api(service, script);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await api(service, '/systems/alpha')).text).toBe(page.text);
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });
});
