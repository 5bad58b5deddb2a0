import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_KEY_LENGTH, testIdentity, type TestNameParts } from './identity.js';

function parts(classname: string, name: string, suite = '', file: string | null = null): TestNameParts {
  return { suite, classname, name, file };
}

describe('testIdentity', () => {
  it.each<[string, TestNameParts, string]>([
    ['Surefire / Gradle / Ant', parts('com.example.CalculatorTest', 'addsTwoNumbers', 'com.example.CalculatorTest'), 'com.example.CalculatorTest::addsTwoNumbers'],
    ['JUnit 5 parameterised', parts('com.example.StringUtilsTest', 'capitalizes(String, String)[2]'), 'com.example.StringUtilsTest::capitalizes(String, String)[2]'],
    ['pytest (junit spelling)', parts('tests.test_math.TestAdd', 'test_add[1-2-3]', 'pytest', 'tests/test_math.py'), 'tests.test_math.TestAdd::test_add[1-2-3]'],
    ['pytest node id in the name', parts('', 'tests/test_math.py::TestAdd::test_add[1-2-3]', 'pytest'), 'tests.test_math.TestAdd::test_add[1-2-3]'],
    ['pytest node id with :: in the parameters', parts('', 'tests/test_x.py::test_y[a::b]'), 'tests.test_x::test_y[a::b]'],
    ['pytest node id in the classname', parts('tests/test_math.py::TestAdd', 'test_add[1-2-3]'), 'tests.test_math.TestAdd::test_add[1-2-3]'],
    ['pytest module path as classname', parts('tests/test_math.py', 'test_sqrt'), 'tests.test_math::test_sqrt'],
    ['pytest collection error', parts('', 'tests.api.test_orders', 'pytest'), 'pytest::tests.api.test_orders'],
    ['jest-junit default (repeated full title)', parts('Calculator adds numbers', 'Calculator adds numbers', 'Calculator'), 'Calculator::adds numbers'],
    ['jest-junit with › separators', parts('Calculator › division divides by zero', 'Calculator › division divides by zero', 'Calculator'), 'Calculator::division divides by zero'],
    ['jest-junit with a file suite name', parts('Button renders', 'Button renders', 'src/Button.test.tsx'), 'src/Button.test.tsx::Button renders'],
    ['jest-junit without suite', parts('Button renders', 'Button renders'), 'Button renders'],
    ['mocha-junit-reporter', parts('should return -1', 'Array #indexOf() should return -1', '#indexOf()'), 'Array #indexOf()::should return -1'],
    ['Go (go-junit-report, gotestsum) subtests', parts('github.com/acme/shop/cart', 'TestTotal/with_discount'), 'github.com/acme/shop/cart::TestTotal/with_discount'],
    ['PHPUnit data sets', parts('App.Tests.Unit.CalculatorTest', 'testDivide with data set "by zero"'), 'App.Tests.Unit.CalculatorTest::testDivide with data set "by zero"'],
    ['no classname: the suite', parts('', 'test_it', 'suite'), 'suite::test_it'],
    ['no classname nor suite: the file', parts('', 'test_it', '', 'spec/it.rb'), 'spec/it.rb::test_it'],
    ['nothing but a name', parts('', 'lonely'), 'lonely'],
    ['whitespace collapses', parts('  a.B ', 'does\n\tthings   well '), 'a.B::does things well'],
    ['memory addresses are masked', parts('a.B', 'test[<Foo object at 0x7f3a2c1e9b40>] with com.x.Bar@1b6d3586'), 'a.B::test[<Foo object at 0x…>] with com.x.Bar@…'],
  ])('%s', (_label, input, key) => {
    expect(testIdentity(input).key).toBe(key);
  });

  it('gives the normalised parts with the key', () => {
    expect(testIdentity(parts('Calculator adds numbers', 'Calculator adds numbers', 'Calculator'))).toStrictEqual({
      key: 'Calculator::adds numbers',
      suite: 'Calculator',
      classname: 'Calculator',
      name: 'adds numbers',
      file: null,
    });
    expect(testIdentity(parts('', 'tests/test_x.py::TestA::test_b'))).toMatchObject({ classname: 'tests.test_x.TestA', name: 'test_b', file: 'tests/test_x.py' });
  });

  it('gives pytest xunit1, xunit2 and node-id reports of a test the same key', () => {
    const keys = new Set([
      testIdentity(parts('tests.test_x.TestA', 'test_b[1]', 'pytest', 'tests/test_x.py')).key,
      testIdentity(parts('tests.test_x.TestA', 'test_b[1]', 'pytest')).key,
      testIdentity(parts('', 'tests/test_x.py::TestA::test_b[1]')).key,
    ]);
    expect(keys.size).toBe(1);
  });

  it('caps long keys with a hash that keeps them distinct', () => {
    const long = (tail: string) => testIdentity(parts('a.B', `${'p'.repeat(1000)}${tail}`)).key;
    expect(long('1').length).toBeLessThanOrEqual(MAX_KEY_LENGTH);
    expect(long('1')).toMatch(/…#[0-9a-f]{16}$/);
    expect(long('1')).not.toBe(long('2'));
    expect(long('1')).toBe(long('1'));
  });

  it('is stable: normalising a normalised identity changes nothing, and keys stay within bounds', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.option(fc.string(), { nil: null }), (suite, classname, name, file) => {
        const first = testIdentity({ suite, classname, name, file });
        expect(first.key.length).toBeLessThanOrEqual(MAX_KEY_LENGTH);
        const again = testIdentity(first);
        if (first.classname !== '' && first.classname !== first.name && !first.name.endsWith(` ${first.classname}`)) expect(again.key).toBe(first.key);
      }),
      { numRuns: 500 },
    );
  });
});
