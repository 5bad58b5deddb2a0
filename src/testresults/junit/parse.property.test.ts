import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JUnitError, parseJUnit, type JUnitSource, type JUnitStatus, type JUnitTestCase } from './parse.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const fixtures = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.xml.fixture'))
  .map((name) => readFileSync(join(FIXTURES, name)));

async function parseAll(source: JUnitSource): Promise<JUnitTestCase[]> {
  const out: JUnitTestCase[] = [];
  for await (const testCase of parseJUnit(source, { path: 'generated.xml' })) out.push(testCase);
  return out;
}

/** The cases, or the JUnitError's message; anything else thrown fails the property. */
async function outcome(source: JUnitSource): Promise<JUnitTestCase[] | string> {
  try {
    return await parseAll(source);
  } catch (error) {
    if (error instanceof JUnitError) return error.message;
    throw error;
  }
}

/** Splits bytes at the given (sorted, deduplicated) cut points. */
function cut(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const sorted = [...new Set(points.map((p) => Math.min(p, bytes.length)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const at of sorted) {
    chunks.push(bytes.subarray(from, at));
    from = at;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

const MARKUP = [
  '<', '>', '/', '/>', '</', '=', '"', "'", ' ', '\n', '&', ';', '&amp;', '&#x', '&#', '&lt;', ']]>', '<![CDATA[', '<!--', '-->',
  '<?', '?>', '<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE x [', ']', '<!ENTITY a "&a;&a;">',
  '<testsuites>', '</testsuites>', '<testsuite name="s">', '</testsuite>', '<testcase', ' name="n"', " classname='c'", ' time="1,5"',
  '</testcase>', '<failure message="m">', '</failure>', '<skipped/>', '<flakyFailure>', '</flakyFailure>', '<error/>', 'text', '\u00e9', '\ud83d\ude00', '\u0000',
];

describe('parseJUnit properties', () => {
  it('arbitrary bytes: completes, and throws nothing but JUnitError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat({ max: 3000 }), { maxLength: 5 }), async (bytes, points) => {
        await outcome(cut(bytes, points));
      }),
      { numRuns: 400 },
    );
  });

  it('markup soup: completes, throws nothing but JUnitError, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...MARKUP), { maxLength: 80 }), fc.array(fc.nat({ max: 2000 }), { maxLength: 4 }), async (parts, points) => {
        const bytes = Buffer.from(parts.join(''), 'utf8');
        const whole = await outcome([bytes]);
        // Errors may differ in position only when a chunk boundary changes nothing but where a
        // truncated token is noticed; results must be identical.
        const chunked = await outcome(cut(bytes, points));
        if (typeof whole === 'string') expect(typeof chunked).toBe('string');
        else expect(chunked).toStrictEqual(whole);
      }),
      { numRuns: 400 },
    );
  });

  it('mutated fixtures: completes, throws nothing but JUnitError', async () => {
    const mutation = fc.record({
      file: fc.nat({ max: fixtures.length - 1 }),
      edits: fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 20 }), insert: fc.uint8Array({ maxLength: 8 }) }), { minLength: 1, maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ file, edits }) => {
        let bytes = Buffer.from(fixtures[file] ?? Buffer.alloc(0));
        for (const edit of edits) {
          const at = bytes.length === 0 ? 0 : edit.at % bytes.length;
          bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(edit.insert), bytes.subarray(at + edit.remove)]);
        }
        await outcome([bytes]);
      }),
      { numRuns: 400 },
    );
  });

  // Well-formed documents, generated with every syntax variation the parser must read alike.
  const text = fc.string({ unit: 'grapheme', maxLength: 12 });
  const messageText = fc.stringMatching(/^[A-Za-z0-9<>&"'.,:;!?()[\]{}#@ %-]{1,40}$/).map((s) => s.trim()).filter((s) => s.length > 0 && !/^(failed|failure|fail|error|skipped|skip|runtime error|disabled)$/i.test(s));
  const status = fc.constantFrom<JUnitStatus>('passed', 'failed', 'error', 'skipped', 'flaky');
  const testCase = fc.record({
    classname: text,
    name: text,
    status,
    millis: fc.option(fc.nat({ max: 5_000_000 }), { nil: null }),
    message: fc.option(messageText, { nil: null }),
    retries: fc.nat({ max: 3 }),
  });
  type GenCase = typeof testCase extends fc.Arbitrary<infer T> ? T : never;
  interface GenSuite {
    name: string;
    cases: GenCase[];
    children: GenSuite[];
  }
  const suite: fc.Arbitrary<GenSuite> = fc.letrec<{ suite: GenSuite }>((tie) => ({
    suite: fc.record({
      name: text,
      cases: fc.array(testCase, { maxLength: 4 }),
      children: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant<GenSuite[]>([]), fc.array(tie('suite'), { maxLength: 2 })),
    }),
  })).suite;
  const style = fc.record({
    quote: fc.constantFrom('"', "'"),
    wrap: fc.boolean(),
    declaration: fc.boolean(),
    doctype: fc.boolean(),
    comments: fc.boolean(),
    cdata: fc.boolean(),
    indent: fc.constantFrom('', '\n', '\n  ', '\r\n\t'),
    timeFormat: fc.constantFrom('plain', 'thousands', 'ms', 'seconds-unit'),
  });
  type Style = typeof style extends fc.Arbitrary<infer T> ? T : never;

  function escapeAttribute(value: string, quote: string): string {
    return value
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/\t/g, '&#9;')
      .replace(/\n/g, '&#10;')
      .replace(/\r/g, '&#13;')
      .replace(quote === '"' ? /"/g : /'/g, quote === '"' ? '&quot;' : '&apos;');
  }

  function time(millis: number, format: Style['timeFormat']): string {
    const seconds = millis / 1000;
    switch (format) {
      case 'plain':
        return seconds.toFixed(3);
      case 'thousands':
        return seconds.toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
      case 'ms':
        return `${millis}ms`;
      case 'seconds-unit':
        return `${seconds.toFixed(3)} s`;
    }
  }

  function serialise(root: GenSuite, s: Style): string {
    const q = s.quote;
    const attr = (name: string, value: string) => ` ${name}=${q}${escapeAttribute(value, q)}${q}`;
    // "]]>" cannot appear in a CDATA section: it is split across two.
    const body = (message: string) =>
      s.cdata ? `<![CDATA[${message.replaceAll(']]>', ']]]]><![CDATA[>')}]]>` : message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const out: string[] = [];
    if (s.declaration) out.push(`<?xml version=${q}1.0${q} encoding=${q}UTF-8${q}?>`);
    if (s.doctype) out.push('<!DOCTYPE testsuites [ <!ENTITY x "y"> <!-- ] > --> ]>');
    if (s.comments) out.push('<!-- report -->');
    const writeCase = (c: GenCase) => {
      const timeAttr = c.millis === null ? '' : attr('time', time(c.millis, s.timeFormat));
      const open = `<testcase${attr('classname', c.classname)}${attr('name', c.name)}${timeAttr}`;
      const children: string[] = [];
      const element = (tag: string) => {
        if (c.message === null) return `<${tag}/>`;
        return s.cdata ? `<${tag}>${body(c.message)}</${tag}>` : `<${tag}${attr('message', c.message)}>ignored body</${tag}>`;
      };
      if (c.status === 'failed' || c.status === 'error') {
        children.push(element(c.status === 'failed' ? 'failure' : 'error'));
        for (let i = 0; i < c.retries; i++) children.push(`<rerunFailure${attr('message', 'again')}><stackTrace>x</stackTrace></rerunFailure>`);
      } else if (c.status === 'flaky') {
        children.push(element('flakyFailure'));
        // Later reruns carry no message: the first one's (or none) is the test's.
        for (let i = 1; i < c.retries + 1; i++) children.push('<flakyError/>');
      } else if (c.status === 'skipped') children.push(element('skipped'));
      if (s.comments) children.push('<!-- <failure/> -->', '<system-out><![CDATA[<failure/>]]></system-out>');
      out.push(children.length === 0 ? `${open}/>` : `${open}>${children.join(s.indent)}</testcase>`);
    };
    const writeSuite = (g: GenSuite) => {
      out.push(`<testsuite${attr('name', g.name)}>`);
      if (s.comments) out.push(`<properties><property name=${q}a${q} value=${q}b${q}/></properties>`);
      g.cases.forEach(writeCase);
      g.children.forEach(writeSuite);
      out.push('</testsuite>');
    };
    if (s.wrap) out.push('<testsuites>');
    writeSuite(root);
    if (s.wrap) out.push('</testsuites>');
    return out.join(s.indent);
  }

  function expected(root: GenSuite, s: Style): JUnitTestCase[] {
    const out: JUnitTestCase[] = [];
    const walk = (g: GenSuite) => {
      for (const c of g.cases) {
        const retries = c.status === 'failed' || c.status === 'error' ? c.retries : c.status === 'flaky' ? c.retries + 1 : 0;
        const testCase: JUnitTestCase = {
          suite: g.name,
          classname: c.classname,
          name: c.name,
          file: null,
          line: null,
          status: c.status,
          durationSeconds: c.millis === null ? null : s.timeFormat === 'ms' ? c.millis * 0.001 : Number((c.millis / 1000).toFixed(3)),
          message: c.status === 'passed' ? null : c.message,
        };
        if (retries > 0) testCase.retries = retries;
        out.push(testCase);
      }
      g.children.forEach(walk);
    };
    walk(root);
    return out;
  }

  it('generated well-formed documents round-trip their test cases, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(suite, style, fc.array(fc.nat(), { maxLength: 6 }), async (root, s, points) => {
        const bytes = Buffer.from(serialise(root, s), 'utf8');
        const want = expected(root, s);
        const got = await parseAll([bytes]);
        expect(got.map((c) => ({ ...c, durationSeconds: c.durationSeconds === null ? null : Math.round(c.durationSeconds * 1e6) / 1e6 }))).toStrictEqual(
          want.map((c) => ({ ...c, durationSeconds: c.durationSeconds === null ? null : Math.round(c.durationSeconds * 1e6) / 1e6 })),
        );
        expect(await parseAll(cut(bytes, points.map((p) => p % (bytes.length + 1))))).toStrictEqual(got);
      }),
      { numRuns: 300 },
    );
  });

  it('chunk boundaries at every position give the same result (generated documents)', async () => {
    await fc.assert(
      fc.asyncProperty(suite, style, async (root, s) => {
        const bytes = Buffer.from(serialise(root, s), 'utf8');
        const whole = await outcome([bytes]);
        for (let at = 0; at <= bytes.length; at++) {
          const split = await outcome([bytes.subarray(0, at), bytes.subarray(at)]);
          if (JSON.stringify(split) !== JSON.stringify(whole)) expect({ at, split }).toStrictEqual({ at, split: whole });
        }
      }),
      { numRuns: 40 },
    );
  });
});
