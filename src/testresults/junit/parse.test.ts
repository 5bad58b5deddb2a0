import { createReadStream, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { JUnitError, MESSAGE_MAX, firstLine, parseDuration, parseJUnit, type JUnitSource, type JUnitTestCase } from './parse.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

async function parseAll(source: JUnitSource, path = 'test.xml'): Promise<JUnitTestCase[]> {
  const out: JUnitTestCase[] = [];
  for await (const testCase of parseJUnit(source, { path })) out.push(testCase);
  return out;
}

async function parseError(source: JUnitSource, path = 'bad.xml'): Promise<JUnitError> {
  try {
    await parseAll(source, path);
  } catch (error) {
    expect(error).toBeInstanceOf(JUnitError);
    return error as JUnitError;
  }
  throw new Error('expected a JUnitError');
}

/** [classname, name, status, durationSeconds, message, retries?] */
type Row = [string, string, JUnitTestCase['status'], number | null, string | null, number?];

function rows(cases: JUnitTestCase[]): Row[] {
  return cases.map((c) => {
    const row: Row = [c.classname, c.name, c.status, c.durationSeconds, c.message];
    if (c.retries !== undefined) row.push(c.retries);
    return row;
  });
}

const EXPECTED: Record<string, Row[]> = {
  'surefire-TEST-com.example.CalculatorTest.xml.fixture': [
    ['com.example.CalculatorTest', 'addsTwoNumbers', 'passed', 0.012, null],
    ['com.example.CalculatorTest', 'dividesByZero', 'error', 0.004, '/ by zero', 1],
    ['com.example.CalculatorTest', 'subtractsWithRounding', 'flaky', 0.031, 'expected: <0.3> but was: <0.30000000000000004>', 1],
    ['com.example.CalculatorTest', 'connectsToCache', 'flaky', 1202.5, 'java.net.SocketTimeoutException: Read timed out', 2],
    ['com.example.CalculatorTest', 'multipliesLargeNumbers', 'failed', 0.002, 'expected: <4000000000> but was: <-294967296>', 2],
    ['com.example.CalculatorTest', 'parsesRomanNumerals', 'skipped', 0, 'Roman numerals are not supported yet'],
  ],
  'ant-TESTS-TestSuites.xml.fixture': [
    ['org.acme.util.StringUtilsTest', 'testIsBlank', 'passed', 0.003, null],
    ['org.acme.util.StringUtilsTest', 'testJoin', 'failed', 0.011, 'expected:<a[,]b> but was:<a[;]b>'],
    ['org.acme.util.StringUtilsTest', 'testTrim', 'passed', 0.001, null],
    ['org.acme.util.DateUtilsTest', 'testParseIso', 'passed', 0.004, null],
    ['org.acme.util.DateUtilsTest', 'testTimezone', 'error', 0.116, 'Unknown time-zone ID: Mars/Olympus_Mons'],
  ],
  'pytest-xunit1.xml.fixture': [
    ['tests.test_math.TestAdd', 'test_add[1-2-3]', 'passed', 0.001, null],
    ['tests.test_math.TestAdd', 'test_add[-1-1-0]', 'passed', 0.001, null],
    ['tests.test_math.TestAdd', 'test_add_overflow', 'failed', 0.003, 'assert 4294967296 == 0'],
    ['tests.test_math', 'test_sqrt_negative', 'skipped', 0, 'needs complex support'],
    ['tests.test_math', 'test_known_bug', 'skipped', 0.001, 'bug #42'],
    ['tests.test_db', 'test_connect', 'error', 1.805, 'failed on setup with "ConnectionRefusedError: [Errno 111] Connection refused"'],
    ['tests.test_unicode', 'test_emoji[\\U0001f600]', 'passed', 0.002, null],
  ],
  'pytest-xunit2.xml.fixture': [
    ['tests.api.test_users.TestUsers', 'test_list_users', 'passed', 0.104, null],
    ['tests.api.test_users.TestUsers', 'test_create_user[admin]', 'passed', 0.052, null],
    ['tests.api.test_users.TestUsers', 'test_create_user[guest]', 'failed', 0.061, 'AssertionError: assert 403 == 201'],
    ['tests.api.test_users.TestUsers', 'test_delete_user', 'skipped', 0, 'Skipped: endpoint not implemented'],
    ['', 'tests.api.test_orders', 'error', 0, 'collection failure'],
    ['tests.api.test_health', 'test_health', 'passed', 0.003, null],
  ],
  'jest-junit.xml.fixture': [
    ['Calculator adds numbers', 'Calculator adds numbers', 'passed', 0.004, null],
    ['Calculator › division divides by zero', 'Calculator › division divides by zero', 'failed', 0.012, 'Error: expect(received).toThrow(expected)'],
    ['Calculator handles "quoted" input', 'Calculator handles "quoted" input', 'passed', 0.001, null],
    ['Calculator formats currency', 'Calculator formats currency', 'skipped', 0, null],
    ['Button renders a label', 'Button renders a label', 'passed', 0.101, null],
    ['Button calls onClick', 'Button calls onClick', 'passed', 0.044, null],
  ],
  'mocha-junit-reporter.xml.fixture': [
    ['should return -1 when the value is not present', 'Array #indexOf() should return -1 when the value is not present', 'passed', 0.001, null],
    ['should return the index when present', 'Array #indexOf() should return the index when present', 'failed', 0.014, 'expected 2 to equal 1'],
    ['should handle NaN', 'Array #indexOf() should handle NaN', 'skipped', 0, null],
    ['GET /health responds 200', 'HTTP GET /health responds 200', 'passed', 0.006, null],
    ['GET /version responds with JSON', 'HTTP GET /version responds with JSON', 'passed', 0.005, null],
  ],
  'go-junit-report.xml.fixture': [
    ['github.com/acme/shop/cart', 'TestAddItem', 'passed', 0, null],
    ['github.com/acme/shop/cart', 'TestTotal/empty_cart', 'passed', 0, null],
    ['github.com/acme/shop/cart', 'TestTotal/with_discount', 'failed', 0.01, 'cart_test.go:42: total = 90.00, want 81.00'],
    ['github.com/acme/shop/cart', 'TestTotal', 'failed', 0.01, 'Failed'],
    ['github.com/acme/shop/cart', 'TestCheckoutIntegration', 'skipped', 0, 'cart_test.go:77: set SHOP_DB to run'],
    ['github.com/acme/shop/payment', 'Failure', 'error', 0, 'panic: runtime error: invalid memory address or nil pointer dereference'],
    ['util', 'TestSlugify', 'passed', 1.5, null],
  ],
  'gotestsum.xml.fixture': [
    ['github.com/acme/api/server', 'TestRoutes/GET_/users', 'passed', 0.01, null],
    ['github.com/acme/api/server', 'TestRoutes', 'passed', 0.011, null],
    ['github.com/acme/api/server', 'TestGracefulShutdown', 'failed', 3.001, 'server_test.go:88: shutdown took 3s, want < 1s'],
    ['github.com/acme/api/auth', 'TestToken', 'passed', 0, null],
  ],
  'phpunit.xml.fixture': [
    ['App.Tests.Unit.CalculatorTest', 'testAdd', 'passed', 0.002013, null],
    ['App.Tests.Unit.CalculatorTest', 'testDivide with data set #0', 'passed', 0.000812, null],
    ['App.Tests.Unit.CalculatorTest', 'testDivide with data set #1', 'passed', 0.000701, null],
    ['App.Tests.Unit.CalculatorTest', 'testDivide with data set "by zero"', 'failed', 0.018398, 'Failed asserting that exception of type "DivisionByZeroError" is thrown.'],
    ['App.Tests.Unit.CalculatorTest', 'testPower', 'skipped', 0.000186, null],
    ['App.Tests.Unit.ParserTest', 'testParse', 'passed', 0.007105, null],
  ],
  'gradle-TEST-com.example.StringUtilsTest.xml.fixture': [
    ['com.example.StringUtilsTest', 'reversesAString()', 'passed', 0.004, null],
    ['com.example.StringUtilsTest', '[1] input=abc, expected=cba', 'passed', 0.002, null],
    ['com.example.StringUtilsTest', 'capitalizes(String, String)[2]', 'passed', 0.001, null],
    ['com.example.StringUtilsTest', 'truncatesLongStrings()', 'failed', 0.201, 'org.opentest4j.AssertionFailedError: expected: <hello…> but was: <hello w…>'],
    ['com.example.StringUtilsTest', 'truncatesLongStrings()', 'passed', 0.198, null],
    ['com.example.StringUtilsTest', 'normalizesUnicode()', 'skipped', 0, null],
  ],
  'ctest.xml.fixture': [
    ['unit_parser', 'unit_parser', 'passed', 0.0123, null],
    ['unit_network', 'unit_network', 'failed', 1.5011, 'Test failed: connection reset by peer'],
    ['gpu_kernels', 'gpu_kernels', 'skipped', 0, 'Disabled'],
    ['benchmark_smoke', 'benchmark_smoke', 'skipped', 0, null],
  ],
  'latin1-declared.xml.fixture': [['CaféTest', 'crème brûlée', 'failed', 0.25, 'attendu « oui »']],
  'utf16le-bom.xml.fixture': [['テスト', '😀 emoji', 'passed', 0.5, null]],
  // Entities declared in the DOCTYPE are never expanded, external ones never fetched.
  'billion-laughs.xml.fixture': [['lolz', '&lol9;', 'failed', 0.1, '&xxe;']],
};

describe('parseJUnit: the variants', () => {
  it('has an expectation for every fixture', () => {
    const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.xml.fixture'));
    expect(files.sort()).toStrictEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(name.replace(/\.xml\.fixture$/, ''), async () => {
      expect(rows(await parseAll([fixture(name)], name))).toStrictEqual(expected);
    });
  }

  it('gives suites, files and lines (pytest xunit1, PHPUnit nested suites, mocha)', async () => {
    const pytest = await parseAll([fixture('pytest-xunit1.xml.fixture')]);
    expect(pytest[0]).toMatchObject({ suite: 'pytest', file: 'tests/test_math.py', line: 10 });
    const php = await parseAll([fixture('phpunit.xml.fixture')]);
    expect(php.map((c) => [c.suite, c.file, c.line])).toStrictEqual([
      ['App\\Tests\\Unit\\CalculatorTest', '/app/tests/Unit/CalculatorTest.php', 14],
      ['App\\Tests\\Unit\\CalculatorTest::testDivide', '/app/tests/Unit/CalculatorTest.php', 24],
      ['App\\Tests\\Unit\\CalculatorTest::testDivide', '/app/tests/Unit/CalculatorTest.php', 24],
      ['App\\Tests\\Unit\\CalculatorTest::testDivide', '/app/tests/Unit/CalculatorTest.php', 24],
      ['App\\Tests\\Unit\\CalculatorTest', '/app/tests/Unit/CalculatorTest.php', 40],
      // No file on the test case: the suite's.
      ['App\\Tests\\Unit\\ParserTest', '/app/tests/Unit/ParserTest.php', null],
    ]);
    const mocha = await parseAll([fixture('mocha-junit-reporter.xml.fixture')]);
    expect(mocha[0]).toMatchObject({ suite: '#indexOf()', file: '/builds/api/test/array.spec.js' });
    const surefire = await parseAll([fixture('surefire-TEST-com.example.CalculatorTest.xml.fixture')]);
    expect(surefire[0]).toStrictEqual({
      suite: 'com.example.CalculatorTest',
      classname: 'com.example.CalculatorTest',
      name: 'addsTwoNumbers',
      file: null,
      line: null,
      status: 'passed',
      durationSeconds: 0.012,
      message: null,
    });
  });

  it('reports suites as they open', async () => {
    const suites: unknown[] = [];
    for await (const _ of parseJUnit([fixture('ant-TESTS-TestSuites.xml.fixture')], { path: 'x', onSuite: (suite) => suites.push(suite) })) {
      // drain
    }
    expect(suites).toStrictEqual([
      { name: 'StringUtilsTest', timestamp: '2024-03-01T08:15:02', hostname: 'jenkins-agent-7' },
      { name: 'DateUtilsTest', timestamp: '2024-03-01T08:15:03', hostname: 'jenkins-agent-7' },
    ]);
  });

  it('reads quirks: missing attributes, both quote styles, entities, comments, PIs, status attributes', async () => {
    const xml = `<?xml version='1.0'?>
<?xml-stylesheet type="text/xsl" href="junit.xsl"?>
<!-- generated -->
<testsuites>
  <testsuite name='outer'>
    <testcase/>
    <testcase name='single &apos;quoted&apos;' classname="x" time=" 2.5 "/>
    <testcase name="refs &#65;&#x42;&#0;&#xD800;&unknown; & stray" classname='x' time="oops"/>
    <testcase name="t" classname="x" status="notrun"/>
    <testcase name="u" classname="x" result="failed"/>
    <testcase name="v" classname="x"><!-- <failure/> --><?pi <failure/> ?></testcase>
    <testcase name="w" classname="x"><failure message="  &#10; "/></testcase>
    <testcase name="y" classname="x"><skipped/><failure message="m"/></testcase>
    <testcase name="z" classname="x"><failure message="first"/><error message="second"/></testcase>
  </testsuite>
</testsuites>
<!-- trailing comment -->
`;
    const cases = await parseAll([xml]);
    expect(cases.map((c) => [c.suite, c.classname, c.name, c.status, c.durationSeconds, c.message])).toStrictEqual([
      ['outer', '', '', 'passed', null, null],
      ['outer', 'x', "single 'quoted'", 'passed', 2.5, null],
      ['outer', 'x', 'refs AB\uFFFD\uFFFD&unknown; & stray', 'passed', null, null],
      ['outer', 'x', 't', 'skipped', null, null],
      ['outer', 'x', 'u', 'failed', null, null],
      ['outer', 'x', 'v', 'passed', null, null],
      ['outer', 'x', 'w', 'failed', null, null],
      ['outer', 'x', 'y', 'failed', null, 'm'],
      ['outer', 'x', 'z', 'failed', null, 'first'],
    ]);
  });

  it('takes the first meaningful line of a message body, capped, without colour codes', async () => {
    const long = 'x'.repeat(3 * MESSAGE_MAX);
    const xml = `<testsuite>
<testcase name="a"><failure>

   \u001b[31mexpected\u001b[39m 1 &amp; got 2
   at line 2</failure></testcase>
<testcase name="b"><failure><![CDATA[${long}]]></failure></testcase>
<testcase name="c"><error>  <![CDATA[  ]]>  <![CDATA[cdata line]]>
second</error></testcase>
<testcase name="d"><flakyFailure><system-out>noise</system-out><stackTrace>trace line</stackTrace></flakyFailure></testcase>
</testsuite>`;
    const cases = await parseAll([xml]);
    expect(cases.map((c) => c.message)).toStrictEqual(['expected 1 & got 2', `${'x'.repeat(MESSAGE_MAX - 1)}…`, 'cdata line', 'trace line']);
  });

  it('reads failure bodies of any size in bounded memory (only the start is kept)', async () => {
    const line = 'at some.Frame(File.java:1)\n';
    function* chunks(): Generator<string> {
      yield '<testsuite><testcase name="big"><failure>first line of a huge trace\n';
      for (let i = 0; i < 2_000; i++) yield line.repeat(1000);
      yield '</failure><system-out>';
      for (let i = 0; i < 500; i++) yield '&lt;noise&gt;'.repeat(5000);
      yield '</system-out></testcase></testsuite>';
    }
    const [big] = await parseAll(chunks());
    expect(big).toMatchObject({ name: 'big', status: 'failed', message: 'first line of a huge trace' });
  });
});

describe('parseJUnit: durations', () => {
  it.each([
    ['0.012', 0.012],
    ['1,234.5', 1234.5],
    ['1,234,567.25', 1234567.25],
    ['1,234', 1234],
    ['0,5', 0.5],
    ['12,5', 12.5],
    ['1.234,5', 1234.5],
    ['1 234.5', 1234.5],
    ['1.5s', 1.5],
    ['1.5 s', 1.5],
    ['150ms', 0.15],
    ['250 µs', 0.00025],
    ['2m3.5s', 123.5],
    ['1h 2m', 3720],
    ['1 min 3 s', 63],
    ['PT1.5S', 1.5],
    ['PT2M', 120],
    ['1e-3', 0.001],
    ['.5', 0.5],
    ['+3', 3],
    ['0', 0],
  ])('%s → %d s', (raw, seconds) => {
    expect(parseDuration(raw)).toBeCloseTo(seconds, 9);
  });

  it.each([undefined, '', '  ', 'abc', '-1', '1.2.3', '5 parsecs', 'NaN', 'Infinity', '1e999', '1,2,3', '2x3s'])('%s → null', (raw) => {
    expect(parseDuration(raw)).toBeNull();
  });
});

describe('firstLine', () => {
  it('skips a first line that repeats the test name, keeps it when it is alone', () => {
    expect(firstLine('Foo::bar with data set #1\nFailed asserting that 1 is 2.', 'bar with data set #1')).toBe('Failed asserting that 1 is 2.');
    expect(firstLine('Foo::bar failed', 'bar')).toBe('Foo::bar failed');
    expect(firstLine('  \r\n\t\n')).toBeNull();
    expect(firstLine('a\u0000b\u0007c')).toBe('a b c');
  });
});

describe('parseJUnit: malformed and non-JUnit files', () => {
  const cases: [string, number, number, RegExp][] = [
    ['empty.xml.fixture', 1, 1, /no element found: the file is empty/],
    ['whitespace-only.xml.fixture', 3, 1, /no element found/],
    ['truncated.xml.fixture', 4, 3, /unexpected end of file inside a tag/],
    ['truncated-in-body.xml.fixture', 4, 1, /truncated \(still open: <testsuites> > <testsuite> > <testcase> > <failure>\)/],
    ['mismatched-tags.xml.fixture', 3, 3, /end tag <\/testsuite> does not match the open element <testcase>/],
    ['html.xml.fixture', 2, 1, /not a JUnit XML report: the root element is <html>/],
    ['other-root.xml.fixture', 2, 1, /not a JUnit XML report: the root element is <project>/],
    ['json.xml.fixture', 1, 1, /not an XML document/],
    ['binary.xml.fixture', 1, 1, /not an XML document/],
    ['gzip.xml.fixture', 1, 1, /not an XML document/],
    ['unquoted-attribute.xml.fixture', 1, 17, /value of attribute "name" of <testsuite> is not quoted/],
    ['duplicate-attribute.xml.fixture', 1, 40, /duplicate attribute "name" in <testcase>/],
    ['attribute-without-value.xml.fixture', 1, 40, /attribute "disabled" of <testcase> has no value/],
    ['text-before-root.xml.fixture', 1, 1, /text before the first element/],
    ['text-after-root.xml.fixture', 2, 1, /text after the root element/],
    ['two-roots.xml.fixture', 2, 1, /a second root element <testsuite>/],
    ['unclosed-comment.xml.fixture', 1, 59, /inside a comment/],
    ['unclosed-cdata.xml.fixture', 1, 95, /inside a CDATA section/],
    ['bad-element-name.xml.fixture', 1, 21, /invalid element name <1testcase>/],
    ['lt-in-tag.xml.fixture', 1, 40, /"<" inside a tag/],
    ['stray-end-tag.xml.fixture', 1, 1, /end tag <\/testsuite> without a matching start tag/],
    ['unsupported-encoding.xml.fixture', 1, 1, /unsupported encoding "x-klingon"/],
    ['cdata-outside-root.xml.fixture', 1, 1, /CDATA section outside the root element/],
  ];

  it('has an expectation for every malformed fixture', () => {
    expect(readdirSync(join(FIXTURES, 'malformed')).sort()).toStrictEqual(cases.map(([name]) => name).sort());
  });

  for (const [name, line, column, reason] of cases) {
    it(name.replace(/\.xml\.fixture$/, ''), async () => {
      const path = `reports/${name}`;
      const error = await parseError([fixture(join('malformed', name))], path);
      expect(error.reason).toMatch(reason);
      expect([error.path, error.line, error.column]).toStrictEqual([path, line, column]);
      expect(error.message).toBe(`${path}:${line}:${column}: ${error.reason}`);
    });
  }

  it('keeps the test cases read before the error (callers decide what to keep)', async () => {
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const c of parseJUnit([fixture('malformed/truncated.xml.fixture')], { path: 't' })) seen.push(c.name);
      })(),
    ).rejects.toThrow(JUnitError);
    expect(seen).toStrictEqual(['b']);
  });

  it('reports an unreadable file as a JUnitError without position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'junit-'));
    try {
      const missing = await parseError(createReadStream(join(dir, 'missing.xml')), 'missing.xml');
      expect(missing).toMatchObject({ path: 'missing.xml', line: 0, column: 0 });
      expect(missing.message).toMatch(/^missing\.xml: cannot read the file: ENOENT/);
      const directory = await parseError(createReadStream(dir), 'dir.xml');
      expect(directory.reason).toMatch(/cannot read the file: EISDIR/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const failing = new Readable({
      read() {
        this.push(Buffer.from('<testsuite><testcase name="a"/>'));
        this.destroy(new Error('connection reset'));
      },
    });
    expect((await parseError(failing)).reason).toMatch(/connection reset/);
    expect((await parseError([42 as unknown as string])).reason).toMatch(/gave a number/);
  });

  it('caps the length of a tag', async () => {
    const error = await parseError(
      (function* () {
        yield '<testsuite><testcase name="';
        for (let i = 0; i < 100; i++) yield 'x'.repeat(1000);
      })(),
    );
    expect(error.reason).toMatch(/unexpected end of file inside a tag/);
    const capped = parseJUnit(['<testsuite><testcase name="', 'x'.repeat(5000), '"/></testsuite>'], { path: 'p', maxTagLength: 1000 });
    await expect(capped.next()).rejects.toThrow(/a tag longer than 1000 characters/);
  });
});

