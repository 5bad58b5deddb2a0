/**
 * Malformed and hostile inputs: every file of fixtures/malformed/ goes through scanFile, which must
 * return (never throw) with sane positions. Fixture files end in `.fixture` so that tools (tsc,
 * linters, prodeng scanning itself) leave them alone; the name without it is the path scanned. Inputs too big to keep in the repository (megabyte
 * lines, hundreds of thousands of comments) are generated here instead, with a time bound that a
 * quadratic algorithm would blow.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Marker, ScanResult } from './scanner.js';
import { scanFileUnchecked } from './scanner.js';

const TAGS = { tags: ['TODO', 'FIXME', 'HACK', 'XXX', 'BUG'] };
const DIR = fileURLToPath(new URL('./fixtures/malformed/', import.meta.url));

function brief(markers: readonly Marker[]): string[] {
  return markers.map((m) => `${m.line}:${m.tag}:${m.text}`);
}

function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

/** Lines and columns point into the decoded file, at the tag; text and evidence are capped. */
function expectSane(bytes: Uint8Array, result: ScanResult): void {
  if (result.kind !== 'scanned') return;
  // Lines as git counts them: by `\n` (a lone `\r` is part of its line).
  const lines = decode(bytes).split(/\r?\n/);
  for (const m of result.markers) {
    expect(m.line).toBeGreaterThanOrEqual(1);
    expect(m.line).toBeLessThanOrEqual(lines.length);
    expect(m.column).toBeGreaterThanOrEqual(1);
    const chars = Array.from(lines[m.line - 1] ?? '');
    expect(chars.slice(m.column - 1, m.column - 1 + m.tag.length).join('').toUpperCase()).toBe(m.tag.toUpperCase());
    expect(m.text.length).toBeLessThanOrEqual(300);
    expect(m.comment.length).toBeLessThanOrEqual(300);
    expect(m.comment.length).toBeGreaterThan(0);
  }
}

// Huge inputs must finish (linear time): a quadratic regression shows as a test timeout. Speed
// itself is measured in bench/, never asserted here.
function scanHuge(path: string, bytes: Uint8Array): { result: ScanResult } {
  return { result: scanFileUnchecked(path, bytes, TAGS) };
}

/** What some fixtures must give (`line:TAG:text`, or a skip reason); the rest only need to be sane. */
const EXPECTED: Record<string, string[] | 'binary'> = {
  'truncated-block-comment.c': ['2:TODO:never closed'],
  'unterminated-string.js': ['2:TODO:after broken string'],
  'unterminated-template.ts': ['2:TODO:inside interpolation'],
  'unterminated-regex.js': ['2:TODO:after broken regex'],
  'nul-bytes.py': 'binary',
  'nul-after-8k.js': ['1:TODO:late nul'],
  'utf16le-bom.ts': ['1:TODO:wide'],
  'utf16be-bom.ts': ['1:TODO:wide'],
  'utf16le-lone-surrogate.ts': ['1:TODO:lone surrogate'],
  'utf8-bom.py': ['1:TODO:bom'],
  'bom-only.js': [],
  'empty.c': [],
  'crlf.c': ['2:TODO:crlf', '3:FIXME:', '4:HACK:'],
  // Lines are counted as git counts them: a lone CR starts none (but still ends a `//` comment).
  'lone-cr.c': ['1:TODO:cr', '1:FIXME:', '1:HACK:'],
  'mixed-eol.c': ['3:TODO:line four', '5:FIXME:line seven'],
  'only-cr.c': ['1:TODO:'],
  'deeply-nested.rs': ['1:TODO:deep', '2:FIXME:after'],
  'deeply-nested-unclosed.hs': ['1:TODO:unclosed'],
  'close-without-open.c': ['1:TODO:after stray closer'],
  'heredoc-unterminated.sh': [],
  'heredoc-then-comment.sh': ['1:TODO:on the opener line'],
  'raw-string-unterminated.cpp': [],
  'raw-string-bad-delimiter.cpp': ['1:TODO:after'],
  'lua-long-unterminated.lua': ['1:TODO:open'],
  'script-unclosed.html': ['1:TODO:js'],
  'attr-unclosed.html': ['2:TODO:y'],
  'style-unclosed.vue': ['2:TODO:never closed'],
  'frontmatter-unclosed.astro': ['2:TODO:front'],
  'docstring-unterminated.py': ['2:TODO:open docstring'],
  'yaml-block-eof.yaml': [],
  'yaml-block-tabs.yml': ['3:TODO:after'],
  'php-no-close.php': ['2:TODO:x'],
  'php-xml-decl.php': ['2:TODO:y'],
  'php-heredoc-unclosed.php': [],
  'ruby-begin-unclosed.rb': ['2:TODO:z'],
  'ruby-percent-unclosed.rb': [],
  'perl-quote-unclosed.pl': [],
  'perl-pod-unclosed.pm': ['3:TODO:pod without cut'],
  'lone-backslash-eof.sh': [],
  'control-chars.js': ['1:TODO:\uFFFD\uFFFD\uFFFD[31m red \uFFFD'],
  // A dollar-quoted body is lexed as SQL (a function body); unclosed, it runs to the end.
  'sql-dollar-unclosed.sql': ['1:TODO:in the body, which runs to the end'],
  'markdown-fence-unclosed.md': [],
  'elixir-sigil-unclosed.ex': [],
  'csharp-raw-unclosed.cs': [],
  'swift-raw-unclosed.swift': [],
  'rust-char-edge.rs': ['1:TODO:after odd chars'],
  'nested-interpolation.kt': ['1:TODO:after nesting'],
  'unbalanced-interpolation.kt': ['2:TODO:in code'],
  'tag-at-eof.js': ['1:TODO:'],
  'tag-split-by-nul.js': 'binary',
};

