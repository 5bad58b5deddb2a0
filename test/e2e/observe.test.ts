/**
 * The whole path, from the CLI a user runs: a real git repository with markers written by
 * different people at different dates, observed several times into a real SQLite database.
 */
import { readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runJson, ROOT } from '../support/cli.js';
import { tempRepo, type TempRepo } from '../support/repo.js';

interface JsonFinding {
  fingerprint: string;
  rule: string;
  severity: string;
  status: string;
  title: string;
  location: { path: string; line?: number } | null;
  data: Record<string, unknown>;
  firstSeen: string;
  suppressed?: { reason: string };
}
interface JsonReport {
  schemaVersion: number;
  snapshots: Array<{ id: string; system: string; status: string; revision: { commit: string; branch: string } | null; probes: Array<{ id: string; status: string; errors: unknown[]; facts?: Record<string, unknown> }> }>;
  findings: JsonFinding[];
  metrics: Array<{ name: string; value: number; labels: Record<string, string> }>;
}

const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'report.v1.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validateReport = ajv.compile(schema);

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo({ name: 'shop' });
  repo.write(
    'src/app.ts',
    [
      'export function main() {',
      '  // TODO(#12): retry on 503',
      '  const s = "// TODO not a marker, a string";',
      '  return s;',
      '}',
      '',
    ].join('\n'),
  );
  repo.write('scripts/deploy.sh', '#!/bin/sh\n# FIXME: hard-coded region\necho "# TODO in a string"\n');
  repo.commit('first', { author: 'Alice Old <alice@example.test>', date: '2022-03-01T10:00:00Z' });
  repo.write('lib/util.py', 'def f():\n    # HACK: works around a driver bug\n    return 1\n');
  repo.write('web/index.html', '<!-- TODO: 日本語のTODO：リトライ処理を追加 -->\n<p>TODO in text is not a comment</p>\n');
  repo.commit('second', { author: 'Bob New <bob@example.test>', date: new Date(Date.now() - 5 * 86_400_000).toISOString() });
});
afterEach(() => repo.remove());

const observe = (...args: string[]) => runJson<JsonReport>(['observe', '.', '--probe', 'todo', '--format', 'json', ...args], { cwd: repo.dir });

