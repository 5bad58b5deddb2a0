import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { changepointsOutput, parseSeries, readSeries, SeriesInputError } from './input.js';

describe('parseSeries: JSON', () => {
  it('reads an array of numbers', () => {
    expect(parseSeries('[1, 2.5, -3e2]')).toEqual([1, 2.5, -300]);
    expect(parseSeries('  \n [ ] ')).toEqual([]);
    expect(parseSeries('\uFEFF[4]')).toEqual([4]);
  });

  it('rejects anything else, naming the line and the element', () => {
    expect(() => parseSeries('[1, "2", 3]', 'a.json')).toThrow('a.json: line 1: element 1 is string, not a number');
    expect(() => parseSeries('[1, true]')).toThrow('element 1 is boolean');
    expect(() => parseSeries('[1, {"a": 2}]')).toThrow('element 1 is object');
    expect(() => parseSeries('[1, null]')).toThrow('element 1 is null');
    expect(() => parseSeries('[1, [2]]')).toThrow('element 1 is object');
    expect(() => parseSeries('[1e400]')).toThrow('element 0 is not a finite number');
    expect(() => parseSeries('[1, 2')).toThrow(/not valid JSON/);
    expect(() => parseSeries('[1, 2]]')).toThrow(SeriesInputError);
  });

  it('names the line of a bad element or a syntax error in a multi-line array', () => {
    const at = (text: string) => {
      try {
        parseSeries(text, 'a.json');
      } catch (e) {
        return [(e as SeriesInputError).line, (e as Error).message];
      }
      return undefined;
    };
    expect(at('[\n  1,\n  2,\n  "x",\n  4\n]')).toEqual([4, 'a.json: line 4: element 2 is string, not a number']);
    expect(at('[\r\n1,\r\n2,\r\nx]')).toEqual([4, 'a.json: line 4: not valid JSON: expected a number as element 2, found "x]"']);
    expect(at('[\n1,\n2\n3]')).toEqual([4, 'a.json: line 4: not valid JSON: expected "," or "]" after element 1, found "3]"']);
    expect(at('[1,\n2,\n]')).toEqual([3, 'a.json: line 3: not valid JSON: expected a number as element 2, found "]"']);
    expect(at('[1,\n2\n\n')).toEqual([4, 'a.json: line 4: not valid JSON: expected "," or "]" after element 1, found the end of the input']);
    expect(at('[1]\n\n[2]')).toEqual([3, 'a.json: line 3: not valid JSON: unexpected "[2]" after the closing "]"']);
    // Numbers JSON does not allow (JSON.parse rejects them too).
    for (const text of ['[+1]', '[.5]', '[01]', '[1.]', '[NaN]', '[-]', '[0x10]']) expect(() => parseSeries(text), text).toThrow(/line 1: not valid JSON/);
  });

  it('does not read objects as series', () => {
    expect(() => parseSeries('{"values": [1]}')).toThrow(SeriesInputError);
  });
});

describe('parseSeries: CSV', () => {
  it('reads one column, with or without a header, skipping blank lines', () => {
    expect(parseSeries('1\n2\n3\n')).toEqual([1, 2, 3]);
    expect(parseSeries('duration_ms\n120\n130.5\n')).toEqual([120, 130.5]);
    expect(parseSeries('\n\n  value \r\n 1 \r\n\r\n2\r\n   \n3')).toEqual([1, 2, 3]);
    expect(parseSeries('\uFEFFp95\n"12"\n+4\n.5\n-1E3\n')).toEqual([12, 4, 0.5, -1000]);
    expect(parseSeries('')).toEqual([]);
    expect(parseSeries('header only\n')).toEqual([]);
  });

  it('names the line of a bad cell', () => {
    const error = (() => {
      try {
        parseSeries('value\n1\n2\noops\n3', 'series.csv');
      } catch (e) {
        return e as SeriesInputError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SeriesInputError);
    expect(error!.message).toBe('series.csv: line 4: "oops" is not a number');
    expect(error!.line).toBe(4);
    // A second header, or a header after data, is an error.
    expect(() => parseSeries('a\nb\n1')).toThrow('line 2: "b" is not a number');
    expect(() => parseSeries('1\nvalue\n2')).toThrow('line 2');
    // Only one column; a number that overflows; spellings Number() would accept but people do not write.
    expect(() => parseSeries('1\n2,3\n')).toThrow('line 2: expected one column, found 2');
    expect(() => parseSeries('1\n1e999\n')).toThrow('line 2: 1e999 is too large to be a finite number');
    for (const cell of ['0x10', 'Infinity', 'NaN', '1_000', '12ms', '--1', '1.2.3']) {
      expect(() => parseSeries(`1\n${cell}\n`)).toThrow(`line 2`);
    }
  });

  it('reads back any list of finite numbers it is given, in either format', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true })), (values) => {
        const expected = values.map((v) => (Object.is(v, -0) ? 0 : v));
        expect(parseSeries(JSON.stringify(values)).map((v) => (Object.is(v, -0) ? 0 : v))).toEqual(expected);
        expect(parseSeries(`value\n${values.map(String).join('\n')}\n`).map((v) => (Object.is(v, -0) ? 0 : v))).toEqual(expected);
      }),
    );
  });
});

describe('readSeries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prodeng-changepoints-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file relative to cwd, or standard input for - and no file', async () => {
    writeFileSync(join(dir, 'series.csv'), 'ms\n1\n2\n');
    expect(await readSeries('series.csv', { cwd: dir })).toEqual([1, 2]);
    expect(await readSeries('-', { cwd: dir, stdin: Readable.from([Buffer.from('[1,'), Buffer.from(' 2]')]) })).toEqual([1, 2]);
    expect(await readSeries(undefined, { cwd: dir, stdin: Readable.from(['3\n4\n']) })).toEqual([3, 4]);
  });

  it('says which file it could not read', async () => {
    await expect(readSeries('missing.csv', { cwd: dir })).rejects.toThrow('missing.csv: no such file');
    await expect(readSeries('.', { cwd: dir })).rejects.toThrow('.: is a directory');
    await expect(readSeries('-', { cwd: dir, stdin: Readable.from(['x\ny\n']) })).rejects.toThrow('stdin: line 2: "y" is not a number');
  });

  it('rejects input with nothing in it, but reads an explicitly empty series', async () => {
    writeFileSync(join(dir, 'empty.csv'), '');
    await expect(readSeries('empty.csv', { cwd: dir })).rejects.toThrow('empty.csv: the input is empty; expected a JSON array of numbers or one numeric CSV column');
    await expect(readSeries('-', { cwd: dir, stdin: Readable.from(['\uFEFF \n\n']) })).rejects.toThrow('stdin: the input is empty');
    await expect(readSeries(undefined, { cwd: dir, stdin: Readable.from([]) })).rejects.toThrow(SeriesInputError);
    expect(await readSeries('-', { cwd: dir, stdin: Readable.from(['[]']) })).toEqual([]);
    expect(await readSeries('-', { cwd: dir, stdin: Readable.from(['duration_ms\n']) })).toEqual([]);
  });
});

describe('changepointsOutput', () => {
  it('is the change points only', () => {
    expect(changepointsOutput({ changePoints: [3, 9] })).toEqual({ changePoints: [3, 9] });
    expect(JSON.stringify(changepointsOutput({ changePoints: [] }))).toBe('{"changePoints":[]}');
  });
});
