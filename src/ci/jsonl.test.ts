import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CiJsonlItem, parseCiJsonlLine, readCiJsonl, readCiJsonlStream } from './jsonl.js';
import { ciRecordSchema } from './model.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prodeng-ci-jsonl-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function all(items: AsyncIterable<CiJsonlItem>): Promise<CiJsonlItem[]> {
  const out: CiJsonlItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const step = {
  pipeline: 'deploy',
  run: '881',
  attempt: 2,
  job: 'build',
  step: 'compile',
  status: 'success',
  commit: '0123456789abcdef0123456789abcdef01234567',
  branch: 'main',
  queuedAt: '2024-05-01T10:00:00Z',
  startedAt: '2024-05-01T12:00:05+02:00',
  finishedAt: '2024-05-01T10:03:00.123456Z',
};

describe('parseCiJsonlLine', () => {
  it('normalises a step line', () => {
    expect(parseCiJsonlLine(JSON.stringify(step), 1)).toEqual({
      line: 1,
      record: { ...step, queuedAt: '2024-05-01T10:00:00.000Z', startedAt: '2024-05-01T10:00:05.000Z', finishedAt: '2024-05-01T10:03:00.123Z' },
    });
  });

  it('accepts run and job granularity, numeric run ids, defaults and status words of other CIs', () => {
    const item = parseCiJsonlLine(JSON.stringify({ pipeline: 'nightly', run: 42, status: 'Passed', startedAt: '2024-05-01T00:00:00Z', extra: 'ignored' }), 3);
    expect(item).toEqual({
      line: 3,
      record: { pipeline: 'nightly', run: '42', attempt: 1, job: null, step: null, status: 'success', commit: null, branch: null, queuedAt: null, startedAt: '2024-05-01T00:00:00.000Z', finishedAt: null },
    });
    expect(parseCiJsonlLine(JSON.stringify({ pipeline: 'p', run: 'r', job: 'lint', step: null, status: 'canceled' }), 1)?.record).toMatchObject({ job: 'lint', step: null, status: 'cancelled' });
    expect(parseCiJsonlLine(JSON.stringify({ pipeline: 'p', run: 'r', job: 'lint', step: '', status: 'RUNNING' }), 1)?.record).toMatchObject({ step: null, status: 'in_progress' });
    expect(parseCiJsonlLine(JSON.stringify({ pipeline: 'p', run: 'r', status: 'weird' }), 1)?.record?.status).toBe('other');
    for (const status of ['failed', 'timeout', 'skipped', 'error', 'startup_failure']) {
      expect(ciRecordSchema.safeParse(parseCiJsonlLine(JSON.stringify({ pipeline: 'p', run: 'r', status }), 1)?.record).success).toBe(true);
    }
  });

  it('keeps an http(s) url without credentials', () => {
    const item = parseCiJsonlLine(JSON.stringify({ pipeline: 'p', run: 'r', status: 'ok', url: 'https://user:pw@ci.example/run/1' }), 1);
    expect(item?.record?.url).toBe('https://ci.example/run/1');
    expect(parseCiJsonlLine(JSON.stringify({ pipeline: 'p', run: 'r', status: 'ok', url: 'javascript:alert(1)' }), 1)?.record?.url).toBeUndefined();
  });

  it('gives line-scoped errors that do not quote the line', () => {
    const cases: Array<[string, string]> = [
      ['{"pipeline": "p", "run": "r", "status": "ok",', 'line 7: not valid JSON'],
      ['[1, 2]', 'line 7: expected a JSON object'],
      ['"text"', 'line 7: expected a JSON object'],
      [JSON.stringify({ run: 'r', status: 'ok' }), 'line 7: $.pipeline: Invalid input: expected string, received undefined'],
      [JSON.stringify({ pipeline: 'p', run: 'r', status: 'ok', startedAt: '2024-05-01 10:00:00' }), 'line 7: $.startedAt: expected an ISO 8601 timestamp with a time zone (2024-05-01T10:00:00Z)'],
      [JSON.stringify({ pipeline: 'p', run: 'r', status: 'ok', startedAt: '2024-02-30T10:00:00Z' }), 'line 7: $.startedAt: expected an ISO 8601 timestamp with a time zone (2024-05-01T10:00:00Z)'],
      [JSON.stringify({ pipeline: 'p', run: 'r', status: 'ok', step: 'compile' }), 'line 7: $.job: a step needs its job'],
      [JSON.stringify({ pipeline: 'p', run: 'r', status: 'ok', attempt: 0 }), 'line 7: $.attempt: Too small: expected number to be >0'],
      [JSON.stringify({ pipeline: ' ', run: 'r', status: 'ok' }), 'line 7: $.pipeline: expected a non-empty string'],
      [JSON.stringify({ pipeline: 'p', run: '', status: 'ok' }), 'line 7: $.run: expected a non-empty string or a whole number'],
      [JSON.stringify({ pipeline: 'p', run: 1.5, status: 'ok' }), 'line 7: $.run: expected a non-empty string or a whole number'],
    ];
    for (const [text, message] of cases) expect(parseCiJsonlLine(text, 7)).toEqual({ line: 7, error: message });
    expect(parseCiJsonlLine('   ', 7)).toBeNull();
  });
});