describe('parseJUnit: streaming', () => {
  const names = Object.keys(EXPECTED);

  it('gives the same result whatever the chunk boundaries (every split point of every fixture)', async () => {
    for (const name of names) {
      const bytes = fixture(name);
      const whole = await parseAll([bytes], name);
      for (let at = 0; at <= bytes.length; at++) {
        const split = await parseAll([bytes.subarray(0, at), bytes.subarray(at)], name);
        if (JSON.stringify(split) !== JSON.stringify(whole)) expect({ name, at, split }).toStrictEqual({ name, at, split: whole });
      }
      const bytewise = await parseAll(Array.from(bytes, (byte) => Uint8Array.of(byte)), name);
      expect(bytewise).toStrictEqual(whole);
    }
  });

  it('reads Node and web streams, text chunks included', async () => {
    const name = 'surefire-TEST-com.example.CalculatorTest.xml.fixture';
    const whole = await parseAll([fixture(name)]);
    expect(await parseAll(createReadStream(join(FIXTURES, name), { highWaterMark: 7 }))).toStrictEqual(whole);
    expect(await parseAll(Readable.toWeb(createReadStream(join(FIXTURES, name))) as unknown as JUnitSource)).toStrictEqual(whole);
    const text = fixture(name).toString('utf8');
    expect(await parseAll([text.slice(0, 100), text.slice(100)])).toStrictEqual(whole);
    expect(await parseAll(text)).toStrictEqual(whole);
    expect(await parseAll(fixture(name))).toStrictEqual(whole);
  });

  it('closes the stream when the consumer stops early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<string> {
      try {
        yield '<testsuite><testcase name="a"/><testcase name="b"/>';
        yield '<testcase name="c"/></testsuite>';
      } finally {
        closed = true;
      }
    }
    for await (const c of parseJUnit(source(), { path: 'p' })) {
      expect(c.name).toBe('a');
      break;
    }
    expect(closed).toBe(true);
  });

  it('decodes UTF-16 big-endian and UTF-8 with a BOM', async () => {
    const xml = '<testsuite><testcase classname="ü" name="😀"/></testsuite>';
    const be = Buffer.from(xml, 'utf16le').swap16();
    expect((await parseAll([Buffer.concat([Buffer.from([0xfe, 0xff]), be])]))[0]).toMatchObject({ classname: 'ü', name: '😀' });
    expect((await parseAll([Buffer.from([0xef, 0xbb]), Buffer.from([0xbf]), Buffer.from(xml)]))[0]).toMatchObject({ name: '😀' });
  });
});