describe('malformed corpus', () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.fixture'))
    .map((f) => f.slice(0, -'.fixture'.length))
    .sort();
  const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, `${name}.fixture`)));

  it('has the fixtures the expectations name', () => {
    for (const name of Object.keys(EXPECTED)) expect(files).toContain(name);
  });

  it.each(files)('%s', (name) => {
    const bytes = read(name);
    const { result } = scanHuge(name, bytes);
    expectSane(bytes, result);
    const expected = EXPECTED[name];
    if (expected === 'binary') expect(result).toEqual({ kind: 'skipped', reason: 'binary' });
    else if (expected !== undefined) expect(result.kind === 'scanned' ? brief(result.markers) : result).toEqual(expected);
    else expect(result.kind).toBe('scanned');
  });

  it('keeps one marker per comment line, however crowded', () => {
    const bytes = read('many-tags-one-line.js');
    const result = scanFileUnchecked('many-tags-one-line.js', bytes, TAGS);
    expect(result.kind === 'scanned' && result.markers.length).toBe(1);
  });

  it('reads text through invalid UTF-8', () => {
    const bytes = read('invalid-utf8.ts');
    const result = scanFileUnchecked('invalid-utf8.ts', bytes, TAGS);
    expect(result).toMatchObject({ kind: 'scanned', markers: [{ line: 1, column: 12 }] });
    expect(result.kind === 'scanned' && result.markers[0]?.text).toMatch(/^broken \uFFFD+ bytes$/);
  });
});

describe('huge inputs stay linear', () => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  const cases: [string, string, () => string, number | undefined][] = [
    ['a 5 MB single line', 'big.js', () => `${'x=1;'.repeat(1_250_000)} // TODO: end`, 1],
    ['100k comments on one line', 'many.c', () => '/*TODO*/x;'.repeat(100_000), 100_000],
    ['20k script blocks on one line', 'many.html', () => '<script>//TODO\n</script><p>'.repeat(20_000), 20_000],
    ['100k unclosed attribute quotes', 'quotes.html', () => `${'<a b="x'.repeat(100_000)}<!-- TODO -->`, undefined],
    ['200k failed regex guesses', 'regex.js', () => `${'=/['.repeat(200_000)} // TODO`, undefined],
    ['200k yaml bars on one line', 'bars.yaml', () => `${'a|'.repeat(200_000)} # TODO`, 1],
    ['100k nested comment openers', 'deep.rs', () => `${'/*'.repeat(100_000)} TODO`, 1],
    ['a 2 MB line of tag words in a comment', 'tags.py', () => `# ${'TODO '.repeat(400_000)}`, 1],
    ['100k unterminated strings', 'strings.c', () => '"abc\n'.repeat(100_000) + '// TODO', 1],
    ['100k heredocs without terminators', 'docs.sh', () => 'cat <<EOF\n'.repeat(100_000) + '# TODO', 0],
  ];
  it.each(cases)('%s', (_name, path, make, count) => {
    const bytes = enc(make());
    const { result } = scanHuge(path, bytes);
    expect(result.kind).toBe('scanned');
    if (count !== undefined) expect(result.kind === 'scanned' && result.markers.length).toBe(count);
  });
});
