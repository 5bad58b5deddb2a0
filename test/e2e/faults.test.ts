/**
 * Bad input and faults, end to end: each gets a clear message and its documented exit code, and
 * what was recorded before stays intact.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../support/cli.js';
import { tempRepo, type TempRepo } from '../support/repo.js';

interface Report {
  snapshots: Array<{ id: string; status: string; probes: Array<{ id: string; status: string; errors: Array<{ message: string; code?: string }> }> }>;
  findings: Array<{ title: string; location: { path: string; line?: number } | null }>;
}

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo({ name: 'svc' });
  repo.write('main.c', '/* FIXME: check bounds */\nint main(void) { return 0; }\n');
  repo.commit('init');
});
afterEach(() => repo.remove());

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('usage and configuration errors exit 2', () => {
  it('names file, line and key of a config error and records nothing', async () => {
    repo.write('prodeng.yml', 'systems:\n  - name: svc\n    repo: .\nprobes:\n  todo:\n    tags: TODO\n');
    const result = await runCli(['observe'], { cwd: repo.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/prodeng\.yml:6:11: probes\.todo\.tags: expected array/);
    const report = await runCli(['report'], { cwd: repo.dir });
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(/no prodeng database at .*prodeng\.db yet; run `prodeng observe` here first/);
  });

  it('rejects unknown options, probes, formats and targets with what to do', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['observe', '--frmat', 'json'], /Unknown option '--frmat'.*\n.*prodeng observe --help/s],
      [['observe', '--probe', 'todo', '--format', 'xml'], /--format must be one of table, json, markdown, sarif/],
      [['observe', '--probe', 'nope'], /--probe nope: unknown probe; known probes: todo, versions, vulns, supply-chain, http, tls, tests, ci/],
      [['observe', 'missing-dir'], /missing-dir: no such directory/],
      [['observe', 'main.c'], /main\.c: not a directory/],
      [['observe', '--config', 'nope.yml'], /--config nope\.yml: no such file/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['report', '--system', 'other'], /no prodeng database/],
      [['diff'], /no prodeng database/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { cwd: repo.dir });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});

describe('database faults exit 3 and keep the file', () => {
  it('refuses a corrupted database without modifying it', async () => {
    mkdirSync(join(repo.dir, '.prodeng'));
    const db = join(repo.dir, '.prodeng', 'prodeng.db');
    writeFileSync(db, Buffer.from('this is not a database at all, but it is long enough to look like one'.repeat(100)));
    const before = sha(db);
    const result = await runCli(['observe', '.', '--probe', 'todo'], { cwd: repo.dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/not a prodeng database or is corrupted/);
    expect(sha(db)).toBe(before);
  });

  it('keeps earlier snapshots when a later database is truncated', async () => {
    expect((await runCli(['observe', '.', '--probe', 'todo', '-q'], { cwd: repo.dir })).code).toBe(0);
    const db = join(repo.dir, '.prodeng', 'prodeng.db');
    const copy = join(repo.dir, 'copy.db');
    const bytes = readFileSync(db);
    writeFileSync(copy, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const result = await runCli(['report', '--db', 'copy.db'], { cwd: repo.dir });
    expect(result.code).toBe(3);
    const intact = await runCli(['report'], { cwd: repo.dir });
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain('check bounds');
  });

  it('says clearly when PostgreSQL is unreachable, without printing the password', async () => {
    const result = await runCli(['observe', '.', '--probe', 'todo', '--db', 'postgres://user:s3cret@127.0.0.1:1/nodb'], { cwd: repo.dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/database error/);
    expect(result.stderr).not.toContain('s3cret');
  });
});

describe('output faults exit 4 and keep the snapshot', () => {
  it('reports a full disk on --output and the snapshot is still recorded', async () => {
    const result = await runCli(['observe', '.', '--probe', 'todo', '--output', '/dev/full'], { cwd: repo.dir });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/cannot write --output \/dev\/full: the disk is full/);
    const report = await runJson<Report>(['report', '--format', 'json'], { cwd: repo.dir });
    expect(report.json.snapshots).toHaveLength(1);
  });
});

describe('hostile and odd repository content', () => {
  it('handles non-UTF-8 text, very long lines, binaries and escape sequences', async () => {
    repo.write('latin1.c', Buffer.concat([Buffer.from('/* TODO: caf'), Buffer.from([0xe9]), Buffer.from(' au lait */\n')]));
    repo.write('long.js', `var x = 1;${' '.repeat(1_500_000)}// TODO: at the end of a very long line\n`);
    repo.write('blob.bin', Buffer.concat([Buffer.from('// TODO: binary\n'), Buffer.alloc(100, 0)]));
    repo.write('evil.py', '# TODO: \u001b[31mred\u001b[0m and \u202eevil\n');
    repo.commit('odd');
    const { result, json } = await runJson<Report>(['observe', '.', '--probe', 'todo', '--format', 'json'], { cwd: repo.dir });
    expect(result.code, result.stderr).toBe(0);
    const titles = json.findings.map((f) => f.title).sort();
    expect(titles).toContain('TODO: caf\ufffd au lait');
    expect(titles).toContain('TODO: at the end of a very long line');
    expect(titles.some((t) => t.includes('binary'))).toBe(false);
    const table = await runCli(['report'], { cwd: repo.dir });
    expect(table.stdout).not.toContain('\u001b[31m');
    expect(table.stdout).not.toContain('\u202e');
  });

  it('works without git on PATH, saying why ages are missing', async () => {
    const { result, json } = await runJson<Report>(['observe', '.', '--probe', 'todo', '--format', 'json'], { cwd: repo.dir, env: { PATH: '/nonexistent' } });
    expect(result.code, result.stderr).toBe(0);
    const todo = json.snapshots[0]!.probes.find((p) => p.id === 'todo')!;
    expect(todo.status).toBe('partial');
    expect(todo.errors[0]).toMatchObject({ code: 'git-missing' });
    expect(todo.errors[0]!.message).toMatch(/install git/);
    expect(json.findings.map((f) => f.title)).toEqual(['FIXME: check bounds']);
  });
});

describe('interruptions and concurrency', () => {
  it('Ctrl-C leaves no half snapshot and keeps earlier ones', async () => {
    expect((await runCli(['observe', '.', '--probe', 'todo', '-q'], { cwd: repo.dir })).code).toBe(0);
    // Enough files with markers that blaming them takes seconds.
    for (let i = 0; i < 1500; i++) repo.write(`gen/f${i}.ts`, `// TODO: item ${i}\nexport const v${i} = ${i};\n`);
    repo.commit('many');
    let sent = false;
    const result = await runCli(['observe', '.', '--probe', 'todo'], {
      cwd: repo.dir,
      onSpawn: (child) => {
        setTimeout(() => {
          sent = true;
          child.kill('SIGINT');
        }, 700);
      },
    });
    expect(sent).toBe(true);
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/interrupted/);
    const report = await runJson<Report>(['report', '--format', 'json'], { cwd: repo.dir });
    expect(report.json.snapshots).toHaveLength(1);
    expect(report.json.findings.map((f) => f.title)).toEqual(['FIXME: check bounds']);
  });

  it('concurrent observe runs share one SQLite file safely', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => runCli(['observe', '.', '--probe', 'todo', '-q'], { cwd: repo.dir })));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const history = await runJson<{ series: Array<{ points: unknown[] }> }>(['history', '--metric', 'todo.files_scanned', '--format', 'json'], {
      cwd: repo.dir,
    });
    expect(history.json.series[0]!.points).toHaveLength(3);
  });
});
