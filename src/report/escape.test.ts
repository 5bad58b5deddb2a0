import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeControls, escapeMarkdownInline, isInert } from './escape.js';
import { HOSTILE } from './test-support/fixtures.js';

describe('escapeControls', () => {
  it('makes escape sequences visible and inert', () => {
    expect(escapeControls(HOSTILE.ansi)).toBe('red \\x1b[31mALERT\\x1b[0m \\x1b]0;pwned\\x07 \\x9b2J');
    expect(escapeControls('a\nb\tc\r')).toBe('a\\nb\\tc\\r');
    expect(escapeControls('x\u202ey\u2066z\u2028')).toBe('x\\u202ey\\u2066z\\u2028');
  });

  it('leaves ordinary text, CJK and emoji alone', () => {
    expect(escapeControls(HOSTILE.cjk)).toBe(HOSTILE.cjk);
    expect(escapeControls('naïve 👍 <b>')).toBe('naïve 👍 <b>');
  });

  it('always yields inert text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => isInert(escapeControls(text))));
  });
});

describe('escapeMarkdownInline', () => {
  it('neutralises HTML', () => {
    expect(escapeMarkdownInline(HOSTILE.script)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeMarkdownInline(HOSTILE.attribute)).toBe('"&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('keeps a table cell one cell on one line', () => {
    expect(escapeMarkdownInline(HOSTILE.pipe)).toBe('a \\| b \\|\\| c');
    expect(escapeMarkdownInline(HOSTILE.newline)).toBe('first line second line third');
  });

  it('disarms code spans, links, images, mentions and issue references', () => {
    expect(escapeMarkdownInline(HOSTILE.backtick)).toBe('use \\`rm -rf /\\` now');
    expect(escapeMarkdownInline(HOSTILE.link)).toBe('\\[click me\\](https://evil.example) \\!\\[pixel\\](https://evil.example/p.png)');
    expect(escapeMarkdownInline(HOSTILE.mention)).toBe('TODO(@\u2060alice): ask @\u2060org/team about \\#\u2060123');
    expect(escapeMarkdownInline('a*b*_c_ ~~d~~ $x$ \\')).toBe('a\\*b\\*\\_c\\_ \\~\\~d\\~\\~ \\$x\\$ \\\\');
  });

  it('escapes terminal controls too and keeps CJK', () => {
    expect(escapeMarkdownInline('\u001b[31m')).toBe('\\\\x1b\\[31m');
    expect(escapeMarkdownInline(HOSTILE.cjk)).toBe(HOSTILE.cjk);
  });

  it('never leaves a raw <, >, newline or unescaped pipe', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const escaped = escapeMarkdownInline(text);
        expect(escaped).not.toMatch(/[<>\n\r]/);
        expect(escaped).not.toMatch(/(^|[^\\])(\\\\)*\|/);
      }),
    );
  });
});
