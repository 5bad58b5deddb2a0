import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDatabasePath, describeDatabase, openKyselyStore, openStore, parseDatabaseUrl } from './open.js';
import { translateSqliteError } from './sqlite/sqlite-store.js';
import { describeStoreConformance, finding, metric, snapshotInput, expectStoreError } from './store-conformance.js';

const testSupport = fileURLToPath(new URL('./test-support/', import.meta.url));

function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'prodeng-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describeStoreConformance('SQLite (node:sqlite)', async () => {
  const temp = tempDir();
  const store = await openKyselyStore(join(temp.dir, 'prodeng.db'));
  return {
    store,
    async cleanup() {
      await store.close();
      temp.remove();
    },
    execute: async (statement) => void (await sql.raw(statement).execute(store.kysely)),
  };
});

describeStoreConformance('SQLite without the newer Node APIs (columns(), isTransaction, setReturnArrays())', async () => {
  const temp = tempDir();
  const store = await openKyselyStore(join(temp.dir, 'prodeng.db'), { sqlite: { testOnlyWithoutNewerNodeApis: true } });
  return {
    store,
    async cleanup() {
      await store.close();
      temp.remove();
    },
    execute: async (statement) => void (await sql.raw(statement).execute(store.kysely)),
  };
});

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function integrityCheck(path: string): string {
  const db = new DatabaseSync(path);
  try {
    return String((db.prepare('pragma integrity_check').get() as { integrity_check: string }).integrity_check);
  } finally {
    db.close();
  }
}

