import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { padEnd, padStart, stringWidth, truncateEnd, truncateStart } from './string-width.js';

describe('stringWidth', () => {
  it('counts ASCII as one column each', () => {
    expect(stringWidth('')).toBe(0);
    expect(stringWidth('hello world')).toBe(11);
  });

  it('counts CJK, kana, Hangul and fullwidth forms as two', () => {
    expect(stringWidth('日本語')).toBe(6);
    expect(stringWidth('ひらがな')).toBe(8);
    expect(stringWidth('カタカナ')).toBe(8);
    expect(stringWidth('한국어')).toBe(6);
    expect(stringWidth('ＡＢＣ')).toBe(6);
    expect(stringWidth('日本語のTODO：リトライ処理を追加')).toBe(4 + 2 * 14);
    expect(stringWidth('、。「」')).toBe(8);
    expect(stringWidth('𠮷')).toBe(2); // outside the BMP (CJK Extension B)
  });

  it('keeps halfwidth katakana and ambiguous characters narrow', () => {
    expect(stringWidth('ｶﾀｶﾅ')).toBe(4);
    expect(stringWidth('…·')).toBe(2);
  });

  it('counts combining sequences and emoji per grapheme', () => {
    expect(stringWidth('e\u0301')).toBe(1); // é, decomposed
    expect(stringWidth('か\u3099')).toBe(2); // が, decomposed
    expect(stringWidth('👍')).toBe(2);
    expect(stringWidth('👩‍👩‍👧')).toBe(2);
    expect(stringWidth('🇯🇵')).toBe(2);
    expect(stringWidth('❤️')).toBe(2); // text-default pictograph + VS16
    expect(stringWidth('a\u200bb')).toBe(2); // zero-width space
  });
});

describe('truncation and padding', () => {
  it('cuts at a column count with an ellipsis, never inside a wide character', () => {
    expect(truncateEnd('hello world', 8)).toBe('hello w…');
    expect(truncateEnd('hello', 8)).toBe('hello');
    expect(truncateEnd('日本語のTODO', 6)).toBe('日本…'); // 4 + 1 columns; the next ideograph would not fit
    expect(stringWidth(truncateEnd('日本語のTODO', 6))).toBe(5);
    expect(truncateStart('src/deeply/nested/file.ts:42', 15)).toBe('…ted/file.ts:42');
    expect(stringWidth(truncateStart('src/deeply/nested/file.ts:42', 15))).toBe(15);
    expect(truncateStart('ソース/ファイル.ts', 10)).toBe('…ァイル.ts');
  });

  it('pads to a width in columns', () => {
    expect(padEnd('日本', 6)).toBe('日本  ');
    expect(padStart('日本', 6)).toBe('  日本');
    expect(padEnd('toolong', 3)).toBe('toolong');
  });

  it('never exceeds the requested width', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer({ min: 1, max: 50 }), (text, width) => {
        expect(stringWidth(truncateEnd(text, width))).toBeLessThanOrEqual(width);
        expect(stringWidth(truncateStart(text, width))).toBeLessThanOrEqual(width);
      }),
    );
  });
});
