/**
 * Maven versions, ordered like Maven's ComparableVersion (maven-artifact 3.8/3.9 behaviour):
 *
 * - the version is lower-cased and split at ".", "-" and at every change between digits and other
 *   characters; "-" (and a digit/letter change) opens a nested sub-list, "." stays in the same list;
 *   an empty part counts as 0;
 * - numbers compare numerically (any size) and above strings and sub-lists;
 * - strings are qualifiers: alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release
 *   < sp < any other qualifier (those in lexical order); "a", "b" and "m" directly followed by a digit
 *   mean alpha, beta and milestone;
 * - trailing "null" items (0, "", empty lists) are removed from each list, so 1 = 1.0 = 1-0 = 1.ga;
 * - when one list runs out its missing items compare as "null" (1-rc < 1 < 1-sp, 1.0.1 > 1).
 */
import { cmpDigits, cmpText, defineScheme, hasSpaceOrControl, isDigitCode, safeNumber, stripZeros } from './util.js';

const INT = 0;
const STR = 1;
const LIST = 2;

type Item =
  | { kind: typeof INT; value: string }
  | { kind: typeof STR; value: string; key: string }
  | { kind: typeof LIST; items: Item[] };

type ListItem = Extract<Item, { kind: typeof LIST }>;

export interface MavenVersion {
  items: ListItem;
  /** Starts with a qualifier (a letter), like "v1.2" or "stable", rather than a number. */
  textual: boolean;
  major: number | null;
}

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_KEY = String(QUALIFIERS.indexOf(''));
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const UNSTABLE = new Set(['alpha', 'beta', 'milestone', 'rc', 'snapshot']);

/** A comparable key for a qualifier: its rank for known ones, "7-<name>" (after them, lexical) otherwise. */
function qualifierKey(q: string): string {
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
}

function stringItem(raw: string, followedByDigit: boolean): Item {
  let value = raw;
  if (followedByDigit && value.length === 1) {
    if (value === 'a') value = 'alpha';
    else if (value === 'b') value = 'beta';
    else if (value === 'm') value = 'milestone';
  }
  value = ALIASES[value] ?? value;
  return { kind: STR, value, key: qualifierKey(value) };
}

function parseItem(isDigit: boolean, buf: string): Item {
  return isDigit ? { kind: INT, value: stripZeros(buf) } : stringItem(buf, false);
}

function isNull(item: Item): boolean {
  if (item.kind === INT) return item.value === '0';
  if (item.kind === STR) return item.key === RELEASE_KEY;
  return item.items.length === 0;
}

/**
 * Removes trailing null items; walks back past non-null sub-lists, stops at other items. A sub-list
 * left holding a single sub-list is flattened.
 */
function normalize(list: ListItem, isRoot: boolean): void {
  const items = list.items;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i] as Item;
    if (isNull(item)) items.splice(i, 1);
    else if (item.kind !== LIST) break;
  }
  // Removing a null item must not leave an extra nesting level: "1-ga-1" is "1-1" (as in Maven 4 and
  // the Maven version order specification), not [1, [[1]]].
  const only = items[0];
  if (!isRoot && items.length === 1 && only?.kind === LIST) list.items = only.items;
}

export function parseMaven(version: string): MavenVersion | null {
  if (version === '' || hasSpaceOrControl(version)) return null;
  const s = version.toLowerCase();
  const root: ListItem = { kind: LIST, items: [] };
  const stack: ListItem[] = [root];
  let list = root;
  const open = (): void => {
    const sub: ListItem = { kind: LIST, items: [] };
    list.items.push(sub);
    list = sub;
    stack.push(sub);
  };
  let isDigit = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */ || c === 45 /* - */) {
      list.items.push(i === start ? { kind: INT, value: '0' } : parseItem(isDigit, s.slice(start, i)));
      start = i + 1;
      if (c === 45) open();
    } else if (isDigitCode(c)) {
      if (!isDigit && i > start) {
        list.items.push(stringItem(s.slice(start, i), true));
        start = i;
        open();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(parseItem(true, s.slice(start, i)));
        start = i;
        open();
      }
      isDigit = false;
    }
  }
  if (s.length > start) list.items.push(parseItem(isDigit, s.slice(start)));
  for (let i = stack.length - 1; i >= 0; i--) normalize(stack[i] as ListItem, i === 0);
  const lead = /^\d+/.exec(version);
  const first = s.charCodeAt(0);
  return {
    items: root,
    textual: !isDigitCode(first) && first !== 46 && first !== 45,
    major: lead === null ? null : safeNumber(stripZeros(lead[0])),
  };
}

/** Item.compareTo(other), where a missing item is null. */
function compareItem(a: Item, b: Item | null): number {
  switch (a.kind) {
    case INT:
      if (b === null) return a.value === '0' ? 0 : 1;
      return b.kind === INT ? cmpDigits(a.value, b.value) : 1;
    case STR:
      if (b === null) return cmpText(a.key, RELEASE_KEY);
      return b.kind === STR ? cmpText(a.key, b.key) : -1;
    default: {
      if (b === null) {
        for (const item of a.items) {
          const r = compareItem(item, null);
          if (r !== 0) return r;
        }
        return 0;
      }
      if (b.kind === INT) return -1;
      if (b.kind === STR) return 1;
      const n = Math.max(a.items.length, b.items.length);
      for (let i = 0; i < n; i++) {
        const l = a.items[i];
        const r = b.items[i] ?? null;
        const result = l === undefined ? (r === null ? 0 : -compareItem(r, null)) : compareItem(l, r);
        if (result !== 0) return result;
      }
      return 0;
    }
  }
}

function hasUnstableQualifier(list: ListItem): boolean {
  return list.items.some((item) =>
    item.kind === STR ? UNSTABLE.has(item.value) : item.kind === LIST && hasUnstableQualifier(item),
  );
}

export const maven = defineScheme<MavenVersion>({
  id: 'maven',
  parse: parseMaven,
  // A version starting with a qualifier is below one starting with a number, as in Maven, also when
  // the number normalises away ("0", "0.0"): otherwise "0-alpha" < "0" < "v" < "0-alpha".
  compare: (a, b) => (a.textual !== b.textual ? (a.textual ? -1 : 1) : compareItem(a.items, b.items)),
  // Not a SNAPSHOT, alpha, beta, milestone or release candidate (rc/cr).
  isStable: (v) => !hasUnstableQualifier(v.items),
  major: (v) => v.major,
});
