/**
 * Terminal column widths, after Unicode's East Asian Width (UAX #11): wide and fullwidth characters
 * (CJK ideographs, kana, Hangul, fullwidth forms, emoji) take two columns, combining marks and
 * format characters none, everything else one. Ambiguous-width characters (`…`, `·`, Greek, …)
 * count as one column, as in most terminals outside a CJK legacy locale.
 *
 * Widths are measured per grapheme cluster (`Intl.Segmenter`), so `が` written as `か` + combining
 * `゙`, a flag, or a ZWJ family emoji each count once. A small hand-written table instead of a
 * dependency: the reporters only need alignment that is right for real-world text, not a full
 * terminal emulator.
 */

/** Code point ranges (inclusive) whose East_Asian_Width is Wide (W) or Fullwidth (F). */
const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], // Hangul Jamo leading consonants
  [0x231a, 0x231b],
  [0x2329, 0x232a], // angle brackets
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e], // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
  [0x3041, 0x33ff], // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, enclosed CJK, …
  [0x3400, 0x4dbf], // CJK Extension A
  [0x4dc0, 0x4dff], // Yijing hexagrams (wide since Unicode 16)
  [0x4e00, 0x9fff], // CJK Unified Ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f], // Hangul Jamo Extended-A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK Compatibility Ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6f], // CJK compatibility forms, small form variants
  [0xff00, 0xff60], // fullwidth ASCII
  [0xffe0, 0xffe6], // fullwidth signs
  [0x16fe0, 0x16fe4],
  [0x16ff0, 0x16ff1],
  [0x17000, 0x18cff], // Tangut, Khitan
  [0x18d00, 0x18d08],
  [0x1aff0, 0x1b2ff], // Kana supplement and extensions, Nushu
  [0x1d300, 0x1d376], // Tai Xuan Jing, counting rods
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f202],
  [0x1f210, 0x1f23b],
  [0x1f240, 0x1f248],
  [0x1f250, 0x1f251],
  [0x1f260, 0x1f265],
  [0x20000, 0x2fffd], // CJK Extensions B–F, compatibility supplement
  [0x30000, 0x3fffd], // CJK Extensions G–H
];

function isWideCodePoint(codePoint: number): boolean {
  // Binary search: the table is sorted and disjoint.
  let low = 0;
  let high = WIDE_RANGES.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = WIDE_RANGES[middle];
    if (range === undefined) return false;
    if (codePoint < range[0]) high = middle - 1;
    else if (codePoint > range[1]) low = middle + 1;
    else return true;
  }
  return false;
}

/** Marks, format characters, controls and Hangul trailing Jamo take no column of their own. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}\u1160-\u11ff\ud7b0-\ud7ff]$/u;
/** Emoji that render as emoji by default; a text-default pictograph followed by VS16 does too. */
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\ufe0f/u;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The grapheme clusters of `text`, in order. */
export function graphemes(text: string): string[] {
  const clusters: string[] = [];
  for (const { segment } of segmenter.segment(text)) clusters.push(segment);
  return clusters;
}

/** Columns one grapheme cluster occupies: 0, 1 or 2. */
export function graphemeWidth(cluster: string): number {
  if (EMOJI_PRESENTATION.test(cluster)) return 2;
  // The base character decides; anything combined onto it adds nothing.
  for (const char of cluster) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (ZERO_WIDTH.test(char)) continue;
    return isWideCodePoint(codePoint) ? 2 : 1;
  }
  return 0;
}

// Fast path: printable ASCII is one column per character and needs no segmentation.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Number of terminal columns `text` occupies (no ANSI codes expected; escape them first). */
export function stringWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const cluster of graphemes(text)) width += graphemeWidth(cluster);
  return width;
}

/**
 * Cuts `text` to at most `maxWidth` columns, ending with `ellipsis` when something was cut. Never
 * splits a grapheme cluster, so a wide character that does not fit is dropped whole (the result
 * may then be one column short, which callers pad).
 */
export function truncateEnd(text: string, maxWidth: number, ellipsis = '…'): string {
  if (stringWidth(text) <= maxWidth) return text;
  const room = maxWidth - stringWidth(ellipsis);
  if (room < 0) return '';
  let width = 0;
  let kept = '';
  for (const cluster of graphemes(text)) {
    const next = graphemeWidth(cluster);
    if (width + next > room) break;
    width += next;
    kept += cluster;
  }
  return kept + ellipsis;
}

/**
 * Like {@link truncateEnd} but keeps the end: for paths, whose file name and line matter more than
 * the leading folders (`…/deep/file.ts:42`).
 */
export function truncateStart(text: string, maxWidth: number, ellipsis = '…'): string {
  if (stringWidth(text) <= maxWidth) return text;
  const room = maxWidth - stringWidth(ellipsis);
  if (room < 0) return '';
  const clusters = graphemes(text);
  let width = 0;
  let kept = '';
  for (let index = clusters.length - 1; index >= 0; index--) {
    const cluster = clusters[index] ?? '';
    const next = graphemeWidth(cluster);
    if (width + next > room) break;
    width += next;
    kept = cluster + kept;
  }
  return ellipsis + kept;
}

/** Pads `text` with spaces on the right to `width` columns (never cuts). */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/** Pads `text` with spaces on the left to `width` columns (never cuts). */
export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - stringWidth(text))) + text;
}
