/**
 * RubyGems versions (Gem::Version): dot-separated segments where runs of digits are numbers and runs
 * of letters are strings ("1.0.a10" is [1, 0, "a", 10]); "-" means ".pre."; trailing zero segments
 * of the numeric part and of the string part are dropped; a string segment sorts below any number,
 * so any letter makes a pre-release ("1.0.a" < "1.0"). Strings compare case-sensitively.
 */
import { cmpDigits, cmpText, defineScheme, isDigitCode, safeNumber, stripZeros } from './util.js';

interface Segment {
  numeric: boolean;
  text: string;
}

export interface RubyGemsVersion {
  segments: Segment[];
  prerelease: boolean;
}

const VALID = /^[ \t\r\n\f\v]*[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?[ \t\r\n\f\v]*$/;
const SEGMENT = /[0-9]+|[a-z]+/gi;
const ZERO: Segment = { numeric: true, text: '0' };

function dropTrailingZeros(segs: Segment[]): Segment[] {
  let end = segs.length;
  while (end > 0 && segs[end - 1]?.numeric === true && segs[end - 1]?.text === '0') end--;
  return segs.slice(0, end);
}

export function parseRubyGems(version: string): RubyGemsVersion | null {
  if (!VALID.test(version)) return null;
  const text = version.trim().replaceAll('-', '.pre.');
  const all: Segment[] = [];
  for (const m of text.matchAll(SEGMENT)) {
    const s = m[0];
    all.push(isDigitCode(s.charCodeAt(0)) ? { numeric: true, text: stripZeros(s) } : { numeric: false, text: s });
  }
  const firstString = all.findIndex((s) => !s.numeric);
  const numbers = firstString === -1 ? all : all.slice(0, firstString);
  const rest = firstString === -1 ? [] : all.slice(firstString);
  return {
    segments: [...dropTrailingZeros(numbers), ...dropTrailingZeros(rest)],
    prerelease: /[a-zA-Z]/.test(text),
  };
}

export function compareRubyGems(a: RubyGemsVersion, b: RubyGemsVersion): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const x = a.segments[i] ?? ZERO;
    const y = b.segments[i] ?? ZERO;
    if (x.numeric !== y.numeric) return x.numeric ? 1 : -1;
    const r = x.numeric ? cmpDigits(x.text, y.text) : cmpText(x.text, y.text);
    if (r !== 0) return r;
  }
  return 0;
}

export const rubygems = defineScheme<RubyGemsVersion>({
  id: 'rubygems',
  parse: parseRubyGems,
  compare: compareRubyGems,
  isStable: (v) => !v.prerelease,
  major: (v) => {
    const first = v.segments[0];
    return first === undefined ? 0 : first.numeric ? safeNumber(first.text) : null;
  },
});
