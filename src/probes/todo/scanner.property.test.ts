import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, getLanguage } from './languages.js';
import type { Marker, ScanResult } from './scanner.js';
import { scanFileUnchecked, scanText } from './scanner.js';

const TAGS = { tags: ['TODO', 'FIXME', 'HACK', 'XXX', 'BUG'] };
const encoder = new TextEncoder();

/** One path per language, so scanFile picks each language by name. */
const PATHS = LANGUAGES.filter((l) => l.internal !== true).map((l) =>
  l.extensions?.[0] !== undefined ? `src/file.${l.extensions[0]}` : (l.fileNames?.[0] ?? 'unknown'),
);

/** Pieces of syntax from many languages, so random inputs exercise the lexer's states. */
const FRAGMENTS = [
  '//', '/*', '*/', '/', '"', "'", '`', '#', '--', '<!--', '-->', '<script>', '</script>', '<style>', '<<EOF',
  'EOF', '\n', '\r', '\r\n', '\t', ' ', 'TODO', 'todo:', 'FIXME(bob):', '@todo', 'XXX', '${', '#{', '}', '{', '(',
  ')', '[[', ']]', '[==[', '\\', 'r#"', '"#', 'R"x(', ')x"', '=begin', '=end', '=pod', '=cut', '%q{', '"""', "'''",
  '@"', 'x', 'é', '😀', '<?php', '?>', '{-', '-}', '(*', '*)', '|', '>', ':', '- ', 'a: |', '$$', ';', '%', '.. ',
  '{#', '#}', '<#', '#>', 'REM ', '::', '!', 'q{', 's/', '~s(', '---',
];