function runNode(script: string, args: string[], options: { uid?: number; gid?: number } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(testSupport, script), ...args], { ...options, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * How to run a child without the right to write a read-only file: as is, or — root ignores file
 * permissions — as uid 65534 when that user can load the sources; null when neither works.
 */
const unprivileged: { uid: number; gid: number } | undefined | null = (() => {
  if (process.getuid?.() !== 0) return undefined;
  const nobody = { uid: 65534, gid: 65534 };
  const probe = spawnSync(process.execPath, [join(testSupport, 'readonly-child.mjs'), '--probe'], { ...nobody, timeout: 60_000 });
  return probe.status === 0 ? nobody : null;
})();

describe('SQLite store', () => {
  let temp: { dir: string; remove(): void };

  beforeEach(() => {
    temp = tempDir();
  });

  afterEach(() => {
    temp.remove();
  });

  describe('opening', () => {
    it('creates the parent directory, resolves relative paths against cwd and accepts sqlite:/file: prefixes', async () => {
      const store = await openStore('nested/deeper/x.db', { cwd: temp.dir });
      await store.close();
      expect(existsSync(join(temp.dir, 'nested/deeper/x.db'))).toBe(true);

      expect(parseDatabaseUrl('sqlite:rel.db', '/base')).toEqual({ kind: 'sqlite', path: '/base/rel.db' });
      expect(parseDatabaseUrl('sqlite:///abs/x.db', '/base')).toEqual({ kind: 'sqlite', path: '/abs/x.db' });
      expect(parseDatabaseUrl('file:rel.db', '/base')).toEqual({ kind: 'sqlite', path: '/base/rel.db' });
      expect(parseDatabaseUrl('file:///abs/y.db', '/base')).toEqual({ kind: 'sqlite', path: '/abs/y.db' });
      expect(parseDatabaseUrl('/abs/z.db', '/base')).toEqual({ kind: 'sqlite', path: '/abs/z.db' });
      expect(parseDatabaseUrl('postgresql://u:p@h/db')).toEqual({ kind: 'postgres', url: 'postgresql://u:p@h/db' });
      expect(parseDatabaseUrl('POSTGRES://h/db').kind).toBe('postgres');
      expect(defaultDatabasePath('/repo')).toBe('/repo/.prodeng/prodeng.db');
      expect(describeDatabase('x.db', { cwd: '/repo' })).toBe('/repo/x.db');

      const prefixed = await openStore(`sqlite:${join(temp.dir, 'p.db')}`);
      await prefixed.recordSnapshot(snapshotInput(1));
      await prefixed.close();
      const again = await openStore(`file:${join(temp.dir, 'p.db')}`);
      expect(await again.listSnapshots('web')).toHaveLength(1);
      await again.close();
    });

    it('redacts passwords when describing a database', () => {
      expect(describeDatabase('postgres://alice:s3cr%40t@db.example:5432/prodeng')).toBe('postgres://alice:***@db.example:5432/prodeng');
      expect(describeDatabase('postgresql://db.example/prodeng?password=s3cret&sslmode=require')).toBe(
        'postgresql://db.example/prodeng?password=***&sslmode=require',
      );
      expect(describeDatabase('postgres://bob@db/x')).toBe('postgres://bob@db/x');
      expect(describeDatabase('postgres://bob:p@ss w0rd@db/x')).not.toContain('w0rd');
    });

    it('sets WAL, foreign keys, synchronous=NORMAL and the busy timeout', async () => {
      const store = await openKyselyStore(join(temp.dir, 'x.db'));
      const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(store.kysely)).rows[0] as object)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('synchronous')).toBe(1);
      expect(await pragma('busy_timeout')).toBe(10_000);
      await store.close();
    });

    it('works in memory', async () => {
      const store = await openStore(':memory:');
      await store.recordSnapshot(snapshotInput(1, { findings: [finding('a')] }));
      expect(await store.currentFindings('web')).toHaveLength(1);
      await store.close();
    });
  });

  describe('damaged and foreign files', () => {
    it('reports a file of random bytes as corrupt and leaves it untouched', async () => {
      const path = join(temp.dir, 'random.db');
      writeFileSync(path, createHash('sha512').update('not a database').digest().toString('hex').repeat(200));
      const before = { hash: sha256(path), mtime: statSync(path).mtimeMs };
      const error = await expectStoreError(openStore(path), 'corrupt');
      expect(error.message).toContain(path);
      expect(error.message).toMatch(/not a prodeng database or is corrupted/);
      expect(error.message).toMatch(/\.recover/);
      expect(error.message).toMatch(/--db/);
      expect(sha256(path)).toBe(before.hash);
      expect(statSync(path).mtimeMs).toBe(before.mtime);
    });

    it('reports a truncated database as corrupt and leaves it untouched', async () => {
      const path = join(temp.dir, 'truncated.db');
      const store = await openStore(path);
      for (let n = 0; n < 3; n++) {
        await store.recordSnapshot(
          snapshotInput(n, { findings: Array.from({ length: 300 }, (_, i) => finding(`f${i}`, { data: { pad: 'x'.repeat(200) } })) }),
        );
      }
      await store.close();
      expect(existsSync(`${path}-wal`)).toBe(false);
      truncateSync(path, Math.floor(statSync(path).size / 2));
      const hash = sha256(path);
      await expectStoreError(openStore(path), 'corrupt');
      expect(sha256(path)).toBe(hash);
    });

    it('refuses to add its tables to another application\'s database', async () => {
      const path = join(temp.dir, 'other.db');
      const db = new DatabaseSync(path);
      db.exec('create table invoices (id integer primary key, amount real)');
      db.close();
      const error = await expectStoreError(openStore(path), 'corrupt');
      expect(error.message).toMatch(/not a prodeng database.*invoices/);
      const check = new DatabaseSync(path);
      expect(check.prepare("select name from sqlite_master where type = 'table'").all()).toEqual([{ name: 'invoices' }]);
      check.close();
    });

    it('refuses a database migrated by a newer prodeng', async () => {
      const path = join(temp.dir, 'newer.db');
      await (await openStore(path)).close();
      const db = new DatabaseSync(path);
      db.prepare('insert into prodeng_migration (name, timestamp) values (?, ?)').run('9999-from-the-future', new Date().toISOString());
      db.close();
      const error = await expectStoreError(openStore(path), 'newer-schema');
      expect(error.message).toMatch(/newer prodeng.*9999-from-the-future.*Upgrade prodeng/);
    });

    it('reports a path that cannot be opened as unreachable', async () => {
      // A directory where the file should be.
      const path = join(temp.dir, 'is-a-directory');
      await expectStoreError(openStore(join(path, '..')), 'unreachable');
    });

    it('maps SQLite errors from older Node versions by their message', () => {
      const old = (message: string) => Object.assign(new Error(message), { code: 'ERR_SQLITE_ERROR' });
      expect(translateSqliteError(old('file is not a database'), '/x.db')?.code).toBe('corrupt');
      expect(translateSqliteError(old('database disk image is malformed'), '/x.db')?.code).toBe('corrupt');
      expect(translateSqliteError(old('database or disk is full'), '/x.db')?.code).toBe('full');
      expect(translateSqliteError(old('database is locked'), '/x.db')?.code).toBe('locked');
      expect(translateSqliteError(old('attempt to write a readonly database'), '/x.db')?.code).toBe('readonly');
      expect(translateSqliteError(old('unable to open database file'), '/x.db')?.code).toBe('unreachable');
      expect(translateSqliteError(old('UNIQUE constraint failed: x.a'), '/x.db')).toBeNull();
      expect(translateSqliteError(new TypeError('x'), '/x.db')).toBeNull();
    });
  });

  describe('resource limits', () => {
    it.each([
      ['', false],
      [' (without the Node ≥ 22.16 APIs)', true],
    ])('reports a full disk as `full` and keeps earlier snapshots intact%s', async (_, legacy) => {
      const path = join(temp.dir, 'full.db');
      const first = await openStore(path);
      const kept = [
        await first.recordSnapshot(snapshotInput(1, { findings: [finding('a'), finding('b')], metrics: [metric('m', 1)] })),
        await first.recordSnapshot(snapshotInput(2, { findings: [finding('a')], metrics: [metric('m', 2)] })),
      ];
      const currentBefore = await first.currentFindings('web');
      await first.close();

      const probe = new DatabaseSync(path);
      const pages = Number((probe.prepare('pragma page_count').get() as { page_count: number }).page_count);
      probe.close();

      const capped = await openStore(path, { sqlite: { testOnlyMaxPageCount: pages + 4, testOnlyWithoutNewerNodeApis: legacy } });
      const big = Array.from({ length: 2000 }, (_, i) => finding(`big${i}`, { data: { pad: 'y'.repeat(500) } }));
      const error = await expectStoreError(capped.recordSnapshot(snapshotInput(3, { findings: big })), 'full');
      expect(error.message).toContain(path);
      expect(error.message).toMatch(/disk is full/);
      // The store stays usable for reading.
      expect((await capped.listSnapshots('web')).map((s) => s.id)).toEqual([...kept].reverse());
      await capped.close();

      const reopened = await openStore(path);
      expect((await reopened.listSnapshots('web')).map((s) => s.id)).toEqual([...kept].reverse());
      expect(await reopened.currentFindings('web')).toStrictEqual(currentBefore);
      expect((await reopened.metricSeries('web', 'm')).map((p) => p.value)).toEqual([1, 2]);
      await reopened.recordSnapshot(snapshotInput(4, { findings: [finding('a')] }));
      await reopened.close();
      expect(integrityCheck(path)).toBe('ok');
    });

    it('reports a lock held beyond the busy timeout as `locked`', async () => {
      const path = join(temp.dir, 'locked.db');
      await (await openStore(path)).close();
      const holder = new DatabaseSync(path);
      holder.exec('begin immediate');
      try {
        const store = await openStore(path, { sqlite: { busyTimeoutMs: 200 } });
        const error = await expectStoreError(store.recordSnapshot(snapshotInput(1)), 'locked');
        expect(error.message).toMatch(/locked.*Wait for the other prodeng run/);
        // Reading still works in WAL mode while another process writes.
        expect(await store.listSystems()).toEqual([]);
        await store.close();
      } finally {
        holder.exec('rollback');
        holder.close();
      }
    });

    it('reports a database opened read-only as `readonly` and still reads it', async () => {
      const path = join(temp.dir, 'ro-open.db');
      const store = await openStore(path);
      await store.recordSnapshot(snapshotInput(1, { findings: [finding('a')] }));
      await store.close();
      const readOnly = await openStore(path, { sqlite: { testOnlyReadOnly: true } });
      expect(await readOnly.currentFindings('web')).toHaveLength(1);
      const error = await expectStoreError(readOnly.recordSnapshot(snapshotInput(2)), 'readonly');
      expect(error.message).toContain(path);
      expect(error.message).toMatch(/read-only.*permissions/);
      await readOnly.close();
    });

    it.skipIf(unprivileged === null)(`reports a read-only file as \`readonly\`${unprivileged === null ? ' — skipped: running as root and uid 65534 cannot load the sources' : ''}`, async () => {
      const path = join(temp.dir, 'ro.db');
      const store = await openStore(path);
      await store.recordSnapshot(snapshotInput(1));
      await store.close();
      chmodSync(path, 0o444);
      // Root ignores file permissions: run the attempt as an unprivileged user then.
      if (unprivileged !== undefined) chmodSync(temp.dir, 0o777);
      const { stdout, stderr } = await runNode('readonly-child.mjs', [path], unprivileged ?? {});
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null') as {
        opened: boolean;
        systems: number | null;
        error: { code: string; message: string } | null;
      } | null;
      expect(result, stderr).not.toBeNull();
      expect(result?.opened).toBe(true);
      expect(result?.systems).toBe(1);
      expect(result?.error?.code).toBe('readonly');
      expect(result?.error?.message).toContain(path);
      chmodSync(path, 0o644);
    });
  });

  describe('concurrency', () => {
    it('serialises writers from several processes (migrating a fresh file at once)', async () => {
      const path = join(temp.dir, 'concurrent.db');
      const children = 4;
      const count = 8;
      const results = await Promise.all(Array.from({ length: children }, (_, i) => runNode('writer-child.mjs', [path, String(i), String(count)])));
      const ids = results.map(({ code, stdout, stderr }, i) => {
        expect(code, `child ${i}: ${stdout} ${stderr}`).toBe(0);
        return (JSON.parse(stdout.trim()) as { ids: string[] }).ids;
      });
      expect(new Set(ids.flat()).size).toBe(children * count * 2);
      expect(integrityCheck(path)).toBe('ok');

      const store = await openStore(path);
      const systems = await store.listSystems();
      expect(systems.map((s) => [s.name, s.snapshots])).toEqual([
        ...Array.from({ length: children }, (_, i) => [`child-${i}`, count]),
        ['shared', children * count],
      ]);
      for (let i = 0; i < children; i++) {
        const snapshots = await store.listSnapshots(`child-${i}`);
        expect(snapshots).toHaveLength(count);
        for (const snapshot of snapshots) {
          expect(snapshot.probes).toEqual([{ id: 'todo', status: 'ok', durationMs: expect.any(Number), errors: [] }]);
          const findings = await store.findingsAt(snapshot.id);
          expect(findings.filter((f) => f.status !== 'resolved')).toHaveLength(3);
          expect(await store.metricsAt(snapshot.id)).toHaveLength(1);
        }
        // Stable findings stayed open throughout; each moving one was resolved by the next snapshot.
        const current = await store.currentFindings(`child-${i}`);
        expect(current.filter((f) => f.status !== 'resolved').map((f) => f.fingerprint).sort()).toEqual([`moving-${count - 1}`, 'stable-1', 'stable-2']);
      }
      // Every snapshot of the shared system saw its own child's two findings, whatever the interleaving.
      for (const snapshot of await store.listSnapshots('shared')) {
        const seen = (await store.findingsAt(snapshot.id)).filter((f) => f.status !== 'resolved');
        expect(seen).toHaveLength(2);
      }
      expect(await store.metricSeries('shared', 'todo.count')).toHaveLength(children * count);
      await store.close();
    });
  });

  describe('volume', () => {
    // Speed is measured in bench/, not asserted here; this checks that big snapshots round-trip.
    it('records 20,000 findings and 1,000 metrics, then resolves 1,000 of them', async () => {
      const store = await openStore(join(temp.dir, 'speed.db'));
      const findings = Array.from({ length: 20_000 }, (_, i) =>
        finding(`fp-${i}`, { location: { path: `src/dir${i % 50}/file${i % 700}.ts`, line: (i % 400) + 1 }, data: { tag: 'TODO', text: `remember ${i}` } }),
      );
      const metrics = Array.from({ length: 1000 }, (_, i) => metric('todo.count', i, { dir: `d${i}` }));
      await store.recordSnapshot(snapshotInput(1, { findings, metrics }));
      await store.recordSnapshot(snapshotInput(2, { findings: findings.slice(1000), metrics }));
      const latest = await store.findingsAt((await store.listSnapshots('web'))[0]?.id ?? '');
      expect(latest).toHaveLength(20_000);
      expect(latest.filter((f) => f.status === 'resolved')).toHaveLength(1000);
      expect(await store.metricsAt((await store.listSnapshots('web'))[0]?.id ?? '')).toHaveLength(1000);
      await store.close();
    });
  });
});
