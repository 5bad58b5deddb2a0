import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdvisoryDatabase, defaultDatabasePath, importOsv, type ImportProgress } from './database.js';
import { fixtureIds, fixtureText, FIXTURES_DIR } from './test-support/fixtures.js';
import { buildZip, type ZipEntryInput } from './test-support/zip-writer.js';

let dir: string;
let db: AdvisoryDatabase;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prodeng-osv-'));
  db = AdvisoryDatabase.open(defaultDatabasePath(join(dir, 'cache')));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const FIXTURE_COUNT = fixtureIds().length;
const fixtureEntries = (): ZipEntryInput[] => fixtureIds().map((id) => ({ name: `${id}.json`, data: fixtureText(id) }));
const writeZip = (name: string, entries: ZipEntryInput[]): string => {
  const path = join(dir, name);
  writeFileSync(path, buildZip(entries));
  return path;
};
const minimal = (id: string, modified: string, extra: object = {}): string =>
  JSON.stringify({
    id,
    modified,
    affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }] }],
    ...extra,
  });

describe('importing', () => {
  it('imports a directory recursively, indexes packages and reports stats', async () => {
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'npm', 'deep'), { recursive: true });
    mkdirSync(join(tree, 'other'), { recursive: true });
    fixtureIds().forEach((id, i) => copyFileSync(join(FIXTURES_DIR, `${id}.json`), join(tree, i % 2 ? 'npm/deep' : 'other', `${id}.json`)));
    writeFileSync(join(tree, 'README.md'), '# not an advisory');

    const progress: ImportProgress[] = [];
    const result = await db.importOsv(tree, { onProgress: (p) => progress.push(p), now: () => new Date('2025-01-02T03:04:05Z') });
    expect(result).toEqual({ imported: FIXTURE_COUNT, updated: 0, skipped: 1, errors: [] });
    expect(progress.at(-1)).toMatchObject({ imported: FIXTURE_COUNT, entries: FIXTURE_COUNT + 1 });

    expect(db.lookup('PyPI', 'Django').map((r) => r.id).sort()).toEqual(['GHSA-jh3w-4vvf-mjgr', 'PYSEC-2023-100']);
    expect(db.lookup('npm', 'lodash').map((r) => r.id)).toEqual(['GHSA-35jh-r3h4-6jhm']);
    expect(db.lookup('npm', 'jsonwebtoken')[0]?.withdrawn).toBe('2023-01-12T22:05:11Z');
    expect(db.lookup('NuGet', 'NEWTONSOFT.JSON').map((r) => r.id)).toEqual(['GHSA-5crp-9r3c-p9vr']);
    expect(db.lookup('Go', 'golang.org/x/net').map((r) => r.id)).toEqual(['GO-2022-1144']);
    expect(db.lookup('npm', 'nope')).toEqual([]);
    expect(db.lookup('pypi', 'django')).toEqual([]); // ecosystems are case-sensitive

    const stats = db.stats();
    expect(stats.advisories).toBe(FIXTURE_COUNT);
    expect(stats.withdrawn).toBe(1);
    expect(stats.packages).toBe(12);
    expect(stats.byEcosystem).toEqual({ 'crates.io': 2, Go: 1, Maven: 1, NuGet: 1, PyPI: 3, RubyGems: 1, npm: 2 });
    expect(stats.lastImport).toBe('2025-01-02T03:04:05.000Z');
    expect(Object.keys(stats.coverage).sort()).toEqual(['Go', 'Maven', 'NuGet', 'PyPI', 'RubyGems', 'crates.io', 'npm']);
  });

  it('imports a single file: one record, or an array of records', async () => {
    const one = join(dir, 'one.json');
    writeFileSync(one, fixtureText('GHSA-35jh-r3h4-6jhm'));
    expect(await db.importOsv(one)).toEqual({ imported: 1, updated: 0, skipped: 0, errors: [] });

    const many = join(dir, 'many.json');
    writeFileSync(many, `[${minimal('OSV-1', '2024-01-01T00:00:00Z')}, {"id": "broken"}, ${minimal('OSV-2', '2024-01-01T00:00:00Z')}]`);
    const result = await db.importOsv(many);
    expect(result.imported).toBe(2);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.entry).toBe(`${many}[1]`);
    expect(result.errors[0]?.message).toMatch(/^broken: not an OSV record: \$\.modified/);
  });

  it('keeps the newer modified on re-import', async () => {
    const file = join(dir, 'x.json');
    writeFileSync(file, minimal('OSV-1', '2024-01-01T00:00:00Z', { summary: 'first' }));
    expect((await db.importOsv(file)).imported).toBe(1);
    expect((await db.importOsv(file)).skipped).toBe(1);

    writeFileSync(file, minimal('OSV-1', '2024-02-01T00:00:00.5Z', { summary: 'second', affected: [{ package: { ecosystem: 'npm', name: 'right-pad' }, versions: ['1.0.0'] }] }));
    expect(await db.importOsv(file)).toEqual({ imported: 0, updated: 1, skipped: 0, errors: [] });
    expect(db.get('OSV-1')?.summary).toBe('second');
    // the index follows the new record
    expect(db.lookup('npm', 'left-pad')).toEqual([]);
    expect(db.lookup('npm', 'right-pad').map((r) => r.id)).toEqual(['OSV-1']);

    writeFileSync(file, minimal('OSV-1', '2023-12-31T00:00:00Z', { summary: 'older' }));
    expect(await db.importOsv(file)).toEqual({ imported: 0, updated: 0, skipped: 1, errors: [] });
    expect(db.get('OSV-1')?.summary).toBe('second');
  });

  it('reports a missing path, never throws', async () => {
    const result = await db.importOsv(join(dir, 'nope'));
    expect(result.errors).toEqual([{ entry: join(dir, 'nope'), message: 'cannot read: ENOENT' }]);
  });

  it('aborts when asked, keeping what was stored', async () => {
    const entries = Array.from({ length: 2500 }, (_, i) => ({ name: `OSV-${i}.json`, data: minimal(`OSV-${i}`, '2024-01-01T00:00:00Z') }));
    const zip = writeZip('all.zip', entries);
    const controller = new AbortController();
    const onProgress = (): void => controller.abort(new Error('stop'));
    await expect(db.importOsv(zip, { signal: controller.signal, onProgress, batchSize: 300 })).rejects.toThrow('stop');
    expect(db.stats().advisories).toBe(1000);
    expect(db.stats().coverage).toEqual({}); // a partial import claims no coverage

    const already = new AbortController();
    already.abort(new Error('before'));
    await expect(db.importOsv(zip, { signal: already.signal })).rejects.toThrow('before');
  });
});