const fragmentText = fc
  .array(
    fc.oneof(
      { arbitrary: fc.constantFrom(...FRAGMENTS), weight: 6 },
      { arbitrary: fc.constantFrom(' TODO ', 'FIXME: x', ' todo: y', '\n// TODO: z\n', '\n# HACK\n'), weight: 2 },
      { arbitrary: fc.string({ maxLength: 4 }), weight: 1 },
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(''));

function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

/** Each marker points into the decoded text at its tag, within 1..lineCount, in order. */
function expectConsistent(text: string, markers: readonly Marker[]): void {
  // Lines as git counts them: by `\n` (a lone `\r` is part of its line).
  const lines = text.split(/\r?\n/);
  let previous = [0, 0];
  for (const m of markers) {
    expect(m.line).toBeGreaterThanOrEqual(1);
    expect(m.line).toBeLessThanOrEqual(lines.length);
    const chars = Array.from(lines[m.line - 1] ?? '');
    expect(m.column).toBeGreaterThanOrEqual(1);
    expect(m.column).toBeLessThanOrEqual(chars.length);
    expect(chars.slice(m.column - 1, m.column - 1 + m.tag.length).join('').toUpperCase()).toBe(m.tag.toUpperCase());
    expect(m.line > previous[0]! || (m.line === previous[0] && m.column > previous[1]!)).toBe(true);
    previous = [m.line, m.column];
    expect(m.text.length).toBeLessThanOrEqual(300);
    expect(m.comment.length).toBeLessThanOrEqual(300);
  }
}

function expectSane(bytes: Uint8Array, result: ScanResult): void {
  if (result.kind === 'scanned') expectConsistent(decode(bytes), result.markers);
}

/** A C-like statement line without comments or tags: identifiers, numbers and a complete string. */
const codeLine = fc.oneof(
  fc.stringMatching(/^[a-z_]{1,8}( = [a-z0-9_]{1,8})?;$/),
  fc.string({ maxLength: 20 }).map((s) => `s = "${escapeDoubleQuoted(s)}";`),
  fc.constant(''),
  fc.constant('}'),
);

function escapeDoubleQuoted(s: string): string {
  return s.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Languages whose `"..."` strings escape with a backslash and interpolate nothing. */
const C_LIKE = ['c', 'cpp', 'objective-c', 'java', 'javascript', 'typescript', 'csharp', 'go', 'rust', 'solidity', 'scala', 'protobuf'];

describe('scanFile on arbitrary input', () => {
  it('never throws on arbitrary bytes, and its positions are sane', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), fc.uint8Array({ maxLength: 400 }), (path, bytes) => {
        const result = scanFileUnchecked(path, bytes, TAGS);
        expectSane(bytes, result);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on soups of syntax fragments in any language', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), fragmentText, (path, text) => {
        const bytes = encoder.encode(text);
        const result = scanFileUnchecked(path, bytes, TAGS);
        expect(result.kind === 'scanned' || result.kind === 'skipped').toBe(true);
        expectSane(bytes, result);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same markers for UTF-8 bytes, UTF-16 bytes and decoded text', () => {
    fc.assert(
      fc.property(fc.constantFrom(...C_LIKE, 'python', 'shell', 'html', 'sql'), fragmentText, (id, text) => {
        const language = getLanguage(id)!;
        // `.m` may turn out to be MATLAB by content; `.mm` is always Objective-C.
        const path = id === 'objective-c' ? 'x.mm' : `x.${language.extensions![0]!}`;
        const clean = text.replace(/\0/g, ' ');
        const fromText = scanText(clean, language, TAGS);
        const fromUtf8 = scanFileUnchecked(path, encoder.encode(clean), TAGS);
        const units = Uint16Array.from({ length: clean.length }, (_, k) => clean.charCodeAt(k));
        const utf16 = new Uint8Array(2 + units.length * 2);
        utf16.set([0xff, 0xfe]);
        units.forEach((u, k) => utf16.set([u & 0xff, u >> 8], 2 + 2 * k));
        const fromUtf16 = scanFileUnchecked(path, utf16, TAGS);
        // Lone surrogates do not survive UTF-8; compare only texts that do.
        const wellFormed = new TextDecoder().decode(encoder.encode(clean)) === clean;
        if (wellFormed && fromUtf8.kind === 'scanned' && fromUtf16.kind === 'scanned') {
          expect(fromUtf8.markers).toEqual(fromText);
          expect(fromUtf16.markers).toEqual(fromText);
        }
        expectConsistent(clean, fromText);
      }),
      { numRuns: 500 },
    );
  });
});

describe('markers in comments', () => {
  it('finds `// TODO: <text>` at whatever line it is inserted', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...C_LIKE),
        fc.array(codeLine, { maxLength: 30 }),
        fc.nat(),
        fc.string({ unit: 'binary', maxLength: 80 }).map((s) => s.replace(/[\r\n\0]/g, ' ')),
        fc.constantFrom('\n', '\r\n', '\r'),
        (id, lines, at, text, eol) => {
          const index = at % (lines.length + 1);
          const source = [...lines.slice(0, index), `// TODO: ${text}`, ...lines.slice(index)].join(eol);
          // Where git puts it: lines end at `\n` only (with `\r` line ends, all is line 1).
          const before = index === 0 ? '' : lines.slice(0, index).join(eol) + eol;
          const line = before.split('\n').length;
          const column = Array.from(before.slice(before.lastIndexOf('\n') + 1)).length + 4;
          const markers = scanText(source, getLanguage(id)!, TAGS);
          expect(markers.some((m) => m.line === line && m.tag === 'TODO' && m.column === column)).toBe(true);
          const viaBytes = scanFileUnchecked(`x.${getLanguage(id)!.extensions!.at(-1)!}`, encoder.encode(source), TAGS);
          expect(viaBytes.kind === 'scanned' && viaBytes.markers.some((m) => m.line === line && m.tag === 'TODO')).toBe(true);
          expectConsistent(source, markers);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads the text after the tag, whitespace collapsed', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9.,]{0,9}$/), { minLength: 1, maxLength: 8 }), fc.constantFrom(' ', '  ', '\t'), (words, gap) => {
        const [marker] = scanText(`x = 1; // FIXME: ${words.join(gap)}  `, getLanguage('c')!, TAGS);
        expect(marker?.text).toBe(words.join(' '));
      }),
    );
  });
});

describe('strings are not comments', () => {
  it('finds nothing in any double-quoted string literal', () => {
    const withTags = fc
      .tuple(fc.string({ maxLength: 20 }), fc.constantFrom('TODO', '// TODO: x', '/* FIXME */', '# HACK', '-- XXX', '<!-- BUG -->'), fc.string({ maxLength: 20 }))
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.constantFrom(...C_LIKE, 'python', 'php-code', 'sql', 'lua'), fc.array(withTags, { minLength: 1, maxLength: 5 }), (id, contents) => {
        const escape = id === 'sql' ? (s: string) => s.replace(/"/g, '""') : escapeDoubleQuoted;
        const source = contents.map((c) => `x = "${escape(c)}";`).join('\n');
        expect(scanText(source, getLanguage(id)!, TAGS)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