describe('prodeng observe (todo probe, SQLite)', () => {
  it('finds markers in comments only, dates them with git blame and validates against the schema', async () => {
    const { result, json } = await observe();
    expect(result.code, result.stderr).toBe(0);
    expect(validateReport(json), JSON.stringify(validateReport.errors)).toBe(true);
    expect(result.stderr).toBe(''); // no progress noise when not a terminal
    const [snapshot] = json.snapshots;
    expect(snapshot).toMatchObject({ system: 'shop', status: 'complete', revision: { branch: 'main' } });
    expect(snapshot!.probes.find((p) => p.id === 'todo')).toMatchObject({ status: 'ok', errors: [] });

    const byPath = Object.fromEntries(json.findings.map((f) => [`${f.location && 'path' in f.location ? f.location.path : ''}:${f.location?.line}`, f]));
    expect(Object.keys(byPath).sort()).toEqual(['lib/util.py:2', 'scripts/deploy.sh:2', 'src/app.ts:2', 'web/index.html:1']);
    expect(byPath['src/app.ts:2']).toMatchObject({
      rule: 'todo/marker',
      status: 'new',
      data: { tag: 'TODO', text: 'retry on 503', author: 'Alice Old', reference: '#12' },
    });
    expect(byPath['src/app.ts:2']!.data.ageDays).toBeGreaterThan(365 * 2);
    expect(byPath['src/app.ts:2']!.severity).toBe('high'); // over two years old
    expect(byPath['scripts/deploy.sh:2']!.severity).toBe('high'); // urgent tags rank a step higher, capped at high
    expect(byPath['lib/util.py:2']).toMatchObject({ severity: 'info', data: { tag: 'HACK', author: 'Bob New' } });
    expect(byPath['web/index.html:1']!.data.text).toBe('日本語のTODO：リトライ処理を追加');

    const count = (tag: string) => json.metrics.find((m) => m.name === 'todo.count' && m.labels.tag === tag)?.value;
    expect([count('TODO'), count('FIXME'), count('HACK'), count('XXX'), count('BUG')]).toEqual([2, 1, 1, 0, 0]);
    expect(json.metrics.find((m) => m.name === 'todo.oldest_days')!.value).toBeGreaterThan(700);
  });

  it('tracks the lifecycle across snapshots: moved markers keep identity, removed ones resolve, returning ones reopen', async () => {
    const first = (await observe()).json;
    const fp = (report: JsonReport, path: string) => report.findings.find((f) => f.location && 'path' in f.location && f.location.path === path);
    const original = fp(first, 'src/app.ts')!;

    // Move the marker down three lines: same finding, still open.
    repo.write('src/app.ts', 'import x from "y";\n\n\nexport function main() {\n  // TODO(#12): retry on 503\n  return 1;\n}\n');
    repo.commit('move');
    const second = (await observe()).json;
    const moved = fp(second, 'src/app.ts')!;
    expect(moved.fingerprint).toBe(original.fingerprint);
    expect(moved).toMatchObject({ status: 'open', firstSeen: original.firstSeen, location: { line: 5 } });

    // Remove it: resolved.
    repo.write('src/app.ts', 'export function main() {\n  return 1;\n}\n');
    repo.commit('fix');
    const third = (await observe()).json;
    expect(third.findings.find((f) => f.fingerprint === original.fingerprint)?.status).toBe('resolved');

    // Bring it back: reopened.
    repo.write('src/app.ts', 'export function main() {\n  // TODO(#12): retry on 503\n}\n');
    repo.commit('regress');
    const fourth = (await observe()).json;
    expect(fourth.findings.find((f) => f.fingerprint === original.fingerprint)?.status).toBe('reopened');

    // diff between the first and third snapshot names the resolved finding
    const diff = await runJson<{ findings: { resolved: JsonFinding[]; new: JsonFinding[] } }>(
      ['diff', third.snapshots[0]!.id.slice(0, 12), fourth.snapshots[0]!.id, '--format', 'json'],
      { cwd: repo.dir },
    );
    expect(diff.result.code, diff.result.stderr).toBe(0);
    expect(diff.json.findings.resolved).toEqual([]);
    expect(diff.json.findings.new).toEqual([]);
    expect((diff.json.findings as unknown as { reopened: JsonFinding[] }).reopened.map((f) => f.fingerprint)).toEqual([original.fingerprint]);

    const history = await runJson<{ series: Array<{ name: string; labels: Record<string, string>; points: Array<{ value: number }> }> }>(
      ['history', '--metric', 'todo.count', '--label', 'tag=TODO', '--format', 'json'],
      { cwd: repo.dir },
    );
    expect(history.json.series[0]!.points.map((p) => p.value)).toEqual([2, 2, 1, 2]);
  });

  it('dates uncommitted and staged markers as written now, committed ones by their commit', async () => {
    repo.write('lib/util.py', 'def f():\n    # HACK: works around a driver bug\n    # TODO: not committed yet\n    return 1\n');
    repo.write('scripts/deploy.sh', '#!/bin/sh\n# FIXME: hard-coded region\n# XXX: staged, not committed\n');
    repo.git('add', 'scripts/deploy.sh');
    const { result, json } = await observe();
    expect(result.code, result.stderr).toBe(0);
    const byTitle = new Map(json.findings.map((f) => [f.title, f.data]));
    expect(byTitle.get('TODO: not committed yet')).toMatchObject({ author: null, ageDays: 0 });
    expect(byTitle.get('XXX: staged, not committed')).toMatchObject({ author: null, ageDays: 0 });
    expect(byTitle.get('HACK: works around a driver bug')).toMatchObject({ author: 'Bob New' });
    expect(byTitle.get('FIXME: hard-coded region')).toMatchObject({ author: 'Alice Old' });
    expect(byTitle.get('TODO(#12): retry on 503')?.author ?? byTitle.get('TODO: retry on 503')?.author).toBe('Alice Old');
  });

  it('blames the line git sees when a file holds a lone CR (Vim scripts, old Mac files)', async () => {
    repo.write('cr.vim', 'nmap x :echo 1\rj\n" TODO: fix the mapping\n');
    repo.commit('lone cr', { author: 'Carol Cr <carol@example.test>', date: '2023-01-02T03:04:05Z' });
    const { result, json } = await observe();
    expect(result.code, result.stderr).toBe(0);
    const marker = json.findings.find((f) => f.title === 'TODO: fix the mapping');
    expect(marker?.location).toMatchObject({ path: 'cr.vim', line: 2 });
    expect(marker?.data).toMatchObject({ author: 'Carol Cr', date: '2023-01-02T03:04:05.000Z' });
    expect(json.snapshots[0]!.probes.find((p) => p.id === 'todo')!.errors).toEqual([]);
  });

  it('keeps two identical markers in one file distinct', async () => {
    repo.write('dup.js', '// TODO: same\nfoo();\n// TODO: same\n');
    repo.commit('dups');
    const { json } = await observe();
    const dups = json.findings.filter((f) => f.location && 'path' in f.location && f.location.path === 'dup.js');
    expect(dups).toHaveLength(2);
    expect(new Set(dups.map((f) => f.fingerprint)).size).toBe(2);
  });

  it('exits 1 with --fail-on when an open finding meets the threshold, 0 otherwise', async () => {
    expect((await runCli(['observe', '.', '--probe', 'todo', '--fail-on', 'high', '-q'], { cwd: repo.dir })).code).toBe(1);
    expect((await runCli(['observe', '.', '--probe', 'todo', '--fail-on', 'critical', '-q'], { cwd: repo.dir })).code).toBe(0);
    expect((await runCli(['report', '--fail-on', 'high'], { cwd: repo.dir })).code).toBe(1);
  });

  it('applies ignores from the config, and reports an expired ignore', async () => {
    repo.write(
      'prodeng.yml',
      [
        'systems:',
        '  - name: shop',
        '    repo: .',
        'ignore:',
        '  - rule: todo/marker',
        '    path: "scripts/**"',
        '    reason: deploy scripts are rewritten next quarter',
        '    until: 2999-01-01',
        '  - rule: todo/marker',
        '    path: "lib/**"',
        '    reason: old exception',
        '    until: 2020-01-01',
        '',
      ].join('\n'),
    );
    const { result, json } = await runJson<JsonReport>(['observe', '--probe', 'todo', '--format', 'json', '--fail-on', 'high'], { cwd: repo.dir });
    const deploy = json.findings.find((f) => f.location && 'path' in f.location && f.location.path === 'scripts/deploy.sh');
    expect(deploy?.suppressed?.reason).toBe('deploy scripts are rewritten next quarter');
    const expired = json.findings.find((f) => f.rule === 'core/ignore-expired');
    expect(expired).toMatchObject({ severity: 'low', location: { path: 'prodeng.yml', line: 9 } });
    // The app.ts TODO is high and not ignored, so --fail-on high still fails.
    expect(result.code).toBe(1);
  });

  it('prints a readable table by default and the same backlog from `report`', async () => {
    const observed = await runCli(['observe', '.', '--probe', 'todo'], { cwd: repo.dir });
    expect(observed.code, observed.stderr).toBe(0);
    expect(observed.stdout).toContain('todo/marker');
    expect(observed.stdout).toContain('src/app.ts:2');
    expect(observed.stdout).not.toMatch(/\u001b\[/); // NO_COLOR
    const reported = await runCli(['report'], { cwd: repo.dir });
    expect(reported.code).toBe(0);
    const strip = (text: string) => text.replace(/\d+(ms|s)\b/g, '');
    expect(strip(reported.stdout)).toBe(strip(observed.stdout));
  });

  it('writes valid SARIF and Markdown', async () => {
    const sarif = await runJson<{ version: string; runs: Array<{ results: Array<{ ruleId: string; partialFingerprints: Record<string, string> }> }> }>(
      ['observe', '.', '--probe', 'todo', '--format', 'sarif'],
      { cwd: repo.dir },
    );
    expect(sarif.json.version).toBe('2.1.0');
    expect(sarif.json.runs[0]!.results.length).toBe(4);
    expect(sarif.json.runs[0]!.results[0]!.partialFingerprints['prodeng/v1']).toMatch(/^[0-9a-f]{32}$/);
    const md = await runCli(['report', '--format', 'markdown'], { cwd: repo.dir });
    expect(md.stdout).toMatch(/\|.*todo\/marker.*\|/);
  });

  it('observes a plain directory without git, and a subdirectory target', async () => {
    const plain = tempRepo({ git: false, name: 'plain' });
    try {
      plain.write('a.go', 'package a\n// TODO: plain dir\n');
      plain.write('.gitignore', 'skip.go\n');
      plain.write('skip.go', '// TODO: ignored by .gitignore\n');
      const { result, json } = await runJson<JsonReport>(['observe', '.', '--probe', 'todo', '--format', 'json'], { cwd: plain.dir });
      expect(result.code, result.stderr).toBe(0);
      expect(json.snapshots[0]!.revision).toBeNull();
      expect(json.findings.map((f) => f.title)).toEqual(['TODO: plain dir']);
      expect(json.findings[0]!.data.author).toBeNull();
    } finally {
      plain.remove();
    }
    const sub = await runJson<JsonReport>(['observe', 'lib', '--probe', 'todo', '--format', 'json'], { cwd: repo.dir });
    expect(sub.json.snapshots[0]!.system).toBe('lib');
    expect(sub.json.findings.map((f) => f.location && 'path' in f.location && f.location.path)).toEqual(['util.py']);
  });
});

describe('prodeng observe: repeated observations reuse the scan (todo scan cache)', () => {
  it('gives the same report from the cache, on worker threads, and sees what changed since', async () => {
    for (let i = 0; i < 400; i++) repo.write(`pkg/m${i}.js`, i % 50 === 0 ? `// TODO: module ${i}\n` : `export const v${i} = ${i};\n`);
    repo.commit('many files', { date: '2023-06-01T00:00:00Z' });
    repo.write('prodeng.yml', 'systems:\n  - name: shop\n    repo: .\nprobes:\n  todo:\n    workers: 2\n');
    // Git trusts its record of a file once the index is written in a later second; the test is
    // quicker than that, so the index is dated forward.
    const later = new Date(Date.now() + 10_000);
    utimesSync(join(repo.dir, '.git', 'index'), later, later);
    const run = () => runJson<JsonReport>(['observe', '--probe', 'todo', '--format', 'json'], { cwd: repo.dir });
    const todoFacts = (report: JsonReport) => report.snapshots[0]!.probes.find((probe) => probe.id === 'todo')!.facts!;
    const essentials = (report: JsonReport) => report.findings.map((f) => [f.fingerprint, f.title, f.location, f.data.author, f.data.date]);

    const first = await run();
    expect(first.result.code, first.result.stderr).toBe(0);
    expect(todoFacts(first.json).filesFromCache).toBe(0);
    const second = await run();
    expect(todoFacts(second.json).filesFromCache).toBe(404);
    expect(essentials(second.json)).toEqual(essentials(first.json));
    expect(second.json.findings).toHaveLength(12);

    repo.write('pkg/m1.js', '// FIXME: new since the last observation\n');
    const third = await run();
    expect(todoFacts(third.json).filesFromCache).toBe(403);
    expect(third.json.findings.filter((f) => f.status === 'new').map((f) => f.title)).toEqual(['FIXME: new since the last observation']);
  });
});

describe('prodeng observe: the todo scan on several threads', () => {
  it('finds the same as one thread, large files (left to the workers) included, and caches them alike', async () => {
    for (let i = 0; i < 300; i++) repo.write(`pkg/m${i}.js`, i % 60 === 0 ? `// TODO: small ${i}\n` : `export const v${i} = ${i};\n`);
    // Over the size the main thread leaves to the workers (512 KiB), marker at the end.
    for (let i = 0; i < 6; i++) repo.write(`big/b${i}.js`, `${'const filler = 1;\n'.repeat(40_000)}// FIXME: big ${i}\n`);
    repo.commit('many files', { date: '2023-06-01T00:00:00Z' });
    const later = new Date(Date.now() + 10_000);
    utimesSync(join(repo.dir, '.git', 'index'), later, later);
    const run = (workers: number) => {
      repo.write('prodeng.yml', `systems:\n  - name: shop\n    repo: .\nprobes:\n  todo:\n    workers: ${workers}\n    blame: false\n`);
      return runJson<JsonReport>(['observe', '--probe', 'todo', '--format', 'json'], { cwd: repo.dir });
    };
    const essentials = (report: JsonReport) => report.findings.map((f) => [f.fingerprint, f.title, f.location]).sort();
    const facts = (report: JsonReport) => report.snapshots[0]!.probes.find((probe) => probe.id === 'todo')!.facts!;
    const one = await run(1);
    expect(one.result.code, one.result.stderr).toBe(0);
    const three = await run(3);
    expect(three.result.code, three.result.stderr).toBe(0);
    expect(essentials(three.json)).toEqual(essentials(one.json));
    expect(three.json.findings.filter((f) => f.title.startsWith('FIXME: big'))).toHaveLength(6);
    expect(facts(three.json).filesScanned).toBe(facts(one.json).filesScanned);
    // Again, from the cache: every tracked file's answer reused, wherever it was scanned.
    const again = await run(3);
    expect(facts(again.json).filesFromCache).toBe(repo.git('ls-files').trim().split('\n').length);
    expect(essentials(again.json)).toEqual(essentials(one.json));
  });
});

describe('other commands', () => {
  it('init writes a config that observe accepts, and refuses to overwrite', async () => {
    expect((await runCli(['init'], { cwd: repo.dir })).code).toBe(0);
    expect(readFileSync(join(repo.dir, 'prodeng.yml'), 'utf8')).toContain('name: shop');
    const second = await runCli(['init'], { cwd: repo.dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('--force');
    expect((await runCli(['observe', '--probe', 'todo', '-q'], { cwd: repo.dir })).code).toBe(0);
  });

  it('probes lists the todo probe with its rules and options', async () => {
    const { json } = await runJson<{ probes: Array<{ id: string; rules: Array<{ id: string }>; options: Array<{ key: string }> }> }>(
      ['probes', '--format', 'json'],
      { cwd: repo.dir },
    );
    const todo = json.probes.find((p) => p.id === 'todo')!;
    expect(todo.rules.map((r) => r.id)).toEqual(['todo/marker']);
    expect(todo.options.map((o) => o.key)).toContain('tags');
    const table = await runCli(['probes'], { cwd: repo.dir });
    expect(table.stdout).toContain('todo/marker');
  });

  it('history draws a sparkline per series', async () => {
    await runCli(['observe', '--probe', 'todo', '-q'], { cwd: repo.dir });
    await runCli(['observe', '--probe', 'todo', '-q'], { cwd: repo.dir });
    const unknown = await runCli(['report', '--system', 'nope'], { cwd: repo.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no system "nope" in the database; known systems: shop');
    const history = await runCli(['history', '--system', 'shop'], { cwd: repo.dir });
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toMatch(/todo\.count\{tag="TODO"\}\s+[▁▂▃▄▅▆▇█]{2}\s+2 → 2 markers/);
  });

  it('prints help and version', async () => {
    const help = await runCli(['--help'], { cwd: repo.dir });
    expect(help.code).toBe(0);
    for (const command of ['observe', 'report', 'diff', 'history', 'init', 'probes']) expect(help.stdout).toContain(command);
    const observeHelp = await runCli(['observe', '--help'], { cwd: repo.dir });
    expect(observeHelp.stdout).toContain('--fail-on');
    const version = await runCli(['--version'], { cwd: repo.dir });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
