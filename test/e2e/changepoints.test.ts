/**
 * `prodeng changepoints` from the CLI, as a script uses it: a series in a file or on standard
 * input, `{"changePoints":[…]}` on stdout, and exit 2 with the file and line for input it cannot use.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/repo.js';

/** Gaussian noise from a seeded generator (mulberry32 + Box–Muller), so every run sees the same series. */
function noise(seed: number): () => number {
  let s = seed | 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** `length` points around `level`, stepping to `after` at `step` (if given). */
function series(seed: number, length: number, level: number, step?: { at: number; to: number }): number[] {
  const draw = noise(seed);
  return Array.from({ length }, (_, i) => Math.round((step !== undefined && i >= step.at ? step.to : level) * 100 + draw() * 200) / 100);
}

let work: { dir: string; remove(): void };
beforeEach(() => {
  work = tempDir('prodeng-changepoints-');
});
afterEach(() => work.remove());

const write = (name: string, text: string) => writeFileSync(join(work.dir, name), text);
const changepoints = (args: string[], input?: string) => runCli(['changepoints', ...args], { cwd: work.dir, ...(input === undefined ? {} : { input }) });

describe('prodeng changepoints', () => {
  it('finds a clear step in a JSON file and prints exactly {"changePoints": [index]}', async () => {
    // p95 latency around 120 ms that jumps to 150 ms from point 60 on (noise σ = 2 ms).
    write('latency.json', JSON.stringify(series(7, 100, 120, { at: 60, to: 150 }), null, 2));
    const result = await changepoints(['latency.json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('{"changePoints":[60]}\n');
    expect(JSON.parse(result.stdout)).toEqual({ changePoints: [60] });
    // Seeded permutations: the same input gives the same answer, run after run.
    expect((await changepoints(['latency.json', '--format', 'json'])).stdout).toBe(result.stdout);
  });

  it('reads one CSV column with a header from standard input, with - or no FILE', async () => {
    const csv = `duration_ms\r\n${series(11, 80, 300, { at: 30, to: 240 }).join('\r\n')}\r\n`;
    for (const args of [['-'], []]) {
      const result = await changepoints(args, csv);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ changePoints: [30] });
    }
  });

  it('answers an empty list for a series whose mean never moves', async () => {
    write('flat.csv', `value\n${series(3, 200, 50).join('\n')}\n`);
    const result = await changepoints(['flat.csv']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('{"changePoints":[]}\n');
    // Too short to split, and an explicitly empty series: no change points either, not an error.
    expect((await changepoints(['-'], '[1, 9]')).stdout).toBe('{"changePoints":[]}\n');
    expect((await changepoints(['-'], '[]')).stdout).toBe('{"changePoints":[]}\n');
  });

  it('shows the means and p-values around each change in --format table', async () => {
    write('latency.json', JSON.stringify(series(7, 100, 120, { at: 60, to: 150 })));
    const result = await changepoints(['latency.json', '--format', 'table']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('latency.json: 100 points, 1 change point');
    expect(lines[2]).toMatch(/INDEX\s+MEAN BEFORE\s+MEAN AFTER\s+CHANGE\s+P \(SPLIT\)\s+P \(MEANS\)/);
    const [index, before, after, change] = lines[3]!.trim().split(/\s{2,}/);
    expect(index).toBe('60');
    expect(Number(before)).toBeCloseTo(120, 0);
    expect(Number(after)).toBeCloseTo(150, 0);
    expect(change).toMatch(/^\+2\d\.\d %$/);
  });

  it('rejects malformed input with exit 2, naming the file and the line', async () => {
    write('series.csv', 'ms\n120\n121\noops\n119\n');
    const csv = await changepoints(['series.csv']);
    expect(csv.code).toBe(2);
    expect(csv.stdout).toBe('');
    expect(csv.stderr).toBe('prodeng: series.csv: line 4: "oops" is not a number\n');

    write('series.json', '[\n  120,\n  121,\n  null\n]\n');
    const json = await changepoints(['series.json']);
    expect(json.code).toBe(2);
    expect(json.stderr).toBe('prodeng: series.json: line 4: element 2 is null, not a number\n');

    const stdin = await changepoints(['-'], '120\n121,5\n');
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toBe('prodeng: stdin: line 2: expected one column, found 2\n');

    const missing = await changepoints(['missing.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('prodeng: missing.csv: no such file\n');
  });

  it('rejects empty input with exit 2: an empty pipe is a failed upstream step, not a flat series', async () => {
    const stdin = await changepoints(['-'], '');
    expect(stdin.code).toBe(2);
    expect(stdin.stdout).toBe('');
    expect(stdin.stderr).toBe('prodeng: stdin: the input is empty; expected a JSON array of numbers or one numeric CSV column\n');
    write('empty.csv', '\n  \n');
    const file = await changepoints(['empty.csv']);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('empty.csv: the input is empty');
  });

  it('checks its options, naming the one that is wrong', async () => {
    write('s.json', '[1, 2, 3]');
    for (const [args, message] of [
      [['--p-value', '1'], '--p-value must be a number between 0 and 1'],
      [['--permutations', '0'], '--permutations must be a positive whole number'],
      [['--min-segment', '1'], '--min-segment must be at least 2'],
      [['--seasonality', 'weekly'], '--seasonality must be auto, none or a period'],
      [['--format', 'csv'], '--format must be one of json, table'],
      [['--pvalue', '0.1'], "Unknown option '--pvalue'"],
      [['a.json', 'b.json'], 'changepoints takes at most 1 argument'],
    ] as const) {
      const result = await changepoints(['s.json', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
    // Valid options reach the detector: a step 40 points before the end cannot be placed exactly
    // when each side must hold 45 points, and a lax significance level lets noise through.
    write('latency.json', JSON.stringify(series(7, 100, 120, { at: 60, to: 150 })));
    const strict = await changepoints(['latency.json', '--min-segment', '40', '--seasonality', 'none', '--seed', '7']);
    expect(strict.code, strict.stderr).toBe(0);
    expect(strict.stdout).toBe('{"changePoints":[60]}\n');
    expect((await changepoints(['latency.json', '--min-segment', '45'])).stdout).toBe('{"changePoints":[55]}\n');
    const lax = JSON.parse((await changepoints(['latency.json', '--p-value', '0.5', '--permutations', '5'])).stdout) as { changePoints: number[] };
    expect(lax.changePoints.length).toBeGreaterThan(1);
  });

  it('documents itself in --help, with its exit codes, and in the command list', async () => {
    const help = await changepoints(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: prodeng changepoints \[FILE\|-\]/);
    for (const text of ['--format FORMAT', '--p-value P', '--permutations N', '--min-segment N', '--seasonality', '{"changePoints":[indices]}', 'Exit codes: 0 ok', '2 usage or input error']) {
      expect(help.stdout).toContain(text);
    }
    const list = await runCli(['--help'], { cwd: work.dir });
    expect(list.stdout).toMatch(/^ {2}changepoints +Find the points where the mean of a series shifts/m);
  });
});