describe('readCiJsonl', () => {
  it('reads a file with good and bad lines, CRLF, blank lines and a BOM; bad lines do not stop it', async () => {
    const path = join(dir, 'mixed.jsonl');
    const lines = [
      JSON.stringify({ pipeline: 'p', run: '1', job: 'build', status: 'success' }),
      '',
      'not json',
      JSON.stringify({ pipeline: 'p', run: '1', status: 'success' }),
      JSON.stringify({ pipeline: 'p', run: '2', status: 'success', finishedAt: 'yesterday' }),
      JSON.stringify({ pipeline: 'p', run: '3', job: 'build', step: 'ünïcødé ✓', status: 'failed' }),
    ];
    await writeFile(path, `\uFEFF${lines.join('\r\n')}`); // no newline at the end
    const items = await all(readCiJsonl(path));
    expect(items.map((item) => [item.line, item.error ?? item.record?.run])).toEqual([
      [1, '1'],
      [3, 'line 3: not valid JSON'],
      [4, '1'],
      [5, 'line 5: $.finishedAt: expected an ISO 8601 timestamp with a time zone (2024-05-01T10:00:00Z)'],
      [6, '3'],
    ]);
    expect(items[4]?.record?.step).toBe('ünïcødé ✓');
  });

  it('skips a line longer than maxLineBytes to its end and reads on', async () => {
    const long = JSON.stringify({ pipeline: 'p', run: 'x'.repeat(5000), status: 'ok' });
    const text = [JSON.stringify({ pipeline: 'p', run: '1', status: 'ok' }), long, JSON.stringify({ pipeline: 'p', run: '2', status: 'ok' })].join('\n');
    // chunks of 100 bytes: the long line spans many chunks
    const chunks = Array.from({ length: Math.ceil(text.length / 100) }, (_, i) => Buffer.from(text.slice(i * 100, i * 100 + 100)));
    const items = await all(readCiJsonlStream(Readable.from(chunks), { maxLineBytes: 1000 }));
    expect(items.map((item) => item.error ?? item.record?.run)).toEqual(['1', 'line 2: longer than 1000 bytes', '2']);
  });

  it('joins a multi-byte character split across chunks', async () => {
    const text = Buffer.from(`${JSON.stringify({ pipeline: 'パイプライン', run: '1', status: 'ok' })}\n`);
    const chunks = Array.from({ length: text.length }, (_, i) => text.subarray(i, i + 1));
    const items = await all(readCiJsonlStream(Readable.from(chunks)));
    expect(items[0]?.record?.pipeline).toBe('パイプライン');
  });

  it('streams a 100 MB file without holding it', async () => {
    const path = join(dir, 'big.jsonl');
    const out = createWriteStream(path);
    const line = (i: number) =>
      `${JSON.stringify({ ...step, run: String(i), step: `step ${i % 40}`, job: `job ${i % 7}`, commit: 'f'.repeat(40), branch: 'main', note: 'x'.repeat(20) })}\n`;
    let bytes = 0;
    let written = 0;
    while (bytes < 100 * 1024 * 1024) {
      let block = '';
      for (let k = 0; k < 2000; k++) block += line(written++);
      bytes += Buffer.byteLength(block);
      if (!out.write(block)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    expect((await stat(path)).size).toBeGreaterThanOrEqual(100 * 1024 * 1024);

    // Live memory, measured after a full collection: what the reader holds, not garbage V8 has not
    // collected yet. (`gc` is exposed at run time; nothing is timed.)
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const live = () => {
      gc();
      const memory = process.memoryUsage();
      return memory.heapUsed + memory.arrayBuffers;
    };
    const before = live();
    let peak = 0;
    let records = 0;
    let errors = 0;
    let last = '';
    for await (const item of readCiJsonl(path)) {
      if (item.record) {
        records++;
        last = item.record.run;
      } else errors++;
      if (records % 50_000 === 0) peak = Math.max(peak, live() - before);
    }
    expect(errors).toBe(0);
    expect(records).toBe(written);
    expect(last).toBe(String(written - 1));
    // the file is 100 MB (200 MB as JS strings): what is held while reading stays far below it
    expect(peak).toBeLessThan(16 * 1024 * 1024);
    await rm(path);
  });
});