describe('importing zips', () => {
  it('streams an OSV all.zip', async () => {
    const zip = writeZip('all.zip', fixtureEntries());
    const result = await importOsv(zip, { dbPath: join(dir, 'other.db') });
    expect(result).toEqual({ imported: FIXTURE_COUNT, updated: 0, skipped: 0, errors: [] });
    const other = AdvisoryDatabase.open(join(dir, 'other.db'));
    try {
      expect(other.stats().advisories).toBe(FIXTURE_COUNT);
    } finally {
      other.close();
    }
  });

  it('recognises a zip by its content whatever its name, and reads stored entries', async () => {
    const path = join(dir, 'download.bin');
    writeFileSync(path, buildZip(fixtureEntries().map((e) => ({ ...e, method: 'store' as const }))));
    expect((await db.importOsv(path)).imported).toBe(FIXTURE_COUNT);
  });

  it('reports and skips entries with absolute paths or `..`', async () => {
    const zip = writeZip('evil.zip', [
      { name: '../evil.json', data: minimal('EVIL-1', '2024-01-01T00:00:00Z') },
      { name: '/etc/evil.json', data: minimal('EVIL-2', '2024-01-01T00:00:00Z') },
      { name: 'C:\\evil.json', data: minimal('EVIL-3', '2024-01-01T00:00:00Z') },
      { name: 'a/../../evil.json', data: minimal('EVIL-4', '2024-01-01T00:00:00Z') },
      { name: 'a\\..\\evil.json', data: minimal('EVIL-5', '2024-01-01T00:00:00Z') },
      { name: 'GOOD-1.json', data: minimal('GOOD-1', '2024-01-01T00:00:00Z') },
    ]);
    const result = await db.importOsv(zip);
    expect(result.imported).toBe(1);
    expect(result.errors.map((e) => e.entry)).toEqual([
      'evil.zip!../evil.json',
      'evil.zip!/etc/evil.json',
      'evil.zip!C:/evil.json', // yauzl reads `\` as `/`
      'evil.zip!a/../../evil.json',
      'evil.zip!a/../evil.json',
    ]);
    for (const error of result.errors) expect(error.message).toMatch(/unsafe entry name: (absolute path|path traversal)/);
    expect(db.get('EVIL-1')).toBeNull();
  });

  it('skips a zip bomb entry (size cap, ratio cap, lying header) and keeps the others', async () => {
    const huge = Buffer.alloc(3 * 1024 * 1024, 0x20); // 3 MiB of spaces: deflates ~1000:1
    const zip = writeZip('bomb.zip', [
      { name: 'OSV-1.json', data: minimal('OSV-1', '2024-01-01T00:00:00Z') },
      { name: 'BOMB-ratio.json', data: huge },
      { name: 'BOMB-lies.json', data: huge, declaredSize: 200 },
      { name: 'OSV-2.json', data: minimal('OSV-2', '2024-01-01T00:00:00Z') },
    ]);
    const result = await db.importOsv(zip);
    expect(result.imported).toBe(2);
    expect(result.errors.map((e) => e.entry)).toEqual(['bomb.zip!BOMB-ratio.json', 'bomb.zip!BOMB-lies.json']);
    expect(result.errors[0]?.message).toMatch(/compression ratio \d+:1 is above 200:1/);
    expect(result.errors[1]?.message).toMatch(/cannot read the entry: inflates to more than the 200 bytes its directory entry declares/);

    const capped = await db.importOsv(writeZip('big.zip', [{ name: 'BIG.json', data: huge, method: 'store' }]), { limits: { maxEntryBytes: 1024 * 1024 } });
    expect(capped.errors[0]?.message).toMatch(/declares 3145728 bytes uncompressed, more than the 1048576-byte limit/);
  });

  it('stops reading an archive past the total size cap', async () => {
    const entries = Array.from({ length: 5 }, (_, i) => ({ name: `OSV-${i}.json`, data: minimal(`OSV-${i}`, '2024-01-01T00:00:00Z') }));
    const size = Buffer.byteLength(entries[0]?.data ?? '');
    const result = await db.importOsv(writeZip('many.zip', entries), { limits: { maxTotalBytes: size * 2 + 10 } });
    expect(result.imported).toBe(2);
    expect(result.errors).toEqual([{ entry: join(dir, 'many.zip'), message: expect.stringMatching(/uncompressed in total; the rest of the archive is not read/) }]);
  });

  it('reports a truncated zip without crashing', async () => {
    const full = buildZip(fixtureEntries());
    const path = join(dir, 'cut.zip');
    writeFileSync(path, full.subarray(0, Math.floor(full.length / 2)));
    const result = await db.importOsv(path);
    expect(result.imported).toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toMatch(/cannot read the zip: .*(central directory|truncated)/i);
  });

  it('reports a damaged entry (bad CRC / deflate data) and reads the rest', async () => {
    const entries = [
      { name: 'OSV-1.json', data: minimal('OSV-1', '2024-01-01T00:00:00Z'), method: 'store' as const },
      { name: 'OSV-2.json', data: minimal('OSV-2', '2024-01-01T00:00:00Z'), method: 'store' as const },
    ];
    const zip = buildZip(entries);
    const at = zip.indexOf('OSV-1', 40); // inside the first entry's data (after its local header and name)
    zip.write('XXXXX', at);
    const path = join(dir, 'damaged.zip');
    writeFileSync(path, zip);
    const result = await db.importOsv(path);
    expect(result.imported).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.entry).toBe('damaged.zip!OSV-1.json');
    expect(result.errors[0]?.message).toMatch(/CRC-32 mismatch/);
    expect(db.get('XXXXX')).toBeNull();
  });

  it('skips non-JSON entries and reports bad JSON and malformed records', async () => {
    const zip = writeZip('mixed.zip', [
      { name: 'README.md', data: '# hello' },
      { name: 'dir/', data: '' },
      { name: 'notes.txt', data: 'x' },
      { name: 'BAD.json', data: '{"id": "BAD", ' },
      { name: 'NOMOD.json', data: JSON.stringify({ id: 'NOMOD-1', affected: [] }) },
      {
        name: 'TWOKEYS.json',
        data: JSON.stringify({ id: 'TWO-1', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0', fixed: '1' }] }] }] }),
      },
      { name: 'BADTYPE.json', data: JSON.stringify({ id: 'T-1', modified: '2024-01-01T00:00:00Z', affected: [{ ranges: [{ type: 'CALVER', events: [{ introduced: '0' }] }] }] }) },
      { name: 'NOINTRO.json', data: JSON.stringify({ id: 'N-1', modified: '2024-01-01T00:00:00Z', affected: [{ ranges: [{ type: 'SEMVER', events: [{ fixed: '1.0.0' }] }] }] }) },
      { name: 'ARRAY.json', data: '[]' },
      { name: 'OK.json', data: minimal('OK-1', '2024-01-01T00:00:00Z', { unknown_future_field: { x: 1 } }) },
    ]);
    const result = await db.importOsv(zip);
    expect(result.imported).toBe(1);
    expect(result.skipped).toBe(2);
    const byEntry = Object.fromEntries(result.errors.map((e) => [e.entry.replace('mixed.zip!', ''), e.message]));
    expect(Object.keys(byEntry)).toEqual(['BAD.json', 'NOMOD.json', 'TWOKEYS.json', 'BADTYPE.json', 'NOINTRO.json', 'ARRAY.json']);
    expect(byEntry['BAD.json']).toMatch(/^not JSON/);
    expect(byEntry['NOMOD.json']).toMatch(/^NOMOD-1: not an OSV record: \$\.modified/);
    expect(byEntry['TWOKEYS.json']).toMatch(/\$\.affected\[0\]\.ranges\[0\]\.events\[0\]: an event has more than one/);
    expect(byEntry['BADTYPE.json']).toMatch(/\$\.affected\[0\]\.ranges\[0\]\.type/);
    expect(byEntry['NOINTRO.json']).toMatch(/needs at least one introduced event/);
    expect(byEntry['ARRAY.json']).toMatch(/not an OSV record/);
    // unknown keys are kept
    expect((db.get('OK-1') as Record<string, unknown> | null)?.unknown_future_field).toEqual({ x: 1 });
  });

  it('reads entries larger than, and across, the reader\u2019s 1 MiB blocks', async () => {
    // incompressible details: stored entries of ~700 KB, 14 MB in all (more than the 8 cached blocks)
    const entries = Array.from({ length: 20 }, (_, i) => ({
      name: `BIG-${i}.json`,
      data: minimal(`BIG-${i}`, '2024-01-01T00:00:00Z', { details: randomText(700_000, i) }),
      method: i % 2 === 0 ? ('store' as const) : ('deflate' as const),
    }));
    const result = await db.importOsv(writeZip('big.zip', entries));
    expect(result).toEqual({ imported: 20, updated: 0, skipped: 0, errors: [] });
    expect(db.get('BIG-7')?.details).toBe(randomText(700_000, 7));
    expect(db.get('BIG-7', { details: false })?.details).toBeUndefined();
  });

  it('re-importing an all.zip updates only the newer records', async () => {
    const v1 = writeZip('v1.zip', [
      { name: 'A.json', data: minimal('A', '2024-01-01T00:00:00Z') },
      { name: 'B.json', data: minimal('B', '2024-01-01T00:00:00Z') },
    ]);
    const v2 = writeZip('v2.zip', [
      { name: 'A.json', data: minimal('A', '2024-01-01T00:00:00Z') },
      { name: 'B.json', data: minimal('B', '2024-03-01T00:00:00Z', { summary: 'revised' }) },
      { name: 'C.json', data: minimal('C', '2024-03-01T00:00:00Z') },
    ]);
    expect(await db.importOsv(v1)).toEqual({ imported: 2, updated: 0, skipped: 0, errors: [] });
    expect(await db.importOsv(v2)).toEqual({ imported: 1, updated: 1, skipped: 1, errors: [] });
    expect(db.get('B')?.summary).toBe('revised');
  });
});

describe('the database file', () => {
  it('is a WAL-mode SQLite file that a second handle can read', async () => {
    await db.importOsv(join(FIXTURES_DIR, 'GHSA-35jh-r3h4-6jhm.json'));
    const second = AdvisoryDatabase.open(db.path);
    try {
      expect(second.lookup('npm', 'lodash')).toHaveLength(1);
    } finally {
      second.close();
    }
    expect(readFileSync(db.path).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('refuses a file that is not a database', () => {
    const path = join(dir, 'junk.db');
    writeFileSync(path, 'this is not sqlite, it is text long enough to be read as a header page '.repeat(20));
    expect(() => AdvisoryDatabase.open(path)).toThrow(/not a database/);
  });
});

/** Deterministic text that does not compress. */
function randomText(length: number, seed: number): string {
  let s = seed + 1;
  let out = '';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ';
  while (out.length < length) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out += alphabet[s % alphabet.length];
  }
  return out;
}
