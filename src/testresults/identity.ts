/**
 * Test identity: the same test must get the same id in every run, whatever tool wrote the report
 * and however it spells the test. The id (`key`) is `classname::name` after the normalisation
 * below (or just `name` when there is no classname); suite and file are kept for display only.
 *
 * Rules, in order (see `readme.md` for examples):
 * 1. Whitespace (line breaks, tabs, runs of spaces) collapses to one space; control characters go;
 *    ends are trimmed.
 * 2. pytest node ids — `tests/test_x.py::TestA::test_b[1-2]`, in `name` or in `classname` — become
 *    pytest's own junit spelling: classname `tests.test_x.TestA`, name `test_b[1-2]` (file
 *    `tests/test_x.py` when the report had none).
 * 3. jest-junit's default repeats the full title in both attributes (`classname="Suite test name"
 *    name="Suite test name"`): the suite becomes the classname and its name is stripped from the
 *    test's (`Suite` :: `test name`); when the suite is not a prefix (a file-based suite name), the
 *    suite is the classname and the name stays whole.
 * 4. mocha-junit-reporter writes the full title as name and the test's own title as classname
 *    (`name="Array #indexOf() returns -1" classname="returns -1"`): the name's prefix becomes the
 *    classname (`Array #indexOf()` :: `returns -1`).
 * 5. No classname: the suite's name stands in, else the file.
 * 6. Parameterised names are kept as they are (`test_b[1-2]`, `adds(int, int)[3]`, Go's
 *    `TestX/case_1`, PHPUnit's `with data set #2`), except that memory addresses printed in them
 *    (`Foo@1b6d3586`, `0x7f3a2c1e9b40`), which change every run, are masked (`Foo@…`, `0x…`).
 * 7. Keys longer than {@link MAX_KEY_LENGTH} are cut and end with a hash of the whole key.
 */
import { createHash } from 'node:crypto';

export interface TestNameParts {
  suite: string;
  classname: string;
  name: string;
  file: string | null;
}

export interface TestIdentity extends TestNameParts {
  /** The stable id: `classname::name`, or `name` alone when there is no classname. */
  key: string;
}

/** Longest key (UTF-16 code units); longer ones keep a prefix and a hash. */
export const MAX_KEY_LENGTH = 400;
const KEY_SEPARATOR = '::';

const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f]/g;

function clean(text: string): string {
  return text.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}

/** `tests/test_x.py::TestA::test_b[p]` → parts; null when it is not a pytest node id. */
function pytestNodeId(text: string): { file: string; classname: string; name: string | null } | null {
  const bracket = text.indexOf('[');
  const head = bracket === -1 ? text : text.slice(0, bracket);
  const parameters = bracket === -1 ? '' : text.slice(bracket);
  const parts = head.split(KEY_SEPARATOR);
  const [file] = parts;
  if (file === undefined || !/\.py$/.test(file)) return null;
  const module = file.replace(/\.py$/, '').replace(/^\.?[\\/]+/, '').replace(/[\\/]+/g, '.');
  if (parts.length === 1) return { file, classname: module, name: null };
  const classes = parts.slice(1, -1);
  return { file, classname: [module, ...classes].join('.'), name: `${parts.at(-1) ?? ''}${parameters}` };
}

/** The remainder of `name` after the prefix `suite` and a separator (space, ›, >, »), or null. */
function afterPrefix(name: string, prefix: string): string | null {
  if (prefix === '' || !name.startsWith(prefix)) return null;
  const match = /^(?: *[›>»] *| +)(\S.*)$/.exec(name.slice(prefix.length));
  return match?.[1] ?? null;
}

function maskVolatile(name: string): string {
  return name.replace(/@[0-9a-f]{6,8}\b/gi, '@…').replace(/\b0x[0-9a-f]{8,16}\b/gi, '0x…');
}

function shorten(key: string): string {
  if (key.length <= MAX_KEY_LENGTH) return key;
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  let end = MAX_KEY_LENGTH - hash.length - 2;
  const code = key.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${key.slice(0, end)}…#${hash}`;
}

/** Normalises a test's names into its stable identity (see the rules above). */
export function testIdentity(parts: TestNameParts): TestIdentity {
  const suite = clean(parts.suite);
  let classname = clean(parts.classname);
  let name = clean(parts.name);
  let file = parts.file === null ? null : clean(parts.file) || null;

  // 2. pytest node ids.
  if (name.includes(KEY_SEPARATOR)) {
    const node = pytestNodeId(name);
    if (node !== null && node.name !== null) {
      classname = node.classname;
      name = node.name;
      file ??= node.file;
    }
  }
  if (classname.includes(KEY_SEPARATOR) || /\.py$/.test(classname)) {
    const node = pytestNodeId(classname);
    if (node !== null) {
      classname = node.name === null ? node.classname : `${node.classname}.${node.name}`;
      file ??= node.file;
    }
  }

  if (classname !== '' && classname === name) {
    // 3. jest-junit: the full title twice.
    const rest = afterPrefix(name, suite);
    classname = suite;
    if (rest !== null) name = rest;
  } else if (classname !== '' && name.length > classname.length + 1 && name.endsWith(` ${classname}`)) {
    // 4. mocha-junit-reporter: full title as name, own title as classname.
    const own = classname;
    classname = name.slice(0, name.length - own.length - 1).trim();
    name = own;
  }

  // 5. No classname.
  if (classname === '') classname = suite !== '' ? suite : (file ?? '');

  // 6. Volatile parts of parameterised names.
  name = maskVolatile(name);

  const key = shorten(classname === '' ? name : `${classname}${KEY_SEPARATOR}${name}`);
  return { key, suite, classname, name, file };
}
